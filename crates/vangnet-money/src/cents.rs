//! `Cents`: an exact amount of money in whole euro cents, with checked arithmetic (overflow is
//! an error, never a wrap), one explicit rounding rule, and Dutch display and parsing.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What can go wrong with an amount. Messages in Dutch: they reach the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The result does not fit in 64-bit cents.
    #[error("bedrag valt buiten het bereik (overloop)")]
    Overflow,
    /// A ratio with denominator zero.
    #[error("deling door nul in een bedragberekening")]
    DivisionByZero,
    /// Text that is not an amount.
    #[error("ongeldig bedrag {0:?}: schrijf bijvoorbeeld 1234,56, 1.234,56, 1234.56 of € 12")]
    Parse(String),
}

/// An exact amount in euro cents (may be negative).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    /// Zero euro.
    pub const ZERO: Cents = Cents(0);

    /// Whole euros as cents; overflow is an error.
    pub fn from_euros(euros: i64) -> Result<Cents, MoneyError> {
        euros
            .checked_mul(100)
            .map(Cents)
            .ok_or(MoneyError::Overflow)
    }

    /// The raw number of cents.
    pub fn get(self) -> i64 {
        self.0
    }

    /// `self + other`, or [`MoneyError::Overflow`].
    pub fn checked_add(self, other: Cents) -> Result<Cents, MoneyError> {
        self.0
            .checked_add(other.0)
            .map(Cents)
            .ok_or(MoneyError::Overflow)
    }

    /// `self − other`, or [`MoneyError::Overflow`].
    pub fn checked_sub(self, other: Cents) -> Result<Cents, MoneyError> {
        self.0
            .checked_sub(other.0)
            .map(Cents)
            .ok_or(MoneyError::Overflow)
    }

    /// `−self`, or [`MoneyError::Overflow`] (only for `i64::MIN` cents).
    pub fn checked_neg(self) -> Result<Cents, MoneyError> {
        self.0.checked_neg().map(Cents).ok_or(MoneyError::Overflow)
    }

    /// The sum of the amounts; overflow anywhere along the way is an error.
    pub fn checked_sum<I: IntoIterator<Item = Cents>>(amounts: I) -> Result<Cents, MoneyError> {
        amounts
            .into_iter()
            .try_fold(Cents::ZERO, Cents::checked_add)
    }

    /// `self × count` (e.g. a day tariff times a number of days), exact.
    pub fn mul_count(self, count: i64) -> Result<Cents, MoneyError> {
        self.0
            .checked_mul(count)
            .map(Cents)
            .ok_or(MoneyError::Overflow)
    }

    /// `self × num / den`, rounded to a whole cent **half away from zero** (0,5 cent becomes
    /// 1 cent, −0,5 cent becomes −1 cent). The intermediate product is exact (128 bits).
    pub fn mul_ratio(self, num: i64, den: i64) -> Result<Cents, MoneyError> {
        if den == 0 {
            return Err(MoneyError::DivisionByZero);
        }
        let p = i128::from(self.0) * i128::from(num);
        let q = i128::from(den);
        let r = div_round_half_away(p, q);
        i64::try_from(r)
            .map(Cents)
            .map_err(|_| MoneyError::Overflow)
    }

    /// Parse a Dutch or plain amount: `1234,56`, `1.234,56`, `1234.56`, `€ 12`, `-€ 12,00`,
    /// `€ -12`. A comma is the decimal separator (then dots group thousands); without a comma a
    /// single dot followed by one or two digits is a decimal point, otherwise dots group
    /// thousands (`1.234` is € 1.234,00). At most two decimals.
    pub fn parse(text: &str) -> Result<Cents, MoneyError> {
        let err = || MoneyError::Parse(text.to_owned());
        let mut s = text.trim();
        let mut negative = false;
        if let Some(rest) = s.strip_prefix('-') {
            negative = true;
            s = rest.trim_start();
        }
        if let Some(rest) = s.strip_prefix('€') {
            s = rest.trim_start();
        }
        if let Some(rest) = s.strip_prefix('-') {
            if negative {
                return Err(err());
            }
            negative = true;
            s = rest;
        }
        let (int_part, frac_part) = if let Some((i, f)) = s.split_once(',') {
            (i, Some(f))
        } else if let Some((i, f)) = s.rsplit_once('.')
            && !i.contains('.')
            && (1..=2).contains(&f.len())
        {
            (i, Some(f))
        } else {
            (s, None)
        };
        let euros = parse_grouped(int_part).ok_or_else(err)?;
        let cents = match frac_part {
            None => 0,
            Some(f) if (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
                let v: i64 = f.parse().map_err(|_| err())?;
                if f.len() == 1 { v * 10 } else { v }
            }
            Some(_) => return Err(err()),
        };
        let total = euros
            .checked_mul(100)
            .and_then(|e| e.checked_add(cents))
            .ok_or_else(err)?;
        Ok(Cents(if negative { -total } else { total }))
    }
}

/// Digits, optionally grouped by dots in threes (`1.234.567`); `None` if not so.
fn parse_grouped(s: &str) -> Option<i64> {
    let groups: Vec<&str> = s.split('.').collect();
    let first = groups[0];
    let ok_first = if groups.len() == 1 {
        !first.is_empty()
    } else {
        (1..=3).contains(&first.len())
    };
    if !ok_first || groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    let mut v: i64 = 0;
    for b in groups.concat().bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some(v)
}

/// `p / q` rounded half away from zero; `q != 0`.
pub(crate) fn div_round_half_away(p: i128, q: i128) -> i128 {
    let (p, q) = if q < 0 { (-p, -q) } else { (p, q) };
    let quot = p / q; // truncates toward zero
    let rem = p % q; // same sign as p
    if 2 * rem.abs() >= q {
        quot + p.signum()
    } else {
        quot
    }
}

impl fmt::Display for Cents {
    /// Dutch notation: `€ 1.234,56`, `-€ 12,00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::with_capacity(euros.len() + euros.len() / 3);
        for (i, c) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}€ {grouped},{:02}", abs % 100)
    }
}

impl fmt::Debug for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cents({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_dutch() {
        assert_eq!(Cents(123_456).to_string(), "€ 1.234,56");
        assert_eq!(Cents(-1200).to_string(), "-€ 12,00");
        assert_eq!(Cents(0).to_string(), "€ 0,00");
        assert_eq!(Cents(5).to_string(), "€ 0,05");
        assert_eq!(Cents(-5).to_string(), "-€ 0,05");
        assert_eq!(Cents(100_000_000).to_string(), "€ 1.000.000,00");
        assert_eq!(Cents(99_999).to_string(), "€ 999,99");
        assert_eq!(Cents(i64::MIN).to_string(), "-€ 92.233.720.368.547.758,08");
    }

    #[test]
    fn parse_accepts_the_documented_forms() {
        assert_eq!(Cents::parse("1234,56"), Ok(Cents(123_456)));
        assert_eq!(Cents::parse("1.234,56"), Ok(Cents(123_456)));
        assert_eq!(Cents::parse("1234.56"), Ok(Cents(123_456)));
        assert_eq!(Cents::parse("€ 12"), Ok(Cents(1200)));
        assert_eq!(Cents::parse("€12,5"), Ok(Cents(1250)));
        assert_eq!(Cents::parse("-€ 12,00"), Ok(Cents(-1200)));
        assert_eq!(Cents::parse("€ -0,05"), Ok(Cents(-5)));
        assert_eq!(Cents::parse(" 1.000.000 "), Ok(Cents(100_000_000)));
        assert_eq!(Cents::parse("1.234"), Ok(Cents(123_400)));
        assert_eq!(Cents::parse("0.5"), Ok(Cents(50)));
    }

    #[test]
    fn parse_round_trips_display() {
        for c in [0, 1, -1, 99, 100, 123_456, -987_654_321, 100_000_000_000] {
            assert_eq!(Cents::parse(&Cents(c).to_string()), Ok(Cents(c)));
        }
    }

    #[test]
    fn parse_rejects_with_a_dutch_error() {
        for bad in [
            "",
            "€",
            "12,345",
            "1,2,3",
            "12.34.5",
            "1.23,4",
            "abc",
            "12 euro",
            "--5",
            "1.2345",
            ",50",
            "12,",
            "+5",
            "1..234",
            "99999999999999999999",
        ] {
            let e = Cents::parse(bad).expect_err(bad);
            assert!(e.to_string().starts_with("ongeldig bedrag"), "{bad}: {e}");
        }
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        assert_eq!(Cents(5).checked_add(Cents(-7)), Ok(Cents(-2)));
        assert_eq!(Cents(5).checked_sub(Cents(7)), Ok(Cents(-2)));
        assert_eq!(
            Cents(i64::MAX).checked_add(Cents(1)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Cents(i64::MIN).checked_sub(Cents(1)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(Cents(i64::MIN).checked_neg(), Err(MoneyError::Overflow));
        assert_eq!(Cents(12).checked_neg(), Ok(Cents(-12)));
        assert_eq!(
            Cents::checked_sum([Cents(1), Cents(2), Cents(-10)]),
            Ok(Cents(-7))
        );
        assert_eq!(
            Cents::checked_sum([Cents(i64::MAX), Cents(1), Cents(-5)]),
            Err(MoneyError::Overflow)
        );
        assert_eq!(Cents(1250).mul_count(30), Ok(Cents(37_500)));
        assert_eq!(
            Cents(i64::MAX / 2 + 1).mul_count(2),
            Err(MoneyError::Overflow)
        );
        assert_eq!(Cents::from_euros(12), Ok(Cents(1200)));
        assert_eq!(Cents::from_euros(i64::MAX), Err(MoneyError::Overflow));
    }

    #[test]
    fn mul_ratio_rounds_half_away_from_zero() {
        // 10 cents × 1/4 = 2,5 → 3; −2,5 → −3.
        assert_eq!(Cents(10).mul_ratio(1, 4), Ok(Cents(3)));
        assert_eq!(Cents(-10).mul_ratio(1, 4), Ok(Cents(-3)));
        assert_eq!(Cents(10).mul_ratio(-1, 4), Ok(Cents(-3)));
        assert_eq!(Cents(10).mul_ratio(1, -4), Ok(Cents(-3)));
        // 2,4 → 2; 2,6 → 3.
        assert_eq!(Cents(12).mul_ratio(1, 5), Ok(Cents(2)));
        assert_eq!(Cents(13).mul_ratio(1, 5), Ok(Cents(3)));
        // 100 / 3 = 33,33 → 33; 200 / 3 = 66,67 → 67.
        assert_eq!(Cents(100).mul_ratio(1, 3), Ok(Cents(33)));
        assert_eq!(Cents(100).mul_ratio(2, 3), Ok(Cents(67)));
        // The product does not overflow before the division.
        assert_eq!(Cents(i64::MAX).mul_ratio(3, 3), Ok(Cents(i64::MAX)));
        assert_eq!(Cents(i64::MAX).mul_ratio(2, 1), Err(MoneyError::Overflow));
        assert_eq!(Cents(1).mul_ratio(1, 0), Err(MoneyError::DivisionByZero));
    }
}
