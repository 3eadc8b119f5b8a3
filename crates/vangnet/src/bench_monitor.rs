//! `vangnet bench --monitor`: the four standard monitor queries answered from Vangnet's
//! maintained projections (`Store::monitor_view`: the in-memory monitor index, loaded from
//! the `monitor` table on first use — that is the cold run), cold and warm, next to DuckDB's times for the
//! same queries over the same events in Parquet (`bench/monitor/run.sh` writes
//! `results.json`), and the time of a full rebuild of the projections from the log. Written
//! to the `monitor-bench` section of BENCHMARKS.md.
//!
//! The queries, as in `bench/monitor/README.md`:
//! (a) monthly inflow and outflow per gemeente × product;
//! (b) people in care at each month end per gemeente;
//! (c) median days from aanmelding to start per product per year;
//! (d) top-10 gemeenten by waiting-list length on a date.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use vangnet_domain::hash::FastHashMap;
use vangnet_domain::monitor::Measure;
use vangnet_domain::{Date, Maand, Regions};
use vangnet_store::{MonitorView, Store};

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

/// One view per region (the store's in-memory monitor index; see
/// `vangnet_store::monitor_index`). Every region shares one dictionary of keys, so ids are
/// comparable across the views.
fn views(store: &dyn Store, measures: &[Measure]) -> Result<Vec<MonitorView>> {
    store
        .regions()
        .all()
        .iter()
        .map(|p| Ok(store.monitor_view(&p.id, measures)?))
        .collect()
}

/// Month index of `yyyymm` (months since year 0; a yearly key `yyyy00` counts as January).
fn month_ix(m: u32) -> usize {
    Maand::index_of_key(m) as usize
}

/// (a) (maand, gemeente, product) → (instroom, uitstroom).
fn query_a(store: &dyn Store) -> Result<usize> {
    let views = views(store, &[Measure::Instroom, Measure::Uitstroom])?;
    let mut out: FastHashMap<u64, (i64, i64)> = FastHashMap::default();
    for v in &views {
        for (i, m) in v.measures.iter().enumerate() {
            for c in &m.cells {
                let key = (u64::from(c.maand) << 40)
                    | (u64::from(c.gemeente) << 20)
                    | u64::from(c.product);
                let e = out.entry(key).or_default();
                if i == 0 {
                    e.0 += c.n;
                } else {
                    e.1 += c.n;
                }
            }
        }
    }
    Ok(out.len())
}

/// (b) people in care at every month end per gemeente (running sum of the net flows).
fn query_b(store: &dyn Store) -> Result<usize> {
    let views = views(store, &[Measure::InZorg])?;
    let cells = || views.iter().flat_map(|v| v.measures[0].cells.iter());
    let (Some(first), Some(last)) = (
        cells().map(|c| month_ix(c.maand)).min(),
        cells().map(|c| month_ix(c.maand)).max(),
    ) else {
        return Ok(0);
    };
    let g = views.iter().map(|v| v.dict.len()).max().unwrap_or(1);
    let mut flows = vec![0i64; (last - first + 1) * g];
    for c in cells() {
        flows[(month_ix(c.maand) - first) * g + c.gemeente as usize] += c.n;
    }
    let mut stock = vec![0i64; g];
    let mut out = 0usize;
    for month in flows.chunks_exact(g) {
        for (s, f) in stock.iter_mut().zip(month) {
            *s += f;
        }
        out += stock.iter().filter(|n| **n != 0).count();
    }
    Ok(out)
}

/// (c) median days from aanmelding to start per product per year.
fn query_c(store: &dyn Store) -> Result<usize> {
    let views = views(store, &[Measure::DagenTotStart])?;
    // A day histogram per (product, year), dense.
    let cells = || views.iter().flat_map(|v| v.measures[0].cells.iter());
    let (Some(y0), Some(y1)) = (
        cells().map(|c| c.maand / 100).min(),
        cells().map(|c| c.maand / 100).max(),
    ) else {
        return Ok(0);
    };
    let years = (y1 - y0 + 1) as usize;
    let p = views.iter().map(|v| v.dict.len()).max().unwrap_or(1);
    let mut hist: Vec<Vec<i64>> = vec![Vec::new(); p * years];
    for c in cells() {
        let h = &mut hist[c.product as usize * years + (c.maand / 100 - y0) as usize];
        let d = c.extra as usize;
        if h.len() <= d {
            h.resize(d + 1, 0);
        }
        h[d] += c.n;
    }
    let mut medians = 0usize;
    for h in &hist {
        let total: i64 = h.iter().sum();
        if total <= 0 {
            continue;
        }
        let (lo, hi) = ((total - 1) / 2, total / 2);
        let (mut seen, mut a, mut b) = (0i64, None, None);
        for (d, n) in h.iter().enumerate() {
            if a.is_none() && seen + n > lo {
                a = Some(d);
            }
            if seen + n > hi {
                b = Some(d);
                break;
            }
            seen += n;
        }
        if let (Some(a), Some(b)) = (a, b) {
            std::hint::black_box((a + b) as f64 / 2.0);
            medians += 1;
        }
    }
    Ok(medians)
}

/// (d) top-10 gemeenten by waiting-list length at the end of the peildatum's month
/// (people without a gemeente are left out, as in the DuckDB query).
fn query_d(store: &dyn Store, on: Date) -> Result<usize> {
    let until = vangnet_domain::monitor::month_key(on);
    let views = views(store, &[Measure::Wachtend])?;
    let Some(dict) = views.iter().map(|v| &v.dict).max_by_key(|d| d.len()) else {
        return Ok(0);
    };
    let mut per = vec![0i64; dict.len()];
    for v in &views {
        for c in v.measures[0].until(until) {
            per[c.gemeente as usize] += c.n;
        }
    }
    let mut top: Vec<(&str, i64)> = per
        .iter()
        .enumerate()
        .filter(|(g, n)| **n > 0 && *g != 0)
        .map(|(g, n)| (dict.name(g as u32), *n))
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    top.truncate(10);
    Ok(top.len())
}

/// The four answers in full, as CSV lines in the format of DuckDB's result files (header
/// left out), to compare them line by line (outside the timings).
fn answers(store: &dyn Store, on: Date) -> Result<[Vec<String>; 4]> {
    let ym = |m: u32| Maand::from_key(m).map_or_else(|| m.to_string(), |m| m.to_string());
    // (a)
    let views_a = views(store, &[Measure::Instroom, Measure::Uitstroom])?;
    let dict = views_a
        .iter()
        .map(|v| &v.dict)
        .max_by_key(|d| d.len())
        .cloned();
    let mut a: std::collections::BTreeMap<(u32, String, String), (i64, i64)> = Default::default();
    if let Some(dict) = &dict {
        for v in &views_a {
            for (i, m) in v.measures.iter().enumerate() {
                for c in &m.cells {
                    let e = a
                        .entry((
                            c.maand,
                            dict.name(c.gemeente).to_owned(),
                            dict.name(c.product).to_owned(),
                        ))
                        .or_default();
                    if i == 0 {
                        e.0 += c.n;
                    } else {
                        e.1 += c.n;
                    }
                }
            }
        }
    }
    let a = a
        .into_iter()
        .map(|((m, g, p), (i, u))| format!("{},{g},{p},{i},{u}", ym(m)))
        .collect();
    // (b)
    let views_b = views(store, &[Measure::InZorg])?;
    let mut flows: std::collections::BTreeMap<u32, std::collections::BTreeMap<String, i64>> =
        Default::default();
    for v in &views_b {
        for c in &v.measures[0].cells {
            *flows
                .entry(c.maand)
                .or_default()
                .entry(v.dict.name(c.gemeente).to_owned())
                .or_default() += c.n;
        }
    }
    let mut b = Vec::new();
    if let (Some(first), Some(last)) = (
        flows.keys().next().copied(),
        flows.keys().next_back().copied(),
    ) {
        let mut stock: std::collections::BTreeMap<String, i64> = Default::default();
        let mut m = first;
        while m <= last {
            for (g, n) in flows.get(&m).into_iter().flatten() {
                *stock.entry(g.clone()).or_default() += n;
            }
            let end = Maand::from_key(m).expect("month").last_day();
            for (g, n) in &stock {
                if *n != 0 {
                    b.push(format!("{end},{g},{n}"));
                }
            }
            m = Maand::from_key(m).expect("month").plus(1).key();
        }
    }
    // (c)
    let views_c = views(store, &[Measure::DagenTotStart])?;
    let mut hist: std::collections::BTreeMap<(String, u32), std::collections::BTreeMap<u32, i64>> =
        Default::default();
    for v in &views_c {
        for c in &v.measures[0].cells {
            *hist
                .entry((v.dict.name(c.product).to_owned(), c.maand / 100))
                .or_default()
                .entry(c.extra)
                .or_default() += c.n;
        }
    }
    let mut cq = Vec::new();
    for ((p, y), h) in &hist {
        let total: i64 = h.values().sum();
        let (lo, hi) = ((total - 1) / 2, total / 2);
        let (mut seen, mut x, mut z) = (0i64, None, None);
        for (d, n) in h {
            if x.is_none() && seen + n > lo {
                x = Some(*d);
            }
            if seen + n > hi {
                z = Some(*d);
                break;
            }
            seen += n;
        }
        if let (Some(x), Some(z)) = (x, z) {
            cq.push(format!("{p},{y},{:?},{total}", f64::from(x + z) / 2.0));
        }
    }
    // (d)
    let views_d = views(store, &[Measure::Wachtend])?;
    let until = vangnet_domain::monitor::month_key(on);
    let mut per: std::collections::BTreeMap<String, i64> = Default::default();
    for v in &views_d {
        for c in v.measures[0].until(until) {
            *per.entry(v.dict.name(c.gemeente).to_owned()).or_default() += c.n;
        }
    }
    let mut top: Vec<(String, i64)> = per
        .into_iter()
        .filter(|(g, n)| *n > 0 && !g.is_empty())
        .collect();
    top.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    top.truncate(10);
    let d = top.into_iter().map(|(g, n)| format!("{g},{n}")).collect();
    Ok([a, b, cq, d])
}

/// Per query: (lines only in Vangnet's answer, lines only in DuckDB's), or `None` when
/// DuckDB's result file is missing. Lines are compared as sets (order differs by design).
fn compare_with_duckdb(dir: &Path, ours: &[Vec<String>; 4]) -> [Option<(usize, usize)>; 4] {
    let files = [
        "a_instroom_uitstroom.csv",
        "b_in_zorg_maandeinde.csv",
        "c_mediaan_aanmelding_start.csv",
        "d_top10_wachtlijst.csv",
    ];
    std::array::from_fn(|i| {
        let text = std::fs::read_to_string(dir.join("monitor").join(files[i])).ok()?;
        let theirs: std::collections::HashSet<&str> = text.lines().skip(1).collect();
        let ours_set: std::collections::HashSet<&str> =
            ours[i].iter().map(String::as_str).collect();
        Some((
            ours_set.difference(&theirs).count(),
            theirs.difference(&ours_set).count(),
        ))
    })
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
    let rebuild_monitor_s =
        crate::bench::child(&["--database-url", &dbs, "rebuild", "--monitor"])?.0;
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
    let checks = compare_with_duckdb(b.dir, &answers(&store, b.peildatum)?);
    let section = render(
        b,
        events,
        import_s,
        (rebuild_s, rebuild_monitor_s),
        &timings,
        duck.as_ref(),
        &checks,
    );
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
    (rebuild_s, rebuild_monitor_s): (f64, f64),
    timings: &[Timing],
    duck: Option<&serde_json::Value>,
    checks: &[Option<(usize, usize)>; 4],
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
    let check = |c: &Option<(usize, usize)>| match c {
        None => "niet gecontroleerd (geen DuckDB-CSV)".to_owned(),
        Some((0, 0)) => "gelijk".to_owned(),
        Some((o, t)) => format!("VERSCHILT ({o} regels alleen bij Vangnet, {t} alleen bij DuckDB)"),
    };
    let _ = writeln!(
        s,
        "- Uitkomsten regel voor regel vergeleken met DuckDB's CSV's (buiten de tijdmeting): (a) {}, (b) {}, (c) {}, (d) {}.",
        check(&checks[0]),
        check(&checks[1]),
        check(&checks[2]),
        check(&checks[3])
    );
    if let Some(i) = import_s {
        let _ = writeln!(
            s,
            "- Import van het bestand in een lege database (alle projecties, ook de monitor, in dezelfde transactie): {i:.1} s."
        );
    }
    let _ = writeln!(
        s,
        "- Rebuild van de monitorprojectie uit het log (`vangnet rebuild --monitor`: alle stromen opnieuw gevouwen, tabel `monitor` vervangen): {rebuild_monitor_s:.1} s."
    );
    let _ = writeln!(
        s,
        "- Volledige rebuild van alle projecties uit het log (client_state, bezetting, wachtlijst, termijnen én monitor): {rebuild_s:.1} s."
    );
    if duck_cold_total > 0.0 {
        let _ = writeln!(
            s,
            "- DuckDB koud, vier vragen samen: {:.2} s → monitor-rebuild / (5 × DuckDB koud) = {:.2} (doel ≤ 1); volledige rebuild / (5 × DuckDB koud) = {:.2}.",
            duck_cold_total,
            rebuild_monitor_s / (5.0 * duck_cold_total),
            rebuild_s / (5.0 * duck_cold_total)
        );
    } else {
        let _ = writeln!(
            s,
            "- DuckDB-resultaten ontbreken (`bench/monitor/run.sh` eerst draaien)."
        );
    }
    let _ = writeln!(
        s,
        "- Machine: {}; belasting (load average 1/5/15 min) aan het eind: {}. De VM is gedeeld: andere processen (compilaties, simulaties) draaien mee, herhaalde runs verschillen daardoor 10–50 %.\n",
        crate::bench::machine(),
        crate::bench::load_average()
    );
    s
}
