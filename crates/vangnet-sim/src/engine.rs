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
//! capacity therefore see the same people arrive at the same times, with the same needs.

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
    /// Node `node` at the end of month `month` (0-based): places held (including people who are
    /// blocked), length of the waiting list, people blocked (waiting in place for the next step).
    fn record(&mut self, month: usize, node: usize, occupied: u32, waiting: u32, blocked: u32);
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
}

/// A reusable simulator for one model; `run` performs one replication.
#[derive(Debug)]
pub struct Sim<'m> {
    model: &'m Model,
    draws: Vec<Draw>,
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
        let classes = model.classes();
        let places: usize = model.nodes.iter().map(|n| n.servers as usize).sum();
        let mut heap = EventHeap::default();
        heap.reserve(places + arrivals.len() + model.capacity_changes.len() + 16);
        Sim {
            model,
            draws,
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
        }
    }

    /// Run replication `rep` (seeded by `Rng::derive(model.seed, rep)`), sending month-end
    /// snapshots to `sink`.
    pub fn run<S: MonthSink>(&mut self, rep: u64, sink: &mut S) -> Replication {
        self.reset(rep);
        let horizon = self.model.horizon;
        let months = self.model.months();
        let mut month = 0usize;
        let mut next_month = MONTH;
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
                next_month = (month + 1) as f64 * MONTH;
            }
            events += 1;
            if arrival {
                // The top of the heap stays: follow-ups are pushed.
                self.top_taken = true;
                self.arrival(k, t);
                continue;
            }
            let Some(top) = top else { break };
            self.top_taken = false;
            let item = top.item;
            if item < CAPACITY {
                self.end_of_stay(item, t);
            } else {
                let c = self.model.capacity_changes[(item - CAPACITY) as usize];
                self.touch(c.node, t);
                self.nodes[c.node].servers = c.servers;
                self.fill(c.node, t);
                self.drain(t);
            }
            if !self.top_taken {
                self.heap.pop();
            }
        }
        while month < months {
            self.snapshot(month, sink);
            month += 1;
        }
        self.finish(events)
    }

    fn reset(&mut self, rep: u64) {
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
        self.place_initial();
    }

    fn place_initial(&mut self) {
        let model = self.model;
        if model.initial.is_empty() {
            return;
        }
        let mut label = 1u64 << 63;
        // Waiting people are queued longest-waiting first.
        let mut groups: Vec<&Initial> = model.initial.iter().collect();
        groups.sort_by(|a, b| {
            let key = |g: &Initial| match g.state {
                InitialState::InService { .. } => f64::INFINITY,
                InitialState::Waiting { since } => since,
            };
            key(b).total_cmp(&key(a))
        });
        for g in groups {
            for _ in 0..g.count {
                label += 1;
                let p = self.new_person(label, g.node, g.class);
                let s = &mut self.nodes[g.node];
                match g.state {
                    InitialState::InService { elapsed } => {
                        s.busy += 1;
                        let person = &mut self.persons[p as usize];
                        // Before the window, even at elapsed 0: not an arrival of the window.
                        person.t_arrive = -elapsed.max(1e-9);
                        let rest = residual(self.draws[g.node], elapsed, &mut person.rng);
                        self.heap.push(Entry::new(rest, p));
                    }
                    InitialState::Waiting { since } => {
                        s.qlen += 1;
                        self.persons[p as usize].t_arrive = -since.max(1e-9);
                        self.queues[g.node * self.classes + usize::from(g.class)].push_back(p);
                    }
                }
            }
        }
        for i in 0..self.nodes.len() {
            self.fill(i, 0.0);
        }
        self.drain(0.0);
    }

    fn new_person(&mut self, label: u64, node: usize, class: u8) -> u32 {
        let person = Person {
            rng: Rng::derive(self.rep_seed, label),
            t_arrive: 0.0,
            t_block: -1.0,
            node: node as u32,
            class,
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

    fn arrival(&mut self, k: usize, t: f64) {
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
            let p = self.new_person(label, node, class);
            self.enter(p, node, t);
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

    fn enter(&mut self, p: u32, node: usize, t: f64) {
        self.touch(node, t);
        let person = &mut self.persons[p as usize];
        person.node = node as u32;
        person.t_arrive = t;
        person.t_block = -1.0;
        let class = usize::from(person.class);
        let s = &mut self.nodes[node];
        if t >= self.warmup {
            s.entered += 1;
        }
        if s.busy < s.servers {
            self.start(p, node, t);
        } else {
            s.qlen += 1;
            if t >= self.warmup {
                s.queued += 1;
            }
            self.queues[node * self.classes + class].push_back(p);
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
        let d = sample(self.draws[node], &mut person.rng);
        self.schedule(t + d, p);
    }

    /// `p` leaves `node` (statistics only; the place is released by the caller).
    fn leave(&mut self, p: u32, node: usize, t: f64) {
        self.touch(node, t);
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

    fn end_of_stay(&mut self, p: u32, t: f64) {
        let node = self.persons[p as usize].node as usize;
        let next = self.route(p, node);
        if next == EXIT {
            self.leave(p, node, t);
            self.free.push(p);
            self.release(node, t);
        } else if self.can_enter(next as usize) {
            self.leave(p, node, t);
            self.enter(p, next as usize, t);
            self.release(node, t);
        } else {
            self.touch(node, t);
            self.nodes[node].blocked += 1;
            self.persons[p as usize].t_block = t;
            self.blocked[next as usize].push_back(p);
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
    fn release(&mut self, node: usize, t: f64) {
        self.stack.push(node as u32);
        self.drain(t);
    }

    fn drain(&mut self, t: f64) {
        while let Some(k) = self.stack.pop() {
            let k = k as usize;
            self.touch(k, t);
            self.nodes[k].busy -= 1;
            self.fill(k, t);
        }
    }

    /// Give free places of `node` to its waiting list, then room to people blocked elsewhere.
    /// Nodes whose place is freed by a blocked person moving on are pushed on the stack.
    fn fill(&mut self, node: usize, t: f64) {
        loop {
            while self.nodes[node].busy < self.nodes[node].servers && self.nodes[node].qlen > 0 {
                let base = node * self.classes;
                let p = (0..self.classes)
                    .find_map(|c| self.queues[base + c].pop_front())
                    .expect("qlen > 0 means someone is waiting");
                self.touch(node, t);
                self.nodes[node].qlen -= 1;
                self.start(p, node, t);
            }
            if self.can_enter(node)
                && let Some(q) = self.blocked[node].pop_front()
            {
                let from = self.persons[q as usize].node as usize;
                self.leave(q, from, t);
                self.enter(q, node, t);
                self.stack.push(from as u32);
                continue;
            }
            break;
        }
    }

    fn snapshot<S: MonthSink>(&self, month: usize, sink: &mut S) {
        for (i, s) in self.nodes.iter().enumerate() {
            sink.record(month, i, s.busy, s.qlen, s.blocked);
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
fn sample(d: Draw, rng: &mut Rng) -> f64 {
    match d {
        Draw::Exp(mean) => rng.exp_zig(mean),
        Draw::LogNormal { mu, sigma } => (mu + sigma * rng.normal_zig()).exp(),
        Draw::Det(days) => days,
    }
}

/// The remaining stay of someone who has stayed `elapsed` days already.
fn residual(d: Draw, elapsed: f64, rng: &mut Rng) -> f64 {
    match d {
        Draw::Exp(mean) => rng.exp_zig(mean),
        Draw::Det(days) => (days - elapsed).max(0.0),
        Draw::LogNormal { mu, sigma } => {
            if elapsed <= 0.0 {
                return sample(d, rng);
            }
            let f = normal_cdf((elapsed.ln() - mu) / sigma);
            let u = (f + (1.0 - f) * rng.f64()).clamp(1e-300, 1.0 - 1e-16);
            ((mu + sigma * normal_quantile(u)).exp() - elapsed).max(0.0)
        }
    }
}
