//! Vangnet's web application: server-rendered HTML pages (maud, auto-escaping) and a small
//! JSON API over the event store.
//!
//! Architecture rules this crate keeps:
//!
//! - **Every request has an actor.** The demo ships one user per role ([`demo_users`]); the
//!   current user comes from the `vangnet_gebruiker` cookie. Without it, every page except
//!   `/`, `/inloggen`, `/static/*` and `/gezondheid` redirects to `/inloggen` (the JSON API
//!   answers 401 instead).
//! - **Client data only through the gate.** Every handler that touches client data builds an
//!   [`vangnet_store::AccessGate`] with the user's actor and a Dutch purpose; the store
//!   decides and writes the access-log entry (refusals too). Nothing here bypasses it.
//! - **Aggregates protect small numbers.** Exact figures are for the region's own access team;
//!   everyone else sees published figures with small-number suppression ([`figures`]).
//! - **The store is synchronous**; handlers call it on blocking threads.
//!
//! Routes: `/`, `/inloggen` (GET, POST), `/uitloggen`, `/regio/{id}`, `/clienten/{id}`,
//! `/toegangslog`, `/prognose`, `/monitor` and `/monitor/{regio}` (with `/definities`,
//! `/rapport`, `/export.csv`, `/export.xlsx`), `/api/regio/{id}/overzicht`,
//! `/api/monitor/{regio}`, `/api/clienten/{id}`, `/gezondheid`, `/static/vangnet.css`,
//! `/static/vangnet.svg`.

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use vangnet_store::{Store, StoreError, StoreResult};

mod acties;
mod api;
mod charts;
pub mod figures;
pub mod forecast;
mod html;
mod inzage;
pub mod labels;
pub mod monitor;
mod monitor_pages;
mod pages;
pub mod users;
pub mod voordeur;
mod voordeur_api;
mod voordeur_pages;

pub use users::{DemoUser, demo_users};

/// Shared state of the web application: the store and the demo users.
#[derive(Clone)]
pub struct AppState {
    store: Arc<dyn Store>,
    users: Arc<Vec<DemoUser>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("engine", &self.store.engine())
            .field("users", &self.users.len())
            .finish()
    }
}

impl AppState {
    /// State over `store`, with the demo users generated from the store's regions.
    pub fn new(store: Arc<dyn Store>) -> AppState {
        let users = Arc::new(demo_users(store.regions()));
        AppState { store, users }
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
                Err(StoreError::Backend(format!(
                    "achtergrondtaak afgebroken: {e}"
                )))
            })
    }
}

/// The application's routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route(
            "/inloggen",
            get(pages::login_form).post(pages::login_submit),
        )
        .route("/uitloggen", get(pages::logout).post(pages::logout))
        .route("/regio/{id}", get(pages::region))
        .route("/clienten/{id}", get(pages::client))
        .route("/clienten/{id}/inzage", get(inzage::page))
        .route("/clienten/{id}/inzage.csv", get(inzage::csv))
        .route("/toegangslog", get(pages::access_log))
        .route("/toegangslog.csv", get(pages::access_log_csv))
        .route("/toegangslog.xlsx", get(pages::access_log_xlsx))
        .route("/prognose", get(forecast::page))
        .route("/prognose/export.csv", get(forecast::export_csv))
        .route("/prognose/export.xlsx", get(forecast::export_xlsx))
        .route("/api/regio/{id}/overzicht", get(api::region_overview))
        .route("/api/clienten/{id}", get(api::client))
        .route("/api/clienten", post(voordeur_api::aanmelden))
        .route(
            "/api/clienten/{id}/gebeurtenissen",
            post(voordeur_api::gebeurtenis),
        )
        .route(
            "/api/clienten/{id}/beoordeling",
            get(voordeur_api::beoordeling),
        )
        .route(
            "/aanmelden",
            get(voordeur_pages::aanmelden_form).post(voordeur_pages::aanmelden_submit),
        )
        .route(
            "/clienten/{id}/gebeurtenis",
            post(voordeur_pages::gebeurtenis_submit),
        )
        .route(
            "/clienten/{id}/besluitbrief",
            get(voordeur_pages::besluitbrief),
        )
        .route("/regio/{id}/wachtlijst", get(voordeur_pages::wachtlijst))
        .route("/werklijst", get(voordeur_pages::werklijst))
        .route("/monitor/{regio}/acties", get(acties::page))
        .route("/monitor", get(monitor_pages::start))
        .route("/monitor/{regio}", get(monitor_pages::page))
        .route(
            "/monitor/{regio}/definities",
            get(monitor_pages::definities),
        )
        .route("/monitor/{regio}/rapport", get(monitor_pages::rapport))
        .route(
            "/monitor/{regio}/export.csv",
            get(monitor_pages::export_csv),
        )
        .route(
            "/monitor/{regio}/export.xlsx",
            get(monitor_pages::export_xlsx),
        )
        .route("/api/monitor/{regio}", get(monitor_pages::api))
        .route("/gezondheid", get(|| async { "ok" }))
        .route("/static/vangnet.css", get(pages::stylesheet))
        .route("/static/vangnet.svg", get(pages::icon))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            users::require_login,
        ))
        .with_state(state)
}

/// The HTTP status for a store error: refused 403, unknown client 404, broken rule or bad
/// input 422, concurrency and idempotency clashes 409, database failure 500.
pub fn status_of(e: &StoreError) -> StatusCode {
    match e {
        StoreError::Denied(_) => StatusCode::FORBIDDEN,
        StoreError::NotFound(_) => StatusCode::NOT_FOUND,
        StoreError::Rule { .. } | StoreError::Invalid(_) | StoreError::Person(_) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        StoreError::Conflict { .. } | StoreError::Replay { .. } | StoreError::KeyReused(_) => {
            StatusCode::CONFLICT
        }
        StoreError::Backend(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Serve the application on `listener` until `shutdown` completes (graceful: requests in
/// flight are finished).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
