//! The money's volumes read from the store (issue 13): [`money_volumes`] asks
//! [`Store::monitor`] for the region's [`vangnet_money::volume::MONEY_MEASURES`] and turns the
//! rows into [`Volume`]s with [`vangnet_money::volume::from_rows`] — one path for the web's
//! money pages, `vangnet geld` and the benchmark, on every engine.

use vangnet_domain::hash::FastHashMap;
use vangnet_domain::monitor::day_part;
use vangnet_domain::{Maand, RegionId, RegionProfile};
use vangnet_money::volume::{DayRow, MONEY_MEASURES, Volume, from_rows};
use vangnet_money::{FinanceProfile, GeldError};

use crate::tarieven::{StoredTarief, all_tariffs};
use crate::{Store, StoreError};

/// Why the volumes could not be read: the store, or the model's reading of its rows (a
/// damaged projection or a profile that no longer names a stored product or location).
#[derive(Debug, thiserror::Error)]
pub enum VolumesError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The rows could not be read as volumes (Dutch message with the measure and month).
    #[error(transparent)]
    Geld(#[from] GeldError),
}

/// The finance profile of `p` as everything prices with it — the money pages, `vangnet geld`
/// and the benchmark: the embedded `regions/geld/<regio>.toml` with the tariffs the region
/// entered taking over from the profile's for their own months ([`all_tariffs`]); with the
/// stored tariffs themselves (who entered them, when) for the tariff table. A region without a
/// finance profile is the model error `profiel.ontbreekt`.
pub fn priced_profile(
    store: &dyn Store,
    p: &RegionProfile,
) -> Result<(FinanceProfile, Vec<StoredTarief>), VolumesError> {
    let mut fin = FinanceProfile::builtin(p).ok_or_else(|| {
        GeldError::new(
            "profiel.ontbreekt",
            format!(
                "Voor {} is er geen financieel profiel (regions/geld/{}.toml).",
                p.name, p.id
            ),
        )
    })??;
    let stored = store.tariffs(&p.id)?;
    fin.tarieven = all_tariffs(p, fin.tarieven.items(), &stored)?;
    Ok((fin, stored))
}

/// The volumes of `region` for the months `from ..= until` under the three attributions
/// (aggregates only: no client data, no access-log row, as the monitor).
///
/// Read from the store's in-memory monitor index ([`Store::monitor_view`]: compact cells,
/// no text per row). The day measures are net flows whose days need every earlier month;
/// the months before `from` are collapsed into one cell per key in the month before `from`
/// holding the running `stand` (its `deel` does not count there), so `from_rows` reads about
/// the asked months per key instead of every month since the first — the same volumes
/// (tested against `from_rows` over [`Store::monitor`]'s full rows). A running stand below
/// zero at that month is still the model's `volume.negatief`.
pub fn money_volumes(
    store: &dyn Store,
    region: &RegionId,
    from: Maand,
    until: Maand,
) -> Result<Vec<Volume>, VolumesError> {
    let profile = store
        .regions()
        .get(region)
        .ok_or_else(|| StoreError::Invalid(format!("regio: '{region}' bestaat niet")))?
        .clone();
    let view = store.monitor_view(region, &MONEY_MEASURES)?;
    let (lo, hi) = (from.key(), until.key());
    let before = from.plus(-1).key();
    let mut carry: FastHashMap<(usize, u32, u32, u32, u32), i64> = FastHashMap::default();
    let mut rows: Vec<DayRow<'_>> = Vec::new();
    for (i, m) in view.measures.iter().enumerate() {
        let key = m.measure.key();
        for c in m.until(hi) {
            if c.maand < lo {
                // Only the day measures' stands matter before `from` (from_rows reads the
                // other measures from `from` on).
                if m.measure.is_day_count() && !day_part(c.extra).1 {
                    *carry
                        .entry((i, c.product, c.gemeente, c.locatie, c.extra))
                        .or_default() += c.n;
                }
                continue;
            }
            rows.push(DayRow {
                measure: key,
                maand: c.maand,
                product: view.dict.name(c.product),
                gemeente: view.dict.name(c.gemeente),
                locatie: view.dict.name(c.locatie),
                extra: c.extra,
                n: c.n,
            });
        }
    }
    rows.extend(carry.into_iter().filter(|(_, n)| *n != 0).map(
        |((i, product, gemeente, locatie, extra), n)| DayRow {
            measure: view.measures[i].measure.key(),
            maand: before,
            product: view.dict.name(product),
            gemeente: view.dict.name(gemeente),
            locatie: view.dict.name(locatie),
            extra,
            n,
        },
    ));
    Ok(from_rows(&profile, rows, from, until)?)
}
