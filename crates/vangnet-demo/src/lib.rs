//! Demo data: plausible multi-year client histories for any region profile, deterministic
//! for a given seed and end date. Pure: produces events in memory; the CLI imports them.
//!
//! The generator simulates each region day by day. Places come from the profile's
//! locations; lengths of stay from the product's kind (intramural BW stays years, groepswonen
//! stays under its 2-year maximum, crisis shelter weeks); arrivals are Poisson with the rate
//! that would keep each product just full (Little's law: places / mean stay). What makes
//! waiting lists is what makes them in every seed: outflow to housing is blocked, so a
//! share of the people who are ready to leave stay on for months, and the queue grows.
//! Calibration against the seeds (see the tests): Centraal Gelderland ≈ 1,100–1,200 people
//! in BW with ZIN ≫ PGB; Drechtsteden ≈ 440 in BW with ≈ 70–100 in and out a year; night
//! shelters with ≈ 300 people a year of whom roughly half stay more than 3 nights
//! (seed 004 §2.1: 293 applied, 124 a few days, 133 more than 3 nights).
//! History the seeds describe is part of it: the Wlz opening of 2021 (a share of the BW
//! clients moves to the Wlz during 2021: seed 000 for Nijmegen en Rivierenland, seed 003's
//! national expectation elsewhere), Kamers met Aandacht only as seed 000's pilot (Rijk van
//! Nijmegen, from late 2021, young adults 17–23), and new clients only from gemeenten that
//! belong to the region on that day (region membership has dates).
//!
//! The network's facts (issue 14) come from a stream of their own, so the calibrated history
//! is unchanged: advice asked by the local front door (and answered) or a referral, where the
//! region's access model has local doors; an individueel traject after the 4th night in the
//! night shelter for every such guest (seed 004: all 133 who stayed more than 3 nights got
//! one); and on the end date a few open requests of providers, open proposals and temporary
//! stays beside care — some past their term, as on a working team's worklist.
//!
//! The outflow to housing (issue 15) has a stream of its own too, so again nothing else
//! changes: most people who become uitstroomklaar get a woonbehoefte (preferring the gemeente
//! of their facility — seed 004 §8: clients stay in the gemeente where the facility is —
//! and sometimes their gemeente of origin), some an urgentie application (decided within
//! weeks, or still open); while they wait, some are offered a home by one of the region's
//! corporations in its werkgebied and refuse it; who finally leaves to a home gets an offer
//! that is accepted, a tenancy and a move, and every einde zorg to a home names the
//! destination gemeente (mostly the facility's, some elsewhere in the region) and the kind
//! of home. Facts dated after the end date are not written, so on the end date some offers
//! await an answer and some urgentie applications a decision.
//!
//! Messy reality is part of the data: some assessments are recorded weeks after the
//! decision (back-dated facts), some providers correct a start date afterwards
//! (corrections), clients come from other regions or are not registered anywhere.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use vangnet_domain::clock::Timestamp;
use vangnet_domain::events::{
    Advies, Bestemming, Leveringsvorm, Melder, Urgentie, VerzoekUitkomst, Wijziging, Woningtype,
    WoonRoute, Woonbestemming, Woonsituatie, ZRM_DOMAINS,
};
use vangnet_domain::gemeenten::Gemeenten;
use vangnet_domain::person::{Person, synthetic_person};
use vangnet_domain::region::{Domain, RegionProfile, Setting, Unit};
use vangnet_domain::rng::Rng;
use vangnet_domain::{
    Actor, ClientEvent, ClientId, Date, GemeenteCode, Organisation, RecordedEvent, Regions, Role,
};

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Seed: same seed, same end date, same profiles → same data.
    pub seed: u64,
    /// First simulated day (people already in care on that day get a back-story).
    pub start: Date,
    /// Last simulated day (usually today).
    pub end: Date,
    /// Multiplies every region's capacity and arrivals (1.0 = the profile as written).
    pub scale: f64,
    /// Client ids start here (so several generations can share a store).
    pub first_client: u64,
}

/// The generated data: people and their events, in recording order.
#[derive(Debug, Default)]
pub struct Demo {
    /// Synthetic people.
    pub persons: Vec<(ClientId, Person)>,
    /// Events in the order they were recorded (per client: version order). `seq` is the
    /// position in this list, starting at 1.
    pub events: Vec<RecordedEvent>,
}

/// Generate demo histories for every region in `regions`.
pub fn generate(regions: &Regions, cfg: &DemoConfig) -> Demo {
    let mut demo = Demo::default();
    let mut next_client = cfg.first_client;
    for (i, profile) in regions.all().iter().enumerate() {
        let mut sim = RegionSim::new(
            profile,
            cfg,
            Rng::derive(cfg.seed, i as u64 + 1),
            next_client,
        );
        sim.run();
        next_client = sim.next_client;
        demo.persons.append(&mut sim.persons);
        demo.events.append(&mut sim.events);
    }
    // Recording order across regions; within a client the recorded dates never decrease,
    // and the sort is stable, so stream order is kept.
    demo.events.sort_by_key(|e| recorded_day(e.recorded_at));
    for (i, e) in demo.events.iter_mut().enumerate() {
        e.seq = i as u64 + 1;
    }
    demo
}

/// Mean length of stay in days for a product, from its kind.
pub fn mean_stay_days(p: &vangnet_domain::region::Product) -> f64 {
    let months = |m: u32| f64::from(m) * 30.4;
    match (p.domain, p.setting, p.max_months) {
        (_, _, Some(max)) => months(max) * 0.55,
        (_, _, None) if p.default_months <= 3 => months(p.default_months) * 0.6,
        (Domain::Bw, Setting::Intramuraal, None) => 5.0 * 365.0,
        (Domain::Bw, Setting::Extramuraal, None) => 2.5 * 365.0,
        (Domain::Mo, Setting::Intramuraal, None) => 120.0,
        (Domain::Mo, Setting::Extramuraal, None) => 2.0 * 365.0,
        (Domain::Vo, _, None) => 0.75 * 365.0,
    }
}

/// Arrivals relative to what would keep every place just full: slightly more, as in every
/// seed (demand exceeds supply; people wait or are helped elsewhere).
const LOAD: f64 = 1.12;

/// Share of people who leave towards a home but find none and stay on.
const HOUSING_BLOCKED: f64 = 0.35;
/// Mean extra stay (days) for want of a home.
const HOUSING_DELAY: f64 = 200.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Action {
    Assess(usize),
    Decide(usize),
    EndCare(usize),
    Review(usize),
    GiveUp(usize),
    /// Registers as house-seeker (woningzoekende) while in BW care.
    HouseSeeker(usize),
    /// Moves to the Wlz when it opened for people with a psychische kwetsbaarheid (2021).
    WlzTransfer(usize),
}

struct Sim {
    id: ClientId,
    product: usize,
    location: Option<usize>,
    allocation_start: Date,
    allocation_end: Date,
    /// An assessment done on this date but recorded only after the decision.
    late_assessment: Option<Date>,
    version: u32,
    last_recorded: Date,
    herkomst: Option<GemeenteCode>,
    in_care: bool,
    waiting_since: Option<Date>,
    priority: u8,
    care_since: Date,
    housing_tries: u8,
    /// Issue 15: the housing facts written so far (none: no woonbehoefte).
    woon: Option<WoonSim>,
    /// Date of birth (Kamers met Aandacht is for young adults).
    born: Date,
}

/// Issue 15: a client's housing path in the demo.
#[derive(Debug, Clone)]
struct WoonSim {
    /// The housing need recorded.
    behoefte: vangnet_domain::events::Woonbehoefte,
    /// Date of the last housing fact (the next one is later).
    last: Date,
}

struct RegionSim<'a> {
    p: &'a RegionProfile,
    cfg: &'a DemoConfig,
    rng: Rng,
    /// A separate stream for facts added later (house-seeker registration), so adding them
    /// leaves every other draw — and the calibrated history — unchanged.
    rng_extra: Rng,
    /// The stream of issue 14's facts (advice, referrals, MO-trajects, requests,
    /// proposals, temporary stays): adding them leaves every other draw unchanged.
    rng_net: Rng,
    /// The stream of issue 15's housing facts: adding them leaves every other draw unchanged.
    rng_wonen: Rng,
    next_client: u64,
    persons: Vec<(ClientId, Person)>,
    events: Vec<RecordedEvent>,
    clients: Vec<Sim>,
    /// Per product: places per location (index into profile.locations), occupied counts.
    places: Vec<Vec<(usize, u32, u32)>>,
    queues: Vec<VecDeque<usize>>,
    agenda: BinaryHeap<Reverse<(Date, u64, Action)>>,
    tick: u64,
    clerk: Actor,
    gemeente_weights: Vec<f64>,
}

impl<'a> RegionSim<'a> {
    fn new(
        p: &'a RegionProfile,
        cfg: &'a DemoConfig,
        rng: Rng,
        first_client: u64,
    ) -> RegionSim<'a> {
        let places = p
            .products
            .iter()
            .map(|prod| {
                p.locations
                    .iter()
                    .enumerate()
                    .filter_map(|(i, l)| {
                        l.places
                            .get(&prod.code)
                            .map(|&n| (i, ((f64::from(n) * cfg.scale).round() as u32).max(1), 0))
                    })
                    .collect()
            })
            .collect();
        let gemeente_weights = p
            .gemeenten
            .iter()
            .map(|g| f64::from(g.inhabitants.unwrap_or(20_000)))
            .collect();
        let rng_extra = Rng::derive(rng.clone().next_u64(), 0x7a11);
        let rng_net = Rng::derive(rng.clone().next_u64(), 0x14);
        let rng_wonen = Rng::derive(rng.clone().next_u64(), 0x15);
        RegionSim {
            rng_wonen,
            rng_extra,
            rng_net,
            p,
            cfg,
            rng,
            next_client: first_client,
            persons: Vec::new(),
            events: Vec::new(),
            clients: Vec::new(),
            places,
            queues: vec![VecDeque::new(); p.products.len()],
            agenda: BinaryHeap::new(),
            tick: 0,
            clerk: Actor {
                user: format!("toegang-{}", p.id),
                role: Role::Toegangsmedewerker,
                organisation: Organisation::Regio(p.id.clone()),
            },
            gemeente_weights,
        }
    }

    fn schedule(&mut self, on: Date, a: Action) {
        self.tick += 1;
        self.agenda.push(Reverse((on, self.tick, a)));
    }

    fn record(
        &mut self,
        c: usize,
        effective: Date,
        delay_days: i32,
        actor: Actor,
        event: ClientEvent,
    ) {
        if effective > self.cfg.end {
            return; // the future is not demo data
        }
        let cl = &mut self.clients[c];
        cl.version += 1;
        let recorded = effective
            .add_days(delay_days)
            .max(cl.last_recorded)
            .min(self.cfg.end.max(effective));
        cl.last_recorded = recorded;
        let (h, m) = (8 + (cl.version % 10), (self.tick % 60));
        self.events.push(RecordedEvent {
            seq: 0,
            client: cl.id,
            version: cl.version,
            effective,
            recorded_at: recorded_at(recorded, h, m),
            actor,
            event,
        });
    }

    fn provider_actor(&self, loc: usize) -> Actor {
        let agb = self.p.locations[loc].provider;
        Actor {
            user: format!("aanbieder.{agb}"),
            role: Role::Zorgaanbieder,
            organisation: Organisation::Aanbieder(agb),
        }
    }

    fn origin(&mut self, on: Date, outside: f64, unregistered: f64) -> Option<GemeenteCode> {
        let reg = Gemeenten::national();
        let g = if self.rng.chance(unregistered) {
            return None;
        } else if self.rng.chance(outside) {
            let all = reg.current_on(on);
            all[self.rng.below(all.len() as u64) as usize].code
        } else {
            // Only gemeenten whose new clients belong to the region on that day (a gemeente
            // may leave the region, e.g. Vijfheerenlanden from Drechtsteden in 2020).
            let weights: Vec<f64> = self
                .p
                .gemeenten
                .iter()
                .zip(&self.gemeente_weights)
                .map(|(g, &w)| if g.open_for_new_on(on) { w } else { 0.0 })
                .collect();
            self.p.gemeenten[self.rng.weighted(&weights)].code
        };
        Some(if reg.valid_on(g, on).is_ok() {
            g
        } else {
            self.p.centrumgemeente
        })
    }

    fn new_client(&mut self, on: Date, product: usize, herkomst: Option<GemeenteCode>) -> usize {
        let id = ClientId(self.next_client);
        self.next_client += 1;
        let young = self.p.products[product].max_age.is_some();
        let age = if young {
            self.rng.range(18, 23)
        } else {
            // ~40% in their twenties, ~30% over 50 (seed 001 §2.1).
            match self.rng.below(10) {
                0..=3 => self.rng.range(19, 29),
                4..=6 => self.rng.range(30, 50),
                _ => self.rng.range(51, 75),
            }
        };
        let born = on.add_days(-(age as i32 * 365 + self.rng.below(365) as i32));
        let person = synthetic_person(&mut self.rng, id.0 as u32, born);
        self.persons.push((id, person));
        self.clients.push(Sim {
            id,
            product,
            location: None,
            allocation_start: on,
            allocation_end: on,
            late_assessment: None,
            version: 0,
            last_recorded: on,
            herkomst,
            in_care: false,
            waiting_since: None,
            priority: 0,
            care_since: on,
            housing_tries: 0,
            woon: None,
            born,
        });
        self.clients.len() - 1
    }

    fn aanmelding(
        &mut self,
        c: usize,
        on: Date,
        woonsituatie: Woonsituatie,
        melder: Melder,
        urgentie: Urgentie,
    ) {
        let ev = ClientEvent::Aanmelding {
            regio: self.p.id.clone(),
            melder,
            herkomst_gemeente: self.clients[c].herkomst,
            woonsituatie,
            urgentie,
            voordeur: None,
        };
        let delay = self.rng.range(0, 2) as i32;
        self.record(c, on, delay, self.clerk.clone(), ev);
    }

    fn beoordeling(&mut self, c: usize, on: Date, delay: i32) {
        let mut zrm = [None; ZRM_DOMAINS];
        for (i, z) in zrm.iter_mut().enumerate() {
            if i == 12 && self.rng.chance(0.7) {
                continue; // opvoeding: often not applicable
            }
            *z = Some(self.rng.range(1, 4) as u8);
        }
        zrm[5] = Some(self.rng.range(1, 2) as u8); // geestelijke gezondheid
        // Every criterion the region judges, met (feat/brief: a decision — and its letter —
        // needs every criterion established; fixed keys left other regions' unknown).
        let criteria = vangnet_domain::frontdoor::judgements(self.p, &|_| Some(true));
        self.record(
            c,
            on,
            delay,
            self.clerk.clone(),
            ClientEvent::Beoordeling {
                criteria,
                zrm,
                doelgroep: None,
                advies: Advies::Toewijzen,
                behoeften: Vec::new(),
            },
        );
    }

    fn run(&mut self) {
        self.seed_initial_population();
        let per_day: Vec<f64> = self
            .p
            .products
            .iter()
            .enumerate()
            .map(|(i, prod)| {
                let places: u32 = self.places[i].iter().map(|x| x.1).sum();
                if prod.unit == Unit::Nacht {
                    0.0
                } else {
                    LOAD * f64::from(places) / mean_stay_days(prod)
                }
            })
            .collect();
        let nights: Vec<usize> = (0..self.p.products.len())
            .filter(|&i| self.p.products[i].unit == Unit::Nacht)
            .collect();
        let mut day = self.cfg.start;
        let wlz_open = Date::from_ymd(2021, 1, 1).expect("valid");
        while day <= self.cfg.end {
            if day == wlz_open {
                self.wlz_transfer_2021(day);
            }
            let season = 1.0
                + 0.08 * (std::f64::consts::TAU * f64::from(day.days_since_epoch()) / 365.25).cos();
            for (prod, rate) in per_day.iter().enumerate() {
                if !self.p.products[prod].valid_on(day) {
                    continue;
                }
                for _ in 0..self.rng.poisson(rate * season) {
                    self.apply_for(day, prod);
                }
            }
            for &n in &nights {
                if !self.p.products[n].valid_on(day) {
                    continue;
                }
                let places: u32 = self.places[n].iter().map(|x| x.1).sum();
                if places == 0 {
                    continue;
                }
                // ~8.4 people a year per night-shelter place (seed 004: 293 people, 35 places).
                for _ in 0..self.rng.poisson(f64::from(places) * 8.4 / 365.0) {
                    self.night_shelter(day, n);
                }
            }
            while let Some(Reverse((when, _, action))) = self.agenda.peek().copied() {
                if when > day {
                    break;
                }
                self.agenda.pop();
                self.handle(day, action);
            }
            self.fill_places(day);
            day = day.add_days(1);
        }
        self.network_at_end();
    }

    /// A wijkteam of gemeente `g` as the recording actor.
    fn wijkteam_actor(g: GemeenteCode) -> Actor {
        Actor {
            user: format!("wijkteam-{g}"),
            role: Role::Wijkteam,
            organisation: Organisation::Gemeente(g),
        }
    }

    /// Issue 14: the local front door's advice question (answered within 1–9 days, when
    /// that is not after the end date) or referral, for a BW application of a resident of the
    /// region on a day its access model has local doors.
    fn local_door_steps(&mut self, c: usize, day: Date, prod: usize) {
        let Some(g) = self.clients[c].herkomst else {
            return;
        };
        if self.p.products[prod].domain != Domain::Bw
            || self.p.gemeente(g).is_none()
            || !vangnet_domain::frontdoor::has_local_front_doors(self.p.toegang_op(day).model)
        {
            return;
        }
        let wijkteam = Self::wijkteam_actor(g);
        if self.rng_net.chance(0.15) {
            self.record(
                c,
                day,
                1,
                wijkteam,
                ClientEvent::AdviesGevraagd {
                    vraag: "Past beschermd wonen, of volstaat ambulante begeleiding?".into(),
                },
            );
            let vraag = self.clients[c].version;
            let on = day.add_days(self.rng_net.range(1, 9) as i32);
            self.record(
                c,
                on,
                1,
                self.clerk.clone(),
                ClientEvent::AdviesGegeven {
                    vraag,
                    advies: "Beschermd wonen past; beoordeel en besluit lokaal.".into(),
                },
            );
        } else if self.rng_net.chance(0.05) {
            self.record(
                c,
                day.add_days(1),
                1,
                wijkteam,
                ClientEvent::Doorverwijzing {
                    reden: "Complexe situatie: het regionale team beoordeelt en besluit.".into(),
                },
            );
        }
    }

    /// Issue 14, seed 004: an individueel begeleidingstraject after the 3rd night, for
    /// every guest, recorded 0–8 days after the 4th night of the year (the term is 7 days, so
    /// a few are a day late; one due after the end date is still open). The 4th night is
    /// counted as the state counts it: per calendar year of the block's last night.
    fn mo_trajects(&mut self, c: usize, blocks: &[(Date, u32)], loc: usize) {
        let mut jaar: Option<(i32, u32)> = None;
        let mut vierde: Option<Date> = None;
        for &(on, n) in blocks {
            let last = on.add_days(n as i32 - 1);
            let (before, v) = match jaar {
                Some((y, k)) if y == last.year() => (k, vierde),
                _ => (0, None),
            };
            let jan1 = Date::from_ymd(last.year(), 1, 1).expect("1 januari");
            let first = on.max(jan1);
            let in_year = (first.days_until(last) + 1) as u32;
            vierde = if v.is_none() && before < 4 && before + in_year >= 4 {
                let d = first.add_days(3 - before as i32);
                let on = d.add_days(self.rng_net.range(0, 8) as i32);
                let actor = self.provider_actor(loc);
                self.record(
                    c,
                    on,
                    1,
                    actor,
                    ClientEvent::MoTraject {
                        toelichting: "Individueel begeleidingstraject gestart (plan van aanpak)."
                            .into(),
                    },
                );
                Some(d)
            } else {
                v
            };
            jaar = Some((last.year(), before + in_year));
        }
    }

    /// Issue 14: on the end date a few open requests of providers (an extension, one in
    /// three already "in onderzoek"), open proposals for waiting clients and temporary stays
    /// beside care; dated up to 20 days back, so some are past their term.
    fn network_at_end(&mut self) {
        let end = self.cfg.end;
        let pick = |rng: &mut Rng, mut v: Vec<usize>, n: usize| -> Vec<usize> {
            let mut out = Vec::new();
            while out.len() < n && !v.is_empty() {
                out.push(v.swap_remove(rng.below(v.len() as u64) as usize));
            }
            out
        };
        // Requests for an extension from the provider of the running care.
        let candidates: Vec<usize> = (0..self.clients.len())
            .filter(|&c| {
                let cl = &self.clients[c];
                let prod = &self.p.products[cl.product];
                cl.in_care
                    && prod.domain == Domain::Bw
                    && prod.max_months.is_none()
                    && cl.care_since <= end.add_days(-40)
            })
            .collect();
        for c in pick(&mut self.rng_net, candidates, 6) {
            let on = end.add_days(-(self.rng_net.range(0, 20) as i32));
            let cl = &self.clients[c];
            let loc = self.places[cl.product][cl.location.expect("in care")].0;
            let nieuw_einde = cl.allocation_end.add_months(6);
            let actor = self.provider_actor(loc);
            self.record(
                c,
                on,
                0,
                actor,
                ClientEvent::VerzoekWijziging {
                    aanbieder: self.p.locations[loc].provider,
                    wijziging: Wijziging::Verlenging { nieuw_einde },
                    reden: "Herstel vraagt meer tijd; verlenging met een half jaar.".into(),
                },
            );
            let verzoek = self.clients[c].version;
            if self.rng_net.chance(0.33) {
                self.record(
                    c,
                    on.add_days(2).min(end),
                    0,
                    self.clerk.clone(),
                    ClientEvent::VerzoekAntwoord {
                        verzoek,
                        uitkomst: VerzoekUitkomst::InOnderzoek,
                        toelichting: "Evaluatie met de cliënt gepland.".into(),
                    },
                );
            }
        }
        // Proposals for waiting clients, at a location of their product.
        let waiting: Vec<usize> = (0..self.clients.len())
            .filter(|&c| {
                let cl = &self.clients[c];
                !cl.in_care
                    && cl.waiting_since.is_some_and(|w| w <= end.add_days(-20))
                    && !self.places[cl.product].is_empty()
            })
            .collect();
        for c in pick(&mut self.rng_net, waiting, 5) {
            let on = end.add_days(-(self.rng_net.range(0, 18) as i32));
            let prod = self.clients[c].product;
            let li = self.rng_net.below(self.places[prod].len() as u64) as usize;
            let loc = self.places[prod][li].0;
            self.record(
                c,
                on,
                0,
                self.clerk.clone(),
                ClientEvent::Voorstel {
                    locatie: self.p.locations[loc].id.clone(),
                    product: self.p.products[prod].code.clone(),
                    geldig_tot: on.add_days(14),
                },
            );
        }
        // Temporary stays beside care, at a short-stay product's location.
        let short: Vec<(usize, u32)> = (0..self.p.products.len())
            .filter_map(|q| {
                let max = self.p.products[q].max_nachten?;
                (self.p.products[q].valid_on(end) && !self.places[q].is_empty()).then_some((q, max))
            })
            .collect();
        if short.is_empty() {
            return;
        }
        let in_care: Vec<usize> = (0..self.clients.len())
            .filter(|&c| {
                let cl = &self.clients[c];
                cl.in_care
                    && self.p.products[cl.product].domain == Domain::Bw
                    && self.p.products[cl.product].max_nachten.is_none()
                    && cl.care_since <= end.add_days(-70)
            })
            .collect();
        for c in pick(&mut self.rng_net, in_care, 8) {
            let (q, max) = short[self.rng_net.below(short.len() as u64) as usize];
            let li = self.rng_net.below(self.places[q].len() as u64) as usize;
            let loc = self.places[q][li].0;
            let on = end.add_days(-(self.rng_net.range(0, 60) as i32));
            let nachten = self.rng_net.range(1, i64::from(max)) as u16;
            let actor = self.provider_actor(loc);
            self.record(
                c,
                on,
                1,
                actor,
                ClientEvent::TijdelijkVerblijf {
                    product: self.p.products[q].code.clone(),
                    locatie: self.p.locations[loc].id.clone(),
                    nachten,
                },
            );
        }
    }

    /// The opening of the Wlz for people with a psychische kwetsbaarheid on 1 January 2021
    /// (seed 003, 'Wet langdurige zorg (Wlz)': "De Wlz wordt per 1 januari 2021 opengesteld").
    /// A share of the BW clients in care on that day moves to the Wlz on a day in 2021:
    /// - Nijmegen en Rivierenland: seed 000 thema 1, "iets minder dan de helft van de
    ///   cliënten, die beschermd wonen, [is] overgegaan" — 45 % is our reading of it;
    /// - elsewhere: seed 003's national expectation, "Landelijk is de verwachting dat 25% van
    ///   de inwoners die op dit moment gebruik maken van beschermd wonen een beroep kan doen op
    ///   de Wlz" (seeds 001, 002 and 004 give no share of their own).
    ///
    /// Draws come from `rng_extra`, so the calibrated arrivals before 2021 are unchanged.
    fn wlz_transfer_2021(&mut self, day: Date) {
        let share = if self.p.id.as_str() == "nijmegen-rivierenland" {
            0.45
        } else {
            0.25
        };
        for c in 0..self.clients.len() {
            let cl = &self.clients[c];
            if cl.in_care
                && self.p.products[cl.product].domain == Domain::Bw
                && self.rng_extra.chance(share)
            {
                let on = day.add_days(self.rng_extra.below(365) as i32);
                self.schedule(on, Action::WlzTransfer(c));
            }
        }
    }

    /// Whether a client leaving BW care on `day` can go to Kamers met Aandacht: seed 000
    /// thema 2 — "In Rijk van Nijmegen start eind 2021 de Pilot Kamers met Aandacht" for
    /// "jongvolwassenen (17-23)". 'Eind 2021' is read as from 1 October 2021 (our assumption).
    fn kamers_met_aandacht(&self, day: Date, c: usize) -> bool {
        let cl = &self.clients[c];
        let start = Date::from_ymd(2021, 10, 1).expect("valid");
        let age = (cl.born.days_until(day) / 365) as u32;
        let in_rijk_van_nijmegen = cl
            .location
            .map(|li| self.p.locations[self.places[cl.product][li].0].gemeente)
            .and_then(|g| self.p.subregio_of(g))
            .is_some_and(|s| s.naam == "Rijk van Nijmegen");
        day >= start && (17..=23).contains(&age) && in_rijk_van_nijmegen
    }

    /// People already in care (or waiting) when the simulation starts, with their back-story.
    fn seed_initial_population(&mut self) {
        let start = self.cfg.start;
        for prod in 0..self.p.products.len() {
            let product = &self.p.products[prod];
            if product.unit == Unit::Nacht || !product.valid_on(start) {
                continue;
            }
            let stay = mean_stay_days(product);
            let earliest = product
                .valid_from
                .add_days(30)
                .max(start.add_days(-(10 * 365)));
            let window = product
                .max_months
                .map_or(stay * 2.0, |m| f64::from(m) * 30.4 * 0.8);
            for li in 0..self.places[prod].len() {
                let (loc, cap, _) = self.places[prod][li];
                let n = (f64::from(cap) * 0.93).round() as u32;
                for _ in 0..n {
                    let care_start = start
                        .add_days(-(self.rng.f64() * window) as i32 - 1)
                        .max(earliest);
                    if care_start >= start {
                        continue;
                    }
                    let applied = care_start.add_days(-(self.rng.range(30, 120) as i32));
                    let herkomst = self.origin(applied, 0.06, 0.02);
                    let c = self.new_client(care_start, prod, herkomst);
                    self.aanmelding(
                        c,
                        applied,
                        Woonsituatie::Thuis,
                        Melder::Wijkteam,
                        Urgentie::Regulier,
                    );
                    self.beoordeling(c, applied.add_days(14), 2);
                    let alloc_start = care_start.add_days(-14).max(product.valid_from);
                    let months = product
                        .max_months
                        .unwrap_or_else(|| product.allocation_months().max(24));
                    let mut end = alloc_start.add_months(months as i32).add_days(-1);
                    if product.max_months.is_none() {
                        while end < start.add_days(60) {
                            end = end.add_months(12);
                        }
                    }
                    self.clients[c].allocation_start = alloc_start;
                    self.clients[c].allocation_end = end;
                    // PGB only for BW (MO is not delivered with a pgb, as below); the draw
                    // is made either way so the random stream stays the same.
                    let pgb = self.rng.chance(0.05);
                    let lv = if pgb && product.domain == Domain::Bw {
                        Leveringsvorm::Pgb
                    } else {
                        Leveringsvorm::Zin
                    };
                    let ev = ClientEvent::Toewijzing {
                        product: product.code.clone(),
                        start: alloc_start,
                        einde: end,
                        leveringsvorm: lv,
                        aanbieder: None,
                    };
                    self.record(c, alloc_start, 1, self.clerk.clone(), ev);
                    self.start_care(c, care_start, loc, prod, li);
                }
            }
        }
    }

    fn apply_for(&mut self, day: Date, prod: usize) {
        let crisis = self.p.products[prod].domain != Domain::Bw;
        let herkomst = self.origin(
            day,
            if crisis { 0.12 } else { 0.07 },
            if crisis { 0.10 } else { 0.03 },
        );
        let c = self.new_client(day, prod, herkomst);
        let woon = if crisis {
            *self.rng.pick(&[
                Woonsituatie::Dakloos,
                Woonsituatie::Dakloos,
                Woonsituatie::DreigendDakloos,
                Woonsituatie::Overig,
            ])
        } else {
            *self.rng.pick(&[
                Woonsituatie::Thuis,
                Woonsituatie::Thuis,
                Woonsituatie::Kliniek,
                Woonsituatie::Dakloos,
                Woonsituatie::Detentie,
                Woonsituatie::AndereRegio,
            ])
        };
        let melder = *self.rng.pick(&[
            Melder::Zelf,
            Melder::Wijkteam,
            Melder::Wijkteam,
            Melder::Huisarts,
            Melder::Zorgaanbieder,
            Melder::Politie,
            Melder::Meldpunt,
            Melder::Wvggz,
        ]);
        let urgentie = if crisis || self.rng.chance(0.08) {
            Urgentie::Urgent
        } else {
            Urgentie::Regulier
        };
        self.clients[c].priority = u8::from(urgentie == Urgentie::Urgent);
        self.aanmelding(c, day, woon, melder, urgentie);
        self.local_door_steps(c, day, prod);
        let (a, d) = if crisis {
            (0, 1)
        } else {
            (self.rng.range(5, 30), self.rng.range(3, 35))
        };
        self.schedule(day.add_days(a as i32), Action::Assess(c));
        self.schedule(day.add_days((a + d) as i32), Action::Decide(c));
    }

    fn night_shelter(&mut self, day: Date, prod: usize) {
        let herkomst = self.origin(day, 0.15, 0.25);
        let c = self.new_client(day, prod, herkomst);
        let melder = *self.rng.pick(&[
            Melder::Zelf,
            Melder::Zelf,
            Melder::Politie,
            Melder::Meldpunt,
        ]);
        self.aanmelding(c, day, Woonsituatie::Dakloos, melder, Urgentie::Crisis);
        let li = self.rng.below(self.places[prod].len() as u64) as usize;
        let loc = self.places[prod][li].0;
        let code = self.p.products[prod].code.clone();
        let actor = self.provider_actor(loc);
        // 124 of 293 stayed only a few days; 133 more than 3 nights; some return later.
        let total = if self.rng.chance(0.45) {
            self.rng.range(1, 3)
        } else {
            self.rng.range(4, 120)
        } as u32;
        let mut left = total;
        let mut t = day;
        let mut blocks = Vec::new();
        while left > 0 && t <= self.cfg.end {
            let block = left
                .min(self.rng.range(1, 30) as u32)
                .min((t.days_until(self.cfg.end) + 1) as u32);
            let ev = ClientEvent::MoOvernachting {
                product: code.clone(),
                locatie: self.p.locations[loc].id.clone(),
                nachten: block as u16,
            };
            let delay = self.rng.range(0, 3) as i32;
            self.record(c, t, delay, actor.clone(), ev);
            blocks.push((t, block));
            left -= block;
            t = t.add_days(block as i32 + self.rng.range(1, 40) as i32);
        }
        self.mo_trajects(c, &blocks, loc);
    }

    fn handle(&mut self, day: Date, action: Action) {
        match action {
            Action::Assess(c) => {
                if self.rng.chance(0.08) {
                    // Written up only after the decision: recorded later, dated today.
                    self.clients[c].late_assessment = Some(day);
                } else {
                    let delay = self.rng.range(0, 3) as i32;
                    self.beoordeling(c, day, delay);
                }
            }
            Action::Decide(c) => self.decide(day, c),
            Action::EndCare(c) => self.end_care(day, c),
            Action::Review(c) => {
                let cl = &self.clients[c];
                if cl.in_care && self.p.products[cl.product].max_months.is_none() {
                    let nieuw = cl.allocation_end.add_months(12);
                    self.clients[c].allocation_end = nieuw;
                    self.record(
                        c,
                        day,
                        1,
                        self.clerk.clone(),
                        ClientEvent::Wijziging(Wijziging::Verlenging { nieuw_einde: nieuw }),
                    );
                    self.schedule(nieuw.add_days(-30), Action::Review(c));
                }
            }
            Action::HouseSeeker(c) => {
                if self.clients[c].in_care {
                    let clerk = self.clerk.clone();
                    self.record(
                        c,
                        day,
                        2,
                        clerk,
                        ClientEvent::Woningzoekend {
                            bij: "regionaal woonruimteverdeelsysteem".into(),
                        },
                    );
                }
            }
            Action::WlzTransfer(c) => {
                let cl = &self.clients[c];
                if cl.in_care && cl.care_since <= day {
                    let (prod, li) = (cl.product, cl.location.expect("in care"));
                    self.places[prod][li].2 -= 1;
                    self.clients[c].in_care = false;
                    self.record(c, day, 3, self.clerk.clone(), ClientEvent::WlzOvergang);
                }
            }
            Action::GiveUp(c) => {
                let cl = &self.clients[c];
                if let Some(since) = cl.waiting_since
                    && !cl.in_care
                {
                    let prod = cl.product;
                    self.queues[prod].retain(|&x| x != c);
                    self.clients[c].waiting_since = None;
                    let reden = if day >= self.clients[c].allocation_end.add_days(-1) {
                        "toewijzing verloopt"
                    } else {
                        "elders geholpen"
                    };
                    let _ = since;
                    self.record(
                        c,
                        day,
                        1,
                        self.clerk.clone(),
                        ClientEvent::WachtlijstUit {
                            reden: reden.into(),
                        },
                    );
                }
            }
        }
    }

    fn decide(&mut self, day: Date, c: usize) {
        self.decide_inner(day, c);
        if let Some(assessed) = self.clients[c].late_assessment.take() {
            self.beoordeling(c, assessed, 40);
        }
    }

    fn decide_inner(&mut self, day: Date, c: usize) {
        let prod = self.clients[c].product;
        if self.rng.chance(0.12) {
            let reden = *self.rng.pick(&[
                "Wlz gaat voor",
                "ambulante Wmo-ondersteuning volstaat",
                "behandeling via Zvw gaat voor",
                "niet voldaan aan criteria",
            ]);
            let regie = *self.rng.pick(&[
                "wijkteam herkomstgemeente",
                "GGZ-behandelaar",
                "centrale toegang (casusregie)",
            ]);
            self.record(
                c,
                day,
                1,
                self.clerk.clone(),
                ClientEvent::Afwijzing {
                    reden: reden.into(),
                    casusregie: regie.into(),
                },
            );
            if self.rng.chance(0.1) {
                self.record(
                    c,
                    day.add_days(30),
                    1,
                    self.clerk.clone(),
                    ClientEvent::Bezwaar {
                        reden: "cliënt is het niet eens met de afwijzing".into(),
                    },
                );
            }
            return;
        }
        let product = &self.p.products[prod];
        if !product.valid_on(day) {
            return;
        }
        let end = product.default_end(day);
        self.clients[c].allocation_start = day;
        self.clients[c].allocation_end = end;
        let lv = if product.domain == Domain::Bw && self.rng.chance(0.05) {
            Leveringsvorm::Pgb
        } else {
            Leveringsvorm::Zin
        };
        let ev = ClientEvent::Toewijzing {
            product: product.code.clone(),
            start: day,
            einde: end,
            leveringsvorm: lv,
            aanbieder: None,
        };
        self.record(c, day, 1, self.clerk.clone(), ev);
        let prio = self.clients[c].priority;
        self.record(
            c,
            day,
            1,
            self.clerk.clone(),
            ClientEvent::WachtlijstIn {
                product: product.code.clone(),
                prioriteit: prio,
            },
        );
        self.clients[c].waiting_since = Some(day);
        self.queues[prod].push_back(c);
        // Crisis shelter cannot wait: people find another bed within weeks. BW waits long.
        let patience = if product.domain == Domain::Bw {
            self.rng.exp(400.0) as i32 + 30
        } else {
            self.rng.exp(14.0) as i32 + 2
        };
        let patience = day.add_days(patience).min(end.add_days(-1));
        self.schedule(patience.max(day.add_days(1)), Action::GiveUp(c));
    }

    fn start_care(&mut self, c: usize, day: Date, loc: usize, prod: usize, li: usize) {
        self.places[prod][li].2 += 1;
        let code = self.p.products[prod].code.clone();
        let actor = self.provider_actor(loc);
        let cl = &mut self.clients[c];
        cl.in_care = true;
        cl.location = Some(li);
        cl.waiting_since = None;
        cl.care_since = day;
        let delay = self.rng.range(0, 4) as i32;
        self.record(
            c,
            day,
            delay,
            actor.clone(),
            ClientEvent::StartZorg {
                product: code.clone(),
                locatie: self.p.locations[loc].id.clone(),
                overbezetting: None,
            },
        );
        if self.rng.chance(0.03) {
            // The provider corrects the start date a few weeks later.
            let version = self.clients[c].version;
            let moved = day
                .add_days(self.rng.range(-3, 3) as i32)
                .max(self.clients[c].allocation_start.add_days(1))
                .min(self.clients[c].allocation_end);
            let corr = ClientEvent::Correctie {
                corrigeert: version,
                vervanging: Box::new(ClientEvent::StartZorg {
                    product: code,
                    locatie: self.p.locations[loc].id.clone(),
                    overbezetting: None,
                }),
                reden: "startdatum gecorrigeerd door aanbieder".into(),
            };
            self.record(c, moved, 21, actor, corr);
            self.clients[c].care_since = moved;
        }
        let product = &self.p.products[prod];
        if product.domain == Domain::Bw {
            // Most register as house-seeker within the month agreed in CG; the others later,
            // after the team reminds them (5–13 weeks: the worklist shows them overdue by
            // days or weeks, as a working team's does). No extra draw for the late ones, so
            // the stream — and every other calibrated figure — stays as it was.
            let after = if self.rng_extra.chance(0.85) {
                self.rng_extra.exp(18.0) as i32 + 3
            } else {
                35 + (self.clients[c].id.0 % 57) as i32
            };
            self.schedule(
                self.clients[c].care_since.add_days(after),
                Action::HouseSeeker(c),
            );
        }
        let mean = mean_stay_days(product);
        let mut stay = self.rng.lognormal(mean, 0.9);
        if let Some(max) = product.max_months {
            stay = stay.min(f64::from(max) * 30.4 - 20.0);
        }
        let stay_until = self.clients[c]
            .care_since
            .add_days(stay.max(2.0) as i32 + 5);
        self.schedule(stay_until, Action::EndCare(c));
        if product.max_months.is_none() {
            let review = self.clients[c].allocation_end.add_days(-30);
            self.schedule(review.max(day.add_days(1)), Action::Review(c));
        }
    }

    fn fill_places(&mut self, day: Date) {
        for prod in 0..self.p.products.len() {
            while let Some(&c) = self.queues[prod].front() {
                // Priority first: urgent clients jump ahead of regular ones.
                let pick = self.queues[prod]
                    .iter()
                    .position(|&x| self.clients[x].priority > 0)
                    .unwrap_or(0);
                let c = if pick == 0 {
                    c
                } else {
                    self.queues[prod][pick]
                };
                // Own gemeente first ("zo dicht mogelijk bij huis"), then any free place.
                let herkomst = self.clients[c].herkomst;
                let free: Vec<usize> = (0..self.places[prod].len())
                    .filter(|&i| self.places[prod][i].2 < self.places[prod][i].1)
                    .collect();
                if free.is_empty() {
                    break;
                }
                let li = free
                    .iter()
                    .copied()
                    .find(|&i| Some(self.p.locations[self.places[prod][i].0].gemeente) == herkomst)
                    .unwrap_or(free[self.rng.below(free.len() as u64) as usize]);
                self.queues[prod].remove(pick);
                if day > self.clients[c].allocation_end {
                    continue;
                }
                let loc = self.places[prod][li].0;
                self.start_care(c, day, loc, prod, li);
            }
        }
    }

    fn end_care(&mut self, day: Date, c: usize) {
        if !self.clients[c].in_care {
            return;
        }
        let prod = self.clients[c].product;
        let product = &self.p.products[prod];
        let li = self.clients[c].location.expect("in care");
        let loc = self.places[prod][li].0;
        let actor = self.provider_actor(loc);
        // Doorstroom from a time-limited product to an extramural one when a place is free.
        if product.max_months.is_some() && product.domain == Domain::Bw && self.rng.chance(0.4) {
            let target = (0..self.p.products.len()).find(|&q| {
                let t = &self.p.products[q];
                t.domain == Domain::Bw
                    && t.setting == Setting::Extramuraal
                    && t.max_months.is_none()
                    && t.valid_on(day)
                    && self.places[q].iter().any(|x| x.2 < x.1)
            });
            if let Some(q) = target {
                let tli = self.places[q]
                    .iter()
                    .position(|x| x.2 < x.1)
                    .expect("free place");
                let tloc = self.places[q][tli].0;
                self.places[prod][li].2 -= 1;
                self.places[q][tli].2 += 1;
                let ev = ClientEvent::Wijziging(Wijziging::Doorstroom {
                    product: self.p.products[q].code.clone(),
                    locatie: self.p.locations[tloc].id.clone(),
                });
                self.record(c, day, 2, actor, ev);
                let cl = &mut self.clients[c];
                cl.product = q;
                cl.location = Some(tli);
                cl.care_since = day;
                let stay = self.rng.lognormal(mean_stay_days(&self.p.products[q]), 0.9);
                self.schedule(day.add_days(stay.max(30.0) as i32), Action::EndCare(c));
                self.schedule(
                    self.clients[c]
                        .allocation_end
                        .add_days(-30)
                        .max(day.add_days(1)),
                    Action::Review(c),
                );
                return;
            }
        }
        let bw = product.domain == Domain::Bw;
        // Kamers met Aandacht only where and for whom the pilot exists (seed 000 thema 2);
        // the weight for those who qualify is a demo value.
        let kma = if bw && self.kamers_met_aandacht(day, c) {
            15.0
        } else {
            0.0
        };
        let weights = [
            35.0,
            5.0,
            kma,
            6.0,
            0.0,
            if bw && product.setting == Setting::Intramuraal {
                8.0
            } else {
                1.0
            },
            8.0,
            3.0,
            6.0,
            2.0,
            12.0,
        ];
        let dests = Bestemming::ALL;
        let dest = dests[self.rng.weighted(&weights)];
        let max_reached = product.max_months.is_some_and(|m| {
            self.clients[c]
                .care_since
                .add_months(m as i32)
                .add_days(-10)
                <= day
        });
        if dest.is_housing()
            && self.clients[c].housing_tries < 3
            && !max_reached
            && self.rng.chance(HOUSING_BLOCKED)
        {
            // Ready to leave, but no home: stays on (the bottleneck in every seed).
            let first = self.clients[c].housing_tries == 0;
            if first {
                self.record(c, day, 5, actor.clone(), ClientEvent::Uitstroomklaar);
            }
            self.clients[c].housing_tries += 1;
            let mut wait = self.rng.exp(HOUSING_DELAY) as i32 + 7;
            if let Some(m) = product.max_months {
                let limit = self.clients[c]
                    .care_since
                    .add_months(m as i32)
                    .add_days(-12);
                wait = wait.min(day.days_until(limit).max(1));
            }
            self.schedule(day.add_days(wait), Action::EndCare(c));
            self.housing_while_waiting(c, day, day.add_days(wait), first, dest, loc);
            return;
        }
        self.places[prod][li].2 -= 1;
        self.clients[c].in_care = false;
        if dest == Bestemming::Wlz {
            self.record(c, day, 3, self.clerk.clone(), ClientEvent::WlzOvergang);
        } else {
            let delay = self.rng.range(0, 10) as i32;
            let woning = if dest.is_housing() {
                self.housing_at_exit(c, day, loc, actor.clone())
            } else {
                None
            };
            self.record(
                c,
                day,
                delay,
                actor,
                ClientEvent::EindeZorg {
                    bestemming: dest,
                    woning,
                },
            );
        }
    }

    /// Issue 15: the actor of a corporation's fact.
    fn corporatie_actor(id: &str) -> Actor {
        Actor {
            user: format!("corporatie.{id}"),
            role: Role::Woningcorporatie,
            organisation: Organisation::Corporatie(id.to_owned()),
        }
    }

    /// Issue 15: a corporation of the region with a gemeente of its werkgebied that is a
    /// gemeente on `on` — one of `preferred` where it can, else any. `None` without
    /// corporations.
    fn corporation_for(
        &mut self,
        preferred: &[GemeenteCode],
        on: Date,
    ) -> Option<(String, GemeenteCode)> {
        let reg = Gemeenten::national();
        let mut options: Vec<(String, GemeenteCode)> = Vec::new();
        for c in &self.p.corporaties {
            for g in &c.gemeenten {
                if reg.valid_on(*g, on).is_ok() {
                    options.push((c.id.clone(), *g));
                }
            }
        }
        let fitting: Vec<(String, GemeenteCode)> = options
            .iter()
            .filter(|(_, g)| preferred.contains(g))
            .cloned()
            .collect();
        let from = if fitting.is_empty() || self.rng_wonen.chance(0.15) {
            options
        } else {
            fitting
        };
        if from.is_empty() {
            return None;
        }
        Some(from[self.rng_wonen.below(from.len() as u64) as usize].clone())
    }

    /// Issue 15: while a client waits for a home after being found uitstroomklaar on `day`
    /// (reconsidered on `next`): the first time a woonbehoefte and maybe an urgentie
    /// application, decided within 2–7 weeks (the demo's team and gemeenten close their own
    /// deadlines). For whom is still waiting on the end date, sometimes an offer in the last
    /// three weeks: refused, accepted, or still awaiting the answer (so the worklist shows
    /// a few running offers and refusals, none long overdue).
    fn housing_while_waiting(
        &mut self,
        c: usize,
        day: Date,
        next: Date,
        first: bool,
        dest: Bestemming,
        loc: usize,
    ) {
        let reg = Gemeenten::national();
        let clerk = self.clerk.clone();
        if first {
            if !self.rng_wonen.chance(0.75) {
                return;
            }
            let facility = self.p.locations[loc].gemeente;
            let mut gemeenten: Vec<GemeenteCode> = Vec::new();
            if reg.valid_on(facility, day).is_ok() {
                gemeenten.push(facility);
            }
            if let Some(h) = self.clients[c].herkomst
                && h != facility
                && self.p.gemeente(h).is_some()
                && reg.valid_on(h, day).is_ok()
                && self.rng_wonen.chance(0.35)
            {
                gemeenten.push(h);
            }
            if gemeenten.is_empty() {
                return;
            }
            let woningtype = Woningtype::ALL[self.rng_wonen.weighted(&[15.0, 45.0, 35.0, 5.0])];
            let route = match dest {
                Bestemming::HousingFirst => WoonRoute::HousingFirst,
                Bestemming::KamersMetAandacht => WoonRoute::KamersMetAandacht,
                _ => WoonRoute::Regulier,
            };
            let behoefte = vangnet_domain::events::Woonbehoefte {
                woningtype,
                prikkelarm: self.rng_wonen.chance(0.3),
                gemeenten,
                ambulante_begeleiding: self.rng_wonen.chance(0.8),
                route,
                verwacht_klaar: None,
            };
            let urgentie = behoefte.gemeenten[0];
            self.record(
                c,
                day,
                3,
                clerk.clone(),
                ClientEvent::Woonbehoefte(behoefte.clone()),
            );
            let mut last = day;
            // Urgentie (seed 004: "Doorgaans komen zij in aanmerking voor urgentie").
            if self.rng_wonen.chance(0.4) {
                let on = day.add_days(self.rng_wonen.range(3, 14) as i32);
                self.record(
                    c,
                    on,
                    2,
                    clerk.clone(),
                    ClientEvent::UrgentieAanvraag { gemeente: urgentie },
                );
                let aanvraag = self.clients[c].version;
                let decided = on.add_days(self.rng_wonen.range(14, 50) as i32);
                let toegekend = self.rng_wonen.chance(0.75);
                self.record(
                    c,
                    decided,
                    3,
                    clerk.clone(),
                    ClientEvent::UrgentieBesluit {
                        aanvraag,
                        toegekend,
                        toelichting: if toegekend {
                            String::new()
                        } else {
                            "geen urgentiegrond volgens de verordening".into()
                        },
                    },
                );
                last = decided;
            }
            self.clients[c].woon = Some(WoonSim { behoefte, last });
        }
        let end = self.cfg.end;
        let Some(w) = self.clients[c].woon.clone() else {
            return;
        };
        if next <= end || !self.rng_wonen.chance(0.3) {
            return;
        }
        let on = end.add_days(-(self.rng_wonen.range(0, 20) as i32));
        let answered = on.add_days(self.rng_wonen.range(1, 10) as i32);
        if on <= w.last.max(day) {
            return;
        }
        let Some((corporatie, gemeente)) = self.corporation_for(&w.behoefte.gemeenten, on) else {
            return;
        };
        self.record(
            c,
            on,
            1,
            Self::corporatie_actor(&corporatie),
            ClientEvent::Woningaanbod {
                corporatie,
                gemeente,
                woningtype: w.behoefte.woningtype,
                route: w.behoefte.route,
                reageren_voor: on.add_days(14),
            },
        );
        let aanbod = self.clients[c].version;
        let akkoord = self.rng_wonen.chance(0.6);
        let reden = if akkoord { "" } else { self.refusal_reason() };
        // Not written when `answered` is after the end date: the offer is still open.
        self.record(
            c,
            answered,
            1,
            clerk,
            ClientEvent::AanbodAntwoord {
                aanbod,
                akkoord,
                reden: reden.into(),
            },
        );
    }

    /// A reason to refuse an offered home (demo values).
    fn refusal_reason(&mut self) -> &'static str {
        [
            "te ver van het eigen netwerk",
            "woning te klein",
            "niet prikkelarm genoeg",
            "buurt past niet (oude contacten)",
        ][self.rng_wonen.below(4) as usize]
    }

    /// Issue 15: a client leaves care to a home on `day`. With a woonbehoefte recorded, the
    /// path before it: an offer accepted, the tenancy signed, the move (all before `day`,
    /// after the last housing fact; skipped when there is no room). The destination home:
    /// the offer's, else mostly in the facility's gemeente (seed 004 §8), some elsewhere in
    /// the region.
    fn housing_at_exit(
        &mut self,
        c: usize,
        day: Date,
        loc: usize,
        provider: Actor,
    ) -> Option<Woonbestemming> {
        let reg = Gemeenten::national();
        if let Some(mut w) = self.clients[c].woon.clone() {
            // Sometimes a first offer is refused, and the next one follows within two weeks.
            let first = day.add_days(-(self.rng_wonen.range(60, 90) as i32));
            let refused = first.add_days(self.rng_wonen.range(1, 10) as i32);
            if first > w.last
                && self.rng_wonen.chance(0.3)
                && let Some((corporatie, gemeente)) =
                    self.corporation_for(&w.behoefte.gemeenten, first)
            {
                self.record(
                    c,
                    first,
                    1,
                    Self::corporatie_actor(&corporatie),
                    ClientEvent::Woningaanbod {
                        corporatie,
                        gemeente,
                        woningtype: w.behoefte.woningtype,
                        route: w.behoefte.route,
                        reageren_voor: first.add_days(14),
                    },
                );
                let aanbod = self.clients[c].version;
                let reden = self.refusal_reason();
                self.record(
                    c,
                    refused,
                    1,
                    self.clerk.clone(),
                    ClientEvent::AanbodAntwoord {
                        aanbod,
                        akkoord: false,
                        reden: reden.into(),
                    },
                );
                w.last = refused;
            }
            let on = if w.last == refused {
                refused.add_days(self.rng_wonen.range(1, 12) as i32)
            } else {
                day.add_days(-(self.rng_wonen.range(35, 70) as i32))
            };
            let accepted = on.add_days(self.rng_wonen.range(1, 10) as i32);
            let signed = accepted.add_days(self.rng_wonen.range(3, 14) as i32);
            let ingang = signed.add_days(self.rng_wonen.range(0, 14) as i32);
            if on > w.last
                && ingang <= day
                && let Some((corporatie, gemeente)) =
                    self.corporation_for(&w.behoefte.gemeenten, on)
            {
                let clerk = self.clerk.clone();
                let corp = Self::corporatie_actor(&corporatie);
                self.record(
                    c,
                    on,
                    1,
                    corp.clone(),
                    ClientEvent::Woningaanbod {
                        corporatie,
                        gemeente,
                        woningtype: w.behoefte.woningtype,
                        route: w.behoefte.route,
                        reageren_voor: on.add_days(14),
                    },
                );
                let aanbod = self.clients[c].version;
                self.record(
                    c,
                    accepted,
                    1,
                    clerk,
                    ClientEvent::AanbodAntwoord {
                        aanbod,
                        akkoord: true,
                        reden: String::new(),
                    },
                );
                self.record(
                    c,
                    signed,
                    2,
                    corp,
                    ClientEvent::Huurovereenkomst {
                        aanbod,
                        ingangsdatum: ingang,
                    },
                );
                self.record(c, ingang, 2, provider, ClientEvent::Verhuizing { aanbod });
                // (A gemeente merged away between the offer and the end: no destination.)
                return reg
                    .valid_on(gemeente, day)
                    .is_ok()
                    .then_some(Woonbestemming {
                        gemeente,
                        woningtype: w.behoefte.woningtype,
                    });
            }
        }
        let facility = self.p.locations[loc].gemeente;
        let gemeente = if self.rng_wonen.chance(0.8) && reg.valid_on(facility, day).is_ok() {
            facility
        } else {
            let members: Vec<GemeenteCode> = self
                .p
                .gemeenten
                .iter()
                .map(|g| g.code)
                .filter(|g| reg.valid_on(*g, day).is_ok())
                .collect();
            if members.is_empty() {
                return None;
            }
            members[self.rng_wonen.below(members.len() as u64) as usize]
        };
        let woningtype = match self.clients[c].woon.as_ref() {
            Some(w) => w.behoefte.woningtype,
            None => Woningtype::ALL[self.rng_wonen.weighted(&[15.0, 45.0, 35.0, 5.0])],
        };
        Some(Woonbestemming {
            gemeente,
            woningtype,
        })
    }
}

/// The instant a demo fact is recorded: `h:m` UTC on `day`.
fn recorded_at(day: Date, h: u32, m: u64) -> Timestamp {
    let secs = i64::from(day.days_since_epoch()) * 86_400 + i64::from(h) * 3600 + m as i64 * 60;
    Timestamp::from_second(secs).expect("a demo date is in range")
}

/// The UTC day (days since 1970) of an instant: the recording order of the demo's log.
pub(crate) fn recorded_day(at: Timestamp) -> i64 {
    at.as_second().div_euclid(86_400)
}

#[cfg(test)]
mod tests;
