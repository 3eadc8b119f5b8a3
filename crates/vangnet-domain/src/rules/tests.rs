//! Table-driven rule tests from the seeds' criteria, per region.

use super::*;
use crate::ids::{ProductCode, RegionId};
use crate::region::Regions;

fn profile(id: &str) -> RegionProfile {
    Regions::builtin()
        .get(&RegionId::parse(id).unwrap())
        .unwrap()
        .clone()
}

fn product<'a>(p: &'a RegionProfile, code: &str) -> &'a Product {
    p.product(&ProductCode::parse(code).unwrap()).unwrap()
}

/// A complete BW case that meets seed 001 §3.1.
fn eligible_bw() -> CaseFacts {
    let mut zrm = [Some(3u8); ZRM_DOMAINS];
    zrm[3] = Some(1);
    zrm[5] = Some(2);
    CaseFacts {
        leeftijd: Some(34),
        rechtmatig_verblijf: Some(true),
        psychische_problematiek: Some(true),
        toezicht_nodig: Some(true),
        zrm,
        woonsituatie: Some(Woonsituatie::Thuis),
        acute_crisis: Some(false),
        wlz_voorliggend: Some(false),
        zvw_voorliggend: Some(false),
        wmo_ambulant_voorliggend: Some(false),
    }
}

#[test]
fn centraal_gelderland_bw_criteria_of_seed_001() {
    let p = profile("centraal-gelderland");
    let bw = product(&p, "bw-beschermd-wonen");
    type Case = (&'static str, fn(&mut CaseFacts), Option<bool>, &'static str);
    let cases: Vec<Case> = vec![
        ("all met", |_| {}, Some(true), ""),
        (
            "minor",
            |f| f.leeftijd = Some(17),
            Some(false),
            "meerderjarig",
        ),
        (
            "no lawful residence",
            |f| f.rechtmatig_verblijf = Some(false),
            Some(false),
            "rechtmatig_verblijf",
        ),
        (
            "no psychiatric problems",
            |f| f.psychische_problematiek = Some(false),
            Some(false),
            "psychische_problematiek",
        ),
        (
            "ambulant support suffices",
            |f| f.toezicht_nodig = Some(false),
            Some(false),
            "toezicht_nodig",
        ),
        (
            "acute crisis (contra)",
            |f| f.acute_crisis = Some(true),
            Some(false),
            "geen_acute_crisis",
        ),
        (
            "Wlz first (contra)",
            |f| f.wlz_voorliggend = Some(true),
            Some(false),
            "wlz_niet_voorliggend",
        ),
        (
            "Zvw first (contra)",
            |f| f.zvw_voorliggend = Some(true),
            Some(false),
            "zvw_niet_voorliggend",
        ),
        (
            "Wmo ambulant first (contra)",
            |f| f.wmo_ambulant_voorliggend = Some(true),
            Some(false),
            "wmo_ambulant_niet_voorliggend",
        ),
        (
            "supervision need unknown",
            |f| f.toezicht_nodig = None,
            None,
            "toezicht_nodig",
        ),
        ("age unknown", |f| f.leeftijd = None, None, "meerderjarig"),
    ];
    for (name, change, expected, key) in cases {
        let mut f = eligible_bw();
        change(&mut f);
        let ev = evaluate(&p, bw, &f);
        assert_eq!(ev.eligible(), expected, "{name}: {}", ev.advice());
        if !key.is_empty() {
            let r = ev.rules.iter().find(|r| r.key == key).unwrap();
            assert_ne!(r.outcome, Outcome::Voldaan, "{name}");
            assert!(
                r.regel > 0 && r.bron.contains("001"),
                "{name}: rule cites its profile line and seed"
            );
        }
    }
    // Every rule carries the fact it used.
    let ev = evaluate(&p, bw, &eligible_bw());
    assert_eq!(ev.rules.len(), 8);
    assert!(ev.rules.iter().all(|r| !r.feit.is_empty()));
}

#[test]
fn meierij_requires_two_zrm_domains() {
    let p = profile("meierij-bommelerwaard");
    let bw = product(&p, "bw-all-inclusive");
    let mut f = eligible_bw();
    assert_eq!(evaluate(&p, bw, &f).eligible(), Some(true));
    f.zrm = [Some(3); ZRM_DOMAINS];
    f.zrm[0] = Some(2);
    let ev = evaluate(&p, bw, &f);
    assert_eq!(
        ev.eligible(),
        Some(false),
        "one problem domain is not enough: {}",
        ev.advice()
    );
    let r = ev
        .rules
        .iter()
        .find(|r| r.key == "zrm_twee_domeinen")
        .unwrap();
    assert!(r.feit.contains("1 ZRM-domeinen"), "{}", r.feit);
    // Half scored with one problem: could still reach two → unknown, listed as missing.
    f.zrm = [None; ZRM_DOMAINS];
    f.zrm[0] = Some(1);
    let ev = evaluate(&p, bw, &f);
    assert_eq!(ev.eligible(), None);
    assert!(
        ev.missing()
            .iter()
            .any(|m| m.contains("zelfredzaamheidsmatrix"))
    );
}

#[test]
fn mo_needs_homelessness_and_youth_shelter_its_age_band() {
    let p = profile("meierij-bommelerwaard");
    let jong = product(&p, "mo-jongerenopvang");
    let mut f = CaseFacts {
        leeftijd: Some(20),
        woonsituatie: Some(Woonsituatie::Dakloos),
        ..Default::default()
    };
    // Seed 003 applies its ZRM criterion to MO as well: unknown until the ZRM is scored.
    assert_eq!(evaluate(&p, jong, &f).eligible(), None);
    f.zrm[0] = Some(1);
    f.zrm[3] = Some(2);
    assert_eq!(
        evaluate(&p, jong, &f).eligible(),
        Some(true),
        "{}",
        evaluate(&p, jong, &f).advice()
    );
    f.leeftijd = Some(26);
    let ev = evaluate(&p, jong, &f);
    assert_eq!(ev.eligible(), Some(false));
    assert!(ev.advice().contains("Leeftijd 18–24"), "{}", ev.advice());
    f.leeftijd = Some(20);
    f.woonsituatie = Some(Woonsituatie::Thuis);
    assert_eq!(evaluate(&p, jong, &f).eligible(), Some(false));
    // BW criteria do not apply to MO.
    assert!(
        evaluate(&p, jong, &f)
            .rules
            .iter()
            .all(|r| r.key != "psychische_problematiek")
    );
}

#[test]
fn every_region_has_explained_bw_and_mo_rules() {
    for p in Regions::builtin().all() {
        let bw = p.products.iter().find(|x| x.domain == Domain::Bw).unwrap();
        let ev = evaluate(p, bw, &eligible_bw());
        assert_eq!(ev.eligible(), Some(true), "{}: {}", p.id, ev.advice());
        // Drechtsteden's own seed (004 §2.3) gives age (assumed), problems and self-reliance:
        // three rules for BW; the others have more.
        assert!(ev.rules.len() >= 3, "{}", p.id);
        if let Some(mo) = p
            .products
            .iter()
            .find(|x| x.domain == Domain::Mo && x.min_age.is_none())
        {
            // Problems on two ZRM domains: seed 003 applies its ZRM criterion to MO too.
            let mut zrm = [None; ZRM_DOMAINS];
            zrm[0] = Some(1);
            zrm[1] = Some(2);
            let f = CaseFacts {
                leeftijd: Some(40),
                woonsituatie: Some(Woonsituatie::Dakloos),
                zrm,
                ..Default::default()
            };
            assert_eq!(evaluate(p, mo, &f).eligible(), Some(true), "{}", p.id);
        }
        assert_eq!(
            p.regime_on(crate::date::Date::parse("2025-01-01").unwrap()),
            crate::woonplaats::Regime::Huidig
        );
    }
}

#[test]
fn profile_errors_in_criteria_name_the_line() {
    let text =
        crate::region::BUILTIN[1]
            .1
            .replacen("test = \"toezicht_nodig\"", "test = \"toezicht\"", 1);
    let errs = RegionProfile::parse(&text).unwrap_err();
    let line = text
        .lines()
        .position(|l| l.contains("test = \"toezicht\""))
        .unwrap()
        + 1;
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].line, line);
    assert!(
        errs[0].message.contains("onbekende test 'toezicht'"),
        "{errs:?}"
    );
}
