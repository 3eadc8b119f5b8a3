//! Finding people and fixing mistakes (issue 12, feat/zoeken): `/zoeken` by each key, for
//! the roles allowed, every search logged without the BSN; results with name, Dutch birth
//! date, region and phase; "niemand gevonden" said plainly.

mod support;
use support::{Reply, TestApp, off_runtime};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tempfile::TempDir;
use vangnet_domain::events::{Melder, Urgentie, Woonsituatie};
use vangnet_domain::person::{Person, synthetic_person};
use vangnet_domain::rng::Rng;
use vangnet_domain::{ClientEvent, ClientId, Date, GemeenteCode, RegionId, Regions};
use vangnet_store::{AccessGate, AccessLogFilter, AppendCommand, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

async fn get(app: &TestApp, path: &str, user: &str) -> Reply {
    let req = app
        .as_user(Request::get(path), user)
        .body(Body::empty())
        .unwrap();
    support::send(app, req).await
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn person(n: u32, voornaam: &str, achternaam: &str, born: &str) -> Person {
    let p = synthetic_person(&mut Rng::new(u64::from(n)), n, d(born));
    Person::new(p.bsn, voornaam, achternaam, d(born), true).unwrap()
}

fn register(store: &dyn Store, client: u64, regio: &str, herkomst: &str, p: Person) {
    store
        .append(
            &AccessGate::system("test"),
            AppendCommand {
                client: ClientId(client),
                expected_version: None,
                idempotency_key: None,
                events: vec![(
                    d("2024-03-01"),
                    ClientEvent::Aanmelding {
                        regio: RegionId::parse(regio).unwrap(),
                        melder: Melder::Wijkteam,
                        herkomst_gemeente: Some(GemeenteCode::parse(herkomst).unwrap()),
                        woonsituatie: Woonsituatie::Thuis,
                        urgentie: Urgentie::Regulier,
                        voordeur: None,
                    },
                )],
                person: Some(p),
            },
        )
        .unwrap();
}

fn world() -> (TempDir, TestApp, Person) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("zoeken.sqlite"), Regions::builtin()).unwrap();
    let zoe = person(701, "Zoë", "de Vries-Çelik", "1990-04-01");
    register(&store, 1, "centraal-gelderland", "GM0202", zoe.clone());
    register(
        &store,
        2,
        "nijmegen-rivierenland",
        "GM0268",
        person(702, "Zoë", "de Vries", "1990-04-01"),
    );
    let app = TestApp::new(AppState::new(std::sync::Arc::new(store)));
    (dir, app, zoe)
}

fn search_rows(app: &TestApp, user: &str) -> Vec<vangnet_store::AccessEntry> {
    off_runtime(|| {
        app.state
            .store()
            .access_log_filtered(
                &AccessGate::system("test"),
                &AccessLogFilter {
                    user: Some(user.into()),
                    limit: 1000,
                    ..AccessLogFilter::default()
                },
            )
            .unwrap()
    })
    .into_iter()
    .filter(|e| e.action == "zoeken")
    .collect()
}

#[tokio::test]
async fn search_by_each_key_for_the_roles_allowed() {
    let (_d, app, zoe) = world();
    let team = "toegang-centraal-gelderland";

    // The form, linked from the navigation.
    let r = get(&app, "/zoeken", team).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("href=\"/zoeken\""));
    assert!(r.body.contains("name=\"bsn\""));
    assert!(
        search_rows(&app, team).is_empty(),
        "an empty form is no search"
    );

    // By BSN: name, Dutch birth date, region, phase, a link to the dossier.
    let r = get(&app, &format!("/zoeken?bsn={}", zoe.bsn.digits()), team).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Zoë de Vries-Çelik"), "{}", r.body);
    assert!(r.body.contains("01-04-1990"));
    assert!(r.body.contains("Centraal Gelderland"));
    assert!(r.body.contains("Aangemeld"));
    assert!(r.body.contains("href=\"/clienten/P00000001\""));
    // The other region's Zoë de Vries is never listed.
    assert!(!r.body.contains("P00000002"));

    // By name and birth date, without accents or capitals, the date as dd-mm-jjjj.
    let r = get(
        &app,
        "/zoeken?naam=zoe+de+vries&geboortedatum=01-04-1990",
        team,
    )
    .await;
    assert!(
        r.body.contains("href=\"/clienten/P00000001\""),
        "{}",
        r.body
    );
    assert!(!r.body.contains("P00000002"));

    // By client number.
    let r = get(&app, "/zoeken?nummer=P00000001", team).await;
    assert!(r.body.contains("href=\"/clienten/P00000001\""));

    // Nothing found: said plainly; another region's client is "nothing".
    let r = get(&app, "/zoeken?nummer=P00000002", team).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Niemand gevonden"), "{}", r.body);

    // Every search logged, with the kind of key, never the BSN.
    let rows = search_rows(&app, team);
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows.iter().all(|e| e.allowed));
    assert!(rows.iter().any(|e| e.purpose.contains("op BSN")));
    assert!(
        rows.iter()
            .any(|e| e.purpose.contains("op naam en geboortedatum"))
    );
    let digits = zoe.bsn.digits();
    assert!(
        rows.iter()
            .all(|e| !e.purpose.contains(&digits) && !e.reason.contains(&digits))
    );

    // An invalid BSN (elfproef) is a field error, nothing searched.
    let r = get(&app, "/zoeken?bsn=123456789", team).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("elfproef"));
    assert_eq!(search_rows(&app, team).len(), 4);

    // The wijkteam (of Nijmegen) finds its resident, not Arnhem's; the other region's team
    // does not find ours.
    let r = get(
        &app,
        "/zoeken?naam=Zoe+de+Vries&geboortedatum=1990-04-01",
        "wijkteam",
    )
    .await;
    assert!(
        r.body.contains("href=\"/clienten/P00000002\""),
        "{}",
        r.body
    );
    assert!(!r.body.contains("P00000001"));
    let r = get(
        &app,
        &format!("/zoeken?bsn={}", zoe.bsn.digits()),
        "toegang-nijmegen-rivierenland",
    )
    .await;
    assert!(r.body.contains("Niemand gevonden"));

    // Roles that may not look people up: no link, and refused.
    for user in [
        "auditor",
        "beleidsmedewerker",
        "woningcorporatie",
        "beheerder",
    ] {
        let r = get(&app, "/", user).await;
        assert!(!r.body.contains("href=\"/zoeken\""), "{user}");
        let r = get(&app, &format!("/zoeken?bsn={}", zoe.bsn.digits()), user).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
}

async fn post(app: &TestApp, path: &str, user: &str, form: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let req = app
        .as_user(Request::post(path), user)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    support::send(app, req).await
}

fn aanmeldingen(app: &TestApp) -> Vec<(String, i64)> {
    use vangnet_domain::monitor::Measure;
    let region = RegionId::parse("centraal-gelderland").unwrap();
    let mut cells: Vec<(String, i64)> = off_runtime(|| {
        app.state
            .store()
            .monitor(&region, &[Measure::Aanmelding], 209912)
            .unwrap()
    })
    .into_iter()
    .filter(|r| r.n != 0)
    .map(|r| (r.gemeente.clone(), r.n))
    .collect();
    cells.sort();
    cells
}

#[tokio::test]
async fn corrections_from_the_screens_move_the_history_and_the_monitor() {
    use vangnet_domain::events::{Advies, ZRM_DOMAINS};
    let (_d, app, zoe) = world();
    let team = "toegang-centraal-gelderland";
    off_runtime(|| {
        app.state
            .store()
            .append(
                &AccessGate::system("test"),
                AppendCommand {
                    client: ClientId(1),
                    expected_version: Some(1),
                    idempotency_key: None,
                    events: vec![(
                        d("2024-03-05"),
                        ClientEvent::Beoordeling {
                            criteria: vec![],
                            zrm: [Some(3); ZRM_DOMAINS],
                            doelgroep: None,
                            advies: Advies::Toewijzen,
                            behoeften: Vec::new(),
                        },
                    )],
                    person: None,
                },
            )
            .unwrap()
    });
    assert_eq!(aanmeldingen(&app), [("GM0202".to_owned(), 1)]);

    // The dossier links every fact to its correction page.
    let r = get(&app, "/clienten/P00000001", team).await;
    assert!(
        r.body.contains("href=\"/clienten/P00000001/correctie/1\""),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("href=\"/clienten/P00000001/correctie/persoon\"")
    );

    // The page shows the original and a prefilled form.
    let r = get(&app, "/clienten/P00000001/correctie/1", team).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Zoals vastgelegd"));
    assert!(r.body.contains("value=\"GM0202\""), "{}", r.body);
    assert!(r.body.contains("value=\"2024-03-01\""));
    assert!(r.body.contains("De aanmelding kan niet worden ingetrokken"));

    // A correction without a reason is refused at the field; nothing changes.
    let r = post(
        &app,
        "/clienten/P00000001/correctie/1",
        team,
        &[
            ("actie", "corrigeren"),
            ("versie", "2"),
            ("datum", "2024-03-01"),
            ("f_herkomst_gemeente", "GM0226"),
            ("reden", ""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("geef de reden op"));
    assert!(r.body.contains("value=\"GM0226\""), "the input is kept");
    assert_eq!(aanmeldingen(&app), [("GM0202".to_owned(), 1)]);

    // Another organisation may not: refused before anything is written.
    let r = post(
        &app,
        "/clienten/P00000001/correctie/1",
        "toegang-nijmegen-rivierenland",
        &[
            ("actie", "corrigeren"),
            ("versie", "2"),
            ("datum", "2024-03-01"),
            ("f_herkomst_gemeente", "GM0226"),
            ("reden", "r"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The correction: the gemeente of registration was Duiven, not Arnhem.
    let r = post(
        &app,
        "/clienten/P00000001/correctie/1",
        team,
        &[
            ("actie", "corrigeren"),
            ("versie", "2"),
            ("datum", "2024-03-01"),
            ("f_herkomst_gemeente", "GM0226"),
            ("reden", "verkeerde gemeente gekozen"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location()
            .starts_with("/clienten/P00000001?melding=opgeslagen")
    );
    // The monitor moved with it: the application counts for Duiven now.
    assert_eq!(aanmeldingen(&app), [("GM0226".to_owned(), 1)]);
    // The history shows original and correction side by side.
    let r = get(&app, "/clienten/P00000001", team).await;
    let start = r.body.find("id=\"correcties-tabel\"").expect("table");
    let table = &r.body[start..start + r.body[start..].find("</table>").unwrap()];
    assert!(table.contains("verkeerde gemeente gekozen"), "{table}");
    assert!(
        table.contains("Arnhem") && table.contains("Duiven"),
        "{table}"
    );
    let r = get(&app, "/clienten/P00000001/correctie/1", team).await;
    assert!(r.body.contains("Nu geldend"), "{}", r.body);
    assert!(r.body.contains("value=\"GM0226\""));

    // Withdrawing the assessment (version 2).
    let r = post(
        &app,
        "/clienten/P00000001/correctie/2",
        team,
        &[
            ("actie", "intrekken"),
            ("versie", "3"),
            ("reden", "bij de verkeerde cliënt vastgelegd"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rec = off_runtime(|| {
        app.state
            .store()
            .read_client(&AccessGate::system("test"), ClientId(1))
            .unwrap()
    });
    assert!(
        rec.state.beoordeeld.is_none(),
        "the withdrawn assessment no longer counts"
    );
    let r = get(&app, "/clienten/P00000001", team).await;
    assert!(r.body.contains("bij de verkeerde cliënt vastgelegd"));
    assert!(r.body.contains("ingetrokken"));

    // Personal data: name and birth date through the person record, logged with the reason.
    let r = post(
        &app,
        "/clienten/P00000001/correctie/persoon",
        team,
        &[
            ("actie", "persoon"),
            ("voornaam", "Zoë"),
            ("achternaam", "de Vries"),
            ("geboortedatum", "11-04-1990"),
            ("reden", "geboortedatum verkeerd overgenomen"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = get(
        &app,
        "/zoeken?naam=zoe+de+vries&geboortedatum=11-04-1990",
        team,
    )
    .await;
    assert!(
        r.body.contains("href=\"/clienten/P00000001\""),
        "{}",
        r.body
    );
    let rec = off_runtime(|| {
        app.state
            .store()
            .read_client(&AccessGate::system("test"), ClientId(1))
            .unwrap()
    });
    let p = rec.person.unwrap();
    assert_eq!((p.bsn, p.geboortedatum), (zoe.bsn, d("1990-04-11")));
    let logged = off_runtime(|| {
        app.state
            .store()
            .access_log_filtered(
                &AccessGate::system("test"),
                &AccessLogFilter {
                    user: Some(team.into()),
                    limit: 1000,
                    ..AccessLogFilter::default()
                },
            )
            .unwrap()
    });
    assert!(logged.iter().any(|e| e.action == "persoon_corrigeren"
        && e.allowed
        && e.reason.contains("geboortedatum verkeerd overgenomen")));
}

fn aanmelding(
    bsn: &str,
    voornaam: &str,
    achternaam: &str,
    geboren: &str,
    regio: &str,
    gemeente: &str,
) -> Vec<(String, String)> {
    [
        ("bsn", bsn),
        ("voornaam", voornaam),
        ("achternaam", achternaam),
        ("geboortedatum", geboren),
        ("regio", regio),
        ("herkomst_gemeente", gemeente),
        ("melder", "zelf"),
        ("woonsituatie", "dakloos"),
        ("urgentie", "urgent"),
        ("datum", "2025-02-01"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

async fn post_pairs(app: &TestApp, path: &str, user: &str, pairs: &[(String, String)]) -> Reply {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post(app, path, user, &refs).await
}

/// Close client `id`'s case (assessment and refusal), as the system.
fn close_case(app: &TestApp, id: u64, version: u32) {
    use vangnet_domain::events::{Advies, ZRM_DOMAINS};
    off_runtime(|| {
        app.state
            .store()
            .append(
                &AccessGate::system("test"),
                AppendCommand {
                    client: ClientId(id),
                    expected_version: Some(version),
                    idempotency_key: None,
                    events: vec![
                        (
                            d("2024-03-05"),
                            ClientEvent::Beoordeling {
                                criteria: vec![],
                                zrm: [Some(3); ZRM_DOMAINS],
                                doelgroep: None,
                                advies: Advies::Afwijzen,
                                behoeften: Vec::new(),
                            },
                        ),
                        (
                            d("2024-03-10"),
                            ClientEvent::Afwijzing {
                                reden: "geen BW nodig".into(),
                                casusregie: "wijkteam".into(),
                            },
                        ),
                    ],
                    person: None,
                },
            )
            .unwrap()
    });
}

#[tokio::test]
async fn same_bsn_with_other_data_warns_and_shows_what_is_known() {
    let (_d, app, zoe) = world();
    let team = "toegang-centraal-gelderland";
    let bsn = zoe.bsn.digits();
    // Open case: the warning with known and entered data, no second case.
    let form = aanmelding(
        &bsn,
        "Zoey",
        "de Vries",
        "1990-04-01",
        "centraal-gelderland",
        "GM0202",
    );
    let r = post_pairs(&app, "/aanmelden", team, &form).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains("Dit BSN is bekend met andere gegevens"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Zoë de Vries-Çelik"));
    assert!(r.body.contains("Zoey de Vries"));
    assert!(r.body.contains("01-04-1990"));
    assert!(
        !r.body.contains("name=\"bevestig_gegevens\""),
        "no new case beside an open one"
    );
    // The API says the same, with the known person.
    let json = serde_json::json!({
        "persoon": {"bsn": bsn, "voornaam": "Zoey", "achternaam": "de Vries", "geboortedatum": "1990-04-01"},
        "regio": "centraal-gelderland", "herkomst_gemeente": "GM0202", "melder": "zelf",
        "woonsituatie": "dakloos", "urgentie": "urgent"
    });
    let req = app
        .as_user(Request::post("/api/clienten"), team)
        .header("content-type", "application/json")
        .body(Body::from(json.to_string()))
        .unwrap();
    let r = support::send(&app, req).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let v = r.json();
    assert_eq!(v["code"], "aanmelding.bsn_andere_gegevens");
    assert_eq!(v["bekende_persoon"]["geboortedatum"], "1990-04-01");

    // Closed case: the clerk chooses "same person", the new aanmelding goes into the dossier.
    close_case(&app, 1, 1);
    let r = post_pairs(&app, "/aanmelden", team, &form).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("name=\"bevestig_gegevens\""), "{}", r.body);
    let mut confirmed = form.clone();
    confirmed.push(("bevestig".into(), "1".into()));
    confirmed.push(("bevestig_gegevens".into(), "1".into()));
    let r = post_pairs(&app, "/aanmelden", team, &confirmed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/clienten/P00000001?melding=heraangemeld");
    // Same name written differently (case, accents): no warning, the usual confirmation.
    close_case(&app, 1, 4);
    let same = aanmelding(
        &bsn,
        "ZOE",
        "de vries-celik",
        "1990-04-01",
        "centraal-gelderland",
        "GM0202",
    );
    let r = post_pairs(&app, "/aanmelden", team, &same).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("Er bestaat al een cliënt met dit BSN"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("andere gegevens"));
}

#[tokio::test]
async fn a_known_person_from_another_region_can_be_registered() {
    let (_d, app, zoe) = world();
    let nr = "toegang-nijmegen-rivierenland";
    let bsn = zoe.bsn.digits();
    let form = aanmelding(
        &bsn,
        "Zoë",
        "de Vries-Çelik",
        "1990-04-01",
        "nijmegen-rivierenland",
        "GM0268",
    );
    // Open case in Centraal Gelderland: whom to contact (at the BSN field), no way
    // forward, no client number.
    let r = post_pairs(&app, "/aanmelden", nr, &form).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(!r.body.contains("P00000001"), "{}", r.body);
    assert!(r.body.contains("neem contact op met de toegang van"));
    assert!(r.body.contains("Centraal Gelderland"));
    assert!(!r.body.contains("name=\"bevestig\""));
    // Closed: the region is named, and the clerk can register the new application.
    close_case(&app, 1, 1);
    let r = post_pairs(&app, "/aanmelden", nr, &form).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body
            .contains("afgesloten casus onder Regio Centraal Gelderland")
            || r.body
                .contains("afgesloten casus onder Centraal Gelderland"),
        "{}",
        r.body
    );
    assert!(r.body.contains("name=\"bevestig\""));
    // A client number alone (the API's event route) never opens another region's stream.
    let fact = serde_json::json!({
        "expected_version": 3,
        "gebeurtenis": {"type": "aanmelding", "regio": "nijmegen-rivierenland", "melder": "zelf",
            "herkomst_gemeente": "GM0268", "woonsituatie": "dakloos", "urgentie": "urgent"}
    });
    let req = app
        .as_user(Request::post("/api/clienten/P00000001/gebeurtenissen"), nr)
        .header("content-type", "application/json")
        .body(Body::from(fact.to_string()))
        .unwrap();
    let r = support::send(&app, req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let mut confirmed = form.clone();
    confirmed.push(("bevestig".into(), "1".into()));
    let r = post_pairs(&app, "/aanmelden", nr, &confirmed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/clienten/P00000001?melding=heraangemeld");
    // The dossier is now Nijmegen's: the same person, the earlier history kept, nothing
    // copied (one dossier).
    let r = get(&app, "/clienten/P00000001", nr).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Zoë de Vries-Çelik"));
    let rec = off_runtime(|| {
        app.state
            .store()
            .read_client(&AccessGate::system("test"), ClientId(1))
            .unwrap()
    });
    assert_eq!(rec.state.regio.as_str(), "nijmegen-rivierenland");
    assert_eq!(
        rec.events
            .iter()
            .filter(|e| e.event.kind() == "aanmelding")
            .count(),
        2
    );
    let r = get(&app, "/clienten/P00000001", "toegang-centraal-gelderland").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Someone who may not register in the region learns nothing.
    let r = post_pairs(&app, "/aanmelden", "toegang-drechtsteden", &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
