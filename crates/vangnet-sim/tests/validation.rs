//! Validation of the simulation: M/M/c against Erlang C, Little's law on every node of the
//! region network, blocking, priorities, the observed starting state, capacity changes,
//! common random numbers and determinism across thread counts.

use vangnet_sim::model::{
    Arrivals, CapacityChange, Initial, InitialState, Model, Node, Service, YEAR,
};
use vangnet_sim::{parse, run, run_replication, validate};

const REGION: &str = include_str!("../../../bench/sim/region-1x.toml");

#[test]
fn mmc_matches_erlang_c_within_the_99_percent_ci() {
    // Cheap enough for the debug profile: ~0.4 M events per case (the release example
    // `erlang` runs the same check 60 times longer).
    let mut failures = Vec::new();
    for c in [1u32, 5, 20] {
        for rho in [0.5, 0.8, 0.9, 0.95] {
            let lambda = rho * f64::from(c);
            let days = 10_000.0 / lambda;
            let r = validate::mmc(rho, c, 20, days, 7 + u64::from(c));
            if !r.passes() {
                failures.push(format!("{r:?}"));
            }
            assert!(
                r.little_gap < 0.05,
                "Little's law at c={c} rho={rho}: gap {}",
                r.little_gap
            );
        }
    }
    assert!(
        failures.is_empty(),
        "outside the 99% CI:\n{}",
        failures.join("\n")
    );
}

#[test]
fn littles_law_holds_on_every_node_of_the_region() {
    // Little's law is a steady-state law: no trend here (seasons stay), long runs after a warm-up.
    let mut model = parse(REGION).unwrap();
    for n in &mut model.nodes {
        if let Some(a) = &mut n.arrivals {
            a.trend = 0.0;
        }
    }
    model.horizon = 60.0 * YEAR;
    model.warmup = 10.0 * YEAR;
    for rep in 0..4 {
        let (r, _) = run_replication(&model, rep);
        for (node, nr) in model.nodes.iter().zip(&r.nodes) {
            let lw = nr.throughput / YEAR * nr.sojourn;
            let gap = (nr.in_system - lw).abs() / nr.in_system;
            assert!(
                gap < 0.03,
                "{}: L = {} but λW = {lw}",
                node.id,
                nr.in_system
            );
        }
    }
}

fn tandem(second_servers: u32) -> Model {
    let mut a = Node::new("a", 5, Service::Exponential { mean: 1.0 });
    a.arrivals = Some(Arrivals::poisson(3.0 * YEAR));
    a.routes = vec![(1, 1.0)];
    let mut b = Node::new("b", second_servers, Service::Exponential { mean: 2.0 });
    b.queue_capacity = Some(0);
    Model::new(vec![a, b], 2000.0)
}

#[test]
fn a_full_next_step_keeps_people_in_place() {
    // Node b can take 1 person a day (2 places × mean stay 2), a sends 3 a day.
    let free = run(&tandem(100), 4, 1);
    let full = run(&tandem(2), 4, 1);
    assert!(
        (free.nodes[0].in_service.mean - 3.0).abs() < 0.2,
        "{:?}",
        free.nodes[0].in_service
    );
    assert!(free.nodes[0].blocked.mean < 1e-9);
    assert!(
        full.nodes[0].in_service.mean > 4.9,
        "a stays full: {:?}",
        full.nodes[0].in_service
    );
    assert!(
        full.nodes[0].blocked.mean > 3.5,
        "most places in a are held by blocked people"
    );
    assert!(
        (full.nodes[1].throughput.mean / YEAR - 1.0).abs() < 0.05,
        "b runs at capacity"
    );
    assert!(
        (full.nodes[0].throughput.mean - full.nodes[1].throughput.mean).abs()
            / full.nodes[1].throughput.mean
            < 0.01
    );
    assert!(
        full.nodes[0].waiting.mean > 100.0,
        "the queue before a grows"
    );
}

#[test]
fn priority_classes_follow_cobham() {
    // M/M/1, ρ = 0.8, two classes of 40 % load each; non-preemptive priority:
    // W_k = W0 / ((1 − σ_{k−1})(1 − σ_k)), W0 = λ E[S²] / 2 = 0.8.
    let mut n = Node::new("q", 1, Service::Exponential { mean: 1.0 });
    n.arrivals = Some(Arrivals {
        class_shares: vec![0.5, 0.5],
        ..Arrivals::poisson(0.8 * YEAR)
    });
    let model = Model::new(vec![n], 200_000.0);
    let (r, _) = run_replication(&model, 0);
    let (w0, w1) = (r.class_wait[0], r.class_wait[1]);
    assert!(
        (w0 - 0.8 / 0.6).abs() / (0.8 / 0.6) < 0.05,
        "class 0 waits {w0}"
    );
    assert!(
        (w1 - 0.8 / (0.6 * 0.2)).abs() / (0.8 / 0.12) < 0.1,
        "class 1 waits {w1}"
    );
}

#[test]
fn a_forecast_starts_from_the_observed_state() {
    let mut model = parse(REGION).unwrap();
    model.horizon = 2.0 * YEAR;
    let bw = model.nodes.iter().position(|n| n.id == "bw").unwrap();
    let empty = run(&model, 16, 2);
    model.initial = vec![
        Initial {
            node: bw,
            class: 0,
            count: 118,
            state: InitialState::InService { elapsed: 200.0 },
            origin: 0,
        },
        Initial {
            node: bw,
            class: 1,
            count: 40,
            state: InitialState::Waiting { since: 90.0 },
            origin: 0,
        },
    ];
    let observed = run(&model, 16, 2);
    let m = observed.months;
    assert!(
        observed.occupied[bw * m].mean >= 115.0,
        "month 1: {:?}",
        observed.occupied[bw * m]
    );
    assert!(
        observed.waiting[bw * m].mean > 20.0,
        "month 1 queue: {:?}",
        observed.waiting[bw * m]
    );
    assert!(empty.occupied[bw * m].mean < 20.0);
    // Ranges: quantiles are ordered.
    let q = observed.occupied[bw * m + 12].quantiles;
    assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
}

#[test]
fn capacity_changes_take_effect_without_pre_emption() {
    let mut n = Node::new("bw", 50, Service::Exponential { mean: 100.0 });
    n.arrivals = Some(Arrivals::poisson(0.45 * YEAR));
    let mut model = Model::new(vec![n], 4.0 * YEAR);
    model.capacity_changes = vec![CapacityChange {
        at: 2.0 * YEAR,
        node: 0,
        servers: 30,
    }];
    let s = run(&model, 8, 2);
    let m = s.months;
    assert!(s.occupied[20].mean > 40.0, "before: {:?}", s.occupied[20]);
    assert!(
        s.occupied[m - 1].quantiles[4] <= 30.0,
        "after: {:?}",
        s.occupied[m - 1]
    );
    assert!(s.waiting[m - 1].mean > 10.0);
}

#[test]
fn scenarios_differing_in_capacity_see_the_same_arrivals() {
    let mut model = parse(REGION).unwrap();
    model.horizon = 5.0 * YEAR;
    let mut smaller = model.clone();
    smaller.nodes[0].servers = 25;
    for rep in 0..3 {
        let (a, _) = run_replication(&model, rep);
        let (b, _) = run_replication(&smaller, rep);
        let arrivals = |r: &vangnet_sim::Replication| r.nodes[0].entered + r.nodes[0].rejected;
        assert_eq!(arrivals(&a), arrivals(&b));
        assert!(
            b.nodes[0].rejected > a.nodes[0].rejected,
            "fewer places, more turned away"
        );
    }
}

#[test]
fn results_are_identical_on_any_thread_count() {
    let mut model = parse(REGION).unwrap();
    model.horizon = 5.0 * YEAR;
    let one = run(&model, 37, 1);
    assert_eq!(one, run(&model, 37, 2));
    assert_eq!(one, run(&model, 37, 4));
    assert_eq!(one.replications, 37);
    assert_ne!(one, run(&model, 36, 4));
}

#[test]
fn a_starting_state_gives_identical_results_on_any_thread_count() {
    // Replications share an engine per thread; with people already in place at the start,
    // state left over from the previous replication would change the next one.
    let mut model = parse(REGION).unwrap();
    model.horizon = 3.0 * YEAR;
    for (node, n) in model.nodes.iter().enumerate().take(3) {
        let count = n.servers.min(5);
        model.initial.push(vangnet_sim::model::Initial {
            node,
            class: 0,
            count,
            state: vangnet_sim::model::InitialState::InService { elapsed: 30.0 },
            origin: 0,
        });
        model.initial.push(vangnet_sim::model::Initial {
            node,
            class: 0,
            count: 2,
            state: vangnet_sim::model::InitialState::Waiting { since: 10.0 },
            origin: 0,
        });
    }
    // A capacity change already waits in the event list when the starting state is placed.
    let servers = model.nodes[2].servers;
    model
        .capacity_changes
        .push(vangnet_sim::model::CapacityChange {
            at: YEAR,
            node: 2,
            servers: servers / 2,
        });
    let one = run(&model, 23, 1);
    assert_eq!(one, run(&model, 23, 2));
    assert_eq!(one, run(&model, 23, 3));
    // And the change happened: the node ran with fewer places in the last two years.
    let mut unchanged = model.clone();
    unchanged.capacity_changes.clear();
    assert_ne!(one, run(&unchanged, 23, 1));
}
