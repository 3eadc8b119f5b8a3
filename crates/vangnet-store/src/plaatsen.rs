//! Places over time in the store (issue 14; tables `capaciteit_periode` and
//! `plaats_melding`, migration 0013 in both engines): the capacity periods a region's access
//! team or a location's provider entered, the free places reported, and the aggregate stand
//! of places per location × product ([`overview`]). Not client data. The rules both engines
//! share live here, the engines only move rows:
//!
//! - who may record ([`decide_periode`], [`decide_melding`]): the region's access team, the
//!   location's own provider ([`vangnet_domain::access::may_record_capacity`]) or the system;
//!   anyone else is refused with [`StoreError::Denied`]. Every decision, a refusal too, is one
//!   access-log row (actions [`ACTION_CAPACITEIT`], [`ACTION_MELDING`], no client) written in
//!   the same transaction as the row;
//! - the checks: the pure model's ([`vangnet_domain::plaatsen::check_periode`]: location,
//!   product offered, dates, places, kind, reason, **no overlap** with the stored periods —
//!   `capaciteit.overlap`), refused as [`StoreError::Rule`] with the code and field;
//! - **a repeated identical submit records nothing** ([`Vastlegging::AlVastgelegd`]): a double
//!   click must not create two rows (the check runs under the engine's writer lock; a unique
//!   index is the backstop);
//! - append-only: triggers refuse UPDATE and DELETE; a change is a new period.
//!
//! [`overview`] is the stand on a day from the stored occupancy counters (the state of
//! today) and the few states with a proposal, a temporary stay or uitstroomklaar: no names,
//! no client ids leave the store. [`story`] is the test every engine runs.

pub use vangnet_domain::plaatsen::{
    Bezetting, Capaciteit, CapaciteitPeriode, CapaciteitSoort, PlaatsMelding, PlaatsStand,
};
use vangnet_domain::region::RegionProfile;
use vangnet_domain::state::ClientState;
use vangnet_domain::{Date, LocationId, ProductCode, RegionId, Regions, RuleError};

use crate::gate::{AccessEntry, AccessGate};
use crate::{StoreError, StoreResult};

/// The access-log action of recording a capacity period.
pub const ACTION_CAPACITEIT: &str = "capaciteit_vastleggen";
/// The access-log action of reporting a free place.
pub const ACTION_MELDING: &str = "plaats_melden";

/// A capacity period as stored, with who and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPeriode {
    /// The period.
    pub periode: CapaciteitPeriode,
    /// Login of who recorded it (for a command-line job: the person who started it).
    pub door: String,
    /// When (RFC 3339, UTC), set by the engine.
    pub vastgelegd_op: String,
}

/// A free-place report as stored, with who and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMelding {
    /// The report.
    pub melding: PlaatsMelding,
    /// Login of who reported it.
    pub door: String,
    /// When (RFC 3339, UTC).
    pub vastgelegd_op: String,
}

/// What recording did: the one answer of every append-only register (tariffs, capacity,
/// free-place reports).
pub use crate::tarieven::Vastlegging;

/// The stored columns of a capacity period (both engines, the table's names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodeRow {
    /// Region id.
    pub region: String,
    /// Location id.
    pub location: String,
    /// Product code.
    pub product: String,
    /// First day `JJJJ-MM-DD`.
    pub vanaf: String,
    /// Last day, inclusive (`None`: a step).
    pub tot: Option<String>,
    /// Places.
    pub plaatsen: i64,
    /// [`CapaciteitSoort::key`].
    pub soort: String,
    /// The reason.
    pub reden: String,
    /// Login of who recorded it.
    pub user_id: String,
    /// RFC 3339, UTC.
    pub recorded_at: String,
}

impl PeriodeRow {
    /// The row for `region` (`user_id`, `recorded_at` from the engine).
    pub fn of(region: &RegionId, p: &CapaciteitPeriode, user_id: &str, at: &str) -> PeriodeRow {
        PeriodeRow {
            region: region.to_string(),
            location: p.locatie.to_string(),
            product: p.product.to_string(),
            vanaf: p.vanaf.to_string(),
            tot: p.tot.map(|d| d.to_string()),
            plaatsen: i64::from(p.plaatsen),
            soort: p.soort.key().to_owned(),
            reden: p.reden.clone(),
            user_id: user_id.to_owned(),
            recorded_at: at.to_owned(),
        }
    }

    /// The stored period of this row; [`StoreError::Backend`] for a row that does not parse.
    pub fn stored(&self) -> StoreResult<StoredPeriode> {
        let bad = |what: &str| {
            StoreError::Backend(format!(
                "capaciteitsperiode van {} ({}): {what} onleesbaar",
                self.region, self.location
            ))
        };
        let date = |s: &str| Date::parse(s).map_err(|_| bad("datum"));
        Ok(StoredPeriode {
            periode: CapaciteitPeriode {
                locatie: LocationId::parse(&self.location).map_err(|_| bad("locatie"))?,
                product: ProductCode::parse(&self.product).map_err(|_| bad("product"))?,
                vanaf: date(&self.vanaf)?,
                tot: self.tot.as_deref().map(date).transpose()?,
                plaatsen: u32::try_from(self.plaatsen).map_err(|_| bad("plaatsen"))?,
                soort: CapaciteitSoort::parse(&self.soort).ok_or_else(|| bad("soort"))?,
                reden: self.reden.clone(),
            },
            door: self.user_id.clone(),
            vastgelegd_op: self.recorded_at.clone(),
        })
    }
}

/// The stored columns of a free-place report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeldingRow {
    /// Region id.
    pub region: String,
    /// Location id.
    pub location: String,
    /// Product code.
    pub product: String,
    /// From `JJJJ-MM-DD`.
    pub datum: String,
    /// Free places.
    pub aantal: i64,
    /// Explanation.
    pub toelichting: String,
    /// Login of who reported it.
    pub user_id: String,
    /// RFC 3339, UTC.
    pub recorded_at: String,
}

impl MeldingRow {
    /// The row for `region`.
    pub fn of(region: &RegionId, m: &PlaatsMelding, user_id: &str, at: &str) -> MeldingRow {
        MeldingRow {
            region: region.to_string(),
            location: m.locatie.to_string(),
            product: m.product.to_string(),
            datum: m.datum.to_string(),
            aantal: i64::from(m.aantal),
            toelichting: m.toelichting.clone(),
            user_id: user_id.to_owned(),
            recorded_at: at.to_owned(),
        }
    }

    /// The stored report of this row.
    pub fn stored(&self) -> StoreResult<StoredMelding> {
        let bad = |what: &str| {
            StoreError::Backend(format!(
                "plaatsmelding van {} ({}): {what} onleesbaar",
                self.region, self.location
            ))
        };
        Ok(StoredMelding {
            melding: PlaatsMelding {
                locatie: LocationId::parse(&self.location).map_err(|_| bad("locatie"))?,
                product: ProductCode::parse(&self.product).map_err(|_| bad("product"))?,
                datum: Date::parse(&self.datum).map_err(|_| bad("datum"))?,
                aantal: u32::try_from(self.aantal).map_err(|_| bad("aantal"))?,
                toelichting: self.toelichting.clone(),
            },
            door: self.user_id.clone(),
            vastgelegd_op: self.recorded_at.clone(),
        })
    }
}

/// Whether `gate`'s actor may record capacity or report a free place for `location` of
/// `region` ([`vangnet_domain::access::may_record_capacity`]). An unknown region: no one.
pub fn may_record(gate: &AccessGate, regions: &Regions, region: &RegionId, l: &LocationId) -> bool {
    regions
        .get(region)
        .is_some_and(|p| vangnet_domain::access::may_record_capacity(gate.actor(), p, l))
}

fn rule(error: RuleError) -> StoreError {
    StoreError::Rule { index: 0, error }
}

/// The checks of a free-place report: the location is the region's and offers the product,
/// the date within the profile range, the number within
/// [`vangnet_domain::plaatsen::MAX_PLAATSEN`], the explanation within the text limits.
pub fn check_melding(profile: &RegionProfile, m: &PlaatsMelding) -> Result<(), RuleError> {
    let Some(loc) = profile.location(&m.locatie) else {
        return Err(RuleError::new(
            "plaatsmelding.locatie_onbekend",
            "locatie",
            format!(
                "locatie '{}' is geen locatie van {}",
                m.locatie, profile.name
            ),
        ));
    };
    if !loc.places.contains_key(&m.product) {
        return Err(RuleError::new(
            "plaatsmelding.product_niet_aangeboden",
            "product",
            format!("{} biedt geen '{}' aan", loc.name, m.product),
        ));
    }
    let (lo, hi) = vangnet_domain::region::profile_date_range();
    if m.datum < lo || m.datum > hi {
        return Err(RuleError::new(
            "plaatsmelding.datum_buiten_bereik",
            "datum",
            format!("{} ligt buiten {} … {}", m.datum.nl(), lo.nl(), hi.nl()),
        ));
    }
    if m.aantal == 0 || m.aantal > vangnet_domain::plaatsen::MAX_PLAATSEN {
        return Err(RuleError::new(
            "plaatsmelding.aantal",
            "aantal",
            format!(
                "meld 1 tot en met {} vrije plaatsen",
                vangnet_domain::plaatsen::MAX_PLAATSEN
            ),
        ));
    }
    vangnet_domain::limits::check_text(
        "toelichting",
        &m.toelichting,
        vangnet_domain::limits::MAX_TEXT_CHARS,
        true,
    )
}

fn refused(
    gate: &AccessGate,
    action: &str,
    what: &str,
    region: &RegionId,
) -> (AccessEntry, StoreError) {
    let reason = format!(
        "alleen het toegangsteam van {region} of de aanbieder van de locatie legt plaatsen vast"
    );
    let mut entry = gate.note_refused(action, reason.clone());
    entry.purpose = format!("{}: {what}", entry.purpose);
    (entry, StoreError::Denied(reason))
}

fn logged(
    gate: &AccessGate,
    action: &str,
    what: &str,
    verdict: &StoreResult<Vastlegging>,
    noun: &str,
) -> AccessEntry {
    let reason = match verdict {
        Ok(Vastlegging::Nieuw) => format!("{noun} vastgelegd"),
        Ok(Vastlegging::AlVastgelegd) => format!("{noun} was al vastgelegd; niets gewijzigd"),
        Err(e) => format!("{noun} afgewezen: {e}"),
    };
    let mut entry = gate.note(action, reason);
    entry.purpose = format!("{}: {what}", entry.purpose);
    entry
}

/// Decide on recording capacity period `p` for `region`, given the region's stored periods:
/// the access-log row (a refusal's too) and the verdict — [`Vastlegging::Nieuw`] (insert),
/// [`Vastlegging::AlVastgelegd`] (the same period with the same reason is stored: insert
/// nothing), or the refusal.
pub fn decide_periode(
    gate: &AccessGate,
    regions: &Regions,
    region: &RegionId,
    p: &CapaciteitPeriode,
    stored: &[StoredPeriode],
) -> (AccessEntry, StoreResult<Vastlegging>) {
    let what = format!(
        "capaciteit {region} {} {} {} {}",
        p.locatie,
        p.product,
        p.soort.key(),
        vangnet_domain::plaatsen::periode_label(p.vanaf, p.tot)
    );
    if !may_record(gate, regions, region, &p.locatie) {
        let (entry, e) = refused(gate, ACTION_CAPACITEIT, &what, region);
        return (entry, Err(e));
    }
    let profile = regions.get(region).expect("may_record knows the region");
    let verdict = if stored.iter().any(|s| s.periode == *p) {
        Ok(Vastlegging::AlVastgelegd)
    } else {
        let existing: Vec<CapaciteitPeriode> = stored.iter().map(|s| s.periode.clone()).collect();
        vangnet_domain::plaatsen::check_periode(profile, p, &existing)
            .map(|()| Vastlegging::Nieuw)
            .map_err(rule)
    };
    let entry = logged(
        gate,
        ACTION_CAPACITEIT,
        &what,
        &verdict,
        "capaciteitsperiode",
    );
    (entry, verdict)
}

/// Decide on a free-place report `m` for `region` (as [`decide_periode`]; the same report
/// stored already is [`Vastlegging::AlVastgelegd`]).
pub fn decide_melding(
    gate: &AccessGate,
    regions: &Regions,
    region: &RegionId,
    m: &PlaatsMelding,
    stored: &[StoredMelding],
) -> (AccessEntry, StoreResult<Vastlegging>) {
    let what = format!(
        "vrije plaats {region} {} {} per {}",
        m.locatie, m.product, m.datum
    );
    if !may_record(gate, regions, region, &m.locatie) {
        let (entry, e) = refused(gate, ACTION_MELDING, &what, region);
        return (entry, Err(e));
    }
    let profile = regions.get(region).expect("may_record knows the region");
    let verdict = if stored.iter().any(|s| s.melding == *m) {
        Ok(Vastlegging::AlVastgelegd)
    } else {
        check_melding(profile, m)
            .map(|()| Vastlegging::Nieuw)
            .map_err(rule)
    };
    let entry = logged(gate, ACTION_MELDING, &what, &verdict, "plaatsmelding");
    (entry, verdict)
}

/// The stand of places of `profile` on `on` (what [`crate::Store::place_overview`] answers):
/// the capacity from the profile and the stored `periods`, the occupied places from the
/// occupancy counters `occupied` ((location, product, clients), the state of today), and from
/// `special` — the states with a proposal, a temporary stay or uitstroomklaar — the reserved,
/// blocked and temporary places ([`Bezetting::add_state`] without counting care again).
pub fn overview(
    profile: &RegionProfile,
    periods: &[StoredPeriode],
    occupied: &[(String, String, u64)],
    special: &[ClientState],
    on: Date,
) -> Vec<PlaatsStand> {
    let cap = Capaciteit::new(profile, periods.iter().map(|s| &s.periode));
    let mut b = Bezetting::default();
    for (loc, product, n) in occupied {
        if let (Ok(l), Ok(p)) = (LocationId::parse(loc), ProductCode::parse(product)) {
            *b.bezet.entry((l, p)).or_default() += u32::try_from(*n).unwrap_or(u32::MAX);
        }
    }
    for s in special {
        b.add_state(s, on, false);
    }
    vangnet_domain::plaatsen::stand(&cap, &b, on)
}

/// The SQL condition (both engines, on `client_state.state`) that selects the states
/// [`overview`] reads besides the counters: a proposal, a temporary stay, or uitstroomklaar
/// (the fields are left out of the stored JSON when empty). A false positive costs a parse;
/// the pure model decides. Migration 0015 has a **partial index** on `client_state (region)`
/// with exactly this condition (the planners use it only for the same expression): measured
/// on the national benchmark database (Nijmegen, 190,000 states, 1,175 selected) the scan
/// took 0.74 s, the index 0.1 ms.
pub const SPECIAL_STATES: &str = r#"(state LIKE '%"voorstel":%' OR state LIKE '%"tijdelijk":%' OR state LIKE '%"uitstroomklaar":%')"#;

/// The story every engine runs: the access team records an afbouw (read back with who and
/// when), a double submit writes no second row, an overlapping period is refused with
/// `capaciteit.overlap` and writes nothing, the location's provider may record for its own
/// location and not for another's, other roles and another region's team are refused, a
/// free place is reported, every decision is one access-log row without a client, the
/// overview reflects the capacity on the day, other regions see none of it, the tables refuse
/// UPDATE and DELETE, and a placement on a location made full by an afbouw is refused
/// (`plaatsing.vol`) while the same placement before the afbouw is accepted.
pub fn story(store: &dyn crate::Store, raw: &dyn Fn(&str) -> Result<(), String>) {
    use vangnet_domain::{Actor, Organisation, Role};
    let cg = RegionId::parse("centraal-gelderland").expect("id");
    let ds = RegionId::parse("drechtsteden").expect("id");
    let profile = store.regions().get(&cg).expect("built-in region").clone();
    let d = |s: &str| Date::parse(s).expect("date");
    // A location × product with places, and a location of another provider.
    let (loc, product, base) = profile
        .locations
        .iter()
        .find_map(|l| {
            l.places
                .iter()
                .find(|(_, n)| **n >= 3)
                .map(|(p, n)| (l.clone(), p.clone(), *n))
        })
        .expect("a location with places");
    let other_loc = profile
        .locations
        .iter()
        .find(|l| l.provider != loc.provider)
        .expect("another provider's location")
        .clone();
    let gate = |user: &str, role: Role, org: Organisation| {
        AccessGate::new(
            Actor {
                user: user.into(),
                role,
                organisation: org,
            },
            "plaatsen beheren",
        )
    };
    let team = gate(
        "toegang-cg",
        Role::Toegangsmedewerker,
        Organisation::Regio(cg.clone()),
    );
    let aanbieder = gate(
        "aanbieder-cg",
        Role::Zorgaanbieder,
        Organisation::Aanbieder(loc.provider),
    );
    let periode =
        |soort, vanaf: &str, tot: Option<&str>, n: u32, l: &LocationId, pr: &ProductCode| {
            CapaciteitPeriode {
                locatie: l.clone(),
                product: pr.clone(),
                vanaf: d(vanaf),
                tot: tot.map(d),
                plaatsen: n,
                soort,
                reden: "afbouw intramuraal, afspraak 2026 (fictief)".into(),
            }
        };
    let log_rows = |action: &str| {
        store
            .access_log(&AccessGate::system("test"), 100_000)
            .expect("log")
            .into_iter()
            .filter(|e| e.action == action)
            .collect::<Vec<_>>()
    };
    assert_eq!(store.capacity_periods(&cg).expect("read"), vec![]);

    // The access team records an afbouw to 0 places from 2030 (far ahead, so the
    // placements below on an earlier date are unaffected), then a double click.
    let afbouw = periode(
        CapaciteitSoort::Afbouw,
        "2030-01-01",
        None,
        1,
        &loc.id,
        &product,
    );
    assert_eq!(
        store
            .record_capacity(&team, &cg, &afbouw)
            .expect("the team records"),
        Vastlegging::Nieuw
    );
    assert_eq!(
        store.record_capacity(&team, &cg, &afbouw).expect("again"),
        Vastlegging::AlVastgelegd
    );
    let got = store.capacity_periods(&cg).expect("read");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].periode, afbouw);
    assert_eq!(got[0].door, "toegang-cg");
    assert!(
        got[0]
            .vastgelegd_op
            .parse::<vangnet_domain::clock::Timestamp>()
            .is_ok()
    );
    // Overlap: the same start, refused with the code, nothing written.
    let overlap = periode(
        CapaciteitSoort::Opbouw,
        "2030-01-01",
        None,
        9,
        &loc.id,
        &product,
    );
    match store.record_capacity(&team, &cg, &overlap) {
        Err(StoreError::Rule { error, .. }) => {
            assert_eq!((error.code, error.field), ("capaciteit.overlap", "vanaf"));
        }
        other => panic!("overlap must be refused, got {other:?}"),
    }
    // A temporary period by the location's own provider.
    let tijdelijk = periode(
        CapaciteitSoort::Tijdelijk,
        "2029-06-01",
        Some("2029-06-30"),
        base + 2,
        &loc.id,
        &product,
    );
    assert_eq!(
        store
            .record_capacity(&aanbieder, &cg, &tijdelijk)
            .expect("own location"),
        Vastlegging::Nieuw
    );
    // ... but not for another provider's location.
    let (op, _) = other_loc.places.iter().next().expect("places");
    let foreign = periode(
        CapaciteitSoort::Afbouw,
        "2029-01-01",
        None,
        0,
        &other_loc.id,
        op,
    );
    assert!(matches!(
        store.record_capacity(&aanbieder, &cg, &foreign),
        Err(StoreError::Denied(_))
    ));
    // Other roles and another region's team: refused.
    for g in [
        gate(
            "toegang-ds",
            Role::Toegangsmedewerker,
            Organisation::Regio(ds.clone()),
        ),
        gate("analist-cg", Role::Analist, Organisation::Regio(cg.clone())),
        gate(
            "wijkteam",
            Role::Wijkteam,
            Organisation::Gemeente(profile.centrumgemeente),
        ),
        gate("beheer", Role::Beheerder, Organisation::Vangnet),
    ] {
        assert!(
            matches!(
                store.record_capacity(&g, &cg, &foreign),
                Err(StoreError::Denied(_))
            ),
            "{}",
            g.actor().user
        );
        assert!(matches!(
            store.report_free_place(
                &g,
                &cg,
                &PlaatsMelding {
                    locatie: loc.id.clone(),
                    product: product.clone(),
                    datum: d("2026-01-01"),
                    aantal: 1,
                    toelichting: String::new(),
                }
            ),
            Err(StoreError::Denied(_))
        ));
    }
    // Malformed: refused with the code, nothing written.
    let bad = CapaciteitPeriode {
        reden: " ".into(),
        ..periode(
            CapaciteitSoort::Afbouw,
            "2031-01-01",
            None,
            0,
            &loc.id,
            &product,
        )
    };
    assert!(matches!(
        store.record_capacity(&team, &cg, &bad),
        Err(StoreError::Rule { ref error, .. }) if error.code == "capaciteit.reden_ontbreekt"
    ));
    let got = store.capacity_periods(&cg).expect("read");
    assert_eq!(
        got.iter().map(|s| s.periode.clone()).collect::<Vec<_>>(),
        vec![afbouw.clone(), tijdelijk.clone()]
    );
    assert_eq!(got[1].door, "aanbieder-cg");
    // Free places reported by the provider, once.
    let melding = PlaatsMelding {
        locatie: loc.id.clone(),
        product: product.clone(),
        datum: d("2026-02-01"),
        aantal: 1,
        toelichting: "kamer 3 vrij na verhuizing".into(),
    };
    assert_eq!(
        store
            .report_free_place(&aanbieder, &cg, &melding)
            .expect("report"),
        Vastlegging::Nieuw
    );
    assert_eq!(
        store
            .report_free_place(&aanbieder, &cg, &melding)
            .expect("again"),
        Vastlegging::AlVastgelegd
    );
    assert!(matches!(
        store.report_free_place(&team, &cg, &PlaatsMelding { aantal: 0, ..melding.clone() }),
        Err(StoreError::Rule { ref error, .. }) if error.code == "plaatsmelding.aantal"
    ));
    let reports = store.free_place_reports(&cg).expect("read");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].melding, melding);
    assert_eq!(reports[0].door, "aanbieder-cg");
    // Every decision one log row, none about a client.
    let cap_rows = log_rows(ACTION_CAPACITEIT);
    // new, repeat, overlap, new, foreign, 4 refused, malformed
    assert_eq!(cap_rows.len(), 10, "{cap_rows:?}");
    assert_eq!(cap_rows.iter().filter(|e| !e.allowed).count(), 5);
    let melding_rows = log_rows(ACTION_MELDING);
    assert_eq!(melding_rows.len(), 4 + 3);
    assert!(
        cap_rows
            .iter()
            .chain(&melding_rows)
            .all(|e| e.client.is_none())
    );
    assert_eq!(store.capacity_periods(&ds).expect("read"), vec![]);
    assert_eq!(store.free_place_reports(&ds).expect("read"), vec![]);
    // The overview: the capacity of the day (profile, temporary, afbouw).
    let places_on = |on: &str| {
        store
            .place_overview(&cg, d(on))
            .expect("overview")
            .into_iter()
            .find(|s| s.locatie == loc.id && s.product == product)
            .map(|s| {
                (
                    s.plaatsen,
                    s.vrij + i64::from(s.bezet) + i64::from(s.gereserveerd),
                )
            })
            .expect("a row")
    };
    assert_eq!(places_on("2029-05-31"), (base, i64::from(base)));
    assert_eq!(places_on("2029-06-15"), (base + 2, i64::from(base + 2)));
    assert_eq!(places_on("2030-01-01"), (1, 1));
    assert!(
        store
            .place_overview(&ds, d("2030-01-01"))
            .expect("ds")
            .iter()
            .all(|s| s.locatie != loc.id)
    );
    // Append-only.
    assert!(raw("UPDATE capaciteit_periode SET plaatsen = 99").is_err());
    assert!(raw("DELETE FROM capaciteit_periode").is_err());
    assert!(raw("UPDATE plaats_melding SET aantal = 99").is_err());
    assert!(raw("DELETE FROM plaats_melding").is_err());
    assert_eq!(store.capacity_periods(&cg).expect("read").len(), 2);
    placements_follow_capacity(store, &team);
}

/// `check_places` reads the capacity of the start date: an afbouw to 0 places from day +20
/// (today-relative) makes the location full from then — a placement on day +30 is refused
/// (`plaatsing.vol`, nothing written) — while a placement before it is accepted; the
/// placement's location must offer the product (`locatie.biedt_product_niet`).
fn placements_follow_capacity(store: &dyn crate::Store, team: &AccessGate) {
    use vangnet_domain::events::{Leveringsvorm, Melder, Urgentie, Woonsituatie};
    use vangnet_domain::{ClientEvent, ClientId};
    let today = crate::time::today();
    let cg = RegionId::parse("centraal-gelderland").expect("id");
    let profile = store.regions().get(&cg).expect("profile").clone();
    let day = |n: i32| today.add_days(n);
    let (loc, code) = profile
        .locations
        .iter()
        .flat_map(|l| l.places.iter().map(move |(p, n)| (l, p, *n)))
        .filter(|(_, p, n)| {
            *n > 0
                && profile.product(p).is_some_and(|x| {
                    x.domain == vangnet_domain::region::Domain::Bw
                        && x.min_age.is_none()
                        && x.valid_on(day(-30))
                        && x.valid_on(day(60))
                })
        })
        .max_by_key(|(l, p, n)| (*n, l.id.to_string(), p.to_string()))
        .map(|(l, p, _)| (l.id.clone(), p.clone()))
        .expect("a BW location");
    let without = profile
        .locations
        .iter()
        .find(|l| !l.places.contains_key(&code))
        .expect("a location without the product")
        .id
        .clone();
    let product = profile.product(&code).expect("product").clone();
    let sluiting = CapaciteitPeriode {
        locatie: loc.clone(),
        product: code.clone(),
        vanaf: day(20),
        tot: None,
        plaatsen: 0,
        soort: CapaciteitSoort::Sluiting,
        reden: "locatie sluit (fictief)".into(),
    };
    assert_eq!(
        store
            .record_capacity(team, &cg, &sluiting)
            .expect("recorded"),
        Vastlegging::Nieuw
    );
    let allocated = |client: u64| {
        let events = vec![
            (
                day(-30),
                ClientEvent::Aanmelding {
                    regio: cg.clone(),
                    melder: Melder::Wijkteam,
                    herkomst_gemeente: Some(profile.centrumgemeente),
                    woonsituatie: Woonsituatie::Thuis,
                    urgentie: Urgentie::Regulier,
                    voordeur: None,
                },
            ),
            (
                day(-20),
                ClientEvent::Toewijzing {
                    product: code.clone(),
                    start: day(-10),
                    einde: product.default_end(day(-10)).max(day(90)).min(
                        product
                            .max_end(day(-10))
                            .unwrap_or(Date::from_ymd(9999, 12, 31).expect("d")),
                    ),
                    leveringsvorm: Leveringsvorm::Zin,
                    aanbieder: None,
                },
            ),
        ];
        store
            .append(
                team,
                crate::AppendCommand {
                    client: ClientId(client),
                    expected_version: None,
                    idempotency_key: None,
                    events,
                    person: Some(vangnet_domain::person::synthetic_person(
                        &mut vangnet_domain::rng::Rng::new(client),
                        client as u32,
                        Date::from_ymd(1990, 4, 1).expect("d"),
                    )),
                },
            )
            .expect("allocated");
    };
    let place = |client: u64, on: Date, l: &LocationId| {
        store.append(
            team,
            crate::AppendCommand {
                client: ClientId(client),
                expected_version: Some(2),
                idempotency_key: None,
                events: vec![(
                    on,
                    ClientEvent::StartZorg {
                        product: code.clone(),
                        locatie: l.clone(),
                        overbezetting: None,
                    },
                )],
                person: None,
            },
        )
    };
    let code_of = |r: Result<crate::Receipt, StoreError>| match r {
        Err(StoreError::Rule { error, .. }) => (error.code, error.message),
        other => panic!("expected a rule error, got {other:?}"),
    };
    let x = 8_100_000u64;
    allocated(x);
    let events = store.event_count().expect("n");
    let (c, message) = code_of(place(x, day(30), &loc));
    assert_eq!(c, "plaatsing.vol");
    assert!(message.contains("0 van 0 plaatsen"), "{message}");
    assert_eq!(store.event_count().expect("n"), events, "nothing written");
    assert_eq!(
        code_of(place(x, day(-5), &without)).0,
        "locatie.biedt_product_niet"
    );
    place(x, day(-5), &loc).expect("room before the closure");
    // Today the client occupies one of the location's places; from day +20 it has none.
    let row = |on: Date| {
        store
            .place_overview(&cg, on)
            .expect("overview")
            .into_iter()
            .find(|s| s.locatie == loc && s.product == code)
            .expect("row")
    };
    let later = row(day(20));
    assert_eq!(later.plaatsen, 0);
    assert!(later.bezet >= 1);
    assert_eq!(
        later.vrij,
        -i64::from(later.bezet),
        "overbezetting shows, never clamped"
    );
}
