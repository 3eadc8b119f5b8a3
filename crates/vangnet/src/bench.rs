//! `vangnet bench`: the storage benchmarks of the foundation, written to BENCHMARKS.md.
//!
//! Measured on each backend: append throughput with durable commits (one event per commit,
//! one client's stream per commit, and 10,000-event import batches), import of a large
//! generated event file, and a full projection rebuild. Import and rebuild run as child
//! processes (`vangnet import`, `vangnet rebuild`) so their wall time and peak memory are
//! those of the real commands.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use vangnet_domain::person::synthetic_person;
use vangnet_domain::rng::Rng;
use vangnet_domain::{ClientId, Date, Regions};
use vangnet_store::{AccessGate, AppendCommand, ImportMode, ImportRow, Store};

/// Options of `vangnet bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Events in the import/rebuild file for SQLite.
    #[arg(long, default_value_t = 5_000_000)]
    events: u64,
    /// PostgreSQL URL to benchmark too (e.g. from scripts/pg-test-server.sh).
    #[arg(long, env = "VANGNET_BENCH_PG_URL")]
    pg_url: Option<String>,
    /// Events in the import/rebuild file for PostgreSQL.
    #[arg(long, default_value_t = 5_000_000)]
    pg_events: u64,
    /// Single-event durable appends to time.
    #[arg(long, default_value_t = 2_000)]
    single: u32,
    /// Work directory for generated files and databases.
    #[arg(long, default_value = "target/bench")]
    dir: PathBuf,
    /// Report file.
    #[arg(long, default_value = "BENCHMARKS.md")]
    out: PathBuf,
    /// Benchmark the worklist and waiting-list pages on a national-scale SQLite database
    /// instead of the storage benchmarks (section `pages-bench` of the report).
    #[arg(long)]
    pages: bool,
    /// Requests per page for `--pages`.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Demo scale of the national database for `--pages` (10 gives about 320,000 clients).
    #[arg(long, default_value_t = 10.0)]
    scale: f64,
    /// Benchmark the four standard monitor queries against DuckDB instead (section
    /// `monitor-bench`; run `bench/monitor/run.sh` on the same file first for DuckDB's times).
    #[arg(long)]
    monitor: bool,
    /// Event log for `--monitor`.
    #[arg(long, default_value = "target/bench/events-5000000.jsonl")]
    monitor_events: PathBuf,
    /// Server time of every monitor dashboard view, cold and warm, on the national database of
    /// `--monitor` (`monitor.sqlite` in `--dir`; section `dashboard-bench`).
    #[arg(long)]
    dashboard: bool,
    /// The money of issue 13 instead: the costs of one region-year and every region's
    /// settlement on the national database of `--monitor`, against DuckDB (section
    /// `geld-bench`; run `bench/geld/run.sh` on the same file first for DuckDB's times).
    #[arg(long)]
    geld: bool,
    /// Warm repetitions per query for `--monitor` and `--geld`.
    #[arg(long, default_value_t = 10)]
    warm: usize,
    /// Measure the access log's hash chain instead: durable single appends chained against
    /// unchained, in the same run (`--single` appends per mode; section `audit-bench`).
    #[arg(long)]
    audit: bool,
    /// Measure a login instead: argon2id verify against the `argon2` crate's own, and a full
    /// login round on SQLite (section `login-bench`).
    #[arg(long)]
    login: bool,
    /// Logins per measurement for `--login`.
    #[arg(long, default_value_t = 200)]
    logins: usize,
    /// Server time of `/toegangslog?aantal=5000` (the auditor's page with 5,000 rows, and a
    /// filtered one) on a demo database (`vangnet demo --scale 1`) whose access log is
    /// topped up to 5,000+ rows of staff reading records (section `toegangslog-bench`).
    #[arg(long)]
    toegangslog: bool,
    /// Rank one free place among 10,000–50,000 synthetic waiting candidates, against the
    /// ranking it replaced (`--requests` rankings per size; section `matching-bench`).
    #[arg(long)]
    matching: bool,
    /// Issue 14: server time of the places pages (and the provider portal and free-places
    /// pages once they exist) on a national database whose locations are split into
    /// `--locaties-x` synthetic sub-locations each (section `plaatsen-bench`).
    #[arg(long)]
    plaatsen: bool,
    /// Sub-locations per location for `--plaatsen` (35 gives 2,000+ locations).
    #[arg(long, default_value_t = 35)]
    locaties_x: u32,
    /// Issue 15: server time of the woningcorporatie's candidate pages and the region's
    /// woningafspraken (with `/regio/{id}/plaatsen` as the named peer) on the national
    /// database of `--plaatsen` (section `wonen-bench`). Measure on a copy: the pages log
    /// their reads.
    #[arg(long)]
    wonen: bool,
    /// The database for `--wonen` (default: `--dir`/national-plaatsen-x{locaties-x}-s{scale}.sqlite,
    /// the file `--plaatsen` builds).
    #[arg(long)]
    db: Option<PathBuf>,
}

/// Peak resident set size of this process in KiB (Linux `VmHWM`), 0 if unknown.
pub fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

struct Row {
    backend: String,
    what: String,
    events: u64,
    secs: f64,
    peak_mb: Option<f64>,
    target: String,
}

pub(crate) fn dataset(dir: &Path, events: u64) -> Result<(PathBuf, u64)> {
    let path = dir.join(format!("events-{events}.jsonl"));
    let meta = dir.join(format!("events-{events}.count"));
    if path.exists()
        && let Ok(n) = std::fs::read_to_string(&meta).map(|s| s.trim().parse::<u64>().unwrap_or(0))
        && n > 0
    {
        return Ok((path, n));
    }
    let regions = Regions::builtin();
    let cfg = |scale: f64| vangnet_demo::DemoConfig {
        seed: 2026,
        start: Date::parse("2016-01-01").expect("date"),
        end: Date::parse("2026-11-01").expect("date"),
        scale,
        first_client: 1,
    };
    let base = vangnet_demo::generate(&regions, &cfg(1.0)).events.len() as f64;
    let scale = events as f64 / base;
    eprintln!("dataset: {base} gebeurtenissen bij schaal 1; genereer schaal {scale:.2}");
    let demo = vangnet_demo::generate(&regions, &cfg(scale));
    let n = crate::files::write_events(&path, demo.events.into_iter())?;
    std::fs::write(&meta, n.to_string())?;
    Ok((path, n))
}

pub(crate) fn child(args: &[&str]) -> Result<(f64, f64)> {
    let exe = std::env::current_exe()?;
    let t = Instant::now();
    let out = Command::new(exe)
        .args(args)
        .env("VANGNET_REPORT_PEAK", "1")
        .output()
        .context("child process")?;
    let secs = t.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("vangnet {} mislukte: {stderr}", args.join(" "));
    }
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("VANGNET_PEAK_RSS_KB="))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0;
    Ok((secs, peak))
}

pub(crate) fn fresh_sqlite(dir: &Path, name: &str) -> Result<PathBuf> {
    let p = dir.join(name);
    for s in ["", "-wal", "-shm"] {
        let f = PathBuf::from(format!("{}{s}", p.display()));
        if f.exists() {
            std::fs::remove_file(&f)?;
        }
    }
    Ok(p)
}

/// An empty schema for the benchmark; returns the URL that selects it.
fn fresh_pg(url: &str) -> Result<String> {
    vangnet_store_postgres::testing::reset_schema(url, "vangnet_bench")
        .map_err(|e| anyhow::anyhow!("PostgreSQL-schema leegmaken: {e}"))
}

/// Durable appends: one event per commit, and one client's stream per commit.
fn appends(store: &dyn Store, single: u32, rows: &mut Vec<Row>, backend: &str) -> Result<()> {
    let regions = store.regions().clone();
    let g = AccessGate::system("bench");
    let mut rng = Rng::new(99);
    // One event per command.
    let mut written = 0u64;
    let t = Instant::now();
    let mut c = 0u64;
    while written < u64::from(single) {
        let client = ClientId(10_000_000 + c);
        let stream = vangnet_store::random::random_stream(&mut rng, &regions, client);
        let mut version = None;
        for (eff, ev) in stream {
            let cmd = AppendCommand {
                client,
                expected_version: version,
                idempotency_key: Some(format!("bench-{}-{}", client, version.unwrap_or(0))),
                person: if version.is_none() {
                    Some(synthetic_person(
                        &mut rng,
                        4_000_000 + c as u32,
                        Date::parse("1980-01-01").expect("date"),
                    ))
                } else {
                    None
                },
                events: vec![(eff, ev)],
            };
            version = Some(store.append(&g, cmd)?.version);
            written += 1;
        }
        c += 1;
    }
    rows.push(Row {
        backend: backend.into(),
        what: "append, 1 gebeurtenis per commit (durable)".into(),
        events: written,
        secs: t.elapsed().as_secs_f64(),
        peak_mb: None,
        target: "—".into(),
    });
    // A whole client stream per command.
    let mut written = 0u64;
    let t = Instant::now();
    while written < u64::from(single) * 3 {
        let client = ClientId(10_000_000 + c);
        let events = vangnet_store::random::random_stream(&mut rng, &regions, client);
        written += events.len() as u64;
        let cmd = AppendCommand {
            client,
            expected_version: None,
            idempotency_key: None,
            person: Some(synthetic_person(
                &mut rng,
                4_000_000 + c as u32,
                Date::parse("1980-01-01").expect("date"),
            )),
            events,
        };
        store.append(&g, cmd)?;
        c += 1;
    }
    rows.push(Row {
        backend: backend.into(),
        what: "append, 1 cliëntstroom per commit (~7 gebeurtenissen)".into(),
        events: written,
        secs: t.elapsed().as_secs_f64(),
        peak_mb: None,
        target: "—".into(),
    });
    // Import batches of 10,000 events per transaction.
    let demo = vangnet_demo::generate(
        &regions,
        &vangnet_demo::DemoConfig {
            seed: 5,
            start: Date::parse("2020-01-01").expect("d"),
            end: Date::parse("2026-01-01").expect("d"),
            scale: 1.0,
            first_client: 20_000_000,
        },
    );
    let t = Instant::now();
    let n = demo.events.len() as u64;
    let mut it = demo.events.into_iter().map(ImportRow::from).peekable();
    // Batches must not split a client's stream across an unknown version: versions are explicit, so they may.
    while it.peek().is_some() {
        let mut batch = (&mut it).take(10_000).map(Ok);
        let r = store.import(&g, &mut batch, ImportMode::AllOrNothing, &|_| {})?;
        if !r.committed {
            bail!("importbatch afgewezen: {:?}", r.rejected.first());
        }
    }
    rows.push(Row {
        backend: backend.into(),
        what: "import in batches van 10.000 per commit".into(),
        events: n,
        secs: t.elapsed().as_secs_f64(),
        peak_mb: None,
        target: "—".into(),
    });
    Ok(())
}

/// Run everything and write the report.
pub fn run(args: BenchArgs) -> Result<()> {
    if args.pages {
        return pages(&args);
    }
    if args.toegangslog {
        return access_log_page(&args);
    }
    if args.matching {
        return crate::bench_matching::run(&args.out, args.requests);
    }
    if args.plaatsen {
        return crate::bench_plaatsen::run(&crate::bench_plaatsen::Opts {
            dir: &args.dir,
            out: &args.out,
            requests: args.requests,
            scale: args.scale,
            split: args.locaties_x,
        });
    }
    if args.wonen {
        let db = args.db.clone().unwrap_or_else(|| {
            args.dir.join(format!(
                "national-plaatsen-x{}-s{}.sqlite",
                args.locaties_x, args.scale
            ))
        });
        return crate::bench_wonen::run(&crate::bench_wonen::Opts {
            db: &db,
            out: &args.out,
            requests: args.requests,
            split: args.locaties_x,
        });
    }
    if args.login {
        return crate::bench_login::run(&args.dir, &args.out, args.logins);
    }
    if args.audit {
        return crate::bench_audit::run(&args.dir, &args.out, args.pg_url.as_deref(), args.single);
    }
    if args.dashboard {
        return crate::bench_dashboard::run(&args.dir, &args.out, args.requests);
    }
    if args.geld {
        return crate::bench_geld::run(&crate::bench_geld::GeldBench {
            events: &args.monitor_events,
            dir: &args.dir,
            out: &args.out,
            warm: args.warm,
        });
    }
    if args.monitor {
        return crate::bench_monitor::run(&crate::bench_monitor::MonitorBench {
            events: &args.monitor_events,
            dir: &args.dir,
            out: &args.out,
            warm: args.warm,
            peildatum: Date::parse("2026-10-31").expect("date"),
        });
    }
    std::fs::create_dir_all(&args.dir)?;
    let mut rows = Vec::new();
    let regions = Regions::builtin();

    // SQLite.
    let db = fresh_sqlite(&args.dir, "append.sqlite")?;
    let store = vangnet_store_sqlite::SqliteStore::open(&db, regions.clone())?;
    appends(&store, args.single, &mut rows, "SQLite")?;
    drop(store);
    let (file, n) = dataset(&args.dir, args.events)?;
    let db = fresh_sqlite(&args.dir, "import.sqlite")?;
    let dbs = db.display().to_string();
    let (secs, peak) = child(&[
        "--database-url",
        &dbs,
        "import",
        &file.display().to_string(),
    ])?;
    rows.push(Row {
        backend: "SQLite".into(),
        what: format!(
            "import {} (1 transactie, projecties bijgewerkt)",
            file.file_name().expect("name").to_string_lossy()
        ),
        events: n,
        secs,
        peak_mb: Some(peak),
        target: "< 60 s".into(),
    });
    let (secs, peak) = child(&["--database-url", &dbs, "rebuild"])?;
    rows.push(Row {
        backend: "SQLite".into(),
        what: "rebuild alle projecties".into(),
        events: n,
        secs,
        peak_mb: Some(peak),
        target: "< 15 s".into(),
    });

    // PostgreSQL.
    if let Some(url) = &args.pg_url {
        let schema_url = fresh_pg(url)?;
        let store = vangnet_store_postgres::PostgresStore::connect(&schema_url, regions.clone())?;
        appends(&store, args.single, &mut rows, "PostgreSQL")?;
        drop(store);
        let schema_url = fresh_pg(url)?;
        let url = &schema_url;
        let (file, n) = dataset(&args.dir, args.pg_events)?;
        let (secs, peak) = child(&["--database-url", url, "import", &file.display().to_string()])?;
        rows.push(Row {
            backend: "PostgreSQL".into(),
            what: format!(
                "import {} (1 transactie, projecties bijgewerkt)",
                file.file_name().expect("name").to_string_lossy()
            ),
            events: n,
            secs,
            peak_mb: Some(peak),
            target: "—".into(),
        });
        let (secs, peak) = child(&["--database-url", url, "rebuild"])?;
        rows.push(Row {
            backend: "PostgreSQL".into(),
            what: "rebuild alle projecties".into(),
            events: n,
            secs,
            peak_mb: Some(peak),
            target: "—".into(),
        });
    }

    let section = render(&rows, &args);
    let existing = std::fs::read_to_string(&args.out).unwrap_or_default();
    std::fs::write(&args.out, replace_section(&existing, &section))?;
    println!("Resultaten geschreven naar {}", args.out.display());
    Ok(())
}

/// The load average (1/5/15 min) as `a / b / c`, or "onbekend": how busy the shared machine was.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" / "))
        .unwrap_or_else(|| "onbekend".into())
}

pub(crate) fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "onbekend".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024 / 1024);
    format!("{cores} cores ({cpu}), {mem} GiB RAM")
}

const START: &str = "<!-- vangnet-bench:start -->";
const END: &str = "<!-- vangnet-bench:end -->";

/// Put `section` between the markers in `existing` (or at the top), keeping every other
/// section of BENCHMARKS.md (other benchmarks write their own).
fn replace_section(existing: &str, section: &str) -> String {
    let block = format!("{START}\n{section}{END}\n");
    match (existing.find(START), existing.find(END)) {
        (Some(a), Some(b)) if b > a => format!(
            "{}{block}\n{}",
            &existing[..a],
            existing[b + END.len()..].trim_start_matches('\n')
        ),
        _ if existing.is_empty() => format!("# Benchmarks\n\n{block}"),
        _ => format!("{block}\n{existing}"),
    }
}

fn render(rows: &[Row], args: &BenchArgs) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## Event store (issue 2)\n");
    let _ = writeln!(
        s,
        "Written by `vangnet bench` (re-run: `scripts/bench.sh`, which starts a throwaway PostgreSQL and runs"
    );
    let _ = writeln!(
        s,
        "`cargo run --release -p vangnet -- bench --pg-url …`). Do not edit this section by hand.\n"
    );
    let _ = writeln!(s, "- Date: {}", vangnet_store::time::now_rfc3339());
    let _ = writeln!(
        s,
        "- Machine: {} (shared and noisy; compare rows of the same run)",
        machine()
    );
    let _ = writeln!(
        s,
        "- SQLite: WAL, `synchronous=FULL` (every commit durable). PostgreSQL: local server from `scripts/pg-test-server.sh`, `fsync=on`."
    );
    let _ = writeln!(
        s,
        "- Data: generated by the demo generator (4 regions, 2016-01-01 … 2026-11-01, scaled), {} events for SQLite{}.",
        args.events,
        if args.pg_url.is_some() {
            format!(", {} for PostgreSQL", args.pg_events)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        s,
        "- Import and rebuild run as child processes; peak memory is the child's `VmHWM`.\n"
    );
    let _ = writeln!(
        s,
        "| backend | what | events | seconds | events/s | peak memory | target |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---|");
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.2} | {:.0} | {} | {} |",
            r.backend,
            r.what,
            r.events,
            r.secs,
            r.events as f64 / r.secs.max(1e-9),
            r.peak_mb.map_or("—".to_owned(), |m| format!("{m:.0} MiB")),
            r.target
        );
    }
    s
}

/// Put `section` between `<!-- {name}:start -->` and `<!-- {name}:end -->`, keeping
/// everything else; a new section goes at the end.
pub(crate) fn replace_marked(existing: &str, name: &str, section: &str) -> String {
    let (start, end) = (
        format!("<!-- {name}:start -->"),
        format!("<!-- {name}:end -->"),
    );
    let block = format!("{start}\n{section}{end}\n");
    match (existing.find(&start), existing.find(&end)) {
        (Some(a), Some(b)) if b > a => format!(
            "{}{block}{}",
            &existing[..a],
            existing[b + end.len()..].trim_start_matches('\n')
        ),
        _ if existing.is_empty() => format!("# Benchmarks\n\n{block}"),
        _ => format!("{}\n\n{block}", existing.trim_end()),
    }
}

/// Sends `n` GET requests for `uri` with the `Cookie` header `cookie` (a demo session,
/// [`vangnet_web::AppState::demo_session`]) to the router in-process (no network) and returns the server time of each, request to complete body, in ms. Fails on a
/// non-success status.
pub(crate) fn time_requests(
    rt: &tokio::runtime::Runtime,
    app: &axum::Router,
    uri: &str,
    cookie: &str,
    n: usize,
) -> Result<Vec<f64>> {
    use tower::ServiceExt as _;
    let mut ms = Vec::with_capacity(n);
    for i in 0..n {
        let req = axum::http::Request::builder()
            .uri(uri)
            .header(axum::http::header::COOKIE, cookie)
            .body(axum::body::Body::empty())?;
        let app = app.clone();
        let t = Instant::now();
        let (status, len) = rt.block_on(async move {
            let resp = app.oneshot(req).await.expect("infallible");
            let status = resp.status();
            let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok::<_, anyhow::Error>((status, body.len()))
        })?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        if !status.is_success() {
            bail!("{uri}: status {status}");
        }
        if i == 0 {
            eprintln!("{uri}: {len} bytes");
        }
    }
    Ok(ms)
}

/// p50 and p99 of `ms` (sorted in place).
pub(crate) fn percentiles(ms: &mut [f64]) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
    (at(0.50), at(0.99))
}

/// `vangnet bench --pages`: server time of the worklist, waiting-list and region pages on a
/// national-scale SQLite database, requests sent in-process to the router (no network).
fn pages(args: &BenchArgs) -> Result<()> {
    use std::sync::Arc;

    std::fs::create_dir_all(&args.dir)?;
    let db = args.dir.join("national.sqlite");
    if !db.exists() {
        let exe = std::env::current_exe()?;
        let status = Command::new(exe)
            .args([
                "demo",
                "--scale",
                &args.scale.to_string(),
                "--no-serve",
                "--db",
                &db.display().to_string(),
            ])
            .status()
            .context("vangnet demo")?;
        if !status.success() {
            bail!("vangnet demo faalde");
        }
    }
    let db_mb = ["", "-wal"]
        .iter()
        .filter_map(|suf| std::fs::metadata(format!("{}{suf}", db.display())).ok())
        .map(|m| m.len())
        .sum::<u64>() as f64
        / 1e6;
    let regions = Regions::builtin();
    let store = Arc::new(vangnet_store_sqlite::SqliteStore::open(
        &db,
        regions.clone(),
    )?);
    let clients = store.next_client_id()?.0 - 1;
    let events = store.event_count()?;
    let today = vangnet_store::time::today();
    // The largest region by clients in care plus waiting.
    let mut largest = None;
    for p in regions.all() {
        let ov = store.overview(&p.id, today)?;
        let size: u64 = ov.in_care.iter().map(|x| x.2).sum::<u64>()
            + ov.waiting.iter().map(|x| x.1).sum::<u64>();
        let product = ov
            .waiting
            .iter()
            .max_by_key(|w| w.1)
            .map(|w| (w.0.clone(), w.1));
        if largest.as_ref().is_none_or(|(_, s, _)| size > *s) {
            largest = Some((p.clone(), size, product));
        }
    }
    let (profile, _, product) = largest.context("geen regio's")?;
    let (product, waiting) = product.context("niemand wacht in de grootste regio")?;
    let location = profile
        .locations
        .iter()
        .find(|l| l.places.keys().any(|k| k.as_str() == product))
        .map(|l| l.id.to_string())
        .context("geen locatie voor het product")?;
    let region = profile.id.to_string();
    let user = format!("toegang-{region}");
    let state = vangnet_web::AppState::new(store.clone() as Arc<dyn Store>).with_demo_login(true);
    let cookie = state.demo_session(&user);
    let app = vangnet_web::router(state);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let pages = [
        ("/werklijst".to_owned(), "werklijst"),
        (
            format!("/regio/{region}/wachtlijst?product={product}&locatie={location}"),
            "wachtlijst met gerangschikte kandidaten",
        ),
        (format!("/regio/{region}"), "regio-overzicht"),
    ];
    let mut results = Vec::new();
    for (uri, what) in &pages {
        let mut ms = time_requests(&rt, &app, uri, &cookie, args.requests + 5)?;
        ms.drain(..5);
        let (p50, p99) = percentiles(&mut ms);
        println!("{what:<45} p50 {p50:>8.2} ms  p99 {p99:>8.2} ms");
        results.push((uri.clone(), *what, p50, p99));
    }
    // For comparison: the old worklist path (every open state loaded, parsed and sorted).
    let old = {
        use vangnet_domain::state::Phase;
        let gate = AccessGate::new(
            vangnet_domain::Actor {
                user: user.clone(),
                role: vangnet_domain::Role::Toegangsmedewerker,
                organisation: vangnet_domain::Organisation::Regio(profile.id.clone()),
            },
            "bench: oude werklijst",
        );
        let mut ms = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            let states = store.region_states(
                &gate,
                &profile.id,
                &[
                    Phase::Aangemeld,
                    Phase::Toegewezen,
                    Phase::Wachtend,
                    Phase::InZorg,
                ],
            )?;
            let items = vangnet_domain::worklist::worklist(&states, &profile, today);
            std::hint::black_box(items);
            ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
        percentiles(&mut ms)
    };
    println!(
        "oude werklijst (alle staten)                  p50 {:>8.2} ms  p99 {:>8.2} ms",
        old.0, old.1
    );

    let mut out = String::new();
    writeln!(out, "## Pagina's op landelijke schaal (server-tijd)\n")?;
    writeln!(
        out,
        "`vangnet bench --pages`: SQLite-database van `vangnet demo --scale {}` ({clients} cliënten, {events} gebeurtenissen, {db_mb:.0} MB), \
         grootste regio **{}** ({waiting} wachtenden op `{product}`), ingelogd als `{user}`. \
         Elke pagina {} keer via de router in het proces (`tower::ServiceExt::oneshot`, geen netwerk; 5 opwarmverzoeken niet meegeteld); \
         tijd van verzoek tot volledige body. Machine: {}. Gemeten op {today}.\n",
        args.scale,
        profile.name,
        args.requests,
        machine()
    )?;
    writeln!(out, "| Pagina | p50 (ms) | p99 (ms) | Doel p99 |")?;
    writeln!(out, "|---|---:|---:|---|")?;
    for (uri, what, p50, p99) in &results {
        writeln!(out, "| {what} (`{uri}`) | {p50:.2} | {p99:.2} | < 50 ms |")?;
    }
    writeln!(
        out,
        "| ter vergelijking: oude werklijst (`region_states` + `worklist()`, alleen de store-aanroep, 20×) | {:.2} | {:.2} | — |\n",
        old.0, old.1
    )?;
    let existing = std::fs::read_to_string(&args.out).unwrap_or_default();
    std::fs::write(&args.out, replace_marked(&existing, "pages-bench", &out))?;
    println!("Resultaten geschreven naar {}", args.out.display());
    Ok(())
}

/// `vangnet bench --toegangslog`: server time of the auditor's `/toegangslog` with 5,000 rows
/// (and the same with filters) on a demo database, requests in-process to the router.
fn access_log_page(args: &BenchArgs) -> Result<()> {
    use std::sync::Arc;

    std::fs::create_dir_all(&args.dir)?;
    let db = args.dir.join("toegangslog-demo.sqlite");
    if !db.exists() {
        let exe = std::env::current_exe()?;
        let status = Command::new(exe)
            .args([
                "demo",
                "--scale",
                "1",
                "--no-serve",
                "--db",
                &db.display().to_string(),
            ])
            .status()
            .context("vangnet demo")?;
        if !status.success() {
            bail!("vangnet demo faalde");
        }
    }
    let regions = Regions::builtin();
    let store = Arc::new(vangnet_store_sqlite::SqliteStore::open(
        &db,
        regions.clone(),
    )?);
    let auditor = AccessGate::new(
        vangnet_domain::Actor {
            user: "auditor".into(),
            role: vangnet_domain::Role::Auditor,
            organisation: vangnet_domain::Organisation::Vangnet,
        },
        "bench: toegangslog tellen",
    );
    // Top the log up with staff reading records (allowed in their own region, refused
    // elsewhere), round-robin over the demo users, until 6,000 such rows exist (the demo's
    // own rows are one kind: the generator's bulk writes).
    let staff: Vec<_> = vangnet_web::demo_users(&regions)
        .into_iter()
        .filter(|u| u.actor.role != vangnet_domain::Role::Auditor)
        .collect();
    let clients = store.next_client_id()?.0 - 1;
    let mut have = store
        .access_log_filtered(
            &auditor,
            &vangnet_store::AccessLogFilter {
                purpose: Some("dossier inzien (bench)".into()),
                limit: 10_000,
                ..Default::default()
            },
        )?
        .len();
    let mut i = have as u64;
    while have < 6_000 {
        let u = &staff[(i as usize) % staff.len()];
        let gate = AccessGate::new(u.actor.clone(), "dossier inzien (bench)");
        let _ = store.read_client(&gate, ClientId(1 + i % clients.max(1)));
        i += 1;
        have += 1;
    }
    let state = vangnet_web::AppState::new(store.clone() as Arc<dyn Store>).with_demo_login(true);
    let cookie = state.demo_session("auditor");
    let app = vangnet_web::router(state);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let today = vangnet_store::time::today();
    let n = args.requests.clamp(1, 50);
    let pages = [
        (
            "/toegangslog?aantal=5000".to_owned(),
            "5.000 rijen, geen filter",
        ),
        (
            format!(
                "/toegangslog?aantal=5000&van={}&tot={today}&rol=toegangsmedewerker&doel=dossier+inzien",
                today.add_days(-30)
            ),
            "5.000 rijen max., periode + rol + doel",
        ),
        (
            "/toegangslog?aantal=5000&organisatie=regio%3Acentraal-gelderland".to_owned(),
            "5.000 rijen max., organisatie",
        ),
    ];
    let mut results = Vec::new();
    for (uri, what) in &pages {
        let mut ms = time_requests(&rt, &app, uri, &cookie, n + 2)?;
        ms.drain(..2);
        let (p50, p99) = percentiles(&mut ms);
        println!("{what:<45} p50 {p50:>8.2} ms  p99 {p99:>8.2} ms");
        results.push((uri.clone(), *what, p50, p99));
    }
    let rows = store.access_log(&auditor, 1_000_000)?.len();
    let profile = if cfg!(debug_assertions) {
        "debug-build"
    } else {
        "release-build"
    };
    let mut out = String::new();
    writeln!(
        out,
        "## Toegangslog: 5.000 rijen op het scherm van de auditor\n"
    )?;
    writeln!(
        out,
        "`vangnet bench --toegangslog` ({profile}): SQLite-database van `vangnet demo --scale 1` ({clients} cliënten), \
         toegangslog {rows} rijen: de bulkrijen van de generator en 6.000 rijen van medewerkers die dossiers inzien (toegestaan en geweigerd, alle demogebruikers om de beurt); zonder filter zijn de nieuwste 5.000 dus zulke rijen. \
         Ingelogd als `auditor`; elke pagina {n} keer via de router in het proces (geen netwerk; 2 opwarmverzoeken niet meegeteld); \
         tijd van verzoek tot volledige body. Machine: {}. Gemeten op {today}.\n",
        machine()
    )?;
    writeln!(out, "| Pagina | p50 (ms) | p99 (ms) | Doel |")?;
    writeln!(out, "|---|---:|---:|---|")?;
    for (uri, what, p50, p99) in &results {
        writeln!(
            out,
            "| {what} (`{uri}`) | {p50:.1} | {p99:.1} | < 1000 ms |"
        )?;
    }
    let existing = std::fs::read_to_string(&args.out).unwrap_or_default();
    std::fs::write(
        &args.out,
        replace_marked(&existing, "toegangslog-bench", &out),
    )?;
    println!("Resultaten geschreven naar {}", args.out.display());
    Ok(())
}
