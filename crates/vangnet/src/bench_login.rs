//! `vangnet bench --login [--logins N]`: what a login costs (issue 11). Two measurements,
//! N logins each, p50/p99, written as the section `login-bench` of BENCHMARKS.md:
//!
//! 1. **argon2id verify** of the correct password against its stored PHC string
//!    (`vangnet_auth::password::verify`: parse, bounds, recompute, constant-time compare)
//!    against the **peer in the same run**: the `argon2` crate's own
//!    `Argon2::default().verify_password` — the same parameters (m = 19 MiB, t = 2, p = 1),
//!    so a ratio of about 1 shows our wrapper adds nothing. The two alternate login by login
//!    (ABAB), so a noisy shared machine slows both alike.
//! 2. **A full login round on SQLite** as the web does it: look the account up, verify the
//!    password, reset the failure counter, make a session id (32 random bytes), store the
//!    session under its hash — every write durable (WAL, `synchronous=FULL`).
//!
//! Run it on a release build; it takes well under a minute.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Result, bail};
use argon2::{Argon2, PasswordHash, PasswordVerifier};
use vangnet_auth::{password, secret};
use vangnet_domain::{Actor, Organisation, Regions, Role};
use vangnet_store::accounts::{NewAccount, Session, SessionStage};
use vangnet_store::secret::random_bytes;
use vangnet_store::{AccessGate, Store};

/// Nearest-rank percentile `p` (0–100) of sorted `v`, in milliseconds.
fn pct(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v[rank.min(v.len()) - 1]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// Run the measurement with `logins` logins per kind; SQLite files in `dir`; the section
/// goes to `out`.
pub fn run(dir: &Path, out: &Path, logins: usize) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let logins = logins.max(10);
    let pw = "een lang wachtwoord voor de meting";
    let phc = password::hash(pw, &random_bytes::<16>());
    let peer = Argon2::default();
    let p = peer.params();
    if (p.m_cost(), p.t_cost(), p.p_cost())
        != (password::M_COST, password::T_COST, password::P_COST)
    {
        bail!(
            "de parameters van Argon2::default() (m={}, t={}, p={}) wijken af van de onze",
            p.m_cost(),
            p.t_cost(),
            p.p_cost()
        );
    }
    let parsed = PasswordHash::new(&phc).map_err(|e| anyhow::anyhow!("PHC: {e}"))?;

    // 1. Verify, ours and the peer's, alternating.
    let (mut ours, mut theirs) = (Vec::with_capacity(logins), Vec::with_capacity(logins));
    for i in 0..logins {
        let one = |which: bool| -> Result<f64> {
            let t = Instant::now();
            let ok = if which {
                password::verify(pw, &phc)
            } else {
                peer.verify_password(pw.as_bytes(), &parsed).is_ok()
            };
            let ms = t.elapsed().as_secs_f64() * 1e3;
            if !ok {
                bail!("het juiste wachtwoord werd afgewezen");
            }
            Ok(ms)
        };
        if i % 2 == 0 {
            ours.push(one(true)?);
            theirs.push(one(false)?);
        } else {
            theirs.push(one(false)?);
            ours.push(one(true)?);
        }
    }
    let (ours, theirs) = (sorted(ours), sorted(theirs));

    // 2. A full login round on SQLite.
    let path = crate::bench::fresh_sqlite(dir, "login.sqlite")?;
    let store = vangnet_store_sqlite::SqliteStore::open(&path, Regions::builtin())?;
    let accounts = store.accounts();
    // A policy officer of the first region (no second factor in this round).
    let region = store
        .regions()
        .all()
        .first()
        .map(|p| p.id.clone())
        .ok_or_else(|| anyhow::anyhow!("geen regio geladen"))?;
    accounts.create_user(
        &AccessGate::system("bench"),
        NewAccount {
            id: "meting".into(),
            naam: "Meting".into(),
            actor: Actor {
                user: "meting".into(),
                role: Role::Beleidsmedewerker,
                organisation: Organisation::Regio(region),
            },
            password_hash: phc.clone(),
            must_change_password: false,
        },
    )?;
    let mut rounds = Vec::with_capacity(logins);
    for _ in 0..logins {
        let t = Instant::now();
        let account = accounts.user("meting")?.expect("account");
        let hash = account.password_hash.as_deref().unwrap_or_default();
        if account.disabled
            || account.locked_at(vangnet_store::time::now())
            || !password::verify(pw, hash)
        {
            bail!("aanmelden mislukte");
        }
        accounts.login_succeeded("meting")?;
        let id = secret::token_string(&random_bytes::<32>());
        let now = vangnet_store::time::now();
        accounts.create_session(
            &secret::token_hash(&id),
            &Session {
                user: account.id,
                stage: SessionStage::Complete,
                csrf: secret::token_string(&random_bytes::<32>()),
                demo: false,
                created_at: now,
                last_seen: now,
                address: Some("127.0.0.1".into()),
            },
        )?;
        rounds.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let rounds = sorted(rounds);
    drop(store);

    let mut s = String::new();
    let _ = writeln!(
        s,
        "## Aanmelden: argon2id en een volledige aanmeldronde (issue 11)\n"
    );
    let _ = writeln!(
        s,
        "Written by `vangnet bench --login [--logins N]` (release build). Do not edit by hand.\n"
    );
    let _ = writeln!(s, "- Date: {}", vangnet_store::time::now_rfc3339());
    let _ = writeln!(
        s,
        "- Machine: {} (shared and noisy: other builds ran at the same time)",
        crate::bench::machine()
    );
    let _ = writeln!(
        s,
        "- What: {logins} logins per row with the correct password. argon2id with the OWASP \
         parameters m = 19456 KiB, t = 2, p = 1 (32-byte hash, 16-byte salt). *Vangnet* is \
         `vangnet_auth::password::verify` (parse the PHC string, check the parameters, recompute, \
         constant-time compare); the peer is the `argon2` crate's own \
         `Argon2::default().verify_password` with the same parameters, alternating login by login \
         in the same run. The SQLite round is what the login page does: account lookup, verify, \
         reset the failure counter, a 32-byte session id, the session stored under its SHA-256 \
         (WAL, `synchronous=FULL`: two durable commits)."
    );
    let _ = writeln!(
        s,
        "- Goal: no overhead over the peer (ratio ≈ 1); a login round well under a second.\n"
    );
    let _ = writeln!(
        s,
        "| what | p50 (ms) | p99 (ms) | max (ms) | p50 / peer p50 |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|");
    let peer50 = pct(&theirs, 50.0);
    for (name, v) in [
        ("argon2id verify — Vangnet", &ours),
        ("argon2id verify — peer `Argon2::default()`", &theirs),
        ("volledige aanmeldronde, SQLite", &rounds),
    ] {
        let _ = writeln!(
            s,
            "| {name} | {:.1} | {:.1} | {:.1} | {:.2} |",
            pct(v, 50.0),
            pct(v, 99.0),
            v.last().copied().unwrap_or(0.0),
            pct(v, 50.0) / peer50
        );
    }
    let existing = std::fs::read_to_string(out).unwrap_or_default();
    std::fs::write(
        out,
        crate::bench::replace_marked(&existing, "login-bench", &s),
    )?;
    println!("{s}");
    println!("Resultaten geschreven naar {}", out.display());
    Ok(())
}
