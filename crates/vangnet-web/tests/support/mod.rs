//! Shared by the web tests: the router with its state in demo mode, and a real session per
//! demo user ([`AppState::demo_session`]) with its CSRF token — instead of the old forgeable
//! `vangnet_gebruiker=<id>` cookie.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Mutex;

use axum::Router;
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
