//! Unit tests of the fold rules: every transition rule of [`ClientState::open`] /
//! [`ClientState::apply`] accepted and refused at least once (matched on the rule code, not
//! on the Dutch message), and corrections, voids and back-dated facts in [`fold_stream`].
//!
//! Products, locations and providers are picked from the built-in Centraal Gelderland
//! profile by what they are (a BW product without a maximum, one with a maximum, a night
//! shelter), so editing the profile's catalogue does not break these tests.

use super::*;
use crate::events::{Advies, CriteriumOordeel, Melder, Urgentie, Woonsituatie, ZRM_DOMAINS};
use crate::region::{Location, Product};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}
fn gm(s: &str) -> GemeenteCode {
    GemeenteCode::parse(s).unwrap()
}

struct Fx {
    regions: Regions,
    regio: RegionId,
    /// A BW product without a maximum duration.
    open: ProductCode,
    /// A BW product with a maximum duration.
    capped: ProductCode,
    /// A night-shelter product.
    nacht: ProductCode,
    /// A location of `open`, another location of `open` run by another provider.
    loc: LocationId,
    loc_other_provider: LocationId,
    /// A location that does not offer `open`.
    loc_without: LocationId,
    /// A location of `nacht`.
    loc_nacht: LocationId,
    /// A location offering `capped`.
    loc_capped: LocationId,
    /// The provider of `loc`, and a contracted provider with no location for `open`.
    provider: AgbCode,
    provider_without: Option<AgbCode>,
}

fn fx() -> Fx {
    let regions = Regions::builtin();
    let regio = RegionId::parse("centraal-gelderland").unwrap();
    let p = regions.get(&regio).unwrap().clone();
    let on = d("2025-01-01");
    let located = |pr: &&Product| p.locations.iter().any(|l| l.places.contains_key(&pr.code));
    let open = p
        .products
        .iter()
        .filter(located)
        .find(|x| x.domain == Domain::Bw && x.max_months.is_none() && x.valid_on(on))
        .expect("a BW product without maximum");
    let capped = p
        .products
        .iter()
        .filter(located)
        .find(|x| x.domain == Domain::Bw && x.max_months.is_some() && x.valid_on(on))
        .expect("a BW product with a maximum");
    let nacht = p
        .products
        .iter()
        .filter(located)
        .find(|x| x.unit == Unit::Nacht && x.valid_on(on))
        .expect("a night shelter");
    let loc_of = |code: &ProductCode| -> &Location {
        p.locations
            .iter()
            .find(|l| l.places.contains_key(code))
            .unwrap()
    };
    let loc = loc_of(&open.code);
    let other = p
        .locations
        .iter()
        .find(|l| l.places.contains_key(&open.code) && l.provider != loc.provider)
        .expect("two providers of the open product");
    let without = p
        .locations
        .iter()
        .find(|l| !l.places.contains_key(&open.code))
        .unwrap();
    let provider_without = p
        .providers
        .iter()
        .find(|pr| {
            !p.locations
                .iter()
                .any(|l| l.provider == pr.agb && l.places.contains_key(&open.code))
        })
        .map(|pr| pr.agb);
    Fx {
        open: open.code.clone(),
        capped: capped.code.clone(),
        nacht: nacht.code.clone(),
        loc: loc.id.clone(),
        loc_other_provider: other.id.clone(),
        loc_without: without.id.clone(),
        loc_nacht: loc_of(&nacht.code).id.clone(),
        loc_capped: loc_of(&capped.code).id.clone(),
        provider: loc.provider,
        provider_without,
        regio,
        regions,
    }
}

impl Fx {
    fn aanmelding(&self) -> ClientEvent {
        ClientEvent::Aanmelding {
            regio: self.regio.clone(),
            melder: Melder::Wijkteam,
            herkomst_gemeente: Some(gm("GM0226")),
            woonsituatie: Woonsituatie::Thuis,
            urgentie: Urgentie::Regulier,
            voordeur: None,
        }
    }
    fn toewijzing(&self, product: &ProductCode, start: &str, einde: &str) -> ClientEvent {
        ClientEvent::Toewijzing {
            product: product.clone(),
            start: d(start),
            einde: d(einde),
            leveringsvorm: Leveringsvorm::Zin,
            aanbieder: None,
        }
    }
    fn start(&self, product: &ProductCode, loc: &LocationId) -> ClientEvent {
        ClientEvent::StartZorg {
            product: product.clone(),
            locatie: loc.clone(),
            overbezetting: None,
        }
    }
    /// The state after a prelude of facts applied in order (each must be accepted).
    fn after(&self, prelude: &[(&str, ClientEvent)]) -> ClientState {
        let (first, rest) = prelude.split_first().expect("a prelude");
        let mut s = ClientState::open(ClientId(1), 1, d(first.0), &first.1, &self.regions).unwrap();
        for (i, (on, e)) in rest.iter().enumerate() {
            s.apply(i as u32 + 2, d(on), e, &self.regions)
                .unwrap_or_else(|err| panic!("prelude step {}: {err}", i + 2));
        }
        s
    }
    fn aangemeld(&self) -> Vec<(&'static str, ClientEvent)> {
        vec![("2025-01-02", self.aanmelding())]
    }
    fn toegewezen(&self) -> Vec<(&'static str, ClientEvent)> {
        let mut v = self.aangemeld();
        v.push((
            "2025-01-10",
            self.toewijzing(&self.open, "2025-02-01", "2026-01-31"),
        ));
        v
    }
    fn wachtend(&self) -> Vec<(&'static str, ClientEvent)> {
        let mut v = self.toegewezen();
        v.push((
            "2025-01-11",
            ClientEvent::WachtlijstIn {
                product: self.open.clone(),
                prioriteit: 0,
            },
        ));
        v
    }
    fn in_zorg(&self) -> Vec<(&'static str, ClientEvent)> {
        let mut v = self.toegewezen();
        v.push(("2025-02-03", self.start(&self.open, &self.loc)));
        v
    }
}

/// Every transition rule, accepted and refused: (name, prelude, date, fact, expected code
/// or `None` for accepted).
#[test]
fn every_transition_rule_is_accepted_and_refused_by_code() {
    let f = fx();
    let zrm_bad = {
        let mut z = [None; ZRM_DOMAINS];
        z[3] = Some(6);
        z
    };
    let beoordeling = |criterium: &str, zrm| ClientEvent::Beoordeling {
        criteria: vec![CriteriumOordeel {
            criterium: criterium.into(),
            voldaan: Some(true),
        }],
        zrm,
        doelgroep: None,
        advies: Advies::Toewijzen,
        behoeften: Vec::new(),
    };
    let met_aanbieder = |a: AgbCode| ClientEvent::Toewijzing {
        product: f.open.clone(),
        start: d("2025-02-01"),
        einde: d("2025-12-31"),
        leveringsvorm: Leveringsvorm::Pgb,
        aanbieder: Some(a),
    };
    let mut in_zorg_bij = f.aangemeld();
    in_zorg_bij.push(("2025-01-10", met_aanbieder(f.provider)));
    let afgewezen = {
        let mut v = f.aangemeld();
        v.push((
            "2025-01-10",
            ClientEvent::Afwijzing {
                reden: "geen BW nodig".into(),
                casusregie: "wijkteam".into(),
            },
        ));
        v
    };
    let uitgestroomd = {
        let mut v = f.in_zorg();
        v.push((
            "2025-06-01",
            ClientEvent::EindeZorg {
                bestemming: Bestemming::HousingFirst,
                woning: None,
            },
        ));
        v
    };
    let capped_in_zorg = {
        let mut v = f.aangemeld();
        v.push((
            "2025-01-10",
            f.toewijzing(&f.capped, "2025-02-01", "2025-12-31"),
        ));
        v.push(("2025-02-01", f.start(&f.capped, &f.loc_capped)));
        v
    };
    let max_end = f
        .regions
        .get(&f.regio)
        .unwrap()
        .product(&f.capped)
        .unwrap()
        .max_end(d("2025-02-01"))
        .unwrap()
        .to_string();
    let over_max = d(&max_end).add_days(1).to_string();
    let verlenging = |e: &str| ClientEvent::Wijziging(Wijziging::Verlenging { nieuw_einde: d(e) });
    let doorstroom = |p: &ProductCode, l: &LocationId| {
        ClientEvent::Wijziging(Wijziging::Doorstroom {
            product: p.clone(),
            locatie: l.clone(),
        })
    };
    let bepaald = |g: &str, b: &str, r: Option<&str>| ClientEvent::WoonplaatsBepaald {
        gemeente: gm(g),
        berekend: gm(b),
        afwijking: r.map(str::to_owned),
        grond: None,
        regime: None,
        uitleg: None,
    };
    let nacht = |n: u16, p: &ProductCode| ClientEvent::MoOvernachting {
        product: p.clone(),
        locatie: f.loc_nacht.clone(),
        nachten: n,
    };
    type Case = (
        &'static str,
        Vec<(&'static str, ClientEvent)>,
        &'static str,
        ClientEvent,
        Option<&'static str>,
    );
    let mut cases: Vec<Case> = vec![
        // aanmelding
        (
            "heraanmelding na afwijzing",
            afgewezen.clone(),
            "2025-03-01",
            f.aanmelding(),
            None,
        ),
        (
            "heraanmelding na uitstroom",
            uitgestroomd.clone(),
            "2025-07-01",
            f.aanmelding(),
            None,
        ),
        (
            "aanmelding tijdens zorg",
            f.in_zorg(),
            "2025-03-01",
            f.aanmelding(),
            Some("aanmelding.lopende_zorg"),
        ),
        (
            "aanmelding met geldige toewijzing",
            f.toegewezen(),
            "2025-03-01",
            f.aanmelding(),
            Some("aanmelding.geldige_toewijzing"),
        ),
        (
            "aanmelding in onbekende regio",
            afgewezen.clone(),
            "2025-03-01",
            ClientEvent::Aanmelding {
                regio: RegionId::parse("nergens").unwrap(),
                melder: Melder::Zelf,
                herkomst_gemeente: None,
                woonsituatie: Woonsituatie::Dakloos,
                urgentie: Urgentie::Crisis,
                voordeur: None,
            },
            Some("aanmelding.regio_onbekend"),
        ),
        (
            "aanmelding met opgeheven gemeente",
            afgewezen.clone(),
            "2025-03-01",
            ClientEvent::Aanmelding {
                regio: f.regio.clone(),
                melder: Melder::Zelf,
                herkomst_gemeente: Some(gm("GM0236")),
                woonsituatie: Woonsituatie::Dakloos,
                urgentie: Urgentie::Crisis,
                voordeur: None,
            },
            Some("aanmelding.herkomst_ongeldig"),
        ),
        // beoordeling
        (
            "beoordeling",
            f.aangemeld(),
            "2025-01-05",
            beoordeling("psychisch", [Some(2); ZRM_DOMAINS]),
            None,
        ),
        (
            "ZRM 6",
            f.aangemeld(),
            "2025-01-05",
            beoordeling("psychisch", zrm_bad),
            Some("beoordeling.zrm_buiten_bereik"),
        ),
        (
            "criterium zonder naam",
            f.aangemeld(),
            "2025-01-05",
            beoordeling(" ", [None; ZRM_DOMAINS]),
            Some("beoordeling.criterium_zonder_naam"),
        ),
        // toewijzing
        (
            "toewijzing",
            f.aangemeld(),
            "2025-01-10",
            f.toewijzing(&f.open, "2025-02-01", "2026-01-31"),
            None,
        ),
        (
            "einde vóór start",
            f.aangemeld(),
            "2025-01-10",
            f.toewijzing(&f.open, "2025-02-01", "2025-01-31"),
            Some("toewijzing.einde_voor_start"),
        ),
        (
            "precies de maximale duur",
            f.aangemeld(),
            "2025-01-10",
            f.toewijzing(&f.capped, "2025-02-01", &max_end),
            None,
        ),
        (
            "langer dan de maximale duur",
            f.aangemeld(),
            "2025-01-10",
            f.toewijzing(&f.capped, "2025-02-01", &over_max),
            Some("toewijzing.langer_dan_maximum"),
        ),
        (
            "ver in de toekomst: geen paniek",
            f.aangemeld(),
            "2025-01-10",
            f.toewijzing(&f.capped, "9999-06-01", "9999-12-31"),
            None,
        ),
        (
            "product niet in de catalogus",
            f.aangemeld(),
            "2025-01-10",
            f.toewijzing(
                &ProductCode::parse("bw-bestaat-niet").unwrap(),
                "2025-02-01",
                "2025-03-01",
            ),
            Some("product.niet_in_catalogus"),
        ),
        (
            "product nog niet geldig",
            f.aangemeld(),
            "2025-01-10",
            f.toewijzing(&f.open, "1999-02-01", "1999-03-01"),
            Some("product.niet_geldig"),
        ),
        (
            "aanbieder niet gecontracteerd",
            f.aangemeld(),
            "2025-01-10",
            met_aanbieder(AgbCode::parse("12345678").unwrap()),
            Some("toewijzing.aanbieder_niet_gecontracteerd"),
        ),
        (
            "met aanbieder",
            f.aangemeld(),
            "2025-01-10",
            met_aanbieder(f.provider),
            None,
        ),
        // afwijzing
        (
            "afwijzing",
            f.aangemeld(),
            "2025-01-10",
            ClientEvent::Afwijzing {
                reden: "r".into(),
                casusregie: "c".into(),
            },
            None,
        ),
        (
            "afwijzing zonder reden",
            f.aangemeld(),
            "2025-01-10",
            ClientEvent::Afwijzing {
                reden: " ".into(),
                casusregie: "c".into(),
            },
            Some("afwijzing.reden_ontbreekt"),
        ),
        (
            "afwijzing zonder casusregie",
            f.aangemeld(),
            "2025-01-10",
            ClientEvent::Afwijzing {
                reden: "r".into(),
                casusregie: "".into(),
            },
            Some("afwijzing.casusregie_ontbreekt"),
        ),
        (
            "afwijzing tijdens zorg",
            f.in_zorg(),
            "2025-03-01",
            ClientEvent::Afwijzing {
                reden: "r".into(),
                casusregie: "c".into(),
            },
            Some("afwijzing.in_zorg"),
        ),
        // bezwaar
        (
            "bezwaar",
            f.toegewezen(),
            "2025-01-20",
            ClientEvent::Bezwaar { reden: "g".into() },
            None,
        ),
        (
            "bezwaar zonder besluit",
            f.aangemeld(),
            "2025-01-20",
            ClientEvent::Bezwaar { reden: "g".into() },
            Some("bezwaar.geen_besluit"),
        ),
        (
            "bezwaar zonder gronden",
            f.toegewezen(),
            "2025-01-20",
            ClientEvent::Bezwaar { reden: "".into() },
            Some("bezwaar.gronden_ontbreken"),
        ),
        // wachtlijst
        (
            "op de wachtlijst",
            f.toegewezen(),
            "2025-01-11",
            ClientEvent::WachtlijstIn {
                product: f.open.clone(),
                prioriteit: 1,
            },
            None,
        ),
        (
            "wachtlijst met prioriteit 2 (crisis)",
            f.toegewezen(),
            "2025-01-11",
            ClientEvent::WachtlijstIn {
                product: f.open.clone(),
                prioriteit: 2,
            },
            None,
        ),
        (
            "wachtlijst met prioriteit 3 (issue 11, bevinding 3)",
            f.toegewezen(),
            "2025-01-11",
            ClientEvent::WachtlijstIn {
                product: f.open.clone(),
                prioriteit: 3,
            },
            Some("wachtlijst.prioriteit"),
        ),
        (
            "wachtlijst met prioriteit 255",
            f.toegewezen(),
            "2025-01-11",
            ClientEvent::WachtlijstIn {
                product: f.open.clone(),
                prioriteit: 255,
            },
            Some("wachtlijst.prioriteit"),
        ),
        (
            "wachtlijst zonder toewijzing",
            f.aangemeld(),
            "2025-01-11",
            ClientEvent::WachtlijstIn {
                product: f.open.clone(),
                prioriteit: 1,
            },
            Some("wachtlijst.geen_toewijzing"),
        ),
        (
            "wachtlijst ander product",
            f.toegewezen(),
            "2025-01-11",
            ClientEvent::WachtlijstIn {
                product: f.capped.clone(),
                prioriteit: 1,
            },
            Some("wachtlijst.ander_product"),
        ),
        (
            "wachtlijst tijdens zorg",
            f.in_zorg(),
            "2025-03-01",
            ClientEvent::WachtlijstIn {
                product: f.open.clone(),
                prioriteit: 1,
            },
            Some("wachtlijst.in_zorg"),
        ),
        (
            "twee keer op de wachtlijst",
            f.wachtend(),
            "2025-01-12",
            ClientEvent::WachtlijstIn {
                product: f.open.clone(),
                prioriteit: 1,
            },
            Some("wachtlijst.al_wachtend"),
        ),
        (
            "van de wachtlijst",
            f.wachtend(),
            "2025-01-12",
            ClientEvent::WachtlijstUit { reden: "r".into() },
            None,
        ),
        (
            "van de wachtlijst zonder te wachten",
            f.toegewezen(),
            "2025-01-12",
            ClientEvent::WachtlijstUit { reden: "r".into() },
            Some("wachtlijst.niet_wachtend"),
        ),
        // start zorg
        (
            "start zorg vanaf de wachtlijst",
            f.wachtend(),
            "2025-02-03",
            f.start(&f.open, &f.loc),
            None,
        ),
        (
            "start zonder toewijzing",
            f.aangemeld(),
            "2025-02-03",
            f.start(&f.open, &f.loc),
            Some("start_zorg.geen_toewijzing"),
        ),
        (
            "start ander product",
            f.toegewezen(),
            "2025-02-03",
            f.start(&f.capped, &f.loc_capped),
            Some("start_zorg.ander_product"),
        ),
        (
            "start vóór de toewijzing",
            f.toegewezen(),
            "2025-01-20",
            f.start(&f.open, &f.loc),
            Some("start_zorg.buiten_toewijzing"),
        ),
        (
            "start tijdens zorg",
            f.in_zorg(),
            "2025-03-01",
            f.start(&f.open, &f.loc),
            Some("start_zorg.al_in_zorg"),
        ),
        (
            "start op onbekende locatie",
            f.toegewezen(),
            "2025-02-03",
            f.start(&f.open, &LocationId::parse("nergens").unwrap()),
            Some("locatie.onbekend"),
        ),
        (
            "start op locatie zonder product",
            f.toegewezen(),
            "2025-02-03",
            f.start(&f.open, &f.loc_without),
            Some("locatie.biedt_product_niet"),
        ),
        (
            "start bij andere aanbieder",
            in_zorg_bij.clone(),
            "2025-02-03",
            f.start(&f.open, &f.loc_other_provider),
            Some("start_zorg.andere_aanbieder"),
        ),
        // einde zorg
        (
            "einde zorg",
            f.in_zorg(),
            "2025-06-01",
            ClientEvent::EindeZorg {
                bestemming: Bestemming::Onbekend,
                woning: None,
            },
            None,
        ),
        (
            "einde zorg zonder zorg",
            f.toegewezen(),
            "2025-06-01",
            ClientEvent::EindeZorg {
                bestemming: Bestemming::Onbekend,
                woning: None,
            },
            Some("einde_zorg.niet_in_zorg"),
        ),
        (
            "einde zorg vóór de start",
            f.in_zorg(),
            "2025-02-01",
            ClientEvent::EindeZorg {
                bestemming: Bestemming::Onbekend,
                woning: None,
            },
            Some("einde_zorg.voor_start"),
        ),
        // MO
        (
            "nachtopvang",
            f.aangemeld(),
            "2025-01-05",
            nacht(3, &f.nacht),
            None,
        ),
        (
            "nachtopvang met BW-product",
            f.aangemeld(),
            "2025-01-05",
            ClientEvent::MoOvernachting {
                product: f.open.clone(),
                locatie: f.loc.clone(),
                nachten: 1,
            },
            Some("mo.geen_nachtopvang"),
        ),
        (
            "nul nachten",
            f.aangemeld(),
            "2025-01-05",
            nacht(0, &f.nacht),
            Some("mo.nachten_buiten_bereik"),
        ),
        // Wlz
        (
            "Wlz",
            f.in_zorg(),
            "2025-05-01",
            ClientEvent::WlzOvergang,
            None,
        ),
        (
            "Wlz vóór de start van de zorg",
            f.in_zorg(),
            "2025-02-02",
            ClientEvent::WlzOvergang,
            Some("wlz.voor_start"),
        ),
        // BRP
        (
            "BRP-inschrijving",
            f.aangemeld(),
            "2025-01-05",
            ClientEvent::BrpInschrijving {
                vanaf: d("2020-01-01"),
                gemeente: Some(gm("GM0226")),
                instelling: false,
                briefadres: false,
            },
            None,
        ),
        (
            "BRP vanaf na vastlegging",
            f.aangemeld(),
            "2025-01-05",
            ClientEvent::BrpInschrijving {
                vanaf: d("2025-02-01"),
                gemeente: None,
                instelling: false,
                briefadres: false,
            },
            Some("brp.vanaf_na_vastlegging"),
        ),
        (
            "BRP in opgeheven gemeente",
            f.aangemeld(),
            "2025-01-05",
            ClientEvent::BrpInschrijving {
                vanaf: d("2020-01-01"),
                gemeente: Some(gm("GM0236")),
                instelling: false,
                briefadres: false,
            },
            Some("gemeente.ongeldig"),
        ),
        // woonplaatsbeginsel
        (
            "woonplaats zoals berekend",
            f.toegewezen(),
            "2025-01-10",
            bepaald("GM0202", "GM0202", None),
            None,
        ),
        (
            "woonplaats afwijkend met reden",
            f.toegewezen(),
            "2025-01-10",
            bepaald("GM0226", "GM0202", Some("afspraak")),
            None,
        ),
        (
            "woonplaats afwijkend zonder reden",
            f.toegewezen(),
            "2025-01-10",
            bepaald("GM0226", "GM0202", Some(" ")),
            Some("woonplaats.afwijking_zonder_reden"),
        ),
        // uitstroom naar wonen
        (
            "woningzoekend",
            f.in_zorg(),
            "2025-03-01",
            ClientEvent::Woningzoekend {
                bij: "Woonnet".into(),
            },
            None,
        ),
        (
            "woningzoekend zonder waar",
            f.in_zorg(),
            "2025-03-01",
            ClientEvent::Woningzoekend { bij: "".into() },
            Some("woningzoekend.bij_ontbreekt"),
        ),
        (
            "uitstroomklaar",
            f.in_zorg(),
            "2025-03-01",
            ClientEvent::Uitstroomklaar,
            None,
        ),
        (
            "uitstroomklaar zonder zorg",
            f.toegewezen(),
            "2025-03-01",
            ClientEvent::Uitstroomklaar,
            Some("uitstroomklaar.niet_in_zorg"),
        ),
        (
            "voorkeur",
            f.toegewezen(),
            "2025-01-12",
            ClientEvent::Voorkeur {
                gemeenten: vec![gm("GM0226")],
                toelichting: String::new(),
            },
            None,
        ),
        (
            "elf voorkeuren",
            f.toegewezen(),
            "2025-01-12",
            ClientEvent::Voorkeur {
                gemeenten: vec![gm("GM0226"); 11],
                toelichting: String::new(),
            },
            Some("voorkeur.te_veel"),
        ),
        // correcties horen bij de hele stroom
        (
            "correctie via apply",
            f.toegewezen(),
            "2025-01-12",
            ClientEvent::Correctie {
                corrigeert: 2,
                vervanging: Box::new(f.toewijzing(&f.open, "2025-02-01", "2025-12-31")),
                reden: "r".into(),
            },
            Some("correctie.niet_via_apply"),
        ),
        // wijzigingen
        (
            "verlenging",
            f.toegewezen(),
            "2025-03-01",
            verlenging("2026-06-30"),
            None,
        ),
        (
            "verlenging zonder toewijzing",
            f.aangemeld(),
            "2025-03-01",
            verlenging("2026-06-30"),
            Some("verlenging.geen_toewijzing"),
        ),
        (
            "verlenging niet later",
            f.toegewezen(),
            "2025-03-01",
            verlenging("2026-01-31"),
            Some("verlenging.niet_later"),
        ),
        (
            "verlenging boven het maximum",
            capped_in_zorg.clone(),
            "2025-03-01",
            verlenging(&over_max),
            Some("verlenging.langer_dan_maximum"),
        ),
        (
            "opschalen zonder zorg",
            f.toegewezen(),
            "2025-03-01",
            ClientEvent::Wijziging(Wijziging::Opschalen {
                product: f.capped.clone(),
                locatie: None,
            }),
            Some("wijziging.niet_in_zorg"),
        ),
        (
            "doorstroom zonder zorg",
            f.toegewezen(),
            "2025-03-01",
            doorstroom(&f.capped, &f.loc_capped),
            Some("doorstroom.niet_in_zorg"),
        ),
        (
            "doorstroom",
            f.in_zorg(),
            "2025-03-01",
            doorstroom(&f.capped, &f.loc_capped),
            None,
        ),
        (
            "doorstroom vóór de start",
            f.in_zorg(),
            "2025-02-02",
            doorstroom(&f.capped, &f.loc_capped),
            Some("wijziging.voor_start"),
        ),
        (
            "doorstroom naar hetzelfde",
            f.in_zorg(),
            "2025-03-01",
            doorstroom(&f.open, &f.loc),
            Some("wijziging.verandert_niets"),
        ),
    ];
    if let Some(a) = f.provider_without {
        cases.push((
            "aanbieder zonder locatie voor het product",
            f.aangemeld(),
            "2025-01-10",
            met_aanbieder(a),
            Some("toewijzing.aanbieder_zonder_product"),
        ));
    }
    let mut wlz_twice = f.in_zorg();
    wlz_twice.push(("2025-05-01", ClientEvent::WlzOvergang));
    cases.push((
        "twee keer Wlz",
        wlz_twice,
        "2025-05-02",
        ClientEvent::WlzOvergang,
        Some("wlz.al_overgegaan"),
    ));
    let mut seen = std::collections::BTreeSet::new();
    for (name, prelude, on, event, expected) in cases {
        let mut s = f.after(&prelude);
        let before = s.clone();
        let got = s.apply(99, d(on), &event, &f.regions);
        match (expected, got) {
            (None, Ok(())) => assert_eq!(s.version, 99, "{name}"),
            (Some(code), Err(e)) => {
                assert_eq!(e.code, code, "{name}: {e}");
                assert_eq!(
                    s, before,
                    "{name}: a refused fact leaves the state unchanged"
                );
                seen.insert(code);
            }
            (expected, got) => panic!("{name}: expected {expected:?}, got {got:?}"),
        }
    }
    assert!(
        seen.len() >= 48,
        "{} rule codes refused: {seen:?}",
        seen.len()
    );
}

#[test]
fn a_stream_opens_only_with_an_aanmelding() {
    let f = fx();
    let open = |e: &ClientEvent| ClientState::open(ClientId(1), 1, d("2025-01-01"), e, &f.regions);
    assert!(open(&f.aanmelding()).is_ok());
    let e = open(&f.toewijzing(&f.open, "2025-02-01", "2025-03-01")).unwrap_err();
    assert_eq!(e.code, "stroom.eerst_aanmelding");
    let e = open(&ClientEvent::Intrekking {
        trekt_in: 1,
        reden: "r".into(),
    })
    .unwrap_err();
    assert_eq!(e.code, "correctie.niets_te_corrigeren");
    let e = open(&ClientEvent::Aanmelding {
        regio: RegionId::parse("nergens").unwrap(),
        melder: Melder::Zelf,
        herkomst_gemeente: None,
        woonsituatie: Woonsituatie::Dakloos,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    })
    .unwrap_err();
    assert_eq!(e.code, "aanmelding.regio_onbekend");
    // A state whose region is no longer loaded refuses every fact.
    let mut s = f.after(&f.aangemeld());
    s.regio = RegionId::parse("opgeheven").unwrap();
    let e = s
        .apply(2, d("2025-01-05"), &ClientEvent::Uitstroomklaar, &f.regions)
        .unwrap_err();
    assert_eq!(e.code, "regio.onbekend");
}

fn fold(f: &Fx, stream: &[(u32, &str, ClientEvent)]) -> Result<ClientState, RuleError> {
    let entries: Vec<StreamEntry<'_>> = stream
        .iter()
        .map(|(v, on, e)| StreamEntry {
            version: *v,
            effective: d(on),
            event: e,
        })
        .collect();
    fold_stream(ClientId(1), &entries, &f.regions).map(|s| s.expect("non-empty"))
}

#[test]
fn corrections_voids_and_back_dated_facts_in_the_fold() {
    let f = fx();
    let base = || {
        vec![
            (1, "2025-01-02", f.aanmelding()),
            (
                2,
                "2025-01-10",
                f.toewijzing(&f.open, "2025-02-01", "2026-01-31"),
            ),
        ]
    };
    // The fold of an in-order stream equals applying it fact by fact.
    let mut stream = base();
    stream.push((3, "2025-02-03", f.start(&f.open, &f.loc)));
    let folded = fold(&f, &stream).unwrap();
    assert_eq!(folded, f.after(&f.in_zorg()));

    // A correction replaces the fact it corrects (and takes its own effective date).
    let mut s = base();
    s.push((
        3,
        "2025-01-12",
        ClientEvent::Correctie {
            corrigeert: 2,
            vervanging: Box::new(f.toewijzing(&f.open, "2025-03-01", "2025-09-30")),
            reden: "datum verkeerd".into(),
        },
    ));
    let st = fold(&f, &s).unwrap();
    assert_eq!(
        st.toewijzing().map(|t| (t.1, t.2)),
        Some((d("2025-03-01"), d("2025-09-30")))
    );
    assert_eq!(st.version, 3);
    assert_eq!(
        st.besluit.as_ref().map(|b| match b {
            Besluit::Toewijzing { datum, .. } | Besluit::Afwijzing { datum, .. } => *datum,
        }),
        Some(d("2025-01-12"))
    );

    // A correction that would break a rule is refused with that rule's code.
    let mut s = base();
    s.push((
        3,
        "2025-01-12",
        ClientEvent::Correctie {
            corrigeert: 2,
            vervanging: Box::new(f.toewijzing(&f.open, "2025-03-01", "2025-02-01")),
            reden: "r".into(),
        },
    ));
    let e = fold(&f, &s).unwrap_err();
    assert_eq!(e.code, "toewijzing.einde_voor_start");
    assert!(e.message.contains("bij feit 2: "), "{e}");

    let mut s = base();
    s.push((
        3,
        "2025-01-12",
        ClientEvent::Correctie {
            corrigeert: 7,
            vervanging: Box::new(f.toewijzing(&f.open, "2025-03-01", "2025-09-30")),
            reden: "r".into(),
        },
    ));
    assert_eq!(fold(&f, &s).unwrap_err().code, "correctie.versie_onbekend");
    let mut s = base();
    s.push((
        3,
        "2025-01-12",
        ClientEvent::Correctie {
            corrigeert: 2,
            vervanging: Box::new(ClientEvent::Uitstroomklaar),
            reden: "r".into(),
        },
    ));
    assert_eq!(fold(&f, &s).unwrap_err().code, "correctie.ander_soort");

    // A void removes the fact: the allocation is gone.
    let mut s = base();
    s.push((
        3,
        "2025-01-12",
        ClientEvent::Intrekking {
            trekt_in: 2,
            reden: "ten onrechte".into(),
        },
    ));
    let st = fold(&f, &s).unwrap();
    assert_eq!(st.phase(), Phase::Aangemeld);
    assert_eq!(st.version, 3);
    // Voiding the allocation that care started on breaks the start: refused.
    let mut s = base();
    s.push((3, "2025-02-03", f.start(&f.open, &f.loc)));
    s.push((
        4,
        "2025-02-04",
        ClientEvent::Intrekking {
            trekt_in: 2,
            reden: "r".into(),
        },
    ));
    assert_eq!(fold(&f, &s).unwrap_err().code, "start_zorg.geen_toewijzing");
    let mut s = base();
    s.push((
        3,
        "2025-01-12",
        ClientEvent::Intrekking {
            trekt_in: 1,
            reden: "r".into(),
        },
    ));
    assert_eq!(fold(&f, &s).unwrap_err().code, "intrekking.aanmelding");
    let mut s = base();
    s.push((
        3,
        "2025-01-12",
        ClientEvent::Intrekking {
            trekt_in: 9,
            reden: "r".into(),
        },
    ));
    assert_eq!(fold(&f, &s).unwrap_err().code, "intrekking.versie_onbekend");
    let s = vec![
        (2, "2025-01-02", ClientEvent::Uitstroomklaar),
        (
            3,
            "2025-01-03",
            ClientEvent::Intrekking {
                trekt_in: 2,
                reden: "r".into(),
            },
        ),
    ];
    assert_eq!(fold(&f, &s).unwrap_err().code, "intrekking.stroom_leeg");

    // Back-dated facts are folded in effective order: an assessment dated before the
    // allocation it led to is accepted.
    let mut s = base();
    s.push((
        3,
        "2025-01-05",
        ClientEvent::Beoordeling {
            criteria: vec![],
            zrm: [None; ZRM_DOMAINS],
            doelgroep: None,
            advies: Advies::Toewijzen,
            behoeften: Vec::new(),
        },
    ));
    let st = fold(&f, &s).unwrap();
    assert_eq!(st.beoordeeld, Some(d("2025-01-05")));
    assert_eq!(st.last_effective, d("2025-01-10"));
    // … but not one dated before the aanmelding.
    let mut s = base();
    s.push((3, "2024-12-01", ClientEvent::Uitstroomklaar));
    assert_eq!(fold(&f, &s).unwrap_err().code, "stroom.voor_aanmelding");
    // A back-dated end of care before the care started gets the precheck's code.
    let st = f.after(&f.in_zorg());
    let stream = [
        (1, "2025-01-02", f.aanmelding()),
        (
            2,
            "2025-01-10",
            f.toewijzing(&f.open, "2025-02-01", "2026-01-31"),
        ),
        (3, "2025-02-03", f.start(&f.open, &f.loc)),
    ];
    let entries: Vec<StreamEntry<'_>> = stream
        .iter()
        .map(|(v, on, e)| StreamEntry {
            version: *v,
            effective: d(on),
            event: e,
        })
        .collect();
    let einde = ClientEvent::EindeZorg {
        bestemming: Bestemming::Onbekend,
        woning: None,
    };
    let e = refold_appended(&st, &entries, 4, d("2025-01-20"), &einde, &f.regions).unwrap_err();
    assert_eq!(e.code, "terugwerkend.voor_start_zorg");
    assert!(!is_in_order(&st, d("2025-01-20"), &einde));
    let later = refold_appended(&st, &entries, 4, d("2025-05-01"), &einde, &f.regions).unwrap();
    assert_eq!(later.phase(), Phase::Uitgestroomd);
}

#[test]
fn facts_in_force_resolve_corrections_and_voids() {
    let f = fx();
    let corr = ClientEvent::Correctie {
        corrigeert: 2,
        vervanging: Box::new(f.toewijzing(&f.open, "2025-03-01", "2025-09-30")),
        reden: "r".into(),
    };
    let void = ClientEvent::Intrekking {
        trekt_in: 3,
        reden: "r".into(),
    };
    let aanm = f.aanmelding();
    let tw = f.toewijzing(&f.open, "2025-02-01", "2026-01-31");
    let uk = ClientEvent::Uitstroomklaar;
    let entries = [
        StreamEntry {
            version: 1,
            effective: d("2025-01-02"),
            event: &aanm,
        },
        StreamEntry {
            version: 2,
            effective: d("2025-01-10"),
            event: &tw,
        },
        StreamEntry {
            version: 3,
            effective: d("2025-01-11"),
            event: &uk,
        },
        StreamEntry {
            version: 4,
            effective: d("2025-01-12"),
            event: &corr,
        },
        StreamEntry {
            version: 5,
            effective: d("2025-01-13"),
            event: &void,
        },
    ];
    let got = facts_in_force(&entries).unwrap();
    let summary: Vec<(Date, u32, &str)> =
        got.iter().map(|(on, v, e)| (*on, *v, e.kind())).collect();
    assert_eq!(
        summary,
        vec![
            (d("2025-01-02"), 1, "aanmelding"),
            (d("2025-01-12"), 2, "toewijzing"),
        ]
    );
}

/// Issue 12: after a placement the besluit shows the provider of the location when the
/// toewijzing named none; an overbezetting reason is carried into the care and cleared by a
/// move to another location.
#[test]
fn a_placement_names_the_provider_of_the_decision_and_carries_the_overbezetting() {
    let f = fx();
    let s = f.after(&f.toegewezen());
    assert_eq!(s.besluit_aanbieder(), None);
    let s = f.after(&f.in_zorg());
    assert_eq!(s.besluit_aanbieder(), Some(f.provider));
    assert_eq!(
        s.toewijzing().unwrap().4,
        None,
        "the decision itself is unchanged"
    );
    assert_eq!(s.zorg.as_ref().unwrap().overbezetting, None);
    let mut prelude = f.toegewezen();
    prelude.push((
        "2025-02-03",
        ClientEvent::StartZorg {
            product: f.open.clone(),
            locatie: f.loc.clone(),
            overbezetting: Some("crisisplaatsing".into()),
        },
    ));
    let s = f.after(&prelude);
    assert_eq!(
        s.zorg.as_ref().unwrap().overbezetting.as_deref(),
        Some("crisisplaatsing")
    );
    prelude.push((
        "2025-03-01",
        ClientEvent::Wijziging(Wijziging::Doorstroom {
            product: f.open.clone(),
            locatie: f.loc_other_provider.clone(),
        }),
    ));
    let s = f.after(&prelude);
    assert_eq!(s.zorg.as_ref().unwrap().overbezetting, None);
    // A stored state of an older version (no geplaatst_bij, no overbezetting) still loads.
    let json = serde_json::to_string(&f.after(&f.toegewezen())).unwrap();
    assert!(!json.contains("geplaatst_bij"));
}

/// Issue 12, as-of-date state: a planned einde zorg (dated after the as-of day) is not
/// applied — the client stays in care — and its date is kept as the next planned change;
/// folded as of that date it applies. Only the facts up to the day are in the state.
#[test]
fn the_state_as_of_a_date_leaves_planned_facts_for_their_date() {
    let f = fx();
    let mut facts = f.in_zorg();
    facts.push((
        "2025-06-01",
        ClientEvent::EindeZorg {
            bestemming: Bestemming::HousingFirst,
            woning: None,
        },
    ));
    let recorded: Vec<(u32, Date, ClientEvent)> = facts
        .iter()
        .enumerate()
        .map(|(i, (on, e))| (i as u32 + 1, d(on), e.clone()))
        .collect();
    let stream: Vec<StreamEntry<'_>> = recorded
        .iter()
        .map(|(v, on, e)| StreamEntry {
            version: *v,
            effective: *on,
            event: e,
        })
        .collect();
    let before = fold_stream_as_of(ClientId(1), &stream, &f.regions, d("2025-05-31"))
        .unwrap()
        .unwrap();
    assert_eq!(before.phase(), Phase::InZorg);
    assert!(before.zorg.is_some());
    assert_eq!(before.volgende_gepland, Some(d("2025-06-01")));
    assert_eq!(before.version, 4, "the version counts planned facts too");
    let on = fold_stream_as_of(ClientId(1), &stream, &f.regions, d("2025-06-01"))
        .unwrap()
        .unwrap();
    assert!(on.zorg.is_none());
    assert_eq!(on.volgende_gepland, None);
    assert_eq!(
        on,
        fold_stream(ClientId(1), &stream, &f.regions)
            .unwrap()
            .unwrap()
    );
    assert_eq!(planned_facts(&stream, d("2025-05-31")).len(), 1);
    assert!(planned_facts(&stream, d("2025-06-01")).is_empty());
}

/// Issue 14's facts: the picks from the profile they need.
struct Net {
    /// A short-stay product (with `max_nachten`), its maximum and a location offering it.
    short: ProductCode,
    max_nachten: u16,
    loc_short: LocationId,
    /// A location that does not offer `short`.
    loc_no_short: LocationId,
    /// A BW product at a location that cannot serve a need, the location and the need.
    ongeschikt_product: ProductCode,
    ongeschikt_loc: LocationId,
    ongeschikt_voor: crate::events::Behoefte,
    /// Another provider than `Fx::provider`.
    other_provider: AgbCode,
}

fn net(f: &Fx) -> Net {
    let p = f.regions.get(&f.regio).unwrap();
    let on = d("2025-01-01");
    let (short, loc_short) = p
        .products
        .iter()
        .filter(|x| x.max_nachten.is_some() && x.valid_on(on))
        .find_map(|x| {
            p.locations
                .iter()
                .find(|l| l.places.contains_key(&x.code))
                .map(|l| (x, l))
        })
        .expect("a short-stay product with a location");
    let ongeschikt = p
        .locations
        .iter()
        .find_map(|l| {
            let need = *l.niet_geschikt_voor.first()?;
            let product = l.places.keys().find(|c| {
                p.product(c)
                    .is_some_and(|x| x.domain == Domain::Bw && x.valid_on(on))
            })?;
            Some((product.clone(), l.id.clone(), need))
        })
        .expect("a location with niet_geschikt_voor");
    Net {
        max_nachten: short.max_nachten.unwrap() as u16,
        short: short.code.clone(),
        loc_short: loc_short.id.clone(),
        loc_no_short: p
            .locations
            .iter()
            .find(|l| !l.places.contains_key(&short.code))
            .unwrap()
            .id
            .clone(),
        ongeschikt_product: ongeschikt.0,
        ongeschikt_loc: ongeschikt.1,
        ongeschikt_voor: ongeschikt.2,
        other_provider: p.location(&f.loc_other_provider).unwrap().provider,
    }
}

fn with(
    mut prelude: Vec<(&'static str, ClientEvent)>,
    more: &[(&'static str, ClientEvent)],
) -> Vec<(&'static str, ClientEvent)> {
    prelude.extend(more.iter().cloned());
    prelude
}

/// Issue 14: every rule of the network's facts accepted and refused by code.
#[test]
fn network_facts_are_accepted_and_refused_by_code() {
    use crate::events::{Behoefte, VerzoekUitkomst};
    let f = fx();
    let n = net(&f);
    let prov = f.provider;
    let vot = |a: AgbCode, p: &ProductCode, start: &str, einde: Option<&str>, reden: &str| {
        ClientEvent::VerzoekToewijzing {
            aanbieder: a,
            product: p.clone(),
            start: d(start),
            einde: einde.map(d),
            reden: reden.into(),
        }
    };
    let vow = |a: AgbCode, w: Wijziging| ClientEvent::VerzoekWijziging {
        aanbieder: a,
        wijziging: w,
        reden: "meer begeleiding nodig".into(),
    };
    let antwoord =
        |verzoek: u32, uitkomst: VerzoekUitkomst, t: &str| ClientEvent::VerzoekAntwoord {
            verzoek,
            uitkomst,
            toelichting: t.into(),
        };
    let voorstel = |l: &LocationId, p: &ProductCode, tot: &str| ClientEvent::Voorstel {
        locatie: l.clone(),
        product: p.clone(),
        geldig_tot: d(tot),
    };
    let va = |v: u32, akkoord: bool, reden: &str| ClientEvent::VoorstelAntwoord {
        voorstel: v,
        akkoord,
        reden: reden.into(),
    };
    let tijdelijk =
        |p: &ProductCode, l: &LocationId, nachten: u16| ClientEvent::TijdelijkVerblijf {
            product: p.clone(),
            locatie: l.clone(),
            nachten,
        };
    let verlenging = |e: &str| Wijziging::Verlenging { nieuw_einde: d(e) };
    let toegewezen_bij = with(
        f.aangemeld(),
        &[(
            "2025-01-10",
            ClientEvent::Toewijzing {
                product: f.open.clone(),
                start: d("2025-02-01"),
                einde: d("2026-01-31"),
                leveringsvorm: Leveringsvorm::Zin,
                aanbieder: Some(prov),
            },
        )],
    );
    // in_zorg: v1 aanmelding, v2 toewijzing, v3 start; v4 the request.
    let met_verzoek = with(
        f.in_zorg(),
        &[(
            "2025-03-01",
            vot(prov, &f.capped, "2025-04-01", None, "opschalen"),
        )],
    );
    let met_vow = with(
        f.in_zorg(),
        &[("2025-03-01", vow(prov, verlenging("2026-06-30")))],
    );
    // wachtend: v1 aanmelding, v2 toewijzing, v3 wachtlijst; v4 the proposal.
    let voorgesteld = with(
        f.wachtend(),
        &[("2025-01-20", voorstel(&f.loc, &f.open, "2025-02-03"))],
    );
    let nacht = |n: u16| ClientEvent::MoOvernachting {
        product: f.nacht.clone(),
        locatie: f.loc_nacht.clone(),
        nachten: n,
    };
    let beoordeling = |b: Vec<Behoefte>| ClientEvent::Beoordeling {
        criteria: Vec::new(),
        zrm: [None; ZRM_DOMAINS],
        doelgroep: None,
        advies: Advies::Toewijzen,
        behoeften: b,
    };
    let ongeschikt_wachtend = vec![
        ("2025-01-02", f.aanmelding()),
        ("2025-01-05", beoordeling(vec![n.ongeschikt_voor])),
        (
            "2025-01-10",
            f.toewijzing(&n.ongeschikt_product, "2025-02-01", "2025-12-31"),
        ),
        (
            "2025-01-11",
            ClientEvent::WachtlijstIn {
                product: n.ongeschikt_product.clone(),
                prioriteit: 0,
            },
        ),
    ];
    type Case = (
        &'static str,
        Vec<(&'static str, ClientEvent)>,
        &'static str,
        ClientEvent,
        Option<&'static str>,
    );
    let cases: Vec<Case> = vec![
        // verzoek om toewijzing (WMO315)
        (
            "vot van de eigen aanbieder",
            f.in_zorg(),
            "2025-03-01",
            vot(prov, &f.capped, "2025-04-01", None, "opschalen"),
            None,
        ),
        (
            "vot bij toewijzing zonder zorg",
            toegewezen_bij.clone(),
            "2025-01-20",
            vot(prov, &f.capped, "2025-04-01", Some("2025-05-01"), "r"),
            None,
        ),
        (
            "vot zonder toewijzing",
            f.aangemeld(),
            "2025-01-20",
            vot(prov, &f.open, "2025-04-01", None, "r"),
            Some("verzoek.geen_toewijzing"),
        ),
        (
            "vot van een andere aanbieder",
            f.in_zorg(),
            "2025-03-01",
            vot(n.other_provider, &f.open, "2025-04-01", None, "r"),
            Some("verzoek.andere_aanbieder"),
        ),
        (
            "vot einde voor start",
            f.in_zorg(),
            "2025-03-01",
            vot(prov, &f.open, "2025-04-01", Some("2025-03-31"), "r"),
            Some("verzoek.einde_voor_start"),
        ),
        (
            "vot onbekend product",
            f.in_zorg(),
            "2025-03-01",
            vot(
                prov,
                &ProductCode::parse("bw-bestaat-niet").unwrap(),
                "2025-04-01",
                None,
                "r",
            ),
            Some("product.niet_in_catalogus"),
        ),
        (
            "vot zonder reden",
            f.in_zorg(),
            "2025-03-01",
            vot(prov, &f.open, "2025-04-01", None, " "),
            Some("verzoek.reden_ontbreekt"),
        ),
        (
            "vot twee keer",
            met_verzoek.clone(),
            "2025-03-02",
            vot(prov, &f.capped, "2025-04-01", None, "nog eens"),
            Some("verzoek.al_open"),
        ),
        (
            "vot langer dan maximum",
            f.in_zorg(),
            "2025-03-01",
            vot(prov, &f.capped, "2025-02-01", Some("2099-01-01"), "r"),
            Some("verzoek.langer_dan_maximum"),
        ),
        // verzoek om wijziging (WMO317)
        (
            "vow verlenging",
            f.in_zorg(),
            "2025-03-01",
            vow(prov, verlenging("2026-06-30")),
            None,
        ),
        (
            "vow verlenging niet later",
            f.in_zorg(),
            "2025-03-01",
            vow(prov, verlenging("2026-01-31")),
            Some("verzoek.verlenging_niet_later"),
        ),
        (
            "vow andere aanbieder",
            f.in_zorg(),
            "2025-03-01",
            vow(n.other_provider, verlenging("2026-06-30")),
            Some("verzoek.andere_aanbieder"),
        ),
        (
            "vow na afloop toewijzing",
            toegewezen_bij.clone(),
            "2026-03-01",
            vow(prov, verlenging("2026-06-30")),
            Some("verzoek.geen_toewijzing"),
        ),
        (
            "vow opschalen zonder zorg",
            toegewezen_bij.clone(),
            "2025-03-01",
            vow(
                prov,
                Wijziging::Opschalen {
                    product: f.capped.clone(),
                    locatie: Some(f.loc_capped.clone()),
                },
            ),
            Some("verzoek.niet_in_zorg"),
        ),
        (
            "vow doorstroom zonder zorg",
            toegewezen_bij.clone(),
            "2025-03-01",
            vow(
                prov,
                Wijziging::Doorstroom {
                    product: f.capped.clone(),
                    locatie: f.loc_capped.clone(),
                },
            ),
            Some("verzoek.niet_in_zorg"),
        ),
        (
            "vow doorstroom naar hetzelfde",
            f.in_zorg(),
            "2025-03-01",
            vow(
                prov,
                Wijziging::Doorstroom {
                    product: f.open.clone(),
                    locatie: f.loc.clone(),
                },
            ),
            Some("verzoek.verandert_niets"),
        ),
        (
            "vow doorstroom naar locatie zonder product",
            f.in_zorg(),
            "2025-03-01",
            vow(
                prov,
                Wijziging::Doorstroom {
                    product: f.open.clone(),
                    locatie: f.loc_without.clone(),
                },
            ),
            Some("locatie.biedt_product_niet"),
        ),
        (
            "vow doorstroom",
            f.in_zorg(),
            "2025-03-01",
            vow(
                prov,
                Wijziging::Doorstroom {
                    product: f.capped.clone(),
                    locatie: f.loc_capped.clone(),
                },
            ),
            None,
        ),
        // antwoord (WMO319 / WMO301)
        (
            "antwoord op onbekend verzoek",
            met_verzoek.clone(),
            "2025-03-05",
            antwoord(3, VerzoekUitkomst::InOnderzoek, ""),
            Some("verzoek.onbekend"),
        ),
        (
            "afgewezen zonder toelichting",
            met_verzoek.clone(),
            "2025-03-05",
            antwoord(4, VerzoekUitkomst::Afgewezen, " "),
            Some("verzoek.toelichting_ontbreekt"),
        ),
        (
            "afgewezen",
            met_verzoek.clone(),
            "2025-03-05",
            antwoord(4, VerzoekUitkomst::Afgewezen, "niet nodig"),
            None,
        ),
        (
            "in onderzoek",
            met_verzoek.clone(),
            "2025-03-05",
            antwoord(4, VerzoekUitkomst::InOnderzoek, ""),
            None,
        ),
        (
            "twee keer in onderzoek",
            with(
                met_verzoek.clone(),
                &[("2025-03-05", antwoord(4, VerzoekUitkomst::InOnderzoek, ""))],
            ),
            "2025-03-06",
            antwoord(4, VerzoekUitkomst::InOnderzoek, ""),
            Some("verzoek.al_in_onderzoek"),
        ),
        (
            "al beantwoord",
            with(
                met_verzoek.clone(),
                &[("2025-03-05", antwoord(4, VerzoekUitkomst::Afgewezen, "nee"))],
            ),
            "2025-03-06",
            antwoord(4, VerzoekUitkomst::Afgewezen, "nee"),
            Some("verzoek.onbekend"),
        ),
        (
            "toegekend zonder toewijzing",
            met_verzoek.clone(),
            "2025-03-05",
            antwoord(4, VerzoekUitkomst::Toegekend, ""),
            Some("verzoek.toewijzing_ontbreekt"),
        ),
        (
            "toegekend met toewijzing",
            with(
                met_verzoek.clone(),
                &[(
                    "2025-03-05",
                    f.toewijzing(&f.capped, "2025-04-01", "2025-12-31"),
                )],
            ),
            "2025-03-05",
            antwoord(4, VerzoekUitkomst::Toegekend, ""),
            None,
        ),
        (
            "toegekend met toewijzing van ander product",
            with(
                met_verzoek.clone(),
                &[(
                    "2025-03-05",
                    f.toewijzing(&f.open, "2025-04-01", "2025-12-31"),
                )],
            ),
            "2025-03-05",
            antwoord(4, VerzoekUitkomst::Toegekend, ""),
            Some("verzoek.toewijzing_ontbreekt"),
        ),
        (
            "wijziging toegekend zonder wijziging",
            met_vow.clone(),
            "2025-03-05",
            antwoord(4, VerzoekUitkomst::Toegekend, ""),
            Some("verzoek.wijziging_ontbreekt"),
        ),
        (
            "wijziging toegekend met verlenging",
            with(
                met_vow.clone(),
                &[(
                    "2025-03-05",
                    ClientEvent::Wijziging(verlenging("2026-06-30")),
                )],
            ),
            "2025-03-05",
            antwoord(4, VerzoekUitkomst::Toegekend, ""),
            None,
        ),
        // voorstel
        (
            "voorstel voor wachtende",
            f.wachtend(),
            "2025-01-20",
            voorstel(&f.loc, &f.open, "2025-02-03"),
            None,
        ),
        (
            "voorstel voor toegewezene",
            f.toegewezen(),
            "2025-01-20",
            voorstel(&f.loc, &f.open, "2025-02-03"),
            None,
        ),
        (
            "voorstel zonder toewijzing",
            f.aangemeld(),
            "2025-01-20",
            voorstel(&f.loc, &f.open, "2025-02-03"),
            Some("voorstel.geen_toewijzing"),
        ),
        (
            "voorstel ander product",
            f.wachtend(),
            "2025-01-20",
            voorstel(&f.loc_capped, &f.capped, "2025-02-03"),
            Some("voorstel.ander_product"),
        ),
        (
            "voorstel in zorg",
            f.in_zorg(),
            "2025-03-01",
            voorstel(&f.loc, &f.open, "2025-03-15"),
            Some("voorstel.in_zorg"),
        ),
        (
            "tweede voorstel",
            voorgesteld.clone(),
            "2025-01-25",
            voorstel(&f.loc_other_provider, &f.open, "2025-02-08"),
            Some("voorstel.al_open"),
        ),
        (
            "nieuw voorstel na verlopen",
            voorgesteld.clone(),
            "2025-02-04",
            voorstel(&f.loc_other_provider, &f.open, "2025-02-18"),
            None,
        ),
        (
            "nieuw voorstel na akkoord",
            with(voorgesteld.clone(), &[("2025-01-22", va(4, true, ""))]),
            "2025-02-10",
            voorstel(&f.loc_other_provider, &f.open, "2025-02-18"),
            Some("voorstel.al_open"),
        ),
        (
            "voorstel geldig tot in het verleden",
            f.wachtend(),
            "2025-01-20",
            voorstel(&f.loc, &f.open, "2025-01-19"),
            Some("voorstel.geldig_tot_verleden"),
        ),
        (
            "voorstel locatie zonder product",
            f.wachtend(),
            "2025-01-20",
            voorstel(&f.loc_without, &f.open, "2025-02-03"),
            Some("locatie.biedt_product_niet"),
        ),
        (
            "voorstel bij andere aanbieder",
            toegewezen_bij.clone(),
            "2025-01-20",
            voorstel(&f.loc_other_provider, &f.open, "2025-02-03"),
            Some("voorstel.andere_aanbieder"),
        ),
        (
            "voorstel niet geschikt",
            ongeschikt_wachtend.clone(),
            "2025-01-20",
            voorstel(&n.ongeschikt_loc, &n.ongeschikt_product, "2025-02-03"),
            Some("voorstel.niet_geschikt"),
        ),
        // antwoord aanbieder
        (
            "voorstel geaccepteerd",
            voorgesteld.clone(),
            "2025-01-22",
            va(4, true, ""),
            None,
        ),
        (
            "voorstel geweigerd",
            voorgesteld.clone(),
            "2025-01-22",
            va(4, false, "geen plek in de groep"),
            None,
        ),
        (
            "weigering zonder reden",
            voorgesteld.clone(),
            "2025-01-22",
            va(4, false, ""),
            Some("voorstel.reden_ontbreekt"),
        ),
        (
            "antwoord op onbekend voorstel",
            voorgesteld.clone(),
            "2025-01-22",
            va(3, true, ""),
            Some("voorstel.onbekend"),
        ),
        (
            "antwoord na geldig tot",
            voorgesteld.clone(),
            "2025-02-04",
            va(4, true, ""),
            Some("voorstel.verlopen"),
        ),
        (
            "twee keer akkoord",
            with(voorgesteld.clone(), &[("2025-01-22", va(4, true, ""))]),
            "2025-01-23",
            va(4, true, ""),
            Some("voorstel.al_beantwoord"),
        ),
        // tijdelijk verblijf
        (
            "tijdelijk verblijf naast zorg",
            f.in_zorg(),
            "2025-03-01",
            tijdelijk(&n.short, &n.loc_short, n.max_nachten),
            None,
        ),
        (
            "tijdelijk verblijf zonder zorg",
            f.toegewezen(),
            "2025-03-01",
            tijdelijk(&n.short, &n.loc_short, 1),
            Some("tijdelijk.niet_in_zorg"),
        ),
        (
            "tijdelijk verblijf geen kort verblijf",
            f.in_zorg(),
            "2025-03-01",
            tijdelijk(&f.open, &f.loc, 1),
            Some("tijdelijk.geen_kort_verblijf"),
        ),
        (
            "tijdelijk verblijf te lang",
            f.in_zorg(),
            "2025-03-01",
            tijdelijk(&n.short, &n.loc_short, n.max_nachten + 1),
            Some("tijdelijk.te_lang"),
        ),
        (
            "tijdelijk verblijf nul nachten",
            f.in_zorg(),
            "2025-03-01",
            tijdelijk(&n.short, &n.loc_short, 0),
            Some("tijdelijk.geen_nachten"),
        ),
        (
            "tijdelijk verblijf locatie zonder product",
            f.in_zorg(),
            "2025-03-01",
            tijdelijk(&n.short, &n.loc_no_short, 1),
            Some("locatie.biedt_product_niet"),
        ),
        (
            "tijdelijk verblijf overlapt",
            with(
                f.in_zorg(),
                &[("2025-03-01", tijdelijk(&n.short, &n.loc_short, 3))],
            ),
            "2025-03-03",
            tijdelijk(&n.short, &n.loc_short, 1),
            Some("tijdelijk.overlapt"),
        ),
        (
            "tijdelijk verblijf erna",
            with(
                f.in_zorg(),
                &[("2025-03-01", tijdelijk(&n.short, &n.loc_short, 3))],
            ),
            "2025-03-04",
            tijdelijk(&n.short, &n.loc_short, 1),
            None,
        ),
        (
            "start zorg kort verblijf tijdens zorg",
            f.in_zorg(),
            "2025-03-01",
            f.start(&n.short, &n.loc_short),
            Some("start_zorg.ander_product"),
        ),
        // doorverwijzing en advies
        (
            "doorverwijzing",
            f.aangemeld(),
            "2025-01-05",
            ClientEvent::Doorverwijzing {
                reden: "complex".into(),
            },
            None,
        ),
        (
            "doorverwijzing zonder reden",
            f.aangemeld(),
            "2025-01-05",
            ClientEvent::Doorverwijzing { reden: "".into() },
            Some("doorverwijzing.reden_ontbreekt"),
        ),
        (
            "doorverwijzing na besluit",
            f.toegewezen(),
            "2025-01-15",
            ClientEvent::Doorverwijzing { reden: "r".into() },
            Some("doorverwijzing.al_besloten"),
        ),
        (
            "twee keer doorverwezen",
            with(
                f.aangemeld(),
                &[(
                    "2025-01-05",
                    ClientEvent::Doorverwijzing { reden: "r".into() },
                )],
            ),
            "2025-01-06",
            ClientEvent::Doorverwijzing { reden: "r".into() },
            Some("doorverwijzing.al_doorverwezen"),
        ),
        (
            "advies gevraagd",
            f.aangemeld(),
            "2025-01-05",
            ClientEvent::AdviesGevraagd {
                vraag: "BW of ambulant?".into(),
            },
            None,
        ),
        (
            "advies zonder vraag",
            f.aangemeld(),
            "2025-01-05",
            ClientEvent::AdviesGevraagd { vraag: " ".into() },
            Some("advies.vraag_ontbreekt"),
        ),
        (
            "advies gegeven",
            with(
                f.aangemeld(),
                &[(
                    "2025-01-05",
                    ClientEvent::AdviesGevraagd { vraag: "v".into() },
                )],
            ),
            "2025-01-07",
            ClientEvent::AdviesGegeven {
                vraag: 2,
                advies: "ambulant".into(),
            },
            None,
        ),
        (
            "advies op onbekende vraag",
            with(
                f.aangemeld(),
                &[(
                    "2025-01-05",
                    ClientEvent::AdviesGevraagd { vraag: "v".into() },
                )],
            ),
            "2025-01-07",
            ClientEvent::AdviesGegeven {
                vraag: 1,
                advies: "a".into(),
            },
            Some("advies.onbekend"),
        ),
        (
            "leeg advies",
            with(
                f.aangemeld(),
                &[(
                    "2025-01-05",
                    ClientEvent::AdviesGevraagd { vraag: "v".into() },
                )],
            ),
            "2025-01-07",
            ClientEvent::AdviesGegeven {
                vraag: 2,
                advies: "".into(),
            },
            Some("advies.leeg"),
        ),
        // MO-traject
        (
            "mo-traject na nachten",
            with(f.aangemeld(), &[("2025-01-03", nacht(4))]),
            "2025-01-08",
            ClientEvent::MoTraject {
                toelichting: "plan".into(),
            },
            None,
        ),
        (
            "mo-traject zonder nachten",
            f.aangemeld(),
            "2025-01-08",
            ClientEvent::MoTraject {
                toelichting: "plan".into(),
            },
            Some("mo_traject.geen_nachten"),
        ),
        (
            "mo-traject zonder toelichting",
            with(f.aangemeld(), &[("2025-01-03", nacht(4))]),
            "2025-01-08",
            ClientEvent::MoTraject {
                toelichting: "".into(),
            },
            Some("mo_traject.toelichting_ontbreekt"),
        ),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (name, prelude, on, event, expected) in cases {
        let mut s = f.after(&prelude);
        let before = s.clone();
        match (expected, s.apply(99, d(on), &event, &f.regions)) {
            (None, Ok(())) => assert_eq!(s.version, 99, "{name}"),
            (Some(code), Err(e)) => {
                assert_eq!(e.code, code, "{name}: {e}");
                assert_eq!(
                    s, before,
                    "{name}: a refused fact leaves the state unchanged"
                );
                seen.insert(code);
            }
            (expected, got) => panic!("{name}: expected {expected:?}, got {got:?}"),
        }
    }
    assert!(
        seen.len() >= 40,
        "{} rule codes refused: {seen:?}",
        seen.len()
    );
}

/// Issue 14: what the network's facts do to the state, and how they refold under
/// corrections and voids.
#[test]
fn network_facts_change_the_state_and_refold() {
    use crate::events::{Behoefte, VerzoekUitkomst};
    let f = fx();
    let n = net(&f);
    let prov = f.provider;
    let vot = ClientEvent::VerzoekToewijzing {
        aanbieder: prov,
        product: f.capped.clone(),
        start: d("2025-04-01"),
        einde: None,
        reden: "opschalen".into(),
    };
    // The request is open with its stream version; in onderzoek keeps it open; the
    // toekenning with its toewijzing in one append closes it.
    let s = f.after(&with(f.in_zorg(), &[("2025-03-01", vot.clone())]));
    assert_eq!(s.verzoeken.len(), 1);
    assert_eq!(
        (s.verzoeken[0].versie, s.verzoeken[0].sinds),
        (4, d("2025-03-01"))
    );
    let onderzoek = ClientEvent::VerzoekAntwoord {
        verzoek: 4,
        uitkomst: VerzoekUitkomst::InOnderzoek,
        toelichting: String::new(),
    };
    let s = f.after(&with(
        f.in_zorg(),
        &[
            ("2025-03-01", vot.clone()),
            ("2025-03-03", onderzoek.clone()),
        ],
    ));
    assert_eq!(s.verzoeken[0].in_onderzoek, Some(d("2025-03-03")));
    let toegekend = ClientEvent::VerzoekAntwoord {
        verzoek: 4,
        uitkomst: VerzoekUitkomst::Toegekend,
        toelichting: String::new(),
    };
    let mut stream = vec![
        (1, "2025-01-02", f.aanmelding()),
        (
            2,
            "2025-01-10",
            f.toewijzing(&f.open, "2025-02-01", "2026-01-31"),
        ),
        (3, "2025-02-03", f.start(&f.open, &f.loc)),
        (4, "2025-03-01", vot.clone()),
        (5, "2025-03-03", onderzoek.clone()),
        (
            6,
            "2025-03-10",
            f.toewijzing(&f.capped, "2025-04-01", "2025-12-31"),
        ),
        (7, "2025-03-10", toegekend.clone()),
    ];
    let s = fold(&f, &stream).unwrap();
    assert!(s.verzoeken.is_empty());
    // Voiding the toewijzing makes the toekenning fail on refold; voiding the request makes
    // its answers name nothing.
    let mut voided = stream.clone();
    voided.push((
        8,
        "2025-03-11",
        ClientEvent::Intrekking {
            trekt_in: 6,
            reden: "fout".into(),
        },
    ));
    assert_eq!(
        fold(&f, &voided).unwrap_err().code,
        "verzoek.toewijzing_ontbreekt"
    );
    let mut voided = stream.clone();
    voided.push((
        8,
        "2025-03-11",
        ClientEvent::Intrekking {
            trekt_in: 4,
            reden: "fout".into(),
        },
    ));
    assert_eq!(fold(&f, &voided).unwrap_err().code, "verzoek.onbekend");
    // Voiding the toekenning reopens the request (still in onderzoek).
    stream.push((
        8,
        "2025-03-11",
        ClientEvent::Intrekking {
            trekt_in: 7,
            reden: "te vroeg".into(),
        },
    ));
    let s = fold(&f, &stream).unwrap();
    assert_eq!(s.verzoeken.len(), 1);
    assert_eq!(s.verzoeken[0].in_onderzoek, Some(d("2025-03-03")));
    // A correction of the in-onderzoek answer into a refusal closes it (and then the later
    // answer names nothing).
    let mut corrected = stream.clone();
    corrected.push((
        9,
        "2025-03-12",
        ClientEvent::Correctie {
            corrigeert: 5,
            vervanging: Box::new(ClientEvent::VerzoekAntwoord {
                verzoek: 4,
                uitkomst: VerzoekUitkomst::Afgewezen,
                toelichting: "niet nodig".into(),
            }),
            reden: "verkeerd antwoord".into(),
        },
    ));
    assert!(fold(&f, &corrected).unwrap().verzoeken.is_empty());

    // A proposal reserves until answered; akkoord keeps it until start zorg at its location.
    let voorstel = ClientEvent::Voorstel {
        locatie: f.loc.clone(),
        product: f.open.clone(),
        geldig_tot: d("2025-02-03"),
    };
    let base = with(f.wachtend(), &[("2025-01-20", voorstel.clone())]);
    let s = f.after(&base);
    let v = s.voorstel.as_ref().unwrap();
    assert_eq!((v.versie, v.aanbieder, v.akkoord), (4, prov, None));
    assert!(s.voorstel_open_op(d("2025-02-03")).is_some());
    assert!(
        s.voorstel_open_op(d("2025-02-04")).is_none(),
        "expired: no longer reserving"
    );
    let akkoord = ClientEvent::VoorstelAntwoord {
        voorstel: 4,
        akkoord: true,
        reden: String::new(),
    };
    let s = f.after(&with(base.clone(), &[("2025-01-22", akkoord.clone())]));
    assert_eq!(s.voorstel.as_ref().unwrap().akkoord, Some(d("2025-01-22")));
    assert!(
        s.voorstel_open_op(d("2025-06-01")).is_some(),
        "accepted: held until start"
    );
    let s = f.after(&with(
        base.clone(),
        &[
            ("2025-01-22", akkoord.clone()),
            ("2025-02-05", f.start(&f.open, &f.loc)),
        ],
    ));
    assert!(s.voorstel.is_none() && s.zorg.is_some());
    let geweigerd = ClientEvent::VoorstelAntwoord {
        voorstel: 4,
        akkoord: false,
        reden: "vol".into(),
    };
    let s = f.after(&with(base.clone(), &[("2025-01-22", geweigerd)]));
    assert!(
        s.voorstel.is_none() && s.wacht.is_some(),
        "refused: waiting again"
    );
    let s = f.after(&with(
        base.clone(),
        &[(
            "2025-01-22",
            ClientEvent::WachtlijstUit {
                reden: "elders geholpen".into(),
            },
        )],
    ));
    assert!(s.voorstel.is_none());
    let s = f.after(&with(
        base.clone(),
        &[(
            "2025-01-22",
            ClientEvent::Afwijzing {
                reden: "r".into(),
                casusregie: "wijkteam".into(),
            },
        )],
    ));
    assert!(s.voorstel.is_none());
    // A correction of the proposal's term (same date) reaches its answer on refold.
    let st = fold(
        &f,
        &[
            (1, "2025-01-02", f.aanmelding()),
            (
                2,
                "2025-01-10",
                f.toewijzing(&f.open, "2025-02-01", "2026-01-31"),
            ),
            (
                3,
                "2025-01-11",
                ClientEvent::WachtlijstIn {
                    product: f.open.clone(),
                    prioriteit: 0,
                },
            ),
            (4, "2025-01-20", voorstel.clone()),
            (5, "2025-01-22", akkoord.clone()),
            (
                6,
                "2025-01-20",
                ClientEvent::Correctie {
                    corrigeert: 4,
                    vervanging: Box::new(ClientEvent::Voorstel {
                        locatie: f.loc.clone(),
                        product: f.open.clone(),
                        geldig_tot: d("2025-01-21"),
                    }),
                    reden: "termijn".into(),
                },
            ),
        ],
    );
    assert_eq!(st.unwrap_err().code, "voorstel.verlopen");

    // A temporary stay beside care keeps the care; its last night is van + nachten − 1.
    let s = f.after(&with(
        f.in_zorg(),
        &[(
            "2025-03-01",
            ClientEvent::TijdelijkVerblijf {
                product: n.short.clone(),
                locatie: n.loc_short.clone(),
                nachten: 3,
            },
        )],
    ));
    let t = s.tijdelijk.as_ref().unwrap();
    assert_eq!((t.van, t.tot), (d("2025-03-01"), d("2025-03-03")));
    assert_eq!(s.zorg.as_ref().unwrap().product, f.open);

    // The beoordeling's needs; the local front door's steps.
    let s = f.after(&with(
        f.aangemeld(),
        &[
            (
                "2025-01-04",
                ClientEvent::Beoordeling {
                    criteria: Vec::new(),
                    zrm: [None; ZRM_DOMAINS],
                    doelgroep: None,
                    advies: Advies::Toewijzen,
                    behoeften: vec![Behoefte::Lvb, Behoefte::Prikkelarm],
                },
            ),
            (
                "2025-01-05",
                ClientEvent::AdviesGevraagd { vraag: "v".into() },
            ),
            (
                "2025-01-06",
                ClientEvent::AdviesGegeven {
                    vraag: 3,
                    advies: "a".into(),
                },
            ),
            (
                "2025-01-07",
                ClientEvent::Doorverwijzing { reden: "r".into() },
            ),
        ],
    ));
    assert_eq!(s.behoeften, vec![Behoefte::Lvb, Behoefte::Prikkelarm]);
    assert!(s.adviesvragen.is_empty());
    assert_eq!(s.advies_gevraagd, Some(d("2025-01-05")));
    assert_eq!(s.doorverwezen, Some(d("2025-01-07")));

    // The 4th night of the year in the region: 2 nights, then 3 from 2025-01-10.
    let nacht = |n: u16| ClientEvent::MoOvernachting {
        product: f.nacht.clone(),
        locatie: f.loc_nacht.clone(),
        nachten: n,
    };
    let s = f.after(&with(
        f.aangemeld(),
        &[("2025-01-03", nacht(2)), ("2025-01-10", nacht(3))],
    ));
    assert_eq!(
        s.mo_historie(&f.regio).unwrap().vierde_nacht,
        Some(d("2025-01-11"))
    );
    let s = f.after(&with(f.aangemeld(), &[("2025-01-03", nacht(3))]));
    assert_eq!(s.mo_historie(&f.regio).unwrap().vierde_nacht, None);
    // A new year counts again.
    let s = f.after(&with(
        f.aangemeld(),
        &[("2025-01-03", nacht(5)), ("2026-01-03", nacht(1))],
    ));
    assert_eq!(s.mo_historie(&f.regio).unwrap().vierde_nacht, None);
    let s = f.after(&with(f.aangemeld(), &[("2025-12-30", nacht(6))]));
    // Across new year: the 4th night of 2026 is its 4th day (2025's 2 nights do not count).
    assert_eq!(
        s.mo_historie(&f.regio).unwrap().vierde_nacht,
        Some(d("2026-01-04"))
    );
}
