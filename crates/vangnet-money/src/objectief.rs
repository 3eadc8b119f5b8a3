//! The objective model (*objectief verdeelmodel*) from a yearly data file:
//! `O_raw(g) = V + Σ_k a_k × x_gk`, normalised to the macro budget
//! `O(g) = M × O_raw(g) / Σ O_raw` with [`allocate`] (largest remainder: sums to `M` exactly).
//! Reference `finance.md` formula 1; the official characteristics and amounts are not public,
//! so the shipped file is a clearly marked EXAMPLE.
//!
//! File format (`;`-separated, one record per line, `#` lines are comments):
//! ```text
//! # bron: …            (or: # aanname: …) — exactly one, required
//! jaar;2027
//! macrobudget;600.000.000,00
//! vaste_voet;150.000,00
//! bedrag;inwoners;12,00                (amount per unit of a characteristic)
//! gemeente;inwoners;…                  (header: the characteristics, each with an amount)
//! GM0268;187011;…                      (one row per gemeente, whole numbers)
//! ```
//! Errors name the line: an unknown characteristic (a column without an amount, or an amount
//! without a column), a gemeente without data (a missing row or an empty cell), a non-number.

use std::collections::BTreeMap;

use vangnet_domain::GemeenteCode;
use vangnet_domain::region::Herkomst;

use crate::allocate::allocate;
use crate::cents::Cents;
use crate::rapport::GeldError;

/// The example file shipped for the four regions (not the official weights).
pub const VOORBEELD_2027: &str = include_str!("../../../regions/geld/objectief-voorbeeld-2027.csv");

/// A parsed objective model for one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiefModel {
    /// Budget year of the data.
    pub jaar: i32,
    /// Source or assumption of the file (the EXAMPLE file is an `aanname`).
    pub herkomst: Herkomst,
    /// Macro budget `M` the model is normalised to.
    pub macrobudget: Cents,
    /// Fixed amount per gemeente (*vaste voet*).
    pub vaste_voet: Cents,
    /// Amount per unit of each characteristic, in column order.
    pub bedragen: Vec<(String, Cents)>,
    /// Per gemeente the characteristic values (column order), in file order.
    pub waarden: Vec<(GemeenteCode, Vec<i64>)>,
}

fn err(code: &'static str, line: usize, m: String) -> GeldError {
    GeldError::new(code, format!("objectief model, regel {line}: {m}"))
}

impl ObjectiefModel {
    /// Parse a model file (see the module doc).
    pub fn parse(text: &str) -> Result<ObjectiefModel, GeldError> {
        let mut herkomst: Option<Herkomst> = None;
        let mut jaar = None;
        let mut macro_ = None;
        let mut voet = None;
        let mut bedragen: Vec<(String, Cents, usize)> = Vec::new();
        let mut header: Option<(Vec<String>, usize)> = None;
        let mut waarden: Vec<(GemeenteCode, Vec<i64>)> = Vec::new();
        let money = |s: &str, line: usize, what: &str| {
            Cents::parse(s).map_err(|_| {
                err(
                    "objectief.getal",
                    line,
                    format!("{what} {s:?} is geen bedrag"),
                )
            })
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim();
            if l.is_empty() {
                continue;
            }
            if let Some(c) = l.strip_prefix('#') {
                let c = c.trim();
                let h = if let Some(b) = c.strip_prefix("bron:") {
                    Some(Herkomst::Bron(b.trim().to_owned()))
                } else {
                    c.strip_prefix("aanname:")
                        .map(|a| Herkomst::Aanname(a.trim().to_owned()))
                };
                if let Some(h) = h {
                    if herkomst.is_some() {
                        return Err(err(
                            "objectief.herkomst",
                            line,
                            "tweede bron/aanname-regel: een bestand heeft één bron óf één aanname"
                                .into(),
                        ));
                    }
                    herkomst = Some(h);
                }
                continue;
            }
            let cells: Vec<&str> = l.split(';').map(str::trim).collect();
            match cells[0] {
                "jaar" => {
                    let v = cells.get(1).and_then(|s| s.parse::<i32>().ok());
                    jaar = Some(v.ok_or_else(|| {
                        err("objectief.getal", line, "jaar is geen geheel getal".into())
                    })?);
                }
                "macrobudget" => {
                    macro_ = Some(money(cells.get(1).unwrap_or(&""), line, "macrobudget")?)
                }
                "vaste_voet" => {
                    voet = Some(money(cells.get(1).unwrap_or(&""), line, "vaste voet")?)
                }
                "bedrag" => {
                    let (Some(k), Some(a)) = (cells.get(1), cells.get(2)) else {
                        return Err(err(
                            "objectief.regel",
                            line,
                            "verwacht bedrag;kenmerk;bedrag per eenheid".into(),
                        ));
                    };
                    if bedragen.iter().any(|b| b.0 == *k) {
                        return Err(err(
                            "objectief.dubbel",
                            line,
                            format!("kenmerk {k} heeft al een bedrag"),
                        ));
                    }
                    bedragen.push(((*k).to_owned(), money(a, line, "bedrag per eenheid")?, line));
                }
                "gemeente" => {
                    for k in &cells[1..] {
                        if !bedragen.iter().any(|b| b.0 == *k) {
                            return Err(err(
                                "objectief.onbekend_kenmerk",
                                line,
                                format!(
                                    "onbekend kenmerk {k}: er is geen bedrag per eenheid voor (regels bedrag;… staan vóór de kopregel)"
                                ),
                            ));
                        }
                    }
                    header = Some((cells[1..].iter().map(|s| (*s).to_owned()).collect(), line));
                }
                code => {
                    let Some((cols, _)) = &header else {
                        return Err(err(
                            "objectief.regel",
                            line,
                            format!("onbekende regel {code:?} (vóór de kopregel gemeente;…)"),
                        ));
                    };
                    let g = GemeenteCode::parse(code).map_err(|_| {
                        err(
                            "objectief.gemeente",
                            line,
                            format!("{code:?} is geen gemeentecode (GMxxxx)"),
                        )
                    })?;
                    if waarden.iter().any(|w| w.0 == g) {
                        return Err(err(
                            "objectief.dubbel",
                            line,
                            format!("gemeente {code} staat er twee keer in"),
                        ));
                    }
                    let mut vals = Vec::with_capacity(cols.len());
                    for (j, k) in cols.iter().enumerate() {
                        let cell = cells.get(j + 1).copied().unwrap_or("");
                        if cell.is_empty() {
                            return Err(err(
                                "objectief.geen_gegevens",
                                line,
                                format!("gemeente {code} heeft geen gegevens voor kenmerk {k}"),
                            ));
                        }
                        let v: i64 =
                            cell.parse().ok().filter(|v: &i64| *v >= 0).ok_or_else(|| {
                                err(
                                    "objectief.getal",
                                    line,
                                    format!(
                                        "kenmerk {k} van {code}: {cell:?} is geen geheel getal ≥ 0"
                                    ),
                                )
                            })?;
                        vals.push(v);
                    }
                    if cells.len() > cols.len() + 1 {
                        return Err(err(
                            "objectief.regel",
                            line,
                            format!("gemeente {code}: meer waarden dan kenmerken"),
                        ));
                    }
                    waarden.push((g, vals));
                }
            }
        }
        let herkomst = herkomst.ok_or_else(|| {
            err(
                "objectief.herkomst",
                1,
                "geen regel '# bron: …' of '# aanname: …'".into(),
            )
        })?;
        let (cols, hline) =
            header.ok_or_else(|| err("objectief.regel", 0, "geen kopregel gemeente;…".into()))?;
        for k in &cols {
            if !bedragen.iter().any(|b| &b.0 == k) {
                return Err(err(
                    "objectief.onbekend_kenmerk",
                    hline,
                    format!("onbekend kenmerk {k}: er is geen bedrag per eenheid voor"),
                ));
            }
        }
        for (k, _, line) in &bedragen {
            if !cols.contains(k) {
                return Err(err(
                    "objectief.onbekend_kenmerk",
                    *line,
                    format!("onbekend kenmerk {k}: er is geen kolom met waarden voor"),
                ));
            }
        }
        let bedragen = cols
            .iter()
            .map(|k| {
                (
                    k.clone(),
                    bedragen.iter().find(|b| &b.0 == k).expect("checked").1,
                )
            })
            .collect();
        Ok(ObjectiefModel {
            jaar: jaar.ok_or_else(|| err("objectief.regel", 0, "regel jaar;… ontbreekt".into()))?,
            herkomst,
            macrobudget: macro_
                .ok_or_else(|| err("objectief.regel", 0, "regel macrobudget;… ontbreekt".into()))?,
            vaste_voet: voet
                .ok_or_else(|| err("objectief.regel", 0, "regel vaste_voet;… ontbreekt".into()))?,
            bedragen,
            waarden,
        })
    }

    /// The shipped EXAMPLE model ([`VOORBEELD_2027`]; not the official weights).
    pub fn voorbeeld() -> ObjectiefModel {
        ObjectiefModel::parse(VOORBEELD_2027).expect("the shipped example model is valid")
    }

    /// `O_raw(g) = V + Σ a_k x_gk` in cents, exact.
    pub fn ruw(&self, gemeente: GemeenteCode) -> Option<i128> {
        let (_, x) = self.waarden.iter().find(|w| w.0 == gemeente)?;
        let sum: i128 = self
            .bedragen
            .iter()
            .zip(x)
            .map(|((_, a), &v)| i128::from(a.0) * i128::from(v))
            .sum();
        Some(i128::from(self.vaste_voet.0) + sum)
    }

    /// `O(g)` for every gemeente in the file, normalised to the macro budget (sums to it
    /// exactly), in file order.
    pub fn budgetten(&self) -> Result<Vec<(GemeenteCode, Cents)>, GeldError> {
        let weights: Vec<u64> = self
            .waarden
            .iter()
            .map(|(g, _)| {
                u64::try_from(self.ruw(*g).expect("present")).map_err(|_| GeldError::overloop())
            })
            .collect::<Result<_, _>>()?;
        let parts = allocate(self.macrobudget, &weights)
            .map_err(|e| GeldError::new("objectief.leeg", format!("objectief model: {e}")))?;
        Ok(self.waarden.iter().map(|w| w.0).zip(parts).collect())
    }

    /// `O(g)` for the given gemeenten (e.g. a region's), each of which must be in the file:
    /// otherwise `objectief.geen_gegevens` naming the gemeente.
    pub fn voor(
        &self,
        gemeenten: &[GemeenteCode],
    ) -> Result<Vec<(GemeenteCode, Cents)>, GeldError> {
        let all: BTreeMap<GemeenteCode, Cents> = self.budgetten()?.into_iter().collect();
        gemeenten
            .iter()
            .map(|g| {
                all.get(g).map(|c| (*g, *c)).ok_or_else(|| {
                    GeldError::new(
                        "objectief.geen_gegevens",
                        format!("objectief model {}: gemeente {g} heeft geen gegevens (geen regel in het bestand)", self.jaar),
                    )
                })
            })
            .collect()
    }
}
