//! The discrete-event engine: one replication of a [`Model`].
//!
//! State lives in preallocated arrays that are reused from one replication to the next:
//! per node counters and time integrals, per node and class a FIFO waiting list, per node the
//! FIFO list of people blocked elsewhere who wait for a place here, a slab of people, the
//! event heap (ends of stays and capacity changes) and, next to it, the next arrival time of
//! each arrival process. Handling an event allocates nothing (the lists only grow to their
//! high-water mark), so the time per event depends on the size of the system only through the
//! heap. Stays and gaps between arrivals are drawn by the ziggurat method (`Rng::exp_zig`,
//! `Rng::normal_zig`).
//!
//! Semantics (the same as Ciw's, type I blocking):
//! - an arrival that finds a free place starts service, otherwise joins the waiting list of
//!   its class (highest class first, FIFO within a class); if the list is full it is turned
//!   away;
//! - at the end of a stay the person draws the next node; if that node has a free place or
//!   room in its waiting list the person moves, otherwise the person **stays where they are,
//!   keeping their place** (blocked) until room frees up, first blocked first served;
//! - a freed place goes first to the head of the waiting list, then room goes to the blocked.
//!
//! Random streams (common random numbers): every external arrival process has its own stream,
//! and every person has their own stream (derived from the replication seed, the node of origin
//! and the arrival number) for all their stays and routing. Two scenarios that differ only in
//! capacity therefore see the same people arrive at the same times, with the same needs. A
//! person's gemeente of origin is drawn from a third stream of its own (only when the model
//! has several origins), so adding origins changes no arrival time and no stay.
//!
//! Two optional outputs cost nothing when unused (they are type parameters, checked by
//! constants): the **detail** of a [`MonthSink`] (per node and origin: places held, waiting,
//! waiting elsewhere for a place here; per node and month: starts from outside, departures,
//! direct moves) and a [`Trace`], which is told every step of every person — the forecast's
//! event emission ([`crate::emit`]) turns those steps into client events.

use std::collections::VecDeque;

use vangnet_domain::rng::Rng;

use crate::heap::{Entry, EventHeap};
use crate::model::{Initial, InitialState, MONTH, Model, Service, YEAR};
use crate::stats::{normal_cdf, normal_quantile};

const CAPACITY: u32 = 1 << 31;
const EXIT: u32 = u32::MAX;
const UNLIMITED: u32 = u32::MAX;

/// Receives the month-end snapshots of a replication (the time series for fan charts).
pub trait MonthSink {
    /// Whether [`MonthSink::record_detail`] is wanted (the engine then keeps the counters).
    const DETAIL: bool = false;

    /// Node `node` at the end of month `month` (0-based): places held (including people who are
    /// blocked), length of the waiting list, people blocked (waiting in place for the next step).
    fn record(&mut self, month: usize, node: usize, occupied: u32, waiting: u32, blocked: u32);

    /// The detail of node `node` in month `month` (only when [`MonthSink::DETAIL`]).
    fn record_detail(&mut self, _month: usize, _node: usize, _detail: &NodeMonth) {}
}

/// The detail of one node in one month: stocks at the month end per origin, flows in the month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeMonth {
    /// Per origin, at the month end: `[places held, on the waiting list, blocked elsewhere
    /// waiting for a place here]`.
    pub by_origin: Vec<[u32; 3]>,
    /// Stays started in the month by people who did not come directly from a place at another
    /// node (*instroom*).
    pub instroom: u32,
    /// Stays started in the month by people coming directly from a place at another
    /// (non-housing) node (*doorstroom* into this node).
    pub doorstroom_in: u32,
    /// Places left in the month other than by moving directly into a place at another
    /// non-housing node (*uitstroom*: out of the network, to housing, or onto another
    /// node's waiting list).
    pub uitstroom: u32,
    /// People entering the node in the month (external and routed), per origin.
    pub entered: Vec<u32>,
}

/// Told every step of every simulated person (see [`Step`]); the basis of event emission.
pub trait Trace {
    /// Whether the engine reports steps at all.
    const ON: bool = true;

    /// Person `person` (unique within the replication) took `step` at time `t` (days).
    fn step(&mut self, t: f64, person: u64, step: Step);
}

/// No trace (the fast path).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoTrace;

impl Trace for NoTrace {
    const ON: bool = false;
    fn step(&mut self, _: f64, _: u64, _: Step) {}
}

/// One step of a simulated person.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// Part of the starting state (at time 0), with its history in `state`.
    Initial {
        /// Node.
        node: usize,
        /// Priority class.
        class: u8,
        /// Origin.
        origin: u16,
        /// In service, waiting or blocked (and since when).
        state: crate::model::InitialState,
    },
    /// Arrived from outside at `node`; `started` when a place was free (else on the list).
    Arrive {
        /// Node.
        node: usize,
        /// Priority class.
        class: u8,
        /// Origin.
        origin: u16,
        /// Started at once.
        started: bool,
    },
    /// Started the stay at `node` after waiting on its list.
    Start {
        /// Node.
        node: usize,
    },
    /// Left the place at `from`: out of the network (`to` = `None`), or to node `to`, where
    /// the stay `started` at once or the person joined the waiting list.
    Leave {
        /// Node left.
        from: usize,
        /// Next node.
        to: Option<usize>,
        /// Started at once at `to`.
        started: bool,
    },
    /// The stay at `node` is over, but `to` has no room: the person stays, blocked.
    Blocked {
        /// Node where the person holds a place.
        node: usize,
        /// Node the person waits for.
        to: usize,
    },
}

/// A sink that ignores the time series.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoSeries;

impl MonthSink for NoSeries {
    fn record(&mut self, _: usize, _: usize, _: u32, _: u32, _: u32) {}
}

/// Month-end snapshots of one replication: `[month][node]` → (occupied, waiting, blocked).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Series {
    /// Number of nodes (row length).
    pub nodes: usize,
    /// Snapshots, month-major: index `month * nodes + node`.
    pub points: Vec<[u32; 3]>,
}

impl MonthSink for Series {
    fn record(&mut self, month: usize, node: usize, occupied: u32, waiting: u32, blocked: u32) {
        let i = month * self.nodes + node;
        if self.points.len() <= i {
            self.points.resize(i + 1, [0; 3]);
        }
        self.points[i] = [occupied, waiting, blocked];
    }
}

/// Results of one node in one replication (statistics over `[warmup, horizon]`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NodeResult {
    /// Time-average number of people at the node (in service, blocked or waiting).
    pub in_system: f64,
    /// Time-average number of places held (in service or blocked).
    pub in_service: f64,
    /// Time-average length of the waiting list.
    pub waiting: f64,
    /// Time-average number of people holding a place while waiting for the next step.
    pub blocked: f64,
    /// Mean wait (days) from arrival to the start of service, of those who arrived in the
    /// window and started (zero waits included).
    pub wait: f64,
    /// Share of arrivals in the window that had to wait (found no free place).
    pub p_wait: f64,
    /// Departures per year.
    pub throughput: f64,
    /// Departures in the window.
    pub completed: u64,
    /// Arrivals in the window (external and from other nodes).
    pub entered: u64,
    /// External arrivals turned away because the node and its waiting list were full.
    pub rejected: u64,
    /// Mean time at the node (days), of those who arrived in the window and left.
    pub sojourn: f64,
    /// Mean time spent blocked (days), of those who left after being blocked.
    pub blocked_time: f64,
}

/// Results of one replication.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replication {
    /// Per node, in model order.
    pub nodes: Vec<NodeResult>,
    /// Events handled (arrivals, ends of stays, capacity changes).
    pub events: u64,
    /// Mean wait (days) per node and priority class, index `node * classes + class` (as
    /// [`NodeResult::wait`], per class).
    pub class_wait: Vec<f64>,
}

#[derive(Debug, Clone, Copy)]
enum Draw {
    Exp(f64),
    LogNormal { mu: f64, sigma: f64 },
    Det(f64),
    Emp(u32),
}

#[derive(Debug)]
struct ArrivalRt {
    node: usize,
    homogeneous: bool,
    /// Mean time between candidate arrivals: `1 / max_rate`.
    gap: f64,
    class_cum: Vec<f64>,
    /// Per month of the horizon: a lower and an upper bound of the rate (thinning against the
    /// monthly upper bound; the lower bound accepts most candidates without evaluating the rate).
    envelope: Vec<(f64, f64)>,
}

/// Monthly lower and upper bounds of a varying arrival rate.
fn envelope(a: &crate::model::Arrivals, horizon: f64) -> Vec<(f64, f64)> {
    const STEPS: usize = 16;
    let months = (horizon / MONTH).ceil() as usize + 1;
    let step = MONTH / STEPS as f64;
    // The rate changes by at most this much between two sample points.
    let slope = a.max_rate_per_day(horizon)
        * (a.seasonal.abs() * std::f64::consts::TAU / YEAR + a.trend.abs() / YEAR);
    let pad = slope * step * 1.01;
    (0..months)
        .map(|m| {
            let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
            for k in 0..=STEPS {
                let r = a.rate_per_day(m as f64 * MONTH + k as f64 * step);
                lo = lo.min(r);
                hi = hi.max(r);
            }
            ((lo - pad).max(0.0), hi + pad)
        })
        .collect()
}

#[derive(Debug, Clone, Default)]
struct NodeState {
    servers: u32,
    busy: u32,
    qcap: u32,
    qlen: u32,
    blocked: u32,
    last: f64,
    area_busy: f64,
    area_q: f64,
    area_blocked: f64,
    entered: u64,
    rejected: u64,
    queued: u64,
    starts: u64,
    departures: u64,
    sojourn_n: u64,
    blocked_n: u64,
    sum_wait: f64,
    sum_sojourn: f64,
    sum_blocked: f64,
}

#[derive(Debug, Clone)]
struct Person {
    rng: Rng,
    t_arrive: f64,
    t_block: f64,
    node: u32,
    class: u8,
    origin: u16,
    label: u64,
}

/// Salt of the origin streams (see the module documentation).
const ORIGIN_SALT: u64 = 0x6f72_6967_696e_0001;

/// The detail counters (only kept when the sink wants them or a trace is on).
#[derive(Debug, Default)]
struct Detail {
    origins: usize,
    /// Per node and origin: held, waiting, blocked towards.
    stock: Vec<[u32; 3]>,
    /// Per node in the current month: starts, direct moves in, departures, direct moves out.
    flow: Vec<[u32; 4]>,
    /// Per node and origin in the current month: entered.
    entered: Vec<u32>,
    month: NodeMonth,
}

/// A reusable simulator for one model; `run` performs one replication.
#[derive(Debug)]
pub struct Sim<'m> {
    model: &'m Model,
    draws: Vec<Draw>,
    tables: &'m [crate::model::StayTable],
    route_lo: Vec<u32>,
    routes: Vec<(u32, f64)>,
    arrivals: Vec<ArrivalRt>,
    classes: usize,
    warmup: f64,
    heap: EventHeap,
    nodes: Vec<NodeState>,
    queues: Vec<VecDeque<u32>>,
    blocked: Vec<VecDeque<u32>>,
    persons: Vec<Person>,
    free: Vec<u32>,
    stack: Vec<u32>,
    arr_rng: Vec<Rng>,
    arr_count: Vec<u64>,
    /// Per arrival process: the time of its next arrival (infinite when past the horizon).
    /// Arrivals are kept out of the heap: an arrival then costs no heap operation of its own.
    arr_next: Vec<f64>,
    /// The earliest of `arr_next` and its process.
    next_arrival: (f64, usize),
    class_wait: Vec<(u64, f64)>,
    rep_seed: u64,
    top_taken: bool,
    /// Per node: maximum stay (infinite when none).
    max_stay: Vec<f64>,
    /// Per node: a housing node.
    housing: Vec<bool>,
    /// Per arrival process: cumulative origin shares (empty: origin 0).
    origin_cum: Vec<Vec<f64>>,
    month_ends: Vec<f64>,
    track: bool,
    detail: Detail,
}

impl<'m> Sim<'m> {
    /// A simulator for `model` (validated by the scenario parser or built in code).
    pub fn new(model: &'m Model) -> Sim<'m> {
        let n = model.nodes.len();
        let mut draws = Vec::with_capacity(n);
        let mut route_lo = vec![0u32];
        let mut routes = Vec::new();
        let mut arrivals = Vec::new();
        for (i, node) in model.nodes.iter().enumerate() {
            draws.push(match node.service {
                Service::Exponential { mean } => Draw::Exp(mean),
                Service::LogNormal { mean, cv } => {
                    let s2 = (1.0 + cv * cv).ln();
                    Draw::LogNormal {
                        mu: mean.ln() - s2 / 2.0,
                        sigma: s2.sqrt(),
                    }
                }
                Service::Deterministic { days } => Draw::Det(days),
                Service::Empirical { table, .. } => Draw::Emp(table),
            });
            let mut cum = 0.0;
            for &(to, p) in &node.routes {
                cum += p;
                routes.push((to as u32, cum));
            }
            route_lo.push(routes.len() as u32);
            if let Some(a) = &node.arrivals
                && a.per_year > 0.0
            {
                let mut c = 0.0;
                let class_cum = a
                    .class_shares
                    .iter()
                    .map(|s| {
                        c += s;
                        c
                    })
                    .collect();
                let homogeneous = a.trend == 0.0 && a.seasonal == 0.0;
                arrivals.push(ArrivalRt {
                    node: i,
                    homogeneous,
                    gap: 1.0 / a.max_rate_per_day(model.horizon),
                    class_cum,
                    envelope: if homogeneous {
                        Vec::new()
                    } else {
                        envelope(a, model.horizon)
                    },
                });
            }
        }
        let origin_cum = arrivals
            .iter()
            .map(|a| {
                let shares = &model.nodes[a.node]
                    .arrivals
                    .as_ref()
                    .expect("arrivals")
                    .origin_shares;
                let mut c = 0.0;
                shares
                    .iter()
                    .map(|s| {
                        c += s;
                        c
                    })
                    .collect()
            })
            .collect();
        let classes = model.classes();
        let places: usize = model.nodes.iter().map(|n| n.servers as usize).sum();
        let mut heap = EventHeap::default();
        heap.reserve(places + arrivals.len() + model.capacity_changes.len() + 16);
        Sim {
            model,
            draws,
            tables: &model.tables,
            route_lo,
            routes,
            arr_rng: (0..arrivals.len()).map(|_| Rng::new(0)).collect(),
            arr_count: vec![0; arrivals.len()],
            arr_next: vec![f64::INFINITY; arrivals.len()],
            next_arrival: (f64::INFINITY, 0),
            class_wait: vec![(0, 0.0); n * classes],
            arrivals,
            classes,
            warmup: model.warmup,
            heap,
            nodes: vec![NodeState::default(); n],
            queues: vec![VecDeque::new(); n * classes],
            blocked: vec![VecDeque::new(); n],
            persons: Vec::with_capacity(places * 2),
            free: Vec::new(),
            stack: Vec::new(),
            rep_seed: 0,
            top_taken: false,
            max_stay: model
                .nodes
                .iter()
                .map(|n| n.max_stay.unwrap_or(f64::INFINITY))
                .collect(),
            housing: model
                .nodes
                .iter()
                .map(|n| n.homes_per_year.is_some())
                .collect(),
            origin_cum,
            month_ends: model.month_ends(),
            track: false,
            detail: Detail::default(),
        }
    }

    /// Run replication `rep` (seeded by `Rng::derive(model.seed, rep)`), sending month-end
    /// snapshots to `sink`.
    pub fn run<S: MonthSink>(&mut self, rep: u64, sink: &mut S) -> Replication {
        self.run_traced(rep, sink, &mut NoTrace)
    }

    /// [`Sim::run`], telling `trace` every step of every person.
    pub fn run_traced<S: MonthSink, T: Trace>(
        &mut self,
        rep: u64,
        sink: &mut S,
        trace: &mut T,
    ) -> Replication {
        self.track = S::DETAIL || T::ON;
        if self.track {
            let n = self.nodes.len();
            let o = self.model.origin_count();
            self.detail = Detail {
                origins: o,
                stock: vec![[0; 3]; n * o],
                flow: vec![[0; 4]; n],
                entered: vec![0; n * o],
                month: NodeMonth {
                    by_origin: vec![[0; 3]; o],
                    entered: vec![0; o],
                    ..NodeMonth::default()
                },
            };
        }
        self.reset(rep, trace);
        let horizon = self.model.horizon;
        let months = self.month_ends.len();
        let mut month = 0usize;
        let mut next_month = self.month_ends.first().copied().unwrap_or(f64::INFINITY);
        let mut events = 0u64;
        loop {
            let top = self.heap.peek();
            let (ta, k) = self.next_arrival;
            // The earlier of the next arrival and the top of the heap (the heap first on a tie).
            let t = top.map_or(f64::INFINITY, Entry::time);
            let arrival = ta < t;
            let t = if arrival { ta } else { t };
            if t > horizon {
                break;
            }
            while month < months && next_month <= t {
                self.snapshot(month, sink);
                month += 1;
                next_month = self.month_ends.get(month).copied().unwrap_or(f64::INFINITY);
            }
            events += 1;
            if arrival {
                // The top of the heap stays: follow-ups are pushed.
                self.top_taken = true;
                self.arrival(k, t, trace);
                continue;
            }
            let Some(top) = top else { break };
            self.top_taken = false;
            let item = top.item;
            if item < CAPACITY {
                self.end_of_stay(item, t, trace);
            } else {
                let c = self.model.capacity_changes[(item - CAPACITY) as usize];
                self.touch(c.node, t);
                self.nodes[c.node].servers = c.servers;
                self.fill(c.node, t, trace);
                self.drain(t, trace);
            }
            if !self.top_taken {
                self.heap.pop();
            }
        }
        while month < months {
            self.snapshot(month, sink);
            month += 1;
        }
        self.track = false;
        self.finish(events)
    }

    fn reset<T: Trace>(&mut self, rep: u64, trace: &mut T) {
        let model = self.model;
        self.rep_seed = Rng::derive(model.seed, rep).next_u64();
        self.heap.clear();
        self.persons.clear();
        self.free.clear();
        self.class_wait.fill((0, 0.0));
        for q in self.queues.iter_mut().chain(self.blocked.iter_mut()) {
            q.clear();
        }
        for (s, n) in self.nodes.iter_mut().zip(&model.nodes) {
            *s = NodeState {
                servers: n.servers,
                qcap: n.queue_capacity.unwrap_or(UNLIMITED),
                ..NodeState::default()
            };
        }
        for (k, a) in self.arrivals.iter().enumerate() {
            self.arr_rng[k] = Rng::derive(self.rep_seed, (1 << 62) | a.node as u64);
            self.arr_count[k] = 0;
        }
        self.arr_next.fill(f64::INFINITY);
        // No heap entry is being processed during the reset: everything scheduled now must be
        // pushed, not put in place of the top (which `schedule` does when `top_taken` is
        // false). Without this, the previous replication's last value leaked into the next
        // one and results depended on which replications shared an engine (thread count).
        self.top_taken = true;
        for k in 0..self.arrivals.len() {
            self.schedule_arrival(k, 0.0);
        }
        for (i, c) in model.capacity_changes.iter().enumerate() {
            self.heap.push(Entry::new(c.at, CAPACITY + i as u32));
        }
        self.place_initial(trace);
    }

    fn place_initial<T: Trace>(&mut self, trace: &mut T) {
        let model = self.model;
        if model.initial.is_empty() {
            return;
        }
        let mut label = 1u64 << 63;
        // Waiting people are queued longest-waiting first.
        let mut groups: Vec<&Initial> = model.initial.iter().collect();
        groups.sort_by(|a, b| {
            let key = |g: &Initial| match g.state {
                InitialState::InService { .. } | InitialState::Blocked { .. } => f64::INFINITY,
                InitialState::Waiting { since } => since,
            };
            key(b).total_cmp(&key(a))
        });
        for g in groups {
            for _ in 0..g.count {
                label += 1;
                let p = self.new_person(label, g.node, g.class, g.origin);
                if T::ON {
                    trace.step(
                        0.0,
                        label,
                        Step::Initial {
                            node: g.node,
                            class: g.class,
                            origin: g.origin,
                            state: g.state,
                        },
                    );
                }
                let s = &mut self.nodes[g.node];
                match g.state {
                    InitialState::InService { elapsed } => {
                        s.busy += 1;
                        let person = &mut self.persons[p as usize];
                        // Before the window, even at elapsed 0: not an arrival of the window.
                        person.t_arrive = -elapsed.max(1e-9);
                        let rest =
                            residual(self.draws[g.node], elapsed, &mut person.rng, self.tables)
                                .min((self.max_stay[g.node] - elapsed).max(0.0));
                        self.heap.push(Entry::new(rest, p));
                        self.count(g.node, g.origin, 0, 1);
                    }
                    InitialState::Waiting { since } => {
                        s.qlen += 1;
                        self.persons[p as usize].t_arrive = -since.max(1e-9);
                        self.queues[g.node * self.classes + usize::from(g.class)].push_back(p);
                        self.count(g.node, g.origin, 1, 1);
                    }
                    InitialState::Blocked { elapsed, to } => {
                        s.busy += 1;
                        s.blocked += 1;
                        let person = &mut self.persons[p as usize];
                        person.t_arrive = -elapsed.max(1e-9);
                        person.t_block = 0.0;
                        self.blocked[to].push_back(p);
                        self.count(g.node, g.origin, 0, 1);
                        self.count(to, g.origin, 2, 1);
                    }
                }
            }
        }
        for i in 0..self.nodes.len() {
            self.fill(i, 0.0, trace);
        }
        self.drain(0.0, trace);
    }

    /// Detail: add `d` to stock `k` (held, waiting, towards) of `node` for `origin`.
    #[inline]
    fn count(&mut self, node: usize, origin: u16, k: usize, d: i32) {
        if self.track {
            let c = &mut self.detail.stock[node * self.detail.origins + usize::from(origin)][k];
            *c = c.wrapping_add_signed(d);
        }
    }

    /// Detail: add one to flow `k` (starts, direct in, departures, direct out) of `node`.
    #[inline]
    fn flow(&mut self, node: usize, k: usize) {
        if self.track {
            self.detail.flow[node][k] += 1;
        }
    }

    fn new_person(&mut self, label: u64, node: usize, class: u8, origin: u16) -> u32 {
        let person = Person {
            rng: Rng::derive(self.rep_seed, label),
            t_arrive: 0.0,
            t_block: -1.0,
            node: node as u32,
            class,
            origin,
            label,
        };
        if let Some(p) = self.free.pop() {
            self.persons[p as usize] = person;
            p
        } else {
            self.persons.push(person);
            (self.persons.len() - 1) as u32
        }
    }

    #[inline]
    fn schedule(&mut self, t: f64, item: u32) {
        let e = Entry::new(t, item);
        if self.top_taken {
            self.heap.push(e);
        } else {
            self.top_taken = true;
            self.heap.replace_top(e);
        }
    }

    /// Schedule the next arrival of process `k` after time `t` (by thinning if the rate varies).
    fn schedule_arrival(&mut self, k: usize, t: f64) {
        let a = &self.arrivals[k];
        let rng = &mut self.arr_rng[k];
        let horizon = self.model.horizon;
        let mut t = t;
        if a.homogeneous {
            t += rng.exp_zig(a.gap);
        } else {
            // Thinning against the piecewise-constant monthly upper bound (memorylessness lets
            // a candidate that crosses a month end restart there with the next bound).
            let spec = self.model.nodes[a.node]
                .arrivals
                .as_ref()
                .expect("arrivals");
            loop {
                let m = ((t / MONTH) as usize).min(a.envelope.len() - 1);
                let (lo, hi) = a.envelope[m];
                let end = (m + 1) as f64 * MONTH;
                if hi <= 0.0 {
                    t = end;
                } else {
                    let cand = t + rng.exp_zig(1.0 / hi);
                    if cand >= end && m + 1 < a.envelope.len() {
                        t = end;
                    } else {
                        t = cand;
                        let u = rng.f64() * hi;
                        if t > horizon || u < lo || u < spec.rate_per_day(t) {
                            break;
                        }
                    }
                }
                if t > horizon {
                    break;
                }
            }
        }
        self.arr_next[k] = if t <= horizon { t } else { f64::INFINITY };
        let mut next = (f64::INFINITY, 0);
        for (j, &tj) in self.arr_next.iter().enumerate() {
            if tj < next.0 {
                next = (tj, j);
            }
        }
        self.next_arrival = next;
    }

    fn arrival<T: Trace>(&mut self, k: usize, t: f64, trace: &mut T) {
        let node = self.arrivals[k].node;
        let class = {
            let cum = &self.arrivals[k].class_cum;
            if cum.len() == 1 {
                0
            } else {
                let u = self.arr_rng[k].f64() * cum[cum.len() - 1];
                cum.iter().position(|c| u < *c).unwrap_or(cum.len() - 1) as u8
            }
        };
        self.arr_count[k] += 1;
        self.schedule_arrival(k, t);
        if self.can_enter(node) {
            let label = ((node as u64 + 1) << 40) | self.arr_count[k];
            let cum = &self.origin_cum[k];
            let origin = if cum.len() > 1 {
                let u = Rng::derive(self.rep_seed ^ ORIGIN_SALT, label).f64() * cum[cum.len() - 1];
                cum.iter().position(|c| u < *c).unwrap_or(cum.len() - 1) as u16
            } else {
                0
            };
            let p = self.new_person(label, node, class, origin);
            let started = self.enter(p, node, t);
            if T::ON {
                trace.step(
                    t,
                    label,
                    Step::Arrive {
                        node,
                        class,
                        origin,
                        started,
                    },
                );
            }
        } else if t >= self.warmup {
            self.nodes[node].rejected += 1;
        }
    }

    #[inline]
    fn can_enter(&self, node: usize) -> bool {
        let s = &self.nodes[node];
        s.busy < s.servers || s.qlen < s.qcap
    }

    /// Bring the time integrals of `node` up to `t`.
    #[inline]
    fn touch(&mut self, node: usize, t: f64) {
        let w = self.warmup;
        let s = &mut self.nodes[node];
        let from = if s.last > w { s.last } else { w };
        if t > from {
            let dt = t - from;
            s.area_busy += f64::from(s.busy) * dt;
            s.area_q += f64::from(s.qlen) * dt;
            s.area_blocked += f64::from(s.blocked) * dt;
        }
        s.last = t;
    }

    /// `p` enters `node`: starts at once (true) or joins the waiting list (false).
    fn enter(&mut self, p: u32, node: usize, t: f64) -> bool {
        self.touch(node, t);
        let person = &mut self.persons[p as usize];
        person.node = node as u32;
        person.t_arrive = t;
        person.t_block = -1.0;
        let class = usize::from(person.class);
        let origin = person.origin;
        if self.track {
            self.detail.entered[node * self.detail.origins + usize::from(origin)] += 1;
        }
        let s = &mut self.nodes[node];
        if t >= self.warmup {
            s.entered += 1;
        }
        if s.busy < s.servers {
            self.start(p, node, t);
            true
        } else {
            s.qlen += 1;
            if t >= self.warmup {
                s.queued += 1;
            }
            self.queues[node * self.classes + class].push_back(p);
            self.count(node, origin, 1, 1);
            false
        }
    }

    /// Start the stay of `p` at `node` (the caller has touched the node).
    #[inline]
    fn start(&mut self, p: u32, node: usize, t: f64) {
        let person = &mut self.persons[p as usize];
        let s = &mut self.nodes[node];
        s.busy += 1;
        if person.t_arrive >= self.warmup {
            s.starts += 1;
            s.sum_wait += t - person.t_arrive;
            let cw = &mut self.class_wait[node * self.classes + usize::from(person.class)];
            cw.0 += 1;
            cw.1 += t - person.t_arrive;
        }
        let d = sample(self.draws[node], &mut person.rng, self.tables).min(self.max_stay[node]);
        let origin = person.origin;
        self.schedule(t + d, p);
        self.count(node, origin, 0, 1);
        self.flow(node, 0);
    }

    /// `p` leaves `node` (statistics only; the place is released by the caller).
    fn leave(&mut self, p: u32, node: usize, t: f64) {
        self.touch(node, t);
        let origin = self.persons[p as usize].origin;
        self.count(node, origin, 0, -1);
        self.flow(node, 2);
        let person = &self.persons[p as usize];
        let was_blocked = person.t_block >= 0.0;
        let s = &mut self.nodes[node];
        if t >= self.warmup {
            s.departures += 1;
        }
        if person.t_arrive >= self.warmup {
            s.sojourn_n += 1;
            s.sum_sojourn += t - person.t_arrive;
        }
        if was_blocked {
            s.blocked -= 1;
            if person.t_block >= self.warmup {
                s.blocked_n += 1;
                s.sum_blocked += t - person.t_block;
            }
        }
    }

    fn end_of_stay<T: Trace>(&mut self, p: u32, t: f64, trace: &mut T) {
        let node = self.persons[p as usize].node as usize;
        let next = self.route(p, node);
        if next == EXIT {
            self.leave(p, node, t);
            if T::ON {
                let label = self.persons[p as usize].label;
                trace.step(
                    t,
                    label,
                    Step::Leave {
                        from: node,
                        to: None,
                        started: false,
                    },
                );
            }
            self.free.push(p);
            self.release(node, t, trace);
        } else if self.can_enter(next as usize) {
            self.move_on(p, node, next as usize, t, trace);
            self.release(node, t, trace);
        } else {
            self.touch(node, t);
            self.nodes[node].blocked += 1;
            let person = &mut self.persons[p as usize];
            person.t_block = t;
            let (label, origin) = (person.label, person.origin);
            self.blocked[next as usize].push_back(p);
            self.count(next as usize, origin, 2, 1);
            if T::ON {
                trace.step(
                    t,
                    label,
                    Step::Blocked {
                        node,
                        to: next as usize,
                    },
                );
            }
        }
    }

    /// `p` leaves its place at `from` for `to` (which has room); the place is not yet released.
    fn move_on<T: Trace>(&mut self, p: u32, from: usize, to: usize, t: f64, trace: &mut T) {
        self.leave(p, from, t);
        let started = self.enter(p, to, t);
        if started && !self.housing[to] {
            self.flow(to, 1);
            self.flow(from, 3);
        }
        if T::ON {
            let label = self.persons[p as usize].label;
            trace.step(
                t,
                label,
                Step::Leave {
                    from,
                    to: Some(to),
                    started,
                },
            );
        }
    }

    #[inline]
    fn route(&mut self, p: u32, node: usize) -> u32 {
        let (lo, hi) = (
            self.route_lo[node] as usize,
            self.route_lo[node + 1] as usize,
        );
        if lo == hi {
            return EXIT;
        }
        let u = self.persons[p as usize].rng.f64();
        self.routes[lo..hi]
            .iter()
            .find(|r| u < r.1)
            .map_or(EXIT, |r| r.0)
    }

    /// A place at `node` was released: hand it on, and follow the chain of blocked people.
    fn release<T: Trace>(&mut self, node: usize, t: f64, trace: &mut T) {
        self.stack.push(node as u32);
        self.drain(t, trace);
    }

    fn drain<T: Trace>(&mut self, t: f64, trace: &mut T) {
        while let Some(k) = self.stack.pop() {
            let k = k as usize;
            self.touch(k, t);
            self.nodes[k].busy -= 1;
            self.fill(k, t, trace);
        }
    }

    /// Give free places of `node` to its waiting list, then room to people blocked elsewhere.
    /// Nodes whose place is freed by a blocked person moving on are pushed on the stack.
    fn fill<T: Trace>(&mut self, node: usize, t: f64, trace: &mut T) {
        loop {
            while self.nodes[node].busy < self.nodes[node].servers && self.nodes[node].qlen > 0 {
                let base = node * self.classes;
                let p = (0..self.classes)
                    .find_map(|c| self.queues[base + c].pop_front())
                    .expect("qlen > 0 means someone is waiting");
                self.touch(node, t);
                self.nodes[node].qlen -= 1;
                let origin = self.persons[p as usize].origin;
                self.count(node, origin, 1, -1);
                self.start(p, node, t);
                if T::ON {
                    trace.step(t, self.persons[p as usize].label, Step::Start { node });
                }
            }
            if self.can_enter(node)
                && let Some(q) = self.blocked[node].pop_front()
            {
                let from = self.persons[q as usize].node as usize;
                let origin = self.persons[q as usize].origin;
                self.count(node, origin, 2, -1);
                self.move_on(q, from, node, t, trace);
                self.stack.push(from as u32);
                continue;
            }
            break;
        }
    }

    fn snapshot<S: MonthSink>(&mut self, month: usize, sink: &mut S) {
        for (i, s) in self.nodes.iter().enumerate() {
            sink.record(month, i, s.busy, s.qlen, s.blocked);
        }
        if S::DETAIL {
            let o = self.detail.origins;
            for i in 0..self.nodes.len() {
                let d = &mut self.detail;
                d.month
                    .by_origin
                    .copy_from_slice(&d.stock[i * o..(i + 1) * o]);
                d.month
                    .entered
                    .copy_from_slice(&d.entered[i * o..(i + 1) * o]);
                d.entered[i * o..(i + 1) * o].fill(0);
                let [starts, direct_in, departures, direct_out] = d.flow[i];
                d.flow[i] = [0; 4];
                d.month.instroom = starts - direct_in;
                d.month.doorstroom_in = direct_in;
                d.month.uitstroom = departures - direct_out;
                sink.record_detail(month, i, &d.month);
            }
        }
    }

    fn finish(&mut self, events: u64) -> Replication {
        let horizon = self.model.horizon;
        for i in 0..self.nodes.len() {
            self.touch(i, horizon);
        }
        let span = horizon - self.warmup;
        let nodes = self
            .nodes
            .iter()
            .map(|s| {
                let ratio = |a: f64, n: u64| if n == 0 { 0.0 } else { a / n as f64 };
                NodeResult {
                    in_system: (s.area_busy + s.area_q) / span,
                    in_service: s.area_busy / span,
                    waiting: s.area_q / span,
                    blocked: s.area_blocked / span,
                    wait: ratio(s.sum_wait, s.starts),
                    p_wait: ratio(s.queued as f64, s.entered),
                    throughput: s.departures as f64 / span * YEAR,
                    completed: s.departures,
                    entered: s.entered,
                    rejected: s.rejected,
                    sojourn: ratio(s.sum_sojourn, s.sojourn_n),
                    blocked_time: ratio(s.sum_blocked, s.blocked_n),
                }
            })
            .collect();
        let class_wait = self
            .class_wait
            .iter()
            .map(|&(n, w)| if n == 0 { 0.0 } else { w / n as f64 })
            .collect();
        Replication {
            nodes,
            events,
            class_wait,
        }
    }
}

/// A length of stay. Exponential and normal draws use the ziggurat method (no logarithm in
/// about 99 % of draws).
#[inline]
fn sample(d: Draw, rng: &mut Rng, tables: &[crate::model::StayTable]) -> f64 {
    match d {
        Draw::Exp(mean) => rng.exp_zig(mean),
        Draw::LogNormal { mu, sigma } => (mu + sigma * rng.normal_zig()).exp(),
        Draw::Det(days) => days,
        Draw::Emp(t) => tables[t as usize].quantile(rng.f64()),
    }
}

/// The remaining stay of someone who has stayed `elapsed` days already.
fn residual(d: Draw, elapsed: f64, rng: &mut Rng, tables: &[crate::model::StayTable]) -> f64 {
    match d {
        Draw::Exp(mean) => rng.exp_zig(mean),
        Draw::Det(days) => (days - elapsed).max(0.0),
        Draw::Emp(t) => {
            let tab = &tables[t as usize];
            // Conditional on lasting `elapsed`: a uniform above F(elapsed).
            let f = tab.cdf(elapsed).min(1.0 - 1e-12);
            let u = f + (1.0 - f) * rng.f64();
            (tab.quantile(u.min(1.0 - 1e-15)) - elapsed).max(0.0)
        }
        Draw::LogNormal { mu, sigma } => {
            if elapsed <= 0.0 {
                return sample(d, rng, tables);
            }
            let f = normal_cdf((elapsed.ln() - mu) / sigma);
            let u = (f + (1.0 - f) * rng.f64()).clamp(1e-300, 1.0 - 1e-16);
            ((mu + sigma * normal_quantile(u)).exp() - elapsed).max(0.0)
        }
    }
}
