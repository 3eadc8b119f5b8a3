//! The front door's rules (DOMAIN.md §3–§5), pure: whether a case is still open, the
//! waiting-list priority of an urgency, the catalogue on a date, the product a record is
//! judged for, the latest assessment in force, which front doors may receive an
//! application, the case facts the explained rules engine ([`crate::rules`]) reads from a
//! record, the criteria a clerk judges, and whether a location has room for a placement
//! ([`check_place`], issue 12). The web layer
//! parses input, calls these, records facts through the store and renders.
//!
//! A record is seen through [`Dossier`]: the person, the folded state and the stream as
//! stored (what the store's `ClientRecord` holds), so this module needs no store.

use crate::date::Date;
use crate::events::{
    ClientEvent, CriteriumOordeel, RecordedEvent, Urgentie, Voordeur, ZRM_DOMAINS,
};
use crate::ids::ProductCode;
use crate::person::Person;
use crate::region::{AccessModel, Domain, MemberGemeente, Product, RegionProfile};
use crate::rules::{CaseFacts, CriterionKind, Evaluation, Test, evaluate};
use crate::state::{ClientState, Phase, RuleError, StreamEntry, facts_in_force};

/// One client's record as the front door reads it.
#[derive(Debug, Clone, Copy)]
pub struct Dossier<'a> {
    /// The person (identity), when known.
    pub person: Option<&'a Person>,
    /// The folded state.
    pub state: &'a ClientState,
    /// The stream in version order, corrections and voids included.
    pub events: &'a [RecordedEvent],
}

impl<'a> Dossier<'a> {
    /// The facts in force in effective order, `(effective, original version, fact)`:
    /// corrections resolved, voids removed ([`facts_in_force`]). A stream the store holds
    /// always resolves; one that does not gives no facts.
    pub fn in_force(&self) -> Vec<(Date, u32, &'a ClientEvent)> {
        let stream: Vec<StreamEntry<'a>> = self.events.iter().map(StreamEntry::from).collect();
        facts_in_force(&stream).unwrap_or_default()
    }
}

/// Whether a client still has an open case (applied, allocated, waiting or in care): a new
/// aanmelding then goes nowhere — the existing case is updated instead.
pub fn open_case(s: &ClientState) -> bool {
    matches!(
        s.phase(),
        Phase::Aangemeld | Phase::Toegewezen | Phase::Wachtend | Phase::InZorg
    )
}

/// The waiting-list priority that follows from the urgency of the application (higher
/// first): regulier 0, urgent 1, crisis 2.
pub fn priority_of(u: Urgentie) -> u8 {
    match u {
        Urgentie::Regulier => 0,
        Urgentie::Urgent => 1,
        Urgentie::Crisis => 2,
    }
}

/// The products of the catalogue valid on `on`, in catalogue order.
pub fn products_on(profile: &RegionProfile, on: Date) -> Vec<&Product> {
    profile.products.iter().filter(|p| p.valid_on(on)).collect()
}

/// The product a record's evaluation is shown for: the one asked for (when it is in the
/// catalogue), else the allocated product, else the first BW product valid on `on`, else
/// the first product of the catalogue.
pub fn focus_product<'p>(
    profile: &'p RegionProfile,
    state: &ClientState,
    asked: Option<&str>,
    on: Date,
) -> Option<&'p Product> {
    asked
        .and_then(|a| ProductCode::parse(a).ok())
        .and_then(|c| profile.product(&c))
        .or_else(|| state.toewijzing().and_then(|t| profile.product(t.0)))
        .or_else(|| {
            products_on(profile, on)
                .into_iter()
                .find(|p| p.domain == Domain::Bw)
        })
        .or_else(|| profile.products.first())
}

/// The latest assessment in force for the current application: the last (in effective
/// order) `beoordeling` on or after the aanmelding, corrections resolved and voids removed.
pub fn latest_beoordeling<'a>(d: &Dossier<'a>) -> Option<(Date, &'a ClientEvent)> {
    d.in_force()
        .into_iter()
        .filter(|(on, _, e)| {
            *on >= d.state.aangemeld && matches!(e, ClientEvent::Beoordeling { .. })
        })
        .map(|(on, _, e)| (on, e))
        .next_back()
}

/// The fact a criterion's recorded judgement stands for: for a requirement "voldaan" is the
/// fact itself, for a contra-indication the fact is its absence.
fn fact_from(kind: CriterionKind, voldaan: Option<bool>) -> Option<bool> {
    match kind {
        CriterionKind::Eis => voldaan,
        CriterionKind::Contra => voldaan.map(|v| !v),
    }
}

/// The case facts of a record on `on`: age from the person's birth date, living situation
/// from the aanmelding, the ZRM and the judged criteria from the latest assessment.
pub fn case_facts(profile: &RegionProfile, d: &Dossier<'_>, on: Date) -> CaseFacts {
    let mut f = CaseFacts {
        leeftijd: d
            .person
            .map(|p| p.age_on(on))
            .and_then(|a| u32::try_from(a).ok()),
        woonsituatie: Some(d.state.woonsituatie),
        ..CaseFacts::default()
    };
    if let Some((_, ClientEvent::Beoordeling { criteria, zrm, .. })) = latest_beoordeling(d) {
        f.zrm = *zrm;
        for c in &profile.criteria {
            let Some(o) = criteria.iter().find(|o| o.criterium == c.key) else {
                continue;
            };
            let v = fact_from(c.kind, o.voldaan);
            let slot = match c.test {
                Test::RechtmatigVerblijf => &mut f.rechtmatig_verblijf,
                Test::PsychischeProblematiek => &mut f.psychische_problematiek,
                Test::ToezichtNodig => &mut f.toezicht_nodig,
                Test::AcuteCrisis => &mut f.acute_crisis,
                Test::WlzVoorliggend => &mut f.wlz_voorliggend,
                Test::ZvwVoorliggend => &mut f.zvw_voorliggend,
                Test::WmoAmbulantVoorliggend => &mut f.wmo_ambulant_voorliggend,
                _ => continue,
            };
            if v.is_some() {
                *slot = v;
            }
        }
    }
    f
}

/// Whether a criterion is judged by the clerk (a yes/no fact) rather than derived from the
/// birth date, the ZRM or the living situation.
pub fn judged(test: Test) -> bool {
    !matches!(
        test,
        Test::LeeftijdMinimaal(_)
            | Test::LeeftijdTussen(..)
            | Test::ZrmDomeinen { .. }
            | Test::Dakloos
    )
}

/// The criteria judgements for an assessment form: one per judged criterion of the profile,
/// in profile order, with the clerk's `answer` (`None`: unknown).
pub fn judgements(
    profile: &RegionProfile,
    answer: &dyn Fn(&str) -> Option<bool>,
) -> Vec<CriteriumOordeel> {
    profile
        .criteria
        .iter()
        .filter(|c| judged(c.test))
        .map(|c| CriteriumOordeel {
            criterium: c.key.clone(),
            voldaan: answer(&c.key),
        })
        .collect()
}

/// Evaluate the region's rules for `product` on the record's facts on `on`.
pub fn evaluate_record(
    profile: &RegionProfile,
    product: &Product,
    d: &Dossier<'_>,
    on: Date,
) -> Evaluation {
    evaluate(profile, product, &case_facts(profile, d, on))
}

/// Number of ZRM domains (for forms).
pub const ZRM_N: usize = ZRM_DOMAINS;

/// Short descriptions of the five ZRM levels.
pub const ZRM_LEVELS: [&str; 5] = [
    "1 — acute problematiek",
    "2 — niet zelfredzaam",
    "3 — beperkt zelfredzaam",
    "4 — voldoende zelfredzaam",
    "5 — volledig zelfredzaam",
];

/// Whether an access model has local front doors: a gemeente's own loket or local team
/// where an application can be received and recorded (`Voordeur::Lokaal`). Decided per
/// variant from its documentation:
pub fn has_local_front_doors(model: AccessModel) -> bool {
    match model {
        // One regional access team assesses and decides for all gemeenten: applications come
        // in at the region's central front door; a gemeente has no door of its own.
        AccessModel::Centraal => false,
        // The local team (sociaal/wijkteam) assesses together with regional specialists
        // (seed 001 §3.1: BW applicants go to the local team): the local team receives the
        // application, so it is a front door, though the region decides.
        AccessModel::Gezamenlijk => true,
        // The local loket indicates, a regional expert team is achterwacht (seed 002): the
        // local loket is the front door.
        AccessModel::Hybride => true,
        // Every gemeente decides for its own residents: its loket is the front door.
        AccessModel::Lokaal => true,
    }
}

/// The gemeenten whose local front door may receive a new application on `date`: none when
/// the region's access model on that date has no local front doors
/// ([`has_local_front_doors`]), else the members open for new clients
/// ([`RegionProfile::member_for_new_on`]), in file order.
pub fn local_front_doors_on(profile: &RegionProfile, date: Date) -> Vec<&MemberGemeente> {
    if !has_local_front_doors(profile.toegang_op(date).model) {
        return Vec::new();
    }
    profile
        .gemeenten
        .iter()
        .filter(|g| profile.member_for_new_on(g.code, date))
        .collect()
}

/// Whether an application on `date` may name `voordeur` as the front door that received it.
/// A local front door only where the region's access model on that date has local front
/// doors (rule `aanmelding.voordeur_lokaal_niet_in_model`) and the gemeente belongs to the
/// region for new clients on that date (rule `aanmelding.voordeur_niet_in_regio`). The
/// central door is always allowed; a door outside the region is checked by the fold
/// (`aanmelding.voordeur_in_regio`).
pub fn check_voordeur(
    profile: &RegionProfile,
    voordeur: Voordeur,
    date: Date,
) -> Result<(), RuleError> {
    let Voordeur::Lokaal { gemeente } = voordeur else {
        return Ok(());
    };
    let toegang = profile.toegang_op(date);
    if !has_local_front_doors(toegang.model) {
        return Err(RuleError::new(
            "aanmelding.voordeur_lokaal_niet_in_model",
            "voordeur",
            format!(
                "de voordeur 'lokaal loket van {}' kan niet: {} kent op {} geen lokale voordeuren (toegangsmodel centraal: aanmeldingen komen binnen bij {}); kies de centrale toegang",
                crate::woonplaats::naam(gemeente),
                profile.name,
                date.nl(),
                toegang.naam
            ),
        ));
    }
    if !profile.member_for_new_on(gemeente, date) {
        return Err(RuleError::new(
            "aanmelding.voordeur_niet_in_regio",
            "voordeur",
            format!(
                "de voordeur 'lokaal loket van {naam}' kan niet: een lokale voordeur hoort bij een gemeente van {}, en {naam} hoort daar op {} niet bij voor nieuwe cliënten",
                profile.name,
                date.nl(),
                naam = crate::woonplaats::naam(gemeente),
            ),
        ));
    }
    Ok(())
}

/// Across regions (issue 12, feat/zoeken): may region `to` take a new application for a
/// person whose record is under another region (`stored`, the record's folded state)? MO is
/// nationally accessible (*landelijk toegankelijk*, DOMAIN.md §3) and for BW today the
/// gemeente turned to decides — the woonplaatsbeginsel (bill 36 288, not in force) is
/// applied to the decision, where the responsible gemeente is recorded ([`crate::woonplaats`])
/// — so every region's front door may take the application once the case elsewhere is
/// closed; the new aanmelding goes into the person's one stream (the record follows the
/// person: no second dossier, nothing copied). An open case elsewhere is refused with the
/// region to contact (`aanmelding.open_casus_andere_regio`): the clerk learns where to
/// turn, not what is in the record. `Ok` names the earlier region (a closed case may be
/// named).
pub fn intake_elsewhere<'r>(
    stored: &ClientState,
    to: &crate::ids::RegionId,
    regions: &'r crate::region::Regions,
) -> Result<Option<&'r RegionProfile>, RuleError> {
    let earlier = regions.get(&stored.regio);
    let name = earlier.map_or_else(|| stored.regio.to_string(), |p| p.name.clone());
    if open_case(stored) {
        let contact = earlier.map_or_else(
            || format!("de toegang van {name}"),
            |p| {
                format!(
                    "de toegang van {name} ({})",
                    p.toegang_op(stored.last_effective).naam
                )
            },
        );
        return Err(RuleError::new(
            "aanmelding.open_casus_andere_regio",
            "bsn",
            format!(
                "dit BSN hoort bij een cliënt met een lopende casus onder {name}; een tweede casus wordt niet geopend — neem contact op met {contact} om de casus over te dragen of af te sluiten"
            ),
        ));
    }
    if regions.get(to).is_none() {
        return Err(RuleError::new(
            "aanmelding.regio_onbekend",
            "regio",
            format!("regio '{to}' is onbekend"),
        ));
    }
    Ok(earlier)
}

/// A placement that needs a place: the location and product a fact puts a client on
/// (`start_zorg`, or a doorstroom/op- of afschaling to another location or product) with the
/// overbezetting reason it carries. `None` for facts that take no place.
pub fn placement_of(
    event: &ClientEvent,
) -> Option<(&crate::ids::LocationId, &ProductCode, Option<&str>)> {
    use crate::events::Wijziging;
    match event {
        ClientEvent::StartZorg {
            product,
            locatie,
            overbezetting,
        } => Some((locatie, product, overbezetting.as_deref())),
        ClientEvent::Wijziging(Wijziging::Doorstroom { product, locatie })
        | ClientEvent::Wijziging(Wijziging::Opschalen {
            product,
            locatie: Some(locatie),
        })
        | ClientEvent::Wijziging(Wijziging::Afschalen {
            product,
            locatie: Some(locatie),
        }) => Some((locatie, product, None)),
        _ => None,
    }
}

/// Whether a location has room for one more client of `product` on `on`, given `occupied`
/// (clients counted there on that date, the placed client not among them). A full location
/// refuses (`plaatsing.vol`, naming the location and "30 van 30 plaatsen bezet op
/// <datum>"), unless the clerk records an overbezetting with a reason and the region profile
/// allows it (`[overbezetting] toegestaan = true`): otherwise
/// `plaatsing.overbezetting_niet_toegestaan` or `plaatsing.overbezetting_zonder_reden`. An
/// overbezetting on a location with room is refused too (`plaatsing.overbezetting_onnodig`):
/// the fact would say something untrue.
pub fn check_place(
    profile: &RegionProfile,
    locatie: &crate::ids::LocationId,
    product: &ProductCode,
    on: Date,
    occupied: u64,
    overbezetting: Option<&str>,
) -> Result<(), RuleError> {
    let Some(&places) = profile
        .location(locatie)
        .and_then(|loc| loc.places.get(product))
    else {
        return Ok(());
    };
    check_place_with(
        profile,
        locatie,
        product,
        on,
        occupied,
        places,
        overbezetting,
    )
}

/// [`check_place`] with the location's `places` on `on` given (issue 14: the capacity of the
/// start date from the capacity periods, `vangnet_domain::plaatsen::Capaciteit::places_on`,
/// so an afbouw or a closure makes a location full from its date) instead of the profile's.
pub fn check_place_with(
    profile: &RegionProfile,
    locatie: &crate::ids::LocationId,
    product: &ProductCode,
    on: Date,
    occupied: u64,
    places: u32,
    overbezetting: Option<&str>,
) -> Result<(), RuleError> {
    let Some(loc) = profile.location(locatie) else {
        // Unknown locations are the state rules' to refuse (`locatie.onbekend`).
        return Ok(());
    };
    if !loc.places.contains_key(product) {
        // Not offered: the state rules refuse it (`locatie.biedt_product_niet`).
        return Ok(());
    }
    let datum = on.nl();
    let full = occupied >= u64::from(places);
    match (full, overbezetting.map(str::trim)) {
        (false, None) => Ok(()),
        (false, Some(_)) => Err(RuleError::new(
            "plaatsing.overbezetting_onnodig",
            "overbezetting",
            format!(
                "{} heeft nog plaats ({occupied} van {places} plaatsen bezet op {datum}); een overbezetting is niet nodig",
                loc.name
            ),
        )),
        (true, None) => Err(RuleError::new(
            "plaatsing.vol",
            "locatie",
            format!(
                "{} is vol: {occupied} van {places} plaatsen bezet op {datum}. {}",
                loc.name,
                if profile.overbezetting_toegestaan() {
                    "Kies een andere locatie of een latere startdatum, of leg een overbezetting vast met een reden"
                } else {
                    "Kies een andere locatie of een latere startdatum"
                }
            ),
        )),
        (true, Some(_)) if !profile.overbezetting_toegestaan() => Err(RuleError::new(
            "plaatsing.overbezetting_niet_toegestaan",
            "overbezetting",
            format!(
                "{} is vol ({occupied} van {places} plaatsen bezet op {datum}) en {} staat geen overbezetting toe",
                loc.name, profile.name
            ),
        )),
        (true, Some("")) => Err(RuleError::new(
            "plaatsing.overbezetting_zonder_reden",
            "overbezetting",
            "een overbezetting vraagt een reden",
        )),
        (true, Some(_)) => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod tests;
