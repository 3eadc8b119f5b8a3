//! Properties of the money's day measures (issue 13) on random client streams
//! (`vangnet_store::random::random_stream`: back-dated facts, corrected start dates, voids,
//! doorstroom, extensions, Wlz transfers): the days decoded from the net-flow day
//! representation equal the days in care read directly off the fold's states, and the total
//! per (month, product, location, leveringsvorm) is the same under today's law and under the
//! woonplaatsbeginsel; the people at a month end are the monitor's `in_zorg` stock.

use std::collections::BTreeMap;

use vangnet_domain::monitor::{Measure, Tally, day_part, days_in_month};
use vangnet_domain::rng::Rng;
use vangnet_domain::state::{ClientState, StreamEntry, fold_stream_observed};
use vangnet_domain::{ClientId, Date, Maand, Regions};

/// Decoded days: (measure, region, month, product, gemeente, locatie, lv) → (days, people).
type Days = BTreeMap<(Measure, u16, u32, u16, u16, u16, u32), (i64, i64)>;

/// Decode a tally's day cells for the months up to `until` (running from each key's first
/// month), by `days_in_month(M) × Σ_{m<M} stand(m) + deel(M)`.
fn decode(t: &Tally, until: u32) -> Days {
    type Key = (Measure, u16, u16, u16, u16, u32);
    let mut parts: BTreeMap<Key, BTreeMap<u32, (i64, i64)>> = BTreeMap::new();
    for (c, n) in t.nonzero() {
        if !c.measure.is_day_count() {
            continue;
        }
        let (lv, deel) = day_part(c.extra);
        let e = parts
            .entry((c.measure, c.regio, c.product, c.gemeente, c.locatie, lv))
            .or_default()
            .entry(c.maand)
            .or_insert((0, 0));
        if deel {
            e.1 += n;
        } else {
            e.0 += n;
        }
    }
    let mut out = Days::new();
    for ((m, r, p, g, l, lv), months) in parts {
        let mut maand = Maand::from_key(*months.keys().next().expect("a month")).expect("month");
        let mut stand = 0;
        while maand.key() <= until {
            let k = maand.key();
            let (s, deel) = months.get(&k).copied().unwrap_or((0, 0));
            let days = days_in_month(k).expect("month") * stand + deel;
            stand += s;
            assert!(
                days >= 0 && stand >= 0,
                "{m:?} {k}: {days} days, {stand} people"
            );
            if days != 0 || stand != 0 {
                out.insert((m, r, k, p, g, l, lv), (days, stand));
            }
            maand = maand.plus(1);
        }
    }
    out
}

/// (region, month, product, location, leveringsvorm).
type Totaal = (u16, u32, u16, u16, u32);

#[test]
fn days_equal_the_folds_care_and_both_attributions_agree() {
    let regions = Regions::builtin();
    let mut rng = Rng::new(0xda9e_0013);
    let until = 203_512;
    let horizon = Maand::from_key(until)
        .expect("month")
        .last_day()
        .add_days(1);
    let mut checked_days = 0i64;
    let mut clients_in_care = 0;
    for c in 1..=1_500u64 {
        let client = ClientId(c);
        let stream = vangnet_store::random::random_stream(&mut rng, &regions, client);
        let entries: Vec<StreamEntry<'_>> = stream
            .iter()
            .enumerate()
            .map(|(i, (d, e))| StreamEntry {
                version: i as u32 + 1,
                effective: *d,
                event: e,
            })
            .collect();
        let mut tally = Tally::new();
        // The fold's states in effective order: (date, state after the fact).
        let mut states: Vec<(Date, ClientState)> = Vec::new();
        fold_stream_observed(client, &entries, &regions, &mut |b, on, e, a| {
            tally.observe(&regions, b, on, e, a, 1);
            states.push((on, a.clone()));
        })
        .expect("a random stream folds");
        // Days in care per month read directly off the states: a state holds from its date
        // to the next state's date.
        let mut direct: BTreeMap<u32, i64> = BTreeMap::new();
        for (i, (on, s)) in states.iter().enumerate() {
            if s.zorg.is_none() {
                continue;
            }
            let next = states.get(i + 1).map_or(horizon, |x| x.0).min(horizon);
            let mut d = *on;
            while d < next {
                *direct.entry(Maand::of(d).key()).or_insert(0) += 1;
                d = d.add_days(1);
            }
        }
        clients_in_care += usize::from(!direct.is_empty());
        let days = decode(&tally, until);
        for m in [Measure::Zorgdagen, Measure::ZorgdagenWpb] {
            let mut per_month: BTreeMap<u32, i64> = BTreeMap::new();
            for (k, (n, _)) in &days {
                if k.0 == m {
                    *per_month.entry(k.2).or_insert(0) += n;
                }
            }
            per_month.retain(|_, n| *n != 0);
            assert_eq!(per_month, direct, "client {c}, {m:?}: {stream:?}");
        }
        checked_days += direct.values().sum::<i64>();
        // The people at a month end are the monitor's `in_zorg` stock (summed over gemeenten).
        let mut in_zorg: BTreeMap<(u16, u16, u16, u32), BTreeMap<u32, i64>> = BTreeMap::new();
        for (c, n) in tally.nonzero() {
            if c.measure == Measure::InZorg {
                *in_zorg
                    .entry((c.regio, c.product, c.locatie, c.extra))
                    .or_default()
                    .entry(c.maand)
                    .or_insert(0) += n;
            }
        }
        let mut stock: BTreeMap<Totaal, i64> = BTreeMap::new();
        for ((r, p, l, lv), flows) in in_zorg {
            let mut maand = Maand::from_key(*flows.keys().next().expect("month")).expect("month");
            let mut n = 0;
            while maand.key() <= until {
                n += flows.get(&maand.key()).copied().unwrap_or(0);
                if n != 0 {
                    stock.insert((r, maand.key(), p, l, lv), n);
                }
                maand = maand.plus(1);
            }
        }
        let mut people: BTreeMap<Totaal, i64> = BTreeMap::new();
        for (k, (_, n)) in &days {
            if k.0 == Measure::Zorgdagen && *n != 0 {
                *people.entry((k.1, k.2, k.3, k.5, k.6)).or_insert(0) += n;
            }
        }
        assert_eq!(people, stock, "client {c}: {stream:?}");
        // Same totals per (month, product, location, leveringsvorm) under both attributions.
        for (besluit, wpb) in [
            (Measure::Zorgdagen, Measure::ZorgdagenWpb),
            (Measure::VerplichteDagen, Measure::VerplichteDagenWpb),
        ] {
            let totals = |m: Measure| {
                let mut t: BTreeMap<Totaal, (i64, i64)> = BTreeMap::new();
                for (k, (n, p)) in &days {
                    if k.0 == m {
                        let e = t.entry((k.1, k.2, k.3, k.5, k.6)).or_insert((0, 0));
                        e.0 += n;
                        e.1 += p;
                    }
                }
                t.retain(|_, v| *v != (0, 0));
                t
            };
            assert_eq!(totals(besluit), totals(wpb), "client {c}: {stream:?}");
        }
    }
    assert!(clients_in_care > 300, "{clients_in_care} clients in care");
    assert!(checked_days > 100_000, "{checked_days} care days");
}
