//! The web's door to [`vangnet_publish::figures`] (who sees exact figures, small-number
//! suppression, the region page's tables — the rules and their proof are documented there):
//! re-exports, and the store's region overview lent to the publication as its input.

use vangnet_domain::RegionProfile;
use vangnet_store::RegionOverview;

pub use vangnet_publish::figures::{
    CareTable, Column, Figure, LocationOccupancy, OUTSIDE, Overview, ProductOccupancy, Row,
    WaitingRow, cell, exact_allowed, occupancy_by_product, threshold_for, total,
};
pub use vangnet_publish::names::{gemeente_name, product_name};

use vangnet_publish::figures as publish;

/// The store's overview as the publication's input (borrowed, no copy).
pub fn overview(ov: &RegionOverview) -> Overview<'_> {
    Overview {
        in_care: &ov.in_care,
        waiting: &ov.waiting,
        occupancy: &ov.occupancy,
    }
}

/// [`publish::care_table`] of the store's overview.
pub fn care_table(profile: &RegionProfile, ov: &RegionOverview, t: Option<u32>) -> CareTable {
    publish::care_table(profile, &overview(ov), t)
}

/// [`publish::waiting`] of the store's overview.
pub fn waiting(
    profile: &RegionProfile,
    ov: &RegionOverview,
    t: Option<u32>,
) -> (Vec<WaitingRow>, Figure) {
    publish::waiting(profile, &overview(ov), t)
}

/// [`publish::occupancy_by_location`] of the store's overview.
pub fn occupancy_by_location(
    profile: &RegionProfile,
    ov: &RegionOverview,
) -> Vec<LocationOccupancy> {
    publish::occupancy_by_location(profile, &overview(ov))
}
