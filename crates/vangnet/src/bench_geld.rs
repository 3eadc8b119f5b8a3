//! `vangnet bench --geld`: the money of issue 13 at national scale — (k) the costs of one
//! region-year and (s) the year report with the settlement of every region — from the
//! national database of `vangnet bench --monitor` (the event log
//! `target/bench/events-5000000.jsonl`, generated as the storage benchmark does when absent,
//! imported into `monitor.sqlite` when that is absent), cold and warm, next to DuckDB
//! computing the same realised costs from the same events and the same tariffs
//! (`bench/geld/run.sh` writes `geld/results.json` and one CSV per query). After the timings
//! the costs are compared line by line with DuckDB's: per region, month and gemeente under
//! the woonplaatsbeginsel attribution (and so the region totals per month). Written to the
//! `geld-bench` section of BENCHMARKS.md.
//!
//! Cold = the first computation on a freshly opened store (its in-memory monitor index is
//! empty: the money's day measures are read from the `monitor` table); warm = the next ones.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use vangnet_domain::monitor::Measure;
use vangnet_domain::{Maand, RegionId, Regions};
use vangnet_money::{Attribution, ObjectiefModel, Scenario};
use vangnet_store::Store;

/// Options of the money benchmark (a part of `vangnet bench`).
pub struct GeldBench<'a> {
    /// The event log (JSON Lines) both sides read.
    pub events: &'a Path,
    /// Work directory (database, DuckDB results).
    pub dir: &'a Path,
    /// Report file.
    pub out: &'a Path,
    /// Warm repetitions.
    pub warm: usize,
}

/// Year and region of (k), as DuckDB ran them (`results.json`), else 2025 and Centraal
/// Gelderland.
fn year_and_region(duck: Option<&serde_json::Value>) -> (i32, String) {
    let jaar = duck
        .and_then(|d| d.get("jaar"))
        .and_then(serde_json::Value::as_i64)
        .and_then(|y| i32::try_from(y).ok())
        .unwrap_or(2025);
    let regio = duck
        .and_then(|d| d.get("regio"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or("centraal-gelderland")
        .to_owned();
    (jaar, regio)
}

/// (regio, maand `JJJJ-MM`, gemeente or "") → realised cost in cents, under the
/// woonplaatsbeginsel attribution, zero lines left out.
type Lines = BTreeMap<(String, String, String), i64>;

/// (k): the costs of one region-year: volumes, the finance profile with the entered tariffs,
/// the cost table.
fn costs(store: &dyn Store, region: &RegionId, jaar: i32) -> Result<Lines> {
    let fin = crate::geld::finance_profile(store, region)?;
    let profile = store.regions().get(region).context("regio")?;
    let (van, tot) = (
        Maand::new(jaar, 1).context("jaar")?,
        Maand::new(jaar, 12).context("jaar")?,
    );
    let volumes = vangnet_store::geld::money_volumes(store, region, van, tot)?;
    let table =
        vangnet_money::kosten_tabel(&fin, profile, &volumes, van, tot, &Scenario::default())?;
    let mut out = Lines::new();
    for k in table
        .iter()
        .filter(|k| k.attribution == Attribution::Woonplaatsbeginsel)
    {
        *out.entry((
            region.to_string(),
            k.maand.to_string(),
            k.gemeente.map(|g| g.to_string()).unwrap_or_default(),
        ))
        .or_default() += k.gerealiseerd.0;
    }
    out.retain(|_, v| *v != 0);
    Ok(out)
}

/// (s): the year report with the settlement of every region (volumes, finance profile with
/// the entered tariffs, `jaaroverzicht`); each region's settlement is checked to sum to zero.
/// Returns the number of gemeenten reported.
fn settlements(store: &dyn Store, jaar: i32, model: &ObjectiefModel) -> Result<usize> {
    let mut n = 0;
    for p in store.regions().all() {
        if vangnet_money::profiel::builtin_text(&p.id).is_none() {
            continue;
        }
        let fin = crate::geld::finance_profile(store, &p.id)?;
        let (van, tot) = (
            Maand::new(jaar, 1).context("jaar")?,
            Maand::new(jaar, 12).context("jaar")?,
        );
        let volumes = vangnet_store::geld::money_volumes(store, &p.id, van, tot)?;
        let o = vangnet_money::jaaroverzicht(&fin, p, model, &volumes, jaar, &Scenario::default())
            .with_context(|| format!("regio {}", p.id))?;
        let zero: i64 = o.gemeenten.iter().map(|g| g.afrekening.settlement.0).sum();
        anyhow::ensure!(
            zero == 0,
            "afrekening {} telt op tot {zero} cent, niet 0",
            p.id
        );
        n += o.gemeenten.len();
    }
    Ok(n)
}

/// The costs of every region as in (k), for the comparison (not timed).
fn all_costs(store: &dyn Store, jaar: i32) -> Result<Lines> {
    let mut lines = Lines::new();
    for p in store.regions().all() {
        if vangnet_money::profiel::builtin_text(&p.id).is_some() {
            lines.extend(costs(store, &p.id, jaar)?);
        }
    }
    Ok(lines)
}

struct Timing {
    cold_s: f64,
    warm_median_s: f64,
    warm_p99_s: f64,
}

fn time_it<T>(
    warm: usize,
    cold: impl FnOnce() -> Result<T>,
    mut again: impl FnMut() -> Result<T>,
) -> Result<(Timing, T)> {
    let t = Instant::now();
    let first = cold()?;
    let cold_s = t.elapsed().as_secs_f64();
    let mut ms = Vec::with_capacity(warm);
    for _ in 0..warm {
        let t = Instant::now();
        std::hint::black_box(again()?);
        ms.push(t.elapsed().as_secs_f64());
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| {
        if ms.is_empty() {
            f64::NAN
        } else {
            ms[((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1]
        }
    };
    Ok((
        Timing {
            cold_s,
            warm_median_s: at(0.5),
            warm_p99_s: at(0.99),
        },
        first,
    ))
}

/// DuckDB's lines of one query's CSV (`regio,maand,gemeente,kosten_cent`), zero lines left
/// out; `None` when the file is missing.
fn duck_lines(dir: &Path, name: &str) -> Option<Lines> {
    let text = std::fs::read_to_string(dir.join("geld").join(format!("{name}.csv"))).ok()?;
    let mut out = Lines::new();
    for l in text.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        let [regio, maand, gemeente, cent] = f.as_slice() else {
            continue;
        };
        let cent: i64 = cent.parse().ok()?;
        if cent != 0 {
            *out.entry(((*regio).into(), (*maand).into(), (*gemeente).into()))
                .or_default() += cent;
        }
    }
    Some(out)
}

/// The comparison in words: equal, or how many lines differ and the totals.
fn compare(ours: &Lines, theirs: Option<&Lines>) -> String {
    let Some(theirs) = theirs else {
        return "niet vergeleken (DuckDB-CSV ontbreekt: eerst `bench/geld/run.sh`)".into();
    };
    let total = |l: &Lines| l.values().sum::<i64>();
    let months = |l: &Lines| {
        let mut m: BTreeMap<(String, String), i64> = BTreeMap::new();
        for ((r, mm, _), v) in l {
            *m.entry((r.clone(), mm.clone())).or_default() += v;
        }
        m
    };
    if ours == theirs {
        return format!(
            "gelijk: {} regels (regio × maand × gemeente), totaal {} aan beide kanten",
            ours.len(),
            vangnet_money::Cents(total(ours))
        );
    }
    let only_ours = ours
        .iter()
        .filter(|(k, v)| theirs.get(*k) != Some(v))
        .count();
    let only_theirs = theirs
        .iter()
        .filter(|(k, v)| ours.get(*k) != Some(v))
        .count();
    let (mo, mt) = (months(ours), months(theirs));
    let month_diff = mo.iter().filter(|(k, v)| mt.get(*k) != Some(v)).count()
        + mt.keys().filter(|k| !mo.contains_key(*k)).count();
    format!(
        "VERSCHILT: {only_ours} regels van Vangnet en {only_theirs} van DuckDB zonder gelijke tegenhanger; regiototalen per maand: {month_diff} verschillend; totaal Vangnet {} tegen DuckDB {}",
        vangnet_money::Cents(total(ours)),
        vangnet_money::Cents(total(theirs))
    )
}

fn duckdb_results(dir: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(dir.join("geld").join("results.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// The tariffs a region would enter before its money can be computed: the demo allocates
/// some clients of every BW product with a pgb, the shipped finance profiles price the pgb of
/// the main products only (the money pages show that gap as the model's error until the
/// analist enters the tariff). The benchmark enters them as the system — € 104,00 per day
/// from 2015, an `aanname` — through `Store::record_tariff` (a repeat writes nothing), and
/// writes every stored tariff of every region to `geld/vastgelegd.csv`, which the DuckDB side
/// reads next to the TOML files. Returns how many tariffs are stored.
fn enter_missing_pgb(store: &dyn Store, dir: &Path) -> Result<usize> {
    use vangnet_domain::events::Leveringsvorm;
    use vangnet_domain::region::{Domain, Herkomst};
    let gate = vangnet_store::AccessGate::system("bench --geld: ontbrekende pgb-tarieven");
    let mut csv =
        String::from("regio,product,leveringsvorm,eenheid,bedrag_cent,van,tot,uren_x100\n");
    let mut n = 0;
    for p in store.regions().all() {
        let Some(text) = vangnet_money::profiel::builtin_text(&p.id) else {
            continue;
        };
        let fin = vangnet_money::FinanceProfile::parse(text, p)?;
        let has = |code: &vangnet_domain::ProductCode, lv| {
            fin.tarieven
                .items()
                .iter()
                .any(|(t, _)| &t.product == code && t.leveringsvorm == lv)
        };
        for product in p.products.iter().filter(|x| x.domain == Domain::Bw) {
            if has(&product.code, Leveringsvorm::Zin) && !has(&product.code, Leveringsvorm::Pgb) {
                let t = vangnet_money::Tarief {
                    product: product.code.clone(),
                    leveringsvorm: Leveringsvorm::Pgb,
                    eenheid: vangnet_money::Eenheid::Dag,
                    bedrag: vangnet_money::Cents(10_400),
                    van: vangnet_domain::Date::parse("2015-01-01").expect("date"),
                    tot: None,
                    uren_per_week_x100: None,
                    herkomst: Herkomst::Aanname(
                        "benchmark: pgb-tarief dat het financieel profiel niet heeft (demo-waarde)"
                            .into(),
                    ),
                };
                store.record_tariff(&gate, &p.id, &t)?;
            }
        }
        for s in store.tariffs(&p.id)? {
            let t = &s.tarief;
            csv.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                p.id,
                t.product,
                vangnet_money::tarief::leveringsvorm_label(t.leveringsvorm),
                vangnet_store::tarieven::eenheid_key(t.eenheid),
                t.bedrag.0,
                t.van,
                t.tot.map(|d| d.to_string()).unwrap_or_default(),
                t.uren_per_week_x100
                    .map(|u| u.to_string())
                    .unwrap_or_default()
            ));
            n += 1;
        }
    }
    std::fs::create_dir_all(dir.join("geld"))?;
    std::fs::write(dir.join("geld").join("vastgelegd.csv"), csv)?;
    Ok(n)
}

/// Run the benchmark and write its section of the report.
pub fn run(b: &GeldBench<'_>) -> Result<()> {
    std::fs::create_dir_all(b.dir)?;
    if !b.events.exists() {
        let dir = b.events.parent().unwrap_or(b.dir);
        std::fs::create_dir_all(dir)?;
        let (file, _) = crate::bench::dataset(dir, 5_000_000)?;
        anyhow::ensure!(
            file == b.events,
            "gegenereerd bestand {} is niet {}",
            file.display(),
            b.events.display()
        );
    }
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
    // A database imported before the day measures existed has none: rebuild the monitor.
    let mut rebuild_s = None;
    {
        let store = vangnet_store_sqlite::SqliteStore::open(&db, Regions::builtin())?;
        let any_days = store.regions().all().iter().try_fold(false, |acc, p| {
            Ok::<_, anyhow::Error>(
                acc || !store
                    .monitor(&p.id, &[Measure::Zorgdagen], 999_912)?
                    .is_empty(),
            )
        })?;
        if !any_days {
            drop(store);
            rebuild_s =
                Some(crate::bench::child(&["--database-url", &dbs, "rebuild", "--monitor"])?.0);
        }
    }
    let entered = {
        let store = vangnet_store_sqlite::SqliteStore::open(&db, Regions::builtin())?;
        enter_missing_pgb(&store, b.dir)?
    };
    let duck = duckdb_results(b.dir);
    let (jaar, regio) = year_and_region(duck.as_ref());
    let region = RegionId::parse(&regio).map_err(|e| anyhow::anyhow!("regio {regio}: {e}"))?;
    let model = ObjectiefModel::parse(vangnet_money::objectief::VOORBEELD_2027)?;
    let open = || vangnet_store_sqlite::SqliteStore::open(&db, Regions::builtin());
    let (events, (k_time, k_lines)) = {
        let store = open()?;
        let events = store.event_count()?;
        (
            events,
            time_it(
                b.warm,
                || costs(&store, &region, jaar),
                || costs(&store, &region, jaar),
            )?,
        )
    };
    let (s_time, gemeenten, s_lines) = {
        let store = open()?;
        let (t, n) = time_it(
            b.warm,
            || settlements(&store, jaar, &model),
            || settlements(&store, jaar, &model),
        )?;
        (t, n, all_costs(&store, jaar)?)
    };
    let k_check = compare(&k_lines, duck_lines(b.dir, "k_kosten_regio_jaar").as_ref());
    let s_check = compare(&s_lines, duck_lines(b.dir, "s_kosten_alle_regios").as_ref());
    let section = render(
        b,
        events,
        (jaar, &regio),
        (import_s, rebuild_s, entered),
        [
            (&k_time, k_lines.len(), k_check),
            (&s_time, gemeenten, s_check),
        ],
        duck.as_ref(),
    );
    let existing = std::fs::read_to_string(b.out).unwrap_or_default();
    std::fs::write(
        b.out,
        crate::bench::replace_marked(&existing, "geld-bench", &section),
    )?;
    println!("Resultaten geschreven naar {}", b.out.display());
    Ok(())
}

fn render(
    b: &GeldBench<'_>,
    events: u64,
    (jaar, regio): (i32, &str),
    (import_s, rebuild_s, entered): (Option<f64>, Option<f64>, usize),
    rows: [(&Timing, usize, String); 2],
    duck: Option<&serde_json::Value>,
) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "## Geld: kosten en afrekening, Vangnet tegen DuckDB\n");
    let _ = writeln!(
        s,
        "`vangnet bench --geld` op {events} gebeurtenissen (`{}`), SQLite (de landelijke database van `bench --monitor`); DuckDB-kant: `bench/geld/run.sh` (zelfde bestand → Parquet, dezelfde tarieven uit `regions/geld/*.toml` met Python's `tomllib`, `SET threads=2`). \
         Warm = mediaan en p99 van {} herhalingen; koud = eerste keer na het openen van de database (Vangnet: de dagmaten van de monitor nog niet in het geheugen; DuckDB: nieuwe verbinding, tarieven uit de TOML-bestanden gelezen). \
         Vangnet rekent uit de monitorprojectie (zorgdagen per maand, bijgewerkt bij elke gebeurtenis) met `vangnet_money`; DuckDB rekent dezelfde gerealiseerde kosten uit de feiten (zorgperiodes uit start_zorg/wijziging/einde_zorg/wlz_overgang na correcties en intrekkingen, dagen per maand, MO-nachten, × tarief per sleutel één keer afgerond, verdeeld over gemeenten volgens het woonplaatsbeginsel met grootste rest).\n",
        b.events.display(),
        b.warm
    );
    let _ = writeln!(
        s,
        "| vraag | Vangnet koud (ms) | Vangnet warm p50 / p99 (ms) | DuckDB koud (ms) | DuckDB warm p50 (ms) | koud Vangnet/DuckDB (doel ≤ 1) | warm Vangnet/DuckDB (doel ≤ 0,05) |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|");
    let names = [
        format!("(k) kosten van één regio-jaar ({regio}, {jaar})"),
        format!(
            "(s) jaaroverzicht met afrekening van alle regio's ({jaar}; DuckDB: de kosten van alle regio's)"
        ),
    ];
    let keys = ["k_kosten_regio_jaar", "s_kosten_alle_regios"];
    let mut checks = Vec::new();
    for ((t, _, check), (name, key)) in rows.iter().zip(names.iter().zip(keys)) {
        let q = duck.and_then(|d| d.get("queries")).and_then(|q| q.get(key));
        let dc = q
            .and_then(|q| q.get("cold_s"))
            .and_then(serde_json::Value::as_f64);
        let dw = q
            .and_then(|q| q.get("warm_median_s"))
            .and_then(serde_json::Value::as_f64);
        let ms = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{:.1}", v * 1000.0));
        let ratio =
            |a: f64, d: Option<f64>| d.map_or("—".to_owned(), |d| format!("{:.3}", a / d));
        let _ = writeln!(
            s,
            "| {name} | {:.1} | {:.1} / {:.1} | {} | {} | {} | {} |",
            t.cold_s * 1000.0,
            t.warm_median_s * 1000.0,
            t.warm_p99_s * 1000.0,
            ms(dc),
            ms(dw),
            ratio(t.cold_s, dc),
            ratio(t.warm_median_s, dw),
        );
        checks.push(format!("{}: {check}", &name[..3]));
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "- Kosten vergeleken met DuckDB's CSV's (buiten de tijdmeting; per regio, maand en gemeente onder het woonplaatsbeginsel, gerealiseerd, in centen): {}.",
        checks.join("; ")
    );
    let _ = writeln!(
        s,
        "- (s) maakt per regio het volledige jaaroverzicht (kosten onder drie toerekeningen, budgetten, ingroeipad, regionale voorzieningen, solidariteit, afrekening; {} gemeenten); DuckDB rekent alleen de kosten. De afrekening telt per regio op tot 0 (gecontroleerd).",
        rows[1].1
    );
    let _ = writeln!(
        s,
        "- Tarieven: de financiële profielen (`regions/geld/*.toml`) plus {entered} vastgelegde tarieven (de pgb-tarieven die de profielen niet hebben maar de demo wel toekent; door de benchmark vastgelegd als aanname, € 104,00 per dag, en door DuckDB gelezen uit `geld/vastgelegd.csv`); een vastgelegd tarief neemt het profieltarief over in zijn eigen maanden."
    );
    if let Some(i) = import_s {
        let _ = writeln!(
            s,
            "- Import van het bestand in een lege database: {i:.1} s."
        );
    }
    if let Some(r) = rebuild_s {
        let _ = writeln!(
            s,
            "- De database had nog geen dagmaten: `vangnet rebuild --monitor` vooraf: {r:.1} s."
        );
    }
    if let Some(p) = duck
        .and_then(|d| d.get("prepare"))
        .and_then(|p| p.get("prepare_s"))
        .and_then(serde_json::Value::as_f64)
    {
        let _ = writeln!(
            s,
            "- DuckDB-voorbereiding (JSON → Parquet met correcties en intrekkingen verwerkt; niet in de vergelijking, alle cores): {p:.1} s."
        );
    }
    let _ = writeln!(
        s,
        "- Machine: {}; belasting (load average 1/5/15 min) aan het eind: {}. De VM is gedeeld: andere processen (compilaties) draaien mee, herhaalde runs verschillen daardoor 10–50 %.\n",
        crate::bench::machine(),
        crate::bench::load_average()
    );
    s
}
