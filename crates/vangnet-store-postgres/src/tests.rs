//! Tests against a real PostgreSQL server named by `VANGNET_TEST_DATABASE_URL` (start one
//! with `scripts/pg-test-server.sh`); without it they print why and pass. Each test works in
//! its own schema, dropped afterwards, so they run in parallel in one database.

use tempfile::TempDir;

use vangnet_domain::person::synthetic_person;
use vangnet_domain::rng::Rng;
use vangnet_store::conformance;
use vangnet_store_sqlite::SqliteStore;

use super::*;
use crate::testing::{drop_schema, reset_schema, test_database_url};

/// Drops the test's schema when the test ends (also when it fails).
struct Schema {
    base: String,
    name: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = drop_schema(&self.base, &self.name);
    }
}

/// A store in a fresh schema, or `None` when no test database is configured.
fn fresh(test: &str) -> Option<(PostgresStore, Schema, String)> {
    let base = test_database_url()?;
    let name = format!("t_{test}_{}", std::process::id());
    let url = reset_schema(&base, &name).unwrap();
    let store = PostgresStore::connect(&url, Regions::builtin()).unwrap();
    Some((store, Schema { base, name }, url))
}

/// A SQLite store in `dir`, for the comparison side.
fn sqlite(dir: &TempDir) -> SqliteStore {
    SqliteStore::open(&dir.path().join("t.sqlite"), Regions::builtin()).unwrap()
}

fn export_all(s: &dyn Store) -> Vec<RecordedEvent> {
    let mut out = Vec::new();
    s.export(&AccessGate::system("export"), &mut |e| {
        out.push(e);
        Ok(())
    })
    .unwrap();
    out
}

/// The log without recording times (which differ between two runs).
fn timeless(events: Vec<RecordedEvent>) -> Vec<RecordedEvent> {
    events
        .into_iter()
        .map(|e| RecordedEvent {
            recorded_at: vangnet_domain::clock::Timestamp::UNIX_EPOCH,
            ..e
        })
        .collect()
}

fn overviews(s: &dyn Store) -> Vec<RegionOverview> {
    let on = Date::parse("2026-01-01").unwrap();
    s.regions()
        .all()
        .iter()
        .map(|r| s.overview(&r.id, on).unwrap())
        .collect()
}

#[test]
fn accounts_story() {
    let Some((s, _schema, _)) = fresh("accounts") else {
        return;
    };
    vangnet_store::accounts::conformance::run_all(&s);
}

/// feat/werklijst: the worklist page and the named waiting list.
#[test]
fn worklist_page_story() {
    let Some((s, _schema, _)) = fresh("worklist_page") else {
        return;
    };
    conformance::worklist_page_story(&s);
}

/// Issue 12: capacity, overbezetting and planned facts (feat/capacity).
#[test]
fn capacity_and_planned_facts() {
    let Some((s, _schema, _)) = fresh("capacity") else {
        return;
    };
    conformance::capacity_and_planned(&s);
}

#[test]
fn letters_story() {
    let Some((s, _schema, url)) = fresh("letters") else {
        return;
    };
    vangnet_store::letters::conformance::run_all(&s);
    // The deleted client's letter row is gone from the table, the other one is there.
    let mut c = Client::connect(&url, NoTls).unwrap();
    let mut count = |id: i64| -> i64 {
        c.query_one("SELECT COUNT(*) FROM letters WHERE client_id = $1", &[&id])
            .unwrap()
            .get(0)
    };
    assert_eq!((count(8_102), count(8_101)), (0, 2));
}

#[test]
fn conformance_story() {
    let Some((s, _schema, _)) = fresh("conformance") else {
        return;
    };
    conformance::run_all(&s);
}

#[test]
fn rebuild_equals_incremental_on_a_large_random_history() {
    let Some((s, _schema, _)) = fresh("rebuild_large") else {
        return;
    };
    conformance::rebuild_matches_incremental(&s, 3_000);
}

#[test]
fn reopening_applies_no_migration_twice() {
    let Some((s, _schema, url)) = fresh("reopen") else {
        return;
    };
    drop(s);
    let s = PostgresStore::connect(&url, Regions::builtin()).unwrap();
    assert_eq!(s.event_count().unwrap(), 0);
    let mut c = Client::connect(&url, NoTls).unwrap();
    let n: i64 = c
        .query_one("SELECT COUNT(*) FROM schema_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, MIGRATIONS.len() as i64);
}

#[test]
fn same_random_history_gives_identical_snapshots_on_sqlite_and_postgresql() {
    let Some((pg, _schema, _)) = fresh("same_history") else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let sq = sqlite(&dir);
    conformance::rebuild_matches_incremental(&sq, 600);
    conformance::rebuild_matches_incremental(&pg, 600);
    let (a, b) = (sq.snapshot().unwrap(), pg.snapshot().unwrap());
    assert_eq!(a.clients.len(), b.clients.len());
    for (x, y) in a.clients.iter().zip(&b.clients) {
        assert_eq!(x, y, "client state differs between the engines");
    }
    assert_eq!(a, b);
    assert_eq!(
        timeless(export_all(&sq)),
        timeless(export_all(&pg)),
        "the logs differ (seq, versions, payloads)"
    );
    assert_eq!(overviews(&sq), overviews(&pg));
}

#[test]
fn conformance_story_leaves_identical_stores_on_both_engines() {
    let Some((pg, _schema, _)) = fresh("same_story") else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let sq = sqlite(&dir);
    conformance::run_all(&sq);
    conformance::run_all(&pg);
    assert_eq!(sq.snapshot().unwrap(), pg.snapshot().unwrap());
    // Sequence numbers included: a rolled-back import leaves no gap in either engine.
    assert_eq!(timeless(export_all(&sq)), timeless(export_all(&pg)));
    assert_eq!(overviews(&sq), overviews(&pg));
}

#[test]
fn export_then_import_reproduces_the_store_on_both_engines() {
    let Some((a, _sa, _)) = fresh("roundtrip_a") else {
        return;
    };
    let Some((b, _sb, _)) = fresh("roundtrip_b") else {
        return;
    };
    conformance::rebuild_matches_incremental(&a, 400);
    let log = export_all(&a);
    let sys = AccessGate::system("import");
    // Into PostgreSQL (small batches under test: many COPY flushes, refolds across them).
    let mut rows = log.iter().cloned().map(|e| Ok(ImportRow::from(e)));
    let rep = b
        .import(&sys, &mut rows, ImportMode::AllOrNothing, &|_| {})
        .unwrap();
    assert!(rep.committed, "{:?}", rep.rejected);
    assert_eq!(rep.imported as usize, log.len());
    assert_eq!(b.snapshot().unwrap(), a.snapshot().unwrap());
    assert_eq!(
        export_all(&b),
        log,
        "import keeps seq order, actors and recording times"
    );
    b.rebuild(&|_| {}).unwrap();
    assert_eq!(b.snapshot().unwrap(), a.snapshot().unwrap());
    // Into SQLite: the same result.
    let dir = TempDir::new().unwrap();
    let sq = sqlite(&dir);
    let mut rows = log.iter().cloned().map(|e| Ok(ImportRow::from(e)));
    assert!(
        sq.import(&sys, &mut rows, ImportMode::AllOrNothing, &|_| {})
            .unwrap()
            .committed
    );
    assert_eq!(sq.snapshot().unwrap(), a.snapshot().unwrap());
    // Importing the same log again on top: every row clashes with the stored versions.
    let mut rows = log.iter().cloned().map(|e| Ok(ImportRow::from(e)));
    let rep = b
        .import(&sys, &mut rows, ImportMode::AllOrNothing, &|_| {})
        .unwrap();
    assert!(!rep.committed);
    assert_eq!(rep.rejected.len(), log.len());
    assert_eq!(b.event_count().unwrap() as usize, log.len());
}

#[test]
fn import_onto_existing_streams_matches_sqlite() {
    let Some((pg, _schema, _)) = fresh("import_onto") else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let sq = sqlite(&dir);
    // Part of each history appended normally, the rest imported (back-dated rows included).
    let regions = Regions::builtin();
    let mut rng = Rng::new(7);
    let g = AccessGate::system("test");
    let mut later: Vec<ImportRow> = Vec::new();
    for c in 0..300u32 {
        let client = ClientId(5_000 + u64::from(c));
        let stream = vangnet_store::random::random_stream(&mut rng, &regions, client);
        let split = 1 + rng.below(stream.len() as u64) as usize;
        let person = synthetic_person(&mut rng, 5_000 + c, Date::parse("1980-05-05").unwrap());
        let cmd = AppendCommand {
            client,
            expected_version: None,
            idempotency_key: None,
            events: stream[..split].to_vec(),
            person: Some(person),
        };
        sq.append(&g, cmd.clone()).unwrap();
        pg.append(&g, cmd).unwrap();
        later.extend(stream[split..].iter().map(|(eff, ev)| ImportRow {
            client,
            version: None,
            effective: *eff,
            actor: None,
            recorded_at: Some("2026-01-01T00:00:00.000Z".parse().unwrap()),
            event: ev.clone(),
            seq: None,
            line: 0,
        }));
    }
    // Interleave the clients' rows as a real file would (order within a client kept).
    let mut by_client: Vec<Vec<ImportRow>> = Vec::new();
    for r in later {
        match by_client.iter_mut().find(|v| v[0].client == r.client) {
            Some(v) => v.push(r),
            None => by_client.push(vec![r]),
        }
    }
    let mut rows = Vec::new();
    while by_client.iter().any(|v| !v.is_empty()) {
        for v in by_client.iter_mut().filter(|v| !v.is_empty()) {
            rows.push(v.remove(0));
        }
    }
    // A few bad rows, skipped.
    rows.insert(
        3,
        ImportRow {
            version: Some(99),
            ..rows[3].clone()
        },
    );
    rows.push(ImportRow {
        client: ClientId(999_999),
        ..rows[0].clone()
    });
    for s in [&sq as &dyn Store, &pg] {
        let mut it = rows.iter().cloned().map(Ok);
        let rep = s
            .import(
                &AccessGate::system("import"),
                &mut it,
                ImportMode::SkipBad,
                &|_| {},
            )
            .unwrap();
        assert!(rep.committed);
        assert_eq!(rep.rejected.len(), 2, "{:?}", rep.rejected);
    }
    assert_eq!(sq.snapshot().unwrap(), pg.snapshot().unwrap());
    assert_eq!(timeless(export_all(&sq)), timeless(export_all(&pg)));
    let before = pg.snapshot().unwrap();
    pg.rebuild(&|_| {}).unwrap();
    assert_eq!(pg.snapshot().unwrap(), before);
}

#[test]
fn concurrent_appends_to_one_client_conflict() {
    let Some((s, _schema, _)) = fresh("concurrent") else {
        return;
    };
    let g = conformance::clerk();
    let regio = RegionId::parse("centraal-gelderland").unwrap();
    let herkomst = vangnet_domain::GemeenteCode::parse("GM0202").unwrap();
    let aanmelding = ClientEvent::Aanmelding {
        regio,
        melder: vangnet_domain::events::Melder::Zelf,
        herkomst_gemeente: Some(herkomst),
        woonsituatie: vangnet_domain::events::Woonsituatie::Dakloos,
        urgentie: vangnet_domain::events::Urgentie::Regulier,
        voordeur: None,
    };
    let day = Date::parse("2024-05-01").unwrap();
    let person = synthetic_person(&mut Rng::new(1), 1, Date::parse("1990-01-01").unwrap());
    s.append(
        &g,
        AppendCommand {
            client: ClientId(1),
            expected_version: None,
            idempotency_key: None,
            events: vec![(day, aanmelding)],
            person: Some(person),
        },
    )
    .unwrap();
    let beoordeling = ClientEvent::Beoordeling {
        criteria: vec![],
        zrm: [Some(3); vangnet_domain::events::ZRM_DOMAINS],
        doelgroep: None,
        advies: vangnet_domain::events::Advies::Toewijzen,
        behoeften: Vec::new(),
    };
    // Eight clerks, each on its own connection, submit at the same moment, several rounds.
    let warm: Vec<_> = (0..8).map(|_| s.pooled().unwrap()).collect();
    drop(warm);
    for round in 1..=5u32 {
        let barrier = std::sync::Barrier::new(8);
        let results: Vec<StoreResult<Receipt>> = std::thread::scope(|sc| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    let cmd = AppendCommand {
                        client: ClientId(1),
                        expected_version: Some(round),
                        idempotency_key: None,
                        events: vec![(day.add_days(round as i32), beoordeling.clone())],
                        person: None,
                    };
                    let (s, g, barrier) = (&s, &g, &barrier);
                    sc.spawn(move || {
                        barrier.wait();
                        s.append(g, cmd)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        for r in &results {
            match r {
                Ok(rec) => assert_eq!(
                    (rec.version, rec.first_seq),
                    (round + 1, u64::from(round) + 1)
                ),
                Err(StoreError::Conflict {
                    expected, actual, ..
                }) if *expected == Some(round) && *actual == round + 1 => {}
                Err(e) => panic!("expected a conflict, got {e}"),
            }
        }
    }
    assert_eq!(s.event_count().unwrap(), 6);
    let seqs: Vec<u64> = export_all(&s).iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=6).collect::<Vec<_>>());
}

#[test]
fn put_persons_checks_like_sqlite() {
    let Some((pg, _schema, _)) = fresh("persons") else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let sq = sqlite(&dir);
    let born = Date::parse("1970-01-01").unwrap();
    let person = |n: u32| synthetic_person(&mut Rng::new(u64::from(n)), n, born);
    let sys = AccessGate::system("demo");
    let batch: Vec<(ClientId, Person)> = (1..=10)
        .map(|n| (ClientId(u64::from(n)), person(n)))
        .collect();
    let outcome = |s: &dyn Store, persons: &[(ClientId, Person)]| {
        s.put_persons(&sys, persons).map_err(|e| e.to_string())
    };
    for s in [&sq as &dyn Store, &pg] {
        assert_eq!(outcome(s, &batch), Ok(()));
        assert!(matches!(
            s.put_persons(&conformance::clerk(), &batch[..1]),
            Err(StoreError::Denied(_))
        ));
    }
    // A BSN already stored, one repeated within the batch, a person who is not synthetic:
    // the same first error on both engines, and nothing of the batch is written.
    let stored_twice = vec![
        (ClientId(11), person(11)),
        (ClientId(12), person(12)),
        (ClientId(13), person(4)),
    ];
    let twice_in_batch = vec![
        (ClientId(21), person(21)),
        (ClientId(22), person(22)),
        (ClientId(23), person(23)),
        (ClientId(24), person(22)),
    ];
    let not_synthetic = vec![
        (ClientId(31), person(31)),
        (
            ClientId(32),
            Person {
                synthetic: false,
                ..person(32)
            },
        ),
    ];
    for bad in [&stored_twice, &twice_in_batch, &not_synthetic] {
        let (a, b) = (outcome(&sq, bad), outcome(&pg, bad));
        assert!(a.is_err(), "{bad:?}");
        assert_eq!(a, b);
    }
    // A client id that already has a person: refused by both (the database's words differ).
    assert!(matches!(
        pg.put_persons(&sys, &[(ClientId(3), person(40))]),
        Err(StoreError::Backend(_))
    ));
    assert!(matches!(
        sq.put_persons(&sys, &[(ClientId(3), person(40))]),
        Err(StoreError::Database {
            kind: vangnet_store::DatabaseFault::Failed,
            ..
        })
    ));
    // The refused batches left nothing behind: their good people can still be registered.
    let good: Vec<_> = [11, 12, 21, 22, 23, 31]
        .iter()
        .map(|&n| (ClientId(u64::from(n)), person(n)))
        .collect();
    for s in [&sq as &dyn Store, &pg] {
        assert_eq!(outcome(s, &good), Ok(()));
    }
    // A registered BSN cannot be used for a new client.
    let cmd = AppendCommand {
        client: ClientId(50),
        expected_version: None,
        idempotency_key: None,
        events: vec![(
            Date::parse("2024-01-10").unwrap(),
            ClientEvent::Aanmelding {
                regio: RegionId::parse("centraal-gelderland").unwrap(),
                melder: vangnet_domain::events::Melder::Zelf,
                herkomst_gemeente: None,
                woonsituatie: vangnet_domain::events::Woonsituatie::Dakloos,
                urgentie: vangnet_domain::events::Urgentie::Regulier,
                voordeur: None,
            },
        )],
        person: Some(person(5)),
    };
    let a = sq
        .append(&conformance::clerk(), cmd.clone())
        .map_err(|e| e.to_string());
    let b = pg
        .append(&conformance::clerk(), cmd)
        .map_err(|e| e.to_string());
    assert!(a.as_ref().is_err_and(|e| e.contains("bsn")), "{a:?}");
    assert_eq!(a, b);
}

/// Connection failures, serialization failures and deadlocks are temporary (→ 503), other
/// server errors failures; the driver's error is kept as the source.
#[test]
fn database_errors_are_classified_and_keep_their_source() {
    // Nothing listens on port 1: a connection error, no server needed.
    let refused = match PostgresStore::connect(
        "postgres://postgres@127.0.0.1:1/vangnet_test?connect_timeout=2",
        Regions::builtin(),
    ) {
        Err(e) => e,
        Ok(_) => panic!("connected to port 1"),
    };
    assert!(refused.is_temporary(), "{refused:?}");
    assert!(std::error::Error::source(&refused).is_some());

    let Some(base) = test_database_url() else {
        return;
    };
    let mut c = Client::connect(&base, NoTls).unwrap();
    for (code, temporary) in [
        ("40001", true),
        ("40P01", true),
        ("08006", true),
        ("57P01", true),
        ("23505", false),
        ("22008", false),
    ] {
        let sql = format!("DO $$ BEGIN RAISE EXCEPTION 'proef' USING ERRCODE = '{code}'; END $$");
        let e = db(c.batch_execute(&sql).unwrap_err());
        assert_eq!(e.is_temporary(), temporary, "{code}: {e:?}");
        assert!(e.detail().contains("proef"), "{code}: {}", e.detail());
        assert!(
            std::error::Error::source(&e)
                .is_some_and(|s| s.downcast_ref::<postgres::Error>().is_some()),
            "{code}"
        );
    }
}

/// SQL on the store's schema around the store, as an attacker with database access would;
/// an error is the server's message.
fn raw(url: &str) -> impl Fn(&str) -> Result<(), String> + '_ {
    move |sql: &str| {
        let mut c = Client::connect(url, NoTls).map_err(|e| e.to_string())?;
        c.batch_execute(sql).map_err(|e| {
            e.as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_owned())
        })
    }
}

#[test]
fn access_chain_detects_tampering() {
    let Some((s, _schema, url)) = fresh("chain") else {
        return;
    };
    conformance::access_chain(
        &s,
        &raw(&url),
        "DROP TRIGGER access_log_guard ON access_log",
    );
}

#[test]
fn deleting_a_client_past_retention() {
    let Some((s, _schema, url)) = fresh("deletion") else {
        return;
    };
    vangnet_store::deletion_story::deletion_story(
        &s,
        &raw(&url),
        "CREATE FUNCTION fail_deletion() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test: onderbroken'; END $$;
         CREATE TRIGGER fail_deletion BEFORE INSERT ON deleted_clients FOR EACH ROW EXECUTE FUNCTION fail_deletion();",
        "DROP TRIGGER fail_deletion ON deleted_clients; DROP FUNCTION fail_deletion();",
    );
}

#[test]
fn client_access_overview() {
    let Some((s, _schema, _url)) = fresh("inzage") else {
        return;
    };
    conformance::client_access_overview(&s);
}

#[test]
fn search_story() {
    let Some((s, _schema, _url)) = fresh("zoeken") else {
        return;
    };
    vangnet_store::search_story::search_story(&s);
}

#[test]
fn cross_region_story() {
    let Some((s, _schema, _url)) = fresh("andere_regio") else {
        return;
    };
    vangnet_store::search_story::cross_region_story(&s);
}

/// feat/portaal (issue 14): a provider's clients.
#[test]
fn provider_clients_story() {
    let Some((s, _schema, _url)) = fresh("aanbieder_clienten") else {
        return;
    };
    vangnet_store::aanbieder::story(&s);
}

/// feat/corporatie (issue 15): a corporation's housing candidates.
#[test]
fn woon_kandidaten_story() {
    let Some((s, _schema, _url)) = fresh("woon_kandidaten") else {
        return;
    };
    vangnet_store::wonen::story(&s);
}

/// Issue 15: migration 0021 fills `woon_kandidaat` from the stored states of a database
/// migration 0018 left with only the uitstroomklaar candidates (`wonen::upgrade_story`).
#[test]
fn migration_0021_fills_the_candidates_from_the_states() {
    let Some((s, _schema, url)) = fresh("kandidaat_vullen") else {
        return;
    };
    let sql = MIGRATIONS.iter().find(|m| m.0 == 18).unwrap().2;
    let old_fill = &sql[sql.find("INSERT").unwrap()..];
    vangnet_store::wonen::upgrade_story(&s, &raw(&url), old_fill, &|| {
        Box::new(PostgresStore::connect(&url, Regions::builtin()).unwrap())
    });
}

#[test]
fn a_log_from_before_the_chain_is_chained_by_the_migration() {
    let Some(base) = test_database_url() else {
        return;
    };
    let name = format!("t_oldlog_{}", std::process::id());
    let url = reset_schema(&base, &name).unwrap();
    let _schema = Schema { base, name };
    {
        // A database of the previous version: migrations 1–3, rows with gaps in the ids
        // (the sequence skips values on rollback).
        let mut c = Client::connect(&url, NoTls).unwrap();
        c.batch_execute("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)").unwrap();
        for (v, name, sql) in &MIGRATIONS[..3] {
            c.batch_execute(sql).unwrap();
            c.execute(
                "INSERT INTO schema_migrations VALUES ($1, $2, 'x')",
                &[v, name],
            )
            .unwrap();
        }
        c.batch_execute("SELECT setval('access_log_id_seq', 4)")
            .unwrap();
        for _ in 0..3 {
            c.batch_execute(
                "INSERT INTO access_log (at, actor_user, actor_role, actor_org, client_id, action, purpose, allowed, reason) VALUES ('2020-01-01T00:00:00.000Z', 'oud', 'toegangsmedewerker', 'regio:x', 3, 'lezen', 'p', true, 'r'); SELECT nextval('access_log_id_seq')",
            )
            .unwrap();
        }
    }
    let s = PostgresStore::connect(&url, Regions::builtin()).unwrap();
    let sys = AccessGate::system("test");
    let r = s.verify_access_log(&sys).unwrap();
    assert!(r.ok(), "{r}");
    assert_eq!((r.first, r.last, r.rows), (1, 3, 3));
    s.log_job(&sys, "herbouwen").unwrap();
    let r = s.verify_access_log(&sys).unwrap();
    assert!(r.ok() && r.last == 5, "{r}");
    assert!(raw(&url)("UPDATE access_log SET purpose = 'q' WHERE id = 1").is_err());
}

#[test]
fn two_stores_on_one_schema_keep_one_chain() {
    let Some((a, _schema, url)) = fresh("chain2") else {
        return;
    };
    let b = PostgresStore::connect(&url, Regions::builtin()).unwrap();
    conformance::concurrent_chain(&a, &b);
}

#[test]
fn agreed_action_stands_are_stored_append_only() {
    let Some((s, _schema, url)) = fresh("acties") else {
        return;
    };
    vangnet_store::acties::story(&s, &raw(&url));
}

#[test]
fn places_over_time_are_stored_append_only_once_and_logged() {
    let Some((s, _schema, url)) = fresh("plaatsen") else {
        return;
    };
    vangnet_store::plaatsen::story(&s, &raw(&url));
}

#[test]
fn woningafspraken_are_stored_append_only_once_and_logged() {
    let Some((s, _schema, url)) = fresh("woningafspraak") else {
        return;
    };
    vangnet_store::woningafspraken::story(&s, &raw(&url));
}

#[test]
fn tariffs_are_stored_append_only_once_and_logged() {
    let Some((s, _schema, url)) = fresh("tarief") else {
        return;
    };
    vangnet_store::tarieven::story(&s, &raw(&url));
}

/// feat/plaatsen: the overview's statement spells out `plaatsen::SPECIAL_STATES` exactly (the
/// partial index of migration 0015 is used only for the same expression).
#[test]
fn the_places_overview_uses_the_partial_index_condition() {
    let src = include_str!("lib.rs");
    assert!(src.contains(vangnet_store::plaatsen::SPECIAL_STATES));
    assert!(
        include_str!("../migrations/0015_plaatsen_index.sql")
            .contains(vangnet_store::plaatsen::SPECIAL_STATES)
    );
}
