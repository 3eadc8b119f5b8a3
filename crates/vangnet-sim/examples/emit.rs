//! Emits one simulated future of a calibrated demo region as client events, counts them with
//! the monitor's own projection and compares the monitor's figures with the simulator's
//! counters; prints the time per fact.
//! `cargo run --release -p vangnet-sim --example emit -- [REGION] [YEARS] [REPLICATION]`

use std::time::Instant;

use vangnet_demo::{DemoConfig, generate};
use vangnet_domain::{Date, Regions};
use vangnet_sim::calibrate::{Options, calibrate};
use vangnet_sim::emit::{emit_replication, monitor_month};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let region = args.get(1).map_or("drechtsteden", String::as_str);
    let years: f64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10.0);
    let rep: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0);
    let profile = Regions::builtin()
        .all()
        .iter()
        .find(|p| p.id.as_str() == region)
        .expect("region")
        .clone();
    let regions = Regions::new(vec![profile.clone()]);
    let on = Date::parse("2026-06-30").expect("date");
    let demo = generate(
        &regions,
        &DemoConfig {
            seed: 5,
            start: Date::parse("2019-01-01").expect("date"),
            end: on,
            scale: 1.0,
            first_client: 1,
        },
    );
    let cal = calibrate(
        &profile,
        &demo.events,
        on,
        &Options {
            horizon_years: years,
            ..Options::default()
        },
    );
    let model = &cal.model;
    let t = Instant::now();
    let e = emit_replication(model, &regions, &profile, rep);
    let secs = t.elapsed().as_secs_f64();
    let n = model.nodes.len();
    let (mut cells, mut equal) = (0, 0);
    for (i, node) in model.nodes.iter().enumerate() {
        let Some(pi) = profile
            .products
            .iter()
            .position(|p| p.code.as_str() == node.id)
        else {
            continue;
        };
        for m in 0..model.months() {
            let key = model.month_key(m).expect("calendar model");
            let [held, waiting, _] = e.recorder.series.points[m * n + i];
            let mon = monitor_month(&e.tally, pi as u16 + 1, key, None);
            cells += 2;
            equal += usize::from(mon.wachtend == i64::from(waiting));
            equal += usize::from(
                mon.in_zorg == i64::from(held)
                    || profile.products[pi].unit == vangnet_domain::region::Unit::Nacht,
            );
        }
    }
    println!(
        "{region}, {years} jaar, replicatie {rep}: {} synthetische cliënten, {} feiten, {} geweigerd, {:.3} s ({:.2} µs per feit incl. simulatie en monitortelling)",
        e.clients,
        e.facts,
        e.errors.len(),
        secs,
        secs / e.facts.max(1) as f64 * 1e6
    );
    println!(
        "monitor (in_zorg, wachtend per product en maand) gelijk aan de simulatie in {equal} van {cells} cellen"
    );
}
