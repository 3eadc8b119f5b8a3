//! The access team's lists: the ranked candidates for a free place
//! (`/regio/{id}/wachtlijst`) and the worklist of open deadlines (`/werklijst`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use std::collections::HashMap;

use maud::Markup;
use serde::Deserialize;
use vangnet_domain::worklist::{self, WorkItem};
use vangnet_domain::{ClientId, Date, LocationId, ProductCode, RegionProfile};

use crate::error::Query;
use crate::html::Nav;
use crate::voordeur_pages::{
    clerk_profile, clerk_region, hidden_common, not_a_clerk, render, select,
};
use crate::{AppState, WebError, figures, labels};

// ---------------------------------------------------------------------------------------
// Waiting list and placement

/// Query of `/regio/{id}/wachtlijst`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct WachtlijstQuery {
    product: Option<String>,
    locatie: Option<String>,
    melding: Option<String>,
}

/// `GET /regio/{id}/wachtlijst?product=&locatie=`: ranked candidates for a free place.
pub(crate) async fn wachtlijst(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    Path(id): Path<String>,
    Query(q): Query<WachtlijstQuery>,
) -> Result<Response, WebError> {
    let profile = crate::pages::region(&st, &id)?;
    if clerk_region(&user) != Some(&profile.id) {
        return Err(not_a_clerk());
    }
    let today = st.today();
    let product = q
        .product
        .as_deref()
        .and_then(|p| ProductCode::parse(p).ok())
        .filter(|p| profile.product(p).is_some());
    let locatie = q
        .locatie
        .as_deref()
        .and_then(|l| LocationId::parse(l).ok())
        .filter(|l| {
            profile
                .location(l)
                .is_some_and(|x| product.as_ref().is_none_or(|p| x.places.contains_key(p)))
        });
    let gate = user.gate("plaatsing: kandidaten voor een vrije plaats");
    let rid = profile.id.clone();
    let wanted = product.clone();
    // Client states are read (and logged, one row per client) only for the chosen product.
    let data = st
        .blocking(move |s| {
            Ok((
                match &wanted {
                    Some(p) => s.waiting_for(&gate, &rid, p)?,
                    None => Vec::new(),
                },
                s.overview(&rid, today)?,
            ))
        })
        .await;
    let (states, overview) = data?;
    let ranked = match (&product, &locatie) {
        (Some(p), Some(l)) => Some(worklist::candidates(&states, &profile, p, l, today)),
        _ => None,
    };
    let by_id: HashMap<ClientId, &vangnet_domain::ClientState> =
        states.iter().map(|s| (s.client, s)).collect();
    let product_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "kies een product".to_owned()))
            .chain(
                profile
                    .products
                    .iter()
                    .filter(|p| p.valid_on(today) && profile.capacity(&p.code) > 0)
                    .map(|p| (p.code.to_string(), p.name.clone())),
            )
            .collect();
    let loc_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "kies een locatie".to_owned()))
            .chain(
                profile
                    .locations
                    .iter()
                    .filter(|l| product.as_ref().is_none_or(|p| l.places.contains_key(p)))
                    .map(|l| {
                        (
                            l.id.to_string(),
                            format!(
                                "{} — {}",
                                l.name,
                                figures::gemeente_name(&profile, &l.gemeente.to_string())
                            ),
                        )
                    }),
            )
            .collect();
    let waiting_for = |p: &ProductCode| {
        states
            .iter()
            .filter(|s| s.wacht.as_ref().is_some_and(|w| &w.product == p))
            .count()
    };
    let free = match (&product, &locatie) {
        (Some(p), Some(l)) => {
            let places = profile
                .location(l)
                .and_then(|x| x.places.get(p))
                .copied()
                .unwrap_or(0);
            let occupied = overview
                .occupancy
                .iter()
                .find(|(lo, pr, _)| lo == l.as_str() && pr == p.as_str())
                .map_or(0, |o| o.2);
            Some((places, occupied))
        }
        _ => None,
    };
    let norm_days = i64::from(profile.norms.wachttijd_weken) * 7;
    let body = html! {
        h1 { "Wachtlijst en plaatsing — " (profile.name) }
        p.inleiding { "Meldt een aanbieder een vrije plaats, kies dan product en locatie: Vangnet rangschikt de wachtenden op prioriteit, dan eigen gemeente (zo dicht mogelijk bij huis), dan wachttijd. Wachttijdnorm: " (profile.norms.wachttijd_weken) " weken " (labels::herkomst(&profile.norms.herkomst.wachttijd)) "." }
        @if let Some(m) = q.melding.as_deref() {
            div.melding.melding-goed role="status" { p { @if m == "dubbel" { "Dit formulier was al verwerkt; er is niets opnieuw opgeslagen." } @else { "De plaatsing is vastgelegd: de zorg is gestart." } } }
        }
        form.inline method="get" action={ "/regio/" (profile.id) "/wachtlijst" } {
            (select("wl", "product", "Product", &product_opts, product.as_ref().map_or("", |p| p.as_str()), None))
            (select("wl", "locatie", "Locatie met de vrije plaats", &loc_opts, locatie.as_ref().map_or("", |l| l.as_str()), None))
            button.knop.knop-secundair type="submit" { "Kandidaten tonen" }
        }
        @if let Some(p) = &product {
            @let n = waiting_for(p);
            p { (n) @if n == 1 { " wachtende" } @else { " wachtenden" } " voor " (figures::product_name(&profile, p.as_str())) "." }
        }
        @if let Some((places, occupied)) = free {
            p { "Bezetting op deze locatie: " (occupied) " van " (places) " plaatsen" @if occupied < u64::from(places) { " — " strong { (u64::from(places) - occupied) " vrij" } } "." }
        }
        @if let (Some(list), Some(p), Some(l)) = (&ranked, &product, &locatie) {
            @let loc = profile.location(l).expect("checked");
            @if list.is_empty() {
                p { "Niemand wacht op dit product." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-kandidaten" {
                    table id="kandidaten" {
                        caption id="kop-kandidaten" { "Kandidaten voor een plaats " (figures::product_name(&profile, p.as_str())) " op " (loc.name) ", in volgorde" }
                        thead { tr { th.getal scope="col" { "Rang" } th scope="col" { "Cliënt" } th scope="col" { "Waarom hier" } th scope="col" { "Ten opzichte van de norm" } th scope="col" { "Plaatsen" } } }
                        tbody {
                            @for c in list.iter().take(100) {
                                @let s = by_id[&c.client];
                                @let days = s.wacht.as_ref().map_or(0, |w| i64::from(w.sinds.days_until(today)));
                                @let other_provider = s.toewijzing().and_then(|t| t.4).filter(|a| *a != loc.provider);
                                tr {
                                    td.getal { (c.rank) }
                                    th scope="row" { a href={ "/clienten/" (c.client) } { (c.client) } }
                                    td { (c.reden) }
                                    td { @if days > norm_days { span.label.label-fout { (days - norm_days) " dagen boven de norm" } } @else { span.label.label-goed { "binnen de norm" } } }
                                    td {
                                        @if let Some(a) = other_provider {
                                            "toegewezen aan " (profile.provider(a).map_or(a.to_string(), |x| x.name.clone())) "; plaatsen kan alleen daar"
                                        } @else {
                                            form method="post" action={ "/clienten/" (c.client) "/gebeurtenis" } {
                                                (crate::users::csrf_field())
                                                (hidden_common("start_zorg", s.version, None))
                                                input type="hidden" name="product" value=(p);
                                                input type="hidden" name="locatie" value=(l);
                                                input type="hidden" name="terug" value="wachtlijst";
                                                button.knop type="submit" aria-label={ "Plaatsen " (c.client) " op " (loc.name) } { "Plaatsen" }
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
    };
    Ok(render(
        &st,
        StatusCode::OK,
        "Wachtlijst en plaatsing",
        &user,
        &Nav::Region(profile.id.to_string()),
        body,
    ))
}

// ---------------------------------------------------------------------------------------
// Worklist

/// Items shown on the worklist page at most.
const WORKLIST_SHOWN: usize = 300;

/// `GET /werklijst`: every open deadline of the clerk's region, most urgent first.
pub(crate) async fn werklijst(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
) -> Result<Response, WebError> {
    let profile = clerk_profile(&st, &user)?;
    let today = st.today();
    let gate = user.gate("werklijst: termijnen bewaken");
    let rid = profile.id.clone();
    let until = today.add_days(worklist::HORIZON_DAYS);
    // One more than shown, to know whether there are more.
    let rows = st
        .blocking(move |s| s.worklist(&gate, &rid, until, WORKLIST_SHOWN + 1))
        .await?;
    let more = rows.len() > WORKLIST_SHOWN;
    let items: Vec<WorkItem> = rows
        .into_iter()
        .take(WORKLIST_SHOWN)
        .map(|d| WorkItem {
            client: d.client,
            task: d.task,
            due: d.due,
            days_left: today.days_until(d.due),
            detail: d.detail,
        })
        .collect();
    Ok(render(
        &st,
        StatusCode::OK,
        "Werklijst",
        &user,
        &Nav::Werklijst,
        worklist_body(&profile, &items, more, today),
    ))
}

fn worklist_body(profile: &RegionProfile, items: &[WorkItem], more: bool, today: Date) -> Markup {
    let late = items.iter().filter(|i| i.days_left < 0).count();
    html! {
        h1 { "Werklijst — " (profile.name) }
        p.inleiding {
            "Alle termijnen die verlopen zijn of binnen " (worklist::HORIZON_DAYS) " dagen verlopen: beslistermijnen (" (profile.norms.beslistermijn_weken) " weken), einde toewijzing en herindicatie, maximale duur (groepswonen), wachttijd boven de norm (" (profile.norms.wachttijd_weken) " weken). Het meest verlopen eerst. Peildatum " (labels::date(today)) "."
            br; "Beslistermijn " (labels::herkomst(&profile.norms.herkomst.beslistermijn)) "; wachttijdnorm " (labels::herkomst(&profile.norms.herkomst.wachttijd)) "."
        }
        @if more {
            p { "Meer dan " (WORKLIST_SHOWN) " open termijnen; de " (WORKLIST_SHOWN) " meest urgente staan hieronder (" strong { (late) } " daarvan verlopen)." }
        } @else {
            p { strong { (late) } " verlopen, " (items.len() - late) " binnenkort." }
        }
        @if items.is_empty() {
            p { "Er staan geen termijnen open." }
        } @else {
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-werklijst" {
                table id="werklijst" {
                    caption id="kop-werklijst" { "Open termijnen, meest urgent eerst" }
                    thead { tr { th scope="col" { "Cliënt" } th scope="col" { "Taak" } th scope="col" { "Termijn" } th scope="col" { "Status" } th scope="col" { "Toelichting" } } }
                    tbody {
                        @for i in items {
                            tr {
                                th scope="row" { a href={ "/clienten/" (i.client) } { (i.client) } }
                                td { (i.task.label()) }
                                td { time datetime=(i.due.to_string()) { (labels::date(i.due)) } }
                                td {
                                    @if i.days_left < 0 { span.label.label-fout { (-i.days_left) " dagen te laat" } }
                                    @else if i.days_left == 0 { span.label.label-fout { "vandaag" } }
                                    @else { "over " (i.days_left) " dagen" }
                                }
                                td { (i.detail) }
                            }
                        }
                    }
                }
            }
        }
    }
}
