//! The money's client-days (issue 13) through a real store, on SQLite and on PostgreSQL
//! (when `VANGNET_TEST_DATABASE_URL` is set): appending facts, a back-dated end and a
//! correction of the start date move the days between months and between realised and
//! committed, and `rebuild_monitor` gives the same cells as the incremental maintenance.

use std::collections::BTreeMap;

use vangnet_domain::events::{Bestemming, Leveringsvorm, Melder, Urgentie, Woonsituatie};
use vangnet_domain::monitor::{Measure, day_part, days_in_month};
use vangnet_domain::person::synthetic_person;
use vangnet_domain::region::{Domain, Unit};
use vangnet_domain::rng::Rng;
use vangnet_domain::{ClientEvent, ClientId, Date, Maand, RegionId, Regions};
use vangnet_store::{AccessGate, AppendCommand, Store};

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn cg() -> RegionId {
    RegionId::parse("centraal-gelderland").expect("id")
}

/// A stored row as a tuple.
type Row = (String, u32, String, String, String, u32, i64);

/// The stored day rows of the region, sorted (measure, month, product, gemeente, locatie,
/// extra, n).
fn day_rows(store: &dyn Store) -> Vec<Row> {
    let mut rows: Vec<_> = store
        .monitor(&cg(), &Measure::DAYS, 999_912)
        .expect("rows")
        .into_iter()
        .filter(|r| r.n != 0)
        .map(|r| {
            (
                r.measure, r.maand, r.product, r.gemeente, r.locatie, r.extra, r.n,
            )
        })
        .collect();
    rows.sort();
    rows
}

/// (measure, product, gemeente, locatie, leveringsvorm).
type DayKey = (String, String, String, String, u32);

/// Days per (measure, month) summed over the other keys, for the months of 2024.
fn days(store: &dyn Store) -> BTreeMap<(String, u32), i64> {
    let mut parts: BTreeMap<DayKey, BTreeMap<u32, (i64, i64)>> = BTreeMap::new();
    for (m, maand, p, g, l, extra, n) in day_rows(store) {
        let (lv, deel) = day_part(extra);
        let e = parts
            .entry((m, p, g, l, lv))
            .or_default()
            .entry(maand)
            .or_insert((0, 0));
        if deel {
            e.1 += n;
        } else {
            e.0 += n;
        }
    }
    let mut out = BTreeMap::new();
    for ((m, ..), months) in parts {
        let mut stand = 0;
        let mut maand = Maand::from_key(*months.keys().next().expect("month")).expect("month");
        while maand.key() <= 202_412 {
            let k = maand.key();
            let (s, deel) = months.get(&k).copied().unwrap_or((0, 0));
            let n = days_in_month(k).expect("month") * stand + deel;
            stand += s;
            if n != 0 {
                *out.entry((m.clone(), k)).or_insert(0) += n;
            }
            maand = maand.plus(1);
        }
    }
    out
}

fn get(v: &BTreeMap<(String, u32), i64>, m: &str, maand: u32) -> i64 {
    v.get(&(m.to_owned(), maand)).copied().unwrap_or(0)
}

fn story(store: &dyn Store) {
    let regions = Regions::builtin();
    let p = regions.get(&cg()).expect("cg");
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
    let herkomst = p
        .members_on(on)
        .map(|m| m.code)
        .find(|g| *g != p.centrumgemeente)
        .expect("member");
    let gate = AccessGate::system("dagen");
    let client = ClientId(1);
    let mut version = 0u32;
    let mut append = |facts: Vec<(Date, ClientEvent)>| {
        let n = facts.len() as u32;
        store
            .append(
                &gate,
                AppendCommand {
                    client,
                    expected_version: (version > 0).then_some(version),
                    idempotency_key: None,
                    person: (version == 0)
                        .then(|| synthetic_person(&mut Rng::new(1), 1, d("1980-01-01"))),
                    events: facts,
                },
            )
            .expect("appended");
        version += n;
    };
    let start = ClientEvent::StartZorg {
        product: product.clone(),
        locatie: locatie.clone(),
        overbezetting: None,
    };
    append(vec![
        (
            d("2024-01-01"),
            ClientEvent::Aanmelding {
                regio: cg(),
                melder: Melder::Zelf,
                herkomst_gemeente: Some(herkomst),
                woonsituatie: Woonsituatie::Dakloos,
                urgentie: Urgentie::Regulier,
                voordeur: None,
            },
        ),
        (
            d("2024-01-02"),
            ClientEvent::Toewijzing {
                product: product.clone(),
                start: d("2024-01-02"),
                einde: d("2024-12-31"),
                leveringsvorm: Leveringsvorm::Zin,
                aanbieder: None,
            },
        ),
    ]);
    // Allocated, not started: committed from 2 January to 31 December.
    let v = days(store);
    assert_eq!(get(&v, "verplichte_dagen", 202_401), 30);
    assert_eq!(get(&v, "verplichte_dagen", 202_412), 31);
    assert_eq!(get(&v, "zorgdagen", 202_401), 0);

    append(vec![(d("2024-01-10"), start.clone())]);
    append(vec![(d("2024-03-01"), ClientEvent::Uitstroomklaar)]);
    let v = days(store);
    assert_eq!(get(&v, "verplichte_dagen", 202_401), 8);
    assert_eq!(get(&v, "verplichte_dagen", 202_402), 0);
    assert_eq!(get(&v, "zorgdagen", 202_401), 22);
    assert_eq!(get(&v, "zorgdagen_wpb", 202_401), 22);
    assert_eq!(get(&v, "zorgdagen", 202_406), 30);

    // A back-dated end on 20 February (the uitstroomklaar of 1 March would then fall
    // outside care, so it is voided first).
    append(vec![(
        d("2024-03-01"),
        ClientEvent::Intrekking {
            trekt_in: 4,
            reden: "ten onrechte".into(),
        },
    )]);
    append(vec![(
        d("2024-02-20"),
        ClientEvent::EindeZorg {
            bestemming: Bestemming::EigenWoningSociaal,
            woning: None,
        },
    )]);
    let v = days(store);
    assert_eq!(get(&v, "zorgdagen", 202_401), 22);
    assert_eq!(get(&v, "zorgdagen", 202_402), 19);
    assert_eq!(get(&v, "zorgdagen", 202_403), 0);
    assert_eq!(get(&v, "zorgdagen_wpb", 202_402), 19);

    // Correct the start (version 3) to 5 February: days move from January to February and
    // from realised to committed; none are created (49 = 2 January … 19 February).
    append(vec![(
        d("2024-02-05"),
        ClientEvent::Correctie {
            corrigeert: 3,
            vervanging: Box::new(start),
            reden: "startdatum gecorrigeerd".into(),
        },
    )]);
    let v = days(store);
    assert_eq!(get(&v, "zorgdagen", 202_401), 0);
    assert_eq!(get(&v, "zorgdagen", 202_402), 15);
    assert_eq!(get(&v, "verplichte_dagen", 202_401), 30);
    assert_eq!(get(&v, "verplichte_dagen", 202_402), 4);
    let total: i64 = v
        .iter()
        .filter(|((m, _), _)| m == "zorgdagen" || m == "verplichte_dagen")
        .map(|(_, n)| n)
        .sum();
    assert_eq!(total, 49);

    let before = day_rows(store);
    store.rebuild_monitor(&|_| {}).expect("rebuild");
    assert_eq!(
        day_rows(store),
        before,
        "rebuild_monitor gives the same cells"
    );
}

#[test]
fn days_move_with_appends_and_corrections_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let store =
        vangnet_store_sqlite::SqliteStore::open(&dir.path().join("t.sqlite"), Regions::builtin())
            .expect("store");
    story(&store);
}

#[test]
fn days_move_with_appends_and_corrections_on_postgresql() {
    use vangnet_store_postgres::testing::{drop_schema, reset_schema, test_database_url};
    let Some(base) = test_database_url() else {
        return;
    };
    let schema = format!("t_dagen_{}", std::process::id());
    let url = reset_schema(&base, &schema).expect("schema");
    let store =
        vangnet_store_postgres::PostgresStore::connect(&url, Regions::builtin()).expect("store");
    story(&store);
    drop(store);
    drop_schema(&base, &schema).expect("drop schema");
}
