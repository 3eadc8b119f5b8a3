//! feat/toegang (issue 14): the access team's free places with ranked candidates and
//! "Voorstellen" (who may, a double click stores one proposal, a full location refused), the
//! answers to provider requests (approve = the wijziging and the answer in one append, refuse
//! needs a reason) and to the local door's advice questions, the wijkteam's screens (own
//! residents only; acting outside its gemeente refused, nothing written, logged), and the
//! dossier's op-/afschaal forms and needs — each on SQLite and on PostgreSQL (when
//! `VANGNET_TEST_DATABASE_URL` names a test server).

mod support;
use support::{Reply, TestApp, off_runtime, send};

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tempfile::TempDir;
use vangnet_domain::events::{
    Advies, Behoefte, Leveringsvorm, Melder, Urgentie, Wijziging, Woonsituatie,
};
use vangnet_domain::{
    Actor, AgbCode, ClientEvent, ClientId, Date, GemeenteCode, LocationId, Organisation,
    ProductCode, RegionId, Regions, Role,
};
use vangnet_store::conformance::write_new;
use vangnet_store::{AccessGate, AppendCommand, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

const CLERK: &str = "toegang-centraal-gelderland";
/// The wijkteam of Arnhem (GM0202), Centraal Gelderland's centrumgemeente.
const WIJKTEAM: &str = "wijkteam-centraal-gelderland";
const REGION: &str = "/regio/centraal-gelderland/vrije-plaatsen";

fn today() -> Date {
    Date::parse("2026-06-30").unwrap()
}

fn aanmelding(herkomst: &str) -> ClientEvent {
    ClientEvent::Aanmelding {
        regio: RegionId::parse("centraal-gelderland").unwrap(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: Some(GemeenteCode::parse(herkomst).unwrap()),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    }
}

fn beoordeling(behoeften: Vec<Behoefte>) -> ClientEvent {
    ClientEvent::Beoordeling {
        criteria: vec![],
        zrm: [Some(3); vangnet_domain::events::ZRM_DOMAINS],
        doelgroep: None,
        advies: Advies::Toewijzen,
        behoeften,
    }
}

fn toewijzing(product: &str, on: Date) -> ClientEvent {
    ClientEvent::Toewijzing {
        product: ProductCode::parse(product).unwrap(),
        start: on,
        einde: on.add_days(700),
        leveringsvorm: Leveringsvorm::Zin,
        aanbieder: None,
    }
}

/// A client of `herkomst` waiting for beschermd wonen since `since`.
fn waiting(
    herkomst: &str,
    since: &'static str,
    prio: u8,
    behoeften: Vec<Behoefte>,
) -> Vec<(&'static str, ClientEvent)> {
    let on = Date::parse(since).unwrap();
    vec![
        (since, aanmelding(herkomst)),
        (since, beoordeling(behoeften)),
        (since, toewijzing("bw-beschermd-wonen", on)),
        (
            since,
            ClientEvent::WachtlijstIn {
                product: ProductCode::parse("bw-beschermd-wonen").unwrap(),
                prioriteit: prio,
            },
        ),
    ]
}

/// A client of Arnhem in care at `locatie` since `since`.
fn in_care(locatie: &str, since: &'static str) -> Vec<(&'static str, ClientEvent)> {
    let on = Date::parse(since).unwrap();
    vec![
        (since, aanmelding("GM0202")),
        (since, beoordeling(vec![])),
        (since, toewijzing("bw-beschermd-wonen", on)),
        (
            since,
            ClientEvent::StartZorg {
                product: ProductCode::parse("bw-beschermd-wonen").unwrap(),
                locatie: LocationId::parse(locatie).unwrap(),
                overbezetting: None,
            },
        ),
    ]
}

/// 1: Duiven, waiting since March; 2: Arnhem, urgent, needs lvb (Veluwezoom Lingewaard
/// cannot serve it); 3: in care at Rijnbeschut Arnhem Centrum, its provider asks to scale
/// up to intensief; 4: an Arnhem resident, applied; 5: a Duiven resident, applied;
/// 11–18: in care at Lokale BW-locatie Duiven (8 places: full).
fn seed(store: &dyn Store) {
    write_new(store, 1, waiting("GM0226", "2026-03-01", 0, vec![]));
    write_new(
        store,
        2,
        waiting("GM0202", "2026-05-01", 1, vec![Behoefte::Lvb]),
    );
    write_new(
        store,
        3,
        in_care("rijnbeschut-arnhem-centrum", "2026-01-10"),
    );
    write_new(store, 4, vec![("2026-06-20", aanmelding("GM0202"))]);
    write_new(store, 5, vec![("2026-06-20", aanmelding("GM0226"))]);
    for id in 11..=18 {
        write_new(store, id, in_care("liemers-duiven", "2026-02-01"));
    }
    // The provider of client 3 asks to scale up (as the provider).
    let provider = AccessGate::new(
        Actor {
            user: "m.bakker".into(),
            role: Role::Zorgaanbieder,
            organisation: Organisation::Aanbieder(AgbCode::parse("98000101").unwrap()),
        },
        "verzoek om wijziging",
    );
    store
        .append(
            &provider,
            AppendCommand {
                client: ClientId(3),
                expected_version: Some(4),
                idempotency_key: None,
                events: vec![(
                    Date::parse("2026-06-25").unwrap(),
                    ClientEvent::VerzoekWijziging {
                        aanbieder: AgbCode::parse("98000101").unwrap(),
                        wijziging: Wijziging::Opschalen {
                            product: ProductCode::parse("bw-intensief").unwrap(),
                            locatie: None,
                        },
                        reden: "meer begeleiding nodig".into(),
                    },
                )],
                person: None,
            },
        )
        .expect("the provider may ask");
}

/// The application over a seeded store.
struct World {
    _dir: Option<TempDir>,
    store: Arc<dyn Store>,
    app: TestApp,
}

fn over(store: Arc<dyn Store>, dir: Option<TempDir>) -> World {
    seed(&*store);
    World {
        _dir: dir,
        app: TestApp::new(AppState::new(Arc::clone(&store)).with_today(today())),
        store,
    }
}

fn world() -> World {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("v.sqlite"), Regions::builtin()).unwrap());
    over(store, Some(dir))
}

/// The same over PostgreSQL in a fresh schema (`None` when no test server is configured).
fn world_pg(schema: &str) -> Option<World> {
    let url = vangnet_store_postgres::testing::test_database_url()?;
    let url = vangnet_store_postgres::testing::reset_schema(&url, schema).unwrap();
    let store: Arc<dyn Store> =
        Arc::new(vangnet_store_postgres::PostgresStore::connect(&url, Regions::builtin()).unwrap());
    Some(over(store, None))
}

/// A test body on SQLite (`$sqlite`) and on PostgreSQL (`$pg`, when a test server is
/// configured; the store is built outside the runtime: its client blocks).
macro_rules! on_both_engines {
    ($body:ident, $sqlite:ident, $pg:ident, $schema:literal) => {
        #[tokio::test]
        async fn $sqlite() {
            let w = world();
            $body(&w.store, &w.app).await;
        }
        #[test]
        fn $pg() {
            if let Some(w) = world_pg($schema) {
                tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on($body(&w.store, &w.app));
                drop(w);
            }
        }
    };
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
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

async fn post(app: &TestApp, path: &str, user: &str, pairs: &[(&str, &str)]) -> Reply {
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    send(
        &app.router,
        app.as_user(Request::post(path), user)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn events(store: &Arc<dyn Store>, client: u64) -> Vec<vangnet_domain::RecordedEvent> {
    off_runtime(|| {
        store
            .read_client(&AccessGate::system("test"), ClientId(client))
            .unwrap()
            .events
    })
}

fn version(store: &Arc<dyn Store>, client: u64) -> u32 {
    off_runtime(|| {
        store
            .read_client(&AccessGate::system("test"), ClientId(client))
            .unwrap()
            .state
            .version
    })
}

/// The part of `body` from the element with `id` to the end of its table or list.
fn part<'a>(body: &'a str, id: &str, end: &str) -> &'a str {
    let start = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element {id}"));
    let len = body[start..].find(end).unwrap_or(body.len() - start);
    &body[start..start + len]
}

async fn free_places_rank_candidates_and_a_double_click_proposes_once(
    store: &Arc<dyn Store>,
    app: &TestApp,
) {
    // Who may: the region's access team only.
    for user in [WIJKTEAM, "zorgaanbieder", "toegang-drechtsteden"] {
        assert_eq!(
            get(app, REGION, user).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
    }
    let r = get(app, REGION, CLERK).await;
    assert_eq!(r.status, StatusCode::OK);
    let row = part(&r.body, "plaatsen", "</table>");
    assert!(row.contains("data-locatie=\"liemers-duiven\""));
    // A provider's free-place report is listed with a link to the place's candidates.
    off_runtime(|| {
        store
            .report_free_place(
                &vangnet_store::conformance::clerk(),
                &RegionId::parse("centraal-gelderland").unwrap(),
                &vangnet_domain::plaatsen::PlaatsMelding {
                    locatie: LocationId::parse("veluwezoom-lingewaard").unwrap(),
                    product: ProductCode::parse("bw-beschermd-wonen").unwrap(),
                    datum: today(),
                    aantal: 1,
                    toelichting: "kamer vrijgekomen".into(),
                },
            )
            .unwrap()
    });
    let r = get(app, REGION, CLERK).await;
    let meldingen = part(&r.body, "meldingen", "</ul>");
    assert!(meldingen.contains("kamer vrijgekomen"));
    assert!(meldingen.contains("locatie=veluwezoom-lingewaard&amp;product=bw-beschermd-wonen"));
    // Lingewaard cannot serve lvb: client 2 (urgent) is listed apart, with the need named.
    let place = format!("{REGION}?locatie=veluwezoom-lingewaard&product=bw-beschermd-wonen");
    let r = get(app, &place, CLERK).await;
    assert_eq!(r.status, StatusCode::OK);
    let ranked = part(&r.body, "kandidaten", "</table>");
    assert!(
        ranked.contains(&format!("/clienten/P{:08}\"", 1)),
        "client 1 ranked"
    );
    assert!(
        !ranked.contains(&format!("/clienten/P{:08}\"", 2)),
        "client 2 not proposed"
    );
    let apart = part(&r.body, "niet-geschikt", "</ul>");
    assert!(apart.contains(&format!("/clienten/P{:08}\"", 2)));
    assert!(apart.contains("licht verstandelijke beperking"));
    // Propose client 1 twice with the same form (a double click): one proposal.
    let v = version(store, 1).to_string();
    let form = [
        ("client", "P1"),
        ("versie", v.as_str()),
        ("sleutel", "voorstel-1"),
        ("locatie", "veluwezoom-lingewaard"),
        ("product", "bw-beschermd-wonen"),
    ];
    let first = post(app, REGION, CLERK, &form).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    assert!(first.location().contains("melding=voorgesteld"));
    let second = post(app, REGION, CLERK, &form).await;
    assert_eq!(second.status, StatusCode::SEE_OTHER);
    assert!(second.location().contains("melding=dubbel"));
    let proposals: Vec<_> = events(store, 1)
        .into_iter()
        .filter(|e| matches!(e.event, ClientEvent::Voorstel { .. }))
        .collect();
    assert_eq!(proposals.len(), 1, "one proposal for two clicks");
    match &proposals[0].event {
        ClientEvent::Voorstel { geldig_tot, .. } => {
            assert_eq!(*geldig_tot, today().add_days(7), "5 werkdagen ≈ 7 days")
        }
        _ => unreachable!(),
    }
    // The page counts the place as reserved and marks the client.
    let r = get(app, &place, CLERK).await;
    assert!(
        r.body.contains("50 plaatsen, 0 bezet, 1 gereserveerd"),
        "{}",
        part(&r.body, "kandidaten-sectie", "</p>")
    );
    assert!(part(&r.body, "kandidaten", "</table>").contains("al voorgesteld voor deze plaats"));
}

async fn a_full_location_says_so_and_proposes_nothing(store: &Arc<dyn Store>, app: &TestApp) {
    let place = format!("{REGION}?locatie=liemers-duiven&product=bw-beschermd-wonen");
    let r = get(app, &place, CLERK).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"locatie-vol\""));
    assert!(r.body.contains("Lokale BW-locatie Duiven is vol"));
    assert!(!part(&r.body, "kandidaten", "</table>").contains("Voorstellen:"));
    let before = version(store, 1);
    let v = before.to_string();
    let r = post(
        app,
        REGION,
        CLERK,
        &[
            ("client", "P1"),
            ("versie", v.as_str()),
            ("sleutel", "voorstel-vol"),
            ("locatie", "liemers-duiven"),
            ("product", "bw-beschermd-wonen"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("is vol"), "{}", r.body);
    assert_eq!(version(store, 1), before, "nothing written");
    // An unknown location: 422 at the field.
    let r = get(
        app,
        &format!("{REGION}?locatie=nergens&product=bw-beschermd-wonen"),
        CLERK,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Onbekende locatie in deze regio: nergens"));
}

async fn approving_a_request_records_the_change_and_the_answer_in_one_append(
    store: &Arc<dyn Store>,
    app: &TestApp,
) {
    // The open request is on /verzoeken with its term.
    let r = get(app, "/verzoeken", CLERK).await;
    assert_eq!(r.status, StatusCode::OK);
    let table = part(&r.body, "verzoeken", "</table>");
    assert!(table.contains(&format!("/clienten/P{:08}\"", 3)));
    assert!(table.contains("Verzoek om wijziging"));
    assert!(table.contains("09-07-2026"), "term: 25 June + 14 days");
    assert_eq!(
        get(app, "/verzoeken", WIJKTEAM).await.status,
        StatusCode::FORBIDDEN
    );
    let v = version(store, 3);
    let vs = v.to_string();
    let nummer = v.to_string(); // the request is the latest fact
    // Refusing without a reason: 422 at the field, nothing written.
    let r = post(
        app,
        "/verzoeken",
        CLERK,
        &[
            ("soort", "verzoek"),
            ("client", "P3"),
            ("versie", &vs),
            ("nummer", &nummer),
            ("sleutel", "antwoord-0"),
            ("uitkomst", "afgewezen"),
            ("toelichting", ""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Geef de reden van de afwijzing"));
    assert_eq!(version(store, 3), v, "nothing written");
    // The same refusal given in the dossier is shown in the dossier, at the answer.
    let r = post(
        app,
        "/verzoeken",
        CLERK,
        &[
            ("soort", "verzoek"),
            ("client", "P3"),
            ("versie", &vs),
            ("nummer", &nummer),
            ("sleutel", "antwoord-0b"),
            ("uitkomst", "afgewezen"),
            ("toelichting", ""),
            ("terug", "dossier"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Dossier P00000003"), "{}", r.body);
    let answers = part(&r.body, "kop-vd-verzoeken", "</section>");
    assert!(
        answers.contains("Geef de reden van de afwijzing"),
        "{answers}"
    );
    assert_eq!(version(store, 3), v, "nothing written");
    // Approve.
    let r = post(
        app,
        "/verzoeken",
        CLERK,
        &[
            ("soort", "verzoek"),
            ("client", "P3"),
            ("versie", &vs),
            ("nummer", &nummer),
            ("sleutel", "antwoord-1"),
            ("uitkomst", "toegekend"),
            ("toelichting", "akkoord"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ev = events(store, 3);
    assert_eq!(ev.len() as u32, v + 2, "two facts");
    let (a, b) = (&ev[ev.len() - 2], &ev[ev.len() - 1]);
    assert!(matches!(
        a.event,
        ClientEvent::Wijziging(Wijziging::Opschalen { .. })
    ));
    assert!(matches!(
        b.event,
        ClientEvent::VerzoekAntwoord { verzoek, .. } if verzoek == v
    ));
    assert_eq!(a.recorded_at, b.recorded_at, "one append");
    let state = off_runtime(|| {
        store
            .read_client(&AccessGate::system("test"), ClientId(3))
            .unwrap()
            .state
    });
    assert!(state.verzoeken.is_empty(), "answered");
    assert_eq!(state.zorg.unwrap().product.as_str(), "bw-intensief");
    let r = get(app, "/verzoeken", CLERK).await;
    assert!(
        r.body
            .contains("Er staan geen verzoeken of adviesvragen open.")
    );
}

async fn the_wijkteam_asks_advice_the_team_answers_and_the_wijkteam_sees_it(
    store: &Arc<dyn Store>,
    app: &TestApp,
) {
    // The start page: the model with its herkomst, own residents only.
    let r = get(app, "/wijkteam", WIJKTEAM).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("hybride"), "{}", r.body);
    assert!(r.body.contains("aanname"), "the model's herkomst is shown");
    let zaken = part(&r.body, "zaken", "</table>");
    assert!(
        zaken.contains(&format!("/clienten/P{:08}#", 4)),
        "own resident"
    );
    assert!(
        !zaken.contains(&format!("/clienten/P{:08}#", 5)),
        "Duiven's resident is not listed"
    );
    assert!(!zaken.contains(&format!("/clienten/P{:08}#", 1)));
    assert_eq!(
        get(app, "/wijkteam", CLERK).await.status,
        StatusCode::FORBIDDEN
    );
    // The dossier shows the local door's forms; ask advice.
    let r = get(app, "/clienten/P4", WIJKTEAM).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"lokale-toegang\""));
    assert!(
        r.body.contains("Beoordeling vastleggen"),
        "hybride: the local door assesses"
    );
    let v = version(store, 4).to_string();
    let r = post(
        app,
        "/clienten/P4/gebeurtenis",
        WIJKTEAM,
        &[
            ("soort", "advies_gevraagd"),
            ("versie", &v),
            ("sleutel", "advies-1"),
            ("vraag", "Past beschermd wonen of volstaat ambulant?"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // An empty question: 422 at the field, nothing written.
    let before = version(store, 4);
    let r = post(
        app,
        "/clienten/P4/gebeurtenis",
        WIJKTEAM,
        &[
            ("soort", "advies_gevraagd"),
            ("versie", &before.to_string()),
            ("sleutel", "advies-2"),
            ("vraag", ""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(version(store, 4), before);
    // The team sees the question with its term and answers it.
    let r = get(app, "/verzoeken", CLERK).await;
    let table = part(&r.body, "verzoeken", "</table>");
    assert!(table.contains("Adviesvraag wijkteam"));
    assert!(table.contains("Past beschermd wonen"));
    let r = post(
        app,
        "/verzoeken",
        CLERK,
        &[
            ("soort", "advies"),
            ("client", "P4"),
            ("versie", &before.to_string()),
            ("nummer", &before.to_string()),
            ("sleutel", "advies-antwoord"),
            ("advies", "Eerst ambulante begeleiding proberen."),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = get(app, "/clienten/P4", WIJKTEAM).await;
    let adviezen = part(&r.body, "adviezen", "</ul>");
    assert!(adviezen.contains("Eerst ambulante begeleiding proberen."));
}

async fn a_wijkteam_outside_its_gemeente_is_refused_nothing_written_and_logged(
    store: &Arc<dyn Store>,
    app: &TestApp,
) {
    let before = version(store, 5);
    let refused_of_5 = || {
        off_runtime(|| store.access_log(&AccessGate::system("test"), 5000).unwrap())
            .into_iter()
            .filter(|e| e.client == Some(ClientId(5)) && !e.allowed && e.role == "wijkteam")
            .collect::<Vec<_>>()
    };
    let refused_before = refused_of_5().len();
    let r = post(
        app,
        "/clienten/P5/gebeurtenis",
        WIJKTEAM,
        &[
            ("soort", "advies_gevraagd"),
            ("versie", &before.to_string()),
            ("sleutel", "buiten-1"),
            ("vraag", "Een vraag over een inwoner van Duiven"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("Geen toegang"), "{}", r.body);
    assert_eq!(version(store, 5), before, "nothing written");
    let refused = refused_of_5();
    assert_eq!(
        refused.len(),
        refused_before + 1,
        "exactly one refusal logged: {refused:?}"
    );
    // The form reads the record first: the gate refuses that read, with its reason.
    assert_eq!(refused[0].action, "lezen", "{:?}", refused[0]);
    assert_eq!(
        refused[0].reason,
        "wijkteam GM0202 ziet alleen de eigen inwoners"
    );
    // The store refuses the list of another gemeente's residents as a whole before counting
    // or reading any, the refusal logged (the page only ever asks for the wijkteam's own
    // gemeente).
    let arnhem = AccessGate::new(
        Actor {
            user: "wijkteam-arnhem".into(),
            role: Role::Wijkteam,
            organisation: Organisation::Gemeente(GemeenteCode::parse("GM0202").unwrap()),
        },
        "wijkteam: lopende zaken van eigen inwoners",
    );
    let refused = off_runtime(|| {
        store.resident_cases(
            &arnhem,
            &RegionId::parse("centraal-gelderland").unwrap(),
            GemeenteCode::parse("GM0226").unwrap(),
            0..50,
        )
    });
    assert!(
        matches!(refused, Err(vangnet_store::StoreError::Denied(_))),
        "{refused:?}"
    );
    let own = off_runtime(|| {
        store.resident_cases(
            &arnhem,
            &RegionId::parse("centraal-gelderland").unwrap(),
            GemeenteCode::parse("GM0202").unwrap(),
            0..50,
        )
    })
    .unwrap();
    assert!(own.shown.iter().any(|(s, _)| s.client == ClientId(4)));
    assert_eq!(own.total, own.shown.len());
    assert!(
        own.shown
            .iter()
            .all(|(s, _)| s.herkomst == GemeenteCode::parse("GM0202").ok())
    );
    let log = off_runtime(|| store.access_log(&AccessGate::system("test"), 1000).unwrap());
    let refusals: Vec<_> = log
        .iter()
        .filter(|e| !e.allowed && e.user == "wijkteam-arnhem")
        .map(|e| (e.action.as_str(), e.client))
        .collect();
    assert_eq!(
        refusals,
        vec![(vangnet_store::worklist::RESIDENTS_ACTION, None)],
        "one refusal, for the list, no client read"
    );
    // The dossier itself is refused too.
    assert_eq!(
        get(app, "/clienten/P5", WIJKTEAM).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn the_dossier_offers_op_and_afschalen_validated_at_the_edge_and_records_needs(
    store: &Arc<dyn Store>,
    app: &TestApp,
) {
    let r = get(app, "/clienten/P12", CLERK).await;
    assert!(r.body.contains("Opschalen naar een zwaarder product"));
    assert!(r.body.contains("Afschalen naar een lichter product"));
    let v = version(store, 12).to_string();
    // The same product: refused at the field.
    let r = post(
        app,
        "/clienten/P12/gebeurtenis",
        CLERK,
        &[
            ("soort", "opschalen"),
            ("versie", &v),
            ("sleutel", "op-0"),
            ("naar", "bw-beschermd-wonen|"),
            ("datum", "2026-06-30"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("at is het huidige product"), "{}", r.body);
    // A location that does not offer the product: refused at the field.
    let r = post(
        app,
        "/clienten/P12/gebeurtenis",
        CLERK,
        &[
            ("soort", "opschalen"),
            ("versie", &v),
            ("sleutel", "op-1"),
            ("naar", "bw-intensief|"),
            ("datum", "2026-06-30"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("biedt Intensief") || r.body.contains("biedt "),
        "{}",
        r.body
    );
    assert_eq!(version(store, 12).to_string(), v, "nothing written");
    // To intensief at Rijnbeschut Arnhem Centrum: recorded.
    let r = post(
        app,
        "/clienten/P12/gebeurtenis",
        CLERK,
        &[
            ("soort", "opschalen"),
            ("versie", &v),
            ("sleutel", "op-2"),
            ("naar", "bw-intensief|rijnbeschut-arnhem-centrum"),
            ("datum", "2026-06-30"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(matches!(
        events(store, 12).last().unwrap().event,
        ClientEvent::Wijziging(Wijziging::Opschalen { .. })
    ));
    // The beoordeling records the needs ticked.
    let v = version(store, 4).to_string();
    let r = post(
        app,
        "/clienten/P4/gebeurtenis",
        CLERK,
        &[
            ("soort", "beoordeling"),
            ("versie", &v),
            ("sleutel", "beo-1"),
            ("datum", "2026-06-30"),
            ("advies", "toewijzen"),
            ("behoefte_lvb", "ja"),
            ("behoefte_prikkelarm", "ja"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let state = off_runtime(|| {
        store
            .read_client(&AccessGate::system("test"), ClientId(4))
            .unwrap()
            .state
    });
    assert_eq!(state.behoeften, vec![Behoefte::Lvb, Behoefte::Prikkelarm]);
    let r = get(app, "/clienten/P4", CLERK).await;
    assert!(
        r.body
            .contains("id=\"beo-behoefte_lvb\" name=\"behoefte_lvb\" value=\"ja\" checked")
    );
}

/// feat/portaal (issue 14): the wijkteam's list of open cases is paged by 50 in
/// client-number order; page 2 shows the next 50 and only they are read and logged. Arnhem
/// has 2 + 120 open cases here: clients 2 (waiting), 4 (applied) and 101–220 (applied), so
/// page 1 = 2, 4, 101–148; page 2 = 149–198; page 3 = 199–220.
async fn the_wijkteam_list_pages_by_50_and_logs_only_the_shown(
    store: &Arc<dyn Store>,
    app: &TestApp,
) {
    off_runtime(|| {
        for id in 101..=220 {
            write_new(&**store, id, vec![("2026-06-01", aanmelding("GM0202"))]);
        }
    });
    let mine = |log: &[vangnet_store::AccessEntry]| -> Vec<Option<ClientId>> {
        log.iter()
            .filter(|e| e.user == WIJKTEAM)
            .map(|e| e.client)
            .collect()
    };
    let before = mine(&off_runtime(|| {
        store
            .access_log(&AccessGate::system("test"), 100_000)
            .unwrap()
    }));
    let r = get(app, "/wijkteam?pagina=2", WIJKTEAM).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Lopende zaken (122)"), "{}", r.body);
    assert!(r.body.contains("Cliënten 51–100 van 122 (pagina 2 van 3)"));
    assert!(r.body.contains(r#"href="/wijkteam?pagina=1#kop-zaken""#));
    assert!(r.body.contains(r#"href="/wijkteam?pagina=3#kop-zaken""#));
    let table = part(&r.body, "zaken", "</table>");
    let shown: Vec<u64> = (1..=300)
        .filter(|c| table.contains(&format!("/clienten/{}#", ClientId(*c))))
        .collect();
    assert_eq!(shown, (149..=198).collect::<Vec<u64>>());
    let after = mine(&off_runtime(|| {
        store
            .access_log(&AccessGate::system("test"), 100_000)
            .unwrap()
    }));
    // Newest first: the rows this page wrote are the first ones.
    let mut new: Vec<Option<ClientId>> = after[..after.len() - before.len()].to_vec();
    new.sort();
    assert_eq!(
        new,
        (149..=198).map(|c| Some(ClientId(c))).collect::<Vec<_>>()
    );
    // The last page: 22, no "Volgende"; a page beyond the last shows the last.
    for q in ["3", "9"] {
        let r = get(app, &format!("/wijkteam?pagina={q}"), WIJKTEAM).await;
        assert!(r.body.contains("Cliënten 101–122 van 122 (pagina 3 van 3)"));
        assert!(!r.body.contains(">Volgende<"));
        let table = part(&r.body, "zaken", "</table>");
        assert_eq!(table.matches("/clienten/P").count(), 22);
    }
    // issue 14: the wijkteam's dossier offers no BRP or eerdere-zorg form (the access
    // team's facts; the store would refuse them) — the access team's does.
    let wijk = get(app, "/clienten/P00000004", WIJKTEAM).await;
    assert_eq!(wijk.status, StatusCode::OK);
    let team = get(app, "/clienten/P00000004", CLERK).await;
    for form in [r#"value="brp_inschrijving""#, r#"value="eerdere_zorg""#] {
        assert!(!wijk.body.contains(form), "wijkteam sees {form}");
        assert!(team.body.contains(form), "team misses {form}");
    }
}

on_both_engines!(
    free_places_rank_candidates_and_a_double_click_proposes_once,
    free_places_rank_candidates_and_a_double_click_proposes_once_on_sqlite,
    free_places_rank_candidates_and_a_double_click_proposes_once_on_postgresql,
    "toegang_1"
);
on_both_engines!(
    a_full_location_says_so_and_proposes_nothing,
    a_full_location_says_so_and_proposes_nothing_on_sqlite,
    a_full_location_says_so_and_proposes_nothing_on_postgresql,
    "toegang_2"
);
on_both_engines!(
    approving_a_request_records_the_change_and_the_answer_in_one_append,
    approving_a_request_records_the_change_and_the_answer_in_one_append_on_sqlite,
    approving_a_request_records_the_change_and_the_answer_in_one_append_on_postgresql,
    "toegang_3"
);
on_both_engines!(
    the_wijkteam_asks_advice_the_team_answers_and_the_wijkteam_sees_it,
    the_wijkteam_asks_advice_the_team_answers_and_the_wijkteam_sees_it_on_sqlite,
    the_wijkteam_asks_advice_the_team_answers_and_the_wijkteam_sees_it_on_postgresql,
    "toegang_4"
);
on_both_engines!(
    a_wijkteam_outside_its_gemeente_is_refused_nothing_written_and_logged,
    a_wijkteam_outside_its_gemeente_is_refused_nothing_written_and_logged_on_sqlite,
    a_wijkteam_outside_its_gemeente_is_refused_nothing_written_and_logged_on_postgresql,
    "toegang_5"
);
on_both_engines!(
    the_dossier_offers_op_and_afschalen_validated_at_the_edge_and_records_needs,
    the_dossier_offers_op_and_afschalen_validated_at_the_edge_and_records_needs_on_sqlite,
    the_dossier_offers_op_and_afschalen_validated_at_the_edge_and_records_needs_on_postgresql,
    "toegang_6"
);
on_both_engines!(
    the_wijkteam_list_pages_by_50_and_logs_only_the_shown,
    the_wijkteam_list_pages_by_50_and_logs_only_the_shown_on_sqlite,
    the_wijkteam_list_pages_by_50_and_logs_only_the_shown_on_postgresql,
    "toegang_7"
);
