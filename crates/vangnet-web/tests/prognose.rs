//! The forecast page through the router (no sockets): a policy officer gets fan charts as
//! inline SVG with accessible titles and a data table, per product and per gemeente, with
//! small numbers suppressed as in the monitor; the region's access team gets exact figures;
//! the CSV/XLSX downloads hold exactly the page's tables; a care provider gets the 403 page.

mod support;
use support::TestApp;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use vangnet_domain::Regions;
use vangnet_store::{AccessGate, ImportMode, ImportRow, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

/// The day the application believes it is: fixed, so no test depends on the wall clock.
fn today() -> vangnet_domain::Date {
    vangnet_domain::Date::parse("2026-06-30").unwrap()
}

async fn get(app: &TestApp, path: &str, user: &str) -> (StatusCode, String) {
    let (status, bytes) = get_bytes(app, path, user).await;
    (status, String::from_utf8(bytes).unwrap())
}

async fn get_bytes(app: &TestApp, path: &str, user: &str) -> (StatusCode, Vec<u8>) {
    let req = Request::get(path)
        .header(header::COOKIE, app.cookie(user))
        .header("x-csrf-token", app.csrf(user))
        .body(Body::empty())
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, bytes.to_vec())
}

/// The data rows of a Dutch-Excel CSV (BOM, `;`), header first.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split(';')
                .map(|c| c.trim_matches('"').to_owned())
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn policy_officers_get_fan_charts_and_providers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let regions = Regions::builtin();
    let store = SqliteStore::open(&dir.path().join("p.sqlite"), regions.clone()).unwrap();
    let end = today();
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
    let app = TestApp::new(AppState::new(store).with_today(today()));

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
    for metric in ["wachtlijst", "wachttijd_dagen", "tekort"] {
        assert!(
            body.contains(&format!("svg-bw-instelling-{metric}")),
            "{metric} chart or notice per product"
        );
    }
    assert!(body.contains("Per gemeente van herkomst"));
    assert!(body.contains("id=\"svg-gem-"), "charts per gemeente");
    assert!(
        body.contains("Tekort van een product"),
        "shortage defined on the page"
    );
    assert!(
        body.contains("Kleine aantallen (1 tot 5)"),
        "suppression explained"
    );
    let q = "regio=drechtsteden&cap_bw-instelling=-20&vanaf=2&groei=1&jaren=5&replicaties=40";
    assert!(body.contains("/prognose/export.xlsx?"), "download link");

    // The downloads: exactly the page's tables, suppressed the same way.
    let (status, csv) = get(
        &app,
        &format!("/prognose/export.csv?{q}&tabel=product"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let rows = csv_rows(&csv);
    assert_eq!(rows[0][0], "Product");
    assert!(rows.len() > 30, "{}", rows.len());
    let mut small = 0;
    for r in &rows[1..] {
        let counted = r[1] != "Wachttijd (dagen)";
        for v in &r[4..] {
            if let Ok(n) = v.parse::<u64>() {
                assert!(
                    !counted || n == 0 || n >= 5,
                    "unsuppressed small number {n} in {r:?}"
                );
            } else {
                assert!(v == "<5" || v == "—", "{v} in {r:?}");
                small += 1;
            }
        }
        // Every row of the file is on the page: its median as a table cell.
        let shown = r[4].replace('<', "&lt;");
        assert!(
            body.contains(&format!(">{shown}</td>")),
            "{r:?} not on the page"
        );
    }
    for tabel in ["gemeente", "product_gemeente"] {
        let (status, csv) = get(
            &app,
            &format!("/prognose/export.csv?{q}&tabel={tabel}"),
            "beleidsmedewerker",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        for r in &csv_rows(&csv)[1..] {
            let m = if tabel == "gemeente" { 1 } else { 2 };
            let first = if tabel == "gemeente" { 4 } else { 3 };
            for v in &r[first..] {
                if let Ok(n) = v.parse::<u64>() {
                    assert!(
                        r[m] == "Wachttijd (dagen)" || n == 0 || n >= 5,
                        "unsuppressed small number {n} in {r:?}"
                    );
                } else {
                    small += 1;
                }
            }
        }
    }
    assert!(
        small > 0,
        "a small demo region has small numbers to suppress"
    );
    // The charts' text alternatives publish the same figures (counts: 0, ≥ 5 or <5).
    let mut descs = 0;
    for part in body.split("<desc id=\"").skip(1) {
        let (id, rest) = part.split_once("\">").unwrap();
        let text = rest.split("</desc>").next().unwrap();
        if id.contains("wachttijd") {
            continue;
        }
        descs += 1;
        for piece in text.split("mediaan ").skip(1) {
            let figures = piece.split(')').next().unwrap();
            let nums = figures
                .split(['(', ',', '–', ' ', ':'])
                .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()));
            for n in nums {
                let n: u64 = n.parse().unwrap();
                assert!(n == 0 || n >= 5, "{id}: {text}");
            }
        }
    }
    assert!(descs > 10, "{descs}");
    assert!(
        body.contains("fill=\"#d9d9d9\""),
        "a chart with the shaded <5 zone"
    );
    // Every chart is drawn; a month with a hidden value is left open, never the whole chart.
    assert!(!body.contains("grafiek niet getoond"));
    assert!(
        body.contains("fill=\"#eeeeee\"") && body.contains("zijn open gelaten"),
        "a chart with a month left open"
    );
    let (status, xlsx) = get_bytes(
        &app,
        &format!("/prognose/export.xlsx?{q}"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(xlsx.starts_with(b"PK"), "a workbook");

    // The region's own access team sees exact figures: no suppression, every chart drawn.
    let (status, exact) = get(&app, &format!("/prognose?{q}"), "toegang-drechtsteden").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !exact.contains("&lt;5"),
        "exact figures for the access team"
    );
    assert!(!exact.contains("grafiek niet getoond"));
    assert!(exact.contains("svg-gem-overig-tekort-titel"));
    let (_, csv) = get(
        &app,
        &format!("/prognose/export.csv?{q}&tabel=gemeente"),
        "toegang-drechtsteden",
    )
    .await;
    assert!(!csv.contains("<5"));

    // Afbouw over several years: yearly steps (the places line goes down in steps).
    let (status, body) = get(
        &app,
        "/prognose?regio=drechtsteden&cap_bw-instelling=-30&vanaf=1&tot=3&jaren=4&replicaties=20",
        "analist",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("id=\"tot\" name=\"tot\" min=\"0\" max=\"30\" step=\"1\" value=\"3\""));

    // Empirical (Kaplan–Meier) stays instead of the log-normal fit.
    let (status, body) = get(
        &app,
        &format!("/prognose?{q}&verblijf=empirisch"),
        "analist",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("value=\"empirisch\" selected"));

    let (status, body) = get(&app, "/prognose?regio=drechtsteden", "zorgaanbieder").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("Geen toegang"));
    assert!(!body.contains("<svg"));

    let (status, _) = get(&app, "/prognose?regio=drechtsteden&groei=veel", "analist").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
