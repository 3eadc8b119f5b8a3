//! The simulation model: nodes (products, MO forms, housing) with servers, waiting rooms,
//! service-time distributions, external arrivals and routing; plus the starting state.
//!
//! Time is measured in days. A year is 365.25 days, a month a twelfth of that — unless the
//! model has a calendar start date ([`Model::start`]), in which case the month series are taken
//! at calendar month ends, so that they line up with the monitor's months. A model is usually
//! parsed from a scenario file ([`crate::scenario`]) but can be built in code.
//!
//! People carry a gemeente of origin ([`Model::origins`]): arrivals at a node are split over
//! the origins by [`Arrivals::origin_shares`] (thinning a Poisson process gives independent
//! Poisson processes per gemeente, with the node's trend and seasons).

use vangnet_domain::Date;
use vangnet_domain::events::Bestemming;

/// Days per year used throughout the crate.
pub const YEAR: f64 = 365.25;
/// Days per month (a twelfth of a year); the time series are sampled at month ends.
pub const MONTH: f64 = YEAR / 12.0;

/// A service-time (length-of-stay) distribution, in days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Service {
    /// Exponential with the given mean.
    Exponential {
        /// Mean in days.
        mean: f64,
    },
    /// Log-normal with the given mean and coefficient of variation.
    LogNormal {
        /// Mean in days.
        mean: f64,
        /// Standard deviation divided by the mean.
        cv: f64,
    },
    /// Always the same length.
    Deterministic {
        /// Length in days.
        days: f64,
    },
    /// Empirical (non-parametric): drawn from a table of quantiles ([`StayTable`], in
    /// [`Model::tables`]) with an exponential tail beyond its last value.
    Empirical {
        /// Index into [`Model::tables`].
        table: u32,
        /// Mean in days (of the table with its tail).
        mean: f64,
    },
}

/// An empirical length-of-stay distribution: quantiles at equally spaced probabilities up to
/// `1 − tail_share`, then `last quantile + Exp(tail_mean)` (for stays longer than any
/// observed, e.g. from a Kaplan–Meier estimate whose survival does not reach zero).
#[derive(Debug, Clone, PartialEq)]
pub struct StayTable {
    /// Quantiles in days at probabilities `k / (n − 1) · (1 − tail_share)`, `k = 0 … n − 1`;
    /// non-decreasing, at least two.
    pub quantiles: Vec<f64>,
    /// Probability mass beyond the last quantile (0 ≤ tail_share < 1).
    pub tail_share: f64,
    /// Mean of the tail beyond the last quantile, in days.
    pub tail_mean: f64,
}

impl StayTable {
    /// The mean length in days.
    pub fn mean(&self) -> f64 {
        let q = &self.quantiles;
        let n = q.len() - 1;
        let body: f64 = q.windows(2).map(|w| (w[0] + w[1]) / 2.0).sum::<f64>() / n as f64;
        (1.0 - self.tail_share) * body + self.tail_share * (q[n] + self.tail_mean)
    }

    /// The `u`-quantile (0 ≤ u < 1).
    pub fn quantile(&self, u: f64) -> f64 {
        let q = &self.quantiles;
        let n = q.len() - 1;
        let body = 1.0 - self.tail_share;
        if u >= body {
            let v = (u - body) / self.tail_share.max(1e-300);
            return q[n] - self.tail_mean * (1.0 - v).max(1e-300).ln();
        }
        let pos = u / body * n as f64;
        let k = (pos as usize).min(n - 1);
        q[k] + (q[k + 1] - q[k]) * (pos - k as f64)
    }

    /// The distribution function at `x` (the inverse of [`StayTable::quantile`]).
    pub fn cdf(&self, x: f64) -> f64 {
        let q = &self.quantiles;
        let n = q.len() - 1;
        let body = 1.0 - self.tail_share;
        if x >= q[n] {
            return if self.tail_share > 0.0 {
                body + self.tail_share * (1.0 - (-(x - q[n]) / self.tail_mean).exp())
            } else {
                1.0
            };
        }
        if x <= q[0] {
            return 0.0;
        }
        let k = q.partition_point(|v| *v <= x).max(1) - 1;
        let frac = if q[k + 1] > q[k] {
            (x - q[k]) / (q[k + 1] - q[k])
        } else {
            0.0
        };
        body * (k as f64 + frac) / n as f64
    }
}

impl Service {
    /// The mean length in days.
    pub fn mean(&self) -> f64 {
        match *self {
            Service::Exponential { mean }
            | Service::LogNormal { mean, .. }
            | Service::Empirical { mean, .. } => mean,
            Service::Deterministic { days } => days,
        }
    }
}

/// External arrivals at a node: a non-homogeneous Poisson process with rate
/// `per_year · max(0, 1 + trend · t) · (1 + seasonal · cos(2π (t − peak)))`, `t` in years and
/// `peak` the middle of `peak_month`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrivals {
    /// Base rate per year (at t = 0, averaged over the seasons).
    pub per_year: f64,
    /// Linear trend: relative change of the rate per year (0.02 = +2 % of the base rate a year).
    pub trend: f64,
    /// Amplitude of the yearly cycle, relative to the rate (0 ≤ seasonal ≤ 1).
    pub seasonal: f64,
    /// Month in which the seasonal cycle peaks, counted from the model's start (1 = the first
    /// twelfth of a year after time 0; 0.5–12.5).
    pub peak_month: f64,
    /// Shares of the arrivals per priority class (class 0 first); sum 1.
    pub class_shares: Vec<f64>,
    /// Shares of the arrivals per origin (index into [`Model::origins`]); sum 1. Empty: every
    /// arrival has origin 0.
    pub origin_shares: Vec<f64>,
}

impl Arrivals {
    /// Homogeneous Poisson arrivals, all in class 0.
    pub fn poisson(per_year: f64) -> Arrivals {
        Arrivals {
            per_year,
            trend: 0.0,
            seasonal: 0.0,
            peak_month: 1.0,
            class_shares: vec![1.0],
            origin_shares: Vec::new(),
        }
    }

    /// The rate per day at time `t` (days).
    pub fn rate_per_day(&self, t: f64) -> f64 {
        let years = t / YEAR;
        let trend = (1.0 + self.trend * years).max(0.0);
        let season = if self.seasonal == 0.0 {
            1.0
        } else {
            let peak = (self.peak_month - 0.5) / 12.0;
            1.0 + self.seasonal * (std::f64::consts::TAU * (years - peak)).cos()
        };
        self.per_year / YEAR * trend * season
    }

    /// An upper bound of the rate per day on `[0, horizon]`.
    pub fn max_rate_per_day(&self, horizon: f64) -> f64 {
        let trend = 1.0f64.max(1.0 + self.trend * horizon / YEAR);
        self.per_year / YEAR * trend * (1.0 + self.seasonal.abs())
    }
}

/// One node of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Name used in routes and output.
    pub id: String,
    /// Number of places (servers) at the start.
    pub servers: u32,
    /// Places in the waiting list; `None` = unlimited. When the node and its waiting list are
    /// full, external arrivals are turned away and people routed here stay where they are
    /// (blocking).
    pub queue_capacity: Option<u32>,
    /// Length of stay.
    pub service: Service,
    /// External arrivals, if any.
    pub arrivals: Option<Arrivals>,
    /// Routing after the stay: (target node index, probability); the remainder leaves the
    /// network.
    pub routes: Vec<(usize, f64)>,
    /// Set for a housing node: homes become available as a Poisson stream of this many a year
    /// (modelled as one server with exponential service and no waiting room, so people wait for
    /// a home where they are). Homes nobody is waiting for go to others.
    pub homes_per_year: Option<f64>,
    /// Maximum length of stay in days (a hard cap: a drawn stay longer than this ends at the
    /// maximum, as with a product's *maximale duur*); `None` = no maximum.
    pub max_stay: Option<f64>,
    /// Destinations (*bestemming*) of those who leave the network from this node, with shares
    /// (used only when events are emitted; empty = onbekend).
    pub exit_destinations: Vec<(Bestemming, f64)>,
    /// Kinds of home of those who leave for the housing node (empty = sociale huur).
    pub housing_destinations: Vec<(Bestemming, f64)>,
}

impl Node {
    /// A node with `servers` places, an unlimited waiting list, no arrivals and no routes.
    pub fn new(id: &str, servers: u32, service: Service) -> Node {
        Node {
            id: id.to_owned(),
            servers,
            queue_capacity: None,
            service,
            arrivals: None,
            routes: Vec::new(),
            homes_per_year: None,
            max_stay: None,
            exit_destinations: Vec::new(),
            housing_destinations: Vec::new(),
        }
    }

    /// A housing node: a stream of `homes_per_year` homes (see [`Node::homes_per_year`]).
    pub fn housing(id: &str, homes_per_year: f64) -> Node {
        Node {
            queue_capacity: Some(0),
            homes_per_year: Some(homes_per_year),
            ..Node::new(
                id,
                1,
                Service::Exponential {
                    mean: YEAR / homes_per_year,
                },
            )
        }
    }
}

/// A change of the number of places of a node at a given time. A reduction is not pre-emptive:
/// people in service stay until they leave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapacityChange {
    /// Time in days.
    pub at: f64,
    /// Node index.
    pub node: usize,
    /// New number of places.
    pub servers: u32,
}

/// Where people of the starting state are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InitialState {
    /// In service (holding a place) for `elapsed` days already; the remaining stay is drawn
    /// from the stay distribution conditional on having lasted `elapsed` days.
    InService {
        /// Days already spent.
        elapsed: f64,
    },
    /// On the waiting list for `since` days already.
    Waiting {
        /// Days already waited.
        since: f64,
    },
    /// Holding a place for `elapsed` days already, but **blocked**: the stay is over and the
    /// person waits in place for room at node `to` (e.g. in care but *uitstroomklaar*, waiting
    /// only for a home).
    Blocked {
        /// Days already spent at the node.
        elapsed: f64,
        /// The node the person waits for.
        to: usize,
    },
}

/// A group of identical people in the starting state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Initial {
    /// Node index.
    pub node: usize,
    /// Priority class.
    pub class: u8,
    /// How many people.
    pub count: u32,
    /// In service, waiting or blocked.
    pub state: InitialState,
    /// Origin (index into [`Model::origins`]).
    pub origin: u16,
}

/// A complete, validated model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Name of the scenario.
    pub name: String,
    /// The nodes.
    pub nodes: Vec<Node>,
    /// Simulated time in days.
    pub horizon: f64,
    /// Statistics ignore `[0, warmup)` (days); 0 when starting from an observed state.
    pub warmup: f64,
    /// Default number of replications.
    pub replications: u32,
    /// Base seed; replication `i` uses `Rng::derive(seed, i)`.
    pub seed: u64,
    /// Changes of capacity, sorted by time.
    pub capacity_changes: Vec<CapacityChange>,
    /// The starting state (empty = start from an empty system).
    pub initial: Vec<Initial>,
    /// Calendar date of time 0. When set, month series are taken at calendar month ends
    /// (month 0 ends at the end of the start date's month); otherwise every [`MONTH`] days.
    pub start: Option<Date>,
    /// Gemeenten of origin (CBS codes `GMdddd`, or `""` for not registered / unknown); empty
    /// = one unnamed origin.
    pub origins: Vec<String>,
    /// Empirical stay distributions used by [`Service::Empirical`].
    pub tables: Vec<StayTable>,
}

impl Model {
    /// A model with these nodes, a horizon in days, no warm-up, 100 replications, seed 1.
    pub fn new(nodes: Vec<Node>, horizon: f64) -> Model {
        Model {
            name: String::new(),
            nodes,
            horizon,
            warmup: 0.0,
            replications: 100,
            seed: 1,
            capacity_changes: Vec::new(),
            initial: Vec::new(),
            start: None,
            origins: Vec::new(),
            tables: Vec::new(),
        }
    }

    /// Number of origins (at least 1).
    pub fn origin_count(&self) -> usize {
        self.origins.len().max(1)
    }

    /// The times (days) at which the month series are taken, within the horizon.
    pub fn month_ends(&self) -> Vec<f64> {
        match self.start {
            None => (0..self.months()).map(|m| (m + 1) as f64 * MONTH).collect(),
            Some(d) => {
                let first = d.month_start();
                (1..)
                    .map(|k| f64::from(d.days_until(first.add_months(k))))
                    .take_while(|t| *t <= self.horizon + 1e-9)
                    .collect()
            }
        }
    }

    /// The calendar month (`yyyymm`) of month index `m` when the model has a start date.
    pub fn month_key(&self, m: usize) -> Option<u32> {
        self.start
            .map(|d| vangnet_domain::Maand::of(d).plus(m as i32).key())
    }

    /// Number of priority classes used by arrivals and the starting state (at least 1).
    pub fn classes(&self) -> usize {
        let a = self
            .nodes
            .iter()
            .filter_map(|n| n.arrivals.as_ref())
            .map(|a| a.class_shares.len());
        let b = self.initial.iter().map(|i| usize::from(i.class) + 1);
        a.chain(b).max().unwrap_or(1).max(1)
    }

    /// Months in the time series: whole months in the horizon, or with a start date the
    /// calendar month ends within the horizon.
    pub fn months(&self) -> usize {
        match self.start {
            None => ((self.horizon + 1e-9) / MONTH).floor() as usize,
            Some(_) => self.month_ends().len(),
        }
    }

    /// The same region `k` times as large: places, waiting lists, arrival rates, homes and the
    /// starting state multiplied by `k` (rounded).
    pub fn scaled(&self, k: f64) -> Model {
        let mut m = self.clone();
        let round = |x: u32| ((f64::from(x) * k).round() as u32).max(u32::from(x > 0));
        for n in &mut m.nodes {
            if let Some(h) = n.homes_per_year {
                n.homes_per_year = Some(h * k);
                n.service = Service::Exponential {
                    mean: YEAR / (h * k),
                };
            } else {
                n.servers = round(n.servers);
                n.queue_capacity = n.queue_capacity.map(round);
            }
            if let Some(a) = &mut n.arrivals {
                a.per_year *= k;
            }
        }
        for c in &mut m.capacity_changes {
            c.servers = round(c.servers);
        }
        for i in &mut m.initial {
            i.count = (f64::from(i.count) * k).round() as u32;
        }
        m
    }
}
