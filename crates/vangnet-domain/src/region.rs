//! Region profiles: everything that differs between regions is data, not code.
//!
//! A profile is one TOML file (see `regions/*.toml`): the region's gemeenten and
//! centrumgemeente, its product catalogue with validity dates, providers and their locations,
//! the access model, norms and housing quotas. [`RegionProfile::parse`] validates it and
//! reports every error with the line it sits on, so `vangnet region check FILE` can explain
//! a new region's mistakes without anyone reading Rust. Every date in a profile lies within
//! the fixed range 1900-01-01 … 2100-12-31 ([`profile_date_range`]); a date outside it is an
//! error naming its line and field.

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
    /// One regional access team assesses and decides for all gemeenten.
    Centraal,
    /// The local team (sociaal/wijkteam) assesses together with regional specialists; the
    /// region (centrumgemeente or its expert team) decides (seed 001 §3.1, seed 003 NOW).
    Gezamenlijk,
    /// The local loket indicates; a regional expert team is achterwacht (seed 002's
    /// "hybride toegangsmodel").
    Hybride,
    /// Every gemeente decides for its own residents.
    Lokaal,
}

/// Where a fact in a profile comes from: a source that says it, or our assumption and why.
///
/// Every fact of a region profile (and of an actions file) carries one, written in the TOML
/// as `bron = "seed 001 §3.3"` or `aanname = "why we assumed it"` — never both, never
/// neither. Screens show which it is, so a policy officer never mistakes our guess for
/// their region's rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Herkomst {
    /// A source (seed file and section, a law article, a reference file) that says it.
    Bron(String),
    /// Our assumption, with why (e.g. "demo-waarde").
    Aanname(String),
}

impl Herkomst {
    /// Whether this is an assumption.
    pub fn is_aanname(&self) -> bool {
        matches!(self, Herkomst::Aanname(_))
    }

    /// The source or the reason, without the kind.
    pub fn tekst(&self) -> &str {
        match self {
            Herkomst::Bron(t) | Herkomst::Aanname(t) => t,
        }
    }

    /// The Dutch word for the kind: `bron` or `aanname`.
    pub fn soort(&self) -> &'static str {
        match self {
            Herkomst::Bron(_) => "bron",
            Herkomst::Aanname(_) => "aanname",
        }
    }

    /// Kind and text as one phrase for notes and downloads: `bron: …` or `aanname: …`.
    pub fn beschrijving(&self) -> String {
        format!("{}: {}", self.soort(), self.tekst())
    }

    /// The one field of a TOML row: `bron`/`aanname` (with `prefix`: `<prefix>_bron`,
    /// `<prefix>_aanname`). `Err` (Dutch) when both or neither are given, or one is empty.
    pub fn from_fields(
        prefix: &str,
        bron: Option<&str>,
        aanname: Option<&str>,
    ) -> Result<Herkomst, String> {
        let name = |k: &str| {
            if prefix.is_empty() {
                k.to_owned()
            } else {
                format!("{prefix}_{k}")
            }
        };
        match (bron.map(str::trim), aanname.map(str::trim)) {
            (Some(b), None) if !b.is_empty() => Ok(Herkomst::Bron(b.to_owned())),
            (None, Some(a)) if !a.is_empty() => Ok(Herkomst::Aanname(a.to_owned())),
            (Some(_), Some(_)) => Err(format!(
                "zowel {} als {} opgegeven: een feit heeft een bron óf is een aanname",
                name("bron"),
                name("aanname")
            )),
            (None, None) => Err(format!(
                "{} of {} ontbreekt: geef de bron (seed en paragraaf) of markeer het als aanname met de reden",
                name("bron"),
                name("aanname")
            )),
            _ => Err(format!("{} / {} is leeg", name("bron"), name("aanname"))),
        }
    }
}

impl std::fmt::Display for Herkomst {
    /// A source as itself, an assumption as `aanname: why`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Herkomst::Bron(t) => f.write_str(t),
            Herkomst::Aanname(t) => write!(f, "aanname: {t}"),
        }
    }
}

impl serde::Serialize for Herkomst {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
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
    /// A short-stay product (logeeropvang, time-out, bed & break; issue 14): the most nights
    /// of one tijdelijk verblijf beside running care. `None`: not a short-stay product. Under
    /// the product's duration herkomst.
    pub max_nachten: Option<u32>,
    /// Where the product itself (name, domain, setting, ages) comes from.
    pub herkomst: Herkomst,
    /// Where `valid_from`/`valid_to` come from.
    pub geldigheid_herkomst: Herkomst,
    /// Where `max_months`/`default_months` come from.
    pub duur_herkomst: Herkomst,
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
    /// Places (or beds, slots) per product, as the profile gives them: the first capacity
    /// period of each (issue 14: periods entered later take over from their date).
    pub places: BTreeMap<ProductCode, u32>,
    /// Needs this location cannot serve (issue 14, matching leaves it out for clients whose
    /// beoordeling recorded one); under the location's herkomst.
    pub niet_geschikt_voor: Vec<crate::events::Behoefte>,
    /// Where the location and its places come from (fictitious: "demo-waarde").
    pub herkomst: Herkomst,
}

/// A care provider (zorgaanbieder).
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    /// AGB code.
    pub agb: AgbCode,
    /// Name.
    pub name: String,
    /// Where the provider comes from (fictitious: "demo-waarde").
    pub herkomst: Herkomst,
}

/// A gemeente as member of the region, with the period of its membership.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberGemeente {
    /// CBS code.
    pub code: GemeenteCode,
    /// Name (from the national register).
    pub name: String,
    /// Inhabitants, when the region supplies them.
    pub inhabitants: Option<u32>,
    /// True when `inhabitants` is a labelled synthetic value (demo only), not a CBS figure
    /// (the inhabitants' herkomst is an aanname).
    pub inhabitants_synthetic: bool,
    /// Where the inhabitants figure comes from (`None` when there is none).
    pub inwoners_herkomst: Option<Herkomst>,
    /// First day of membership (`None`: member since before any record).
    pub valid_from: Option<Date>,
    /// Last day on which *new* clients from this gemeente belong to the region (`None`: as
    /// long as the membership lasts).
    pub nieuw_tot: Option<Date>,
    /// Last day of membership: existing clients stay until then (`None`: open-ended).
    pub valid_to: Option<Date>,
    /// Where the membership comes from.
    pub herkomst: Herkomst,
}

impl MemberGemeente {
    /// Whether the gemeente belongs to the region on `date` at all (for existing clients).
    pub fn member_on(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| date >= f) && self.valid_to.is_none_or(|t| date <= t)
    }

    /// Whether a *new* client from this gemeente belongs to the region on `date`.
    pub fn open_for_new_on(&self, date: Date) -> bool {
        self.member_on(date) && self.nieuw_tot.is_none_or(|t| date <= t)
    }
}

/// Norms the region steers on, each with its herkomst in [`Norms::herkomst`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Norms {
    /// Waiting norm in weeks for a place (no seed gives one: an aanname in every profile).
    pub wachttijd_weken: u32,
    /// Term for a decision after application, in weeks (Wmo 2015 art. 2.3.5 lid 1).
    pub beslistermijn_weken: u32,
    /// The term of the region's woningzoekend rule in days; 0 when the region has no such
    /// rule. Kept for screens; the rule and where it applies is [`RegionProfile::woningzoekend`].
    pub woningzoekend_binnen_dagen: u32,
    /// Threshold below which published aggregates are suppressed ("<5").
    pub kleine_aantallen_drempel: u32,
    /// Where each norm comes from.
    pub herkomst: NormsHerkomst,
}

/// The herkomst of each norm in [`Norms`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NormsHerkomst {
    /// Of `wachttijd_weken`.
    pub wachttijd: Herkomst,
    /// Of `beslistermijn_weken`.
    pub beslistermijn: Herkomst,
    /// Of `kleine_aantallen_drempel`.
    pub kleine_aantallen: Herkomst,
}

/// The rule that clients register as house-seeker (woningzoekende) within a term of entering
/// care, and the products it applies to (seed 001 bijlage 3: "Inwoners met als perspectief
/// zelfstandig wonen schrijven zich binnen een maand na instromen in als woningzoekende").
#[derive(Debug, Clone, PartialEq)]
pub struct WoningzoekendRegel {
    /// Register within this many days of the start of care.
    pub binnen_dagen: u32,
    /// The products whose clients have zelfstandig wonen as perspective (Vangnet records no
    /// perspective per client, so the rule is scoped per product).
    pub producten: Vec<ProductCode>,
    /// Where the rule and its scope come from.
    pub herkomst: Herkomst,
}

/// Overbezetting: whether a clerk may place a client on a full location with an explicit
/// reason (`[overbezetting]` in a profile; absent: never — a full location refuses).
#[derive(Debug, Clone, PartialEq)]
pub struct Overbezetting {
    /// Whether placing beyond the places is allowed (with a reason recorded on the fact).
    pub toegestaan: bool,
    /// Where the setting comes from.
    pub herkomst: Herkomst,
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
    /// Issue 15: the corporation that agreed (profile `corporaties.id`; `None`: all
    /// corporations of the gemeente together).
    pub corporatie: Option<String>,
    /// Issue 15: the route the homes are for (`None`: any route — the agreement counts every
    /// offer in the gemeente).
    pub route: Option<crate::events::WoonRoute>,
    /// Issue 15: the agreement this one is part of (`onderdeel_van = "GM0268/2025/*/*"`,
    /// [`crate::woningafspraken::AfspraakSleutel`]'s text), not counted again in totals.
    pub onderdeel_van: Option<crate::woningafspraken::AfspraakSleutel>,
    /// Where the quota comes from.
    pub herkomst: Herkomst,
}

/// Issue 15: a woningcorporatie working in the region, and the gemeenten where it has homes
/// (its werkgebied): it sees the housing candidates who prefer one of them and offers homes
/// there.
#[derive(Debug, Clone, PartialEq)]
pub struct Corporatie {
    /// Id, as in the account's organisation `corporatie:<id>` (e.g. "talis").
    pub id: String,
    /// Display name.
    pub naam: String,
    /// Werkgebied: gemeenten of the region where it offers homes.
    pub gemeenten: Vec<GemeenteCode>,
    /// Where it comes from.
    pub herkomst: Herkomst,
}

/// How the front door is organised from a date on.
#[derive(Debug, Clone, PartialEq)]
pub struct Toegang {
    /// First day this organisation applies.
    pub vanaf: Date,
    /// Name of the access organisation (shown as sender of a decision letter).
    pub naam: String,
    /// Access model.
    pub model: AccessModel,
    /// A longer explanation (Dutch), e.g. BW and MO separately.
    pub toelichting: Option<String>,
    /// Where it comes from.
    pub herkomst: Herkomst,
}

/// A sub-regio: a group of the region's gemeenten that organises part of the work together
/// (seed 000 appendix A, proposal 3: a coordination point per sub-regio).
#[derive(Debug, Clone, PartialEq)]
pub struct Subregio {
    /// Name (e.g. "Rijk van Nijmegen").
    pub naam: String,
    /// Member gemeenten.
    pub gemeenten: Vec<GemeenteCode>,
    /// Where the sub-regio and its composition come from.
    pub herkomst: Herkomst,
}

/// The region's decision-letter template (`[brief]`, feat/brief): letterhead, contact,
/// signatory, kenmerk prefix and where a bezwaar goes. The values are the region's own
/// (synthetic in the shipped profiles, each marked `aanname`).
#[derive(Debug, Clone, PartialEq)]
pub struct LetterTemplate {
    /// Sending organisation (letterhead).
    pub organisatie: String,
    /// Postal address, one line per entry.
    pub postadres: Vec<String>,
    /// Telephone number.
    pub telefoon: String,
    /// E-mail address.
    pub email: String,
    /// Website.
    pub website: String,
    /// Who signs (name).
    pub ondertekenaar: String,
    /// The signatory's function.
    pub functie: String,
    /// Prefix of every letter's kenmerk (reference), e.g. `SDD-BW`: capitals, digits, `-`.
    pub kenmerk_prefix: String,
    /// Who decides on a bezwaar (e.g. "het college van burgemeester en wethouders van Dordrecht").
    pub bezwaar_aan: String,
    /// Where a bezwaar is sent, one line per entry.
    pub bezwaar_adres: Vec<String>,
    /// Where these values come from.
    pub herkomst: Herkomst,
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
    /// Name of the regional access organisation (the latest [`Toegang`]).
    pub toegang: String,
    /// Access model (of the latest [`Toegang`]).
    pub access_model: AccessModel,
    /// The access organisation over time, sorted by `vanaf` (at least one).
    pub toegangen: Vec<Toegang>,
    /// Member gemeenten (present and past), in file order. Use
    /// [`RegionProfile::member_on`] for membership on a date.
    pub gemeenten: Vec<MemberGemeente>,
    /// Sub-regio's, in file order.
    pub subregios: Vec<Subregio>,
    /// Product catalogue.
    pub products: Vec<Product>,
    /// Providers.
    pub providers: Vec<Provider>,
    /// Locations.
    pub locations: Vec<Location>,
    /// Norms.
    pub norms: Norms,
    /// The woningzoekend rule, when the region has one.
    pub woningzoekend: Option<WoningzoekendRegel>,
    /// Overbezetting setting (`None`: not allowed; see [`RegionProfile::overbezetting_toegestaan`]).
    pub overbezetting: Option<Overbezetting>,
    /// Housing quotas.
    pub housing_quotas: Vec<HousingQuota>,
    /// Issue 15: the woningcorporaties working in the region, in file order.
    pub corporaties: Vec<Corporatie>,
    /// Free-text notes and sources.
    pub sources: Vec<String>,
    /// Eligibility criteria and contra-indications, in file order (explained by [`crate::rules`]).
    pub criteria: Vec<crate::rules::Criterion>,
    /// Which woonplaatsbeginsel regime applies from which date (sorted by date).
    pub woonplaatsbeginsel: Vec<(Date, crate::woonplaats::Regime)>,
    /// The herkomst of each entry of `woonplaatsbeginsel` (same order).
    pub woonplaatsbeginsel_herkomst: Vec<Herkomst>,
    /// The decision-letter template (`[brief]`; every shipped profile has one).
    pub brief: Option<LetterTemplate>,
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

type Text = Option<Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    id: Spanned<String>,
    name: String,
    centrumgemeente: Spanned<String>,
    #[serde(default)]
    toegang: Vec<RawToegang>,
    #[serde(default)]
    sources: Vec<String>,
    norms: Spanned<RawNorms>,
    woningzoekend: Option<Spanned<RawWoningzoekend>>,
    overbezetting: Option<Spanned<RawOverbezetting>>,
    #[serde(default)]
    gemeenten: Vec<RawGemeente>,
    #[serde(default)]
    subregio: Vec<RawSubregio>,
    #[serde(default)]
    products: Vec<RawProduct>,
    #[serde(default)]
    providers: Vec<RawProvider>,
    #[serde(default)]
    housing_quotas: Vec<RawQuota>,
    #[serde(default)]
    corporaties: Vec<RawCorporatie>,
    #[serde(default)]
    criteria: Vec<RawCriterion>,
    #[serde(default)]
    woonplaatsbeginsel: Vec<RawRegimePeriod>,
    brief: Option<Spanned<RawBrief>>,
}

/// `[brief]`: the decision-letter template (feat/brief).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrief {
    organisatie: String,
    postadres: Vec<String>,
    telefoon: String,
    email: String,
    website: String,
    ondertekenaar: String,
    functie: String,
    kenmerk_prefix: String,
    bezwaar_aan: String,
    bezwaar_adres: Vec<String>,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawToegang {
    vanaf: Spanned<toml::value::Datetime>,
    naam: String,
    model: AccessModel,
    toelichting: Option<String>,
    bron: Text,
    aanname: Text,
}

/// One norm: `{ waarde = 8, bron = "…" }` or `{ waarde = 8, aanname = "…" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNorm {
    waarde: u32,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNorms {
    wachttijd_weken: Spanned<RawNorm>,
    beslistermijn_weken: Spanned<RawNorm>,
    kleine_aantallen_drempel: Spanned<RawNorm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWoningzoekend {
    binnen_dagen: u32,
    producten: Vec<Spanned<String>>,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverbezetting {
    toegestaan: bool,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubregio {
    naam: Spanned<String>,
    gemeenten: Vec<Spanned<String>>,
    bron: Text,
    aanname: Text,
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
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegimePeriod {
    vanaf: Spanned<toml::value::Datetime>,
    regime: crate::woonplaats::Regime,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGemeente {
    code: Spanned<String>,
    inhabitants: Option<u32>,
    inwoners_bron: Text,
    inwoners_aanname: Text,
    valid_from: Option<Spanned<toml::value::Datetime>>,
    nieuw_tot: Option<Spanned<toml::value::Datetime>>,
    valid_to: Option<Spanned<toml::value::Datetime>>,
    bron: Text,
    aanname: Text,
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
    max_nachten: Option<u32>,
    bron: Text,
    aanname: Text,
    geldigheid_bron: Text,
    geldigheid_aanname: Text,
    duur_bron: Text,
    duur_aanname: Text,
}

fn default_unit() -> Unit {
    Unit::Plaats
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    agb: Spanned<String>,
    name: String,
    bron: Text,
    aanname: Text,
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
    niet_geschikt_voor: Option<Spanned<Vec<String>>>,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuota {
    gemeente: Spanned<String>,
    year: i32,
    homes: u32,
    kind: String,
    corporatie: Option<String>,
    route: Option<String>,
    onderdeel_van: Option<String>,
    bron: Text,
    aanname: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorporatie {
    id: Spanned<String>,
    naam: String,
    gemeenten: Vec<String>,
    bron: Text,
    aanname: Text,
}

struct Lines<'a>(&'a str);
impl Lines<'_> {
    fn of<T>(&self, s: &Spanned<T>) -> usize {
        let start = s.span().start.min(self.0.len());
        self.0[..start].bytes().filter(|&b| b == b'\n').count() + 1
    }
}

/// The first year a date in a profile may lie in (toegang, membership, product validity,
/// woonplaatsbeginsel, housing quota year).
pub const PROFILE_FIRST_YEAR: i32 = 1900;
/// The last year a date in a profile may lie in.
///
/// Facts must lie within 1900-01-01 … today + 10 years ([`crate::limits`]); a profile does
/// not depend on today (it is parsed once, also to read old data), so its dates get the
/// fixed range 1900-01-01 … 2100-12-31. That holds every date a fact may carry until 2090,
/// and keeps the date arithmetic on profile dates (allocation ends, membership ends) far
/// from the end of [`Date`]'s range.
pub const PROFILE_LAST_YEAR: i32 = 2100;

/// The range of dates a profile may name: 1900-01-01 … 2100-12-31 (see [`PROFILE_LAST_YEAR`]).
pub fn profile_date_range() -> (Date, Date) {
    (
        Date::from_ymd(PROFILE_FIRST_YEAR, 1, 1).expect("1900-01-01 is a date"),
        Date::from_ymd(PROFILE_LAST_YEAR, 12, 31).expect("2100-12-31 is a date"),
    )
}

/// The date in field `field` (named in the Dutch error): a date without a time, within
/// [`profile_date_range`].
fn toml_date(field: &str, d: &toml::value::Datetime) -> Result<Date, String> {
    let date = match (d.date, d.time) {
        (Some(date), None) => Date::from_ymd(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .ok_or_else(|| format!("{field}: {d} is geen geldige datum"))?,
        _ => {
            return Err(format!(
                "{field}: {d}: verwacht een datum zonder tijd, bijv. 2018-05-01"
            ));
        }
    };
    let (first, last) = profile_date_range();
    if date < first || date > last {
        return Err(format!(
            "{field}: datum {date} ligt buiten het toegestane bereik {first} … {last}"
        ));
    }
    Ok(date)
}

/// The herkomst of one fact from its `bron`/`aanname` pair; `what` names the fact in the
/// error message.
fn herkomst_of(prefix: &str, bron: &Text, aanname: &Text, what: &str) -> Result<Herkomst, String> {
    Herkomst::from_fields(
        prefix,
        bron.as_ref().map(|b| b.get_ref().as_str()),
        aanname.as_ref().map(|a| a.get_ref().as_str()),
    )
    .map_err(|m| format!("{what}: {m}"))
}

/// What is wrong with a `[brief]` table (Dutch, one message per problem): every text filled
/// in, at least one address line, a kenmerk prefix of 1–16 capitals, digits and `-`.
fn letter_template_problems(r: &RawBrief) -> Vec<String> {
    let mut out = Vec::new();
    for (field, v) in [
        ("organisatie", &r.organisatie),
        ("telefoon", &r.telefoon),
        ("email", &r.email),
        ("website", &r.website),
        ("ondertekenaar", &r.ondertekenaar),
        ("functie", &r.functie),
        ("bezwaar_aan", &r.bezwaar_aan),
    ] {
        if v.trim().is_empty() {
            out.push(format!("brief.{field} is leeg"));
        }
    }
    for (field, v) in [
        ("postadres", &r.postadres),
        ("bezwaar_adres", &r.bezwaar_adres),
    ] {
        if v.is_empty() || v.iter().any(|l| l.trim().is_empty()) {
            out.push(format!(
                "brief.{field}: geef minstens één niet-lege adresregel"
            ));
        }
    }
    if !r.email.contains('@') {
        out.push(format!("brief.email: '{}' is geen e-mailadres", r.email));
    }
    let p = &r.kenmerk_prefix;
    if p.is_empty()
        || p.len() > 16
        || !p
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    {
        out.push(format!(
            "brief.kenmerk_prefix: '{p}' moet 1 tot 16 hoofdletters, cijfers of '-' zijn"
        ));
    }
    out
}

impl RegionProfile {
    /// Issue 15: the corporation with this id (`None`: not a corporation of this region).
    pub fn corporatie(&self, id: &str) -> Option<&Corporatie> {
        self.corporaties.iter().find(|c| c.id == id)
    }

    /// Parse and validate a profile; on failure, every error found with its line.
    ///
    /// Every fact must carry its herkomst (`bron` or `aanname`, see [`Herkomst`]): a fact
    /// with neither or both is refused with its line.
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
        // The herkomst of a fact, or an error on `line` and a placeholder.
        let mut herkomst = |line: usize, prefix: &str, bron: &Text, aanname: &Text, what: &str| {
            herkomst_of(prefix, bron, aanname, what).unwrap_or_else(|m| {
                err(line, m);
                Herkomst::Aanname(String::new())
            })
        };
        let mut errs2: Vec<ProfileError> = Vec::new();
        let mut err2 = |line: usize, message: String| errs2.push(ProfileError { line, message });

        let id = RegionId::parse(raw.id.get_ref())
            .map_err(|e| err2(lines.of(&raw.id), e.to_string()))
            .ok();

        let mut toegangen: Vec<Toegang> = Vec::new();
        for t in &raw.toegang {
            let line = lines.of(&t.vanaf);
            let h = herkomst(line, "", &t.bron, &t.aanname, "toegang");
            match toml_date("toegang.vanaf", t.vanaf.get_ref()) {
                Ok(vanaf) => toegangen.push(Toegang {
                    vanaf,
                    naam: t.naam.clone(),
                    model: t.model,
                    toelichting: t.toelichting.clone(),
                    herkomst: h,
                }),
                Err(m) => err2(line, m),
            }
        }
        toegangen.sort_by_key(|t| t.vanaf);
        if raw.toegang.is_empty() {
            err2(
                0,
                "de regio heeft geen toegang ([[toegang]] ontbreekt)".into(),
            );
        }

        let mut gemeenten = Vec::new();
        for g in &raw.gemeenten {
            let line = lines.of(&g.code);
            let h = herkomst(
                line,
                "",
                &g.bron,
                &g.aanname,
                "lidmaatschap van de gemeente",
            );
            let inwoners_herkomst = match (g.inhabitants, &g.inwoners_bron, &g.inwoners_aanname) {
                (None, None, None) => None,
                (None, _, _) => {
                    err2(
                        line,
                        "inwoners_bron/inwoners_aanname zonder inhabitants".into(),
                    );
                    None
                }
                (Some(_), b, a) => Some(herkomst(line, "inwoners", b, a, "inwonertal")),
            };
            let date = |field: &str,
                        d: &Option<Spanned<toml::value::Datetime>>,
                        err2: &mut dyn FnMut(usize, String)| match d {
                Some(d) => toml_date(field, d.get_ref())
                    .map_err(|m| err2(lines.of(d), m))
                    .ok(),
                None => None,
            };
            let valid_from = date("gemeenten.valid_from", &g.valid_from, &mut err2);
            let nieuw_tot = date("gemeenten.nieuw_tot", &g.nieuw_tot, &mut err2);
            let valid_to = date("gemeenten.valid_to", &g.valid_to, &mut err2);
            if let (Some(n), Some(t)) = (nieuw_tot, valid_to)
                && n > t
            {
                err2(
                    line,
                    format!(
                        "nieuw_tot {n} ligt na valid_to {t}: nieuwe cliënten kunnen niet langer dan bestaande"
                    ),
                );
            }
            if let (Some(f), Some(t)) = (valid_from, nieuw_tot.or(valid_to))
                && t < f
            {
                err2(
                    line,
                    format!("lidmaatschap eindigt ({t}) vóór het begint ({f})"),
                );
            }
            // The code must exist during the membership (a former member may carry a
            // retired code).
            let check_on = valid_to.unwrap_or(today_ref).min(today_ref);
            match GemeenteCode::parse(g.code.get_ref()) {
                Ok(code) => match register.valid_on(code, check_on) {
                    Ok(reg) => {
                        if gemeenten.iter().any(|m: &MemberGemeente| m.code == code) {
                            err2(line, format!("gemeente {code} staat twee keer in de regio"));
                        }
                        gemeenten.push(MemberGemeente {
                            code,
                            name: reg.name.clone(),
                            inhabitants: g.inhabitants,
                            inhabitants_synthetic: inwoners_herkomst
                                .as_ref()
                                .is_some_and(Herkomst::is_aanname),
                            inwoners_herkomst,
                            valid_from,
                            nieuw_tot,
                            valid_to,
                            herkomst: h,
                        })
                    }
                    Err(e) => err2(line, e.to_string()),
                },
                Err(e) => err2(line, e.to_string()),
            }
        }
        if raw.gemeenten.is_empty() {
            err2(
                0,
                "de regio heeft geen gemeenten ([[gemeenten]] ontbreekt)".into(),
            );
        }
        let centrum = match GemeenteCode::parse(raw.centrumgemeente.get_ref()) {
            Ok(c) if gemeenten.iter().any(|g| g.code == c) => Some(c),
            Ok(c) => {
                err2(
                    lines.of(&raw.centrumgemeente),
                    format!("centrumgemeente {c} is geen gemeente van deze regio"),
                );
                None
            }
            Err(e) => {
                err2(lines.of(&raw.centrumgemeente), e.to_string());
                None
            }
        };

        let mut subregios = Vec::new();
        for s in &raw.subregio {
            let line = lines.of(&s.naam);
            let h = herkomst(line, "", &s.bron, &s.aanname, "subregio");
            let mut leden = Vec::new();
            for g in &s.gemeenten {
                match GemeenteCode::parse(g.get_ref()) {
                    Ok(c) if gemeenten.iter().any(|m| m.code == c) => leden.push(c),
                    Ok(c) => err2(
                        lines.of(g),
                        format!(
                            "subregio {}: gemeente {c} hoort niet bij deze regio",
                            s.naam.get_ref()
                        ),
                    ),
                    Err(e) => err2(lines.of(g), e.to_string()),
                }
            }
            subregios.push(Subregio {
                naam: s.naam.get_ref().clone(),
                gemeenten: leden,
                herkomst: h,
            });
        }

        let mut products: Vec<Product> = Vec::new();
        for p in &raw.products {
            let line = lines.of(&p.code);
            let code = match ProductCode::parse(p.code.get_ref()) {
                Ok(c) => c,
                Err(e) => {
                    err2(line, e.to_string());
                    continue;
                }
            };
            let what = format!("product {code}");
            let h = herkomst(line, "", &p.bron, &p.aanname, &what);
            let gh = herkomst(
                line,
                "geldigheid",
                &p.geldigheid_bron,
                &p.geldigheid_aanname,
                &format!("{what}, geldigheid"),
            );
            let dh = herkomst(
                line,
                "duur",
                &p.duur_bron,
                &p.duur_aanname,
                &format!("{what}, duur"),
            );
            if products.iter().any(|q| q.code == code) {
                err2(line, format!("productcode {code} komt twee keer voor"));
            }
            let from = toml_date("products.valid_from", p.valid_from.get_ref())
                .map_err(|m| err2(lines.of(&p.valid_from), m))
                .ok();
            let to = match &p.valid_to {
                Some(t) => toml_date("products.valid_to", t.get_ref())
                    .map_err(|m| err2(lines.of(t), m))
                    .ok(),
                None => None,
            };
            if let (Some(f), Some(t)) = (from, to)
                && t < f
            {
                err2(
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
                err2(
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
                err2(
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
                max_nachten: p.max_nachten,
                herkomst: h,
                geldigheid_herkomst: gh,
                duur_herkomst: dh,
            });
        }
        if raw.products.is_empty() {
            err2(
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
                    err2(lines.of(&pr.agb), e.to_string());
                    continue;
                }
            };
            let h = herkomst(
                lines.of(&pr.agb),
                "",
                &pr.bron,
                &pr.aanname,
                &format!("aanbieder {agb}"),
            );
            if providers.iter().any(|p: &Provider| p.agb == agb) {
                err2(
                    lines.of(&pr.agb),
                    format!("aanbieder met AGB-code {agb} komt twee keer voor"),
                );
            }
            providers.push(Provider {
                agb,
                name: pr.name.clone(),
                herkomst: h,
            });
            for l in &pr.locations {
                let lid = match LocationId::parse(l.id.get_ref()) {
                    Ok(i) => i,
                    Err(e) => {
                        err2(lines.of(&l.id), e.to_string());
                        continue;
                    }
                };
                let lh = herkomst(
                    lines.of(&l.id),
                    "",
                    &l.bron,
                    &l.aanname,
                    &format!("locatie {lid}"),
                );
                if locations.iter().any(|x| x.id == lid) {
                    err2(
                        lines.of(&l.id),
                        format!("locatie {lid} komt twee keer voor"),
                    );
                }
                let gemeente = match GemeenteCode::parse(l.gemeente.get_ref()) {
                    Ok(c) if gemeenten.iter().any(|g| g.code == c) => c,
                    Ok(c) => {
                        err2(
                            lines.of(&l.gemeente),
                            format!("locatie {lid}: gemeente {c} hoort niet bij deze regio"),
                        );
                        continue;
                    }
                    Err(e) => {
                        err2(lines.of(&l.gemeente), e.to_string());
                        continue;
                    }
                };
                let mut places = BTreeMap::new();
                for (pc, n) in l.places.get_ref() {
                    match ProductCode::parse(pc) {
                        Ok(c) if products.iter().any(|p| p.code == c) => {
                            places.insert(c, *n);
                        }
                        Ok(c) => err2(
                            lines.of(&l.places),
                            format!("locatie {lid}: product {c} staat niet in de productcatalogus"),
                        ),
                        Err(e) => err2(lines.of(&l.places), e.to_string()),
                    }
                }
                let mut niet_geschikt_voor = Vec::new();
                for (b, span) in l
                    .niet_geschikt_voor
                    .iter()
                    .flat_map(|v| v.get_ref().iter().map(move |b| (b, v)))
                {
                    match crate::events::Behoefte::parse(b) {
                        Some(b) => niet_geschikt_voor.push(b),
                        None => err2(
                            lines.of(span),
                            format!(
                                "locatie {lid}: onbekende behoefte '{b}' in niet_geschikt_voor (kies uit {})",
                                crate::events::Behoefte::ALL.map(|b| b.key()).join(", ")
                            ),
                        ),
                    }
                }
                locations.push(Location {
                    id: lid,
                    name: l.name.clone(),
                    gemeente,
                    provider: agb,
                    places,
                    niet_geschikt_voor,
                    herkomst: lh,
                });
            }
        }

        let mut corporaties: Vec<Corporatie> = Vec::new();
        for c in &raw.corporaties {
            let line = lines.of(&c.id);
            let id = c.id.get_ref().trim().to_owned();
            let h = herkomst(line, "", &c.bron, &c.aanname, &format!("corporatie '{id}'"));
            if id.is_empty()
                || !id
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
            {
                err2(
                    line,
                    format!(
                        "corporaties.id: '{id}' moet uit kleine letters, cijfers en '-' bestaan"
                    ),
                );
            }
            if corporaties.iter().any(|x| x.id == id) {
                err2(line, format!("corporaties.id: '{id}' komt twee keer voor"));
            }
            let mut werkgebied = Vec::new();
            for g in &c.gemeenten {
                match GemeenteCode::parse(g) {
                    Ok(code) if gemeenten.iter().any(|m| m.code == code) => werkgebied.push(code),
                    Ok(code) => err2(
                        line,
                        format!("corporatie '{id}': gemeente {code} hoort niet bij deze regio"),
                    ),
                    Err(e) => err2(line, format!("corporatie '{id}': {e}")),
                }
            }
            if werkgebied.is_empty() {
                err2(
                    line,
                    format!("corporatie '{id}': noem ten minste één gemeente (werkgebied)"),
                );
            }
            corporaties.push(Corporatie {
                id,
                naam: c.naam.clone(),
                gemeenten: werkgebied,
                herkomst: h,
            });
        }

        let mut housing_quotas = Vec::new();
        for q in &raw.housing_quotas {
            let line = lines.of(&q.gemeente);
            let h = herkomst(line, "", &q.bron, &q.aanname, "woningquotum");
            if !(PROFILE_FIRST_YEAR..=PROFILE_LAST_YEAR).contains(&q.year) {
                err2(
                    line,
                    format!(
                        "housing_quotas.year: jaar {} ligt buiten het toegestane bereik {PROFILE_FIRST_YEAR} … {PROFILE_LAST_YEAR}",
                        q.year
                    ),
                );
            }
            let route = match q.route.as_deref() {
                None => None,
                Some(r) => match crate::events::WoonRoute::from_key(r) {
                    Some(r) => Some(r),
                    None => {
                        err2(
                            line,
                            format!(
                                "housing_quotas.route: '{r}' is geen route (regulier, housing_first, kamers_met_aandacht)"
                            ),
                        );
                        None
                    }
                },
            };
            let onderdeel_van = match q.onderdeel_van.as_deref() {
                None => None,
                Some(k) => match crate::woningafspraken::AfspraakSleutel::parse(k) {
                    Some(k) => Some(k),
                    None => {
                        err2(
                            line,
                            format!(
                                "housing_quotas.onderdeel_van: '{k}' is geen afspraak (gemeente/jaar/corporatie/route, * voor alle, bijvoorbeeld GM0268/2025/*/*)"
                            ),
                        );
                        None
                    }
                },
            };
            if let Some(c) = &q.corporatie
                && !corporaties.iter().any(|x| &x.id == c)
            {
                err2(
                    line,
                    format!("housing_quotas.corporatie: '{c}' staat niet onder [[corporaties]]"),
                );
            }
            match GemeenteCode::parse(q.gemeente.get_ref()) {
                Ok(c) if gemeenten.iter().any(|g| g.code == c) => {
                    housing_quotas.push(HousingQuota {
                        gemeente: c,
                        year: q.year,
                        homes: q.homes,
                        kind: q.kind.clone(),
                        corporatie: q.corporatie.clone(),
                        route,
                        onderdeel_van: onderdeel_van.clone(),
                        herkomst: h,
                    })
                }
                Ok(c) => err2(
                    line,
                    format!("woningquotum: gemeente {c} hoort niet bij deze regio"),
                ),
                Err(e) => err2(line, e.to_string()),
            }
        }
        let mut criteria: Vec<crate::rules::Criterion> = Vec::new();
        for c in &raw.criteria {
            let line = lines.of(&c.key);
            let h = herkomst(
                line,
                "",
                &c.bron,
                &c.aanname,
                &format!("criterium '{}'", c.key.get_ref()),
            );
            if criteria.iter().any(|x| x.key == *c.key.get_ref()) {
                err2(
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
                    bron: h.to_string(),
                    herkomst: h,
                    line,
                }),
                Err(m) => err2(
                    lines.of(&c.test),
                    format!("criterium '{}': {m}", c.key.get_ref()),
                ),
            }
        }
        let mut woonplaatsbeginsel = Vec::new();
        for p in &raw.woonplaatsbeginsel {
            let line = lines.of(&p.vanaf);
            let h = herkomst(line, "", &p.bron, &p.aanname, "woonplaatsbeginsel");
            match toml_date("woonplaatsbeginsel.vanaf", p.vanaf.get_ref()) {
                Ok(d) => woonplaatsbeginsel.push((d, p.regime, h)),
                Err(m) => err2(line, m),
            }
        }
        woonplaatsbeginsel.sort_by_key(|(d, _, _)| *d);
        let (woonplaatsbeginsel, woonplaatsbeginsel_herkomst): (Vec<_>, Vec<_>) =
            woonplaatsbeginsel
                .into_iter()
                .map(|(d, r, h)| ((d, r), h))
                .unzip();

        let rn = raw.norms.get_ref();
        let norms_line = lines.of(&raw.norms);
        let norm = |n: &Spanned<RawNorm>, what: &str| {
            herkomst_of("", &n.get_ref().bron, &n.get_ref().aanname, what)
                .map_err(|m| (lines.of(n), m))
        };
        let mut norm_or = |n: &Spanned<RawNorm>, what: &str| {
            norm(n, what).unwrap_or_else(|(l, m)| {
                err2(l.max(norms_line), m);
                Herkomst::Aanname(String::new())
            })
        };
        let nh = NormsHerkomst {
            wachttijd: norm_or(&rn.wachttijd_weken, "norms.wachttijd_weken"),
            beslistermijn: norm_or(&rn.beslistermijn_weken, "norms.beslistermijn_weken"),
            kleine_aantallen: norm_or(
                &rn.kleine_aantallen_drempel,
                "norms.kleine_aantallen_drempel",
            ),
        };
        if rn.kleine_aantallen_drempel.get_ref().waarde == 0 {
            err2(
                lines.of(&rn.kleine_aantallen_drempel),
                "norms.kleine_aantallen_drempel moet minstens 1 zijn".into(),
            );
        }
        let woningzoekend = raw.woningzoekend.as_ref().map(|w| {
            let line = lines.of(w);
            let r = w.get_ref();
            let h = herkomst(line, "", &r.bron, &r.aanname, "woningzoekend");
            let mut producten = Vec::new();
            for pc in &r.producten {
                match ProductCode::parse(pc.get_ref()) {
                    Ok(c) if products.iter().any(|p| p.code == c) => producten.push(c),
                    Ok(c) => err2(
                        lines.of(pc),
                        format!("woningzoekend: product {c} staat niet in de productcatalogus"),
                    ),
                    Err(e) => err2(lines.of(pc), e.to_string()),
                }
            }
            if r.binnen_dagen == 0 {
                err2(
                    line,
                    "woningzoekend.binnen_dagen moet minstens 1 zijn".into(),
                );
            }
            WoningzoekendRegel {
                binnen_dagen: r.binnen_dagen,
                producten,
                herkomst: h,
            }
        });
        let overbezetting = raw.overbezetting.as_ref().map(|o| {
            let r = o.get_ref();
            Overbezetting {
                toegestaan: r.toegestaan,
                herkomst: herkomst(lines.of(o), "", &r.bron, &r.aanname, "overbezetting"),
            }
        });
        let norms = Norms {
            wachttijd_weken: rn.wachttijd_weken.get_ref().waarde,
            beslistermijn_weken: rn.beslistermijn_weken.get_ref().waarde,
            woningzoekend_binnen_dagen: woningzoekend.as_ref().map_or(0, |w| w.binnen_dagen),
            kleine_aantallen_drempel: rn.kleine_aantallen_drempel.get_ref().waarde,
            herkomst: nh,
        };
        let brief = raw.brief.as_ref().map(|b| {
            let line = lines.of(b);
            let r = b.get_ref();
            let h = herkomst(line, "", &r.bron, &r.aanname, "brief");
            for m in letter_template_problems(r) {
                err2(line, m);
            }
            LetterTemplate {
                organisatie: r.organisatie.trim().to_owned(),
                postadres: r.postadres.iter().map(|l| l.trim().to_owned()).collect(),
                telefoon: r.telefoon.trim().to_owned(),
                email: r.email.trim().to_owned(),
                website: r.website.trim().to_owned(),
                ondertekenaar: r.ondertekenaar.trim().to_owned(),
                functie: r.functie.trim().to_owned(),
                kenmerk_prefix: r.kenmerk_prefix.clone(),
                bezwaar_aan: r.bezwaar_aan.trim().to_owned(),
                bezwaar_adres: r
                    .bezwaar_adres
                    .iter()
                    .map(|l| l.trim().to_owned())
                    .collect(),
                herkomst: h,
            }
        });
        errors.append(&mut errs2);

        match (errors.is_empty(), id, centrum, toegangen.last().cloned()) {
            (true, Some(id), Some(centrumgemeente), Some(latest)) => {
                let location_index = locations
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.id.clone(), i))
                    .collect();
                Ok(RegionProfile {
                    id,
                    name: raw.name,
                    centrumgemeente,
                    toegang: latest.naam,
                    access_model: latest.model,
                    toegangen,
                    gemeenten,
                    subregios,
                    products,
                    providers,
                    locations,
                    norms,
                    woningzoekend,
                    overbezetting,
                    housing_quotas,
                    corporaties,
                    sources: raw.sources,
                    criteria,
                    woonplaatsbeginsel,
                    woonplaatsbeginsel_herkomst,
                    brief,
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

    /// The member gemeente with this code (present or past member; see
    /// [`RegionProfile::member_on`] for a date).
    pub fn gemeente(&self, code: GemeenteCode) -> Option<&MemberGemeente> {
        self.gemeenten.iter().find(|g| g.code == code)
    }

    /// Whether gemeente `code` belongs to the region on `date` (for its existing clients).
    pub fn member_on(&self, code: GemeenteCode, date: Date) -> bool {
        self.gemeente(code).is_some_and(|g| g.member_on(date))
    }

    /// Whether a *new* client from gemeente `code` belongs to the region on `date` (a
    /// gemeente leaving a region may stop taking new clients before its existing ones move).
    pub fn member_for_new_on(&self, code: GemeenteCode, date: Date) -> bool {
        self.gemeente(code).is_some_and(|g| g.open_for_new_on(date))
    }

    /// The gemeenten that belong to the region on `date`, in file order.
    pub fn members_on(&self, date: Date) -> impl Iterator<Item = &MemberGemeente> {
        self.gemeenten.iter().filter(move |g| g.member_on(date))
    }

    /// The access organisation in force on `date` (the earliest one before any record).
    pub fn toegang_op(&self, date: Date) -> &Toegang {
        self.toegangen
            .iter()
            .rev()
            .find(|t| t.vanaf <= date)
            .unwrap_or(&self.toegangen[0])
    }

    /// The sub-regio gemeente `code` belongs to, if the region has sub-regio's.
    pub fn subregio_of(&self, code: GemeenteCode) -> Option<&Subregio> {
        self.subregios.iter().find(|s| s.gemeenten.contains(&code))
    }

    /// Whether a clerk may record an overbezetting (a placement beyond a location's places,
    /// with a reason) in this region.
    pub fn overbezetting_toegestaan(&self) -> bool {
        self.overbezetting.as_ref().is_some_and(|o| o.toegestaan)
    }

    /// Whether the woningzoekend rule applies to clients in care with `product`.
    pub fn woningzoekend_geldt(&self, product: &ProductCode) -> bool {
        self.woningzoekend
            .as_ref()
            .is_some_and(|w| w.producten.contains(product))
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
                "valid_from = 2018-05-01\n",
                "valid_from = 2018-05-01\nvalid_to = 2017-01-01\n",
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
        // The renamed gemeente is also gone from the corporation's werkgebied (issue 15).
        assert_eq!(
            find("corporatie 'liemers-wonen': gemeente GM0221").line,
            line_of("id = \"liemers-wonen\"")
        );
        assert_eq!(errs.len(), 5, "{errs:?}");
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

    fn region(id: &str) -> RegionProfile {
        Regions::builtin()
            .get(&RegionId::parse(id).unwrap())
            .unwrap()
            .clone()
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn pc(s: &str) -> ProductCode {
        ProductCode::parse(s).unwrap()
    }

    #[test]
    fn a_fact_without_or_with_both_herkomsten_is_refused_with_its_line() {
        let base = BUILTIN[1].1;
        // Neither: drop the bron of a criterion.
        let text = base.replacen("bron = \"seed 001 §3.1\"\n", "", 1);
        let errs = RegionProfile::parse(&text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].message.contains("criterium 'meerderjarig'"),
            "{errs:?}"
        );
        assert!(
            errs[0].message.contains("bron of aanname ontbreekt"),
            "{errs:?}"
        );
        let key_line = text
            .lines()
            .position(|l| l.contains("key = \"meerderjarig\""))
            .unwrap()
            + 1;
        assert_eq!(errs[0].line, key_line);
        // Both: a location with a bron next to its aanname.
        let text = base.replacen(
            "  aanname = \"demo-waarde: fictieve locatie en plaatsen\"\n",
            "  aanname = \"demo-waarde: fictieve locatie en plaatsen\"\n  bron = \"seed 001\"\n",
            1,
        );
        let errs = RegionProfile::parse(&text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].message.contains("zowel bron als aanname"),
            "{errs:?}"
        );
        assert!(
            errs[0]
                .message
                .contains("locatie rijnbeschut-arnhem-centrum")
        );
        // A product's duration without herkomst, and an empty aanname on a norm.
        let text = base
            .replacen("duur_aanname = \"standaardduur 24 maanden is een demo-waarde; seed 001 noemt geen indicatieduur voor dit product\"\n", "", 1)
            .replacen("kleine_aantallen_drempel = { waarde = 5, aanname = \"Vangnet", "kleine_aantallen_drempel = { waarde = 5, aanname = \" \", x = \"", 1);
        let errs = RegionProfile::parse(&text).unwrap_err();
        assert!(errs.iter().any(|e| e.line > 0), "{errs:?}");
        let text = base.replacen(
            "duur_aanname = \"standaardduur 24 maanden is een demo-waarde; seed 001 noemt geen indicatieduur voor dit product\"\n",
            "",
            1,
        );
        let errs = RegionProfile::parse(&text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].message.contains(
                "product bw-zelfstandig-intensief, duur: duur_bron of duur_aanname ontbreekt"
            ),
            "{errs:?}"
        );
        let text = base.replacen(
            "kleine_aantallen_drempel = { waarde = 5, aanname = \"Vangnet-standaard",
            "kleine_aantallen_drempel = { waarde = 5, aanname = \" \", x = \"Vangnet-standaard",
            1,
        );
        assert!(RegionProfile::parse(&text).is_err());
        let text = base.replacen(
            "kleine_aantallen_drempel = { waarde = 5, aanname = \"Vangnet-standaard voor gepubliceerde cijfers (DOMAIN.md §2: kleine aantallen onderdrukken); de drempel 5 staat in geen seed\" }",
            "kleine_aantallen_drempel = { waarde = 5, aanname = \"  \" }",
            1,
        );
        let errs = RegionProfile::parse(&text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].message.contains("norms.kleine_aantallen_drempel"),
            "{errs:?}"
        );
        assert!(errs[0].line > 0, "{errs:?}");
    }

    #[test]
    fn herkomst_fields_and_display() {
        assert_eq!(
            Herkomst::from_fields("", Some("seed 001 §3.3"), None),
            Ok(Herkomst::Bron("seed 001 §3.3".into()))
        );
        let a = Herkomst::from_fields("duur", None, Some(" demo-waarde ")).unwrap();
        assert_eq!(a, Herkomst::Aanname("demo-waarde".into()));
        assert_eq!(a.to_string(), "aanname: demo-waarde");
        assert_eq!(Herkomst::Bron("x".into()).to_string(), "x");
        assert!(
            Herkomst::from_fields("duur", None, None)
                .unwrap_err()
                .contains("duur_bron of duur_aanname")
        );
        assert!(Herkomst::from_fields("", Some("a"), Some("b")).is_err());
        assert!(Herkomst::from_fields("", Some(""), None).is_err());
    }

    #[test]
    fn centraal_gelderland_products_follow_seeds_001_and_002() {
        let cg = region("centraal-gelderland");
        let p = |c: &str| cg.product(&pc(c)).unwrap_or_else(|| panic!("{c}"));
        // 001 §3.3: groepswonen is BW ambulant (scheiden wonen en zorg).
        let gw = p("bw-groepswonen");
        assert_eq!(gw.setting, Setting::Extramuraal);
        assert!(gw.herkomst.tekst().contains("001") && gw.herkomst.tekst().contains("§3.3"));
        assert_eq!(gw.max_months, Some(24));
        assert!(!gw.duur_herkomst.is_aanname());
        assert_eq!(p("bw-beschermd-wonen").setting, Setting::Intramuraal);
        // Logeeropvang and bed & break only in 002: no invented maximum, an assumed start.
        for c in ["bw-logeeropvang", "bw-bed-and-break"] {
            let x = p(c);
            assert_eq!(x.max_months, None, "{c}");
            assert!(x.herkomst.tekst().contains("002"), "{c}");
            assert!(x.geldigheid_herkomst.is_aanname(), "{c}");
            assert!(!x.valid_on(d("2018-05-01")), "{c}");
        }
        // Pre-May-2018 products end on 30 April 2018; the new ones start on 1 May 2018.
        for c in ["bw-oud-bw", "bw-oud-scheiden-wonen-zorg"] {
            assert!(p(c).valid_on(d("2018-04-30")), "{c}");
            assert!(!p(c).valid_on(d("2018-05-01")), "{c}");
        }
        assert_eq!(
            p("bw-oud-scheiden-wonen-zorg").setting,
            Setting::Extramuraal
        );
        assert!(p("bw-intensief").valid_on(d("2018-05-01")));
        // The MO forms of 001 §3.2.
        for c in [
            "mo-crisis-volwassenen",
            "mo-crisis-gezinnen",
            "mo-zwerfjongeren",
        ] {
            assert_eq!(p(c).domain, Domain::Mo, "{c}");
            assert!(p(c).herkomst.tekst().contains("001 §3.2"), "{c}");
            assert!(cg.capacity(&pc(c)) > 0, "{c}");
        }
        // Housing quotas without seed basis are marked.
        assert!(cg.housing_quotas.iter().all(|q| q.herkomst.is_aanname()));
    }

    #[test]
    fn centraal_gelderland_access_per_001_then_002() {
        let cg = region("centraal-gelderland");
        let before = cg.toegang_op(d("2019-06-01"));
        assert_eq!(before.model, AccessModel::Gezamenlijk);
        assert!(before.herkomst.tekst().contains("001 §3.1"));
        assert_eq!(cg.toegang_op(d("2010-01-01")), before);
        let after = cg.toegang_op(d("2025-06-01"));
        assert_eq!(after.model, AccessModel::Hybride);
        // The date of the hybrid model is our assumption; its content is 002's.
        assert!(after.herkomst.is_aanname());
        assert!(after.herkomst.tekst().contains("002"));
        assert_eq!(cg.access_model, AccessModel::Hybride);
        assert_eq!(cg.toegang, after.naam);
    }

    #[test]
    fn overbezetting_is_an_optional_setting_with_its_herkomst_and_line_errors() {
        let cg = region("centraal-gelderland");
        let o = cg.overbezetting.as_ref().unwrap();
        assert!(o.toegestaan && o.herkomst.is_aanname());
        assert!(cg.overbezetting_toegestaan());
        for id in [
            "nijmegen-rivierenland",
            "meierij-bommelerwaard",
            "drechtsteden",
        ] {
            assert!(!region(id).overbezetting_toegestaan(), "{id}");
        }
        // Without a herkomst: an error naming the setting and its line.
        let base = BUILTIN
            .iter()
            .find(|(id, _)| *id == "centraal-gelderland.toml")
            .unwrap()
            .1;
        let start = base.find("[overbezetting]").unwrap();
        let line = base[..start].lines().count() + 1;
        let end = start + base[start..].find("aanname = ").unwrap();
        let stop = end + base[end..].find('\n').unwrap() + 1;
        let text = format!("{}{}", &base[..end], &base[stop..]);
        let errs = RegionProfile::parse(&text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.contains("overbezetting"), "{errs:?}");
        assert_eq!(errs[0].line, line, "{errs:?}");
        // A wrong type is refused with its line too.
        let text = base.replacen("toegestaan = true", "toegestaan = \"ja\"", 1);
        let errs = RegionProfile::parse(&text).unwrap_err();
        assert_eq!(errs[0].line, line + 1, "{errs:?}");
    }

    #[test]
    fn only_centraal_gelderland_has_the_woningzoekend_rule_and_only_for_groepswonen() {
        let cg = region("centraal-gelderland");
        let w = cg.woningzoekend.as_ref().unwrap();
        assert_eq!(w.binnen_dagen, 30);
        assert!(w.herkomst.tekst().contains("001 bijlage 3"));
        assert!(cg.woningzoekend_geldt(&pc("bw-groepswonen")));
        assert!(!cg.woningzoekend_geldt(&pc("bw-beschermd-wonen")));
        assert_eq!(cg.norms.woningzoekend_binnen_dagen, 30);
        for id in [
            "nijmegen-rivierenland",
            "meierij-bommelerwaard",
            "drechtsteden",
        ] {
            let p = region(id);
            assert!(p.woningzoekend.is_none(), "{id}");
            assert_eq!(p.norms.woningzoekend_binnen_dagen, 0, "{id}");
        }
    }

    #[test]
    fn norms_carry_their_herkomst() {
        for p in Regions::builtin().all() {
            // The waiting norm for a place has no seed anywhere; the decision term is the Wmo's.
            assert!(p.norms.herkomst.wachttijd.is_aanname(), "{}", p.id);
            assert!(
                p.norms
                    .herkomst
                    .beslistermijn
                    .tekst()
                    .contains("art. 2.3.5 lid 1"),
                "{}",
                p.id
            );
            assert!(!p.norms.herkomst.beslistermijn.is_aanname());
        }
    }

    #[test]
    fn criteria_come_from_the_regions_own_seed_or_are_marked() {
        for p in Regions::builtin().all() {
            for c in &p.criteria {
                let own = match p.id.as_str() {
                    "centraal-gelderland" => "001",
                    "nijmegen-rivierenland" => "000",
                    "meierij-bommelerwaard" => "003",
                    _ => "004",
                };
                // A cited source is the region's own seed (or the product brief); a copy of
                // another region's criteria is an assumption.
                if let Herkomst::Bron(b) = &c.herkomst {
                    assert!(
                        b.contains(&format!("seed {own}")) || b.starts_with("DOMAIN.md"),
                        "{} {}: {b}",
                        p.id,
                        c.key
                    );
                }
                assert_eq!(c.bron, c.herkomst.to_string());
            }
        }
        let mb = region("meierij-bommelerwaard");
        let find = |k: &str| mb.criteria.iter().find(|c| c.key == k).unwrap();
        assert!(find("rechtmatig_verblijf").herkomst.is_aanname());
        let zrm = find("zrm_twee_domeinen");
        assert!(zrm.herkomst.is_aanname() && zrm.herkomst.tekst().contains("interpretatie"));
        assert_eq!(zrm.domain, crate::rules::CriterionDomain::Alle);
        let dr = region("drechtsteden");
        assert!(
            dr.criteria
                .iter()
                .any(|c| c.domain == crate::rules::CriterionDomain::Vo
                    && c.herkomst.tekst().contains("huiselijk geweld"))
        );
        assert!(
            dr.criteria
                .iter()
                .all(|c| !c.herkomst.tekst().contains("seed 001 §3.1") || c.herkomst.is_aanname())
        );
        let nr = region("nijmegen-rivierenland");
        assert!(
            nr.criteria
                .iter()
                .filter(|c| c.herkomst.tekst().contains("001"))
                .all(|c| c.herkomst.is_aanname())
        );
    }

    #[test]
    fn vijfheerenlanden_leaves_drechtsteden_new_clients_first() {
        let dr = region("drechtsteden");
        let vhl = GemeenteCode::parse("GM1961").unwrap();
        let leerdam = GemeenteCode::parse("GM0545").unwrap();
        assert!(dr.member_on(leerdam, d("2018-12-31")));
        assert!(!dr.member_on(leerdam, d("2019-01-01")));
        assert!(!dr.member_on(vhl, d("2018-12-31")));
        assert!(dr.member_for_new_on(vhl, d("2019-12-31")));
        assert!(!dr.member_for_new_on(vhl, d("2020-01-01")));
        assert!(dr.member_on(vhl, d("2020-12-31")));
        assert!(!dr.member_on(vhl, d("2021-01-01")));
        assert_eq!(dr.members_on(d("2025-01-01")).count(), 9);
        assert!(!dr.gemeente(vhl).unwrap().herkomst.is_aanname());
        // No provider location lies in a former member.
        assert!(
            dr.locations
                .iter()
                .all(|l| dr.member_on(l.gemeente, d("2025-01-01")))
        );
        // Validity dates are checked.
        let text = BUILTIN[3]
            .1
            .replacen("nieuw_tot = 2019-12-31", "nieuw_tot = 2021-12-31", 1);
        let errs = RegionProfile::parse(&text).unwrap_err();
        assert!(
            errs[0]
                .message
                .contains("nieuw_tot 2021-12-31 ligt na valid_to"),
            "{errs:?}"
        );
        assert!(errs[0].line > 0);
    }

    #[test]
    fn nijmegen_has_two_sub_regios_covering_every_gemeente_once() {
        let nr = region("nijmegen-rivierenland");
        let names: Vec<&str> = nr.subregios.iter().map(|s| s.naam.as_str()).collect();
        assert_eq!(names, ["Rijk van Nijmegen", "Rivierenland"]);
        for g in &nr.gemeenten {
            let n = nr
                .subregios
                .iter()
                .filter(|s| s.gemeenten.contains(&g.code))
                .count();
            assert_eq!(n, 1, "{}", g.name);
        }
        let tiel = GemeenteCode::parse("GM0281").unwrap();
        assert_eq!(nr.subregio_of(tiel).unwrap().naam, "Rivierenland");
        // The seed does not list the gemeenten per sub-regio: marked.
        assert!(nr.subregios.iter().all(|s| s.herkomst.is_aanname()));
    }

    #[test]
    fn drechtsteden_logeer_is_not_valid_before_it_was_created() {
        let dr = region("drechtsteden");
        let l = dr.product(&pc("bw-logeer")).unwrap();
        assert!(!l.valid_on(d("2016-06-01")));
        assert!(l.herkomst.is_aanname() && l.geldigheid_herkomst.is_aanname());
    }

    #[test]
    fn fictitious_providers_and_places_are_marked() {
        for p in Regions::builtin().all() {
            assert!(
                p.providers.iter().all(|x| x.herkomst.is_aanname()),
                "{}",
                p.id
            );
            assert!(
                p.locations.iter().all(|x| x.herkomst.is_aanname()),
                "{}",
                p.id
            );
            for g in &p.gemeenten {
                assert_eq!(
                    g.inhabitants_synthetic,
                    g.inwoners_herkomst
                        .as_ref()
                        .is_some_and(Herkomst::is_aanname)
                );
            }
        }
    }

    #[test]
    fn every_profile_date_lies_in_1900_to_2100_and_errors_name_line_and_field() {
        let good = BUILTIN[3].1;
        let text = good
            .replacen("vanaf = 2015-01-01", "vanaf = 9999-12-31", 1)
            .replacen(
                "nieuw_tot = 2019-12-31\nvalid_to = 2020-12-31",
                "nieuw_tot = 2019-12-31\nvalid_to = 2101-01-01",
                1,
            )
            .replacen(
                "\nvalid_from = 2015-01-01\n",
                "\nvalid_from = 1899-12-31\n",
                1,
            )
            .replacen("year = 2025", "year = 12025", 1);
        let errs = RegionProfile::parse(&text).unwrap_err();
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let find = |part: &str| {
            errs.iter()
                .find(|e| e.message.contains(part))
                .unwrap_or_else(|| panic!("no error about {part}: {errs:?}"))
        };
        let e = find("toegang.vanaf: datum 9999-12-31 ligt buiten het toegestane bereik");
        assert_eq!(e.line, line_of("vanaf = 9999-12-31"));
        assert!(e.message.contains("1900-01-01 … 2100-12-31"), "{e}");
        assert_eq!(
            find("gemeenten.valid_to: datum 2101-01-01").line,
            line_of("valid_to = 2101-01-01")
        );
        assert_eq!(
            find("products.valid_from: datum 1899-12-31").line,
            line_of("valid_from = 1899-12-31")
        );
        assert!(find("housing_quotas.year: jaar 12025").line > 0);
        assert_eq!(errs.len(), 4, "{errs:?}");
        // `vangnet region check` prints each as `regel N: …`.
        assert!(
            e.to_string()
                .starts_with(&format!("regel {}: toegang.vanaf", e.line))
        );

        // The edges themselves are allowed.
        let edges = good
            .replacen(
                "nieuw_tot = 2019-12-31\nvalid_to = 2020-12-31",
                "nieuw_tot = 2019-12-31\nvalid_to = 2100-12-31",
                1,
            )
            .replacen(
                "\nvalid_from = 2015-01-01\n",
                "\nvalid_from = 1900-01-01\n",
                1,
            )
            .replacen("year = 2025", "year = 2100", 1);
        let p = RegionProfile::parse(&edges).unwrap();
        assert!(
            p.gemeenten
                .iter()
                .any(|g| g.valid_to == Some(d("2100-12-31")))
        );
        assert!(p.products.iter().any(|x| x.valid_from == d("1900-01-01")));
        assert_eq!(profile_date_range(), (d("1900-01-01"), d("2100-12-31")));
    }

    // feat/brief: the decision-letter template.
    #[test]
    fn every_builtin_region_has_a_letter_template_marked_aanname() {
        for p in Regions::builtin().all() {
            let b = p
                .brief
                .as_ref()
                .unwrap_or_else(|| panic!("{} heeft geen [brief]", p.id));
            assert!(
                b.herkomst.is_aanname(),
                "{}: fictieve gegevens zijn een aanname",
                p.id
            );
            assert!(!b.postadres.is_empty() && !b.bezwaar_adres.is_empty());
            assert!(b.email.contains('@') && !b.ondertekenaar.is_empty());
            assert!(!b.kenmerk_prefix.is_empty());
        }
    }

    #[test]
    fn a_letter_template_without_herkomst_or_with_a_bad_prefix_is_refused_with_its_line() {
        let base = include_str!("../../../regions/drechtsteden.toml");
        let no_herkomst = base.replace("\naanname = \"fictieve demo-waarden", "\n# \"");
        let errs = RegionProfile::parse(&no_herkomst).unwrap_err();
        let line = no_herkomst.lines().position(|l| l == "[brief]").unwrap() + 1;
        assert!(
            errs.iter()
                .any(|e| e.line == line && e.message.starts_with("brief")),
            "{errs:?}"
        );
        let bad = base.replace("kenmerk_prefix = \"SDD-BW\"", "kenmerk_prefix = \"sdd bw\"");
        let errs = RegionProfile::parse(&bad).unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.message.contains("brief.kenmerk_prefix")),
            "{errs:?}"
        );
        let empty = base.replace("telefoon = \"078 000 1000\"", "telefoon = \" \"");
        let errs = RegionProfile::parse(&empty).unwrap_err();
        assert!(
            errs.iter().any(|e| e.message == "brief.telefoon is leeg"),
            "{errs:?}"
        );
    }
}
