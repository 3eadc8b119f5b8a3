//! The agreed-actions page `/monitor/{regio}/acties` through the router (no sockets): a policy
//! officer sees all 25 proposals of Samen Dichtbij grouped by theme with their sources, the
//! stand as text and the peildatum; the filters on gemeente and stand work and are validated;
//! the auditor gets the Dutch 403 page.

mod support;
use support::TestApp;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tempfile::TempDir;
use tower::ServiceExt;
use vangnet_domain::Regions;
use vangnet_store::Store;
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

/// The day the application believes it is: fixed, so no test depends on the wall clock.
fn today() -> vangnet_domain::Date {
    vangnet_domain::Date::parse("2026-06-30").unwrap()
}

struct World {
    _dir: TempDir,
    app: TestApp,
}

/// The actions are configuration, not client data: an empty store is enough.
fn world() -> World {
    let dir = TempDir::new().unwrap();
    let store = SqliteStore::open(&dir.path().join("acties.sqlite"), Regions::builtin()).unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
    World {
        _dir: dir,
        app: TestApp::new(AppState::new(store).with_today(today())),
    }
}

async fn get(app: &TestApp, path: &str, user: &str) -> (StatusCode, String) {
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
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// The ids of the action rows on a page, in order.
fn rows(body: &str) -> Vec<String> {
    body.match_indices("<tr id=\"actie-")
        .map(|(i, m)| {
            let rest = &body[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

fn column_headers(body: &str) -> Vec<String> {
    body.match_indices("<th scope=\"col\">")
        .map(|(i, m)| {
            let rest = &body[i + m.len()..];
            rest[..rest.find("</th>").unwrap()].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn policy_officer_sees_all_25_proposals_by_theme() {
    let w = world();
    // "Alle gemeenten" (an empty value): the policy officer's own gemeente is preselected
    // only when the query names none (below).
    let (status, body) = get(
        &w.app,
        "/monitor/nijmegen-rivierenland/acties?gemeente=",
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let expected: Vec<String> = (1..=25).map(|n| format!("SD-{n:02}")).collect();
    assert_eq!(rows(&body), expected);
    for thema in [
        "1. Een sluitend netwerk",
        "2. Wonen",
        "3. Werk en dagbesteding",
        "4. Maatschappelijke participatie en sociaal netwerk",
        "5. Inkomen en schuldhulpverlening",
        "6. (Overige) organisatorische onderwerpen",
    ] {
        assert!(body.contains(&format!(">{thema}</h2>")), "thema {thema}");
    }
    assert_eq!(body.matches("<table class=\"acties\">").count(), 6);
    // Source, stand as text (not colour alone), peildatum, the region's 13 gemeenten.
    // The source in words: the document's title, not the seed file's name (issue 12).
    assert!(body.contains(
        "Bron: Evaluatie van het beleidsplan \u{2018}Samen Dichtbij\u{2019} (Rijk van Nijmegen en Rivierenland), appendix A"
    ));
    assert!(!body.contains("seed 0") && !body.contains("Seed 0") && !body.contains(".txt"));
    assert!(body.contains("<span class=\"label label-goed\">Gereed</span>"));
    assert!(body.contains("<td><span class=\"klein\">onbekend</span></td>"));
    assert!(body.contains("<span class=\"label label-fout\">Vertraagd</span>"));
    assert!(body.contains("<time datetime=\"2021-10-01\">01-10-2021</time>"));
    let cols = column_headers(&body);
    assert_eq!(
        &cols[..16],
        [
            "Nr.",
            "Actie",
            "Regio",
            "Berg en Dal",
            "Beuningen",
            "Buren",
            "Culemborg",
            "Druten",
            "Heumen",
            "Mook en Middelaar",
            "Neder-Betuwe",
            "Nijmegen",
            "Tiel",
            "West Betuwe",
            "West Maas en Waal",
            "Wijchen"
        ]
    );
    assert!(body.contains("Toelichting bij de stand"));
    assert!(body.contains("action=\"/monitor/nijmegen-rivierenland/acties\""));
    assert!(body.contains("href=\"/monitor/nijmegen-rivierenland\""));
    assert!(!body.contains("P0000"), "no client data");

    // Other roles that see aggregates may look too.
    for user in ["analist", "toegang-nijmegen-rivierenland", "zorgaanbieder"] {
        let (status, _) = get(&w.app, "/monitor/nijmegen-rivierenland/acties", user).await;
        assert_eq!(status, StatusCode::OK, "{user}");
    }
}

#[tokio::test]
async fn the_auditor_is_refused_in_dutch() {
    let w = world();
    let (status, body) = get(&w.app, "/monitor/nijmegen-rivierenland/acties", "auditor").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("Geen toegang"));
    assert!(body.contains("lang=\"nl\""));
    assert!(!body.contains("SD-01"));

    let req = Request::get("/monitor/nijmegen-rivierenland/acties")
        .body(Body::empty())
        .unwrap();
    let resp = w.app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::SEE_OTHER,
        "not logged in: to the login page"
    );
}

#[tokio::test]
async fn filters_on_gemeente_and_stand() {
    let w = world();
    let base = "/monitor/nijmegen-rivierenland/acties";

    // One gemeente: the region column and Nijmegen only; the form remembers the choice.
    let (status, body) = get(
        &w.app,
        &format!("{base}?gemeente=GM0268&stand="),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(rows(&body).len(), 25);
    let cols = column_headers(&body);
    assert!(
        cols.iter()
            .all(|c| ["Nr.", "Actie", "Regio", "Nijmegen"].contains(&c.as_str())),
        "{cols:?}"
    );
    assert!(body.contains("<option value=\"GM0268\" selected>Nijmegen</option>"));
    assert!(body.contains("Filter wissen"));

    // One stand: only actions where a shown cell has it.
    let (_, body) = get(
        &w.app,
        &format!("{base}?stand=vertraagd"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(rows(&body), ["SD-12"]);
    let (_, body) = get(&w.app, &format!("{base}?stand=gereed"), "beleidsmedewerker").await;
    // SD-03 and SD-09 ("per sub-regio") are in uitvoering: seed 000 says only that "actie is
    // ondernomen" and describes one access point for the whole region (issue 10 §4).
    assert_eq!(rows(&body), ["SD-20", "SD-21", "SD-23"]);
    assert!(body.contains("<option value=\"gereed\" selected>Gereed</option>"));

    // Both: the region's or Heumen's own stand is "in uitvoering" (Heumen's own stand is
    // known for SD-19 only; SD-20 is gereed for every gemeente and unknown for the region).
    let (_, body) = get(
        &w.app,
        &format!("{base}?gemeente=GM0252&stand=in_uitvoering"),
        "beleidsmedewerker",
    )
    .await;
    assert!(rows(&body).contains(&"SD-19".to_owned()));
    assert!(
        !rows(&body).contains(&"SD-20".to_owned()),
        "SD-20 is gereed"
    );

    // Local actions of Duiven and Westervoort: not for Arnhem, present for Duiven.
    let cg = "/monitor/centraal-gelderland/acties";
    let (_, body) = get(
        &w.app,
        &format!("{cg}?gemeente=GM0202"),
        "beleidsmedewerker",
    )
    .await;
    assert!(
        rows(&body).iter().all(|r| r.starts_with("SAZ-")),
        "{:?}",
        rows(&body)
    );
    let (_, body) = get(
        &w.app,
        &format!("{cg}?gemeente=GM0226"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(rows(&body).len(), 5 + 34);
    // Unfiltered: the 5 themes of the local plan show Duiven and Westervoort only; the
    // regional milestones show every gemeente.
    let (_, body) = get(&w.app, cg, "beleidsmedewerker").await;
    assert_eq!(body.matches("<th scope=\"col\">Arnhem</th>").count(), 1);
    assert_eq!(
        body.matches("<th scope=\"col\">Westervoort</th>").count(),
        6
    );
    assert_eq!(body.matches("<th scope=\"col\">Regio</th>").count(), 1);

    // Invalid filters: a Dutch 422 naming the field.
    let (status, body) = get(&w.app, &format!("{base}?stand=klaar"), "beleidsmedewerker").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Filter stand"));
    let (status, body) = get(
        &w.app,
        &format!("{base}?gemeente=GM0202"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("hoort niet bij"));

    // Unknown region: 404.
    let (status, _) = get(&w.app, "/monitor/atlantis/acties", "beleidsmedewerker").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_builtin_region_has_a_page() {
    let w = world();
    for (region, n) in [
        ("nijmegen-rivierenland", 25),
        ("centraal-gelderland", 39),
        ("meierij-bommelerwaard", 27),
        ("drechtsteden", 12),
    ] {
        let (status, body) = get(
            &w.app,
            &format!("/monitor/{region}/acties"),
            "beleidsmedewerker",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{region}");
        assert_eq!(rows(&body).len(), n, "{region}");
    }
}

async fn post(
    app: &TestApp,
    path: &str,
    user: &str,
    form: &str,
    csrf: bool,
) -> (StatusCode, String, String) {
    let mut body = form.to_owned();
    if csrf {
        body = format!("csrf={}&{form}", app.csrf(user));
    }
    let req = Request::post(path)
        .header(header::COOKIE, app.cookie(user))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "http://localhost")
        .header(header::HOST, "localhost")
        .body(Body::from(body))
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap(), location)
}

/// Issue 12: the region's coordinator (the demo beleidsmedewerker of Nijmegen, centrumgemeente
/// of Rijk van Nijmegen en Rivierenland) updates the stand of an action for one gemeente; it
/// is stored, shown as current with who and when in the history after a reload; an invalid
/// form is answered 422 with Dutch messages at the fields and nothing stored; other roles —
/// and the coordinator without the CSRF token — are refused and nothing is stored.
#[tokio::test]
async fn the_coordinator_updates_a_stand_and_others_are_refused() {
    let w = world();
    let base = "/monitor/nijmegen-rivierenland/acties";
    // Own gemeente preselected; a link per action opens its history and the form.
    let (status, body) = get(&w.app, base, "beleidsmedewerker").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains("<option value=\"GM0268\" selected>Nijmegen</option>"),
        "own gemeente preselected"
    );
    let (_, all) = get(&w.app, &format!("{base}?gemeente="), "beleidsmedewerker").await;
    assert!(all.contains("<option value=\"\" selected>Alle gemeenten</option>"));
    assert!(all.contains(
        "href=\"/monitor/nijmegen-rivierenland/acties?actie=SD-12&amp;gemeente=#bijwerken\""
    ));
    let (status, form) = get(&w.app, &format!("{base}?actie=SD-12"), "beleidsmedewerker").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("name=\"stand\""),
        "the coordinator gets the form"
    );
    assert!(form.contains("<option value=\"GM0252\">Heumen</option>"));
    assert!(form.contains("<option value=\"GM0268\" selected>Nijmegen</option>"));
    assert!(
        !form.contains("seed 0") && !form.contains(".txt"),
        "no seed file names"
    );

    let update = "actie=SD-12&betreft=GM0252&stand=gereed&peildatum=2026-06-15&toelichting=Afgerond+in+het+PFO.";
    // Others: the analyst, the region's access team, the wijkteam of Nijmegen, a provider.
    for user in [
        "analist",
        "toegang-nijmegen-rivierenland",
        "wijkteam",
        "zorgaanbieder",
    ] {
        let (status, body, _) = post(&w.app, base, user, update, true).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user}: {body}");
        let (_, page) = get(&w.app, &format!("{base}?actie=SD-12"), user).await;
        assert!(
            !page.contains("name=\"toelichting\""),
            "{user} gets no form"
        );
        assert!(page.contains("Alleen de coördinator"));
    }
    // Without the CSRF token: refused by the guard.
    let (status, _, _) = post(&w.app, base, "beleidsmedewerker", update, false).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, page) = get(&w.app, &format!("{base}?actie=SD-12"), "beleidsmedewerker").await;
    assert!(!page.contains("Afgerond in het PFO."), "nothing stored");

    // Invalid: a gemeente outside the region, a stand not in the list, a future date.
    let bad = "actie=SD-12&betreft=GM0202&stand=klaar&peildatum=2026-07-01&toelichting=x";
    let (status, body, _) = post(&w.app, base, "beleidsmedewerker", bad, true).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Deze actie geldt niet voor die gemeente."));
    assert!(body.contains("Kies een stand: gepland, in uitvoering, gereed, vertraagd, onbekend."));
    assert!(body.contains("De peildatum moet tussen 01-01-2015 en vandaag (30-06-2026) liggen."));
    assert!(
        body.contains("href=\"#actie-peildatum\""),
        "the summary links to the field"
    );
    assert!(body.contains("value=\"2026-07-01\""), "the values are kept");

    // Valid: stored, 303 back to the action, current after a reload, with who and when.
    let (status, _, location) = post(&w.app, base, "beleidsmedewerker", update, true).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location,
        "/monitor/nijmegen-rivierenland/acties?actie=SD-12&melding=opgeslagen#bijwerken"
    );
    let (_, page) = get(
        &w.app,
        &location.replace("#bijwerken", ""),
        "beleidsmedewerker",
    )
    .await;
    assert!(page.contains("De stand is opgeslagen"));
    assert!(page.contains("Afgerond in het PFO."));
    assert!(page.contains("vastgelegd door "), "who and when: {page}");
    // The table: Heumen's cell of SD-12 is now "Gereed", peildatum 15-06-2026.
    let (_, table) = get(
        &w.app,
        &format!("{base}?gemeente=GM0252&stand=gereed"),
        "analist",
    )
    .await;
    assert!(
        rows(&table).contains(&"SD-12".to_owned()),
        "{:?}",
        rows(&table)
    );
    assert!(table.contains("<time datetime=\"2026-06-15\">15-06-2026</time>"));
}
