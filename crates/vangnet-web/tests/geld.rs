//! The money pages (issue 13) through the router, on a small demo registry: who sees them,
//! the overview, the cost table under each attribution, the settlement summing to zero, the
//! CSV holding exactly the table, the JSON, a year out of range as an error box without a
//! table, and the analist's tariff form (a good tariff saved once even when sent twice, an
//! overlapping one refused in Dutch, a beleidsmedewerker refused).

mod support;
use support::{Reply, TestApp, send};

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tempfile::TempDir;
use vangnet_domain::{Date, Regions};
use vangnet_store::Store;
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::AppState;

fn today() -> Date {
    Date::parse("2024-12-31").unwrap()
}

struct World {
    _dir: TempDir,
    app: TestApp,
    store: Arc<dyn Store>,
    regio: String,
    andere: String,
}

fn world() -> World {
    world_with(true)
}

fn world_with(complete_tariffs: bool) -> World {
    let dir = TempDir::new().unwrap();
    let regions = Regions::builtin();
    let store = SqliteStore::open(&dir.path().join("geld.sqlite"), regions.clone()).unwrap();
    let demo = vangnet_demo::generate(
        &regions,
        &vangnet_demo::DemoConfig {
            seed: 13,
            start: Date::parse("2024-01-01").unwrap(),
            end: today(),
            scale: 0.1,
            first_client: 1,
        },
    );
    support::import_demo(&store, demo);
    if complete_tariffs {
        enter_missing_pgb_tariffs(&store, &regions.all()[0]);
    }
    let store: Arc<dyn Store> = Arc::new(store);
    World {
        _dir: dir,
        app: TestApp::new(AppState::new(Arc::clone(&store)).with_today(today())),
        store,
        regio: regions.all()[0].id.to_string(),
        andere: regions.all()[1].id.to_string(),
    }
}

/// The demo gives a pgb to some clients of every BW product; the shipped finance profile has
/// pgb tariffs for the main products only. Without a tariff the pages show the model's error
/// (tested below); here the region enters the missing ones, as it would on the tariff page.
fn enter_missing_pgb_tariffs(store: &dyn Store, p: &vangnet_domain::RegionProfile) {
    use vangnet_domain::events::Leveringsvorm;
    use vangnet_domain::region::{Domain, Herkomst};
    let fin = vangnet_money::FinanceProfile::parse(
        vangnet_money::profiel::builtin_text(&p.id).unwrap(),
        p,
    )
    .unwrap();
    let gate = vangnet_store::AccessGate::system("test: ontbrekende pgb-tarieven");
    for product in p.products.iter().filter(|x| x.domain == Domain::Bw) {
        let has = |lv| {
            fin.tarieven
                .items()
                .iter()
                .any(|(t, _)| t.product == product.code && t.leveringsvorm == lv)
        };
        if has(Leveringsvorm::Zin) && !has(Leveringsvorm::Pgb) {
            let t = vangnet_money::Tarief {
                product: product.code.clone(),
                leveringsvorm: Leveringsvorm::Pgb,
                eenheid: vangnet_money::Eenheid::Dag,
                bedrag: vangnet_money::Cents(9_000),
                van: Date::parse("2024-01-01").unwrap(),
                tot: None,
                uren_per_week_x100: None,
                herkomst: Herkomst::Aanname("test".into()),
            };
            store.record_tariff(&gate, &p.id, &t).unwrap();
        }
    }
}

async fn get(w: &World, path: &str, user: &str) -> Reply {
    let req = w
        .app
        .as_user(Request::get(path), user)
        .body(Body::empty())
        .unwrap();
    send(&w.app.router, req).await
}

async fn post(w: &World, path: &str, user: &str, form: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form.iter().copied())
        .append_pair("csrf", &w.app.csrf(user))
        .finish();
    let req = w
        .app
        .as_user(Request::post(path), user)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "vangnet.test")
        .header(header::ORIGIN, "http://vangnet.test")
        .body(Body::from(body))
        .unwrap();
    send(&w.app.router, req).await
}

/// The rows of table `id` (`<tr>` in its `<tbody>`), each as its cells' text.
fn table_rows(body: &str, id: &str) -> Vec<Vec<String>> {
    let start = body
        .find(&format!("<table id=\"tabel-{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let rest = &body[start..];
    let tbody = &rest[rest.find("<tbody>").unwrap()..rest.find("</tbody>").unwrap()];
    tbody
        .split("<tr")
        .skip(1)
        .map(|tr| {
            let mut cells = Vec::new();
            let mut s = tr;
            while let Some(i) = s.find(['<']) {
                let tag = &s[i..];
                if tag.starts_with("<th") || tag.starts_with("<td") {
                    let open = tag.find('>').unwrap();
                    let close = tag.find("</t").unwrap();
                    cells.push(strip_tags(&tag[open + 1..close]));
                    s = &tag[close + 3..];
                } else {
                    s = &tag[1..];
                }
            }
            cells
        })
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace(" (uw gemeente)", "")
        .trim()
        .to_owned()
}

/// A screen amount (`€ 1.234,56`, `-€ 12,00`) as the CSV writes it (`1234,56`, `-12`).
fn as_csv_number(s: &str) -> String {
    if !s.contains('€') {
        return s.to_owned();
    }
    let neg = s.starts_with('-');
    let digits = s.replace(['€', '.', ' ', '-', '\u{a0}'], "");
    let digits = digits.strip_suffix(",00").unwrap_or(&digits).to_owned();
    let digits = match digits.split_once(',') {
        Some((a, b)) => format!("{a},{}", b.trim_end_matches('0')),
        None => digits,
    };
    if neg { format!("-{digits}") } else { digits }
}

#[tokio::test]
async fn who_sees_the_money_pages() {
    let w = world();
    let r = &w.regio;
    for user in ["beleidsmedewerker", "analist", &format!("toegang-{r}")] {
        let page = get(&w, &format!("/geld/{r}"), user).await;
        assert_eq!(page.status, StatusCode::OK, "{user}: {}", page.body);
        assert!(page.body.contains("href=\"/geld\""), "nav link for {user}");
    }
    for user in [
        "zorgaanbieder",
        "woningcorporatie",
        "wijkteam",
        "auditor",
        "beheerder",
    ] {
        let page = get(&w, &format!("/geld/{r}"), user).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{user}");
        assert!(
            page.body.contains("financiële overzichten"),
            "{user}: {}",
            page.body
        );
        let home = get(&w, "/monitor", user).await;
        assert!(
            !home.body.contains("href=\"/geld\""),
            "no nav link for {user}"
        );
    }
    // Another region's money is not the beleidsmedewerker's (nor the analist's).
    for user in ["beleidsmedewerker", "analist"] {
        let page = get(&w, &format!("/geld/{}", w.andere), user).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{user}");
    }
    let json = get(&w, &format!("/api/geld/{}", w.andere), "analist").await;
    assert_eq!(json.status, StatusCode::FORBIDDEN);
    assert!(json.body.contains("\"fout\""), "{}", json.body);
}

#[tokio::test]
async fn the_overview_shows_costs_budgets_and_the_aannames_and_its_csv_is_the_table() {
    let w = world();
    let r = &w.regio;
    let page = get(&w, &format!("/geld/{r}?jaar=2024"), "beleidsmedewerker").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "Aannames",
        "demowaarden",
        "Kosten: besluit (huidige wet)",
        "Kosten: woonplaatsbeginsel",
        "Kosten: zorglocatie",
        "Historisch budget",
        "Budget ingroeipad",
        "Herverdeeleffect per inwoner",
        "Te verrekenen",
        "Definities",
        "half van nul af",
        "<svg",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    let rows = table_rows(&page.body, "overzicht");
    let csv = get(
        &w,
        &format!("/geld/{r}/export.csv?tabel=overzicht&jaar=2024"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<Vec<String>> = csv
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| l.split(';').map(str::to_owned).collect())
        .collect();
    assert_eq!(lines.len(), rows.len(), "{}", csv.body);
    for (row, line) in rows.iter().zip(&lines) {
        let shown: Vec<String> = row.iter().map(|c| as_csv_number(c)).collect();
        assert_eq!(&shown, line, "a CSV line differs from the table row");
    }
    // The region row holds the same total under every attribution.
    let last = rows.last().unwrap();
    assert!(last[0].starts_with("Regio"), "{last:?}");
    assert_eq!(last[1], last[2]);
    assert_eq!(last[2], last[3]);
    // JSON: the same tables.
    let json = get(
        &w,
        &format!("/api/geld/{r}?jaar=2024&tabel=overzicht"),
        "analist",
    )
    .await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    let j = json.json();
    assert_eq!(j["jaar"], 2024);
    assert_eq!(
        j["tabellen"][0]["rijen"].as_array().unwrap().len(),
        rows.len()
    );
    assert!(!j["aannames"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn cost_table_under_each_attribution_and_the_settlement_sums_to_zero() {
    let w = world();
    let r = &w.regio;
    let mut totals = Vec::new();
    for a in ["besluit", "woonplaatsbeginsel", "zorglocatie"] {
        let page = get(
            &w,
            &format!("/geld/{r}/kosten?jaar=2024&toerekening={a}"),
            &format!("toegang-{r}"),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{a}: {}", page.body);
        let rows = table_rows(&page.body, "kosten");
        assert!(rows.len() > 1, "{a}: cost rows");
        let total = rows.last().unwrap();
        assert_eq!(total[0], "Totaal");
        totals.push(total[5].clone());
    }
    // Exact viewer: every attribution sums to the same region total.
    assert_eq!(totals[0], totals[1]);
    assert_eq!(totals[1], totals[2]);
    let bad = get(
        &w,
        &format!("/geld/{r}/kosten?toerekening=gemeente"),
        "analist",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("Kies besluit, woonplaatsbeginsel of zorglocatie")
    );

    let page = get(
        &w,
        &format!("/geld/{r}/verrekening?jaar=2024"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let rows = table_rows(&page.body, "verrekening");
    let settle = rows.iter().find(|r| r[0] == "Te verrekenen").unwrap();
    assert_eq!(settle.last().unwrap(), "€ 0,00", "{settle:?}");
}

#[tokio::test]
async fn a_year_without_data_is_an_error_box_and_no_table() {
    let w = world();
    let r = &w.regio;
    let page = get(&w, &format!("/geld/{r}?jaar=1999"), "analist").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Er is een probleem"), "{}", page.body);
    assert!(
        page.body.contains("Voor 1999 zijn er geen budgetgegevens"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<table"), "no half table");
    let page = get(&w, &format!("/geld/{r}?jaar=twintig"), "analist").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = get(&w, "/geld/atlantis", "analist").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_missing_tariff_is_the_models_dutch_error_and_no_table() {
    let w = world_with(false);
    let r = &w.regio;
    for path in [
        format!("/geld/{r}?jaar=2024"),
        format!("/geld/{r}/kosten?jaar=2024"),
    ] {
        let page = get(&w, &path, "beleidsmedewerker").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(page.body.contains("Er is een probleem"));
        assert!(page.body.contains("Geen tarief voor"), "{}", page.body);
        assert!(!page.body.contains("<table"), "{path}: no half table");
    }
    let csv = get(
        &w,
        &format!("/geld/{r}/export.csv?tabel=overzicht&jaar=2024"),
        "analist",
    )
    .await;
    assert_eq!(
        csv.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no half download"
    );
}

/// The BW products of `p` with a ZIN tariff in the shipped finance profile and no pgb tariff.
fn missing_pgb(p: &vangnet_domain::RegionProfile) -> Vec<String> {
    use vangnet_domain::events::Leveringsvorm;
    let fin = vangnet_money::FinanceProfile::builtin(p).unwrap().unwrap();
    p.products
        .iter()
        .filter(|x| x.domain == vangnet_domain::region::Domain::Bw)
        .filter(|x| {
            let has = |lv| {
                fin.tarieven
                    .items()
                    .iter()
                    .any(|(t, _)| t.product == x.code && t.leveringsvorm == lv)
            };
            has(Leveringsvorm::Zin) && !has(Leveringsvorm::Pgb)
        })
        .map(|x| x.code.to_string())
        .collect()
}

#[tokio::test]
async fn the_analist_enters_a_tariff_once_and_an_overlap_is_refused() {
    // The demo's pgb clients of a product without a pgb tariff: the pages show the model's
    // error until the analist enters the missing tariff.
    let w = world_with(false);
    let r = w.regio.clone();
    let profile = w.store.regions().all()[0].clone();
    let missing = missing_pgb(&profile);
    assert_eq!(missing.len(), 1, "{missing:?}");
    let path = format!("/geld/{r}/tarieven");
    let form = [
        ("product", missing[0].as_str()),
        ("leveringsvorm", "pgb"),
        ("eenheid", "dag"),
        ("bedrag", "81,25"),
        ("van", "2015-01-01"),
        ("tot", ""),
        ("herkomst_soort", "bron"),
        ("herkomst", "Raadsbesluit pgb-tarieven (test)"),
    ];
    let id = vangnet_domain::RegionId::parse(&r).unwrap();
    let page = get(&w, &path, "analist").await;
    assert!(page.body.contains("Tarief toevoegen"));
    assert!(page.body.contains("aanname"), "demo tariffs marked");
    let first = post(&w, &path, "analist", &form).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    assert!(first.location().contains("melding=nieuw"));
    let again = post(&w, &path, "analist", &form).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert!(again.location().contains("melding=al"));
    let stored = support::off_runtime(|| w.store.tariffs(&id).unwrap());
    assert_eq!(stored.len(), 1, "a double submit stores one tariff");
    let page = get(&w, &format!("{path}?melding=nieuw"), "analist").await;
    assert!(page.body.contains("Het tarief is vastgelegd"));
    assert!(page.body.contains("€ 81,25"));
    // With the tariff the pages compute.
    let page = get(&w, &format!("/geld/{r}?jaar=2024"), "analist").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    // An overlapping period (with the entered one, or with the profile's) is refused in Dutch,
    // the values kept.
    let mut overlap = form;
    overlap[4] = ("van", "2026-06-01");
    overlap[3] = ("bedrag", "80");
    let refused = post(&w, &path, "analist", &overlap).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Er is een probleem"));
    assert!(
        refused
            .body
            .contains("De periode overlapt met een tarief dat al geldt"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"80\""), "the values are kept");

    let mut bad = form;
    bad[4] = ("van", "2027-01-15");
    bad[3] = ("bedrag", "veel");
    let refused = post(&w, &path, "analist", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("eerste dag van een maand"));
    assert!(refused.body.contains("bedrag in euro"));

    // A new price for a product the profile prices: it takes over for its own months, and
    // the pages still compute before, in and after them.
    let zin = [
        ("product", "bw-intramuraal"),
        ("leveringsvorm", "zin"),
        ("eenheid", "dag"),
        ("bedrag", "160,00"),
        ("van", "2026-01-01"),
        ("tot", "2026-12-31"),
        ("herkomst_soort", "bron"),
        ("herkomst", "Raadsbesluit tarieven 2026 (test)"),
    ];
    let saved = post(&w, &path, "analist", &zin).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = get(&w, &path, "analist").await;
    let rows = table_rows(&page.body, "tarieven");
    let intramuraal: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[1] == "zorg in natura" && r[0] == "Beschermd wonen (intramuraal)")
        .collect();
    assert!(
        intramuraal.iter().any(|r| r[5] == "31-12-2025")
            && intramuraal.iter().any(|r| r[4] == "01-01-2027"),
        "the profile's periods around the entered year: {intramuraal:?}"
    );
    assert!(
        intramuraal
            .iter()
            .any(|r| r[3] == "€ 160,00" && r[4] == "01-01-2026")
    );
    for jaar in [2025, 2026, 2027] {
        let page = get(&w, &format!("/geld/{r}?jaar={jaar}"), "analist").await;
        assert_eq!(page.status, StatusCode::OK, "{jaar}: {}", page.body);
    }

    // Read-only for the policy officer: no form, and a POST is refused.
    let page = get(&w, &path, "beleidsmedewerker").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Tarief toevoegen"));
    let refused = post(&w, &path, "beleidsmedewerker", &form).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        support::off_runtime(|| w.store.tariffs(&id).unwrap()).len(),
        2
    );
}

#[tokio::test]
async fn a_scenario_compares_base_and_scenario_per_gemeente() {
    let w = world();
    let r = &w.regio;
    let page = get(&w, &format!("/geld/{r}/scenario"), "beleidsmedewerker").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("tabel-scenario"));
    let page = get(
        &w,
        &format!(
            "/geld/{r}/scenario?ambulant_pct=20&ambulant_jaren=4&ambulant_vanaf=2024&wpb_vanaf=2025"
        ),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let rows = table_rows(&page.body, "scenario");
    assert!(!rows.is_empty());
    assert!(
        page.body
            .contains("woonplaatsbeginsel (wetsvoorstel 36 288) vanaf 2025")
    );
    // Volumes from the forecast: priced per year with its band (low ≤ middle ≤ high).
    let page = get(
        &w,
        &format!("/geld/{r}/scenario?prognose=ja"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("alles tegen het ZIN-tarief"),
        "the aanname is shown"
    );
    let banden = table_rows(&page.body, "prognose");
    assert!(!banden.is_empty());
    let euro = |s: &str| -> i64 {
        let d = s.replace(['€', '.', ' ', '\u{a0}'], "");
        let (e, c) = d.split_once(',').unwrap_or((&d, "00"));
        e.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap()
    };
    for b in &banden {
        assert!(
            euro(&b[1]) <= euro(&b[2]) && euro(&b[2]) <= euro(&b[3]),
            "{b:?}"
        );
    }
    assert!(euro(&banden[1][2]) > 0, "{banden:?}");
    let bad = get(
        &w,
        &format!("/geld/{r}/scenario?ambulant_pct=200"),
        "beleidsmedewerker",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("percentage tussen 0 en 100"));
}
