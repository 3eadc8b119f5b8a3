//! Tests of the money model across modules: hand-computed examples, properties with
//! `vangnet_domain::rng`, bad input, and the four shipped finance profiles end to end.

use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::region::builtin_profiles;
use vangnet_domain::{GemeenteCode, LocationId, Maand, ProductCode};

use crate::cents::Cents;
use crate::objectief::{ObjectiefModel, VOORBEELD_2027};
use crate::profiel::{BUILTIN, FinanceProfile};
use crate::rapport::{Scenario, jaaroverzicht};
use crate::volume::{Attribution, Volume, VolumeSoort};

fn gm(s: &str) -> GemeenteCode {
    GemeenteCode::parse(s).unwrap()
}

fn maand(j: i32, m: u32) -> Maand {
    Maand::new(j, m).unwrap()
}

/// One volume row.
#[allow(clippy::too_many_arguments)]
fn vol(
    attribution: Attribution,
    m: Maand,
    soort: VolumeSoort,
    product: &str,
    lv: Leveringsvorm,
    locatie: Option<&str>,
    gemeente: Option<&str>,
    aantal: i64,
) -> Volume {
    Volume {
        attribution,
        maand: m,
        soort,
        product: ProductCode::parse(product).unwrap(),
        leveringsvorm: lv,
        locatie: locatie.map(|l| LocationId::parse(l).unwrap()),
        gemeente: gemeente.map(gm),
        aantal,
        personen: 1,
    }
}

#[test]
fn shipped_profiles_parse_and_report() {
    let model = ObjectiefModel::parse(VOORBEELD_2027).unwrap();
    for region in builtin_profiles() {
        let text = crate::profiel::builtin_text(&region.id).unwrap();
        let fin = FinanceProfile::parse(text, &region)
            .unwrap_or_else(|e| panic!("{}: {e}", region.id.as_str()));
        // Hand-made volumes: every product, 30 days at the first location that has it,
        // attributed to the centrumgemeente (besluit) and to the location's gemeente.
        let mut volumes = Vec::new();
        for p in &region.products {
            let Some(loc) = region
                .locations
                .iter()
                .find(|l| l.places.contains_key(&p.code))
            else {
                continue;
            };
            for (attr, g) in [
                (Attribution::Besluit, region.centrumgemeente),
                (Attribution::Woonplaatsbeginsel, loc.gemeente),
                (Attribution::Zorglocatie, loc.gemeente),
            ] {
                volumes.push(Volume {
                    attribution: attr,
                    maand: maand(2027, 3),
                    soort: VolumeSoort::Zorgdagen,
                    product: p.code.clone(),
                    leveringsvorm: Leveringsvorm::Zin,
                    locatie: Some(loc.id.clone()),
                    gemeente: Some(g),
                    aantal: 30,
                    personen: 1,
                });
            }
        }
        assert!(!volumes.is_empty());
        let r = jaaroverzicht(&fin, &region, &model, &volumes, 2027, &Scenario::default())
            .unwrap_or_else(|e| panic!("{}: {e}", region.id.as_str()));
        assert!(r.totaal_kosten > Cents::ZERO);
        for a in 0..3 {
            let s: i64 = r.gemeenten.iter().map(|g| g.kosten[a].0).sum();
            assert_eq!(
                s,
                r.totaal_kosten.0,
                "{} attribution {a}",
                region.id.as_str()
            );
        }
        let settled: i64 = r.gemeenten.iter().map(|g| g.afrekening.settlement.0).sum();
        assert_eq!(settled, 0);
        assert!(!r.aannames.is_empty());
    }
    assert_eq!(BUILTIN.len(), 4);
}
