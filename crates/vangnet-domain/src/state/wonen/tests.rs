//! Issue 15's housing rules, table-driven: every refusal code of `state/wonen.rs` (and the
//! housing parts of `einde_zorg`) hit once with the field it names, and the paths that are
//! accepted — the whole outflow from woonbehoefte to einde zorg with a woning, a refused
//! offer followed by a new one, and a new offer once the first one's term passed unanswered.
//!
//! The region is the built-in Centraal Gelderland profile; its demo corporations (aanname)
//! are `woonbrug` (Arnhem GM0202, Renkum GM0274, Rheden GM0275, Rozendaal GM0277) and
//! `liemers-wonen` (among others Duiven GM0226).

use crate::date::Date;
use crate::events::{
    Bestemming, ClientEvent, Leveringsvorm, Melder, Urgentie, Woningtype, WoonRoute, Woonbehoefte,
    Woonbestemming, Woonsituatie,
};
use crate::ids::{ClientId, GemeenteCode, RegionId};
use crate::region::{Domain, Regions, Unit};
use crate::state::{ClientState, RuleError};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}
fn gm(s: &str) -> GemeenteCode {
    GemeenteCode::parse(s).unwrap()
}

const ARNHEM: &str = "GM0202";
const RENKUM: &str = "GM0274";
const DUIVEN: &str = "GM0226";
/// Opgeheven (merged away before 2025): not a gemeente on the dates below.
const OPGEHEVEN: &str = "GM0236";
/// A well-formed code no gemeente ever had.
const NERGENS: &str = "GM9999";

type Stream = Vec<(&'static str, ClientEvent)>;

struct Fx {
    regions: Regions,
}

impl Fx {
    fn new() -> Fx {
        Fx {
            regions: Regions::builtin(),
        }
    }

    /// In care from 2025-02-03 at a BW place of Centraal Gelderland (versions 1–3).
    fn in_zorg(&self) -> Stream {
        let regio = RegionId::parse("centraal-gelderland").unwrap();
        let p = self.regions.get(&regio).unwrap();
        let on = d("2025-01-10");
        let (product, loc) = p
            .products
            .iter()
            .filter(|x| x.domain == Domain::Bw && x.unit == Unit::Plaats && x.valid_on(on))
            .find_map(|x| {
                p.locations
                    .iter()
                    .find(|l| l.places.contains_key(&x.code))
                    .map(|l| (x.code.clone(), l.id.clone()))
            })
            .expect("a BW product with a location");
        vec![
            (
                "2025-01-02",
                ClientEvent::Aanmelding {
                    regio,
                    melder: Melder::Wijkteam,
                    herkomst_gemeente: Some(gm(ARNHEM)),
                    woonsituatie: Woonsituatie::Dakloos,
                    urgentie: Urgentie::Regulier,
                    voordeur: None,
                },
            ),
            (
                "2025-01-10",
                ClientEvent::Toewijzing {
                    product: product.clone(),
                    start: d("2025-02-01"),
                    einde: d("2026-12-31"),
                    leveringsvorm: Leveringsvorm::Zin,
                    aanbieder: None,
                },
            ),
            (
                "2025-02-03",
                ClientEvent::StartZorg {
                    product,
                    locatie: loc,
                    overbezetting: None,
                },
            ),
        ]
    }

    /// Only registered (not in care).
    fn aangemeld(&self) -> Stream {
        self.in_zorg().into_iter().take(1).collect()
    }

    /// `base` followed by `more`.
    fn with(&self, base: Stream, more: Vec<(&'static str, ClientEvent)>) -> Stream {
        base.into_iter().chain(more).collect()
    }

    /// In care and uitstroomklaar since 2025-06-01 (version 4).
    fn klaar(&self) -> Stream {
        self.with(
            self.in_zorg(),
            vec![("2025-06-01", ClientEvent::Uitstroomklaar)],
        )
    }

    /// Uitstroomklaar with an open offer of woonbrug in Arnhem on 2025-07-01, to answer by
    /// 2025-07-15 (the offer is version 5).
    fn aangeboden(&self) -> Stream {
        self.with(
            self.klaar(),
            vec![("2025-07-01", aanbod("woonbrug", ARNHEM, "2025-07-15"))],
        )
    }

    /// The offer accepted on 2025-07-05 (version 6).
    fn geaccepteerd(&self) -> Stream {
        self.with(
            self.aangeboden(),
            vec![("2025-07-05", antwoord(5, true, ""))],
        )
    }

    /// The tenancy signed on 2025-07-10, lease from 2025-08-01 (version 7).
    fn getekend(&self) -> Stream {
        self.with(
            self.geaccepteerd(),
            vec![("2025-07-10", huur(5, "2025-08-01"))],
        )
    }

    /// Moved in on 2025-08-01 (version 8).
    fn verhuisd(&self) -> Stream {
        self.with(
            self.getekend(),
            vec![("2025-08-01", ClientEvent::Verhuizing { aanbod: 5 })],
        )
    }

    /// An urgentie application at Arnhem on 2025-06-02 (version 5 after [`Fx::klaar`]).
    fn urgentie_open(&self) -> Stream {
        self.with(
            self.klaar(),
            vec![(
                "2025-06-02",
                ClientEvent::UrgentieAanvraag {
                    gemeente: gm(ARNHEM),
                },
            )],
        )
    }

    /// The state after `stream`, each fact applied in order (each must be accepted).
    fn after(&self, stream: &[(&str, ClientEvent)]) -> ClientState {
        let (first, rest) = stream.split_first().expect("a prelude");
        let mut s = ClientState::open(ClientId(1), 1, d(first.0), &first.1, &self.regions).unwrap();
        for (i, (on, e)) in rest.iter().enumerate() {
            s.apply(i as u32 + 2, d(on), e, &self.regions)
                .unwrap_or_else(|err| panic!("step {} ({}): {err}", i + 2, e.kind()));
        }
        s
    }

    fn apply(&self, s: &mut ClientState, on: &str, e: &ClientEvent) -> Result<(), RuleError> {
        s.apply(s.version + 1, d(on), e, &self.regions)
    }
}

fn behoefte(gemeenten: &[&str], verwacht_klaar: Option<&str>) -> ClientEvent {
    ClientEvent::Woonbehoefte(Woonbehoefte {
        woningtype: Woningtype::Studio,
        prikkelarm: true,
        gemeenten: gemeenten.iter().map(|g| gm(g)).collect(),
        ambulante_begeleiding: true,
        route: WoonRoute::Regulier,
        verwacht_klaar: verwacht_klaar.map(d),
    })
}

fn aanbod(corporatie: &str, gemeente: &str, reageren_voor: &str) -> ClientEvent {
    ClientEvent::Woningaanbod {
        corporatie: corporatie.into(),
        gemeente: gm(gemeente),
        woningtype: Woningtype::Studio,
        route: WoonRoute::Regulier,
        reageren_voor: d(reageren_voor),
    }
}

fn antwoord(aanbod: u32, akkoord: bool, reden: &str) -> ClientEvent {
    ClientEvent::AanbodAntwoord {
        aanbod,
        akkoord,
        reden: reden.into(),
    }
}

fn huur(aanbod: u32, ingangsdatum: &str) -> ClientEvent {
    ClientEvent::Huurovereenkomst {
        aanbod,
        ingangsdatum: d(ingangsdatum),
    }
}

fn besluit(aanvraag: u32, toegekend: bool, toelichting: &str) -> ClientEvent {
    ClientEvent::UrgentieBesluit {
        aanvraag,
        toegekend,
        toelichting: toelichting.into(),
    }
}

fn einde(bestemming: Bestemming, woning: Option<(&str, Woningtype)>) -> ClientEvent {
    ClientEvent::EindeZorg {
        bestemming,
        woning: woning.map(|(g, woningtype)| Woonbestemming {
            gemeente: gm(g),
            woningtype,
        }),
    }
}

/// Every housing refusal: (name, prelude, date, fact, code, field). Each leaves the state
/// exactly as it was.
#[test]
fn every_housing_refusal_names_its_code_and_field() {
    let f = Fx::new();
    let cases: Vec<(&str, Stream, &str, ClientEvent, &str, &str)> = vec![
        // woonbehoefte
        (
            "woonbehoefte zonder zorg",
            f.aangemeld(),
            "2025-01-05",
            behoefte(&[ARNHEM], None),
            "woonbehoefte.niet_in_zorg",
            "type",
        ),
        (
            "woonbehoefte zonder gemeente",
            f.in_zorg(),
            "2025-03-01",
            behoefte(&[], None),
            "woonbehoefte.gemeenten",
            "gemeenten",
        ),
        (
            "woonbehoefte met elf gemeenten",
            f.in_zorg(),
            "2025-03-01",
            behoefte(&[ARNHEM; 11], None),
            "woonbehoefte.gemeenten",
            "gemeenten",
        ),
        (
            "woonbehoefte met een opgeheven gemeente",
            f.in_zorg(),
            "2025-03-01",
            behoefte(&[ARNHEM, OPGEHEVEN], None),
            "gemeente.ongeldig",
            "gemeenten",
        ),
        (
            "woonbehoefte verwacht klaar over meer dan vijf jaar",
            f.in_zorg(),
            "2025-03-01",
            behoefte(&[ARNHEM], Some("2030-03-02")),
            "woonbehoefte.verwacht_klaar",
            "verwacht_klaar",
        ),
        // urgentie
        (
            "urgentie bij een gemeente die niet bestaat",
            f.klaar(),
            "2025-06-02",
            ClientEvent::UrgentieAanvraag {
                gemeente: gm(NERGENS),
            },
            "gemeente.ongeldig",
            "gemeente",
        ),
        (
            "tweede urgentieaanvraag zonder besluit op de eerste",
            f.urgentie_open(),
            "2025-06-03",
            ClientEvent::UrgentieAanvraag {
                gemeente: gm(RENKUM),
            },
            "urgentie.open",
            "type",
        ),
        (
            "besluit op een onbekende aanvraag",
            f.urgentie_open(),
            "2025-06-20",
            besluit(4, true, ""),
            "urgentie.onbekend",
            "aanvraag",
        ),
        (
            "besluit vóór de aanvraag",
            f.urgentie_open(),
            "2025-06-01",
            besluit(5, true, ""),
            "urgentie.voor_aanvraag",
            "effective_date",
        ),
        (
            "afwijzing van urgentie zonder reden",
            f.urgentie_open(),
            "2025-06-20",
            besluit(5, false, "  "),
            "urgentie.reden_ontbreekt",
            "toelichting",
        ),
        // woningaanbod
        (
            "aanbod aan wie niet in zorg is",
            f.aangemeld(),
            "2025-01-05",
            aanbod("woonbrug", ARNHEM, "2025-01-20"),
            "woningaanbod.geen_kandidaat",
            "type",
        ),
        (
            "aanbod aan wie in zorg is maar niet uitstroomklaar",
            f.in_zorg(),
            "2025-03-01",
            aanbod("woonbrug", ARNHEM, "2025-03-15"),
            "woningaanbod.geen_kandidaat",
            "type",
        ),
        (
            "aanbod aan wie pas over meer dan drie maanden klaar is",
            f.with(
                f.in_zorg(),
                vec![("2025-03-01", behoefte(&[ARNHEM], Some("2025-09-02")))],
            ),
            "2025-06-01",
            aanbod("woonbrug", ARNHEM, "2025-06-15"),
            "woningaanbod.geen_kandidaat",
            "type",
        ),
        (
            "aanbod aan wie al in een woning woont",
            f.verhuisd(),
            "2025-08-10",
            aanbod("liemers-wonen", DUIVEN, "2025-08-20"),
            "woningaanbod.al_gehuisvest",
            "type",
        ),
        (
            "tweede aanbod terwijl het eerste nog loopt",
            f.aangeboden(),
            "2025-07-15",
            aanbod("liemers-wonen", DUIVEN, "2025-07-30"),
            "woningaanbod.loopt_al",
            "type",
        ),
        (
            "tweede aanbod na acceptatie van het eerste",
            f.geaccepteerd(),
            "2025-08-01",
            aanbod("liemers-wonen", DUIVEN, "2025-08-15"),
            "woningaanbod.loopt_al",
            "type",
        ),
        (
            "aanbod van een corporatie van een andere regio",
            f.klaar(),
            "2025-07-01",
            aanbod("nergens-wonen", ARNHEM, "2025-07-15"),
            "woningaanbod.corporatie_onbekend",
            "corporatie",
        ),
        (
            "aanbod in een gemeente die niet bestaat",
            f.klaar(),
            "2025-07-01",
            aanbod("woonbrug", NERGENS, "2025-07-15"),
            "gemeente.ongeldig",
            "gemeente",
        ),
        (
            "aanbod buiten het werkgebied",
            f.klaar(),
            "2025-07-01",
            aanbod("woonbrug", DUIVEN, "2025-07-15"),
            "woningaanbod.buiten_werkgebied",
            "gemeente",
        ),
        (
            "reactietermijn vóór het aanbod",
            f.klaar(),
            "2025-07-01",
            aanbod("woonbrug", ARNHEM, "2025-06-30"),
            "woningaanbod.termijn",
            "reageren_voor",
        ),
        // antwoord
        (
            "antwoord op een onbekend aanbod",
            f.aangeboden(),
            "2025-07-05",
            antwoord(4, true, ""),
            "aanbod.onbekend",
            "aanbod",
        ),
        (
            "tweede antwoord op een geaccepteerd aanbod",
            f.geaccepteerd(),
            "2025-07-06",
            antwoord(5, true, ""),
            "aanbod.al_beantwoord",
            "aanbod",
        ),
        (
            "antwoord vóór het aanbod",
            f.aangeboden(),
            "2025-06-30",
            antwoord(5, true, ""),
            "aanbod.voor_aanbod",
            "effective_date",
        ),
        (
            "antwoord na de reactietermijn",
            f.aangeboden(),
            "2025-07-16",
            antwoord(5, true, ""),
            "aanbod.verlopen",
            "aanbod",
        ),
        (
            "weigering zonder reden",
            f.aangeboden(),
            "2025-07-05",
            antwoord(5, false, " "),
            "aanbod.reden_ontbreekt",
            "reden",
        ),
        // huurovereenkomst
        (
            "huurovereenkomst zonder aanbod",
            f.klaar(),
            "2025-07-10",
            huur(5, "2025-08-01"),
            "aanbod.onbekend",
            "aanbod",
        ),
        (
            "huurovereenkomst op een aanbod dat nog niet is geaccepteerd",
            f.aangeboden(),
            "2025-07-10",
            huur(5, "2025-08-01"),
            "huur.niet_geaccepteerd",
            "aanbod",
        ),
        (
            "tweede huurovereenkomst",
            f.getekend(),
            "2025-07-11",
            huur(5, "2025-08-01"),
            "huur.al_getekend",
            "aanbod",
        ),
        (
            "huurovereenkomst vóór de acceptatie",
            f.geaccepteerd(),
            "2025-07-04",
            huur(5, "2025-08-01"),
            "huur.voor_aanbod",
            "effective_date",
        ),
        (
            "ingangsdatum vóór het aanbod",
            f.geaccepteerd(),
            "2025-07-10",
            huur(5, "2025-06-30"),
            "huur.ingang_voor_aanbod",
            "ingangsdatum",
        ),
        // verhuizing
        (
            "verhuizing zonder huurovereenkomst",
            f.geaccepteerd(),
            "2025-07-20",
            ClientEvent::Verhuizing { aanbod: 5 },
            "verhuizing.geen_huur",
            "aanbod",
        ),
        (
            "tweede verhuizing",
            f.verhuisd(),
            "2025-08-02",
            ClientEvent::Verhuizing { aanbod: 5 },
            "verhuizing.al_verhuisd",
            "aanbod",
        ),
        (
            "verhuizing vóór het tekenen",
            f.getekend(),
            "2025-07-09",
            ClientEvent::Verhuizing { aanbod: 5 },
            "verhuizing.voor_huur",
            "effective_date",
        ),
        // einde zorg met woning
        (
            "woning bij een bestemming die geen woning is",
            f.verhuisd(),
            "2025-08-31",
            einde(Bestemming::Kliniek, Some((ARNHEM, Woningtype::Studio))),
            "einde_zorg.woning_bij_andere_bestemming",
            "woning",
        ),
        (
            "woning in een gemeente die niet bestaat",
            f.verhuisd(),
            "2025-08-31",
            einde(
                Bestemming::EigenWoningSociaal,
                Some((NERGENS, Woningtype::Studio)),
            ),
            "gemeente.ongeldig",
            "woning.gemeente",
        ),
        (
            "woning in een opgeheven gemeente",
            f.verhuisd(),
            "2025-08-31",
            einde(
                Bestemming::EigenWoningSociaal,
                Some((OPGEHEVEN, Woningtype::Studio)),
            ),
            "gemeente.ongeldig",
            "woning.gemeente",
        ),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (name, prelude, on, event, code, field) in cases {
        let mut s = f.after(&prelude);
        let before = s.clone();
        let e = f
            .apply(&mut s, on, &event)
            .expect_err(&format!("{name}: refused"));
        assert_eq!((e.code, e.field), (code, field), "{name}: {e}");
        assert!(!e.message.trim().is_empty(), "{name}: a Dutch message");
        assert_eq!(s, before, "{name}: a refused fact changes nothing");
        seen.insert(code);
    }
    // Every code of state/wonen.rs (and einde_zorg's housing ones), by hand: 27.
    let all = [
        "woonbehoefte.niet_in_zorg",
        "woonbehoefte.gemeenten",
        "woonbehoefte.verwacht_klaar",
        "gemeente.ongeldig",
        "urgentie.open",
        "urgentie.onbekend",
        "urgentie.voor_aanvraag",
        "urgentie.reden_ontbreekt",
        "woningaanbod.geen_kandidaat",
        "woningaanbod.al_gehuisvest",
        "woningaanbod.loopt_al",
        "woningaanbod.corporatie_onbekend",
        "woningaanbod.buiten_werkgebied",
        "woningaanbod.termijn",
        "aanbod.onbekend",
        "aanbod.al_beantwoord",
        "aanbod.voor_aanbod",
        "aanbod.verlopen",
        "aanbod.reden_ontbreekt",
        "huur.niet_geaccepteerd",
        "huur.al_getekend",
        "huur.voor_aanbod",
        "huur.ingang_voor_aanbod",
        "verhuizing.geen_huur",
        "verhuizing.al_verhuisd",
        "verhuizing.voor_huur",
        "einde_zorg.woning_bij_andere_bestemming",
    ];
    assert_eq!(seen.len(), 27);
    assert_eq!(seen, all.into_iter().collect());
}

/// The whole outflow: woonbehoefte → uitstroomklaar → urgentie aanvraag and besluit → offer
/// → accepted → tenancy → move → einde zorg with the woning; the state after each step.
#[test]
fn the_outflow_from_woonbehoefte_to_einde_zorg_with_a_woning() {
    let f = Fx::new();
    let mut s = f.after(&f.in_zorg());
    assert!(!s.woon_kandidaat(d("2025-03-01")));
    assert!(!s.woon_kandidaat_ooit());

    // Expected ready on 2025-06-01: a candidate from 2025-03-01 (three months before).
    f.apply(
        &mut s,
        "2025-02-20",
        &behoefte(&[ARNHEM, RENKUM], Some("2025-06-01")),
    )
    .unwrap();
    assert!(s.woon_kandidaat_ooit());
    assert!(!s.woon_kandidaat(d("2025-02-28")));
    assert!(s.woon_kandidaat(d("2025-03-01")));
    assert_eq!(
        s.woonbehoefte.as_ref().map(|w| w.gemeenten.clone()),
        Some(vec![gm(ARNHEM), gm(RENKUM)])
    );

    f.apply(&mut s, "2025-06-01", &ClientEvent::Uitstroomklaar)
        .unwrap();
    assert_eq!(s.uitstroomklaar, Some(d("2025-06-01")));

    f.apply(
        &mut s,
        "2025-06-02",
        &ClientEvent::UrgentieAanvraag {
            gemeente: gm(ARNHEM),
        },
    )
    .unwrap();
    let aanvraag = s.version;
    assert_eq!(aanvraag, 6);
    f.apply(&mut s, "2025-06-20", &besluit(aanvraag, true, ""))
        .unwrap();
    let u = s.woonurgentie.clone().unwrap();
    assert_eq!(
        (u.versie, u.aangevraagd, u.gemeente, u.besluit),
        (
            6,
            d("2025-06-02"),
            gm(ARNHEM),
            Some((d("2025-06-20"), true))
        )
    );

    f.apply(
        &mut s,
        "2025-07-01",
        &aanbod("woonbrug", RENKUM, "2025-07-15"),
    )
    .unwrap();
    let offer = s.version;
    assert_eq!(offer, 8);
    f.apply(&mut s, "2025-07-15", &antwoord(offer, true, ""))
        .unwrap();
    f.apply(&mut s, "2025-07-20", &huur(offer, "2025-08-01"))
        .unwrap();
    f.apply(
        &mut s,
        "2025-08-01",
        &ClientEvent::Verhuizing { aanbod: offer },
    )
    .unwrap();
    let a = s.aanbod.clone().unwrap();
    assert_eq!(
        (
            a.versie,
            a.corporatie.as_str(),
            a.gemeente,
            a.geaccepteerd,
            a.huur,
            a.verhuisd
        ),
        (
            8,
            "woonbrug",
            gm(RENKUM),
            Some(d("2025-07-15")),
            Some((d("2025-07-20"), d("2025-08-01"))),
            Some(d("2025-08-01"))
        )
    );
    assert_eq!(s.gehuisvest, Some(d("2025-08-01")));
    assert!(!s.woon_kandidaat(d("2025-08-01")));
    assert!(!s.woon_kandidaat_ooit());

    f.apply(
        &mut s,
        "2025-08-31",
        &einde(
            Bestemming::EigenWoningSociaal,
            Some((RENKUM, Woningtype::Studio)),
        ),
    )
    .unwrap();
    let u = s.uitstroom.clone().unwrap();
    assert_eq!(u.datum, d("2025-08-31"));
    assert_eq!(u.bestemming, Bestemming::EigenWoningSociaal);
    assert_eq!(
        u.woning,
        Some(Woonbestemming {
            gemeente: gm(RENKUM),
            woningtype: Woningtype::Studio
        })
    );
    assert!(s.zorg.is_none());
    assert_eq!(s.version, 12);
}

/// A refused offer leaves the person a candidate with the refusal on record; a new offer
/// (another corporation) is then accepted.
#[test]
fn a_refused_offer_then_a_new_offer() {
    let f = Fx::new();
    let mut s = f.after(&f.aangeboden());
    f.apply(
        &mut s,
        "2025-07-03",
        &antwoord(5, false, "te ver van het netwerk"),
    )
    .unwrap();
    assert_eq!(s.aanbod, None);
    let w = s.aanbod_geweigerd.clone().unwrap();
    assert_eq!(
        (w.datum, w.corporatie.as_str(), w.reden.as_str()),
        (d("2025-07-03"), "woonbrug", "te ver van het netwerk")
    );
    assert!(s.woon_kandidaat(d("2025-07-03")));
    // The refused offer can no longer be answered.
    let e = f
        .apply(&mut s, "2025-07-04", &antwoord(5, true, ""))
        .unwrap_err();
    assert_eq!((e.code, e.field), ("aanbod.onbekend", "aanbod"));
    f.apply(
        &mut s,
        "2025-07-10",
        &aanbod("liemers-wonen", DUIVEN, "2025-07-24"),
    )
    .unwrap();
    assert_eq!(s.version, 7);
    f.apply(&mut s, "2025-07-11", &antwoord(7, true, ""))
        .unwrap();
    let a = s.aanbod.clone().unwrap();
    assert_eq!(
        (a.versie, a.corporatie.as_str(), a.geaccepteerd),
        (7, "liemers-wonen", Some(d("2025-07-11")))
    );
    // The refusal stays on record (the worklist drops it once a new offer runs).
    assert_eq!(s.aanbod_geweigerd.map(|w| w.datum), Some(d("2025-07-03")));
}

/// An offer whose `reageren_voor` passed unanswered can no longer be answered; a new offer
/// replaces it (on the last day of the term it still blocks one).
#[test]
fn an_offer_after_the_term_of_the_last_one_passed() {
    let f = Fx::new();
    let mut s = f.after(&f.aangeboden());
    let e = f
        .apply(&mut s, "2025-07-16", &antwoord(5, true, ""))
        .unwrap_err();
    assert_eq!((e.code, e.field), ("aanbod.verlopen", "aanbod"));
    let e = f
        .apply(
            &mut s,
            "2025-07-15",
            &aanbod("liemers-wonen", DUIVEN, "2025-07-30"),
        )
        .unwrap_err();
    assert_eq!(e.code, "woningaanbod.loopt_al");
    f.apply(
        &mut s,
        "2025-07-16",
        &aanbod("liemers-wonen", DUIVEN, "2025-07-30"),
    )
    .unwrap();
    let a = s.aanbod.clone().unwrap();
    assert_eq!(
        (a.versie, a.corporatie.as_str(), a.datum, a.reageren_voor),
        (6, "liemers-wonen", d("2025-07-16"), d("2025-07-30"))
    );
    // The lapsed offer is gone: answering it is refused, answering the new one is not.
    let e = f
        .apply(&mut s, "2025-07-17", &antwoord(5, true, ""))
        .unwrap_err();
    assert_eq!(e.code, "aanbod.onbekend");
    f.apply(&mut s, "2025-07-17", &antwoord(6, true, ""))
        .unwrap();
}

/// The stream `facts` (versions 1, 2, …) folded as the store folds it (effective order,
/// corrections resolved): the refusal.
fn fold_refusal(f: &Fx, facts: &[(&str, ClientEvent)]) -> RuleError {
    let dated: Vec<(Date, &ClientEvent)> = facts.iter().map(|(on, e)| (d(on), e)).collect();
    let stream: Vec<crate::state::StreamEntry<'_>> = dated
        .iter()
        .enumerate()
        .map(|(i, (on, e))| crate::state::StreamEntry {
            version: i as u32 + 1,
            effective: *on,
            event: e,
        })
        .collect();
    crate::state::fold_stream(ClientId(1), &stream, &f.regions).expect_err("refused")
}

/// Issue 15 (closing note): an answer, tenancy or move dated before the offer it names is
/// a date error at `effective_date` — in a fold the offer is not there yet, which used to
/// read `aanbod.onbekend` ("geen lopend woningaanbod"); an answer to an offer that does not
/// exist at all, or to a fact that is no offer, stays `aanbod.onbekend` at `aanbod`. The
/// offer is version 5 of [`Fx::aangeboden`], dated 2025-07-01.
#[test]
fn an_answer_before_its_offer_is_a_date_error_and_no_offer_is_unknown() {
    let f = Fx::new();
    let cases: Vec<(&str, Stream, &str, &str)> = vec![
        (
            "antwoord vóór het aanbod",
            vec![("2025-06-30", antwoord(5, true, ""))],
            "aanbod.voor_aanbod",
            "effective_date",
        ),
        (
            "weigering vóór het aanbod",
            vec![("2025-06-20", antwoord(5, false, "te klein"))],
            "aanbod.voor_aanbod",
            "effective_date",
        ),
        (
            "huurovereenkomst vóór het aanbod",
            vec![("2025-06-30", huur(5, "2025-08-01"))],
            "huur.voor_aanbod",
            "effective_date",
        ),
        (
            "verhuizing vóór het aanbod",
            vec![("2025-06-30", ClientEvent::Verhuizing { aanbod: 5 })],
            "verhuizing.voor_huur",
            "effective_date",
        ),
        (
            "antwoord op een versie die geen aanbod is",
            vec![("2025-06-30", antwoord(4, true, ""))],
            "aanbod.onbekend",
            "aanbod",
        ),
        (
            "antwoord op een versie die niet bestaat",
            vec![("2025-07-02", antwoord(99, true, ""))],
            "aanbod.onbekend",
            "aanbod",
        ),
        (
            // The accepted offer (5, answer 6) corrected (7) to a later date than the answer.
            "aanbod gecorrigeerd naar een datum na het antwoord",
            vec![
                ("2025-07-05", antwoord(5, true, "")),
                (
                    "2025-07-10",
                    ClientEvent::Correctie {
                        corrigeert: 5,
                        vervanging: Box::new(aanbod("woonbrug", ARNHEM, "2025-07-25")),
                        reden: "datum verkeerd".into(),
                    },
                ),
            ],
            "aanbod.voor_aanbod",
            "effective_date",
        ),
    ];
    for (name, more, code, field) in cases {
        let e = fold_refusal(&f, &f.with(f.aangeboden(), more));
        assert_eq!((e.code, e.field), (code, field), "{name}: {e}");
        if code != "aanbod.onbekend" {
            assert!(
                e.message.contains("ligt vóór het aanbod (01-07-2025)")
                    || e.message.contains("ligt vóór het aanbod (10-07-2025)"),
                "{name}: {e}"
            );
        }
    }
    // No offer at all: unknown, at the field naming it.
    let e = fold_refusal(
        &f,
        &f.with(f.klaar(), vec![("2025-06-30", antwoord(4, true, ""))]),
    );
    assert_eq!((e.code, e.field), ("aanbod.onbekend", "aanbod"));
    // The path a back-dated answer takes in the store: the same code.
    let stream = f.aangeboden();
    let s = f.after(&stream);
    let dated: Vec<(Date, &ClientEvent)> = stream.iter().map(|(on, e)| (d(on), e)).collect();
    let entries: Vec<crate::state::StreamEntry<'_>> = dated
        .iter()
        .enumerate()
        .map(|(i, (on, e))| crate::state::StreamEntry {
            version: i as u32 + 1,
            effective: *on,
            event: e,
        })
        .collect();
    let e = crate::state::refold_appended(
        &s,
        &entries,
        6,
        d("2025-06-30"),
        &antwoord(5, true, ""),
        &f.regions,
    )
    .expect_err("refused");
    assert_eq!((e.code, e.field), ("aanbod.voor_aanbod", "effective_date"));
    assert!(
        e.message
            .starts_with("het antwoord (30-06-2025) ligt vóór het aanbod (01-07-2025)"),
        "{e}"
    );
}
