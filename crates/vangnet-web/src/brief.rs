//! The decision letter (`/clienten/{id}/besluitbrief`): the printable letter for a besluit,
//! with its legal basis, the woonplaatsbeginsel and the bezwaar clause.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use vangnet_domain::frontdoor;
use vangnet_domain::state::Besluit;
use vangnet_domain::woonplaats;

use crate::html::Nav;
use crate::voordeur;
use crate::voordeur_pages::{evaluation_table, record_or_error, render};
use crate::{AppState, WebError, labels};

// ---------------------------------------------------------------------------------------
// Decision letter

/// `GET /clienten/{id}/besluitbrief`: the printable decision letter with its legal basis.
pub(crate) async fn besluitbrief(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (rec, profile) = record_or_error(&st, &user, &id, "besluitbrief opstellen").await?;
    let profile = &profile;
    let client = rec.state.client;
    let Some(besluit) = &rec.state.besluit else {
        return Err(WebError::not_found(
            "Voor deze cliënt is nog geen besluit vastgelegd; er is dus nog geen besluitbrief.",
        )
        .titled("Nog geen besluit"));
    };
    let naam = rec
        .person
        .as_ref()
        .map_or_else(|| client.to_string(), |p| p.naam());
    let datum = match besluit {
        Besluit::Toewijzing { datum, .. } | Besluit::Afwijzing { datum, .. } => *datum,
    };
    let product = match besluit {
        Besluit::Toewijzing { product, .. } => profile.product(product),
        Besluit::Afwijzing { .. } => frontdoor::focus_product(profile, &rec.state, None, datum),
    };
    let ev =
        product.map(|p| frontdoor::evaluate_record(profile, p, &voordeur::dossier(&rec), datum));
    // The determination recorded with this decision — never recomputed at viewing time.
    let woon = woonplaats::vastgesteld(&voordeur::dossier(&rec));
    let body = html! {
        article.brief {
            p.brief-afzender { strong { (profile.toegang) } br; (profile.name) }
            p { "Aan: " (naam) br; "Cliëntnummer: " (client) }
            p { "Datum besluit: " (labels::date(datum)) }
            h1 { "Besluit op uw aanvraag: " @match besluit { Besluit::Toewijzing { .. } => "toewijzing", Besluit::Afwijzing { .. } => "afwijzing" } }
            p { "Beste " (naam) "," }
            p { "Op " (labels::date(rec.state.aangemeld)) " bent u bij ons aangemeld voor beschermd wonen of opvang. Wij hebben uw situatie beoordeeld. In deze brief leest u ons besluit en waarom." }
            h2 { "Ons besluit" }
            @match besluit {
                Besluit::Toewijzing { product: pc, start, einde, leveringsvorm, aanbieder, geplaatst_bij, .. } => {
                    p { "U krijgt " strong { (product.map_or(pc.to_string(), |p| p.name.clone())) } " van " (labels::date(*start)) " tot en met " (labels::date(*einde)) ", als " (labels::leveringsvorm(*leveringsvorm)) "." }
                    @if let Some(a) = aanbieder.or(*geplaatst_bij) { p { "Aanbieder: " (profile.provider(a).map_or(a.to_string(), |p| p.name.clone())) "." } }
                    @if let Some(max) = product.and_then(|p| p.max_months) { p { "Dit product duurt maximaal " (max) " maanden; wij bespreken met u tijdig de volgende stap." } }
                }
                Besluit::Afwijzing { reden, casusregie, .. } => {
                    p { "Wij wijzen uw aanvraag af. Reden: " (reden) "." }
                    p { "Na dit besluit heeft " strong { (casusregie) } " de regie over de volgende stap (casusregie). U staat er niet alleen voor." }
                }
            }
            h2 { "Wettelijke grondslag" }
            p { "Dit besluit is genomen op grond van de Wet maatschappelijke ondersteuning 2015, artikel 2.3.5 (beslissing op de aanvraag om een maatwerkvoorziening), en de toegangscriteria van " (profile.name) " zoals vastgelegd in het regioprofiel. De criteria en hoe ze op uw situatie zijn toegepast:" }
            @if let Some(ev) = &ev { (evaluation_table(ev, "Toegepaste criteria", false)) }
            h2 { "Verantwoordelijke gemeente (woonplaatsbeginsel)" }
            @if let Some(w) = &woon {
                @let regime = w.regime_or(profile, rec.state.aangemeld);
                p id="woonplaats-brief" { "Verantwoordelijke gemeente: " strong { (woonplaats::naam(w.gemeente)) } "." }
                p { (w.brieftekst()) }
                @if regime.in_werking() {
                    p { "Grondslag: artikel 1.2.1, onderdeel b, van de Wet maatschappelijke ondersteuning 2015." }
                } @else {
                    p { "Grondslag: artikel 1.2.1, onderdeel b, van de Wet maatschappelijke ondersteuning 2015. De regio houdt bij de verdeling tussen gemeenten al rekening met wetsvoorstel 36 288 (wetsvoorstel, nog niet in werking); dat wetsvoorstel is geen grondslag van dit besluit." }
                }
            } @else {
                p { "Bij dit besluit is geen verantwoordelijke gemeente vastgelegd. Neem bij vragen contact op met " (profile.toegang) "." }
            }
            h2 { "Bent u het niet eens met dit besluit?" }
            p { "Dan kunt u binnen zes weken na de datum van dit besluit bezwaar maken (Algemene wet bestuursrecht, artikel 6:7). Stuur uw bezwaar met de reden naar " (profile.toegang) "." }
            p { "Met vriendelijke groet," br; (profile.toegang) }
            p.niet-afdrukken.klein { "Afdrukken of opslaan als pdf: gebruik de afdrukfunctie van uw browser. " a href={ "/clienten/" (client) } { "Terug naar het dossier" } }
        }
    };
    Ok(render(
        &st,
        StatusCode::OK,
        &format!("Besluitbrief {client}"),
        &user,
        &Nav::None,
        body,
    ))
}
