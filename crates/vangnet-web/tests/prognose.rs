//! The forecast page through the router (no sockets): a policy officer gets fan charts as
//! inline SVG with accessible titles and a data table, per product and per gemeente, with
//! small numbers suppressed as in the monitor; the region's access team gets exact figures;
//! the CSV/XLSX downloads hold exactly the page's tables; a care provider gets the 403 page.
//! Limits (issue 11): a forecast over the size limits is a 400 naming the field, the edges
//! themselves compute, a user's second concurrent forecast is a 429 with `Retry-After`, and a
//! cached forecast is served without queueing.

mod support;
use support::TestApp;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use vangnet_domain::Regions;
use vangnet_store::Store;
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
    let app = demo_app(dir.path(), 3, 0.3);

    // Every chart drawn (`open=alle`): by default only one section's are.
    let (status, body) = get(
        &app,
        "/prognose?regio=drechtsteden&cap_bw-instelling=-20&vanaf=2&groei=1&jaren=5&replicaties=40&open=alle",
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
        body.contains("Kleine aantallen (1 tot en met 4)"),
        "suppression explained"
    );
    let q = "regio=drechtsteden&cap_bw-instelling=-20&vanaf=2&groei=1&jaren=5&replicaties=40";
    assert!(body.contains("/prognose/export.xlsx?"), "download link");
    // The default page (issue 12): under 300 KB, only the first product's charts drawn, a
    // link to open every other section; calendar years on the axes and a legend per chart.
    let (status, default_page) = get(&app, "/prognose", "beleidsmedewerker").await;
    assert_eq!(status, StatusCode::OK);
    eprintln!(
        "default /prognose: {} bytes, {} charts; all charts: {} bytes, {} charts",
        default_page.len(),
        default_page.matches("<svg").count(),
        body.len(),
        body.matches("<svg").count()
    );
    assert!(
        default_page.len() < 300_000,
        "default page {} bytes",
        default_page.len()
    );
    let charts = default_page.matches("<svg role=\"img\"").count();
    assert!((2..=4).contains(&charts), "one product's charts: {charts}");
    assert!(body.matches("<svg role=\"img\"").count() > 3 * charts);
    assert!(
        default_page.contains("&amp;open=gem-"),
        "a link opening a gemeente"
    );
    assert!(
        default_page.contains("&amp;open=alle"),
        "a link opening all"
    );
    assert!(
        default_page.contains("name=\"open\""),
        "the form keeps what is open"
    );
    let gem = default_page
        .split("&amp;open=gem-")
        .nth(1)
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .to_owned();
    let (status, gem_page) = get(
        &app,
        &format!("/prognose?open=gem-{gem}"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        gem_page.contains(&format!("id=\"svg-gem-{gem}-bezetting-titel\"")),
        "{gem}"
    );
    // Calendar years: the forecast starts at the reference date 2026-06-30, so the first
    // January on the axis is 2027 (not "1 jr"); the default horizon is longer than five years
    // and labels every second year.
    assert!(body.contains("text-anchor=\"middle\" fill=\"#1b1b1b\">2027</text>"));
    assert!(default_page.contains("text-anchor=\"middle\" fill=\"#1b1b1b\">2028</text>"));
    for page in [&default_page, &body] {
        assert!(!page.contains(" jr</text>"));
        assert!(page.contains("<g class=\"fan-legenda\">"));
        assert!(page.contains(">mediaan</text>") && page.contains(">90 % (5–95 %)</text>"));
    }
    assert_eq!(
        body.matches("<g class=\"fan-legenda\">").count(),
        body.matches("<svg role=\"img\"").count(),
        "a legend per chart"
    );
    assert!(body.contains(">plaatsen</text>") && body.contains(">kleiner dan 5</text>"));

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
    // Issue 12: counts are number cells, a suppressed one is empty with a note in words, the
    // scenario is the line below the title, the sheets have the tables' full titles.
    {
        use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
        assert_eq!(
            book.sheet_names(),
            [
                "Prognose per product",
                "Prognose per gemeente",
                "Per product en gemeente, eind"
            ]
        );
        let mut numbers = 0;
        let mut notes = 0;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).unwrap();
            let Some(Data::String(selectie)) = range.get_value((1, 0)) else {
                panic!("{name}: a scenario line");
            };
            assert!(
                selectie.starts_with("Selectie: regio ")
                    && selectie.contains("plaatsen ")
                    && selectie.contains("-20 %")
                    && selectie.contains("horizon 5 jaar; 40 replicaties"),
                "{selectie}"
            );
            for (_, _, c) in range.used_cells() {
                match c {
                    Data::Float(_) | Data::Int(_) => numbers += 1,
                    Data::String(t) => {
                        assert!(
                            !t.starts_with('<') && !t.starts_with('≥') && t != "—",
                            "{name}: {t}"
                        );
                        if t.contains("onderdrukt: kleiner dan 5") {
                            notes += 1;
                        }
                    }
                    _ => {}
                }
            }
        }
        assert!(
            numbers > 100 && notes > 0,
            "{numbers} numbers, {notes} notes"
        );
    }

    // The region's own access team sees exact figures: no suppression, every chart drawn.
    let (status, exact) = get(
        &app,
        &format!("/prognose?{q}&open=alle"),
        "toegang-drechtsteden",
    )
    .await;
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

/// A router over a demo store of `scale` (seed `seed`), today fixed.
fn demo_app(dir: &std::path::Path, seed: u64, scale: f64) -> TestApp {
    let regions = Regions::builtin();
    let store = SqliteStore::open(&dir.join("p.sqlite"), regions.clone()).unwrap();
    let end = today();
    let demo = vangnet_demo::generate(
        &regions,
        &vangnet_demo::DemoConfig {
            seed,
            start: end.add_days(-3 * 365),
            end,
            scale,
            first_client: 1,
        },
    );
    support::import_demo(&store, demo);
    let store: Arc<dyn Store> = Arc::new(store);
    TestApp::new(AppState::new(store).with_today(today()))
}

/// Status, `Retry-After` (if any) and body of a GET as `user`.
async fn get_with_retry(
    app: &TestApp,
    path: &str,
    user: &str,
) -> (StatusCode, Option<String>, String) {
    let req = app
        .as_user(Request::get(path), user)
        .body(Body::empty())
        .unwrap();
    let r = support::send(app, req).await;
    let retry = r
        .headers
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_owned());
    (r.status, retry, r.body)
}

#[tokio::test(flavor = "multi_thread")]
async fn forecasts_over_the_size_limits_are_400_naming_the_field_and_the_edges_compute() {
    use vangnet_web::forecast::{MAX_REPLICATION_YEARS, MAX_REPLICATIONS, MAX_YEARS};
    let dir = tempfile::tempdir().unwrap();
    let app = demo_app(dir.path(), 5, 0.05);
    let base = "/prognose?regio=drechtsteden";

    // The query: 2000 replications × 20 years (19 s of every core) is refused at once.
    let (status, body) = get(
        &app,
        &format!("{base}&replicaties=2000&jaren=20"),
        "analist",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("Prognose te groot"), "{body}");
    assert!(
        body.contains("Replicaties × jaren: 2000 × 20 = 40.000 is meer dan 2.000"),
        "{body}"
    );
    assert!(!body.contains("<svg"));
    // Each limit on its own, naming its field; the downloads keep the same limits.
    for (q, field) in [
        (
            format!("replicaties={}", MAX_REPLICATIONS + 1),
            "Replicaties: 2001 ligt buiten",
        ),
        (
            format!("jaren={}", MAX_YEARS + 1),
            "Horizon: 21 jaar ligt buiten",
        ),
        ("jaren=0".to_owned(), "Horizon: 0 jaar ligt buiten"),
        ("replicaties=9".to_owned(), "Replicaties: 9 ligt buiten"),
        (
            "replicaties=1e300".to_owned(),
            "Replicaties: 18446744073709551615 ligt buiten",
        ),
    ] {
        for path in ["/prognose", "/prognose/export.csv", "/prognose/export.xlsx"] {
            let (status, body) =
                get(&app, &format!("{path}?regio=drechtsteden&{q}"), "analist").await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}?{q}: {body}");
            assert!(body.contains(field), "{path}?{q}: {body}");
        }
    }
    // Malformed values: 422 naming the field as before; never a 500.
    for q in [
        "replicaties=-1",
        "jaren=NaN",
        "replicaties=inf",
        "jaren=1e400",
        "replicaties=veel",
    ] {
        let (status, body) = get(&app, &format!("{base}&{q}"), "analist").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {body}");
        let label = if q.starts_with("jaren") {
            "Horizon:"
        } else {
            "Replicaties:"
        };
        assert!(body.contains(label), "{q}: {body}");
    }

    // Exactly at the edges: computed, no panic.
    for (r, y) in [
        (
            MAX_REPLICATIONS,
            (MAX_REPLICATION_YEARS / MAX_REPLICATIONS).max(1),
        ),
        (MAX_REPLICATION_YEARS / MAX_YEARS, MAX_YEARS),
        (10, 1),
    ] {
        let (status, body) = get(
            &app,
            &format!("{base}&replicaties={r}&jaren={y}"),
            "analist",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{r} × {y}: {body}");
        assert!(
            body.contains(&format!("{r} replicaties van {y} jaar")),
            "{r} × {y}"
        );
        // The form shows the limits.
        assert!(
            body.contains(
                "ten hoogste 2.000 replicaties, 20 jaar, en replicaties × jaren ten hoogste 2.000"
            ),
            "{body}"
        );
        assert!(
            body.contains("name=\"replicaties\" min=\"10\" max=\"2000\""),
            "{body}"
        );
        assert!(
            body.contains("name=\"jaren\" min=\"1\" max=\"20\""),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_forecast_per_user_at_a_time_and_cached_ones_without_queueing() {
    let dir = tempfile::tempdir().unwrap();
    let app = demo_app(dir.path(), 7, 0.3);
    let q = |reps: u32| format!("/prognose?regio=drechtsteden&jaren=5&replicaties={reps}");
    // Computed once: from now on in the cache.
    let (status, _, body) = get_with_retry(&app, &q(20), "beleidsmedewerker").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Two new forecasts and the cached one, at the same time, by the same user.
    let (qa, qb, qc) = (q(40), q(50), q(20));
    let (a, b, cached) = tokio::join!(
        get_with_retry(&app, &qa, "beleidsmedewerker"),
        get_with_retry(&app, &qb, "beleidsmedewerker"),
        get_with_retry(&app, &qc, "beleidsmedewerker"),
    );
    assert_eq!(
        cached.0,
        StatusCode::OK,
        "the cached forecast is not queued"
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::TOO_MANY_REQUESTS],
        "one of two concurrent forecasts by one user is refused"
    );
    let busy = if a.0 == StatusCode::TOO_MANY_REQUESTS {
        &a
    } else {
        &b
    };
    assert_eq!(busy.1.as_deref(), Some("5"), "Retry-After");
    assert!(
        busy.2
            .contains("U heeft al een prognose die wordt berekend"),
        "{}",
        busy.2
    );
    assert!(busy.2.contains("Even geduld"), "{}", busy.2);

    // Once it is done, the user may ask again; another user was never held up by this one.
    let (status, _, _) = get_with_retry(&app, &q(60), "beleidsmedewerker").await;
    assert_eq!(status, StatusCode::OK);
    let (qx, qy) = (q(70), q(80));
    let (x, y) = tokio::join!(
        get_with_retry(&app, &qx, "beleidsmedewerker"),
        get_with_retry(&app, &qy, "analist"),
    );
    assert_eq!(
        (x.0, y.0),
        (StatusCode::OK, StatusCode::OK),
        "two users queue, neither is refused"
    );
}

/// Issue 12: a forecast that takes longer than the server's patience is answered 202 with a
/// progress page (a `<progress>` bar, simulations done of the total, `Refresh: 2`, no
/// script); the computation goes on in the background, a refresh while it runs shows the
/// progress again (no second computation: no 429), and the refresh after it is done shows
/// the charts.
#[tokio::test(flavor = "multi_thread")]
async fn a_long_forecast_shows_its_progress_and_then_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    let regions = Regions::builtin();
    let store = SqliteStore::open(&dir.path().join("p.sqlite"), regions.clone()).unwrap();
    let demo = vangnet_demo::generate(
        &regions,
        &vangnet_demo::DemoConfig {
            seed: 5,
            start: today().add_days(-3 * 365),
            end: today(),
            scale: 0.2,
            first_client: 1,
        },
    );
    support::import_demo(&store, demo);
    let store: Arc<dyn Store> = Arc::new(store);
    let app = TestApp::new(
        AppState::new(store)
            .with_today(today())
            .with_forecast_patience(Some(std::time::Duration::ZERO)),
    );
    let path = "/prognose?regio=meierij-bommelerwaard&groei=3&jaren=3&replicaties=60";
    let req = |app: &TestApp| {
        Request::get(path)
            .header(header::COOKIE, app.cookie("analist"))
            .body(Body::empty())
            .unwrap()
    };
    let resp = app.router.clone().oneshot(req(&app)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(resp.headers()["refresh"], "2");
    let body = String::from_utf8(
        axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(body.contains("De prognose wordt berekend"), "{body}");
    assert!(
        body.contains("<progress id=\"prognose-voortgang\" max=\"120\""),
        "{body}"
    );
    assert!(body.contains("van 120 simulaties"), "{body}");
    assert!(!body.contains("<script"), "no script");
    // Refresh until done: progress pages (never a 429 for the same forecast), then charts.
    let started = std::time::Instant::now();
    loop {
        let (status, body) = get(&app, path, "analist").await;
        match status {
            StatusCode::ACCEPTED => assert!(body.contains("simulaties"), "{body}"),
            StatusCode::OK => {
                assert!(body.contains("<svg"), "charts after the progress page");
                break;
            }
            other => panic!("{other}: {body}"),
        }
        assert!(started.elapsed().as_secs() < 600, "forecast never finished");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
