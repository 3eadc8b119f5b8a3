//! What the finance screens and `vangnet geld` show: per gemeente and year the costs under the
//! three attributions, the budgets (historical, objective, along the ingroeipad), the
//! herverdeeleffect, the share of the regional provisions and the settlement. Pure: the
//! caller passes the parsed finance profile, the objective model and the volumes.
//! Filled in by issue 13; the field names are the contract the web and the CLI use.
//!
//! [`jaaroverzicht`] computes one region-year: costs ([`crate::kosten`]), budgets
//! ([`crate::begroting`]), the regional provisions (costs of the regional products — a
//! region total, equal under every attribution — plus the fixed provisions of the year) split
//! by the chosen key, own costs (the other products' realised costs attributed under the
//! regime in force that year: `Besluit` today, `Woonplaatsbeginsel` under bill 36 288) and
//! the settlement ([`settle`]). A [`Scenario`] changes volumes (ambulantisering, Wlz),
//! the regime year and the ingroeipad start; [`scenario_effect`] compares base and scenario.
//!
//! Risk pool (approximation, stated on screen): the volumes carry no client, so a
//! gemeente's client-years are its use-by-origin days of regional products / 365; its costs
//! up to `drempel × client-years` stay with it, what lies above goes into a pool shared by
//! inhabitants. This is a per-gemeente average, not a per-client threshold.

use std::collections::BTreeMap;

use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::region::{Domain, RegionProfile, Setting};
use vangnet_domain::{AgbCode, GemeenteCode, Maand, ProductCode, RegionId};

use crate::allocate::allocate;
use crate::begroting::{begroting, leden};
use crate::cents::Cents;
use crate::ingroeipad::Ingroeipad;
use crate::kosten::{Geprijsd, prijs, regels};
use crate::objectief::ObjectiefModel;
use crate::profiel::{FinanceProfile, SleutelKeuze};
use crate::settlement::{GemeenteYear, Statement, settle};
use crate::verdeelsleutel::{FULL, Key, KeyBasis, Mix, Verdeelsleutel, percent};
use crate::volume::{Attribution, Volume, VolumeSoort};

/// Why a report cannot be made. Dutch, naming the line, field or month at fault; never a
/// partial report shown as complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{bericht}")]
pub struct GeldError {
    /// Stable code, e.g. `tarief.ontbreekt`, `tarief.overlap`, `objectief.onbekend_kenmerk`.
    pub code: &'static str,
    /// Dutch message naming the line/field/product/month.
    pub bericht: String,
}

impl GeldError {
    /// An error with its code and Dutch message.
    pub fn new(code: &'static str, bericht: impl Into<String>) -> GeldError {
        GeldError {
            code,
            bericht: bericht.into(),
        }
    }

    /// An amount out of range (`bedrag.overloop`).
    pub fn overloop() -> GeldError {
        GeldError::new(
            "bedrag.overloop",
            "bedrag valt buiten het bereik (overloop)",
        )
    }
}

/// One line of the cost table: one month, product, provider and gemeente under one
/// attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KostenRegel {
    /// Attribution of `gemeente`.
    pub attribution: Attribution,
    /// Month.
    pub maand: Maand,
    /// Product.
    pub product: ProductCode,
    /// Provider (from the location; None for committed days without a place).
    pub aanbieder: Option<AgbCode>,
    /// Gemeente (None: unknown).
    pub gemeente: Option<GemeenteCode>,
    /// Realised cost.
    pub gerealiseerd: Cents,
    /// Committed cost (allocated, not started).
    pub verplicht: Cents,
    /// Days in care (realised) or nights.
    pub dagen: i64,
    /// People (month end) — for suppression.
    pub personen: i64,
}

/// One gemeente in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GemeenteJaar {
    /// The gemeente.
    pub gemeente: GemeenteCode,
    /// Inhabitants (from the region profile).
    pub inwoners: u64,
    /// Realised costs per attribution, in the order of [`Attribution::ALL`].
    pub kosten: [Cents; 3],
    /// Committed costs per attribution.
    pub verplicht: [Cents; 3],
    /// Most people in care at a month end in the year, per attribution (suppression).
    pub personen: [i64; 3],
    /// Historical budget (the centrumgemeente's uitkering, split by the region's internal key).
    pub historisch: Cents,
    /// Budget in the objective model.
    pub objectief: Cents,
    /// Budget along the ingroeipad in this year.
    pub budget: Cents,
    /// `budget − historisch`.
    pub herverdeeleffect: Cents,
    /// `herverdeeleffect / inwoners` (rounded half away from zero).
    pub herverdeeleffect_per_inwoner: Cents,
    /// Share of the regional provisions by the chosen key.
    pub regionaal_aandeel: Cents,
    /// The settlement statement.
    pub afrekening: Statement,
}

/// The year report of a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jaaroverzicht {
    /// Region.
    pub regio: RegionId,
    /// Year.
    pub jaar: i32,
    /// Per gemeente of the region, in profile order.
    pub gemeenten: Vec<GemeenteJaar>,
    /// Region total of realised costs (equal under every attribution).
    pub totaal_kosten: Cents,
    /// Regional provisions: name, amount, source/assumption text.
    pub regionale_voorzieningen: Vec<(String, Cents, String)>,
    /// Share of the objective model in this year (basis points).
    pub ingroei_aandeel_bp: i64,
    /// Wlz uitname applied in this year.
    pub wlz_uitname: Cents,
    /// The key used, in words.
    pub sleutel: String,
    /// Every assumption (aanname) the numbers rest on, in words, for the screen.
    pub aannames: Vec<String>,
}

/// "X % of intramural care days become ambulant over N years from year Y".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambulantisering {
    /// X, basis points of the intramural BW days (realised and committed).
    pub procent_bp: i64,
    /// N years to reach X (linear: year Y has X/N, year Y+N−1 and later X).
    pub jaren: u32,
    /// Y, the first year.
    pub vanaf: i32,
    /// The ambulant (extramural BW) product the days move to, priced at its tariff.
    pub naar: ProductCode,
}

/// One month of the forecast for one product: days (or nights) with the forecast's bands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrognoseRegel {
    /// Month.
    pub maand: Maand,
    /// Product.
    pub product: ProductCode,
    /// Leveringsvorm the days are priced at.
    pub leveringsvorm: Leveringsvorm,
    /// Low band.
    pub laag: i64,
    /// Middle.
    pub midden: i64,
    /// High band.
    pub hoog: i64,
}

/// A scenario; `Scenario::default()` is the base (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scenario {
    /// Ambulantisering of intramural BW care.
    pub ambulantisering: Option<Ambulantisering>,
    /// Bill 36 288 (woonplaatsbeginsel) from this year (overrides the profile).
    pub wpb_vanaf: Option<i32>,
    /// The ingroeipad starts in this year (overrides the profile's start year).
    pub objectief_vanaf: Option<i32>,
    /// W % (basis points) of BW days leave for the Wlz, in every month.
    pub wlz_bp: Option<i64>,
    /// Forecast volumes, priced into a cost with bands.
    pub prognose: Vec<PrognoseRegel>,
}

impl Scenario {
    /// Whether anything differs from the base.
    pub fn is_basis(&self) -> bool {
        *self == Scenario::default()
    }

    /// The scenario in words, for the screen.
    pub fn omschrijving(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(a) = &self.ambulantisering {
            out.push(format!(
                "{} van de intramurale BW-dagen wordt ambulant ({}) in {} jaar vanaf {}",
                percent(i128::from(a.procent_bp)),
                a.naar,
                a.jaren,
                a.vanaf
            ));
        }
        if let Some(y) = self.wpb_vanaf {
            out.push(format!(
                "woonplaatsbeginsel (wetsvoorstel 36 288) vanaf {y}"
            ));
        }
        if let Some(y) = self.objectief_vanaf {
            out.push(format!("ingroeipad objectief verdeelmodel vanaf {y}"));
        }
        if let Some(w) = self.wlz_bp {
            out.push(format!(
                "{} van de BW-dagen gaat naar de Wlz",
                percent(i128::from(w))
            ));
        }
        if !self.prognose.is_empty() {
            out.push("volumes uit de prognose (met bandbreedte)".into());
        }
        out
    }

    /// The volumes under this scenario. Moves are computed per key (month, soort, product,
    /// leveringsvorm, location) from the key's days (rounded half away from zero) and split
    /// over each attribution's rows with [`allocate`], so the days per key stay equal under
    /// every attribution. Moved rows carry 0 people.
    pub fn volumes(
        &self,
        volumes: &[Volume],
        region: &RegionProfile,
    ) -> Result<Vec<Volume>, GeldError> {
        let mut v = volumes.to_vec();
        if let Some(a) = &self.ambulantisering {
            let ok = region
                .product(&a.naar)
                .is_some_and(|p| p.domain == Domain::Bw && p.setting == Setting::Extramuraal);
            if !ok {
                return Err(GeldError::new(
                    "scenario.product",
                    format!(
                        "ambulantisering: {} is geen ambulant (extramuraal) BW-product van {}",
                        a.naar, region.name
                    ),
                ));
            }
            if a.jaren == 0 || !(0..=FULL).contains(&a.procent_bp) {
                return Err(GeldError::new(
                    "scenario.waarde",
                    "ambulantisering: percentage 0–100 en minstens 1 jaar",
                ));
            }
            let intramuraal = |p: &ProductCode| {
                region
                    .product(p)
                    .is_some_and(|x| x.domain == Domain::Bw && x.setting == Setting::Intramuraal)
            };
            v = schuif(&v, Some(&a.naar), |x| {
                if x.soort == VolumeSoort::Nachten
                    || !intramuraal(&x.product)
                    || x.maand.jaar() < a.vanaf
                {
                    return (0, 1);
                }
                let k = i64::from(x.maand.jaar() - a.vanaf + 1).min(i64::from(a.jaren));
                (a.procent_bp * k, FULL * i64::from(a.jaren))
            });
        }
        if let Some(w) = self.wlz_bp {
            if !(0..=FULL).contains(&w) {
                return Err(GeldError::new(
                    "scenario.waarde",
                    "Wlz: percentage tussen 0 en 100",
                ));
            }
            let bw = |p: &ProductCode| region.product(p).is_some_and(|x| x.domain == Domain::Bw);
            v = schuif(
                &v,
                None,
                |x| if bw(&x.product) { (w, FULL) } else { (0, 1) },
            );
        }
        Ok(v)
    }
}

/// Move the fraction `frac(row) = (num, den)` of each key's days to product `naar` (or out,
/// when `None`); see [`Scenario::volumes`].
fn schuif(
    volumes: &[Volume],
    naar: Option<&ProductCode>,
    frac: impl Fn(&Volume) -> (i64, i64),
) -> Vec<Volume> {
    type K = (
        Maand,
        VolumeSoort,
        ProductCode,
        u8,
        Option<vangnet_domain::LocationId>,
    );
    let mut groups: BTreeMap<K, BTreeMap<Attribution, Vec<usize>>> = BTreeMap::new();
    for (i, x) in volumes.iter().enumerate() {
        groups
            .entry((
                x.maand,
                x.soort,
                x.product.clone(),
                crate::tarief::lv_rang(x.leveringsvorm),
                x.locatie.clone(),
            ))
            .or_default()
            .entry(x.attribution)
            .or_default()
            .push(i);
    }
    let mut out = volumes.to_vec();
    for rows in groups.values() {
        let first = &volumes[rows.values().next().expect("a row")[0]];
        let (num, den) = frac(first);
        if num == 0 {
            continue;
        }
        let total: i64 = rows
            .values()
            .next()
            .expect("a row")
            .iter()
            .map(|&i| volumes[i].aantal)
            .sum();
        let moved = Cents(total)
            .mul_ratio(num, den)
            .map_or(0, |c| c.0)
            .clamp(0, total);
        if moved == 0 {
            continue;
        }
        for idx in rows.values() {
            let weights: Vec<u64> = idx
                .iter()
                .map(|&i| volumes[i].aantal.unsigned_abs())
                .collect();
            let Ok(parts) = allocate(Cents(moved), &weights) else {
                continue;
            };
            for (&i, part) in idx.iter().zip(parts) {
                out[i].aantal -= part.0;
                if let Some(p) = naar
                    && part.0 > 0
                {
                    out.push(Volume {
                        product: p.clone(),
                        aantal: part.0,
                        personen: 0,
                        ..volumes[i].clone()
                    });
                }
            }
        }
    }
    out
}

fn jaar_range(jaar: i32) -> (Maand, Maand) {
    (
        Maand::new(jaar, 1).expect("January"),
        Maand::new(jaar, 12).expect("December"),
    )
}

fn attr_index(a: Attribution) -> usize {
    match a {
        Attribution::Besluit => 0,
        Attribution::Woonplaatsbeginsel => 1,
        Attribution::Zorglocatie => 2,
    }
}

/// The cost table for `van ..= tot` under a scenario (see [`crate::kosten::kosten`]).
pub fn kosten_tabel(
    fin: &FinanceProfile,
    region: &RegionProfile,
    volumes: &[Volume],
    van: Maand,
    tot: Maand,
    scenario: &Scenario,
) -> Result<Vec<KostenRegel>, GeldError> {
    let v = scenario.volumes(volumes, region)?;
    Ok(regels(&prijs(&v, &fin.tarieven, region, van, tot)?))
}

/// The ingroeipad under a scenario: the profile's path, moved to start in `objectief_vanaf`.
pub fn pad_voor(fin: &FinanceProfile, scenario: &Scenario) -> Result<Ingroeipad, GeldError> {
    match scenario.objectief_vanaf {
        None => Ok(fin.ingroeipad.clone()),
        Some(z) => {
            let shift = z - fin.ingroeipad.start_year();
            let steps: Vec<(i32, i64)> = fin
                .ingroeipad
                .steps()
                .iter()
                .map(|&(y, s)| (y + shift, s))
                .collect();
            Ingroeipad::from_table(&steps)
                .map_err(|e| GeldError::new("ingroeipad.regel", e.to_string()))
        }
    }
}

/// Per gemeente realised cost of the regional products under the woonplaatsbeginsel, and
/// its days (for use by origin and the risk pool).
fn gebruik(geprijsd: &[Geprijsd], fin: &FinanceProfile) -> BTreeMap<GemeenteCode, (i64, i64)> {
    let mut out: BTreeMap<GemeenteCode, (i64, i64)> = BTreeMap::new();
    for p in geprijsd {
        if p.soort == VolumeSoort::Verplicht || !fin.is_regionaal(&p.product) {
            continue;
        }
        for &(g, d, _, c) in p
            .delen
            .get(&Attribution::Woonplaatsbeginsel)
            .into_iter()
            .flatten()
        {
            if let Some(g) = g {
                let e = out.entry(g).or_default();
                e.0 += c.0;
                e.1 += d;
            }
        }
    }
    out
}

/// Build the key of the regional provisions; a note when it had to fall back.
fn sleutel(
    fin: &FinanceProfile,
    region: &RegionProfile,
    geprijsd: &[Geprijsd],
    objectief: &[(GemeenteCode, Cents)],
    jaar: i32,
) -> Result<(Key, Option<String>), GeldError> {
    let members: Vec<GemeenteCode> = leden(region, jaar).into_iter().map(|g| g.0).collect();
    let inw: Vec<(GemeenteCode, i64)> = leden(region, jaar)
        .into_iter()
        .map(|(g, n)| (g, i64::try_from(n).unwrap_or(i64::MAX)))
        .collect();
    let ke = |e: crate::verdeelsleutel::KeyError| GeldError::new("sleutel.ongeldig", e.to_string());
    let by_inw = || Verdeelsleutel::new(KeyBasis::Inhabitants, &inw, &members).map_err(ke);
    let use_map = gebruik(geprijsd, fin);
    let usage: Vec<(GemeenteCode, i64)> = members
        .iter()
        .map(|g| (*g, use_map.get(g).map_or(0, |x| x.0)))
        .collect();
    let has_use = usage.iter().any(|x| x.1 > 0);
    let fallback = "geen gebruik van regionale producten door gemeenten van de regio in dit jaar: verdeeld naar inwoners".to_owned();
    Ok(match &fin.sleutel.0 {
        SleutelKeuze::Inwoners => (Key::Single(by_inw()?), None),
        SleutelKeuze::Procent(k) => (
            Key::Single(Verdeelsleutel::new(KeyBasis::BasisPoints, k, &members).map_err(ke)?),
            None,
        ),
        SleutelKeuze::Objectief => {
            let w: Vec<(GemeenteCode, i64)> =
                objectief.iter().map(|(g, c)| (*g, c.0.max(0))).collect();
            (
                Key::Single(
                    Verdeelsleutel::new(KeyBasis::ObjectiveShare, &w, &members).map_err(ke)?,
                ),
                None,
            )
        }
        SleutelKeuze::Gebruik if has_use => (
            Key::Single(Verdeelsleutel::new(KeyBasis::UseByOrigin, &usage, &members).map_err(ke)?),
            None,
        ),
        SleutelKeuze::Mix { solidariteit_bp } if has_use => (
            Key::Mix(
                Mix::new(
                    *solidariteit_bp,
                    by_inw()?,
                    Verdeelsleutel::new(KeyBasis::UseByOrigin, &usage, &members).map_err(ke)?,
                )
                .map_err(ke)?,
            ),
            None,
        ),
        SleutelKeuze::Risicopool { drempel } if has_use => {
            let mut own = Vec::with_capacity(members.len());
            let mut pool = 0i64;
            for g in &members {
                let (c, d) = use_map.get(g).copied().unwrap_or((0, 0));
                let cap = drempel
                    .mul_ratio(d, 365)
                    .map_err(|_| GeldError::overloop())?
                    .0;
                let o = c.min(cap);
                pool += c - o;
                own.push(o);
            }
            let inw_w: Vec<u64> = inw.iter().map(|x| x.1.unsigned_abs()).collect();
            let shares = allocate(Cents(pool), &inw_w)
                .map_err(|e| GeldError::new("sleutel.ongeldig", e.to_string()))?;
            let w: Vec<(GemeenteCode, i64)> = members
                .iter()
                .zip(own.iter().zip(shares))
                .map(|(g, (o, s))| (*g, o + s.0))
                .collect();
            (
                Key::Single(Verdeelsleutel::new(KeyBasis::UseByOrigin, &w, &members).map_err(ke)?),
                None,
            )
        }
        SleutelKeuze::Gebruik | SleutelKeuze::Mix { .. } | SleutelKeuze::Risicopool { .. } => {
            (Key::Single(by_inw()?), Some(fallback))
        }
    })
}

/// The year report of a region under a scenario (`Scenario::default()` for the base).
pub fn jaaroverzicht(
    fin: &FinanceProfile,
    region: &RegionProfile,
    model: &ObjectiefModel,
    volumes: &[Volume],
    jaar: i32,
    scenario: &Scenario,
) -> Result<Jaaroverzicht, GeldError> {
    if fin.regio != region.id {
        return Err(GeldError::new(
            "profiel.regio",
            "financieel profiel en regioprofiel horen niet bij dezelfde regio",
        ));
    }
    let v = scenario.volumes(volumes, region)?;
    let (van, tot) = jaar_range(jaar);
    let geprijsd = prijs(&v, &fin.tarieven, region, van, tot)?;
    let pad = pad_voor(fin, scenario)?;
    let budgets = begroting(fin, region, model, &pad, jaar)?;
    let wpb = scenario
        .wpb_vanaf
        .map_or_else(|| fin.wpb_in(jaar), |y| jaar >= y);
    let regime_attr = if wpb {
        Attribution::Woonplaatsbeginsel
    } else {
        Attribution::Besluit
    };

    let members: Vec<GemeenteCode> = budgets.iter().map(|b| b.gemeente).collect();
    let idx: BTreeMap<GemeenteCode, usize> =
        members.iter().enumerate().map(|(i, g)| (*g, i)).collect();
    let n = members.len();
    let mut kosten = vec![[0i64; 3]; n];
    let mut verplicht = vec![[0i64; 3]; n];
    let mut eigen = vec![0i64; n];
    let mut buiten = [0i64; 3];
    let mut personen_maand: BTreeMap<(usize, usize, Maand), i64> = BTreeMap::new();
    let mut totaal = 0i64;
    let mut per_product: BTreeMap<ProductCode, i64> = BTreeMap::new();
    for p in &geprijsd {
        let realised = p.soort != VolumeSoort::Verplicht;
        if realised {
            totaal += p.totaal.0;
            if fin.is_regionaal(&p.product) {
                *per_product.entry(p.product.clone()).or_default() += p.totaal.0;
            }
        }
        for (&attr, parts) in &p.delen {
            let a = attr_index(attr);
            for &(g, _, pers, c) in parts {
                match g.and_then(|g| idx.get(&g)) {
                    Some(&i) => {
                        if realised {
                            kosten[i][a] += c.0;
                            *personen_maand.entry((i, a, p.maand)).or_default() += pers;
                            if attr == regime_attr && !fin.is_regionaal(&p.product) {
                                eigen[i] += c.0;
                            }
                        } else {
                            verplicht[i][a] += c.0;
                        }
                    }
                    None if realised => buiten[a] += c.0,
                    None => {}
                }
            }
        }
    }
    let mut voorzieningen: Vec<(String, Cents, String)> = per_product
        .iter()
        .map(|(p, c)| {
            let naam = region
                .product(p)
                .map_or_else(|| p.to_string(), |x| x.name.clone());
            (
                format!("Regionaal product: {naam}"),
                Cents(*c),
                "zorgdagen × tarieven (zie de tarieven en hun herkomst)".to_owned(),
            )
        })
        .collect();
    for vz in fin.voorzieningen_in(jaar) {
        voorzieningen.push((vz.naam.clone(), vz.bedrag, vz.herkomst.beschrijving()));
    }
    let regionaal =
        Cents::checked_sum(voorzieningen.iter().map(|x| x.1)).map_err(|_| GeldError::overloop())?;

    let objectief: Vec<(GemeenteCode, Cents)> =
        budgets.iter().map(|b| (b.gemeente, b.objectief)).collect();
    let (key, fallback) = sleutel(fin, region, &geprijsd, &objectief, jaar)?;
    let input: Vec<GemeenteYear> = budgets
        .iter()
        .zip(&eigen)
        .map(|(b, e)| GemeenteYear {
            gemeente: b.gemeente,
            budget: b.budget,
            own_costs: Cents(*e),
        })
        .collect();
    let statements = settle(
        &input,
        regionaal,
        &key,
        fin.betaler.0,
        fin.solidariteit_in(jaar),
    )
    .map_err(|e| GeldError::new("verrekening", e.to_string()))?;

    let gemeenten = budgets
        .iter()
        .zip(statements)
        .enumerate()
        .map(|(i, (b, st))| {
            let mut pers = [0i64; 3];
            for ((gi, a, _), &c) in &personen_maand {
                if *gi == i {
                    pers[*a] = pers[*a].max(c);
                }
            }
            GemeenteJaar {
                gemeente: b.gemeente,
                inwoners: b.inwoners,
                kosten: kosten[i].map(Cents),
                verplicht: verplicht[i].map(Cents),
                personen: pers,
                historisch: b.historisch,
                objectief: b.objectief,
                budget: b.budget,
                herverdeeleffect: b.herverdeeleffect,
                herverdeeleffect_per_inwoner: b.per_inwoner,
                regionaal_aandeel: st.regional_share,
                afrekening: st,
            }
        })
        .collect();

    let bj = fin.jaar(jaar)?;
    let mut aannames = Vec::new();
    let mut note = |what: &str, h: &vangnet_domain::region::Herkomst| {
        if h.is_aanname() {
            aannames.push(format!("{what}: {}", h.tekst()));
        }
    };
    note("Historisch budget BW", &bj.bw.1);
    note("Historisch budget MO", &bj.mo.1);
    note("Wlz-uitname (macro)", &bj.wlz_macro.1);
    note(
        "Aandeel van de regio in de Wlz-uitname",
        &bj.wlz_aandeel_bp.1,
    );
    note(
        "Interne verdeling historisch budget",
        &fin.historische_verdeling.1,
    );
    note("Regionale producten", &fin.regionale_producten.1);
    note("Verdeelsleutel", &fin.sleutel.1);
    note("Solidariteitsfractie", &fin.solidariteit_bp.1);
    note("Betaler", &fin.betaler.1);
    note("Ingroeipad en startjaar", &fin.ingroeipad_bron.1);
    note("Regime per jaar", &fin.wpb_vanaf.1);
    note("Objectief verdeelmodel", &model.herkomst);
    let mut tarief_aanname = false;
    for (t, _) in fin.tarieven.items() {
        if t.herkomst.is_aanname() && !tarief_aanname {
            tarief_aanname = true;
            aannames.push(format!("Tarieven: {}", t.herkomst.tekst()));
        }
    }
    if let SleutelKeuze::Risicopool { .. } = fin.sleutel.0 {
        aannames.push("Risicopool: cliëntjaren benaderd als gebruiksdagen / 365 per gemeente (gemiddelde, geen drempel per individuele cliënt)".into());
    }
    if let Some(f) = fallback {
        aannames.push(format!("Verdeelsleutel: {f}"));
    }
    for b in budgets.iter().filter(|b| !b.objectief_bekend) {
        if let SleutelKeuze::Objectief = fin.sleutel.0 {
            return Err(GeldError::new(
                "objectief.geen_gegevens",
                format!(
                    "objectief model {}: gemeente {} heeft geen gegevens, nodig voor de verdeelsleutel",
                    model.jaar, b.gemeente
                ),
            ));
        }
        aannames.push(format!(
            "Objectief verdeelmodel: gemeente {} heeft geen gegevens in het model van {}; objectief budget 0 getoond (niet gebruikt: het ingroeipad staat in {jaar} op 0 %)",
            b.gemeente, model.jaar
        ));
    }
    if model.jaar != jaar {
        aannames.push(format!(
            "Objectief verdeelmodel: de gegevens van {} zijn ook voor {jaar} gebruikt",
            model.jaar
        ));
    }
    for (a, c) in Attribution::ALL.iter().zip(buiten) {
        if c != 0 {
            aannames.push(format!(
                "Toerekening {a:?}: {} aan kosten valt toe aan gemeenten buiten de regio of een onbekende gemeente; niet in de verrekening",
                Cents(c)
            ));
        }
    }
    for s in scenario.omschrijving() {
        aannames.push(format!("Scenario: {s}"));
    }
    let sleutel_tekst = format!(
        "{} (regime {}: eigen kosten toegerekend {})",
        fin.sleutel.0.omschrijving(),
        if wpb {
            "woonplaatsbeginsel, wetsvoorstel 36 288"
        } else {
            "huidige wet"
        },
        if wpb {
            "aan de gemeente van herkomst"
        } else {
            "aan de gemeente die besloot"
        }
    );
    Ok(Jaaroverzicht {
        regio: region.id.clone(),
        jaar,
        gemeenten,
        totaal_kosten: Cents(totaal),
        regionale_voorzieningen: voorzieningen,
        ingroei_aandeel_bp: pad.share(jaar),
        wlz_uitname: bj.wlz_uitname(),
        sleutel: sleutel_tekst,
        aannames,
    })
}

/// One gemeente, base vs scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioGemeente {
    /// The gemeente.
    pub gemeente: GemeenteCode,
    /// Realised costs under the regime in force: (base, scenario).
    pub kosten: (Cents, Cents),
    /// Budget along the ingroeipad: (base, scenario).
    pub budget: (Cents, Cents),
    /// Settlement statement: (base, scenario).
    pub afrekening: (Statement, Statement),
}

/// One year, base vs scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioJaar {
    /// Year.
    pub jaar: i32,
    /// Region total of realised costs: (base, scenario).
    pub totaal_kosten: (Cents, Cents),
    /// Per gemeente, profile order.
    pub gemeenten: Vec<ScenarioGemeente>,
    /// The forecast priced by the tariffs: (low, middle, high), if the scenario has one for
    /// this year.
    pub prognose: Option<(Cents, Cents, Cents)>,
}

/// Effect of a scenario on cost, budget and settlement per gemeente per year.
pub fn scenario_effect(
    fin: &FinanceProfile,
    region: &RegionProfile,
    model: &ObjectiefModel,
    volumes: &[Volume],
    jaren: &[i32],
    scenario: &Scenario,
) -> Result<Vec<ScenarioJaar>, GeldError> {
    let mut out = Vec::with_capacity(jaren.len());
    for &jaar in jaren {
        let b = jaaroverzicht(fin, region, model, volumes, jaar, &Scenario::default())?;
        let s = jaaroverzicht(fin, region, model, volumes, jaar, scenario)?;
        let wpb_b = fin.wpb_in(jaar);
        let wpb_s = scenario.wpb_vanaf.map_or(wpb_b, |y| jaar >= y);
        let pick = |g: &GemeenteJaar, w: bool| g.kosten[if w { 1 } else { 0 }];
        let gemeenten = b
            .gemeenten
            .iter()
            .zip(&s.gemeenten)
            .map(|(x, y)| ScenarioGemeente {
                gemeente: x.gemeente,
                kosten: (pick(x, wpb_b), pick(y, wpb_s)),
                budget: (x.budget, y.budget),
                afrekening: (x.afrekening, y.afrekening),
            })
            .collect();
        let mut prognose = None;
        for r in scenario.prognose.iter().filter(|r| r.maand.jaar() == jaar) {
            let t = fin.tarieven.vereist(&r.product, r.leveringsvorm, r.maand)?;
            let (l, m, h) = prognose.unwrap_or((0i64, 0i64, 0i64));
            prognose = Some((
                l + t.kosten(r.laag, r.maand)?.0,
                m + t.kosten(r.midden, r.maand)?.0,
                h + t.kosten(r.hoog, r.maand)?.0,
            ));
        }
        out.push(ScenarioJaar {
            jaar,
            totaal_kosten: (b.totaal_kosten, s.totaal_kosten),
            gemeenten,
            prognose: prognose.map(|(l, m, h)| (Cents(l), Cents(m), Cents(h))),
        });
    }
    Ok(out)
}
