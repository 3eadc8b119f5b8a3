//! Deleting a client's data past its retention period on PostgreSQL (the rules are
//! `vangnet_store::deletion`): the rows removed in one write transaction under the writer
//! lock, the client's monitor share added to `monitor_archive`, the deletion recorded in
//! `deleted_clients` (migration 0006) and one chained access-log row (under the log lock,
//! in the same transaction).

use vangnet_domain::ClientId;
use vangnet_store::deletion::{self, DeletionReport};
use vangnet_store::{AccessGate, StoreError, StoreResult};

use crate::{PostgresStore, Tx, bump_occupancy, get, load_state, load_stream, max_seq};

/// The highest number taken in the log's sequence: by an event or by a deletion.
pub(crate) const MAX_SEQ: &str = "SELECT GREATEST(COALESCE((SELECT MAX(seq) FROM events), 0), COALESCE((SELECT MAX(seq) FROM deleted_clients), 0))::BIGINT";

/// The highest client id ever given out: in the log, the person records or deleted.
pub(crate) const MAX_CLIENT_ID: &str = "SELECT GREATEST(COALESCE((SELECT MAX(client_id) FROM events), 0), COALESCE((SELECT MAX(client_id) FROM persons), 0), COALESCE((SELECT MAX(client_id) FROM deleted_clients), 0))::BIGINT";

const IS_DELETED: &str = "SELECT 1 FROM deleted_clients WHERE client_id = $1";
const DELETE_EVENTS: &str = "DELETE FROM events WHERE client_id = $1";
const DELETE_COMMANDS: &str = "DELETE FROM commands WHERE client_id = $1";
const DELETE_PERSON: &str = "DELETE FROM persons WHERE client_id = $1";
const DELETE_STATE: &str = "DELETE FROM client_state WHERE client_id = $1";
const DELETE_DEADLINES: &str = "DELETE FROM deadlines WHERE client_id = $1";
const DELETE_WAIT: &str = "DELETE FROM waitlist WHERE client_id = $1";
/// The client's decision letters (feat/brief, migration 0008) go with the record.
const DELETE_LETTERS: &str = "DELETE FROM letters WHERE client_id = $1";
const ARCHIVE: &str = "INSERT INTO monitor_archive (region, measure, maand, product, gemeente, locatie, extra, n) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
     ON CONFLICT (region, measure, maand, product, gemeente, locatie, extra) DO UPDATE SET n = monitor_archive.n + excluded.n";
const RECORD: &str =
    "INSERT INTO deleted_clients (client_id, seq, deleted_at, events) VALUES ($1,$2,$3,$4)";

/// Add the archived monitor share of deleted clients to the `monitor` table (after a
/// rebuild wrote what the remaining events give).
pub(crate) fn add_archive(tx: &mut Tx<'_>) -> StoreResult<()> {
    tx.tx
        .batch_execute(
            "INSERT INTO monitor (region, measure, maand, product, gemeente, locatie, extra, n)
             SELECT region, measure, maand, product, gemeente, locatie, extra, n FROM monitor_archive WHERE n <> 0
             ON CONFLICT (region, measure, maand, product, gemeente, locatie, extra) DO UPDATE SET n = monitor.n + excluded.n",
        )
        .map_err(crate::db)
}

/// A new stream under a deleted client's id is refused (the database's trigger is the
/// backstop for the other paths).
pub(crate) fn refuse_deleted(tx: &mut Tx<'_>, client: ClientId) -> StoreResult<()> {
    if tx.query_opt(IS_DELETED, &[&(client.0 as i64)])?.is_some() {
        return Err(StoreError::Invalid(format!(
            "client: cliënt {client} is verwijderd na de bewaartermijn; dit nummer krijgt geen nieuwe gegevens"
        )));
    }
    Ok(())
}

/// The highest client id ever given out (see [`MAX_CLIENT_ID`]).
pub(crate) fn max_client_id(tx: &mut Tx<'_>) -> StoreResult<i64> {
    let r = tx
        .query_opt(MAX_CLIENT_ID, &[])?
        .ok_or_else(|| StoreError::Backend("MAX(client_id) gaf geen rij".into()))?;
    get(&r, 0)
}

impl PostgresStore {
    /// `Store::delete_client_data` (see `vangnet_store::deletion`).
    pub(crate) fn delete_client(
        &self,
        gate: &AccessGate,
        client: ClientId,
        reason: &str,
    ) -> StoreResult<DeletionReport> {
        let index = self.monitor_index.write();
        let (report, before) = self.gated(true, |tx, log| {
            let plan = deletion::authorised_plan(gate, client, reason, &self.regions, log, || {
                Ok((load_state(tx, client)?, load_stream(tx, client)?))
            })?;
            let before = max_seq(tx)?;
            let id = client.0 as i64;
            let events = tx.execute(DELETE_EVENTS, &[&id])?;
            let commands = tx.execute(DELETE_COMMANDS, &[&id])?;
            let person = tx.execute(DELETE_PERSON, &[&id])? > 0;
            tx.execute(DELETE_STATE, &[&id])?;
            let deadlines = tx.execute(DELETE_DEADLINES, &[&id])?;
            let waitlist = tx.execute(DELETE_WAIT, &[&id])?;
            // feat/portaal (issue 14, migration 0014): the provider rows go with the state.
            tx.execute("DELETE FROM client_provider WHERE client_id = $1", &[&id])?;
            // feat/corporatie (issue 15, migration 0018): so do the candidate rows.
            tx.execute("DELETE FROM woon_kandidaat WHERE client_id = $1", &[&id])?;
            tx.execute(DELETE_LETTERS, &[&id])?;
            if let Some(k) = &plan.occupancy {
                bump_occupancy(tx, k, -1)?;
            }
            for r in &plan.monitor {
                tx.execute(
                    ARCHIVE,
                    &[
                        &r.region,
                        &r.measure,
                        &(r.maand as i32),
                        &r.product,
                        &r.gemeente,
                        &r.locatie,
                        &(r.extra as i32),
                        &r.n,
                    ],
                )?;
            }
            let seq = before + 1;
            tx.execute(
                RECORD,
                &[
                    &id,
                    &(seq as i64),
                    &vangnet_store::time::now_rfc3339(),
                    &(events as i64),
                ],
            )?;
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
