//! `vangnet bench --dashboard`: server time of every monitor dashboard view (issue 4: "server
//! time of each dashboard view warm and cold, target p99 < 100 ms warm") on the national
//! database that `vangnet bench --monitor` builds (`monitor.sqlite`: ≥ 5 million events).
//! Requests go in-process to the router (no network), as a beleidsmedewerker (published
//! figures with small-number suppression) and, for the region view, as the region's own
//! access team (exact figures). Written to the `dashboard-bench` section of BENCHMARKS.md.
//!
//! Cold = the first request for that view on a freshly opened store, so the region's monitor
//! cells are read from the database (the operating system's file cache stays warm: a second
//! run of the machine, not a reboot). Warm = p50/p99 of the following requests.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use vangnet_domain::Regions;
use vangnet_store::Store;

use crate::bench::{machine, percentiles, replace_marked, time_requests};

/// One measured view.
struct Row {
    what: String,
    uri: String,
    user: String,
    cold_ms: f64,
    p50: f64,
    p99: f64,
}

/// Runs the dashboard benchmark on `dir/monitor.sqlite` and writes the report to `out`.
pub fn run(dir: &Path, out: &Path, requests: usize) -> Result<()> {
    let db = dir.join("monitor.sqlite");
    if !db.exists() {
        bail!(
            "{} ontbreekt: maak de landelijke database eerst met `vangnet bench --monitor`",
            db.display()
        );
    }
    let regions = Regions::builtin();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let open = || -> Result<Arc<dyn Store>> {
        Ok(Arc::new(vangnet_store_sqlite::SqliteStore::open(
            &db,
            regions.clone(),
        )?))
    };
    let probe = open()?;
    let events = probe.event_count()?;
    let quarter = {
        // The last complete quarter before today.
        let today = vangnet_store::time::today();
        let (y, m, _) = today.ymd();
        let q = (m - 1) / 3; // quarters completed this year
        if q == 0 {
            format!("{}-4", y - 1)
        } else {
            format!("{y}-{q}")
        }
    };
    // (`/monitor` itself only redirects to the viewer's region.)
    let mut views: Vec<(String, String, String)> = Vec::new();
    for p in regions.all() {
        let r = &p.id;
        let g = p.gemeenten.first().context("regio zonder gemeenten")?.code;
        let product = &p.products.first().context("regio zonder producten")?.code;
        views.extend([
            (
                format!("{}: regio, gepubliceerd", p.name),
                format!("/monitor/{r}"),
                "beleidsmedewerker".into(),
            ),
            (
                format!("{}: regio, exact (eigen toegangsteam)", p.name),
                format!("/monitor/{r}"),
                format!("toegang-{r}"),
            ),
            (
                format!("{}: één gemeente", p.name),
                format!("/monitor/{r}?gemeente={g}"),
                "beleidsmedewerker".into(),
            ),
            (
                format!("{}: product, woonplaatsbeginsel", p.name),
                format!("/monitor/{r}?product={product}&gemeente_soort=woonplaatsbeginsel"),
                "beleidsmedewerker".into(),
            ),
            (
                format!("{}: kwartaalrapport", p.name),
                format!("/monitor/{r}/rapport?gemeente={g}&kwartaal={quarter}"),
                "beleidsmedewerker".into(),
            ),
            (
                format!("{}: alle tabellen als Excel", p.name),
                format!("/monitor/{r}/export.xlsx"),
                "beleidsmedewerker".into(),
            ),
            (
                format!("{}: JSON", p.name),
                format!("/api/monitor/{r}"),
                "beleidsmedewerker".into(),
            ),
            (
                format!("{}: definities", p.name),
                format!("/monitor/{r}/definities"),
                "beleidsmedewerker".into(),
            ),
            (
                format!("{}: afgesproken acties", p.name),
                format!("/monitor/{r}/acties"),
                "beleidsmedewerker".into(),
            ),
        ]);
    }
    // Stores stay open until the end so no two share an address (the page cache is keyed on
    // the store).
    let mut stores = Vec::new();
    let mut rows = Vec::new();
    for (what, uri, user) in views {
        let store = open()?;
        let state = vangnet_web::AppState::new(Arc::clone(&store)).with_demo_login(true);
        let cookie = state.demo_session(&user);
        let app = vangnet_web::router(state);
        stores.push(store);
        let mut ms = time_requests(&rt, &app, &uri, &cookie, requests + 1)?;
        let cold_ms = ms.remove(0);
        let (p50, p99) = percentiles(&mut ms);
        println!("{what:<60} koud {cold_ms:>8.1} ms  warm p50 {p50:>7.2} p99 {p99:>7.2} ms");
        rows.push(Row {
            what,
            uri,
            user,
            cold_ms,
            p50,
            p99,
        });
    }
    drop(stores);

    let mut s = String::new();
    writeln!(s, "## Monitor-dashboard: server-tijd per weergave\n")?;
    writeln!(
        s,
        "`vangnet bench --dashboard` op de landelijke database van `vangnet bench --monitor` ({events} gebeurtenissen, SQLite). \
         Elk verzoek via de router in het proces (geen netwerk), tijd tot de volledige body. \
         Koud = eerste verzoek na het openen van de database (de monitorcellen van de regio worden gelezen); \
         warm = p50/p99 van de {requests} volgende verzoeken. Doel: p99 warm < 100 ms. Machine: {}. Gemeten op {}.\n",
        machine(),
        vangnet_store::time::today()
    )?;
    writeln!(
        s,
        "| Weergave | Adres | Gebruiker | Koud (ms) | Warm p50 (ms) | Warm p99 (ms) |"
    )?;
    writeln!(s, "|---|---|---|---:|---:|---:|")?;
    for r in &rows {
        writeln!(
            s,
            "| {} | `{}` | {} | {:.1} | {:.2} | {:.2} |",
            r.what, r.uri, r.user, r.cold_ms, r.p50, r.p99
        )?;
    }
    let worst = rows.iter().map(|r| r.p99).fold(0.0, f64::max);
    writeln!(
        s,
        "\nHoogste warme p99: {worst:.1} ms ({}).",
        if worst < 100.0 {
            "doel gehaald"
        } else {
            "doel NIET gehaald"
        }
    )?;
    let existing = std::fs::read_to_string(out).unwrap_or_default();
    std::fs::write(out, replace_marked(&existing, "dashboard-bench", &s))?;
    println!("Resultaten geschreven naar {}", out.display());
    Ok(())
}
