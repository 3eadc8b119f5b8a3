//! The provider portal (issue 14, feat/portaal): a zorgaanbieder's own locations and the
//! clients allocated to it, nothing else.
//!
//! - `/aanbieder`: its locations in every region (places / occupied / reserved / blocked /
//!   free per product), the candidates proposed to it, its clients (allocated, in care,
//!   temporary stays, open requests with their state and term) and the worklist items that
//!   are its business — read through [`vangnet_store::Store::provider_clients`] (the gate
//!   per client, one access-log row per listed client).
//! - `/aanbieder/locaties/{locatie}`: one of its locations with the clients there; another
//!   provider's location is 403 (nothing read).
//! - `/aanbieder/clienten/{id}`: one client as the provider sees it — the facts with their
//!   iWmo message (WMO301/305/307/315/317/319), its requests with their answers — and the
//!   provider's forms: start zorg, einde zorg with destination, MO nights, temporary stay,
//!   verzoek om toewijzing / wijziging, the answer to a proposal. Every form posts back to
//!   the same path (CSRF, a fresh idempotency key and the version it was rendered from, as
//!   the front door's forms); every error is shown at its field in Dutch with the form kept
//!   filled, nothing written; the store's gate decides each fact by its rights
//!   ([`vangnet_domain::access::FACT_RIGHTS`]) and logs refusals.

use std::collections::HashMap;

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_domain::events::{Bestemming, Wijziging};
use vangnet_domain::region::{Domain, Location, Unit};
use vangnet_domain::state::{ClientState, VerzoekSoort};
use vangnet_domain::worklist::Task;
use vangnet_domain::{
    AgbCode, ClientEvent, ClientId, Date, LocationId, Organisation, ProductCode, RecordedEvent,
    RegionId, RegionProfile, Role,
};
use vangnet_store::ClientRecord;
use vangnet_store::plaatsen::{
    CapaciteitPeriode, CapaciteitSoort, PlaatsMelding, PlaatsStand, Vastlegging,
};

use crate::html::{self, Nav};
use crate::users::{DemoUser, LoggedIn};
use crate::voordeur_pages::{Values, render, text};
use crate::{AppState, WebError, figures, labels, voordeur};

/// The provider the user works for, or the Dutch 403.
fn provider_of(user: &DemoUser) -> Result<AgbCode, WebError> {
    match (&user.actor.role, &user.actor.organisation) {
        (Role::Zorgaanbieder, Organisation::Aanbieder(a)) => Ok(*a),
        _ => Err(WebError::forbidden(
            "Het aanbiedersportaal is er voor zorgaanbieders: hun eigen locaties en cliënten.",
        )),
    }
}

/// Every location of provider `agb`, in every region, with its region's profile.
fn own_locations(st: &AppState, agb: AgbCode) -> Vec<(&RegionProfile, &Location)> {
    st.store()
        .regions()
        .all()
        .iter()
        .flat_map(|p| {
            p.locations
                .iter()
                .filter(move |l| l.provider == agb)
                .map(move |l| (p, l))
        })
        .collect()
}

/// The provider's name (from the first profile that knows it).
fn provider_name(st: &AppState, agb: AgbCode) -> String {
    st.store()
        .regions()
        .all()
        .iter()
        .find_map(|p| p.provider(agb).map(|x| x.name.clone()))
        .unwrap_or_else(|| format!("aanbieder {agb}"))
}

/// Clients per page of a client table.
pub(crate) const PAGE_SIZE: usize = 50;

/// The query of the portal's pages: a confirmation after a save, the page of the clients.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    /// A confirmation after a save (`melding`, `capaciteit`, `dubbel`).
    pub melding: Option<String>,
    /// The page of the client table (1-based; beyond the last: the last).
    pub pagina: Option<String>,
    /// `/aanbieder`: the page of the task table (clients with a task, earliest first).
    pub taken: Option<String>,
    /// `/aanbieder`: the page of the locations (when there are more than
    /// [`LOCATIONS_PER_PAGE`]).
    pub locaties: Option<String>,
}

/// Locations with their places tables per page of `/aanbieder`.
pub(crate) const LOCATIONS_PER_PAGE: usize = 10;

/// The clients on page `pagina` (1-based, clamped) and the page shown, of `n` clients.
/// The page number asked for (1 when absent or not a number).
pub(crate) fn page_number(pagina: Option<&str>) -> usize {
    pagina
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

pub(crate) fn page_of(pagina: Option<&str>, n: usize) -> (std::ops::Range<usize>, usize, usize) {
    page_sized(pagina, n, PAGE_SIZE)
}

/// [`page_of`] with `size` items a page.
fn page_sized(
    pagina: Option<&str>,
    n: usize,
    size: usize,
) -> (std::ops::Range<usize>, usize, usize) {
    let pages = n.div_ceil(size).max(1);
    let page = page_number(pagina).min(pages);
    let start = (page - 1) * size;
    (start..(start + size).min(n), page, pages)
}

/// "Vorige / volgende" under a client table: `base?pagina=N#anchor` (also the wijkteam's
/// list of cases).
pub(crate) fn pager(
    base: &str,
    anchor: &str,
    page: usize,
    pages: usize,
    range: &std::ops::Range<usize>,
    n: usize,
) -> Markup {
    pager_of(
        base,
        ("pagina", "Cliënten"),
        anchor,
        (page, pages),
        range,
        n,
    )
}

/// [`pager`] for the query parameter `param` (e.g. `taken`), the things counted `what`
/// ("Cliënten met een taak").
fn pager_of(
    base: &str,
    (param, what): (&str, &str),
    anchor: &str,
    (page, pages): (usize, usize),
    range: &std::ops::Range<usize>,
    n: usize,
) -> Markup {
    html! {
        @if pages > 1 {
            nav.filter-knoppen aria-label={ "Pagina's: " (what.to_lowercase()) } {
                p { (what) " " (range.start + 1) "–" (range.end) " van " (n) " (pagina " (page) " van " (pages) ")" }
                @if page > 1 { a.knop.knop-secundair rel="prev" href={ (base) "?" (param) "=" (page - 1) "#" (anchor) } { "Vorige" } " " }
                @if page < pages { a.knop.knop-secundair rel="next" href={ (base) "?" (param) "=" (page + 1) "#" (anchor) } { "Volgende" } }
            }
        }
    }
}

fn date_el(d: Date) -> Markup {
    html! { time datetime=(d.to_string()) { (labels::date(d)) } }
}

fn client_link(c: ClientId, name: Option<&str>) -> Markup {
    html! {
        a href={ "/aanbieder/clienten/" (c) } { (name.unwrap_or("(naam onbekend)")) }
        " " span.klein { (c) }
    }
}

/// The iWmo message a fact is (so a later exchange maps 1:1), as its label; other facts
/// keep their own label.
pub(crate) fn iwmo_label(e: &ClientEvent) -> String {
    match e {
        ClientEvent::Toewijzing { .. } => "Toewijzing (iWmo 301)".into(),
        ClientEvent::StartZorg { .. } => "Start zorg (iWmo 305)".into(),
        ClientEvent::EindeZorg { .. } => "Einde zorg (iWmo 307)".into(),
        ClientEvent::VerzoekToewijzing { .. } => "Verzoek om toewijzing (iWmo 315)".into(),
        ClientEvent::VerzoekWijziging { .. } => "Verzoek om wijziging (iWmo 317)".into(),
        ClientEvent::VerzoekAntwoord { uitkomst, .. } => match uitkomst {
            vangnet_domain::events::VerzoekUitkomst::Toegekend => {
                "Antwoord op verzoek: toegekend (iWmo 301)".into()
            }
            _ => "Antwoord op verzoek (iWmo 319)".into(),
        },
        other => other.label().into(),
    }
}

/// The term within which the access team answers a request: the worklist's
/// ([`vangnet_domain::worklist::VERZOEK_TERMIJN_DAGEN`] after the request, or
/// [`vangnet_domain::worklist::ONDERZOEK_TERMIJN_DAGEN`] once "in onderzoek"; aannames).
fn request_term(sinds: Date, in_onderzoek: Option<Date>) -> Date {
    use vangnet_domain::worklist::{ONDERZOEK_TERMIJN_DAGEN, VERZOEK_TERMIJN_DAGEN};
    match in_onderzoek {
        Some(_) => sinds.add_days(ONDERZOEK_TERMIJN_DAGEN),
        None => sinds.add_days(VERZOEK_TERMIJN_DAGEN),
    }
}

/// Places on one location for one product today, from the region's stand of places
/// ([`vangnet_store::Store::place_overview`], feat/plaatsen: the capacity of the day from the
/// profile and the periods entered, occupied, reserved by open proposals, blocked by
/// uitstroomklaar, free).
struct PlaceRow {
    product: ProductCode,
    places: u32,
    occupied: u32,
    reserved: u32,
    blocked: u32,
    free: i64,
}

fn place_rows(l: &Location, stand: &[PlaatsStand]) -> Vec<PlaceRow> {
    l.places
        .keys()
        .map(|product| {
            let st = stand
                .iter()
                .find(|x| x.locatie == l.id && x.product == *product);
            PlaceRow {
                product: product.clone(),
                places: st.map_or(0, |x| x.plaatsen),
                occupied: st.map_or(0, |x| x.bezet),
                reserved: st.map_or(0, |x| x.gereserveerd),
                blocked: st.map_or(0, |x| x.geblokkeerd),
                free: st.map_or(0, |x| x.vrij),
            }
        })
        .collect()
}

/// The places of all the provider's locations together, per region and product (shown
/// above the paged location tables when there are more than [`LOCATIONS_PER_PAGE`]).
fn places_totals(
    locations: &[(&RegionProfile, &Location)],
    overview_of: &HashMap<&RegionId, &Vec<PlaatsStand>>,
) -> Markup {
    // (region, product) → (locations, rows summed), in the order first met.
    let mut sums: Vec<(&RegionProfile, ProductCode, usize, PlaceRow)> = Vec::new();
    for (p, l) in locations {
        let stand = overview_of.get(&p.id).map_or(&[][..], |v| v.as_slice());
        for r in place_rows(l, stand) {
            match sums
                .iter_mut()
                .find(|(q, product, _, _)| q.id == p.id && *product == r.product)
            {
                Some((_, _, n, sum)) => {
                    *n += 1;
                    sum.places += r.places;
                    sum.occupied += r.occupied;
                    sum.reserved += r.reserved;
                    sum.blocked += r.blocked;
                    sum.free += r.free;
                }
                None => sums.push((p, r.product.clone(), 1, r)),
            }
        }
    }
    html! {
        div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-plaatsen-totaal" {
            table id="plaatsen-totaal" {
                caption id="kop-plaatsen-totaal" { "Plaatsen op al uw " (locations.len()) " locaties samen" }
                thead { tr {
                    th scope="col" { "Product" }
                    th scope="col" { "Regio" }
                    th.getal scope="col" { "Locaties" }
                    th.getal scope="col" { "Plaatsen" }
                    th.getal scope="col" { "Bezet" }
                    th.getal scope="col" { "Gereserveerd" }
                    th.getal scope="col" { "Geblokkeerd" }
                    th.getal scope="col" { "Vrij" }
                } }
                tbody {
                    @for (p, product, n, r) in &sums {
                        tr {
                            th scope="row" { (figures::product_name(p, product.as_str())) }
                            td { (p.name) }
                            td.getal { (n) }
                            td.getal { (r.places) }
                            td.getal { (r.occupied) }
                            td.getal { (r.reserved) }
                            td.getal { (r.blocked) }
                            td.getal { (r.free) }
                        }
                    }
                }
            }
        }
    }
}

fn places_table(profile: &RegionProfile, l: &Location, rows: &[PlaceRow], id: &str) -> Markup {
    html! {
        div.tabel-scroll tabindex="0" role="region" aria-labelledby=(id) {
            table {
                caption id=(id) { "Plaatsen op " (l.name) " (" (figures::gemeente_name(profile, &l.gemeente.to_string())) ", " (profile.name) ")" }
                thead { tr {
                    th scope="col" { "Product" }
                    th.getal scope="col" { "Plaatsen" }
                    th.getal scope="col" { "Bezet" }
                    th.getal scope="col" { "Gereserveerd" }
                    th.getal scope="col" { "Geblokkeerd" }
                    th.getal scope="col" { "Vrij" }
                } }
                tbody {
                    @for r in rows {
                        tr {
                            th scope="row" { (figures::product_name(profile, r.product.as_str())) }
                            td.getal { (r.places) }
                            td.getal { (r.occupied) }
                            td.getal { (r.reserved) }
                            td.getal { (r.blocked) }
                            td.getal { (r.free) }
                        }
                    }
                }
            }
        }
    }
}

/// What the provider sees of one client in its list.
fn status_of(s: &ClientState, agb: AgbCode, today: Date) -> String {
    if let Some(z) = s.zorg.as_ref().filter(|z| z.aanbieder == agb) {
        return format!("In zorg sinds {}", labels::date(z.sinds));
    }
    if let Some(t) = s
        .tijdelijk
        .as_ref()
        .filter(|t| t.aanbieder == agb && t.tot >= today)
    {
        return format!(
            "Tijdelijk verblijf {} t/m {}",
            labels::date(t.van),
            labels::date(t.tot)
        );
    }
    if let Some(v) = s.voorstel.as_ref().filter(|v| v.aanbieder == agb) {
        return match v.akkoord {
            Some(d) => format!("Voorstel aanvaard op {}; start zorg volgt", labels::date(d)),
            None => format!("Voorgesteld; reageer vóór {}", labels::date(v.geldig_tot)),
        };
    }
    if s.toewijzing().and_then(|t| t.4) == Some(agb) {
        if s.zorg.is_some() {
            return "Toegewezen; in zorg bij een andere aanbieder".into();
        }
        return "Toegewezen; zorg nog niet gestart".into();
    }
    if s.verzoeken.iter().any(|v| v.aanbieder == agb) {
        return "Verzoek ingediend".into();
    }
    "—".into()
}

use vangnet_store::aanbieder::provider_task;

// ---------------------------------------------------------------------------------------
// `/aanbieder`

/// `GET /aanbieder`: the provider's home.
pub(crate) async fn home(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    crate::error::Query(q): crate::error::Query<PageQuery>,
) -> Result<Response, WebError> {
    let agb = provider_of(&user)?;
    let today = st.today();
    let locations = own_locations(&st, agb);
    let mut region_ids: Vec<RegionId> = locations.iter().map(|(p, _)| p.id.clone()).collect();
    region_ids.dedup();
    let gate = user.gate("aanbiederportaal: eigen cliënten");
    let ids = region_ids.clone();
    let requested = page_number(q.pagina.as_deref());
    let requested_tasks = page_number(q.taken.as_deref());
    let (listed, overviews) = st
        .blocking(move |s| {
            // The page's clients and those needing attention today (every open proposal
            // and request; of the clients with a task within 8 weeks, the page of 50 asked,
            // earliest first: `aanbieder::Shown`), selected by the store on the
            // projection's columns; only they are read and logged.
            let read = |page: usize, tasks: usize| {
                s.provider_clients_at(
                    &gate,
                    agb,
                    None,
                    &vangnet_store::aanbieder::Shown {
                        page: (page - 1) * PAGE_SIZE..page * PAGE_SIZE,
                        attention: Some(today),
                        tasks: (tasks - 1) * PAGE_SIZE..tasks * PAGE_SIZE,
                    },
                )
            };
            let mut listed = read(requested, requested_tasks)?;
            // A page beyond the last: the last page (read again; rare).
            let last = listed.total.div_ceil(PAGE_SIZE).max(1);
            let last_tasks = listed.task_total.div_ceil(PAGE_SIZE).max(1);
            if requested > last || requested_tasks > last_tasks {
                listed = read(requested.min(last), requested_tasks.min(last_tasks))?;
            }
            let ovs = ids
                .iter()
                .map(|r| s.place_overview(r, today))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((listed, ovs))
        })
        .await?;
    let overview_of: HashMap<&RegionId, &Vec<PlaatsStand>> =
        region_ids.iter().zip(&overviews).collect();
    let regions = st.store().regions();
    let profile_of = |s: &ClientState| regions.get(&s.regio);
    let total = listed.total;
    let (range, page, pages) = page_of(q.pagina.as_deref(), total);
    let (task_range, task_page, task_pages) = page_of(q.taken.as_deref(), listed.task_total);
    let task_clients: Vec<ClientId> = listed.tasks.iter().map(|(_, c)| *c).collect();
    let (loc_range, loc_page, loc_pages) =
        page_sized(q.locaties.as_deref(), locations.len(), LOCATIONS_PER_PAGE);
    let page_clients: Vec<(ClientState, Option<String>)> = listed
        .shown
        .iter()
        .filter(|(i, _, _)| range.contains(i))
        .map(|(_, s, n)| (s.clone(), n.clone()))
        .collect();
    let clients: Vec<(ClientState, Option<String>)> =
        listed.shown.into_iter().map(|(_, s, n)| (s, n)).collect();

    let voorstellen: Vec<_> = clients
        .iter()
        .filter_map(|(s, n)| {
            s.voorstel
                .as_ref()
                .filter(|v| v.aanbieder == agb && v.akkoord.is_none() && v.geldig_tot >= today)
                .map(|v| (s, n, v))
        })
        .collect();
    let verzoeken: Vec<_> = clients
        .iter()
        .flat_map(|(s, n)| {
            s.verzoeken
                .iter()
                .filter(|v| v.aanbieder == agb)
                .map(move |v| (s, n, v))
        })
        .collect();
    let mut taken: Vec<(Date, Task, String, &ClientState, Option<&str>)> = Vec::new();
    for (s, n) in clients
        .iter()
        .filter(|(s, _)| task_clients.contains(&s.client))
    {
        if let Some(p) = profile_of(s) {
            for (task, due, detail) in vangnet_domain::worklist::deadlines_of(s, p) {
                if provider_task(task) && due <= today.add_days(56) {
                    taken.push((due, task, detail, s, n.as_deref()));
                }
            }
        }
    }
    taken.sort_by(|a, b| a.0.cmp(&b.0).then(a.3.client.cmp(&b.3.client)));

    let body = html! {
        h1 { "Aanbiedersportaal — " (provider_name(&st, agb)) }
        p.inleiding {
            "Uw locaties, de kandidaten die de toegang u voorstelt, uw cliënten en wat er voor u klaarligt. Peildatum " (date_el(today)) ". "
            "U ziet alleen cliënten die aan u zijn toegewezen, bij u in zorg zijn of aan u zijn voorgesteld; elke inzage wordt vastgelegd."
        }
        section aria-labelledby="kop-locaties" {
            h2 id="kop-locaties" { "Uw locaties" }
            @if locations.is_empty() {
                p { "Er staan geen locaties van u in de regioprofielen." }
            }
            @if locations.len() > LOCATIONS_PER_PAGE {
                (places_totals(&locations, &overview_of))
            }
            @for (i, (p, l)) in locations.iter().enumerate().skip(loc_range.start).take(loc_range.len()) {
                h3 { a href={ "/aanbieder/locaties/" (l.id) } { (l.name) } }
                (places_table(p, l, &place_rows(l, overview_of.get(&p.id).map_or(&[][..], |v| v.as_slice())), &format!("kop-plaatsen-{i}")))
            }
            (pager_of("/aanbieder", ("locaties", "Locaties"), "kop-locaties", (loc_page, loc_pages), &loc_range, locations.len()))
            p.klein { "Plaatsen: de capaciteit van vandaag (profiel en ingevoerde perioden). Bezet: in zorg of tijdelijk verblijf. Gereserveerd: een kandidaat is voorgesteld en nog niet gestart. Geblokkeerd: in zorg, maar alleen nog wachtend op een woning (uitstroomklaar). Vrij = plaatsen − bezet − gereserveerd (negatief bij overbezetting)." }
        }
        section aria-labelledby="kop-voorstellen" {
            h2 id="kop-voorstellen" { "Voorgestelde kandidaten" }
            @if voorstellen.is_empty() {
                p { "Geen voorstellen." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-voorstellen-tabel" {
                    table id="voorstellen" {
                        caption id="kop-voorstellen-tabel" { "Voorstellen die op uw antwoord wachten (" (voorstellen.len()) ")" }
                        thead { tr { th scope="col" { "Cliënt" } th scope="col" { "Product" } th scope="col" { "Locatie" } th scope="col" { "Voorgesteld op" } th scope="col" { "Reageer vóór" } } }
                        tbody {
                            @for (s, n, v) in &voorstellen {
                                @let p = profile_of(s);
                                tr {
                                    th scope="row" { (client_link(s.client, n.as_deref())) }
                                    td { (p.map_or(v.product.to_string(), |p| figures::product_name(p, v.product.as_str()))) }
                                    td { (p.and_then(|p| p.location(&v.locatie)).map_or(v.locatie.to_string(), |l| l.name.clone())) }
                                    td { (date_el(v.sinds)) }
                                    td { (date_el(v.geldig_tot)) }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="kop-clienten" {
            h2 id="kop-clienten" { "Uw cliënten" }
            @if total == 0 {
                p { "Geen cliënten: er is niemand aan u toegewezen of bij u in zorg." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-clienten-tabel" {
                    table id="clienten" {
                        caption id="kop-clienten-tabel" { "Cliënten van " (provider_name(&st, agb)) " (" (total) ")" }
                        thead { tr { th scope="col" { "Cliënt" } th scope="col" { "Stand" } th scope="col" { "Product" } th scope="col" { "Locatie" } th scope="col" { "Toewijzing t/m" } } }
                        tbody {
                            @for (s, n) in &page_clients {
                                @let p = profile_of(s);
                                @let product = s.zorg.as_ref().map(|z| z.product.clone()).or_else(|| s.toewijzing().map(|t| t.0.clone()));
                                @let locatie = s.zorg.as_ref().map(|z| z.locatie.clone()).or_else(|| s.tijdelijk.as_ref().filter(|t| t.aanbieder == agb).map(|t| t.locatie.clone()));
                                tr {
                                    th scope="row" { (client_link(s.client, n.as_deref())) }
                                    td { (status_of(s, agb, today)) }
                                    td { @if let (Some(pr), Some(p)) = (&product, p) { (figures::product_name(p, pr.as_str())) } @else { "—" } }
                                    td { @if let (Some(l), Some(p)) = (&locatie, p) { (p.location(l).map_or(l.to_string(), |x| x.name.clone())) } @else { "—" } }
                                    td { @if let Some(t) = s.toewijzing() { (date_el(t.2)) } @else { "—" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        (pager("/aanbieder", "kop-clienten", page, pages, &range, total))
        section aria-labelledby="kop-verzoeken" {
            h2 id="kop-verzoeken" { "Uw openstaande verzoeken" }
            @if verzoeken.is_empty() {
                p { "Geen openstaande verzoeken." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-verzoeken-tabel" {
                    table id="verzoeken" {
                        caption id="kop-verzoeken-tabel" { "Verzoeken om toewijzing en wijziging die nog niet zijn afgehandeld (" (verzoeken.len()) ")" }
                        thead { tr { th scope="col" { "Cliënt" } th scope="col" { "Verzoek" } th scope="col" { "Ingediend" } th scope="col" { "Stand" } th scope="col" { "Termijn" } } }
                        tbody {
                            @for (s, n, v) in &verzoeken {
                                @let term = Some(request_term(v.sinds, v.in_onderzoek));
                                tr {
                                    th scope="row" { (client_link(s.client, n.as_deref())) }
                                    td { (request_kind(profile_of(s), &v.soort)) }
                                    td { (date_el(v.sinds)) }
                                    td { @match v.in_onderzoek { Some(d) => { "in onderzoek sinds " (labels::date(d)) }, None => "open" } }
                                    td {
                                        @if let Some(t) = term {
                                            (date_el(t))
                                            @if t < today { " " span.label.label-fout { "termijn verstreken" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="kop-werk" {
            h2 id="kop-werk" { "Wat er voor u klaarligt" }
            @if taken.is_empty() {
                p { "Geen taken in de komende acht weken." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-werk-tabel" {
                    table id="taken" {
                        caption id="kop-werk-tabel" {
                            "Taken voor uw cliënten, tot acht weken vooruit (" (taken.len()) ")"
                            @if task_pages > 1 { ": cliënten " (task_range.start + 1) "–" (task_range.end) " van " (listed.task_total) " met een taak, vroegste eerst" }
                        }
                        thead { tr { th scope="col" { "Uiterlijk" } th scope="col" { "Taak" } th scope="col" { "Cliënt" } th scope="col" { "Toelichting" } } }
                        tbody {
                            @for (due, task, detail, s, n) in &taken {
                                tr {
                                    td { (date_el(*due)) @if *due < today { " " span.label.label-fout { "te laat" } } }
                                    td { (task.label()) }
                                    th scope="row" { (client_link(s.client, *n)) }
                                    td { (detail) }
                                }
                            }
                        }
                    }
                }
            }
            (pager_of("/aanbieder", ("taken", "Cliënten met een taak"), "kop-werk", (task_page, task_pages), &task_range, listed.task_total))
        }
    };
    Ok(render(
        &st,
        StatusCode::OK,
        "Aanbiedersportaal",
        &user,
        &Nav::None,
        body,
    ))
}

/// A product's name in `profile` (its code when the profile does not know it).
fn product_words(profile: Option<&RegionProfile>, product: &ProductCode) -> String {
    profile.map_or_else(
        || product.to_string(),
        |p| figures::product_name(p, product.as_str()),
    )
}

fn request_kind(profile: Option<&RegionProfile>, v: &VerzoekSoort) -> String {
    match v {
        VerzoekSoort::Toewijzing { product, .. } => {
            format!(
                "Verzoek om toewijzing (iWmo 315): {}",
                product_words(profile, product)
            )
        }
        VerzoekSoort::Wijziging { wijziging } => {
            format!(
                "Verzoek om wijziging (iWmo 317): {}",
                wijziging_words(profile, wijziging)
            )
        }
    }
}

fn wijziging_words(profile: Option<&RegionProfile>, w: &Wijziging) -> String {
    match w {
        Wijziging::Verlenging { nieuw_einde } => {
            format!("verlenging tot {}", labels::date(*nieuw_einde))
        }
        Wijziging::Opschalen { product, .. } => {
            format!("opschalen naar {}", product_words(profile, product))
        }
        Wijziging::Afschalen { product, .. } => {
            format!("afschalen naar {}", product_words(profile, product))
        }
        Wijziging::Doorstroom { product, .. } => {
            format!("doorstroom naar {}", product_words(profile, product))
        }
    }
}

// ---------------------------------------------------------------------------------------
// `/aanbieder/locaties/{locatie}`

/// The location in the path if it is the provider's own: its profile and location; 404 for
/// an unknown one, 403 for another provider's (nothing read).
fn own_location(
    st: &AppState,
    agb: AgbCode,
    id: &str,
) -> Result<(RegionProfile, Location), WebError> {
    let not_found = || WebError::not_found(format!("Er is geen locatie '{id}'."));
    let lid = LocationId::parse(id).map_err(|_| not_found())?;
    let (profile, loc) = st
        .store()
        .regions()
        .all()
        .iter()
        .find_map(|p| p.location(&lid).map(|l| (p.clone(), l.clone())))
        .ok_or_else(not_found)?;
    if loc.provider != agb {
        return Err(WebError::forbidden(
            "Deze locatie is van een andere aanbieder. U ziet alleen uw eigen locaties.",
        ));
    }
    Ok((profile, loc))
}

/// `GET /aanbieder/locaties/{locatie}`: one of the provider's locations with its clients,
/// its capacity periods and free-place reports, and the forms to report a free place and to
/// record a capacity change.
pub(crate) async fn location(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    crate::error::Query(q): crate::error::Query<PageQuery>,
) -> Result<Response, WebError> {
    location_page(&st, &user, &id, &q, None).await
}

/// `POST /aanbieder/locaties/{locatie}`: a free-place report (`soort=melding`) or a capacity
/// change (`soort=capaciteit`), decided and logged by the store.
pub(crate) async fn location_submit(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let agb = provider_of(&user)?;
    // Whose location first (another provider's: 403 whatever was posted); a body that is no
    // form is answered like an empty form (every field refused).
    let (profile, loc) = own_location(&st, agb, &id)?;
    let values: Values = form
        .map(|Form(p)| p)
        .unwrap_or_default()
        .into_iter()
        .collect();
    let soort = text(&values, "soort").to_owned();
    let mut r = Refusals::default();
    let product = text(&values, "product");
    let product = match ProductCode::parse(product)
        .ok()
        .filter(|p| loc.places.contains_key(p))
    {
        Some(p) => Some(p),
        None => {
            r.add("product", format!("Kies een product van {}.", loc.name));
            None
        }
    };
    let gate = user.gate("aanbiederportaal: plaatsen van eigen locatie");
    let region = profile.id.clone();
    let result = match soort.as_str() {
        "melding" => {
            let datum = date_field(&values, "datum", &mut r, true);
            let aantal = match text(&values, "aantal").parse::<u32>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    r.add(
                        "aantal",
                        "Vul het aantal vrije plaatsen in: een getal van 1 of meer.",
                    );
                    None
                }
            };
            match r.check() {
                Err(e) => Err(e),
                Ok(()) => {
                    let m = PlaatsMelding {
                        locatie: loc.id.clone(),
                        product: product.expect("checked"),
                        datum: datum.expect("checked"),
                        aantal: aantal.expect("checked"),
                        toelichting: text(&values, "toelichting").to_owned(),
                    };
                    st.blocking(move |s| s.report_free_place(&gate, &region, &m))
                        .await
                        .map_err(WebError::from)
                }
            }
        }
        "capaciteit" => {
            let kind = CapaciteitSoort::parse(text(&values, "capaciteit_soort"));
            if kind.is_none() {
                r.add("capaciteit_soort", "Kies wat voor wijziging het is.");
            }
            let vanaf = date_field(&values, "vanaf", &mut r, true);
            let tot = date_field(&values, "tot", &mut r, false);
            let plaatsen = match text(&values, "plaatsen").parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    r.add(
                        "plaatsen",
                        "Vul het aantal plaatsen vanaf die datum in: een getal van 0 of meer.",
                    );
                    None
                }
            };
            match r.check() {
                Err(e) => Err(e),
                Ok(()) => {
                    let p = CapaciteitPeriode {
                        locatie: loc.id.clone(),
                        product: product.expect("checked"),
                        vanaf: vanaf.expect("checked"),
                        tot,
                        plaatsen: plaatsen.expect("checked"),
                        soort: kind.expect("checked"),
                        reden: text(&values, "reden").to_owned(),
                    };
                    st.blocking(move |s| s.record_capacity(&gate, &region, &p))
                        .await
                        .map_err(WebError::from)
                }
            }
        }
        other => Err(WebError::invalid_field(
            "soort",
            format!("Onbekend formulier '{other}'."),
        )),
    };
    match result {
        Ok(v) => Ok(Redirect::to(&format!(
            "/aanbieder/locaties/{}?melding={}#melding",
            loc.id,
            match (v, soort.as_str()) {
                (Vastlegging::AlVastgelegd, _) => "dubbel",
                (_, "melding") => "melding",
                _ => "capaciteit",
            }
        ))
        .into_response()),
        Err(e)
            if matches!(
                e.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::BAD_REQUEST
            ) =>
        {
            location_page(
                &st,
                &user,
                &id,
                &PageQuery::default(),
                Some(Failed {
                    soort: &soort,
                    error: &e,
                    values: &values,
                }),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

async fn location_page(
    st: &AppState,
    user: &DemoUser,
    id: &str,
    q: &PageQuery,
    failed: Option<Failed<'_>>,
) -> Result<Response, WebError> {
    let melding = q.melding.as_deref();
    let agb = provider_of(user)?;
    let (profile, loc) = own_location(st, agb, id)?;
    let today = st.today();
    let gate = user.gate("aanbiederportaal: cliënten op eigen locatie");
    let region = profile.id.clone();
    let lid = loc.id.clone();
    let l2 = lid.clone();
    let pagina = q.pagina.clone();
    let (listed, stand, periods, reports) = st
        .blocking(move |s| {
            let first = page_number(pagina.as_deref());
            let read = |page: usize| {
                s.provider_clients_at(
                    &gate,
                    agb,
                    Some(&l2),
                    &vangnet_store::aanbieder::Shown::page(
                        (page - 1) * PAGE_SIZE..page * PAGE_SIZE,
                    ),
                )
            };
            let mut c = read(first)?;
            let last = c.total.div_ceil(PAGE_SIZE).max(1);
            if first > last {
                c = read(last)?;
            }
            let stand = s.place_overview(&region, today)?;
            let periods = s.capacity_periods(&region)?;
            let reports = s.free_place_reports(&region)?;
            Ok((c, stand, periods, reports))
        })
        .await?;
    let periods: Vec<_> = periods
        .into_iter()
        .filter(|p| p.periode.locatie == lid)
        .collect();
    let reports: Vec<_> = reports
        .into_iter()
        .filter(|m| m.melding.locatie == lid)
        .collect();
    let rows = place_rows(&loc, &stand);
    let total = listed.total;
    let (range, page, pages) = page_of(q.pagina.as_deref(), total);
    let page_clients: Vec<(ClientState, Option<String>)> = listed
        .shown
        .into_iter()
        .filter(|(i, _, _)| range.contains(i))
        .map(|(_, s, n)| (s, n))
        .collect();
    let failed = failed.as_ref();
    let status = failed.map_or(StatusCode::OK, |f| f.error.status);
    let e = |soort: &str| failed_for(failed, soort);
    let v = |soort: &str, name: &str, default: &str| value(failed, soort, name, default);
    let today_s = today.to_string();
    let products: Vec<(String, String)> =
        std::iter::once((String::new(), "— kies een product —".to_owned()))
            .chain(
                loc.places
                    .keys()
                    .map(|p| (p.to_string(), figures::product_name(&profile, p.as_str()))),
            )
            .collect();
    let body = html! {
        p.kruimelpad { a href="/aanbieder" { "Aanbiedersportaal" } " › " (loc.name) }
        @if let Some(m) = melding {
            div.melding.melding-goed id="melding" role="status" tabindex="-1" autofocus {
                p { @match m {
                    "melding" => "De vrije plaats is gemeld; de toegang ziet de melding bij de vrije plaatsen.",
                    "capaciteit" => "De wijziging van de capaciteit is vastgelegd.",
                    _ => "Dit formulier was al verwerkt; er is niets opnieuw opgeslagen.",
                } }
            }
        }
        h1 { (loc.name) }
        p.inleiding { (figures::gemeente_name(&profile, &loc.gemeente.to_string())) ", " (profile.name) ". Peildatum " (date_el(today)) "." }
        (places_table(&profile, &loc, &rows, "kop-plaatsen"))
        section aria-labelledby="kop-clienten" {
            h2 id="kop-clienten" { "Cliënten op deze locatie" }
            @if total == 0 {
                p { "Geen cliënten op deze locatie." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-hier-tabel" {
                    table id="clienten-locatie" {
                        caption id="kop-hier-tabel" { "In zorg, voorgesteld of tijdelijk op " (loc.name) " (" (total) ")" }
                        thead { tr { th scope="col" { "Cliënt" } th scope="col" { "Stand" } th scope="col" { "Product" } } }
                        tbody {
                            @for (s, n) in &page_clients {
                                @let product = s.zorg.as_ref().filter(|z| z.locatie == lid).map(|z| z.product.clone())
                                    .or_else(|| s.voorstel.as_ref().filter(|v| v.locatie == lid).map(|v| v.product.clone()))
                                    .or_else(|| s.tijdelijk.as_ref().filter(|t| t.locatie == lid).map(|t| t.product.clone()));
                                tr {
                                    th scope="row" { (client_link(s.client, n.as_deref())) }
                                    td { (status_of(s, agb, today)) }
                                    td { @if let Some(p) = product { (figures::product_name(&profile, p.as_str())) } @else { "—" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        (pager(&format!("/aanbieder/locaties/{}", loc.id), "kop-clienten", page, pages, &range, total))
        section aria-labelledby="kop-melden" id="vrije-plaats" {
            h2 id="kop-melden" { "Vrije plaats melden" }
            form.formulier method="post" action={ "/aanbieder/locaties/" (loc.id) } novalidate {
                (crate::users::csrf_field())
                input type="hidden" name="soort" value="melding";
                (summary(e("melding"), "melding"))
                (select("melding", "product", "Product", &products, &v("melding", "product", ""), e("melding")))
                (input("melding", "datum", "Vrij vanaf", "date", &v("melding", "datum", &today_s), e("melding"), None))
                (input("melding", "aantal", "Aantal vrije plaatsen", "number", &v("melding", "aantal", "1"), e("melding"), None))
                (input("melding", "toelichting", "Toelichting (optioneel)", "text", &v("melding", "toelichting", ""), e("melding"), None))
                button.knop type="submit" { "Vrije plaats melden" }
            }
            @if !reports.is_empty() {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-meldingen" {
                    table id="meldingen" {
                        caption id="kop-meldingen" { "Gemelde vrije plaatsen" }
                        thead { tr { th scope="col" { "Vanaf" } th scope="col" { "Product" } th.getal scope="col" { "Aantal" } th scope="col" { "Toelichting" } } }
                        tbody {
                            @for m in &reports {
                                tr {
                                    td { (date_el(m.melding.datum)) }
                                    td { (figures::product_name(&profile, m.melding.product.as_str())) }
                                    td.getal { (m.melding.aantal) }
                                    td { (m.melding.toelichting) }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="kop-capaciteit" id="capaciteit" {
            h2 id="kop-capaciteit" { "Capaciteit wijzigen" }
            p { "Een wijziging geldt vanaf de ingangsdatum; een tijdelijke wijziging heeft een einddatum. Perioden mogen elkaar niet overlappen." }
            form.formulier method="post" action={ "/aanbieder/locaties/" (loc.id) } novalidate {
                (crate::users::csrf_field())
                input type="hidden" name="soort" value="capaciteit";
                (summary(e("capaciteit"), "capaciteit"))
                (select("capaciteit", "product", "Product", &products, &v("capaciteit", "product", ""), e("capaciteit")))
                (select("capaciteit", "capaciteit_soort", "Soort wijziging", &std::iter::once((String::new(), "— kies —".to_owned())).chain(CapaciteitSoort::ALL.iter().map(|k| (k.key().to_owned(), k.label().to_owned()))).collect::<Vec<_>>(), &v("capaciteit", "capaciteit_soort", ""), e("capaciteit")))
                (input("capaciteit", "plaatsen", "Aantal plaatsen vanaf de ingangsdatum", "number", &v("capaciteit", "plaatsen", ""), e("capaciteit"), None))
                (input("capaciteit", "vanaf", "Ingangsdatum", "date", &v("capaciteit", "vanaf", &today_s), e("capaciteit"), None))
                (input("capaciteit", "tot", "Einddatum (alleen bij een tijdelijke wijziging)", "date", &v("capaciteit", "tot", ""), e("capaciteit"), None))
                (input("capaciteit", "reden", "Reden", "text", &v("capaciteit", "reden", ""), e("capaciteit"), None))
                button.knop type="submit" { "Wijziging vastleggen" }
            }
            @if !periods.is_empty() {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-perioden" {
                    table id="perioden" {
                        caption id="kop-perioden" { "Ingevoerde capaciteitsperioden" }
                        thead { tr { th scope="col" { "Product" } th scope="col" { "Periode" } th.getal scope="col" { "Plaatsen" } th scope="col" { "Soort" } th scope="col" { "Reden" } } }
                        tbody {
                            @for p in &periods {
                                tr {
                                    td { (figures::product_name(&profile, p.periode.product.as_str())) }
                                    td { (vangnet_domain::plaatsen::periode_label(p.periode.vanaf, p.periode.tot)) }
                                    td.getal { (p.periode.plaatsen) }
                                    td { (p.periode.soort.label()) }
                                    td { (p.periode.reden) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(render(st, status, &loc.name, user, &Nav::None, body))
}

// ---------------------------------------------------------------------------------------
// `/aanbieder/clienten/{id}`

/// The query of the provider's client page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ClientQuery {
    /// A confirmation after a save (`opgeslagen`, `dubbel`).
    pub melding: Option<String>,
}

/// A refused form to show again: which form, the error and what was typed.
struct Failed<'a> {
    soort: &'a str,
    error: &'a WebError,
    values: &'a Values,
}

/// `GET /aanbieder/clienten/{id}`.
pub(crate) async fn client(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    crate::error::Query(q): crate::error::Query<ClientQuery>,
) -> Result<Response, WebError> {
    let (rec, profile) =
        crate::voordeur_pages::record_or_error(&st, &user, &id, "aanbiederportaal: cliënt").await?;
    Ok(client_page(
        &st,
        &user,
        &rec,
        &profile,
        q.melding.as_deref(),
        None,
    ))
}

/// `POST /aanbieder/clienten/{id}`: one of the provider's forms.
pub(crate) async fn client_submit(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let values: Values = pairs.into_iter().collect();
    let soort = text(&values, "soort").to_owned();
    let today = st.today();
    let (rec, profile) =
        crate::voordeur_pages::record_or_error(&st, &user, &id, "aanbiederportaal: formulier")
            .await?;
    let client = rec.state.client;
    let expected = text(&values, "versie").parse::<u32>().ok();
    let key = values.get("sleutel").filter(|k| !k.is_empty()).cloned();
    let result = match event_of(&user, &profile, &rec, &soort, &values, today) {
        Ok((datum, event)) => {
            voordeur::record(&st, &user, client, expected, key, datum, event, None).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(Redirect::to(&format!(
            "/aanbieder/clienten/{client}?melding={}#melding",
            if r.replay { "dubbel" } else { "opgeslagen" }
        ))
        .into_response()),
        Err(e)
            if matches!(
                e.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::BAD_REQUEST
            ) =>
        {
            // Shown again in its form, with what was typed; the record as it is now.
            let (rec, profile) = crate::voordeur_pages::record_or_error(
                &st,
                &user,
                &id,
                "aanbiederportaal: formulier opnieuw tonen",
            )
            .await?;
            Ok(client_page(
                &st,
                &user,
                &rec,
                &profile,
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

/// Collects every refused field of a form, so all are shown at once.
#[derive(Default)]
pub(crate) struct Refusals(Option<WebError>);

impl Refusals {
    pub(crate) fn add(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        self.0 = Some(match self.0.take() {
            None => WebError::invalid_field(field.to_owned(), message),
            Some(e) => e.also(field, message),
        });
    }
    pub(crate) fn check(self) -> Result<(), WebError> {
        self.0.map_or(Ok(()), Err)
    }
}

fn date_field(values: &Values, name: &str, r: &mut Refusals, required: bool) -> Option<Date> {
    match text(values, name) {
        "" => {
            if required {
                r.add(name, "Vul een datum in (dag, maand en jaar).");
            }
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

fn nights_field(values: &Values, name: &str, r: &mut Refusals, max: u32) -> Option<u16> {
    match text(values, name).parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => u16::try_from(n).ok(),
        Ok(n) if n > max => {
            r.add(name, format!("{n} nachten is te veel: ten hoogste {max}."));
            None
        }
        _ => {
            r.add(
                name,
                format!("Vul het aantal nachten in: een getal van 1 tot en met {max}."),
            );
            None
        }
    }
}

fn product_field(
    profile: &RegionProfile,
    values: &Values,
    name: &str,
    r: &mut Refusals,
) -> Option<ProductCode> {
    let t = text(values, name);
    if t.is_empty() {
        r.add(name, "Kies een product.");
        return None;
    }
    match ProductCode::parse(t)
        .ok()
        .filter(|p| profile.product(p).is_some())
    {
        Some(p) => Some(p),
        None => {
            r.add(
                name,
                format!(
                    "Dit product staat niet in de catalogus van {}.",
                    profile.name
                ),
            );
            None
        }
    }
}

/// A location of the provider's own in this region (the forms offer only those).
fn own_location_field(
    profile: &RegionProfile,
    agb: Option<AgbCode>,
    values: &Values,
    name: &str,
    r: &mut Refusals,
    required: bool,
) -> Option<LocationId> {
    let t = text(values, name);
    if t.is_empty() {
        if required {
            r.add(name, "Kies een locatie.");
        }
        return None;
    }
    match LocationId::parse(t).ok().and_then(|l| profile.location(&l)) {
        Some(l) if agb.is_none_or(|a| a == l.provider) => Some(l.id.clone()),
        Some(_) => {
            r.add(
                name,
                "Deze locatie is van een andere aanbieder; kies een van uw eigen locaties.",
            );
            None
        }
        None => {
            r.add(
                name,
                format!("Deze locatie is onbekend in {}.", profile.name),
            );
            None
        }
    }
}

fn reason_field(values: &Values, name: &str, r: &mut Refusals, what: &str) -> String {
    let t = text(values, name);
    if t.is_empty() {
        r.add(name, format!("Vul {what} in."));
    }
    t.to_owned()
}

/// Build the fact a provider's form stands for; every refused field at once.
fn event_of(
    user: &DemoUser,
    profile: &RegionProfile,
    rec: &ClientRecord,
    soort: &str,
    values: &Values,
    today: Date,
) -> Result<(Date, ClientEvent), WebError> {
    let s = &rec.state;
    let agb = provider_of(user).ok();
    let mut r = Refusals::default();
    let out = match soort {
        "start_zorg" => {
            let datum = date_field(values, "datum", &mut r, true);
            let product = s
                .voorstel
                .as_ref()
                .filter(|v| Some(v.aanbieder) == agb && v.akkoord.is_some())
                .map(|v| v.product.clone())
                .or_else(|| s.toewijzing().map(|t| t.0.clone()));
            if product.is_none() {
                r.add(
                    "locatie",
                    "Deze cliënt heeft geen toewijzing en geen aanvaard voorstel; zorg kan pas starten na een besluit.",
                );
            }
            let locatie = own_location_field(profile, agb, values, "locatie", &mut r, true);
            r.check()?;
            let (Some(datum), Some(product), Some(locatie)) = (datum, product, locatie) else {
                unreachable!("checked above");
            };
            (
                datum,
                ClientEvent::StartZorg {
                    product,
                    locatie,
                    overbezetting: None,
                },
            )
        }
        "einde_zorg" => {
            let datum = date_field(values, "datum", &mut r, true);
            let bestemming = Bestemming::ALL
                .into_iter()
                .find(|b| crate::voordeur_pages::key_of(*b) == text(values, "bestemming"));
            if bestemming.is_none() {
                r.add("bestemming", "Kies waar de cliënt naartoe gaat.");
            }
            r.check()?;
            (
                datum.expect("checked"),
                ClientEvent::EindeZorg {
                    bestemming: bestemming.expect("checked"),
                    woning: None,
                },
            )
        }
        "mo_overnachting" => {
            let product = product_field(profile, values, "product", &mut r);
            if let Some(p) = product.as_ref().and_then(|p| profile.product(p))
                && (p.domain != Domain::Mo || p.unit != Unit::Nacht)
            {
                r.add("product", format!("{} is geen nachtopvang.", p.name));
            }
            let locatie = own_location_field(profile, agb, values, "locatie", &mut r, true);
            let eerste = date_field(values, "eerste_nacht", &mut r, true);
            if eerste.is_some_and(|d| d > today) {
                r.add("eerste_nacht", "Een overnachting ligt niet in de toekomst.");
            }
            let nachten = nights_field(values, "nachten", &mut r, 366);
            r.check()?;
            (
                eerste.expect("checked"),
                ClientEvent::MoOvernachting {
                    product: product.expect("checked"),
                    locatie: locatie.expect("checked"),
                    nachten: nachten.expect("checked"),
                },
            )
        }
        "tijdelijk_verblijf" => {
            let product = product_field(profile, values, "product", &mut r);
            let max = product
                .as_ref()
                .and_then(|p| profile.product(p))
                .map(|p| (p.name.clone(), p.max_nachten));
            if let Some((name, None)) = &max {
                r.add(
                    "product",
                    format!("{name} is geen product voor een tijdelijk verblijf (logeeropvang, time-out, bed & break)."),
                );
            }
            let locatie = own_location_field(profile, agb, values, "locatie", &mut r, true);
            let van = date_field(values, "van", &mut r, true);
            // The product's maximum is the store's rule (`tijdelijk.te_lang`): refused there,
            // at this field, and the refusal logged (issue 14); here only a number.
            let nachten = nights_field(values, "nachten", &mut r, 366);
            r.check()?;
            (
                van.expect("checked"),
                ClientEvent::TijdelijkVerblijf {
                    product: product.expect("checked"),
                    locatie: locatie.expect("checked"),
                    nachten: nachten.expect("checked"),
                },
            )
        }
        "verzoek_toewijzing" => {
            let product = product_field(profile, values, "product", &mut r);
            let start = date_field(values, "start", &mut r, true);
            let einde = date_field(values, "einde", &mut r, false);
            if let (Some(a), Some(b)) = (start, einde)
                && b < a
            {
                r.add("einde", "De einddatum ligt vóór de begindatum.");
            }
            let reden = reason_field(values, "reden", &mut r, "de reden van het verzoek");
            let Some(aanbieder) = agb else {
                return Err(WebError::forbidden(
                    "Een verzoek om toewijzing doet de zorgaanbieder.",
                ));
            };
            r.check()?;
            (
                today,
                ClientEvent::VerzoekToewijzing {
                    aanbieder,
                    product: product.expect("checked"),
                    start: start.expect("checked"),
                    einde,
                    reden,
                },
            )
        }
        "verzoek_wijziging" => {
            if s.toewijzing().is_none() {
                r.add(
                    "wijziging",
                    "Deze cliënt heeft geen toewijzing om te wijzigen; vraag een toewijzing aan (iWmo 315).",
                );
            }
            let soort_w = text(values, "wijziging");
            let wijziging = match soort_w {
                "verlenging" => date_field(values, "nieuw_einde", &mut r, true)
                    .map(|nieuw_einde| Wijziging::Verlenging { nieuw_einde }),
                "opschalen" | "afschalen" | "doorstroom" => {
                    let product = product_field(profile, values, "product", &mut r);
                    let locatie = own_location_field(
                        profile,
                        agb,
                        values,
                        "locatie",
                        &mut r,
                        soort_w == "doorstroom",
                    );
                    product.map(|product| match soort_w {
                        "opschalen" => Wijziging::Opschalen { product, locatie },
                        "afschalen" => Wijziging::Afschalen { product, locatie },
                        _ => Wijziging::Doorstroom {
                            product,
                            locatie: locatie.unwrap_or_else(|| {
                                LocationId::parse("onbekend").expect("a valid id")
                            }),
                        },
                    })
                }
                _ => {
                    r.add(
                        "wijziging",
                        "Kies wat u wilt wijzigen: opschalen, afschalen, verlenging of doorstroom.",
                    );
                    None
                }
            };
            let reden = reason_field(values, "reden", &mut r, "de reden van het verzoek");
            let Some(aanbieder) = agb else {
                return Err(WebError::forbidden(
                    "Een verzoek om wijziging doet de zorgaanbieder.",
                ));
            };
            r.check()?;
            (
                today,
                ClientEvent::VerzoekWijziging {
                    aanbieder,
                    wijziging: wijziging.expect("checked"),
                    reden,
                },
            )
        }
        "voorstel_antwoord" => {
            let Some(v) = s.voorstel.as_ref() else {
                return Err(WebError::invalid_field(
                    "akkoord",
                    "Er staat geen voorstel open voor deze cliënt.",
                ));
            };
            let akkoord = match text(values, "akkoord") {
                "ja" => Some(true),
                "nee" => Some(false),
                _ => {
                    r.add("akkoord", "Kies of u het voorstel aanvaardt of afwijst.");
                    None
                }
            };
            let reden = text(values, "reden").to_owned();
            if akkoord == Some(false) && reden.is_empty() {
                r.add("reden", "Vul de reden in waarom u het voorstel afwijst.");
            }
            r.check()?;
            (
                today,
                ClientEvent::VoorstelAntwoord {
                    voorstel: v.versie,
                    akkoord: akkoord.expect("checked"),
                    reden,
                },
            )
        }
        other => {
            return Err(WebError::invalid_field(
                "soort",
                format!("Onbekend formulier '{other}'."),
            ));
        }
    };
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// The client page

/// The error of the form `soort`, if that form was refused.
fn failed_for<'a>(failed: Option<&'a Failed<'a>>, soort: &str) -> Option<&'a WebError> {
    failed.filter(|f| f.soort == soort).map(|f| f.error)
}

/// The typed value of `name` if the form `soort` was refused, else `default`.
fn value(failed: Option<&Failed<'_>>, soort: &str, name: &str, default: &str) -> String {
    match failed.filter(|f| f.soort == soort) {
        Some(f) => f.values.get(name).cloned().unwrap_or_default(),
        None => default.to_owned(),
    }
}

fn field_error(err: Option<&WebError>, id: &str, name: &str) -> Markup {
    html! {
        @if let Some(m) = err.and_then(|e| e.message_for(name)) {
            (html::field_message(id, &html::sentence(m)))
        }
    }
}

fn aria(err: Option<&WebError>, id: &str, name: &str) -> (Option<&'static str>, Option<String>) {
    match err.and_then(|e| e.message_for(name)) {
        Some(_) => (Some("true"), Some(format!("fout-{id}"))),
        None => (None, None),
    }
}

/// A labelled input.
#[allow(clippy::too_many_arguments)]
pub(crate) fn input(
    form: &str,
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    err: Option<&WebError>,
    hint: Option<&str>,
) -> Markup {
    let id = format!("{form}-{name}");
    let (invalid, described) = aria(err, &id, name);
    let described = described.or_else(|| hint.map(|_| format!("{id}-hint")));
    html! {
        div.veld {
            label for=(id) { (label) }
            @if let Some(h) = hint { span.hint id={ (id) "-hint" } { (h) } }
            (field_error(err, &id, name))
            input id=(id) name=(name) type=(kind) value=(value)
                aria-invalid=[invalid] aria-describedby=[described];
        }
    }
}

/// A labelled select with (value, label) options.
pub(crate) fn select(
    form: &str,
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    err: Option<&WebError>,
) -> Markup {
    let id = format!("{form}-{name}");
    let (invalid, described) = aria(err, &id, name);
    html! {
        div.veld {
            label for=(id) { (label) }
            (field_error(err, &id, name))
            select id=(id) name=(name) aria-invalid=[invalid] aria-describedby=[described] {
                @for (v, l) in options {
                    option value=(v) selected[v == selected] { (l) }
                }
            }
        }
    }
}

/// The error summary of a refused form, its links to the fields (`#<form>-<field>`).
fn summary(err: Option<&WebError>, form: &str) -> Markup {
    html::error_summary(err, Some(form))
}

fn hidden(soort: &str, version: u32) -> Markup {
    html! {
        (crate::users::csrf_field())
        input type="hidden" name="soort" value=(soort);
        input type="hidden" name="versie" value=(version);
        input type="hidden" name="sleutel" value=(voordeur::form_key());
    }
}

/// The state of each request in the stream: (request, answers) by version.
fn requests_in(events: &[RecordedEvent]) -> Vec<(&RecordedEvent, Vec<&RecordedEvent>)> {
    events
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                ClientEvent::VerzoekToewijzing { .. } | ClientEvent::VerzoekWijziging { .. }
            )
        })
        .map(|req| {
            let answers = events
                .iter()
                .filter(|a| matches!(a.event, ClientEvent::VerzoekAntwoord { verzoek, .. } if verzoek == req.version))
                .collect();
            (req, answers)
        })
        .collect()
}

fn client_page(
    st: &AppState,
    user: &DemoUser,
    rec: &ClientRecord,
    profile: &RegionProfile,
    melding: Option<&str>,
    failed: Option<Failed<'_>>,
) -> Response {
    let today = st.today();
    let s = &rec.state;
    let agb = provider_of(user).ok();
    let failed = failed.as_ref();
    let status = failed.map_or(StatusCode::OK, |f| f.error.status);
    let name = rec
        .person
        .as_ref()
        .map(|p| format!("{} {}", p.voornaam, p.achternaam));
    // The region's own access team may record MO nights at any of the region's shelters.
    let clerk = crate::voordeur_pages::clerk_region(user).is_some_and(|r| *r == s.regio);
    let own_locs: Vec<&Location> = profile
        .locations
        .iter()
        .filter(|l| clerk || agb.is_some_and(|a| a == l.provider))
        .collect();
    let loc_options = |filter: &dyn Fn(&Location) -> bool| -> Vec<(String, String)> {
        std::iter::once((String::new(), "— kies een locatie —".to_owned()))
            .chain(
                own_locs
                    .iter()
                    .filter(|l| filter(l))
                    .map(|l| (l.id.to_string(), l.name.clone())),
            )
            .collect()
    };
    let product_options = |filter: &dyn Fn(&vangnet_domain::region::Product) -> bool| {
        std::iter::once((String::new(), "— kies een product —".to_owned()))
            .chain(
                profile
                    .products
                    .iter()
                    .filter(|p| p.valid_on(today) && filter(p))
                    .map(|p| (p.code.to_string(), p.name.clone())),
            )
            .collect::<Vec<_>>()
    };
    let version = s.version;
    let in_care_here = s.zorg.as_ref().is_some_and(|z| Some(z.aanbieder) == agb);
    let open_voorstel = s
        .voorstel
        .as_ref()
        .filter(|v| Some(v.aanbieder) == agb && v.akkoord.is_none());
    let start_product = s
        .voorstel
        .as_ref()
        .filter(|v| Some(v.aanbieder) == agb && v.akkoord.is_some())
        .map(|v| v.product.clone())
        .or_else(|| {
            s.toewijzing()
                .filter(|t| t.4.is_none() || t.4 == agb)
                .map(|t| t.0.clone())
        });
    let may_start = agb.is_some() && s.zorg.is_none() && start_product.is_some();
    let mo_products: Vec<_> = profile
        .products
        .iter()
        .filter(|p| p.domain == Domain::Mo && p.unit == Unit::Nacht)
        .map(|p| p.code.clone())
        .collect();
    let has_mo = own_locs
        .iter()
        .any(|l| l.places.keys().any(|p| mo_products.contains(p)));
    let stay_products: Vec<_> = profile
        .products
        .iter()
        .filter(|p| p.max_nachten.is_some())
        .map(|p| p.code.clone())
        .collect();
    let has_stay = own_locs
        .iter()
        .any(|l| l.places.keys().any(|p| stay_products.contains(p)));
    let requests = requests_in(&rec.events);
    let e = |soort: &str| failed_for(failed, soort);
    let v = |soort: &str, name: &str, default: &str| value(failed, soort, name, default);
    let today_s = today.to_string();
    let mo_form = html! {
        @if has_mo {
                    details open[e("mo_overnachting").is_some()] id="mo" {
                        summary { "Nachten in de nachtopvang" }
                        form.formulier method="post" action={ "/aanbieder/clienten/" (s.client) } novalidate {
                            (hidden("mo_overnachting", version))
                            (summary(e("mo_overnachting"), "mo"))
                            (select("mo", "product", "Product", &product_options(&|p| mo_products.contains(&p.code)), &v("mo_overnachting", "product", &mo_products.first().map(|p| p.to_string()).unwrap_or_default()), e("mo_overnachting")))
                            (select("mo", "locatie", "Locatie", &loc_options(&|l: &Location| l.places.keys().any(|p| mo_products.contains(p))), &v("mo_overnachting", "locatie", ""), e("mo_overnachting")))
                            (input("mo", "eerste_nacht", "Eerste nacht", "date", &v("mo_overnachting", "eerste_nacht", &today_s), e("mo_overnachting"), None))
                            (input("mo", "nachten", "Aantal nachten", "number", &v("mo_overnachting", "nachten", "1"), e("mo_overnachting"), Some("Aaneengesloten nachten vanaf de eerste nacht.")))
                            button.knop type="submit" { "Nachten vastleggen" }
                        }
                    }
                        }
    };
    let body = html! {
        p.kruimelpad { a href="/aanbieder" { "Aanbiedersportaal" } " › cliënt " (s.client) }
        @if let Some(m) = melding {
            div.melding.melding-goed id="melding" role="status" tabindex="-1" autofocus {
                p { @match m { "dubbel" => "Dit formulier was al verwerkt; er is niets opnieuw opgeslagen.", _ => "Vastgelegd." } }
            }
        }
        h1 { (name.as_deref().unwrap_or("Cliënt")) " " span.klein { (s.client) } }
        dl.kenmerken {
            dt { "Regio" } dd { (profile.name) }
            dt { "Toewijzing" }
            dd {
                @if let Some((product, start, einde, _, aanbieder)) = s.toewijzing() {
                    (figures::product_name(profile, product.as_str())) ", " (labels::date(start)) " t/m " (labels::date(einde))
                    @if let Some(a) = aanbieder { ", bij " (profile.provider(a).map_or(a.to_string(), |x| x.name.clone())) }
                } @else { "geen" }
            }
            dt { "Zorg" }
            dd id="zorg" data-product=[s.zorg.as_ref().map(|z| z.product.to_string())] {
                @if let Some(z) = &s.zorg {
                    (figures::product_name(profile, z.product.as_str())) " op " (profile.location(&z.locatie).map_or(z.locatie.to_string(), |l| l.name.clone())) " sinds " (labels::date(z.sinds))
                    @if let Some(d) = s.uitstroomklaar { " — uitstroomklaar sinds " (labels::date(d)) }
                } @else { "niet in zorg" }
            }
            @if let Some(t) = &s.tijdelijk {
                dt { "Tijdelijk verblijf" }
                dd { (figures::product_name(profile, t.product.as_str())) " op " (profile.location(&t.locatie).map_or(t.locatie.to_string(), |l| l.name.clone())) ", " (labels::date(t.van)) " t/m " (labels::date(t.tot)) }
            }
            @if let Some(vs) = &s.voorstel {
                dt { "Voorstel" }
                dd {
                    (figures::product_name(profile, vs.product.as_str())) " op " (profile.location(&vs.locatie).map_or(vs.locatie.to_string(), |l| l.name.clone()))
                    ", voorgesteld op " (labels::date(vs.sinds)) ", geldig t/m " (labels::date(vs.geldig_tot))
                    @if let Some(d) = vs.akkoord { " — aanvaard op " (labels::date(d)) }
                }
            }
            @if s.mo_nachten > 0 {
                dt { "Nachtopvang" }
                dd { (s.mo_nachten) " nachten" @if let Some(d) = s.mo_laatste_nacht { ", laatste nacht " (labels::date(d)) } }
            }
        }
        section aria-labelledby="kop-verzoeken" {
            h2 id="kop-verzoeken" { "Verzoeken" }
            @if requests.is_empty() {
                p { "Geen verzoeken." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-verzoeken-tabel" {
                    table id="verzoeken" {
                        caption id="kop-verzoeken-tabel" { "Verzoeken om toewijzing en wijziging met hun stand" }
                        thead { tr { th scope="col" { "Ingediend" } th scope="col" { "Verzoek" } th scope="col" { "Reden" } th scope="col" { "Stand" } th scope="col" { "Termijn" } } }
                        tbody {
                            @for (req, answers) in &requests {
                                @let last = answers.last();
                                @let final_answer = last.filter(|a| !matches!(a.event, ClientEvent::VerzoekAntwoord { uitkomst: vangnet_domain::events::VerzoekUitkomst::InOnderzoek, .. }));
                                @let onderzoek = answers.iter().find(|a| matches!(a.event, ClientEvent::VerzoekAntwoord { uitkomst: vangnet_domain::events::VerzoekUitkomst::InOnderzoek, .. })).map(|a| a.effective);
                                @let term = request_term(req.effective, onderzoek);
                                tr {
                                    td { (date_el(req.effective)) }
                                    td {
                                        (iwmo_label(&req.event))
                                        @match &req.event {
                                            ClientEvent::VerzoekToewijzing { product, .. } => { ": " (figures::product_name(profile, product.as_str())) }
                                            ClientEvent::VerzoekWijziging { wijziging, .. } => { ": " (wijziging_words(Some(profile), wijziging)) }
                                            _ => {}
                                        }
                                    }
                                    td { @match &req.event { ClientEvent::VerzoekToewijzing { reden, .. } | ClientEvent::VerzoekWijziging { reden, .. } => (reden), _ => "" } }
                                    td {
                                        @match last.map(|a| &a.event) {
                                            Some(ClientEvent::VerzoekAntwoord { uitkomst, toelichting, .. }) => {
                                                @match uitkomst {
                                                    vangnet_domain::events::VerzoekUitkomst::Toegekend => span.label.label-goed { "toegekend" },
                                                    vangnet_domain::events::VerzoekUitkomst::Afgewezen => span.label.label-fout { "afgewezen" },
                                                    vangnet_domain::events::VerzoekUitkomst::InOnderzoek => span.label { "in onderzoek" },
                                                }
                                                " op " (labels::date(last.map_or(today, |a| a.effective)))
                                                @if !toelichting.is_empty() { br; span.klein { (toelichting) } }
                                            }
                                            _ => span.label { "open" },
                                        }
                                    }
                                    td {
                                        @if final_answer.is_some() { "afgehandeld" } @else {
                                            (date_el(term)) @if term < today { " " span.label.label-fout { "termijn verstreken" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                p.klein { "Termijn voor het antwoord: 10 werkdagen na het verzoek; in onderzoek 8 weken (aannames van Vangnet: iWmo noemt geen termijn)." }
            }
        }
        @if agb.is_some() {
            section aria-labelledby="kop-doen" id="formulieren" {
                h2 id="kop-doen" { "Vastleggen" }
                @if let Some(vs) = open_voorstel {
                    details open id="voorstel" {
                        summary { "Antwoord op het voorstel (reageer vóór " (labels::date(vs.geldig_tot)) ")" }
                        form.formulier method="post" action={ "/aanbieder/clienten/" (s.client) } novalidate {
                            (hidden("voorstel_antwoord", version))
                            (summary(e("voorstel_antwoord"), "voorstel"))
                            fieldset.keuzes {
                                legend { "Aanvaardt u deze kandidaat voor " (profile.location(&vs.locatie).map_or(vs.locatie.to_string(), |l| l.name.clone())) "?" }
                                (field_error(e("voorstel_antwoord"), "voorstel-akkoord", "akkoord"))
                                div.keuze { input type="radio" id="voorstel-akkoord" name="akkoord" value="ja" checked[v("voorstel_antwoord", "akkoord", "") == "ja"]; label for="voorstel-akkoord" { "Ja, aanvaarden" } }
                                div.keuze { input type="radio" id="voorstel-akkoord-nee" name="akkoord" value="nee" checked[v("voorstel_antwoord", "akkoord", "") == "nee"]; label for="voorstel-akkoord-nee" { "Nee, afwijzen" } }
                            }
                            (input("voorstel", "reden", "Reden (verplicht bij afwijzen)", "text", &v("voorstel_antwoord", "reden", ""), e("voorstel_antwoord"), None))
                            button.knop type="submit" { "Antwoord vastleggen" }
                        }
                    }
                }
                @if may_start {
                    @let product = start_product.clone().expect("may_start");
                    details open[e("start_zorg").is_some()] id="start" {
                        summary { "Start zorg (iWmo 305)" }
                        form.formulier method="post" action={ "/aanbieder/clienten/" (s.client) } novalidate {
                            (hidden("start_zorg", version))
                            (summary(e("start_zorg"), "start"))
                            p { "Product: " strong { (figures::product_name(profile, product.as_str())) } }
                            (select("start", "locatie", "Locatie", &loc_options(&|l: &Location| l.places.contains_key(&product)), &v("start_zorg", "locatie", &s.voorstel.as_ref().map(|x| x.locatie.to_string()).unwrap_or_default()), e("start_zorg")))
                            (input("start", "datum", "Eerste dag van de zorg", "date", &v("start_zorg", "datum", &today_s), e("start_zorg"), None))
                            button.knop type="submit" { "Start zorg vastleggen" }
                        }
                    }
                }
                @if in_care_here {
                    details open[e("einde_zorg").is_some()] id="einde" {
                        summary { "Einde zorg (iWmo 307)" }
                        form.formulier method="post" action={ "/aanbieder/clienten/" (s.client) } novalidate {
                            (hidden("einde_zorg", version))
                            (summary(e("einde_zorg"), "einde"))
                            (select("einde", "bestemming", "Waar gaat de cliënt naartoe?", &std::iter::once((String::new(), "— kies een bestemming —".to_owned())).chain(Bestemming::ALL.iter().map(|b| (crate::voordeur_pages::key_of(*b), labels::bestemming(*b).to_owned()))).collect::<Vec<_>>(), &v("einde_zorg", "bestemming", ""), e("einde_zorg")))
                            (input("einde", "datum", "Laatste dag van de zorg", "date", &v("einde_zorg", "datum", &today_s), e("einde_zorg"), None))
                            button.knop type="submit" { "Einde zorg vastleggen" }
                        }
                    }
                }
                (mo_form)
                @if has_stay && s.zorg.is_some() {
                    details open[e("tijdelijk_verblijf").is_some()] id="tijdelijk" {
                        summary { "Tijdelijk verblijf naast de zorg (logeeropvang, time-out, bed & break)" }
                        form.formulier method="post" action={ "/aanbieder/clienten/" (s.client) } novalidate {
                            (hidden("tijdelijk_verblijf", version))
                            (summary(e("tijdelijk_verblijf"), "tijdelijk"))
                            (select("tijdelijk", "product", "Product", &product_options(&|p| p.max_nachten.is_some()), &v("tijdelijk_verblijf", "product", ""), e("tijdelijk_verblijf")))
                            (select("tijdelijk", "locatie", "Locatie", &loc_options(&|l: &Location| l.places.keys().any(|p| stay_products.contains(p))), &v("tijdelijk_verblijf", "locatie", ""), e("tijdelijk_verblijf")))
                            (input("tijdelijk", "van", "Eerste nacht", "date", &v("tijdelijk_verblijf", "van", &today_s), e("tijdelijk_verblijf"), None))
                            (input("tijdelijk", "nachten", "Aantal nachten", "number", &v("tijdelijk_verblijf", "nachten", "1"), e("tijdelijk_verblijf"), Some(&stay_hint(profile))))
                            button.knop type="submit" { "Tijdelijk verblijf vastleggen" }
                        }
                    }
                }
                details open[e("verzoek_toewijzing").is_some()] id="vot" {
                    summary { "Verzoek om toewijzing (iWmo 315)" }
                    form.formulier method="post" action={ "/aanbieder/clienten/" (s.client) } novalidate {
                        (hidden("verzoek_toewijzing", version))
                        (summary(e("verzoek_toewijzing"), "vot"))
                        (select("vot", "product", "Gevraagd product", &product_options(&|_| true), &v("verzoek_toewijzing", "product", ""), e("verzoek_toewijzing")))
                        (input("vot", "start", "Gewenste begindatum", "date", &v("verzoek_toewijzing", "start", &today_s), e("verzoek_toewijzing"), None))
                        (input("vot", "einde", "Gewenste einddatum (optioneel)", "date", &v("verzoek_toewijzing", "einde", ""), e("verzoek_toewijzing"), Some("Leeg laten: de standaardduur van het product.")))
                        (input("vot", "reden", "Reden", "text", &v("verzoek_toewijzing", "reden", ""), e("verzoek_toewijzing"), None))
                        button.knop type="submit" { "Verzoek indienen" }
                    }
                }
                details open[e("verzoek_wijziging").is_some()] id="vow" {
                    summary { "Verzoek om wijziging (iWmo 317): opschalen, afschalen, verlenging of doorstroom" }
                    form.formulier method="post" action={ "/aanbieder/clienten/" (s.client) } novalidate {
                        (hidden("verzoek_wijziging", version))
                        (summary(e("verzoek_wijziging"), "vow"))
                        (select("vow", "wijziging", "Wat wilt u wijzigen?", &[
                            (String::new(), "— kies —".to_owned()),
                            ("opschalen".to_owned(), "Opschalen naar een zwaarder product".to_owned()),
                            ("afschalen".to_owned(), "Afschalen naar een lichter product".to_owned()),
                            ("verlenging".to_owned(), "Verlenging van de toewijzing".to_owned()),
                            ("doorstroom".to_owned(), "Doorstroom naar een ander product".to_owned()),
                        ], &v("verzoek_wijziging", "wijziging", ""), e("verzoek_wijziging")))
                        (select("vow", "product", "Nieuw product (opschalen, afschalen, doorstroom)", &product_options(&|_| true), &v("verzoek_wijziging", "product", ""), e("verzoek_wijziging")))
                        div.veld {
                            @let (invalid, described) = aria(e("verzoek_wijziging"), "vow-locatie", "locatie");
                            @let chosen = v("verzoek_wijziging", "locatie", "");
                            label for="vow-locatie" { "Nieuwe locatie (doorstroom; optioneel bij op- of afschalen)" }
                            (field_error(e("verzoek_wijziging"), "vow-locatie", "locatie"))
                            select id="vow-locatie" name="locatie" aria-invalid=[invalid] aria-describedby=[described] {
                                option value="" { "— kies een locatie —" }
                                @for l in &own_locs {
                                    // Which products the location offers (a browser test picks one that fits).
                                    option value=(l.id) selected[chosen == l.id.as_str()] data-producten=(l.places.keys().map(|p| p.as_str()).collect::<Vec<_>>().join(" ")) { (l.name) }
                                }
                            }
                        }
                        (input("vow", "nieuw_einde", "Nieuwe einddatum (verlenging)", "date", &v("verzoek_wijziging", "nieuw_einde", ""), e("verzoek_wijziging"), None))
                        (input("vow", "reden", "Reden", "text", &v("verzoek_wijziging", "reden", ""), e("verzoek_wijziging"), None))
                        button.knop type="submit" { "Verzoek indienen" }
                    }
                }
            }
        } @else {
            p.toelichting { "De formulieren van dit portaal zijn voor de zorgaanbieder. " a href={ "/clienten/" (s.client) } { "Naar het dossier" } "." }
            @if clerk {
                // The region's access team records MO nights here too (today only by import).
                section aria-labelledby="kop-doen" id="formulieren" {
                    h2 id="kop-doen" { "Vastleggen" }
                    (mo_form)
                }
            }
        }
        section aria-labelledby="kop-historie" {
            h2 id="kop-historie" { "Historie" }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-historie-tabel" {
                table id="historie" {
                    caption id="kop-historie-tabel" { "Vastgelegde feiten, met hun iWmo-bericht waar dat bestaat" }
                    thead { tr { th scope="col" { "Datum" } th scope="col" { "Feit" } th scope="col" { "Inhoud" } } }
                    tbody {
                        @for ev in &rec.events {
                            tr {
                                td { (date_el(ev.effective)) }
                                td { (iwmo_label(&ev.event)) }
                                td { (labels::event_summary(Some(profile), &ev.event)) }
                            }
                        }
                    }
                }
            }
        }
    };
    render(
        st,
        status,
        &format!("Cliënt {}", s.client),
        user,
        &Nav::None,
        body,
    )
}

fn stay_hint(profile: &RegionProfile) -> String {
    let parts: Vec<String> = profile
        .products
        .iter()
        .filter_map(|p| {
            p.max_nachten
                .map(|m| format!("{}: ten hoogste {m}", p.name))
        })
        .collect();
    format!("Aantal nachten per verblijf. {}", parts.join("; "))
}
