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
    /// The date of the earliest planned fact (`JJJJ-MM-DD`), when there is one (issue 12).
    pub next_change: Option<String>,
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
        next_change: s.volgende_gepland.map(|d| d.to_string()),
    }
}

/// The overbezetting reason in a stored state's JSON, if its care was placed as one
/// (issue 12; the region page's occupancy).
pub fn overbezetting_of(state_json: &str) -> Option<String> {
    serde_json::from_str::<ClientState>(state_json)
        .ok()
        .and_then(|s| s.zorg.and_then(|z| z.overbezetting))
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

/// One row of `client_provider` (issue 14, feat/portaal; table of migration 0014, the columns
/// after the key of migration 0016): a provider whose business this client is, with what the
/// portal needs to decide, count, narrow to a location and pick what needs attention on
/// indexed columns — without reading the stored state (BENCHMARKS.md, `plaatsen-bench`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProviderRow {
    /// The provider's AGB code.
    pub agb: String,
    /// Client.
    pub client: u64,
    /// Whether the access policy lets this provider read the client
    /// (`access::decide` for a zorgaanbieder: the provider is in [`crate::gate::scope_of`]).
    /// `false` only for the provider of a temporary stay that outlived the care.
    pub leest: bool,
    /// Location of the running care (any provider's).
    pub zorg_locatie: Option<String>,
    /// Location of the proposal (open, accepted or lapsed).
    pub voorstel_locatie: Option<String>,
    /// Location of the latest temporary stay.
    pub tijdelijk_locatie: Option<String>,
    /// `geldig_tot` of a proposal to this provider it has not answered (ISO date).
    pub voorstel_tot: Option<String>,
    /// This provider has an open request (verzoek) for the client.
    pub verzoek: bool,
    /// The earliest due date of a task that is the provider's business
    /// ([`crate::aanbieder::provider_task`]; ISO date).
    pub taak_tot: Option<String>,
}

/// The providers (AGB codes, sorted, once each) whose business this client is (issue 14,
/// feat/portaal; table `client_provider`, migrations 0014 and 0016): the provider of the
/// allocation, of the running care, of the open proposal's location, of the latest
/// temporary stay and every provider with an open request — each row with the columns the
/// portal counts and selects on ([`ProviderRow`]). [`crate::Store::provider_clients_at`]
/// reads the provider's rows; the gate still decides each client shown.
pub fn provider_rows(s: &ClientState, regions: &Regions) -> Vec<ProviderRow> {
    let mut agbs: Vec<vangnet_domain::AgbCode> = Vec::new();
    agbs.extend(s.toewijzing().and_then(|t| t.4));
    agbs.extend(s.zorg.as_ref().map(|z| z.aanbieder));
    agbs.extend(s.voorstel.as_ref().map(|v| v.aanbieder));
    agbs.extend(s.tijdelijk.as_ref().map(|t| t.aanbieder));
    agbs.extend(s.verzoeken.iter().map(|v| v.aanbieder));
    agbs.sort_unstable();
    agbs.dedup();
    if agbs.is_empty() {
        return Vec::new();
    }
    let readers = crate::gate::scope_of(s).aanbieders;
    let taak_tot = crate::aanbieder::earliest_task(s, regions).map(|d| d.to_string());
    agbs.into_iter()
        .map(|a| ProviderRow {
            agb: a.to_string(),
            client: s.client.0,
            leest: readers.contains(&a),
            zorg_locatie: s.zorg.as_ref().map(|z| z.locatie.to_string()),
            voorstel_locatie: s.voorstel.as_ref().map(|v| v.locatie.to_string()),
            tijdelijk_locatie: s.tijdelijk.as_ref().map(|t| t.locatie.to_string()),
            voorstel_tot: s
                .voorstel
                .as_ref()
                .filter(|v| v.aanbieder == a && v.akkoord.is_none())
                .map(|v| v.geldig_tot.to_string()),
            verzoek: s.verzoeken.iter().any(|v| v.aanbieder == a),
            taak_tot: taak_tot.clone(),
        })
        .collect()
}

/// The queries both engines run for a [`ProjectionSnapshot`], one per field, each sorted so
/// that equal projections give equal snapshots.
pub mod snapshot_sql {
    /// `clients`: (client id, state JSON).
    pub const CLIENTS: &str = "SELECT client_id, state FROM client_state ORDER BY client_id";
    /// `occupancy`: [`super::OccupancyRow`] columns.
    pub const OCCUPANCY: &str = "SELECT region, location, product, clients FROM occupancy WHERE clients <> 0 ORDER BY 1, 2, 3";
    /// `waiting`: [`super::WaitRow`] columns.
    pub const WAITING: &str =
        "SELECT client_id, region, product, since, priority FROM waitlist ORDER BY client_id";
    /// `deadlines`: [`super::DeadlineRow`] columns.
    pub const DEADLINES: &str = "SELECT client_id, task, due, region, detail FROM deadlines ORDER BY client_id, task, due, region, detail";
    /// `providers`: [`super::ProviderRow`] columns of `client_provider` (issue 14).
    pub const PROVIDERS: &str = "SELECT agb, client_id, leest, zorg_locatie, voorstel_locatie, tijdelijk_locatie, voorstel_tot, verzoek, taak_tot FROM client_provider ORDER BY 1, 2";
    /// `kandidaten`: the columns of `woon_kandidaat` (issue 15), sorted.
    pub const KANDIDATEN: &str = "SELECT gemeente, client_id, regio, vanaf, klaar, woningtype, route, aanbod FROM woon_kandidaat ORDER BY 1, 2";
    /// `monitor`: [`super::MonitorRow`] columns.
    pub const MONITOR: &str = "SELECT region, measure, maand, product, gemeente, locatie, extra, n FROM monitor WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7";
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
    /// The rows of `client_provider`, sorted by (provider AGB, client) (issue 14,
    /// [`provider_rows`]).
    pub providers: Vec<ProviderRow>,
    /// The rows of `woon_kandidaat` (issue 15, [`crate::wonen::kandidaat_rows`]), each as
    /// `gemeente|client|regio|vanaf|klaar|woningtype|route|aanbod`, sorted.
    pub kandidaten: Vec<String>,
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

/// The `gemeente` key of a monitor cell as text without allocating: `""` or `GMdddd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GemeenteKey([u8; 6]);

impl GemeenteKey {
    /// From the CBS number (0: not registered / unknown).
    pub fn new(number: u16) -> GemeenteKey {
        if number == 0 {
            return GemeenteKey([0; 6]);
        }
        let n = number.min(9999);
        let d = |k: u16| b'0' + ((n / k) % 10) as u8;
        GemeenteKey([b'G', b'M', d(1000), d(100), d(10), d(1)])
    }

    /// The stored text.
    pub fn as_str(&self) -> &str {
        if self.0[0] == 0 {
            ""
        } else {
            std::str::from_utf8(&self.0).expect("ASCII")
        }
    }
}

/// A monitor delta to write: the stored form of one cell with keys borrowed from the
/// region profiles (no allocation per cell). [`monitor_deltas`] makes them from a tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonitorDelta<'a> {
    /// Region id.
    pub region: &'a str,
    /// Measure key.
    pub measure: &'static str,
    /// `yyyymm` (or `yyyy00`).
    pub maand: u32,
    /// Product code ("" for none).
    pub product: &'a str,
    /// Gemeente.
    pub gemeente: GemeenteKey,
    /// Location id ("" for none).
    pub locatie: &'a str,
    /// Measure-specific number.
    pub extra: u32,
    /// Amount to add.
    pub n: i64,
}

/// Ranks of text keys, so that cells sort in the table's (text) key order by integers.
fn ranks<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<u16> {
    let keys: Vec<&str> = keys.collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|i| keys[*i]);
    let mut rank = vec![0u16; keys.len()];
    for (r, i) in order.into_iter().enumerate() {
        rank[i] = r as u16;
    }
    rank
}

/// A tally's non-zero cells in their stored form, sorted in the table's key order (region,
/// measure, maand, product, gemeente, locatie, extra — as text), so bulk writes append to
/// the b-tree and concurrent writers take locks in one order. Sorting uses integer ranks of
/// the text keys, and the keys are borrowed: no allocation per cell.
pub fn monitor_deltas<'r>(
    tally: &vangnet_domain::monitor::Tally,
    regions: &'r Regions,
) -> Vec<MonitorDelta<'r>> {
    use vangnet_domain::monitor::Measure;
    let profiles = regions.all();
    let region_rank = ranks(profiles.iter().map(|p| p.id.as_str()));
    let product_rank: Vec<Vec<u16>> = profiles
        .iter()
        .map(|p| ranks(p.products.iter().map(|x| x.code.as_str())))
        .collect();
    let location_rank: Vec<Vec<u16>> = profiles
        .iter()
        .map(|p| ranks(p.locations.iter().map(|x| x.id.as_str())))
        .collect();
    let measure_rank = ranks(Measure::ALL.iter().map(|m| m.key()));
    let measure_ix = |m: Measure| Measure::ALL.iter().position(|x| *x == m).expect("listed");
    // Index 0 is "" (none), before every code; the others by their text's rank.
    let opt_rank = |ranks: &[u16], ix: u16| match ix {
        0 => 0u64,
        i => u64::from(ranks[i as usize - 1]) + 1,
    };
    let mut keyed: Vec<(u128, vangnet_domain::monitor::Cell, i64)> = tally
        .nonzero()
        .map(|(c, n)| {
            let r = c.regio as usize;
            let hi = (u64::from(region_rank[r]) << 48)
                | ((measure_rank[measure_ix(c.measure)] as u64) << 40)
                | (u64::from(c.maand) << 8);
            let lo = (opt_rank(&product_rank[r], c.product) << 48)
                | (u64::from(c.gemeente) << 32)
                | (opt_rank(&location_rank[r], c.locatie) << 16);
            let key = (u128::from(hi) << 64) | u128::from(lo);
            (key, *c, n)
        })
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.extra.cmp(&b.1.extra)));
    keyed
        .into_iter()
        .map(|(_, c, n)| {
            let p = &profiles[c.regio as usize];
            MonitorDelta {
                region: p.id.as_str(),
                measure: c.measure.key(),
                maand: c.maand,
                product: match c.product {
                    0 => "",
                    i => p.products[i as usize - 1].code.as_str(),
                },
                gemeente: GemeenteKey::new(c.gemeente),
                locatie: match c.locatie {
                    0 => "",
                    i => p.locations[i as usize - 1].id.as_str(),
                },
                extra: c.extra,
                n,
            }
        })
        .collect()
}

/// The stored rows of a tally's non-zero cells, sorted (owned form of [`monitor_deltas`]).
pub fn monitor_rows(tally: &vangnet_domain::monitor::Tally, regions: &Regions) -> Vec<MonitorRow> {
    monitor_deltas(tally, regions)
        .into_iter()
        .map(|d| MonitorRow {
            region: d.region.to_owned(),
            measure: d.measure.to_owned(),
            maand: d.maand,
            product: d.product.to_owned(),
            gemeente: d.gemeente.as_str().to_owned(),
            locatie: d.locatie.to_owned(),
            extra: d.extra,
            n: d.n,
        })
        .collect()
}

/// One `woon_kandidaat` row as the snapshot holds it (issue 15).
#[allow(clippy::too_many_arguments)]
pub fn kandidaat_text(
    gemeente: &str,
    client: u64,
    regio: &str,
    vanaf: &str,
    klaar: &str,
    woningtype: Option<&str>,
    route: Option<&str>,
    aanbod: Option<&str>,
) -> String {
    format!(
        "{gemeente}|{client}|{regio}|{vanaf}|{klaar}|{}|{}|{}",
        woningtype.unwrap_or(""),
        route.unwrap_or(""),
        aanbod.unwrap_or("")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::monitor::{Cell, Measure, Tally};

    #[test]
    fn deltas_are_sorted_like_the_stored_rows() {
        let regions = Regions::builtin();
        let mut tally = Tally::new();
        let mut rng = vangnet_domain::rng::Rng::new(7);
        for _ in 0..5000 {
            let r = rng.below(regions.all().len() as u64) as usize;
            let p = &regions.all()[r];
            tally.add(
                Cell {
                    regio: r as u16,
                    maand: vangnet_domain::Maand::new(2020, 1)
                        .expect("month")
                        .plus(rng.below(36) as i32)
                        .key(),
                    measure: Measure::ALL[rng.below(22) as usize],
                    product: rng.below(p.products.len() as u64 + 1) as u16,
                    gemeente: [0u16, 202, 1955, 34, 9999][rng.below(5) as usize],
                    locatie: rng.below(p.locations.len() as u64 + 1) as u16,
                    extra: rng.below(40) as u32,
                },
                1 + rng.below(3) as i64,
            );
        }
        let rows = monitor_rows(&tally, &regions);
        let mut sorted = rows.clone();
        sorted.sort();
        assert_eq!(rows, sorted);
        assert_eq!(GemeenteKey::new(202).as_str(), "GM0202");
        assert_eq!(GemeenteKey::new(0).as_str(), "");
        let old: Vec<_> = tally
            .nonzero()
            .map(|(c, n)| {
                let r = c.row(&regions);
                (
                    r.regio,
                    r.measure.to_owned(),
                    r.maand,
                    r.product,
                    r.gemeente,
                    r.locatie,
                    r.extra,
                    n,
                )
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let new: Vec<_> = rows
            .into_iter()
            .map(|r| {
                (
                    r.region, r.measure, r.maand, r.product, r.gemeente, r.locatie, r.extra, r.n,
                )
            })
            .collect();
        assert_eq!(old, new);
    }
}
