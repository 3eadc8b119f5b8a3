//! A client's current state, folded from their event stream, and the rules every new fact
//! must satisfy. This is the single place that decides whether an event is admissible.
//!
//! Streams are folded in *effective* order — `(effective date, version)` — after applying
//! corrections (a [`ClientEvent::Correctie`] takes the place of the event it corrects) and
//! voids ([`ClientEvent::Intrekking`] removes one). A new event dated on or after the last
//! effective date can be applied directly to the state ([`ClientState::apply`]); anything
//! else (back-dated facts, corrections) refolds the stream ([`fold_stream`]). Both paths
//! produce the same state; the store's rebuild test checks it.
//!
//! **The network's facts** (issue 14). A provider's request (verzoek om toewijzing /
//! wijziging, iWmo WMO315/317) is open in [`ClientState::verzoeken`] under its stream
//! version until an answer names it: "in onderzoek" keeps it open (once), afgewezen (with a
//! reason) closes it, toegekend closes it only when the toewijzing of the product (decided on
//! or after the request) or the wijziging asked for is already in the state — the web appends
//! `[Toewijzing, VerzoekAntwoord]` together. A proposal ([`ClientState::voorstel`]) reserves a
//! place until the provider answers or `geldig_tot` passes; an **expired** proposal simply
//! stops reserving (readers ask [`ClientState::voorstel_open_op`] with today) and a new
//! proposal is then allowed, while an accepted one holds the place until start zorg (any start
//! zorg, a wachtlijst-uit, afwijzing, einde zorg or Wlz-overgang clears it). A tijdelijk
//! verblijf runs beside care (short-stay products only, `max_nachten`); the local front
//! door's doorverwijzing and advice questions and the MO-traject are recorded in the state
//! for the worklist and the monitor's route.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::events::{
    Bestemming, ClientEvent, EerdereZorgSoort, Kennisbron, Leveringsvorm, Melder, Urgentie,
    Voordeur, Wijziging, Woonsituatie,
};
use crate::gemeenten::Gemeenten;
use crate::ids::{AgbCode, ClientId, GemeenteCode, LocationId, ProductCode, RegionId};
use crate::region::{Domain, RegionProfile, Regions, Unit};

/// The highest waiting-list priority (crisis); 0 is regular, 1 urgent.
pub const MAX_PRIORITEIT: u8 = 2;

/// An event that breaks a rule. `code` names the rule (stable, for programs and tests, e.g.
/// `"toewijzing.einde_voor_start"`: the event kind or subject, a dot, the rule); `field`
/// names the offending field; `message` is Dutch, for people, and may change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RuleError {
    /// The rule broken: a stable code (see [`RuleError::code`]).
    pub code: &'static str,
    /// The field (or event part) at fault.
    pub field: &'static str,
    /// What is wrong, in Dutch.
    pub message: String,
}

impl RuleError {
    /// A rule error with its stable `code`, the `field` at fault and a Dutch `message`.
    pub fn new(code: &'static str, field: &'static str, message: impl Into<String>) -> RuleError {
        RuleError {
            code,
            field,
            message: message.into(),
        }
    }
}

fn rule(code: &'static str, field: &'static str, message: impl Into<String>) -> RuleError {
    RuleError::new(code, field, message)
}

/// The decision currently in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "soort", rename_all = "snake_case")]
pub enum Besluit {
    /// Toewijzing: allocation of a product for a period.
    Toewijzing {
        /// Date of the decision.
        datum: Date,
        /// Product.
        product: ProductCode,
        /// First day.
        start: Date,
        /// Last day.
        einde: Date,
        /// ZIN or PGB.
        leveringsvorm: Leveringsvorm,
        /// Provider, if chosen.
        aanbieder: Option<AgbCode>,
        /// The provider of the location the client was placed at under this decision, when
        /// the decision named none (issue 12: after a placement the besluit shows the
        /// provider). Read through [`ClientState::besluit_aanbieder`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        geplaatst_bij: Option<AgbCode>,
    },
    /// Afwijzing with the casusregie holder.
    Afwijzing {
        /// Date.
        datum: Date,
        /// Reason.
        reden: String,
        /// Casusregie holder.
        casusregie: String,
    },
}

/// Waiting for a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wacht {
    /// Product waited for.
    pub product: ProductCode,
    /// Since.
    pub sinds: Date,
    /// Priority (higher first).
    pub prioriteit: u8,
}

/// Care in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zorg {
    /// Product.
    pub product: ProductCode,
    /// Location.
    pub locatie: LocationId,
    /// Provider running the location.
    pub aanbieder: AgbCode,
    /// Start of this product at this location.
    pub sinds: Date,
    /// Start of the care episode (first product), for length of stay.
    pub episode_start: Date,
    /// Placed as overbezetting (beyond the location's places) with this reason; cleared when
    /// the client moves to another product or location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overbezetting: Option<String>,
}

/// The most recent outflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uitstroom {
    /// Date.
    pub datum: Date,
    /// Destination.
    pub bestemming: Bestemming,
    /// Issue 15: the home's gemeente and kind, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub woning: Option<crate::events::Woonbestemming>,
}

/// Coarse phase of the client's path, for lists and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Applied, not yet decided.
    Aangemeld,
    /// Refused.
    Afgewezen,
    /// Allocated, not (yet) in care and not waiting.
    Toegewezen,
    /// On the waiting list.
    Wachtend,
    /// In care.
    InZorg,
    /// Care ended.
    Uitgestroomd,
}

impl Phase {
    /// Snake-case key as stored.
    pub fn key(self) -> &'static str {
        match self {
            Phase::Aangemeld => "aangemeld",
            Phase::Afgewezen => "afgewezen",
            Phase::Toegewezen => "toegewezen",
            Phase::Wachtend => "wachtend",
            Phase::InZorg => "in_zorg",
            Phase::Uitgestroomd => "uitgestroomd",
        }
    }
    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Aangemeld => "Aangemeld",
            Phase::Afgewezen => "Afgewezen",
            Phase::Toegewezen => "Toegewezen",
            Phase::Wachtend => "Op wachtlijst",
            Phase::InZorg => "In zorg",
            Phase::Uitgestroomd => "Uitgestroomd",
        }
    }
}

/// Sees every accepted transition: `(before, effective, fact, after)`; `before` is `None`
/// for the fact that opens the stream.
pub type Observer<'a> = dyn FnMut(Option<&ClientState>, Date, &ClientEvent, &ClientState) + 'a;

/// A client's current state: the `client_state` projection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientState {
    /// Client.
    pub client: ClientId,
    /// Region of the current episode.
    pub regio: RegionId,
    /// Highest stream version seen (corrections included).
    pub version: u32,
    /// Latest effective date among the facts in force.
    pub last_effective: Date,
    /// Date of the (latest) application.
    pub aangemeld: Date,
    /// Who applied.
    pub melder: Melder,
    /// BRP registration at application (`None`: not registered).
    pub herkomst: Option<GemeenteCode>,
    /// Living situation at application.
    pub woonsituatie: Woonsituatie,
    /// Urgency at application.
    pub urgentie: Urgentie,
    /// Date of the latest assessment.
    pub beoordeeld: Option<Date>,
    /// Decision in force.
    pub besluit: Option<Besluit>,
    /// An appeal is pending against the decision.
    pub bezwaar_open: bool,
    /// On the waiting list.
    pub wacht: Option<Wacht>,
    /// In care.
    pub zorg: Option<Zorg>,
    /// Latest outflow.
    pub uitstroom: Option<Uitstroom>,
    /// MO nights used in total.
    pub mo_nachten: u32,
    /// Number of separate night-shelter stays (blocks).
    pub mo_verblijven: u32,
    /// Last night in the night shelter.
    pub mo_laatste_nacht: Option<Date>,
    /// Date of transfer to the Wlz.
    pub wlz: Option<Date>,
    /// MO nights in the calendar year of the latest night: (year, nights in that year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mo_jaar: Option<(i32, u32)>,
    /// BRP registrations recorded (residence history), in effective order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub brp: Vec<Inschrijving>,
    /// Responsible gemeente as determined for the current application (woonplaatsbeginsel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verantwoordelijk: Option<GemeenteCode>,
    /// The front door of the current application (`None`: not recorded, an older aanmelding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voordeur: Option<Voordeur>,
    /// Care elsewhere recorded as facts (`eerdere_zorg`), in recording order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eerdere_zorg: Vec<EerdereZorg>,
    /// Registered as house-seeker since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub woningzoekend: Option<Date>,
    /// Uitstroomklaar since: ready to move out of the current care, waiting for a home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uitstroomklaar: Option<Date>,
    /// Preferred gemeenten for a place, most preferred first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voorkeur: Vec<GemeenteCode>,
    /// MO history per region whose shelters the client used (`mo_laatste_nacht` and
    /// `mo_jaar` restricted to that region's nights), in order of first use. The monitor's
    /// MO figures are region figures and read this, not the all-regions history.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mo_regio: Vec<MoRegio>,
    /// A transfer to the Wlz has been counted (by `einde_zorg` with destination Wlz or by
    /// `wlz_overgang`): the monitor counts a person's transfer once.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub wlz_geteld: bool,
    /// As-of-date state (issue 12): the effective date of the earliest *planned* fact — a
    /// fact dated after the day this state was folded to ([`fold_stream_as_of`]) and not yet
    /// applied to it. `None`: every fact in force is applied. The store keeps the state as of
    /// today and re-folds a client once this date is reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volgende_gepland: Option<Date>,
    /// Issue 14: the provider's requests (verzoek om toewijzing / wijziging) not yet answered
    /// finally (an answer "in onderzoek" keeps it open), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verzoeken: Vec<OpenVerzoek>,
    /// Issue 14: the open proposal for a free place (reserves it until answered or expired).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voorstel: Option<OpenVoorstel>,
    /// Issue 14: the latest temporary stay beside running care (logeer, time-out, bed &
    /// break), while and after it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tijdelijk: Option<Tijdelijk>,
    /// Issue 14: the needs the latest beoordeling recorded (matching reads them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub behoeften: Vec<crate::events::Behoefte>,
    /// Issue 14: the local front door's questions to the regional team not yet answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adviesvragen: Vec<OpenAdvies>,
    /// Issue 14: the current application was referred to the region's team on this date
    /// (doorverwijzing by the local front door).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doorverwezen: Option<Date>,
    /// Issue 14: an individueel begeleidingstraject MO started on this date (closes the MO
    /// follow-up item after the 3rd night).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mo_traject: Option<Date>,
    /// Issue 14: the local front door asked the regional team's advice for the current
    /// application, first on this date (answered or not; the monitor's route of the decision
    /// reads it). Reset by a new aanmelding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advies_gevraagd: Option<Date>,
    /// Issue 15: the home the person needs (the latest `woonbehoefte`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub woonbehoefte: Option<crate::events::Woonbehoefte>,
    /// Issue 15: the latest urgentie application and its decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub woonurgentie: Option<WoonUrgentie>,
    /// Issue 15: the running offer of a home (open, accepted, signed; kept after the move).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aanbod: Option<WoonAanbod>,
    /// Issue 15: the latest refused offer (the worklist shows it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aanbod_geweigerd: Option<AanbodWeigering>,
    /// Issue 15: moved into a home on this date (no more offers; reset by a new aanmelding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gehuisvest: Option<Date>,
}

/// A provider's request awaiting its final answer (issue 14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenVerzoek {
    /// Stream version of the request (what an answer names).
    pub versie: u32,
    /// Date of the request.
    pub sinds: Date,
    /// The provider asking.
    pub aanbieder: AgbCode,
    /// What is asked: a toewijzing of a product, or a change.
    pub soort: VerzoekSoort,
    /// The request's reason.
    pub reden: String,
    /// Answered "in onderzoek" on this date (still open).
    pub in_onderzoek: Option<Date>,
}

/// What a provider asks for (issue 14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "soort", rename_all = "snake_case")]
pub enum VerzoekSoort {
    /// Verzoek om toewijzing (WMO315).
    Toewijzing {
        /// Product.
        product: ProductCode,
        /// Requested first day.
        start: Date,
        /// Requested last day.
        einde: Option<Date>,
    },
    /// Verzoek om wijziging (WMO317).
    Wijziging {
        /// The change asked for.
        wijziging: Wijziging,
    },
}

/// An open proposal of this client for a free place (issue 14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenVoorstel {
    /// Stream version of the Voorstel (what an answer names).
    pub versie: u32,
    /// Date proposed.
    pub sinds: Date,
    /// Location.
    pub locatie: LocationId,
    /// The location's provider.
    pub aanbieder: AgbCode,
    /// Product.
    pub product: ProductCode,
    /// Reserved until (inclusive).
    pub geldig_tot: Date,
    /// The provider accepted on this date (the place stays reserved until start zorg).
    pub akkoord: Option<Date>,
}

/// A temporary stay beside running care (issue 14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tijdelijk {
    /// Short-stay product.
    pub product: ProductCode,
    /// Location.
    pub locatie: LocationId,
    /// The location's provider.
    pub aanbieder: AgbCode,
    /// First night.
    pub van: Date,
    /// Last night.
    pub tot: Date,
}

/// An advice request of the local front door awaiting the regional team's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenAdvies {
    /// Stream version of the AdviesGevraagd.
    pub versie: u32,
    /// Date asked.
    pub sinds: Date,
    /// The question.
    pub vraag: String,
}

/// A client's MO history in one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoRegio {
    /// Region of the shelters.
    pub regio: RegionId,
    /// Last night in this region's shelters.
    pub laatste_nacht: Date,
    /// Nights in this region's shelters in the calendar year of `laatste_nacht`'s block:
    /// (year, nights in that year).
    pub jaar: (i32, u32),
    /// The 4th night in this region's shelters in the year `jaar.0` (issue 14, seed 004:
    /// after the 3rd night an individueel traject is due); `None` while that year has ≤ 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vierde_nacht: Option<Date>,
    /// The shelter of the latest block (issue 14: its provider may record the MO-traject).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locatie: Option<LocationId>,
}

/// The 4th night of the year of the block's last night, after a block of `nachten` nights
/// from `on`, given the year's count before (`jaar`) and its 4th night so far (`vierde`).
fn vierde_nacht_step(
    jaar: Option<(i32, u32)>,
    vierde: Option<Date>,
    on: Date,
    nachten: u16,
) -> Option<Date> {
    let last = on.add_days(i32::from(nachten) - 1);
    let (before, vierde) = match jaar {
        Some((y, n)) if y == last.year() => (n, vierde),
        _ => (0, None),
    };
    if vierde.is_some() || before >= 4 {
        return vierde;
    }
    let jan1 = Date::from_ymd(last.year(), 1, 1).expect("1 januari");
    let first = on.max(jan1);
    let in_year = (first.days_until(last) + 1) as u32;
    (before + in_year >= 4).then(|| first.add_days(3 - before as i32))
}

/// The MO history after a block of `nachten` nights from `on`: the last night and the
/// (year, nights in that year) of the block's last night.
fn mo_step(
    laatste: Option<Date>,
    jaar: Option<(i32, u32)>,
    on: Date,
    nachten: u16,
) -> (Date, (i32, u32)) {
    let last = on.add_days(i32::from(nachten) - 1);
    let (y_last, before) = match jaar {
        Some((y, n)) if y == last.year() => (y, n),
        _ => (last.year(), 0),
    };
    let jan1 = Date::from_ymd(y_last, 1, 1).expect("1 januari");
    let in_last_year = (on.max(jan1).days_until(last) + 1) as u32;
    (
        laatste.map_or(last, |l| l.max(last)),
        (y_last, before + in_last_year),
    )
}

/// Care elsewhere, recorded as a fact ([`ClientEvent::EerdereZorg`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EerdereZorg {
    /// What kind of care.
    pub soort: EerdereZorgSoort,
    /// The gemeente that provided it.
    pub gemeente: GemeenteCode,
    /// Last day.
    pub einde: Date,
    /// How it is known.
    pub bron: Kennisbron,
}

/// One BRP registration period (from `van` until the next one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inschrijving {
    /// First day.
    pub van: Date,
    /// Gemeente of the woonadres (`None`: not registered).
    pub gemeente: Option<GemeenteCode>,
    /// At a designated institution.
    pub instelling: bool,
    /// Only a briefadres (postal address): not a woonadres.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub briefadres: bool,
}

impl ClientState {
    /// The coarse phase.
    pub fn phase(&self) -> Phase {
        if self.zorg.is_some() {
            Phase::InZorg
        } else if self.wacht.is_some() {
            Phase::Wachtend
        } else if self
            .uitstroom
            .as_ref()
            .is_some_and(|u| u.datum >= self.aangemeld)
            || self.wlz.is_some()
        {
            Phase::Uitgestroomd
        } else {
            match &self.besluit {
                Some(Besluit::Toewijzing { .. }) => Phase::Toegewezen,
                Some(Besluit::Afwijzing { .. }) => Phase::Afgewezen,
                None => Phase::Aangemeld,
            }
        }
    }

    /// The client's MO history in the shelters of `regio`, if they used any.
    pub fn mo_historie(&self, regio: &RegionId) -> Option<&MoRegio> {
        self.mo_regio.iter().find(|h| &h.regio == regio)
    }

    /// The provider of the allocation in force: the one the decision named, else the one
    /// running the location the client was placed at under it (`None`: not chosen yet).
    pub fn besluit_aanbieder(&self) -> Option<AgbCode> {
        match &self.besluit {
            Some(Besluit::Toewijzing {
                aanbieder,
                geplaatst_bij,
                ..
            }) => aanbieder.or(*geplaatst_bij),
            _ => None,
        }
    }

    /// The allocation in force, if any.
    pub fn toewijzing(&self) -> Option<(&ProductCode, Date, Date, Leveringsvorm, Option<AgbCode>)> {
        match &self.besluit {
            Some(Besluit::Toewijzing {
                product,
                start,
                einde,
                leveringsvorm,
                aanbieder,
                ..
            }) => Some((product, *start, *einde, *leveringsvorm, *aanbieder)),
            _ => None,
        }
    }

    /// Start a stream from its first event, which must be an aanmelding.
    pub fn open(
        client: ClientId,
        version: u32,
        effective: Date,
        event: &ClientEvent,
        regions: &Regions,
    ) -> Result<ClientState, RuleError> {
        match event {
            ClientEvent::Aanmelding {
                regio,
                melder,
                herkomst_gemeente,
                woonsituatie,
                urgentie,
                voordeur,
            } => {
                check_aanmelding(regio, *herkomst_gemeente, *voordeur, effective, regions)?;
                Ok(ClientState {
                    client,
                    regio: regio.clone(),
                    version,
                    last_effective: effective,
                    aangemeld: effective,
                    melder: *melder,
                    herkomst: *herkomst_gemeente,
                    woonsituatie: *woonsituatie,
                    urgentie: *urgentie,
                    beoordeeld: None,
                    besluit: None,
                    bezwaar_open: false,
                    wacht: None,
                    zorg: None,
                    uitstroom: None,
                    mo_nachten: 0,
                    mo_verblijven: 0,
                    mo_laatste_nacht: None,
                    wlz: None,
                    mo_jaar: None,
                    brp: Vec::new(),
                    verantwoordelijk: None,
                    voordeur: *voordeur,
                    eerdere_zorg: Vec::new(),
                    woningzoekend: None,
                    uitstroomklaar: None,
                    voorkeur: Vec::new(),
                    mo_regio: Vec::new(),
                    wlz_geteld: false,
                    volgende_gepland: None,
                    verzoeken: Vec::new(),
                    voorstel: None,
                    tijdelijk: None,
                    behoeften: Vec::new(),
                    adviesvragen: Vec::new(),
                    doorverwezen: None,
                    mo_traject: None,
                    advies_gevraagd: None,
                    woonbehoefte: None,
                    woonurgentie: None,
                    aanbod: None,
                    aanbod_geweigerd: None,
                    gehuisvest: None,
                })
            }
            ClientEvent::Correctie { .. } | ClientEvent::Intrekking { .. } => Err(rule(
                "correctie.niets_te_corrigeren",
                "corrigeert",
                "er is nog geen gebeurtenis om te corrigeren of in te trekken",
            )),
            _ => Err(rule(
                "stroom.eerst_aanmelding",
                "type",
                format!(
                    "cliënt {client} heeft nog geen aanmelding; '{}' kan niet de eerste gebeurtenis zijn",
                    event.label()
                ),
            )),
        }
    }

    /// Apply one fact (not a correction or void) that takes effect on `effective`, checking
    /// every rule. On error the state is unchanged.
    pub fn apply(
        &mut self,
        version: u32,
        effective: Date,
        event: &ClientEvent,
        regions: &Regions,
    ) -> Result<(), RuleError> {
        self.apply_observed(version, effective, event, regions, &mut |_, _, _, _| {})
    }

    /// [`ClientState::apply`], calling `observe(before, effective, event, after)` when the
    /// fact is accepted (the monitor counts transitions this way).
    pub fn apply_observed(
        &mut self,
        version: u32,
        effective: Date,
        event: &ClientEvent,
        regions: &Regions,
        observe: &mut Observer<'_>,
    ) -> Result<(), RuleError> {
        let profile = regions.get(&self.regio).ok_or_else(|| {
            rule(
                "regio.onbekend",
                "regio",
                format!("regio {} is onbekend", self.regio),
            )
        })?;
        let mut next = self.clone();
        next.step(version, effective, event, profile, regions)?;
        next.version = next.version.max(version);
        next.last_effective = next.last_effective.max(effective);
        observe(Some(self), effective, event, &next);
        *self = next;
        Ok(())
    }

    fn step(
        &mut self,
        version: u32,
        on: Date,
        event: &ClientEvent,
        profile: &RegionProfile,
        regions: &Regions,
    ) -> Result<(), RuleError> {
        match event {
            ClientEvent::Aanmelding {
                regio,
                melder,
                herkomst_gemeente,
                woonsituatie,
                urgentie,
                voordeur,
            } => {
                if self.zorg.is_some() || self.wacht.is_some() {
                    return Err(rule(
                        "aanmelding.lopende_zorg",
                        "type",
                        format!(
                            "cliënt {} heeft al een lopende zorg of wachtlijstplaatsing; een nieuwe aanmelding kan pas na uitstroom",
                            self.client
                        ),
                    ));
                }
                if matches!(self.besluit, Some(Besluit::Toewijzing { einde, .. }) if einde >= on)
                    && self
                        .uitstroom
                        .as_ref()
                        .is_none_or(|u| u.datum < self.aangemeld)
                {
                    return Err(rule(
                        "aanmelding.geldige_toewijzing",
                        "type",
                        format!(
                            "cliënt {} heeft al een geldige toewijzing; dubbele aanmelding",
                            self.client
                        ),
                    ));
                }
                check_aanmelding(regio, *herkomst_gemeente, *voordeur, on, regions)?;
                self.regio = regio.clone();
                self.aangemeld = on;
                self.melder = *melder;
                self.herkomst = *herkomst_gemeente;
                self.woonsituatie = *woonsituatie;
                self.urgentie = *urgentie;
                self.voordeur = *voordeur;
                self.beoordeeld = None;
                self.besluit = None;
                self.bezwaar_open = false;
                self.verantwoordelijk = None;
                self.doorverwezen = None;
                self.advies_gevraagd = None;
                self.woonbehoefte = None;
                self.woonurgentie = None;
                self.aanbod = None;
                self.aanbod_geweigerd = None;
                self.gehuisvest = None;
            }
            ClientEvent::Beoordeling {
                zrm,
                criteria,
                behoeften,
                ..
            } => {
                if let Some((i, s)) = zrm
                    .iter()
                    .enumerate()
                    .find_map(|(i, s)| s.filter(|s| !(1..=5).contains(s)).map(|s| (i, s)))
                {
                    return Err(rule(
                        "beoordeling.zrm_buiten_bereik",
                        "zrm",
                        format!(
                            "score {s} op domein '{}' ligt niet tussen 1 en 5",
                            crate::events::ZRM_DOMAIN_NAMES[i]
                        ),
                    ));
                }
                if criteria.iter().any(|c| c.criterium.trim().is_empty()) {
                    return Err(rule(
                        "beoordeling.criterium_zonder_naam",
                        "criteria",
                        "een criterium zonder naam",
                    ));
                }
                self.beoordeeld = Some(on);
                self.behoeften = behoeften.clone();
            }
            ClientEvent::Toewijzing {
                product,
                start,
                einde,
                leveringsvorm,
                aanbieder,
            } => {
                let p = product_on(profile, product, *start)?;
                if einde < start {
                    return Err(rule(
                        "toewijzing.einde_voor_start",
                        "einde",
                        format!(
                            "einddatum {} ligt vóór de startdatum {}",
                            einde.nl(),
                            start.nl()
                        ),
                    ));
                }
                if let (Some(max), Some(uiterlijk)) = (p.max_months, p.max_end(*start))
                    && *einde > uiterlijk
                {
                    return Err(rule(
                        "toewijzing.langer_dan_maximum",
                        "einde",
                        format!(
                            "{} duurt maximaal {max} maanden: einde uiterlijk {uiterlijk}",
                            p.name
                        ),
                    ));
                }
                if let Some(a) = aanbieder {
                    if profile.provider(*a).is_none() {
                        return Err(rule(
                            "toewijzing.aanbieder_niet_gecontracteerd",
                            "aanbieder",
                            format!(
                                "aanbieder {a} is niet gecontracteerd in regio {}",
                                profile.id
                            ),
                        ));
                    }
                    if !profile
                        .locations
                        .iter()
                        .any(|l| l.provider == *a && l.places.contains_key(product))
                    {
                        return Err(rule(
                            "toewijzing.aanbieder_zonder_product",
                            "aanbieder",
                            format!("aanbieder {a} heeft geen locatie met product {product}"),
                        ));
                    }
                }
                self.besluit = Some(Besluit::Toewijzing {
                    datum: on,
                    product: product.clone(),
                    start: *start,
                    einde: *einde,
                    leveringsvorm: *leveringsvorm,
                    aanbieder: *aanbieder,
                    geplaatst_bij: None,
                });
                self.bezwaar_open = false;
                self.uitstroom = self.uitstroom.take().filter(|u| u.datum < self.aangemeld);
            }
            ClientEvent::Afwijzing { reden, casusregie } => {
                if reden.trim().is_empty() {
                    return Err(rule(
                        "afwijzing.reden_ontbreekt",
                        "reden",
                        "een afwijzing heeft een reden nodig",
                    ));
                }
                if casusregie.trim().is_empty() {
                    return Err(rule(
                        "afwijzing.casusregie_ontbreekt",
                        "casusregie",
                        "leg vast wie na de afwijzing de casusregie heeft",
                    ));
                }
                if self.zorg.is_some() {
                    return Err(rule(
                        "afwijzing.in_zorg",
                        "type",
                        "cliënt is in zorg; beëindig eerst de zorg",
                    ));
                }
                self.besluit = Some(Besluit::Afwijzing {
                    datum: on,
                    reden: reden.clone(),
                    casusregie: casusregie.clone(),
                });
                self.bezwaar_open = false;
                self.wacht = None;
                self.voorstel = None;
            }
            ClientEvent::Bezwaar { reden } => {
                if self.besluit.is_none() {
                    return Err(rule(
                        "bezwaar.geen_besluit",
                        "type",
                        "er is nog geen besluit om bezwaar tegen te maken",
                    ));
                }
                if reden.trim().is_empty() {
                    return Err(rule(
                        "bezwaar.gronden_ontbreken",
                        "reden",
                        "een bezwaar heeft gronden nodig",
                    ));
                }
                self.bezwaar_open = true;
            }
            ClientEvent::WachtlijstIn {
                product,
                prioriteit,
            } => {
                if *prioriteit > MAX_PRIORITEIT {
                    return Err(rule(
                        "wachtlijst.prioriteit",
                        "prioriteit",
                        format!(
                            "prioriteit {prioriteit} bestaat niet: 0 (regulier), 1 (urgent) of {MAX_PRIORITEIT} (crisis)"
                        ),
                    ));
                }
                let (allocated, ..) = self.toewijzing().ok_or_else(|| {
                    rule(
                        "wachtlijst.geen_toewijzing",
                        "product",
                        "geen toewijzing: alleen wie een toewijzing heeft kan op de wachtlijst",
                    )
                })?;
                if allocated != product {
                    return Err(rule(
                        "wachtlijst.ander_product",
                        "product",
                        format!("toegewezen is {allocated}, niet {product}"),
                    ));
                }
                if self.zorg.is_some() {
                    return Err(rule("wachtlijst.in_zorg", "type", "cliënt is al in zorg"));
                }
                if self.wacht.is_some() {
                    return Err(rule(
                        "wachtlijst.al_wachtend",
                        "type",
                        "cliënt staat al op de wachtlijst",
                    ));
                }
                self.wacht = Some(Wacht {
                    product: product.clone(),
                    sinds: on,
                    prioriteit: *prioriteit,
                });
            }
            ClientEvent::WachtlijstUit { .. } => {
                if self.wacht.take().is_none() {
                    return Err(rule(
                        "wachtlijst.niet_wachtend",
                        "type",
                        "cliënt staat niet op de wachtlijst",
                    ));
                }
                self.voorstel = None;
            }
            ClientEvent::StartZorg {
                product,
                locatie,
                overbezetting,
            } => {
                let (allocated, start, einde, _, aanbieder) =
                    self.toewijzing().ok_or_else(|| rule("start_zorg.geen_toewijzing", "product", format!("cliënt {} heeft geen toewijzing; zorg kan niet starten zonder besluit", self.client)))?;
                if allocated != product {
                    return Err(rule(
                        "start_zorg.ander_product",
                        "product",
                        format!("toegewezen is {allocated}, niet {product}"),
                    ));
                }
                if on < start || on > einde {
                    return Err(rule(
                        "start_zorg.buiten_toewijzing",
                        "effective_date",
                        format!(
                            "start zorg {} valt buiten de toewijzing ({} t/m {})",
                            on.nl(),
                            start.nl(),
                            einde.nl()
                        ),
                    ));
                }
                if self.zorg.is_some() {
                    return Err(rule(
                        "start_zorg.al_in_zorg",
                        "type",
                        "cliënt is al in zorg; gebruik een wijziging",
                    ));
                }
                let loc = location_with(profile, locatie, product)?;
                if let Some(a) = aanbieder
                    && a != loc.provider
                {
                    return Err(rule(
                        "start_zorg.andere_aanbieder",
                        "locatie",
                        format!("locatie {locatie} hoort niet bij de toegewezen aanbieder {a}"),
                    ));
                }
                self.zorg = Some(Zorg {
                    product: product.clone(),
                    locatie: locatie.clone(),
                    aanbieder: loc.provider,
                    sinds: on,
                    episode_start: on,
                    overbezetting: overbezetting.clone(),
                });
                if let Some(Besluit::Toewijzing {
                    aanbieder: None,
                    geplaatst_bij,
                    ..
                }) = &mut self.besluit
                {
                    *geplaatst_bij = Some(loc.provider);
                }
                self.wacht = None;
                // The proposal is used (start at its location) or moot (placed elsewhere):
                // either way the place it reserved is no longer held.
                self.voorstel = None;
            }
            ClientEvent::Wijziging(w) => self.wijziging(on, w, profile)?,
            ClientEvent::Woonbehoefte(_)
            | ClientEvent::UrgentieAanvraag { .. }
            | ClientEvent::UrgentieBesluit { .. }
            | ClientEvent::Woningaanbod { .. }
            | ClientEvent::AanbodAntwoord { .. }
            | ClientEvent::Huurovereenkomst { .. }
            | ClientEvent::Verhuizing { .. } => self.wonen(version, on, event, profile)?,
            ClientEvent::EindeZorg { bestemming, woning } => {
                if let Some(w) = woning {
                    if !bestemming.is_housing() {
                        return Err(rule(
                            "einde_zorg.woning_bij_andere_bestemming",
                            "woning",
                            "een woning (gemeente en soort) hoort alleen bij een bestemming 'woning'",
                        ));
                    }
                    check_gemeente_on(w.gemeente, on)
                        .map_err(|e| RuleError::new(e.code, "woning.gemeente", e.message))?;
                }
                let z = self.zorg.as_ref().ok_or_else(|| {
                    rule("einde_zorg.niet_in_zorg", "type", "cliënt is niet in zorg")
                })?;
                if on < z.sinds {
                    return Err(rule(
                        "einde_zorg.voor_start",
                        "effective_date",
                        format!("einde zorg {on} ligt vóór de start van de zorg {}", z.sinds),
                    ));
                }
                self.zorg = None;
                self.uitstroomklaar = None;
                self.voorstel = None;
                self.uitstroom = Some(Uitstroom {
                    datum: on,
                    bestemming: *bestemming,
                    woning: *woning,
                });
                if *bestemming == Bestemming::Wlz {
                    self.wlz_geteld = true;
                }
            }
            ClientEvent::MoOvernachting {
                product,
                locatie,
                nachten,
            } => {
                let p = product_on(profile, product, on)?;
                if p.domain != Domain::Mo || p.unit != Unit::Nacht {
                    return Err(rule(
                        "mo.geen_nachtopvang",
                        "product",
                        format!("{} is geen nachtopvang", p.name),
                    ));
                }
                if !(1..=366).contains(nachten) {
                    return Err(rule(
                        "mo.nachten_buiten_bereik",
                        "nachten",
                        format!("{nachten} nachten: moet tussen 1 en 366 liggen"),
                    ));
                }
                location_with(profile, locatie, product)?;
                if self.mo_laatste_nacht.is_none_or(|l| on > l.add_days(1)) {
                    self.mo_verblijven += 1;
                }
                self.mo_nachten += u32::from(*nachten);
                let (laatste, jaar) = mo_step(self.mo_laatste_nacht, self.mo_jaar, on, *nachten);
                self.mo_jaar = Some(jaar);
                self.mo_laatste_nacht = Some(laatste);
                // The same history per region: the monitor's MO figures are region figures.
                let regio = self.regio.clone();
                match self.mo_regio.iter_mut().find(|h| h.regio == regio) {
                    Some(h) => {
                        h.vierde_nacht =
                            vierde_nacht_step(Some(h.jaar), h.vierde_nacht, on, *nachten);
                        (h.laatste_nacht, h.jaar) =
                            mo_step(Some(h.laatste_nacht), Some(h.jaar), on, *nachten);
                        h.locatie = Some(locatie.clone());
                    }
                    None => {
                        let (laatste_nacht, jaar) = mo_step(None, None, on, *nachten);
                        self.mo_regio.push(MoRegio {
                            regio,
                            laatste_nacht,
                            jaar,
                            vierde_nacht: vierde_nacht_step(None, None, on, *nachten),
                            locatie: Some(locatie.clone()),
                        });
                    }
                }
            }
            ClientEvent::VerzoekToewijzing {
                aanbieder,
                product,
                start,
                einde,
                reden,
            } => self.verzoek_toewijzing(
                version, on, *aanbieder, product, *start, *einde, reden, profile,
            )?,
            ClientEvent::VerzoekWijziging {
                aanbieder,
                wijziging,
                reden,
            } => self.verzoek_wijziging(version, on, *aanbieder, wijziging, reden, profile)?,
            ClientEvent::VerzoekAntwoord {
                verzoek,
                uitkomst,
                toelichting,
            } => self.verzoek_antwoord(on, *verzoek, *uitkomst, toelichting)?,
            ClientEvent::Voorstel {
                locatie,
                product,
                geldig_tot,
            } => self.voorstel(version, on, locatie, product, *geldig_tot, profile)?,
            ClientEvent::VoorstelAntwoord {
                voorstel,
                akkoord,
                reden,
            } => {
                let v = self
                    .voorstel
                    .as_mut()
                    .filter(|v| v.versie == *voorstel)
                    .ok_or_else(|| {
                        rule(
                            "voorstel.onbekend",
                            "voorstel",
                            format!(
                                "versie {voorstel} is geen openstaand voorstel van deze cliënt"
                            ),
                        )
                    })?;
                if let Some(op) = v.akkoord {
                    return Err(rule(
                        "voorstel.al_beantwoord",
                        "voorstel",
                        format!(
                            "het voorstel (versie {voorstel}) is al geaccepteerd op {}",
                            op.nl()
                        ),
                    ));
                }
                if on > v.geldig_tot {
                    return Err(rule(
                        "voorstel.verlopen",
                        "voorstel",
                        format!(
                            "het voorstel was geldig tot en met {}; het antwoord op {} is te laat",
                            v.geldig_tot.nl(),
                            on.nl()
                        ),
                    ));
                }
                if *akkoord {
                    v.akkoord = Some(on);
                } else if reden.trim().is_empty() {
                    return Err(rule(
                        "voorstel.reden_ontbreekt",
                        "reden",
                        "een weigering van een voorstel heeft een reden nodig",
                    ));
                } else {
                    self.voorstel = None;
                }
            }
            ClientEvent::TijdelijkVerblijf {
                product,
                locatie,
                nachten,
            } => self.tijdelijk_verblijf(on, product, locatie, *nachten, profile)?,
            ClientEvent::Doorverwijzing { reden } => {
                if reden.trim().is_empty() {
                    return Err(rule(
                        "doorverwijzing.reden_ontbreekt",
                        "reden",
                        "een doorverwijzing heeft een reden nodig",
                    ));
                }
                if self.besluit.is_some() {
                    return Err(rule(
                        "doorverwijzing.al_besloten",
                        "type",
                        "op deze aanmelding is al besloten; doorverwijzen kan alleen vóór het besluit",
                    ));
                }
                if let Some(d) = self.doorverwezen {
                    return Err(rule(
                        "doorverwijzing.al_doorverwezen",
                        "type",
                        format!("deze aanmelding is al doorverwezen op {}", d.nl()),
                    ));
                }
                self.doorverwezen = Some(on);
            }
            ClientEvent::AdviesGevraagd { vraag } => {
                if vraag.trim().is_empty() {
                    return Err(rule(
                        "advies.vraag_ontbreekt",
                        "vraag",
                        "een adviesvraag heeft een vraag nodig",
                    ));
                }
                self.adviesvragen.push(OpenAdvies {
                    versie: version,
                    sinds: on,
                    vraag: vraag.clone(),
                });
                self.advies_gevraagd.get_or_insert(on);
            }
            ClientEvent::AdviesGegeven { vraag, advies } => {
                let i = self
                    .adviesvragen
                    .iter()
                    .position(|a| a.versie == *vraag)
                    .ok_or_else(|| {
                        rule(
                            "advies.onbekend",
                            "vraag",
                            format!(
                                "versie {vraag} is geen openstaande adviesvraag van deze cliënt"
                            ),
                        )
                    })?;
                if advies.trim().is_empty() {
                    return Err(rule("advies.leeg", "advies", "vul het advies in"));
                }
                self.adviesvragen.remove(i);
            }
            ClientEvent::MoTraject { toelichting } => {
                if self.mo_historie(&self.regio).is_none() {
                    return Err(rule(
                        "mo_traject.geen_nachten",
                        "type",
                        format!(
                            "cliënt heeft geen nachten in de nachtopvang van {}; een individueel traject MO volgt op nachtopvang",
                            profile.name
                        ),
                    ));
                }
                if toelichting.trim().is_empty() {
                    return Err(rule(
                        "mo_traject.toelichting_ontbreekt",
                        "toelichting",
                        "vermeld wat er is afgesproken",
                    ));
                }
                self.mo_traject = Some(on);
            }
            ClientEvent::WlzOvergang => {
                if self.wlz.is_some() {
                    return Err(rule(
                        "wlz.al_overgegaan",
                        "type",
                        "cliënt is al overgegaan naar de Wlz",
                    ));
                }
                if let Some(z) = &self.zorg
                    && on < z.sinds
                {
                    return Err(rule(
                        "wlz.voor_start",
                        "effective_date",
                        format!("overgang {on} ligt vóór de start van de zorg {}", z.sinds),
                    ));
                }
                self.uitstroomklaar = None;
                if self.zorg.take().is_some() {
                    self.uitstroom = Some(Uitstroom {
                        datum: on,
                        bestemming: Bestemming::Wlz,
                        woning: None,
                    });
                }
                self.wacht = None;
                self.voorstel = None;
                self.wlz = Some(on);
                self.wlz_geteld = true;
            }
            ClientEvent::BrpInschrijving {
                vanaf,
                gemeente,
                instelling,
                briefadres,
            } => {
                if *briefadres && gemeente.is_none() {
                    return Err(rule(
                        "brp.briefadres_zonder_gemeente",
                        "gemeente",
                        "een briefadres ligt in een gemeente; vul de gemeente in",
                    ));
                }
                if *vanaf > on {
                    return Err(rule(
                        "brp.vanaf_na_vastlegging",
                        "vanaf",
                        format!("inschrijving vanaf {vanaf} ligt na de datum van vastlegging {on}"),
                    ));
                }
                if let Some(g) = gemeente {
                    check_gemeente_on(*g, *vanaf)?;
                }
                self.brp.retain(|i| i.van != *vanaf);
                self.brp.push(Inschrijving {
                    van: *vanaf,
                    gemeente: *gemeente,
                    instelling: *instelling,
                    briefadres: *briefadres,
                });
                self.brp.sort_by_key(|i| i.van);
            }
            ClientEvent::WoonplaatsBepaald {
                gemeente,
                berekend,
                afwijking,
                ..
            } => {
                check_gemeente_on(*gemeente, on)?;
                if gemeente != berekend && afwijking.as_deref().is_none_or(|r| r.trim().is_empty())
                {
                    return Err(rule(
                        "woonplaats.afwijking_zonder_reden",
                        "afwijking",
                        format!(
                            "afwijken van de berekende gemeente {berekend} kan alleen met een reden"
                        ),
                    ));
                }
                self.verantwoordelijk = Some(*gemeente);
            }
            ClientEvent::EerdereZorg {
                soort,
                gemeente,
                einde,
                bron,
            } => {
                if *einde > on {
                    return Err(rule(
                        "eerdere_zorg.einde_na_vastlegging",
                        "einde",
                        format!(
                            "eerdere zorg die eindigt op {} ligt na de datum van vastlegging {}; leg lopende zorg vast in het dossier van die regio",
                            einde.nl(),
                            on.nl()
                        ),
                    ));
                }
                check_gemeente_on(*gemeente, *einde)?;
                self.eerdere_zorg.push(EerdereZorg {
                    soort: *soort,
                    gemeente: *gemeente,
                    einde: *einde,
                    bron: *bron,
                });
            }
            ClientEvent::Woningzoekend { bij } => {
                if bij.trim().is_empty() {
                    return Err(rule(
                        "woningzoekend.bij_ontbreekt",
                        "bij",
                        "vermeld waar de inschrijving is gedaan",
                    ));
                }
                self.woningzoekend.get_or_insert(on);
            }
            ClientEvent::Uitstroomklaar => {
                if self.zorg.is_none() {
                    return Err(rule(
                        "uitstroomklaar.niet_in_zorg",
                        "type",
                        "alleen wie in zorg is kan uitstroomklaar zijn",
                    ));
                }
                self.uitstroomklaar.get_or_insert(on);
            }
            ClientEvent::Voorkeur { gemeenten, .. } => {
                if gemeenten.len() > 10 {
                    return Err(rule(
                        "voorkeur.te_veel",
                        "gemeenten",
                        "ten hoogste 10 voorkeursgemeenten",
                    ));
                }
                for g in gemeenten {
                    check_gemeente_on(*g, on)?;
                }
                self.voorkeur = gemeenten.clone();
            }
            ClientEvent::Correctie { .. } | ClientEvent::Intrekking { .. } => {
                return Err(rule(
                    "correctie.niet_via_apply",
                    "type",
                    "correcties worden op de hele stroom toegepast (fold_stream)",
                ));
            }
        }
        Ok(())
    }

    /// Whether `aanbieder` is the provider of the client's allocation or running care.
    fn is_provider_of(&self, aanbieder: AgbCode) -> bool {
        self.besluit_aanbieder() == Some(aanbieder)
            || self.zorg.as_ref().is_some_and(|z| z.aanbieder == aanbieder)
    }

    /// The refusal when `aanbieder` has no allocation or care of this client (`in_force_on`:
    /// the allocation must still run on that date).
    fn check_provider_of(
        &self,
        aanbieder: AgbCode,
        in_force_on: Option<Date>,
    ) -> Result<(), RuleError> {
        let allocated = match (self.toewijzing(), in_force_on) {
            (Some((_, _, einde, _, _)), Some(on)) => einde >= on,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if !allocated && self.zorg.is_none() {
            return Err(rule(
                "verzoek.geen_toewijzing",
                "aanbieder",
                format!(
                    "cliënt {} heeft geen toewijzing{}; een verzoek kan alleen de aanbieder van een toewijzing of lopende zorg doen",
                    self.client,
                    if in_force_on.is_some() {
                        " die nog loopt"
                    } else {
                        ""
                    }
                ),
            ));
        }
        if !self.is_provider_of(aanbieder) {
            return Err(rule(
                "verzoek.andere_aanbieder",
                "aanbieder",
                format!(
                    "aanbieder {aanbieder} is niet de aanbieder van de toewijzing of de lopende zorg van cliënt {}",
                    self.client
                ),
            ));
        }
        Ok(())
    }

    fn push_verzoek(
        &mut self,
        version: u32,
        on: Date,
        aanbieder: AgbCode,
        soort: VerzoekSoort,
        reden: &str,
    ) -> Result<(), RuleError> {
        if reden.trim().is_empty() {
            return Err(rule(
                "verzoek.reden_ontbreekt",
                "reden",
                "een verzoek heeft een reden nodig",
            ));
        }
        if let Some(v) = self
            .verzoeken
            .iter()
            .find(|v| v.aanbieder == aanbieder && v.soort == soort)
        {
            return Err(rule(
                "verzoek.al_open",
                "type",
                format!(
                    "hetzelfde verzoek van aanbieder {aanbieder} staat al open sinds {} (versie {})",
                    v.sinds.nl(),
                    v.versie
                ),
            ));
        }
        self.verzoeken.push(OpenVerzoek {
            versie: version,
            sinds: on,
            aanbieder,
            soort,
            reden: reden.to_owned(),
            in_onderzoek: None,
        });
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn verzoek_toewijzing(
        &mut self,
        version: u32,
        on: Date,
        aanbieder: AgbCode,
        product: &ProductCode,
        start: Date,
        einde: Option<Date>,
        reden: &str,
        profile: &RegionProfile,
    ) -> Result<(), RuleError> {
        self.check_provider_of(aanbieder, None)?;
        let p = product_on(profile, product, start)?;
        if let Some(e) = einde {
            if e < start {
                return Err(rule(
                    "verzoek.einde_voor_start",
                    "einde",
                    format!(
                        "einddatum {} ligt vóór de startdatum {}",
                        e.nl(),
                        start.nl()
                    ),
                ));
            }
            if let (Some(max), Some(uiterlijk)) = (p.max_months, p.max_end(start))
                && e > uiterlijk
            {
                return Err(rule(
                    "verzoek.langer_dan_maximum",
                    "einde",
                    format!(
                        "{} duurt maximaal {max} maanden: einde uiterlijk {uiterlijk}",
                        p.name
                    ),
                ));
            }
        }
        self.push_verzoek(
            version,
            on,
            aanbieder,
            VerzoekSoort::Toewijzing {
                product: product.clone(),
                start,
                einde,
            },
            reden,
        )
    }

    fn verzoek_wijziging(
        &mut self,
        version: u32,
        on: Date,
        aanbieder: AgbCode,
        w: &Wijziging,
        reden: &str,
        profile: &RegionProfile,
    ) -> Result<(), RuleError> {
        self.check_provider_of(aanbieder, Some(on))?;
        // The wijziging's own checks, with the request's codes.
        self.check_wijziging(on, w, profile, Vraag::Verzoek)?;
        self.push_verzoek(
            version,
            on,
            aanbieder,
            VerzoekSoort::Wijziging {
                wijziging: w.clone(),
            },
            reden,
        )
    }

    fn verzoek_antwoord(
        &mut self,
        on: Date,
        verzoek: u32,
        uitkomst: crate::events::VerzoekUitkomst,
        toelichting: &str,
    ) -> Result<(), RuleError> {
        use crate::events::VerzoekUitkomst;
        let i = self
            .verzoeken
            .iter()
            .position(|v| v.versie == verzoek)
            .ok_or_else(|| {
                rule(
                    "verzoek.onbekend",
                    "verzoek",
                    format!(
                        "versie {verzoek} is geen openstaand verzoek van deze cliënt (onbekend of al beantwoord)"
                    ),
                )
            })?;
        let v = &self.verzoeken[i];
        match uitkomst {
            VerzoekUitkomst::Afgewezen => {
                if toelichting.trim().is_empty() {
                    return Err(rule(
                        "verzoek.toelichting_ontbreekt",
                        "toelichting",
                        "een afwijzing van een verzoek heeft een reden nodig",
                    ));
                }
                self.verzoeken.remove(i);
            }
            VerzoekUitkomst::InOnderzoek => {
                if let Some(d) = v.in_onderzoek {
                    return Err(rule(
                        "verzoek.al_in_onderzoek",
                        "uitkomst",
                        format!("het verzoek is al in onderzoek sinds {}", d.nl()),
                    ));
                }
                self.verzoeken[i].in_onderzoek = Some(on);
            }
            VerzoekUitkomst::Toegekend => {
                match &v.soort {
                    VerzoekSoort::Toewijzing { product, .. } => {
                        let granted = matches!(
                            &self.besluit,
                            Some(Besluit::Toewijzing { datum, product: p, .. })
                                if p == product && *datum >= v.sinds && *datum <= on
                        );
                        if !granted {
                            return Err(rule(
                                "verzoek.toewijzing_ontbreekt",
                                "uitkomst",
                                format!(
                                    "toekennen kan alleen met een toewijzing van {product} vanaf de datum van het verzoek ({}), vastgelegd met het antwoord",
                                    v.sinds.nl()
                                ),
                            ));
                        }
                    }
                    VerzoekSoort::Wijziging { wijziging } => {
                        if !self.shows_wijziging(wijziging, v.sinds) {
                            return Err(rule(
                                "verzoek.wijziging_ontbreekt",
                                "uitkomst",
                                "toekennen kan alleen met de gevraagde wijziging, vastgelegd met het antwoord",
                            ));
                        }
                    }
                }
                self.verzoeken.remove(i);
            }
        }
        Ok(())
    }

    /// Whether the state shows wijziging `w` applied since `sinds` (for a toekenning).
    fn shows_wijziging(&self, w: &Wijziging, sinds: Date) -> bool {
        match w {
            Wijziging::Verlenging { nieuw_einde } => self
                .toewijzing()
                .is_some_and(|(_, _, e, _, _)| e == *nieuw_einde),
            Wijziging::Opschalen { product, locatie }
            | Wijziging::Afschalen { product, locatie } => self.zorg.as_ref().is_some_and(|z| {
                &z.product == product
                    && locatie.as_ref().is_none_or(|l| &z.locatie == l)
                    && z.sinds >= sinds
            }),
            Wijziging::Doorstroom { product, locatie } => self.zorg.as_ref().is_some_and(|z| {
                &z.product == product && &z.locatie == locatie && z.sinds >= sinds
            }),
        }
    }

    /// Whether the client has a proposal that still reserves a place on `on`: accepted
    /// (held until start zorg), or unanswered and not past `geldig_tot`.
    pub fn voorstel_open_op(&self, on: Date) -> Option<&OpenVoorstel> {
        self.voorstel
            .as_ref()
            .filter(|v| v.akkoord.is_some() || v.geldig_tot >= on)
    }

    fn voorstel(
        &mut self,
        version: u32,
        on: Date,
        locatie: &LocationId,
        product: &ProductCode,
        geldig_tot: Date,
        profile: &RegionProfile,
    ) -> Result<(), RuleError> {
        if self.zorg.is_some() {
            return Err(rule(
                "voorstel.in_zorg",
                "type",
                "cliënt is al in zorg; een voorstel is voor wie wacht of een toewijzing heeft",
            ));
        }
        let fits = match (&self.wacht, self.toewijzing()) {
            (Some(w), _) => &w.product == product,
            (None, Some((p, _, einde, _, _))) => p == product && einde >= on,
            (None, None) => {
                return Err(rule(
                    "voorstel.geen_toewijzing",
                    "product",
                    format!(
                        "cliënt {} wacht niet en heeft geen toewijzing; alleen wie wacht of een toewijzing heeft kan worden voorgesteld",
                        self.client
                    ),
                ));
            }
        };
        if !fits {
            return Err(rule(
                "voorstel.ander_product",
                "product",
                format!(
                    "cliënt wacht niet op {product} en heeft daar geen lopende toewijzing voor"
                ),
            ));
        }
        if let Some(v) = self.voorstel_open_op(on) {
            return Err(rule(
                "voorstel.al_open",
                "type",
                format!(
                    "cliënt is al voorgesteld voor {} (versie {}, sinds {})",
                    v.locatie,
                    v.versie,
                    v.sinds.nl()
                ),
            ));
        }
        if geldig_tot < on {
            return Err(rule(
                "voorstel.geldig_tot_verleden",
                "geldig_tot",
                format!(
                    "geldig tot {} ligt vóór de datum van het voorstel {}",
                    geldig_tot.nl(),
                    on.nl()
                ),
            ));
        }
        product_on(profile, product, on)?;
        let loc = location_with(profile, locatie, product)?;
        if let Some(a) = self.toewijzing().and_then(|t| t.4)
            && a != loc.provider
        {
            return Err(rule(
                "voorstel.andere_aanbieder",
                "locatie",
                format!(
                    "locatie {} hoort niet bij de toegewezen aanbieder {a}",
                    loc.name
                ),
            ));
        }
        if let Some(b) = self
            .behoeften
            .iter()
            .find(|b| loc.niet_geschikt_voor.contains(b))
        {
            return Err(rule(
                "voorstel.niet_geschikt",
                "locatie",
                format!(
                    "locatie {} is niet geschikt voor de behoefte '{}' uit de beoordeling",
                    loc.name,
                    b.label()
                ),
            ));
        }
        self.voorstel = Some(OpenVoorstel {
            versie: version,
            sinds: on,
            locatie: locatie.clone(),
            aanbieder: loc.provider,
            product: product.clone(),
            geldig_tot,
            akkoord: None,
        });
        Ok(())
    }

    fn tijdelijk_verblijf(
        &mut self,
        on: Date,
        product: &ProductCode,
        locatie: &LocationId,
        nachten: u16,
        profile: &RegionProfile,
    ) -> Result<(), RuleError> {
        if self.zorg.is_none() {
            return Err(rule(
                "tijdelijk.niet_in_zorg",
                "type",
                "tijdelijk verblijf is naast lopende zorg; cliënt is niet in zorg (gebruik dan start zorg)",
            ));
        }
        let p = product_on(profile, product, on)?;
        let Some(max) = p.max_nachten else {
            return Err(rule(
                "tijdelijk.geen_kort_verblijf",
                "product",
                format!(
                    "{} is geen kort verblijf (geen maximum aantal nachten in het profiel)",
                    p.name
                ),
            ));
        };
        if nachten == 0 {
            return Err(rule(
                "tijdelijk.geen_nachten",
                "nachten",
                "een tijdelijk verblijf duurt ten minste 1 nacht",
            ));
        }
        if u32::from(nachten) > max {
            return Err(rule(
                "tijdelijk.te_lang",
                "nachten",
                format!(
                    "{nachten} nachten is te lang: {} duurt ten hoogste {max} nachten",
                    p.name
                ),
            ));
        }
        let loc = location_with(profile, locatie, product)?;
        if let Some(t) = &self.tijdelijk
            && on <= t.tot
        {
            return Err(rule(
                "tijdelijk.overlapt",
                "effective_date",
                format!(
                    "het vorige tijdelijk verblijf loopt nog tot en met {}",
                    t.tot.nl()
                ),
            ));
        }
        self.tijdelijk = Some(Tijdelijk {
            product: product.clone(),
            locatie: locatie.clone(),
            aanbieder: loc.provider,
            van: on,
            tot: on.add_days(i32::from(nachten) - 1),
        });
        Ok(())
    }

    /// The checks of a wijziging (iWmo 317's change), one for the fact itself and for a
    /// provider's request for it (issue 14): `vraag` gives the codes and fields (each its
    /// own, stable); a request is dated when it is asked, not when the change starts, so
    /// "vóór de start van de huidige zorg" is the fact's alone.
    fn check_wijziging(
        &self,
        on: Date,
        w: &Wijziging,
        profile: &RegionProfile,
        vraag: Vraag,
    ) -> Result<(), RuleError> {
        let fails = |check: Check, message: String| {
            let (code, field) = vraag.code(check, w);
            rule(code, field, message)
        };
        match w {
            Wijziging::Verlenging { nieuw_einde } => {
                let Some((product, start, einde, _, _)) = self.toewijzing() else {
                    return Err(fails(
                        Check::GeenToewijzing,
                        "geen toewijzing om te verlengen".into(),
                    ));
                };
                if *nieuw_einde <= einde {
                    return Err(fails(
                        Check::NietLater,
                        format!(
                            "nieuwe einddatum {} ligt niet na de huidige {}",
                            nieuw_einde.nl(),
                            einde.nl()
                        ),
                    ));
                }
                let p = profile.product(product).ok_or_else(|| {
                    fails(
                        Check::ProductOnbekend,
                        format!("product {product} onbekend"),
                    )
                })?;
                if let (Some(max), Some(uiterlijk)) = (p.max_months, p.max_end(start))
                    && *nieuw_einde > uiterlijk
                {
                    return Err(fails(
                        Check::LangerDanMaximum,
                        format!(
                            "{} duurt maximaal {max} maanden: einde uiterlijk {uiterlijk}",
                            p.name
                        ),
                    ));
                }
            }
            Wijziging::Opschalen { product, locatie }
            | Wijziging::Afschalen { product, locatie } => {
                let z = self.zorg.as_ref().ok_or_else(|| {
                    fails(
                        Check::NietInZorg,
                        "cliënt is niet in zorg; op- of afschalen kan alleen tijdens zorg".into(),
                    )
                })?;
                let loc = locatie.clone().unwrap_or_else(|| z.locatie.clone());
                self.check_move(on, product, &loc, profile, &fails, vraag)?;
            }
            Wijziging::Doorstroom { product, locatie } => {
                if self.zorg.is_none() {
                    return Err(fails(
                        Check::NietInZorg,
                        "cliënt is niet in zorg; doorstroom kan alleen vanuit zorg".into(),
                    ));
                }
                self.check_move(on, product, locatie, profile, &fails, vraag)?;
            }
        }
        Ok(())
    }

    /// A move (op-/afschalen, doorstroom) of the running care: the product valid on `on`,
    /// the location offering it, (the fact) not before the care started, and a change.
    fn check_move(
        &self,
        on: Date,
        product: &ProductCode,
        locatie: &LocationId,
        profile: &RegionProfile,
        fails: &dyn Fn(Check, String) -> RuleError,
        vraag: Vraag,
    ) -> Result<(), RuleError> {
        product_on(profile, product, on)?;
        location_with(profile, locatie, product)?;
        let Some(z) = &self.zorg else {
            return Ok(());
        };
        if vraag == Vraag::Feit && on < z.sinds {
            return Err(rule(
                "wijziging.voor_start",
                "effective_date",
                format!(
                    "wijziging {on} ligt vóór de start van de huidige zorg {}",
                    z.sinds
                ),
            ));
        }
        if &z.product == product && &z.locatie == locatie {
            return Err(fails(
                Check::VerandertNiets,
                format!(
                    "de {}wijziging verandert niets: zelfde product en locatie",
                    if vraag == Vraag::Verzoek {
                        "gevraagde "
                    } else {
                        ""
                    }
                ),
            ));
        }
        Ok(())
    }

    fn wijziging(
        &mut self,
        on: Date,
        w: &Wijziging,
        profile: &RegionProfile,
    ) -> Result<(), RuleError> {
        self.check_wijziging(on, w, profile, Vraag::Feit)?;
        match w {
            Wijziging::Verlenging { nieuw_einde } => {
                if let Some(Besluit::Toewijzing { einde, .. }) = &mut self.besluit {
                    *einde = *nieuw_einde;
                }
            }
            Wijziging::Opschalen { product, locatie }
            | Wijziging::Afschalen { product, locatie } => {
                let z = self.zorg.as_ref().expect("checked: in zorg");
                let loc = locatie.clone().unwrap_or_else(|| z.locatie.clone());
                self.move_to(on, product, &loc, profile)?;
            }
            Wijziging::Doorstroom { product, locatie } => {
                self.move_to(on, product, locatie, profile)?;
            }
        }
        Ok(())
    }

    /// Apply a checked move ([`Self::check_wijziging`]).
    fn move_to(
        &mut self,
        on: Date,
        product: &ProductCode,
        locatie: &LocationId,
        profile: &RegionProfile,
    ) -> Result<(), RuleError> {
        let p = product_on(profile, product, on)?;
        let loc = location_with(profile, locatie, product)?;
        let z = self.zorg.as_mut().expect("checked by caller");
        z.product = product.clone();
        z.locatie = locatie.clone();
        z.aanbieder = loc.provider;
        z.sinds = on;
        z.overbezetting = None;
        if let Some(Besluit::Toewijzing {
            product: bp,
            einde,
            start,
            aanbieder,
            ..
        }) = &mut self.besluit
        {
            *bp = product.clone();
            *aanbieder = Some(loc.provider);
            if let Some(uiterlijk) = p.max_end(on) {
                *start = on;
                *einde = (*einde).min(uiterlijk).max(on);
            }
        }
        Ok(())
    }
}

/// Who a wijziging's checks are for ([`ClientState::check_wijziging`]): the fact itself or a
/// provider's request for it (`verzoek_wijziging`, iWmo 317). One check, two sets of codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vraag {
    /// The `Wijziging` fact.
    Feit,
    /// A `VerzoekWijziging`.
    Verzoek,
}

/// What a wijziging's check found wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    GeenToewijzing,
    NietLater,
    ProductOnbekend,
    LangerDanMaximum,
    NietInZorg,
    VerandertNiets,
}

impl Vraag {
    /// The stable code and field of `check` for a wijziging `w`.
    fn code(self, check: Check, w: &Wijziging) -> (&'static str, &'static str) {
        match (self, check) {
            (Vraag::Feit, Check::GeenToewijzing) => ("verlenging.geen_toewijzing", "type"),
            (Vraag::Feit, Check::NietLater) => ("verlenging.niet_later", "nieuw_einde"),
            (Vraag::Feit, Check::ProductOnbekend) => ("verlenging.product_onbekend", "product"),
            (Vraag::Feit, Check::LangerDanMaximum) => {
                ("verlenging.langer_dan_maximum", "nieuw_einde")
            }
            (Vraag::Feit, Check::NietInZorg) => match w {
                Wijziging::Doorstroom { .. } => ("doorstroom.niet_in_zorg", "type"),
                _ => ("wijziging.niet_in_zorg", "type"),
            },
            (Vraag::Feit, Check::VerandertNiets) => ("wijziging.verandert_niets", "product"),
            (Vraag::Verzoek, Check::GeenToewijzing) => ("verzoek.geen_toewijzing", "wijziging"),
            (Vraag::Verzoek, Check::NietLater) => ("verzoek.verlenging_niet_later", "nieuw_einde"),
            (Vraag::Verzoek, Check::ProductOnbekend) => ("verzoek.product_onbekend", "product"),
            (Vraag::Verzoek, Check::LangerDanMaximum) => {
                ("verzoek.langer_dan_maximum", "nieuw_einde")
            }
            (Vraag::Verzoek, Check::NietInZorg) => ("verzoek.niet_in_zorg", "wijziging"),
            (Vraag::Verzoek, Check::VerandertNiets) => ("verzoek.verandert_niets", "wijziging"),
        }
    }
}

fn check_aanmelding(
    regio: &RegionId,
    herkomst: Option<GemeenteCode>,
    voordeur: Option<Voordeur>,
    on: Date,
    regions: &Regions,
) -> Result<(), RuleError> {
    let Some(profile) = regions.get(regio) else {
        return Err(rule(
            "aanmelding.regio_onbekend",
            "regio",
            format!("regio '{regio}' is onbekend"),
        ));
    };
    match voordeur {
        Some(Voordeur::Lokaal { gemeente }) if profile.gemeente(gemeente).is_none() => {
            return Err(rule(
                "aanmelding.voordeur_niet_in_regio",
                "voordeur",
                format!(
                    "een lokale voordeur hoort bij een gemeente van {}; {gemeente} hoort daar niet bij",
                    profile.name
                ),
            ));
        }
        Some(Voordeur::AndereRegio { gemeente }) if profile.gemeente(gemeente).is_some() => {
            return Err(rule(
                "aanmelding.voordeur_in_regio",
                "voordeur",
                format!(
                    "{gemeente} hoort bij {}: kies de centrale toegang of het lokale loket",
                    profile.name
                ),
            ));
        }
        Some(Voordeur::Lokaal { gemeente } | Voordeur::AndereRegio { gemeente }) => {
            check_gemeente_on(gemeente, on)?;
        }
        _ => {}
    }
    if let Some(g) = herkomst {
        Gemeenten::national().valid_on(g, on).map_err(|e| {
            rule(
                "aanmelding.herkomst_ongeldig",
                "herkomst_gemeente",
                e.to_string(),
            )
        })?;
    }
    Ok(())
}

fn check_gemeente_on(g: GemeenteCode, on: Date) -> Result<(), RuleError> {
    Gemeenten::national()
        .valid_on(g, on)
        .map(|_| ())
        .map_err(|e| rule("gemeente.ongeldig", "gemeente", e.to_string()))
}

fn product_on<'a>(
    profile: &'a RegionProfile,
    code: &ProductCode,
    on: Date,
) -> Result<&'a crate::region::Product, RuleError> {
    let p = profile.product(code).ok_or_else(|| {
        rule(
            "product.niet_in_catalogus",
            "product",
            format!(
                "product '{code}' staat niet in de productcatalogus van {}",
                profile.name
            ),
        )
    })?;
    if !p.valid_on(on) {
        return Err(rule(
            "product.niet_geldig",
            "product",
            format!(
                "{} ({code}) is niet geldig op {on} (geldig {} t/m {})",
                p.name,
                p.valid_from,
                p.valid_to.map_or("heden".to_owned(), |d| d.to_string())
            ),
        ));
    }
    Ok(p)
}

fn location_with<'a>(
    profile: &'a RegionProfile,
    id: &LocationId,
    product: &ProductCode,
) -> Result<&'a crate::region::Location, RuleError> {
    let loc = profile.location(id).ok_or_else(|| {
        rule(
            "locatie.onbekend",
            "locatie",
            format!("locatie '{id}' is onbekend in {}", profile.name),
        )
    })?;
    if !loc.places.contains_key(product) {
        return Err(rule(
            "locatie.biedt_product_niet",
            "locatie",
            format!("locatie {} biedt geen {product}", loc.name),
        ));
    }
    Ok(loc)
}

/// One entry of a client's stream as stored: version, effective date and fact.
#[derive(Debug, Clone, Copy)]
pub struct StreamEntry<'a> {
    /// Version in the stream.
    pub version: u32,
    /// Effective date.
    pub effective: Date,
    /// The fact.
    pub event: &'a ClientEvent,
}

impl<'a> From<&'a crate::events::RecordedEvent> for StreamEntry<'a> {
    fn from(r: &'a crate::events::RecordedEvent) -> Self {
        StreamEntry {
            version: r.version,
            effective: r.effective,
            event: &r.event,
        }
    }
}

/// The state after appending `event` (a back-dated fact or a correction) as `version` to a
/// stream whose earlier entries are `stream`: the back-dating precheck, then a refold.
pub fn refold_appended(
    state: &ClientState,
    stream: &[StreamEntry<'_>],
    version: u32,
    effective: Date,
    event: &ClientEvent,
    regions: &Regions,
) -> Result<ClientState, RuleError> {
    precheck_backdated(state, effective, event)?;
    let mut entries = stream.to_vec();
    entries.push(StreamEntry {
        version,
        effective,
        event,
    });
    Ok(fold_stream(state.client, &entries, regions)?.expect("non-empty stream"))
}

/// Fold a whole stream (in version order, corrections included) into the current state,
/// validating every fact in effective order. `Ok(None)` for an empty stream.
pub fn fold_stream(
    client: ClientId,
    stream: &[StreamEntry<'_>],
    regions: &Regions,
) -> Result<Option<ClientState>, RuleError> {
    fold_stream_observed(client, stream, regions, &mut |_, _, _, _| {})
}

/// The facts in force of a stream (in version order): corrections resolved (a
/// [`ClientEvent::Correctie`] takes the place of the fact it corrects, with its own
/// effective date) and voids removed, as `(effective, original version, fact)` sorted in
/// effective order — the order [`fold_stream`] validates them in.
pub fn facts_in_force<'a>(
    stream: &[StreamEntry<'a>],
) -> Result<Vec<(Date, u32, &'a ClientEvent)>, RuleError> {
    let mut in_force: Vec<(Date, u32, &ClientEvent)> = Vec::with_capacity(stream.len());
    for e in stream {
        match e.event {
            ClientEvent::Correctie {
                corrigeert,
                vervanging,
                ..
            } => {
                let slot = in_force
                    .iter_mut()
                    .find(|(_, v, _)| v == corrigeert)
                    .ok_or_else(|| {
                        rule(
                            "correctie.versie_onbekend",
                            "corrigeert",
                            format!("versie {corrigeert} bestaat niet (meer) in deze stroom"),
                        )
                    })?;
                if std::mem::discriminant(slot.2) != std::mem::discriminant(vervanging.as_ref()) {
                    return Err(rule(
                        "correctie.ander_soort",
                        "vervanging",
                        format!(
                            "een correctie van '{}' moet weer een '{}' zijn, niet '{}'",
                            slot.2.label(),
                            slot.2.label(),
                            vervanging.label()
                        ),
                    ));
                }
                *slot = (e.effective, *corrigeert, vervanging.as_ref());
            }
            ClientEvent::Intrekking { trekt_in, .. } => {
                if *trekt_in == 1 {
                    return Err(rule(
                        "intrekking.aanmelding",
                        "trekt_in",
                        "de aanmelding (versie 1) kan niet worden ingetrokken; corrigeer haar",
                    ));
                }
                let before = in_force.len();
                in_force.retain(|(_, v, _)| v != trekt_in);
                if in_force.len() == before {
                    return Err(rule(
                        "intrekking.versie_onbekend",
                        "trekt_in",
                        format!("versie {trekt_in} bestaat niet (meer) in deze stroom"),
                    ));
                }
            }
            other => in_force.push((e.effective, e.version, other)),
        }
    }
    in_force.sort_by_key(|(d, v, _)| (*d, *v));
    Ok(in_force)
}

/// [`fold_stream`], calling `observe(before, effective, fact, after)` for every fact in
/// force in effective order (`before` is `None` for the opening aanmelding).
pub fn fold_stream_observed(
    client: ClientId,
    stream: &[StreamEntry<'_>],
    regions: &Regions,
    observe: &mut Observer<'_>,
) -> Result<Option<ClientState>, RuleError> {
    fold_observed_until(client, stream, regions, None, observe)
}

/// The state **as of `as_of`** (issue 12, as-of-date state): the facts in force dated on or
/// before `as_of` folded, the later ones *planned* — not applied, the earliest one's date
/// kept in [`ClientState::volgende_gepland`]. Only the applied facts are validated: validate
/// the whole stream with [`fold_stream`] before recording a fact. The version is the
/// stream's highest, planned facts included.
pub fn fold_stream_as_of(
    client: ClientId,
    stream: &[StreamEntry<'_>],
    regions: &Regions,
    as_of: Date,
) -> Result<Option<ClientState>, RuleError> {
    fold_observed_until(client, stream, regions, Some(as_of), &mut |_, _, _, _| {})
}

/// The facts of a stream that are planned on `today`: in force and dated after it, as
/// `(effective, original version, fact)` in effective order.
pub fn planned_facts<'a>(
    stream: &[StreamEntry<'a>],
    today: Date,
) -> Vec<(Date, u32, &'a ClientEvent)> {
    facts_in_force(stream)
        .unwrap_or_default()
        .into_iter()
        .filter(|(d, _, _)| *d > today)
        .collect()
}

fn fold_observed_until(
    client: ClientId,
    stream: &[StreamEntry<'_>],
    regions: &Regions,
    as_of: Option<Date>,
    observe: &mut Observer<'_>,
) -> Result<Option<ClientState>, RuleError> {
    let Some(max_version) = stream.iter().map(|e| e.version).max() else {
        return Ok(None);
    };
    let mut in_force = facts_in_force(stream)?;
    let mut volgende_gepland = None;
    if let Some(as_of) = as_of
        && let Some(cut) = in_force.iter().position(|(d, _, _)| *d > as_of)
        && cut > 0
    {
        volgende_gepland = Some(in_force[cut].0);
        in_force.truncate(cut);
    }
    let (d0, v0, first) = *in_force.first().ok_or_else(|| {
        rule(
            "intrekking.stroom_leeg",
            "trekt_in",
            "de stroom zou leeg worden",
        )
    })?;
    if v0 != 1 && !matches!(first, ClientEvent::Aanmelding { .. }) {
        return Err(rule(
            "stroom.voor_aanmelding",
            "effective_date",
            format!("'{}' zou vóór de aanmelding komen te liggen", first.label()),
        ));
    }
    let mut state = ClientState::open(client, v0, d0, first, regions)?;
    observe(None, d0, first, &state);
    for (i, &(d, v, e)) in in_force.iter().enumerate().skip(1) {
        state
            .apply_observed(v, d, e, regions, observe)
            .map_err(|err| wonen::before_its_offer(err, d, e, &in_force[i + 1..]))
            .map_err(|err| RuleError {
                code: err.code,
                field: err.field,
                message: format!(
                    "{} (bij feit {v}: {} op {})",
                    err.message,
                    e.label(),
                    d.nl()
                ),
            })?;
    }
    state.version = max_version;
    state.volgende_gepland = volgende_gepland;
    Ok(Some(state))
}

/// Checks a back-dated fact against the current state before a refold, so the clerk gets
/// the error that matters ("ends before it started") rather than a consequence of it.
pub fn precheck_backdated(
    state: &ClientState,
    effective: Date,
    event: &ClientEvent,
) -> Result<(), RuleError> {
    if let Some(z) = &state.zorg
        && effective < z.sinds
        && matches!(
            event,
            ClientEvent::EindeZorg { .. }
                | ClientEvent::WlzOvergang
                | ClientEvent::Wijziging(
                    Wijziging::Opschalen { .. }
                        | Wijziging::Afschalen { .. }
                        | Wijziging::Doorstroom { .. }
                )
        )
    {
        return Err(rule(
            "terugwerkend.voor_start_zorg",
            "effective_date",
            format!(
                "'{}' op {} ligt vóór de start van de huidige zorg ({})",
                event.label(),
                effective.nl(),
                z.sinds.nl()
            ),
        ));
    }
    Ok(())
}

/// Whether a new event can take the fast path (apply to the stored state) rather than a refold.
pub fn is_in_order(state: &ClientState, effective: Date, event: &ClientEvent) -> bool {
    effective >= state.last_effective
        && !matches!(
            event,
            ClientEvent::Correctie { .. } | ClientEvent::Intrekking { .. }
        )
}

#[cfg(test)]
mod tests;
mod wonen;

pub use wonen::{AanbodWeigering, WOON_KANDIDAAT_MAANDEN, WoonAanbod, WoonUrgentie};
