//! Login, sessions, CSRF and API tokens through the router (issue 11): each finding of the
//! attacker's walk-through is a regression test here — forged cookies and sessions, CSRF
//! and cross-origin posts, logout by GET, the open redirect, lock-out, TOTP replay, token
//! scope, demo login under `serve` — and every access-log row names session and address.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use support::{Reply, TestApp};
use tempfile::TempDir;
use vangnet_auth::{password, secret::token_hash, totp};
use vangnet_domain::{Actor, Bsn, Organisation, RegionId, Regions, Role};
use vangnet_store::accounts::{ApiToken, NewAccount, Session, SessionStage};
use vangnet_store::{AccessGate, AccessLogFilter, Store};
use vangnet_store_sqlite::SqliteStore;
use vangnet_web::{AppState, router};

const PASSWORD: &str = "lange zin als wachtwoord";
const CLERK: &str = "toegang-centraal-gelderland";

struct World {
    _dir: TempDir,
    store: Arc<dyn Store>,
    app: TestApp,
}

fn world() -> World {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("a.sqlite"), Regions::builtin()).unwrap());
    let app = TestApp::new(AppState::new(Arc::clone(&store)));
    World {
        _dir: dir,
        store,
        app,
    }
}

fn cg() -> Organisation {
    Organisation::Regio(RegionId::parse("centraal-gelderland").unwrap())
}

/// An account `id` with [`PASSWORD`], no one-time password; `totp` enrolled when given.
fn account(store: &dyn Store, id: &str, role: Role, totp_secret: Option<&totp::Secret>) {
    let sys = AccessGate::system("test");
    store
        .accounts()
        .create_user(
            &sys,
            NewAccount {
                id: id.into(),
                naam: format!("Test {id}"),
                actor: Actor {
                    user: id.into(),
                    role,
                    organisation: cg(),
                },
                password_hash: password::hash(PASSWORD, &[7; 16]),
                must_change_password: false,
            },
        )
        .unwrap();
    if let Some(s) = totp_secret {
        store
            .accounts()
            .update_user(
                &sys,
                id,
                vangnet_store::accounts::AccountChange::Totp(Some(s.to_base32())),
            )
            .unwrap();
    }
}

async fn send(app: &axum::Router, mut req: Request<Body>) -> Reply {
    // As `serve` does with `into_make_service_with_connect_info`.
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([192, 0, 2, 7], 40000))));
    support::send(app, req).await
}

async fn get(app: &axum::Router, path: &str, cookie: &str) -> Reply {
    send(
        app,
        Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

async fn post_form(app: &axum::Router, path: &str, cookie: &str, pairs: &[(&str, &str)]) -> Reply {
    send(
        app,
        Request::post(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form_body(pairs)))
            .unwrap(),
    )
    .await
}

/// The login page's pre-session token: (cookie header value, field value).
async fn login_token(app: &axum::Router) -> (String, String) {
    let r = get(app, "/inloggen", "").await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r.set_cookie("vangnet_inlog").expect("pre-session cookie");
    let field = r
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    (format!("vangnet_inlog={cookie}"), field)
}

/// `POST /inloggen` with user and password (and the pre-session token).
async fn login(app: &axum::Router, user: &str, pw: &str, extra: &[(&str, &str)]) -> Reply {
    let (cookie, token) = login_token(app).await;
    let mut pairs = vec![
        ("csrf", token.as_str()),
        ("gebruiker", user),
        ("wachtwoord", pw),
    ];
    pairs.extend_from_slice(extra);
    post_form(app, "/inloggen", &cookie, &pairs).await
}

fn session_cookie(r: &Reply) -> String {
    format!(
        "vangnet_sessie={}",
        r.set_cookie("vangnet_sessie").expect("a session cookie")
    )
}

fn csrf_in(body: &str) -> String {
    body.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

fn bsn(n: u32) -> String {
    (0..)
        .find_map(|i| Bsn::with_check_digit(93_000_000 + n * 7 + i))
        .unwrap()
        .digits()
}

fn aanmelding(n: u32) -> Value {
    json!({
        "persoon": {"bsn": bsn(n), "voornaam": "Test", "achternaam": format!("Persoon {n}"), "geboortedatum": "1990-04-01"},
        "melder": "wijkteam",
        "herkomst_gemeente": "GM0202",
        "woonsituatie": "thuis",
        "urgentie": "regulier",
        "regio": "centraal-gelderland",
    })
}

#[tokio::test]
async fn a_forged_user_cookie_or_session_is_no_login() {
    let w = world();
    for cookie in [
        "vangnet_gebruiker=auditor",
        "vangnet_sessie=auditor",
        "vangnet_sessie=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let r = get(&w.app, "/toegangslog", cookie).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{cookie}");
        assert!(r.location().starts_with("/inloggen"), "{cookie}");
        let r = get(&w.app, "/api/clienten/P00000001", cookie).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{cookie}");
    }
    // An expired session (idle beyond the limit; and one past the absolute limit).
    let now = vangnet_store::time::now();
    for (created_h, seen_h) in [(2, 1), (13, 0)] {
        let token = format!("verlopen-{created_h}");
        let s = Session {
            user: "auditor".into(),
            stage: SessionStage::Complete,
            csrf: "x".into(),
            demo: true,
            created_at: now - jiff::SignedDuration::from_hours(created_h),
            last_seen: now - jiff::SignedDuration::from_hours(seen_h),
            address: None,
        };
        w.store
            .accounts()
            .create_session(&token_hash(&token), &s)
            .unwrap();
        let r = get(&w.app, "/toegangslog", &format!("vangnet_sessie={token}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{created_h} h");
        assert!(r.location().starts_with("/inloggen"));
    }
    // A live one works.
    let r = get(&w.app, "/toegangslog", &w.app.cookie("auditor")).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn demo_login_gives_a_session_and_is_refused_when_demo_mode_is_off() {
    let w = world();
    let (cookie, token) = login_token(&w.app).await;
    let r = post_form(
        &w.app,
        "/inloggen",
        &cookie,
        &[("csrf", &token), ("gebruiker", "auditor")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let set = r
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(
        !set.contains("auditor"),
        "the cookie is a random token: {set}"
    );
    let session = session_cookie(&r);
    assert_eq!(
        get(&w.app, "/toegangslog", &session).await.status,
        StatusCode::OK
    );

    // The same store served without demo login: the button's post logs nobody in, and the
    // demo session made above is nobody.
    let served = router(AppState::new(Arc::clone(&w.store)));
    let (cookie, token) = login_token(&served).await;
    let page = get(&served, "/inloggen", "").await;
    assert!(!page.body.contains("value=\"auditor\""), "no demo buttons");
    let r = post_form(
        &served,
        "/inloggen",
        &cookie,
        &[("csrf", &token), ("gebruiker", "auditor")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.set_cookie("vangnet_sessie").is_none());
    let r = get(&served, "/toegangslog", &session).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Behind a TLS proxy the cookie is `Secure`.
    let proxied = router(
        AppState::new(Arc::clone(&w.store))
            .with_demo_login(true)
            .with_tls_proxy(true),
    );
    let (cookie, token) = login_token(&proxied).await;
    let r = post_form(
        &proxied,
        "/inloggen",
        &cookie,
        &[("csrf", &token), ("gebruiker", "auditor")],
    )
    .await;
    let set = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(set.contains("; Secure"), "{set}");
}

#[tokio::test]
async fn login_without_its_token_or_from_another_site_is_refused() {
    let w = world();
    let (cookie, token) = login_token(&w.app).await;
    // No token, a wrong token, no cookie.
    for (c, t) in [
        (cookie.as_str(), ""),
        (cookie.as_str(), "fout"),
        ("", token.as_str()),
    ] {
        let r = post_form(
            &w.app,
            "/inloggen",
            c,
            &[("csrf", t), ("gebruiker", "auditor")],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{c} {t}");
        assert!(r.set_cookie("vangnet_sessie").is_none());
    }
    // The referrer policy lets a browser name this site as the origin of its own form
    // posts (under `no-referrer` Chromium sends `Origin: null`, refused below).
    let page = get(&w.app, "/inloggen", "").await;
    assert_eq!(page.headers[header::REFERRER_POLICY], "same-origin");
    // A foreign origin, and an opaque one.
    for origin in ["https://evil.example", "null"] {
        let r = send(
            &w.app,
            Request::post("/inloggen")
                .header(header::HOST, "vangnet.example")
                .header(header::ORIGIN, origin)
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form_body(&[
                    ("csrf", &token),
                    ("gebruiker", "auditor"),
                ])))
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "origin {origin}");
    }
}

#[tokio::test]
async fn a_post_without_the_csrf_token_writes_nothing() {
    let w = world();
    let cookie = w.app.cookie(CLERK);
    let csrf = w.app.csrf(CLERK);
    let before = w.store.event_count().unwrap();
    let json_post = |headers: &[(&str, &str)], content_type: &str| {
        let mut b = Request::post("/api/clienten")
            .header(header::HOST, "vangnet.example")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, content_type);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::from(aanmelding(1).to_string())).unwrap()
    };
    // Missing or wrong token.
    for headers in [vec![], vec![("x-csrf-token", "fout")]] {
        let r = send(&w.app, json_post(&headers, "application/json")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{headers:?}: {}", r.body);
        assert!(r.body.contains("\"code\":\"csrf\""), "{}", r.body);
    }
    // A foreign origin with text/plain JSON (a form a page on another site can send), also
    // when the token were known; and a cross-site fetch.
    for (name, value, content_type) in [
        ("origin", "https://evil.example", "text/plain"),
        ("sec-fetch-site", "cross-site", "application/json"),
    ] {
        let headers = [(name, value), ("x-csrf-token", csrf.as_str())];
        let r = send(&w.app, json_post(&headers, content_type)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}: {}", r.body);
    }
    // A form without its token.
    let r = post_form(
        &w.app,
        "/aanmelden",
        &cookie,
        &[("regio", "centraal-gelderland"), ("bsn", &bsn(2))],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.store.event_count().unwrap(), before, "nothing written");
    // The same-origin request with the token is accepted.
    let r = send(
        &w.app,
        json_post(
            &[
                ("origin", "http://vangnet.example"),
                ("x-csrf-token", csrf.as_str()),
            ],
            "application/json",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Every form of a page carries the session's token.
    let page = get(&w.app, "/aanmelden", &cookie).await;
    assert!(
        page.body
            .contains(&format!("name=\"csrf\" value=\"{csrf}\""))
    );
}

#[tokio::test]
async fn logout_is_a_post_that_ends_the_session() {
    let w = world();
    let cookie = w.app.cookie("auditor");
    let r = get(&w.app, "/uitloggen", &cookie).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.get(header::SET_COOKIE).is_none());
    assert!(r.body.contains("method=\"post\" action=\"/uitloggen\""));
    assert_eq!(
        get(&w.app, "/toegangslog", &cookie).await.status,
        StatusCode::OK,
        "GET wrote nothing"
    );
    // Without the token: refused, still logged in.
    let r = post_form(&w.app, "/uitloggen", &cookie, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&w.app, "/toegangslog", &cookie).await.status,
        StatusCode::OK
    );
    let r = post_form(
        &w.app,
        "/uitloggen",
        &cookie,
        &[("csrf", &w.app.csrf("auditor"))],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    // The session is gone server-side: the old cookie is nobody.
    assert_eq!(
        get(&w.app, "/toegangslog", &cookie).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn only_local_paths_are_returned_to_after_login() {
    let w = world();
    for (terug, expected) in [
        ("/toegangslog", "/toegangslog"),
        ("//evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
        ("https://evil.example", "/"),
    ] {
        let (cookie, token) = login_token(&w.app).await;
        let r = post_form(
            &w.app,
            "/inloggen",
            &cookie,
            &[("csrf", &token), ("gebruiker", "auditor"), ("terug", terug)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{terug:?}");
        assert_eq!(r.location(), expected, "{terug:?}");
    }
    // And the query form `terug=%2F%09%2Fevil.example` is not even put in the form.
    let r = get(&w.app, "/inloggen?terug=%2F%09%2Fevil.example", "").await;
    assert!(!r.body.contains("evil.example"));
}

#[tokio::test]
async fn password_login_locks_after_five_failures() {
    let w = world();
    account(w.store.as_ref(), "beleid1", Role::Beleidsmedewerker, None);
    // Unknown user, wrong password: the same answer.
    let unknown = login(&w.app, "niemand", PASSWORD, &[]).await;
    let wrong = login(&w.app, "beleid1", "fout wachtwoord!!", &[]).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        unknown
            .body
            .contains("gebruikersnaam of het wachtwoord is onjuist")
    );
    assert!(
        wrong
            .body
            .contains("gebruikersnaam of het wachtwoord is onjuist")
    );
    for _ in 0..4 {
        login(&w.app, "beleid1", "fout wachtwoord!!", &[]).await;
    }
    // Five failures: locked, with the time; the right password does not help now.
    let r = login(&w.app, "beleid1", PASSWORD, &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("geblokkeerd"), "{}", r.body);
    assert!(r.body.contains(" uur"), "the time is named");
    assert!(r.set_cookie("vangnet_sessie").is_none());
    let a = w.store.accounts().user("beleid1").unwrap().unwrap();
    assert!(a.locked_until.is_some());
    // A role without a second factor logs straight in with the right password.
    account(w.store.as_ref(), "beleid2", Role::Beleidsmedewerker, None);
    let page = "/monitor/centraal-gelderland";
    let r = login(&w.app, "beleid2", PASSWORD, &[("terug", page)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), page);
    let s = session_cookie(&r);
    assert_eq!(get(&w.app, page, &s).await.status, StatusCode::OK);
    // A disabled account: the same answer as a wrong password.
    w.store
        .accounts()
        .update_user(
            &AccessGate::system("test"),
            "beleid2",
            vangnet_store::accounts::AccountChange::Disabled(true),
        )
        .unwrap();
    let r = login(&w.app, "beleid2", PASSWORD, &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body
            .contains("gebruikersnaam of het wachtwoord is onjuist")
    );
    assert_eq!(
        get(&w.app, page, &s).await.location(),
        format!("/inloggen?terug={}", page.replace('/', "%2F")),
        "sessions ended"
    );
}

/// Post `code` to the code step of the partial session `partial` (with its `csrf`).
async fn post_code(app: &axum::Router, partial: &str, csrf: &str, code: &str) -> Reply {
    post_form(
        app,
        "/inloggen/code",
        partial,
        &[("csrf", csrf), ("code", code)],
    )
    .await
}

fn code_now(secret: &totp::Secret) -> (String, u64) {
    let step = u64::try_from(vangnet_store::time::now().as_second() / 30).unwrap();
    (format!("{:06}", totp::code(secret, step)), step)
}

#[tokio::test]
async fn totp_codes_are_checked_and_never_replayed() {
    let w = world();
    let secret = totp::Secret([42; 20]);
    account(
        w.store.as_ref(),
        "clerk1",
        Role::Toegangsmedewerker,
        Some(&secret),
    );
    let r = login(&w.app, "clerk1", PASSWORD, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/inloggen/code");
    let partial = session_cookie(&r);
    // A partial session opens nothing else.
    let other = get(&w.app, "/werklijst", &partial).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    let page = get(&w.app, "/inloggen/code", &partial).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_in(&page.body);
    let (code, _) = code_now(&secret);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = post_code(&w.app, &partial, &csrf, wrong).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.set_cookie("vangnet_sessie").is_none());
    let r = post_code(&w.app, &partial, &csrf, &code).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let complete = session_cookie(&r);
    assert_ne!(complete, partial, "rotated");
    assert_eq!(
        get(&w.app, "/werklijst", &complete).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&w.app, "/werklijst", &partial).await.status,
        StatusCode::SEE_OTHER,
        "the partial session is gone"
    );
    // The same code again (a second login within the same 30 s): refused.
    let r = login(&w.app, "clerk1", PASSWORD, &[]).await;
    let partial = session_cookie(&r);
    let csrf = csrf_in(&get(&w.app, "/inloggen/code", &partial).await.body);
    let r = post_code(&w.app, &partial, &csrf, &code).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "replay refused");
    assert!(r.body.contains("al gebruikt"));
}

#[tokio::test]
async fn a_partial_session_reaches_only_its_next_step() {
    let w = world();
    let secret = totp::Secret([43; 20]);
    account(
        w.store.as_ref(),
        "clerk2",
        Role::Toegangsmedewerker,
        Some(&secret),
    );
    let r = login(&w.app, "clerk2", PASSWORD, &[]).await;
    assert_eq!(r.location(), "/inloggen/code");
    let partial = session_cookie(&r);
    // The other login steps, the admin's pages and any page: back to the code.
    for path in [
        "/account/wachtwoord",
        "/account/tweede-factor",
        "/beheer/gebruikers",
        "/werklijst",
        "/clienten/P00000001",
    ] {
        let r = get(&w.app, path, &partial).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.location(), "/inloggen/code", "{path}");
    }
    // The API: not logged in.
    let r = get(&w.app, "/api/clienten/P00000001", &partial).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let page = get(&w.app, "/inloggen/code", &partial).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_in(&page.body);
    // A post to another step (with the session's token) does nothing.
    let r = post_form(
        &w.app,
        "/account/tweede-factor",
        &partial,
        &[("csrf", &csrf), ("code", "123456")],
    )
    .await;
    assert_eq!(r.location(), "/inloggen/code");
    assert_eq!(
        w.store
            .accounts()
            .user("clerk2")
            .unwrap()
            .unwrap()
            .totp_secret
            .as_deref(),
        Some(secret.to_base32().as_str()),
        "nothing changed"
    );
    // Stopping half-way: logout works from a partial session.
    let r = post_form(&w.app, "/uitloggen", &partial, &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/inloggen");
    let r = get(&w.app, "/inloggen/code", &partial).await;
    assert!(r.location().starts_with("/inloggen?"), "{}", r.location());
}

#[tokio::test]
async fn first_login_sets_a_password_and_enrols_a_second_factor() {
    let w = world();
    let sys = AccessGate::system("test");
    w.store
        .accounts()
        .create_user(
            &sys,
            NewAccount {
                id: "nieuw".into(),
                naam: "Nieuwe Collega".into(),
                actor: Actor {
                    user: "nieuw".into(),
                    role: Role::Toegangsmedewerker,
                    organisation: cg(),
                },
                password_hash: password::hash("eenmalig-wachtwoord-1", &[1; 16]),
                must_change_password: true,
            },
        )
        .unwrap();
    let r = login(&w.app, "nieuw", "eenmalig-wachtwoord-1", &[]).await;
    assert_eq!(r.location(), "/account/wachtwoord");
    let s1 = session_cookie(&r);
    let page = get(&w.app, "/account/wachtwoord", &s1).await;
    let csrf = csrf_in(&page.body);
    let r = post_form(
        &w.app,
        "/account/wachtwoord",
        &s1,
        &[
            ("csrf", &csrf),
            ("wachtwoord", "kort"),
            ("herhaling", "kort"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post_form(
        &w.app,
        "/account/wachtwoord",
        &s1,
        &[
            ("csrf", &csrf),
            ("wachtwoord", PASSWORD),
            ("herhaling", PASSWORD),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/account/tweede-factor");
    let s2 = session_cookie(&r);
    assert_ne!(s1, s2);
    let page = get(&w.app, "/account/tweede-factor", &s2).await;
    assert!(page.body.contains("otpauth://totp/"), "{}", page.body);
    // The secret is shown to be typed over, never put in the form.
    assert!(!page.body.contains("name=\"geheim\""), "{}", page.body);
    let shown = |body: &str| {
        body.split("id=\"totp-geheim\">")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap()
            .replace(' ', "")
    };
    let b32 = shown(&page.body);
    assert_eq!(
        shown(&get(&w.app, "/account/tweede-factor", &s2).await.body),
        b32,
        "the same secret for the same session"
    );
    let secret = totp::Secret::from_base32(&b32).unwrap();
    let (code, _) = code_now(&secret);
    let csrf = csrf_in(&page.body);
    // A secret of the poster's choosing (the old hidden field) is ignored: its code fails.
    let chosen = totp::Secret([9; 20]);
    let (chosen_code, _) = code_now(&chosen);
    if chosen_code != code {
        let r = post_form(
            &w.app,
            "/account/tweede-factor",
            &s2,
            &[
                ("csrf", &csrf),
                ("geheim", &chosen.to_base32()),
                ("code", &chosen_code),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.set_cookie("vangnet_sessie").is_none());
    }
    let r = post_form(
        &w.app,
        "/account/tweede-factor",
        &s2,
        &[("csrf", &csrf), ("code", &code)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s3 = session_cookie(&r);
    assert_eq!(get(&w.app, "/werklijst", &s3).await.status, StatusCode::OK);
    let a = w.store.accounts().user("nieuw").unwrap().unwrap();
    assert!(!a.must_change_password);
    assert_eq!(a.totp_secret.as_deref(), Some(b32.as_str()));
}

#[tokio::test]
async fn a_bearer_token_records_only_its_facts() {
    let w = world();
    let now = vangnet_store::time::now();
    let mk = |id: &str, facts: &[&str], expires: jiff::Timestamp, revoked: bool| {
        let token = format!("geheim-token-{id}");
        w.store
            .accounts()
            .create_token(
                &AccessGate::system("test"),
                id,
                &token_hash(&token),
                &ApiToken {
                    id: id.into(),
                    naam: format!("koppeling {id}"),
                    actor: Actor {
                        user: format!("token:{id}"),
                        role: Role::Toegangsmedewerker,
                        organisation: cg(),
                    },
                    facts: facts.iter().map(|f| (*f).to_owned()).collect(),
                    created_by: "test".into(),
                    // Made a week ago (the store refuses a token that expires before it is
                    // made), so one can have expired already.
                    created_at: now - jiff::SignedDuration::from_hours(24 * 7),
                    expires_at: expires,
                    revoked_at: None,
                },
            )
            .unwrap();
        if revoked {
            w.store
                .accounts()
                .revoke_token(&AccessGate::system("test"), id, now)
                .unwrap();
        }
        token
    };
    let day = jiff::SignedDuration::from_hours(24);
    let good = mk("t1", &["aanmelding"], now + day, false);
    let narrow = mk("t2", &["beoordeling"], now + day, false);
    let expired = mk("t3", &["aanmelding"], now - day, false);
    let revoked = mk("t4", &["aanmelding"], now + day, true);
    let post = |token: &str, n: u32| {
        Request::post("/api/clienten")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(aanmelding(n).to_string()))
            .unwrap()
    };
    let before = w.store.event_count().unwrap();
    let r = send(&w.app, post(&narrow, 1)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    for t in [&expired, &revoked, &"onbekend".to_owned()] {
        let r = send(&w.app, post(t, 1)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{t}");
        assert!(r.body.contains("\"fout\""));
    }
    assert_eq!(w.store.event_count().unwrap(), before);
    // No CSRF token needed: no cookie is involved.
    let r = send(&w.app, post(&good, 1)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let log = w
        .store
        .access_log_filtered(
            &AccessGate::system("test"),
            &AccessLogFilter {
                user: Some("token:t1".into()),
                ..AccessLogFilter::newest(10)
            },
        )
        .unwrap();
    assert!(!log.is_empty());
    assert!(log.iter().all(|e| e.session.as_deref() == Some("token:t1")));
}

#[tokio::test]
async fn log_rows_carry_session_and_address() {
    let w = world();
    let cookie = w.app.cookie("auditor");
    let token = cookie.split_once('=').unwrap().1.to_owned();
    let r = get(&w.app, "/toegangslog", &cookie).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = get(&w.app, "/clienten/P00000001", &cookie).await;
    assert!(r.status.is_client_error());
    let log = w
        .store
        .access_log_filtered(
            &AccessGate::system("test"),
            &AccessLogFilter {
                user: Some("auditor".into()),
                ..AccessLogFilter::newest(10)
            },
        )
        .unwrap();
    assert!(!log.is_empty());
    let short: String = token_hash(&token).chars().take(12).collect();
    for e in &log {
        assert_eq!(e.session.as_deref(), Some(short.as_str()), "{e:?}");
        assert_eq!(e.address.as_deref(), Some("192.0.2.7"), "{e:?}");
        assert!(!e.session.as_deref().unwrap().contains(&token));
    }
    // Behind a trusted proxy: the last hop of X-Forwarded-For.
    let proxied = TestApp::new(AppState::new(Arc::clone(&w.store)).with_tls_proxy(true));
    let cookie = proxied.cookie("auditor");
    let r = send(
        &proxied,
        Request::get("/clienten/P00000002")
            .header(header::COOKIE, &cookie)
            .header("x-forwarded-for", "10.9.9.9, 203.0.113.5")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(r.status.is_client_error());
    let log = w.store.access_log(&AccessGate::system("test"), 1).unwrap();
    assert_eq!(log[0].address.as_deref(), Some("203.0.113.5"));
}

#[tokio::test]
async fn the_administrator_creates_users_and_tokens() {
    let w = world();
    let admin = "beheerder";
    let cookie = w.app.cookie(admin);
    let csrf = w.app.csrf(admin);
    let page = get(&w.app, "/beheer/gebruikers", &cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<label for=\"rol\""));
    let r = post_form(
        &w.app,
        "/beheer/gebruikers",
        &cookie,
        &[
            ("csrf", &csrf),
            ("id", "j.jansen"),
            ("naam", "Jan Jansen"),
            ("rol", "toegangsmedewerker"),
            ("organisatie", "regio:centraal-gelderland"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let otp = r
        .body
        .split("id=\"eenmalig\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned();
    let a = w.store.accounts().user("j.jansen").unwrap().unwrap();
    assert!(a.must_change_password);
    let r = login(&w.app, "j.jansen", &otp, &[]).await;
    assert_eq!(r.location(), "/account/wachtwoord", "{}", r.body);
    // A locked account: the page offers to lift the lock, which works.
    let now = vangnet_store::time::now();
    for _ in 0..vangnet_auth::policy::LOCK_AFTER {
        w.store.accounts().login_failed("j.jansen", now).unwrap();
    }
    let locked = |w: &World| {
        w.store
            .accounts()
            .user("j.jansen")
            .unwrap()
            .unwrap()
            .locked_until
            .is_some_and(|u| u > vangnet_store::time::now())
    };
    assert!(locked(&w));
    let page = get(&w.app, "/beheer/gebruikers", &cookie).await;
    assert!(page.body.contains("value=\"ontgrendelen\""));
    let r = post_form(
        &w.app,
        "/beheer/gebruikers/j.jansen",
        &cookie,
        &[("csrf", &csrf), ("actie", "ontgrendelen")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(!locked(&w), "the lock is lifted");
    // Without the token: refused, nothing created.
    let r = post_form(
        &w.app,
        "/beheer/gebruikers",
        &cookie,
        &[
            ("id", "x.y"),
            ("naam", "X"),
            ("rol", "analist"),
            ("organisatie", "vangnet"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(w.store.accounts().user("x.y").unwrap().is_none());
    // Not for anyone else.
    let r = get(&w.app, "/beheer/gebruikers", &w.app.cookie("auditor")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A token, shown once, then revoked.
    let r = post_form(
        &w.app,
        "/beheer/tokens",
        &cookie,
        &[
            ("csrf", &csrf),
            ("naam", "koppeling"),
            ("rol", "toegangsmedewerker"),
            ("organisatie", "regio:centraal-gelderland"),
            ("feiten", "aanmelding"),
            ("dagen", "30"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tokens = w.store.accounts().tokens().unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].facts, ["aanmelding"]);
    let id = tokens[0].id.clone();
    let r = post_form(
        &w.app,
        &format!("/beheer/tokens/{id}/intrekken"),
        &cookie,
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(w.store.accounts().tokens().unwrap()[0].revoked_at.is_some());
}
