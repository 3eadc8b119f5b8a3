//! The region's woningafspraken page `/regio/{id}/woningafspraken` (issue 15) through the
//! router: who sees and who enters (page, CSV, POST), the realisation of the profile's
//! agreements from a written-out history (exact for the access team, small numbers
//! suppressed for the policy roles), the spreiding row, an agreement added with its
//! source and shown, bad input refused at its field with nothing written, a double submit
//! stored once.

mod support;
use support::{Reply, TestApp, send};

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tempfile::TempDir;
use vangnet_domain::events::{
    Bestemming, Leveringsvorm, Melder, Urgentie, Woningtype, WoonRoute, Woonbehoefte,
    Woonbestemming, Woonsituatie,
};
use vangnet_domain::region::{Domain, Unit};
use vangnet_domain::{ClientEvent, ClientId, Date, GemeenteCode, RegionId, Regions, access};
use vangnet_store::{AccessGate, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

const REGION: &str = "nijmegen-rivierenland";
const TEAM: &str = "toegang-nijmegen-rivierenland";
const PATH: &str = "/regio/nijmegen-rivierenland/woningafspraken";
const CSV: &str = "/regio/nijmegen-rivierenland/woningafspraken.csv";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn nr() -> RegionId {
    RegionId::parse(REGION).unwrap()
}

fn g(s: &str) -> GemeenteCode {
    GemeenteCode::parse(s).unwrap()
}

/// One client in Nijmegen: in care January 2025, uitstroomklaar 1 Feb, a Housing First
/// offer by Waalstad in Nijmegen 3 Mar, accepted, tenancy 1 Apr, moved 15 Apr, care ended
/// 20 Apr to a Housing First studio in Nijmegen.
fn world() -> (TempDir, Arc<dyn Store>, TestApp) {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("w.sqlite"), Regions::builtin()).unwrap());
    let p = store.regions().get(&nr()).unwrap().clone();
    let on = d("2025-01-01");
    let (product, locatie) = p
        .products
        .iter()
        .filter(|q| q.domain == Domain::Bw && q.unit == Unit::Plaats && q.valid_on(on))
        .find_map(|q| {
            p.locations
                .iter()
                .find(|l| l.places.get(&q.code).is_some_and(|n| *n >= 10))
                .map(|l| (q.code.clone(), l.id.clone()))
        })
        .unwrap();
    let events = vec![
        (
            "2025-01-02",
            ClientEvent::Aanmelding {
                regio: nr(),
                melder: Melder::Zelf,
                herkomst_gemeente: Some(g("GM0268")),
                woonsituatie: Woonsituatie::Dakloos,
                urgentie: Urgentie::Regulier,
                voordeur: None,
            },
        ),
        (
            "2025-01-03",
            ClientEvent::Toewijzing {
                product: product.clone(),
                start: d("2025-01-03"),
                einde: d("2026-12-31"),
                leveringsvorm: Leveringsvorm::Zin,
                aanbieder: None,
            },
        ),
        (
            "2025-01-10",
            ClientEvent::StartZorg {
                product,
                locatie,
                overbezetting: None,
            },
        ),
        ("2025-02-01", ClientEvent::Uitstroomklaar),
        (
            "2025-02-01",
            ClientEvent::Woonbehoefte(Woonbehoefte {
                woningtype: Woningtype::Studio,
                prikkelarm: false,
                gemeenten: vec![g("GM0268")],
                ambulante_begeleiding: true,
                route: WoonRoute::HousingFirst,
                verwacht_klaar: None,
            }),
        ),
        (
            "2025-03-03",
            ClientEvent::Woningaanbod {
                corporatie: "waalstad".into(),
                gemeente: g("GM0268"),
                woningtype: Woningtype::Studio,
                route: WoonRoute::HousingFirst,
                reageren_voor: d("2025-03-17"),
            },
        ),
        (
            "2025-03-10",
            ClientEvent::AanbodAntwoord {
                aanbod: 6,
                akkoord: true,
                reden: String::new(),
            },
        ),
        (
            "2025-04-01",
            ClientEvent::Huurovereenkomst {
                aanbod: 6,
                ingangsdatum: d("2025-04-15"),
            },
        ),
        ("2025-04-15", ClientEvent::Verhuizing { aanbod: 6 }),
        (
            "2025-04-20",
            ClientEvent::EindeZorg {
                bestemming: Bestemming::HousingFirst,
                woning: Some(Woonbestemming {
                    gemeente: g("GM0268"),
                    woningtype: Woningtype::Studio,
                }),
            },
        ),
    ];
    store
        .append(
            &AccessGate::system("test"),
            vangnet_store::AppendCommand {
                client: ClientId(1),
                expected_version: None,
                idempotency_key: None,
                events: events.into_iter().map(|(on, e)| (d(on), e)).collect(),
                person: Some(vangnet_domain::person::synthetic_person(
                    &mut vangnet_domain::rng::Rng::new(1),
                    1,
                    d("1990-04-01"),
                )),
            },
        )
        .expect("the history is accepted");
    let app = TestApp::new(AppState::new(Arc::clone(&store)).with_today(d("2026-06-30")));
    (dir, store, app)
}

async fn get(app: &TestApp, path: &str, user: &str) -> Reply {
    send(
        &app.router,
        app.as_user(Request::get(path), user)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(app: &TestApp, user: &str, fields: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    send(
        &app.router,
        app.as_user(Request::post(PATH), user)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// The cells of table `id` as text, tags stripped.
fn table_rows(body: &str, id: &str) -> Vec<Vec<String>> {
    let start = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let end = start + body[start..].find("</table>").unwrap();
    let tbody = &body[start..end];
    let tbody = &tbody[tbody.find("<tbody>").unwrap()..];
    tbody
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let mut cells: Vec<String> = Vec::new();
            for (tag, text) in row.split('<').filter_map(|part| part.split_once('>')) {
                if tag.starts_with("td") || tag.starts_with("th") {
                    cells.push(text.to_owned());
                } else if let Some(last) = cells.last_mut() {
                    last.push_str(text);
                }
            }
            cells
                .into_iter()
                .map(|c| {
                    c.replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&amp;", "&")
                        .replace("&#39;", "'")
                        .trim()
                        .to_owned()
                })
                .collect()
        })
        .collect()
}

fn stored(store: &dyn Store) -> usize {
    store.woningafspraken(&nr()).unwrap().len()
}

#[tokio::test]
async fn who_sees_and_who_enters() {
    let (_dir, store, app) = world();
    let profile = store.regions().get(&nr()).unwrap().clone();
    for u in vangnet_web::demo_users(store.regions()) {
        let view = access::may_view_woningafspraken_of(&u.actor, &profile);
        for path in [PATH, CSV] {
            let r = get(&app, path, &u.id).await;
            let want = if view {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(r.status, want, "{} {path}", u.id);
        }
        // An empty form: 422 at the fields for who may enter, 403 otherwise; nothing written.
        let r = post(&app, &u.id, &[("csrf", &app.csrf(&u.id))]).await;
        let want = if access::may_enter_woningafspraken_of(&u.actor, &profile) {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(r.status, want, "POST {}", u.id);
    }
    assert_eq!(stored(&*store), 0);
}

#[tokio::test]
async fn realisation_and_spreiding_of_2025() {
    let (_dir, _store, app) = world();
    let path = format!("{PATH}?jaar=2025");
    let team = get(&app, &path, TEAM).await;
    assert_eq!(team.status, StatusCode::OK);
    let rows = table_rows(&team.body, "afspraken-realisatie");
    // The profile: the 6% Nijmegen 120 with Housing First Nijmegen 10 nested under it (part
    // of it); the 6% Wijchen 24; the total counts 120 + 24 = 144, not 154.
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(
        rows[1][..13],
        [
            "↳ Nijmegen",
            "alle corporaties",
            "Housing First",
            "Housing First",
            "10",
            "1",
            "1",
            "0",
            "1",
            "0",
            "9",
            "10,0 %",
            "10,0"
        ]
    );
    assert_eq!(
        rows[1][13],
        "Nijmegen — alle corporaties — alle routes: bijzondere doelgroepen (6%-afspraak Rijk van Nijmegen, aantal afgeleid)"
    );
    assert_eq!(rows[0][..1], ["Nijmegen"]);
    assert_eq!(
        rows[0][4..12],
        ["120", "1", "1", "0", "1", "0", "119", "0,8 %"]
    );
    assert_eq!(
        rows[2][4..12],
        ["24", "0", "0", "0", "0", "0", "24", "0,0 %"]
    );
    assert_eq!(rows[3][0], "Totaal (zonder onderdelen)");
    assert_eq!(rows[3][4], "144");
    assert!(rows[1][14].starts_with("bron: seed 000"));
    assert!(rows[0][14].starts_with("aanname:"));
    let spreiding = table_rows(&team.body, "afspraken-spreiding");
    let nijmegen = spreiding.iter().find(|r| r[0] == "Nijmegen").unwrap();
    // 1 of 1 outflow; 120 of 144 agreed homes (Housing First's 10 are part of the 120);
    // 187,011 of 534,672 inhabitants.
    assert_eq!(
        nijmegen[1..],
        ["1", "100,0 %", "120", "83,3 %", "187011", "35,0 %"]
    );
    // A policy role: the small counts suppressed, no percentage behind them.
    let beleid = get(&app, &path, "beleidsmedewerker").await;
    let rows = table_rows(&beleid.body, "afspraken-realisatie");
    assert_eq!(rows[1][4..12], ["10", "<5", "<5", "0", "<5", "0", "—", "—"]);
    assert!(beleid.body.contains("U ziet gepubliceerde cijfers"));
    // The CSV has the same realisation rows (and the month and spreiding tables).
    let csv = get(&app, &format!("{CSV}?jaar=2025"), TEAM).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.contains(
            "↳ Nijmegen;alle corporaties;Housing First;Housing First;10;1;1;0;1;0;9;10,0 %"
        ),
        "{}",
        csv.body
    );
    let csv = get(&app, &format!("{CSV}?jaar=2025&tabel=spreiding"), TEAM).await;
    assert!(
        csv.body
            .contains("Nijmegen;1;100,0 %;120;83,3 %;187011;35,0 %"),
        "{}",
        csv.body
    );
    let bad = get(&app, &format!("{CSV}?tabel=alles"), TEAM).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_policy_officer_adds_an_agreement_and_bad_input_writes_nothing() {
    let (_dir, store, app) = world();
    let user = "beleidsmedewerker";
    let csrf = app.csrf(user);
    let good = [
        ("csrf", csrf.as_str()),
        ("gemeente", "GM0268"),
        ("corporatie", "waalstad"),
        ("jaar", "2026"),
        ("route", "housing_first"),
        ("woningen", "12"),
        ("soort", "Housing First Waalstad"),
        ("herkomst_soort", "bron"),
        (
            "herkomst",
            "seed 000 thema 1: 'circa 10 woningen per jaar', opgehoogd (fictief)",
        ),
    ];
    let with = |k: &str, v: &'static str| {
        let mut f = good.to_vec();
        for x in f.iter_mut() {
            if x.0 == k {
                x.1 = v;
            }
        }
        f
    };
    for (field, value, message) in [
        ("woningen", "-3", "niet negatief"),
        ("gemeente", "GM0202", "geen gemeente van"),
        ("corporatie", "rivierhuis", "geen woningen in"),
        ("jaar", "", "vul het jaar"),
        ("jaar", "1999", "buiten 2015"),
        ("herkomst", "", "noem de bron"),
    ] {
        let r = post(&app, user, &with(field, value)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}"
        );
        assert!(
            r.body.contains(&format!("id=\"fout-afspraak-{field}\""))
                || r.body.contains(&format!("#afspraak-{field}")),
            "{field}: error not at its field"
        );
        assert!(r.body.contains(message), "{field}={value}: {message}");
        assert_eq!(stored(&*store), 0, "{field}={value}");
    }
    let r = post(&app, user, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().contains("melding=opgeslagen"),
        "{}",
        r.location()
    );
    // A double click: stored once.
    let again = post(&app, user, &good).await;
    assert!(again.location().contains("melding=al-vastgelegd"));
    assert_eq!(stored(&*store), 1);
    let page = get(&app, &format!("{PATH}?jaar=2026"), user).await;
    let rows = table_rows(&page.body, "afspraken-realisatie");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        rows[1][..5],
        ["Totaal (zonder onderdelen)", "", "", "", "12"]
    );
    assert_eq!(
        rows[0][..5],
        [
            "Nijmegen",
            "Waalstad Wonen (fictief)",
            "Housing First",
            "Housing First Waalstad",
            "12"
        ]
    );
    assert!(
        rows[0][15].starts_with("vastgelegd door beleidsmedewerker"),
        "{:?}",
        rows[0]
    );
}

/// Other groups' use of the 6 % share: recorded by the policy officer with its source, shown
/// per agreement (agreed, BW/MO, others, left) and in the CSV; bad input refused at its
/// field with nothing written; more than agreed recorded with a warning; an agreement
/// linked as part of another is nested and not counted twice.
#[tokio::test]
async fn use_by_other_groups_and_parts_of_agreements() {
    let (_dir, store, app) = world();
    let user = "beleidsmedewerker";
    let csrf = app.csrf(user);
    let good = [
        ("csrf", csrf.as_str()),
        ("formulier", "gebruik"),
        ("afspraak", "GM0268/2025/*/*"),
        ("maand", "2025-03"),
        ("doelgroep", "statushouders"),
        ("aantal", "30"),
        ("herkomst_soort", "bron"),
        ("herkomst", "opgave Waalstad over maart 2025 (fictief)"),
    ];
    let with = |k: &str, v: &'static str| {
        let mut f = good.to_vec();
        for x in f.iter_mut() {
            if x.0 == k {
                x.1 = v;
            }
        }
        f
    };
    let n = |store: &dyn Store| store.ander_gebruik(&nr()).unwrap().len();
    for (field, value, message) in [
        (
            "afspraak",
            "GM0268/2025/waalstad/*",
            "geen afspraak GM0268/2025/waalstad/*",
        ),
        ("afspraak", "", "kies een afspraak"),
        (
            "maand",
            "2026-03",
            "valt buiten het jaar van de afspraak (2025)",
        ),
        ("maand", "maart", "geen maand"),
        ("aantal", "-4", "niet negatief"),
        ("aantal", "veel", "een heel getal"),
        ("doelgroep", "", "noem de doelgroep"),
        ("herkomst", "", "noem de bron"),
    ] {
        let r = post(&app, user, &with(field, value)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}"
        );
        assert!(
            r.body.contains(&format!("id=\"fout-gebruik-{field}\"")),
            "{field}={value}: error not at its field"
        );
        assert!(r.body.contains(message), "{field}={value}: {message}");
        assert_eq!(n(&*store), 0, "{field}={value}");
    }
    let r = post(&app, user, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().contains("melding=gebruik-opgeslagen"),
        "{}",
        r.location()
    );
    let again = post(&app, user, &good).await;
    assert!(again.location().contains("melding=gebruik-al-vastgelegd"));
    let year = [
        ("csrf", csrf.as_str()),
        ("formulier", "gebruik"),
        ("afspraak", "GM0268/2025/*/*"),
        ("maand", "2025"),
        ("doelgroep", "mantelzorg"),
        ("aantal", "12"),
        ("herkomst_soort", "aanname"),
        ("herkomst", "schatting regio-overleg (fictief)"),
    ];
    assert_eq!(post(&app, user, &year).await.status, StatusCode::SEE_OTHER);
    assert_eq!(n(&*store), 2);
    let page = get(&app, &format!("{PATH}?jaar=2025"), TEAM).await;
    let rows = table_rows(&page.body, "afspraken-realisatie");
    // 120 agreed, 1 tenancy, 30 + 12 others: 77 left. The total row sums the others of
    // agreements that are not part of another: 42.
    assert_eq!(rows[0][4..11], ["120", "1", "1", "0", "1", "42", "77"]);
    assert_eq!(rows[3][9], "42");
    let g = table_rows(&page.body, "afspraken-gebruik");
    assert_eq!(g.len(), 2, "{g:?}");
    assert_eq!(g[0][1..4], ["maart 2025", "statushouders", "30"]);
    assert_eq!(g[1][1..4], ["heel 2025", "mantelzorg", "12"]);
    assert!(!page.body.contains("id=\"boven-afspraak\""));
    let csv = get(&app, &format!("{CSV}?jaar=2025"), TEAM).await;
    assert!(
        csv.body.contains(";120;1;1;0;1;42;77;0,8 %;"),
        "{}",
        csv.body
    );
    let csv = get(&app, &format!("{CSV}?jaar=2025&tabel=gebruik"), TEAM).await;
    assert!(
        csv.body
            .contains(";maart 2025;statushouders;30;bron: opgave Waalstad"),
        "{}",
        csv.body
    );
    // 80 overig in May: 122 of 120 used — recorded, with a warning.
    let meer = [
        ("csrf", csrf.as_str()),
        ("formulier", "gebruik"),
        ("afspraak", "GM0268/2025/*/*"),
        ("maand", "2025-05"),
        ("doelgroep", "overig"),
        ("aantal", "80"),
        ("herkomst_soort", "bron"),
        ("herkomst", "opgave Waalstad over mei 2025 (fictief)"),
    ];
    let r = post(&app, user, &meer).await;
    assert!(
        r.location().contains("melding=gebruik-boven-afspraak"),
        "{}",
        r.location()
    );
    assert_eq!(n(&*store), 3);
    let page = get(&app, &format!("{PATH}?jaar=2025"), TEAM).await;
    assert_eq!(
        table_rows(&page.body, "afspraken-realisatie")[0][9..11],
        ["122", "-3"]
    );
    assert!(page.body.contains("id=\"boven-afspraak\""));
    assert!(page.body.contains("3 meer dan afgesproken"));
    // A Waalstad regular-route agreement of 5 as part of the 6 %: nested, total stays 144.
    let csrf = app.csrf(user);
    let deel = [
        ("csrf", csrf.as_str()),
        ("gemeente", "GM0268"),
        ("corporatie", "waalstad"),
        ("jaar", "2025"),
        ("route", "regulier"),
        ("woningen", "5"),
        ("soort", "bijzondere bemiddeling Waalstad"),
        ("onderdeel_van", "GM0268/2025/*/*"),
        ("herkomst_soort", "aanname"),
        ("herkomst", "fictief"),
    ];
    assert_eq!(post(&app, user, &deel).await.status, StatusCode::SEE_OTHER);
    let page = get(&app, &format!("{PATH}?jaar=2025"), TEAM).await;
    let rows = table_rows(&page.body, "afspraken-realisatie");
    assert_eq!(
        rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        [
            "Nijmegen",
            "↳ Nijmegen",
            "↳ Nijmegen",
            "Wijchen",
            "Totaal (zonder onderdelen)"
        ]
    );
    assert_eq!(rows[4][4], "144");
    // Linking it to itself or to Wijchen's agreement: refused at the field, nothing written.
    let before = stored(&*store);
    for (value, message) in [
        (
            "GM0268/2025/waalstad/regulier",
            "geen onderdeel van zichzelf",
        ),
        ("GM0296/2025/*/*", "van dezelfde gemeente"),
    ] {
        let mut f = deel.to_vec();
        for x in f.iter_mut() {
            if x.0 == "onderdeel_van" {
                x.1 = value;
            }
        }
        let r = post(&app, user, &f).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{value}");
        assert!(
            r.body.contains("id=\"fout-afspraak-onderdeel_van\""),
            "{value}"
        );
        assert!(r.body.contains(message), "{value}: {message}");
    }
    assert_eq!(stored(&*store), before);
    // The corporation may not record other groups' use.
    let corp = "woningcorporatie";
    let c = app.csrf(corp);
    let mut f = good.to_vec();
    f[0].1 = c.as_str();
    assert_eq!(post(&app, corp, &f).await.status, StatusCode::FORBIDDEN);
    assert_eq!(n(&*store), 3);
}
