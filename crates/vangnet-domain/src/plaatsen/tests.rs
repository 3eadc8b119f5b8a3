//! Tests of places over time: the checks by code (overlap in each form), `places_on` and the
//! derived periods (a property test over random period sets: disjoint, covering, equal to
//! `places_on`), and occupancy/free places on a small written-out history against a hand
//! count.

use super::*;
use crate::events::{Bestemming, ClientEvent, Leveringsvorm, Melder, Urgentie, Woonsituatie};
use crate::ids::{ClientId, GemeenteCode, RegionId};
use crate::region::Regions;
use crate::state::{OpenVoorstel, StreamEntry, Tijdelijk, fold_stream_as_of};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

struct Fx {
    regions: Regions,
    profile: RegionProfile,
    /// A location and one of its products (with places in the profile).
    loc: LocationId,
    product: ProductCode,
    base: u32,
    /// Another location × product of the region.
    loc2: LocationId,
    product2: ProductCode,
    /// A location that does not offer `product`.
    loc_without: LocationId,
}

fn fx() -> Fx {
    let regions = Regions::builtin();
    let profile = regions
        .get(&RegionId::parse("centraal-gelderland").unwrap())
        .unwrap()
        .clone();
    let on = d("2025-01-01");
    let (loc, product, base) = profile
        .locations
        .iter()
        .find_map(|l| {
            l.places
                .iter()
                .find(|(p, n)| {
                    **n >= 5
                        && profile.product(p).is_some_and(|x| {
                            x.valid_on(on) && x.max_months.is_none() && x.min_age.is_none()
                        })
                })
                .map(|(p, n)| (l.id.clone(), p.clone(), *n))
        })
        .expect("a location with a product of at least 5 places");
    let (loc2, product2) = profile
        .locations
        .iter()
        .filter(|l| l.id != loc)
        .find_map(|l| l.places.keys().next().map(|p| (l.id.clone(), p.clone())))
        .unwrap();
    let loc_without = profile
        .locations
        .iter()
        .find(|l| !l.places.contains_key(&product))
        .unwrap()
        .id
        .clone();
    Fx {
        regions,
        profile,
        loc,
        product,
        base,
        loc2,
        product2,
        loc_without,
    }
}

impl Fx {
    fn periode(
        &self,
        soort: CapaciteitSoort,
        vanaf: &str,
        tot: Option<&str>,
        n: u32,
    ) -> CapaciteitPeriode {
        CapaciteitPeriode {
            locatie: self.loc.clone(),
            product: self.product.clone(),
            vanaf: d(vanaf),
            tot: tot.map(d),
            plaatsen: n,
            soort,
            reden: "afspraak met de aanbieder (fictief)".into(),
        }
    }
}

#[test]
fn the_checks_refuse_by_code() {
    let f = fx();
    let ok = f.periode(CapaciteitSoort::Afbouw, "2026-03-01", None, 3);
    assert_eq!(check_periode(&f.profile, &ok, &[]), Ok(()));
    let code = |p: &CapaciteitPeriode, existing: &[CapaciteitPeriode]| {
        check_periode(&f.profile, p, existing)
            .err()
            .map(|e| (e.code, e.field))
    };
    let cases: Vec<(CapaciteitPeriode, (&str, &str))> = vec![
        (
            CapaciteitPeriode {
                locatie: LocationId::parse("bestaat-niet").unwrap(),
                ..ok.clone()
            },
            ("capaciteit.locatie_onbekend", "locatie"),
        ),
        (
            CapaciteitPeriode {
                product: ProductCode::parse("bestaat-niet").unwrap(),
                ..ok.clone()
            },
            ("capaciteit.product_onbekend", "product"),
        ),
        (
            CapaciteitPeriode {
                locatie: f.loc_without.clone(),
                ..ok.clone()
            },
            ("capaciteit.product_niet_aangeboden", "product"),
        ),
        (
            f.periode(
                CapaciteitSoort::Tijdelijk,
                "2026-03-01",
                Some("2026-02-28"),
                3,
            ),
            ("capaciteit.tot_voor_vanaf", "tot"),
        ),
        (
            f.periode(
                CapaciteitSoort::Opbouw,
                "2026-03-01",
                None,
                MAX_PLAATSEN + 1,
            ),
            ("capaciteit.te_veel_plaatsen", "plaatsen"),
        ),
        (
            f.periode(CapaciteitSoort::Sluiting, "2026-03-01", None, 1),
            ("capaciteit.sluiting_met_plaatsen", "plaatsen"),
        ),
        (
            f.periode(CapaciteitSoort::Opening, "2026-03-01", None, 0),
            ("capaciteit.opening_zonder_plaatsen", "plaatsen"),
        ),
        (
            f.periode(CapaciteitSoort::Tijdelijk, "2026-03-01", None, 1),
            ("capaciteit.tijdelijk_zonder_einde", "tot"),
        ),
        (
            CapaciteitPeriode {
                reden: "  ".into(),
                ..ok.clone()
            },
            ("capaciteit.reden_ontbreekt", "reden"),
        ),
        (
            f.periode(CapaciteitSoort::Afbouw, "2200-01-01", None, 1),
            ("capaciteit.datum_buiten_bereik", "vanaf"),
        ),
    ];
    for (p, want) in &cases {
        assert_eq!(code(p, &[]), Some(*want), "{p:?}");
    }
    // Overlap, in each form, naming the existing period.
    let temp = f.periode(
        CapaciteitSoort::Tijdelijk,
        "2026-04-01",
        Some("2026-04-30"),
        1,
    );
    let existing = vec![ok.clone(), temp.clone()];
    let overlaps = [
        // The same start as a step.
        (
            f.periode(CapaciteitSoort::Opbouw, "2026-03-01", None, 9),
            "vanaf",
        ),
        // A start inside the bounded period.
        (
            f.periode(CapaciteitSoort::Opbouw, "2026-04-15", None, 9),
            "vanaf",
        ),
        (
            f.periode(CapaciteitSoort::Opbouw, "2026-04-30", None, 9),
            "vanaf",
        ),
        // A bounded period containing another's start.
        (
            f.periode(
                CapaciteitSoort::Tijdelijk,
                "2026-02-01",
                Some("2026-03-01"),
                9,
            ),
            "tot",
        ),
        (
            f.periode(
                CapaciteitSoort::Tijdelijk,
                "2026-03-15",
                Some("2026-05-01"),
                9,
            ),
            "tot",
        ),
    ];
    for (p, field) in &overlaps {
        let e = check_periode(&f.profile, p, &existing).unwrap_err();
        assert_eq!((e.code, e.field), ("capaciteit.overlap", *field), "{p:?}");
        assert!(
            e.message.contains("overlapt met de bestaande periode"),
            "{}",
            e.message
        );
    }
    let e = check_periode(
        &f.profile,
        &f.periode(CapaciteitSoort::Opbouw, "2026-04-15", None, 9),
        &existing,
    )
    .unwrap_err();
    assert!(
        e.message.contains("01-04-2026 t/m 30-04-2026"),
        "{}",
        e.message
    );
    // Not overlapping: the day after the bounded period, a bounded period inside a step,
    // the same dates at another location × product.
    for p in [
        f.periode(CapaciteitSoort::Opbouw, "2026-05-01", None, 9),
        f.periode(
            CapaciteitSoort::Tijdelijk,
            "2026-03-02",
            Some("2026-03-31"),
            9,
        ),
        CapaciteitPeriode {
            locatie: f.loc2.clone(),
            product: f.product2.clone(),
            ..f.periode(CapaciteitSoort::Opbouw, "2026-03-01", None, 9)
        },
    ] {
        assert_eq!(check_periode(&f.profile, &p, &existing), Ok(()), "{p:?}");
    }
}

#[test]
fn places_on_follows_steps_and_temporary_periods() {
    let f = fx();
    let afbouw = f.periode(CapaciteitSoort::Afbouw, "2026-03-01", None, 3);
    let temp = f.periode(
        CapaciteitSoort::Tijdelijk,
        "2026-06-01",
        Some("2026-06-30"),
        1,
    );
    let sluiting = f.periode(CapaciteitSoort::Sluiting, "2027-01-01", None, 0);
    let cap = Capaciteit::new(&f.profile, [&afbouw, &temp, &sluiting]);
    let at = |s: &str| cap.places_on(&f.loc, &f.product, d(s));
    assert_eq!(at("2020-01-01"), f.base);
    assert_eq!(at("2026-02-28"), f.base);
    assert_eq!(at("2026-03-01"), 3);
    assert_eq!(at("2026-05-31"), 3);
    assert_eq!(at("2026-06-01"), 1);
    assert_eq!(at("2026-06-30"), 1);
    assert_eq!(
        at("2026-07-01"),
        3,
        "the capacity returns after a temporary period"
    );
    assert_eq!(at("2027-01-01"), 0);
    assert_eq!(
        cap.places_on(&f.loc_without, &f.product, d("2026-01-01")),
        0,
        "no capacity where the product is not offered"
    );
    let periods = cap.perioden(&f.loc, &f.product);
    let got: Vec<_> = periods
        .iter()
        .map(|p| (p.van, p.tot, p.plaatsen, p.bron))
        .collect();
    assert_eq!(
        got,
        vec![
            (None, Some(d("2026-02-28")), f.base, None),
            (Some(d("2026-03-01")), Some(d("2026-05-31")), 3, Some(0)),
            (Some(d("2026-06-01")), Some(d("2026-06-30")), 1, Some(1)),
            (Some(d("2026-07-01")), Some(d("2026-12-31")), 3, Some(0)),
            (Some(d("2027-01-01")), None, 0, Some(2)),
        ]
    );
}

/// Property: for random sets of accepted periods, the derived periods are disjoint and cover
/// every day (from the beginning, without end, each starting the day after the previous),
/// and each says the places `places_on` gives on its days.
#[test]
fn derived_periods_are_disjoint_covering_and_equal_places_on() {
    let f = fx();
    let soorten = CapaciteitSoort::ALL;
    for seed in 0..300u64 {
        let mut rng = crate::rng::Rng::new(seed);
        let origin = d("2026-01-01");
        let mut accepted: Vec<CapaciteitPeriode> = Vec::new();
        for _ in 0..rng.range(1, 12) {
            let vanaf = origin.add_days(rng.range(0, 400) as i32);
            let tot = rng
                .chance(0.4)
                .then(|| vanaf.add_days(rng.range(0, 90) as i32));
            let soort = *rng.pick(&soorten);
            let p = CapaciteitPeriode {
                vanaf,
                tot,
                ..f.periode(soort, "2026-01-01", None, rng.range(0, 40) as u32)
            };
            if check_periode(&f.profile, &p, &accepted).is_ok() {
                accepted.push(p);
            }
        }
        let cap = Capaciteit::new(&f.profile, &accepted);
        let periods = cap.perioden(&f.loc, &f.product);
        assert_eq!(periods.first().unwrap().van, None, "seed {seed}");
        assert_eq!(periods.last().unwrap().tot, None, "seed {seed}");
        for w in periods.windows(2) {
            let end = w[0].tot.expect("only the last is open");
            assert_eq!(Some(end.add_days(1)), w[1].van, "seed {seed}: {periods:?}");
            assert!(w[1].van.unwrap() > w[0].van.unwrap_or(d("1900-01-01")));
        }
        for day in -5..500 {
            let on = origin.add_days(day);
            let p = periods
                .iter()
                .find(|p| p.van.is_none_or(|v| v <= on) && p.tot.is_none_or(|t| on <= t))
                .expect("covering");
            assert_eq!(
                p.plaatsen,
                cap.places_on(&f.loc, &f.product, on),
                "seed {seed} {on}"
            );
            assert_eq!(
                periods
                    .iter()
                    .filter(|p| p.van.is_none_or(|v| v <= on) && p.tot.is_none_or(|t| on <= t))
                    .count(),
                1,
                "disjoint"
            );
        }
    }
}

/// Issue 14: "Occupancy and free places from events equal a hand count on a small
/// written-out history." Four clients at one location × product whose capacity is reduced
/// (afbouw to 2 places from 1 March), folded as of several days:
///
/// | client | facts                                                                  |
/// |--------|------------------------------------------------------------------------|
/// | A      | start zorg 03-02, einde zorg 01-05                                     |
/// | B      | start zorg 01-03, uitstroomklaar 01-04                                 |
/// | C      | toewijzing only; proposal for the location 15-03 … 31-03               |
/// | D      | start zorg 10-02; a temporary stay at another location 10-03 … 12-03  |
///
/// | day   | places | occupied    | reserved | blocked | free |
/// |-------|--------|-------------|----------|---------|------|
/// | 05-02 | base   | 1 (A)       | 0        | 0       | base − 1 |
/// | 11-03 | 2      | 3 (A, B, D) | 0        | 0       | −1   |
/// | 20-03 | 2      | 3           | 1 (C)    | 0       | −2   |
/// | 15-04 | 2      | 3           | 0        | 1 (B)   | −1   |
/// | 02-05 | 2      | 2 (B, D)    | 0        | 1       | 0    |
///
/// and on 11-03 the other location × product has D's temporary stay: 1 occupied.
#[test]
fn occupancy_and_free_places_from_events_equal_a_hand_count() {
    let f = fx();
    let aanmelding = ClientEvent::Aanmelding {
        regio: f.profile.id.clone(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: Some(GemeenteCode::parse("GM0226").unwrap()),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    };
    let toewijzing = ClientEvent::Toewijzing {
        product: f.product.clone(),
        start: d("2025-02-01"),
        einde: d("2026-01-31"),
        leveringsvorm: Leveringsvorm::Zin,
        aanbieder: None,
    };
    let start = ClientEvent::StartZorg {
        product: f.product.clone(),
        locatie: f.loc.clone(),
        overbezetting: None,
    };
    let einde = ClientEvent::EindeZorg {
        bestemming: Bestemming::HousingFirst,
        woning: None,
    };
    let prelude = vec![
        (d("2025-01-02"), aanmelding.clone()),
        (d("2025-01-10"), toewijzing.clone()),
    ];
    let stream = |extra: Vec<(Date, ClientEvent)>| {
        let mut v = prelude.clone();
        v.extend(extra);
        v
    };
    let histories: Vec<Vec<(Date, ClientEvent)>> = vec![
        stream(vec![
            (d("2025-02-03"), start.clone()),
            (d("2025-05-01"), einde),
        ]),
        stream(vec![
            (d("2025-03-01"), start.clone()),
            (d("2025-04-01"), ClientEvent::Uitstroomklaar),
        ]),
        stream(vec![]),
        stream(vec![(d("2025-02-10"), start.clone())]),
    ];
    let afbouw = f.periode(CapaciteitSoort::Afbouw, "2025-03-01", None, 2);
    let cap = Capaciteit::new(&f.profile, [&afbouw]);
    let provider = f.profile.location(&f.loc).unwrap().provider;
    let loc2 = f.profile.location(&f.loc2).unwrap();
    let states_on = |on: Date| -> Vec<ClientState> {
        histories
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let entries: Vec<StreamEntry<'_>> = h
                    .iter()
                    .enumerate()
                    .map(|(v, (eff, e))| StreamEntry {
                        version: v as u32 + 1,
                        effective: *eff,
                        event: e,
                    })
                    .collect();
                let mut s = fold_stream_as_of(ClientId(i as u64 + 1), &entries, &f.regions, on)
                    .unwrap()
                    .unwrap();
                // The network's facts (proposal, temporary stay) are folded by feat/feiten;
                // here they are the state fields they produce.
                if i == 2 {
                    s.voorstel = (d("2025-03-15") <= on).then(|| OpenVoorstel {
                        versie: 3,
                        sinds: d("2025-03-15"),
                        locatie: f.loc.clone(),
                        aanbieder: provider,
                        product: f.product.clone(),
                        geldig_tot: d("2025-03-31"),
                        akkoord: None,
                    });
                }
                if i == 3 && on >= d("2025-03-10") {
                    s.tijdelijk = Some(Tijdelijk {
                        product: f.product2.clone(),
                        locatie: f.loc2.clone(),
                        aanbieder: loc2.provider,
                        van: d("2025-03-10"),
                        tot: d("2025-03-12"),
                    });
                }
                s
            })
            .collect()
    };
    let stand_on = |on: &str| {
        let on = d(on);
        let states = states_on(on);
        stand(&cap, &Bezetting::of_states(&states, on), on)
    };
    let row = |rows: &[PlaatsStand], loc: &LocationId, product: &ProductCode| {
        let r = rows
            .iter()
            .find(|r| r.locatie == *loc && r.product == *product)
            .expect("a row");
        (r.plaatsen, r.bezet, r.gereserveerd, r.geblokkeerd, r.vrij)
    };
    let base = f.base;
    let table = [
        ("2025-02-05", (base, 1, 0, 0, i64::from(base) - 1)),
        ("2025-03-11", (2, 3, 0, 0, -1)),
        ("2025-03-20", (2, 3, 1, 0, -2)),
        ("2025-04-15", (2, 3, 0, 1, -1)),
        ("2025-05-02", (2, 2, 0, 1, 0)),
    ];
    for (on, want) in table {
        assert_eq!(row(&stand_on(on), &f.loc, &f.product), want, "{on}");
    }
    let other = row(&stand_on("2025-03-11"), &f.loc2, &f.product2);
    assert_eq!(
        other.1, 1,
        "the temporary stay occupies its location's product"
    );
    assert_eq!(row(&stand_on("2025-03-13"), &f.loc2, &f.product2).1, 0);
    // An accepted proposal keeps its reservation after geldig_tot until the start.
    let on = d("2025-04-15");
    let mut states = states_on(on);
    if let Some(v) = states[2].voorstel.as_mut() {
        v.akkoord = Some(d("2025-03-20"));
    }
    let rows = stand(&cap, &Bezetting::of_states(&states, on), on);
    assert_eq!(row(&rows, &f.loc, &f.product).2, 1);
}

#[test]
fn kinds_round_trip_their_keys() {
    for s in CapaciteitSoort::ALL {
        assert_eq!(CapaciteitSoort::parse(s.key()), Some(s));
    }
    assert_eq!(CapaciteitSoort::parse("onbekend"), None);
}
