//! `/toegangslog`, the auditor's screen (issue 12): every filter — period, organisation, role,
//! purpose, user (by login or display name), client, refusals — narrows to exactly the matching
//! rows, in SQL, on SQLite and on PostgreSQL (when `VANGNET_TEST_DATABASE_URL` is set); an
//! invalid filter is answered 422 with the same form, the field named and the other filters
//! kept; people by display name with the login beside it; actions in words; Dutch time.

mod support;
use support::TestApp;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use vangnet_domain::events::{Melder, Urgentie, Woonsituatie};
use vangnet_domain::{Actor, ClientEvent, GemeenteCode, Organisation, RegionId, Regions, Role};
use vangnet_store::{AccessEntry, AccessGate, AccessLogFilter, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

struct Reply {
    status: StatusCode,
    body: String,
}

async fn get(app: &TestApp, path: &str, user: &str) -> Reply {
    let req = app.as_user(Request::get(path), user);
    let resp = app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

/// The rows of the log table, tags stripped, cells joined by `|`.
fn rows(html: &str) -> Vec<String> {
    let Some(start) = html.find("<table id=\"toegangslog\"") else {
        return Vec::new();
    };
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr>")
        .skip(1)
        .map(|r| {
            let mut out = String::new();
            let mut in_tag = false;
            for ch in r.replace("</td>", "|").replace("</th>", "|").chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out
        })
        .filter(|r| !r.starts_with("Geen vastleggingen"))
        .collect()
}

fn seed(store: &dyn Store) {
    for c in 1..=2 {
        vangnet_store::conformance::write_new(
            store,
            c,
            vec![(
                "2024-01-10",
                ClientEvent::Aanmelding {
                    regio: RegionId::parse("centraal-gelderland").unwrap(),
                    melder: Melder::Wijkteam,
                    herkomst_gemeente: Some(GemeenteCode::parse("GM0226").unwrap()),
                    woonsituatie: Woonsituatie::Thuis,
                    urgentie: Urgentie::Regulier,
                    voordeur: None,
                },
            )],
        );
    }
}

fn auditor() -> AccessGate {
    AccessGate::new(
        Actor {
            user: "auditor".into(),
            role: Role::Auditor,
            organisation: Organisation::Vangnet,
        },
        "test: toegangslog",
    )
}

/// A few log rows by several people, a little apart in time.
async fn activity(app: &TestApp) {
    for (path, user) in [
        ("/clienten/P00000001", "toegang-centraal-gelderland"),
        ("/clienten/P00000002", "toegang-centraal-gelderland"),
        ("/clienten/P00000001", "beleidsmedewerker"),
        ("/toegangslog", "analist"),
        ("/clienten/P00000002", "toegang-drechtsteden"),
    ] {
        get(app, path, user).await;
        std::thread::sleep(std::time::Duration::from_millis(3));
    }
}

/// Each filter against the full log filtered here, on `store` (SQL does the filtering there).
fn store_filters_narrow_exactly(store: &dyn Store) {
    let gate = auditor();
    let full = store.access_log(&gate, 10_000).unwrap();
    assert!(full.len() >= 5, "{full:?}");
    let check = |f: AccessLogFilter, keep: &dyn Fn(&AccessEntry) -> bool, what: &str| {
        let got = store.access_log_filtered(&gate, &f).unwrap();
        let want: Vec<AccessEntry> = full.iter().filter(|e| keep(e)).cloned().collect();
        assert!(!want.is_empty(), "{what}: the test needs matching rows");
        assert!(want.len() < full.len(), "{what}: the test needs other rows");
        assert_eq!(got, want, "{what}");
    };
    let all = |f: AccessLogFilter| AccessLogFilter { limit: 10_000, ..f };
    check(
        all(AccessLogFilter {
            role: Some("beleidsmedewerker".into()),
            ..Default::default()
        }),
        &|e| e.role == "beleidsmedewerker",
        "rol",
    );
    check(
        all(AccessLogFilter {
            organisation: Some("regio:centraal-gelderland".into()),
            ..Default::default()
        }),
        &|e| e.organisation == "regio:centraal-gelderland",
        "organisatie",
    );
    check(
        all(AccessLogFilter {
            purpose: Some("DOSSIER".into()),
            ..Default::default()
        }),
        &|e| e.purpose.to_lowercase().contains("dossier"),
        "doel (deel, hoofdletterongevoelig)",
    );
    // A period between two rows: from the second row's instant (inclusive) to the
    // second-newest's (exclusive).
    let mut ats: Vec<&str> = full.iter().map(|e| e.at.as_str()).collect();
    ats.sort_unstable();
    ats.dedup();
    assert!(ats.len() >= 4, "rows need distinct instants: {ats:?}");
    let (from, until) = (ats[1].to_owned(), ats[ats.len() - 2].to_owned());
    check(
        all(AccessLogFilter {
            from: Some(from.clone()),
            until: Some(until.clone()),
            ..Default::default()
        }),
        &|e| e.at.as_str() >= from.as_str() && e.at.as_str() < until.as_str(),
        "periode",
    );
    check(
        all(AccessLogFilter {
            role: Some("toegangsmedewerker".into()),
            organisation: Some("regio:centraal-gelderland".into()),
            purpose: Some("dossier inzien".into()),
            ..Default::default()
        }),
        &|e| {
            e.role == "toegangsmedewerker"
                && e.organisation == "regio:centraal-gelderland"
                && e.purpose.contains("dossier inzien")
        },
        "gecombineerd",
    );
}

async fn the_screen(app: &TestApp, store: &dyn Store) {
    activity(app).await;
    // The store's client may block (PostgreSQL): leave the runtime for the direct calls.
    tokio::task::block_in_place(|| store_filters_narrow_exactly(store));

    // Role: only the policy officer's rows, by name with the login beside it.
    let r = get(
        app,
        "/toegangslog?rol=beleidsmedewerker&aantal=5000",
        "auditor",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let rs = rows(&r.body);
    assert!(!rs.is_empty());
    for row in &rs {
        assert!(
            row.contains("|Mark de Graaf|beleidsmedewerker|Beleidsmedewerker|"),
            "{row}"
        );
    }
    assert!(
        r.body
            .contains(r#"<option value="beleidsmedewerker" selected>"#)
    );

    // Organisation: the region's team and analist only.
    let r = get(
        app,
        "/toegangslog?organisatie=regio%3Acentraal-gelderland",
        "auditor",
    )
    .await;
    let rs = rows(&r.body);
    assert!(
        rs.iter()
            .any(|row| row.contains("|toegang-centraal-gelderland|"))
    );
    assert!(rs.iter().all(|row| !row.contains("|beleidsmedewerker|")
        && !row.contains("|toegang-drechtsteden|")
        && !row.contains("|auditor|")));

    // Purpose, by part of it: the reads of records, not the log reads.
    let r = get(app, "/toegangslog?doel=dossier", "auditor").await;
    let rs = rows(&r.body);
    assert!(rs.len() >= 4, "{rs:?}");
    assert!(
        rs.iter().all(|row| row.contains("|dossier inzien|")),
        "{rs:?}"
    );

    // User by display name = by login.
    let by_name = rows(
        &get(app, "/toegangslog?gebruiker=Iris+Dijkstra", "auditor")
            .await
            .body,
    );
    assert!(!by_name.is_empty());
    assert!(
        by_name
            .iter()
            .all(|row| row.contains("|Iris Dijkstra|analist|"))
    );

    // Period, in Dutch calendar days: today holds everything, yesterday and tomorrow nothing.
    let today = vangnet_store::time::today();
    let (yesterday, tomorrow) = (today.add_days(-1), today.add_days(1));
    let n = |q: String| async move {
        rows(&get(app, &format!("/toegangslog?{q}"), "auditor").await.body).len()
    };
    let whole = n("aantal=5000".into()).await;
    assert!(n(format!("van={today}&tot={today}&aantal=5000")).await >= whole);
    assert_eq!(n(format!("tot={yesterday}")).await, 0);
    assert_eq!(n(format!("van={tomorrow}")).await, 0);
    // dd-mm-jjjj is understood too.
    let dutch = vangnet_web::labels::date(today);
    assert!(n(format!("van={dutch}&tot={dutch}")).await > 0);

    // Dutch time to the second, action words, no code words, names.
    let r = get(app, "/toegangslog?aantal=5000", "auditor").await;
    let rs = rows(&r.body);
    let first = &rs[0];
    let stamp = first.split('|').next().unwrap();
    let b = stamp.as_bytes();
    assert!(
        stamp.len() == 19
            && b[2] == b'-'
            && b[5] == b'-'
            && b[10] == b' '
            && b[13] == b':'
            && b[16] == b':',
        "dd-mm-jjjj uu:mm:ss: {stamp}"
    );
    assert!(stamp.starts_with(&dutch), "{stamp} is today in Dutch time");
    assert!(rs.iter().any(|row| row.contains("|toegangslog gelezen|")));
    assert!(rs.iter().any(|row| row.contains("|dossier ingezien|")));
    assert!(rs.iter().any(|row| row.contains("|Petra Koster|auditor|")));
    for code in ["toegangslog_lezen", "|lezen|", "inzage_toegangslog"] {
        assert!(!r.body.contains(code), "code word {code}");
    }

    // Invalid filters: 422, the same form with the error at the field, the rest kept.
    for (q, field, msg) in [
        (
            "van=2026-13-01&rol=auditor&doel=inzien",
            "van",
            "geen geldige datum",
        ),
        (
            "tot=31-02-2026&rol=auditor&doel=inzien",
            "tot",
            "geen geldige datum",
        ),
        (
            "rol=directeur&doel=inzien&van=2026-01-01",
            "rol",
            "geen bekende rol",
        ),
        (
            "organisatie=bank%3Ax&doel=inzien&rol=auditor",
            "organisatie",
            "geen bekende organisatie",
        ),
        (
            "van=2026-03-02&tot=2026-03-01&rol=auditor&doel=inzien",
            "tot",
            "ligt vóór",
        ),
        ("aantal=5001&rol=auditor&doel=inzien", "aantal", "ongeldig"),
    ] {
        let r = get(app, &format!("/toegangslog?{q}"), "auditor").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(r.body.contains(msg), "{q}: {msg}");
        assert!(
            r.body.contains(&format!("id=\"fout-{field}\"")),
            "{q}: error at field {field}"
        );
        assert!(
            r.body.contains(&format!("href=\"#f-{field}\"")),
            "{q}: summary links {field}"
        );
        assert!(r.body.contains("<form"), "{q}: the form again");
        assert!(r.body.contains("value=\"inzien\""), "{q}: doel kept");
        assert!(
            !r.body.contains("<table id=\"toegangslog\""),
            "{q}: no rows under a bad filter"
        );
    }
    let r = get(
        app,
        "/toegangslog?rol=directeur&organisatie=regio%3Acentraal-gelderland",
        "auditor",
    )
    .await;
    assert!(
        r.body
            .contains(r#"<option value="regio:centraal-gelderland" selected>"#)
    );
    // Not the auditor: still refused (403), also with a bad filter.
    let r = get(app, "/toegangslog?rol=directeur", "analist").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The download holds the same filter's rows, with names and Dutch time.
    let r = get(app, "/toegangslog.csv?rol=beleidsmedewerker", "auditor").await;
    assert_eq!(r.status, StatusCode::OK);
    let lines: Vec<&str> = r.body.trim_end().lines().collect();
    assert!(lines.len() >= 2);
    assert!(
        lines[1..]
            .iter()
            .filter(|l| !l.trim().is_empty() && l.contains(';'))
            .take_while(|l| !l.starts_with("Bron"))
            .all(|l| l.contains(";Mark de Graaf;beleidsmedewerker;Beleidsmedewerker;")),
        "{lines:?}"
    );
    let r = get(app, "/toegangslog.csv?van=2026-13-01", "auditor").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_filter_narrows_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        Arc::new(SqliteStore::open(&dir.path().join("log.sqlite"), Regions::builtin()).unwrap());
    seed(store.as_ref());
    let app = TestApp::new(AppState::new(store.clone() as Arc<dyn Store>));
    the_screen(&app, store.as_ref()).await;
}

#[test]
fn every_filter_narrows_on_postgresql() {
    let Some(url) = vangnet_store_postgres::testing::test_database_url() else {
        return;
    };
    let url = vangnet_store_postgres::testing::reset_schema(&url, "web_toegangslog").unwrap();
    let store: Arc<dyn Store> =
        Arc::new(vangnet_store_postgres::PostgresStore::connect(&url, Regions::builtin()).unwrap());
    seed(store.as_ref());
    let app = TestApp::new(AppState::new(store.clone()));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(the_screen(&app, store.as_ref()));
    drop(app); // outside the runtime: PostgreSQL's client blocks when it closes
    drop(store);
}
