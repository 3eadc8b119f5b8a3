//! Temporary benchmark: import N random events and rebuild, on PostgreSQL (and SQLite).
use std::time::Instant;
use vangnet_domain::rng::Rng;
use vangnet_domain::{ClientId, Regions};
use vangnet_store::{AccessGate, ImportMode, ImportRow, Store};

fn main() {
    let target: usize = std::env::args().nth(1).map_or(1_000_000, |s| s.parse().unwrap());
    let engine = std::env::args().nth(2).unwrap_or_else(|| "pg".into());
    let regions = Regions::builtin();
    let mut rng = Rng::new(42);
    let mut rows: Vec<(vangnet_domain::Date, u64, usize, ImportRow)> = Vec::new();
    let mut c = 0u64;
    while rows.len() < target {
        c += 1;
        let client = ClientId(c);
        let stream = vangnet_store::random::random_stream(&mut rng, &regions, client);
        let mut rec = stream[0].0;
        for (i, (eff, ev)) in stream.into_iter().enumerate() {
            rec = rec.max(eff);
            rows.push((rec, c, i, ImportRow { client, version: None, effective: eff, actor: None, recorded_at: None, event: ev, seq: None }));
        }
    }
    rows.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    println!("{} events, {} clients", rows.len(), c);
    let store: Box<dyn Store> = if engine == "pg" {
        let base = std::env::var("VANGNET_TEST_DATABASE_URL").unwrap();
        let url = vangnet_store_postgres::testing::reset_schema(&base, "bench").unwrap();
        Box::new(vangnet_store_postgres::PostgresStore::connect(&url, regions).unwrap())
    } else {
        let p = std::path::PathBuf::from("/tmp/bench.sqlite");
        let _ = std::fs::remove_file(&p);
        let _ = std::fs::remove_file("/tmp/bench.sqlite-wal");
        Box::new(vangnet_store_sqlite::SqliteStore::open(&p, regions).unwrap())
    };
    let t = Instant::now();
    let mut it = rows.into_iter().map(|r| Ok(r.3));
    let rep = store.import(&AccessGate::system("import"), &mut it, ImportMode::AllOrNothing, &|n| eprintln!("  import {n}")).unwrap();
    println!("import: {:?} imported={} clients={} rejected={}", t.elapsed(), rep.imported, rep.clients, rep.rejected.len());
    let t = Instant::now();
    let rb = store.rebuild(&|n| eprintln!("  rebuild {n}")).unwrap();
    println!("rebuild: {:?} {:?}", t.elapsed(), rb);
    let t = Instant::now();
    println!("count {} in {:?}", store.event_count().unwrap(), t.elapsed());
}
