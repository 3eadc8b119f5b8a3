//! Accounts, sessions and API tokens (issue 11): the types, the [`AccountStore`] trait
//! every engine implements ([`crate::Store::accounts`]) and the rules the engines share, so
//! that they only move rows.
//!
//! - **Accounts** hold an argon2id hash ([`vangnet_auth::password`]), never a password; a
//!   TOTP secret (base32) once the second factor is enrolled, and the last TOTP step used
//!   (compare-and-set: a code is never accepted twice); the lock-out counter of
//!   [`vangnet_auth::policy`].
//! - **Sessions** are keyed by the SHA-256 hash of the session id
//!   ([`vangnet_auth::secret::token_hash`]): the cookie holds the id, the database only its
//!   hash. **Expiry is decided in two places with one definition** ([`Session::live_at`]):
//!   [`AccountStore::session`] does not return a session that has expired at the store's
//!   clock ([`crate::time::now`]) — so an expired session can never be used, even before it
//!   is purged — and [`AccountStore::purge_sessions`] deletes every session expired at the
//!   `now` it is given (idle [`SESSION_IDLE`], absolute [`SESSION_ABSOLUTE`], a partial one
//!   [`PARTIAL_SESSION`] after the password).
//! - **API tokens** are keyed by an id (shown in lists, used to revoke) with the hash of the
//!   token unique; [`AccountStore::token_by_hash`] returns only a token that is neither
//!   revoked nor expired at the store's clock ([`ApiToken::valid_at`]).
//! - **Management** (create and change accounts, create and revoke tokens) is for the
//!   beheerder and the system only ([`vangnet_domain::access::may_manage_accounts`]; a
//!   job gate in a person's name is the system): [`manage`] decides and makes the chained
//!   access-log row (client none, action [`ACTION_USER`] / [`ACTION_TOKEN`], purpose naming
//!   what changed — never a password or secret) that the engine writes in the same
//!   transaction; a refusal is [`StoreError::Denied`] and its row is written too.
//!   Sessions and login counters are not client data and are not logged per request.
//!
//! Instants are stored as milliseconds since 1970 (UTC), the precision of
//! [`crate::time::now`].

pub mod conformance;

use std::time::Duration;

use vangnet_auth::policy::{self, PARTIAL_SESSION, SESSION_ABSOLUTE, SESSION_IDLE};
use vangnet_domain::access::{FACT_RIGHTS, may_hold_account, may_manage_accounts};
use vangnet_domain::clock::Timestamp;
use vangnet_domain::{Actor, Organisation, Role};

use crate::gate::{AccessEntry, AccessGate};
use crate::{StoreError, StoreResult};

/// Access-log action of account management.
pub const ACTION_USER: &str = "beheer_gebruiker";
/// Access-log action of API-token management.
pub const ACTION_TOKEN: &str = "beheer_token";

/// A user account.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// Login name, `[a-z0-9._-]{2,64}`.
    pub id: String,
    /// Display name.
    pub naam: String,
    /// Role and organisation; `actor.user == id`.
    pub actor: Actor,
    /// argon2id PHC string; `None`: no password set (cannot log in).
    pub password_hash: Option<String>,
    /// TOTP secret, base32; `None`: second factor not enrolled.
    pub totp_secret: Option<String>,
    /// The last TOTP time step accepted (never accepted again).
    pub totp_last_step: Option<u64>,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// The password is a one-time password: change it at the next login.
    pub must_change_password: bool,
    /// Failed logins in a row.
    pub failed_logins: u32,
    /// Locked until then (after failed logins).
    pub locked_until: Option<Timestamp>,
    /// When the account was created.
    pub created_at: Timestamp,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No hash or secret in logs or panics.
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("naam", &self.naam)
            .field("actor", &self.actor)
            .field("password_hash", &self.password_hash.as_ref().map(|_| "…"))
            .field("totp_secret", &self.totp_secret.as_ref().map(|_| "…"))
            .field("totp_last_step", &self.totp_last_step)
            .field("disabled", &self.disabled)
            .field("must_change_password", &self.must_change_password)
            .field("failed_logins", &self.failed_logins)
            .field("locked_until", &self.locked_until)
            .field("created_at", &self.created_at)
            .finish()
    }
}

impl Account {
    /// Whether the account is locked at `now`.
    pub fn locked_at(&self, now: Timestamp) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }
}

/// A new account ([`AccountStore::create_user`]).
#[derive(Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// Login name, `[a-z0-9._-]{2,64}`.
    pub id: String,
    /// Display name.
    pub naam: String,
    /// Role and organisation (`actor.user` is set to `id`).
    pub actor: Actor,
    /// argon2id PHC string of the first password.
    pub password_hash: String,
    /// Whether the first password is a one-time password.
    pub must_change_password: bool,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("id", &self.id)
            .field("naam", &self.naam)
            .field("actor", &self.actor)
            .field("must_change_password", &self.must_change_password)
            .finish_non_exhaustive()
    }
}

/// A change to an account ([`AccountStore::update_user`]).
#[derive(Clone, PartialEq, Eq)]
pub enum AccountChange {
    /// A new password hash; `must_change`: it is a one-time password.
    Password {
        /// argon2id PHC string.
        hash: String,
        /// Change it at the next login.
        must_change: bool,
    },
    /// Enrol (`Some(base32 secret)`) or clear (`None`) the second factor; resets the last
    /// step.
    Totp(Option<String>),
    /// Disable (`true`) or enable the account.
    Disabled(bool),
    /// Another role and organisation.
    Actor(Actor),
    /// Another display name.
    Naam(String),
    /// Clear the lock-out (counter and lock).
    Unlock,
}

impl std::fmt::Debug for AccountChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AccountChange::Password { must_change, .. } => f
                .debug_struct("Password")
                .field("must_change", must_change)
                .finish_non_exhaustive(),
            AccountChange::Totp(s) => write!(f, "Totp({})", if s.is_some() { "…" } else { "-" }),
            AccountChange::Disabled(d) => write!(f, "Disabled({d})"),
            AccountChange::Actor(a) => write!(f, "Actor({a:?})"),
            AccountChange::Naam(n) => write!(f, "Naam({n:?})"),
            AccountChange::Unlock => f.write_str("Unlock"),
        }
    }
}

impl AccountChange {
    /// Whether this change ends the user's sessions (password, second factor, disabled,
    /// role or organisation).
    pub fn ends_sessions(&self) -> bool {
        matches!(
            self,
            AccountChange::Password { .. }
                | AccountChange::Totp(_)
                | AccountChange::Disabled(_)
                | AccountChange::Actor(_)
        )
    }

    /// What changed, in Dutch, for the access log (never the hash or the secret).
    pub fn describe(&self, id: &str) -> String {
        match self {
            AccountChange::Password { must_change, .. } => format!(
                "wachtwoord van {id} {}",
                if *must_change {
                    "opnieuw ingesteld (eenmalig)"
                } else {
                    "gewijzigd"
                }
            ),
            AccountChange::Totp(Some(_)) => format!("tweede factor van {id} ingesteld"),
            AccountChange::Totp(None) => format!("tweede factor van {id} gewist"),
            AccountChange::Disabled(true) => format!("{id} geblokkeerd"),
            AccountChange::Disabled(false) => format!("{id} gedeblokkeerd"),
            AccountChange::Actor(a) => {
                format!("{id} krijgt rol {} bij {}", a.role.key(), a.organisation)
            }
            AccountChange::Naam(_) => format!("naam van {id} gewijzigd"),
            AccountChange::Unlock => format!("vergrendeling van {id} opgeheven"),
        }
    }
}

/// How far a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionStage {
    /// The password was right; the second factor is pending.
    Password,
    /// Logged in.
    Complete,
}

impl SessionStage {
    /// Stored key.
    pub fn key(self) -> &'static str {
        match self {
            SessionStage::Password => "wachtwoord",
            SessionStage::Complete => "compleet",
        }
    }

    /// Parse the stored key.
    pub fn parse(s: &str) -> Option<SessionStage> {
        match s {
            "wachtwoord" => Some(SessionStage::Password),
            "compleet" => Some(SessionStage::Complete),
            _ => None,
        }
    }
}

/// A server-side session (keyed by the hash of its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user (an account id, or a demo user's id when `demo`).
    pub user: String,
    /// How far the login is.
    pub stage: SessionStage,
    /// The session's CSRF token (sent in every form).
    pub csrf: String,
    /// A demo session (`vangnet demo`, loopback only).
    pub demo: bool,
    /// When the session began.
    pub created_at: Timestamp,
    /// The last request.
    pub last_seen: Timestamp,
    /// The network address it was created from.
    pub address: Option<String>,
}

impl Session {
    /// Whether the session is still usable at `now`: a partial one for [`PARTIAL_SESSION`]
    /// after its creation; a complete one while idle less than [`SESSION_IDLE`] and at most
    /// [`SESSION_ABSOLUTE`] after its creation. The one definition of session expiry
    /// ([`AccountStore::session`] and, as cut-offs, [`AccountStore::purge_sessions`]).
    pub fn live_at(&self, now: Timestamp) -> bool {
        let c = SessionCutoffs::at(now);
        let created = to_millis(self.created_at);
        match self.stage {
            SessionStage::Password => created >= c.partial_created,
            SessionStage::Complete => {
                created >= c.absolute_created && to_millis(self.last_seen) >= c.idle_last_seen
            }
        }
    }
}

/// The cut-offs (milliseconds since 1970) at `now`: a session is expired when its creation
/// or last request is *before* them. Engines purge with these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionCutoffs {
    /// A complete session last seen before this is idle.
    pub idle_last_seen: i64,
    /// A complete session created before this is past its absolute limit.
    pub absolute_created: i64,
    /// A partial session created before this has expired.
    pub partial_created: i64,
}

impl SessionCutoffs {
    /// The cut-offs at `now`.
    pub fn at(now: Timestamp) -> SessionCutoffs {
        let now = to_millis(now);
        let back = |d: Duration| now.saturating_sub(i64::try_from(d.as_millis()).unwrap_or(0));
        SessionCutoffs {
            idle_last_seen: back(SESSION_IDLE),
            absolute_created: back(SESSION_ABSOLUTE),
            partial_created: back(PARTIAL_SESSION),
        }
    }
}

/// An API token for system-to-system use (stored by id; the token itself only as its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Id (shown in lists; used to revoke).
    pub id: String,
    /// What it is for.
    pub naam: String,
    /// Role and organisation it acts as (`actor.user` is `token:<id>`).
    pub actor: Actor,
    /// The fact kinds it may record (`FACT_RIGHTS` keys).
    pub facts: Vec<String>,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// Valid until.
    pub expires_at: Timestamp,
    /// When revoked, if revoked.
    pub revoked_at: Option<Timestamp>,
}

impl ApiToken {
    /// Whether the token may be used at `now`: not revoked, not expired.
    pub fn valid_at(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }

    /// The actor user name of token `id`.
    pub fn actor_user(id: &str) -> String {
        format!("token:{id}")
    }
}

/// The outcome of a failed login ([`AccountStore::login_failed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginAttempt {
    /// (Not returned by `login_failed`; for callers that report a success the same way.)
    Ok,
    /// Counted; this many attempts are left before the account locks.
    Failed {
        /// Attempts left.
        remaining: u32,
    },
    /// The account is locked until then (by this failure or before it).
    Locked {
        /// Until.
        until: Timestamp,
    },
}

/// The lock-out state after a failed login at `now` of an account with `failed` failures in
/// a row and `locked_until`: (new counter, new lock, answer). A failure while locked changes
/// nothing ([`vangnet_auth::policy`]).
pub fn after_failed_login(
    failed: u32,
    locked_until: Option<Timestamp>,
    now: Timestamp,
) -> (u32, Option<Timestamp>, LoginAttempt) {
    if let Some(until) = locked_until.filter(|u| now < *u) {
        return (failed, Some(until), LoginAttempt::Locked { until });
    }
    let failed = failed.saturating_add(1);
    match policy::lock_after_failure(failed) {
        Some(d) => {
            let until = from_millis(
                to_millis(now).saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)),
            )
            .unwrap_or(now);
            (failed, Some(until), LoginAttempt::Locked { until })
        }
        None => (
            failed,
            locked_until,
            LoginAttempt::Failed {
                remaining: policy::remaining_attempts(failed),
            },
        ),
    }
}

/// The accounts, sessions and API tokens of a store. Every management method takes the
/// [`AccessGate`] of who manages and writes its access-log row in the same transaction.
pub trait AccountStore: Send + Sync {
    /// Create an account. [`StoreError::AccountConflict`] if the id exists;
    /// [`StoreError::Invalid`] for a bad id or a role that cannot hold an account at that
    /// organisation; [`StoreError::Denied`] unless `by` is the beheerder or the system.
    fn create_user(&self, by: &AccessGate, new: NewAccount) -> StoreResult<()>;
    /// One account.
    fn user(&self, id: &str) -> StoreResult<Option<Account>>;
    /// Every account, by id.
    fn users(&self) -> StoreResult<Vec<Account>>;
    /// Change an account ([`StoreError::AccountNotFound`] if absent); a change of password,
    /// second factor, disabled or role ends the user's sessions.
    fn update_user(&self, by: &AccessGate, id: &str, change: AccountChange) -> StoreResult<()>;
    /// Count a failed login at `now` and lock per [`vangnet_auth::policy`]
    /// ([`after_failed_login`]). [`StoreError::AccountNotFound`] for an unknown id.
    fn login_failed(&self, id: &str, now: Timestamp) -> StoreResult<LoginAttempt>;
    /// A successful login: the counter and the lock are reset.
    fn login_succeeded(&self, id: &str) -> StoreResult<()>;
    /// Compare-and-set of the last TOTP step: stores `step` and returns true only if it is
    /// after the stored one (false: a replay, or an unknown user).
    fn use_totp_step(&self, id: &str, step: u64) -> StoreResult<bool>;
    /// Store a new session under the hash of its id.
    fn create_session(&self, id_hash: &str, session: &Session) -> StoreResult<()>;
    /// The session with this id hash, if it exists and is live at the store's clock
    /// ([`Session::live_at`]); an expired one is `None` (and left for the purge).
    fn session(&self, id_hash: &str) -> StoreResult<Option<Session>>;
    /// A request in the session at `now` (last seen never moves back).
    fn touch_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()>;
    /// End one session (logout, rotation at login).
    fn end_session(&self, id_hash: &str) -> StoreResult<()>;
    /// End every session of `user`; returns how many.
    fn end_sessions_of(&self, user: &str) -> StoreResult<u64>;
    /// Delete every session expired at `now` (idle, absolute, partial); returns how many.
    fn purge_sessions(&self, now: Timestamp) -> StoreResult<u64>;
    /// Store an API token by `id` with the hash of the token (`token.id` is ignored: `id`
    /// counts). [`StoreError::AccountConflict`] if the id or the hash exists.
    fn create_token(
        &self,
        by: &AccessGate,
        id: &str,
        hash: &str,
        token: &ApiToken,
    ) -> StoreResult<()>;
    /// The token with this hash, if it is valid at the store's clock ([`ApiToken::valid_at`]).
    fn token_by_hash(&self, hash: &str) -> StoreResult<Option<ApiToken>>;
    /// Every token (revoked and expired ones too), by id.
    fn tokens(&self) -> StoreResult<Vec<ApiToken>>;
    /// Revoke token `id` at `now` ([`StoreError::AccountNotFound`] if absent; revoking a
    /// revoked token keeps the first time).
    fn revoke_token(&self, by: &AccessGate, id: &str, now: Timestamp) -> StoreResult<()>;
}

/// Decide whether `by` may manage accounts, and the access-log row of `action`
/// ([`ACTION_USER`] or [`ACTION_TOKEN`]) describing `what` changed. The engine writes the
/// row in the same transaction as the change — also when refused.
pub fn manage(by: &AccessGate, action: &str, what: &str) -> (AccessEntry, StoreResult<()>) {
    let allowed = may_manage_accounts(by.actor().role);
    let reason = if allowed {
        "beheer van accounts".to_owned()
    } else {
        "alleen de beheerder beheert accounts en API-tokens".to_owned()
    };
    let mut entry = by.note(action, reason.clone());
    entry.allowed = allowed;
    entry.purpose = format!("{}: {what}", entry.purpose);
    let verdict = if allowed {
        Ok(())
    } else {
        Err(StoreError::Denied(reason))
    };
    (entry, verdict)
}

/// Check a login name or token id: `[a-z0-9._-]{2,64}`.
pub fn check_id(id: &str) -> StoreResult<()> {
    let ok = (2..=64).contains(&id.len())
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "id: '{id}' is geen geldige naam (2 tot 64 kleine letters, cijfers, punt, streep of liggend streepje)"
        )))
    }
}

/// Check a display name: 1 to 200 characters, no control characters.
pub fn check_naam(naam: &str) -> StoreResult<()> {
    let n = naam.trim().chars().count();
    if n == 0 || n > 200 || naam.chars().any(char::is_control) {
        return Err(StoreError::Invalid(
            "naam: vul een naam in van hoogstens 200 tekens, zonder stuurtekens".into(),
        ));
    }
    Ok(())
}

/// Check that `role` at `organisation` may hold an account or token
/// ([`vangnet_domain::access::may_hold_account`]).
pub fn check_actor(actor: &Actor) -> StoreResult<()> {
    if may_hold_account(actor.role, &actor.organisation) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "rol: de rol {} past niet bij organisatie {}",
            actor.role.key(),
            actor.organisation
        )))
    }
}

/// Check a new account before it is stored.
pub fn check_new_account(new: &NewAccount) -> StoreResult<()> {
    check_id(&new.id)?;
    check_naam(&new.naam)?;
    check_actor(&new.actor)?;
    if !new.password_hash.starts_with("$argon2id$") {
        return Err(StoreError::Invalid(
            "wachtwoord: alleen een argon2id-hash wordt opgeslagen".into(),
        ));
    }
    Ok(())
}

/// Check a change before it is applied.
pub fn check_change(change: &AccountChange) -> StoreResult<()> {
    match change {
        AccountChange::Password { hash, .. } if !hash.starts_with("$argon2id$") => Err(
            StoreError::Invalid("wachtwoord: alleen een argon2id-hash wordt opgeslagen".into()),
        ),
        AccountChange::Totp(Some(s)) if vangnet_auth::totp::Secret::from_base32(s).is_none() => {
            Err(StoreError::Invalid(
                "totp: het geheim is geen base32 van 20 bytes".into(),
            ))
        }
        AccountChange::Actor(a) => check_actor(a),
        AccountChange::Naam(n) => check_naam(n),
        _ => Ok(()),
    }
}

/// The access-log note of creating API token `id`: its name, role, organisation, fact
/// kinds and end.
pub fn token_created_note(id: &str, token: &ApiToken) -> String {
    format!(
        "API-token {id} ({}) aangemaakt voor rol {} bij {}, feiten {}, geldig tot {}",
        token.naam,
        token.actor.role.key(),
        token.actor.organisation,
        if token.facts.is_empty() {
            "geen".to_owned()
        } else {
            token.facts.join(",")
        },
        vangnet_domain::clock::rfc3339(token.expires_at)
    )
}

/// Check a new API token: id, name, role and organisation, and fact kinds that exist in
/// [`FACT_RIGHTS`]; it must expire after it is created.
pub fn check_token(id: &str, hash: &str, token: &ApiToken) -> StoreResult<()> {
    check_id(id)?;
    check_naam(&token.naam)?;
    check_actor(&token.actor)?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(StoreError::Invalid(
            "token: de hash is geen SHA-256 (64 hexadecimale tekens)".into(),
        ));
    }
    if let Some(f) = token
        .facts
        .iter()
        .find(|f| !FACT_RIGHTS.iter().any(|r| r.kind == f.as_str()))
    {
        return Err(StoreError::Invalid(format!(
            "feiten: '{f}' is geen soort feit"
        )));
    }
    if token.expires_at <= token.created_at {
        return Err(StoreError::Invalid(
            "dagen: het token moet na het aanmaken nog geldig zijn".into(),
        ));
    }
    Ok(())
}

/// The fact kinds of a token as stored: comma-separated.
pub fn facts_column(facts: &[String]) -> String {
    facts.join(",")
}

/// The fact kinds of a token from the stored column.
pub fn facts_from_column(column: &str) -> Vec<String> {
    column
        .split(',')
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An actor from stored columns (`role` key, organisation in its display form).
pub fn actor_from_columns(user: &str, role: &str, organisation: &str) -> StoreResult<Actor> {
    let role = Role::parse(role)
        .ok_or_else(|| StoreError::Backend(format!("onbekende rol '{role}' bij {user}")))?;
    let organisation = Organisation::parse(organisation).ok_or_else(|| {
        StoreError::Backend(format!("onbekende organisatie '{organisation}' bij {user}"))
    })?;
    Ok(Actor {
        user: user.to_owned(),
        role,
        organisation,
    })
}

/// An instant as stored: milliseconds since 1970 (UTC).
pub fn to_millis(t: Timestamp) -> i64 {
    t.as_millisecond()
}

/// A stored instant back (`Backend` if out of range).
pub fn from_millis(ms: i64) -> StoreResult<Timestamp> {
    Timestamp::from_millisecond(ms)
        .map_err(|e| StoreError::Backend(format!("ongeldig tijdstip {ms}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(ms: i64) -> Timestamp {
        from_millis(ms).unwrap()
    }

    #[test]
    fn session_expiry_idle_absolute_partial() {
        let t0 = 1_700_000_000_000;
        let min = 60_000;
        let s = Session {
            user: "jan".into(),
            stage: SessionStage::Complete,
            csrf: "c".into(),
            demo: false,
            created_at: ts(t0),
            last_seen: ts(t0),
            address: None,
        };
        assert!(s.live_at(ts(t0 + 30 * min)));
        assert!(!s.live_at(ts(t0 + 30 * min + 1)));
        let busy = Session {
            last_seen: ts(t0 + 12 * 60 * min - min),
            ..s.clone()
        };
        assert!(busy.live_at(ts(t0 + 12 * 60 * min)));
        assert!(!busy.live_at(ts(t0 + 12 * 60 * min + 1)));
        let partial = Session {
            stage: SessionStage::Password,
            ..s
        };
        assert!(partial.live_at(ts(t0 + 5 * min)));
        assert!(!partial.live_at(ts(t0 + 5 * min + 1)));
    }

    #[test]
    fn failed_logins_lock_and_a_locked_account_is_not_counted() {
        let now = ts(1_700_000_000_000);
        let (f, l, a) = after_failed_login(0, None, now);
        assert_eq!((f, l, a), (1, None, LoginAttempt::Failed { remaining: 4 }));
        let (f, l, a) = after_failed_login(4, None, now);
        let until = ts(1_700_000_000_000 + 15 * 60_000);
        assert_eq!((f, l, a), (5, Some(until), LoginAttempt::Locked { until }));
        assert_eq!(
            after_failed_login(5, Some(until), now),
            (5, Some(until), LoginAttempt::Locked { until })
        );
        // After the lock: counted again, the next lock twice as long.
        let later = ts(1_700_000_000_000 + 16 * 60_000);
        assert_eq!(
            after_failed_login(5, Some(until), later).2,
            LoginAttempt::Failed { remaining: 4 }
        );
        let (_, l, _) = after_failed_login(9, Some(until), later);
        assert_eq!(l, Some(ts(1_700_000_000_000 + 16 * 60_000 + 30 * 60_000)));
    }

    #[test]
    fn management_only_by_the_beheerder_and_the_system() {
        let beheer = Actor {
            user: "beheer".into(),
            role: Role::Beheerder,
            organisation: Organisation::Vangnet,
        };
        let auditor = Actor {
            role: Role::Auditor,
            ..beheer.clone()
        };
        let (row, verdict) = manage(&AccessGate::new(beheer.clone(), "beheer"), ACTION_USER, "x");
        assert!(verdict.is_ok() && row.allowed && row.client.is_none());
        assert_eq!(row.purpose, "beheer: x");
        let (row, verdict) = manage(&AccessGate::new(auditor, "beheer"), ACTION_USER, "x");
        assert!(matches!(verdict, Err(StoreError::Denied(_))) && !row.allowed);
        let (row, verdict) = manage(&AccessGate::job(beheer, "beheer"), ACTION_TOKEN, "y");
        assert!(verdict.is_ok() && row.user == "beheer" && row.action == ACTION_TOKEN);
    }

    #[test]
    fn ids_and_descriptions() {
        assert!(check_id("jan.de-vries_2").is_ok());
        for bad in ["j", "Jan", "jan de vries", "jan@x", &"x".repeat(65), "ĳs"] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
        let d = AccountChange::Password {
            hash: "$argon2id$geheim".into(),
            must_change: true,
        };
        assert!(!d.describe("jan").contains("geheim"));
        assert!(!format!("{d:?}").contains("geheim"));
        assert!(
            !AccountChange::Totp(Some("GEHEIM".into()))
                .describe("jan")
                .contains("GEHEIM")
        );
    }
}
