//! Rights through HTTP (issue 11): no BSN probing at `POST /api/clienten` (finding 4) —
//! someone who may not register in a region gets the same answer for a known and an
//! unknown BSN. (Rights per fact themselves are tested on both engines in the store's
//! conformance story.)

mod support;
use support::TestApp;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;
use vangnet_domain::{Bsn, Regions};
use vangnet_store::Store;
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

async fn post_json(app: &TestApp, path: &str, user: &str, body: Value) -> (StatusCode, String) {
    let resp = app
        .router
        .clone()
        .oneshot(
            Request::post(path)
                .header(header::COOKIE, app.cookie(user))
                .header("x-csrf-token", app.csrf(user))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

fn bsn(n: u32) -> String {
    (0..)
        .find_map(|i| Bsn::with_check_digit(91_000_000 + n * 7 + i))
        .unwrap()
        .digits()
}

fn aanmelding(regio: &str, herkomst: &str, n: u32) -> Value {
    json!({
        "persoon": {"bsn": bsn(n), "voornaam": "Test", "achternaam": format!("Persoon {n}"), "geboortedatum": "1990-04-01"},
        "melder": "wijkteam",
        "herkomst_gemeente": herkomst,
        "woonsituatie": "thuis",
        "urgentie": "regulier",
        "regio": regio,
    })
}

/// Issue 11, finding 4: `POST /api/clienten` with a BSN that is a client answers exactly
/// as with one that is not, for every user who may not register in that region; the
/// region's own team still gets the duplicate warning.
#[tokio::test]
async fn a_known_bsn_cannot_be_probed_at_registration() {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("v.sqlite"), Regions::builtin()).unwrap());
    let app = TestApp::new(AppState::new(Arc::clone(&store)));
    let cg = "centraal-gelderland";
    let (s, body) = post_json(
        &app,
        "/api/clienten",
        "toegang-centraal-gelderland",
        aanmelding(cg, "GM0202", 1),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    // The wijkteam of Nijmegen (another region), even for its own inwoner; the provider;
    // the access team of another region; the analyst.
    let regions = Regions::builtin();
    let nijmegen = regions.all()[0].centrumgemeente.to_string();
    let cases = [
        ("wijkteam", "GM0202"),
        ("wijkteam", nijmegen.as_str()),
        ("zorgaanbieder", "GM0202"),
        ("toegang-drechtsteden", "GM0202"),
        ("analist", "GM0202"),
    ];
    let events = store.event_count().unwrap();
    for (user, herkomst) in cases {
        let known = post_json(&app, "/api/clienten", user, aanmelding(cg, herkomst, 1)).await;
        let unknown = post_json(&app, "/api/clienten", user, aanmelding(cg, herkomst, 2)).await;
        assert_eq!(known.0, StatusCode::FORBIDDEN, "{user}: {}", known.1);
        assert_eq!(known, unknown, "{user} ({herkomst}): known vs unknown BSN");
    }
    assert_eq!(store.event_count().unwrap(), events);
    // The region's own team is warned about the duplicate (it may register there).
    let (s, body) = post_json(
        &app,
        "/api/clienten",
        "toegang-centraal-gelderland",
        aanmelding(cg, "GM0202", 1),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    // And every refusal above is in the access log.
    let log = store
        .access_log(&vangnet_store::AccessGate::system("test"), 100)
        .unwrap();
    let refused = log.iter().filter(|e| !e.allowed).count();
    assert!(refused >= 2 * cases.len(), "{refused} refusals logged");
}

async fn get(app: &TestApp, path: &str, user: &str) -> StatusCode {
    app.router
        .clone()
        .oneshot(
            Request::get(path)
                .header(header::COOKIE, app.cookie(user))
                .header("x-csrf-token", app.csrf(user))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap()
        .status()
}

/// Issue 11, findings 2 and 9 through the API: an aanmelding and an overnachting dated
/// 9999-12-31 are refused with their rule code and the registry keeps answering; a 1.9 MB
/// name, NUL and U+202E in a name are refused.
#[tokio::test]
async fn no_single_request_stops_the_registry() {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("v.sqlite"), Regions::builtin()).unwrap());
    let app = TestApp::new(AppState::new(Arc::clone(&store)));
    let user = "toegang-centraal-gelderland";
    let cg = "centraal-gelderland";
    let mut far = aanmelding(cg, "GM0202", 10);
    far["datum"] = json!("9999-12-31");
    let (s, body) = post_json(&app, "/api/clienten", user, far).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("datum.buiten_bereik"), "{body}");
    let (s, body) = post_json(&app, "/api/clienten", user, aanmelding(cg, "GM0202", 11)).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let client = serde_json::from_str::<Value>(&body).unwrap()["client"]
        .as_str()
        .unwrap()
        .to_owned();
    let night = |datum: &str| {
        json!({"expected_version": 1, "datum": datum, "gebeurtenis": {
            "type": "mo_overnachting", "product": "mo-nachtopvang",
            "locatie": "opvang-arnhem-nacht", "nachten": 1}})
    };
    let path = format!("/api/clienten/{client}/gebeurtenissen");
    let (s, body) = post_json(&app, &path, user, night("9999-12-31")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("datum.buiten_bereik"), "{body}");
    // The registry still answers, reads and writes.
    assert_eq!(
        get(&app, &format!("/api/clienten/{client}"), user).await,
        StatusCode::OK
    );
    let today = vangnet_store::time::today().to_string();
    let (s, body) = post_json(&app, &path, user, night(&today)).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    // Names.
    for (n, naam) in [
        (12, "a".repeat(1_900_000)),
        (13, "An\u{0}na".to_owned()),
        (14, "Anna\u{202E}nosnaJ".to_owned()),
    ] {
        let mut a = aanmelding(cg, "GM0202", n);
        a["persoon"]["voornaam"] = json!(naam);
        let (s, body) = post_json(&app, "/api/clienten", user, a).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            &body[..body.len().min(300)]
        );
        assert!(
            body.contains("voornaam"),
            "{}",
            &body[..body.len().min(300)]
        );
        assert!(body.len() < 2_000, "the error does not echo the name");
    }
    assert_eq!(store.event_count().unwrap(), 2);
}
