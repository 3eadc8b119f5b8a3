//! What the finance screens and `vangnet geld` show: per gemeente and year the costs under the
//! three attributions, the budgets (historical, objective, along the ingroeipad), the
//! herverdeeleffect, the share of the regional provisions and the settlement. Pure: the
//! caller passes the parsed finance profile, the objective model and the volumes.
//! Filled in by issue 13; the field names are the contract the web and the CLI use.

use vangnet_domain::{GemeenteCode, Maand, ProductCode, AgbCode, RegionId};

use crate::cents::Cents;
use crate::settlement::Statement;
use crate::volume::Attribution;

/// Why a report cannot be made. Dutch, naming the line, field or month at fault; never a
/// partial report shown as complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{bericht}")]
pub struct GeldError {
    /// Stable code, e.g. `tarief.ontbreekt`, `tarief.overlap`, `objectief.onbekend_kenmerk`.
    pub code: &'static str,
    /// Dutch message naming the line/field/product/month.
    pub bericht: String,
}

/// One line of the cost table: one month, product, provider and gemeente under one
/// attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KostenRegel {
    /// Attribution of `gemeente`.
    pub attribution: Attribution,
    /// Month.
    pub maand: Maand,
    /// Product.
    pub product: ProductCode,
    /// Provider (from the location; None for committed days without a place).
    pub aanbieder: Option<AgbCode>,
    /// Gemeente (None: unknown).
    pub gemeente: Option<GemeenteCode>,
    /// Realised cost.
    pub gerealiseerd: Cents,
    /// Committed cost (allocated, not started).
    pub verplicht: Cents,
    /// Days in care (realised) or nights.
    pub dagen: i64,
    /// People (month end) — for suppression.
    pub personen: i64,
}

/// One gemeente in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GemeenteJaar {
    /// The gemeente.
    pub gemeente: GemeenteCode,
    /// Inhabitants (from the region profile).
    pub inwoners: u64,
    /// Realised costs per attribution, in the order of [`Attribution::ALL`].
    pub kosten: [Cents; 3],
    /// Committed costs per attribution.
    pub verplicht: [Cents; 3],
    /// Most people in care at a month end in the year, per attribution (suppression).
    pub personen: [i64; 3],
    /// Historical budget (the centrumgemeente's uitkering, split by the region's internal key).
    pub historisch: Cents,
    /// Budget in the objective model.
    pub objectief: Cents,
    /// Budget along the ingroeipad in this year.
    pub budget: Cents,
    /// `budget − historisch`.
    pub herverdeeleffect: Cents,
    /// `herverdeeleffect / inwoners` (rounded half away from zero).
    pub herverdeeleffect_per_inwoner: Cents,
    /// Share of the regional provisions by the chosen key.
    pub regionaal_aandeel: Cents,
    /// The settlement statement.
    pub afrekening: Statement,
}

/// The year report of a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jaaroverzicht {
    /// Region.
    pub regio: RegionId,
    /// Year.
    pub jaar: i32,
    /// Per gemeente of the region, in profile order.
    pub gemeenten: Vec<GemeenteJaar>,
    /// Region total of realised costs (equal under every attribution).
    pub totaal_kosten: Cents,
    /// Regional provisions: name, amount, source/assumption text.
    pub regionale_voorzieningen: Vec<(String, Cents, String)>,
    /// Share of the objective model in this year (basis points).
    pub ingroei_aandeel_bp: i64,
    /// Wlz uitname applied in this year.
    pub wlz_uitname: Cents,
    /// The key used, in words.
    pub sleutel: String,
    /// Every assumption (aanname) the numbers rest on, in words, for the screen.
    pub aannames: Vec<String>,
}
