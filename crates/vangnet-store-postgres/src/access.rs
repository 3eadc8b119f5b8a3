//! The access log on PostgreSQL: chained rows (`vangnet_store::audit`), anchors,
//! verification, retention and the migration step that chains rows written before the
//! chain existed.
//!
//! **The log lock.** Rows are appended only in a read-committed transaction that holds the
//! log's own advisory lock (key 22088, next to the writer lock; lock order: writer, then
//! log). The head is read after the lock was granted, so it is the latest committed row and
//! numbers stay gap-free across processes. Reads of client data run in a repeatable-read
//! snapshot, which could see an old head; they therefore write their rows in a short
//! transaction of their own after the read and return the data only once that committed.
//! Triggers (migration 0004) refuse UPDATE, DELETE and TRUNCATE, except the retention
//! deletion up to an anchor through `access_log_permit`.

use postgres::Row;
use vangnet_domain::{ClientId, Date};
use vangnet_store::audit::{Anchor, ChainReport, Head, Link, RetentionReport, StoredRow, Verifier};
use vangnet_store::time::now_rfc3339;
use vangnet_store::{AccessEntry, StoreError, StoreResult};

use crate::copy::{CopyBuf, Field};
use crate::{Tx, db, get};

/// The columns of a row, in the order [`row_entry`] reads them.
const ENTRY_COLS: &str = "at, actor_user, actor_role, actor_org, session, address, client_id, action, purpose, allowed, reason";

const HEAD: &str = "SELECT out_seq, out_hash FROM access_log_head()";
/// The log lock alone (the append path takes it with the writer lock; the same key as in
/// `access_log_head()`).
pub(crate) const LOG_LOCK: &str = "SELECT pg_advisory_xact_lock(22088, hashtext(current_schema()))";
/// A chained row after a guessed head: inserted only if the guess is the table's last row
/// (number and hash), as seen after the log lock was granted.
const INSERT_AFTER: &str = "INSERT INTO access_log (id, at, actor_user, actor_role, actor_org, session, address, client_id, action, purpose, allowed, reason, prev_hash, hash) \
     SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::bigint, $9::text, $10::text, $11::bool, $12::text, $13::text, $14::text \
     WHERE (SELECT max(id) FROM access_log) = $1::bigint - 1 AND (SELECT hash FROM access_log WHERE id = $1::bigint - 1) = $13::text";
const INSERT_CHAINED: &str = "INSERT INTO access_log (id, at, actor_user, actor_role, actor_org, session, address, client_id, action, purpose, allowed, reason, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)";

/// The parameters `$1…$14` of [`INSERT_CHAINED`] and [`INSERT_AFTER`]: `e` at `link`
/// (`seq` is `link.seq` as the column's type, `client` the client id column).
fn chained_params<'a>(
    seq: &'a i64,
    client: &'a Option<i64>,
    e: &'a AccessEntry,
    link: &'a Link,
) -> [&'a (dyn postgres::types::ToSql + Sync); 14] {
    [
        seq,
        &e.at,
        &e.user,
        &e.role,
        &e.organisation,
        &e.session,
        &e.address,
        client,
        &e.action,
        &e.purpose,
        &e.allowed,
        &e.reason,
        &link.prev_hash,
        &link.hash,
    ]
}
const INSERT_UNCHAINED: &str = "INSERT INTO access_log (id, at, actor_user, actor_role, actor_org, session, address, client_id, action, purpose, allowed, reason) VALUES (nextval('access_log_id_seq'),$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)";
const INSERT_ANCHOR: &str =
    "INSERT INTO access_anchor (seq, hash, at) VALUES ($1, $2, $3) ON CONFLICT (seq) DO NOTHING";
/// Bulk rows (import): chained in Rust, copied.
pub(crate) const COPY_ACCESS: &str = "COPY access_log (id, at, actor_user, actor_role, actor_org, session, address, client_id, action, purpose, allowed, reason, prev_hash, hash) FROM STDIN";

/// The entry in columns `i..i+11` (see [`ENTRY_COLS`]).
fn row_entry(r: &Row, i: usize) -> StoreResult<AccessEntry> {
    Ok(AccessEntry {
        at: get(r, i)?,
        user: get(r, i + 1)?,
        role: get(r, i + 2)?,
        organisation: get(r, i + 3)?,
        session: get(r, i + 4)?,
        address: get(r, i + 5)?,
        client: get::<Option<i64>>(r, i + 6)?.map(|c| ClientId(c as u64)),
        action: get(r, i + 7)?,
        purpose: get(r, i + 8)?,
        allowed: get(r, i + 9)?,
        reason: get(r, i + 10)?,
    })
}

/// Take the log lock and read the head: the last row, else the newest anchor (retention
/// left no row), else the genesis — in one round trip (`access_log_head()`, migration 0004).
pub(crate) fn lock_head(tx: &mut Tx<'_>) -> StoreResult<Head> {
    let r = tx
        .query_opt(HEAD, &[])?
        .ok_or_else(|| StoreError::Backend("access_log_head() gaf geen rij".into()))?;
    Ok(match get::<Option<i64>>(&r, 0)? {
        // A row without a hash (written around Vangnet) is chained over; the verifier names it.
        Some(seq) => Head {
            seq: seq as u64,
            hash: get::<Option<String>>(&r, 1)?.unwrap_or_default(),
        },
        None => Head::genesis(),
    })
}

/// Writes access-log rows after the head it read once under the log lock.
pub(crate) struct AccessWriter {
    /// `None`: unchained (the benchmark's baseline only: no lock, no hash, the old sequence).
    head: Option<Head>,
}

impl AccessWriter {
    /// Take the log lock and read the head (`chained = false`: neither).
    pub(crate) fn open(tx: &mut Tx<'_>, chained: bool) -> StoreResult<AccessWriter> {
        Ok(AccessWriter {
            head: if chained { Some(lock_head(tx)?) } else { None },
        })
    }

    /// Append `e`.
    pub(crate) fn write(&mut self, tx: &mut Tx<'_>, e: &AccessEntry) -> StoreResult<()> {
        let client = e.client.map(|c| c.0 as i64);
        let Some(head) = &mut self.head else {
            tx.execute(
                INSERT_UNCHAINED,
                &[
                    &e.at,
                    &e.user,
                    &e.role,
                    &e.organisation,
                    &e.session,
                    &e.address,
                    &client,
                    &e.action,
                    &e.purpose,
                    &e.allowed,
                    &e.reason,
                ],
            )?;
            return Ok(());
        };
        let link = head.link(e);
        let seq = link.seq as i64;
        tx.execute(INSERT_CHAINED, &chained_params(&seq, &client, e, &link))?;
        if link.anchor {
            tx.execute(INSERT_ANCHOR, &[&(link.seq as i64), &link.hash, &e.at])?;
        }
        Ok(())
    }
}

/// Append `entries` in a transaction that already holds the log lock, after `guess` (the
/// head this store's previous append left): the first row is inserted only if the guess is
/// still the last row — then no head read was needed; otherwise (another process or store
/// wrote, or the guess was rolled back) the head is read and the row written after it.
/// Returns the new head.
pub(crate) fn write_after(
    tx: &mut Tx<'_>,
    guess: Option<Head>,
    entries: &[AccessEntry],
) -> StoreResult<Head> {
    let mut rest = entries;
    let mut head = None;
    if let (Some(mut h), Some(e)) = (guess.filter(|h| h.seq > 0), entries.first()) {
        let link = h.link(e);
        let client = e.client.map(|c| c.0 as i64);
        let seq = link.seq as i64;
        let n = tx.execute(INSERT_AFTER, &chained_params(&seq, &client, e, &link))?;
        if n == 1 {
            if link.anchor {
                tx.execute(INSERT_ANCHOR, &[&(link.seq as i64), &link.hash, &e.at])?;
            }
            head = Some(h);
            rest = &entries[1..];
        }
    }
    let mut w = AccessWriter {
        head: Some(match head {
            Some(h) => h,
            None => lock_head(tx)?,
        }),
    };
    for e in rest {
        w.write(tx, e)?;
    }
    Ok(w.head.expect("chained"))
}

/// Chained rows for `COPY` (import), after a head read under the log lock; anchors are
/// collected and written by [`CopyWriter::finish`].
pub(crate) struct CopyWriter {
    head: Head,
    anchors: Vec<(i64, String, String)>,
}

impl CopyWriter {
    /// Take the log lock and read the head.
    pub(crate) fn open(tx: &mut Tx<'_>) -> StoreResult<CopyWriter> {
        Ok(CopyWriter {
            head: lock_head(tx)?,
            anchors: Vec::new(),
        })
    }

    /// Add `e` to `buf` (a [`COPY_ACCESS`] buffer).
    pub(crate) fn row(&mut self, buf: &mut CopyBuf, e: &AccessEntry) {
        let link = self.head.link(e);
        buf.row(&[
            Field::Int(link.seq as i64),
            Field::Text(&e.at),
            Field::Text(&e.user),
            Field::Text(&e.role),
            Field::Text(&e.organisation),
            Field::OptText(e.session.as_deref()),
            Field::OptText(e.address.as_deref()),
            Field::OptInt(e.client.map(|c| c.0 as i64)),
            Field::Text(&e.action),
            Field::Text(&e.purpose),
            Field::Bool(e.allowed),
            Field::Text(&e.reason),
            Field::Text(&link.prev_hash),
            Field::Text(&link.hash),
        ]);
        if link.anchor {
            self.anchors
                .push((link.seq as i64, link.hash, e.at.clone()));
        }
    }

    /// Write the anchors due.
    pub(crate) fn finish(self, tx: &mut Tx<'_>) -> StoreResult<()> {
        for (seq, hash, at) in &self.anchors {
            tx.execute(INSERT_ANCHOR, &[seq, hash, at])?;
        }
        Ok(())
    }
}

/// Migration 0004's middle step: chain the rows written before it (already renumbered
/// 1..n), oldest first, with anchors as for new rows. Runs once, in the migration's
/// transaction (which holds the writer lock), before the triggers make rows immutable.
pub(crate) fn chain_existing(tx: &mut Tx<'_>) -> StoreResult<u64> {
    let mut head = Head::genesis();
    tx.tx
        .batch_execute(
            "CREATE TEMP TABLE access_chain_tmp (id BIGINT PRIMARY KEY, prev_hash TEXT, hash TEXT) ON COMMIT DROP",
        )
        .map_err(db)?;
    let mut n = 0;
    let mut anchors = Vec::new();
    loop {
        let rows = tx
            .tx
            .query(
                &format!(
                    "SELECT id, {ENTRY_COLS} FROM access_log WHERE id > $1 ORDER BY id LIMIT 10000"
                ),
                &[&(head.seq as i64)],
            )
            .map_err(db)?;
        if rows.is_empty() {
            break;
        }
        let mut buf = CopyBuf::new("COPY access_chain_tmp (id, prev_hash, hash) FROM STDIN");
        for r in &rows {
            let e = row_entry(r, 1)?;
            let link = head.link(&e);
            buf.row(&[
                Field::Int(link.seq as i64),
                Field::Text(&link.prev_hash),
                Field::Text(&link.hash),
            ]);
            if link.anchor {
                anchors.push((link.seq as i64, link.hash, e.at));
            }
            n += 1;
        }
        buf.flush(&mut tx.tx)?;
    }
    tx.tx
        .batch_execute(
            "UPDATE access_log a SET prev_hash = t.prev_hash, hash = t.hash FROM access_chain_tmp t WHERE a.id = t.id",
        )
        .map_err(db)?;
    for (seq, hash, at) in &anchors {
        tx.execute(INSERT_ANCHOR, &[seq, hash, at])?;
    }
    Ok(n)
}

fn anchors(tx: &mut Tx<'_>) -> StoreResult<Vec<Anchor>> {
    tx.query("SELECT seq, hash, at FROM access_anchor ORDER BY seq", &[])?
        .iter()
        .map(|r| {
            Ok(Anchor {
                seq: get::<i64>(r, 0)? as u64,
                hash: get(r, 1)?,
                at: get(r, 2)?,
            })
        })
        .collect()
}

/// Verify the whole chain (call in a repeatable-read transaction: one consistent view).
pub(crate) fn verify(tx: &mut Tx<'_>, fetch: i32) -> StoreResult<ChainReport> {
    let mut v = Verifier::new(anchors(tx)?);
    let st = tx
        .tx
        .prepare(&format!(
            "SELECT id, prev_hash, hash, {ENTRY_COLS} FROM access_log ORDER BY id"
        ))
        .map_err(db)?;
    let portal = tx.tx.bind(&st, &[]).map_err(db)?;
    'rows: loop {
        let rows = tx.tx.query_portal(&portal, fetch).map_err(db)?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let row = StoredRow {
                seq: get::<i64>(r, 0)? as u64,
                prev_hash: get(r, 1)?,
                hash: get(r, 2)?,
                entry: row_entry(r, 3)?,
            };
            if !v.push(&row) {
                break 'rows;
            }
        }
    }
    Ok(v.finish())
}

/// Write an anchor at the head (in a write transaction).
pub(crate) fn anchor(tx: &mut Tx<'_>) -> StoreResult<Option<Anchor>> {
    let h = lock_head(tx)?;
    if h.seq == 0 {
        return Ok(None);
    }
    let at = now_rfc3339();
    tx.execute(INSERT_ANCHOR, &[&(h.seq as i64), &h.hash, &at])?;
    Ok(Some(Anchor {
        seq: h.seq,
        hash: h.hash,
        at,
    }))
}

/// Retention of the access log (in a write transaction): see
/// `Store::access_log_retention`. `record` gives the chained row written before deleting.
pub(crate) fn retention(
    tx: &mut Tx<'_>,
    cutoff: &str,
    execute: bool,
    record: &dyn Fn(u64, u64) -> AccessEntry,
) -> StoreResult<RetentionReport> {
    let mut writer = AccessWriter::open(tx, true)?;
    let r = tx
        .query_opt(
            "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0), MIN(id) FILTER (WHERE at >= $1) FROM access_log",
            &[&cutoff],
        )?
        .ok_or_else(|| StoreError::Backend("MIN(id) gaf geen rij".into()))?;
    let (first, last, young): (i64, i64, Option<i64>) = (get(&r, 0)?, get(&r, 1)?, get(&r, 2)?);
    let anchor_seqs: Vec<u64> = anchors(tx)?.iter().map(|a| a.seq).collect();
    let mut report = RetentionReport::plan(
        cutoff,
        execute,
        first as u64,
        last as u64,
        young.map(|y| y as u64),
        &anchor_seqs,
    );
    let (anchor, deletable) = (report.anchor, report.deletable);
    if let (true, Some(a)) = (execute, anchor) {
        writer.write(tx, &record(a, deletable))?;
        let a = a as i64;
        tx.execute("INSERT INTO access_log_permit (upto) VALUES ($1)", &[&a])?;
        report.deleted = tx.execute("DELETE FROM access_log WHERE id <= $1", &[&a])?;
        tx.execute("DELETE FROM access_log_permit", &[])?;
    }
    Ok(report)
}

/// The rows about `client`, oldest first.
pub(crate) fn of_client(tx: &mut Tx<'_>, client: ClientId) -> StoreResult<Vec<AccessEntry>> {
    tx.tx
        .query(
            &format!("SELECT {ENTRY_COLS} FROM access_log WHERE client_id = $1 ORDER BY id"),
            &[&(client.0 as i64)],
        )
        .map_err(db)?
        .iter()
        .map(|r| row_entry(r, 0))
        .collect()
}

/// The newest rows matching the filter (auditor's `/toegangslog`).
pub(crate) fn filtered(
    tx: &mut Tx<'_>,
    filter: &vangnet_store::AccessLogFilter,
) -> StoreResult<Vec<AccessEntry>> {
    let limit = i64::try_from(filter.limit).unwrap_or(i64::MAX);
    let client = filter.client.map(|c| c.0 as i64);
    tx.tx
        .query(
            &format!(
                "SELECT {ENTRY_COLS} FROM access_log \
                 WHERE ($2::bigint IS NULL OR client_id = $2) AND ($3::text IS NULL OR actor_user = $3) AND (NOT $4::bool OR NOT allowed) \
                 AND ($5::text IS NULL OR at >= $5) AND ($6::text IS NULL OR at < $6) \
                 AND ($7::text IS NULL OR actor_org = $7) AND ($8::text IS NULL OR actor_role = $8) \
                 AND ($9::text IS NULL OR strpos(lower(purpose), lower($9)) > 0) \
                 ORDER BY id DESC LIMIT $1"
            ),
            &[
                &limit,
                &client,
                &filter.user,
                &filter.only_refused,
                &filter.from,
                &filter.until,
                &filter.organisation,
                &filter.role,
                &filter.purpose,
            ],
        )
        .map_err(db)?
        .iter()
        .map(|r| row_entry(r, 0))
        .collect()
}

/// Clients past retention (see `Store::clients_past_retention`).
pub(crate) fn clients_past(
    tx: &mut Tx<'_>,
    before: Date,
    limit: usize,
) -> StoreResult<vangnet_store::DueClients> {
    let rows = tx
        .tx
        .query(
            "SELECT s.client_id, s.phase, MAX(e.effective_date) AS last FROM client_state s JOIN events e ON e.client_id = s.client_id
             WHERE s.phase IN ('afgewezen', 'uitgestroomd') GROUP BY s.client_id, s.phase HAVING MAX(e.effective_date) < $1
             ORDER BY last, s.client_id",
            &[&before.to_string()],
        )
        .map_err(db)?;
    let mut out = Vec::new();
    for r in rows.iter().take(limit) {
        let last: String = get(r, 2)?;
        out.push((
            ClientId(get::<i64>(r, 0)? as u64),
            get(r, 1)?,
            Date::parse(&last).map_err(|e| StoreError::Backend(e.to_string()))?,
        ));
    }
    Ok((rows.len() as u64, out))
}
