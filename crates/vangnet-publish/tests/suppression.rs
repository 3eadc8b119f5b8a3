//! Property tests of small-number suppression, without HTTP: random tables (fixed seeds of
//! `vangnet_domain::rng`, many cases) for every aggregate role's threshold. For each
//! suppressed value, every other value it could have had (`1..t-1`) gives the **same
//! publication** — cells, row and column totals, secondary suppression, the monitor's
//! in-care sections — so nothing a reader combines can tell them apart; exact viewers see
//! the exact values.

use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::monitor::{Measure, leveringsvorm_code};
use vangnet_domain::rng::Rng;
use vangnet_domain::{
    Actor, GemeenteCode, Maand, Organisation, RegionId, RegionProfile, Regions, Role,
};
use vangnet_publish::figures::{Figure, Overview, care_table, threshold_for, waiting};
use vangnet_publish::monitor::{CellCount, Data, Filters, Indeling, Monitor, Soort, protect, som};

fn profile() -> RegionProfile {
    Regions::builtin()
        .get(&RegionId::parse("centraal-gelderland").unwrap())
        .unwrap()
        .clone()
}

/// The thresholds of every aggregate role: each gets the region's threshold, and the
/// region's own access team none. Checked here, then the properties run for several
/// thresholds (profiles may set another).
fn aggregate_thresholds(p: &RegionProfile) -> Vec<u32> {
    let gm = p.centrumgemeente;
    let roles = [
        (Role::Beleidsmedewerker, Organisation::Gemeente(gm)),
        (Role::Analist, Organisation::Regio(p.id.clone())),
        (Role::Wijkteam, Organisation::Gemeente(gm)),
        (
            Role::Zorgaanbieder,
            Organisation::Aanbieder(p.providers[0].agb),
        ),
        (Role::Woningcorporatie, Organisation::Corporatie("x".into())),
        (Role::Auditor, Organisation::Vangnet),
        (
            Role::Toegangsmedewerker,
            Organisation::Regio(RegionId::parse("drechtsteden").unwrap()),
        ),
    ];
    for (role, organisation) in roles {
        let a = Actor {
            user: "t".into(),
            role,
            organisation,
        };
        assert_eq!(
            threshold_for(Some(&a), p),
            Some(p.norms.kleine_aantallen_drempel),
            "{role:?}"
        );
    }
    assert_eq!(
        threshold_for(None, p),
        Some(p.norms.kleine_aantallen_drempel)
    );
    let own = Actor {
        user: "t".into(),
        role: Role::Toegangsmedewerker,
        organisation: Organisation::Regio(p.id.clone()),
    };
    assert_eq!(threshold_for(Some(&own), p), None);
    let mut ts = vec![p.norms.kleine_aantallen_drempel, 3, 10];
    ts.dedup();
    ts
}

/// A count: often 0, often small, sometimes large.
fn count(rng: &mut Rng, t: u32) -> u64 {
    match rng.below(4) {
        0 => 0,
        1 | 2 => 1 + rng.below(u64::from(t) - 1),
        _ => rng.below(60),
    }
}

#[test]
fn care_table_and_waiting_list_publish_nothing_of_a_suppressed_cell() {
    let p = profile();
    let gemeenten: Vec<String> = p
        .gemeenten
        .iter()
        .map(|g| g.code.to_string())
        .chain(["GM0344".to_owned(), String::new()])
        .collect();
    let products: Vec<String> = p.products.iter().map(|x| x.code.to_string()).collect();
    let mut rng = Rng::new(20_250_101);
    let mut checked = 0;
    for t in aggregate_thresholds(&p) {
        for _case in 0..150 {
            let mut in_care = Vec::new();
            for g in &gemeenten {
                for pr in products.iter().take(4) {
                    let n = count(&mut rng, t);
                    if n > 0 {
                        in_care.push((g.clone(), pr.clone(), n));
                    }
                }
            }
            let waiting_rows: Vec<(String, u64, i64)> = products
                .iter()
                .take(4)
                .map(|pr| (pr.clone(), count(&mut rng, t), rng.below(200) as i64))
                .collect();
            let ov = Overview {
                in_care: &in_care,
                waiting: &waiting_rows,
                occupancy: &[],
            };
            let table = care_table(&p, &ov, Some(t));
            let wl = waiting(&p, &ov, Some(t));
            // Rule 1 on every shown cell.
            for r in &table.rows {
                for c in &r.cells {
                    if let Figure::Exact(n) = c {
                        assert!(*n == 0 || *n >= u64::from(t), "t={t}: {n} shown");
                    }
                }
            }
            // Exact viewers: exact cells and plain sums.
            let exact = care_table(&p, &ov, None);
            let sum: u64 = in_care.iter().map(|x| x.2).sum();
            assert_eq!(exact.grand_total, Figure::Exact(sum));
            assert!(!exact.suppressed);
            for r in &exact.rows {
                let row: u64 = r.cells.iter().filter_map(|c| c.exact()).sum();
                assert_eq!(r.total, Figure::Exact(row));
            }
            // Every other value of every suppressed cell publishes the same table.
            for i in 0..in_care.len() {
                if in_care[i].2 >= u64::from(t) {
                    continue;
                }
                for v in 1..u64::from(t) {
                    let mut other = in_care.clone();
                    other[i].2 = v;
                    let ov2 = Overview {
                        in_care: &other,
                        ..ov
                    };
                    assert_eq!(care_table(&p, &ov2, Some(t)), table, "t={t} cell {i} → {v}");
                    checked += 1;
                }
            }
            for i in 0..waiting_rows.len() {
                if waiting_rows[i].1 == 0 || waiting_rows[i].1 >= u64::from(t) {
                    continue;
                }
                for v in 1..u64::from(t) {
                    let mut other = waiting_rows.clone();
                    other[i].1 = v;
                    // The longest wait of a suppressed count is not published either.
                    other[i].2 = 999;
                    let ov2 = Overview {
                        waiting: &other,
                        ..ov
                    };
                    assert_eq!(waiting(&p, &ov2, Some(t)), wl, "t={t} waiting {i} → {v}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 5_000, "{checked}");
}

/// Sums over the same building blocks (rule 3): rows, columns and the total of a random
/// matrix of blocks, each published with `som`. A suppressed block moved anywhere in
/// `1..t-1` changes none of them.
#[test]
fn sums_of_blocks_never_reveal_a_block() {
    let mut rng = Rng::new(7);
    let mut checked = 0;
    for t in [3u32, 5, 10] {
        for _case in 0..300 {
            let (rows, cols) = (1 + rng.below(5) as usize, 1 + rng.below(5) as usize);
            let blocks: Vec<i64> = (0..rows * cols)
                .map(|_| count(&mut rng, t) as i64)
                .collect();
            let publish = |b: &[i64]| {
                let mut out: Vec<Figure> = Vec::new();
                for r in 0..rows {
                    out.push(som(Some(t), (0..cols).map(|c| b[r * cols + c])));
                }
                for c in 0..cols {
                    out.push(som(Some(t), (0..rows).map(|r| b[r * cols + c])));
                }
                out.push(som(Some(t), b.iter().copied()));
                out.extend(b.iter().map(|n| som(Some(t), [*n])));
                out
            };
            let shown = publish(&blocks);
            for i in 0..blocks.len() {
                if blocks[i] == 0 || blocks[i] >= i64::from(t) {
                    continue;
                }
                for v in 1..i64::from(t) {
                    let mut other = blocks.clone();
                    other[i] = v;
                    assert_eq!(publish(&other), shown, "t={t} {blocks:?}: block {i} → {v}");
                    checked += 1;
                }
            }
            let exact: Vec<Figure> = blocks
                .iter()
                .map(|n| som(None, [*n]))
                .chain([som(None, blocks.iter().copied())])
                .collect();
            assert_eq!(
                exact.last(),
                Some(&Figure::Exact(blocks.iter().sum::<i64>() as u64))
            );
            assert!(exact.iter().all(|f| !f.is_suppressed()));
        }
    }
    assert!(checked > 1_000, "{checked}");
}

/// Another breakdown with cell `i` = `v`, the same total and the same publication: the
/// difference goes onto another cell `j` (or the unpublished rest), possibly after moving a
/// third suppressed cell `k` within `1..t-1` as well.
fn witness(
    values: &[u64],
    rest: Option<u64>,
    published: &[Figure],
    t: u32,
    i: usize,
    v: u64,
) -> bool {
    let n = values.len();
    let others: Vec<usize> = (0..n)
        .filter(|j| *j != i && !matches!(published[*j], Figure::Exact(_)))
        .collect();
    let smalls: Vec<usize> = others
        .iter()
        .copied()
        .filter(|k| published[*k] == Figure::Small(t))
        .collect();
    // (k, its new value) or nothing.
    let mut moves: Vec<Option<(usize, u64)>> = vec![None];
    for &k in &smalls {
        for x in 1..u64::from(t) {
            moves.push(Some((k, x)));
        }
    }
    for m in moves {
        let mut w = values.to_vec();
        w[i] = v;
        if let Some((k, x)) = m {
            w[k] = x;
        }
        let moved: i64 = values.iter().sum::<u64>() as i64 - w.iter().sum::<u64>() as i64;
        // Onto another hidden or suppressed cell.
        for &j in others.iter().filter(|j| m.is_none_or(|(k, _)| k != **j)) {
            let to = w[j] as i64 + moved;
            if to >= 0 {
                let mut w2 = w.clone();
                w2[j] = to as u64;
                if protect(&w2, Some(t), rest) == published {
                    return true;
                }
            }
        }
        // Onto the unpublished rest.
        if let Some(r) = rest {
            let to = r as i64 + moved;
            if to >= 0 && protect(&w, Some(t), Some(to as u64)) == published {
                return true;
            }
        }
    }
    false
}

/// Secondary suppression (rule 4): a breakdown of a total the reader knows. For every `<t`
/// cell and every value in `1..t-1` there is another breakdown with that value, the same
/// total and the same publication (a witness found by moving the difference onto a hidden
/// cell, the unpublished rest or another suppressed cell).
#[test]
fn secondary_suppression_leaves_every_small_cell_its_whole_range() {
    let mut rng = Rng::new(42);
    let mut checked = 0;
    for t in [3u32, 5, 10] {
        for _case in 0..400 {
            let n = 2 + rng.below(6) as usize;
            let values: Vec<u64> = (0..n).map(|_| count(&mut rng, t)).collect();
            let rest = rng.chance(0.3).then(|| count(&mut rng, t));
            let published = protect(&values, Some(t), rest);
            assert_eq!(published.len(), n);
            for (i, f) in published.iter().enumerate() {
                match f {
                    Figure::Exact(x) => assert_eq!(*x, values[i]),
                    Figure::Small(s) => assert_eq!(*s, t),
                    Figure::Hidden => {}
                    Figure::AtLeast(_) => panic!("a breakdown has no ≥ cells"),
                }
            }
            for i in 0..n {
                if published[i] != Figure::Small(t) {
                    continue;
                }
                for v in 1..u64::from(t) {
                    checked += 1;
                    if v == values[i] {
                        continue;
                    }
                    let found = witness(&values, rest, &published, t, i, v);
                    assert!(
                        found,
                        "t={t} {values:?} rest {rest:?} → {published:?}: cell {i} cannot be {v}"
                    );
                }
            }
            assert_eq!(
                protect(&values, None, rest),
                values.iter().map(|v| Figure::Exact(*v)).collect::<Vec<_>>()
            );
        }
    }
    assert!(checked > 1_000, "{checked}");
}

/// The monitor's in-care sections on random month-end blocks (gemeente × product ×
/// leveringsvorm, in the last month shown): every view of the stock — per product, per
/// leveringsvorm, intramural/extramural, per gemeente, the region — is identical when a
/// suppressed block takes another value in `1..t-1`; the exact view shows the exact sum.
#[test]
fn monitor_in_care_sections_hide_every_small_block() {
    let p = profile();
    let maand = Maand::new(2025, 6).unwrap();
    let f = Filters {
        gemeente: None,
        product: None,
        aanbieder: None,
        van: maand.plus(-2),
        tot: maand,
        soort: Soort::Herkomst,
        indeling: Indeling::Product,
    };
    let gemeenten: Vec<String> = p
        .gemeenten
        .iter()
        .take(4)
        .map(|g| g.code.to_string())
        .chain(["GM0344".to_owned(), String::new()])
        .collect();
    let products: Vec<String> = p
        .products
        .iter()
        .take(4)
        .map(|x| x.code.to_string())
        .collect();
    let lv = [
        leveringsvorm_code(Leveringsvorm::Zin),
        leveringsvorm_code(Leveringsvorm::Pgb),
    ];
    let t = p.norms.kleine_aantallen_drempel;
    let mut rng = Rng::new(2026);
    let mut checked = 0;
    for _case in 0..25 {
        let mut blocks: Vec<(usize, usize, usize, i64)> = Vec::new();
        for g in 0..gemeenten.len() {
            for pr in 0..products.len() {
                for l in 0..2 {
                    if rng.chance(0.4) {
                        blocks.push((g, pr, l, 1 + count(&mut rng, t) as i64));
                    }
                }
            }
        }
        let data = |b: &[(usize, usize, usize, i64)]| {
            Data::from_cells(
                &p,
                b.iter().map(|(g, pr, l, n)| CellCount {
                    measure: Measure::InZorg,
                    maand: maand.key(),
                    product: &products[*pr],
                    gemeente: &gemeenten[*g],
                    locatie: "",
                    extra: lv[*l],
                    n: *n,
                }),
            )
        };
        let views = |d: &Data, t: Option<u32>, f: &Filters| {
            let m = Monitor::new(&p, d, f, t);
            (m.in_zorg(), m.ambulantisering())
        };
        let selections: Vec<Filters> = [None]
            .into_iter()
            .chain(p.gemeenten.iter().take(2).map(|g| Some(g.code)))
            .map(|g: Option<GemeenteCode>| Filters {
                gemeente: g,
                ..f.clone()
            })
            .flat_map(|f| {
                [
                    f.clone(),
                    Filters {
                        indeling: Indeling::Leveringsvorm,
                        ..f
                    },
                ]
            })
            .collect();
        let d0 = data(&blocks);
        let shown: Vec<_> = selections.iter().map(|s| views(&d0, Some(t), s)).collect();
        for i in 0..blocks.len() {
            if blocks[i].3 >= i64::from(t) {
                continue;
            }
            let v = 1 + (blocks[i].3 % (i64::from(t) - 1));
            let mut other = blocks.clone();
            other[i].3 = v;
            let d1 = data(&other);
            for (s, before) in selections.iter().zip(&shown) {
                assert_eq!(&views(&d1, Some(t), s), before, "block {i} → {v}");
                checked += 1;
            }
        }
        // Exact viewers: the region's total at month end is the plain sum.
        let (in_zorg, _) = views(&d0, None, &f);
        let sum: i64 = blocks.iter().map(|b| b.3).sum();
        let last = in_zorg.tabel.rijen.iter().rfind(|r| !r.totaal).unwrap();
        let shown_total = last.waarden.last().unwrap().tekst();
        assert_eq!(
            shown_total,
            vangnet_publish::names::thousands(sum as u64),
            "{:?}",
            last
        );
    }
    assert!(checked > 100, "{checked}");
}
