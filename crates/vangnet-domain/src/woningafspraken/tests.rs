//! Realisation and spreiding on a written-out history of six clients in Nijmegen en
//! Rivierenland in 2025, counted by hand, through the monitor's contributions (the same
//! path the page reads): facts → monitor cells → [`telling_uit_cel`] → [`realisatie`].

use super::*;
use crate::events::{
    Bestemming, ClientEvent, Leveringsvorm, Melder, Urgentie, Woningtype, Woonbehoefte,
    Woonbestemming, Woonsituatie,
};
use crate::ids::{ClientId, LocationId, ProductCode, RegionId};
use crate::monitor::Tally;
use crate::region::{Domain, Regions, Unit};
use crate::state::{StreamEntry, fold_stream_observed};

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn g(s: &str) -> GemeenteCode {
    GemeenteCode::parse(s).expect("gemeente")
}

struct H {
    regions: Regions,
    product: ProductCode,
    locatie: LocationId,
}

fn setup() -> H {
    let regions = Regions::builtin();
    let p = regions.get(&nr()).expect("nr").clone();
    let on = d("2025-01-01");
    let (product, locatie) = p
        .products
        .iter()
        .filter(|q| q.domain == Domain::Bw && q.unit == Unit::Plaats && q.valid_on(on))
        .find_map(|q| {
            p.locations
                .iter()
                .find(|l| l.places.get(&q.code).is_some_and(|n| *n >= 10))
                .map(|l| (q.code.clone(), l.id.clone()))
        })
        .expect("a BW place");
    H {
        regions,
        product,
        locatie,
    }
}

fn nr() -> RegionId {
    RegionId::parse("nijmegen-rivierenland").expect("id")
}

fn behoefte(route: WoonRoute, gemeente: &str, verwacht: Option<&str>) -> ClientEvent {
    ClientEvent::Woonbehoefte(Woonbehoefte {
        woningtype: Woningtype::Studio,
        prikkelarm: false,
        gemeenten: vec![g(gemeente)],
        ambulante_begeleiding: true,
        route,
        verwacht_klaar: verwacht.map(d),
    })
}

fn aanbod(corporatie: &str, gemeente: &str, route: WoonRoute, voor: &str) -> ClientEvent {
    ClientEvent::Woningaanbod {
        corporatie: corporatie.into(),
        gemeente: g(gemeente),
        woningtype: Woningtype::Studio,
        route,
        reageren_voor: d(voor),
    }
}

fn antwoord(aanbod: u32, akkoord: bool) -> ClientEvent {
    ClientEvent::AanbodAntwoord {
        aanbod,
        akkoord,
        reden: if akkoord { "" } else { "te ver van familie" }.into(),
    }
}

fn einde(b: Bestemming, gemeente: &str, w: Woningtype) -> ClientEvent {
    ClientEvent::EindeZorg {
        bestemming: b,
        woning: Some(Woonbestemming {
            gemeente: g(gemeente),
            woningtype: w,
        }),
    }
}

impl H {
    /// Aanmelding (herkomst Nijmegen), toewijzing and start of care in January 2025:
    /// versions 1–3.
    fn in_zorg(&self) -> Vec<(&'static str, ClientEvent)> {
        vec![
            (
                "2025-01-02",
                ClientEvent::Aanmelding {
                    regio: nr(),
                    melder: Melder::Zelf,
                    herkomst_gemeente: Some(g("GM0268")),
                    woonsituatie: Woonsituatie::Dakloos,
                    urgentie: Urgentie::Regulier,
                    voordeur: None,
                },
            ),
            (
                "2025-01-03",
                ClientEvent::Toewijzing {
                    product: self.product.clone(),
                    start: d("2025-01-03"),
                    einde: d("2026-12-31"),
                    leveringsvorm: Leveringsvorm::Zin,
                    aanbieder: None,
                },
            ),
            (
                "2025-01-10",
                ClientEvent::StartZorg {
                    product: self.product.clone(),
                    locatie: self.locatie.clone(),
                    overbezetting: None,
                },
            ),
        ]
    }

    fn tally(&self, clients: &[Vec<(&'static str, ClientEvent)>]) -> Tally {
        let mut t = Tally::new();
        for (i, facts) in clients.iter().enumerate() {
            let entries: Vec<StreamEntry<'_>> = facts
                .iter()
                .enumerate()
                .map(|(v, (on, e))| StreamEntry {
                    version: v as u32 + 1,
                    effective: d(on),
                    event: e,
                })
                .collect();
            fold_stream_observed(
                ClientId(i as u64 + 1),
                &entries,
                &self.regions,
                &mut |b, on, e, a| t.observe(&self.regions, b, on, e, a, 1),
            )
            .unwrap_or_else(|e| panic!("client {}: {e:?}", i + 1));
        }
        t
    }
}

/// The history, versions counted from 1 (three care facts first):
/// - A: uitstroomklaar 1 Feb (4), Housing First need (5), offer by Waalstad in Nijmegen
///   under Housing First 3 Mar (6), accepted 10 Mar, tenancy 1 Apr, moved 15 Apr, care
///   ended 20 Apr to a Housing First studio in Nijmegen;
/// - B: uitstroomklaar 1 Feb, regular need, Waalstad offer in Nijmegen 5 Mar (6) refused
///   12 Mar, second offer 2 May (8) accepted 6 May, tenancy 2 Jun, moved 10 Jun, care ended
///   30 Jun to a social-rental flat in Nijmegen;
/// - C: uitstroomklaar 1 Feb, regular need in Wijchen, Rivierhuis offer 2 Jun accepted
///   5 Jun, tenancy 1 Jul (no move yet);
/// - D: care ended 15 Aug to a home in Tiel (no offer recorded);
/// - E: care ended 15 Sep to a home in Arnhem (outside the region);
/// - F: a need recorded 1 Mar, expected ready 15 Oct: a candidate from 15 Jul, no fact then.
fn history(h: &H) -> Vec<Vec<(&'static str, ClientEvent)>> {
    use WoonRoute::*;
    let with = |rest: Vec<(&'static str, ClientEvent)>| {
        let mut v = h.in_zorg();
        v.extend(rest);
        v
    };
    vec![
        with(vec![
            ("2025-02-01", ClientEvent::Uitstroomklaar),
            ("2025-02-01", behoefte(HousingFirst, "GM0268", None)),
            (
                "2025-03-03",
                aanbod("waalstad", "GM0268", HousingFirst, "2025-03-17"),
            ),
            ("2025-03-10", antwoord(6, true)),
            (
                "2025-04-01",
                ClientEvent::Huurovereenkomst {
                    aanbod: 6,
                    ingangsdatum: d("2025-04-15"),
                },
            ),
            ("2025-04-15", ClientEvent::Verhuizing { aanbod: 6 }),
            (
                "2025-04-20",
                einde(Bestemming::HousingFirst, "GM0268", Woningtype::Studio),
            ),
        ]),
        with(vec![
            ("2025-02-01", ClientEvent::Uitstroomklaar),
            ("2025-02-01", behoefte(Regulier, "GM0268", None)),
            (
                "2025-03-05",
                aanbod("waalstad", "GM0268", Regulier, "2025-03-19"),
            ),
            ("2025-03-12", antwoord(6, false)),
            (
                "2025-05-02",
                aanbod("waalstad", "GM0268", Regulier, "2025-05-16"),
            ),
            ("2025-05-06", antwoord(8, true)),
            (
                "2025-06-02",
                ClientEvent::Huurovereenkomst {
                    aanbod: 8,
                    ingangsdatum: d("2025-06-10"),
                },
            ),
            ("2025-06-10", ClientEvent::Verhuizing { aanbod: 8 }),
            (
                "2025-06-30",
                einde(
                    Bestemming::EigenWoningSociaal,
                    "GM0268",
                    Woningtype::Appartement,
                ),
            ),
        ]),
        with(vec![
            ("2025-02-01", ClientEvent::Uitstroomklaar),
            ("2025-02-01", behoefte(Regulier, "GM0296", None)),
            (
                "2025-06-02",
                aanbod("rivierhuis", "GM0296", Regulier, "2025-06-16"),
            ),
            ("2025-06-05", antwoord(6, true)),
            (
                "2025-07-01",
                ClientEvent::Huurovereenkomst {
                    aanbod: 6,
                    ingangsdatum: d("2025-07-15"),
                },
            ),
        ]),
        with(vec![(
            "2025-08-15",
            einde(
                Bestemming::EigenWoningOverig,
                "GM0281",
                Woningtype::Appartement,
            ),
        )]),
        with(vec![(
            "2025-09-15",
            einde(Bestemming::EigenWoningSociaal, "GM0202", Woningtype::Studio),
        )]),
        with(vec![(
            "2025-03-01",
            behoefte(KamersMetAandacht, "GM0268", Some("2025-10-15")),
        )]),
    ]
}

fn tellingen(h: &H, t: &Tally) -> Vec<WoonTelling> {
    let p = h.regions.get(&nr()).expect("nr");
    t.nonzero()
        .filter_map(|(c, n)| {
            telling_uit_cel(
                p,
                c.measure,
                c.maand,
                (c.gemeente > 0).then(|| g(&format!("GM{:04}", c.gemeente))),
                c.extra,
                n,
            )
        })
        .collect()
}

fn entered() -> Afspraak {
    Afspraak {
        gemeente: g("GM0268"),
        corporatie: Some("waalstad".into()),
        jaar: 2025,
        route: Some(WoonRoute::Regulier),
        woningen: 5,
        soort: "bijzondere bemiddeling Waalstad".into(),
        herkomst: Herkomst::Aanname("test".into()),
        onderdeel_van: None,
    }
}

#[test]
fn realisation_equals_the_hand_count() {
    let h = setup();
    let t = h.tally(&history(&h));
    let p = h.regions.get(&nr()).expect("nr");
    let mut afspraken = profiel_afspraken(p);
    // The profile: Housing First Nijmegen 10, the 6% Nijmegen 120, the 6% Wijchen 24.
    assert_eq!(
        afspraken
            .iter()
            .map(|a| (a.gemeente, a.route, a.woningen))
            .collect::<Vec<_>>(),
        vec![
            (g("GM0268"), Some(WoonRoute::HousingFirst), 10),
            (g("GM0268"), None, 120),
            (g("GM0296"), None, 24),
        ]
    );
    afspraken.push(entered());
    afspraken.push(Afspraak {
        jaar: 2026,
        ..entered()
    });
    let r = realisatie(&afspraken, &tellingen(&h, &t));
    let tot = |i: usize| {
        let s = r[i].totaal;
        (s.aanbod, s.akkoord, s.geweigerd, s.huur)
    };
    // Housing First (A only): offer, acceptance in March, tenancy in April.
    assert_eq!(tot(0), (1, 1, 0, 1));
    assert_eq!(r[0].per_maand[2].aanbod, 1);
    assert_eq!(r[0].per_maand[3].huur, 1);
    assert_eq!(r[0].percentage(), Some(10.0));
    assert_eq!(r[0].huur_tot(3), 0);
    assert_eq!(r[0].huur_tot(4), 1);
    assert!((r[0].pro_rata(4) - 10.0 * 4.0 / 12.0).abs() < 1e-9);
    // Nijmegen, any route: A's and B's two offers, two acceptances, B's refusal, two
    // tenancies (April, June).
    assert_eq!(tot(1), (3, 2, 1, 2));
    assert_eq!(
        r[1].per_maand.iter().map(|s| s.aanbod).collect::<Vec<_>>(),
        vec![0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        r[1].per_maand.iter().map(|s| s.huur).collect::<Vec<_>>(),
        vec![0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(r[1].pro_rata(6), 60.0);
    assert!((r[1].percentage().expect("homes") - 200.0 / 120.0).abs() < 1e-9);
    // Wijchen: C's offer in June, tenancy in July.
    assert_eq!(tot(2), (1, 1, 0, 1));
    assert_eq!(r[2].per_maand[6].huur, 1);
    // Waalstad, regular route, Nijmegen (entered): B only.
    assert_eq!(tot(3), (2, 1, 1, 1));
    assert_eq!(r[3].percentage(), Some(20.0));
    // 2026: nothing yet.
    assert_eq!(tot(4), (0, 0, 0, 0));
}

#[test]
fn spreiding_equals_the_hand_count() {
    let h = setup();
    let t = h.tally(&history(&h));
    let p = h.regions.get(&nr()).expect("nr");
    let uitstroom: Vec<(GemeenteCode, i64)> = t
        .nonzero()
        .filter(|(c, _)| c.measure == Measure::UitstroomWoning && c.maand / 100 == 2025)
        .map(|(c, n)| (g(&format!("GM{:04}", c.gemeente)), n))
        .collect();
    let mut afspraken = profiel_afspraken(p);
    afspraken.push(entered());
    let s = spreiding(p, 2025, &afspraken, &uitstroom);
    // A and B to Nijmegen, D to Tiel, E to Arnhem (outside).
    assert_eq!(s.totaal, 4);
    assert_eq!(s.buiten_regio, 1);
    let rij = |c: &str| s.rijen.iter().find(|r| r.gemeente == g(c)).expect("row");
    assert_eq!(rij("GM0268").uitstroom, 2);
    assert_eq!(rij("GM0281").uitstroom, 1);
    assert_eq!(rij("GM0296").uitstroom, 0);
    assert!((rij("GM0268").aandeel_uitstroom.expect("some") - 200.0 / 3.0).abs() < 1e-9);
    // Agreed: Nijmegen 120 + 5 = 125 (Housing First's 10 are part of the 6 % share, not
    // counted again), Wijchen 24, of 149.
    assert_eq!(rij("GM0268").afgesproken, 125);
    assert_eq!(rij("GM0296").afgesproken, 24);
    assert!((rij("GM0268").aandeel_afspraak.expect("some") - 12_500.0 / 149.0).abs() < 1e-9);
    assert_eq!(rij("GM0281").aandeel_afspraak, Some(0.0));
    // Inhabitants: 13 gemeenten, 534,672 together; Nijmegen 187,011.
    assert_eq!(s.rijen.len(), 13);
    assert!(s.inwoners_compleet);
    assert!(s.inwoners_aanname);
    assert!(
        (rij("GM0268").aandeel_inwoners.expect("some") - 18_701_100.0 / 534_672.0).abs() < 1e-9
    );
    assert_eq!(s.rijen.iter().map(|r| r.uitstroom).sum::<i64>(), 3);
}

/// The new monitor measures on the same history: the candidate stock at month ends (a
/// running sum of the net flows), the waiting time for a home.
#[test]
fn candidate_stock_and_waiting_time_equal_the_hand_count() {
    let h = setup();
    let t = h.tally(&history(&h));
    let mut stock = std::collections::BTreeMap::<u32, i64>::new();
    let mut wacht = Vec::new();
    for (c, n) in t.nonzero() {
        match c.measure {
            Measure::WoonKandidaat => *stock.entry(c.maand).or_default() += n,
            Measure::WachttijdWoning => wacht.push((c.extra, n)),
            _ => {}
        }
    }
    let mut run = 0;
    let mut ends = Vec::new();
    for m in 1..=12 {
        run += stock.get(&(202_500 + m)).copied().unwrap_or(0);
        ends.push(run);
    }
    // Jan: none; Feb–Mar: A, B, C; Apr: B, C (A moved 15 Apr); May: B, C; Jun: C (B moved
    // 10 Jun); Jul–Dec: C (tenancy, no move) and F (from 15 Jul).
    assert_eq!(ends, vec![0, 3, 3, 2, 2, 1, 2, 2, 2, 2, 2, 2]);
    wacht.sort();
    // A: 1 Feb → 15 Apr = 73 days; B: 1 Feb → 10 Jun = 129 days.
    assert_eq!(wacht, vec![(73, 1), (129, 1)]);
}

#[test]
fn bad_agreements_are_refused_at_their_field() {
    let regions = Regions::builtin();
    let p = regions.get(&nr()).expect("nr");
    let code = |a: Afspraak| check_afspraak(p, &a).map_err(|e| (e.code, e.field));
    assert_eq!(code(entered()), Ok(()));
    assert_eq!(
        code(Afspraak {
            gemeente: g("GM0202"),
            ..entered()
        }),
        Err(("afspraak.gemeente_onbekend", "gemeente"))
    );
    assert_eq!(
        code(Afspraak {
            jaar: 2014,
            ..entered()
        }),
        Err(("afspraak.jaar", "jaar"))
    );
    assert_eq!(
        code(Afspraak {
            jaar: 2051,
            ..entered()
        }),
        Err(("afspraak.jaar", "jaar"))
    );
    assert_eq!(
        code(Afspraak {
            corporatie: Some("bestaat-niet".into()),
            ..entered()
        }),
        Err(("afspraak.corporatie_onbekend", "corporatie"))
    );
    assert_eq!(
        code(Afspraak {
            corporatie: Some("rivierhuis".into()),
            ..entered()
        }),
        Err(("afspraak.buiten_werkgebied", "corporatie"))
    );
    assert_eq!(
        code(Afspraak {
            woningen: -1,
            ..entered()
        }),
        Err(("afspraak.woningen_negatief", "woningen"))
    );
    assert_eq!(
        code(Afspraak {
            herkomst: Herkomst::Bron(" ".into()),
            ..entered()
        }),
        Err(("afspraak.herkomst", "herkomst"))
    );
    assert_eq!(
        code(Afspraak {
            soort: String::new(),
            ..entered()
        }),
        Err(("afspraak.soort", "soort"))
    );
}

/// A retired gemeente: a shipped profile ends a membership (a merged gemeente) — an
/// agreement for a year after it is refused.
#[test]
fn an_agreement_for_a_retired_gemeente_is_refused() {
    let regions = Regions::builtin();
    let retired = regions.all().iter().find_map(|p| {
        p.gemeenten
            .iter()
            .find_map(|m| m.valid_to.map(|t| (p, m.code, t)))
    });
    let (p, code, until) = retired.expect("Drechtsteden's profile ends memberships in 2018");
    let a = Afspraak {
        gemeente: code,
        corporatie: None,
        jaar: until.year() + 1,
        route: None,
        woningen: 3,
        soort: "test".into(),
        herkomst: Herkomst::Aanname("test".into()),
        onderdeel_van: None,
    };
    assert_eq!(
        check_afspraak(p, &a).map_err(|e| e.code),
        Err("afspraak.gemeente_opgeheven")
    );
}

/// The profile's Housing First agreement is part of Nijmegen's 6 % share: shown under it,
/// counted once; the link's bad cases are refused at `onderdeel_van`.
#[test]
fn parts_of_an_agreement_are_counted_once_and_links_are_checked() {
    let regions = Regions::builtin();
    let p = regions.get(&nr()).expect("nr");
    let afs = profiel_afspraken(p);
    let zes = AfspraakSleutel::parse("GM0268/2025/*/*").expect("key");
    assert_eq!(afs[1].sleutel(), zes);
    assert_eq!(afs[0].onderdeel_van, Some(zes.clone()));
    assert_eq!(
        AfspraakSleutel::parse("GM0268/2025/waalstad/housing_first")
            .expect("key")
            .tekst(),
        "GM0268/2025/waalstad/housing_first"
    );
    assert_eq!(AfspraakSleutel::parse("GM0268/2025/*"), None);
    assert_eq!(AfspraakSleutel::parse("GM0268/2025/*/bus"), None);
    // Totals: 10 is part of 120; 120 and 24 count.
    let telt: Vec<bool> = (0..afs.len()).map(|i| telt_in_totaal(&afs, i)).collect();
    assert_eq!(telt, vec![false, true, true]);
    assert_eq!(afgesproken_totaal(&afs, 2025), 144);
    assert_eq!(afgesproken_totaal(&afs, 2026), 0);
    // Order: the 6 % share, Housing First under it, then Wijchen.
    assert_eq!(genest(&afs), vec![(1, 0), (0, 1), (2, 0)]);
    // Every shipped profile's links pass the check.
    for p in regions.all() {
        let afs = profiel_afspraken(p);
        for a in &afs {
            assert_eq!(check_onderdeel(&afs, a), Ok(()), "{}", p.id);
        }
    }
    let code = |geldend: &[Afspraak], a: &Afspraak| {
        check_onderdeel(geldend, a).map_err(|e| (e.code, e.field))
    };
    let mut deel = entered();
    deel.onderdeel_van = Some(zes.clone());
    assert_eq!(code(&afs, &deel), Ok(()));
    // Itself.
    deel.onderdeel_van = Some(deel.sleutel());
    assert_eq!(
        code(&afs, &deel),
        Err(("afspraak.onderdeel_zelf", "onderdeel_van"))
    );
    // Not in force.
    deel.onderdeel_van = AfspraakSleutel::parse("GM0268/2025/waalstad/*");
    assert_eq!(
        code(&afs, &deel),
        Err(("afspraak.onderdeel_onbekend", "onderdeel_van"))
    );
    // Another gemeente (Wijchen's 6 %).
    deel.onderdeel_van = AfspraakSleutel::parse("GM0296/2025/*/*");
    assert_eq!(
        code(&afs, &deel),
        Err(("afspraak.onderdeel_gemeente", "onderdeel_van"))
    );
    // Another year.
    let mut later = afs.clone();
    later.push(Afspraak {
        jaar: 2026,
        route: None,
        corporatie: None,
        onderdeel_van: None,
        ..entered()
    });
    deel.onderdeel_van = AfspraakSleutel::parse("GM0268/2026/*/*");
    assert_eq!(
        code(&later, &deel),
        Err(("afspraak.onderdeel_jaar", "onderdeel_van"))
    );
    // A cycle: the 6 % share made part of Housing First, which is part of it.
    let mut zes_deel = afs[1].clone();
    zes_deel.onderdeel_van = Some(afs[0].sleutel());
    assert_eq!(
        code(&afs, &zes_deel),
        Err(("afspraak.onderdeel_kring", "onderdeel_van"))
    );
}

/// Agreed, used by BW/MO outflow, used by other groups, left — on the written history.
#[test]
fn use_by_other_groups_equals_the_hand_count() {
    let h = setup();
    let t = h.tally(&history(&h));
    let p = h.regions.get(&nr()).expect("nr");
    let afs = profiel_afspraken(p);
    let r = realisatie(&afs, &tellingen(&h, &t));
    let zes = afs[1].sleutel();
    let fig = |maand: Option<u32>, groep: &str, n: i64| AnderGebruik {
        afspraak: zes.clone(),
        jaar: 2025,
        maand,
        doelgroep: groep.into(),
        aantal: n,
        herkomst: Herkomst::Bron("opgave Waalstad (fictief)".into()),
    };
    // Statushouders 30 in March, corrected to 31; mantelzorg 12 for the year; overig 40 in
    // May. Housing First none.
    let vastgelegd = vec![
        fig(Some(3), "statushouders", 30),
        fig(None, "mantelzorg", 12),
        fig(Some(5), "overig", 40),
        fig(Some(3), "Statushouders", 31),
    ];
    let geldend = geldend_ander_gebruik(&vastgelegd);
    assert_eq!(
        geldend.iter().map(|g| g.aantal).collect::<Vec<_>>(),
        vec![31, 12, 40]
    );
    let u = gebruik(&r[1], &geldend);
    // 120 agreed, 2 tenancies (A in April, B in June), 31 + 12 + 40 = 83 others: 35 left.
    assert_eq!(
        u,
        Gebruik {
            afgesproken: 120,
            bw_mo: 2,
            ander: 83
        }
    );
    assert_eq!(u.over(), 35);
    assert!(!u.boven_afspraak());
    let hf = gebruik(&r[0], &geldend);
    assert_eq!(
        (hf.afgesproken, hf.bw_mo, hf.ander, hf.over()),
        (10, 1, 0, 9)
    );
    // 36 more overig: 1 over the agreement — a warning, not a refusal.
    let mut meer = geldend.clone();
    meer.push(fig(Some(6), "overig", 36));
    assert_eq!(check_ander_gebruik(&afs, &geldend, &meer[3]), Ok(()));
    let u = gebruik(&r[1], &meer);
    assert_eq!(u.over(), -1);
    assert!(u.boven_afspraak());
    // Bad input at its field.
    let code =
        |g: AnderGebruik| check_ander_gebruik(&afs, &geldend, &g).map_err(|e| (e.code, e.field));
    assert_eq!(
        code(AnderGebruik {
            afspraak: AfspraakSleutel::parse("GM0268/2025/waalstad/*").expect("key"),
            ..fig(Some(1), "overig", 1)
        }),
        Err(("gebruik.afspraak_onbekend", "afspraak"))
    );
    assert_eq!(
        code(AnderGebruik {
            jaar: 2026,
            ..fig(Some(1), "overig", 1)
        }),
        Err(("gebruik.maand", "maand"))
    );
    assert_eq!(
        code(fig(Some(13), "overig", 1)),
        Err(("gebruik.maand", "maand"))
    );
    assert_eq!(
        code(fig(Some(1), "overig", -1)),
        Err(("gebruik.aantal_negatief", "aantal"))
    );
    assert_eq!(
        code(fig(Some(1), " ", 1)),
        Err(("gebruik.doelgroep", "doelgroep"))
    );
    assert_eq!(
        code(fig(Some(1), "Mantelzorg", 1)),
        Err(("gebruik.jaar_en_maand", "maand"))
    );
    assert_eq!(
        code(fig(None, "statushouders", 1)),
        Err(("gebruik.jaar_en_maand", "maand"))
    );
    assert_eq!(
        code(AnderGebruik {
            herkomst: Herkomst::Bron(String::new()),
            ..fig(Some(1), "overig", 1)
        }),
        Err(("gebruik.herkomst", "herkomst"))
    );
}
