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

use std::collections::HashMap;

use vangnet_domain::{Maand, RegionId, RegionProfile, Regions};
use vangnet_sim::calibrate::{self, Fan, Metric, SHORTAGE_DEFINITION};
use vangnet_sim::model::{CapacityChange, Model, YEAR};
use vangnet_tabular::{Cell, Table};

use crate::figures::{Figure, cell};
use crate::monitor::protect;
use crate::names;

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
    /// Parse the form (`q`): every field optional, a Dutch error naming the field otherwise.
    /// `default_region` is used when the form names none.
    pub fn parse(
        regions: &Regions,
        default_region: impl FnOnce() -> RegionId,
        q: &[(String, String)],
    ) -> Result<Knobs, String> {
        let get = |k: &str| {
            q.iter()
                .find(|(a, _)| a == k)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let num = |k: &str, label: &str, lo: f64, hi: f64| -> Result<Option<f64>, String> {
            match get(k) {
                None => Ok(None),
                Some(v) => match v.replace(',', ".").parse::<f64>() {
                    Ok(x) if x.is_finite() && (lo..=hi).contains(&x) => Ok(Some(x)),
                    _ => Err(format!("{label}: '{v}' is geen getal tussen {lo} en {hi}.")),
                },
            }
        };
        let region = match get("regio") {
            Some(r) => RegionId::parse(r)
                .ok()
                .filter(|r| regions.get(r).is_some())
                .ok_or_else(|| format!("Regio: '{r}' bestaat niet."))?,
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
        Ok(Knobs {
            region,
            capacity,
            from_year: num("vanaf", "Vanaf jaar", 0.0, 30.0)?.unwrap_or(1.0),
            until_year: num("tot", "Geleidelijk tot jaar", 0.0, 30.0)?,
            growth: num("groei", "Groei instroom", -20.0, 50.0)?.unwrap_or(0.0),
            homes: num("woningen", "Woningen per jaar", 0.0, 100_000.0)?,
            max_months: num("maxduur", "Maximale duur", 1.0, 600.0)?,
            years: num("jaren", "Horizon", 1.0, 20.0)?.unwrap_or(10.0).round(),
            replications: num("replicaties", "Replicaties", 10.0, 2000.0)?
                .unwrap_or(200.0)
                .round() as u64,
            empirical: match get("verblijf") {
                None | Some("lognormaal") => false,
                Some("empirisch") => true,
                Some(v) => {
                    return Err(format!(
                        "Verblijfsduur: '{v}' is geen lognormaal of empirisch."
                    ));
                }
            },
        })
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

/// A published figure as a spreadsheet cell: exact numbers as numbers, the rest as text.
pub fn fig_cell(f: Figure) -> Cell {
    match f {
        Figure::Exact(n) => Cell::Int(n as i64),
        Figure::Hidden => Cell::Text("—".into()),
        other => Cell::Text(other.to_string()),
    }
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
            Some(t) => format!("Kleine aantallen (1 tot {t}) zijn vervangen door <{t}; in uitsplitsingen naar gemeente is zo nodig ook het grootste getal verborgen (—), zoals in de monitor."),
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
}
