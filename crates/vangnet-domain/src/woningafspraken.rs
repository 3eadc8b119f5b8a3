//! Issue 15: woningafspraken — quota agreements with housing corporations — and their
//! realisation, and the spreiding of outflow over the gemeenten. No I/O.
//!
//! - An [`Afspraak`]: gemeente × corporation (or all of the gemeente's corporations) × year ×
//!   route (or any route) × homes, with its source. The profile's `housing_quotas` are the
//!   first ones ([`Afspraak::van_profiel`]); the region adds more on screen (the store's
//!   `woningafspraken` register). [`check_afspraak`] is the validation both use.
//! - The housing facts come in as monthly counts ([`WoonTelling`]), read from the monitor's
//!   offer measures ([`telling_uit_cel`]): offers, acceptances, refusals, tenancies keyed
//!   by the home's gemeente, the corporation and the route.
//! - [`realisatie`]: per agreement, per month of its year, what was offered, accepted and
//!   signed among the facts it covers (same gemeente and year; same corporation and route
//!   when the agreement names one), with the agreed homes pro rata per month
//!   ([`Realisatie::pro_rata`]: homes × months / 12) and the realisation (tenancies /
//!   agreed homes). Agreements may overlap (a Housing First agreement and a general one of
//!   the same gemeente both count a Housing First tenancy): each shows its own realisation.
//!   An agreement may name the one it is part of ([`Afspraak::onderdeel_van`], checked by
//!   [`check_onderdeel`]: same gemeente and year, no cycle); totals count only agreements
//!   that are not part of another ([`telt_in_totaal`], display order [`genest`]).
//! - [`AnderGebruik`]: homes of an agreement that went to other target groups (seed 000:
//!   the 6 % share is shared with other groups), per month or year, as the corporation
//!   reports them ([`check_ander_gebruik`]); [`gebruik`]: agreed, used by BW/MO outflow
//!   (tenancies), used by others, left — more than agreed is a warning, not a refusal.
//! - [`spreiding`]: outflow with a home per destination gemeente (`einde_zorg` with
//!   `woning`, the monitor's `uitstroom_woning`) against each gemeente's share of the
//!   agreed homes (the sum of its agreements of the year that are not part of another —
//!   [`telt_in_totaal`]; aanname: agreements not linked add up) and
//!   its share of the region's inhabitants (the profile's `inhabitants`; when a gemeente has
//!   none, no inhabitant shares are shown — [`Spreiding::inwoners_compleet`] — and in the
//!   shipped profiles they are demo values, an aanname: [`Spreiding::inwoners_aanname`]).

use crate::events::WoonRoute;
use crate::gemeenten::Gemeenten;
use crate::ids::GemeenteCode;
use crate::monitor::{Measure, woon_part};
use crate::region::{Herkomst, HousingQuota, RegionProfile};
use crate::state::RuleError;
use crate::{Date, Maand};

/// First year an agreement may be for (aanname: the Wmo 2015 made BW/MO a municipal task).
pub const EERSTE_JAAR: i32 = 2015;
/// Last year an agreement may be for (aanname: no agreement runs further ahead).
pub const LAATSTE_JAAR: i32 = 2050;
/// Largest number of homes in one agreement (aanname: far above any gemeente's yearly
/// social-rental turnover; catches a typo).
pub const MAX_WONINGEN: i64 = 100_000;

/// Woningafspraak: homes agreed for BW/MO outflow in a gemeente in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Afspraak {
    /// Gemeente of the homes.
    pub gemeente: GemeenteCode,
    /// The corporation that agreed (profile `corporaties.id`; `None`: the gemeente's
    /// corporations together).
    pub corporatie: Option<String>,
    /// Calendar year.
    pub jaar: i32,
    /// Route the homes are for (`None`: any route).
    pub route: Option<WoonRoute>,
    /// Homes agreed in the year.
    pub woningen: i64,
    /// What kind of agreement (e.g. "Housing First", "6%-afspraak").
    pub soort: String,
    /// Where it comes from (bron or aanname).
    pub herkomst: Herkomst,
    /// Onderdeel van: the agreement this one is part of (e.g. Housing First within the 6 %
    /// share), by its key; such a part is shown under its parent and not counted again in
    /// totals ([`telt_in_totaal`]). Checked by [`check_onderdeel`].
    pub onderdeel_van: Option<AfspraakSleutel>,
}

/// Afspraaksleutel: what names an agreement in force — gemeente, year, corporation (`None`:
/// all) and route (`None`: any). A later agreement with the same key replaces the earlier.
/// Text form [`AfspraakSleutel::tekst`]: `GM0268/2025/waalstad/housing_first`, `*` for none.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AfspraakSleutel {
    /// Gemeente.
    pub gemeente: GemeenteCode,
    /// Year.
    pub jaar: i32,
    /// Corporation id (`None`: all of the gemeente's).
    pub corporatie: Option<String>,
    /// Route (`None`: any).
    pub route: Option<WoonRoute>,
}

impl AfspraakSleutel {
    /// `GM0268/2025/*/housing_first`.
    pub fn tekst(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.gemeente,
            self.jaar,
            self.corporatie.as_deref().unwrap_or("*"),
            self.route.map_or("*", WoonRoute::key)
        )
    }

    /// The key of [`AfspraakSleutel::tekst`]'s form (`None` when it does not parse).
    pub fn parse(s: &str) -> Option<AfspraakSleutel> {
        let mut it = s.trim().split('/');
        let gemeente = GemeenteCode::parse(it.next()?).ok()?;
        let jaar = it.next()?.parse().ok()?;
        let corporatie = match it.next()? {
            "" => return None,
            "*" => None,
            c => Some(c.to_owned()),
        };
        let route = match it.next()? {
            "*" => None,
            r => Some(WoonRoute::from_key(r)?),
        };
        if it.next().is_some() {
            return None;
        }
        Some(AfspraakSleutel {
            gemeente,
            jaar,
            corporatie,
            route,
        })
    }
}

impl Afspraak {
    /// Its key (gemeente, year, corporation, route).
    pub fn sleutel(&self) -> AfspraakSleutel {
        AfspraakSleutel {
            gemeente: self.gemeente,
            jaar: self.jaar,
            corporatie: self.corporatie.clone(),
            route: self.route,
        }
    }

    /// The agreement of a profile's `housing_quotas` entry.
    pub fn van_profiel(q: &HousingQuota) -> Afspraak {
        Afspraak {
            gemeente: q.gemeente,
            corporatie: q.corporatie.clone(),
            jaar: q.year,
            route: q.route,
            woningen: i64::from(q.homes),
            soort: q.kind.clone(),
            herkomst: q.herkomst.clone(),
            onderdeel_van: q.onderdeel_van.clone(),
        }
    }

    /// Whether a fact of the home's gemeente `g`, corporation `c` and route `r` in year
    /// `jaar` counts against this agreement.
    pub fn telt(&self, jaar: i32, g: GemeenteCode, c: Option<&str>, r: Option<WoonRoute>) -> bool {
        self.jaar == jaar
            && self.gemeente == g
            && self.corporatie.as_deref().is_none_or(|x| Some(x) == c)
            && self.route.is_none_or(|x| Some(x) == r)
    }
}

/// The profile's agreements ([`Afspraak::van_profiel`] of every `housing_quotas` entry).
pub fn profiel_afspraken(p: &RegionProfile) -> Vec<Afspraak> {
    p.housing_quotas.iter().map(Afspraak::van_profiel).collect()
}

fn fout(code: &'static str, field: &'static str, m: impl Into<String>) -> RuleError {
    RuleError::new(code, field, m)
}

/// The checks of one agreement for region `p`: the year within
/// [`EERSTE_JAAR`]..=[`LAATSTE_JAAR`]; the gemeente a member of the region on some day of
/// that year and existing in the national register then (not retired); the corporation one
/// of the region's, working in that gemeente; homes 0..=[`MAX_WONINGEN`]; a kind and a
/// herkomst text. Every refusal a stable code, the field and a Dutch message.
pub fn check_afspraak(p: &RegionProfile, a: &Afspraak) -> Result<(), RuleError> {
    if !(EERSTE_JAAR..=LAATSTE_JAAR).contains(&a.jaar) {
        return Err(fout(
            "afspraak.jaar",
            "jaar",
            format!(
                "{} ligt buiten {EERSTE_JAAR}–{LAATSTE_JAAR}; een afspraak geldt voor een kalenderjaar",
                a.jaar
            ),
        ));
    }
    let (eerste, laatste) = jaar_dagen(a.jaar);
    let Some(m) = p.gemeenten.iter().find(|m| m.code == a.gemeente) else {
        return Err(fout(
            "afspraak.gemeente_onbekend",
            "gemeente",
            format!("{} is geen gemeente van {}", a.gemeente, p.name),
        ));
    };
    let lid = m.valid_from.is_none_or(|f| f <= laatste) && m.valid_to.is_none_or(|t| t >= eerste);
    let bestaat = [eerste, laatste]
        .into_iter()
        .any(|d| Gemeenten::national().valid_on(a.gemeente, d).is_ok());
    if !lid || !bestaat {
        return Err(fout(
            "afspraak.gemeente_opgeheven",
            "gemeente",
            format!(
                "{} ({}) hoort in {} niet (meer) bij {}",
                m.name, a.gemeente, a.jaar, p.name
            ),
        ));
    }
    if let Some(c) = &a.corporatie {
        let Some(corp) = p.corporatie(c) else {
            return Err(fout(
                "afspraak.corporatie_onbekend",
                "corporatie",
                format!("'{c}' is geen woningcorporatie van {}", p.name),
            ));
        };
        if !corp.gemeenten.contains(&a.gemeente) {
            return Err(fout(
                "afspraak.buiten_werkgebied",
                "corporatie",
                format!("{} heeft geen woningen in {}", corp.naam, m.name),
            ));
        }
    }
    if a.woningen < 0 {
        return Err(fout(
            "afspraak.woningen_negatief",
            "woningen",
            "het aantal woningen kan niet negatief zijn",
        ));
    }
    if a.woningen > MAX_WONINGEN {
        return Err(fout(
            "afspraak.woningen_te_veel",
            "woningen",
            format!("meer dan {MAX_WONINGEN} woningen in één afspraak is vast een tikfout"),
        ));
    }
    if a.soort.trim().is_empty() {
        return Err(fout(
            "afspraak.soort",
            "soort",
            "noem wat voor afspraak het is (bijvoorbeeld 'Housing First')",
        ));
    }
    crate::limits::check_text("soort", &a.soort, 200, false)
        .map_err(|e| fout("afspraak.soort", "soort", e.message))?;
    if a.herkomst.tekst().trim().is_empty() {
        return Err(fout(
            "afspraak.herkomst",
            "herkomst",
            "noem de bron van de afspraak of waarom het een aanname is",
        ));
    }
    crate::limits::check_text(
        "herkomst",
        a.herkomst.tekst(),
        crate::limits::MAX_TEXT_CHARS,
        false,
    )
    .map_err(|e| fout("afspraak.herkomst", "herkomst", e.message))?;
    Ok(())
}

/// The check of an agreement's [`Afspraak::onderdeel_van`] against the region's agreements
/// in force `geldend` (the profile's and entered ones; `a`'s own earlier version may be among
/// them): the parent exists, is not `a` itself, has the same gemeente and year (an agreement
/// is for one calendar year, so "overlapping years" is the same year), and following the
/// parents from it never comes back to `a` (no cycle). Codes `afspraak.onderdeel_*`, field
/// `onderdeel_van`.
pub fn check_onderdeel(geldend: &[Afspraak], a: &Afspraak) -> Result<(), RuleError> {
    let Some(ouder) = &a.onderdeel_van else {
        return Ok(());
    };
    let f = |code, m: String| Err(fout(code, "onderdeel_van", m));
    let eigen = a.sleutel();
    if *ouder == eigen {
        return f(
            "afspraak.onderdeel_zelf",
            "een afspraak kan geen onderdeel van zichzelf zijn".into(),
        );
    }
    let Some(p) = geldend.iter().find(|x| x.sleutel() == *ouder) else {
        return f(
            "afspraak.onderdeel_onbekend",
            format!(
                "er geldt geen afspraak {} in deze regio om onderdeel van te zijn",
                ouder.tekst()
            ),
        );
    };
    if p.jaar != a.jaar {
        return f(
            "afspraak.onderdeel_jaar",
            format!(
                "de afspraak is voor {}, die van {} voor {}: een onderdeel hoort bij een afspraak van hetzelfde jaar",
                a.jaar, p.soort, p.jaar
            ),
        );
    }
    if p.gemeente != a.gemeente {
        return f(
            "afspraak.onderdeel_gemeente",
            format!(
                "'{}' is een afspraak van {}, deze van {}: een onderdeel hoort bij een afspraak van dezelfde gemeente",
                p.soort, p.gemeente, a.gemeente
            ),
        );
    }
    let mut cur = p.onderdeel_van.clone();
    for _ in 0..=geldend.len() {
        let Some(k) = cur else { return Ok(()) };
        if k == eigen {
            return f(
                "afspraak.onderdeel_kring",
                format!(
                    "'{}' is zelf (via via) onderdeel van deze afspraak: dat wordt een kring",
                    p.soort
                ),
            );
        }
        cur = geldend
            .iter()
            .find(|x| x.sleutel() == k)
            .and_then(|x| x.onderdeel_van.clone());
    }
    Ok(())
}

/// Whether `afspraken[i]` counts in totals over `afspraken`: it is not part of another
/// agreement in the list (a part whose parent is not among them counts on its own).
pub fn telt_in_totaal(afspraken: &[Afspraak], i: usize) -> bool {
    afspraken[i]
        .onderdeel_van
        .as_ref()
        .is_none_or(|k| !afspraken.iter().any(|x| x.sleutel() == *k))
}

/// The homes agreed in year `jaar` over `afspraken`, each counted once: only agreements
/// that are not part of another of that year ([`telt_in_totaal`]).
pub fn afgesproken_totaal(afspraken: &[Afspraak], jaar: i32) -> i64 {
    let van_jaar: Vec<Afspraak> = afspraken
        .iter()
        .filter(|a| a.jaar == jaar)
        .cloned()
        .collect();
    (0..van_jaar.len())
        .filter(|i| telt_in_totaal(&van_jaar, *i))
        .map(|i| van_jaar[i].woningen)
        .sum()
}

/// The display order of `afspraken`: (index, depth) with each agreement that counts in
/// totals followed by its parts (depth 1), their parts (depth 2) and so on, in list order.
/// Every index appears once (a cycle — which [`check_onderdeel`] refuses — is cut).
pub fn genest(afspraken: &[Afspraak]) -> Vec<(usize, usize)> {
    fn onder(afs: &[Afspraak], i: usize, d: usize, out: &mut Vec<(usize, usize)>) {
        if out.iter().any(|(j, _)| *j == i) {
            return;
        }
        out.push((i, d));
        let k = afs[i].sleutel();
        for (j, a) in afs.iter().enumerate() {
            if j != i && a.onderdeel_van.as_ref() == Some(&k) {
                onder(afs, j, d + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    for i in 0..afspraken.len() {
        if telt_in_totaal(afspraken, i) {
            onder(afspraken, i, 0, &mut out);
        }
    }
    for i in 0..afspraken.len() {
        onder(afspraken, i, 0, &mut out);
    }
    out
}

/// Largest doelgroep label (aanname: a short name).
pub const MAX_DOELGROEP: usize = 60;

/// Gebruik door andere doelgroepen: homes of an agreement that went to other target groups
/// than BW/MO outflow (seed 000: the 6 % share for special target groups is shared with
/// e.g. statushouders), as the corporation reported them, for a month or a whole year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnderGebruik {
    /// The agreement.
    pub afspraak: AfspraakSleutel,
    /// Year of the figure (the agreement's year).
    pub jaar: i32,
    /// Month 1–12 (`None`: the whole year).
    pub maand: Option<u32>,
    /// The other target group, a short free label ("statushouders", "mantelzorg", "overig").
    pub doelgroep: String,
    /// Homes.
    pub aantal: i64,
    /// Where the figure comes from.
    pub herkomst: Herkomst,
}

impl AnderGebruik {
    /// What a later figure replaces: agreement, period and target group.
    pub fn sleutel(&self) -> (AfspraakSleutel, i32, Option<u32>, String) {
        (
            self.afspraak.clone(),
            self.jaar,
            self.maand,
            self.doelgroep.trim().to_lowercase(),
        )
    }
}

/// The figures in force of the recorded ones (oldest first): a later one with the same
/// agreement, period and target group (case-insensitive) replaces the earlier in its place.
pub fn geldend_ander_gebruik(vastgelegd: &[AnderGebruik]) -> Vec<AnderGebruik> {
    let mut out: Vec<AnderGebruik> = Vec::new();
    for g in vastgelegd {
        match out.iter_mut().find(|x| x.sleutel() == g.sleutel()) {
            Some(slot) => *slot = g.clone(),
            None => out.push(g.clone()),
        }
    }
    out
}

/// The checks of a figure of other groups' use against the agreements in force `geldend`
/// and the figures in force `eerder`: the agreement exists; the period in its year (month
/// 1–12); no year figure next to month figures of the same agreement and target group (they
/// would count twice); a count 0..=[`MAX_WONINGEN`]; a target group and a herkomst. A use
/// above the agreed homes is no refusal (the corporation's figures rule): see [`gebruik`].
pub fn check_ander_gebruik(
    geldend: &[Afspraak],
    eerder: &[AnderGebruik],
    g: &AnderGebruik,
) -> Result<(), RuleError> {
    let Some(a) = geldend.iter().find(|a| a.sleutel() == g.afspraak) else {
        return Err(fout(
            "gebruik.afspraak_onbekend",
            "afspraak",
            format!(
                "er geldt geen afspraak {} in deze regio",
                g.afspraak.tekst()
            ),
        ));
    };
    if g.jaar != a.jaar || g.maand.is_some_and(|m| !(1..=12).contains(&m)) {
        let periode = match g.maand.and_then(|m| Maand::new(g.jaar, m)) {
            Some(m) => m.naam(),
            None => g.jaar.to_string(),
        };
        return Err(fout(
            "gebruik.maand",
            "maand",
            format!(
                "{periode} valt buiten het jaar van de afspraak ({}); kies een maand van {} of het hele jaar",
                a.jaar, a.jaar
            ),
        ));
    }
    let groep = g.doelgroep.trim().to_lowercase();
    let botst = eerder.iter().any(|e| {
        e.afspraak == g.afspraak
            && e.jaar == g.jaar
            && e.doelgroep.trim().to_lowercase() == groep
            && e.maand.is_none() != g.maand.is_none()
    });
    if botst {
        return Err(fout(
            "gebruik.jaar_en_maand",
            "maand",
            format!(
                "voor '{}' bij deze afspraak staan al {}: leg per doelgroep óf per maand óf voor het hele jaar vast, anders telt het dubbel",
                g.doelgroep.trim(),
                if g.maand.is_some() {
                    "cijfers voor het hele jaar"
                } else {
                    "cijfers per maand"
                }
            ),
        ));
    }
    if g.aantal < 0 {
        return Err(fout(
            "gebruik.aantal_negatief",
            "aantal",
            "het aantal woningen kan niet negatief zijn",
        ));
    }
    if g.aantal > MAX_WONINGEN {
        return Err(fout(
            "gebruik.aantal_te_veel",
            "aantal",
            format!("meer dan {MAX_WONINGEN} woningen is vast een tikfout"),
        ));
    }
    if g.doelgroep.trim().is_empty() {
        return Err(fout(
            "gebruik.doelgroep",
            "doelgroep",
            "noem de doelgroep (bijvoorbeeld 'statushouders', 'mantelzorg' of 'overig')",
        ));
    }
    crate::limits::check_text("doelgroep", &g.doelgroep, MAX_DOELGROEP, false)
        .map_err(|e| fout("gebruik.doelgroep", "doelgroep", e.message))?;
    if g.herkomst.tekst().trim().is_empty() {
        return Err(fout(
            "gebruik.herkomst",
            "herkomst",
            "noem de bron van het cijfer (bijvoorbeeld de opgave van de corporatie) of waarom het een aanname is",
        ));
    }
    crate::limits::check_text(
        "herkomst",
        g.herkomst.tekst(),
        crate::limits::MAX_TEXT_CHARS,
        false,
    )
    .map_err(|e| fout("gebruik.herkomst", "herkomst", e.message))?;
    Ok(())
}

/// An agreement's homes and their use in its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gebruik {
    /// Agreed homes.
    pub afgesproken: i64,
    /// Used by BW/MO outflow: tenancies signed ([`Realisatie::totaal`]).
    pub bw_mo: i64,
    /// Used by other target groups (the figures in force of the agreement).
    pub ander: i64,
}

impl Gebruik {
    /// Left: agreed − BW/MO − other groups (negative when more was used than agreed).
    pub fn over(&self) -> i64 {
        self.afgesproken - self.bw_mo - self.ander
    }

    /// Whether more homes were used than agreed (a warning, not a refusal: the
    /// corporation's figures rule).
    pub fn boven_afspraak(&self) -> bool {
        self.over() < 0
    }
}

/// The use of realisation `r`'s agreement: its tenancies and the other groups' figures in
/// force `ander` (only those of its key and year count).
pub fn gebruik(r: &Realisatie, ander: &[AnderGebruik]) -> Gebruik {
    let k = r.afspraak.sleutel();
    Gebruik {
        afgesproken: r.afspraak.woningen,
        bw_mo: r.totaal.huur,
        ander: ander
            .iter()
            .filter(|g| g.afspraak == k && g.jaar == r.afspraak.jaar)
            .map(|g| g.aantal)
            .sum(),
    }
}

fn jaar_dagen(jaar: i32) -> (Date, Date) {
    (
        Date::from_ymd(jaar, 1, 1).expect("1 januari"),
        Date::from_ymd(jaar, 12, 31).expect("31 december"),
    )
}

/// A step of the route to a home counted against the agreements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stap {
    /// Woningaanbod.
    Aanbod,
    /// Aanbod geaccepteerd.
    Akkoord,
    /// Aanbod geweigerd.
    Geweigerd,
    /// Huurovereenkomst getekend.
    Huur,
}

/// Housing facts of one month, one step, one home's gemeente, corporation and route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WoonTelling {
    /// Month of the fact.
    pub maand: Maand,
    /// Which step.
    pub stap: Stap,
    /// Gemeente of the home.
    pub gemeente: GemeenteCode,
    /// Corporation id (`None`: not one of the profile's — a cell of a removed corporation).
    pub corporatie: Option<String>,
    /// Route of the offer.
    pub route: Option<WoonRoute>,
    /// How many.
    pub n: i64,
}

/// The counting of one monitor cell of an offer measure (`woning_aanbod`, `aanbod_akkoord`,
/// `aanbod_geweigerd`, `huurovereenkomst`) of profile `p`; `None` for any other measure or a
/// cell without gemeente or month.
pub fn telling_uit_cel(
    p: &RegionProfile,
    measure: Measure,
    maand: u32,
    gemeente: Option<GemeenteCode>,
    extra: u32,
    n: i64,
) -> Option<WoonTelling> {
    let stap = match measure {
        Measure::WoningAanbod => Stap::Aanbod,
        Measure::AanbodAkkoord => Stap::Akkoord,
        Measure::AanbodGeweigerd => Stap::Geweigerd,
        Measure::Huurovereenkomst => Stap::Huur,
        _ => return None,
    };
    let (ci, route) = woon_part(extra);
    Some(WoonTelling {
        maand: Maand::from_key(maand)?,
        stap,
        gemeente: gemeente?,
        corporatie: (ci > 0)
            .then(|| p.corporaties.get(ci as usize - 1).map(|c| c.id.clone()))
            .flatten(),
        route,
        n,
    })
}

/// Counts of the steps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stand {
    /// Offers.
    pub aanbod: i64,
    /// Acceptances.
    pub akkoord: i64,
    /// Refusals.
    pub geweigerd: i64,
    /// Tenancies signed.
    pub huur: i64,
}

impl Stand {
    fn add(&mut self, stap: Stap, n: i64) {
        match stap {
            Stap::Aanbod => self.aanbod += n,
            Stap::Akkoord => self.akkoord += n,
            Stap::Geweigerd => self.geweigerd += n,
            Stap::Huur => self.huur += n,
        }
    }
}

/// The realisation of one agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct Realisatie {
    /// The agreement.
    pub afspraak: Afspraak,
    /// Per month of its year (January first).
    pub per_maand: [Stand; 12],
    /// The year's totals.
    pub totaal: Stand,
}

impl Realisatie {
    /// The agreed homes pro rata up to and including month `m` (1–12): homes × m / 12.
    pub fn pro_rata(&self, m: u32) -> f64 {
        self.afspraak.woningen as f64 * f64::from(m.min(12)) / 12.0
    }

    /// Tenancies signed up to and including month `m` (1–12).
    pub fn huur_tot(&self, m: u32) -> i64 {
        self.per_maand[..m.clamp(0, 12) as usize]
            .iter()
            .map(|s| s.huur)
            .sum()
    }

    /// Realisation: tenancies signed in the year as a percentage of the agreed homes
    /// (`None` for an agreement of 0 homes).
    pub fn percentage(&self) -> Option<f64> {
        (self.afspraak.woningen > 0)
            .then(|| self.totaal.huur as f64 * 100.0 / self.afspraak.woningen as f64)
    }
}

/// The realisation of every agreement (in the given order) from the housing facts.
pub fn realisatie(afspraken: &[Afspraak], tellingen: &[WoonTelling]) -> Vec<Realisatie> {
    afspraken
        .iter()
        .map(|a| {
            let mut r = Realisatie {
                afspraak: a.clone(),
                per_maand: [Stand::default(); 12],
                totaal: Stand::default(),
            };
            for t in tellingen {
                if a.telt(t.maand.jaar(), t.gemeente, t.corporatie.as_deref(), t.route) {
                    r.per_maand[t.maand.nummer() as usize - 1].add(t.stap, t.n);
                    r.totaal.add(t.stap, t.n);
                }
            }
            r
        })
        .collect()
}

/// One gemeente's line of the spreiding.
#[derive(Debug, Clone, PartialEq)]
pub struct SpreidingRij {
    /// Gemeente.
    pub gemeente: GemeenteCode,
    /// Its name.
    pub naam: String,
    /// Outflow with a home in this gemeente.
    pub uitstroom: i64,
    /// Share of the region's outflow with a home (%; `None` when there was none).
    pub aandeel_uitstroom: Option<f64>,
    /// Homes agreed for the gemeente in the year (its agreements not part of another).
    pub afgesproken: i64,
    /// Share of the region's agreed homes (%; `None` when nothing was agreed).
    pub aandeel_afspraak: Option<f64>,
    /// Inhabitants (profile).
    pub inwoners: Option<u32>,
    /// Share of the region's inhabitants (%; `None` unless every gemeente has a figure).
    pub aandeel_inwoners: Option<f64>,
}

/// Outflow per destination gemeente against agreed and inhabitant shares, for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Spreiding {
    /// The region's gemeenten of that year, in profile order.
    pub rijen: Vec<SpreidingRij>,
    /// Outflow to a home outside the region.
    pub buiten_regio: i64,
    /// All outflow with a recorded home (the region's and outside).
    pub totaal: i64,
    /// Whether every gemeente has an inhabitants figure (else no inhabitant shares).
    pub inwoners_compleet: bool,
    /// Whether any inhabitants figure is an aanname (the shipped profiles' demo values).
    pub inwoners_aanname: bool,
}

/// The spreiding of year `jaar` for region `p`: `uitstroom` are (destination gemeente,
/// count) pairs of the year's outflow with a home (repeats are summed), `afspraken` the
/// agreements (those of other years are ignored). Shares are of the region's totals:
/// outflow within the region, agreed homes, inhabitants of the gemeenten listed.
pub fn spreiding(
    p: &RegionProfile,
    jaar: i32,
    afspraken: &[Afspraak],
    uitstroom: &[(GemeenteCode, i64)],
) -> Spreiding {
    let (eerste, laatste) = jaar_dagen(jaar);
    let leden: Vec<_> = p
        .gemeenten
        .iter()
        .filter(|m| {
            m.valid_from.is_none_or(|f| f <= laatste) && m.valid_to.is_none_or(|t| t >= eerste)
        })
        .collect();
    let in_regio = |g: GemeenteCode| leden.iter().any(|m| m.code == g);
    let totaal: i64 = uitstroom.iter().map(|(_, n)| n).sum();
    let binnen: i64 = uitstroom
        .iter()
        .filter(|(g, _)| in_regio(*g))
        .map(|(_, n)| n)
        .sum();
    let van_jaar: Vec<Afspraak> = afspraken
        .iter()
        .filter(|a| a.jaar == jaar)
        .cloned()
        .collect();
    let afgesproken = |g: GemeenteCode| -> i64 {
        (0..van_jaar.len())
            .filter(|i| van_jaar[*i].gemeente == g && telt_in_totaal(&van_jaar, *i))
            .map(|i| van_jaar[i].woningen)
            .sum()
    };
    let alle_afspraak: i64 = leden.iter().map(|m| afgesproken(m.code)).sum();
    let inwoners_compleet = leden.iter().all(|m| m.inhabitants.is_some());
    let alle_inwoners: i64 = leden
        .iter()
        .map(|m| i64::from(m.inhabitants.unwrap_or(0)))
        .sum();
    let pct = |n: i64, of: i64| (of > 0).then(|| n as f64 * 100.0 / of as f64);
    let rijen = leden
        .iter()
        .map(|m| {
            let n: i64 = uitstroom
                .iter()
                .filter(|(g, _)| *g == m.code)
                .map(|(_, n)| n)
                .sum();
            let a = afgesproken(m.code);
            SpreidingRij {
                gemeente: m.code,
                naam: m.name.clone(),
                uitstroom: n,
                aandeel_uitstroom: pct(n, binnen),
                afgesproken: a,
                aandeel_afspraak: pct(a, alle_afspraak),
                inwoners: m.inhabitants,
                aandeel_inwoners: if inwoners_compleet {
                    m.inhabitants.and_then(|i| pct(i64::from(i), alle_inwoners))
                } else {
                    None
                },
            }
        })
        .collect();
    Spreiding {
        rijen,
        buiten_regio: totaal - binnen,
        totaal,
        inwoners_compleet,
        inwoners_aanname: leden.iter().any(|m| {
            m.inhabitants.is_some() && matches!(m.inwoners_herkomst, Some(Herkomst::Aanname(_)))
        }),
    }
}

#[cfg(test)]
mod tests;
