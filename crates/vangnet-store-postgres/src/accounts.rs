//! Accounts, sessions and API tokens on PostgreSQL (migration 0005): rows only; the rules
//! (who may manage, lock-out, expiry, checks) are `vangnet_store::accounts`. Management runs
//! under the writer lock and writes its chained access-log row in the same transaction (a
//! refusal's row too, see `PostgresStore::gated`). Sessions and login counters are single
//! statements (or a row lock: `login_failed` reads `FOR UPDATE`), without a log row; the
//! TOTP step is one conditional `UPDATE`, a compare-and-set.

use postgres::IsolationLevel;
use postgres::Row;
use vangnet_domain::clock::Timestamp;
use vangnet_store::accounts::{
    ACTION_TOKEN, ACTION_USER, Account, AccountChange, AccountStore, ApiToken, LoginAttempt,
    NewAccount, Session, SessionCutoffs, SessionStage, actor_from_columns, after_failed_login,
    check_change, check_new_account, check_token, facts_column, facts_from_column, from_millis,
    manage, to_millis, token_created_note,
};
use vangnet_store::{AccessGate, StoreError, StoreResult};

use crate::{PostgresStore, Tx, get};

const USER_BY_ID: &str = "SELECT id, naam, role, organisation, password_hash, totp_secret, totp_last_step, disabled, must_change_password, failed_logins, locked_until, created_at FROM users WHERE id = $1";
const USERS: &str = "SELECT id, naam, role, organisation, password_hash, totp_secret, totp_last_step, disabled, must_change_password, failed_logins, locked_until, created_at FROM users ORDER BY id";
const USER_EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)";
const INSERT_USER: &str = "INSERT INTO users (id, naam, role, organisation, password_hash, must_change_password, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const SET_PASSWORD: &str =
    "UPDATE users SET password_hash = $2, must_change_password = $3 WHERE id = $1";
const SET_TOTP: &str = "UPDATE users SET totp_secret = $2, totp_last_step = NULL WHERE id = $1";
const SET_DISABLED: &str = "UPDATE users SET disabled = $2 WHERE id = $1";
const SET_ACTOR: &str = "UPDATE users SET role = $2, organisation = $3 WHERE id = $1";
const SET_NAAM: &str = "UPDATE users SET naam = $2 WHERE id = $1";
const UNLOCK: &str = "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1";
const COUNTER_FOR_UPDATE: &str =
    "SELECT failed_logins, locked_until FROM users WHERE id = $1 FOR UPDATE";
const SET_COUNTER: &str = "UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1";
const USE_STEP: &str = "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)";
const INSERT_SESSION: &str = "INSERT INTO sessions (id_hash, user_id, stage, csrf, demo, created_at, last_seen, address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const SESSION_BY_HASH: &str = "SELECT user_id, stage, csrf, demo, created_at, last_seen, address FROM sessions WHERE id_hash = $1";
const TOUCH: &str = "UPDATE sessions SET last_seen = GREATEST(last_seen, $2) WHERE id_hash = $1";
const END_SESSION: &str = "DELETE FROM sessions WHERE id_hash = $1";
const END_SESSIONS_OF: &str = "DELETE FROM sessions WHERE user_id = $1";
const PURGE: &str = "DELETE FROM sessions WHERE (stage = 'compleet' AND (last_seen < $1 OR created_at < $2)) OR (stage = 'wachtwoord' AND created_at < $3)";
const TOKEN_EXISTS: &str =
    "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE id = $1 OR token_hash = $2)";
const INSERT_TOKEN: &str = "INSERT INTO api_tokens (id, token_hash, naam, role, organisation, facts, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const TOKEN_BY_HASH: &str = "SELECT id, naam, role, organisation, facts, created_by, created_at, expires_at, revoked_at FROM api_tokens WHERE token_hash = $1";
const TOKENS: &str = "SELECT id, naam, role, organisation, facts, created_by, created_at, expires_at, revoked_at FROM api_tokens ORDER BY id";
const REVOKE: &str = "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1";

fn opt_time(v: Option<i64>) -> StoreResult<Option<Timestamp>> {
    v.map(from_millis).transpose()
}

fn user_row(r: &Row) -> StoreResult<Account> {
    let id: String = get(r, 0)?;
    let role: String = get(r, 2)?;
    let org: String = get(r, 3)?;
    let last_step: Option<i64> = get(r, 6)?;
    let failed: i32 = get(r, 9)?;
    Ok(Account {
        actor: actor_from_columns(&id, &role, &org)?,
        naam: get(r, 1)?,
        password_hash: get(r, 4)?,
        totp_secret: get(r, 5)?,
        totp_last_step: last_step.map(|s| s as u64),
        disabled: get(r, 7)?,
        must_change_password: get(r, 8)?,
        failed_logins: u32::try_from(failed).unwrap_or(0),
        locked_until: opt_time(get(r, 10)?)?,
        created_at: from_millis(get(r, 11)?)?,
        id,
    })
}

fn token_row(r: &Row) -> StoreResult<ApiToken> {
    let id: String = get(r, 0)?;
    let role: String = get(r, 2)?;
    let org: String = get(r, 3)?;
    let facts: String = get(r, 4)?;
    Ok(ApiToken {
        actor: actor_from_columns(&ApiToken::actor_user(&id), &role, &org)?,
        naam: get(r, 1)?,
        facts: facts_from_column(&facts),
        created_by: get(r, 5)?,
        created_at: from_millis(get(r, 6)?)?,
        expires_at: from_millis(get(r, 7)?)?,
        revoked_at: opt_time(get(r, 8)?)?,
        id,
    })
}

fn session_row(r: &Row) -> StoreResult<Session> {
    let stage: String = get(r, 1)?;
    Ok(Session {
        user: get(r, 0)?,
        stage: SessionStage::parse(&stage)
            .ok_or_else(|| StoreError::Backend(format!("onbekende sessiefase '{stage}'")))?,
        csrf: get(r, 2)?,
        demo: get(r, 3)?,
        created_at: from_millis(get(r, 4)?)?,
        last_seen: from_millis(get(r, 5)?)?,
        address: get(r, 6)?,
    })
}

fn unknown_user(id: &str) -> StoreError {
    StoreError::AccountNotFound(format!("gebruiker '{id}' bestaat niet"))
}

impl PostgresStore {
    /// Run `f` in a read-committed transaction without the writer lock (sessions, login
    /// counters and reads of accounts touch no client data and no projection).
    fn plain<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> StoreResult<T>) -> StoreResult<T> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::ReadCommitted, false)?;
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }
}

impl AccountStore for PostgresStore {
    fn create_user(&self, by: &AccessGate, new: NewAccount) -> StoreResult<()> {
        check_new_account(&new)?;
        self.gated(true, |tx, log| {
            let what = format!(
                "gebruiker {} aangemaakt (rol {}, organisatie {})",
                new.id,
                new.actor.role.key(),
                new.actor.organisation
            );
            let (entry, verdict) = manage(by, ACTION_USER, &what);
            log.push(entry);
            verdict?;
            let exists: bool = get(&tx.query(USER_EXISTS, &[&new.id])?[0], 0)?;
            if exists {
                return Err(StoreError::AccountConflict(format!(
                    "gebruiker '{}' bestaat al",
                    new.id
                )));
            }
            tx.execute(
                INSERT_USER,
                &[
                    &new.id,
                    &new.naam.trim(),
                    &new.actor.role.key(),
                    &new.actor.organisation.to_string(),
                    &new.password_hash,
                    &new.must_change_password,
                    &to_millis(vangnet_store::time::now()),
                ],
            )?;
            Ok(())
        })
    }

    fn user(&self, id: &str) -> StoreResult<Option<Account>> {
        self.plain(|tx| {
            tx.query_opt(USER_BY_ID, &[&id])?
                .map(|r| user_row(&r))
                .transpose()
        })
    }

    fn users(&self) -> StoreResult<Vec<Account>> {
        self.plain(|tx| tx.query(USERS, &[])?.iter().map(user_row).collect())
    }

    fn update_user(&self, by: &AccessGate, id: &str, change: AccountChange) -> StoreResult<()> {
        check_change(&change)?;
        self.gated(true, |tx, log| {
            let (entry, verdict) = manage(by, ACTION_USER, &change.describe(id));
            log.push(entry);
            verdict?;
            let n = match &change {
                AccountChange::Password { hash, must_change } => {
                    tx.execute(SET_PASSWORD, &[&id, hash, must_change])?
                }
                AccountChange::Totp(secret) => tx.execute(SET_TOTP, &[&id, secret])?,
                AccountChange::Disabled(d) => tx.execute(SET_DISABLED, &[&id, d])?,
                AccountChange::Actor(a) => tx.execute(
                    SET_ACTOR,
                    &[&id, &a.role.key(), &a.organisation.to_string()],
                )?,
                AccountChange::Naam(n) => tx.execute(SET_NAAM, &[&id, &n.trim()])?,
                AccountChange::Unlock => tx.execute(UNLOCK, &[&id])?,
            };
            if n == 0 {
                return Err(unknown_user(id));
            }
            if change.ends_sessions() {
                tx.execute(END_SESSIONS_OF, &[&id])?;
            }
            Ok(())
        })
    }

    fn login_failed(&self, id: &str, now: Timestamp) -> StoreResult<LoginAttempt> {
        self.plain(|tx| {
            let row = tx
                .query_opt(COUNTER_FOR_UPDATE, &[&id])?
                .ok_or_else(|| unknown_user(id))?;
            let failed: i32 = get(&row, 0)?;
            let locked: Option<i64> = get(&row, 1)?;
            let (failed, locked, attempt) =
                after_failed_login(u32::try_from(failed).unwrap_or(0), opt_time(locked)?, now);
            let failed = i32::try_from(failed).unwrap_or(i32::MAX);
            tx.execute(SET_COUNTER, &[&id, &failed, &locked.map(to_millis)])?;
            Ok(attempt)
        })
    }

    fn login_succeeded(&self, id: &str) -> StoreResult<()> {
        self.plain(|tx| {
            if tx.execute(UNLOCK, &[&id])? == 0 {
                return Err(unknown_user(id));
            }
            Ok(())
        })
    }

    fn use_totp_step(&self, id: &str, step: u64) -> StoreResult<bool> {
        let step = i64::try_from(step)
            .map_err(|_| StoreError::Invalid("totp: tijdstap buiten het bereik".into()))?;
        self.plain(|tx| Ok(tx.execute(USE_STEP, &[&id, &step])? == 1))
    }

    fn create_session(&self, id_hash: &str, s: &Session) -> StoreResult<()> {
        self.plain(|tx| {
            tx.execute(
                INSERT_SESSION,
                &[
                    &id_hash,
                    &s.user,
                    &s.stage.key(),
                    &s.csrf,
                    &s.demo,
                    &to_millis(s.created_at),
                    &to_millis(s.last_seen),
                    &s.address,
                ],
            )?;
            Ok(())
        })
    }

    fn session(&self, id_hash: &str) -> StoreResult<Option<Session>> {
        let found = self.plain(|tx| {
            tx.query_opt(SESSION_BY_HASH, &[&id_hash])?
                .map(|r| session_row(&r))
                .transpose()
        })?;
        let now = vangnet_store::time::now();
        Ok(found.filter(|s| s.live_at(now)))
    }

    fn touch_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        self.plain(|tx| {
            tx.execute(TOUCH, &[&id_hash, &to_millis(now)])?;
            Ok(())
        })
    }

    fn end_session(&self, id_hash: &str) -> StoreResult<()> {
        self.plain(|tx| {
            tx.execute(END_SESSION, &[&id_hash])?;
            Ok(())
        })
    }

    fn end_sessions_of(&self, user: &str) -> StoreResult<u64> {
        self.plain(|tx| tx.execute(END_SESSIONS_OF, &[&user]))
    }

    fn purge_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let c = SessionCutoffs::at(now);
        self.plain(|tx| {
            tx.execute(
                PURGE,
                &[&c.idle_last_seen, &c.absolute_created, &c.partial_created],
            )
        })
    }

    fn create_token(
        &self,
        by: &AccessGate,
        id: &str,
        hash: &str,
        token: &ApiToken,
    ) -> StoreResult<()> {
        check_token(id, hash, token)?;
        self.gated(true, |tx, log| {
            let what = token_created_note(id, token);
            let (entry, verdict) = manage(by, ACTION_TOKEN, &what);
            log.push(entry);
            verdict?;
            let exists: bool = get(&tx.query(TOKEN_EXISTS, &[&id, &hash])?[0], 0)?;
            if exists {
                return Err(StoreError::AccountConflict(format!(
                    "API-token '{id}' bestaat al"
                )));
            }
            tx.execute(
                INSERT_TOKEN,
                &[
                    &id,
                    &hash,
                    &token.naam.trim(),
                    &token.actor.role.key(),
                    &token.actor.organisation.to_string(),
                    &facts_column(&token.facts),
                    &token.created_by,
                    &to_millis(token.created_at),
                    &to_millis(token.expires_at),
                ],
            )?;
            Ok(())
        })
    }

    fn token_by_hash(&self, hash: &str) -> StoreResult<Option<ApiToken>> {
        let found = self.plain(|tx| {
            tx.query_opt(TOKEN_BY_HASH, &[&hash])?
                .map(|r| token_row(&r))
                .transpose()
        })?;
        let now = vangnet_store::time::now();
        Ok(found.filter(|t| t.valid_at(now)))
    }

    fn tokens(&self) -> StoreResult<Vec<ApiToken>> {
        self.plain(|tx| tx.query(TOKENS, &[])?.iter().map(token_row).collect())
    }

    fn revoke_token(&self, by: &AccessGate, id: &str, now: Timestamp) -> StoreResult<()> {
        self.gated(true, |tx, log| {
            let (entry, verdict) = manage(by, ACTION_TOKEN, &format!("API-token {id} ingetrokken"));
            log.push(entry);
            verdict?;
            if tx.execute(REVOKE, &[&id, &to_millis(now)])? == 0 {
                return Err(StoreError::AccountNotFound(format!(
                    "API-token '{id}' bestaat niet"
                )));
            }
            Ok(())
        })
    }
}
