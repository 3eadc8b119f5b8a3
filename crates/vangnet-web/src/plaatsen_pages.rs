//! `/regio/{id}/plaatsen`: the region's places over time (issue 14) — places vs occupancy vs
//! waiting per product and gemeente, the month series, per location its stand, capacity
//! periods and free-place reports, and (for the region's access team) the form to enter a
//! capacity period; `/regio/{id}/plaatsen.csv` is the per-location table.
//!
//! **Who sees what** ([`RouteRule::Places`](crate::RouteRule::Places), narrowed here by
//! [`may_view`]): the region's access team sees exact figures; the policy roles
//! (beleidsmedewerker, analist) of the region or of one of its gemeenten see the same page
//! with the monitor's small-number rule ([`figures::threshold_for`]: every count below the
//! region's threshold shown as `<t`, a free count only where both its parts are exact); a
//! provider, corporation, wijkteam, auditor or beheerder gets 403 (the provider enters
//! capacity for its own locations in its portal, through the same store method). Nothing here
//! is client data: the store answers aggregate counts ([`vangnet_store::Store::place_overview`]).
//!
//! **Where the numbers come from**: the stand of today from the store (capacity of the day
//! from the profile and the entered periods; occupied = the occupancy counters of today plus
//! temporary stays; reserved = open proposals; blocked = in care and uitstroomklaar; free =
//! places − occupied − reserved, negative with overbezetting — shown, never clamped). The
//! waiting count per product and gemeente (of origin) and the month series are the monitor's
//! month-end stocks `in_zorg` / `wachtend` (cheap: the in-memory index); the series' places
//! are the capacity on each month's last day.
//!
//! **The form** (`POST /regio/{id}/plaatsen`, only the region's access team — anyone else 403,
//! nothing written): location, product, kind, from, to (optional; required for a temporary
//! change), places and reason; an ombouw adds the second product and its places, recorded as
//! two periods in one submit. Every field is checked at the edge and by the pure model against
//! the stored periods (an overlap is shown at its field, naming the existing period) before
//! anything is written: each error at its field in Dutch, 422, the values kept. A repeated
//! identical submit (a double click) records nothing new.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_domain::plaatsen::{
    Capaciteit, CapaciteitPeriode, CapaciteitSoort, PlaatsStand, check_periode, periode_label,
};
use vangnet_domain::{
    Actor, Date, GemeenteCode, LocationId, Maand, Organisation, ProductCode, RegionProfile, Role,
    access,
};
use vangnet_store::plaatsen::{StoredMelding, StoredPeriode, Vastlegging};
use vangnet_tabular::{Cell, Table};

use crate::error::Query;
use crate::figures::{self, Figure};
use crate::html::{self, Nav};
use crate::labels;
use crate::pages::region;
use crate::users::{DemoUser, LoggedIn};
use crate::{AppState, WebError};

/// How many months the series shows (through the current month).
const SERIES_MONTHS: i32 = 13;

/// May `actor` see the places page of `profile`: the region's access team, and the policy
/// roles and the analist of the region or of one of its gemeenten, and the system — the
/// audience of the region's money pages ([`access::may_view_money_of`]: the same aggregate
/// figures of one region for the same people).
pub fn may_view(actor: &Actor, profile: &RegionProfile) -> bool {
    access::may_view_money_of(actor, profile)
}

/// May `actor` enter a capacity period on this page: the region's own access team. (The store
/// also lets a location's provider record for its own location, from its portal.)
pub fn may_enter(actor: &Actor, profile: &RegionProfile) -> bool {
    matches!(
        (actor.role, &actor.organisation),
        (Role::Toegangsmedewerker, Organisation::Regio(r)) if *r == profile.id
    )
}

/// Query of `GET /regio/{id}/plaatsen`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PlaatsenQuery {
    /// The product of the month series (default: the first product with places).
    product: Option<String>,
    /// After a save: `opgeslagen` or `al-vastgelegd`.
    melding: Option<String>,
}

/// Everything the page shows, loaded once.
struct Data {
    stand: Vec<PlaatsStand>,
    periods: Vec<StoredPeriode>,
    reports: Vec<StoredMelding>,
    /// Month-end stocks from the monitor index (no client data).
    stocks: Stocks,
}

/// The monitor's month-end stocks the page reads: per product the series of the last
/// [`SERIES_MONTHS`] months (in care, waiting), and waiting per (product, gemeente) now.
#[derive(Default)]
struct Stocks {
    /// product → (month key → (in care, waiting)) for the series' months.
    series: HashMap<String, BTreeMap<u32, (i64, i64)>>,
    /// (product, gemeente) → waiting at the end of the current month.
    wachtend: HashMap<(String, String), i64>,
}

/// Read the stocks from the in-memory index `view` (measures `in_zorg`, `wachtend`, in that
/// order): one pass over each measure's cells up to the last of `months` (stocks are net
/// flows: the month-end stock is the running sum of every month up to it).
fn stocks_of(view: &vangnet_store::MonitorView, months: &[u32]) -> Stocks {
    let mut out = Stocks::default();
    let (Some(&first), Some(&last)) = (months.first(), months.last()) else {
        return out;
    };
    for (i, m) in view.measures.iter().enumerate() {
        // Net flow per product: before the series, and per series month.
        let mut base: HashMap<u32, i64> = HashMap::new();
        let mut flows: HashMap<u32, BTreeMap<u32, i64>> = HashMap::new();
        let mut waiting: HashMap<(u32, u32), i64> = HashMap::new();
        for c in m.until(last) {
            if c.maand < first {
                *base.entry(c.product).or_default() += c.n;
            } else {
                *flows
                    .entry(c.product)
                    .or_default()
                    .entry(c.maand)
                    .or_default() += c.n;
            }
            if i == 1 {
                *waiting.entry((c.product, c.gemeente)).or_default() += c.n;
            }
        }
        for ((p, g), n) in waiting {
            out.wachtend.insert(
                (view.dict.name(p).to_owned(), view.dict.name(g).to_owned()),
                n,
            );
        }
        let products: BTreeSet<u32> = base.keys().chain(flows.keys()).copied().collect();
        for p in products {
            let series = out.series.entry(view.dict.name(p).to_owned()).or_default();
            let mut running = base.get(&p).copied().unwrap_or(0);
            let f = flows.get(&p);
            for &month in months {
                running += f.and_then(|f| f.get(&month)).copied().unwrap_or(0);
                let e = series.entry(month).or_default();
                if i == 0 {
                    e.0 = running;
                } else {
                    e.1 = running;
                }
            }
        }
    }
    out
}

/// The series' months, oldest first, through the month of `today`.
fn series_months(today: Date) -> Vec<Maand> {
    let now = Maand::of(today);
    (0..SERIES_MONTHS).rev().map(|i| now.plus(-i)).collect()
}

async fn load(st: &AppState, profile: &RegionProfile, today: Date) -> Result<Data, WebError> {
    let id = profile.id.clone();
    let months: Vec<u32> = series_months(today).iter().map(|m| m.key()).collect();
    st.blocking(move |s| {
        let view = s.monitor_view(
            &id,
            &[
                vangnet_domain::monitor::Measure::InZorg,
                vangnet_domain::monitor::Measure::Wachtend,
            ],
        )?;
        Ok(Data {
            stand: s.place_overview(&id, today)?,
            periods: s.capacity_periods(&id)?,
            reports: s.free_place_reports(&id)?,
            stocks: stocks_of(&view, &months),
        })
    })
    .await
    .map_err(WebError::from)
}

/// One row of the table per product and gemeente.
struct GemeenteRij {
    product: ProductCode,
    gemeente: GemeenteCode,
    plaatsen: u64,
    bezet: u64,
    gereserveerd: u64,
    geblokkeerd: u64,
    wachtend: u64,
}

fn per_gemeente(profile: &RegionProfile, data: &Data) -> Vec<GemeenteRij> {
    let mut out: std::collections::BTreeMap<(ProductCode, GemeenteCode), GemeenteRij> =
        std::collections::BTreeMap::new();
    for s in &data.stand {
        let Some(loc) = profile.location(&s.locatie) else {
            continue;
        };
        let r = out
            .entry((s.product.clone(), loc.gemeente))
            .or_insert_with(|| GemeenteRij {
                product: s.product.clone(),
                gemeente: loc.gemeente,
                plaatsen: 0,
                bezet: 0,
                gereserveerd: 0,
                geblokkeerd: 0,
                wachtend: 0,
            });
        r.plaatsen += u64::from(s.plaatsen);
        r.bezet += u64::from(s.bezet);
        r.gereserveerd += u64::from(s.gereserveerd);
        r.geblokkeerd += u64::from(s.geblokkeerd);
    }
    // Gemeenten whose residents wait for a product without a location of it there: a row
    // with 0 places, so every waiting person is in the table.
    for ((p, g), n) in &data.stocks.wachtend {
        if *n <= 0 {
            continue;
        }
        if let (Ok(product), Ok(gemeente)) = (ProductCode::parse(p), GemeenteCode::parse(g)) {
            out.entry((product.clone(), gemeente))
                .or_insert_with(|| GemeenteRij {
                    product,
                    gemeente,
                    plaatsen: 0,
                    bezet: 0,
                    gereserveerd: 0,
                    geblokkeerd: 0,
                    wachtend: 0,
                });
        }
    }
    for r in out.values_mut() {
        let key = (r.product.to_string(), r.gemeente.to_string());
        r.wachtend = data
            .stocks
            .wachtend
            .get(&key)
            .map_or(0, |n| u64::try_from(*n).unwrap_or(0));
    }
    out.into_values().collect()
}

/// How a viewer sees counts: exact, or with the small-number rule.
#[derive(Clone, Copy)]
struct Zicht(Option<u32>);

impl Zicht {
    fn n(self, n: u64) -> Figure {
        figures::cell(n, self.0)
    }
    /// Free = places − occupied − reserved: shown only when both counts are exact.
    fn vrij(self, plaatsen: u64, bezet: u64, gereserveerd: u64) -> Option<i64> {
        (self.n(bezet).exact().is_some() && self.n(gereserveerd).exact().is_some()).then(|| {
            i64::try_from(plaatsen).unwrap_or(i64::MAX)
                - i64::try_from(bezet + gereserveerd).unwrap_or(i64::MAX)
        })
    }
}

fn vrij_cell(v: Option<i64>) -> Cell {
    match v {
        Some(v) => Cell::Int(v),
        None => Cell::Withheld {
            shown: "—".into(),
            note: "onderdrukt: niet gepubliceerd".into(),
        },
    }
}

fn vrij_html(v: Option<i64>) -> Markup {
    html! {
        @match v {
            Some(v) if v < 0 => span.label.label-fout title="overbezet" { (v) },
            Some(v) => (v),
            None => abbr title="onderdrukt: niet gepubliceerd" { "—" },
        }
    }
}

fn figure_html(f: Figure) -> Markup {
    html! {
        @match f.toelichting() {
            Some(t) => abbr title=(t) { (f) },
            None => (f),
        }
    }
}

fn provider_name(profile: &RegionProfile, loc: &LocationId) -> String {
    profile
        .location(loc)
        .and_then(|l| profile.provider(l.provider))
        .map_or_else(String::new, |p| p.name.clone())
}

fn location_name(profile: &RegionProfile, loc: &LocationId) -> String {
    profile
        .location(loc)
        .map_or_else(|| loc.to_string(), |l| l.name.clone())
}

/// The per-location table (page and CSV alike): location, gemeente, provider, product,
/// places, occupied, reserved, blocked, free.
fn locatie_tabel(profile: &RegionProfile, data: &Data, z: Zicht) -> Table {
    let mut rows = Vec::new();
    for s in &data.stand {
        let gemeente = profile
            .location(&s.locatie)
            .map(|l| figures::gemeente_name(profile, &l.gemeente.to_string()))
            .unwrap_or_default();
        let (p, b, r, g) = (
            u64::from(s.plaatsen),
            u64::from(s.bezet),
            u64::from(s.gereserveerd),
            u64::from(s.geblokkeerd),
        );
        rows.push(vec![
            Cell::Text(location_name(profile, &s.locatie)),
            Cell::Text(gemeente),
            Cell::Text(provider_name(profile, &s.locatie)),
            Cell::Text(figures::product_name(profile, s.product.as_str())),
            Cell::Int(i64::from(s.plaatsen)),
            z.n(b).cel(),
            z.n(r).cel(),
            z.n(g).cel(),
            vrij_cell(z.vrij(p, b, r)),
        ]);
    }
    Table {
        title: format!("Plaatsen per locatie — {}", profile.name),
        sheet: String::new(),
        preamble: Vec::new(),
        columns: [
            "Locatie",
            "Gemeente",
            "Aanbieder",
            "Product",
            "Plaatsen",
            "Bezet",
            "Gereserveerd",
            "Geblokkeerd",
            "Vrij",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        notes: vec![
            "Bezet: in zorg op de locatie plus tijdelijk verblijf; gereserveerd: openstaande voorstellen; geblokkeerd: in zorg en uitstroomklaar (deel van bezet); vrij = plaatsen − bezet − gereserveerd (negatief bij overbezetting).".into(),
        ],
    }
}

fn cell_html(c: &Cell) -> Markup {
    html! {
        @match c {
            Cell::Text(t) => (t),
            Cell::Int(n) if *n < 0 => span.label.label-fout title="overbezet" { (n) },
            Cell::Int(n) => (n),
            Cell::Number(x) => (x),
            Cell::Withheld { shown, note } => abbr title=(note) { (shown) },
            Cell::Empty => "",
        }
    }
}

/// The values and errors of the capacity form.
/// A form shown again: what was typed and the refusals per field (also the
/// woningafspraken form's).
#[derive(Debug, Default, Clone)]
pub(crate) struct FormState {
    pub(crate) values: std::collections::BTreeMap<String, String>,
    pub(crate) errors: Vec<(&'static str, String)>,
}

impl FormState {
    pub(crate) fn get(&self, k: &str) -> &str {
        self.values.get(k).map_or("", String::as_str)
    }
    pub(crate) fn error(&self, k: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == k)
            .map(|(_, m)| m.as_str())
    }
}

const FORM_FIELDS: [&str; 8] = [
    "locatie",
    "product",
    "soort",
    "vanaf",
    "tot",
    "plaatsen",
    "reden",
    "ombouw_product",
];

/// The periods a submitted form asks to record (one, or two for an ombouw), or the errors at
/// their fields: the edge's checks, then the pure model's against the stored periods.
fn check_form(
    profile: &RegionProfile,
    f: &FormState,
    stored: &[StoredPeriode],
) -> Result<Vec<CapaciteitPeriode>, Vec<(&'static str, String)>> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let locatie = match LocationId::parse(f.get("locatie").trim()) {
        Ok(l) if profile.location(&l).is_some() => Some(l),
        _ => {
            errors.push(("locatie", "kies een locatie van de regio".into()));
            None
        }
    };
    let product =
        |field: &'static str, errors: &mut Vec<(&'static str, String)>| match ProductCode::parse(
            f.get(field).trim(),
        ) {
            Ok(p) if profile.product(&p).is_some() => Some(p),
            _ => {
                errors.push((field, "kies een product van de regio".into()));
                None
            }
        };
    let product1 = product("product", &mut errors);
    let soort = CapaciteitSoort::parse(f.get("soort").trim());
    if soort.is_none() {
        errors.push(("soort", "kies de soort wijziging".into()));
    }
    let date = |field: &'static str, errors: &mut Vec<(&'static str, String)>| {
        let s = f.get(field).trim();
        if s.is_empty() {
            return Ok(None);
        }
        match Date::parse(s) {
            Ok(d) => Ok(Some(d)),
            Err(_) => {
                errors.push((field, format!("'{s}' is geen datum; gebruik JJJJ-MM-DD")));
                Err(())
            }
        }
    };
    let vanaf = date("vanaf", &mut errors);
    if matches!(vanaf, Ok(None)) {
        errors.push((
            "vanaf",
            "vul de datum in vanaf wanneer de wijziging geldt".into(),
        ));
    }
    let tot = date("tot", &mut errors);
    let count = |field: &'static str, errors: &mut Vec<(&'static str, String)>| {
        let s = f.get(field).trim();
        match s.parse::<u32>() {
            Ok(n) if n <= vangnet_domain::plaatsen::MAX_PLAATSEN => Some(n),
            _ if s.is_empty() => {
                errors.push((field, "vul het aantal plaatsen in".into()));
                None
            }
            _ => {
                errors.push((
                    field,
                    format!(
                        "'{s}' is geen aantal plaatsen (0 tot en met {})",
                        vangnet_domain::plaatsen::MAX_PLAATSEN
                    ),
                ));
                None
            }
        }
    };
    let plaatsen = count("plaatsen", &mut errors);
    let reden = f.get("reden").trim().to_owned();
    if reden.is_empty() {
        errors.push(("reden", "vul de reden van de wijziging in".into()));
    }
    let ombouw = soort == Some(CapaciteitSoort::Ombouw);
    let (product2, plaatsen2) = if ombouw {
        (
            product("ombouw_product", &mut errors),
            count("ombouw_plaatsen", &mut errors),
        )
    } else {
        (None, None)
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(locatie), Some(product1), Some(soort), Ok(Some(vanaf)), Ok(tot), Some(plaatsen)) =
        (locatie, product1, soort, vanaf, tot, plaatsen)
    else {
        return Err(vec![("locatie", "het formulier is onvolledig".into())]);
    };
    let mut periods = vec![CapaciteitPeriode {
        locatie: locatie.clone(),
        product: product1.clone(),
        vanaf,
        tot,
        plaatsen,
        soort,
        reden: reden.clone(),
    }];
    if let (Some(p2), Some(n2)) = (product2, plaatsen2) {
        if p2 == product1 {
            return Err(vec![(
                "ombouw_product",
                "bij een ombouw gaat één product omlaag en een ander omhoog: kies een ander product".into(),
            )]);
        }
        periods.push(CapaciteitPeriode {
            product: p2,
            plaatsen: n2,
            ..periods[0].clone()
        });
    }
    // The model's checks, each period against the stored ones (and the first of an ombouw).
    let mut existing: Vec<CapaciteitPeriode> = stored.iter().map(|s| s.periode.clone()).collect();
    for (i, p) in periods.iter().enumerate() {
        if existing.contains(p) {
            continue; // already recorded: the store writes nothing (a double click)
        }
        if let Err(e) = check_periode(profile, p, &existing) {
            let field = match (i, e.field) {
                (1, "product") => "ombouw_product",
                (1, "plaatsen") => "ombouw_plaatsen",
                (_, f) if FORM_FIELDS.contains(&f) || f == "ombouw_plaatsen" => f,
                _ => "reden",
            };
            return Err(vec![(field, e.message)]);
        }
        existing.push(p.clone());
    }
    Ok(periods)
}

/// `GET /regio/{id}/plaatsen`.
pub(crate) async fn page(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    Query(q): Query<PlaatsenQuery>,
) -> Result<Response, WebError> {
    let profile = region(&st, &id)?;
    refuse_unless_viewer(&user, &profile)?;
    let today = st.today();
    let data = load(&st, &profile, today).await?;
    let body = render(&profile, &user, &data, &q, &FormState::default(), today);
    Ok(respond(&st, &user, &profile, StatusCode::OK, body))
}

fn refuse_unless_viewer(user: &DemoUser, profile: &RegionProfile) -> Result<(), WebError> {
    if may_view(&user.actor, profile) {
        Ok(())
    } else {
        Err(WebError::forbidden(format!(
            "De plaatsen van {} zijn er voor het toegangsteam, de beleidsmedewerkers en de analisten van de regio. Uw rol of organisatie geeft daar geen recht op.",
            profile.name
        )))
    }
}

/// `GET /regio/{id}/plaatsen.csv`: the per-location table as on the page.
pub(crate) async fn csv(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let profile = region(&st, &id)?;
    refuse_unless_viewer(&user, &profile)?;
    let data = load(&st, &profile, st.today()).await?;
    let z = Zicht(figures::threshold_for(Some(&user.actor), &profile));
    let table = locatie_tabel(&profile, &data, z);
    Ok(crate::pages::download(
        &format!("plaatsen-{}", profile.id),
        &[table],
        false,
    ))
}

/// `POST /regio/{id}/plaatsen`: the access team enters a capacity period (two for an ombouw).
pub(crate) async fn submit(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let profile = region(&st, &id)?;
    if !may_enter(&user.actor, &profile) {
        return Err(WebError::forbidden(format!(
            "Capaciteit van {} legt het toegangsteam van de regio vast (een aanbieder doet dat voor de eigen locaties in het aanbiedersportaal).",
            profile.name
        )));
    }
    let mut form = FormState::default();
    for (k, v) in form_urlencoded::parse(&body) {
        if k != "csrf" {
            form.values.insert(k.into_owned(), v.into_owned());
        }
    }
    let today = st.today();
    let stored = {
        let rid = profile.id.clone();
        st.blocking(move |s| s.capacity_periods(&rid)).await?
    };
    let periods = match check_form(&profile, &form, &stored) {
        Ok(p) => p,
        Err(errors) => {
            form.errors = errors;
            let data = load(&st, &profile, today).await?;
            let body = render(
                &profile,
                &user,
                &data,
                &PlaatsenQuery::default(),
                &form,
                today,
            );
            return Ok(respond(
                &st,
                &user,
                &profile,
                StatusCode::UNPROCESSABLE_ENTITY,
                body,
            ));
        }
    };
    let gate = user.gate("capaciteit vastleggen");
    let rid = profile.id.clone();
    let result = st
        .blocking(move |s| {
            let mut all_repeat = true;
            for p in &periods {
                if s.record_capacity(&gate, &rid, p)? == Vastlegging::Nieuw {
                    all_repeat = false;
                }
            }
            Ok(all_repeat)
        })
        .await;
    let melding = match result {
        Ok(true) => "al-vastgelegd",
        Ok(false) => "opgeslagen",
        Err(vangnet_store::StoreError::Rule { error, .. }) => {
            // A period entered by someone else meanwhile: shown at its field.
            let field = if FORM_FIELDS.contains(&error.field) {
                error.field
            } else {
                "reden"
            };
            form.errors = vec![(field, error.message)];
            let data = load(&st, &profile, today).await?;
            let body = render(
                &profile,
                &user,
                &data,
                &PlaatsenQuery::default(),
                &form,
                today,
            );
            return Ok(respond(
                &st,
                &user,
                &profile,
                StatusCode::UNPROCESSABLE_ENTITY,
                body,
            ));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!(
        "/regio/{}/plaatsen?melding={melding}#capaciteit",
        profile.id
    ))
    .into_response())
}

fn respond(
    st: &AppState,
    user: &DemoUser,
    profile: &RegionProfile,
    status: StatusCode,
    body: Markup,
) -> Response {
    let title = format!("Plaatsen — {}", profile.name);
    (
        status,
        Html(
            html::page(
                &title,
                Some(user),
                st.store().regions(),
                &Nav::Region(profile.id.to_string()),
                body,
            )
            .into_string(),
        ),
    )
        .into_response()
}

fn render(
    profile: &RegionProfile,
    user: &DemoUser,
    data: &Data,
    q: &PlaatsenQuery,
    form: &FormState,
    today: Date,
) -> Markup {
    let threshold = figures::threshold_for(Some(&user.actor), profile);
    let z = Zicht(threshold);
    let rijen = per_gemeente(profile, data);
    let tabel = locatie_tabel(profile, data, z);
    let cap = Capaciteit::new(profile, data.periods.iter().map(|s| &s.periode));
    // The series' product: asked, else the first product with places.
    let series_product = q
        .product
        .as_deref()
        .and_then(|p| ProductCode::parse(p).ok())
        .filter(|p| profile.product(p).is_some())
        .or_else(|| data.stand.iter().map(|s| s.product.clone()).next());
    html! {
        h1 { "Plaatsen — " (profile.name) }
        p {
            "Stand op " time datetime=(today.to_string()) { (labels::date(today)) }
            ". Capaciteit per locatie en product uit het regioprofiel en de vastgelegde wijzigingen (opening, sluiting, ombouw, afbouw, opbouw); bezetting, reserveringen en wachtenden uit de vastgelegde feiten."
        }
        @if threshold.is_some() {
            div.melding role="note" {
                p { "U ziet gepubliceerde cijfers: aantallen kleiner dan " (profile.norms.kleine_aantallen_drempel) " staan er als "
                    "\u{201c}<" (profile.norms.kleine_aantallen_drempel) "\u{201d}; een aantal vrije plaatsen alleen waar bezet en gereserveerd allebei exact zijn." }
            }
        }
        section aria-labelledby="kop-gemeente" {
            h2 id="kop-gemeente" { "Per product en gemeente" }
            p { "Plaatsen en bezetting naar de gemeente van de locatie; wachtenden naar hun gemeente van herkomst." }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-gemeente-tabel" {
                table id="plaatsen-gemeente" {
                    caption id="kop-gemeente-tabel" { "Per product en gemeente" }
                    thead { tr {
                        th scope="col" { "Product" }
                        th scope="col" { "Gemeente" }
                        th.getal scope="col" { "Plaatsen" }
                        th.getal scope="col" { "Bezet" }
                        th.getal scope="col" { "Gereserveerd" }
                        th.getal scope="col" { "Geblokkeerd" }
                        th.getal scope="col" { "Vrij" }
                        th.getal scope="col" { "Wachtend" }
                    } }
                    tbody {
                        @for r in &rijen {
                            tr {
                                th scope="row" { (figures::product_name(profile, r.product.as_str())) }
                                td { (figures::gemeente_name(profile, &r.gemeente.to_string())) }
                                td.getal { (r.plaatsen) }
                                td.getal { (figure_html(z.n(r.bezet))) }
                                td.getal { (figure_html(z.n(r.gereserveerd))) }
                                td.getal { (figure_html(z.n(r.geblokkeerd))) }
                                td.getal { (vrij_html(z.vrij(r.plaatsen, r.bezet, r.gereserveerd))) }
                                td.getal { (figure_html(z.n(r.wachtend))) }
                            }
                        }
                    }
                }
            }
        }
        (series(profile, data, &cap, series_product.as_ref(), z, today))
        section aria-labelledby="kop-locaties" {
            h2 id="kop-locaties" { "Per locatie" }
            p { a href={ "/regio/" (profile.id) "/plaatsen.csv" } download { "Download deze tabel (CSV)" } }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-locaties-tabel" {
                table id="plaatsen-tabel" {
                    caption id="kop-locaties-tabel" { (tabel.title) }
                    thead { tr {
                        @for (i, c) in tabel.columns.iter().enumerate() {
                            @if i >= 4 { th.getal scope="col" { (c) } } @else { th scope="col" { (c) } }
                        }
                    } }
                    tbody {
                        @for row in &tabel.rows {
                            tr {
                                @for (i, c) in row.iter().enumerate() {
                                    @if i == 0 { th scope="row" { (cell_html(c)) } }
                                    @else if i >= 4 { td.getal { (cell_html(c)) } }
                                    @else { td { (cell_html(c)) } }
                                }
                            }
                        }
                    }
                }
            }
            p.toelichting { (tabel.notes.join(" ")) }
        }
        (periods_section(profile, data, &cap))
        (form_section(profile, user, q, form))
    }
}

fn series(
    profile: &RegionProfile,
    data: &Data,
    cap: &Capaciteit,
    product: Option<&ProductCode>,
    z: Zicht,
    today: Date,
) -> Markup {
    let Some(product) = product else {
        return html! {};
    };
    let months = series_months(today);
    let p = product.to_string();
    let empty = std::collections::BTreeMap::new();
    let stocks = data.stocks.series.get(&p).unwrap_or(&empty);
    let locs: Vec<&LocationId> = profile
        .locations
        .iter()
        .filter(|l| l.places.contains_key(product))
        .map(|l| &l.id)
        .collect();
    html! {
        section aria-labelledby="kop-verloop" {
            h2 id="kop-verloop" { "Verloop per maand" }
            form.inline method="get" action={ "/regio/" (profile.id) "/plaatsen" } aria-label="Product van het verloop" {
                div.veld {
                    label for="verloop-product" { "Product" }
                    select id="verloop-product" name="product" {
                        @for pr in &profile.products {
                            @if profile.locations.iter().any(|l| l.places.contains_key(&pr.code)) {
                                option value=(pr.code.to_string()) selected[pr.code == *product] { (pr.name) }
                            }
                        }
                    }
                }
                button.knop.knop-secundair type="submit" { "Toon" }
            }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-verloop-tabel" {
                table id="plaatsen-verloop" {
                    caption id="kop-verloop-tabel" { "Eind van de maand: " (figures::product_name(profile, &p)) }
                    thead { tr {
                        th scope="col" { "Maand" }
                        th.getal scope="col" { "Plaatsen" }
                        th.getal scope="col" { "In zorg" }
                        th.getal scope="col" { "Wachtend" }
                    } }
                    tbody {
                        @for m in &months {
                            @let end = m.last_day();
                            @let plaatsen: u64 = locs.iter().map(|l| u64::from(cap.places_on(l, product, end))).sum();
                            @let (in_zorg, wachtend) = stocks.get(&m.key()).copied().unwrap_or((0, 0));
                            tr {
                                th scope="row" { (m.naam()) }
                                td.getal { (plaatsen) }
                                td.getal { (figure_html(z.n(u64::try_from(in_zorg).unwrap_or(0)))) }
                                td.getal { (figure_html(z.n(u64::try_from(wachtend).unwrap_or(0)))) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn periods_section(profile: &RegionProfile, data: &Data, cap: &Capaciteit) -> Markup {
    html! {
        section aria-labelledby="kop-perioden" {
            h2 id="kop-perioden" { "Wijzigingen in capaciteit en vrije plaatsen" }
            @if data.periods.is_empty() {
                p { "Er zijn nog geen wijzigingen vastgelegd: de capaciteit is die van het regioprofiel." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-perioden-tabel" {
                    table id="plaatsen-perioden" {
                        caption id="kop-perioden-tabel" { "Vastgelegde perioden, met de capaciteit die eruit volgt" }
                        thead { tr {
                            th scope="col" { "Locatie" }
                            th scope="col" { "Product" }
                            th scope="col" { "Soort" }
                            th scope="col" { "Periode" }
                            th.getal scope="col" { "Plaatsen" }
                            th scope="col" { "Reden" }
                            th scope="col" { "Vastgelegd door" }
                        } }
                        tbody {
                            @for s in &data.periods {
                                @let p = &s.periode;
                                tr {
                                    th scope="row" { (location_name(profile, &p.locatie)) }
                                    td { (figures::product_name(profile, p.product.as_str())) }
                                    td { (p.soort.label()) }
                                    td { (periode_label(p.vanaf, p.tot)) }
                                    td.getal { (p.plaatsen) }
                                    td { (p.reden) }
                                    td { (s.door) }
                                }
                            }
                        }
                    }
                }
                @let keys: std::collections::BTreeSet<(LocationId, ProductCode)> = data.periods.iter().map(|s| (s.periode.locatie.clone(), s.periode.product.clone())).collect();
                @for (l, p) in &keys {
                    h3 { (location_name(profile, l)) ", " (figures::product_name(profile, p.as_str())) }
                    ul {
                        @for a in cap.perioden(l, p) {
                            li {
                                @match (a.van, a.tot) {
                                    (None, None) => "altijd",
                                    (None, Some(t)) => { "tot en met " (t.nl()) },
                                    (Some(v), t) => (periode_label(v, t)),
                                }
                                ": " (a.plaatsen) @if a.plaatsen == 1 { " plaats" } @else { " plaatsen" }
                                @if let Some(i) = a.bron { " (" (cap.entered()[i].soort.label().to_lowercase()) ")" } @else { " (regioprofiel)" }
                            }
                        }
                    }
                }
            }
            @if !data.reports.is_empty() {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-meldingen" {
                    table id="plaatsen-meldingen" {
                        caption id="kop-meldingen" { "Gemelde vrije plaatsen" }
                        thead { tr {
                            th scope="col" { "Locatie" }
                            th scope="col" { "Product" }
                            th scope="col" { "Vanaf" }
                            th.getal scope="col" { "Aantal" }
                            th scope="col" { "Toelichting" }
                            th scope="col" { "Gemeld door" }
                        } }
                        tbody {
                            @for m in &data.reports {
                                tr {
                                    th scope="row" { (location_name(profile, &m.melding.locatie)) }
                                    td { (figures::product_name(profile, m.melding.product.as_str())) }
                                    td { (labels::date(m.melding.datum)) }
                                    td.getal { (m.melding.aantal) }
                                    td { (m.melding.toelichting) }
                                    td { (m.door) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn form_section(
    profile: &RegionProfile,
    user: &DemoUser,
    q: &PlaatsenQuery,
    form: &FormState,
) -> Markup {
    if !may_enter(&user.actor, profile) {
        return html! {};
    }
    let described = |name: &str| form.error(name).map(|_| format!("fout-cap-{name}"));
    let veld = |name: &'static str, label: &str, hint: Option<&str>, body: Markup| {
        let e = form.error(name);
        html! {
            div.veld.veld-fout[e.is_some()] {
                label for={ "cap-" (name) } { (label) }
                @if let Some(h) = hint { p.hint id={ "hint-cap-" (name) } { (h) } }
                @if let Some(m) = e { (html::field_message(&format!("cap-{name}"), m)) }
                (body)
            }
        }
    };
    let products: Vec<&vangnet_domain::region::Product> = profile
        .products
        .iter()
        .filter(|p| {
            profile
                .locations
                .iter()
                .any(|l| l.places.contains_key(&p.code))
        })
        .collect();
    let items: Vec<(Option<String>, &str)> = form
        .errors
        .iter()
        .map(|(f, m)| (Some(format!("#cap-{f}")), m.as_str()))
        .collect();
    html! {
        section id="capaciteit" aria-labelledby="kop-capaciteit" {
            h2 id="kop-capaciteit" { "Capaciteit wijzigen" }
            @match q.melding.as_deref() {
                Some("opgeslagen") => div.melding.melding-goed role="status" { p { "De wijziging is vastgelegd." } },
                Some("al-vastgelegd") => div.melding role="status" { p { "Deze wijziging was al vastgelegd; er is niets dubbel opgeslagen." } },
                _ => {},
            }
            (html::error_box(&items))
            p { "Een wijziging zonder einddatum geldt vanaf de begindatum tot de volgende; met een einddatum is ze tijdelijk en keert de capaciteit daarna terug. Perioden van één locatie en product mogen niet overlappen. Bij een ombouw gaat het ene product naar het nieuwe aantal en het andere omhoog: twee perioden in één keer." }
            form method="post" action={ "/regio/" (profile.id) "/plaatsen" } aria-labelledby="kop-capaciteit" novalidate {
                (crate::users::csrf_field())
                (veld("locatie", "Locatie", None, html! {
                    select id="cap-locatie" name="locatie" aria-describedby=[described("locatie")] {
                        option value="" { "Kies een locatie" }
                        @for l in &profile.locations {
                            option value=(l.id.to_string()) selected[form.get("locatie") == l.id.as_str()] { (l.name) " (" (figures::gemeente_name(profile, &l.gemeente.to_string())) ")" }
                        }
                    }
                }))
                (veld("product", "Product", None, html! {
                    select id="cap-product" name="product" aria-describedby=[described("product")] {
                        option value="" { "Kies een product" }
                        @for p in &products {
                            option value=(p.code.to_string()) selected[form.get("product") == p.code.as_str()] { (p.name) }
                        }
                    }
                }))
                (veld("soort", "Soort wijziging", None, html! {
                    select id="cap-soort" name="soort" aria-describedby=[described("soort")] {
                        @for s in CapaciteitSoort::ALL {
                            option value=(s.key()) selected[form.get("soort") == s.key()] { (s.label()) }
                        }
                    }
                }))
                (veld("vanaf", "Vanaf", None, html! {
                    input id="cap-vanaf" name="vanaf" type="date" value=(form.get("vanaf")) aria-describedby=[described("vanaf")];
                }))
                (veld("tot", "Tot en met (alleen bij een tijdelijke wijziging)", None, html! {
                    input id="cap-tot" name="tot" type="date" value=(form.get("tot")) aria-describedby=[described("tot")];
                }))
                (veld("plaatsen", "Aantal plaatsen vanaf die datum", None, html! {
                    input id="cap-plaatsen" name="plaatsen" type="number" inputmode="numeric" min="0" max=(vangnet_domain::plaatsen::MAX_PLAATSEN) value=(form.get("plaatsen")) aria-describedby=[described("plaatsen")];
                }))
                (veld("reden", "Reden", None, html! {
                    textarea id="cap-reden" name="reden" rows="2" maxlength=(vangnet_domain::limits::MAX_TEXT_CHARS) aria-describedby=[described("reden")] { (form.get("reden")) }
                }))
                fieldset {
                    legend { "Alleen bij een ombouw: het product dat er komt" }
                    (veld("ombouw_product", "Ander product", None, html! {
                        select id="cap-ombouw_product" name="ombouw_product" aria-describedby=[described("ombouw_product")] {
                            option value="" { "Geen" }
                            @for p in &products {
                                option value=(p.code.to_string()) selected[form.get("ombouw_product") == p.code.as_str()] { (p.name) }
                            }
                        }
                    }))
                    (veld("ombouw_plaatsen", "Plaatsen van het andere product", None, html! {
                        input id="cap-ombouw_plaatsen" name="ombouw_plaatsen" type="number" inputmode="numeric" min="0" value=(form.get("ombouw_plaatsen")) aria-describedby=[described("ombouw_plaatsen")];
                    }))
                }
                button.knop type="submit" { "Wijziging vastleggen" }
            }
        }
    }
}
