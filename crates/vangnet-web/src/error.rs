//! One error type for every handler: [`WebError`], a status with a Dutch message, optionally
//! the field it is about and a stable code, answered as the Dutch HTML error page or as JSON
//! `{"fout", "veld", "code"}`.
//!
//! Handlers return `Result<Response, WebError>` (or build one with a constructor) and use `?`
//! on store calls: [`From<StoreError>`] picks the status, the message and the code, and logs
//! database failures with their cause (never shown to the user). An HTML error is rendered
//! twice at most: [`IntoResponse`] gives a page without the header's user (it has no state),
//! and the router's `finish` middleware renders it again inside the full frame with the
//! viewer — so a handler needs neither the state nor the viewer to fail. Under `/api/` every
//! error is JSON, also one a handler built as HTML (and the 500 of a panic).

use std::borrow::Cow;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::json;
use vangnet_domain::{ClientId, Regions};
use vangnet_store::{DatabaseFault, StoreError};

use crate::AppState;
use crate::html::{self, Nav};
use crate::users::{DemoUser, Viewer};

/// Seconds a client is asked to wait before retrying after a 503.
pub const RETRY_AFTER_SECONDS: u32 = 2;

/// How an error is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The Dutch error page.
    Html,
    /// `{"fout": message, "veld": field, "code": code}`.
    Json,
}

/// What the front door adds to a refusal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontDoorDetail {
    /// Facts still missing (a decision blocked by unknown facts; JSON `ontbrekend`, left out
    /// when empty).
    pub ontbrekend: Vec<String>,
    /// An existing client with the same BSN (duplicate detection; JSON `bestaande_client`).
    pub bestaande_client: Option<ClientId>,
    /// Whether that existing client still has an open case (JSON `open_casus`).
    pub open_casus: Option<bool>,
    /// Further fields refused in the same form, each with its message (JSON `fouten`
    /// together with the first, left out when empty): a form lists every error at once.
    pub more_fields: Vec<(String, String)>,
    /// feat/zoeken: the name of the other region the existing client is under (JSON
    /// `andere_regio`).
    pub andere_regio: Option<String>,
    /// feat/zoeken: the person as known under the BSN when the entered name or birth date
    /// differ — (name, birth date), for a clerk who may read the record (JSON
    /// `bekende_persoon`).
    pub bekende_persoon: Option<(String, vangnet_domain::Date)>,
}

/// An error answer: status, Dutch message, optionally the field and a stable code.
#[derive(Debug, Clone)]
pub struct WebError {
    /// HTTP status.
    pub status: StatusCode,
    /// What went wrong, in Dutch, for the user.
    pub message: Cow<'static, str>,
    /// The input field it is about (form field or JSON key), if any.
    pub field: Option<Cow<'static, str>>,
    /// A stable machine-readable code (`geen_toegang`, `niet_gevonden`, `bezet`, …), if any.
    pub code: Option<&'static str>,
    /// What the front door adds to a refusal (boxed: most errors have none).
    pub detail: Option<Box<FrontDoorDetail>>,
    /// Page or JSON.
    pub kind: Kind,
    /// Heading of the page (default: from the status).
    title: Option<Cow<'static, str>>,
    /// The attempt is in the access log (said on the page and in the JSON message).
    logged: bool,
}

impl WebError {
    /// An error with `status` and a Dutch `message`, as a page.
    pub fn new(status: StatusCode, message: impl Into<Cow<'static, str>>) -> WebError {
        WebError {
            status,
            message: message.into(),
            field: None,
            code: None,
            detail: None,
            kind: Kind::Html,
            title: None,
            logged: false,
        }
    }

    /// 400: the request itself is malformed.
    pub fn bad_request(message: impl Into<Cow<'static, str>>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, message).code("ongeldig_verzoek")
    }

    /// 403: not allowed (nothing was read).
    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> WebError {
        WebError::new(StatusCode::FORBIDDEN, message).code("geen_toegang")
    }

    /// 404: no such thing.
    pub fn not_found(message: impl Into<Cow<'static, str>>) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, message).code("niet_gevonden")
    }

    /// 422: input that cannot be used.
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> WebError {
        WebError::new(StatusCode::UNPROCESSABLE_ENTITY, message).code("ongeldig")
    }

    /// 422 about `field`: input that cannot be used.
    pub fn invalid_field(
        field: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> WebError {
        WebError::invalid(message).field(field)
    }

    /// 409: the request clashes with what is stored.
    pub fn conflict(message: impl Into<Cow<'static, str>>) -> WebError {
        WebError::new(StatusCode::CONFLICT, message).code("conflict")
    }

    /// 422: refused by the rule with the stable `code`, about `field`.
    pub fn rule(
        code: &'static str,
        field: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> WebError {
        WebError::invalid(message).field(field).code(code)
    }

    /// 500 after a failure whose cause was logged where it happened.
    pub fn internal() -> WebError {
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Er ging iets mis door een storing. Probeer het later opnieuw.",
        )
        .code("storing")
    }

    /// 503: the database is busy or unreachable; nothing was written, try again shortly
    /// (with `Retry-After`).
    pub fn unavailable() -> WebError {
        WebError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Vangnet is even bezet of de database is even niet bereikbaar. Er is niets opgeslagen; probeer het zo opnieuw.",
        )
        .code("bezet")
    }

    /// The same error as JSON.
    pub fn json(mut self) -> WebError {
        self.kind = Kind::Json;
        self
    }

    /// With the field it is about.
    pub fn field(mut self, field: impl Into<Cow<'static, str>>) -> WebError {
        self.field = Some(field.into());
        self
    }

    /// With a stable code.
    pub fn code(mut self, code: &'static str) -> WebError {
        self.code = Some(code);
        self
    }

    /// With a further refused field of the same form (see [`WebError::field_errors`]).
    pub fn also(mut self, field: impl Into<String>, message: impl Into<String>) -> WebError {
        self.detail
            .get_or_insert_default()
            .more_fields
            .push((field.into(), message.into()));
        self
    }

    /// Every refused field with its message, the main one first (empty for an error not about
    /// a field).
    pub fn field_errors(&self) -> Vec<(&str, &str)> {
        let more = self.detail.as_deref().map_or(&[][..], |d| &d.more_fields);
        self.field
            .as_deref()
            .map(|f| (f, &*self.message))
            .into_iter()
            .chain(more.iter().map(|(f, m)| (f.as_str(), m.as_str())))
            .collect()
    }

    /// The message for `field`, if this error refuses it.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.field_errors()
            .into_iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m)
    }

    /// With the facts still missing (a blocked decision).
    pub fn missing(mut self, ontbrekend: Vec<String>) -> WebError {
        self.detail.get_or_insert_default().ontbrekend = ontbrekend;
        self
    }

    /// With the existing client found by duplicate detection, and whether its case is open.
    pub fn existing(mut self, client: ClientId, open_casus: bool) -> WebError {
        let d = self.detail.get_or_insert_default();
        d.bestaande_client = Some(client);
        d.open_casus = Some(open_casus);
        self
    }

    /// feat/zoeken: the existing client is under another region, named `regio`.
    pub fn other_region(mut self, regio: String) -> WebError {
        self.detail.get_or_insert_default().andere_regio = Some(regio);
        self
    }

    /// feat/zoeken: the person as known under the BSN (name, birth date).
    pub fn known_person(mut self, naam: String, geboortedatum: vangnet_domain::Date) -> WebError {
        self.detail.get_or_insert_default().bekende_persoon = Some((naam, geboortedatum));
        self
    }

    /// feat/zoeken: the other region and the person as known, if any.
    pub fn elsewhere_detail(&self) -> (Option<&str>, Option<&(String, vangnet_domain::Date)>) {
        self.detail.as_deref().map_or((None, None), |d| {
            (d.andere_regio.as_deref(), d.bekende_persoon.as_ref())
        })
    }

    /// The facts still missing (empty when none).
    pub fn ontbrekend(&self) -> &[String] {
        self.detail.as_deref().map_or(&[], |d| &d.ontbrekend)
    }

    /// The existing client found by duplicate detection and whether its case is open.
    pub fn bestaande_client(&self) -> Option<(ClientId, bool)> {
        let d = self.detail.as_deref()?;
        Some((d.bestaande_client?, d.open_casus.unwrap_or(true)))
    }

    /// With another status.
    pub fn with_status(mut self, status: StatusCode) -> WebError {
        self.status = status;
        self
    }

    /// With a page heading other than the status's.
    pub fn titled(mut self, title: impl Into<Cow<'static, str>>) -> WebError {
        self.title = Some(title.into());
        self
    }

    /// Say that the attempt is in the access log.
    pub fn logged(mut self, logged: bool) -> WebError {
        self.logged = logged;
        self
    }

    /// The page heading.
    pub fn title(&self) -> &str {
        if let Some(t) = &self.title {
            return t;
        }
        match self.status {
            StatusCode::FORBIDDEN => "Geen toegang",
            StatusCode::NOT_FOUND => "Niet gevonden",
            StatusCode::UNPROCESSABLE_ENTITY => "Gegevens niet geldig",
            StatusCode::CONFLICT => "Conflict",
            StatusCode::BAD_REQUEST => "Ongeldig verzoek",
            StatusCode::UNAUTHORIZED => "Niet ingelogd",
            StatusCode::SERVICE_UNAVAILABLE => "Even niet beschikbaar",
            _ => "Er ging iets mis",
        }
    }

    /// The message as the JSON `fout` (with the access-log remark when it applies).
    fn json_message(&self) -> String {
        if self.logged {
            format!(
                "{} Deze poging is vastgelegd in het toegangslog.",
                self.message
            )
        } else {
            self.message.clone().into_owned()
        }
    }

    /// The JSON answer.
    fn json_response(&self) -> Response {
        let mut body = json!({
            "fout": self.json_message(),
            "veld": self.field,
            "code": self.code,
        });
        if let Some(d) = &self.detail {
            if !d.ontbrekend.is_empty() {
                body["ontbrekend"] = json!(d.ontbrekend);
            }
            if let Some(c) = d.bestaande_client {
                body["bestaande_client"] = json!(c);
            }
            if let Some(o) = d.open_casus {
                body["open_casus"] = json!(o);
            }
            if !d.more_fields.is_empty() {
                body["fouten"] = self
                    .field_errors()
                    .into_iter()
                    .map(|(veld, fout)| json!({ "veld": veld, "fout": fout }))
                    .collect();
            }
            if let Some(r) = &d.andere_regio {
                body["andere_regio"] = json!(r);
            }
            if let Some((naam, geboren)) = &d.bekende_persoon {
                body["bekende_persoon"] =
                    json!({"naam": naam, "geboortedatum": geboren.to_string()});
            }
        }
        self.with_headers((self.status, Json(body)).into_response())
    }

    /// The full page, with the header's user and the regions' names.
    pub(crate) fn page(&self, regions: &Regions, viewer: Option<&DemoUser>) -> Response {
        let title = self.title();
        let markup = html::page(
            title,
            viewer,
            regions,
            &Nav::None,
            html::error(title, &self.message, self.logged),
        );
        self.with_headers((self.status, Html(markup.into_string())).into_response())
    }

    /// The full page for `st`.
    pub(crate) fn render(&self, st: &AppState, viewer: Option<&DemoUser>) -> Response {
        self.page(st.store().regions(), viewer)
    }

    fn with_headers(&self, mut r: Response) -> Response {
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        r
    }
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.message)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut r = match self.kind {
            Kind::Json => self.json_response(),
            Kind::Html => self.page(&Regions::default(), None),
        };
        // For `finish`: render again in the full frame (HTML) or as JSON under /api/.
        r.extensions_mut().insert(self);
        r
    }
}

/// The HTTP status for a store error: refused 403, unknown client 404, broken rule or bad
/// input 422, concurrency and idempotency clashes 409, database busy or unreachable 503,
/// other database failures 500.
pub fn status_of(e: &StoreError) -> StatusCode {
    match e {
        StoreError::Denied(_) => StatusCode::FORBIDDEN,
        StoreError::NotFound(_) | StoreError::AccountNotFound(_) => StatusCode::NOT_FOUND,
        StoreError::AccountConflict(_) => StatusCode::CONFLICT,
        StoreError::Rule { .. } | StoreError::Invalid(_) | StoreError::Person(_) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        StoreError::Conflict { .. } | StoreError::Replay { .. } | StoreError::KeyReused(_) => {
            StatusCode::CONFLICT
        }
        StoreError::Database {
            kind: DatabaseFault::Unavailable,
            ..
        } => StatusCode::SERVICE_UNAVAILABLE,
        StoreError::Database { .. } | StoreError::Backend(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A message `veld: rest` (as [`StoreError::Person`] and [`StoreError::Invalid`] write
/// them) split into the field and the rest.
fn split_field(m: &str) -> Option<(&str, &str)> {
    m.split_once(": ")
        .filter(|(f, _)| !f.is_empty() && !f.contains(' '))
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> WebError {
        WebError::from(&e)
    }
}

impl From<&StoreError> for WebError {
    fn from(e: &StoreError) -> WebError {
        let status = status_of(e);
        match e {
            StoreError::Denied(_) => WebError::forbidden(
                "U heeft geen toegang tot deze gegevens: uw rol en organisatie geven daar geen recht op.",
            )
            .logged(true),
            StoreError::NotFound(c) => {
                WebError::not_found(format!("Er is geen cliënt met nummer {c}."))
            }
            StoreError::AccountConflict(m) | StoreError::AccountNotFound(m) => {
                WebError::new(status, m.clone()).field("id")
            }
            StoreError::Rule { error, .. } => WebError::new(status, error.message.clone())
                .field(error.field)
                .code(error.code),
            StoreError::Invalid(m) | StoreError::Person(m) => {
                let w = WebError::new(status, e.to_string()).code(
                    if matches!(e, StoreError::Person(_)) {
                        "persoon"
                    } else {
                        "ongeldig"
                    },
                );
                match split_field(m) {
                    // The field apart, the message without it (shown next to the field).
                    Some((f, rest)) => {
                        let mut w = w.field(f.to_owned());
                        w.message = rest.to_owned().into();
                        w
                    }
                    None => w,
                }
            }
            StoreError::Conflict {
                expected, actual, ..
            } => WebError::new(
                status,
                format!(
                    "iemand anders heeft dit dossier intussen gewijzigd (u werkte met versie {}, nu is het versie {actual}); er is niets opgeslagen — laad het dossier opnieuw en controleer uw invoer",
                    expected.map_or("nieuw".to_owned(), |v| v.to_string())
                ),
            )
            .field("expected_version")
            .code("conflict"),
            StoreError::Replay { .. } => WebError::new(status, e.to_string())
                .field("idempotency_key")
                .code("al_verwerkt"),
            StoreError::KeyReused(_) => WebError::new(
                status,
                "deze formuliersleutel is al gebruikt voor een ander verzoek; open het formulier opnieuw",
            )
                .field("idempotency_key")
                .code("sleutel_hergebruikt"),
            StoreError::Database {
                kind: DatabaseFault::Unavailable,
                ..
            } => {
                tracing::warn!(fout = %e.detail(), "database bezet of niet bereikbaar");
                WebError::unavailable()
            }
            StoreError::Database { .. } | StoreError::Backend(_) => {
                tracing::error!(fout = %e.detail(), "databasefout");
                WebError::new(
                    status,
                    "De gegevens konden niet worden opgehaald door een storing. Probeer het later opnieuw.",
                )
                .code("storing")
            }
        }
    }
}

/// The query string deserialized into `T`, or a Dutch 400 (axum's own extractor answers in
/// English, e.g. for a parameter given twice where one is expected: `?product=a&product=b`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(WebError::from)
    }
}

impl From<QueryRejection> for WebError {
    fn from(e: QueryRejection) -> WebError {
        // serde names the parameter between backticks ("duplicate field `product`").
        let detail = e.body_text();
        let name = detail
            .split('`')
            .nth(1)
            .filter(|n| !n.is_empty() && n.len() <= 40);
        let w = WebError::bad_request(match name {
            Some(n) => format!(
                "De zoekparameter '{n}' in het adres is niet geldig: geef hem hoogstens één keer, met een geldige waarde."
            ),
            None => "De zoekparameters in het adres zijn niet geldig: geef elke parameter hoogstens één keer, met een geldige waarde.".to_owned(),
        })
        .titled("Ongeldig adres");
        match name {
            Some(n) => w.field(n.to_owned()),
            None => w,
        }
    }
}

/// Middleware (inside the login middleware): puts the user's id on the request's log span,
/// and renders every [`WebError`] answer in its final form — the page in the full frame with
/// the viewer, or JSON for a path under `/api/`.
pub(crate) async fn finish(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let viewer = req.extensions().get::<Viewer>().and_then(|v| v.0.clone());
    if let Some(u) = &viewer {
        tracing::Span::current().record("user", u.id.as_str());
    }
    let api = req.uri().path().starts_with("/api/");
    let mut resp = next.run(req).await;
    let Some(e) = resp.extensions_mut().remove::<WebError>() else {
        return resp;
    };
    let mut fresh = if api || e.kind == Kind::Json {
        e.json_response()
    } else {
        e.render(&st, viewer.as_ref())
    };
    // Keep what the handler added (e.g. a cookie).
    for (name, value) in resp.headers() {
        if !fresh.headers().contains_key(name) {
            fresh.headers_mut().append(name, value.clone());
        }
    }
    fresh
}

/// The answer for a handler that panicked (tower-http's catch-panic layer): logged, then the
/// 500 page — rendered in full by [`finish`]. The panic's own message and place are logged by
/// the panic hook (the binary installs one that writes through `tracing`).
pub(crate) fn panic_response(_payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("paniek in de afhandeling van een verzoek; antwoord 500");
    WebError::internal().into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(r: Response) -> String {
        let b = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(b.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn json_has_fout_veld_and_code() {
        let r = WebError::invalid("datum: '2024-13-01' bestaat niet")
            .field("datum")
            .json()
            .into_response();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let v: serde_json::Value = serde_json::from_str(&body(r).await).unwrap();
        assert_eq!(v["fout"], "datum: '2024-13-01' bestaat niet");
        assert_eq!(v["veld"], "datum");
        assert_eq!(v["code"], "ongeldig");
    }

    #[tokio::test]
    async fn html_is_the_dutch_error_page() {
        let r = WebError::from(StoreError::Denied("x".into())).into_response();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let b = body(r).await;
        assert!(b.contains("<html lang=\"nl\""), "{b}");
        assert!(b.contains("Geen toegang"));
        assert!(b.contains("vastgelegd in het toegangslog"));
    }

    #[tokio::test]
    async fn a_busy_database_is_503_with_retry_after() {
        let busy = StoreError::database(
            DatabaseFault::Unavailable,
            std::io::Error::other("database is locked"),
        );
        let r = WebError::from(busy).json().into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            r.headers().get(header::RETRY_AFTER).unwrap(),
            &RETRY_AFTER_SECONDS.to_string()
        );
        let v: serde_json::Value = serde_json::from_str(&body(r).await).unwrap();
        let fout = v["fout"].as_str().unwrap();
        assert!(fout.contains("probeer het zo opnieuw"), "{fout}");
        assert!(!fout.contains("locked"), "no driver detail for the user");
        assert_eq!(v["code"], "bezet");

        let failed = StoreError::database(DatabaseFault::Failed, std::io::Error::other("disk"));
        let r = WebError::from(failed).into_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(r.headers().get(header::RETRY_AFTER).is_none());
        assert!(!body(r).await.contains("disk"));
    }

    #[tokio::test]
    async fn front_door_detail_is_in_the_json_only_when_set() {
        let r = WebError::rule("aanmelding.bsn_bestaat", "bsn", "er bestaat al een cliënt")
            .with_status(StatusCode::CONFLICT)
            .existing(ClientId(42), false)
            .json()
            .into_response();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let v: serde_json::Value = serde_json::from_str(&body(r).await).unwrap();
        assert_eq!(v["code"], "aanmelding.bsn_bestaat");
        assert_eq!(v["bestaande_client"], ClientId(42).to_string());
        assert_eq!(v["open_casus"], false);
        assert!(v.get("ontbrekend").is_none());

        let e = WebError::rule("besluit.feiten_onbekend", "beoordeling", "nog niet")
            .missing(vec!["ZRM".into()]);
        assert_eq!(e.ontbrekend(), ["ZRM".to_owned()]);
        assert_eq!(e.bestaande_client(), None);
        let v: serde_json::Value =
            serde_json::from_str(&body(e.json().into_response()).await).unwrap();
        assert_eq!(v["ontbrekend"], serde_json::json!(["ZRM"]));
        assert!(v.get("bestaande_client").is_none());
        assert!(v.get("open_casus").is_none());
    }

    #[test]
    fn a_rule_error_keeps_its_code_and_field() {
        let e = WebError::from(StoreError::Rule {
            index: 0,
            error: vangnet_domain::RuleError::new(
                "toewijzing.einde_voor_start",
                "einde",
                "de laatste dag ligt voor de eerste",
            ),
        });
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.code, Some("toewijzing.einde_voor_start"));
        assert_eq!(e.field.as_deref(), Some("einde"));
        assert_eq!(e.message, "de laatste dag ligt voor de eerste");
        let e = WebError::from(StoreError::Invalid("bsn: elfproef klopt niet".into()));
        assert_eq!(e.message, "elfproef klopt niet", "the field apart");
    }

    #[derive(Debug, serde::Deserialize)]
    struct OneProduct {
        #[allow(dead_code)]
        product: Option<String>,
    }

    async fn query_of<T: DeserializeOwned>(uri: &str) -> Result<Query<T>, WebError> {
        let (mut parts, ()) = axum::http::Request::get(uri).body(()).unwrap().into_parts();
        Query::<T>::from_request_parts(&mut parts, &()).await
    }

    #[tokio::test]
    async fn a_bad_query_is_a_dutch_400_naming_the_parameter() {
        assert!(query_of::<OneProduct>("/x?product=a").await.is_ok());
        let e = query_of::<OneProduct>("/x?product=a&product=b")
            .await
            .unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.field.as_deref(), Some("product"));
        assert!(e.message.contains("'product'"), "{}", e.message);
        assert!(!e.message.contains("Failed"), "{}", e.message);
        let b = body(e.into_response()).await;
        assert!(b.contains("<html lang=\"nl\""), "{b}");
        assert!(!b.contains("deserialize"), "{b}");
    }

    #[test]
    fn store_errors_name_their_field() {
        let e = WebError::from(StoreError::Invalid("bsn: elfproef klopt niet".into()));
        assert_eq!(e.field.as_deref(), Some("bsn"));
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        let e = WebError::from(StoreError::Invalid("geen gebeurtenissen".into()));
        assert_eq!(e.field, None);
        let e = WebError::from(StoreError::Conflict {
            client: ClientId(1),
            expected: Some(1),
            actual: 2,
        });
        assert_eq!(
            (e.status, e.field.as_deref(), e.code),
            (
                StatusCode::CONFLICT,
                Some("expected_version"),
                Some("conflict")
            )
        );
        assert_eq!(
            WebError::from(StoreError::NotFound(ClientId(7))).status,
            StatusCode::NOT_FOUND
        );
    }
}
