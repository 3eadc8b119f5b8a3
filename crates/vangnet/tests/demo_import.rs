//! The demo generator's output goes through the real import path (row validation, refolds
//! for back-dated facts and corrections, projections) and rebuilds to the same projections.

use vangnet_domain::{Date, Regions};
use vangnet_store::{AccessGate, ImportMode, ImportRow, Store};
use vangnet_store_sqlite::SqliteStore;

#[test]
fn demo_history_imports_whole_and_rebuilds_identically() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let regions = Regions::builtin();
    let store = SqliteStore::open(&dir.join("demo.sqlite"), regions.clone()).unwrap();
    let demo = vangnet_demo::generate(
        &regions,
        &vangnet_demo::DemoConfig {
            seed: 3,
            start: Date::parse("2019-01-01").unwrap(),
            end: Date::parse("2026-11-01").unwrap(),
            scale: 1.0,
            first_client: 1,
        },
    );
    let sys = AccessGate::system("demo");
    store.put_persons(&sys, &demo.persons).unwrap();
    let n = demo.events.len() as u64;
    let mut rows = demo.events.into_iter().map(|e| Ok(ImportRow::from(e)));
    let report = store
        .import(&sys, &mut rows, ImportMode::AllOrNothing, &|_| {})
        .unwrap();
    assert!(
        report.committed,
        "demo rejected: {:?}",
        &report.rejected[..report.rejected.len().min(5)]
    );
    assert_eq!(report.imported, n);
    let incremental = store.snapshot().unwrap();
    store.rebuild(&|_| {}).unwrap();
    assert_eq!(store.snapshot().unwrap(), incremental);
}
