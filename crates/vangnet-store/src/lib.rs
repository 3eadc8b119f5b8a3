//! The event store's contract: one [`Store`] trait, implemented per database engine
//! (`vangnet-store-sqlite`, `vangnet-store-postgres`), plus the engine-independent logic
//! every implementation shares so that the engines only move rows:
//!
//! - [`gate`]: the access gate — the single place that decides (via
//!   [`vangnet_domain::access::decide`]) and produces the access-log row that the engine
//!   writes in the same transaction as the read or write;
//! - [`audit`]: the access log as a hash chain (canonical encoding, head, anchors, the
//!   verifier) and the retention periods per data kind;
//! - [`plan`]: turning an append command into validated, versioned events and the new
//!   client state (fast path or refold), plus idempotency fingerprints;
//! - [`projection`]: the projection rows (client state, occupancy, waiting list) derived
//!   from a client state, and deltas between two states;
//! - [`import`]: the streaming import validator (all-or-nothing or skip-bad-rows);
//! - [`monitor_index`]: the monitor projection also in memory (compact sorted cells per
//!   region and measure), kept current by this process's writes and invalidated by the
//!   log's high-water mark;
//! - [`codec`]: turning stored event columns back into a recorded event;
//! - [`accounts`]: user accounts, sessions and API tokens (the [`AccountStore`] every
//!   engine implements, [`Store::accounts`]) and the rules the engines share for them;
//! - [`secret`]: random bytes from the operating system (session ids, salts, tokens);
//! - [`deletion`]: deleting a client's data past its retention period (who may, the
//!   re-check, the log row, the monitor's archive); [`deletion_story`] is its test on every
//!   engine;
//! - [`worklist`]: the worklist page (gate, filter, page, log) and the named waiting list;
//! - [`search`]: finding people (BSN, name + birth date, client number) through the gate,
//!   and correcting the person record; [`search_story`] is its test on every engine;
//! - [`elsewhere`]: a new application for a person whose closed case is under another
//!   region (the lookup and the one exception to the append's client-level decision);
//! - [`tarieven`]: tariffs a region entered (who may, the checks, idempotency, the log row)
//! - [`woningafspraken`]: housing quota agreements a region entered (issue 15; the same pattern)
//!   and its story test on every engine; [`geld`]: the money's volumes read from the
//!   monitor ([`geld::money_volumes`]), for the web, the CLI and the benchmark;
//! - [`aanbieder`]: a provider's clients (issue 14): who may ask, one location, the gate
//!   per client, and its story test on every engine;
//! - [`plaatsen`]: places over time (issue 14) — capacity periods and free-place reports
//!   (who may, the checks, idempotency, the log row), the aggregate stand of places, and its
//!   story test on every engine;
//! - [`conformance`]: the story test every engine runs.

pub mod aanbieder;
pub mod accounts;
pub mod acties;
pub mod audit;
pub mod codec;
pub mod conformance;
pub mod deletion;
pub mod deletion_story;
pub mod elsewhere;
pub mod gate;
pub mod geld;
pub mod import;
pub mod letters;
pub mod monitor_index;
pub mod plaatsen;
pub mod plan;
pub mod projection;
pub mod random;
pub mod search;
pub mod search_story;
pub mod secret;
pub mod tarieven;
pub mod time;
pub mod wonen;
pub mod woningafspraken;
pub mod worklist;

use serde::{Deserialize, Serialize};
use vangnet_domain::person::{Person, PersonError};
use vangnet_domain::state::ClientState;
use vangnet_domain::{ClientEvent, ClientId, Date, RecordedEvent, RegionId, Regions, RuleError};

pub use accounts::AccountStore;
pub use audit::{Anchor, ChainProblem, ChainReport, RetentionReport};
pub use deletion::DeletionReport;
pub use elsewhere::Elsewhere;
pub use gate::{AccessEntry, AccessGate, AccessLogFilter};
pub use import::{ImportMode, ImportReport, ImportRow, RowError};
pub use monitor_index::{MonitorIndex, MonitorView};
pub use projection::{MonitorRow, OccupancyRow, ProjectionSnapshot, WaitRow};
pub use search::{PersonCorrection, SearchHit, SearchKey, SearchResult};

/// An append command: one or more facts for one client, written atomically.
#[derive(Debug, Clone, PartialEq)]
pub struct AppendCommand {
    /// The client's stream.
    pub client: ClientId,
    /// `None`: the stream must not exist yet (a new client); `Some(v)`: the stream must be at
    /// version `v` (optimistic concurrency — two clerks at once).
    pub expected_version: Option<u32>,
    /// Makes a retried request harmless: the same key is never written twice.
    pub idempotency_key: Option<String>,
    /// The facts with their effective dates, in order.
    pub events: Vec<(Date, ClientEvent)>,
    /// The person record, required when the stream is new (and only then).
    pub person: Option<Person>,
}

/// What an append wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// Client.
    pub client: ClientId,
    /// Stream version after the append.
    pub version: u32,
    /// Global sequence numbers written (first..=last).
    pub first_seq: u64,
    /// Last sequence number written.
    pub last_seq: u64,
}

/// Everything about one client that a permitted reader may see.
#[derive(Debug, Clone)]
pub struct ClientRecord {
    /// The person (identity).
    pub person: Option<Person>,
    /// Current state.
    pub state: ClientState,
    /// The stream, in version order.
    pub events: Vec<RecordedEvent>,
}

/// People in care per gemeente of origin and product, and waiting list length, for one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RegionOverview {
    /// (gemeente of origin or "" for unregistered, product, people in care).
    pub in_care: Vec<(String, String, u64)>,
    /// (product, people waiting, longest wait in days).
    pub waiting: Vec<(String, u64, i64)>,
    /// Occupied and available places per location and product: (location, product, occupied).
    pub occupancy: Vec<(String, String, u64)>,
    /// Placements recorded as overbezetting, per location and product, with their reason:
    /// (location, product, reason), issue 12. Free text about a placement, so never in the
    /// JSON API (`skip`); the region page shows it to the region's own access team only.
    #[serde(skip)]
    pub overbezettingen: Vec<(String, String, String)>,
}

/// One entry of a region's waiting list (pseudonymous).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitlistEntry {
    /// Client.
    pub client: ClientId,
    /// Product.
    pub product: String,
    /// Since.
    pub since: Date,
    /// Priority.
    pub priority: u8,
    /// Gemeente of origin.
    pub herkomst: Option<String>,
}

/// One open deadline of a region's worklist (from the `deadlines` projection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineEntry {
    /// Client.
    pub client: ClientId,
    /// Task.
    pub task: vangnet_domain::worklist::Task,
    /// When it falls (fell) due.
    pub due: Date,
    /// What it is about, in Dutch.
    pub detail: String,
}

/// Everything that can go wrong in the store, with messages a clerk can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An event broke a domain rule; nothing was written.
    #[error("gebeurtenis {index}: {error}")]
    Rule {
        /// 0-based index of the event in the command.
        index: usize,
        /// The rule error (names the field).
        error: RuleError,
    },
    /// Optimistic concurrency failure: someone else wrote first.
    #[error("expected_version: de cliënt {client} is inmiddels gewijzigd (verwacht versie {}, huidige versie {actual}); laad het dossier opnieuw", expected.map_or("nieuw".to_owned(), |v| v.to_string()))]
    Conflict {
        /// Client.
        client: ClientId,
        /// What the command expected.
        expected: Option<u32>,
        /// The actual version (0 = no stream).
        actual: u32,
    },
    /// The idempotency key was already used for this very request: nothing new was written.
    #[error(
        "idempotency_key: dit verzoek ('{key}') is al verwerkt; er is niets opnieuw geschreven"
    )]
    Replay {
        /// The key.
        key: String,
        /// What the first request wrote.
        receipt: Receipt,
    },
    /// The idempotency key was already used for a *different* request.
    #[error("idempotency_key: de sleutel '{0}' is al gebruikt voor een ander verzoek")]
    KeyReused(String),
    /// The access gate refused; the refusal is logged.
    #[error("geen toegang: {0}")]
    Denied(String),
    /// No such client.
    #[error("cliënt {0} bestaat niet")]
    NotFound(ClientId),
    /// An account or API token with this id exists already (the message names it).
    #[error("{0}")]
    AccountConflict(String),
    /// No account or API token with this id (the message names it).
    #[error("{0}")]
    AccountNotFound(String),
    /// Person record problems (missing, not synthetic, duplicate BSN).
    #[error("{0}")]
    Person(String),
    /// Malformed command (e.g. no events).
    #[error("{0}")]
    Invalid(String),
    /// The stored data could not be read back or an internal step failed (a message only:
    /// no driver error behind it — those are [`StoreError::Database`]).
    #[error("database: {0}")]
    Backend(String),
    /// The database driver failed. The driver's error is kept as the source (logged, never
    /// shown); `kind` says whether trying again shortly can help.
    #[error("{}", kind.message())]
    Database {
        /// Temporary (busy, locked, connection, serialization) or not.
        kind: DatabaseFault,
        /// The driver's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// What kind of database failure a [`StoreError::Database`] is; decides the HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseFault {
    /// Busy or locked (SQLite), or the connection failed or a transaction could not be
    /// serialized (PostgreSQL): nothing was written, the same request may succeed shortly
    /// (HTTP 503 with `Retry-After`).
    Unavailable,
    /// Any other database failure (HTTP 500).
    Failed,
}

impl DatabaseFault {
    /// The Dutch message for users (no driver detail).
    pub fn message(self) -> &'static str {
        match self {
            DatabaseFault::Unavailable => {
                "de database is even bezet of niet bereikbaar; er is niets opgeslagen, probeer het zo opnieuw"
            }
            DatabaseFault::Failed => "databasefout",
        }
    }
}

impl StoreError {
    /// A driver error of `kind`, keeping `source`.
    pub fn database(
        kind: DatabaseFault,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> StoreError {
        StoreError::Database {
            kind,
            source: source.into(),
        }
    }

    /// Whether trying the same request again shortly may succeed (busy, locked, connection).
    pub fn is_temporary(&self) -> bool {
        matches!(
            self,
            StoreError::Database {
                kind: DatabaseFault::Unavailable,
                ..
            }
        )
    }

    /// This error with its chain of sources, `": "`-separated and on one line, for logs and
    /// the command line (the driver's own text is often only "db error").
    pub fn detail(&self) -> String {
        let mut out = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            out.push_str(": ");
            out.push_str(&c.to_string());
            cause = c.source();
        }
        out.replace('\n', "; ")
    }
}

impl From<PersonError> for StoreError {
    fn from(e: PersonError) -> Self {
        StoreError::Person(e.to_string())
    }
}

/// Result alias.
pub type StoreResult<T> = Result<T, StoreError>;

/// Clients past their retention period: the total, and (client, phase key, last effective
/// date) of the first ones ([`Store::clients_past_retention`]).
pub type DueClients = (u64, Vec<(ClientId, String, Date)>);

/// Counts reported by a rebuild.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RebuildReport {
    /// Events read.
    pub events: u64,
    /// Client states written.
    pub clients: u64,
}

/// The event store. Implementations are synchronous; the web layer calls them from
/// blocking threads. Every method that touches client data takes an [`AccessGate`] and
/// writes its access-log entry in the same transaction.
pub trait Store: Send + Sync {
    /// Engine name (`sqlite` or `postgresql`).
    fn engine(&self) -> &'static str;

    /// The store's accounts, sessions and API tokens.
    fn accounts(&self) -> &dyn AccountStore;

    /// The region profiles this store validates against.
    fn regions(&self) -> &Regions;

    /// Append facts to one client's stream atomically, with optimistic concurrency and
    /// idempotency; projections are updated in the same transaction.
    fn append(&self, gate: &AccessGate, cmd: AppendCommand) -> StoreResult<Receipt>;

    /// Read one client's record.
    fn read_client(&self, gate: &AccessGate, client: ClientId) -> StoreResult<ClientRecord>;

    /// Find the client holding this BSN (duplicate detection at the front door); the
    /// lookup itself is access-logged when a client is found.
    fn find_by_bsn(
        &self,
        gate: &AccessGate,
        bsn: vangnet_domain::Bsn,
    ) -> StoreResult<Option<ClientId>>;

    /// A region's waiting list, pseudonymous, ordered by priority then date. Logged as one
    /// read per listed client.
    fn waitlist(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        limit: usize,
    ) -> StoreResult<Vec<WaitlistEntry>>;

    /// Aggregates for a region's overview page (no client data).
    fn overview(&self, region: &RegionId, on: Date) -> StoreResult<RegionOverview>;

    /// The region's monitor cells (no client data) for `measures`, every month up to and
    /// including `until` (`yyyymm`; stocks are net flows, so their running sum needs every
    /// earlier month), sorted by measure, month and the other keys. Served from the
    /// in-memory index ([`Store::monitor_view`]`.rows(until)`).
    fn monitor(
        &self,
        region: &RegionId,
        measures: &[vangnet_domain::monitor::Measure],
        until: u32,
    ) -> StoreResult<Vec<MonitorRow>> {
        Ok(self.monitor_view(region, measures)?.rows(until))
    }

    /// The region's monitor cells for `measures` (all months) as compact sorted arrays from
    /// the store's in-memory [`MonitorIndex`]: loaded from the `monitor` table on first use,
    /// kept current by this process's writes, reloaded when the log's
    /// [`Store::high_water_mark`] shows that another process wrote. No client data.
    fn monitor_view(
        &self,
        region: &RegionId,
        measures: &[vangnet_domain::monitor::Measure],
    ) -> StoreResult<MonitorView>;

    /// The log's high-water mark: the highest sequence number taken (0: empty log) — by an
    /// event or by a deletion ([`Store::delete_client_data`] takes one number, so the mark
    /// never falls when events go and no number is used twice). Every append, import and
    /// deletion raises it; an index lookup, unlike
    /// [`Store::event_count`]. Caches of derived figures key on it.
    fn high_water_mark(&self) -> StoreResult<u64>;

    /// Bulk import of events (system actor), validated row by row. In
    /// [`ImportMode::AllOrNothing`] any bad row leaves the store unchanged.
    fn import(
        &self,
        gate: &AccessGate,
        rows: &mut dyn Iterator<Item = Result<ImportRow, RowError>>,
        mode: ImportMode,
        progress: &dyn Fn(u64),
    ) -> StoreResult<ImportReport>;

    /// Register people in bulk (demo generator), system actor only.
    fn put_persons(&self, gate: &AccessGate, persons: &[(ClientId, Person)]) -> StoreResult<()>;

    /// Stream every event in log order to `sink`.
    fn export(
        &self,
        gate: &AccessGate,
        sink: &mut dyn FnMut(RecordedEvent) -> Result<(), String>,
    ) -> StoreResult<u64>;

    /// Rebuild every projection from the log, deterministically.
    fn rebuild(&self, progress: &dyn Fn(u64)) -> StoreResult<RebuildReport>;

    /// Rebuild only the monitor projection from the log (after a change of a monitor
    /// definition; the other projections are left alone): every stream is folded again for
    /// its contributions, the `monitor` table is replaced and the in-memory index dropped.
    fn rebuild_monitor(&self, progress: &dyn Fn(u64)) -> StoreResult<RebuildReport>;

    /// All projection rows, sorted, for comparing incremental and rebuilt projections.
    fn snapshot(&self) -> StoreResult<ProjectionSnapshot>;

    /// Number of events in the log.
    fn event_count(&self) -> StoreResult<u64>;

    /// The newest access-log entries matching `filter`, newest first (auditor only; the
    /// reading itself is logged).
    fn access_log_filtered(
        &self,
        gate: &AccessGate,
        filter: &AccessLogFilter,
    ) -> StoreResult<Vec<AccessEntry>>;

    /// The newest `limit` access-log entries (auditor only; the reading itself is logged).
    fn access_log(&self, gate: &AccessGate, limit: usize) -> StoreResult<Vec<AccessEntry>> {
        self.access_log_filtered(gate, &AccessLogFilter::newest(limit))
    }

    /// A client's own access overview (AVG inzage: who saw or changed the record, oldest
    /// first): every access-log row about `client`. Only the access team of the client's
    /// region (and the system) may ask ([`AccessGate::check_inzage`]); the reading itself
    /// is logged, refusals too. [`StoreError::NotFound`] for an unknown client.
    fn client_access_log(
        &self,
        gate: &AccessGate,
        client: ClientId,
    ) -> StoreResult<Vec<AccessEntry>>;

    /// Write one access-log row for bulk work `job` (e.g. `herbouwen`) before it runs, in the
    /// name of the person who started it ([`AccessGate::job`]); other actors are refused
    /// (and that is logged).
    fn log_job(&self, gate: &AccessGate, job: &str) -> StoreResult<()>;

    /// Verify the access log's hash chain from its first row (or the anchor retention left)
    /// to its end, against every anchor: the report names the first broken or missing row.
    /// Auditors and the system only; the verification is logged after it ran.
    fn verify_access_log(&self, gate: &AccessGate) -> StoreResult<ChainReport>;

    /// Write an anchor at the log's current head (system jobs only); `None` for an empty log.
    fn anchor_access_log(&self, gate: &AccessGate) -> StoreResult<Option<Anchor>>;

    /// Access-log retention: rows written before `cutoff` (RFC 3339) are past their period;
    /// they may go only up to and including the newest anchor before the first row that is
    /// not, so the remaining chain still verifies. With `execute`, deletes them (through the
    /// database's retention permit; the triggers refuse any other deletion) and records the
    /// deletion as a chained row ([`audit::RETENTION_ACTION`]). System jobs only.
    fn access_log_retention(
        &self,
        gate: &AccessGate,
        cutoff: &str,
        execute: bool,
    ) -> StoreResult<RetentionReport>;

    /// Clients whose record is past its retention period: refused or out of care, and no
    /// fact effective on or after `before`. Returns (client, phase key, last effective
    /// date), oldest first, at most `limit`, and the total. Nothing is deleted (that is
    /// [`Store::delete_client_data`], per client). System jobs only; logged as one bulk row.
    fn clients_past_retention(
        &self,
        gate: &AccessGate,
        before: Date,
        limit: usize,
    ) -> StoreResult<DueClients>;

    /// Delete everything the store holds about `client` — events, idempotency receipts,
    /// person, client state, deadlines, waiting-list row, occupancy — in one transaction,
    /// if it is past the client record's retention period on the store's today (re-checked
    /// inside the transaction; refused with [`StoreError::Denied`] otherwise). Only a system
    /// job started by a person ([`AccessGate::job`]), with `reason`. Writes one chained
    /// access-log row (action [`deletion::DELETION_ACTION`]); the log's rows about the
    /// client stay; the monitor's counts stay and the client's share is archived for
    /// rebuilds; the id is never reused. See [`deletion`].
    fn delete_client_data(
        &self,
        gate: &AccessGate,
        client: ClientId,
        reason: &str,
    ) -> StoreResult<DeletionReport>;

    /// The next free client id: one more than the highest id in the log, the person
    /// records and the deleted clients, read under the write lock. An append that races for the same id fails with
    /// [`StoreError::Conflict`] (expected a new stream) and may ask again.
    fn next_client_id(&self) -> StoreResult<ClientId>;

    /// The states of a region's clients in `phases` (worklist, placement candidates). Only
    /// the region's own access team (and the system) may ask ([`AccessGate::check_region`]);
    /// every state is still decided by the policy and refused ones are left out. One
    /// access-log row records the region-level read with the number of clients read.
    fn region_states(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        phases: &[vangnet_domain::state::Phase],
    ) -> StoreResult<Vec<ClientState>>;

    /// The states of the region's clients waiting for `product` (placement candidates).
    /// Only the region's own access team (and the system) may ask; every state is decided
    /// by the policy, refused ones are left out, and every listed client gets its own
    /// access-log row.
    fn waiting_for(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        product: &vangnet_domain::ProductCode,
    ) -> StoreResult<Vec<ClientState>>;

    /// A region's open deadlines due on or before `until`, most overdue first (by due date,
    /// then client), at most `limit`. Only the region's own access team (and the system) may
    /// ask; refused clients are left out; one access-log row per listed client.
    fn worklist(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        until: Date,
        limit: usize,
    ) -> StoreResult<Vec<DeadlineEntry>>;

    // --- feat/monitor: stands of agreed actions recorded in the app (migration 0009) ---

    /// Record a stand of a region's agreed action ([`acties::ActionStandRow`]; the engine
    /// sets `recorded_at`). Only the region's coordinator ([`acties::check`]): anyone else
    /// gets [`StoreError::Denied`] and nothing is written. Append-only.
    fn record_action_stand(
        &self,
        actor: &vangnet_domain::Actor,
        row: &acties::ActionStandRow,
    ) -> StoreResult<()>;

    /// Every stand recorded in the app for `region`'s actions, oldest first. Aggregate,
    /// non-client information: the web shows it to the monitor's audience.
    fn action_stands(&self, region: &RegionId) -> StoreResult<Vec<acties::ActionStandRow>>;

    // --- feat/edges (issue 13): tariffs a region entered (migration 0012) ---

    /// Record a tariff of `region` ([`tarieven`]): only an analyst of the region (or the
    /// system) — anyone else gets [`StoreError::Denied`]; checked on its own and, by the
    /// model, together with the region's stored tariffs (an overlap is
    /// [`StoreError::Invalid`] with the model's message). A repeated identical submit writes
    /// no row ([`tarieven::Vastlegging::AlVastgelegd`]). Every decision is one access-log row
    /// (action [`tarieven::ACTION`], no client) in the same transaction. Append-only.
    fn record_tariff(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        tarief: &vangnet_money::Tarief,
    ) -> StoreResult<tarieven::Vastlegging>;

    /// The tariffs recorded for `region`, oldest first, with who and when (the finance
    /// profile's tariffs are the model's, not here). Aggregate, non-client information.
    fn tariffs(&self, region: &RegionId) -> StoreResult<Vec<tarieven::StoredTarief>>;

    // --- feat/afspraken (issue 15): woningafspraken a region entered (migration 0019) ---

    /// Record a woningafspraak of `region` ([`woningafspraken`]): only the region's policy and
    /// team roles or the system — anyone else gets [`StoreError::Denied`]; checked by the
    /// pure model (bad input is [`StoreError::Rule`] with code and field). A repeated
    /// identical submit writes no row. Every decision is one access-log row (action
    /// [`woningafspraken::ACTION`], no client) in the same transaction. Append-only.
    fn record_woningafspraak(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        afspraak: &vangnet_domain::woningafspraken::Afspraak,
    ) -> StoreResult<woningafspraken::Vastlegging>;

    /// The woningafspraken entered for `region`, oldest first, with who and when (the
    /// profile's are [`woningafspraken::geldende`]'s first). Aggregate, non-client.
    fn woningafspraken(
        &self,
        region: &RegionId,
    ) -> StoreResult<Vec<woningafspraken::StoredAfspraak>>;

    /// Record how many of an agreement's homes went to other target groups
    /// ([`woningafspraken::decide_gebruik`]; migration 0020): the same roles as
    /// [`Store::record_woningafspraak`], checked by the pure model, a repeat writes nothing,
    /// every decision one access-log row ([`woningafspraken::ACTION_GEBRUIK`]). Append-only.
    fn record_ander_gebruik(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        gebruik: &vangnet_domain::woningafspraken::AnderGebruik,
    ) -> StoreResult<woningafspraken::Vastlegging>;

    /// The figures of other groups' use recorded for `region`, oldest first, with who and
    /// when. Aggregate, non-client.
    fn ander_gebruik(&self, region: &RegionId) -> StoreResult<Vec<woningafspraken::StoredGebruik>>;

    // --- feat/plaatsen (issue 14): places over time (migration 0013) ---

    /// Record a capacity period of `region` ([`plaatsen`]): only the region's access team,
    /// the location's own provider ([`vangnet_domain::access::may_record_capacity`]) or the
    /// system — anyone else gets [`StoreError::Denied`]; checked by the pure model together
    /// with the region's stored periods (an overlap is [`StoreError::Rule`] with code
    /// `capaciteit.overlap`). A repeated identical submit writes no row
    /// ([`plaatsen::Vastlegging::AlVastgelegd`]). Every decision is one access-log row (action
    /// [`plaatsen::ACTION_CAPACITEIT`], no client) in the same transaction. Append-only.
    fn record_capacity(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        p: &plaatsen::CapaciteitPeriode,
    ) -> StoreResult<plaatsen::Vastlegging>;

    /// The capacity periods recorded for `region`, oldest first, with who and when.
    /// Aggregate, non-client information.
    fn capacity_periods(&self, region: &RegionId) -> StoreResult<Vec<plaatsen::StoredPeriode>>;

    /// Report free places of a location of `region` (same rights, log row — action
    /// [`plaatsen::ACTION_MELDING`] — and idempotency as [`Store::record_capacity`]).
    fn report_free_place(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        m: &plaatsen::PlaatsMelding,
    ) -> StoreResult<plaatsen::Vastlegging>;

    /// The free-place reports of `region`, oldest first, with who and when.
    fn free_place_reports(&self, region: &RegionId) -> StoreResult<Vec<plaatsen::StoredMelding>>;

    /// The stand of places of every location × product of `region` on `on`
    /// ([`plaatsen::overview`]): capacity of the day, occupied (the stored occupancy counters:
    /// the state of today), reserved, blocked, free. Aggregate counts only: no names, no
    /// client ids leave the store (no gate; the web decides who sees which figures).
    fn place_overview(
        &self,
        region: &RegionId,
        on: Date,
    ) -> StoreResult<Vec<plaatsen::PlaatsStand>>;

    // ---- feat/werklijst (issue 12): the worklist page and the named waiting list ----

    /// One page of a region's worklist on `today`: the deadlines due by the horizon that
    /// pass `filter`, sorted and cut as it says, with the clients' names, the total and the
    /// counts per task over all pages ([`worklist::page`]). Only the region's own access
    /// team (and the system) may ask; refused clients are left out of list and counts; one
    /// access-log row per client on the page (the counts carry no client data).
    fn worklist_page(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        filter: &vangnet_domain::worklist::WorklistFilter,
        today: Date,
    ) -> StoreResult<vangnet_domain::worklist::WorklistPage>;

    /// feat/toegang (issue 14): the open front-door cases (aangemeld, toegewezen, wachtend —
    /// not those in care, which are the provider's) of the residents of `gemeente`
    /// (herkomst) in `region`, with their names — the wijkteam's list (`/wijkteam`), a page
    /// at a time (feat/portaal: 1,026 open cases in Dordrecht): positions `page` of the list
    /// in client-number order, and how many the list has (counted on the indexed columns
    /// of `client_state`). Only the clients shown are read, decided by the policy and logged
    /// ([`worklist::residents`]): one read row per client shown. An actor who may not read
    /// the gemeente's residents (a wijkteam of another gemeente) gets `Denied` and the
    /// refusal logged ([`worklist::RESIDENTS_ACTION`]) before anything is counted.
    fn resident_cases(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        gemeente: vangnet_domain::GemeenteCode,
        page: std::ops::Range<usize>,
    ) -> StoreResult<worklist::ResidentCases>;

    /// [`Store::waiting_for`] with each client's name (`None` when the store holds no
    /// person): the product's waiting list on the waiting-list page. Same gate and log.
    fn waiting_for_named(
        &self,
        gate: &AccessGate,
        region: &RegionId,
        product: &vangnet_domain::ProductCode,
    ) -> StoreResult<Vec<(ClientState, Option<String>)>>;

    // --- feat/portaal (issue 14): a provider's clients (migration 0014) ---

    /// The clients that are provider `agb`'s business — its allocation, its care, an open
    /// proposal for its place, a temporary stay with it or its open request
    /// ([`projection::provider_rows`]) — each with its person's name. Only that provider
    /// itself (and the system) may ask; anyone else gets [`StoreError::Denied`] and one
    /// refused row ([`aanbieder::ACTION`]). Every client is decided at the gate: refused
    /// ones are left out, each listed one gets its own read row.
    fn provider_clients(
        &self,
        gate: &AccessGate,
        agb: vangnet_domain::AgbCode,
    ) -> StoreResult<Vec<(ClientState, Option<String>)>> {
        self.provider_clients_at(gate, agb, None, &aanbieder::Shown::all())
            .map(aanbieder::ProviderClients::into_named)
    }

    /// [`Store::provider_clients`] narrowed to one of its locations (`Some`): only the
    /// clients in care, proposed or on a temporary stay there are decided; and to what a page
    /// `shown` ([`aanbieder::Shown`]): only those are read, returned and logged; the list is
    /// counted and the page selected on the `client_provider` projection's columns
    /// (migration 0016), so the states of the clients not shown are never read.
    fn provider_clients_at(
        &self,
        gate: &AccessGate,
        agb: vangnet_domain::AgbCode,
        locatie: Option<&vangnet_domain::LocationId>,
        shown: &aanbieder::Shown,
    ) -> StoreResult<aanbieder::ProviderClients>;

    // --- feat/corporatie (issue 15): a corporation's housing candidates (migration 0018) ---

    /// A page (`page`: positions in the list) of corporation `id`'s housing candidates on
    /// `today` — the candidates ([`vangnet_domain::ClientState::woon_kandidaat`]) of the
    /// regions listing `id` whose preferred gemeente (without a housing need: gemeente of
    /// origin; or the running offer's) is in its werkgebied, `filter` applied, longest ready
    /// first — and how many there are. Selected and counted on the projection
    /// `woon_kandidaat`; only the page's states are read, each one `lezen_wonen` decision at
    /// the gate (logged). Only that corporation itself (and the system) may ask; anyone else
    /// gets [`StoreError::Denied`] and one refused row ([`wonen::ACTION`]).
    fn woon_kandidaten(
        &self,
        gate: &AccessGate,
        id: &str,
        filter: &wonen::Filter,
        page: std::ops::Range<usize>,
        today: vangnet_domain::Date,
    ) -> StoreResult<wonen::Kandidaten>;

    /// One candidate of corporation `id` on `today` ([`wonen::one`]): refused — and logged —
    /// when the client is not a candidate in its werkgebied, or does not exist (one answer).
    fn woon_kandidaat(
        &self,
        gate: &AccessGate,
        id: &str,
        client: ClientId,
        today: vangnet_domain::Date,
    ) -> StoreResult<wonen::WoonKandidaat>;

    // --- feat/zoeken (issue 12): finding people, correcting the person record ---

    /// Find clients by `key` ([`search`]): only those the actor may read, by client number,
    /// at most `limit` (and whether there were more). Only roles that may search
    /// ([`vangnet_domain::access::may_search_clients`]); one access-log row for the search
    /// (action `zoeken`, the kind of key, never the BSN) — also without a result — and one
    /// read row per listed client; a refused role gets one refused row.
    fn search_clients(
        &self,
        gate: &AccessGate,
        key: &SearchKey,
        limit: usize,
    ) -> StoreResult<SearchResult>;

    /// Correct the person record (name, birth date) of `client` with a reason
    /// ([`AccessGate::check_person_correction`]: the access team of the client's region or a
    /// wijkteam for its own resident), logged with the reason; returns the corrected person.
    fn correct_person(
        &self,
        gate: &AccessGate,
        client: ClientId,
        correction: &PersonCorrection,
    ) -> StoreResult<Person>;

    /// The record under another region (or organisation) holding `bsn`, for a new
    /// aanmelding `probe` (first fact) the actor may register
    /// ([`AccessGate::check_elsewhere`], logged, refusals too): `None` when the BSN is not
    /// known; otherwise the record's region, and for an open case there the rule's refusal
    /// with the region to contact ([`Elsewhere::lopend`]).
    fn find_elsewhere(
        &self,
        gate: &AccessGate,
        bsn: vangnet_domain::Bsn,
        probe: &AppendCommand,
    ) -> StoreResult<Option<Elsewhere>>;

    // --- feat/capacity (issue 12): as-of-date state -------------------------------------

    /// Let planned facts take effect (issue 12): re-fold, as of `today`, every client whose
    /// stored state has a planned fact dated on or before `today`
    /// ([`vangnet_domain::state::ClientState::volgende_gepland`], column `next_change`), and
    /// rewrite its projections (client state, occupancy, waiting list, deadlines) in one
    /// write transaction. The monitor is not touched: it counts every fact in its own month
    /// from the moment it is recorded. Projection maintenance like [`Store::rebuild`]: no
    /// client data leaves the store, so no access-log row. Returns the number of clients
    /// re-folded. Called by the web server at start and every minute, and by tests with a
    /// later `today` to pass a day boundary.
    fn refresh_planned(&self, today: Date) -> StoreResult<u64>;

    // --- feat/brief: decision letters (migration 0008, `letters`) ----------------------------

    /// Store the letter for one decision unless one is stored already, and return the stored
    /// one (the first produced stays, whatever the template says later). A letter is derived
    /// from the record, like a projection: whoever may read the record
    /// ([`vangnet_domain::access::Action::Read`]) may have its letter produced; logged with
    /// the gate's purpose ("besluitbrief opstellen").
    fn store_letter(
        &self,
        gate: &AccessGate,
        letter: letters::NewLetter,
    ) -> StoreResult<letters::StoredLetter>;

    /// The stored letter of `client`'s decision `version`, its PDF checked against its hash
    /// (`None`: none produced yet). Needs the right to read the record; logged
    /// ("besluitbrief inzien").
    fn letter(
        &self,
        gate: &AccessGate,
        client: ClientId,
        version: u32,
    ) -> StoreResult<Option<letters::StoredLetter>>;

    /// The letters stored for `client`, oldest first (the dossier's "Brieven"). Needs the
    /// right to read the record; logged.
    fn letters(
        &self,
        gate: &AccessGate,
        client: ClientId,
    ) -> StoreResult<Vec<letters::LetterSummary>>;
}
