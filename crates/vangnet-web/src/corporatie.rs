//! The woningcorporatie's pages (issue 15, feat/corporatie): its housing candidates and the
//! offers it makes — the minimum only (initials and birth year, the housing need, urgentie,
//! the date ready, days waiting, its own offers), never a care field.
//!
//! - `/corporatie`: the candidates of its werkgebied (`Store::woon_kandidaten`, 50 a page,
//!   each shown one logged `lezen_wonen` read), filtered by gemeente, woningtype and route,
//!   and its running offers with their state.
//! - `/corporatie/kandidaten/{id}`: one candidate (`Store::woon_kandidaat`: another
//!   corporation's or nobody's client is the logged 403) and the forms "Woning aanbieden",
//!   "Antwoord van de cliënt", "Huurovereenkomst getekend" and "Verhuisd", each posting to the
//!   same path (CSRF, a fresh idempotency key, the version it was rendered from); every
//!   refusal at its field in Dutch with the rule's code, nothing written.

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_domain::events::{Woningtype, WoonRoute};
use vangnet_domain::{ClientEvent, ClientId, Date, GemeenteCode, Organisation, Role};
use vangnet_store::wonen::{Filter, UrgentieStand, WoonKandidaat};

use crate::aanbieder::{Refusals, input, select};
use crate::html::{self, Nav};
use crate::users::{DemoUser, LoggedIn};
use crate::voordeur_pages::{Values, render, text};
use crate::{AppState, WebError, labels, voordeur};

/// Candidates per page.
const PAGE_SIZE: usize = 50;

/// The corporation the user works for, or the Dutch 403.
fn corporation_of(user: &DemoUser) -> Result<String, WebError> {
    match (&user.actor.role, &user.actor.organisation) {
        (Role::Woningcorporatie, Organisation::Corporatie(c)) => Ok(c.clone()),
        _ => Err(WebError::forbidden(
            "Deze pagina's zijn er voor woningcorporaties: hun uitstroomkandidaten en aanbiedingen.",
        )),
    }
}

/// The corporation's name and werkgebied (gemeenten with their names) from the profiles.
fn werkgebied(st: &AppState, id: &str) -> (String, Vec<(GemeenteCode, String)>) {
    let mut naam = id.to_owned();
    let mut gemeenten = Vec::new();
    for p in st.store().regions().all() {
        if let Some(c) = p.corporatie(id) {
            naam.clone_from(&c.naam);
            gemeenten.extend(
                c.gemeenten
                    .iter()
                    .map(|g| (*g, vangnet_domain::woonplaats::naam(*g))),
            );
        }
    }
    gemeenten.sort_by(|a, b| a.1.cmp(&b.1));
    gemeenten.dedup();
    (naam, gemeenten)
}

/// The query of `/corporatie`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    /// Only this gemeente (`GMdddd`, of the werkgebied).
    pub gemeente: Option<String>,
    /// Only this woningtype (key).
    pub woningtype: Option<String>,
    /// Only this route (key).
    pub route: Option<String>,
    /// Page (1-based).
    pub pagina: Option<String>,
    /// A confirmation after a save.
    pub melding: Option<String>,
}

/// The filter of the query, or every refused field (422 at the field).
fn filter_of(q: &ListQuery, gemeenten: &[(GemeenteCode, String)]) -> Result<Filter, WebError> {
    let mut r = Refusals::default();
    let mut f = Filter::default();
    match q.gemeente.as_deref().unwrap_or("") {
        "" => {}
        g => match GemeenteCode::parse(g)
            .ok()
            .filter(|g| gemeenten.iter().any(|(x, _)| x == g))
        {
            Some(g) => f.gemeente = Some(g),
            None => r.add("gemeente", "Kies een gemeente uit uw werkgebied."),
        },
    }
    match q.woningtype.as_deref().unwrap_or("") {
        "" => {}
        t => match Woningtype::from_key(t) {
            Some(t) => f.woningtype = Some(t),
            None => r.add("woningtype", "Kies een woningtype uit de lijst."),
        },
    }
    match q.route.as_deref().unwrap_or("") {
        "" => {}
        t => match WoonRoute::from_key(t) {
            Some(t) => f.route = Some(t),
            None => r.add("route", "Kies een route uit de lijst."),
        },
    }
    r.check().map(|()| f)
}

fn page_number(pagina: Option<&str>) -> usize {
    pagina
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1_000_000)
}

fn date_el(d: Date) -> Markup {
    html! { time datetime=(d.to_string()) { (labels::date(d)) } }
}

fn urgentie_words(u: UrgentieStand) -> Markup {
    match u {
        UrgentieStand::Geen => html! { "niet aangevraagd" },
        UrgentieStand::Aangevraagd(d) => html! { "aangevraagd op " (date_el(d)) },
        UrgentieStand::Toegekend(d) => html! { "toegekend op " (date_el(d)) },
        UrgentieStand::Afgewezen(d) => html! { "afgewezen op " (date_el(d)) },
    }
}

/// The state of the candidate's offer as this corporation sees it.
fn offer_words(k: &WoonKandidaat) -> Markup {
    match &k.aanbod {
        Some(a) => {
            if let Some(d) = a.verhuisd {
                html! { "verhuisd op " (date_el(d)) }
            } else if let Some((getekend, ingang)) = a.huur {
                html! { "huurovereenkomst getekend op " (date_el(getekend)) ", ingang " (date_el(ingang)) }
            } else if let Some(d) = a.geaccepteerd {
                html! { "geaccepteerd op " (date_el(d)) }
            } else {
                html! { "aangeboden op " (date_el(a.datum)) ", reageren vóór " (date_el(a.reageren_voor)) }
            }
        }
        None if k.aanbod_elders => html! { "aanbod van een andere corporatie loopt" },
        None => match &k.weigering {
            Some(w) => html! { "uw aanbod geweigerd op " (date_el(w.datum)) },
            None => html! { "—" },
        },
    }
}

fn need_words(k: &WoonKandidaat) -> Markup {
    match &k.woonbehoefte {
        None => html! { "nog niet vastgelegd" },
        Some(w) => html! {
            (w.woningtype.label())
            @if w.prikkelarm { ", prikkelarm" }
            @if w.ambulante_begeleiding { ", met ambulante begeleiding" }
        },
    }
}

fn gemeenten_words(k: &WoonKandidaat) -> String {
    k.woonbehoefte.as_ref().map_or_else(
        || "—".to_owned(),
        |w| {
            w.gemeenten
                .iter()
                .map(|g| vangnet_domain::woonplaats::naam(*g))
                .collect::<Vec<_>>()
                .join(", ")
        },
    )
}

fn ready_words(k: &WoonKandidaat) -> Markup {
    match k.klaar {
        Some(d) if k.verwacht => html! { "verwacht " (date_el(d)) },
        Some(d) => html! { (date_el(d)) },
        None => html! { "—" },
    }
}

fn candidate_link(k: &WoonKandidaat) -> Markup {
    html! {
        a href={ "/corporatie/kandidaten/" (k.client) } { (k.weergave) }
        " " span.klein { "nr. " (k.client) }
    }
}

fn options<T: Copy>(
    all: &[T],
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|t| (key(*t).to_owned(), label(*t).to_owned()))
        .collect()
}

/// `GET /corporatie`: the corporation's candidates and offers.
pub(crate) async fn home(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    crate::error::Query(q): crate::error::Query<ListQuery>,
) -> Result<Response, WebError> {
    let id = corporation_of(&user)?;
    let today = st.today();
    let (naam, gemeenten) = werkgebied(&st, &id);
    let (filter, refused) = match filter_of(&q, &gemeenten) {
        Ok(f) => (f, None),
        Err(e) => (Filter::default(), Some(e)),
    };
    let page = page_number(q.pagina.as_deref());
    let gate = user.gate("woningcorporatie: uitstroomkandidaten");
    let id2 = id.clone();
    let list = if refused.is_some() {
        vangnet_store::wonen::Kandidaten::default()
    } else {
        st.blocking(move |s| {
            s.woon_kandidaten(
                &gate,
                &id2,
                &filter,
                (page - 1) * PAGE_SIZE..page * PAGE_SIZE,
                today,
            )
        })
        .await?
    };
    let pages = list.total.div_ceil(PAGE_SIZE).max(1);
    let err = refused.as_ref();
    let sel = |v: &Option<String>| v.clone().unwrap_or_default();
    let query_of = |p: usize| {
        let mut parts = vec![format!("pagina={p}")];
        for (k, v) in [
            ("gemeente", &q.gemeente),
            ("woningtype", &q.woningtype),
            ("route", &q.route),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", urlencoding_min(v)));
            }
        }
        format!("/corporatie?{}#kop-kandidaten", parts.join("&"))
    };
    let gemeente_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "Alle gemeenten".to_owned()))
            .chain(gemeenten.iter().map(|(g, n)| (g.to_string(), n.clone())))
            .collect();
    let type_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "Alle woningtypen".to_owned()))
            .chain(options(
                &Woningtype::ALL,
                Woningtype::key,
                Woningtype::label,
            ))
            .collect();
    let route_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "Alle routes".to_owned()))
            .chain(options(&WoonRoute::ALL, WoonRoute::key, WoonRoute::label))
            .collect();
    let body = html! {
        h1 { "Uitstroomkandidaten voor " (naam) }
        @match q.melding.as_deref() {
            Some("verhuisd") => { p.melding id="melding" tabindex="-1" autofocus { "De verhuizing is vastgelegd. De cliënt staat niet meer op uw lijst van kandidaten." } }
            _ => {}
        }
        p {
            "Mensen die klaar zijn om uit beschermd wonen of de opvang te verhuizen (of dat binnen "
            (vangnet_domain::state::WOON_KANDIDAAT_MAANDEN) " maanden worden) en een woning zoeken in uw werkgebied: "
            (gemeenten.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")) ". "
            "U ziet alleen wat nodig is om een woning aan te bieden; geen naam, geen zorggegevens. Elke inzage wordt vastgelegd."
        }
        (html::error_summary(err, Some("filter")))
        form.filters method="get" action="/corporatie" {
            (select("filter", "gemeente", "Gemeente", &gemeente_opts, &sel(&q.gemeente), err))
            (select("filter", "woningtype", "Woningtype", &type_opts, &sel(&q.woningtype), err))
            (select("filter", "route", "Route", &route_opts, &sel(&q.route), err))
            div.veld { button.knop type="submit" { "Filteren" } }
        }
        section aria-labelledby="kop-aanbiedingen" {
            h2 id="kop-aanbiedingen" { "Uw lopende aanbiedingen" }
            @if list.aanbiedingen.is_empty() {
                p { "U heeft geen lopende aanbiedingen." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-aanbiedingen-tabel" {
                    table id="aanbiedingen" {
                        caption id="kop-aanbiedingen-tabel" { "Aanbiedingen die nog lopen: open, geaccepteerd of getekend (" (list.aanbiedingen.len()) ")" }
                        thead { tr { th scope="col" { "Kandidaat" } th scope="col" { "Gemeente" } th scope="col" { "Woningtype" } th scope="col" { "Route" } th scope="col" { "Stand" } } }
                        tbody {
                            @for k in &list.aanbiedingen {
                                @if let Some(a) = &k.aanbod {
                                    tr {
                                        th scope="row" { (candidate_link(k)) }
                                        td { (vangnet_domain::woonplaats::naam(a.gemeente)) }
                                        td { (a.woningtype.label()) }
                                        td { (a.route.label()) }
                                        td { (offer_words(k)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="kop-kandidaten" {
            h2 id="kop-kandidaten" { "Kandidaten (" (list.total) ")" }
            @if list.shown.is_empty() {
                p { "Er zijn geen kandidaten die aan deze keuze voldoen." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-kandidaten-tabel" {
                    table id="kandidaten" {
                        caption id="kop-kandidaten-tabel" { "Kandidaten, langst klaar eerst" }
                        thead { tr {
                            th scope="col" { "Kandidaat" } th scope="col" { "Woonbehoefte" } th scope="col" { "Voorkeursgemeenten" }
                            th scope="col" { "Route" } th scope="col" { "Urgentie" } th scope="col" { "Klaar voor uitstroom" }
                            th scope="col" { "Dagen wachtend" } th scope="col" { "Aanbod" }
                        } }
                        tbody {
                            @for k in &list.shown {
                                tr {
                                    th scope="row" { (candidate_link(k)) }
                                    td { (need_words(k)) }
                                    td { (gemeenten_words(k)) }
                                    td { @if let Some(w) = &k.woonbehoefte { (w.route.label()) } @else { "—" } }
                                    td { (urgentie_words(k.urgentie)) }
                                    td { (ready_words(k)) }
                                    td.getal { (k.wachtdagen) }
                                    td { (offer_words(k)) }
                                }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.filter-knoppen aria-label="Pagina's kandidaten" {
                    p { "Pagina " (page.min(pages)) " van " (pages) }
                    @if page > 1 { a.knop.knop-secundair href=(query_of(page.min(pages) - 1)) { "Vorige" } " " }
                    @if page < pages { a.knop.knop-secundair href=(query_of(page + 1)) { "Volgende" } }
                }
            }
        }
    };
    Ok(render(
        &st,
        refused.as_ref().map_or(StatusCode::OK, |e| e.status),
        "Woningcorporatie",
        &user,
        &Nav::Corporatie,
        body,
    ))
}

/// Percent-encode the few characters a filter value might hold (keys and `GMdddd` need
/// none; anything else is refused by the filter anyway).
fn urlencoding_min(v: &str) -> String {
    v.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("%{:02X}", u32::from(c) & 0xff)
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// `/corporatie/kandidaten/{id}`

/// The query of the candidate page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CandidateQuery {
    /// A confirmation after a save (`opgeslagen`, `dubbel`).
    pub melding: Option<String>,
}

/// A refused form to show again.
struct Failed<'a> {
    soort: &'a str,
    error: &'a WebError,
    values: &'a Values,
}

async fn read_candidate(
    st: &AppState,
    user: &DemoUser,
    id: &str,
    purpose: &str,
) -> Result<WoonKandidaat, WebError> {
    let corp = corporation_of(user)?;
    let Ok(client) = ClientId::parse(id) else {
        return Err(WebError::not_found(format!("'{id}' is geen cliëntnummer.")));
    };
    let gate = user.gate(purpose);
    let today = st.today();
    st.blocking(move |s| s.woon_kandidaat(&gate, &corp, client, today))
        .await
        .map_err(WebError::from)
}

/// `GET /corporatie/kandidaten/{id}`.
pub(crate) async fn candidate(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    crate::error::Query(q): crate::error::Query<CandidateQuery>,
) -> Result<Response, WebError> {
    let k = read_candidate(&st, &user, &id, "woningcorporatie: kandidaat").await?;
    Ok(candidate_page(&st, &user, &k, q.melding.as_deref(), None))
}

/// `POST /corporatie/kandidaten/{id}`: one of the corporation's forms.
pub(crate) async fn candidate_submit(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let values: Values = pairs.into_iter().collect();
    let soort = text(&values, "soort").to_owned();
    let corp = corporation_of(&user)?;
    // The candidate must be this corporation's (another's, or nobody's: the logged 403).
    let k = read_candidate(&st, &user, &id, "woningcorporatie: formulier").await?;
    let expected = text(&values, "versie").parse::<u32>().ok();
    let key = values.get("sleutel").filter(|k| !k.is_empty()).cloned();
    let result = match event_of(&st, &corp, &k, &soort, &values) {
        Ok((datum, event)) => {
            voordeur::record(&st, &user, k.client, expected, key, datum, event, None).await
        }
        Err(e) => Err(e),
    }
    .map_err(|e| at_field(&soort, e));
    match result {
        Ok(_) if soort == "verhuizing" => {
            Ok(Redirect::to("/corporatie?melding=verhuisd#melding").into_response())
        }
        Ok(r) => Ok(Redirect::to(&format!(
            "/corporatie/kandidaten/{}?melding={}#melding",
            k.client,
            if r.replay { "dubbel" } else { "opgeslagen" }
        ))
        .into_response()),
        Err(e)
            if matches!(
                e.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::BAD_REQUEST
            ) =>
        {
            let k = read_candidate(&st, &user, &id, "woningcorporatie: formulier opnieuw tonen")
                .await?;
            Ok(candidate_page(
                &st,
                &user,
                &k,
                None,
                Some(Failed {
                    soort: &soort,
                    error: &e,
                    values: &values,
                }),
            ))
        }
        Err(e) => Err(e),
    }
}

/// A rule's field as this page's field: the offer an answer, tenancy or move names is a
/// hidden field, so a refusal about it — a step dated before the step it follows, which the
/// store then meets in date order (a tenancy signed before the acceptance: `huur.niet_geaccepteerd`)
/// — goes to the form's date, where the corporation can correct it.
fn at_field(soort: &str, mut e: WebError) -> WebError {
    if matches!(soort, "antwoord" | "huur" | "verhuizing") && e.field.as_deref() == Some("aanbod") {
        e.field = Some("effective_date".into());
    }
    e
}

fn date_field(values: &Values, name: &str, r: &mut Refusals) -> Option<Date> {
    match text(values, name) {
        "" => {
            r.add(name, "Vul een datum in (dag, maand en jaar).");
            None
        }
        s => match Date::parse(s) {
            Ok(d) => Some(d),
            Err(_) => {
                r.add(
                    name,
                    "Dit is geen bestaande datum. Vul dag, maand en jaar in.",
                );
                None
            }
        },
    }
}

/// The fact of form `soort`, or every refused field. The date of the fact is the field
/// `effective_date` (the rules name it so).
fn event_of(
    st: &AppState,
    corp: &str,
    k: &WoonKandidaat,
    soort: &str,
    values: &Values,
) -> Result<(Date, ClientEvent), WebError> {
    let mut r = Refusals::default();
    let datum = date_field(values, "effective_date", &mut r);
    let versie = k.aanbod.as_ref().map(|a| a.versie);
    let no_offer = || {
        WebError::rule(
            "aanbod.onbekend",
            "aanbod",
            "er loopt geen aanbod van uw corporatie voor deze kandidaat",
        )
    };
    let event = match soort {
        "aanbod" => {
            let (_, gemeenten) = werkgebied(st, corp);
            let gemeente = match GemeenteCode::parse(text(values, "gemeente")) {
                Ok(g) if gemeenten.iter().any(|(x, _)| *x == g) => Some(g),
                _ => {
                    r.add("gemeente", "Kies een gemeente uit uw werkgebied.");
                    None
                }
            };
            let woningtype = Woningtype::from_key(text(values, "woningtype"));
            if woningtype.is_none() {
                r.add("woningtype", "Kies een woningtype.");
            }
            let route = WoonRoute::from_key(text(values, "route"));
            if route.is_none() {
                r.add("route", "Kies een route.");
            }
            let reageren_voor = date_field(values, "reageren_voor", &mut r);
            r.check()?;
            ClientEvent::Woningaanbod {
                corporatie: corp.to_owned(),
                gemeente: gemeente.expect("checked"),
                woningtype: woningtype.expect("checked"),
                route: route.expect("checked"),
                reageren_voor: reageren_voor.expect("checked"),
            }
        }
        "antwoord" => {
            let akkoord = match text(values, "akkoord") {
                "ja" => Some(true),
                "nee" => Some(false),
                _ => {
                    r.add(
                        "akkoord",
                        "Kies of de cliënt het aanbod accepteert of weigert.",
                    );
                    None
                }
            };
            let reden = text(values, "reden").trim().to_owned();
            if akkoord == Some(false) && reden.is_empty() {
                r.add("reden", "Vul de reden van de weigering in.");
            }
            r.check()?;
            ClientEvent::AanbodAntwoord {
                aanbod: versie.ok_or_else(no_offer)?,
                akkoord: akkoord.expect("checked"),
                reden,
            }
        }
        "huur" => {
            let ingangsdatum = date_field(values, "ingangsdatum", &mut r);
            r.check()?;
            ClientEvent::Huurovereenkomst {
                aanbod: versie.ok_or_else(no_offer)?,
                ingangsdatum: ingangsdatum.expect("checked"),
            }
        }
        "verhuizing" => {
            r.check()?;
            ClientEvent::Verhuizing {
                aanbod: versie.ok_or_else(no_offer)?,
            }
        }
        _ => {
            return Err(WebError::invalid_field(
                "soort".to_owned(),
                "onbekend formulier".to_owned(),
            ));
        }
    };
    Ok((datum.expect("checked"), event))
}

fn hidden(soort: &str, version: u32) -> Markup {
    html! {
        (crate::users::csrf_field())
        input type="hidden" name="soort" value=(soort);
        input type="hidden" name="versie" value=(version);
        input type="hidden" name="sleutel" value=(voordeur::form_key());
    }
}

fn candidate_page(
    st: &AppState,
    user: &DemoUser,
    k: &WoonKandidaat,
    melding: Option<&str>,
    failed: Option<Failed<'_>>,
) -> Response {
    let today = st.today();
    let corp = corporation_of(user).unwrap_or_default();
    let (_, gemeenten) = werkgebied(st, &corp);
    let failed = failed.as_ref();
    let status = failed.map_or(StatusCode::OK, |f| f.error.status);
    let err_of = |soort: &str| failed.filter(|f| f.soort == soort).map(|f| f.error);
    let value = |soort: &str, name: &str, default: &str| match failed.filter(|f| f.soort == soort) {
        Some(f) => f.values.get(name).cloned().unwrap_or_default(),
        None => default.to_owned(),
    };
    let today_s = today.to_string();
    let pref = k
        .woonbehoefte
        .as_ref()
        .and_then(|w| {
            w.gemeenten
                .iter()
                .find(|g| gemeenten.iter().any(|(x, _)| x == *g))
        })
        .map(ToString::to_string)
        .unwrap_or_default();
    let gemeente_opts: Vec<(String, String)> = gemeenten
        .iter()
        .map(|(g, n)| (g.to_string(), n.clone()))
        .collect();
    let type_opts = options(&Woningtype::ALL, Woningtype::key, Woningtype::label);
    let route_opts = options(&WoonRoute::ALL, WoonRoute::key, WoonRoute::label);
    let need_type = k.woonbehoefte.as_ref().map_or("", |w| w.woningtype.key());
    let need_route = k
        .woonbehoefte
        .as_ref()
        .map_or("regulier", |w| w.route.key());
    let path = format!("/corporatie/kandidaten/{}", k.client);
    let body = html! {
        p { a href="/corporatie" { "← Terug naar de kandidaten" } }
        h1 { "Kandidaat " (k.weergave) }
        @match melding {
            Some("opgeslagen") => { p.melding id="melding" tabindex="-1" autofocus { "Opgeslagen." } }
            Some("dubbel") => { p.melding id="melding" tabindex="-1" autofocus { "Dit formulier was al verwerkt; er is niets dubbel opgeslagen." } }
            _ => {}
        }
        dl.gegevens {
            dt { "Cliëntnummer" } dd { (k.client) }
            dt { "Woonbehoefte" } dd { (need_words(k)) }
            dt { "Voorkeursgemeenten" } dd { (gemeenten_words(k)) }
            dt { "Route" } dd { @if let Some(w) = &k.woonbehoefte { (w.route.label()) } @else { "—" } }
            dt { "Urgentie" } dd { (urgentie_words(k.urgentie)) }
            dt { "Klaar voor uitstroom" } dd { (ready_words(k)) }
            dt { "Dagen wachtend op een woning" } dd { (k.wachtdagen) }
            dt { "Aanbod" } dd { (offer_words(k)) }
            @if let Some(w) = &k.weigering {
                dt { "Reden van weigering" } dd { (w.reden) }
            }
        }
        @match &k.aanbod {
            None if k.aanbod_elders => {
                p { "Een andere corporatie heeft deze kandidaat een woning aangeboden. U kunt pas een woning aanbieden als dat aanbod is afgerond." }
            }
            None => {
                section aria-labelledby="kop-aanbod" {
                    h2 id="kop-aanbod" { "Woning aanbieden" }
                    @let err = err_of("aanbod");
                    (html::error_summary(err, Some("aanbod")))
                    form method="post" action=(path) {
                        (hidden("aanbod", k.versie))
                        (select("aanbod", "gemeente", "Gemeente van de woning", &gemeente_opts, &value("aanbod", "gemeente", &pref), err))
                        (select("aanbod", "woningtype", "Woningtype", &type_opts, &value("aanbod", "woningtype", need_type), err))
                        (select("aanbod", "route", "Route", &route_opts, &value("aanbod", "route", need_route), err))
                        (input("aanbod", "effective_date", "Datum van het aanbod", "date", &value("aanbod", "effective_date", &today_s), err, None))
                        (input("aanbod", "reageren_voor", "Reageren vóór", "date", &value("aanbod", "reageren_voor", &today.add_days(14).to_string()), err, None))
                        button.knop type="submit" { "Woning aanbieden" }
                    }
                }
            }
            Some(a) if a.geaccepteerd.is_none() => {
                section aria-labelledby="kop-antwoord" {
                    h2 id="kop-antwoord" { "Antwoord van de cliënt" }
                    @let err = err_of("antwoord");
                    (html::error_summary(err, Some("antwoord")))
                    form method="post" action=(path) {
                        (hidden("antwoord", k.versie))
                        (select("antwoord", "akkoord", "Antwoord", &[("ja".to_owned(), "Accepteert het aanbod".to_owned()), ("nee".to_owned(), "Weigert het aanbod".to_owned())], &value("antwoord", "akkoord", "ja"), err))
                        (input("antwoord", "reden", "Reden (bij weigering)", "text", &value("antwoord", "reden", ""), err, None))
                        (input("antwoord", "effective_date", "Datum van het antwoord", "date", &value("antwoord", "effective_date", &today_s), err, None))
                        button.knop type="submit" { "Antwoord vastleggen" }
                    }
                }
            }
            Some(a) if a.huur.is_none() => {
                section aria-labelledby="kop-huur" {
                    h2 id="kop-huur" { "Huurovereenkomst getekend" }
                    @let err = err_of("huur");
                    (html::error_summary(err, Some("huur")))
                    form method="post" action=(path) {
                        (hidden("huur", k.versie))
                        (input("huur", "effective_date", "Getekend op", "date", &value("huur", "effective_date", &today_s), err, None))
                        (input("huur", "ingangsdatum", "Ingangsdatum huur", "date", &value("huur", "ingangsdatum", &today_s), err, None))
                        button.knop type="submit" { "Huurovereenkomst vastleggen" }
                    }
                }
            }
            Some(a) if a.verhuisd.is_none() => {
                section aria-labelledby="kop-verhuizing" {
                    h2 id="kop-verhuizing" { "Verhuisd" }
                    @let err = err_of("verhuizing");
                    (html::error_summary(err, Some("verhuizing")))
                    form method="post" action=(path) {
                        (hidden("verhuizing", k.versie))
                        (input("verhuizing", "effective_date", "Verhuisd op", "date", &value("verhuizing", "effective_date", &today_s), err, None))
                        button.knop type="submit" { "Verhuizing vastleggen" }
                    }
                }
            }
            Some(_) => {}
        }
    };
    render(st, status, "Kandidaat", user, &Nav::Corporatie, body)
}
