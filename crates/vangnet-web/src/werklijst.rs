//! The access team's lists (issue 12): the waiting list per product, ranked, with names
//! and Dutch dates, then fitted to a location with a free place (`/regio/{id}/wachtlijst`;
//! "Plaatsen" links to the dossier's placement form), and the worklist of open deadlines
//! (`/werklijst`) with filters in the URL, counts per task, pages of 50 and names. An
//! invalid filter is answered 422 on the same page with the message at its field. Issue 14:
//! the waiting list ranks with [`vangnet_domain::matching::rank`] (clients a location cannot
//! serve marked "niet geschikt"), and the worklist links its new tasks (a request or advice
//! question to answer, a proposal waiting) to where they are done.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_domain::matching;
use vangnet_domain::worklist::{
    self, FilterError, RawWorklistFilter, Task, Termijn, Volgorde, WorklistFilter, WorklistPage,
};
use vangnet_domain::{ClientId, Date, LocationId, ProductCode, RegionProfile};

use crate::error::Query;
use crate::html::Nav;
use crate::voordeur_pages::{clerk_profile, clerk_region, not_a_clerk, render};
use crate::{AppState, WebError, figures, labels};

// ---------------------------------------------------------------------------------------
// Shared form parts

/// One form field with its label and, when it is about this field, the error message
/// (the pattern of `/toegangslog`).
fn field(id: &str, label: &str, error: Option<&str>, input: Markup) -> Markup {
    html! {
        div.veld.(if error.is_some() { "veld-fout" } else { "" }) {
            label for=(id) { (label) }
            @if let Some(m) = error {
                p.fout-melding id={ "fout-" (id) } { span.visueel-verborgen { "Fout: " } (m) }
            }
            (input)
        }
    }
}

/// A `<select>` of `options` (value, label) with `chosen` selected.
fn select_input(
    id: &str,
    name: &str,
    options: &[(String, String)],
    chosen: &str,
    error: bool,
) -> Markup {
    html! {
        select id=(id) name=(name) aria-invalid=[error.then_some("true")] aria-describedby=[error.then(|| format!("fout-{id}"))] {
            @for (v, l) in options {
                option value=(v) selected[v == chosen] { (l) }
            }
        }
    }
}

/// The error summary at the top: the message, linked to its field.
fn error_summary(id: &str, message: &str) -> Markup {
    crate::html::error_box(&[(Some(format!("#{id}")), message)])
}

/// A client as a link to the dossier: the name, and the client number beside it.
fn client_link(client: ClientId, name: Option<&str>) -> Markup {
    html! {
        a href={ "/clienten/" (client) } {
            @if let Some(n) = name { (n) } @else { "cliënt " (client) }
        }
        @if name.is_some() { " " span.klein { "(" (client) ")" } }
    }
}

// ---------------------------------------------------------------------------------------
// Waiting list and placement

/// Query of `/regio/{id}/wachtlijst`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct WachtlijstQuery {
    product: Option<String>,
    locatie: Option<String>,
    melding: Option<String>,
}

/// `GET /regio/{id}/wachtlijst?product=&locatie=`: the product's waiting list, ranked,
/// with names; with a location, fitted to that place (ranked for its gemeente, with the
/// occupancy and a "Plaatsen" link to the dossier's placement form). A location without
/// the product says so; an unknown product or location is a 422 at its field.
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
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let mut error: Option<(&'static str, String)> = None;
    let product = given(&q.product).and_then(|p| {
        let code = ProductCode::parse(&p)
            .ok()
            .filter(|c| profile.product(c).is_some());
        if code.is_none() {
            error = Some((
                "wl-product",
                format!("Onbekend product in deze regio: {p}. Kies een product uit de lijst."),
            ));
        }
        code
    });
    let locatie = given(&q.locatie).and_then(|l| {
        let id = LocationId::parse(&l)
            .ok()
            .filter(|x| profile.location(x).is_some());
        if id.is_none() && error.is_none() {
            error = Some((
                "wl-locatie",
                format!("Onbekende locatie in deze regio: {l}. Kies een locatie uit de lijst."),
            ));
        }
        id
    });
    let gate = user.gate("plaatsing: wachtlijst per product");
    let rid = profile.id.clone();
    let wanted = product.clone();
    // Client states and names are read (and logged, one row per client) only for the
    // chosen product.
    let (named, overview) = st
        .blocking(move |s| {
            Ok((
                match &wanted {
                    Some(p) => s.waiting_for_named(&gate, &rid, p)?,
                    None => Vec::new(),
                },
                s.overview(&rid, today)?,
            ))
        })
        .await?;
    let offers = |l: &LocationId, p: &ProductCode| {
        profile
            .location(l)
            .is_some_and(|x| x.places.contains_key(p))
    };
    // Fit to the place only where the place offers the product.
    let fitted = match (&product, &locatie) {
        (Some(p), Some(l)) if offers(l, p) => Some(l),
        _ => None,
    };
    let states: Vec<&vangnet_domain::ClientState> = named.iter().map(|(s, _)| s).collect();
    let ranked = product
        .as_ref()
        .map(|p| matching::rank(states.iter().copied(), &profile, p, fitted, today));
    let by_id: std::collections::HashMap<ClientId, (&vangnet_domain::ClientState, Option<&str>)> =
        named
            .iter()
            .map(|(s, n)| (s.client, (s, n.as_deref())))
            .collect();
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
    let loc_opts: Vec<(String, String)> = std::iter::once((
        String::new(),
        "geen: de hele lijst van het product".to_owned(),
    ))
    .chain(profile.locations.iter().map(|l| {
        let offered = product.as_ref().is_none_or(|p| l.places.contains_key(p));
        (
            l.id.to_string(),
            format!(
                "{} — {}{}",
                l.name,
                figures::gemeente_name(&profile, &l.gemeente.to_string()),
                if offered {
                    ""
                } else {
                    " (biedt dit product niet)"
                }
            ),
        )
    }))
    .collect();
    let free = match (&product, fitted) {
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
    let product_label = |p: &ProductCode| figures::product_name(&profile, p.as_str());
    let err_at = |id: &str| {
        error
            .as_ref()
            .filter(|(f, _)| *f == id)
            .map(|(_, m)| m.as_str())
    };
    let body = html! {
        h1 { "Wachtlijst en plaatsing — " (profile.name) }
        p.inleiding { "Kies een product: Vangnet toont alle wachtenden, gerangschikt op prioriteit en wachttijd. Meldt een aanbieder een vrije plaats, kies dan ook de locatie: de lijst houdt dan rekening met de voorkeur van de cliënt en de eigen gemeente (zo dicht mogelijk bij huis). Wachttijdnorm: " (profile.norms.wachttijd_weken) " weken " (labels::herkomst(&profile.norms.herkomst.wachttijd)) "." }
        @if let Some((id, m)) = &error {
            (error_summary(id, m))
        }
        @if let Some(m) = q.melding.as_deref() {
            div.melding.melding-goed role="status" { p { @if m == "dubbel" { "Dit formulier was al verwerkt; er is niets opnieuw opgeslagen." } @else { "De plaatsing is vastgelegd: de zorg is gestart." } } }
        }
        form.inline method="get" action={ "/regio/" (profile.id) "/wachtlijst" } {
            (field("wl-product", "Product", err_at("wl-product"), select_input("wl-product", "product", &product_opts, product.as_ref().map_or("", |p| p.as_str()), err_at("wl-product").is_some())))
            (field("wl-locatie", "Locatie met een vrije plaats (optioneel)", err_at("wl-locatie"), select_input("wl-locatie", "locatie", &loc_opts, locatie.as_ref().map_or("", |l| l.as_str()), err_at("wl-locatie").is_some())))
            button.knop.knop-secundair type="submit" { "Wachtlijst tonen" }
        }
        @if product.is_none() && error.is_none() {
            @if overview.waiting.is_empty() {
                p { "Niemand staat op de wachtlijst." }
            } @else {
                h2 { "Wachtenden per product" }
                ul.wachtlijst-producten {
                    @for (code, n, _) in &overview.waiting {
                        li { a href={ "/regio/" (profile.id) "/wachtlijst?product=" (code) } { (figures::product_name(&profile, code)) } ": " (n) @if *n == 1 { " wachtende" } @else { " wachtenden" } }
                    }
                }
            }
        }
        @if let (Some(p), Some(l)) = (&product, &locatie) {
            @if !offers(l, p) {
                @let loc = profile.location(l).expect("checked");
                @let elsewhere: Vec<&str> = profile.locations.iter().filter(|x| x.places.contains_key(p)).map(|x| x.name.as_str()).collect();
                div.melding role="status" id="locatie-zonder-product" {
                    p {
                        strong { (loc.name) } " biedt geen " (product_label(p)) "; daar kan niemand van deze lijst geplaatst worden. "
                        @if elsewhere.is_empty() { "Geen locatie in de regio biedt dit product." } @else { "Locaties met dit product: " (elsewhere.join(", ")) "." }
                        " Hieronder staat de hele wachtlijst van het product."
                    }
                }
            }
        }
        @if let Some((places, occupied)) = free {
            p { "Bezetting op deze locatie: " (occupied) " van " (places) " plaatsen" @if occupied < u64::from(places) { " — " strong { (u64::from(places) - occupied) " vrij" } } @else { " — " strong { "vol" } } "." }
        }
        @if let (Some(list), Some(p)) = (&ranked, &product) {
            @let loc = fitted.and_then(|l| profile.location(l));
            @if list.is_empty() {
                p { "Niemand wacht op " (product_label(p)) "." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-kandidaten" {
                    table id="kandidaten" {
                        caption id="kop-kandidaten" {
                            @if let Some(loc) = loc {
                                "Kandidaten voor een plaats " (product_label(p)) " op " (loc.name) ", in volgorde (" (list.len()) ")"
                            } @else {
                                "Wachtlijst " (product_label(p)) ", in volgorde van prioriteit en wachttijd (" (list.len()) ")"
                            }
                        }
                        thead { tr {
                            th.getal scope="col" { "Rang" }
                            th scope="col" { "Cliënt" }
                            th scope="col" { "Prioriteit" }
                            th scope="col" { "Op de lijst sinds" }
                            th.getal scope="col" { "Dagen wachtend" }
                            th scope="col" { "Ten opzichte van de norm" }
                            @if loc.is_some() { th scope="col" { "Waarom hier" } th scope="col" { "Plaatsen" } }
                        } }
                        tbody {
                            @for c in list {
                                @let (s, name) = by_id[&c.client];
                                @let days = i64::from(c.sinds.days_until(today));
                                tr {
                                    td.getal { @if let Some(r) = c.rank { (r) } @else { span.label.label-fout { "niet geschikt" } } }
                                    th scope="row" { (client_link(c.client, name)) }
                                    td { (labels::prioriteit_badge(c.prioriteit)) }
                                    td { time datetime=(c.sinds.to_string()) { (labels::date(c.sinds)) } }
                                    td.getal { (days) }
                                    td { @if days > norm_days { span.label.label-fout { (vangnet_domain::date::dagen(days - norm_days)) " boven de norm" } } @else { span.label.label-goed { "binnen de norm" } } }
                                    @if let Some(loc) = loc {
                                        td { (c.reden()) @if c.voorstel_elders(Some(&loc.id)) { br; span.label { "al voorgesteld elders" } } }
                                        td {
                                            @let other_provider = s.toewijzing().and_then(|t| t.4).filter(|a| *a != loc.provider);
                                            @if !c.geschikt() {
                                                "niet voorstellen: de locatie kan deze behoefte niet bieden"
                                            } @else if let Some(a) = other_provider {
                                                "toegewezen aan " (profile.provider(a).map_or(a.to_string(), |x| x.name.clone())) "; plaatsen kan alleen daar"
                                            } @else {
                                                a.knop href={ "/clienten/" (c.client) "?locatie=" (loc.id) "#plaatsing" } aria-label={ "Plaatsen " (c.client) " op " (loc.name) } { "Plaatsen" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if loc.is_none() {
                    p.klein { "Kies hierboven een locatie met een vrije plaats om te plaatsen." }
                }
            }
        }
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        &st,
        status,
        "Wachtlijst en plaatsing",
        &user,
        &Nav::Region(profile.id.to_string()),
        body,
    ))
}

// ---------------------------------------------------------------------------------------
// Worklist

/// `GET /werklijst?taak=&gemeente=&product=&termijn=&ouder_dan=&volgorde=&pagina=`: the
/// open deadlines of the clerk's region up to the horizon, filtered, counted per task,
/// sorted and paged, with the clients' names (read through the gate, one log row per client
/// on the page). An invalid filter: 422, the same form, the message at the field.
pub(crate) async fn werklijst(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    q: Result<axum::extract::Query<RawWorklistFilter>, QueryRejection>,
) -> Result<Response, WebError> {
    let profile = clerk_profile(&st, &user)?;
    let raw = q.map(|axum::extract::Query(q)| q).unwrap_or_default();
    let today = st.today();
    let (status, body) = match WorklistFilter::parse(&raw, &profile) {
        Ok(filter) => {
            let gate = user.gate("werklijst: termijnen bewaken");
            let rid = profile.id.clone();
            let f = filter.clone();
            let page = st
                .blocking(move |s| s.worklist_page(&gate, &rid, &f, today))
                .await?;
            (
                StatusCode::OK,
                worklist_body(&profile, &raw, Some((&filter, &page)), None, today),
            )
        }
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            worklist_body(&profile, &raw, None, Some(&e), today),
        ),
    };
    let title = if status.is_success() {
        "Werklijst"
    } else {
        "Werklijst: filter niet geldig"
    };
    Ok(render(&st, status, title, &user, &Nav::Werklijst, body))
}

/// The URL of the worklist with `raw`'s filters, `changes` applied (an empty value drops
/// the field).
fn worklist_url(raw: &RawWorklistFilter, changes: &[(&str, &str)]) -> String {
    let fields = [
        ("taak", &raw.taak),
        ("gemeente", &raw.gemeente),
        ("product", &raw.product),
        ("termijn", &raw.termijn),
        ("ouder_dan", &raw.ouder_dan),
        ("volgorde", &raw.volgorde),
        ("pagina", &raw.pagina),
    ];
    let pairs: Vec<(&str, String)> = fields
        .into_iter()
        .map(|(k, v)| {
            let v = changes.iter().find(|(c, _)| *c == k).map_or_else(
                || v.as_deref().unwrap_or("").trim().to_owned(),
                |(_, c)| (*c).to_owned(),
            );
            (k, v)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if pairs.is_empty() {
        "/werklijst".to_owned()
    } else {
        format!("/werklijst?{}", crate::monitor::query_string(&pairs))
    }
}

fn worklist_body(
    profile: &RegionProfile,
    raw: &RawWorklistFilter,
    result: Option<(&WorklistFilter, &WorklistPage)>,
    error: Option<&FilterError>,
    today: Date,
) -> Markup {
    let id_of = |f: &str| format!("wf-{f}");
    let err_at = |f: &str| error.filter(|e| e.field == f).map(|e| e.message.as_str());
    let typed = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_owned();
    let taak_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "alle taken".to_owned()))
            .chain(
                Task::ALL
                    .iter()
                    .map(|t| (t.key().to_owned(), t.label().to_owned())),
            )
            .collect();
    let product_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "alle producten".to_owned()))
            .chain(
                profile
                    .products
                    .iter()
                    .map(|p| (p.code.to_string(), p.name.clone())),
            )
            .collect();
    let termijn_opts: Vec<(String, String)> = Termijn::ALL
        .iter()
        .map(|t| {
            (
                if *t == Termijn::Alle {
                    String::new()
                } else {
                    t.key().to_owned()
                },
                t.label().to_owned(),
            )
        })
        .collect();
    let volgorde_opts: Vec<(String, String)> = Volgorde::ALL
        .iter()
        .map(|v| {
            (
                if *v == Volgorde::OudsteEerst {
                    String::new()
                } else {
                    v.key().to_owned()
                },
                v.label().to_owned(),
            )
        })
        .collect();
    html! {
        h1 { "Werklijst — " (profile.name) }
        p.inleiding {
            "Alle termijnen die verlopen zijn of binnen " (worklist::HORIZON_DAYS) " dagen verlopen: beslistermijnen (" (profile.norms.beslistermijn_weken) " weken), einde toewijzing en herindicatie, maximale duur (groepswonen), wachttijd boven de norm (" (profile.norms.wachttijd_weken) " weken), inschrijving als woningzoekende en de uitstroom naar wonen: een geweigerd woningaanbod (binnen " (worklist::AANBOD_GEWEIGERD_TERMIJN_DAGEN) " dagen een nieuw aanbod zoeken, aanname), de reactietermijn van een woningaanbod en een urgentieaanvraag zonder besluit (" (worklist::URGENTIE_TERMIJN_WEKEN) " weken, aanname: de Awb-termijn). Peildatum " (labels::date(today)) "."
            br; "Beslistermijn " (labels::herkomst(&profile.norms.herkomst.beslistermijn)) "; wachttijdnorm " (labels::herkomst(&profile.norms.herkomst.wachttijd)) "."
        }
        p id="werklijst-pagina-links" {
            a href="/verzoeken" { "Verzoeken van aanbieders en adviesvragen beantwoorden" }
            " · "
            a href={ "/regio/" (profile.id) "/vrije-plaatsen" } { "Vrije plaatsen en voorstellen" }
        }
        @if let Some(e) = error {
            (error_summary(&id_of(e.field), &e.message))
        }
        form.filters method="get" action="/werklijst" aria-labelledby="kop-werkfilter" {
            h2 id="kop-werkfilter" { "Filter" }
            div.filter-rij {
                (field(&id_of("taak"), "Taak", err_at("taak"), select_input(&id_of("taak"), "taak", &taak_opts, &typed(&raw.taak), err_at("taak").is_some())))
                (field(&id_of("gemeente"), "Gemeente (naam)", err_at("gemeente"), html! {
                    input type="text" id=(id_of("gemeente")) name="gemeente" list="wf-gemeenten" value=(typed(&raw.gemeente)) autocomplete="off" aria-invalid=[err_at("gemeente").map(|_| "true")] aria-describedby=[err_at("gemeente").map(|_| "fout-wf-gemeente")];
                    datalist id="wf-gemeenten" {
                        @for g in &profile.gemeenten { option value=(g.name) {} }
                    }
                }))
                (field(&id_of("product"), "Product", err_at("product"), select_input(&id_of("product"), "product", &product_opts, &typed(&raw.product), err_at("product").is_some())))
                (field(&id_of("termijn"), "Termijn", err_at("termijn"), select_input(&id_of("termijn"), "termijn", &termijn_opts, &typed(&raw.termijn), err_at("termijn").is_some())))
                (field(&id_of("ouder_dan"), "Meer dan … dagen verlopen", err_at("ouder_dan"), html! {
                    input type="text" inputmode="numeric" id=(id_of("ouder_dan")) name="ouder_dan" value=(typed(&raw.ouder_dan)) size="5" aria-invalid=[err_at("ouder_dan").map(|_| "true")] aria-describedby=[err_at("ouder_dan").map(|_| "fout-wf-ouder_dan")];
                }))
                (field(&id_of("volgorde"), "Volgorde", err_at("volgorde"), select_input(&id_of("volgorde"), "volgorde", &volgorde_opts, &typed(&raw.volgorde), err_at("volgorde").is_some())))
            }
            @if let Some(m) = err_at("pagina") {
                p.fout-melding id="wf-pagina" { span.visueel-verborgen { "Fout: " } (m) }
            }
            button.knop type="submit" { "Filteren" }
            " "
            a href="/werklijst" { "Alle filters wissen" }
        }
        @if let Some((filter, page)) = result {
            section aria-labelledby="kop-per-taak" {
                h2 id="kop-per-taak" { "Open termijnen per taak" }
                ul.tellingen id="per-taak" {
                    @let all: usize = page.per_task.iter().map(|(_, n)| n).sum();
                    li { @if filter.task.is_none() { strong aria-current="true" { "Alle taken: " (all) } } @else { a href=(worklist_url(raw, &[("taak", ""), ("pagina", "")])) { "Alle taken: " (all) } } }
                    @for (task, n) in &page.per_task {
                        li data-taak=(task.key()) {
                            @if filter.task == Some(*task) {
                                strong aria-current="true" { (task.label()) ": " (n) }
                            } @else {
                                a href=(worklist_url(raw, &[("taak", task.key()), ("pagina", "")])) { (task.label()) ": " (n) }
                            }
                        }
                    }
                }
            }
            p id="werklijst-totaal" {
                strong { (page.total) } @if page.total == 1 { " termijn" } @else { " termijnen" } " (" (page.overdue) " verlopen)"
                @if page.pages > 1 { " — pagina " (page.page) " van " (page.pages) ", " (worklist::PAGE_SIZE) " per pagina" }
                "."
            }
            @if page.items.is_empty() {
                p { "Er staan geen termijnen open die aan het filter voldoen." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-werklijst" {
                    table id="werklijst" {
                        caption id="kop-werklijst" { "Open termijnen, " (filter.volgorde.label()) }
                        thead { tr { th scope="col" { "Cliënt" } th scope="col" { "Taak" } th scope="col" { "Termijn" } th scope="col" { "Status" } th scope="col" { "Toelichting" } } }
                        tbody {
                            @for i in &page.items {
                                @let days_left = today.days_until(i.due);
                                tr {
                                    th scope="row" { (client_link(i.client, i.name.as_deref())) }
                                    td { (i.task.label()) }
                                    td { time datetime=(i.due.to_string()) { (labels::date(i.due)) } }
                                    td {
                                        @if days_left < 0 { span.label.label-fout { (vangnet_domain::date::dagen(i64::from(-days_left))) " te laat" } }
                                        @else if days_left == 0 { span.label.label-fout { "vandaag" } }
                                        @else if days_left == 1 { "morgen" }
                                        @else { "over " (vangnet_domain::date::dagen(i64::from(days_left))) }
                                    }
                                    td {
                                        (i.detail)
                                        // Issue 14: where the item is answered.
                                        @match i.task {
                                            Task::Verzoek | Task::Advies => { " " a href={ "/clienten/" (i.client) "#verzoeken" } { "Beantwoorden" } }
                                            Task::Voorstel => { " " a href={ "/regio/" (profile.id) "/vrije-plaatsen" } { "Vrije plaatsen" } }
                                            _ => {}
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if page.pages > 1 {
                nav.paginering aria-label="Pagina's van de werklijst" {
                    @if page.page > 1 {
                        a rel="prev" href=(worklist_url(raw, &[("pagina", &(page.page - 1).to_string())])) { "← vorige" }
                    }
                    " Pagina " (page.page) " van " (page.pages) " "
                    @if page.page < page.pages {
                        a rel="next" href=(worklist_url(raw, &[("pagina", &(page.page + 1).to_string())])) { "volgende →" }
                    }
                }
            }
        }
    }
}
