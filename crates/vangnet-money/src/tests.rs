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

/// The three-gemeente test region (A = GM0202 centrumgemeente 150.000 inhabitants,
/// B = GM0221 10.000, C = GM0274 40.000; location l1 in A, l2 in C).
fn testregio() -> vangnet_domain::RegionProfile {
    vangnet_domain::RegionProfile::parse(include_str!("testdata/testregio.toml"))
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn testregio_parses() {
    assert_eq!(testregio().gemeenten.len(), 3);
}

fn testgeld() -> FinanceProfile {
    FinanceProfile::parse(include_str!("testdata/testregio-geld.toml"), &testregio())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn testmodel() -> ObjectiefModel {
    ObjectiefModel::parse(include_str!("testdata/testregio-objectief.csv")).unwrap()
}

const A: &str = "GM0202";
const B: &str = "GM0221";
const C: &str = "GM0274";

/// March 2027 (31 days) in the test region, every client decided by the centrumgemeente A
/// (central front door):
/// - client 1: bw-intramuraal at l1 (in A) all month, 31 days; woonplaats B;
/// - client 2: bw-intramuraal at l1 from 16 March, 16 days; woonplaats C;
/// - client 3: bw-thuis at l2 (in C), 10 days; woonplaats C;
/// - client 4: bw-thuis at l1, 31 days; woonplaats A;
/// - client 5: bw-thuis at l1, 10 days; woonplaats B;
/// - client 6: bw-thuis allocated, not started, 12 days, no place; woonplaats B.
fn hand_volumes() -> Vec<Volume> {
    use Attribution::*;
    use VolumeSoort::*;
    let z = Leveringsvorm::Zin;
    let m = maand(2027, 3);
    let mut v = Vec::new();
    // bw-intramuraal at l1: 47 days.
    v.push(vol(
        Besluit,
        m,
        Zorgdagen,
        "bw-intramuraal",
        z,
        Some("l1"),
        Some(A),
        47,
    ));
    v.push(vol(
        Woonplaatsbeginsel,
        m,
        Zorgdagen,
        "bw-intramuraal",
        z,
        Some("l1"),
        Some(B),
        31,
    ));
    v.push(vol(
        Woonplaatsbeginsel,
        m,
        Zorgdagen,
        "bw-intramuraal",
        z,
        Some("l1"),
        Some(C),
        16,
    ));
    v.push(vol(
        Zorglocatie,
        m,
        Zorgdagen,
        "bw-intramuraal",
        z,
        Some("l1"),
        Some(A),
        47,
    ));
    // bw-thuis at l2: 10 days.
    for a in Attribution::ALL {
        let g = if a == Besluit { A } else { C };
        v.push(vol(a, m, Zorgdagen, "bw-thuis", z, Some("l2"), Some(g), 10));
    }
    // bw-thuis at l1: 41 days.
    v.push(vol(
        Besluit,
        m,
        Zorgdagen,
        "bw-thuis",
        z,
        Some("l1"),
        Some(A),
        41,
    ));
    v.push(vol(
        Woonplaatsbeginsel,
        m,
        Zorgdagen,
        "bw-thuis",
        z,
        Some("l1"),
        Some(A),
        31,
    ));
    v.push(vol(
        Woonplaatsbeginsel,
        m,
        Zorgdagen,
        "bw-thuis",
        z,
        Some("l1"),
        Some(B),
        10,
    ));
    v.push(vol(
        Zorglocatie,
        m,
        Zorgdagen,
        "bw-thuis",
        z,
        Some("l1"),
        Some(A),
        41,
    ));
    // Committed: 12 days bw-thuis without a place.
    v.push(vol(Besluit, m, Verplicht, "bw-thuis", z, None, Some(A), 12));
    v.push(vol(
        Woonplaatsbeginsel,
        m,
        Verplicht,
        "bw-thuis",
        z,
        None,
        Some(B),
        12,
    ));
    v.push(vol(
        Zorglocatie,
        m,
        Verplicht,
        "bw-thuis",
        z,
        None,
        None,
        12,
    ));
    v
}

/// The costs by hand:
/// - bw-intramuraal at l1: 47 days × € 145,37 = € 6.832,39 (683.239 cents, no rounding).
///   Woonplaatsbeginsel: B 31/47 → 450.647 exactly, C 16/47 → 232.592.
/// - bw-thuis at l2: 10 days × € 495,00 / 7 = 70.714,29 cents → € 707,14 (rounded once).
/// - bw-thuis at l1: 41 × 49.500 / 7 = 289.928,57 cents → € 2.899,29. Woonplaatsbeginsel:
///   A 31/41 × 289.929 = 219.214,61, B 10/41 × 289.929 = 70.714,39; floors 219.214 + 70.714
///   leave 1 cent, which goes to the larger remainder (A, ,61): A 219.215, B 70.714.
/// - committed bw-thuis: 12 × 49.500 / 7 = 84.857,14 → € 848,57.
///
/// Region total realised 683.239 + 70.714 + 289.929 = 1.043.882 cents under every attribution:
/// Besluit A 1.043.882; Woonplaatsbeginsel A 219.215, B 450.647 + 70.714 = 521.361,
/// C 232.592 + 70.714 = 303.306; Zorglocatie A 683.239 + 289.929 = 973.168, C 70.714.
#[test]
fn hand_computed_costs() {
    let fin = testgeld();
    let region = testregio();
    let regels = crate::kosten::kosten(
        &hand_volumes(),
        &fin.tarieven,
        &region,
        maand(2027, 1),
        maand(2027, 12),
    )
    .unwrap();
    let per = |a: Attribution, g: Option<&str>| -> (i64, i64) {
        regels
            .iter()
            .filter(|r| r.attribution == a && r.gemeente == g.map(gm))
            .fold((0, 0), |s, r| (s.0 + r.gerealiseerd.0, s.1 + r.verplicht.0))
    };
    use Attribution::*;
    assert_eq!(per(Besluit, Some(A)), (1_043_882, 84_857));
    assert_eq!(per(Woonplaatsbeginsel, Some(A)), (219_215, 0));
    assert_eq!(per(Woonplaatsbeginsel, Some(B)), (521_361, 84_857));
    assert_eq!(per(Woonplaatsbeginsel, Some(C)), (303_306, 0));
    assert_eq!(per(Zorglocatie, Some(A)), (973_168, 0));
    assert_eq!(per(Zorglocatie, Some(C)), (70_714, 0));
    assert_eq!(per(Zorglocatie, None), (0, 84_857));
    // The provider comes from the location: l2 belongs to 98000002.
    let l2 = regels
        .iter()
        .find(|r| r.attribution == Zorglocatie && r.gemeente == Some(gm(C)))
        .unwrap();
    assert_eq!(l2.aanbieder.map(|a| a.to_string()), Some("98000002".into()));
    assert_eq!(l2.dagen, 10);
}

/// Budgets, ingroeipad and settlement of 2027 by hand.
///
/// Historical: € 1.000.000 BW + € 200.000 MO − Wlz uitname (€ 495 mln × 0,01 % = € 49.500) =
/// € 1.150.500,00, all to the centrumgemeente A (h_A = 1).
/// Objective: O_raw = inhabitants × € 1,00 → 75 % / 5 % / 20 % of € 1.150.500,01:
/// 86.287.500,75 / 5.752.500,05 / 23.010.000,20 cents → floors leave 1 cent → A (,75):
/// O = 86.287.501 / 5.752.500 / 23.010.000.
/// Ingroeipad linear from 2027: 10 %. A: shift 10 % × (86.287.501 − 115.050.000) =
/// −2.876.249,9 → −2.876.250 (half away from zero), B = 112.173.750; B: +575.250; C: +2.301.000.
/// Per inhabitant: A −2.876.250 / 150.000 = −19,175 → −19; B 57,525 → 58; C 57,525 → 58.
///
/// Regional costs: bw-intramuraal 683.239 + access team 10.000.000 = 10.683.239 cents, by
/// inhabitants 75/5/20 %: 8.012.429,25 / 534.161,95 / 2.136.647,80 → floors leave 2 cents →
/// B (,95) and C (,80): 8.012.429 / 534.162 / 2.136.648.
/// Own costs (today's law: attributed to A, who decided): bw-thuis 289.929 + 70.714 = 360.643.
/// Before solidarity: A 112.173.750 − 360.643 − 8.012.429 = 103.800.678; B 575.250 − 534.162
/// = 41.088; C 2.301.000 − 2.136.648 = 164.352: no shortfall, so no solidarity.
/// Regional settlement: A (payer) receives 10.683.239 − 8.012.429 = 2.670.810; B pays
/// 534.162; C pays 2.136.648; sum 0.
#[test]
fn hand_computed_year_report() {
    let r = jaaroverzicht(
        &testgeld(),
        &testregio(),
        &testmodel(),
        &hand_volumes(),
        2027,
        &Scenario::default(),
    )
    .unwrap();
    assert_eq!(r.totaal_kosten, Cents(1_043_882));
    assert_eq!(r.wlz_uitname, Cents(4_950_000));
    assert_eq!(r.ingroei_aandeel_bp, 1000);
    let g = &r.gemeenten;
    let col = |f: fn(&crate::rapport::GemeenteJaar) -> Cents| {
        g.iter().map(f).map(|c| c.0).collect::<Vec<_>>()
    };
    assert_eq!(col(|x| x.historisch), vec![115_050_000, 0, 0]);
    assert_eq!(
        col(|x| x.objectief),
        vec![86_287_501, 5_752_500, 23_010_000]
    );
    assert_eq!(col(|x| x.budget), vec![112_173_750, 575_250, 2_301_000]);
    assert_eq!(
        col(|x| x.herverdeeleffect),
        vec![-2_876_250, 575_250, 2_301_000]
    );
    assert_eq!(col(|x| x.herverdeeleffect_per_inwoner), vec![-19, 58, 58]);
    assert_eq!(
        col(|x| x.regionaal_aandeel),
        vec![8_012_429, 534_162, 2_136_648]
    );
    assert_eq!(col(|x| x.afrekening.own_costs), vec![360_643, 0, 0]);
    assert_eq!(
        col(|x| x.afrekening.result_before_solidarity),
        vec![103_800_678, 41_088, 164_352]
    );
    assert_eq!(col(|x| x.afrekening.solidarity), vec![0, 0, 0]);
    assert_eq!(
        col(|x| x.afrekening.regional_settlement),
        vec![2_670_810, -534_162, -2_136_648]
    );
    assert_eq!(
        g[0].kosten,
        [Cents(1_043_882), Cents(219_215), Cents(973_168)]
    );
    assert_eq!(g[1].verplicht, [Cents(0), Cents(84_857), Cents(0)]);
    let regionaal: i64 = r.regionale_voorzieningen.iter().map(|x| x.1.0).sum();
    assert_eq!(regionaal, 10_683_239);
    assert!(
        r.aannames.iter().any(|a| a.starts_with("Tarieven: test")),
        "{:?}",
        r.aannames
    );

    // The woonplaatsbeginsel from 2027 (scenario): own costs follow origin —
    // A 219.215, B 70.714, C 70.714 (the same 360.643 in total).
    let wpb = Scenario {
        wpb_vanaf: Some(2027),
        ..Scenario::default()
    };
    let r = jaaroverzicht(
        &testgeld(),
        &testregio(),
        &testmodel(),
        &hand_volumes(),
        2027,
        &wpb,
    )
    .unwrap();
    let own: Vec<i64> = r
        .gemeenten
        .iter()
        .map(|x| x.afrekening.own_costs.0)
        .collect();
    assert_eq!(own, vec![219_215, 70_714, 70_714]);
}
