//! Demo users and the login cookie.
//!
//! This is a **demo login**: one synthetic user per role (DOMAIN.md §2), chosen with a button,
//! remembered in the cookie `vangnet_gebruiker=<id>`. Real accounts with a second factor come
//! later; the rest of the application only ever sees an [`Actor`], so replacing this module
//! changes nothing else.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use vangnet_domain::{Actor, Organisation, Regions, Role};

use crate::{AppState, WebError};

/// Name of the login cookie.
pub const COOKIE: &str = "vangnet_gebruiker";

/// A user one can log in as in the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// Stable slug, the cookie value (e.g. `toegang-centraal-gelderland`).
    pub id: String,
    /// Display name (synthetic).
    pub naam: String,
    /// Who this user acts as.
    pub actor: Actor,
}

const TOEGANG_NAMEN: &[&str] = &[
    "Sanne Visser",
    "Youssef El Amrani",
    "Marieke de Boer",
    "Dennis Bakker",
    "Noor Hendriks",
    "Lars Mulder",
];

/// The demo users for these regions, in display order: a toegangsmedewerker for each region,
/// then a wijkteam and a beleidsmedewerker of the first region's centrumgemeente, a
/// zorgaanbieder (the first region's first provider), a woningcorporatie, a regional analyst
/// (first region) and an auditor. Roles that need a region are left out when there is none.
pub fn demo_users(regions: &Regions) -> Vec<DemoUser> {
    let user = |id: String, naam: &str, role: Role, organisation: Organisation| DemoUser {
        actor: Actor {
            user: id.clone(),
            role,
            organisation,
        },
        id,
        naam: naam.to_owned(),
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
    out.push(user(
        "woningcorporatie".into(),
        "Anouk Willems",
        Role::Woningcorporatie,
        Organisation::Corporatie("Woonstichting Vangnet-demo (fictief)".into()),
    ));
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

/// The `Set-Cookie` value that logs `id` in.
pub(crate) fn login_cookie(id: &str) -> String {
    format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax")
}

/// The `Set-Cookie` value that logs out.
pub(crate) fn logout_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// Who is looking: the logged-in demo user, if any. Put in the request by [`require_login`].
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

/// A logged-in demo user; extracting it without one redirects to the login page.
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
}

/// Percent-encode a path (with query) for use as a query parameter value
/// (`application/x-www-form-urlencoded`, as the query is decoded).
pub(crate) fn encode_component(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Middleware: resolve the cookie to a [`Viewer`], send anonymous visitors of non-public
/// pages to the login page (the API answers 401 in JSON), and add security headers to every
/// response.
pub(crate) async fn require_login(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let user = cookie_value(req.headers(), COOKIE)
        .and_then(|id| state.user(id))
        .cloned();
    let path = req.uri().path().to_owned();
    let mut resp = if user.is_none() && !is_public(&path) {
        if path.starts_with("/api/") {
            WebError::new(
                StatusCode::UNAUTHORIZED,
                "niet ingelogd: kies eerst een gebruiker via /inloggen",
            )
            .code("niet_ingelogd")
            .json()
            .into_response()
        } else {
            let target = req
                .uri()
                .path_and_query()
                .map_or(path.clone(), |pq| pq.as_str().to_owned());
            Redirect::to(&format!("/inloggen?terug={}", encode_component(&target))).into_response()
        }
    } else {
        req.extensions_mut().insert(Viewer(user));
        next.run(req).await
    };
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !path.starts_with("/static/") {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
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
        for role in [
            Role::Wijkteam,
            Role::Zorgaanbieder,
            Role::Woningcorporatie,
            Role::Beleidsmedewerker,
            Role::Analist,
            Role::Auditor,
        ] {
            assert_eq!(
                users.iter().filter(|u| u.actor.role == role).count(),
                1,
                "{role:?}"
            );
        }
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
        assert_eq!(cookie_value(&h, COOKIE), Some("auditor"));
        assert_eq!(cookie_value(&h, "c"), None);
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("x=y"));
        h.append(
            header::COOKIE,
            HeaderValue::from_static("vangnet_gebruiker=analist"),
        );
        assert_eq!(cookie_value(&h, COOKIE), Some("analist"));
    }

    #[test]
    fn only_local_paths_are_returned_to() {
        assert!(safe_return("/regio/drechtsteden"));
        assert!(!safe_return("//evil.example"));
        assert!(!safe_return("https://evil.example"));
        assert!(!safe_return("/\\evil"));
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
