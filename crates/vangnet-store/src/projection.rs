//! Projection rows derived from a client state. Engines store these; both the incremental
//! path (on append) and the rebuild path call the same functions, so they cannot diverge
//! except through the fold itself — which is what the rebuild test checks.

use serde::Serialize;
use vangnet_domain::state::ClientState;
use vangnet_domain::{ClientId, Regions};

/// The `client_state` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRow {
    /// Client.
    pub client: ClientId,
    /// Region.
    pub region: String,
    /// Stream version.
    pub version: u32,
    /// Phase key.
    pub phase: &'static str,
    /// Gemeente of origin.
    pub herkomst: Option<String>,
    /// Product in care (or allocated).
    pub product: Option<String>,
    /// Location in care.
    pub location: Option<String>,
    /// Provider in care.
    pub provider: Option<String>,
    /// The whole state as JSON.
    pub state_json: String,
}

/// Build the `client_state` row.
pub fn client_row(s: &ClientState) -> ClientRow {
    ClientRow {
        client: s.client,
        region: s.regio.to_string(),
        version: s.version,
        phase: s.phase().key(),
        herkomst: s.herkomst.map(|g| g.to_string()),
        product: s
            .zorg
            .as_ref()
            .map(|z| z.product.to_string())
            .or_else(|| s.toewijzing().map(|t| t.0.to_string())),
        location: s.zorg.as_ref().map(|z| z.locatie.to_string()),
        provider: s.zorg.as_ref().map(|z| z.aanbieder.to_string()),
        state_json: serde_json::to_string(s).expect("state serializes"),
    }
}

/// Key of the occupancy counter a client in care counts towards: (region, location, product).
pub type OccupancyKey = (String, String, String);

/// The occupancy counter this state counts towards, if in care.
pub fn occupancy_key(s: &ClientState) -> Option<OccupancyKey> {
    s.zorg.as_ref().map(|z| {
        (
            s.regio.to_string(),
            z.locatie.to_string(),
            z.product.to_string(),
        )
    })
}

/// One occupancy counter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct OccupancyRow {
    /// Region.
    pub region: String,
    /// Location.
    pub location: String,
    /// Product.
    pub product: String,
    /// Clients in care.
    pub clients: i64,
}

/// One waiting-list row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct WaitRow {
    /// Client.
    pub client: u64,
    /// Region.
    pub region: String,
    /// Product.
    pub product: String,
    /// Since (ISO date).
    pub since: String,
    /// Priority.
    pub priority: i64,
}

/// The waiting-list row for this state, if waiting.
pub fn wait_row(s: &ClientState) -> Option<WaitRow> {
    s.wacht.as_ref().map(|w| WaitRow {
        client: s.client.0,
        region: s.regio.to_string(),
        product: w.product.to_string(),
        since: w.sinds.to_string(),
        priority: i64::from(w.prioriteit),
    })
}

/// One row of the `deadlines` projection (the worklist's source).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DeadlineRow {
    /// Client.
    pub client: u64,
    /// Task key ([`vangnet_domain::worklist::Task::key`]).
    pub task: String,
    /// Due (ISO date).
    pub due: String,
    /// Region.
    pub region: String,
    /// What it is about, in Dutch.
    pub detail: String,
}

/// The deadline rows of this state (none when its region has no profile here).
pub fn deadline_rows(s: &ClientState, regions: &Regions) -> Vec<DeadlineRow> {
    let Some(profile) = regions.get(&s.regio) else {
        return Vec::new();
    };
    vangnet_domain::worklist::deadlines_of(s, profile)
        .into_iter()
        .map(|(task, due, detail)| DeadlineRow {
            client: s.client.0,
            task: task.key().to_owned(),
            due: due.to_string(),
            region: s.regio.to_string(),
            detail,
        })
        .collect()
}

/// Every projection row, sorted: what rebuild must reproduce exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectionSnapshot {
    /// (client, state JSON), by client.
    pub clients: Vec<(u64, String)>,
    /// Occupancy counters with clients > 0, sorted.
    pub occupancy: Vec<OccupancyRow>,
    /// Waiting list, sorted by client.
    pub waiting: Vec<WaitRow>,
    /// Deadlines, sorted by client, task, due.
    pub deadlines: Vec<DeadlineRow>,
    /// Monitor cells with n ≠ 0, sorted by key.
    pub monitor: Vec<MonitorRow>,
}

/// One stored monitor cell (see `vangnet_domain::monitor`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MonitorRow {
    /// Region id.
    pub region: String,
    /// Measure key.
    pub measure: String,
    /// `yyyymm` (or `yyyy00` for yearly measures).
    pub maand: u32,
    /// Product code ("" for none).
    pub product: String,
    /// `GMdddd` ("" for not registered / unknown).
    pub gemeente: String,
    /// Location id ("" for none).
    pub locatie: String,
    /// Measure-specific number (leveringsvorm, destination, days, …).
    pub extra: u32,
    /// Count (a net flow for stocks).
    pub n: i64,
}

/// The stored rows of a tally's non-zero cells, sorted (so writes take locks in one order).
pub fn monitor_rows(tally: &vangnet_domain::monitor::Tally, regions: &Regions) -> Vec<MonitorRow> {
    let mut rows: Vec<MonitorRow> = tally
        .nonzero()
        .map(|(c, n)| {
            let r = c.row(regions);
            MonitorRow {
                region: r.regio,
                measure: r.measure.to_owned(),
                maand: r.maand,
                product: r.product,
                gemeente: r.gemeente,
                locatie: r.locatie,
                extra: r.extra,
                n,
            }
        })
        .collect();
    rows.sort();
    rows
}
