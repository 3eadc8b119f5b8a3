//! Property tests of small-number suppression, without HTTP: random tables (fixed seeds of
//! `vangnet_domain::rng`, many cases) for every aggregate role's threshold. For each
//! suppressed value, every other value it could have had (`1..t-1`) gives the **same
//! publication** — cells, row and column totals, secondary suppression, the monitor's
//! in-care sections — so nothing a reader combines can tell them apart; exact viewers see
//! the exact values.

use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::monitor::{Measure, leveringsvorm_code};
use vangnet_domain::rng::Rng;
use vangnet_domain::{Actor, Maand, Organisation, RegionId, RegionProfile, Regions, Role};
use vangnet_publish::figures::{
    Figure, Overview, care_table, occupancy_by_product, threshold_for, waiting,
};
use vangnet_publish::monitor::{
    CellCount, Data, Filters, Indeling, Monitor, Soort, Val, protect, som,
};

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

/// The reader's attack: linear differencing. Everything published exactly is an equation
/// "sum of these atoms = value"; a suppressed figure is derivable when its atom vector is a
/// linear combination of the published vectors. Decided by Gaussian elimination modulo the
/// prime 10⁹+7 — independent of the library's own elimination (another prime, another
/// code): `derivable` returns every target index the reader can compute exactly.
fn derivable(n_atoms: usize, published: &[Vec<usize>], targets: &[Vec<usize>]) -> Vec<usize> {
    const Q: u64 = 1_000_000_007;
    let pow = |mut b: u64, mut e: u64| {
        let mut r = 1u64;
        while e > 0 {
            if e & 1 == 1 {
                r = r * b % Q;
            }
            b = b * b % Q;
            e >>= 1;
        }
        r
    };
    let vec_of = |atoms: &[usize]| {
        let mut v = vec![0u64; n_atoms];
        for a in atoms {
            v[*a] = 1;
        }
        v
    };
    let mut basis: Vec<(usize, Vec<u64>)> = Vec::new();
    let reduce = |basis: &[(usize, Vec<u64>)], mut v: Vec<u64>| {
        for (p, b) in basis {
            let f = v[*p];
            if f != 0 {
                for (x, y) in v.iter_mut().zip(b) {
                    *x = (*x + Q - f * y % Q) % Q;
                }
            }
        }
        v
    };
    for p in published {
        let mut v = reduce(&basis, vec_of(p));
        if let Some(piv) = v.iter().position(|x| *x != 0) {
            let s = pow(v[piv], Q - 2);
            for x in v.iter_mut() {
                *x = *x * s % Q;
            }
            basis.push((piv, v));
        }
    }
    targets
        .iter()
        .enumerate()
        .filter(|(_, t)| reduce(&basis, vec_of(t)).iter().all(|x| *x == 0))
        .map(|(i, _)| i)
        .collect()
}

/// Care table, occupancy and waiting list on random tables for every aggregate threshold:
/// every total that is not small is exact, no small number is shown, and the linear
/// differencing attack derives **no** suppressed figure from everything published. The
/// attack itself is checked: on the same tables with exact totals and only the small cells
/// suppressed (no complements) it derives cells.
#[test]
fn care_table_and_waiting_list_resist_the_differencing_attack() {
    let p = profile();
    let gemeenten: Vec<String> = p
        .gemeenten
        .iter()
        .map(|g| g.code.to_string())
        .chain(["GM0344".to_owned(), String::new()])
        .collect();
    let products: Vec<String> = p.products.iter().map(|x| x.code.to_string()).collect();
    let mut rng = Rng::new(20_250_101);
    let (mut checked, mut naive_leaks) = (0, 0);
    for t in aggregate_thresholds(&p) {
        for _case in 0..80 {
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
            let exact = care_table(&p, &ov, None);
            let (nr, nc) = (table.rows.len(), table.columns.len());
            // (atoms, published figure, exact value) of every figure of the table.
            let mut figs: Vec<(Vec<usize>, Figure, u64)> = Vec::new();
            for r in 0..nr {
                for c in 0..nc {
                    let v = exact.rows[r].cells[c].exact().unwrap();
                    figs.push((vec![r * nc + c], table.rows[r].cells[c], v));
                }
                let v = exact.rows[r].total.exact().unwrap();
                figs.push((
                    (0..nc).map(|c| r * nc + c).collect(),
                    table.rows[r].total,
                    v,
                ));
            }
            for c in 0..nc {
                let v = exact.column_totals[c].exact().unwrap();
                figs.push((
                    (0..nr).map(|r| r * nc + c).collect(),
                    table.column_totals[c],
                    v,
                ));
            }
            let all: Vec<usize> = (0..nr * nc).collect();
            figs.push((all, table.grand_total, exact.grand_total.exact().unwrap()));
            // Occupancy per product repeats the column totals: it must agree.
            for o in occupancy_by_product(&p, &table) {
                let c = table
                    .columns
                    .iter()
                    .position(|x| x.code == o.product)
                    .unwrap();
                assert_eq!(o.occupied, table.column_totals[c]);
            }
            for (_, f, v) in &figs {
                match f {
                    Figure::Exact(n) => assert_eq!(n, v),
                    Figure::Small(s) => assert!(*s == t && *v >= 1 && *v < u64::from(t)),
                    Figure::Hidden => {}
                    Figure::AtLeast(_) => panic!("no ≥ in a table with complements"),
                }
            }
            assert_eq!(
                table.grand_total.exact(),
                exact
                    .grand_total
                    .exact()
                    .filter(|n| *n == 0 || *n >= u64::from(t)),
                "t={t}: the grand total is exact unless small"
            );
            let published: Vec<Vec<usize>> = figs
                .iter()
                .filter(|(_, f, _)| !f.is_suppressed())
                .map(|(a, _, _)| a.clone())
                .collect();
            let targets: Vec<Vec<usize>> = figs
                .iter()
                .filter(|(_, f, _)| f.is_suppressed())
                .map(|(a, _, _)| a.clone())
                .collect();
            let found = derivable(nr * nc, &published, &targets);
            assert!(found.is_empty(), "t={t}: derivable {:?}", found);
            checked += targets.len();
            // The naive publication: exact totals, small cells `<t`, nothing else hidden.
            let naive: Vec<Vec<usize>> = figs
                .iter()
                .filter(|(_, _, v)| *v == 0 || *v >= u64::from(t))
                .map(|(a, _, _)| a.clone())
                .collect();
            let small: Vec<Vec<usize>> = figs
                .iter()
                .filter(|(_, _, v)| *v >= 1 && *v < u64::from(t))
                .map(|(a, _, _)| a.clone())
                .collect();
            naive_leaks += derivable(nr * nc, &naive, &small).len();
            // The waiting list: one line with its total.
            let (rows, tot) = waiting(&p, &ov, Some(t));
            let vals: Vec<u64> = rows
                .iter()
                .map(|r| waiting_rows.iter().find(|w| w.0 == r.product).unwrap().1)
                .collect();
            let hidden = rows.iter().filter(|r| r.count.is_suppressed()).count();
            assert!(
                hidden != 1 || tot.is_suppressed(),
                "t={t}: one hidden count in a line with its total"
            );
            let sum: u64 = vals.iter().sum();
            if sum >= u64::from(t) {
                assert_eq!(tot, Figure::Exact(sum));
            }
            for r in &rows {
                assert_eq!(r.longest_days.is_none(), r.count.is_suppressed());
            }
        }
    }
    assert!(checked > 1_000, "{checked}");
    assert!(
        naive_leaks > 100,
        "the attack finds leaks in a naive publication: {naive_leaks}"
    );
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

/// The monitor's in-care figures on random month-end blocks (gemeente group × product ×
/// leveringsvorm, the last month shown), for a role with a threshold: everything the
/// in-care, ambulantisering and herkomst sections publish under every filter a viewer can
/// set (region or a gemeente, all products or one, per product or per leveringsvorm) is
/// collected as one system of equations, and the differencing attack derives **no**
/// suppressed figure from it; the region total and every member gemeente's total that is not
/// small are exact. Fails on the old rule (totals "≥"), passes with complementary
/// suppression.
#[test]
fn monitor_in_care_figures_resist_differencing_across_filters() {
    let p = profile();
    let maand = Maand::new(2025, 6).unwrap();
    let base = Filters {
        gemeente: None,
        product: None,
        aanbieder: None,
        van: maand.plus(-2),
        tot: maand,
        soort: Soort::Herkomst,
        indeling: Indeling::Product,
    };
    let members = 4usize;
    let gemeenten: Vec<String> = p
        .gemeenten
        .iter()
        .take(members)
        .map(|g| g.code.to_string())
        .chain(["GM0344".to_owned(), String::new()])
        .collect();
    // Group index as the monitor numbers them: members by profile position, then buiten,
    // then niet ingeschreven.
    let group = |g: usize| -> u16 {
        if g < members {
            g as u16
        } else {
            p.gemeenten.len() as u16 + (g - members) as u16
        }
    };
    let products: Vec<usize> = (0..4).collect();
    let lv = [
        leveringsvorm_code(Leveringsvorm::Zin),
        leveringsvorm_code(Leveringsvorm::Pgb),
    ];
    let t = p.norms.kleine_aantallen_drempel;
    let mut rng = Rng::new(2026);
    let (mut checked, mut exact_totals) = (0, 0);
    for _case in 0..12 {
        let mut blocks: Vec<(usize, usize, usize, i64)> = Vec::new();
        for g in 0..gemeenten.len() {
            for pr in &products {
                for l in 0..2 {
                    if rng.chance(0.5) {
                        blocks.push((g, *pr, l, 1 + count(&mut rng, t) as i64));
                    }
                }
            }
        }
        let data = Data::from_cells(
            &p,
            blocks.iter().map(|(g, pr, l, n)| CellCount {
                measure: Measure::InZorg,
                maand: maand.key(),
                product: p.products[*pr].code.as_str(),
                gemeente: &gemeenten[*g],
                locatie: "",
                extra: lv[*l],
                n: *n,
            }),
        );
        // The atoms behind a selection.
        let atoms_of = |g: Option<u16>,
                        pr: Option<usize>,
                        l: Option<usize>,
                        bw: Option<Option<vangnet_domain::region::Setting>>|
         -> Vec<usize> {
            blocks
                .iter()
                .enumerate()
                .filter(|(_, (bg, bp, bl, _))| {
                    g.is_none_or(|x| x == group(*bg))
                        && pr.is_none_or(|x| x == *bp)
                        && l.is_none_or(|x| x == *bl)
                        && bw.is_none_or(|s| {
                            let prod = &p.products[*bp];
                            prod.domain == vangnet_domain::region::Domain::Bw
                                && s.is_none_or(|s| s == prod.setting)
                        })
                })
                .map(|(i, _)| i)
                .collect()
        };
        let value = |a: &[usize]| a.iter().map(|i| blocks[*i].3 as u64).sum::<u64>();
        let mut figs: Vec<(Vec<usize>, Figure, String)> = Vec::new();
        for g in [None].into_iter().chain((0..2).map(Some)) {
            for pr in [None]
                .into_iter()
                .chain(products.iter().take(2).copied().map(Some))
            {
                for indeling in [Indeling::Product, Indeling::Leveringsvorm] {
                    let f = Filters {
                        gemeente: g.map(|i: usize| p.gemeenten[i].code),
                        product: pr.map(|i| p.products[i].code.clone()),
                        indeling,
                        ..base.clone()
                    };
                    let m = Monitor::new(&p, &data, &f, Some(t));
                    let gi = g.map(|i| i as u16);
                    let waar = format!("{f:?}");
                    let zorg = m.in_zorg();
                    let last = zorg.tabel.rijen.iter().rfind(|r| !r.totaal).unwrap();
                    for (k, v) in zorg.tabel.kolommen.iter().zip(&last.waarden) {
                        let Val::F(fig) = v else { continue };
                        let atoms = match k.label.as_str() {
                            "Totaal" => atoms_of(gi, pr, None, None),
                            "Zorg in natura (ZIN)" => atoms_of(gi, pr, Some(0), None),
                            "Persoonsgebonden budget (pgb)" => atoms_of(gi, pr, Some(1), None),
                            naam => {
                                let i = p.products.iter().position(|x| x.name == naam).unwrap();
                                atoms_of(gi, Some(i), None, None)
                            }
                        };
                        figs.push((atoms, *fig, format!("in-zorg {} {waar}", k.label)));
                    }
                    let amb = m.ambulantisering();
                    if let Some(last) = amb.tabel.rijen.iter().rfind(|r| !r.totaal) {
                        for (k, v) in amb.tabel.kolommen.iter().zip(&last.waarden) {
                            let Val::F(fig) = v else { continue };
                            let s = match k.label.as_str() {
                                "Intramuraal" => Some(vangnet_domain::region::Setting::Intramuraal),
                                "Extramuraal" => Some(vangnet_domain::region::Setting::Extramuraal),
                                _ => None,
                            };
                            figs.push((
                                atoms_of(gi, pr, None, Some(s)),
                                *fig,
                                format!("ambulant {} {waar}", k.label),
                            ));
                        }
                    }
                    let hp = m.herkomst_plaatsen();
                    for r in &hp.tabel.rijen {
                        let Val::F(fig) = &r.waarden[0] else { continue };
                        let g = match r.sleutel.as_str() {
                            "totaal" => None,
                            "buiten" => Some(p.gemeenten.len() as u16),
                            "niet-ingeschreven" => Some(p.gemeenten.len() as u16 + 1),
                            code => Some(
                                p.gemeenten
                                    .iter()
                                    .position(|x| x.code.to_string() == code)
                                    .unwrap() as u16,
                            ),
                        };
                        figs.push((
                            atoms_of(g, pr, None, None),
                            *fig,
                            format!("herkomst {} {waar}", r.sleutel),
                        ));
                    }
                }
            }
        }
        for (a, f, waar) in &figs {
            let v = value(a);
            match f {
                Figure::Exact(n) => assert_eq!(*n, v, "{waar}"),
                Figure::Small(_) => assert!(v >= 1 && v < u64::from(t), "{waar}"),
                Figure::Hidden => {}
                Figure::AtLeast(_) => panic!("{waar}: a total is exact, small or hidden, never ≥"),
            }
        }
        // The region total and member gemeenten's totals: exact unless small.
        for (a, f, waar) in &figs {
            if (waar.starts_with("herkomst totaal") || waar.starts_with("in-zorg Totaal"))
                && value(a) >= u64::from(t)
                && waar.contains("product: None")
            {
                assert!(matches!(f, Figure::Exact(_)), "{waar}: {f:?}");
                exact_totals += 1;
            }
        }
        let published: Vec<Vec<usize>> = figs
            .iter()
            .filter(|(_, f, _)| !f.is_suppressed())
            .map(|(a, _, _)| a.clone())
            .collect();
        let targets: Vec<&(Vec<usize>, Figure, String)> =
            figs.iter().filter(|(_, f, _)| f.is_suppressed()).collect();
        let found = derivable(
            blocks.len(),
            &published,
            &targets.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
        );
        assert!(
            found.is_empty(),
            "derivable: {:?}",
            found.iter().map(|i| &targets[*i].2).collect::<Vec<_>>()
        );
        checked += targets.len();
        // Exact viewers: the region's total at month end is the plain sum.
        let m = Monitor::new(&p, &data, &base, None);
        let zorg = m.in_zorg();
        let last = zorg.tabel.rijen.iter().rfind(|r| !r.totaal).unwrap();
        let sum: i64 = blocks.iter().map(|b| b.3).sum();
        assert_eq!(
            last.waarden.last().unwrap().tekst(),
            vangnet_publish::names::thousands(sum as u64)
        );
    }
    assert!(checked > 100, "{checked}");
    assert!(exact_totals > 20, "{exact_totals}");
}
