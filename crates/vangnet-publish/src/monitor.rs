//! The monitor's figures (DOMAIN.md §6, issue 4) as a viewer may see them: the sections of
//! `/monitor/{regio}` (tables with the data behind every chart), their written definitions
//! ([`DEFINITIES`], next to the code that computes each figure), the quarterly report per
//! gemeente, and their CSV/XLSX/JSON forms. Pure logic over a region's monitor cells
//! ([`CellCount`], as `Store::monitor` returns them); the web crate reads and caches the
//! cells (`vangnet_web::monitor::load`) and renders pages (`monitor_pages`).
//!
//! # Where the numbers come from
//!
//! The store keeps the monitor as cells per region × measure × month × product × gemeente ×
//! location × extra, maintained as facts arrive ([`vangnet_domain::monitor`] defines every
//! measure). A page reads all cells of one region once (the web's `load`, from the store's
//! in-memory monitor index, cached on the log's high-water mark, so any append invalidates
//! it), turns them into [`Data`] and adds
//! them up in memory: stocks (people in care,
//! waiting) as running sums of their monthly net flows, flows per month, distributions (days)
//! into buckets and quantiles. No page rescans events.
//!
//! # Small numbers
//!
//! Exact figures are for the region's own access team ([`crate::figures::threshold_for`]);
//! everyone else gets published figures with threshold `t` (`kleine_aantallen_drempel`):
//!
//! 1. **Cells**: a count `1..t-1` is `<t` ([`Figure::Small`]), in charts, tables, CSV, XLSX
//!    and JSON alike.
//! 2. **Totals** in a table (a month's total over products, a period over months, a quarter
//!    in the report) are [`crate::figures::total`] of the *published* parts: exact only when
//!    every part is, otherwise `≥` the lower bound the shown parts already give.
//! 3. **People in care** are shown in several breakdowns at once (per product, per ZIN/pgb,
//!    intramural/extramural/all BW, per gemeente group, in the region, with and without a
//!    gemeente or product filter): every one of them is a sum over the same building blocks
//!    — gemeente of origin (member, "buiten de regio", "niet ingeschreven") × product ×
//!    leveringsvorm at a month end. Per month end, **all** these selections are decided at
//!    once by complementary suppression ([`crate::complementary`], issue 12): a figure that
//!    is not small is exact (the region total, a gemeente's total, a product's), small ones
//!    are `<t`, and the fewest further figures are hidden (`—`) so that no suppressed figure
//!    is a sum or difference of published ones — whichever filters, sections (in care,
//!    ambulantisering, herkomst per gemeente, the quarterly report) and formats a reader
//!    combines, since they all read the same decided figures ([`Monitor::zorg_figuur`]).
//!    Not covered: narrowing by non-negativity (two `<5` figures with a known sum of 3),
//!    and a month end against the next month's flows (see below). The woonplaatsbeginsel
//!    view of one gemeente keeps rule 2 and rule 4 against the exact in-care total.
//! 4. **Breakdowns of a total that is published exactly elsewhere on the page** (length of
//!    stay and destinations over the period divide the monthly outflow, the woonplaatsbeginsel
//!    column divides the people in care) get secondary suppression ([`protect`]): when one has
//!    a `<t` cell, its largest exact cell is hidden (`—`), or the whole breakdown when that is
//!    not enough, so that no suppressed cell can be narrowed below `1..t-1` by subtraction.
//! 5. **Quantiles** (median, quartiles) only from at least [`KWANTIEL_MIN`] observations;
//!    **MO nights** only where the number of people behind them is shown.
//! 6. **No figures per provider** for aggregate viewers (the rule of the region page: per
//!    location or provider the care table's totals could be subtracted).
//! 7. **The running month** is not published to aggregate viewers: it is incomplete, and its
//!    month-end stock would equal the region page's current figures in another breakdown.
//!
//! What these rules do *not* cover, and is documented on the definitions page: differences
//! between separate requests for flows (another period, or the region minus a gemeente) and
//! between a stock's month-to-month change and that month's flows. Those are the classic
//! differencing risks of an interactive dashboard; publication for a wider audience should
//! use fixed periods.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};
use vangnet_domain::events::Bestemming;
use vangnet_domain::monitor::Measure;
use vangnet_domain::region::{Domain, RegionProfile, Setting};
use vangnet_domain::{AgbCode, Date, GemeenteCode, Maand, ProductCode};
use vangnet_tabular as tabular;

use crate::figures::{Figure, cell, total};
use crate::names as labels;

/// Fewest observations behind a published median or quartile (aggregate viewers).
pub const KWANTIEL_MIN: u64 = 10;

/// Longest period one page shows, in months.
pub const MAX_MAANDEN: i32 = 120;

/// Default period, in months.
pub const STANDAARD_MAANDEN: i32 = 24;

// ---------------------------------------------------------------------------------------
// Quarters (months are [`Maand`])

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Kwartaal {
    /// Year.
    pub jaar: u32,
    /// 1..=4.
    pub q: u32,
}

impl Kwartaal {
    /// The quarter holding month `m`.
    pub fn van_maand(m: Maand) -> Kwartaal {
        Kwartaal {
            jaar: m.jaar() as u32,
            q: m.kwartaal(),
        }
    }

    /// Parse `2026-3` (also `2026-Q3`, `2026K3`).
    pub fn parse(s: &str) -> Option<Kwartaal> {
        let s = s.trim().to_ascii_uppercase();
        let (y, q) = s.split_once(['-', 'Q', 'K'])?;
        let q = q.trim_start_matches(['-', 'Q', 'K']);
        let jaar: u32 = y.parse().ok()?;
        let q: u32 = q.parse().ok()?;
        ((1990..=2100).contains(&jaar) && (1..=4).contains(&q)).then_some(Kwartaal { jaar, q })
    }

    /// First month.
    pub fn eerste(self) -> Maand {
        Maand::new(self.jaar as i32, (self.q - 1) * 3 + 1).expect("a quarter's first month")
    }

    /// Last month.
    pub fn laatste(self) -> Maand {
        self.eerste().plus(2)
    }

    /// The same quarter a year earlier.
    pub fn jaar_eerder(self) -> Kwartaal {
        Kwartaal {
            jaar: self.jaar - 1,
            q: self.q,
        }
    }

    /// The quarter before.
    pub fn vorige(self) -> Kwartaal {
        Kwartaal::van_maand(self.eerste().plus(-1))
    }

    /// `2026-3` (the query value).
    pub fn sleutel(self) -> String {
        format!("{}-{}", self.jaar, self.q)
    }

    /// `3e kwartaal 2026`.
    pub fn naam(self) -> String {
        format!("{}e kwartaal {}", self.q, self.jaar)
    }

    /// `K3 2026`.
    pub fn kort(self) -> String {
        format!("K{} {}", self.q, self.jaar)
    }
}

// ---------------------------------------------------------------------------------------
// Filters

/// Which gemeente a person in care belongs to when one gemeente is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soort {
    /// Registration (BRP) at application.
    Herkomst,
    /// The responsible gemeente under the woonplaatsbeginsel.
    Woonplaatsbeginsel,
}

/// How the in-care chart is stacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indeling {
    /// Per product.
    Product,
    /// Zorg in natura vs pgb.
    Leveringsvorm,
}

/// The monitor's filters, validated against the region profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// One member gemeente (none: the whole region).
    pub gemeente: Option<GemeenteCode>,
    /// One product.
    pub product: Option<ProductCode>,
    /// One provider (figures only for exact viewers).
    pub aanbieder: Option<AgbCode>,
    /// First month shown.
    pub van: Maand,
    /// Last month shown.
    pub tot: Maand,
    /// Gemeente of origin or woonplaatsbeginsel (in-care stock of a selected gemeente).
    pub soort: Soort,
    /// Stacking of the in-care chart.
    pub indeling: Indeling,
}

/// The last month a viewer may see: the running month for exact viewers, the last complete
/// month for everyone else (rule 7).
pub fn laatste_maand(today: Date, exact: bool) -> Maand {
    let current = Maand::of(today);
    if exact { current } else { current.plus(-1) }
}

/// A month of the `van`/`tot` filter: `JJJJ-MM` between 1990 and 2100 (the monitor has no
/// months outside), or a Dutch error naming the filter.
pub fn parse_maand(veld: &str, s: &str, voorbeeld: &str) -> Result<Maand, String> {
    match Maand::parse(s) {
        Ok(m) if (1990..=2100).contains(&m.jaar()) => Ok(m),
        Ok(m) => Err(format!(
            "Filter {veld}: {m} ligt buiten 1990–2100 (verwacht bijvoorbeeld {voorbeeld})."
        )),
        Err(_) => Err(format!(
            "Filter {veld}: '{}' is geen maand (verwacht bijvoorbeeld {voorbeeld}).",
            s.trim()
        )),
    }
}

/// The value of query parameter `k` (trimmed, empty = absent).
pub fn param<'a>(q: &'a [(String, String)], k: &str) -> Option<&'a str> {
    q.iter()
        .rev()
        .find(|(a, _)| a == k)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

impl Filters {
    /// Parse and validate the query. Returns the filters and notices for the viewer (e.g. a
    /// `tot` beyond what they may see, moved back), or a Dutch error naming the field.
    pub fn parse(
        profile: &RegionProfile,
        q: &[(String, String)],
        today: Date,
        exact: bool,
    ) -> Result<(Filters, Vec<String>), String> {
        let mut notes = Vec::new();
        let gemeente = match param(q, "gemeente") {
            None => None,
            Some(s) => {
                let g = GemeenteCode::parse(s)
                    .map_err(|e| format!("Filter gemeente: '{s}' is geen gemeentecode ({e})."))?;
                if profile.gemeente(g).is_none() {
                    return Err(format!(
                        "Filter gemeente: {} hoort niet bij {}.",
                        crate::names::gemeente_name(profile, s),
                        profile.name
                    ));
                }
                Some(g)
            }
        };
        let product = match param(q, "product") {
            None => None,
            Some(s) => Some(
                ProductCode::parse(s)
                    .ok()
                    .filter(|p| profile.product(p).is_some())
                    .ok_or_else(|| {
                        format!(
                            "Filter product: '{s}' staat niet in de productcatalogus van {}.",
                            profile.name
                        )
                    })?,
            ),
        };
        let aanbieder = match param(q, "aanbieder") {
            None => None,
            Some(s) => Some(
                AgbCode::parse(s)
                    .ok()
                    .filter(|a| profile.provider(*a).is_some())
                    .ok_or_else(|| {
                        format!(
                            "Filter aanbieder: '{s}' is geen aanbieder in {}.",
                            profile.name
                        )
                    })?,
            ),
        };
        let max = laatste_maand(today, exact);
        let mut tot = match param(q, "tot") {
            None => max,
            Some(s) => parse_maand("tot", s, "2026-09")?,
        };
        if tot > max {
            notes.push(if exact {
                format!(
                    "Latere maanden dan {} hebben nog geen cijfers; de periode loopt tot en met {}.",
                    max.naam(),
                    max.naam()
                )
            } else {
                format!(
                    "De lopende maand is nog niet compleet en wordt niet gepubliceerd; de periode loopt tot en met {}.",
                    max.naam()
                )
            });
            tot = max;
        }
        let van = match param(q, "van") {
            None => tot.plus(-(STANDAARD_MAANDEN - 1)),
            Some(s) => parse_maand("van", s, "2024-10")?,
        };
        if van > tot {
            return Err(format!(
                "Filter van: {} ligt na {} (tot).",
                van.naam(),
                tot.naam()
            ));
        }
        if van.between(tot) >= MAX_MAANDEN {
            return Err(format!(
                "Filter van: een periode van hoogstens {MAX_MAANDEN} maanden; kies een latere beginmaand."
            ));
        }
        let soort = match param(q, "gemeente_soort") {
            None | Some("herkomst") => Soort::Herkomst,
            Some("woonplaatsbeginsel") => Soort::Woonplaatsbeginsel,
            Some(s) => {
                return Err(format!(
                    "Filter gemeente_soort: '{s}' is geen keuze (herkomst of woonplaatsbeginsel)."
                ));
            }
        };
        let indeling = match param(q, "indeling") {
            None | Some("product") => Indeling::Product,
            Some("leveringsvorm") => Indeling::Leveringsvorm,
            Some(s) => {
                return Err(format!(
                    "Filter indeling: '{s}' is geen keuze (product of leveringsvorm)."
                ));
            }
        };
        Ok((
            Filters {
                gemeente,
                product,
                aanbieder,
                van,
                tot,
                soort,
                indeling,
            },
            notes,
        ))
    }

    /// The query pairs of these filters (only what differs from "everything"; the period is
    /// always written so a shared link shows the same months).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(g) = self.gemeente {
            out.push(("gemeente", g.to_string()));
        }
        if let Some(p) = &self.product {
            out.push(("product", p.to_string()));
        }
        if let Some(a) = self.aanbieder {
            out.push(("aanbieder", a.to_string()));
        }
        out.push(("van", self.van.to_string()));
        out.push(("tot", self.tot.to_string()));
        if self.soort == Soort::Woonplaatsbeginsel {
            out.push(("gemeente_soort", "woonplaatsbeginsel".into()));
        }
        if self.indeling == Indeling::Leveringsvorm {
            out.push(("indeling", "leveringsvorm".into()));
        }
        out
    }

    /// The query string (`a=b&c=d`), values percent-encoded.
    pub fn query(&self) -> String {
        query_string(&self.pairs())
    }

    /// `path?query`.
    pub fn href(&self, path: &str) -> String {
        format!("{path}?{}", self.query())
    }

    /// The same filters with another gemeente (drill-down keeps everything else).
    pub fn met_gemeente(&self, g: Option<GemeenteCode>) -> Filters {
        Filters {
            gemeente: g,
            ..self.clone()
        }
    }

    /// The same filters with another product.
    pub fn met_product(&self, p: Option<ProductCode>) -> Filters {
        Filters {
            product: p,
            ..self.clone()
        }
    }

    /// The same filters with another provider.
    pub fn met_aanbieder(&self, a: Option<AgbCode>) -> Filters {
        Filters {
            aanbieder: a,
            ..self.clone()
        }
    }

    /// `van-tot` for file names: `2024-11-2026-10`.
    pub fn periode_sleutel(&self) -> String {
        format!("{}-{}", self.van, self.tot)
    }
}

/// `a=b&c=d`, keys and values encoded as an HTML form would (`application/x-www-form-urlencoded`,
/// so a space is `+`); the same encoding the query parser of the web layer reads back.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish()
}

// ---------------------------------------------------------------------------------------
// Loaded cells

/// One monitor cell as the store keeps it (see [`vangnet_domain::monitor::CellRow`]), with
/// its count: the input of [`Data::from_cells`]. Borrowed, so the web layer hands over the
/// store's rows without copying their text keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellCount<'a> {
    /// What is counted.
    pub measure: Measure,
    /// `yyyymm` (or `yyyy00` for yearly measures): the storage key.
    pub maand: u32,
    /// Product code (`""` for none).
    pub product: &'a str,
    /// `GMdddd` (`""` for not registered / unknown).
    pub gemeente: &'a str,
    /// Location id (`""` for none).
    pub locatie: &'a str,
    /// Measure-specific number (leveringsvorm, destination, days, …).
    pub extra: u32,
    /// Count (a net flow for stocks).
    pub n: i64,
}

/// One stored cell with its keys turned into indices of the region profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rec {
    /// `yyyymm` (`yyyy00` for yearly measures).
    pub maand: u32,
    /// Gemeente group: member index, then [`Data::buiten`], then [`Data::niet_ingeschreven`].
    pub g: u16,
    /// Product index + 1 (0: none or not in the catalogue).
    pub p: u16,
    /// Provider index + 1 of the cell's location (0: no location).
    pub a: u16,
    /// The measure's extra.
    pub x: u32,
    /// Count (net flow for stocks).
    pub n: i64,
}

/// The decided in-care figures of one month end (see [`Monitor::zorg_figuur`]).
type ZorgPublicatie = std::sync::Arc<HashMap<ZorgSleutel, Figure>>;

/// A region's monitor cells, per measure (in [`Measure::ALL`] order).
#[derive(Debug, Clone, Default)]
pub struct Data {
    rows: Vec<Vec<Rec>>,
    members: u16,
    /// The in-care publications decided so far, per (month key, threshold): they depend on
    /// the cells only (not on the filter), so every [`Monitor`] over these cells — every
    /// request while the web's cache holds them — shares them.
    zorg: std::sync::Arc<std::sync::Mutex<HashMap<(u32, u32), ZorgPublicatie>>>,
}

fn measure_ix(m: Measure) -> usize {
    Measure::ALL
        .iter()
        .position(|x| *x == m)
        .expect("every measure is listed")
}

impl Data {
    /// Turn a region's cells into indexed cells.
    pub fn from_cells<'c>(
        profile: &RegionProfile,
        cells: impl IntoIterator<Item = CellCount<'c>>,
    ) -> Data {
        let members = profile.gemeenten.len() as u16;
        let codes: Vec<String> = profile
            .gemeenten
            .iter()
            .map(|g| g.code.to_string())
            .collect();
        let gemeente: HashMap<&str, u16> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i as u16))
            .collect();
        let product: HashMap<&str, u16> = profile
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code.as_str(), i as u16 + 1))
            .collect();
        let provider: HashMap<&str, u16> = profile
            .locations
            .iter()
            .map(|l| {
                let a = profile
                    .providers
                    .iter()
                    .position(|p| p.agb == l.provider)
                    .map_or(0, |i| i as u16 + 1);
                (l.id.as_str(), a)
            })
            .collect();
        let mut out = vec![Vec::new(); Measure::ALL.len()];
        for r in cells {
            // The money's day measures (issue 13) are no monitor figures.
            if r.measure.is_day_count() {
                continue;
            }
            let g = if r.gemeente.is_empty() {
                members + 1
            } else {
                gemeente.get(r.gemeente).copied().unwrap_or(members)
            };
            out[measure_ix(r.measure)].push(Rec {
                maand: r.maand,
                g,
                p: product.get(r.product).copied().unwrap_or(0),
                a: provider.get(r.locatie).copied().unwrap_or(0),
                x: r.extra,
                n: r.n,
            });
        }
        Data {
            rows: out,
            members,
            zorg: Default::default(),
        }
    }

    /// The cells of one measure.
    pub fn rows(&self, m: Measure) -> &[Rec] {
        self.rows.get(measure_ix(m)).map_or(&[], |v| v.as_slice())
    }

    /// Group index of "buiten de regio".
    pub fn buiten(&self) -> u16 {
        self.members
    }

    /// Group index of "niet ingeschreven".
    pub fn niet_ingeschreven(&self) -> u16 {
        self.members + 1
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.rows.iter().map(Vec::len).sum()
    }

    /// No cells at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An in-care building block: gemeente group, product, leveringsvorm.
type Blok = (u16, u16, u32);

// ---------------------------------------------------------------------------------------
// Published figures

/// The published figure of a count that is a sum of building blocks (rules 1–3): exact for
/// exact viewers, otherwise [`total`] of the blocks as cells.
pub fn som(t: Option<u32>, blocks: impl IntoIterator<Item = i64>) -> Figure {
    let figs: Vec<Figure> = blocks
        .into_iter()
        .filter(|n| *n != 0)
        .map(|n| cell(n.max(0) as u64, t))
        .collect();
    if figs.is_empty() {
        Figure::Exact(0)
    } else {
        total(&figs)
    }
}

/// Secondary suppression of one breakdown whose total a reader may know from elsewhere
/// (rule 4). Cells are published by rule 1. If one is `<t`, the largest exact cell is hidden
/// (`—`), always — whether hiding is needed must not depend on the small cells, or the choice
/// itself would tell. A reader who knows the total then knows `S`, the sum of everything not
/// shown exactly (the `<t` cells, the hidden cell and `rest`, an unpublished part of the same
/// total), and that the hidden cell is at least `L = max(t, largest exact cell still shown +
/// 1)`. Each of the `k` cells `<t` keeps its whole range `1..t-1` when
/// `S - (k-1) - L >= t-1`; if not, the whole breakdown is hidden. Checked by brute force in
/// the tests against a reader who knows the rule.
pub fn protect(values: &[u64], t: Option<u32>, rest: Option<u64>) -> Vec<Figure> {
    let Some(t) = t else {
        return values.iter().map(|v| Figure::Exact(*v)).collect();
    };
    let mut figs: Vec<Figure> = values.iter().map(|v| cell(*v, Some(t))).collect();
    let small: Vec<usize> = (0..values.len())
        .filter(|i| matches!(figs[*i], Figure::Small(_)))
        .collect();
    if small.is_empty() {
        return figs;
    }
    let k = small.len() as i64;
    let need = i64::from(t) - 1 + (k - 1);
    let s: i64 = small.iter().map(|i| values[*i] as i64).sum::<i64>() + rest.unwrap_or(0) as i64;
    let exact: Vec<usize> = (0..values.len())
        .filter(|i| matches!(figs[*i], Figure::Exact(v) if v > 0))
        .collect();
    // The largest exact cell, the first one on ties.
    match exact
        .iter()
        .copied()
        .max_by(|a, b| values[*a].cmp(&values[*b]).then(b.cmp(a)))
    {
        Some(h) => {
            let shown_max = exact
                .iter()
                .filter(|i| **i != h)
                .map(|i| values[*i] + 1)
                .max()
                .unwrap_or(0);
            let l = u64::from(t).max(shown_max) as i64;
            if s + values[h] as i64 - l >= need {
                figs[h] = Figure::Hidden;
                return figs;
            }
        }
        // Nothing exact to hide: only an unpublished rest can protect.
        None if rest.is_some() && s >= need => return figs,
        None => {}
    }
    vec![Figure::Hidden; values.len()]
}

/// A measurement that is not a count of people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eenheid {
    /// Days.
    Dagen,
    /// Months.
    Maanden,
    /// Percent.
    Procent,
    /// A signed difference between two published counts.
    Verschil,
    /// Places from the region profile (configuration, not client data).
    Plaatsen,
}

impl Eenheid {
    /// JSON key.
    pub fn sleutel(self) -> &'static str {
        match self {
            Eenheid::Dagen => "dagen",
            Eenheid::Maanden => "maanden",
            Eenheid::Procent => "procent",
            Eenheid::Verschil => "verschil",
            Eenheid::Plaatsen => "plaatsen",
        }
    }
}

/// One value in a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A count of people (or nights, or decisions) as published.
    F(Figure),
    /// A measurement (`None`: not shown).
    N(Option<f64>, Eenheid),
    /// Text.
    T(String),
}

impl Val {
    /// As shown on screen.
    pub fn tekst(&self) -> String {
        match self {
            Val::F(f) => f.to_string(),
            Val::N(None, _) => "—".into(),
            Val::N(Some(x), e) => match e {
                Eenheid::Procent => format!("{} %", decimaal(*x, 1)),
                Eenheid::Maanden => decimaal(*x, 1),
                Eenheid::Verschil => {
                    if *x > 0.0 {
                        format!("+{}", decimaal(*x, 0))
                    } else if *x < 0.0 {
                        format!("−{}", decimaal(-*x, 0))
                    } else {
                        "0".into()
                    }
                }
                Eenheid::Dagen | Eenheid::Plaatsen => decimaal(*x, 0),
            },
            Val::T(s) => s.clone(),
        }
    }

    /// As a spreadsheet cell: numbers as numbers, suppressed figures withheld
    /// ([`Figure::cel`]).
    pub fn cel(&self) -> tabular::Cell {
        match self {
            Val::F(f) => f.cel(),
            Val::N(None, _) => tabular::Cell::Empty,
            Val::N(Some(x), Eenheid::Maanden | Eenheid::Procent) => {
                tabular::Cell::Number((x * 10.0).round() / 10.0)
            }
            Val::N(Some(x), _) => tabular::Cell::Int(x.round() as i64),
            Val::T(s) => tabular::Cell::Text(s.clone()),
        }
    }

    /// As JSON: counts bare (number, `"<5"`, `"≥12"`, `null`), measurements as
    /// `{"dagen": 42}` and the like, text as `{"tekst": "…"}`.
    pub fn json(&self) -> Value {
        match self {
            Val::F(f) => serde_json::to_value(f).unwrap_or(Value::Null),
            Val::N(x, e) => {
                let v = x.map(|x| match e {
                    Eenheid::Maanden | Eenheid::Procent => json!((x * 10.0).round() / 10.0),
                    _ => json!(x.round() as i64),
                });
                json!({ e.sleutel(): v })
            }
            Val::T(s) => json!({ "tekst": s }),
        }
    }
}

/// A number with a decimal comma and `d` decimals; whole numbers with thousands dots.
pub fn decimaal(x: f64, d: usize) -> String {
    if d == 0 {
        let r = x.round();
        if r >= 0.0 {
            labels::thousands(r as u64)
        } else {
            format!("-{}", labels::thousands((-r) as u64))
        }
    } else {
        format!("{x:.d$}").replace('.', ",")
    }
}

/// A column.
#[derive(Debug, Clone, PartialEq)]
pub struct Kolom {
    /// Header.
    pub label: String,
    /// Drill-down link (a product column).
    pub link: Option<String>,
}

/// A row.
#[derive(Debug, Clone, PartialEq)]
pub struct Rij {
    /// Row header (a month, a gemeente, a bucket…).
    pub label: String,
    /// Stable key (`2026-09`, `GM0505`, …) for JSON.
    pub sleutel: String,
    /// Drill-down link (a gemeente row).
    pub link: Option<String>,
    /// One value per column.
    pub waarden: Vec<Val>,
    /// A total row.
    pub totaal: bool,
}

/// A table: exactly what a section shows, and what its exports contain.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tabel {
    /// Caption.
    pub titel: String,
    /// Header of the row-label column.
    pub kop: String,
    /// Columns.
    pub kolommen: Vec<Kolom>,
    /// Rows.
    pub rijen: Vec<Rij>,
    /// Notes (sources, suppression), also written into the workbook.
    pub noten: Vec<String>,
}

impl Tabel {
    /// The table for CSV/XLSX.
    pub fn tabular(&self) -> tabular::Table {
        let mut columns = vec![self.kop.clone()];
        columns.extend(self.kolommen.iter().map(|k| k.label.clone()));
        tabular::Table {
            title: self.titel.clone(),
            columns,
            rows: self
                .rijen
                .iter()
                .map(|r| {
                    let mut row = vec![tabular::Cell::Text(r.label.clone())];
                    row.extend(r.waarden.iter().map(Val::cel));
                    row
                })
                .collect(),
            notes: self.noten.clone(),
            ..tabular::Table::default()
        }
    }

    /// The table as JSON.
    pub fn json(&self) -> Value {
        json!({
            "titel": self.titel,
            "kop": self.kop,
            "kolommen": self.kolommen.iter().map(|k| k.label.clone()).collect::<Vec<_>>(),
            "rijen": self.rijen.iter().map(|r| json!({
                "label": r.label,
                "sleutel": r.sleutel,
                "totaal": r.totaal,
                "cellen": r.waarden.iter().map(Val::json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "noten": self.noten,
        })
    }
}

/// A series of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Reeks {
    /// Legend label.
    pub naam: String,
    /// Fill colour (contrast ≥ 3:1 on white).
    pub kleur: &'static str,
    /// One figure per category.
    pub waarden: Vec<Figure>,
    /// Drill-down link of the legend entry.
    pub link: Option<String>,
}

/// A series of a line chart (measurements, not counts).
#[derive(Debug, Clone, PartialEq)]
pub struct Lijn {
    /// Legend label.
    pub naam: String,
    /// Stroke colour.
    pub kleur: &'static str,
    /// One value per category (`None`: not shown).
    pub waarden: Vec<Option<f64>>,
}

/// What a section draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Grafiek {
    /// Vertical bars per category (months, buckets), stacked or side by side.
    Staven {
        /// Category labels.
        categorieen: Vec<String>,
        /// Series.
        reeksen: Vec<Reeks>,
        /// Stacked (else grouped).
        gestapeld: bool,
        /// Unit on the axis.
        eenheid: &'static str,
    },
    /// Horizontal grouped bars per category (gemeenten, destinations).
    Liggend {
        /// Category labels.
        categorieen: Vec<String>,
        /// Drill-down links per category.
        links: Vec<Option<String>>,
        /// Colour per category (overrides the series colour; destinations by group).
        kleuren: Vec<Option<&'static str>>,
        /// Series.
        reeksen: Vec<Reeks>,
        /// Series that are configuration (places): never suppressed.
        exact: Vec<bool>,
    },
    /// Lines over categories (medians, shares), with an optional reference line.
    Lijnen {
        /// Category labels.
        categorieen: Vec<String>,
        /// Series.
        lijnen: Vec<Lijn>,
        /// Reference value and its label (a norm).
        referentie: Option<(f64, String)>,
        /// Unit on the axis.
        eenheid: &'static str,
        /// Fixed axis maximum (percentages: 100).
        max: Option<f64>,
    },
}

/// One section of the monitor page.
#[derive(Debug, Clone, PartialEq)]
pub struct Sectie {
    /// Key (`sectie=` of the exports, anchor on the page).
    pub sleutel: &'static str,
    /// Heading.
    pub titel: String,
    /// One or two sentences above the chart.
    pub inleiding: String,
    /// Anchor on the definitions page.
    pub definitie: &'static str,
    /// The chart (`None`: nothing to draw).
    pub grafiek: Option<Grafiek>,
    /// The table behind the chart.
    pub tabel: Tabel,
    /// Why the section has no figures for this selection (then the table is empty).
    pub niet_beschikbaar: Option<String>,
    /// Headline figures: label and value (quantiles, shares).
    pub kerncijfers: Vec<(String, Val)>,
}

impl Sectie {
    fn leeg(sleutel: &'static str, titel: &str, definitie: &'static str, reden: String) -> Sectie {
        Sectie {
            sleutel,
            titel: titel.to_owned(),
            inleiding: String::new(),
            definitie,
            grafiek: None,
            tabel: Tabel::default(),
            niet_beschikbaar: Some(reden),
            kerncijfers: Vec::new(),
        }
    }
}

/// Every section key, in page order, with its title.
pub const SECTIES: [(&str, &str); 16] = [
    ("in-zorg", "Mensen in zorg"),
    (
        "ambulantisering",
        "Intramuraal en extramuraal (ambulantisering)",
    ),
    ("stromen", "Instroom, doorstroom en uitstroom"),
    ("uitstroom-bestemming", "Uitstroom naar bestemming"),
    ("bestemming-periode", "Bestemmingen over de hele periode"),
    ("verblijfsduur", "Verblijfsduur van beëindigde zorg"),
    ("wachtlijst", "Wachtlijst en de wachttijdnorm"),
    ("wachttijd", "Wachttijd bij de start van zorg"),
    (
        "doorlooptijden",
        "Van aanmelding tot besluit en van besluit tot start",
    ),
    ("herkomst-plaatsen", "Herkomst en plaatsen per gemeente"),
    ("besluiten", "Aanmeldingen en besluiten"),
    ("mo", "Maatschappelijke opvang per maand"),
    ("mo-jaar", "Maatschappelijke opvang per jaar"),
    ("wlz-woning", "Wlz-overgangen en wachten op een woning"),
    ("uitstroom-wonen", "Uitstroom naar wonen"),
    (
        "spreiding-wonen",
        "Spreiding van de uitstroom naar een woning",
    ),
];

/// Series colours: Rijkshuisstijl colours, each at least 3:1 on white.
pub const KLEUREN: [&str; 10] = [
    "#154273", "#e17000", "#39870c", "#a90061", "#007bc7", "#94710a", "#42145f", "#d52b1e",
    "#0b6e69", "#6f6f00",
];

/// The destination groups of the outflow chart; the first ("naar een woning") is the
/// bottleneck every seed names and is highlighted.
pub const GROEPEN: [(&str, &str); 4] = [
    ("Naar een woning", "#39870c"),
    ("Ander zorgproduct of kliniek", "#154273"),
    ("Wlz", "#a90061"),
    ("Overig of onbekend", "#6f6f00"),
];

/// The group of a destination.
pub fn groep(b: Bestemming) -> usize {
    if b.is_housing() {
        0
    } else {
        match b {
            Bestemming::AnderProduct | Bestemming::Kliniek => 1,
            Bestemming::Wlz => 2,
            _ => 3,
        }
    }
}

/// A bucket of a distribution of days: label and upper bound (inclusive; `None`: open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bak {
    /// Label.
    pub label: String,
    /// Largest number of days in the bucket.
    pub tot: Option<u32>,
}

/// The rows of a day-count histogram: one per bucket, then the total (`totaal_label`).
fn bak_rijen(bakken: &[Bak], figs: &[Figure], tot: Figure, totaal_label: &str) -> Vec<Rij> {
    bakken
        .iter()
        .zip(figs)
        .enumerate()
        .map(|(i, (b, f))| Rij {
            label: b.label.clone(),
            sleutel: format!("bak-{i}"),
            link: None,
            waarden: vec![Val::F(*f)],
            totaal: false,
        })
        .chain(std::iter::once(Rij {
            label: totaal_label.into(),
            sleutel: "totaal".into(),
            link: None,
            waarden: vec![Val::F(tot)],
            totaal: true,
        }))
        .collect()
}

/// Length-of-stay buckets: <3 mnd, 3–6 mnd, 6–12 mnd, 1–2 jr, 2–5 jr, >5 jr.
pub fn bakken_verblijf() -> Vec<Bak> {
    [
        ("korter dan 3 maanden", Some(90)),
        ("3 tot 6 maanden", Some(182)),
        ("6 tot 12 maanden", Some(365)),
        ("1 tot 2 jaar", Some(730)),
        ("2 tot 5 jaar", Some(1826)),
        ("5 jaar of langer", None),
    ]
    .into_iter()
    .map(|(l, t)| Bak {
        label: l.into(),
        tot: t,
    })
    .collect()
}

/// Waiting-time buckets around the norm `n` weeks: ≤ n/2, ≤ n, ≤ 2n, ≤ 4n, longer.
pub fn bakken_wacht(norm_weken: u32) -> Vec<Bak> {
    let n = norm_weken.max(1);
    let half = (n / 2).max(1);
    vec![
        Bak {
            label: format!("hoogstens {half} weken"),
            tot: Some(half * 7),
        },
        Bak {
            label: format!("{half} tot {n} weken (norm)"),
            tot: Some(n * 7),
        },
        Bak {
            label: format!("{n} tot {} weken", 2 * n),
            tot: Some(2 * n * 7),
        },
        Bak {
            label: format!("{} tot {} weken", 2 * n, 4 * n),
            tot: Some(4 * n * 7),
        },
        Bak {
            label: format!("langer dan {} weken", 4 * n),
            tot: None,
        },
    ]
}

fn bak_van(bakken: &[Bak], dagen: u32) -> usize {
    bakken
        .iter()
        .position(|b| b.tot.is_none_or(|t| dagen <= t))
        .unwrap_or(bakken.len() - 1)
}

/// Nearest-rank quantile `q` of a distribution (days → count).
pub fn kwantiel(verdeling: &BTreeMap<u32, u64>, q: f64) -> Option<f64> {
    let n: u64 = verdeling.values().sum();
    if n == 0 {
        return None;
    }
    let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
    let mut acc = 0;
    for (d, c) in verdeling {
        acc += c;
        if acc >= rank {
            return Some(f64::from(*d));
        }
    }
    None
}

/// One month in days where days are shown as months (length of stay): 365,25 / 12. The only
/// month length in the monitor; the definitions and the table notes name it.
pub const DAGEN_PER_MAAND: f64 = 365.25 / 12.0;

/// The written definition of one section: what is counted, on which date, in which
/// gemeente. Each is kept beside the method that computes the section
/// (`Monitor::DEF_…`); [`DEFINITIES`] lists them in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Definitie {
    /// Anchor on the definitions page (the section's `definitie`).
    pub anker: &'static str,
    /// Heading.
    pub titel: &'static str,
    /// Paragraphs.
    pub tekst: &'static [&'static str],
}

/// The conventions every figure follows (the section "Hoe Vangnet telt" of the definitions
/// page): title and text. Each is pinned by a test in `tests/conventions.rs`.
pub const TELREGELS: &[(&str, &str)] = &[
    (
        "Bron",
        "Elk cijfer komt uit de vastgelegde feiten over cliënten (aanmelding, besluit, wachtlijst, start, wijziging, einde zorg, overnachting, Wlz-overgang). Bij elk feit berekent Vangnet wat het aan de monitor bijdraagt; die bijdragen worden bijgehouden zodra het feit binnenkomt.",
    ),
    (
        "Datum",
        "Een feit telt in de maand van zijn ingangsdatum, niet van de dag van vastleggen. Een voorraad (in zorg, wachtend) is de stand op de laatste dag van de maand.",
    ),
    (
        "Correcties en late feiten",
        "Een correctie vervangt het oorspronkelijke feit en telt op de ingangsdatum van de correctie, niet op die van het oorspronkelijke feit; een intrekking haalt het feit weg. Een laat vastgelegd of teruggedateerd feit telt in de maand waarin het ingaat. De bijdrage van de cliënt wordt dan opnieuw berekend: het oude verdwijnt, het nieuwe komt erbij. Cijfers over voorbije maanden kunnen dus nog veranderen; de monitor toont altijd de stand van nu.",
    ),
    (
        "Regio",
        "Een cliënt telt in de regio waar de aanmelding binnenkwam (de regio van de lopende zorgperiode), wat de gemeente van herkomst ook is. Een nieuwe aanmelding in een andere regio verplaatst de cliënt: vanaf dan telt hij daar.",
    ),
    (
        "Gemeente",
        "Standaard de gemeente waar iemand bij de aanmelding in de BRP stond ingeschreven (gemeente van herkomst). Voor mensen in zorg kan ook de verantwoordelijke gemeente volgens het woonplaatsbeginsel gekozen worden. Gemeenten buiten de regio staan samen als ‘buiten de regio’.",
    ),
    (
        "Aanbieder",
        "Een aanbieder is de verzameling van zijn locaties in het regioprofiel; cijfers die een locatie hebben (in zorg, instroom, uitstroom, doorstroom, opvang) zijn per aanbieder te bekijken door de toegang van de regio.",
    ),
    (
        "Mediaan en kwartielen",
        "Volgens de dichtstbijzijnde rang: de mediaan van n waarnemingen is de waarneming op plaats ⌈n/2⌉ in oplopende volgorde. Bij een even aantal is dat de laagste van de twee middelste waarden, niet hun gemiddelde (van 10, 20, 30 en 40 dagen is de mediaan 20).",
    ),
    (
        "Maanden en dagen",
        "Waar dagen als maanden getoond worden (verblijfsduur), is een maand 30,4375 dagen (365,25 / 12).",
    ),
    (
        "De wachttijdnorm",
        "Op de wachtlijst telt als ‘langer dan de norm’ wie op de laatste dag van de maand de norm of langer wacht (bij 8 weken: 56 dagen of langer). Bij de start van de zorg telt een wachttijd van precies de norm als ‘binnen de norm’.",
    ),
];

/// Every section's definition, in page order.
pub const DEFINITIES: &[Definitie] = &[
    Monitor::DEF_IN_ZORG,
    Monitor::DEF_AMBULANTISERING,
    Monitor::DEF_STROMEN,
    Monitor::DEF_UITSTROOM_BESTEMMING,
    Monitor::DEF_VERBLIJFSDUUR,
    Monitor::DEF_WACHTLIJST,
    Monitor::DEF_WACHTTIJD,
    Monitor::DEF_DOORLOOPTIJDEN,
    Monitor::DEF_HERKOMST_PLAATSEN,
    Monitor::DEF_BESLUITEN,
    Monitor::DEF_MO,
    Monitor::DEF_MO_JAAR,
    Monitor::DEF_WLZ_WONING,
    Monitor::DEF_UITSTROOM_WONEN,
    Monitor::DEF_SPREIDING_WONEN,
];

// ---------------------------------------------------------------------------------------
// The monitor of one selection

/// Everything needed to compute the figures of one selection.
pub struct Monitor<'a> {
    /// The region.
    pub profile: &'a RegionProfile,
    /// Its cells.
    pub data: &'a Data,
    /// The selection.
    pub f: &'a Filters,
    /// Suppression threshold (`None`: exact figures).
    pub t: Option<u32>,
    /// Base path of the page (`/monitor/{regio}`), for drill-down links.
    pub pad: String,
    months: Vec<Maand>,
    gi: Option<u16>,
    pi: Option<u16>,
    ai: Option<u16>,
    /// The in-care blocks of every product (not product-filtered) and, per month shown, the
    /// published in-care figures of every selection (rule 3), computed when first asked.
    zorg: std::cell::OnceCell<BTreeMap<Blok, Vec<i64>>>,
    zorg_patroon: Vec<std::cell::OnceCell<ZorgPublicatie>>,
}

/// Which products an in-care figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProductSel {
    /// Every product.
    Alle,
    /// One product (index + 1, as [`Rec::p`]).
    Een(u16),
    /// Beschermd wonen in one setting (ambulantisering).
    Setting(Setting),
    /// All beschermd wonen.
    Bw,
}

/// One in-care figure of a month end: gemeente group (none: the region), products,
/// leveringsvorm (none: both).
pub type ZorgSleutel = (Option<u16>, ProductSel, Option<u32>);

/// How a cell is selected: the gemeente and product filters (and the provider filter for
/// measures with a location).
#[derive(Clone, Copy)]
struct Sel {
    gemeente: bool,
    product: bool,
    aanbieder: bool,
}

const ALLES: Sel = Sel {
    gemeente: true,
    product: true,
    aanbieder: false,
};

impl<'a> Monitor<'a> {
    /// The monitor of `f` over `data`.
    pub fn new(
        profile: &'a RegionProfile,
        data: &'a Data,
        f: &'a Filters,
        t: Option<u32>,
    ) -> Monitor<'a> {
        let n = f.van.between(f.tot).max(0) + 1;
        let months = (0..n).map(|k| f.van.plus(k)).collect();
        Monitor {
            profile,
            data,
            f,
            t,
            pad: format!("/monitor/{}", profile.id),
            months,
            gi: f
                .gemeente
                .and_then(|g| profile.gemeenten.iter().position(|m| m.code == g))
                .map(|i| i as u16),
            pi: f
                .product
                .as_ref()
                .and_then(|p| profile.products.iter().position(|x| &x.code == p))
                .map(|i| i as u16 + 1),
            // Figures per provider are for exact viewers only (rule 6).
            ai: if t.is_none() {
                f.aanbieder
                    .and_then(|a| profile.providers.iter().position(|p| p.agb == a))
                    .map(|i| i as u16 + 1)
            } else {
                None
            },
            zorg: std::cell::OnceCell::new(),
            zorg_patroon: (0..n).map(|_| std::cell::OnceCell::new()).collect(),
        }
    }

    /// The months shown.
    pub fn maanden(&self) -> &[Maand] {
        &self.months
    }

    /// A provider is selected but this viewer gets no figures per provider.
    pub fn aanbieder_geweigerd(&self) -> bool {
        self.f.aanbieder.is_some() && self.t.is_some()
    }

    fn keep(&self, r: &Rec, s: Sel) -> bool {
        (!s.gemeente || self.gi.is_none_or(|g| r.g == g))
            && (!s.product || self.pi.is_none_or(|p| r.p == p))
            && (!s.aanbieder || self.ai.is_none_or(|a| r.a == a))
    }

    fn loc(&self) -> Sel {
        Sel {
            aanbieder: true,
            ..ALLES
        }
    }

    fn month_ix(&self, m: u32) -> Option<usize> {
        let m = Maand::from_key(m)?;
        (self.f.van..=self.f.tot)
            .contains(&m)
            .then(|| self.f.van.between(m) as usize)
    }

    /// Month-end stocks per key for every month shown (running sums of the net flows).
    fn stock<K: Ord>(
        &self,
        m: Measure,
        s: Sel,
        key: impl Fn(&Rec) -> Option<K>,
    ) -> BTreeMap<K, Vec<i64>> {
        let n = self.months.len();
        let mut out: BTreeMap<K, Vec<i64>> = BTreeMap::new();
        for r in self.data.rows(m) {
            if r.maand > self.f.tot.key() || !self.keep(r, s) {
                continue;
            }
            let Some(k) = key(r) else { continue };
            let i = self.month_ix(r.maand).unwrap_or(0);
            out.entry(k).or_insert_with(|| vec![0; n])[i] += r.n;
        }
        for v in out.values_mut() {
            let mut acc = 0;
            for x in v.iter_mut() {
                acc += *x;
                *x = acc;
            }
        }
        out
    }

    /// Flows per key for every month shown.
    fn flow<K: Ord>(
        &self,
        m: Measure,
        s: Sel,
        key: impl Fn(&Rec) -> Option<K>,
    ) -> BTreeMap<K, Vec<i64>> {
        let n = self.months.len();
        let mut out: BTreeMap<K, Vec<i64>> = BTreeMap::new();
        for r in self.data.rows(m) {
            let Some(i) = self.month_ix(r.maand) else {
                continue;
            };
            if !self.keep(r, s) {
                continue;
            }
            let Some(k) = key(r) else { continue };
            out.entry(k).or_insert_with(|| vec![0; n])[i] += r.n;
        }
        out
    }

    /// One flow per month for the selection: published cells.
    fn flow_cells(&self, m: Measure, s: Sel, key: impl Fn(&Rec) -> bool) -> Vec<Figure> {
        let f = self.flow(m, s, |r| key(r).then_some(()));
        let v = f
            .get(&())
            .cloned()
            .unwrap_or_else(|| vec![0; self.months.len()]);
        v.into_iter().map(|n| som(self.t, [n])).collect()
    }

    /// A distribution (days → count) over the months in `from..=to`.
    fn verdeling(
        &self,
        m: Measure,
        s: Sel,
        from: Maand,
        to: Maand,
        key: impl Fn(&Rec) -> bool,
    ) -> BTreeMap<u32, u64> {
        let (from, to) = (from.key(), to.key());
        let mut out = BTreeMap::new();
        for r in self.data.rows(m) {
            if r.maand < from || r.maand > to || !self.keep(r, s) || !key(r) {
                continue;
            }
            *out.entry(r.x).or_insert(0) += r.n.max(0) as u64;
        }
        out
    }

    fn link(&self, f: &Filters) -> String {
        f.href(&self.pad)
    }

    fn product_naam(&self, p: u16) -> String {
        match p {
            0 => "overig of onbekend".into(),
            i => self.profile.products[i as usize - 1].name.clone(),
        }
    }

    fn product_link(&self, p: u16) -> Option<String> {
        (p > 0).then(|| {
            self.link(
                &self
                    .f
                    .met_product(Some(self.profile.products[p as usize - 1].code.clone())),
            )
        })
    }

    /// Name of a gemeente group.
    pub fn groep_naam(&self, g: u16) -> String {
        if g == self.data.buiten() {
            "buiten de regio".into()
        } else if g == self.data.niet_ingeschreven() {
            "niet ingeschreven".into()
        } else {
            self.profile.gemeenten[g as usize].name.clone()
        }
    }

    fn kwantiel_min(&self) -> u64 {
        if self.t.is_some() { KWANTIEL_MIN } else { 1 }
    }

    fn kwantielen(&self, v: &BTreeMap<u32, u64>) -> [Option<f64>; 3] {
        let n: u64 = v.values().sum();
        if n < self.kwantiel_min() {
            return [None; 3];
        }
        [kwantiel(v, 0.25), kwantiel(v, 0.5), kwantiel(v, 0.75)]
    }

    fn noot_drempel(&self) -> Vec<String> {
        match self.t {
            Some(t) => vec![format!(
                "Gepubliceerde cijfers: aantallen van 1 tot en met {} staan als \"<{t}\"; \"—\" is niet getoond om terugrekenen te voorkomen; \"≥\" is een ondergrens (een totaal over onderdrukte cijfers).",
                t.saturating_sub(1)
            )],
            None => vec!["Exacte cijfers (toegang van de regio).".into()],
        }
    }

    fn maand_rij(&self, i: usize, waarden: Vec<Val>) -> Rij {
        let m = self.months[i];
        Rij {
            label: m.naam(),
            sleutel: m.to_string(),
            link: None,
            waarden,
            totaal: false,
        }
    }

    fn maand_labels(&self) -> Vec<String> {
        self.months.iter().map(|m| m.kort()).collect()
    }

    fn titel_selectie(&self) -> String {
        let mut parts = vec![match self.f.gemeente {
            Some(g) => crate::names::gemeente_name(self.profile, &g.to_string()),
            None => self.profile.name.clone(),
        }];
        if let Some(p) = &self.f.product {
            parts.push(crate::names::product_name(self.profile, p.as_str()));
        }
        if let (Some(a), true) = (self.f.aanbieder, self.ai.is_some()) {
            parts.push(
                self.profile
                    .provider(a)
                    .map_or_else(|| a.to_string(), |p| p.name.clone()),
            );
        }
        parts.join(", ")
    }

    fn periode(&self) -> String {
        format!("{} t/m {}", self.f.van.naam(), self.f.tot.naam())
    }

    // -----------------------------------------------------------------------------------
    // People in care (rule 3: every breakdown is a total over gemeente group × product ×
    // leveringsvorm blocks)

    /// In-care blocks `(gemeente group, product, leveringsvorm) → month-end stock per month`,
    /// restricted to the product and provider filters but not to the gemeente.
    fn zorg_blokken(&self) -> BTreeMap<Blok, Vec<i64>> {
        let s = Sel {
            gemeente: false,
            ..self.loc()
        };
        self.stock(Measure::InZorg, s, |r| Some((r.g, r.p, r.x.min(1))))
    }

    /// In-care blocks of every product (the product filter is a selection of them).
    fn zorg_alle(&self) -> &BTreeMap<Blok, Vec<i64>> {
        self.zorg.get_or_init(|| {
            let s = Sel {
                gemeente: false,
                product: false,
                aanbieder: true,
            };
            self.stock(Measure::InZorg, s, |r| Some((r.g, r.p, r.x.min(1))))
        })
    }

    /// Whether block product `p` falls under `sel`.
    fn past(&self, p: u16, sel: ProductSel) -> bool {
        let product = (p > 0).then(|| &self.profile.products[p as usize - 1]);
        match sel {
            ProductSel::Alle => true,
            ProductSel::Een(x) => p == x,
            ProductSel::Setting(st) => {
                product.is_some_and(|x| x.domain == Domain::Bw && x.setting == st)
            }
            ProductSel::Bw => product.is_some_and(|x| x.domain == Domain::Bw),
        }
    }

    /// The product selection of the filter.
    fn psel(&self) -> ProductSel {
        self.pi.map_or(ProductSel::Alle, ProductSel::Een)
    }

    /// People in care at the end of month `i` for one selection, as published (rule 3):
    /// exact for exact viewers; otherwise from the month's complementary suppression over
    /// every selection at once ([`crate::complementary`]).
    pub fn zorg_figuur(&self, i: usize, k: ZorgSleutel) -> Figure {
        let Some(t) = self.t else {
            let n: i64 = self
                .zorg_alle()
                .iter()
                .filter(|((g, p, lv), _)| {
                    k.0.is_none_or(|x| x == *g)
                        && self.past(*p, k.1)
                        && k.2.is_none_or(|x| x == *lv)
                })
                .map(|(_, v)| v[i])
                .sum();
            return Figure::Exact(n.max(0) as u64);
        };
        let patroon = self.zorg_patroon[i].get_or_init(|| {
            let key = (self.months[i].key(), t);
            let known = self
                .data
                .zorg
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(&key)
                .cloned();
            known.unwrap_or_else(|| {
                let p = std::sync::Arc::new(self.zorg_publicatie(i, t));
                self.data
                    .zorg
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(key, std::sync::Arc::clone(&p));
                p
            })
        });
        patroon.get(&k).copied().unwrap_or(Figure::Exact(0))
    }

    /// Every in-care figure any view may publish for month `i` — the region, each gemeente
    /// group (members, "buiten de regio", "niet ingeschreven"), each product, intramural,
    /// extramural and all BW, each leveringsvorm, and all their combinations — decided
    /// together, so that no filter, section or format can be subtracted from another to
    /// reveal a suppressed figure. Selections that sum to 0 are absent (0).
    fn zorg_publicatie(&self, i: usize, t: u32) -> HashMap<ZorgSleutel, Figure> {
        let blokken: Vec<(Blok, u64)> = self
            .zorg_alle()
            .iter()
            .filter(|(_, v)| v[i] > 0)
            .map(|(k, v)| (*k, v[i] as u64))
            .collect();
        let atoms: Vec<u64> = blokken.iter().map(|(_, n)| *n).collect();
        let mut gs: Vec<Option<u16>> = vec![None];
        let mut ps: Vec<ProductSel> = vec![
            ProductSel::Alle,
            ProductSel::Bw,
            ProductSel::Setting(Setting::Intramuraal),
            ProductSel::Setting(Setting::Extramuraal),
        ];
        for ((g, p, _), _) in &blokken {
            if !gs.contains(&Some(*g)) {
                gs.push(Some(*g));
            }
            if !ps.contains(&ProductSel::Een(*p)) {
                ps.push(ProductSel::Een(*p));
            }
        }
        let lvs = [None, Some(0u32), Some(1)];
        let mut sleutels: Vec<ZorgSleutel> = Vec::new();
        let mut aggs: Vec<crate::complementary::Aggregate> = Vec::new();
        for g in &gs {
            for p in &ps {
                for lv in &lvs {
                    let leden: Vec<usize> = blokken
                        .iter()
                        .enumerate()
                        .filter(|(_, ((bg, bp, bl), _))| {
                            g.is_none_or(|x| x == *bg)
                                && self.past(*bp, *p)
                                && lv.is_none_or(|x| x == *bl)
                        })
                        .map(|(j, _)| j)
                        .collect();
                    if leden.is_empty() {
                        continue;
                    }
                    let niveau = u32::from(g.is_some())
                        + u32::from(*p != ProductSel::Alle)
                        + u32::from(lv.is_some());
                    // Member gemeenten before "buiten de regio" and "niet ingeschreven".
                    let lid = g.is_none_or(|x| x < self.data.buiten());
                    sleutels.push((*g, *p, *lv));
                    aggs.push(crate::complementary::Aggregate {
                        atoms: leden,
                        rank: niveau * 2 + u32::from(!lid),
                    });
                }
            }
        }
        let uit = crate::complementary::suppress(&atoms, &aggs, t);
        sleutels
            .into_iter()
            .zip(aggs.iter().zip(uit))
            .map(|(k, (a, o))| {
                let n: u64 = a.atoms.iter().map(|j| atoms[*j]).sum();
                let f = match o {
                    crate::complementary::Outcome::Published => Figure::Exact(n),
                    crate::complementary::Outcome::Small => Figure::Small(t),
                    crate::complementary::Outcome::Hidden => Figure::Hidden,
                };
                (k, f)
            })
            .collect()
    }

    /// Woonplaatsbeginsel blocks `(responsible gemeente group, product) → stock per month`.
    fn wpb_blokken(&self) -> BTreeMap<(u16, u16), Vec<i64>> {
        let s = Sel {
            gemeente: false,
            ..self.loc()
        };
        self.stock(Measure::InZorgWpb, s, |r| Some((r.g, r.p)))
    }

    /// Woonplaatsbeginsel per member gemeente at month `i`, protected against the in-care
    /// total (rule 4, with the people outside the member gemeenten as the unpublished rest):
    /// `None` for a gemeente whose figure is hidden.
    fn wpb_leden(
        &self,
        w: &BTreeMap<(u16, u16), Vec<i64>>,
        herkomst: &BTreeMap<Blok, Vec<i64>>,
        i: usize,
    ) -> Vec<Figure> {
        let leden = self.profile.gemeenten.len();
        let mut per: Vec<Vec<i64>> = vec![Vec::new(); leden];
        let mut rest = 0i64;
        for ((g, _), v) in w {
            if (*g as usize) < leden {
                per[*g as usize].push(v[i]);
            } else {
                rest += v[i].max(0);
            }
        }
        let figs: Vec<Figure> = per.iter().map(|b| som(self.t, b.iter().copied())).collect();
        let Some(t) = self.t else { return figs };
        // The people in care of that month as the in-care section publishes them: unless
        // that total is exact, a reader has no total to subtract from.
        let _ = herkomst;
        if !matches!(
            self.zorg_figuur(i, (None, self.psel(), None)),
            Figure::Exact(_)
        ) {
            return figs;
        }
        // Guard on the published member figures: exact ones may be hidden; figures that are
        // already "≥" count as hidden with their lower bound.
        let values: Vec<u64> = per
            .iter()
            .map(|b| b.iter().sum::<i64>().max(0) as u64)
            .collect();
        let mut rest_slack = rest.max(0) as u64;
        for (f, v) in figs.iter().zip(&values) {
            if let Figure::AtLeast(lb) = f {
                rest_slack += v.saturating_sub(*lb);
            }
        }
        let plain: Vec<u64> = figs
            .iter()
            .zip(&values)
            .map(|(f, v)| match f {
                Figure::AtLeast(_) => 0,
                _ => *v,
            })
            .collect();
        let guarded = protect(&plain, Some(t), Some(rest_slack));
        figs.iter()
            .zip(guarded)
            .map(|(f, g)| match (f, g) {
                (Figure::AtLeast(_), Figure::Hidden) => Figure::Hidden,
                (Figure::AtLeast(_), _) => *f,
                (_, g) => g,
            })
            .collect()
    }

    fn producten_in(&self, blokken: impl Iterator<Item = u16>) -> Vec<u16> {
        let mut ps: Vec<u16> = blokken.collect();
        ps.sort_unstable_by_key(|p| if *p == 0 { u16::MAX } else { *p });
        ps.dedup();
        ps
    }

    /// The written definition of [`Self::in_zorg`] (on `/monitor/{regio}/definities`).
    pub const DEF_IN_ZORG: Definitie = Definitie {
        anker: "in-zorg",
        titel: "Mensen in zorg",
        tekst: &[
            "Wat: het aantal mensen met lopende zorg (beschermd wonen, maatschappelijke opvang met een plaats, vrouwenopvang) op de laatste dag van de maand. Iemand telt vanaf de startdatum van de zorg tot en met de dag vóór de einddatum; een wissel van product of locatie binnen dezelfde zorg telt niet als nieuwe instroom.",
            "Welke datum: de ingangsdatum van de feiten (start zorg, wijziging, einde zorg), niet de dag waarop ze zijn vastgelegd.",
            "Welke gemeente: standaard de gemeente van herkomst, de gemeente waar de persoon bij de aanmelding in de BRP stond ingeschreven (‘niet ingeschreven’ als dat nergens was). Met ‘woonplaatsbeginsel’ en een gekozen gemeente: de gemeente die volgens het woonplaatsbeginsel verantwoordelijk is, zoals de toegang die heeft vastgesteld (‘woonplaatsbeginsel vastgesteld’); zolang dat niet is gebeurd, de gemeente van herkomst.",
            "Leveringsvorm: zorg in natura (ZIN) of persoonsgebonden budget (pgb) volgens het laatste toewijzingsbesluit.",
        ],
    };

    /// People in care at the end of each month.
    pub fn in_zorg(&self) -> Sectie {
        let titel = "Mensen in zorg aan het eind van de maand";
        let n = self.months.len();
        let wpb = self.gi.is_some() && self.f.soort == Soort::Woonplaatsbeginsel;
        let mut noten = self.noot_drempel();
        // Series: key → blocks per month.
        let mut reeksen: Vec<(String, Option<String>, Vec<Figure>)> = Vec::new();
        let totaal: Vec<Figure>;
        if wpb {
            let g = self.gi.expect("checked");
            let w = self.wpb_blokken();
            let h = self.zorg_blokken();
            let hidden: Vec<bool> = (0..n)
                .map(|i| self.wpb_leden(&w, &h, i)[g as usize] == Figure::Hidden)
                .collect();
            let mine: Vec<(&u16, &Vec<i64>)> = w
                .iter()
                .filter(|((gg, _), _)| *gg == g)
                .map(|((_, p), v)| (p, v))
                .collect();
            let ps = self.producten_in(
                mine.iter()
                    .filter(|(_, v)| v.iter().any(|x| *x != 0))
                    .map(|(p, _)| **p),
            );
            for p in &ps {
                let v: Vec<Figure> = (0..n)
                    .map(|i| {
                        if hidden[i] {
                            Figure::Hidden
                        } else {
                            som(
                                self.t,
                                mine.iter().filter(|(pp, _)| *pp == p).map(|(_, v)| v[i]),
                            )
                        }
                    })
                    .collect();
                reeksen.push((self.product_naam(*p), self.product_link(*p), v));
            }
            totaal = (0..n)
                .map(|i| {
                    if hidden[i] {
                        Figure::Hidden
                    } else {
                        som(self.t, mine.iter().map(|(_, v)| v[i]))
                    }
                })
                .collect();
            noten.push("Gemeente volgens het woonplaatsbeginsel: de gemeente die verantwoordelijk is (en betaalt) voor wie in zorg is, zoals de toegang die heeft vastgesteld; zolang dat niet is gebeurd, de gemeente van inschrijving bij aanmelding. \"—\" in een maand: niet getoond omdat het aantal anders uit het totaal in zorg terug te rekenen is.".to_owned());
            if self.f.indeling == Indeling::Leveringsvorm {
                noten.push("Naar leveringsvorm (ZIN/pgb) alleen bij gemeente van herkomst; hier per product.".into());
            }
        } else {
            let b = self.zorg_blokken();
            let mine: Vec<(&Blok, &Vec<i64>)> = b
                .iter()
                .filter(|((g, _, _), _)| self.gi.is_none_or(|x| x == *g))
                .collect();
            match self.f.indeling {
                Indeling::Product => {
                    let ps = self.producten_in(
                        mine.iter()
                            .filter(|(_, v)| v.iter().any(|x| *x != 0))
                            .map(|((_, p, _), _)| *p),
                    );
                    for p in ps {
                        let v = (0..n)
                            .map(|i| self.zorg_figuur(i, (self.gi, ProductSel::Een(p), None)))
                            .collect();
                        reeksen.push((self.product_naam(p), self.product_link(p), v));
                    }
                }
                Indeling::Leveringsvorm => {
                    for (lv, naam) in [
                        (0u32, "Zorg in natura (ZIN)"),
                        (1, "Persoonsgebonden budget (pgb)"),
                    ] {
                        let v = (0..n)
                            .map(|i| self.zorg_figuur(i, (self.gi, self.psel(), Some(lv))))
                            .collect();
                        reeksen.push((naam.into(), None, v));
                    }
                }
            }
            totaal = (0..n)
                .map(|i| self.zorg_figuur(i, (self.gi, self.psel(), None)))
                .collect();
            if self.gi.is_some() {
                noten.push(
                    "Gemeente van herkomst: de gemeente van inschrijving (BRP) bij de aanmelding."
                        .into(),
                );
            } else if self.f.soort == Soort::Woonplaatsbeginsel {
                noten.push("Voor de hele regio zijn herkomst en woonplaatsbeginsel hetzelfde totaal; kies een gemeente om het verschil te zien.".into());
            }
        }
        if self.t.is_some() {
            noten.push("Totalen die zelf niet klein zijn, staan er exact. Om een onderdrukt getal (\"<\") te beschermen is soms ook een ander getal verborgen (\"—\"), zo gekozen dat geen onderdrukt getal uit de andere getallen terug te rekenen is — ook niet met andere filters of onderdelen van de monitor.".into());
        }
        let kolommen: Vec<Kolom> = reeksen
            .iter()
            .map(|(naam, link, _)| Kolom {
                label: naam.clone(),
                link: link.clone(),
            })
            .chain(std::iter::once(Kolom {
                label: "Totaal".into(),
                link: None,
            }))
            .collect();
        let rijen = (0..n)
            .map(|i| {
                let mut w: Vec<Val> = reeksen.iter().map(|(_, _, v)| Val::F(v[i])).collect();
                w.push(Val::F(totaal[i]));
                self.maand_rij(i, w)
            })
            .collect();
        let laatste = totaal.last().copied().unwrap_or(Figure::Exact(0));
        Sectie {
            sleutel: "in-zorg",
            titel: titel.into(),
            inleiding: format!(
                "{} aan het eind van elke maand, {}; {}.",
                if wpb {
                    "Mensen in zorg voor wie de gemeente verantwoordelijk is (woonplaatsbeginsel)"
                } else {
                    "Mensen in zorg"
                },
                match self.f.indeling {
                    Indeling::Leveringsvorm if !wpb =>
                        "naar zorg in natura en persoonsgebonden budget",
                    _ => "per product",
                },
                self.titel_selectie()
            ),
            definitie: "in-zorg",
            grafiek: Some(Grafiek::Staven {
                categorieen: self.maand_labels(),
                reeksen: reeksen
                    .iter()
                    .enumerate()
                    .map(|(i, (naam, link, v))| Reeks {
                        naam: naam.clone(),
                        kleur: KLEUREN[i % KLEUREN.len()],
                        waarden: v.clone(),
                        link: link.clone(),
                    })
                    .collect(),
                gestapeld: true,
                eenheid: "mensen",
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Maand".into(),
                kolommen,
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: vec![(
                format!("In zorg eind {}", self.f.tot.naam()),
                Val::F(laatste),
            )],
        }
    }

    /// The written definition of [`Self::ambulantisering`] (on `/monitor/{regio}/definities`).
    pub const DEF_AMBULANTISERING: Definitie = Definitie {
        anker: "ambulantisering",
        titel: "Intramuraal en extramuraal (ambulantisering)",
        tekst: &[
            "Wat: mensen in zorg in producten van beschermd wonen, gesplitst naar intramuraal (wonen op een locatie van de aanbieder) en extramuraal (in de eigen woonruimte, met begeleiding), volgens de productcatalogus van de regio; en het aandeel intramuraal.",
            "Maatschappelijke opvang en vrouwenopvang tellen hier niet mee. Waar een aantal onderdrukt is, is het aandeel berekend uit de getoonde aantallen en dus een benadering.",
        ],
    };

    /// Intramural vs extramural BW care per month.
    pub fn ambulantisering(&self) -> Sectie {
        let titel = "Intramuraal en extramuraal beschermd wonen";
        if let Some(p) = &self.f.product
            && self
                .profile
                .product(p)
                .is_some_and(|x| x.domain != Domain::Bw)
        {
            return Sectie::leeg(
                "ambulantisering",
                titel,
                "ambulantisering",
                "Ambulantisering gaat over beschermd wonen; het gekozen product is geen beschermd wonen.".into(),
            );
        }
        let n = self.months.len();
        let setting = |p: u16| -> Option<Setting> {
            (p > 0)
                .then(|| &self.profile.products[p as usize - 1])
                .filter(|x| x.domain == Domain::Bw)
                .map(|x| x.setting)
        };
        let part = |s: Setting, i: usize| match self.pi {
            Some(p) if setting(p) == Some(s) => {
                self.zorg_figuur(i, (self.gi, ProductSel::Een(p), None))
            }
            Some(_) => Figure::Exact(0),
            None => self.zorg_figuur(i, (self.gi, ProductSel::Setting(s), None)),
        };
        let bw_totaal = |i: usize| match self.pi {
            Some(p) if setting(p).is_some() => {
                self.zorg_figuur(i, (self.gi, ProductSel::Een(p), None))
            }
            Some(_) => Figure::Exact(0),
            None => self.zorg_figuur(i, (self.gi, ProductSel::Bw, None)),
        };
        let intra: Vec<Figure> = (0..n).map(|i| part(Setting::Intramuraal, i)).collect();
        let extra: Vec<Figure> = (0..n).map(|i| part(Setting::Extramuraal, i)).collect();
        let mut benaderd = false;
        let aandeel: Vec<Option<f64>> = intra
            .iter()
            .zip(&extra)
            .map(|(a, b)| {
                let lo = |f: &Figure| match f {
                    Figure::Exact(n) | Figure::AtLeast(n) => Some(*n as f64),
                    Figure::Small(_) => Some(1.0),
                    Figure::Hidden => None,
                };
                let (x, y) = (lo(a)?, lo(b)?);
                if a.is_suppressed() || b.is_suppressed() {
                    benaderd = true;
                }
                (x + y > 0.0 && x + y >= f64::from(self.t.unwrap_or(1)))
                    .then(|| 100.0 * x / (x + y))
            })
            .collect();
        let mut noten = self.noot_drempel();
        noten.push("Alleen producten van beschermd wonen; intramuraal of extramuraal volgens de productcatalogus van de regio.".into());
        if benaderd {
            noten.push("Het aandeel is berekend uit de getoonde aantallen; waar een aantal \"≥\" of \"<\" is, is het een benadering.".into());
        }
        let rijen = (0..n)
            .map(|i| {
                self.maand_rij(
                    i,
                    vec![
                        Val::F(intra[i]),
                        Val::F(extra[i]),
                        Val::F(bw_totaal(i)),
                        Val::N(aandeel[i], Eenheid::Procent),
                    ],
                )
            })
            .collect();
        Sectie {
            sleutel: "ambulantisering",
            titel: titel.into(),
            inleiding: format!(
                "Het aandeel intramurale zorg (bij de aanbieder) tegenover extramurale zorg (thuis, met begeleiding) in beschermd wonen; {}. Ambulantisering: afbouw van intramurale zorg naast opbouw van ambulante zorg.",
                self.titel_selectie()
            ),
            definitie: "ambulantisering",
            grafiek: Some(Grafiek::Lijnen {
                categorieen: self.maand_labels(),
                lijnen: vec![Lijn {
                    naam: "Aandeel intramuraal (%)".into(),
                    kleur: KLEUREN[0],
                    waarden: aandeel.clone(),
                }],
                referentie: None,
                eenheid: "%",
                max: Some(100.0),
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Maand".into(),
                kolommen: [
                    "Intramuraal",
                    "Extramuraal",
                    "Totaal",
                    "Aandeel intramuraal",
                ]
                .into_iter()
                .map(|l| Kolom {
                    label: l.into(),
                    link: None,
                })
                .collect(),
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: vec![(
                format!("Aandeel intramuraal eind {}", self.f.tot.naam()),
                Val::N(aandeel.last().copied().flatten(), Eenheid::Procent),
            )],
        }
    }

    /// Outflow per month per destination group (published cells) and the month totals.
    fn uitstroom_groepen(&self) -> (Vec<Vec<Figure>>, Vec<Figure>) {
        let n = self.months.len();
        let f = self.flow(Measure::Uitstroom, self.loc(), |r| {
            Some(groep(
                Bestemming::ALL
                    .get(r.x as usize)
                    .copied()
                    .unwrap_or(Bestemming::Onbekend),
            ))
        });
        let groepen: Vec<Vec<Figure>> = (0..GROEPEN.len())
            .map(|gi| {
                let v = f.get(&gi);
                (0..n)
                    .map(|i| som(self.t, [v.map_or(0, |v| v[i])]))
                    .collect()
            })
            .collect();
        let totaal = (0..n)
            .map(|i| total(&groepen.iter().map(|g| g[i]).collect::<Vec<_>>()))
            .collect();
        (groepen, totaal)
    }

    /// The written definition of [`Self::stromen`] (on `/monitor/{regio}/definities`).
    pub const DEF_STROMEN: Definitie = Definitie {
        anker: "stromen",
        titel: "Instroom, doorstroom en uitstroom",
        tekst: &[
            "Instroom: het begin van zorg (een start zorg zonder lopende zorg), in de maand van de startdatum. Uitstroom: het einde van zorg, in de maand van de einddatum (ook een overgang naar de Wlz beëindigt de zorg). Doorstroom: een wissel naar een ander product tijdens de zorg, in de maand van de wissel.",
            "Instroom met overbezetting: het deel van de instroom dat is geplaatst boven het aantal plaatsen van de locatie, met een reden, waar de regio overbezetting toestaat (de kolom verschijnt zodra er een is vastgelegd).",
            "Met een productfilter: doorstroom naar dit product (het nieuwe product) en uit dit product (het vorige product).",
            "Welke gemeente: de gemeente van herkomst. Met een aanbiederfilter (alleen voor de toegang): de locaties van die aanbieder.",
        ],
    };

    /// Inflow, throughput and outflow per month.
    pub fn stromen(&self) -> Sectie {
        let titel = "Instroom, doorstroom en uitstroom per maand";
        let n = self.months.len();
        let s = self.loc();
        let instroom = self.flow_cells(Measure::Instroom, s, |_| true);
        let (_, uitstroom) = self.uitstroom_groepen();
        let mut kolommen = vec!["Instroom".to_owned()];
        let mut reeksen = vec![instroom.clone()];
        match self.pi {
            Some(p) => {
                let s_in = s;
                let naar = self.flow_cells(Measure::Doorstroom, s_in, |_| true);
                // Moved out of the selected product: `extra` is the product moved from.
                let s_uit = Sel {
                    product: false,
                    ..s
                };
                let uit = self.flow_cells(Measure::Doorstroom, s_uit, |r| r.x == u32::from(p));
                kolommen.push("Doorstroom naar dit product".into());
                kolommen.push("Doorstroom uit dit product".into());
                reeksen.push(naar);
                reeksen.push(uit);
            }
            None => {
                kolommen.push("Doorstroom tussen producten".into());
                reeksen.push(self.flow_cells(Measure::Doorstroom, s, |_| true));
            }
        }
        kolommen.push("Uitstroom".into());
        reeksen.push(uitstroom);
        // Placements beyond the places (issue 12): shown once any are recorded.
        let over = self.flow_cells(Measure::Overbezetting, s, |_| true);
        if over.iter().any(|f| *f != Figure::Exact(0)) {
            kolommen.push("Instroom met overbezetting".into());
            reeksen.push(over);
        }
        let rijen = (0..n)
            .map(|i| self.maand_rij(i, reeksen.iter().map(|r| Val::F(r[i])).collect()))
            .collect();
        let mut noten = self.noot_drempel();
        noten.push("Uitstroom is het totaal over de bestemmingsgroepen van de grafiek 'Uitstroom naar bestemming'.".into());
        Sectie {
            sleutel: "stromen",
            titel: titel.into(),
            inleiding: format!(
                "Hoeveel mensen per maand in zorg kwamen, binnen de zorg naar een ander product gingen en de zorg verlieten; {}.",
                self.titel_selectie()
            ),
            definitie: "stromen",
            grafiek: Some(Grafiek::Staven {
                categorieen: self.maand_labels(),
                reeksen: kolommen
                    .iter()
                    .zip(&reeksen)
                    .enumerate()
                    .map(|(i, (k, v))| Reeks {
                        naam: k.clone(),
                        kleur: [KLEUREN[0], KLEUREN[4], KLEUREN[6], KLEUREN[1], KLEUREN[7]]
                            [i.min(4)],
                        waarden: v.clone(),
                        link: None,
                    })
                    .collect(),
                gestapeld: false,
                eenheid: "mensen",
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Maand".into(),
                kolommen: kolommen
                    .into_iter()
                    .map(|label| Kolom { label, link: None })
                    .collect(),
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: vec![(
                format!("Instroom {}", self.f.tot.naam()),
                Val::F(instroom.last().copied().unwrap_or(Figure::Exact(0))),
            )],
        }
    }

    /// The written definition of [`Self::uitstroom_bestemming`] (on `/monitor/{regio}/definities`).
    pub const DEF_UITSTROOM_BESTEMMING: Definitie = Definitie {
        anker: "uitstroom-bestemming",
        titel: "Uitstroom naar bestemming",
        tekst: &[
            "De bestemming die bij het einde van de zorg is vastgelegd. ‘Naar een woning’: eigen woning met sociale huur, Housing First, Kamers met Aandacht of een andere eigen woning. ‘Ander zorgproduct of kliniek’: een ander product (buiten de toewijzing) of een kliniek. ‘Wlz’: overgang naar de Wet langdurige zorg. ‘Overig of onbekend’: detentie, andere regio, overleden, onbekend.",
            "De tabel over de hele periode geeft elke bestemming apart; de totalen per groep zijn de totalen van de maandcijfers.",
        ],
    };

    /// Outflow per month by destination group.
    pub fn uitstroom_bestemming(&self) -> Sectie {
        let titel = "Uitstroom naar bestemming";
        let n = self.months.len();
        let (groepen, totaal) = self.uitstroom_groepen();
        let rijen = (0..n)
            .map(|i| {
                let mut w: Vec<Val> = groepen.iter().map(|g| Val::F(g[i])).collect();
                w.push(Val::F(totaal[i]));
                self.maand_rij(i, w)
            })
            .collect();
        let mut noten = self.noot_drempel();
        noten.push("Naar een woning: eigen woning (sociale huur of overig), Housing First, Kamers met Aandacht. Ander zorgproduct of kliniek: ander product, kliniek. Overig of onbekend: detentie, andere regio, overleden, onbekend.".into());
        let mut kolommen: Vec<Kolom> = GROEPEN
            .iter()
            .map(|(l, _)| Kolom {
                label: (*l).into(),
                link: None,
            })
            .collect();
        kolommen.push(Kolom {
            label: "Totaal".into(),
            link: None,
        });
        let woning = total(&groepen[0]);
        let alles = total(&totaal);
        Sectie {
            sleutel: "uitstroom-bestemming",
            titel: titel.into(),
            inleiding: format!(
                "Waar mensen heen gaan als hun zorg eindigt; uitstroom naar een woning (groen) is het knelpunt dat elke regio noemt; {}.",
                self.titel_selectie()
            ),
            definitie: "uitstroom-bestemming",
            grafiek: Some(Grafiek::Staven {
                categorieen: self.maand_labels(),
                reeksen: GROEPEN
                    .iter()
                    .zip(&groepen)
                    .map(|((l, k), v)| Reeks {
                        naam: (*l).into(),
                        kleur: k,
                        waarden: v.clone(),
                        link: None,
                    })
                    .collect(),
                gestapeld: true,
                eenheid: "mensen",
            }),
            tabel: Tabel {
                titel: format!(
                    "{titel} per maand, {}, {}",
                    self.titel_selectie(),
                    self.periode()
                ),
                kop: "Maand".into(),
                kolommen,
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: vec![
                ("Uitstroom in de periode".into(), Val::F(alles)),
                ("Waarvan naar een woning".into(), Val::F(woning)),
            ],
        }
    }

    /// Every destination over the whole period (rule 4 per destination group).
    pub fn bestemming_periode(&self) -> Sectie {
        let titel = "Uitstroom per bestemming over de hele periode";
        let (groepen, _) = self.uitstroom_groepen();
        let mut per = [0u64; Bestemming::ALL.len()];
        for r in self.data.rows(Measure::Uitstroom) {
            if self.month_ix(r.maand).is_some() && self.keep(r, self.loc()) {
                per[(r.x as usize).min(Bestemming::ALL.len() - 1)] += r.n.max(0) as u64;
            }
        }
        let mut rijen = Vec::new();
        let mut cats = Vec::new();
        let mut waarden = Vec::new();
        let mut subtotalen = Vec::new();
        let mut kleuren = Vec::new();
        for (gi, (gnaam, _)) in GROEPEN.iter().enumerate() {
            let leden: Vec<usize> = (0..Bestemming::ALL.len())
                .filter(|i| groep(Bestemming::ALL[*i]) == gi)
                .collect();
            let sub = total(&groepen[gi]);
            subtotalen.push(sub);
            let aantallen: Vec<u64> = leden.iter().map(|i| per[*i]).collect();
            let figs: Vec<Figure> = if leden.len() == 1 {
                vec![sub]
            } else if matches!(sub, Figure::Exact(_)) {
                // The group's total is published exactly: protect its breakdown (rule 4).
                protect(&aantallen, self.t, None)
            } else {
                aantallen.iter().map(|n| som(self.t, [*n as i64])).collect()
            };
            for (i, f) in leden.iter().zip(figs) {
                let naam = labels::bestemming(Bestemming::ALL[*i]);
                let naam = format!("{}{}", naam[..1].to_uppercase(), &naam[1..]);
                rijen.push(Rij {
                    label: naam.clone(),
                    sleutel: format!("bestemming-{i}"),
                    link: None,
                    waarden: vec![Val::T((*gnaam).into()), Val::F(f)],
                    totaal: false,
                });
                cats.push(naam);
                waarden.push(f);
                kleuren.push(Some(GROEPEN[gi].1));
            }
            if leden.len() > 1 {
                rijen.push(Rij {
                    label: format!("{gnaam}, totaal"),
                    sleutel: format!("groep-{gi}"),
                    link: None,
                    waarden: vec![Val::T((*gnaam).into()), Val::F(sub)],
                    totaal: true,
                });
            }
        }
        rijen.push(Rij {
            label: "Totaal".into(),
            sleutel: "totaal".into(),
            link: None,
            waarden: vec![Val::T(String::new()), Val::F(total(&subtotalen))],
            totaal: true,
        });
        let mut noten = self.noot_drempel();
        noten.push("Totalen per groep en het totaal zijn de totalen van de maandcijfers in 'Uitstroom naar bestemming'.".into());
        if self.t.is_some() {
            noten.push("Is het totaal van een groep exact bekend en staat er een \"<\" in de groep, dan is ook het grootste aantal van de groep verborgen (\"—\"), zodat het kleine aantal niet terug te rekenen is.".into());
        }
        Sectie {
            sleutel: "bestemming-periode",
            titel: titel.into(),
            inleiding: format!(
                "Alle bestemmingen van de uitstroom van {}; {}.",
                self.periode(),
                self.titel_selectie()
            ),
            definitie: "uitstroom-bestemming",
            grafiek: Some(Grafiek::Liggend {
                categorieen: cats,
                links: vec![None; waarden.len()],
                kleuren,
                reeksen: vec![Reeks {
                    naam: "Uitstroom in de periode".into(),
                    kleur: KLEUREN[0],
                    waarden,
                    link: None,
                }],
                exact: vec![false],
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Bestemming".into(),
                kolommen: vec![
                    Kolom {
                        label: "Groep".into(),
                        link: None,
                    },
                    Kolom {
                        label: "Uitstroom".into(),
                        link: None,
                    },
                ],
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: Vec::new(),
        }
    }

    /// A distribution over the period in buckets. `bekend`: its total can be worked out from
    /// other published figures, so the buckets get secondary suppression (rule 4).
    fn histogram(
        &self,
        m: Measure,
        s: Sel,
        bakken: &[Bak],
        bekend: bool,
    ) -> (Vec<Figure>, Figure, [Option<f64>; 3], BTreeMap<u32, u64>) {
        let v = self.verdeling(m, s, self.f.van, self.f.tot, |_| true);
        let mut per = vec![0u64; bakken.len()];
        for (d, c) in &v {
            per[bak_van(bakken, *d)] += c;
        }
        let figs = if bekend {
            protect(&per, self.t, None)
        } else {
            per.iter().map(|n| som(self.t, [*n as i64])).collect()
        };
        let tot = total(&figs);
        let q = self.kwantielen(&v);
        (figs, tot, q, v)
    }

    /// The written definition of [`Self::verblijfsduur`] (on `/monitor/{regio}/definities`).
    pub const DEF_VERBLIJFSDUUR: Definitie = Definitie {
        anker: "verblijfsduur",
        titel: "Verblijfsduur van beëindigde zorg",
        tekst: &[
            "Wat: voor iedereen die in de periode uitstroomde, de duur van de hele zorgperiode in dagen, van de eerste startdatum tot de einddatum (doorstroom binnen de zorg onderbreekt die periode niet). Ingedeeld in klassen (korter dan 3 maanden, 3–6 maanden, 6–12 maanden, 1–2 jaar, 2–5 jaar, 5 jaar of langer) met mediaan en kwartielen in maanden van 30,4375 dagen (365,25 / 12).",
            "Product: een verblijf telt bij het product aan het einde van de zorg (na doorstroom dus het laatste product), in de maand van de einddatum.",
            "Mensen die nog in zorg zijn, tellen hier niet mee; hun verblijf is nog niet af.",
        ],
    };

    /// Length of ended care episodes over the period.
    pub fn verblijfsduur(&self) -> Sectie {
        let titel = "Verblijfsduur van beëindigde zorg";
        if self.ai.is_some() {
            return Sectie::leeg(
                "verblijfsduur",
                titel,
                "verblijfsduur",
                "De verblijfsduur wordt niet per locatie bijgehouden; kies geen aanbieder.".into(),
            );
        }
        let bakken = bakken_verblijf();
        // Ended episodes are the outflow: its total over the period is known when every
        // month's published outflow is exact.
        let (_, uitstroom) = self.uitstroom_groepen();
        let bekend = uitstroom.iter().all(|f| matches!(f, Figure::Exact(_)));
        let (figs, tot, q, _) = self.histogram(Measure::Verblijfsduur, ALLES, &bakken, bekend);
        let maanden = q.map(|x| x.map(|d| d / DAGEN_PER_MAAND));
        let rijen = bak_rijen(&bakken, &figs, tot, "Totaal beëindigd");
        let mut noten = self.noot_drempel();
        noten.push(
            format!(
                "Mediaan en kwartielen in maanden van {:.4} dagen{}.",
                DAGEN_PER_MAAND,
                if self.t.is_some() {
                    format!(", alleen bij minstens {KWANTIEL_MIN} beëindigde verblijven")
                } else {
                    String::new()
                }
            )
            .replace('.', ","),
        );
        if self.t.is_some() {
            noten.push("Het aantal beëindigde verblijven is ook het totaal van de uitstroom. Is dat uit de maandcijfers exact bekend en staat er een \"<\" in de verdeling, dan is ook de grootste klasse verborgen (\"—\").".into());
        }
        Sectie {
            sleutel: "verblijfsduur",
            titel: titel.into(),
            inleiding: format!(
                "Hoe lang de zorg duurde van wie in {} uitstroomde; {}.",
                self.periode(),
                self.titel_selectie()
            ),
            definitie: "verblijfsduur",
            grafiek: Some(Grafiek::Staven {
                categorieen: bakken.iter().map(|b| b.label.clone()).collect(),
                reeksen: vec![Reeks {
                    naam: "Beëindigde verblijven".into(),
                    kleur: KLEUREN[0],
                    waarden: figs.clone(),
                    link: None,
                }],
                gestapeld: false,
                eenheid: "verblijven",
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Verblijfsduur".into(),
                kolommen: vec![Kolom {
                    label: "Beëindigde verblijven".into(),
                    link: None,
                }],
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: vec![
                (
                    "Mediaan (maanden)".into(),
                    Val::N(maanden[1], Eenheid::Maanden),
                ),
                (
                    "25e percentiel (maanden)".into(),
                    Val::N(maanden[0], Eenheid::Maanden),
                ),
                (
                    "75e percentiel (maanden)".into(),
                    Val::N(maanden[2], Eenheid::Maanden),
                ),
            ],
        }
    }

    /// The written definition of [`Self::wachtlijst`] (on `/monitor/{regio}/definities`).
    pub const DEF_WACHTLIJST: Definitie = Definitie {
        anker: "wachtlijst",
        titel: "Wachtlijst en de wachttijdnorm",
        tekst: &[
            "Wachtend: mensen met een toewijzing die op de laatste dag van de maand op de wachtlijst voor een plaats staan. Langer dan de norm: van hen, wie op de laatste dag van de maand de norm of langer wacht, gerekend vanaf de datum van plaatsing op de wachtlijst (de norm is het aantal weken uit het regioprofiel; bij 8 weken: 56 dagen of langer, de dag waarop de norm vol is telt dus al mee).",
            "Welke gemeente: de gemeente van herkomst. De wachtlijst heeft geen locatie en staat dus niet per aanbieder.",
        ],
    };

    /// Waiting list and waiting beyond the norm at month end.
    pub fn wachtlijst(&self) -> Sectie {
        let titel = "Wachtlijst aan het eind van de maand";
        if self.ai.is_some() {
            return Sectie::leeg(
                "wachtlijst",
                titel,
                "wachtlijst",
                "Wie wacht, heeft nog geen locatie: de wachtlijst is niet per aanbieder.".into(),
            );
        }
        let n = self.months.len();
        let one = |m: Measure| -> Vec<Figure> {
            let s = self.stock(m, ALLES, |_| Some(()));
            let v = s.get(&()).cloned().unwrap_or_else(|| vec![0; n]);
            v.into_iter().map(|x| som(self.t, [x])).collect()
        };
        let wacht = one(Measure::Wachtend);
        let boven = one(Measure::WachtendBovenNorm);
        let rijen = (0..n)
            .map(|i| self.maand_rij(i, vec![Val::F(wacht[i]), Val::F(boven[i])]))
            .collect();
        let norm = self.profile.norms.wachttijd_weken;
        let mut noten = self.noot_drempel();
        noten.push(format!(
            "Norm: {norm} weken ({} dagen) op de wachtlijst, uit het regioprofiel ({}).",
            norm * 7,
            self.profile.norms.herkomst.wachttijd.beschrijving()
        ));
        Sectie {
            sleutel: "wachtlijst",
            titel: titel.into(),
            inleiding: format!(
                "Mensen met een toewijzing die op een plaats wachten, en hoeveel van hen langer wachten dan de norm van {norm} weken; {}.",
                self.titel_selectie()
            ),
            definitie: "wachtlijst",
            grafiek: Some(Grafiek::Staven {
                categorieen: self.maand_labels(),
                reeksen: vec![
                    Reeks {
                        naam: "Wachtend".into(),
                        kleur: KLEUREN[0],
                        waarden: wacht.clone(),
                        link: None,
                    },
                    Reeks {
                        naam: format!("Langer dan {norm} weken"),
                        kleur: KLEUREN[7],
                        waarden: boven.clone(),
                        link: None,
                    },
                ],
                gestapeld: false,
                eenheid: "mensen",
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Maand".into(),
                kolommen: vec![
                    Kolom {
                        label: "Wachtend".into(),
                        link: None,
                    },
                    Kolom {
                        label: format!("Langer dan de norm ({norm} weken)"),
                        link: None,
                    },
                ],
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: vec![
                (
                    format!("Wachtend eind {}", self.f.tot.naam()),
                    Val::F(wacht.last().copied().unwrap_or(Figure::Exact(0))),
                ),
                (
                    "Waarvan langer dan de norm".into(),
                    Val::F(boven.last().copied().unwrap_or(Figure::Exact(0))),
                ),
            ],
        }
    }

    /// The written definition of [`Self::wachttijd`] (on `/monitor/{regio}/definities`).
    pub const DEF_WACHTTIJD: Definitie = Definitie {
        anker: "wachttijd",
        titel: "Wachttijd bij de start van zorg",
        tekst: &[
            "Wat: voor iedereen die in de periode vanaf de wachtlijst in zorg kwam, het aantal dagen tussen plaatsing op de wachtlijst en de start van de zorg; ingedeeld rond de norm van de regio, met mediaan, kwartielen en het aandeel dat binnen de norm startte.",
            "Binnen de norm: een start na precies de norm (bij 8 weken: 56 dagen) telt als binnen de norm. Dat is een andere grens dan bij ‘langer dan de norm’ op de wachtlijst, waar wie op de laatste dag van de maand precies de norm wacht al meetelt.",
        ],
    };

    /// Waiting time of those who started from the waiting list in the period.
    pub fn wachttijd(&self) -> Sectie {
        let titel = "Wachttijd bij de start van zorg";
        if self.ai.is_some() {
            return Sectie::leeg(
                "wachttijd",
                titel,
                "wachttijd",
                "De wachttijd wordt niet per locatie bijgehouden; kies geen aanbieder.".into(),
            );
        }
        let norm = self.profile.norms.wachttijd_weken;
        let bakken = bakken_wacht(norm);
        let (figs, tot, q, v) = self.histogram(Measure::Wachttijd, ALLES, &bakken, false);
        let n: u64 = v.values().sum();
        let binnen: u64 = v.range(..=norm * 7).map(|(_, c)| c).sum();
        // A share of an unpublished total would give a suppressed bucket away: only when
        // every bucket is shown exactly.
        let aandeel = (n >= self.kwantiel_min() && figs.iter().all(|f| !f.is_suppressed()))
            .then(|| 100.0 * binnen as f64 / n as f64);
        let rijen = bak_rijen(&bakken, &figs, tot, "Totaal gestart vanaf de wachtlijst");
        let mut noten = self.noot_drempel();
        noten.push(format!("Norm: {norm} weken ({} dagen).", norm * 7));
        if self.t.is_some() {
            noten.push(format!("Mediaan en kwartielen alleen bij minstens {KWANTIEL_MIN} starts; het aandeel binnen de norm alleen als geen klasse onderdrukt is."));
        }
        Sectie {
            sleutel: "wachttijd",
            titel: titel.into(),
            inleiding: format!(
                "Hoe lang wie in {} vanaf de wachtlijst in zorg kwam, had gewacht, tegenover de norm van {norm} weken; {}.",
                self.periode(),
                self.titel_selectie()
            ),
            definitie: "wachttijd",
            grafiek: Some(Grafiek::Staven {
                categorieen: bakken.iter().map(|b| b.label.clone()).collect(),
                reeksen: vec![Reeks {
                    naam: "Starts vanaf de wachtlijst".into(),
                    kleur: KLEUREN[4],
                    waarden: figs.clone(),
                    link: None,
                }],
                gestapeld: false,
                eenheid: "starts",
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Wachttijd".into(),
                kolommen: vec![Kolom {
                    label: "Starts".into(),
                    link: None,
                }],
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: vec![
                (
                    "Mediane wachttijd (dagen)".into(),
                    Val::N(q[1], Eenheid::Dagen),
                ),
                (
                    "Norm (dagen)".into(),
                    Val::N(Some(f64::from(norm * 7)), Eenheid::Dagen),
                ),
                ("Binnen de norm".into(), Val::N(aandeel, Eenheid::Procent)),
            ],
        }
    }

    /// The quarters (or parts of them) of the period.
    pub fn kwartalen(&self) -> Vec<(Kwartaal, Maand, Maand)> {
        let mut out: Vec<(Kwartaal, Maand, Maand)> = Vec::new();
        for m in &self.months {
            let k = Kwartaal::van_maand(*m);
            match out.last_mut() {
                Some((q, _, to)) if *q == k => *to = *m,
                _ => out.push((k, *m, *m)),
            }
        }
        out
    }

    /// The written definition of [`Self::doorlooptijden`] (on `/monitor/{regio}/definities`).
    pub const DEF_DOORLOOPTIJDEN: Definitie = Definitie {
        anker: "doorlooptijden",
        titel: "Van aanmelding tot besluit en van besluit tot start",
        tekst: &[
            "Aanmelding → besluit: dagen van de aanmelding tot het besluit (toewijzing of afwijzing), geteld in het kwartaal van het besluit. Besluit → start: dagen van de toewijzing tot de start van de zorg, geteld in het kwartaal van de start. Per kwartaal de mediaan, naast de beslistermijn uit het regioprofiel.",
        ],
    };

    /// Days application → decision and decision → start, median per quarter.
    pub fn doorlooptijden(&self) -> Sectie {
        let titel = "Doorlooptijden per kwartaal";
        if self.ai.is_some() {
            return Sectie::leeg(
                "doorlooptijden",
                titel,
                "doorlooptijden",
                "Doorlooptijden worden niet per locatie bijgehouden; kies geen aanbieder.".into(),
            );
        }
        let kw = self.kwartalen();
        let mut rijen = Vec::new();
        let mut m1 = Vec::new();
        let mut m2 = Vec::new();
        for (k, from, to) in &kw {
            let besluit = self.verdeling(Measure::DagenTotBesluit, ALLES, *from, *to, |_| true);
            let start = self.verdeling(Measure::DagenBesluitStart, ALLES, *from, *to, |_| true);
            let nb: u64 = besluit.values().sum();
            let ns: u64 = start.values().sum();
            let q1 = self.kwantielen(&besluit)[1];
            let q2 = self.kwantielen(&start)[1];
            m1.push(q1);
            m2.push(q2);
            let deels = *from != k.eerste() || *to != k.laatste();
            rijen.push(Rij {
                label: format!("{}{}", k.naam(), if deels { " (deels)" } else { "" }),
                sleutel: k.sleutel(),
                link: None,
                waarden: vec![
                    Val::F(som(self.t, [nb as i64])),
                    Val::N(q1, Eenheid::Dagen),
                    Val::F(som(self.t, [ns as i64])),
                    Val::N(q2, Eenheid::Dagen),
                ],
                totaal: false,
            });
        }
        let termijn = self.profile.norms.beslistermijn_weken * 7;
        let mut noten = self.noot_drempel();
        noten.push(format!(
            "Beslistermijn: {} weken ({termijn} dagen), uit het regioprofiel ({}).",
            self.profile.norms.beslistermijn_weken,
            self.profile.norms.herkomst.beslistermijn.beschrijving()
        ));
        if self.pi.is_some() {
            noten.push("Met een productfilter tellen alleen toewijzingen van dat product; afwijzingen hebben geen product.".into());
        }
        if self.t.is_some() {
            noten.push(format!("Een mediaan alleen bij minstens {KWANTIEL_MIN} besluiten of starts in het kwartaal."));
        }
        Sectie {
            sleutel: "doorlooptijden",
            titel: titel.into(),
            inleiding: format!(
                "Mediane dagen van aanmelding tot besluit (toewijzing of afwijzing) en van toewijzing tot start van de zorg, per kwartaal; {}.",
                self.titel_selectie()
            ),
            definitie: "doorlooptijden",
            grafiek: Some(Grafiek::Lijnen {
                categorieen: kw.iter().map(|(k, _, _)| k.kort()).collect(),
                lijnen: vec![
                    Lijn {
                        naam: "Aanmelding → besluit (mediaan, dagen)".into(),
                        kleur: KLEUREN[0],
                        waarden: m1,
                    },
                    Lijn {
                        naam: "Besluit → start (mediaan, dagen)".into(),
                        kleur: KLEUREN[1],
                        waarden: m2,
                    },
                ],
                referentie: Some((f64::from(termijn), format!("beslistermijn {termijn} dagen"))),
                eenheid: "dagen",
                max: None,
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Kwartaal".into(),
                kolommen: [
                    "Besluiten",
                    "Mediaan dagen aanmelding → besluit",
                    "Starts na toewijzing",
                    "Mediaan dagen besluit → start",
                ]
                .into_iter()
                .map(|l| Kolom {
                    label: l.into(),
                    link: None,
                })
                .collect(),
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: Vec::new(),
        }
    }

    /// Places per member gemeente (profile), for the product and provider selected.
    fn plaatsen(&self, g: GemeenteCode) -> u64 {
        self.profile
            .locations
            .iter()
            .filter(|l| l.gemeente == g)
            .filter(|l| {
                self.f.aanbieder.is_none()
                    || self.ai.is_none()
                    || Some(l.provider) == self.f.aanbieder
            })
            .flat_map(|l| l.places.iter())
            .filter(|(p, _)| self.f.product.as_ref().is_none_or(|x| x == *p))
            .map(|(_, n)| u64::from(*n))
            .sum()
    }

    /// The written definition of [`Self::herkomst_plaatsen`] (on `/monitor/{regio}/definities`).
    pub const DEF_HERKOMST_PLAATSEN: Definitie = Definitie {
        anker: "herkomst-plaatsen",
        titel: "Herkomst en plaatsen per gemeente",
        tekst: &[
            "Per gemeente van de regio, op de laatste dag van de gekozen periode: mensen in zorg naar gemeente van herkomst, mensen in zorg naar verantwoordelijke gemeente (woonplaatsbeginsel), en het aantal plaatsen op locaties in die gemeente volgens het regioprofiel. Zo is te zien waar mensen vandaan komen en waar de plaatsen staan.",
            "Plaatsen zijn configuratie en geen cliëntgegevens; ze worden niet onderdrukt.",
        ],
    };

    /// Per member gemeente at the last month: people in care by origin and by the
    /// woonplaatsbeginsel, and places located there.
    pub fn herkomst_plaatsen(&self) -> Sectie {
        let titel = "Herkomst en plaatsen per gemeente";
        let i = self.months.len() - 1;
        let b = self.zorg_blokken();
        let w = self.wpb_blokken();
        let wl = self.wpb_leden(&w, &b, i);
        let groepen = self.profile.gemeenten.len() as u16 + 2;
        let mut rijen = Vec::new();
        let (mut cats, mut links, mut h, mut wv, mut pl) = (vec![], vec![], vec![], vec![], vec![]);
        for g in 0..groepen {
            let herkomst = self.zorg_figuur(i, (Some(g), self.psel(), None));
            let lid = (g as usize) < self.profile.gemeenten.len();
            let (wpb, plaatsen, link) = if lid {
                let code = self.profile.gemeenten[g as usize].code;
                (
                    Val::F(wl[g as usize]),
                    Val::N(Some(self.plaatsen(code) as f64), Eenheid::Plaatsen),
                    Some(self.link(&self.f.met_gemeente(Some(code)))),
                )
            } else {
                (Val::T("niet getoond".into()), Val::T("—".into()), None)
            };
            if lid {
                cats.push(self.groep_naam(g));
                links.push(link.clone());
                h.push(herkomst);
                wv.push(wl[g as usize]);
                pl.push(Figure::Exact(
                    self.plaatsen(self.profile.gemeenten[g as usize].code),
                ));
            }
            rijen.push(Rij {
                label: self.groep_naam(g),
                sleutel: if lid {
                    self.profile.gemeenten[g as usize].code.to_string()
                } else if g == self.data.buiten() {
                    "buiten".into()
                } else {
                    "niet-ingeschreven".into()
                },
                link,
                waarden: vec![Val::F(herkomst), wpb, plaatsen],
                totaal: false,
            });
        }
        let alle = self.zorg_figuur(i, (None, self.psel(), None));
        let plaatsen_totaal: u64 = self
            .profile
            .gemeenten
            .iter()
            .map(|g| self.plaatsen(g.code))
            .sum();
        rijen.push(Rij {
            label: "Totaal".into(),
            sleutel: "totaal".into(),
            link: None,
            waarden: vec![
                Val::F(alle),
                Val::T(String::new()),
                Val::N(Some(plaatsen_totaal as f64), Eenheid::Plaatsen),
            ],
            totaal: true,
        });
        let mut noten = self.noot_drempel();
        noten.push("Herkomst: gemeente van inschrijving (BRP) bij de aanmelding. Woonplaatsbeginsel: de verantwoordelijke gemeente. Plaatsen: de plaatsen van locaties in die gemeente volgens het regioprofiel (configuratie, geen cliëntgegevens).".into());
        noten.push("Bij het woonplaatsbeginsel worden mensen van buiten de regio en niet-ingeschrevenen niet apart getoond.".into());
        if self.t.is_some() {
            noten.push("Een \"—\" bij het woonplaatsbeginsel: verborgen omdat het anders uit het totaal in zorg terug te rekenen is.".into());
        }
        Sectie {
            sleutel: "herkomst-plaatsen",
            titel: titel.into(),
            inleiding: format!(
                "Waar de mensen in zorg vandaan komen en waar de plaatsen zijn, per gemeente, eind {}{}. Klik op een gemeente om in te zoomen.",
                self.f.tot.naam(),
                self.f.product.as_ref().map_or(String::new(), |p| format!(
                    ", {}",
                    crate::names::product_name(self.profile, p.as_str())
                ))
            ),
            definitie: "herkomst-plaatsen",
            grafiek: Some(Grafiek::Liggend {
                categorieen: cats,
                links,
                kleuren: Vec::new(),
                reeksen: vec![
                    Reeks {
                        naam: "In zorg, herkomst".into(),
                        kleur: KLEUREN[0],
                        waarden: h,
                        link: None,
                    },
                    Reeks {
                        naam: "In zorg, woonplaatsbeginsel".into(),
                        kleur: KLEUREN[4],
                        waarden: wv,
                        link: None,
                    },
                    Reeks {
                        naam: "Plaatsen in de gemeente".into(),
                        kleur: KLEUREN[1],
                        waarden: pl,
                        link: None,
                    },
                ],
                exact: vec![false, false, true],
            }),
            tabel: Tabel {
                titel: format!("{titel}, eind {}", self.f.tot.naam()),
                kop: "Gemeente".into(),
                kolommen: [
                    "In zorg (herkomst)",
                    "In zorg (woonplaatsbeginsel)",
                    "Plaatsen",
                ]
                .into_iter()
                .map(|l| Kolom {
                    label: l.into(),
                    link: None,
                })
                .collect(),
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: Vec::new(),
        }
    }

    /// The written definition of [`Self::besluiten`] (on `/monitor/{regio}/definities`).
    pub const DEF_BESLUITEN: Definitie = Definitie {
        anker: "besluiten",
        titel: "Aanmeldingen en besluiten",
        tekst: &[
            "Aanmeldingen in de maand van de aanmelding; toewijzingen (naar zorg in natura en pgb) en afwijzingen in de maand van het besluit. Een nieuw besluit (bijvoorbeeld na bezwaar) telt in zijn eigen maand; een correctie vervangt het oude besluit.",
        ],
    };

    /// Applications and decisions per month.
    pub fn besluiten(&self) -> Sectie {
        let titel = "Aanmeldingen en besluiten per maand";
        if self.ai.is_some() {
            return Sectie::leeg(
                "besluiten",
                titel,
                "besluiten",
                "Aanmeldingen en besluiten hebben geen locatie; kies geen aanbieder.".into(),
            );
        }
        let n = self.months.len();
        let zin = self.flow_cells(Measure::Toewijzing, ALLES, |r| r.x == 0);
        let pgb = self.flow_cells(Measure::Toewijzing, ALLES, |r| r.x == 1);
        let tw: Vec<Figure> = (0..n).map(|i| total(&[zin[i], pgb[i]])).collect();
        let mut kolommen = Vec::new();
        let mut cols: Vec<Vec<Figure>> = Vec::new();
        let mut reeksen = Vec::new();
        if self.pi.is_none() {
            let a = self.flow_cells(Measure::Aanmelding, ALLES, |_| true);
            kolommen.push("Aanmeldingen");
            cols.push(a.clone());
            reeksen.push(Reeks {
                naam: "Aanmeldingen".into(),
                kleur: KLEUREN[0],
                waarden: a,
                link: None,
            });
        }
        kolommen.extend([
            "Toewijzingen ZIN",
            "Toewijzingen pgb",
            "Toewijzingen totaal",
        ]);
        cols.extend([zin, pgb, tw.clone()]);
        reeksen.push(Reeks {
            naam: "Toewijzingen".into(),
            kleur: KLEUREN[2],
            waarden: tw,
            link: None,
        });
        if self.pi.is_none() {
            let af = self.flow_cells(Measure::Afwijzing, ALLES, |_| true);
            kolommen.push("Afwijzingen");
            cols.push(af.clone());
            reeksen.push(Reeks {
                naam: "Afwijzingen".into(),
                kleur: KLEUREN[7],
                waarden: af,
                link: None,
            });
        }
        let rijen = (0..n)
            .map(|i| self.maand_rij(i, cols.iter().map(|c| Val::F(c[i])).collect()))
            .collect();
        let mut noten = self.noot_drempel();
        if self.pi.is_some() {
            noten.push("Met een productfilter alleen toewijzingen: aanmeldingen en afwijzingen hebben geen product.".into());
        }
        Sectie {
            sleutel: "besluiten",
            titel: titel.into(),
            inleiding: format!(
                "Aanmeldingen bij de toegang en de besluiten daarop, toewijzingen naar zorg in natura en pgb; {}.",
                self.titel_selectie()
            ),
            definitie: "besluiten",
            grafiek: Some(Grafiek::Staven {
                categorieen: self.maand_labels(),
                reeksen,
                gestapeld: false,
                eenheid: "aantal",
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Maand".into(),
                kolommen: kolommen
                    .into_iter()
                    .map(|l| Kolom {
                        label: l.into(),
                        link: None,
                    })
                    .collect(),
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: Vec::new(),
        }
    }

    fn mo_beschikbaar(&self) -> Option<String> {
        let has_mo = self.profile.products.iter().any(|p| p.domain == Domain::Mo);
        if !has_mo {
            return Some(
                "Deze regio heeft geen producten voor maatschappelijke opvang in de catalogus."
                    .into(),
            );
        }
        if let Some(p) = &self.f.product
            && self
                .profile
                .product(p)
                .is_some_and(|x| x.domain != Domain::Mo)
        {
            return Some("Het gekozen product is geen maatschappelijke opvang.".into());
        }
        None
    }

    /// The written definition of [`Self::mo`] (on `/monitor/{regio}/definities`).
    pub const DEF_MO: Definitie = Definitie {
        anker: "mo",
        titel: "Maatschappelijke opvang per maand",
        tekst: &[
            "Nachten: alle nachten in de nachtopvang in de maand (een verblijf over een maandgrens telt in beide maanden voor zijn eigen nachten). Personen: mensen met minstens één nacht in de maand, elk één keer; met een product- of aanbiederfilter bij het product en de locatie van hun eerste nacht in die maand. Herhaald gebruik: een nieuw verblijf dat meer dan 30 dagen na de vorige nacht begint, in de maand van die terugkeer.",
            "De opvang is landelijk toegankelijk: ook mensen van buiten de regio en niet-ingeschrevenen tellen mee.",
        ],
    };

    /// MO per month: nights, people, repeated use.
    pub fn mo(&self) -> Sectie {
        let titel = "Maatschappelijke opvang per maand";
        if let Some(r) = self.mo_beschikbaar() {
            return Sectie::leeg("mo", titel, "mo", r);
        }
        let n = self.months.len();
        let s = self.loc();
        let personen = self.flow_cells(Measure::MoPersonen, s, |_| true);
        let nachten_ruw = self.flow(Measure::MoNachten, s, |_| Some(()));
        let nachten: Vec<Figure> = (0..n)
            .map(|i| {
                let x = nachten_ruw.get(&()).map_or(0, |v| v[i]).max(0) as u64;
                match (self.t, personen[i]) {
                    (None, _) => Figure::Exact(x),
                    (_, _) if x == 0 => Figure::Exact(0),
                    (_, Figure::Exact(p)) if p > 0 => Figure::Exact(x),
                    _ => Figure::Hidden,
                }
            })
            .collect();
        let herhaald = self.flow_cells(Measure::MoHerhaald, s, |_| true);
        let rijen = (0..n)
            .map(|i| {
                self.maand_rij(
                    i,
                    vec![Val::F(nachten[i]), Val::F(personen[i]), Val::F(herhaald[i])],
                )
            })
            .collect();
        let mut noten = self.noot_drempel();
        if self.t.is_some() {
            noten.push(
                "Nachten staan er alleen bij als het aantal personen erachter getoond wordt."
                    .into(),
            );
        }
        Sectie {
            sleutel: "mo",
            titel: titel.into(),
            inleiding: format!(
                "Nachten in de nachtopvang, het aantal mensen dat er sliep, en terugkeer meer dan 30 dagen na de vorige nacht; {}.",
                self.titel_selectie()
            ),
            definitie: "mo",
            grafiek: Some(Grafiek::Staven {
                categorieen: self.maand_labels(),
                reeksen: vec![
                    Reeks {
                        naam: "Personen".into(),
                        kleur: KLEUREN[0],
                        waarden: personen.clone(),
                        link: None,
                    },
                    Reeks {
                        naam: "Herhaald gebruik".into(),
                        kleur: KLEUREN[1],
                        waarden: herhaald,
                        link: None,
                    },
                ],
                gestapeld: false,
                eenheid: "mensen",
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Maand".into(),
                kolommen: ["Nachten", "Personen", "Herhaald gebruik"]
                    .into_iter()
                    .map(|l| Kolom {
                        label: l.into(),
                        link: None,
                    })
                    .collect(),
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: vec![(
                format!("Personen in de opvang, {}", self.f.tot.naam()),
                Val::F(personen.last().copied().unwrap_or(Figure::Exact(0))),
            )],
        }
    }

    /// The written definition of [`Self::mo_jaar`] (on `/monitor/{regio}/definities`).
    pub const DEF_MO_JAAR: Definitie = Definitie {
        anker: "mo-jaar",
        titel: "Maatschappelijke opvang per jaar",
        tekst: &[
            "Personen: mensen met minstens één nacht in de nachtopvang in het kalenderjaar. Langer dan 3 nachten: van hen, wie in dat jaar meer dan 3 nachten sliep (zij krijgen een individueel plan).",
        ],
    };

    /// MO per calendar year: people, and people with more than 3 nights.
    pub fn mo_jaar(&self) -> Sectie {
        let titel = "Maatschappelijke opvang per jaar";
        if let Some(r) = self.mo_beschikbaar() {
            return Sectie::leeg("mo-jaar", titel, "mo-jaar", r);
        }
        if self.ai.is_some() {
            return Sectie::leeg("mo-jaar", titel, "mo-jaar", "Jaarcijfers van de opvang worden niet per locatie bijgehouden; kies geen aanbieder.".into());
        }
        let (j0, j1) = (self.f.van.jaar() as u32, self.f.tot.jaar() as u32);
        let per_jaar = |m: Measure| -> BTreeMap<u32, i64> {
            let mut out = BTreeMap::new();
            for r in self.data.rows(m) {
                // Yearly cells have the key `yyyy00`.
                let j = r.maand / 100;
                if Maand::from_key(r.maand).is_none()
                    && (j0..=j1).contains(&j)
                    && self.keep(r, ALLES)
                {
                    *out.entry(j).or_insert(0) += r.n;
                }
            }
            out
        };
        let personen = per_jaar(Measure::MoPersonenJaar);
        let langer = per_jaar(Measure::MoLangerDan3);
        let mut rijen = Vec::new();
        let mut cats = Vec::new();
        let (mut pv, mut lv) = (Vec::new(), Vec::new());
        for j in j0..=j1 {
            let p = som(self.t, [personen.get(&j).copied().unwrap_or(0)]);
            let l = som(self.t, [langer.get(&j).copied().unwrap_or(0)]);
            let aandeel = match (p, l) {
                (Figure::Exact(a), Figure::Exact(b)) if a > 0 => Some(100.0 * b as f64 / a as f64),
                _ => None,
            };
            let lopend = j == self.f.tot.jaar() as u32;
            rijen.push(Rij {
                label: format!("{j}{}", if lopend { " (tot nu)" } else { "" }),
                sleutel: j.to_string(),
                link: None,
                waarden: vec![Val::F(p), Val::F(l), Val::N(aandeel, Eenheid::Procent)],
                totaal: false,
            });
            cats.push(j.to_string());
            pv.push(p);
            lv.push(l);
        }
        let mut noten = self.noot_drempel();
        noten.push("Per kalenderjaar, ook voor jaren die maar voor een deel in de periode liggen; het lopende jaar telt tot nu.".into());
        Sectie {
            sleutel: "mo-jaar",
            titel: titel.into(),
            inleiding: format!(
                "Hoeveel mensen in een jaar in de nachtopvang sliepen, en hoeveel van hen langer dan 3 nachten (zij krijgen een individueel plan); {}.",
                self.titel_selectie()
            ),
            definitie: "mo-jaar",
            grafiek: Some(Grafiek::Staven {
                categorieen: cats,
                reeksen: vec![
                    Reeks {
                        naam: "Personen in het jaar".into(),
                        kleur: KLEUREN[0],
                        waarden: pv,
                        link: None,
                    },
                    Reeks {
                        naam: "Langer dan 3 nachten".into(),
                        kleur: KLEUREN[1],
                        waarden: lv,
                        link: None,
                    },
                ],
                gestapeld: false,
                eenheid: "mensen",
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}", self.titel_selectie()),
                kop: "Jaar".into(),
                kolommen: [
                    "Personen",
                    "Langer dan 3 nachten",
                    "Aandeel langer dan 3 nachten",
                ]
                .into_iter()
                .map(|l| Kolom {
                    label: l.into(),
                    link: None,
                })
                .collect(),
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: Vec::new(),
        }
    }

    /// The written definition of [`Self::wlz_woning`] (on `/monitor/{regio}/definities`).
    pub const DEF_WLZ_WONING: Definitie = Definitie {
        anker: "wlz-woning",
        titel: "Wlz-overgangen en wachten op een woning",
        tekst: &[
            "Wlz-overgangen: overgangen naar de Wet langdurige zorg (permanent 24-uurs zorg), in de maand van de overgang. Wacht op een woning: mensen in zorg die uitstroomklaar zijn verklaard en alleen nog op een woning wachten, op de laatste dag van de maand.",
        ],
    };

    /// Wlz transfers per month and people waiting for a home at month end.
    pub fn wlz_woning(&self) -> Sectie {
        let titel = "Wlz-overgangen en wachten op een woning";
        let n = self.months.len();
        let wlz = if self.ai.is_some() {
            vec![Figure::Hidden; n]
        } else {
            self.flow_cells(Measure::WlzOvergang, ALLES, |_| true)
        };
        let s = self.stock(Measure::WachtOpWoning, self.loc(), |_| Some(()));
        let woning: Vec<Figure> = s
            .get(&())
            .cloned()
            .unwrap_or_else(|| vec![0; n])
            .into_iter()
            .map(|x| som(self.t, [x]))
            .collect();
        let rijen = (0..n)
            .map(|i| self.maand_rij(i, vec![Val::F(wlz[i]), Val::F(woning[i])]))
            .collect();
        let mut noten = self.noot_drempel();
        if self.ai.is_some() {
            noten.push("Wlz-overgangen hebben geen locatie en staan niet per aanbieder.".into());
        }
        Sectie {
            sleutel: "wlz-woning",
            titel: titel.into(),
            inleiding: format!(
                "Overgangen naar de Wet langdurige zorg per maand, en mensen in zorg die uitstroomklaar zijn en alleen nog op een woning wachten (eind van de maand); {}.",
                self.titel_selectie()
            ),
            definitie: "wlz-woning",
            grafiek: Some(Grafiek::Staven {
                categorieen: self.maand_labels(),
                reeksen: vec![
                    Reeks {
                        naam: "Wlz-overgangen".into(),
                        kleur: KLEUREN[3],
                        waarden: wlz,
                        link: None,
                    },
                    Reeks {
                        naam: "Wacht op een woning".into(),
                        kleur: KLEUREN[2],
                        waarden: woning.clone(),
                        link: None,
                    },
                ],
                gestapeld: false,
                eenheid: "mensen",
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Maand".into(),
                kolommen: vec![
                    Kolom {
                        label: "Wlz-overgangen".into(),
                        link: None,
                    },
                    Kolom {
                        label: "Wacht op een woning (eind maand)".into(),
                        link: None,
                    },
                ],
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: vec![(
                format!("Wacht op een woning eind {}", self.f.tot.naam()),
                Val::F(woning.last().copied().unwrap_or(Figure::Exact(0))),
            )],
        }
    }

    /// The written definition of [`Self::uitstroom_wonen`] (issue 15).
    pub const DEF_UITSTROOM_WONEN: Definitie = Definitie {
        anker: "uitstroom-wonen",
        titel: "Uitstroom naar wonen",
        tekst: &[
            "Kandidaten voor een woning: mensen in zorg die nog niet naar een eigen woning zijn verhuisd en uitstroomklaar zijn, een woningaanbod hebben, of volgens hun woonbehoefte binnen 3 maanden uitstroomklaar verwachten te zijn (aanname), op de laatste dag van de maand, naar gemeente van herkomst.",
            "Woningaanbiedingen: aanbiedingen van een woning door een woningcorporatie, in de maand van het aanbod. Aanvaard en geweigerd: de antwoorden op een aanbod, in de maand van het antwoord. Huurovereenkomsten: getekend, in de maand van ondertekening. Deze vier tellen naar de gemeente van de aangeboden woning; ze hebben geen locatie en staan niet per aanbieder.",
            "Uitstroom naar een woning: einde zorg met een woning als bestemming en de gemeente van die woning vastgelegd, in de maand van het einde, naar de gemeente van de nieuwe woning.",
            "Wachttijd op een woning: dagen van uitstroomklaar (of, als dat eerder was, van het aanbod van de woning waarin iemand trok) tot de verhuizing, in de maand van de verhuizing, naar gemeente van herkomst; de mediaan volgens de dichtstbijzijnde rang.",
        ],
    };

    /// The written definition of [`Self::spreiding_wonen`] (issue 15).
    pub const DEF_SPREIDING_WONEN: Definitie = Definitie {
        anker: "spreiding-wonen",
        titel: "Spreiding van de uitstroom naar een woning",
        tekst: &[
            "De uitstroom naar een woning (einde zorg met een woning als bestemming en de gemeente van die woning vastgelegd) over de hele gekozen periode, per gemeente van de nieuwe woning; woningen buiten de regio samen als ‘buiten de regio’. Het gemeentefilter geldt hier niet: de tabel is de verdeling over alle gemeenten van de regio. De afspraken per gemeente en corporatie staan op de pagina Woningafspraken.",
        ],
    };

    /// Housing candidates (month end), offers, answers, tenancies, outflow to a home and the
    /// median waiting time for a home, per month (issue 15).
    pub fn uitstroom_wonen(&self) -> Sectie {
        let titel = "Uitstroom naar wonen";
        let n = self.months.len();
        let s = self.stock(Measure::WoonKandidaat, self.loc(), |_| Some(()));
        let kandidaten: Vec<Figure> = s
            .get(&())
            .cloned()
            .unwrap_or_else(|| vec![0; n])
            .into_iter()
            .map(|x| som(self.t, [x]))
            .collect();
        // Offers and their answers have no location: not per provider.
        let zonder_locatie = |m: Measure| {
            if self.ai.is_some() {
                vec![Figure::Hidden; n]
            } else {
                self.flow_cells(m, ALLES, |_| true)
            }
        };
        let aanbod = zonder_locatie(Measure::WoningAanbod);
        let akkoord = zonder_locatie(Measure::AanbodAkkoord);
        let geweigerd = zonder_locatie(Measure::AanbodGeweigerd);
        let huur = zonder_locatie(Measure::Huurovereenkomst);
        let uitstroom = self.flow_cells(Measure::UitstroomWoning, self.loc(), |_| true);
        let wachttijd = |from: Maand, to: Maand| -> [Option<f64>; 3] {
            if self.ai.is_some() {
                return [None; 3];
            }
            self.kwantielen(&self.verdeling(Measure::WachttijdWoning, ALLES, from, to, |_| true))
        };
        let rijen = (0..n)
            .map(|i| {
                let m = self.months[i];
                self.maand_rij(
                    i,
                    vec![
                        Val::F(kandidaten[i]),
                        Val::F(aanbod[i]),
                        Val::F(akkoord[i]),
                        Val::F(geweigerd[i]),
                        Val::F(huur[i]),
                        Val::F(uitstroom[i]),
                        Val::N(wachttijd(m, m)[1], Eenheid::Dagen),
                    ],
                )
            })
            .collect();
        let periode = wachttijd(self.f.van, self.f.tot);
        let mut noten = self.noot_drempel();
        let n = self.kwantiel_min();
        noten.push(format!(
            "Mediane wachttijd alleen bij minstens {n} {} in de maand.",
            if n == 1 { "verhuizing" } else { "verhuizingen" }
        ));
        if self.ai.is_some() {
            noten.push("Aanbiedingen, antwoorden, huurovereenkomsten en wachttijden hebben geen locatie en staan niet per aanbieder.".into());
        }
        if self.f.gemeente.is_some() {
            noten.push("Met een gemeente gekozen: kandidaten en wachttijd naar gemeente van herkomst, aanbiedingen en huurovereenkomsten naar de gemeente van de woning, uitstroom naar de gemeente van de nieuwe woning.".into());
        }
        let kolom = |label: &str| Kolom {
            label: label.into(),
            link: None,
        };
        Sectie {
            sleutel: "uitstroom-wonen",
            titel: titel.into(),
            inleiding: format!(
                "Kandidaten voor een woning aan het eind van de maand, het woningaanbod van de corporaties met de antwoorden en huurovereenkomsten, en de uitstroom naar een woning per maand; {}.",
                self.titel_selectie()
            ),
            definitie: "uitstroom-wonen",
            grafiek: Some(Grafiek::Staven {
                categorieen: self.maand_labels(),
                reeksen: vec![
                    Reeks {
                        naam: "Kandidaten (eind maand)".into(),
                        kleur: KLEUREN[0],
                        waarden: kandidaten.clone(),
                        link: None,
                    },
                    Reeks {
                        naam: "Woningaanbiedingen".into(),
                        kleur: KLEUREN[1],
                        waarden: aanbod.clone(),
                        link: None,
                    },
                    Reeks {
                        naam: "Huurovereenkomsten".into(),
                        kleur: KLEUREN[4],
                        waarden: huur.clone(),
                        link: None,
                    },
                    Reeks {
                        naam: "Uitstroom naar een woning".into(),
                        kleur: KLEUREN[2],
                        waarden: uitstroom.clone(),
                        link: None,
                    },
                ],
                gestapeld: false,
                eenheid: "mensen",
            }),
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.titel_selectie(), self.periode()),
                kop: "Maand".into(),
                kolommen: vec![
                    kolom("Kandidaten (eind maand)"),
                    kolom("Woningaanbiedingen"),
                    kolom("Aanvaard"),
                    kolom("Geweigerd"),
                    kolom("Huurovereenkomsten"),
                    kolom("Uitstroom naar een woning"),
                    kolom("Mediane wachttijd op een woning (dagen)"),
                ],
                rijen,
                noten,
            },
            niet_beschikbaar: None,
            kerncijfers: vec![
                (
                    format!("Kandidaten voor een woning eind {}", self.f.tot.naam()),
                    Val::F(kandidaten.last().copied().unwrap_or(Figure::Exact(0))),
                ),
                (
                    "Mediane wachttijd op een woning over de periode".into(),
                    Val::N(periode[1], Eenheid::Dagen),
                ),
            ],
        }
    }

    /// Outflow to a home over the whole period per destination gemeente (issue 15,
    /// spreiding). The gemeente filter does not apply; small cells are protected against a
    /// reader who knows the total (rule 4).
    pub fn spreiding_wonen(&self) -> Sectie {
        let titel = "Spreiding van de uitstroom naar een woning";
        let sel = Sel {
            gemeente: false,
            ..self.loc()
        };
        let flows = self.flow(Measure::UitstroomWoning, sel, |r| Some(r.g));
        let groepen: Vec<u16> = (0..self.profile.gemeenten.len() as u16)
            .chain([self.data.buiten()])
            .collect();
        let values: Vec<u64> = groepen
            .iter()
            .map(|g| {
                flows
                    .get(g)
                    .map_or(0, |v| v.iter().sum::<i64>().max(0) as u64)
            })
            .collect();
        let totaal: u64 = values.iter().sum();
        let figs = protect(&values, self.t, None);
        let mut rijen: Vec<Rij> = groepen
            .iter()
            .zip(&figs)
            .map(|(g, f)| Rij {
                label: self.groep_naam(*g),
                sleutel: if *g == self.data.buiten() {
                    "buiten".into()
                } else {
                    self.profile.gemeenten[*g as usize].code.to_string()
                },
                link: None,
                waarden: vec![Val::F(*f)],
                totaal: false,
            })
            .collect();
        rijen.push(Rij {
            label: "Totaal".into(),
            sleutel: "totaal".into(),
            link: None,
            waarden: vec![Val::F(som(self.t, [totaal as i64]))],
            totaal: true,
        });
        Sectie {
            sleutel: "spreiding-wonen",
            titel: titel.into(),
            inleiding: format!(
                "Naar welke gemeente mensen uitstroomden die met een woning als bestemming uit zorg gingen, {}; {}.",
                self.periode(),
                self.profile.name
            ),
            definitie: "spreiding-wonen",
            grafiek: None,
            tabel: Tabel {
                titel: format!("{titel}, {}, {}", self.profile.name, self.periode()),
                kop: "Gemeente van de nieuwe woning".into(),
                kolommen: vec![Kolom {
                    label: "Uitstroom naar een woning".into(),
                    link: None,
                }],
                rijen,
                noten: self.noot_drempel(),
            },
            niet_beschikbaar: None,
            kerncijfers: Vec::new(),
        }
    }

    /// One section by key.
    pub fn sectie(&self, key: &str) -> Option<Sectie> {
        if self.aanbieder_geweigerd() {
            let titel = SECTIES.iter().find(|(k, _)| *k == key)?.1;
            let k = SECTIES.iter().find(|(k, _)| *k == key)?.0;
            return Some(Sectie::leeg(k, titel, k, AANBIEDER_GEWEIGERD.into()));
        }
        Some(match key {
            "in-zorg" => self.in_zorg(),
            "ambulantisering" => self.ambulantisering(),
            "stromen" => self.stromen(),
            "uitstroom-bestemming" => self.uitstroom_bestemming(),
            "bestemming-periode" => self.bestemming_periode(),
            "verblijfsduur" => self.verblijfsduur(),
            "wachtlijst" => self.wachtlijst(),
            "wachttijd" => self.wachttijd(),
            "doorlooptijden" => self.doorlooptijden(),
            "herkomst-plaatsen" => self.herkomst_plaatsen(),
            "besluiten" => self.besluiten(),
            "mo" => self.mo(),
            "mo-jaar" => self.mo_jaar(),
            "wlz-woning" => self.wlz_woning(),
            "uitstroom-wonen" => self.uitstroom_wonen(),
            "spreiding-wonen" => self.spreiding_wonen(),
            _ => return None,
        })
    }

    /// Every section, in page order.
    pub fn secties(&self) -> Vec<Sectie> {
        SECTIES.iter().filter_map(|(k, _)| self.sectie(k)).collect()
    }

    /// The page as JSON (same figures as the page, suppressed the same way).
    pub fn json(&self, secties: &[Sectie], meldingen: &[String]) -> Value {
        json!({
            "regio": self.profile.id,
            "naam": self.profile.name,
            "filters": {
                "gemeente": self.f.gemeente,
                "product": self.f.product,
                "aanbieder": self.f.aanbieder.map(|a| a.to_string()),
                "van": self.f.van.to_string(),
                "tot": self.f.tot.to_string(),
                "gemeente_soort": match self.f.soort { Soort::Herkomst => "herkomst", Soort::Woonplaatsbeginsel => "woonplaatsbeginsel" },
                "indeling": match self.f.indeling { Indeling::Product => "product", Indeling::Leveringsvorm => "leveringsvorm" },
            },
            "onderdrukt": self.t.is_some(),
            "drempel": self.t,
            "meldingen": meldingen,
            "secties": secties.iter().map(|s| json!({
                "sleutel": s.sleutel,
                "titel": s.titel,
                "niet_beschikbaar": s.niet_beschikbaar,
                "kerncijfers": s.kerncijfers.iter().map(|(l, v)| json!([l, v.json()])).collect::<Vec<_>>(),
                "tabel": s.tabel.json(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// Why an aggregate viewer gets no figures for a provider.
pub const AANBIEDER_GEWEIGERD: &str = "Cijfers per aanbieder publiceert Vangnet alleen voor de toegang van de regio: per aanbieder (of locatie) zouden de totalen van de regio van elkaar af te trekken zijn, en daarmee kleine aantallen terug te rekenen. Hieronder staan wel de locaties en plaatsen van de aanbieder.";

// ---------------------------------------------------------------------------------------
// The quarterly report

/// The report of one gemeente (or the region) for a quarter, beside the same quarter a year
/// earlier.
pub struct Rapport {
    /// Rows: indicator, previous-year value, value, difference.
    pub tabel: Tabel,
    /// People in care per product at the end of both quarters.
    pub per_product: Tabel,
    /// Chart of `per_product`.
    pub grafiek: Grafiek,
    /// The quarter.
    pub kwartaal: Kwartaal,
}

/// Build the quarterly report. `profile`, `data` and `t` as for [`Monitor`]; `gemeente`
/// optional. Every figure is the one the monitor page shows for the same selection: stocks
/// at the quarter's last month, flows as totals of the published monthly figures (rule 2).
pub fn rapport(
    profile: &RegionProfile,
    data: &Data,
    gemeente: Option<GemeenteCode>,
    kwartaal: Kwartaal,
    t: Option<u32>,
) -> Rapport {
    let kw = [kwartaal.jaar_eerder(), kwartaal];
    let filters: Vec<Filters> = kw
        .iter()
        .map(|k| Filters {
            gemeente,
            product: None,
            aanbieder: None,
            van: k.eerste(),
            tot: k.laatste(),
            soort: Soort::Herkomst,
            indeling: Indeling::Product,
        })
        .collect();
    let wpb_filters: Vec<Filters> = filters
        .iter()
        .map(|f| Filters {
            soort: Soort::Woonplaatsbeginsel,
            ..f.clone()
        })
        .collect();
    let ms: Vec<Monitor<'_>> = filters
        .iter()
        .map(|f| Monitor::new(profile, data, f, t))
        .collect();
    let secties: Vec<[Sectie; 8]> = ms
        .iter()
        .map(|m| {
            [
                m.in_zorg(),
                m.ambulantisering(),
                m.stromen(),
                m.uitstroom_bestemming(),
                m.wachtlijst(),
                m.wachttijd(),
                m.mo(),
                m.wlz_woning(),
            ]
        })
        .collect();
    let last = |s: &Sectie, col: &str| -> Val {
        let c = s.tabel.kolommen.iter().position(|k| k.label == col);
        match (c, s.tabel.rijen.last()) {
            (Some(c), Some(r)) => r.waarden[c].clone(),
            _ => Val::F(Figure::Exact(0)),
        }
    };
    let sum = |s: &Sectie, col: &str| -> Val {
        let Some(c) = s.tabel.kolommen.iter().position(|k| k.label == col) else {
            return Val::T("—".into());
        };
        let figs: Vec<Figure> = s
            .tabel
            .rijen
            .iter()
            .filter(|r| !r.totaal)
            .filter_map(|r| match &r.waarden[c] {
                Val::F(f) => Some(*f),
                _ => None,
            })
            .collect();
        Val::F(total(&figs))
    };
    let kern = |s: &Sectie, label_start: &str| -> Val {
        s.kerncijfers
            .iter()
            .find(|(l, _)| l.starts_with(label_start))
            .map_or(Val::T("—".into()), |(_, v)| v.clone())
    };
    /// Where an indicator's value comes from: section index and column (or key figure).
    enum Pick {
        /// The column's value in the last row (a stock at the quarter's end).
        Last(usize, &'static str),
        /// The column summed over the rows (a flow over the quarter).
        Sum(usize, &'static str),
        /// A key figure of the section, by the start of its label.
        Kern(usize, &'static str),
        /// Column index `c` in the last row.
        LastAt(usize, usize),
    }
    let pick = |p: &Pick, s: &[Sectie; 8]| -> Val {
        match *p {
            Pick::Last(i, col) => last(&s[i], col),
            Pick::Sum(i, col) => sum(&s[i], col),
            Pick::Kern(i, label) => kern(&s[i], label),
            Pick::LastAt(i, c) => s[i]
                .tabel
                .rijen
                .last()
                .map_or(Val::F(Figure::Exact(0)), |r| r.waarden[c].clone()),
        }
    };
    let mut indicatoren: Vec<(&str, Pick)> = vec![
        (
            "Mensen in zorg, eind kwartaal (herkomst)",
            Pick::Last(0, "Totaal"),
        ),
        (
            "waarvan intramuraal beschermd wonen",
            Pick::Last(1, "Intramuraal"),
        ),
        (
            "waarvan extramuraal beschermd wonen",
            Pick::Last(1, "Extramuraal"),
        ),
        ("Instroom in het kwartaal", Pick::Sum(2, "Instroom")),
        (
            "Doorstroom tussen producten",
            Pick::Sum(2, "Doorstroom tussen producten"),
        ),
        ("Uitstroom in het kwartaal", Pick::Sum(2, "Uitstroom")),
        ("waarvan naar een woning", Pick::Sum(3, "Naar een woning")),
        ("Wachtend, eind kwartaal", Pick::Last(4, "Wachtend")),
        ("waarvan langer dan de norm", Pick::LastAt(4, 1)),
        (
            "Mediane wachttijd bij start (dagen)",
            Pick::Kern(5, "Mediane wachttijd"),
        ),
        (
            "Wacht op een woning, eind kwartaal",
            Pick::Last(7, "Wacht op een woning (eind maand)"),
        ),
        (
            "Wlz-overgangen in het kwartaal",
            Pick::Sum(7, "Wlz-overgangen"),
        ),
    ];
    if profile.products.iter().any(|p| p.domain == Domain::Mo) {
        indicatoren.push(("MO: nachten in het kwartaal", Pick::Sum(6, "Nachten")));
        indicatoren.push((
            "MO: herhaald gebruik in het kwartaal",
            Pick::Sum(6, "Herhaald gebruik"),
        ));
    }
    let mut rijen: Vec<Rij> = Vec::new();
    if gemeente.is_some() {
        let wm: Vec<Monitor<'_>> = wpb_filters
            .iter()
            .map(|f| Monitor::new(profile, data, f, t))
            .collect();
        let w: Vec<Val> = wm.iter().map(|m| last(&m.in_zorg(), "Totaal")).collect();
        rijen.push(rapport_rij(
            "Mensen in zorg, eind kwartaal (woonplaatsbeginsel)",
            "in-zorg-wpb",
            w[0].clone(),
            w[1].clone(),
        ));
    }
    for (i, (label, p)) in indicatoren.iter().enumerate() {
        let a = pick(p, &secties[0]);
        let b = pick(p, &secties[1]);
        rijen.insert(
            if i == 0 { 0 } else { rijen.len() },
            rapport_rij(label, &format!("indicator-{i}"), a, b),
        );
    }
    let naam = gemeente.map_or_else(
        || profile.name.clone(),
        |g| crate::names::gemeente_name(profile, &g.to_string()),
    );
    let tabel = Tabel {
        titel: format!("Kerncijfers {naam}, {} en {}", kw[1].naam(), kw[0].naam()),
        kop: "Indicator".into(),
        kolommen: vec![
            Kolom {
                label: kw[0].naam(),
                link: None,
            },
            Kolom {
                label: kw[1].naam(),
                link: None,
            },
            Kolom {
                label: "Verschil".into(),
                link: None,
            },
        ],
        rijen,
        noten: ms[1].noot_drempel(),
    };
    // In care per product at both quarter ends.
    let iz: Vec<&Sectie> = secties.iter().map(|s| &s[0]).collect();
    let mut producten: Vec<String> = Vec::new();
    for s in &iz {
        for k in &s.tabel.kolommen {
            if k.label != "Totaal" && !producten.contains(&k.label) {
                producten.push(k.label.clone());
            }
        }
    }
    let waarde = |s: &Sectie, p: &str| -> Figure {
        let c = s.tabel.kolommen.iter().position(|k| k.label == p);
        match (c, s.tabel.rijen.last()) {
            (Some(c), Some(r)) => match r.waarden[c] {
                Val::F(f) => f,
                _ => Figure::Hidden,
            },
            _ => Figure::Exact(0),
        }
    };
    let pp_rijen: Vec<Rij> = producten
        .iter()
        .map(|p| rapport_rij(p, p, Val::F(waarde(iz[0], p)), Val::F(waarde(iz[1], p))))
        .collect();
    let grafiek = Grafiek::Liggend {
        categorieen: producten.clone(),
        links: vec![None; producten.len()],
        kleuren: Vec::new(),
        reeksen: kw
            .iter()
            .zip(&iz)
            .enumerate()
            .map(|(i, (k, s))| Reeks {
                naam: k.naam(),
                kleur: [KLEUREN[4], KLEUREN[0]][i],
                waarden: producten.iter().map(|p| waarde(s, p)).collect(),
                link: None,
            })
            .collect(),
        exact: vec![false, false],
    };
    Rapport {
        tabel,
        per_product: Tabel {
            titel: format!(
                "Mensen in zorg per product, eind {} en eind {}",
                kw[1].naam(),
                kw[0].naam()
            ),
            kop: "Product".into(),
            kolommen: vec![
                Kolom {
                    label: kw[0].naam(),
                    link: None,
                },
                Kolom {
                    label: kw[1].naam(),
                    link: None,
                },
                Kolom {
                    label: "Verschil".into(),
                    link: None,
                },
            ],
            rijen: pp_rijen,
            noten: Vec::new(),
        },
        grafiek,
        kwartaal,
    }
}

fn rapport_rij(label: &str, sleutel: &str, a: Val, b: Val) -> Rij {
    let verschil = match (&a, &b) {
        (Val::F(Figure::Exact(x)), Val::F(Figure::Exact(y))) => {
            Val::N(Some(*y as f64 - *x as f64), Eenheid::Verschil)
        }
        (Val::N(Some(x), Eenheid::Dagen), Val::N(Some(y), Eenheid::Dagen)) => {
            Val::N(Some(y - x), Eenheid::Verschil)
        }
        _ => Val::N(None, Eenheid::Verschil),
    };
    Rij {
        label: label.into(),
        sleutel: sleutel.into(),
        link: None,
        waarden: vec![a, b, verschil],
        totaal: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The money's day cells (issue 13), even when passed in, are no monitor cells.
    #[test]
    fn day_measures_are_not_monitor_cells() {
        let regions = vangnet_domain::Regions::builtin();
        let p = &regions.all()[0];
        let cell = |measure| CellCount {
            measure,
            maand: 202_401,
            product: "",
            gemeente: "",
            locatie: "",
            extra: 1,
            n: 22,
        };
        let data = Data::from_cells(
            p,
            Measure::DAYS
                .map(cell)
                .into_iter()
                .chain([cell(Measure::Instroom)]),
        );
        assert_eq!(data.len(), 1);
        assert!(Measure::DAYS.iter().all(|m| data.rows(*m).is_empty()));
    }

    #[test]
    fn months_and_quarters() {
        let m = |k| Maand::from_key(k).unwrap();
        assert_eq!(parse_maand("tot", "2026-09", "2026-09"), Ok(m(202609)));
        for bad in ["2026-13", "202€", "1850-01", ""] {
            let e = parse_maand("tot", bad, "2026-09").unwrap_err();
            assert!(e.starts_with("Filter tot: "), "{e}");
        }
        let k = Kwartaal::parse("2026-3").unwrap();
        assert_eq!((k.eerste(), k.laatste()), (m(202607), m(202609)));
        assert_eq!(
            Kwartaal::parse("2026-Q1"),
            Some(Kwartaal { jaar: 2026, q: 1 })
        );
        assert_eq!(k.jaar_eerder().sleutel(), "2025-3");
        assert_eq!(Kwartaal::van_maand(m(202601)).vorige().sleutel(), "2025-4");
    }

    #[test]
    fn protect_hides_enough_and_no_more() {
        // No small cell: nothing hidden.
        assert_eq!(
            protect(&[40, 7, 0], Some(5), None),
            vec![Figure::Exact(40), Figure::Exact(7), Figure::Exact(0)]
        );
        // One small cell: the largest is hidden, the rest stays.
        let p = protect(&[40, 60, 3, 90, 80, 0], Some(5), None);
        assert_eq!(p[3], Figure::Hidden);
        assert_eq!(p[2], Figure::Small(5));
        assert_eq!(p.iter().filter(|f| **f == Figure::Hidden).count(), 1);
        // Too little mass to hide behind: everything hidden.
        assert_eq!(protect(&[6, 5, 2], Some(5), None), vec![Figure::Hidden; 3]);
        // An unpublished rest adds to what the hidden cell hides behind.
        assert_eq!(
            protect(&[6, 2], Some(5), Some(3)),
            vec![Figure::Hidden, Figure::Small(5)]
        );
        assert_eq!(
            protect(&[0, 2], Some(5), Some(3)),
            vec![Figure::Exact(0), Figure::Small(5)]
        );
        // Exact viewers: exact.
        assert_eq!(protect(&[2], None, None), vec![Figure::Exact(2)]);
    }

    /// Brute force over small breakdowns: a reader who knows the total, the published cells
    /// and the rule itself can still not narrow any `<t` cell below `1..t-1`.
    #[test]
    fn protect_leaves_every_small_cell_its_whole_range() {
        let t = 5u32;
        let mut checked = 0;
        for with_rest in [false, true] {
            for a in 0..14u64 {
                for b in 0..14u64 {
                    for c in 0..14u64 {
                        let (v, rest) = if with_rest {
                            ([a, b, 0], Some(c))
                        } else {
                            ([a, b, c], None)
                        };
                        let p = protect(&v, Some(t), rest);
                        let total: u64 = v.iter().sum::<u64>() + rest.unwrap_or(0);
                        for (i, f) in p.iter().enumerate() {
                            if *f != Figure::Small(t) {
                                continue;
                            }
                            checked += 1;
                            let mut seen = [false; 5];
                            // Every breakdown with the same total and the same publication.
                            for x in 0..=total {
                                for y in 0..=total - x {
                                    let z = total - x - y;
                                    let (w, r) = if with_rest {
                                        ([x, y, 0], Some(z))
                                    } else {
                                        ([x, y, z], None)
                                    };
                                    if protect(&w, Some(t), r) == p && w[i] < 5 {
                                        seen[w[i] as usize] = true;
                                    }
                                }
                            }
                            assert!(
                                seen[1..5].iter().all(|s| *s),
                                "{v:?} rest {rest:?} → {p:?}: cell {i} narrowed to {seen:?}"
                            );
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn quantiles_by_nearest_rank() {
        let v: BTreeMap<u32, u64> = [(10, 1), (20, 2), (40, 1)].into_iter().collect();
        assert_eq!(kwantiel(&v, 0.5), Some(20.0));
        assert_eq!(kwantiel(&v, 0.25), Some(10.0));
        assert_eq!(kwantiel(&v, 0.75), Some(20.0));
        assert_eq!(kwantiel(&BTreeMap::new(), 0.5), None);
    }

    #[test]
    fn sums_of_blocks_follow_the_total_rule() {
        assert_eq!(som(Some(5), [40, 3]), Figure::AtLeast(41));
        assert_eq!(som(Some(5), [2]), Figure::Small(5));
        assert_eq!(som(Some(5), [0, 0]), Figure::Exact(0));
        assert_eq!(som(None, [40, 3]), Figure::Exact(43));
    }
}
