//! Region profiles: everything that differs between regions is data, not code.
//!
//! A profile is one TOML file (see `regions/*.toml`): the region's gemeenten and
//! centrumgemeente, its product catalogue with validity dates, providers and their locations,
//! the access model, norms and housing quotas. [`RegionProfile::parse`] validates it and
//! reports every error with the line it sits on, so `vangnet region check FILE` can explain
//! a new region's mistakes without anyone reading Rust.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use crate::date::Date;
use crate::gemeenten::Gemeenten;
use crate::ids::{AgbCode, GemeenteCode, LocationId, ProductCode, RegionId};

/// Which part of the social domain a product belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Domain {
    /// Beschermd wonen (sheltered housing).
    Bw,
    /// Maatschappelijke opvang (homeless shelter).
    Mo,
    /// Vrouwenopvang (shelter for people fleeing domestic violence).
    Vo,
}

impl Domain {
    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Domain::Bw => "Beschermd wonen",
            Domain::Mo => "Maatschappelijke opvang",
            Domain::Vo => "Vrouwenopvang",
        }
    }
}

/// Where care is given: in an institution or in the person's own home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Setting {
    /// Intramuraal: at the provider's location.
    Intramuraal,
    /// Extramuraal: in the client's own home or a unit with ambulant 24h support.
    Extramuraal,
}

/// How the front door is organised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccessModel {
    /// One regional access team decides for all gemeenten.
    Centraal,
    /// Local teams assess, a regional team decides.
    Hybride,
    /// Every gemeente decides for its own residents.
    Lokaal,
}

/// How a product is counted: per place (stock) or per night (MO night shelter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A place occupied for a period.
    Plaats,
    /// A night in a night shelter.
    Nacht,
}

/// A product in the region's catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// Code used in events.
    pub code: ProductCode,
    /// Dutch name.
    pub name: String,
    /// BW, MO or VO.
    pub domain: Domain,
    /// Intramural or extramural.
    pub setting: Setting,
    /// Counted per place or per night.
    pub unit: Unit,
    /// First day the product can be allocated.
    pub valid_from: Date,
    /// Last day it can be allocated (`None`: open-ended).
    pub valid_to: Option<Date>,
    /// Maximum duration of one allocation in months (groepswonen: 24).
    pub max_months: Option<u32>,
    /// Default allocation period in months when no end date is given.
    pub default_months: u32,
    /// Minimum age (youth shelter: 18).
    pub min_age: Option<u32>,
    /// Maximum age (youth shelter: 24).
    pub max_age: Option<u32>,
}

impl Product {
    /// Whether the product may be allocated on `date`.
    pub fn valid_on(&self, date: Date) -> bool {
        date >= self.valid_from && self.valid_to.is_none_or(|t| date <= t)
    }

    /// The months of an allocation when no end date is given: the default duration, never
    /// beyond the maximum (groepswonen at most 24 months), at least one month. The one
    /// definition used by the front door, the demo generator and the random/oracle streams.
    pub fn allocation_months(&self) -> u32 {
        self.max_months
            .map_or(self.default_months, |m| m.min(self.default_months))
            .max(1)
    }

    /// The last day of an allocation starting on `start` that runs for
    /// [`Product::allocation_months`]. Clamped to 9999-12-31 (never a panic for far dates).
    pub fn default_end(&self, start: Date) -> Date {
        months_after(start, self.allocation_months()).map_or_else(last_day, |d| d.add_days(-1))
    }

    /// The latest end date the maximum duration allows for an allocation (or a product
    /// change) starting on `start`: `start` plus `max_months` (`None`: no maximum). Clamped to
    /// 9999-12-31.
    pub fn max_end(&self, start: Date) -> Option<Date> {
        self.max_months
            .map(|m| months_after(start, m).unwrap_or_else(last_day))
    }
}

/// The last date a [`Date`] can name (9999-12-31).
fn last_day() -> Date {
    Date::from_ymd(9999, 12, 31).expect("9999-12-31 exists")
}

/// `start` plus `n` calendar months, clamped to the month's last day; `None` beyond 9999.
fn months_after(start: Date, n: u32) -> Option<Date> {
    let (y, m, d) = start.ymd();
    let total = i64::from(y) * 12 + i64::from(m) - 1 + i64::from(n);
    let ny = i32::try_from(total.div_euclid(12)).ok()?;
    let nm = (total.rem_euclid(12) + 1) as u32;
    // The day clamped to the month's length: the first of 31, 30, 29, 28 that exists.
    (0..4).find_map(|back| Date::from_ymd(ny, nm, d.saturating_sub(back).max(1)))
}

/// A provider location with places per product.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// Id used in events.
    pub id: LocationId,
    /// Name.
    pub name: String,
    /// The gemeente the location is in.
    pub gemeente: GemeenteCode,
    /// The provider running it.
    pub provider: AgbCode,
    /// Places (or beds, slots) per product.
    pub places: BTreeMap<ProductCode, u32>,
}

/// A care provider (zorgaanbieder).
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    /// AGB code.
    pub agb: AgbCode,
    /// Name.
    pub name: String,
}

/// A gemeente as member of the region.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberGemeente {
    /// CBS code.
    pub code: GemeenteCode,
    /// Name (from the national register).
    pub name: String,
    /// Inhabitants, when the region supplies them.
    pub inhabitants: Option<u32>,
    /// True when `inhabitants` is a labelled synthetic value (demo only), not a CBS figure.
    pub inhabitants_synthetic: bool,
}

/// Norms the region steers on.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Norms {
    /// Waiting norm in weeks (Wmo: 8).
    pub wachttijd_weken: u32,
    /// Term for a decision after application, in weeks.
    pub beslistermijn_weken: u32,
    /// Register as house-seeker within this many days of entry.
    pub woningzoekend_binnen_dagen: u32,
    /// Threshold below which published aggregates are suppressed ("<5").
    pub kleine_aantallen_drempel: u32,
}

/// A housing quota agreed with housing associations.
#[derive(Debug, Clone, PartialEq)]
pub struct HousingQuota {
    /// Gemeente the quota applies to.
    pub gemeente: GemeenteCode,
    /// Year.
    pub year: i32,
    /// Homes agreed.
    pub homes: u32,
    /// What kind of homes (e.g. "Housing First", "uitstroom BW/MO").
    pub kind: String,
}

/// A validated region profile.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionProfile {
    /// Region id.
    pub id: RegionId,
    /// Display name.
    pub name: String,
    /// The centrumgemeente.
    pub centrumgemeente: GemeenteCode,
    /// Name of the regional access organisation.
    pub toegang: String,
    /// Access model.
    pub access_model: AccessModel,
    /// Member gemeenten, in file order.
    pub gemeenten: Vec<MemberGemeente>,
    /// Product catalogue.
    pub products: Vec<Product>,
    /// Providers.
    pub providers: Vec<Provider>,
    /// Locations.
    pub locations: Vec<Location>,
    /// Norms.
    pub norms: Norms,
    /// Housing quotas.
    pub housing_quotas: Vec<HousingQuota>,
    /// Free-text notes and sources.
    pub sources: Vec<String>,
    /// Eligibility criteria and contra-indications, in file order (explained by [`crate::rules`]).
    pub criteria: Vec<crate::rules::Criterion>,
    /// Which woonplaatsbeginsel regime applies from which date (sorted by date).
    pub woonplaatsbeginsel: Vec<(Date, crate::woonplaats::Regime)>,
    location_index: HashMap<LocationId, usize>,
}

/// One problem in a profile file, with the 1-based line it is on (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// 1-based line, 0 if the whole file is concerned.
    pub line: usize,
    /// What is wrong, in Dutch.
    pub message: String,
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "regel {}: {}", self.line, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    id: Spanned<String>,
    name: String,
    centrumgemeente: Spanned<String>,
    toegang: String,
    access_model: AccessModel,
    #[serde(default)]
    sources: Vec<String>,
    norms: Norms,
    #[serde(default)]
    gemeenten: Vec<RawGemeente>,
    #[serde(default)]
    products: Vec<RawProduct>,
    #[serde(default)]
    providers: Vec<RawProvider>,
    #[serde(default)]
    housing_quotas: Vec<RawQuota>,
    #[serde(default)]
    criteria: Vec<RawCriterion>,
    #[serde(default)]
    woonplaatsbeginsel: Vec<RawRegimePeriod>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    key: Spanned<String>,
    label: String,
    domain: crate::rules::CriterionDomain,
    kind: crate::rules::CriterionKind,
    test: Spanned<String>,
    waarde: Option<u32>,
    drempel: Option<u32>,
    bron: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegimePeriod {
    vanaf: Spanned<toml::value::Datetime>,
    regime: crate::woonplaats::Regime,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGemeente {
    code: Spanned<String>,
    inhabitants: Option<u32>,
    #[serde(default)]
    inhabitants_synthetic: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    code: Spanned<String>,
    name: String,
    domain: Domain,
    setting: Setting,
    #[serde(default = "default_unit")]
    unit: Unit,
    valid_from: Spanned<toml::value::Datetime>,
    valid_to: Option<Spanned<toml::value::Datetime>>,
    max_months: Option<u32>,
    default_months: Option<Spanned<u32>>,
    min_age: Option<u32>,
    max_age: Option<u32>,
}

fn default_unit() -> Unit {
    Unit::Plaats
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    agb: Spanned<String>,
    name: String,
    #[serde(default)]
    locations: Vec<RawLocation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocation {
    id: Spanned<String>,
    name: String,
    gemeente: Spanned<String>,
    places: Spanned<BTreeMap<String, u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuota {
    gemeente: Spanned<String>,
    year: i32,
    homes: u32,
    kind: String,
}

struct Lines<'a>(&'a str);
impl Lines<'_> {
    fn of<T>(&self, s: &Spanned<T>) -> usize {
        let start = s.span().start.min(self.0.len());
        self.0[..start].bytes().filter(|&b| b == b'\n').count() + 1
    }
}

fn toml_date(d: &toml::value::Datetime) -> Result<Date, String> {
    match (d.date, d.time) {
        (Some(date), None) => Date::from_ymd(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .ok_or_else(|| format!("{d} is geen geldige datum")),
        _ => Err(format!(
            "{d}: verwacht een datum zonder tijd, bijv. 2018-05-01"
        )),
    }
}

impl RegionProfile {
    /// Parse and validate a profile; on failure, every error found with its line.
    pub fn parse(text: &str) -> Result<RegionProfile, Vec<ProfileError>> {
        let raw: RawProfile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| {
                    text[..s.start.min(text.len())]
                        .bytes()
                        .filter(|&b| b == b'\n')
                        .count()
                        + 1
                })
                .unwrap_or(0);
            vec![ProfileError {
                line,
                message: e.message().trim().to_owned(),
            }]
        })?;
        let lines = Lines(text);
        let mut errors = Vec::new();
        let mut err = |line: usize, message: String| errors.push(ProfileError { line, message });
        let register = Gemeenten::national();
        let today_ref = Date::from_ymd(2025, 1, 1).expect("valid");

        let id = RegionId::parse(raw.id.get_ref())
            .map_err(|e| err(lines.of(&raw.id), e.to_string()))
            .ok();

        let mut gemeenten = Vec::new();
        for g in &raw.gemeenten {
            match GemeenteCode::parse(g.code.get_ref()) {
                Ok(code) => match register.valid_on(code, today_ref) {
                    Ok(reg) => {
                        if gemeenten.iter().any(|m: &MemberGemeente| m.code == code) {
                            err(
                                lines.of(&g.code),
                                format!("gemeente {code} staat twee keer in de regio"),
                            );
                        }
                        gemeenten.push(MemberGemeente {
                            code,
                            name: reg.name.clone(),
                            inhabitants: g.inhabitants,
                            inhabitants_synthetic: g.inhabitants_synthetic,
                        })
                    }
                    Err(e) => err(lines.of(&g.code), e.to_string()),
                },
                Err(e) => err(lines.of(&g.code), e.to_string()),
            }
        }
        if raw.gemeenten.is_empty() {
            err(
                0,
                "de regio heeft geen gemeenten ([[gemeenten]] ontbreekt)".into(),
            );
        }
        let centrum = match GemeenteCode::parse(raw.centrumgemeente.get_ref()) {
            Ok(c) if gemeenten.iter().any(|g| g.code == c) => Some(c),
            Ok(c) => {
                err(
                    lines.of(&raw.centrumgemeente),
                    format!("centrumgemeente {c} is geen gemeente van deze regio"),
                );
                None
            }
            Err(e) => {
                err(lines.of(&raw.centrumgemeente), e.to_string());
                None
            }
        };

        let mut products: Vec<Product> = Vec::new();
        for p in &raw.products {
            let line = lines.of(&p.code);
            let code = match ProductCode::parse(p.code.get_ref()) {
                Ok(c) => c,
                Err(e) => {
                    err(line, e.to_string());
                    continue;
                }
            };
            if products.iter().any(|q| q.code == code) {
                err(line, format!("productcode {code} komt twee keer voor"));
            }
            let from = toml_date(p.valid_from.get_ref())
                .map_err(|m| err(lines.of(&p.valid_from), m))
                .ok();
            let to = match &p.valid_to {
                Some(t) => toml_date(t.get_ref()).map_err(|m| err(lines.of(t), m)).ok(),
                None => None,
            };
            if let (Some(f), Some(t)) = (from, to)
                && t < f
            {
                err(
                    line,
                    format!("product {code}: valid_to {t} ligt vóór valid_from {f}"),
                );
            }
            let default_months = p
                .default_months
                .as_ref()
                .map(|m| *m.get_ref())
                .or(p.max_months)
                .unwrap_or(12);
            if let (Some(max), Some(dm)) = (p.max_months, &p.default_months)
                && *dm.get_ref() > max
            {
                err(
                    lines.of(dm),
                    format!(
                        "product {code}: default_months ({}) is groter dan max_months ({max})",
                        dm.get_ref()
                    ),
                );
            }
            if let (Some(a), Some(b)) = (p.min_age, p.max_age)
                && a > b
            {
                err(
                    line,
                    format!("product {code}: min_age {a} is groter dan max_age {b}"),
                );
            }
            products.push(Product {
                code,
                name: p.name.clone(),
                domain: p.domain,
                setting: p.setting,
                unit: p.unit,
                valid_from: from.unwrap_or(today_ref),
                valid_to: to,
                max_months: p.max_months,
                default_months,
                min_age: p.min_age,
                max_age: p.max_age,
            });
        }
        if raw.products.is_empty() {
            err(
                0,
                "de regio heeft geen producten ([[products]] ontbreekt)".into(),
            );
        }

        let mut providers = Vec::new();
        let mut locations: Vec<Location> = Vec::new();
        for pr in &raw.providers {
            let agb = match AgbCode::parse(pr.agb.get_ref()) {
                Ok(a) => a,
                Err(e) => {
                    err(lines.of(&pr.agb), e.to_string());
                    continue;
                }
            };
            if providers.iter().any(|p: &Provider| p.agb == agb) {
                err(
                    lines.of(&pr.agb),
                    format!("aanbieder met AGB-code {agb} komt twee keer voor"),
                );
            }
            providers.push(Provider {
                agb,
                name: pr.name.clone(),
            });
            for l in &pr.locations {
                let lid = match LocationId::parse(l.id.get_ref()) {
                    Ok(i) => i,
                    Err(e) => {
                        err(lines.of(&l.id), e.to_string());
                        continue;
                    }
                };
                if locations.iter().any(|x| x.id == lid) {
                    err(
                        lines.of(&l.id),
                        format!("locatie {lid} komt twee keer voor"),
                    );
                }
                let gemeente = match GemeenteCode::parse(l.gemeente.get_ref()) {
                    Ok(c) if gemeenten.iter().any(|g| g.code == c) => c,
                    Ok(c) => {
                        err(
                            lines.of(&l.gemeente),
                            format!("locatie {lid}: gemeente {c} hoort niet bij deze regio"),
                        );
                        continue;
                    }
                    Err(e) => {
                        err(lines.of(&l.gemeente), e.to_string());
                        continue;
                    }
                };
                let mut places = BTreeMap::new();
                for (pc, n) in l.places.get_ref() {
                    match ProductCode::parse(pc) {
                        Ok(c) if products.iter().any(|p| p.code == c) => {
                            places.insert(c, *n);
                        }
                        Ok(c) => err(
                            lines.of(&l.places),
                            format!("locatie {lid}: product {c} staat niet in de productcatalogus"),
                        ),
                        Err(e) => err(lines.of(&l.places), e.to_string()),
                    }
                }
                locations.push(Location {
                    id: lid,
                    name: l.name.clone(),
                    gemeente,
                    provider: agb,
                    places,
                });
            }
        }

        let mut housing_quotas = Vec::new();
        for q in &raw.housing_quotas {
            match GemeenteCode::parse(q.gemeente.get_ref()) {
                Ok(c) if gemeenten.iter().any(|g| g.code == c) => {
                    housing_quotas.push(HousingQuota {
                        gemeente: c,
                        year: q.year,
                        homes: q.homes,
                        kind: q.kind.clone(),
                    })
                }
                Ok(c) => err(
                    lines.of(&q.gemeente),
                    format!("woningquotum: gemeente {c} hoort niet bij deze regio"),
                ),
                Err(e) => err(lines.of(&q.gemeente), e.to_string()),
            }
        }
        let mut criteria: Vec<crate::rules::Criterion> = Vec::new();
        for c in &raw.criteria {
            let line = lines.of(&c.key);
            if criteria.iter().any(|x| x.key == *c.key.get_ref()) {
                err(
                    line,
                    format!("criterium '{}' komt twee keer voor", c.key.get_ref()),
                );
            }
            match crate::rules::Test::parse(c.test.get_ref(), c.waarde, c.drempel) {
                Ok(test) => criteria.push(crate::rules::Criterion {
                    key: c.key.get_ref().clone(),
                    label: c.label.clone(),
                    domain: c.domain,
                    kind: c.kind,
                    test,
                    bron: c.bron.clone(),
                    line,
                }),
                Err(m) => err(
                    lines.of(&c.test),
                    format!("criterium '{}': {m}", c.key.get_ref()),
                ),
            }
        }
        let mut woonplaatsbeginsel = Vec::new();
        for p in &raw.woonplaatsbeginsel {
            match toml_date(p.vanaf.get_ref()) {
                Ok(d) => woonplaatsbeginsel.push((d, p.regime)),
                Err(m) => err(lines.of(&p.vanaf), m),
            }
        }
        woonplaatsbeginsel.sort_by_key(|(d, _)| *d);
        if raw.norms.kleine_aantallen_drempel == 0 {
            err(
                0,
                "norms.kleine_aantallen_drempel moet minstens 1 zijn".into(),
            );
        }

        match (errors.is_empty(), id, centrum) {
            (true, Some(id), Some(centrumgemeente)) => {
                let location_index = locations
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.id.clone(), i))
                    .collect();
                Ok(RegionProfile {
                    id,
                    name: raw.name,
                    centrumgemeente,
                    toegang: raw.toegang,
                    access_model: raw.access_model,
                    gemeenten,
                    products,
                    providers,
                    locations,
                    norms: raw.norms,
                    housing_quotas,
                    sources: raw.sources,
                    criteria,
                    woonplaatsbeginsel,
                    location_index,
                })
            }
            _ => {
                errors.sort_by_key(|e| e.line);
                Err(errors)
            }
        }
    }

    /// The product with this code, if in the catalogue (on any date).
    pub fn product(&self, code: &ProductCode) -> Option<&Product> {
        self.products.iter().find(|p| &p.code == code)
    }

    /// The location with this id.
    pub fn location(&self, id: &LocationId) -> Option<&Location> {
        self.location_index.get(id).map(|&i| &self.locations[i])
    }

    /// The position of the location with this id in [`RegionProfile::locations`].
    pub fn location_position(&self, id: &LocationId) -> Option<usize> {
        self.location_index.get(id).copied()
    }

    /// The provider with this AGB code.
    pub fn provider(&self, agb: AgbCode) -> Option<&Provider> {
        self.providers.iter().find(|p| p.agb == agb)
    }

    /// The member gemeente with this code.
    pub fn gemeente(&self, code: GemeenteCode) -> Option<&MemberGemeente> {
        self.gemeenten.iter().find(|g| g.code == code)
    }

    /// The woonplaatsbeginsel regime in force on `date` (today's law when the profile says nothing).
    pub fn regime_on(&self, date: Date) -> crate::woonplaats::Regime {
        self.woonplaatsbeginsel
            .iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .map_or(crate::woonplaats::Regime::Huidig, |(_, r)| *r)
    }

    /// Total places per product over all locations.
    pub fn capacity(&self, product: &ProductCode) -> u32 {
        self.locations
            .iter()
            .filter_map(|l| l.places.get(product))
            .sum()
    }
}

/// The four built-in region profiles, compiled in from `regions/*.toml`.
pub fn builtin_profiles() -> Vec<RegionProfile> {
    BUILTIN
        .iter()
        .map(|(name, text)| {
            RegionProfile::parse(text).unwrap_or_else(|e| {
                panic!(
                    "built-in profile {name} is invalid: {}",
                    e.iter()
                        .map(|x| x.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })
        })
        .collect()
}

/// File name and text of each built-in profile.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "nijmegen-rivierenland.toml",
        include_str!("../../../regions/nijmegen-rivierenland.toml"),
    ),
    (
        "centraal-gelderland.toml",
        include_str!("../../../regions/centraal-gelderland.toml"),
    ),
    (
        "meierij-bommelerwaard.toml",
        include_str!("../../../regions/meierij-bommelerwaard.toml"),
    ),
    (
        "drechtsteden.toml",
        include_str!("../../../regions/drechtsteden.toml"),
    ),
];

/// All loaded region profiles, by id.
#[derive(Debug, Clone, Default)]
pub struct Regions {
    profiles: Vec<RegionProfile>,
}

impl Regions {
    /// Wrap a set of profiles (ids must be unique; later duplicates are dropped).
    pub fn new(profiles: Vec<RegionProfile>) -> Regions {
        let mut out: Vec<RegionProfile> = Vec::with_capacity(profiles.len());
        for p in profiles {
            if !out.iter().any(|q| q.id == p.id) {
                out.push(p);
            }
        }
        Regions { profiles: out }
    }

    /// The four built-in regions.
    pub fn builtin() -> Regions {
        Regions::new(builtin_profiles())
    }

    /// The profile with this id.
    pub fn get(&self, id: &RegionId) -> Option<&RegionProfile> {
        self.profiles.iter().find(|p| &p.id == id)
    }

    /// All profiles.
    pub fn all(&self) -> &[RegionProfile] {
        &self.profiles
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_are_valid() {
        let r = Regions::builtin();
        assert_eq!(r.all().len(), 4);
        let cg = r
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap();
        assert_eq!(cg.centrumgemeente.to_string(), "GM0202");
        let gw = cg
            .product(&ProductCode::parse("bw-groepswonen").unwrap())
            .unwrap();
        assert_eq!(gw.max_months, Some(24));
        assert!(!gw.valid_on(Date::parse("2018-04-30").unwrap()));
    }

    #[test]
    fn every_error_is_reported_with_its_line() {
        let text = BUILTIN[1]
            .1
            .replacen("code = \"GM0221\"", "code = \"GM9999\"", 1)
            .replacen(
                "centrumgemeente = \"GM0202\"",
                "centrumgemeente = \"GM0363\"",
                1,
            )
            .replacen(
                "valid_from = 2018-05-01\ndefault_months = 24",
                "valid_from = 2018-05-01\nvalid_to = 2017-01-01\ndefault_months = 24",
                1,
            )
            .replacen("bw-logeeropvang = 6 }", "bw-bestaat-niet = 6 }", 1);
        let errs = RegionProfile::parse(&text).unwrap_err();
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let find = |part: &str| {
            errs.iter()
                .find(|e| e.message.contains(part))
                .unwrap_or_else(|| panic!("no error about {part}: {errs:?}"))
        };
        assert_eq!(find("GM9999").line, line_of("GM9999"));
        assert_eq!(
            find("centrumgemeente GM0363").line,
            line_of("centrumgemeente =")
        );
        assert!(find("valid_to 2017-01-01").line > 0);
        assert_eq!(find("bw-bestaat-niet").line, line_of("bw-bestaat-niet"));
        assert_eq!(errs.len(), 4, "{errs:?}");
    }

    #[test]
    fn syntax_errors_and_unknown_keys_have_lines() {
        let errs =
            RegionProfile::parse("id = \"x\"\nname = \"X\"\nkleur = \"blauw\"\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 3, "{errs:?}");
        assert!(errs[0].message.contains("kleur"), "{errs:?}");
        let errs = RegionProfile::parse("id = \"x\nname = 3").unwrap_err();
        assert_eq!(errs[0].line, 1, "{errs:?}");
    }
}
