//! Rights through HTTP (issue 11): no BSN probing at `POST /api/clienten` (finding 4) —
//! someone who may not register in a region gets the same answer for a known and an
//! unknown BSN. (Rights per fact themselves are tested on both engines in the store's
//! conformance story.)

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;
use vangnet_domain::{Bsn, Regions};
use vangnet_store::Store;
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::{AppState, router};

async fn post_json(app: &Router, path: &str, user: &str, body: Value) -> (StatusCode, String) {
    let resp = app
        .clone()
        .oneshot(
            Request::post(path)
                .header(header::COOKIE, format!("vangnet_gebruiker={user}"))
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
    let app = router(AppState::new(Arc::clone(&store)));
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
