//! The front door's JSON API:
//!
//! - `POST /api/clienten`: an aanmelding (person + application); duplicate detection on the
//!   BSN (409 with the existing client unless `bevestig_nieuwe_aanmelding` and no open case);
//! - `POST /api/clienten/{id}/gebeurtenissen`: one fact (`gebeurtenis`, the vocabulary's
//!   JSON) with `expected_version`, `idempotency_key` and `datum`;
//! - `GET /api/clienten/{id}/beoordeling?product=…&datum=…`: the explained rules, the
//!   woonplaatsbeginsel answer computed now, the determination recorded with the decision
//!   (`woonplaats_vastgesteld`) and who is who (`rollen`: front door, registration, who
//!   decides, who pays today).
//!
//! The aanmelding takes `voordeur` (`{"soort":"centraal"}` — the default —,
//! `{"soort":"lokaal","gemeente":"GM0226"}` or `{"soort":"andere_regio","gemeente":"GM0363"}`);
//! a toewijzing or afwijzing takes `woonplaats_override` `{gemeente, reden, brieftekst}`.
//!
//! Errors are [`WebError`]s as JSON `{"fout": "...", "veld": "...", "code": "..."}` (Dutch,
//! naming the field; `code` the stable code of the rule refused, e.g.
//! `toewijzing.einde_voor_start`, or `ongeldig` for input that could not be read), with
//! `ontbrekend`, `bestaande_client` and `open_casus` where they apply. A replayed request
//! (same idempotency key) writes nothing and answers 200 with the original receipt and a note.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use vangnet_domain::events::Voordeur;
use vangnet_domain::frontdoor;
use vangnet_domain::woonplaats;
use vangnet_domain::{ClientEvent, ClientId, Date, GemeenteCode, RegionId};

use crate::AppState;
use crate::WebError;
use crate::error::Query;
use crate::users::{DemoUser, LoggedIn};
use crate::voordeur::{self, Override, Registered};

fn parse_body(body: &Bytes) -> Result<Value, WebError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| WebError::bad_request(format!("de aanvraag is geen geldige JSON: {e}")))?;
    if !v.is_object() {
        return Err(WebError::bad_request(
            "de aanvraag moet een JSON-object zijn",
        ));
    }
    Ok(v)
}

/// Field `name` of `v`, deserialized; `None` when absent or null.
fn opt<T: DeserializeOwned>(v: &Value, name: &str) -> Result<Option<T>, WebError> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => serde_json::from_value(x.clone()).map(Some).map_err(|e| {
            WebError::invalid_field(name.to_owned(), format!("{name} is niet geldig: {e}"))
        }),
    }
}

fn req<T: DeserializeOwned>(v: &Value, name: &str) -> Result<T, WebError> {
    opt(v, name)?
        .ok_or_else(|| WebError::invalid_field(name.to_owned(), format!("{name} ontbreekt")))
}

/// Field `name` as a date; `today` when absent.
fn date_field(v: &Value, name: &str, today: Date) -> Result<Date, WebError> {
    match opt::<String>(v, name)? {
        None => Ok(today),
        Some(s) => Date::parse(&s).map_err(|e| {
            WebError::invalid_field(
                name.to_owned(),
                format!("{name} '{s}' is geen datum (JJJJ-MM-DD): {e}"),
            )
        }),
    }
}

fn parse_aanmelding(v: &Value, today: Date) -> Result<voordeur::Aanmelding, WebError> {
    let p: Value = req(v, "persoon")?;
    let text = |name: &str| -> Result<String, WebError> {
        p.get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                WebError::invalid_field(name.to_owned(), format!("persoon.{name} ontbreekt"))
            })
    };
    let person = voordeur::parse_person(
        &text("bsn")?,
        &text("voornaam")?,
        &text("achternaam")?,
        &text("geboortedatum")?,
    )?;
    let regio: String = req(v, "regio")?;
    let regio = RegionId::parse(&regio)
        .map_err(|e| WebError::invalid_field("regio", format!("regio '{regio}': {e}")))?;
    let herkomst = match opt::<String>(v, "herkomst_gemeente")? {
        None => None,
        Some(s) if s.is_empty() => None,
        Some(s) => Some(GemeenteCode::parse(&s).map_err(|e| {
            WebError::invalid_field("herkomst_gemeente", format!("gemeentecode '{s}': {e}"))
        })?),
    };
    Ok(voordeur::Aanmelding {
        person,
        regio,
        melder: req(v, "melder")?,
        herkomst,
        woonsituatie: req(v, "woonsituatie")?,
        urgentie: req(v, "urgentie")?,
        datum: date_field(v, "datum", today)?,
        voordeur: opt(v, "voordeur")?.unwrap_or(Voordeur::Centraal),
        key: opt(v, "idempotency_key")?,
        bevestig: opt(v, "bevestig_nieuwe_aanmelding")?.unwrap_or(false),
        bevestig_gegevens: opt(v, "bevestig_andere_gegevens")?.unwrap_or(false),
    })
}

/// `POST /api/clienten`: register an application.
pub(crate) async fn aanmelden(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    body: Bytes,
) -> Result<Response, WebError> {
    let a = parse_body(&body)
        .and_then(|v| parse_aanmelding(&v, st.today()))
        .map_err(WebError::json)?;
    match voordeur::register(&st, &user, a).await {
        Ok(r) => {
            let (status, soort, note) = match &r {
                Registered::Nieuw(_) => (StatusCode::CREATED, "nieuw", None),
                Registered::Heraanmelding(_) => (StatusCode::CREATED, "heraanmelding", None),
                Registered::AlVerwerkt(_) => (
                    StatusCode::OK,
                    "al_verwerkt",
                    Some("dit verzoek is al verwerkt; er is niets opnieuw geschreven"),
                ),
            };
            let receipt = r.receipt();
            Ok((
                status,
                Json(json!({
                    "client": receipt.client,
                    "versie": receipt.version,
                    "soort": soort,
                    "ontvangstbewijs": receipt,
                    "opmerking": note,
                })),
            )
                .into_response())
        }
        Err(e) => Err(e.json()),
    }
}

fn client_id(id: &str) -> Result<ClientId, WebError> {
    ClientId::parse(id).map_err(|_| {
        WebError::not_found(format!("'{id}' is geen cliëntnummer"))
            .field("client")
            .json()
    })
}

/// `POST /api/clienten/{id}/gebeurtenissen`: record one fact.
pub(crate) async fn gebeurtenis(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let parsed = (|| {
        let client = client_id(&id)?;
        let v = parse_body(&body)?;
        let expected: Option<u32> = opt(&v, "expected_version")?;
        let key: Option<String> = opt(&v, "idempotency_key")?;
        let datum = date_field(&v, "datum", st.today())?;
        let raw: Value = req(&v, "gebeurtenis")?;
        let event: ClientEvent = serde_json::from_value(raw).map_err(|e| {
            WebError::invalid_field("gebeurtenis", format!("gebeurtenis is niet geldig: {e}"))
        })?;
        let over = match v.get("woonplaats_override") {
            None | Some(Value::Null) => None,
            Some(o) => {
                let g: String = req(o, "gemeente").map_err(|e| e.field("woonplaats_gemeente"))?;
                let gemeente = GemeenteCode::parse(&g).map_err(|e| {
                    WebError::invalid_field(
                        "woonplaats_gemeente",
                        format!("gemeentecode '{g}': {e}"),
                    )
                })?;
                let reden: String = opt(o, "reden")?.unwrap_or_default();
                let brieftekst: Option<String> = opt(o, "brieftekst")?;
                Some(Override {
                    gemeente,
                    reden,
                    brieftekst,
                })
            }
        };
        Ok::<_, WebError>((client, expected, key, datum, event, over))
    })();
    let (client, expected, key, datum, event, over) = parsed.map_err(WebError::json)?;
    match voordeur::record(&st, &user, client, expected, key, datum, event, over).await {
        Ok(r) => {
            let status = if r.replay {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            Ok((
                status,
                Json(json!({
                    "client": client,
                    "versie": r.receipt.version,
                    "ontvangstbewijs": r.receipt,
                    "opmerking": r.replay.then_some("dit verzoek is al verwerkt; er is niets opnieuw geschreven"),
                })),
            )
                .into_response())
        }
        Err(e) => Err(e.json()),
    }
}

/// Query of `GET /api/clienten/{id}/beoordeling`.
#[derive(Debug, Deserialize)]
pub(crate) struct BeoordelingQuery {
    product: Option<String>,
    datum: Option<String>,
}

/// `GET /api/clienten/{id}/beoordeling`: the explained rules for a product and the
/// woonplaatsbeginsel answer.
pub(crate) async fn beoordeling(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    Query(q): Query<BeoordelingQuery>,
) -> Result<Response, WebError> {
    beoordeling_of(&st, &user, &id, q)
        .await
        .map_err(WebError::json)
}

async fn beoordeling_of(
    st: &AppState,
    user: &DemoUser,
    id: &str,
    q: BeoordelingQuery,
) -> Result<Response, WebError> {
    let client = client_id(id)?;
    let on = match q.datum.as_deref().map(Date::parse).transpose() {
        Ok(d) => d.unwrap_or_else(|| st.today()),
        Err(e) => {
            return Err(WebError::invalid_field(
                "datum",
                format!("datum is geen datum (JJJJ-MM-DD): {e}"),
            ));
        }
    };
    let gate = user.gate("beoordeling inzien");
    let rec = st.blocking(move |s| s.read_client(&gate, client)).await?;
    let Some(profile) = st.store().regions().get(&rec.state.regio) else {
        return Err(WebError::invalid_field(
            "regio",
            "regio van de cliënt is onbekend",
        ));
    };
    if let Some(code) = &q.product
        && vangnet_domain::ProductCode::parse(code)
            .ok()
            .and_then(|c| profile.product(&c))
            .is_none()
    {
        return Err(WebError::invalid_field(
            "product",
            format!(
                "product '{code}' staat niet in de catalogus van {}",
                profile.name
            ),
        ));
    }
    let Some(product) = frontdoor::focus_product(profile, &rec.state, q.product.as_deref(), on)
    else {
        return Err(WebError::invalid_field(
            "product",
            "de regio heeft geen producten",
        ));
    };
    let ev = frontdoor::evaluate_record(profile, product, &voordeur::dossier(&rec), on);
    let dossier = voordeur::dossier(&rec);
    let w = woonplaats::woonplaats_of(profile, product, &dossier, on);
    let vastgesteld = woonplaats::vastgesteld(&dossier);
    let rollen = woonplaats::rollen(
        profile,
        &rec.state,
        vastgesteld
            .as_ref()
            .map_or(w.regime, |v| v.regime_or(profile, rec.state.aangemeld)),
        vastgesteld.as_ref().map_or(w.gemeente, |v| v.gemeente),
        product.domain,
    );
    Ok(Json(json!({
        "client": client,
        "product": product.code,
        "datum": on,
        "uitkomst": ev.eligible(),
        "advies": ev.advice(),
        "ontbrekend": ev.missing(),
        "regels": ev.rules,
        "beoordeeld_op": frontdoor::latest_beoordeling(&voordeur::dossier(&rec)).map(|(d, _)| d),
        "woonplaatsbeginsel": w,
        "woonplaats_vastgesteld": vastgesteld,
        "rollen": rollen,
    }))
    .into_response())
}
