//! Sample data, for tests and demonstrations only: one [`ClientEvent`] of every kind.
//!
//! The exhaustive match in [`one_of_each_kind`] makes a new event kind fail to compile
//! here until it has a sample, so every test built on this list (the rights table's
//! completeness in `access`, the web route matrix) covers the new kind automatically.

use crate::date::Date;
use crate::ids::{AgbCode, GemeenteCode, LocationId, ProductCode, RegionId};

use super::{
    Advies, Bestemming, ClientEvent, EerdereZorgSoort, Kennisbron, Leveringsvorm, Melder, Urgentie,
    VerzoekUitkomst, Wijziging, Woonsituatie, ZRM_DOMAINS,
};

/// What the samples refer to: the client's region, product, location and municipality,
/// the date every dated fact uses, and the version that corrections and voids name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleRefs {
    /// The region of the application.
    pub regio: RegionId,
    /// The product of assignments, waiting list, care and changes.
    pub product: ProductCode,
    /// The location of care and overnight stays.
    pub locatie: LocationId,
    /// The municipality of origin, registration and woonplaats.
    pub gemeente: GemeenteCode,
    /// The date of every dated fact.
    pub datum: Date,
    /// The version a correction replaces and a void withdraws (and an answer names).
    pub versie: u32,
    /// The provider of the requests (issue 14).
    pub aanbieder: AgbCode,
}

/// One event of every [`ClientEvent`] kind (and every [`Wijziging`]), in declaration order.
/// The correction replaces version `refs.versie` by a start of care at `refs.locatie`.
/// Test and sample data only: the facts are well-formed but say nothing about a real case.
pub fn one_of_each_kind(refs: &SampleRefs) -> Vec<ClientEvent> {
    let d = refs.datum;
    let p = &refs.product;
    let l = &refs.locatie;
    let g = refs.gemeente;
    let a = refs.aanbieder;
    let start = ClientEvent::StartZorg {
        product: p.clone(),
        locatie: l.clone(),
        overbezetting: None,
    };
    let all = vec![
        ClientEvent::Aanmelding {
            regio: refs.regio.clone(),
            melder: Melder::Zelf,
            herkomst_gemeente: Some(g),
            woonsituatie: Woonsituatie::Dakloos,
            urgentie: Urgentie::Regulier,
            voordeur: None,
        },
        ClientEvent::Beoordeling {
            criteria: vec![],
            zrm: [None; ZRM_DOMAINS],
            doelgroep: None,
            advies: Advies::Toewijzen,
            behoeften: Vec::new(),
        },
        ClientEvent::Toewijzing {
            product: p.clone(),
            start: d,
            einde: d,
            leveringsvorm: Leveringsvorm::Zin,
            aanbieder: None,
        },
        ClientEvent::Afwijzing {
            reden: "r".into(),
            casusregie: "c".into(),
        },
        ClientEvent::Bezwaar { reden: "r".into() },
        ClientEvent::WachtlijstIn {
            product: p.clone(),
            prioriteit: 0,
        },
        ClientEvent::WachtlijstUit { reden: "r".into() },
        start.clone(),
        ClientEvent::Wijziging(Wijziging::Verlenging { nieuw_einde: d }),
        ClientEvent::Wijziging(Wijziging::Opschalen {
            product: p.clone(),
            locatie: None,
        }),
        ClientEvent::Wijziging(Wijziging::Afschalen {
            product: p.clone(),
            locatie: None,
        }),
        ClientEvent::Wijziging(Wijziging::Doorstroom {
            product: p.clone(),
            locatie: l.clone(),
        }),
        ClientEvent::EindeZorg {
            bestemming: Bestemming::Onbekend,
            woning: None,
        },
        ClientEvent::MoOvernachting {
            product: p.clone(),
            locatie: l.clone(),
            nachten: 1,
        },
        ClientEvent::WlzOvergang,
        ClientEvent::BrpInschrijving {
            vanaf: d,
            gemeente: Some(g),
            instelling: false,
            briefadres: false,
        },
        ClientEvent::WoonplaatsBepaald {
            gemeente: g,
            berekend: g,
            afwijking: None,
            regime: None,
            grond: None,
            uitleg: None,
        },
        ClientEvent::EerdereZorg {
            soort: EerdereZorgSoort::BeschermdWonen,
            gemeente: g,
            einde: d,
            bron: Kennisbron::EigenVerklaring,
        },
        ClientEvent::Woningzoekend { bij: "x".into() },
        ClientEvent::Uitstroomklaar,
        ClientEvent::Voorkeur {
            gemeenten: vec![],
            toelichting: String::new(),
        },
        ClientEvent::VerzoekToewijzing {
            aanbieder: a,
            product: p.clone(),
            start: d,
            einde: None,
            reden: "r".into(),
        },
        ClientEvent::VerzoekWijziging {
            aanbieder: a,
            wijziging: Wijziging::Verlenging { nieuw_einde: d },
            reden: "r".into(),
        },
        ClientEvent::VerzoekAntwoord {
            verzoek: refs.versie,
            uitkomst: VerzoekUitkomst::InOnderzoek,
            toelichting: "t".into(),
        },
        ClientEvent::Voorstel {
            locatie: l.clone(),
            product: p.clone(),
            geldig_tot: d,
        },
        ClientEvent::VoorstelAntwoord {
            voorstel: refs.versie,
            akkoord: true,
            reden: String::new(),
        },
        ClientEvent::TijdelijkVerblijf {
            product: p.clone(),
            locatie: l.clone(),
            nachten: 1,
        },
        ClientEvent::Doorverwijzing { reden: "r".into() },
        ClientEvent::AdviesGevraagd { vraag: "v".into() },
        ClientEvent::AdviesGegeven {
            vraag: refs.versie,
            advies: "a".into(),
        },
        ClientEvent::MoTraject {
            toelichting: "t".into(),
        },
        ClientEvent::Woonbehoefte(super::Woonbehoefte {
            woningtype: super::Woningtype::Studio,
            prikkelarm: false,
            gemeenten: vec![g],
            ambulante_begeleiding: true,
            route: super::WoonRoute::Regulier,
            verwacht_klaar: None,
        }),
        ClientEvent::UrgentieAanvraag { gemeente: g },
        ClientEvent::UrgentieBesluit {
            aanvraag: refs.versie,
            toegekend: true,
            toelichting: String::new(),
        },
        ClientEvent::Woningaanbod {
            corporatie: "c".into(),
            gemeente: g,
            woningtype: super::Woningtype::Studio,
            route: super::WoonRoute::Regulier,
            reageren_voor: d,
        },
        ClientEvent::AanbodAntwoord {
            aanbod: refs.versie,
            akkoord: true,
            reden: String::new(),
        },
        ClientEvent::Huurovereenkomst {
            aanbod: refs.versie,
            ingangsdatum: d,
        },
        ClientEvent::Verhuizing {
            aanbod: refs.versie,
        },
        ClientEvent::Correctie {
            corrigeert: refs.versie,
            vervanging: Box::new(start),
            reden: "r".into(),
        },
        ClientEvent::Intrekking {
            trekt_in: refs.versie,
            reden: "r".into(),
        },
    ];
    // Compile-time completeness: adding a ClientEvent or Wijziging variant breaks this
    // match until the list above has a sample of it.
    for e in &all {
        match e {
            ClientEvent::Aanmelding { .. }
            | ClientEvent::Beoordeling { .. }
            | ClientEvent::Toewijzing { .. }
            | ClientEvent::Afwijzing { .. }
            | ClientEvent::Bezwaar { .. }
            | ClientEvent::WachtlijstIn { .. }
            | ClientEvent::WachtlijstUit { .. }
            | ClientEvent::StartZorg { .. }
            | ClientEvent::Wijziging(
                Wijziging::Verlenging { .. }
                | Wijziging::Opschalen { .. }
                | Wijziging::Afschalen { .. }
                | Wijziging::Doorstroom { .. },
            )
            | ClientEvent::EindeZorg { .. }
            | ClientEvent::MoOvernachting { .. }
            | ClientEvent::WlzOvergang
            | ClientEvent::BrpInschrijving { .. }
            | ClientEvent::WoonplaatsBepaald { .. }
            | ClientEvent::EerdereZorg { .. }
            | ClientEvent::Woningzoekend { .. }
            | ClientEvent::Uitstroomklaar
            | ClientEvent::Voorkeur { .. }
            | ClientEvent::VerzoekToewijzing { .. }
            | ClientEvent::VerzoekWijziging { .. }
            | ClientEvent::VerzoekAntwoord { .. }
            | ClientEvent::Voorstel { .. }
            | ClientEvent::VoorstelAntwoord { .. }
            | ClientEvent::TijdelijkVerblijf { .. }
            | ClientEvent::Doorverwijzing { .. }
            | ClientEvent::AdviesGevraagd { .. }
            | ClientEvent::AdviesGegeven { .. }
            | ClientEvent::MoTraject { .. }
            | ClientEvent::Woonbehoefte(_)
            | ClientEvent::UrgentieAanvraag { .. }
            | ClientEvent::UrgentieBesluit { .. }
            | ClientEvent::Woningaanbod { .. }
            | ClientEvent::AanbodAntwoord { .. }
            | ClientEvent::Huurovereenkomst { .. }
            | ClientEvent::Verhuizing { .. }
            | ClientEvent::Correctie { .. }
            | ClientEvent::Intrekking { .. } => {}
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_each_kind_has_distinct_kinds_and_uses_the_refs() {
        let refs = SampleRefs {
            regio: RegionId::parse("drechtsteden").unwrap(),
            product: ProductCode::parse("bw1").unwrap(),
            locatie: LocationId::parse("x").unwrap(),
            gemeente: GemeenteCode::parse("GM0505").unwrap(),
            datum: Date::parse("2026-01-01").unwrap(),
            versie: 7,
            aanbieder: AgbCode::parse("98000101").unwrap(),
        };
        let all = one_of_each_kind(&refs);
        let mut kinds: Vec<String> = all
            .iter()
            .map(|e| format!("{:?}", std::mem::discriminant(e)))
            .collect();
        // The four changes (adjacent) share one ClientEvent discriminant; every other
        // sample is of its own kind.
        kinds.dedup();
        assert_eq!(kinds.len(), all.len() - 3);
        assert!(
            all.iter()
                .any(|e| matches!(e, ClientEvent::Intrekking { trekt_in: 7, .. }))
        );
    }
}
