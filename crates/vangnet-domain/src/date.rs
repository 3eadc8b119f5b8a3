//! Civil dates (proleptic Gregorian, no time zone) as days since 1970-01-01.
//!
//! Client events carry an *effective date* (the day a fact took effect), which is a civil
//! date in the Netherlands; no time-of-day or zone is involved. Keeping the type small and
//! `Copy` makes folding millions of events cheap.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date, stored as the number of days since 1970-01-01.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `JJJJ-MM-DD`.
    #[error("'{0}' is geen datum in de vorm JJJJ-MM-DD")]
    Format(String),
    /// Well-formed but not a real calendar day (e.g. 2023-02-30).
    #[error("'{0}' bestaat niet als kalenderdatum")]
    NoSuchDay(String),
}

impl Date {
    /// The date for year, month (1–12) and day (1–31), or `None` if no such day exists.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m)
            || d == 0
            || d > days_in_month(y, m)
            || !(FIRST_YEAR..=LAST_YEAR).contains(&y)
        {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (m as i32 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (if m <= 2 { y + 1 } else { y }, m, d)
    }

    /// Parse `JJJJ-MM-DD`.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateError::Format(s.to_owned()));
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let mut v = 0u32;
            for &c in &b[r] {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + u32::from(c - b'0');
            }
            Some(v)
        };
        match (num(0..4), num(5..7), num(8..10)) {
            (Some(y), Some(m), Some(d)) => {
                Date::from_ymd(y as i32, m, d).ok_or_else(|| DateError::NoSuchDay(s.to_owned()))
            }
            _ => Err(DateError::Format(s.to_owned())),
        }
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i32 {
        self.0
    }

    /// The date `days` days after 1970-01-01, saturated to the supported range
    /// (1000-01-01 … 9999-12-31), so every `Date` prints as `JJJJ-MM-DD` and parses back.
    pub fn from_days_since_epoch(days: i32) -> Date {
        Date(days.clamp(FIRST_DAY, LAST_DAY))
    }

    /// This date plus `n` days (negative goes back), saturated to the supported range
    /// (1000-01-01 … 9999-12-31): no input can overflow or panic.
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0.saturating_add(n).clamp(FIRST_DAY, LAST_DAY))
    }

    /// Days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i32 {
        later.0 - self.0
    }

    /// This date plus `n` calendar months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)
    /// and saturated to the supported range (1000-01-01 … 9999-12-31): no input can panic.
    pub fn add_months(self, n: i32) -> Date {
        let (y, m, d) = self.ymd();
        let total = i64::from(y) * 12 + i64::from(m) - 1 + i64::from(n);
        let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        match i32::try_from(ny) {
            Ok(ny) if (FIRST_YEAR..=LAST_YEAR).contains(&ny) => {
                // Always a valid day: the year is in range and the day clamped.
                Date::from_ymd(ny, nm, d.min(days_in_month(ny, nm))).unwrap_or(self)
            }
            _ if ny < i64::from(FIRST_YEAR) => Date(FIRST_DAY),
            _ => Date(LAST_DAY),
        }
    }

    /// The first day of this date's month.
    pub fn month_start(self) -> Date {
        let (y, m, _) = self.ymd();
        Date::from_ymd(y, m, 1).unwrap_or(self)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.ymd().0
    }
}

/// The first and last supported year (four digits, as `JJJJ-MM-DD` needs).
const FIRST_YEAR: i32 = 1000;
const LAST_YEAR: i32 = 9999;
/// 1000-01-01 and 9999-12-31 as days since 1970-01-01 (checked by a test).
const FIRST_DAY: i32 = -354_285;
const LAST_DAY: i32 = 2_932_896;

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A number of days in Dutch: "1 dag", "0 dagen", "12 dagen" (also for −1: "-1 dag"). The
/// one place the user interface writes a count of days (issue 14: "wacht 1 dagen").
pub fn dagen(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} dag")
    } else {
        format!("{n} dagen")
    }
}

/// A date as a Dutch reader writes it, `dd-mm-jjjj` ([`Date::nl`]).
#[derive(Clone, Copy)]
pub struct NlDate(Date);

impl fmt::Display for NlDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.0.ymd();
        write!(f, "{d:02}-{m:02}-{y:04}")
    }
}

impl Date {
    /// The date for a Dutch reader (`14-09-2026`) in messages, explanations and letters;
    /// `Display` stays `JJJJ-MM-DD`, the form of storage, exports and the API.
    pub fn nl(self) -> NlDate {
        NlDate(self)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn days_are_singular_for_one() {
        assert_eq!(
            [dagen(0), dagen(1), dagen(2), dagen(-1), dagen(-3)],
            ["0 dagen", "1 dag", "2 dagen", "-1 dag", "-3 dagen"]
        );
    }

    use super::*;

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        let start = Date::from_ymd(1900, 1, 1).unwrap();
        let mut prev = None;
        for i in 0..(400 * 366) {
            let d = start.add_days(i);
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(d));
            assert_eq!(Date::parse(&d.to_string()), Ok(d));
            if let Some(p) = prev {
                assert!(p < d);
            }
            prev = Some(d);
        }
    }

    #[test]
    fn epoch_is_day_zero() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(
            Date::parse("2000-03-01").unwrap().days_since_epoch(),
            11_017
        );
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert!(matches!(
            Date::parse("2023-02-29"),
            Err(DateError::NoSuchDay(_))
        ));
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(matches!(
            Date::parse("2023-13-01"),
            Err(DateError::NoSuchDay(_))
        ));
        assert!(matches!(Date::parse("23-01-01"), Err(DateError::Format(_))));
        assert!(matches!(
            Date::parse("2023-1-01"),
            Err(DateError::Format(_))
        ));
        assert!(matches!(
            Date::parse("2023-01-0x"),
            Err(DateError::Format(_))
        ));
    }

    #[test]
    fn the_supported_range_is_1000_to_9999() {
        assert_eq!(Date::from_ymd(1000, 1, 1), Some(Date(FIRST_DAY)));
        assert_eq!(Date::from_ymd(9999, 12, 31), Some(Date(LAST_DAY)));
        assert_eq!(Date::from_ymd(999, 12, 31), None);
        assert_eq!(Date::from_ymd(10_000, 1, 1), None);
    }

    /// No date and no offset makes the arithmetic panic or leave the printable range: the
    /// result saturates at 1000-01-01 / 9999-12-31 (issue 11: a `mo_overnachting` dated
    /// 9999-12-31 panicked in `add_months` while the SQLite writer lock was held).
    #[test]
    fn arithmetic_saturates_and_never_panics() {
        let max = Date::parse("9999-12-31").unwrap();
        let min = Date::parse("1000-01-01").unwrap();
        let mid = Date::parse("2024-01-31").unwrap();
        let offsets = [
            i32::MIN,
            i32::MIN + 1,
            -1_000_000,
            -13,
            -1,
            0,
            1,
            12,
            13,
            1_000_000,
            i32::MAX - 1,
            i32::MAX,
        ];
        for d in [min, mid, max] {
            for n in offsets {
                for r in [d.add_days(n), d.add_months(n), d.month_start()] {
                    assert!((min..=max).contains(&r), "{d} {n} → {r:?}");
                    assert_eq!(Date::parse(&r.to_string()), Ok(r), "{d} {n}");
                }
            }
        }
        assert_eq!(max.add_days(1), max);
        assert_eq!(max.add_months(1), max);
        assert_eq!(max.add_months(-1).to_string(), "9999-11-30");
        assert_eq!(min.add_days(-1), min);
        assert_eq!(min.add_months(-1), min);
        assert_eq!(Date::parse("9999-12-15").unwrap().add_months(1), max);
        assert_eq!(Date::from_days_since_epoch(i32::MAX), max);
        assert_eq!(Date::from_days_since_epoch(i32::MIN), min);
        assert_eq!(max.days_until(min), FIRST_DAY - LAST_DAY);
    }

    #[test]
    fn adds_months_clamping_to_month_end() {
        let d = Date::parse("2024-01-31").unwrap();
        assert_eq!(d.add_months(1).to_string(), "2024-02-29");
        assert_eq!(d.add_months(24).to_string(), "2026-01-31");
        assert_eq!(d.add_months(-2).to_string(), "2023-11-30");
    }
}
