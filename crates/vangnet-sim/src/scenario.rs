//! The scenario file format (TOML) and its parser. Every error names its line.
//!
//! ```toml
//! name = "Regio 1x"
//! horizon_years = 20
//! warmup_years = 0        # optional
//! replications = 200      # optional, default 100
//! seed = 42               # optional, default 1
//! start = "2026-06-30"    # optional: calendar date of time 0 (month series at month ends)
//! origins = ["GM0505", "GM0590", ""]   # optional: gemeenten of origin ("" = unknown)
//!
//! [[node]]
//! id = "bw"
//! servers = 120
//! queue_capacity = 50     # optional; absent = unlimited waiting list
//! service = { dist = "lognormal", mean_days = 730, cv = 0.7 }   # or exponential / deterministic (days = …)
//! # or empirical: quantiles (days) at equal probability steps up to 1 − tail_share, then an
//! # exponential tail: { dist = "empirical", quantiles = [5, 40, 200, 900], tail_share = 0.1, tail_mean_days = 400 }
//! arrivals = { per_year = 30, trend = 0.01, seasonal = 0.1, peak_month = 1, origins = [0.5, 0.3, 0.2] }
//! classes = [0.3, 0.7]    # shares of arrivals per priority class (0 = highest)
//! max_days = 730          # optional: maximum length of stay (hard cap)
//! exits = { wlz = 0.2, onbekend = 0.8 }   # optional: destinations of those leaving (emitted events)
//! homes_as = { housing_first = 0.3, eigen_woning_sociaal = 0.7 }   # optional: kinds of home
//! routes = { groepswonen = 0.3, woningen = 0.4 }   # the remainder leaves the network
//! capacity = [{ at_year = 5, servers = 100 }]   # afbouw/opbouw over time; a new
//!                         # initiative is a node with servers = 0 and a later capacity step
//!
//! [[node]]
//! id = "woningen"
//! homes_per_year = 60     # housing: a stream of homes; people wait for one where they are
//!
//! [[initial]]             # the observed starting state
//! node = "bw"
//! count = 110
//! elapsed_days = 300      # in service this long already; or waiting_days = … for the list
//! class = 0
//! origin = "GM0505"       # optional, one of `origins`
//! blocked_to = "woningen" # optional, with elapsed_days: the stay is over, waiting for a place there
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::model::{Arrivals, CapacityChange, Initial, InitialState, Model, Node, Service, YEAR};

/// One problem in a scenario file, with its 1-based line (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// 1-based line; 0 if the whole file is concerned.
    pub line: usize,
    /// What is wrong, in Dutch.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "regel {}: {}", self.line, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    #[serde(default)]
    name: String,
    horizon_years: Spanned<f64>,
    warmup_years: Option<Spanned<f64>>,
    replications: Option<Spanned<u32>>,
    seed: Option<u64>,
    start: Option<Spanned<String>>,
    #[serde(default)]
    origins: Vec<String>,
    #[serde(default)]
    node: Vec<RawNode>,
    #[serde(default)]
    initial: Vec<RawInitial>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    id: Spanned<String>,
    servers: Option<Spanned<u32>>,
    queue_capacity: Option<u32>,
    homes_per_year: Option<Spanned<f64>>,
    service: Option<RawService>,
    arrivals: Option<RawArrivals>,
    classes: Option<Spanned<Vec<f64>>>,
    routes: Option<Spanned<BTreeMap<String, f64>>>,
    max_days: Option<Spanned<f64>>,
    exits: Option<Spanned<BTreeMap<String, f64>>>,
    homes_as: Option<Spanned<BTreeMap<String, f64>>>,
    #[serde(default)]
    capacity: Vec<RawCapacity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    dist: Spanned<String>,
    mean_days: Option<f64>,
    cv: Option<f64>,
    days: Option<f64>,
    quantiles: Option<Vec<f64>>,
    tail_share: Option<f64>,
    tail_mean_days: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArrivals {
    per_year: Spanned<f64>,
    #[serde(default)]
    trend: f64,
    seasonal: Option<Spanned<f64>>,
    peak_month: Option<f64>,
    origins: Option<Vec<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapacity {
    at_year: Spanned<f64>,
    servers: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInitial {
    node: Spanned<String>,
    #[serde(default = "one")]
    count: u32,
    #[serde(default)]
    class: u8,
    elapsed_days: Option<f64>,
    waiting_days: Option<f64>,
    origin: Option<String>,
    blocked_to: Option<String>,
}

fn one() -> u32 {
    1
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// Parse and validate a scenario; on failure, every error found, each with its line.
pub fn parse(text: &str) -> Result<Model, Vec<ScenarioError>> {
    let raw: RawScenario = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_at(text, s.start)).unwrap_or(0);
        vec![ScenarioError {
            line,
            message: e.message().trim().to_owned(),
        }]
    })?;
    let mut errors = Vec::new();
    let mut err = |line: usize, message: String| errors.push(ScenarioError { line, message });
    let line = |span: std::ops::Range<usize>| line_at(text, span.start);

    let horizon = *raw.horizon_years.get_ref();
    if !(horizon > 0.0 && horizon <= 1000.0) {
        err(
            line(raw.horizon_years.span()),
            format!("horizon_years moet tussen 0 en 1000 liggen, niet {horizon}"),
        );
    }
    let warmup = raw.warmup_years.as_ref().map_or(0.0, |w| *w.get_ref());
    if let Some(w) = &raw.warmup_years
        && !(warmup >= 0.0 && warmup < horizon)
    {
        err(
            line(w.span()),
            format!("warmup_years moet ≥ 0 en kleiner dan horizon_years zijn, niet {warmup}"),
        );
    }
    if let Some(r) = &raw.replications
        && *r.get_ref() == 0
    {
        err(line(r.span()), "replications moet minstens 1 zijn".into());
    }
    let start = match &raw.start {
        None => None,
        Some(s) => match vangnet_domain::Date::parse(s.get_ref()) {
            Ok(d) => Some(d),
            Err(e) => {
                err(line(s.span()), format!("start: {e}"));
                None
            }
        },
    };
    if raw.node.is_empty() {
        err(0, "het scenario heeft geen [[node]]".into());
    }

    let mut index = BTreeMap::new();
    for (i, n) in raw.node.iter().enumerate() {
        if index.insert(n.id.get_ref().clone(), i).is_some() {
            err(
                line(n.id.span()),
                format!("node {} komt twee keer voor", n.id.get_ref()),
            );
        }
    }

    let mut nodes = Vec::new();
    let mut changes = Vec::new();
    let mut tables = Vec::new();
    for (i, n) in raw.node.iter().enumerate() {
        let id = n.id.get_ref();
        let at = line(n.id.span());
        let mut node = if let Some(h) = &n.homes_per_year {
            let homes = *h.get_ref();
            if n.servers.is_some() || n.service.is_some() || n.queue_capacity.is_some() {
                err(
                    line(h.span()),
                    format!(
                        "node {id}: homes_per_year gaat niet samen met servers, service of queue_capacity"
                    ),
                );
            }
            if !(homes > 0.0 && homes.is_finite()) {
                err(
                    line(h.span()),
                    format!("node {id}: homes_per_year moet groter dan 0 zijn"),
                );
            }
            Node::housing(id, homes.max(1e-9))
        } else {
            let servers = match &n.servers {
                Some(s) => *s.get_ref(),
                None => {
                    err(
                        at,
                        format!("node {id}: servers (aantal plaatsen) of homes_per_year ontbreekt"),
                    );
                    1
                }
            };
            let service = match &n.service {
                Some(s) => parse_service(s, id, &mut tables).unwrap_or_else(|m| {
                    err(line(s.dist.span()), m);
                    Service::Exponential { mean: 1.0 }
                }),
                None => {
                    err(at, format!("node {id}: service (verblijfsduur) ontbreekt"));
                    Service::Exponential { mean: 1.0 }
                }
            };
            let mut node = Node::new(id, servers, service);
            node.queue_capacity = n.queue_capacity;
            node
        };
        if let Some(a) = &n.arrivals {
            let per_year = *a.per_year.get_ref();
            if !(per_year >= 0.0 && per_year.is_finite()) {
                err(
                    line(a.per_year.span()),
                    format!("node {id}: per_year moet ≥ 0 zijn"),
                );
            }
            let seasonal = a.seasonal.as_ref().map_or(0.0, |s| *s.get_ref());
            if let Some(s) = &a.seasonal
                && !(0.0..=1.0).contains(&seasonal)
            {
                err(
                    line(s.span()),
                    format!("node {id}: seasonal moet tussen 0 en 1 liggen"),
                );
            }
            let peak_month = a.peak_month.unwrap_or(1.0);
            if !(0.5..=12.5).contains(&peak_month) {
                err(
                    line(a.per_year.span()),
                    format!("node {id}: peak_month moet tussen 0,5 en 12,5 liggen"),
                );
            }
            let class_shares = match &n.classes {
                Some(c) => {
                    let v = c.get_ref().clone();
                    let sum: f64 = v.iter().sum();
                    if v.is_empty()
                        || v.len() > 16
                        || v.iter().any(|x| *x < 0.0)
                        || (sum - 1.0).abs() > 1e-6
                    {
                        err(
                            line(c.span()),
                            format!(
                                "node {id}: classes moet 1 tot 16 aandelen ≥ 0 met som 1 bevatten, niet {v:?}"
                            ),
                        );
                    }
                    v
                }
                None => vec![1.0],
            };
            let origin_shares = a.origins.clone().unwrap_or_default();
            if !origin_shares.is_empty() {
                let sum: f64 = origin_shares.iter().sum();
                if origin_shares.len() != raw.origins.len()
                    || origin_shares.iter().any(|x| *x < 0.0)
                    || (sum - 1.0).abs() > 1e-6
                {
                    err(
                        line(a.per_year.span()),
                        format!(
                            "node {id}: arrivals.origins moet {} aandelen ≥ 0 met som 1 bevatten (één per origins)",
                            raw.origins.len()
                        ),
                    );
                }
            }
            node.arrivals = Some(Arrivals {
                per_year,
                trend: a.trend,
                seasonal,
                peak_month,
                class_shares,
                origin_shares,
            });
        } else if let Some(c) = &n.classes {
            err(
                line(c.span()),
                format!("node {id}: classes zonder arrivals"),
            );
        }
        if let Some(r) = &n.routes {
            let mut sum = 0.0;
            for (to, p) in r.get_ref() {
                match index.get(to) {
                    Some(&j) if j == i => err(
                        line(r.span()),
                        format!("node {id}: route naar zichzelf is niet toegestaan"),
                    ),
                    Some(&j) => node.routes.push((j, *p)),
                    None => err(
                        line(r.span()),
                        format!("node {id}: route naar onbekende node {to}"),
                    ),
                }
                if !(0.0..=1.0).contains(p) {
                    err(
                        line(r.span()),
                        format!("node {id}: kans {p} naar {to} ligt niet tussen 0 en 1"),
                    );
                }
                sum += p;
            }
            if sum > 1.0 + 1e-9 {
                err(
                    line(r.span()),
                    format!("node {id}: de routekansen tellen op tot {sum}, meer dan 1"),
                );
            }
        }
        if let Some(m) = &n.max_days {
            let v = *m.get_ref();
            if !(v > 0.0 && v.is_finite()) || n.homes_per_year.is_some() {
                err(
                    line(m.span()),
                    format!("node {id}: max_days moet > 0 zijn (en geldt niet voor woningen)"),
                );
            }
            node.max_stay = Some(v);
        }
        for (name, raw, slot) in [
            ("exits", &n.exits, &mut node.exit_destinations),
            ("homes_as", &n.homes_as, &mut node.housing_destinations),
        ] {
            let Some(raw) = raw else { continue };
            let mut sum = 0.0;
            for (k, x) in raw.get_ref() {
                match toml::Value::String(k.clone())
                    .try_into::<vangnet_domain::events::Bestemming>()
                {
                    Ok(b) if (0.0..=1.0).contains(x) => {
                        slot.push((b, *x));
                        sum += x;
                    }
                    _ => err(
                        line(raw.span()),
                        format!(
                            "node {id}: {name}: '{k}' is geen bestemming met een aandeel tussen 0 en 1"
                        ),
                    ),
                }
            }
            // In the vocabulary's order (as calibrated), not the file's alphabetical one.
            slot.sort_by_key(|d| d.0);
            if !slot.is_empty() && (sum - 1.0).abs() > 1e-6 {
                err(
                    line(raw.span()),
                    format!("node {id}: {name}: de aandelen tellen op tot {sum}, niet 1"),
                );
            }
        }
        for c in &n.capacity {
            let t = *c.at_year.get_ref();
            if n.homes_per_year.is_some() {
                err(
                    line(c.at_year.span()),
                    format!("node {id}: capacity geldt niet voor een woningnode"),
                );
            }
            if !(t >= 0.0 && t <= horizon) {
                err(
                    line(c.at_year.span()),
                    format!("node {id}: at_year {t} ligt buiten de horizon"),
                );
            }
            changes.push(CapacityChange {
                at: t * YEAR,
                node: i,
                servers: c.servers,
            });
        }
        nodes.push(node);
    }
    changes.sort_by(|a, b| a.at.total_cmp(&b.at));

    let mut initial = Vec::new();
    for g in &raw.initial {
        let at = line(g.node.span());
        let Some(&node) = index.get(g.node.get_ref()) else {
            err(at, format!("initial: onbekende node {}", g.node.get_ref()));
            continue;
        };
        let to = match &g.blocked_to {
            None => None,
            Some(t) => match index.get(t) {
                Some(&j) if j != node => Some(j),
                _ => {
                    err(at, format!("initial: blocked_to {t} is geen andere node"));
                    continue;
                }
            },
        };
        let origin = match &g.origin {
            None => 0,
            Some(o) => match raw.origins.iter().position(|x| x == o) {
                Some(i) => i as u16,
                None => {
                    err(at, format!("initial: origin {o} staat niet in origins"));
                    continue;
                }
            },
        };
        let state = match (g.elapsed_days, g.waiting_days, to) {
            (Some(e), None, None) if e >= 0.0 => InitialState::InService { elapsed: e },
            (Some(e), None, Some(to)) if e >= 0.0 => InitialState::Blocked { elapsed: e, to },
            (None, Some(w), None) if w >= 0.0 => InitialState::Waiting { since: w },
            _ => {
                err(
                    at,
                    "initial: geef precies één van elapsed_days of waiting_days, ≥ 0".into(),
                );
                continue;
            }
        };
        if g.class >= 16 {
            err(at, "initial: class moet kleiner dan 16 zijn".into());
        }
        initial.push(Initial {
            node,
            class: g.class,
            count: g.count,
            state,
            origin,
        });
    }

    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    Ok(Model {
        name: raw.name,
        nodes,
        horizon: horizon * YEAR,
        warmup: warmup * YEAR,
        replications: raw.replications.map_or(100, |r| *r.get_ref()),
        seed: raw.seed.unwrap_or(1),
        capacity_changes: changes,
        initial,
        start,
        origins: raw.origins,
        tables,
    })
}

fn parse_service(
    s: &RawService,
    id: &str,
    tables: &mut Vec<crate::model::StayTable>,
) -> Result<Service, String> {
    let positive = |x: Option<f64>, name: &str| match x {
        Some(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!(
            "node {id}: service {} vraagt {name} > 0",
            s.dist.get_ref()
        )),
    };
    match s.dist.get_ref().as_str() {
        "exponential" => Ok(Service::Exponential {
            mean: positive(s.mean_days, "mean_days")?,
        }),
        "lognormal" => Ok(Service::LogNormal {
            mean: positive(s.mean_days, "mean_days")?,
            cv: positive(s.cv, "cv")?,
        }),
        "deterministic" => Ok(Service::Deterministic {
            days: positive(s.days, "days")?,
        }),
        "empirical" => {
            let q = s.quantiles.clone().unwrap_or_default();
            let tail_share = s.tail_share.unwrap_or(0.0);
            let tail_mean = s.tail_mean_days.unwrap_or(0.0);
            if q.len() < 2
                || q.iter().any(|x| !(x.is_finite() && *x >= 0.0))
                || q.windows(2).any(|w| w[1] < w[0])
            {
                return Err(format!(
                    "node {id}: empirical vraagt quantiles: minstens 2 oplopende getallen ≥ 0"
                ));
            }
            if !(0.0..1.0).contains(&tail_share)
                || (tail_share > 0.0 && (tail_mean.is_nan() || tail_mean <= 0.0))
            {
                return Err(format!(
                    "node {id}: tail_share moet in [0, 1) liggen, met tail_mean_days > 0 als hij > 0 is"
                ));
            }
            let t = crate::model::StayTable {
                quantiles: q,
                tail_share,
                tail_mean,
            };
            let mean = t.mean();
            tables.push(t);
            Ok(Service::Empirical {
                table: (tables.len() - 1) as u32,
                mean,
            })
        }
        other => Err(format!(
            "node {id}: onbekende verdeling {other:?} (exponential, lognormal, deterministic of empirical)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"
name = "t"
horizon_years = 2
[[node]]
id = "a"
servers = 3
service = { dist = "exponential", mean_days = 10 }
arrivals = { per_year = 50, trend = 0.02, seasonal = 0.2, peak_month = 2 }
classes = [0.25, 0.75]
routes = { w = 0.5 }
capacity = [{ at_year = 1, servers = 5 }]
[[node]]
id = "w"
homes_per_year = 12
[[initial]]
node = "a"
count = 2
elapsed_days = 4
"#;

    #[test]
    fn parses_a_scenario() {
        let m = parse(OK).unwrap();
        assert_eq!(m.nodes.len(), 2);
        assert_eq!(m.nodes[0].routes, vec![(1, 0.5)]);
        assert_eq!(m.nodes[1].queue_capacity, Some(0));
        assert_eq!(m.capacity_changes[0].servers, 5);
        assert_eq!(m.classes(), 2);
        assert_eq!(m.months(), 24);
    }

    #[test]
    fn the_example_scenario_covers_the_planning_questions_and_runs() {
        let m = parse(include_str!("../../../scenarios/afbouw-opbouw.toml"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let id = |s: &str| m.nodes.iter().position(|n| n.id == s).unwrap();
        // Afbouw intramural, opbouw ambulant, a new initiative: capacity over time.
        let steps = |n: usize| {
            m.capacity_changes
                .iter()
                .filter(|c| c.node == n)
                .map(|c| c.servers)
                .collect::<Vec<_>>()
        };
        assert_eq!(steps(id("bw-intramuraal")), vec![110, 100, 90]);
        assert_eq!(steps(id("beschermd-thuis")), vec![180, 210, 240]);
        assert_eq!(m.nodes[id("initiatief-beuningen")].servers, 0);
        assert_eq!(steps(id("initiatief-beuningen")), vec![12]);
        // Inflow growth, housing supply, a maximum duration, origins, the blocked start.
        assert!(m.nodes[0].arrivals.as_ref().unwrap().trend > 0.0);
        assert_eq!(m.nodes[id("woningen")].homes_per_year, Some(70.0));
        assert_eq!(m.nodes[id("groepswonen")].max_stay, Some(730.0));
        assert_eq!(m.origins.len(), 4);
        assert!(
            m.initial
                .iter()
                .any(|i| matches!(i.state, InitialState::Blocked { .. }))
        );
        let fan = crate::calibrate::forecast(&m, 20, 2, &|_| {});
        let i = id("initiatief-beuningen");
        assert_eq!(fan.get(crate::calibrate::Metric::Bezetting, i, 12)[4], 0.0);
        assert!(fan.get(crate::calibrate::Metric::Bezetting, i, fan.months - 1)[2] > 0.0);
        // Before it opens the initiative holds nobody (from Beuningen, its only origin).
        assert_eq!(
            fan.get_origin(crate::calibrate::Metric::Bezetting, i, 1, 20)[4],
            0.0
        );
    }

    #[test]
    fn errors_name_their_line() {
        let bad = OK.replace("routes = { w = 0.5 }", "routes = { x = 0.5 }");
        let e = parse(&bad).unwrap_err();
        assert_eq!(e[0].line, 10, "{e:?}");
        assert!(e[0].to_string().starts_with("regel 10: "), "{}", e[0]);
        assert!(e[0].message.contains("onbekende node x"));

        let bad = OK.replace("mean_days = 10", "mean_days = -1");
        let e = parse(&bad).unwrap_err();
        assert_eq!(e[0].line, 7, "{e:?}");

        let bad = OK.replace("servers = 3", "servers = \"drie\"");
        let e = parse(&bad).unwrap_err();
        assert_eq!(e[0].line, 6, "{e:?}");

        let bad = OK.replace("servers = 3", "servers = 3\nplaces = 4");
        let e = parse(&bad).unwrap_err();
        assert_eq!(e[0].line, 7, "{e:?}");

        let bad = OK.replace("node = \"a\"\ncount", "node = \"zz\"\ncount");
        let e = parse(&bad).unwrap_err();
        assert_eq!(e[0].line, 16, "{e:?}");
    }
}
