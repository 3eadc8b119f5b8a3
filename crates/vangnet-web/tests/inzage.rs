//! The client's own access overview (`/clienten/{id}/inzage`, AVG inzage) and the access
//! log's naming of people: only the access team of the client's region draws it up, it lists
//! who saw the record in Dutch time with display names, the CSV holds the same rows, every
//! reading is logged; `/prognose` reads the events in the name of the user who asked.

mod support;
use support::{Reply, TestApp};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tempfile::TempDir;
use vangnet_domain::events::{Melder, Urgentie, Woonsituatie};
use vangnet_domain::{ClientEvent, GemeenteCode, RegionId, Regions};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::{AppState, demo_users};

async fn get(app: &TestApp, path: &str, user: &str) -> Reply {
    let req = Request::get(path)
        .header(header::COOKIE, app.cookie(user))
        .header("x-csrf-token", app.csrf(user))
        .body(Body::empty())
        .unwrap();
    support::send(app, req).await
}

fn world() -> (TempDir, TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("inzage.sqlite"), Regions::builtin()).unwrap();
    for c in 1..=2 {
        vangnet_store::conformance::write_new(
            &store,
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
    let app = TestApp::new(AppState::new(std::sync::Arc::new(store)));
    (dir, app)
}

/// The rows of table `id`, tags stripped, cells joined by `|`.
fn rows(html: &str, id: &str) -> Vec<String> {
    let start = html.find(&format!("<table id=\"{id}\"")).expect("table");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(2)
        .map(|r| {
            let mut out = String::new();
            let mut in_tag = false;
            for ch in r.chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        out.push('|');
                    }
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out.split('|')
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

fn is_dutch_time(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 16
        && b[2] == b'-'
        && b[5] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && s.chars()
            .enumerate()
            .all(|(i, c)| [2, 5, 10, 13].contains(&i) || c.is_ascii_digit())
}

#[tokio::test]
async fn the_regions_access_team_draws_up_the_overview_and_it_is_logged() {
    let (_d, app) = world();
    let team = "toegang-centraal-gelderland";
    let naam = demo_users(&Regions::builtin())
        .into_iter()
        .find(|u| u.id == team)
        .unwrap()
        .naam;
    assert_eq!(
        get(&app, "/clienten/P00000001", team).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, "/clienten/P00000001", "toegang-drechtsteden")
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let r = get(&app, "/clienten/P00000001/inzage", team).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains("Wie heeft uw gegevens ingezien of gewijzigd?")
    );
    let found = rows(&r.body, "inzage");
    // Created (by the conformance clerk), read by the team, refused for the other region.
    assert_eq!(found.len(), 3, "{found:?}");
    for row in &found {
        let time = row.split('|').next().unwrap();
        assert!(is_dutch_time(time), "{time}");
    }
    assert!(found[0].contains("dossier aangemaakt"), "{}", found[0]);
    assert!(
        found[1].contains(&naam)
            && found[1].contains("dossier ingezien")
            && found[1].contains("Toegangsmedewerker")
            && found[1].contains("toegestaan"),
        "{}",
        found[1]
    );
    assert!(found[2].contains("geweigerd"), "{}", found[2]);
    assert!(r.body.contains("/clienten/P00000001/inzage.csv"));
    // Another client's rows are not in it.
    assert!(!r.body.contains("P00000002"));

    // The CSV: the same rows, with the time as recorded.
    let csv = get(&app, "/clienten/P00000001/inzage.csv", team).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let lines: Vec<&str> = csv.body.trim_end().lines().collect();
    assert!(lines[0].contains("Datum en tijd;Organisatie;Rol;Medewerker;Handeling;Doel;Besluit"));
    // Header, the three rows and the page's own reading, then the source note.
    assert!(
        lines
            .iter()
            .any(|l| l.contains("dit inzageoverzicht opgesteld"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&naam) && l.contains("dossier ingezien"))
    );

    // Others are refused — also the auditor and the other region's team.
    for user in [
        "toegang-drechtsteden",
        "auditor",
        "analist",
        "zorgaanbieder",
    ] {
        let r = get(&app, "/clienten/P00000001/inzage", user).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
    // A client that does not exist: refused as one that is not the team's (issue 11).
    let missing = get(&app, "/clienten/P09999999/inzage", team).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let other = "toegang-drechtsteden";
    let missing = get(&app, "/clienten/P09999999/inzage", other).await;
    let not_ours = get(&app, "/clienten/P00000001/inzage", other).await;
    assert_eq!(
        (missing.status, missing.body),
        (not_ours.status, not_ours.body)
    );
    assert_eq!(
        get(&app, "/clienten/onzin/inzage", team).await.status,
        StatusCode::NOT_FOUND
    );

    // Every reading and every refusal is in the access log.
    let log = get(&app, "/toegangslog?client=P00000001", "auditor").await;
    let log = rows(&log.body, "toegangslog");
    assert!(
        log.iter()
            .any(|r| r.contains("inzageoverzicht voor de cliënt opgesteld")
                && r.contains("inzage cliënt (AVG art. 15)")
                && r.contains("toegestaan"))
    );
    assert!(
        log.iter()
            .any(|r| r.contains("inzageoverzicht voor de cliënt opgesteld")
                && r.contains("inzage cliënt downloaden"))
    );
    assert!(
        log.iter()
            .any(|r| r.contains("inzageoverzicht voor de cliënt opgesteld")
                && r.contains("auditor")
                && r.contains("geweigerd"))
    );
}

#[tokio::test]
async fn the_forecast_reads_the_events_in_the_name_of_the_user() {
    let (_d, app) = world();
    let r = get(
        &app,
        "/prognose?regio=centraal-gelderland&jaren=1&replicaties=10",
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let log = get(&app, "/toegangslog?gebruiker=beleidsmedewerker", "auditor").await;
    let log = rows(&log.body, "toegangslog");
    assert!(
        log.iter().any(|r| r.contains("beleidsmedewerker")
            && r.contains("|export|prognose|toegestaan|")
            && r.contains("systeemtaak prognose, gestart door beleidsmedewerker")),
        "{log:?}"
    );
    let all = get(&app, "/toegangslog", "auditor").await;
    assert!(!all.body.contains("systeem:prognose"));
}
