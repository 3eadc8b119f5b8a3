//! Event emission: a simulated future as the registry's own client events, counted by the
//! monitor's own projection — one definition of every number.
//!
//! [`Emitter`] is a [`Trace`]: the engine tells it every step of every simulated person, and
//! it turns those steps into [`ClientEvent`]s of synthetic clients (ids from
//! [`SYNTHETIC_CLIENT_BASE`] up), folds them with [`ClientState::open`] /
//! [`ClientState::apply_observed`] — the rules of the registry — and sums
//! [`vangnet_domain::monitor::contributions`] into a [`Tally`], exactly as an import or a
//! rebuild would. Time `t` (days) is the date `start + ⌊t⌋`; the model must have a calendar
//! start ([`Model::start`]) so that its month series fall on calendar month ends.
//!
//! How steps become facts (node = a product of the region profile; other nodes, such as the
//! housing node, are *outside care*):
//!
//! | step | facts |
//! |---|---|
//! | arrival at P | aanmelding (herkomst = origin, urgentie from the class), toewijzing P, then start_zorg P (a place was free) or wachtlijst_in P |
//! | start from the list | start_zorg P (a new toewijzing first if the old one expired) |
//! | P → Q, started at once | wijziging doorstroom Q |
//! | P → Q's waiting list | einde_zorg (ander_product), toewijzing Q, wachtlijst_in Q |
//! | P → housing | einde_zorg (a kind of home, drawn from the node's `housing_destinations`; sociale huur if none) |
//! | P → out of the network | einde_zorg (drawn from the node's `exit_destinations`, calibrated from the registry; onbekend if none) |
//! | blocked at P, waiting for a home | uitstroomklaar |
//! | starting state | the same history, dated in the past (in care since, waiting since) |
//!
//! A night shelter (MO product counted in nights) gets `mo_overnachting` blocks for the stay
//! instead of start/einde zorg, as in the registry. Arrivals turned away (full waiting list)
//! are not emitted. The engine's own counters ([`Recorder`]) are kept beside the tally, so a
//! test can show that both give the same figures ([`monitor_month`]).
//!
//! Emission costs about half a microsecond per fact, simulation and monitor count included
//! (`cargo run --release -p vangnet-sim --example emit`); it is meant for a few replications (the
//! forecast's ranges come from the fast path, which has no trace).

use std::collections::HashMap;

use vangnet_domain::events::{Bestemming, Leveringsvorm, Melder, Urgentie, Woonsituatie};
use vangnet_domain::gemeenten::Gemeenten;
use vangnet_domain::monitor::{Measure, Tally, month_key};
use vangnet_domain::region::{Domain, Unit};
use vangnet_domain::{
    ClientEvent, ClientId, ClientState, Date, GemeenteCode, LocationId, ProductCode, RegionProfile,
    Regions,
};

use crate::engine::{MonthSink, NodeMonth, Replication, Series, Sim, Step, Trace};
use crate::model::{InitialState, Model};

/// Destinations with their shares.
type Shares = Vec<(Bestemming, f64)>;

/// Salt of the destination draws.
const DESTINATION_SALT: u64 = 0x6265_7374_656d_6d69;

/// Synthetic client ids start here (`P90000001` …), far above the registry's own.
pub const SYNTHETIC_CLIENT_BASE: u64 = 90_000_000;

/// What a node is in the region profile.
#[derive(Debug, Clone)]
struct Product {
    code: ProductCode,
    locatie: LocationId,
    max_months: Option<u32>,
    /// Counted in nights (MO night shelter).
    night: bool,
}

#[derive(Debug)]
struct Track {
    id: ClientId,
    state: Option<ClientState>,
    version: u32,
    urgent: bool,
    /// Start of the current night-shelter stay.
    night_from: Option<Date>,
}

/// Turns the steps of one replication into client events and monitor contributions.
#[derive(Debug)]
pub struct Emitter<'a> {
    regions: &'a Regions,
    regio: vangnet_domain::RegionId,
    start: Date,
    products: Vec<Option<Product>>,
    origins: Vec<Option<GemeenteCode>>,
    two_classes: bool,
    /// Per node: destination shares out of the network and to a home.
    exits: Vec<(Shares, Shares)>,
    people: HashMap<u64, Track>,
    next_id: u64,
    /// The monitor's contributions of every emitted fact.
    pub tally: Tally,
    /// Facts the registry's rules refused (should be empty), with the client and the reason.
    pub errors: Vec<String>,
    /// Facts emitted.
    pub facts: u64,
    /// Every emitted fact, when kept ([`Emitter::keep_facts`]).
    pub kept: Option<Vec<(ClientId, Date, ClientEvent)>>,
}

impl<'a> Emitter<'a> {
    /// An emitter for `model` (with a start date) in the region `profile` of `regions`.
    pub fn new(model: &Model, regions: &'a Regions, profile: &RegionProfile) -> Emitter<'a> {
        let start = model
            .start
            .expect("event emission needs a model with a calendar start date");
        let products = model
            .nodes
            .iter()
            .map(|n| {
                if n.homes_per_year.is_some() {
                    return None;
                }
                let p = profile.products.iter().find(|p| p.code.as_str() == n.id)?;
                let loc = profile
                    .locations
                    .iter()
                    .find(|l| l.places.get(&p.code).is_some_and(|c| *c > 0))
                    .or_else(|| {
                        profile
                            .locations
                            .iter()
                            .find(|l| l.places.contains_key(&p.code))
                    })?;
                Some(Product {
                    code: p.code.clone(),
                    locatie: loc.id.clone(),
                    max_months: p.max_months,
                    night: p.domain == Domain::Mo && p.unit == Unit::Nacht,
                })
            })
            .collect();
        Emitter {
            regions,
            regio: profile.id.clone(),
            start,
            products,
            origins: model
                .origins
                .iter()
                .map(|o| GemeenteCode::parse(o).ok())
                .collect(),
            two_classes: model.classes() > 1,
            exits: model
                .nodes
                .iter()
                .map(|n| (n.exit_destinations.clone(), n.housing_destinations.clone()))
                .collect(),
            people: HashMap::new(),
            next_id: SYNTHETIC_CLIENT_BASE,
            tally: Tally::new(),
            errors: Vec::new(),
            facts: 0,
            kept: None,
        }
    }

    /// Keep every emitted fact in [`Emitter::kept`] (for inspection or export).
    pub fn keep_facts(mut self) -> Emitter<'a> {
        self.kept = Some(Vec::new());
        self
    }

    fn date(&self, t: f64) -> Date {
        self.start.add_days(t.floor() as i32)
    }

    /// Apply one fact to `person`'s stream and count it.
    fn fact(&mut self, person: u64, on: Date, event: ClientEvent) {
        let Some(track) = self.people.get_mut(&person) else {
            return;
        };
        self.facts += 1;
        track.version += 1;
        let regions = self.regions;
        let tally = &mut self.tally;
        let result = match &mut track.state {
            None => ClientState::open(track.id, track.version, on, &event, regions).map(|s| {
                tally.observe(regions, None, on, &event, &s, 1);
                track.state = Some(s);
            }),
            Some(state) => state.apply_observed(
                track.version,
                on,
                &event,
                regions,
                &mut |before, on, e, after| tally.observe(regions, before, on, e, after, 1),
            ),
        };
        if let Err(e) = result {
            self.errors
                .push(format!("{} {on} {}: {e}", track.id, event.kind()));
        }
        if let Some(k) = &mut self.kept {
            k.push((track.id, on, event));
        }
    }

    fn aanmelding(&mut self, person: u64, on: Date, class: u8, origin: u16) {
        self.next_id += 1;
        let herkomst = self
            .origins
            .get(usize::from(origin))
            .copied()
            .flatten()
            // A gemeente that did not exist yet on that date (a merger): not registered.
            .filter(|g| Gemeenten::national().valid_on(*g, on).is_ok());
        let urgent = self.two_classes && class == 0;
        self.people.insert(
            person,
            Track {
                id: ClientId(self.next_id),
                state: None,
                version: 0,
                urgent,
                night_from: None,
            },
        );
        let regio = self.regio.clone();
        self.fact(
            person,
            on,
            ClientEvent::Aanmelding {
                regio,
                melder: Melder::Overig,
                herkomst_gemeente: herkomst,
                woonsituatie: Woonsituatie::Overig,
                urgentie: if urgent {
                    Urgentie::Urgent
                } else {
                    Urgentie::Regulier
                },
                voordeur: None,
            },
        );
    }

    fn toewijzing(&mut self, person: u64, on: Date, node: usize) {
        let Some(p) = self.products[node].clone() else {
            return;
        };
        let einde = on.add_months(p.max_months.unwrap_or(1200) as i32);
        self.fact(
            person,
            on,
            ClientEvent::Toewijzing {
                product: p.code,
                start: on,
                einde,
                leveringsvorm: Leveringsvorm::Zin,
                aanbieder: None,
            },
        );
    }

    fn wachtlijst_in(&mut self, person: u64, on: Date, node: usize) {
        let Some(p) = self.products[node].clone() else {
            return;
        };
        let urgent = self.people.get(&person).is_some_and(|t| t.urgent);
        self.fact(
            person,
            on,
            ClientEvent::WachtlijstIn {
                product: p.code,
                prioriteit: u8::from(urgent),
            },
        );
    }

    /// The stay at `node` starts on `on` (care or a night-shelter stay).
    fn start_stay(&mut self, person: u64, on: Date, node: usize, from_list: bool) {
        let Some(p) = self.products[node].clone() else {
            return;
        };
        if p.night {
            if from_list {
                self.fact(
                    person,
                    on,
                    ClientEvent::WachtlijstUit {
                        reden: "geplaatst in de nachtopvang".into(),
                    },
                );
            }
            if let Some(t) = self.people.get_mut(&person) {
                t.night_from = Some(on);
            }
            return;
        }
        let expired = self
            .people
            .get(&person)
            .and_then(|t| t.state.as_ref())
            .and_then(|s| s.toewijzing().map(|(_, _, einde, ..)| einde < on))
            .unwrap_or(true);
        if expired {
            self.toewijzing(person, on, node);
        }
        self.fact(
            person,
            on,
            ClientEvent::StartZorg {
                product: p.code,
                locatie: p.locatie,
                overbezetting: None,
            },
        );
    }

    /// The stay at `node` ends on `on`; `bestemming` for care.
    fn end_stay(&mut self, person: u64, on: Date, node: usize, bestemming: Bestemming) {
        let Some(p) = self.products[node].clone() else {
            return;
        };
        if p.night {
            let Some(from) = self
                .people
                .get_mut(&person)
                .and_then(|t| t.night_from.take())
            else {
                return;
            };
            let mut d = from;
            let mut left = from.days_until(on).max(1);
            while left > 0 {
                let n = left.min(366);
                self.fact(
                    person,
                    d,
                    ClientEvent::MoOvernachting {
                        product: p.code.clone(),
                        locatie: p.locatie.clone(),
                        nachten: n as u16,
                    },
                );
                d = d.add_days(n);
                left -= n;
            }
            return;
        }
        self.fact(
            person,
            on,
            ClientEvent::EindeZorg {
                bestemming,
                woning: None,
            },
        );
    }

    /// The destination of `person` leaving `node` (out of the network or to a home), drawn
    /// from the node's shares with a stream of the person's own (no effect on the simulation).
    fn destination(&self, person: u64, node: usize, home: bool) -> Bestemming {
        let list = if home {
            &self.exits[node].1
        } else {
            &self.exits[node].0
        };
        let fallback = if home {
            Bestemming::EigenWoningSociaal
        } else {
            Bestemming::Onbekend
        };
        if list.is_empty() {
            return fallback;
        }
        let mut u = vangnet_domain::rng::Rng::derive(DESTINATION_SALT, person).f64();
        for (b, x) in list {
            if u < *x {
                return *b;
            }
            u -= x;
        }
        list.last().map_or(fallback, |(b, _)| *b)
    }

    fn in_care(&self, node: usize) -> bool {
        self.products[node].as_ref().is_some_and(|p| !p.night)
    }
}

impl Trace for Emitter<'_> {
    fn step(&mut self, t: f64, person: u64, step: Step) {
        let on = self.date(t);
        match step {
            Step::Initial {
                node,
                class,
                origin,
                state,
            } => {
                if self.products[node].is_none() {
                    return;
                }
                let (since, waiting) = match state {
                    InitialState::InService { elapsed } | InitialState::Blocked { elapsed, .. } => {
                        (elapsed, false)
                    }
                    InitialState::Waiting { since } => (since, true),
                };
                let d0 = self.date(-since);
                self.aanmelding(person, d0, class, origin);
                self.toewijzing(person, d0, node);
                if waiting {
                    self.wachtlijst_in(person, d0, node);
                } else {
                    self.start_stay(person, d0, node, false);
                }
                if let InitialState::Blocked { to, .. } = state
                    && self.products[to].is_none()
                    && self.in_care(node)
                {
                    self.fact(person, on, ClientEvent::Uitstroomklaar);
                }
            }
            Step::Arrive {
                node,
                class,
                origin,
                started,
            } => {
                if self.products[node].is_none() {
                    return;
                }
                self.aanmelding(person, on, class, origin);
                self.toewijzing(person, on, node);
                if started {
                    self.start_stay(person, on, node, false);
                } else {
                    self.wachtlijst_in(person, on, node);
                }
            }
            Step::Start { node } => self.start_stay(person, on, node, true),
            Step::Blocked { node, to } => {
                if self.products[to].is_none() && self.in_care(node) {
                    self.fact(person, on, ClientEvent::Uitstroomklaar);
                }
            }
            Step::Leave { from, to, started } => {
                if !self.people.contains_key(&person) {
                    return;
                }
                match to {
                    None => {
                        let b = self.destination(person, from, false);
                        self.end_stay(person, on, from, b);
                        self.people.remove(&person);
                    }
                    Some(q) if self.products[q].is_none() => {
                        let b = self.destination(person, from, true);
                        self.end_stay(person, on, from, b);
                    }
                    Some(q) => {
                        if started && self.in_care(from) && self.in_care(q) {
                            let p = self.products[q].clone().expect("product");
                            self.fact(
                                person,
                                on,
                                ClientEvent::Wijziging(
                                    vangnet_domain::events::Wijziging::Doorstroom {
                                        product: p.code,
                                        locatie: p.locatie,
                                    },
                                ),
                            );
                        } else {
                            self.end_stay(person, on, from, Bestemming::AnderProduct);
                            self.toewijzing(person, on, q);
                            if started {
                                self.start_stay(person, on, q, false);
                            } else {
                                self.wachtlijst_in(person, on, q);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A month sink that keeps everything: the snapshots and the detail per node and month.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Recorder {
    /// Month-end snapshots.
    pub series: Series,
    /// Detail, index `month * nodes + node`.
    pub detail: Vec<NodeMonth>,
}

impl MonthSink for Recorder {
    const DETAIL: bool = true;

    fn record(&mut self, month: usize, node: usize, occupied: u32, waiting: u32, blocked: u32) {
        self.series.record(month, node, occupied, waiting, blocked);
    }

    fn record_detail(&mut self, month: usize, node: usize, detail: &NodeMonth) {
        let i = month * self.series.nodes + node;
        if self.detail.len() <= i {
            self.detail.resize(i + 1, NodeMonth::default());
        }
        self.detail[i] = detail.clone();
    }
}

/// One replication with its events: the engine's result and counters, and the monitor's tally
/// of the emitted facts.
#[derive(Debug)]
pub struct Emitted {
    /// The engine's result.
    pub replication: Replication,
    /// The engine's month series and detail.
    pub recorder: Recorder,
    /// The monitor's contributions of every emitted fact.
    pub tally: Tally,
    /// Facts the rules refused (empty when the emission is faithful).
    pub errors: Vec<String>,
    /// Facts emitted.
    pub facts: u64,
    /// Synthetic clients.
    pub clients: u64,
}

/// Run replication `rep` of `model` (with a start date) and emit its events in `profile`'s
/// region (`regions` must contain only that profile, or have it first).
pub fn emit_replication(
    model: &Model,
    regions: &Regions,
    profile: &RegionProfile,
    rep: u64,
) -> Emitted {
    let mut em = Emitter::new(model, regions, profile);
    let mut rec = Recorder {
        series: Series {
            nodes: model.nodes.len(),
            points: Vec::new(),
        },
        detail: Vec::new(),
    };
    let replication = Sim::new(model).run_traced(rep, &mut rec, &mut em);
    Emitted {
        replication,
        recorder: rec,
        clients: em.next_id - SYNTHETIC_CLIENT_BASE,
        tally: em.tally,
        errors: em.errors,
        facts: em.facts,
    }
}

/// The monitor's figures of one product in one calendar month, from a tally.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonitorMonth {
    /// People in care at the month end (`in_zorg`).
    pub in_zorg: i64,
    /// People on the waiting list at the month end (`wachtend`).
    pub wachtend: i64,
    /// People in care and uitstroomklaar at the month end (`wacht_op_woning`).
    pub wacht_op_woning: i64,
    /// Care episodes started in the month (`instroom`).
    pub instroom: i64,
    /// Moves into the product in the month (`doorstroom`).
    pub doorstroom: i64,
    /// Care episodes ended in the month (`uitstroom`).
    pub uitstroom: i64,
}

/// The monitor's figures of product `product` (profile index + 1) in month `maand` (`yyyymm`),
/// restricted to gemeente `gemeente` (CBS number, 0 = not registered) when given: stocks are
/// running sums of the net flows up to the month, as on the dashboard.
pub fn monitor_month(
    tally: &Tally,
    product: u16,
    maand: u32,
    gemeente: Option<u16>,
) -> MonitorMonth {
    let mut m = MonitorMonth::default();
    for (c, n) in tally.nonzero() {
        if c.product != product || gemeente.is_some_and(|g| g != c.gemeente) {
            continue;
        }
        let slot = match c.measure {
            Measure::InZorg if c.maand <= maand => &mut m.in_zorg,
            Measure::Wachtend if c.maand <= maand => &mut m.wachtend,
            Measure::WachtOpWoning if c.maand <= maand => &mut m.wacht_op_woning,
            Measure::Instroom if c.maand == maand => &mut m.instroom,
            Measure::Doorstroom if c.maand == maand => &mut m.doorstroom,
            Measure::Uitstroom if c.maand == maand => &mut m.uitstroom,
            _ => continue,
        };
        *slot += n;
    }
    m
}

/// The calendar month (`yyyymm`) of a date (re-exported for callers of [`monitor_month`]).
pub fn maand(d: Date) -> u32 {
    month_key(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::{Options, calibrate};
    use vangnet_demo::{DemoConfig, generate};

    #[test]
    fn the_monitor_counts_the_simulated_future_as_the_simulator_does() {
        let profile = Regions::builtin()
            .all()
            .iter()
            .find(|p| p.id.as_str() == "drechtsteden")
            .expect("region")
            .clone();
        let regions = Regions::new(vec![profile.clone()]);
        let on = Date::parse("2026-06-30").unwrap();
        let demo = generate(
            &regions,
            &DemoConfig {
                seed: 5,
                start: Date::parse("2019-01-01").unwrap(),
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
                horizon_years: 5.0,
                ..Options::default()
            },
        );
        // The demo has little doorstroom: add a route between two care products, so that
        // direct moves (doorstroom) and moves onto a waiting list both occur.
        let mut model = cal.model.clone();
        let care: Vec<usize> = (0..model.nodes.len())
            .filter(|&i| {
                profile
                    .products
                    .iter()
                    .any(|p| p.code.as_str() == model.nodes[i].id && p.unit != Unit::Nacht)
                    && model.nodes[i].servers > 0
            })
            .collect();
        let (a, b) = (care[0], care[1]);
        let kept: f64 = model.nodes[a].routes.iter().map(|r| r.1).sum();
        model.nodes[a].routes.push((b, (1.0 - kept).min(0.3)));
        let model = &model;
        assert!(
            model
                .initial
                .iter()
                .any(|i| matches!(i.state, InitialState::Blocked { .. })),
            "the demo has people who are uitstroomklaar at the start"
        );
        for rep in [0, 7] {
            let e = emit_replication(model, &regions, &profile, rep);
            assert!(
                e.errors.is_empty(),
                "{:#?}",
                &e.errors[..e.errors.len().min(10)]
            );
            assert!(
                e.clients > 500 && e.facts > 2000,
                "{} {}",
                e.clients,
                e.facts
            );
            let n = model.nodes.len();
            let months = model.months();
            assert!(months >= 60);
            let mut compared = 0;
            let mut seen = [0i64; 4];
            for (i, node) in model.nodes.iter().enumerate() {
                let Some(pi) = profile
                    .products
                    .iter()
                    .position(|p| p.code.as_str() == node.id)
                else {
                    continue;
                };
                let night = profile.products[pi].unit == Unit::Nacht;
                for m in 0..months {
                    let key = model.month_key(m).unwrap();
                    let [held, waiting, blocked] = e.recorder.series.points[m * n + i];
                    let d = &e.recorder.detail[m * n + i];
                    let mon = monitor_month(&e.tally, pi as u16 + 1, key, None);
                    assert_eq!(
                        mon.wachtend,
                        i64::from(waiting),
                        "{} {key} wachtend",
                        node.id
                    );
                    if night {
                        continue;
                    }
                    let ctx = format!("{} {key}", node.id);
                    assert_eq!(mon.in_zorg, i64::from(held), "{ctx} in_zorg");
                    assert_eq!(
                        mon.wacht_op_woning,
                        i64::from(blocked),
                        "{ctx} wacht_op_woning"
                    );
                    // Month 0 holds the observed history of that month too (the starting
                    // state's facts): flows are compared from month 1 on.
                    seen[0] += mon.instroom;
                    seen[1] += mon.uitstroom;
                    seen[2] += mon.doorstroom;
                    seen[3] += mon.wacht_op_woning;
                    if m > 0 {
                        assert_eq!(mon.instroom, i64::from(d.instroom), "{ctx} instroom");
                        assert_eq!(mon.uitstroom, i64::from(d.uitstroom), "{ctx} uitstroom");
                        assert_eq!(
                            mon.doorstroom,
                            i64::from(d.doorstroom_in),
                            "{ctx} doorstroom"
                        );
                    }
                    // Per gemeente of origin, the same.
                    for (o, code) in model.origins.iter().enumerate() {
                        let g = GemeenteCode::parse(code).map_or(0, |g| g.number());
                        let mg = monitor_month(&e.tally, pi as u16 + 1, key, Some(g));
                        let [h, w, _] = d.by_origin[o];
                        assert_eq!(mg.in_zorg, i64::from(h), "{ctx} {code} in_zorg");
                        assert_eq!(mg.wachtend, i64::from(w), "{ctx} {code} wachtend");
                    }
                    compared += 1;
                }
            }
            assert!(compared >= 3 * months, "{compared}");
            // Leavers get the calibrated destinations (not only 'onbekend').
            let onbekend = vangnet_domain::monitor::bestemming_code(Bestemming::Onbekend);
            let kinds: std::collections::BTreeSet<u32> = e
                .tally
                .nonzero()
                .filter(|(c, _)| c.measure == Measure::Uitstroom)
                .map(|(c, _)| c.extra)
                .collect();
            assert!(
                kinds.len() >= 4 && kinds.iter().any(|k| *k != onbekend),
                "{kinds:?}"
            );
            // Every kind of figure actually occurs (the comparison is not vacuous).
            assert!(seen.iter().all(|x| *x > 0), "{seen:?}");
        }
    }
}
