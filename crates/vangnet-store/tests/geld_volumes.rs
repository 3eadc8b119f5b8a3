//! `vangnet_store::geld::money_volumes` on a SQLite store with a demo history.

use vangnet_domain::Regions;
use vangnet_domain::{Maand, RegionId};
use vangnet_money::volume::{Attribution, VolumeSoort};
use vangnet_store::geld::{VolumesError, money_volumes};
use vangnet_store::{Store, StoreError};

/// On a demo history read through the store: there are realised days, under every
/// attribution the days of a month and kind sum to the same total, the volumes equal the
/// model's reading of every stored row, and an unknown region is refused. (How rows
/// become volumes is `vangnet_money::volume`'s, tested there.)
#[test]
fn volumes_of_the_demo_region_are_consistent() {
    let dir = tempfile::tempdir().expect("dir");
    let store =
        vangnet_store_sqlite::SqliteStore::open(&dir.path().join("t.sqlite"), Regions::builtin())
            .expect("open");
    let regions = Regions::builtin();
    let demo = vangnet_demo::generate(
        &regions,
        &vangnet_demo::DemoConfig {
            seed: 7,
            start: vangnet_domain::Date::parse("2022-01-01").expect("d"),
            end: vangnet_domain::Date::parse("2024-07-01").expect("d"),
            scale: 0.2,
            first_client: 1,
        },
    );
    let gate = vangnet_store::AccessGate::system("test");
    let mut rows = demo
        .events
        .into_iter()
        .map(vangnet_store::ImportRow::from)
        .map(Ok);
    let r = store
        .import(
            &gate,
            &mut rows,
            vangnet_store::ImportMode::AllOrNothing,
            &|_| {},
        )
        .expect("import");
    assert!(r.committed);
    let region = RegionId::parse("centraal-gelderland").expect("id");
    let from = Maand::parse("2024-01").expect("m");
    let until = Maand::parse("2024-06").expect("m");
    let v = money_volumes(&store, &region, from, until).expect("volumes");
    assert!(
        v.iter()
            .any(|x| x.soort == VolumeSoort::Zorgdagen && x.aantal > 0)
    );
    for m in 0..6 {
        let maand = from.plus(m);
        for soort in [
            VolumeSoort::Zorgdagen,
            VolumeSoort::Verplicht,
            VolumeSoort::Nachten,
        ] {
            let per: Vec<i64> = Attribution::ALL
                .iter()
                .map(|a| {
                    v.iter()
                        .filter(|x| x.attribution == *a && x.maand == maand && x.soort == soort)
                        .map(|x| x.aantal)
                        .sum()
                })
                .collect();
            assert!(
                per.iter().all(|d| *d == per[0]),
                "{maand:?} {soort:?}: {per:?}"
            );
        }
    }
    // The same volumes as the model reading every stored row since the first month
    // (money_volumes collapses the months before `from`), for several windows.
    let profile = store.regions().get(&region).expect("region").clone();
    for (a, b) in [
        ("2024-01", "2024-06"),
        ("2022-01", "2024-06"),
        ("2023-07", "2023-07"),
    ] {
        let (a, b) = (Maand::parse(a).expect("m"), Maand::parse(b).expect("m"));
        let rows = store
            .monitor(&region, &vangnet_money::MONEY_MEASURES, b.key())
            .expect("rows");
        let full = vangnet_money::from_rows(
            &profile,
            rows.iter().map(|r| vangnet_money::DayRow {
                measure: &r.measure,
                maand: r.maand,
                product: &r.product,
                gemeente: &r.gemeente,
                locatie: &r.locatie,
                extra: r.extra,
                n: r.n,
            }),
            a,
            b,
        )
        .expect("volumes");
        assert!(!full.is_empty());
        assert_eq!(
            money_volumes(&store, &region, a, b).expect("volumes"),
            full,
            "{a:?}..{b:?}"
        );
    }
    let unknown = RegionId::parse("nergens").expect("id");
    assert!(matches!(
        money_volumes(&store, &unknown, from, until),
        Err(VolumesError::Store(StoreError::Invalid(_)))
    ));
}
