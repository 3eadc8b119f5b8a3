//! Volumes: the client-days and MO nights the money is computed from, read from the monitor's
//! day measures (one vocabulary of client events: the same contributions that count people in
//! care count their days). Filled in by issue 13 (`from_rows`).

use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::ids::{GemeenteCode, LocationId, ProductCode};
use vangnet_domain::Maand;

/// To which gemeente a cost is attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attribution {
    /// Today's law (art. 1.2.1 sub b Wmo 2015): the gemeente that decided — the
    /// centrumgemeente at a central front door, the local gemeente at a local front door.
    Besluit,
    /// Bill 36 288 (*woonplaatsbeginsel*, not in force): the responsible gemeente recorded
    /// with the toewijzing (fallback: registration at application). MO is not covered by the
    /// bill: MO nights are attributed as under `Besluit`.
    Woonplaatsbeginsel,
    /// The gemeente where the care is delivered (the location's gemeente).
    Zorglocatie,
}

impl Attribution {
    /// All three, in display order.
    pub const ALL: [Attribution; 3] = [
        Attribution::Besluit,
        Attribution::Woonplaatsbeginsel,
        Attribution::Zorglocatie,
    ];
}

/// What a volume counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VolumeSoort {
    /// Realised: days in care (start day counted, the day of `einde_zorg` not).
    Zorgdagen,
    /// Committed: days on which a toewijzing is valid and the client is not (yet) in care.
    Verplicht,
    /// MO nights (`mo_overnachting`).
    Nachten,
}

/// One month's volume for one key and one attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    /// Which attribution `gemeente` is under.
    pub attribution: Attribution,
    /// Month.
    pub maand: Maand,
    /// What is counted.
    pub soort: VolumeSoort,
    /// Product.
    pub product: ProductCode,
    /// ZIN or PGB (nights: ZIN).
    pub leveringsvorm: Leveringsvorm,
    /// Location (None for committed days without a place yet).
    pub locatie: Option<LocationId>,
    /// Gemeente under `attribution` (None: not registered / unknown).
    pub gemeente: Option<GemeenteCode>,
    /// Days or nights.
    pub aantal: i64,
    /// People counted at the month end (for suppression of small numbers; nights: people
    /// with a night in the month).
    pub personen: i64,
}
