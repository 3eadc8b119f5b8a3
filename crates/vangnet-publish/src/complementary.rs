//! Complementary (secondary) suppression over a table with all its margins, as statistical
//! offices do it (issue 12): a total that is not itself small is published **exactly**, and
//! the small cells inside the breakdown are protected by hiding the fewest, least important
//! further figures, so that no suppressed figure can be *derived* from the published ones.
//!
//! # The model
//!
//! A publication is a set of **aggregates** over **atoms** (the finest building blocks, e.g.
//! gemeente × product × leveringsvorm of the people in care at one month end): every table
//! cell, row, column and grand total of every view is the sum of a set of atoms. A reader
//! who collects every published figure — across sections, tables, filters and formats —
//! holds a system of linear equations `Σ_{a∈A} x_a = v_A`. A suppressed aggregate `S` is
//! *derivable* when its atom vector lies in the linear span of the published aggregates'
//! vectors (subtracting and adding published figures gives it exactly).
//!
//! # The rule
//!
//! 1. An aggregate with value 0 is published as 0 (the atoms inside it are 0; dropping them
//!    changes nothing below).
//! 2. An aggregate with value `1..t-1` is **primary** suppressed (`<t`).
//! 3. The others are taken in order of importance — the region total, then totals with one
//!    dimension fixed (member gemeenten first), then finer cells; larger values first — and
//!    each is published unless publishing it would put a suppressed aggregate into the span
//!    of the published ones. Then it is hidden (`—`, secondary suppression) and protected in
//!    turn. Aggregates with the same atoms are one aggregate (one figure everywhere).
//!
//! The greedy order makes the grand total and the large totals exact (they are blocked only
//! when nothing finer can protect a cell, which a table with cells can always do), and hides
//! the smallest fine cells that break every derivation.
//!
//! Exact derivation is decided by Gaussian elimination modulo the prime 2³¹−1 on the
//! residuals of the suppressed aggregates (kept reduced against the published basis, so
//! "publishing X reveals S" is "X's residual is parallel to S's"). Arithmetic modulo a prime
//! can only find *more* dependencies than over the rationals when a determinant is a
//! multiple of the prime, so an error can only hide too much, never publish a derivable
//! figure (in the other direction, a rational combination is a combination modulo the
//! prime unless a denominator is the prime, which 0/1 systems of this size never reach).
//!
//! # What this protects against, and what not
//!
//! Protected: exact derivation of any suppressed figure by linear combination (differencing)
//! of everything published *for the same set of atoms*: every view, filter and section that
//! publishes the same stock at the same month end (the callers pass the union of all of
//! them, so a total with and without a product filter, the region total against the sum over
//! gemeenten, per product against per leveringsvorm, are all one system).
//!
//! Not protected: (a) *narrowing* by non-negativity — two `<5` cells in a row with an exact
//! total of 6 tell each is 2..4 rather than 1..4 (a reader learns bounds, never the value);
//! (b) the pattern itself depends on the values (which cell was chosen as the complement),
//! as with every value-driven complementary suppression; (c) differencing across *different*
//! atom systems: a stock at two month ends against that month's flows, flows over periods
//! requested separately — documented on the definitions page.

/// The prime of the arithmetic (2³¹ − 1).
const P: u64 = (1 << 31) - 1;

fn red(x: u64) -> u64 {
    x % P
}

fn inv(a: u64) -> u64 {
    // Fermat: a^(P-2).
    let (mut b, mut e, mut r) = (a % P, P - 2, 1u64);
    while e > 0 {
        if e & 1 == 1 {
            r = red(r * b);
        }
        b = red(b * b);
        e >>= 1;
    }
    r
}

/// What happened to one aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Published exactly.
    Published,
    /// Primary suppression: a small number (`<t`).
    Small,
    /// Secondary suppression: hidden (`—`).
    Hidden,
}

/// One aggregate: the atoms it sums (indices into the atom values) and its importance
/// (lower: published first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregate {
    /// Atom indices (duplicates are ignored).
    pub atoms: Vec<usize>,
    /// Importance class; lower is more important. Within a class larger values go first.
    pub rank: u32,
}

/// Decide every aggregate of one publication with threshold `t` (see the module doc).
pub fn suppress(atoms: &[u64], aggregates: &[Aggregate], t: u32) -> Vec<Outcome> {
    // Columns: the non-zero atoms.
    let mut col = vec![usize::MAX; atoms.len()];
    let mut atom_of: Vec<usize> = Vec::new();
    for (i, a) in atoms.iter().enumerate() {
        if *a > 0 {
            col[i] = atom_of.len();
            atom_of.push(i);
        }
    }
    let ncols = atom_of.len();
    // Distinct non-zero column sets.
    let mut keys: Vec<Vec<usize>> = Vec::with_capacity(aggregates.len());
    let mut ids: std::collections::HashMap<Vec<usize>, usize> = std::collections::HashMap::new();
    let mut of: Vec<Option<usize>> = Vec::with_capacity(aggregates.len());
    let mut rank: Vec<u32> = Vec::new();
    let mut value: Vec<u64> = Vec::new();
    for a in aggregates {
        let mut k: Vec<usize> = a
            .atoms
            .iter()
            .filter(|i| **i < atoms.len() && col[**i] != usize::MAX)
            .map(|i| col[*i])
            .collect();
        k.sort_unstable();
        k.dedup();
        if k.is_empty() {
            of.push(None);
            continue;
        }
        let id = *ids.entry(k.clone()).or_insert_with(|| {
            keys.push(k.clone());
            rank.push(u32::MAX);
            value.push(k.iter().map(|c| atoms[atom_of[*c]]).sum());
            keys.len() - 1
        });
        rank[id] = rank[id].min(a.rank);
        of.push(Some(id));
    }
    let dense = |k: &[usize]| {
        let mut v = vec![0u64; ncols];
        for c in k {
            v[*c] = 1;
        }
        v
    };
    let mut outcome: Vec<Outcome> = vec![Outcome::Published; keys.len()];
    // Residuals of the suppressed aggregates, reduced against the basis.
    let mut suppressed: Vec<Vec<u64>> = Vec::new();
    for (id, v) in value.iter().enumerate() {
        if *v < u64::from(t) {
            outcome[id] = Outcome::Small;
            suppressed.push(dense(&keys[id]));
        }
    }
    // Basis: (pivot column, vector with 1 at the pivot and 0 at earlier pivots).
    let mut basis: Vec<(usize, Vec<u64>)> = Vec::new();
    let mut order: Vec<usize> = (0..keys.len())
        .filter(|id| outcome[*id] == Outcome::Published)
        .collect();
    order.sort_by(|a, b| {
        rank[*a]
            .cmp(&rank[*b])
            .then(value[*b].cmp(&value[*a]))
            .then(a.cmp(b))
    });
    for id in order {
        let mut r = dense(&keys[id]);
        for (p, b) in &basis {
            let f = r[*p];
            if f != 0 {
                for (x, y) in r.iter_mut().zip(b) {
                    *x = red(*x + P - red(f * y));
                }
            }
        }
        let Some(piv) = r.iter().position(|x| *x != 0) else {
            continue; // already known from what is published
        };
        let s = inv(r[piv]);
        for x in r.iter_mut() {
            *x = red(*x * s);
        }
        // Would publishing reveal a suppressed aggregate (its residual parallel to r)?
        let reveals = suppressed.iter().any(|q| {
            let f = q[piv];
            f != 0 && q.iter().zip(&r).all(|(a, b)| *a == red(f * b))
        });
        if reveals {
            outcome[id] = Outcome::Hidden;
            suppressed.push(r);
            continue;
        }
        for q in suppressed.iter_mut() {
            let f = q[piv];
            if f != 0 {
                for (x, y) in q.iter_mut().zip(&r) {
                    *x = red(*x + P - red(f * y));
                }
            }
        }
        basis.push((piv, r));
    }
    of.iter()
        .map(|o| o.map_or(Outcome::Published, |id| outcome[id]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agg(atoms: &[usize], rank: u32) -> Aggregate {
        Aggregate {
            atoms: atoms.to_vec(),
            rank,
        }
    }

    /// A 2×2 table with margins: one small cell forces three complements (a cycle), and the
    /// totals stay exact.
    #[test]
    fn a_small_cell_in_a_two_by_two_table_hides_its_cycle_and_keeps_the_totals() {
        // atoms: a b / c d
        let atoms = [3, 40, 20, 30];
        let aggs = [
            agg(&[0, 1, 2, 3], 0),
            agg(&[0, 1], 1),
            agg(&[2, 3], 1),
            agg(&[0, 2], 1),
            agg(&[1, 3], 1),
            agg(&[0], 2),
            agg(&[1], 2),
            agg(&[2], 2),
            agg(&[3], 2),
        ];
        let o = suppress(&atoms, &aggs, 5);
        use Outcome::*;
        assert_eq!(
            o,
            vec![
                Published, Published, Published, Published, Published, Small, Hidden, Hidden,
                Hidden
            ]
        );
    }

    #[test]
    fn a_small_total_is_small_and_a_zero_is_published() {
        let atoms = [0, 2, 0];
        let aggs = [agg(&[0, 1, 2], 0), agg(&[0], 1), agg(&[1], 1), agg(&[2], 1)];
        let o = suppress(&atoms, &aggs, 5);
        assert_eq!(
            o,
            vec![
                Outcome::Small,
                Outcome::Published,
                Outcome::Small,
                Outcome::Published
            ]
        );
    }

    #[test]
    fn a_line_with_one_small_cell_hides_the_smallest_other_cell() {
        let atoms = [2, 50, 9, 30];
        let aggs = [
            agg(&[0, 1, 2, 3], 0),
            agg(&[0], 1),
            agg(&[1], 1),
            agg(&[2], 1),
            agg(&[3], 1),
        ];
        let o = suppress(&atoms, &aggs, 5);
        use Outcome::*;
        assert_eq!(o, vec![Published, Small, Published, Hidden, Published]);
    }
}
