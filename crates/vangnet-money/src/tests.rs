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
    assert_eq!(model, ObjectiefModel::voorbeeld());
    assert!(model.herkomst.is_aanname() && model.herkomst.tekst().starts_with("VOORBEELDBESTAND"));
    for region in builtin_profiles() {
        let fin = FinanceProfile::builtin(&region)
            .unwrap()
            .unwrap_or_else(|e| panic!("{}: {e}", region.id.as_str()));
        // Every demo tariff is marked as an assumption.
        assert!(
            fin.tarieven
                .items()
                .iter()
                .all(|(t, _)| t.herkomst.is_aanname())
        );
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
        // Every year from the Wmo 2015 to the end of the default ingroeipad has budgets and
        // tariffs (the demo histories start as early as 2016).
        for jaar in 2015..=2037 {
            let mut v = volumes.clone();
            for x in &mut v {
                x.maand = maand(jaar, 3);
            }
            let r = jaaroverzicht(&fin, &region, &model, &v, jaar, &Scenario::default())
                .unwrap_or_else(|e| panic!("{} {jaar}: {e}", region.id.as_str()));
            let settled: i64 = r.gemeenten.iter().map(|g| g.afrekening.settlement.0).sum();
            assert_eq!(settled, 0);
            assert_eq!(r.wlz_uitname == Cents::ZERO, jaar < 2021, "{jaar}");
            if jaar == 2037 {
                assert!(r.gemeenten.iter().all(|g| g.budget == g.objectief));
            }
        }
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
    // The EXAMPLE model covers every gemeente of the four regions in 2027 and sums exactly to
    // its macro budget, which is the four regions' historical budgets of 2027.
    let o = model.budgetten().unwrap();
    assert_eq!(o.iter().map(|x| x.1.0).sum::<i64>(), model.macrobudget.0);
    let mut hist = 0i64;
    for region in builtin_profiles() {
        let fin = FinanceProfile::builtin(&region).unwrap().unwrap();
        hist += crate::begroting::historisch_regio(&fin, 2027).unwrap().0;
        let members: Vec<GemeenteCode> = crate::begroting::leden(&region, 2027)
            .iter()
            .map(|g| g.0)
            .collect();
        assert_eq!(model.voor(&members).unwrap().len(), members.len());
    }
    assert_eq!(hist, model.macrobudget.0);
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
#[allow(clippy::vec_init_then_push)] // one commented push per fact reads best
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

// ---- Tariffs ---------------------------------------------------------------------------

#[test]
fn tariff_units_by_hand() {
    use crate::tarief::{Eenheid, Tarief};
    use vangnet_domain::region::Herkomst;
    let t = |eenheid, bedrag, uren| Tarief {
        product: ProductCode::parse("bw-thuis").unwrap(),
        leveringsvorm: Leveringsvorm::Zin,
        eenheid,
        bedrag: Cents(bedrag),
        van: vangnet_domain::Date::from_ymd(2025, 1, 1).unwrap(),
        tot: None,
        uren_per_week_x100: uren,
        herkomst: Herkomst::Aanname("test".into()),
    };
    let feb = maand(2027, 2);
    // Day and night: 10 × € 145,37 = € 1.453,70.
    assert_eq!(
        t(Eenheid::Dag, 14_537, None).kosten(10, feb),
        Ok(Cents(145_370))
    );
    assert_eq!(
        t(Eenheid::Nacht, 5_500, None).kosten(3, feb),
        Ok(Cents(16_500))
    );
    // Week: 10 days × € 495 / 7 = € 707,142… → € 707,14; 11 days → 777,857… → € 777,86.
    assert_eq!(
        t(Eenheid::Week, 49_500, None).kosten(10, feb),
        Ok(Cents(70_714))
    );
    assert_eq!(
        t(Eenheid::Week, 49_500, None).kosten(11, feb),
        Ok(Cents(77_786))
    );
    // Month: 10 days of February 2027 (28 days) × € 2.600 = € 928,571… → € 928,57;
    // in March (31 days): € 838,709… → € 838,71.
    assert_eq!(
        t(Eenheid::Maand, 260_000, None).kosten(10, feb),
        Ok(Cents(92_857))
    );
    assert_eq!(
        t(Eenheid::Maand, 260_000, None).kosten(10, maand(2027, 3)),
        Ok(Cents(83_871))
    );
    // Hour: € 68 × 6 h/week × 7 days / 7 = € 408; 3 days at 4,5 h/week: 68 × 4,5 × 3/7 =
    // € 131,142… → € 131,14.
    assert_eq!(
        t(Eenheid::Uur, 6_800, Some(600)).kosten(7, feb),
        Ok(Cents(40_800))
    );
    assert_eq!(
        t(Eenheid::Uur, 6_800, Some(450)).kosten(3, feb),
        Ok(Cents(13_114))
    );
    // Indexation: € 100,00 in 2025, +3,10 % → € 103,10 in 2026, +2,80 % → 105,9868 → € 105,99
    // in 2027 (rounded per period, on the rounded amount of the year before), open-ended.
    let p = t(Eenheid::Dag, 10_000, None)
        .indexeer(&[(2027, 280), (2026, 310), (2024, 999)])
        .unwrap();
    let got: Vec<(String, Option<String>, i64)> = p
        .iter()
        .map(|x| (x.van.to_string(), x.tot.map(|d| d.to_string()), x.bedrag.0))
        .collect();
    assert_eq!(
        got,
        vec![
            ("2025-01-01".into(), Some("2025-12-31".into()), 10_000),
            ("2026-01-01".into(), Some("2026-12-31".into()), 10_310),
            ("2027-01-01".into(), None, 10_599),
        ]
    );
    let e = t(Eenheid::Dag, 10_000, None)
        .indexeer(&[(2027, 280)])
        .unwrap_err();
    assert_eq!(e.code, "tarief.indexatie");
}

/// A variant of the test finance profile: `from` replaced by `to` (which must occur).
fn geld_met(from: &str, to: &str) -> Result<FinanceProfile, crate::rapport::GeldError> {
    let text = include_str!("testdata/testregio-geld.toml");
    assert!(text.contains(from), "{from}");
    FinanceProfile::parse(&text.replacen(from, to, 1), &testregio())
}

// ---- Bad input -------------------------------------------------------------------------

#[test]
fn bad_input_a_day_without_tariff() {
    // Care in December 2026; the tariffs start in 2027.
    let mut v = hand_volumes();
    for x in &mut v {
        x.maand = maand(2026, 12);
    }
    let e = crate::kosten::kosten(
        &v,
        &testgeld().tarieven,
        &testregio(),
        maand(2026, 1),
        maand(2026, 12),
    )
    .unwrap_err();
    assert_eq!(e.code, "tarief.ontbreekt");
    assert!(
        e.bericht.contains("bw-intramuraal") && e.bericht.contains("ZIN"),
        "{e}"
    );
    assert!(e.bericht.contains(&maand(2026, 12).naam()), "{e}");
    // No partial report either.
    assert!(
        jaaroverzicht(
            &testgeld(),
            &testregio(),
            &testmodel(),
            &v,
            2026,
            &Scenario::default()
        )
        .is_err()
    );
    // PGB care with only a ZIN tariff is a day without tariff too.
    let mut v = hand_volumes();
    v[0].leveringsvorm = Leveringsvorm::Pgb;
    v[1].leveringsvorm = Leveringsvorm::Pgb;
    v[2].leveringsvorm = Leveringsvorm::Pgb;
    v[3].leveringsvorm = Leveringsvorm::Pgb;
    let e = crate::kosten::kosten(
        &v,
        &testgeld().tarieven,
        &testregio(),
        maand(2027, 1),
        maand(2027, 12),
    )
    .unwrap_err();
    assert!(e.bericht.contains("PGB"), "{e}");
}

#[test]
fn bad_input_tariffs() {
    // Overlapping periods: a second bw-thuis ZIN tariff from 1 June 2027. The base tariff
    // starts on line 57 of the test profile, the new one on line 65; both lines are named.
    let overlap = "[[tarieven]]\nproduct = \"bw-thuis\"\nleveringsvorm = \"zin\"\neenheid = \"dag\"\nbedrag = \"70,00\"\nvan = 2027-06-01\naanname = \"test\"\n\n[[tarieven]]\nproduct = \"mo-nachtopvang\"";
    let e = geld_met("[[tarieven]]\nproduct = \"mo-nachtopvang\"", overlap).unwrap_err();
    assert_eq!(e.code, "tarief.overlap");
    assert!(
        e.bericht.contains("regel 57") && e.bericht.contains("regel 65"),
        "{e}"
    );
    // Closing the first period at the end of May removes the overlap.
    let ok = geld_met(
        "bedrag = \"495,00\"\nvan = 2027-01-01\n",
        "bedrag = \"495,00\"\nvan = 2027-01-01\ntot = 2027-05-31\n",
    );
    assert!(ok.is_ok());
    // A period not starting on the first of a month.
    let e = geld_met(
        "bedrag = \"145,37\"\nvan = 2027-01-01",
        "bedrag = \"145,37\"\nvan = 2027-01-02",
    )
    .unwrap_err();
    assert_eq!(e.code, "tarief.periode");
    assert!(e.bericht.starts_with("regel 49"), "{e}");
    // tot before van.
    let e = geld_met(
        "bedrag = \"145,37\"\nvan = 2027-01-01",
        "bedrag = \"145,37\"\nvan = 2027-01-01\ntot = 2026-12-31",
    )
    .unwrap_err();
    assert_eq!(e.code, "tarief.periode");
    // Unit hour without hours per week.
    let e = geld_met("eenheid = \"week\"", "eenheid = \"uur\"").unwrap_err();
    assert_eq!(e.code, "tarief.uren");
    assert!(e.bericht.contains("uren_per_week"), "{e}");
    // Unit night for a BW product.
    let e = geld_met("eenheid = \"week\"", "eenheid = \"nacht\"").unwrap_err();
    assert_eq!(e.code, "tarief.nacht");
    // Not an amount.
    let e = geld_met("bedrag = \"145,37\"", "bedrag = \"veel\"").unwrap_err();
    assert_eq!(e.code, "profiel.bedrag");
    assert!(e.bericht.starts_with("regel 49"), "{e}");
}

#[test]
fn bad_input_profile_herkomst_and_key() {
    // A number with neither bron nor aanname, and with both: refused with the line.
    let e = geld_met("wlz_aandeel_aanname = \"test\"\n", "").unwrap_err();
    assert_eq!(e.code, "profiel.herkomst");
    assert!(
        e.bericht.starts_with("regel 38") && e.bericht.contains("wlz_aandeel_bron"),
        "{e}"
    );
    let e = geld_met(
        "fractie = \"50,00\"\naanname = \"test\"",
        "fractie = \"50,00\"\naanname = \"test\"\nbron = \"x\"",
    )
    .unwrap_err();
    assert!(e.bericht.contains("zowel bron als aanname"), "{e}");
    // A verdeelsleutel that does not sum to 100 %: the field and line are named.
    let e = geld_met(
        "soort = \"inwoners\"",
        "soort = \"procent\"\naandelen = { GM0202 = \"60,00\", GM0221 = \"30,00\", GM0274 = \"5,00\" }",
    )
    .unwrap_err();
    assert_eq!(e.code, "sleutel.niet_100");
    assert!(
        e.bericht.starts_with("regel 22")
            && e.bericht.contains("95,00 %")
            && e.bericht.contains("aandelen"),
        "{e}"
    );
    // The same for the internal split of the historical budget.
    let e = geld_met(
        "soort = \"centrumgemeente\"",
        "soort = \"procent\"\naandelen = { GM0202 = \"60,00\", GM0221 = \"50,00\" }",
    )
    .unwrap_err();
    assert_eq!(e.code, "sleutel.niet_100");
    // A gemeente outside the region.
    let e = geld_met("gemeente = \"GM0202\"", "gemeente = \"GM0268\"").unwrap_err();
    assert_eq!(e.code, "profiel.gemeente");
    // An unknown ingroeipad file.
    let e = geld_met("ingroeipad-lineair-10.csv", "ingroeipad-x.csv").unwrap_err();
    assert_eq!(e.code, "profiel.ingroeipad");
}

#[test]
fn bad_input_objective_model() {
    let text = include_str!("testdata/testregio-objectief.csv");
    // A column without an amount: unknown characteristic, naming the header line (6).
    let e = ObjectiefModel::parse(
        &text
            .replace("gemeente;inwoners", "gemeente;inwoners;daklozen")
            .replace("150000", "150000;3"),
    )
    .unwrap_err();
    assert_eq!(e.code, "objectief.onbekend_kenmerk");
    assert!(
        e.bericht.contains("regel 6") && e.bericht.contains("daklozen"),
        "{e}"
    );
    // An amount for a characteristic without a column.
    let e = ObjectiefModel::parse(&text.replace(
        "bedrag;inwoners;1,00",
        "bedrag;inwoners;1,00\nbedrag;bijstand;3,00",
    ))
    .unwrap_err();
    assert_eq!(e.code, "objectief.onbekend_kenmerk");
    assert!(
        e.bericht.contains("regel 6") && e.bericht.contains("bijstand"),
        "{e}"
    );
    // A gemeente without data: an empty cell (line 8) …
    let e = ObjectiefModel::parse(&text.replace("GM0221;10000", "GM0221;")).unwrap_err();
    assert_eq!(e.code, "objectief.geen_gegevens");
    assert!(
        e.bericht.contains("regel 8") && e.bericht.contains("GM0221"),
        "{e}"
    );
    // … or a gemeente of the region with no row at all.
    let m = ObjectiefModel::parse(&text.replace("GM0221;10000\n", "")).unwrap();
    let e = m.voor(&[gm(A), gm(B)]).unwrap_err();
    assert_eq!(e.code, "objectief.geen_gegevens");
    assert!(e.bericht.contains("GM0221"), "{e}");
    let e = jaaroverzicht(
        &testgeld(),
        &testregio(),
        &m,
        &[],
        2027,
        &Scenario::default(),
    )
    .unwrap_err();
    assert_eq!(e.code, "objectief.geen_gegevens");
    // Not a number.
    let e = ObjectiefModel::parse(&text.replace("GM0274;40000", "GM0274;veertig")).unwrap_err();
    assert_eq!(e.code, "objectief.getal");
    assert!(e.bericht.contains("regel 9"), "{e}");
    let e = ObjectiefModel::parse(&text.replace("1.150.500,01", "veel")).unwrap_err();
    assert_eq!(e.code, "objectief.getal");
    assert!(e.bericht.contains("regel 3"), "{e}");
    // No source line.
    let e =
        ObjectiefModel::parse(&text.replace("# aanname: testbestand (tests.rs)", "")).unwrap_err();
    assert_eq!(e.code, "objectief.herkomst");
}

#[test]
fn bad_input_ingroeipad() {
    use crate::begroting::pad_uit_bestand;
    let h = "# aanname: test\njaar;aandeel\n";
    // Not monotone: year 3 (line 5) lower than year 2.
    let e =
        pad_uit_bestand(&format!("{h}1;20,00\n2;50,00\n3;40,00\n4;100,00\n"), 2030).unwrap_err();
    assert_eq!(e.code, "ingroeipad.niet_monotoon");
    assert!(
        e.bericht.contains("regel 5") && e.bericht.contains("2032"),
        "{e}"
    );
    // Not reaching 100 %: the last line (4) is named.
    let e = pad_uit_bestand(&format!("{h}1;20,00\n2;90,00\n"), 2030).unwrap_err();
    assert_eq!(e.code, "ingroeipad.niet_100");
    assert!(
        e.bericht.contains("regel 4") && e.bericht.contains("100 %"),
        "{e}"
    );
    // Not a number, a gap in the path years, no source.
    let e = pad_uit_bestand(&format!("{h}1;twintig\n"), 2030).unwrap_err();
    assert_eq!(e.code, "ingroeipad.getal");
    let e = pad_uit_bestand(&format!("{h}1;20,00\n3;100,00\n"), 2030).unwrap_err();
    assert_eq!(e.code, "ingroeipad.regel");
    assert!(e.bericht.contains("regel 4"), "{e}");
    let e = pad_uit_bestand("jaar;aandeel\n1;100,00\n", 2030).unwrap_err();
    assert_eq!(e.code, "ingroeipad.herkomst");
    // The shipped files: linear 10 % a year; the five-year path reaches 100 % in year 5.
    let (p, herkomst) = pad_uit_bestand(crate::profiel::PADEN[0].1, 2028).unwrap();
    assert!(herkomst.is_aanname());
    assert_eq!(
        (p.share(2028), p.share(2032), p.share(2037)),
        (1000, 5000, 10_000)
    );
    assert_eq!(p, crate::ingroeipad::Ingroeipad::default_from(2028));
    let (p, _) = pad_uit_bestand(crate::profiel::PADEN[1].1, 2028).unwrap();
    assert_eq!(
        p.steps(),
        &[
            (2028, 1000),
            (2029, 2500),
            (2030, 4500),
            (2031, 7000),
            (2032, 10_000)
        ]
    );
}

// ---- Properties ------------------------------------------------------------------------

/// Random volumes in 2027 for the test region: keys of (month, soort, product, location)
/// with a total of days, split under each attribution over random gemeenten (members, a
/// gemeente outside the region, unknown) — equal days per key under every attribution, as the
/// volumes' contract says.
fn random_volumes(rng: &mut vangnet_domain::rng::Rng) -> Vec<Volume> {
    let gemeenten = [Some(A), Some(B), Some(C), Some("GM0268"), None];
    let products = [
        ("bw-intramuraal", VolumeSoort::Zorgdagen),
        ("bw-thuis", VolumeSoort::Zorgdagen),
        ("bw-thuis", VolumeSoort::Verplicht),
        ("mo-nachtopvang", VolumeSoort::Nachten),
    ];
    let mut out = Vec::new();
    for _ in 0..rng.below(12) {
        let m = maand(2027, 1 + rng.below(12) as u32);
        let (p, soort) = products[rng.below(4) as usize];
        let loc = if soort == VolumeSoort::Verplicht {
            None
        } else {
            Some(if rng.chance(0.5) { "l1" } else { "l2" })
        };
        let total = rng.range(0, 400);
        for a in Attribution::ALL {
            let parts = 1 + rng.below(4) as usize;
            let mut left = total;
            for i in 0..parts {
                let d = if i + 1 == parts {
                    left
                } else {
                    rng.range(0, left)
                };
                left -= d;
                let g = gemeenten[rng.below(5) as usize];
                let mut v = vol(a, m, soort, p, Leveringsvorm::Zin, loc, g, d);
                v.personen = rng.range(0, 20);
                out.push(v);
            }
        }
    }
    out
}

/// Attributed costs per gemeente sum to the region total under every attribution, and the
/// year report's settlement sums to zero, for random volumes.
#[test]
fn property_costs_sum_under_every_attribution_and_settlement_to_zero() {
    let fin = testgeld();
    let region = testregio();
    let model = testmodel();
    let mut rng = vangnet_domain::rng::Rng::new(0x6b6f_7374);
    for case in 0..300 {
        let v = random_volumes(&mut rng);
        let regels =
            crate::kosten::kosten(&v, &fin.tarieven, &region, maand(2027, 1), maand(2027, 12))
                .unwrap();
        let sums: Vec<(i64, i64)> = Attribution::ALL
            .iter()
            .map(|a| {
                regels
                    .iter()
                    .filter(|r| r.attribution == *a)
                    .fold((0, 0), |s, r| (s.0 + r.gerealiseerd.0, s.1 + r.verplicht.0))
            })
            .collect();
        assert!(
            sums.windows(2).all(|w| w[0] == w[1]),
            "case {case}: {sums:?}"
        );
        let r = jaaroverzicht(&fin, &region, &model, &v, 2027, &Scenario::default()).unwrap();
        assert_eq!(sums[0].0, r.totaal_kosten.0, "case {case}");
        let settled: i64 = r.gemeenten.iter().map(|g| g.afrekening.settlement.0).sum();
        assert_eq!(settled, 0, "case {case}");
        let regionaal: i64 = r.regionale_voorzieningen.iter().map(|x| x.1.0).sum();
        let shares: i64 = r.gemeenten.iter().map(|g| g.regionaal_aandeel.0).sum();
        assert_eq!(shares, regionaal, "case {case}");
        // Members' costs never exceed the region total; with everything inside the region
        // they equal it.
        for a in 0..3 {
            let s: i64 = r.gemeenten.iter().map(|g| g.kosten[a].0).sum();
            assert!(s <= r.totaal_kosten.0, "case {case}");
        }
    }
}

/// Changing the verdeelsleutel moves money between gemeenten and creates none: the regional
/// shares always sum to the regional costs, the results before solidarity to the same
/// region total, and budgets and own costs do not move.
#[test]
fn property_changing_the_key_creates_no_money() {
    let region = testregio();
    let model = testmodel();
    let keys = [
        "soort = \"inwoners\"",
        "soort = \"procent\"\naandelen = { GM0202 = \"33,33\", GM0221 = \"33,33\", GM0274 = \"33,34\" }",
        "soort = \"gebruik\"",
        "soort = \"objectief\"",
        "soort = \"mix\"\nsolidariteit = \"40,00\"",
        "soort = \"risicopool\"\ndrempel = \"20.000,00\"",
    ];
    let fins: Vec<FinanceProfile> = keys
        .iter()
        .map(|k| geld_met("soort = \"inwoners\"", k).unwrap())
        .collect();
    let mut rng = vangnet_domain::rng::Rng::new(0x7365_6c6c);
    for case in 0..100 {
        let v = random_volumes(&mut rng);
        let reports: Vec<_> = fins
            .iter()
            .map(|f| jaaroverzicht(f, &region, &model, &v, 2027, &Scenario::default()).unwrap())
            .collect();
        let total = |r: &crate::rapport::Jaaroverzicht,
                     f: fn(&crate::rapport::GemeenteJaar) -> i64|
         -> i64 { r.gemeenten.iter().map(f).sum() };
        let base = &reports[0];
        for (r, k) in reports.iter().zip(keys) {
            assert_eq!(
                total(r, |g| g.regionaal_aandeel.0),
                r.regionale_voorzieningen.iter().map(|x| x.1.0).sum::<i64>(),
                "case {case} {k}"
            );
            assert_eq!(
                total(r, |g| g.afrekening.result_before_solidarity.0),
                total(base, |g| g.afrekening.result_before_solidarity.0),
                "case {case} {k}"
            );
            assert_eq!(
                total(r, |g| g.afrekening.result.0),
                total(base, |g| g.afrekening.result.0),
                "case {case} {k}"
            );
            assert_eq!(
                total(r, |g| g.afrekening.settlement.0),
                0,
                "case {case} {k}"
            );
            for (x, y) in r.gemeenten.iter().zip(&base.gemeenten) {
                assert_eq!(
                    (x.budget, x.afrekening.own_costs),
                    (y.budget, y.afrekening.own_costs),
                    "case {case} {k}"
                );
            }
        }
    }
}

/// A correction that moves days of one key from one month to another (under every
/// attribution alike) moves money between the months and creates none: with a day or night
/// tariff the year total is unchanged to the cent; with a week tariff each month's total is
/// rounded once, so the year total can differ by at most one cent (the rounding of the two
/// months, each under half a cent, before and after).
#[test]
fn property_a_correction_moves_money_between_months() {
    let fin = testgeld();
    let region = testregio();
    let mut rng = vangnet_domain::rng::Rng::new(0x636f_7272);
    for case in 0..500 {
        let (product, soort, exact) = [
            ("bw-intramuraal", VolumeSoort::Zorgdagen, true),
            ("mo-nachtopvang", VolumeSoort::Nachten, true),
            ("bw-thuis", VolumeSoort::Zorgdagen, false),
        ][rng.below(3) as usize];
        let from = maand(2027, 1 + rng.below(12) as u32);
        let to = maand(2027, 1 + rng.below(12) as u32);
        let days = rng.range(1, 300);
        let moved = rng.range(0, days);
        let mut before = Vec::new();
        let mut after = Vec::new();
        for a in Attribution::ALL {
            let g = [A, B, C][rng.below(3) as usize];
            before.push(vol(
                a,
                from,
                soort,
                product,
                Leveringsvorm::Zin,
                Some("l1"),
                Some(g),
                days,
            ));
            after.push(vol(
                a,
                from,
                soort,
                product,
                Leveringsvorm::Zin,
                Some("l1"),
                Some(g),
                days - moved,
            ));
            after.push(vol(
                a,
                to,
                soort,
                product,
                Leveringsvorm::Zin,
                Some("l1"),
                Some(g),
                moved,
            ));
        }
        // Other care in the year that the correction does not touch.
        let other = random_volumes(&mut rng);
        before.extend(other.iter().cloned());
        after.extend(other);
        let year = |v: &[Volume]| -> Vec<i64> {
            let regels =
                crate::kosten::kosten(v, &fin.tarieven, &region, maand(2027, 1), maand(2027, 12))
                    .unwrap();
            Attribution::ALL
                .iter()
                .map(|a| {
                    regels
                        .iter()
                        .filter(|r| r.attribution == *a)
                        .map(|r| r.gerealiseerd.0)
                        .sum()
                })
                .collect()
        };
        let (b, a) = (year(&before), year(&after));
        for i in 0..3 {
            if exact {
                assert_eq!(a[i], b[i], "case {case}");
            } else {
                assert!(
                    (a[i] - b[i]).abs() <= 1,
                    "case {case}: {} vs {}",
                    a[i],
                    b[i]
                );
            }
        }
    }
}

/// The ingroeipad's last year gives the objective budget exactly, for random historical
/// budgets and splits; before the start year the historical budget.
#[test]
fn property_ingroeipad_reaches_the_objective_budget() {
    let region = testregio();
    let model = testmodel();
    let mut rng = vangnet_domain::rng::Rng::new(0x7061_6468);
    for case in 0..100 {
        let bw = rng.range(0, 100_000_000);
        let a = rng.range(0, 10_000);
        let b = rng.range(0, 10_000 - a);
        let text = format!(
            "soort = \"procent\"\naandelen = {{ GM0202 = \"{}\", GM0221 = \"{}\", GM0274 = \"{}\" }}",
            Cents(a).to_string().trim_start_matches("€ "),
            Cents(b).to_string().trim_start_matches("€ "),
            Cents(10_000 - a - b).to_string().trim_start_matches("€ ")
        );
        let fin = FinanceProfile::parse(
            &include_str!("testdata/testregio-geld.toml")
                .replacen("soort = \"centrumgemeente\"", &text, 1)
                .replacen(
                    "bw = \"1.000.000,00\"",
                    &format!(
                        "bw = \"{}\"",
                        Cents(bw * 100).to_string().trim_start_matches("€ ")
                    ),
                    1,
                ),
            &region,
        )
        .unwrap_or_else(|e| panic!("case {case}: {e}"));
        let last = fin.ingroeipad.last_year();
        let r = jaaroverzicht(&fin, &region, &model, &[], last, &Scenario::default()).unwrap();
        assert_eq!(r.ingroei_aandeel_bp, 10_000);
        for g in &r.gemeenten {
            assert_eq!(g.budget, g.objectief, "case {case}");
            assert_eq!(
                g.herverdeeleffect.0,
                g.objectief.0 - g.historisch.0,
                "case {case}"
            );
        }
        let hist: i64 = r.gemeenten.iter().map(|g| g.historisch.0).sum();
        assert_eq!(hist, bw * 100 + 20_000_000 - 4_950_000, "case {case}");
        // The start year can move (scenario): before it, the historical budget.
        let s = Scenario {
            objectief_vanaf: Some(last + 1),
            ..Scenario::default()
        };
        let r = jaaroverzicht(&fin, &region, &model, &[], last, &s).unwrap();
        assert_eq!(r.ingroei_aandeel_bp, 0);
        assert!(
            r.gemeenten
                .iter()
                .all(|g| g.budget == g.historisch && g.herverdeeleffect == Cents::ZERO)
        );
    }
}

// ---- Scenarios -------------------------------------------------------------------------

/// Ambulantisering 50 % in 2 years from 2027: in 2027 25 % of the 47 intramural days
/// (11,75 → 12 days, half away from zero) move to bw-thuis at the same location; under the
/// woonplaatsbeginsel the 12 days split 31:16 over B and C by largest remainder
/// (7,91 / 4,09 → 8 / 4). Cost: intramural 35 × € 145,37 = € 5.087,95; bw-thuis at l1 now
/// 41 + 12 = 53 days × 495/7 = € 3.747,857… → € 3.747,86; l2 unchanged € 707,14.
/// Wlz 10 %: 10 % of every BW key leaves.
#[test]
fn scenario_ambulantisering_wlz_and_forecast() {
    let fin = testgeld();
    let region = testregio();
    let model = testmodel();
    let s = Scenario {
        ambulantisering: Some(crate::rapport::Ambulantisering {
            procent_bp: 5000,
            jaren: 2,
            vanaf: 2027,
            naar: ProductCode::parse("bw-thuis").unwrap(),
        }),
        ..Scenario::default()
    };
    let v = s.volumes(&hand_volumes(), &region).unwrap();
    let days = |a: Attribution, p: &str, g: &str| -> i64 {
        v.iter()
            .filter(|x| {
                x.attribution == a
                    && x.product.as_str() == p
                    && x.gemeente == Some(gm(g))
                    && x.soort == VolumeSoort::Zorgdagen
            })
            .map(|x| x.aantal)
            .sum()
    };
    assert_eq!(days(Attribution::Besluit, "bw-intramuraal", A), 35);
    assert_eq!(
        days(Attribution::Woonplaatsbeginsel, "bw-intramuraal", B),
        31 - 8
    );
    assert_eq!(
        days(Attribution::Woonplaatsbeginsel, "bw-intramuraal", C),
        16 - 4
    );
    assert_eq!(days(Attribution::Besluit, "bw-thuis", A), 41 + 10 + 12);
    let r = jaaroverzicht(&fin, &region, &model, &hand_volumes(), 2027, &s).unwrap();
    assert_eq!(r.totaal_kosten, Cents(508_795 + 374_786 + 70_714));
    assert!(
        r.aannames
            .iter()
            .any(|a| a.starts_with("Scenario: 50,00 %")),
        "{:?}",
        r.aannames
    );
    // A non-ambulant target is refused.
    let bad = Scenario {
        ambulantisering: Some(crate::rapport::Ambulantisering {
            naar: ProductCode::parse("bw-intramuraal").unwrap(),
            ..s.ambulantisering.clone().unwrap()
        }),
        ..Scenario::default()
    };
    assert_eq!(
        bad.volumes(&hand_volumes(), &region).unwrap_err().code,
        "scenario.product"
    );

    // Wlz 10 %: intramural 47 → 4,7 → 5 days leave; bw-thuis l1 41 → 4; l2 10 → 1;
    // committed 12 → 1.
    let w = Scenario {
        wlz_bp: Some(1000),
        ..Scenario::default()
    };
    let v = w.volumes(&hand_volumes(), &region).unwrap();
    let besluit: Vec<i64> = v
        .iter()
        .filter(|x| x.attribution == Attribution::Besluit)
        .map(|x| x.aantal)
        .collect();
    assert_eq!(besluit, vec![42, 9, 37, 11]);

    // The forecast, priced: 100 / 120 / 150 intramural days in June 2027.
    let f = Scenario {
        prognose: vec![crate::rapport::PrognoseRegel {
            maand: maand(2027, 6),
            product: ProductCode::parse("bw-intramuraal").unwrap(),
            leveringsvorm: Leveringsvorm::Zin,
            laag: 100,
            midden: 120,
            hoog: 150,
        }],
        wpb_vanaf: Some(2027),
        ..Scenario::default()
    };
    let e =
        crate::rapport::scenario_effect(&fin, &region, &model, &hand_volumes(), &[2027, 2028], &f)
            .unwrap();
    assert_eq!(
        e[0].prognose,
        Some((Cents(1_453_700), Cents(1_744_440), Cents(2_180_550)))
    );
    assert_eq!(e[1].prognose, None);
    // Base: own costs by decision (all A); scenario: by origin.
    let costs: Vec<(i64, i64)> = e[0]
        .gemeenten
        .iter()
        .map(|g| (g.kosten.0.0, g.kosten.1.0))
        .collect();
    assert_eq!(
        costs,
        vec![(1_043_882, 219_215), (0, 521_361), (0, 303_306)]
    );
    for y in &e {
        for side in [0, 1] {
            let s: i64 = y
                .gemeenten
                .iter()
                .map(|g| {
                    if side == 0 {
                        g.afrekening.0.settlement.0
                    } else {
                        g.afrekening.1.settlement.0
                    }
                })
                .sum();
            assert_eq!(s, 0);
        }
    }
}

/// Solidarity in the first years: with the ingroeipad starting only in 2030, B and C have no
/// budget in 2027 (historical money goes to the centrumgemeente) but pay their regional
/// shares (534.162 and 2.136.648 cents): shortfalls. A's surplus 115.050.000 − 360.643 −
/// 8.012.429 = 106.676.928 makes 50 % = 53.338.464 available, enough: B and C receive their
/// shortfall, A contributes 2.670.810. With the arrangement ending in 2026, nothing moves.
#[test]
fn solidarity_covers_shortfalls_in_the_first_years() {
    let fin = geld_met("startjaar = 2027", "startjaar = 2030").unwrap();
    let r = jaaroverzicht(
        &fin,
        &testregio(),
        &testmodel(),
        &hand_volumes(),
        2027,
        &Scenario::default(),
    )
    .unwrap();
    let sol: Vec<i64> = r
        .gemeenten
        .iter()
        .map(|g| g.afrekening.solidarity.0)
        .collect();
    assert_eq!(sol, vec![-2_670_810, 534_162, 2_136_648]);
    let before: Vec<i64> = r
        .gemeenten
        .iter()
        .map(|g| g.afrekening.result_before_solidarity.0)
        .collect();
    assert_eq!(before, vec![106_676_928, -534_162, -2_136_648]);
    assert!(
        r.gemeenten[1..]
            .iter()
            .all(|g| g.afrekening.result == Cents::ZERO)
    );
    let text = include_str!("testdata/testregio-geld.toml")
        .replacen("startjaar = 2027", "startjaar = 2030", 1)
        .replacen("fractie = \"50,00\"", "fractie = \"50,00\"\ntot = 2026", 1);
    let fin = FinanceProfile::parse(&text, &testregio()).unwrap();
    let r = jaaroverzicht(
        &fin,
        &testregio(),
        &testmodel(),
        &hand_volumes(),
        2027,
        &Scenario::default(),
    )
    .unwrap();
    assert!(
        r.gemeenten
            .iter()
            .all(|g| g.afrekening.solidarity == Cents::ZERO)
    );
    assert_eq!(r.gemeenten[2].afrekening.result, Cents(-2_136_648));
}
