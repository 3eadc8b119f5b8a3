//! The front door (DOMAIN.md §3–§5), shared by the JSON API ([`crate::voordeur_api`]) and
//! the screens ([`crate::voordeur_pages`]): registering an application with duplicate
//! detection and recording a fact with optimistic concurrency and idempotency. The rules
//! (case facts, evaluation, woonplaatsbeginsel) are pure and live in
//! [`vangnet_domain::frontdoor`] and [`vangnet_domain::woonplaats`]; this module reads the
//! record, calls them and writes the facts.
//!
//! Everything reads and writes through the store with an [`AccessGate`] that names the
//! purpose. Errors are [`FrontError`]: a Dutch message that names the field, and the HTTP
//! status the API answers with.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::StatusCode;
use serde::Serialize;
use vangnet_domain::events::{Melder, Urgentie, Voordeur, Woonsituatie};
use vangnet_domain::frontdoor::{self, Dossier};
use vangnet_domain::person::Person;
use vangnet_domain::woonplaats;
use vangnet_domain::{Actor, Bsn, ClientEvent, ClientId, Date, GemeenteCode, RegionId};
use vangnet_store::{AccessGate, AppendCommand, ClientRecord, Receipt, StoreError};

use crate::AppState;

/// A front-door error: Dutch message, the field it is about, the HTTP status, and (for a
/// blocked decision) the facts still missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrontError {
    /// HTTP status.
    #[serde(skip)]
    pub status: u16,
    /// Message (Dutch).
    pub fout: String,
    /// The field at fault (`""` when none).
    pub veld: String,
    /// The stable code of the rule refused (`RuleError::code`, or a front-door rule such as
    /// `"besluit.feiten_onbekend"`); `null` for input that could not be read.
    pub code: Option<&'static str>,
    /// Facts still missing (a decision blocked by unknown facts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ontbrekend: Vec<String>,
    /// An existing client (duplicate detection).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bestaande_client: Option<ClientId>,
    /// Whether that existing client still has an open case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_casus: Option<bool>,
}

impl FrontError {
    /// A 422 error on `veld`.
    pub fn field(veld: &str, fout: impl Into<String>) -> FrontError {
        FrontError {
            status: 422,
            fout: fout.into(),
            veld: veld.to_owned(),
            code: None,
            ontbrekend: vec![],
            bestaande_client: None,
            open_casus: None,
        }
    }

    /// A 422 refusal by the front-door rule `code` on `veld`.
    pub fn rule(code: &'static str, veld: &str, fout: impl Into<String>) -> FrontError {
        FrontError {
            code: Some(code),
            ..FrontError::field(veld, fout)
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// Map a store error, naming the field.
    pub fn from_store(e: &StoreError) -> FrontError {
        let status = crate::status_of(e).as_u16();
        let code = match e {
            StoreError::Rule { error, .. } => Some(error.code),
            _ => None,
        };
        let (veld, fout) = match e {
            StoreError::Rule { error, .. } => (error.field.to_owned(), error.message.clone()),
            StoreError::Conflict {
                expected, actual, ..
            } => (
                "expected_version".to_owned(),
                format!(
                    "iemand anders heeft dit dossier intussen gewijzigd (u werkte met versie {}, nu is het versie {actual}); er is niets opgeslagen — laad het dossier opnieuw en controleer uw invoer",
                    expected.map_or("nieuw".to_owned(), |v| v.to_string())
                ),
            ),
            StoreError::KeyReused(_) => (
                "idempotency_key".to_owned(),
                "deze formuliersleutel is al gebruikt voor een ander verzoek; open het formulier opnieuw".to_owned(),
            ),
            StoreError::Denied(_) => (
                String::new(),
                "geen toegang; deze poging is vastgelegd in het toegangslog".to_owned(),
            ),
            StoreError::Backend(detail) => {
                eprintln!("vangnet-web: databasefout: {detail}");
                (
                    String::new(),
                    "storing bij het opslaan; probeer het later opnieuw".to_owned(),
                )
            }
            StoreError::Person(m) | StoreError::Invalid(m) => match m.split_once(": ") {
                Some((f, rest)) if !f.contains(' ') => (f.to_owned(), rest.to_owned()),
                _ => (String::new(), m.clone()),
            },
            other => (String::new(), other.to_string()),
        };
        FrontError {
            status,
            fout,
            veld,
            code,
            ontbrekend: vec![],
            bestaande_client: None,
            open_casus: None,
        }
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
}

/// Parse and validate a person: the BSN must pass the elfproef.
pub fn parse_person(
    bsn: &str,
    voornaam: &str,
    achternaam: &str,
    geboortedatum: &str,
) -> Result<Person, FrontError> {
    let bsn = Bsn::parse(bsn.trim()).map_err(|e| {
        FrontError::field("bsn", format!("BSN '{}' is niet geldig: {e}", bsn.trim()))
    })?;
    let born = Date::parse(geboortedatum.trim()).map_err(|e| {
        FrontError::field(
            "geboortedatum",
            format!("geboortedatum '{geboortedatum}' is geen datum (JJJJ-MM-DD): {e}"),
        )
    })?;
    Person::new(bsn, voornaam, achternaam, born, true).map_err(|e| {
        let msg = e.to_string();
        match msg.split_once(": ") {
            Some((f, rest)) => FrontError::field(f, rest),
            None => FrontError::field("", msg),
        }
    })
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
    actor: &Actor,
    a: Aanmelding,
) -> Result<Registered, FrontError> {
    if st.store().regions().get(&a.regio).is_none() {
        return Err(FrontError::field(
            "regio",
            format!("regio '{}' bestaat niet", a.regio),
        ));
    }
    let event = ClientEvent::Aanmelding {
        regio: a.regio.clone(),
        melder: a.melder,
        herkomst_gemeente: a.herkomst,
        woonsituatie: a.woonsituatie,
        urgentie: a.urgentie,
        voordeur: Some(a.voordeur),
    };
    let gate = AccessGate::new(actor.clone(), "aanmelding registreren");
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
        // The BSN belongs to a client this clerk may not see (another region): say so
        // without details; a second client for the same person is never made.
        Err(StoreError::Denied(_)) => {
            let mut e = FrontError::rule(
                "aanmelding.bsn_andere_regio",
                "bsn",
                "dit BSN hoort bij een cliënt die onder een andere regio of organisatie valt; er wordt geen tweede dossier aangemaakt — neem contact op met het toegangsteam van die regio (deze controle is vastgelegd in het toegangslog)",
            );
            e.status = 409;
            return Err(e);
        }
        Err(e) => return Err(FrontError::from_store(&e)),
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
        let g = AccessGate::new(actor.clone(), "dubbele aanmelding controleren");
        let rec = st
            .blocking(move |s| s.read_client(&g, existing))
            .await
            .map_err(|e| FrontError::from_store(&e))?;
        let open = frontdoor::open_case(&rec.state);
        if !a.bevestig || open {
            let mut e = FrontError::rule(
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
            e.status = 409;
            e.bestaande_client = Some(existing);
            e.open_casus = Some(open);
            return Err(e);
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
            Err(e) => Err(FrontError::from_store(&e)),
        };
    }
    // A new client: the next id; another clerk may take it first, then ask again.
    for _ in 0..5 {
        let id = st
            .blocking(|s| s.next_client_id())
            .await
            .map_err(|e| FrontError::from_store(&e))?;
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
            Err(e) => return Err(FrontError::from_store(&e)),
        }
    }
    Err(FrontError::field(
        "",
        "het lukte niet een nieuw cliëntnummer toe te kennen; probeer het opnieuw",
    ))
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
    actor: &Actor,
    client: ClientId,
    expected_version: Option<u32>,
    key: Option<String>,
    datum: Date,
    event: ClientEvent,
    woonplaats: Option<Override>,
) -> Result<Recorded, FrontError> {
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
    if matches!(
        event,
        ClientEvent::Toewijzing { .. } | ClientEvent::Afwijzing { .. }
    ) {
        let g = AccessGate::new(actor.clone(), "besluit voorbereiden");
        let rec = st
            .blocking(move |s| s.read_client(&g, client))
            .await
            .map_err(|e| FrontError::from_store(&e))?;
        let profile = st
            .store()
            .regions()
            .get(&rec.state.regio)
            .ok_or_else(|| FrontError::field("regio", "regio van de cliënt is onbekend"))?;
        let p = match &event {
            ClientEvent::Toewijzing { product, start, .. } => {
                let p = profile.product(product).ok_or_else(|| {
                    FrontError::rule(
                        "product.niet_in_catalogus",
                        "product",
                        format!(
                            "product {product} staat niet in de catalogus van {}",
                            profile.name
                        ),
                    )
                })?;
                if !p.valid_on(*start) {
                    return Err(FrontError::rule(
                        "product.niet_geldig",
                        "product",
                        format!(
                            "{} staat op {start} niet in de catalogus van {}",
                            p.name, profile.name
                        ),
                    ));
                }
                let ev = frontdoor::evaluate_record(profile, p, &dossier(&rec), datum);
                let missing: Vec<String> = ev.missing().iter().map(|s| (*s).to_owned()).collect();
                if !missing.is_empty() {
                    let mut e = FrontError::rule(
                        "besluit.feiten_onbekend",
                        "beoordeling",
                        format!(
                            "een besluit kan nog niet: van de criteria voor {} zijn nog niet vastgesteld: {}",
                            p.name,
                            missing.join("; ")
                        ),
                    );
                    e.ontbrekend = missing;
                    return Err(e);
                }
                Some(p)
            }
            // A refusal: the determination for the product the assessment was about.
            _ => frontdoor::focus_product(profile, &rec.state, None, datum),
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
                .map_err(|e| FrontError::rule(e.code, e.field, e.message))?;
            extra = Some(bepaald);
        }
    }
    let gate = AccessGate::new(actor.clone(), purpose);
    let cmd = AppendCommand {
        client,
        expected_version,
        idempotency_key: key,
        events: std::iter::once((datum, event))
            .chain(extra.map(|e| (datum, e)))
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
        Err(e) => Err(FrontError::from_store(&e)),
    }
}

/// The front door's view of a stored record (person, state, stream) for the domain's rules.
pub fn dossier(rec: &ClientRecord) -> Dossier<'_> {
    Dossier {
        person: rec.person.as_ref(),
        state: &rec.state,
        events: &rec.events,
    }
}
