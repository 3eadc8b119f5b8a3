//! `/prognose`: the forecast page. For a region, calibrates the simulation from the store's
//! events, runs a baseline and a scenario (capacity change per product from a year, inflow
//! growth, housing supply, maximum duration) with common random numbers, and draws fan charts
//! (median, 50 % and 90 % bands) as inline SVG with a data table beside them. No scripts.
//!
//! Only policy officers, analysts and the access team may use it. The calibration reads every
//! event of the region through a **system-level** bulk export (`AccessGate::system("prognose")`,
//! logged as such): it needs all pseudonymous streams and turns them into aggregates only —
//! rates, stay distributions and counts per product. No client record or client id leaves this
//! module, so the viewer's own (aggregate-only) rights are respected.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use vangnet_domain::{Date, Organisation, RecordedEvent, RegionId, RegionProfile, Role};
use vangnet_sim::calibrate::{self, Calibration, Fan, HOUSING, Metric, Options};
use vangnet_sim::model::{CapacityChange, Model, YEAR};
use vangnet_store::AccessGate;
use vangnet_store::time::today;

use crate::AppState;
use crate::html::{self, Nav};
use crate::pages::{error_page, store_error_page};
use crate::users::{DemoUser, LoggedIn};

/// Roles that may use the forecast page.
pub(crate) fn may_forecast(role: Role) -> bool {
    matches!(
        role,
        Role::Beleidsmedewerker | Role::Analist | Role::Toegangsmedewerker
    )
}

type Key = (RegionId, Date, u64);

/// Calibrations per (region, reference date, number of events): recalibrating means reading
/// the whole log, and the log only grows, so its length tells whether it changed.
fn cache() -> &'static Mutex<HashMap<Key, Arc<Calibration>>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Calibration>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The form, as submitted (all fields optional; defaults give the baseline).
#[derive(Debug, Clone)]
struct Knobs {
    region: RegionId,
    /// Capacity change per product in % (product code → %).
    capacity: HashMap<String, f64>,
    from_year: f64,
    growth: f64,
    homes: Option<f64>,
    max_months: Option<f64>,
    years: f64,
    replications: u64,
}

fn default_region(st: &AppState, user: &DemoUser) -> RegionId {
    let regions = st.store().regions();
    match &user.actor.organisation {
        Organisation::Regio(r) => return r.clone(),
        Organisation::Gemeente(g) => {
            if let Some(p) = regions.all().iter().find(|p| p.gemeente(*g).is_some()) {
                return p.id.clone();
            }
        }
        _ => {}
    }
    regions.all()[0].id.clone()
}

fn parse_knobs(st: &AppState, user: &DemoUser, q: &[(String, String)]) -> Result<Knobs, String> {
    let get = |k: &str| {
        q.iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let num = |k: &str, label: &str, lo: f64, hi: f64| -> Result<Option<f64>, String> {
        match get(k) {
            None => Ok(None),
            Some(v) => match v.replace(',', ".").parse::<f64>() {
                Ok(x) if x.is_finite() && (lo..=hi).contains(&x) => Ok(Some(x)),
                _ => Err(format!("{label}: '{v}' is geen getal tussen {lo} en {hi}.")),
            },
        }
    };
    let region = match get("regio") {
        Some(r) => RegionId::parse(r)
            .ok()
            .filter(|r| st.store().regions().get(r).is_some())
            .ok_or_else(|| format!("Regio: '{r}' bestaat niet."))?,
        None => default_region(st, user),
    };
    let mut capacity = HashMap::new();
    for (k, _) in q {
        if let Some(code) = k.strip_prefix("cap_")
            && let Some(x) = num(k, &format!("Capaciteit {code}"), -100.0, 500.0)?
        {
            capacity.insert(code.to_owned(), x);
        }
    }
    Ok(Knobs {
        region,
        capacity,
        from_year: num("vanaf", "Vanaf jaar", 0.0, 30.0)?.unwrap_or(1.0),
        growth: num("groei", "Groei instroom", -20.0, 50.0)?.unwrap_or(0.0),
        homes: num("woningen", "Woningen per jaar", 0.0, 100_000.0)?,
        max_months: num("maxduur", "Maximale duur", 1.0, 600.0)?,
        years: num("jaren", "Horizon", 1.0, 20.0)?.unwrap_or(10.0).round(),
        replications: num("replicaties", "Replicaties", 10.0, 2000.0)?
            .unwrap_or(200.0)
            .round() as u64,
    })
}

/// The scenario: the baseline with the knobs applied.
fn scenario(base: &Model, k: &Knobs) -> Model {
    let mut m = base.clone();
    let at = (k.from_year * YEAR).min(m.horizon);
    for (i, n) in m.nodes.clone().iter().enumerate() {
        if let Some(pct) = k.capacity.get(&n.id)
            && *pct != 0.0
            && n.homes_per_year.is_none()
        {
            let servers = (f64::from(n.servers) * (1.0 + pct / 100.0))
                .round()
                .max(0.0) as u32;
            m.capacity_changes.push(CapacityChange {
                at,
                node: i,
                servers,
            });
        }
    }
    m.capacity_changes.sort_by(|a, b| a.at.total_cmp(&b.at));
    for n in &mut m.nodes {
        if let Some(a) = &mut n.arrivals {
            a.trend += k.growth / 100.0;
        }
        if let Some(h) = k.homes
            && n.homes_per_year.is_some()
            && h > 0.0
        {
            *n = vangnet_sim::model::Node {
                routes: n.routes.clone(),
                ..vangnet_sim::model::Node::housing(&n.id, h)
            };
        }
    }
    if let Some(months) = k.max_months {
        for i in 0..m.nodes.len() {
            calibrate::cap_stay(&mut m, i, months * 30.44);
        }
    }
    m
}

/// `/prognose`.
pub(crate) async fn page(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    if !may_forecast(user.actor.role) {
        return error_page(
            &st,
            Some(&user),
            StatusCode::FORBIDDEN,
            "Geen toegang",
            "De prognose is er voor beleidsmedewerkers, analisten en de toegang. Uw rol geeft daar geen recht op.",
            true,
        );
    }
    let knobs = match parse_knobs(&st, &user, &q) {
        Ok(k) => k,
        Err(msg) => {
            return error_page(
                &st,
                Some(&user),
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invoer niet geldig",
                &msg,
                false,
            );
        }
    };
    let profile = st
        .store()
        .regions()
        .get(&knobs.region)
        .expect("checked")
        .clone();
    let on = today();
    let t = Instant::now();
    let k2 = knobs.clone();
    let p2 = profile.clone();
    let result = st
        .blocking(move |s| {
            let key = (p2.id.clone(), on, s.event_count()?);
            let cached = cache().lock().expect("cache").get(&key).cloned();
            let cal = match cached {
                Some(c) => c,
                None => {
                    // System-level, aggregate-only read: see the module documentation.
                    let mut events: Vec<RecordedEvent> = Vec::new();
                    s.export(&AccessGate::system("prognose"), &mut |e| {
                        events.push(e);
                        Ok(())
                    })?;
                    let c = Arc::new(calibrate::calibrate(&p2, &events, on, &Options::default()));
                    let mut c2 = cache().lock().expect("cache");
                    c2.retain(|(r, _, _), _| *r != p2.id);
                    c2.insert(key, Arc::clone(&c));
                    c
                }
            };
            let mut base = cal.model.clone();
            base.horizon = k2.years * YEAR;
            let scen = scenario(&base, &k2);
            let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
            let (b, s) = std::thread::scope(|sc| {
                let h = sc.spawn(|| calibrate::forecast(&base, k2.replications, threads, &|_| {}));
                let s = calibrate::forecast(&scen, k2.replications, threads, &|_| {});
                (h.join().expect("baseline"), s)
            });
            Ok((cal, b, s))
        })
        .await;
    let (cal, base, scen) = match result {
        Ok(r) => r,
        Err(e) => return store_error_page(&st, Some(&user), &e),
    };
    let secs = t.elapsed().as_secs_f64();
    let body = render(&st, &profile, &knobs, &cal, &base, &scen, on, secs);
    (
        StatusCode::OK,
        Html(
            html::page(
                "Prognose",
                Some(&user),
                st.store().regions(),
                &Nav::Prognose,
                body,
            )
            .into_string(),
        ),
    )
        .into_response()
}

/// A number as shown: whole numbers without decimals, otherwise one decimal with a comma.
pub(crate) fn fmt(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}").replace('.', ",")
    }
}

#[allow(clippy::too_many_arguments)]
fn render(
    st: &AppState,
    profile: &RegionProfile,
    k: &Knobs,
    cal: &Calibration,
    base: &Fan,
    scen: &Fan,
    on: Date,
    secs: f64,
) -> Markup {
    let homes = cal
        .model
        .nodes
        .iter()
        .find(|n| n.id == HOUSING)
        .and_then(|n| n.homes_per_year);
    html! {
        h1 { "Prognose " (profile.name) }
        p.inleiding {
            "Een simulatie van het netwerk van de regio, gekalibreerd op de eigen gebeurtenissen van de afgelopen drie jaar "
            "en gestart vanuit de huidige bezetting en wachtlijst (peildatum " (on.to_string()) "). "
            "Scenario en basis gebruiken dezelfde toevalsgetallen, zodat verschillen geen ruis zijn."
        }
        form method="get" action="/prognose" {
            fieldset {
                legend { "Scenario" }
                p {
                    label for="regio" { "Regio" } " "
                    select id="regio" name="regio" {
                        @for r in st.store().regions().all() {
                            option value=(r.id) selected[r.id == profile.id] { (r.name) }
                        }
                    }
                }
                table {
                    caption { "Verandering van het aantal plaatsen per product" }
                    thead { tr {
                        th scope="col" { "Product" }
                        th.getal scope="col" { "Plaatsen nu" }
                        th scope="col" { "Verandering (%)" }
                    } }
                    tbody {
                        @for n in cal.model.nodes.iter().filter(|n| n.homes_per_year.is_none()) {
                            @let id = format!("cap_{}", n.id);
                            tr {
                                th scope="row" { label for=(id) { (product_name(profile, &n.id)) } }
                                td.getal { (n.servers) }
                                td { input type="number" id=(id) name=(id) step="1" min="-100" max="500"
                                    value=(k.capacity.get(&n.id).map_or("0".to_owned(), |x| fmt(*x))); }
                            }
                        }
                    }
                }
                p {
                    label for="vanaf" { "Capaciteitsverandering vanaf jaar" } " "
                    input type="number" id="vanaf" name="vanaf" min="0" max="30" step="1" value=(fmt(k.from_year));
                }
                p {
                    label for="groei" { "Extra groei van de instroom (% per jaar)" } " "
                    input type="number" id="groei" name="groei" min="-20" max="50" step="0.5" value=(fmt(k.growth));
                }
                p {
                    label for="woningen" { "Woningen voor uitstroom per jaar" } " "
                    input type="number" id="woningen" name="woningen" min="0" step="1"
                        value=(k.homes.or(homes).map_or(String::new(), |h| fmt(h.round())));
                    " " span.klein { "(nu waargenomen: " (homes.map_or("–".to_owned(), |h| fmt(h.round()))) " per jaar)" }
                }
                p {
                    label for="maxduur" { "Maximale verblijfsduur (maanden, leeg = geen)" } " "
                    input type="number" id="maxduur" name="maxduur" min="1" max="600" step="1"
                        value=(k.max_months.map_or(String::new(), fmt));
                }
                p {
                    label for="jaren" { "Horizon (jaren)" } " "
                    input type="number" id="jaren" name="jaren" min="1" max="20" step="1" value=(fmt(k.years));
                    " "
                    label for="replicaties" { "Replicaties" } " "
                    input type="number" id="replicaties" name="replicaties" min="10" max="2000" step="10" value=(k.replications);
                }
                p { button.knop type="submit" { "Bereken prognose" } }
            }
        }
        p.klein {
            (base.replications) " replicaties van " (fmt(k.years)) " jaar, basis en scenario, in "
            (format!("{secs:.1}").replace('.', ",")) " s. Banden: donker 50 % (25–75 %), licht 90 % (5–95 %), lijn: mediaan; stippellijn: plaatsen."
        }
        @for (i, n) in base.nodes.iter().enumerate().filter(|(_, n)| *n != HOUSING) {
            section aria-labelledby={ "kop-" (n) } {
                h2 id={ "kop-" (n) } { (product_name(profile, n)) }
                @for metric in [Metric::Bezetting, Metric::Wachtlijst] {
                    (fan_svg(profile, n, i, metric, base, scen))
                }
                details {
                    summary { "Cijfers als tabel" }
                    (data_table(profile, n, i, base, scen))
                }
            }
        }
        section aria-labelledby="kop-kalibratie" {
            h2 id="kop-kalibratie" { "Kalibratie" }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-kalibratie" {
                table {
                    caption { "Gefitte instroom en verblijfsduur per product (venster van drie jaar)" }
                    thead { tr {
                        th scope="col" { "Product" }
                        th.getal scope="col" { "Instroom per jaar" }
                        th.getal scope="col" { "Trend (%/jr)" }
                        th.getal scope="col" { "Afgeronde verblijven" }
                        th.getal scope="col" { "Gemiddelde duur afgerond (dagen)" }
                        th.getal scope="col" { "Gefitte duur (dagen)" }
                        th.getal scope="col" { "cv" }
                    } }
                    tbody {
                        @for f in &cal.report.products {
                            tr {
                                th scope="row" { (f.name) }
                                td.getal { (fmt((f.arrivals_per_year * 10.0).round() / 10.0)) }
                                td.getal { (fmt((f.trend * 1000.0).round() / 10.0)) }
                                td.getal { (f.completed) }
                                td.getal { (fmt(f.empirical_mean.round())) }
                                td.getal { (fmt(f.fitted_mean.round())) }
                                td.getal { (fmt((f.fitted_cv * 100.0).round() / 100.0)) }
                            }
                        }
                    }
                }
            }
            ul.toelichting {
                @for n in &cal.report.notes { li { (n) } }
            }
        }
    }
}

fn product_name(profile: &RegionProfile, code: &str) -> String {
    profile
        .products
        .iter()
        .find(|p| p.code.as_str() == code)
        .map_or_else(|| code.to_owned(), |p| p.name.clone())
}

const W: f64 = 300.0;
const H: f64 = 150.0;
const LEFT: f64 = 44.0;
const TOP: f64 = 28.0;
const GAP: f64 = 36.0;

/// One SVG: the baseline panel and the scenario panel on the same scale.
fn fan_svg(
    profile: &RegionProfile,
    code: &str,
    node: usize,
    metric: Metric,
    base: &Fan,
    scen: &Fan,
) -> Markup {
    let months = base.months;
    let mut max = 1.0f64;
    for f in [base, scen] {
        for m in 0..months {
            max = max.max(f.get(metric, node, m)[4]);
            if metric == Metric::Bezetting {
                max = max.max(f64::from(f.places[node * months + m]));
            }
        }
    }
    let max = nice(max);
    let name = product_name(profile, code);
    let id = format!("svg-{code}-{}", metric.key());
    let at = |f: &Fan, y: usize| {
        let m = (y * 12).min(months) - 1;
        f.get(metric, node, m)
    };
    let last = months / 12;
    let desc = format!(
        "Na {last} jaar: basis mediaan {} (90 %: {}–{}), scenario mediaan {} (90 %: {}–{}).",
        fmt(at(base, last)[2]),
        fmt(at(base, last)[0]),
        fmt(at(base, last)[4]),
        fmt(at(scen, last)[2]),
        fmt(at(scen, last)[0]),
        fmt(at(scen, last)[4]),
    );
    let total_w = LEFT + 2.0 * W + GAP + 24.0;
    let total_h = TOP + H + 30.0;
    html! {
        svg role="img" aria-labelledby={ (id) "-titel " (id) "-desc" } viewBox={ "0 0 " (total_w) " " (total_h) }
            width="100%" preserveAspectRatio="xMinYMin meet" font-family="sans-serif" font-size="11" {
            title id={ (id) "-titel" } { (metric.label()) " " (name) ": basis en scenario, mediaan met 50 %- en 90 %-banden" }
            desc id={ (id) "-desc" } { (desc) }
            @for (p, (label, f)) in [("basis", base), ("scenario", scen)].into_iter().enumerate() {
                @let x0 = LEFT + p as f64 * (W + GAP);
                (panel(x0, label, metric, node, f, max))
            }
        }
    }
}

fn nice(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    for k in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if k * p >= x {
            return k * p;
        }
    }
    10.0 * p
}

fn panel(x0: f64, label: &str, metric: Metric, node: usize, f: &Fan, max: f64) -> Markup {
    let months = f.months;
    let x = |m: usize| x0 + W * (m + 1) as f64 / months as f64;
    let y = |v: f64| TOP + H - H * v / max;
    let band = |lo: usize, hi: usize| {
        let mut pts = String::new();
        for m in 0..months {
            pts.push_str(&format!(
                "{:.1},{:.1} ",
                x(m),
                y(f.get(metric, node, m)[hi])
            ));
        }
        for m in (0..months).rev() {
            pts.push_str(&format!(
                "{:.1},{:.1} ",
                x(m),
                y(f.get(metric, node, m)[lo])
            ));
        }
        pts
    };
    let line = |vals: &dyn Fn(usize) -> f64| {
        (0..months)
            .map(|m| format!("{:.1},{:.1}", x(m), y(vals(m))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let median = line(&|m| f.get(metric, node, m)[2]);
    let places = line(&|m| f64::from(f.places[node * months + m]));
    let years = months / 12;
    let step = if years > 10 {
        5
    } else if years > 5 {
        2
    } else {
        1
    };
    html! {
        g {
            text x=(x0) y=(TOP - 10.0) font-weight="bold" fill="#1b1b1b" { (metric.label()) " — " (label) }
            rect x=(x0) y=(TOP) width=(W) height=(H) fill="#ffffff" stroke="#8a8a8a" stroke-width="1" {}
            @for t in [0.0, 0.5, 1.0] {
                line x1=(x0) x2=(x0 + W) y1=(y(t * max)) y2=(y(t * max)) stroke="#d0d0d0" stroke-width="1" {}
                text x=(x0 - 4.0) y=(y(t * max) + 4.0) text-anchor="end" fill="#1b1b1b" { (fmt(t * max)) }
            }
            polygon points=(band(0, 4)) fill="#8fb8de" fill-opacity="0.55" {}
            polygon points=(band(1, 3)) fill="#3f7fbf" fill-opacity="0.6" {}
            @if metric == Metric::Bezetting {
                polyline points=(places) fill="none" stroke="#a4343a" stroke-width="1.5" stroke-dasharray="5 3" {}
            }
            polyline points=(median) fill="none" stroke="#0b2f5b" stroke-width="2" {}
            @for yr in (0..=years).step_by(step) {
                @let xx = x0 + W * (yr * 12) as f64 / months as f64;
                line x1=(xx) x2=(xx) y1=(TOP + H) y2=(TOP + H + 4.0) stroke="#8a8a8a" {}
                text x=(xx) y=(TOP + H + 16.0) text-anchor="middle" fill="#1b1b1b" { (yr) " jr" }
            }
        }
    }
}

fn data_table(profile: &RegionProfile, code: &str, node: usize, base: &Fan, scen: &Fan) -> Markup {
    let years = base.months / 12;
    let cell = |f: &Fan, metric: Metric, y: usize| {
        let q = f.get(metric, node, y * 12 - 1);
        format!(
            "{} ({}–{}; {}–{})",
            fmt(q[2]),
            fmt(q[1]),
            fmt(q[3]),
            fmt(q[0]),
            fmt(q[4])
        )
    };
    html! {
        div.tabel-scroll tabindex="0" role="region" aria-label={ "Tabel " (product_name(profile, code)) } {
            table {
                caption { (product_name(profile, code)) ": mediaan (50 %-band; 90 %-band) aan het eind van elk jaar" }
                thead { tr {
                    th scope="col" { "Jaar" }
                    th scope="col" { "Bezetting basis" }
                    th scope="col" { "Bezetting scenario" }
                    th scope="col" { "Wachtlijst basis" }
                    th scope="col" { "Wachtlijst scenario" }
                    th scope="col" { "Wachttijd scenario (dagen)" }
                    th scope="col" { "Tekort scenario" }
                } }
                tbody {
                    @for y in 1..=years {
                        tr {
                            th scope="row" { (y) }
                            td { (cell(base, Metric::Bezetting, y)) }
                            td { (cell(scen, Metric::Bezetting, y)) }
                            td { (cell(base, Metric::Wachtlijst, y)) }
                            td { (cell(scen, Metric::Wachtlijst, y)) }
                            td { (cell(scen, Metric::Wachttijd, y)) }
                            td { (cell(scen, Metric::Tekort, y)) }
                        }
                    }
                }
            }
        }
    }
}
