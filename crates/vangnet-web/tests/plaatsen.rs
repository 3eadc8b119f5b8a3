//! The region's places page `/regio/{id}/plaatsen` (issue 14) through the router: who sees
//! what (the access team exact with the form, the policy roles of the region with the
//! small-number rule and no form, everyone else 403 — page, CSV and POST), the form's errors
//! at their fields with nothing written, an overlap refused at its field, a double submit
//! stored once, an ombouw as two periods, and the CSV equal to the page's table.

mod support;
use support::{Reply, TestApp, send};

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tempfile::TempDir;
use vangnet_domain::events::{Advies, Leveringsvorm, Melder, Urgentie, Woonsituatie};
use vangnet_domain::{
    ClientEvent, ClientId, Date, ProductCode, RegionId, Regions, access, plaatsen,
};
use vangnet_store::{AccessGate, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

/// The first region: the demo's analist and beleidsmedewerker belong to it.
const REGION: &str = "nijmegen-rivierenland";
const TEAM: &str = "toegang-nijmegen-rivierenland";
const PATH: &str = "/regio/nijmegen-rivierenland/plaatsen";
const CSV: &str = "/regio/nijmegen-rivierenland/plaatsen.csv";

fn today() -> Date {
    Date::parse("2026-06-30").unwrap()
}

fn cg() -> RegionId {
    RegionId::parse(REGION).unwrap()
}

/// The region's location × BW product with the most places (product valid all of 2026,
/// without age band): (location, product, places).
fn target(regions: &Regions) -> (String, String, u32) {
    let p = regions.get(&cg()).unwrap();
    let on = Date::parse("2026-01-01").unwrap();
    p.locations
        .iter()
        .flat_map(|l| l.places.iter().map(move |(pr, n)| (l, pr, *n)))
        .filter(|(_, pr, n)| {
            *n > 1
                && p.product(pr).is_some_and(|x| {
                    x.domain == vangnet_domain::region::Domain::Bw
                        && x.valid_on(on)
                        && x.valid_on(Date::parse("2026-12-31").unwrap())
                        && x.min_age.is_none()
                        && x.max_age.is_none()
                        && x.max_months.is_none_or(|m| m >= 12)
                })
        })
        .max_by_key(|(l, pr, n)| (*n, l.id.to_string(), pr.to_string()))
        .map(|(l, pr, n)| (l.id.to_string(), pr.to_string(), n))
        .expect("a BW location")
}

fn product_name(store: &dyn Store, code: &str) -> String {
    let p = store.regions().get(&cg()).unwrap();
    p.product(&code.parse().unwrap()).unwrap().name.clone()
}

/// Client 1 in care at the target location, client 2 waiting for beschermd wonen.
fn world() -> (TempDir, Arc<dyn Store>, TestApp) {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("p.sqlite"), Regions::builtin()).unwrap());
    let (loc, product, _) = target(store.regions());
    let bw = ProductCode::parse(&product).unwrap();
    let centrum = store.regions().get(&cg()).unwrap().centrumgemeente;
    let aanmelding = ClientEvent::Aanmelding {
        regio: cg(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: Some(centrum),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    };
    let beoordeling = ClientEvent::Beoordeling {
        criteria: vec![],
        zrm: [Some(3); vangnet_domain::events::ZRM_DOMAINS],
        doelgroep: None,
        advies: Advies::Toewijzen,
        behoeften: Vec::new(),
    };
    let toewijzing = ClientEvent::Toewijzing {
        product: bw.clone(),
        start: Date::parse("2026-02-01").unwrap(),
        einde: Date::parse("2027-01-31").unwrap(),
        leveringsvorm: Leveringsvorm::Zin,
        aanbieder: None,
    };
    write_new(
        &*store,
        1,
        vec![
            ("2026-01-05", aanmelding.clone()),
            ("2026-01-10", beoordeling.clone()),
            ("2026-01-20", toewijzing.clone()),
            (
                "2026-02-03",
                ClientEvent::StartZorg {
                    product: bw.clone(),
                    locatie: vangnet_domain::LocationId::parse(&loc).unwrap(),
                    overbezetting: None,
                },
            ),
        ],
    );
    write_new(
        &*store,
        2,
        vec![
            ("2026-01-05", aanmelding),
            ("2026-01-10", beoordeling),
            ("2026-01-20", toewijzing),
            (
                "2026-01-21",
                ClientEvent::WachtlijstIn {
                    product: bw,
                    prioriteit: 0,
                },
            ),
        ],
    );
    let app = TestApp::new(AppState::new(Arc::clone(&store)).with_today(today()));
    (dir, store, app)
}

/// Opens client `client`'s stream with `events` as the system (a synthetic person).
fn write_new(store: &dyn Store, client: u64, events: Vec<(&str, ClientEvent)>) {
    store
        .append(
            &AccessGate::system("test"),
            vangnet_store::AppendCommand {
                client: ClientId(client),
                expected_version: None,
                idempotency_key: None,
                events: events
                    .into_iter()
                    .map(|(d, e)| (Date::parse(d).unwrap(), e))
                    .collect(),
                person: Some(vangnet_domain::person::synthetic_person(
                    &mut vangnet_domain::rng::Rng::new(client),
                    client as u32,
                    Date::parse("1990-04-01").unwrap(),
                )),
            },
        )
        .expect("store accepts the test history");
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

async fn post(app: &TestApp, path: &str, user: &str, fields: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    send(
        &app.router,
        app.as_user(Request::post(path), user)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn log_rows(store: &dyn Store) -> usize {
    store
        .access_log(&AccessGate::system("test"), 100_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == vangnet_store::plaatsen::ACTION_CAPACITEIT)
        .count()
}

/// The cells of table `id` (header excluded) as text, tags stripped.
fn table_rows(body: &str, id: &str) -> Vec<Vec<String>> {
    let start = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let end = start + body[start..].find("</table>").unwrap();
    let tbody = &body[start..end];
    let tbody = &tbody[tbody.find("<tbody>").unwrap()..];
    tbody
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let mut cells: Vec<String> = Vec::new();
            for (tag, text) in row.split('<').filter_map(|part| part.split_once('>')) {
                if tag.starts_with("td") || tag.starts_with("th") {
                    cells.push(text.to_owned());
                } else if let Some(last) = cells.last_mut() {
                    last.push_str(text);
                }
            }
            cells
                .into_iter()
                .map(|c| {
                    c.replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&amp;", "&")
                        .trim()
                        .to_owned()
                })
                .collect()
        })
        .collect()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .skip(1)
        .map(|l| {
            l.split(';')
                .map(|c| c.trim_matches('"').to_owned())
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn who_sees_the_places_page() {
    let (_dir, store, app) = world();
    let profile = store.regions().get(&cg()).unwrap().clone();
    let users = vangnet_web::demo_users(store.regions());
    for u in &users {
        let allowed = access::may_view_money_of(&u.actor, &profile);
        for path in [PATH, CSV] {
            let r = get(&app, path, &u.id).await;
            let want = if allowed {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(r.status, want, "{} {path}", u.id);
        }
    }
    // The team sees the form; a policy role does not, and sees the suppression note.
    let team = get(&app, PATH, TEAM).await;
    assert!(team.body.contains("Capaciteit wijzigen"));
    assert!(!team.body.contains("U ziet gepubliceerde cijfers"));
    let analist = get(&app, PATH, "analist").await;
    assert_eq!(analist.status, StatusCode::OK);
    assert!(!analist.body.contains("Capaciteit wijzigen"));
    assert!(analist.body.contains("U ziet gepubliceerde cijfers"));
    // One client in care at the location: exact for the team, "<t" for the analyst.
    let (loc, product, places) = target(store.regions());
    let pname = product_name(&*store, &product);
    let name = profile
        .location(&loc.parse().unwrap())
        .unwrap()
        .name
        .clone();
    let row_of = |body: &str| {
        table_rows(body, "plaatsen-tabel")
            .into_iter()
            .find(|r| r[0] == name && r[3] == pname)
            .unwrap_or_else(|| panic!("a row for {name}"))
    };
    let t = row_of(&team.body);
    assert_eq!(t[4], places.to_string());
    assert_eq!(t[5], "1");
    assert_eq!(t[8], (places - 1).to_string());
    let a = row_of(&analist.body);
    assert_eq!(a[5], format!("<{}", profile.norms.kleine_aantallen_drempel));
    assert_eq!(a[8], "—", "free is not shown where occupied is suppressed");
    // The month series (the monitor's month-end stocks): June 2026 has the one in care and
    // the one waiting; January only the waiting one (care started in February).
    let series = get(&app, &format!("{PATH}?product={product}"), TEAM).await;
    let rows = table_rows(&series.body, "plaatsen-verloop");
    assert_eq!(rows.len(), 13);
    let last = rows.last().unwrap();
    assert_eq!(last[0], "juni 2026");
    assert_eq!((last[2].as_str(), last[3].as_str()), ("1", "1"), "{last:?}");
    let jan = rows.iter().find(|r| r[0] == "januari 2026").unwrap();
    assert_eq!((jan[2].as_str(), jan[3].as_str()), ("0", "1"), "{jan:?}");
    // The waiting client counts in the product × gemeente table (its gemeente of origin).
    let by_gemeente = table_rows(&team.body, "plaatsen-gemeente");
    let waiting: u64 = by_gemeente
        .iter()
        .filter(|r| r[0] == pname)
        .map(|r| r[7].parse::<u64>().unwrap())
        .sum();
    assert_eq!(waiting, 1, "{by_gemeente:?}");
    // POST: only the region's team; others 403 and nothing written.
    for u in [
        "analist",
        "beleidsmedewerker",
        "zorgaanbieder",
        "toegang-centraal-gelderland",
    ] {
        let r = post(
            &app,
            PATH,
            u,
            &[
                ("locatie", &loc),
                ("product", &product),
                ("soort", "afbouw"),
                ("vanaf", "2026-09-01"),
                ("plaatsen", "1"),
                ("reden", "x"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{u}");
    }
    assert!(store.capacity_periods(&cg()).unwrap().is_empty());
}

#[tokio::test]
async fn the_form_shows_errors_at_their_fields_and_stores_once() {
    let (_dir, store, app) = world();
    let (loc, product, places) = target(store.regions());
    let path = PATH;
    // Empty: every required field at its place, 422, nothing written, nothing logged.
    let r = post(&app, path, TEAM, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["locatie", "product", "vanaf", "plaatsen", "reden"] {
        assert!(r.body.contains(&format!("id=\"fout-cap-{f}\"")), "{f}");
        assert!(r.body.contains(&format!("href=\"#cap-{f}\"")), "{f}");
    }
    // Malformed values.
    let r = post(
        &app,
        path,
        TEAM,
        &[
            ("locatie", &loc),
            ("product", &product),
            ("soort", "tijdelijk"),
            ("vanaf", "31-12-2026"),
            ("tot", "2026-01-01"),
            ("plaatsen", "veel"),
            ("reden", "verbouwing"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"fout-cap-vanaf\""));
    assert!(r.body.contains("id=\"fout-cap-plaatsen\""));
    // An end before the start: the model's check at "tot".
    let r = post(
        &app,
        path,
        TEAM,
        &[
            ("locatie", &loc),
            ("product", &product),
            ("soort", "tijdelijk"),
            ("vanaf", "2026-12-31"),
            ("tot", "2026-01-01"),
            ("plaatsen", "2"),
            ("reden", "verbouwing"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"fout-cap-tot\""));
    assert!(store.capacity_periods(&cg()).unwrap().is_empty());
    assert_eq!(log_rows(&*store), 0, "nothing reached the store");
    // An afbouw from the start of the year to 1 place: stored, and the page counts it.
    let afbouw = [
        ("locatie", loc.as_str()),
        ("product", product.as_str()),
        ("soort", "afbouw"),
        ("vanaf", "2026-01-01"),
        ("plaatsen", "1"),
        ("reden", "afbouw intramuraal 2026 (fictief)"),
    ];
    let r = post(&app, path, TEAM, &afbouw).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().contains("melding=opgeslagen"));
    // A double click: the same again is accepted and stored once.
    let r = post(&app, path, TEAM, &afbouw).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().contains("melding=al-vastgelegd"));
    let stored = store.capacity_periods(&cg()).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].door, TEAM);
    assert_eq!(stored[0].periode.soort, plaatsen::CapaciteitSoort::Afbouw);
    // An overlapping period: refused at "vanaf", naming the existing one, nothing written.
    let r = post(
        &app,
        path,
        TEAM,
        &[
            ("locatie", &loc),
            ("product", &product),
            ("soort", "opbouw"),
            ("vanaf", "2026-01-01"),
            ("plaatsen", "9"),
            ("reden", "toch meer"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"fout-cap-vanaf\""));
    assert!(
        r.body
            .contains("overlapt met de bestaande periode vanaf 01-01-2026"),
        "{}",
        r.body
    );
    assert_eq!(store.capacity_periods(&cg()).unwrap().len(), 1);
    // The page: 1 place, 1 occupied, 0 free; the period with reason and who.
    let page = get(&app, path, TEAM).await;
    let profile = store.regions().get(&cg()).unwrap().clone();
    let name = profile
        .location(&loc.parse().unwrap())
        .unwrap()
        .name
        .clone();
    let row = table_rows(&page.body, "plaatsen-tabel")
        .into_iter()
        .find(|r| r[0] == name && r[3] == product_name(&*store, &product))
        .unwrap();
    assert_eq!(
        (row[4].as_str(), row[5].as_str(), row[8].as_str()),
        ("1", "1", "0")
    );
    assert!(places > 1);
    assert!(page.body.contains("afbouw intramuraal 2026 (fictief)"));
    // The CSV is the page's table.
    let csv = get(&app, CSV, TEAM).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv_rows(&csv.body),
        table_rows(&page.body, "plaatsen-tabel")
    );
}

#[tokio::test]
async fn an_ombouw_is_two_periods_in_one_submit() {
    let (_dir, store, app) = world();
    let profile = store.regions().get(&cg()).unwrap().clone();
    let l = profile
        .locations
        .iter()
        .find(|l| l.places.len() >= 2)
        .expect("a location with two products");
    let mut products = l.places.keys();
    let (a, b) = (products.next().unwrap(), products.next().unwrap());
    let r = post(
        &app,
        PATH,
        TEAM,
        &[
            ("locatie", l.id.as_str()),
            ("product", a.as_str()),
            ("soort", "ombouw"),
            ("vanaf", "2026-10-01"),
            ("plaatsen", "0"),
            ("reden", "ombouw naar ambulant (fictief)"),
            ("ombouw_product", b.as_str()),
            ("ombouw_plaatsen", "12"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = store.capacity_periods(&cg()).unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(
        (&stored[0].periode.product, stored[0].periode.plaatsen),
        (a, 0)
    );
    assert_eq!(
        (&stored[1].periode.product, stored[1].periode.plaatsen),
        (b, 12)
    );
}
