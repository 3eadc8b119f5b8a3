//! The web application driven through its router (no sockets): login, redirects, the region
//! page's counts and suppression, the access gate on client pages and the access log.

mod support;
use support::{Reply, TestApp};

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tempfile::TempDir;
use tower::ServiceExt;
use vangnet_domain::events::{Leveringsvorm, Melder, Urgentie, Woonsituatie};
use vangnet_domain::person::synthetic_person;
use vangnet_domain::rng::Rng;
use vangnet_domain::{
    AgbCode, ClientEvent, ClientId, Date, GemeenteCode, LocationId, ProductCode, RegionId, Regions,
};
use vangnet_store::{AccessGate, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

/// The day the application believes it is: fixed, so no test depends on the wall clock.
fn today() -> vangnet_domain::Date {
    vangnet_domain::Date::parse("2026-06-30").unwrap()
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn aanmelding(herkomst: Option<&str>) -> ClientEvent {
    ClientEvent::Aanmelding {
        regio: RegionId::parse("centraal-gelderland").unwrap(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: herkomst.map(|h| GemeenteCode::parse(h).unwrap()),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    }
}

fn toewijzing(product: &str) -> ClientEvent {
    ClientEvent::Toewijzing {
        product: ProductCode::parse(product).unwrap(),
        start: d("2024-02-01"),
        einde: d("2025-12-31"),
        leveringsvorm: Leveringsvorm::Zin,
        aanbieder: Some(AgbCode::parse("98000101").unwrap()),
    }
}

fn start(product: &str) -> ClientEvent {
    ClientEvent::StartZorg {
        product: ProductCode::parse(product).unwrap(),
        locatie: LocationId::parse("rijnbeschut-arnhem-centrum").unwrap(),
        overbezetting: None,
    }
}

fn write(store: &dyn Store, client: u64, events: Vec<(&str, ClientEvent)>) {
    vangnet_store::conformance::write_new(store, client, events);
}

/// The test world: in Centraal Gelderland 7 people from Duiven in beschermd wonen, 3 from
/// Arnhem in groepswonen, 1 unregistered in beschermd wonen (11 in care), and 2 from Arnhem
/// waiting for beschermd wonen intensief since 10 January 2024.
struct World {
    _dir: TempDir,
    app: TestApp,
}

fn world() -> World {
    let dir = TempDir::new().unwrap();
    let store = SqliteStore::open(&dir.path().join("web.sqlite"), Regions::builtin()).unwrap();
    let care = |herkomst: Option<&str>, product: &str| {
        vec![
            ("2024-01-10", aanmelding(herkomst)),
            ("2024-02-01", toewijzing(product)),
            ("2024-02-05", start(product)),
        ]
    };
    for c in 1..=7 {
        write(&store, c, care(Some("GM0226"), "bw-beschermd-wonen"));
    }
    for c in 8..=10 {
        write(&store, c, care(Some("GM0202"), "bw-groepswonen"));
    }
    write(&store, 11, care(None, "bw-beschermd-wonen"));
    for c in 20..=21 {
        write(
            &store,
            c,
            vec![
                ("2024-01-10", aanmelding(Some("GM0202"))),
                ("2024-01-10", toewijzing("bw-intensief")),
                (
                    "2024-01-10",
                    ClientEvent::WachtlijstIn {
                        product: ProductCode::parse("bw-intensief").unwrap(),
                        prioriteit: 0,
                    },
                ),
            ],
        );
    }
    let store: Arc<dyn Store> = Arc::new(store);
    World {
        _dir: dir,
        app: TestApp::new(AppState::new(store).with_today(today())),
    }
}

async fn send(app: &TestApp, req: Request<Body>) -> Reply {
    support::send(app, req).await
}

async fn get(app: &TestApp, path: &str, user: Option<&str>) -> Reply {
    let mut req = Request::get(path);
    if let Some(u) = user {
        req = req.header(header::COOKIE, format!("thema=licht; {}", app.cookie(u)));
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

/// The text of every `<td>` of the table with this id, tags stripped.
fn table_cells(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!("<table id=\"{id}\""))
        .unwrap_or_else(|| panic!("table {id} missing"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<td")
        .skip(1)
        .map(|c| strip_tags(&c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()]))
        .collect()
}

/// The `<td>` texts of the row whose header is `label` in table `id`.
fn row_cells(html: &str, id: &str, label: &str) -> Vec<String> {
    let start = html.find(&format!("<table id=\"{id}\"")).unwrap();
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let row_start = table
        .find(&format!("<th scope=\"row\">{label}</th>"))
        .unwrap_or_else(|| panic!("row {label} missing"));
    let row = &table[row_start..row_start + table[row_start..].find("</tr>").unwrap()];
    row.split("<td")
        .skip(1)
        .map(|c| strip_tags(&c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()]))
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in s.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

fn assert_page(body: &str) {
    assert!(body.starts_with("<!DOCTYPE html>"), "doctype");
    assert!(body.contains("<html lang=\"nl\">"));
    assert!(body.contains("Naar hoofdinhoud"));
    assert!(body.contains("<main id=\"hoofdinhoud\""));
    assert_eq!(body.matches("<h1").count(), 1, "exactly one h1");
}

/// The login page's pre-session token: (cookie header value, form field value).
async fn login_token(app: &TestApp) -> (String, String) {
    let r = get(app, "/inloggen", None).await;
    let set = r.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    let cookie = set.split(';').next().unwrap().to_owned();
    assert!(cookie.starts_with("vangnet_inlog="), "{set}");
    let token = r
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    (cookie, token)
}

#[tokio::test]
async fn login_sets_a_session_cookie_and_logout_ends_it() {
    let w = world();
    let form = |cookie: &str, body: String| {
        Request::post("/inloggen")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let (c, t) = login_token(&w.app).await;
    let r = send(
        &w.app,
        form(
            &c,
            format!("csrf={t}&gebruiker=toegang-centraal-gelderland"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/");
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("vangnet_sessie="), "{cookie}");
    assert!(
        !cookie.contains("toegang"),
        "a random token, not the id: {cookie}"
    );
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));

    let r = send(
        &w.app,
        form(
            &c,
            format!("csrf={t}&gebruiker=auditor&terug=%2Ftoegangslog"),
        ),
    )
    .await;
    assert_eq!(r.headers[header::LOCATION], "/toegangslog");
    let r = send(
        &w.app,
        form(
            &c,
            format!("csrf={t}&gebruiker=auditor&terug=%2F%2Fevil.example"),
        ),
    )
    .await;
    assert_eq!(r.headers[header::LOCATION], "/", "no open redirect");
    // Browsers drop tabs and line breaks from URLs; a line break is no header value at all.
    for sneaky in [
        "gebruiker=auditor&terug=%2F%09%2Fevil.example",
        "gebruiker=auditor&terug=%2F%0A%2Fevil.example",
        "gebruiker=auditor&terug=%2F%0D%0AX%3A+y",
    ] {
        let r = send(&w.app, form(&c, format!("csrf={t}&{sneaky}"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{sneaky}");
        assert_eq!(r.headers[header::LOCATION], "/", "{sneaky}");
    }

    let r = send(&w.app, form(&c, format!("csrf={t}&gebruiker=onbekend"))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("wachtwoord"));
    assert!(
        r.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .all(|v| !v.to_str().unwrap().starts_with("vangnet_sessie"))
    );

    let r = get(&w.app, "/inloggen", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_page(&r.body);
    for id in [
        "toegang-centraal-gelderland",
        "toegang-drechtsteden",
        "wijkteam",
        "zorgaanbieder",
        "woningcorporatie",
        "beleidsmedewerker",
        "analist",
        "auditor",
        "beheerder",
    ] {
        assert!(
            r.body
                .contains(&format!("name=\"gebruiker\" value=\"{id}\"")),
            "button for {id}"
        );
    }
    assert!(r.body.contains("demo"));

    // GET /uitloggen only shows the button; the POST (with the token) ends the session.
    let r = get(&w.app, "/uitloggen", Some("auditor")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.get(header::SET_COOKIE).is_none());
    let r = send(
        &w.app,
        Request::post("/uitloggen")
            .header(header::COOKIE, w.app.cookie("auditor"))
            .header("x-csrf-token", w.app.csrf("auditor"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_the_login_page() {
    let w = world();
    for path in [
        "/regio/centraal-gelderland",
        "/clienten/P00000001",
        "/toegangslog",
        "/bestaat-niet",
    ] {
        let r = get(&w.app, path, None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            r.headers[header::LOCATION]
                .to_str()
                .unwrap()
                .starts_with("/inloggen"),
            "{path}"
        );
    }
    // A stale or forged cookie is no login either.
    let r = get(&w.app, "/regio/centraal-gelderland", Some("hacker")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers[header::LOCATION],
        "/inloggen?terug=%2Fregio%2Fcentraal-gelderland"
    );

    let r = get(&w.app, "/api/clienten/P00000001", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("\"fout\""));

    let r = get(&w.app, "/", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_page(&r.body);
    assert!(r.body.contains("Niet ingelogd"));
    assert!(
        r.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    let r = get(&w.app, "/gezondheid", None).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    let r = get(&w.app, "/static/vangnet.css", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(r.body.contains(":focus-visible"));
}

#[tokio::test]
async fn home_lists_every_region_with_its_figures() {
    let w = world();
    let r = get(&w.app, "/", Some("toegang-centraal-gelderland")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_page(&r.body);
    for id in [
        "centraal-gelderland",
        "drechtsteden",
        "meierij-bommelerwaard",
        "nijmegen-rivierenland",
    ] {
        assert!(r.body.contains(&format!("href=\"/regio/{id}\"")), "{id}");
    }
    assert!(r.body.contains("Arnhem"), "centrumgemeente");
    assert!(
        r.body.contains("<dt>In zorg</dt><dd>11</dd>"),
        "exact for the region's own clerk"
    );
    assert!(r.body.contains("<dt>Op de wachtlijst</dt><dd>2</dd>"));
    assert!(r.body.contains("Ingelogd als"));
    // Everyone else sees the published figures: the region total is not small, so it is
    // exact (issue 12; it was "≥9": 7 shown + 2 cells of "<5").
    let r = get(&w.app, "/", Some("beleidsmedewerker")).await;
    assert!(r.body.contains("<dt>In zorg</dt><dd>11</dd>"), "{}", r.body);
    assert!(r.body.contains("<dt>Op de wachtlijst</dt><dd>&lt;5</dd>"));
}

#[tokio::test]
async fn region_page_shows_exact_counts_and_the_waiting_list_to_the_regions_access_team() {
    let w = world();
    let r = get(
        &w.app,
        "/regio/centraal-gelderland",
        Some("toegang-centraal-gelderland"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_page(&r.body);
    assert!(r.body.contains("<h1>Regio Centraal Gelderland</h1>"));
    // Columns: Zelfstandig, Groepswonen, Beschermd wonen, Intensief, Logeeropvang, Bed &
    // break, the two products before May 2018, 24-uurs, the three MO forms of seed 001 §3.2,
    // Vrouwenopvang; then total.
    assert!(r.body.contains("<th scope=\"col\">Beschermd wonen</th>"));
    let zeros = |n: usize| vec!["0"; n];
    let duiven = row_cells(&r.body, "in-zorg", "Duiven");
    assert_eq!(duiven, [vec!["0", "0", "7"], zeros(10), vec!["7"]].concat());
    let arnhem = row_cells(&r.body, "in-zorg", "Arnhem");
    assert_eq!(arnhem, [vec!["0", "3"], zeros(11), vec!["3"]].concat());
    let unregistered = row_cells(&r.body, "in-zorg", "niet ingeschreven");
    assert_eq!(unregistered[2], "1");
    let totals = row_cells(&r.body, "in-zorg", "Totaal");
    assert_eq!(
        totals,
        [vec!["0", "3", "8"], zeros(10), vec!["11"]].concat()
    );
    // Waiting per product: 2 for intensief, waiting far longer than 8 weeks.
    let wait = row_cells(&r.body, "wachtlijst", "Beschermd wonen intensief");
    assert_eq!(wait[0], "2");
    assert!(wait[1].parse::<i64>().unwrap() > 56);
    assert_eq!(wait[2], "56");
    assert_eq!(wait[3], "Boven de norm");
    // Occupancy per location: 8 + 3 at Arnhem Centrum.
    assert!(
        r.body.contains(">8 van 160<"),
        "beschermd wonen at Arnhem Centrum"
    );
    assert!(
        r.body.contains(">3 van 60<"),
        "groepswonen at Arnhem Centrum"
    );
    // The pseudonymous waiting list, linking to the client pages.
    assert!(r.body.contains("href=\"/clienten/P00000020\""));
    assert!(r.body.contains("href=\"/clienten/P00000021\""));
    // Another region's clerk gets published figures and no client list.
    let r = get(
        &w.app,
        "/regio/centraal-gelderland",
        Some("toegang-drechtsteden"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("/clienten/"));
    assert!(!r.body.contains("wachtlijst-clienten"));
    // Unknown region.
    let r = get(&w.app, "/regio/atlantis", Some("analist")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_page(&r.body);
}

#[tokio::test]
async fn policy_officers_never_see_a_small_number() {
    let w = world();
    for user in ["beleidsmedewerker", "analist"] {
        let r = get(&w.app, "/regio/centraal-gelderland", Some(user)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_page(&r.body);
        for table in ["in-zorg", "wachtlijst", "bezetting"] {
            for c in table_cells(&r.body, table) {
                let n = c.replace('.', "").parse::<u64>();
                assert!(
                    !matches!(n, Ok(1..=4)),
                    "{user}: small number {c} in table {table}"
                );
            }
        }
        assert!(row_cells(&r.body, "in-zorg", "Arnhem").contains(&"<5".to_owned()));
        assert_eq!(
            row_cells(&r.body, "in-zorg", "Arnhem").last().unwrap(),
            "<5",
            "row total of one suppressed cell"
        );
        let groepswonen = row_cells(&r.body, "in-zorg", "Totaal")[1].clone();
        assert_eq!(groepswonen, "<5", "column total of one suppressed cell");
        // Column 2 holds Duiven's 7 and the unregistered 1: with the exact region total and
        // Duiven's exact 7, an exact column total would give the 1 and Arnhem's 3 away, so it
        // is hidden (complementary suppression, issue 12).
        assert_eq!(
            row_cells(&r.body, "in-zorg", "Totaal")[2],
            "—",
            "the complement of two suppressed cells"
        );
        assert_eq!(
            row_cells(&r.body, "in-zorg", "Duiven").last().unwrap(),
            "7",
            "fully shown row keeps its exact total"
        );
        assert_eq!(
            row_cells(&r.body, "in-zorg", "Totaal").last().unwrap(),
            "11",
            "the region total is exact"
        );
        let wait = row_cells(&r.body, "wachtlijst", "Beschermd wonen intensief");
        assert_eq!(wait[0], "<5");
        assert_eq!(
            wait[1], "—",
            "longest wait of a suppressed count is not shown"
        );
        assert!(!r.body.contains("/clienten/"), "no client-level list");
        assert!(
            !r.body.contains("Rijnbeschut Arnhem Centrum"),
            "no per-location occupancy"
        );

        let r = get(
            &w.app,
            "/api/regio/centraal-gelderland/overzicht",
            Some(user),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["onderdrukt"], true);
        let mut seen_small = false;
        for row in v["in_care"].as_array().unwrap() {
            match &row[2] {
                serde_json::Value::Number(n) => assert!(
                    n.as_u64().unwrap() >= 5,
                    "{user}: raw small number in JSON: {row}"
                ),
                serde_json::Value::String(s) => {
                    assert_eq!(s, "<5");
                    seen_small = true;
                }
                // A complement hidden by complementary suppression.
                serde_json::Value::Null => {}
                other => panic!("unexpected {other}"),
            }
        }
        assert!(seen_small);
        assert_eq!(v["waiting"][0][1], "<5");
        assert!(v["waiting"][0][2].is_null());
        assert_eq!(v["occupancy"].as_array().unwrap().len(), 0);
        for row in v["occupancy_per_product"].as_array().unwrap() {
            assert!(!matches!(row[1].as_u64(), Some(1..=4)), "{row}");
        }
    }
    // The region's own clerk gets the raw overview.
    let r = get(
        &w.app,
        "/api/regio/centraal-gelderland/overzicht",
        Some("toegang-centraal-gelderland"),
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["onderdrukt"], false);
    assert!(
        v["in_care"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(["GM0202", "bw-groepswonen", 3]))
    );
    assert_eq!(v["waiting"][0][1], 2);
}

#[tokio::test]
async fn client_pages_go_through_the_gate_and_refusals_are_logged() {
    let w = world();
    let r = get(
        &w.app,
        "/clienten/P00000001",
        Some("toegang-centraal-gelderland"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_page(&r.body);
    assert!(r.body.contains("Dossier P00000001"));
    let person = synthetic_person(&mut Rng::new(1), 1, d("1990-04-01"));
    assert!(r.body.contains(&person.naam()));
    let bsn = person.bsn.digits();
    assert!(!r.body.contains(&bsn), "full BSN must not be shown");
    assert!(r.body.contains(&format!("******{}", &bsn[6..])));
    assert!(r.body.contains("In zorg"));
    assert!(r.body.contains("Rijnbeschut Arnhem Centrum"));
    assert_eq!(
        table_cells(&r.body, "historie").len(),
        3 * 5,
        "three events, five data columns each"
    );
    assert!(r.body.contains("Besluit: toewijzing"));

    let r = get(&w.app, "/clienten/P00000001", Some("toegang-drechtsteden")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_page(&r.body);
    assert!(r.body.contains("Geen toegang"));
    assert!(r.body.contains("vastgelegd in het toegangslog"));
    assert!(!r.body.contains(&person.naam()));

    // Aggregate-only roles and the auditor cannot read records either.
    for user in [
        "beleidsmedewerker",
        "analist",
        "auditor",
        "woningcorporatie",
    ] {
        assert_eq!(
            get(&w.app, "/clienten/P00000001", Some(user)).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
    }
    // The demo provider belongs to the first region (Nijmegen), not to this client's.
    assert_eq!(
        get(&w.app, "/clienten/P00000001", Some("zorgaanbieder"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // A client that does not exist: the same answer as one that is not yours (issue 11),
    // also for the region's own team.
    let r = get(
        &w.app,
        "/clienten/P09999999",
        Some("toegang-centraal-gelderland"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_page(&r.body);
    let not_yours = get(&w.app, "/clienten/P00000001", Some("toegang-drechtsteden")).await;
    let missing = get(&w.app, "/clienten/P09999999", Some("toegang-drechtsteden")).await;
    assert_eq!(
        (not_yours.status, not_yours.body),
        (missing.status, missing.body)
    );
    let r = get(
        &w.app,
        "/clienten/onzin",
        Some("toegang-centraal-gelderland"),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The auditor sees the refusal, with the stated purpose.
    let r = get(&w.app, "/toegangslog", Some("auditor")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_page(&r.body);
    let log = &r.body[r.body.find("<table id=\"toegangslog\"").unwrap()..];
    let refusal = log
        .split("<tr>")
        .find(|row| row.contains("toegang-drechtsteden") && row.contains("P00000001"))
        .expect("refused read is in the log");
    assert!(refusal.contains("geweigerd"));
    assert!(refusal.contains("dossier inzien"));
    assert!(
        log.split("<tr>")
            .any(|row| row.contains("toegang-centraal-gelderland")
                && row.contains("toegestaan")
                && row.contains("dossier inzien"))
    );
}

#[tokio::test]
async fn only_the_auditor_reads_the_access_log() {
    let w = world();
    for user in [
        "toegang-centraal-gelderland",
        "beleidsmedewerker",
        "analist",
        "wijkteam",
        "zorgaanbieder",
        "woningcorporatie",
    ] {
        let r = get(&w.app, "/toegangslog", Some(user)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
        assert_page(&r.body);
        assert!(r.body.contains("Geen toegang"));
    }
    let r = get(&w.app, "/toegangslog", Some("auditor")).await;
    assert!(
        r.body.contains("toegangslog gelezen") && !r.body.contains("toegangslog_lezen"),
        "the refused log reads are logged, in words"
    );
    // The waiting list shown on the region page is logged per client, with its purpose.
    get(
        &w.app,
        "/regio/centraal-gelderland",
        Some("toegang-centraal-gelderland"),
    )
    .await;
    let r = get(&w.app, "/toegangslog", Some("auditor")).await;
    assert!(r.body.contains("wachtlijst beheren"));
}

#[tokio::test]
async fn the_auditor_filters_and_downloads_the_access_log() {
    let w = world();
    // One allowed read of P00000001 and refused attempts by others.
    get(
        &w.app,
        "/clienten/P00000001",
        Some("toegang-centraal-gelderland"),
    )
    .await;
    get(&w.app, "/clienten/P00000001", Some("beleidsmedewerker")).await;
    get(&w.app, "/toegangslog", Some("analist")).await;

    // Refusals only: every row says "geweigerd", and the analist's refused log read is there.
    let r = get(&w.app, "/toegangslog?geweigerd=1", Some("auditor")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_page(&r.body);
    let rows: Vec<&str> = r.body.split("<tr>").skip(2).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|row| row.contains("geweigerd") && !row.contains("toegestaan"))
    );
    assert!(rows.iter().any(|row| row.contains("toegangslog gelezen")));

    // One client: only rows about P00000001, both the allowed and the refused read.
    let r = get(&w.app, "/toegangslog?client=P00000001", Some("auditor")).await;
    let rows: Vec<&str> = r.body.split("<tr>").skip(2).collect();
    assert!(rows.len() >= 2);
    assert!(rows.iter().all(|row| row.contains("P00000001")));
    assert!(rows.iter().any(|row| row.contains("toegestaan")));
    assert!(rows.iter().any(|row| row.contains("geweigerd")));

    // One user and a limit.
    let r = get(
        &w.app,
        "/toegangslog?gebruiker=toegang-centraal-gelderland&aantal=1",
        Some("auditor"),
    )
    .await;
    assert_eq!(r.body.split("<tr>").skip(2).count(), 1);
    assert!(r.body.contains("1 vastlegging die aan het filter voldoen"));

    // Bad filters: a Dutch message naming the field, 422.
    for (q, msg) in [
        ("client=12345", "geen cliëntnummer"),
        ("aantal=0", "Aantal '0' is ongeldig"),
        ("aantal=999999", "Aantal '999999' is ongeldig"),
    ] {
        let r = get(&w.app, &format!("/toegangslog?{q}"), Some("auditor")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(r.body.contains(msg), "{q}");
    }

    // The CSV holds exactly the filtered rows (header + rows), for Dutch Excel.
    let r = get(
        &w.app,
        "/toegangslog.csv?client=P00000001&geweigerd=1",
        Some("auditor"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let lines: Vec<&str> = r.body.trim_end().lines().collect();
    assert!(lines[0].contains("Tijdstip (Nederlandse tijd);Gebruiker;Gebruikersnaam;Rol"));
    assert!(lines.len() >= 2);
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains("P00000001") && l.contains(";geweigerd;"))
    );

    // The workbook is a ZIP; refused for anyone but the auditor, and that is logged.
    let mut req = Request::get("/toegangslog.xlsx");
    req = req.header(header::COOKIE, w.app.cookie("auditor"));
    let resp = w
        .app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let r = get(&w.app, "/toegangslog.csv", Some("beleidsmedewerker")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = get(
        &w.app,
        "/toegangslog?gebruiker=beleidsmedewerker&geweigerd=1",
        Some("auditor"),
    )
    .await;
    assert!(r.body.contains("toegangslog downloaden"));
}

#[tokio::test]
async fn client_api_answers_json_through_the_gate() {
    let w = world();
    let r = get(
        &w.app,
        "/api/clienten/P00000020",
        Some("toegang-centraal-gelderland"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["client"], "P00000020");
    assert_eq!(v["fase"], "wachtend");
    assert_eq!(v["events"].as_array().unwrap().len(), 3);
    assert_eq!(v["state"]["wacht"]["product"], "bw-intensief");
    assert!(v["persoon"]["bsn"].as_str().unwrap().starts_with("******"));

    let r = get(
        &w.app,
        "/api/clienten/P00000020",
        Some("toegang-drechtsteden"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(v["fout"].as_str().unwrap().contains("geen toegang"));
    assert!(v.get("state").is_none());

    let r = get(
        &w.app,
        "/api/clienten/P09999999",
        Some("toegang-drechtsteden"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "as for a client not yours");
    assert_eq!(
        r.body,
        get(
            &w.app,
            "/api/clienten/P00000020",
            Some("toegang-drechtsteden")
        )
        .await
        .body
    );
    let r = get(&w.app, "/api/regio/atlantis/overzicht", Some("analist")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[test]
fn store_errors_map_to_statuses() {
    use vangnet_store::StoreError;
    use vangnet_web::status_of;
    assert_eq!(
        status_of(&StoreError::Denied("x".into())),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_of(&StoreError::NotFound(ClientId(1))),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status_of(&StoreError::Invalid("x".into())),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        status_of(&StoreError::Person("x".into())),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        status_of(&StoreError::KeyReused("k".into())),
        StatusCode::CONFLICT
    );
    assert_eq!(
        status_of(&StoreError::Conflict {
            client: ClientId(1),
            expected: Some(1),
            actual: 2
        }),
        StatusCode::CONFLICT
    );
    assert_eq!(
        status_of(&StoreError::Backend("x".into())),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let _ = AccessGate::system("test");
}

#[tokio::test]
async fn region_page_shows_each_facts_source_or_aanname() {
    let w = world();
    let r = get(
        &w.app,
        "/regio/centraal-gelderland",
        Some("toegang-centraal-gelderland"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_page(&r.body);
    assert!(r.body.contains("Regioprofiel: bronnen en aannames"));
    // Groepswonen: ambulant per seed 001 §3.3, its 2-year maximum from bijlage 3.
    assert!(
        r.body
            .contains("Bron: Transformatieplan \u{2018}Samen aan zet!\u{2019} (Centraal Gelderland, 2019) bijlage 3")
    );
    let shown = r
        .body
        .find("seed 0")
        .map(|i| &r.body[i.saturating_sub(200)..i + 40]);
    assert!(shown.is_none(), "no seed file names on screen: {shown:?}");
    assert!(r.body.contains("extramuraal (ambulant)"));
    assert!(r.body.contains("Maximaal 2 jaar in te zetten"));
    // The waiting norm is marked as an assumption, with the badge.
    assert!(r.body.contains(">aanname</abbr>"));
    assert!(r.body.contains("geen seed noemt een wachttijdnorm"));
    // The access model per seed 002 (hybride: the local loket indicates).
    assert!(r.body.contains("het lokale loket indiceert"));
    // Drechtsteden: Vijfheerenlanden is listed as a former member.
    let r = get(&w.app, "/regio/drechtsteden", Some("toegang-drechtsteden")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_page(&r.body);
    assert!(r.body.contains("Vijfheerenlanden"));
    assert!(r.body.contains("geen lid meer"));
    assert!(r.body.contains("<dt>Gemeenten</dt><dd>9</dd>"));
    // Nijmegen: the two sub-regio's.
    let r = get(
        &w.app,
        "/regio/nijmegen-rivierenland",
        Some("toegang-nijmegen-rivierenland"),
    )
    .await;
    assert!(r.body.contains("<strong>Rijk van Nijmegen</strong>"));
    assert!(r.body.contains("<strong>Rivierenland</strong>"));
}
