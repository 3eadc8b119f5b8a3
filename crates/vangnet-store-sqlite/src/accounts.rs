//! Accounts, sessions and API tokens on SQLite (migration 0005): rows only; the rules
//! (who may manage, lock-out, expiry, checks) are `vangnet_store::accounts`. Management
//! writes its chained access-log row in the same transaction (a refusal's row too, see
//! `SqliteStore::gated_tx`); sessions and login counters are written without a log row.

use rusqlite::{Connection, OptionalExtension, Row, params};
use vangnet_domain::clock::Timestamp;
use vangnet_store::accounts::{
    ACTION_TOKEN, ACTION_USER, Account, AccountChange, AccountStore, ApiToken, LoginAttempt,
    NewAccount, Session, SessionCutoffs, SessionStage, actor_from_columns, after_failed_login,
    check_change, check_new_account, check_token, facts_column, facts_from_column, from_millis,
    manage, to_millis, token_created_note,
};
use vangnet_store::{AccessGate, StoreError, StoreResult};

use crate::{SqliteStore, db};

const USER_COLUMNS: &str = "SELECT id, naam, role, organisation, password_hash, totp_secret, totp_last_step, disabled, must_change_password, failed_logins, locked_until, created_at FROM users";
const TOKEN_COLUMNS: &str = "SELECT id, naam, role, organisation, facts, created_by, created_at, expires_at, revoked_at FROM api_tokens";
const SESSION_COLUMNS: &str =
    "SELECT user_id, stage, csrf, demo, created_at, last_seen, address FROM sessions";

fn opt_time(v: Option<i64>) -> StoreResult<Option<Timestamp>> {
    v.map(from_millis).transpose()
}

fn user_row(r: &Row<'_>) -> StoreResult<Account> {
    let g = |e: rusqlite::Error| db(e);
    let id: String = r.get(0).map_err(g)?;
    let role: String = r.get(2).map_err(g)?;
    let org: String = r.get(3).map_err(g)?;
    let last_step: Option<i64> = r.get(6).map_err(g)?;
    let failed: i64 = r.get(9).map_err(g)?;
    Ok(Account {
        actor: actor_from_columns(&id, &role, &org)?,
        naam: r.get(1).map_err(g)?,
        password_hash: r.get(4).map_err(g)?,
        totp_secret: r.get(5).map_err(g)?,
        totp_last_step: last_step.map(|s| s as u64),
        disabled: r.get(7).map_err(g)?,
        must_change_password: r.get(8).map_err(g)?,
        failed_logins: u32::try_from(failed).unwrap_or(u32::MAX),
        locked_until: opt_time(r.get(10).map_err(g)?)?,
        created_at: from_millis(r.get(11).map_err(g)?)?,
        id,
    })
}

fn token_row(r: &Row<'_>) -> StoreResult<ApiToken> {
    let g = |e: rusqlite::Error| db(e);
    let id: String = r.get(0).map_err(g)?;
    let role: String = r.get(2).map_err(g)?;
    let org: String = r.get(3).map_err(g)?;
    let facts: String = r.get(4).map_err(g)?;
    Ok(ApiToken {
        actor: actor_from_columns(&ApiToken::actor_user(&id), &role, &org)?,
        naam: r.get(1).map_err(g)?,
        facts: facts_from_column(&facts),
        created_by: r.get(5).map_err(g)?,
        created_at: from_millis(r.get(6).map_err(g)?)?,
        expires_at: from_millis(r.get(7).map_err(g)?)?,
        revoked_at: opt_time(r.get(8).map_err(g)?)?,
        id,
    })
}

fn session_row(r: &Row<'_>) -> StoreResult<Session> {
    let g = |e: rusqlite::Error| db(e);
    let stage: String = r.get(1).map_err(g)?;
    Ok(Session {
        user: r.get(0).map_err(g)?,
        stage: SessionStage::parse(&stage)
            .ok_or_else(|| StoreError::Backend(format!("onbekende sessiefase '{stage}'")))?,
        csrf: r.get(2).map_err(g)?,
        demo: r.get(3).map_err(g)?,
        created_at: from_millis(r.get(4).map_err(g)?)?,
        last_seen: from_millis(r.get(5).map_err(g)?)?,
        address: r.get(6).map_err(g)?,
    })
}

fn load_user(c: &Connection, id: &str) -> StoreResult<Option<Account>> {
    let mut stmt = c
        .prepare_cached(&format!("{USER_COLUMNS} WHERE id = ?1"))
        .map_err(db)?;
    let mut rows = stmt.query([id]).map_err(db)?;
    match rows.next().map_err(db)? {
        Some(r) => user_row(r).map(Some),
        None => Ok(None),
    }
}

fn unknown_user(id: &str) -> StoreError {
    StoreError::AccountNotFound(format!("gebruiker '{id}' bestaat niet"))
}

fn end_sessions(c: &Connection, user: &str) -> StoreResult<u64> {
    c.execute("DELETE FROM sessions WHERE user_id = ?1", [user])
        .map(|n| n as u64)
        .map_err(db)
}

impl AccountStore for SqliteStore {
    fn create_user(&self, by: &AccessGate, new: NewAccount) -> StoreResult<()> {
        check_new_account(&new)?;
        self.gated_tx(|tx, log| {
            let what = format!(
                "gebruiker {} aangemaakt (rol {}, organisatie {})",
                new.id,
                new.actor.role.key(),
                new.actor.organisation
            );
            let (entry, verdict) = manage(by, ACTION_USER, &what);
            log.push(entry);
            verdict?;
            let exists: bool = tx
                .query_row("SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)", [&new.id], |r| {
                    r.get(0)
                })
                .map_err(db)?;
            if exists {
                return Err(StoreError::AccountConflict(format!(
                    "gebruiker '{}' bestaat al",
                    new.id
                )));
            }
            tx.execute(
                "INSERT INTO users (id, naam, role, organisation, password_hash, must_change_password, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    new.id,
                    new.naam.trim(),
                    new.actor.role.key(),
                    new.actor.organisation.to_string(),
                    new.password_hash,
                    new.must_change_password,
                    to_millis(vangnet_store::time::now()),
                ],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn user(&self, id: &str) -> StoreResult<Option<Account>> {
        self.with_reader(|c| load_user(c, id))
    }

    fn users(&self) -> StoreResult<Vec<Account>> {
        self.with_reader(|c| {
            let mut stmt = c
                .prepare_cached(&format!("{USER_COLUMNS} ORDER BY id"))
                .map_err(db)?;
            let mut rows = stmt.query([]).map_err(db)?;
            let mut out = Vec::new();
            while let Some(r) = rows.next().map_err(db)? {
                out.push(user_row(r)?);
            }
            Ok(out)
        })
    }

    fn update_user(&self, by: &AccessGate, id: &str, change: AccountChange) -> StoreResult<()> {
        check_change(&change)?;
        self.gated_tx(|tx, log| {
            let (entry, verdict) = manage(by, ACTION_USER, &change.describe(id));
            log.push(entry);
            verdict?;
            let n = match &change {
                AccountChange::Password { hash, must_change } => tx.execute(
                    "UPDATE users SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1",
                    params![id, hash, must_change],
                ),
                AccountChange::Totp(secret) => tx.execute(
                    "UPDATE users SET totp_secret = ?2, totp_last_step = NULL WHERE id = ?1",
                    params![id, secret],
                ),
                AccountChange::Disabled(d) => tx.execute(
                    "UPDATE users SET disabled = ?2 WHERE id = ?1",
                    params![id, d],
                ),
                AccountChange::Actor(a) => tx.execute(
                    "UPDATE users SET role = ?2, organisation = ?3 WHERE id = ?1",
                    params![id, a.role.key(), a.organisation.to_string()],
                ),
                AccountChange::Naam(n) => tx.execute(
                    "UPDATE users SET naam = ?2 WHERE id = ?1",
                    params![id, n.trim()],
                ),
                AccountChange::Unlock => tx.execute(
                    "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
                    params![id],
                ),
            }
            .map_err(db)?;
            if n == 0 {
                return Err(unknown_user(id));
            }
            if change.ends_sessions() {
                end_sessions(tx, id)?;
            }
            Ok(())
        })
    }

    fn login_failed(&self, id: &str, now: Timestamp) -> StoreResult<LoginAttempt> {
        self.write_tx(|tx| {
            let row: Option<(i64, Option<i64>)> = tx
                .query_row(
                    "SELECT failed_logins, locked_until FROM users WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(db)?;
            let (failed, locked) = row.ok_or_else(|| unknown_user(id))?;
            let (failed, locked, attempt) = after_failed_login(
                u32::try_from(failed).unwrap_or(u32::MAX),
                opt_time(locked)?,
                now,
            );
            tx.execute(
                "UPDATE users SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1",
                params![id, i64::from(failed), locked.map(to_millis)],
            )
            .map_err(db)?;
            Ok(attempt)
        })
    }

    fn login_succeeded(&self, id: &str) -> StoreResult<()> {
        self.write_tx(|tx| {
            let n = tx
                .execute(
                    "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
                    [id],
                )
                .map_err(db)?;
            if n == 0 {
                return Err(unknown_user(id));
            }
            Ok(())
        })
    }

    fn use_totp_step(&self, id: &str, step: u64) -> StoreResult<bool> {
        let step = i64::try_from(step)
            .map_err(|_| StoreError::Invalid("totp: tijdstap buiten het bereik".into()))?;
        self.write_tx(|tx| {
            let n = tx
                .execute(
                    "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
                    params![id, step],
                )
                .map_err(db)?;
            Ok(n == 1)
        })
    }

    fn create_session(&self, id_hash: &str, s: &Session) -> StoreResult<()> {
        self.write_tx(|tx| {
            tx.execute(
                "INSERT INTO sessions (id_hash, user_id, stage, csrf, demo, created_at, last_seen, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id_hash,
                    s.user,
                    s.stage.key(),
                    s.csrf,
                    s.demo,
                    to_millis(s.created_at),
                    to_millis(s.last_seen),
                    s.address
                ],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn session(&self, id_hash: &str) -> StoreResult<Option<Session>> {
        let found = self.with_reader(|c| {
            let mut stmt = c
                .prepare_cached(&format!("{SESSION_COLUMNS} WHERE id_hash = ?1"))
                .map_err(db)?;
            let mut rows = stmt.query([id_hash]).map_err(db)?;
            match rows.next().map_err(db)? {
                Some(r) => session_row(r).map(Some),
                None => Ok(None),
            }
        })?;
        let now = vangnet_store::time::now();
        Ok(found.filter(|s| s.live_at(now)))
    }

    fn touch_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        self.write_tx(|tx| {
            tx.execute(
                "UPDATE sessions SET last_seen = MAX(last_seen, ?2) WHERE id_hash = ?1",
                params![id_hash, to_millis(now)],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn end_session(&self, id_hash: &str) -> StoreResult<()> {
        self.write_tx(|tx| {
            tx.execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])
                .map_err(db)?;
            Ok(())
        })
    }

    fn end_sessions_of(&self, user: &str) -> StoreResult<u64> {
        self.write_tx(|tx| end_sessions(tx, user))
    }

    fn purge_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let c = SessionCutoffs::at(now);
        self.write_tx(|tx| {
            tx.execute(
                "DELETE FROM sessions WHERE (stage = 'compleet' AND (last_seen < ?1 OR created_at < ?2)) OR (stage = 'wachtwoord' AND created_at < ?3)",
                params![c.idle_last_seen, c.absolute_created, c.partial_created],
            )
            .map(|n| n as u64)
            .map_err(db)
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
        self.gated_tx(|tx, log| {
            let what = token_created_note(id, token);
            let (entry, verdict) = manage(by, ACTION_TOKEN, &what);
            log.push(entry);
            verdict?;
            let exists: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE id = ?1 OR token_hash = ?2)",
                    [id, hash],
                    |r| r.get(0),
                )
                .map_err(db)?;
            if exists {
                return Err(StoreError::AccountConflict(format!(
                    "API-token '{id}' bestaat al"
                )));
            }
            tx.execute(
                "INSERT INTO api_tokens (id, token_hash, naam, role, organisation, facts, created_by, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    id,
                    hash,
                    token.naam.trim(),
                    token.actor.role.key(),
                    token.actor.organisation.to_string(),
                    facts_column(&token.facts),
                    token.created_by,
                    to_millis(token.created_at),
                    to_millis(token.expires_at),
                ],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn token_by_hash(&self, hash: &str) -> StoreResult<Option<ApiToken>> {
        let found = self.with_reader(|c| {
            let mut stmt = c
                .prepare_cached(&format!("{TOKEN_COLUMNS} WHERE token_hash = ?1"))
                .map_err(db)?;
            let mut rows = stmt.query([hash]).map_err(db)?;
            match rows.next().map_err(db)? {
                Some(r) => token_row(r).map(Some),
                None => Ok(None),
            }
        })?;
        let now = vangnet_store::time::now();
        Ok(found.filter(|t| t.valid_at(now)))
    }

    fn tokens(&self) -> StoreResult<Vec<ApiToken>> {
        self.with_reader(|c| {
            let mut stmt = c
                .prepare_cached(&format!("{TOKEN_COLUMNS} ORDER BY id"))
                .map_err(db)?;
            let mut rows = stmt.query([]).map_err(db)?;
            let mut out = Vec::new();
            while let Some(r) = rows.next().map_err(db)? {
                out.push(token_row(r)?);
            }
            Ok(out)
        })
    }

    fn revoke_token(&self, by: &AccessGate, id: &str, now: Timestamp) -> StoreResult<()> {
        self.gated_tx(|tx, log| {
            let (entry, verdict) = manage(by, ACTION_TOKEN, &format!("API-token {id} ingetrokken"));
            log.push(entry);
            verdict?;
            let n = tx
                .execute(
                    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
                    params![id, to_millis(now)],
                )
                .map_err(db)?;
            if n == 0 {
                return Err(StoreError::AccountNotFound(format!(
                    "API-token '{id}' bestaat niet"
                )));
            }
            Ok(())
        })
    }
}
