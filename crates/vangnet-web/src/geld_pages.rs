//! The money pages (issue 13): `/geld/{regio}` (the year overview per gemeente: costs under
//! the three attributions, budgets historical / objective / along the ingroeipad, the
//! herverdeeleffect, the regional provisions, the settlement line; charts; definitions and
//! aannames), `/geld/{regio}/kosten` (month × product × provider × gemeente for one
//! attribution), `/geld/{regio}/verrekening` (the settlement statement, summing to zero),
//! `/geld/{regio}/tarieven` (the tariffs, and for the region's analist a form to add one),
//! `/geld/{regio}/scenario` (base vs scenario per gemeente per year), the downloads
//! `/geld/{regio}/export.csv|.xlsx?tabel=` and `/api/geld/{regio}`. Every table is built
//! once ([`crate::geld_tabellen`]) and written as HTML, CSV/XLSX and JSON, so a download is
//! exactly what the screen shows.
//!
//! Who: [`vangnet_domain::access::may_view_money`] (the route's rule) and, per region,
//! [`vangnet_domain::access::may_view_money_of`] — the region's own organisations; entering a
//! tariff [`vangnet_domain::access::may_enter_tariffs_of`] (the analist), which the store
//! decides again and logs. Exact amounts for the region's access team only; everyone else
//! sees amounts resting on few people suppressed. A model error (missing tariff, year without
//! data, bad data file) is shown as an error box, never a half table.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::json;
use vangnet_domain::access;
use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::region::{Domain, Herkomst};
use vangnet_domain::{Date, GemeenteCode, Organisation, ProductCode, RegionProfile};
use vangnet_money::{Attribution, Cents, Eenheid, Tarief};
use vangnet_publish::monitor::{Grafiek, KLEUREN, Lijn, Reeks, param};
use vangnet_store::StoreError;
use vangnet_store::tarieven::Vastlegging;

use crate::error::Query;
use crate::figures::{self, Figure};
use crate::geld_bron::{self, Fout, Geladen, ScenarioInvoer, ScenarioRegel, TariefRij};
use crate::geld_tabellen::{self as tab, GCel, GRij, GTabel};
use crate::html::{self, Nav};
use crate::pages::region;
use crate::users::{DemoUser, LoggedIn};
use crate::{AppState, WebError, charts, labels};

/// Who views which region: the profile, the threshold (None: exact) and the viewer's own
/// gemeente in the region.
struct Ctx {
    profile: RegionProfile,
    t: Option<u32>,
    eigen: Option<GemeenteCode>,
    analist: bool,
}

fn context(st: &AppState, user: &DemoUser, regio: &str, json: bool) -> Result<Ctx, WebError> {
    let as_kind = |e: WebError| if json { e.json() } else { e };
    let profile = region(st, regio).map_err(as_kind)?;
    if !access::may_view_money_of(&user.actor, &profile) {
        return Err(as_kind(
            WebError::forbidden(format!(
                "De financiële overzichten van {} zijn voor de beleidsmedewerkers en analisten van deze regio en haar gemeenten, en voor het toegangsteam van de regio.",
                profile.name
            ))
            .code("geen_toegang"),
        ));
    }
    let t = figures::threshold_for(Some(&user.actor), &profile);
    let eigen = match &user.actor.organisation {
        Organisation::Gemeente(g) if profile.gemeente(*g).is_some() => Some(*g),
        _ => None,
    };
    let analist = access::may_enter_tariffs_of(&user.actor, &profile);
    Ok(Ctx {
        profile,
        t,
        eigen,
        analist,
    })
}

fn render(
    st: &AppState,
    user: &DemoUser,
    status: StatusCode,
    title: &str,
    body: Markup,
) -> Response {
    (
        status,
        Html(html::page(title, Some(user), st.store().regions(), &Nav::Geld, body).into_string()),
    )
        .into_response()
}

/// The region a user's money link opens: their own (or their gemeente's) region.
fn default_region(st: &AppState, user: &DemoUser) -> String {
    crate::monitor_pages::default_region(st, user)
}

/// `GET /geld`: to the user's region.
pub(crate) async fn start(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
) -> Result<Response, WebError> {
    Ok(Redirect::to(&format!("/geld/{}", default_region(&st, &user))).into_response())
}

/// The year asked for (`?jaar=`), or a Dutch 422 naming the field.
fn jaar_param(q: &[(String, String)]) -> Result<Option<i32>, WebError> {
    match param(q, "jaar") {
        None => Ok(None),
        Some(s) => s.parse::<i32>().map(Some).map_err(|_| {
            WebError::invalid_field(
                "jaar",
                format!("Jaar: '{s}' is geen jaartal (verwacht bijvoorbeeld 2027)."),
            )
            .titled("Invoer niet geldig")
        }),
    }
}

/// The attribution asked for (`?toerekening=`, default besluit).
fn toerekening_param(q: &[(String, String)]) -> Result<Attribution, WebError> {
    match param(q, "toerekening") {
        None => Ok(Attribution::Besluit),
        Some(s) => tab::toerekening_van(s).ok_or_else(|| {
            WebError::invalid_field(
                "toerekening",
                format!("Toerekening: '{s}' bestaat niet. Kies besluit, woonplaatsbeginsel of zorglocatie."),
            )
            .titled("Invoer niet geldig")
        }),
    }
}

/// The gemeente filter of the cost table (`?gemeente=`): a member of the region.
fn gemeente_param(
    p: &RegionProfile,
    q: &[(String, String)],
) -> Result<Option<GemeenteCode>, WebError> {
    match param(q, "gemeente") {
        None => Ok(None),
        Some(s) => GemeenteCode::parse(s)
            .ok()
            .filter(|g| p.gemeente(*g).is_some())
            .map(Some)
            .ok_or_else(|| {
                WebError::invalid_field(
                    "gemeente",
                    format!("Gemeente: '{s}' hoort niet bij {}.", p.name),
                )
                .titled("Invoer niet geldig")
            }),
    }
}

/// A model or store failure as a page error (the page shows it in its frame, no table).
fn fout_web(f: Fout) -> WebError {
    match f {
        Fout::Jaar { jaar, van, tot } => WebError::invalid_field(
            "jaar",
            format!(
                "Voor {jaar} zijn er geen budgetgegevens. Kies een jaar van {van} tot en met {tot}."
            ),
        )
        .code("geld.jaar")
        .titled("Jaar buiten bereik"),
        Fout::Geld(e) => WebError::invalid(e.bericht)
            .code(e.code)
            .titled("Geen bedragen: het rekenmodel gaf een fout"),
        Fout::Store(e) => WebError::from(e),
    }
}

async fn laad(st: &AppState, ctx: &Ctx, jaar: Option<i32>, pad: bool) -> Result<Geladen, WebError> {
    let p = ctx.profile.clone();
    let today = st.today();
    let r = st
        .blocking(move |s| Ok(geld_bron::laad(s, &p, jaar, today, pad)))
        .await
        .map_err(WebError::from)?;
    r.map_err(fout_web)
}

// ---------------------------------------------------------------------------------------
// Page parts

/// The tabs of the money pages.
fn tabs(ctx: &Ctx, current: &str, jaar: Option<i32>) -> Markup {
    let base = format!("/geld/{}", ctx.profile.id);
    let q = jaar.map(|j| format!("?jaar={j}")).unwrap_or_default();
    let items = [
        ("overzicht", "Overzicht", format!("{base}{q}")),
        ("kosten", "Kosten", format!("{base}/kosten{q}")),
        (
            "verrekening",
            "Verrekening",
            format!("{base}/verrekening{q}"),
        ),
        ("tarieven", "Tarieven", format!("{base}/tarieven")),
        ("scenario", "Scenario", format!("{base}/scenario")),
    ];
    html! {
        nav.kruimelpad aria-label="Kruimelpad" {
            ol {
                li { a href="/" { "Overzicht" } }
                li { a href=(base) aria-current=[(current == "overzicht").then_some("page")] { "Geld " (ctx.profile.name) } }
            }
        }
        nav.geld-tabs aria-label="Financiële overzichten" {
            ul.sectie-acties {
                @for (k, label, href) in &items {
                    li { a href=(href) aria-current=[(*k == current).then_some("page")] { (label) } }
                }
            }
        }
    }
}

/// The suppression notice (or the exact-figures notice).
fn melding_onderdrukking(ctx: &Ctx) -> Markup {
    html! {
        @match ctx.t {
            Some(t) => div.melding {
                p {
                    strong { "Gepubliceerde bedragen. " }
                    "Een bedrag per gemeente dat op minder dan " (t) " personen rust staat als \"<" (t) "\"; "
                    "\"—\" is verborgen zodat het regiototaal het niet verraadt. Budgetten rusten niet op personen en staan er altijd."
                }
            },
            None => div.melding.melding-goed {
                p { strong { "Exacte bedragen. " } "U bent van de toegang van deze regio en ziet alle bedragen. Deel ze niet buiten de regio." }
            },
        }
    }
}

/// The aannames the figures rest on, shown as such.
fn aannames(items: &[String]) -> Markup {
    html! {
        section.melding aria-labelledby="kop-aannames" {
            h2 id="kop-aannames" { "Aannames" }
            p {
                strong { "Let op: " }
                "deze bedragen rusten op aannames. De beleidsdocumenten noemen geen tarieven; "
                "de tarieven zijn demowaarden tot de regio ze vastlegt."
            }
            @if !items.is_empty() {
                details {
                    summary { "Alle " (items.len()) " aannames van deze bedragen" }
                    ul { @for a in items { li { (labels::source_words(a)) } } }
                }
            }
        }
    }
}

/// An amount that does not break between the euro sign and the number (tiles).
fn heel(c: Cents) -> String {
    c.to_string().replace(' ', "\u{a0}")
}

/// The year choice (GET form).
fn jaar_form(action: &str, jaar: i32, jaren: (i32, i32), extra: &[(&str, String)]) -> Markup {
    html! {
        form.filters method="get" action=(action) aria-labelledby="kop-jaar" {
            h2 id="kop-jaar" .visueel-verborgen { "Jaar kiezen" }
            div.filter-rij {
                div.veld {
                    label for="f-jaar" { "Jaar" }
                    select id="f-jaar" name="jaar" {
                        @for j in jaren.0..=jaren.1 {
                            option value=(j) selected[j == jaar] { (j) }
                        }
                    }
                }
                @for (k, v) in extra {
                    input type="hidden" name=(k) value=(v);
                }
                div.filter-knoppen { button.knop type="submit" { "Toon" } }
            }
        }
    }
}

fn export_href(ctx: &Ctx, ext: &str, tabel: &str, extra: &str) -> String {
    format!("/geld/{}/export.{ext}?tabel={tabel}{extra}", ctx.profile.id)
}

/// One table with its heading, download links and notes.
fn tabel_sectie(ctx: &Ctx, t: &GTabel, extra: &str, inleiding: Option<Markup>) -> Markup {
    let kop = format!("kop-{}", t.sleutel);
    html! {
        section.monitor-sectie id=(t.sleutel) aria-labelledby=(kop) {
            div.sectie-kop {
                h2 id=(kop) { (t.titel) }
                ul.sectie-acties {
                    li { a href=(export_href(ctx, "csv", t.sleutel, extra)) download { "CSV" span.visueel-verborgen { " van " (t.titel) } } }
                    li { a href=(export_href(ctx, "xlsx", t.sleutel, extra)) download { "Excel" span.visueel-verborgen { " van " (t.titel) } } }
                }
            }
            @if let Some(i) = inleiding { (i) }
            (tabel_html(t))
        }
    }
}

fn cel_html(c: &GCel) -> Markup {
    match c {
        GCel::Tekst(s) => html! { td { (s) } },
        GCel::Klein(t) => {
            html! { td.getal.onderdrukt { abbr title={ "rust op minder dan " (t) " personen, onderdrukt" } { (c.tekst()) } } }
        }
        GCel::Verborgen => {
            html! { td.getal.onderdrukt { abbr title="niet getoond om terugrekenen te voorkomen" { (c.tekst()) } } }
        }
        GCel::Bedrag(x) if x.get() < 0 => html! { td.getal.negatief { (c.tekst()) } },
        _ => html! { td.getal { (c.tekst()) } },
    }
}

/// Whether column `i` (after the first) holds numbers: right-aligned, also its header.
fn numeriek(t: &GTabel, i: usize) -> bool {
    t.rijen
        .iter()
        .filter_map(|r| r.cellen.get(i))
        .any(|c| !matches!(c, GCel::Tekst(_)))
}

/// A money table as HTML (the same [`GTabel`] the downloads write).
fn tabel_html(t: &GTabel) -> Markup {
    html! {
        div.tabel-scroll tabindex="0" role="region" aria-label={ "Tabel " (t.titel) } {
            table id={ "tabel-" (t.sleutel) } {
                caption { (t.titel) }
                thead { tr {
                    th scope="col" { (t.kop) }
                    @for (i, k) in t.kolommen.iter().enumerate() {
                        @if numeriek(t, i) { th.getal scope="col" { (k) } } @else { th scope="col" { (k) } }
                    }
                } }
                tbody {
                    @for r in &t.rijen {
                        tr.totaal[r.totaal].eigen[r.eigen] {
                            th scope="row" {
                                (r.label)
                                @if r.eigen { span.visueel-verborgen { " (uw gemeente)" } }
                            }
                            @for c in &r.cellen { (cel_html(c)) }
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

/// Whole euros of an amount, for drawing only (the tables hold the cents).
fn euros(c: Cents) -> u64 {
    u64::try_from(c.get().max(0) / 100).unwrap_or(0)
}

/// The chart of historical vs objective vs ingroeipad budget per gemeente.
fn budget_grafiek(p: &RegionProfile, o: &vangnet_money::Jaaroverzicht) -> Grafiek {
    let names = o
        .gemeenten
        .iter()
        .map(|g| figures::gemeente_name(p, &g.gemeente.to_string()))
        .collect::<Vec<_>>();
    let reeks = |naam: String,
                 kleur: &'static str,
                 f: &dyn Fn(&vangnet_money::GemeenteJaar) -> Cents| Reeks {
        naam,
        kleur,
        waarden: o
            .gemeenten
            .iter()
            .map(|g| Figure::Exact(euros(f(g))))
            .collect(),
        link: None,
    };
    Grafiek::Liggend {
        links: vec![None; names.len()],
        kleuren: Vec::new(),
        categorieen: names,
        reeksen: vec![
            reeks("Historisch budget (euro)".to_owned(), KLEUREN[0], &|g| {
                g.historisch
            }),
            reeks(
                format!("Budget ingroeipad {} (euro)", o.jaar),
                KLEUREN[1],
                &|g| g.budget,
            ),
            reeks("Objectief budget (euro)".to_owned(), KLEUREN[2], &|g| {
                g.objectief
            }),
        ],
        exact: vec![true, true, true],
    }
}

/// The budget per gemeente over the years of the ingroeipad, in millions of euros.
fn pad_grafiek(p: &RegionProfile, pad: &[vangnet_money::Jaaroverzicht]) -> Option<Grafiek> {
    let first = pad.first()?;
    let lijnen = first
        .gemeenten
        .iter()
        .enumerate()
        .map(|(gi, g)| Lijn {
            naam: figures::gemeente_name(p, &g.gemeente.to_string()),
            kleur: KLEUREN[gi % KLEUREN.len()],
            waarden: pad
                .iter()
                .map(|j| {
                    j.gemeenten
                        .get(gi)
                        .map(|x| x.budget.get() as f64 / 100_000_000.0)
                })
                .collect(),
        })
        .collect();
    Some(Grafiek::Lijnen {
        categorieen: pad.iter().map(|j| j.jaar.to_string()).collect(),
        lijnen,
        referentie: None,
        eenheid: "mln euro",
        max: None,
    })
}

/// The definitions of the overview's columns, the rounding rule and the attribution rules.
fn definities() -> Markup {
    html! {
        section.monitor-sectie id="definities" aria-labelledby="kop-definities" {
            h2 id="kop-definities" { "Definities" }
            dl.definities {
                dt { "Kosten: besluit (huidige wet)" }
                dd { "Toegerekend aan de gemeente die besloot (art. 1.2.1 sub b Wmo 2015): de centrumgemeente bij een centrale toegang, de eigen gemeente bij een lokale toegang." }
                dt { "Kosten: woonplaatsbeginsel" }
                dd { "Toegerekend aan de verantwoordelijke gemeente volgens wetsvoorstel 36 288 (niet in werking), zoals bij de toewijzing vastgelegd; anders de inschrijving bij aanmelding. Maatschappelijke opvang valt niet onder het wetsvoorstel: MO-nachten staan hier zoals onder het besluit." }
                dt { "Kosten: zorglocatie" }
                dd { "Toegerekend aan de gemeente waar de zorglocatie ligt." }
                dt { "Gerealiseerd en verplicht" }
                dd { "Gerealiseerd: dagen in zorg (de startdag telt mee, de dag van einde zorg niet) en MO-nachten, maal het tarief van die maand. Verplicht: dagen waarop een toewijzing geldt en de zorg nog niet gestart is." }
                dt { "Historisch budget" }
                dd { "De integratie-uitkering beschermd wonen en de decentralisatie-uitkering maatschappelijke opvang van de centrumgemeente, na de Wlz-uitname, verdeeld met de interne sleutel van de regio." }
                dt { "Objectief budget" }
                dd { "Het budget volgens het objectieve verdeelmodel: een vaste voet plus kenmerken maal bedragen per eenheid, genormeerd op het macrobudget. De officiële gewichten zijn niet openbaar: dit is een voorbeeldbestand (aanname)." }
                dt { "Budget ingroeipad" }
                dd { "Historisch + aandeel van het jaar × (objectief − historisch). Het laatste jaar van het pad is precies het objectieve budget." }
                dt { "Herverdeeleffect" }
                dd { "Budget ingroeipad − historisch budget; per inwoner gedeeld door het aantal inwoners, half van nul af afgerond op de cent." }
                dt { "Aandeel regionale voorzieningen" }
                dd { "Het deel van de kosten van de regionale voorzieningen (intramurale plaatsen, MO, crisis, toegang, regionale organisatie) volgens de gekozen verdeelsleutel." }
                dt { "Te verrekenen" }
                dd { "Wat de gemeente met de andere gemeenten verrekent: de verrekening van de regionale kosten plus de solidariteit. Positief ontvangt de gemeente, negatief betaalt zij; over de regio telt het op tot € 0,00." }
                dt id="afronding" { "Afronding" }
                dd { "Bedragen zijn exact in centen, nooit binaire kommagetallen. Er wordt op één plek per berekening afgerond: half van nul af. Bij een verdeling gaan de restcenten naar de grootste resten (bij gelijke rest de eerste gemeente), zodat de delen precies optellen tot het totaal." }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Handlers

/// `GET /geld/{regio}?jaar=`: the year overview.
pub(crate) async fn overzicht(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let ctx = context(&st, &user, &regio, false)?;
    let jaar = jaar_param(&q)?;
    let title = format!("Geld {}", ctx.profile.name);
    let g = match laad(&st, &ctx, jaar, true).await {
        Ok(g) => g,
        Err(e) => return Ok(fout_pagina(&st, &user, &ctx, "overzicht", &title, jaar, &e)),
    };
    let o = &g.overzicht;
    let p = &ctx.profile;
    let extra = format!("&jaar={}", g.jaar);
    let title = format!("Geld {} {}", p.name, g.jaar);
    let overzicht = tab::overzicht(p, o, ctx.t, ctx.eigen);
    let voorzieningen = tab::voorzieningen(o);
    let pad = tab::ingroeipad(p, &g.pad);
    let bg = budget_grafiek(p, o);
    let body = html! {
        (tabs(&ctx, "overzicht", Some(g.jaar)))
        h1 { (title) }
        p.inleiding {
            "Wat beschermd wonen en maatschappelijke opvang in " (p.name) " in " (g.jaar) " kosten per gemeente, onder de huidige wet en onder het woonplaatsbeginsel, "
            "wat elke gemeente nu en langs het ingroeipad ontvangt, wie de regionale voorzieningen betaalt en wat er verrekend wordt. "
            "Elke tabel is te downloaden (CSV of Excel) precies zoals hij hier staat."
        }
        (aannames(&o.aannames))
        (melding_onderdrukking(&ctx))
        (jaar_form(&format!("/geld/{}", p.id), g.jaar, g.jaren, &[]))
        section aria-labelledby="kop-kerncijfers" {
            h2 id="kop-kerncijfers" { "Kerncijfers " (g.jaar) }
            ul.tegels {
                li.tegel { span.tegel-label { "Kosten in de regio" } span.tegel-waarde { (heel(o.totaal_kosten)) } }
                li.tegel { span.tegel-label { "Historisch budget" } span.tegel-waarde { (heel(Cents(o.gemeenten.iter().map(|x| x.historisch.get()).sum()))) } }
                li.tegel { span.tegel-label { "Budget langs het ingroeipad" } span.tegel-waarde { (heel(Cents(o.gemeenten.iter().map(|x| x.budget.get()).sum()))) } }
                li.tegel { span.tegel-label { "Aandeel objectief model" } span.tegel-waarde { (tab::procent(o.ingroei_aandeel_bp)) } }
            }
        }
        (tabel_sectie(&ctx, &overzicht, &extra, Some(html! {
            p.sectie-inleiding { "Per gemeente de kosten onder de drie toerekeningen, de budgetten en wat er verrekend wordt. "
                a href={ "/geld/" (p.id) "/kosten?jaar=" (g.jaar) } { "Kosten per maand, product en aanbieder" } " · "
                a href={ "/geld/" (p.id) "/verrekening?jaar=" (g.jaar) } { "Verrekening per regel" } " · "
                a href="#definities" { "Definities" } }
        })))
        section.monitor-sectie id="grafiek-budget" aria-labelledby="kop-grafiek-budget" {
            h2 id="kop-grafiek-budget" { "Historisch en objectief budget per gemeente, " (g.jaar) }
            figure.grafiek {
                (charts::grafiek("budget", &format!("Historisch budget, budget langs het ingroeipad en objectief budget per gemeente in {}", g.jaar), &bg, None))
                figcaption { (charts::legenda(&bg, None)) }
            }
            p.toelichting { "In hele euro's getekend; de tabel hierboven geeft de bedragen op de cent." }
        }
        @if let Some(pg) = pad_grafiek(p, &g.pad) {
            section.monitor-sectie id="grafiek-pad" aria-labelledby="kop-grafiek-pad" {
                h2 id="kop-grafiek-pad" { "Budget per gemeente langs het ingroeipad" }
                figure.grafiek {
                    (charts::grafiek("pad", "Budget per gemeente per jaar langs het ingroeipad, in miljoenen euro", &pg, None))
                    figcaption { (charts::legenda(&pg, None)) }
                }
            }
        }
        (tabel_sectie(&ctx, &pad, &extra, None))
        (tabel_sectie(&ctx, &voorzieningen, &extra, None))
        (definities())
    };
    Ok(render(&st, &user, StatusCode::OK, &title, body))
}

/// A page whose figures could not be made: the frame, the tabs and the error box; no table.
fn fout_pagina(
    st: &AppState,
    user: &DemoUser,
    ctx: &Ctx,
    tab: &str,
    title: &str,
    jaar: Option<i32>,
    e: &WebError,
) -> Response {
    let message = leesbaar(&ctx.profile, &e.message);
    let items: Vec<(Option<String>, &str)> =
        vec![(e.field.as_ref().map(|f| format!("#f-{f}")), &*message)];
    let tarief = e.code.is_some_and(|c| c.starts_with("tarief"));
    let body = html! {
        (tabs(ctx, tab, jaar))
        h1 { (title) }
        (html::error_box(&items))
        p { "Er worden geen bedragen getoond zolang dit niet is opgelost: een half overzicht zou als compleet gelezen kunnen worden." }
        @if tarief {
            p {
                "Een ontbrekend tarief legt de analist van de regio vast op de pagina "
                a href={ "/geld/" (ctx.profile.id) "/tarieven" } { "Tarieven" } "."
            }
        }
        @if e.field.as_deref() == Some("jaar") {
            p { a href={ "/geld/" (ctx.profile.id) } { "Naar het standaardjaar" } }
        }
    };
    let status = if e.status.is_server_error() || e.status == StatusCode::SERVICE_UNAVAILABLE {
        e.status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(st, user, status, title, body)
}

/// `GET /geld/{regio}/kosten?jaar=&toerekening=&gemeente=`: the cost table.
pub(crate) async fn kosten(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let ctx = context(&st, &user, &regio, false)?;
    let jaar = jaar_param(&q)?;
    let a = toerekening_param(&q)?;
    let gemeente = gemeente_param(&ctx.profile, &q)?;
    let title = format!("Kosten {}", ctx.profile.name);
    let g = match laad(&st, &ctx, jaar, false).await {
        Ok(g) => g,
        Err(e) => return Ok(fout_pagina(&st, &user, &ctx, "kosten", &title, jaar, &e)),
    };
    let p = &ctx.profile;
    let t = tab::kosten(p, &g.overzicht, &g.kosten, a, ctx.t, gemeente);
    let mut extra = format!(
        "&jaar={}&toerekening={}",
        g.jaar,
        tab::toerekening_sleutel(a)
    );
    if let Some(gm) = gemeente {
        extra.push_str(&format!("&gemeente={gm}"));
    }
    let title = format!("Kosten {} {}, {}", p.name, g.jaar, tab::toerekening_naam(a));
    let body = html! {
        (tabs(&ctx, "kosten", Some(g.jaar)))
        h1 { "Kosten " (p.name) " " (g.jaar) }
        p.inleiding { "Per maand, product, aanbieder en gemeente: gerealiseerde kosten (dagen in zorg) en verplichte kosten (toegewezen, nog niet gestart), toegerekend aan de gekozen gemeente." }
        (aannames(&g.overzicht.aannames))
        (melding_onderdrukking(&ctx))
        form.filters method="get" action={ "/geld/" (p.id) "/kosten" } aria-labelledby="kop-selectie" {
            h2 id="kop-selectie" { "Selectie" }
            div.filter-rij {
                div.veld {
                    label for="f-jaar" { "Jaar" }
                    select id="f-jaar" name="jaar" {
                        @for j in g.jaren.0..=g.jaren.1 { option value=(j) selected[j == g.jaar] { (j) } }
                    }
                }
                div.veld {
                    label for="f-gemeente" { "Gemeente" }
                    select id="f-gemeente" name="gemeente" {
                        option value="" selected[gemeente.is_none()] { "Alle gemeenten" }
                        @for m in &p.gemeenten {
                            option value=(m.code) selected[gemeente == Some(m.code)] { (m.name) }
                        }
                    }
                }
            }
            div.filter-rij {
                fieldset.keuzes {
                    legend { "Toerekenen aan" }
                    @for x in Attribution::ALL {
                        label.keuze {
                            input type="radio" name="toerekening" value=(tab::toerekening_sleutel(x)) checked[x == a];
                            " " (tab::toerekening_naam(x))
                        }
                    }
                }
                div.filter-knoppen {
                    button.knop type="submit" { "Toon kosten" }
                    a href={ "/geld/" (p.id) "/kosten" } { "Alles wissen" }
                }
            }
        }
        (tabel_sectie(&ctx, &t, &extra, None))
    };
    Ok(render(&st, &user, StatusCode::OK, &title, body))
}

/// `GET /geld/{regio}/verrekening?jaar=`: the settlement statement.
pub(crate) async fn verrekening(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let ctx = context(&st, &user, &regio, false)?;
    let jaar = jaar_param(&q)?;
    let title = format!("Verrekening {}", ctx.profile.name);
    let g = match laad(&st, &ctx, jaar, false).await {
        Ok(g) => g,
        Err(e) => {
            return Ok(fout_pagina(
                &st,
                &user,
                &ctx,
                "verrekening",
                &title,
                jaar,
                &e,
            ));
        }
    };
    let p = &ctx.profile;
    let o = &g.overzicht;
    let t = tab::verrekening(p, o, ctx.t);
    let solidariteit: i64 = o
        .gemeenten
        .iter()
        .map(|x| x.afrekening.solidarity.get().max(0))
        .sum();
    let title = format!("Verrekening {} {}", p.name, g.jaar);
    let body = html! {
        (tabs(&ctx, "verrekening", Some(g.jaar)))
        h1 { (title) }
        p.inleiding { "Per gemeente het budget, de eigen kosten, het aandeel in de regionale kosten, de solidariteit en wat er tussen de gemeenten verrekend wordt. De verrekening telt over de regio op tot nul." }
        (aannames(&o.aannames))
        (melding_onderdrukking(&ctx))
        (jaar_form(&format!("/geld/{}/verrekening", p.id), g.jaar, g.jaren, &[]))
        dl.kerncijfers-rij {
            div { dt { "Verdeelsleutel" } dd { (o.sleutel) } }
            div { dt { "Solidariteit (ontvangen door gemeenten met een tekort)" } dd { (Cents(solidariteit)) } }
            div { dt { "Regionale voorzieningen" } dd { (Cents(o.regionale_voorzieningen.iter().map(|v| v.1.get()).sum())) } }
        }
        (tabel_sectie(&ctx, &t, &format!("&jaar={}", g.jaar), None))
    };
    Ok(render(&st, &user, StatusCode::OK, &title, body))
}

// ---------------------------------------------------------------------------------------
// Tariffs

/// The tariff table.
fn tarieven_tabel(p: &RegionProfile, rijen: &[TariefRij]) -> GTabel {
    let rijen = rijen
        .iter()
        .map(|r| {
            let t = &r.tarief;
            GRij {
                label: figures::product_name(p, t.product.as_str()),
                cellen: vec![
                    GCel::Tekst(leveringsvorm_label(t.leveringsvorm).to_owned()),
                    GCel::Tekst(eenheid_label(t.eenheid).to_owned()),
                    GCel::Bedrag(t.bedrag),
                    GCel::Datum(t.van),
                    t.tot
                        .map_or_else(|| GCel::Tekst("open".to_owned()), GCel::Datum),
                    GCel::Tekst(t.uren_per_week_x100.map_or_else(String::new, |u| {
                        tab::procent(i64::from(u)).trim_end_matches(" %").to_owned()
                    })),
                    GCel::Tekst(labels::herkomst_tekst(&t.herkomst)),
                    GCel::Tekst(r.vastgelegd.as_ref().map_or_else(
                        || "financieel profiel".to_owned(),
                        |(wie, op)| {
                            format!(
                                "{wie}, {}",
                                op.get(..10)
                                    .and_then(|d| Date::parse(d).ok())
                                    .map_or_else(|| op.clone(), labels::date)
                            )
                        },
                    )),
                ],
                totaal: false,
                eigen: false,
            }
        })
        .collect();
    GTabel {
        sleutel: "tarieven",
        titel: format!("Tarieven {}", p.name),
        kop: "Product".to_owned(),
        kolommen: vec![
            "Leveringsvorm".to_owned(),
            "Eenheid".to_owned(),
            "Bedrag".to_owned(),
            "Van".to_owned(),
            "Tot en met".to_owned(),
            "Uren per week".to_owned(),
            "Bron of aanname".to_owned(),
            "Vastgelegd".to_owned(),
        ],
        rijen,
        noten: vec![
            "Een pgb-tarief is alleen het zorgdeel: het pgb betaalt nooit woonlasten.".to_owned(),
        ],
    }
}

fn leveringsvorm_label(l: Leveringsvorm) -> &'static str {
    match l {
        Leveringsvorm::Zin => "zorg in natura",
        Leveringsvorm::Pgb => "pgb",
    }
}

fn eenheid_label(e: Eenheid) -> &'static str {
    match e {
        Eenheid::Dag => "per dag",
        Eenheid::Week => "per week",
        Eenheid::Maand => "per maand",
        Eenheid::Uur => "per uur",
        Eenheid::Nacht => "per nacht",
    }
}

const EENHEDEN: [(&str, Eenheid); 5] = [
    ("dag", Eenheid::Dag),
    ("week", Eenheid::Week),
    ("maand", Eenheid::Maand),
    ("uur", Eenheid::Uur),
    ("nacht", Eenheid::Nacht),
];

/// The tariff form as posted.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct TariefForm {
    #[serde(default)]
    product: String,
    #[serde(default)]
    leveringsvorm: String,
    #[serde(default)]
    eenheid: String,
    #[serde(default)]
    bedrag: String,
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    #[serde(default)]
    uren: String,
    #[serde(default)]
    herkomst_soort: String,
    #[serde(default)]
    herkomst: String,
}

/// A date as a form sends it: `JJJJ-MM-DD` (a date input) or `dd-mm-jjjj` (typed).
fn parse_datum(s: &str) -> Option<Date> {
    if let Ok(d) = Date::parse(s) {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => {
            Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

/// The checks of the form, every error at once (field, Dutch message); the store checks
/// again and decides on overlaps with the stored tariffs.
pub(crate) fn check_tarief(
    p: &RegionProfile,
    f: &TariefForm,
    bestaand: &[TariefRij],
) -> Result<Tarief, Vec<(&'static str, String)>> {
    let mut fouten: Vec<(&'static str, String)> = Vec::new();
    let product = ProductCode::parse(f.product.trim())
        .ok()
        .and_then(|c| p.product(&c).cloned());
    if product.is_none() {
        fouten.push(("product", "Kies een product van de regio.".to_owned()));
    }
    let lv = match f.leveringsvorm.as_str() {
        "zin" => Some(Leveringsvorm::Zin),
        "pgb" => Some(Leveringsvorm::Pgb),
        _ => {
            fouten.push(("leveringsvorm", "Kies zorg in natura of pgb.".to_owned()));
            None
        }
    };
    let eenheid = EENHEDEN
        .iter()
        .find(|(k, _)| *k == f.eenheid)
        .map(|(_, e)| *e);
    if eenheid.is_none() {
        fouten.push(("eenheid", "Kies de eenheid van het tarief.".to_owned()));
    }
    let mo = product.as_ref().is_some_and(|x| x.domain == Domain::Mo);
    if eenheid == Some(Eenheid::Nacht) && product.is_some() && !mo {
        fouten.push((
            "eenheid",
            "Een tarief per nacht is er alleen voor maatschappelijke opvang.".to_owned(),
        ));
    }
    if lv == Some(Leveringsvorm::Pgb) && mo {
        fouten.push((
            "leveringsvorm",
            "Maatschappelijke opvang wordt niet met een pgb geleverd: kies zorg in natura."
                .to_owned(),
        ));
    }
    let bedrag = match Cents::parse(f.bedrag.trim()) {
        Ok(c) if c.get() > 0 => Some(c),
        Ok(_) => {
            fouten.push(("bedrag", "Het bedrag is groter dan € 0,00.".to_owned()));
            None
        }
        Err(_) => {
            fouten.push((
                "bedrag",
                "Vul een bedrag in euro's in, bijvoorbeeld 123,45.".to_owned(),
            ));
            None
        }
    };
    let van = match parse_datum(f.van.trim()) {
        Some(d) if d.ymd().2 == 1 => Some(d),
        Some(d) => {
            fouten.push((
                "van",
                format!(
                    "Een tariefperiode begint op de eerste dag van een maand, niet op {}.",
                    labels::date(d)
                ),
            ));
            None
        }
        None => {
            fouten.push((
                "van",
                "Vul de eerste dag van de periode in als dd-mm-jjjj.".to_owned(),
            ));
            None
        }
    };
    let tot = match f.tot.trim() {
        "" => None,
        s => {
            match parse_datum(s) {
                Some(d) if d != vangnet_domain::Maand::of(d).last_day() => {
                    fouten.push((
                    "tot",
                    format!("Een tariefperiode eindigt op de laatste dag van een maand, niet op {}.", labels::date(d)),
                ));
                    None
                }
                Some(d) if van.is_none_or(|v| d >= v) => Some(d),
                Some(_) => {
                    fouten.push((
                        "tot",
                        "De laatste dag ligt vóór de eerste dag van de periode.".to_owned(),
                    ));
                    None
                }
                None => {
                    fouten.push((
                        "tot",
                        "Vul de laatste dag in als dd-mm-jjjj, of laat het veld leeg.".to_owned(),
                    ));
                    None
                }
            }
        }
    };
    let uren = match (eenheid, f.uren.trim()) {
        (Some(Eenheid::Uur), "") => {
            fouten.push((
                "uren",
                "Vul bij een uurtarief het aantal uren per week in.".to_owned(),
            ));
            None
        }
        (Some(Eenheid::Uur), s) => match Cents::parse(s) {
            Ok(c) if c.get() > 0 && c.get() <= 16_800 => u32::try_from(c.get()).ok(),
            _ => {
                fouten.push((
                    "uren",
                    "Het aantal uren per week ligt tussen 0 en 168, bijvoorbeeld 4,5.".to_owned(),
                ));
                None
            }
        },
        (_, "") => None,
        (_, _) => {
            fouten.push((
                "uren",
                "Uren per week horen alleen bij een uurtarief.".to_owned(),
            ));
            None
        }
    };
    let tekst = f.herkomst.trim().to_owned();
    let herkomst = match (f.herkomst_soort.as_str(), tekst.is_empty()) {
        (_, true) => {
            fouten.push((
                "herkomst",
                "Noem de bron van het tarief, of waarom het een aanname is.".to_owned(),
            ));
            None
        }
        ("bron", false) => Some(Herkomst::Bron(tekst)),
        ("aanname", false) => Some(Herkomst::Aanname(tekst)),
        _ => {
            fouten.push((
                "herkomst",
                "Kies of het bedrag uit een bron komt of een aanname is.".to_owned(),
            ));
            None
        }
    };
    // PGB: the care part only, never housing: not above the ZIN tariff of the same product
    // and unit on the first day of the period.
    if let (Some(pr), Some(Leveringsvorm::Pgb), Some(e), Some(b), Some(v)) =
        (&product, lv, eenheid, bedrag, van)
        && let Some(zin) = bestaand.iter().map(|r| &r.tarief).find(|t| {
            t.product == pr.code
                && t.leveringsvorm == Leveringsvorm::Zin
                && t.eenheid == e
                && t.van <= v
                && t.tot.is_none_or(|x| x >= v)
        })
        && b > zin.bedrag
    {
        fouten.push((
            "bedrag",
            format!(
                "Een pgb-tarief is alleen het zorgdeel (het pgb betaalt geen woonlasten) en ligt dus niet boven het tarief in natura van {} ({}).",
                zin.bedrag,
                eenheid_label(e)
            ),
        ));
    }
    if !fouten.is_empty() {
        return Err(fouten);
    }
    match (product, lv, eenheid, bedrag, van, herkomst) {
        (Some(pr), Some(leveringsvorm), Some(eenheid), Some(bedrag), Some(van), Some(herkomst)) => {
            Ok(Tarief {
                product: pr.code,
                leveringsvorm,
                eenheid,
                bedrag,
                van,
                tot,
                uren_per_week_x100: uren,
                herkomst,
            })
        }
        _ => Err(vec![("product", "Het formulier is onvolledig.".to_owned())]),
    }
}

/// A model or store message for a reader: product codes as the products' names, ISO dates
/// as `dd-mm-jjjj`.
fn leesbaar(p: &RegionProfile, m: &str) -> String {
    let mut products: Vec<_> = p.products.iter().collect();
    products.sort_by_key(|x| std::cmp::Reverse(x.code.as_str().len()));
    let mut out = m.to_owned();
    for x in products {
        out = out.replace(x.code.as_str(), &x.name);
    }
    labels::source_words(&out)
}

/// A store refusal for the form: an overlap (the model's message names profile lines) said
/// plainly with the periods; another message without its field prefix.
fn store_bericht(m: &str) -> String {
    if m.contains("overlap") {
        let periodes = m.rsplit_once(": ").map_or("", |(_, r)| r);
        return format!(
            "De periode overlapt met een tarief dat al geldt voor hetzelfde product en dezelfde leveringsvorm ({periodes}). Een vastgelegd tarief wordt niet gewijzigd: kies een periode die niet overlapt."
        );
    }
    let tekst = [
        "van:",
        "tot:",
        "bedrag:",
        "product:",
        "uren per week:",
        "herkomst:",
    ]
    .iter()
    .find_map(|p| m.strip_prefix(p))
    .unwrap_or(m)
    .trim();
    html::sentence(tekst)
}

/// The field a store refusal is about (the store's messages start with it).
fn store_veld(m: &str) -> &'static str {
    for (prefix, veld) in [
        ("van:", "van"),
        ("tot:", "tot"),
        ("bedrag:", "bedrag"),
        ("product:", "product"),
        ("uren per week:", "uren"),
        ("herkomst:", "herkomst"),
    ] {
        if m.starts_with(prefix) {
            return veld;
        }
    }
    // An overlap names the period.
    "van"
}

async fn tarieven_laden(st: &AppState, p: &RegionProfile) -> Result<Vec<TariefRij>, WebError> {
    let p2 = p.clone();
    st.blocking(move |s| Ok(geld_bron::tarieven(s, &p2)))
        .await
        .map_err(WebError::from)?
        .map_err(fout_web)
}

fn tarieven_body(
    ctx: &Ctx,
    rijen: &[TariefRij],
    form: &TariefForm,
    fouten: &[(&'static str, String)],
    melding: Option<&str>,
) -> Markup {
    let p = &ctx.profile;
    let t = tarieven_tabel(p, rijen);
    let fout = |veld: &str| {
        fouten
            .iter()
            .find(|(f, _)| *f == veld)
            .map(|(_, m)| m.as_str())
    };
    let described = |veld: &str| fout(veld).map(|_| format!("fout-{veld}"));
    let demo = rijen.iter().any(|r| r.tarief.herkomst.is_aanname());
    let items: Vec<(Option<String>, &str)> = fouten
        .iter()
        .map(|(f, m)| (Some(format!("#f-{f}")), m.as_str()))
        .collect();
    html! {
        (tabs(ctx, "tarieven", None))
        h1 { "Tarieven " (p.name) }
        p.inleiding { "Tarieven per product, leveringsvorm en periode, met hun eenheid en bron. Een nieuwe prijs is een nieuwe periode; een vastgelegd tarief wordt niet gewijzigd." }
        @if demo || rijen.is_empty() {
            div.melding { p { strong { "Aanname. " } "De beleidsdocumenten noemen geen tarieven: tarieven met het label \"aanname\" zijn demowaarden en elk scherm dat ze gebruikt zegt dat." } }
        }
        @match melding {
            Some("nieuw") => div.melding.melding-goed id="melding" role="status" tabindex="-1" autofocus { p { "Het tarief is vastgelegd." } },
            Some("al") => div.melding.melding-goed id="melding" role="status" tabindex="-1" autofocus { p { "Dit tarief was al vastgelegd; er is niets gewijzigd." } },
            _ => {},
        }
        @if ctx.analist {
            section.monitor-sectie id="nieuw-tarief" aria-labelledby="kop-nieuw-tarief" {
                h2 id="kop-nieuw-tarief" { "Tarief toevoegen" }
                (html::error_box(&items))
                form.formulier method="post" action={ "/geld/" (p.id) "/tarieven" } novalidate {
                    (crate::users::csrf_field())
                    div.veld {
                        label for="f-product" { "Product" }
                        @if let Some(m) = fout("product") { (html::field_message("product", m)) }
                        select id="f-product" name="product" aria-describedby=[described("product")] {
                            option value="" { "Kies een product" }
                            @for pr in &p.products {
                                option value=(pr.code) selected[form.product == pr.code.as_str()] { (pr.name) }
                            }
                        }
                    }
                    fieldset.keuzes id="f-leveringsvorm" aria-describedby=[described("leveringsvorm")] {
                        legend { "Leveringsvorm" }
                        @if let Some(m) = fout("leveringsvorm") { (html::field_message("leveringsvorm", m)) }
                        label.keuze { input type="radio" name="leveringsvorm" value="zin" checked[form.leveringsvorm == "zin"]; " zorg in natura" }
                        label.keuze { input type="radio" name="leveringsvorm" value="pgb" checked[form.leveringsvorm == "pgb"]; " pgb (alleen het zorgdeel, geen woonlasten)" }
                    }
                    div.veld {
                        label for="f-eenheid" { "Eenheid" }
                        @if let Some(m) = fout("eenheid") { (html::field_message("eenheid", m)) }
                        select id="f-eenheid" name="eenheid" aria-describedby=[described("eenheid")] {
                            option value="" { "Kies een eenheid" }
                            @for (k, e) in EENHEDEN {
                                option value=(k) selected[form.eenheid == k] { (eenheid_label(e)) }
                            }
                        }
                    }
                    div.veld {
                        label for="f-bedrag" { "Bedrag in euro's" }
                        @if let Some(m) = fout("bedrag") { (html::field_message("bedrag", m)) }
                        input id="f-bedrag" name="bedrag" inputmode="decimal" value=(form.bedrag) aria-describedby=[described("bedrag")] aria-invalid=[fout("bedrag").map(|_| "true")];
                    }
                    div.veld {
                        label for="f-van" { "Eerste dag (de eerste van een maand)" }
                        @if let Some(m) = fout("van") { (html::field_message("van", m)) }
                        input id="f-van" name="van" type="date" value=(form.van) aria-describedby=[described("van")] aria-invalid=[fout("van").map(|_| "true")];
                    }
                    div.veld {
                        label for="f-tot" { "Laatste dag (leeg: doorlopend)" }
                        @if let Some(m) = fout("tot") { (html::field_message("tot", m)) }
                        input id="f-tot" name="tot" type="date" value=(form.tot) aria-describedby=[described("tot")] aria-invalid=[fout("tot").map(|_| "true")];
                    }
                    div.veld {
                        label for="f-uren" { "Uren per week (alleen bij een uurtarief)" }
                        @if let Some(m) = fout("uren") { (html::field_message("uren", m)) }
                        input id="f-uren" name="uren" inputmode="decimal" value=(form.uren) aria-describedby=[described("uren")];
                    }
                    fieldset.keuzes id="f-herkomst" aria-describedby=[described("herkomst")] {
                        legend { "Herkomst van het bedrag" }
                        @if let Some(m) = fout("herkomst") { (html::field_message("herkomst", m)) }
                        label.keuze { input type="radio" name="herkomst_soort" value="bron" checked[form.herkomst_soort != "aanname"]; " bron (document, besluit, contract)" }
                        label.keuze { input type="radio" name="herkomst_soort" value="aanname" checked[form.herkomst_soort == "aanname"]; " aanname" }
                        div.veld {
                            label for="f-herkomst-tekst" { "Welke bron, of waarom een aanname" }
                            input id="f-herkomst-tekst" name="herkomst" value=(form.herkomst);
                        }
                    }
                    button.knop type="submit" { "Tarief vastleggen" }
                }
            }
        } @else {
            p.toelichting { "Tarieven legt de financiële werkgroep van de regio vast (de analist). Voor uw rol is deze pagina alleen om te lezen." }
        }
        (tabel_sectie(ctx, &t, "", None))
    }
}

/// `GET /geld/{regio}/tarieven`.
pub(crate) async fn tarieven(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let ctx = context(&st, &user, &regio, false)?;
    let rijen = tarieven_laden(&st, &ctx.profile).await?;
    let form = TariefForm {
        herkomst_soort: "bron".to_owned(),
        ..TariefForm::default()
    };
    let body = tarieven_body(&ctx, &rijen, &form, &[], param(&q, "melding"));
    Ok(render(
        &st,
        &user,
        StatusCode::OK,
        &format!("Tarieven {}", ctx.profile.name),
        body,
    ))
}

/// `POST /geld/{regio}/tarieven`: record a tariff (the analist); the store decides again,
/// logs, refuses an overlap and records a repeated identical submit only once.
pub(crate) async fn tarief_vastleggen(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    form: Result<Form<TariefForm>, FormRejection>,
) -> Result<Response, WebError> {
    let ctx = context(&st, &user, &regio, false)?;
    if !ctx.analist {
        return Err(WebError::forbidden(format!(
            "Tarieven van {} legt de analist van de regio vast. Voor uw rol zijn de tarieven alleen om te lezen.",
            ctx.profile.name
        ))
        .code("geen_toegang"));
    }
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request("Het formulier is onvolledig."));
    };
    let rijen = tarieven_laden(&st, &ctx.profile).await?;
    let refuse = |fouten: Vec<(&'static str, String)>| {
        let body = tarieven_body(&ctx, &rijen, &f, &fouten, None);
        render(
            &st,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("Tarieven {}", ctx.profile.name),
            body,
        )
    };
    let tarief = match check_tarief(&ctx.profile, &f, &rijen) {
        Ok(t) => t,
        Err(fouten) => return Ok(refuse(fouten)),
    };
    let gate = user.gate(format!("tarief vastleggen voor {}", ctx.profile.name));
    let id = ctx.profile.id.clone();
    let r = st
        .blocking(move |s| Ok(s.record_tariff(&gate, &id, &tarief)))
        .await
        .map_err(WebError::from)?;
    match r {
        Ok(v) => {
            let m = match v {
                Vastlegging::Nieuw => "nieuw",
                Vastlegging::AlVastgelegd => "al",
            };
            Ok(Redirect::to(&format!(
                "/geld/{}/tarieven?melding={m}#melding",
                ctx.profile.id
            ))
            .into_response())
        }
        Err(StoreError::Invalid(m)) => {
            let veld = store_veld(&m);
            Ok(refuse(vec![(
                veld,
                leesbaar(&ctx.profile, &store_bericht(&m)),
            )]))
        }
        Err(e) => Err(WebError::from(e)),
    }
}

// ---------------------------------------------------------------------------------------
// Scenario

/// The scenario form's values, as given (kept on a refusal).
#[derive(Debug, Clone, Default)]
struct ScenarioVelden {
    ambulant_pct: String,
    ambulant_jaren: String,
    ambulant_vanaf: String,
    wpb_vanaf: String,
    objectief_vanaf: String,
    wlz_pct: String,
    prognose: String,
}

const SCENARIO_VELDEN: [&str; 7] = [
    "ambulant_pct",
    "ambulant_jaren",
    "ambulant_vanaf",
    "wpb_vanaf",
    "objectief_vanaf",
    "wlz_pct",
    "prognose",
];

fn scenario_velden(q: &[(String, String)]) -> ScenarioVelden {
    let v = |k: &str| param(q, k).unwrap_or_default().to_owned();
    ScenarioVelden {
        ambulant_pct: v("ambulant_pct"),
        ambulant_jaren: v("ambulant_jaren"),
        ambulant_vanaf: v("ambulant_vanaf"),
        wpb_vanaf: v("wpb_vanaf"),
        objectief_vanaf: v("objectief_vanaf"),
        wlz_pct: v("wlz_pct"),
        prognose: v("prognose"),
    }
}

/// The scenario from the form, or every error (field, Dutch message).
fn scenario_invoer(v: &ScenarioVelden) -> Result<ScenarioInvoer, Vec<(&'static str, String)>> {
    let mut fouten = Vec::new();
    let pct =
        |veld: &'static str, s: &str, fouten: &mut Vec<(&'static str, String)>| -> Option<i64> {
            if s.is_empty() {
                return None;
            }
            match Cents::parse(s.trim_end_matches('%').trim()) {
                Ok(c) if (0..=10_000).contains(&c.get()) => Some(c.get()),
                _ => {
                    fouten.push((
                        veld,
                        "Vul een percentage tussen 0 en 100 in, bijvoorbeeld 20 of 12,5."
                            .to_owned(),
                    ));
                    None
                }
            }
        };
    let jaar =
        |veld: &'static str, s: &str, fouten: &mut Vec<(&'static str, String)>| -> Option<i32> {
            if s.is_empty() {
                return None;
            }
            match s.parse::<i32>() {
                Ok(j) if (2015..=2060).contains(&j) => Some(j),
                _ => {
                    fouten.push((veld, "Vul een jaartal tussen 2015 en 2060 in.".to_owned()));
                    None
                }
            }
        };
    let a_pct = pct("ambulant_pct", &v.ambulant_pct, &mut fouten);
    let a_jaren = match v.ambulant_jaren.as_str() {
        "" => None,
        s => match s.parse::<u32>() {
            Ok(n) if (1..=30).contains(&n) => Some(n),
            _ => {
                fouten.push((
                    "ambulant_jaren",
                    "Vul een aantal jaren van 1 tot en met 30 in.".to_owned(),
                ));
                None
            }
        },
    };
    let a_vanaf = jaar("ambulant_vanaf", &v.ambulant_vanaf, &mut fouten);
    let ambulant = match (a_pct, a_jaren, a_vanaf) {
        (Some(x), Some(n), Some(y)) => Some((x, n, y)),
        (None, None, None) => None,
        _ => {
            if !fouten.iter().any(|(f, _)| f.starts_with("ambulant")) {
                fouten.push((
                    "ambulant_pct",
                    "Vul voor ambulantisering het percentage, het aantal jaren en het beginjaar in (of laat alle drie leeg).".to_owned(),
                ));
            }
            None
        }
    };
    let s = ScenarioInvoer {
        ambulant,
        wpb_vanaf: jaar("wpb_vanaf", &v.wpb_vanaf, &mut fouten),
        objectief_vanaf: jaar("objectief_vanaf", &v.objectief_vanaf, &mut fouten),
        wlz_bp: pct("wlz_pct", &v.wlz_pct, &mut fouten),
        prognose: match v.prognose.as_str() {
            "" => false,
            "ja" => true,
            _ => {
                fouten.push((
                    "prognose",
                    "Volumes uit de prognose: vink het vakje aan (ja) of laat het leeg.".to_owned(),
                ));
                false
            }
        },
    };
    if fouten.is_empty() {
        Ok(s)
    } else {
        Err(fouten)
    }
}

/// The scenario table: per year and gemeente, base vs scenario.
fn scenario_tabel(p: &RegionProfile, rijen: &[ScenarioRegel], t: Option<u32>) -> GTabel {
    let _ = t;
    let rijen = rijen
        .iter()
        .map(|r| GRij {
            label: format!(
                "{} {}",
                r.jaar,
                figures::gemeente_name(p, &r.gemeente.to_string())
            ),
            cellen: vec![
                GCel::Bedrag(r.kosten.0),
                GCel::Bedrag(r.kosten.1),
                GCel::Bedrag(Cents(r.kosten.1.get() - r.kosten.0.get())),
                GCel::Bedrag(r.budget.0),
                GCel::Bedrag(r.budget.1),
                GCel::Bedrag(r.verrekening.0),
                GCel::Bedrag(r.verrekening.1),
            ],
            totaal: false,
            eigen: false,
        })
        .collect();
    GTabel {
        sleutel: "scenario",
        titel: "Effect van het scenario per gemeente per jaar".to_owned(),
        kop: "Jaar en gemeente".to_owned(),
        kolommen: vec![
            "Kosten basis".to_owned(),
            "Kosten scenario".to_owned(),
            "Verschil kosten".to_owned(),
            "Budget basis".to_owned(),
            "Budget scenario".to_owned(),
            "Te verrekenen basis".to_owned(),
            "Te verrekenen scenario".to_owned(),
        ],
        rijen,
        noten: vec![
            "Kosten onder het regime dat in dat jaar geldt (huidige wet of woonplaatsbeginsel)."
                .to_owned(),
        ],
    }
}

/// The forecast priced per year: the middle and its 90 % band.
fn prognose_tabel(banden: &[(i32, (Cents, Cents, Cents))]) -> GTabel {
    GTabel {
        sleutel: "prognose",
        titel: "Kosten volgens de prognose, met bandbreedte".to_owned(),
        kop: "Jaar".to_owned(),
        kolommen: vec![
            "Laag (5 %)".to_owned(),
            "Midden (mediaan)".to_owned(),
            "Hoog (95 %)".to_owned(),
        ],
        rijen: banden
            .iter()
            .map(|(jaar, (l, m, h))| GRij {
                label: jaar.to_string(),
                cellen: vec![GCel::Bedrag(*l), GCel::Bedrag(*m), GCel::Bedrag(*h)],
                totaal: false,
                eigen: false,
            })
            .collect(),
        noten: vec![vangnet_money::prognose::AANNAME.to_owned()],
    }
}

/// A scenario's rows and description (if computed), the form's errors and the status.
type ScenarioUitkomst = (
    Option<geld_bron::ScenarioUitkomst>,
    Vec<(&'static str, String)>,
    StatusCode,
);

/// `GET /geld/{regio}/scenario?…`: the scenario form and, when filled in, its effect.
pub(crate) async fn scenario(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let ctx = context(&st, &user, &regio, false)?;
    let p = ctx.profile.clone();
    let velden = scenario_velden(&q);
    let asked = SCENARIO_VELDEN.iter().any(|k| param(&q, k).is_some());
    let (uitkomst, fouten, status): ScenarioUitkomst = match (asked, scenario_invoer(&velden)) {
        (false, _) => (None, Vec::new(), StatusCode::OK),
        (true, Err(f)) => (None, f, StatusCode::UNPROCESSABLE_ENTITY),
        (true, Ok(s)) => {
            let p2 = p.clone();
            let today = st.today();
            // Pricing the forecast simulates: one computation slot of the server's forecast
            // queue, as on /prognose.
            let ticket = if s.prognose {
                Some(st.forecasts.enter(&user.id).await?)
            } else {
                None
            };
            let reader = user.job("geld: prognose in geld");
            let r = st
                .blocking(move |store| {
                    let _ticket = ticket;
                    Ok(geld_bron::scenario(store, &reader, &p2, &s, today))
                })
                .await
                .map_err(WebError::from)?;
            match r {
                Ok(x) => (Some(x), Vec::new(), StatusCode::OK),
                Err(e) => {
                    let e = fout_web(e);
                    (
                        None,
                        vec![("model", e.message.into_owned())],
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                }
            }
        }
    };
    let fout = |veld: &str| {
        fouten
            .iter()
            .find(|(f, _)| *f == veld)
            .map(|(_, m)| m.as_str())
    };
    let items: Vec<(Option<String>, &str)> = fouten
        .iter()
        .map(|(f, m)| ((*f != "model").then(|| format!("#f-{f}")), m.as_str()))
        .collect();
    let veld = |id: &'static str, label: &str, value: &str| {
        html! {
            div.veld {
                label for={ "f-" (id) } { (label) }
                @if let Some(m) = fout(id) { (html::field_message(id, m)) }
                input id={ "f-" (id) } name=(id) inputmode="decimal" value=(value) aria-invalid=[fout(id).map(|_| "true")];
            }
        }
    };
    let body = html! {
        (tabs(&ctx, "scenario", None))
        h1 { "Scenario's " (p.name) }
        p.inleiding { "Wat verandert er aan kosten, budget en verrekening per gemeente per jaar als … Vul in wat u wilt doorrekenen; lege velden blijven zoals in de basis." }
        (aannames(&[]))
        (html::error_box(&items))
        form.filters method="get" action={ "/geld/" (p.id) "/scenario" } aria-labelledby="kop-scenario" {
            h2 id="kop-scenario" { "Scenario" }
            fieldset.keuzes {
                legend { "Ambulantisering: X % van de intramurale zorg wordt ambulant in N jaar" }
                div.filter-rij {
                    (veld("ambulant_pct", "X (procent)", &velden.ambulant_pct))
                    (veld("ambulant_jaren", "N (jaren)", &velden.ambulant_jaren))
                    (veld("ambulant_vanaf", "Vanaf jaar", &velden.ambulant_vanaf))
                }
            }
            div.filter-rij {
                (veld("wpb_vanaf", "Woonplaatsbeginsel vanaf jaar", &velden.wpb_vanaf))
                (veld("objectief_vanaf", "Objectief verdeelmodel vanaf jaar", &velden.objectief_vanaf))
                (veld("wlz_pct", "Wlz neemt (procent van de BW-dagen)", &velden.wlz_pct))
            }
            div.filter-rij {
                label.keuze { input type="checkbox" id="f-prognose" name="prognose" value="ja" checked[velden.prognose == "ja"]; " volumes uit de prognose (met bandbreedte)" }
                div.filter-knoppen {
                    button.knop type="submit" { "Reken door" }
                    a href={ "/geld/" (p.id) "/scenario" } { "Alles wissen" }
                }
            }
        }
        @if let Some((rijen, banden, omschrijving)) = &uitkomst {
            @let t = scenario_tabel(&p, rijen, ctx.t);
            @if !omschrijving.is_empty() {
                p { strong { "Scenario: " } (omschrijving.join("; ")) "." }
            }
            section.monitor-sectie id="scenario" aria-labelledby="kop-scenario-tabel" {
                h2 id="kop-scenario-tabel" { (t.titel) }
                (tabel_html(&t))
            }
            @if !banden.is_empty() {
                @let b = prognose_tabel(banden);
                section.monitor-sectie id="prognose" aria-labelledby="kop-prognose-tabel" {
                    h2 id="kop-prognose-tabel" { (b.titel) }
                    (tabel_html(&b))
                }
            }
        }
    };
    Ok(render(
        &st,
        &user,
        status,
        &format!("Scenario's {}", p.name),
        body,
    ))
}

// ---------------------------------------------------------------------------------------
// Downloads and JSON

/// The tables of a download or the API: `tabel` one of overzicht, kosten, verrekening,
/// voorzieningen, ingroeipad, tarieven.
async fn tabellen(
    st: &AppState,
    ctx: &Ctx,
    q: &[(String, String)],
    json: bool,
) -> Result<(Vec<GTabel>, Option<Geladen>), WebError> {
    let as_kind = |e: WebError| if json { e.json() } else { e };
    let tabel = param(q, "tabel").unwrap_or("overzicht");
    if tabel == "tarieven" {
        let rijen = tarieven_laden(st, &ctx.profile).await.map_err(as_kind)?;
        return Ok((vec![tarieven_tabel(&ctx.profile, &rijen)], None));
    }
    let known = [
        "overzicht",
        "kosten",
        "verrekening",
        "voorzieningen",
        "ingroeipad",
        "alle",
    ];
    if !known.contains(&tabel) {
        return Err(as_kind(
            WebError::not_found(format!(
                "Tabel '{tabel}' bestaat niet. Kies een van: overzicht, kosten, verrekening, voorzieningen, ingroeipad, tarieven."
            ))
            .field("tabel"),
        ));
    }
    let jaar = jaar_param(q).map_err(as_kind)?;
    let a = toerekening_param(q).map_err(as_kind)?;
    let gemeente = gemeente_param(&ctx.profile, q).map_err(as_kind)?;
    let pad = matches!(tabel, "ingroeipad" | "alle");
    let g = laad(st, ctx, jaar, pad).await.map_err(as_kind)?;
    let p = &ctx.profile;
    let o = &g.overzicht;
    let all = [
        ("overzicht", tab::overzicht(p, o, ctx.t, ctx.eigen)),
        ("kosten", tab::kosten(p, o, &g.kosten, a, ctx.t, gemeente)),
        ("verrekening", tab::verrekening(p, o, ctx.t)),
        ("voorzieningen", tab::voorzieningen(o)),
        ("ingroeipad", tab::ingroeipad(p, &g.pad)),
    ];
    let out = all
        .into_iter()
        .filter(|(k, _)| tabel == "alle" || *k == tabel)
        .map(|(_, t)| t)
        .collect();
    Ok((out, Some(g)))
}

async fn export(
    st: &AppState,
    user: &DemoUser,
    regio: &str,
    q: &[(String, String)],
    xlsx: bool,
) -> Result<Response, WebError> {
    let ctx = context(st, user, regio, false)?;
    let (ts, g) = tabellen(st, &ctx, q, false).await?;
    let tabel = param(q, "tabel").unwrap_or("overzicht");
    let jaar = g
        .as_ref()
        .map(|g| format!("-{}", g.jaar))
        .unwrap_or_default();
    let a = match tabel {
        "kosten" => format!("-{}", tab::toerekening_sleutel(toerekening_param(q)?)),
        _ => String::new(),
    };
    let name = format!("vangnet-geld-{}-{tabel}{jaar}{a}", ctx.profile.id);
    let aannames = g
        .as_ref()
        .map(|g| g.overzicht.aannames.clone())
        .unwrap_or_default();
    let tables: Vec<vangnet_tabular::Table> = ts
        .iter()
        .map(|t| {
            let mut x = t.tabular();
            x.preamble.push(format!("Regio: {}{}", ctx.profile.name, g.as_ref().map(|g| format!(", jaar {}", g.jaar)).unwrap_or_default()));
            if let Some(drempel) = ctx.t {
                x.preamble.push(format!(
                    "Bedragen die op minder dan {drempel} personen rusten en de bedragen die ze zouden verraden zijn onderdrukt: die cellen zijn leeg, de kolom Toelichting zegt waarom."
                ));
            }
            for a in &aannames {
                x.notes.push(format!("Aanname: {}", labels::source_words(a)));
            }
            x.notes.push(format!("Bron: Vangnet, financiële overzichten {} ({}).", ctx.profile.name, ctx.profile.id));
            x
        })
        .collect();
    Ok(crate::pages::download(&name, &tables, xlsx))
}

/// `GET /geld/{regio}/export.csv?tabel=…`: one table as CSV (exactly as on screen).
pub(crate) async fn export_csv(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    export(&st, &user, &regio, &q, false).await
}

/// `GET /geld/{regio}/export.xlsx?tabel=…` (or `alle`): a workbook.
pub(crate) async fn export_xlsx(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    export(&st, &user, &regio, &q, true).await
}

/// `GET /api/geld/{regio}?jaar=&tabel=`: the same tables as JSON, with the aannames.
pub(crate) async fn api(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let ctx = context(&st, &user, &regio, true)?;
    let (ts, g) = tabellen(&st, &ctx, &q, true).await?;
    Ok(axum::Json(json!({
        "regio": ctx.profile.id.to_string(),
        "jaar": g.as_ref().map(|g| g.jaar),
        "exact": ctx.t.is_none(),
        "aannames": g.as_ref().map(|g| g.overzicht.aannames.clone()).unwrap_or_default(),
        "tabellen": ts.iter().map(GTabel::json).collect::<Vec<_>>(),
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> TariefForm {
        let mut f = TariefForm {
            herkomst_soort: "bron".into(),
            herkomst: "contract 2027".into(),
            ..TariefForm::default()
        };
        for (k, v) in pairs {
            let v = (*v).to_owned();
            match *k {
                "product" => f.product = v,
                "leveringsvorm" => f.leveringsvorm = v,
                "eenheid" => f.eenheid = v,
                "bedrag" => f.bedrag = v,
                "van" => f.van = v,
                "tot" => f.tot = v,
                "uren" => f.uren = v,
                "herkomst_soort" => f.herkomst_soort = v,
                "herkomst" => f.herkomst = v,
                _ => panic!("{k}"),
            }
        }
        f
    }

    fn profile() -> RegionProfile {
        vangnet_domain::Regions::builtin().all()[0].clone()
    }

    fn product(p: &RegionProfile, d: Domain) -> String {
        p.products
            .iter()
            .find(|x| x.domain == d)
            .unwrap()
            .code
            .to_string()
    }

    #[test]
    fn a_good_tariff_is_accepted() {
        let p = profile();
        let bw = product(&p, Domain::Bw);
        let t = check_tarief(
            &p,
            &form(&[
                ("product", &bw),
                ("leveringsvorm", "zin"),
                ("eenheid", "dag"),
                ("bedrag", "1.234,56"),
                ("van", "2027-01-01"),
            ]),
            &[],
        )
        .unwrap();
        assert_eq!(t.bedrag, Cents(123_456));
        assert_eq!(t.van, Date::from_ymd(2027, 1, 1).unwrap());
        assert_eq!(t.tot, None);
        assert_eq!(t.herkomst, Herkomst::Bron("contract 2027".into()));
    }

    #[test]
    fn every_error_of_the_form_at_once_in_dutch() {
        let p = profile();
        let bw = product(&p, Domain::Bw);
        let e = check_tarief(
            &p,
            &form(&[
                ("product", &bw),
                ("leveringsvorm", "zin"),
                ("eenheid", "dag"),
                ("bedrag", "twaalf"),
                ("van", "15-01-2027"),
                ("tot", "01-12-2026"),
                ("uren", "4"),
            ]),
            &[],
        )
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["bedrag", "van", "tot", "uren"], "{e:?}");
        assert!(e[2].1.contains("laatste dag van een maand"), "{e:?}");
        assert!(e[0].1.contains("bedrag in euro's"), "{e:?}");
        assert!(
            e[1].1
                .contains("eerste dag van een maand, niet op 15-01-2027"),
            "{e:?}"
        );
        // An hourly tariff needs hours; a night only for MO; MO never by PGB.
        let e = check_tarief(
            &p,
            &form(&[
                ("product", &bw),
                ("leveringsvorm", "zin"),
                ("eenheid", "uur"),
                ("bedrag", "60"),
                ("van", "2027-01-01"),
            ]),
            &[],
        )
        .unwrap_err();
        assert_eq!(e[0].0, "uren");
        let e = check_tarief(
            &p,
            &form(&[
                ("product", &bw),
                ("leveringsvorm", "zin"),
                ("eenheid", "nacht"),
                ("bedrag", "60"),
                ("van", "2027-01-01"),
            ]),
            &[],
        )
        .unwrap_err();
        assert!(
            e[0].1.contains("alleen voor maatschappelijke opvang"),
            "{e:?}"
        );
        if p.products.iter().any(|x| x.domain == Domain::Mo) {
            let mo = product(&p, Domain::Mo);
            let e = check_tarief(
                &p,
                &form(&[
                    ("product", &mo),
                    ("leveringsvorm", "pgb"),
                    ("eenheid", "nacht"),
                    ("bedrag", "60"),
                    ("van", "2027-01-01"),
                ]),
                &[],
            )
            .unwrap_err();
            assert!(e[0].1.contains("niet met een pgb"), "{e:?}");
        }
        let e = check_tarief(&p, &form(&[("bedrag", "0"), ("herkomst", " ")]), &[]).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            vec![
                "product",
                "leveringsvorm",
                "eenheid",
                "bedrag",
                "van",
                "herkomst"
            ]
        );
    }

    #[test]
    fn a_pgb_tariff_is_care_only_and_not_above_the_zin_tariff() {
        let p = profile();
        let bw = product(&p, Domain::Bw);
        let zin = check_tarief(
            &p,
            &form(&[
                ("product", &bw),
                ("leveringsvorm", "zin"),
                ("eenheid", "dag"),
                ("bedrag", "150"),
                ("van", "2027-01-01"),
            ]),
            &[],
        )
        .unwrap();
        let bestaand = [TariefRij {
            tarief: zin,
            vastgelegd: None,
        }];
        let e = check_tarief(
            &p,
            &form(&[
                ("product", &bw),
                ("leveringsvorm", "pgb"),
                ("eenheid", "dag"),
                ("bedrag", "150,01"),
                ("van", "2027-03-01"),
            ]),
            &bestaand,
        )
        .unwrap_err();
        assert_eq!(e[0].0, "bedrag");
        assert!(
            e[0].1.contains("geen woonlasten") && e[0].1.contains("€ 150,00"),
            "{e:?}"
        );
        assert!(
            check_tarief(
                &p,
                &form(&[
                    ("product", &bw),
                    ("leveringsvorm", "pgb"),
                    ("eenheid", "dag"),
                    ("bedrag", "95"),
                    ("van", "2027-03-01")
                ]),
                &bestaand
            )
            .is_ok()
        );
    }

    #[test]
    fn scenario_fields_are_checked_together() {
        let mut v = ScenarioVelden {
            ambulant_pct: "20".into(),
            ambulant_jaren: "5".into(),
            ambulant_vanaf: "2027".into(),
            wlz_pct: "12,5".into(),
            ..ScenarioVelden::default()
        };
        let s = scenario_invoer(&v).unwrap();
        assert_eq!(s.ambulant, Some((2_000, 5, 2027)));
        assert_eq!(s.wlz_bp, Some(1_250));
        v.ambulant_jaren.clear();
        v.wpb_vanaf = "1999".into();
        let e = scenario_invoer(&v).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["ambulant_pct", "wpb_vanaf"], "{e:?}");
    }

    #[test]
    fn store_refusals_land_at_their_field() {
        assert_eq!(
            store_veld("bedrag: een tarief is groter dan € 0,00"),
            "bedrag"
        );
        assert_eq!(
            store_veld("tarief BW ZIN: de periode vanaf 2027-01-01 overlapt"),
            "van"
        );
        assert_eq!(
            store_veld("uren per week: alleen bij een uurtarief"),
            "uren"
        );
    }
}
