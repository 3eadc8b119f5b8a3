//! Woonplaatsbeginsel: which gemeente is responsible for a person's care, who decides and
//! who pays, under the two regimes of `shared/reference/finance.md` §B, chosen per region
//! profile by the date of the application. Every answer says which rule applied, on which
//! facts and where each fact comes from; parts our sources do not confirm are marked
//! uncertain (`onzeker`). An override needs a reason and is recorded by the caller.
//!
//! # Today's law (regime `huidig`, in force)
//!
//! - **BW and MO/VO**: the college of the gemeente the person *turns to* ("tot welke hij zich
//!   wendt", art. 1.2.1 onder b Wmo 2015; finance.md B.1 [C]), whatever their registration.
//!   The gemeente turned to is the **front door** that received the application, recorded on
//!   the aanmelding ([`crate::events::Voordeur`]): the region's central front door → the
//!   centrumgemeente, which runs it on mandate of the region's gemeenten (finance.md B.1 [C],
//!   e.g. Valleiregio's beleidsregel); a local front door of gemeente X (seed 002: the local
//!   loket of Duiven/Westervoort indicates, the regional team is achterwacht; seed 003's local
//!   teams) → X; another region's front door → that gemeente. An aanmelding recorded before
//!   the front door was recorded is read as the central front door, and the answer says so.
//! - **Who decides**: the gemeente turned to; at the central front door the centrumgemeente
//!   on the region's mandate.
//! - **Who pays today**: the centrumgemeente — BW money is the integratie-uitkering beschermd
//!   wonen and MO money the decentralisatie-uitkering MO, both paid to centrumgemeenten on a
//!   historical key (finance.md A.1 [C]); the objective model starts with the bill, at a date
//!   not yet known (A.4 [C]).
//! - MO and vrouwenopvang are nationally accessible (landelijk toegankelijk): the front door
//!   turned to, under both regimes (B.2 [C]: the bill concerns BW only).
//!
//! # Bill 36 288 (regime `wetsvoorstel36288`: wetsvoorstel, nog niet in werking)
//!
//! Declared controversieel, no date of entry into force (B.2 [C]). A profile may apply it
//! ahead of time; it is then shown as "wetsvoorstel, nog niet in werking" and no letter cites
//! it as its legal ground. For BW: the gemeente of the BRP *woonadres* before entry (main
//! rule [C]), except, in this order:
//! - **(a)** BW ended fewer than 12 months before the application → the gemeente that last
//!   provided BW [C]. "Provided" is read from the determination recorded with that earlier
//!   decision (`woonplaats_bepaald`, an override included), or from an earlier episode
//!   recorded as a fact (`eerdere_zorg`, e.g. BW in another region); only when neither exists
//!   the front door of that earlier application (said so).
//! - **(b)** the woonadres is at a designated institution → the woonadres immediately before
//!   it. The bill text is cut off in our source [U]: uncertain.
//! - **(c)/(d)** are not in our source [NF]; likely people without a woonadres and minors or
//!   jeugdhulp leavers [U]. Without a woonadres Vangnet answers the gemeente turned to, marked
//!   uncertain. A *briefadres* is not a woonadres: the bill means the woonadres of art. 1.1
//!   onder o Wet BRP (B.2 [C]); that the BRP keeps a briefadres apart from it is our reading
//!   of the Wet BRP, not in our reference set [U]. A young adult (18–22) with recorded
//!   jeugdhulp met verblijf is marked uncertain (the 18–22 band is our assumption: jeugdhulp
//!   can continue to 23).
//!
//! # Minors (both regimes)
//!
//! Under 18 on the application date the Jeugdwet applies, not the Wmo 2015, with its own
//! woonplaatsbeginsel (the issue names the woonadres of the parent with custody; the Jeugdwet
//! itself is not in our reference set, and since 2022 it ties to the child's own woonadres
//! before the stay [U]). Vangnet answers `Grond::Jeugdwet`, marked uncertain, and shows the
//! registration only as a lead.
//!
//! # Where facts come from
//!
//! A registration comes from recorded `brp_inschrijving` facts (with their start date) or,
//! when none were recorded, from the registration stated at each aanmelding — then Vangnet
//! knows only that the person was registered there *on that date* and never presents it as
//! "ingeschreven sinds". The regime is the one the profile sets on the application date; the
//! answer states that choice, and says so when another regime holds on the day of viewing.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::events::{ClientEvent, EerdereZorgSoort, Kennisbron, Voordeur, Wijziging, Woonsituatie};
use crate::frontdoor::Dossier;
use crate::gemeenten::Gemeenten;
use crate::ids::GemeenteCode;
use crate::region::{Domain, Product, RegionProfile};
use crate::state::{ClientState, Inschrijving};

/// The legal regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// Today's law: the gemeente turned to.
    Huidig,
    /// Bill 36 288: the BRP woonadres before entry, with exceptions (not in force).
    Wetsvoorstel36288,
}

impl Regime {
    /// Dutch label; the bill always with "wetsvoorstel, nog niet in werking".
    pub fn label(self) -> &'static str {
        match self {
            Regime::Huidig => "huidige wet (art. 1.2.1 Wmo 2015)",
            Regime::Wetsvoorstel36288 => {
                "wetsvoorstel 36 288 (woonplaatsbeginsel) — wetsvoorstel, nog niet in werking"
            }
        }
    }

    /// Whether the regime is law in force (a letter may cite only such a regime as its
    /// legal ground). The bill has no date of entry into force (finance.md A.4, B.2).
    pub fn in_werking(self) -> bool {
        matches!(self, Regime::Huidig)
    }
}

/// Where a registration fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdresBron {
    /// A recorded BRP registration (`brp_inschrijving`), with its start date.
    #[default]
    Brp,
    /// The registration stated at an aanmelding: known only for that day.
    Aanmelding,
}

/// One period of BRP registration at a woonadres.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Woonadres {
    /// The gemeente of the address.
    pub gemeente: GemeenteCode,
    /// First day (for [`AdresBron::Aanmelding`]: the day it was stated, not a start).
    pub van: Date,
    /// Last day (`None`: still registered there).
    pub tot: Option<Date>,
    /// The address is at an institution designated by ministerial regulation (clinic, Wlz, detention…).
    pub aangewezen_instelling: bool,
    /// Where the fact comes from.
    #[serde(default)]
    pub bron: AdresBron,
}

/// Where an earlier BW period comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BwBron {
    /// The determination recorded with that earlier decision in this record.
    #[default]
    Besluit,
    /// No determination was recorded then: the front door of that application.
    Voordeur,
    /// Recorded as a fact about care elsewhere (`eerdere_zorg`), known this way.
    Elders(Kennisbron),
}

/// An earlier period of BW.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EerderBw {
    /// The gemeente that provided (and was responsible for) it.
    pub gemeente: GemeenteCode,
    /// Last day of that BW.
    pub einde: Date,
    /// Where the fact comes from.
    #[serde(default)]
    pub bron: BwBron,
}

/// What the determination needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Casus {
    /// BW, MO or VO.
    pub domein: Domain,
    /// Date of the application (entry).
    pub datum: Date,
    /// The gemeente the person turned to: the front door's gemeente.
    pub gewend_tot: GemeenteCode,
    /// BRP history (woonadressen only; a briefadres is not one).
    pub woonadressen: Vec<Woonadres>,
    /// Earlier BW periods.
    pub eerder_bw: Vec<EerderBw>,
    /// Age on the application date, when the birth date is known.
    #[serde(default)]
    pub leeftijd: Option<u32>,
    /// Last day of recorded jeugdhulp met verblijf, if any.
    #[serde(default)]
    pub jeugdhulp_verblijf: Option<Date>,
    /// The gemeente of a briefadres on the application date, if registered so.
    #[serde(default)]
    pub briefadres: Option<GemeenteCode>,
}

/// Which rule decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grond {
    /// MO/VO: nationally accessible, the gemeente turned to.
    LandelijkToegankelijk,
    /// Today's law: the gemeente turned to.
    GewendTot,
    /// 36 288 main rule: the woonadres before entry.
    Woonadres,
    /// 36 288 (a): BW ended less than 12 months ago.
    RecentBw,
    /// 36 288 (b): woonadres at a designated institution → the address before it.
    AangewezenInstelling,
    /// 36 288 (c): no woonadres → the gemeente turned to.
    GeenWoonadres,
    /// Under 18: the Jeugdwet applies, not the Wmo 2015.
    Jeugdwet,
}

/// The answer, with its explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verantwoordelijk {
    /// The responsible gemeente.
    pub gemeente: GemeenteCode,
    /// The regime applied.
    pub regime: Regime,
    /// The rule that decided.
    pub grond: Grond,
    /// Why, in Dutch, for the access team: the rule, the facts used and where they come from.
    pub toelichting: String,
    /// Why, in Dutch, in words fit for the person (a letter): no internal rule names, no
    /// profile references, no notes for the team.
    pub uitleg: String,
    /// True where the rule rests on a part of the law our sources could not confirm.
    pub onzeker: bool,
}

/// A gemeente by its name from the national register (the code only when unknown): people
/// read names, not CBS codes.
pub fn naam(g: GemeenteCode) -> String {
    Gemeenten::national()
        .get(g)
        .map_or_else(|| g.to_string(), |x| x.name.clone())
}

fn on(adressen: &[Woonadres], d: Date) -> Option<&Woonadres> {
    adressen
        .iter()
        .filter(|a| a.van <= d && a.tot.is_none_or(|t| t >= d))
        .max_by_key(|a| a.van)
}

/// Whether `later` falls fewer than 12 months after `einde` (no panic near 9999).
fn within_12_months(einde: Date, later: Date) -> bool {
    let (y, m, d) = einde.ymd();
    match Date::from_ymd(y + 1, m, d).or_else(|| Date::from_ymd(y + 1, m, d.saturating_sub(1))) {
        Some(limit) => later < limit,
        None => true,
    }
}

fn adres_feit(a: &Woonadres) -> String {
    match a.bron {
        AdresBron::Brp => format!("ingeschreven sinds {} (BRP-inschrijving)", a.van.nl()),
        AdresBron::Aanmelding => format!(
            "ingeschreven volgens de aanmelding van {} (geen BRP-historie vastgelegd; de datum van inschrijving is onbekend)",
            a.van.nl()
        ),
    }
}

fn bw_bron(b: &EerderBw) -> String {
    match b.bron {
        BwBron::Besluit => "volgens de bij dat besluit vastgelegde woonplaatsbepaling".to_owned(),
        BwBron::Voordeur => {
            "geen woonplaatsbepaling vastgelegd bij dat besluit: de voordeur van die aanmelding"
                .to_owned()
        }
        BwBron::Elders(k) => format!("eerdere zorg elders, bekend via {}", kennisbron_label(k)),
    }
}

/// Dutch label of a [`Kennisbron`].
pub fn kennisbron_label(k: Kennisbron) -> &'static str {
    match k {
        Kennisbron::EigenVerklaring => "eigen verklaring van de persoon",
        Kennisbron::AndereGemeente => "opgave van de andere gemeente of regio",
        Kennisbron::Aanbieder => "gegevens van de aanbieder",
        Kennisbron::Overdracht => "overdrachtsdossier",
    }
}

/// Determine the responsible gemeente for `casus` under `regime`.
pub fn verantwoordelijke_gemeente(casus: &Casus, regime: Regime) -> Verantwoordelijk {
    let gewend = casus.gewend_tot;
    let answer = |gemeente, grond, toelichting: String, uitleg: String, onzeker| Verantwoordelijk {
        gemeente,
        regime,
        grond,
        toelichting,
        uitleg,
        onzeker,
    };
    if let Some(age) = casus.leeftijd.filter(|a| *a < 18) {
        let lead = on(&casus.woonadressen, casus.datum).map_or(gewend, |a| a.gemeente);
        return answer(
            lead,
            Grond::Jeugdwet,
            format!(
                "Minderjarig op de aanmeldingsdatum {} ({age} jaar): de Jeugdwet is van toepassing, niet de Wmo 2015. De Jeugdwet heeft een eigen woonplaatsbeginsel (woonadres van de ouder met gezag volgens de issue; de Jeugdwet staat niet in onze bron — controleer). Getoond is alleen een aanwijzing: {}.",
                casus.datum.nl(),
                naam(lead)
            ),
            "U was op de datum van uw aanmelding jonger dan 18 jaar. Dan geldt de Jeugdwet. Welke gemeente dan verantwoordelijk is, volgt uit de regels van de Jeugdwet; wij nemen daarover contact met u op.".to_owned(),
            true,
        );
    }
    if casus.domein != Domain::Bw {
        return answer(
            gewend,
            Grond::LandelijkToegankelijk,
            format!(
                "{} is landelijk toegankelijk: de gemeente waartoe de persoon zich wendt (de voordeur), {}, is verantwoordelijk, onder beide regimes; de inschrijving doet niet ter zake.",
                casus.domein.label(),
                naam(gewend)
            ),
            format!(
                "{} is in heel Nederland toegankelijk. De gemeente waar u zich hebt gemeld, {}, is daarom verantwoordelijk.",
                casus.domein.label(),
                naam(gewend)
            ),
            false,
        );
    }
    match regime {
        Regime::Huidig => answer(
            gewend,
            Grond::GewendTot,
            format!(
                "Huidige wet (art. 1.2.1 onder b Wmo 2015): de gemeente waartoe de persoon zich wendt — de voordeur die de aanmelding ontving — {}, ongeacht de inschrijving.",
                naam(gewend)
            ),
            format!(
                "Volgens de Wet maatschappelijke ondersteuning 2015 (artikel 1.2.1) is de gemeente verantwoordelijk waar u zich hebt gemeld voor beschermd wonen: {}. Waar u staat ingeschreven, maakt daarvoor niet uit.",
                naam(gewend)
            ),
            false,
        ),
        Regime::Wetsvoorstel36288 => {
            let jong = casus.leeftijd.is_some_and(|a| (18..23).contains(&a))
                && casus.jeugdhulp_verblijf.is_some_and(|e| e <= casus.datum);
            let jong_noot = if jong {
                " Let op: jongvolwassene met vastgelegde jeugdhulp met verblijf — uitzonderingen (c)/(d) van het wetsvoorstel staan niet in onze bron; onzeker, controleer."
            } else {
                ""
            };
            let bill = "Wetsvoorstel 36 288 (wetsvoorstel, nog niet in werking)";
            // (a) BW ended less than 12 months before this application.
            if let Some(prev) = casus
                .eerder_bw
                .iter()
                .filter(|b| b.einde <= casus.datum)
                .max_by_key(|b| b.einde)
                && within_12_months(prev.einde, casus.datum)
            {
                return answer(
                    prev.gemeente,
                    Grond::RecentBw,
                    format!(
                        "{bill}, uitzondering a (art. 1.2.1a lid 1): eerder beschermd wonen eindigde op {}, minder dan 12 maanden vóór de aanmelding op {}; verantwoordelijk is de gemeente die het laatst beschermd wonen verstrekte, {} ({}).{jong_noot}",
                        prev.einde.nl(),
                        casus.datum.nl(),
                        naam(prev.gemeente),
                        bw_bron(prev)
                    ),
                    format!(
                        "Uw vorige beschermd wonen eindigde op {}, minder dan een jaar voor uw aanmelding. De gemeente die u toen beschermd wonen gaf, {}, blijft daarom verantwoordelijk.",
                        prev.einde.nl(),
                        naam(prev.gemeente)
                    ),
                    jong,
                );
            }
            let brief = casus
                .briefadres
                .map(|g| {
                    format!(
                        " Op die datum alleen een briefadres in {}: een briefadres is geen woonadres.",
                        naam(g)
                    )
                })
                .unwrap_or_default();
            match on(&casus.woonadressen, casus.datum) {
                None => answer(
                    gewend,
                    Grond::GeenWoonadres,
                    format!(
                        "{bill}: geen woonadres in de BRP op {}.{brief} Dan de gemeente waartoe de persoon zich wendt, {} (uitzondering voor personen zonder woonadres; de wettekst staat niet volledig in onze bron — controleer).{jong_noot}",
                        casus.datum.nl(),
                        naam(gewend)
                    ),
                    format!(
                        "U had op de datum van uw aanmelding geen woonadres. Daarom is de gemeente verantwoordelijk waar u zich hebt gemeld: {}.",
                        naam(gewend)
                    ),
                    true,
                ),
                Some(a) if a.aangewezen_instelling => {
                    // The address immediately before the stay at the institution.
                    let before = casus
                        .woonadressen
                        .iter()
                        .filter(|p| !p.aangewezen_instelling && p.van < a.van)
                        .max_by_key(|p| p.van);
                    match before {
                        Some(p) => answer(
                            p.gemeente,
                            Grond::AangewezenInstelling,
                            format!(
                                "{bill}, uitzondering b: het woonadres op {} ligt in een aangewezen instelling ({}); verantwoordelijk is de gemeente van het woonadres daarvóór, {} ({}). De wettekst is in onze bron afgebroken — controleer.{jong_noot}",
                                casus.datum.nl(),
                                naam(a.gemeente),
                                naam(p.gemeente),
                                adres_feit(p)
                            ),
                            format!(
                                "U woonde bij uw aanmelding in een instelling. Dan telt uw woonadres van daarvoor: {}.",
                                naam(p.gemeente)
                            ),
                            true,
                        ),
                        None => answer(
                            gewend,
                            Grond::GeenWoonadres,
                            format!(
                                "{bill}: woonadres in een aangewezen instelling ({}) zonder eerder woonadres: de gemeente waartoe de persoon zich wendt, {} (onzeker — controleer).{jong_noot}",
                                naam(a.gemeente),
                                naam(gewend)
                            ),
                            format!(
                                "U woonde bij uw aanmelding in een instelling en er is geen eerder woonadres bekend. Daarom is de gemeente verantwoordelijk waar u zich hebt gemeld: {}.",
                                naam(gewend)
                            ),
                            true,
                        ),
                    }
                }
                Some(a) => answer(
                    a.gemeente,
                    Grond::Woonadres,
                    format!(
                        "{bill}, hoofdregel: de gemeente van het BRP-woonadres vóór de instroom, {} ({}).{jong_noot}",
                        naam(a.gemeente),
                        adres_feit(a)
                    ),
                    format!(
                        "U woonde voor uw aanmelding in {}. Die gemeente is verantwoordelijk.",
                        naam(a.gemeente)
                    ),
                    jong,
                ),
            }
        }
    }
}

/// The front door of the current application, its gemeente (the gemeente turned to), and
/// whether it was recorded (`false`: an aanmelding from before the field, read as central).
pub fn voordeur_of(profile: &RegionProfile, state: &ClientState) -> (Voordeur, GemeenteCode, bool) {
    match state.voordeur {
        Some(v @ (Voordeur::Lokaal { gemeente } | Voordeur::AndereRegio { gemeente })) => {
            (v, gemeente, true)
        }
        Some(Voordeur::Centraal) => (Voordeur::Centraal, profile.centrumgemeente, true),
        None => (Voordeur::Centraal, profile.centrumgemeente, false),
    }
}

/// The gemeente that decides on the current application under today's law (art. 1.2.1
/// sub b Wmo 2015), to which the money attributes realised and committed days
/// (`monitor::Measure::Zorgdagen`): the centrumgemeente at the region's central front door
/// (also when no front door was recorded), the local gemeente at a local front door, the
/// other gemeente for a front door outside the region — the `beslisser` of [`rollen`]
/// outside the bill.
pub fn beslissende_gemeente(profile: &RegionProfile, state: &ClientState) -> GemeenteCode {
    voordeur_of(profile, state).1
}

/// The gemeente the person turned to: the gemeente of the front door that received the
/// current application (the centrumgemeente for the region's central front door) — never
/// the registration.
pub fn gewend_tot(profile: &RegionProfile, state: &ClientState) -> GemeenteCode {
    voordeur_of(profile, state).1
}

/// The BRP registrations as woonadressen: each runs until the day before the next one; a
/// period without registration (`gemeente: None`) or with only a briefadres ends the
/// previous address and is no woonadres itself.
pub fn brp_woonadressen(brp: &[Inschrijving]) -> Vec<Woonadres> {
    brp.iter()
        .enumerate()
        .filter(|(_, r)| !r.briefadres)
        .filter_map(|(i, r)| {
            r.gemeente.map(|g| Woonadres {
                gemeente: g,
                van: r.van,
                tot: brp.get(i + 1).map(|n| n.van.add_days(-1)),
                aangewezen_instelling: r.instelling,
                bron: AdresBron::Brp,
            })
        })
        .collect()
}

/// The case of the record's current application for `product`: the front door, the BRP
/// history (recorded `brp_inschrijving` facts, else the registration stated at each
/// aanmelding, an address at a clinic, detention or Wlz institution counting as a designated
/// institution), earlier BW (from the determinations recorded with earlier decisions and
/// from `eerdere_zorg` facts), age and jeugdhulp met verblijf.
pub fn casus_of(profile: &RegionProfile, product: &Product, d: &Dossier<'_>) -> Casus {
    let s = d.state;
    let mut woonadressen: Vec<Woonadres> = Vec::new();
    let mut eerder_bw: Vec<EerderBw> = Vec::new();
    let mut jeugdhulp: Option<Date> = None;
    // Per application: its front door's gemeente and the determination recorded with it.
    let mut gewend = profile.centrumgemeente;
    let mut bepaald: Option<GemeenteCode> = None;
    let mut zorg_bw = false;
    for (on, _, e) in d.in_force() {
        match e {
            ClientEvent::Aanmelding {
                herkomst_gemeente,
                woonsituatie,
                voordeur,
                ..
            } => {
                gewend = match voordeur {
                    Some(Voordeur::Lokaal { gemeente } | Voordeur::AndereRegio { gemeente }) => {
                        *gemeente
                    }
                    _ => profile.centrumgemeente,
                };
                bepaald = None;
                if let Some(last) = woonadressen.last_mut()
                    && last.tot.is_none()
                {
                    last.tot = Some(on.add_days(-1));
                }
                if let Some(g) = herkomst_gemeente {
                    woonadressen.push(Woonadres {
                        gemeente: *g,
                        van: on,
                        tot: None,
                        aangewezen_instelling: matches!(
                            woonsituatie,
                            Woonsituatie::Kliniek | Woonsituatie::Detentie | Woonsituatie::Wlz
                        ),
                        bron: AdresBron::Aanmelding,
                    });
                }
            }
            ClientEvent::WoonplaatsBepaald { gemeente, .. } => bepaald = Some(*gemeente),
            ClientEvent::StartZorg { product, .. }
            | ClientEvent::Wijziging(Wijziging::Doorstroom { product, .. }) => {
                zorg_bw = profile
                    .product(product)
                    .is_some_and(|p| p.domain == Domain::Bw);
            }
            ClientEvent::EindeZorg { .. } | ClientEvent::WlzOvergang
                if zorg_bw && on < s.aangemeld =>
            {
                eerder_bw.push(EerderBw {
                    gemeente: bepaald.unwrap_or(gewend),
                    einde: on,
                    bron: if bepaald.is_some() {
                        BwBron::Besluit
                    } else {
                        BwBron::Voordeur
                    },
                });
                zorg_bw = false;
            }
            ClientEvent::EerdereZorg {
                soort,
                gemeente,
                einde,
                bron,
            } => match soort {
                EerdereZorgSoort::BeschermdWonen => eerder_bw.push(EerderBw {
                    gemeente: *gemeente,
                    einde: *einde,
                    bron: BwBron::Elders(*bron),
                }),
                EerdereZorgSoort::JeugdhulpMetVerblijf => {
                    jeugdhulp = Some(jeugdhulp.map_or(*einde, |j| j.max(*einde)));
                }
            },
            _ => {}
        }
    }
    let briefadres = s
        .brp
        .iter()
        .rev()
        .find(|r| r.van <= s.aangemeld)
        .filter(|r| r.briefadres)
        .and_then(|r| r.gemeente);
    if !s.brp.is_empty() {
        // A recorded BRP history replaces what the aanmeldingen say about registration.
        woonadressen = brp_woonadressen(&s.brp);
    }
    Casus {
        domein: product.domain,
        datum: s.aangemeld,
        gewend_tot: gewend_tot(profile, s),
        woonadressen,
        eerder_bw,
        leeftijd: d
            .person
            .map(|p| p.age_on(s.aangemeld))
            .and_then(|a| u32::try_from(a).ok()),
        jeugdhulp_verblijf: jeugdhulp,
        briefadres,
    }
}

/// The responsible gemeente for the record's current application and `product`, viewed on
/// `on`: the regime is the one the profile sets for the application date, and the
/// explanation says so (and says when another regime holds on `on`).
pub fn woonplaats_of(
    profile: &RegionProfile,
    product: &Product,
    d: &Dossier<'_>,
    on: Date,
) -> Verantwoordelijk {
    let datum = d.state.aangemeld;
    let regime = profile.regime_on(datum);
    let mut v = verantwoordelijke_gemeente(&casus_of(profile, product, d), regime);
    let now = profile.regime_on(on);
    v.toelichting.push_str(&if now == regime {
        format!(
            " Regime: {}, het regime van het regioprofiel op de aanmeldingsdatum {}.",
            regime.label(),
            datum.nl()
        )
    } else {
        format!(
            " Regime: {}, gekozen op de aanmeldingsdatum {}; op {} geldt volgens het regioprofiel {} — Vangnet past het regime van de aanmeldingsdatum toe.",
            regime.label(),
            datum.nl(),
            on.nl(),
            now.label()
        )
    });
    v
}

/// Who is who for the current application: the front door, the registration, who decides
/// and who pays today — each labelled, for the dossier (the money issue prices by `betaler`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollen {
    /// The front door that received the application, in words (and whether recorded).
    pub voordeur: String,
    /// The registration, in words, with where the fact comes from.
    pub inschrijving: String,
    /// Who decides, in words.
    pub beslist: String,
    /// The gemeente that decides, when one gemeente does.
    pub beslisser: Option<GemeenteCode>,
    /// Who pays today, in words.
    pub betaalt: String,
    /// The gemeente that pays today, when known in Vangnet.
    pub betaler: Option<GemeenteCode>,
}

/// The roles for the record's current application under `regime` (the recorded or the
/// computed one) with responsible gemeente `verantwoordelijk`.
pub fn rollen(
    profile: &RegionProfile,
    state: &ClientState,
    regime: Regime,
    verantwoordelijk: GemeenteCode,
    domein: Domain,
) -> Rollen {
    let (deur, gemeente, recorded) = voordeur_of(profile, state);
    let centrum = profile.centrumgemeente;
    let mut voordeur = match deur {
        Voordeur::Centraal => format!(
            "centrale toegang van {} ({}, op mandaat van de gemeenten van de regio)",
            profile.name,
            naam(centrum)
        ),
        Voordeur::Lokaal { .. } => format!("lokaal loket van {}", naam(gemeente)),
        Voordeur::AndereRegio { .. } => format!("voordeur buiten de regio: {}", naam(gemeente)),
    };
    if !recorded {
        voordeur.push_str(" — niet vastgelegd bij de aanmelding; aangenomen: de centrale toegang");
    }
    let inschrijving = match (state.brp.is_empty(), state.herkomst) {
        (false, _) => match state.brp.iter().rev().find(|r| r.van <= state.aangemeld) {
            Some(r) => match (r.gemeente, r.briefadres) {
                (Some(g), true) => format!(
                    "briefadres in {} sinds {} (BRP; geen woonadres)",
                    naam(g),
                    r.van.nl()
                ),
                (Some(g), false) => format!("{} sinds {} (BRP)", naam(g), r.van.nl()),
                (None, _) => format!("niet ingeschreven sinds {} (BRP)", r.van.nl()),
            },
            None => "geen BRP-inschrijving vóór de aanmelding vastgelegd".to_owned(),
        },
        (true, Some(g)) => format!(
            "{} volgens de aanmelding van {} (geen BRP-historie vastgelegd)",
            naam(g),
            state.aangemeld.nl()
        ),
        (true, None) => "niet ingeschreven volgens de aanmelding".to_owned(),
    };
    let bill = regime == Regime::Wetsvoorstel36288 && domein == Domain::Bw;
    let (beslist, beslisser) = if bill {
        (
            format!(
                "het college van {} (verantwoordelijke gemeente volgens het wetsvoorstel, nog niet in werking; de regio kan de centrumgemeente mandateren)",
                naam(verantwoordelijk)
            ),
            Some(verantwoordelijk),
        )
    } else {
        match deur {
            Voordeur::Centraal => (
                format!(
                    "{} als centrumgemeente, op mandaat van de gemeenten van de regio",
                    naam(centrum)
                ),
                Some(centrum),
            ),
            Voordeur::Lokaal { .. } => (
                format!("het college van {} (lokale voordeur)", naam(gemeente)),
                Some(gemeente),
            ),
            Voordeur::AndereRegio { .. } => (
                format!(
                    "{} (de gemeente waartoe de persoon zich wendde, buiten de regio); neemt deze regio het over, leg de afspraak vast als afwijking",
                    naam(gemeente)
                ),
                Some(gemeente),
            ),
        }
    };
    let budget = match domein {
        Domain::Bw => "integratie-uitkering beschermd wonen",
        Domain::Mo | Domain::Vo => "decentralisatie-uitkering maatschappelijke opvang",
    };
    let (mut betaalt, betaler) = match deur {
        Voordeur::AndereRegio { .. } if !bill => (
            format!(
                "de centrumgemeente van de regio van {} ({budget}, historische verdeelsleutel)",
                naam(gemeente)
            ),
            None,
        ),
        _ => (
            format!(
                "{} als centrumgemeente ({budget}, historische verdeelsleutel)",
                naam(centrum)
            ),
            Some(centrum),
        ),
    };
    if bill {
        betaalt.push_str(&format!(
            "; onder het wetsvoorstel (nog niet in werking) en het objectieve verdeelmodel zou {} betalen",
            naam(verantwoordelijk)
        ));
    }
    Rollen {
        voordeur,
        inschrijving,
        beslist,
        beslisser,
        betaalt,
        betaler,
    }
}

/// The determination recorded with the current decision (`woonplaats_bepaald` in force on
/// or after the aanmelding, the latest): what letters and the dossier show — never a
/// recomputation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vastgesteld {
    /// Date it was recorded (the decision's date).
    pub datum: Date,
    /// Responsible gemeente.
    pub gemeente: GemeenteCode,
    /// Vangnet's computed answer then.
    pub berekend: GemeenteCode,
    /// The team's internal note when it deviated (never for the person).
    pub afwijking: Option<String>,
    /// The regime applied (`None`: recorded before the regime was recorded).
    pub regime: Option<Regime>,
    /// The computed answer's rule.
    pub grond: Option<Grond>,
    /// The explanation for the person, fixed with the decision.
    pub uitleg: Option<String>,
}

impl Vastgesteld {
    /// Whether the team deviated from the computed answer.
    pub fn afwijkend(&self) -> bool {
        self.gemeente != self.berekend
    }

    /// The regime to state: the recorded one, else the profile's on the application date.
    pub fn regime_or(&self, profile: &RegionProfile, aangemeld: Date) -> Regime {
        self.regime.unwrap_or_else(|| profile.regime_on(aangemeld))
    }

    /// The explanation for the letter: the recorded words, else a fixed phrase (never the
    /// internal note).
    pub fn brieftekst(&self) -> String {
        self.uitleg
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| {
                if self.afwijkend() {
                    override_phrase(self.gemeente)
                } else {
                    format!(
                        "Bij dit besluit is vastgesteld dat {} de verantwoordelijke gemeente is.",
                        naam(self.gemeente)
                    )
                }
            })
    }
}

/// The fixed phrase for a letter after an override without words for the person.
pub fn override_phrase(g: GemeenteCode) -> String {
    format!(
        "Na overleg tussen de betrokken gemeenten is {} vastgesteld als de verantwoordelijke gemeente.",
        naam(g)
    )
}

/// The determination recorded for the current application, if any.
pub fn vastgesteld(d: &Dossier<'_>) -> Option<Vastgesteld> {
    d.in_force()
        .into_iter()
        .filter(|(on, _, _)| *on >= d.state.aangemeld)
        .filter_map(|(on, _, e)| match e {
            ClientEvent::WoonplaatsBepaald {
                gemeente,
                berekend,
                afwijking,
                regime,
                grond,
                uitleg,
            } => Some(Vastgesteld {
                datum: on,
                gemeente: *gemeente,
                berekend: *berekend,
                afwijking: afwijking.clone(),
                regime: *regime,
                grond: *grond,
                uitleg: uitleg.clone(),
            }),
            _ => None,
        })
        .next_back()
}

/// A team's deviation from the computed answer: the gemeente, the internal reason (for the
/// record and the access log) and, optionally, the words for the person's letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Afwijking<'a> {
    /// The gemeente chosen.
    pub gemeente: GemeenteCode,
    /// Why (internal note; required when it differs from the computed answer).
    pub reden: &'a str,
    /// The explanation for the person (`None`: a fixed phrase is used).
    pub brieftekst: Option<&'a str>,
}

/// The `woonplaats_bepaald` fact to record with a decision: Vangnet's answer `w`, or the
/// team's `afwijking`. An "override" equal to the computed answer is a confirmation (no
/// reason needed; a note given is kept). A real deviation needs a reason, and the letter
/// gets the team's words for the person or a fixed phrase — never the internal note.
pub fn bepaling(
    w: &Verantwoordelijk,
    afwijking: Option<Afwijking<'_>>,
) -> Result<ClientEvent, crate::state::RuleError> {
    use crate::state::RuleError;
    let note = |r: &str| Some(r.trim().to_owned()).filter(|r| !r.is_empty());
    let (gemeente, reden, uitleg) = match afwijking {
        None => (w.gemeente, None, w.uitleg.clone()),
        Some(a) if a.gemeente == w.gemeente => (w.gemeente, note(a.reden), w.uitleg.clone()),
        Some(a) => {
            let Some(reden) = note(a.reden) else {
                return Err(RuleError::new(
                    "woonplaats.afwijking_zonder_reden",
                    "woonplaats_reden",
                    format!(
                        "afwijken van de berekende gemeente {} kan alleen met een reden",
                        naam(w.gemeente)
                    ),
                ));
            };
            let brief = a.brieftekst.and_then(note);
            if brief.as_deref() == Some(reden.as_str()) {
                return Err(RuleError::new(
                    "woonplaats.brieftekst_is_notitie",
                    "woonplaats_brieftekst",
                    "de tekst voor de brief is gelijk aan de interne reden; schrijf de uitleg voor de persoon zelf, of laat het veld leeg voor de standaardzin",
                ));
            }
            (
                a.gemeente,
                Some(reden),
                brief.unwrap_or_else(|| override_phrase(a.gemeente)),
            )
        }
    };
    Ok(ClientEvent::WoonplaatsBepaald {
        gemeente,
        berekend: w.gemeente,
        afwijking: reden,
        regime: Some(w.regime),
        grond: Some(w.grond),
        uitleg: Some(uitleg),
    })
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
    fn adres(g: &str, van: &str, tot: Option<&str>, inst: bool) -> Woonadres {
        Woonadres {
            gemeente: gm(g),
            van: d(van),
            tot: tot.map(d),
            aangewezen_instelling: inst,
            bron: AdresBron::Brp,
        }
    }
    fn casus(domein: Domain, woonadressen: Vec<Woonadres>, eerder_bw: Vec<EerderBw>) -> Casus {
        Casus {
            domein,
            datum: d("2025-03-01"),
            gewend_tot: gm("GM0202"),
            woonadressen,
            eerder_bw,
            leeftijd: Some(40),
            jeugdhulp_verblijf: None,
            briefadres: None,
        }
    }

    /// Each row: regime, case, expected gemeente, expected ground.
    #[test]
    fn every_rule_and_exception() {
        let duiven = || vec![adres("GM0226", "2010-01-01", None, false)];
        let cases: Vec<(&str, Regime, Casus, &str, Grond)> = vec![
            (
                "today: turned to",
                Regime::Huidig,
                casus(Domain::Bw, duiven(), vec![]),
                "GM0202",
                Grond::GewendTot,
            ),
            (
                "36288: woonadres",
                Regime::Wetsvoorstel36288,
                casus(Domain::Bw, duiven(), vec![]),
                "GM0226",
                Grond::Woonadres,
            ),
            (
                "36288 (a): BW ended 6 months ago elsewhere",
                Regime::Wetsvoorstel36288,
                casus(
                    Domain::Bw,
                    duiven(),
                    vec![EerderBw {
                        gemeente: gm("GM0275"),
                        einde: d("2024-09-01"),
                        bron: BwBron::Besluit,
                    }],
                ),
                "GM0275",
                Grond::RecentBw,
            ),
            (
                "36288 (a) not: BW ended 13 months ago",
                Regime::Wetsvoorstel36288,
                casus(
                    Domain::Bw,
                    duiven(),
                    vec![EerderBw {
                        gemeente: gm("GM0275"),
                        einde: d("2024-01-31"),
                        bron: BwBron::Besluit,
                    }],
                ),
                "GM0226",
                Grond::Woonadres,
            ),
            (
                "36288 (b): registered at a clinic → address before",
                Regime::Wetsvoorstel36288,
                casus(
                    Domain::Bw,
                    vec![
                        adres("GM1705", "2015-01-01", Some("2024-06-30"), false),
                        adres("GM0274", "2024-07-01", None, true),
                    ],
                    vec![],
                ),
                "GM1705",
                Grond::AangewezenInstelling,
            ),
            (
                "36288 (c): no woonadres",
                Regime::Wetsvoorstel36288,
                casus(
                    Domain::Bw,
                    vec![adres("GM0226", "2010-01-01", Some("2023-12-31"), false)],
                    vec![],
                ),
                "GM0202",
                Grond::GeenWoonadres,
            ),
            (
                "MO stays nationally accessible",
                Regime::Wetsvoorstel36288,
                casus(Domain::Mo, duiven(), vec![]),
                "GM0202",
                Grond::LandelijkToegankelijk,
            ),
            (
                "VO likewise",
                Regime::Huidig,
                casus(Domain::Vo, duiven(), vec![]),
                "GM0202",
                Grond::LandelijkToegankelijk,
            ),
        ];
        for (name, regime, c, gemeente, grond) in cases {
            let v = verantwoordelijke_gemeente(&c, regime);
            assert_eq!(
                (v.gemeente.to_string().as_str(), v.grond),
                (gemeente, grond),
                "{name}: {}",
                v.toelichting
            );
            let code = GemeenteCode::parse(gemeente).unwrap();
            assert!(
                v.toelichting.contains(&naam(code)) && !v.toelichting.contains(gemeente),
                "{name}: explanation names the gemeente by name, not code: {}",
                v.toelichting
            );
        }
    }

    #[test]
    fn uncertain_parts_of_the_bill_are_marked() {
        let c = casus(Domain::Bw, vec![], vec![]);
        assert!(verantwoordelijke_gemeente(&c, Regime::Wetsvoorstel36288).onzeker);
        assert!(!verantwoordelijke_gemeente(&c, Regime::Huidig).onzeker);
    }

    #[test]
    fn brp_history_as_woonadressen() {
        let i = |van: &str, g: Option<&str>, instelling| Inschrijving {
            van: d(van),
            gemeente: g.map(gm),
            instelling,
            briefadres: false,
        };
        let got = brp_woonadressen(&[
            i("2010-01-01", Some("GM0226"), false),
            i("2020-05-01", None, false),
            i("2022-03-01", Some("GM0274"), true),
        ]);
        assert_eq!(
            got,
            vec![
                adres("GM0226", "2010-01-01", Some("2020-04-30"), false),
                adres("GM0274", "2022-03-01", None, true),
            ]
        );
        assert!(brp_woonadressen(&[]).is_empty());
    }

    use crate::events::{EerdereZorgSoort, Kennisbron, Leveringsvorm, Voordeur};
    use crate::frontdoor::tests::{build, cg};
    use crate::ids::{ProductCode, RegionId};

    fn with_regime(regimes: &[(&str, Regime)]) -> RegionProfile {
        let mut p = cg();
        p.woonplaatsbeginsel = regimes.iter().map(|(v, r)| (d(v), *r)).collect();
        p
    }
    fn bw(p: &RegionProfile) -> Product {
        p.products
            .iter()
            .find(|x| x.domain == Domain::Bw && x.max_months.is_none())
            .unwrap()
            .clone()
    }
    fn mo(p: &RegionProfile) -> Product {
        p.products
            .iter()
            .find(|x| x.domain == Domain::Mo)
            .unwrap()
            .clone()
    }
    fn aanmelding(herkomst: Option<&str>, voordeur: Option<Voordeur>) -> ClientEvent {
        ClientEvent::Aanmelding {
            regio: RegionId::parse("centraal-gelderland").unwrap(),
            melder: crate::events::Melder::Zelf,
            herkomst_gemeente: herkomst.map(gm),
            woonsituatie: Woonsituatie::Thuis,
            urgentie: crate::events::Urgentie::Regulier,
            voordeur,
        }
    }
    fn lokaal(g: &str) -> Option<Voordeur> {
        Some(Voordeur::Lokaal { gemeente: gm(g) })
    }
    fn elders(soort: EerdereZorgSoort, g: &str, einde: &str) -> ClientEvent {
        ClientEvent::EerdereZorg {
            soort,
            gemeente: gm(g),
            einde: d(einde),
            bron: Kennisbron::EigenVerklaring,
        }
    }
    const HUIDIG: &[(&str, Regime)] = &[("2000-01-01", Regime::Huidig)];
    const WETSVOORSTEL: &[(&str, Regime)] = &[("2000-01-01", Regime::Wetsvoorstel36288)];

    /// One row: name, regime periods, product domain, birth date, facts, expected gemeente,
    /// rule, and whether the answer is marked uncertain.
    type Row = (
        &'static str,
        &'static [(&'static str, Regime)],
        Domain,
        &'static str,
        Vec<(&'static str, ClientEvent)>,
        &'static str,
        Grond,
        bool,
    );

    fn check(rows: Vec<Row>) {
        for (name, regimes, domain, born, facts, want, grond, onzeker) in rows {
            let p = with_regime(regimes);
            let product = if domain == Domain::Bw { bw(&p) } else { mo(&p) };
            let b = build(born, facts);
            let w = woonplaats_of(&p, &product, &b.dossier(), b.state.aangemeld);
            assert_eq!(
                (w.gemeente, w.grond, w.onzeker),
                (gm(want), grond, onzeker),
                "{name}: {}",
                w.toelichting
            );
            for bad in [
                "controleer",
                "onze bron",
                "profielregel",
                "regel ",
                "art. 1.2.1a",
            ] {
                assert!(
                    !w.uitleg.contains(bad),
                    "{name}: letter text has '{bad}': {}",
                    w.uitleg
                );
            }
        }
    }

    /// Issue 17 point 1: the gemeente turned to is the front door recorded on the
    /// aanmelding, not the registration — under today's law for BW and for MO/VO under both.
    #[test]
    fn point_1_the_front_door_is_the_gemeente_turned_to() {
        use Domain::{Bw, Mo};
        let rows: Vec<Row> = vec![
            (
                "registered in Duiven, door not recorded: central",
                HUIDIG,
                Bw,
                "1980-01-01",
                vec![("2025-01-02", aanmelding(Some("GM0226"), None))],
                "GM0202",
                Grond::GewendTot,
                false,
            ),
            (
                "registered in Duiven, central door",
                HUIDIG,
                Bw,
                "1980-01-01",
                vec![(
                    "2025-01-02",
                    aanmelding(Some("GM0226"), Some(Voordeur::Centraal)),
                )],
                "GM0202",
                Grond::GewendTot,
                false,
            ),
            (
                "registered in Arnhem, Duiven's local door",
                HUIDIG,
                Bw,
                "1980-01-01",
                vec![("2025-01-02", aanmelding(Some("GM0202"), lokaal("GM0226")))],
                "GM0226",
                Grond::GewendTot,
                false,
            ),
            (
                "another region's door",
                HUIDIG,
                Bw,
                "1980-01-01",
                vec![(
                    "2025-01-02",
                    aanmelding(
                        Some("GM0226"),
                        Some(Voordeur::AndereRegio {
                            gemeente: gm("GM0363"),
                        }),
                    ),
                )],
                "GM0363",
                Grond::GewendTot,
                false,
            ),
            (
                "MO: Rheden's door, registered in Duiven",
                HUIDIG,
                Mo,
                "1980-01-01",
                vec![("2025-01-02", aanmelding(Some("GM0226"), lokaal("GM0275")))],
                "GM0275",
                Grond::LandelijkToegankelijk,
                false,
            ),
            (
                "MO under the bill: still the door",
                WETSVOORSTEL,
                Mo,
                "1980-01-01",
                vec![(
                    "2025-01-02",
                    aanmelding(Some("GM0226"), Some(Voordeur::Centraal)),
                )],
                "GM0202",
                Grond::LandelijkToegankelijk,
                false,
            ),
            (
                "bill: the woonadres, not the door",
                WETSVOORSTEL,
                Bw,
                "1980-01-01",
                vec![("2025-01-02", aanmelding(Some("GM0363"), lokaal("GM0226")))],
                "GM0363",
                Grond::Woonadres,
                false,
            ),
        ];
        check(rows);
        // Who decides and who pays today, shown separately where they differ.
        let p = with_regime(HUIDIG);
        let cases: Vec<(Option<Voordeur>, Option<&str>, Option<&str>)> = vec![
            (Some(Voordeur::Centraal), Some("GM0202"), Some("GM0202")),
            (lokaal("GM0226"), Some("GM0226"), Some("GM0202")),
            (
                Some(Voordeur::AndereRegio {
                    gemeente: gm("GM0363"),
                }),
                Some("GM0363"),
                None,
            ),
        ];
        for (deur, beslisser, betaler) in cases {
            let b = build(
                "1980-01-01",
                vec![("2025-01-02", aanmelding(Some("GM0226"), deur))],
            );
            let w = woonplaats_of(&p, &bw(&p), &b.dossier(), b.state.aangemeld);
            let r = rollen(&p, &b.state, w.regime, w.gemeente, Domain::Bw);
            assert_eq!(r.beslisser, beslisser.map(gm), "{deur:?}: {}", r.beslist);
            assert_eq!(r.betaler, betaler.map(gm), "{deur:?}: {}", r.betaalt);
            assert!(
                r.betaalt.contains("historische verdeelsleutel"),
                "{}",
                r.betaalt
            );
        }
    }

    fn earlier_bw(
        p: &RegionProfile,
        bepaald: Option<(&str, &str)>,
    ) -> Vec<(&'static str, ClientEvent)> {
        let product = bw(p);
        let loc = p
            .locations
            .iter()
            .find(|l| l.places.contains_key(&product.code))
            .unwrap()
            .id
            .clone();
        let mut v = vec![
            (
                "2024-01-02",
                aanmelding(Some("GM0226"), Some(Voordeur::Centraal)),
            ),
            (
                "2024-01-10",
                ClientEvent::Toewijzing {
                    product: product.code.clone(),
                    start: d("2024-02-01"),
                    einde: d("2025-01-31"),
                    leveringsvorm: Leveringsvorm::Zin,
                    aanbieder: None,
                },
            ),
        ];
        if let Some((g, b)) = bepaald {
            v.push((
                "2024-01-10",
                ClientEvent::WoonplaatsBepaald {
                    gemeente: gm(g),
                    berekend: gm(b),
                    afwijking: (g != b).then(|| "afspraak tussen gemeenten".to_owned()),
                    regime: Some(Regime::Wetsvoorstel36288),
                    grond: Some(Grond::Woonadres),
                    uitleg: None,
                },
            ));
        }
        v.push((
            "2024-02-01",
            ClientEvent::StartZorg {
                product: ProductCode::clone(&product.code),
                locatie: loc,
                overbezetting: None,
            },
        ));
        v.push((
            "2024-09-30",
            ClientEvent::EindeZorg {
                bestemming: crate::events::Bestemming::EigenWoningSociaal,
                woning: None,
            },
        ));
        v.push((
            "2025-01-02",
            aanmelding(Some("GM0202"), Some(Voordeur::Centraal)),
        ));
        v
    }

    /// Point 2: exception (a) names the gemeente of the determination recorded with the
    /// earlier decision (override included), not the registration at that aanmelding.
    #[test]
    fn point_2_exception_a_reads_the_recorded_determination() {
        let p = with_regime(WETSVOORSTEL);
        let rows: Vec<Row> = vec![
            (
                "earlier BW determined Rheden by override (computed Duiven)",
                WETSVOORSTEL,
                Domain::Bw,
                "1980-01-01",
                earlier_bw(&p, Some(("GM0275", "GM0226"))),
                "GM0275",
                Grond::RecentBw,
                false,
            ),
            (
                "earlier BW determined as computed",
                WETSVOORSTEL,
                Domain::Bw,
                "1980-01-01",
                earlier_bw(&p, Some(("GM0226", "GM0226"))),
                "GM0226",
                Grond::RecentBw,
                false,
            ),
            (
                "no determination recorded then: that application's door",
                WETSVOORSTEL,
                Domain::Bw,
                "1980-01-01",
                earlier_bw(&p, None),
                "GM0202",
                Grond::RecentBw,
                false,
            ),
        ];
        check(rows);
        let b = build("1980-01-01", earlier_bw(&p, None));
        let w = woonplaats_of(&p, &bw(&p), &b.dossier(), b.state.aangemeld);
        assert!(
            w.toelichting.contains("geen woonplaatsbepaling vastgelegd"),
            "{}",
            w.toelichting
        );
    }

    /// Point 3: what a letter shows is the determination recorded with the decision — it
    /// does not change when facts arrive later — with words fit for the person.
    #[test]
    fn point_3_the_recorded_determination_and_words_for_the_person() {
        let p = with_regime(HUIDIG);
        let product = bw(&p);
        let mut facts = vec![(
            "2025-01-02",
            aanmelding(Some("GM0226"), Some(Voordeur::Centraal)),
        )];
        let b = build("1980-01-01", facts.clone());
        let w = woonplaats_of(&p, &product, &b.dossier(), b.state.aangemeld);
        let note = "Druten heeft per mail van 3/1 ingestemd, zie profielregel 294";
        let event = bepaling(
            &w,
            Some(Afwijking {
                gemeente: gm("GM0225"),
                reden: note,
                brieftekst: None,
            }),
        )
        .unwrap();
        facts.push((
            "2025-01-10",
            ClientEvent::Toewijzing {
                product: product.code.clone(),
                start: d("2025-02-01"),
                einde: d("2025-12-31"),
                leveringsvorm: Leveringsvorm::Zin,
                aanbieder: None,
            },
        ));
        facts.push(("2025-01-10", event));
        // A later BRP fact and a later change of front door would change a recomputation.
        facts.push((
            "2025-02-01",
            ClientEvent::BrpInschrijving {
                vanaf: d("2010-01-01"),
                gemeente: Some(gm("GM0274")),
                instelling: false,
                briefadres: false,
            },
        ));
        let b = build("1980-01-01", facts);
        let v = vastgesteld(&b.dossier()).unwrap();
        assert_eq!(v.gemeente, gm("GM0225"));
        assert_eq!(v.berekend, gm("GM0202"));
        assert_eq!(v.regime, Some(Regime::Huidig));
        let letter = v.brieftekst();
        assert!(
            !letter.contains("mail") && !letter.contains("profielregel"),
            "{letter}"
        );
        assert!(letter.contains("Druten"), "{letter}");
        assert_eq!(letter, override_phrase(gm("GM0225")));
        // With words for the person, those are used.
        let e = bepaling(
            &w,
            Some(Afwijking {
                gemeente: gm("GM0225"),
                reden: note,
                brieftekst: Some(
                    "U woonde de laatste jaren in Druten; daarom is Druten verantwoordelijk.",
                ),
            }),
        )
        .unwrap();
        let ClientEvent::WoonplaatsBepaald {
            uitleg, afwijking, ..
        } = e
        else {
            unreachable!()
        };
        assert_eq!(
            uitleg.as_deref(),
            Some("U woonde de laatste jaren in Druten; daarom is Druten verantwoordelijk.")
        );
        assert_eq!(afwijking.as_deref(), Some(note));
        // The internal note is never the letter text, and a deviation needs a reason.
        let refuse = |reden: &str, brief: Option<&str>| {
            bepaling(
                &w,
                Some(Afwijking {
                    gemeente: gm("GM0225"),
                    reden,
                    brieftekst: brief,
                }),
            )
            .unwrap_err()
            .code
        };
        assert_eq!(refuse(note, Some(note)), "woonplaats.brieftekst_is_notitie");
        assert_eq!(refuse("  ", None), "woonplaats.afwijking_zonder_reden");
    }

    /// Point 4: BW elsewhere is a fact of this record, with how it is known, without a case
    /// in the other region; exception (a) sees it.
    #[test]
    fn point_4_bw_elsewhere_is_recorded_and_counts() {
        let rows: Vec<Row> = vec![
            (
                "BW in Amsterdam ended 6 months ago",
                WETSVOORSTEL,
                Domain::Bw,
                "1980-01-01",
                vec![
                    ("2025-01-02", aanmelding(Some("GM0226"), None)),
                    (
                        "2025-01-03",
                        elders(EerdereZorgSoort::BeschermdWonen, "GM0363", "2024-07-01"),
                    ),
                ],
                "GM0363",
                Grond::RecentBw,
                false,
            ),
            (
                "BW in Amsterdam ended 13 months ago",
                WETSVOORSTEL,
                Domain::Bw,
                "1980-01-01",
                vec![
                    ("2025-01-02", aanmelding(Some("GM0226"), None)),
                    (
                        "2025-01-03",
                        elders(EerdereZorgSoort::BeschermdWonen, "GM0363", "2023-12-01"),
                    ),
                ],
                "GM0226",
                Grond::Woonadres,
                false,
            ),
            (
                "today's law: the door regardless",
                HUIDIG,
                Domain::Bw,
                "1980-01-01",
                vec![
                    ("2025-01-02", aanmelding(Some("GM0226"), None)),
                    (
                        "2025-01-03",
                        elders(EerdereZorgSoort::BeschermdWonen, "GM0363", "2024-07-01"),
                    ),
                ],
                "GM0202",
                Grond::GewendTot,
                false,
            ),
        ];
        check(rows);
        let b = build(
            "1980-01-01",
            vec![
                ("2025-01-02", aanmelding(Some("GM0226"), None)),
                (
                    "2025-01-03",
                    elders(EerdereZorgSoort::BeschermdWonen, "GM0363", "2024-07-01"),
                ),
            ],
        );
        assert_eq!(
            b.state.regio.as_str(),
            "centraal-gelderland",
            "no case elsewhere"
        );
        assert_eq!(b.state.eerdere_zorg.len(), 1);
        let p = with_regime(WETSVOORSTEL);
        let w = woonplaats_of(&p, &bw(&p), &b.dossier(), b.state.aangemeld);
        assert!(
            w.toelichting.contains("eigen verklaring"),
            "{}",
            w.toelichting
        );
    }

    /// Point 5: minors fall under the Jeugdwet; young adults after jeugdhulp met verblijf are
    /// uncertain under the bill.
    #[test]
    fn point_5_minors_and_young_adults_after_jeugdhulp() {
        let rows: Vec<Row> = vec![
            (
                "16 years, today's law",
                HUIDIG,
                Domain::Bw,
                "2008-06-01",
                vec![("2025-01-02", aanmelding(Some("GM0226"), None))],
                "GM0226",
                Grond::Jeugdwet,
                true,
            ),
            (
                "16 years, bill",
                WETSVOORSTEL,
                Domain::Bw,
                "2008-06-01",
                vec![("2025-01-02", aanmelding(Some("GM0226"), None))],
                "GM0226",
                Grond::Jeugdwet,
                true,
            ),
            (
                "17 years, MO",
                HUIDIG,
                Domain::Mo,
                "2007-06-01",
                vec![("2025-01-02", aanmelding(None, None))],
                "GM0202",
                Grond::Jeugdwet,
                true,
            ),
            (
                "18 today: Wmo",
                HUIDIG,
                Domain::Bw,
                "2007-01-02",
                vec![("2025-01-02", aanmelding(Some("GM0226"), None))],
                "GM0202",
                Grond::GewendTot,
                false,
            ),
            (
                "20 after jeugdhulp met verblijf, bill: uncertain",
                WETSVOORSTEL,
                Domain::Bw,
                "2004-06-01",
                vec![
                    ("2025-01-02", aanmelding(Some("GM0226"), None)),
                    (
                        "2025-01-03",
                        elders(
                            EerdereZorgSoort::JeugdhulpMetVerblijf,
                            "GM0274",
                            "2024-06-01",
                        ),
                    ),
                ],
                "GM0226",
                Grond::Woonadres,
                true,
            ),
            (
                "20 without jeugdhulp, bill",
                WETSVOORSTEL,
                Domain::Bw,
                "2004-06-01",
                vec![("2025-01-02", aanmelding(Some("GM0226"), None))],
                "GM0226",
                Grond::Woonadres,
                false,
            ),
        ];
        check(rows);
    }

    /// Point 6: where a fact comes from, the regime choice, briefadres, and the bill marked.
    #[test]
    fn point_6_sources_regime_briefadres_and_the_bill_marked() {
        let brp = |g: &str, van: &str, briefadres: bool| ClientEvent::BrpInschrijving {
            vanaf: d(van),
            gemeente: Some(gm(g)),
            instelling: false,
            briefadres,
        };
        let rows: Vec<Row> = vec![
            (
                "briefadres is no woonadres",
                WETSVOORSTEL,
                Domain::Bw,
                "1980-01-01",
                vec![
                    ("2025-01-02", aanmelding(Some("GM0226"), None)),
                    ("2025-01-03", brp("GM0226", "2020-01-01", true)),
                ],
                "GM0202",
                Grond::GeenWoonadres,
                true,
            ),
            (
                "woonadres then briefadres",
                WETSVOORSTEL,
                Domain::Bw,
                "1980-01-01",
                vec![
                    ("2025-01-02", aanmelding(Some("GM0226"), None)),
                    ("2025-01-03", brp("GM0274", "2015-01-01", false)),
                    ("2025-01-03", brp("GM0226", "2020-01-01", true)),
                ],
                "GM0202",
                Grond::GeenWoonadres,
                true,
            ),
        ];
        check(rows);
        let p = with_regime(WETSVOORSTEL);
        // No BRP history: no invented "ingeschreven sinds" date; say where it comes from.
        let b = build(
            "1980-01-01",
            vec![("2025-01-02", aanmelding(Some("GM0226"), None))],
        );
        let w = woonplaats_of(&p, &bw(&p), &b.dossier(), b.state.aangemeld);
        assert!(
            !w.toelichting.contains("ingeschreven sinds"),
            "{}",
            w.toelichting
        );
        assert!(
            w.toelichting
                .contains("volgens de aanmelding van 02-01-2025"),
            "{}",
            w.toelichting
        );
        let b = build(
            "1980-01-01",
            vec![
                ("2025-01-02", aanmelding(Some("GM0226"), None)),
                ("2025-01-03", brp("GM0274", "2015-01-01", false)),
            ],
        );
        let w = woonplaats_of(&p, &bw(&p), &b.dossier(), b.state.aangemeld);
        assert!(
            w.toelichting.contains("ingeschreven sinds 01-01-2015 (BRP"),
            "{}",
            w.toelichting
        );
        let b = build(
            "1980-01-01",
            vec![
                ("2025-01-02", aanmelding(Some("GM0226"), None)),
                ("2025-01-03", brp("GM0226", "2020-01-01", true)),
            ],
        );
        let w = woonplaats_of(&p, &bw(&p), &b.dossier(), b.state.aangemeld);
        assert!(w.toelichting.contains("briefadres"), "{}", w.toelichting);
        // The bill is marked wherever it is shown, and is not law in force.
        assert!(
            w.toelichting.contains("wetsvoorstel, nog niet in werking"),
            "{}",
            w.toelichting
        );
        assert!(
            Regime::Wetsvoorstel36288
                .label()
                .contains("wetsvoorstel, nog niet in werking")
        );
        assert!(!Regime::Wetsvoorstel36288.in_werking() && Regime::Huidig.in_werking());
        // The regime is the one of the application date, and the answer says so when
        // another one holds by the time of the decision.
        let p = with_regime(&[
            ("2000-01-01", Regime::Huidig),
            ("2025-03-01", Regime::Wetsvoorstel36288),
        ]);
        let b = build(
            "1980-01-01",
            vec![("2025-01-02", aanmelding(Some("GM0226"), None))],
        );
        let w = woonplaats_of(&p, &bw(&p), &b.dossier(), d("2025-04-01"));
        assert_eq!(w.regime, Regime::Huidig);
        assert!(
            w.toelichting
                .contains("gekozen op de aanmeldingsdatum 02-01-2025"),
            "{}",
            w.toelichting
        );
        assert!(
            w.toelichting.contains("op 01-04-2025 geldt"),
            "{}",
            w.toelichting
        );
        // An override equal to the computed answer is a confirmation, no reason needed.
        let e = bepaling(
            &w,
            Some(Afwijking {
                gemeente: w.gemeente,
                reden: "",
                brieftekst: None,
            }),
        )
        .unwrap();
        assert!(
            matches!(e, ClientEvent::WoonplaatsBepaald { gemeente, berekend, afwijking: None, .. } if gemeente == berekend)
        );
    }

    /// Far dates: exception (a) near 9999 does not panic.
    #[test]
    fn twelve_months_near_the_end_of_time() {
        assert!(within_12_months(d("9999-06-01"), d("9999-12-31")));
        assert!(within_12_months(d("2024-02-29"), d("2025-02-27")));
        assert!(!within_12_months(d("2024-02-29"), d("2025-02-28")));
        assert!(!within_12_months(d("2024-01-31"), d("2025-01-31")));
    }
}
