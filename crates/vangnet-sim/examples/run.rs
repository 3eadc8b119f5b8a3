//! Runs a scenario file and prints the results as JSON (used by `bench/sim/compare.py`).
//!
//! `cargo run --release -p vangnet-sim --example run -- FILE [--scale K] [--reps N]
//! [--threads T] [--horizon-years Y] [--series]`

use std::fmt::Write;
use std::time::Instant;

use vangnet_sim::stats::Estimate;

fn est(e: &Estimate) -> String {
    format!(
        "{{\"mean\": {}, \"std\": {}, \"ci99\": {}}}",
        num(e.mean),
        num(e.std),
        num(e.ci99)
    )
}

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "null".into()
    }
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU seconds (user + system) of this process so far, from /proc (clock ticks of 10 ms).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
        })
        .unwrap_or(0.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = args.first().expect(
        "usage: run FILE [--scale K] [--reps N] [--threads T] [--horizon-years Y] [--series]",
    );
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let text = std::fs::read_to_string(file).expect("readable scenario");
    let mut model = match vangnet_sim::parse(&text) {
        Ok(m) => m,
        Err(errors) => {
            for e in errors {
                eprintln!("{file}: {e}");
            }
            std::process::exit(1);
        }
    };
    let scale: f64 = opt("--scale").map_or(1.0, |s| s.parse().expect("scale"));
    if scale != 1.0 {
        model = model.scaled(scale);
    }
    if let Some(y) = opt("--horizon-years") {
        model.horizon = y.parse::<f64>().expect("years") * vangnet_sim::model::YEAR;
    }
    let reps: u64 =
        opt("--reps").map_or(u64::from(model.replications), |s| s.parse().expect("reps"));
    let threads: usize = opt("--threads").map_or(1, |s| s.parse().expect("threads"));
    let (start, cpu0) = (Instant::now(), cpu_seconds());
    let s = vangnet_sim::run(&model, reps, threads);
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let mut out = String::new();
    write!(
        out,
        "{{\"simulator\": \"vangnet\", \"scale\": {scale}, \"replications\": {reps}, \"threads\": {threads}, \"horizon_years\": {}, \
         \"seconds\": {secs}, \"cpu_seconds\": {cpu}, \"events_per_cpu_sec\": {}, \"events\": {}, \"events_per_rep\": {}, \"events_per_sec\": {}, \"sec_per_rep\": {}, \
         \"peak_rss_kb\": {}, \"nodes\": [",
        model.horizon / vangnet_sim::model::YEAR,
        s.events as f64 / cpu,
        s.events,
        s.events as f64 / reps as f64,
        s.events as f64 / secs,
        secs / reps as f64 * threads as f64,
        peak_rss_kb()
    )
    .unwrap();
    for (i, n) in s.nodes.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write!(
            out,
            "{{\"id\": \"{}\", \"in_system\": {}, \"in_service\": {}, \"waiting\": {}, \"blocked\": {}, \"wait\": {}, \"p_wait\": {}, \
             \"throughput\": {}, \"rejected\": {}, \"sojourn\": {}, \"blocked_time\": {}",
            n.id,
            est(&n.in_system),
            est(&n.in_service),
            est(&n.waiting),
            est(&n.blocked),
            est(&n.wait),
            est(&n.p_wait),
            est(&n.throughput),
            est(&n.rejected),
            est(&n.sojourn),
            est(&n.blocked_time)
        )
        .unwrap();
        if args.iter().any(|a| a == "--series") {
            let months = s.months;
            let q: Vec<String> = (0..months)
                .map(|m| {
                    let st = s.occupied[i * months + m];
                    let w = s.waiting[i * months + m];
                    format!(
                        "[{}, {:?}, {}, {:?}]",
                        st.mean, st.quantiles, w.mean, w.quantiles
                    )
                })
                .collect();
            write!(out, ", \"monthly\": [{}]", q.join(", ")).unwrap();
        }
        out.push('}');
    }
    out.push_str("]}");
    println!("{out}");
}
