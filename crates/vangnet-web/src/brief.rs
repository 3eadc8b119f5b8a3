//! The decision letter: `/clienten/{id}/besluitbrief` (the printable page),
//! `/clienten/{id}/besluitbrief.pdf` (the same letter as PDF; `?versie=N`: the stored letter
//! of an earlier decision), and the dossier's "Brieven" list ([`letters_section`]).
//!
//! The content is the pure model of [`vangnet_publish::letter`] (plain words, the region's
//! `[brief]` template) and its PDF ([`vangnet_publish::letter_pdf`]). The first time a
//! decision's letter is produced, its model and PDF are stored with the decision
//! ([`vangnet_store::Store::store_letter`]); from then on the page and the PDF show what was
//! stored, also after the template changed. Reads are logged as "besluitbrief inzien", the
//! first production as "besluitbrief opstellen".

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use vangnet_domain::ClientId;
use vangnet_publish::letter::{self, Letter};
use vangnet_publish::letter_pdf;
use vangnet_store::ClientRecord;
use vangnet_store::letters::{NewLetter, StoredLetter};

use crate::error::Query;
use crate::html::Nav;
use crate::users::DemoUser;
use crate::voordeur;
use crate::voordeur_pages::{record_or_error, render};
use crate::{AppState, WebError, labels};

/// Purpose of reading a letter (and the record it is about).
const INZIEN: &str = "besluitbrief inzien";
/// Purpose of producing and storing a letter.
const OPSTELLEN: &str = "besluitbrief opstellen";

fn no_decision() -> WebError {
    WebError::not_found(letter::LetterError::GeenBesluit.to_string()).titled("Nog geen besluit")
}

fn model_of(stored: &StoredLetter) -> Result<Letter, WebError> {
    serde_json::from_str(&stored.letter.content).map_err(|e| {
        tracing::error!(kenmerk = %stored.letter.kenmerk, error = %e, "opgeslagen besluitbrief onleesbaar");
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "De opgeslagen besluitbrief is onleesbaar.",
        )
        .code("storing")
    })
}

/// The letter of the client's current decision: the stored one, or — the first time — made
/// from the record and the region's template, rendered as PDF and stored.
async fn current_letter(
    st: &AppState,
    user: &DemoUser,
    id: &str,
) -> Result<(ClientRecord, StoredLetter), WebError> {
    let (rec, profile) = record_or_error(st, user, id, INZIEN).await?;
    let client = rec.state.client;
    let dossier = voordeur::dossier(&rec);
    let Some(decision) = letter::decision_of(&dossier) else {
        return Err(no_decision());
    };
    let gate = user.gate(INZIEN);
    let stored = st
        .blocking(move |s| s.letter(&gate, client, decision.version))
        .await?;
    if let Some(stored) = stored {
        return Ok((rec, stored));
    }
    let model = letter::letter(&profile, &dossier).map_err(|_| no_decision())?;
    let new = NewLetter {
        client,
        version: decision.version,
        kenmerk: model.kenmerk.clone(),
        datum: decision.datum,
        content: serde_json::to_string(&model).expect("a letter serializes"),
        pdf: letter_pdf::render(&model),
    };
    let gate = user.gate(OPSTELLEN);
    let stored = st.blocking(move |s| s.store_letter(&gate, new)).await?;
    Ok((rec, stored))
}

/// When a letter was produced, in Dutch time (`dd-mm-jjjj uu:mm`).
fn created_label(rfc3339: &str) -> String {
    rfc3339
        .parse::<vangnet_domain::clock::Timestamp>()
        .map_or_else(
            |_| rfc3339.to_owned(),
            vangnet_domain::clock::amsterdam_label,
        )
}

fn pdf_response(stored: &StoredLetter) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "inline; filename=\"besluitbrief-{}.pdf\"",
                    stored.letter.kenmerk
                ),
            ),
        ],
        stored.letter.pdf.clone(),
    )
        .into_response()
}

/// `GET /clienten/{id}/besluitbrief`: the printable decision letter, with a link to its PDF.
pub(crate) async fn besluitbrief(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (rec, stored) = current_letter(&st, &user, &id).await?;
    let client = rec.state.client;
    let l = model_of(&stored)?;
    let body = html! {
        p.niet-afdrukken {
            a.knop href={ "/clienten/" (client) "/besluitbrief.pdf" } type="application/pdf" { "Download de brief als pdf" }
            " "
            a href={ "/clienten/" (client) } { "Terug naar het dossier" }
        }
        p.niet-afdrukken.klein {
            "Opgesteld op " (created_label(&stored.created_at))
            " en bewaard bij het besluit: deze brief blijft zoals hij is verstuurd."
        }
        (letter_html(&l))
    };
    Ok(render(
        &st,
        StatusCode::OK,
        &format!("Besluitbrief {}", l.kenmerk),
        &user,
        &Nav::None,
        body,
    ))
}

/// The letter model as HTML (the printable page).
fn letter_html(l: &Letter) -> Markup {
    html! {
        article.brief id="besluitbrief" lang="nl" {
            header.brief-hoofd {
                p.brief-afzender {
                    @for (i, line) in l.afzender.iter().enumerate() {
                        @if i == 0 { strong { (line) } } @else { br; (line) }
                    }
                }
                @if !l.contact.is_empty() {
                    p.brief-contact {
                        @for (i, line) in l.contact.iter().enumerate() {
                            @if i > 0 { br; } (line)
                        }
                    }
                }
            }
            p.brief-aan {
                @for (i, line) in l.geadresseerde.iter().enumerate() {
                    @if i > 0 { br; } (line)
                }
            }
            dl.brief-kenmerken {
                dt { "Datum" } dd { (l.datum_voluit) }
                dt { "Kenmerk" } dd id="kenmerk" { (l.kenmerk) }
            }
            h1.brief-onderwerp { (l.onderwerp) }
            p { (l.aanhef) }
            @for s in &l.secties {
                @if let Some(k) = &s.kop { h2 { (k) } }
                @let bullets: Vec<&str> = s.alineas.iter().filter_map(|a| a.strip_prefix("• ")).collect();
                @for a in s.alineas.iter().filter(|a| !a.starts_with("• ")) { p { (a) } }
                @if !bullets.is_empty() {
                    ul { @for b in &bullets { li { (b) } } }
                }
            }
            p.brief-groet {
                @for (i, line) in l.afsluiting.iter().enumerate() {
                    @if i > 0 { br; } (line)
                }
            }
        }
    }
}

/// The query of `/clienten/{id}/besluitbrief.pdf`.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct PdfQuery {
    /// A stored letter of this decision version (an earlier decision); absent: the current one.
    versie: Option<String>,
}

/// `GET /clienten/{id}/besluitbrief.pdf`: the letter of the current decision as PDF (stored
/// the first time it is produced); with `?versie=N` a stored letter exactly as it was
/// produced (also of an earlier, corrected decision).
pub(crate) async fn besluitbrief_pdf(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    Path(id): Path<String>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, WebError> {
    let Some(versie) = q.versie else {
        let (_, stored) = current_letter(&st, &user, &id).await?;
        return Ok(pdf_response(&stored));
    };
    let Ok(client) = ClientId::parse(&id) else {
        return Err(WebError::not_found(format!("'{id}' is geen cliëntnummer.")));
    };
    // Not a number: no letter has it (the gate still decides first).
    let version = versie.trim().parse::<u32>().unwrap_or(0);
    let gate = user.gate(INZIEN);
    match st
        .blocking(move |s| s.letter(&gate, client, version))
        .await?
    {
        Some(stored) => Ok(pdf_response(&stored)),
        None => Err(WebError::not_found("Deze brief bestaat niet.").titled("Geen brief")),
    }
}

/// The dossier's "Brieven": every stored decision letter (date, kenmerk, link to its PDF),
/// and for a decision without a stored letter yet the link that produces it. Empty when the
/// client has neither; a refusal or a store error shows a short note instead (the dossier
/// itself stays usable).
pub(crate) async fn letters_section(st: &AppState, user: &DemoUser, rec: &ClientRecord) -> Markup {
    // No decision ever recorded: no letters, and no access-log row for asking.
    let decided = rec.events.iter().any(|e| {
        matches!(
            e.event,
            vangnet_domain::ClientEvent::Toewijzing { .. }
                | vangnet_domain::ClientEvent::Afwijzing { .. }
        )
    });
    if !decided {
        return html! {};
    }
    let client = rec.state.client;
    let gate = user.gate(INZIEN);
    let listed = st.blocking(move |s| s.letters(&gate, client)).await;
    let current = letter::decision_of(&voordeur::dossier(rec));
    let letters = match listed {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(%client, error = %e, "brieven niet te lezen");
            return html! {
                section #brieven aria-labelledby="kop-brieven" {
                    h2 #kop-brieven { "Brieven" }
                    p { "De brieven van deze cliënt zijn nu niet te tonen." }
                }
            };
        }
    };
    let current_stored = current.is_some_and(|d| letters.iter().any(|l| l.version == d.version));
    if letters.is_empty() && current.is_none() {
        return html! {};
    }
    html! {
        section #brieven aria-labelledby="kop-brieven" {
            h2 #kop-brieven { "Brieven" }
            @if !letters.is_empty() {
                table.brieven {
                    caption.verborgen { "Besluitbrieven van deze cliënt" }
                    thead { tr { th scope="col" { "Datum besluit" } th scope="col" { "Kenmerk" } th scope="col" { "Brief" } } }
                    tbody {
                        @for l in letters.iter().rev() {
                            tr {
                                td { time datetime=(l.datum.to_string()) { (labels::date(l.datum)) } }
                                td { (l.kenmerk) }
                                td {
                                    a href={ "/clienten/" (client) "/besluitbrief.pdf?versie=" (l.version) } type="application/pdf" { "Pdf openen" }
                                    @if current.is_some_and(|d| d.version == l.version) {
                                        " · " a href={ "/clienten/" (client) "/besluitbrief" } { "bekijken en afdrukken" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if current.is_some() && !current_stored {
                p { "Voor het laatste besluit is nog geen brief opgesteld. "
                    a href={ "/clienten/" (client) "/besluitbrief" } { "Besluitbrief opstellen" } }
            }
        }
    }
}
