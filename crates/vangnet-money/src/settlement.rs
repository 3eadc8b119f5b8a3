//! The settlement statement (*verrekening*) of a region for one year: per gemeente its budget,
//! own costs, share of the regional costs by a verdeelsleutel, and solidarity; the amounts to
//! settle between the gemeenten sum to zero over the region, to the cent.
//!
//! Model (an *aanname*; the real centrumregelingen' financial articles were not readable):
//! - the regional provisions are paid up front by one gemeente, the `payer` (the
//!   centrumgemeente); every gemeente owes its share by the key, so the payer is reimbursed
//!   `R − R_payer` and each other gemeente pays `R_g`;
//! - a gemeente's result before solidarity is `budget − own costs − share of regional costs`;
//!   a positive result is a surplus, a negative one a shortfall;
//! - solidarity: of each surplus the fraction `s` (basis points) is available; the shortfalls
//!   are covered from what is available, capped at it: if the shortfalls exceed it, the
//!   available amount is split over them pro rata ([`crate::allocate()`]); the contributions are
//!   split over the surpluses pro rata to what each makes available. Contributions equal
//!   receipts to the cent.

use std::collections::BTreeMap;

use vangnet_domain::GemeenteCode;

use crate::allocate::allocate;
use crate::cents::{Cents, MoneyError};
use crate::verdeelsleutel::{FULL, Key};

/// Why a statement cannot be drawn up. Messages in Dutch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettlementError {
    /// No gemeenten.
    #[error("verrekening: geen gemeenten")]
    Empty,
    /// A gemeente twice in the input.
    #[error("verrekening: gemeente {0} staat er meer dan eens in")]
    Duplicate(GemeenteCode),
    /// The payer of the regional costs is not one of the gemeenten.
    #[error("verrekening: betaler {0} van de regionale kosten hoort niet bij de gemeenten")]
    UnknownPayer(GemeenteCode),
    /// The key gives a share to a gemeente that has no line.
    #[error(
        "verrekening: de verdeelsleutel geeft {0} een aandeel, maar die gemeente heeft geen regel"
    )]
    KeyOutsideRegion(GemeenteCode),
    /// Own costs or regional costs below zero.
    #[error("verrekening: {field} van {gemeente} is negatief")]
    Negative {
        /// Which field.
        field: &'static str,
        /// Whose (the payer for the regional costs).
        gemeente: GemeenteCode,
    },
    /// A solidarity fraction outside 0–100 %.
    #[error("verrekening: solidariteitsfractie {0} basispunten ligt niet tussen 0 en 10000")]
    SolidarityOutOfRange(i64),
    /// An amount out of range.
    #[error("verrekening: {0}")]
    Money(#[from] MoneyError),
}

/// One gemeente's input for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GemeenteYear {
    /// The gemeente.
    pub gemeente: GemeenteCode,
    /// Its budget in the year (historical, objective or along the ingroeipad).
    pub budget: Cents,
    /// Costs of its own (non-regional) provisions.
    pub own_costs: Cents,
}

/// One gemeente's statement for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement {
    /// The gemeente.
    pub gemeente: GemeenteCode,
    /// Its budget.
    pub budget: Cents,
    /// Its own costs.
    pub own_costs: Cents,
    /// Its share of the regional costs by the key.
    pub regional_share: Cents,
    /// `budget − own_costs − regional_share`.
    pub result_before_solidarity: Cents,
    /// Solidarity: positive a receipt, negative a contribution.
    pub solidarity: Cents,
    /// Settlement of the regional costs: the payer receives `R − R_payer`, the others pay `R_g`.
    pub regional_settlement: Cents,
    /// What is settled with the other gemeenten: `regional_settlement + solidarity`.
    pub settlement: Cents,
    /// `result_before_solidarity + solidarity`.
    pub result: Cents,
}

impl Statement {
    /// The statement's lines with Dutch labels, in order.
    pub fn lines(&self) -> [(&'static str, Cents); 8] {
        [
            ("Budget", self.budget),
            ("Eigen kosten", self.own_costs),
            ("Aandeel regionale kosten", self.regional_share),
            ("Saldo vóór solidariteit", self.result_before_solidarity),
            ("Solidariteit (ontvangen + / bijdrage −)", self.solidarity),
            ("Verrekening regionale kosten", self.regional_settlement),
            ("Te verrekenen", self.settlement),
            ("Saldo na solidariteit", self.result),
        ]
    }
}

/// Draw up the statements for one year, in the order of `gemeenten`.
pub fn settle(
    gemeenten: &[GemeenteYear],
    regional_costs: Cents,
    key: &Key,
    payer: GemeenteCode,
    solidarity_bp: i64,
) -> Result<Vec<Statement>, SettlementError> {
    if gemeenten.is_empty() {
        return Err(SettlementError::Empty);
    }
    if !(0..=FULL).contains(&solidarity_bp) {
        return Err(SettlementError::SolidarityOutOfRange(solidarity_bp));
    }
    let mut index: BTreeMap<GemeenteCode, usize> = BTreeMap::new();
    for (i, g) in gemeenten.iter().enumerate() {
        if index.insert(g.gemeente, i).is_some() {
            return Err(SettlementError::Duplicate(g.gemeente));
        }
        if g.own_costs < Cents::ZERO {
            return Err(SettlementError::Negative {
                field: "eigen kosten",
                gemeente: g.gemeente,
            });
        }
    }
    let Some(&payer_index) = index.get(&payer) else {
        return Err(SettlementError::UnknownPayer(payer));
    };
    if regional_costs < Cents::ZERO {
        return Err(SettlementError::Negative {
            field: "regionale kosten",
            gemeente: payer,
        });
    }
    let n = gemeenten.len();
    let mut shares = vec![Cents::ZERO; n];
    for (g, c) in key.split(regional_costs) {
        let i = *index.get(&g).ok_or(SettlementError::KeyOutsideRegion(g))?;
        shares[i] = shares[i].checked_add(c)?;
    }
    let mut before = Vec::with_capacity(n);
    for (g, share) in gemeenten.iter().zip(&shares) {
        before.push(g.budget.checked_sub(g.own_costs)?.checked_sub(*share)?);
    }
    let solidarity = solidarity(&before, solidarity_bp)?;
    let mut out = Vec::with_capacity(n);
    for (i, g) in gemeenten.iter().enumerate() {
        let regional_settlement = if i == payer_index {
            regional_costs.checked_sub(shares[i])?
        } else {
            shares[i].checked_neg()?
        };
        out.push(Statement {
            gemeente: g.gemeente,
            budget: g.budget,
            own_costs: g.own_costs,
            regional_share: shares[i],
            result_before_solidarity: before[i],
            solidarity: solidarity[i],
            regional_settlement,
            settlement: regional_settlement.checked_add(solidarity[i])?,
            result: before[i].checked_add(solidarity[i])?,
        });
    }
    Ok(out)
}

/// Solidarity per gemeente from the results before it: receipts (positive) cover shortfalls,
/// capped at what the surpluses make available; contributions (negative) pro rata.
fn solidarity(results: &[Cents], solidarity_bp: i64) -> Result<Vec<Cents>, MoneyError> {
    let mut available = Vec::with_capacity(results.len());
    let mut shortfalls = Vec::with_capacity(results.len());
    for r in results {
        // Available: the fraction of a surplus, rounded half away from zero (never above it).
        let a = r.max(&Cents::ZERO).mul_ratio(solidarity_bp, FULL)?;
        available.push(u64::try_from(a.0).expect("not negative"));
        shortfalls.push(r.0.min(0).unsigned_abs());
    }
    let total_available: u128 = available.iter().map(|&a| u128::from(a)).sum();
    let total_shortfall: u128 = shortfalls.iter().map(|&s| u128::from(s)).sum();
    let covered = total_available.min(total_shortfall);
    let covered = Cents(i64::try_from(covered).map_err(|_| MoneyError::Overflow)?);
    if covered == Cents::ZERO {
        return Ok(vec![Cents::ZERO; results.len()]);
    }
    let receipts = if u128::from(covered.0.unsigned_abs()) == total_shortfall {
        shortfalls
            .iter()
            .map(|&s| {
                i64::try_from(s)
                    .map(Cents)
                    .map_err(|_| MoneyError::Overflow)
            })
            .collect::<Result<Vec<Cents>, MoneyError>>()?
    } else {
        allocate(covered, &shortfalls).expect("shortfalls present")
    };
    let contributions = allocate(covered, &available).expect("surpluses present");
    receipts
        .into_iter()
        .zip(contributions)
        .map(|(r, c)| r.checked_sub(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdeelsleutel::{KeyBasis, Verdeelsleutel};
    use vangnet_domain::rng::Rng;

    fn gm(s: &str) -> GemeenteCode {
        GemeenteCode::parse(s).unwrap()
    }

    #[test]
    fn three_gemeenten_by_hand() {
        let (a, b, c) = (gm("GM0202"), gm("GM0221"), gm("GM0274"));
        let key = Key::Single(
            Verdeelsleutel::new(
                KeyBasis::BasisPoints,
                &[(a, 6000), (b, 2500), (c, 1500)],
                &[a, b, c],
            )
            .unwrap(),
        );
        let input = [
            GemeenteYear {
                gemeente: a,
                budget: Cents(900_000),
                own_costs: Cents(500_000),
            },
            GemeenteYear {
                gemeente: b,
                budget: Cents(200_000),
                own_costs: Cents(250_000),
            },
            GemeenteYear {
                gemeente: c,
                budget: Cents(100_000),
                own_costs: Cents(50_000),
            },
        ];
        // Regional costs € 2.000: shares 1.200 / 500 / 300. Before solidarity:
        // a 9.000 − 5.000 − 1.200 = +2.800; b 2.000 − 2.500 − 500 = −1.000;
        // c 1.000 − 500 − 300 = +200. 50 % solidarity: available 1.400 + 100 = 1.500 ≥ 1.000,
        // so b receives 1.000; a contributes 1.000 × 1.400/1.500 = 933,33 → 933,33,
        // c 66,67 (largest remainder).
        let s = settle(&input, Cents(200_000), &key, a, 5000).unwrap();
        let solidarity: Vec<Cents> = s.iter().map(|x| x.solidarity).collect();
        assert_eq!(
            solidarity,
            vec![Cents(-93_333), Cents(100_000), Cents(-6_667)]
        );
        let regional: Vec<Cents> = s.iter().map(|x| x.regional_settlement).collect();
        assert_eq!(
            regional,
            vec![Cents(80_000), Cents(-50_000), Cents(-30_000)]
        );
        assert_eq!(s[1].result, Cents(0));
        assert_eq!(s[0].result, Cents(280_000 - 93_333));
        assert_eq!(
            Cents::checked_sum(s.iter().map(|x| x.settlement)),
            Ok(Cents::ZERO)
        );
        assert_eq!(s[0].lines()[3], ("Saldo vóór solidariteit", Cents(280_000)));
        // 0 % solidarity: nothing moves, b keeps its shortfall.
        let s = settle(&input, Cents(200_000), &key, a, 0).unwrap();
        assert!(s.iter().all(|x| x.solidarity == Cents::ZERO));
        assert_eq!(s[1].result, Cents(-100_000));
        // 10 % solidarity: available 280 + 20 = 300 < 1.000 shortfall: b receives 300.
        let s = settle(&input, Cents(200_000), &key, a, 1000).unwrap();
        assert_eq!(s[1].solidarity, Cents(30_000));
        assert_eq!(s[0].solidarity, Cents(-28_000));
        assert_eq!(s[2].solidarity, Cents(-2_000));
    }

    #[test]
    fn errors_are_dutch() {
        let a = gm("GM0202");
        let key = Key::Single(Verdeelsleutel::new(KeyBasis::Inhabitants, &[(a, 1)], &[a]).unwrap());
        let g = GemeenteYear {
            gemeente: a,
            budget: Cents(1),
            own_costs: Cents(1),
        };
        let e = settle(&[g], Cents(1), &key, gm("GM0221"), 0).unwrap_err();
        assert!(e.to_string().contains("betaler GM0221"), "{e}");
        assert_eq!(
            settle(&[], Cents(1), &key, a, 0),
            Err(SettlementError::Empty)
        );
        assert_eq!(
            settle(&[g, g], Cents(1), &key, a, 0),
            Err(SettlementError::Duplicate(a))
        );
        assert_eq!(
            settle(&[g], Cents(1), &key, a, 10_001),
            Err(SettlementError::SolidarityOutOfRange(10_001))
        );
        let b = gm("GM0221");
        let key_b =
            Key::Single(Verdeelsleutel::new(KeyBasis::Inhabitants, &[(b, 1)], &[b]).unwrap());
        assert_eq!(
            settle(&[g], Cents(1), &key_b, a, 0),
            Err(SettlementError::KeyOutsideRegion(b))
        );
    }

    /// For random regions: settlements sum to zero, solidarity sums to zero, receipts never
    /// exceed a shortfall, contributions never exceed what a surplus makes available, and the
    /// amount covered is the smaller of shortfalls and what is available.
    #[test]
    fn property_settlement_sums_to_zero() {
        let mut rng = Rng::new(0x7365_7474);
        for case in 0..2000 {
            let n = 1 + rng.below(10) as usize;
            let codes: Vec<GemeenteCode> =
                (0..n).map(|i| gm(&format!("GM{:04}", 100 + i))).collect();
            let input: Vec<GemeenteYear> = codes
                .iter()
                .map(|&g| GemeenteYear {
                    gemeente: g,
                    budget: Cents(rng.range(0, 10_000_000_000)),
                    own_costs: Cents(rng.range(0, 10_000_000_000)),
                })
                .collect();
            let weights: Vec<(GemeenteCode, i64)> = codes
                .iter()
                .map(|&g| (g, 1 + rng.range(0, 100_000)))
                .collect();
            let key =
                Key::Single(Verdeelsleutel::new(KeyBasis::Inhabitants, &weights, &codes).unwrap());
            let regional = Cents(rng.range(0, 10_000_000_000));
            let payer = codes[rng.below(n as u64) as usize];
            let s_bp = rng.range(0, FULL);
            let s = settle(&input, regional, &key, payer, s_bp).unwrap();
            let sum = |f: fn(&Statement) -> Cents| Cents::checked_sum(s.iter().map(f)).unwrap();
            assert_eq!(sum(|x| x.settlement), Cents::ZERO, "case {case}");
            assert_eq!(sum(|x| x.solidarity), Cents::ZERO, "case {case}");
            assert_eq!(sum(|x| x.regional_share), regional, "case {case}");
            let mut available = 0i128;
            let mut shortfall = 0i128;
            let mut received = 0i128;
            for x in &s {
                let before = x.result_before_solidarity;
                assert_eq!(
                    before,
                    Cents(x.budget.0 - x.own_costs.0 - x.regional_share.0),
                    "case {case}"
                );
                assert_eq!(x.result, Cents(before.0 + x.solidarity.0), "case {case}");
                if before < Cents::ZERO {
                    assert!(
                        x.solidarity >= Cents::ZERO && x.result <= Cents::ZERO,
                        "case {case}"
                    );
                    shortfall -= i128::from(before.0);
                    received += i128::from(x.solidarity.0);
                } else {
                    let avail = before.mul_ratio(s_bp, FULL).unwrap();
                    assert!(x.solidarity <= Cents::ZERO, "case {case}");
                    assert!(-x.solidarity.0 <= avail.0, "case {case}: {x:?}");
                    available += i128::from(avail.0);
                }
            }
            assert_eq!(received, available.min(shortfall), "case {case}");
        }
    }
}
