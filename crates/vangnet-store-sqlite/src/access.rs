//! The access log on SQLite: chained rows (`vangnet_store::audit`), anchors, verification,
//! retention and the migration step that chains rows written before the chain existed.
//!
//! Every row is written by [`AccessWriter`] inside an IMMEDIATE transaction (or on the
//! writer connection behind its mutex): the head it reads cannot move before the commit,
//! also not through another process, so numbers stay gap-free and each row's `prev_hash`
//! is the hash of the row before it. Triggers (migration 0004) refuse UPDATE and DELETE,
//! except the retention deletion up to an anchor through `access_log_permit`.

use rusqlite::{Connection, OptionalExtension, params};
use vangnet_domain::{ClientId, Date};
use vangnet_store::audit::{Anchor, ChainReport, Head, RetentionReport, StoredRow, Verifier};
use vangnet_store::time::now_rfc3339;
use vangnet_store::{AccessEntry, StoreResult};

use crate::db;

/// The columns of a row, in the order [`row_entry`] reads them (from index 0).
pub(crate) const ENTRY_COLS: &str = "at, actor_user, actor_role, actor_org, session, address, client_id, action, purpose, allowed, reason";

/// The entry in columns `i..i+11` (see [`ENTRY_COLS`]).
pub(crate) fn row_entry(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<AccessEntry> {
    Ok(AccessEntry {
        at: r.get(i)?,
        user: r.get(i + 1)?,
        role: r.get(i + 2)?,
        organisation: r.get(i + 3)?,
        session: r.get(i + 4)?,
        address: r.get(i + 5)?,
        client: r.get::<_, Option<i64>>(i + 6)?.map(|c| ClientId(c as u64)),
        action: r.get(i + 7)?,
        purpose: r.get(i + 8)?,
        allowed: r.get(i + 9)?,
        reason: r.get(i + 10)?,
    })
}

/// The chain's head: the last row, else the newest anchor (retention left no row), else
/// the genesis. Call inside the write transaction.
pub(crate) fn head(c: &Connection) -> StoreResult<Head> {
    let last: Option<(i64, Option<String>)> = c
        .prepare_cached("SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1")
        .map_err(db)?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(db)?;
    if let Some((seq, hash)) = last {
        // A row without a hash (written around Vangnet) is chained over as it is; the
        // verifier names it.
        return Ok(Head {
            seq: seq as u64,
            hash: hash.unwrap_or_default(),
        });
    }
    let anchor: Option<(i64, String)> = c
        .prepare_cached("SELECT seq, hash FROM access_anchor ORDER BY seq DESC LIMIT 1")
        .map_err(db)?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(db)?;
    Ok(anchor.map_or_else(Head::genesis, |(seq, hash)| Head {
        seq: seq as u64,
        hash,
    }))
}

/// Writes access-log rows after the head it read once.
pub(crate) struct AccessWriter {
    /// `None`: unchained (the benchmark's baseline only).
    head: Option<Head>,
}

impl AccessWriter {
    /// Read the head (inside the write transaction); `chained = false` only for the
    /// benchmark's baseline (rows without number control or hash, as before the chain).
    pub(crate) fn open(c: &Connection, chained: bool) -> StoreResult<AccessWriter> {
        Ok(AccessWriter {
            head: if chained { Some(head(c)?) } else { None },
        })
    }

    /// Append `e`.
    pub(crate) fn write(&mut self, c: &Connection, e: &AccessEntry) -> StoreResult<()> {
        let client = e.client.map(|c| c.0 as i64);
        let Some(head) = &mut self.head else {
            c.prepare_cached(
                "INSERT INTO access_log (at, actor_user, actor_role, actor_org, session, address, client_id, action, purpose, allowed, reason) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
            )
            .map_err(db)?
            .execute(params![e.at, e.user, e.role, e.organisation, e.session, e.address, client, e.action, e.purpose, e.allowed, e.reason])
            .map_err(db)?;
            return Ok(());
        };
        let link = head.link(e);
        c.prepare_cached(
            "INSERT INTO access_log (id, at, actor_user, actor_role, actor_org, session, address, client_id, action, purpose, allowed, reason, prev_hash, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
        )
        .map_err(db)?
        .execute(params![link.seq as i64, e.at, e.user, e.role, e.organisation, e.session, e.address, client, e.action, e.purpose, e.allowed, e.reason, link.prev_hash, link.hash])
        .map_err(db)?;
        if link.anchor {
            insert_anchor(c, link.seq, &link.hash, &e.at)?;
        }
        Ok(())
    }
}

fn insert_anchor(c: &Connection, seq: u64, hash: &str, at: &str) -> StoreResult<()> {
    c.prepare_cached("INSERT OR IGNORE INTO access_anchor (seq, hash, at) VALUES (?1, ?2, ?3)")
        .map_err(db)?
        .execute(params![seq as i64, hash, at])
        .map_err(db)?;
    Ok(())
}

/// Migration 0004's middle step: chain the rows written before it (already renumbered
/// 1..n), oldest first, with anchors. Runs once, in the
/// migration's transaction, before the triggers make rows immutable.
/// (Anchors: every `vangnet_store::audit::ANCHOR_EVERY` rows, as for new rows.)
pub(crate) fn chain_existing(c: &Connection) -> StoreResult<u64> {
    let mut head = Head::genesis();
    let mut n = 0;
    loop {
        let batch: Vec<(u64, AccessEntry)> = c
            .prepare(&format!(
                "SELECT id, {ENTRY_COLS} FROM access_log WHERE id > ?1 ORDER BY id LIMIT 10000"
            ))
            .map_err(db)?
            .query_map([head.seq as i64], |r| {
                Ok((r.get::<_, i64>(0)? as u64, row_entry(r, 1)?))
            })
            .map_err(db)?
            .collect::<Result<_, _>>()
            .map_err(db)?;
        if batch.is_empty() {
            return Ok(n);
        }
        let mut update = c
            .prepare_cached("UPDATE access_log SET prev_hash = ?1, hash = ?2 WHERE id = ?3")
            .map_err(db)?;
        for (seq, e) in &batch {
            debug_assert_eq!(*seq, head.seq + 1, "renumbered gap-free");
            let link = head.link(e);
            update
                .execute(params![link.prev_hash, link.hash, *seq as i64])
                .map_err(db)?;
            if link.anchor {
                insert_anchor(c, link.seq, &link.hash, &e.at)?;
            }
            n += 1;
        }
    }
}

/// All anchors.
fn anchors(c: &Connection) -> StoreResult<Vec<Anchor>> {
    c.prepare_cached("SELECT seq, hash, at FROM access_anchor ORDER BY seq")
        .map_err(db)?
        .query_map([], |r| {
            Ok(Anchor {
                seq: r.get::<_, i64>(0)? as u64,
                hash: r.get(1)?,
                at: r.get(2)?,
            })
        })
        .map_err(db)?
        .collect::<Result<_, _>>()
        .map_err(db)
}

/// Verify the whole chain in one read transaction.
pub(crate) fn verify(c: &Connection) -> StoreResult<ChainReport> {
    c.execute_batch("BEGIN").map_err(db)?;
    let out = (|| {
        let mut v = Verifier::new(anchors(c)?);
        let mut st = c
            .prepare(&format!(
                "SELECT id, prev_hash, hash, {ENTRY_COLS} FROM access_log ORDER BY id"
            ))
            .map_err(db)?;
        let mut rows = st.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let row = StoredRow {
                seq: r.get::<_, i64>(0).map_err(db)? as u64,
                prev_hash: r.get(1).map_err(db)?,
                hash: r.get(2).map_err(db)?,
                entry: row_entry(r, 3).map_err(db)?,
            };
            if !v.push(&row) {
                break;
            }
        }
        Ok(v.finish())
    })();
    c.execute_batch("COMMIT").map_err(db)?;
    out
}

/// Write an anchor at the head (inside the write transaction).
pub(crate) fn anchor(c: &Connection) -> StoreResult<Option<Anchor>> {
    let h = head(c)?;
    if h.seq == 0 {
        return Ok(None);
    }
    let at = now_rfc3339();
    insert_anchor(c, h.seq, &h.hash, &at)?;
    Ok(Some(Anchor {
        seq: h.seq,
        hash: h.hash,
        at,
    }))
}

/// Retention of the access log (inside the write transaction): see
/// `Store::access_log_retention`. `record` is the chained row to write when deleting,
/// given the anchor and the number of rows; it is written before the deletion.
pub(crate) fn retention(
    c: &Connection,
    writer: &mut AccessWriter,
    cutoff: &str,
    execute: bool,
    record: &dyn Fn(u64, u64) -> AccessEntry,
) -> StoreResult<RetentionReport> {
    let first: i64 = c
        .query_row("SELECT COALESCE(MIN(id), 0) FROM access_log", [], |r| {
            r.get(0)
        })
        .map_err(db)?;
    let first_young: Option<i64> = c
        .query_row(
            "SELECT MIN(id) FROM access_log WHERE at >= ?1",
            [cutoff],
            |r| r.get(0),
        )
        .map_err(db)?;
    let last: i64 = c
        .query_row("SELECT COALESCE(MAX(id), 0) FROM access_log", [], |r| {
            r.get(0)
        })
        .map_err(db)?;
    let anchor_seqs: Vec<u64> = anchors(c)?.iter().map(|a| a.seq).collect();
    let mut report = RetentionReport::plan(
        cutoff,
        execute,
        first as u64,
        last as u64,
        first_young.map(|y| y as u64),
        &anchor_seqs,
    );
    let (anchor, deletable) = (report.anchor, report.deletable);
    if let (true, Some(a)) = (execute, anchor) {
        writer.write(c, &record(a, deletable))?;
        c.execute(
            "INSERT INTO access_log_permit (upto) VALUES (?1)",
            [a as i64],
        )
        .map_err(db)?;
        let n = c
            .execute("DELETE FROM access_log WHERE id <= ?1", [a as i64])
            .map_err(db)?;
        c.execute("DELETE FROM access_log_permit", []).map_err(db)?;
        report.deleted = n as u64;
    }
    Ok(report)
}

/// The rows about `client`, oldest first.
pub(crate) fn of_client(c: &Connection, client: ClientId) -> StoreResult<Vec<AccessEntry>> {
    c.prepare_cached(&format!(
        "SELECT {ENTRY_COLS} FROM access_log WHERE client_id = ?1 ORDER BY id"
    ))
    .map_err(db)?
    .query_map([client.0 as i64], |r| row_entry(r, 0))
    .map_err(db)?
    .collect::<Result<_, _>>()
    .map_err(db)
}

/// Clients past retention (see `Store::clients_past_retention`).
pub(crate) fn clients_past(
    c: &Connection,
    before: Date,
    limit: usize,
) -> StoreResult<vangnet_store::DueClients> {
    let mut st = c
        .prepare(
            "SELECT s.client_id, s.phase, MAX(e.effective_date) AS last FROM client_state s JOIN events e ON e.client_id = s.client_id
             WHERE s.phase IN ('afgewezen', 'uitgestroomd') GROUP BY s.client_id, s.phase HAVING MAX(e.effective_date) < ?1
             ORDER BY last, s.client_id",
        )
        .map_err(db)?;
    let mut rows = st.query([before.to_string()]).map_err(db)?;
    let (mut n, mut out) = (0u64, Vec::new());
    while let Some(r) = rows.next().map_err(db)? {
        n += 1;
        if out.len() < limit {
            let last: String = r.get(2).map_err(db)?;
            out.push((
                ClientId(r.get::<_, i64>(0).map_err(db)? as u64),
                r.get(1).map_err(db)?,
                Date::parse(&last)
                    .map_err(|e| vangnet_store::StoreError::Backend(e.to_string()))?,
            ));
        }
    }
    Ok((n, out))
}
