//! The SQLite engine: Vangnet's embedded default. One file, WAL journal, `synchronous=FULL`
//! so every commit is durable, schema migrations embedded and applied on open.
//!
//! Concurrency: one writer connection behind a mutex (SQLite allows one writer anyway);
//! aggregate reads use a small pool of reader connections. Reads of client data go through
//! the writer because they append to the access log in the same transaction. The access
//! log is a hash chain ([`access`]).

mod access;
mod accounts;
mod deletion;
mod letters;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use vangnet_domain::access::Action;
use vangnet_domain::monitor::{Measure, Tally};
use vangnet_domain::person::Person;
use vangnet_domain::state::{ClientState, Phase};
use vangnet_domain::{Actor, Bsn, ClientEvent, ClientId, Date, RecordedEvent, RegionId, Regions};
use vangnet_store::audit::{RETENTION_ACTION, retention_reason};
use vangnet_store::codec::decode_event;
use vangnet_store::gate::scope_of_new;
use vangnet_store::import::Importer;
use vangnet_store::monitor_index::RowSink;
use vangnet_store::plan::{
    check_person, check_version, fingerprint, fold_facts_tally, fold_recorded_tally, plan_append,
};
use vangnet_store::projection::{
    DeadlineRow, OccupancyKey, OccupancyRow, ProjectionSnapshot, WaitRow, client_row,
    deadline_rows, occupancy_key, provider_rows, wait_row,
};
use vangnet_store::projection::{MonitorDelta, monitor_deltas};
use vangnet_store::search::{PersonCorrection, SearchKey, SearchResult};
use vangnet_store::time::now_rfc3339;
use vangnet_store::{
    AccessEntry, AccessGate, AccessLogFilter, Anchor, AppendCommand, ChainReport, ClientRecord,
    DeadlineEntry, ImportMode, ImportReport, ImportRow, MonitorIndex, MonitorRow, MonitorView,
    RebuildReport, Receipt, RegionOverview, RetentionReport, RowError, Store, StoreError,
    StoreResult, WaitlistEntry,
};

const MIGRATIONS: &[(u32, &str, &str)] = &[
    (1, "init", include_str!("../migrations/0001_init.sql")),
    (
        2,
        "deadlines",
        include_str!("../migrations/0002_deadlines.sql"),
    ),
    (3, "monitor", include_str!("../migrations/0003_monitor.sql")),
    (
        4,
        "access_chain",
        include_str!("../migrations/0004_access_chain.sql"),
    ),
    (
        5,
        "accounts",
        include_str!("../migrations/0005_accounts.sql"),
    ),
    (
        6,
        "deletion",
        include_str!("../migrations/0006_deletion.sql"),
    ),
    (
        7,
        "access_log_filter",
        include_str!("../migrations/0007_access_log_filter.sql"),
    ),
    (8, "letters", include_str!("../migrations/0008_letters.sql")),
    // feat/monitor: stands of agreed actions recorded in the app.
    (
        9,
        "actie_stand",
        include_str!("../migrations/0009_actie_stand.sql"),
    ),
    (10, "search", include_str!("../migrations/0010_search.sql")),
    (
        11,
        "planned",
        include_str!("../migrations/0011_planned.sql"),
    ),
    // feat/edges (issue 13): tariffs a region entered.
    (12, "tarief", include_str!("../migrations/0012_tarief.sql")),
    // feat/plaatsen (issue 14): capacity periods and free-place reports.
    (
        13,
        "plaatsen",
        include_str!("../migrations/0013_plaatsen.sql"),
    ),
    // feat/portaal (issue 14): a provider's clients.
    (
        14,
        "client_provider",
        include_str!("../migrations/0014_client_provider.sql"),
    ),
    // feat/plaatsen (issue 14): the partial index of the places overview.
    (
        15,
        "plaatsen_index",
        include_str!("../migrations/0015_plaatsen_index.sql"),
    ),
    // feat/portaal (issue 14): the portal counts and selects on `client_provider`'s columns.
    (
        16,
        "client_provider_columns",
        include_str!("../migrations/0016_client_provider_columns.sql"),
    ),
    // feat/corporatie (issue 15): a corporation's housing candidates.
    (
        18,
        "woon_kandidaat",
        include_str!("../migrations/0018_woon_kandidaat.sql"),
    ),
    // feat/afspraken (issue 15): woningafspraken a region entered.
    (
        19,
        "woningafspraak",
        include_str!("../migrations/0019_woningafspraak.sql"),
    ),
    // feat/afspraken2 (issue 15): onderdeel_van and other groups' use of an agreement.
    (
        20,
        "woningafspraak_gebruik",
        include_str!("../migrations/0020_woningafspraak_gebruik.sql"),
    ),
    // feat/wonen2 (issue 15): `woon_kandidaat` filled again from every stored state.
    (
        21,
        "woon_kandidaat_vullen",
        include_str!("../migrations/0021_woon_kandidaat_vullen.sql"),
    ),
];

/// Where a migration's SQL stops for the engine to fill `client_provider` from every stored
/// state with [`provider_rows`] (migration 0016); the rest runs after, in the same
/// transaction.
const FILL_PROVIDER_ROWS: &str = "-- vangnet:fill-provider-rows";

/// Where a migration's SQL stops for the engine to fill `woon_kandidaat` from every stored
/// state with `vangnet_store::wonen::kandidaat_rows` (migration 0021); the rest runs after,
/// in the same transaction.
const FILL_KANDIDAAT_ROWS: &str = "-- vangnet:fill-kandidaat-rows";

/// Where a migration's SQL stops for the engine to chain the access-log rows written before
/// it (migration 0004); the rest runs after, in the same transaction.
const CHAIN_EXISTING: &str = "-- vangnet:chain-existing-rows";

/// What an import changed in the monitor: (high-water mark before, after, rows added).
type ImportDelta<'r> = (u64, u64, Vec<MonitorDelta<'r>>);

/// The log's high-water mark (see `Store::high_water_mark`).
/// The writer after a panic in another request (the mutex is poisoned): still usable, because
/// the panicking request's `Transaction` was rolled back when it was dropped during unwinding,
/// so the connection holds no half-written state. One panicking request never stops the
/// registry (issue 11 §2).
fn recover_writer(poisoned: PoisonError<MutexGuard<'_, Connection>>) -> MutexGuard<'_, Connection> {
    let conn = poisoned.into_inner();
    if !conn.is_autocommit() {
        // Defensive: a transaction left open would block every later write.
        let _ = conn.execute_batch("ROLLBACK");
    }
    conn
}

fn max_seq(c: &Connection) -> StoreResult<u64> {
    c.prepare_cached(deletion::MAX_SEQ)
        .map_err(db)?
        .query_row([], |r| r.get::<_, i64>(0))
        .map(|n| n as u64)
        .map_err(db)
}

/// Stream one (region, measure)'s stored monitor cells into the index's sink.
fn load_monitor(
    c: &Connection,
    region: &str,
    m: Measure,
    sink: &mut RowSink<'_>,
) -> StoreResult<()> {
    let mut stmt = c
        .prepare_cached("SELECT maand, product, gemeente, locatie, extra, n FROM monitor WHERE region = ?1 AND measure = ?2 AND n <> 0")
        .map_err(db)?;
    let mut rows = stmt.query(params![region, m.key()]).map_err(db)?;
    while let Some(r) = rows.next().map_err(db)? {
        let s = |i: usize| -> StoreResult<&str> {
            r.get_ref(i)
                .map_err(db)?
                .as_str()
                .map_err(|e| StoreError::Backend(e.to_string()))
        };
        sink(
            r.get(0).map_err(db)?,
            s(1)?,
            s(2)?,
            s(3)?,
            r.get(4).map_err(db)?,
            r.get(5).map_err(db)?,
        );
    }
    Ok(())
}

/// A database error, kept as the source: `SQLITE_BUSY`/`SQLITE_LOCKED` (another process holds
/// the file past the busy timeout) is temporary, anything else a failure.
fn db(e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    use vangnet_store::DatabaseFault;
    let kind = match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => DatabaseFault::Unavailable,
        _ => DatabaseFault::Failed,
    };
    StoreError::database(kind, e)
}

/// The SQLite store.
pub struct SqliteStore {
    path: PathBuf,
    regions: Regions,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// The monitor projection in memory (shared logic in `vangnet_store::monitor_index`).
    monitor_index: MonitorIndex,
    /// Whether access-log rows are chained (always, except the benchmark's baseline).
    chained: AtomicBool,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

fn connect(path: &Path) -> StoreResult<Connection> {
    let c = Connection::open(path).map_err(db)?;
    c.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 10000;
         PRAGMA cache_size = -65536;
         PRAGMA temp_store = MEMORY;",
    )
    .map_err(db)?;
    Ok(c)
}

impl SqliteStore {
    /// Open (or create) the database file and apply pending migrations.
    pub fn open(path: &Path, regions: Regions) -> StoreResult<SqliteStore> {
        let mut c = connect(path)?;
        migrate(&mut c, &regions)?;
        Ok(SqliteStore {
            path: path.to_owned(),
            regions,
            writer: Mutex::new(c),
            readers: Mutex::new(Vec::new()),
            monitor_index: MonitorIndex::new(),
            chained: AtomicBool::new(true),
        })
    }

    /// **Benchmark only**: write access-log rows unchained (no number control, no hash), as
    /// before the chain existed, to measure what the chain costs. Such rows fail
    /// `vangnet audit verify`.
    pub fn set_access_chain_for_benchmark(&self, chained: bool) {
        self.chained.store(chained, Ordering::Relaxed);
    }

    /// Append `entries` to the access log (inside a write transaction).
    fn write_access(&self, c: &Connection, entries: &[AccessEntry]) -> StoreResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut w = access::AccessWriter::open(c, self.chained.load(Ordering::Relaxed))?;
        for e in entries {
            w.write(c, e)?;
        }
        Ok(())
    }

    fn import_in(
        &self,
        conn: &mut Connection,
        gate: &AccessGate,
        entry: &AccessEntry,
        rows: &mut dyn Iterator<Item = Result<ImportRow, RowError>>,
        mode: ImportMode,
        progress: &dyn Fn(u64),
    ) -> StoreResult<(ImportReport, Option<ImportDelta<'_>>)> {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let before = max_seq(&tx)?;
        let mut next_seq = before;
        let mut log = access::AccessWriter::open(&tx, self.chained.load(Ordering::Relaxed))?;
        log.write(&tx, entry)?;
        let mut report = ImportReport::default();
        let mut importer = Importer::new(&self.regions);
        let now = vangnet_store::time::now();
        // Into an empty store no client has a stored state: skip the lookups.
        let empty: bool = tx
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM client_state)", [], |r| {
                r.get(0)
            })
            .map_err(db)?;
        for (i, row) in rows.enumerate() {
            let line = i as u64 + 1;
            report.read += 1;
            if report.read % 100_000 == 0 {
                progress(report.read);
            }
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    report.rejected.push(e);
                    continue;
                }
            };
            let line = if row.line > 0 { row.line } else { line };
            let verdict = importer.accept(
                line,
                &row,
                &mut |c| if empty { Ok(None) } else { load_state(&tx, c) },
                &mut |c| load_stream(&tx, c),
            )?;
            match verdict {
                Ok(version) => {
                    // Written even after an error in all-or-nothing mode: later rows may need
                    // this one's stream for a refold, and the transaction is rolled back anyway.
                    let actor = row.actor.as_ref().unwrap_or(gate.actor());
                    next_seq += 1;
                    insert_event(
                        &tx,
                        next_seq,
                        row.client,
                        version,
                        row.effective,
                        &vangnet_domain::clock::rfc3339(row.recorded_at.unwrap_or(now)),
                        actor,
                        &row.event,
                    )?;
                    report.imported += 1;
                }
                Err(e) => report.rejected.push(e),
            }
        }
        progress(report.read);
        if mode == ImportMode::AllOrNothing && !report.rejected.is_empty() {
            drop(tx);
            report.imported = 0;
            return Ok((report, None));
        }
        report.clients = importer.touched() as u64;
        let monitor = monitor_deltas(&importer.take_monitor(), &self.regions);
        add_monitor(&tx, &monitor, before == 0)?;
        let mut bulk = BulkProjection::default();
        for t in importer.into_touched() {
            bulk.client(&tx, &self.regions, t.before_occupancy, t.existed, &t.state)?;
            let (entry, _) = gate.check(t.state.client, Action::Bulk, &gate.scope(&t.state));
            log.write(&tx, &entry)?;
        }
        bulk.finish(&tx)?;
        deletion::refuse_deleted_in_log(&tx)?;
        let after = max_seq(&tx)?;
        tx.commit().map_err(db)?;
        report.committed = true;
        Ok((report, Some((before, after, monitor))))
    }

    fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let conn = self
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match conn {
            Some(c) => c,
            None => connect(&self.path)?,
        };
        let out = f(&conn);
        self.readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(conn);
        out
    }

    fn write_tx<T>(&self, f: impl FnOnce(&Transaction<'_>) -> StoreResult<T>) -> StoreResult<T> {
        let mut conn = self.writer.lock().unwrap_or_else(recover_writer);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let out = f(&tx)?;
        tx.commit().map_err(db)?;
        Ok(out)
    }

    /// Run `f` in a write transaction; when `f` fails with a refusal, the access-log rows it
    /// wrote are still committed (a refusal must be logged), everything else rolls back.
    fn gated_tx<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>, &mut Vec<AccessEntry>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut conn = self.writer.lock().unwrap_or_else(recover_writer);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let mut log = Vec::new();
        match f(&tx, &mut log) {
            Ok(v) => {
                self.write_access(&tx, &log)?;
                tx.commit().map_err(db)?;
                Ok(v)
            }
            Err(err) => {
                drop(tx);
                if vangnet_store::gate::log_after_failure(&err, &log) {
                    let tx = conn
                        .transaction_with_behavior(TransactionBehavior::Immediate)
                        .map_err(db)?;
                    self.write_access(&tx, &log)?;
                    tx.commit().map_err(db)?;
                }
                Err(err)
            }
        }
    }
}

/// The woningafspraken stored for `region`, oldest first.
fn woningafspraken_in(
    c: &Connection,
    region: &RegionId,
) -> StoreResult<Vec<vangnet_store::woningafspraken::StoredAfspraak>> {
    let mut st = c
        .prepare_cached(
            "SELECT region, gemeente, corporatie, jaar, route, woningen, soort, herkomst_soort, herkomst_tekst, user_id, recorded_at, onderdeel_van FROM woningafspraak WHERE region = ?1 ORDER BY id",
        )
        .map_err(db)?;
    let mut rows = st.query([region.as_str()]).map_err(db)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(db)? {
        let row = vangnet_store::woningafspraken::AfspraakRow {
            region: r.get(0).map_err(db)?,
            gemeente: r.get(1).map_err(db)?,
            corporatie: r.get(2).map_err(db)?,
            jaar: r.get(3).map_err(db)?,
            route: r.get(4).map_err(db)?,
            woningen: r.get(5).map_err(db)?,
            soort: r.get(6).map_err(db)?,
            herkomst_soort: r.get(7).map_err(db)?,
            herkomst_tekst: r.get(8).map_err(db)?,
            user_id: r.get(9).map_err(db)?,
            recorded_at: r.get(10).map_err(db)?,
            onderdeel_van: r.get(11).map_err(db)?,
        };
        out.push(row.stored()?);
    }
    Ok(out)
}

/// The figures of other groups' use stored for `region`, oldest first.
fn ander_gebruik_in(
    c: &Connection,
    region: &RegionId,
) -> StoreResult<Vec<vangnet_store::woningafspraken::StoredGebruik>> {
    let mut st = c
        .prepare_cached(
            "SELECT region, afspraak, jaar, maand, doelgroep, aantal, herkomst_soort, herkomst_tekst, user_id, recorded_at FROM woningafspraak_gebruik WHERE region = ?1 ORDER BY id",
        )
        .map_err(db)?;
    let mut rows = st.query([region.as_str()]).map_err(db)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(db)? {
        let row = vangnet_store::woningafspraken::GebruikRow {
            region: r.get(0).map_err(db)?,
            afspraak: r.get(1).map_err(db)?,
            jaar: r.get(2).map_err(db)?,
            maand: r.get(3).map_err(db)?,
            doelgroep: r.get(4).map_err(db)?,
            aantal: r.get(5).map_err(db)?,
            herkomst_soort: r.get(6).map_err(db)?,
            herkomst_tekst: r.get(7).map_err(db)?,
            user_id: r.get(8).map_err(db)?,
            recorded_at: r.get(9).map_err(db)?,
        };
        out.push(row.stored()?);
    }
    Ok(out)
}

/// The tariffs stored for `region`, oldest first.
fn tariffs_in(
    c: &Connection,
    region: &RegionId,
) -> StoreResult<Vec<vangnet_store::tarieven::StoredTarief>> {
    let mut st = c
        .prepare_cached(
            "SELECT region, product, leveringsvorm, eenheid, bedrag_cent, van, tot, uren_per_week_x100, herkomst_soort, herkomst_tekst, user_id, recorded_at FROM tarief WHERE region = ?1 ORDER BY id",
        )
        .map_err(db)?;
    let mut rows = st.query([region.as_str()]).map_err(db)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(db)? {
        let row = vangnet_store::tarieven::TariefRow {
            region: r.get(0).map_err(db)?,
            product: r.get(1).map_err(db)?,
            leveringsvorm: r.get(2).map_err(db)?,
            eenheid: r.get(3).map_err(db)?,
            bedrag_cent: r.get(4).map_err(db)?,
            van: r.get(5).map_err(db)?,
            tot: r.get(6).map_err(db)?,
            uren_per_week_x100: r.get(7).map_err(db)?,
            herkomst_soort: r.get(8).map_err(db)?,
            herkomst_tekst: r.get(9).map_err(db)?,
            user_id: r.get(10).map_err(db)?,
            recorded_at: r.get(11).map_err(db)?,
        };
        out.push(row.stored()?);
    }
    Ok(out)
}

/// feat/plaatsen: the capacity periods stored for `region`, oldest first.
fn periods_in(
    c: &Connection,
    region: &RegionId,
) -> StoreResult<Vec<vangnet_store::plaatsen::StoredPeriode>> {
    let mut st = c
        .prepare_cached(
            "SELECT region, location, product, vanaf, tot, plaatsen, soort, reden, user_id, recorded_at FROM capaciteit_periode WHERE region = ?1 ORDER BY id",
        )
        .map_err(db)?;
    let mut rows = st.query([region.as_str()]).map_err(db)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(db)? {
        let row = vangnet_store::plaatsen::PeriodeRow {
            region: r.get(0).map_err(db)?,
            location: r.get(1).map_err(db)?,
            product: r.get(2).map_err(db)?,
            vanaf: r.get(3).map_err(db)?,
            tot: r.get(4).map_err(db)?,
            plaatsen: r.get(5).map_err(db)?,
            soort: r.get(6).map_err(db)?,
            reden: r.get(7).map_err(db)?,
            user_id: r.get(8).map_err(db)?,
            recorded_at: r.get(9).map_err(db)?,
        };
        out.push(row.stored()?);
    }
    Ok(out)
}

/// feat/plaatsen: the free-place reports stored for `region`, oldest first.
fn reports_in(
    c: &Connection,
    region: &RegionId,
) -> StoreResult<Vec<vangnet_store::plaatsen::StoredMelding>> {
    let mut st = c
        .prepare_cached(
            "SELECT region, location, product, datum, aantal, toelichting, user_id, recorded_at FROM plaats_melding WHERE region = ?1 ORDER BY id",
        )
        .map_err(db)?;
    let mut rows = st.query([region.as_str()]).map_err(db)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(db)? {
        let row = vangnet_store::plaatsen::MeldingRow {
            region: r.get(0).map_err(db)?,
            location: r.get(1).map_err(db)?,
            product: r.get(2).map_err(db)?,
            datum: r.get(3).map_err(db)?,
            aantal: r.get(4).map_err(db)?,
            toelichting: r.get(5).map_err(db)?,
            user_id: r.get(6).map_err(db)?,
            recorded_at: r.get(7).map_err(db)?,
        };
        out.push(row.stored()?);
    }
    Ok(out)
}

fn migrate(c: &mut Connection, regions: &Regions) -> StoreResult<()> {
    // The access log's triggers come after the rows are chained (see `CHAIN_EXISTING`).
    c.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        .map_err(db)?;
    for (v, name, sql) in MIGRATIONS {
        let done: Option<u32> = c
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?1",
                [v],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        if done.is_none() {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            if let Some((before, after)) = sql.split_once(CHAIN_EXISTING) {
                tx.execute_batch(before).map_err(db)?;
                access::chain_existing(&tx)?;
                tx.execute_batch(after).map_err(db)?;
            } else if let Some((before, after)) = sql.split_once(FILL_PROVIDER_ROWS) {
                tx.execute_batch(before).map_err(db)?;
                fill_provider_rows(&tx, regions)?;
                tx.execute_batch(after).map_err(db)?;
            } else if let Some((before, after)) = sql.split_once(FILL_KANDIDAAT_ROWS) {
                tx.execute_batch(before).map_err(db)?;
                fill_kandidaat_rows(&tx)?;
                tx.execute_batch(after).map_err(db)?;
            } else {
                tx.execute_batch(sql).map_err(db)?;
            }
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                params![v, name, now_rfc3339()],
            )
            .map_err(db)?;
            tx.commit().map_err(db)?;
        }
    }
    Ok(())
}

fn load_state(c: &Connection, client: ClientId) -> StoreResult<Option<ClientState>> {
    let json: Option<String> = c
        .prepare_cached("SELECT state FROM client_state WHERE client_id = ?1")
        .map_err(db)?
        .query_row([client.0 as i64], |r| r.get(0))
        .optional()
        .map_err(db)?;
    json.map(|j| parse_state(client, &j)).transpose()
}

fn parse_state(client: ClientId, json: &str) -> StoreResult<ClientState> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Backend(format!("client_state van {client} onleesbaar: {e}")))
}

/// Decode `(client_id, state)` rows.
fn read_states(rows: &mut rusqlite::Rows<'_>) -> StoreResult<Vec<ClientState>> {
    let mut states = Vec::new();
    while let Some(r) = rows.next().map_err(db)? {
        let client = ClientId(r.get::<_, i64>(0).map_err(db)? as u64);
        let json: String = r.get(1).map_err(db)?;
        states.push(parse_state(client, &json)?);
    }
    Ok(states)
}

const EVENT_COLS: &str = "seq, client_id, version, effective_date, recorded_at, actor_user, actor_role, actor_org, payload";

fn row_to_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<RecordedEvent, StoreError>> {
    let seq: i64 = r.get(0)?;
    let client: i64 = r.get(1)?;
    let version: u32 = r.get(2)?;
    let eff: String = r.get(3)?;
    let recorded_at: String = r.get(4)?;
    let user: String = r.get(5)?;
    let role: String = r.get(6)?;
    let org: String = r.get(7)?;
    let payload: String = r.get(8)?;
    Ok(decode_event(
        seq,
        client,
        version,
        &eff,
        recorded_at,
        user,
        &role,
        &org,
        &payload,
    ))
}

/// Read the whole log in stream order on a connection of its own, sending batches of
/// complete client streams.
fn read_streams(
    path: &Path,
    send: &std::sync::mpsc::SyncSender<StoreResult<Vec<Vec<RecordedEvent>>>>,
    recycled: &std::sync::mpsc::Receiver<Vec<Vec<RecordedEvent>>>,
) -> StoreResult<()> {
    let c = connect(path)?;
    // Read through a memory map: no copy of every page through a system call.
    c.execute_batch("PRAGMA mmap_size = 17179869184")
        .map_err(db)?;
    let mut st = c
        .prepare(&format!(
            "SELECT {EVENT_COLS} FROM events ORDER BY client_id, version"
        ))
        .map_err(db)?;
    let mut rows = st.query([]).map_err(db)?;
    let mut batch: Vec<Vec<RecordedEvent>> = Vec::with_capacity(1024);
    let mut stream: Vec<RecordedEvent> = Vec::new();
    while let Some(r) = rows.next().map_err(db)? {
        let ev = row_to_event(r).map_err(db)??;
        if stream.first().is_some_and(|f| f.client != ev.client) {
            while let Ok(used) = recycled.try_recv() {
                drop(used);
            }
            batch.push(std::mem::take(&mut stream));
            if batch.len() == 1024
                && send
                    .send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(1024))))
                    .is_err()
            {
                return Ok(());
            }
        }
        stream.push(ev);
    }
    if !stream.is_empty() {
        batch.push(stream);
    }
    if !batch.is_empty() {
        let _ = send.send(Ok(batch));
    }
    Ok(())
}

/// Threads of the monitor-only rebuild.
const MONITOR_REBUILD_THREADS: usize = 2;

/// Fold the streams of clients `from..to` (ids) for their monitor contributions, reading only
/// the columns a fold needs.
fn tally_range(
    path: &Path,
    regions: &Regions,
    from: i64,
    to: i64,
    done: &std::sync::atomic::AtomicU64,
) -> StoreResult<(Tally, RebuildReport)> {
    let c = connect(path)?;
    // Read through a memory map: no copy of every page through a system call.
    c.execute_batch("PRAGMA mmap_size = 17179869184")
        .map_err(db)?;
    let mut st = c
        .prepare("SELECT client_id, version, effective_date, payload FROM events WHERE client_id >= ?1 AND client_id < ?2 ORDER BY client_id, version")
        .map_err(db)?;
    let mut rows = st.query([from, to]).map_err(db)?;
    let mut tally = Tally::new();
    let mut report = RebuildReport::default();
    let mut stream: Vec<(u32, Date, ClientEvent)> = Vec::new();
    let mut current = None;
    let mut flush =
        |client: i64, stream: &mut Vec<(u32, Date, ClientEvent)>, report: &mut RebuildReport| {
            if fold_facts_tally(ClientId(client as u64), stream, regions, &mut tally)? {
                report.clients += 1;
            }
            report.events += stream.len() as u64;
            done.fetch_add(stream.len() as u64, std::sync::atomic::Ordering::Relaxed);
            stream.clear();
            StoreResult::Ok(())
        };
    while let Some(r) = rows.next().map_err(db)? {
        let client: i64 = r.get(0).map_err(db)?;
        if current.is_some_and(|c| c != client) {
            flush(current.expect("set"), &mut stream, &mut report)?;
        }
        current = Some(client);
        let text = |i: usize| -> StoreResult<&str> {
            r.get_ref(i)
                .map_err(db)?
                .as_str()
                .map_err(|e| StoreError::Backend(e.to_string()))
        };
        let bad = |what: &str| {
            StoreError::Backend(format!(
                "gebeurtenis van cliënt {client}: {what} onleesbaar"
            ))
        };
        let version: u32 = r.get(1).map_err(db)?;
        let effective = Date::parse(text(2)?).map_err(|_| bad("effective_date"))?;
        let event: ClientEvent = serde_json::from_str(text(3)?).map_err(|_| bad("payload"))?;
        stream.push((version, effective, event));
    }
    if let Some(c) = current {
        flush(c, &mut stream, &mut report)?;
    }
    Ok((tally, report))
}

fn load_stream(c: &Connection, client: ClientId) -> StoreResult<Vec<RecordedEvent>> {
    let mut st = c
        .prepare_cached(&format!(
            "SELECT {EVENT_COLS} FROM events WHERE client_id = ?1 ORDER BY version"
        ))
        .map_err(db)?;
    let rows = st.query_map([client.0 as i64], row_to_event).map_err(db)?;
    rows.map(|r| r.map_err(db)?).collect()
}

/// Insert one event as number `seq` (one more than [`max_seq`]: above every number taken,
/// also by a deletion, so none is used twice).
#[allow(clippy::too_many_arguments)]
fn insert_event(
    c: &Connection,
    seq: u64,
    client: ClientId,
    version: u32,
    effective: Date,
    recorded_at: &str,
    actor: &Actor,
    event: &ClientEvent,
) -> StoreResult<u64> {
    let payload = serde_json::to_string(event).expect("event serializes");
    c.prepare_cached(
        "INSERT INTO events (seq, client_id, version, kind, effective_date, recorded_at, actor_user, actor_role, actor_org, payload) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    )
    .map_err(db)?
    .execute(params![
        seq as i64,
        client.0 as i64,
        version,
        event.kind(),
        effective.to_string(),
        recorded_at,
        actor.user,
        actor.role.key(),
        actor.organisation.to_string(),
        payload
    ])
    .map_err(db)?;
    Ok(seq)
}

/// Re-fold the clients whose planned facts came due (feat/capacity, `Store::refresh_planned`).
fn refresh_planned_tx(tx: &Transaction<'_>, regions: &Regions, today: Date) -> StoreResult<u64> {
    let due: Vec<i64> = tx
        .prepare_cached("SELECT client_id FROM client_state WHERE next_change IS NOT NULL AND next_change <= ?1 ORDER BY client_id")
        .map_err(db)?
        .query_map([today.to_string()], |r| r.get(0))
        .map_err(db)?
        .collect::<Result<_, _>>()
        .map_err(db)?;
    let mut n = 0;
    for id in due {
        let client = ClientId(id as u64);
        let Some(old) = load_state(tx, client)? else {
            continue;
        };
        let stream = load_stream(tx, client)?;
        if let Some(new) = vangnet_store::plan::refold_as_of(client, &stream, regions, today)? {
            write_projection(tx, regions, occupancy_key(&old).as_ref(), &new)?;
            n += 1;
        }
    }
    Ok(n)
}

/// The clients of `region` with a planned fact dated on or before `on`: their state of today
/// and their stream (feat/capacity, counting places on a future start date).
fn planned_until(
    c: &Connection,
    region: &str,
    on: Date,
) -> StoreResult<Vec<(ClientState, Vec<RecordedEvent>)>> {
    let ids: Vec<i64> = c
        .prepare_cached("SELECT client_id FROM client_state WHERE region = ?1 AND next_change IS NOT NULL AND next_change <= ?2 ORDER BY client_id")
        .map_err(db)?
        .query_map(params![region, on.to_string()], |r| r.get(0))
        .map_err(db)?
        .collect::<Result<_, _>>()
        .map_err(db)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let client = ClientId(id as u64);
        if let Some(s) = load_state(c, client)? {
            out.push((s, load_stream(c, client)?));
        }
    }
    Ok(out)
}

/// Clients counted on one occupancy counter (feat/capacity).
fn occupied(c: &Connection, key: &OccupancyKey) -> StoreResult<u64> {
    let n: Option<i64> = c
        .prepare_cached(
            "SELECT clients FROM occupancy WHERE region = ?1 AND location = ?2 AND product = ?3",
        )
        .map_err(db)?
        .query_row(params![key.0, key.1, key.2], |r| r.get(0))
        .optional()
        .map_err(db)?;
    Ok(n.unwrap_or(0).max(0) as u64)
}

fn bump_occupancy(c: &Connection, key: &(String, String, String), delta: i64) -> StoreResult<()> {
    c.prepare_cached(
        "INSERT INTO occupancy (region, location, product, clients) VALUES (?1,?2,?3,?4)
         ON CONFLICT (region, location, product) DO UPDATE SET clients = clients + excluded.clients",
    )
    .map_err(db)?
    .execute(params![key.0, key.1, key.2, delta])
    .map_err(db)?;
    Ok(())
}

fn monitor_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MonitorRow> {
    Ok(MonitorRow {
        region: r.get(0)?,
        measure: r.get(1)?,
        maand: r.get(2)?,
        product: r.get(3)?,
        gemeente: r.get(4)?,
        locatie: r.get(5)?,
        extra: r.get(6)?,
        n: r.get(7)?,
    })
}

/// Add monitor deltas to their cells. `empty`: the table is known to be empty (rebuild,
/// import into an empty log), so the rows — sorted by key, as `monitor_deltas` gives them —
/// are plain inserts appended at the end of the b-tree, no upsert. Many rows go in
/// statements of [`MONITOR_CHUNK`] rows (fewer statement executions).
fn add_monitor(c: &Connection, rows: &[MonitorDelta<'_>], empty: bool) -> StoreResult<()> {
    let sql = |k: usize| {
        let mut s = String::from(
            "INSERT INTO monitor (region, measure, maand, product, gemeente, locatie, extra, n) VALUES ",
        );
        for i in 0..k {
            s.push_str(if i == 0 {
                "(?,?,?,?,?,?,?,?)"
            } else {
                ",(?,?,?,?,?,?,?,?)"
            });
        }
        if !empty {
            s.push_str(" ON CONFLICT (region, measure, maand, product, gemeente, locatie, extra) DO UPDATE SET n = n + excluded.n");
        }
        s
    };
    let bind =
        |stmt: &mut rusqlite::CachedStatement<'_>, rows: &[MonitorDelta<'_>]| -> StoreResult<()> {
            for (i, r) in rows.iter().enumerate() {
                let b = i * 8;
                stmt.raw_bind_parameter(b + 1, r.region).map_err(db)?;
                stmt.raw_bind_parameter(b + 2, r.measure).map_err(db)?;
                stmt.raw_bind_parameter(b + 3, r.maand).map_err(db)?;
                stmt.raw_bind_parameter(b + 4, r.product).map_err(db)?;
                stmt.raw_bind_parameter(b + 5, r.gemeente.as_str())
                    .map_err(db)?;
                stmt.raw_bind_parameter(b + 6, r.locatie).map_err(db)?;
                stmt.raw_bind_parameter(b + 7, r.extra).map_err(db)?;
                stmt.raw_bind_parameter(b + 8, r.n).map_err(db)?;
            }
            stmt.raw_execute().map_err(db)?;
            Ok(())
        };
    let mut chunks = rows.chunks_exact(MONITOR_CHUNK);
    if rows.len() >= MONITOR_CHUNK {
        let mut stmt = c.prepare_cached(&sql(MONITOR_CHUNK)).map_err(db)?;
        for chunk in &mut chunks {
            bind(&mut stmt, chunk)?;
        }
    }
    let mut stmt = c.prepare_cached(&sql(1)).map_err(db)?;
    for r in chunks.remainder() {
        bind(&mut stmt, std::slice::from_ref(r))?;
    }
    Ok(())
}

/// Rows per statement when writing many monitor cells (8 parameters each).
const MONITOR_CHUNK: usize = 100;

fn upsert_client_row(c: &Connection, new: &ClientState) -> StoreResult<()> {
    let row = client_row(new);
    c.prepare_cached(
        "INSERT INTO client_state (client_id, region, version, phase, herkomst, product, location, provider, state, next_change) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)
         ON CONFLICT (client_id) DO UPDATE SET region=excluded.region, version=excluded.version, phase=excluded.phase, herkomst=excluded.herkomst,
           product=excluded.product, location=excluded.location, provider=excluded.provider, state=excluded.state, next_change=excluded.next_change",
    )
    .map_err(db)?
    .execute(params![row.client.0 as i64, row.region, row.version, row.phase, row.herkomst, row.product, row.location, row.provider, row.state_json, row.next_change])
    .map_err(db)?;
    Ok(())
}

/// Replace the client's waiting-list row (`existed`: there may be an old one to delete).
fn replace_wait_row(c: &Connection, new: &ClientState, existed: bool) -> StoreResult<()> {
    if existed {
        c.prepare_cached("DELETE FROM waitlist WHERE client_id = ?1")
            .map_err(db)?
            .execute([new.client.0 as i64])
            .map_err(db)?;
    }
    if let Some(w) = wait_row(new) {
        c.prepare_cached("INSERT INTO waitlist (client_id, region, product, since, priority) VALUES (?1,?2,?3,?4,?5)")
            .map_err(db)?
            .execute(params![w.client as i64, w.region, w.product, w.since, w.priority])
            .map_err(db)?;
    }
    Ok(())
}

/// Replace the client's `client_provider` rows (issue 14; `existed`: there may be old ones).
fn replace_provider_rows(
    c: &Connection,
    regions: &Regions,
    new: &ClientState,
    existed: bool,
) -> StoreResult<()> {
    if existed {
        c.prepare_cached("DELETE FROM client_provider WHERE client_id = ?1")
            .map_err(db)?
            .execute([new.client.0 as i64])
            .map_err(db)?;
    }
    for r in provider_rows(new, regions) {
        insert_provider_row(c, &r)?;
    }
    Ok(())
}

/// Insert one `client_provider` row (migration 0016's columns).
fn insert_provider_row(
    c: &Connection,
    r: &vangnet_store::projection::ProviderRow,
) -> StoreResult<()> {
    c.prepare_cached("INSERT INTO client_provider (agb, client_id, leest, zorg_locatie, voorstel_locatie, tijdelijk_locatie, voorstel_tot, verzoek, taak_tot) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)")
        .map_err(db)?
        .execute(params![
            r.agb,
            r.client as i64,
            r.leest,
            r.zorg_locatie,
            r.voorstel_locatie,
            r.tijdelijk_locatie,
            r.voorstel_tot,
            r.verzoek,
            r.taak_tot
        ])
        .map_err(db)?;
    Ok(())
}

/// Migration 0016: fill `client_provider` from every stored state.
fn fill_provider_rows(c: &Connection, regions: &Regions) -> StoreResult<()> {
    let mut st = c
        .prepare("SELECT client_id, state FROM client_state")
        .map_err(db)?;
    let mut rows = st.query([]).map_err(db)?;
    while let Some(r) = rows.next().map_err(db)? {
        let client = ClientId(r.get::<_, i64>(0).map_err(db)? as u64);
        let json: String = r.get(1).map_err(db)?;
        for row in provider_rows(&parse_state(client, &json)?, regions) {
            insert_provider_row(c, &row)?;
        }
    }
    Ok(())
}

/// Replace the client's `woon_kandidaat` rows (issue 15; `existed`: there may be old ones).
fn replace_kandidaat_rows(c: &Connection, new: &ClientState, existed: bool) -> StoreResult<()> {
    if existed {
        c.prepare_cached("DELETE FROM woon_kandidaat WHERE client_id = ?1")
            .map_err(db)?
            .execute([new.client.0 as i64])
            .map_err(db)?;
    }
    for r in vangnet_store::wonen::kandidaat_rows(new) {
        insert_kandidaat_row(c, &r)?;
    }
    Ok(())
}

/// Insert one `woon_kandidaat` row (migration 0018's columns).
fn insert_kandidaat_row(c: &Connection, r: &vangnet_store::wonen::KandidaatRow) -> StoreResult<()> {
    c.prepare_cached("INSERT INTO woon_kandidaat (gemeente, client_id, regio, vanaf, klaar, woningtype, route, aanbod) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)")
        .map_err(db)?
        .execute(params![r.gemeente, r.client as i64, r.regio, r.vanaf, r.klaar, r.woningtype, r.route, r.aanbod])
        .map_err(db)?;
    Ok(())
}

/// Migration 0021: fill `woon_kandidaat` from every stored state (the SQL emptied it).
fn fill_kandidaat_rows(c: &Connection) -> StoreResult<()> {
    let mut st = c
        .prepare("SELECT client_id, state FROM client_state")
        .map_err(db)?;
    let mut rows = st.query([]).map_err(db)?;
    while let Some(r) = rows.next().map_err(db)? {
        let client = ClientId(r.get::<_, i64>(0).map_err(db)? as u64);
        let json: String = r.get(1).map_err(db)?;
        for row in vangnet_store::wonen::kandidaat_rows(&parse_state(client, &json)?) {
            insert_kandidaat_row(c, &row)?;
        }
    }
    Ok(())
}

/// Replace the client's deadline rows (`existed`: there may be old ones to delete).
fn replace_deadlines(
    c: &Connection,
    regions: &Regions,
    new: &ClientState,
    existed: bool,
) -> StoreResult<()> {
    if existed {
        c.prepare_cached("DELETE FROM deadlines WHERE client_id = ?1")
            .map_err(db)?
            .execute([new.client.0 as i64])
            .map_err(db)?;
    }
    for d in deadline_rows(new, regions) {
        c.prepare_cached(
            "INSERT INTO deadlines (client_id, region, task, due, detail) VALUES (?1,?2,?3,?4,?5)",
        )
        .map_err(db)?
        .execute(params![d.client as i64, d.region, d.task, d.due, d.detail])
        .map_err(db)?;
    }
    Ok(())
}

/// Write the projections of `new`, replacing those of the stored state (one append).
fn write_projection(
    c: &Connection,
    regions: &Regions,
    old_occupancy: Option<&OccupancyKey>,
    new: &ClientState,
) -> StoreResult<()> {
    upsert_client_row(c, new)?;
    replace_deadlines(c, regions, new, true)?;
    replace_provider_rows(c, regions, new, true)?;
    replace_kandidaat_rows(c, new, true)?;
    let new_occ = occupancy_key(new);
    if old_occupancy != new_occ.as_ref() {
        if let Some(k) = old_occupancy {
            bump_occupancy(c, k, -1)?;
        }
        if let Some(k) = &new_occ {
            bump_occupancy(c, k, 1)?;
        }
    }
    replace_wait_row(c, new, true)
}

/// Projection writes for many clients at once (import, rebuild): occupancy counters are
/// summed in memory and written once each.
#[derive(Default)]
struct BulkProjection {
    occupancy: HashMap<OccupancyKey, i64>,
}

impl BulkProjection {
    fn client(
        &mut self,
        c: &Connection,
        regions: &Regions,
        before: Option<OccupancyKey>,
        existed: bool,
        new: &ClientState,
    ) -> StoreResult<()> {
        upsert_client_row(c, new)?;
        replace_deadlines(c, regions, new, existed)?;
        replace_wait_row(c, new, existed)?;
        replace_provider_rows(c, regions, new, existed)?;
        replace_kandidaat_rows(c, new, existed)?;
        if let Some(k) = before {
            *self.occupancy.entry(k).or_default() -= 1;
        }
        if let Some(k) = occupancy_key(new) {
            *self.occupancy.entry(k).or_default() += 1;
        }
        Ok(())
    }

    fn finish(self, c: &Connection) -> StoreResult<()> {
        let mut counters: Vec<_> = self
            .occupancy
            .into_iter()
            .filter(|(_, d)| *d != 0)
            .collect();
        counters.sort();
        for (k, d) in counters {
            bump_occupancy(c, &k, d)?;
        }
        Ok(())
    }
}

fn insert_person(c: &Connection, client: ClientId, p: &Person) -> StoreResult<()> {
    check_person(p)?;
    let bsn = p.bsn.digits();
    let holder: Option<i64> = c
        .prepare_cached("SELECT client_id FROM persons WHERE bsn = ?1")
        .map_err(db)?
        .query_row([&bsn], |r| r.get(0))
        .optional()
        .map_err(db)?;
    if let Some(h) = holder {
        return Err(StoreError::Person(format!(
            "bsn: er bestaat al een cliënt met dit BSN ({})",
            ClientId(h as u64)
        )));
    }
    c.prepare_cached("INSERT INTO persons (client_id, bsn, voornaam, achternaam, geboortedatum, synthetic) VALUES (?1,?2,?3,?4,?5,?6)")
        .map_err(db)?
        .execute(params![client.0 as i64, bsn, p.voornaam, p.achternaam, p.geboortedatum.to_string(), p.synthetic])
        .map_err(db)?;
    Ok(())
}

impl Store for SqliteStore {
    fn engine(&self) -> &'static str {
        "sqlite"
    }

    fn accounts(&self) -> &dyn vangnet_store::AccountStore {
        self
    }

    fn regions(&self) -> &Regions {
        &self.regions
    }

    fn append(&self, gate: &AccessGate, cmd: AppendCommand) -> StoreResult<Receipt> {
        // The index lock is held across the commit (see `vangnet_store::monitor_index`).
        let index = self.monitor_index.write();
        let (receipt, monitor) = self.gated_tx(|tx, log| {
            let current = load_state(tx, cmd.client)?;
            if current.is_none() {
                deletion::refuse_deleted(tx, cmd.client)?;
            }
            let actual = current.as_ref().map_or(0, |s| s.version);
            // Access first: decide on what is stored (or, for a new client, on the aanmelding).
            let (scope, action) = match &current {
                Some(s) => (gate.scope(s), Action::Write),
                // No such client and no aanmelding: refused like another's client (logged).
                None => (scope_of_new(&cmd).ok_or_else(|| gate.refuse_missing(cmd.client, Action::Write, log, StoreError::Rule {
                    index: 0,
                    error: vangnet_domain::RuleError::new("stroom.eerst_aanmelding", "type", format!("cliënt {} heeft nog geen aanmelding", cmd.client)),
                }))?, Action::Create),
            };
            let (entry, verdict) = gate.check_append(&cmd, current.as_ref(), action, &scope, &self.regions, &mut || {
                let bsn: Option<String> = tx
                    .prepare_cached("SELECT bsn FROM persons WHERE client_id = ?1")
                    .map_err(db)?
                    .query_row([cmd.client.0 as i64], |r| r.get(0))
                    .optional()
                    .map_err(db)?;
                Ok(bsn.and_then(|b| Bsn::parse(&b).ok()))
            })?;
            log.push(entry);
            verdict?;
            // Rights per fact, then (only for who passed the gate) an idempotent replay: a
            // replay is logged like the append it repeats, and answers nothing to others.
            if let Some((entry, err)) = gate.check_facts(&cmd, current.as_ref(), &mut || load_stream(tx, cmd.client), &self.regions)? {
                // One row per request: the refusal replaces the client-level permission.
                log.pop();
                log.push(entry);
                return Err(err);
            }
            if let Some(key) = &cmd.idempotency_key {
                let prior: Option<(i64, String, u32, i64, i64)> = tx
                    .prepare_cached("SELECT client_id, fingerprint, version, first_seq, last_seq FROM commands WHERE idempotency_key = ?1")
                    .map_err(db)?
                    .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                    .optional()
                    .map_err(db)?;
                if let Some((client, fp, version, first, last)) = prior {
                    if fp == fingerprint(&cmd) && client as u64 == cmd.client.0 {
                        let receipt = Receipt { client: cmd.client, version, first_seq: first as u64, last_seq: last as u64 };
                        return Err(StoreError::Replay { key: key.clone(), receipt });
                    }
                    return Err(StoreError::KeyReused(key.clone()));
                }
            }
            check_version(cmd.client, cmd.expected_version, actual)?;
            // Issue 14: a rule refusal from here on is logged (one `weigering` row, written
            // after the rollback by `gated_tx`), nothing else is written.
            let plan = plan_append(&cmd, current.clone(), &mut || load_stream(tx, cmd.client), &self.regions)
                .map_err(|e| gate.refuse_rule(cmd.client, log, e))?;
            // feat/capacity: a placement needs a free place (or an allowed overbezetting).
            vangnet_store::plan::check_places(&plan, current.as_ref(), &self.regions, gate.actor(), &mut |k, on| {
                let n = occupied(tx, k)?;
                if on <= vangnet_store::time::today() {
                    return Ok(n);
                }
                vangnet_store::plan::occupied_on(k, on, n, &planned_until(tx, &k.0, on)?, &self.regions)
            }, &mut || periods_in(tx, &plan.state.regio))
            .map_err(|e| gate.refuse_rule(cmd.client, log, e))?;
            if let Some(p) = &cmd.person {
                insert_person(tx, cmd.client, p).map_err(|e| gate.refuse_rule(cmd.client, log, e))?;
            }
            let now = now_rfc3339();
            let mut seqs = Vec::with_capacity(plan.events.len());
            for (seq, (version, eff, ev)) in (max_seq(tx)? + 1..).zip(&plan.events) {
                seqs.push(insert_event(tx, seq, cmd.client, *version, *eff, &now, gate.actor(), ev)?);
            }
            let receipt = Receipt { client: cmd.client, version: plan.state.version, first_seq: seqs[0], last_seq: *seqs.last().expect("non-empty") };
            if let Some(key) = &cmd.idempotency_key {
                tx.execute(
                    "INSERT INTO commands (idempotency_key, client_id, fingerprint, version, first_seq, last_seq) VALUES (?1,?2,?3,?4,?5,?6)",
                    params![key, cmd.client.0 as i64, fingerprint(&cmd), receipt.version, receipt.first_seq as i64, receipt.last_seq as i64],
                )
                .map_err(db)?;
            }
            write_projection(tx, &self.regions, current.as_ref().and_then(occupancy_key).as_ref(), &plan.state)?;
            let monitor = monitor_deltas(&plan.monitor, &self.regions);
            add_monitor(tx, &monitor, false)?;
            Ok((receipt, monitor))
        })?;
        index.applied(receipt.first_seq - 1, receipt.last_seq, &monitor);
        Ok(receipt)
    }

    fn read_client(&self, gate: &AccessGate, client: ClientId) -> StoreResult<ClientRecord> {
        self.gated_tx(|tx, log| {
            let Some(state) = load_state(tx, client)? else {
                return Err(gate.refuse_missing(client, Action::Read, log, StoreError::NotFound(client)));
            };
            let (entry, verdict) = gate.check(client, Action::Read, &gate.scope(&state));
            log.push(entry);
            verdict?;
            let events = load_stream(tx, client)?;
            let person = tx
                .prepare_cached("SELECT bsn, voornaam, achternaam, geboortedatum FROM persons WHERE client_id = ?1")
                .map_err(db)?
                .query_row([client.0 as i64], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)))
                .optional()
                .map_err(db)?
                .map(|(bsn, v, a, g)| -> StoreResult<Person> {
                    let bad = |e: String| StoreError::Backend(format!("persoonsrecord {client}: {e}"));
                    Person::new(Bsn::parse(&bsn).map_err(|e| bad(e.to_string()))?, &v, &a, Date::parse(&g).map_err(|e| bad(e.to_string()))?, true).map_err(|e| bad(e.to_string()))
                })
                .transpose()?;
            Ok(ClientRecord { person, state, events })
        })
    }

    fn find_by_bsn(&self, gate: &AccessGate, bsn: Bsn) -> StoreResult<Option<ClientId>> {
        self.gated_tx(|tx, log| {
            let holder: Option<i64> = tx
                .prepare_cached("SELECT client_id FROM persons WHERE bsn = ?1")
                .map_err(db)?
                .query_row([bsn.digits()], |r| r.get(0))
                .optional()
                .map_err(db)?;
            let Some(h) = holder else { return Ok(None) };
            let client = ClientId(h as u64);
            let Some(state) = load_state(tx, client)? else {
                return Ok(None);
            };
            let (entry, verdict) = gate.check(client, Action::Read, &gate.scope(&state));
            log.push(entry);
            verdict?;
            Ok(Some(client))
        })
    }

    fn waitlist(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        limit: usize,
    ) -> StoreResult<Vec<WaitlistEntry>> {
        self.gated_tx(|tx, log| {
            let mut st = tx
                .prepare_cached(
                    "SELECT w.client_id, w.product, w.since, w.priority, s.state FROM waitlist w JOIN client_state s ON s.client_id = w.client_id
                     WHERE w.region = ?1 ORDER BY w.priority DESC, w.since, w.client_id",
                )
                .map_err(db)?;
            let mut rows = st.query([region.as_str()]).map_err(db)?;
            let mut out = Vec::new();
            while let Some(r) = rows.next().map_err(db)? {
                if out.len() >= limit {
                    break;
                }
                let state: ClientState = serde_json::from_str(&r.get::<_, String>(4).map_err(db)?).map_err(|e| StoreError::Backend(e.to_string()))?;
                let (entry, verdict) = gate.check(state.client, Action::Read, &gate.scope(&state));
                if verdict.is_err() {
                    continue; // not shown, so not accessed
                }
                log.push(entry);
                out.push(WaitlistEntry {
                    client: state.client,
                    product: r.get(1).map_err(db)?,
                    since: Date::parse(&r.get::<_, String>(2).map_err(db)?).map_err(|e| StoreError::Backend(e.to_string()))?,
                    priority: r.get(3).map_err(db)?,
                    herkomst: state.herkomst.map(|g| g.to_string()),
                });
            }
            Ok(out)
        })
    }

    fn overview(&self, region: &RegionId, on: Date) -> StoreResult<RegionOverview> {
        self.with_reader(|c| {
            let r = region.as_str();
            let in_care = c
                .prepare_cached("SELECT COALESCE(herkomst, ''), product, COUNT(*) FROM client_state WHERE region = ?1 AND phase = 'in_zorg' GROUP BY 1, 2 ORDER BY 1, 2")
                .map_err(db)?
                .query_map([r], |x| Ok((x.get(0)?, x.get(1)?, x.get::<_, i64>(2)? as u64)))
                .map_err(db)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db)?;
            let waiting = c
                .prepare_cached("SELECT product, COUNT(*), MIN(since) FROM waitlist WHERE region = ?1 GROUP BY product ORDER BY product")
                .map_err(db)?
                .query_map([r], |x| Ok((x.get::<_, String>(0)?, x.get::<_, i64>(1)? as u64, x.get::<_, String>(2)?)))
                .map_err(db)?
                .map(|x| x.map(|(p, n, since)| (p, n, Date::parse(&since).map_or(0, |d| i64::from(d.days_until(on))))))
                .collect::<Result<Vec<_>, _>>()
                .map_err(db)?;
            let occupancy = c
                .prepare_cached("SELECT location, product, clients FROM occupancy WHERE region = ?1 AND clients > 0 ORDER BY 1, 2")
                .map_err(db)?
                .query_map([r], |x| Ok((x.get(0)?, x.get(1)?, x.get::<_, i64>(2)? as u64)))
                .map_err(db)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db)?;
            // feat/capacity: the reasons of placements recorded as overbezetting.
            let overbezettingen = c
                .prepare_cached("SELECT location, product, state FROM client_state WHERE region = ?1 AND phase = 'in_zorg' AND state LIKE '%\"overbezetting\"%' ORDER BY 1, 2, client_id")
                .map_err(db)?
                .query_map([r], |x| Ok((x.get::<_, String>(0)?, x.get::<_, String>(1)?, x.get::<_, String>(2)?)))
                .map_err(db)?
                .filter_map(|x| x.map(|(l, p, json)| vangnet_store::projection::overbezetting_of(&json).map(|r| (l, p, r))).transpose())
                .collect::<Result<Vec<_>, _>>()
                .map_err(db)?;
            Ok(RegionOverview { in_care, waiting, occupancy, overbezettingen })
        })
    }

    fn monitor_view(&self, region: &RegionId, measures: &[Measure]) -> StoreResult<MonitorView> {
        self.with_reader(|c| {
            self.monitor_index.view(
                region.as_str(),
                measures,
                &mut || max_seq(c),
                &mut |r, m, sink| load_monitor(c, r, m, sink),
            )
        })
    }

    fn high_water_mark(&self) -> StoreResult<u64> {
        self.with_reader(max_seq)
    }

    fn import(
        &self,
        gate: &AccessGate,
        rows: &mut dyn Iterator<Item = Result<ImportRow, RowError>>,
        mode: ImportMode,
        progress: &dyn Fn(u64),
    ) -> StoreResult<ImportReport> {
        let (entry, verdict) = gate.check_bulk("import");
        // Lock order everywhere: the monitor index, then the writer.
        let index = self.monitor_index.write();
        let mut conn = self.writer.lock().unwrap_or_else(recover_writer);
        if verdict.is_err() {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            self.write_access(&tx, std::slice::from_ref(&entry))?;
            tx.commit().map_err(db)?;
            verdict?;
        }
        // Bulk-load technique: a large import into a fresh or small database is written once
        // with a rollback journal (pages beyond the old end of file need no journal) instead
        // of twice through the WAL. Only possible when no other connection is open; otherwise
        // the import simply runs in WAL mode. Commits stay durable (synchronous=FULL) either way.
        self.readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        let switched = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })
            .map_err(db)?
            .eq_ignore_ascii_case("delete");
        conn.execute_batch("PRAGMA cache_size = -524288")
            .map_err(db)?;
        let result = self.import_in(&mut conn, gate, &entry, rows, mode, progress);
        let result = result.map(|(report, delta)| {
            match delta {
                Some((before, after, monitor)) => index.applied(before, after, &monitor),
                None => drop(index),
            }
            report
        });
        conn.execute_batch("PRAGMA cache_size = -65536")
            .map_err(db)?;
        if switched {
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                .map_err(db)?;
        }
        result
    }

    fn put_persons(&self, gate: &AccessGate, persons: &[(ClientId, Person)]) -> StoreResult<()> {
        self.gated_tx(|tx, log| {
            let (entry, verdict) = gate.check_bulk("personen_registreren");
            log.push(entry);
            verdict?;
            for (c, p) in persons {
                insert_person(tx, *c, p)?;
            }
            Ok(())
        })
    }

    fn export(
        &self,
        gate: &AccessGate,
        sink: &mut dyn FnMut(RecordedEvent) -> Result<(), String>,
    ) -> StoreResult<u64> {
        let (entry, verdict) = gate.check_bulk("export");
        self.write_tx(|tx| self.write_access(tx, std::slice::from_ref(&entry)))?;
        verdict?;
        self.with_reader(|c| {
            let mut st = c
                .prepare(&format!("SELECT {EVENT_COLS} FROM events ORDER BY seq"))
                .map_err(db)?;
            let mut n = 0;
            for r in st.query_map([], row_to_event).map_err(db)? {
                sink(r.map_err(db)??).map_err(StoreError::Backend)?;
                n += 1;
            }
            Ok(n)
        })
    }

    fn rebuild(&self, progress: &dyn Fn(u64)) -> StoreResult<RebuildReport> {
        // The write lock is taken first, so no append can slip in between reading the log
        // and replacing the projections. A second connection reads and decodes the log (WAL
        // lets it read while this transaction writes) while this thread folds and writes:
        // two cores, one pass.
        let index = self.monitor_index.write();
        let report = self.write_tx(|tx| {
            tx.execute_batch(
                "DELETE FROM client_state; DELETE FROM occupancy; DELETE FROM waitlist; DELETE FROM deadlines; DELETE FROM client_provider; DELETE FROM woon_kandidaat; DELETE FROM monitor;",
            )
            .map_err(db)?;
            let mut report = RebuildReport::default();
            let mut bulk = BulkProjection::default();
            let mut monitor = Tally::new();
            let (send, recv) =
                std::sync::mpsc::sync_channel::<StoreResult<Vec<Vec<RecordedEvent>>>>(16);
            // Used batches go back to the reader to be freed there: freeing memory in another
            // thread than the one that allocated it makes the two contend on malloc's locks.
            let (recycle, recycled) = std::sync::mpsc::sync_channel::<Vec<Vec<RecordedEvent>>>(16);
            let path = self.path.clone();
            std::thread::scope(|scope| -> StoreResult<()> {
                scope.spawn(move || {
                    if let Err(e) = read_streams(&path, &send, &recycled) {
                        let _ = send.send(Err(e));
                    }
                });
                for batch in recv {
                    let batch = batch?;
                    for stream in &batch {
                        report.events += stream.len() as u64;
                        if let Some(state) =
                            fold_recorded_tally(stream[0].client, stream, &self.regions, &mut monitor)?
                        {
                            bulk.client(tx, &self.regions, None, false, &state)?;
                            report.clients += 1;
                        }
                    }
                    let _ = recycle.try_send(batch);
                    progress(report.events);
                }
                Ok(())
            })?;
            bulk.finish(tx)?;
            add_monitor(tx, &monitor_deltas(&monitor, &self.regions), true)?;
            deletion::add_archive(tx)?;
            progress(report.events);
            Ok(report)
        })?;
        index.clear();
        Ok(report)
    }

    fn rebuild_monitor(&self, progress: &dyn Fn(u64)) -> StoreResult<RebuildReport> {
        // Reading and decoding the log is most of the work, so it is split: each of
        // `MONITOR_REBUILD_THREADS` threads reads the streams of one range of client ids on its
        // own connection (WAL: alongside this write transaction) — only the columns the fold
        // needs — folds them into its own tally; the tallies are summed and written.
        let index = self.monitor_index.write();
        let report = self.write_tx(|tx| {
            let (lo, hi): (i64, i64) = tx
                .query_row(
                    "SELECT COALESCE(MIN(client_id), 0), COALESCE(MAX(client_id), -1) FROM events",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(db)?;
            let n = MONITOR_REBUILD_THREADS as i64;
            let step = ((hi - lo + 1) / n).max(1);
            let done = std::sync::atomic::AtomicU64::new(0);
            let results = std::thread::scope(|scope| -> StoreResult<Vec<_>> {
                let handles: Vec<_> = (0..n)
                    .map(|i| {
                        let from = lo + i * step;
                        let to = if i == n - 1 {
                            hi + 1
                        } else {
                            lo + (i + 1) * step
                        };
                        let (path, regions, done) = (&self.path, &self.regions, &done);
                        scope.spawn(move || tally_range(path, regions, from, to, done))
                    })
                    .collect();
                // Meanwhile (the readers have their own snapshots) empty the table.
                tx.execute_batch("DELETE FROM monitor").map_err(db)?;
                loop {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    progress(done.load(std::sync::atomic::Ordering::Relaxed));
                    if handles.iter().all(|h| h.is_finished()) {
                        break;
                    }
                }
                Ok(handles
                    .into_iter()
                    .map(|h| h.join().expect("monitor rebuild thread"))
                    .collect())
            })?;
            let mut monitor = Tally::new();
            let mut report = RebuildReport::default();
            for r in results {
                let (t, rep) = r?;
                monitor.merge(t);
                report.events += rep.events;
                report.clients += rep.clients;
            }
            add_monitor(tx, &monitor_deltas(&monitor, &self.regions), true)?;
            deletion::add_archive(tx)?;
            progress(report.events);
            Ok(report)
        })?;
        index.clear();
        Ok(report)
    }

    fn snapshot(&self) -> StoreResult<ProjectionSnapshot> {
        use vangnet_store::projection::snapshot_sql as q;
        self.with_reader(|c| {
            fn all<T>(
                c: &Connection,
                sql: &str,
                f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
            ) -> StoreResult<Vec<T>> {
                c.prepare(sql)
                    .map_err(db)?
                    .query_map([], f)
                    .map_err(db)?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(db)
            }
            let clients = all(c, q::CLIENTS, |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get(1)?))
            })?;
            let occupancy = all(c, q::OCCUPANCY, |r| {
                Ok(OccupancyRow {
                    region: r.get(0)?,
                    location: r.get(1)?,
                    product: r.get(2)?,
                    clients: r.get(3)?,
                })
            })?;
            let waiting = all(c, q::WAITING, |r| {
                Ok(WaitRow {
                    client: r.get::<_, i64>(0)? as u64,
                    region: r.get(1)?,
                    product: r.get(2)?,
                    since: r.get(3)?,
                    priority: r.get(4)?,
                })
            })?;
            let deadlines = all(c, q::DEADLINES, |r| {
                Ok(DeadlineRow {
                    client: r.get::<_, i64>(0)? as u64,
                    task: r.get(1)?,
                    due: r.get(2)?,
                    region: r.get(3)?,
                    detail: r.get(4)?,
                })
            })?;
            let monitor = all(c, q::MONITOR, monitor_row)?;
            let providers = all(c, q::PROVIDERS, |r| {
                Ok(vangnet_store::projection::ProviderRow {
                    agb: r.get(0)?,
                    client: r.get::<_, i64>(1)? as u64,
                    leest: r.get(2)?,
                    zorg_locatie: r.get(3)?,
                    voorstel_locatie: r.get(4)?,
                    tijdelijk_locatie: r.get(5)?,
                    voorstel_tot: r.get(6)?,
                    verzoek: r.get(7)?,
                    taak_tot: r.get(8)?,
                })
            })?;
            let kandidaten = all(c, q::KANDIDATEN, |r| {
                Ok(vangnet_store::projection::kandidaat_text(
                    &r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)? as u64,
                    &r.get::<_, String>(2)?,
                    &r.get::<_, String>(3)?,
                    &r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?.as_deref(),
                    r.get::<_, Option<String>>(6)?.as_deref(),
                    r.get::<_, Option<String>>(7)?.as_deref(),
                ))
            })?;
            Ok(ProjectionSnapshot {
                clients,
                occupancy,
                waiting,
                deadlines,
                monitor,
                providers,
                kandidaten,
            })
        })
    }

    fn event_count(&self) -> StoreResult<u64> {
        self.with_reader(|c| {
            c.query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
                .map_err(db)
        })
    }

    fn access_log_filtered(
        &self,
        gate: &AccessGate,
        filter: &AccessLogFilter,
    ) -> StoreResult<Vec<AccessEntry>> {
        self.gated_tx(|tx, log| {
            let (entry, verdict) = gate.check_audit();
            log.push(entry);
            verdict?;
            let mut st = tx
                .prepare_cached(&format!(
                    "SELECT {} FROM access_log \
                     WHERE (?2 IS NULL OR client_id = ?2) AND (?3 IS NULL OR actor_user = ?3) AND (?4 = 0 OR allowed = 0) \
                     AND (?5 IS NULL OR at >= ?5) AND (?6 IS NULL OR at < ?6) \
                     AND (?7 IS NULL OR actor_org = ?7) AND (?8 IS NULL OR actor_role = ?8) \
                     AND (?9 IS NULL OR instr(lower(purpose), lower(?9)) > 0) \
                     ORDER BY id DESC LIMIT ?1",
                    access::ENTRY_COLS
                ))
                .map_err(db)?;
            let client = filter.client.map(|c| c.0 as i64);
            let rows = st
                .query_map(
                    rusqlite::params![
                        i64::try_from(filter.limit).unwrap_or(i64::MAX),
                        client,
                        filter.user,
                        filter.only_refused,
                        filter.from,
                        filter.until,
                        filter.organisation,
                        filter.role,
                        filter.purpose
                    ],
                    |r| access::row_entry(r, 0),
                )
                .map_err(db)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(db)
        })
    }

    fn client_access_log(
        &self,
        gate: &AccessGate,
        client: ClientId,
    ) -> StoreResult<Vec<AccessEntry>> {
        self.gated_tx(|tx, log| {
            let Some(state) = load_state(tx, client)? else {
                return Err(gate.refuse_missing_as(
                    client,
                    "inzage_toegangslog",
                    log,
                    StoreError::NotFound(client),
                ));
            };
            let (entry, verdict) = gate.check_inzage(client, &gate.scope(&state));
            log.push(entry);
            verdict?;
            access::of_client(tx, client)
        })
    }

    fn log_job(&self, gate: &AccessGate, job: &str) -> StoreResult<()> {
        self.gated_tx(|_, log| {
            let (entry, verdict) = gate.check_bulk(job);
            log.push(entry);
            verdict
        })
    }

    fn verify_access_log(&self, gate: &AccessGate) -> StoreResult<ChainReport> {
        let (entry, verdict) = gate.check_audit();
        if verdict.is_ok() {
            let report = self.with_reader(access::verify)?;
            self.write_tx(|tx| self.write_access(tx, std::slice::from_ref(&entry)))?;
            return Ok(report);
        }
        self.write_tx(|tx| self.write_access(tx, std::slice::from_ref(&entry)))?;
        Err(verdict.expect_err("refused"))
    }

    fn anchor_access_log(&self, gate: &AccessGate) -> StoreResult<Option<Anchor>> {
        self.gated_tx(|tx, log| {
            let (entry, verdict) = gate.check_bulk("toegangslog_anker");
            if verdict.is_err() {
                log.push(entry);
            }
            verdict?;
            access::anchor(tx)
        })
    }

    fn access_log_retention(
        &self,
        gate: &AccessGate,
        cutoff: &str,
        execute: bool,
    ) -> StoreResult<RetentionReport> {
        self.gated_tx(|tx, log| {
            let (entry, verdict) = gate.check_bulk(RETENTION_ACTION);
            if verdict.is_err() {
                log.push(entry);
            }
            verdict?;
            let mut w = access::AccessWriter::open(tx, self.chained.load(Ordering::Relaxed))?;
            access::retention(tx, &mut w, cutoff, execute, &|a, n| {
                gate.note(RETENTION_ACTION, retention_reason(a, n, cutoff))
            })
        })
    }

    fn clients_past_retention(
        &self,
        gate: &AccessGate,
        before: Date,
        limit: usize,
    ) -> StoreResult<vangnet_store::DueClients> {
        self.gated_tx(|tx, log| {
            let (entry, verdict) = gate.check_bulk("bewaartermijn_clienten");
            log.push(entry);
            verdict?;
            access::clients_past(tx, before, limit)
        })
    }

    fn delete_client_data(
        &self,
        gate: &AccessGate,
        client: ClientId,
        reason: &str,
    ) -> StoreResult<vangnet_store::DeletionReport> {
        self.delete_client(gate, client, reason)
    }

    fn next_client_id(&self) -> StoreResult<ClientId> {
        self.write_tx(|tx| {
            let max: i64 = tx
                .query_row(deletion::MAX_CLIENT_ID, [], |r| r.get(0))
                .map_err(db)?;
            Ok(ClientId(max as u64 + 1))
        })
    }

    fn region_states(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        phases: &[Phase],
    ) -> StoreResult<Vec<ClientState>> {
        self.gated_tx(|tx, log| {
            // Phase keys are fixed identifiers, never user input.
            let list = phases
                .iter()
                .map(|p| format!("'{}'", p.key()))
                .collect::<Vec<_>>()
                .join(",");
            let mut st = tx
                .prepare_cached(&format!(
                    "SELECT client_id, state FROM client_state WHERE region = ?1 AND phase IN ({list}) ORDER BY client_id"
                ))
                .map_err(db)?;
            let mut rows = st.query([region.as_str()]).map_err(db)?;
            let states = read_states(&mut rows)?;
            let (entry, verdict) = gate.check_region(region, states);
            log.push(entry);
            verdict
        })
    }

    fn waiting_for(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        product: &vangnet_domain::ProductCode,
    ) -> StoreResult<Vec<ClientState>> {
        self.gated_tx(|tx, log| {
            let mut st = tx
                .prepare_cached("SELECT s.client_id, s.state FROM waitlist w JOIN client_state s ON s.client_id = w.client_id WHERE w.region = ?1 AND w.product = ?2 ORDER BY w.client_id")
                .map_err(db)?;
            let mut rows = st.query(params![region.as_str(), product.as_str()]).map_err(db)?;
            let states = read_states(&mut rows)?;
            let (entries, verdict) = gate.check_listed(region, states);
            log.extend(entries);
            verdict
        })
    }

    // feat/capacity: as-of-date state.
    fn refresh_planned(&self, today: Date) -> StoreResult<u64> {
        self.write_tx(|tx| refresh_planned_tx(tx, &self.regions, today))
    }

    // --- feat/brief: decision letters (migration 0008; SQL in `letters.rs`) ---------------
    fn store_letter(
        &self,
        gate: &AccessGate,
        letter: vangnet_store::letters::NewLetter,
    ) -> StoreResult<vangnet_store::letters::StoredLetter> {
        self.store_letter_sql(gate, letter)
    }

    fn letter(
        &self,
        gate: &AccessGate,
        client: ClientId,
        version: u32,
    ) -> StoreResult<Option<vangnet_store::letters::StoredLetter>> {
        self.letter_sql(gate, client, version)
    }

    fn letters(
        &self,
        gate: &AccessGate,
        client: ClientId,
    ) -> StoreResult<Vec<vangnet_store::letters::LetterSummary>> {
        self.letters_sql(gate, client)
    }

    fn worklist(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        until: Date,
        limit: usize,
    ) -> StoreResult<Vec<DeadlineEntry>> {
        self.gated_tx(|tx, log| {
            if let Some((entry, err)) = gate.check_region_team(region) {
                log.push(entry);
                return Err(err);
            }
            let mut st = tx
                .prepare_cached(
                    "SELECT d.client_id, d.task, d.due, d.detail, s.state FROM deadlines d JOIN client_state s ON s.client_id = d.client_id
                     WHERE d.region = ?1 AND d.due <= ?2 ORDER BY d.due, d.client_id, d.task",
                )
                .map_err(db)?;
            let mut rows = st.query(params![region.as_str(), until.to_string()]).map_err(db)?;
            let mut out = Vec::new();
            let mut decided: HashMap<u64, bool> = HashMap::new();
            while let Some(r) = rows.next().map_err(db)? {
                if out.len() >= limit {
                    break;
                }
                let client = ClientId(r.get::<_, i64>(0).map_err(db)? as u64);
                let allowed = match decided.get(&client.0) {
                    Some(a) => *a,
                    None => {
                        let json: String = r.get(4).map_err(db)?;
                        let state = parse_state(client, &json)?;
                        let (entry, verdict) = gate.check(client, Action::Read, &gate.scope(&state));
                        let allowed = verdict.is_ok();
                        if allowed {
                            log.push(entry); // not shown, so not accessed otherwise
                        }
                        decided.insert(client.0, allowed);
                        allowed
                    }
                };
                if !allowed {
                    continue;
                }
                let task: String = r.get(1).map_err(db)?;
                let due: String = r.get(2).map_err(db)?;
                out.push(DeadlineEntry {
                    client,
                    task: vangnet_domain::worklist::Task::from_key(&task)
                        .ok_or_else(|| StoreError::Backend(format!("deadlines van {client}: onbekende taak {task}")))?,
                    due: Date::parse(&due).map_err(|e| StoreError::Backend(e.to_string()))?,
                    detail: r.get(3).map_err(db)?,
                });
            }
            Ok(out)
        })
    }
    // --- feat/monitor: stands of agreed actions (migration 0009) ---

    fn record_action_stand(
        &self,
        actor: &vangnet_domain::Actor,
        row: &vangnet_store::acties::ActionStandRow,
    ) -> StoreResult<()> {
        vangnet_store::acties::check(&self.regions, actor, row)?;
        self.write_tx(|tx| {
            tx.execute(
                "INSERT INTO actie_stand (region, actie, betreft, stand, peildatum, toelichting, user_id, user_name, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    row.region,
                    row.actie,
                    row.betreft,
                    row.stand,
                    row.peildatum,
                    row.toelichting,
                    row.user_id,
                    row.user_name,
                    now_rfc3339()
                ],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn action_stands(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::acties::ActionStandRow>> {
        self.with_reader(|c| {
            let mut st = c
                .prepare_cached(
                    "SELECT region, actie, betreft, stand, peildatum, toelichting, user_id, user_name, recorded_at FROM actie_stand WHERE region = ?1 ORDER BY id",
                )
                .map_err(db)?;
            let mut rows = st.query([region.as_str()]).map_err(db)?;
            let mut out = Vec::new();
            while let Some(r) = rows.next().map_err(db)? {
                out.push(vangnet_store::acties::ActionStandRow {
                    region: r.get(0).map_err(db)?,
                    actie: r.get(1).map_err(db)?,
                    betreft: r.get(2).map_err(db)?,
                    stand: r.get(3).map_err(db)?,
                    peildatum: r.get(4).map_err(db)?,
                    toelichting: r.get(5).map_err(db)?,
                    user_id: r.get(6).map_err(db)?,
                    user_name: r.get(7).map_err(db)?,
                    recorded_at: r.get(8).map_err(db)?,
                });
            }
            Ok(out)
        })
    }

    // --- feat/edges (issue 13): tariffs a region entered (migration 0012) ---

    fn record_tariff(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        tarief: &vangnet_money::Tarief,
    ) -> StoreResult<vangnet_store::tarieven::Vastlegging> {
        use vangnet_store::tarieven::{TariefRow, Vastlegging, decide};
        // The verdict travels out of the transaction, so a refusal's log row commits too.
        self.gated_tx(|tx, log| {
            let stored = tariffs_in(tx, region)?;
            let (entry, verdict) = decide(gate, &self.regions, region, tarief, &stored);
            log.push(entry);
            if let Ok(Vastlegging::Nieuw) = verdict {
                let r = TariefRow::of(region, tarief, &gate.logged_actor().user, &now_rfc3339());
                tx.execute(
                    "INSERT INTO tarief (region, product, leveringsvorm, eenheid, bedrag_cent, van, tot, uren_per_week_x100, herkomst_soort, herkomst_tekst, user_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    params![
                        r.region,
                        r.product,
                        r.leveringsvorm,
                        r.eenheid,
                        r.bedrag_cent,
                        r.van,
                        r.tot,
                        r.uren_per_week_x100,
                        r.herkomst_soort,
                        r.herkomst_tekst,
                        r.user_id,
                        r.recorded_at
                    ],
                )
                .map_err(db)?;
            }
            Ok(verdict)
        })?
    }

    fn tariffs(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::tarieven::StoredTarief>> {
        self.with_reader(|c| tariffs_in(c, region))
    }

    // --- feat/afspraken (issue 15): woningafspraken (migration 0019) ---

    fn record_woningafspraak(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        afspraak: &vangnet_domain::woningafspraken::Afspraak,
    ) -> StoreResult<vangnet_store::woningafspraken::Vastlegging> {
        use vangnet_store::woningafspraken::{AfspraakRow, Vastlegging, decide};
        self.gated_tx(|tx, log| {
            let stored = woningafspraken_in(tx, region)?;
            let (entry, verdict) = decide(gate, &self.regions, region, afspraak, &stored);
            log.push(entry);
            if let Ok(Vastlegging::Nieuw) = verdict {
                let r = AfspraakRow::of(region, afspraak, &gate.logged_actor().user, &now_rfc3339());
                tx.execute(
                    "INSERT INTO woningafspraak (region, gemeente, corporatie, jaar, route, woningen, soort, herkomst_soort, herkomst_tekst, user_id, recorded_at, onderdeel_van) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    params![
                        r.region,
                        r.gemeente,
                        r.corporatie,
                        r.jaar,
                        r.route,
                        r.woningen,
                        r.soort,
                        r.herkomst_soort,
                        r.herkomst_tekst,
                        r.user_id,
                        r.recorded_at,
                        r.onderdeel_van
                    ],
                )
                .map_err(db)?;
            }
            Ok(verdict)
        })?
    }

    fn record_ander_gebruik(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        gebruik: &vangnet_domain::woningafspraken::AnderGebruik,
    ) -> StoreResult<vangnet_store::woningafspraken::Vastlegging> {
        use vangnet_store::woningafspraken::{GebruikRow, Vastlegging, decide_gebruik};
        self.gated_tx(|tx, log| {
            let afspraken = woningafspraken_in(tx, region)?;
            let eerder = ander_gebruik_in(tx, region)?;
            let (entry, verdict) =
                decide_gebruik(gate, &self.regions, region, gebruik, &afspraken, &eerder);
            log.push(entry);
            if let Ok(Vastlegging::Nieuw) = verdict {
                let r = GebruikRow::of(region, gebruik, &gate.logged_actor().user, &now_rfc3339());
                tx.execute(
                    "INSERT INTO woningafspraak_gebruik (region, afspraak, jaar, maand, doelgroep, aantal, herkomst_soort, herkomst_tekst, user_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        r.region,
                        r.afspraak,
                        r.jaar,
                        r.maand,
                        r.doelgroep,
                        r.aantal,
                        r.herkomst_soort,
                        r.herkomst_tekst,
                        r.user_id,
                        r.recorded_at
                    ],
                )
                .map_err(db)?;
            }
            Ok(verdict)
        })?
    }

    fn ander_gebruik(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::woningafspraken::StoredGebruik>> {
        self.with_reader(|c| ander_gebruik_in(c, region))
    }

    fn woningafspraken(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::woningafspraken::StoredAfspraak>> {
        self.with_reader(|c| woningafspraken_in(c, region))
    }

    // --- feat/plaatsen (issue 14): places over time (migration 0013) ---

    fn record_capacity(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        p: &vangnet_store::plaatsen::CapaciteitPeriode,
    ) -> StoreResult<vangnet_store::plaatsen::Vastlegging> {
        use vangnet_store::plaatsen::{PeriodeRow, Vastlegging, decide_periode};
        // The verdict travels out of the transaction, so a refusal's log row commits too.
        self.gated_tx(|tx, log| {
            let stored = periods_in(tx, region)?;
            let (entry, verdict) = decide_periode(gate, &self.regions, region, p, &stored);
            log.push(entry);
            if let Ok(Vastlegging::Nieuw) = verdict {
                let r = PeriodeRow::of(region, p, &gate.logged_actor().user, &now_rfc3339());
                tx.execute(
                    "INSERT INTO capaciteit_periode (region, location, product, vanaf, tot, plaatsen, soort, reden, user_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![r.region, r.location, r.product, r.vanaf, r.tot, r.plaatsen, r.soort, r.reden, r.user_id, r.recorded_at],
                )
                .map_err(db)?;
            }
            Ok(verdict)
        })?
    }

    fn capacity_periods(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::plaatsen::StoredPeriode>> {
        self.with_reader(|c| periods_in(c, region))
    }

    fn report_free_place(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        m: &vangnet_store::plaatsen::PlaatsMelding,
    ) -> StoreResult<vangnet_store::plaatsen::Vastlegging> {
        use vangnet_store::plaatsen::{MeldingRow, Vastlegging, decide_melding};
        self.gated_tx(|tx, log| {
            let stored = reports_in(tx, region)?;
            let (entry, verdict) = decide_melding(gate, &self.regions, region, m, &stored);
            log.push(entry);
            if let Ok(Vastlegging::Nieuw) = verdict {
                let r = MeldingRow::of(region, m, &gate.logged_actor().user, &now_rfc3339());
                tx.execute(
                    "INSERT INTO plaats_melding (region, location, product, datum, aantal, toelichting, user_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![r.region, r.location, r.product, r.datum, r.aantal, r.toelichting, r.user_id, r.recorded_at],
                )
                .map_err(db)?;
            }
            Ok(verdict)
        })?
    }

    fn free_place_reports(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::plaatsen::StoredMelding>> {
        self.with_reader(|c| reports_in(c, region))
    }

    fn place_overview(
        &self,
        region: &RegionId,
        on: Date,
    ) -> StoreResult<Vec<vangnet_store::plaatsen::PlaatsStand>> {
        let Some(profile) = self.regions.get(region) else {
            return Ok(Vec::new());
        };
        self.with_reader(|c| {
            let r = region.as_str();
            let periods = periods_in(c, region)?;
            let occupied = c
                .prepare_cached("SELECT location, product, clients FROM occupancy WHERE region = ?1 AND clients > 0")
                .map_err(db)?
                .query_map([r], |x| Ok((x.get(0)?, x.get(1)?, x.get::<_, i64>(2)?.max(0) as u64)))
                .map_err(db)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db)?;
            let mut special = Vec::new();
            let sql = format!(
                "SELECT state FROM client_state WHERE region = ?1 AND {}",
                vangnet_store::plaatsen::SPECIAL_STATES
            );
            let mut st = c.prepare_cached(&sql).map_err(db)?;
            let mut rows = st.query([r]).map_err(db)?;
            while let Some(row) = rows.next().map_err(db)? {
                let json: String = row.get(0).map_err(db)?;
                special.push(
                    serde_json::from_str::<ClientState>(&json)
                        .map_err(|e| StoreError::Backend(format!("cliëntstatus onleesbaar: {e}")))?,
                );
            }
            Ok(vangnet_store::plaatsen::overview(profile, &periods, &occupied, &special, on))
        })
    }

    // ---- feat/werklijst (issue 12) ----

    fn worklist_page(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        filter: &vangnet_domain::worklist::WorklistFilter,
        today: Date,
    ) -> StoreResult<vangnet_domain::worklist::WorklistPage> {
        self.gated_tx(|tx, log| {
            if let Some((entry, err)) = gate.check_region_team(region) {
                log.push(entry);
                return Err(err);
            }
            let until = vangnet_domain::worklist::WorklistFilter::until(today);
            let mut st = tx
                .prepare_cached(
                    "SELECT d.client_id, d.task, d.due, d.detail, s.state, p.voornaam, p.achternaam
                     FROM deadlines d JOIN client_state s ON s.client_id = d.client_id
                     LEFT JOIN persons p ON p.client_id = d.client_id
                     WHERE d.region = ?1 AND d.due <= ?2 ORDER BY d.client_id",
                )
                .map_err(db)?;
            let mut rows = st
                .query(params![region.as_str(), until.to_string()])
                .map_err(db)?;
            let mut read = Vec::new();
            let mut last: Option<std::rc::Rc<ClientState>> = None;
            while let Some(r) = rows.next().map_err(db)? {
                let client = ClientId(r.get::<_, i64>(0).map_err(db)? as u64);
                let state = match &last {
                    Some(s) if s.client == client => s.clone(),
                    _ => {
                        let json: String = r.get(4).map_err(db)?;
                        let s = std::rc::Rc::new(parse_state(client, &json)?);
                        last = Some(s.clone());
                        s
                    }
                };
                let voornaam: Option<String> = r.get(5).map_err(db)?;
                let achternaam: Option<String> = r.get(6).map_err(db)?;
                read.push((
                    vangnet_store::worklist::StoredDeadline {
                        client,
                        task: r.get(1).map_err(db)?,
                        due: r.get(2).map_err(db)?,
                        detail: r.get(3).map_err(db)?,
                        name: voornaam.zip(achternaam),
                    },
                    state,
                ));
            }
            let (entries, verdict) =
                vangnet_store::worklist::page(gate, region, read, filter, today);
            log.extend(entries);
            verdict
        })
    }

    fn waiting_for_named(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        product: &vangnet_domain::ProductCode,
    ) -> StoreResult<Vec<(ClientState, Option<String>)>> {
        self.gated_tx(|tx, log| {
            let mut st = tx
                .prepare_cached("SELECT s.client_id, s.state, p.voornaam, p.achternaam FROM waitlist w JOIN client_state s ON s.client_id = w.client_id LEFT JOIN persons p ON p.client_id = w.client_id WHERE w.region = ?1 AND w.product = ?2 ORDER BY w.client_id")
                .map_err(db)?;
            let mut rows = st.query(params![region.as_str(), product.as_str()]).map_err(db)?;
            let mut read = Vec::new();
            while let Some(r) = rows.next().map_err(db)? {
                let client = ClientId(r.get::<_, i64>(0).map_err(db)? as u64);
                let json: String = r.get(1).map_err(db)?;
                let voornaam: Option<String> = r.get(2).map_err(db)?;
                let achternaam: Option<String> = r.get(3).map_err(db)?;
                read.push((parse_state(client, &json)?, voornaam.zip(achternaam)));
            }
            let (entries, verdict) = vangnet_store::worklist::named(gate, region, read);
            log.extend(entries);
            verdict
        })
    }

    fn resident_cases(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        gemeente: vangnet_domain::GemeenteCode,
        page: std::ops::Range<usize>,
    ) -> StoreResult<vangnet_store::worklist::ResidentCases> {
        use vangnet_store::worklist as w;
        self.gated_tx(|tx, log| {
            if let Err(refused) = w::may_read_residents(gate, region, gemeente) {
                let (entry, e) = *refused;
                log.push(entry);
                return Err(e);
            }
            let g = gemeente.to_string();
            let total: i64 = tx
                .prepare_cached(w::RESIDENTS_COUNT_SQLITE)
                .map_err(db)?
                .query_row(params![region.as_str(), g], |r| r.get(0))
                .map_err(db)?;
            let (limit, offset) = w::limit_offset(&page);
            let mut st = tx.prepare_cached(w::RESIDENTS_PAGE_SQLITE).map_err(db)?;
            let mut rows = st
                .query(params![region.as_str(), g, limit, offset])
                .map_err(db)?;
            let mut read = Vec::new();
            while let Some(r) = rows.next().map_err(db)? {
                let client = ClientId(r.get::<_, i64>(0).map_err(db)? as u64);
                let json: String = r.get(1).map_err(db)?;
                let voornaam: Option<String> = r.get(2).map_err(db)?;
                let achternaam: Option<String> = r.get(3).map_err(db)?;
                read.push((parse_state(client, &json)?, voornaam.zip(achternaam)));
            }
            let (entries, verdict) = w::residents(gate, total as usize, read);
            log.extend(entries);
            verdict
        })
    }

    // --- feat/portaal (issue 14): a provider's clients (migration 0014) ---

    fn provider_clients_at(
        &self,
        gate: &AccessGate,
        agb: vangnet_domain::AgbCode,
        locatie: Option<&vangnet_domain::LocationId>,
        shown: &vangnet_store::aanbieder::Shown,
    ) -> StoreResult<vangnet_store::aanbieder::ProviderClients> {
        use vangnet_store::aanbieder as a;
        self.gated_tx(|tx, log| {
            let all = match a::may_list(gate, agb) {
                Ok(all) => all,
                Err(refused) => {
                    let (entry, e) = *refused;
                    log.push(entry);
                    return Err(e);
                }
            };
            // One scan of the provider's rows in key order; the page chosen in `pick`.
            let mut list = Vec::new();
            {
                let mut st = tx.prepare_cached(a::LIST_SQLITE).map_err(db)?;
                let mut rows = st
                    .query(params![
                        agb.to_string(),
                        all,
                        locatie.map(ToString::to_string)
                    ])
                    .map_err(db)?;
                while let Some(r) = rows.next().map_err(db)? {
                    list.push(a::ListRow {
                        client: r.get(0).map_err(db)?,
                        verzoek: r.get(1).map_err(db)?,
                        voorstel_tot: r.get(2).map_err(db)?,
                        taak_tot: r.get(3).map_err(db)?,
                    });
                }
            }
            let picked = a::pick(&list, shown);
            let mut st = tx
                .prepare_cached("SELECT s.state, p.voornaam, p.achternaam FROM client_state s LEFT JOIN persons p ON p.client_id = s.client_id WHERE s.client_id = ?1")
                .map_err(db)?;
            let mut read = Vec::with_capacity(picked.rows.len());
            for (id, pos, task_pos) in picked.rows {
                let client = ClientId(id as u64);
                let (json, voornaam, achternaam): (String, Option<String>, Option<String>) = st
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .map_err(db)?;
                read.push((
                    pos,
                    task_pos,
                    parse_state(client, &json)?,
                    voornaam.zip(achternaam),
                ));
            }
            let (entries, listed) = a::decide_shown(gate, (picked.total, picked.task_total), read);
            log.extend(entries);
            Ok(listed)
        })
    }

    // --- feat/corporatie (issue 15) ---

    fn woon_kandidaten(
        &self,
        gate: &AccessGate,
        id: &str,
        filter: &vangnet_store::wonen::Filter,
        page: std::ops::Range<usize>,
        today: vangnet_domain::Date,
    ) -> StoreResult<vangnet_store::wonen::Kandidaten> {
        use vangnet_store::wonen;
        self.gated_tx(|tx, log| {
            if let Err(refused) = wonen::may_ask(gate, id) {
                let (entry, e) = *refused;
                log.push(entry);
                return Err(e);
            }
            let w = wonen::werkgebied(&self.regions, id, filter.gemeente);
            let gemeenten = serde_json::to_string(&w.gemeenten).expect("json");
            let regios = serde_json::to_string(&w.regios).expect("json");
            let today = today.to_string();
            let woningtype = filter.woningtype.map(|t| t.key());
            let route = filter.route.map(|r| r.key());
            let total: i64 = tx
                .prepare_cached(SQLITE_KANDIDATEN_COUNT)
                .map_err(db)?
                .query_row(params![gemeenten, regios, today, woningtype, route], |r| {
                    r.get(0)
                })
                .map_err(db)?;
            let limit = page.end.saturating_sub(page.start).min(10_000) as i64;
            let offset = page.start.min(i64::MAX as usize) as i64;
            let mut ids: Vec<i64> = Vec::new();
            {
                let mut st = tx.prepare_cached(SQLITE_KANDIDATEN_PAGE).map_err(db)?;
                let mut rows = st
                    .query(params![
                        gemeenten, regios, today, woningtype, route, limit, offset
                    ])
                    .map_err(db)?;
                while let Some(r) = rows.next().map_err(db)? {
                    ids.push(r.get(0).map_err(db)?);
                }
            }
            let offers: Vec<i64> = tx
                .prepare_cached("SELECT DISTINCT client_id FROM woon_kandidaat WHERE aanbod = ?1 AND regio IN (SELECT value FROM json_each(?2)) ORDER BY client_id LIMIT 1000")
                .map_err(db)?
                .query_map(params![id, regios], |r| r.get(0))
                .map_err(db)?
                .collect::<Result<_, _>>()
                .map_err(db)?;
            let mut read = Vec::with_capacity(ids.len() + offers.len());
            let mut seen = std::collections::HashSet::new();
            for client in ids.iter().chain(&offers) {
                if seen.insert(*client)
                    && let Some(r) = sqlite_candidate(tx, ClientId(*client as u64))?
                {
                    read.push(r);
                }
            }
            let (entries, all) = wonen::shown(gate, &self.regions, id, read, Date::parse(&today).expect("date"));
            log.extend(entries);
            Ok(wonen::Kandidaten::split(all, &ids, &offers, total))
        })
    }

    fn woon_kandidaat(
        &self,
        gate: &AccessGate,
        id: &str,
        client: ClientId,
        today: vangnet_domain::Date,
    ) -> StoreResult<vangnet_store::wonen::WoonKandidaat> {
        self.gated_tx(|tx, log| {
            let read = sqlite_candidate(tx, client)?;
            let (entries, verdict) =
                vangnet_store::wonen::one(gate, &self.regions, id, client, read, today);
            log.extend(entries);
            verdict
        })
    }

    // --- feat/zoeken (issue 12) ---

    fn search_clients(
        &self,
        gate: &AccessGate,
        key: &SearchKey,
        limit: usize,
    ) -> StoreResult<SearchResult> {
        self.gated_tx(|tx, log| {
            // Narrow by index (BSN, client number, birth date: migration 0010); the exact
            // test and the access decision are the store's shared code.
            let (sql, arg) = match key {
                SearchKey::Bsn(b) => (
                    "SELECT p.client_id, p.bsn, p.voornaam, p.achternaam, p.geboortedatum, s.state FROM persons p JOIN client_state s ON s.client_id = p.client_id WHERE p.bsn = ?1",
                    b.digits(),
                ),
                SearchKey::Client(c) => (
                    "SELECT p.client_id, p.bsn, p.voornaam, p.achternaam, p.geboortedatum, s.state FROM persons p JOIN client_state s ON s.client_id = p.client_id WHERE p.client_id = CAST(?1 AS INTEGER)",
                    c.0.to_string(),
                ),
                SearchKey::NameBirth { born, .. } => (
                    "SELECT p.client_id, p.bsn, p.voornaam, p.achternaam, p.geboortedatum, s.state FROM persons p JOIN client_state s ON s.client_id = p.client_id WHERE p.geboortedatum = ?1",
                    born.to_string(),
                ),
            };
            let mut st = tx.prepare_cached(sql).map_err(db)?;
            let mut rows = st.query([arg]).map_err(db)?;
            let mut candidates = Vec::new();
            while let Some(r) = rows.next().map_err(db)? {
                let client = ClientId(r.get::<_, i64>(0).map_err(db)? as u64);
                let bad = |e: String| StoreError::Backend(format!("persoonsrecord {client}: {e}"));
                let bsn: String = r.get(1).map_err(db)?;
                let born: String = r.get(4).map_err(db)?;
                let person = Person::new(
                    Bsn::parse(&bsn).map_err(|e| bad(e.to_string()))?,
                    &r.get::<_, String>(2).map_err(db)?,
                    &r.get::<_, String>(3).map_err(db)?,
                    Date::parse(&born).map_err(|e| bad(e.to_string()))?,
                    true,
                )
                .map_err(|e| bad(e.to_string()))?;
                let state = parse_state(client, &r.get::<_, String>(5).map_err(db)?)?;
                candidates.push((state, person));
            }
            let (entries, result) = gate.check_search(key, candidates, limit);
            log.extend(entries);
            result
        })
    }

    fn find_elsewhere(
        &self,
        gate: &AccessGate,
        bsn: Bsn,
        probe: &AppendCommand,
    ) -> StoreResult<Option<vangnet_store::Elsewhere>> {
        self.gated_tx(|tx, log| {
            let holder: Option<i64> = tx
                .prepare_cached("SELECT client_id FROM persons WHERE bsn = ?1")
                .map_err(db)?
                .query_row([bsn.digits()], |r| r.get(0))
                .optional()
                .map_err(db)?;
            let Some(h) = holder else { return Ok(None) };
            let Some(state) = load_state(tx, ClientId(h as u64))? else {
                return Ok(None);
            };
            let (entry, verdict) = gate.check_elsewhere(&state, probe, &self.regions);
            log.push(entry);
            verdict.map(Some)
        })
    }

    fn correct_person(
        &self,
        gate: &AccessGate,
        client: ClientId,
        correction: &PersonCorrection,
    ) -> StoreResult<Person> {
        self.gated_tx(|tx, log| {
            let Some(state) = load_state(tx, client)? else {
                return Err(gate.refuse_missing_as(client, vangnet_store::search::PERSON_CORRECTION_ACTION, log, StoreError::NotFound(client)));
            };
            let (entry, verdict) = gate.check_person_correction(&state, &correction.reden);
            log.push(entry);
            verdict?;
            let stored = tx
                .prepare_cached("SELECT bsn, voornaam, achternaam, geboortedatum FROM persons WHERE client_id = ?1")
                .map_err(db)?
                .query_row([client.0 as i64], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)))
                .optional()
                .map_err(db)?
                .ok_or_else(|| StoreError::Person(format!("cliënt {client} heeft geen persoonsrecord")))?;
            let bad = |e: String| StoreError::Backend(format!("persoonsrecord {client}: {e}"));
            let stored = Person::new(Bsn::parse(&stored.0).map_err(|e| bad(e.to_string()))?, &stored.1, &stored.2, Date::parse(&stored.3).map_err(|e| bad(e.to_string()))?, true).map_err(|e| bad(e.to_string()))?;
            let new = correction.apply(&stored)?;
            tx.prepare_cached("UPDATE persons SET voornaam = ?2, achternaam = ?3, geboortedatum = ?4 WHERE client_id = ?1")
                .map_err(db)?
                .execute(params![client.0 as i64, new.voornaam, new.achternaam, new.geboortedatum.to_string()])
                .map_err(db)?;
            Ok(new)
        })
    }
}

/// feat/corporatie (issue 15): the candidates of a werkgebied (gemeenten and regions as JSON
/// arrays), the date and the optional woningtype and route.
const SQLITE_KANDIDATEN_COUNT: &str = concat!(
    "SELECT COUNT(DISTINCT client_id) FROM woon_kandidaat WHERE ",
    "gemeente IN (SELECT value FROM json_each(?1)) AND regio IN (SELECT value FROM json_each(?2)) AND vanaf <= ?3 AND (?4 IS NULL OR woningtype = ?4) AND (?5 IS NULL OR route = ?5)"
);
const SQLITE_KANDIDATEN_PAGE: &str = concat!(
    "SELECT client_id, MIN(klaar) AS k FROM woon_kandidaat WHERE ",
    "gemeente IN (SELECT value FROM json_each(?1)) AND regio IN (SELECT value FROM json_each(?2)) AND vanaf <= ?3 AND (?4 IS NULL OR woningtype = ?4) AND (?5 IS NULL OR route = ?5)",
    " GROUP BY client_id ORDER BY k, client_id LIMIT ?6 OFFSET ?7"
);

/// One client's state and person fields for the candidate view (issue 15).
fn sqlite_candidate(
    c: &Connection,
    client: ClientId,
) -> StoreResult<Option<vangnet_store::wonen::Read>> {
    type Row = (String, Option<String>, Option<String>, Option<String>);
    let row: Option<Row> = c
        .prepare_cached("SELECT s.state, p.voornaam, p.achternaam, p.geboortedatum FROM client_state s LEFT JOIN persons p ON p.client_id = s.client_id WHERE s.client_id = ?1")
        .map_err(db)?
        .query_row([client.0 as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()
        .map_err(db)?;
    let Some((json, v, a, g)) = row else {
        return Ok(None);
    };
    let person = match (v, a, g) {
        (Some(v), Some(a), Some(g)) => Some((v, a, g)),
        _ => None,
    };
    Ok(Some((parse_state(client, &json)?, person)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_temp() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("t.sqlite"), Regions::builtin()).unwrap();
        (dir, store)
    }

    /// A request that panics while it holds the writer (issue 11 §2: a far-future date once
    /// did) must not stop the registry: its transaction is rolled back and the next write works.
    #[test]
    fn a_panic_inside_a_write_does_not_poison_the_writer() {
        let (_d, s) = open_temp();
        let before = s.event_count().unwrap();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = s.write_tx(|tx| -> StoreResult<()> {
                tx.execute_batch("CREATE TABLE halfway (x INTEGER)")
                    .map_err(db)?;
                panic!("verzonnen paniek midden in een schrijfactie");
            });
        }));
        assert!(r.is_err());
        assert!(s.writer.is_poisoned());
        // The half-done work was rolled back, and writing goes on.
        s.write_tx(|tx| {
            let n: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM sqlite_master WHERE name = 'halfway'",
                    [],
                    |r| r.get(0),
                )
                .map_err(db)?;
            assert_eq!(n, 0);
            tx.execute_batch("CREATE TABLE after_panic (x INTEGER)")
                .map_err(db)
        })
        .unwrap();
        assert_eq!(s.event_count().unwrap(), before);
        let sys = AccessGate::system("test");
        assert!(s.access_log(&sys, 10).is_ok());
    }

    #[test]
    fn conformance_story() {
        let (_d, s) = open_temp();
        vangnet_store::conformance::run_all(&s);
    }

    /// feat/werklijst: the worklist page and the named waiting list.
    #[test]
    fn worklist_page_story() {
        let (_d, s) = open_temp();
        vangnet_store::conformance::worklist_page_story(&s);
    }

    /// Issue 12: capacity, overbezetting and planned facts (feat/capacity).
    #[test]
    fn capacity_and_planned_facts() {
        let (_d, s) = open_temp();
        vangnet_store::conformance::capacity_and_planned(&s);
    }

    #[test]
    fn letters_story() {
        let (d, s) = open_temp();
        vangnet_store::letters::conformance::run_all(&s);
        // The deleted client's letter row is gone from the file, the other one is there.
        let c = Connection::open(d.path().join("t.sqlite")).unwrap();
        let count = |id: i64| -> i64 {
            c.query_row(
                "SELECT COUNT(*) FROM letters WHERE client_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!((count(8_102), count(8_101)), (0, 2));
    }

    #[test]
    fn accounts_story() {
        let (_d, s) = open_temp();
        vangnet_store::accounts::conformance::run_all(&s);
    }

    #[test]
    fn rebuild_equals_incremental_on_a_large_random_history() {
        let (_d, s) = open_temp();
        vangnet_store::conformance::rebuild_matches_incremental(&s, 3_000);
    }

    /// SQL on the store's file around the store, as an attacker with file access would.
    fn raw(path: &Path) -> impl Fn(&str) -> Result<(), String> + '_ {
        move |sql: &str| {
            let c = Connection::open(path).map_err(|e| e.to_string())?;
            c.busy_timeout(std::time::Duration::from_secs(10))
                .map_err(|e| e.to_string())?;
            c.execute_batch(sql).map_err(|e| e.to_string())
        }
    }

    #[test]
    fn access_chain_detects_tampering() {
        let (d, s) = open_temp();
        let path = d.path().join("t.sqlite");
        vangnet_store::conformance::access_chain(
            &s,
            &raw(&path),
            "DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete;",
        );
    }

    #[test]
    fn deleting_a_client_past_retention() {
        let (d, s) = open_temp();
        let path = d.path().join("t.sqlite");
        vangnet_store::deletion_story::deletion_story(
            &s,
            &raw(&path),
            "CREATE TRIGGER fail_deletion BEFORE INSERT ON deleted_clients BEGIN SELECT RAISE(ABORT, 'test: onderbroken'); END;",
            "DROP TRIGGER fail_deletion;",
        );
    }

    #[test]
    fn agreed_action_stands_are_stored_append_only() {
        let (d, s) = open_temp();
        let path = d.path().join("t.sqlite");
        vangnet_store::acties::story(&s, &raw(&path));
    }

    #[test]
    fn places_over_time_are_stored_append_only_once_and_logged() {
        let (d, s) = open_temp();
        let path = d.path().join("t.sqlite");
        vangnet_store::plaatsen::story(&s, &raw(&path));
    }

    #[test]
    fn woningafspraken_are_stored_append_only_once_and_logged() {
        let (d, s) = open_temp();
        let path = d.path().join("t.sqlite");
        vangnet_store::woningafspraken::story(&s, &raw(&path));
    }

    #[test]
    fn tariffs_are_stored_append_only_once_and_logged() {
        let (d, s) = open_temp();
        let path = d.path().join("t.sqlite");
        vangnet_store::tarieven::story(&s, &raw(&path));
    }

    #[test]
    fn two_stores_on_one_file_keep_one_chain() {
        let (d, a) = open_temp();
        let b = SqliteStore::open(&d.path().join("t.sqlite"), Regions::builtin()).unwrap();
        vangnet_store::conformance::concurrent_chain(&a, &b);
    }

    #[test]
    fn client_access_overview() {
        let (_d, s) = open_temp();
        vangnet_store::conformance::client_access_overview(&s);
    }

    #[test]
    fn search_story() {
        let (_d, s) = open_temp();
        vangnet_store::search_story::search_story(&s);
    }

    #[test]
    fn cross_region_story() {
        let (_d, s) = open_temp();
        vangnet_store::search_story::cross_region_story(&s);
    }

    /// feat/portaal (issue 14): a provider's clients.
    #[test]
    fn provider_clients_story() {
        let (_d, s) = open_temp();
        vangnet_store::aanbieder::story(&s);
    }

    /// feat/corporatie (issue 15): a corporation's housing candidates.
    #[test]
    fn woon_kandidaten_story() {
        let (_d, s) = open_temp();
        vangnet_store::wonen::story(&s);
    }

    #[test]
    fn a_log_from_before_the_chain_is_chained_by_the_migration() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("old.sqlite");
        {
            // A database of the previous version: migrations 1–3, rows with a gap in the ids.
            let mut c = connect(&path).unwrap();
            c.execute_batch("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)").unwrap();
            let tx = c.transaction().unwrap();
            for (v, name, sql) in &MIGRATIONS[..3] {
                tx.execute_batch(sql).unwrap();
                tx.execute(
                    "INSERT INTO schema_migrations VALUES (?1, ?2, 'x')",
                    params![v, name],
                )
                .unwrap();
            }
            for id in [1, 2, 5, 9] {
                tx.execute(
                    "INSERT INTO access_log (id, at, actor_user, actor_role, actor_org, client_id, action, purpose, allowed, reason) VALUES (?1, '2020-01-01T00:00:00.000Z', 'oud', 'toegangsmedewerker', 'regio:x', 3, 'lezen', 'p', 1, 'r')",
                    [id],
                )
                .unwrap();
            }
            tx.commit().unwrap();
        }
        let s = SqliteStore::open(&path, Regions::builtin()).unwrap();
        let sys = AccessGate::system("test");
        let r = s.verify_access_log(&sys).unwrap();
        assert!(r.ok(), "{r}");
        assert_eq!((r.first, r.last, r.rows), (1, 4, 4));
        // New rows continue the chain; the old ones are now immutable.
        s.log_job(&sys, "herbouwen").unwrap();
        let r = s.verify_access_log(&sys).unwrap();
        assert!(r.ok() && r.last == 6, "{r}");
        assert!(raw(&path)("UPDATE access_log SET purpose = 'q' WHERE id = 1").is_err());
    }

    /// Migration 0016 fills the new `client_provider` from the stored states: a database
    /// whose table has the 0014 shape (and no 0016) gets the same rows the append path
    /// writes (the provider story's clients).
    #[test]
    fn migration_0016_fills_the_provider_rows_from_the_states() {
        let (d, s) = open_temp();
        vangnet_store::aanbieder::story(&s);
        let expected = s.snapshot().unwrap().providers;
        assert!(!expected.is_empty());
        drop(s);
        let path = d.path().join("t.sqlite");
        raw(&path)(
            "DROP TABLE client_provider; CREATE TABLE client_provider (agb TEXT NOT NULL, client_id INTEGER NOT NULL, PRIMARY KEY (agb, client_id)) WITHOUT ROWID; DELETE FROM schema_migrations WHERE version = 16",
        )
        .unwrap();
        let s = SqliteStore::open(&path, Regions::builtin()).unwrap();
        assert_eq!(s.snapshot().unwrap().providers, expected);
    }

    /// Issue 15: migration 0021 fills `woon_kandidaat` from the stored states of a database
    /// migration 0018 left with only the uitstroomklaar candidates (`wonen::upgrade_story`).
    #[test]
    fn migration_0021_fills_the_candidates_from_the_states() {
        let (d, s) = open_temp();
        let path = d.path().join("t.sqlite");
        let sql = MIGRATIONS.iter().find(|m| m.0 == 18).unwrap().2;
        let old_fill = &sql[sql.find("INSERT").unwrap()..];
        vangnet_store::wonen::upgrade_story(&s, &raw(&path), old_fill, &|| {
            Box::new(SqliteStore::open(&path, Regions::builtin()).unwrap())
        });
    }

    #[test]
    fn reopening_applies_no_migration_twice() {
        let (d, s) = open_temp();
        drop(s);
        let s = SqliteStore::open(&d.path().join("t.sqlite"), Regions::builtin()).unwrap();
        assert_eq!(s.event_count().unwrap(), 0);
    }

    /// A real `SQLITE_BUSY` (another connection holds the write lock) is temporary (→ 503),
    /// a constraint violation is a failure; both keep the driver's error as the source.
    #[test]
    fn busy_is_temporary_and_keeps_its_source() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.sqlite");
        let holder = Connection::open(&path).unwrap();
        holder
            .execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);")
            .unwrap();
        let other = Connection::open(&path).unwrap();
        other.busy_timeout(std::time::Duration::ZERO).unwrap();
        let busy = db(other.execute("INSERT INTO t VALUES (2)", []).unwrap_err());
        assert!(busy.is_temporary(), "{busy:?}");
        let source = std::error::Error::source(&busy).expect("source kept");
        assert!(
            source.downcast_ref::<rusqlite::Error>().is_some(),
            "{source:?}"
        );
        assert!(busy.to_string().contains("probeer het zo opnieuw"));

        let dup = db(holder.execute("INSERT INTO t VALUES (1)", []).unwrap_err());
        assert!(!dup.is_temporary());
        assert!(
            matches!(
                dup,
                StoreError::Database {
                    kind: vangnet_store::DatabaseFault::Failed,
                    ..
                }
            ),
            "{dup:?}"
        );
        assert!(
            dup.detail().contains("UNIQUE constraint failed"),
            "{}",
            dup.detail()
        );
    }
}
