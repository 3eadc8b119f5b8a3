//! Woonplaatsbeginsel: which gemeente is responsible for (and pays) a person's care, under
//! the two legal regimes of `shared/reference/finance.md` §B, chosen per region profile and
//! date. Every answer says which rule applied and why; an override needs a reason and is
//! recorded by the caller.
//!
//! - **Huidig** (today's law, art. 1.2.1(b) Wmo 2015): the gemeente the person turns to;
//!   BW and MO are nationally accessible.
//! - **Wetsvoorstel 36 288**: for BW, the gemeente of the BRP *woonadres* before entry, except
//!   (a) BW ended less than 12 months ago → the gemeente that last provided it; (b) a woonadres
//!   at a designated institution → the woonadres immediately before it (the bill text is cut
//!   off here in our source: marked uncertain); (c) no woonadres → the gemeente turned to
//!   (uncertain too). MO and vrouwenopvang stay nationally accessible under both regimes.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::events::{ClientEvent, Wijziging, Woonsituatie};
use crate::frontdoor::Dossier;
use crate::ids::GemeenteCode;
use crate::region::{Domain, Product, RegionProfile};
use crate::state::{ClientState, Inschrijving};

/// The legal regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// Today's law: the gemeente turned to.
    Huidig,
    /// Bill 36 288: the BRP woonadres before entry, with exceptions.
    Wetsvoorstel36288,
}

impl Regime {
    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Regime::Huidig => "huidige wet (art. 1.2.1 Wmo 2015)",
            Regime::Wetsvoorstel36288 => "wetsvoorstel 36 288 (woonplaatsbeginsel)",
        }
    }
}

/// One period of BRP registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Woonadres {
    /// The gemeente of the address.
    pub gemeente: GemeenteCode,
    /// First day.
    pub van: Date,
    /// Last day (`None`: still registered there).
    pub tot: Option<Date>,
    /// The address is at an institution designated by ministerial regulation (clinic, Wlz, detention…).
    pub aangewezen_instelling: bool,
}

/// An earlier period of BW.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EerderBw {
    /// The gemeente that provided (and was responsible for) it.
    pub gemeente: GemeenteCode,
    /// Last day of that BW.
    pub einde: Date,
}

/// What the determination needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Casus {
    /// BW, MO or VO.
    pub domein: Domain,
    /// Date of the application (entry).
    pub datum: Date,
    /// The gemeente the person turned to.
    pub gewend_tot: GemeenteCode,
    /// BRP history.
    pub woonadressen: Vec<Woonadres>,
    /// Earlier BW periods.
    pub eerder_bw: Vec<EerderBw>,
}

/// Which rule decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
}

/// The answer, with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verantwoordelijk {
    /// The responsible gemeente.
    pub gemeente: GemeenteCode,
    /// The regime applied.
    pub regime: Regime,
    /// The rule that decided.
    pub grond: Grond,
    /// Why, in Dutch, with the facts used.
    pub toelichting: String,
    /// True where the rule rests on a part of the bill our source could not confirm.
    pub onzeker: bool,
}

fn on(adressen: &[Woonadres], d: Date) -> Option<&Woonadres> {
    adressen
        .iter()
        .filter(|a| a.van <= d && a.tot.is_none_or(|t| t >= d))
        .max_by_key(|a| a.van)
}

/// Determine the responsible gemeente for `casus` under `regime`.
pub fn verantwoordelijke_gemeente(casus: &Casus, regime: Regime) -> Verantwoordelijk {
    let gewend = casus.gewend_tot;
    let answer = |gemeente, grond, toelichting: String, onzeker| Verantwoordelijk {
        gemeente,
        regime,
        grond,
        toelichting,
        onzeker,
    };
    if casus.domein != Domain::Bw {
        return answer(
            gewend,
            Grond::LandelijkToegankelijk,
            format!(
                "{} is landelijk toegankelijk: de gemeente waartoe de persoon zich wendt ({gewend}) is verantwoordelijk, onder beide regimes.",
                casus.domein.label()
            ),
            false,
        );
    }
    match regime {
        Regime::Huidig => answer(
            gewend,
            Grond::GewendTot,
            format!(
                "Huidige wet (art. 1.2.1 sub b Wmo 2015): de gemeente waartoe de persoon zich wendt, {gewend}, ongeacht de inschrijving."
            ),
            false,
        ),
        Regime::Wetsvoorstel36288 => {
            // (a) BW ended less than 12 months before this application.
            if let Some(prev) = casus
                .eerder_bw
                .iter()
                .filter(|b| b.einde <= casus.datum)
                .max_by_key(|b| b.einde)
                && casus.datum < prev.einde.add_months(12)
            {
                return answer(
                    prev.gemeente,
                    Grond::RecentBw,
                    format!(
                        "Uitzondering a (art. 1.2.1a lid 1): eerder beschermd wonen eindigde op {}, minder dan 12 maanden vóór de aanmelding op {}; verantwoordelijk is de gemeente die het laatst beschermd wonen verstrekte, {}.",
                        prev.einde, casus.datum, prev.gemeente
                    ),
                    false,
                );
            }
            match on(&casus.woonadressen, casus.datum) {
                None => answer(
                    gewend,
                    Grond::GeenWoonadres,
                    format!(
                        "Geen woonadres in de BRP op {}: de gemeente waartoe de persoon zich wendt, {gewend} (uitzondering voor personen zonder woonadres; de wettekst is in onze bron niet volledig — controleer).",
                        casus.datum
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
                                "Uitzondering b: het woonadres op {} ligt in een aangewezen instelling ({}); verantwoordelijk is de gemeente van het woonadres daarvóór, {} (vanaf {}). De wettekst is in onze bron afgebroken — controleer.",
                                casus.datum, a.gemeente, p.gemeente, p.van
                            ),
                            true,
                        ),
                        None => answer(
                            gewend,
                            Grond::GeenWoonadres,
                            format!(
                                "Woonadres in een aangewezen instelling ({}) zonder eerder woonadres: de gemeente waartoe de persoon zich wendt, {gewend} (onzeker — controleer).",
                                a.gemeente
                            ),
                            true,
                        ),
                    }
                }
                Some(a) => answer(
                    a.gemeente,
                    Grond::Woonadres,
                    format!(
                        "Hoofdregel wetsvoorstel 36 288: de gemeente van het BRP-woonadres vóór de instroom, {} (ingeschreven sinds {}).",
                        a.gemeente, a.van
                    ),
                    false,
                ),
            }
        }
    }
}

/// The gemeente the person turned to: their gemeente of registration when it belongs to the
/// region, otherwise the region's centrumgemeente (whose front door they used).
pub fn gewend_tot(profile: &RegionProfile, state: &ClientState) -> GemeenteCode {
    state
        .herkomst
        .filter(|g| profile.gemeente(*g).is_some())
        .unwrap_or(profile.centrumgemeente)
}

/// The BRP registrations as woonadressen: each runs until the day before the next one; a
/// period without registration (`gemeente: None`) ends the previous address.
pub fn brp_woonadressen(brp: &[Inschrijving]) -> Vec<Woonadres> {
    brp.iter()
        .enumerate()
        .filter_map(|(i, r)| {
            r.gemeente.map(|g| Woonadres {
                gemeente: g,
                van: r.van,
                tot: brp.get(i + 1).map(|n| n.van.add_days(-1)),
                aangewezen_instelling: r.instelling,
            })
        })
        .collect()
}

/// The responsible gemeente for the record's current application and `product`, under the
/// regime the region's profile sets for the application date. The BRP history is the
/// recorded `brp_inschrijving` facts when there are any, else the registration at each
/// aanmelding (an address at a clinic, detention or Wlz institution counts as a designated
/// institution); earlier BW periods come from the stream.
pub fn woonplaats_of(
    profile: &RegionProfile,
    product: &Product,
    d: &Dossier<'_>,
) -> Verantwoordelijk {
    let s = d.state;
    let mut woonadressen: Vec<Woonadres> = Vec::new();
    let mut eerder_bw: Vec<EerderBw> = Vec::new();
    let mut herkomst: Option<GemeenteCode> = None;
    let mut zorg_bw = false;
    for (on, _, e) in d.in_force() {
        match e {
            ClientEvent::Aanmelding {
                herkomst_gemeente,
                woonsituatie,
                ..
            } => {
                herkomst = *herkomst_gemeente;
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
                    });
                }
            }
            ClientEvent::StartZorg { product, .. }
            | ClientEvent::Wijziging(Wijziging::Doorstroom { product, .. }) => {
                zorg_bw = profile
                    .product(product)
                    .is_some_and(|p| p.domain == Domain::Bw);
            }
            ClientEvent::EindeZorg { .. } if zorg_bw && on < s.aangemeld => {
                eerder_bw.push(EerderBw {
                    gemeente: herkomst.unwrap_or(profile.centrumgemeente),
                    einde: on,
                });
                zorg_bw = false;
            }
            _ => {}
        }
    }
    if !s.brp.is_empty() {
        // A recorded BRP history replaces what the aanmeldingen say about registration.
        woonadressen = brp_woonadressen(&s.brp);
    }
    let casus = Casus {
        domein: product.domain,
        datum: s.aangemeld,
        gewend_tot: gewend_tot(profile, s),
        woonadressen,
        eerder_bw,
    };
    verantwoordelijke_gemeente(&casus, profile.regime_on(s.aangemeld))
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
        }
    }
    fn casus(domein: Domain, woonadressen: Vec<Woonadres>, eerder_bw: Vec<EerderBw>) -> Casus {
        Casus {
            domein,
            datum: d("2025-03-01"),
            gewend_tot: gm("GM0202"),
            woonadressen,
            eerder_bw,
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
            assert!(
                v.toelichting.contains(gemeente),
                "{name}: explanation names the gemeente: {}",
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

    /// The determination built from a stored record, per regime.
    #[test]
    fn the_determination_from_the_record() {
        use crate::frontdoor::tests::{aanmelding, build, cg};
        let mut p = cg();
        let product = p
            .products
            .iter()
            .find(|x| x.domain == Domain::Bw)
            .unwrap()
            .clone();
        let brp = ClientEvent::BrpInschrijving {
            vanaf: d("2015-01-01"),
            gemeente: Some(gm("GM1705")),
            instelling: false,
        };
        // (name, regime, registration at aanmelding, BRP facts, expected gemeente)
        type Case = (
            &'static str,
            Regime,
            Option<&'static str>,
            bool,
            &'static str,
        );
        let cases: Vec<Case> = vec![
            (
                "today, registered in the region",
                Regime::Huidig,
                Some("GM0226"),
                false,
                "GM0226",
            ),
            (
                "today, registered outside",
                Regime::Huidig,
                Some("GM0363"),
                false,
                "GM0202",
            ),
            (
                "today, not registered",
                Regime::Huidig,
                None,
                false,
                "GM0202",
            ),
            (
                "bill, registration at aanmelding",
                Regime::Wetsvoorstel36288,
                Some("GM0363"),
                false,
                "GM0363",
            ),
            (
                "bill, recorded BRP history wins",
                Regime::Wetsvoorstel36288,
                Some("GM0363"),
                true,
                "GM1705",
            ),
        ];
        for (name, regime, herkomst, with_brp, want) in cases {
            p.woonplaatsbeginsel = vec![(d("2000-01-01"), regime)];
            let mut facts = vec![("2025-01-02", aanmelding(herkomst))];
            if with_brp {
                facts.push(("2025-01-03", brp.clone()));
            }
            let b = build("1990-01-01", facts);
            let w = woonplaats_of(&p, &product, &b.dossier());
            assert_eq!(w.gemeente, gm(want), "{name}: {}", w.toelichting);
            assert_eq!(w.regime, regime, "{name}");
        }
    }
}
