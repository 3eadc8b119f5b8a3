//! Validated identifiers: BSN, CBS gemeentecode, AGB code, and Vangnet's own ids.
//!
//! Every type here is parsed, never trusted: construction validates, and the raw form is
//! only available through `Display`/`as_str`. The BSN is special-category-adjacent personal
//! data: its `Debug` is redacted so it never lands in a log by accident.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why an identifier was refused. The message names the field's Dutch label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// BSN not 9 digits or failing the elfproef.
    #[error("BSN ongeldig: {0}")]
    Bsn(&'static str),
    /// Gemeentecode not `GM` + 4 digits.
    #[error("gemeentecode '{0}' is niet van de vorm GM + 4 cijfers (bijv. GM0202)")]
    Gemeente(String),
    /// AGB code not 8 digits.
    #[error("AGB-code '{0}' moet uit precies 8 cijfers bestaan")]
    Agb(String),
    /// Client id not `P` + digits.
    #[error("cliëntnummer '{0}' is niet van de vorm P + cijfers (bijv. P00001234)")]
    Client(String),
    /// A code (region, product, location) with characters outside `[a-z0-9-]` or empty.
    #[error("code '{0}' mag alleen kleine letters, cijfers en '-' bevatten (1–64 tekens)")]
    Code(String),
}

/// Burgerservicenummer: 9 digits passing the elfproef (11-test).
///
/// Vangnet only ever holds synthetic people; see [`Bsn::is_synthetic_range`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bsn(u32);

impl Bsn {
    /// Parse a BSN, checking length, digits and the elfproef.
    pub fn parse(s: &str) -> Result<Bsn, IdError> {
        let s = s.trim();
        if s.len() != 9 {
            return Err(IdError::Bsn("moet uit precies 9 cijfers bestaan"));
        }
        let mut digits = [0u32; 9];
        for (i, c) in s.bytes().enumerate() {
            if !c.is_ascii_digit() {
                return Err(IdError::Bsn("mag alleen cijfers bevatten"));
            }
            digits[i] = u32::from(c - b'0');
        }
        if !elfproef(&digits) {
            return Err(IdError::Bsn("voldoet niet aan de elfproef"));
        }
        Ok(Bsn(s.parse().expect("nine digits")))
    }

    /// Build a BSN from its first eight digits (`prefix` < 10^8) by choosing the check digit;
    /// `None` when no check digit satisfies the elfproef (or the result would be all zeros).
    pub fn with_check_digit(prefix: u32) -> Option<Bsn> {
        if prefix >= 100_000_000 || prefix == 0 {
            return None;
        }
        let mut digits = [0u32; 9];
        let mut p = prefix;
        for i in (0..8).rev() {
            digits[i] = p % 10;
            p /= 10;
        }
        let partial: u32 = (0..8).map(|i| digits[i] * (9 - i as u32)).sum();
        // sum - last == 0 (mod 11)  =>  last == partial (mod 11)
        let last = partial % 11;
        if last > 9 {
            return None;
        }
        Some(Bsn(prefix * 10 + last))
    }

    /// Synthetic BSNs are issued from the 9xxxxxxxx range (never issued to real residents
    /// in Vangnet's demo and test data); real deployments may drop this restriction.
    pub fn is_synthetic_range(self) -> bool {
        self.0 >= 900_000_000
    }

    /// The nine digits with leading zeros.
    pub fn digits(self) -> String {
        format!("{:09}", self.0)
    }
}

fn elfproef(d: &[u32; 9]) -> bool {
    let sum: i64 = (0..8)
        .map(|i| i64::from(d[i]) * (9 - i as i64))
        .sum::<i64>()
        - i64::from(d[8]);
    sum % 11 == 0 && d.iter().any(|&x| x != 0)
}

impl fmt::Debug for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bsn(***)")
    }
}

impl Serialize for Bsn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.digits())
    }
}

impl<'de> Deserialize<'de> for Bsn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Bsn::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// CBS gemeentecode, written `GM0202` (Arnhem). Syntax only; whether the code exists on a
/// date is [`crate::gemeenten::Gemeenten`]'s question.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GemeenteCode(u16);

impl GemeenteCode {
    /// Parse `GMdddd`.
    pub fn parse(s: &str) -> Result<GemeenteCode, IdError> {
        let b = s.as_bytes();
        if b.len() == 6 && (b[0] == b'G' && b[1] == b'M') && b[2..].iter().all(u8::is_ascii_digit) {
            Ok(GemeenteCode(s[2..].parse().expect("four digits")))
        } else {
            Err(IdError::Gemeente(s.to_owned()))
        }
    }

    /// The 4-digit number.
    pub fn number(self) -> u16 {
        self.0
    }
}

impl fmt::Display for GemeenteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GM{:04}", self.0)
    }
}

impl fmt::Debug for GemeenteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// AGB code (Algemeen GegevensBeheer zorgverleners): 8 digits identifying a care provider.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgbCode(u32);

impl AgbCode {
    /// Parse exactly eight digits.
    pub fn parse(s: &str) -> Result<AgbCode, IdError> {
        if s.len() == 8 && s.bytes().all(|c| c.is_ascii_digit()) {
            Ok(AgbCode(s.parse().expect("eight digits")))
        } else {
            Err(IdError::Agb(s.to_owned()))
        }
    }
}

impl fmt::Display for AgbCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08}", self.0)
    }
}

impl fmt::Debug for AgbCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Vangnet's pseudonymous client id (`P` + 8 digits). Everything analytical uses this, never
/// the BSN; the link to the person lives only in the person record.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientId(pub u64);

impl ClientId {
    /// Parse `P` followed by digits.
    pub fn parse(s: &str) -> Result<ClientId, IdError> {
        match s.strip_prefix('P') {
            Some(n) if !n.is_empty() && n.len() <= 15 && n.bytes().all(|c| c.is_ascii_digit()) => {
                Ok(ClientId(n.parse().expect("digits")))
            }
            _ => Err(IdError::Client(s.to_owned())),
        }
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{:08}", self.0)
    }
}

impl fmt::Debug for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

macro_rules! serde_via_str {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <$t>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
        impl std::str::FromStr for $t {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$t>::parse(s)
            }
        }
    };
}
serde_via_str!(GemeenteCode);
serde_via_str!(AgbCode);
serde_via_str!(ClientId);

macro_rules! code_type {
    ($(#[$doc:meta])* $t:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $t(String);

        impl $t {
            /// Parse a lowercase code of `[a-z0-9-]`, 1–64 characters.
            pub fn parse(s: &str) -> Result<$t, IdError> {
                if !s.is_empty()
                    && s.len() <= 64
                    && s.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                {
                    Ok($t(s.to_owned()))
                } else {
                    Err(IdError::Code(s.to_owned()))
                }
            }
            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        serde_via_str!($t);
    };
}

code_type!(
    /// A region's id, e.g. `centraal-gelderland`.
    RegionId
);
code_type!(
    /// A product code from a region's catalogue, e.g. `bw-groepswonen`.
    ProductCode
);
code_type!(
    /// A provider location's id, unique within its region, e.g. `rib-arnhem-centrum`.
    LocationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsn_elfproef_accepts_known_valid_numbers() {
        // 111222333: 9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3-1*3 = 66 = 6*11.
        assert!(Bsn::parse("111222333").is_ok());
        assert!(Bsn::parse("123456782").is_ok());
    }

    #[test]
    fn bsn_rejections_say_why() {
        assert_eq!(
            Bsn::parse("123456789").unwrap_err(),
            IdError::Bsn("voldoet niet aan de elfproef")
        );
        assert_eq!(
            Bsn::parse("12345678").unwrap_err(),
            IdError::Bsn("moet uit precies 9 cijfers bestaan")
        );
        assert_eq!(
            Bsn::parse("12345678a").unwrap_err(),
            IdError::Bsn("mag alleen cijfers bevatten")
        );
        assert!(Bsn::parse("000000000").is_err());
    }

    #[test]
    fn generated_check_digits_always_pass_the_elfproef() {
        let mut made = 0;
        for prefix in 90_000_000..90_001_000 {
            if let Some(b) = Bsn::with_check_digit(prefix) {
                assert!(Bsn::parse(&b.digits()).is_ok(), "{}", b.digits());
                assert!(b.is_synthetic_range());
                made += 1;
            }
        }
        assert!(
            made > 850,
            "about 10/11 of prefixes have a check digit, got {made}"
        );
    }

    #[test]
    fn bsn_debug_never_shows_digits() {
        let b = Bsn::parse("111222333").unwrap();
        assert_eq!(format!("{b:?}"), "Bsn(***)");
    }

    #[test]
    fn gemeentecode_round_trips_and_rejects() {
        assert_eq!(GemeenteCode::parse("GM0202").unwrap().to_string(), "GM0202");
        for bad in ["0202", "GM202", "gm0202", "GM02020", "GMabcd"] {
            assert!(GemeenteCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn agb_and_client_ids() {
        assert_eq!(AgbCode::parse("03012345").unwrap().to_string(), "03012345");
        assert!(AgbCode::parse("3012345").is_err());
        assert_eq!(ClientId::parse("P00000042").unwrap(), ClientId(42));
        assert_eq!(ClientId(42).to_string(), "P00000042");
        assert!(ClientId::parse("X1").is_err());
        assert!(RegionId::parse("Centraal").is_err());
    }
}
