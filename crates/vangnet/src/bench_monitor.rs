//! `vangnet bench --monitor`: the four standard monitor queries answered from Vangnet's
//! maintained projections (`Store::monitor`), cold and warm, next to DuckDB's times for the
//! same queries over the same events in Parquet (`bench/monitor/run.sh` writes
//! `results.json`), and the time of a full rebuild of the projections from the log. Written
//! to the `monitor-bench` section of BENCHMARKS.md.
//!
//! The queries, as in `bench/monitor/README.md`:
//! (a) monthly inflow and outflow per gemeente × product;
//! (b) people in care at each month end per gemeente;
//! (c) median days from aanmelding to start per product per year;
//! (d) top-10 gemeenten by waiting-list length on a date.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use vangnet_domain::monitor::Measure;
use vangnet_domain::{Date, Regions};
use vangnet_store::{MonitorRow, Store};

/// Options of the monitor benchmark (a part of `vangnet bench`).
pub struct MonitorBench<'a> {
    /// The event log (JSON Lines) both sides read.
    pub events: &'a Path,
    /// Work directory (database, DuckDB results).
    pub dir: &'a Path,
    /// Report file.
    pub out: &'a Path,
    /// Warm repetitions per query.
    pub warm: usize,
    /// Date of query (d).
    pub peildatum: Date,
}

fn all_rows(store: &dyn Store, measures: &[Measure], until: u32) -> Result<Vec<MonitorRow>> {
    let mut out = Vec::new();
    for p in store.regions().all() {
        out.extend(store.monitor(&p.id, measures, until)?);
    }
    Ok(out)
}

/// (a) (maand, gemeente, product) → (instroom, uitstroom).
fn query_a(store: &dyn Store) -> Result<usize> {
    let rows = all_rows(store, &[Measure::Instroom, Measure::Uitstroom], 999_912)?;
    let mut out: BTreeMap<(u32, &str, &str), (i64, i64)> = BTreeMap::new();
    for r in &rows {
        let e = out.entry((r.maand, &r.gemeente, &r.product)).or_default();
        if r.measure == Measure::Instroom.key() {
            e.0 += r.n;
        } else {
            e.1 += r.n;
        }
    }
    Ok(out.len())
}

/// (b) people in care at every month end per gemeente (running sum of the net flows).
fn query_b(store: &dyn Store) -> Result<usize> {
    let rows = all_rows(store, &[Measure::InZorg], 999_912)?;
    let mut flows: BTreeMap<(u32, &str), i64> = BTreeMap::new();
    for r in &rows {
        *flows.entry((r.maand, &r.gemeente)).or_default() += r.n;
    }
    let (Some(first), Some(last)) = (
        flows.keys().next().map(|k| k.0),
        flows.keys().next_back().map(|k| k.0),
    ) else {
        return Ok(0);
    };
    let mut stock: HashMap<&str, i64> = HashMap::new();
    let mut out = 0usize;
    let mut it = flows.iter().peekable();
    let mut m = first;
    while m <= last {
        while let Some(((fm, g), n)) = it.peek() {
            if *fm > m {
                break;
            }
            *stock.entry(g).or_default() += **n;
            it.next();
        }
        out += stock.values().filter(|n| **n != 0).count();
        m = if m % 100 == 12 { m + 89 } else { m + 1 };
    }
    Ok(out)
}

/// (c) median days from aanmelding to start per product per year.
fn query_c(store: &dyn Store) -> Result<usize> {
    let rows = all_rows(store, &[Measure::DagenTotStart], 999_912)?;
    let mut hist: BTreeMap<(&str, u32), BTreeMap<u32, i64>> = BTreeMap::new();
    for r in &rows {
        *hist
            .entry((&r.product, r.maand / 100))
            .or_default()
            .entry(r.extra)
            .or_default() += r.n;
    }
    let mut medians = Vec::with_capacity(hist.len());
    for (k, h) in &hist {
        let total: i64 = h.values().sum();
        let (lo, hi) = ((total - 1) / 2, total / 2);
        let (mut seen, mut a, mut b) = (0i64, None, None);
        for (d, n) in h {
            if a.is_none() && seen + n > lo {
                a = Some(*d);
            }
            if seen + n > hi {
                b = Some(*d);
                break;
            }
            seen += n;
        }
        if let (Some(a), Some(b)) = (a, b) {
            medians.push((k, f64::from(a + b) / 2.0));
        }
    }
    Ok(medians.len())
}

/// (d) top-10 gemeenten by waiting-list length at the end of the peildatum's month.
fn query_d(store: &dyn Store, on: Date) -> Result<usize> {
    let until = vangnet_domain::monitor::month_key(on);
    let rows = all_rows(store, &[Measure::Wachtend], until)?;
    let mut per: HashMap<&str, i64> = HashMap::new();
    for r in &rows {
        *per.entry(&r.gemeente).or_default() += r.n;
    }
    let mut top: Vec<(&str, i64)> = per.into_iter().filter(|(_, n)| *n > 0).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    top.truncate(10);
    Ok(top.len())
}

struct Timing {
    name: &'static str,
    cold_s: f64,
    warm_median_s: f64,
    warm_p99_s: f64,
    rows: usize,
}

fn time_query(
    name: &'static str,
    warm: usize,
    mut f: impl FnMut() -> Result<usize>,
) -> Result<Timing> {
    let t = Instant::now();
    let rows = f()?;
    let cold_s = t.elapsed().as_secs_f64();
    let mut ms = Vec::with_capacity(warm);
    for _ in 0..warm {
        let t = Instant::now();
        std::hint::black_box(f()?);
        ms.push(t.elapsed().as_secs_f64());
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
    Ok(Timing {
        name,
        cold_s,
        warm_median_s: at(0.5),
        warm_p99_s: at(0.99),
        rows,
    })
}

/// DuckDB's `results.json` (from `bench/monitor/run.sh`), if present.
fn duckdb_results(dir: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(dir.join("monitor").join("results.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Run the benchmark and write its section of the report.
pub fn run(b: &MonitorBench<'_>) -> Result<()> {
    std::fs::create_dir_all(b.dir)?;
    let db: PathBuf = b.dir.join("monitor.sqlite");
    let dbs = db.display().to_string();
    let mut import_s = None;
    if !db.exists() {
        import_s = Some(
            crate::bench::child(&[
                "--database-url",
                &dbs,
                "import",
                &b.events.display().to_string(),
            ])?
            .0,
        );
    }
    let rebuild_s = crate::bench::child(&["--database-url", &dbs, "rebuild"])?.0;
    let store = vangnet_store_sqlite::SqliteStore::open(&db, Regions::builtin())?;
    let events = store.event_count()?;
    let timings = vec![
        time_query(
            "(a) instroom/uitstroom per maand × gemeente × product",
            b.warm,
            || query_a(&store),
        )?,
        time_query("(b) in zorg op elk maandeinde per gemeente", b.warm, || {
            query_b(&store)
        })?,
        time_query(
            "(c) mediaan dagen aanmelding → start per product per jaar",
            b.warm,
            || query_c(&store),
        )?,
        time_query(
            "(d) top-10 gemeenten naar wachtlijstlengte op peildatum",
            b.warm,
            || query_d(&store, b.peildatum),
        )?,
    ];
    let duck = duckdb_results(b.dir);
    let section = render(b, events, import_s, rebuild_s, &timings, duck.as_ref());
    let existing = std::fs::read_to_string(b.out).unwrap_or_default();
    std::fs::write(
        b.out,
        crate::bench::replace_marked(&existing, "monitor-bench", &section),
    )?;
    println!("Resultaten geschreven naar {}", b.out.display());
    Ok(())
}

fn render(
    b: &MonitorBench<'_>,
    events: u64,
    import_s: Option<f64>,
    rebuild_s: f64,
    timings: &[Timing],
    duck: Option<&serde_json::Value>,
) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "## Monitor: vier standaardvragen, Vangnet-projecties tegen DuckDB\n"
    );
    let _ = writeln!(
        s,
        "`vangnet bench --monitor` op {} gebeurtenissen (`{}`), SQLite; DuckDB-kant: `bench/monitor/run.sh` (zelfde bestand → Parquet, `SET threads=2`). \
         Warm = mediaan en p99 van {} herhalingen; koud = eerste keer na het openen van de database (bestand in de OS-cache). \
         Vangnet beantwoordt de vragen uit de monitorprojectie die bij elke gebeurtenis wordt bijgewerkt; DuckDB rekent ze uit de feiten (correcties en intrekkingen al verwerkt in de voorbereiding).\n",
        events,
        b.events.display(),
        b.warm
    );
    let _ = writeln!(
        s,
        "| vraag | Vangnet koud (ms) | Vangnet warm p50 / p99 (ms) | rijen | DuckDB koud (ms) | DuckDB warm p50 (ms) | verhouding warm Vangnet/DuckDB (doel ≤ 0,05) |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|");
    let keys = ["a", "b", "c", "d"];
    let mut duck_cold_total = 0.0;
    for (t, k) in timings.iter().zip(keys) {
        let q = duck
            .and_then(|d| d.get("queries"))
            .and_then(|q| q.as_object())
            .and_then(|q| {
                q.iter()
                    .find(|(name, _)| name.starts_with(&format!("{k}_")))
            })
            .map(|(_, v)| v);
        let dc = q.and_then(|q| q.get("cold_s")).and_then(|v| v.as_f64());
        let dw = q
            .and_then(|q| q.get("warm_median_s"))
            .and_then(|v| v.as_f64());
        duck_cold_total += dc.unwrap_or(0.0);
        let fmt = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{:.1}", v * 1000.0));
        let ratio = dw.map_or("—".to_owned(), |d| format!("{:.3}", t.warm_median_s / d));
        let _ = writeln!(
            s,
            "| {} | {:.1} | {:.1} / {:.1} | {} | {} | {} | {} |",
            t.name,
            t.cold_s * 1000.0,
            t.warm_median_s * 1000.0,
            t.warm_p99_s * 1000.0,
            t.rows,
            fmt(dc),
            fmt(dw),
            ratio
        );
    }
    let _ = writeln!(s);
    if let Some(i) = import_s {
        let _ = writeln!(
            s,
            "- Import van het bestand in een lege database (alle projecties, ook de monitor, in dezelfde transactie): {i:.1} s."
        );
    }
    let _ = writeln!(
        s,
        "- Volledige rebuild van alle projecties uit het log (client_state, bezetting, wachtlijst, termijnen én monitor; er is geen losse monitor-rebuild): {rebuild_s:.1} s."
    );
    if duck_cold_total > 0.0 {
        let _ = writeln!(
            s,
            "- DuckDB koud, vier vragen samen: {:.2} s → rebuild / (5 × DuckDB koud) = {:.2} (doel ≤ 1).",
            duck_cold_total,
            rebuild_s / (5.0 * duck_cold_total)
        );
    } else {
        let _ = writeln!(
            s,
            "- DuckDB-resultaten ontbreken (`bench/monitor/run.sh` eerst draaien)."
        );
    }
    let _ = writeln!(s, "- Machine: {}.\n", crate::bench::machine());
    s
}
