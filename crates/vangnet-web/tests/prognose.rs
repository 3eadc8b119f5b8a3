//! The forecast page through the router (no sockets): a policy officer gets fan charts as
//! inline SVG with accessible titles and a data table; a care provider gets the 403 page.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use vangnet_domain::Regions;
use vangnet_store::{AccessGate, ImportMode, ImportRow, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::{AppState, router};

async fn get(app: &axum::Router, path: &str, user: &str) -> (StatusCode, String) {
    let req = Request::get(path)
        .header(header::COOKIE, format!("vangnet_gebruiker={user}"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn policy_officers_get_fan_charts_and_providers_are_refused() {
    let dir = std::env::temp_dir().join(format!("vangnet-web-prognose-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let regions = Regions::builtin();
    let store = SqliteStore::open(&dir.join("p.sqlite"), regions.clone()).unwrap();
    let end = vangnet_store::time::today();
    let demo = vangnet_demo::generate(
        &regions,
        &vangnet_demo::DemoConfig {
            seed: 3,
            start: end.add_days(-3 * 365),
            end,
            scale: 0.3,
            first_client: 1,
        },
    );
    let sys = AccessGate::system("demo");
    store.put_persons(&sys, &demo.persons).unwrap();
    let mut rows = demo.events.into_iter().map(|e| Ok(ImportRow::from(e)));
    let r = store
        .import(&sys, &mut rows, ImportMode::AllOrNothing, &|_| {})
        .unwrap();
    assert!(r.committed);
    let store: Arc<dyn Store> = Arc::new(store);
    let app = router(AppState::new(store));

    let (status, body) = get(
        &app,
        "/prognose?regio=drechtsteden&cap_bw-instelling=-20&vanaf=2&groei=1&jaren=5&replicaties=40",
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("<svg"), "no chart");
    assert!(body.contains("<title id=\"svg-bw-instelling-bezetting-titel\">"));
    assert!(body.contains("<polygon"), "no bands");
    assert!(body.contains("Cijfers als tabel"));
    assert!(body.contains("href=\"/prognose\""), "nav link");
    assert!(!body.contains("P0000"), "no client ids on the page");

    let (status, body) = get(&app, "/prognose?regio=drechtsteden", "zorgaanbieder").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("Geen toegang"));
    assert!(!body.contains("<svg"));

    let (status, _) = get(&app, "/prognose?regio=drechtsteden&groei=veel", "analist").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let _ = std::fs::remove_dir_all(&dir);
}
