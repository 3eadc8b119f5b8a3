//! The forecast as published (`/prognose` and `vangnet forecast run`): the scenario built
//! from the page's knobs ([`Knobs`], [`scenario`]) and the tables of the page and the files
//! ([`forecast_tables`]) with the monitor's small-number rules.
//!
//! **Small numbers**: the forecast starts from the region's real current state, so its figures
//! are published like the monitor's ([`crate::figures`]): exact only for the region's own
//! access team; for everyone else every count 1..t−1 is `<t` ([`crate::figures::cell`]), and
//! every breakdown over gemeenten gets the monitor's secondary suppression
//! ([`crate::monitor::protect`]), since the product's own figure is shown. Waiting times are
//! hidden where the waiting list behind them is.
//!
//! **Size**: one forecast may ask for at most [`MAX_REPLICATIONS`] replications, a horizon of
//! at most [`MAX_YEARS`] years and at most [`MAX_REPLICATION_YEARS`] replications × years
//! ([`check_size`], measured there); the page and `vangnet forecast run` share the limits.

use std::collections::HashMap;

use vangnet_domain::{Maand, RegionId, RegionProfile, Regions};
use vangnet_sim::calibrate::{self, Fan, Metric, SHORTAGE_DEFINITION};
use vangnet_sim::model::{CapacityChange, Model, YEAR};
use vangnet_tabular::{Cell, Table};

use crate::figures::{Figure, cell};
use crate::monitor::protect;
use crate::names;
use crate::names::thousands;

/// The fewest replications a forecast runs.
pub const MIN_REPLICATIONS: u64 = 10;
/// The most replications one forecast may ask for (`replicaties`, `--replications`).
pub const MAX_REPLICATIONS: u64 = 2_000;
/// The longest horizon one forecast may ask for, in years (`jaren`, `--years`).
pub const MAX_YEARS: u64 = 20;
/// The most replications × years one forecast may ask for.
///
/// Chosen so that one forecast of the page (baseline and scenario, each on every core) takes
/// about 2 s at most on the 2-core machine. Measured 2026-12-03, release build, the four
/// regions of `vangnet demo` (scale 1, events 2019-01-01 … 2026-12-03), calibration not
/// included, both cores free (CPU time = 2 × wall): 2000 × 1 year 0.5–1.0 s, 200 × 10 years
/// (the default) 0.9–1.5 s, 100 × 20 years 1.2–2.2 s, the slowest region each time
/// Centraal Gelderland or Nijmegen-Rivierenland; 2000 × 20 years (no limit before) took
/// 18–32 s. The cost grows with the region's size: at `--scale 10` expect ten times as long.
pub const MAX_REPLICATION_YEARS: u64 = 2_000;

/// A form field that cannot be used: the field, a Dutch message naming it, and whether the
/// value is well-formed but over one of the size limits (the page answers 400 then, 422
/// otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnobError {
    /// The form field (`replicaties`, `jaren`, `cap_…`, …).
    pub field: String,
    /// What is wrong, in Dutch, naming the field's label.
    pub message: String,
    /// Over a size limit ([`check_size`]) rather than malformed.
    pub over_limit: bool,
}

impl std::fmt::Display for KnobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The limits as one Dutch sentence (shown next to the form's fields).
pub fn limits_text() -> String {
    format!(
        "ten hoogste {} replicaties, {MAX_YEARS} jaar, en replicaties × jaren ten hoogste {}",
        thousands(MAX_REPLICATIONS),
        thousands(MAX_REPLICATION_YEARS)
    )
}

/// Check a forecast's size: `replications` (field `replications_field`) within
/// [`MIN_REPLICATIONS`] … [`MAX_REPLICATIONS`], `years` (field `years_field`) within
/// 1 … [`MAX_YEARS`], and their product at most [`MAX_REPLICATION_YEARS`]. The error names
/// the field (the product: the replications, the knob one turns down first).
pub fn check_size(
    replications: u64,
    years: f64,
    replications_field: &str,
    years_field: &str,
) -> Result<(), KnobError> {
    let over = |field: &str, message: String| KnobError {
        field: field.to_owned(),
        message,
        over_limit: true,
    };
    if !(MIN_REPLICATIONS..=MAX_REPLICATIONS).contains(&replications) {
        return Err(over(
            replications_field,
            format!(
                "Replicaties: {replications} ligt buiten {MIN_REPLICATIONS} … {} ({}).",
                thousands(MAX_REPLICATIONS),
                limits_text()
            ),
        ));
    }
    // NaN fails both comparisons; the margin absorbs a horizon's rounding (days ÷ 365.25).
    if !(years >= 1.0 - 1e-9 && years <= MAX_YEARS as f64 + 1e-9) {
        return Err(over(
            years_field,
            format!(
                "Horizon: {} jaar ligt buiten 1 … {MAX_YEARS} ({}).",
                fmt(years),
                limits_text()
            ),
        ));
    }
    let product = replications as f64 * years;
    if product > MAX_REPLICATION_YEARS as f64 + 1e-6 {
        return Err(over(
            replications_field,
            format!(
                "Replicaties × jaren: {replications} × {} = {} is meer dan {}. Kies minder replicaties of een kortere horizon (bij {} jaar ten hoogste {} replicaties).",
                fmt(years),
                thousands(product.round() as u64),
                thousands(MAX_REPLICATION_YEARS),
                fmt(years),
                (MAX_REPLICATION_YEARS as f64 / years).floor() as u64
            ),
        ));
    }
    Ok(())
}

/// The form, as submitted (all fields optional; defaults give the baseline).
#[derive(Debug, Clone, PartialEq)]
pub struct Knobs {
    /// The region.
    pub region: RegionId,
    /// Capacity change per product in % (product code → %).
    pub capacity: HashMap<String, f64>,
    /// The capacity change starts in this year of the forecast (`vanaf`).
    pub from_year: f64,
    /// The capacity change is reached gradually, in yearly steps, by this year (afbouw or
    /// opbouw over several years); `None` = in one step.
    pub until_year: Option<f64>,
    /// Extra inflow growth, % per year (`groei`).
    pub growth: f64,
    /// Homes per year for the housing node (`woningen`); `None` = as calibrated.
    pub homes: Option<f64>,
    /// Issue 15: the scenario "woningen volgens afspraken" (`woningen_volgens=afspraken`):
    /// the housing node's supply is the region's agreed homes of the year (the caller sets
    /// [`Knobs::homes`] to them, [`Knobs::met_afspraken`]) instead of the observed outflow.
    pub afspraken: bool,
    /// Maximum stay in months (`maxduur`); `None` = none.
    pub max_months: Option<f64>,
    /// Horizon in years (`jaren`).
    pub years: f64,
    /// Replications (`replicaties`).
    pub replications: u64,
    /// Lengths of stay from the empirical (Kaplan–Meier) distribution instead of log-normal.
    pub empirical: bool,
}

impl Knobs {
    /// Parse the form (`q`): every field optional, a Dutch error naming the field otherwise;
    /// the size is checked by [`check_size`]. `default_region` is used when the form names
    /// none.
    pub fn parse(
        regions: &Regions,
        default_region: impl FnOnce() -> RegionId,
        q: &[(String, String)],
    ) -> Result<Knobs, KnobError> {
        let get = |k: &str| {
            q.iter()
                .find(|(a, _)| a == k)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let invalid = |field: &str, message: String| KnobError {
            field: field.to_owned(),
            message,
            over_limit: false,
        };
        let num = |k: &str, label: &str, lo: f64, hi: f64| -> Result<Option<f64>, KnobError> {
            match get(k) {
                None => Ok(None),
                Some(v) => match v.replace(',', ".").parse::<f64>() {
                    Ok(x) if x.is_finite() && (lo..=hi).contains(&x) => Ok(Some(x)),
                    _ => Err(invalid(
                        k,
                        format!("{label}: '{v}' is geen getal tussen {lo} en {hi}."),
                    )),
                },
            }
        };
        // A number (any size: the limits are checked by `check_size`, as 400).
        let size = |k: &str, label: &str| -> Result<Option<f64>, KnobError> {
            match get(k) {
                None => Ok(None),
                Some(v) => match v.replace(',', ".").parse::<f64>() {
                    Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x.round())),
                    _ => Err(invalid(
                        k,
                        format!("{label}: '{v}' is geen getal van 0 of meer."),
                    )),
                },
            }
        };
        let region = match get("regio") {
            Some(r) => RegionId::parse(r)
                .ok()
                .filter(|r| regions.get(r).is_some())
                .ok_or_else(|| invalid("regio", format!("Regio: '{r}' bestaat niet.")))?,
            None => default_region(),
        };
        let mut capacity = HashMap::new();
        for (k, _) in q {
            if let Some(code) = k.strip_prefix("cap_")
                && let Some(x) = num(k, &format!("Capaciteit {code}"), -100.0, 500.0)?
            {
                capacity.insert(code.to_owned(), x);
            }
        }
        let from_year = num("vanaf", "Vanaf jaar", 0.0, 30.0)?.unwrap_or(1.0);
        let until_year = num("tot", "Geleidelijk tot jaar", 0.0, 30.0)?;
        let growth = num("groei", "Groei instroom", -20.0, 50.0)?.unwrap_or(0.0);
        let homes = num("woningen", "Woningen per jaar", 0.0, 100_000.0)?;
        let afspraken = match get("woningen_volgens") {
            None | Some("waarneming") => false,
            Some("afspraken") => true,
            Some(v) => {
                return Err(invalid(
                    "woningen_volgens",
                    format!("Woningen volgens: '{v}' is geen waarneming of afspraken."),
                ));
            }
        };
        let max_months = num("maxduur", "Maximale duur", 1.0, 600.0)?;
        let years = size("jaren", "Horizon")?.unwrap_or(10.0);
        // Saturates: 1e300 becomes u64::MAX, over the limit all the same.
        let replications = size("replicaties", "Replicaties")?.unwrap_or(200.0) as u64;
        let empirical = match get("verblijf") {
            None | Some("lognormaal") => false,
            Some("empirisch") => true,
            Some(v) => {
                return Err(invalid(
                    "verblijf",
                    format!("Verblijfsduur: '{v}' is geen lognormaal of empirisch."),
                ));
            }
        };
        check_size(replications, years, "replicaties", "jaren")?;
        Ok(Knobs {
            region,
            capacity,
            from_year,
            until_year,
            growth,
            homes,
            afspraken,
            max_months,
            years,
            replications,
            empirical,
        })
    }

    /// Issue 15: with [`Knobs::afspraken`], the housing supply is `agreed` homes per year
    /// (the region's woningafspraken of the year added up); unchanged otherwise, and when
    /// nothing is agreed (0: no housing supply is not a scenario anyone asks for).
    pub fn met_afspraken(mut self, agreed: f64) -> Knobs {
        if self.afspraken && agreed > 0.0 {
            self.homes = Some(agreed);
        }
        self
    }
}

/// The scenario: the baseline with the knobs applied.
pub fn scenario(base: &Model, k: &Knobs) -> Model {
    let mut m = base.clone();
    // Yearly steps from `vanaf` to `tot` (one step when `tot` is not later).
    let first = k.from_year.round() as u32;
    let last = k
        .until_year
        .map_or(first, |t| (t.round() as u32).max(first));
    let steps = last - first + 1;
    for (i, n) in m.nodes.clone().iter().enumerate() {
        if let Some(pct) = k.capacity.get(&n.id)
            && *pct != 0.0
            && n.homes_per_year.is_none()
        {
            let target = f64::from(n.servers) * (1.0 + pct / 100.0);
            for s in 1..=steps {
                let at = (f64::from(first + s - 1) * YEAR).min(m.horizon);
                let share = f64::from(s) / f64::from(steps);
                let servers = (f64::from(n.servers) + (target - f64::from(n.servers)) * share)
                    .round()
                    .max(0.0) as u32;
                m.capacity_changes.push(CapacityChange {
                    at,
                    node: i,
                    servers,
                });
            }
        }
    }
    m.capacity_changes.sort_by(|a, b| a.at.total_cmp(&b.at));
    for n in &mut m.nodes {
        if let Some(a) = &mut n.arrivals {
            a.trend += k.growth / 100.0;
        }
        if let Some(h) = k.homes
            && n.homes_per_year.is_some()
            && h > 0.0
        {
            *n = vangnet_sim::model::Node {
                routes: n.routes.clone(),
                ..vangnet_sim::model::Node::housing(&n.id, h)
            };
        }
    }
    if let Some(months) = k.max_months {
        // A maximum duration: nobody stays longer (a hard cap on the drawn stay).
        for n in m.nodes.iter_mut().filter(|n| n.homes_per_year.is_none()) {
            n.max_stay = Some(months * YEAR / 12.0);
        }
    }
    m
}

impl Knobs {
    /// The form as a query string (for the download links and the run cache key).
    pub fn query(&self) -> String {
        let mut pairs: Vec<(String, String)> = vec![("regio".into(), self.region.to_string())];
        let mut caps: Vec<_> = self.capacity.iter().collect();
        caps.sort_by(|a, b| a.0.cmp(b.0));
        for (code, pct) in caps {
            pairs.push((format!("cap_{code}"), fmt(*pct)));
        }
        pairs.push(("vanaf".into(), fmt(self.from_year)));
        if let Some(t) = self.until_year {
            pairs.push(("tot".into(), fmt(t)));
        }
        pairs.push(("groei".into(), fmt(self.growth)));
        if let Some(h) = self.homes {
            pairs.push(("woningen".into(), fmt(h)));
        }
        if self.afspraken {
            pairs.push(("woningen_volgens".into(), "afspraken".into()));
        }
        if let Some(m) = self.max_months {
            pairs.push(("maxduur".into(), fmt(m)));
        }
        pairs.push(("jaren".into(), fmt(self.years)));
        pairs.push(("replicaties".into(), self.replications.to_string()));
        if self.empirical {
            pairs.push(("verblijf".into(), "empirisch".into()));
        }
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            out.append_pair(k, &v.replace(',', "."));
        }
        out.finish()
    }
}

/// A number as shown: whole numbers without decimals, otherwise one decimal with a comma.
pub fn fmt(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}").replace('.', ",")
    }
}

/// The tables of the page and the files: key and title.
pub const TABLES: [(&str, &str); 3] = [
    ("product", "Prognose per product"),
    ("gemeente", "Prognose per gemeente van herkomst"),
    (
        "product_gemeente",
        "Prognose per product en gemeente aan het eind van de horizon",
    ),
];

/// What a viewer sees of a forecast: the fans and the suppression threshold (`None`: exact).
pub struct View<'a> {
    /// The region (names of products and gemeenten); `None` for a bare scenario file.
    pub profile: Option<&'a RegionProfile>,
    /// The baseline, if any.
    pub base: Option<&'a Fan>,
    /// The scenario (or the only run).
    pub scen: &'a Fan,
    /// Small-number threshold, `None` for exact figures.
    pub t: Option<u32>,
}

/// Quantile order in the tables: median, 25, 75, 5, 95 % (indices into the fan's quantiles).
pub const ORDER: [(usize, &str); 5] = [
    (2, "mediaan"),
    (1, "25%"),
    (3, "75%"),
    (0, "5%"),
    (4, "95%"),
];

impl View<'_> {
    /// The runs shown: baseline and scenario, or the only run.
    pub fn runs(&self) -> Vec<(&'static str, &Fan)> {
        match self.base {
            Some(b) => vec![("Basis", b), ("Scenario", self.scen)],
            None => vec![("Prognose", self.scen)],
        }
    }

    /// Name of a node: a product of the profile, or the housing node.
    pub fn product_name(&self, code: &str) -> String {
        if code == calibrate::HOUSING {
            return "Woningen (uitstroom)".to_owned();
        }
        names::product(self.profile, code)
    }

    /// Name of a gemeente of origin ([`names::origin`]).
    pub fn gemeente_name(&self, code: &str) -> String {
        names::origin(self.profile, code)
    }

    /// The month index shown for "after `y` years".
    pub fn month_of_year(&self, y: usize) -> usize {
        (y * 12).min(self.scen.months.saturating_sub(1))
    }

    /// Whole years in the horizon (at least 1).
    pub fn years(&self) -> usize {
        ((self.scen.months + 1) / 12).max(1)
    }

    /// `2027-03`, or `maand 4` without calendar.
    pub fn month_label(&self, m: usize) -> String {
        match self.scen.month_keys.get(m) {
            Some(k) => Maand::from_key(*k).map_or_else(|| k.to_string(), |m| m.to_string()),
            None => format!("maand {}", m + 1),
        }
    }

    /// A product-level figure (rule 1 for counts).
    pub fn product_fig(&self, metric: Metric, v: f64) -> Figure {
        if metric.is_count() {
            cell(v.round().max(0.0) as u64, self.t)
        } else {
            Figure::Exact(v.round().max(0.0) as u64)
        }
    }

    /// The published quantile `k` of `metric` at `node` in month `m` of `fan`.
    pub fn node_value(&self, fan: &Fan, metric: Metric, node: usize, m: usize, k: usize) -> Figure {
        let v = fan.get(metric, node, m)[k];
        if metric == Metric::Wachttijd
            && self
                .product_fig(Metric::Wachtlijst, fan.get(Metric::Wachtlijst, node, m)[k])
                .is_suppressed()
        {
            return Figure::Hidden;
        }
        self.product_fig(metric, v)
    }

    /// A breakdown over gemeenten (rules 1 and 4): `value(g)` for every origin.
    pub fn breakdown(&self, metric: Metric, value: &dyn Fn(Metric, usize) -> f64) -> Vec<Figure> {
        let o = self.scen.origins.len();
        let counts = |m: Metric| -> Vec<Figure> {
            let v: Vec<u64> = (0..o)
                .map(|g| value(m, g).round().max(0.0) as u64)
                .collect();
            protect(&v, self.t, None)
        };
        if metric.is_count() {
            counts(metric)
        } else {
            let waiting = counts(Metric::Wachtlijst);
            (0..o)
                .map(|g| {
                    if waiting[g].is_suppressed() {
                        Figure::Hidden
                    } else {
                        Figure::Exact(value(metric, g).round().max(0.0) as u64)
                    }
                })
                .collect()
        }
    }

    /// Metrics shown for a node (housing: only the shortage of homes).
    pub fn metrics(&self, node: usize) -> &'static [Metric] {
        if self.scen.housing.get(node).copied().unwrap_or(false) {
            &[Metric::Tekort]
        } else {
            &Metric::ALL
        }
    }
}

/// A published figure as a spreadsheet cell: exact numbers as numbers, the rest withheld
/// ([`Figure::cel`]).
pub fn fig_cell(f: Figure) -> Cell {
    f.cel()
}

fn value_columns(view: &View<'_>) -> Vec<String> {
    let mut cols = Vec::new();
    for (label, _) in view.runs() {
        for (_, q) in ORDER {
            cols.push(format!("{label} {q}"));
        }
    }
    cols
}

/// The tables of the page and the downloads ([`TABLES`] order), published for `view`.
pub fn forecast_tables(view: &View<'_>) -> Vec<Table> {
    let notes = vec![
        "Mediaan en banden over de replicaties: 50 % (25–75 %) en 90 % (5–95 %). Bezetting, wachtlijst en tekort in personen aan het eind van de maand; wachttijd in dagen (wachtlijst ÷ instroom per dag).".to_owned(),
        SHORTAGE_DEFINITION.to_owned(),
        match view.t {
            Some(t) => format!("Kleine aantallen (1 tot en met {}) zijn vervangen door <{t}; in uitsplitsingen naar gemeente is zo nodig ook het grootste getal verborgen (—), zoals in de monitor.", t.saturating_sub(1)),
            None => "Exacte cijfers (eigen toegangsteam van de regio).".to_owned(),
        },
    ];
    let fan = view.scen;
    let years = view.years();
    // 1. Per product.
    let mut t1 = Table {
        title: TABLES[0].1.to_owned(),
        columns: ["Product", "Maat", "Jaar", "Maand"]
            .map(str::to_owned)
            .into_iter()
            .chain(value_columns(view))
            .collect(),
        rows: Vec::new(),
        notes: notes.clone(),
        ..Table::default()
    };
    for (i, code) in fan.nodes.iter().enumerate() {
        for &metric in view.metrics(i) {
            for y in 1..=years {
                let m = view.month_of_year(y);
                let mut row = vec![
                    Cell::Text(view.product_name(code)),
                    Cell::Text(metric.label().to_owned()),
                    Cell::Int(y as i64),
                    Cell::Text(view.month_label(m)),
                ];
                for (_, f) in view.runs() {
                    for (k, _) in ORDER {
                        row.push(fig_cell(view.node_value(f, metric, i, m, k)));
                    }
                }
                t1.rows.push(row);
            }
        }
    }
    // 2. Per gemeente (over all care products).
    let mut t2 = Table {
        title: TABLES[1].1.to_owned(),
        columns: ["Gemeente", "Maat", "Jaar", "Maand"]
            .map(str::to_owned)
            .into_iter()
            .chain(value_columns(view))
            .collect(),
        rows: Vec::new(),
        notes: notes.clone(),
        ..Table::default()
    };
    let o = fan.origins.len();
    let mut by_g: Vec<Vec<Cell>> = Vec::new();
    for metric in Metric::ALL {
        for y in 1..=years {
            let m = view.month_of_year(y);
            let mut cols: Vec<Vec<Figure>> = Vec::new();
            for (_, f) in view.runs() {
                for (k, _) in ORDER {
                    cols.push(view.breakdown(metric, &|mm, g| f.get_total(mm, g, m)[k]));
                }
            }
            for g in 0..o {
                let mut row = vec![
                    Cell::Text(view.gemeente_name(&fan.origins[g])),
                    Cell::Text(metric.label().to_owned()),
                    Cell::Int(y as i64),
                    Cell::Text(view.month_label(m)),
                ];
                row.extend(cols.iter().map(|c| fig_cell(c[g])));
                by_g.push(row);
            }
        }
    }
    // Gemeente first, then measure and year.
    let order = |r: &Vec<Cell>| {
        let name = match &r[0] {
            Cell::Text(s) => s.clone(),
            _ => String::new(),
        };
        let g = fan
            .origins
            .iter()
            .position(|c| view.gemeente_name(c) == name)
            .unwrap_or(0);
        let metric = match &r[1] {
            Cell::Text(s) => Metric::ALL.iter().position(|m| m.label() == s).unwrap_or(0),
            _ => 0,
        };
        let y = match r[2] {
            Cell::Int(y) => y,
            _ => 0,
        };
        (g, metric, y)
    };
    by_g.sort_by_key(order);
    t2.rows = by_g;
    // 3. Per product and gemeente, at the end of the horizon: median and 90 % band.
    let last = fan.months.saturating_sub(1);
    let mut cols3: Vec<String> = ["Product", "Gemeente", "Maat"].map(str::to_owned).to_vec();
    for (label, _) in view.runs() {
        for q in ["mediaan", "5%", "95%"] {
            cols3.push(format!("{label} {q}"));
        }
    }
    let mut t3 = Table {
        title: TABLES[2].1.to_owned(),
        columns: cols3,
        rows: Vec::new(),
        notes: {
            let mut n = notes;
            n.insert(0, format!("Maand: {}.", view.month_label(last)));
            n
        },
        ..Table::default()
    };
    for (i, code) in fan.nodes.iter().enumerate() {
        for &metric in view.metrics(i) {
            let mut cols: Vec<Vec<Figure>> = Vec::new();
            for (_, f) in view.runs() {
                for k in [2, 0, 4] {
                    cols.push(view.breakdown(metric, &|mm, g| f.get_origin(mm, i, g, last)[k]));
                }
            }
            for g in 0..o {
                let mut row = vec![
                    Cell::Text(view.product_name(code)),
                    Cell::Text(view.gemeente_name(&fan.origins[g])),
                    Cell::Text(metric.label().to_owned()),
                ];
                row.extend(cols.iter().map(|c| fig_cell(c[g])));
                t3.rows.push(row);
            }
        }
    }
    vec![t1, t2, t3]
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_sim::model::{Node, Service};

    #[test]
    fn a_gradual_afbouw_is_a_step_a_year_and_the_maximum_is_a_hard_cap() {
        let mut base = Model::new(
            vec![Node::new("bw", 100, Service::Exponential { mean: 300.0 })],
            6.0 * YEAR,
        );
        base.capacity_changes.clear();
        let k = Knobs {
            region: RegionId::parse("drechtsteden").unwrap(),
            capacity: HashMap::from([("bw".to_owned(), -30.0)]),
            from_year: 1.0,
            until_year: Some(3.0),
            growth: 0.0,
            homes: None,
            afspraken: false,
            max_months: Some(24.0),
            years: 6.0,
            replications: 10,
            empirical: false,
        };
        let m = scenario(&base, &k);
        let steps: Vec<(f64, u32)> = m
            .capacity_changes
            .iter()
            .map(|c| ((c.at / YEAR).round(), c.servers))
            .collect();
        assert_eq!(steps, vec![(1.0, 90), (2.0, 80), (3.0, 70)]);
        assert_eq!(m.nodes[0].max_stay, Some(2.0 * YEAR));
        assert!(k.query().contains("tot=3"));
        let one = scenario(
            &base,
            &Knobs {
                until_year: None,
                ..k
            },
        );
        assert_eq!(one.capacity_changes.len(), 1);
        assert_eq!(one.capacity_changes[0].servers, 70);
    }

    /// Issue 15: "woningen volgens afspraken" — with agreed homes above the observed
    /// outflow, fewer people wait for a BW place (blocked people free their place sooner).
    #[test]
    fn agreed_homes_above_the_observed_outflow_shorten_the_bw_waiting_list() {
        // BW: 20 places, stays of ~200 days, 36 arrivals a year; every leaver needs a home;
        // the observed outflow to a home is 12 a year.
        let mut bw = Node::new("bw", 20, Service::Exponential { mean: 200.0 });
        bw.arrivals = Some(vangnet_sim::model::Arrivals::poisson(36.0));
        bw.routes = vec![(1, 1.0)];
        let base = Model::new(vec![bw, Node::housing("woningen", 12.0)], 5.0 * YEAR);
        let q = |v: &[(&str, &str)]| parse(v).expect("knobs");
        let k = q(&[("woningen_volgens", "afspraken"), ("replicaties", "40")]);
        assert!(k.afspraken);
        assert!(k.query().contains("woningen_volgens=afspraken"));
        // 40 homes agreed a year (e.g. the profile's and entered agreements of the year).
        let k = k.met_afspraken(40.0);
        assert_eq!(k.homes, Some(40.0));
        let scen = scenario(&base, &k);
        assert_eq!(scen.nodes[1].homes_per_year, Some(40.0));
        let waiting = |m: &Model| {
            let s = vangnet_sim::run::run(m, 40, 2);
            let last = s.months - 1;
            s.waiting[last].mean
        };
        let (w_base, w_scen) = (waiting(&base), waiting(&scen));
        assert!(
            w_scen < w_base,
            "waiting at the horizon: baseline {w_base}, with agreed homes {w_scen}"
        );
        // Without the scenario, or with nothing agreed, the supply is as observed.
        assert_eq!(q(&[]).met_afspraken(40.0).homes, None);
        assert_eq!(
            q(&[("woningen_volgens", "afspraken")])
                .met_afspraken(0.0)
                .homes,
            None
        );
        assert!(parse(&[("woningen_volgens", "beide")]).is_err());
    }

    fn parse(q: &[(&str, &str)]) -> Result<Knobs, KnobError> {
        let q: Vec<(String, String)> = q
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Knobs::parse(
            &Regions::builtin(),
            || RegionId::parse("drechtsteden").unwrap(),
            &q,
        )
    }

    #[test]
    fn the_size_limits_hold_at_their_edges_and_name_the_field() {
        let k = parse(&[]).unwrap();
        assert_eq!((k.replications, k.years), (200, 10.0), "defaults");
        assert!(k.replications as f64 * k.years <= MAX_REPLICATION_YEARS as f64);
        // Exactly at each edge: accepted.
        let max_reps_years = (MAX_REPLICATION_YEARS / MAX_REPLICATIONS).max(1);
        let edges = [
            (MIN_REPLICATIONS, 1),
            (MAX_REPLICATIONS, max_reps_years),
            (MAX_REPLICATION_YEARS / MAX_YEARS, MAX_YEARS),
        ];
        for (r, y) in edges {
            let k = parse(&[("replicaties", &r.to_string()), ("jaren", &y.to_string())])
                .unwrap_or_else(|e| panic!("{r} × {y}: {e}"));
            assert_eq!((k.replications, k.years), (r, y as f64));
        }
        // One over each edge: refused as over the limit, naming the field.
        let over = |q: &[(&str, &str)], field: &str| {
            let e = parse(q).unwrap_err();
            assert!(e.over_limit, "{q:?}: {e:?}");
            assert_eq!(e.field, field, "{q:?}: {e:?}");
            e
        };
        let e = over(
            &[("replicaties", &(MAX_REPLICATIONS + 1).to_string())],
            "replicaties",
        );
        assert!(
            e.message
                .starts_with("Replicaties: 2001 ligt buiten 10 … 2.000"),
            "{e}"
        );
        over(&[("replicaties", "9")], "replicaties");
        over(&[("jaren", &(MAX_YEARS + 1).to_string())], "jaren");
        over(&[("jaren", "0")], "jaren");
        let y = MAX_YEARS.to_string();
        let r = (MAX_REPLICATION_YEARS / MAX_YEARS + 1).to_string();
        let e = over(&[("replicaties", &r), ("jaren", &y)], "replicaties");
        assert!(e.message.contains("Replicaties × jaren"), "{e}");
        assert!(
            e.message.contains(&format!(
                "ten hoogste {} replicaties",
                MAX_REPLICATION_YEARS / MAX_YEARS
            )),
            "{e}"
        );
        // Absurd values: an error, never a panic or a wrapped number.
        for v in ["1e300", "18446744073709551616", "99999999999999999999999"] {
            over(&[("replicaties", v)], "replicaties");
            over(&[("jaren", v)], "jaren");
        }
        for v in ["-1", "NaN", "inf", "-inf", "veel", "1e400"] {
            for field in ["replicaties", "jaren"] {
                let e = parse(&[(field, v)]).unwrap_err();
                assert!(!e.over_limit, "{field}={v}: {e:?}");
                assert_eq!(e.field, field);
            }
        }
        // Other fields name themselves too (not over a limit: 422 on the page).
        let e = parse(&[("groei", "veel")]).unwrap_err();
        assert_eq!((e.field.as_str(), e.over_limit), ("groei", false));
        let e = parse(&[("cap_bw-instelling", "900")]).unwrap_err();
        assert_eq!(e.field, "cap_bw-instelling");
        assert_eq!(check_size(2000, f64::NAN, "r", "j").unwrap_err().field, "j");
    }
}
