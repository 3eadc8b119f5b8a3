//! The money's volumes read from the store (issue 13): [`money_volumes`] asks
//! [`Store::monitor`] for the region's [`vangnet_money::volume::MONEY_MEASURES`] and turns the
//! rows into [`Volume`]s with [`vangnet_money::volume::from_rows`] — one path for the web's
//! money pages, `vangnet geld` and the benchmark, on every engine.

use vangnet_domain::{Maand, RegionId};
use vangnet_money::GeldError;
use vangnet_money::volume::{DayRow, MONEY_MEASURES, Volume, from_rows};

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

/// The volumes of `region` for the months `from ..= until` under the three attributions
/// (aggregates only: no client data, no access-log row, as the monitor).
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
    let rows = store.monitor(region, &MONEY_MEASURES, until.key())?;
    let day_rows = rows.iter().map(|r| DayRow {
        measure: &r.measure,
        maand: r.maand,
        product: &r.product,
        gemeente: &r.gemeente,
        locatie: &r.locatie,
        extra: r.extra,
        n: r.n,
    });
    Ok(from_rows(&profile, day_rows, from, until)?)
}
