//! Instants and Dutch civil time: `recorded_at` is an instant ([`Timestamp`], stored as RFC
//! 3339 in UTC with milliseconds), "today" and every time shown to a person are civil date and
//! time in Europe/Amsterdam (CET/CEST). The time-zone rules come from the tz database bundled
//! into the binary (`jiff`, feature `tzdb-bundle-always`), so a machine without
//! `/usr/share/zoneinfo` gives the same answers.
//!
//! Pure: nothing here reads the clock. The store and the binary read it once (`Timestamp::now`)
//! and pass the instant in.

use std::sync::LazyLock;

use jiff::civil::DateTime;
use jiff::tz::{self, TimeZone};

use crate::Date;

pub use jiff::Timestamp;

/// The IANA name of the time zone of every civil time in Vangnet.
pub const TIME_ZONE: &str = "Europe/Amsterdam";

/// Europe/Amsterdam from the bundled tz database.
static AMSTERDAM: LazyLock<TimeZone> = LazyLock::new(|| {
    tz::db()
        .get(TIME_ZONE)
        .expect("Europe/Amsterdam is in the bundled tz database")
});

/// The civil date in the Netherlands at the instant `now`: the day a clerk calls "today".
/// (Between 00:00 and 01:00/02:00 Dutch time the UTC date is still yesterday.)
pub fn today_in_amsterdam(now: Timestamp) -> Date {
    let d = AMSTERDAM.to_datetime(now).date();
    Date::from_ymd(
        i32::from(d.year()),
        u32::from(d.month().unsigned_abs()),
        u32::from(d.day().unsigned_abs()),
    )
    .expect("a civil date of jiff's range is a valid date")
}

/// The civil date and time in the Netherlands at an instant.
pub fn in_amsterdam(at: Timestamp) -> DateTime {
    AMSTERDAM.to_datetime(at)
}

/// An instant as shown to a person: Dutch civil time, `dd-mm-jjjj uu:mm`.
pub fn amsterdam_label(at: Timestamp) -> String {
    let t = in_amsterdam(at);
    format!(
        "{:02}-{:02}-{:04} {:02}:{:02}",
        t.day(),
        t.month(),
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// An instant as stored and exported: RFC 3339 in UTC with milliseconds,
/// `JJJJ-MM-DDTuu:mm:ss.mmmZ` (the format `recorded_at` has always had).
pub fn rfc3339(at: Timestamp) -> String {
    format!("{at:.3}")
}

/// The instant truncated to whole milliseconds, the precision it is stored with (so an event
/// in memory equals the same event read back).
pub fn to_millis(at: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(at.as_millisecond()).expect("in range")
}

/// Parse an instant written in RFC 3339 with an offset (`Z`, `+01:00`, …), as an import file
/// must give `recorded_at`. The error is Dutch and shows the expected form.
pub fn parse_instant(s: &str) -> Result<Timestamp, String> {
    s.parse::<Timestamp>().map_err(|_| {
        format!("'{s}' is geen tijdstip volgens RFC 3339 met tijdzone (JJJJ-MM-DDTuu:mm:ss.mmmZ)")
    })
}

/// Parse a stored `recorded_at`: RFC 3339 with an offset, or — for rows written before the
/// column was typed, from import files that were not checked — a date and time without offset
/// (read as UTC, as the column always was) or a bare date (00:00 UTC).
pub fn parse_stored_instant(s: &str) -> Option<Timestamp> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    let civil = s.trim().parse::<DateTime>().ok()?;
    TimeZone::UTC.to_timestamp(civil).ok()
}

/// Serde for `recorded_at`: the RFC 3339 string of [`rfc3339`], so files and JSON keep their
/// format; reading accepts any RFC 3339 instant.
pub mod serde_rfc3339 {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Timestamp;

    /// Write the instant as `JJJJ-MM-DDTuu:mm:ss.mmmZ`.
    pub fn serialize<S: Serializer>(at: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339(*at))
    }

    /// Read an RFC 3339 instant.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::parse_instant(&s).map_err(serde::de::Error::custom)
    }

    /// The same for an optional instant (`null` or absent is `None`).
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        use super::Timestamp;

        /// Write the instant (or `null`).
        pub fn serialize<S: Serializer>(at: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => super::serialize(at, s),
                None => s.serialize_none(),
            }
        }

        /// Read an RFC 3339 instant or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
            let s = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
            s.map(|s| super::super::parse_instant(&s).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn today_is_the_dutch_date_at_the_day_boundary() {
        // Winter time (CET, UTC+1): 23:30 UTC on the 28th is 00:30 on the 29th.
        assert_eq!(
            today_in_amsterdam(at("2026-03-28T23:30:00Z")),
            d("2026-03-29")
        );
        assert_eq!(
            today_in_amsterdam(at("2026-03-28T22:59:59Z")),
            d("2026-03-28")
        );
        assert_eq!(
            today_in_amsterdam(at("2026-03-28T23:00:00Z")),
            d("2026-03-29")
        );
        // Summer time (CEST, UTC+2): 22:30 UTC on 1 July is 00:30 on 2 July.
        assert_eq!(
            today_in_amsterdam(at("2026-07-01T22:30:00Z")),
            d("2026-07-02")
        );
        assert_eq!(
            today_in_amsterdam(at("2026-07-01T21:59:59Z")),
            d("2026-07-01")
        );
        assert_eq!(
            today_in_amsterdam(at("2026-07-01T22:00:00Z")),
            d("2026-07-02")
        );
        // New Year in Amsterdam an hour before UTC.
        assert_eq!(
            today_in_amsterdam(at("2025-12-31T23:00:00Z")),
            d("2026-01-01")
        );
    }

    #[test]
    fn the_dst_switch_days() {
        // 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00 UTC). The day has 23 hours:
        // it starts at 23:00 UTC the day before and ends at 22:00 UTC.
        assert_eq!(
            today_in_amsterdam(at("2026-03-28T23:00:00Z")),
            d("2026-03-29")
        );
        assert_eq!(
            today_in_amsterdam(at("2026-03-29T21:59:59Z")),
            d("2026-03-29")
        );
        assert_eq!(
            today_in_amsterdam(at("2026-03-29T22:00:00Z")),
            d("2026-03-30")
        );
        assert_eq!(
            amsterdam_label(at("2026-03-29T00:59:00Z")),
            "29-03-2026 01:59"
        );
        assert_eq!(
            amsterdam_label(at("2026-03-29T01:00:00Z")),
            "29-03-2026 03:00"
        );
        // 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00 UTC). The day has 25 hours:
        // it starts at 22:00 UTC the day before and ends at 23:00 UTC.
        assert_eq!(
            today_in_amsterdam(at("2026-10-24T21:59:59Z")),
            d("2026-10-24")
        );
        assert_eq!(
            today_in_amsterdam(at("2026-10-24T22:00:00Z")),
            d("2026-10-25")
        );
        assert_eq!(
            today_in_amsterdam(at("2026-10-25T22:59:59Z")),
            d("2026-10-25")
        );
        assert_eq!(
            today_in_amsterdam(at("2026-10-25T23:00:00Z")),
            d("2026-10-26")
        );
        // 02:30 happens twice that night.
        assert_eq!(
            amsterdam_label(at("2026-10-25T00:30:00Z")),
            "25-10-2026 02:30"
        );
        assert_eq!(
            amsterdam_label(at("2026-10-25T01:30:00Z")),
            "25-10-2026 02:30"
        );
    }

    #[test]
    fn labels_show_dutch_civil_time() {
        assert_eq!(
            amsterdam_label(at("2024-03-07T10:11:12.345Z")),
            "07-03-2024 11:11"
        );
        assert_eq!(
            amsterdam_label(at("2024-07-07T10:11:12Z")),
            "07-07-2024 12:11"
        );
        assert_eq!(
            amsterdam_label(at("2024-12-31T23:59:00Z")),
            "01-01-2025 00:59"
        );
    }

    #[test]
    fn stored_format_round_trips() {
        for s in [
            "2024-01-02T10:00:00.000Z",
            "2026-03-28T23:30:00.120Z",
            "1999-12-31T23:59:59.999Z",
        ] {
            assert_eq!(rfc3339(at(s)), s);
            assert_eq!(parse_instant(s).unwrap(), at(s));
        }
        // Other offsets and precisions are read and written back in UTC with milliseconds.
        assert_eq!(
            rfc3339(at("2026-03-29T01:30:00+01:00")),
            "2026-03-29T00:30:00.000Z"
        );
        assert_eq!(
            rfc3339(at("2026-03-29T01:30:00.123456Z")),
            "2026-03-29T01:30:00.123Z"
        );
        assert_eq!(
            to_millis(at("2026-03-29T01:30:00.123456Z")),
            at("2026-03-29T01:30:00.123Z")
        );
        // Import files must say which instant: no offset, no instant.
        for bad in ["2024-01-02T10:00:00", "2024-01-02", "gisteren", ""] {
            let e = parse_instant(bad).unwrap_err();
            assert!(e.contains("RFC 3339"), "{e}");
        }
        // Rows stored before the column was typed are still read.
        assert_eq!(
            parse_stored_instant("2024-01-02T10:00:00"),
            Some(at("2024-01-02T10:00:00Z"))
        );
        assert_eq!(
            parse_stored_instant("2024-01-02"),
            Some(at("2024-01-02T00:00:00Z"))
        );
        assert_eq!(parse_stored_instant("gisteren"), None);
    }

    #[test]
    fn serde_keeps_the_string_format() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct R {
            #[serde(with = "serde_rfc3339")]
            at: Timestamp,
            #[serde(default, with = "serde_rfc3339::option")]
            maybe: Option<Timestamp>,
        }
        let r = R {
            at: at("2024-01-02T10:00:00Z"),
            maybe: None,
        };
        let j = serde_json::to_string(&r).unwrap();
        assert_eq!(j, r#"{"at":"2024-01-02T10:00:00.000Z","maybe":null}"#);
        assert_eq!(serde_json::from_str::<R>(&j).unwrap(), r);
        let r: R = serde_json::from_str(r#"{"at":"2024-01-02T11:00:00+01:00"}"#).unwrap();
        assert_eq!(r.at, at("2024-01-02T10:00:00Z"));
        assert_eq!(r.maybe, None);
        let e = serde_json::from_str::<R>(r#"{"at":"2024-01-02 10:00"}"#).unwrap_err();
        assert!(e.to_string().contains("RFC 3339"), "{e}");
    }
}
