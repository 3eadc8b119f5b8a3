//! Independent replications in parallel, aggregated into ranges.
//!
//! Replication `i` is seeded by `Rng::derive(model.seed, i)`, so it is the same whichever
//! thread runs it. Replications are handed out in fixed chunks; each chunk's sums are added in
//! replication order and the chunks are merged in chunk order as they complete, so the
//! floating-point results are bit-identical on any number of threads. Month series go into
//! integer histograms (exact, order-independent), so memory does not grow with the number of
//! replications.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::engine::{MonthSink, NodeResult, Replication, Series, Sim};
use crate::model::{MONTH, Model};
use crate::stats::{Estimate, Histogram};

/// The quantiles reported per month: 5, 25, 50, 75 and 95 %.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

const CHUNK: u64 = 8;
const NSTAT: usize = 12;

/// Ranges over replications for one node.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeSummary {
    /// Node id.
    pub id: String,
    /// Time-average number at the node.
    pub in_system: Estimate,
    /// Time-average number of places held.
    pub in_service: Estimate,
    /// Time-average waiting-list length.
    pub waiting: Estimate,
    /// Time-average number blocked (holding a place, waiting for the next step).
    pub blocked: Estimate,
    /// Mean wait for a place (days).
    pub wait: Estimate,
    /// Probability of having to wait.
    pub p_wait: Estimate,
    /// Departures per year.
    pub throughput: Estimate,
    /// Departures per replication.
    pub completed: Estimate,
    /// Arrivals per replication.
    pub entered: Estimate,
    /// External arrivals turned away per replication.
    pub rejected: Estimate,
    /// Mean time at the node (days).
    pub sojourn: Estimate,
    /// Mean time blocked, of those blocked (days).
    pub blocked_time: Estimate,
}

/// Distribution over replications of one month-end value.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MonthStat {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub std: f64,
    /// Quantiles at [`QUANTILES`].
    pub quantiles: [f64; 5],
}

/// Aggregated results of many replications.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Replications run.
    pub replications: u64,
    /// Events handled in all replications together.
    pub events: u64,
    /// Per node.
    pub nodes: Vec<NodeSummary>,
    /// Months per series.
    pub months: usize,
    /// Places held at month ends: index `node * months + month`.
    pub occupied: Vec<MonthStat>,
    /// Waiting-list length at month ends: index `node * months + month`.
    pub waiting: Vec<MonthStat>,
    /// People blocked at month ends: index `node * months + month`.
    pub blocked: Vec<MonthStat>,
}

impl Summary {
    /// The month-end time (days) of month index `m`.
    pub fn month_end(m: usize) -> f64 {
        (m + 1) as f64 * MONTH
    }
}

fn values(r: &NodeResult) -> [f64; NSTAT] {
    [
        r.in_system,
        r.in_service,
        r.waiting,
        r.blocked,
        r.wait,
        r.p_wait,
        r.throughput,
        r.completed as f64,
        r.entered as f64,
        r.rejected as f64,
        r.sojourn,
        r.blocked_time,
    ]
}

#[derive(Debug, Clone)]
struct Sums {
    n: u64,
    events: u64,
    s: Vec<[f64; NSTAT]>,
    ss: Vec<[f64; NSTAT]>,
}

impl Sums {
    fn new(nodes: usize) -> Sums {
        Sums {
            n: 0,
            events: 0,
            s: vec![[0.0; NSTAT]; nodes],
            ss: vec![[0.0; NSTAT]; nodes],
        }
    }

    fn add(&mut self, r: &Replication) {
        self.n += 1;
        self.events += r.events;
        for (i, nr) in r.nodes.iter().enumerate() {
            for (k, v) in values(nr).into_iter().enumerate() {
                self.s[i][k] += v;
                self.ss[i][k] += v * v;
            }
        }
    }

    fn merge(&mut self, o: &Sums) {
        self.n += o.n;
        self.events += o.events;
        for i in 0..self.s.len() {
            for k in 0..NSTAT {
                self.s[i][k] += o.s[i][k];
                self.ss[i][k] += o.ss[i][k];
            }
        }
    }
}

/// Month-end histograms, index `3 * (node * months + month) + k` (k: occupied, waiting,
/// blocked). Snapshots are first written to a flat buffer of up to [`BATCH`] replications and
/// added to the histograms per histogram when the buffer is full: adding them one by one, as
/// they come, touches thousands of histograms per replication and costs a cache miss each.
struct Hists {
    nodes: usize,
    months: usize,
    h: Vec<Histogram>,
    /// Snapshots of the buffered replications, `rep * h.len() + index`; `u32::MAX` = none.
    raw: Vec<u32>,
    /// Replications in `raw` (the one being recorded excluded).
    filled: usize,
}

/// Replications buffered before their snapshots are added to the histograms.
const BATCH: usize = 8;

impl Hists {
    fn new(nodes: usize, months: usize) -> Hists {
        let len = 3 * nodes * months;
        Hists {
            nodes,
            months,
            h: vec![Histogram::default(); len],
            raw: vec![u32::MAX; len * BATCH],
            filled: 0,
        }
    }

    /// The replication being recorded is complete.
    fn end_replication(&mut self) {
        self.filled += 1;
        if self.filled == BATCH {
            self.flush();
        }
    }

    /// Add the buffered snapshots to the histograms.
    fn flush(&mut self) {
        let len = self.h.len();
        for (i, h) in self.h.iter_mut().enumerate() {
            for r in 0..self.filled {
                let v = self.raw[r * len + i];
                if v != u32::MAX {
                    h.add(v);
                }
            }
        }
        self.raw[..self.filled * len].fill(u32::MAX);
        self.filled = 0;
    }
}

impl MonthSink for Hists {
    #[inline]
    fn record(&mut self, month: usize, node: usize, occupied: u32, waiting: u32, blocked: u32) {
        let base = self.filled * self.h.len() + 3 * (node * self.months + month);
        self.raw[base..base + 3].copy_from_slice(&[occupied, waiting, blocked]);
    }
}

struct Merge {
    next: u64,
    pending: BTreeMap<u64, Sums>,
    total: Sums,
}

/// Run `replications` replications of `model` on `threads` threads and aggregate them.
/// The result does not depend on `threads`.
pub fn run(model: &Model, replications: u64, threads: usize) -> Summary {
    let n = model.nodes.len();
    let months = model.months();
    let chunks = replications.div_ceil(CHUNK);
    let next = AtomicU64::new(0);
    let merge = Mutex::new(Merge {
        next: 0,
        pending: BTreeMap::new(),
        total: Sums::new(n),
    });
    let threads = threads.max(1).min(chunks.max(1) as usize);
    let worker = || {
        let mut sim = Sim::new(model);
        let mut hists = Hists::new(n, months);
        loop {
            let c = next.fetch_add(1, Ordering::Relaxed);
            if c >= chunks {
                break;
            }
            let mut sums = Sums::new(n);
            for rep in c * CHUNK..((c + 1) * CHUNK).min(replications) {
                sums.add(&sim.run(rep, &mut hists));
                hists.end_replication();
            }
            let mut m = merge.lock().expect("merge lock");
            m.pending.insert(c, sums);
            loop {
                let key = m.next;
                let Some(s) = m.pending.remove(&key) else {
                    break;
                };
                m.total.merge(&s);
                m.next += 1;
            }
        }
        hists.flush();
        hists
    };
    let parts: Vec<Hists> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("simulation thread"))
            .collect()
    });
    let mut hists = Hists {
        nodes: n,
        months,
        h: vec![Histogram::default(); 3 * n * months],
        raw: Vec::new(),
        filled: 0,
    };
    for p in &parts {
        for (a, b) in hists.h.iter_mut().zip(&p.h) {
            a.merge(b);
        }
    }
    let total = merge.into_inner().expect("merge lock").total;
    summarize(model, &total, &hists)
}

fn summarize(model: &Model, total: &Sums, hists: &Hists) -> Summary {
    let nodes = model
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let e = |k: usize| Estimate::from_sums(total.n, total.s[i][k], total.ss[i][k]);
            NodeSummary {
                id: node.id.clone(),
                in_system: e(0),
                in_service: e(1),
                waiting: e(2),
                blocked: e(3),
                wait: e(4),
                p_wait: e(5),
                throughput: e(6),
                completed: e(7),
                entered: e(8),
                rejected: e(9),
                sojourn: e(10),
                blocked_time: e(11),
            }
        })
        .collect();
    let stat = |h: &Histogram| {
        let (mean, std) = h.mean_std();
        MonthStat {
            mean,
            std,
            quantiles: QUANTILES.map(|q| h.quantile(q)),
        }
    };
    let months = hists.months;
    let mut occupied = Vec::with_capacity(hists.nodes * months);
    let mut waiting = Vec::with_capacity(hists.nodes * months);
    let mut blocked = Vec::with_capacity(hists.nodes * months);
    for chunk in hists.h.chunks(3) {
        occupied.push(stat(&chunk[0]));
        waiting.push(stat(&chunk[1]));
        blocked.push(stat(&chunk[2]));
    }
    Summary {
        replications: total.n,
        events: total.events,
        nodes,
        months,
        occupied,
        waiting,
        blocked,
    }
}

/// Run one replication with its month series.
pub fn run_replication(model: &Model, rep: u64) -> (Replication, Series) {
    let mut series = Series {
        nodes: model.nodes.len(),
        points: Vec::with_capacity(model.nodes.len() * model.months()),
    };
    let r = Sim::new(model).run(rep, &mut series);
    (r, series)
}
