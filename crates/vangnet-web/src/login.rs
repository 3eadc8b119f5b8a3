//! Logging in and out: the demo's one-click login, password login (argon2id through
//! `vangnet-auth`), the steps after the password — a new password after a one-time password
//! (`/account/wachtwoord`), enrolment of a TOTP second factor (`/account/tweede-factor`) and
//! the code (`/inloggen/code`) — and logout by POST.
//!
//! Unknown user, wrong password and disabled account get the same answer (and the same
//! work: an unknown user's password is checked against a dummy hash). Failed passwords and
//! codes count in the store ([`vangnet_store::accounts::AccountStore::login_failed`]); a
//! locked account is told until when. Each step ends the old session and starts a new one
//! (rotation); the session is complete only after the last step. The TOTP secret offered
//! for enrolment stays on the server: derived from the partial session with a key of this
//! process ([`enrolment_secret`]), shown once to be typed over, never sent back in a form.

use std::sync::OnceLock;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, MatchedPath, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::Timestamp;
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_auth::{password, totp};
use vangnet_domain::access::requires_second_factor;
use vangnet_domain::clock::amsterdam_label;
use vangnet_store::accounts::{Account, AccountChange, LoginAttempt, SessionStage};
use vangnet_store::{AccessGate, StoreError};

use crate::html::{self, Nav};
use crate::labels;
use crate::users::{
    Current, DemoUser, Viewer, encode_component, login_token_cookie, logout_cookie, new_session,
    random_bytes, random_token, safe_return, session_cookie, short_id,
};
use crate::{AppState, WebError};

/// The path of the step that asks the TOTP code.
const CODE_STEP: &str = "/inloggen/code";
/// The path of the step that sets a new password after a one-time password.
const PASSWORD_STEP: &str = "/account/wachtwoord";
/// The path of the step that enrols a TOTP second factor.
const ENROL_STEP: &str = "/account/tweede-factor";

/// The one answer for an unknown user, a wrong password and a disabled account.
const WRONG: &str = "De gebruikersnaam of het wachtwoord is onjuist.";

fn render(
    st: &AppState,
    status: StatusCode,
    title: &str,
    viewer: Option<&DemoUser>,
    body: Markup,
) -> Response {
    (
        status,
        Html(html::page(title, viewer, st.store().regions(), &Nav::Login, body).into_string()),
    )
        .into_response()
}

/// An error summary at the top of a form (linked to the field).
fn error_summary(error: Option<&str>, field: &str) -> Markup {
    html! {
        @if let Some(e) = error {
            (html::error_box(&[(Some(format!("#{field}")), e)]))
        }
    }
}

fn locked_message(until: Timestamp) -> String {
    format!(
        "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het opnieuw na {} uur.",
        amsterdam_label(until)
    )
}

/// Query of `GET /inloggen` and the steps.
#[derive(Debug, Deserialize)]
pub(crate) struct Terug {
    terug: Option<String>,
}

fn terug_of(q: Result<Query<Terug>, QueryRejection>) -> Option<String> {
    q.ok()
        .and_then(|Query(q)| q.terug)
        .filter(|t| safe_return(t))
}

/// The login page with a fresh pre-session token (cookie + field).
fn login_page(
    st: &AppState,
    status: StatusCode,
    viewer: Option<&DemoUser>,
    secure: bool,
    terug: Option<&str>,
    error: Option<&str>,
    gebruiker: &str,
) -> Response {
    let token = random_token();
    let demo = st.demo_login().then(|| st.users());
    let body = html! {
        h1 { "Inloggen" }
        (error_summary(error, "gebruiker"))
        form.formulier.inlog method="post" action="/inloggen" novalidate {
            input type="hidden" name="csrf" value=(token);
            @if let Some(t) = terug { input type="hidden" name="terug" value=(t); }
            div.veld {
                label for="gebruiker" { "Gebruikersnaam" }
                input type="text" id="gebruiker" name="gebruiker" value=(gebruiker) autocomplete="username" autocapitalize="none" spellcheck="false" required;
            }
            div.veld {
                label for="wachtwoord" { "Wachtwoord" }
                input type="password" id="wachtwoord" name="wachtwoord" autocomplete="current-password" required;
            }
            button.knop type="submit" { "Inloggen" }
        }
        @if let Some(users) = demo {
            h2 { "Demo: inloggen met één klik" }
            p.inleiding {
                "Dit is een demo op dit apparaat: kies hieronder als wie u Vangnet wilt bekijken. Elke rol ziet alleen wat bij die rol hoort. "
                "Op een server (vangnet serve) bestaat deze keuze niet."
            }
            form.inlog method="post" action="/inloggen" {
                input type="hidden" name="csrf" value=(token);
                @if let Some(t) = terug { input type="hidden" name="terug" value=(t); }
                fieldset {
                    legend { "Kies een gebruiker" }
                    ul.gebruikers {
                        @for u in users {
                            li {
                                button.knop type="submit" name="gebruiker" value=(u.id) {
                                    span.knop-naam { (u.naam) }
                                    span.knop-rol { (u.actor.role.label()) " — " (labels::organisation(st.store().regions(), &u.actor.organisation)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let mut r = render(st, status, "Inloggen", viewer, body);
    if let Ok(v) = login_token_cookie(&token, secure).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// `GET /inloggen`: the login form (and in the demo the one-click buttons).
pub(crate) async fn login_form(
    State(st): State<AppState>,
    Viewer(viewer): Viewer,
    current: Current,
    q: Result<Query<Terug>, QueryRejection>,
) -> Response {
    login_page(
        &st,
        StatusCode::OK,
        viewer.as_ref(),
        current.secure,
        terug_of(q).as_deref(),
        None,
        "",
    )
}

/// Form of `POST /inloggen`.
#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    gebruiker: String,
    wachtwoord: Option<String>,
    terug: Option<String>,
}

/// A hash to check passwords of unknown users against (same work as for a known one).
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| password::hash("geen-account-geen-wachtwoord", &random_bytes::<16>()))
}

/// Run a CPU-heavy computation (argon2id) off the async threads.
async fn cpu<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, WebError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| WebError::from(StoreError::Backend("berekening afgebroken".into())))
}

/// `POST /inloggen`: a demo user (demo login only, no password) or an account's password.
pub(crate) async fn login_submit(
    State(st): State<AppState>,
    Viewer(viewer): Viewer,
    current: Current,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(form)) = form else {
        return Ok(login_page(
            &st,
            StatusCode::BAD_REQUEST,
            viewer.as_ref(),
            current.secure,
            None,
            Some("Vul uw gebruikersnaam en wachtwoord in."),
            "",
        ));
    };
    let terug = form.terug.filter(|t| safe_return(t));
    let password = form.wachtwoord.unwrap_or_default();
    let id = form.gebruiker.trim().to_owned();
    if password.is_empty() {
        // The demo's one-click login.
        if st.demo_login() && st.user(&id).is_some() {
            let (old, address) = (current.session.clone(), current.address.clone());
            let token = st
                .blocking(move |s| {
                    if let Some((hash, _)) = old {
                        s.accounts().end_session(&hash)?;
                    }
                    new_session(s, &id, true, true, address)
                })
                .await?;
            return Ok(enter(
                &token,
                current.secure,
                terug.as_deref().unwrap_or("/"),
            ));
        }
        return Ok(login_page(
            &st,
            StatusCode::BAD_REQUEST,
            viewer.as_ref(),
            current.secure,
            terug.as_deref(),
            Some("Vul uw gebruikersnaam en wachtwoord in."),
            &id,
        ));
    }
    let lookup = id.clone();
    let account = st.blocking(move |s| s.accounts().user(&lookup)).await?;
    let now = vangnet_store::time::now();
    if let Some(until) = account
        .as_ref()
        .and_then(|a| a.locked_until)
        .filter(|u| *u > now)
    {
        return Ok(login_page(
            &st,
            StatusCode::UNAUTHORIZED,
            viewer.as_ref(),
            current.secure,
            terug.as_deref(),
            Some(&locked_message(until)),
            &id,
        ));
    }
    let phc = account
        .as_ref()
        .and_then(|a| a.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let verified = cpu(move || password::verify(&password, &phc)).await?;
    let Some(account) = account.filter(|a| verified && !a.disabled && a.password_hash.is_some())
    else {
        let who = id.clone();
        let attempt = st
            .blocking(move |s| match s.accounts().user(&who)? {
                Some(_) => s.accounts().login_failed(&who, now).map(Some),
                None => Ok(None),
            })
            .await?;
        let message = match attempt {
            Some(LoginAttempt::Locked { until }) => locked_message(until),
            _ => WRONG.to_owned(),
        };
        return Ok(login_page(
            &st,
            StatusCode::UNAUTHORIZED,
            viewer.as_ref(),
            current.secure,
            terug.as_deref(),
            Some(&message),
            &id,
        ));
    };
    let who = account.id.clone();
    st.blocking(move |s| s.accounts().login_succeeded(&who))
        .await?;
    advance(&st, &current, &account, terug.as_deref()).await
}

/// The redirect that sets session `token` and goes to `target`.
fn enter(token: &str, secure: bool, target: &str) -> Response {
    (
        [(header::SET_COOKIE, session_cookie(token, secure))],
        Redirect::to(target),
    )
        .into_response()
}

/// The step still to take after the password, if any.
pub(crate) fn next_step(a: &Account) -> Option<&'static str> {
    if a.must_change_password {
        Some(PASSWORD_STEP)
    } else if requires_second_factor(a.actor.role) {
        Some(if a.totp_secret.is_some() {
            CODE_STEP
        } else {
            ENROL_STEP
        })
    } else {
        None
    }
}

/// End the current session and start the next one: partial when a step is left (go
/// there), complete otherwise (go to `terug` or home).
async fn advance(
    st: &AppState,
    current: &Current,
    account: &Account,
    terug: Option<&str>,
) -> Result<Response, WebError> {
    let step = next_step(account);
    let (old, address, id) = (
        current.session.clone(),
        current.address.clone(),
        account.id.clone(),
    );
    let token = st
        .blocking(move |s| {
            if let Some((hash, _)) = old {
                s.accounts().end_session(&hash)?;
            }
            new_session(s, &id, false, step.is_none(), address)
        })
        .await?;
    let target = match (step, terug) {
        (Some(step), Some(t)) => format!("{step}?terug={}", encode_component(t)),
        (Some(step), None) => step.to_owned(),
        (None, t) => t.unwrap_or("/").to_owned(),
    };
    Ok(enter(&token, current.secure, &target))
}

/// The account of a partial session at step `path`, or the redirect where it belongs.
async fn partial_account(
    st: &AppState,
    current: &Current,
    path: &str,
) -> Result<Result<(Account, DemoUser), Response>, WebError> {
    let Some((hash, session)) = current.session.clone() else {
        return Ok(Err(Redirect::to("/inloggen").into_response()));
    };
    if session.stage == SessionStage::Complete || session.demo {
        return Ok(Err(Redirect::to("/").into_response()));
    }
    let id = session.user.clone();
    let account = st.blocking(move |s| s.accounts().user(&id)).await?;
    let Some(account) = account.filter(|a| !a.disabled) else {
        return Ok(Err(Redirect::to("/inloggen").into_response()));
    };
    match next_step(&account) {
        Some(step) if step == path => {
            let user = DemoUser {
                session: Some(short_id(&hash)),
                address: current.address.clone(),
                csrf: Some(session.csrf.clone()),
                ..DemoUser::new(
                    account.id.clone(),
                    account.naam.clone(),
                    account.actor.clone(),
                )
            };
            Ok(Ok((account, user)))
        }
        Some(step) => Ok(Err(Redirect::to(step).into_response())),
        None => Ok(Err(Redirect::to("/inloggen").into_response())),
    }
}

/// A partial session at one of the steps after the password: its account, its user and,
/// at the enrolment, the secret to offer (see [`enrolment_secret`]; empty at other steps).
struct AtStep {
    /// The step's path ([`CODE_STEP`], [`PASSWORD_STEP`] or [`ENROL_STEP`]).
    path: &'static str,
    account: Account,
    user: DemoUser,
    /// The base32 TOTP secret offered at [`ENROL_STEP`].
    secret: String,
}

/// The partial session at step `path`, or the redirect where it belongs.
async fn at_step(
    st: &AppState,
    current: &Current,
    path: &'static str,
) -> Result<Result<AtStep, Response>, WebError> {
    let (account, user) = match partial_account(st, current, path).await? {
        Ok(x) => x,
        Err(r) => return Ok(Err(r)),
    };
    let secret = match (path, current.session.as_ref()) {
        (ENROL_STEP, Some((hash, _))) => enrolment_secret(&st.enrolment_key, hash).to_base32(),
        _ => String::new(),
    };
    Ok(Ok(AtStep {
        path,
        account,
        user,
        secret,
    }))
}

impl AtStep {
    /// The step's page: its title, introduction and fields, a continue button and a way out.
    fn page(
        &self,
        st: &AppState,
        status: StatusCode,
        terug: Option<&str>,
        error: Option<&str>,
    ) -> Response {
        let invalid = error.is_some();
        let (title, intro, field, fields) = match self.path {
            CODE_STEP => (
                "Tweede stap: code",
                html! { p.inleiding { "Uw wachtwoord klopt, " (self.user.naam) ". Vul de code in die uw authenticator-app nu toont." } },
                "code",
                code_fields(invalid),
            ),
            PASSWORD_STEP => (
                "Kies een nieuw wachtwoord",
                html! { p.inleiding { "Uw eenmalige wachtwoord klopt. Kies nu uw eigen wachtwoord; daarna logt u daarmee in." } },
                "wachtwoord",
                password_fields(invalid),
            ),
            _ => (
                "Tweede factor instellen",
                enrol_intro(&self.user, &self.secret),
                "code",
                code_fields(invalid),
            ),
        };
        let csrf = self.user.csrf.as_deref().unwrap_or_default();
        let body = html! {
            h1 { (title) }
            (intro)
            (error_summary(error, field))
            form.formulier method="post" action=(self.path) novalidate {
                input type="hidden" name="csrf" value=(csrf);
                @if let Some(t) = terug { input type="hidden" name="terug" value=(t); }
                (fields)
                button.knop type="submit" { "Doorgaan" }
            }
            form method="post" action="/uitloggen" {
                input type="hidden" name="csrf" value=(csrf);
                button.knop.knop-licht type="submit" { "Stoppen en uitloggen" }
            }
        };
        render(st, status, title, None, body)
    }
}

/// `GET /inloggen/code` (ask the TOTP code), `GET /account/wachtwoord` (the forced new
/// password after a one-time password) and `GET /account/tweede-factor` (the TOTP secret to
/// enrol, see [`enrolment_secret`]): the page of the step at the request's path.
pub(crate) async fn step_form(
    State(st): State<AppState>,
    matched: MatchedPath,
    current: Current,
    q: Result<Query<Terug>, QueryRejection>,
) -> Result<Response, WebError> {
    let Some(path) = [CODE_STEP, PASSWORD_STEP, ENROL_STEP]
        .into_iter()
        .find(|p| *p == matched.as_str())
    else {
        return Ok(Redirect::to("/inloggen").into_response());
    };
    Ok(match at_step(&st, &current, path).await? {
        Ok(at) => at.page(&st, StatusCode::OK, terug_of(q).as_deref(), None),
        Err(r) => r,
    })
}

/// The partial session at step `path` and its posted form, or the response to give: the
/// redirect where the session belongs, or the step's page again (with `missing`) when the
/// form does not parse.
async fn step_post<F>(
    st: &AppState,
    current: &Current,
    path: &'static str,
    form: Result<Form<F>, FormRejection>,
    missing: &str,
) -> Result<Result<(AtStep, F), Response>, WebError> {
    let at = match at_step(st, current, path).await? {
        Ok(at) => at,
        Err(r) => return Ok(Err(r)),
    };
    Ok(match form {
        Ok(Form(form)) => Ok((at, form)),
        Err(_) => Err(at.page(st, StatusCode::BAD_REQUEST, None, Some(missing))),
    })
}

fn code_fields(error: bool) -> Markup {
    html! {
        div.veld {
            label for="code" { "Code uit uw authenticator-app (6 cijfers)" }
            input type="text" id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required aria-invalid=[error.then_some("true")];
        }
    }
}

/// Form of the code step and the enrolment.
#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    code: String,
    terug: Option<String>,
}

/// `POST /inloggen/code`: check the code (no replay of a used step); a wrong code counts as a
/// failed login.
pub(crate) async fn code_submit(
    State(st): State<AppState>,
    current: Current,
    form: Result<Form<CodeForm>, FormRejection>,
) -> Result<Response, WebError> {
    let (at, form) = match step_post(&st, &current, CODE_STEP, form, "Vul de code in.").await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let terug = form.terug.filter(|t| safe_return(t));
    let now = vangnet_store::time::now();
    let step = at
        .account
        .totp_secret
        .as_deref()
        .and_then(totp::Secret::from_base32)
        .and_then(|secret| {
            totp::verify(
                &secret,
                form.code.trim(),
                now.as_second(),
                at.account.totp_last_step,
            )
        });
    let id = at.account.id.clone();
    let used = match step {
        Some(step) => {
            st.blocking(move |s| s.accounts().use_totp_step(&id, step))
                .await?
        }
        None => false,
    };
    if !used {
        let (id, hash) = (
            at.account.id.clone(),
            current.session.clone().map(|(h, _)| h),
        );
        let attempt = st
            .blocking(move |s| {
                let a = s.accounts().login_failed(&id, now)?;
                if let (LoginAttempt::Locked { .. }, Some(h)) = (&a, hash) {
                    s.accounts().end_session(&h)?;
                }
                Ok(a)
            })
            .await?;
        if let LoginAttempt::Locked { until } = attempt {
            let mut r = login_page(
                &st,
                StatusCode::UNAUTHORIZED,
                None,
                current.secure,
                None,
                Some(&locked_message(until)),
                &at.account.id,
            );
            if let Ok(v) = logout_cookie(current.secure).parse() {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            return Ok(r);
        }
        return Ok(at.page(
            &st,
            StatusCode::UNAUTHORIZED,
            terug.as_deref(),
            Some(
                "De code klopt niet of is al gebruikt. Wacht op de volgende code en probeer het opnieuw.",
            ),
        ));
    }
    let id = at.account.id.clone();
    st.blocking(move |s| s.accounts().login_succeeded(&id))
        .await?;
    let done = Account {
        must_change_password: false,
        totp_secret: at.account.totp_secret.clone(),
        ..at.account
    };
    complete(&st, &current, &done, terug.as_deref()).await
}

/// End the partial session and start a complete one.
async fn complete(
    st: &AppState,
    current: &Current,
    account: &Account,
    terug: Option<&str>,
) -> Result<Response, WebError> {
    let (old, address, id) = (
        current.session.clone(),
        current.address.clone(),
        account.id.clone(),
    );
    let token = st
        .blocking(move |s| {
            if let Some((hash, _)) = old {
                s.accounts().end_session(&hash)?;
            }
            new_session(s, &id, false, true, address)
        })
        .await?;
    Ok(enter(&token, current.secure, terug.unwrap_or("/")))
}

/// The gate of a user changing their own account (a job decided as the system, logged in
/// the user's name).
fn self_service(user: &DemoUser, what: &str) -> AccessGate {
    user.job(what)
}

fn password_fields(error: bool) -> Markup {
    html! {
        div.veld {
            label for="wachtwoord" { "Nieuw wachtwoord" }
            p.hint id="wachtwoord-hint" { "Minstens 12 tekens; niet uw gebruikersnaam. Een zin van een paar woorden werkt goed." }
            input type="password" id="wachtwoord" name="wachtwoord" autocomplete="new-password" required aria-describedby="wachtwoord-hint" aria-invalid=[error.then_some("true")];
        }
        div.veld {
            label for="herhaling" { "Herhaal het nieuwe wachtwoord" }
            input type="password" id="herhaling" name="herhaling" autocomplete="new-password" required;
        }
    }
}

/// Form of `POST /account/wachtwoord`.
#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    wachtwoord: String,
    herhaling: String,
    terug: Option<String>,
}

/// `POST /account/wachtwoord`: set the new password, then the next step (or in).
pub(crate) async fn password_submit(
    State(st): State<AppState>,
    current: Current,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> Result<Response, WebError> {
    let (at, form) = match step_post(
        &st,
        &current,
        PASSWORD_STEP,
        form,
        "Vul het nieuwe wachtwoord twee keer in.",
    )
    .await?
    {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let terug = form.terug.filter(|t| safe_return(t));
    let problem = if form.wachtwoord != form.herhaling {
        Some("De twee wachtwoorden zijn niet gelijk.".to_owned())
    } else {
        password::check_new(&form.wachtwoord, &at.account.id)
            .err()
            .map(str::to_owned)
    };
    let old = at.account.password_hash.clone().unwrap_or_default();
    let new = form.wachtwoord.clone();
    let same = problem.is_none() && cpu(move || password::verify(&new, &old)).await?;
    if let Some(p) =
        problem.or(same.then(|| "Kies een ander wachtwoord dan het eenmalige.".to_owned()))
    {
        return Ok(at.page(
            &st,
            StatusCode::UNPROCESSABLE_ENTITY,
            terug.as_deref(),
            Some(&p),
        ));
    }
    let new = form.wachtwoord;
    let hash = cpu(move || password::hash(&new, &random_bytes::<16>())).await?;
    let (gate, id) = (
        self_service(&at.user, "wachtwoord wijzigen"),
        at.account.id.clone(),
    );
    st.blocking(move |s| {
        s.accounts().update_user(
            &gate,
            &id,
            AccountChange::Password {
                hash,
                must_change: false,
            },
        )
    })
    .await?;
    let updated = Account {
        must_change_password: false,
        ..at.account
    };
    advance(&st, &current, &updated, terug.as_deref()).await
}

/// A base32 secret in groups of four, for typing it over.
fn grouped(b32: &str) -> String {
    b32.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The enrolment's introduction: the `secret` (base32) to type over or its link, for `user`.
fn enrol_intro(user: &DemoUser, secret: &str) -> Markup {
    let uri = totp::Secret::from_base32(secret)
        .map(|s| totp::otpauth_uri("Vangnet", &user.id, &s))
        .unwrap_or_default();
    html! {
        p.inleiding {
            "Uw rol ziet cliëntgegevens; daarom logt u in met een tweede factor. "
            "Voeg Vangnet toe aan een authenticator-app (bijvoorbeeld op uw telefoon) en vul daarna één code in."
        }
        ol {
            li {
                "Kies in de app ‘code handmatig invoeren’ en typ deze sleutel over (tijdgebaseerd, 6 cijfers, 30 seconden):"
                span.geheim-blok { code.geheim id="totp-geheim" { (grouped(secret)) } }
            }
            li {
                "Of geef de app deze koppeling: "
                code.geheim id="totp-uri" { (uri) }
            }
            li { "Vul hieronder de code in die de app toont." }
        }
    }
}

/// The TOTP secret offered to the partial session with token hash `session_hash` during
/// enrolment: the first 20 bytes of HMAC-SHA256(`key`, label ‖ hash), `key` being the
/// process's random [`AppState`] key. So the secret stays on the server (nothing to tamper
/// with in the form, nothing a database copy can rebuild), is the same for the form and its
/// post, and differs per session (each login step rotates the session). A restart of the
/// server between showing and confirming changes it: the page then shows the new one.
pub(crate) fn enrolment_secret(key: &[u8; 32], session_hash: &str) -> totp::Secret {
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"vangnet totp-inschrijving\0");
    mac.update(session_hash.as_bytes());
    let out = mac.finalize().into_bytes();
    let mut secret = [0u8; 20];
    secret.copy_from_slice(&out[..20]);
    totp::Secret(secret)
}

/// `POST /account/tweede-factor`: confirm the secret with one code, store it, log in.
pub(crate) async fn enrol_submit(
    State(st): State<AppState>,
    current: Current,
    form: Result<Form<CodeForm>, FormRejection>,
) -> Result<Response, WebError> {
    let (at, form) = match step_post(&st, &current, ENROL_STEP, form, "Vul de code in.").await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let terug = form.terug.filter(|t| safe_return(t));
    // The secret offered on the form page, derived again (by `at_step`): it never left the
    // server except to be shown.
    let Some(secret) = totp::Secret::from_base32(&at.secret) else {
        return Ok(Redirect::to("/inloggen").into_response());
    };
    let now = vangnet_store::time::now();
    let Some(step) = totp::verify(&secret, form.code.trim(), now.as_second(), None) else {
        return Ok(at.page(
            &st,
            StatusCode::UNPROCESSABLE_ENTITY,
            terug.as_deref(),
            Some(
                "De code klopt niet. Controleer de sleutel in de app en vul de code in die de app nu toont.",
            ),
        ));
    };
    let (gate, id) = (
        self_service(&at.user, "tweede factor instellen"),
        at.account.id.clone(),
    );
    let stored = at.secret.clone();
    st.blocking(move |s| {
        s.accounts()
            .update_user(&gate, &id, AccountChange::Totp(Some(stored)))?;
        s.accounts().use_totp_step(&id, step)?;
        s.accounts().login_succeeded(&id)
    })
    .await?;
    // The update ended the partial session; start the complete one.
    let done = Current {
        session: None,
        ..current.clone()
    };
    complete(&st, &done, &at.account, terug.as_deref()).await
}

/// `GET /uitloggen`: a page with the logout button (logging out writes, so only by POST).
pub(crate) async fn logout_page(
    State(st): State<AppState>,
    Viewer(viewer): Viewer,
    current: Current,
) -> Response {
    let csrf = current.session.as_ref().map(|(_, s)| s.csrf.clone());
    let body = html! {
        h1 { "Uitloggen" }
        @if let Some(csrf) = csrf {
            form method="post" action="/uitloggen" {
                input type="hidden" name="csrf" value=(csrf);
                p { "Wilt u uitloggen?" }
                button.knop type="submit" { "Uitloggen" }
            }
        } @else {
            p { "U bent niet ingelogd. " a href="/inloggen" { "Inloggen" } }
        }
    };
    render(&st, StatusCode::OK, "Uitloggen", viewer.as_ref(), body)
}

/// `POST /uitloggen`: end the session in the store and clear the cookie.
pub(crate) async fn logout(
    State(st): State<AppState>,
    current: Current,
) -> Result<Response, WebError> {
    if let Some((hash, _)) = current.session.clone() {
        st.blocking(move |s| s.accounts().end_session(&hash))
            .await?;
    }
    Ok((
        [(header::SET_COOKIE, logout_cookie(current.secure))],
        Redirect::to("/inloggen"),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enrolment_secret_is_fixed_per_session_and_key_and_differs_otherwise() {
        let (k1, k2) = ([1u8; 32], [2u8; 32]);
        let a = enrolment_secret(&k1, "aaaa");
        assert_eq!(a, enrolment_secret(&k1, "aaaa"));
        assert_ne!(a, enrolment_secret(&k1, "aaab"), "another session");
        assert_ne!(a, enrolment_secret(&k2, "aaaa"), "another server key");
        // Not the session hash itself, nor trivially made from it.
        assert_ne!(&a.0[..], &"aaaa".as_bytes().repeat(5)[..]);
    }
}
