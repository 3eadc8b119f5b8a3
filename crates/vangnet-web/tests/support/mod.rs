//! Shared by the web tests: the router with its state in demo mode, and a real session per
//! demo user ([`AppState::demo_session`]) with its CSRF token — instead of the old forgeable
//! `vangnet_gebruiker=<id>` cookie; and a request's answer read to the end ([`Reply`]).

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Mutex;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use tower::ServiceExt;
use vangnet_web::{AppState, router};

/// The router over a state with demo login on, and the sessions made so far.
pub struct TestApp {
    /// The application.
    pub router: Router,
    /// Its state.
    pub state: AppState,
    sessions: Mutex<HashMap<String, (String, String)>>,
}

impl std::ops::Deref for TestApp {
    type Target = Router;
    fn deref(&self) -> &Router {
        &self.router
    }
}

impl TestApp {
    /// The application over `state`, with demo login on.
    pub fn new(state: AppState) -> TestApp {
        let state = state.with_demo_login(true);
        TestApp {
            router: router(state.clone()),
            state,
            sessions: Mutex::new(HashMap::new()),
        }
    }

    fn session(&self, user: &str) -> (String, String) {
        let mut m = self.sessions.lock().unwrap();
        if let Some(s) = m.get(user) {
            return s.clone();
        }
        let s = if self.state.user(user).is_some() {
            off_runtime(|| {
                let cookie = self.state.demo_session(user);
                let csrf = self
                    .state
                    .csrf_of(&cookie)
                    .expect("csrf of a fresh session");
                (cookie, csrf)
            })
        } else {
            // Not a demo user: a session cookie that names no session.
            (format!("vangnet_sessie=onbekend-{user}"), String::new())
        };
        m.insert(user.to_owned(), s.clone());
        s
    }

    /// The `Cookie` header value of a complete demo session of `user` (one per user).
    pub fn cookie(&self, user: &str) -> String {
        self.session(user).0
    }

    /// The CSRF token of that session.
    pub fn csrf(&self, user: &str) -> String {
        self.session(user).1
    }

    /// `req` with `user`'s session cookie and CSRF header.
    pub fn as_user(
        &self,
        req: axum::http::request::Builder,
        user: &str,
    ) -> axum::http::request::Builder {
        let (cookie, csrf) = self.session(user);
        req.header(axum::http::header::COOKIE, cookie)
            .header("x-csrf-token", csrf)
    }
}

/// Run a synchronous store call from async test code: on a thread of its own, outside the
/// test's runtime (the PostgreSQL client runs its own runtime and may not be called from
/// inside another one; works with either runtime flavour).
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().expect("store call panicked"))
}

/// An answer read to the end.
pub struct Reply {
    /// Its status.
    pub status: StatusCode,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body (must be UTF-8).
    pub body: String,
}

impl Reply {
    /// The `Location` header, empty without one.
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map_or("", |v| v.to_str().unwrap())
    }

    /// The value of cookie `name` set by this answer.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap().to_owned())
    }

    /// The body as JSON (panics, showing the body, when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Send `req` to `app` and read the whole answer.
pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

/// Store `demo` (its people, then all its events as one import) as the system.
pub fn import_demo(store: &dyn vangnet_store::Store, demo: vangnet_demo::Demo) {
    use vangnet_store::AccessGate;
    use vangnet_store::{ImportMode, ImportRow};
    let sys = AccessGate::system("demo");
    store.put_persons(&sys, &demo.persons).unwrap();
    let mut rows = demo.events.into_iter().map(|e| Ok(ImportRow::from(e)));
    let r = store
        .import(&sys, &mut rows, ImportMode::AllOrNothing, &|_| {})
        .unwrap();
    assert!(r.committed);
}
