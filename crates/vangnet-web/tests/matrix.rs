//! The route × role matrix (issue 11): every route of [`ROUTES`] × every role (and no login)
//! × a client or region of the user's own organisation and of another × each of its methods.
//! The answer each request must get is computed from the route's [`RouteRule`] and the
//! domain's predicates (`access::decide`, `access::may_record`, `may_view_monitor`,
//! `may_forecast`, `may_read_access_log`, `vangnet_web::may_register`) — never copied by
//! hand — and for every route that touches client data the access-log rows the request wrote
//! are checked (action, allowed or refused). A route without a rule does not compile
//! (`RouteSpec::rule`); a fact kind without a `FACT_RIGHTS` row fails here; a method the
//! router answers that `ROUTES` does not list (or the reverse) fails here. A client that does
//! not exist gets the same answer, status and body, as another organisation's client.
//!
//! One store, seeded once; on SQLite, and on PostgreSQL when `VANGNET_TEST_DATABASE_URL` is
//! set.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;
use vangnet_domain::access::{self, Action, FactContext};
use vangnet_domain::events::{Bestemming, Leveringsvorm, Melder, Urgentie, Woonsituatie, samples};
use vangnet_domain::frontdoor;
use vangnet_domain::person::synthetic_person;
use vangnet_domain::rng::Rng;
use vangnet_domain::{
    Actor, AgbCode, Bsn, ClientEvent, ClientId, ClientState, Date, GemeenteCode, LocationId,
    ProductCode, RecordedEvent, RegionId, RegionProfile, Regions, Role,
};
use vangnet_store::gate::scope_of;
use vangnet_store::{AccessEntry, AccessGate, AccessLogFilter, AppendCommand, Store};
use vangnet_web::{AppState, DemoUser, ROUTES, RouteRule, RouteSpec, router};

/// A version no client has: an allowed write stops at the version check (409) after the
/// gate decided, so the matrix changes no record.
const STALE_VERSION: u32 = 999;

/// A client number nobody has.
const MISSING: &str = "P09999999";

// ---------------------------------------------------------------------------------------
// Login: the one place every request gets its authentication.

/// Authenticate `req` as `user` (`None`: not logged in): a complete demo session
/// (`AppState::demo_session`, one per user, made anew after a request that ends it) and its
/// CSRF token in the `X-CSRF-Token` header — also as the login form's pre-session token
/// (`vangnet_inlog`), so a `POST /inloggen` passes its check.
fn login(req: &mut Request<Body>, w: &World, user: Option<&DemoUser>) {
    let Some(u) = user else { return };
    let (session, csrf) = {
        let mut sessions = w.sessions.lock().unwrap();
        sessions
            .entry(u.id.clone())
            .or_insert_with(|| {
                // On a thread of its own: the PostgreSQL client may not be called inside the
                // test's runtime.
                std::thread::scope(|s| {
                    s.spawn(|| {
                        let session = w.state.demo_session(&u.id);
                        let csrf = w
                            .state
                            .csrf_of(&session)
                            .expect("the CSRF token of a fresh session");
                        (session, csrf)
                    })
                    .join()
                    .unwrap()
                })
            })
            .clone()
    };
    // Logging in or out ends the session the request came with.
    if req.method() == Method::POST && matches!(req.uri().path(), "/inloggen" | "/uitloggen") {
        w.sessions.lock().unwrap().remove(&u.id);
    }
    req.headers_mut().insert(
        header::COOKIE,
        HeaderValue::from_str(&format!("{session}; vangnet_inlog={csrf}")).unwrap(),
    );
    req.headers_mut()
        .insert("x-csrf-token", HeaderValue::from_str(&csrf).unwrap());
}

// ---------------------------------------------------------------------------------------
// The world

/// One side of the matrix: the user's own organisation, or another one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Own,
    Other,
}

/// A seeded client: in care with a provider of its region.
struct Seeded {
    id: ClientId,
    region: RegionId,
    product: ProductCode,
    location: LocationId,
    gemeente: GemeenteCode,
    provider: AgbCode,
}

struct World {
    store: Arc<dyn Store>,
    state: AppState,
    app: Router,
    regions: Regions,
    /// The first region: the demo wijkteam, provider, policy officer and analyst belong to it.
    a: RegionProfile,
    /// Another region.
    b: RegionProfile,
    own: Seeded,
    other: Seeded,
    bsn: AtomicU32,
    /// The demo session (cookie, CSRF token) of each user.
    sessions: std::sync::Mutex<std::collections::HashMap<String, (String, String)>>,
}

fn today() -> Date {
    vangnet_store::time::today()
}

/// A client of `profile` from its centrumgemeente, allocated to `provider` and in care at
/// one of its locations.
fn seed(store: &dyn Store, profile: &RegionProfile, provider: AgbCode, n: u64) -> Seeded {
    let start = Date::parse("2024-02-01").unwrap();
    let (product, location) = profile
        .locations
        .iter()
        .filter(|l| l.provider == provider)
        .flat_map(|l| l.places.keys().map(move |p| (p, l)))
        .filter_map(|(p, l)| profile.product(p).map(|p| (p, l)))
        .find(|(p, _)| p.valid_on(start) && !p.code.as_str().starts_with("mo"))
        .map(|(p, l)| (p.code.clone(), l.id.clone()))
        .expect("a care product at a location of the provider");
    let gemeente = profile.centrumgemeente;
    let p = profile.product(&product).unwrap();
    let events = vec![
        (
            Date::parse("2024-01-10").unwrap(),
            ClientEvent::Aanmelding {
                regio: profile.id.clone(),
                melder: Melder::Wijkteam,
                herkomst_gemeente: Some(gemeente),
                woonsituatie: Woonsituatie::Thuis,
                urgentie: Urgentie::Regulier,
                voordeur: None,
            },
        ),
        (
            start,
            ClientEvent::Toewijzing {
                product: product.clone(),
                start,
                einde: p.default_end(start),
                leveringsvorm: Leveringsvorm::Zin,
                aanbieder: Some(provider),
            },
        ),
        (
            Date::parse("2024-02-05").unwrap(),
            ClientEvent::StartZorg {
                product: product.clone(),
                locatie: location.clone(),
                overbezetting: None,
            },
        ),
    ];
    let id = ClientId(n);
    store
        .append(
            &AccessGate::system("matrix: testwereld"),
            AppendCommand {
                client: id,
                expected_version: None,
                idempotency_key: None,
                events,
                person: Some(synthetic_person(
                    &mut Rng::new(n),
                    n as u32,
                    Date::parse("1990-04-01").unwrap(),
                )),
            },
        )
        .expect("seed");
    Seeded {
        id,
        region: profile.id.clone(),
        product,
        location,
        gemeente,
        provider,
    }
}

fn world_over(store: Arc<dyn Store>) -> World {
    let regions = Regions::builtin();
    let all = regions.all();
    let a = all[0].clone();
    let b = all
        .iter()
        .find(|p| p.id != a.id && p.providers.iter().all(|x| a.provider(x.agb).is_none()))
        .expect("a second region with providers of its own")
        .clone();
    let state = AppState::new(Arc::clone(&store)).with_demo_login(true);
    let own = seed(store.as_ref(), &a, a.providers[0].agb, 1);
    let other_provider = b
        .locations
        .first()
        .expect("a location in the other region")
        .provider;
    let other = seed(store.as_ref(), &b, other_provider, 2);
    World {
        app: router(state.clone()),
        state,
        store,
        regions,
        a,
        b,
        own,
        other,
        bsn: AtomicU32::new(0),
        sessions: Default::default(),
    }
}

impl World {
    fn client(&self, side: Side) -> &Seeded {
        match side {
            Side::Own => &self.own,
            Side::Other => &self.other,
        }
    }

    fn region(&self, side: Side) -> &RegionProfile {
        match side {
            Side::Own => &self.a,
            Side::Other => &self.b,
        }
    }

    /// One user per role (the access team of the first region), Systeem left out.
    fn users(&self) -> Vec<DemoUser> {
        Role::ALL
            .into_iter()
            .filter(|r| *r != Role::Systeem)
            .map(|role| {
                self.state
                    .users()
                    .iter()
                    .find(|u| {
                        u.actor.role == role
                            && (role != Role::Toegangsmedewerker
                                || u.id == format!("toegang-{}", self.a.id))
                    })
                    .unwrap_or_else(|| panic!("a demo user with role {role:?}"))
                    .clone()
            })
            .collect()
    }

    /// A fresh valid BSN.
    fn next_bsn(&self) -> String {
        let n = self.bsn.fetch_add(1, Ordering::Relaxed);
        (0..)
            .find_map(|i| Bsn::with_check_digit(93_000_000 + n * 11 + i))
            .unwrap()
            .digits()
    }

    fn state_of(&self, id: ClientId) -> (ClientState, Vec<RecordedEvent>) {
        let rec = blocking(|| {
            self.store
                .read_client(&AccessGate::system("matrix: verwachting"), id)
                .unwrap()
        });
        (rec.state, rec.events)
    }

    /// Every access-log row of `user`, oldest first.
    fn rows_of(&self, user: &str) -> Vec<AccessEntry> {
        let mut rows = blocking(|| {
            self.store
                .access_log_filtered(
                    &AccessGate::system("matrix: toegangslog"),
                    &AccessLogFilter {
                        user: Some(user.to_owned()),
                        ..AccessLogFilter::newest(1_000_000)
                    },
                )
                .unwrap()
        });
        rows.reverse();
        rows
    }
}

/// Run a (blocking) store call from the test's async code.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

// ---------------------------------------------------------------------------------------
// Facts: one of every kind

/// One fact of every kind in [`access::FACT_RIGHTS`], for `c` (its product and location;
/// corrections and voids name version 3, its start of care). The samples' exhaustive match
/// makes a new kind fail to compile until it has a sample; the test then fails until it has
/// a rights row.
fn every_fact(c: &Seeded) -> Vec<ClientEvent> {
    samples::one_of_each_kind(&samples::SampleRefs {
        regio: c.region.clone(),
        product: c.product.clone(),
        locatie: c.location.clone(),
        gemeente: c.gemeente,
        datum: Date::parse("2026-01-01").unwrap(),
        versie: 3,
        aanbieder: c.provider,
    })
}

// ---------------------------------------------------------------------------------------
// Predictions

/// What a request must get.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expect {
    /// The status.
    status: StatusCode,
    /// The access-log rows it writes for the user, oldest first (action, allowed);
    /// `None`: not checked (aggregate pages that read region-level data).
    rows: Option<Vec<(String, bool)>>,
}

fn expect(status: StatusCode, rows: &[(&str, bool)]) -> Expect {
    Expect {
        status,
        rows: Some(rows.iter().map(|(a, b)| ((*a).to_owned(), *b)).collect()),
    }
}

/// The status of an allowed request to a route that is not about one client. (A login
/// step sends a complete session home; the admin's forms are posted empty here, and the
/// token to revoke does not exist.)
fn success(spec: &RouteSpec, method: &Method) -> StatusCode {
    match (spec.path, method.as_str()) {
        ("/monitor", _)
        | ("/inloggen" | "/uitloggen" | "/aanmelden", "POST")
        | ("/inloggen/code" | "/account/wachtwoord" | "/account/tweede-factor", _) => {
            StatusCode::SEE_OTHER
        }
        ("/api/clienten", "POST") => StatusCode::CREATED,
        ("/beheer/gebruikers" | "/beheer/gebruikers/{id}", "POST") => StatusCode::BAD_REQUEST,
        ("/beheer/tokens", "POST") => StatusCode::UNPROCESSABLE_ENTITY,
        ("/beheer/tokens/{id}/intrekken", "POST") => StatusCode::NOT_FOUND,
        ("/geld", _) => StatusCode::SEE_OTHER,
        // feat/webgeld: an empty tariff form.
        ("/geld/{regio}/tarieven", "POST") => StatusCode::BAD_REQUEST,
        // feat/portaal: an empty form on the provider's own location.
        ("/aanbieder/locaties/{locatie}", "POST") => StatusCode::UNPROCESSABLE_ENTITY,
        // feat/toegang: an empty proposal or answer form.
        ("/regio/{id}/vrije-plaatsen" | "/verzoeken", "POST") => StatusCode::UNPROCESSABLE_ENTITY,
        // feat/plaatsen: an empty capacity form (errors at its fields, nothing written).
        ("/regio/{id}/plaatsen", "POST") => StatusCode::UNPROCESSABLE_ENTITY,
        // feat/afspraken: an empty agreement form (errors at its fields, nothing written).
        ("/regio/{id}/woningafspraken", "POST") => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    }
}

/// The rows of a store decision: the client-level decision, and for a write the rights
/// per fact; `None` when allowed.
fn write_refusal(
    w: &World,
    actor: &Actor,
    state: &ClientState,
    stream: &[RecordedEvent],
    facts: &[ClientEvent],
) -> Option<&'static str> {
    if !access::decide(actor, Action::Write, &scope_of(state)).allowed() {
        return Some(Action::Write.key());
    }
    let mut toewijzing_aanbieder = state.toewijzing().and_then(|t| t.4);
    for fact in facts {
        let target = match fact {
            ClientEvent::Correctie { corrigeert, .. } => Some(*corrigeert),
            ClientEvent::Intrekking { trekt_in, .. } => Some(*trekt_in),
            _ => None,
        };
        let original = target.and_then(|v| stream.iter().find(|r| r.version == v));
        let ctx = FactContext {
            regio: &state.regio,
            toewijzing_aanbieder,
            zorg_aanbieder: state.zorg.as_ref().map(|z| z.aanbieder),
            original: original.map(|r| &r.event),
            effective: today(),
            regions: &w.regions,
            client: Some(state),
        };
        if !access::may_record(actor, fact, &ctx).allowed() {
            return Some("feit_vastleggen");
        }
        if let ClientEvent::Toewijzing { aanbieder, .. } = fact {
            toewijzing_aanbieder = *aanbieder;
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Requests

struct Reply {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

async fn send(
    w: &World,
    user: Option<&DemoUser>,
    method: &Method,
    uri: &str,
    body: Body,
    ct: Option<&str>,
) -> Reply {
    let mut req = Request::builder()
        .method(method.clone())
        .uri(uri)
        .body(body)
        .unwrap();
    if let Some(ct) = ct {
        req.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
    }
    login(&mut req, w, user);
    let resp = w.app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_owned());
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        location,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// The path of `spec` with its parameters filled: a region for region routes, a location for
/// `{locatie}` (feat/portaal), else a client.
fn fill(spec: &RouteSpec, region: &RegionId, client: &str, location: &LocationId) -> String {
    let region_route = spec.path.starts_with("/regio/")
        || spec.path.starts_with("/api/regio/")
        || spec.path.contains("{regio}");
    spec.path
        .split('/')
        .map(|seg| match seg.starts_with('{') {
            // feat/zoeken: the version of a fact to correct (every client has version 1).
            true if seg == "{versie}" && client != MISSING => "1".to_owned(),
            true if seg == "{locatie}" => location.to_string(),
            true if region_route => region.to_string(),
            true => client.to_owned(),
            false => seg.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Query parameters an allowed request needs to succeed cheaply.
fn query(spec: &RouteSpec) -> &'static str {
    match spec.path {
        "/prognose" | "/prognose/export.xlsx" => "?replicaties=10&jaren=1",
        "/prognose/export.csv" => "?replicaties=10&jaren=1&tabel=product",
        p if p.starts_with("/monitor/{regio}/export") => "?sectie=in-zorg",
        _ => "",
    }
}

fn aanmelding_json(w: &World, region: &RegionId, gemeente: GemeenteCode) -> Value {
    json!({
        "persoon": {"bsn": w.next_bsn(), "voornaam": "Test", "achternaam": "Matrix", "geboortedatum": "1990-04-01"},
        "melder": "wijkteam",
        "herkomst_gemeente": gemeente.to_string(),
        "woonsituatie": "thuis",
        "urgentie": "regulier",
        "regio": region,
    })
}

fn aanmelding_form(w: &World, region: &RegionId, gemeente: GemeenteCode) -> String {
    let pairs = [
        ("bsn", w.next_bsn()),
        ("voornaam", "Test".to_owned()),
        ("achternaam", "Matrix".to_owned()),
        ("geboortedatum", "1990-04-01".to_owned()),
        ("regio", region.to_string()),
        ("herkomst_gemeente", gemeente.to_string()),
        ("melder", "wijkteam".to_owned()),
        ("woonsituatie", "thuis".to_owned()),
        ("urgentie", "regulier".to_owned()),
    ];
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The gemeente a registration on `side` is for: the wijkteam's own, else the region's
/// centrumgemeente.
fn registration_gemeente(w: &World, user: &DemoUser, side: Side) -> GemeenteCode {
    match (side, &user.actor.organisation) {
        (Side::Own, vangnet_domain::Organisation::Gemeente(g)) => *g,
        _ => w.region(side).centrumgemeente,
    }
}

/// Failures, collected so one run reports all of them.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn check(&mut self, what: &str, expected: &Expect, reply: &Reply, rows: &[AccessEntry]) {
        let got_rows: Vec<(String, bool)> =
            rows.iter().map(|e| (e.action.clone(), e.allowed)).collect();
        let rows_ok = expected.rows.as_ref().is_none_or(|r| *r == got_rows);
        if reply.status != expected.status || !rows_ok {
            self.0.push(format!(
                "{what}: expected {} {:?}, got {} {:?} — {}",
                expected.status,
                expected.rows,
                reply.status,
                got_rows,
                reply.body.chars().take(200).collect::<String>()
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------
// The matrix

async fn matrix(w: &World) {
    let mut f = Failures::default();
    let mut requests = 0usize;

    // Every fact kind has exactly one rights row, and every row a fact kind.
    let facts = every_fact(&w.own);
    for e in &facts {
        let key = access::fact_key(e);
        let n = access::FACT_RIGHTS.iter().filter(|r| r.kind == key).count();
        assert_eq!(n, 1, "fact '{key}' has {n} rows in FACT_RIGHTS");
    }
    assert_eq!(
        access::FACT_RIGHTS.len(),
        facts.len(),
        "a FACT_RIGHTS row without a fact"
    );
    // The decision's extra fact (woonplaats_bepaald) has the decision's recorders, so the
    // prediction of a toewijzing / afwijzing needs no second row.
    let recorders = |k: &str| {
        access::FACT_RIGHTS
            .iter()
            .find(|r| r.kind == k)
            .unwrap()
            .recorders
    };
    assert_eq!(recorders("woonplaats_bepaald"), recorders("toewijzing"));
    assert_eq!(recorders("woonplaats_bepaald"), recorders("afwijzing"));

    // ROUTES covers the router: every listed method answers, every other is 405.
    let auditor = w
        .users()
        .into_iter()
        .find(|u| u.actor.role == Role::Auditor)
        .unwrap();
    for spec in ROUTES {
        let path = fill(spec, &w.a.id, &w.own.id.to_string(), &w.own.location);
        for m in [Method::GET, Method::POST, Method::PUT, Method::DELETE] {
            let r = send(w, Some(&auditor), &m, &path, Body::empty(), None).await;
            requests += 1;
            let listed = spec.methods.contains(&m.as_str());
            if listed == (r.status == StatusCode::METHOD_NOT_ALLOWED)
                || r.body.contains("Deze pagina bestaat niet")
            {
                f.0.push(format!("{m} {path}: {} (listed: {listed})", r.status));
            }
        }
    }

    // Not logged in: only public routes answer; pages send to the login page, the API 401.
    for spec in ROUTES {
        let path = fill(spec, &w.a.id, &w.own.id.to_string(), &w.own.location);
        for m in spec.methods {
            let m = Method::from_bytes(m.as_bytes()).unwrap();
            let r = send(
                w,
                None,
                &m,
                &format!("{path}{}", query(spec)),
                Body::empty(),
                None,
            )
            .await;
            requests += 1;
            let to_login = r.status == StatusCode::SEE_OTHER
                && r.location
                    .as_deref()
                    .is_some_and(|l| l.starts_with("/inloggen?"));
            let ok = match (spec.rule, spec.path.starts_with("/api/")) {
                (RouteRule::Public, _) => r.status != StatusCode::UNAUTHORIZED && !to_login,
                (_, true) => r.status == StatusCode::UNAUTHORIZED,
                (_, false) => to_login,
            };
            if !ok {
                f.0.push(format!(
                    "anonymous {m} {path}: {} {:?}",
                    r.status, r.location
                ));
            }
        }
    }

    for user in w.users() {
        let actor = &user.actor;
        for side in [Side::Own, Side::Other] {
            let region = &w.region(side).id;
            let client = w.client(side);
            for spec in ROUTES {
                for m in spec.methods {
                    let m = Method::from_bytes(m.as_bytes()).unwrap();
                    let path = fill(spec, region, &client.id.to_string(), &client.location);
                    let what = format!("{} {side:?} {m} {path}", user.id);
                    // feat/zoeken: the correction form's POST is a write behind a read; its
                    // rights and log rows are tested in tests/zoeken.rs.
                    if spec.path == "/clienten/{id}/correctie/{versie}" && m == Method::POST {
                        continue;
                    }
                    // feat/portaal: the provider's forms post to its client page, a write
                    // behind a read; their rights and log rows are tested in tests/aanbieder.rs.
                    if spec.path == "/aanbieder/clienten/{id}" && m == Method::POST {
                        continue;
                    }
                    // feat/corporatie: a corporation's candidate page reads through the
                    // store's candidate list (a logged refusal for a non-candidate); its
                    // rights and rows are tested in tests/corporatie.rs.
                    if spec.path == "/corporatie/kandidaten/{id}"
                        && actor.role == Role::Woningcorporatie
                    {
                        continue;
                    }
                    match spec.rule {
                        RouteRule::ClientRecord(Action::Write) => {
                            requests += write_cases(w, &mut f, &user, side, spec, &path).await;
                            continue;
                        }
                        RouteRule::Register if m == Method::POST => {
                            requests += register_case(w, &mut f, &user, side, spec).await;
                            continue;
                        }
                        _ => {}
                    }
                    // feat/brief: whether the client's decision letter was stored before this
                    // request (the first letter request stores it: one more gated row).
                    let letter_stored = spec.path.contains("besluitbrief")
                        && blocking(|| {
                            w.store
                                .letters(&AccessGate::system("matrix: verwachting"), client.id)
                                .unwrap()
                        })
                        .iter()
                        .any(|_| true);
                    let before = w.rows_of(&user.id).len();
                    let reply = if spec.path == "/inloggen" && m == Method::POST {
                        let body = format!("gebruiker={}", user.id);
                        send(
                            w,
                            Some(&user),
                            &m,
                            &path,
                            Body::from(body),
                            Some("application/x-www-form-urlencoded"),
                        )
                        .await
                    } else {
                        send(
                            w,
                            Some(&user),
                            &m,
                            &format!("{path}{}", query(spec)),
                            Body::empty(),
                            None,
                        )
                        .await
                    };
                    requests += 1;
                    let rows = w.rows_of(&user.id)[before..].to_vec();
                    let expected = match spec.rule {
                        RouteRule::ClientRecord(action) => {
                            let (state, events) = w.state_of(client.id);
                            let allowed =
                                access::decide(actor, action, &scope_of(&state)).allowed();
                            let mut status = if allowed {
                                StatusCode::OK
                            } else {
                                StatusCode::FORBIDDEN
                            };
                            let mut rows = vec![(action.key(), allowed)];
                            // feat/brief: each read of a letter is its own gated, logged
                            // read: the dossier lists the letters once a decision was
                            // recorded; a letter route reads the stored letter and, the
                            // first time, stores it ("besluitbrief opstellen").
                            let decided = events.iter().any(|e| {
                                matches!(
                                    e.event,
                                    ClientEvent::Toewijzing { .. } | ClientEvent::Afwijzing { .. }
                                )
                            });
                            if allowed {
                                match spec.path {
                                    "/clienten/{id}" if decided => {
                                        rows.push((Action::Read.key(), true));
                                    }
                                    "/clienten/{id}/besluitbrief"
                                    | "/clienten/{id}/besluitbrief.pdf" => {
                                        if state.besluit.is_none() {
                                            status = StatusCode::NOT_FOUND;
                                        } else {
                                            rows.push((Action::Read.key(), true));
                                            if !letter_stored {
                                                rows.push((Action::Read.key(), true));
                                            }
                                        }
                                    }
                                    _ => {}
                                }
                            }
                            expect(status, &rows)
                        }
                        RouteRule::ClientInzage => {
                            let allowed = matches!(
                                (&actor.role, &actor.organisation),
                                (Role::Toegangsmedewerker, vangnet_domain::Organisation::Regio(r)) if *r == client.region
                            );
                            let status = if allowed {
                                StatusCode::OK
                            } else {
                                StatusCode::FORBIDDEN
                            };
                            expect(status, &[("inzage_toegangslog", allowed)])
                        }
                        RouteRule::AccessLog => {
                            let allowed = access::may_read_access_log(actor.role);
                            let status = if allowed {
                                StatusCode::OK
                            } else {
                                StatusCode::FORBIDDEN
                            };
                            expect(status, &[("toegangslog_lezen", allowed)])
                        }
                        rule => {
                            let allowed = match rule {
                                RouteRule::Public | RouteRule::LoggedIn => true,
                                RouteRule::Monitor => access::may_view_monitor(actor.role),
                                RouteRule::Forecast => access::may_forecast(actor.role),
                                RouteRule::OwnRegionTeam => {
                                    actor.role == Role::Toegangsmedewerker
                                        && actor.organisation
                                            == vangnet_domain::Organisation::Regio(w.a.id.clone())
                                        && (side == Side::Own || !spec.path.contains('{'))
                                }
                                RouteRule::Register => vangnet_web::may_register(actor),
                                // A complete session at a login step: sent home.
                                RouteRule::LoginStep => true,
                                RouteRule::Beheer => access::may_manage_accounts(actor.role),
                                RouteRule::Search => access::may_search_clients(actor.role),
                                // feat/webgeld: the money pages — the role by the rule, the
                                // region (own organisations only) by the handler.
                                RouteRule::Money => {
                                    let profile = w.region(side);
                                    if m == Method::POST {
                                        access::may_enter_tariffs_of(actor, profile)
                                    } else {
                                        access::may_view_money(actor.role)
                                            && (spec.path == "/geld"
                                                || access::may_view_money_of(actor, profile))
                                    }
                                }
                                // feat/portaal: a zorgaanbieder; a location only its own (the
                                // handler's 403 otherwise).
                                RouteRule::Provider => {
                                    actor.role == Role::Zorgaanbieder
                                        && (!spec.path.contains("{locatie}")
                                            || w.region(side)
                                                .location(&client.location)
                                                .is_some_and(|l| {
                                                    actor.organisation
                                                        == vangnet_domain::Organisation::Aanbieder(
                                                            l.provider,
                                                        )
                                                }))
                                }
                                // feat/toegang: the wijkteam's start page.
                                RouteRule::Wijkteam => actor.role == Role::Wijkteam,
                                // feat/corporatie: a woningcorporatie (its candidate pages
                                // are tested in tests/corporatie.rs).
                                RouteRule::Corporation => actor.role == Role::Woningcorporatie,
                                // feat/plaatsen: the region's places — reading the money
                                // pages' audience of the region, entering its access team.
                                RouteRule::Places => {
                                    let profile = w.region(side);
                                    if m == Method::POST {
                                        actor.role == Role::Toegangsmedewerker
                                            && actor.organisation
                                                == vangnet_domain::Organisation::Regio(
                                                    profile.id.clone(),
                                                )
                                    } else {
                                        access::may_view_money_of(actor, profile)
                                    }
                                }
                                // feat/afspraken: the region's woningafspraken — reading the
                                // places pages' audience, entering its policy and team roles.
                                RouteRule::Agreements => {
                                    let profile = w.region(side);
                                    if m == Method::POST {
                                        access::may_enter_woningafspraken_of(actor, profile)
                                    } else {
                                        access::may_view_woningafspraken_of(actor, profile)
                                    }
                                }
                                _ => unreachable!(),
                            };
                            // The agreed actions' update (issue 12): only the region's
                            // coordinator gets past the handler (an empty form: 400); every
                            // other monitor viewer is refused there, nothing written.
                            let coordinator =
                                spec.path == "/monitor/{regio}/acties" && m == Method::POST;
                            if allowed && coordinator {
                                let profile = w.region(side);
                                if vangnet_domain::acties::may_update(actor, profile) {
                                    expect(StatusCode::BAD_REQUEST, &[])
                                } else {
                                    expect(StatusCode::FORBIDDEN, &[])
                                }
                            } else if allowed {
                                Expect {
                                    status: success(spec, &m),
                                    rows: None,
                                }
                            } else {
                                // Refused by the route's rule before anything is read.
                                expect(StatusCode::FORBIDDEN, &[])
                            }
                        }
                    };
                    f.check(&what, &expected, &reply, &rows);
                    // "Does not exist" is answered as "not yours".
                    if side == Side::Other
                        && matches!(
                            spec.rule,
                            RouteRule::ClientRecord(_) | RouteRule::ClientInzage
                        )
                    {
                        let missing = fill(spec, region, MISSING, &client.location);
                        let before = w.rows_of(&user.id).len();
                        let r = send(w, Some(&user), &m, &missing, Body::empty(), None).await;
                        requests += 1;
                        let rows = w.rows_of(&user.id)[before..].to_vec();
                        if (r.status, &r.body) != (reply.status, &reply.body) {
                            f.0.push(format!(
                                "{what}: a missing client is answered {} ≠ {} for another's client",
                                r.status, reply.status
                            ));
                        }
                        let action = match spec.rule {
                            RouteRule::ClientInzage => "inzage_toegangslog",
                            _ => Action::Read.key(),
                        };
                        f.check(
                            &format!("{what} (missing)"),
                            &expect(StatusCode::FORBIDDEN, &[(action, false)]),
                            &r,
                            &rows,
                        );
                    }
                }
            }
        }
    }
    assert!(
        f.0.is_empty(),
        "{} of {requests} requests wrong:\n{}",
        f.0.len(),
        f.0.join("\n")
    );
    eprintln!("matrix: {requests} requests");
}

/// The write routes for `user` and the client on `side`: the API with a fact of every kind,
/// the form with a decision, a provider's fact and the end of care. Returns the number of
/// requests.
async fn write_cases(
    w: &World,
    f: &mut Failures,
    user: &DemoUser,
    side: Side,
    spec: &RouteSpec,
    path: &str,
) -> usize {
    let client = w.client(side);
    let actor = &user.actor;
    let mut n = 0;
    let api = spec.path.starts_with("/api/");
    let (state, stream) = w.state_of(client.id);
    let readable = access::decide(actor, Action::Read, &scope_of(&state)).allowed();
    let send_one = |body: String, target: String| async move {
        let ct = if api {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        send(
            w,
            Some(user),
            &Method::POST,
            &target,
            Body::from(body),
            Some(ct),
        )
        .await
    };
    let cases: Vec<(String, String, Vec<ClientEvent>)> = if api {
        every_fact(client)
            .into_iter()
            .map(|e| {
                let body = json!({"expected_version": STALE_VERSION, "gebeurtenis": e}).to_string();
                (access::fact_key(&e).to_owned(), body, vec![e])
            })
            .collect()
    } else {
        let form = |pairs: &[(&str, &str)]| {
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .extend_pairs([("versie", STALE_VERSION.to_string())])
                .finish()
        };
        vec![
            (
                "bezwaar".into(),
                form(&[("soort", "bezwaar"), ("reden", "r")]),
                vec![ClientEvent::Bezwaar { reden: "r".into() }],
            ),
            (
                "uitstroomklaar".into(),
                form(&[("soort", "uitstroomklaar")]),
                vec![ClientEvent::Uitstroomklaar],
            ),
            (
                "einde_zorg".into(),
                form(&[("soort", "einde_zorg"), ("bestemming", "onbekend")]),
                vec![ClientEvent::EindeZorg {
                    bestemming: Bestemming::Onbekend,
                    woning: None,
                }],
            ),
        ]
    };
    for (kind, body, facts) in cases {
        let what = format!("{} {side:?} POST {path} ({kind})", user.id);
        let before = w.rows_of(&user.id).len();
        let reply = send_one(body.clone(), path.to_owned()).await;
        n += 1;
        let rows = w.rows_of(&user.id)[before..].to_vec();
        // What the handler reads first: the form always, the API for a decision.
        let decision = matches!(
            facts[0],
            ClientEvent::Toewijzing { .. } | ClientEvent::Afwijzing { .. }
        );
        let mut expected: Vec<(&str, bool)> = Vec::new();
        let reads_first = !api || decision;
        if reads_first {
            expected.push((Action::Read.key(), readable));
        }
        let exp = if reads_first && !readable {
            expect(StatusCode::FORBIDDEN, &expected)
        } else if let Some(action) = write_refusal(w, actor, &state, &stream, &facts) {
            expected.push((action, false));
            expect(StatusCode::FORBIDDEN, &expected)
        } else if let Some(code) = decision_rule(w, client.id, &facts[0]) {
            // Allowed, but the decision's own rules (checked before the write) refuse it.
            if !reply.body.contains(code) {
                f.0.push(format!("{what}: expected rule code {code}"));
            }
            expect(StatusCode::UNPROCESSABLE_ENTITY, &expected)
        } else {
            // Allowed: stopped by the version check, nothing written; the form shows the
            // record again (a second read).
            if !api {
                expected.push((Action::Read.key(), true));
                // feat/brief: the dossier lists the letters once a decision was recorded.
                if stream.iter().any(|e| {
                    matches!(
                        e.event,
                        ClientEvent::Toewijzing { .. } | ClientEvent::Afwijzing { .. }
                    )
                }) {
                    expected.push((Action::Read.key(), true));
                }
            }
            expect(StatusCode::CONFLICT, &expected)
        };
        f.check(&what, &exp, &reply, &rows);
        // "Does not exist" is answered as "not yours".
        if side == Side::Other && kind == "bezwaar" {
            let missing = path.replace(&client.id.to_string(), MISSING);
            let before = w.rows_of(&user.id).len();
            let r = send_one(body, missing).await;
            n += 1;
            let rows = w.rows_of(&user.id)[before..].to_vec();
            if (r.status, &r.body) != (reply.status, &reply.body) {
                f.0.push(format!(
                    "{what}: a missing client is answered {} ≠ {} for another's client",
                    r.status, reply.status
                ));
            }
            let action = if api {
                Action::Write.key()
            } else {
                Action::Read.key()
            };
            f.check(
                &format!("{what} (missing)"),
                &expect(StatusCode::FORBIDDEN, &[(action, false)]),
                &r,
                &rows,
            );
        }
    }
    n
}

/// The rule a toewijzing or afwijzing breaks before it reaches the store, from the domain's own
/// functions: a product not valid on the start, or criteria not yet established.
fn decision_rule(w: &World, id: ClientId, fact: &ClientEvent) -> Option<&'static str> {
    if !matches!(
        fact,
        ClientEvent::Toewijzing { .. } | ClientEvent::Afwijzing { .. }
    ) {
        return None;
    }
    let rec = blocking(|| {
        w.store
            .read_client(&AccessGate::system("matrix: verwachting"), id)
            .unwrap()
    });
    let profile = w.regions.get(&rec.state.regio).unwrap();
    let p = match fact {
        ClientEvent::Toewijzing { product, start, .. } => {
            let p = profile.product(product).unwrap();
            if !p.valid_on(*start) {
                return Some("product.niet_geldig");
            }
            p
        }
        // feat/brief: an afwijzing too waits for the criteria of the product assessed.
        _ => frontdoor::focus_product(profile, &rec.state, None, today())?,
    };
    let dossier = frontdoor::Dossier {
        person: rec.person.as_ref(),
        state: &rec.state,
        events: &rec.events,
    };
    let ev = frontdoor::evaluate_record(profile, p, &dossier, today());
    (!ev.missing().is_empty()).then_some("besluit.feiten_onbekend")
}

/// A registration by `user` in the region on `side` (its own residents, or another
/// region's), through the API or the form.
async fn register_case(
    w: &World,
    f: &mut Failures,
    user: &DemoUser,
    side: Side,
    spec: &RouteSpec,
) -> usize {
    let actor = &user.actor;
    let region = &w.region(side).id;
    let gemeente = registration_gemeente(w, user, side);
    let api = spec.path.starts_with("/api/");
    let (body, ct) = if api {
        (
            aanmelding_json(w, region, gemeente).to_string(),
            "application/json",
        )
    } else {
        (
            aanmelding_form(w, region, gemeente),
            "application/x-www-form-urlencoded",
        )
    };
    let what = format!(
        "{} {side:?} POST {} ({region}, {gemeente})",
        user.id, spec.path
    );
    let before = w.rows_of(&user.id).len();
    let reply = send(
        w,
        Some(user),
        &Method::POST,
        spec.path,
        Body::from(body),
        Some(ct),
    )
    .await;
    let rows = w.rows_of(&user.id)[before..].to_vec();
    let scope = access::ClientScope {
        regio: region.clone(),
        herkomst: Some(gemeente),
        aanbieders: vec![],
        uitstroom_kandidaat: false,
    };
    let fact = ClientEvent::Aanmelding {
        regio: region.clone(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: Some(gemeente),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    };
    let ctx = FactContext {
        regio: region,
        toewijzing_aanbieder: None,
        zorg_aanbieder: None,
        original: None,
        effective: today(),
        regions: &w.regions,
        client: None,
    };
    let exp = if !access::decide(actor, Action::Create, &scope).allowed() {
        expect(StatusCode::FORBIDDEN, &[(Action::Create.key(), false)])
    } else if !access::may_record(actor, &fact, &ctx).allowed() {
        expect(StatusCode::FORBIDDEN, &[("feit_vastleggen", false)])
    } else {
        let status = if api {
            StatusCode::CREATED
        } else {
            StatusCode::SEE_OTHER
        };
        expect(status, &[(Action::Create.key(), true)])
    };
    f.check(&what, &exp, &reply, &rows);
    1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_every_role_own_and_other_organisation() {
    let dir = tempfile::TempDir::new().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        vangnet_store_sqlite::SqliteStore::open(
            &dir.path().join("matrix.sqlite"),
            Regions::builtin(),
        )
        .unwrap(),
    );
    let w = world_over(store);
    matrix(&w).await;
}

/// The same matrix over PostgreSQL (when a test server is configured).
#[test]
fn every_route_every_role_own_and_other_organisation_on_postgresql() {
    let Some(url) = vangnet_store_postgres::testing::test_database_url() else {
        return;
    };
    let url = vangnet_store_postgres::testing::reset_schema(&url, "web_matrix").unwrap();
    let store: Arc<dyn Store> =
        Arc::new(vangnet_store_postgres::PostgresStore::connect(&url, Regions::builtin()).unwrap());
    let w = world_over(store);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(matrix(&w));
    drop(w); // outside the runtime: PostgreSQL's client blocks when it closes
}
