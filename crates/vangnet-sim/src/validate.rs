//! Validation against queueing theory: a single M/M/c node, started from a draw of its
//! stationary distribution (so there is no warm-up bias), compared with Erlang C.

use vangnet_domain::rng::Rng;

use crate::engine::{NoSeries, Sim};
use crate::model::{Arrivals, Initial, InitialState, Model, Node, Service, YEAR};
use crate::stats::{ErlangC, Estimate, erlang_c};

/// Simulated and exact results for one M/M/c queue (mean service 1 day).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MmcCheck {
    /// Servers.
    pub c: u32,
    /// Utilisation λ / (c μ).
    pub rho: f64,
    /// Exact values.
    pub exact: ErlangC,
    /// Simulated mean number in the system.
    pub in_system: Estimate,
    /// Simulated mean wait.
    pub wait: Estimate,
    /// Simulated probability of waiting.
    pub p_wait: Estimate,
    /// Largest relative gap |L − λW| / L over the replications (Little's law).
    pub little_gap: f64,
    /// Events handled.
    pub events: u64,
}

impl MmcCheck {
    /// Whether all three exact values lie in the simulation's 99 % confidence intervals.
    pub fn passes(&self) -> bool {
        self.in_system.covers(self.exact.in_system)
            && self.wait.covers(self.exact.wait)
            && self.p_wait.covers(self.exact.p_wait)
    }
}

/// Simulate an M/M/c queue with utilisation `rho`, `replications` times for `days` days each.
/// Every replication starts from its own draw of the stationary number in the system.
pub fn mmc(rho: f64, c: u32, replications: u64, days: f64, seed: u64) -> MmcCheck {
    let lambda = rho * f64::from(c); // per day, mean service 1 day
    let exact = erlang_c(lambda, 1.0, c);
    let mut node = Node::new("mmc", c, Service::Exponential { mean: 1.0 });
    node.arrivals = Some(Arrivals::poisson(lambda * YEAR));
    let mut base = Model::new(vec![node], days);
    base.seed = seed;
    let mut start = Rng::derive(seed, u64::MAX);
    let (mut l, mut w, mut pw) = (Vec::new(), Vec::new(), Vec::new());
    let (mut little_gap, mut events) = (0.0f64, 0);
    for rep in 0..replications {
        let n = stationary_mmc(lambda, c, exact.p_wait, &mut start);
        let mut model = base.clone();
        let serving = n.min(c);
        model.initial = vec![Initial {
            node: 0,
            class: 0,
            count: serving,
            state: InitialState::InService { elapsed: 0.0 },
            origin: 0,
        }];
        if n > c {
            model.initial.push(Initial {
                node: 0,
                class: 0,
                count: n - c,
                state: InitialState::Waiting { since: 0.0 },
                origin: 0,
            });
        }
        let r = Sim::new(&model).run(rep, &mut NoSeries);
        let nr = r.nodes[0];
        events += r.events;
        l.push(nr.in_system);
        w.push(nr.wait);
        pw.push(nr.p_wait);
        let lw = nr.throughput / YEAR * nr.sojourn;
        little_gap = little_gap.max((nr.in_system - lw).abs() / nr.in_system.max(1e-9));
    }
    MmcCheck {
        c,
        rho,
        exact,
        in_system: Estimate::of(&l),
        wait: Estimate::of(&w),
        p_wait: Estimate::of(&pw),
        little_gap,
        events,
    }
}

/// A draw of the stationary number in an M/M/c system (mean service 1).
fn stationary_mmc(lambda: f64, c: u32, p_wait: f64, rng: &mut Rng) -> u32 {
    let rho = lambda / f64::from(c);
    if rng.f64() < p_wait {
        // N − c is geometric: P(k) = (1 − ρ) ρ^k.
        let u = 1.0 - rng.f64();
        return c + (u.ln() / rho.ln()).floor() as u32;
    }
    // Below c: proportional to a^n / n!.
    let mut terms = Vec::with_capacity(c as usize);
    let mut t = 1.0;
    for n in 0..c {
        if n > 0 {
            t *= lambda / f64::from(n);
        }
        terms.push(t);
    }
    rng.weighted(&terms) as u32
}
