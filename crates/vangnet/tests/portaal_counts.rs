//! Issue 14 (feat/portaal): the provider portal counts and selects a provider's clients on
//! the columns of the `client_provider` projection (migration 0016) instead of reading every
//! stored state. Over a generated demo history (every kind of issue 14's facts: proposals,
//! requests, temporary stays, MO nights), on SQLite and on PostgreSQL (when
//! `VANGNET_TEST_DATABASE_URL` names a test server): for every provider, with and without
//! each of its locations, on several days, the engine's totals and attention picks equal
//! those decided from the parsed states (`vangnet_store::aanbieder::counts_agree`) — also
//! after a rebuild.

use vangnet_domain::{Date, Regions};
use vangnet_store::{AccessGate, ImportMode, ImportRow, Store};

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// Days around the end of the history: terms passed, due within 8 weeks, far ahead.
fn days() -> Vec<Date> {
    vec![
        d("2026-06-01"),
        d("2026-10-15"),
        d("2026-11-01"),
        d("2027-03-01"),
    ]
}

fn fill(store: &dyn Store) {
    let regions = Regions::builtin();
    let demo = vangnet_demo::generate(
        &regions,
        &vangnet_demo::DemoConfig {
            seed: 14,
            start: d("2023-01-01"),
            end: d("2026-11-01"),
            scale: 0.05,
            first_client: 1,
        },
    );
    let sys = AccessGate::system("demo");
    store.put_persons(&sys, &demo.persons).expect("persons");
    let mut rows = demo.events.into_iter().map(|e| Ok(ImportRow::from(e)));
    let report = store
        .import(&sys, &mut rows, ImportMode::AllOrNothing, &|_| {})
        .expect("import");
    assert!(
        report.committed,
        "{:?}",
        &report.rejected[..report.rejected.len().min(3)]
    );
}

fn check(store: &dyn Store) {
    fill(store);
    let snap = store.snapshot().expect("snapshot");
    // The history has rows of every kind the columns describe.
    let rows = &snap.providers;
    assert!(
        rows.iter().any(|r| r.voorstel_tot.is_some()),
        "no open proposal"
    );
    assert!(rows.iter().any(|r| r.verzoek), "no open request");
    assert!(
        rows.iter().any(|r| r.taak_tot.is_some()),
        "no provider task"
    );
    assert!(
        rows.iter().any(|r| r.zorg_locatie.is_some()),
        "nobody in care"
    );
    let (lists, clients) = vangnet_store::aanbieder::counts_agree(store, &days());
    assert!(
        lists >= 100 && clients >= 1_000,
        "{lists} lists, {clients} clients"
    );
    store.rebuild(&|_| {}).expect("rebuild");
    assert_eq!(
        store.snapshot().expect("snapshot").providers,
        snap.providers
    );
    assert_eq!(
        vangnet_store::aanbieder::counts_agree(store, &days()),
        (lists, clients)
    );
}

#[test]
fn projection_counts_equal_counts_from_the_states_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let store =
        vangnet_store_sqlite::SqliteStore::open(&dir.path().join("t.sqlite"), Regions::builtin())
            .expect("store");
    check(&store);
}

#[test]
fn projection_counts_equal_counts_from_the_states_on_postgresql() {
    use vangnet_store_postgres::testing::{drop_schema, reset_schema, test_database_url};
    let Some(base) = test_database_url() else {
        return;
    };
    let schema = format!("t_portaal_{}", std::process::id());
    let url = reset_schema(&base, &schema).expect("schema");
    let store =
        vangnet_store_postgres::PostgresStore::connect(&url, Regions::builtin()).expect("store");
    check(&store);
    drop(store);
    drop_schema(&base, &schema).expect("drop schema");
}
