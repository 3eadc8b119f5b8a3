//! Deleting a client's data past its retention period on SQLite (the rules are
//! `vangnet_store::deletion`): the rows removed in one IMMEDIATE transaction on the writer,
//! the client's monitor share added to `monitor_archive`, the deletion recorded in
//! `deleted_clients` (migration 0006) and one chained access-log row.

use rusqlite::{Connection, OptionalExtension, params};
use vangnet_domain::ClientId;
use vangnet_store::deletion::{self, DeletionReport};
use vangnet_store::{AccessGate, StoreError, StoreResult};

use crate::{SqliteStore, bump_occupancy, db, load_state, load_stream, max_seq};

/// The highest number taken in the log's sequence: by an event or by a deletion.
pub(crate) const MAX_SEQ: &str = "SELECT MAX(COALESCE((SELECT MAX(seq) FROM events), 0), COALESCE((SELECT MAX(seq) FROM deleted_clients), 0))";

/// The highest client id ever given out: in the log, the person records or deleted.
pub(crate) const MAX_CLIENT_ID: &str = "SELECT MAX(COALESCE((SELECT MAX(client_id) FROM events), 0), COALESCE((SELECT MAX(client_id) FROM persons), 0), COALESCE((SELECT MAX(client_id) FROM deleted_clients), 0))";

/// Add the archived monitor share of deleted clients to the `monitor` table (after a
/// rebuild wrote what the remaining events give).
pub(crate) fn add_archive(c: &Connection) -> StoreResult<()> {
    c.execute_batch(
        "INSERT INTO monitor (region, measure, maand, product, gemeente, locatie, extra, n)
         SELECT region, measure, maand, product, gemeente, locatie, extra, n FROM monitor_archive WHERE n <> 0
         ON CONFLICT (region, measure, maand, product, gemeente, locatie, extra) DO UPDATE SET n = n + excluded.n",
    )
    .map_err(db)
}

/// A new stream under a deleted client's id is refused (an import checks with
/// [`refuse_deleted_in_log`], a person registration is refused by a trigger).
pub(crate) fn refuse_deleted(c: &Connection, client: ClientId) -> StoreResult<()> {
    let deleted: bool = c
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM deleted_clients WHERE client_id = ?1)")
        .map_err(db)?
        .query_row([client.0 as i64], |r| r.get(0))
        .map_err(db)?;
    if deleted {
        return Err(StoreError::Invalid(format!(
            "client: cliënt {client} is verwijderd na de bewaartermijn; dit nummer krijgt geen nieuwe gegevens"
        )));
    }
    Ok(())
}

/// No event in the log under a deleted client's id (an import checks this before it
/// commits: an old export cannot bring a deleted client back).
pub(crate) fn refuse_deleted_in_log(c: &Connection) -> StoreResult<()> {
    let found: Option<i64> = c
        .prepare_cached(
            "SELECT d.client_id FROM deleted_clients d WHERE EXISTS (SELECT 1 FROM events e WHERE e.client_id = d.client_id) LIMIT 1",
        )
        .map_err(db)?
        .query_row([], |r| r.get(0))
        .optional()
        .map_err(db)?;
    match found {
        Some(id) => Err(StoreError::Invalid(format!(
            "client: cliënt {} is verwijderd na de bewaartermijn; dit nummer krijgt geen nieuwe gegevens (er is niets geïmporteerd)",
            ClientId(id as u64)
        ))),
        None => Ok(()),
    }
}

impl SqliteStore {
    /// `Store::delete_client_data` (see `vangnet_store::deletion`).
    pub(crate) fn delete_client(
        &self,
        gate: &AccessGate,
        client: ClientId,
        reason: &str,
    ) -> StoreResult<DeletionReport> {
        let index = self.monitor_index.write();
        let (report, before) = self.gated_tx(|tx, log| {
            let plan = deletion::authorised_plan(gate, client, reason, &self.regions, log, || {
                Ok((load_state(tx, client)?, load_stream(tx, client)?))
            })?;
            let before = max_seq(tx)?;
            let id = client.0 as i64;
            let delete = |table: &str| -> StoreResult<u64> {
                tx.prepare_cached(&format!("DELETE FROM {table} WHERE client_id = ?1"))
                    .map_err(db)?
                    .execute([id])
                    .map(|n| n as u64)
                    .map_err(db)
            };
            let events = delete("events")?;
            let commands = delete("commands")?;
            let person = delete("persons")? > 0;
            delete("client_state")?;
            let deadlines = delete("deadlines")?;
            let waitlist = delete("waitlist")?;
            // feat/portaal (issue 14, migration 0014): the provider rows go with the state.
            delete("client_provider")?;
            // feat/corporatie (issue 15, migration 0018): so do the candidate rows.
            delete("woon_kandidaat")?;
            // The decision letters (feat/brief, migration 0008) go with the record.
            delete("letters")?;
            if let Some(k) = &plan.occupancy {
                bump_occupancy(tx, k, -1)?;
            }
            let mut archive = tx
                .prepare_cached(
                    "INSERT INTO monitor_archive (region, measure, maand, product, gemeente, locatie, extra, n) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)
                     ON CONFLICT (region, measure, maand, product, gemeente, locatie, extra) DO UPDATE SET n = n + excluded.n",
                )
                .map_err(db)?;
            for r in &plan.monitor {
                archive
                    .execute(params![r.region, r.measure, r.maand, r.product, r.gemeente, r.locatie, r.extra, r.n])
                    .map_err(db)?;
            }
            let seq = before + 1;
            tx.prepare_cached(
                "INSERT INTO deleted_clients (client_id, seq, deleted_at, events) VALUES (?1,?2,?3,?4)",
            )
            .map_err(db)?
            .execute(params![id, seq as i64, vangnet_store::time::now_rfc3339(), events as i64])
            .map_err(db)?;
            let report = DeletionReport {
                client,
                last_fact: plan.last_fact,
                events,
                commands,
                person,
                deadlines,
                waitlist,
                archived_cells: plan.monitor.len() as u64,
                seq,
            };
            log.push(deletion::done(gate, reason, &report));
            Ok((report, before))
        })?;
        index.applied(before, report.seq, &[]);
        Ok(report)
    }
}
