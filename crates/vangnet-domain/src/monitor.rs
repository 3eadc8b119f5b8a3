//! The monitor's figures (DOMAIN.md §6) as *contributions of client-state transitions*.
//!
//! Every accepted fact moves a client from one state to the next; [`contributions`] says
//! what that step adds to the monthly counters of the monitor. Stocks (people in care,
//! waiting, waiting beyond the norm, staying for want of a home) are kept as net flows per
//! month — the stock at a month end is the running sum up to that month — so a fact only
//! touches the months it changes. A client's total contribution is the sum over its fold in
//! effective order; a correction or back-dated fact replaces that total (old subtracted,
//! new added), so corrections and late facts land in the right months. The same function
//! feeds incremental maintenance, the rebuild from the log and the forecast's simulated
//! events: one definition of every number.
//!
//! The same transitions also count the **client-days the money is priced from** (issue 13):
//! the day measures ([`Measure::DAYS`]: realised and committed days under today's law and
//! under the woonplaatsbeginsel) in the net-flow day representation of
//! [`Measure::is_day_count`]. They are not monitor figures; `vangnet_money::volume` reads
//! them.

use crate::date::Date;
use crate::events::{Bestemming, ClientEvent, Leveringsvorm, Melder};
use crate::hash::FastHashMap;
use crate::region::{RegionProfile, Regions};
use crate::state::{Besluit, ClientState};

/// What a monitor cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    /// Stock: people in care at the month end, by gemeente of registration at application.
    InZorg,
    /// Stock: people in care at the month end, by responsible gemeente (woonplaatsbeginsel).
    InZorgWpb,
    /// Stock: people on the waiting list at the month end.
    Wachtend,
    /// Stock: people on the waiting list longer than the region's norm at the month end.
    WachtendBovenNorm,
    /// Stock: people in care who are uitstroomklaar (waiting only for a home).
    WachtOpWoning,
    /// Flow: applications (aanmeldingen).
    Aanmelding,
    /// Flow: allocation decisions (toewijzingen), `extra` = leveringsvorm.
    Toewijzing,
    /// Flow: refusals (afwijzingen).
    Afwijzing,
    /// Flow: care episodes started.
    Instroom,
    /// Flow: care episodes started as an *overbezetting* — placed beyond the location's
    /// places, with a reason, where the region allows it (issue 12); a part of `Instroom`.
    Overbezetting,
    /// Flow: moves to another product during care, `extra` = product moved from (its
    /// position + 1 in the region profile's product list). Unlike the text keys of a stored
    /// cell this is a profile position: reordering a profile's products re-keys the stored
    /// `doorstroom` cells until the next rebuild (appending products is harmless).
    Doorstroom,
    /// Flow: care episodes ended, `extra` = destination.
    Uitstroom,
    /// Flow: transfers to the Wlz, once per person: the first `einde_zorg` with destination
    /// Wlz or `wlz_overgang` fact (`ClientState::wlz_geteld`); a later formal `wlz_overgang`
    /// after an `einde_zorg {wlz}` is the same move.
    WlzOvergang,
    /// Distribution: days from application to decision, `extra` = days.
    DagenTotBesluit,
    /// Distribution: days from application to start of care, `extra` = days.
    DagenTotStart,
    /// Distribution: days from decision to start of care, `extra` = days.
    DagenBesluitStart,
    /// Distribution: days on the waiting list before starting, `extra` = days.
    Wachttijd,
    /// Distribution: length of the ended care episode in days, `extra` = days.
    Verblijfsduur,
    /// Distribution (issue 14): days from application to decision per **route** through the
    /// front door, counted where the decision (toewijzing / afwijzing) falls; `extra` =
    /// days × 4 + route ([`route_extra`], [`route_part`]). Route ([`route_of`]): 0 the
    /// central door, 1 a local door without referral or advice, 2 a local door that asked
    /// the regional team's advice, 3 referred to the region (doorverwijzing).
    DoorlooptijdRoute,
    /// Sum: MO nights in the month, by the registration at application (gemeente) and the
    /// shelter (location). The money prices them too (`vangnet_money::volume`): MO is not
    /// under bill 36 288, so under both "besluit" and "woonplaatsbeginsel" they go to the
    /// region's centrumgemeente, and under "zorglocatie" to the shelter's gemeente.
    MoNachten,
    /// Distinct: people with at least one MO night in the month in the region's shelters
    /// (MO distinct counts and returns read the client's history in that region only,
    /// `ClientState::mo_regio`).
    MoPersonen,
    /// Distinct per year (`maand` = yyyy00): people with at least one MO night in the year.
    MoPersonenJaar,
    /// Distinct per year (`maand` = yyyy00): people with more than 3 MO nights in the year.
    MoLangerDan3,
    /// Flow: returns to the night shelter after at least 30 days away.
    MoHerhaald,
    /// Days (issue 13, for the money; not a monitor figure): days in care, by the gemeente
    /// that decides under today's law ([`crate::woonplaats::beslissende_gemeente`]), product,
    /// location; `extra` = leveringsvorm code × 2 + part. Kept in the *net-flow day
    /// representation* (see [`Measure::is_day_count`]).
    Zorgdagen,
    /// Days (money): days in care by responsible gemeente (woonplaatsbeginsel, bill 36 288:
    /// `verantwoordelijk`, else the registration at application — as `in_zorg_wpb`).
    ZorgdagenWpb,
    /// Days (money): committed days — a toewijzing in force, the client not in care and no
    /// care ended under the current application, from max(decision date, allocation start)
    /// up to and including the allocation's last day; by deciding gemeente, location 0.
    VerplichteDagen,
    /// Days (money): committed days by responsible gemeente (woonplaatsbeginsel).
    VerplichteDagenWpb,
    /// Stock (issue 15): housing candidates at the month end
    /// ([`ClientState::woon_kandidaat`] on the month's last day: in care, not yet moved into a
    /// home, and uitstroomklaar, holding an offer, or expected to be ready within
    /// [`crate::state::WOON_KANDIDAAT_MAANDEN`] months), by herkomst gemeente, product and
    /// location of care; `extra` = route of the housing need + 1 (0: no housing need recorded).
    WoonKandidaat,
    /// Flow (issue 15): offers of a home, counted in the month of the offer, by the home's
    /// gemeente; `extra` = [`woon_extra`] (corporation and route).
    WoningAanbod,
    /// Flow (issue 15): offers accepted, in the month of the answer, keyed as the offer.
    AanbodAkkoord,
    /// Flow (issue 15): offers refused, in the month of the answer, keyed as the offer.
    AanbodGeweigerd,
    /// Flow (issue 15): tenancies signed, in the month of signing, keyed as the offer.
    Huurovereenkomst,
    /// Flow (issue 15, spreiding): care ended with a home as destination and its gemeente
    /// recorded (`einde_zorg` with `woning`), by the **destination** gemeente, product and
    /// location of the care that ended; `extra` = kind of home ([`woningtype_code`]).
    UitstroomWoning,
    /// Distribution (issue 15): waiting time for a home — days from the earlier of the
    /// uitstroomklaar date and the date of the offer moved into (someone offered a home
    /// before being declared ready waits from the offer) to the move (`verhuizing`), by
    /// herkomst gemeente and product of care; `extra` = days.
    WachttijdWoning,
}

impl Measure {
    /// Every measure.
    pub const ALL: [Measure; 35] = [
        Measure::InZorg,
        Measure::InZorgWpb,
        Measure::Wachtend,
        Measure::WachtendBovenNorm,
        Measure::WachtOpWoning,
        Measure::Aanmelding,
        Measure::Toewijzing,
        Measure::Afwijzing,
        Measure::Instroom,
        Measure::Overbezetting,
        Measure::Doorstroom,
        Measure::Uitstroom,
        Measure::WlzOvergang,
        Measure::DagenTotBesluit,
        Measure::DagenTotStart,
        Measure::DagenBesluitStart,
        Measure::Wachttijd,
        Measure::Verblijfsduur,
        Measure::DoorlooptijdRoute,
        Measure::MoNachten,
        Measure::MoPersonen,
        Measure::MoPersonenJaar,
        Measure::MoLangerDan3,
        Measure::MoHerhaald,
        Measure::Zorgdagen,
        Measure::ZorgdagenWpb,
        Measure::VerplichteDagen,
        Measure::VerplichteDagenWpb,
        Measure::WoonKandidaat,
        Measure::WoningAanbod,
        Measure::AanbodAkkoord,
        Measure::AanbodGeweigerd,
        Measure::Huurovereenkomst,
        Measure::UitstroomWoning,
        Measure::WachttijdWoning,
    ];

    /// The housing measures of issue 15 (uitstroom naar wonen).
    pub const WONEN: [Measure; 7] = [
        Measure::WoonKandidaat,
        Measure::WoningAanbod,
        Measure::AanbodAkkoord,
        Measure::AanbodGeweigerd,
        Measure::Huurovereenkomst,
        Measure::UitstroomWoning,
        Measure::WachttijdWoning,
    ];

    /// The day measures the money reads (not monitor figures: the monitor's pages, exports
    /// and report never list them).
    pub const DAYS: [Measure; 4] = [
        Measure::Zorgdagen,
        Measure::ZorgdagenWpb,
        Measure::VerplichteDagen,
        Measure::VerplichteDagenWpb,
    ];

    /// Key as stored.
    pub fn key(self) -> &'static str {
        match self {
            Measure::InZorg => "in_zorg",
            Measure::InZorgWpb => "in_zorg_wpb",
            Measure::Wachtend => "wachtend",
            Measure::WachtendBovenNorm => "wachtend_boven_norm",
            Measure::WachtOpWoning => "wacht_op_woning",
            Measure::Aanmelding => "aanmelding",
            Measure::Toewijzing => "toewijzing",
            Measure::Afwijzing => "afwijzing",
            Measure::Instroom => "instroom",
            Measure::Overbezetting => "overbezetting",
            Measure::Doorstroom => "doorstroom",
            Measure::Uitstroom => "uitstroom",
            Measure::WlzOvergang => "wlz_overgang",
            Measure::DagenTotBesluit => "dagen_tot_besluit",
            Measure::DagenTotStart => "dagen_tot_start",
            Measure::DagenBesluitStart => "dagen_besluit_start",
            Measure::Wachttijd => "wachttijd",
            Measure::Verblijfsduur => "verblijfsduur",
            Measure::DoorlooptijdRoute => "doorlooptijd_route",
            Measure::MoNachten => "mo_nachten",
            Measure::MoPersonen => "mo_personen",
            Measure::MoPersonenJaar => "mo_personen_jaar",
            Measure::MoLangerDan3 => "mo_langer_dan_3",
            Measure::MoHerhaald => "mo_herhaald",
            Measure::Zorgdagen => "zorgdagen",
            Measure::ZorgdagenWpb => "zorgdagen_wpb",
            Measure::VerplichteDagen => "verplichte_dagen",
            Measure::VerplichteDagenWpb => "verplichte_dagen_wpb",
            Measure::WoonKandidaat => "woon_kandidaat",
            Measure::WoningAanbod => "woning_aanbod",
            Measure::AanbodAkkoord => "aanbod_akkoord",
            Measure::AanbodGeweigerd => "aanbod_geweigerd",
            Measure::Huurovereenkomst => "huurovereenkomst",
            Measure::UitstroomWoning => "uitstroom_woning",
            Measure::WachttijdWoning => "wachttijd_woning",
        }
    }

    /// Parse the key.
    pub fn parse(s: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.key() == s)
    }

    /// A stock kept as net flows (the month-end value is the running sum).
    pub fn is_stock(self) -> bool {
        matches!(
            self,
            Measure::InZorg
                | Measure::InZorgWpb
                | Measure::Wachtend
                | Measure::WachtendBovenNorm
                | Measure::WachtOpWoning
                | Measure::WoonKandidaat
        )
    }

    /// Kept in the **net-flow day representation**: a key that turns on at date `d` (month
    /// `m`) adds `stand +1` (`extra` even) and `deel +(days_in_month(m) − day(d) + 1)`
    /// (`extra` odd) in `m`; turning off at `d` subtracts the same. Then the days in month
    /// `M` are `days_in_month(M) × Σ_{m<M} stand(m) + deel(M)` and the people at the end of
    /// `M` are `Σ_{m≤M} stand(m)` ([`days_in_month`], [`day_part`]). Aanname: a care day
    /// counts the start day and not the day of `einde_zorg`. Not a monitor figure.
    pub fn is_day_count(self) -> bool {
        matches!(
            self,
            Measure::Zorgdagen
                | Measure::ZorgdagenWpb
                | Measure::VerplichteDagen
                | Measure::VerplichteDagenWpb
        )
    }

    /// Counted per calendar year (`maand` = yyyy00) rather than per month.
    pub fn is_yearly(self) -> bool {
        matches!(self, Measure::MoPersonenJaar | Measure::MoLangerDan3)
    }

    /// `extra` holds a number of days (a distribution), not a category.
    pub fn is_distribution(self) -> bool {
        matches!(
            self,
            Measure::DagenTotBesluit
                | Measure::DagenTotStart
                | Measure::DagenBesluitStart
                | Measure::Wachttijd
                | Measure::Verblijfsduur
                | Measure::DoorlooptijdRoute
                | Measure::WachttijdWoning
        )
    }
}

/// `extra` of the offer measures (issue 15): corporation position + 1 in the profile's
/// `corporaties` (0: not a corporation of the profile) × 4 + route code ([`route_code`]).
/// Like `doorstroom`'s product position, reordering a profile's corporations re-keys the
/// stored cells until the next rebuild (appending is harmless).
pub fn woon_extra(corporatie: u32, route: crate::events::WoonRoute) -> u32 {
    corporatie * 4 + route_code(route)
}

/// The parts of a [`woon_extra`]: (corporation position + 1, route; `None` for a code
/// that is no route).
pub fn woon_part(extra: u32) -> (u32, Option<crate::events::WoonRoute>) {
    (
        extra / 4,
        crate::events::WoonRoute::ALL
            .get((extra % 4) as usize)
            .copied(),
    )
}

/// Code of a route: its position in [`crate::events::WoonRoute::ALL`].
pub fn route_code(r: crate::events::WoonRoute) -> u32 {
    crate::events::WoonRoute::ALL
        .iter()
        .position(|x| *x == r)
        .expect("listed") as u32
}

/// Code of a kind of home: its position in [`crate::events::Woningtype::ALL`].
pub fn woningtype_code(w: crate::events::Woningtype) -> u32 {
    crate::events::Woningtype::ALL
        .iter()
        .position(|x| *x == w)
        .expect("listed") as u32
}

/// Corporation position + 1 in the profile (0: unknown).
pub fn corporatie_ix(p: &RegionProfile, id: &str) -> u32 {
    p.corporaties
        .iter()
        .position(|c| c.id == id)
        .map_or(0, |i| i as u32 + 1)
}

/// The housing-candidate stock key of a state and the day from which it counts (`None`:
/// from the fact on): see [`Measure::WoonKandidaat`].
fn woon_kandidaat_key(s: &ClientState, p: &RegionProfile) -> Option<(StockKey, Option<Date>)> {
    let z = s.zorg.as_ref()?;
    if s.gehuisvest.is_some() {
        return None;
    }
    let vanaf = if s.uitstroomklaar.is_some() || s.aanbod.is_some() {
        None
    } else {
        Some(
            s.woonbehoefte
                .as_ref()?
                .verwacht_klaar?
                .add_months(-crate::state::WOON_KANDIDAAT_MAANDEN),
        )
    };
    Some((
        StockKey {
            measure: Measure::WoonKandidaat,
            product: product_ix(p, &z.product),
            gemeente: gemeente_of(s.herkomst),
            locatie: location_ix(p, &z.locatie),
            extra: s
                .woonbehoefte
                .as_ref()
                .map_or(0, |w| route_code(w.route) + 1),
        },
        vanaf,
    ))
}

/// The routes of [`Measure::DoorlooptijdRoute`], in `extra` order, with Dutch labels.
pub const ROUTES: [&str; 4] = [
    "centrale toegang",
    "lokale toegang",
    "lokaal, met advies van de regio",
    "doorverwezen naar de regio",
];

/// The route of the current application at its decision (issue 14): 3 referred to the
/// region (`doorverwezen`), else 2 advice asked (`advies_gevraagd`), else 1 a local front
/// door (`voordeur` lokaal), else 0 the central door (or not recorded). A referral or an
/// advice question only comes from a local door, so they count as local routes even when
/// the aanmelding recorded no door.
pub fn route_of(s: &ClientState) -> u32 {
    if s.doorverwezen.is_some() {
        3
    } else if s.advies_gevraagd.is_some() {
        2
    } else if matches!(s.voordeur, Some(crate::events::Voordeur::Lokaal { .. })) {
        1
    } else {
        0
    }
}

/// `extra` of a [`Measure::DoorlooptijdRoute`] cell: days × 4 + route.
pub fn route_extra(days: u32, route: u32) -> u32 {
    days * 4 + route
}

/// The parts of a [`Measure::DoorlooptijdRoute`] cell's `extra`: (days, route).
pub fn route_part(extra: u32) -> (u32, u32) {
    (extra / 4, extra % 4)
}

/// `extra` of a day cell: leveringsvorm code × 2 + part (0: `stand`, 1: `deel`).
pub fn day_extra(leveringsvorm: u32, deel: bool) -> u32 {
    leveringsvorm * 2 + u32::from(deel)
}

/// The parts of a day cell's `extra`: (leveringsvorm code, is the `deel` part).
pub fn day_part(extra: u32) -> (u32, bool) {
    (extra / 2, extra % 2 == 1)
}

/// Number of days of the month `yyyymm` (`None`: not a month key).
pub fn days_in_month(maand: u32) -> Option<i64> {
    let m = crate::Maand::from_key(maand)?;
    Some(i64::from(m.first_day().days_until(m.last_day())) + 1)
}

/// The month key `yyyymm` of a date.
pub fn month_key(d: Date) -> u32 {
    crate::Maand::of(d).key()
}

/// The year key `yyyy00` of a date.
pub fn year_key(d: Date) -> u32 {
    (d.year() as u32) * 100
}

/// One monitor cell in memory: indices into the region profile keep it small and `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    /// Index of the region in [`Regions::all`].
    pub regio: u16,
    /// `yyyymm` (or `yyyy00` for yearly measures).
    pub maand: u32,
    /// What is counted.
    pub measure: Measure,
    /// Product index + 1 in the profile (0: none).
    pub product: u16,
    /// CBS number of the gemeente (0: not registered / unknown).
    pub gemeente: u16,
    /// Location index + 1 in the profile (0: none).
    pub locatie: u16,
    /// Measure-specific: leveringsvorm, destination, days, … (0 when unused).
    pub extra: u32,
}

/// A monitor cell as stored: text keys so that editing a profile never re-keys history.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRow {
    /// Region id.
    pub regio: String,
    /// `yyyymm` or `yyyy00`.
    pub maand: u32,
    /// Measure key.
    pub measure: &'static str,
    /// Product code ("" for none).
    pub product: String,
    /// `GMdddd` ("" for not registered / unknown).
    pub gemeente: String,
    /// Location id ("" for none).
    pub locatie: String,
    /// Measure-specific number.
    pub extra: u32,
}

impl Cell {
    /// The stored form.
    pub fn row(&self, regions: &Regions) -> CellRow {
        let p = &regions.all()[self.regio as usize];
        CellRow {
            regio: p.id.to_string(),
            maand: self.maand,
            measure: self.measure.key(),
            product: match self.product {
                0 => String::new(),
                i => p.products[i as usize - 1].code.to_string(),
            },
            gemeente: match self.gemeente {
                0 => String::new(),
                g => format!("GM{g:04}"),
            },
            locatie: match self.locatie {
                0 => String::new(),
                i => p.locations[i as usize - 1].id.to_string(),
            },
            extra: self.extra,
        }
    }
}

/// `extra` code of a leveringsvorm.
pub fn leveringsvorm_code(l: Leveringsvorm) -> u32 {
    match l {
        Leveringsvorm::Zin => 0,
        Leveringsvorm::Pgb => 1,
    }
}

/// `extra` code of a destination.
pub fn bestemming_code(b: Bestemming) -> u32 {
    Bestemming::ALL
        .iter()
        .position(|x| *x == b)
        .expect("listed") as u32
}

/// Days away from the night shelter after which a new stay counts as repeated use.
pub const MO_TERUGKEER_DAGEN: i32 = 30;

/// Largest day count kept in a distribution cell; longer durations are clamped to it.
pub const MAX_DAGEN: i32 = 20_000;

#[derive(Clone, Copy, PartialEq, Eq)]
struct StockKey {
    measure: Measure,
    product: u16,
    gemeente: u16,
    locatie: u16,
    extra: u32,
}

fn product_ix(p: &RegionProfile, code: &crate::ids::ProductCode) -> u16 {
    p.products
        .iter()
        .position(|x| &x.code == code)
        .map_or(0, |i| i as u16 + 1)
}

fn location_ix(p: &RegionProfile, id: &crate::ids::LocationId) -> u16 {
    p.location_position(id).map_or(0, |i| i as u16 + 1)
}

fn gemeente_of(g: Option<crate::ids::GemeenteCode>) -> u16 {
    g.map_or(0, |g| g.number())
}

/// The stocks a state counts towards (at most one key per stock measure).
fn stocks(s: &ClientState, p: &RegionProfile) -> [Option<StockKey>; 4] {
    let herkomst = gemeente_of(s.herkomst);
    let in_zorg = s.zorg.as_ref().map(|z| {
        let lv = match &s.besluit {
            Some(Besluit::Toewijzing { leveringsvorm, .. }) => leveringsvorm_code(*leveringsvorm),
            _ => 0,
        };
        (product_ix(p, &z.product), location_ix(p, &z.locatie), lv)
    });
    [
        in_zorg.map(|(product, locatie, extra)| StockKey {
            measure: Measure::InZorg,
            product,
            gemeente: herkomst,
            locatie,
            extra,
        }),
        in_zorg.map(|(product, locatie, _)| StockKey {
            measure: Measure::InZorgWpb,
            product,
            gemeente: gemeente_of(s.verantwoordelijk.or(s.herkomst)),
            locatie,
            extra: 0,
        }),
        s.wacht.as_ref().map(|w| StockKey {
            measure: Measure::Wachtend,
            product: product_ix(p, &w.product),
            gemeente: herkomst,
            locatie: 0,
            extra: 0,
        }),
        match (&s.zorg, s.uitstroomklaar) {
            (Some(z), Some(_)) => Some(StockKey {
                measure: Measure::WachtOpWoning,
                product: product_ix(p, &z.product),
                gemeente: herkomst,
                locatie: location_ix(p, &z.locatie),
                extra: 0,
            }),
            _ => None,
        },
    ]
}

/// A day key (the `extra` leveringsvorm code before the part is added).
#[derive(Clone, Copy, PartialEq, Eq)]
struct DayKey {
    measure: Measure,
    product: u16,
    gemeente: u16,
    locatie: u16,
    lv: u32,
}

/// The care-day keys of a state: under the deciding gemeente and the responsible gemeente.
fn care_days(s: &ClientState, p: &RegionProfile) -> [Option<DayKey>; 2] {
    let Some(z) = s.zorg.as_ref() else {
        return [None; 2];
    };
    let lv = match &s.besluit {
        Some(Besluit::Toewijzing { leveringsvorm, .. }) => leveringsvorm_code(*leveringsvorm),
        _ => 0,
    };
    let (product, locatie) = (product_ix(p, &z.product), location_ix(p, &z.locatie));
    [
        Some(DayKey {
            measure: Measure::Zorgdagen,
            product,
            gemeente: crate::woonplaats::beslissende_gemeente(p, s).number(),
            locatie,
            lv,
        }),
        Some(DayKey {
            measure: Measure::ZorgdagenWpb,
            product,
            gemeente: gemeente_of(s.verantwoordelijk.or(s.herkomst)),
            locatie,
            lv,
        }),
    ]
}

/// Committed days of a state: both keys and the window `[from, until)` — from
/// max(decision date, allocation start) to the day after the allocation's last day. A state
/// commits when a toewijzing is in force, the client is not in care, and no care episode
/// ended under the current application (an `uitstroom` on or after `aangemeld`: an
/// allocation whose care has ended counts as used, not as committed — aanname).
fn committed_days(s: &ClientState, p: &RegionProfile) -> Option<([DayKey; 2], Date, Date)> {
    let Some(Besluit::Toewijzing {
        datum,
        product,
        start,
        einde,
        leveringsvorm,
        ..
    }) = &s.besluit
    else {
        return None;
    };
    if s.zorg.is_some() || s.uitstroom.as_ref().is_some_and(|u| u.datum >= s.aangemeld) {
        return None;
    }
    let product = product_ix(p, product);
    let lv = leveringsvorm_code(*leveringsvorm);
    Some((
        [
            DayKey {
                measure: Measure::VerplichteDagen,
                product,
                gemeente: crate::woonplaats::beslissende_gemeente(p, s).number(),
                locatie: 0,
                lv,
            },
            DayKey {
                measure: Measure::VerplichteDagenWpb,
                product,
                gemeente: gemeente_of(s.verantwoordelijk.or(s.herkomst)),
                locatie: 0,
                lv,
            },
        ],
        (*datum).max(*start),
        einde.add_days(1),
    ))
}

/// Emit a day key turning on (`sign` +1) or off (−1) at `d`, in the net-flow day
/// representation of [`Measure::is_day_count`].
fn emit_day(out: &mut dyn FnMut(Cell, i64), regio: u16, k: &DayKey, d: Date, sign: i64) {
    let maand = crate::Maand::of(d);
    let rest = i64::from(d.days_until(maand.last_day())) + 1;
    let cell = Cell {
        regio,
        maand: maand.key(),
        measure: k.measure,
        product: k.product,
        gemeente: k.gemeente,
        locatie: k.locatie,
        extra: day_extra(k.lv, false),
    };
    out(cell, sign);
    out(
        Cell {
            extra: day_extra(k.lv, true),
            ..cell
        },
        sign * rest,
    );
}

/// The day measures of one fact: care days as a stock that turns on/off at `on`; committed
/// days over their window, the end emitted up front (like `wachtend_boven_norm`) and
/// cancelled when the state leaves earlier.
fn day_contributions(
    old: Option<(u16, &ClientState, &RegionProfile)>,
    regio: u16,
    after: &ClientState,
    p: &RegionProfile,
    on: Date,
    out: &mut dyn FnMut(Cell, i64),
) {
    let same_region = old.is_none_or(|(r, ..)| r == regio);
    let old_care = old.map_or([None; 2], |(_, b, bp)| care_days(b, bp));
    let new_care = care_days(after, p);
    let old_regio = old.map_or(regio, |(r, ..)| r);
    for (o, n) in old_care.iter().zip(new_care.iter()) {
        if o == n && same_region {
            continue;
        }
        if let Some(k) = o {
            emit_day(out, old_regio, k, on, -1);
        }
        if let Some(k) = n {
            emit_day(out, regio, k, on, 1);
        }
    }
    let old_c = old.and_then(|(_, b, bp)| committed_days(b, bp));
    let new_c = committed_days(after, p);
    if old_c == new_c && same_region {
        return;
    }
    // Leaving at `on` (entered at some earlier `e` ≤ `on`, which emitted +1 at
    // min(max(from, e), until) and −1 at `until`): the window now ends at
    // min(until, max(on, from)).
    if let Some((keys, from, until)) = old_c {
        for k in &keys {
            emit_day(out, old_regio, k, until, 1);
            emit_day(out, old_regio, k, until.min(on.max(from)), -1);
        }
    }
    if let Some((keys, from, until)) = new_c {
        for k in &keys {
            emit_day(out, regio, k, from.max(on).min(until), 1);
            emit_day(out, regio, k, until, -1);
        }
    }
}

/// The contributions of one accepted fact: `before` → `after` by `event` on `on`.
/// `before` is `None` for the fact that opens the stream.
pub fn contributions(
    regions: &Regions,
    before: Option<&ClientState>,
    on: Date,
    event: &ClientEvent,
    after: &ClientState,
    out: &mut dyn FnMut(Cell, i64),
) {
    let Some(ri) = regions.all().iter().position(|p| p.id == after.regio) else {
        return;
    };
    let p = &regions.all()[ri];
    let regio = ri as u16;
    let maand = month_key(on);
    let herkomst = gemeente_of(after.herkomst);
    // Days (the money's volumes): before `emit` borrows `out`.
    {
        let old = before.and_then(|b| {
            let i = regions.all().iter().position(|x| x.id == b.regio)?;
            Some((i as u16, b, &regions.all()[i]))
        });
        day_contributions(old, regio, after, p, on, out);
    }
    #[allow(clippy::too_many_arguments)]
    let mut emit = |regio: u16,
                    measure: Measure,
                    maand: u32,
                    product: u16,
                    gemeente: u16,
                    locatie: u16,
                    extra: u32,
                    n: i64| {
        out(
            Cell {
                regio,
                maand,
                measure,
                product,
                gemeente,
                locatie,
                extra,
            },
            n,
        )
    };
    let days = |from: Date| from.days_until(on).clamp(0, MAX_DAGEN) as u32;

    // Stocks: compare the keys before and after (a region change re-keys through the regio
    // of `after`; the old region's stocks are closed with the old region's index).
    let before_region = before.and_then(|b| {
        regions
            .all()
            .iter()
            .position(|x| x.id == b.regio)
            .map(|i| (i as u16, &regions.all()[i]))
    });
    let old = match (before, before_region) {
        (Some(b), Some((_, bp))) => stocks(b, bp),
        _ => [None; 4],
    };
    let new = stocks(after, p);
    let old_regio = before_region.map_or(regio, |(i, _)| i);
    for (o, n) in old.iter().zip(new.iter()) {
        if o == n && old_regio == regio {
            continue;
        }
        if let Some(k) = o {
            emit(
                old_regio, k.measure, maand, k.product, k.gemeente, k.locatie, k.extra, -1,
            );
        }
        if let Some(k) = n {
            emit(
                regio, k.measure, maand, k.product, k.gemeente, k.locatie, k.extra, 1,
            );
        }
    }
    // Waiting beyond the norm: +1 from the day the norm is passed, −1 from the day waiting
    // ends (or at the crossing itself when waiting ended before it, which nets to zero).
    let norm_days = |prof: &RegionProfile| (prof.norms.wachttijd_weken * 7) as i32;
    let w_old = before.and_then(|b| b.wacht.as_ref());
    let w_new = after.wacht.as_ref();
    if w_old != w_new {
        if let (Some(w), Some(b)) = (w_old, before) {
            let (bi, bp) = before_region.expect("before has a known region");
            let cross = w.sinds.add_days(norm_days(bp));
            emit(
                bi,
                Measure::WachtendBovenNorm,
                month_key(cross.max(on)),
                product_ix(bp, &w.product),
                gemeente_of(b.herkomst),
                0,
                0,
                -1,
            );
        }
        if let Some(w) = w_new {
            let cross = w.sinds.add_days(norm_days(p));
            emit(
                regio,
                Measure::WachtendBovenNorm,
                month_key(cross),
                product_ix(p, &w.product),
                herkomst,
                0,
                0,
                1,
            );
        }
    }

    // Housing candidates (issue 15): like waiting beyond the norm — a key counts from
    // max(its day, the fact) and stops at the fact that changes it, so a candidate "expected
    // ready" in the future is counted from the month it becomes one without a fact then.
    let k_old = match (before, before_region) {
        (Some(b), Some((_, bp))) => woon_kandidaat_key(b, bp),
        _ => None,
    };
    let k_new = woon_kandidaat_key(after, p);
    if k_old != k_new || old_regio != regio {
        let at = |vanaf: Option<Date>| month_key(vanaf.map_or(on, |v| v.max(on)));
        if let Some((k, vanaf)) = k_old {
            emit(
                old_regio,
                k.measure,
                at(vanaf),
                k.product,
                k.gemeente,
                k.locatie,
                k.extra,
                -1,
            );
        }
        if let Some((k, vanaf)) = k_new {
            emit(
                regio,
                k.measure,
                at(vanaf),
                k.product,
                k.gemeente,
                k.locatie,
                k.extra,
                1,
            );
        }
    }

    // Care flows.
    let z_old = before.and_then(|b| b.zorg.as_ref());
    match (z_old, after.zorg.as_ref()) {
        (None, Some(z)) => {
            let product = product_ix(p, &z.product);
            let locatie = location_ix(p, &z.locatie);
            emit(
                regio,
                Measure::Instroom,
                maand,
                product,
                herkomst,
                locatie,
                0,
                1,
            );
            if z.overbezetting.is_some() {
                emit(
                    regio,
                    Measure::Overbezetting,
                    maand,
                    product,
                    herkomst,
                    locatie,
                    0,
                    1,
                );
            }
            if after.aangemeld <= on {
                emit(
                    regio,
                    Measure::DagenTotStart,
                    maand,
                    product,
                    herkomst,
                    0,
                    days(after.aangemeld),
                    1,
                );
            }
            if let Some(Besluit::Toewijzing { datum, .. }) = &after.besluit
                && *datum <= on
            {
                emit(
                    regio,
                    Measure::DagenBesluitStart,
                    maand,
                    product,
                    herkomst,
                    0,
                    days(*datum),
                    1,
                );
            }
            if let Some(w) = w_old {
                emit(
                    regio,
                    Measure::Wachttijd,
                    maand,
                    product,
                    herkomst,
                    0,
                    days(w.sinds),
                    1,
                );
            }
        }
        (Some(zo), Some(zn)) if zo.product != zn.product => {
            let from = product_ix(p, &zo.product) as u32;
            emit(
                regio,
                Measure::Doorstroom,
                maand,
                product_ix(p, &zn.product),
                herkomst,
                location_ix(p, &zn.locatie),
                from,
                1,
            );
        }
        (Some(z), None) => {
            let bestemming = after
                .uitstroom
                .as_ref()
                .map_or(Bestemming::Onbekend, |u| u.bestemming);
            let product = product_ix(p, &z.product);
            let locatie = location_ix(p, &z.locatie);
            emit(
                regio,
                Measure::Uitstroom,
                maand,
                product,
                herkomst,
                locatie,
                bestemming_code(bestemming),
                1,
            );
            emit(
                regio,
                Measure::Verblijfsduur,
                maand,
                product,
                herkomst,
                0,
                days(z.episode_start),
                1,
            );
        }
        _ => {}
    }

    // Per-fact flows.
    match event {
        ClientEvent::Aanmelding { melder, .. } => {
            let m = Melder::ALL.iter().position(|x| x == melder).unwrap_or(7) as u32;
            emit(regio, Measure::Aanmelding, maand, 0, herkomst, 0, m, 1);
        }
        ClientEvent::Toewijzing {
            product,
            leveringsvorm,
            ..
        } => {
            let product = product_ix(p, product);
            emit(
                regio,
                Measure::Toewijzing,
                maand,
                product,
                herkomst,
                0,
                leveringsvorm_code(*leveringsvorm),
                1,
            );
            emit(
                regio,
                Measure::DagenTotBesluit,
                maand,
                product,
                herkomst,
                0,
                days(after.aangemeld),
                1,
            );
            emit(
                regio,
                Measure::DoorlooptijdRoute,
                maand,
                product,
                herkomst,
                0,
                route_extra(days(after.aangemeld), route_of(after)),
                1,
            );
        }
        ClientEvent::Afwijzing { .. } => {
            emit(regio, Measure::Afwijzing, maand, 0, herkomst, 0, 0, 1);
            emit(
                regio,
                Measure::DagenTotBesluit,
                maand,
                0,
                herkomst,
                0,
                days(after.aangemeld),
                1,
            );
            emit(
                regio,
                Measure::DoorlooptijdRoute,
                maand,
                0,
                herkomst,
                0,
                route_extra(days(after.aangemeld), route_of(after)),
                1,
            );
        }
        // A person's transfer to the Wlz counts once: the first of `einde_zorg` with
        // destination Wlz and `wlz_overgang` (a later formal transfer is the same move).
        ClientEvent::WlzOvergang
        | ClientEvent::EindeZorg {
            bestemming: Bestemming::Wlz,
            ..
        } if !before.is_some_and(|b| b.wlz_geteld) => {
            let product = z_old.map_or(0, |z| product_ix(p, &z.product));
            emit(
                regio,
                Measure::WlzOvergang,
                maand,
                product,
                herkomst,
                0,
                0,
                1,
            );
        }
        ClientEvent::Woningaanbod { .. }
        | ClientEvent::AanbodAntwoord { .. }
        | ClientEvent::Huurovereenkomst { .. } => {
            // Keyed as the offer: after the fact, or (a refusal clears it) before.
            let measure = match event {
                ClientEvent::Woningaanbod { .. } => Measure::WoningAanbod,
                ClientEvent::AanbodAntwoord { akkoord: true, .. } => Measure::AanbodAkkoord,
                ClientEvent::AanbodAntwoord { .. } => Measure::AanbodGeweigerd,
                _ => Measure::Huurovereenkomst,
            };
            let aanbod = if measure == Measure::AanbodGeweigerd {
                before.and_then(|b| b.aanbod.as_ref())
            } else {
                after.aanbod.as_ref()
            };
            if let Some(a) = aanbod {
                emit(
                    regio,
                    measure,
                    maand,
                    0,
                    a.gemeente.number(),
                    0,
                    woon_extra(corporatie_ix(p, &a.corporatie), a.route),
                    1,
                );
            }
        }
        ClientEvent::Verhuizing { .. } => {
            if let Some(a) = after.aanbod.as_ref() {
                let klaar = before
                    .and_then(|b| b.uitstroomklaar)
                    .map_or(a.datum, |u| u.min(a.datum));
                let product = after.zorg.as_ref().map_or(0, |z| product_ix(p, &z.product));
                emit(
                    regio,
                    Measure::WachttijdWoning,
                    maand,
                    product,
                    herkomst,
                    0,
                    days(klaar),
                    1,
                );
            }
        }
        ClientEvent::EindeZorg {
            woning: Some(w), ..
        } => {
            if let Some(z) = z_old {
                emit(
                    regio,
                    Measure::UitstroomWoning,
                    maand,
                    product_ix(p, &z.product),
                    w.gemeente.number(),
                    location_ix(p, &z.locatie),
                    woningtype_code(w.woningtype),
                    1,
                );
            }
        }
        ClientEvent::MoOvernachting {
            product,
            locatie,
            nachten,
        } => {
            let product = product_ix(p, product);
            let locatie = location_ix(p, locatie);
            let last = on.add_days(i32::from(*nachten) - 1);
            // The client's history in this region's shelters only: MO figures are region
            // figures (nights elsewhere neither count as "already counted" nor as presence).
            let history = before.and_then(|b| b.mo_historie(&after.regio));
            let prev_last = history.map(|h| h.laatste_nacht);
            // Nights per month, and people per month not yet counted in that month.
            let mut d = on;
            while d <= last {
                let month_end = d.month_start().add_months(1).add_days(-1);
                let until = month_end.min(last).max(d);
                let m = month_key(d);
                emit(
                    regio,
                    Measure::MoNachten,
                    m,
                    product,
                    herkomst,
                    locatie,
                    0,
                    i64::from(d.days_until(until) + 1),
                );
                if prev_last.is_none_or(|pl| m > month_key(pl)) {
                    emit(
                        regio,
                        Measure::MoPersonen,
                        m,
                        product,
                        herkomst,
                        locatie,
                        0,
                        1,
                    );
                }
                if until >= last {
                    break; // (dates saturate at 9999-12-31: `add_days(1)` may not move on)
                }
                d = until.add_days(1);
            }
            // People per year and people above 3 nights per year.
            let before_year = history.map(|h| h.jaar);
            for y in on.year()..=last.year() {
                let jan1 = Date::from_ymd(y, 1, 1).expect("1 januari");
                let dec31 = Date::from_ymd(y, 12, 31).expect("31 december");
                let in_year = (on.max(jan1).days_until(last.min(dec31)) + 1) as u32;
                let had = match before_year {
                    Some((by, n)) if by == y => n,
                    _ => 0,
                };
                let yk = (y as u32) * 100;
                if had == 0 {
                    emit(
                        regio,
                        Measure::MoPersonenJaar,
                        yk,
                        product,
                        herkomst,
                        0,
                        0,
                        1,
                    );
                }
                if had <= 3 && had + in_year > 3 {
                    emit(regio, Measure::MoLangerDan3, yk, product, herkomst, 0, 0, 1);
                }
            }
            if let Some(pl) = prev_last
                && pl.days_until(on) > MO_TERUGKEER_DAGEN
            {
                emit(
                    regio,
                    Measure::MoHerhaald,
                    maand,
                    product,
                    herkomst,
                    locatie,
                    0,
                    1,
                );
            }
        }
        _ => {}
    }
}

/// Summed contributions, keyed by cell (zeros dropped on [`Tally::nonzero`]).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    cells: FastHashMap<Cell, i64>,
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Tally {
        Tally::default()
    }

    /// Add `n` to `cell`.
    pub fn add(&mut self, cell: Cell, n: i64) {
        *self.cells.entry(cell).or_insert(0) += n;
    }

    /// Add every contribution of one fact.
    pub fn observe(
        &mut self,
        regions: &Regions,
        before: Option<&ClientState>,
        on: Date,
        event: &ClientEvent,
        after: &ClientState,
        sign: i64,
    ) {
        contributions(regions, before, on, event, after, &mut |c, n| {
            self.add(c, sign * n)
        });
    }

    /// The cells whose sum is not zero.
    pub fn nonzero(&self) -> impl Iterator<Item = (&Cell, i64)> {
        self.cells
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|(c, n)| (c, *n))
    }

    /// Number of cells (zeros included).
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// No cells.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Add every cell of `other` (tallies built in parallel, summed at the end).
    pub fn merge(&mut self, other: Tally) {
        if self.cells.len() < other.cells.len() {
            let mine = std::mem::replace(&mut self.cells, other.cells);
            for (c, n) in mine {
                self.add(c, n);
            }
        } else {
            for (c, n) in other.cells {
                self.add(c, n);
            }
        }
    }

    /// Remove and return every non-zero cell.
    pub fn drain_nonzero(&mut self) -> Vec<(Cell, i64)> {
        self.cells.drain().filter(|(_, n)| *n != 0).collect()
    }
}

#[cfg(test)]
mod tests;
