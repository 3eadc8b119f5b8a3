//! Where the money pages get their figures (issue 13): the region's finance profile and the
//! objective model (`vangnet_money`, embedded files), the tariffs the region entered
//! (`Store::tariffs`, added to the profile's), the volumes from the monitor's day measures
//! (`Store::monitor` with [`vangnet_money::volume::MONEY_MEASURES`], turned into volumes by
//! [`vangnet_money::volume::from_rows`]) and the model's year report, cost table and scenario
//! effect — through the same store helpers as `vangnet geld` ([`vangnet_store::geld`],
//! [`vangnet_store::tarieven::all_tariffs`]), so screen and CLI price alike. Runs on a
//! blocking thread (the store is synchronous).

use vangnet_domain::region::{Domain, Setting};
use vangnet_domain::{Date, Maand, RegionProfile};
use vangnet_domain::{ProductCode, RecordedEvent};
use vangnet_money::{
    Ambulantisering, FinanceProfile, GeldError, Jaaroverzicht, KostenRegel, ObjectiefModel,
    Scenario, Tarief, Volume, jaaroverzicht, kosten_tabel, scenario_effect,
};
use vangnet_money::{Cents, PrognoseRegel};
use vangnet_sim::calibrate::{self, Metric, Options};
use vangnet_sim::model::YEAR;
use vangnet_store::geld::{VolumesError, money_volumes, priced_profile};
use vangnet_store::{AccessGate, Store, StoreError, tarieven};

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

impl From<VolumesError> for Fout {
    fn from(e: VolumesError) -> Fout {
        match e {
            VolumesError::Store(e) => Fout::Store(e),
            VolumesError::Geld(e) => Fout::Geld(e),
        }
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

/// The finance profile of `p` as it is priced ([`vangnet_store::geld::priced_profile`], the one
/// rule of pages, CLI and benchmark), and the rows of the tariff table: the profile's periods
/// as they remain after the entered tariffs took over, then the entered ones with who and when.
fn profiel(store: &dyn Store, p: &RegionProfile) -> Result<(FinanceProfile, Vec<TariefRij>), Fout> {
    let (fin, stored) = priced_profile(store, p)?;
    let mut rijen: Vec<TariefRij> = fin
        .tarieven
        .items()
        .iter()
        .filter(|(_, line)| *line < tarieven::ENTERED_LINE)
        .map(|(t, _)| TariefRij {
            tarief: t.clone(),
            vastgelegd: None,
        })
        .collect();
    rijen.extend(stored.into_iter().map(|s| TariefRij {
        tarief: s.tarief,
        vastgelegd: Some((s.door, s.vastgelegd_op)),
    }));
    Ok((fin, rijen))
}

/// The years the pages offer: from the first budget year to the last year of the ingroeipad
/// (or today's year, if later).
fn jaren(fin: &FinanceProfile, today: Date) -> (i32, i32) {
    let first = fin.jaren.first().map_or(today.year(), |j| j.jaar);
    (
        first,
        fin.ingroeipad.last_year().max(today.year()).max(first),
    )
}

/// The volumes of `p` for `van ..= tot` ([`vangnet_store::geld::money_volumes`], as the CLI).
fn volumes(
    store: &dyn Store,
    p: &RegionProfile,
    van: Maand,
    tot: Maand,
) -> Result<Vec<Volume>, Fout> {
    Ok(money_volumes(store, &p.id, van, tot)?)
}

fn maanden(jaar: i32) -> (Maand, Maand) {
    (
        Maand::new(jaar, 1).expect("januari"),
        Maand::new(jaar, 12).expect("december"),
    )
}

/// The region's tariffs: the finance profile's (as in force after the entered ones), then
/// those entered on screen.
pub(crate) fn tarieven(store: &dyn Store, p: &RegionProfile) -> Result<Vec<TariefRij>, Fout> {
    Ok(profiel(store, p)?.1)
}

/// The figures of `p` for `jaar` (default: today's year, within the years with data), with
/// the year reports along the ingroeipad when `pad`.
pub(crate) fn laad(
    store: &dyn Store,
    p: &RegionProfile,
    jaar: Option<i32>,
    today: Date,
    pad: bool,
) -> Result<Geladen, Fout> {
    let (fin, _) = profiel(store, p)?;
    let (van, tot) = jaren(&fin, today);
    let jaar = jaar.unwrap_or_else(|| today.year().clamp(van, tot));
    if !(van..=tot).contains(&jaar) {
        return Err(Fout::Jaar { jaar, van, tot });
    }
    let model = ObjectiefModel::voorbeeld();
    let last = if pad { tot.max(jaar) } else { jaar };
    let v = volumes(store, p, maanden(van).0, maanden(last).1)?;
    let basis = Scenario::default();
    let overzicht = jaaroverzicht(&fin, p, &model, &v, jaar, &basis)?;
    let (m0, m1) = maanden(jaar);
    let kosten = kosten_tabel(&fin, p, &v, m0, m1, &basis)?;
    let pad = if pad {
        let steps: Vec<i32> = fin.ingroeipad.steps().iter().map(|(y, _)| *y).collect();
        let from = steps.first().copied().unwrap_or(jaar).min(jaar).max(van);
        let to = steps.last().copied().unwrap_or(jaar).max(jaar).min(tot);
        (from..=to)
            .map(|y| jaaroverzicht(&fin, p, &model, &v, y, &basis))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    Ok(Geladen {
        jaar,
        jaren: (van, tot),
        overzicht,
        kosten,
        pad,
    })
}

/// What a scenario gives: per gemeente and year base vs scenario, the priced forecast per
/// year (low, middle, high of its 90 % band) when asked, and the scenario in words.
pub(crate) type ScenarioUitkomst = (
    Vec<ScenarioRegel>,
    Vec<(i32, (Cents, Cents, Cents))>,
    Vec<String>,
    Vec<Jaaroverzicht>,
);

/// Replications of the forecast priced on the scenario page (the forecast page's default is
/// larger; the money needs the band, not a fine tail).
const PROGNOSE_REPLICATIES: u64 = 40;

/// A product and its months (`yyyymm`) with the occupancy quantiles.
type ProductSeries = (ProductCode, Vec<(u32, [f64; 5])>);

/// The forecast's days per product and month from today on (a calibration on the region's
/// events read by `reader`, a system job in the user's name as on `/prognose`), for
/// [`vangnet_money::prognose::regels`].
fn prognose(
    store: &dyn Store,
    reader: &AccessGate,
    p: &RegionProfile,
    today: Date,
    tot: i32,
) -> Result<Vec<PrognoseRegel>, Fout> {
    let mut events: Vec<RecordedEvent> = Vec::new();
    store.export(reader, &mut |e| {
        events.push(e);
        Ok(())
    })?;
    let cal = calibrate::calibrate(p, &events, today, &Options::default());
    let mut model = cal.model.clone();
    let years = u32::try_from((tot - today.year() + 1).clamp(1, 15)).unwrap_or(1);
    model.horizon = f64::from(years) * YEAR;
    model.capacity_changes.retain(|c| c.at <= model.horizon);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let fan = calibrate::forecast(&model, PROGNOSE_REPLICATIES, threads, &|_| {});
    let codes: Vec<Option<ProductCode>> = fan
        .nodes
        .iter()
        .map(|n| {
            ProductCode::parse(n)
                .ok()
                .filter(|c| p.product(c).is_some())
        })
        .collect();
    let series: Vec<ProductSeries> = codes
        .iter()
        .enumerate()
        .filter_map(|(node, c)| {
            let c = c.clone()?;
            let months = (0..fan.months)
                .filter_map(|m| {
                    let key = *fan.month_keys.get(m)?;
                    Some((key, fan.get(Metric::Bezetting, node, m)))
                })
                .collect();
            Some((c, months))
        })
        .collect();
    let fans: Vec<vangnet_money::prognose::ProductFan<'_>> = series
        .iter()
        .map(|(c, months)| vangnet_money::prognose::ProductFan { product: c, months })
        .collect();
    Ok(vangnet_money::prognose::regels(&fans))
}

/// The scenario's effect per gemeente per year (every year with data), base vs scenario,
/// the priced forecast when asked, and the scenario in words.
pub(crate) fn scenario(
    store: &dyn Store,
    reader: &AccessGate,
    p: &RegionProfile,
    s: &ScenarioInvoer,
    today: Date,
) -> Result<ScenarioUitkomst, Fout> {
    let (fin, _) = profiel(store, p)?;
    let (van, tot) = jaren(&fin, today);
    let model = ObjectiefModel::voorbeeld();
    let v = volumes(store, p, maanden(van).0, maanden(tot).1)?;
    let naar = p
        .products
        .iter()
        .find(|x| x.domain == Domain::Bw && x.setting == Setting::Extramuraal)
        .map(|x| x.code.clone());
    let ambulantisering = match (s.ambulant, naar) {
        (Some((procent_bp, jaren, vanaf)), Some(naar)) => Some(Ambulantisering {
            procent_bp,
            jaren,
            vanaf,
            naar,
        }),
        (Some(_), None) => {
            return Err(Fout::Geld(GeldError::new(
                "scenario.product",
                format!(
                    "{} heeft geen ambulant (extramuraal) BW-product om naar te schuiven.",
                    p.name
                ),
            )));
        }
        (None, _) => None,
    };
    let prognose = if s.prognose {
        prognose(store, reader, p, today, tot)?
    } else {
        Vec::new()
    };
    let sc = Scenario {
        ambulantisering,
        wpb_vanaf: s.wpb_vanaf,
        objectief_vanaf: s.objectief_vanaf,
        wlz_bp: s.wlz_bp,
        prognose,
    };
    // From this year (or the earliest year the scenario names) to the ingroeipad's end.
    let first = [
        Some(today.year()),
        s.ambulant.map(|a| a.2),
        s.wpb_vanaf,
        s.objectief_vanaf,
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(van)
    .clamp(van, tot);
    let years: Vec<i32> = (first..=tot).collect();
    let effect = scenario_effect(&fin, p, &model, &v, &years, &sc)?;
    let rijen = effect
        .iter()
        .flat_map(|j| {
            j.gemeenten.iter().map(move |g| ScenarioRegel {
                jaar: j.jaar,
                gemeente: g.gemeente,
                kosten: g.kosten,
                budget: g.budget,
                verrekening: (g.afrekening.0.settlement, g.afrekening.1.settlement),
            })
        })
        .collect();
    let banden = effect
        .iter()
        .filter_map(|j| j.prognose.map(|b| (j.jaar, b)))
        .collect();
    let mut omschrijving = sc.omschrijving();
    if s.prognose {
        omschrijving.push(vangnet_money::prognose::AANNAME.to_owned());
    }
    // The base year reports: the scenario table suppresses a gemeente's costs as the
    // overview of that year does (its base costs are the overview's).
    let basis = years
        .iter()
        .map(|y| jaaroverzicht(&fin, p, &model, &v, *y, &Scenario::default()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rijen, banden, omschrijving, basis))
}
