//! Calibration and validity tests for the demo generator.

use std::collections::{HashMap, HashSet};

use vangnet_domain::region::Domain;
use vangnet_domain::state::{ClientState, StreamEntry, fold_stream};
use vangnet_domain::{ClientEvent, ClientId, Date, Regions};

use super::*;

fn cfg(seed: u64) -> DemoConfig {
    DemoConfig {
        seed,
        start: Date::parse("2019-01-01").unwrap(),
        end: Date::parse("2026-11-01").unwrap(),
        scale: 1.0,
        first_client: 1,
    }
}

fn fold_all(regions: &Regions, demo: &Demo) -> HashMap<ClientId, ClientState> {
    let mut streams: HashMap<ClientId, Vec<&vangnet_domain::RecordedEvent>> = HashMap::new();
    for e in &demo.events {
        streams.entry(e.client).or_default().push(e);
    }
    streams
        .into_iter()
        .map(|(c, evs)| {
            for (i, e) in evs.iter().enumerate() {
                assert_eq!(e.version as usize, i + 1, "{c}: versions out of order");
            }
            let entries: Vec<_> = evs
                .iter()
                .map(|e| StreamEntry {
                    version: e.version,
                    effective: e.effective,
                    event: &e.event,
                })
                .collect();
            let s = fold_stream(c, &entries, regions)
                .unwrap_or_else(|e| panic!("{c}: generated stream is invalid: {e}"))
                .unwrap();
            (c, s)
        })
        .collect()
}

#[test]
fn same_seed_same_data_and_every_stream_is_valid() {
    let regions = Regions::builtin();
    let a = generate(&regions, &cfg(7));
    let b = generate(&regions, &cfg(7));
    assert_eq!(a.events, b.events);
    assert_ne!(a.events, generate(&regions, &cfg(8)).events);
    let states = fold_all(&regions, &a);
    assert_eq!(states.len(), a.persons.len());
    let bsns: HashSet<_> = a.persons.iter().map(|(_, p)| p.bsn).collect();
    assert_eq!(bsns.len(), a.persons.len(), "BSNs are unique");
    assert!(
        a.persons
            .iter()
            .all(|(_, p)| p.synthetic && p.bsn.is_synthetic_range())
    );
    // Recording order: per client, versions ascend; globally, recorded dates ascend.
    assert!(
        a.events
            .windows(2)
            .all(|w| recorded_day(w[0].recorded_at) <= recorded_day(w[1].recorded_at))
    );
    // The awkward cases are present.
    assert!(
        a.events
            .iter()
            .any(|e| matches!(e.event, ClientEvent::Correctie { .. }))
    );
    assert!(
        a.events
            .iter()
            .any(|e| matches!(e.event, ClientEvent::WlzOvergang))
    );
    assert!(
        a.events
            .iter()
            .any(|e| matches!(e.event, ClientEvent::Wijziging(_)))
    );
    assert!(
        a.events
            .iter()
            .any(|e| matches!(e.event, ClientEvent::Beoordeling { .. }) && e.version > 3)
    );
}

fn bw_in_care_of(
    regions: &Regions,
    states: &HashMap<ClientId, ClientState>,
    region: &str,
) -> usize {
    let profile = regions
        .all()
        .iter()
        .find(|p| p.id.as_str() == region)
        .unwrap();
    states
        .values()
        .filter(|s| s.regio.as_str() == region)
        .filter(|s| {
            s.zorg.as_ref().is_some_and(|z| {
                profile
                    .product(&z.product)
                    .is_some_and(|p| p.domain == Domain::Bw)
            })
        })
        .count()
}

#[test]
fn calibrated_to_the_seeds() {
    let regions = Regions::builtin();
    let c = cfg(1);
    let demo = generate(&regions, &c);
    let states = fold_all(&regions, &demo);
    let bw_in_care = |region: &str| {
        let profile = regions
            .all()
            .iter()
            .find(|p| p.id.as_str() == region)
            .unwrap();
        states
            .values()
            .filter(|s| s.regio.as_str() == region)
            .filter(|s| {
                s.zorg.as_ref().is_some_and(|z| {
                    profile
                        .product(&z.product)
                        .is_some_and(|p| p.domain == Domain::Bw)
                })
            })
            .count()
    };
    let cg = bw_in_care("centraal-gelderland");
    assert!(
        (1_000..=1_250).contains(&cg),
        "Centraal Gelderland BW in care: {cg}"
    );
    // Seed 004's ≈440 in BW describes 2016, before the Wlz opened for this group (2021);
    // since then a quarter moved to the Wlz (seed 003's national expectation, modelled in
    // 2021) and the freed places refill only through arrivals: the lower bound is 440 × 0.75.
    let dr = bw_in_care_of(&regions, &states, "drechtsteden");
    assert!((330..=470).contains(&dr), "Drechtsteden BW in care: {dr}");
    // ZIN dominates PGB.
    let (zin, pgb) =
        states
            .values()
            .filter_map(|s| s.toewijzing())
            .fold((0, 0), |(z, p), t| match t.3 {
                vangnet_domain::events::Leveringsvorm::Zin => (z + 1, p),
                vangnet_domain::events::Leveringsvorm::Pgb => (z, p + 1),
            });
    assert!(zin > 10 * pgb, "ZIN {zin} vs PGB {pgb}");
    // Drechtsteden: BW inflow per year in a plausible band around 73.
    let year = |d: Date| d.year();
    let dr_starts_2024 = demo
        .events
        .iter()
        .filter(|e| year(e.effective) == 2024)
        .filter(|e| matches!(&e.event, ClientEvent::StartZorg { product, .. } if product.as_str().starts_with("bw-") && product.as_str() != "bw-logeer"))
        .filter(|e| states[&e.client].regio.as_str() == "drechtsteden")
        .count();
    assert!(
        (50..=130).contains(&dr_starts_2024),
        "Drechtsteden BW starts 2024: {dr_starts_2024}"
    );
    // Waiting lists exist (outflow is blocked).
    let waiting = states.values().filter(|s| s.wacht.is_some()).count();
    assert!(waiting > 50, "waiting: {waiting}");
    // Night shelter (Drechtsteden, 35 places): ~300 people a year, about half > 3 nights.
    let mut nights: HashMap<ClientId, u32> = HashMap::new();
    for e in demo
        .events
        .iter()
        .filter(|e| year(e.effective) == 2024 && states[&e.client].regio.as_str() == "drechtsteden")
    {
        if let ClientEvent::MoOvernachting { nachten, .. } = &e.event {
            *nights.entry(e.client).or_default() += u32::from(*nachten);
        }
    }
    let people = nights.len();
    let long = nights.values().filter(|&&n| n > 3).count();
    assert!(
        (200..=420).contains(&people),
        "night shelter people 2024: {people}"
    );
    assert!(
        long * 100 / people >= 35 && long * 100 / people <= 75,
        "share > 3 nights: {long}/{people}"
    );
}

#[test]
fn wlz_opening_of_2021_and_kamers_met_aandacht_as_the_seeds_describe() {
    let regions = Regions::builtin();
    let demo = generate(&regions, &cfg(3));
    let states = fold_all(&regions, &demo);
    let region_of = |c: &ClientId| states[c].regio.as_str().to_owned();
    // Wlz transfers per region and year.
    let mut wlz: HashMap<(String, i32), usize> = HashMap::new();
    for e in &demo.events {
        if matches!(e.event, ClientEvent::WlzOvergang) {
            *wlz.entry((region_of(&e.client), e.effective.year()))
                .or_default() += 1;
        }
    }
    let at = |r: &str, y: i32| wlz.get(&(r.to_owned(), y)).copied().unwrap_or(0);
    for r in [
        "nijmegen-rivierenland",
        "centraal-gelderland",
        "drechtsteden",
    ] {
        assert!(
            at(r, 2021) > 3 * at(r, 2020).max(at(r, 2022)),
            "{r}: Wlz 2020 {} 2021 {} 2022 {}",
            at(r, 2020),
            at(r, 2021),
            at(r, 2022)
        );
    }
    // Nijmegen: "iets minder dan de helft" (seed 000) against 25 % elsewhere (seed 003):
    // relative to the region's BW places, Nijmegen moves clearly more.
    let bw_places = |r: &str| -> u32 {
        let p = regions.all().iter().find(|p| p.id.as_str() == r).unwrap();
        p.products
            .iter()
            .filter(|x| x.domain == Domain::Bw)
            .map(|x| p.capacity(&x.code))
            .sum()
    };
    let rate = |r: &str| at(r, 2021) as f64 / f64::from(bw_places(r));
    assert!(
        rate("nijmegen-rivierenland") > 1.4 * rate("centraal-gelderland"),
        "NR {} CG {}",
        rate("nijmegen-rivierenland"),
        rate("centraal-gelderland")
    );
    // Per BW place (not every place is occupied on 1 January 2021): loose bands.
    assert!(
        (0.25..=0.6).contains(&rate("nijmegen-rivierenland")),
        "{}",
        rate("nijmegen-rivierenland")
    );
    assert!(
        (0.12..=0.35).contains(&rate("centraal-gelderland")),
        "{}",
        rate("centraal-gelderland")
    );
    // Kamers met Aandacht: only Nijmegen en Rivierenland, from late 2021, aged 17-23, from a
    // location in the Rijk van Nijmegen.
    let born: HashMap<ClientId, Date> = demo
        .persons
        .iter()
        .map(|(c, p)| (*c, p.geboortedatum))
        .collect();
    let nr = regions
        .all()
        .iter()
        .find(|p| p.id.as_str() == "nijmegen-rivierenland")
        .unwrap();
    let mut location: HashMap<ClientId, vangnet_domain::LocationId> = HashMap::new();
    let mut kma = 0;
    for e in &demo.events {
        match &e.event {
            ClientEvent::StartZorg { locatie, .. } => {
                location.insert(e.client, locatie.clone());
            }
            ClientEvent::Wijziging(vangnet_domain::events::Wijziging::Doorstroom {
                locatie,
                ..
            }) => {
                location.insert(e.client, locatie.clone());
            }
            ClientEvent::EindeZorg {
                bestemming: vangnet_domain::events::Bestemming::KamersMetAandacht,
                ..
            } => {
                kma += 1;
                assert_eq!(region_of(&e.client), "nijmegen-rivierenland");
                assert!(
                    e.effective >= Date::parse("2021-10-01").unwrap(),
                    "{}",
                    e.effective
                );
                let age = born[&e.client].days_until(e.effective) / 365;
                assert!((17..=24).contains(&age), "age {age}");
                let g = nr.location(&location[&e.client]).unwrap().gemeente;
                assert_eq!(nr.subregio_of(g).unwrap().naam, "Rijk van Nijmegen");
            }
            _ => {}
        }
    }
    assert!(kma > 0, "the pilot has participants");
}

/// The demo's worklist on its end date, per region: (task, days overdue; negative: due
/// later) of every item within the worklist's horizon.
fn open_items(
    regions: &Regions,
    demo: &Demo,
    today: Date,
) -> HashMap<String, Vec<(vangnet_domain::worklist::Task, i32)>> {
    let mut out: HashMap<String, Vec<_>> = HashMap::new();
    for s in fold_all(regions, demo).values() {
        let profile = regions.get(&s.regio).expect("profile");
        for item in vangnet_domain::worklist::worklist([s], profile, today) {
            out.entry(s.regio.to_string())
                .or_default()
                .push((item.task, -item.days_left));
        }
    }
    out
}

/// Issue 12: the demo's team closes its own deadlines, so its worklist is one a team could
/// work: before, every region showed thousands of items, the worst 2,800 days overdue
/// (night-shelter guests waiting for a decision nobody asked for, allocations that lapsed
/// unused, house-seekers never registered). Bounds: at most 250 items due within the
/// horizon (8 weeks) per region of 400–1,200 clients in care, at most 25 tasks overdue and
/// at most 50 people waiting beyond the norm (the capacity shortage is calibrated), no task
/// more than 8 weeks beyond its date (a late house-seeker registration is chased within
/// 13 weeks of the start) and no wait more than 4 months beyond the norm (the capacity
/// shortage the seeds describe), and a decision never more than two weeks late.
#[test]
fn the_demo_worklist_is_one_a_team_could_work() {
    use vangnet_domain::worklist::Task;
    let regions = Regions::builtin();
    for seed in [7, 11] {
        let c = cfg(seed);
        let items = open_items(&regions, &generate(&regions, &c), c.end);
        assert_eq!(
            items.len(),
            regions.all().len(),
            "every region has open items"
        );
        let mut overdue_somewhere = 0;
        for (region, list) in &items {
            let overdue: Vec<_> = list.iter().filter(|(_, late)| *late > 0).collect();
            overdue_somewhere += overdue.len();
            assert!(list.len() <= 250, "{region}: {} open items", list.len());
            let (waits, tasks): (Vec<&&(Task, i32)>, Vec<_>) =
                overdue.iter().partition(|(t, _)| *t == Task::WachttijdNorm);
            assert!(tasks.len() <= 25, "{region}: {} tasks overdue", tasks.len());
            assert!(
                waits.len() <= 50,
                "{region}: {} beyond the norm",
                waits.len()
            );
            let worst = tasks.iter().map(|(_, l)| *l).max().unwrap_or(0);
            assert!(worst <= 56, "{region}: a task {worst} days overdue");
            let longest = waits.iter().map(|(_, l)| *l).max().unwrap_or(0);
            assert!(longest <= 120, "{region}: {longest} days beyond the norm");
            assert!(
                overdue
                    .iter()
                    .all(|(t, late)| *t != Task::Beslistermijn || *late <= 14),
                "{region}: a decision more than two weeks late"
            );
            // Today's applications are on it: something falls due at the horizon's end.
            assert!(
                list.iter()
                    .any(|(t, late)| *t == Task::Beslistermijn && *late > -56),
                "{region}: no pending decision"
            );
        }
        assert!(
            overdue_somewhere > 0,
            "a few items are overdue, as in real life"
        );
    }
}

/// feat/brief: a decision (and so its letter) needs every criterion established — the demo's
/// assessments judge every criterion the region judges, in every region.
#[test]
fn every_demo_decision_has_its_criteria_established() {
    let regions = Regions::builtin();
    let cfg = DemoConfig {
        seed: 3,
        start: Date::parse("2025-01-01").unwrap(),
        end: Date::parse("2026-06-01").unwrap(),
        scale: 0.3,
        first_client: 1,
    };
    let demo = generate(&regions, &cfg);
    let states = fold_all(&regions, &demo);
    let persons: HashMap<ClientId, &vangnet_domain::person::Person> =
        demo.persons.iter().map(|(c, p)| (*c, p)).collect();
    let mut streams: HashMap<ClientId, Vec<vangnet_domain::RecordedEvent>> = HashMap::new();
    for e in &demo.events {
        streams.entry(e.client).or_default().push(e.clone());
    }
    let (mut decided, mut unknown) = (0, Vec::new());
    for (c, s) in &states {
        let Some(besluit) = &s.besluit else { continue };
        let profile = regions.get(&s.regio).unwrap();
        let dossier = vangnet_domain::frontdoor::Dossier {
            person: persons.get(c).copied(),
            state: s,
            events: &streams[c],
        };
        let (datum, product) = match besluit {
            vangnet_domain::state::Besluit::Toewijzing { datum, product, .. } => {
                (*datum, profile.product(product))
            }
            vangnet_domain::state::Besluit::Afwijzing { datum, .. } => (
                *datum,
                vangnet_domain::frontdoor::focus_product(profile, s, None, *datum),
            ),
        };
        let Some(product) = product else { continue };
        decided += 1;
        let ev = vangnet_domain::frontdoor::evaluate_record(profile, product, &dossier, datum);
        if !ev.missing().is_empty() {
            unknown.push(format!("{c} {}: {:?}", s.regio, ev.missing()));
        }
    }
    assert!(decided > 100, "{decided} decisions");
    assert!(
        unknown.is_empty(),
        "{} of {decided} decisions with unknown criteria, e.g. {:?}",
        unknown.len(),
        &unknown[..unknown.len().min(5)]
    );
}

/// Issue 14: the network's facts are in the demo of every region — open requests and
/// proposals, temporary stays where the region has a short-stay product, advice asked where
/// the access model has local doors — and every night-shelter guest past the 3rd night has
/// an individueel traject (seed 004), unless its term runs past the end date.
#[test]
fn the_demo_has_the_network_facts() {
    let regions = Regions::builtin();
    let c = cfg(7);
    let demo = generate(&regions, &c);
    let states = fold_all(&regions, &demo);
    let mut per: HashMap<String, [usize; 6]> = HashMap::new();
    for s in states.values() {
        let n = per.entry(s.regio.to_string()).or_default();
        n[0] += s.verzoeken.len();
        n[1] += usize::from(s.voorstel_open_op(c.end).is_some());
        n[2] += usize::from(s.tijdelijk.is_some());
        n[3] += usize::from(s.advies_gevraagd.is_some());
        if let Some(v) = s.mo_historie(&s.regio).and_then(|h| h.vierde_nacht) {
            n[4] += 1;
            if v.add_days(8) <= c.end {
                assert!(
                    s.mo_traject.is_some_and(|t| t >= v),
                    "{}: 4th night {v} without a traject",
                    s.client
                );
                n[5] += 1;
            }
        }
    }
    for p in regions.all() {
        let n = per[p.id.as_str()];
        assert!(n[0] > 0 && n[0] <= 6, "{}: {} open requests", p.id, n[0]);
        assert!(n[1] > 0, "{}: no open proposal", p.id);
        let short = p.products.iter().any(|q| q.max_nachten.is_some());
        assert_eq!(n[2] > 0, short, "{}: temporary stays {}", p.id, n[2]);
        let local = p
            .toegangen
            .iter()
            .any(|t| vangnet_domain::frontdoor::has_local_front_doors(t.model));
        assert_eq!(n[3] > 0, local, "{}: advice asked {}", p.id, n[3]);
        if p.products
            .iter()
            .any(|q| q.unit == vangnet_domain::region::Unit::Nacht)
        {
            assert!(n[5] > 50, "{}: {} guests past the 3rd night", p.id, n[5]);
        }
    }
}

/// Issue 15: the housing facts are in the demo of every region with corporations — a
/// woonbehoefte for uitstroomklaar clients, offers, people housed, einde zorg with the
/// destination home (mostly the facility's gemeente).
#[test]
fn the_demo_has_the_housing_facts() {
    let regions = Regions::builtin();
    let c = cfg(7);
    let demo = generate(&regions, &c);
    let mut per: HashMap<String, [usize; 4]> = HashMap::new();
    for e in &demo.events {
        let regio = regions
            .all()
            .iter()
            .find(|p| {
                p.corporaties
                    .iter()
                    .any(|x| matches!(&e.event, ClientEvent::Woningaanbod { corporatie, .. } if *corporatie == x.id))
            })
            .map(|p| p.id.to_string());
        let n = |k: usize, per: &mut HashMap<String, [usize; 4]>, r: String| {
            per.entry(r).or_default()[k] += 1
        };
        match &e.event {
            ClientEvent::Woonbehoefte(_) => n(0, &mut per, "alle".into()),
            ClientEvent::Woningaanbod { .. } => n(1, &mut per, regio.unwrap_or_default()),
            ClientEvent::Verhuizing { .. } => n(2, &mut per, "alle".into()),
            ClientEvent::EindeZorg {
                woning: Some(_), ..
            } => n(3, &mut per, "alle".into()),
            _ => {}
        }
    }
    let alle = per["alle"];
    assert!(
        alle[0] > 100 && alle[2] > 50 && alle[3] > alle[2],
        "{alle:?}"
    );
    for p in regions.all().iter().filter(|p| !p.corporaties.is_empty()) {
        assert!(
            per.get(p.id.as_str()).is_some_and(|n| n[1] > 0),
            "{}: no offers",
            p.id
        );
    }
    // Every stream still folds (checked in `same_seed_same_data_and_every_stream_is_valid`).
    let _ = fold_all(&regions, &demo);
}
