//! The monitor's cells for the pages: read from the store once per change of the log and
//! cached per region ([`load`]). Everything computed from them — sections, suppression,
//! definitions, the quarterly report — is in [`vangnet_publish::monitor`] (re-exported here);
//! the pages and handlers are in `monitor_pages`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use vangnet_domain::monitor::Measure;
use vangnet_domain::region::RegionProfile;
use vangnet_store::{MonitorRow, Store, StoreResult};

pub use vangnet_publish::monitor::*;

/// The store's rows as the publication's input (borrowed; rows of an unknown measure, from
/// a newer version, are skipped).
pub fn data_from_rows(profile: &RegionProfile, rows: &[MonitorRow]) -> Data {
    Data::from_cells(
        profile,
        rows.iter().filter_map(|r| {
            Some(CellCount {
                measure: Measure::parse(&r.measure)?,
                maand: r.maand,
                product: &r.product,
                gemeente: &r.gemeente,
                locatie: &r.locatie,
                extra: r.extra,
                n: r.n,
            })
        }),
    )
}

/// The storage key after every month: `load` reads all of a region's months.
const LAATSTE_SLEUTEL: u32 = 999_912;

type CacheKey = (usize, String);
type Slot = Arc<Mutex<Option<(u64, Arc<Data>)>>>;

/// Loaded cells per (store, region), with the log's high-water mark they were read at. One slot per
/// region, locked while it loads, so concurrent requests after an append read once.
fn cache() -> &'static Mutex<HashMap<CacheKey, Slot>> {
    static CACHE: OnceLock<Mutex<HashMap<CacheKey, Slot>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The measures the pages use, in two groups of about equal size (cells in a demo region),
/// read side by side. `dagen_tot_start` is not shown anywhere and not read.
const GELADEN: [&[Measure]; 2] = [
    &[
        Measure::DagenTotBesluit,
        Measure::Uitstroom,
        Measure::InZorgWpb,
        Measure::Instroom,
        Measure::Toewijzing,
        Measure::MoPersonen,
        Measure::Wachtend,
        Measure::MoHerhaald,
        Measure::WachtendBovenNorm,
        Measure::MoLangerDan3,
        // Issue 15: the sections "Uitstroom naar wonen" and its spreiding.
        Measure::WoonKandidaat,
        Measure::WoningAanbod,
        Measure::AanbodAkkoord,
    ],
    &[
        Measure::Verblijfsduur,
        Measure::InZorg,
        Measure::DagenBesluitStart,
        Measure::Wachttijd,
        Measure::Aanmelding,
        Measure::MoNachten,
        Measure::WachtOpWoning,
        Measure::Doorstroom,
        Measure::MoPersonenJaar,
        Measure::WlzOvergang,
        Measure::Afwijzing,
        Measure::Overbezetting,
        Measure::AanbodGeweigerd,
        Measure::Huurovereenkomst,
        Measure::UitstroomWoning,
        Measure::WachttijdWoning,
    ],
];

/// Every monitor cell of the region that a page shows, read once per change of the log: the
/// cache is keyed on the store (its address) and the region, and checked against the log's
/// high-water mark ([`Store::high_water_mark`], an index lookup), which every append raises.
/// The cells come from the store's in-memory monitor index; turning a few hundred thousand
/// of them into rows is still the slow part, so the two halves are read in parallel.
pub fn load(store: &Arc<dyn Store>, profile: &RegionProfile) -> StoreResult<Arc<Data>> {
    let key: CacheKey = (
        Arc::as_ptr(store) as *const () as usize,
        profile.id.to_string(),
    );
    let slot = Arc::clone(
        cache()
            .lock()
            .expect("monitor cache")
            .entry(key)
            .or_default(),
    );
    let mut slot = slot.lock().expect("monitor cache slot");
    let count = store.high_water_mark()?;
    if let Some((n, d)) = slot.as_ref()
        && *n == count
    {
        return Ok(Arc::clone(d));
    }
    let read = |ms: &[Measure]| store.monitor(&profile.id, ms, LAATSTE_SLEUTEL);
    let (a, b) = std::thread::scope(|s| {
        let h = s.spawn(|| read(GELADEN[0]));
        let b = read(GELADEN[1]);
        (h.join().expect("monitor reader"), b)
    });
    let mut rows = a?;
    rows.extend(b?);
    let data = Arc::new(data_from_rows(profile, &rows));
    *slot = Some((count, Arc::clone(&data)));
    Ok(data)
}
