//! The provider portal (issue 14, feat/portaal): the provider sees its locations and its own
//! clients and nobody else's; over every route of `ROUTES` with a client or location id —
//! web and API — provider A gets 403/404 for provider B's ids, no data of B in the body and,
//! for a client, the refusal in the access log; the provider's forms write through the gate
//! (start, einde with destination), show every error at its field in Dutch with nothing
//! written, and store a double submit once.

mod support;
use support::{Reply, TestApp, off_runtime, send};

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use tempfile::TempDir;
use vangnet_domain::events::{Leveringsvorm, Melder, Urgentie, Woonsituatie};
use vangnet_domain::person::synthetic_person;
use vangnet_domain::rng::Rng;
use vangnet_domain::{
    AgbCode, ClientEvent, ClientId, Date, LocationId, ProductCode, RegionId, Regions,
};
use vangnet_store::{AccessGate, AccessLogFilter, AppendCommand, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::{AppState, ROUTES, RouteRule};

/// The demo provider: the first region's first provider (Waalbeschut, 98000201).
const PROVIDER: &str = "zorgaanbieder";

fn today() -> Date {
    Date::parse("2026-06-30").unwrap()
}

fn region() -> RegionId {
    RegionId::parse("nijmegen-rivierenland").unwrap()
}

fn agb(s: &str) -> AgbCode {
    AgbCode::parse(s).unwrap()
}

fn name_of(n: u64) -> String {
    let p = synthetic_person(
        &mut Rng::new(n),
        n as u32,
        Date::parse("1990-04-01").unwrap(),
    );
    format!("{} {}", p.voornaam, p.achternaam)
}

/// Client `n` of Nijmegen en Rivierenland allocated `product` at `provider`, in care at `locatie`
/// when given.
fn seed(
    store: &dyn Store,
    n: u64,
    provider: &str,
    product: &str,
    locatie: Option<&str>,
) -> ClientId {
    seed_until(store, n, provider, product, locatie, "2027-01-31")
}

/// [`seed`] with the allocation ending on `einde`.
fn seed_until(
    store: &dyn Store,
    n: u64,
    provider: &str,
    product: &str,
    locatie: Option<&str>,
    einde: &str,
) -> ClientId {
    let start = Date::parse("2026-02-01").unwrap();
    let product = ProductCode::parse(product).unwrap();
    let mut events = vec![
        (
            Date::parse("2026-01-10").unwrap(),
            ClientEvent::Aanmelding {
                regio: region(),
                melder: Melder::Wijkteam,
                herkomst_gemeente: Some(store.regions().get(&region()).unwrap().centrumgemeente),
                woonsituatie: Woonsituatie::Thuis,
                urgentie: Urgentie::Regulier,
                voordeur: None,
            },
        ),
        (
            start,
            ClientEvent::Toewijzing {
                product: product.clone(),
                start,
                einde: Date::parse(einde).unwrap(),
                leveringsvorm: Leveringsvorm::Zin,
                aanbieder: Some(agb(provider)),
            },
        ),
    ];
    if let Some(l) = locatie {
        events.push((
            Date::parse("2026-02-05").unwrap(),
            ClientEvent::StartZorg {
                product,
                locatie: LocationId::parse(l).unwrap(),
                overbezetting: None,
            },
        ));
    }
    let id = ClientId(n);
    store
        .append(
            &AccessGate::system("test: aanbieder"),
            AppendCommand {
                client: id,
                expected_version: None,
                idempotency_key: None,
                events,
                person: Some(synthetic_person(
                    &mut Rng::new(n),
                    n as u32,
                    Date::parse("1990-04-01").unwrap(),
                )),
            },
        )
        .unwrap();
    id
}

struct World {
    _dir: TempDir,
    store: Arc<dyn Store>,
    app: TestApp,
    /// A's client in care at waalbeschut-nijmegen-dukenburg.
    a_care: ClientId,
    /// A's client allocated, not yet in care.
    a_alloc: ClientId,
    /// B's (Rivierenland Wonen en Herstel, 98000202) client in care at rivierenland-tiel.
    b_care: ClientId,
}

fn world() -> World {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("a.sqlite"), Regions::builtin()).unwrap());
    let a_care = seed(
        store.as_ref(),
        11,
        "98000201",
        "bw-beschermd-thuis",
        Some("waalbeschut-nijmegen-dukenburg"),
    );
    let a_alloc = seed(store.as_ref(), 12, "98000201", "bw-beschermd-thuis", None);
    let b_care = seed(
        store.as_ref(),
        13,
        "98000202",
        "bw-beschermd-thuis",
        Some("rivierenland-tiel"),
    );
    let app = TestApp::new(AppState::new(Arc::clone(&store)).with_today(today()));
    World {
        _dir: dir,
        store,
        app,
        a_care,
        a_alloc,
        b_care,
    }
}

async fn get(w: &World, user: &str, path: &str) -> Reply {
    let req = w
        .app
        .as_user(Request::builder().uri(path), user)
        .body(Body::empty())
        .unwrap();
    send(&w.app, req).await
}

async fn post_form(w: &World, user: &str, path: &str, pairs: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let req = w
        .app
        .as_user(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", "http://localhost")
                .header("host", "localhost"),
            user,
        )
        .body(Body::from(body))
        .unwrap();
    send(&w.app, req).await
}

fn version(w: &World, c: ClientId) -> u32 {
    off_runtime(|| {
        w.store
            .read_client(&AccessGate::system("test: stand"), c)
            .unwrap()
            .state
            .version
    })
}

/// The access-log rows of the demo user `user`, oldest first.
fn rows_of(w: &World, user: &str) -> Vec<vangnet_store::AccessEntry> {
    off_runtime(|| {
        let mut rows = w
            .store
            .access_log_filtered(
                &AccessGate::system("test: log"),
                &AccessLogFilter {
                    user: Some(user.to_owned()),
                    ..AccessLogFilter::newest(100_000)
                },
            )
            .unwrap();
        rows.reverse();
        rows
    })
}

/// Issue 14: since the first `before` rows of `user`, exactly one refused row, and that one
/// the rule refusal (`weigering`) of `client` naming `code` and `field`.
fn assert_one_weigering(
    w: &World,
    user: &str,
    before: usize,
    client: ClientId,
    code: &str,
    field: &str,
) {
    let rows = rows_of(w, user);
    let refused: Vec<_> = rows[before..].iter().filter(|e| !e.allowed).collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].action, "weigering");
    assert_eq!(refused[0].client, Some(client));
    assert!(
        refused[0]
            .reason
            .starts_with(&format!("regel {code} (veld {field}, feit 1): ")),
        "{}",
        refused[0].reason
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provider_sees_its_locations_and_its_own_clients_only() {
    let w = world();
    let before = rows_of(&w, PROVIDER).len();
    let r = get(&w, PROVIDER, "/aanbieder").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = &r.body;
    assert!(
        body.contains("Aanbiedersportaal — Stichting Waalbeschut"),
        "{body}"
    );
    // Its locations, with places and occupancy per product.
    assert!(
        body.contains("Plaatsen op Waalbeschut Nijmegen Centrum"),
        "{body}"
    );
    assert!(body.contains("href=\"/aanbieder/locaties/waalbeschut-berg-en-dal\""));
    assert!(
        !body.contains("rivierenland-tiel"),
        "another provider's location"
    );
    // Its clients, and nobody else's.
    assert!(
        body.contains(&name_of(11)) && body.contains(&name_of(12)),
        "{body}"
    );
    assert!(!body.contains(&name_of(13)), "B's client on A's portal");
    assert!(
        body.contains("In zorg sinds 05-02-2026"),
        "Dutch dates: {body}"
    );
    assert!(body.contains("Toegewezen; zorg nog niet gestart"));
    assert!(
        body.contains("Geen voorstellen."),
        "empty state said: {body}"
    );
    // One read row per listed client.
    let rows = rows_of(&w, PROVIDER);
    let new: Vec<_> = rows[before..]
        .iter()
        .map(|e| (e.client, e.allowed))
        .collect();
    assert_eq!(new, vec![(Some(w.a_care), true), (Some(w.a_alloc), true)]);

    // Other roles: 403 before anything is read.
    let r = get(&w, "toegang-nijmegen-rivierenland", "/aanbieder").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body
            .contains("aanbiedersportaal is er voor zorgaanbieders")
    );

    // Its own location page lists its client there.
    let r = get(
        &w,
        PROVIDER,
        "/aanbieder/locaties/waalbeschut-nijmegen-dukenburg",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&name_of(11)) && !r.body.contains(&name_of(12)));
    let r = get(&w, PROVIDER, "/aanbieder/locaties/waalbeschut-berg-en-dal").await;
    assert!(
        r.body.contains("Geen cliënten op deze locatie."),
        "{}",
        r.body
    );
}

/// Every route of `ROUTES` with a client or a location in its path, as provider A with B's
/// ids: refused (403 or 404), nothing of B in the body, and for a client the refusal in the
/// access log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_never_sees_or_acts_on_another_providers_client_or_location() {
    let w = world();
    let b = w.b_care.to_string();
    let b_name = name_of(13);
    let mut checked = 0;
    let mut failures = Vec::new();
    for spec in ROUTES {
        let client_route = matches!(
            spec.rule,
            RouteRule::ClientRecord(_) | RouteRule::ClientInzage
        );
        let location_route = spec.path.contains("{locatie}");
        if !client_route && !location_route {
            continue;
        }
        let path = spec
            .path
            .replace("{id}", &b)
            .replace("{versie}", "1")
            .replace("{locatie}", "rivierenland-tiel");
        for m in spec.methods {
            let before = rows_of(&w, PROVIDER).len();
            let r = if *m == "GET" {
                get(&w, PROVIDER, &path).await
            } else if spec.path.starts_with("/api/") {
                let json = serde_json::json!({
                    "gebeurtenis": {"type": "einde_zorg", "bestemming": "onbekend"},
                    "expected_version": 3,
                })
                .to_string();
                let req = w
                    .app
                    .as_user(
                        Request::builder()
                            .method(Method::POST)
                            .uri(&path)
                            .header("content-type", "application/json")
                            .header("origin", "http://localhost")
                            .header("host", "localhost"),
                        PROVIDER,
                    )
                    .body(Body::from(json))
                    .unwrap();
                send(&w.app, req).await
            } else {
                post_form(
                    &w,
                    PROVIDER,
                    &path,
                    &[
                        ("soort", "einde_zorg"),
                        ("bestemming", "onbekend"),
                        ("datum", "2026-06-01"),
                        ("versie", "3"),
                    ],
                )
                .await
            };
            checked += 1;
            let what = format!("{m} {path}");
            if !matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
                failures.push(format!("{what}: {}", r.status));
            }
            if r.body.contains(&b_name) {
                failures.push(format!("{what}: B's client's name in the body"));
            }
            let rows = rows_of(&w, PROVIDER);
            let new = &rows[before..];
            if client_route && !new.iter().any(|e| e.client == Some(w.b_care) && !e.allowed) {
                failures.push(format!("{what}: no refused row for B's client: {new:?}"));
            }
            if new.iter().any(|e| e.allowed) {
                failures.push(format!("{what}: an allowed row: {new:?}"));
            }
        }
    }
    assert!(checked >= 12, "only {checked} requests");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Nothing was written for B's client.
    assert_eq!(version(&w, w.b_care), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provider_starts_and_ends_care_through_its_forms() {
    let w = world();
    let path = format!("/aanbieder/clienten/{}", w.a_alloc);
    let r = get(&w, PROVIDER, &path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Start zorg (iWmo 305)"), "{}", r.body);
    assert!(r.body.contains("Verzoek om toewijzing (iWmo 315)"));
    assert!(r.body.contains("Toewijzing (iWmo 301)"), "history labelled");

    // An empty start form: every error at its field, nothing written.
    let r = post_form(
        &w,
        PROVIDER,
        &path,
        &[("soort", "start_zorg"), ("versie", "2")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Er is een probleem"));
    assert!(r.body.contains("href=\"#start-datum\"") && r.body.contains("href=\"#start-locatie\""));
    assert!(r.body.contains("id=\"fout-start-locatie\""), "{}", r.body);
    assert_eq!(version(&w, w.a_alloc), 2);

    // A location that does not offer the product: the rule's error at the field, the typed
    // values kept, nothing written, the refusal in the access log (issue 14).
    let before = rows_of(&w, PROVIDER).len();
    let r = post_form(
        &w,
        PROVIDER,
        &path,
        &[
            ("soort", "start_zorg"),
            ("versie", "2"),
            ("locatie", "waalbeschut-mook-en-middelaar"),
            ("datum", "2026-06-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("biedt geen bw-beschermd-thuis"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"2026-06-01\""), "kept: {}", r.body);
    assert!(r.body.contains("id=\"fout-start-locatie\""), "{}", r.body);
    assert_eq!(version(&w, w.a_alloc), 2);
    assert_one_weigering(
        &w,
        PROVIDER,
        before,
        w.a_alloc,
        "locatie.biedt_product_niet",
        "locatie",
    );

    // Another provider's location: refused at the field.
    let r = post_form(
        &w,
        PROVIDER,
        &path,
        &[
            ("soort", "start_zorg"),
            ("versie", "2"),
            ("locatie", "rivierenland-tiel"),
            ("datum", "2026-06-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("van een andere aanbieder"));

    // Start zorg; the same form posted twice is stored once.
    let start = [
        ("soort", "start_zorg"),
        ("versie", "2"),
        ("sleutel", "test-start-1"),
        ("locatie", "waalbeschut-wijchen"),
        ("datum", "2026-06-01"),
    ];
    let r = post_form(&w, PROVIDER, &path, &start).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().contains("melding=opgeslagen"));
    let r = post_form(&w, PROVIDER, &path, &start).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().contains("melding=dubbel"), "{}", r.location());
    assert_eq!(version(&w, w.a_alloc), 3);

    // Einde zorg with destination.
    let r = post_form(
        &w,
        PROVIDER,
        &path,
        &[
            ("soort", "einde_zorg"),
            ("versie", "3"),
            ("bestemming", "eigen_woning_sociaal"),
            ("datum", "2026-06-20"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = get(&w, PROVIDER, &path).await;
    assert!(r.body.contains("Einde zorg (iWmo 307)"), "{}", r.body);
    assert_eq!(version(&w, w.a_alloc), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_of_the_provider_is_refused_in_dutch_and_nothing_is_written() {
    let w = world();
    // End of care for a client not at this provider: refused by the gate, logged.
    let path_b = format!("/aanbieder/clienten/{}", w.b_care);
    let before = rows_of(&w, PROVIDER).len();
    let r = post_form(
        &w,
        PROVIDER,
        &path_b,
        &[
            ("soort", "einde_zorg"),
            ("versie", "3"),
            ("bestemming", "onbekend"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let rows = rows_of(&w, PROVIDER);
    assert!(
        rows[before..]
            .iter()
            .any(|e| e.client == Some(w.b_care) && !e.allowed)
    );
    assert_eq!(version(&w, w.b_care), 3);

    // A change without the product and reason it needs: every field at once.
    let path = format!("/aanbieder/clienten/{}", w.a_care);
    let r = post_form(
        &w,
        PROVIDER,
        &path,
        &[
            ("soort", "verzoek_wijziging"),
            ("versie", "3"),
            ("wijziging", "opschalen"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"fout-vow-product\""), "{}", r.body);
    assert!(r.body.contains("id=\"fout-vow-reden\""), "{}", r.body);
    assert_eq!(version(&w, w.a_care), 3);

    // A temporary stay longer than the product allows (time-out: at most 14 nights): the
    // store's rule, at the field, logged.
    let before = rows_of(&w, PROVIDER).len();
    let r = post_form(
        &w,
        PROVIDER,
        &path,
        &[
            ("soort", "tijdelijk_verblijf"),
            ("versie", "3"),
            ("product", "bw-time-out"),
            ("locatie", "waalbeschut-nijmegen-centrum"),
            ("van", "2026-06-01"),
            ("nachten", "15"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("id=\"fout-tijdelijk-nachten\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("ten hoogste 14"), "{}", r.body);
    assert_eq!(version(&w, w.a_care), 3);
    assert_one_weigering(
        &w,
        PROVIDER,
        before,
        w.a_care,
        "tijdelijk.te_lang",
        "nachten",
    );
    // The auditor sees it among the refusals, labelled, with the rule in the reason.
    let r = get(&w, "auditor", "/toegangslog?geweigerd=1").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("vastleggen geweigerd door een regel (niets opgeslagen)"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("regel tijdelijk.te_lang (veld nachten, feit 1)"),
        "{}",
        r.body
    );

    // Within the limit: beside the running care.
    let r = post_form(
        &w,
        PROVIDER,
        &path,
        &[
            ("soort", "tijdelijk_verblijf"),
            ("versie", "3"),
            ("product", "bw-time-out"),
            ("locatie", "waalbeschut-nijmegen-centrum"),
            ("van", "2026-06-10"),
            ("nachten", "3"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(version(&w, w.a_care), 4);

    // Op-schalen asked (iWmo 317): stored, listed open with its term, on the portal too.
    let r = post_form(
        &w,
        PROVIDER,
        &path,
        &[
            ("soort", "verzoek_wijziging"),
            ("versie", "4"),
            ("wijziging", "opschalen"),
            ("product", "bw-intramuraal"),
            ("reden", "meer begeleiding nodig"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(version(&w, w.a_care), 5);
    let r = get(&w, PROVIDER, &path).await;
    assert!(
        r.body.contains(
            "Verzoek om wijziging (iWmo 317): opschalen naar Beschermd wonen (intramuraal)"
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains("meer begeleiding nodig"));
    assert!(
        r.body.contains("14-07-2026"),
        "term 10 werkdagen after 30-06: {}",
        r.body
    );
    let r = get(&w, PROVIDER, "/aanbieder").await;
    assert!(
        r.body.contains("Verzoek om wijziging (iWmo 317)"),
        "{}",
        r.body
    );
    assert!(r.body.contains(">open<"), "{}", r.body);

    // A request for a client this provider has no allocation for (B's client): refused by
    // the gate and logged, nothing written.
    let before = rows_of(&w, PROVIDER).len();
    let r = post_form(
        &w,
        PROVIDER,
        &path_b,
        &[
            ("soort", "verzoek_toewijzing"),
            ("versie", "3"),
            ("product", "bw-intramuraal"),
            ("start", "2026-07-01"),
            ("reden", "r"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        rows_of(&w, PROVIDER)[before..]
            .iter()
            .any(|e| e.client == Some(w.b_care) && !e.allowed)
    );
    assert_eq!(version(&w, w.b_care), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provider_reports_a_free_place_and_changes_its_capacity() {
    let w = world();
    let path = "/aanbieder/locaties/waalbeschut-wijchen";
    let r = get(&w, PROVIDER, path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Vrije plaats melden") && r.body.contains("Capaciteit wijzigen"));

    // An empty report: every error at its field, nothing stored.
    let r = post_form(&w, PROVIDER, path, &[("soort", "melding"), ("aantal", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("id=\"fout-melding-product\"")
            && r.body.contains("id=\"fout-melding-aantal\"")
    );
    let reports = || off_runtime(|| w.store.free_place_reports(&region()).unwrap().len());
    assert_eq!(reports(), 0);

    // A free place reported; the same submit again stores nothing new.
    let form = [
        ("soort", "melding"),
        ("product", "bw-beschermd-thuis"),
        ("datum", "2026-07-01"),
        ("aantal", "2"),
        ("toelichting", "twee kamers vrij"),
    ];
    let r = post_form(&w, PROVIDER, path, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().contains("melding=melding"));
    let r = post_form(&w, PROVIDER, path, &form).await;
    assert!(r.location().contains("melding=dubbel"), "{}", r.location());
    assert_eq!(reports(), 1);
    let r = get(&w, PROVIDER, path).await;
    assert!(r.body.contains("twee kamers vrij") && r.body.contains("01-07-2026"));

    // A capacity change with a reason and an effective date; without a reason: the store's
    // rule at the field.
    let change = |reden: &'static str| {
        [
            ("soort", "capaciteit"),
            ("product", "bw-intramuraal"),
            ("capaciteit_soort", "afbouw"),
            ("plaatsen", "20"),
            ("vanaf", "2026-09-01"),
            ("reden", reden),
        ]
    };
    let r = post_form(&w, PROVIDER, path, &change("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("id=\"fout-capaciteit-reden\""),
        "{}",
        r.body
    );
    let r = post_form(&w, PROVIDER, path, &change("afbouw intramuraal")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = get(&w, PROVIDER, path).await;
    assert!(r.body.contains("afbouw intramuraal"), "{}", r.body);

    // Another provider's location: 403, nothing stored.
    let r = post_form(&w, PROVIDER, "/aanbieder/locaties/rivierenland-tiel", &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(reports(), 1);
}

/// Issue 14 at national scale: the portal lists the clients with a task 50 at a time,
/// earliest first (`?taken=N`), and reads and logs only the page of the client list and the
/// page of the task list. 55 more clients of A in care, their allocations ending on
/// 1 July 2026 + i days (i = 0..54): each an `EindeToewijzing` task within eight weeks of
/// 30 June; the three first clients have no task that soon.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_task_list_of_a_large_provider_is_paged_earliest_first() {
    let w = world();
    off_runtime(|| {
        for i in 0..55u64 {
            let einde = Date::parse("2026-07-01").unwrap().add_days(i as i32);
            seed_until(
                w.store.as_ref(),
                100 + i,
                "98000201",
                "bw-intramuraal",
                Some("waalbeschut-nijmegen-centrum"),
                &einde.to_string(),
            );
        }
    });
    let before = rows_of(&w, PROVIDER).len();
    let r = get(&w, PROVIDER, "/aanbieder").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains("cliënten 1–50 van 55 met een taak, vroegste eerst"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("Cliënten met een taak 1–50 van 55 (pagina 1 van 2)")
    );
    assert!(r.body.contains("href=\"/aanbieder?taken=2#kop-werk\""));
    // The first page of the client list (client number order: 11, 12, 100–147) and the
    // first 50 of the task list (100–149): 52 clients read, one row each.
    assert_eq!(rows_of(&w, PROVIDER).len() - before, 52);
    assert!(r.body.contains(&name_of(149)));
    assert!(!r.body.contains(&name_of(150)), "beyond the task page");
    // The task table starts with the earliest (1 July 2026, client 100).
    let tasks = &r.body[r.body.find("id=\"taken\"").expect("task table")..];
    let first_row = &tasks[tasks.find("<tbody>").unwrap()..];
    assert!(
        first_row[..first_row.find("</tr>").unwrap()].contains(&name_of(100)),
        "{first_row}"
    );
    // Page 2 of the tasks: the last five, and only they beside the client page.
    let before = rows_of(&w, PROVIDER).len();
    let r = get(&w, PROVIDER, "/aanbieder?taken=2").await;
    assert!(
        r.body
            .contains("cliënten 51–55 van 55 met een taak, vroegste eerst"),
        "{}",
        r.body
    );
    assert!(r.body.contains(&name_of(154)));
    assert_eq!(rows_of(&w, PROVIDER).len() - before, 50 + 5);
    // A page beyond the last shows the last.
    let r = get(&w, PROVIDER, "/aanbieder?taken=99").await;
    assert!(r.body.contains("cliënten 51–55 van 55 met een taak"));
}
