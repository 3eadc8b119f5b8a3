//! `vangnet`: the command-line entry point. Parses arguments, opens the store chosen by
//! `--database-url` (SQLite file by default, PostgreSQL for `postgres://` URLs), and runs
//! one command: demo, serve, import, export, rebuild, migrate, region check, bench, audit,
//! clienten, user, token, geld.

mod audit;
mod bench;
mod bench_audit;
mod bench_dashboard;
mod bench_geld;
mod bench_login;
mod bench_matching;
mod bench_monitor;
mod bench_plaatsen;
mod bench_wonen;
mod files;
mod forecast;
mod geld;
mod users;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use vangnet_domain::region::RegionProfile;
use vangnet_domain::{Date, Regions};
use vangnet_store::{AccessGate, ImportMode, Store};

/// Vangnet — regionaal coördinatiepunt Beschermd Wonen en Maatschappelijke Opvang.
#[derive(Parser, Debug)]
#[command(name = "vangnet", version, about)]
struct Cli {
    /// Database: a SQLite file path (default `vangnet.sqlite`) or a `postgres://` URL.
    #[arg(long, global = true, env = "VANGNET_DATABASE_URL")]
    database_url: Option<String>,
    /// Extra region profiles: a directory with `*.toml` files (in addition to the four built-in regions).
    #[arg(long, global = true, env = "VANGNET_REGIONS")]
    regions: Option<PathBuf>,
    /// Who runs this command: named in the access log for import, export, rebuild and audit
    /// (default: the login name in `$USER`).
    #[arg(long, global = true, env = "USER", value_name = "NAAM")]
    door: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Fresh SQLite database with the four regions' generated history, then serve the web app.
    Demo {
        /// Database file for the demo (recreated).
        #[arg(long, default_value = "vangnet-demo.sqlite")]
        db: PathBuf,
        /// Address to serve on: loopback only (127.0.0.1, ::1 or localhost) — the demo's
        /// one-click login is for the person at this machine.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Seed for the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// First simulated day.
        #[arg(long, default_value = "2019-01-01")]
        from: String,
        /// Last simulated day (default: today).
        #[arg(long)]
        until: Option<String>,
        /// Scale every region (1.0 = as in the profiles).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Only create the database, do not serve.
        #[arg(long)]
        no_serve: bool,
        /// Benchmark only (`vangnet bench --plaatsen`): split every location of the built-in
        /// profiles into this many synthetic sub-locations (`bench_plaatsen::split_regions`).
        #[arg(long, hide = true, default_value_t = 1)]
        locaties_x: u32,
    },
    /// Serve the web app on an existing database.
    Serve {
        /// Address to serve on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// The server runs behind a TLS-terminating reverse proxy that it trusts: cookies get
        /// `Secure`, and the client's address is the last hop of `X-Forwarded-For`.
        #[arg(long)]
        https_achter_proxy: bool,
    },
    /// Import events from a JSON Lines (`.jsonl`) or CSV (`.csv`) file.
    Import {
        /// The file.
        file: PathBuf,
        /// Let good rows land and report bad ones (default: any bad row rejects the whole file).
        #[arg(long)]
        skip_bad: bool,
    },
    /// Export every event to JSON Lines (`.jsonl`) or CSV (`.csv`).
    Export {
        /// The file to write.
        file: PathBuf,
    },
    /// Rebuild all projections from the event log.
    Rebuild {
        /// Only the monitor projection (after a change of a monitor definition).
        #[arg(long)]
        monitor: bool,
    },
    /// Apply pending schema migrations (also done on every start).
    Migrate,
    /// Region profiles.
    Region {
        #[command(subcommand)]
        command: RegionCommand,
    },
    /// Write generated demo events to a file (for benchmarks and imports).
    DemoData {
        /// Output file (`.jsonl` or `.csv`).
        file: PathBuf,
        /// Seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Scale every region.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// First simulated day.
        #[arg(long, default_value = "2016-01-01")]
        from: String,
        /// Last simulated day.
        #[arg(long, default_value = "2026-11-01")]
        until: String,
    },
    /// Run the benchmarks and write BENCHMARKS.md.
    Bench(bench::BenchArgs),
    /// The money (issue 13): a region's year overview, cost table and settlement per gemeente.
    Geld(geld::GeldArgs),
    /// Forecasts: calibrate a region's model from the events, run scenarios.
    Forecast {
        #[command(subcommand)]
        command: forecast::ForecastCommand,
    },
    /// The access log (NEN 7513): verify the hash chain, write an anchor, retention.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Client records: deletion after the retention period.
    Clienten {
        #[command(subcommand)]
        command: audit::ClientenCommand,
    },
    /// Accounts: add, list, disable, enable, reset (password, second factor).
    User {
        #[command(subcommand)]
        command: users::UserCommand,
    },
    /// API tokens for system-to-system use: add (printed once), list, revoke.
    Token {
        #[command(subcommand)]
        command: users::TokenCommand,
    },
}

#[derive(Subcommand, Debug)]
enum RegionCommand {
    /// Check a region profile file and explain every error with its line.
    Check {
        /// Profile files.
        files: Vec<PathBuf>,
    },
    /// List the loaded regions.
    List,
}

fn main() {
    let cli = Cli::parse();
    init_logging();
    let peak = std::env::var_os("VANGNET_REPORT_PEAK").is_some();
    let result = run(cli);
    if peak {
        eprintln!("VANGNET_PEAK_RSS_KB={}", bench::peak_rss_kb());
    }
    if let Err(e) = result {
        eprintln!("fout: {e:#}");
        std::process::exit(1);
    }
}

/// Load the built-in regions plus any in `dir`.
fn load_regions(dir: Option<&Path>) -> Result<Regions> {
    let mut profiles = vangnet_domain::region::builtin_profiles();
    if let Some(dir) = dir {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("regiomap {} niet leesbaar", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f)
                .with_context(|| format!("{} niet leesbaar", f.display()))?;
            match RegionProfile::parse(&text) {
                Ok(p) => profiles.push(p),
                Err(errs) => bail!(
                    "{}: {}",
                    f.display(),
                    errs.iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            }
        }
    }
    Ok(Regions::new(profiles))
}

/// Open the store named by `url`: `postgres://`/`postgresql://` → PostgreSQL, else a SQLite path
/// (optionally prefixed `sqlite:`).
pub fn open_store(url: &str, regions: Regions) -> Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(
            vangnet_store_postgres::PostgresStore::connect(url, regions)
                .context("PostgreSQL openen")?,
        ))
    } else {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        Ok(Arc::new(
            vangnet_store_sqlite::SqliteStore::open(Path::new(path), regions)
                .with_context(|| format!("SQLite-bestand {path} openen"))?,
        ))
    }
}

/// A progress bar on stderr (hidden when not a terminal).
pub fn progress(len: Option<u64>, what: &str) -> ProgressBar {
    let pb = match len {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({per_sec})",
        )
        .expect("template"),
    );
    pb.set_message(what.to_owned());
    pb
}

fn today() -> Date {
    vangnet_store::time::today()
}

fn run(cli: Cli) -> Result<()> {
    let url = cli
        .database_url
        .clone()
        .unwrap_or_else(|| "vangnet.sqlite".to_owned());
    match cli.command {
        Command::Region {
            command: RegionCommand::Check { files },
        } => region_check(&files),
        Command::Region {
            command: RegionCommand::List,
        } => {
            for p in load_regions(cli.regions.as_deref())?.all() {
                println!(
                    "{:<28} {} ({} gemeenten nu, {} ooit lid; {} producten, {} locaties)",
                    p.id,
                    p.name,
                    p.members_on(today()).count(),
                    p.gemeenten.len(),
                    p.products.len(),
                    p.locations.len()
                );
            }
            Ok(())
        }
        Command::Demo {
            db,
            addr,
            seed,
            from,
            until,
            scale,
            no_serve,
            locaties_x,
        } => {
            let regions = if locaties_x > 1 {
                bench_plaatsen::split_regions(locaties_x)?
            } else {
                load_regions(cli.regions.as_deref())?
            };
            let until = match until {
                Some(u) => Date::parse(&u).context("--until")?,
                None => today(),
            };
            let from = Date::parse(&from).context("--from")?;
            if !no_serve {
                check_loopback(&addr)?;
            }
            for suffix in ["", "-wal", "-shm"] {
                let p = PathBuf::from(format!("{}{suffix}", db.display()));
                if p.exists() {
                    std::fs::remove_file(&p)
                        .with_context(|| format!("{} verwijderen", p.display()))?;
                }
            }
            let store = open_store(&db.display().to_string(), regions.clone())?;
            let t = Instant::now();
            let pb = progress(None, "demodata genereren");
            pb.enable_steady_tick(std::time::Duration::from_millis(120));
            let demo = vangnet_demo::generate(
                &regions,
                &vangnet_demo::DemoConfig {
                    seed,
                    start: from,
                    end: until,
                    scale,
                    first_client: 1,
                },
            );
            pb.finish_and_clear();
            let sys = AccessGate::system("demo");
            store.put_persons(&sys, &demo.persons)?;
            let pb = progress(Some(demo.events.len() as u64), "importeren");
            let n = demo.events.len();
            let mut rows = demo
                .events
                .into_iter()
                .map(|e| Ok(vangnet_store::ImportRow::from(e)));
            let report = store.import(&sys, &mut rows, ImportMode::AllOrNothing, &|k| {
                pb.set_position(k)
            })?;
            pb.finish_and_clear();
            if !report.committed {
                bail!(
                    "demodata afgewezen: {}",
                    report
                        .rejected
                        .iter()
                        .take(5)
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                );
            }
            println!(
                "Demo aangemaakt in {}: {} regio's, {} cliënten, {} gebeurtenissen ({:.1} s).",
                db.display(),
                regions.all().len(),
                report.clients,
                n,
                t.elapsed().as_secs_f64()
            );
            for p in regions.all() {
                let ov = store.overview(&p.id, until)?;
                let in_care: u64 = ov.in_care.iter().map(|x| x.2).sum();
                let waiting: u64 = ov.waiting.iter().map(|x| x.1).sum();
                println!(
                    "  {:<48} in zorg {in_care:>5}  wachtlijst {waiting:>4}",
                    p.name
                );
            }
            if no_serve {
                Ok(())
            } else {
                serve(store, &addr, ServeMode::Demo)
            }
        }
        Command::Serve {
            addr,
            https_achter_proxy,
        } => {
            let store = open_store(&url, load_regions(cli.regions.as_deref())?)?;
            serve(
                store,
                &addr,
                ServeMode::Real {
                    behind_tls_proxy: https_achter_proxy,
                },
            )
        }
        Command::Import { file, skip_bad } => {
            let gate = audit::job(cli.door.as_deref(), "import")?;
            let store = open_store(&url, load_regions(cli.regions.as_deref())?)?;
            files::import(
                &*store,
                &gate,
                &file,
                if skip_bad {
                    ImportMode::SkipBad
                } else {
                    ImportMode::AllOrNothing
                },
            )
        }
        Command::Export { file } => {
            let store = open_store(&url, load_regions(cli.regions.as_deref())?)?;
            files::export(&*store, &audit::job(cli.door.as_deref(), "export")?, &file)
        }
        Command::Rebuild { monitor } => {
            let job = if monitor {
                "monitor_herbouwen"
            } else {
                "herbouwen"
            };
            let gate = audit::job(cli.door.as_deref(), job)?;
            let store = open_store(&url, load_regions(cli.regions.as_deref())?)?;
            // Rebuilding reads every client's events: logged before it starts.
            store.log_job(&gate, job)?;
            let t = Instant::now();
            let pb = progress(
                Some(store.event_count()?),
                if monitor {
                    "monitor herbouwen"
                } else {
                    "projecties herbouwen"
                },
            );
            let r = if monitor {
                store.rebuild_monitor(&|n| pb.set_position(n))?
            } else {
                store.rebuild(&|n| pb.set_position(n))?
            };
            pb.finish_and_clear();
            let secs = t.elapsed().as_secs_f64();
            println!(
                "Herbouwd: {} gebeurtenissen, {} cliënten in {secs:.2} s ({:.0} gebeurtenissen/s).",
                r.events,
                r.clients,
                r.events as f64 / secs.max(1e-9)
            );
            Ok(())
        }
        Command::Migrate => {
            let store = open_store(&url, load_regions(cli.regions.as_deref())?)?;
            println!("Schema bijgewerkt ({}).", store.engine());
            Ok(())
        }
        Command::DemoData {
            file,
            seed,
            scale,
            from,
            until,
        } => {
            let regions = load_regions(cli.regions.as_deref())?;
            let cfg = vangnet_demo::DemoConfig {
                seed,
                start: Date::parse(&from).context("--from")?,
                end: Date::parse(&until).context("--until")?,
                scale,
                first_client: 1,
            };
            let demo = vangnet_demo::generate(&regions, &cfg);
            let n = files::write_events(&file, demo.events.into_iter())?;
            println!("{n} gebeurtenissen geschreven naar {}", file.display());
            Ok(())
        }
        Command::Bench(args) => bench::run(args),
        Command::Geld(args) => {
            let store = open_store(&url, load_regions(cli.regions.as_deref())?)?;
            geld::run(&args, &*store)
        }
        Command::Forecast { command } => forecast::run(command, &url, cli.regions.as_deref()),
        Command::Audit { command } => {
            let store = open_store(&url, load_regions(cli.regions.as_deref())?)?;
            audit::run(command, &*store, cli.door.as_deref())
        }
        Command::Clienten { command } => {
            let store = open_store(&url, load_regions(cli.regions.as_deref())?)?;
            audit::run_clienten(command, &*store, cli.door.as_deref())
        }
        Command::User { command } => {
            let store = open_store(&url, load_regions(cli.regions.as_deref())?)?;
            users::run_user(command, &*store, cli.door.as_deref())
        }
        Command::Token { command } => {
            let store = open_store(&url, load_regions(cli.regions.as_deref())?)?;
            users::run_token(command, &*store, cli.door.as_deref())
        }
    }
}

fn region_check(files: &[PathBuf]) -> Result<()> {
    if files.is_empty() {
        bail!(
            "geef een of meer profielbestanden op, bijv. vangnet region check regions/drechtsteden.toml"
        );
    }
    let mut bad = 0;
    for f in files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("{} niet leesbaar", f.display()))?;
        match RegionProfile::parse(&text) {
            Ok(p) => println!(
                "{}: in orde — {} ({} gemeenten nu, {} ooit lid; {} producten, {} aanbieders, {} locaties)",
                f.display(),
                p.name,
                p.members_on(today()).count(),
                p.gemeenten.len(),
                p.products.len(),
                p.providers.len(),
                p.locations.len()
            ),
            Err(errs) => {
                bad += 1;
                println!("{}: {} fout(en)", f.display(), errs.len());
                for e in errs {
                    println!("  {}:{}", f.display(), e);
                }
            }
        }
    }
    if bad > 0 {
        bail!("{bad} profiel(en) met fouten");
    }
    Ok(())
}

/// Logging through `tracing` to stderr: `RUST_LOG` tunes it (default `info`, e.g.
/// `RUST_LOG=vangnet_web=debug,tower_http=debug`). A panic is logged as an error event (in
/// the request's span when it happens in a handler) instead of the default hook's text.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(geen tekst)");
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let trace = std::backtrace::Backtrace::capture();
        if trace.status() == std::backtrace::BacktraceStatus::Captured {
            tracing::error!(plaats = %place, "paniek: {message}\n{trace}");
        } else {
            tracing::error!(plaats = %place, "paniek: {message}");
        }
    }));
}

/// How the web app is served.
#[derive(Debug, Clone, Copy)]
enum ServeMode {
    /// `vangnet demo`: loopback only, one-click demo login.
    Demo,
    /// `vangnet serve`: accounts only.
    Real { behind_tls_proxy: bool },
}

/// `vangnet demo` serves on a loopback address only: `addr` must be `127.x.x.x`, `::1` or
/// `localhost` with a port.
fn check_loopback(addr: &str) -> Result<()> {
    let host = addr
        .rsplit_once(':')
        .map_or(addr, |(h, _)| h)
        .trim_start_matches('[')
        .trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        bail!(
            "vangnet demo luistert alleen op dit apparaat (127.0.0.1, ::1 of localhost), niet op {addr}: \
             de demo logt in met één klik zonder wachtwoord. Gebruik `vangnet serve` met echte accounts \
             voor een server die anderen kunnen bereiken."
        )
    }
}

fn serve(store: Arc<dyn Store>, addr: &str, mode: ServeMode) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("kan niet luisteren op {addr}"))?;
        let local = listener.local_addr()?;
        // For the person who started it (and e2e/run.mjs, which reads the URL on stdout).
        println!(
            "Vangnet draait op http://{local}/  (stoppen met Ctrl-C; database: {})",
            store.engine()
        );
        tracing::info!(adres = %local, database = store.engine(), "server gestart");
        let state = match mode {
            ServeMode::Demo => vangnet_web::AppState::new(store).with_demo_login(true),
            ServeMode::Real { behind_tls_proxy } => {
                vangnet_web::AppState::new(store).with_tls_proxy(behind_tls_proxy)
            }
        }
        // A long forecast answers with its progress page after 2 s (issue 12).
        .with_forecast_patience(Some(std::time::Duration::from_secs(2)));
        vangnet_web::serve(listener, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::check_loopback;

    #[test]
    fn the_demo_serves_on_loopback_only() {
        for ok in [
            "127.0.0.1:8080",
            "127.0.0.2:1",
            "[::1]:8080",
            "localhost:8080",
        ] {
            assert!(check_loopback(ok).is_ok(), "{ok}");
        }
        for bad in [
            "0.0.0.0:8080",
            "[::]:8080",
            "192.168.1.5:80",
            "vangnet.example:80",
        ] {
            let e = check_loopback(bad).unwrap_err().to_string();
            assert!(e.contains("alleen op dit apparaat"), "{bad}: {e}");
        }
    }
}
