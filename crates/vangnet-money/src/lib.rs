//! Vangnet money core (issue 13, first part): exact amounts in integer cents, a deterministic
//! largest-remainder split, regional verdeelsleutels, the ingroeipad and the settlement
//! statement. Pure: no I/O.
//!
//! Money is never a binary float here. Every rounding is explicit and named where it happens:
//! [`Cents::mul_ratio`] rounds half away from zero; [`allocate::allocate`] hands out the
//! remainder cents by the largest-remainder (Hamilton) method so parts sum to the total exactly.

pub mod allocate;
pub mod begroting;
pub mod cents;
pub mod ingroeipad;
pub mod kosten;
pub mod objectief;
pub mod profiel;
pub mod prognose;
pub mod rapport;
pub mod settlement;
pub mod tarief;
pub mod verdeelsleutel;
pub mod volume;

pub use allocate::{AllocateError, allocate};
pub use begroting::Begroting;
pub use cents::{Cents, MoneyError};
pub use ingroeipad::{Ingroeipad, PathError};
pub use objectief::ObjectiefModel;
pub use profiel::FinanceProfile;
pub use rapport::{
    Ambulantisering, GeldError, GemeenteJaar, Jaaroverzicht, KostenRegel, PrognoseRegel, Scenario,
    ScenarioGemeente, ScenarioJaar, jaaroverzicht, kosten_tabel, scenario_effect,
};
pub use settlement::{GemeenteYear, SettlementError, Statement, settle};
pub use tarief::{Eenheid, Tarief, Tarieven};
pub use verdeelsleutel::{Key, KeyBasis, KeyError, Mix, Verdeelsleutel};
pub use volume::{Attribution, DayRow, MONEY_MEASURES, Volume, VolumeSoort, from_rows};

#[cfg(test)]
mod tests;
