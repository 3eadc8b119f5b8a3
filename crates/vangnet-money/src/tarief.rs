//! Tariffs (*tarieven*) per product, leveringsvorm and period, with their unit, yearly
//! indexation and source. Filled in by issue 13.

use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::region::Herkomst;
use vangnet_domain::{Date, ProductCode};

use crate::cents::Cents;

/// The unit a tariff is priced in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Eenheid {
    /// Per day in care.
    Dag,
    /// Per week in care (a day costs 1/7).
    Week,
    /// Per month in care (a day costs 1/days-in-that-month).
    Maand,
    /// Per hour of support; hours per week come with the tariff (`uren_per_week`).
    Uur,
    /// Per MO night.
    Nacht,
}

/// One tariff: an amount per unit for a product and leveringsvorm from `van` up to and
/// including `tot` (open-ended when `None`). Periods start on the first day of a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tarief {
    /// Product.
    pub product: ProductCode,
    /// ZIN or PGB (PGB: care only — the care budget never pays housing costs, seed 001
    /// bijlage 3).
    pub leveringsvorm: Leveringsvorm,
    /// Unit.
    pub eenheid: Eenheid,
    /// Amount per unit.
    pub bedrag: Cents,
    /// First day (the first of a month).
    pub van: Date,
    /// Last day, inclusive (None: open-ended).
    pub tot: Option<Date>,
    /// Hours per week (only for `Eenheid::Uur`), in hundredths of an hour.
    pub uren_per_week_x100: Option<u32>,
    /// Where the amount comes from (seeds give no tariffs: demo tariffs are an `aanname`).
    pub herkomst: Herkomst,
}
