//! The access team's free places (issue 14): `/regio/{id}/vrije-plaatsen` — places per
//! location × product with occupied, reserved (an open proposal) and free, and for a chosen
//! place the waiting candidates ranked by [`vangnet_domain::matching::rank`] with a
//! "Voorstellen" button per candidate. A proposal is the fact `Voorstel { locatie, product,
//! geldig_tot }` in the client's stream: it reserves the place (this page counts it) until the
//! provider answers or the term passes. The default term is 5 werkdagen, taken as 7 calendar
//! days (an aanname, shown on the page). A double click stores one proposal (the form's
//! idempotency key); a location without a free place says so and proposes nothing.
//!
//! The counts are feat/plaatsen's `Store::place_overview` (capacity of the day from the
//! profile and the recorded capacity periods; occupied, reserved, blocked, free — aggregates,
//! no client data), with the providers' free-place reports (`Store::free_place_reports`).
//! Candidates are read through the gate (one access-log row per client listed).

use std::collections::HashMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_domain::matching::{self, Kandidaat};
use vangnet_domain::plaatsen::PlaatsStand;
use vangnet_domain::{ClientEvent, ClientId, ClientState, Date, LocationId, ProductCode};
use vangnet_domain::{RegionProfile, region::Location};

use vangnet_store::plaatsen::StoredMelding;

use crate::error::Query;
use crate::html::Nav;
use crate::users::DemoUser;
use crate::voordeur_pages::{Values, clerk_region, not_a_clerk, render, text};
use crate::{AppState, WebError, figures, labels, voordeur};

/// Default term of a proposal: 5 werkdagen, taken as 7 calendar days (aanname).
pub const VOORSTEL_DAGEN: i32 = 7;

/// Stream version and name of each listed candidate.
type Listed = HashMap<ClientId, (u32, Option<String>)>;

/// Candidates shown per place (the rest is counted).
const SHOWN: usize = 50;

/// Query of `/regio/{id}/vrije-plaatsen`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct VrijQuery {
    locatie: Option<String>,
    product: Option<String>,
    melding: Option<String>,
}

/// The region named in the path, for its own access team only.
fn own_profile(st: &AppState, user: &DemoUser, id: &str) -> Result<RegionProfile, WebError> {
    let profile = crate::pages::region(st, id)?;
    if clerk_region(user) != Some(&profile.id) {
        return Err(not_a_clerk());
    }
    Ok(profile)
}

/// The region's places today (feat/plaatsen's `Store::place_overview`: capacity of the day,
/// occupied, reserved, blocked, free — aggregate counts, no client data) and the providers'
/// free-place reports, newest first.
async fn read_stands(
    st: &AppState,
    profile: &RegionProfile,
    today: Date,
) -> Result<(Vec<PlaatsStand>, Vec<StoredMelding>), WebError> {
    let rid = profile.id.clone();
    st.blocking(move |s| {
        let mut reports = s.free_place_reports(&rid)?;
        reports.reverse();
        Ok((s.place_overview(&rid, today)?, reports))
    })
    .await
    .map_err(WebError::from)
}

/// Free places of a stand (never below 0; negative with overbezetting).
fn vrij(s: &PlaatsStand) -> u64 {
    u64::try_from(s.vrij).unwrap_or(0)
}

/// A chosen place: location and product of the query or form, checked against the profile
/// (an unknown one is a 422 at its field; a location without the product too).
fn chosen_place<'p>(
    profile: &'p RegionProfile,
    locatie: &str,
    product: &str,
) -> Result<(&'p Location, ProductCode), WebError> {
    let loc = LocationId::parse(locatie)
        .ok()
        .and_then(|l| profile.location(&l))
        .ok_or_else(|| {
            WebError::invalid_field(
                "locatie",
                format!("Onbekende locatie in deze regio: {locatie}."),
            )
        })?;
    let product = ProductCode::parse(product)
        .ok()
        .filter(|p| profile.product(p).is_some())
        .ok_or_else(|| {
            WebError::invalid_field(
                "product",
                format!("Onbekend product in deze regio: {product}."),
            )
        })?;
    if !loc.places.contains_key(&product) {
        return Err(WebError::invalid_field(
            "product",
            format!(
                "{} biedt geen {}.",
                loc.name,
                figures::product_name(profile, product.as_str())
            ),
        ));
    }
    Ok((loc, product))
}

/// `GET /regio/{id}/vrije-plaatsen?locatie=&product=`: the places, and for a chosen place
/// the ranked candidates with "Voorstellen".
pub(crate) async fn page(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    Path(id): Path<String>,
    Query(q): Query<VrijQuery>,
) -> Result<Response, WebError> {
    let profile = own_profile(&st, &user, &id)?;
    let given = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_owned();
    let (l, p) = (given(&q.locatie), given(&q.product));
    let chosen = if l.is_empty() && p.is_empty() {
        None
    } else {
        Some(chosen_place(&profile, &l, &p))
    };
    show(&st, &user, &profile, chosen, q.melding.as_deref(), None).await
}

/// Render the page; `chosen` is the place whose candidates to list (or why it cannot be),
/// `failed` a proposal that was not stored.
async fn show(
    st: &AppState,
    user: &DemoUser,
    profile: &RegionProfile,
    chosen: Option<Result<(&Location, ProductCode), WebError>>,
    melding: Option<&str>,
    failed: Option<&WebError>,
) -> Result<Response, WebError> {
    let today = st.today();
    let (stands, reports) = read_stands(st, profile, today).await?;
    let (place, choice_error) = match chosen {
        Some(Ok(p)) => (Some(p), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let ranked: Option<(Vec<Kandidaat>, Listed)> = match &place {
        Some((loc, product)) => {
            let gate = user.gate("vrije plaats: kandidaten rangschikken");
            let rid = profile.id.clone();
            let pr = product.clone();
            let named = st
                .blocking(move |s| s.waiting_for_named(&gate, &rid, &pr))
                .await?;
            let states: Vec<&ClientState> = named.iter().map(|(s, _)| s).collect();
            let list = matching::rank(states, profile, product, Some(&loc.id), today);
            let info = named
                .iter()
                .map(|(s, n)| (s.client, (s.version, n.clone())))
                .collect();
            Some((list, info))
        }
        None => None,
    };
    let stand_of = |l: &LocationId, p: &ProductCode| {
        stands
            .iter()
            .find(|s| &s.locatie == l && &s.product == p)
            .cloned()
    };
    let tot = today.add_days(VOORSTEL_DAGEN);
    let status = failed
        .map(|e| e.status)
        .or(choice_error.as_ref().map(|e| e.status))
        .unwrap_or(StatusCode::OK);
    let body = html! {
        h1 { "Vrije plaatsen en voorstellen — " (profile.name) }
        p.inleiding {
            "Per locatie en product: plaatsen, bezet (in zorg), gereserveerd (een cliënt is voorgesteld en de aanbieder heeft nog niet geantwoord, of heeft aangenomen maar de zorg is nog niet gestart) en vrij. Kies een plaats om de wachtenden te zien, gerangschikt op prioriteit, voorkeur, eigen gemeente en wachttijd; wie een behoefte heeft die de locatie niet kan bieden, staat apart. "
            "Een voorstel reserveert de plaats " (VOORSTEL_DAGEN) " dagen (aanname: 5 werkdagen) of tot de aanbieder antwoordt. Peildatum " (labels::date(today)) "."
        }
        @if let Some(e) = failed.or(choice_error.as_ref()) {
            (crate::html::error_box(&[(e.field.as_deref().map(|f| format!("#vp-{f}")), &e.message)]))
        }
        @match melding {
            Some("voorgesteld") => div.melding.melding-goed role="status" id="melding" { p { "Het voorstel is vastgelegd; de plaats is gereserveerd tot en met " (labels::date(tot)) ". De aanbieder ziet het voorstel in het portaal." } },
            Some("dubbel") => div.melding.melding-goed role="status" id="melding" { p { "Dit voorstel was al verwerkt; er is niets opnieuw opgeslagen." } },
            _ => {},
        }
        @if let Some((loc, product)) = &place {
            @let stand = stand_of(&loc.id, product);
            @let vrij = stand.as_ref().map_or(0, vrij);
            section aria-labelledby="kop-kandidaten" id="kandidaten-sectie" {
                h2 id="kop-kandidaten" { "Kandidaten voor " (figures::product_name(profile, product.as_str())) " op " (loc.name) }
                @if let Some(s) = &stand {
                    p id="plaats-stand" { (s.plaatsen) " plaatsen, " (s.bezet) " bezet, " (s.gereserveerd) " gereserveerd — " strong { (vrij) " vrij" } "." }
                }
                @if !loc.niet_geschikt_voor.is_empty() {
                    p { "Deze locatie kan niet bieden: " (loc.niet_geschikt_voor.iter().map(|b| b.label().to_lowercase()).collect::<Vec<_>>().join(", ")) " " (labels::herkomst(&loc.herkomst)) "." }
                }
                @if vrij == 0 {
                    div.melding role="status" id="locatie-vol" { p { strong { (loc.name) " is vol" } ": er is geen vrije plaats " (figures::product_name(profile, product.as_str())) ". Voorstellen kan pas weer als er een plaats vrijkomt of een voorstel vervalt." } }
                }
                @if let Some((list, info)) = &ranked {
                    @let geschikt: Vec<&Kandidaat> = list.iter().filter(|k| k.geschikt()).collect();
                    @let ongeschikt: Vec<&Kandidaat> = list.iter().filter(|k| !k.geschikt()).collect();
                    @if geschikt.is_empty() {
                        p { "Niemand op de wachtlijst voor dit product past op deze plaats." }
                    } @else {
                        div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-kandidatenlijst" {
                            table id="kandidaten" {
                                caption id="kop-kandidatenlijst" { "In volgorde (" (geschikt.len()) @if geschikt.len() > SHOWN { ", de eerste " (SHOWN) " getoond" } ")" }
                                thead { tr {
                                    th.getal scope="col" { "Rang" }
                                    th scope="col" { "Cliënt" }
                                    th scope="col" { "Prioriteit" }
                                    th scope="col" { "Waarom hier" }
                                    th scope="col" { "Voorstellen" }
                                } }
                                tbody {
                                    @for k in geschikt.iter().take(SHOWN) {
                                        @let (version, name) = info.get(&k.client).cloned().unwrap_or((0, None));
                                        tr {
                                            td.getal { (k.rank.unwrap_or(0)) }
                                            th scope="row" { (client_link(k.client, name.as_deref())) }
                                            td { (labels::prioriteit_badge(k.prioriteit)) }
                                            td {
                                                (k.reden())
                                                @if let Some((l, t)) = &k.voorstel {
                                                    br;
                                                    span.label { @if *l == loc.id { "al voorgesteld voor deze plaats" } @else { "al voorgesteld bij " (profile.location(l).map_or(l.to_string(), |x| x.name.clone())) } ", tot en met " (labels::date(*t)) }
                                                }
                                            }
                                            td {
                                                @if k.voorstel.is_some() {
                                                    "heeft een open voorstel"
                                                } @else if vrij == 0 {
                                                    "locatie vol"
                                                } @else {
                                                    form method="post" action={ "/regio/" (profile.id) "/vrije-plaatsen" } {
                                                        (crate::users::csrf_field())
                                                        input type="hidden" name="client" value=(k.client);
                                                        input type="hidden" name="versie" value=(version);
                                                        input type="hidden" name="sleutel" value=(voordeur::form_key());
                                                        input type="hidden" name="locatie" value=(loc.id);
                                                        input type="hidden" name="product" value=(product);
                                                        button.knop type="submit" aria-label={ "Voorstellen: " (k.client) " voor " (loc.name) } { "Voorstellen" }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !ongeschikt.is_empty() {
                        h3 id="kop-niet-geschikt" { "Niet geschikt voor deze locatie (" (ongeschikt.len()) ")" }
                        ul id="niet-geschikt" {
                            @for k in &ongeschikt {
                                @let name = info.get(&k.client).and_then(|i| i.1.clone());
                                li { (client_link(k.client, name.as_deref())) " — " (labels::prioriteit_badge(k.prioriteit)) " — niet geschikt: " strong { (k.niet_geschikt.iter().map(|b| b.label().to_lowercase()).collect::<Vec<_>>().join(", ")) } " (de locatie kan deze behoefte niet bieden)" }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="kop-meldingen" {
            h2 id="kop-meldingen" { "Meldingen van vrije plaatsen door aanbieders" }
            @if reports.is_empty() {
                p { "Er zijn geen meldingen van vrije plaatsen." }
            } @else {
                ul id="meldingen" {
                    @for m in reports.iter().take(20) {
                        @let loc = profile.location(&m.melding.locatie);
                        li {
                            (labels::date(m.melding.datum)) ": " strong { (m.melding.aantal) } " vrij — " (figures::product_name(profile, m.melding.product.as_str())) " op " (loc.map_or(m.melding.locatie.to_string(), |l| l.name.clone()))
                            @if !m.melding.toelichting.is_empty() { " (" (m.melding.toelichting) ")" }
                            " — " a href={ "/regio/" (profile.id) "/vrije-plaatsen?locatie=" (m.melding.locatie) "&product=" (m.melding.product) "#kandidaten-sectie" } { "Kandidaten" }
                        }
                    }
                }
            }
        }
        section aria-labelledby="kop-plaatsen" {
            h2 id="kop-plaatsen" { "Plaatsen per locatie en product" }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-plaatsentabel" {
                table id="plaatsen" {
                    caption id="kop-plaatsentabel" { "Plaatsen op " (labels::date(today)) " (capaciteit van de dag: het regioprofiel en de vastgelegde capaciteitsperioden)" }
                    thead { tr {
                        th scope="col" { "Locatie" }
                        th scope="col" { "Gemeente" }
                        th scope="col" { "Product" }
                        th.getal scope="col" { "Plaatsen" }
                        th.getal scope="col" { "Bezet" }
                        th.getal scope="col" { "Gereserveerd" }
                        th.getal scope="col" { "Geblokkeerd" }
                        th.getal scope="col" { "Vrij" }
                        th scope="col" { "Kandidaten" }
                    } }
                    tbody {
                        @for s in &stands {
                            @let loc = profile.location(&s.locatie);
                            tr data-locatie=(s.locatie) data-product=(s.product) {
                                th scope="row" { (loc.map_or(s.locatie.to_string(), |l| l.name.clone())) }
                                td { (loc.map_or(String::new(), |l| figures::gemeente_name(profile, &l.gemeente.to_string()))) }
                                td { (figures::product_name(profile, s.product.as_str())) }
                                td.getal { (s.plaatsen) }
                                td.getal { (s.bezet) }
                                td.getal { (s.gereserveerd) }
                                td.getal { (s.geblokkeerd) }
                                td.getal { @if vrij(s) == 0 { span.label.label-fout { "vol" } } @else { strong { (vrij(s)) } } }
                                td { a href={ "/regio/" (profile.id) "/vrije-plaatsen?locatie=" (s.locatie) "&product=" (s.product) "#kandidaten-sectie" } { "Kandidaten" } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(render(
        st,
        status,
        "Vrije plaatsen en voorstellen",
        user,
        &Nav::Region(profile.id.to_string()),
        body,
    ))
}

/// A client as a link to the dossier.
fn client_link(client: ClientId, name: Option<&str>) -> Markup {
    html! {
        a href={ "/clienten/" (client) } {
            @if let Some(n) = name { (n) } @else { "cliënt " (client) }
        }
        @if name.is_some() { " " span.klein { "(" (client) ")" } }
    }
}

/// `POST /regio/{id}/vrije-plaatsen`: propose a client for a free place — the fact
/// `Voorstel` (reserved [`VOORSTEL_DAGEN`] days) through the gate, with the form's
/// idempotency key and the version it was rendered from. A place without a free place, or a
/// client already proposed, is refused (422, nothing written).
pub(crate) async fn propose(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    Path(id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let profile = own_profile(&st, &user, &id)?;
    // A body that is no form is answered like an empty one (every field refused).
    let values: Values = form
        .map(|Form(pairs)| pairs.into_iter().collect())
        .unwrap_or_default();
    let today = st.today();
    let (loc, product) =
        match chosen_place(&profile, text(&values, "locatie"), text(&values, "product")) {
            Ok(p) => p,
            Err(e) => return show(&st, &user, &profile, None, None, Some(&e)).await,
        };
    let result = async {
        let client = ClientId::parse(text(&values, "client"))
            .map_err(|_| WebError::invalid_field("client", "Kies een cliënt uit de lijst."))?;
        let expected = text(&values, "versie").parse::<u32>().ok();
        let key = values.get("sleutel").filter(|k| !k.is_empty()).cloned();
        // A double click may find the place it reserved no longer free: see below.
        let (stands, _) = read_stands(&st, &profile, today).await?;
        let free = stands
            .iter()
            .find(|s| s.locatie == loc.id && s.product == product)
            .map_or(0, vrij);
        let event = ClientEvent::Voorstel {
            locatie: loc.id.clone(),
            product: product.clone(),
            geldig_tot: today.add_days(VOORSTEL_DAGEN),
        };
        if free == 0 {
            if already_proposed(&st, &user, client, expected, &loc.id, &product).await {
                return Ok(true);
            }
            return Err(WebError::rule(
                "voorstel.locatie_vol",
                "locatie",
                format!(
                    "{} is vol: er is geen vrije plaats {}; er is niets vastgelegd",
                    loc.name,
                    figures::product_name(&profile, product.as_str())
                ),
            ));
        }
        voordeur::record(&st, &user, client, expected, key, today, event, None)
            .await
            .map(|r| r.replay)
    }
    .await;
    match result {
        Ok(replay) => Ok(Redirect::to(&format!(
            "/regio/{}/vrije-plaatsen?locatie={}&product={}&melding={}#melding",
            profile.id,
            loc.id,
            product,
            if replay { "dubbel" } else { "voorgesteld" }
        ))
        .into_response()),
        Err(e) if e.status == StatusCode::FORBIDDEN || e.status.is_server_error() => Err(e),
        Err(e) => {
            show(
                &st,
                &user,
                &profile,
                Some(Ok((loc, product))),
                None,
                Some(&e),
            )
            .await
        }
    }
}

/// Whether the proposal of this form was already stored (a double click after it took the
/// last place): the client's open proposal is for this place and is the append right after
/// the version the form was rendered from. Nothing is written either way.
async fn already_proposed(
    st: &AppState,
    user: &DemoUser,
    client: ClientId,
    expected: Option<u32>,
    loc: &LocationId,
    product: &ProductCode,
) -> bool {
    let gate = user.gate("vrije plaats: voorstel herhaald");
    let Ok(rec) = st.blocking(move |s| s.read_client(&gate, client)).await else {
        return false;
    };
    rec.state.voorstel.as_ref().is_some_and(|v| {
        &v.locatie == loc && &v.product == product && Some(v.versie) == expected.map(|e| e + 1)
    })
}
