//! `/prognose`: the forecast page. For a region, calibrates the simulation from the store's
//! events, runs a baseline and a scenario (capacity change per product from a year, inflow
//! growth, housing supply, maximum duration) with common random numbers, and draws fan charts
//! (median, 50 % and 90 % bands) of occupancy, waiting list, waiting time and shortage **per
//! product and per gemeente of origin** as inline SVG, with data tables. No scripts.
//! `/prognose/export.csv|.xlsx` give exactly the tables on the page ([`forecast_tables`] builds
//! both), with the same suppression.
//!
//! **Small numbers**: the forecast starts from the region's real current state, so its figures
//! are published like the monitor's ([`crate::figures`]): exact only for the region's own
//! access team; for everyone else every count 1..t−1 is `<t` (`figures::cell`), and every
//! breakdown over gemeenten gets the monitor's secondary suppression (`monitor::protect`), since
//! the product's own figure is shown. Waiting times are hidden where the waiting list behind
//! them is. A chart is drawn only when every value in it is published exactly; otherwise the
//! page says why and the table shows the published figures.
//!
//! Only policy officers, analysts and the access team may use it. The calibration reads every
//! event of the region through a **system job** bulk export (`DemoUser::job("prognose")`:
//! an `AccessGate::job` with the user's session and address, logged in the name of the user
//! who asked, purpose "prognose"): it needs all pseudonymous
//! streams and turns them into aggregates only —
//! rates, stay distributions and counts per product. No client record or client id leaves this
//! module, so the viewer's own (aggregate-only) rights are respected.
//!
//! **Limits and queue** (issue 11): a form over the size limits of
//! [`vangnet_publish::forecast::check_size`] (replications, years and their product) is a 400
//! naming the field; the form shows the limits. A run that is not in the cache waits in the
//! server's [`Queue`]: at most `max(1, cores − 1)` forecasts compute at once, a user has at
//! most one running or waiting (a second: 429 with `Retry-After`), and one that waited
//! [`QUEUE_WAIT`] is answered 503 (with `Retry-After`). A cached run is served without
//! queueing. The ticket travels with the computation, so a request given up by its client
//! keeps its place until the computation ends.
//!
//! **Progress** (issue 12): where the server is given a patience
//! ([`AppState::with_forecast_patience`], 2 s for `serve` and `demo`), a forecast still
//! computing after it is answered `202` with a progress page — a `<progress>` bar with the
//! simulations done of the total (baseline and scenario), refreshed by the `Refresh` header
//! every 2 s (no script) — while the computation goes on in the background; the refresh finds
//! it running (its [`Progress`] by region and form) or done (the cached run).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use vangnet_domain::{Date, Organisation, RecordedEvent, RegionId, RegionProfile};
use vangnet_sim::calibrate::{self, Calibration, Fan, Metric, Options, SHORTAGE_DEFINITION};
use vangnet_sim::model::YEAR;
use vangnet_tabular::{Cell, Table};

pub use vangnet_publish::forecast::{
    KnobError, Knobs, MAX_REPLICATION_YEARS, MAX_REPLICATIONS, MAX_YEARS, MIN_REPLICATIONS, TABLES,
    View, fmt, forecast_tables, limits_text, scenario,
};

use crate::AppState;
use crate::WebError;
use crate::charts;
use crate::error::Query;
use crate::figures::{cell, threshold_for};
use crate::html::{self, Nav};
use crate::users::{DemoUser, LoggedIn};

/// How long a forecast may wait for its turn before it is answered 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(20);
/// `Retry-After` (seconds) of the 429 for a user's second forecast: about one forecast's time.
pub const BUSY_RETRY_AFTER_SECONDS: u32 = 5;

/// The forecast queue of one server: at most `computations` forecasts at once, at most one
/// running or waiting per user, waiting at most `wait`.
#[derive(Debug)]
pub struct Queue {
    permits: Arc<tokio::sync::Semaphore>,
    users: Arc<Mutex<HashSet<String>>>,
    wait: Duration,
}

/// A place in the [`Queue`]: held while the forecast computes (moved into the computation);
/// dropping it frees the computation slot and the user's place.
#[derive(Debug)]
pub struct Ticket {
    _permit: tokio::sync::OwnedSemaphorePermit,
    _user: UserPlace,
}

/// A user's one place in the queue, given back on drop.
#[derive(Debug)]
struct UserPlace {
    users: Arc<Mutex<HashSet<String>>>,
    user: String,
}

impl Drop for UserPlace {
    fn drop(&mut self) {
        self.users
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&self.user);
    }
}

impl Queue {
    /// A queue letting `computations` (at least 1) forecasts compute at once, each waiting at
    /// most `wait` for its turn.
    pub fn new(computations: usize, wait: Duration) -> Queue {
        Queue {
            permits: Arc::new(tokio::sync::Semaphore::new(computations.max(1))),
            users: Arc::default(),
            wait,
        }
    }

    /// The server's queue: `max(1, cores − 1)` computations (one core stays for the pages),
    /// waiting at most [`QUEUE_WAIT`].
    pub fn for_this_machine() -> Queue {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Queue::new(cores.saturating_sub(1).max(1), QUEUE_WAIT)
    }

    /// Wait for a turn for `user`'s forecast: 429 when the user already has one running or
    /// waiting, 503 after waiting [`Queue`]'s `wait` (both with `Retry-After`).
    pub async fn enter(&self, user: &str) -> Result<Ticket, WebError> {
        let place = {
            let mut users = self
                .users
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if !users.insert(user.to_owned()) {
                return Err(WebError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "U heeft al een prognose die wordt berekend of op zijn beurt wacht. Wacht tot die klaar is en probeer het dan opnieuw.",
                )
                .code("prognose_bezig")
                .titled("Even geduld"));
            }
            UserPlace {
                users: Arc::clone(&self.users),
                user: user.to_owned(),
            }
        };
        match tokio::time::timeout(self.wait, Arc::clone(&self.permits).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Ticket {
                _permit: permit,
                _user: place,
            }),
            // Timed out (or the semaphore was closed, which never happens).
            _ => Err(WebError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Er worden nu te veel prognoses tegelijk berekend; de uwe is niet begonnen. Probeer het zo opnieuw.",
            )
            .code("prognose_wachtrij_vol")
            .titled("Even niet beschikbaar")),
        }
    }
}

/// The answer for `e`, with `Retry-After` on a 429 (a 503 gets the house's own).
fn with_retry_after(e: WebError) -> Response {
    let busy = e.status == StatusCode::TOO_MANY_REQUESTS;
    let mut r = e.into_response();
    if busy {
        r.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(BUSY_RETRY_AFTER_SECONDS),
        );
    }
    r
}

type Key = (RegionId, Date, u64);

/// Calibrations per (region, reference date, the log's high-water mark): recalibrating means
/// reading the whole log, and every append raises the mark, so it tells whether it changed.
fn cache() -> &'static Mutex<HashMap<Key, Arc<Calibration>>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Calibration>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
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

/// A finished run: the calibration, baseline and scenario fans, and how long it took.
struct Run {
    cal: Arc<Calibration>,
    base: Fan,
    scen: Fan,
    secs: f64,
}

/// The last runs, by region, reference date, log length and form: the downloads re-use the
/// page's run instead of simulating again (results are deterministic anyway).
type Runs = Mutex<Vec<(String, Arc<Run>)>>;

fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    RUNS.get_or_init(|| Mutex::new(Vec::new()))
}

/// The cached run with this key, if any.
fn cached_run(run_key: &str) -> Option<Arc<Run>> {
    runs()
        .lock()
        .expect("runs")
        .iter()
        .find(|(k, _)| k == run_key)
        .map(|(_, r)| Arc::clone(r))
}

/// The form's knobs, or the Dutch 400 (over the size limits) or 422 naming the field.
fn parse_knobs(st: &AppState, user: &DemoUser, q: &[(String, String)]) -> Result<Knobs, WebError> {
    let k = parse_form(st, user, q)?;
    if !k.afspraken {
        return Ok(k);
    }
    let agreed = agreed_homes(st, &k.region)?;
    Ok(k.met_afspraken(agreed))
}

/// Issue 15: the homes agreed for the region this year — the woningafspraken in force
/// (the profile's and those entered, `vangnet_store::woningafspraken::geldende`) added up;
/// a part of another (`onderdeel_van`) is not counted again (aanname: agreements that are
/// not linked add up).
fn agreed_homes(st: &AppState, region: &vangnet_domain::RegionId) -> Result<f64, WebError> {
    let Some(profile) = st.store().regions().get(region) else {
        return Ok(0.0);
    };
    let stored = st.store().woningafspraken(region)?;
    let year = st.today().year();
    // A part of another agreement (onderdeel_van) is not counted again.
    let inforce: Vec<_> = vangnet_store::woningafspraken::geldende(profile, &stored)
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    Ok(vangnet_domain::woningafspraken::afgesproken_totaal(&inforce, year) as f64)
}

fn parse_form(st: &AppState, user: &DemoUser, q: &[(String, String)]) -> Result<Knobs, WebError> {
    Knobs::parse(st.store().regions(), || default_region(st, user), q).map_err(|e| {
        if e.over_limit {
            WebError::bad_request(e.message)
                .field(e.field)
                .code("prognose_te_groot")
                .titled("Prognose te groot")
        } else {
            WebError::invalid(e.message)
                .field(e.field)
                .titled("Invoer niet geldig")
        }
    })
}

/// How far a forecast in the background is: simulations done of baseline and scenario.
#[derive(Debug)]
pub struct Progress {
    /// Replications done, baseline and scenario.
    done: [AtomicU64; 2],
    /// Replications of each.
    each: u64,
}

impl Progress {
    /// (done, total) over baseline and scenario.
    fn counts(&self) -> (u64, u64) {
        let done = self.done.iter().map(|d| d.load(Ordering::Relaxed)).sum();
        (done, 2 * self.each)
    }
}

/// The forecasts computing in the background, by region and form ([`Knobs::query`]).
fn pending() -> &'static Mutex<HashMap<String, Arc<Progress>>> {
    static PENDING: OnceLock<Mutex<HashMap<String, Arc<Progress>>>> = OnceLock::new();
    PENDING.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The progress page: 202, refreshed every 2 s by the `Refresh` header.
fn progress_page(st: &AppState, user: &DemoUser, knobs: &Knobs, p: &Progress) -> Response {
    let (done, total) = p.counts();
    let pct = (done * 100).checked_div(total).unwrap_or(0);
    let region = st
        .store()
        .regions()
        .get(&knobs.region)
        .map_or_else(|| knobs.region.to_string(), |r| r.name.clone());
    let body = html! {
        h1 { "De prognose wordt berekend" }
        div.melding role="status" {
            p { "Vangnet simuleert " (region) " " (knobs.replications) " keer zonder en " (knobs.replications) " keer met uw scenario." }
            label for="prognose-voortgang" { "Voortgang: " (done) " van " (total) " simulaties (" (pct) "%)" }
            br;
            progress id="prognose-voortgang" max=(total) value=(done) { (pct) "%" }
            p.klein { "Deze pagina ververst zichzelf elke 2 seconden en toont de prognose zodra die klaar is. "
                a href={ "/prognose?" (knobs.query()) } { "Nu verversen" } }
        }
    };
    let mut r = (
        StatusCode::ACCEPTED,
        Html(
            html::page(
                "Prognose wordt berekend",
                Some(user),
                st.store().regions(),
                &Nav::Prognose,
                body,
            )
            .into_string(),
        ),
    )
        .into_response();
    r.headers_mut()
        .insert("refresh", HeaderValue::from_static("2"));
    r
}

/// Check the form (the role is the route's rule, [`crate::RouteRule::Forecast`]), calibrate (cached) and run baseline and scenario (cached;
/// otherwise in turn, through the server's [`Queue`]).
async fn compute(
    st: &AppState,
    user: &DemoUser,
    q: &[(String, String)],
    progress: Option<Arc<Progress>>,
) -> Result<(Knobs, RegionProfile, Date, Arc<Run>), WebError> {
    let knobs = parse_knobs(st, user, q)?;
    let profile = st
        .store()
        .regions()
        .get(&knobs.region)
        .expect("checked")
        .clone();
    let on = st.today();
    let k2 = knobs.clone();
    let p2 = profile.clone();
    let reader = user.job("prognose");
    // A cached run is served without queueing.
    let (p1, k1) = (profile.id.clone(), knobs.query());
    let cached = st
        .blocking(move |s| {
            let run_key = format!("{p1}|{on}|{}|{k1}", s.high_water_mark()?);
            Ok(cached_run(&run_key))
        })
        .await?;
    if let Some(run) = cached {
        return Ok((knobs, profile, on, run));
    }
    let ticket = st.forecasts.enter(&user.id).await?;
    let result = st
        .blocking(move |s| {
            // Held until the computation ends, also when the request is given up.
            let _ticket = ticket;
            let t = Instant::now();
            let high_water = s.high_water_mark()?;
            let run_key = format!("{}|{on}|{high_water}|{}", p2.id, k2.query());
            // Computed while this one waited its turn?
            if let Some(r) = cached_run(&run_key) {
                return Ok(r);
            }
            let key = (p2.id.clone(), on, high_water);
            let cached = cache().lock().expect("cache").get(&key).cloned();
            let cal = match cached {
                Some(c) => c,
                None => {
                    // System-level, aggregate-only read: see the module documentation.
                    let mut events: Vec<RecordedEvent> = Vec::new();
                    s.export(&reader, &mut |e| {
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
            if k2.empirical {
                // The Kaplan–Meier stay distributions, for baseline and scenario alike.
                for (node, fit) in base.nodes.iter_mut().zip(&cal.report.products) {
                    if let Some(t) = fit.table {
                        node.service = vangnet_sim::model::Service::Empirical {
                            table: t,
                            mean: cal.model.tables[t as usize].mean(),
                        };
                    }
                }
            }
            base.capacity_changes.retain(|c| c.at <= base.horizon);
            let scen = scenario(&base, &k2);
            let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
            let tell = |which: usize| {
                let progress = progress.clone();
                move |n: u64| {
                    if let Some(p) = &progress {
                        p.done[which].fetch_max(n, Ordering::Relaxed);
                    }
                }
            };
            let (tell_base, tell_scen) = (tell(0), tell(1));
            let (b, s) = std::thread::scope(|sc| {
                let h =
                    sc.spawn(|| calibrate::forecast(&base, k2.replications, threads, &tell_base));
                let s = calibrate::forecast(&scen, k2.replications, threads, &tell_scen);
                (h.join().expect("baseline"), s)
            });
            let run = Arc::new(Run {
                cal,
                base: b,
                scen: s,
                secs: t.elapsed().as_secs_f64(),
            });
            let mut r = runs().lock().expect("runs");
            r.retain(|(k, _)| *k != run_key);
            r.push((run_key, Arc::clone(&run)));
            let excess = r.len().saturating_sub(8);
            r.drain(..excess);
            Ok(run)
        })
        .await;
    Ok((knobs, profile, on, result?))
}

/// `/prognose`.
pub(crate) async fn page(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let computed = match st.forecast_patience {
        None => compute(&st, &user, &q, None).await,
        Some(patience) => {
            let knobs = match parse_knobs(&st, &user, &q) {
                Ok(k) => k,
                Err(e) => return Ok(with_retry_after(e)),
            };
            let key = format!("{}|{}", knobs.region, knobs.query());
            let running = pending().lock().expect("pending").get(&key).cloned();
            if let Some(p) = running {
                return Ok(progress_page(&st, &user, &knobs, &p));
            }
            let progress = Arc::new(Progress {
                done: [AtomicU64::new(0), AtomicU64::new(0)],
                each: knobs.replications,
            });
            pending()
                .lock()
                .expect("pending")
                .insert(key.clone(), Arc::clone(&progress));
            let task = tokio::spawn({
                let (st, user, q, p) = (st.clone(), user.clone(), q.clone(), Arc::clone(&progress));
                async move {
                    let r = compute(&st, &user, &q, Some(p)).await;
                    pending().lock().expect("pending").remove(&key);
                    r
                }
            });
            match tokio::time::timeout(patience, task).await {
                Ok(Ok(r)) => r,
                Ok(Err(_)) => Err(WebError::internal()),
                Err(_) => return Ok(progress_page(&st, &user, &knobs, &progress)),
            }
        }
    };
    let (knobs, profile, on, run) = match computed {
        Ok(x) => x,
        Err(e) => return Ok(with_retry_after(e)),
    };
    let view = View {
        profile: Some(&profile),
        base: Some(&run.base),
        scen: &run.scen,
        t: threshold_for(Some(&user.actor), &profile),
    };
    let open = q
        .iter()
        .find(|(k, _)| k == "open")
        .map_or("", |(_, v)| v.as_str());
    let body = render(&st, &view, &knobs, &run, on, open);
    Ok((
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
        .into_response())
}

/// `GET /prognose/export.csv?…&tabel=product|gemeente|product_gemeente`: one table of the page.
pub(crate) async fn export_csv(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    export(&st, &user, &q, false).await
}

/// `GET /prognose/export.xlsx?…`: every table of the page, one sheet each.
pub(crate) async fn export_xlsx(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    export(&st, &user, &q, true).await
}

async fn export(
    st: &AppState,
    user: &DemoUser,
    q: &[(String, String)],
    xlsx: bool,
) -> Result<Response, WebError> {
    let (k, profile, on, run) = match compute(st, user, q, None).await {
        Ok(x) => x,
        Err(e) => return Ok(with_retry_after(e)),
    };
    let view = View {
        profile: Some(&profile),
        base: Some(&run.base),
        scen: &run.scen,
        t: threshold_for(Some(&user.actor), &profile),
    };
    let mut tables = forecast_tables(&view);
    for t in &mut tables {
        t.notes.push(format!(
            "Bron: Vangnet, prognose {} ({}), peildatum {on}; {} replicaties.",
            profile.name, profile.id, run.scen.replications
        ));
    }
    let selectie = format!(
        "Selectie: regio {}; peildatum {on}; {}.",
        profile.name,
        scenario_tekst(&k, &view)
    );
    // Sheet names: the tables' titles, shortened by hand to Excel's 31 characters.
    let sheets = [
        "Prognose per product",
        "Prognose per gemeente",
        "Per product en gemeente, eind",
    ];
    for (t, sheet) in tables.iter_mut().zip(sheets) {
        t.preamble.push(selectie.clone());
        t.sheet = sheet.to_owned();
    }
    let name = format!(
        "vangnet-prognose-{}-{on}{}",
        profile.id,
        bestandsnaam_scenario(&k)
    );
    if xlsx {
        return Ok(crate::pages::download(&name, &tables, true));
    }
    let which = q
        .iter()
        .find(|(k, _)| k == "tabel")
        .map_or("product", |(_, v)| v.as_str());
    let Some(i) = TABLES.iter().position(|(k, _)| *k == which) else {
        return Err(WebError::not_found(format!(
            "Tabel '{which}' bestaat niet. Kies een van: {}.",
            TABLES.map(|(k, _)| k).join(", ")
        ))
        .field("tabel"));
    };
    Ok(crate::pages::download(
        &format!("{name}-{which}"),
        std::slice::from_ref(&tables[i]),
        false,
    ))
}

/// The scenario of a download as part of its file name (`-jaren5-groei2-cap-bw-instelling-min20`):
/// the form's settings without the region and without unchanged capacities, ASCII letters,
/// digits and `-` only (`min` for a minus sign).
fn bestandsnaam_scenario(k: &Knobs) -> String {
    let q = k.query();
    let mut out = String::new();
    for (key, value) in q.split('&').filter_map(|p| p.split_once('=')) {
        if key == "regio" || (key.starts_with("cap_") && value == "0") {
            continue;
        }
        out.push('-');
        let value = value
            .strip_prefix('-')
            .map_or_else(|| value.to_owned(), |v| format!("min{v}"));
        let sep = if key.starts_with("cap_") { "-" } else { "" };
        for c in format!("{key}{sep}{value}").chars() {
            out.push(if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            });
        }
    }
    out
}

/// The scenario of a download in words, for the line at the top of each sheet.
fn scenario_tekst(k: &Knobs, view: &View<'_>) -> String {
    let mut parts = Vec::new();
    let mut caps: Vec<_> = k.capacity.iter().filter(|(_, p)| **p != 0.0).collect();
    caps.sort_by(|a, b| a.0.cmp(b.0));
    for (code, pct) in caps {
        let sign = if *pct > 0.0 { "+" } else { "" };
        parts.push(format!(
            "plaatsen {} {sign}{} %",
            view.product_name(code),
            fmt(*pct)
        ));
    }
    if !parts.is_empty() {
        parts.push(match k.until_year {
            Some(t) => format!(
                "vanaf jaar {} geleidelijk tot jaar {}",
                fmt(k.from_year),
                fmt(t)
            ),
            None => format!("vanaf jaar {}", fmt(k.from_year)),
        });
    }
    if k.growth != 0.0 {
        parts.push(format!("extra groei instroom {} % per jaar", fmt(k.growth)));
    }
    if let Some(h) = k.homes {
        if k.afspraken {
            parts.push(format!(
                "woningen volgens de woningafspraken: {} per jaar",
                fmt(h)
            ));
        } else {
            parts.push(format!("{} woningen per jaar", fmt(h)));
        }
    }
    if let Some(m) = k.max_months {
        parts.push(format!("maximale verblijfsduur {} maanden", fmt(m)));
    }
    if k.empirical {
        parts.push("verblijfsduur empirisch (Kaplan–Meier)".to_owned());
    }
    parts.push(format!("horizon {} jaar", fmt(k.years)));
    parts.push(format!("{} replicaties", k.replications));
    parts.join("; ")
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Withheld { shown: s, .. } => s.clone(),
        Cell::Int(n) if *n >= 0 => crate::labels::thousands(*n as u64),
        Cell::Int(n) => n.to_string(),
        Cell::Number(x) => fmt(*x),
    }
}

/// An HTML table of the rows of `t` for which `keep` holds, leaving out the first `skip`
/// columns (they are in the caption).
fn html_table(t: &Table, caption: &str, skip: usize, keep: &dyn Fn(&[Cell]) -> bool) -> Markup {
    html! {
        div.tabel-scroll tabindex="0" role="region" aria-label=(caption) {
            table {
                caption { (caption) }
                thead { tr {
                    @for (j, c) in t.columns.iter().enumerate().skip(skip) {
                        @if j < 4 { th scope="col" { (c) } } @else { th.getal scope="col" { (c) } }
                    }
                } }
                tbody {
                    @for r in t.rows.iter().filter(|r| keep(r)) {
                        tr {
                            @for (j, c) in r.iter().enumerate().skip(skip) {
                                @if j == skip { th scope="row" { (cell_text(c)) } }
                                @else if matches!(c, Cell::Int(_)) { td.getal { (cell_text(c)) } }
                                @else { td { (cell_text(c)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The value of `open` that draws every chart of the page.
const OPEN_ALL: &str = "alle";

/// The page. Only the charts of the opened section are drawn (`open`: a product code,
/// `gem-` and a gemeente slug, or [`OPEN_ALL`]; by default the first product), the other
/// sections get a link that opens them: every chart on one page was over a megabyte of SVG,
/// and the CSP allows no script to draw them on demand.
fn render(st: &AppState, view: &View<'_>, k: &Knobs, run: &Run, on: Date, open: &str) -> Markup {
    let cal = &run.cal;
    let profile = view.profile.expect("page has a region");
    let base = view.base.expect("page has a baseline");
    let scen = view.scen;
    let homes = cal
        .model
        .nodes
        .iter()
        .find(|n| n.id == calibrate::HOUSING)
        .and_then(|n| n.homes_per_year);
    let tables = forecast_tables(view);
    let query = k.query();
    let text = |c: &Cell| cell_text(c);
    let open = if open.is_empty() {
        scen.nodes.first().map_or("", String::as_str)
    } else {
        open
    };
    let is_open = |key: &str| open == OPEN_ALL || open == key;
    let open_link = |key: &str, name: &str| {
        html! {
            p.open-grafieken {
                a href={ "/prognose?" (query) "&open=" (key) "#kop-" (key) } { "Grafieken van " (name) " tonen" }
            }
        }
    };
    html! {
        h1 { "Prognose " (profile.name) }
        p.inleiding {
            "Een simulatie van het netwerk van de regio, gekalibreerd op de eigen gebeurtenissen van de afgelopen drie jaar "
            "en gestart vanuit de huidige bezetting, wachtlijst en wie al uitstroomklaar is (peildatum " (on.to_string()) "). "
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
                    caption { "Verandering van het aantal plaatsen per product (afbouw of opbouw)" }
                    thead { tr {
                        th scope="col" { "Product" }
                        th.getal scope="col" { "Plaatsen nu" }
                        th scope="col" { "Verandering (%)" }
                    } }
                    tbody {
                        @for n in cal.model.nodes.iter().filter(|n| n.homes_per_year.is_none()) {
                            @let id = format!("cap_{}", n.id);
                            tr {
                                th scope="row" { label for=(id) { (view.product_name(&n.id)) } }
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
                    " "
                    label for="tot" { "geleidelijk (stap per jaar) tot jaar" } " "
                    input type="number" id="tot" name="tot" min="0" max="30" step="1"
                        value=(k.until_year.map_or(String::new(), fmt));
                    " " span.klein { "(leeg: in één stap)" }
                }
                p {
                    label for="groei" { "Extra groei van de instroom (% per jaar)" } " "
                    input type="number" id="groei" name="groei" min="-20" max="50" step="0.5" value=(fmt(k.growth));
                }
                p {
                    label for="woningen" { "Woningen voor uitstroom per jaar" } " "
                    input type="number" id="woningen" name="woningen" min="0" step="1"
                        value=(k.homes.or(homes).map_or(String::new(), |h| fmt(h.round())));
                    " " span.klein { "(nu waargenomen: " (homes.map_or("geen woningknoop, zie toelichting".to_owned(), |h| format!("{} per jaar", fmt(h.round())))) ")" }
                }
                p {
                    input type="checkbox" id="woningen_volgens" name="woningen_volgens" value="afspraken" checked[k.afspraken];
                    " "
                    label for="woningen_volgens" { "Woningen volgens de woningafspraken: wat als de corporaties de afgesproken woningen van dit jaar leveren?" }
                    " " span.klein { "(vervangt het aantal hierboven door de som van de afspraken op "
                        a href={ "/regio/" (profile.id) "/woningafspraken" } { "de pagina woningafspraken" } "; aanname: afspraken tellen op)" }
                }
                p {
                    label for="maxduur" { "Maximale verblijfsduur (maanden, leeg = geen)" } " "
                    input type="number" id="maxduur" name="maxduur" min="1" max="600" step="1"
                        value=(k.max_months.map_or(String::new(), fmt));
                }
                p {
                    label for="verblijf" { "Verblijfsduur" } " "
                    select id="verblijf" name="verblijf" {
                        option value="lognormaal" selected[!k.empirical] { "lognormaal (gefit)" }
                        option value="empirisch" selected[k.empirical] { "empirisch (Kaplan–Meier)" }
                    }
                }
                p {
                    label for="jaren" { "Horizon (jaren)" } " "
                    input type="number" id="jaren" name="jaren" min="1" max=(MAX_YEARS) step="1" value=(fmt(k.years))
                        aria-describedby="limieten";
                    " "
                    label for="replicaties" { "Replicaties" } " "
                    input type="number" id="replicaties" name="replicaties" min=(MIN_REPLICATIONS) max=(MAX_REPLICATIONS) step="10" value=(k.replications)
                        aria-describedby="limieten";
                    " " span.klein id="limieten" { "(" (limits_text()) ")" }
                }
                input type="hidden" name="open" value=(open);
                p { button.knop type="submit" { "Bereken prognose" } }
            }
        }
        p.klein {
            (base.replications) " replicaties van " (fmt(k.years)) " jaar, basis en scenario, in "
            (format!("{:.1}", run.secs).replace('.', ",")) " s. Banden: donker 50 % (25–75 %), licht 90 % (5–95 %), lijn: mediaan; stippellijn: plaatsen."
        }
        @if let Some(t) = view.t {
            p.melding { "Kleine aantallen (1 tot en met " (t.saturating_sub(1)) ") worden niet gepubliceerd, net als in de monitor: in tabellen staat dan <" (t) " en in grafieken liggen ze in de grijze zone <" (t) ". Een maand waarin een getal verborgen moet blijven om terugrekenen te voorkomen, blijft in de grafiek open (lichtgrijs) en staat in de tabel als —." }
        }
        section aria-labelledby="kop-downloads" {
            h2 id="kop-downloads" { "Downloads" }
            p { "Precies de cijfers van deze pagina (dezelfde onderdrukking van kleine aantallen):" }
            ul {
                @for (key, title) in TABLES {
                    li { a href={ "/prognose/export.csv?" (query) "&tabel=" (key) } download { "CSV: " (title) } }
                }
                li { a href={ "/prognose/export.xlsx?" (query) } download { "Excel: alle tabellen" } }
            }
        }
        section aria-labelledby="kop-producten" {
            h2 id="kop-producten" { "Per product" }
            p.klein {
                "Alleen de grafieken en tabellen van één product of gemeente staan op de pagina; open een ander met zijn link, of download alle cijfers hierboven. "
                @if open != OPEN_ALL {
                    a href={ "/prognose?" (query) "&open=" (OPEN_ALL) } { "Alle grafieken tonen" } " (een grote pagina)."
                }
            }
            @for (i, n) in scen.nodes.iter().enumerate() {
                @let name = view.product_name(n);
                section aria-labelledby={ "kop-" (n) } {
                    h3 id={ "kop-" (n) } { (name) }
                    @if !is_open(n) { (open_link(n, &name)) }
                    @for &metric in view.metrics(i).iter().filter(|_| is_open(n)) {
                        (charts::fan_chart(view, &format!("svg-{n}-{}", metric.key()), &name, metric,
                            &|f: &Fan, m: usize| f.get(metric, i, m),
                            &|f: &Fan, m: usize| (metric == Metric::Bezetting).then(|| f64::from(f.places[i * f.months + m])),
                            &|f: &Fan, m: usize, q: usize| view.node_value(f, metric, i, m, q)))
                    }
                    @if is_open(n) {
                        details {
                            summary { "Cijfers als tabel" }
                            (html_table(&tables[0], &format!("{name}: aan het eind van elk jaar"), 1, &|r| text(&r[0]) == name))
                        }
                    }
                }
            }
        }
        section aria-labelledby="kop-gemeenten" {
            h2 id="kop-gemeenten" { "Per gemeente van herkomst" }
            p.toelichting { "Alle zorgproducten samen, naar gemeente van inschrijving bij aanmelding (instroom per gemeente gekalibreerd op de eigen aanmeldingen). 'Overig/onbekend': niet ingeschreven of van buiten de regio." }
            @for (g, code) in scen.origins.iter().enumerate() {
                @let name = view.gemeente_name(code);
                @let slug = if code.is_empty() { "overig".to_owned() } else { code.to_lowercase() };
                @let key = format!("gem-{slug}");
                section aria-labelledby={ "kop-" (key) } {
                    h3 id={ "kop-" (key) } { (name) }
                    @if !is_open(&key) { (open_link(&key, &name)) }
                    @for metric in Metric::ALL.into_iter().filter(|_| is_open(&key)) {
                        (charts::fan_chart(view, &format!("svg-gem-{slug}-{}", metric.key()), &name, metric,
                            &|f: &Fan, m: usize| f.get_total(metric, g, m),
                            &|_: &Fan, _: usize| None,
                            &|f: &Fan, m: usize, q: usize| view.breakdown(metric, &|mm, gg| f.get_total(mm, gg, m)[q])[g]))
                    }
                    @if is_open(&key) {
                        details {
                            summary { "Cijfers als tabel" }
                            (html_table(&tables[1], &format!("{name}: aan het eind van elk jaar"), 1, &|r| text(&r[0]) == name))
                        }
                    }
                }
            }
            @if is_open(TABLES[2].0) {
                details id={ "kop-" (TABLES[2].0) } open[open == TABLES[2].0] {
                    summary { (TABLES[2].1) }
                    (html_table(&tables[2], TABLES[2].1, 0, &|_| true))
                }
            } @else {
                p.open-grafieken id={ "kop-" (TABLES[2].0) } {
                    a href={ "/prognose?" (query) "&open=" (TABLES[2].0) "#kop-" (TABLES[2].0) } { (TABLES[2].1) ": tabel tonen" }
                    " (of als CSV bij Downloads)"
                }
            }
        }
        section aria-labelledby="kop-uitleg" {
            h2 id="kop-uitleg" { "Definities en keuzes" }
            ul.toelichting {
                li { (SHORTAGE_DEFINITION) }
                li { "Wachttijd: wachtlijst ÷ instroom per dag (wet van Little), in dagen." }
                li { "Woningen en dubbeltelling: in de registratie bevat een verblijf dat in een woning eindigt ook het wachten op die woning. Is uitstroomklaar vastgelegd, dan telt het verblijf tot die datum, gaan vertrekkers naar een woningknoop met de waargenomen uitstroom naar een woning als aanbod, en wacht wie geen woning heeft op zijn plek (blokkade). Is uitstroomklaar niet vastgelegd, dan is er geen woningknoop: het wachten zit dan al in de verblijfsduur." }
                li { "Eén definitie van elk getal: de simulatie kan haar toekomst ook als gewone cliëntgebeurtenissen uitgeven, die door de telling van de monitor gaan; een test laat zien dat die tellingen (in zorg, wachtend, instroom, uitstroom, doorstroom, wacht op woning, per product en gemeente) gelijk zijn aan die van de simulatie." }
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
                        th scope="col" { "Seizoen (piek, amplitude, F)" }
                    } }
                    tbody {
                        @for f in &cal.report.products {
                            tr {
                                th scope="row" { (f.name) }
                                td.getal { (fmt((f.arrivals_per_year * 10.0).round() / 10.0)) }
                                td.getal { (fmt((f.trend * 1000.0).round() / 10.0)) }
                                @let n = cell(f.completed, view.t);
                                td.getal { (n) }
                                // The mean of a suppressed number of stays is not shown either.
                                td.getal { @if n.is_suppressed() { "—" } @else { (fmt(f.empirical_mean.round())) } }
                                td.getal { (fmt(f.fitted_mean.round())) }
                                td.getal { (fmt((f.fitted_cv * 100.0).round() / 100.0)) }
                                td { (season_text(&f.season)) }
                            }
                        }
                    }
                }
            }
            div.tabel-scroll tabindex="0" role="region" aria-label="Seizoensfactoren" {
                table {
                    caption { "Seizoen: instroom per kalendermaand ÷ gemiddelde per maand (na trend)" }
                    thead { tr {
                        th scope="col" { "Product" }
                        @for m in MAANDEN { th.getal scope="col" { (m) } }
                    } }
                    tbody {
                        @for f in &cal.report.products {
                            tr {
                                th scope="row" { (f.name) }
                                // Factors of a product with few arrivals a month would give
                                // monthly counts away: not shown to aggregate-only viewers.
                                @let few = view.t.is_some_and(|t| f.arrivals_per_year / 4.0 < 2.0 * f64::from(t));
                                @for x in f.season.factors {
                                    td.getal { @if few { "—" } @else { (format!("{x:.2}").replace('.', ",")) } }
                                }
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

const MAANDEN: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

fn season_text(s: &calibrate::Season) -> String {
    if s.f == 0.0 && s.amplitude == 0.0 {
        return "te weinig gegevens".to_owned();
    }
    let peak = MAANDEN[(s.peak_month.round() as usize + 11) % 12];
    format!(
        "{peak}, {} %, F = {}{}",
        (s.amplitude * 100.0).round(),
        format!("{:.1}", s.f).replace('.', ","),
        if s.used {
            " (gebruikt)"
        } else {
            " (niet significant)"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_place_per_user_and_a_bounded_wait() {
        let q = Queue::new(1, Duration::from_millis(50));
        let first = q.enter("analist").await.expect("a free queue");
        // The same user again, while the first runs: 429.
        let e = q.enter("analist").await.unwrap_err();
        assert_eq!(e.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(e.code, Some("prognose_bezig"));
        let r = with_retry_after(e);
        assert_eq!(
            r.headers().get(header::RETRY_AFTER).unwrap(),
            &BUSY_RETRY_AFTER_SECONDS.to_string()
        );
        // Another user waits its turn, and gives up after the wait: 503, its place freed.
        let t = Instant::now();
        let e = q.enter("beleidsmedewerker").await.unwrap_err();
        assert!(t.elapsed() >= Duration::from_millis(50));
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(e.code, Some("prognose_wachtrij_vol"));
        assert!(
            with_retry_after(e)
                .headers()
                .contains_key(header::RETRY_AFTER)
        );
        // When the first is done, both may go (one after the other).
        drop(first);
        let second = q.enter("beleidsmedewerker").await.expect("its turn");
        drop(second);
        let again = q.enter("analist").await.expect("the user's place is free");
        drop(again);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_waiting_forecast_starts_when_a_place_frees() {
        let q = Arc::new(Queue::new(1, Duration::from_secs(20)));
        let first = q.enter("a").await.unwrap();
        let q2 = Arc::clone(&q);
        let waiting = tokio::spawn(async move { q2.enter("b").await.map(|_| ()) });
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert!(!waiting.is_finished(), "b waits for a's place");
        // Waiting counts as the user's one forecast.
        assert_eq!(
            q.enter("b").await.unwrap_err().status,
            StatusCode::TOO_MANY_REQUESTS
        );
        drop(first);
        waiting.await.unwrap().expect("b's turn");
        assert_eq!(Queue::for_this_machine().permits.available_permits(), {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            cores.saturating_sub(1).max(1)
        });
    }
}
