//! Decision letters on SQLite (feat/brief, migration 0008): the SQL of
//! `Store::store_letter`, `letter` and `letters`; the gate decides and logs in the same
//! transaction (see `vangnet_store::letters`).

use rusqlite::{OptionalExtension, Transaction, params};
use vangnet_domain::access::Action;
use vangnet_domain::{ClientId, Date};
use vangnet_store::letters::{self, LetterSummary, NewLetter, StoredLetter};
use vangnet_store::time::now_rfc3339;
use vangnet_store::{AccessEntry, AccessGate, StoreError, StoreResult};

use crate::{SqliteStore, db, load_state};

/// Check `action` on `client` through the gate (an unknown client is refused like a
/// foreign one), pushing the log row.
fn allow(
    tx: &Transaction<'_>,
    gate: &AccessGate,
    client: ClientId,
    action: Action,
    log: &mut Vec<AccessEntry>,
) -> StoreResult<()> {
    let Some(state) = load_state(tx, client)? else {
        return Err(gate.refuse_missing(client, action, log, StoreError::NotFound(client)));
    };
    let (entry, verdict) = gate.check(client, action, &gate.scope(&state));
    log.push(entry);
    verdict
}

fn date(s: &str) -> StoreResult<Date> {
    Date::parse(s).map_err(|e| StoreError::Backend(format!("besluitbrief: datum {s}: {e}")))
}

fn read(tx: &Transaction<'_>, client: ClientId, version: u32) -> StoreResult<Option<StoredLetter>> {
    let row = tx
        .prepare_cached(
            "SELECT kenmerk, datum, created_at, content, pdf, sha256 FROM letters WHERE client_id = ?1 AND version = ?2",
        )
        .map_err(db)?
        .query_row(params![client.0 as i64, version], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Vec<u8>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })
        .optional()
        .map_err(db)?;
    row.map(|(kenmerk, datum, created_at, content, pdf, sha256)| {
        letters::checked(
            NewLetter {
                client,
                version,
                kenmerk,
                datum: date(&datum)?,
                content,
                pdf,
            },
            created_at,
            sha256,
        )
    })
    .transpose()
}

impl SqliteStore {
    pub(crate) fn store_letter_sql(
        &self,
        gate: &AccessGate,
        l: NewLetter,
    ) -> StoreResult<StoredLetter> {
        self.gated_tx(|tx, log| {
            // A letter is derived from the record (like a projection): whoever may read the
            // record may have it produced; the row names the purpose.
            allow(tx, gate, l.client, Action::Read, log)?;
            tx.prepare_cached(
                "INSERT INTO letters (client_id, version, kenmerk, datum, created_at, content, pdf, sha256)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT (client_id, version) DO NOTHING",
            )
            .map_err(db)?
            .execute(params![
                l.client.0 as i64,
                l.version,
                l.kenmerk,
                l.datum.to_string(),
                now_rfc3339(),
                l.content,
                l.pdf,
                letters::pdf_hash(&l.pdf),
            ])
            .map_err(db)?;
            read(tx, l.client, l.version)?
                .ok_or_else(|| StoreError::Backend("besluitbrief niet opgeslagen".into()))
        })
    }

    pub(crate) fn letter_sql(
        &self,
        gate: &AccessGate,
        client: ClientId,
        version: u32,
    ) -> StoreResult<Option<StoredLetter>> {
        self.gated_tx(|tx, log| {
            allow(tx, gate, client, Action::Read, log)?;
            read(tx, client, version)
        })
    }

    pub(crate) fn letters_sql(
        &self,
        gate: &AccessGate,
        client: ClientId,
    ) -> StoreResult<Vec<LetterSummary>> {
        self.gated_tx(|tx, log| {
            allow(tx, gate, client, Action::Read, log)?;
            let mut st = tx
                .prepare_cached(
                    "SELECT version, kenmerk, datum, created_at FROM letters WHERE client_id = ?1 ORDER BY version",
                )
                .map_err(db)?;
            let rows = st
                .query_map([client.0 as i64], |r| {
                    Ok((
                        r.get::<_, u32>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                })
                .map_err(db)?;
            let mut out = Vec::new();
            for r in rows {
                let (version, kenmerk, datum, created_at) = r.map_err(db)?;
                out.push(LetterSummary {
                    version,
                    kenmerk,
                    datum: date(&datum)?,
                    created_at,
                });
            }
            Ok(out)
        })
    }
}
