//! Corrections from the screens (issue 12): `/clienten/{id}/correctie/{versie}` shows one
//! recorded fact as recorded (and as in force, when corrected before), a form to correct it —
//! prefilled with the fact in force, field by field, plus its effective date — and a form to
//! withdraw it, each with a reason. A correction is a `correctie` fact (the vocabulary's
//! [`ClientEvent::Correctie`]: it takes the place of the fact it corrects, same kind, with
//! its own effective date), a withdrawal an `intrekking`; both are appended through the
//! store's gate (rights per fact: the rights of the fact they replace and of the
//! replacement), the stream is folded again and the projections — the monitor too — move
//! with it. `/clienten/{id}/correctie/persoon` corrects name and birth date in the person
//! record (`Store::correct_person`, logged with the reason; a BSN is never corrected: a
//! wrong BSN is another person).
//!
//! [`section`] is the dossier's list of corrections and withdrawals (original beside
//! correction) with a link per fact, called from the client page.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde_json::Value;
use vangnet_domain::{ClientEvent, ClientId, Date, RecordedEvent, RegionProfile};
use vangnet_store::{AppendCommand, ClientRecord, PersonCorrection, StoreError};

use crate::html::Nav;
use crate::users::{DemoUser, LoggedIn};
use crate::voordeur_pages::{record_or_error, render};
use crate::{AppState, WebError, labels};

/// Form values by name.
type Values = BTreeMap<String, String>;

/// Where a fact of the stream stands now.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Standing<'a> {
    /// In force as recorded.
    AsRecorded,
    /// Corrected: the fact in force, its effective date, and the correcting version.
    Corrected(&'a ClientEvent, Date, u32),
    /// Withdrawn by the version given.
    Withdrawn(u32),
}

/// The standing of version `v` in `events` (the last correction counts; a withdrawal ends
/// it).
pub(crate) fn standing(events: &[RecordedEvent], v: u32) -> Standing<'_> {
    let mut s = Standing::AsRecorded;
    for e in events {
        match &e.event {
            ClientEvent::Correctie {
                corrigeert,
                vervanging,
                ..
            } if *corrigeert == v => s = Standing::Corrected(vervanging, e.effective, e.version),
            ClientEvent::Intrekking { trekt_in, .. } if *trekt_in == v => {
                s = Standing::Withdrawn(e.version)
            }
            _ => {}
        }
    }
    s
}

fn is_amendment(e: &ClientEvent) -> bool {
    matches!(
        e,
        ClientEvent::Correctie { .. } | ClientEvent::Intrekking { .. }
    )
}

/// The dossier's section: every correction and withdrawal with the original beside it, and
/// per fact a link to correct or withdraw it; a link to correct the person record.
pub(crate) fn section(rec: &ClientRecord, profile: &RegionProfile) -> Markup {
    let client = rec.state.client;
    let by_version = |v: u32| rec.events.iter().find(|e| e.version == v);
    let amendments: Vec<&RecordedEvent> = rec
        .events
        .iter()
        .filter(|e| is_amendment(&e.event))
        .collect();
    html! {
        section aria-labelledby="kop-correcties" id="correcties" {
            h2 id="kop-correcties" { "Correcties" }
            p {
                "Staat er iets verkeerd in het dossier? Corrigeer een vastgelegd feit of trek het in, met een reden. "
                "Het oorspronkelijke feit blijft bewaard; de correctie staat ernaast. "
                a href={ "/clienten/" (client) "/correctie/persoon" } { "Naam of geboortedatum corrigeren" }
            }
            @if !amendments.is_empty() {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-correcties" {
                    table id="correcties-tabel" {
                        caption { "Correcties en intrekkingen, met het oorspronkelijke feit" }
                        thead { tr {
                            th scope="col" { "Versie" }
                            th scope="col" { "Oorspronkelijk" }
                            th scope="col" { "Na correctie" }
                            th scope="col" { "Reden" }
                            th scope="col" { "Door" }
                        } }
                        tbody {
                            @for e in &amendments {
                                @let (target, reden) = match &e.event {
                                    ClientEvent::Correctie { corrigeert, reden, .. } => (*corrigeert, reden.as_str()),
                                    ClientEvent::Intrekking { trekt_in, reden } => (*trekt_in, reden.as_str()),
                                    _ => (0, ""),
                                };
                                tr {
                                    th scope="row" { (e.version) " (op versie " (target) ")" }
                                    td {
                                        @if let Some(o) = by_version(target) {
                                            (o.event.label()) ", " (labels::date(o.effective)) ": "
                                            (labels::event_summary(Some(profile), &o.event))
                                        }
                                    }
                                    td {
                                        @match &e.event {
                                            ClientEvent::Correctie { vervanging, .. } => {
                                                (vervanging.label()) ", " (labels::date(e.effective)) ": "
                                                (labels::event_summary(Some(profile), vervanging))
                                            }
                                            _ => { strong { "ingetrokken" } }
                                        }
                                    }
                                    td { (reden) }
                                    td { (e.actor.user) }
                                }
                            }
                        }
                    }
                }
            }
            details {
                summary { "Een feit corrigeren of intrekken" }
                ul.correctie-links {
                    @for e in rec.events.iter().filter(|e| !is_amendment(&e.event)) {
                        li {
                            @match standing(&rec.events, e.version) {
                                Standing::Withdrawn(_) => {
                                    "Versie " (e.version) ", " (e.event.label()) ": ingetrokken"
                                }
                                _ => {
                                    a href={ "/clienten/" (client) "/correctie/" (e.version) } {
                                        "Versie " (e.version) ", " (e.event.label()) " (" (labels::date(e.effective)) ") corrigeren"
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /clienten/{id}/correctie/{versie}` (or `…/persoon`).
pub(crate) async fn page(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path((id, versie)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (rec, profile) = record_or_error(&st, &user, &id, "correctie voorbereiden").await?;
    show(&st, &user, &rec, &profile, &versie, None, None)
}

/// A failed submission shown again: which form, the error, the values.
struct Failed<'a> {
    actie: &'a str,
    error: &'a WebError,
}

fn show(
    st: &AppState,
    user: &DemoUser,
    rec: &ClientRecord,
    profile: &RegionProfile,
    versie: &str,
    failed: Option<Failed<'_>>,
    values: Option<&Values>,
) -> Result<Response, WebError> {
    let client = rec.state.client;
    let status = failed.as_ref().map_or(StatusCode::OK, |f| f.error.status);
    if versie == "persoon" {
        let body = person_form(rec, failed.as_ref(), values);
        return Ok(render(
            st,
            status,
            &format!("Persoonsgegevens corrigeren {client}"),
            user,
            &Nav::None,
            body,
        ));
    }
    let Some(e) = versie
        .parse::<u32>()
        .ok()
        .and_then(|v| rec.events.iter().find(|e| e.version == v))
    else {
        return Err(WebError::not_found(format!(
            "Het dossier {client} heeft geen gebeurtenis '{versie}'."
        )));
    };
    let body = fact_form(rec, profile, e, failed.as_ref(), values);
    Ok(render(
        st,
        status,
        &format!("Correctie {client}, versie {}", e.version),
        user,
        &Nav::None,
        body,
    ))
}

fn error_summary(failed: Option<&Failed<'_>>, form: &str) -> Markup {
    html! {
        @if let Some(f) = failed.filter(|f| f.actie == form) {
            (crate::html::error_box(&[(
                Some(format!("#{form}-{}", f.error.field.as_deref().unwrap_or("reden"))),
                &*f.error.message,
            )]))
        }
    }
}

fn field(form: &str, name: &str, label: &str, value: &str, failed: Option<&Failed<'_>>) -> Markup {
    let id = format!("{form}-{name}");
    let mine = failed.filter(|f| f.actie == form && f.error.field.as_deref() == Some(name));
    html! {
        div.veld {
            label for=(id) { (label) }
            @if let Some(f) = mine { (crate::html::field_message(&id, &f.error.message)) }
            input id=(id) name=(name) type="text" value=(value)
                aria-invalid=[mine.map(|_| "true")] aria-describedby=[mine.map(|_| format!("fout-{id}"))];
        }
    }
}

fn hidden(rec: &ClientRecord) -> Markup {
    html! {
        input type="hidden" name="versie" value=(rec.state.version);
        input type="hidden" name="sleutel" value=(crate::voordeur::form_key());
        (crate::users::csrf_field())
    }
}

/// The fact's fields as (name, text) in their serialized order, without the `type` tag:
/// strings as they are, dates as `JJJJ-MM-DD`, other values as JSON.
fn fields_of(event: &ClientEvent) -> Vec<(String, String)> {
    let Ok(Value::Object(map)) = serde_json::to_value(event) else {
        return Vec::new();
    };
    map.into_iter()
        .filter(|(k, _)| k != "type")
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, text)
        })
        .collect()
}

/// A Dutch label for a fact's field (the key, in words, when not listed).
fn field_label(key: &str) -> String {
    let known = match key {
        "regio" => "Regio (code)",
        "melder" => "Wie meldde aan",
        "herkomst_gemeente" => "Gemeente van inschrijving (CBS-code, leeg: niet ingeschreven)",
        "woonsituatie" => "Woonsituatie",
        "urgentie" => "Urgentie (regulier, urgent of crisis)",
        "voordeur" => "Voordeur",
        "product" => "Product (code)",
        "start" => "Startdatum (JJJJ-MM-DD)",
        "einde" => "Einddatum (JJJJ-MM-DD)",
        "leveringsvorm" => "Leveringsvorm (ZIN of PGB)",
        "aanbieder" => "Aanbieder (AGB-code)",
        "locatie" => "Locatie (code)",
        "bestemming" => "Bestemming",
        "reden" => "Reden",
        "casusregie" => "Casusregie na afwijzing",
        "advies" => "Advies",
        "vanaf" => "Vanaf (JJJJ-MM-DD)",
        "gemeente" => "Gemeente (CBS-code)",
        _ => "",
    };
    if known.is_empty() {
        let mut label = key.replace('_', " ");
        if let Some(first) = label.get(..1) {
            label = first.to_uppercase() + &label[1..];
        }
        label
    } else {
        known.to_owned()
    }
}

/// The fact a correction form stands for: the original's fields, each replaced by the
/// form's text (a field that held a string stays a string, an empty field becomes `null`,
/// anything else is read as JSON, else as text); then parsed as a fact of the same kind.
fn fact_from_form(original: &ClientEvent, values: &Values) -> Result<ClientEvent, WebError> {
    let Ok(Value::Object(mut map)) = serde_json::to_value(original) else {
        return Err(WebError::invalid("dit feit kan niet worden gecorrigeerd"));
    };
    let before: BTreeMap<String, String> = fields_of(original).into_iter().collect();
    let mut changed: Vec<String> = Vec::new();
    for (k, v) in map.iter_mut() {
        if k == "type" {
            continue;
        }
        let Some(text) = values.get(&format!("f_{k}")) else {
            continue;
        };
        let text = text.trim();
        if before.get(k).map(String::as_str) != Some(text) {
            changed.push(k.clone());
        }
        *v = match v {
            Value::String(_) => Value::String(text.to_owned()),
            _ if text.is_empty() => Value::Null,
            _ => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())),
        };
    }
    let kind = original.kind();
    serde_json::from_value::<ClientEvent>(Value::Object(map)).map_err(|e| {
        let msg = e.to_string();
        // Point at the changed field serde names, else the first changed field.
        let field = changed
            .iter()
            .find(|k| msg.contains(&format!("`{k}`")))
            .or(changed.first())
            .cloned();
        WebError::invalid_field(
            format!("f_{}", field.as_deref().unwrap_or("reden")),
            format!("de correctie van '{kind}' is niet geldig: {msg}"),
        )
    })
}

fn fact_form(
    rec: &ClientRecord,
    profile: &RegionProfile,
    e: &RecordedEvent,
    failed: Option<&Failed<'_>>,
    values: Option<&Values>,
) -> Markup {
    let client = rec.state.client;
    let standing = standing(&rec.events, e.version);
    let (current, effective) = match &standing {
        Standing::Corrected(f, d, _) => (*f, *d),
        _ => (&e.event, e.effective),
    };
    let val = |name: &str, default: String| -> String {
        values.and_then(|v| v.get(name)).cloned().unwrap_or(default)
    };
    let action = format!("/clienten/{client}/correctie/{}", e.version);
    html! {
        p { a href={ "/clienten/" (client) "#correcties" } { "← Terug naar dossier " (client) } }
        h1 { "Versie " (e.version) " corrigeren of intrekken" }
        section aria-labelledby="kop-origineel" {
            h2 id="kop-origineel" { "Zoals vastgelegd" }
            dl.kenmerken id="origineel" {
                dt { "Gebeurtenis" } dd { (e.event.label()) }
                dt { "Ingangsdatum" } dd { (labels::date(e.effective)) }
                dt { "Inhoud" } dd { (labels::event_summary(Some(profile), &e.event)) }
                dt { "Vastgelegd door" } dd { (e.actor.user) " (" (e.actor.role.label()) ")" }
            }
            @match &standing {
                Standing::Corrected(f, d, by) => {
                    p id="geldend" {
                        strong { "Nu geldend" } " (gecorrigeerd in versie " (by) "): "
                        (labels::date(*d)) ", " (labels::event_summary(Some(profile), f))
                    }
                }
                Standing::Withdrawn(by) => {
                    p.melding id="geldend" { "Dit feit is ingetrokken in versie " (by) "; het telt niet meer mee." }
                }
                Standing::AsRecorded => {}
            }
        }
        @if is_amendment(&e.event) {
            p.melding {
                "Dit is zelf een correctie of intrekking. Corrigeer het oorspronkelijke feit opnieuw; "
                "een nieuwe correctie vervangt de vorige."
            }
        } @else if !matches!(standing, Standing::Withdrawn(_)) {
            section aria-labelledby="kop-corrigeren" {
                h2 id="kop-corrigeren" { "Corrigeren" }
                p { "Pas aan wat niet klopt; de rest blijft zoals het nu geldt. Datums als JJJJ-MM-DD." }
                (error_summary(failed, "corrigeren"))
                form.formulier method="post" action=(action) id="corrigeren" {
                    (hidden(rec))
                    input type="hidden" name="actie" value="corrigeren";
                    (field("corrigeren", "datum", "Ingangsdatum", &val("datum", effective.to_string()), failed))
                    @for (k, v) in fields_of(current) {
                        (field("corrigeren", &format!("f_{k}"), &field_label(&k), &val(&format!("f_{k}"), v), failed))
                    }
                    (field("corrigeren", "reden", "Reden van de correctie", &val("reden", String::new()), failed))
                    button.knop type="submit" { "Correctie opslaan" }
                }
            }
            section aria-labelledby="kop-intrekken" {
                h2 id="kop-intrekken" { "Intrekken" }
                @if e.version == 1 {
                    p { "De aanmelding kan niet worden ingetrokken; corrigeer haar." }
                } @else {
                    p { "Het feit telt daarna niet meer mee; het blijft zichtbaar in de geschiedenis." }
                    (error_summary(failed, "intrekken"))
                    form.formulier method="post" action=(action) id="intrekken" {
                        (hidden(rec))
                        input type="hidden" name="actie" value="intrekken";
                        (field("intrekken", "reden", "Reden van de intrekking", &val("reden", String::new()), failed))
                        button.knop.knop-gevaar type="submit" { "Intrekken" }
                    }
                }
            }
        }
    }
}

fn person_form(rec: &ClientRecord, failed: Option<&Failed<'_>>, values: Option<&Values>) -> Markup {
    let client = rec.state.client;
    let val = |name: &str, default: String| -> String {
        values.and_then(|v| v.get(name)).cloned().unwrap_or(default)
    };
    html! {
        p { a href={ "/clienten/" (client) "#correcties" } { "← Terug naar dossier " (client) } }
        h1 { "Persoonsgegevens corrigeren" }
        @if let Some(p) = &rec.person {
            p id="origineel" {
                "Nu vastgelegd: " strong { (p.naam()) } ", geboren " (labels::date(p.geboortedatum)) ". "
                "Het BSN wordt niet gecorrigeerd: een ander BSN is een andere persoon."
            }
            (error_summary(failed, "persoon"))
            form.formulier method="post" action={ "/clienten/" (client) "/correctie/persoon" } id="persoon" {
                (hidden(rec))
                input type="hidden" name="actie" value="persoon";
                (field("persoon", "voornaam", "Voornaam", &val("voornaam", p.voornaam.clone()), failed))
                (field("persoon", "achternaam", "Achternaam", &val("achternaam", p.achternaam.clone()), failed))
                (field("persoon", "geboortedatum", "Geboortedatum (dd-mm-jjjj)", &val("geboortedatum", labels::date(p.geboortedatum)), failed))
                (field("persoon", "reden", "Reden van de correctie", &val("reden", String::new()), failed))
                button.knop type="submit" { "Correctie opslaan" }
            }
        } @else {
            p { "Van deze cliënt zijn geen persoonsgegevens vastgelegd." }
        }
    }
}

/// A date as `dd-mm-jjjj` or `JJJJ-MM-DD`.
fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(d) = Date::parse(s) {
        return Some(d);
    }
    let mut p = s.split('-');
    let (d, m, y) = (p.next()?, p.next()?, p.next()?);
    if p.next().is_some() || y.len() != 4 {
        return None;
    }
    Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn required_reason(values: &Values) -> Result<String, WebError> {
    match values.get("reden").map(|r| r.trim()) {
        Some(r) if !r.is_empty() => Ok(r.to_owned()),
        _ => Err(WebError::invalid_field("reden", "geef de reden op")),
    }
}

/// `POST /clienten/{id}/correctie/{versie}`: a correction, a withdrawal or a correction
/// of the person record.
pub(crate) async fn submit(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path((id, versie)): Path<(String, String)>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let values: Values = pairs.into_iter().collect();
    let (rec, profile) = record_or_error(&st, &user, &id, "correctie verwerken").await?;
    let client = rec.state.client;
    let actie = values.get("actie").cloned().unwrap_or_default();
    let result = if versie == "persoon" {
        correct_person(&st, &user, client, &values).await
    } else {
        amend(&st, &user, &rec, &versie, &actie, &values).await
    };
    match result {
        Ok(melding) => Ok(Redirect::to(&format!(
            "/clienten/{client}?melding={melding}#correcties"
        ))
        .into_response()),
        Err(e)
            if matches!(
                e.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::BAD_REQUEST
            ) =>
        {
            let form = if versie == "persoon" {
                "persoon"
            } else {
                actie.as_str()
            };
            // Show the record as it is now (a conflict: someone else wrote first).
            let (rec, profile) = if e.status == StatusCode::CONFLICT {
                record_or_error(&st, &user, &id, "correctie opnieuw tonen").await?
            } else {
                (rec, profile)
            };
            show(
                &st,
                &user,
                &rec,
                &profile,
                &versie,
                Some(Failed {
                    actie: form,
                    error: &e,
                }),
                (e.status != StatusCode::CONFLICT).then_some(&values),
            )
        }
        Err(e) => Err(e),
    }
}

async fn correct_person(
    st: &AppState,
    user: &DemoUser,
    client: ClientId,
    values: &Values,
) -> Result<&'static str, WebError> {
    let text = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let geboortedatum = parse_date(&text("geboortedatum")).ok_or_else(|| {
        WebError::invalid_field(
            "geboortedatum",
            "de geboortedatum is geen datum; schrijf dd-mm-jjjj",
        )
    })?;
    let c = PersonCorrection {
        voornaam: text("voornaam"),
        achternaam: text("achternaam"),
        geboortedatum,
        reden: required_reason(values)?,
    };
    let gate = user.gate("persoonsgegevens corrigeren");
    st.blocking(move |s| s.correct_person(&gate, client, &c))
        .await
        .map_err(|e| match e {
            StoreError::Person(m) | StoreError::Invalid(m) => match m.split_once(": ") {
                Some((f, rest))
                    if ["voornaam", "achternaam", "geboortedatum", "reden"].contains(&f) =>
                {
                    WebError::invalid_field(f.to_owned(), rest.to_owned())
                }
                _ => WebError::invalid(m),
            },
            other => WebError::from(other),
        })?;
    Ok("opgeslagen")
}

async fn amend(
    st: &AppState,
    user: &DemoUser,
    rec: &ClientRecord,
    versie: &str,
    actie: &str,
    values: &Values,
) -> Result<&'static str, WebError> {
    let client = rec.state.client;
    let Some(original) = versie
        .parse::<u32>()
        .ok()
        .and_then(|v| rec.events.iter().find(|e| e.version == v))
    else {
        return Err(WebError::not_found(format!(
            "Het dossier {client} heeft geen gebeurtenis '{versie}'."
        )));
    };
    if is_amendment(&original.event) {
        return Err(WebError::invalid(
            "een correctie of intrekking wordt niet zelf gecorrigeerd; corrigeer het oorspronkelijke feit",
        ));
    }
    let reden = required_reason(values)?;
    let (datum, event, kind) = match actie {
        "corrigeren" => {
            let current = match standing(&rec.events, original.version) {
                Standing::Corrected(f, _, _) => f,
                _ => &original.event,
            };
            let datum =
                parse_date(values.get("datum").map_or("", String::as_str)).ok_or_else(|| {
                    WebError::invalid_field("datum", "de ingangsdatum is geen datum (JJJJ-MM-DD)")
                })?;
            let vervanging = fact_from_form(current, values)?;
            if vervanging == *current && datum == original.effective {
                return Err(WebError::invalid_field(
                    "reden",
                    "er is niets veranderd; pas eerst aan wat niet klopt",
                ));
            }
            (
                datum,
                ClientEvent::Correctie {
                    corrigeert: original.version,
                    vervanging: Box::new(vervanging),
                    reden,
                },
                "correctie",
            )
        }
        "intrekken" => (
            original.effective,
            ClientEvent::Intrekking {
                trekt_in: original.version,
                reden,
            },
            "intrekking",
        ),
        other => {
            return Err(WebError::invalid_field(
                "actie",
                format!("onbekend formulier '{other}'"),
            ));
        }
    };
    if !user.may_record_kind(kind) {
        return Err(WebError::forbidden(format!(
            "dit API-token mag '{kind}' niet vastleggen"
        )));
    }
    let expected = values.get("versie").and_then(|v| v.parse::<u32>().ok());
    let key = values.get("sleutel").filter(|k| !k.is_empty()).cloned();
    let gate = user.gate(if kind == "correctie" {
        "feit corrigeren"
    } else {
        "feit intrekken"
    });
    let cmd = AppendCommand {
        client,
        expected_version: expected,
        idempotency_key: key,
        events: vec![(datum, event)],
        person: None,
    };
    match st.blocking(move |s| s.append(&gate, cmd)).await {
        Ok(_) => Ok("opgeslagen"),
        Err(StoreError::Replay { .. }) => Ok("dubbel"),
        Err(e) => Err(WebError::from(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::events::Bestemming;

    #[test]
    fn a_form_rebuilds_a_fact_of_the_same_kind() {
        let e = ClientEvent::EindeZorg {
            bestemming: Bestemming::Onbekend,
            woning: None,
        };
        let f = fields_of(&e);
        assert_eq!(f, [("bestemming".to_owned(), "onbekend".to_owned())]);
        let mut v = Values::new();
        v.insert("f_bestemming".into(), "wlz".into());
        let got = fact_from_form(&e, &v);
        assert!(matches!(got, Ok(ClientEvent::EindeZorg { .. })), "{got:?}");
        v.insert("f_bestemming".into(), "nergens".into());
        let err = fact_from_form(&e, &v).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("f_bestemming"));
        assert_eq!(parse_date("01-04-1990"), Date::parse("1990-04-01").ok());
    }
}
