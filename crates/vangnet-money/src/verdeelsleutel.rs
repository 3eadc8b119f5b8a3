//! Verdeelsleutels: keys that split a region's shared costs over its gemeenten, as fixed shares
//! in basis points or as weights (inhabitants, use by origin, objective share), and a mix of two
//! keys with a solidarity fraction. Every split goes through [`crate::allocate()`], so money
//! moves between gemeenten and none is created or lost.

use std::collections::BTreeMap;

use vangnet_domain::GemeenteCode;

use crate::allocate::allocate;
use crate::cents::Cents;

/// 100 % in basis points (1 basis point = 0,01 %).
pub const FULL: i64 = 10_000;

/// Why a key is not valid. Messages in Dutch and naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The key names no gemeente.
    #[error("verdeelsleutel: geen gemeenten (veld gemeente)")]
    Empty,
    /// A gemeente that is not in the region.
    #[error("verdeelsleutel: gemeente {0} hoort niet bij de regio (veld gemeente)")]
    UnknownGemeente(GemeenteCode),
    /// The same gemeente twice.
    #[error("verdeelsleutel: gemeente {0} staat er meer dan eens in (veld gemeente)")]
    DuplicateGemeente(GemeenteCode),
    /// A share or weight below zero.
    #[error("verdeelsleutel: aandeel van {gemeente} is negatief ({value}) (veld aandeel)")]
    NegativeShare {
        /// Whose share.
        gemeente: GemeenteCode,
        /// The value given.
        value: i64,
    },
    /// Shares in basis points that do not add up to 100 %.
    #[error(
        "verdeelsleutel: de aandelen tellen op tot {} ({sum} basispunten), niet tot 100 % (veld aandeel)",
        percent(*sum)
    )]
    NotHundredPercent {
        /// The sum in basis points.
        sum: i128,
    },
    /// Weights that are all zero.
    #[error("verdeelsleutel: alle gewichten zijn nul (veld aandeel)")]
    AllZero,
    /// A solidarity fraction outside 0–100 %.
    #[error(
        "verdeelsleutel: solidariteitsfractie {} ligt niet tussen 0 % en 100 % (veld solidariteitsfractie)",
        percent(i128::from(*.0))
    )]
    SolidarityOutOfRange(i64),
}

/// Basis points as a Dutch percentage: `9950` → `99,50 %`.
pub(crate) fn percent(bp: i128) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let a = bp.unsigned_abs();
    format!("{sign}{},{:02} %", a / 100, a % 100)
}

/// What the numbers of a key mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyBasis {
    /// Fixed shares in basis points, summing to exactly 10 000 (100 %).
    BasisPoints,
    /// Weights: inhabitants per gemeente (`share = inw_g / Σ inw`).
    Inhabitants,
    /// Weights: use by origin, e.g. cost in cents of clients from that gemeente.
    UseByOrigin,
    /// Weights: each gemeente's budget in the objective model, in cents.
    ObjectiveShare,
}

/// *Verdeelsleutel*: a key to split regional costs over the gemeenten of a region. A gemeente
/// of the region that is not named gets nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdeelsleutel {
    basis: KeyBasis,
    entries: Vec<(GemeenteCode, u64)>,
}

impl Verdeelsleutel {
    /// Validate a key against the region's gemeenten.
    pub fn new(
        basis: KeyBasis,
        entries: &[(GemeenteCode, i64)],
        region: &[GemeenteCode],
    ) -> Result<Verdeelsleutel, KeyError> {
        if entries.is_empty() {
            return Err(KeyError::Empty);
        }
        let mut seen = Vec::with_capacity(entries.len());
        let mut checked = Vec::with_capacity(entries.len());
        for &(gemeente, value) in entries {
            if !region.contains(&gemeente) {
                return Err(KeyError::UnknownGemeente(gemeente));
            }
            if seen.contains(&gemeente) {
                return Err(KeyError::DuplicateGemeente(gemeente));
            }
            seen.push(gemeente);
            let Ok(v) = u64::try_from(value) else {
                return Err(KeyError::NegativeShare { gemeente, value });
            };
            checked.push((gemeente, v));
        }
        let sum: i128 = checked.iter().map(|&(_, v)| i128::from(v)).sum();
        match basis {
            KeyBasis::BasisPoints if sum != i128::from(FULL) => {
                return Err(KeyError::NotHundredPercent { sum });
            }
            _ if sum == 0 => return Err(KeyError::AllZero),
            _ => {}
        }
        Ok(Verdeelsleutel {
            basis,
            entries: checked,
        })
    }

    /// What the numbers mean.
    pub fn basis(&self) -> KeyBasis {
        self.basis
    }

    /// The gemeenten and their shares or weights, in the order given.
    pub fn entries(&self) -> &[(GemeenteCode, u64)] {
        &self.entries
    }

    /// Split `total` in proportion to the key (largest remainder); the parts, in the key's
    /// order, sum to `total` exactly and each is within a cent of its exact share.
    pub fn split(&self, total: Cents) -> Vec<(GemeenteCode, Cents)> {
        let weights: Vec<u64> = self.entries.iter().map(|&(_, w)| w).collect();
        let parts = allocate(total, &weights).expect("validated: weights present, not all zero");
        self.entries.iter().map(|&(g, _)| g).zip(parts).collect()
    }
}

/// A mix of two keys with a solidarity fraction `s`: `s` of the total is split by the
/// solidarity key (e.g. inhabitants or objective share) and `1 − s` by the usage key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mix {
    solidarity_bp: i64,
    solidarity: Verdeelsleutel,
    usage: Verdeelsleutel,
}

impl Mix {
    /// Validate the solidarity fraction (basis points, 0 ..= 10 000).
    pub fn new(
        solidarity_bp: i64,
        solidarity: Verdeelsleutel,
        usage: Verdeelsleutel,
    ) -> Result<Mix, KeyError> {
        if !(0..=FULL).contains(&solidarity_bp) {
            return Err(KeyError::SolidarityOutOfRange(solidarity_bp));
        }
        Ok(Mix {
            solidarity_bp,
            solidarity,
            usage,
        })
    }

    /// The solidarity fraction in basis points.
    pub fn solidarity_bp(&self) -> i64 {
        self.solidarity_bp
    }

    /// Split `total`: the solidarity part is `total × s` rounded half away from zero (see
    /// [`Cents::mul_ratio`]), the usage part the exact rest; each part is split by its own key
    /// and the results added per gemeente. The result is ordered by gemeentecode and sums to
    /// `total` exactly; each gemeente is less than 2,5 cents from its exact blended share
    /// `total × (s × a_g / Σa + (1 − s) × b_g / Σb)` (under a cent per split, plus at most half a
    /// cent from rounding the solidarity part).
    pub fn split(&self, total: Cents) -> Vec<(GemeenteCode, Cents)> {
        let solidarity_part = total
            .mul_ratio(self.solidarity_bp, FULL)
            .expect("a fraction of at most 100 % of an amount fits");
        let usage_part = total
            .checked_sub(solidarity_part)
            .expect("same sign and not larger than the total");
        let mut by_gemeente: BTreeMap<GemeenteCode, Cents> = BTreeMap::new();
        for (g, c) in self
            .solidarity
            .split(solidarity_part)
            .into_iter()
            .chain(self.usage.split(usage_part))
        {
            let slot = by_gemeente.entry(g).or_default();
            // Both parts have the sign of the total and sum to at most |total|: no overflow.
            *slot = slot.checked_add(c).expect("bounded by the total");
        }
        by_gemeente.into_iter().collect()
    }
}

/// A key as chosen for a regional cost: one verdeelsleutel or a solidarity mix of two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// One verdeelsleutel.
    Single(Verdeelsleutel),
    /// A mix with a solidarity fraction.
    Mix(Mix),
}

impl Key {
    /// Split `total` by the key; the parts sum to `total` exactly.
    pub fn split(&self, total: Cents) -> Vec<(GemeenteCode, Cents)> {
        match self {
            Key::Single(k) => k.split(total),
            Key::Mix(m) => m.split(total),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::rng::Rng;

    fn gm(s: &str) -> GemeenteCode {
        GemeenteCode::parse(s).unwrap()
    }

    fn region() -> Vec<GemeenteCode> {
        vec![gm("GM0202"), gm("GM0221"), gm("GM0274")]
    }

    #[test]
    fn basis_points_split_by_hand() {
        let key = Verdeelsleutel::new(
            KeyBasis::BasisPoints,
            &[
                (gm("GM0202"), 5000),
                (gm("GM0221"), 3000),
                (gm("GM0274"), 2000),
            ],
            &region(),
        )
        .unwrap();
        // € 1.000,01: 500,005 / 300,003 / 200,002 → 500,00 / 300,00 / 200,00 plus one cent to
        // the largest remainder (GM0202: 0,5 cent).
        assert_eq!(
            key.split(Cents(100_001)),
            vec![
                (gm("GM0202"), Cents(50_001)),
                (gm("GM0221"), Cents(30_000)),
                (gm("GM0274"), Cents(20_000)),
            ]
        );
    }

    #[test]
    fn inhabitants_weights_and_mix_by_hand() {
        let inhabitants = Verdeelsleutel::new(
            KeyBasis::Inhabitants,
            &[
                (gm("GM0202"), 160_000),
                (gm("GM0221"), 30_000),
                (gm("GM0274"), 10_000),
            ],
            &region(),
        )
        .unwrap();
        assert_eq!(
            inhabitants.split(Cents(1_000_000)),
            vec![
                (gm("GM0202"), Cents(800_000)),
                (gm("GM0221"), Cents(150_000)),
                (gm("GM0274"), Cents(50_000)),
            ]
        );
        // Use by origin: only GM0202 and GM0274 have clients.
        let usage = Verdeelsleutel::new(
            KeyBasis::UseByOrigin,
            &[(gm("GM0274"), 1), (gm("GM0202"), 3)],
            &region(),
        )
        .unwrap();
        // 25 % solidarity by inhabitants: € 2.500 → 2.000 / 375 / 125; € 7.500 by use →
        // 5.625 (GM0202) / 1.875 (GM0274).
        let mix = Mix::new(2500, inhabitants, usage).unwrap();
        assert_eq!(
            mix.split(Cents(1_000_000)),
            vec![
                (gm("GM0202"), Cents(200_000 + 562_500)),
                (gm("GM0221"), Cents(37_500)),
                (gm("GM0274"), Cents(12_500 + 187_500)),
            ]
        );
    }

    #[test]
    fn validation_names_the_field_in_dutch() {
        let r = region();
        let e = Verdeelsleutel::new(KeyBasis::BasisPoints, &[(gm("GM0202"), 9950)], &r);
        assert_eq!(e, Err(KeyError::NotHundredPercent { sum: 9950 }));
        assert_eq!(
            e.unwrap_err().to_string(),
            "verdeelsleutel: de aandelen tellen op tot 99,50 % (9950 basispunten), niet tot 100 % (veld aandeel)"
        );
        let e = Verdeelsleutel::new(
            KeyBasis::Inhabitants,
            &[(gm("GM0202"), 5), (gm("GM0221"), -1)],
            &r,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "verdeelsleutel: aandeel van GM0221 is negatief (-1) (veld aandeel)"
        );
        let e = Verdeelsleutel::new(KeyBasis::Inhabitants, &[(gm("GM9999"), 5)], &r).unwrap_err();
        assert_eq!(e, KeyError::UnknownGemeente(gm("GM9999")));
        assert!(
            e.to_string()
                .contains("GM9999 hoort niet bij de regio (veld gemeente)")
        );
        let e = Verdeelsleutel::new(
            KeyBasis::Inhabitants,
            &[(gm("GM0202"), 5), (gm("GM0202"), 6)],
            &r,
        )
        .unwrap_err();
        assert_eq!(e, KeyError::DuplicateGemeente(gm("GM0202")));
        assert!(e.to_string().contains("meer dan eens"));
        assert_eq!(
            Verdeelsleutel::new(KeyBasis::UseByOrigin, &[(gm("GM0202"), 0)], &r),
            Err(KeyError::AllZero)
        );
        assert_eq!(
            Verdeelsleutel::new(KeyBasis::UseByOrigin, &[], &r),
            Err(KeyError::Empty)
        );
        let k = Verdeelsleutel::new(KeyBasis::UseByOrigin, &[(gm("GM0202"), 1)], &r).unwrap();
        let e = Mix::new(12_000, k.clone(), k).unwrap_err();
        assert_eq!(
            e.to_string(),
            "verdeelsleutel: solidariteitsfractie 120,00 % ligt niet tussen 0 % en 100 % (veld solidariteitsfractie)"
        );
    }

    fn random_key(rng: &mut Rng, region: &[GemeenteCode]) -> Verdeelsleutel {
        loop {
            let mut entries: Vec<(GemeenteCode, i64)> = Vec::new();
            for &g in region {
                if rng.chance(0.8) {
                    entries.push((g, rng.range(0, 200_000)));
                }
            }
            let basis = match rng.below(3) {
                0 => KeyBasis::Inhabitants,
                1 => KeyBasis::UseByOrigin,
                _ => KeyBasis::ObjectiveShare,
            };
            if let Ok(k) = Verdeelsleutel::new(basis, &entries, region) {
                return k;
            }
        }
    }

    fn sum(parts: &[(GemeenteCode, Cents)]) -> Cents {
        Cents::checked_sum(parts.iter().map(|&(_, c)| c)).unwrap()
    }

    /// Changing the key (or the mix) moves money between gemeenten and creates none: every
    /// split sums to the total, so the differences between two splits sum to zero.
    #[test]
    fn property_changing_the_key_creates_no_money() {
        let mut rng = Rng::new(0x7665_7264);
        let codes: Vec<GemeenteCode> = (1..=14).map(|n| gm(&format!("GM{:04}", n * 37))).collect();
        for case in 0..2000 {
            let n = 1 + rng.below(codes.len() as u64) as usize;
            let region = &codes[..n];
            let total = Cents(rng.range(-10_000_000_000, 10_000_000_000));
            let a = random_key(&mut rng, region);
            let b = random_key(&mut rng, region);
            let sa = a.split(total);
            let sb = b.split(total);
            assert_eq!(sum(&sa), total, "case {case}");
            assert_eq!(sum(&sb), total, "case {case}");
            let s = rng.range(0, FULL);
            let mix = Mix::new(s, a.clone(), b.clone()).unwrap();
            let sm = mix.split(total);
            assert_eq!(sum(&sm), total, "case {case}");
            // Each gemeente within 2,5 cents of its exact blended share, in exact integers:
            // |m × F·A·B − T × (s·a·B + (F − s)·b·A)| < 2,5 × F·A·B.
            let weight = |k: &Verdeelsleutel, g: GemeenteCode| {
                k.entries()
                    .iter()
                    .find(|e| e.0 == g)
                    .map_or(0, |e| i128::from(e.1))
            };
            let total_weight =
                |k: &Verdeelsleutel| k.entries().iter().map(|e| i128::from(e.1)).sum::<i128>();
            let (wa, wb, f) = (total_weight(&a), total_weight(&b), i128::from(FULL));
            let s = i128::from(s);
            for &(g, m) in &sm {
                let exact =
                    i128::from(total.0) * (s * weight(&a, g) * wb + (f - s) * weight(&b, g) * wa);
                let got = i128::from(m.0) * f * wa * wb;
                assert!(
                    2 * (got - exact).abs() < 5 * f * wa * wb,
                    "case {case}: {g} {m:?}"
                );
            }
            let mut moved: BTreeMap<GemeenteCode, i128> = BTreeMap::new();
            for (g, c) in &sa {
                *moved.entry(*g).or_default() += i128::from(c.0);
            }
            for (g, c) in &sm {
                *moved.entry(*g).or_default() -= i128::from(c.0);
            }
            assert_eq!(moved.values().sum::<i128>(), 0, "case {case}");
        }
    }

    #[test]
    fn percent_is_dutch() {
        assert_eq!(percent(10_000), "100,00 %");
        assert_eq!(percent(5), "0,05 %");
        assert_eq!(percent(-250), "-2,50 %");
    }
}
