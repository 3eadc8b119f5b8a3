//! Decision letters on PostgreSQL (feat/brief, migration 0008): the SQL of
//! `Store::store_letter`, `letter` and `letters`; the gate decides and logs in the same
//! transaction (see `vangnet_store::letters`).

use vangnet_domain::access::Action;
use vangnet_domain::{ClientId, Date};
use vangnet_store::letters::{self, LetterSummary, NewLetter, StoredLetter};
use vangnet_store::time::now_rfc3339;
use vangnet_store::{AccessEntry, AccessGate, StoreError, StoreResult};

use crate::{PostgresStore, Tx, get, load_state};

const INSERT: &str =
    "INSERT INTO letters (client_id, version, kenmerk, datum, created_at, content, pdf, sha256)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (client_id, version) DO NOTHING";
const ONE: &str = "SELECT kenmerk, datum, created_at, content, pdf, sha256 FROM letters WHERE client_id = $1 AND version = $2";
const LIST: &str =
    "SELECT version, kenmerk, datum, created_at FROM letters WHERE client_id = $1 ORDER BY version";

/// Check `action` on `client` through the gate (an unknown client is refused like a
/// foreign one), pushing the log row.
fn allow(
    tx: &mut Tx<'_>,
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

fn version_of(v: u32) -> StoreResult<i32> {
    i32::try_from(v).map_err(|_| StoreError::Backend(format!("versie {v} valt buiten het bereik")))
}

fn read(tx: &mut Tx<'_>, client: ClientId, version: u32) -> StoreResult<Option<StoredLetter>> {
    let Some(r) = tx.query_opt(ONE, &[&(client.0 as i64), &version_of(version)?])? else {
        return Ok(None);
    };
    let letter = NewLetter {
        client,
        version,
        kenmerk: get(&r, 0)?,
        datum: date(&get::<String>(&r, 1)?)?,
        content: get(&r, 3)?,
        pdf: get(&r, 4)?,
    };
    letters::checked(letter, get(&r, 2)?, get(&r, 5)?).map(Some)
}

impl PostgresStore {
    pub(crate) fn store_letter_sql(
        &self,
        gate: &AccessGate,
        l: NewLetter,
    ) -> StoreResult<StoredLetter> {
        self.gated(true, |tx, log| {
            // A letter is derived from the record (like a projection): whoever may read the
            // record may have it produced; the row names the purpose.
            allow(tx, gate, l.client, Action::Read, log)?;
            tx.execute(
                INSERT,
                &[
                    &(l.client.0 as i64),
                    &version_of(l.version)?,
                    &l.kenmerk,
                    &l.datum.to_string(),
                    &now_rfc3339(),
                    &l.content,
                    &l.pdf,
                    &letters::pdf_hash(&l.pdf),
                ],
            )?;
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
        self.gated(false, |tx, log| {
            allow(tx, gate, client, Action::Read, log)?;
            read(tx, client, version)
        })
    }

    pub(crate) fn letters_sql(
        &self,
        gate: &AccessGate,
        client: ClientId,
    ) -> StoreResult<Vec<LetterSummary>> {
        self.gated(false, |tx, log| {
            allow(tx, gate, client, Action::Read, log)?;
            tx.query(LIST, &[&(client.0 as i64)])?
                .iter()
                .map(|r| {
                    Ok(LetterSummary {
                        version: u32::try_from(get::<i32>(r, 0)?).map_err(|_| {
                            StoreError::Backend("besluitbrief: negatieve versie".into())
                        })?,
                        kenmerk: get(r, 1)?,
                        datum: date(&get::<String>(r, 2)?)?,
                        created_at: get(r, 3)?,
                    })
                })
                .collect()
        })
    }
}
