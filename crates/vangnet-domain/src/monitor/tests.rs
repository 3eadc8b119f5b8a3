//! The day measures (issue 13) on hand-computed examples: the net-flow day representation,
//! corrections and back-dated facts, an attribution change mid-month, committed days.

use std::collections::BTreeMap;

use super::*;
use crate::events::{Melder, Urgentie, Woonsituatie};
use crate::ids::{ClientId, GemeenteCode, LocationId, ProductCode, RegionId};
use crate::region::{Domain, Unit};
use crate::state::{StreamEntry, fold_stream_observed};

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

struct Setup {
    regions: Regions,
    product: ProductCode,
    locatie: LocationId,
    /// A member gemeente that is not the centrumgemeente (the registration).
    herkomst: GemeenteCode,
    /// Another member gemeente (the responsible gemeente, when determined).
    ander: GemeenteCode,
    centrum: GemeenteCode,
}

fn setup() -> Setup {
    let regions = Regions::builtin();
    let p = regions
        .get(&RegionId::parse("centraal-gelderland").expect("id"))
        .expect("cg");
    let on = d("2024-01-01");
    let (product, locatie) = p
        .products
        .iter()
        .filter(|q| q.domain == Domain::Bw && q.unit == Unit::Plaats && q.valid_on(on))
        .find_map(|q| {
            p.locations
                .iter()
                .find(|l| l.places.contains_key(&q.code))
                .map(|l| (q.code.clone(), l.id.clone()))
        })
        .expect("a BW place");
    let members: Vec<GemeenteCode> = p
        .members_on(on)
        .map(|m| m.code)
        .filter(|g| *g != p.centrumgemeente)
        .collect();
    Setup {
        product,
        locatie,
        herkomst: members[0],
        ander: members[1],
        centrum: p.centrumgemeente,
        regions: regions.clone(),
    }
}

impl Setup {
    fn aanmelding(&self) -> ClientEvent {
        ClientEvent::Aanmelding {
            regio: RegionId::parse("centraal-gelderland").expect("id"),
            melder: Melder::Zelf,
            herkomst_gemeente: Some(self.herkomst),
            woonsituatie: Woonsituatie::Dakloos,
            urgentie: Urgentie::Regulier,
            voordeur: None,
        }
    }
    fn toewijzing(&self, start: &str, einde: &str, lv: Leveringsvorm) -> ClientEvent {
        ClientEvent::Toewijzing {
            product: self.product.clone(),
            start: d(start),
            einde: d(einde),
            leveringsvorm: lv,
            aanbieder: None,
        }
    }
    fn start(&self) -> ClientEvent {
        ClientEvent::StartZorg {
            product: self.product.clone(),
            locatie: self.locatie.clone(),
            overbezetting: None,
        }
    }
    fn woonplaats(&self, g: GemeenteCode) -> ClientEvent {
        ClientEvent::WoonplaatsBepaald {
            gemeente: g,
            berekend: g,
            afwijking: None,
            grond: None,
            regime: None,
            uitleg: None,
        }
    }

    /// The monitor tally of one client's stream (in recording order: versions 1, 2, …).
    fn tally(&self, facts: &[(&str, ClientEvent)]) -> Tally {
        let entries: Vec<StreamEntry<'_>> = facts
            .iter()
            .enumerate()
            .map(|(i, (on, e))| StreamEntry {
                version: i as u32 + 1,
                effective: d(on),
                event: e,
            })
            .collect();
        let mut t = Tally::new();
        fold_stream_observed(ClientId(1), &entries, &self.regions, &mut |b, on, e, a| {
            t.observe(&self.regions, b, on, e, a, 1)
        })
        .expect("stream folds");
        t
    }
}

fn einde() -> ClientEvent {
    ClientEvent::EindeZorg {
        bestemming: Bestemming::EigenWoningSociaal,
        woning: None,
    }
}

/// (stand, deel) per month of one key.
type Parts = BTreeMap<u32, (i64, i64)>;

/// Days and month-end people per (measure, month, gemeente, leveringsvorm) for the months
/// `from..=until`, decoded by the formula of [`Measure::is_day_count`].
fn days(t: &Tally, from: u32, until: u32) -> BTreeMap<(&'static str, u32, u16, u32), (i64, i64)> {
    let mut parts: BTreeMap<(&'static str, u16, u32), Parts> = BTreeMap::new();
    for (c, n) in t.nonzero() {
        if !c.measure.is_day_count() {
            continue;
        }
        let (lv, deel) = day_part(c.extra);
        let e = parts
            .entry((c.measure.key(), c.gemeente, lv))
            .or_default()
            .entry(c.maand)
            .or_insert((0, 0));
        if deel {
            e.1 += n;
        } else {
            e.0 += n;
        }
    }
    let mut out = BTreeMap::new();
    for ((m, g, lv), months) in parts {
        let mut stand = 0;
        let mut maand = crate::Maand::from_key(months.keys().next().copied().unwrap_or(from))
            .expect("month")
            .key()
            .min(from);
        while maand <= until {
            let (s, deel) = months.get(&maand).copied().unwrap_or((0, 0));
            let dagen = days_in_month(maand).expect("month") * stand + deel;
            stand += s;
            if maand >= from && (dagen != 0 || stand != 0) {
                out.insert((m, maand, g, lv), (dagen, stand));
            }
            maand = crate::Maand::from_key(maand).expect("month").plus(1).key();
        }
    }
    out
}

fn get(
    t: &BTreeMap<(&'static str, u32, u16, u32), (i64, i64)>,
    m: &str,
    maand: u32,
    g: GemeenteCode,
) -> (i64, i64) {
    t.iter()
        .filter(|((mm, ma, gg, _), _)| *mm == m && *ma == maand && *gg == g.number())
        .fold((0, 0), |a, (_, v)| (a.0 + v.0, a.1 + v.1))
}

/// Start 10 January 2024, end 20 February: 22 care days in January (10…31), 19 in February
/// (1…19; the day of `einde_zorg` is not a care day); one person at the end of January, none
/// at the end of February. Decided at the central front door (no front door recorded): the
/// centrumgemeente under today's law, the registration under the bill. Committed: decided
/// and allocated from 2 January, care from 10 January: 8 days (2…9).
#[test]
fn start_10_january_end_20_february() {
    let s = setup();
    let t = s.tally(&[
        ("2024-01-01", s.aanmelding()),
        (
            "2024-01-02",
            s.toewijzing("2024-01-02", "2024-12-31", Leveringsvorm::Zin),
        ),
        ("2024-01-10", s.start()),
        ("2024-02-20", einde()),
    ]);
    // The raw cells: stand +1 and deel +22 in January; stand −1 and deel −(29 − 20 + 1) in
    // February.
    let raw = |maand: u32, extra: u32| {
        t.nonzero()
            .filter(|(c, _)| {
                c.measure == Measure::Zorgdagen && c.maand == maand && c.extra == extra
            })
            .map(|(_, n)| n)
            .sum::<i64>()
    };
    assert_eq!((raw(202_401, 0), raw(202_401, 1)), (1, 22));
    assert_eq!((raw(202_402, 0), raw(202_402, 1)), (-1, -10));
    let v = days(&t, 202_401, 202_403);
    assert_eq!(get(&v, "zorgdagen", 202_401, s.centrum), (22, 1));
    assert_eq!(get(&v, "zorgdagen", 202_402, s.centrum), (19, 0));
    assert_eq!(get(&v, "zorgdagen", 202_403, s.centrum), (0, 0));
    assert_eq!(get(&v, "zorgdagen_wpb", 202_401, s.herkomst), (22, 1));
    assert_eq!(get(&v, "zorgdagen_wpb", 202_402, s.herkomst), (19, 0));
    assert_eq!(get(&v, "zorgdagen", 202_401, s.herkomst), (0, 0));
    assert_eq!(get(&v, "verplichte_dagen", 202_401, s.centrum), (8, 0));
    assert_eq!(get(&v, "verplichte_dagen_wpb", 202_401, s.herkomst), (8, 0));
    // After the care ended the allocation is used, not committed.
    assert_eq!(get(&v, "verplichte_dagen", 202_402, s.centrum), (0, 0));
    assert_eq!(get(&v, "verplichte_dagen", 202_403, s.centrum), (0, 0));
}

/// Correcting the start from 10 January to 5 February moves days from January to February
/// and from care to committed, and creates none: care + committed = 2 January … 19 February
/// = 30 + 19 = 49 days both times.
#[test]
fn a_corrected_start_moves_days_and_creates_none() {
    let s = setup();
    let mut facts = vec![
        ("2024-01-01", s.aanmelding()),
        (
            "2024-01-02",
            s.toewijzing("2024-01-02", "2024-12-31", Leveringsvorm::Pgb),
        ),
        ("2024-01-10", s.start()),
        ("2024-02-20", einde()),
    ];
    let total = |v: &BTreeMap<(&'static str, u32, u16, u32), (i64, i64)>, m: &str| {
        v.iter()
            .filter(|((mm, ..), _)| *mm == m)
            .map(|(_, x)| x.0)
            .sum::<i64>()
    };
    let before = days(&s.tally(&facts), 202_401, 202_412);
    assert_eq!(total(&before, "zorgdagen"), 22 + 19);
    assert_eq!(total(&before, "verplichte_dagen"), 8);
    // PGB: leveringsvorm code 1.
    assert!(before.keys().all(|k| k.3 == 1), "{before:?}");
    facts.push((
        "2024-02-05",
        ClientEvent::Correctie {
            corrigeert: 3,
            vervanging: Box::new(s.start()),
            reden: "startdatum gecorrigeerd".into(),
        },
    ));
    let after = days(&s.tally(&facts), 202_401, 202_412);
    assert_eq!(get(&after, "zorgdagen", 202_401, s.centrum), (0, 0));
    assert_eq!(get(&after, "zorgdagen", 202_402, s.centrum), (15, 0));
    assert_eq!(get(&after, "verplichte_dagen", 202_401, s.centrum), (30, 1));
    assert_eq!(get(&after, "verplichte_dagen", 202_402, s.centrum), (4, 0));
    for v in [&before, &after] {
        assert_eq!(total(v, "zorgdagen") + total(v, "verplichte_dagen"), 49);
        assert_eq!(
            total(v, "zorgdagen_wpb") + total(v, "verplichte_dagen_wpb"),
            49
        );
    }
}

/// An `einde_zorg` recorded after a later fact, back-dated to 20 February: the days end
/// there (the later `woonplaats_bepaald` of 1 March no longer moves care days).
#[test]
fn a_back_dated_end() {
    let s = setup();
    let t = s.tally(&[
        ("2024-01-01", s.aanmelding()),
        (
            "2024-01-02",
            s.toewijzing("2024-01-02", "2024-12-31", Leveringsvorm::Zin),
        ),
        ("2024-01-10", s.start()),
        ("2024-03-01", s.woonplaats(s.ander)),
        ("2024-02-20", einde()),
    ]);
    let v = days(&t, 202_401, 202_406);
    assert_eq!(get(&v, "zorgdagen", 202_402, s.centrum), (19, 0));
    assert_eq!(get(&v, "zorgdagen", 202_403, s.centrum), (0, 0));
    assert_eq!(get(&v, "zorgdagen_wpb", 202_402, s.herkomst), (19, 0));
    assert_eq!(get(&v, "zorgdagen_wpb", 202_403, s.ander), (0, 0));
}

/// A responsible gemeente determined on 15 March while in care since 10 January: under the
/// bill the registration has 22 + 29 + 14 days and the determined gemeente 17 in March (15…31)
/// and 30 in April; under today's law the centrumgemeente keeps all of them. Same totals.
#[test]
fn attribution_change_mid_month() {
    let s = setup();
    let t = s.tally(&[
        ("2024-01-01", s.aanmelding()),
        (
            "2024-01-02",
            s.toewijzing("2024-01-02", "2024-12-31", Leveringsvorm::Zin),
        ),
        ("2024-01-10", s.start()),
        ("2024-03-15", s.woonplaats(s.ander)),
    ]);
    let v = days(&t, 202_401, 202_404);
    assert_eq!(get(&v, "zorgdagen_wpb", 202_403, s.herkomst), (14, 0));
    assert_eq!(get(&v, "zorgdagen_wpb", 202_403, s.ander), (17, 1));
    assert_eq!(get(&v, "zorgdagen_wpb", 202_404, s.ander), (30, 1));
    assert_eq!(get(&v, "zorgdagen_wpb", 202_404, s.herkomst), (0, 0));
    assert_eq!(get(&v, "zorgdagen", 202_403, s.centrum), (31, 1));
    for m in [202_401, 202_402, 202_403, 202_404] {
        let sum = |name: &str| {
            v.iter()
                .filter(|((mm, ma, ..), _)| *mm == name && *ma == m)
                .map(|(_, x)| x.0)
                .sum::<i64>()
        };
        assert_eq!(sum("zorgdagen"), sum("zorgdagen_wpb"), "{m}");
    }
}

/// Committed days end at the allocation's last day (15 March: 30 + 29 + 15 days from 2
/// January) when care never starts; a decision later than the allocation's start commits
/// from the decision; a refusal before the allocation starts leaves no committed days.
#[test]
fn committed_days_end_at_allocation_end_or_start_of_care() {
    let s = setup();
    let t = s.tally(&[
        ("2024-01-01", s.aanmelding()),
        (
            "2024-01-02",
            s.toewijzing("2024-01-02", "2024-03-15", Leveringsvorm::Zin),
        ),
    ]);
    let v = days(&t, 202_401, 202_405);
    assert_eq!(get(&v, "verplichte_dagen", 202_401, s.centrum), (30, 1));
    assert_eq!(get(&v, "verplichte_dagen", 202_402, s.centrum), (29, 1));
    assert_eq!(get(&v, "verplichte_dagen", 202_403, s.centrum), (15, 0));
    assert_eq!(get(&v, "verplichte_dagen", 202_404, s.centrum), (0, 0));
    assert_eq!(
        get(&v, "verplichte_dagen_wpb", 202_403, s.herkomst),
        (15, 0)
    );

    // Decided on 10 January for an allocation from 1 January, care from 20 January: 10 days.
    let t = s.tally(&[
        ("2024-01-01", s.aanmelding()),
        (
            "2024-01-10",
            s.toewijzing("2024-01-01", "2024-03-15", Leveringsvorm::Zin),
        ),
        ("2024-01-20", s.start()),
    ]);
    let v = days(&t, 202_401, 202_405);
    assert_eq!(get(&v, "verplichte_dagen", 202_401, s.centrum), (10, 0));
    assert_eq!(get(&v, "zorgdagen", 202_401, s.centrum), (12, 1));
    // Care does not end with the allocation (an end is a fact).
    assert_eq!(get(&v, "zorgdagen", 202_405, s.centrum), (31, 1));

    // Allocated from 1 February, refused again on 20 January: nothing committed.
    let t = s.tally(&[
        ("2024-01-01", s.aanmelding()),
        (
            "2024-01-05",
            s.toewijzing("2024-02-01", "2024-03-15", Leveringsvorm::Zin),
        ),
        (
            "2024-01-20",
            ClientEvent::Afwijzing {
                reden: "heroverwogen".into(),
                casusregie: "wijkteam".into(),
            },
        ),
    ]);
    assert!(days(&t, 202_401, 202_405).is_empty());
    assert!(t.nonzero().all(|(c, _)| !c.measure.is_day_count()));
}

/// The route cells of a tally: (month, days, route) → count.
fn routes(t: &Tally) -> BTreeMap<(u32, u32, u32), i64> {
    let mut out = BTreeMap::new();
    for (c, n) in t.nonzero() {
        if c.measure == Measure::DoorlooptijdRoute {
            let (days, route) = route_part(c.extra);
            *out.entry((c.maand, days, route)).or_insert(0) += n;
        }
    }
    out
}

/// Issue 14: the lead time per route, where the decision falls. Applied 2 January 2024,
/// decided 16 January (14 days): central door → route 0; a local door → 1; local with advice
/// asked → 2; referred to the region → 3 (a referral counts before advice). Voiding the
/// referral moves the decision back to route 2 (the client's total is replaced).
#[test]
fn lead_time_per_route_where_the_decision_falls() {
    let s = setup();
    let lokaal = ClientEvent::Aanmelding {
        regio: RegionId::parse("centraal-gelderland").expect("id"),
        melder: Melder::Wijkteam,
        herkomst_gemeente: Some(s.herkomst),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: Some(crate::events::Voordeur::Lokaal {
            gemeente: s.herkomst,
        }),
    };
    let besluit = (
        "2024-01-16",
        s.toewijzing("2024-02-01", "2024-12-31", Leveringsvorm::Zin),
    );
    let advies = (
        "2024-01-05",
        ClientEvent::AdviesGevraagd {
            vraag: "BW?".into(),
        },
    );
    let antwoord = (
        "2024-01-08",
        ClientEvent::AdviesGegeven {
            vraag: 2,
            advies: "ja".into(),
        },
    );
    let verwijzing = (
        "2024-01-09",
        ClientEvent::Doorverwijzing {
            reden: "complex".into(),
        },
    );
    let one = |route| BTreeMap::from([((202401, 14, route), 1)]);
    assert_eq!(
        routes(&s.tally(&[("2024-01-02", s.aanmelding()), besluit.clone()])),
        one(0)
    );
    assert_eq!(
        routes(&s.tally(&[("2024-01-02", lokaal.clone()), besluit.clone()])),
        one(1)
    );
    assert_eq!(
        routes(&s.tally(&[
            ("2024-01-02", lokaal.clone()),
            advies.clone(),
            antwoord.clone(),
            besluit.clone()
        ])),
        one(2)
    );
    assert_eq!(
        routes(&s.tally(&[
            ("2024-01-02", lokaal.clone()),
            advies.clone(),
            antwoord.clone(),
            verwijzing.clone(),
            besluit.clone()
        ])),
        one(3)
    );
    // An afwijzing counts too (product 0); voiding the referral (version 4) re-routes.
    let afwijzing = (
        "2024-02-01",
        ClientEvent::Afwijzing {
            reden: "r".into(),
            casusregie: "wijkteam".into(),
        },
    );
    let t = s.tally(&[
        ("2024-01-02", lokaal.clone()),
        advies.clone(),
        antwoord.clone(),
        verwijzing.clone(),
        afwijzing,
        (
            "2024-02-02",
            ClientEvent::Intrekking {
                trekt_in: 4,
                reden: "fout".into(),
            },
        ),
    ]);
    assert_eq!(routes(&t), BTreeMap::from([((202402, 30, 2), 1)]));
    // The route measure counts exactly the decisions of dagen_tot_besluit.
    let besluiten: i64 = t
        .nonzero()
        .filter(|(c, _)| c.measure == Measure::DagenTotBesluit)
        .map(|(_, n)| n)
        .sum();
    assert_eq!(besluiten, 1);
}
