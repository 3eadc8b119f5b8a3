//! `Maand`: a calendar month (year and month), the unit of the monitor and the forecast.
//!
//! The monitor stores months as the integer key `yyyymm` (and years as `yyyy00`); that key is
//! kept wherever it is a storage or sort key. Every calculation with months — adding months,
//! months between two months, the first and last day, quarters — happens here, not in
//! `yyyymm` arithmetic at the call sites.

use std::fmt;

use crate::Date;

/// A calendar month, e.g. september 2026. Ordered in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Maand {
    /// Months since January of year 0: `year * 12 + (month - 1)`.
    index: i32,
}

/// Why a text is not a month (Dutch, for the user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaandError(pub String);

impl fmt::Display for MaandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MaandError {}

const NAMEN: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const NAMEN_KORT: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

impl Maand {
    /// Month `maand` (1..=12) of `jaar` (0..=9999).
    pub fn new(jaar: i32, maand: u32) -> Option<Maand> {
        ((0..=9999).contains(&jaar) && (1..=12).contains(&maand)).then_some(Maand {
            index: jaar * 12 + maand as i32 - 1,
        })
    }

    /// The month of a date.
    pub fn of(d: Date) -> Maand {
        let (y, m, _) = d.ymd();
        Maand {
            index: y * 12 + m as i32 - 1,
        }
    }

    /// From the storage key `yyyymm`; `None` for a yearly key `yyyy00` or anything else.
    pub fn from_key(key: u32) -> Option<Maand> {
        Maand::new((key / 100) as i32, key % 100)
    }

    /// Months since January of year 0 of a storage key, without validation (a yearly key
    /// `yyyy00` counts as January) — for hot loops over stored cells whose keys were written
    /// by [`Maand::key`].
    pub fn index_of_key(key: u32) -> u32 {
        key / 100 * 12 + (key % 100).max(1) - 1
    }

    /// The storage key `yyyymm`.
    pub fn key(self) -> u32 {
        (self.jaar() as u32) * 100 + self.nummer()
    }

    /// The year.
    pub fn jaar(self) -> i32 {
        self.index.div_euclid(12)
    }

    /// The month number, 1..=12.
    pub fn nummer(self) -> u32 {
        self.index.rem_euclid(12) as u32 + 1
    }

    /// `n` months later (earlier for negative `n`).
    pub fn plus(self, n: i32) -> Maand {
        Maand {
            index: self.index + n,
        }
    }

    /// Months from `self` to `later` (`later - self`; negative when `later` is earlier).
    pub fn between(self, later: Maand) -> i32 {
        later.index - self.index
    }

    /// The first day.
    pub fn first_day(self) -> Date {
        Date::from_ymd(self.jaar(), self.nummer(), 1).expect("the first of a month exists")
    }

    /// The last day.
    pub fn last_day(self) -> Date {
        self.plus(1).first_day().add_days(-1)
    }

    /// The quarter, 1..=4.
    pub fn kwartaal(self) -> u32 {
        (self.nummer() - 1) / 3 + 1
    }

    /// The Dutch name of the month alone: `september`.
    pub fn maandnaam(self) -> &'static str {
        NAMEN[self.nummer() as usize - 1]
    }

    /// `september 2026`.
    pub fn naam(self) -> String {
        format!("{} {}", self.maandnaam(), self.jaar())
    }

    /// `sep '26`.
    pub fn kort(self) -> String {
        format!(
            "{} '{:02}",
            NAMEN_KORT[self.nummer() as usize - 1],
            self.jaar().rem_euclid(100)
        )
    }

    /// Parse `JJJJ-MM` (also `JJJJMM`, surrounding spaces allowed). Never panics, whatever
    /// the input; the error says in Dutch what was expected.
    pub fn parse(s: &str) -> Result<Maand, MaandError> {
        let t = s.trim();
        let fout = || {
            MaandError(format!(
                "'{t}' is geen maand (verwacht JJJJ-MM, bijvoorbeeld 2026-09)."
            ))
        };
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        let (y, m) = match t.split_once('-') {
            Some((y, m)) if y.len() == 4 && (1..=2).contains(&m.len()) => (y, m),
            Some(_) => return Err(fout()),
            // Only ASCII digits, so byte offsets are character boundaries.
            None if t.len() == 6 && digits(t) => (&t[..4], &t[4..]),
            None => return Err(fout()),
        };
        if !digits(y) || !digits(m) {
            return Err(fout());
        }
        let jaar: i32 = y.parse().map_err(|_| fout())?;
        let maand: u32 = m.parse().map_err(|_| fout())?;
        Maand::new(jaar, maand).ok_or_else(|| {
            MaandError(format!(
                "'{t}' is geen maand: het maandnummer ligt tussen 01 en 12."
            ))
        })
    }
}

/// `2026-09` (the value of an `<input type="month">`).
impl fmt::Display for Maand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.jaar(), self.nummer())
    }
}

impl std::str::FromStr for Maand {
    type Err = MaandError;
    fn from_str(s: &str) -> Result<Maand, MaandError> {
        Maand::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, n: u32) -> Maand {
        Maand::new(y, n).unwrap()
    }

    #[test]
    fn keys_arithmetic_and_days() {
        assert_eq!(m(2026, 9).key(), 202609);
        assert_eq!(Maand::from_key(202609), Some(m(2026, 9)));
        assert_eq!(Maand::from_key(202600), None, "a yearly key is no month");
        assert_eq!(m(2026, 1).plus(-1), m(2025, 12));
        assert_eq!(m(2025, 12).plus(1), m(2026, 1));
        assert_eq!(m(2026, 3).plus(-27), m(2023, 12));
        assert_eq!(m(2024, 11).between(m(2026, 10)), 23);
        assert_eq!(m(2026, 10).between(m(2024, 11)), -23);
        for k in [202601, 202612, 199907] {
            let mm = Maand::from_key(k).unwrap();
            assert_eq!(
                Maand::index_of_key(k) as i32,
                Maand::new(0, 1).unwrap().between(mm)
            );
        }
        assert_eq!(Maand::index_of_key(202600), Maand::index_of_key(202601));
        assert_eq!(m(2024, 2).last_day(), Date::from_ymd(2024, 2, 29).unwrap());
        assert_eq!(
            m(2023, 12).last_day(),
            Date::from_ymd(2023, 12, 31).unwrap()
        );
        assert_eq!(
            m(2023, 12).first_day(),
            Date::from_ymd(2023, 12, 1).unwrap()
        );
        assert_eq!(Maand::of(Date::from_ymd(2026, 9, 30).unwrap()), m(2026, 9));
        assert_eq!(
            (
                m(2026, 1).kwartaal(),
                m(2026, 3).kwartaal(),
                m(2026, 12).kwartaal()
            ),
            (1, 1, 4)
        );
    }

    #[test]
    fn dutch_names_and_display() {
        assert_eq!(m(2026, 9).naam(), "september 2026");
        assert_eq!(m(2026, 9).kort(), "sep '26");
        assert_eq!(m(2003, 3).kort(), "mrt '03");
        assert_eq!(m(2026, 9).to_string(), "2026-09");
    }

    #[test]
    fn parse_accepts_both_forms_and_never_panics() {
        assert_eq!(Maand::parse("2026-09"), Ok(m(2026, 9)));
        assert_eq!(Maand::parse(" 2026-9 "), Ok(m(2026, 9)));
        assert_eq!(Maand::parse("202609"), Ok(m(2026, 9)));
        for bad in [
            "",
            "2026",
            "2026-13",
            "2026-00",
            "20261",
            "2026-",
            "-09",
            "abcd-ef",
            "2026-+9",
            "+02609",
            "202€",
            "202€€",
            "20€€",
            "2026-€",
            "€€€€-01",
            "ßßß",
            "2026-09-01",
            "9999999999999-01",
        ] {
            let e = Maand::parse(bad).expect_err(bad);
            assert!(e.0.contains("geen maand"), "{bad}: {e}");
        }
        // Every 6-byte string of multi-byte characters: an error, no panic.
        for s in ["20€2", "€202", "2€€", "é2026", "2026é"] {
            assert!(Maand::parse(s).is_err(), "{s}");
        }
    }
}
