//! Split an amount over weights so the parts sum to the total to the cent: the
//! largest-remainder (Hamilton) method, deterministic.
//!
//! Rule: every part first gets its exact share `|total| × w / Σw` rounded toward zero; the
//! cents left over (fewer than the number of parts) go one each to the parts with the largest
//! fractional remainder, ties to the lowest index. A negative total is split as its absolute
//! value and negated, so the rule is symmetric. Each part differs from its exact share by less
//! than one cent.

use crate::cents::Cents;

/// Why a split cannot be made. Messages in Dutch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocateError {
    /// No weights at all.
    #[error("verdeling: geen gewichten om over te verdelen")]
    NoWeights,
    /// All weights are zero, so there is no proportion.
    #[error("verdeling: alle gewichten zijn nul")]
    ZeroWeights,
}

/// Split `total` over `weights` (largest remainder, ties to the lowest index); the parts are in
/// the order of the weights and sum to `total` exactly. A zero weight gets zero.
pub fn allocate(total: Cents, weights: &[u64]) -> Result<Vec<Cents>, AllocateError> {
    if weights.is_empty() {
        return Err(AllocateError::NoWeights);
    }
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        return Err(AllocateError::ZeroWeights);
    }
    let abs = u128::from(total.0.unsigned_abs());
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        // |total| < 2^64 and w < 2^64: the product fits in 128 bits.
        let exact = abs * u128::from(w);
        parts.push(exact / sum);
        remainders.push((exact % sum, i));
    }
    let handed_out: u128 = parts.iter().sum();
    let left = usize::try_from(abs - handed_out).expect("fewer left-over cents than parts");
    // Largest remainder first; among equal remainders the lowest index first.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(left) {
        parts[i] += 1;
    }
    let negative = total.0 < 0;
    Ok(parts
        .into_iter()
        .map(|p| {
            // Each part ≤ |total| ≤ 2^63, so the conversion below is exact, also for i64::MIN.
            let p = i128::try_from(p).expect("part fits");
            let signed = if negative { -p } else { p };
            Cents(i64::try_from(signed).expect("part within total"))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::rng::Rng;

    #[test]
    fn hand_written_examples() {
        // € 1,00 over three equal weights: 33,33 each, the one left-over cent to index 0.
        assert_eq!(
            allocate(Cents(100), &[1, 1, 1]),
            Ok(vec![Cents(34), Cents(33), Cents(33)])
        );
        // Negative total mirrors: −34, −33, −33.
        assert_eq!(
            allocate(Cents(-100), &[1, 1, 1]),
            Ok(vec![Cents(-34), Cents(-33), Cents(-33)])
        );
        // € 10,00 over 1:2:3 → 166,67 / 333,33 / 500 → 167, 333, 500.
        assert_eq!(
            allocate(Cents(1000), &[1, 2, 3]),
            Ok(vec![Cents(167), Cents(333), Cents(500)])
        );
        // Largest remainder wins over lower index: 5 cents over 3:3:4 → 1,5 / 1,5 / 2,0 → the
        // one left-over cent goes to index 0 (tie with index 1, lower index wins).
        assert_eq!(
            allocate(Cents(5), &[3, 3, 4]),
            Ok(vec![Cents(2), Cents(1), Cents(2)])
        );
        // 7 cents over 1:2 → 2,33 / 4,67 → 2, 5 (index 1 has the larger remainder).
        assert_eq!(allocate(Cents(7), &[1, 2]), Ok(vec![Cents(2), Cents(5)]));
        // A zero weight gets nothing.
        assert_eq!(
            allocate(Cents(10), &[0, 1, 0]),
            Ok(vec![Cents(0), Cents(10), Cents(0)])
        );
        assert_eq!(allocate(Cents(0), &[5, 7]), Ok(vec![Cents(0), Cents(0)]));
        // Extremes do not overflow.
        assert_eq!(
            allocate(Cents(i64::MIN), &[u64::MAX, u64::MAX]),
            Ok(vec![Cents(i64::MIN / 2), Cents(i64::MIN / 2)])
        );
    }

    #[test]
    fn errors_are_dutch() {
        assert_eq!(allocate(Cents(1), &[]), Err(AllocateError::NoWeights));
        assert_eq!(allocate(Cents(1), &[0, 0]), Err(AllocateError::ZeroWeights));
        assert!(
            AllocateError::ZeroWeights
                .to_string()
                .contains("gewichten zijn nul")
        );
    }

    /// For thousands of random totals and weight vectors: the parts sum to the total, and each
    /// part is within one cent of its exact share (checked in exact integer arithmetic).
    #[test]
    fn property_parts_sum_to_total_and_stay_within_a_cent() {
        let mut rng = Rng::new(0x6765_6c64);
        for case in 0..5000 {
            let n = 1 + rng.below(12) as usize;
            let total = match case % 4 {
                0 => rng.range(-1000, 1000),
                1 => rng.range(-100_000_000_000, 100_000_000_000),
                2 => rng.range(i64::MIN / 4, i64::MAX / 4),
                _ => rng.range(-50, 50),
            };
            let weights: Vec<u64> = (0..n)
                .map(|_| match case % 3 {
                    0 => rng.below(10),
                    1 => rng.below(1_000_000),
                    _ => rng.next_u64(),
                })
                .collect();
            let Ok(parts) = allocate(Cents(total), &weights) else {
                assert!(weights.iter().all(|&w| w == 0), "case {case}");
                continue;
            };
            assert_eq!(parts.len(), n);
            let sum: i128 = parts.iter().map(|p| i128::from(p.0)).sum();
            assert_eq!(sum, i128::from(total), "case {case}: {weights:?}");
            let wsum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
            for (p, &w) in parts.iter().zip(&weights) {
                // |part × Σw − |total| × w| < Σw, with signs folded: compare magnitudes.
                let exact = u128::from(total.unsigned_abs()) * u128::from(w);
                let got = u128::from(p.0.unsigned_abs()) * wsum;
                assert!(
                    got.abs_diff(exact) < wsum,
                    "case {case}: part {p:?} weight {w}"
                );
                assert!(
                    p.0 == 0 || (p.0 < 0) == (total < 0),
                    "case {case}: sign of {p:?}"
                );
            }
        }
    }
}
