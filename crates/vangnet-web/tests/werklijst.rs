//! `/werklijst` and `/regio/{id}/wachtlijst` (issue 12): the worklist's filters in the URL,
//! counts per task over every page, pages of 50 with "vorige/volgende", names, Dutch dates,
//! the newest deadline visible, an invalid filter answered 422 at its field; the waiting
//! list per product first (names, Dutch dates, one set of priority labels), then fitted to
//! a place, a place without the product said in words, "Plaatsen" a link to the dossier.

mod support;
use support::{Reply, TestApp, send};

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tempfile::TempDir;
use vangnet_domain::events::{Advies, Leveringsvorm, Melder, Urgentie, Woonsituatie};
use vangnet_domain::person::synthetic_person;
use vangnet_domain::rng::Rng;
use vangnet_domain::{ClientEvent, Date, GemeenteCode, ProductCode, RegionId, Regions};
use vangnet_store::conformance::write_new;
use vangnet_store::{AccessGate, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

const CLERK: &str = "toegang-centraal-gelderland";

fn today() -> Date {
    Date::parse("2026-06-30").unwrap()
}

fn nl(d: Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{day:02}-{m:02}-{y:04}")
}

/// The name the conformance helper gives client `n`.
fn name(n: u64) -> String {
    let p = synthetic_person(
        &mut Rng::new(n),
        n as u32,
        Date::parse("1990-04-01").unwrap(),
    );
    format!("{} {}", p.voornaam, p.achternaam)
}

fn aanmelding(herkomst: &str) -> ClientEvent {
    ClientEvent::Aanmelding {
        regio: RegionId::parse("centraal-gelderland").unwrap(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: Some(GemeenteCode::parse(herkomst).unwrap()),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    }
}

fn waiting(herkomst: &str, since: &str, prio: u8) -> Vec<(String, ClientEvent)> {
    let bw = ProductCode::parse("bw-beschermd-wonen").unwrap();
    let on = Date::parse(since).unwrap();
    vec![
        (since.to_owned(), aanmelding(herkomst)),
        (
            since.to_owned(),
            ClientEvent::Beoordeling {
                criteria: vec![],
                zrm: [Some(3); vangnet_domain::events::ZRM_DOMAINS],
                doelgroep: None,
                advies: Advies::Toewijzen,
                behoeften: Vec::new(),
            },
        ),
        (
            since.to_owned(),
            ClientEvent::Toewijzing {
                product: bw.clone(),
                start: on,
                einde: on.add_days(700),
                leveringsvorm: Leveringsvorm::Zin,
                aanbieder: None,
            },
        ),
        (
            since.to_owned(),
            ClientEvent::WachtlijstIn {
                product: bw,
                prioriteit: prio,
            },
        ),
    ]
}

/// Clients 1..=60 applied 0..59 days ago, every fourth from Duiven (GM0226), the others
/// from Arnhem; 61 (Duiven) and 62 (Arnhem, urgent) wait for beschermd wonen.
fn world() -> (TempDir, Arc<dyn Store>, TestApp) {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("v.sqlite"), Regions::builtin()).unwrap());
    for k in 0..60u64 {
        let day = today().add_days(-(k as i32)).to_string();
        let herkomst = if k % 4 == 0 { "GM0226" } else { "GM0202" };
        write_new(&*store, k + 1, vec![(day.as_str(), aanmelding(herkomst))]);
    }
    for (id, events) in [
        (61, waiting("GM0226", "2026-03-01", 0)),
        (62, waiting("GM0202", "2026-05-01", 1)),
    ] {
        let events: Vec<(&str, ClientEvent)> = events
            .iter()
            .map(|(d, e)| (d.as_str(), e.clone()))
            .collect();
        write_new(&*store, id, events);
    }
    let app = TestApp::new(AppState::new(Arc::clone(&store)).with_today(today()));
    (dir, store, app)
}

async fn get(app: &TestApp, path: &str, user: &str) -> Reply {
    send(
        &app.router,
        app.as_user(Request::get(path), user)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// The rows of the worklist table, in order: the client number of each.
fn clients_in(body: &str, table: &str) -> Vec<u64> {
    let start = body
        .find(&format!("id=\"{table}\""))
        .unwrap_or_else(|| panic!("no table {table}"));
    let end = start + body[start..].find("</table>").unwrap();
    body[start..end]
        .split("<th scope=\"row\">")
        .skip(1)
        .map(|row| {
            let at = row.find("href=\"/clienten/").unwrap() + "href=\"/clienten/".len();
            let digits: String = row[at..]
                .chars()
                .skip(1) // the `P` of the pseudonymous id
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().unwrap()
        })
        .collect()
}

#[tokio::test]
async fn the_worklist_filters_counts_pages_and_names_its_clients() {
    let (_dir, store, app) = world();
    let r = get(&app, "/werklijst", CLERK).await;
    assert_eq!(r.status, StatusCode::OK);
    // Counts per task over every page, the total, the pages.
    assert!(r.body.contains("Beslistermijn: 60"));
    assert!(r.body.contains("Wachttijd boven norm: 2"));
    assert!(
        r.body
            .contains("<strong>62</strong> termijnen (5 verlopen)")
    );
    assert!(r.body.contains("pagina 1 van 2"));
    assert!(r.body.contains("volgende"));
    assert!(r.body.contains("href=\"/werklijst?pagina=2\""));
    let first = clients_in(&r.body, "werklijst");
    assert_eq!(first.len(), 50);
    assert_eq!(
        first[0], 61,
        "the most overdue first: waiting since 1 March"
    );
    // Names and Dutch dates, no ISO dates in the text.
    assert!(r.body.contains(&name(60)));
    assert!(r.body.contains(&nl(today().add_days(-59 + 56))));
    assert!(
        !r.body.contains(&format!(">{}<", today())),
        "no ISO date shown"
    );
    // Only the clients on the page are in the access log, with the purpose.
    let log = support::off_runtime(|| store.access_log(&AccessGate::system("test"), 500).unwrap());
    let logged: std::collections::BTreeSet<u64> = log
        .iter()
        .filter(|e| e.purpose == "werklijst: termijnen bewaken" && e.allowed)
        .filter_map(|e| e.client.map(|c| c.0))
        .collect();
    assert_eq!(logged, first.iter().copied().collect());
    // Page 2: the rest, with a way back.
    let r = get(&app, "/werklijst?pagina=2", CLERK).await;
    assert_eq!(clients_in(&r.body, "werklijst").len(), 12);
    assert!(r.body.contains("vorige"));
    // The newest deadline first: today's application, due in 56 days.
    let r = get(&app, "/werklijst?volgorde=nieuwste", CLERK).await;
    assert_eq!(clients_in(&r.body, "werklijst")[0], 1);
    assert!(r.body.contains(&nl(today().add_days(56))));
    // Filters: gemeente by name, task, overdue, age.
    let r = get(&app, "/werklijst?gemeente=Duiven", CLERK).await;
    assert!(r.body.contains("<strong>16</strong> termijnen"));
    let r = get(
        &app,
        "/werklijst?taak=beslistermijn&termijn=verlopen",
        CLERK,
    )
    .await;
    assert_eq!(clients_in(&r.body, "werklijst"), vec![60, 59, 58]);
    let r = get(&app, "/werklijst?termijn=verlopen&ouder_dan=2", CLERK).await;
    assert_eq!(clients_in(&r.body, "werklijst"), vec![61, 62, 60]);
    let r = get(&app, "/werklijst?product=bw-beschermd-wonen", CLERK).await;
    assert_eq!(clients_in(&r.body, "werklijst"), vec![61, 62]);
    // An invalid filter: 422, the same form, the message at the field, the rest kept.
    let r = get(&app, "/werklijst?gemeente=Duiven&ouder_dan=veel", CLERK).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"fout-wf-ouder_dan\""));
    assert!(r.body.contains("href=\"#wf-ouder_dan\""));
    assert!(r.body.contains("value=\"Duiven\""));
    assert!(
        !r.body.contains("id=\"werklijst\""),
        "no list for an invalid filter"
    );
    let r = get(&app, "/werklijst?gemeente=Atlantis", CLERK).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Atlantis is geen gemeente van regio"));
    // Only the region's own team.
    let r = get(&app, "/werklijst", "toegang-drechtsteden").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        !r.body.contains(&name(60)),
        "another region's team sees none of ours"
    );
    let r = get(&app, "/werklijst", "wijkteam").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_waiting_list_shows_the_product_first_then_fits_a_place() {
    let (_dir, _store, app) = world();
    let base = "/regio/centraal-gelderland/wachtlijst";
    // Without a product: the products with people waiting.
    let r = get(&app, base, CLERK).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("wachtlijst?product=bw-beschermd-wonen"));
    // The product's whole list, ranked, with names, Dutch dates and the priority label.
    let r = get(&app, &format!("{base}?product=bw-beschermd-wonen"), CLERK).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        clients_in(&r.body, "kandidaten"),
        vec![62, 61],
        "urgent first"
    );
    assert!(r.body.contains(&name(61)) && r.body.contains(&name(62)));
    assert!(r.body.contains(">01-03-2026<") && r.body.contains(">01-05-2026<"));
    assert!(r.body.contains(">urgent<") && r.body.contains(">regulier<"));
    assert!(!r.body.contains("voorrang (urgent)") && !r.body.contains("Prioriteit 0"));
    assert!(!r.body.contains("#plaatsing"), "placing needs a place");
    // Fitted to a place that offers it: "Plaatsen" links to the dossier's placement form.
    let r = get(
        &app,
        &format!("{base}?product=bw-beschermd-wonen&locatie=liemers-duiven"),
        CLERK,
    )
    .await;
    assert!(
        r.body
            .contains("href=\"/clienten/P00000062?locatie=liemers-duiven#plaatsing\"")
    );
    assert!(r.body.contains("Bezetting op deze locatie"));
    // A place without the product says so, and the product's list stays.
    let r = get(
        &app,
        &format!("{base}?product=bw-beschermd-wonen&locatie=rijnbeschut-arnhem-zuid"),
        CLERK,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"locatie-zonder-product\""));
    assert!(r.body.contains("biedt geen Beschermd wonen"));
    assert_eq!(clients_in(&r.body, "kandidaten"), vec![62, 61]);
    // An unknown product: 422 at the field.
    let r = get(&app, &format!("{base}?product=bestaat-niet"), CLERK).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"fout-wl-product\""));
    // The dossier shows the same label.
    let r = get(&app, "/clienten/P00000062", CLERK).await;
    assert!(r.body.contains(">urgent<"));
}
