//! The register of CBS gemeentecodes: which codes exist, since when, and what replaced the
//! retired ones (municipal mergers). Compiled in from `data/gemeenten.csv`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::date::Date;
use crate::ids::GemeenteCode;

/// One municipality code with its period of validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gemeente {
    /// The CBS code.
    pub code: GemeenteCode,
    /// The municipality's name.
    pub name: String,
    /// First day the code was in use.
    pub valid_from: Date,
    /// Last day the code was in use; `None` while current.
    pub valid_to: Option<Date>,
    /// The code a retired municipality merged into, if it went whole into one.
    pub successor: Option<GemeenteCode>,
}

/// Why a gemeentecode cannot be used on a given date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GemeenteError {
    /// Syntactically fine but not a known municipality.
    #[error("gemeentecode {0} is onbekend")]
    Unknown(GemeenteCode),
    /// The municipality no longer existed on that date.
    #[error("gemeentecode {code} ({name}) bestaat niet meer op {date}: opgeheven per {ended}{}", successor.map(|s| format!(", opgevolgd door {s}")).unwrap_or_default())]
    Retired {
        /// The retired code.
        code: GemeenteCode,
        /// Its name.
        name: String,
        /// The date asked about.
        date: Date,
        /// Last day of validity.
        ended: Date,
        /// Successor, if any.
        successor: Option<GemeenteCode>,
    },
    /// The municipality did not exist yet on that date.
    #[error("gemeentecode {code} ({name}) bestond nog niet op {date}")]
    NotYet {
        /// The code.
        code: GemeenteCode,
        /// Its name.
        name: String,
        /// The date asked about.
        date: Date,
    },
}

/// The register itself.
#[derive(Debug)]
pub struct Gemeenten {
    by_code: HashMap<GemeenteCode, Gemeente>,
}

impl Gemeenten {
    /// The compiled-in national register.
    pub fn national() -> &'static Gemeenten {
        static REG: OnceLock<Gemeenten> = OnceLock::new();
        REG.get_or_init(|| {
            Gemeenten::parse(include_str!("../data/gemeenten.csv"))
                .expect("embedded gemeenten.csv is valid")
        })
    }

    /// Parse the CSV form (`code,name,valid_from,valid_to,successor`, `#` comments).
    pub fn parse(text: &str) -> Result<Gemeenten, String> {
        let mut by_code = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split(',').collect();
            let err = |m: String| format!("regel {}: {m}", i + 1);
            if f.len() != 5 {
                return Err(err(format!("verwacht 5 velden, gevonden {}", f.len())));
            }
            let code = GemeenteCode::parse(f[0]).map_err(|e| err(e.to_string()))?;
            let opt_date = |s: &str| {
                if s.is_empty() {
                    Ok(None)
                } else {
                    Date::parse(s).map(Some)
                }
            };
            let g = Gemeente {
                code,
                name: f[1].to_owned(),
                valid_from: Date::parse(f[2]).map_err(|e| err(e.to_string()))?,
                valid_to: opt_date(f[3]).map_err(|e| err(e.to_string()))?,
                successor: if f[4].is_empty() {
                    None
                } else {
                    Some(GemeenteCode::parse(f[4]).map_err(|e| err(e.to_string()))?)
                },
            };
            if by_code.insert(code, g).is_some() {
                return Err(err(format!("{code} staat er dubbel in")));
            }
        }
        Ok(Gemeenten { by_code })
    }

    /// Look a code up regardless of date.
    pub fn get(&self, code: GemeenteCode) -> Option<&Gemeente> {
        self.by_code.get(&code)
    }

    /// The municipality if its code was valid on `date`.
    pub fn valid_on(&self, code: GemeenteCode, date: Date) -> Result<&Gemeente, GemeenteError> {
        let g = self
            .by_code
            .get(&code)
            .ok_or(GemeenteError::Unknown(code))?;
        if date < g.valid_from {
            return Err(GemeenteError::NotYet {
                code,
                name: g.name.clone(),
                date,
            });
        }
        match g.valid_to {
            Some(ended) if date > ended => Err(GemeenteError::Retired {
                code,
                name: g.name.clone(),
                date,
                ended,
                successor: g.successor,
            }),
            _ => Ok(g),
        }
    }

    /// Follow successors from a (possibly retired) code to the one valid today.
    pub fn current_successor(&self, mut code: GemeenteCode) -> Option<GemeenteCode> {
        for _ in 0..10 {
            let g = self.by_code.get(&code)?;
            match (g.valid_to, g.successor) {
                (None, _) => return Some(code),
                (Some(_), Some(next)) => code = next,
                (Some(_), None) => return None,
            }
        }
        None
    }

    /// The municipality called `name` on `date` (case, accents-as-typed and surrounding
    /// spaces ignored: "den bosch" does not match "'s-Hertogenbosch", "ARNHEM" matches
    /// "Arnhem"), for a picker by name.
    pub fn by_name_on(&self, name: &str, date: Date) -> Option<&Gemeente> {
        let name = name.trim().to_lowercase();
        self.by_code
            .values()
            .filter(|g| g.name.to_lowercase() == name)
            .find(|g| self.valid_on(g.code, date).is_ok())
    }

    /// All codes current on `date`, sorted.
    pub fn current_on(&self, date: Date) -> Vec<&Gemeente> {
        let mut v: Vec<_> = self
            .by_code
            .values()
            .filter(|g| self.valid_on(g.code, date).is_ok())
            .collect();
        v.sort_by_key(|g| g.code);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }
    fn gm(s: &str) -> GemeenteCode {
        GemeenteCode::parse(s).unwrap()
    }

    #[test]
    fn a_gemeente_is_found_by_its_name_on_a_date() {
        let reg = Gemeenten::national();
        let arnhem = reg.by_name_on("  arnhem ", d("2024-01-01")).unwrap();
        assert_eq!(arnhem.code, gm("GM0202"));
        assert!(reg.by_name_on("Arnhemm", d("2024-01-01")).is_none());
        // Zaltbommel exists; a name retired by a merger is not current after it.
        let name = &reg.get(gm("GM0297")).unwrap().name;
        assert!(reg.by_name_on(name, d("2024-01-01")).is_some());
        let retired = reg
            .by_code
            .values()
            .find(|g| {
                g.valid_to.is_some()
                    && reg
                        .current_on(d("2024-01-01"))
                        .iter()
                        .all(|c| c.name != g.name)
            })
            .unwrap();
        assert!(reg.by_name_on(&retired.name, d("2024-01-01")).is_none());
        assert!(reg.by_name_on(&retired.name, retired.valid_from).is_some());
    }

    #[test]
    fn embedded_register_parses_and_knows_arnhem() {
        let r = Gemeenten::national();
        assert_eq!(
            r.valid_on(gm("GM0202"), d("2024-01-01")).unwrap().name,
            "Arnhem"
        );
    }

    #[test]
    fn retired_codes_name_their_successor() {
        let r = Gemeenten::national();
        let e = r.valid_on(gm("GM0236"), d("2020-06-01")).unwrap_err();
        assert!(matches!(e, GemeenteError::Retired { .. }));
        assert!(e.to_string().contains("GM1960"), "{e}");
        assert!(r.valid_on(gm("GM0236"), d("2018-06-01")).is_ok());
        assert_eq!(r.current_successor(gm("GM0693")), Some(gm("GM1978")));
    }

    #[test]
    fn unknown_and_not_yet_existing_codes_are_refused() {
        let r = Gemeenten::national();
        assert_eq!(
            r.valid_on(gm("GM9999"), d("2020-01-01")),
            Err(GemeenteError::Unknown(gm("GM9999")))
        );
        assert!(matches!(
            r.valid_on(gm("GM1960"), d("2018-01-01")),
            Err(GemeenteError::NotYet { .. })
        ));
    }
}
