//! Who is asking: demo users, accounts, sessions, API tokens — and the request guard that
//! checks CSRF tokens and origins.
//!
//! - **Sessions** are server-side: the cookie `vangnet_sessie` holds a random 256-bit token;
//!   the store keeps only its SHA-256 ([`vangnet_auth::secret::token_hash`]), so a database
//!   leak gives no live session. A session is partial (password passed, a step pending:
//!   new password, second-factor enrolment or code — only those pages open, for
//!   [`PARTIAL_SESSION`](vangnet_auth::policy::PARTIAL_SESSION)) or complete (idle and
//!   absolute timeouts of [`vangnet_auth::policy`]). Each login step makes a new session
//!   (rotation) and ends the old one. Cookies are `HttpOnly; SameSite=Strict; Path=/`, and
//!   `Secure` behind a trusted TLS proxy (`serve --https-achter-proxy`).
//! - **Demo login** ([`AppState::demo_login`], `vangnet demo` on loopback and tests only):
//!   one click per role gives a real session marked `demo`; with demo login off such a
//!   session is nobody. The old cookie `vangnet_gebruiker=<id>` means nothing.
//! - **API tokens**: `Authorization: Bearer <token>`; an unknown, expired or revoked token is
//!   a 401 in JSON; a token acts as its actor, and the web refuses a fact not listed on the
//!   token before the gate is asked ([`DemoUser::may_record_kind`]). No CSRF token is needed
//!   (no cookie is involved).
//! - **CSRF**: every state-changing request (not GET/HEAD/OPTIONS) with a session must carry
//!   the session's token — the form field `csrf` or the header `X-CSRF-Token`; every such
//!   request must come from this site (`Origin`, when present, names this host, and
//!   `Sec-Fetch-Site` is not `cross-site`). The login form has a pre-session token: the
//!   short-lived cookie `vangnet_inlog` and the same value in its field. Refused: 403,
//!   nothing written.
//! - **Address**: the peer address of the connection, or behind a trusted proxy the last hop
//!   of `X-Forwarded-For`; with the session's short id it goes into every access-log row
//!   ([`DemoUser::gate`]).

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use vangnet_auth::secret::{token_hash, token_string};
use vangnet_domain::{Actor, Organisation, Regions, Role};
use vangnet_store::accounts::{Session, SessionStage};
use vangnet_store::{AccessGate, Store, StoreResult};

use crate::{AppState, WebError};

/// Name of the session cookie (a random token; the store holds its hash).
pub const SESSION_COOKIE: &str = "vangnet_sessie";

/// Name of the login form's pre-session CSRF cookie.
pub const LOGIN_COOKIE: &str = "vangnet_inlog";

/// Lifetime of the login form's pre-session token, in seconds.
pub const LOGIN_TOKEN_SECONDS: u32 = 15 * 60;

/// A user one acts as: a demo user, an account, or an API token — with what the request
/// knows about its session and address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// Stable id: the login name (demo users: a slug such as `toegang-centraal-gelderland`).
    pub id: String,
    /// Display name (synthetic).
    pub naam: String,
    /// Who this user acts as.
    pub actor: Actor,
    /// The session's short id (first 12 hex of the token hash) or `token:<id>` for an API
    /// token; `None` outside a request.
    pub session: Option<String>,
    /// The client's network address, when known.
    pub address: Option<String>,
    /// The session's CSRF token (for the forms of the page).
    pub csrf: Option<String>,
    /// For an API token: the facts it may record (fact keys); `None` for a person.
    pub facts: Option<Vec<String>>,
    /// The web's day when its clock is fixed (tests, reproducible demos): the gate decides
    /// on it ([`AccessGate::on`]); `None`: the store's clock.
    pub today: Option<vangnet_domain::Date>,
}

impl DemoUser {
    /// A user without a request (a demo user as listed).
    pub fn new(id: impl Into<String>, naam: impl Into<String>, actor: Actor) -> DemoUser {
        DemoUser {
            id: id.into(),
            naam: naam.into(),
            actor,
            session: None,
            address: None,
            csrf: None,
            facts: None,
            today: None,
        }
    }

    /// The access gate of this user for `purpose`, with the request's session and address.
    pub fn gate(&self, purpose: impl Into<String>) -> AccessGate {
        AccessGate::new(self.actor.clone(), purpose)
            .with_context(self.session.clone(), self.address.clone())
            .on(self.today)
    }

    /// A system job started by this user (see [`AccessGate::job`]), with session and address.
    pub fn job(&self, job: &str) -> AccessGate {
        AccessGate::job(self.actor.clone(), job)
            .with_context(self.session.clone(), self.address.clone())
            .on(self.today)
    }

    /// Whether this user may record facts of kind `kind` (a `fact_key`) as far as the web is
    /// concerned: a person always (the gate decides), an API token only the facts listed on it.
    pub fn may_record_kind(&self, kind: &str) -> bool {
        self.facts
            .as_ref()
            .is_none_or(|facts| facts.iter().any(|f| f == kind))
    }
}
const TOEGANG_NAMEN: &[&str] = &[
    "Sanne Visser",
    "Youssef El Amrani",
    "Marieke de Boer",
    "Dennis Bakker",
    "Noor Hendriks",
    "Lars Mulder",
];

/// Names of the other regions' demo wijkteam and provider users (synthetic).
const NETWERK_NAMEN: [(&str, &str); 3] = [
    ("Sanne Peters", "Hamid El Amrani"),
    ("Lotte Jansen", "Koen van Dijk"),
    ("Noor Visser", "Bas Hendriks"),
];

/// Names of the corporations' demo users (issue 15), one per region in order.
const CORPORATIE_NAMEN: [&str; 4] = [
    "Anouk Willems",
    "Ruben Kok",
    "Ilse van Leeuwen",
    "Sander Mulder",
];

/// Names of the demo users of every corporation (`woningcorporatie-{regio}-{corporatie}`,
/// issue 15), taken in turn over the regions' corporations (synthetic).
const CORPORATIE_LOGIN_NAMEN: [&str; 8] = [
    "Esther Bakker",
    "Youssef Amrani",
    "Marloes de Boer",
    "Tim Vermeulen",
    "Naima Chahid",
    "Joost van der Linden",
    "Femke Hoekstra",
    "Dennis Prins",
];

/// The demo user id of corporation `corporatie` of region `regio` (issue 15): every
/// corporation of a region profile has one, `woningcorporatie-{regio}-{corporatie}`.
pub fn corporatie_user_id(regio: &str, corporatie: &str) -> String {
    format!("woningcorporatie-{regio}-{corporatie}")
}

/// The demo users for these regions, in display order: a toegangsmedewerker for each region,
/// then a wijkteam and a beleidsmedewerker of the first region's centrumgemeente, a
/// zorgaanbieder (the first region's first provider), a woningcorporatie per region (issue 15)
/// and one per corporation of each region (`woningcorporatie-{regio}-{corporatie}`), a regional analyst
/// (first region) and an auditor; for every other region a wijkteam (`wijkteam-{regio}`) and a
/// provider (`zorgaanbieder-{regio}`). Roles that need a region are left out when there is none.
pub fn demo_users(regions: &Regions) -> Vec<DemoUser> {
    let user = |id: String, naam: &str, role: Role, organisation: Organisation| {
        DemoUser::new(
            id.clone(),
            naam,
            Actor {
                user: id,
                role,
                organisation,
            },
        )
    };
    let mut out = Vec::new();
    for (i, r) in regions.all().iter().enumerate() {
        let naam = TOEGANG_NAMEN[i % TOEGANG_NAMEN.len()];
        out.push(user(
            format!("toegang-{}", r.id),
            naam,
            Role::Toegangsmedewerker,
            Organisation::Regio(r.id.clone()),
        ));
    }
    if let Some(first) = regions.all().first() {
        out.push(user(
            "wijkteam".into(),
            "Fatima Bouzid",
            Role::Wijkteam,
            Organisation::Gemeente(first.centrumgemeente),
        ));
        if let Some(p) = first.providers.first() {
            out.push(user(
                "zorgaanbieder".into(),
                "Jeroen Verbeek",
                Role::Zorgaanbieder,
                Organisation::Aanbieder(p.agb),
            ));
        }
    }
    // Issue 14: a wijkteam (of the centrumgemeente) and a provider (the first) for every
    // other region too, so each region's network can be worked in the browser.
    for (i, r) in regions.all().iter().enumerate().skip(1) {
        let (wijk, aanbieder) = NETWERK_NAMEN[(i - 1) % NETWERK_NAMEN.len()];
        out.push(user(
            format!("wijkteam-{}", r.id),
            wijk,
            Role::Wijkteam,
            Organisation::Gemeente(r.centrumgemeente),
        ));
        if let Some(p) = r.providers.first() {
            out.push(user(
                format!("zorgaanbieder-{}", r.id),
                aanbieder,
                Role::Zorgaanbieder,
                Organisation::Aanbieder(p.agb),
            ));
        }
    }
    // Issue 15: a woningcorporatie for every region with corporations — the first region's
    // first corporation is `woningcorporatie`, the others `woningcorporatie-{regio}`.
    for (i, r) in regions.all().iter().enumerate() {
        if let Some(c) = r.corporaties.first() {
            out.push(user(
                if i == 0 {
                    "woningcorporatie".into()
                } else {
                    format!("woningcorporatie-{}", r.id)
                },
                CORPORATIE_NAMEN[i % CORPORATIE_NAMEN.len()],
                Role::Woningcorporatie,
                Organisation::Corporatie(c.id.clone()),
            ));
        }
    }
    // Issue 15 (closing note): a login for every corporation of every region,
    // `woningcorporatie-{regio}-{corporatie}` (the first one's also under the names above).
    for (n, (r, c)) in regions
        .all()
        .iter()
        .flat_map(|r| r.corporaties.iter().map(move |c| (r, c)))
        .enumerate()
    {
        out.push(user(
            corporatie_user_id(r.id.as_str(), &c.id),
            CORPORATIE_LOGIN_NAMEN[n % CORPORATIE_LOGIN_NAMEN.len()],
            Role::Woningcorporatie,
            Organisation::Corporatie(c.id.clone()),
        ));
    }
    if let Some(first) = regions.all().first() {
        out.push(user(
            "beleidsmedewerker".into(),
            "Mark de Graaf",
            Role::Beleidsmedewerker,
            Organisation::Gemeente(first.centrumgemeente),
        ));
        out.push(user(
            "analist".into(),
            "Iris Dijkstra",
            Role::Analist,
            Organisation::Regio(first.id.clone()),
        ));
    }
    out.push(user(
        "auditor".into(),
        "Petra Koster",
        Role::Auditor,
        Organisation::Vangnet,
    ));
    out.push(user(
        "beheerder".into(),
        "Ruben Smit",
        Role::Beheerder,
        Organisation::Vangnet,
    ));
    out
}

/// The value of cookie `name` in the request's `Cookie` headers, parsed by hand.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim().trim_matches('"'))
}

/// `N` random bytes from the operating system (the store's one edge for randomness).
pub(crate) use vangnet_store::secret::random_bytes;

/// A fresh random token (256 bits).
pub(crate) fn random_token() -> String {
    token_string(&random_bytes::<32>())
}

/// Whether two secrets are equal, in time independent of where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Create a session for `user` (complete or partial) and return its token (the cookie value).
pub(crate) fn new_session(
    store: &dyn Store,
    user: &str,
    demo: bool,
    complete: bool,
    address: Option<String>,
) -> StoreResult<String> {
    let token = random_token();
    let now = vangnet_store::time::now();
    let session = Session {
        user: user.to_owned(),
        stage: if complete {
            SessionStage::Complete
        } else {
            SessionStage::Password
        },
        csrf: random_token(),
        demo,
        created_at: now,
        last_seen: now,
        address,
    };
    store
        .accounts()
        .create_session(&token_hash(&token), &session)?;
    Ok(token)
}

/// The `Set-Cookie` value for session `token`.
pub(crate) fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub(crate) fn logout_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value of the login form's pre-session token.
pub(crate) fn login_token_cookie(token: &str, secure: bool) -> String {
    format!(
        "{LOGIN_COOKIE}={token}; Path=/inloggen; HttpOnly; SameSite=Strict; Max-Age={LOGIN_TOKEN_SECONDS}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Who is looking: the logged-in user, if any. Put in the request by [`require_login`].
#[derive(Debug, Clone, Default)]
pub struct Viewer(pub Option<DemoUser>);

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .unwrap_or_default())
    }
}

/// A logged-in user; extracting it without one redirects to the login page.
#[derive(Debug, Clone)]
pub struct LoggedIn(pub DemoUser);

impl<S: Send + Sync> FromRequestParts<S> for LoggedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Viewer>() {
            Some(Viewer(Some(u))) => Ok(LoggedIn(u.clone())),
            _ => Err(Redirect::to("/inloggen").into_response()),
        }
    }
}

/// The request's live session (partial or complete) and address, for the login steps and
/// logout. Put in the request by [`require_login`].
#[derive(Debug, Clone, Default)]
pub struct Current {
    /// The session's token hash and the session, if the cookie named a live one.
    pub session: Option<(String, Session)>,
    /// The client's address.
    pub address: Option<String>,
    /// Whether cookies get `Secure`.
    pub secure: bool,
    /// For a partial session: the path of the login step it has to take next.
    pub next_step: Option<&'static str>,
}

impl<S: Send + Sync> FromRequestParts<S> for Current {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Current>()
            .cloned()
            .unwrap_or_default())
    }
}

fn is_public(path: &str) -> bool {
    matches!(path, "/" | "/inloggen" | "/gezondheid") || path.starts_with("/static/")
}

/// Whether `target` is a safe place to return to after login: a local path only. Besides
/// `//host` and `\\host`, no control characters or white space: browsers drop tabs and line
/// breaks from a URL (`/\t/host` would become `//host`), and a line break would not even be
/// a valid `Location` header.
pub(crate) fn safe_return(target: &str) -> bool {
    target.starts_with('/')
        && !target.starts_with("//")
        && !target.contains('\\')
        && !target.contains(|c: char| c.is_control() || c.is_whitespace())
        && !target.starts_with("/inloggen")
        && !target.starts_with("/uitloggen")
        && !target.starts_with("/account/")
}

/// Percent-encode a path (with query) for use as a query parameter value
/// (`application/x-www-form-urlencoded`, as the query is decoded).
pub(crate) fn encode_component(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The client's address: the connection's peer, or behind a trusted proxy the last hop of
/// `X-Forwarded-For` (the one the proxy itself added; earlier hops are the client's claim).
fn client_address(st: &AppState, req: &Request) -> Option<String> {
    if st.tls_proxy() {
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|h| !h.is_empty())
            .and_then(|h| h.parse::<std::net::IpAddr>().ok());
        if let Some(ip) = forwarded {
            return Some(ip.to_string());
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string())
}

/// Whether a state-changing request comes from this site: `Sec-Fetch-Site` is not
/// `cross-site`, and an `Origin`, when present, is `http(s)://` + this `Host`.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if site.eq_ignore_ascii_case("cross-site") {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let bare = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    !host.is_empty() && bare.is_some_and(|o| o.eq_ignore_ascii_case(host))
}

/// The bearer token of an `Authorization` header, if any.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The short id of a session (first 12 hex digits of its token hash) for the log.
pub(crate) fn short_id(hash: &str) -> String {
    hash.chars().take(12).collect()
}

/// How often (at most) a session's `last_seen` is written.
const TOUCH_EVERY: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

/// What the session cookie stands for.
enum Resolved {
    /// No cookie, or not a live session.
    Nobody,
    /// A live session: its hash, the session, its user when complete, and when partial the
    /// login step it has to take next.
    Live(Box<(String, Session, Option<DemoUser>, Option<&'static str>)>),
}

/// Look the session token up: a live session (ended when it has expired), its user for a
/// complete session — a demo user only with demo login on, an account only when it exists
/// and is not disabled.
fn resolve_session(
    st: &AppState,
    store: &dyn Store,
    token: &str,
    address: Option<String>,
) -> StoreResult<Resolved> {
    let hash = token_hash(token);
    let accounts = store.accounts();
    let Some(session) = accounts.session(&hash)? else {
        return Ok(Resolved::Nobody);
    };
    let now = vangnet_store::time::now();
    if !session.live_at(now) {
        accounts.end_session(&hash)?;
        return Ok(Resolved::Nobody);
    }
    if session.demo && !st.demo_login() {
        return Ok(Resolved::Nobody);
    }
    let partial = session.stage == SessionStage::Password;
    let (user, next_step) = if session.demo {
        (st.user(&session.user).cloned(), None)
    } else {
        match accounts.user(&session.user)? {
            Some(a) if !a.disabled => {
                let next = partial.then(|| crate::login::next_step(&a)).flatten();
                if partial && next.is_none() {
                    // Nothing left to do in a partial session (the account changed): over.
                    accounts.end_session(&hash)?;
                    return Ok(Resolved::Nobody);
                }
                (Some(DemoUser::new(a.id, a.naam, a.actor)), next)
            }
            _ => {
                accounts.end_session(&hash)?;
                return Ok(Resolved::Nobody);
            }
        }
    };
    let Some(user) = user else {
        return Ok(Resolved::Nobody);
    };
    if now.duration_since(session.last_seen) > TOUCH_EVERY {
        accounts.touch_session(&hash, now)?;
    }
    let user = (session.stage == SessionStage::Complete).then(|| DemoUser {
        session: Some(short_id(&hash)),
        address,
        csrf: Some(session.csrf.clone()),
        ..user
    });
    Ok(Resolved::Live(Box::new((hash, session, user, next_step))))
}

/// Look an API token up: its actor when known, not revoked and not expired.
fn resolve_token(
    store: &dyn Store,
    token: &str,
    address: Option<String>,
) -> StoreResult<Option<DemoUser>> {
    let Some(t) = store.accounts().token_by_hash(&token_hash(token))? else {
        return Ok(None);
    };
    let now = vangnet_store::time::now();
    if t.revoked_at.is_some() || t.expires_at <= now {
        return Ok(None);
    }
    Ok(Some(DemoUser {
        session: Some(format!("token:{}", t.id)),
        address,
        facts: Some(t.facts),
        ..DemoUser::new(t.actor.user.clone(), t.naam, t.actor)
    }))
}

/// The form field `csrf` of a urlencoded body (buffered, then put back), or the header
/// `X-CSRF-Token`.
async fn presented_csrf(req: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        let h = h.to_owned();
        return Ok((req, Some(h)));
    }
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| {
            WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "Het formulier is te groot.")
                .code("te_groot")
                .into_response()
        })?;
    let token = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

/// The largest form body the CSRF check reads (axum's default body limit).
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// What the page being rendered needs to know about the request: the CSRF token for its
/// forms and whether demo login is on (the banner). Set around every handler by
/// [`require_login`]; read with [`page_context`].
#[derive(Debug, Clone, Default)]
pub(crate) struct PageContext {
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// Demo login on.
    pub demo_login: bool,
}

tokio::task_local! {
    static PAGE: PageContext;
}

/// The [`PageContext`] of the request being handled (default outside one).
pub(crate) fn page_context() -> PageContext {
    PAGE.try_with(Clone::clone).unwrap_or_default()
}

/// The hidden `csrf` field of a form, with the token of the request's session (empty
/// outside a session: such a post is refused).
pub(crate) fn csrf_field() -> maud::Markup {
    let token = page_context().csrf.unwrap_or_default();
    maud::html! { input type="hidden" name="csrf" value=(token); }
}

/// The 403 of a failed CSRF or origin check: JSON under `/api/`, else the error page.
fn csrf_refusal(st: &AppState, api: bool, message: &'static str) -> Response {
    let e = WebError::forbidden(message).code("csrf");
    if api {
        e.json().into_response()
    } else {
        e.render(st, None)
    }
}

/// Middleware: resolve the session cookie (or bearer token) to a [`Viewer`], check origin
/// and CSRF token of every state-changing request, keep partial sessions on the login
/// steps, send anonymous visitors of non-public pages to the login page (the API answers
/// 401 in JSON), and add security headers to every response.
pub(crate) async fn require_login(
    State(st): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    let mut resp = guarded(&st, req, next).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // `same-origin`, not `no-referrer`: under `no-referrer` Chromium sends `Origin: null`
    // with a form post, which the origin check must refuse. Paths (client numbers) still
    // never go to another site.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !path.starts_with("/static/") {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

async fn guarded(st: &AppState, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let api = path.starts_with("/api/");
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let address = client_address(st, &req);
    let secure = st.tls_proxy();
    if writes && !same_origin(req.headers()) {
        return csrf_refusal(
            st,
            api,
            "Dit verzoek komt van een andere website en is geweigerd. Er is niets opgeslagen.",
        );
    }
    // Who: a bearer token, else the session cookie.
    let mut current = Current {
        session: None,
        address: address.clone(),
        secure,
        next_step: None,
    };
    let viewer = if let Some(token) = bearer(req.headers()).map(str::to_owned) {
        let a = address.clone();
        match st.blocking(move |s| resolve_token(s, &token, a)).await {
            Ok(Some(u)) => Some(u),
            Ok(None) => {
                return WebError::new(
                    StatusCode::UNAUTHORIZED,
                    "het API-token is onbekend, verlopen of ingetrokken",
                )
                .code("token_ongeldig")
                .json()
                .into_response();
            }
            Err(e) => return WebError::from(e).json().into_response(),
        }
    } else if let Some(token) = cookie_value(req.headers(), SESSION_COOKIE).map(str::to_owned) {
        let (s, a) = (st.clone(), address.clone());
        match st
            .blocking(move |store| resolve_session(&s, store, &token, a))
            .await
        {
            Ok(Resolved::Nobody) => None,
            Ok(Resolved::Live(live)) => {
                let (hash, session, user, next_step) = *live;
                current.session = Some((hash, session));
                current.next_step = next_step;
                user
            }
            Err(e) => {
                let e = WebError::from(e);
                return if api {
                    e.json().into_response()
                } else {
                    e.render(st, None)
                };
            }
        }
    } else {
        None
    };
    // CSRF: the session's token on every state-changing request with a session (the login
    // form has its own pre-session token).
    let bearer_request = viewer.as_ref().is_some_and(|u| u.facts.is_some());
    if writes && !bearer_request {
        let expected = if path == "/inloggen" {
            Some(
                cookie_value(req.headers(), LOGIN_COOKIE)
                    .unwrap_or_default()
                    .to_owned(),
            )
        } else {
            current.session.as_ref().map(|(_, s)| s.csrf.clone())
        };
        if let Some(expected) = expected {
            let (r, presented) = match presented_csrf(req).await {
                Ok(x) => x,
                Err(resp) => return resp,
            };
            req = r;
            let ok = !expected.is_empty() && presented.is_some_and(|p| same_secret(&p, &expected));
            if !ok {
                return csrf_refusal(
                    st,
                    api,
                    "Het formulier is verlopen of niet van deze website (beveiligingscode ontbreekt of klopt niet). Er is niets opgeslagen; laad de pagina opnieuw en probeer het nog eens.",
                );
            }
        }
    }
    if viewer.is_none() && !is_public(&path) {
        if let Some(next) = current.next_step {
            // A partial session: its next login step and logout, nothing else.
            if path != next && path != "/uitloggen" {
                return if api {
                    WebError::new(
                        StatusCode::UNAUTHORIZED,
                        "niet ingelogd: rond eerst het inloggen af via /inloggen",
                    )
                    .code("niet_ingelogd")
                    .json()
                    .into_response()
                } else {
                    Redirect::to(next).into_response()
                };
            }
        } else if api {
            return WebError::new(
                StatusCode::UNAUTHORIZED,
                "niet ingelogd: log eerst in via /inloggen (of gebruik een API-token)",
            )
            .code("niet_ingelogd")
            .json()
            .into_response();
        } else {
            let target = req
                .uri()
                .path_and_query()
                .map_or(path.clone(), |pq| pq.as_str().to_owned());
            return Redirect::to(&format!("/inloggen?terug={}", encode_component(&target)))
                .into_response();
        }
    }
    let page = PageContext {
        csrf: current.session.as_ref().map(|(_, s)| s.csrf.clone()),
        demo_login: st.demo_login(),
    };
    let viewer = viewer.map(|u| DemoUser {
        today: st.fixed_today(),
        ..u
    });
    req.extensions_mut().insert(Viewer(viewer));
    req.extensions_mut().insert(current);
    PAGE.scope(page, next.run(req)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_access_clerk_per_region_and_one_user_per_other_role() {
        let regions = Regions::builtin();
        let users = demo_users(&regions);
        let clerks = users
            .iter()
            .filter(|u| u.actor.role == Role::Toegangsmedewerker)
            .count();
        assert_eq!(clerks, regions.all().len());
        // Issue 14: a wijkteam and a provider for every region.
        for role in [Role::Wijkteam, Role::Zorgaanbieder] {
            assert_eq!(
                users.iter().filter(|u| u.actor.role == role).count(),
                regions.all().len(),
                "{role:?}"
            );
        }
        for role in [
            Role::Beleidsmedewerker,
            Role::Analist,
            Role::Auditor,
            Role::Beheerder,
        ] {
            assert_eq!(
                users.iter().filter(|u| u.actor.role == role).count(),
                1,
                "{role:?}"
            );
        }
        // Issue 15: a corporation user per region (the first corporation) and one per
        // corporation — the four profiles name two corporations each: 4 + 8.
        let corporaties: Vec<(&str, String)> = users
            .iter()
            .filter(|u| u.actor.role == Role::Woningcorporatie)
            .map(|u| (u.id.as_str(), u.actor.organisation.to_string()))
            .collect();
        assert_eq!(corporaties.len(), 12, "{corporaties:?}");
        for r in regions.all() {
            for c in &r.corporaties {
                let id = corporatie_user_id(r.id.as_str(), &c.id);
                let u = users
                    .iter()
                    .find(|u| u.id == id)
                    .unwrap_or_else(|| panic!("{id}"));
                assert_eq!(
                    u.actor.organisation,
                    Organisation::Corporatie(c.id.clone()),
                    "{id}"
                );
            }
        }
        assert!(
            users
                .iter()
                .any(|u| u.id == "woningcorporatie-drechtsteden-lingehuis")
        );
        let mut ids: Vec<_> = users.iter().map(|u| u.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), users.len(), "ids are unique");
        assert!(users.iter().all(|u| {
            u.id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }));
    }

    #[test]
    fn cookies_are_parsed_by_hand() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; vangnet_gebruiker=auditor ; b=2"),
        );
        assert_eq!(cookie_value(&h, "vangnet_gebruiker"), Some("auditor"));
        assert_eq!(cookie_value(&h, "c"), None);
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("x=y"));
        h.append(
            header::COOKIE,
            HeaderValue::from_static("vangnet_gebruiker=analist"),
        );
        assert_eq!(cookie_value(&h, "vangnet_gebruiker"), Some("analist"));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_posts_from_this_site_pass_the_origin_check() {
        assert!(
            same_origin(&headers(&[("host", "v.example")])),
            "no Origin: a non-browser client"
        );
        assert!(same_origin(&headers(&[
            ("host", "v.example"),
            ("origin", "https://v.example")
        ])));
        assert!(same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080")
        ])));
        for bad in [
            headers(&[("host", "v.example"), ("origin", "https://evil.example")]),
            headers(&[("host", "v.example"), ("origin", "null")]),
            headers(&[
                ("host", "v.example"),
                ("origin", "https://v.example.evil.example"),
            ]),
            headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:9090"),
            ]),
            headers(&[("origin", "https://v.example")]),
            headers(&[("host", "v.example"), ("sec-fetch-site", "cross-site")]),
        ] {
            assert!(!same_origin(&bad), "{bad:?}");
        }
    }

    #[test]
    fn bearer_tokens_are_read_from_the_authorization_header() {
        assert_eq!(
            bearer(&headers(&[("authorization", "Bearer abc")])),
            Some("abc")
        );
        assert_eq!(
            bearer(&headers(&[("authorization", "bearer  abc ")])),
            Some("abc")
        );
        assert_eq!(bearer(&headers(&[("authorization", "Basic abc")])), None);
        assert_eq!(bearer(&headers(&[("authorization", "Bearer ")])), None);
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
        assert_eq!(short_id("0123456789abcdef"), "0123456789ab");
    }

    #[test]
    fn only_local_paths_are_returned_to() {
        assert!(safe_return("/regio/drechtsteden"));
        assert!(!safe_return("//evil.example"));
        assert!(!safe_return("https://evil.example"));
        assert!(!safe_return("/\\evil"));
        assert!(!safe_return("/account/wachtwoord"));
        for sneaky in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nX: y",
            "/a b",
            "/\u{0}",
        ] {
            assert!(!safe_return(sneaky), "{sneaky:?}");
        }
        assert!(safe_return(
            "/monitor/drechtsteden?van=2024-01&gemeente=GM0505"
        ));
        assert!(safe_return("/clienten/P00000001?naam=Jos%C3%A9"));
        assert_eq!(encode_component("/a?b=c&d"), "%2Fa%3Fb%3Dc%26d");
    }

    #[test]
    fn encoded_components_decode_to_themselves() {
        for s in [
            "/monitor/drechtsteden?van=2024-01&tot=2024-12&gemeente=GM0505",
            "/a?b=c&d=e+f g%20h",
            "/prognose?x=202\u{20ac}&y=één;twee#frag",
            "",
        ] {
            let query = format!("terug={}", encode_component(s));
            let decoded: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
            assert_eq!(decoded, [("terug".to_owned(), s.to_owned())], "{s}");
        }
    }
}
