//! The PostgreSQL engine: the same schema and the same semantics as the SQLite engine, for
//! deployments that want a database server. Schema migrations are embedded and applied on
//! connect; the schema is whatever `search_path` selects (one schema per test, see
//! [`testing`]).
//!
//! Concurrency: a small pool of connections. Every write transaction (append, import,
//! person registration, rebuild) first takes a transaction-level advisory lock keyed on the
//! schema, so writers are serialized exactly like SQLite's single writer: the version check
//! and the idempotency check cannot race, and the global sequence number is assigned as
//! `max + 1` under that lock, gap-free like SQLite's rowid (so both engines number the same
//! history identically). `UNIQUE (client_id, version)` is the backstop and maps to
//! [`StoreError::Conflict`]. Reads of client data run in a repeatable-read transaction (a
//! consistent view without waiting for writers); their access-log rows are written right
//! after it, before the data is returned (the access log is a hash chain appended under a
//! lock of its own, see [`access`]).
//!
//! Bulk paths (import, rebuild, person registration) write with `COPY … FROM STDIN` and read
//! the log through a portal, a batch at a time.

mod access;
mod accounts;
mod copy;
mod deletion;
mod letters;
pub mod testing;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, Config, IsolationLevel, NoTls, Row, Statement, Transaction};
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
    check_person, check_version, fingerprint, fold_recorded_tally, plan_append,
};
use vangnet_store::projection::{
    DeadlineRow, MonitorDelta, MonitorRow, OccupancyKey, OccupancyRow, ProjectionSnapshot, WaitRow,
    client_row, deadline_rows, monitor_deltas, occupancy_key, provider_rows, wait_row,
};
use vangnet_store::search::{PersonCorrection, SearchKey, SearchResult};
use vangnet_store::time::now_rfc3339;
use vangnet_store::{
    AccessEntry, AccessGate, AccessLogFilter, Anchor, AppendCommand, ChainReport, ClientRecord,
    DeadlineEntry, ImportMode, ImportReport, ImportRow, MonitorIndex, MonitorView, RebuildReport,
    Receipt, RegionOverview, RetentionReport, RowError, Store, StoreError, StoreResult,
    WaitlistEntry,
};

use crate::copy::{CopyBuf, Field};

const MIGRATIONS: &[(i64, &str, &str)] = &[
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

/// The writer lock: advisory lock space 0x5647 ("VG"), keyed on the schema in use, so
/// stores in different schemas of one database (parallel tests) do not wait for each other.
const WRITER_LOCK: &str = "SELECT pg_advisory_xact_lock(22087, hashtext(current_schema()))";

/// Connections kept idle in the pool at most.
const MAX_IDLE: usize = 8;

/// Events buffered by an import before they are copied into the log.
const IMPORT_BATCH: usize = if cfg!(test) { 50 } else { 20_000 };
/// Events of an import kept in memory after they were copied (see `Window`).
const IMPORT_RETAIN: usize = if cfg!(test) { 120 } else { 250_000 };
/// Clients whose projection rows are written per batch (import and rebuild).
const PROJECTION_BATCH: usize = if cfg!(test) { 40 } else { 10_000 };
/// Clients an import looks up one by one before it reads all stored client ids at once.
const LOOKUPS_BEFORE_SCAN: usize = if cfg!(test) { 5 } else { 20_000 };
/// Rows fetched per round trip when streaming the log.
const FETCH: i32 = if cfg!(test) { 64 } else { 10_000 };

/// A database error, kept as the source (its own text is only "db error"; the cause is in
/// the chain, see [`StoreError::detail`]). Temporary: the connection failed or was closed
/// (no server error, an I/O error behind it), a connection exception (class 08), a
/// serialization failure or deadlock, the server shutting down or refusing connections, a
/// lock not available.
pub(crate) fn db(e: postgres::Error) -> StoreError {
    use vangnet_store::DatabaseFault;
    let temporary = match e.code() {
        Some(code) => {
            code.code().starts_with("08")
                || [
                    SqlState::T_R_SERIALIZATION_FAILURE,
                    SqlState::T_R_DEADLOCK_DETECTED,
                    SqlState::ADMIN_SHUTDOWN,
                    SqlState::CRASH_SHUTDOWN,
                    SqlState::CANNOT_CONNECT_NOW,
                    SqlState::TOO_MANY_CONNECTIONS,
                    SqlState::LOCK_NOT_AVAILABLE,
                ]
                .contains(code)
        }
        None => {
            e.is_closed() || {
                let mut cause = std::error::Error::source(&e);
                let mut io = false;
                while let Some(c) = cause {
                    io |= c.is::<std::io::Error>();
                    cause = c.source();
                }
                io
            }
        }
    };
    let kind = if temporary {
        DatabaseFault::Unavailable
    } else {
        DatabaseFault::Failed
    };
    StoreError::database(kind, e)
}

fn is_unique_violation(e: &postgres::Error, constraint: &str) -> bool {
    e.as_db_error().is_some_and(|d| {
        *d.code() == SqlState::UNIQUE_VIOLATION && d.constraint() == Some(constraint)
    })
}

// ---------------------------------------------------------------------------------------
// SQL (every statement is prepared once per connection and reused)

const STREAM_OF: &str = "SELECT seq, client_id, version, effective_date, recorded_at, actor_user, actor_role, actor_org, payload FROM events WHERE client_id = $1 ORDER BY version";
const ALL_BY_SEQ: &str = "SELECT seq, client_id, version, effective_date, recorded_at, actor_user, actor_role, actor_org, payload FROM events ORDER BY seq";
const ALL_BY_CLIENT: &str = "SELECT seq, client_id, version, effective_date, recorded_at, actor_user, actor_role, actor_org, payload FROM events ORDER BY client_id, version";
/// The highest number taken by an event or a deletion (see `deletion::MAX_SEQ`).
const MAX_SEQ: &str = deletion::MAX_SEQ;
const INSERT_EVENT: &str = "INSERT INTO events (seq, client_id, version, kind, effective_date, recorded_at, actor_user, actor_role, actor_org, payload) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)";
const COPY_EVENTS: &str = "COPY events (seq, client_id, version, kind, effective_date, recorded_at, actor_user, actor_role, actor_org, payload) FROM STDIN";
const STATE_OF: &str = "SELECT state FROM client_state WHERE client_id = $1";
const UPSERT_STATE: &str = "INSERT INTO client_state (client_id, region, version, phase, herkomst, product, location, provider, state, next_change) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
     ON CONFLICT (client_id) DO UPDATE SET region = excluded.region, version = excluded.version, phase = excluded.phase, herkomst = excluded.herkomst,
       product = excluded.product, location = excluded.location, provider = excluded.provider, state = excluded.state, next_change = excluded.next_change";
const COPY_STATES: &str = "COPY client_state (client_id, region, version, phase, herkomst, product, location, provider, state, next_change) FROM STDIN";
const BUMP_OCCUPANCY: &str = "INSERT INTO occupancy (region, location, product, clients) VALUES ($1,$2,$3,$4)
     ON CONFLICT (region, location, product) DO UPDATE SET clients = occupancy.clients + excluded.clients";
const DELETE_WAIT: &str = "DELETE FROM waitlist WHERE client_id = $1";
const INSERT_WAIT: &str =
    "INSERT INTO waitlist (client_id, region, product, since, priority) VALUES ($1,$2,$3,$4,$5)";
const COPY_WAIT: &str = "COPY waitlist (client_id, region, product, since, priority) FROM STDIN";
const DELETE_DEADLINES: &str = "DELETE FROM deadlines WHERE client_id = $1";
/// feat/portaal (issue 14, migration 0014): a provider's clients.
const DELETE_PROVIDERS: &str = "DELETE FROM client_provider WHERE client_id = $1";
const INSERT_PROVIDER: &str = "INSERT INTO client_provider (agb, client_id, leest, zorg_locatie, voorstel_locatie, tijdelijk_locatie, voorstel_tot, verzoek, taak_tot) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)";
const COPY_PROVIDERS: &str = "COPY client_provider (agb, client_id, leest, zorg_locatie, voorstel_locatie, tijdelijk_locatie, voorstel_tot, verzoek, taak_tot) FROM STDIN";
/// The states and names of the clients a provider's page shows (migration 0016: only those).
const PROVIDER_SHOWN: &str = "SELECT s.client_id, s.state, p.voornaam, p.achternaam FROM client_state s LEFT JOIN persons p ON p.client_id = s.client_id WHERE s.client_id = ANY($1)";
/// feat/corporatie (issue 15, migration 0018): a corporation's housing candidates.
const DELETE_KANDIDATEN: &str = "DELETE FROM woon_kandidaat WHERE client_id = $1";
const INSERT_KANDIDAAT: &str = "INSERT INTO woon_kandidaat (gemeente, client_id, regio, vanaf, klaar, woningtype, route, aanbod) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)";
const COPY_KANDIDATEN: &str = "COPY woon_kandidaat (gemeente, client_id, regio, vanaf, klaar, woningtype, route, aanbod) FROM STDIN";
const KANDIDATEN_COUNT: &str = "SELECT COUNT(DISTINCT client_id) FROM woon_kandidaat WHERE gemeente = ANY($1) AND regio = ANY($2) AND vanaf <= $3 AND ($4::text IS NULL OR woningtype = $4) AND ($5::text IS NULL OR route = $5)";
const KANDIDATEN_PAGE: &str = "SELECT client_id, MIN(klaar) AS k FROM woon_kandidaat WHERE gemeente = ANY($1) AND regio = ANY($2) AND vanaf <= $3 AND ($4::text IS NULL OR woningtype = $4) AND ($5::text IS NULL OR route = $5) GROUP BY client_id ORDER BY k, client_id LIMIT $6 OFFSET $7";
const KANDIDATEN_AANBOD: &str = "SELECT DISTINCT client_id FROM woon_kandidaat WHERE aanbod = $1 AND regio = ANY($2) ORDER BY client_id LIMIT 1000";
const KANDIDAAT: &str = "SELECT s.state, p.voornaam, p.achternaam, p.geboortedatum FROM client_state s LEFT JOIN persons p ON p.client_id = s.client_id WHERE s.client_id = $1";
const INSERT_DEADLINE: &str =
    "INSERT INTO deadlines (client_id, region, task, due, detail) VALUES ($1,$2,$3,$4,$5)";
const COPY_DEADLINES: &str = "COPY deadlines (client_id, region, task, due, detail) FROM STDIN";
const HOLDER_OF_BSN: &str = "SELECT client_id FROM persons WHERE bsn = $1";
const INSERT_PERSON: &str = "INSERT INTO persons (client_id, bsn, voornaam, achternaam, geboortedatum, synthetic) VALUES ($1,$2,$3,$4,$5,$6)";
const COPY_PERSONS: &str =
    "COPY persons (client_id, bsn, voornaam, achternaam, geboortedatum, synthetic) FROM STDIN";
const PERSONS_CLASHING: &str =
    "SELECT client_id, bsn FROM persons WHERE bsn = ANY($1) OR client_id = ANY($2)";
const COMMAND_OF: &str = "SELECT client_id, fingerprint, version, first_seq, last_seq FROM commands WHERE idempotency_key = $1";
const INSERT_COMMAND: &str = "INSERT INTO commands (idempotency_key, client_id, fingerprint, version, first_seq, last_seq) VALUES ($1,$2,$3,$4,$5,$6)";

// ---------------------------------------------------------------------------------------
// Connections

/// One pooled connection with its prepared statements.
struct Conn {
    client: Client,
    stmts: HashMap<&'static str, Statement>,
}

impl Conn {
    fn begin(&mut self, isolation: IsolationLevel, read_only: bool) -> StoreResult<Tx<'_>> {
        let tx = self
            .client
            .build_transaction()
            .isolation_level(isolation)
            .read_only(read_only)
            .start()
            .map_err(db)?;
        Ok(Tx {
            tx,
            stmts: &mut self.stmts,
        })
    }

    /// A write transaction holding the writer lock (read committed: every statement after
    /// the lock sees everything committed before it was granted).
    /// A write transaction holding the writer lock and the access log's lock, both taken in
    /// one round trip (the append path: its log row then needs no head read, see
    /// `access::write_after`).
    fn write_tx_logged(&mut self) -> StoreResult<Tx<'_>> {
        let mut tx = self.begin(IsolationLevel::ReadCommitted, false)?;
        tx.tx
            .batch_execute(&format!("{WRITER_LOCK}; {}", access::LOG_LOCK))
            .map_err(db)?;
        Ok(tx)
    }

    fn write_tx(&mut self) -> StoreResult<Tx<'_>> {
        let mut tx = self.begin(IsolationLevel::ReadCommitted, false)?;
        tx.tx.batch_execute(WRITER_LOCK).map_err(db)?;
        Ok(tx)
    }

    /// A consistent view for reading client data; it may still append access-log rows.
    fn read_tx(&mut self) -> StoreResult<Tx<'_>> {
        self.begin(IsolationLevel::RepeatableRead, false)
    }
}

/// A transaction plus the connection's statement cache.
struct Tx<'c> {
    tx: Transaction<'c>,
    stmts: &'c mut HashMap<&'static str, Statement>,
}

impl Tx<'_> {
    fn stmt(&mut self, sql: &'static str) -> StoreResult<Statement> {
        if let Some(s) = self.stmts.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(sql).map_err(db)?;
        self.stmts.insert(sql, s.clone());
        Ok(s)
    }

    fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> StoreResult<Vec<Row>> {
        let st = self.stmt(sql)?;
        self.tx.query(&st, params).map_err(db)
    }

    fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> StoreResult<Option<Row>> {
        let st = self.stmt(sql)?;
        self.tx.query_opt(&st, params).map_err(db)
    }

    fn execute(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<u64> {
        let st = self.stmt(sql)?;
        self.tx.execute(&st, params).map_err(db)
    }

    fn commit(self) -> StoreResult<()> {
        self.tx.commit().map_err(db)
    }
}

/// A connection borrowed from the pool; goes back on drop unless it broke.
struct Pooled<'s> {
    store: &'s PostgresStore,
    conn: Option<Conn>,
}

impl Pooled<'_> {
    fn conn(&mut self) -> &mut Conn {
        self.conn.as_mut().expect("present until drop")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take()
            && !c.client.is_closed()
        {
            let mut pool = self.store.pool.lock().unwrap_or_else(|e| e.into_inner());
            if pool.len() < MAX_IDLE {
                pool.push(c);
            }
        }
    }
}

/// The woningafspraken stored for `region`, oldest first.
fn woningafspraken_in(
    tx: &mut Tx<'_>,
    region: &RegionId,
) -> StoreResult<Vec<vangnet_store::woningafspraken::StoredAfspraak>> {
    let rows = tx.query(
        "SELECT region, gemeente, corporatie, jaar, route, woningen, soort, herkomst_soort, herkomst_tekst, user_id, recorded_at, onderdeel_van FROM woningafspraak WHERE region = $1 ORDER BY id",
        &[&region.as_str()],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let row = vangnet_store::woningafspraken::AfspraakRow {
            region: get(r, 0)?,
            gemeente: get(r, 1)?,
            corporatie: get(r, 2)?,
            jaar: get(r, 3)?,
            route: get(r, 4)?,
            woningen: get(r, 5)?,
            soort: get(r, 6)?,
            herkomst_soort: get(r, 7)?,
            herkomst_tekst: get(r, 8)?,
            user_id: get(r, 9)?,
            recorded_at: get(r, 10)?,
            onderdeel_van: get(r, 11)?,
        };
        out.push(row.stored()?);
    }
    Ok(out)
}

/// The figures of other groups' use stored for `region`, oldest first.
fn ander_gebruik_in(
    tx: &mut Tx<'_>,
    region: &RegionId,
) -> StoreResult<Vec<vangnet_store::woningafspraken::StoredGebruik>> {
    let rows = tx.query(
        "SELECT region, afspraak, jaar, maand, doelgroep, aantal, herkomst_soort, herkomst_tekst, user_id, recorded_at FROM woningafspraak_gebruik WHERE region = $1 ORDER BY id",
        &[&region.as_str()],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let row = vangnet_store::woningafspraken::GebruikRow {
            region: get(r, 0)?,
            afspraak: get(r, 1)?,
            jaar: get(r, 2)?,
            maand: get(r, 3)?,
            doelgroep: get(r, 4)?,
            aantal: get(r, 5)?,
            herkomst_soort: get(r, 6)?,
            herkomst_tekst: get(r, 7)?,
            user_id: get(r, 8)?,
            recorded_at: get(r, 9)?,
        };
        out.push(row.stored()?);
    }
    Ok(out)
}

/// The tariffs stored for `region`, oldest first.
fn tariffs_in(
    tx: &mut Tx<'_>,
    region: &RegionId,
) -> StoreResult<Vec<vangnet_store::tarieven::StoredTarief>> {
    let rows = tx.query(
        "SELECT region, product, leveringsvorm, eenheid, bedrag_cent, van, tot, uren_per_week_x100, herkomst_soort, herkomst_tekst, user_id, recorded_at FROM tarief WHERE region = $1 ORDER BY id",
        &[&region.as_str()],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let row = vangnet_store::tarieven::TariefRow {
            region: get(r, 0)?,
            product: get(r, 1)?,
            leveringsvorm: get(r, 2)?,
            eenheid: get(r, 3)?,
            bedrag_cent: get(r, 4)?,
            van: get(r, 5)?,
            tot: get(r, 6)?,
            uren_per_week_x100: get(r, 7)?,
            herkomst_soort: get(r, 8)?,
            herkomst_tekst: get(r, 9)?,
            user_id: get(r, 10)?,
            recorded_at: get(r, 11)?,
        };
        out.push(row.stored()?);
    }
    Ok(out)
}

/// feat/plaatsen: the capacity periods stored for `region`, oldest first.
fn periods_in(
    tx: &mut Tx<'_>,
    region: &RegionId,
) -> StoreResult<Vec<vangnet_store::plaatsen::StoredPeriode>> {
    let rows = tx.query(
        "SELECT region, location, product, vanaf, tot, plaatsen, soort, reden, user_id, recorded_at FROM capaciteit_periode WHERE region = $1 ORDER BY id",
        &[&region.as_str()],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let row = vangnet_store::plaatsen::PeriodeRow {
            region: get(r, 0)?,
            location: get(r, 1)?,
            product: get(r, 2)?,
            vanaf: get(r, 3)?,
            tot: get(r, 4)?,
            plaatsen: get(r, 5)?,
            soort: get(r, 6)?,
            reden: get(r, 7)?,
            user_id: get(r, 8)?,
            recorded_at: get(r, 9)?,
        };
        out.push(row.stored()?);
    }
    Ok(out)
}

/// feat/plaatsen: the free-place reports stored for `region`, oldest first.
fn reports_in(
    tx: &mut Tx<'_>,
    region: &RegionId,
) -> StoreResult<Vec<vangnet_store::plaatsen::StoredMelding>> {
    let rows = tx.query(
        "SELECT region, location, product, datum, aantal, toelichting, user_id, recorded_at FROM plaats_melding WHERE region = $1 ORDER BY id",
        &[&region.as_str()],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let row = vangnet_store::plaatsen::MeldingRow {
            region: get(r, 0)?,
            location: get(r, 1)?,
            product: get(r, 2)?,
            datum: get(r, 3)?,
            aantal: get(r, 4)?,
            toelichting: get(r, 5)?,
            user_id: get(r, 6)?,
            recorded_at: get(r, 7)?,
        };
        out.push(row.stored()?);
    }
    Ok(out)
}

fn get<'a, T: postgres::types::FromSql<'a>>(r: &'a Row, i: usize) -> StoreResult<T> {
    r.try_get(i).map_err(db)
}

fn to_u32(v: i64, what: &str) -> StoreResult<u32> {
    u32::try_from(v).map_err(|_| StoreError::Backend(format!("{what}: {v} valt buiten het bereik")))
}

// ---------------------------------------------------------------------------------------
// The store

/// The PostgreSQL store.
pub struct PostgresStore {
    config: Config,
    regions: Regions,
    pool: Mutex<Vec<Conn>>,
    /// The monitor projection in memory (shared logic in `vangnet_store::monitor_index`).
    monitor_index: MonitorIndex,
    /// Whether access-log rows are chained (always, except the benchmark's baseline).
    chained: AtomicBool,
    /// The head this store's last append left (a guess: `access::write_after` checks it
    /// against the table and re-reads the head when another writer came in between).
    head: Mutex<Option<vangnet_store::audit::Head>>,
}

/// What a gated transaction holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A repeatable-read snapshot; log rows after it.
    Read,
    /// The writer lock; the log lock when the rows are written.
    Write,
    /// The writer and log locks from the start (an append).
    Append,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("dbname", &self.config.get_dbname())
            .field("options", &self.config.get_options())
            .finish()
    }
}

impl PostgresStore {
    /// Connect to the database at `url` (`postgres://user@host:port/db`, or a key/value
    /// connection string; no TLS) and apply pending migrations in the schema that the
    /// connection's `search_path` selects (`public` unless the URL says otherwise, see
    /// [`testing::url_with_schema`]).
    pub fn connect(url: &str, regions: Regions) -> StoreResult<PostgresStore> {
        let mut config: Config = url
            .parse()
            .map_err(|e| StoreError::Backend(format!("database-URL onleesbaar: {e}")))?;
        if config.get_application_name().is_none() {
            config.application_name("vangnet");
        }
        let store = PostgresStore {
            config,
            regions,
            pool: Mutex::new(Vec::new()),
            monitor_index: MonitorIndex::new(),
            chained: AtomicBool::new(true),
            head: Mutex::new(None),
        };
        let mut c = store.pooled()?;
        migrate(c.conn(), &store.regions)?;
        drop(c);
        Ok(store)
    }

    fn pooled(&self) -> StoreResult<Pooled<'_>> {
        let idle = self.pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            None => Conn {
                client: self.config.connect(NoTls).map_err(db)?,
                stmts: HashMap::new(),
            },
        };
        Ok(Pooled {
            store: self,
            conn: Some(conn),
        })
    }

    /// Run `f` in a transaction (a write transaction with the writer lock, or a read
    /// transaction); when `f` fails with a refusal, the access-log rows it produced are
    /// still committed (a refusal must be logged), everything else rolls back.
    fn gated<T>(
        &self,
        write: bool,
        f: impl FnOnce(&mut Tx<'_>, &mut Vec<AccessEntry>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.gated_in(if write { Mode::Write } else { Mode::Read }, f)
    }

    /// [`Self::gated`] for a given transaction mode.
    fn gated_in<T>(
        &self,
        mode: Mode,
        f: impl FnOnce(&mut Tx<'_>, &mut Vec<AccessEntry>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let write = mode != Mode::Read;
        let mut pooled = self.pooled()?;
        let conn = pooled.conn();
        let mut log = Vec::new();
        let err = {
            let mut tx = match mode {
                Mode::Read => conn.read_tx()?,
                Mode::Write => conn.write_tx()?,
                Mode::Append => conn.write_tx_logged()?,
            };
            match f(&mut tx, &mut log) {
                Ok(v) if mode == Mode::Append && self.chained.load(Ordering::Relaxed) => {
                    // The log lock is held: chain after the head this store last wrote.
                    let cached = self.head.lock().unwrap_or_else(|e| e.into_inner()).take();
                    let head = access::write_after(&mut tx, cached, &log)?;
                    tx.commit()?;
                    *self.head.lock().unwrap_or_else(|e| e.into_inner()) = Some(head);
                    return Ok(v);
                }
                Ok(v) if write => {
                    self.write_access(&mut tx, &log)?;
                    tx.commit()?;
                    return Ok(v);
                }
                Ok(v) => {
                    // The snapshot may predate the log's head: log in a transaction of its
                    // own, and hand out the data only after that committed.
                    tx.commit()?;
                    let mut tx = conn.begin(IsolationLevel::ReadCommitted, false)?;
                    self.write_access(&mut tx, &log)?;
                    tx.commit()?;
                    return Ok(v);
                }
                Err(err) => err, // `tx` rolls back when dropped here
            }
        };
        if vangnet_store::gate::log_after_failure(&err, &log) {
            let mut tx = conn.begin(IsolationLevel::ReadCommitted, false)?;
            self.write_access(&mut tx, &log)?;
            tx.commit()?;
        }
        Err(err)
    }

    /// Write one access-log row on its own.
    fn log_alone(&self, entry: &AccessEntry) -> StoreResult<()> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::ReadCommitted, false)?;
        self.write_access(&mut tx, std::slice::from_ref(entry))?;
        tx.commit()
    }

    /// Append `entries` to the access log (takes the log lock; read-committed transaction).
    fn write_access(&self, tx: &mut Tx<'_>, entries: &[AccessEntry]) -> StoreResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut w = access::AccessWriter::open(tx, self.chained.load(Ordering::Relaxed))?;
        for e in entries {
            w.write(tx, e)?;
        }
        Ok(())
    }

    /// **Benchmark only**: write access-log rows unchained (no log lock, no hash, numbered by
    /// the old sequence), as before the chain existed, to measure what the chain costs. Such
    /// rows fail `vangnet audit verify`; bulk imports stay chained.
    pub fn set_access_chain_for_benchmark(&self, chained: bool) {
        self.chained.store(chained, Ordering::Relaxed);
    }
}

fn migrate(conn: &mut Conn, regions: &Regions) -> StoreResult<()> {
    let mut tx = conn.write_tx()?;
    tx.tx
        .batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        .map_err(db)?;
    for (v, name, sql) in MIGRATIONS {
        let done = tx
            .tx
            .query_opt(
                "SELECT version FROM schema_migrations WHERE version = $1",
                &[v],
            )
            .map_err(db)?;
        if done.is_none() {
            if let Some((before, after)) = sql.split_once(CHAIN_EXISTING) {
                tx.tx.batch_execute(before).map_err(db)?;
                access::chain_existing(&mut tx)?;
                tx.tx.batch_execute(after).map_err(db)?;
            } else if let Some((before, after)) = sql.split_once(FILL_PROVIDER_ROWS) {
                tx.tx.batch_execute(before).map_err(db)?;
                fill_provider_rows(&mut tx, regions)?;
                tx.tx.batch_execute(after).map_err(db)?;
            } else if let Some((before, after)) = sql.split_once(FILL_KANDIDAAT_ROWS) {
                tx.tx.batch_execute(before).map_err(db)?;
                fill_kandidaat_rows(&mut tx)?;
                tx.tx.batch_execute(after).map_err(db)?;
            } else {
                tx.tx.batch_execute(sql).map_err(db)?;
            }
            tx.tx
                .execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    &[v, name, &now_rfc3339()],
                )
                .map_err(db)?;
        }
    }
    tx.commit()
}

/// Migration 0016: fill `client_provider` from every stored state.
fn fill_provider_rows(tx: &mut Tx<'_>, regions: &Regions) -> StoreResult<()> {
    for r in tx.query("SELECT client_id, state FROM client_state", &[])? {
        let client = ClientId(get::<i64>(&r, 0)? as u64);
        let state = parse_state(client, &get::<String>(&r, 1)?)?;
        for row in provider_rows(&state, regions) {
            insert_provider_row(tx, &row)?;
        }
    }
    Ok(())
}

/// Migration 0021: fill `woon_kandidaat` from every stored state (the SQL emptied it).
fn fill_kandidaat_rows(tx: &mut Tx<'_>) -> StoreResult<()> {
    for r in tx.query("SELECT client_id, state FROM client_state", &[])? {
        let client = ClientId(get::<i64>(&r, 0)? as u64);
        let state = parse_state(client, &get::<String>(&r, 1)?)?;
        for row in vangnet_store::wonen::kandidaat_rows(&state) {
            insert_kandidaat_row(tx, &row)?;
        }
    }
    Ok(())
}

/// Insert one `woon_kandidaat` row (migration 0018's columns).
fn insert_kandidaat_row(
    tx: &mut Tx<'_>,
    r: &vangnet_store::wonen::KandidaatRow,
) -> StoreResult<()> {
    tx.execute(
        INSERT_KANDIDAAT,
        &[
            &r.gemeente,
            &(r.client as i64),
            &r.regio,
            &r.vanaf,
            &r.klaar,
            &r.woningtype,
            &r.route,
            &r.aanbod,
        ],
    )?;
    Ok(())
}

/// Insert one `client_provider` row (migration 0016's columns).
fn insert_provider_row(
    tx: &mut Tx<'_>,
    r: &vangnet_store::projection::ProviderRow,
) -> StoreResult<()> {
    tx.execute(
        INSERT_PROVIDER,
        &[
            &r.agb,
            &(r.client as i64),
            &r.leest,
            &r.zorg_locatie,
            &r.voorstel_locatie,
            &r.tijdelijk_locatie,
            &r.voorstel_tot,
            &r.verzoek,
            &r.taak_tot,
        ],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Row helpers

fn parse_state(client: ClientId, json: &str) -> StoreResult<ClientState> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Backend(format!("client_state van {client} onleesbaar: {e}")))
}

fn load_state(tx: &mut Tx<'_>, client: ClientId) -> StoreResult<Option<ClientState>> {
    let row = tx.query_opt(STATE_OF, &[&(client.0 as i64)])?;
    row.map(|r| parse_state(client, &get::<String>(&r, 0)?))
        .transpose()
}

fn row_to_event(r: &Row) -> StoreResult<RecordedEvent> {
    let seq: i64 = get(r, 0)?;
    let version = to_u32(get(r, 2)?, "version")?;
    decode_event(
        seq,
        get(r, 1)?,
        version,
        get(r, 3)?,
        get(r, 4)?,
        get(r, 5)?,
        get(r, 6)?,
        get(r, 7)?,
        get(r, 8)?,
    )
}

fn load_stream(tx: &mut Tx<'_>, client: ClientId) -> StoreResult<Vec<RecordedEvent>> {
    tx.query(STREAM_OF, &[&(client.0 as i64)])?
        .iter()
        .map(row_to_event)
        .collect()
}

/// The log's high-water mark (see `Store::high_water_mark`).
fn max_seq(tx: &mut Tx<'_>) -> StoreResult<u64> {
    Ok((next_seq(tx)? - 1) as u64)
}

/// Stream one (region, measure)'s stored monitor cells into the index's sink.
fn load_monitor(
    tx: &mut Tx<'_>,
    region: &str,
    m: Measure,
    sink: &mut RowSink<'_>,
) -> StoreResult<()> {
    for r in tx.query(
        "SELECT maand, product, gemeente, locatie, extra, n FROM monitor WHERE region = $1 AND measure = $2 AND n <> 0",
        &[&region, &m.key()],
    )? {
        sink(
            get::<i32>(&r, 0)? as u32,
            r.try_get::<_, &str>(1).map_err(db)?,
            r.try_get::<_, &str>(2).map_err(db)?,
            r.try_get::<_, &str>(3).map_err(db)?,
            get::<i32>(&r, 4)? as u32,
            get::<i64>(&r, 5)?,
        );
    }
    Ok(())
}

fn next_seq(tx: &mut Tx<'_>) -> StoreResult<i64> {
    let r = tx
        .query_opt(MAX_SEQ, &[])?
        .ok_or_else(|| StoreError::Backend("MAX(seq) gaf geen rij".into()))?;
    Ok(get::<i64>(&r, 0)? + 1)
}

/// The COPY row of one event (`effective`, `recorded_at`, `org` and `payload` are its rendered
/// columns).
fn event_fields<'a>(
    e: &'a RecordedEvent,
    effective: &'a str,
    recorded_at: &'a str,
    org: &'a str,
    payload: &'a str,
) -> [Field<'a>; 10] {
    [
        Field::Int(e.seq as i64),
        Field::Int(e.client.0 as i64),
        Field::Int(i64::from(e.version)),
        Field::Text(e.event.kind()),
        Field::Text(effective),
        Field::Text(recorded_at),
        Field::Text(&e.actor.user),
        Field::Text(e.actor.role.key()),
        Field::Text(org),
        Field::Text(payload),
    ]
}

/// Insert one event (append path). A clash on `(client_id, version)` — only possible if a
/// writer bypassed the writer lock — is a [`StoreError::Conflict`]: the stream is at least
/// at `version`.
#[allow(clippy::too_many_arguments)]
fn insert_event(
    tx: &mut Tx<'_>,
    seq: i64,
    client: ClientId,
    version: u32,
    effective: Date,
    recorded_at: &str,
    actor: &Actor,
    event: &ClientEvent,
) -> StoreResult<u64> {
    let payload = serde_json::to_string(event).expect("event serializes");
    let st = tx.stmt(INSERT_EVENT)?;
    let params: [&(dyn ToSql + Sync); 10] = [
        &seq,
        &(client.0 as i64),
        &i64::from(version),
        &event.kind(),
        &effective.to_string(),
        &recorded_at,
        &actor.user,
        &actor.role.key(),
        &actor.organisation.to_string(),
        &payload,
    ];
    tx.tx.execute(&st, &params).map_err(|e| {
        if is_unique_violation(&e, "events_client_version") {
            StoreError::Conflict {
                client,
                expected: None,
                actual: version,
            }
        } else {
            db(e)
        }
    })?;
    Ok(seq as u64)
}

const ADD_MONITOR: &str = "INSERT INTO monitor (region, measure, maand, product, gemeente, locatie, extra, n) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
     ON CONFLICT (region, measure, maand, product, gemeente, locatie, extra) DO UPDATE SET n = monitor.n + excluded.n";
const COPY_MONITOR: &str =
    "COPY monitor (region, measure, maand, product, gemeente, locatie, extra, n) FROM STDIN";
const COPY_MONITOR_DELTA: &str =
    "COPY monitor_delta (region, measure, maand, product, gemeente, locatie, extra, n) FROM STDIN";

/// Add monitor deltas to their cells: row by row for an append, through COPY for bulk
/// writes (straight into the table when `empty`, else via a temporary table and one merge).
fn add_monitor(tx: &mut Tx<'_>, rows: &[MonitorDelta<'_>], empty: bool) -> StoreResult<()> {
    if rows.len() < 256 && !empty {
        for r in rows {
            tx.execute(
                ADD_MONITOR,
                &[
                    &r.region,
                    &r.measure,
                    &(r.maand as i32),
                    &r.product,
                    &r.gemeente.as_str(),
                    &r.locatie,
                    &(r.extra as i32),
                    &r.n,
                ],
            )?;
        }
        return Ok(());
    }
    let mut buf = CopyBuf::new(if empty {
        COPY_MONITOR
    } else {
        COPY_MONITOR_DELTA
    });
    if !empty {
        tx.tx
            .batch_execute("CREATE TEMP TABLE IF NOT EXISTS monitor_delta (LIKE monitor) ON COMMIT DELETE ROWS")
            .map_err(db)?;
    }
    for r in rows {
        buf.row(&[
            Field::Text(r.region),
            Field::Text(r.measure),
            Field::Int(i64::from(r.maand)),
            Field::Text(r.product),
            Field::Text(r.gemeente.as_str()),
            Field::Text(r.locatie),
            Field::Int(i64::from(r.extra)),
            Field::Int(r.n),
        ]);
        if buf.bytes() > 8 << 20 {
            buf.flush(&mut tx.tx)?;
        }
    }
    buf.flush(&mut tx.tx)?;
    if !empty {
        tx.tx
            .batch_execute(
                "INSERT INTO monitor SELECT * FROM monitor_delta ORDER BY region, measure, maand, product, gemeente, locatie, extra
                 ON CONFLICT (region, measure, maand, product, gemeente, locatie, extra) DO UPDATE SET n = monitor.n + excluded.n;
                 TRUNCATE monitor_delta",
            )
            .map_err(db)?;
    }
    Ok(())
}

fn monitor_row(r: &Row) -> StoreResult<MonitorRow> {
    Ok(MonitorRow {
        region: get(r, 0)?,
        measure: get(r, 1)?,
        maand: get::<i32>(r, 2)? as u32,
        product: get(r, 3)?,
        gemeente: get(r, 4)?,
        locatie: get(r, 5)?,
        extra: get::<i32>(r, 6)? as u32,
        n: get(r, 7)?,
    })
}

/// The clients of `region` with a planned fact dated on or before `on`: their state of today
/// and their stream (feat/capacity, counting places on a future start date).
fn planned_until(
    tx: &mut Tx<'_>,
    region: &str,
    on: Date,
) -> StoreResult<Vec<(ClientState, Vec<RecordedEvent>)>> {
    let ids: Vec<i64> = tx
        .query(
            "SELECT client_id FROM client_state WHERE region = $1 AND next_change IS NOT NULL AND next_change <= $2 ORDER BY client_id",
            &[&region, &on.to_string()],
        )?
        .iter()
        .map(|r| get::<i64>(r, 0))
        .collect::<StoreResult<_>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let client = ClientId(id as u64);
        if let Some(s) = load_state(tx, client)? {
            let stream = load_stream(tx, client)?;
            out.push((s, stream));
        }
    }
    Ok(out)
}

/// Clients counted on one occupancy counter (feat/capacity).
fn occupied(tx: &mut Tx<'_>, key: &OccupancyKey) -> StoreResult<u64> {
    let row = tx.query_opt(
        "SELECT clients FROM occupancy WHERE region = $1 AND location = $2 AND product = $3",
        &[&key.0, &key.1, &key.2],
    )?;
    Ok(row.map_or(0, |r| r.get::<_, i64>(0)).max(0) as u64)
}

fn bump_occupancy(tx: &mut Tx<'_>, key: &OccupancyKey, delta: i64) -> StoreResult<()> {
    tx.execute(BUMP_OCCUPANCY, &[&key.0, &key.1, &key.2, &delta])?;
    Ok(())
}

/// Write the projections of `new`, replacing those of `old` (one client, append path).
fn write_projection(
    tx: &mut Tx<'_>,
    regions: &Regions,
    old_occupancy: Option<&OccupancyKey>,
    new: &ClientState,
) -> StoreResult<()> {
    tx.execute(DELETE_DEADLINES, &[&(new.client.0 as i64)])?;
    tx.execute(DELETE_PROVIDERS, &[&(new.client.0 as i64)])?;
    for r in provider_rows(new, regions) {
        insert_provider_row(tx, &r)?;
    }
    tx.execute(DELETE_KANDIDATEN, &[&(new.client.0 as i64)])?;
    for r in vangnet_store::wonen::kandidaat_rows(new) {
        insert_kandidaat_row(tx, &r)?;
    }
    for d in deadline_rows(new, regions) {
        tx.execute(
            INSERT_DEADLINE,
            &[&(d.client as i64), &d.region, &d.task, &d.due, &d.detail],
        )?;
    }
    let row = client_row(new);
    tx.execute(
        UPSERT_STATE,
        &[
            &(row.client.0 as i64),
            &row.region,
            &i64::from(row.version),
            &row.phase,
            &row.herkomst,
            &row.product,
            &row.location,
            &row.provider,
            &row.state_json,
            &row.next_change,
        ],
    )?;
    let new_occ = occupancy_key(new);
    if old_occupancy != new_occ.as_ref() {
        if let Some(k) = old_occupancy {
            bump_occupancy(tx, k, -1)?;
        }
        if let Some(k) = &new_occ {
            bump_occupancy(tx, k, 1)?;
        }
    }
    tx.execute(DELETE_WAIT, &[&(new.client.0 as i64)])?;
    if let Some(w) = wait_row(new) {
        tx.execute(
            INSERT_WAIT,
            &[
                &(w.client as i64),
                &w.region,
                &w.product,
                &w.since,
                &w.priority,
            ],
        )?;
    }
    Ok(())
}

/// Projection rows of many clients, written with COPY (rebuild and import).
struct ProjectionBatch {
    /// Clients in the batch.
    clients: usize,
    /// Clients whose old rows must go first.
    replaced: Vec<i64>,
    states: CopyBuf,
    waits: CopyBuf,
    deadlines: CopyBuf,
    providers: CopyBuf,
    kandidaten: CopyBuf,
    access: CopyBuf,
}

impl ProjectionBatch {
    fn new() -> ProjectionBatch {
        ProjectionBatch {
            clients: 0,
            replaced: Vec::new(),
            states: CopyBuf::new(COPY_STATES),
            waits: CopyBuf::new(COPY_WAIT),
            deadlines: CopyBuf::new(COPY_DEADLINES),
            providers: CopyBuf::new(COPY_PROVIDERS),
            kandidaten: CopyBuf::new(COPY_KANDIDATEN),
            access: CopyBuf::new(access::COPY_ACCESS),
        }
    }

    /// Add a client's rows; `replace`: it may have rows already (deleted before the copy).
    fn add(&mut self, regions: &Regions, s: &ClientState, replace: bool) {
        for d in deadline_rows(s, regions) {
            self.deadlines.row(&[
                Field::Int(d.client as i64),
                Field::Text(&d.region),
                Field::Text(&d.task),
                Field::Text(&d.due),
                Field::Text(&d.detail),
            ]);
        }
        for r in provider_rows(s, regions) {
            self.providers.row(&[
                Field::Text(&r.agb),
                Field::Int(r.client as i64),
                Field::Bool(r.leest),
                Field::OptText(r.zorg_locatie.as_deref()),
                Field::OptText(r.voorstel_locatie.as_deref()),
                Field::OptText(r.tijdelijk_locatie.as_deref()),
                Field::OptText(r.voorstel_tot.as_deref()),
                Field::Bool(r.verzoek),
                Field::OptText(r.taak_tot.as_deref()),
            ]);
        }
        for r in vangnet_store::wonen::kandidaat_rows(s) {
            self.kandidaten.row(&[
                Field::Text(&r.gemeente),
                Field::Int(r.client as i64),
                Field::Text(&r.regio),
                Field::Text(&r.vanaf),
                Field::Text(&r.klaar),
                Field::OptText(r.woningtype),
                Field::OptText(r.route),
                Field::OptText(r.aanbod.as_deref()),
            ]);
        }
        let row = client_row(s);
        self.clients += 1;
        if replace {
            self.replaced.push(row.client.0 as i64);
        }
        self.states.row(&[
            Field::Int(row.client.0 as i64),
            Field::Text(&row.region),
            Field::Int(i64::from(row.version)),
            Field::Text(row.phase),
            Field::OptText(row.herkomst.as_deref()),
            Field::OptText(row.product.as_deref()),
            Field::OptText(row.location.as_deref()),
            Field::OptText(row.provider.as_deref()),
            Field::Text(&row.state_json),
            Field::OptText(row.next_change.as_deref()),
        ]);
        if let Some(w) = wait_row(s) {
            self.waits.row(&[
                Field::Int(w.client as i64),
                Field::Text(&w.region),
                Field::Text(&w.product),
                Field::Text(&w.since),
                Field::Int(w.priority),
            ]);
        }
    }

    /// Write the batch: delete the replaced clients' old rows, copy the new ones.
    fn flush(&mut self, tx: &mut Tx<'_>) -> StoreResult<()> {
        if !self.replaced.is_empty() {
            tx.execute(
                "DELETE FROM client_state WHERE client_id = ANY($1)",
                &[&self.replaced],
            )?;
            tx.execute(
                "DELETE FROM waitlist WHERE client_id = ANY($1)",
                &[&self.replaced],
            )?;
            tx.execute(
                "DELETE FROM deadlines WHERE client_id = ANY($1)",
                &[&self.replaced],
            )?;
            tx.execute(
                "DELETE FROM client_provider WHERE client_id = ANY($1)",
                &[&self.replaced],
            )?;
            tx.execute(
                "DELETE FROM woon_kandidaat WHERE client_id = ANY($1)",
                &[&self.replaced],
            )?;
        }
        self.states.flush(&mut tx.tx)?;
        self.waits.flush(&mut tx.tx)?;
        self.deadlines.flush(&mut tx.tx)?;
        self.providers.flush(&mut tx.tx)?;
        self.kandidaten.flush(&mut tx.tx)?;
        self.access.flush(&mut tx.tx)?;
        self.replaced.clear();
        self.clients = 0;
        Ok(())
    }
}

fn insert_person(tx: &mut Tx<'_>, client: ClientId, p: &Person) -> StoreResult<()> {
    check_person(p)?;
    let bsn = p.bsn.digits();
    if let Some(r) = tx.query_opt(HOLDER_OF_BSN, &[&bsn])? {
        return Err(bsn_taken(ClientId(get::<i64>(&r, 0)? as u64)));
    }
    tx.execute(
        INSERT_PERSON,
        &[
            &(client.0 as i64),
            &bsn,
            &p.voornaam,
            &p.achternaam,
            &p.geboortedatum.to_string(),
            &p.synthetic,
        ],
    )?;
    Ok(())
}

fn bsn_taken(holder: ClientId) -> StoreError {
    StoreError::Person(format!(
        "bsn: er bestaat al een cliënt met dit BSN ({holder})"
    ))
}

/// The rule error for a new stream that does not start with an aanmelding.
fn rule_no_aanmelding(client: ClientId) -> StoreError {
    StoreError::Rule {
        index: 0,
        error: vangnet_domain::RuleError::new(
            "stroom.eerst_aanmelding",
            "type",
            format!("cliënt {client} heeft nog geen aanmelding"),
        ),
    }
}

/// Which clients had a state before an import. The importer asks once per client; for the
/// first [`LOOKUPS_BEFORE_SCAN`] clients each question is a query, after that (a large import)
/// the ids of all stored clients are read in one scan and most questions need no query. An
/// empty store needs none at all.
struct StoredClients {
    ids: Option<Vec<i64>>,
    asked: usize,
}

impl StoredClients {
    fn new(tx: &mut Tx<'_>) -> StoreResult<StoredClients> {
        let any = tx
            .query_opt("SELECT 1 FROM client_state LIMIT 1", &[])?
            .is_some();
        Ok(StoredClients {
            ids: if any { None } else { Some(Vec::new()) },
            asked: 0,
        })
    }

    fn load_state(
        &mut self,
        tx: &mut Tx<'_>,
        client: ClientId,
    ) -> StoreResult<Option<ClientState>> {
        if self.ids.is_none() && self.asked >= LOOKUPS_BEFORE_SCAN {
            self.ids = Some(Self::scan(tx)?);
        }
        if let Some(ids) = &self.ids
            && ids.binary_search(&(client.0 as i64)).is_err()
        {
            return Ok(None);
        }
        self.asked += 1;
        load_state(tx, client)
    }

    /// The ids of all clients with a stored state, sorted.
    fn scan(tx: &mut Tx<'_>) -> StoreResult<Vec<i64>> {
        let st = tx.stmt("SELECT client_id FROM client_state ORDER BY client_id")?;
        let portal = tx.tx.bind(&st, &[]).map_err(db)?;
        let mut out = Vec::new();
        loop {
            let rows = tx.tx.query_portal(&portal, 50_000).map_err(db)?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                out.push(get::<i64>(r, 0)?);
            }
        }
        Ok(out)
    }
}

/// The events of an import kept in memory: the ones not yet copied into the log and, up to
/// [`IMPORT_RETAIN`], the latest ones already copied — so a back-dated row for a client that
/// is new in this import can usually be refolded without reading its stream back.
struct Window {
    /// Consecutive sequence numbers, oldest first.
    events: VecDeque<RecordedEvent>,
    /// Per client, the sequence numbers of its events in `events`, ascending.
    by_client: HashMap<ClientId, VecDeque<u64>>,
    /// How many of `events` (from the front) are in the log already.
    copied: usize,
}

impl Window {
    fn new() -> Window {
        Window {
            events: VecDeque::new(),
            by_client: HashMap::new(),
            copied: 0,
        }
    }

    fn push(&mut self, e: RecordedEvent) {
        self.by_client.entry(e.client).or_default().push_back(e.seq);
        self.events.push_back(e);
    }

    fn uncopied(&self) -> usize {
        self.events.len() - self.copied
    }

    /// `client`'s full stream as the import transaction sees it.
    fn stream(&self, tx: &mut Tx<'_>, client: ClientId) -> StoreResult<Vec<RecordedEvent>> {
        let first = self.events.front().map_or(0, |e| e.seq);
        let held: Vec<(usize, &RecordedEvent)> = self
            .by_client
            .get(&client)
            .map(|seqs| {
                seqs.iter()
                    .map(|s| (s - first) as usize)
                    .map(|i| (i, &self.events[i]))
                    .collect()
            })
            .unwrap_or_default();
        if held.first().is_some_and(|(_, e)| e.version == 1) {
            // Version 1 imported here (so the client is new) and nothing of it evicted yet:
            // the window holds the whole stream.
            return Ok(held.into_iter().map(|(_, e)| e.clone()).collect());
        }
        let mut out = load_stream(tx, client)?;
        out.extend(
            held.into_iter()
                .filter(|(i, _)| *i >= self.copied)
                .map(|(_, e)| e.clone()),
        );
        Ok(out)
    }

    /// Copy the uncopied events into the log, then forget the oldest beyond the bound.
    fn flush(&mut self, tx: &mut Tx<'_>, buf: &mut CopyBuf) -> StoreResult<()> {
        for e in self.events.range(self.copied..) {
            let payload = serde_json::to_string(&e.event).expect("event serializes");
            let eff = e.effective.to_string();
            let recorded_at = vangnet_domain::clock::rfc3339(e.recorded_at);
            let org = e.actor.organisation.to_string();
            buf.row(&event_fields(e, &eff, &recorded_at, &org, &payload));
        }
        buf.flush(&mut tx.tx)?;
        self.copied = self.events.len();
        while self.events.len() > IMPORT_RETAIN {
            let e = self.events.pop_front().expect("non-empty");
            self.copied -= 1;
            if let Some(seqs) = self.by_client.get_mut(&e.client) {
                seqs.pop_front();
                if seqs.is_empty() {
                    self.by_client.remove(&e.client);
                }
            }
        }
        Ok(())
    }
}

impl Store for PostgresStore {
    fn engine(&self) -> &'static str {
        "postgresql"
    }

    fn accounts(&self) -> &dyn vangnet_store::AccountStore {
        self
    }

    fn regions(&self) -> &Regions {
        &self.regions
    }

    fn append(&self, gate: &AccessGate, cmd: AppendCommand) -> StoreResult<Receipt> {
        // The index lock is held across the commit (see `vangnet_store::monitor_index`);
        // lock order everywhere: the monitor index, then the database's writer lock.
        let index = self.monitor_index.write();
        let (receipt, monitor) = self.gated_in(Mode::Append, |tx, log| {
            let current = load_state(tx, cmd.client)?;
            if current.is_none() {
                deletion::refuse_deleted(tx, cmd.client)?;
            }
            let actual = current.as_ref().map_or(0, |s| s.version);
            // Access first: decide on what is stored (or, for a new client, on the aanmelding).
            let (scope, action) = match &current {
                Some(s) => (gate.scope(s), Action::Write),
                None => (
                    // No such client and no aanmelding: refused like another's client (logged).
                    scope_of_new(&cmd).ok_or_else(|| {
                        gate.refuse_missing(
                            cmd.client,
                            Action::Write,
                            log,
                            rule_no_aanmelding(cmd.client),
                        )
                    })?,
                    Action::Create,
                ),
            };
            let (entry, verdict) = {
                let mut holder = || -> StoreResult<Option<Bsn>> {
                    Ok(tx
                        .query_opt(
                            "SELECT bsn FROM persons WHERE client_id = $1",
                            &[&(cmd.client.0 as i64)],
                        )?
                        .and_then(|r| get::<String>(&r, 0).ok())
                        .and_then(|b| Bsn::parse(&b).ok()))
                };
                gate.check_append(
                    &cmd,
                    current.as_ref(),
                    action,
                    &scope,
                    &self.regions,
                    &mut holder,
                )?
            };
            log.push(entry);
            verdict?;
            // Rights per fact, then (only for who passed the gate) an idempotent replay: a
            // replay is logged like the append it repeats, and answers nothing to others.
            if let Some((entry, err)) = gate.check_facts(
                &cmd,
                current.as_ref(),
                &mut || load_stream(tx, cmd.client),
                &self.regions,
            )? {
                // One row per request: the refusal replaces the client-level permission.
                log.pop();
                log.push(entry);
                return Err(err);
            }
            if let Some(key) = &cmd.idempotency_key
                && let Some(r) = tx.query_opt(COMMAND_OF, &[key])?
            {
                let (client, fp): (i64, String) = (get(&r, 0)?, get(&r, 1)?);
                if fp == fingerprint(&cmd) && client as u64 == cmd.client.0 {
                    let receipt = Receipt {
                        client: cmd.client,
                        version: to_u32(get(&r, 2)?, "version")?,
                        first_seq: get::<i64>(&r, 3)? as u64,
                        last_seq: get::<i64>(&r, 4)? as u64,
                    };
                    return Err(StoreError::Replay {
                        key: key.clone(),
                        receipt,
                    });
                }
                return Err(StoreError::KeyReused(key.clone()));
            }
            check_version(cmd.client, cmd.expected_version, actual)?;
            // Issue 14: a rule refusal from here on is logged (one `weigering` row, written
            // after the rollback by `gated_in`), nothing else is written.
            let plan = plan_append(
                &cmd,
                current.clone(),
                &mut || load_stream(tx, cmd.client),
                &self.regions,
            )
            .map_err(|e| gate.refuse_rule(cmd.client, log, e))?;
            // feat/capacity: a placement needs a free place (or an allowed overbezetting);
            // feat/plaatsen: on the capacity of its date (the periods read up front, only
            // for an append that places someone).
            let periods = if vangnet_store::plan::places_someone(&plan, gate.actor()) {
                periods_in(tx, &plan.state.regio)?
            } else {
                Vec::new()
            };
            vangnet_store::plan::check_places(
                &plan,
                current.as_ref(),
                &self.regions,
                gate.actor(),
                &mut |k, on| {
                    let n = occupied(tx, k)?;
                    if on <= vangnet_store::time::today() {
                        return Ok(n);
                    }
                    let planned = planned_until(tx, &k.0, on)?;
                    vangnet_store::plan::occupied_on(k, on, n, &planned, &self.regions)
                },
                &mut || Ok(periods.clone()),
            )
            .map_err(|e| gate.refuse_rule(cmd.client, log, e))?;
            if let Some(p) = &cmd.person {
                insert_person(tx, cmd.client, p)
                    .map_err(|e| gate.refuse_rule(cmd.client, log, e))?;
            }
            let now = now_rfc3339();
            let mut seqs = Vec::with_capacity(plan.events.len());
            for (seq, (version, eff, ev)) in (next_seq(tx)?..).zip(&plan.events) {
                seqs.push(
                    insert_event(tx, seq, cmd.client, *version, *eff, &now, gate.actor(), ev)
                        .map_err(|e| match e {
                            StoreError::Conflict { client, actual, .. } => StoreError::Conflict {
                                client,
                                expected: cmd.expected_version,
                                actual,
                            },
                            e => e,
                        })?,
                );
            }
            let receipt = Receipt {
                client: cmd.client,
                version: plan.state.version,
                first_seq: seqs[0],
                last_seq: *seqs.last().expect("non-empty"),
            };
            if let Some(key) = &cmd.idempotency_key {
                tx.execute(
                    INSERT_COMMAND,
                    &[
                        key,
                        &(cmd.client.0 as i64),
                        &fingerprint(&cmd),
                        &i64::from(receipt.version),
                        &(receipt.first_seq as i64),
                        &(receipt.last_seq as i64),
                    ],
                )?;
            }
            write_projection(
                tx,
                &self.regions,
                current.as_ref().and_then(occupancy_key).as_ref(),
                &plan.state,
            )?;
            let monitor = monitor_deltas(&plan.monitor, &self.regions);
            add_monitor(tx, &monitor, false)?;
            Ok((receipt, monitor))
        })?;
        index.applied(receipt.first_seq - 1, receipt.last_seq, &monitor);
        Ok(receipt)
    }

    fn read_client(&self, gate: &AccessGate, client: ClientId) -> StoreResult<ClientRecord> {
        self.gated(false, |tx, log| {
            let Some(state) = load_state(tx, client)? else {
                return Err(gate.refuse_missing(
                    client,
                    Action::Read,
                    log,
                    StoreError::NotFound(client),
                ));
            };
            let (entry, verdict) = gate.check(client, Action::Read, &gate.scope(&state));
            log.push(entry);
            verdict?;
            let events = load_stream(tx, client)?;
            let person = tx
                .query_opt("SELECT bsn, voornaam, achternaam, geboortedatum FROM persons WHERE client_id = $1", &[&(client.0 as i64)])?
                .map(|r| -> StoreResult<Person> {
                    let bad = |e: String| StoreError::Backend(format!("persoonsrecord {client}: {e}"));
                    let (bsn, v, a, g): (String, String, String, String) = (get(&r, 0)?, get(&r, 1)?, get(&r, 2)?, get(&r, 3)?);
                    Person::new(Bsn::parse(&bsn).map_err(|e| bad(e.to_string()))?, &v, &a, Date::parse(&g).map_err(|e| bad(e.to_string()))?, true).map_err(|e| bad(e.to_string()))
                })
                .transpose()?;
            Ok(ClientRecord { person, state, events })
        })
    }

    fn find_by_bsn(&self, gate: &AccessGate, bsn: Bsn) -> StoreResult<Option<ClientId>> {
        self.gated(false, |tx, log| {
            let Some(r) = tx.query_opt(HOLDER_OF_BSN, &[&bsn.digits()])? else {
                return Ok(None);
            };
            let client = ClientId(get::<i64>(&r, 0)? as u64);
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
        self.gated(false, |tx, log| {
            let st = tx.stmt(
                "SELECT w.client_id, w.product, w.since, w.priority, s.state FROM waitlist w JOIN client_state s ON s.client_id = w.client_id
                 WHERE w.region = $1 ORDER BY w.priority DESC, w.since, w.client_id",
            )?;
            let portal = tx.tx.bind(&st, &[&region.as_str()]).map_err(db)?;
            let mut out = Vec::new();
            'fetch: loop {
                let rows = tx.tx.query_portal(&portal, 500).map_err(db)?;
                if rows.is_empty() {
                    break;
                }
                for r in &rows {
                    if out.len() >= limit {
                        break 'fetch;
                    }
                    let client = ClientId(get::<i64>(r, 0)? as u64);
                    let state = serde_json::from_str::<ClientState>(&get::<String>(r, 4)?).map_err(|e| StoreError::Backend(e.to_string()))?;
                    let (entry, verdict) = gate.check(state.client, Action::Read, &gate.scope(&state));
                    if verdict.is_err() {
                        continue; // not shown, so not accessed
                    }
                    log.push(entry);
                    let priority = get::<i64>(r, 3)?;
                    out.push(WaitlistEntry {
                        client: state.client,
                        product: get(r, 1)?,
                        since: Date::parse(&get::<String>(r, 2)?).map_err(|e| StoreError::Backend(e.to_string()))?,
                        priority: u8::try_from(priority).map_err(|_| StoreError::Backend(format!("waitlist {client}: prioriteit {priority} valt buiten het bereik")))?,
                        herkomst: state.herkomst.map(|g| g.to_string()),
                    });
                }
            }
            Ok(out)
        })
    }

    fn overview(&self, region: &RegionId, on: Date) -> StoreResult<RegionOverview> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::RepeatableRead, true)?;
        let r = region.as_str();
        let in_care = tx
            .query(
                "SELECT COALESCE(herkomst, ''), product, COUNT(*) FROM client_state WHERE region = $1 AND phase = 'in_zorg' GROUP BY 1, 2 ORDER BY 1, 2",
                &[&r],
            )?
            .iter()
            .map(|x| Ok((get(x, 0)?, get(x, 1)?, get::<i64>(x, 2)? as u64)))
            .collect::<StoreResult<Vec<_>>>()?;
        let waiting = tx
            .query("SELECT product, COUNT(*), MIN(since) FROM waitlist WHERE region = $1 GROUP BY product ORDER BY product", &[&r])?
            .iter()
            .map(|x| {
                let since: String = get(x, 2)?;
                Ok((get(x, 0)?, get::<i64>(x, 1)? as u64, Date::parse(&since).map_or(0, |d| i64::from(d.days_until(on)))))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let occupancy = tx
            .query("SELECT location, product, clients FROM occupancy WHERE region = $1 AND clients > 0 ORDER BY 1, 2", &[&r])?
            .iter()
            .map(|x| Ok((get(x, 0)?, get(x, 1)?, get::<i64>(x, 2)? as u64)))
            .collect::<StoreResult<Vec<_>>>()?;
        // feat/capacity: the reasons of placements recorded as overbezetting.
        let overbezettingen = tx
            .query("SELECT location, product, state FROM client_state WHERE region = $1 AND phase = 'in_zorg' AND state LIKE '%\"overbezetting\"%' ORDER BY 1, 2, client_id", &[&r])?
            .iter()
            .map(|x| Ok((get::<String>(x, 0)?, get::<String>(x, 1)?, get::<String>(x, 2)?)))
            .collect::<StoreResult<Vec<_>>>()?
            .into_iter()
            .filter_map(|(l, p, json)| vangnet_store::projection::overbezetting_of(&json).map(|r| (l, p, r)))
            .collect();
        tx.commit()?;
        Ok(RegionOverview {
            in_care,
            waiting,
            occupancy,
            overbezettingen,
        })
    }

    fn import(
        &self,
        gate: &AccessGate,
        rows: &mut dyn Iterator<Item = Result<ImportRow, RowError>>,
        mode: ImportMode,
        progress: &dyn Fn(u64),
    ) -> StoreResult<ImportReport> {
        let (entry, verdict) = gate.check_bulk("import");
        if verdict.is_err() {
            self.log_alone(&entry)?;
            verdict?;
        }
        let index = self.monitor_index.write();
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().write_tx()?;
        let mut stored = StoredClients::new(&mut tx)?;
        let mut seq = next_seq(&mut tx)?;
        let before = (seq - 1) as u64;
        let mut report = ImportReport::default();
        let mut importer = Importer::new(&self.regions);
        let now = vangnet_store::time::now();
        let mut window = Window::new();
        let mut copy_events = CopyBuf::new(COPY_EVENTS);
        let tx = RefCell::new(tx);
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
                &mut |c| stored.load_state(&mut tx.borrow_mut(), c),
                &mut |c| window.stream(&mut tx.borrow_mut(), c),
            )?;
            match verdict {
                Ok(version) => {
                    // Written even after an error in all-or-nothing mode: later rows may need
                    // this one's stream for a refold, and the transaction is rolled back anyway.
                    let ImportRow {
                        client,
                        effective,
                        actor,
                        recorded_at,
                        event,
                        ..
                    } = row;
                    window.push(RecordedEvent {
                        seq: seq as u64,
                        client,
                        version,
                        effective,
                        recorded_at: recorded_at.unwrap_or(now),
                        actor: actor.unwrap_or_else(|| gate.actor().clone()),
                        event,
                    });
                    seq += 1;
                    report.imported += 1;
                    if window.uncopied() >= IMPORT_BATCH {
                        window.flush(&mut tx.borrow_mut(), &mut copy_events)?;
                    }
                }
                Err(e) => report.rejected.push(e),
            }
        }
        progress(report.read);
        let mut tx = tx.into_inner();
        if mode == ImportMode::AllOrNothing && !report.rejected.is_empty() {
            drop(tx); // rolls back
            report.imported = 0;
            return Ok(report);
        }
        window.flush(&mut tx, &mut copy_events)?;
        drop(window);
        report.clients = importer.touched() as u64;
        let monitor = monitor_deltas(&importer.take_monitor(), &self.regions);
        add_monitor(&mut tx, &monitor, before == 0)?;
        let mut occupancy: HashMap<OccupancyKey, i64> = HashMap::new();
        let mut batch = ProjectionBatch::new();
        // The log lock only from here (the import's own row first, then one per client), so
        // readers' log rows wait for the end of an import, not for all of it.
        let mut log = access::CopyWriter::open(&mut tx)?;
        log.row(&mut batch.access, &entry);
        for t in importer.into_touched() {
            let new_occ = occupancy_key(&t.state);
            if t.before_occupancy != new_occ {
                if let Some(k) = t.before_occupancy {
                    *occupancy.entry(k).or_default() -= 1;
                }
                if let Some(k) = new_occ {
                    *occupancy.entry(k).or_default() += 1;
                }
            }
            batch.add(&self.regions, &t.state, t.existed);
            let (entry, _) = gate.check(t.state.client, Action::Bulk, &gate.scope(&t.state));
            log.row(&mut batch.access, &entry);
            if batch.clients >= PROJECTION_BATCH {
                batch.flush(&mut tx)?;
            }
        }
        batch.flush(&mut tx)?;
        log.finish(&mut tx)?;
        let mut occupancy: Vec<_> = occupancy.into_iter().filter(|(_, d)| *d != 0).collect();
        occupancy.sort();
        for (k, d) in &occupancy {
            bump_occupancy(&mut tx, k, *d)?;
        }
        tx.commit()?;
        index.applied(before, (seq - 1) as u64, &monitor);
        report.committed = true;
        Ok(report)
    }

    fn put_persons(&self, gate: &AccessGate, persons: &[(ClientId, Person)]) -> StoreResult<()> {
        self.gated(true, |tx, log| {
            let (entry, verdict) = gate.check_bulk("personen_registreren");
            log.push(entry);
            verdict?;
            // Checked in order, exactly as one insert after the other would be; written in batches.
            let mut seen_bsn: HashMap<String, ClientId> = HashMap::new();
            let mut seen_ids: HashSet<u64> = HashSet::new();
            let mut buf = CopyBuf::new(COPY_PERSONS);
            for chunk in persons.chunks(if cfg!(test) { 3 } else { 5_000 }) {
                let bsns: Vec<String> = chunk.iter().map(|(_, p)| p.bsn.digits()).collect();
                let ids: Vec<i64> = chunk.iter().map(|(c, _)| c.0 as i64).collect();
                for r in tx.query(PERSONS_CLASHING, &[&bsns, &ids])? {
                    let (holder, bsn): (i64, String) = (get(&r, 0)?, get(&r, 1)?);
                    seen_bsn.insert(bsn, ClientId(holder as u64));
                    seen_ids.insert(holder as u64);
                }
                for ((c, p), bsn) in chunk.iter().zip(&bsns) {
                    check_person(p)?;
                    if let Some(h) = seen_bsn.get(bsn) {
                        return Err(bsn_taken(*h));
                    }
                    if !seen_ids.insert(c.0) {
                        return Err(StoreError::Backend(format!("duplicate key value violates unique constraint \"persons_pkey\": client_id {c}")));
                    }
                    seen_bsn.insert(bsn.clone(), *c);
                    let born = p.geboortedatum.to_string();
                    buf.row(&[Field::Int(c.0 as i64), Field::Text(bsn), Field::Text(&p.voornaam), Field::Text(&p.achternaam), Field::Text(&born), Field::Bool(p.synthetic)]);
                }
                if buf.bytes() >= 4 << 20 {
                    buf.flush(&mut tx.tx)?;
                }
            }
            buf.flush(&mut tx.tx)?;
            Ok(())
        })
    }

    fn export(
        &self,
        gate: &AccessGate,
        sink: &mut dyn FnMut(RecordedEvent) -> Result<(), String>,
    ) -> StoreResult<u64> {
        let (entry, verdict) = gate.check_bulk("export");
        self.log_alone(&entry)?;
        verdict?;
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::RepeatableRead, true)?;
        let st = tx.stmt(ALL_BY_SEQ)?;
        let portal = tx.tx.bind(&st, &[]).map_err(db)?;
        let mut n = 0;
        loop {
            let rows = tx.tx.query_portal(&portal, FETCH).map_err(db)?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                sink(row_to_event(r)?).map_err(StoreError::Backend)?;
                n += 1;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    fn rebuild(&self, progress: &dyn Fn(u64)) -> StoreResult<RebuildReport> {
        let index = self.monitor_index.write();
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().write_tx()?;
        tx.tx
            .batch_execute(
                "TRUNCATE client_state, occupancy, waitlist, deadlines, client_provider, woon_kandidaat, monitor",
            )
            .map_err(db)?;
        let mut report = RebuildReport::default();
        let mut batch = ProjectionBatch::new();
        let mut occupancy: HashMap<OccupancyKey, i64> = HashMap::new();
        let mut monitor = Tally::new();
        let mut flush = |client: ClientId,
                         stream: &mut Vec<RecordedEvent>,
                         report: &mut RebuildReport,
                         batch: &mut ProjectionBatch|
         -> StoreResult<()> {
            if let Some(state) = fold_recorded_tally(client, stream, &self.regions, &mut monitor)? {
                if let Some(k) = occupancy_key(&state) {
                    *occupancy.entry(k).or_default() += 1;
                }
                batch.add(&self.regions, &state, false);
                report.clients += 1;
            }
            stream.clear();
            Ok(())
        };
        let st = tx.stmt(ALL_BY_CLIENT)?;
        let portal = tx.tx.bind(&st, &[]).map_err(db)?;
        let mut stream: Vec<RecordedEvent> = Vec::new();
        loop {
            let rows = tx.tx.query_portal(&portal, FETCH).map_err(db)?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let ev = row_to_event(r)?;
                if stream.first().is_some_and(|f| f.client != ev.client) {
                    let c = stream[0].client;
                    flush(c, &mut stream, &mut report, &mut batch)?;
                }
                stream.push(ev);
                report.events += 1;
                if report.events % 250_000 == 0 {
                    progress(report.events);
                }
            }
            if batch.clients >= PROJECTION_BATCH {
                batch.flush(&mut tx)?;
            }
        }
        if let Some(c) = stream.first().map(|f| f.client) {
            flush(c, &mut stream, &mut report, &mut batch)?;
        }
        batch.flush(&mut tx)?;
        let mut occupancy: Vec<_> = occupancy.into_iter().collect();
        occupancy.sort();
        for (k, n) in &occupancy {
            bump_occupancy(&mut tx, k, *n)?;
        }
        add_monitor(&mut tx, &monitor_deltas(&monitor, &self.regions), true)?;
        deletion::add_archive(&mut tx)?;
        progress(report.events);
        tx.commit()?;
        index.clear();
        Ok(report)
    }

    fn rebuild_monitor(&self, progress: &dyn Fn(u64)) -> StoreResult<RebuildReport> {
        let index = self.monitor_index.write();
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().write_tx()?;
        tx.tx.batch_execute("TRUNCATE monitor").map_err(db)?;
        let mut report = RebuildReport::default();
        let mut monitor = Tally::new();
        let st = tx.stmt(ALL_BY_CLIENT)?;
        let portal = tx.tx.bind(&st, &[]).map_err(db)?;
        let mut stream: Vec<RecordedEvent> = Vec::new();
        let mut fold = |stream: &mut Vec<RecordedEvent>, report: &mut RebuildReport| {
            let client = stream[0].client;
            if fold_recorded_tally(client, stream, &self.regions, &mut monitor)?.is_some() {
                report.clients += 1;
            }
            stream.clear();
            StoreResult::Ok(())
        };
        loop {
            let rows = tx.tx.query_portal(&portal, FETCH).map_err(db)?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let ev = row_to_event(r)?;
                if stream.first().is_some_and(|f| f.client != ev.client) {
                    fold(&mut stream, &mut report)?;
                }
                stream.push(ev);
                report.events += 1;
                if report.events % 250_000 == 0 {
                    progress(report.events);
                }
            }
        }
        if !stream.is_empty() {
            fold(&mut stream, &mut report)?;
        }
        add_monitor(&mut tx, &monitor_deltas(&monitor, &self.regions), true)?;
        deletion::add_archive(&mut tx)?;
        progress(report.events);
        tx.commit()?;
        index.clear();
        Ok(report)
    }

    fn snapshot(&self) -> StoreResult<ProjectionSnapshot> {
        use vangnet_store::projection::snapshot_sql as q;
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::RepeatableRead, true)?;
        let clients = tx
            .query(q::CLIENTS, &[])?
            .iter()
            .map(|r| Ok((get::<i64>(r, 0)? as u64, get(r, 1)?)))
            .collect::<StoreResult<Vec<_>>>()?;
        let occupancy = tx
            .query(q::OCCUPANCY, &[])?
            .iter()
            .map(|r| {
                Ok(OccupancyRow {
                    region: get(r, 0)?,
                    location: get(r, 1)?,
                    product: get(r, 2)?,
                    clients: get(r, 3)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let waiting = tx
            .query(q::WAITING, &[])?
            .iter()
            .map(|r| {
                Ok(WaitRow {
                    client: get::<i64>(r, 0)? as u64,
                    region: get(r, 1)?,
                    product: get(r, 2)?,
                    since: get(r, 3)?,
                    priority: get(r, 4)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let deadlines = tx
            .query(q::DEADLINES, &[])?
            .iter()
            .map(|r| {
                Ok(DeadlineRow {
                    client: get::<i64>(r, 0)? as u64,
                    task: get(r, 1)?,
                    due: get(r, 2)?,
                    region: get(r, 3)?,
                    detail: get(r, 4)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let monitor = tx
            .query(q::MONITOR, &[])?
            .iter()
            .map(monitor_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let providers = tx
            .query(q::PROVIDERS, &[])?
            .iter()
            .map(|r| {
                Ok(vangnet_store::projection::ProviderRow {
                    agb: get(r, 0)?,
                    client: get::<i64>(r, 1)? as u64,
                    leest: get(r, 2)?,
                    zorg_locatie: get(r, 3)?,
                    voorstel_locatie: get(r, 4)?,
                    tijdelijk_locatie: get(r, 5)?,
                    voorstel_tot: get(r, 6)?,
                    verzoek: get(r, 7)?,
                    taak_tot: get(r, 8)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let kandidaten = tx
            .query(q::KANDIDATEN, &[])?
            .iter()
            .map(|r| {
                Ok(vangnet_store::projection::kandidaat_text(
                    &get::<String>(r, 0)?,
                    get::<i64>(r, 1)? as u64,
                    &get::<String>(r, 2)?,
                    &get::<String>(r, 3)?,
                    &get::<String>(r, 4)?,
                    get::<Option<String>>(r, 5)?.as_deref(),
                    get::<Option<String>>(r, 6)?.as_deref(),
                    get::<Option<String>>(r, 7)?.as_deref(),
                ))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        tx.commit()?;
        Ok(ProjectionSnapshot {
            clients,
            occupancy,
            waiting,
            deadlines,
            monitor,
            providers,
            kandidaten,
        })
    }

    fn monitor_view(&self, region: &RegionId, measures: &[Measure]) -> StoreResult<MonitorView> {
        let mut pooled = self.pooled()?;
        // One snapshot for the mark and the cells loaded with it.
        let tx = RefCell::new(pooled.conn().begin(IsolationLevel::RepeatableRead, true)?);
        let view = self.monitor_index.view(
            region.as_str(),
            measures,
            &mut || max_seq(&mut tx.borrow_mut()),
            &mut |r, m, sink| load_monitor(&mut tx.borrow_mut(), r, m, sink),
        )?;
        tx.into_inner().commit()?;
        Ok(view)
    }

    fn high_water_mark(&self) -> StoreResult<u64> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::ReadCommitted, true)?;
        let n = max_seq(&mut tx)?;
        tx.commit()?;
        Ok(n)
    }

    fn event_count(&self) -> StoreResult<u64> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::ReadCommitted, true)?;
        let r = tx
            .query_opt("SELECT COUNT(*) FROM events", &[])?
            .ok_or_else(|| StoreError::Backend("COUNT gaf geen rij".into()))?;
        let n = get::<i64>(&r, 0)? as u64;
        tx.commit()?;
        Ok(n)
    }

    fn access_log_filtered(
        &self,
        gate: &AccessGate,
        filter: &AccessLogFilter,
    ) -> StoreResult<Vec<AccessEntry>> {
        self.gated(false, |tx, log| {
            let (entry, verdict) = gate.check_audit();
            log.push(entry);
            verdict?;
            access::filtered(tx, filter)
        })
    }

    fn client_access_log(
        &self,
        gate: &AccessGate,
        client: ClientId,
    ) -> StoreResult<Vec<AccessEntry>> {
        self.gated(false, |tx, log| {
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
        let (entry, verdict) = gate.check_bulk(job);
        self.log_alone(&entry)?;
        verdict
    }

    fn verify_access_log(&self, gate: &AccessGate) -> StoreResult<ChainReport> {
        let (entry, verdict) = gate.check_audit();
        if verdict.is_err() {
            self.log_alone(&entry)?;
            verdict?;
        }
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::RepeatableRead, true)?;
        let report = access::verify(&mut tx, FETCH)?;
        tx.commit()?;
        drop(pooled);
        self.log_alone(&entry)?;
        Ok(report)
    }

    fn anchor_access_log(&self, gate: &AccessGate) -> StoreResult<Option<Anchor>> {
        let (entry, verdict) = gate.check_bulk("toegangslog_anker");
        if verdict.is_err() {
            self.log_alone(&entry)?;
            verdict?;
        }
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().write_tx()?;
        let anchor = access::anchor(&mut tx)?;
        tx.commit()?;
        Ok(anchor)
    }

    fn access_log_retention(
        &self,
        gate: &AccessGate,
        cutoff: &str,
        execute: bool,
    ) -> StoreResult<RetentionReport> {
        let (entry, verdict) = gate.check_bulk(RETENTION_ACTION);
        if verdict.is_err() {
            self.log_alone(&entry)?;
            verdict?;
        }
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().write_tx()?;
        let report = access::retention(&mut tx, cutoff, execute, &|a, n| {
            gate.note(RETENTION_ACTION, retention_reason(a, n, cutoff))
        })?;
        tx.commit()?;
        Ok(report)
    }

    fn clients_past_retention(
        &self,
        gate: &AccessGate,
        before: Date,
        limit: usize,
    ) -> StoreResult<vangnet_store::DueClients> {
        self.gated(false, |tx, log| {
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
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().write_tx()?;
        let max = deletion::max_client_id(&mut tx)?;
        tx.commit()?;
        Ok(ClientId(max as u64 + 1))
    }

    fn region_states(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        phases: &[Phase],
    ) -> StoreResult<Vec<ClientState>> {
        let keys: Vec<String> = phases.iter().map(|p| p.key().to_owned()).collect();
        self.gated(false, |tx, log| {
            let mut states = Vec::new();
            for r in tx.query(REGION_STATES, &[&region.as_str(), &keys])? {
                let client = ClientId(get::<i64>(&r, 0)? as u64);
                states.push(parse_state(client, &get::<String>(&r, 1)?)?);
            }
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
        self.gated(false, |tx, log| {
            let mut states = Vec::new();
            for r in tx.query(WAITING_FOR, &[&region.as_str(), &product.as_str()])? {
                let client = ClientId(get::<i64>(&r, 0)? as u64);
                states.push(parse_state(client, &get::<String>(&r, 1)?)?);
            }
            let (entries, verdict) = gate.check_listed(region, states);
            log.extend(entries);
            verdict
        })
    }

    // feat/capacity: as-of-date state.
    fn refresh_planned(&self, today: Date) -> StoreResult<u64> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().write_tx()?;
        let due: Vec<i64> = tx
            .query(
                "SELECT client_id FROM client_state WHERE next_change IS NOT NULL AND next_change <= $1 ORDER BY client_id",
                &[&today.to_string()],
            )?
            .iter()
            .map(|r| get::<i64>(r, 0))
            .collect::<StoreResult<_>>()?;
        let mut n = 0;
        for id in due {
            let client = ClientId(id as u64);
            let Some(old) = load_state(&mut tx, client)? else {
                continue;
            };
            let stream = load_stream(&mut tx, client)?;
            if let Some(new) =
                vangnet_store::plan::refold_as_of(client, &stream, &self.regions, today)?
            {
                write_projection(&mut tx, &self.regions, occupancy_key(&old).as_ref(), &new)?;
                n += 1;
            }
        }
        tx.commit()?;
        Ok(n)
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
        self.gated(false, |tx, log| {
            if let Some((entry, err)) = gate.check_region_team(region) {
                log.push(entry);
                return Err(err);
            }
            let st = tx.stmt(
                "SELECT d.client_id, d.task, d.due, d.detail, s.state FROM deadlines d JOIN client_state s ON s.client_id = d.client_id
                 WHERE d.region = $1 AND d.due <= $2 ORDER BY d.due, d.client_id, d.task",
            )?;
            let until = until.to_string();
            let portal = tx.tx.bind(&st, &[&region.as_str(), &until]).map_err(db)?;
            let mut out = Vec::new();
            let mut decided: HashMap<u64, bool> = HashMap::new();
            'fetch: loop {
                let rows = tx.tx.query_portal(&portal, 500).map_err(db)?;
                if rows.is_empty() {
                    break;
                }
                for r in &rows {
                    if out.len() >= limit {
                        break 'fetch;
                    }
                    let client = ClientId(get::<i64>(r, 0)? as u64);
                    let allowed = match decided.get(&client.0) {
                        Some(a) => *a,
                        None => {
                            let state = parse_state(client, &get::<String>(r, 4)?)?;
                            let (entry, verdict) =
                                gate.check(client, Action::Read, &gate.scope(&state));
                            let allowed = verdict.is_ok();
                            if allowed {
                                log.push(entry); // refused ones are not shown, so not accessed
                            }
                            decided.insert(client.0, allowed);
                            allowed
                        }
                    };
                    if !allowed {
                        continue;
                    }
                    let task: String = get(r, 1)?;
                    let due: String = get(r, 2)?;
                    out.push(DeadlineEntry {
                        client,
                        task: vangnet_domain::worklist::Task::from_key(&task).ok_or_else(|| {
                            StoreError::Backend(format!("deadlines van {client}: onbekende taak {task}"))
                        })?,
                        due: Date::parse(&due).map_err(|e| StoreError::Backend(e.to_string()))?,
                        detail: get(r, 3)?,
                    });
                }
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
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().write_tx()?;
        let at = now_rfc3339();
        tx.execute(
            "INSERT INTO actie_stand (region, actie, betreft, stand, peildatum, toelichting, user_id, user_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &row.region,
                &row.actie,
                &row.betreft,
                &row.stand,
                &row.peildatum,
                &row.toelichting,
                &row.user_id,
                &row.user_name,
                &at,
            ],
        )?;
        tx.commit()
    }

    fn action_stands(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::acties::ActionStandRow>> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::ReadCommitted, true)?;
        let rows = tx.query(
            "SELECT region, actie, betreft, stand, peildatum, toelichting, user_id, user_name, recorded_at FROM actie_stand WHERE region = $1 ORDER BY id",
            &[&region.as_str()],
        )?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(vangnet_store::acties::ActionStandRow {
                region: get(r, 0)?,
                actie: get(r, 1)?,
                betreft: get(r, 2)?,
                stand: get(r, 3)?,
                peildatum: get(r, 4)?,
                toelichting: get(r, 5)?,
                user_id: get(r, 6)?,
                user_name: get(r, 7)?,
                recorded_at: get(r, 8)?,
            });
        }
        tx.commit()?;
        Ok(out)
    }

    // --- feat/edges (issue 13): tariffs a region entered (migration 0012) ---

    fn record_tariff(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        tarief: &vangnet_money::Tarief,
    ) -> StoreResult<vangnet_store::tarieven::Vastlegging> {
        use vangnet_store::tarieven::{TariefRow, Vastlegging, decide};
        // Under the writer lock; the verdict travels out of the transaction, so a
        // refusal's log row commits too.
        self.gated(true, |tx, log| {
            let stored = tariffs_in(tx, region)?;
            let (entry, verdict) = decide(gate, &self.regions, region, tarief, &stored);
            log.push(entry);
            if let Ok(Vastlegging::Nieuw) = verdict {
                let r = TariefRow::of(region, tarief, &gate.logged_actor().user, &now_rfc3339());
                tx.execute(
                    "INSERT INTO tarief (region, product, leveringsvorm, eenheid, bedrag_cent, van, tot, uren_per_week_x100, herkomst_soort, herkomst_tekst, user_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    &[
                        &r.region,
                        &r.product,
                        &r.leveringsvorm,
                        &r.eenheid,
                        &r.bedrag_cent,
                        &r.van,
                        &r.tot,
                        &r.uren_per_week_x100,
                        &r.herkomst_soort,
                        &r.herkomst_tekst,
                        &r.user_id,
                        &r.recorded_at,
                    ],
                )?;
            }
            Ok(verdict)
        })?
    }

    fn tariffs(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::tarieven::StoredTarief>> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::ReadCommitted, true)?;
        let out = tariffs_in(&mut tx, region)?;
        tx.commit()?;
        Ok(out)
    }

    // --- feat/afspraken (issue 15): woningafspraken (migration 0019) ---

    fn record_woningafspraak(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        afspraak: &vangnet_domain::woningafspraken::Afspraak,
    ) -> StoreResult<vangnet_store::woningafspraken::Vastlegging> {
        use vangnet_store::woningafspraken::{AfspraakRow, Vastlegging, decide};
        self.gated(true, |tx, log| {
            let stored = woningafspraken_in(tx, region)?;
            let (entry, verdict) = decide(gate, &self.regions, region, afspraak, &stored);
            log.push(entry);
            if let Ok(Vastlegging::Nieuw) = verdict {
                let r = AfspraakRow::of(region, afspraak, &gate.logged_actor().user, &now_rfc3339());
                tx.execute(
                    "INSERT INTO woningafspraak (region, gemeente, corporatie, jaar, route, woningen, soort, herkomst_soort, herkomst_tekst, user_id, recorded_at, onderdeel_van) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    &[
                        &r.region,
                        &r.gemeente,
                        &r.corporatie,
                        &r.jaar,
                        &r.route,
                        &r.woningen,
                        &r.soort,
                        &r.herkomst_soort,
                        &r.herkomst_tekst,
                        &r.user_id,
                        &r.recorded_at,
                        &r.onderdeel_van,
                    ],
                )?;
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
        self.gated(true, |tx, log| {
            let afspraken = woningafspraken_in(tx, region)?;
            let eerder = ander_gebruik_in(tx, region)?;
            let (entry, verdict) =
                decide_gebruik(gate, &self.regions, region, gebruik, &afspraken, &eerder);
            log.push(entry);
            if let Ok(Vastlegging::Nieuw) = verdict {
                let r = GebruikRow::of(region, gebruik, &gate.logged_actor().user, &now_rfc3339());
                tx.execute(
                    "INSERT INTO woningafspraak_gebruik (region, afspraak, jaar, maand, doelgroep, aantal, herkomst_soort, herkomst_tekst, user_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    &[
                        &r.region,
                        &r.afspraak,
                        &r.jaar,
                        &r.maand,
                        &r.doelgroep,
                        &r.aantal,
                        &r.herkomst_soort,
                        &r.herkomst_tekst,
                        &r.user_id,
                        &r.recorded_at,
                    ],
                )?;
            }
            Ok(verdict)
        })?
    }

    fn ander_gebruik(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::woningafspraken::StoredGebruik>> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::ReadCommitted, true)?;
        let out = ander_gebruik_in(&mut tx, region)?;
        tx.commit()?;
        Ok(out)
    }

    fn woningafspraken(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::woningafspraken::StoredAfspraak>> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::ReadCommitted, true)?;
        let out = woningafspraken_in(&mut tx, region)?;
        tx.commit()?;
        Ok(out)
    }

    // --- feat/plaatsen (issue 14): places over time (migration 0013) ---

    fn record_capacity(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        p: &vangnet_store::plaatsen::CapaciteitPeriode,
    ) -> StoreResult<vangnet_store::plaatsen::Vastlegging> {
        use vangnet_store::plaatsen::{PeriodeRow, Vastlegging, decide_periode};
        // Under the writer lock; the verdict travels out of the transaction, so a
        // refusal's log row commits too.
        self.gated(true, |tx, log| {
            let stored = periods_in(tx, region)?;
            let (entry, verdict) = decide_periode(gate, &self.regions, region, p, &stored);
            log.push(entry);
            if let Ok(Vastlegging::Nieuw) = verdict {
                let r = PeriodeRow::of(region, p, &gate.logged_actor().user, &now_rfc3339());
                tx.execute(
                    "INSERT INTO capaciteit_periode (region, location, product, vanaf, tot, plaatsen, soort, reden, user_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    &[
                        &r.region,
                        &r.location,
                        &r.product,
                        &r.vanaf,
                        &r.tot,
                        &r.plaatsen,
                        &r.soort,
                        &r.reden,
                        &r.user_id,
                        &r.recorded_at,
                    ],
                )?;
            }
            Ok(verdict)
        })?
    }

    fn capacity_periods(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::plaatsen::StoredPeriode>> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::ReadCommitted, true)?;
        let out = periods_in(&mut tx, region)?;
        tx.commit()?;
        Ok(out)
    }

    fn report_free_place(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        m: &vangnet_store::plaatsen::PlaatsMelding,
    ) -> StoreResult<vangnet_store::plaatsen::Vastlegging> {
        use vangnet_store::plaatsen::{MeldingRow, Vastlegging, decide_melding};
        self.gated(true, |tx, log| {
            let stored = reports_in(tx, region)?;
            let (entry, verdict) = decide_melding(gate, &self.regions, region, m, &stored);
            log.push(entry);
            if let Ok(Vastlegging::Nieuw) = verdict {
                let r = MeldingRow::of(region, m, &gate.logged_actor().user, &now_rfc3339());
                tx.execute(
                    "INSERT INTO plaats_melding (region, location, product, datum, aantal, toelichting, user_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[
                        &r.region,
                        &r.location,
                        &r.product,
                        &r.datum,
                        &r.aantal,
                        &r.toelichting,
                        &r.user_id,
                        &r.recorded_at,
                    ],
                )?;
            }
            Ok(verdict)
        })?
    }

    fn free_place_reports(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<vangnet_store::plaatsen::StoredMelding>> {
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::ReadCommitted, true)?;
        let out = reports_in(&mut tx, region)?;
        tx.commit()?;
        Ok(out)
    }

    fn place_overview(
        &self,
        region: &RegionId,
        on: Date,
    ) -> StoreResult<Vec<vangnet_store::plaatsen::PlaatsStand>> {
        let Some(profile) = self.regions.get(region) else {
            return Ok(Vec::new());
        };
        let mut pooled = self.pooled()?;
        let mut tx = pooled.conn().begin(IsolationLevel::RepeatableRead, true)?;
        let r = region.as_str();
        let periods = periods_in(&mut tx, region)?;
        let occupied = tx
            .query(
                "SELECT location, product, clients FROM occupancy WHERE region = $1 AND clients > 0",
                &[&r],
            )?
            .iter()
            .map(|x| {
                Ok((
                    get::<String>(x, 0)?,
                    get::<String>(x, 1)?,
                    get::<i64>(x, 2)?.max(0) as u64,
                ))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // vangnet_store::plaatsen::SPECIAL_STATES, spelled out (a statement is a literal here).
        let special = tx
            .query(
                r#"SELECT state FROM client_state WHERE region = $1 AND (state LIKE '%"voorstel":%' OR state LIKE '%"tijdelijk":%' OR state LIKE '%"uitstroomklaar":%')"#,
                &[&r],
            )?
            .iter()
            .map(|x| {
                let json: String = get(x, 0)?;
                serde_json::from_str::<ClientState>(&json)
                    .map_err(|e| StoreError::Backend(format!("cliëntstatus onleesbaar: {e}")))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        tx.commit()?;
        Ok(vangnet_store::plaatsen::overview(
            profile, &periods, &occupied, &special, on,
        ))
    }

    // ---- feat/werklijst (issue 12) ----

    fn worklist_page(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        filter: &vangnet_domain::worklist::WorklistFilter,
        today: Date,
    ) -> StoreResult<vangnet_domain::worklist::WorklistPage> {
        self.gated(false, |tx, log| {
            if let Some((entry, err)) = gate.check_region_team(region) {
                log.push(entry);
                return Err(err);
            }
            let until = vangnet_domain::worklist::WorklistFilter::until(today).to_string();
            let mut read = Vec::new();
            let mut last: Option<std::rc::Rc<ClientState>> = None;
            for r in tx.query(WORKLIST_PAGE, &[&region.as_str(), &until])? {
                let client = ClientId(get::<i64>(&r, 0)? as u64);
                let state = match &last {
                    Some(s) if s.client == client => s.clone(),
                    _ => {
                        let s = std::rc::Rc::new(parse_state(client, &get::<String>(&r, 4)?)?);
                        last = Some(s.clone());
                        s
                    }
                };
                let voornaam: Option<String> = get(&r, 5)?;
                let achternaam: Option<String> = get(&r, 6)?;
                read.push((
                    vangnet_store::worklist::StoredDeadline {
                        client,
                        task: get(&r, 1)?,
                        due: get(&r, 2)?,
                        detail: get(&r, 3)?,
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
        self.gated(false, |tx, log| {
            let mut read = Vec::new();
            for r in tx.query(WAITING_FOR_NAMED, &[&region.as_str(), &product.as_str()])? {
                let client = ClientId(get::<i64>(&r, 0)? as u64);
                let state = parse_state(client, &get::<String>(&r, 1)?)?;
                let voornaam: Option<String> = get(&r, 2)?;
                let achternaam: Option<String> = get(&r, 3)?;
                read.push((state, voornaam.zip(achternaam)));
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
        self.gated(false, |tx, log| {
            if let Err(refused) = w::may_read_residents(gate, region, gemeente) {
                let (entry, e) = *refused;
                log.push(entry);
                return Err(e);
            }
            let g = gemeente.to_string();
            let total: i64 = get(
                &tx.query(w::RESIDENTS_COUNT_POSTGRES, &[&region.as_str(), &g])?[0],
                0,
            )?;
            let (limit, offset) = w::limit_offset(&page);
            let mut read = Vec::new();
            for r in tx.query(
                w::RESIDENTS_PAGE_POSTGRES,
                &[&region.as_str(), &g, &limit, &offset],
            )? {
                let client = ClientId(get::<i64>(&r, 0)? as u64);
                let state = parse_state(client, &get::<String>(&r, 1)?)?;
                let voornaam: Option<String> = get(&r, 2)?;
                let achternaam: Option<String> = get(&r, 3)?;
                read.push((state, voornaam.zip(achternaam)));
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
        self.gated(false, |tx, log| {
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
            for r in tx.query(
                a::LIST_POSTGRES,
                &[&agb.to_string(), &all, &locatie.map(ToString::to_string)],
            )? {
                list.push(a::ListRow {
                    client: get(&r, 0)?,
                    verzoek: get(&r, 1)?,
                    voorstel_tot: get(&r, 2)?,
                    taak_tot: get(&r, 3)?,
                });
            }
            let picked = a::pick(&list, shown);
            let positions: HashMap<i64, (usize, Option<usize>)> = picked
                .rows
                .iter()
                .map(|(id, pos, task_pos)| (*id, (*pos, *task_pos)))
                .collect();
            let ids: Vec<i64> = positions.keys().copied().collect();
            let mut read = Vec::with_capacity(ids.len());
            for r in tx.query(PROVIDER_SHOWN, &[&ids])? {
                let id: i64 = get(&r, 0)?;
                let state = parse_state(ClientId(id as u64), &get::<String>(&r, 1)?)?;
                let voornaam: Option<String> = get(&r, 2)?;
                let achternaam: Option<String> = get(&r, 3)?;
                let (pos, task_pos) = positions[&id];
                read.push((pos, task_pos, state, voornaam.zip(achternaam)));
            }
            read.sort_by_key(|(pos, _, _, _)| *pos);
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
        today: Date,
    ) -> StoreResult<vangnet_store::wonen::Kandidaten> {
        use vangnet_store::wonen;
        self.gated(false, |tx, log| {
            if let Err(refused) = wonen::may_ask(gate, id) {
                let (entry, e) = *refused;
                log.push(entry);
                return Err(e);
            }
            let w = wonen::werkgebied(&self.regions, id, filter.gemeente);
            let day = today.to_string();
            let woningtype = filter.woningtype.map(|t| t.key());
            let route = filter.route.map(|r| r.key());
            let total: i64 = tx
                .query(
                    KANDIDATEN_COUNT,
                    &[&w.gemeenten, &w.regios, &day, &woningtype, &route],
                )?
                .first()
                .map_or(Ok(0), |r| get::<i64>(r, 0))?;
            let limit = page.end.saturating_sub(page.start).min(10_000) as i64;
            let offset = page.start.min(i64::MAX as usize) as i64;
            let ids: Vec<i64> = tx
                .query(
                    KANDIDATEN_PAGE,
                    &[
                        &w.gemeenten,
                        &w.regios,
                        &day,
                        &woningtype,
                        &route,
                        &limit,
                        &offset,
                    ],
                )?
                .iter()
                .map(|r| get::<i64>(r, 0))
                .collect::<StoreResult<_>>()?;
            let offers: Vec<i64> = tx
                .query(KANDIDATEN_AANBOD, &[&id, &w.regios])?
                .iter()
                .map(|r| get::<i64>(r, 0))
                .collect::<StoreResult<_>>()?;
            let mut read = Vec::with_capacity(ids.len() + offers.len());
            let mut seen = std::collections::HashSet::new();
            for client in ids.iter().chain(&offers) {
                if seen.insert(*client)
                    && let Some(r) = pg_candidate(tx, ClientId(*client as u64))?
                {
                    read.push(r);
                }
            }
            let (entries, all) = wonen::shown(gate, &self.regions, id, read, today);
            log.extend(entries);
            Ok(wonen::Kandidaten::split(all, &ids, &offers, total))
        })
    }

    fn woon_kandidaat(
        &self,
        gate: &AccessGate,
        id: &str,
        client: ClientId,
        today: Date,
    ) -> StoreResult<vangnet_store::wonen::WoonKandidaat> {
        self.gated(false, |tx, log| {
            let read = pg_candidate(tx, client)?;
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
        self.gated(false, |tx, log| {
            // Narrow by index (BSN, client number, birth date: migration 0010); the exact
            // test and the access decision are the store's shared code.
            let rows = match key {
                SearchKey::Bsn(b) => tx.query(SEARCH_BY_BSN, &[&b.digits()])?,
                SearchKey::Client(c) => {
                    tx.query(SEARCH_BY_CLIENT, &[&(c.0.min(i64::MAX as u64) as i64)])?
                }
                SearchKey::NameBirth { born, .. } => {
                    tx.query(SEARCH_BY_BIRTH, &[&born.to_string()])?
                }
            };
            let mut candidates = Vec::with_capacity(rows.len());
            for r in &rows {
                let client = ClientId(get::<i64>(r, 0)? as u64);
                let bad = |e: String| StoreError::Backend(format!("persoonsrecord {client}: {e}"));
                let (bsn, v, a, g): (String, String, String, String) =
                    (get(r, 1)?, get(r, 2)?, get(r, 3)?, get(r, 4)?);
                let person = Person::new(
                    Bsn::parse(&bsn).map_err(|e| bad(e.to_string()))?,
                    &v,
                    &a,
                    Date::parse(&g).map_err(|e| bad(e.to_string()))?,
                    true,
                )
                .map_err(|e| bad(e.to_string()))?;
                let state = parse_state(client, &get::<String>(r, 5)?)?;
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
        self.gated(false, |tx, log| {
            let Some(r) = tx.query_opt(HOLDER_OF_BSN, &[&bsn.digits()])? else {
                return Ok(None);
            };
            let client = ClientId(get::<i64>(&r, 0)? as u64);
            let Some(state) = load_state(tx, client)? else {
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
        self.gated(true, |tx, log| {
            let Some(state) = load_state(tx, client)? else {
                return Err(gate.refuse_missing_as(client, vangnet_store::search::PERSON_CORRECTION_ACTION, log, StoreError::NotFound(client)));
            };
            let (entry, verdict) = gate.check_person_correction(&state, &correction.reden);
            log.push(entry);
            verdict?;
            let r = tx
                .query_opt("SELECT bsn, voornaam, achternaam, geboortedatum FROM persons WHERE client_id = $1", &[&(client.0 as i64)])?
                .ok_or_else(|| StoreError::Person(format!("cliënt {client} heeft geen persoonsrecord")))?;
            let bad = |e: String| StoreError::Backend(format!("persoonsrecord {client}: {e}"));
            let (bsn, v, a, g): (String, String, String, String) = (get(&r, 0)?, get(&r, 1)?, get(&r, 2)?, get(&r, 3)?);
            let stored = Person::new(Bsn::parse(&bsn).map_err(|e| bad(e.to_string()))?, &v, &a, Date::parse(&g).map_err(|e| bad(e.to_string()))?, true).map_err(|e| bad(e.to_string()))?;
            let new = correction.apply(&stored)?;
            tx.execute(
                "UPDATE persons SET voornaam = $2, achternaam = $3, geboortedatum = $4 WHERE client_id = $1",
                &[&(client.0 as i64), &new.voornaam, &new.achternaam, &new.geboortedatum.to_string()],
            )?;
            Ok(new)
        })
    }
}

/// feat/werklijst: a region's deadlines due by a date, with state and name, per client.
const WORKLIST_PAGE: &str = "SELECT d.client_id, d.task, d.due, d.detail, s.state, p.voornaam, p.achternaam FROM deadlines d JOIN client_state s ON s.client_id = d.client_id LEFT JOIN persons p ON p.client_id = d.client_id WHERE d.region = $1 AND d.due <= $2 ORDER BY d.client_id";
/// feat/werklijst: the waiting list for a product, with state and name.
const WAITING_FOR_NAMED: &str = "SELECT s.client_id, s.state, p.voornaam, p.achternaam FROM waitlist w JOIN client_state s ON s.client_id = w.client_id LEFT JOIN persons p ON p.client_id = w.client_id WHERE w.region = $1 AND w.product = $2 ORDER BY w.client_id";
/// A gemeente's residents' open cases (feat/toegang, issue 14).
/// Search candidates (feat/zoeken): person and state by BSN, client number, birth date.
const SEARCH_BY_BSN: &str = "SELECT p.client_id, p.bsn, p.voornaam, p.achternaam, p.geboortedatum, s.state FROM persons p JOIN client_state s ON s.client_id = p.client_id WHERE p.bsn = $1";
const SEARCH_BY_CLIENT: &str = "SELECT p.client_id, p.bsn, p.voornaam, p.achternaam, p.geboortedatum, s.state FROM persons p JOIN client_state s ON s.client_id = p.client_id WHERE p.client_id = $1";
const SEARCH_BY_BIRTH: &str = "SELECT p.client_id, p.bsn, p.voornaam, p.achternaam, p.geboortedatum, s.state FROM persons p JOIN client_state s ON s.client_id = p.client_id WHERE p.geboortedatum = $1";

/// A region's client states in some phases.
const WAITING_FOR: &str = "SELECT s.client_id, s.state FROM waitlist w JOIN client_state s ON s.client_id = w.client_id WHERE w.region = $1 AND w.product = $2 ORDER BY w.client_id";
const REGION_STATES: &str = "SELECT client_id, state FROM client_state WHERE region = $1 AND phase = ANY($2) ORDER BY client_id";

/// One client's state and person fields for the candidate view (issue 15).
fn pg_candidate(
    tx: &mut Tx<'_>,
    client: ClientId,
) -> StoreResult<Option<vangnet_store::wonen::Read>> {
    let Some(r) = tx.query_opt(KANDIDAAT, &[&(client.0 as i64)])? else {
        return Ok(None);
    };
    let state = parse_state(client, &get::<String>(&r, 0)?)?;
    let v: Option<String> = get(&r, 1)?;
    let a: Option<String> = get(&r, 2)?;
    let g: Option<String> = get(&r, 3)?;
    let person = match (v, a, g) {
        (Some(v), Some(a), Some(g)) => Some((v, a, g)),
        _ => None,
    };
    Ok(Some((state, person)))
}

#[cfg(test)]
mod tests;
