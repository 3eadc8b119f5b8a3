//! The figures of a region's overview, as a viewer may see them: exact, or published with
//! small-number suppression (DOMAIN.md §5: "published figures suppress small numbers").
//!
//! # Who sees exact figures
//!
//! Only the region's own access team ([`exact_allowed`]): they may see every client behind
//! the numbers anyway. Everyone else — beleidsmedewerkers and analysts (aggregates only by
//! DOMAIN.md §2), but also wijkteams, providers, housing associations, the auditor, other
//! regions' access teams and anonymous visitors of the home page — gets published figures.
//!
//! # The suppression rule, and why it leaks nothing
//!
//! With threshold `t` (`norms.kleine_aantallen_drempel`):
//!
//! 1. **Cells.** A count `n` with `1 <= n < t` is shown as `<t` ([`Figure::Small`]); `0` and
//!    counts `>= t` are shown exactly.
//! 2. **Totals and complementary suppression** (row, column, grand total, a region's total
//!    on the home page; issue 12). A total that is not itself small is published exactly;
//!    a small one is `<t`. The small cells inside the table are then protected by hiding
//!    the fewest further cells (`—`, [`Figure::Hidden`]; [`table_figures`], the engine is
//!    [`crate::complementary`]): no suppressed figure lies in the linear span of the
//!    published ones, so no sum or difference of published figures gives it. Totals are
//!    published first (the grand total, member gemeenten, products), cells last, larger
//!    before smaller. [`total`] (a `≥` lower bound) remains for sums of figures that are
//!    already published, e.g. a quarter over its months.
//! 3. **Occupancy.** People in care per product is the column total of the care table *and*
//!    the sum of that product's occupancy over its locations. Exact occupancy per location
//!    would therefore pin down column totals (or narrow them by intersecting intervals) and
//!    with them the suppressed cells. So published occupancy is given per product only, and
//!    it *is* the care table's column total (rule 2); places per location (configuration,
//!    not client data) stay visible.
//! 4. **Waiting list per product.** A count is a cell (rule 1). The longest wait of a product
//!    whose count is suppressed is not shown (with one or two people waiting it is the wait
//!    of an identifiable person), nor is its comparison with the norm. The waiting total
//!    follows rule 2. The waiting population (no care yet) is disjoint from the care table.
//!
//! What this guarantees: whatever published figures of one table (and the occupancy, which
//! repeats its column totals) a reader adds and subtracts, no suppressed cell comes out
//! exactly. What it does not: bounds narrower than `1..t-1` by non-negativity (two `<5`
//! cells summing to an exact 3 are each 1 or 2), and the choice of complements depends on
//! the values. The waiting list is a table of one row (its total exact when not small, so
//! one small product hides another). The JSON API publishes the same figures.

use std::collections::BTreeMap;

use serde::Serialize;
use vangnet_domain::region::{RegionProfile, Unit};
use vangnet_domain::{Actor, ProductCode};

use crate::names::{BUITEN_DE_REGIO, gemeente_name, product_name, thousands};

/// A region's current figures as counted by the store (the input of the tables here): the
/// web reads them with `Store::overview` and lends them out without copying.
#[derive(Debug, Clone, Copy)]
pub struct Overview<'a> {
    /// (gemeente of origin or "" for unregistered, product, people in care).
    pub in_care: &'a [(String, String, u64)],
    /// (product, people waiting, longest wait in days).
    pub waiting: &'a [(String, u64, i64)],
    /// (location, product, people in care there).
    pub occupancy: &'a [(String, String, u64)],
}

/// A number as shown to a viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// The exact value.
    Exact(u64),
    /// Suppressed small number: between 1 and the threshold (exclusive); shown as `<t`.
    Small(u32),
    /// A total with suppressed parts: at least this much; shown as `≥m`.
    AtLeast(u64),
    /// Not shown at all.
    Hidden,
}

impl Figure {
    /// Whether this figure hides something.
    pub fn is_suppressed(self) -> bool {
        !matches!(self, Figure::Exact(_))
    }

    /// The exact value, if shown.
    pub fn exact(self) -> Option<u64> {
        match self {
            Figure::Exact(n) => Some(n),
            _ => None,
        }
    }

    /// What a suppressed figure means, in words, for the `Toelichting` column of a workbook
    /// (`onderdrukt: kleiner dan 5`, `onderdrukt: ten minste 129`); `None` when exact. Says
    /// exactly what the short form says, nothing more.
    pub fn toelichting(self) -> Option<String> {
        match self {
            Figure::Exact(_) => None,
            Figure::Small(t) => Some(format!("onderdrukt: kleiner dan {t}")),
            Figure::AtLeast(n) => Some(format!("onderdrukt: ten minste {}", thousands(n))),
            Figure::Hidden => Some("onderdrukt: niet gepubliceerd".to_owned()),
        }
    }

    /// As a spreadsheet cell: an exact figure is a number; a suppressed one is withheld (empty
    /// in the workbook with [`Figure::toelichting`] beside it, its short form in the CSV).
    pub fn cel(self) -> vangnet_tabular::Cell {
        match (self, self.toelichting()) {
            (Figure::Exact(n), _) => {
                vangnet_tabular::Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
            }
            (f, note) => vangnet_tabular::Cell::Withheld {
                shown: f.to_string(),
                note: note.unwrap_or_default(),
            },
        }
    }
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Figure::Exact(n) => f.write_str(&thousands(*n)),
            Figure::Small(t) => write!(f, "<{t}"),
            Figure::AtLeast(n) => write!(f, "≥{}", thousands(*n)),
            Figure::Hidden => f.write_str("—"),
        }
    }
}

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Figure::Exact(n) => s.serialize_u64(*n),
            Figure::Small(t) => s.collect_str(&format_args!("<{t}")),
            Figure::AtLeast(n) => s.collect_str(&format_args!("≥{n}")),
            Figure::Hidden => s.serialize_none(),
        }
    }
}

/// Whether `actor` may see this region's exact figures: only the region's own access team
/// (and the system). `None` (anonymous) never. The rule is
/// [`vangnet_domain::access::may_see_exact_figures`].
pub fn exact_allowed(actor: Option<&Actor>, region: &RegionProfile) -> bool {
    vangnet_domain::access::may_see_exact_figures(actor, &region.id)
}

/// The suppression threshold to apply for `actor` in `region`: `None` for exact figures.
pub fn threshold_for(actor: Option<&Actor>, region: &RegionProfile) -> Option<u32> {
    if exact_allowed(actor, region) {
        None
    } else {
        Some(region.norms.kleine_aantallen_drempel)
    }
}

/// One cell (rule 1).
pub fn cell(n: u64, threshold: Option<u32>) -> Figure {
    match threshold {
        Some(t) if n >= 1 && n < u64::from(t) => Figure::Small(t),
        _ => Figure::Exact(n),
    }
}

/// The total of a line of cells (rule 2): exact when every cell is shown, otherwise the
/// lower bound any reader can already derive from the shown cells.
pub fn total(cells: &[Figure]) -> Figure {
    let mut shown = 0u64;
    let mut small = 0u64;
    for c in cells {
        match c {
            Figure::Exact(n) => shown += n,
            Figure::Small(_) => small += 1,
            // A total over totals: their lower bounds add up.
            Figure::AtLeast(n) => shown += n,
            // Hidden parts are at least 0.
            Figure::Hidden => {}
        }
    }
    if cells.iter().all(|c| matches!(c, Figure::Exact(_))) {
        return Figure::Exact(shown);
    }
    // Upper bound from the same public facts, when every part is bounded: nothing shown but
    // suppressed cells that together stay below the threshold is itself a small number.
    let threshold = cells.iter().find_map(|c| {
        if let Figure::Small(t) = c {
            Some(*t)
        } else {
            None
        }
    });
    let bounded = cells
        .iter()
        .all(|c| matches!(c, Figure::Exact(_) | Figure::Small(_)));
    match threshold {
        Some(t) if bounded && shown + small * u64::from(t - 1) < u64::from(t) => Figure::Small(t),
        _ => Figure::AtLeast(shown + small),
    }
}

/// A column of a table: a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Product code.
    pub code: String,
    /// Product name (the code when not in the catalogue).
    pub name: String,
}

/// A row of the care table: a gemeente of origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Gemeente code (`""`: not registered anywhere).
    pub code: String,
    /// Gemeente name, or "niet ingeschreven".
    pub label: String,
    /// One figure per column.
    pub cells: Vec<Figure>,
    /// Row total.
    pub total: Figure,
}

/// People in care per gemeente of origin × product, with totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CareTable {
    /// Products.
    pub columns: Vec<Column>,
    /// Gemeenten of origin.
    pub rows: Vec<Row>,
    /// Column totals.
    pub column_totals: Vec<Figure>,
    /// Grand total.
    pub grand_total: Figure,
    /// Whether any cell is suppressed.
    pub suppressed: bool,
}

/// Row code of the care table's row for people from gemeenten outside the region.
pub const OUTSIDE: &str = "buiten";

/// Build the care table: rows are the region's gemeenten in profile order, then one row
/// "buiten de regio" for all gemeenten of origin elsewhere (MO is nationally accessible, so
/// these are many, each with few people), then "niet ingeschreven"; columns are the
/// catalogue's place products (plus any other product people are in care for).
pub fn care_table(profile: &RegionProfile, ov: &Overview<'_>, threshold: Option<u32>) -> CareTable {
    let mut columns: Vec<Column> = profile
        .products
        .iter()
        .filter(|p| p.unit == Unit::Plaats)
        .map(|p| Column {
            code: p.code.to_string(),
            name: p.name.clone(),
        })
        .collect();
    for (_, product, _) in ov.in_care {
        if !columns.iter().any(|c| &c.code == product) {
            columns.push(Column {
                code: product.clone(),
                name: product_name(profile, product),
            });
        }
    }
    let mut row_codes: Vec<String> = profile
        .gemeenten
        .iter()
        .map(|g| g.code.to_string())
        .collect();
    row_codes.push(OUTSIDE.to_owned());
    row_codes.push(String::new());

    let mut counts: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for (g, p, n) in ov.in_care {
        let row = if g.is_empty() || row_codes.iter().any(|r| r == g) {
            g.as_str()
        } else {
            OUTSIDE
        };
        *counts.entry((row, p.as_str())).or_default() += n;
    }
    // The atoms: row × column counts.
    let nc = columns.len();
    let atoms: Vec<u64> = row_codes
        .iter()
        .flat_map(|g| {
            columns.iter().map(|c| {
                counts
                    .get(&(g.as_str(), c.code.as_str()))
                    .copied()
                    .unwrap_or(0)
            })
        })
        .collect();
    let figs = table_figures(&atoms, row_codes.len(), nc, threshold, |r| {
        r >= profile.gemeenten.len()
    });
    let rows: Vec<Row> = row_codes
        .iter()
        .enumerate()
        .map(|(r, g)| {
            let label = if g == OUTSIDE {
                BUITEN_DE_REGIO.to_owned()
            } else {
                gemeente_name(profile, g)
            };
            Row {
                code: g.clone(),
                label,
                cells: figs.cells[r * nc..(r + 1) * nc].to_vec(),
                total: figs.row_totals[r],
            }
        })
        .collect();
    let suppressed = figs.cells.iter().any(|c| c.is_suppressed());
    CareTable {
        columns,
        rows,
        column_totals: figs.column_totals,
        grand_total: figs.grand_total,
        suppressed,
    }
}

/// The published figures of a table with its margins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFigures {
    /// Cells, row by row.
    pub cells: Vec<Figure>,
    /// Row totals.
    pub row_totals: Vec<Figure>,
    /// Column totals.
    pub column_totals: Vec<Figure>,
    /// Grand total.
    pub grand_total: Figure,
}

/// Publish a `rows × cols` table (`atoms` row by row) with its row, column and grand
/// totals: exact without a threshold; otherwise complementary suppression
/// ([`crate::complementary`]): totals that are not small exact, small figures `<t`, and the
/// fewest further cells hidden (`—`) so that no small figure can be derived. `minor_row(r)`:
/// row totals of lesser interest (published after the others).
pub fn table_figures(
    atoms: &[u64],
    rows: usize,
    cols: usize,
    threshold: Option<u32>,
    minor_row: impl Fn(usize) -> bool,
) -> TableFigures {
    use crate::complementary::{Aggregate, Outcome, suppress};
    let mut aggs: Vec<Aggregate> = Vec::new();
    aggs.push(Aggregate {
        atoms: (0..rows * cols).collect(),
        rank: 0,
    });
    for r in 0..rows {
        aggs.push(Aggregate {
            atoms: (0..cols).map(|c| r * cols + c).collect(),
            rank: if minor_row(r) { 2 } else { 1 },
        });
    }
    for c in 0..cols {
        aggs.push(Aggregate {
            atoms: (0..rows).map(|r| r * cols + c).collect(),
            rank: 1,
        });
    }
    for i in 0..rows * cols {
        aggs.push(Aggregate {
            atoms: vec![i],
            rank: 3,
        });
    }
    let out: Vec<Figure> = match threshold {
        None => aggs
            .iter()
            .map(|a| Figure::Exact(a.atoms.iter().map(|i| atoms[*i]).sum()))
            .collect(),
        Some(t) => suppress(atoms, &aggs, t)
            .into_iter()
            .zip(&aggs)
            .map(|(o, a)| match o {
                Outcome::Published => Figure::Exact(a.atoms.iter().map(|i| atoms[*i]).sum()),
                Outcome::Small => Figure::Small(t),
                Outcome::Hidden => Figure::Hidden,
            })
            .collect(),
    };
    TableFigures {
        grand_total: out[0],
        row_totals: out[1..1 + rows].to_vec(),
        column_totals: out[1 + rows..1 + rows + cols].to_vec(),
        cells: out[1 + rows + cols..].to_vec(),
    }
}

/// The waiting list for one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitingRow {
    /// Product code.
    pub product: String,
    /// Product name.
    pub name: String,
    /// People waiting.
    pub count: Figure,
    /// Longest wait in days (`None` when suppressed, rule 4).
    pub longest_days: Option<i64>,
    /// The region's waiting norm in days.
    pub norm_days: i64,
    /// Whether the longest wait exceeds the norm (`None` when suppressed).
    pub over_norm: Option<bool>,
}

/// Waiting list per product (catalogue order) and the total.
pub fn waiting(
    profile: &RegionProfile,
    ov: &Overview<'_>,
    threshold: Option<u32>,
) -> (Vec<WaitingRow>, Figure) {
    let norm_days = i64::from(profile.norms.wachttijd_weken) * 7;
    let order = |code: &str| {
        profile
            .products
            .iter()
            .position(|p| p.code.as_str() == code)
            .unwrap_or(usize::MAX)
    };
    let mut data: Vec<&(String, u64, i64)> = ov.waiting.iter().filter(|(_, n, _)| *n > 0).collect();
    data.sort_by(|a, b| order(&a.0).cmp(&order(&b.0)).then(a.0.cmp(&b.0)));
    let counts: Vec<u64> = data.iter().map(|(_, n, _)| *n).collect();
    let figs = table_figures(&counts, 1, counts.len(), threshold, |_| false);
    let rows: Vec<WaitingRow> = data
        .into_iter()
        .zip(&figs.cells)
        .map(|((product, _, longest), count)| {
            let count = *count;
            let shown = !count.is_suppressed();
            WaitingRow {
                product: product.clone(),
                name: product_name(profile, product),
                count,
                longest_days: shown.then_some(*longest),
                norm_days,
                over_norm: shown.then_some(*longest > norm_days),
            }
        })
        .collect();
    (rows, figs.grand_total)
}

/// Occupancy of one product at one location (exact viewers only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocationOccupancy {
    /// Location id.
    pub location: String,
    /// Location name.
    pub location_name: String,
    /// Gemeente where the location is.
    pub gemeente: String,
    /// Provider name.
    pub provider: String,
    /// Product code.
    pub product: String,
    /// Product name.
    pub product_name: String,
    /// People in care there.
    pub occupied: u64,
    /// Places per the profile.
    pub places: u32,
}

/// Exact occupancy per location and product: every place in the profile (also empty ones),
/// plus occupancy the profile does not know about.
pub fn occupancy_by_location(profile: &RegionProfile, ov: &Overview<'_>) -> Vec<LocationOccupancy> {
    let mut occ: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for (l, p, n) in ov.occupancy {
        *occ.entry((l.as_str(), p.as_str())).or_default() += n;
    }
    let order = |code: &str| {
        profile
            .products
            .iter()
            .position(|p| p.code.as_str() == code)
            .unwrap_or(usize::MAX)
    };
    let mut out = Vec::new();
    for loc in &profile.locations {
        let mut places: Vec<(&ProductCode, &u32)> = loc.places.iter().collect();
        places.sort_by_key(|(c, _)| order(c.as_str()));
        for (product, n) in places {
            let occupied = occ
                .remove(&(loc.id.as_str(), product.as_str()))
                .unwrap_or(0);
            out.push(LocationOccupancy {
                location: loc.id.to_string(),
                location_name: loc.name.clone(),
                gemeente: gemeente_name(profile, &loc.gemeente.to_string()),
                provider: profile
                    .provider(loc.provider)
                    .map_or_else(|| loc.provider.to_string(), |p| p.name.clone()),
                product: product.to_string(),
                product_name: product_name(profile, product.as_str()),
                occupied,
                places: *n,
            });
        }
    }
    for ((l, p), n) in occ {
        out.push(LocationOccupancy {
            location: l.to_owned(),
            location_name: l.to_owned(),
            gemeente: String::new(),
            provider: String::new(),
            product: p.to_owned(),
            product_name: product_name(profile, p),
            occupied: n,
            places: 0,
        });
    }
    out
}

/// Occupancy of one product over all locations (rule 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductOccupancy {
    /// Product code.
    pub product: String,
    /// Product name.
    pub name: String,
    /// People in care: the care table's column total.
    pub occupied: Figure,
    /// Places over all locations.
    pub places: u32,
}

/// Occupancy per product, taken from the care table's column totals (so it publishes
/// nothing the care table does not), for products with places.
pub fn occupancy_by_product(profile: &RegionProfile, table: &CareTable) -> Vec<ProductOccupancy> {
    table
        .columns
        .iter()
        .zip(&table.column_totals)
        .filter_map(|(c, t)| {
            let places = ProductCode::parse(&c.code).map_or(0, |p| profile.capacity(&p));
            (places > 0 || *t != Figure::Exact(0)).then(|| ProductOccupancy {
                product: c.code.clone(),
                name: c.name.clone(),
                occupied: *t,
                places,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::{Organisation, RegionId, Regions, Role};

    fn profile() -> RegionProfile {
        Regions::builtin()
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap()
            .clone()
    }

    struct Owned {
        in_care: Vec<(String, String, u64)>,
        waiting: Vec<(String, u64, i64)>,
        occupancy: Vec<(String, String, u64)>,
    }

    impl Owned {
        fn view(&self) -> Overview<'_> {
            Overview {
                in_care: &self.in_care,
                waiting: &self.waiting,
                occupancy: &self.occupancy,
            }
        }
    }

    fn overview() -> Owned {
        Owned {
            in_care: vec![
                ("".into(), "bw-beschermd-wonen".into(), 2),
                ("GM0202".into(), "bw-beschermd-wonen".into(), 40),
                ("GM0202".into(), "bw-groepswonen".into(), 3),
                ("GM0226".into(), "bw-groepswonen".into(), 7),
                ("GM0344".into(), "bw-intensief".into(), 1),
            ],
            waiting: vec![
                ("bw-groepswonen".into(), 2, 90),
                ("bw-beschermd-wonen".into(), 6, 30),
            ],
            occupancy: vec![(
                "rijnbeschut-arnhem-centrum".into(),
                "bw-beschermd-wonen".into(),
                42,
            )],
        }
    }

    #[test]
    fn exact_figures_for_the_regions_own_access_team_only() {
        let p = profile();
        assert!(!exact_allowed(None, &p));
        let a = |role, org| Actor {
            user: "x".into(),
            role,
            organisation: org,
        };
        assert!(exact_allowed(
            Some(&a(
                Role::Toegangsmedewerker,
                Organisation::Regio(p.id.clone())
            )),
            &p
        ));
        assert!(!exact_allowed(
            Some(&a(
                Role::Toegangsmedewerker,
                Organisation::Regio(RegionId::parse("drechtsteden").unwrap())
            )),
            &p
        ));
        assert!(!exact_allowed(
            Some(&a(
                Role::Beleidsmedewerker,
                Organisation::Gemeente(p.centrumgemeente)
            )),
            &p
        ));
        assert!(!exact_allowed(
            Some(&a(Role::Analist, Organisation::Regio(p.id.clone()))),
            &p
        ));
    }

    #[test]
    fn exact_table_has_plain_totals() {
        let p = profile();
        let t = care_table(&p, &overview().view(), None);
        assert!(!t.suppressed);
        assert_eq!(t.grand_total, Figure::Exact(53));
        let arnhem = t.rows.iter().find(|r| r.code == "GM0202").unwrap();
        assert_eq!(arnhem.total, Figure::Exact(43));
        assert_eq!(t.rows.last().unwrap().label, "niet ingeschreven");
        let outside = t.rows.iter().find(|r| r.code == OUTSIDE).unwrap();
        assert_eq!(
            (outside.label.as_str(), outside.total),
            ("buiten de regio", Figure::Exact(1)),
            "Utrecht (GM0344) is outside the region"
        );
        assert_eq!(gemeente_name(&p, "GM0344"), "Utrecht");
    }

    #[test]
    fn suppressed_table_shows_no_small_number_and_no_recomputable_total() {
        let p = profile();
        let t = care_table(&p, &overview().view(), Some(5));
        assert!(t.suppressed);
        for r in &t.rows {
            for c in &r.cells {
                if let Figure::Exact(n) = c {
                    assert!(*n == 0 || *n >= 5, "small number shown: {n}");
                }
            }
        }
        // Totals that are not small are exact (issue 12: no "≥53").
        assert_eq!(t.grand_total, Figure::Exact(53));
        let arnhem = t.rows.iter().find(|r| r.code == "GM0202").unwrap();
        assert_eq!(arnhem.total, Figure::Exact(43));
        let unregistered = t.rows.last().unwrap();
        assert_eq!(
            unregistered.total,
            Figure::Small(5),
            "only one small cell: the total is small too"
        );
        let col = |code: &str| t.columns.iter().position(|c| c.code == code).unwrap();
        assert_eq!(
            t.column_totals[col("bw-beschermd-wonen")],
            Figure::Exact(42)
        );
        // Arnhem's 3 in groepswonen is small; with Arnhem's total and groepswonen's column
        // total both exact it would be 43 − 40 or 10 − 7: so the 40 and the column total
        // (the smallest complements that break both lines) are hidden.
        assert_eq!(arnhem.cells[col("bw-groepswonen")], Figure::Small(5));
        assert_eq!(arnhem.cells[col("bw-beschermd-wonen")], Figure::Hidden);
        assert_eq!(t.column_totals[col("bw-groepswonen")], Figure::Hidden);
        let ede = t.rows.iter().find(|r| r.code == "GM0226").unwrap();
        assert_eq!(ede.cells[col("bw-groepswonen")], Figure::Exact(7));
    }

    #[test]
    fn occupancy_and_waits_follow_the_rules() {
        let p = profile();
        let ov = overview();
        let t = care_table(&p, &ov.view(), Some(5));
        let occ = occupancy_by_product(&p, &t);
        let bw = occ
            .iter()
            .find(|o| o.product == "bw-beschermd-wonen")
            .unwrap();
        assert_eq!(bw.occupied, Figure::Exact(42));
        assert_eq!(bw.places, 160 + 110 + 70 + 50 + 8 + 8);
        let (rows, tot) = waiting(&p, &ov.view(), Some(5));
        assert_eq!(rows[0].product, "bw-groepswonen", "catalogue order");
        assert_eq!(
            (rows[0].count, rows[0].longest_days, rows[0].over_norm),
            (Figure::Small(5), None, None)
        );
        // The total is exact, so the one other product is hidden with its wait.
        assert_eq!(
            (rows[1].count, rows[1].longest_days, rows[1].over_norm),
            (Figure::Hidden, None, None)
        );
        assert_eq!(tot, Figure::Exact(8));
        assert_eq!(
            total(&[Figure::Small(5), Figure::Exact(0)]),
            Figure::Small(5)
        );
        assert_eq!(
            total(&[Figure::Small(5), Figure::Small(5)]),
            Figure::AtLeast(2)
        );
        let (rows, tot) = waiting(&p, &ov.view(), None);
        assert_eq!(
            (rows[0].longest_days, rows[0].over_norm),
            (Some(90), Some(true))
        );
        assert_eq!(tot, Figure::Exact(8));
        let by_loc = occupancy_by_location(&p, &ov.view());
        let arnhem = by_loc
            .iter()
            .find(|o| {
                o.location == "rijnbeschut-arnhem-centrum" && o.product == "bw-beschermd-wonen"
            })
            .unwrap();
        assert_eq!((arnhem.occupied, arnhem.places), (42, 160));
    }

    #[test]
    fn figures_serialize_for_the_api() {
        let v = serde_json::to_value([
            Figure::Exact(7),
            Figure::Small(5),
            Figure::AtLeast(12),
            Figure::Hidden,
        ])
        .unwrap();
        assert_eq!(v, serde_json::json!([7, "<5", "≥12", null]));
    }
}
