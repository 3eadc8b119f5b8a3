//! Places over time (issue 14): the capacity of each location × product as **periods**, and
//! the stand of places on a day — occupied, reserved, blocked and free.
//!
//! - The profile's `places` of a location are the first period, from the beginning. An
//!   entered [`CapaciteitPeriode`] with `tot: None` is a *step*: from `vanaf` on the location
//!   has `plaatsen` places (afbouw, opbouw, opening, sluiting = 0, a wijziging); one with
//!   `tot: Some(..)` is *temporary* and the capacity before it returns the day after `tot`.
//!   An ombouw (one product down, another up) is two periods entered in one submit.
//! - Periods of one location × product **cannot overlap** ([`check_periode`], code
//!   `capaciteit.overlap`, naming the existing period): not the same `vanaf`, no bounded
//!   period containing another's start, no start inside a bounded period. So on every day at
//!   most one bounded period is in force, and it takes over from the latest step.
//! - Decision (documented, aanname): a period is for a product the **location offers in its
//!   profile** (`places` lists it, possibly with 0 places for a location still to open) — the
//!   state rules refuse a placement at a location that does not offer the product
//!   (`locatie.biedt_product_niet`), so capacity for it would be a number nobody can use. A new
//!   product at a location is a profile change (TOML, with its herkomst); an Opening opens an
//!   offered product (places from 0 up), a Sluiting sets 0.
//! - [`Capaciteit`] answers [`Capaciteit::places_on`] and lists the derived periods per
//!   location × product ([`Capaciteit::perioden`], disjoint and covering every day).
//! - **Occupancy on a day** is read from client states *as of that day* (the store keeps the
//!   state of today, so its overview is today's; a state folded with
//!   [`crate::state::fold_stream_as_of`] gives any other day): in care at the location
//!   (`ClientState::zorg`); a temporary stay (`ClientState::tijdelijk`) occupies its location's
//!   short-stay product from its first through its last night; **reserved** = an open proposal
//!   (`ClientState::voorstel`) from its date while `geldig_tot ≥ day` or once accepted (not
//!   yet started); **blocked** = in care and `uitstroomklaar` (waiting only for a home; a part
//!   of the occupied places); **free** = places − occupied − reserved, which is negative with
//!   overbezetting — shown, never clamped.

use std::collections::{BTreeMap, BTreeSet};

use crate::date::Date;
use crate::ids::{LocationId, ProductCode};
use crate::region::RegionProfile;
use crate::state::{ClientState, RuleError};

/// The most places one period may give one location × product (a sanity bound: the largest
/// location in the seeds has fewer than 200).
pub const MAX_PLAATSEN: u32 = 5_000;

/// What kind of change a capacity period records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CapaciteitSoort {
    /// A location (product) opens: places from 0 up.
    Opening,
    /// A location (product) closes: 0 places.
    Sluiting,
    /// Ombouw: one product to fewer places, another up (two periods in one submit).
    Ombouw,
    /// Afbouw: fewer places (intramural reduction).
    Afbouw,
    /// Opbouw: more places.
    Opbouw,
    /// A temporary change with an end date (the capacity returns after it).
    Tijdelijk,
    /// Another change (a correction of the number).
    Wijziging,
}

impl CapaciteitSoort {
    /// Every kind, in display order.
    pub const ALL: [CapaciteitSoort; 7] = [
        CapaciteitSoort::Afbouw,
        CapaciteitSoort::Opbouw,
        CapaciteitSoort::Opening,
        CapaciteitSoort::Sluiting,
        CapaciteitSoort::Ombouw,
        CapaciteitSoort::Tijdelijk,
        CapaciteitSoort::Wijziging,
    ];

    /// The stored key (`afbouw`).
    pub fn key(self) -> &'static str {
        match self {
            CapaciteitSoort::Opening => "opening",
            CapaciteitSoort::Sluiting => "sluiting",
            CapaciteitSoort::Ombouw => "ombouw",
            CapaciteitSoort::Afbouw => "afbouw",
            CapaciteitSoort::Opbouw => "opbouw",
            CapaciteitSoort::Tijdelijk => "tijdelijk",
            CapaciteitSoort::Wijziging => "wijziging",
        }
    }

    /// The kind of a stored key.
    pub fn parse(key: &str) -> Option<CapaciteitSoort> {
        CapaciteitSoort::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The Dutch label (`Afbouw`).
    pub fn label(self) -> &'static str {
        match self {
            CapaciteitSoort::Opening => "Opening",
            CapaciteitSoort::Sluiting => "Sluiting",
            CapaciteitSoort::Ombouw => "Ombouw",
            CapaciteitSoort::Afbouw => "Afbouw",
            CapaciteitSoort::Opbouw => "Opbouw",
            CapaciteitSoort::Tijdelijk => "Tijdelijk",
            CapaciteitSoort::Wijziging => "Wijziging",
        }
    }
}

/// A capacity period of one location × product as entered (by the access team or the
/// location's provider), with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapaciteitPeriode {
    /// Location.
    pub locatie: LocationId,
    /// Product.
    pub product: ProductCode,
    /// First day.
    pub vanaf: Date,
    /// Last day, inclusive (`None`: a step, in force until the next one).
    pub tot: Option<Date>,
    /// Places from `vanaf`.
    pub plaatsen: u32,
    /// What kind of change.
    pub soort: CapaciteitSoort,
    /// Why (required).
    pub reden: String,
}

/// A free place reported by a provider (or the access team): a location × product has
/// `aantal` free places from `datum` (a *melding*, read beside the computed stand; it does not
/// change the capacity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaatsMelding {
    /// Location.
    pub locatie: LocationId,
    /// Product.
    pub product: ProductCode,
    /// From.
    pub datum: Date,
    /// Free places reported.
    pub aantal: u32,
    /// Explanation (may be empty).
    pub toelichting: String,
}

/// The places of one location × product on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaatsStand {
    /// Location.
    pub locatie: LocationId,
    /// Product.
    pub product: ProductCode,
    /// Capacity on the day ([`Capaciteit::places_on`]).
    pub plaatsen: u32,
    /// Occupied: in care there, plus temporary stays there.
    pub bezet: u32,
    /// Reserved by open proposals.
    pub gereserveerd: u32,
    /// Blocked: of the occupied, in care and uitstroomklaar (waiting only for a home).
    pub geblokkeerd: u32,
    /// Free: places − occupied − reserved (negative with overbezetting).
    pub vrij: i64,
}

/// One location × product (the key of every table here).
pub type Sleutel = (LocationId, ProductCode);

/// Checks of one period on its own and against the stored periods of the region
/// (`existing`): the location is the region's and offers the product, the product is valid
/// on `vanaf`, `tot ≥ vanaf`, places within [`MAX_PLAATSEN`], the kind fits the number
/// (sluiting 0, opening more than 0, tijdelijk with an end), a reason, dates in the profile
/// range, and no overlap (`capaciteit.overlap`, naming the existing period).
pub fn check_periode(
    profile: &RegionProfile,
    p: &CapaciteitPeriode,
    existing: &[CapaciteitPeriode],
) -> Result<(), RuleError> {
    let Some(loc) = profile.location(&p.locatie) else {
        return Err(RuleError::new(
            "capaciteit.locatie_onbekend",
            "locatie",
            format!(
                "locatie '{}' is geen locatie van {}",
                p.locatie, profile.name
            ),
        ));
    };
    let Some(product) = profile.product(&p.product) else {
        return Err(RuleError::new(
            "capaciteit.product_onbekend",
            "product",
            format!(
                "product '{}' is geen product van {}",
                p.product, profile.name
            ),
        ));
    };
    if !loc.places.contains_key(&p.product) {
        return Err(RuleError::new(
            "capaciteit.product_niet_aangeboden",
            "product",
            format!(
                "{} biedt geen {} aan (een nieuw product op een locatie is een wijziging van het regioprofiel)",
                loc.name, product.name
            ),
        ));
    }
    let (lo, hi) = crate::region::profile_date_range();
    for (field, d) in [("vanaf", Some(p.vanaf)), ("tot", p.tot)] {
        if let Some(d) = d
            && (d < lo || d > hi)
        {
            return Err(RuleError::new(
                "capaciteit.datum_buiten_bereik",
                field,
                format!("{} ligt buiten {} … {}", d.nl(), lo.nl(), hi.nl()),
            ));
        }
    }
    if !product.valid_on(p.vanaf) {
        return Err(RuleError::new(
            "capaciteit.product_niet_geldig",
            "vanaf",
            format!("{} bestaat niet op {}", product.name, p.vanaf.nl()),
        ));
    }
    if let Some(tot) = p.tot
        && tot < p.vanaf
    {
        return Err(RuleError::new(
            "capaciteit.tot_voor_vanaf",
            "tot",
            format!(
                "de einddatum {} ligt vóór de begindatum {}",
                tot.nl(),
                p.vanaf.nl()
            ),
        ));
    }
    if p.plaatsen > MAX_PLAATSEN {
        return Err(RuleError::new(
            "capaciteit.te_veel_plaatsen",
            "plaatsen",
            format!(
                "{} plaatsen is meer dan het maximum van {MAX_PLAATSEN} per locatie en product",
                p.plaatsen
            ),
        ));
    }
    match p.soort {
        CapaciteitSoort::Sluiting if p.plaatsen != 0 => {
            return Err(RuleError::new(
                "capaciteit.sluiting_met_plaatsen",
                "plaatsen",
                "bij een sluiting is het aantal plaatsen 0",
            ));
        }
        CapaciteitSoort::Opening if p.plaatsen == 0 => {
            return Err(RuleError::new(
                "capaciteit.opening_zonder_plaatsen",
                "plaatsen",
                "bij een opening is het aantal plaatsen groter dan 0",
            ));
        }
        CapaciteitSoort::Tijdelijk if p.tot.is_none() => {
            return Err(RuleError::new(
                "capaciteit.tijdelijk_zonder_einde",
                "tot",
                "een tijdelijke wijziging heeft een einddatum",
            ));
        }
        _ => {}
    }
    if p.reden.trim().is_empty() {
        return Err(RuleError::new(
            "capaciteit.reden_ontbreekt",
            "reden",
            "vul de reden van de wijziging in",
        ));
    }
    crate::limits::check_text("reden", &p.reden, crate::limits::MAX_TEXT_CHARS, false)?;
    if let Some(other) = overlapping(p, existing) {
        return Err(RuleError::new(
            "capaciteit.overlap",
            if other.vanaf == p.vanaf
                || other
                    .tot
                    .is_some_and(|t| other.vanaf <= p.vanaf && p.vanaf <= t)
            {
                "vanaf"
            } else {
                "tot"
            },
            format!(
                "overlapt met de bestaande periode {} ({}, {} {}: {}); perioden van één locatie en product mogen niet overlappen",
                periode_label(other.vanaf, other.tot),
                other.soort.label().to_lowercase(),
                other.plaatsen,
                if other.plaatsen == 1 {
                    "plaats"
                } else {
                    "plaatsen"
                },
                other.reden
            ),
        ));
    }
    Ok(())
}

/// "vanaf 01-03-2026" or "01-03-2026 t/m 31-05-2026".
pub fn periode_label(vanaf: Date, tot: Option<Date>) -> String {
    match tot {
        None => format!("vanaf {}", vanaf.nl()),
        Some(t) => format!("{} t/m {}", vanaf.nl(), t.nl()),
    }
}

/// The first stored period of the same location × product that `p` overlaps: the same
/// start, `p` bounded and containing its start, or `p` starting inside it (bounded).
pub fn overlapping<'a>(
    p: &CapaciteitPeriode,
    existing: &'a [CapaciteitPeriode],
) -> Option<&'a CapaciteitPeriode> {
    existing.iter().find(|o| {
        o.locatie == p.locatie
            && o.product == p.product
            && (o.vanaf == p.vanaf
                || p.tot.is_some_and(|t| p.vanaf <= o.vanaf && o.vanaf <= t)
                || o.tot.is_some_and(|t| o.vanaf <= p.vanaf && p.vanaf <= t))
    })
}

/// One derived period of a location × product: `van` … `tot` inclusive (`None` at either
/// end: from the beginning / without end), with its places and the entered period it comes
/// from (`None`: the profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfgeleidePeriode {
    /// First day (`None`: from the beginning).
    pub van: Option<Date>,
    /// Last day (`None`: without end).
    pub tot: Option<Date>,
    /// Places.
    pub plaatsen: u32,
    /// Index into [`Capaciteit::entered`] of the period in force (`None`: the profile's).
    pub bron: Option<usize>,
}

/// The capacity of a region: the profile's places as the first period of each location ×
/// product, and the entered periods (non-overlapping, [`check_periode`]).
#[derive(Debug, Clone, Default)]
pub struct Capaciteit {
    base: BTreeMap<Sleutel, u32>,
    entered: Vec<CapaciteitPeriode>,
    /// Indices into `entered` per key, by `vanaf`.
    by_key: BTreeMap<Sleutel, Vec<usize>>,
}

impl Capaciteit {
    /// The capacity of `profile` with the entered `periods` (in the order entered).
    pub fn new<'a>(
        profile: &RegionProfile,
        periods: impl IntoIterator<Item = &'a CapaciteitPeriode>,
    ) -> Capaciteit {
        let mut base = BTreeMap::new();
        for loc in &profile.locations {
            for (product, n) in &loc.places {
                base.insert((loc.id.clone(), product.clone()), *n);
            }
        }
        let entered: Vec<CapaciteitPeriode> = periods.into_iter().cloned().collect();
        let mut by_key: BTreeMap<Sleutel, Vec<usize>> = BTreeMap::new();
        for (i, p) in entered.iter().enumerate() {
            by_key
                .entry((p.locatie.clone(), p.product.clone()))
                .or_default()
                .push(i);
        }
        for v in by_key.values_mut() {
            v.sort_by_key(|&i| (entered[i].vanaf, i));
        }
        Capaciteit {
            base,
            entered,
            by_key,
        }
    }

    /// The entered periods, in the order entered.
    pub fn entered(&self) -> &[CapaciteitPeriode] {
        &self.entered
    }

    /// Every location × product with capacity (profile or entered), in order.
    pub fn keys(&self) -> BTreeSet<Sleutel> {
        self.base
            .keys()
            .chain(self.by_key.keys())
            .cloned()
            .collect()
    }

    /// The entered period in force for `key` on `on` (index into [`Capaciteit::entered`]):
    /// a bounded period covering `on`, else the latest step starting on or before `on`.
    fn in_force(&self, key: &Sleutel, on: Date) -> Option<usize> {
        let idx = self.by_key.get(key)?;
        let bounded = idx.iter().copied().find(|&i| {
            let p = &self.entered[i];
            p.tot.is_some_and(|t| p.vanaf <= on && on <= t)
        });
        bounded.or_else(|| {
            idx.iter().copied().rfind(|&i| {
                let p = &self.entered[i];
                p.tot.is_none() && p.vanaf <= on
            })
        })
    }

    /// Places of `locatie` × `product` on `on` (0 for a pair without capacity).
    pub fn places_on(&self, locatie: &LocationId, product: &ProductCode, on: Date) -> u32 {
        let key = (locatie.clone(), product.clone());
        match self.in_force(&key, on) {
            Some(i) => self.entered[i].plaatsen,
            None => self.base.get(&key).copied().unwrap_or(0),
        }
    }

    /// The derived periods of `locatie` × `product`, in order: disjoint, covering every day
    /// (the first from the beginning, the last without end), each with its places and the
    /// entered period in force (`bron`). Adjacent days with the same source are one period.
    pub fn perioden(&self, locatie: &LocationId, product: &ProductCode) -> Vec<AfgeleidePeriode> {
        let key = (locatie.clone(), product.clone());
        let mut starts: BTreeSet<Date> = BTreeSet::new();
        for &i in self.by_key.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
            let p = &self.entered[i];
            starts.insert(p.vanaf);
            if let Some(t) = p.tot {
                // A period ending on the last representable day has no day after it.
                let next = t.add_days(1);
                if next > t {
                    starts.insert(next);
                }
            }
        }
        let base = self.base.get(&key).copied().unwrap_or(0);
        let mut out: Vec<AfgeleidePeriode> = vec![AfgeleidePeriode {
            van: None,
            tot: None,
            plaatsen: base,
            bron: None,
        }];
        for s in starts {
            let bron = self.in_force(&key, s);
            let plaatsen = bron.map_or(base, |i| self.entered[i].plaatsen);
            let last = out.last_mut().expect("non-empty");
            if last.bron == bron {
                continue;
            }
            last.tot = Some(s.add_days(-1));
            out.push(AfgeleidePeriode {
                van: Some(s),
                tot: None,
                plaatsen,
                bron,
            });
        }
        out
    }
}

/// Occupancy of a region's locations on one day, per location × product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bezetting {
    /// In care (and temporary stays) there.
    pub bezet: BTreeMap<Sleutel, u32>,
    /// Reserved by open proposals.
    pub gereserveerd: BTreeMap<Sleutel, u32>,
    /// In care and uitstroomklaar.
    pub geblokkeerd: BTreeMap<Sleutel, u32>,
}

impl Bezetting {
    /// The occupancy on `on` of client states folded as of `on`.
    pub fn of_states<'a>(states: impl IntoIterator<Item = &'a ClientState>, on: Date) -> Bezetting {
        let mut b = Bezetting::default();
        for s in states {
            b.add_state(s, on, true);
        }
        b
    }

    /// Add one client (its state as of `on`): in care (only when `count_care`; a caller that
    /// has the care counted already, like the store's occupancy counter, passes `false`),
    /// blocked, a temporary stay, a reservation.
    pub fn add_state(&mut self, s: &ClientState, on: Date, count_care: bool) {
        let care = s
            .zorg
            .as_ref()
            .map(|z| (z.locatie.clone(), z.product.clone()));
        if let Some(key) = &care {
            if count_care {
                *self.bezet.entry(key.clone()).or_default() += 1;
            }
            if s.uitstroomklaar.is_some_and(|d| d <= on) {
                *self.geblokkeerd.entry(key.clone()).or_default() += 1;
            }
        }
        if let Some(t) = &s.tijdelijk
            && t.van <= on
            && on <= t.tot
        {
            *self
                .bezet
                .entry((t.locatie.clone(), t.product.clone()))
                .or_default() += 1;
        }
        if let Some(v) = &s.voorstel {
            let key = (v.locatie.clone(), v.product.clone());
            if v.sinds <= on
                && (v.geldig_tot >= on || v.akkoord.is_some())
                && care.as_ref() != Some(&key)
            {
                *self.gereserveerd.entry(key).or_default() += 1;
            }
        }
    }
}

/// The stand of every location × product of the region on `on`: every pair with capacity
/// (profile or entered) and every pair where someone is (an occupant without capacity shows
/// 0 places and a negative free count), in order.
pub fn stand(cap: &Capaciteit, b: &Bezetting, on: Date) -> Vec<PlaatsStand> {
    let mut keys = cap.keys();
    keys.extend(b.bezet.keys().cloned());
    keys.extend(b.gereserveerd.keys().cloned());
    keys.into_iter()
        .map(|(locatie, product)| {
            let key = (locatie, product);
            let get = |m: &BTreeMap<Sleutel, u32>| m.get(&key).copied().unwrap_or(0);
            let plaatsen = cap.places_on(&key.0, &key.1, on);
            let bezet = get(&b.bezet);
            let gereserveerd = get(&b.gereserveerd);
            let geblokkeerd = get(&b.geblokkeerd);
            let vrij = i64::from(plaatsen) - i64::from(bezet) - i64::from(gereserveerd);
            PlaatsStand {
                locatie: key.0,
                product: key.1,
                plaatsen,
                bezet,
                gereserveerd,
                geblokkeerd,
                vrij,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
