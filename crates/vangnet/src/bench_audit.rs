//! `vangnet bench --audit`: what the access log's hash chain costs per durable single append
//! (one event per commit, each writing its access-log row), SQLite and PostgreSQL, chained
//! against unchained **in the same run**: two fresh stores per engine, the same generated
//! commands, appended in alternating rounds (ABBA order) so that the noise of a shared
//! machine falls on both. Unchained is the store's benchmark-only mode that writes the row
//! as before the chain (no head read, no lock, no hash). Writes the section `audit-bench`
//! of BENCHMARKS.md; the goal (issue 11) is at most 10 % per durable single append.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Result, bail};
use vangnet_domain::person::synthetic_person;
use vangnet_domain::rng::Rng;
use vangnet_domain::{ClientEvent, ClientId, Date, Regions};
use vangnet_store::{AccessGate, AppendCommand, Store};

/// Deterministic single-event commands: random client streams, one event per command.
struct Workload {
    rng: Rng,
    regions: Regions,
    next_client: u64,
    stream: Vec<(Date, ClientEvent)>,
    pos: usize,
    client: ClientId,
    version: Option<u32>,
}

impl Workload {
    fn new(regions: &Regions) -> Workload {
        Workload {
            rng: Rng::new(7_513),
            regions: regions.clone(),
            next_client: 20_000_000,
            stream: Vec::new(),
            pos: 0,
            client: ClientId(0),
            version: None,
        }
    }

    /// Append the next event to `store`.
    fn append_next(&mut self, store: &dyn Store, gate: &AccessGate) -> Result<()> {
        if self.pos >= self.stream.len() {
            self.client = ClientId(self.next_client);
            self.next_client += 1;
            self.stream =
                vangnet_store::random::random_stream(&mut self.rng, &self.regions, self.client);
            self.pos = 0;
            self.version = None;
        }
        let person = self.version.is_none().then(|| {
            synthetic_person(
                &mut self.rng,
                (self.client.0 - 15_000_000) as u32,
                Date::parse("1980-01-01").expect("date"),
            )
        });
        let cmd = AppendCommand {
            client: self.client,
            expected_version: self.version,
            idempotency_key: None,
            person,
            events: vec![self.stream[self.pos].clone()],
        };
        self.version = Some(store.append(gate, cmd)?.version);
        self.pos += 1;
        Ok(())
    }
}

/// One engine's result: µs per append in every round, chained and unchained.
struct Result2 {
    engine: &'static str,
    chained: Vec<f64>,
    plain: Vec<f64>,
    verified: String,
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// Interleave `rounds` rounds of `per_round` appends on both stores.
fn measure(
    engine: &'static str,
    chained: &dyn Store,
    plain: &dyn Store,
    rounds: usize,
    per_round: usize,
) -> Result<Result2> {
    let gate = AccessGate::system("bench");
    let regions = chained.regions().clone();
    let (mut wa, mut wb) = (Workload::new(&regions), Workload::new(&regions));
    // Warm-up: caches, prepared statements, the first pages of every table.
    for _ in 0..50 {
        wa.append_next(chained, &gate)?;
        wb.append_next(plain, &gate)?;
    }
    let mut out = Result2 {
        engine,
        chained: Vec::new(),
        plain: Vec::new(),
        verified: String::new(),
    };
    for round in 0..rounds {
        let run = |w: &mut Workload, s: &dyn Store| -> Result<f64> {
            let t = Instant::now();
            for _ in 0..per_round {
                w.append_next(s, &gate)?;
            }
            Ok(t.elapsed().as_secs_f64() * 1e6 / per_round as f64)
        };
        if round % 2 == 0 {
            out.chained.push(run(&mut wa, chained)?);
            out.plain.push(run(&mut wb, plain)?);
        } else {
            out.plain.push(run(&mut wb, plain)?);
            out.chained.push(run(&mut wa, chained)?);
        }
        eprintln!(
            "{engine} ronde {}: keten {:.0} µs, zonder {:.0} µs per append",
            round + 1,
            out.chained.last().expect("pushed"),
            out.plain.last().expect("pushed")
        );
    }
    let report = chained.verify_access_log(&gate)?;
    if !report.ok() {
        bail!("{engine}: de keten na de meting is niet intact: {report}");
    }
    out.verified = format!("{} rijen, keten intact", report.rows);
    Ok(out)
}

/// Run the measurement on SQLite (files in `dir`) and, with `pg_url`, PostgreSQL; write the
/// section to `out`.
pub fn run(dir: &Path, out: &Path, pg_url: Option<&str>, appends: u32) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let regions = Regions::builtin();
    let rounds = 10;
    let per_round = (appends as usize / rounds).max(1);
    let mut results = Vec::new();
    {
        let a = crate::bench::fresh_sqlite(dir, "audit-chained.sqlite")?;
        let b = crate::bench::fresh_sqlite(dir, "audit-plain.sqlite")?;
        let chained = vangnet_store_sqlite::SqliteStore::open(&a, regions.clone())?;
        let plain = vangnet_store_sqlite::SqliteStore::open(&b, regions.clone())?;
        plain.set_access_chain_for_benchmark(false);
        results.push(measure("SQLite", &chained, &plain, rounds, per_round)?);
    }
    let mut pg_settings = String::new();
    if let Some(url) = pg_url {
        let ua = vangnet_store_postgres::testing::reset_schema(url, "vangnet_bench_chain")
            .map_err(|e| anyhow::anyhow!("PostgreSQL-schema: {e}"))?;
        let ub = vangnet_store_postgres::testing::reset_schema(url, "vangnet_bench_plain")
            .map_err(|e| anyhow::anyhow!("PostgreSQL-schema: {e}"))?;
        let chained = vangnet_store_postgres::PostgresStore::connect(&ua, regions.clone())?;
        let plain = vangnet_store_postgres::PostgresStore::connect(&ub, regions.clone())?;
        plain.set_access_chain_for_benchmark(false);
        results.push(measure("PostgreSQL", &chained, &plain, rounds, per_round)?);
        for (k, v) in vangnet_store_postgres::testing::server_settings(
            url,
            &["fsync", "synchronous_commit", "wal_sync_method"],
        )
        .map_err(|e| anyhow::anyhow!("PostgreSQL-instellingen: {e}"))?
        {
            let _ = write!(pg_settings, "`{k}={v}` ");
        }
        for s in ["vangnet_bench_chain", "vangnet_bench_plain"] {
            let _ = vangnet_store_postgres::testing::drop_schema(url, s);
        }
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "## Toegangslog: kosten van de hashketen per append (issue 11)\n"
    );
    let _ = writeln!(
        s,
        "Written by `vangnet bench --audit [--pg-url …] [--single N]`. Do not edit by hand.\n"
    );
    let _ = writeln!(s, "- Date: {}", vangnet_store::time::now_rfc3339());
    let _ = writeln!(
        s,
        "- Machine: {} (shared and noisy: other builds ran at the same time)",
        crate::bench::machine()
    );
    let _ = writeln!(
        s,
        "- What: durable single appends (one event per commit, each writing its access-log row), \
         {rounds} rounds of {per_round} per mode, alternating (ABBA) between two fresh stores with the \
         same commands: *keten* (the hash chain: SQLite reads the head under its writer lock; PostgreSQL \
         takes the log lock with the writer lock in one round trip and inserts after the head its \
         previous append left, checked inside the INSERT; SHA-256 in Rust; an anchor every 1,000 rows) \
         and *zonder* (the benchmark-only unchained mode: the row as before the chain). Compare the \
         means: the first mode of a round is often slower (ABBA order balances that)."
    );
    let _ = writeln!(
        s,
        "- SQLite: WAL, `synchronous=FULL`. PostgreSQL: {}",
        if pg_settings.is_empty() {
            "not measured (no `--pg-url`)".to_owned()
        } else {
            format!("local server, {pg_settings}")
        }
    );
    let _ = writeln!(
        s,
        "- Goal: the chain costs at most 10 % per durable single append.\n"
    );
    let _ = writeln!(
        s,
        "| backend | µs/append zonder keten (mediaan) | met keten (mediaan) | verschil mediaan | verschil gemiddelde | rondes keten/zonder (µs) | keten na afloop |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---|---|");
    for r in &results {
        let (mp, mc) = (median(&r.plain), median(&r.chained));
        let (ap, ac) = (mean(&r.plain), mean(&r.chained));
        let rounds: Vec<String> = r
            .chained
            .iter()
            .zip(&r.plain)
            .map(|(c, p)| format!("{c:.0}/{p:.0}"))
            .collect();
        let _ = writeln!(
            s,
            "| {} | {mp:.0} | {mc:.0} | {:+.1} % | {:+.1} % | {} | {} |",
            r.engine,
            (mc / mp - 1.0) * 100.0,
            (ac / ap - 1.0) * 100.0,
            rounds.join(", "),
            r.verified
        );
    }
    let existing = std::fs::read_to_string(out).unwrap_or_default();
    std::fs::write(
        out,
        crate::bench::replace_marked(&existing, "audit-bench", &s),
    )?;
    println!("{s}");
    println!("Resultaten geschreven naar {}", out.display());
    Ok(())
}
