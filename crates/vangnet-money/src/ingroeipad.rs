//! The ingroeipad: the per-year path from a gemeente's historical budget to its budget in the
//! objective model, as a table of shares of the objective model, and the budget and
//! herverdeeleffect it gives.
//!
//! `B(g,t) = H(g,t) + α_t × (O(g,t) − H(g,t))` with `α_t` in basis points (reference
//! `finance.md`, formula 3). The shift `α_t × (O − H)` is rounded to a whole cent half away from
//! zero ([`Cents::mul_ratio`]); at `α_t = 100 %` there is nothing to round, so the last year
//! gives the objective budget exactly. The default path is linear over 10 years
//! (`α_t = min(1, (t − t0 + 1) / 10)`); its start year `t0` is an *aanname* (assumption): no
//! start year is publicly known.

use crate::cents::{Cents, MoneyError};
use crate::verdeelsleutel::{FULL, percent};

/// Why a path is not valid. Messages in Dutch and naming the year at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// No years at all.
    #[error("ingroeipad: geen jaren")]
    Empty,
    /// A year that does not follow the previous one.
    #[error("ingroeipad: jaar {year} volgt niet direct op jaar {previous}")]
    NotConsecutive {
        /// The year at fault.
        year: i32,
        /// The year before it in the table.
        previous: i32,
    },
    /// A share below 0 % or above 100 %.
    #[error("ingroeipad: jaar {year}: aandeel {} ligt niet tussen 0 % en 100 %", percent(i128::from(*.share)))]
    OutOfRange {
        /// The year at fault.
        year: i32,
        /// Its share in basis points.
        share: i64,
    },
    /// A share lower than the year before.
    #[error(
        "ingroeipad: jaar {year}: aandeel {} is lager dan {} het jaar ervoor",
        percent(i128::from(*.share)),
        percent(i128::from(*.previous))
    )]
    Decreasing {
        /// The year at fault.
        year: i32,
        /// Its share in basis points.
        share: i64,
        /// The share of the year before.
        previous: i64,
    },
    /// The last year does not reach 100 %.
    #[error("ingroeipad: laatste jaar {year}: aandeel {} moet 100 % zijn", percent(i128::from(*.share)))]
    LastNotFull {
        /// The last year.
        year: i32,
        /// Its share in basis points.
        share: i64,
    },
    /// A linear path of zero years.
    #[error("ingroeipad: het aantal jaren moet minstens 1 zijn")]
    NoYears,
}

/// *Ingroeipad*: the transition path from the historical to the objective budget, one share of
/// the objective model (basis points) per consecutive year. Before the first year the share is
/// 0 % (historical budget), after the last 100 % (objective budget).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingroeipad {
    steps: Vec<(i32, i64)>,
}

impl Ingroeipad {
    /// Validate a table of `(year, share in basis points)`: consecutive years, each share
    /// 0 ..= 10 000, non-decreasing, the last exactly 10 000 (100 %).
    pub fn from_table(steps: &[(i32, i64)]) -> Result<Ingroeipad, PathError> {
        let Some(&(last_year, last_share)) = steps.last() else {
            return Err(PathError::Empty);
        };
        let mut previous: Option<(i32, i64)> = None;
        for &(year, share) in steps {
            if !(0..=FULL).contains(&share) {
                return Err(PathError::OutOfRange { year, share });
            }
            if let Some((py, ps)) = previous {
                if py.checked_add(1) != Some(year) {
                    return Err(PathError::NotConsecutive { year, previous: py });
                }
                if share < ps {
                    return Err(PathError::Decreasing {
                        year,
                        share,
                        previous: ps,
                    });
                }
            }
            previous = Some((year, share));
        }
        if last_share != FULL {
            return Err(PathError::LastNotFull {
                year: last_year,
                share: last_share,
            });
        }
        Ok(Ingroeipad {
            steps: steps.to_vec(),
        })
    }

    /// A linear path of `years` years from `start_year` (an *aanname*): year `start_year + k`
    /// has share `(k + 1) / years`, in basis points rounded half away from zero.
    pub fn linear(start_year: i32, years: u32) -> Result<Ingroeipad, PathError> {
        if years == 0 {
            return Err(PathError::NoYears);
        }
        let n = i64::from(years);
        let steps: Vec<(i32, i64)> = (0..n)
            .map(|k| {
                let year = i64::from(start_year) + k;
                let year = i32::try_from(year).unwrap_or(i32::MAX);
                let share = i64::try_from(crate::cents::div_round_half_away(
                    i128::from(FULL) * i128::from(k + 1),
                    i128::from(n),
                ))
                .expect("at most 10 000");
                (year, share)
            })
            .collect();
        Ingroeipad::from_table(&steps)
    }

    /// The default path: linear over 10 years from `start_year` (reference: "in-groeipad van
    /// 10 jaar"; the start year is not known and is an *aanname*).
    pub fn default_from(start_year: i32) -> Ingroeipad {
        Ingroeipad::linear(start_year, 10).expect("10 linear years are a valid path")
    }

    /// The years and shares (basis points).
    pub fn steps(&self) -> &[(i32, i64)] {
        &self.steps
    }

    /// The first year of the path.
    pub fn start_year(&self) -> i32 {
        self.steps[0].0
    }

    /// The last year, in which the objective budget is reached.
    pub fn last_year(&self) -> i32 {
        self.steps[self.steps.len() - 1].0
    }

    /// The share of the objective model in `year`, in basis points.
    pub fn share(&self, year: i32) -> i64 {
        if year < self.start_year() {
            0
        } else if year > self.last_year() {
            FULL
        } else {
            self.steps[usize::try_from(year - self.start_year()).expect("within the table")].1
        }
    }

    /// The budget in `year`: `historical + share × (objective − historical)`, the shift rounded
    /// half away from zero to a whole cent.
    pub fn budget(
        &self,
        year: i32,
        historical: Cents,
        objective: Cents,
    ) -> Result<Cents, MoneyError> {
        let shift = objective
            .checked_sub(historical)?
            .mul_ratio(self.share(year), FULL)?;
        historical.checked_add(shift)
    }

    /// *Herverdeeleffect*: what the path moves in `year`, `budget − historical`.
    pub fn herverdeeleffect(
        &self,
        year: i32,
        historical: Cents,
        objective: Cents,
    ) -> Result<Cents, MoneyError> {
        self.budget(year, historical, objective)?
            .checked_sub(historical)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::rng::Rng;

    #[test]
    fn default_path_is_linear_over_ten_years() {
        let p = Ingroeipad::default_from(2028);
        assert_eq!(p.start_year(), 2028);
        assert_eq!(p.last_year(), 2037);
        assert_eq!(p.share(2027), 0);
        assert_eq!(p.share(2028), 1000);
        assert_eq!(p.share(2032), 5000);
        assert_eq!(p.share(2037), FULL);
        assert_eq!(p.share(2050), FULL);
        // A 3-year path rounds the shares: 33,33 %, 66,67 %, 100 %.
        let p = Ingroeipad::linear(2030, 3).unwrap();
        assert_eq!(p.steps(), &[(2030, 3333), (2031, 6667), (2032, FULL)]);
        assert_eq!(Ingroeipad::linear(2030, 0), Err(PathError::NoYears));
    }

    /// A region of three gemeenten: the centrumgemeente holds the whole historical budget
    /// (€ 1.000.000,00); the objective model gives 600.000 / 250.000 / 150.000.
    #[test]
    fn three_gemeenten_by_hand() {
        let p = Ingroeipad::default_from(2028);
        let h = [Cents(100_000_000), Cents(0), Cents(0)];
        let o = [Cents(60_000_000), Cents(25_000_000), Cents(15_000_000)];
        let budgets = |year| -> Vec<Cents> {
            (0..3)
                .map(|i| p.budget(year, h[i], o[i]).unwrap())
                .collect()
        };
        // Before the start year: historical.
        assert_eq!(budgets(2027), h.to_vec());
        // 2030 is the third year, 30 %: 1.000.000 − 0,3 × 400.000 = 880.000; 75.000; 45.000.
        assert_eq!(
            budgets(2030),
            vec![Cents(88_000_000), Cents(7_500_000), Cents(4_500_000)]
        );
        assert_eq!(p.herverdeeleffect(2030, h[0], o[0]), Ok(Cents(-12_000_000)));
        assert_eq!(p.herverdeeleffect(2030, h[1], o[1]), Ok(Cents(7_500_000)));
        // The last year: the objective budget exactly.
        assert_eq!(budgets(2037), o.to_vec());
    }

    #[test]
    fn budget_rounds_the_shift_half_away_from_zero() {
        let p = Ingroeipad::from_table(&[(2030, 2500), (2031, FULL)]).unwrap();
        // Shift 25 % of +€ 0,10 = 2,5 cent → 3; of −€ 0,10 → −3.
        assert_eq!(p.budget(2030, Cents(0), Cents(10)), Ok(Cents(3)));
        assert_eq!(p.budget(2030, Cents(10), Cents(0)), Ok(Cents(7)));
        assert_eq!(
            p.budget(2030, Cents(i64::MIN), Cents(i64::MAX)),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn validation_names_the_year_in_dutch() {
        assert_eq!(Ingroeipad::from_table(&[]), Err(PathError::Empty));
        let e = Ingroeipad::from_table(&[(2030, 5000), (2031, 4000), (2032, FULL)]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ingroeipad: jaar 2031: aandeel 40,00 % is lager dan 50,00 % het jaar ervoor"
        );
        let e = Ingroeipad::from_table(&[(2030, 5000), (2031, 9000)]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ingroeipad: laatste jaar 2031: aandeel 90,00 % moet 100 % zijn"
        );
        let e = Ingroeipad::from_table(&[(2030, -1), (2031, FULL)]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ingroeipad: jaar 2030: aandeel -0,01 % ligt niet tussen 0 % en 100 %"
        );
        let e = Ingroeipad::from_table(&[(2030, 5000), (2031, 10_001)]).unwrap_err();
        assert_eq!(
            e,
            PathError::OutOfRange {
                year: 2031,
                share: 10_001
            }
        );
        let e = Ingroeipad::from_table(&[(2030, 5000), (2032, FULL)]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ingroeipad: jaar 2032 volgt niet direct op jaar 2030"
        );
        // An asymmetric path loads as a table.
        let p = Ingroeipad::from_table(&[(2030, 500), (2031, 500), (2032, 4000), (2033, FULL)]);
        assert!(p.is_ok());
    }

    /// For random paths and budgets: before the start the historical budget, in and after the
    /// last year the objective budget exactly, in between within [H, O] and monotone.
    #[test]
    fn property_path_goes_from_historical_to_objective() {
        let mut rng = Rng::new(0x696e_6772);
        for case in 0..2000 {
            let years = 1 + rng.below(15) as u32;
            let start = rng.range(2020, 2040) as i32;
            let p = Ingroeipad::linear(start, years).unwrap();
            let h = Cents(rng.range(-1_000_000_000_000, 1_000_000_000_000));
            let o = Cents(rng.range(0, 1_000_000_000_000));
            assert_eq!(p.budget(start - 1, h, o), Ok(h), "case {case}");
            assert_eq!(p.budget(p.last_year(), h, o), Ok(o), "case {case}");
            assert_eq!(p.budget(p.last_year() + 3, h, o), Ok(o), "case {case}");
            let (lo, hi) = (h.min(o), h.max(o));
            let mut prev = h;
            for year in start..=p.last_year() {
                let b = p.budget(year, h, o).unwrap();
                assert!(lo <= b && b <= hi, "case {case}: {year} {b:?}");
                assert!(
                    if o >= h { b >= prev } else { b <= prev },
                    "case {case}: {year} not monotone"
                );
                let eff = p.herverdeeleffect(year, h, o).unwrap();
                assert_eq!(h.checked_add(eff), Ok(b), "case {case}");
                prev = b;
            }
        }
    }
}
