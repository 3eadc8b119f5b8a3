//! The monitor (issue 4) through the router (no sockets): small numbers never reach an
//! aggregate-only viewer in any section or format (HTML, SVG, CSV, XLSX, JSON), totals never
//! give a suppressed cell away, the published numbers are the exact ones wherever they are
//! shown, drill-down links keep the filters, every page answers the roles that may see it
//! (403 for the auditor), the exports are what the page shows, and an append invalidates the
//! cached cells.

mod support;
use support::TestApp;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;
use vangnet_domain::events::{Bestemming, Leveringsvorm, Melder, Urgentie, Woonsituatie};
use vangnet_domain::{
    AgbCode, ClientEvent, Date, GemeenteCode, LocationId, ProductCode, RegionId, Regions,
};
use vangnet_store::Store;
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

/// The day the application believes it is: fixed, so no test depends on the wall clock.
fn today() -> vangnet_domain::Date {
    vangnet_domain::Date::parse("2026-06-30").unwrap()
}

const REGIO: &str = "centraal-gelderland";
const PERIODE: &str = "van=2024-01&tot=2024-12";
const DUIVEN: &str = "GM0226";
const ARNHEM: &str = "GM0202";

/// Users that see published (suppressed) figures of Centraal Gelderland.
const GEPUBLICEERD: [&str; 6] = [
    "beleidsmedewerker",
    "analist",
    "wijkteam",
    "zorgaanbieder",
    "woningcorporatie",
    "toegang-drechtsteden",
];
const EXACT: &str = "toegang-centraal-gelderland";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn gm(s: &str) -> GemeenteCode {
    GemeenteCode::parse(s).unwrap()
}

fn pc(s: &str) -> ProductCode {
    ProductCode::parse(s).unwrap()
}

fn aanmelding(herkomst: Option<&str>) -> ClientEvent {
    ClientEvent::Aanmelding {
        regio: RegionId::parse(REGIO).unwrap(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: herkomst.map(gm),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    }
}

fn toewijzing(product: &str, lv: Leveringsvorm) -> ClientEvent {
    ClientEvent::Toewijzing {
        product: pc(product),
        start: d("2024-02-01"),
        einde: d("2025-12-31"),
        leveringsvorm: lv,
        aanbieder: Some(AgbCode::parse("98000101").unwrap()),
    }
}

fn start(product: &str) -> ClientEvent {
    ClientEvent::StartZorg {
        product: pc(product),
        locatie: LocationId::parse("rijnbeschut-arnhem-centrum").unwrap(),
        overbezetting: None,
    }
}

fn nachten(from: &str, n: u16) -> (&str, ClientEvent) {
    (
        from,
        ClientEvent::MoOvernachting {
            product: pc("mo-nachtopvang"),
            locatie: LocationId::parse("opvang-arnhem-nacht").unwrap(),
            nachten: n,
        },
    )
}

fn write(store: &dyn Store, client: u64, events: Vec<(&str, ClientEvent)>) {
    vangnet_store::conformance::write_new(store, client, events);
}

fn care(
    herkomst: Option<&str>,
    product: &str,
    lv: Leveringsvorm,
) -> Vec<(&'static str, ClientEvent)> {
    vec![
        ("2024-01-10", aanmelding(herkomst)),
        ("2024-02-01", toewijzing(product, lv)),
        ("2024-02-05", start(product)),
    ]
}

/// Centraal Gelderland in 2024, with small groups everywhere:
/// - 8 people from Duiven in beschermd wonen (ZIN) from 5 February; one of them has Arnhem as
///   responsible gemeente (woonplaatsbeginsel);
/// - 3 from Arnhem in groepswonen, two of whom leave on 14 June (a home, a clinic);
/// - 1 from Arnhem in beschermd wonen with a pgb; 1 unregistered in beschermd wonen;
/// - 2 from Arnhem waiting for beschermd wonen intensief since 10 January;
/// - 3 people in the night shelter in March, one of them back in May.
struct World {
    _dir: Option<TempDir>,
    app: TestApp,
    store: Arc<dyn Store>,
}

fn world() -> World {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(&dir.path().join("monitor.sqlite"), Regions::builtin()).unwrap(),
    );
    populate(store.as_ref());
    World {
        _dir: Some(dir),
        app: TestApp::new(AppState::new(Arc::clone(&store)).with_today(today())),
        store,
    }
}

/// The same world over PostgreSQL in a fresh schema (`None` when no test server is
/// configured); built outside any async runtime, as PostgreSQL's client blocks.
fn world_pg(schema: &str) -> Option<World> {
    let url = vangnet_store_postgres::testing::test_database_url()?;
    let url = vangnet_store_postgres::testing::reset_schema(&url, schema).unwrap();
    let store: Arc<dyn Store> =
        Arc::new(vangnet_store_postgres::PostgresStore::connect(&url, Regions::builtin()).unwrap());
    populate(store.as_ref());
    Some(World {
        _dir: None,
        app: TestApp::new(AppState::new(Arc::clone(&store)).with_today(today())),
        store,
    })
}

fn populate(store: &dyn Store) {
    for c in 1..=7 {
        write(
            store,
            c,
            care(Some(DUIVEN), "bw-beschermd-wonen", Leveringsvorm::Zin),
        );
    }
    let mut c40 = care(Some(DUIVEN), "bw-beschermd-wonen", Leveringsvorm::Zin);
    c40.insert(
        2,
        (
            "2024-02-01",
            ClientEvent::WoonplaatsBepaald {
                gemeente: gm(ARNHEM),
                berekend: gm(DUIVEN),
                afwijking: Some("woonde vóór de opname in Arnhem (test)".into()),
                grond: None,
                regime: None,
                uitleg: None,
            },
        ),
    );
    write(store, 40, c40);
    for c in 8..=10 {
        let mut ev = care(Some(ARNHEM), "bw-groepswonen", Leveringsvorm::Zin);
        if c < 10 {
            ev.push((
                "2024-06-14",
                ClientEvent::EindeZorg {
                    bestemming: if c == 8 {
                        Bestemming::EigenWoningSociaal
                    } else {
                        Bestemming::Kliniek
                    },
                    woning: None,
                },
            ));
        }
        write(store, c, ev);
    }
    write(
        store,
        11,
        care(None, "bw-beschermd-wonen", Leveringsvorm::Zin),
    );
    write(
        store,
        12,
        care(Some(ARNHEM), "bw-beschermd-wonen", Leveringsvorm::Pgb),
    );
    for c in 20..=21 {
        write(
            store,
            c,
            vec![
                ("2024-01-10", aanmelding(Some(ARNHEM))),
                ("2024-01-10", toewijzing("bw-intensief", Leveringsvorm::Zin)),
                (
                    "2024-01-10",
                    ClientEvent::WachtlijstIn {
                        product: pc("bw-intensief"),
                        prioriteit: 0,
                    },
                ),
            ],
        );
    }
    write(
        store,
        30,
        vec![("2024-03-01", aanmelding(None)), nachten("2024-03-01", 5)],
    );
    write(
        store,
        31,
        vec![
            ("2024-03-10", aanmelding(Some("GM0344"))),
            nachten("2024-03-10", 5),
        ],
    );
    write(
        store,
        32,
        vec![
            ("2024-03-20", aanmelding(Some(ARNHEM))),
            nachten("2024-03-20", 3),
            nachten("2024-05-01", 2),
        ],
    );
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("no JSON ({e}): {}", self.text()))
    }
}

async fn get(app: &TestApp, path: &str, user: &str) -> Reply {
    let req = Request::get(path)
        .header(header::COOKIE, app.cookie(user))
        .header("x-csrf-token", app.csrf(user))
        .body(Body::empty())
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// The selections every check runs over.
const SELECTIES: [&str; 8] = [
    "",
    "&gemeente=GM0226",
    "&gemeente=GM0202&gemeente_soort=woonplaatsbeginsel",
    "&gemeente=GM0226&gemeente_soort=woonplaatsbeginsel",
    "&product=bw-beschermd-wonen",
    "&product=mo-nachtopvang",
    "&indeling=leveringsvorm",
    "&gemeente=GM0202&product=bw-groepswonen",
];

/// A count cell as published: `Some(n)` for an exact number, `None` for `"<5"`, `"≥n"` or
/// hidden (`null`); measurements (`{"dagen": …}`) are not counts and give `Err`.
fn count(v: &Value) -> Result<Option<u64>, ()> {
    match v {
        Value::Number(n) => Ok(Some(n.as_u64().expect("counts are whole and not negative"))),
        Value::String(_) | Value::Null => Ok(None),
        _ => Err(()),
    }
}

fn sections(j: &Value) -> &Vec<Value> {
    j["secties"].as_array().unwrap()
}

/// Every count cell in 1..t-1 is "<t"; every string is "<t" or "≥n"; an exact total never
/// has exactly one suppressed (`<t` or hidden) part.
fn assert_published(j: &Value, t: u64, what: &str) {
    assert_eq!(j["onderdrukt"], true, "{what}");
    assert_eq!(j["drempel"], t, "{what}");
    for s in sections(j) {
        let key = s["sleutel"].as_str().unwrap();
        let tabel = &s["tabel"];
        let cols: Vec<&str> = tabel["kolommen"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let rows = tabel["rijen"].as_array().unwrap();
        for k in s["kerncijfers"].as_array().unwrap() {
            match &k[1] {
                Value::Number(n) => {
                    let n = n.as_u64().unwrap();
                    assert!(n == 0 || n >= t, "{what} {key} {}: small {n}", k[0]);
                }
                Value::String(x) => assert!(*x == format!("<{t}") || x.starts_with('≥')),
                _ => {}
            }
        }
        for r in rows {
            let cells = r["cellen"].as_array().unwrap();
            for (c, v) in cells.iter().enumerate() {
                match v {
                    Value::Number(n) => {
                        let n = n.as_u64().unwrap();
                        assert!(
                            n == 0 || n >= t,
                            "{what} {key} {} / {}: small number {n}",
                            r["label"],
                            cols[c]
                        );
                    }
                    Value::String(x) => assert!(
                        *x == format!("<{t}") || x.starts_with('≥'),
                        "{what} {key}: unexpected text {x}"
                    ),
                    _ => {}
                }
            }
            // A "Totaal" column: exact only if no part is suppressed (or a part is hidden).
            if cols.last() == Some(&"Totaal") {
                let parts: Vec<&Value> = cells[..cells.len() - 1].iter().collect();
                assert_total_safe(
                    cells.last().unwrap(),
                    &parts,
                    &format!("{what} {key} {}", r["label"]),
                );
            }
        }
        // Total rows: over the rows since the previous total row (the grand total of the
        // destinations: over the group totals and the one-destination group).
        for (i, r) in rows.iter().enumerate() {
            if r["totaal"] != true {
                continue;
            }
            let mut block: Vec<&Value> = rows[..i]
                .iter()
                .rev()
                .take_while(|x| x["totaal"] != true)
                .collect();
            if block.is_empty() {
                block = rows[..i]
                    .iter()
                    .filter(|x| {
                        x["totaal"] == true
                            || x["sleutel"].as_str().is_some_and(|k| k == "bestemming-5")
                    })
                    .collect();
            }
            for c in 0..r["cellen"].as_array().unwrap().len() {
                let parts: Vec<&Value> = block.iter().map(|x| &x["cellen"][c]).collect();
                assert_total_safe(
                    &r["cellen"][c],
                    &parts,
                    &format!("{what} {key} {} col {c}", r["label"]),
                );
            }
        }
    }
}

fn assert_total_safe(total: &Value, parts: &[&Value], what: &str) {
    let Ok(Some(_)) = count(total) else { return };
    let small = parts
        .iter()
        .filter(|p| p.as_str().is_some_and(|s| s.starts_with('<')))
        .count();
    let hidden = parts.iter().filter(|p| p.is_null()).count();
    let at_least = parts
        .iter()
        .filter(|p| p.as_str().is_some_and(|s| s.starts_with('≥')))
        .count();
    // Complementary suppression (issue 12): an exact total may have suppressed parts, but
    // never exactly one — the difference would give it away. (Two or more leave only their
    // sum; the publish crate's differencing attack checks the whole system of equations.)
    assert!(
        small + hidden != 1,
        "{what}: exact total {total} with one suppressed part: the difference gives it away ({small} <, {hidden} hidden, {at_least} ≥)"
    );
    assert_eq!(
        at_least, 0,
        "{what}: exact total {total} over a part that is only a lower bound"
    );
}

/// The published table equals the exact one wherever it shows a number; where the exact one
/// has 1..t-1 the published one does not show it. Returns how many such small cells it saw.
fn assert_matches_exact(published: &Value, exact: &Value, t: u64, what: &str) -> usize {
    let ps = sections(published);
    let es = sections(exact);
    assert_eq!(ps.len(), es.len(), "{what}");
    let mut small_seen = 0;
    for (p, e) in ps.iter().zip(es) {
        let key = p["sleutel"].as_str().unwrap();
        assert_eq!(p["sleutel"], e["sleutel"]);
        assert_eq!(
            p["tabel"]["kolommen"], e["tabel"]["kolommen"],
            "{what} {key}: columns"
        );
        let pr = p["tabel"]["rijen"].as_array().unwrap();
        let er = e["tabel"]["rijen"].as_array().unwrap();
        assert_eq!(pr.len(), er.len(), "{what} {key}: rows");
        for (a, b) in pr.iter().zip(er) {
            assert_eq!(a["label"], b["label"]);
            for (x, y) in a["cellen"]
                .as_array()
                .unwrap()
                .iter()
                .zip(b["cellen"].as_array().unwrap())
            {
                let (Ok(px), Ok(ey)) = (count(x), count(y)) else {
                    continue;
                };
                let ey = ey.expect("exact viewers get numbers");
                match px {
                    Some(n) => assert_eq!(
                        n, ey,
                        "{what} {key} {}: published {n}, exact {ey}",
                        a["label"]
                    ),
                    None => {
                        if (1..t).contains(&ey) {
                            small_seen += 1;
                        }
                    }
                }
                if (1..t).contains(&ey) {
                    assert!(
                        px.is_none(),
                        "{what} {key} {}: small exact {ey} shown",
                        a["label"]
                    );
                }
            }
        }
    }
    small_seen
}

#[tokio::test(flavor = "multi_thread")]
async fn aggregate_roles_never_see_a_suppressed_value() {
    never_a_suppressed_value(&world()).await;
}

/// The same over PostgreSQL: the engine's monitor cells give the same publication.
#[test]
fn aggregate_roles_never_see_a_suppressed_value_on_postgresql() {
    if let Some(w) = world_pg("web_monitor") {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(never_a_suppressed_value(&w));
        drop(w); // outside the runtime: PostgreSQL's client blocks when it closes
    }
}

async fn never_a_suppressed_value(w: &World) {
    let mut suppressed = 0;
    for sel in SELECTIES {
        let q = format!("{PERIODE}{sel}");
        let exact = get(&w.app, &format!("/api/monitor/{REGIO}?{q}"), EXACT).await;
        assert_eq!(exact.status, StatusCode::OK, "{q}: {}", exact.text());
        let exact = exact.json();
        assert_eq!(exact["onderdrukt"], false);
        for user in GEPUBLICEERD {
            let what = format!("{user} {q}");
            let r = get(&w.app, &format!("/api/monitor/{REGIO}?{q}"), user).await;
            assert_eq!(r.status, StatusCode::OK, "{what}: {}", r.text());
            let j = r.json();
            assert_published(&j, 5, &what);
            suppressed += assert_matches_exact(&j, &exact, 5, &what);
        }
        // The page, its SVG titles and descriptions, and every export for one of them.
        let user = "beleidsmedewerker";
        let j = get(&w.app, &format!("/api/monitor/{REGIO}?{q}"), user)
            .await
            .json();
        let page = get(&w.app, &format!("/monitor/{REGIO}?{q}"), user).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_page_has_no_small_number(&page.text(), &q);
        for s in sections(&j) {
            let key = s["sleutel"].as_str().unwrap();
            if !s["niet_beschikbaar"].is_null() {
                continue;
            }
            let csv = get(
                &w.app,
                &format!("/monitor/{REGIO}/export.csv?sectie={key}&{q}"),
                user,
            )
            .await;
            assert_eq!(csv.status, StatusCode::OK, "{key} {q}");
            assert_csv_is_the_table(&csv.text(), &s["tabel"], &format!("{key} {q}"));
            let xlsx = get(
                &w.app,
                &format!("/monitor/{REGIO}/export.xlsx?sectie={key}&{q}"),
                user,
            )
            .await;
            assert_eq!(xlsx.status, StatusCode::OK);
            assert!(xlsx.body.starts_with(b"PK"), "{key}: not a zip");
            let cells = workbook_cells(&xlsx.body);
            assert_sheet_is_the_table(&xlsx.body, &s["tabel"], &format!("{key} {q}"));
            // No short form of a suppressed figure as text: those cells are empty, explained
            // in words in the Toelichting column.
            for c in &cells {
                if let Data::String(t) = c {
                    let short =
                        t.starts_with('<') || t.starts_with('≥') || t.contains("als \"<5\"");
                    assert!(!short, "{key} {q}: short form {t:?} in the workbook");
                }
            }
            if s["tabel"].to_string().contains("\"<5\"") {
                assert!(
                    cells.iter().any(
                        |c| matches!(c, Data::String(t) if t.contains("onderdrukt: kleiner dan 5"))
                    ),
                    "{key} {q}: the workbook lacks the note on the <5 of the table"
                );
            }
            if key == "in-zorg" || key == "stromen" || key == "wachtlijst" {
                // Only counts in these sheets: no count (a whole number ≥ 0) may be small.
                let counts: Vec<f64> = cells
                    .iter()
                    .filter_map(|c| match c {
                        Data::Float(v) => Some(*v),
                        Data::Int(v) => Some(*v as f64),
                        _ => None,
                    })
                    .filter(|v| *v >= 0.0 && v.fract() == 0.0)
                    .collect();
                assert!(!counts.is_empty(), "{key} {q}: numbers in the workbook");
                for v in counts {
                    assert!(
                        v == 0.0 || v >= 5.0,
                        "{key} {q}: small number {v} in the workbook"
                    );
                }
            }
        }
    }
    assert!(
        suppressed > 100,
        "small cells were suppressed ({suppressed})"
    );
}

/// The first sheet of a one-section workbook holds exactly the section's table (the JSON of the
/// API): every count a number cell with the same value, every suppressed count an empty cell
/// with its meaning in words in the row's `Toelichting` column, and the filter at the top.
fn assert_sheet_is_the_table(bytes: &[u8], tabel: &Value, what: &str) {
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    let name = book.sheet_names()[0].clone();
    assert!(name.encode_utf16().count() <= 31, "{what}: {name}");
    let range = book.worksheet_range(&name).expect("a sheet");
    let at = |r: usize, c: usize| {
        range
            .get_value((r as u32, c as u32))
            .cloned()
            .unwrap_or(Data::Empty)
    };
    assert!(
        matches!(at(1, 0), Data::String(t) if t.starts_with("Selectie: regio ")),
        "{what}: the filter below the title: {:?}",
        at(1, 0)
    );
    let kop = tabel["kop"].as_str().unwrap();
    let header = (0..10)
        .find(|&r| at(r, 0) == Data::String(kop.into()))
        .unwrap_or_else(|| panic!("{what}: header row"));
    let kolommen: Vec<&str> = tabel["kolommen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let rijen = tabel["rijen"].as_array().unwrap();
    let note_col = kolommen.len() + 1;
    let suppressed = rijen.iter().any(|r| {
        r["cellen"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str().is_some_and(|t| t.starts_with(['<', '≥'])))
    });
    if suppressed {
        assert_eq!(
            at(header, note_col),
            Data::String("Toelichting".into()),
            "{what}"
        );
    }
    let mut numbers = 0;
    for (i, rij) in rijen.iter().enumerate() {
        let r = header + 1 + i;
        assert_eq!(
            at(r, 0),
            Data::String(rij["label"].as_str().unwrap().into()),
            "{what}"
        );
        let note = match at(r, note_col) {
            Data::String(t) => t,
            _ => String::new(),
        };
        for (j, cel) in rij["cellen"].as_array().unwrap().iter().enumerate() {
            let got = at(r, j + 1);
            let kolom = kolommen[j];
            match cel {
                Value::Number(n) => {
                    numbers += 1;
                    assert_eq!(
                        got,
                        Data::Float(n.as_f64().unwrap()),
                        "{what} {kolom}: a number cell"
                    );
                }
                Value::String(t) if t.starts_with('<') => {
                    assert_eq!(got, Data::Empty, "{what} {kolom}: suppressed is empty");
                    let want = format!("{kolom}: onderdrukt: kleiner dan {}", &t[1..]);
                    assert!(note.contains(&want), "{what}: {note:?} lacks {want:?}");
                }
                Value::String(t) if t.starts_with('≥') => {
                    assert_eq!(got, Data::Empty, "{what} {kolom}: suppressed is empty");
                    let m: u64 = t['≥'.len_utf8()..].parse().unwrap();
                    let want = format!(
                        "{kolom}: onderdrukt: ten minste {}",
                        vangnet_publish::names::thousands(m)
                    );
                    assert!(note.contains(&want), "{what}: {note:?} lacks {want:?}");
                }
                _ => {}
            }
        }
    }
    if rijen
        .iter()
        .any(|r| r["cellen"].as_array().unwrap().iter().any(Value::is_number))
    {
        assert!(numbers > 0, "{what}");
    }
}

/// The code of the first gemeente row of the region's in-care table (a member gemeente).
async fn j_first_gemeente(app: &TestApp, user: &str) -> String {
    let j = get(app, &format!("/api/monitor/{REGIO}?{PERIODE}"), user)
        .await
        .json();
    let text = j.to_string();
    let at = text.find("\"GM").expect("a gemeente code in the API");
    text[at + 1..at + 7].to_owned()
}

/// Every non-empty cell of every sheet of a workbook, read by an independent reader.
fn workbook_cells(bytes: &[u8]) -> Vec<Data> {
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    let mut cells = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("a sheet");
        cells.extend(range.used_cells().map(|(_, _, c)| c.clone()));
    }
    cells
}

fn assert_page_has_no_small_number(html: &str, what: &str) {
    // Count cells of the tables.
    for part in html.split("<td class=\"getal aantal").skip(1) {
        let text = &part[part.find('>').unwrap() + 1..part.find("</td>").unwrap()];
        if let Ok(n) = text.replace('.', "").parse::<u64>() {
            assert!(n == 0 || n >= 5, "{what}: table cell {n}");
        }
    }
    // Chart tooltips and descriptions: "…: 3</title>" would give a bar's value away.
    for part in html.split("</title>") {
        if let Some(v) = part.rsplit(": ").next()
            && let Ok(n) = v.replace('.', "").parse::<u64>()
        {
            assert!(n == 0 || n >= 5, "{what}: SVG title {n}");
        }
    }
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains(" style="), "no inline styles");
}

fn assert_csv_is_the_table(csv: &str, tabel: &Value, what: &str) {
    let csv = csv.strip_prefix('\u{feff}').expect("BOM");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    let mut header = vec![tabel["kop"].as_str().unwrap().to_owned()];
    header.extend(
        tabel["kolommen"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned()),
    );
    let fields = |l: &str| -> Vec<String> {
        l.split(';')
            .map(|f| f.trim_matches('"').to_owned())
            .collect()
    };
    assert_eq!(fields(lines[0]), header, "{what}: header");
    let rows = tabel["rijen"].as_array().unwrap();
    assert_eq!(lines.len() - 1, rows.len(), "{what}: rows");
    for (line, r) in lines[1..].iter().zip(rows) {
        let f = fields(line);
        assert_eq!(f[0], r["label"].as_str().unwrap());
        for (x, v) in f[1..].iter().zip(r["cellen"].as_array().unwrap()) {
            match v {
                Value::Number(n) => assert_eq!(x, &n.to_string(), "{what}"),
                Value::String(s) => assert_eq!(x, s, "{what}"),
                Value::Null => assert_eq!(x, "—", "{what}"),
                _ => {}
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn exact_figures_for_the_regions_own_access_team() {
    let w = world();
    let j = get(
        &w.app,
        &format!("/api/monitor/{REGIO}?{PERIODE}&sectie=in-zorg"),
        EXACT,
    )
    .await
    .json();
    let rows = j["secties"][0]["tabel"]["rijen"].as_array().unwrap();
    let at = |m: &str| {
        rows.iter().find(|r| r["sleutel"] == m).unwrap()["cellen"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone()
    };
    assert_eq!(at("2024-01"), 0);
    assert_eq!(
        at("2024-03"),
        13,
        "8 Duiven + 3 groepswonen + pgb + unregistered"
    );
    assert_eq!(at("2024-07"), 11, "two left on 14 June");
    // The same for a policy officer: the total is not small, so it is exact (issue 12; it
    // was "≥11", 8 (Duiven) + 3 suppressed blocks).
    let j = get(
        &w.app,
        &format!("/api/monitor/{REGIO}?{PERIODE}&sectie=in-zorg"),
        "beleidsmedewerker",
    )
    .await
    .json();
    let rows = j["secties"][0]["tabel"]["rijen"].as_array().unwrap();
    let last = |m: &str| {
        rows.iter().find(|r| r["sleutel"] == m).unwrap()["cellen"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone()
    };
    assert_eq!(last("2024-03"), 13);
    // Woonplaatsbeginsel: one of Duiven's eight is Arnhem's responsibility.
    let wpb = |g: &str| {
        format!(
            "/api/monitor/{REGIO}?{PERIODE}&sectie=in-zorg&gemeente={g}&gemeente_soort=woonplaatsbeginsel"
        )
    };
    let j = get(&w.app, &wpb(DUIVEN), EXACT).await.json();
    let rows = j["secties"][0]["tabel"]["rijen"].as_array().unwrap();
    assert_eq!(rows[2]["cellen"].as_array().unwrap().last().unwrap(), 7);
    let j = get(&w.app, &wpb(ARNHEM), EXACT).await.json();
    let rows = j["secties"][0]["tabel"]["rijen"].as_array().unwrap();
    assert_eq!(
        rows[2]["cellen"].as_array().unwrap().last().unwrap(),
        5,
        "3 + pgb + the one from Duiven"
    );
    // MO in March: 13 nights of 3 people; one came back in May after more than 30 days.
    let j = get(
        &w.app,
        &format!("/api/monitor/{REGIO}?{PERIODE}&sectie=mo"),
        EXACT,
    )
    .await
    .json();
    let rows = j["secties"][0]["tabel"]["rijen"].as_array().unwrap();
    let maart = rows.iter().find(|r| r["sleutel"] == "2024-03").unwrap()["cellen"].clone();
    assert_eq!(maart, serde_json::json!([13, 3, 0]));
    let mei = rows.iter().find(|r| r["sleutel"] == "2024-05").unwrap()["cellen"].clone();
    assert_eq!(mei, serde_json::json!([2, 1, 1]));
    // ... which a policy officer sees as "<5" people, and no nights behind them.
    let j = get(
        &w.app,
        &format!("/api/monitor/{REGIO}?{PERIODE}&sectie=mo"),
        "beleidsmedewerker",
    )
    .await
    .json();
    let rows = j["secties"][0]["tabel"]["rijen"].as_array().unwrap();
    let maart = rows.iter().find(|r| r["sleutel"] == "2024-03").unwrap()["cellen"].clone();
    assert_eq!(maart, serde_json::json!([null, "<5", 0]));
}

#[tokio::test(flavor = "multi_thread")]
async fn in_care_views_are_totals_of_the_same_blocks() {
    // The region's in-care total and the per-gemeente views come from the same blocks: a
    // gemeente's total in its own view is its row in the comparison, and the comparison's
    // total is the region's total.
    let w = world();
    let user = "beleidsmedewerker";
    let region = get(&w.app, &format!("/api/monitor/{REGIO}?{PERIODE}"), user)
        .await
        .json();
    let sectie = |j: &Value, k: &str| {
        sections(j)
            .iter()
            .find(|s| s["sleutel"] == k)
            .unwrap()
            .clone()
    };
    let vergelijking = sectie(&region, "herkomst-plaatsen");
    let rows = vergelijking["tabel"]["rijen"].as_array().unwrap();
    let in_zorg = sectie(&region, "in-zorg");
    let dec = in_zorg["tabel"]["rijen"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["cellen"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        rows.last().unwrap()["cellen"][0],
        dec,
        "comparison total = region total"
    );
    for g in [DUIVEN, ARNHEM] {
        let j = get(
            &w.app,
            &format!("/api/monitor/{REGIO}?{PERIODE}&gemeente={g}"),
            user,
        )
        .await
        .json();
        let own = sectie(&j, "in-zorg")["tabel"]["rijen"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["cellen"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        let row = rows.iter().find(|r| r["sleutel"] == g).unwrap();
        assert_eq!(row["cellen"][0], own, "{g}");
        // Woonplaatsbeginsel: the gemeente's own view and its comparison column agree too.
        let q = format!(
            "/api/monitor/{REGIO}?{PERIODE}&gemeente={g}&gemeente_soort=woonplaatsbeginsel"
        );
        let j = get(&w.app, &q, user).await.json();
        let rijen = sectie(&j, "in-zorg")["tabel"]["rijen"].clone();
        let own = rijen.as_array().unwrap().last().unwrap()["cellen"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(row["cellen"][1], own, "{g} woonplaatsbeginsel");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn drill_down_links_keep_the_filters() {
    let w = world();
    let q = format!("{PERIODE}&indeling=leveringsvorm&gemeente_soort=woonplaatsbeginsel");
    let page = get(
        &w.app,
        &format!("/monitor/{REGIO}?{q}"),
        "beleidsmedewerker",
    )
    .await
    .text();
    let hrefs: Vec<String> = page
        .split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"))
        .collect();
    let gemeente = hrefs
        .iter()
        .find(|h| h.starts_with(&format!("/monitor/{REGIO}?gemeente={DUIVEN}")))
        .expect("a gemeente drill-down link");
    for keep in [
        "van=2024-01",
        "tot=2024-12",
        "indeling=leveringsvorm",
        "gemeente_soort=woonplaatsbeginsel",
    ] {
        assert!(gemeente.contains(keep), "{gemeente} lacks {keep}");
    }
    // Follow it: the heading names the gemeente, and a product link keeps the gemeente too.
    let sub = get(&w.app, gemeente, "beleidsmedewerker").await;
    assert_eq!(sub.status, StatusCode::OK);
    let sub = sub.text();
    let h1 = &sub[sub.find("<h1>").unwrap()..sub.find("</h1>").unwrap()];
    assert!(h1.contains("Duiven"), "{h1}");
    let product = sub
        .split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"))
        .find(|h| h.contains("product=bw-beschermd-wonen") && h.starts_with("/monitor/"))
        .expect("a product drill-down link");
    for keep in [
        &format!("gemeente={DUIVEN}"),
        "van=2024-01",
        "tot=2024-12",
        "gemeente_soort=woonplaatsbeginsel",
    ] {
        assert!(product.contains(keep), "{product} lacks {keep}");
    }
    let deeper = get(&w.app, &product, "beleidsmedewerker").await.text();
    let h1 = &deeper[deeper.find("<h1>").unwrap()..deeper.find("</h1>").unwrap()];
    assert!(
        h1.contains("Duiven") && h1.contains("Beschermd wonen"),
        "{h1}"
    );
    // The breadcrumb's region level drops gemeente and product but keeps the period.
    let from = deeper.find("Kruimelpad").unwrap();
    let crumbs = &deeper[from..from + deeper[from..].find("</nav>").unwrap()];
    assert!(
        crumbs.contains(&format!("/monitor/{REGIO}?van=2024-01&amp;tot=2024-12")),
        "{crumbs}"
    );
    // The provider level: a policy officer sees the locations, not figures per provider.
    let aanbieder = format!("/monitor/{REGIO}?{PERIODE}&aanbieder=98000101");
    let p = get(&w.app, &aanbieder, "beleidsmedewerker").await.text();
    assert!(p.contains("Cijfers per aanbieder publiceert Vangnet alleen voor de toegang"));
    assert!(
        p.contains("Rijnbeschut"),
        "the provider's locations are listed"
    );
    let j = get(
        &w.app,
        &format!("/api/monitor/{REGIO}?{PERIODE}&aanbieder=98000101"),
        "beleidsmedewerker",
    )
    .await
    .json();
    let x = get(
        &w.app,
        &format!("/monitor/{REGIO}/export.xlsx?{PERIODE}&aanbieder=98000101"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(
        x.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no workbook per provider"
    );
    assert!(
        sections(&j)
            .iter()
            .all(|s| !s["niet_beschikbaar"].is_null())
    );
    // ... and the region's own access team does get them.
    let j = get(
        &w.app,
        &format!("/api/monitor/{REGIO}?{PERIODE}&aanbieder=98000101&sectie=in-zorg"),
        EXACT,
    )
    .await
    .json();
    let rows = j["secties"][0]["tabel"]["rijen"].as_array().unwrap();
    assert_eq!(
        rows[2]["cellen"].as_array().unwrap().last().unwrap(),
        13,
        "everyone is at a Rijnbeschut location"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_for_the_roles_that_see_aggregates_and_403_for_the_auditor() {
    let w = world();
    let paths = [
        format!("/monitor/{REGIO}"),
        format!("/monitor/{REGIO}?{PERIODE}&gemeente={DUIVEN}&product=bw-beschermd-wonen"),
        format!("/monitor/{REGIO}/definities"),
        format!("/monitor/{REGIO}/rapport"),
        format!("/monitor/{REGIO}/rapport?gemeente={DUIVEN}&kwartaal=2024-2"),
        format!("/monitor/{REGIO}/export.csv?sectie=in-zorg&{PERIODE}"),
        format!("/monitor/{REGIO}/export.xlsx?{PERIODE}"),
        format!("/api/monitor/{REGIO}?{PERIODE}"),
    ];
    for user in GEPUBLICEERD.iter().chain([&EXACT]) {
        for p in &paths {
            let r = get(&w.app, p, user).await;
            assert_eq!(r.status, StatusCode::OK, "{user} {p}: {}", r.text());
        }
        let r = get(&w.app, "/monitor", user).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{user}");
    }
    for p in &paths {
        let r = get(&w.app, p, "auditor").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "auditor {p}");
        if !p.starts_with("/api/") {
            assert!(r.text().contains("Geen toegang"), "Dutch 403 page");
        }
    }
    // The navigation links the monitor for the roles that see it.
    let home = get(&w.app, "/", "beleidsmedewerker").await.text();
    assert!(home.contains("href=\"/monitor\""));
    let home = get(&w.app, "/", "auditor").await.text();
    assert!(!home.contains("href=\"/monitor\""));
    // The report compares the quarter with the same quarter a year earlier, without small
    // numbers for a policy officer.
    let r = get(
        &w.app,
        &format!("/monitor/{REGIO}/rapport?gemeente={ARNHEM}&kwartaal=2024-2"),
        "beleidsmedewerker",
    )
    .await
    .text();
    assert!(r.contains("2e kwartaal 2024") && r.contains("2e kwartaal 2023"));
    assert_page_has_no_small_number(&r, "rapport");
    let uitstroom = |html: &str| row_cells(html, "tabel-rapport-kern", "Uitstroom in het kwartaal");
    let exact = get(
        &w.app,
        &format!("/monitor/{REGIO}/rapport?gemeente={ARNHEM}&kwartaal=2024-2"),
        EXACT,
    )
    .await
    .text();
    assert_eq!(
        uitstroom(&exact),
        ["0", "2", "+2"],
        "two left Arnhem's groepswonen in June"
    );
    // June: one to a home, one to a clinic: two "<5" groups, so "≥2" and no difference.
    assert_eq!(uitstroom(&r), ["0", "≥2", "—"]);
}

/// The `<td>` texts of the row whose header is `label` in table `id`, tags stripped.
fn row_cells(html: &str, id: &str, label: &str) -> Vec<String> {
    let start = html
        .find(&format!("<table id=\"{id}\""))
        .unwrap_or_else(|| panic!("table {id}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let row_start = table
        .find(&format!("<th scope=\"row\">{label}</th>"))
        .unwrap_or_else(|| panic!("row {label} missing"));
    let row = &table[row_start..row_start + table[row_start..].find("</tr>").unwrap()];
    row.split("<td")
        .skip(1)
        .map(|c| {
            let inner = &c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()];
            let mut out = String::new();
            let mut tag = false;
            for ch in inner.chars() {
                match ch {
                    '<' => tag = true,
                    '>' => tag = false,
                    c if !tag => out.push(c),
                    _ => {}
                }
            }
            out.replace("&lt;", "<").trim().to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_and_errors() {
    let w = world();
    let u = "beleidsmedewerker";
    let r = get(
        &w.app,
        &format!("/monitor/{REGIO}/export.csv?sectie=in-zorg&{PERIODE}"),
        u,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        r.headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"vangnet-monitor-{REGIO}-in-zorg-2024-01-2024-12.csv\"")
    );
    let text = r.text();
    assert!(text.starts_with("\u{feff}Maand;"), "{}", &text[..60]);
    let header_line = text.lines().next().unwrap();
    assert!(header_line.ends_with(";Totaal"), "{header_line}");
    assert!(text.contains("\r\nmaart 2024;"), "a row per month");
    let r = get(
        &w.app,
        &format!("/monitor/{REGIO}/export.xlsx?sectie=stromen&{PERIODE}"),
        u,
    )
    .await;
    assert_eq!(
        r.headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"vangnet-monitor-{REGIO}-stromen-2024-01-2024-12.xlsx\"")
    );
    assert!(r.body.starts_with(b"PK\x03\x04"));
    // The filter in the file name (ASCII) and at the top of the sheet.
    let gm = j_first_gemeente(&w.app, u).await;
    let f = get(
        &w.app,
        &format!("/monitor/{REGIO}/export.xlsx?sectie=stromen&gemeente={gm}&{PERIODE}"),
        u,
    )
    .await;
    assert_eq!(
        f.headers[header::CONTENT_DISPOSITION],
        format!(
            "attachment; filename=\"vangnet-monitor-{REGIO}-stromen-{}-2024-01-2024-12.xlsx\"",
            gm.to_ascii_lowercase()
        )
    );
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(f.body.to_vec())).expect("a workbook");
    assert_eq!(book.sheet_names(), ["Instroom, door- en uitstroom"]);
    let range = book
        .worksheet_range("Instroom, door- en uitstroom")
        .unwrap();
    let Some(Data::String(selectie)) = range.get_value((1, 0)) else {
        panic!("a filter line");
    };
    assert!(
        selectie.starts_with("Selectie: regio ")
            && selectie.contains("; gemeente ")
            && selectie.contains("periode januari 2024 t/m december 2024"),
        "{selectie}"
    );
    let all = get(
        &w.app,
        &format!("/monitor/{REGIO}/export.xlsx?sectie=alle&{PERIODE}"),
        u,
    )
    .await;
    assert!(
        all.body.len() > r.body.len(),
        "every section in one workbook"
    );
    for (path, status) in [
        (
            format!("/monitor/{REGIO}/export.csv?sectie=bestaat-niet&{PERIODE}"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/monitor/{REGIO}?van=2024-13"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("/monitor/{REGIO}?van=2024-06&tot=2024-01"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("/monitor/{REGIO}?gemeente=GM0344"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("/monitor/{REGIO}?product=bestaat-niet"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("/monitor/{REGIO}?van=2000-01&tot=2024-01"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/monitor/nergens".to_owned(), StatusCode::NOT_FOUND),
        ("/api/monitor/nergens".to_owned(), StatusCode::NOT_FOUND),
        (
            format!("/monitor/{REGIO}/rapport?kwartaal=2100-1"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("/monitor/{REGIO}/rapport?kwartaal=zomer"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let r = get(&w.app, &path, u).await;
        assert_eq!(r.status, status, "{path}: {}", r.text());
    }
    let r = get(&w.app, &format!("/monitor/{REGIO}?gemeente=GM0344"), u)
        .await
        .text();
    assert!(
        r.contains("Filter gemeente: Utrecht hoort niet bij"),
        "the error names the field"
    );
    // A month with a multi-byte character (once a panic: a byte slice inside the `€`) is a
    // 422 with a Dutch message naming the field, on the page, the API and the exports.
    for path in [
        format!("/monitor/{REGIO}?tot=202%E2%82%AC"),
        format!("/monitor/{REGIO}?van=20%E2%82%AC%E2%82%AC"),
        format!("/api/monitor/{REGIO}?tot=202%E2%82%AC"),
        format!("/monitor/{REGIO}/export.csv?sectie=in-zorg&van=%C3%9F%C3%9F%C3%9F"),
    ] {
        let r = get(&w.app, &path, u).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let text = r.text();
        assert!(
            text.contains("Filter tot: '202€' is geen maand")
                || text.contains("Filter van: '20€€' is geen maand")
                || text.contains("Filter van: 'ßßß' is geen maand"),
            "{path}: {text}"
        );
    }
    // The running month is not published to aggregate viewers: a later `tot` is moved back,
    // with a notice.
    let r = get(
        &w.app,
        &format!("/api/monitor/{REGIO}?van=2024-01&tot=2099-12&sectie=in-zorg"),
        u,
    )
    .await
    .json();
    assert!(
        r["meldingen"][0]
            .as_str()
            .unwrap()
            .contains("lopende maand")
    );
    assert_ne!(r["filters"]["tot"], "2099-12");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_append_invalidates_the_cached_cells() {
    let w = world();
    let path = format!("/api/monitor/{REGIO}?{PERIODE}&sectie=in-zorg");
    let before = get(&w.app, &path, EXACT).await.json();
    let dec = |j: &Value| {
        j["secties"][0]["tabel"]["rijen"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["cellen"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .as_u64()
            .unwrap()
    };
    assert_eq!(dec(&before), 11);
    write(
        w.store.as_ref(),
        50,
        care(Some(DUIVEN), "bw-beschermd-wonen", Leveringsvorm::Zin),
    );
    let after = get(&w.app, &path, EXACT).await.json();
    assert_eq!(dec(&after), 12);
    let months: BTreeMap<String, Value> = after["secties"][0]["tabel"]["rijen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["sleutel"].as_str().unwrap().to_owned(),
                r["cellen"].clone(),
            )
        })
        .collect();
    assert_eq!(months.len(), 12);
}

/// Issue 12: where the page says "Klik op een gemeente om in te zoomen", the chart's gemeente
/// labels are links (SVG `<a href>`, reachable with the keyboard) that keep the filter; a
/// bar chart whose every value is 0 (the MO charts of a region without night shelter
/// nights in the period) is a sentence, not an empty 0–1 axis.
#[tokio::test]
async fn chart_labels_zoom_in_and_empty_charts_are_a_sentence() {
    let w = world();
    let q = format!("{PERIODE}&indeling=leveringsvorm");
    let page = get(
        &w.app,
        &format!("/monitor/{REGIO}?{q}"),
        "beleidsmedewerker",
    )
    .await
    .text();
    let start = page
        .find("id=\"grafiek-herkomst-plaatsen-titel\"")
        .expect("the chart");
    let svg = &page[start..start + page[start..].find("</svg>").unwrap()];
    let links: Vec<String> = svg
        .split("<a href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"))
        .collect();
    assert!(!links.is_empty(), "gemeente labels are links: {svg}");
    let duiven = links
        .iter()
        .find(|h| h.contains(&format!("gemeente={DUIVEN}")))
        .expect("Duiven's label links to Duiven");
    for keep in ["van=2024-01", "tot=2024-12", "indeling=leveringsvorm"] {
        assert!(duiven.contains(keep), "{duiven} lacks {keep}");
    }
    assert!(svg.contains("aria-label=\"Inzoomen op Duiven\""));
    let sub = get(&w.app, duiven, "beleidsmedewerker").await;
    assert_eq!(sub.status, StatusCode::OK);
    // The MO section: with nights in 2024 a chart; in 2019, before this world's first
    // fact, only zeros: a sentence instead of a chart.
    let mo = &page[page.find("id=\"mo\"").expect("the MO section")..];
    assert!(mo[..mo.find("</section>").unwrap()].contains("<svg"));
    let page = get(
        &w.app,
        &format!("/monitor/{REGIO}?van=2019-01&tot=2019-12"),
        "beleidsmedewerker",
    )
    .await
    .text();
    let mo = &page[page.find("id=\"mo\"").expect("the MO section")..];
    let mo = &mo[..mo.find("</section>").unwrap()];
    assert!(
        mo.contains("In deze periode zijn geen mensen in de nachtopvang geteld."),
        "{mo}"
    );
    assert!(!mo.contains("<svg"), "no empty chart: {mo}");
}

// ---------------------------------------------------------------------------------------
// Issue 15: the sections "Uitstroom naar wonen" and "Spreiding van de uitstroom naar een woning"

/// Three housing candidates in Centraal Gelderland, 2024 (all in beschermd wonen from 5
/// February, from Arnhem):
/// - 201: uitstroomklaar 1 March; offered a studio in Arnhem by Woonstichting De Brug on
///   10 April, accepted 15 April, tenancy 20 April, moved 1 May (61 days after ready), care
///   ended 1 May with a home in Arnhem;
/// - 202: uitstroomklaar 15 March; offered a home in Duiven by Liemers Wonen on 10 April,
///   refused 12 April; still a candidate at the end of the year;
/// - 203: expected ready on 15 September: a candidate from 15 June (3 months before, aanname).
fn populate_wonen(store: &dyn Store) {
    use vangnet_domain::events::{Woningtype, WoonRoute, Woonbehoefte, Woonbestemming};
    let behoefte = |verwacht: Option<&str>| {
        ClientEvent::Woonbehoefte(Woonbehoefte {
            woningtype: Woningtype::Studio,
            prikkelarm: false,
            gemeenten: vec![gm(ARNHEM), gm(DUIVEN)],
            ambulante_begeleiding: true,
            route: WoonRoute::Regulier,
            verwacht_klaar: verwacht.map(d),
        })
    };
    let aanbod = |corporatie: &str, gemeente: &str| ClientEvent::Woningaanbod {
        corporatie: corporatie.into(),
        gemeente: gm(gemeente),
        woningtype: Woningtype::Studio,
        route: WoonRoute::Regulier,
        reageren_voor: d("2024-04-24"),
    };
    let mut a = care(Some(ARNHEM), "bw-beschermd-wonen", Leveringsvorm::Zin);
    a.extend([
        ("2024-03-01", behoefte(None)),
        ("2024-03-01", ClientEvent::Uitstroomklaar),
        ("2024-04-10", aanbod("woonbrug", ARNHEM)),
        (
            "2024-04-15",
            ClientEvent::AanbodAntwoord {
                aanbod: 6,
                akkoord: true,
                reden: String::new(),
            },
        ),
        (
            "2024-04-20",
            ClientEvent::Huurovereenkomst {
                aanbod: 6,
                ingangsdatum: d("2024-05-01"),
            },
        ),
        ("2024-05-01", ClientEvent::Verhuizing { aanbod: 6 }),
        (
            "2024-05-01",
            ClientEvent::EindeZorg {
                bestemming: Bestemming::EigenWoningSociaal,
                woning: Some(Woonbestemming {
                    gemeente: gm(ARNHEM),
                    woningtype: Woningtype::Studio,
                }),
            },
        ),
    ]);
    write(store, 201, a);
    let mut b = care(Some(ARNHEM), "bw-beschermd-wonen", Leveringsvorm::Zin);
    b.extend([
        ("2024-03-15", behoefte(None)),
        ("2024-03-15", ClientEvent::Uitstroomklaar),
        ("2024-04-10", aanbod("liemers-wonen", DUIVEN)),
        (
            "2024-04-12",
            ClientEvent::AanbodAntwoord {
                aanbod: 6,
                akkoord: false,
                reden: "te ver van het netwerk".into(),
            },
        ),
    ]);
    write(store, 202, b);
    let mut c = care(Some(ARNHEM), "bw-beschermd-wonen", Leveringsvorm::Zin);
    c.push(("2024-03-01", behoefte(Some("2024-09-15"))));
    write(store, 203, c);
}

/// The cells of row `key` of the only section of `j`.
fn row_of(j: &Value, key: &str) -> Vec<Value> {
    sections(j)[0]["tabel"]["rijen"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["sleutel"] == key)
        .unwrap_or_else(|| panic!("no row {key}"))["cellen"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn housing_sections_count_a_written_history() {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("wonen.sqlite"), Regions::builtin()).unwrap());
    populate_wonen(store.as_ref());
    let app = TestApp::new(AppState::new(Arc::clone(&store)).with_today(today()));
    let url = |sectie: &str| format!("/api/monitor/{REGIO}?{PERIODE}&sectie={sectie}");

    // The access team: exact. Columns: candidates (month end), offers, accepted, refused,
    // tenancies, outflow to a home, median waiting time for a home.
    let j = get(&app, &url("uitstroom-wonen"), EXACT).await.json();
    assert_eq!(sections(&j)[0]["sleutel"], "uitstroom-wonen");
    let dagen = |x: Option<i64>| serde_json::json!({ "dagen": x });
    let want: [(&str, [u64; 6], Option<i64>); 7] = [
        ("2024-02", [0, 0, 0, 0, 0, 0], None),
        ("2024-03", [2, 0, 0, 0, 0, 0], None),
        ("2024-04", [2, 2, 1, 1, 1, 0], None),
        ("2024-05", [1, 0, 0, 0, 0, 1], Some(61)),
        ("2024-06", [2, 0, 0, 0, 0, 0], None),
        ("2024-09", [2, 0, 0, 0, 0, 0], None),
        ("2024-12", [2, 0, 0, 0, 0, 0], None),
    ];
    for (m, counts, wacht) in want {
        let cells = row_of(&j, m);
        let got: Vec<u64> = cells[..6].iter().map(|c| c.as_u64().unwrap()).collect();
        assert_eq!(got, counts, "{m}");
        assert_eq!(cells[6], dagen(wacht), "{m}");
    }
    let kern = sections(&j)[0]["kerncijfers"].as_array().unwrap();
    assert_eq!(kern[0][1], 2, "candidates at the end of December");
    assert_eq!(kern[1][1], dagen(Some(61)));

    let j = get(&app, &url("spreiding-wonen"), EXACT).await.json();
    assert_eq!(row_of(&j, ARNHEM), vec![Value::from(1)]);
    assert_eq!(row_of(&j, DUIVEN), vec![Value::from(0)]);
    assert_eq!(row_of(&j, "buiten"), vec![Value::from(0)]);
    assert_eq!(row_of(&j, "totaal"), vec![Value::from(1)]);
    // The gemeente filter does not apply to the spreiding.
    let j = get(
        &app,
        &format!("{}&gemeente={DUIVEN}", url("spreiding-wonen")),
        EXACT,
    )
    .await
    .json();
    assert_eq!(row_of(&j, ARNHEM), vec![Value::from(1)]);

    // A policy officer: every count 1..4 is "<5", no median of one move.
    let j = get(&app, &url("uitstroom-wonen"), "beleidsmedewerker")
        .await
        .json();
    assert_published(&j, 5, "uitstroom-wonen");
    let april = row_of(&j, "2024-04");
    assert_eq!(
        april[..6],
        [
            Value::from("<5"),
            Value::from("<5"),
            Value::from("<5"),
            Value::from("<5"),
            Value::from("<5"),
            Value::from(0),
        ]
    );
    let may = row_of(&j, "2024-05");
    assert_eq!(may[5], "<5");
    assert_eq!(may[6], dagen(None));
    let j = get(&app, &url("spreiding-wonen"), "beleidsmedewerker")
        .await
        .json();
    assert_published(&j, 5, "spreiding-wonen");
    assert_ne!(row_of(&j, ARNHEM)[0], 1);
    assert_eq!(row_of(&j, "totaal")[0], "<5");
    // The page, CSV and XLSX show the section without a small number to a policy officer.
    let page = get(
        &app,
        &format!("/monitor/{REGIO}?{PERIODE}"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("Uitstroom naar wonen"), "section on the page");
    assert!(html.contains("Spreiding van de uitstroom naar een woning"));
    let csv = get(
        &app,
        &format!("/monitor/{REGIO}/export.csv?{PERIODE}&sectie=uitstroom-wonen"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    let csv = csv.text();
    assert!(csv.contains("Kandidaten (eind maand)"), "{csv}");
    assert!(csv.contains("<5"), "{csv}");
    let defs = get(
        &app,
        &format!("/monitor/{REGIO}/definities"),
        "beleidsmedewerker",
    )
    .await
    .text();
    assert!(defs.contains("id=\"uitstroom-wonen\""));
    assert!(defs.contains("id=\"spreiding-wonen\""));
}
