//! The finance profile of a region: `regions/geld/<region-id>.toml`, embedded, parsed with
//! [`FinanceProfile::parse`] against the region profile, every error naming its line.
//!
//! It holds the tariffs (indexed per year), the historical budget per year (the
//! centrumgemeente's integratie-uitkering BW + decentralisatie-uitkering MO for the region)
//! and its internal split, the Wlz uitname (macro amount and the region's share) per budget
//! year, the regional provisions (which products are regional, fixed amounts per year), the
//! chosen verdeelsleutel, the solidarity fraction of the settlement, the payer, the ingroeipad
//! (file and start year) and the regime per budget year.
//!
//! Every number carries its herkomst: `bron = "…"` or `aanname = "…"` (for a row with several
//! numbers `<field>_bron` / `<field>_aanname`), never both, never neither. `[[jaren]]` rows
//! apply from their year until the next row.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::region::{Herkomst, RegionProfile};
use vangnet_domain::{Date, GemeenteCode, ProductCode, RegionId};

use crate::begroting::pad_uit_bestand;
use crate::cents::Cents;
use crate::ingroeipad::Ingroeipad;
use crate::rapport::GeldError;
use crate::tarief::{Eenheid, Tarief, Tarieven};
use crate::verdeelsleutel::FULL;

/// The four shipped finance profiles: file name and text.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "nijmegen-rivierenland.toml",
        include_str!("../../../regions/geld/nijmegen-rivierenland.toml"),
    ),
    (
        "centraal-gelderland.toml",
        include_str!("../../../regions/geld/centraal-gelderland.toml"),
    ),
    (
        "meierij-bommelerwaard.toml",
        include_str!("../../../regions/geld/meierij-bommelerwaard.toml"),
    ),
    (
        "drechtsteden.toml",
        include_str!("../../../regions/geld/drechtsteden.toml"),
    ),
];

/// The shipped ingroeipad files a profile may name: file name and text.
pub const PADEN: &[(&str, &str)] = &[
    (
        "ingroeipad-lineair-10.csv",
        include_str!("../../../regions/geld/ingroeipad-lineair-10.csv"),
    ),
    (
        "ingroeipad-vijfjarig-004.csv",
        include_str!("../../../regions/geld/ingroeipad-vijfjarig-004.csv"),
    ),
];

/// The shipped finance profile text of a region, if any.
pub fn builtin_text(region: &RegionId) -> Option<&'static str> {
    let name = format!("{}.toml", region.as_str());
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// A budget year's numbers (valid from `jaar` until the next row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetJaar {
    /// First year the row applies to.
    pub jaar: i32,
    /// The centrumgemeente's integratie-uitkering BW for the region.
    pub bw: (Cents, Herkomst),
    /// The decentralisatie-uitkering MO for the region.
    pub mo: (Cents, Herkomst),
    /// National Wlz uitname (seed 001 §4.2: € 495 mln assumed in 2018).
    pub wlz_macro: (Cents, Herkomst),
    /// The region's share of the Wlz uitname, basis points.
    pub wlz_aandeel_bp: (i64, Herkomst),
}

impl BudgetJaar {
    /// The region's Wlz uitname: `wlz_macro × wlz_aandeel`, half away from zero.
    pub fn wlz_uitname(&self) -> Cents {
        self.wlz_macro
            .0
            .mul_ratio(self.wlz_aandeel_bp.0, FULL)
            .unwrap_or(Cents::ZERO)
    }
}

/// How the historical budget is split over the gemeenten of the region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistorischeVerdeling {
    /// All to the centrumgemeente (today's flow of money).
    Centrumgemeente,
    /// By inhabitants.
    Inwoners,
    /// A fixed key in basis points (sums to 100 %).
    Procent(Vec<(GemeenteCode, i64)>),
}

/// The verdeelsleutel chosen for the regional provisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SleutelKeuze {
    /// By inhabitants.
    Inwoners,
    /// A fixed key in basis points.
    Procent(Vec<(GemeenteCode, i64)>),
    /// By use by origin: the woonplaatsbeginsel-attributed costs of the regional products.
    Gebruik,
    /// By share in the objective model.
    Objectief,
    /// A mix: `solidariteit_bp` by inhabitants, the rest by use.
    Mix {
        /// The part shared by inhabitants, basis points.
        solidariteit_bp: i64,
    },
    /// Risk pool: per gemeente the use-by-origin costs up to `drempel` per client-year stay
    /// with the gemeente, what lies above is shared by inhabitants.
    Risicopool {
        /// Threshold per client-year.
        drempel: Cents,
    },
}

impl SleutelKeuze {
    /// In words, for the screen.
    pub fn omschrijving(&self) -> String {
        match self {
            SleutelKeuze::Inwoners => "naar inwoners".into(),
            SleutelKeuze::Procent(_) => "vaste percentages".into(),
            SleutelKeuze::Gebruik => {
                "naar gebruik (herkomst volgens het woonplaatsbeginsel)".into()
            }
            SleutelKeuze::Objectief => "naar aandeel in het objectief verdeelmodel".into(),
            SleutelKeuze::Mix { solidariteit_bp } => format!(
                "mix: {} naar inwoners (solidariteit), de rest naar gebruik",
                crate::verdeelsleutel::percent(i128::from(*solidariteit_bp))
            ),
            SleutelKeuze::Risicopool { drempel } => format!(
                "risicopool: kosten boven {drempel} per cliëntjaar regionaal naar inwoners, daaronder naar gebruik"
            ),
        }
    }
}

/// A fixed regional provision (access team, regional organisation) per year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voorziening {
    /// Name.
    pub naam: String,
    /// First year.
    pub vanaf: i32,
    /// Last year (None: open).
    pub tot: Option<i32>,
    /// Amount per year.
    pub bedrag: Cents,
    /// Source or assumption.
    pub herkomst: Herkomst,
}

/// A region's finance profile (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinanceProfile {
    /// Region.
    pub regio: RegionId,
    /// Who pays the regional provisions first (the centrumgemeente).
    pub betaler: (GemeenteCode, Herkomst),
    /// Tariffs, indexed per year.
    pub tarieven: Tarieven,
    /// Indexation per year (basis points).
    pub indexatie: Vec<(i32, i64, Herkomst)>,
    /// Budget years, ascending.
    pub jaren: Vec<BudgetJaar>,
    /// The internal split of the historical budget.
    pub historische_verdeling: (HistorischeVerdeling, Herkomst),
    /// Which products are regional (intramural, MO, crisis).
    pub regionale_producten: (Vec<ProductCode>, Herkomst),
    /// Fixed regional provisions.
    pub voorzieningen: Vec<Voorziening>,
    /// The verdeelsleutel of the regional provisions.
    pub sleutel: (SleutelKeuze, Herkomst),
    /// Solidarity fraction of the settlement, basis points.
    pub solidariteit_bp: (i64, Herkomst),
    /// Last year of the solidarity arrangement (seed 002: "de eerste jaren"; None: every
    /// year); after it the fraction is 0.
    pub solidariteit_tot: Option<i32>,
    /// The ingroeipad (file and start year).
    pub ingroeipad: Ingroeipad,
    /// The ingroeipad file's name and the herkomst of path and start year.
    pub ingroeipad_bron: (String, Herkomst),
    /// First budget year under bill 36 288 (None: today's law in every year).
    pub wpb_vanaf: (Option<i32>, Herkomst),
}

type Text = Option<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    regio: Spanned<String>,
    betaler: Spanned<RawBetaler>,
    solidariteit: Spanned<RawFractie>,
    ingroeipad: Spanned<RawPad>,
    regime: Spanned<RawRegime>,
    sleutel: Spanned<RawSleutel>,
    historische_verdeling: Spanned<RawHist>,
    regionaal: Spanned<RawRegionaal>,
    #[serde(default)]
    voorzieningen: Vec<Spanned<RawVoorziening>>,
    #[serde(default)]
    jaren: Vec<Spanned<RawJaar>>,
    #[serde(default)]
    tarieven: Vec<Spanned<RawTarief>>,
    #[serde(default)]
    indexatie: Vec<Spanned<RawIndex>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBetaler {
    gemeente: String,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFractie {
    fractie: String,
    tot: Option<i32>,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPad {
    bestand: String,
    startjaar: i32,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegime {
    wpb_36288_vanaf: Option<i32>,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSleutel {
    soort: String,
    solidariteit: Option<String>,
    drempel: Option<String>,
    aandelen: Option<Spanned<BTreeMap<String, String>>>,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHist {
    soort: String,
    aandelen: Option<Spanned<BTreeMap<String, String>>>,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegionaal {
    producten: Vec<String>,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVoorziening {
    naam: String,
    vanaf: i32,
    tot: Option<i32>,
    bedrag: String,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJaar {
    jaar: i32,
    bw: String,
    bw_bron: Text,
    bw_aanname: Text,
    mo: String,
    mo_bron: Text,
    mo_aanname: Text,
    wlz_macro: String,
    wlz_macro_bron: Text,
    wlz_macro_aanname: Text,
    wlz_aandeel: String,
    wlz_aandeel_bron: Text,
    wlz_aandeel_aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarief {
    product: String,
    leveringsvorm: String,
    eenheid: String,
    bedrag: String,
    van: toml::value::Datetime,
    tot: Option<toml::value::Datetime>,
    uren_per_week: Option<String>,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndex {
    jaar: i32,
    procent: String,
    bron: Text,
    aanname: Text,
}

fn line_at(text: &str, pos: usize) -> usize {
    text[..pos.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// A Dutch percentage with up to two decimals (`"2,50"`) as basis points.
pub fn parse_procent(s: &str) -> Option<i64> {
    Cents::parse(s.trim().trim_end_matches('%').trim())
        .ok()
        .map(|c| c.0)
}

fn date(d: &toml::value::Datetime) -> Option<Date> {
    match (d.date, d.time) {
        (Some(x), None) => Date::from_ymd(i32::from(x.year), u32::from(x.month), u32::from(x.day)),
        _ => None,
    }
}

impl FinanceProfile {
    /// Parse and validate a finance profile against its region profile. The first error is
    /// returned, in Dutch, with its line (`regel N: …`) and a stable code `profiel.*` (or the
    /// tariff / path code).
    pub fn parse(text: &str, region: &RegionProfile) -> Result<FinanceProfile, GeldError> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_at(text, s.start)).unwrap_or(0);
            GeldError::new(
                "profiel.toml",
                format!("regel {line}: {}", e.message().trim()),
            )
        })?;
        let e = |code: &'static str, line: usize, m: String| {
            GeldError::new(code, format!("regel {line}: {m}"))
        };
        let herk = |line: usize, prefix: &str, b: &Text, a: &Text| {
            Herkomst::from_fields(prefix, b.as_deref(), a.as_deref())
                .map_err(|m| e("profiel.herkomst", line, m))
        };
        let at = |s: std::ops::Range<usize>| line_at(text, s.start);
        let members: Vec<GemeenteCode> = region.gemeenten.iter().map(|g| g.code).collect();
        let gemeente = |s: &str, line: usize| -> Result<GemeenteCode, GeldError> {
            let g = GemeenteCode::parse(s).map_err(|_| {
                e(
                    "profiel.gemeente",
                    line,
                    format!("{s:?} is geen gemeentecode"),
                )
            })?;
            if !members.contains(&g) {
                return Err(e(
                    "profiel.gemeente",
                    line,
                    format!("gemeente {s} hoort niet bij {}", region.name),
                ));
            }
            Ok(g)
        };
        let procent = |s: &str, line: usize, field: &str| {
            parse_procent(s)
                .filter(|v| (0..=FULL).contains(v))
                .ok_or_else(|| {
                    e(
                        "profiel.procent",
                        line,
                        format!(
                            "{field}: {s:?} is geen percentage tussen 0 en 100 (bijv. \"2,50\")"
                        ),
                    )
                })
        };
        let bedrag = |s: &str, line: usize, field: &str| {
            Cents::parse(s)
                .ok()
                .filter(|c| *c >= Cents::ZERO)
                .ok_or_else(|| {
                    e(
                        "profiel.bedrag",
                        line,
                        format!("{field}: {s:?} is geen bedrag ≥ 0 (bijv. \"1.234,56\")"),
                    )
                })
        };
        let aandelen = |m: &Option<Spanned<BTreeMap<String, String>>>,
                        line: usize|
         -> Result<Vec<(GemeenteCode, i64)>, GeldError> {
            let Some(m) = m else {
                return Err(e(
                    "profiel.aandelen",
                    line,
                    "soort procent vraagt aandelen = { GMxxxx = \"..\" }".into(),
                ));
            };
            let line = at(m.span());
            let m = m.get_ref();
            let mut out = Vec::new();
            let mut sum = 0i64;
            for (k, v) in m {
                let g = gemeente(k, line)?;
                let bp = procent(v, line, &format!("aandelen.{k}"))?;
                sum += bp;
                out.push((g, bp));
            }
            if sum != FULL {
                return Err(e(
                    "sleutel.niet_100",
                    line,
                    format!(
                        "veld aandelen: de aandelen tellen op tot {}, niet tot 100 %",
                        crate::verdeelsleutel::percent(i128::from(sum))
                    ),
                ));
            }
            Ok(out)
        };

        let regio_line = at(raw.regio.span());
        let regio = RegionId::parse(raw.regio.get_ref())
            .map_err(|x| e("profiel.regio", regio_line, x.to_string()))?;
        if regio != region.id {
            return Err(e(
                "profiel.regio",
                regio_line,
                format!(
                    "financieel profiel van {} bij regioprofiel {}",
                    regio.as_str(),
                    region.id.as_str()
                ),
            ));
        }

        let l = at(raw.betaler.span());
        let b = raw.betaler.get_ref();
        let betaler = (gemeente(&b.gemeente, l)?, herk(l, "", &b.bron, &b.aanname)?);

        let l = at(raw.solidariteit.span());
        let s = raw.solidariteit.get_ref();
        let solidariteit_tot = s.tot;
        let solidariteit_bp = (
            procent(&s.fractie, l, "fractie")?,
            herk(l, "", &s.bron, &s.aanname)?,
        );

        let l = at(raw.ingroeipad.span());
        let p = raw.ingroeipad.get_ref();
        let pad_text = PADEN
            .iter()
            .find(|(n, _)| *n == p.bestand)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                e(
                    "profiel.ingroeipad",
                    l,
                    format!(
                        "onbekend ingroeipad-bestand {:?} (bekend: {})",
                        p.bestand,
                        PADEN.iter().map(|x| x.0).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
        let (ingroeipad, _) = pad_uit_bestand(pad_text, p.startjaar)?;
        let ingroeipad_bron = (p.bestand.clone(), herk(l, "", &p.bron, &p.aanname)?);

        let l = at(raw.regime.span());
        let r = raw.regime.get_ref();
        let wpb_vanaf = (r.wpb_36288_vanaf, herk(l, "", &r.bron, &r.aanname)?);

        let l = at(raw.sleutel.span());
        let s = raw.sleutel.get_ref();
        let keuze = match s.soort.as_str() {
            "inwoners" => SleutelKeuze::Inwoners,
            "procent" => SleutelKeuze::Procent(aandelen(&s.aandelen, l)?),
            "gebruik" => SleutelKeuze::Gebruik,
            "objectief" => SleutelKeuze::Objectief,
            "mix" => SleutelKeuze::Mix {
                solidariteit_bp: procent(
                    s.solidariteit.as_deref().unwrap_or(""),
                    l,
                    "solidariteit",
                )?,
            },
            "risicopool" => SleutelKeuze::Risicopool {
                drempel: bedrag(s.drempel.as_deref().unwrap_or(""), l, "drempel")?,
            },
            x => {
                return Err(e(
                    "profiel.sleutel",
                    l,
                    format!(
                        "onbekende sleutel {x:?}: kies inwoners, procent, gebruik, objectief, mix of risicopool"
                    ),
                ));
            }
        };
        let sleutel = (keuze, herk(l, "", &s.bron, &s.aanname)?);

        let l = at(raw.historische_verdeling.span());
        let h = raw.historische_verdeling.get_ref();
        let hv = match h.soort.as_str() {
            "centrumgemeente" => HistorischeVerdeling::Centrumgemeente,
            "inwoners" => HistorischeVerdeling::Inwoners,
            "procent" => HistorischeVerdeling::Procent(aandelen(&h.aandelen, l)?),
            x => {
                return Err(e(
                    "profiel.verdeling",
                    l,
                    format!("onbekende verdeling {x:?}: kies centrumgemeente, inwoners of procent"),
                ));
            }
        };
        let historische_verdeling = (hv, herk(l, "", &h.bron, &h.aanname)?);

        let l = at(raw.regionaal.span());
        let rg = raw.regionaal.get_ref();
        let mut producten = Vec::new();
        for p in &rg.producten {
            let code = ProductCode::parse(p).map_err(|x| e("profiel.product", l, x.to_string()))?;
            if region.product(&code).is_none() {
                return Err(e(
                    "profiel.product",
                    l,
                    format!("regionaal product {p} staat niet in de productcatalogus"),
                ));
            }
            producten.push(code);
        }
        let regionale_producten = (producten, herk(l, "", &rg.bron, &rg.aanname)?);

        let mut voorzieningen = Vec::new();
        for v in &raw.voorzieningen {
            let l = at(v.span());
            let v = v.get_ref();
            if v.tot.is_some_and(|t| t < v.vanaf) {
                return Err(e(
                    "profiel.jaar",
                    l,
                    format!(
                        "voorziening {}: tot {} ligt vóór vanaf {}",
                        v.naam,
                        v.tot.unwrap_or(0),
                        v.vanaf
                    ),
                ));
            }
            voorzieningen.push(Voorziening {
                naam: v.naam.clone(),
                vanaf: v.vanaf,
                tot: v.tot,
                bedrag: bedrag(&v.bedrag, l, "bedrag")?,
                herkomst: herk(l, "", &v.bron, &v.aanname)?,
            });
        }

        let mut jaren: Vec<BudgetJaar> = Vec::new();
        for j in &raw.jaren {
            let l = at(j.span());
            let j = j.get_ref();
            if jaren.last().is_some_and(|p| p.jaar >= j.jaar) {
                return Err(e(
                    "profiel.jaar",
                    l,
                    format!(
                        "jaar {} volgt niet op het vorige jaar (oplopend, elk jaar één keer)",
                        j.jaar
                    ),
                ));
            }
            jaren.push(BudgetJaar {
                jaar: j.jaar,
                bw: (
                    bedrag(&j.bw, l, "bw")?,
                    herk(l, "bw", &j.bw_bron, &j.bw_aanname)?,
                ),
                mo: (
                    bedrag(&j.mo, l, "mo")?,
                    herk(l, "mo", &j.mo_bron, &j.mo_aanname)?,
                ),
                wlz_macro: (
                    bedrag(&j.wlz_macro, l, "wlz_macro")?,
                    herk(l, "wlz_macro", &j.wlz_macro_bron, &j.wlz_macro_aanname)?,
                ),
                wlz_aandeel_bp: (
                    procent(&j.wlz_aandeel, l, "wlz_aandeel")?,
                    herk(
                        l,
                        "wlz_aandeel",
                        &j.wlz_aandeel_bron,
                        &j.wlz_aandeel_aanname,
                    )?,
                ),
            });
        }
        if jaren.is_empty() {
            return Err(e(
                "profiel.jaar",
                0,
                "geen [[jaren]]: het historisch budget ontbreekt".into(),
            ));
        }

        let mut indexatie = Vec::new();
        for i in &raw.indexatie {
            let l = at(i.span());
            let i = i.get_ref();
            let bp = parse_procent(&i.procent)
                .filter(|v| (-FULL..=FULL).contains(v))
                .ok_or_else(|| {
                    e(
                        "profiel.procent",
                        l,
                        format!("procent: {:?} is geen percentage", i.procent),
                    )
                })?;
            indexatie.push((i.jaar, bp, herk(l, "", &i.bron, &i.aanname)?));
        }
        let pcts: Vec<(i32, i64)> = indexatie.iter().map(|x| (x.0, x.1)).collect();

        let mut items = Vec::new();
        for t in &raw.tarieven {
            let l = at(t.span());
            let t = t.get_ref();
            let product = ProductCode::parse(&t.product)
                .map_err(|x| e("tarief.product", l, x.to_string()))?;
            let leveringsvorm = match t.leveringsvorm.as_str() {
                "zin" => Leveringsvorm::Zin,
                "pgb" => Leveringsvorm::Pgb,
                x => {
                    return Err(e(
                        "tarief.leveringsvorm",
                        l,
                        format!("leveringsvorm {x:?}: kies zin of pgb"),
                    ));
                }
            };
            let eenheid = Eenheid::parse(&t.eenheid).ok_or_else(|| {
                e(
                    "tarief.eenheid",
                    l,
                    format!(
                        "eenheid {:?}: kies dag, week, maand, uur of nacht",
                        t.eenheid
                    ),
                )
            })?;
            let van = date(&t.van)
                .ok_or_else(|| e("tarief.periode", l, format!("van {} is geen datum", t.van)))?;
            let tot = match &t.tot {
                None => None,
                Some(d) => Some(
                    date(d)
                        .ok_or_else(|| e("tarief.periode", l, format!("tot {d} is geen datum")))?,
                ),
            };
            let uren = match &t.uren_per_week {
                None => None,
                Some(u) => Some(
                    Cents::parse(u)
                        .ok()
                        .and_then(|c| u32::try_from(c.0).ok())
                        .ok_or_else(|| {
                            e(
                                "tarief.uren",
                                l,
                                format!("uren_per_week {u:?} is geen aantal uren"),
                            )
                        })?,
                ),
            };
            let tarief = Tarief {
                product,
                leveringsvorm,
                eenheid,
                bedrag: bedrag(&t.bedrag, l, "bedrag")?,
                van,
                tot,
                uren_per_week_x100: uren,
                herkomst: herk(l, "", &t.bron, &t.aanname)?,
            };
            if van.ymd().2 != 1 {
                return Err(e(
                    "tarief.periode",
                    l,
                    format!("van {van} moet de eerste dag van een maand zijn"),
                ));
            }
            for p in tarief.indexeer(&pcts)? {
                items.push((p, l));
            }
        }
        let tarieven = Tarieven::new(items, region)?;
        Ok(FinanceProfile {
            regio,
            betaler,
            tarieven,
            indexatie,
            jaren,
            historische_verdeling,
            regionale_producten,
            voorzieningen,
            sleutel,
            solidariteit_bp,
            solidariteit_tot,
            ingroeipad,
            ingroeipad_bron,
            wpb_vanaf,
        })
    }

    /// The shipped finance profile of a region (`None` when there is none).
    pub fn builtin(region: &RegionProfile) -> Option<Result<FinanceProfile, GeldError>> {
        builtin_text(&region.id).map(|t| FinanceProfile::parse(t, region))
    }

    /// The budget row in force in `jaar` (the last row with `jaar ≤ jaar`).
    pub fn jaar(&self, jaar: i32) -> Result<&BudgetJaar, GeldError> {
        self.jaren
            .iter()
            .rev()
            .find(|j| j.jaar <= jaar)
            .ok_or_else(|| {
                GeldError::new(
                    "profiel.jaar_ontbreekt",
                    format!(
                        "geen budgetgegevens voor {jaar}: het financieel profiel begint in {}",
                        self.jaren[0].jaar
                    ),
                )
            })
    }

    /// The fixed regional provisions in `jaar`.
    pub fn voorzieningen_in(&self, jaar: i32) -> impl Iterator<Item = &Voorziening> {
        self.voorzieningen
            .iter()
            .filter(move |v| v.vanaf <= jaar && v.tot.is_none_or(|t| t >= jaar))
    }

    /// Whether a product is regional.
    pub fn is_regionaal(&self, product: &ProductCode) -> bool {
        self.regionale_producten.0.contains(product)
    }

    /// The solidarity fraction in `jaar` (0 after `solidariteit_tot`).
    pub fn solidariteit_in(&self, jaar: i32) -> i64 {
        if self.solidariteit_tot.is_some_and(|t| jaar > t) {
            0
        } else {
            self.solidariteit_bp.0
        }
    }

    /// Whether bill 36 288 is the regime in `jaar`.
    pub fn wpb_in(&self, jaar: i32) -> bool {
        self.wpb_vanaf.0.is_some_and(|y| jaar >= y)
    }
}
