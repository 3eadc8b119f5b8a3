//! Vangnet's web application: server-rendered HTML pages (maud, auto-escaping) and a small
//! JSON API over the event store.
//!
//! Architecture rules this crate keeps:
//!
//! - **Every request has an actor.** The current user comes from a server-side session
//!   (cookie `vangnet_sessie`, [`users`]) — an account after password and second factor, or
//!   in demo mode one of the demo users ([`demo_users`]) with one click — or from an API
//!   token (`Authorization: Bearer`). Without one, every page except `/`, `/inloggen`,
//!   `/static/*` and `/gezondheid` redirects to `/inloggen` (the JSON API answers 401).
//! - **No cross-site writes.** Every state-changing request carries the session's CSRF token
//!   and comes from this site's origin ([`users`]); logout is a POST.
//! - **Client data only through the gate.** Every handler that touches client data builds an
//!   [`vangnet_store::AccessGate`] with the user's actor and a Dutch purpose; the store
//!   decides and writes the access-log entry (refusals too). Nothing here bypasses it.
//! - **Aggregates protect small numbers.** Exact figures are for the region's own access team;
//!   everyone else sees published figures with small-number suppression ([`figures`]).
//! - **The store is synchronous**; handlers call it on blocking threads.
//!
//! - **Errors are [`WebError`]s** ([`error`]): a status, a Dutch message, the field and a
//!   stable code, answered as the Dutch error page or JSON `{"fout","veld","code"}`; a busy
//!   or unreachable database is 503 with `Retry-After`; a panicking handler is 500, logged.
//! - **Every request is logged** (`tracing`): method, matched route, status, latency and the
//!   user id — never the raw path, the query, names or BSNs.
//!
//! Routes: [`ROUTES`] lists every path with its methods, query parameters and
//! [`RouteRule`] (who may use it); [`router`] registers exactly those and enforces the
//! role-level part of each rule in one middleware.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use vangnet_domain::access::{self, Action};
use vangnet_domain::{Actor, Date, Organisation, RegionId, Role};
use vangnet_store::{Store, StoreError, StoreResult};

mod aanbieder;
mod acties;
mod api;
mod beheer;
mod brief;
mod charts;
mod corporatie;
mod correctie;
pub mod error;
pub mod figures;
pub mod forecast;
mod geld_bron;
mod geld_pages;
mod geld_tabellen;
mod html;
mod inzage;
pub mod labels;
mod login;
pub mod monitor;
mod monitor_pages;
mod pages;
mod plaatsen_pages;
mod toegangslog;
pub mod users;
pub mod verzoeken;
pub mod voordeur;
mod voordeur_api;
mod voordeur_pages;
pub mod vrije_plaatsen;
mod werklijst;
pub mod wijkteam;
mod wonen_team;
mod woningafspraken_pages;
mod zoeken;

pub use error::WebError;
pub use users::{DemoUser, corporatie_user_id, demo_users};

/// Where the web layer's "today" comes from: the default date of a form, the reference date
/// of an overview, a forecast or a monitor period. (The instant an event is recorded at,
/// `recorded_at`, is the store's clock, not this one.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The wall clock: today's date in the Netherlands (Europe/Amsterdam,
    /// [`vangnet_store::time::today`]).
    #[default]
    System,
    /// A fixed date (tests, reproducible demos): every request sees this day.
    Fixed(Date),
}

impl Clock {
    /// Today's date by this clock.
    pub fn today(self) -> Date {
        match self {
            Clock::System => vangnet_store::time::today(),
            Clock::Fixed(d) => d,
        }
    }
}

/// Shared state of the web application: the store, the demo users, the clock and how the
/// server is reached (demo login, TLS proxy).
#[derive(Clone)]
pub struct AppState {
    store: Arc<dyn Store>,
    users: Arc<Vec<DemoUser>>,
    clock: Clock,
    /// One-click login as a demo user (`vangnet demo` on loopback, tests); `serve` never.
    demo_login: bool,
    /// Behind a trusted TLS-terminating proxy: `Secure` cookies, the client address from the
    /// last hop of `X-Forwarded-For`.
    tls_proxy: bool,
    /// The server's forecast queue ([`forecast::Queue`]).
    forecasts: Arc<forecast::Queue>,
    /// How long `/prognose` waits for a computation before it answers with the progress page
    /// (`None`: until the forecast is done, as in tests; `serve` and `demo`: 2 s).
    forecast_patience: Option<std::time::Duration>,
    /// This process's key for the TOTP secret offered during enrolment (random at start,
    /// never stored): the secret is derived from it and the partial session, so it never
    /// travels in a form ([`login`]).
    enrolment_key: Arc<[u8; 32]>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("engine", &self.store.engine())
            .field("users", &self.users.len())
            .field("clock", &self.clock)
            .field("demo_login", &self.demo_login)
            .field("tls_proxy", &self.tls_proxy)
            .finish()
    }
}

impl AppState {
    /// State over `store`, with the demo users generated from the store's regions and the
    /// wall clock; demo login off (accounts only), no proxy.
    pub fn new(store: Arc<dyn Store>) -> AppState {
        let users = Arc::new(demo_users(store.regions()));
        AppState {
            store,
            users,
            clock: Clock::System,
            demo_login: false,
            tls_proxy: false,
            forecasts: Arc::new(forecast::Queue::for_this_machine()),
            forecast_patience: None,
            enrolment_key: Arc::new(vangnet_store::secret::random_bytes::<32>()),
        }
    }

    /// The same state with the demo's one-click login on or off. On only for `vangnet demo`
    /// (which refuses a non-loopback address) and tests; with it off, sessions of demo users
    /// resolve to nobody.
    pub fn with_demo_login(mut self, on: bool) -> AppState {
        self.demo_login = on;
        self
    }

    /// The same state answering `/prognose` with a progress page (refreshing itself) when a
    /// forecast takes longer than `patience` ([`forecast`]); `None`: wait until it is done.
    pub fn with_forecast_patience(mut self, patience: Option<std::time::Duration>) -> AppState {
        self.forecast_patience = patience;
        self
    }

    /// Whether the demo's one-click login is on.
    pub fn demo_login(&self) -> bool {
        self.demo_login
    }

    /// The same state behind a trusted TLS-terminating proxy (`serve --https-achter-proxy`):
    /// cookies get `Secure`, and the client's address is the last hop of `X-Forwarded-For`.
    pub fn with_tls_proxy(mut self, on: bool) -> AppState {
        self.tls_proxy = on;
        self
    }

    /// Whether the server sits behind a trusted TLS proxy.
    pub fn tls_proxy(&self) -> bool {
        self.tls_proxy
    }

    /// A complete session for demo user `user_id` (demo login only), as the value of a
    /// `Cookie` header (`vangnet_sessie=…`): what a one-click login gives, for tests and the
    /// page benchmarks. Panics when demo login is off or the user is not a demo user.
    pub fn demo_session(&self, user_id: &str) -> String {
        assert!(self.demo_login, "demo_session: demo-inlog staat uit");
        assert!(
            self.user(user_id).is_some(),
            "demo_session: geen demogebruiker {user_id}"
        );
        let token = users::new_session(self.store.as_ref(), user_id, true, true, None)
            .expect("demo_session: sessie aanmaken");
        format!("{}={token}", users::SESSION_COOKIE)
    }

    /// The CSRF token of the session in `cookie` (a `Cookie` header value as
    /// [`AppState::demo_session`] gives), for tests that post forms or JSON.
    pub fn csrf_of(&self, cookie: &str) -> Option<String> {
        let token = cookie
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| *k == users::SESSION_COOKIE)?
            .1;
        let hash = vangnet_auth::secret::token_hash(token);
        self.store
            .accounts()
            .session(&hash)
            .ok()
            .flatten()
            .map(|s| s.csrf)
    }

    /// The same state with `clock`.
    pub fn with_clock(mut self, clock: Clock) -> AppState {
        self.clock = clock;
        self
    }

    /// The same state with today fixed at `date` (tests).
    pub fn with_today(self, date: Date) -> AppState {
        self.with_clock(Clock::Fixed(date))
    }

    /// The fixed day of the state's clock, `None` for the wall clock: what the access gate
    /// of a request decides on ([`vangnet_store::AccessGate::on`]).
    pub fn fixed_today(&self) -> Option<Date> {
        match self.clock {
            Clock::Fixed(d) => Some(d),
            Clock::System => None,
        }
    }

    /// Today's date by the state's clock; every handler asks this, never the wall clock.
    pub fn today(&self) -> Date {
        self.clock.today()
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The demo users one can log in as.
    pub fn users(&self) -> &[DemoUser] {
        &self.users
    }

    /// The demo user with this id.
    pub fn user(&self, id: &str) -> Option<&DemoUser> {
        self.users.iter().find(|u| u.id == id)
    }

    /// Run a (synchronous) store call on a blocking thread.
    pub(crate) async fn blocking<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> StoreResult<T> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .unwrap_or_else(|e| {
                // A panic in the store: logged here, answered as a failure (500).
                tracing::error!(fout = %e, "achtergrondtaak afgebroken");
                Err(StoreError::Backend(format!(
                    "achtergrondtaak afgebroken: {e}"
                )))
            })
    }
}

/// One route of the application: the path as registered, its methods, the query parameters
/// its handler reads (`cap_…` of `/prognose` stands for one per product) and its
/// [`RouteRule`]. [`router`] registers exactly these paths (it panics on a path missing
/// here, so no route can be added unlisted), `tests/robustness.rs` feeds every parameter and
/// path segment of every GET route arbitrary strings, as every role, and `tests/matrix.rs`
/// sends every route as every role, for a client or region of the user's own organisation
/// and of another, and checks the answer and the access-log row against the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    /// The path pattern (`/clienten/{id}`).
    pub path: &'static str,
    /// The HTTP methods it answers.
    pub methods: &'static [&'static str],
    /// Query parameters read by its GET handler.
    pub query: &'static [&'static str],
    /// Who may use it.
    pub rule: RouteRule,
}

/// Who may use a route (DOMAIN.md §2), as data: one rule per [`RouteSpec`], so a route
/// without a rule does not compile. The role-level part is enforced for every route by one
/// middleware ([`RouteRule::refusal`], before the handler runs), so a handler cannot
/// forget it; the per-client part — and every refusal that must be in the access log — is
/// decided by the store's gate, which no handler can get around (client data is only read
/// and written through it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteRule {
    /// Anyone, also without logging in: the home page (published figures only), login,
    /// health, assets.
    Public,
    /// Any logged-in user, and a partial session (logout: one can stop half-way).
    LoggedIn,
    /// Aggregates — the monitor, the agreed actions and the region overviews (page and
    /// API): [`access::may_view_monitor`]. (The region overview is the same kind of
    /// figures as the monitor, so the same audience; issue 11, finding 10.)
    Monitor,
    /// The forecast: [`access::may_forecast`].
    Forecast,
    /// The access log: [`access::may_read_access_log`], decided and logged by the store
    /// (`AccessGate::check_audit`), so a refused attempt is in the log.
    AccessLog,
    /// Client-level work on a whole region (placement from the waiting list, the
    /// worklist): the access team of the region in the path, or of its own region when the
    /// path names none. The store decides again and logs per client.
    OwnRegionTeam,
    /// One client's record with this action: the store's gate decides per client
    /// ([`access::decide`], and for a write the rights per fact, [`access::may_record`])
    /// and writes the access-log row, refusals too. A client that does not exist is
    /// refused like one that is not the user's.
    ClientRecord(Action),
    /// A client's own access overview (AVG inzage): the store's gate
    /// (`AccessGate::check_inzage`: the access team of the client's region), logged.
    ClientInzage,
    /// Registering an application (form and API alike): who may record an `aanmelding`
    /// ([`access::FACT_RIGHTS`]) and create a client ([`access::decide`] with
    /// [`Action::Create`]) — the region's access team, and a wijkteam for its own residents
    /// in the region its gemeente belongs to. The form (GET) is refused to other roles here;
    /// an application (POST) is decided per region and gemeente, and logged, by the store.
    Register,
    /// A step of logging in after the password (new password, second-factor enrolment,
    /// code): only a partial session whose next step is this route; a complete session is
    /// sent home by the handler. Nobody else.
    LoginStep,
    /// Account and API-token management: [`access::may_manage_accounts`] (the
    /// beheerder); the store checks again and logs every change.
    Beheer,
    /// Finding people (`/zoeken`): [`access::may_search_clients`]; the store's gate
    /// decides per client found and logs every search.
    Search,
    /// The money pages (`/geld/…`, issue 13): reading [`access::may_view_money`], a POST
    /// (entering a tariff) [`access::may_enter_tariffs`]. The handler narrows it to the
    /// region's own organisations ([`access::may_view_money_of`],
    /// [`access::may_enter_tariffs_of`]); the store decides a tariff again and logs it.
    Money,
    /// The provider portal (`/aanbieder…`, issue 14): a zorgaanbieder. Its own locations
    /// are checked by the handler (another provider's: 403, nothing read); its clients are
    /// read through the store's gate (`Store::provider_clients`), each decided and logged.
    Provider,
    /// The woningcorporatie's pages (`/corporatie…`, issue 15): a woningcorporatie. Its
    /// candidates are read through the store (`Store::woon_kandidaten` /
    /// `woon_kandidaat`), each decided and logged; another corporation's client is the
    /// store's logged refusal.
    Corporation,
    /// The wijkteam's start page (`/wijkteam`, issue 14, feat/toegang): a wijkteam; its
    /// residents are read through the store's gate (`Store::resident_cases`), each logged.
    Wijkteam,
    /// The region's places (`/regio/{id}/plaatsen`, issue 14): reading the access team, the
    /// policy roles and the analist ([`access::may_view_money`]'s roles; exact figures for
    /// the region's own team only), a POST (a capacity period) the toegangsmedewerker. The
    /// handler narrows both to the region in the path; the store decides a period again
    /// and logs it.
    Places,
    /// The region's woningafspraken (`/regio/{id}/woningafspraken`, issue 15): reading the
    /// places pages' audience ([`access::may_view_money`]'s roles), a POST (an agreement)
    /// the policy and team roles (beleidsmedewerker, analist, toegangsmedewerker). The
    /// handler narrows both to the region in the path; the store decides again and logs it.
    Agreements,
}

/// Who is asking, as far as a [`RouteRule`] is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visitor<'a> {
    /// Not logged in.
    Anonymous,
    /// A partial session (the password passed): `next` is the path of the login step it
    /// still has to take ([`RouteRule::LoginStep`]).
    Partial {
        /// The path of the next login step.
        next: &'a str,
    },
    /// A logged-in user: a complete session or an API token.
    User(&'a Actor),
}

impl RouteRule {
    /// The role-level refusal of this rule for `visitor` with `method` on the route with
    /// path pattern `route`, before the handler runs; `None` when the request may go on to
    /// the handler (and, for client data, to the store's gate). `region` is the region named
    /// in the path, if any. Refusals here read nothing and are not logged; the rules whose
    /// refusals belong in the access log (`AccessLog`, `ClientRecord`, `ClientInzage`, a
    /// `Register` POST) are left to the store. A partial session reaches only its next login
    /// step, logout and the public routes.
    pub fn refusal(
        self,
        method: &Method,
        visitor: Visitor<'_>,
        route: &str,
        region: Option<&str>,
    ) -> Option<WebError> {
        let not_logged_in = || {
            WebError::new(
                StatusCode::UNAUTHORIZED,
                "niet ingelogd: kies eerst een gebruiker via /inloggen",
            )
            .code("niet_ingelogd")
        };
        let actor = match visitor {
            Visitor::User(actor) => actor,
            Visitor::Anonymous => {
                return (self != RouteRule::Public).then(not_logged_in);
            }
            Visitor::Partial { next } => {
                return match self {
                    RouteRule::Public | RouteRule::LoggedIn => None,
                    RouteRule::LoginStep if next == route => None,
                    RouteRule::LoginStep => Some(
                        WebError::forbidden("Rond eerst de vorige stap van het inloggen af.")
                            .code("inlogstap"),
                    ),
                    _ => Some(not_logged_in()),
                };
            }
        };
        let allowed = match self {
            RouteRule::Public
            | RouteRule::LoggedIn
            | RouteRule::AccessLog
            | RouteRule::ClientRecord(_)
            | RouteRule::ClientInzage
            | RouteRule::LoginStep => true,
            RouteRule::Beheer => access::may_manage_accounts(actor.role),
            RouteRule::Search => access::may_search_clients(actor.role),
            RouteRule::Monitor => access::may_view_monitor(actor.role),
            RouteRule::Forecast => access::may_forecast(actor.role),
            RouteRule::OwnRegionTeam => {
                own_team_region(actor).is_some_and(|r| region.is_none_or(|p| p == r.as_str()))
            }
            RouteRule::Register => *method != Method::GET || may_register(actor),
            RouteRule::Money if *method == Method::POST => access::may_enter_tariffs(actor.role),
            RouteRule::Money => access::may_view_money(actor.role),
            RouteRule::Provider => actor.role == Role::Zorgaanbieder,
            RouteRule::Wijkteam => actor.role == Role::Wijkteam,
            RouteRule::Corporation => actor.role == Role::Woningcorporatie,
            RouteRule::Places if *method == Method::POST => actor.role == Role::Toegangsmedewerker,
            RouteRule::Places => access::may_view_money(actor.role),
            RouteRule::Agreements if *method == Method::POST => matches!(
                actor.role,
                Role::Beleidsmedewerker | Role::Analist | Role::Toegangsmedewerker
            ),
            RouteRule::Agreements => access::may_view_money(actor.role),
        };
        if allowed {
            return None;
        }
        Some(WebError::forbidden(match self {
            RouteRule::Monitor => {
                "De monitor, de regio-overzichten en de afgesproken acties zijn er voor wie de geaggregeerde cijfers bekijkt. De auditor controleert het toegangslog; uw rol geeft geen recht op deze pagina."
            }
            RouteRule::Forecast => {
                "De prognose is er voor beleidsmedewerkers, analisten en de toegang. Uw rol geeft daar geen recht op."
            }
            RouteRule::OwnRegionTeam => "Deze pagina is voor het toegangsteam van deze regio.",
            RouteRule::Beheer => {
                "Gebruikers en API-tokens beheert de functioneel beheerder. Uw rol geeft daar geen recht op."
            }
            RouteRule::Search => {
                "Cliënten zoeken het toegangsteam, het wijkteam en de zorgaanbieder, elk binnen de eigen bevoegdheid. Uw rol geeft daar geen recht op."
            }
            RouteRule::Money if *method == Method::POST => {
                "Tarieven legt de analist van de regio vast. Voor uw rol zijn de financiële overzichten alleen om te lezen."
            }
            RouteRule::Money => {
                "De financiële overzichten zijn er voor beleidsmedewerkers, analisten en de toegang van de regio. Uw rol geeft daar geen recht op."
            }
            RouteRule::Provider => {
                "Het aanbiedersportaal is er voor zorgaanbieders: hun eigen locaties en cliënten."
            }
            RouteRule::Wijkteam => {
                "Deze pagina is voor het wijkteam (de lokale toegang) van een gemeente."
            }
            RouteRule::Corporation => {
                "Deze pagina's zijn er voor woningcorporaties: hun uitstroomkandidaten en aanbiedingen."
            }
            RouteRule::Places if *method == Method::POST => {
                "Capaciteit legt het toegangsteam van de regio vast; een aanbieder doet dat voor de eigen locaties in het aanbiedersportaal."
            }
            RouteRule::Places => {
                "De plaatsen van een regio zijn er voor het toegangsteam, de beleidsmedewerkers en de analisten van de regio. Uw rol geeft daar geen recht op."
            }
            RouteRule::Agreements if *method == Method::POST => {
                "Woningafspraken leggen de beleidsmedewerkers, analisten en het toegangsteam van de regio vast."
            }
            RouteRule::Agreements => {
                "De woningafspraken van een regio zijn er voor het toegangsteam, de beleidsmedewerkers en de analisten van de regio. Uw rol geeft daar geen recht op."
            }
            _ => {
                "Aanmelden doen het toegangsteam van de regio en het wijkteam, voor de eigen inwoners."
            }
        }))
    }
}

/// The region of a region's access team member.
fn own_team_region(actor: &Actor) -> Option<&RegionId> {
    match (actor.role, &actor.organisation) {
        (Role::Toegangsmedewerker, Organisation::Regio(r)) => Some(r),
        _ => None,
    }
}

/// May `actor`'s role register an application anywhere: a recorder of `aanmelding` in
/// [`access::FACT_RIGHTS`] that [`access::decide`] lets create a client of its own
/// organisation (its region, its gemeente's residents).
pub fn may_register(actor: &Actor) -> bool {
    if actor.role == Role::Systeem {
        return true;
    }
    let recorder = access::FACT_RIGHTS
        .iter()
        .find(|r| r.kind == "aanmelding")
        .is_some_and(|row| {
            row.recorders.iter().any(|rec| {
                matches!(
                    (rec, actor.role),
                    (access::Recorder::Toegangsteam, Role::Toegangsmedewerker)
                        | (access::Recorder::WijkteamEigenRegio, Role::Wijkteam)
                        | (access::Recorder::EigenAanbieder, Role::Zorgaanbieder)
                )
            })
        });
    recorder && access::decide(actor, Action::Create, &own_scope(actor)).allowed()
}

/// The scope of a client of `actor`'s own organisation: its region, a resident of its
/// gemeente, allocated to it, a candidate to move out.
fn own_scope(actor: &Actor) -> access::ClientScope {
    let placeholder = || RegionId::parse("eigen-organisatie").expect("a valid region id");
    access::ClientScope {
        regio: own_team_region(actor).cloned().unwrap_or_else(placeholder),
        herkomst: match &actor.organisation {
            Organisation::Gemeente(g) => Some(*g),
            _ => None,
        },
        aanbieders: match &actor.organisation {
            Organisation::Aanbieder(a) => vec![*a],
            _ => Vec::new(),
        },
        uitstroom_kandidaat: true,
    }
}

/// The [`RouteSpec`] of a path pattern as registered.
pub fn route(path: &str) -> Option<&'static RouteSpec> {
    ROUTES.iter().find(|r| r.path == path)
}

/// The value of the first path parameter of `pattern` in `path`, if any.
fn first_param<'a>(pattern: &str, path: &'a str) -> Option<&'a str> {
    pattern
        .split('/')
        .zip(path.split('/'))
        .find(|(p, _)| p.starts_with('{'))
        .map(|(_, v)| v)
}

/// Middleware (inside the login middleware, so the viewer is known): the role-level part of
/// the matched route's [`RouteRule`]; a refusal is answered here, before the handler runs.
async fn enforce_rule(req: Request, next: Next) -> Response {
    let spec = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|m| route(m.as_str()));
    // Only for the route's own methods (another method is the router's 405).
    let listed = |spec: &&RouteSpec| {
        let m = req.method().as_str();
        spec.methods.contains(&m) || (m == "HEAD" && spec.methods.contains(&"GET"))
    };
    if let Some(spec) = spec.filter(listed) {
        let actor = req
            .extensions()
            .get::<users::Viewer>()
            .and_then(|v| v.0.as_ref())
            .map(|u| &u.actor);
        let next = req
            .extensions()
            .get::<users::Current>()
            .and_then(|c| c.next_step);
        let visitor = match (actor, next) {
            (Some(actor), _) => Visitor::User(actor),
            (None, Some(next)) => Visitor::Partial { next },
            (None, None) => Visitor::Anonymous,
        };
        let region = match spec.rule {
            RouteRule::OwnRegionTeam => first_param(spec.path, req.uri().path()),
            _ => None,
        };
        if let Some(e) = spec.rule.refusal(req.method(), visitor, spec.path, region) {
            return e.into_response();
        }
    }
    next.run(req).await
}

const fn spec(
    path: &'static str,
    methods: &'static [&'static str],
    query: &'static [&'static str],
    rule: RouteRule,
) -> RouteSpec {
    RouteSpec {
        path,
        methods,
        query,
        rule,
    }
}

use RouteRule::{
    AccessLog, Agreements, Beheer, ClientInzage, ClientRecord, Corporation, Forecast, LoggedIn,
    LoginStep, Money, Monitor, OwnRegionTeam, Places, Provider, Public, Register, Search, Wijkteam,
};

const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const GET_POST: &[&str] = &["GET", "POST"];
const NONE: &[&str] = &[];
const ACCESS_LOG: &[&str] = &[
    "client",
    "gebruiker",
    "geweigerd",
    "aantal",
    "van",
    "tot",
    "organisatie",
    "rol",
    "doel",
];
const FORECAST: &[&str] = &[
    "regio",
    "cap_bw-beschermd-wonen",
    "vanaf",
    "tot",
    "groei",
    "woningen",
    "maxduur",
    "jaren",
    "replicaties",
    "verblijf",
];
const FORECAST_EXPORT: &[&str] = &[
    "regio",
    "cap_bw-beschermd-wonen",
    "vanaf",
    "tot",
    "groei",
    "woningen",
    "maxduur",
    "jaren",
    "replicaties",
    "verblijf",
    "tabel",
];
const MONITOR: &[&str] = &[
    "gemeente",
    "product",
    "aanbieder",
    "van",
    "tot",
    "gemeente_soort",
    "indeling",
];
const MONITOR_SECTION: &[&str] = &[
    "gemeente",
    "product",
    "aanbieder",
    "van",
    "tot",
    "gemeente_soort",
    "indeling",
    "sectie",
];

const GELD: &[&str] = &["jaar"];
const GELD_KOSTEN: &[&str] = &["jaar", "toerekening", "gemeente"];
const GELD_TABEL: &[&str] = &[
    "tabel",
    "jaar",
    "toerekening",
    "gemeente",
    "ambulant_pct",
    "ambulant_jaren",
    "ambulant_vanaf",
    "wpb_vanaf",
    "objectief_vanaf",
    "wlz_pct",
    "prognose",
];
const GELD_SCENARIO: &[&str] = &[
    "ambulant_pct",
    "ambulant_jaren",
    "ambulant_vanaf",
    "wpb_vanaf",
    "objectief_vanaf",
    "wlz_pct",
    "prognose",
];

/// Every route of [`router`] (see [`RouteSpec`]) with its [`RouteRule`].
pub const ROUTES: &[RouteSpec] = &[
    spec("/", GET, NONE, Public),
    spec("/inloggen", GET_POST, &["terug"], Public),
    spec("/inloggen/code", GET_POST, &["terug"], LoginStep),
    spec("/account/wachtwoord", GET_POST, &["terug"], LoginStep),
    spec("/account/tweede-factor", GET_POST, &["terug"], LoginStep),
    spec("/uitloggen", GET_POST, NONE, LoggedIn),
    spec("/beheer/gebruikers", GET_POST, &["melding"], Beheer),
    spec("/beheer/gebruikers/{id}", POST, NONE, Beheer),
    spec("/beheer/tokens", GET_POST, &["melding"], Beheer),
    spec("/beheer/tokens/{id}/intrekken", POST, NONE, Beheer),
    spec("/regio/{id}", GET, NONE, Monitor),
    spec(
        "/clienten/{id}",
        GET,
        &["product", "melding"],
        ClientRecord(Action::Read),
    ),
    spec("/clienten/{id}/inzage", GET, NONE, ClientInzage),
    spec("/clienten/{id}/inzage.csv", GET, NONE, ClientInzage),
    spec("/toegangslog", GET, ACCESS_LOG, AccessLog),
    spec("/toegangslog.csv", GET, ACCESS_LOG, AccessLog),
    spec("/toegangslog.xlsx", GET, ACCESS_LOG, AccessLog),
    spec("/prognose", GET, FORECAST, Forecast),
    spec("/prognose/export.csv", GET, FORECAST_EXPORT, Forecast),
    spec("/prognose/export.xlsx", GET, FORECAST, Forecast),
    spec("/api/regio/{id}/overzicht", GET, NONE, Monitor),
    spec("/api/clienten/{id}", GET, NONE, ClientRecord(Action::Read)),
    spec("/api/clienten", POST, NONE, Register),
    spec(
        "/api/clienten/{id}/gebeurtenissen",
        POST,
        NONE,
        ClientRecord(Action::Write),
    ),
    spec(
        "/api/clienten/{id}/beoordeling",
        GET,
        &["product", "datum"],
        ClientRecord(Action::Read),
    ),
    spec("/aanmelden", GET_POST, NONE, Register),
    spec(
        "/clienten/{id}/gebeurtenis",
        POST,
        NONE,
        ClientRecord(Action::Write),
    ),
    spec(
        "/clienten/{id}/besluitbrief",
        GET,
        NONE,
        ClientRecord(Action::Read),
    ),
    spec(
        "/clienten/{id}/besluitbrief.pdf",
        GET,
        &["versie"],
        ClientRecord(Action::Read),
    ),
    spec(
        "/regio/{id}/wachtlijst",
        GET,
        &["product", "locatie", "melding"],
        OwnRegionTeam,
    ),
    // feat/toegang (issue 14): free places and proposals, requests and advice, wijkteam.
    spec("/verzoeken", GET_POST, &["melding"], OwnRegionTeam),
    spec("/wijkteam", GET, NONE, Wijkteam),
    spec(
        "/regio/{id}/vrije-plaatsen",
        GET_POST,
        &["locatie", "product", "melding"],
        OwnRegionTeam,
    ),
    spec(
        "/werklijst",
        GET,
        &[
            "taak",
            "gemeente",
            "product",
            "termijn",
            "ouder_dan",
            "volgorde",
            "pagina",
        ],
        OwnRegionTeam,
    ),
    // feat/zoeken
    spec(
        "/clienten/{id}/correctie/{versie}",
        GET_POST,
        NONE,
        ClientRecord(Action::Read),
    ),
    spec(
        "/zoeken",
        GET,
        &["bsn", "nummer", "naam", "geboortedatum"],
        Search,
    ),
    spec(
        "/monitor/{regio}/acties",
        GET_POST,
        &["gemeente", "stand", "actie", "melding"],
        Monitor,
    ),
    spec("/monitor", GET, NONE, Monitor),
    spec("/monitor/{regio}", GET, MONITOR, Monitor),
    spec("/monitor/{regio}/definities", GET, NONE, Monitor),
    spec(
        "/monitor/{regio}/rapport",
        GET,
        &["gemeente", "kwartaal"],
        Monitor,
    ),
    spec("/monitor/{regio}/export.csv", GET, MONITOR_SECTION, Monitor),
    spec(
        "/monitor/{regio}/export.xlsx",
        GET,
        MONITOR_SECTION,
        Monitor,
    ),
    spec("/api/monitor/{regio}", GET, MONITOR_SECTION, Monitor),
    // feat/webgeld (issue 13): the money pages.
    spec("/geld", GET, NONE, Money),
    spec("/geld/{regio}", GET, GELD, Money),
    spec("/geld/{regio}/kosten", GET, GELD_KOSTEN, Money),
    spec("/geld/{regio}/verrekening", GET, GELD, Money),
    spec("/geld/{regio}/tarieven", GET_POST, &["melding"], Money),
    spec("/geld/{regio}/scenario", GET, GELD_SCENARIO, Money),
    spec("/geld/{regio}/export.csv", GET, GELD_TABEL, Money),
    spec("/geld/{regio}/export.xlsx", GET, GELD_TABEL, Money),
    spec("/api/geld/{regio}", GET, GELD_TABEL, Money),
    // feat/portaal (issue 14): the provider portal.
    spec("/aanbieder", GET, &["pagina"], Provider),
    spec(
        "/aanbieder/locaties/{locatie}",
        GET_POST,
        &["melding", "pagina"],
        Provider,
    ),
    spec(
        "/aanbieder/clienten/{id}",
        GET_POST,
        &["melding"],
        ClientRecord(Action::Read),
    ),
    // feat/corporatie (issue 15): the woningcorporatie's candidates and offers.
    spec(
        "/corporatie",
        GET,
        &["gemeente", "woningtype", "route", "pagina", "melding"],
        Corporation,
    ),
    spec(
        "/corporatie/kandidaten/{id}",
        GET_POST,
        &["melding"],
        Corporation,
    ),
    // feat/plaatsen (issue 14): the region's places over time.
    spec(
        "/regio/{id}/plaatsen",
        GET_POST,
        &["product", "melding"],
        Places,
    ),
    spec("/regio/{id}/plaatsen.csv", GET, NONE, Places),
    // feat/afspraken (issue 15): the region's woningafspraken and their realisation.
    spec(
        "/regio/{id}/woningafspraken",
        GET_POST,
        &["jaar", "melding"],
        Agreements,
    ),
    spec(
        "/regio/{id}/woningafspraken.csv",
        GET,
        &["jaar", "tabel"],
        Agreements,
    ),
    spec("/gezondheid", GET, NONE, Public),
    spec("/static/vangnet.css", GET, NONE, Public),
    spec("/static/vangnet.svg", GET, NONE, Public),
];

/// Registers routes, checking each against [`ROUTES`].
struct Routes {
    router: Router<AppState>,
    registered: Vec<&'static str>,
}

impl Routes {
    fn at(mut self, path: &'static str, m: MethodRouter<AppState>) -> Routes {
        assert!(
            ROUTES.iter().any(|r| r.path == path),
            "route {path} staat niet in vangnet_web::ROUTES"
        );
        self.registered.push(path);
        self.router = self.router.route(path, m);
        self
    }

    fn done(self) -> Router<AppState> {
        let mut listed: Vec<_> = ROUTES.iter().map(|r| r.path).collect();
        let mut registered = self.registered;
        listed.sort_unstable();
        registered.sort_unstable();
        assert_eq!(
            listed, registered,
            "vangnet_web::ROUTES ≠ de routes van router()"
        );
        self.router
    }
}

/// The application's routes over `state`, with a log span per request (method, matched
/// route, status, latency, user id — never the raw path, query, names or BSNs), panics
/// answered with the Dutch 500 page, and every [`WebError`] rendered in its final form.
pub fn router(state: AppState) -> Router {
    let routes = Routes {
        router: Router::new(),
        registered: Vec::new(),
    }
    .at("/", get(pages::home))
    .at(
        "/inloggen",
        get(login::login_form).post(login::login_submit),
    )
    .at(
        "/inloggen/code",
        get(login::step_form).post(login::code_submit),
    )
    .at(
        "/account/wachtwoord",
        get(login::step_form).post(login::password_submit),
    )
    .at(
        "/account/tweede-factor",
        get(login::step_form).post(login::enrol_submit),
    )
    .at("/uitloggen", get(login::logout_page).post(login::logout))
    .at(
        "/beheer/gebruikers",
        get(beheer::users).post(beheer::create_user),
    )
    .at("/beheer/gebruikers/{id}", post(beheer::user_action))
    .at(
        "/beheer/tokens",
        get(beheer::tokens).post(beheer::create_token),
    )
    .at("/beheer/tokens/{id}/intrekken", post(beheer::revoke_token))
    .at("/regio/{id}", get(pages::region_page))
    .at("/clienten/{id}", get(pages::client))
    .at("/clienten/{id}/inzage", get(inzage::page))
    .at("/clienten/{id}/inzage.csv", get(inzage::csv))
    .at("/toegangslog", get(toegangslog::access_log))
    .at("/toegangslog.csv", get(toegangslog::access_log_csv))
    .at("/toegangslog.xlsx", get(toegangslog::access_log_xlsx))
    .at("/prognose", get(forecast::page))
    .at("/prognose/export.csv", get(forecast::export_csv))
    .at("/prognose/export.xlsx", get(forecast::export_xlsx))
    .at("/api/regio/{id}/overzicht", get(api::region_overview))
    .at("/api/clienten/{id}", get(api::client))
    .at("/api/clienten", post(voordeur_api::aanmelden))
    .at(
        "/api/clienten/{id}/gebeurtenissen",
        post(voordeur_api::gebeurtenis),
    )
    .at(
        "/api/clienten/{id}/beoordeling",
        get(voordeur_api::beoordeling),
    )
    .at(
        "/aanmelden",
        get(voordeur_pages::aanmelden_form).post(voordeur_pages::aanmelden_submit),
    )
    .at(
        "/clienten/{id}/gebeurtenis",
        post(voordeur_pages::gebeurtenis_submit),
    )
    .at("/clienten/{id}/besluitbrief", get(brief::besluitbrief))
    .at(
        "/clienten/{id}/besluitbrief.pdf",
        get(brief::besluitbrief_pdf),
    )
    .at("/regio/{id}/wachtlijst", get(werklijst::wachtlijst))
    // feat/plaatsen (issue 14)
    .at(
        "/regio/{id}/plaatsen",
        get(plaatsen_pages::page).post(plaatsen_pages::submit),
    )
    .at("/regio/{id}/plaatsen.csv", get(plaatsen_pages::csv))
    // feat/afspraken (issue 15)
    .at(
        "/regio/{id}/woningafspraken",
        get(woningafspraken_pages::page).post(woningafspraken_pages::submit),
    )
    .at(
        "/regio/{id}/woningafspraken.csv",
        get(woningafspraken_pages::csv),
    )
    .at("/werklijst", get(werklijst::werklijst))
    .at("/verzoeken", get(verzoeken::page).post(verzoeken::answer))
    .at("/wijkteam", get(wijkteam::page))
    .at(
        "/regio/{id}/vrije-plaatsen",
        get(vrije_plaatsen::page).post(vrije_plaatsen::propose),
    )
    .at(
        "/monitor/{regio}/acties",
        get(acties::page).post(acties::update),
    )
    .at("/zoeken", get(zoeken::zoeken))
    .at(
        "/clienten/{id}/correctie/{versie}",
        get(correctie::page).post(correctie::submit),
    )
    .at("/monitor", get(monitor_pages::start))
    .at("/monitor/{regio}", get(monitor_pages::page))
    .at(
        "/monitor/{regio}/definities",
        get(monitor_pages::definities),
    )
    .at("/monitor/{regio}/rapport", get(monitor_pages::rapport))
    .at(
        "/monitor/{regio}/export.csv",
        get(monitor_pages::export_csv),
    )
    .at(
        "/monitor/{regio}/export.xlsx",
        get(monitor_pages::export_xlsx),
    )
    .at("/api/monitor/{regio}", get(monitor_pages::api))
    .at("/geld", get(geld_pages::start))
    .at("/geld/{regio}", get(geld_pages::overzicht))
    .at("/geld/{regio}/kosten", get(geld_pages::kosten))
    .at("/geld/{regio}/verrekening", get(geld_pages::verrekening))
    .at(
        "/geld/{regio}/tarieven",
        get(geld_pages::tarieven).post(geld_pages::tarief_vastleggen),
    )
    .at("/geld/{regio}/scenario", get(geld_pages::scenario))
    .at("/geld/{regio}/export.csv", get(geld_pages::export_csv))
    .at("/geld/{regio}/export.xlsx", get(geld_pages::export_xlsx))
    .at("/api/geld/{regio}", get(geld_pages::api))
    .at("/aanbieder", get(aanbieder::home))
    .at(
        "/aanbieder/locaties/{locatie}",
        get(aanbieder::location).post(aanbieder::location_submit),
    )
    .at(
        "/aanbieder/clienten/{id}",
        get(aanbieder::client).post(aanbieder::client_submit),
    )
    .at("/corporatie", get(corporatie::home))
    .at(
        "/corporatie/kandidaten/{id}",
        get(corporatie::candidate).post(corporatie::candidate_submit),
    )
    .at("/gezondheid", get(|| async { "ok" }))
    .at("/static/vangnet.css", get(pages::stylesheet))
    .at("/static/vangnet.svg", get(pages::icon))
    .done()
    .fallback(pages::not_found);
    layered(routes, state)
}

/// `routes` with the application's layers, over `state`.
fn layered(routes: Router<AppState>, state: AppState) -> Router {
    routes
        // Layers, innermost first: a panic becomes the 500 answer; the route's rule
        // (`enforce_rule`); `finish` puts the user on the span and renders errors in the full
        // frame; the login middleware; the request span.
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn(enforce_rule))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::finish,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            users::require_login,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(log_response)
                .on_failure(()),
        )
        .with_state(state)
}

/// The log span of a request: method and *matched* route only (a path holds client ids and
/// the query free text); status, latency and user are filled in later.
fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("(geen route)", MatchedPath::as_str);
    tracing::info_span!(
        "verzoek",
        method = %req.method(),
        route,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
        user = tracing::field::Empty,
    )
}

/// One log line per answer: status and latency on the request's span; 5xx as an error.
fn log_response<B>(resp: &axum::http::Response<B>, latency: Duration, span: &tracing::Span) {
    let status = resp.status().as_u16();
    let ms = (latency.as_secs_f64() * 100_000.0).round() / 100.0;
    span.record("status", status);
    span.record("latency_ms", ms);
    if resp.status().is_server_error() {
        tracing::error!(status, latency_ms = ms, "antwoord");
    } else {
        tracing::info!(status, latency_ms = ms, "antwoord");
    }
}

pub use error::status_of;

/// Serve the application on `listener` until `shutdown` completes (graceful: requests in
/// flight are finished).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // feat/capacity (issue 12): planned facts take effect on their date — at start and
    // every minute the store re-folds the clients whose planned fact has come.
    let planner = state.clone();
    let refresh = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            let today = planner.today();
            match planner.blocking(move |s| s.refresh_planned(today)).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(clienten = n, "geplande feiten ingegaan"),
                Err(e) => tracing::error!(fout = %e, "geplande feiten bijwerken mislukt"),
            }
        }
    });
    let served = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    refresh.abort();
    served
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;
    use vangnet_domain::Regions;

    /// Send one raw HTTP/1.1 request over a fresh connection and read the whole answer.
    fn http(addr: std::net::SocketAddr, path: &str, cookie: &str) -> String {
        // `cookie`: a whole `Cookie` header value (a demo session).
        let mut c = std::net::TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            c,
            "GET {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        out
    }

    /// A handler that panics answers the Dutch 500 page (JSON under `/api/`) over a real
    /// socket — not a dropped connection — and the server keeps answering.
    #[test]
    fn a_panicking_handler_answers_500_and_the_server_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let store = vangnet_store_sqlite::SqliteStore::open(
            &dir.path().join("p.sqlite"),
            Regions::builtin(),
        )
        .unwrap();
        let state = AppState::new(Arc::new(store)).with_demo_login(true);
        let user = state.demo_session(&state.users()[0].id.clone());
        let boom = || async {
            let v: Vec<u8> = Vec::new();
            // An index out of bounds, as a slicing bug would.
            format!("{}", v[usize::from(v.is_empty())])
        };
        let app = layered(
            Router::new()
                .route("/paniek", get(boom))
                .route("/api/paniek", get(boom))
                .route("/gezondheid", get(|| async { "ok" })),
            state,
        );
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        rt.spawn(async move { axum::serve(listener, app).await });

        let page = http(addr, "/paniek", &user);
        assert!(page.starts_with("HTTP/1.1 500"), "{page}");
        assert!(page.contains("<html lang=\"nl\""), "{page}");
        assert!(page.contains("Er ging iets mis"), "{page}");
        assert!(
            page.contains("Ingelogd als"),
            "the full frame with the user: {page}"
        );
        let api = http(addr, "/api/paniek", &user);
        assert!(api.starts_with("HTTP/1.1 500"), "{api}");
        assert!(api.contains("\"fout\":"), "{api}");
        assert!(api.contains("\"code\":\"storing\""), "{api}");
        for _ in 0..3 {
            let ok = http(addr, "/gezondheid", &user);
            assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
            assert!(ok.ends_with("ok"), "{ok}");
        }
        rt.shutdown_background();
    }

    #[test]
    fn routes_are_listed_once() {
        let mut paths: Vec<_> = ROUTES.iter().map(|r| r.path).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), ROUTES.len());
        assert!(ROUTES.iter().all(|r| !r.methods.is_empty()));
    }

    /// A partial session passes only its next login step, logout and the public routes; a
    /// complete one every login step (the handler sends it home); the admin's routes only
    /// the beheerder.
    #[test]
    fn partial_sessions_reach_only_their_next_step_and_beheer_is_for_the_beheerder() {
        let get = Method::GET;
        let code = "/inloggen/code";
        let partial = Visitor::Partial { next: code };
        for spec in ROUTES {
            let refused = spec.rule.refusal(&get, partial, spec.path, None);
            let expected =
                spec.path == code || matches!(spec.rule, RouteRule::Public | RouteRule::LoggedIn);
            assert_eq!(refused.is_none(), expected, "{}", spec.path);
        }
        let step = route("/account/wachtwoord").unwrap();
        assert_eq!(
            step.rule
                .refusal(&get, partial, step.path, None)
                .map(|e| e.status),
            Some(StatusCode::FORBIDDEN)
        );
        let users = demo_users(&vangnet_domain::Regions::builtin());
        for u in &users {
            let who = Visitor::User(&u.actor);
            for spec in ROUTES.iter().filter(|r| r.rule == RouteRule::LoginStep) {
                assert!(spec.rule.refusal(&get, who, spec.path, None).is_none());
            }
            for spec in ROUTES.iter().filter(|r| r.rule == RouteRule::Beheer) {
                assert_eq!(
                    spec.rule.refusal(&get, who, spec.path, None).is_none(),
                    u.actor.role == Role::Beheerder,
                    "{} {}",
                    u.id,
                    spec.path
                );
            }
        }
        assert!(
            ROUTES
                .iter()
                .filter(|r| r.path.starts_with("/beheer/"))
                .all(|r| r.rule == RouteRule::Beheer)
        );
    }
}
