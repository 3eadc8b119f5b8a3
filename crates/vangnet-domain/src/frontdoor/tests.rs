//! Table-driven tests of the front-door rules and of a product's durations.

use super::*;
use crate::events::{Advies, Leveringsvorm, Melder, Woonsituatie};
use crate::ids::{ClientId, GemeenteCode, RegionId};
use crate::region::Regions;
use crate::rules::Outcome;
use crate::state::StreamEntry;
use crate::{Actor, Bsn};

pub(crate) fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

pub(crate) fn cg() -> RegionProfile {
    Regions::builtin()
        .get(&RegionId::parse("centraal-gelderland").unwrap())
        .unwrap()
        .clone()
}

/// A stored record built from `(effective, fact)` in version order, folded by the rules.
pub(crate) struct Built {
    pub person: Person,
    pub state: ClientState,
    pub events: Vec<RecordedEvent>,
}

impl Built {
    pub fn dossier(&self) -> Dossier<'_> {
        Dossier {
            person: Some(&self.person),
            state: &self.state,
            events: &self.events,
        }
    }
}

pub(crate) fn build(born: &str, facts: Vec<(&str, ClientEvent)>) -> Built {
    let events: Vec<RecordedEvent> = facts
        .into_iter()
        .enumerate()
        .map(|(i, (on, event))| RecordedEvent {
            seq: i as u64 + 1,
            client: ClientId(1),
            version: i as u32 + 1,
            effective: d(on),
            recorded_at: "2025-01-01T00:00:00Z".parse().unwrap(),
            actor: Actor::system("test"),
            event,
        })
        .collect();
    let entries: Vec<StreamEntry<'_>> = events.iter().map(StreamEntry::from).collect();
    let state = crate::state::fold_stream(ClientId(1), &entries, &Regions::builtin())
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap();
    Built {
        person: Person::new(
            Bsn::parse("900000004").unwrap(),
            "Test",
            "Persoon",
            d(born),
            true,
        )
        .unwrap(),
        state,
        events,
    }
}

pub(crate) fn aanmelding(herkomst: Option<&str>) -> ClientEvent {
    ClientEvent::Aanmelding {
        regio: RegionId::parse("centraal-gelderland").unwrap(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: herkomst.map(|g| GemeenteCode::parse(g).unwrap()),
        woonsituatie: Woonsituatie::Dakloos,
        urgentie: Urgentie::Urgent,
        voordeur: None,
    }
}

fn beoordeling(profile: &RegionProfile, answer: Option<bool>, zrm: u8) -> ClientEvent {
    ClientEvent::Beoordeling {
        criteria: judgements(profile, &|_| answer),
        zrm: [Some(zrm); ZRM_DOMAINS],
        doelgroep: None,
        advies: Advies::Toewijzen,
        behoeften: Vec::new(),
    }
}

fn bw(profile: &RegionProfile) -> &Product {
    profile
        .products
        .iter()
        .find(|p| p.domain == Domain::Bw && p.max_months.is_none())
        .unwrap()
}

#[test]
fn priority_follows_urgency() {
    for (u, p) in [
        (Urgentie::Regulier, 0),
        (Urgentie::Urgent, 1),
        (Urgentie::Crisis, 2),
    ] {
        assert_eq!(priority_of(u), p, "{u:?}");
    }
}

#[test]
fn open_case_per_phase() {
    let p = cg();
    let prod = bw(&p).code.clone();
    let loc = p
        .locations
        .iter()
        .find(|l| l.places.contains_key(&prod))
        .unwrap()
        .id
        .clone();
    let tw = ClientEvent::Toewijzing {
        product: prod.clone(),
        start: d("2025-02-01"),
        einde: d("2026-01-31"),
        leveringsvorm: Leveringsvorm::Zin,
        aanbieder: None,
    };
    type Case<'a> = (&'a str, Vec<(&'a str, ClientEvent)>, bool);
    let cases: Vec<Case> = vec![
        ("aangemeld", vec![("2025-01-02", aanmelding(None))], true),
        (
            "toegewezen",
            vec![("2025-01-02", aanmelding(None)), ("2025-01-10", tw.clone())],
            true,
        ),
        (
            "wachtend",
            vec![
                ("2025-01-02", aanmelding(None)),
                ("2025-01-10", tw.clone()),
                (
                    "2025-01-11",
                    ClientEvent::WachtlijstIn {
                        product: prod.clone(),
                        prioriteit: 0,
                    },
                ),
            ],
            true,
        ),
        (
            "in zorg",
            vec![
                ("2025-01-02", aanmelding(None)),
                ("2025-01-10", tw.clone()),
                (
                    "2025-02-01",
                    ClientEvent::StartZorg {
                        product: prod.clone(),
                        locatie: loc.clone(),
                        overbezetting: None,
                    },
                ),
            ],
            true,
        ),
        (
            "uitgestroomd",
            vec![
                ("2025-01-02", aanmelding(None)),
                ("2025-01-10", tw.clone()),
                (
                    "2025-02-01",
                    ClientEvent::StartZorg {
                        product: prod.clone(),
                        locatie: loc.clone(),
                        overbezetting: None,
                    },
                ),
                (
                    "2025-05-01",
                    ClientEvent::EindeZorg {
                        bestemming: crate::events::Bestemming::HousingFirst,
                        woning: None,
                    },
                ),
            ],
            false,
        ),
        (
            "afgewezen",
            vec![
                ("2025-01-02", aanmelding(None)),
                (
                    "2025-01-10",
                    ClientEvent::Afwijzing {
                        reden: "r".into(),
                        casusregie: "c".into(),
                    },
                ),
            ],
            false,
        ),
    ];
    for (name, facts, open) in cases {
        let b = build("1990-01-01", facts);
        assert_eq!(open_case(&b.state), open, "{name}");
    }
}

#[test]
fn catalogue_and_focus_product() {
    let p = cg();
    // Before every product's start nothing is valid; later the whole catalogue.
    assert!(products_on(&p, d("1990-01-01")).is_empty());
    let now = products_on(&p, d("2025-01-01"));
    assert!(now.iter().all(|x| x.valid_on(d("2025-01-01"))));
    assert!(!now.is_empty());
    let other = p.products.iter().find(|x| x.domain != Domain::Bw).unwrap();
    let first_bw = now.iter().find(|x| x.domain == Domain::Bw).unwrap();
    let b = build("1990-01-01", vec![("2025-01-02", aanmelding(None))]);
    let cases: Vec<(&str, Option<&str>, &ProductCode)> = vec![
        ("asked", Some(other.code.as_str()), &other.code),
        ("asked but unknown", Some("bestaat-niet"), &first_bw.code),
        ("not asked: first BW product", None, &first_bw.code),
    ];
    for (name, asked, want) in cases {
        let got = focus_product(&p, &b.state, asked, d("2025-01-01")).unwrap();
        assert_eq!(&got.code, want, "{name}");
    }
    // The allocated product when there is one.
    let alloc = p
        .products
        .iter()
        .filter(|x| x.domain == Domain::Bw && x.valid_on(d("2025-02-01")))
        .nth(1)
        .unwrap();
    let b = build(
        "1990-01-01",
        vec![
            ("2025-01-02", aanmelding(None)),
            (
                "2025-01-10",
                ClientEvent::Toewijzing {
                    product: alloc.code.clone(),
                    start: d("2025-02-01"),
                    einde: alloc.default_end(d("2025-02-01")),
                    leveringsvorm: Leveringsvorm::Zin,
                    aanbieder: None,
                },
            ),
        ],
    );
    assert_eq!(
        focus_product(&p, &b.state, None, d("2025-01-01"))
            .unwrap()
            .code,
        alloc.code
    );
}

#[test]
fn latest_assessment_and_case_facts() {
    let p = cg();
    let yes = beoordeling(&p, Some(true), 2);
    let no = beoordeling(&p, Some(false), 4);
    let corr = |v: u32, b: ClientEvent| ClientEvent::Correctie {
        corrigeert: v,
        vervanging: Box::new(b),
        reden: "r".into(),
    };
    let void = |v: u32| ClientEvent::Intrekking {
        trekt_in: v,
        reden: "r".into(),
    };
    // (name, facts after the aanmelding, expected date of the latest assessment, its ZRM)
    type Case = (
        &'static str,
        Vec<(&'static str, ClientEvent)>,
        Option<(&'static str, u8)>,
    );
    let cases: Vec<Case> = vec![
        ("none", vec![], None),
        (
            "one",
            vec![("2025-01-05", yes.clone())],
            Some(("2025-01-05", 2)),
        ),
        (
            "the later of two",
            vec![("2025-01-05", yes.clone()), ("2025-01-08", no.clone())],
            Some(("2025-01-08", 4)),
        ),
        (
            "back-dated is not the latest",
            vec![("2025-01-08", no.clone()), ("2025-01-05", yes.clone())],
            Some(("2025-01-08", 4)),
        ),
        (
            "corrected",
            vec![
                ("2025-01-05", yes.clone()),
                ("2025-01-06", corr(2, no.clone())),
            ],
            Some(("2025-01-06", 4)),
        ),
        (
            "corrected with an earlier date still replaces",
            vec![
                ("2025-01-05", yes.clone()),
                ("2025-01-04", corr(2, no.clone())),
            ],
            Some(("2025-01-04", 4)),
        ),
        (
            "voided",
            vec![("2025-01-05", yes.clone()), ("2025-01-06", void(2))],
            None,
        ),
    ];
    for (name, facts, want) in cases {
        let mut all = vec![("2025-01-02", aanmelding(Some("GM0226")))];
        all.extend(facts);
        let b = build("1990-06-15", all);
        let dos = b.dossier();
        let got = latest_beoordeling(&dos).map(|(on, e)| match e {
            ClientEvent::Beoordeling { zrm, .. } => (on, zrm[0].unwrap()),
            _ => unreachable!(),
        });
        assert_eq!(got, want.map(|(on, z)| (d(on), z)), "{name}");
        let f = case_facts(&p, &dos, d("2025-01-10"));
        assert_eq!(f.leeftijd, Some(34), "{name}: age from the birth date");
        assert_eq!(f.woonsituatie, Some(Woonsituatie::Dakloos), "{name}");
        assert_eq!(f.zrm[0], want.map(|w| w.1), "{name}");
    }
    // An assessment of an earlier application does not count for the current one.
    let b = build(
        "1990-06-15",
        vec![
            ("2024-01-02", aanmelding(None)),
            ("2024-01-05", yes.clone()),
            (
                "2024-02-01",
                ClientEvent::Afwijzing {
                    reden: "r".into(),
                    casusregie: "c".into(),
                },
            ),
            ("2025-01-02", aanmelding(None)),
        ],
    );
    assert_eq!(latest_beoordeling(&b.dossier()), None);
}

#[test]
fn judged_criteria_become_facts_and_the_evaluation_reads_them() {
    let p = cg();
    // Derived tests are not judged by the clerk; yes/no facts are.
    let cases = [
        (Test::LeeftijdMinimaal(18), false),
        (Test::LeeftijdTussen(18, 23), false),
        (Test::ZrmDomeinen { n: 1, drempel: 2 }, false),
        (Test::Dakloos, false),
        (Test::RechtmatigVerblijf, true),
        (Test::PsychischeProblematiek, true),
        (Test::ToezichtNodig, true),
        (Test::WlzVoorliggend, true),
    ];
    for (t, want) in cases {
        assert_eq!(judged(t), want, "{t:?}");
    }
    let js = judgements(&p, &|k| Some(k.len() % 2 == 0));
    assert_eq!(
        js.len(),
        p.criteria.iter().filter(|c| judged(c.test)).count()
    );
    assert!(
        js.iter()
            .all(|j| j.voldaan == Some(j.criterium.len() % 2 == 0))
    );
    // Every judged criterion met (contra-indications absent) and ZRM 2: eligible; one
    // contra-indication present: not; all unknown: the evaluation names what is missing.
    let prod = bw(&p);
    let contra = p
        .criteria
        .iter()
        .find(|c| c.kind == CriterionKind::Contra && judged(c.test))
        .map(|c| c.key.clone())
        .unwrap();
    for (answer, zrm, eligible) in [
        (Some(true), 2, Some(true)),
        (Some(false), 2, Some(false)),
        (None, 2, None),
    ] {
        let judged_yes = ClientEvent::Beoordeling {
            criteria: p
                .criteria
                .iter()
                .filter(|c| judged(c.test))
                .filter(|c| answer != Some(false) || c.key == contra)
                .map(|c| CriteriumOordeel {
                    criterium: c.key.clone(),
                    // "voldaan": the requirement holds / the contra-indication is absent.
                    voldaan: answer,
                })
                .collect(),
            zrm: [Some(zrm); ZRM_DOMAINS],
            doelgroep: None,
            advies: Advies::Toewijzen,
            behoeften: Vec::new(),
        };
        let b = build(
            "1990-01-01",
            vec![
                ("2025-01-02", aanmelding(Some("GM0202"))),
                ("2025-01-05", judged_yes),
            ],
        );
        let ev = evaluate_record(&p, prod, &b.dossier(), d("2025-01-10"));
        assert_eq!(ev.eligible(), eligible, "{answer:?}: {:?}", ev.rules);
        if eligible.is_none() {
            assert!(!ev.missing().is_empty());
            assert!(ev.rules.iter().any(|r| r.outcome == Outcome::Onbekend));
        }
    }
}

/// The one definition of a product's durations: default capped by the maximum, the end as
/// the last day, the maximum end as start + maximum, and no panic near 9999-12-31.
#[test]
fn product_durations() {
    let base = bw(&cg()).clone();
    let with = |default_months: u32, max_months: Option<u32>| Product {
        default_months,
        max_months,
        ..base.clone()
    };
    // (default, max, start, allocation months, default end, max end)
    type Case = (
        u32,
        Option<u32>,
        &'static str,
        u32,
        &'static str,
        Option<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (24, None, "2025-01-01", 24, "2026-12-31", None),
        (
            24,
            Some(24),
            "2025-01-15",
            24,
            "2027-01-14",
            Some("2027-01-15"),
        ),
        (
            36,
            Some(24),
            "2025-01-15",
            24,
            "2027-01-14",
            Some("2027-01-15"),
        ),
        (
            1,
            Some(3),
            "2025-01-31",
            1,
            "2025-02-27",
            Some("2025-04-30"),
        ),
        (0, None, "2025-03-01", 1, "2025-03-31", None),
        (
            24,
            Some(24),
            "2024-02-29",
            24,
            "2026-02-27",
            Some("2026-02-28"),
        ),
        // Far future: clamped to the last date, never a panic.
        (
            24,
            Some(24),
            "9999-12-31",
            24,
            "9999-12-31",
            Some("9999-12-31"),
        ),
        (24, None, "9998-06-01", 24, "9999-12-31", None),
        (
            12,
            Some(24),
            "9998-06-01",
            12,
            "9999-05-31",
            Some("9999-12-31"),
        ),
    ];
    for (default, max, start, months, end, max_end) in cases {
        let p = with(default, max);
        let s = d(start);
        assert_eq!(p.allocation_months(), months, "{default}/{max:?}");
        assert_eq!(p.default_end(s), d(end), "{default}/{max:?} from {start}");
        assert_eq!(
            p.max_end(s),
            max_end.map(d),
            "{default}/{max:?} from {start}"
        );
        assert!(p.max_end(s).is_none_or(|m| p.default_end(s) <= m));
    }
}

fn region(id: &str) -> RegionProfile {
    Regions::builtin()
        .get(&RegionId::parse(id).unwrap())
        .unwrap()
        .clone()
}

/// `profile` with every access period's model replaced by `model` (to reach the membership
/// rule in a region whose own model has no local front doors).
fn with_model(mut profile: RegionProfile, model: AccessModel) -> RegionProfile {
    for t in &mut profile.toegangen {
        t.model = model;
    }
    profile.access_model = model;
    profile
}

#[test]
fn local_front_doors_per_access_model() {
    for (model, local) in [
        (AccessModel::Centraal, false),
        (AccessModel::Gezamenlijk, true),
        (AccessModel::Hybride, true),
        (AccessModel::Lokaal, true),
    ] {
        assert_eq!(has_local_front_doors(model), local, "{model:?}");
    }
}

#[test]
fn a_local_front_door_only_where_the_model_has_them_and_for_a_member() {
    let lokaal = |g: &str| Voordeur::Lokaal {
        gemeente: GemeenteCode::parse(g).unwrap(),
    };
    let cg = cg();
    let nr = region("nijmegen-rivierenland");
    let dr = region("drechtsteden");
    let dr_lokaal = with_model(dr.clone(), AccessModel::Lokaal);
    // (region, door, date, the rule refused or None)
    let cases: [(&RegionProfile, Voordeur, &str, Option<&str>); 12] = [
        // Centraal Gelderland: gezamenlijk (001), later hybride (002): Duiven's door both times.
        (&cg, lokaal("GM0226"), "2010-01-01", None),
        (&cg, lokaal("GM0226"), "2025-06-01", None),
        (&cg, Voordeur::Centraal, "2025-06-01", None),
        (
            &cg,
            lokaal("GM0363"),
            "2025-06-01",
            Some("aanmelding.voordeur_niet_in_regio"),
        ),
        // Nijmegen en Rivierenland and Drechtsteden: one central access team.
        (
            &nr,
            lokaal("GM0225"),
            "2025-06-01",
            Some("aanmelding.voordeur_lokaal_niet_in_model"),
        ),
        (&nr, Voordeur::Centraal, "2025-06-01", None),
        (
            &dr,
            lokaal("GM0505"),
            "2019-06-01",
            Some("aanmelding.voordeur_lokaal_niet_in_model"),
        ),
        // Membership for new clients: Vijfheerenlanden takes none from 2020-01-01.
        (&dr_lokaal, lokaal("GM1961"), "2019-12-31", None),
        (
            &dr_lokaal,
            lokaal("GM1961"),
            "2020-01-01",
            Some("aanmelding.voordeur_niet_in_regio"),
        ),
        // Leerdam merged into Vijfheerenlanden on 2019-01-01.
        (&dr_lokaal, lokaal("GM0545"), "2018-12-31", None),
        (
            &dr_lokaal,
            lokaal("GM0545"),
            "2019-01-01",
            Some("aanmelding.voordeur_niet_in_regio"),
        ),
        // Another region's door is not this rule's (the fold checks it).
        (
            &nr,
            Voordeur::AndereRegio {
                gemeente: GemeenteCode::parse("GM0363").unwrap(),
            },
            "2025-06-01",
            None,
        ),
    ];
    for (profile, door, date, refused) in cases {
        let got = check_voordeur(profile, door, d(date));
        assert_eq!(
            got.as_ref().err().map(|e| e.code),
            refused,
            "{} {door:?} {date}: {got:?}",
            profile.id
        );
        if let Err(e) = got {
            assert_eq!(e.field, "voordeur");
            assert!(e.message.contains("voordeur"), "{}", e.message);
        }
    }
}

#[test]
fn the_doors_offered_are_the_doors_accepted() {
    let cg = cg();
    let on = d("2025-06-01");
    let doors = local_front_doors_on(&cg, on);
    assert!(!doors.is_empty());
    for g in &cg.gemeenten {
        let offered = doors.iter().any(|x| x.code == g.code);
        let accepted = check_voordeur(&cg, Voordeur::Lokaal { gemeente: g.code }, on).is_ok();
        assert_eq!(offered, accepted, "{}", g.code);
    }
    assert!(local_front_doors_on(&region("nijmegen-rivierenland"), on).is_empty());
    let dr = with_model(region("drechtsteden"), AccessModel::Lokaal);
    let codes = |on: &str| -> Vec<String> {
        local_front_doors_on(&dr, d(on))
            .iter()
            .map(|g| g.code.to_string())
            .collect()
    };
    assert!(codes("2019-12-31").contains(&"GM1961".to_owned()));
    assert!(!codes("2020-01-01").contains(&"GM1961".to_owned()));
}

/// feat/zoeken: another region takes a new application only once the case here is closed;
/// an open case names the access organisation to contact.
#[test]
fn intake_elsewhere_only_after_a_closed_case() {
    let regions = Regions::builtin();
    let nr = RegionId::parse("nijmegen-rivierenland").unwrap();
    let open = build("1990-01-01", vec![("2025-01-02", aanmelding(None))]);
    let e = intake_elsewhere(&open.state, &nr, &regions).unwrap_err();
    assert_eq!(e.code, "aanmelding.open_casus_andere_regio");
    assert_eq!(e.field, "bsn");
    assert!(
        e.message
            .contains("neem contact op met de toegang van Regio Centraal Gelderland")
    );
    let closed = build(
        "1990-01-01",
        vec![
            ("2025-01-02", aanmelding(None)),
            (
                "2025-01-10",
                ClientEvent::Afwijzing {
                    reden: "r".into(),
                    casusregie: "wijkteam".into(),
                },
            ),
        ],
    );
    let earlier = intake_elsewhere(&closed.state, &nr, &regions).unwrap();
    assert_eq!(earlier.map(|p| p.id.as_str()), Some("centraal-gelderland"));
    let unknown = RegionId::parse("nergens").unwrap();
    assert_eq!(
        intake_elsewhere(&closed.state, &unknown, &regions)
            .unwrap_err()
            .code,
        "aanmelding.regio_onbekend"
    );
}

/// Issue 12, "Capacity and dates": a full location refuses a placement with a stable code
/// and a Dutch message naming the location and "30 van 30 plaatsen bezet op <datum>"; an
/// overbezetting needs a reason and a region that allows it; a location with room takes
/// the placement and refuses a needless overbezetting.
#[test]
fn a_full_location_refuses_unless_the_region_allows_an_overbezetting_with_a_reason() {
    let mut profile = region("centraal-gelderland");
    let (loc, product, places) = profile
        .locations
        .iter()
        .find_map(|l| {
            l.places
                .iter()
                .next()
                .map(|(p, n)| (l.clone(), p.clone(), *n))
        })
        .unwrap();
    let on = d("2026-12-03");
    let full = u64::from(places);
    assert!(check_place(&profile, &loc.id, &product, on, full - 1, None).is_ok());
    profile.overbezetting = None;
    let e = check_place(&profile, &loc.id, &product, on, full, None).unwrap_err();
    assert_eq!((e.code, e.field), ("plaatsing.vol", "locatie"));
    assert!(e.message.contains(&loc.name), "{}", e.message);
    assert!(
        e.message.contains(&format!(
            "{places} van {places} plaatsen bezet op 03-12-2026"
        )),
        "{}",
        e.message
    );
    let e = check_place(&profile, &loc.id, &product, on, full, Some("crisis")).unwrap_err();
    assert_eq!(e.code, "plaatsing.overbezetting_niet_toegestaan");
    profile.overbezetting = Some(crate::region::Overbezetting {
        toegestaan: true,
        herkomst: crate::region::Herkomst::Aanname("test".into()),
    });
    assert!(check_place(&profile, &loc.id, &product, on, full, Some("crisis, nacht")).is_ok());
    assert!(check_place(&profile, &loc.id, &product, on, full + 3, Some("crisis")).is_ok());
    let e = check_place(&profile, &loc.id, &product, on, full, Some("  ")).unwrap_err();
    assert_eq!(e.code, "plaatsing.overbezetting_zonder_reden");
    let e = check_place(&profile, &loc.id, &product, on, 0, Some("crisis")).unwrap_err();
    assert_eq!(e.code, "plaatsing.overbezetting_onnodig");
}

/// The facts that take a place: start zorg and a move to another location or product.
#[test]
fn placements_are_start_zorg_and_moves_to_a_location() {
    use crate::events::Wijziging;
    let l = crate::ids::LocationId::parse("x").unwrap();
    let p = ProductCode::parse("bw-groepswonen").unwrap();
    let start = ClientEvent::StartZorg {
        product: p.clone(),
        locatie: l.clone(),
        overbezetting: Some("r".into()),
    };
    assert_eq!(placement_of(&start), Some((&l, &p, Some("r"))));
    let door = ClientEvent::Wijziging(Wijziging::Doorstroom {
        product: p.clone(),
        locatie: l.clone(),
    });
    assert_eq!(placement_of(&door), Some((&l, &p, None)));
    let same = ClientEvent::Wijziging(Wijziging::Opschalen {
        product: p.clone(),
        locatie: None,
    });
    assert_eq!(placement_of(&same), None);
}
