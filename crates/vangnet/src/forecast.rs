//! `vangnet forecast`: calibrate a region's simulation model from the store's events
//! (`calibrate`, writes a scenario TOML) and run a scenario file into fan-chart ranges
//! (`run`, progress bar, a Dutch summary table, CSV with month quantiles and an Excel workbook
//! with the tables of the web page: per product, per gemeente of origin, per product and
//! gemeente).
//!
//! The forecast reads pseudonymous events only, through a system-level bulk export: it needs
//! every stream of the region and produces aggregates, never a client's record.
//!
//! `run` keeps to the web page's size limits ([`vangnet_publish::forecast::check_size`]:
//! replications, years and replications × years) unless `--zonder-limiet` is given (batch
//! runs).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use vangnet_domain::{Date, RegionId};
use vangnet_sim::calibrate::{self, Calibration, Fan, HOUSING, Metric, Options};
use vangnet_sim::model::YEAR;
use vangnet_store::{AccessGate, Store};

/// The forecast subcommands.
#[derive(Subcommand, Debug)]
pub enum ForecastCommand {
    /// Fit a scenario to a region's events: arrivals, stays, routing, housing, current state.
    Calibrate {
        /// Region id (see `vangnet region list`).
        #[arg(long)]
        region: String,
        /// Write the scenario (TOML) here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Reference date (default: today).
        #[arg(long)]
        on: Option<String>,
        /// Years of history for the fit.
        #[arg(long, default_value_t = 3.0)]
        window_years: f64,
        /// Horizon written into the scenario, in years.
        #[arg(long, default_value_t = 10.0)]
        years: f64,
        /// Lengths of stay from the empirical (Kaplan–Meier) distribution instead of the
        /// log-normal fit.
        #[arg(long)]
        empirical: bool,
    },
    /// Run a scenario file: ranges of occupancy, waiting list, waiting time and shortage.
    Run {
        /// The scenario (TOML).
        scenario: PathBuf,
        /// Replications (default: the scenario's).
        #[arg(long)]
        replications: Option<u64>,
        /// Horizon in years (default: the scenario's).
        #[arg(long)]
        years: Option<f64>,
        /// Base seed (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Write month quantiles as CSV (month, node, metric, p5, p25, p50, p75, p95).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write the tables of the web page (per product, per gemeente, per product and
        /// gemeente; year ends, median with 50 % and 90 % bands) as an Excel workbook.
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Run without the web page's size limits (replications, years and their product):
        /// for batch runs.
        #[arg(long = "zonder-limiet")]
        no_limit: bool,
    },
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Export the store's events and calibrate `region` on `on` (system-level aggregate read).
pub fn calibrate_from_store(
    store: &dyn Store,
    region: &RegionId,
    on: Date,
    opts: &Options,
) -> Result<Calibration> {
    let profile = store
        .regions()
        .get(region)
        .with_context(|| format!("onbekende regio {region}"))?
        .clone();
    let mut events = Vec::new();
    store.export(&AccessGate::system("prognose"), &mut |e| {
        events.push(e);
        Ok(())
    })?;
    Ok(calibrate::calibrate(&profile, &events, on, opts))
}

/// The web page's size limits for `replications` over a horizon of `horizon` days
/// ([`vangnet_publish::forecast::check_size`]), with a Dutch error naming the option.
pub fn check_size(replications: u64, horizon: f64) -> Result<()> {
    vangnet_publish::forecast::check_size(replications, horizon / YEAR, "--replications", "--years")
        .map_err(|e| {
            anyhow::anyhow!(
                "{} (of de waarde in het scenario): {} Geef --zonder-limiet voor een batchrun zonder deze grenzen.",
                e.field,
                e.message
            )
        })
}

/// Run a forecast subcommand against the store at `url`.
pub fn run(cmd: ForecastCommand, url: &str, regions: Option<&Path>) -> Result<()> {
    match cmd {
        ForecastCommand::Calibrate {
            region,
            out,
            on,
            window_years,
            years,
            empirical,
        } => {
            let store = crate::open_store(url, crate::load_regions(regions)?)?;
            let region = RegionId::parse(&region).map_err(|e| anyhow::anyhow!("--region: {e}"))?;
            let on = match on {
                Some(d) => Date::parse(&d).context("--on")?,
                None => crate::today(),
            };
            let t = Instant::now();
            let opts = Options {
                window_years,
                horizon_years: years,
                empirical,
                ..Options::default()
            };
            let mut cal = calibrate_from_store(&*store, &region, on, &opts)?;
            calibrate::check_fit(&mut cal, 16, 15.0, threads());
            print!("{}", cal.report);
            println!(
                "(λ·W = aangeboden last; sim = gemiddelde bezetting van het gefitte model in evenwicht; {:.1} s)",
                t.elapsed().as_secs_f64()
            );
            if let Some(out) = out {
                std::fs::write(&out, calibrate::to_toml(&cal.model))
                    .with_context(|| format!("{} schrijven", out.display()))?;
                println!("Scenario geschreven naar {}.", out.display());
            }
            Ok(())
        }
        ForecastCommand::Run {
            scenario,
            replications,
            years,
            seed,
            out,
            xlsx,
            no_limit,
        } => {
            let text = std::fs::read_to_string(&scenario)
                .with_context(|| format!("{} lezen", scenario.display()))?;
            let mut model = match vangnet_sim::parse(&text) {
                Ok(m) => m,
                Err(errs) => bail!(
                    "{} is geen geldig scenario:\n{}",
                    scenario.display(),
                    errs.iter()
                        .map(|e| format!("  {e}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                ),
            };
            if let Some(y) = years {
                if !(y > 0.0 && y <= 100.0) {
                    bail!("--years moet tussen 0 en 100 liggen");
                }
                model.horizon = y * YEAR;
                model.capacity_changes.retain(|c| c.at <= model.horizon);
            }
            if let Some(s) = seed {
                model.seed = s;
            }
            let reps = replications.unwrap_or(u64::from(model.replications)).max(1);
            if !no_limit {
                check_size(reps, model.horizon)?;
            }
            let t = Instant::now();
            let pb = crate::progress(Some(reps), "replicaties");
            let fan = calibrate::forecast(&model, reps, threads(), &|n| pb.set_position(n));
            pb.finish_and_clear();
            let secs = t.elapsed().as_secs_f64();
            println!(
                "{}: {reps} replicaties van {:.0} jaar in {secs:.2} s.",
                if model.name.is_empty() {
                    "Scenario"
                } else {
                    &model.name
                },
                model.horizon / YEAR
            );
            print!("{}", summary(&fan));
            if let Some(out) = out {
                write_csv(&fan, &out)?;
                println!("Maandcijfers geschreven naar {}.", out.display());
            }
            if let Some(path) = xlsx {
                // The region whose catalogue names the nodes, if any (names only).
                let regions = crate::load_regions(regions)?;
                let profile = regions.all().iter().find(|p| {
                    model
                        .nodes
                        .iter()
                        .any(|n| p.products.iter().any(|x| x.code.as_str() == n.id))
                });
                let view = vangnet_publish::forecast::View {
                    profile,
                    base: None,
                    scen: &fan,
                    t: None,
                };
                let mut tables = vangnet_publish::forecast::forecast_tables(&view);
                for t in &mut tables {
                    t.notes.push(format!(
                        "Bron: vangnet forecast run {} ({reps} replicaties, seed {}).",
                        scenario.display(),
                        model.seed
                    ));
                }
                std::fs::write(&path, vangnet_tabular::to_xlsx(&tables))
                    .with_context(|| format!("{} schrijven", path.display()))?;
                println!("Tabellen (Excel) geschreven naar {}.", path.display());
            }
            Ok(())
        }
    }
}

/// The Dutch summary table: per node and metric, median with 50 % and 90 % bands after 1, 5
/// and 10 years (as far as the horizon reaches).
pub fn summary(fan: &Fan) -> String {
    let years: Vec<usize> = [1, 5, 10]
        .into_iter()
        .filter(|y| y * 12 <= fan.months)
        .collect();
    let mut s = String::new();
    s.push_str(&format!("{:<26} {:<20}", "product", "maat"));
    for y in &years {
        s.push_str(&format!(
            " {:>28}",
            format!("na {y} jaar: mediaan [50%] [90%]")
        ));
    }
    s.push('\n');
    for (i, node) in fan.nodes.iter().enumerate() {
        let metrics: &[Metric] = if node == HOUSING {
            &[Metric::Tekort]
        } else {
            &Metric::ALL
        };
        for &metric in metrics {
            s.push_str(&format!("{node:<26} {:<20}", metric.label()));
            for y in &years {
                let q = fan.get(metric, i, (y * 12).min(fan.months - 1));
                s.push_str(&format!(
                    " {:>28}",
                    format!(
                        "{:.0} [{:.0}–{:.0}] [{:.0}–{:.0}]",
                        q[2], q[1], q[3], q[0], q[4]
                    )
                ));
            }
            s.push('\n');
        }
    }
    if fan.origins.len() > 1 {
        for (g, code) in fan.origins.iter().enumerate() {
            let label = vangnet_domain::GemeenteCode::parse(code)
                .ok()
                .and_then(|c| vangnet_domain::gemeenten::Gemeenten::national().get(c))
                .map_or_else(|| "overig/onbekend".to_owned(), |g| g.name.clone());
            for metric in [Metric::Bezetting, Metric::Wachtlijst, Metric::Tekort] {
                s.push_str(&format!("{:<26} {:<20}", label, metric.label()));
                for y in &years {
                    let q = fan.get_total(metric, g, (y * 12).min(fan.months - 1));
                    s.push_str(&format!(
                        " {:>28}",
                        format!(
                            "{:.0} [{:.0}–{:.0}] [{:.0}–{:.0}]",
                            q[2], q[1], q[3], q[0], q[4]
                        )
                    ));
                }
                s.push('\n');
            }
        }
    }
    s
}

fn write_csv(fan: &Fan, path: &Path) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("{} schrijven", path.display()))?;
    w.write_record(["month", "node", "metric", "p5", "p25", "p50", "p75", "p95"])?;
    for (i, node) in fan.nodes.iter().enumerate() {
        for metric in Metric::ALL {
            for m in 0..fan.months {
                let q = fan.get(metric, i, m);
                let mut rec = vec![(m + 1).to_string(), node.clone(), metric.key().to_owned()];
                rec.extend(q.iter().map(|x| x.to_string()));
                w.write_record(&rec)?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_example(replications: Option<u64>, years: Option<f64>) -> Result<()> {
        run_example_with(replications, years, false)
    }

    fn run_example_with(
        replications: Option<u64>,
        years: Option<f64>,
        no_limit: bool,
    ) -> Result<()> {
        let scenario =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/afbouw-opbouw.toml");
        run(
            ForecastCommand::Run {
                scenario,
                replications,
                years,
                seed: None,
                out: None,
                xlsx: None,
                no_limit,
            },
            "niet-gebruikt",
            None,
        )
    }

    #[test]
    fn run_keeps_the_web_pages_limits_unless_told_not_to() {
        let e = run_example(Some(2001), Some(1.0)).unwrap_err().to_string();
        assert!(
            e.starts_with("--replications (of de waarde in het scenario): Replicaties: 2001"),
            "{e}"
        );
        assert!(e.contains("--zonder-limiet"), "{e}");
        let e = run_example(None, Some(21.0)).unwrap_err().to_string();
        assert!(
            e.starts_with("--years (of de waarde in het scenario): Horizon: 21 jaar"),
            "{e}"
        );
        // The example scenario's own 200 replications × 10 years is exactly at the limit;
        // 201 is over it.
        let e = run_example(Some(201), None).unwrap_err().to_string();
        assert!(e.contains("Replicaties × jaren: 201 × 10"), "{e}");
        assert!(check_size(200, 10.0 * YEAR).is_ok());
        assert!(check_size(2000, 1.0 * YEAR).is_ok());
        assert!(check_size(100, 20.0 * YEAR).is_ok());
        assert!(check_size(10, 0.5 * YEAR).is_err());
        // A batch run without the limits (here: below the minimum, so it is quick).
        assert!(run_example(Some(5), Some(0.5)).is_err());
        run_example_with(Some(5), Some(0.5), true).expect("--zonder-limiet");
    }
}
