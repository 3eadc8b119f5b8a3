//! The housing vocabulary of issue 15 (uitstroom naar wonen): the kinds of home, the routes to
//! one and the housing need, used by [`super::ClientEvent`]'s housing facts.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ids::GemeenteCode;

/// Kind (and size) of a home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Woningtype {
    /// Onzelfstandige kamer (shared kitchen/bathroom).
    Kamer,
    /// Zelfstandige studio / eenkamerwoning.
    Studio,
    /// Appartement (two rooms or more).
    Appartement,
    /// Eengezinswoning.
    Eengezinswoning,
}

impl Woningtype {
    /// Every kind, smallest first (display and monitor `extra` order).
    pub const ALL: [Woningtype; 4] = [
        Woningtype::Kamer,
        Woningtype::Studio,
        Woningtype::Appartement,
        Woningtype::Eengezinswoning,
    ];

    /// Snake-case key (forms, CSV, monitor `extra`).
    pub fn key(self) -> &'static str {
        match self {
            Woningtype::Kamer => "kamer",
            Woningtype::Studio => "studio",
            Woningtype::Appartement => "appartement",
            Woningtype::Eengezinswoning => "eengezinswoning",
        }
    }

    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Woningtype::Kamer => "Kamer (onzelfstandig)",
            Woningtype::Studio => "Studio",
            Woningtype::Appartement => "Appartement",
            Woningtype::Eengezinswoning => "Eengezinswoning",
        }
    }

    /// From [`Woningtype::key`].
    pub fn from_key(key: &str) -> Option<Woningtype> {
        Woningtype::ALL.into_iter().find(|w| w.key() == key)
    }
}

/// The route to a home (seed 000: Housing First "circa 10 woningen per jaar"; seed 001 §4.5:
/// Kamers met Aandacht; the regular route through the corporation's bijzondere bemiddeling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WoonRoute {
    /// Regular social rental through bijzondere bemiddeling / urgentie.
    Regulier,
    /// Housing First: own home first, intensive support.
    HousingFirst,
    /// Kamers met Aandacht: a room with a host household.
    KamersMetAandacht,
}

impl WoonRoute {
    /// Every route (display and monitor `extra` order).
    pub const ALL: [WoonRoute; 3] = [
        WoonRoute::Regulier,
        WoonRoute::HousingFirst,
        WoonRoute::KamersMetAandacht,
    ];

    /// Snake-case key (forms, CSV, monitor `extra`, profile `route`).
    pub fn key(self) -> &'static str {
        match self {
            WoonRoute::Regulier => "regulier",
            WoonRoute::HousingFirst => "housing_first",
            WoonRoute::KamersMetAandacht => "kamers_met_aandacht",
        }
    }

    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            WoonRoute::Regulier => "Regulier (bijzondere bemiddeling)",
            WoonRoute::HousingFirst => "Housing First",
            WoonRoute::KamersMetAandacht => "Kamers met Aandacht",
        }
    }

    /// From [`WoonRoute::key`].
    pub fn from_key(key: &str) -> Option<WoonRoute> {
        WoonRoute::ALL.into_iter().find(|w| w.key() == key)
    }
}

/// Woonbehoefte: the home a person needs to move out to — all a corporation may see of them,
/// with the gemeenten of preference and the date they are expected to be ready.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Woonbehoefte {
    /// Kind / size of home needed.
    pub woningtype: Woningtype,
    /// Needs a low-stimulus home and surroundings (prikkelarm).
    pub prikkelarm: bool,
    /// Gemeenten of preference, most preferred first (at least one).
    pub gemeenten: Vec<GemeenteCode>,
    /// Moves with ambulant support (ambulante begeleiding) after moving in.
    pub ambulante_begeleiding: bool,
    /// The route to a home.
    pub route: WoonRoute,
    /// Expected to be uitstroomklaar on this date (`None`: ready already or not known); a
    /// person is a candidate from [`crate::state::WOON_KANDIDAAT_MAANDEN`] months before it.
    pub verwacht_klaar: Option<Date>,
}

/// The home someone moved to when care ended: the destination gemeente and the kind of home
/// (issue 15: spreiding is measured on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Woonbestemming {
    /// Gemeente of the new home.
    pub gemeente: GemeenteCode,
    /// Kind of home.
    pub woningtype: Woningtype,
}
