//! The monitor's pages (issue 4): `/monitor/{regio}` (dashboard with filters and drill-down),
//! `/monitor/{regio}/definities`, `/monitor/{regio}/rapport` (printable quarterly report),
//! `/monitor/{regio}/export.csv|.xlsx` (exactly a section's table) and `/api/monitor/{regio}`
//! (JSON). Everything is server-rendered: filters and drill-down links are plain GET URLs,
//! charts are inline SVG with a title, a description and the table behind them.
//!
//! Who may see it: every role that sees aggregates — beleidsmedewerker, analist,
//! toegangsmedewerker, wijkteam, and also zorgaanbieder and woningcorporatie (the same
//! published, suppressed aggregates the region page already shows them; no client data). The
//! auditor gets the Dutch 403 page: the auditor's task is the access log. Exact figures only
//! for the region's own access team ([`crate::figures::threshold_for`]); figures per provider
//! only for them too (see [`crate::monitor`], rule 6).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use vangnet_domain::{Organisation, RegionProfile};

use crate::AppState;
use crate::WebError;
use crate::charts;
use crate::error::Query;
use crate::figures::{self, Figure};
use crate::html::{self, Nav};
use crate::monitor::{
    self, DEFINITIES, Data, Filters, Indeling, Kwartaal, Monitor, Sectie, Soort, Tabel, Val,
};
use crate::pages::region;
use crate::users::{DemoUser, LoggedIn};

/// The region a user's monitor link opens: their own region, the region of their gemeente,
/// or the first region.
pub(crate) fn default_region(st: &AppState, user: &DemoUser) -> String {
    let regions = st.store().regions();
    match &user.actor.organisation {
        Organisation::Regio(r) => return r.to_string(),
        Organisation::Gemeente(g) => {
            if let Some(p) = regions.all().iter().find(|p| p.gemeente(*g).is_some()) {
                return p.id.to_string();
            }
        }
        Organisation::Aanbieder(a) => {
            if let Some(p) = regions.all().iter().find(|p| p.provider(*a).is_some()) {
                return p.id.to_string();
            }
        }
        _ => {}
    }
    regions
        .all()
        .first()
        .map_or_else(String::new, |p| p.id.to_string())
}

/// `/monitor`: to the user's region.
pub(crate) async fn start(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
) -> Result<Response, WebError> {
    Ok(Redirect::to(&format!("/monitor/{}", default_region(&st, &user))).into_response())
}

fn render(st: &AppState, user: &DemoUser, title: &str, body: Markup) -> Response {
    (
        StatusCode::OK,
        Html(
            html::page(title, Some(user), st.store().regions(), &Nav::Monitor, body).into_string(),
        ),
    )
        .into_response()
}

/// What every monitor request needs: the region, the viewer's threshold, the filters and the
/// cells.
struct Ctx {
    profile: RegionProfile,
    t: Option<u32>,
    f: Filters,
    notes: Vec<String>,
    data: Arc<Data>,
}

/// The region, the viewer's threshold, the filters and the cells, or why not (as JSON for
/// the API).
async fn context(
    st: &AppState,
    user: &DemoUser,
    regio: &str,
    q: &[(String, String)],
    json: bool,
) -> Result<Ctx, WebError> {
    let as_kind = |e: WebError| if json { e.json() } else { e };
    let profile = region(st, regio).map_err(as_kind)?;
    let t = figures::threshold_for(Some(&user.actor), &profile);
    let (f, notes) = Filters::parse(&profile, q, st.today(), t.is_none())
        .map_err(|m| as_kind(WebError::invalid(m).titled("Invoer niet geldig")))?;
    let store = Arc::clone(st.store());
    let p2 = profile.clone();
    let data = st
        .blocking(move |_| monitor::load(&store, &p2))
        .await
        .map_err(|e| as_kind(WebError::from(e)))?;
    Ok(Ctx {
        profile,
        t,
        f,
        notes,
        data,
    })
}

// ---------------------------------------------------------------------------------------
// Handlers

/// `GET /monitor/{regio}`: the dashboard.
pub(crate) async fn page(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let ctx = context(&st, &user, &regio, &q, false).await?;
    let m = Monitor::new(&ctx.profile, &ctx.data, &ctx.f, ctx.t);
    let secties = m.secties();
    let title = format!(
        "Monitor {}",
        kop_selectie(&ctx.profile, &ctx.f, ctx.t.is_none())
    );
    Ok(render(
        &st,
        &user,
        &title,
        dashboard(&st, &ctx, &m, &secties, &title),
    ))
}

/// `GET /api/monitor/{regio}`: the same figures as JSON.
pub(crate) async fn api(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let ctx = context(&st, &user, &regio, &q, true).await?;
    let m = Monitor::new(&ctx.profile, &ctx.data, &ctx.f, ctx.t);
    let secties = match monitor::param(&q, "sectie") {
        Some(k) => match m.sectie(k) {
            Some(s) => vec![s],
            None => {
                return Err(WebError::not_found(format!("sectie '{k}' bestaat niet"))
                    .field("sectie")
                    .json());
            }
        },
        None => m.secties(),
    };
    Ok(axum::Json(m.json(&secties, &ctx.notes)).into_response())
}

/// `GET /monitor/{regio}/export.csv?sectie=…`: one section's table as CSV.
pub(crate) async fn export_csv(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    export(&st, &user, &regio, &q, false).await
}

/// `GET /monitor/{regio}/export.xlsx?sectie=…`: one section (or `alle`) as a workbook.
pub(crate) async fn export_xlsx(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    export(&st, &user, &regio, &q, true).await
}

async fn export(
    st: &AppState,
    user: &DemoUser,
    regio: &str,
    q: &[(String, String)],
    xlsx: bool,
) -> Result<Response, WebError> {
    let ctx = context(st, user, regio, q, false).await?;
    let m = Monitor::new(&ctx.profile, &ctx.data, &ctx.f, ctx.t);
    let key = monitor::param(q, "sectie").unwrap_or(if xlsx { "alle" } else { "" });
    let secties: Vec<Sectie> = if xlsx && key == "alle" {
        m.secties()
            .into_iter()
            .filter(|s| s.niet_beschikbaar.is_none())
            .collect()
    } else {
        match m.sectie(key) {
            Some(s) => vec![s],
            None => {
                return Err(WebError::not_found(format!(
                    "Sectie '{key}' bestaat niet. Kies een van: {}.",
                    monitor::SECTIES
                        .iter()
                        .map(|(k, _)| *k)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .field("sectie"));
            }
        }
    };
    if secties.is_empty() {
        return Err(WebError::invalid(monitor::AANBIEDER_GEWEIGERD)
            .titled("Geen cijfers voor deze selectie"));
    }
    if let Some(reason) = secties.first().and_then(|s| s.niet_beschikbaar.clone())
        && secties.len() == 1
    {
        return Err(WebError::invalid(reason).titled("Geen cijfers voor deze selectie"));
    }
    let name = format!(
        "vangnet-monitor-{}-{}{}-{}",
        ctx.profile.id,
        if secties.len() == 1 {
            secties[0].sleutel
        } else {
            "alle"
        },
        bestandsnaam_filter(&ctx.f),
        ctx.f.periode_sleutel()
    );
    let selectie = filter_tekst(&ctx.profile, &ctx.f, ctx.t.is_none());
    let tables: Vec<vangnet_tabular::Table> = secties
        .iter()
        .map(|s| {
            let mut t = s.tabel.tabular();
            t.sheet = bladnaam(s.sleutel, &s.titel);
            t.preamble.push(selectie.clone());
            if let Some(drempel) = ctx.t {
                // In the workbook the screen's "<5"/"≥" are empty cells: say that instead.
                if xlsx {
                    t.notes.retain(|n| !n.starts_with("Gepubliceerde cijfers:"));
                }
                t.preamble.push(format!(
                    "Kleine aantallen (1 tot en met {}) en de totalen waarin ze meetellen zijn \
                     onderdrukt: die cellen zijn leeg, de kolom Toelichting zegt wat er \
                     gepubliceerd mag worden (\"kleiner dan {drempel}\", \"ten minste …\").",
                    drempel.saturating_sub(1)
                ));
            }
            t.notes.push(format!(
                "Bron: Vangnet, monitor {} ({}); selectie: {}. Definities: /monitor/{}/definities#{}",
                ctx.profile.name,
                ctx.profile.id,
                ctx.f.query(),
                ctx.profile.id,
                s.definitie
            ));
            t
        })
        .collect();
    Ok(crate::pages::download(&name, &tables, xlsx))
}

/// `GET /monitor/{regio}/definities`.
pub(crate) async fn definities(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
) -> Result<Response, WebError> {
    let profile = region(&st, &regio)?;
    let t = figures::threshold_for(Some(&user.actor), &profile);
    Ok(render(
        &st,
        &user,
        &format!("Definities monitor {}", profile.name),
        definities_body(&profile, t),
    ))
}

/// `GET /monitor/{regio}/rapport?gemeente=GM…&kwartaal=2026-3`.
pub(crate) async fn rapport(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    // The gemeente filter is validated like the dashboard's; the period comes from the quarter.
    let pairs: Vec<(String, String)> = q.iter().filter(|(k, _)| k == "gemeente").cloned().collect();
    let ctx = context(&st, &user, &regio, &pairs, false).await?;
    let max = monitor::laatste_maand(st.today(), ctx.t.is_none());
    let laatste_kw = {
        let k = Kwartaal::van_maand(max);
        if k.laatste() <= max { k } else { k.vorige() }
    };
    let kw = match monitor::param(&q, "kwartaal") {
        None => laatste_kw,
        Some(s) => match Kwartaal::parse(s) {
            Some(k) if k <= laatste_kw => k,
            Some(k) => {
                return Err(WebError::invalid_field(
                    "kwartaal",
                    format!(
                        "Het {} is nog niet compleet. Het laatste complete kwartaal is het {}.",
                        k.naam(),
                        laatste_kw.naam()
                    ),
                )
                .titled("Kwartaal nog niet compleet"));
            }
            None => {
                return Err(WebError::invalid_field(
                    "kwartaal",
                    format!("Kwartaal: '{s}' is geen kwartaal (verwacht bijvoorbeeld 2026-3)."),
                )
                .titled("Invoer niet geldig"));
            }
        },
    };
    let r = monitor::rapport(&ctx.profile, &ctx.data, ctx.f.gemeente, kw, ctx.t);
    let naam = ctx.f.gemeente.map_or_else(
        || ctx.profile.name.clone(),
        |g| figures::gemeente_name(&ctx.profile, &g.to_string()),
    );
    let title = format!("Kwartaalrapport {naam}, {}", kw.naam());
    let body = rapport_body(&ctx, &r, &naam, &title, laatste_kw);
    Ok(render(&st, &user, &title, body))
}

// ---------------------------------------------------------------------------------------
// The dashboard

/// The sheet name of a section in a workbook: its full title, or a hand-made short form of at
/// most 31 characters (Excel's limit) for the titles longer than that.
fn bladnaam(sleutel: &str, titel: &str) -> String {
    match sleutel {
        "ambulantisering" => "Intramuraal en extramuraal",
        "stromen" => "Instroom, door- en uitstroom",
        "bestemming-periode" => "Bestemmingen hele periode",
        "verblijfsduur" => "Verblijfsduur beëindigde zorg",
        "doorlooptijden" => "Aanmelding, besluit en start",
        "herkomst-plaatsen" => "Herkomst en plaatsen gemeente",
        "mo" => "Maatschappelijke opvang maand",
        "mo-jaar" => "Maatschappelijke opvang jaar",
        "wlz-woning" => "Wlz-overgangen en woning",
        "spreiding-wonen" => "Spreiding uitstroom woning",
        _ => titel,
    }
    .to_owned()
}

/// The filter of an export as a readable line at the top of each sheet.
fn filter_tekst(p: &RegionProfile, f: &Filters, exact: bool) -> String {
    let mut parts = vec![format!("regio {}", p.name)];
    if let Some(g) = f.gemeente {
        parts.push(format!(
            "gemeente {}",
            figures::gemeente_name(p, &g.to_string())
        ));
        if f.soort == Soort::Woonplaatsbeginsel {
            parts.push("volgens het woonplaatsbeginsel".to_owned());
        }
    }
    if let Some(pr) = &f.product {
        parts.push(format!("product {}", figures::product_name(p, pr.as_str())));
    }
    if let Some(a) = f.aanbieder {
        let naam = p
            .provider(a)
            .map_or_else(|| a.to_string(), |x| x.name.clone());
        parts.push(if exact {
            format!("aanbieder {naam}")
        } else {
            format!("aanbieder {naam} (locaties)")
        });
    }
    parts.push(format!("periode {} t/m {}", f.van.naam(), f.tot.naam()));
    if f.indeling == Indeling::Leveringsvorm {
        parts.push("ingedeeld naar leveringsvorm".to_owned());
    }
    format!("Selectie: {}.", parts.join("; "))
}

/// The filters other than the period as a part of a download's file name (`-gm0505-bw`),
/// ASCII letters, digits and `-` only (a safe `Content-Disposition` file name).
fn bestandsnaam_filter(f: &Filters) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(g) = f.gemeente {
        parts.push(g.to_string());
        if f.soort == Soort::Woonplaatsbeginsel {
            parts.push("woonplaatsbeginsel".into());
        }
    }
    if let Some(pr) = &f.product {
        parts.push(pr.to_string());
    }
    if let Some(a) = f.aanbieder {
        parts.push(format!("aanbieder-{a}"));
    }
    if f.indeling == Indeling::Leveringsvorm {
        parts.push("leveringsvorm".into());
    }
    parts
        .iter()
        .map(|p| {
            let safe: String = p
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            format!("-{}", safe.trim_matches('-'))
        })
        .collect()
}

fn kop_selectie(p: &RegionProfile, f: &Filters, exact: bool) -> String {
    let mut parts = vec![match f.gemeente {
        Some(g) => figures::gemeente_name(p, &g.to_string()),
        None => p.name.clone(),
    }];
    if let Some(pr) = &f.product {
        parts.push(figures::product_name(p, pr.as_str()));
    }
    if let Some(a) = f.aanbieder {
        let naam = p
            .provider(a)
            .map_or_else(|| a.to_string(), |x| x.name.clone());
        parts.push(if exact {
            naam
        } else {
            format!("{naam} (locaties)")
        });
    }
    parts.join(" — ")
}

fn pad(ctx: &Ctx) -> String {
    format!("/monitor/{}", ctx.profile.id)
}

fn dashboard(st: &AppState, ctx: &Ctx, m: &Monitor<'_>, secties: &[Sectie], title: &str) -> Markup {
    let p = &ctx.profile;
    let f = &ctx.f;
    let base = pad(ctx);
    let kern: Vec<(String, Val)> = ["in-zorg", "wachtlijst", "stromen", "uitstroom-bestemming"]
        .iter()
        .filter_map(|k| secties.iter().find(|s| s.sleutel == *k))
        .flat_map(|s| s.kerncijfers.iter().cloned())
        .chain(
            secties
                .iter()
                .find(|s| s.sleutel == "wachttijd")
                .and_then(|s| s.kerncijfers.first().cloned()),
        )
        .collect();
    html! {
        (kruimelpad(ctx))
        h1 { (title) }
        p.inleiding {
            "Sturingsinformatie over beschermd wonen en maatschappelijke opvang in " (p.name) ", "
            (f.van.naam()) " tot en met " (f.tot.naam()) ". "
            "Elke grafiek heeft een tabel met dezelfde cijfers, een definitie en een download (CSV of Excel) van precies wat u ziet."
        }
        @match ctx.t {
            Some(t) => div.melding {
                p {
                    strong { "Gepubliceerde cijfers. " }
                    "Aantallen van 1 tot en met " (t - 1) " staan als \"<" (t) "\" (in grafieken gearceerd, niet op hun werkelijke hoogte). "
                    "Totalen die zelf niet klein zijn staan er exact; \"—\" is verborgen om terugrekenen te voorkomen, \"≥\" is een ondergrens. "
                    a href={ (base) "/definities#kleine-aantallen" } { "Hoe kleine aantallen beschermd worden" } "."
                }
            },
            None => div.melding.melding-goed {
                p { strong { "Exacte cijfers. " } "U bent van de toegang van deze regio en ziet de cijfers zonder onderdrukking. Deel ze niet buiten de regio." }
            },
        }
        @for n in &ctx.notes {
            p.melding { (n) }
        }
        (filter_form(st, ctx))
        @if m.aanbieder_geweigerd() {
            div.fout role="status" { p { (monitor::AANBIEDER_GEWEIGERD) } }
        }
        @if !kern.is_empty() && !m.aanbieder_geweigerd() {
            section aria-labelledby="kop-kerncijfers" {
                h2 id="kop-kerncijfers" { "Kerncijfers" }
                ul.tegels {
                    @for (label, v) in &kern {
                        li.tegel {
                            span.tegel-label { (label) }
                            span.tegel-waarde { (waarde(v)) }
                        }
                    }
                }
            }
        }
        (aanbod(ctx))
        @if !m.aanbieder_geweigerd() {
        nav.inhoud aria-labelledby="kop-inhoud" {
            h2 id="kop-inhoud" { "Op deze pagina" }
            ul {
                @for s in secties {
                    li { a href={ "#" (s.sleutel) } { (s.titel) } }
                }
                li { a href={ (base) "/rapport?" (monitor::query_string(&f.gemeente.map(|g| vec![("gemeente", g.to_string())]).unwrap_or_default())) } { "Kwartaalrapport (afdrukbaar)" } }
                li { a href={ (base) "/acties" } { "Afgesproken acties per gemeente" } }
                li { a href={ (base) "/definities" } { "Alle definities" } }
                li { a href={ (base) "/export.xlsx?" (monitor::query_string(&[("sectie", "alle".to_owned())])) "&" (f.query()) } { "Alle tabellen in één Excel-bestand" } }
            }
        }
        @for s in secties {
            (sectie(ctx, s))
        }
        }
    }
}

fn waarde(v: &Val) -> Markup {
    match v {
        Val::F(f @ Figure::Small(_)) => {
            html! { abbr title="minder dan de drempel, onderdrukt" { (f) } }
        }
        Val::F(f @ Figure::AtLeast(_)) => {
            html! { abbr title="ten minste; bevat onderdrukte kleine aantallen" { (f) } }
        }
        Val::F(f @ Figure::Hidden) => {
            html! { abbr title="niet getoond om terugrekenen te voorkomen" { (f) } }
        }
        v => html! { (v.tekst()) },
    }
}

fn kruimelpad(ctx: &Ctx) -> Markup {
    let p = &ctx.profile;
    let f = &ctx.f;
    let base = pad(ctx);
    let regio = f.met_gemeente(None).met_product(None).met_aanbieder(None);
    let gemeente = f.met_product(None).met_aanbieder(None);
    let product = f.met_aanbieder(None);
    let mut items: Vec<(String, String)> = vec![(p.name.clone(), regio.href(&base))];
    if let Some(g) = f.gemeente {
        items.push((
            figures::gemeente_name(p, &g.to_string()),
            gemeente.href(&base),
        ));
    }
    if let Some(pr) = &f.product {
        items.push((figures::product_name(p, pr.as_str()), product.href(&base)));
    }
    if let Some(a) = f.aanbieder {
        items.push((
            p.provider(a)
                .map_or_else(|| a.to_string(), |x| x.name.clone()),
            f.href(&base),
        ));
    }
    let last = items.len() - 1;
    html! {
        nav.kruimelpad aria-label="Kruimelpad" {
            ol {
                li { a href="/" { "Overzicht" } }
                @for (i, (label, href)) in items.iter().enumerate() {
                    li {
                        @if i == last {
                            a href=(href) aria-current="page" { (label) }
                        } @else {
                            a href=(href) { (label) }
                        }
                    }
                }
            }
        }
    }
}

fn filter_form(st: &AppState, ctx: &Ctx) -> Markup {
    let p = &ctx.profile;
    let f = &ctx.f;
    let max = monitor::laatste_maand(st.today(), ctx.t.is_none());
    html! {
        form.filters method="get" action={ "/monitor/" (p.id) } aria-labelledby="kop-filters" {
            h2 id="kop-filters" { "Selectie" }
            p.regio-keuze {
                "Regio: " strong { (p.name) } ". Andere regio: "
                @for (i, r) in st.store().regions().all().iter().filter(|r| r.id != p.id).enumerate() {
                    @if i > 0 { ", " }
                    a href={ "/monitor/" (r.id) } { (r.name) }
                }
                "."
            }
            div.filter-rij {
                div.veld {
                    label for="f-gemeente" { "Gemeente" }
                    select id="f-gemeente" name="gemeente" {
                        option value="" selected[f.gemeente.is_none()] { "Alle gemeenten" }
                        @for g in &p.gemeenten {
                            option value=(g.code) selected[f.gemeente == Some(g.code)] { (g.name) }
                        }
                    }
                }
                div.veld {
                    label for="f-product" { "Product" }
                    select id="f-product" name="product" {
                        option value="" selected[f.product.is_none()] { "Alle producten" }
                        @for pr in &p.products {
                            option value=(pr.code) selected[f.product.as_ref() == Some(&pr.code)] { (pr.name) }
                        }
                    }
                }
                @if ctx.t.is_none() {
                    div.veld {
                        label for="f-aanbieder" { "Aanbieder" }
                        select id="f-aanbieder" name="aanbieder" {
                            option value="" selected[f.aanbieder.is_none()] { "Alle aanbieders" }
                            @for a in &p.providers {
                                option value=(a.agb) selected[f.aanbieder == Some(a.agb)] { (a.name) }
                            }
                        }
                    }
                } @else if let Some(a) = f.aanbieder {
                    input type="hidden" name="aanbieder" value=(a);
                }
                div.veld {
                    label for="f-van" { "Van (maand)" }
                    input type="month" id="f-van" name="van" value=(f.van.to_string()) max=(max.to_string()) required;
                }
                div.veld {
                    label for="f-tot" { "Tot en met (maand)" }
                    input type="month" id="f-tot" name="tot" value=(f.tot.to_string()) max=(max.to_string()) required;
                }
            }
            div.filter-rij {
                fieldset.keuzes {
                    legend { "Gemeente van een persoon in zorg" }
                    label.keuze { input type="radio" name="gemeente_soort" value="herkomst" checked[f.soort == Soort::Herkomst]; " herkomst (inschrijving bij aanmelding)" }
                    label.keuze { input type="radio" name="gemeente_soort" value="woonplaatsbeginsel" checked[f.soort == Soort::Woonplaatsbeginsel]; " woonplaatsbeginsel (verantwoordelijke gemeente)" }
                }
                fieldset.keuzes {
                    legend { "Mensen in zorg verdelen naar" }
                    label.keuze { input type="radio" name="indeling" value="product" checked[f.indeling == Indeling::Product]; " product" }
                    label.keuze { input type="radio" name="indeling" value="leveringsvorm" checked[f.indeling == Indeling::Leveringsvorm]; " zorg in natura en pgb" }
                }
                div.filter-knoppen {
                    button.knop type="submit" { "Toon cijfers" }
                    a href={ "/monitor/" (p.id) } { "Alles wissen" }
                }
            }
        }
    }
}

/// Locations and places of the selection (profile data, not client data): the provider level
/// of the drill-down.
fn aanbod(ctx: &Ctx) -> Markup {
    let p = &ctx.profile;
    let f = &ctx.f;
    if f.gemeente.is_none() && f.product.is_none() && f.aanbieder.is_none() {
        return html! {};
    }
    let base = pad(ctx);
    let locs: Vec<&vangnet_domain::region::Location> = p
        .locations
        .iter()
        .filter(|l| f.gemeente.is_none_or(|g| l.gemeente == g))
        .filter(|l| f.aanbieder.is_none_or(|a| l.provider == a))
        .filter(|l| {
            f.product
                .as_ref()
                .is_none_or(|pr| l.places.contains_key(pr))
        })
        .collect();
    html! {
        section aria-labelledby="kop-aanbod" {
            h2 id="kop-aanbod" { "Locaties en plaatsen in deze selectie" }
            @if locs.is_empty() {
                p { "Geen locaties in deze selectie volgens het regioprofiel." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-aanbod" {
                    table.aanbod {
                        caption { "Locaties met hun aanbieder en plaatsen per product (regioprofiel; geen cliëntgegevens). Klik op een aanbieder om in te zoomen." }
                        thead { tr {
                            th scope="col" { "Locatie" }
                            th scope="col" { "Gemeente" }
                            th scope="col" { "Aanbieder" }
                            th scope="col" { "Plaatsen" }
                        } }
                        tbody {
                            @for l in &locs {
                                tr {
                                    th scope="row" { (l.name) }
                                    td { a href=(f.met_gemeente(Some(l.gemeente)).href(&base)) { (figures::gemeente_name(p, &l.gemeente.to_string())) } }
                                    td { a href=(f.met_aanbieder(Some(l.provider)).href(&base)) { (p.provider(l.provider).map_or_else(|| l.provider.to_string(), |x| x.name.clone())) } }
                                    td {
                                        @for (i, (code, n)) in l.places.iter().filter(|(c, _)| f.product.as_ref().is_none_or(|x| x == *c)).enumerate() {
                                            @if i > 0 { "; " }
                                            (figures::product_name(p, code.as_str())) ": " (n)
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
}

fn export_href(ctx: &Ctx, ext: &str, key: &str) -> String {
    format!("{}/export.{ext}?sectie={key}&{}", pad(ctx), ctx.f.query())
}

fn sectie(ctx: &Ctx, s: &Sectie) -> Markup {
    let base = pad(ctx);
    let kop = format!("kop-{}", s.sleutel);
    html! {
        section.monitor-sectie id=(s.sleutel) aria-labelledby=(kop) {
            div.sectie-kop {
                h2 id=(kop) { (s.titel) }
                ul.sectie-acties {
                    li { a href={ (base) "/definities#" (s.definitie) } { "Definitie" span.visueel-verborgen { " van " (s.titel) } } }
                    @if s.niet_beschikbaar.is_none() {
                        li { a href=(export_href(ctx, "csv", s.sleutel)) download { "CSV" span.visueel-verborgen { " van " (s.titel) } } }
                        li { a href=(export_href(ctx, "xlsx", s.sleutel)) download { "Excel" span.visueel-verborgen { " van " (s.titel) } } }
                    }
                }
            }
            @if let Some(r) = &s.niet_beschikbaar {
                p.toelichting { (r) }
            } @else {
                p.sectie-inleiding { (s.inleiding) }
                @if !s.kerncijfers.is_empty() {
                    dl.kerncijfers-rij {
                        @for (l, v) in &s.kerncijfers {
                            div { dt { (l) } dd { (waarde(v)) } }
                        }
                    }
                }
                @if let Some(g) = &s.grafiek {
                    @if let Some(zin) = charts::nul_zin(s.sleutel, g) {
                        p.grafiek-leeg { (zin) }
                    } @else {
                        figure.grafiek {
                            (charts::grafiek(s.sleutel, &s.titel, g, ctx.t))
                            figcaption { (charts::legenda(g, ctx.t)) }
                        }
                    }
                }
                details.tabel-details {
                    summary { "Tabel: " (s.tabel.titel) }
                    (tabel(s.sleutel, &s.tabel))
                }
            }
        }
    }
}

fn cel(v: &Val) -> Markup {
    match v {
        Val::F(Figure::Exact(0)) => html! { td.getal.aantal.nul { "0" } },
        Val::F(f @ Figure::Exact(_)) => html! { td.getal.aantal { (f) } },
        Val::F(f @ Figure::Small(t)) => {
            html! { td.getal.aantal.onderdrukt { abbr title={ "minder dan " (t) ", onderdrukt" } { (f) } } }
        }
        Val::F(f @ Figure::AtLeast(_)) => {
            html! { td.getal.aantal.onderdrukt { abbr title="ten minste; bevat onderdrukte kleine aantallen" { (f) } } }
        }
        Val::F(f @ Figure::Hidden) => {
            html! { td.getal.aantal.onderdrukt { abbr title="niet getoond om terugrekenen te voorkomen" { (f) } } }
        }
        Val::N(None, _) => html! { td.getal.nul { "—" } },
        Val::N(..) => html! { td.getal { (v.tekst()) } },
        Val::T(s) => html! { td { (s) } },
    }
}

fn tabel(id: &str, t: &Tabel) -> Markup {
    html! {
        div.tabel-scroll tabindex="0" role="region" aria-label={ "Tabel " (t.titel) } {
            table id={ "tabel-" (id) } {
                caption { (t.titel) }
                thead { tr {
                    th scope="col" { (t.kop) }
                    @for k in &t.kolommen {
                        th.getal scope="col" {
                            @if let Some(l) = &k.link { a href=(l) { (k.label) } } @else { (k.label) }
                        }
                    }
                } }
                tbody {
                    @for r in &t.rijen {
                        tr.totaal[r.totaal] {
                            th scope="row" {
                                @if let Some(l) = &r.link { a href=(l) { (r.label) } } @else { (r.label) }
                            }
                            @for v in &r.waarden { (cel(v)) }
                        }
                    }
                }
            }
        }
        @if !t.noten.is_empty() {
            ul.noten { @for n in &t.noten { li { (n) } } }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Definitions (the texts are in `vangnet_publish::monitor::DEFINITIES`)

fn definities_body(p: &RegionProfile, t: Option<u32>) -> Markup {
    let drempel = p.norms.kleine_aantallen_drempel;
    html! {
        nav.kruimelpad aria-label="Kruimelpad" {
            ol {
                li { a href="/" { "Overzicht" } }
                li { a href={ "/monitor/" (p.id) } { "Monitor " (p.name) } }
                li { a href={ "/monitor/" (p.id) "/definities" } aria-current="page" { "Definities" } }
            }
        }
        h1 { "Definities van de monitor" }
        p.inleiding {
            "Wat elk cijfer in de monitor van " (p.name) " telt, op welke datum, bij welke gemeente, en hoe correcties, late feiten en kleine aantallen worden behandeld."
        }
        nav.inhoud aria-labelledby="kop-def-inhoud" {
            h2 id="kop-def-inhoud" { "Inhoud" }
            ul {
                li { a href="#hoe-geteld" { "Hoe Vangnet telt" } }
                @for d in DEFINITIES { li { a href={ "#" (d.anker) } { (d.titel) } } }
                li { a href="#kleine-aantallen" { "Kleine aantallen" } }
            }
        }
        section id="hoe-geteld" aria-labelledby="kop-hoe" {
            h2 id="kop-hoe" { "Hoe Vangnet telt" }
            @for (titel, tekst) in monitor::TELREGELS {
                p { strong { (titel) ". " } (tekst) }
            }
        }
        @for d in DEFINITIES {
            section id=(d.anker) aria-labelledby={ "kop-def-" (d.anker) } {
                h2 id={ "kop-def-" (d.anker) } { (d.titel) }
                @for para in d.tekst { p { (para) } }
                p.klein { "Kleine aantallen: zie " a href="#kleine-aantallen" { "Kleine aantallen" } "." }
            }
        }
        section id="kleine-aantallen" aria-labelledby="kop-klein" {
            h2 id="kop-klein" { "Kleine aantallen" }
            p {
                "Alleen de toegang van de eigen regio ziet exacte cijfers. Voor iedereen anders publiceert Vangnet de cijfers met deze regels (drempel van de regio: " (drempel) ")"
                @if t.is_none() { "; u ziet nu exacte cijfers" } ":"
            }
            ol {
                li { "Een aantal van 1 tot en met " (drempel - 1) " staat als \"<" (drempel) "\", in tabellen, grafieken (gearceerd en niet op zijn werkelijke hoogte), CSV, Excel en de JSON-API." }
                li { "Een totaal over maanden of een kwartaal is het totaal van de getoonde maandcijfers: zit er een onderdrukt cijfer in, dan staat het als \"≥\" met de ondergrens die uit de getoonde cijfers volgt (elk onderdrukt aantal is minstens 1)." }
                li { "Mensen in zorg (per product, per leveringsvorm, intra- of extramuraal, per gemeente, voor de regio, met of zonder filter): een totaal dat zelf niet klein is, staat er exact. Om de kleine aantallen daarbinnen te beschermen wordt ook een ander cijfer verborgen (\"—\", aanvullende onderdrukking zoals statistische bureaus die toepassen). Per maandeinde wordt dat voor alle weergaven tegelijk bepaald, zodat geen onderdrukt cijfer door optellen of aftrekken van getoonde cijfers — ook uit verschillende filters of onderdelen — terug te rekenen is. Wel kan soms een grens volgen: twee cijfers \"<5\" die samen 3 zijn, zijn elk 1 of 2." }
                li { "Een verdeling van een totaal dat elders op de pagina exact te zien is (verblijfsduur naast de uitstroom, bestemmingen naast de maandcijfers, woonplaatsbeginsel naast het totaal in zorg): staat er een \"<\" in, dan wordt ook het grootste aantal verborgen (\"—\"), of de hele verdeling, zodat het kleine aantal niet terug te rekenen is." }
                li { "Mediaan en kwartielen alleen bij minstens " (monitor::KWANTIEL_MIN) " waarnemingen; nachten in de opvang alleen als het aantal personen erachter getoond wordt." }
                li { "Geen cijfers per aanbieder (alleen de locaties en plaatsen), en niet de lopende maand: die is nog niet compleet." }
            }
            p.toelichting {
                "Wat deze regels niet uitsluiten: wie verschillende opvragingen naast elkaar legt (een andere periode, de regio min één gemeente, of de verandering van een voorraad naast de instroom en uitstroom van die maand), kan bij stromen soms een klein aantal benaderen. Voor publicatie buiten de gemeenten van de regio horen daarom vaste perioden en vaste indelingen."
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The quarterly report

fn rapport_body(
    ctx: &Ctx,
    r: &monitor::Rapport,
    naam: &str,
    title: &str,
    laatste: Kwartaal,
) -> Markup {
    let p = &ctx.profile;
    let base = pad(ctx);
    let mut kwartalen = Vec::new();
    let mut k = laatste;
    for _ in 0..12 {
        kwartalen.push(k);
        k = k.vorige();
    }
    html! {
        div.rapport {
            nav.kruimelpad.niet-afdrukken aria-label="Kruimelpad" {
                ol {
                    li { a href="/" { "Overzicht" } }
                    li { a href=(base) { "Monitor " (p.name) } }
                    li { a href={ (base) "/rapport?" (ctx.f.gemeente.map_or(String::new(), |g| format!("gemeente={g}&"))) "kwartaal=" (r.kwartaal.sleutel()) } aria-current="page" { "Kwartaalrapport" } }
                }
            }
            form.filters.niet-afdrukken method="get" action={ (base) "/rapport" } aria-labelledby="kop-rapport-keuze" {
                h2 id="kop-rapport-keuze" { "Kies gemeente en kwartaal" }
                div.filter-rij {
                    div.veld {
                        label for="r-gemeente" { "Gemeente" }
                        select id="r-gemeente" name="gemeente" {
                            option value="" selected[ctx.f.gemeente.is_none()] { "Hele regio" }
                            @for g in &p.gemeenten {
                                option value=(g.code) selected[ctx.f.gemeente == Some(g.code)] { (g.name) }
                            }
                        }
                    }
                    div.veld {
                        label for="r-kwartaal" { "Kwartaal" }
                        select id="r-kwartaal" name="kwartaal" {
                            @for k in &kwartalen {
                                option value=(k.sleutel()) selected[*k == r.kwartaal] { (k.naam()) }
                            }
                        }
                    }
                    div.filter-knoppen { button.knop type="submit" { "Toon rapport" } }
                }
            }
            header.rapport-kop {
                p.rapport-sub { "Monitor beschermd wonen en maatschappelijke opvang — " (p.name) }
                h1 { (title) }
                p {
                    "Kerncijfers van " (naam) " in het " (r.kwartaal.naam()) ", naast hetzelfde kwartaal een jaar eerder. "
                    @match ctx.t {
                        Some(t) => { "Gepubliceerde cijfers: aantallen van 1 tot en met " (t.saturating_sub(1)) " staan als \"<" (t) "\"; een totaal met zo'n aantal als \"≥\"." }
                        None => { "Exacte cijfers (toegang van de regio)." }
                    }
                }
            }
            section.rapport-blok aria-labelledby="kop-r-kern" {
                h2 id="kop-r-kern" { "Kerncijfers" }
                (tabel("rapport-kern", &r.tabel))
            }
            section.rapport-blok.nieuwe-pagina aria-labelledby="kop-r-product" {
                h2 id="kop-r-product" { "Mensen in zorg per product" }
                figure.grafiek {
                    (charts::grafiek("rapport-product", &r.per_product.titel, &r.grafiek, ctx.t))
                    figcaption { (charts::legenda(&r.grafiek, ctx.t)) }
                }
                (tabel("rapport-product", &r.per_product))
            }
            section.rapport-blok aria-labelledby="kop-r-def" {
                h2 id="kop-r-def" { "Definities" }
                p {
                    "In zorg en wachtend: de stand op de laatste dag van het kwartaal. Instroom, uitstroom en andere stromen: het totaal van de drie maanden. "
                    "Gemeente: de gemeente van herkomst (inschrijving bij aanmelding), tenzij ‘woonplaatsbeginsel’ erbij staat. "
                    "Alle definities: " a href={ (base) "/definities" } { "/monitor/" (p.id) "/definities" } "."
                }
                p.klein { "Afdrukken: gebruik de afdrukfunctie van de browser; menu en formulieren worden niet afgedrukt." }
            }
        }
    }
}
