//! The front door (DOMAIN.md §3–§5), shared by the JSON API ([`crate::voordeur_api`]) and
//! the screens ([`crate::voordeur_pages`]): registering an application with duplicate
//! detection and recording a fact with optimistic concurrency and idempotency. The rules
//! (case facts, evaluation, woonplaatsbeginsel) are pure and live in
//! [`vangnet_domain::frontdoor`] and [`vangnet_domain::woonplaats`]; this module reads the
//! record, calls them and writes the facts.
//!
//! Everything reads and writes through the store with an [`AccessGate`] that names the
//! purpose. Errors are [`WebError`]s: a Dutch message, the field it is about, the stable
//! code of the rule refused, the HTTP status, and for the front door the facts still missing
//! or the existing client found.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::StatusCode;
use vangnet_domain::events::{Melder, Urgentie, Voordeur, Woonsituatie};
use vangnet_domain::frontdoor::{self, Dossier};
use vangnet_domain::person::{Person, PersonError};
use vangnet_domain::woonplaats;
use vangnet_domain::{Actor, Bsn, ClientEvent, ClientId, Date, GemeenteCode, RegionId};
use vangnet_store::{AppendCommand, ClientRecord, Receipt, StoreError};

use crate::users::DemoUser;
use crate::{AppState, WebError};

/// An API token records only the facts listed on it (checked here, before the gate asks
/// the policy; the refusal writes nothing and is the same 403 as the gate's).
fn token_may_record(user: &DemoUser, kind: &str) -> Result<(), WebError> {
    if user.may_record_kind(kind) {
        Ok(())
    } else {
        Err(WebError::forbidden(format!(
            "dit API-token mag '{kind}' niet vastleggen"
        )))
    }
}

/// A fresh idempotency key for one rendered form: time plus a process-wide counter.
pub fn form_key() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!(
        "form-{nanos:x}-{:x}-{:x}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// An application as entered at the front door.
#[derive(Debug, Clone)]
pub struct Aanmelding {
    /// Person (validated: BSN elfproef, names, synthetic range).
    pub person: Person,
    /// Region.
    pub regio: RegionId,
    /// Who reported.
    pub melder: Melder,
    /// BRP registration (`None`: not registered).
    pub herkomst: Option<GemeenteCode>,
    /// Living situation.
    pub woonsituatie: Woonsituatie,
    /// Urgency.
    pub urgentie: Urgentie,
    /// Date of the application.
    pub datum: Date,
    /// The front door that received it (default: the region's central front door).
    pub voordeur: Voordeur,
    /// Idempotency key of the form or request.
    pub key: Option<String>,
    /// The clerk confirmed a new application for an existing client without an open case.
    pub bevestig: bool,
    /// feat/zoeken: the clerk saw that the BSN is known with another name or birth date and
    /// chose the existing dossier (the person record stays; correct it from the dossier).
    pub bevestig_gegevens: bool,
}

/// Parse and validate a person: the BSN must pass the elfproef. Every refused field is
/// reported at once (the first as the error's field, the others with [`WebError::also`]), in
/// plain Dutch: what is wrong and what to do, no echo of the input and no internal codes.
pub fn parse_person(
    bsn: &str,
    voornaam: &str,
    achternaam: &str,
    geboortedatum: &str,
) -> Result<Person, WebError> {
    let mut refused: Vec<(&'static str, String)> = Vec::new();
    let bsn = match bsn.trim() {
        "" => {
            refused.push(("bsn", "Vul het BSN in.".into()));
            None
        }
        b => match Bsn::parse(b) {
            Ok(bsn) => Some(bsn),
            Err(_) if b.len() != 9 => {
                refused.push(("bsn", "Een BSN heeft precies 9 cijfers.".into()));
                None
            }
            Err(_) if !b.bytes().all(|c| c.is_ascii_digit()) => {
                refused.push(("bsn", "Een BSN bestaat alleen uit cijfers.".into()));
                None
            }
            Err(_) => {
                refused.push((
                    "bsn",
                    "Dit BSN bestaat niet (de elfproef klopt niet). Controleer de cijfers.".into(),
                ));
                None
            }
        },
    };
    if voornaam.trim().is_empty() {
        refused.push(("voornaam", "Vul de voornaam in.".into()));
    }
    if achternaam.trim().is_empty() {
        refused.push(("achternaam", "Vul de achternaam in.".into()));
    }
    let born = match geboortedatum.trim() {
        "" => {
            refused.push(("geboortedatum", "Vul de geboortedatum in.".into()));
            None
        }
        d => match Date::parse(d) {
            Ok(d) => Some(d),
            Err(_) => {
                refused.push((
                    "geboortedatum",
                    "De geboortedatum is geen bestaande datum. Vul dag, maand en jaar in.".into(),
                ));
                None
            }
        },
    };
    if let (Some(bsn), Some(born), true) = (bsn, born, refused.is_empty()) {
        return Person::new(bsn, voornaam, achternaam, born, true).map_err(|e| match e {
            PersonError::NotSynthetic => WebError::invalid_field(
                "bsn",
                "Vangnet bevat alleen synthetische personen: gebruik een BSN dat met een 9 begint.",
            ),
            PersonError::Empty(f) => WebError::invalid_field(f, "Vul dit veld in."),
        });
    }
    let mut fields = refused.into_iter();
    let (field, message) = fields.next().expect("a refusal when no person was made");
    Err(
        fields.fold(WebError::invalid_field(field, message), |e, (f, m)| {
            e.also(f, m)
        }),
    )
}

/// What registering an application did.
#[derive(Debug, Clone)]
pub enum Registered {
    /// A new client with its first aanmelding.
    Nieuw(Receipt),
    /// A new aanmelding in the stream of an existing client (confirmed by the clerk).
    Heraanmelding(Receipt),
    /// The same request was already processed; nothing was written again.
    AlVerwerkt(Receipt),
}

impl Registered {
    /// The receipt.
    pub fn receipt(&self) -> &Receipt {
        match self {
            Registered::Nieuw(r) | Registered::Heraanmelding(r) | Registered::AlVerwerkt(r) => r,
        }
    }
}

/// Register an application. Duplicate detection: when the BSN already has a client the
/// answer is a 409 with that client, unless the clerk confirmed a new aanmelding and that
/// client has no open case (then it goes into the existing stream). Never a silent second
/// case. A replayed request (same key) writes nothing and answers the first receipt.
pub async fn register(
    st: &AppState,
    user: &DemoUser,
    a: Aanmelding,
) -> Result<Registered, WebError> {
    token_may_record(user, "aanmelding")?;
    let Some(profile) = st.store().regions().get(&a.regio) else {
        return Err(WebError::invalid_field(
            "regio",
            format!("regio '{}' bestaat niet", a.regio),
        ));
    };
    // A local front door only where the region's access model on the date has them.
    frontdoor::check_voordeur(profile, a.voordeur, a.datum)
        .map_err(|e| WebError::rule(e.code, e.field, e.message))?;
    let event = ClientEvent::Aanmelding {
        regio: a.regio.clone(),
        melder: a.melder,
        herkomst_gemeente: a.herkomst,
        woonsituatie: a.woonsituatie,
        urgentie: a.urgentie,
        voordeur: Some(a.voordeur),
    };
    let gate = user.gate("aanmelding registreren");
    let bsn = a.person.bsn;
    let g = gate.clone();
    // Gate before the duplicate check (issue 11, finding 4): who may not register here gets
    // the store's refusal below whether or not the BSN is known.
    let probe = AppendCommand {
        client: ClientId(0),
        expected_version: None,
        idempotency_key: None,
        events: vec![(a.datum, event.clone())],
        person: None,
    };
    let found = if gate.would_allow_new(&probe, st.store().regions()) {
        st.blocking(move |s| s.find_by_bsn(&g, bsn)).await
    } else {
        Ok(None)
    };
    let holder = match found {
        Ok(h) => h,
        // The BSN belongs to a client this clerk may not see (another region or gemeente):
        // a new application across regions (feat/zoeken), never a second client.
        Err(StoreError::Denied(_)) => {
            return register_elsewhere(st, user, &a, probe, event).await;
        }
        Err(e) => return Err(WebError::from(e)),
    };
    if let Some(existing) = holder {
        // A double submit of the request that created this client is a replay.
        if a.key.is_some() {
            let cmd = AppendCommand {
                client: existing,
                expected_version: None,
                idempotency_key: a.key.clone(),
                events: vec![(a.datum, event.clone())],
                person: Some(a.person.clone()),
            };
            let g = gate.clone();
            if let Err(StoreError::Replay { receipt, .. }) =
                st.blocking(move |s| s.append(&g, cmd)).await
            {
                return Ok(Registered::AlVerwerkt(receipt));
            }
        }
        let g = user.gate("dubbele aanmelding controleren");
        let rec = st
            .blocking(move |s| s.read_client(&g, existing))
            .await
            .map_err(WebError::from)?;
        let open = frontdoor::open_case(&rec.state);
        // Same BSN, other name or birth date (feat/zoeken): warn and show what is known,
        // unless the clerk saw it and chose this dossier.
        if let Some(known) = rec
            .person
            .as_ref()
            .filter(|p| !same_person_data(p, &a.person))
            && !a.bevestig_gegevens
        {
            let mut e = WebError::rule(
                "aanmelding.bsn_andere_gegevens",
                "bsn",
                format!(
                    "dit BSN is bekend als {} (geboren {}), niet als {} (geboren {}); controleer het BSN, of kies het bestaande dossier {existing}",
                    known.naam(),
                    crate::labels::date(known.geboortedatum),
                    a.person.naam(),
                    crate::labels::date(a.person.geboortedatum)
                ),
            );
            e.status = StatusCode::CONFLICT;
            return Err(e
                .existing(existing, open)
                .known_person(known.naam(), known.geboortedatum));
        }
        if !a.bevestig || open {
            let mut e = WebError::rule(
                if open {
                    "aanmelding.bsn_lopende_casus"
                } else {
                    "aanmelding.bsn_bestaat"
                },
                "bsn",
                if open {
                    format!(
                        "er bestaat al een cliënt met dit BSN ({existing}) met een lopende casus; een tweede casus wordt niet geopend — werk het bestaande dossier bij"
                    )
                } else {
                    format!(
                        "er bestaat al een cliënt met dit BSN ({existing}); bevestig dat u een nieuwe aanmelding in dat dossier wilt vastleggen"
                    )
                },
            );
            e.status = StatusCode::CONFLICT;
            return Err(e.existing(existing, open));
        }
        let cmd = AppendCommand {
            client: existing,
            expected_version: Some(rec.state.version),
            idempotency_key: a.key.clone(),
            events: vec![(a.datum, event)],
            person: None,
        };
        return match st.blocking(move |s| s.append(&gate, cmd)).await {
            Ok(r) => Ok(Registered::Heraanmelding(r)),
            Err(StoreError::Replay { receipt, .. }) => Ok(Registered::AlVerwerkt(receipt)),
            Err(e) => Err(WebError::from(e)),
        };
    }
    // A new client: the next id; another clerk may take it first, then ask again.
    for _ in 0..5 {
        let id = st
            .blocking(|s| s.next_client_id())
            .await
            .map_err(WebError::from)?;
        let cmd = AppendCommand {
            client: id,
            expected_version: None,
            idempotency_key: a.key.clone(),
            events: vec![(a.datum, event.clone())],
            person: Some(a.person.clone()),
        };
        let g = gate.clone();
        match st.blocking(move |s| s.append(&g, cmd)).await {
            Ok(r) => return Ok(Registered::Nieuw(r)),
            Err(StoreError::Replay { receipt, .. }) => return Ok(Registered::AlVerwerkt(receipt)),
            Err(StoreError::Conflict { expected: None, .. }) => continue,
            Err(e) => return Err(WebError::from(e)),
        }
    }
    Err(WebError::conflict(
        "het lukte niet een nieuw cliëntnummer toe te kennen; probeer het opnieuw",
    ))
}

/// Whether the entered person has the same name (case, accents and punctuation ignored)
/// and birth date as the one known under the BSN.
fn same_person_data(known: &Person, entered: &Person) -> bool {
    let norm = |p: &Person| {
        vangnet_store::search::fold(&format!("{} {}", p.voornaam, p.achternaam))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    known.geboortedatum == entered.geboortedatum && norm(known) == norm(entered)
}

/// A new application for a person whose record this clerk may not read (feat/zoeken,
/// across regions): the store's lookup ([`vangnet_store::Store::find_elsewhere`], logged)
/// says under which region; an open case there is refused with the region to contact; a
/// closed one is named and, once the clerk confirms, the new aanmelding goes into the
/// person's one stream (the gate's exception for exactly this). Who may not register here
/// at all gets the old answer, without details.
async fn register_elsewhere(
    st: &AppState,
    user: &DemoUser,
    a: &Aanmelding,
    probe: AppendCommand,
    event: ClientEvent,
) -> Result<Registered, WebError> {
    let bsn = a.person.bsn;
    let g = user.gate("aanmelding: BSN onder een andere regio");
    let found = match st
        .blocking(move |s| s.find_elsewhere(&g, bsn, &probe))
        .await
    {
        Ok(f) => f,
        Err(StoreError::Denied(_)) => {
            let mut e = WebError::rule(
                "aanmelding.bsn_andere_regio",
                "bsn",
                "dit BSN hoort bij een cliënt die onder een andere regio of organisatie valt; er wordt geen tweede dossier aangemaakt — neem contact op met het toegangsteam van die regio (deze controle is vastgelegd in het toegangslog)",
            );
            e.status = StatusCode::CONFLICT;
            return Err(e);
        }
        Err(e) => return Err(WebError::from(e)),
    };
    let Some(found) = found else {
        return Err(WebError::conflict(
            "het dossier bij dit BSN is net gewijzigd; probeer het opnieuw",
        ));
    };
    if let Some(rule) = found.lopend {
        let mut e = WebError::rule(rule.code, rule.field, rule.message);
        e.status = StatusCode::CONFLICT;
        // No client number for another region's open case: the clerk learns whom to
        // contact, not the record.
        return Err(e.other_region(found.regio_naam));
    }
    let nieuw = st
        .store()
        .regions()
        .get(&a.regio)
        .map_or_else(|| a.regio.to_string(), |p| p.name.clone());
    if !a.bevestig {
        let mut e = WebError::rule(
            "aanmelding.bsn_andere_regio_afgesloten",
            "bsn",
            format!(
                "dit BSN hoort bij een cliënt met een afgesloten casus onder {}; een nieuwe aanmelding bij {nieuw} komt in hetzelfde dossier ({}) — er wordt geen tweede dossier aangemaakt",
                found.regio_naam, found.client
            ),
        );
        e.status = StatusCode::CONFLICT;
        return Err(e
            .existing(found.client, false)
            .other_region(found.regio_naam));
    }
    let cmd = AppendCommand {
        client: found.client,
        expected_version: Some(found.version),
        idempotency_key: a.key.clone(),
        events: vec![(a.datum, event)],
        person: None,
    };
    let gate = user
        .gate("aanmelding registreren (cliënt uit een andere regio)")
        .for_intake(bsn);
    match st.blocking(move |s| s.append(&gate, cmd)).await {
        Ok(r) => Ok(Registered::Heraanmelding(r)),
        Err(StoreError::Replay { receipt, .. }) => Ok(Registered::AlVerwerkt(receipt)),
        Err(e) => Err(WebError::from(e)),
    }
}

/// A manual override of the woonplaatsbeginsel answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The gemeente chosen instead (equal to the computed answer: a confirmation).
    pub gemeente: GemeenteCode,
    /// Why (required when it deviates): an internal note, never shown to the person.
    pub reden: String,
    /// The explanation for the person's letter (`None`: a fixed phrase).
    pub brieftekst: Option<String>,
}

/// What recording a fact did.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The receipt (of the first request when `replay`).
    pub receipt: Receipt,
    /// The same request was already processed; nothing was written again.
    pub replay: bool,
}

/// Record one fact for an existing client. A toewijzing is blocked while the evaluation of
/// its product has unknown facts (the list is in the error); it is recorded together with a
/// `woonplaats_bepaald` fact (same command) holding the responsible gemeente — Vangnet's
/// answer, or an override, which needs a reason.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    st: &AppState,
    user: &DemoUser,
    client: ClientId,
    expected_version: Option<u32>,
    key: Option<String>,
    datum: Date,
    event: ClientEvent,
    woonplaats: Option<Override>,
) -> Result<Recorded, WebError> {
    record_with(
        st,
        user,
        client,
        expected_version,
        key,
        datum,
        event,
        woonplaats,
        Vec::new(),
    )
    .await
}

/// [`record`] with further facts `after` the event (and its woonplaats determination) in the
/// same append — feat/toegang (issue 14): a toekenning is the toewijzing or wijziging together
/// with the `VerzoekAntwoord` that names the request, in one append.
#[allow(clippy::too_many_arguments)]
pub async fn record_with(
    st: &AppState,
    user: &DemoUser,
    client: ClientId,
    expected_version: Option<u32>,
    key: Option<String>,
    datum: Date,
    event: ClientEvent,
    woonplaats: Option<Override>,
    after: Vec<ClientEvent>,
) -> Result<Recorded, WebError> {
    for e in &after {
        token_may_record(user, vangnet_domain::access::fact_key(e))?;
    }
    token_may_record(user, vangnet_domain::access::fact_key(&event))?;
    let mut extra: Option<ClientEvent> = None;
    let mut purpose = match &event {
        ClientEvent::Beoordeling { .. } => "beoordeling vastleggen".to_owned(),
        ClientEvent::Toewijzing { .. } | ClientEvent::Afwijzing { .. } => {
            "besluit vastleggen".to_owned()
        }
        ClientEvent::WachtlijstIn { .. } | ClientEvent::WachtlijstUit { .. } => {
            "wachtlijst beheren".to_owned()
        }
        ClientEvent::StartZorg { .. } => "plaatsing / start zorg".to_owned(),
        ClientEvent::Wijziging(_) => "wijziging zorg".to_owned(),
        ClientEvent::EindeZorg { .. } => "einde zorg / uitstroom".to_owned(),
        ClientEvent::Bezwaar { .. } => "bezwaar registreren".to_owned(),
        _ => "gebeurtenis vastleggen".to_owned(),
    };
    let decision = if matches!(
        event,
        ClientEvent::Toewijzing { .. } | ClientEvent::Afwijzing { .. }
    ) {
        let g = user.gate("besluit voorbereiden");
        Some(
            st.blocking(move |s| s.read_client(&g, client))
                .await
                .map_err(WebError::from)?,
        )
    } else {
        None
    };
    // Who may not record the decision gets the store's (logged) refusal below, before any
    // of the decision's own rules.
    if let Some(rec) = decision.filter(|rec| may_record(st, &user.actor, rec, &event, datum)) {
        let profile =
            st.store().regions().get(&rec.state.regio).ok_or_else(|| {
                WebError::invalid_field("regio", "regio van de cliënt is onbekend")
            })?;
        let p = match &event {
            ClientEvent::Toewijzing { product, start, .. } => {
                let p = profile.product(product).ok_or_else(|| {
                    WebError::rule(
                        "product.niet_in_catalogus",
                        "product",
                        format!(
                            "product {product} staat niet in de catalogus van {}",
                            profile.name
                        ),
                    )
                })?;
                if !p.valid_on(*start) {
                    return Err(WebError::rule(
                        "product.niet_geldig",
                        "product",
                        format!(
                            "{} staat op {start} niet in de catalogus van {}",
                            p.name, profile.name
                        ),
                    ));
                }
                // Plausibility (issue 12): the person's age on the start within the product's band.
                if let Some(person) = &rec.person {
                    vangnet_domain::limits::check_age(person, *start, p)
                        .map_err(|e| WebError::rule(e.code, e.field, e.message))?;
                }
                let ev = frontdoor::evaluate_record(profile, p, &dossier(&rec), datum);
                let missing: Vec<String> = ev.missing().iter().map(|s| (*s).to_owned()).collect();
                if !missing.is_empty() {
                    let e = WebError::rule(
                        "besluit.feiten_onbekend",
                        "beoordeling",
                        format!(
                            "een besluit kan nog niet: van de criteria voor {} zijn nog niet vastgesteld: {}",
                            p.name,
                            missing.join("; ")
                        ),
                    );
                    return Err(e.missing(missing));
                }
                Some(p)
            }
            // A refusal: the determination for the product the assessment was about — and,
            // like a toewijzing, not while a criterion is still unknown (feat/brief: a letter
            // cannot explain a refusal on facts nobody established).
            _ => {
                let p = frontdoor::focus_product(profile, &rec.state, None, datum);
                if let Some(p) = p {
                    let ev = frontdoor::evaluate_record(profile, p, &dossier(&rec), datum);
                    let missing: Vec<String> =
                        ev.missing().iter().map(|s| (*s).to_owned()).collect();
                    if !missing.is_empty() {
                        let e = WebError::rule(
                            "besluit.feiten_onbekend",
                            "beoordeling",
                            format!(
                                "een afwijzing kan nog niet: van de criteria voor {} zijn nog niet vastgesteld: {}; leg eerst een beoordeling vast",
                                p.name,
                                missing.join("; ")
                            ),
                        );
                        return Err(e.missing(missing));
                    }
                }
                p
            }
        };
        if let Some(p) = p {
            let w = woonplaats::woonplaats_of(profile, p, &dossier(&rec), datum);
            let afwijking = woonplaats.as_ref().map(|o| woonplaats::Afwijking {
                gemeente: o.gemeente,
                reden: &o.reden,
                brieftekst: o.brieftekst.as_deref(),
            });
            if afwijking.is_some_and(|a| a.gemeente != w.gemeente) {
                purpose = format!("{purpose}; woonplaatsbeginsel handmatig vastgesteld");
            }
            let bepaald = woonplaats::bepaling(&w, afwijking)
                .map_err(|e| WebError::rule(e.code, e.field, e.message))?;
            extra = Some(bepaald);
        }
    }
    let gate = user.gate(purpose);
    let cmd = AppendCommand {
        client,
        expected_version,
        idempotency_key: key,
        events: std::iter::once((datum, event))
            .chain(extra.map(|e| (datum, e)))
            .chain(after.into_iter().map(|e| (datum, e)))
            .collect(),
        person: None,
    };
    match st.blocking(move |s| s.append(&gate, cmd)).await {
        Ok(receipt) => Ok(Recorded {
            receipt,
            replay: false,
        }),
        Err(StoreError::Replay { receipt, .. }) => Ok(Recorded {
            receipt,
            replay: true,
        }),
        Err(e) => Err(WebError::from(e)),
    }
}

/// Whether `actor` may record `event` for the client of `rec` by the rights per fact
/// ([`vangnet_domain::access::may_record`]; unlogged — the store asks again, and logs).
pub(crate) fn may_record(
    st: &AppState,
    actor: &Actor,
    rec: &ClientRecord,
    event: &ClientEvent,
    on: Date,
) -> bool {
    let ctx = vangnet_domain::access::FactContext {
        regio: &rec.state.regio,
        toewijzing_aanbieder: rec.state.toewijzing().and_then(|t| t.4),
        zorg_aanbieder: rec.state.zorg.as_ref().map(|z| z.aanbieder),
        original: None,
        effective: on,
        regions: st.store().regions(),
        client: Some(&rec.state),
    };
    vangnet_domain::access::may_record(actor, event, &ctx).allowed()
}

/// The front door's view of a stored record (person, state, stream) for the domain's rules.
pub fn dossier(rec: &ClientRecord) -> Dossier<'_> {
    Dossier {
        person: rec.person.as_ref(),
        state: &rec.state,
        events: &rec.events,
    }
}
