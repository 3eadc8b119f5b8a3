//! The functional administrator's screens (`Role::Beheerder`): accounts (`/beheer/gebruikers`:
//! list, create with role + organisation and a generated one-time password shown once,
//! disable/enable, lift a lock-out, reset password, reset second factor) and API tokens (`/beheer/tokens`:
//! create — the token shown once —, list, revoke). Every change goes through the store's
//! account management, which checks the role again and writes a chained access-log row
//! (never a password or secret). Forms carry the session's CSRF token.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_auth::password;
use vangnet_domain::access::{FACT_RIGHTS, may_manage_accounts};
use vangnet_domain::clock::amsterdam_label;
use vangnet_domain::{Actor, Organisation, Regions, Role};
use vangnet_store::accounts::{Account, AccountChange, ApiToken, NewAccount};

use crate::error::Query;
use crate::html::{self, Nav};
use crate::labels;
use crate::users::{DemoUser, LoggedIn, random_bytes, random_token};
use crate::{AppState, WebError};

/// Query of the admin pages: a notice after a redirect.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Melding {
    melding: Option<String>,
}

fn admin(user: &DemoUser) -> Result<(), WebError> {
    if may_manage_accounts(user.actor.role) {
        Ok(())
    } else {
        Err(WebError::forbidden(
            "Deze pagina is voor functioneel beheerders.",
        ))
    }
}

fn render(
    st: &AppState,
    status: StatusCode,
    title: &str,
    user: &DemoUser,
    body: Markup,
) -> Response {
    (
        status,
        Html(html::page(title, Some(user), st.store().regions(), &Nav::Beheer, body).into_string()),
    )
        .into_response()
}

fn csrf(user: &DemoUser) -> Markup {
    html! { input type="hidden" name="csrf" value=(user.csrf.as_deref().unwrap_or_default()); }
}

/// The roles an administrator can give (not the system).
fn roles() -> impl Iterator<Item = Role> {
    Role::ALL.into_iter().filter(|r| *r != Role::Systeem)
}

/// The organisations to choose from: Vangnet, each region's access organisation, its
/// gemeenten and providers, and the demo housing association.
fn organisations(regions: &Regions) -> Vec<Organisation> {
    let mut out = vec![Organisation::Vangnet];
    for p in regions.all() {
        out.push(Organisation::Regio(p.id.clone()));
    }
    for p in regions.all() {
        for g in &p.gemeenten {
            let o = Organisation::Gemeente(g.code);
            if !out.contains(&o) {
                out.push(o);
            }
        }
    }
    for p in regions.all() {
        for a in &p.providers {
            let o = Organisation::Aanbieder(a.agb);
            if !out.contains(&o) {
                out.push(o);
            }
        }
    }
    out.push(Organisation::Corporatie(
        "Woonstichting Vangnet-demo (fictief)".into(),
    ));
    out
}

fn org_label(regions: &Regions, o: &Organisation) -> String {
    let kind = match o {
        Organisation::Regio(_) => "Toegang",
        Organisation::Gemeente(_) => "Gemeente",
        Organisation::Aanbieder(_) => "Aanbieder",
        Organisation::Corporatie(_) => "Corporatie",
        Organisation::Vangnet => "Vangnet",
    };
    if *o == Organisation::Vangnet {
        "Vangnet".to_owned()
    } else {
        format!("{kind}: {}", labels::organisation(regions, o))
    }
}

fn role_and_org_fields(regions: &Regions, err_field: Option<&str>) -> Markup {
    html! {
        div.veld {
            label for="rol" { "Rol" }
            select id="rol" name="rol" aria-invalid=[(err_field == Some("rol")).then_some("true")] {
                @for r in roles() { option value=(r.key()) { (r.label()) } }
            }
        }
        div.veld {
            label for="organisatie" { "Organisatie" }
            select id="organisatie" name="organisatie" aria-invalid=[(err_field == Some("organisatie")).then_some("true")] {
                @for o in organisations(regions) { option value=(o.to_string()) { (org_label(regions, &o)) } }
            }
        }
    }
}

fn error_box(error: Option<&WebError>) -> Markup {
    html! {
        @if let Some(e) = error {
            div.fout role="alert" aria-labelledby="foutkop" tabindex="-1" {
                h2 id="foutkop" { "Er is een probleem" }
                ul { li {
                    @if let Some(f) = &e.field { a href={ "#" (f) } { (e.message) } } @else { (e.message) }
                } }
            }
        }
    }
}

fn status_of(a: &Account, now: jiff::Timestamp) -> String {
    if a.disabled {
        "uitgeschakeld".to_owned()
    } else if let Some(u) = a.locked_until.filter(|u| *u > now) {
        format!("geblokkeerd tot {}", amsterdam_label(u))
    } else if a.must_change_password {
        "actief (eenmalig wachtwoord)".to_owned()
    } else {
        "actief".to_owned()
    }
}

fn users_page(
    st: &AppState,
    user: &DemoUser,
    accounts: &[Account],
    notice: Option<Markup>,
    error: Option<&WebError>,
) -> Response {
    let regions = st.store().regions();
    let now = vangnet_store::time::now();
    let body = html! {
        h1 { "Gebruikers" }
        @if let Some(n) = notice { div.melding.melding-goed role="status" { (n) } }
        (error_box(error))
        table.tabel {
            caption { "Accounts (" (accounts.len()) ")" }
            thead { tr {
                th scope="col" { "Gebruikersnaam" } th scope="col" { "Naam" } th scope="col" { "Rol" }
                th scope="col" { "Organisatie" } th scope="col" { "Status" } th scope="col" { "Tweede factor" }
                th scope="col" { "Acties" }
            } }
            tbody {
                @for a in accounts {
                    tr {
                        th scope="row" { (a.id) }
                        td { (a.naam) }
                        td { (a.actor.role.label()) }
                        td { (labels::organisation(regions, &a.actor.organisation)) }
                        td { (status_of(a, now)) }
                        td { @if a.totp_secret.is_some() { "ingesteld" } @else { "niet ingesteld" } }
                        td {
                            form.inline method="post" action={ "/beheer/gebruikers/" (a.id) } {
                                (csrf(user))
                                @if a.disabled {
                                    button.knop.knop-licht type="submit" name="actie" value="inschakelen" { "Inschakelen" span.visueel-verborgen { " " (a.id) } }
                                } @else {
                                    button.knop.knop-licht type="submit" name="actie" value="uitschakelen" { "Uitschakelen" span.visueel-verborgen { " " (a.id) } }
                                }
                                @if a.locked_until.is_some_and(|u| u > now) {
                                    button.knop.knop-licht type="submit" name="actie" value="ontgrendelen" { "Blokkering opheffen" span.visueel-verborgen { " " (a.id) } }
                                }
                                button.knop.knop-licht type="submit" name="actie" value="wachtwoord" { "Nieuw eenmalig wachtwoord" span.visueel-verborgen { " " (a.id) } }
                                @if a.totp_secret.is_some() {
                                    button.knop.knop-licht type="submit" name="actie" value="tweede-factor" { "Tweede factor opnieuw instellen" span.visueel-verborgen { " " (a.id) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 id="nieuw" { "Nieuwe gebruiker" }
        form.formulier method="post" action="/beheer/gebruikers" novalidate aria-labelledby="nieuw" {
            (csrf(user))
            div.veld {
                label for="id" { "Gebruikersnaam" }
                p.hint id="id-hint" { "2 tot 64 tekens: kleine letters, cijfers, punt, streepje of liggend streepje." }
                input type="text" id="id" name="id" required autocapitalize="none" spellcheck="false" aria-describedby="id-hint" aria-invalid=[error.is_some_and(|e| e.field.as_deref() == Some("id")).then_some("true")];
            }
            div.veld {
                label for="naam" { "Naam" }
                input type="text" id="naam" name="naam" required maxlength="200" aria-invalid=[error.is_some_and(|e| e.field.as_deref() == Some("naam")).then_some("true")];
            }
            (role_and_org_fields(regions, error.and_then(|e| e.field.as_deref())))
            p.hint { "Vangnet maakt een eenmalig wachtwoord; dat ziet u één keer. De gebruiker kiest bij de eerste keer inloggen een eigen wachtwoord." }
            button.knop type="submit" { "Gebruiker aanmaken" }
        }
    };
    render(
        st,
        error.map_or(StatusCode::OK, |e| e.status),
        "Gebruikers",
        user,
        body,
    )
}

async fn all_users(st: &AppState) -> Result<Vec<Account>, WebError> {
    Ok(st.blocking(|s| s.accounts().users()).await?)
}

/// `GET /beheer/gebruikers`.
pub(crate) async fn users(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Query(q): Query<Melding>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let accounts = all_users(&st).await?;
    let notice = match q.melding.as_deref() {
        Some("uitgeschakeld") => {
            Some(html! { p { "Het account is uitgeschakeld; de sessies zijn beëindigd." } })
        }
        Some("ingeschakeld") => Some(html! { p { "Het account is weer ingeschakeld." } }),
        Some("ontgrendeld") => {
            Some(html! { p { "De blokkering is opgeheven; de gebruiker kan weer inloggen." } })
        }
        Some("tweede-factor") => Some(
            html! { p { "De tweede factor is gewist; de gebruiker stelt bij de volgende keer inloggen een nieuwe in." } },
        ),
        _ => None,
    };
    Ok(users_page(&st, &user, &accounts, notice, None))
}

/// A one-time password: 20 random bytes as `xxxxx-xxxxx-xxxxx-xxxxx` (100 bits), the same
/// as `vangnet user add` prints ([`vangnet_auth::secret::generated_password`]).
fn one_time_password() -> String {
    vangnet_auth::secret::generated_password(&random_bytes::<20>())
}

fn shown_once(what: &str, value: &str) -> Markup {
    html! {
        p { (what) }
        p.geheim-blok { code.geheim id="eenmalig" { (value) } }
        p { "Dit wordt niet nog eens getoond; geef het veilig door." }
    }
}

/// Form of `POST /beheer/gebruikers`.
#[derive(Debug, Deserialize)]
pub(crate) struct NewUserForm {
    id: String,
    naam: String,
    rol: String,
    organisatie: String,
}

fn valid_id(id: &str) -> bool {
    (2..=64).contains(&id.len())
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

fn role_and_org(rol: &str, organisatie: &str) -> Result<(Role, Organisation), WebError> {
    let role = Role::parse(rol)
        .filter(|r| *r != Role::Systeem)
        .ok_or_else(|| WebError::invalid_field("rol", "Kies een rol."))?;
    let organisation = Organisation::parse(organisatie)
        .ok_or_else(|| WebError::invalid_field("organisatie", "Kies een organisatie."))?;
    Ok((role, organisation))
}

/// `POST /beheer/gebruikers`: create an account with a one-time password, shown once.
pub(crate) async fn create_user(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    form: Result<Form<NewUserForm>, FormRejection>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request("Het formulier is onvolledig."));
    };
    let id = f.id.trim().to_owned();
    let naam = f.naam.trim().to_owned();
    let checked = if !valid_id(&id) {
        Err(WebError::invalid_field(
            "id",
            "De gebruikersnaam heeft 2 tot 64 tekens: kleine letters, cijfers, punt, streepje of liggend streepje.",
        ))
    } else if naam.is_empty() || naam.chars().count() > 200 || naam.contains(char::is_control) {
        Err(WebError::invalid_field(
            "naam",
            "Vul een naam in (hoogstens 200 tekens).",
        ))
    } else {
        role_and_org(&f.rol, &f.organisatie)
    };
    let (role, organisation) = match checked {
        Ok(x) => x,
        Err(e) => {
            let accounts = all_users(&st).await?;
            return Ok(users_page(&st, &user, &accounts, None, Some(&e)));
        }
    };
    let otp = one_time_password();
    let pw = otp.clone();
    let hash = tokio::task::spawn_blocking(move || password::hash(&pw, &random_bytes::<16>()))
        .await
        .map_err(|_| WebError::bad_request("berekening afgebroken"))?;
    let new = NewAccount {
        id: id.clone(),
        naam,
        actor: Actor {
            user: id.clone(),
            role,
            organisation,
        },
        password_hash: hash,
        must_change_password: true,
    };
    let gate = user.gate("gebruiker aanmaken");
    let created = st
        .blocking(move |s| s.accounts().create_user(&gate, new))
        .await;
    let accounts = all_users(&st).await?;
    match created {
        Ok(()) => {
            let notice = html! {
                p { "Gebruiker " strong { (id) } " is aangemaakt." }
                (shown_once("Het eenmalige wachtwoord is:", &otp))
            };
            Ok(users_page(&st, &user, &accounts, Some(notice), None))
        }
        Err(e) => {
            let e = WebError::from(e);
            if e.status == StatusCode::CONFLICT {
                let e = WebError::invalid_field("id", "Deze gebruikersnaam bestaat al.");
                Ok(users_page(&st, &user, &accounts, None, Some(&e)))
            } else {
                Err(e)
            }
        }
    }
}

/// Form of `POST /beheer/gebruikers/{id}`.
#[derive(Debug, Deserialize)]
pub(crate) struct UserAction {
    actie: String,
}

/// `POST /beheer/gebruikers/{id}`: disable, enable, new one-time password, clear the second
/// factor.
pub(crate) async fn user_action(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    form: Result<Form<UserAction>, FormRejection>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request("Kies een actie."));
    };
    let (change, purpose, melding, otp) = match f.actie.as_str() {
        "uitschakelen" => (
            AccountChange::Disabled(true),
            "gebruiker uitschakelen",
            "uitgeschakeld",
            None,
        ),
        "inschakelen" => (
            AccountChange::Disabled(false),
            "gebruiker inschakelen",
            "ingeschakeld",
            None,
        ),
        "ontgrendelen" => (
            AccountChange::Unlock,
            "blokkering opheffen",
            "ontgrendeld",
            None,
        ),
        "tweede-factor" => (
            AccountChange::Totp(None),
            "tweede factor wissen",
            "tweede-factor",
            None,
        ),
        "wachtwoord" => {
            let otp = one_time_password();
            let pw = otp.clone();
            let hash =
                tokio::task::spawn_blocking(move || password::hash(&pw, &random_bytes::<16>()))
                    .await
                    .map_err(|_| WebError::bad_request("berekening afgebroken"))?;
            (
                AccountChange::Password {
                    hash,
                    must_change: true,
                },
                "wachtwoord opnieuw instellen",
                "wachtwoord",
                Some(otp),
            )
        }
        _ => return Err(WebError::bad_request("Onbekende actie.")),
    };
    let gate = user.gate(purpose);
    let target = id.clone();
    st.blocking(move |s| {
        s.accounts().update_user(&gate, &target, change)?;
        // Enabling and a new one-time password lift a lock-out too (as `vangnet user reset`).
        if melding == "ingeschakeld" || melding == "wachtwoord" {
            s.accounts()
                .update_user(&gate, &target, AccountChange::Unlock)?;
        }
        Ok(())
    })
    .await?;
    match otp {
        Some(otp) => {
            let accounts = all_users(&st).await?;
            let notice = html! {
                p { "Gebruiker " strong { (id) } " heeft een nieuw eenmalig wachtwoord; de sessies zijn beëindigd." }
                (shown_once("Het eenmalige wachtwoord is:", &otp))
            };
            Ok(users_page(&st, &user, &accounts, Some(notice), None))
        }
        None => Ok(Redirect::to(&format!("/beheer/gebruikers?melding={melding}")).into_response()),
    }
}

fn tokens_page(
    st: &AppState,
    user: &DemoUser,
    tokens: &[ApiToken],
    notice: Option<Markup>,
    error: Option<&WebError>,
) -> Response {
    let regions = st.store().regions();
    let now = vangnet_store::time::now();
    let body = html! {
        h1 { "API-tokens" }
        p.inleiding { "Een API-token is voor een koppeling tussen systemen: het handelt als de gekozen rol en organisatie, mag alleen de aangevinkte feiten vastleggen en verloopt." }
        @if let Some(n) = notice { div.melding.melding-goed role="status" { (n) } }
        (error_box(error))
        table.tabel {
            caption { "Tokens (" (tokens.len()) ")" }
            thead { tr {
                th scope="col" { "Id" } th scope="col" { "Naam" } th scope="col" { "Rol en organisatie" }
                th scope="col" { "Feiten" } th scope="col" { "Verloopt" } th scope="col" { "Status" } th scope="col" { "Actie" }
            } }
            tbody {
                @for t in tokens {
                    tr {
                        th scope="row" { (t.id) }
                        td { (t.naam) }
                        td { (t.actor.role.label()) ", " (labels::organisation(regions, &t.actor.organisation)) }
                        td { (t.facts.join(", ")) }
                        td { (amsterdam_label(t.expires_at)) }
                        td {
                            @if t.revoked_at.is_some() { "ingetrokken" }
                            @else if t.expires_at <= now { "verlopen" }
                            @else { "geldig" }
                        }
                        td {
                            @if t.revoked_at.is_none() {
                                form.inline method="post" action={ "/beheer/tokens/" (t.id) "/intrekken" } {
                                    (csrf(user))
                                    button.knop.knop-licht type="submit" { "Intrekken" span.visueel-verborgen { " " (t.id) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 id="nieuw-token" { "Nieuw token" }
        form.formulier method="post" action="/beheer/tokens" novalidate aria-labelledby="nieuw-token" {
            (csrf(user))
            div.veld {
                label for="naam" { "Naam (waarvoor)" }
                input type="text" id="naam" name="naam" required maxlength="200" aria-invalid=[error.is_some_and(|e| e.field.as_deref() == Some("naam")).then_some("true")];
            }
            (role_and_org_fields(regions, error.and_then(|e| e.field.as_deref())))
            fieldset id="feiten" {
                legend { "Feiten die het token mag vastleggen" }
                @for r in FACT_RIGHTS {
                    div.keuze {
                        input type="checkbox" id={ "feit-" (r.kind) } name="feiten" value=(r.kind);
                        label for={ "feit-" (r.kind) } { (r.kind) }
                    }
                }
            }
            div.veld {
                label for="dagen" { "Geldig (dagen)" }
                input type="number" id="dagen" name="dagen" min="1" max="366" value="90" required aria-invalid=[error.is_some_and(|e| e.field.as_deref() == Some("dagen")).then_some("true")];
            }
            button.knop type="submit" { "Token aanmaken" }
        }
    };
    render(
        st,
        error.map_or(StatusCode::OK, |e| e.status),
        "API-tokens",
        user,
        body,
    )
}

async fn all_tokens(st: &AppState) -> Result<Vec<ApiToken>, WebError> {
    Ok(st.blocking(|s| s.accounts().tokens()).await?)
}

/// `GET /beheer/tokens`.
pub(crate) async fn tokens(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Query(q): Query<Melding>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let tokens = all_tokens(&st).await?;
    let notice = (q.melding.as_deref() == Some("ingetrokken"))
        .then(|| html! { p { "Het token is ingetrokken." } });
    Ok(tokens_page(&st, &user, &tokens, notice, None))
}

/// `POST /beheer/tokens`: create a token; the token itself is shown once.
pub(crate) async fn create_token(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    admin(&user)?;
    // Parsed by hand: `feiten` repeats.
    let mut naam = String::new();
    let (mut rol, mut organisatie, mut dagen) = (String::new(), String::new(), String::new());
    let mut facts = Vec::new();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "naam" => naam = v.trim().to_owned(),
            "rol" => rol = v.into_owned(),
            "organisatie" => organisatie = v.into_owned(),
            "dagen" => dagen = v.trim().to_owned(),
            "feiten" => {
                if let Some(r) = FACT_RIGHTS.iter().find(|r| r.kind == v) {
                    facts.push(r.kind.to_owned());
                }
            }
            _ => {}
        }
    }
    let days = dagen.parse::<i64>().ok().filter(|d| (1..=366).contains(d));
    let checked =
        if naam.is_empty() || naam.chars().count() > 200 || naam.contains(char::is_control) {
            Err(WebError::invalid_field(
                "naam",
                "Vul een naam in (hoogstens 200 tekens).",
            ))
        } else if facts.is_empty() {
            Err(WebError::invalid_field("feiten", "Kies minstens één feit."))
        } else if days.is_none() {
            Err(WebError::invalid_field(
                "dagen",
                "Vul een geldigheid van 1 tot 366 dagen in.",
            ))
        } else {
            role_and_org(&rol, &organisatie)
        };
    let (role, organisation) = match checked {
        Ok(x) => x,
        Err(e) => {
            let tokens = all_tokens(&st).await?;
            return Ok(tokens_page(&st, &user, &tokens, None, Some(&e)));
        }
    };
    let now = vangnet_store::time::now();
    let id: String = format!(
        "t{}",
        random_bytes::<5>()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let secret = random_token();
    let hash = vangnet_auth::secret::token_hash(&secret);
    let expires_at = now
        .checked_add(jiff::SignedDuration::from_hours(24 * days.unwrap_or(1)))
        .unwrap_or(now);
    let token = ApiToken {
        id: id.clone(),
        naam,
        actor: Actor {
            user: format!("token:{id}"),
            role,
            organisation,
        },
        facts,
        created_by: user.id.clone(),
        created_at: now,
        expires_at,
        revoked_at: None,
    };
    let gate = user.gate("API-token aanmaken");
    let tid = id.clone();
    st.blocking(move |s| s.accounts().create_token(&gate, &tid, &hash, &token))
        .await?;
    let tokens = all_tokens(&st).await?;
    let notice = html! {
        p { "Token " strong { (id) } " is aangemaakt. Stuur het mee als " code { "Authorization: Bearer …" } "." }
        (shown_once("Het token is:", &secret))
    };
    Ok(tokens_page(&st, &user, &tokens, Some(notice), None))
}

/// `POST /beheer/tokens/{id}/intrekken`.
pub(crate) async fn revoke_token(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let gate = user.gate("API-token intrekken");
    let now = vangnet_store::time::now();
    st.blocking(move |s| s.accounts().revoke_token(&gate, &id, now))
        .await?;
    Ok(Redirect::to("/beheer/tokens?melding=ingetrokken").into_response())
}
