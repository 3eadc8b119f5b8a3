//! Where the money pages get their figures (issue 13): the region's finance profile and the
//! objective model (`vangnet_money`, embedded files), the tariffs the region entered
//! (`Store::tariffs`, added to the profile's), the volumes from the monitor's day measures
//! (`Store::monitor` with [`vangnet_money::volume::MONEY_MEASURES`], turned into volumes by
//! [`vangnet_money::volume::from_rows`]) and the model's year report, cost table and scenario
//! effect. Runs on a blocking thread (the store is synchronous).

use vangnet_domain::{Date, RegionProfile};
use vangnet_money::{GeldError, Jaaroverzicht, KostenRegel, Tarief};
use vangnet_store::{Store, StoreError};

/// Why the figures could not be made.
#[derive(Debug)]
pub(crate) enum Fout {
    /// The model refused (a missing tariff, a bad data file …): its Dutch message.
    Geld(GeldError),
    /// The year is outside the years the finance profile has budgets for.
    Jaar {
        /// The year asked for.
        jaar: i32,
        /// First year with data.
        van: i32,
        /// Last year with data.
        tot: i32,
    },
    /// The store failed.
    Store(StoreError),
}

impl From<GeldError> for Fout {
    fn from(e: GeldError) -> Fout {
        Fout::Geld(e)
    }
}

impl From<StoreError> for Fout {
    fn from(e: StoreError) -> Fout {
        Fout::Store(e)
    }
}

/// What a scenario form asks (see `/geld/{regio}/scenario`), in the page's terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ScenarioInvoer {
    /// X: percentage of intramural BW days that become ambulant (basis points) and over N
    /// years from year Y.
    pub ambulant: Option<(i64, u32, i32)>,
    /// The woonplaatsbeginsel from this year.
    pub wpb_vanaf: Option<i32>,
    /// The objective model (ingroeipad) from this year.
    pub objectief_vanaf: Option<i32>,
    /// W: share of BW days to the Wlz (basis points).
    pub wlz_bp: Option<i64>,
    /// Volumes from the forecast.
    pub prognose: bool,
}

/// One gemeente in one year of a scenario: base vs scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScenarioRegel {
    /// Year.
    pub jaar: i32,
    /// Gemeente.
    pub gemeente: vangnet_domain::GemeenteCode,
    /// Costs (regime in force), base and scenario.
    pub kosten: (vangnet_money::Cents, vangnet_money::Cents),
    /// Budget along the ingroeipad, base and scenario.
    pub budget: (vangnet_money::Cents, vangnet_money::Cents),
    /// Settlement, base and scenario.
    pub verrekening: (vangnet_money::Cents, vangnet_money::Cents),
}

/// The figures of one region and year.
#[derive(Debug, Clone)]
pub(crate) struct Geladen {
    /// The year shown.
    pub jaar: i32,
    /// The years with data (first, last).
    pub jaren: (i32, i32),
    /// The year report.
    pub overzicht: Jaaroverzicht,
    /// The cost table of the year (all three attributions).
    pub kosten: Vec<KostenRegel>,
    /// The year reports along the ingroeipad (when asked for).
    pub pad: Vec<Jaaroverzicht>,
}

/// A tariff as listed: the profile's or one the region entered (who, when).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TariefRij {
    /// The tariff.
    pub tarief: Tarief,
    /// Entered on screen by (login, RFC 3339 instant); `None`: from the finance profile.
    pub vastgelegd: Option<(String, String)>,
}

/// The region's tariffs: the finance profile's, then those entered on screen.
pub(crate) fn tarieven(store: &dyn Store, p: &RegionProfile) -> Result<Vec<TariefRij>, Fout> {
    let stored = store.tariffs(&p.id)?;
    Ok(stored
        .into_iter()
        .map(|s| TariefRij {
            tarief: s.tarief,
            vastgelegd: Some((s.door, s.vastgelegd_op)),
        })
        .collect())
}

/// The figures of `p` for `jaar` (default: the last year with data up to today's).
pub(crate) fn laad(
    _store: &dyn Store,
    p: &RegionProfile,
    _jaar: Option<i32>,
    _today: Date,
    _pad: bool,
) -> Result<Geladen, Fout> {
    Err(Fout::Geld(GeldError {
        code: "geld.model_ontbreekt",
        bericht: format!(
            "Het rekenmodel voor {} is nog niet beschikbaar in deze versie.",
            p.name
        ),
    }))
}

/// The scenario's effect per gemeente per year, base vs scenario.
pub(crate) fn scenario(
    _store: &dyn Store,
    p: &RegionProfile,
    _s: &ScenarioInvoer,
    _today: Date,
) -> Result<(Vec<ScenarioRegel>, Vec<String>), Fout> {
    Err(Fout::Geld(GeldError {
        code: "geld.model_ontbreekt",
        bericht: format!(
            "Het rekenmodel voor {} is nog niet beschikbaar in deze versie.",
            p.name
        ),
    }))
}
