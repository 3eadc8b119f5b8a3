//! HTML handlers: fetch through the store (client data only through the access gate), render
//! with `html`; every failure is a [`WebError`], answered as the Dutch error page.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;
use vangnet_domain::{ClientId, RegionId, RegionProfile, Role};

use crate::figures;
use crate::html::{self, Nav, RegionCard, RegionView};
use crate::users::{DemoUser, LoggedIn, Viewer};
use crate::{AppState, WebError};

const CSS: &str = include_str!("../static/vangnet.css");

fn render(
    st: &AppState,
    status: StatusCode,
    title: &str,
    viewer: Option<&DemoUser>,
    nav: &Nav,
    body: Markup,
) -> Response {
    (
        status,
        Html(html::page(title, viewer, st.store().regions(), nav, body).into_string()),
    )
        .into_response()
}

/// `/`: the regions with their key figures (published figures for anyone without exact rights).
pub(crate) async fn home(
    State(st): State<AppState>,
    Viewer(viewer): Viewer,
) -> Result<Response, WebError> {
    let today = st.today();
    let ids: Vec<RegionId> = st
        .store()
        .regions()
        .all()
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let overviews = st
        .blocking(move |s| {
            ids.iter()
                .map(|id| s.overview(id, today))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    let actor = viewer.as_ref().map(|u| &u.actor);
    let cards: Vec<RegionCard> = st
        .store()
        .regions()
        .all()
        .iter()
        .zip(&overviews)
        .map(|(p, ov)| {
            let threshold = figures::threshold_for(actor, p);
            let table = figures::care_table(p, ov, threshold);
            let (_, waiting) = figures::waiting(p, ov, threshold);
            RegionCard {
                profile: p.clone(),
                in_care: table.grand_total,
                suppressed: threshold.is_some(),
                waiting,
            }
        })
        .collect();
    Ok(render(
        &st,
        StatusCode::OK,
        "Overzicht",
        viewer.as_ref(),
        &Nav::Home,
        maud::html! {
            // feat/portaal (issue 14): the provider's way into its portal.
            @if viewer.as_ref().is_some_and(|u| u.actor.role == Role::Zorgaanbieder) {
                p.melding { a href="/aanbieder" { "Naar uw aanbiedersportaal" } ": uw locaties, voorgestelde kandidaten en cliënten." }
            }
            // feat/corporatie (issue 15): the corporation's way into its candidates.
            @if viewer.as_ref().is_some_and(|u| u.actor.role == Role::Woningcorporatie) {
                p.melding { a href="/corporatie" { "Naar uw uitstroomkandidaten" } ": mensen die klaar zijn om te verhuizen, en uw aanbiedingen." }
            }
            (html::home(viewer.as_ref(), &cards, today))
        },
    ))
}

/// `/regio/{id}`: the overview of one region; the region's own access team also sees the
/// pseudonymous waiting list (through the gate: purpose "wachtlijst beheren").
pub(crate) async fn region_page(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let profile = region(&st, &id)?;
    let today = st.today();
    let threshold = figures::threshold_for(Some(&user.actor), &profile);
    let clerk = user.actor.role == Role::Toegangsmedewerker && threshold.is_none();
    let gate = user.gate("wachtlijst beheren");
    let rid = profile.id.clone();
    let data = st
        .blocking(move |s| {
            let ov = s.overview(&rid, today)?;
            let wl = if clerk {
                Some(s.waitlist(&gate, &rid, 200)?)
            } else {
                None
            };
            Ok((ov, wl))
        })
        .await?;
    let (overview, waitlist) = data;
    let view = RegionView {
        profile: &profile,
        overview: &overview,
        threshold,
        waitlist: waitlist.as_deref(),
        today,
        // feat/plaatsen: a link to the places page for who may see it.
        places_link: crate::plaatsen_pages::may_view(&user.actor, &profile),
    };
    Ok(render(
        &st,
        StatusCode::OK,
        &profile.name,
        Some(&user),
        &Nav::Region(profile.id.to_string()),
        html::region(&view),
    ))
}

/// `/clienten/{id}`: one client's record, through the gate (purpose "dossier inzien"); for
/// the region's own access team with the front-door forms ([`crate::voordeur_pages`]).
pub(crate) async fn client(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    crate::error::Query(q): crate::error::Query<crate::voordeur_pages::ClientQuery>,
) -> Result<Response, WebError> {
    let Ok(client) = ClientId::parse(&id) else {
        return Err(WebError::not_found(format!(
            "'{id}' is geen cliëntnummer (verwacht bijvoorbeeld P00000042)."
        )));
    };
    crate::voordeur_pages::client_page(&st, &user, client, q, None).await
}

/// A download of `tables`: the first as CSV for Dutch Excel, or all as one XLSX workbook.
pub(crate) fn download(name: &str, tables: &[vangnet_tabular::Table], xlsx: bool) -> Response {
    if xlsx {
        (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.xlsx\""),
                ),
            ],
            vangnet_tabular::to_xlsx(tables),
        )
            .into_response()
    } else {
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.csv\""),
                ),
            ],
            tables
                .first()
                .map(vangnet_tabular::to_csv)
                .unwrap_or_default(),
        )
            .into_response()
    }
}

/// `/static/vangnet.css`.
pub(crate) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// `/static/vangnet.svg`.
pub(crate) async fn icon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        html::ICON,
    )
        .into_response()
}

/// Any other path.
pub(crate) async fn not_found() -> WebError {
    WebError::not_found("Deze pagina bestaat niet.").titled("Pagina niet gevonden")
}

/// The region profile named in the path, or the Dutch 404.
pub(crate) fn region(st: &AppState, id: &str) -> Result<RegionProfile, WebError> {
    RegionId::parse(id)
        .ok()
        .and_then(|r| st.store().regions().get(&r).cloned())
        .ok_or_else(|| WebError::not_found(format!("Er is geen regio '{id}'.")))
}
