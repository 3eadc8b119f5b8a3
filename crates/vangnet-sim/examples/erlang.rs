//! Prints the M/M/c validation table (simulation vs. Erlang C) as markdown.
//! `cargo run --release -p vangnet-sim --example erlang -- [REPLICATIONS] [DAYS] [SEED]`

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(50);
    let days: f64 = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000.0);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(7);
    println!(
        "M/M/c, mean service 1 day, {reps} replications × {days} days, stationary start; 99 % CI half-widths.\n"
    );
    println!(
        "| c | ρ | L exact | L sim ± CI | Wq exact | Wq sim ± CI | P(wait) exact | P(wait) sim ± CI | inside CI | max Little gap |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for c in [1, 5, 20] {
        for rho in [0.5, 0.8, 0.9, 0.95] {
            let r = vangnet_sim::validate::mmc(rho, c, reps, days, seed + u64::from(c));
            println!(
                "| {c} | {rho} | {:.4} | {:.4} ± {:.4} | {:.4} | {:.4} ± {:.4} | {:.4} | {:.4} ± {:.4} | {} | {:.2e} |",
                r.exact.in_system,
                r.in_system.mean,
                r.in_system.ci99,
                r.exact.wait,
                r.wait.mean,
                r.wait.ci99,
                r.exact.p_wait,
                r.p_wait.mean,
                r.p_wait.ci99,
                if r.passes() { "yes" } else { "NO" },
                r.little_gap
            );
        }
    }
}
