//! `vangnet bench --matching [--requests N]`: ranking one free place among 10,000–50,000
//! waiting candidates (issue 14: p99 < 20 ms), in-process, written as the section
//! `matching-bench` of BENCHMARKS.md.
//!
//! The waiting states are synthetic (fixed seed): every client waits for *Beschermd wonen* in
//! Centraal Gelderland with a priority (80 % regulier, 15 % urgent, 5 % crisis), a gemeente of
//! the region, a waiting-list date in the last three years; 30 % state a preference, 15 % carry
//! a need (lvb, somatiek, verslaving, prikkelarm), 3 % an open proposal elsewhere. The place is
//! Lokale BW-locatie Duiven, which in this benchmark cannot serve lvb and somatiek (set on a
//! copy of the profile; the shipped profile names no such limit). States are built by folding
//! their facts (aanmelding, toewijzing, wachtlijst, voorkeur); the needs and proposals are set
//! on the folded state, as the fact rules of feat/feiten record them.
//!
//! *Vangnet* is [`vangnet_domain::matching::rank`] plus the Dutch reason of the first 50
//! (what a page shows first); the **peer in the same run** is the ranking it replaced
//! (`worklist::candidates` as it was before issue 14, kept here verbatim as [`legacy`]: the
//! same order without needs or proposals, a reason formatted for every candidate). The two
//! alternate ranking by ranking (ABAB), so a noisy machine slows both alike.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use vangnet_domain::events::{Behoefte, Leveringsvorm, Melder, Urgentie, Woonsituatie};
use vangnet_domain::matching;
use vangnet_domain::rng::Rng;
use vangnet_domain::state::OpenVoorstel;
use vangnet_domain::{
    AgbCode, ClientEvent, ClientId, ClientState, Date, LocationId, ProductCode, RegionId,
    RegionProfile, Regions,
};

/// Nearest-rank percentile `p` (0–100) of sorted `v`.
fn pct(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v[rank.min(v.len()) - 1]
}

/// The ranking as it was before issue 14 (`worklist::candidates`, moved to
/// `vangnet_domain::matching`): the peer of the benchmark.
pub mod legacy {
    use vangnet_domain::{ClientId, ClientState, Date, LocationId, ProductCode, RegionProfile};

    /// A ranked candidate (the old `worklist::Candidate`).
    pub struct Candidate {
        /// Client.
        pub client: ClientId,
        /// Rank (1 = first).
        pub rank: usize,
        /// Priority.
        pub prioriteit: u8,
        /// On the list since.
        pub sinds: Date,
        /// Why here, in Dutch.
        pub reden: String,
    }

    /// The old `worklist::candidates`, verbatim.
    pub fn candidates<'a>(
        waiting: impl IntoIterator<Item = &'a ClientState>,
        profile: &RegionProfile,
        product: &ProductCode,
        location: Option<&LocationId>,
        today: Date,
    ) -> Vec<Candidate> {
        let here = location
            .and_then(|l| profile.location(l))
            .map(|l| l.gemeente);
        let mut list: Vec<(&ClientState, u8, Option<usize>, bool, Date)> = waiting
            .into_iter()
            .filter_map(|s| {
                s.wacht.as_ref().filter(|w| &w.product == product).map(|w| {
                    let pref = here.and_then(|h| s.voorkeur.iter().position(|g| *g == h));
                    (
                        s,
                        w.prioriteit,
                        pref,
                        s.herkomst.is_some() && s.herkomst == here,
                        w.sinds,
                    )
                })
            })
            .collect();
        list.sort_by_key(|(s, prio, pref, local, since)| {
            (
                std::cmp::Reverse(*prio),
                pref.unwrap_or(usize::MAX),
                !*local,
                *since,
                s.client,
            )
        });
        list.into_iter()
            .enumerate()
            .map(|(i, (s, prioriteit, pref, local, since))| Candidate {
                client: s.client,
                rank: i + 1,
                prioriteit,
                sinds: since,
                reden: format!(
                    "{}{}wacht {} (sinds {})",
                    match pref {
                        Some(p) =>
                            format!("{}e voorkeur van de cliënt voor deze gemeente; ", p + 1),
                        None => String::new(),
                    },
                    if local {
                        "uit dezelfde gemeente als de plaats; "
                    } else {
                        ""
                    },
                    vangnet_domain::date::dagen(i64::from(since.days_until(today))),
                    since.nl()
                ),
            })
            .collect()
    }
}

/// `n` synthetic waiting states (see the module doc).
fn waiting_states(
    regions: &Regions,
    profile: &RegionProfile,
    n: usize,
    today: Date,
) -> Result<Vec<ClientState>> {
    let mut rng = Rng::new(14_000 + n as u64);
    let product = ProductCode::parse("bw-beschermd-wonen").context("product")?;
    let gemeenten: Vec<_> = profile.gemeenten.iter().map(|g| g.code).collect();
    let elsewhere = LocationId::parse("rijnbeschut-renkum").context("locatie")?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let since = today.add_days(-(rng.below(3 * 365) as i32) - 1);
        let herkomst = *rng.pick(&gemeenten);
        let aanmelding = ClientEvent::Aanmelding {
            regio: profile.id.clone(),
            melder: Melder::Wijkteam,
            herkomst_gemeente: Some(herkomst),
            woonsituatie: Woonsituatie::Thuis,
            urgentie: Urgentie::Regulier,
            voordeur: None,
        };
        let mut s = ClientState::open(ClientId(i as u64 + 1), 1, since, &aanmelding, regions)
            .map_err(|e| anyhow::anyhow!("{}", e.message))?;
        let prio = match rng.below(100) {
            0..=79 => 0,
            80..=94 => 1,
            _ => 2,
        };
        let mut facts = vec![
            ClientEvent::Toewijzing {
                product: product.clone(),
                start: since,
                einde: since.add_days(700),
                leveringsvorm: Leveringsvorm::Zin,
                aanbieder: None,
            },
            ClientEvent::WachtlijstIn {
                product: product.clone(),
                prioriteit: prio,
            },
        ];
        if rng.chance(0.3) {
            let mut g = vec![*rng.pick(&gemeenten), *rng.pick(&gemeenten)];
            g.dedup();
            facts.push(ClientEvent::Voorkeur {
                gemeenten: g,
                toelichting: "dicht bij familie".into(),
            });
        }
        for (v, f) in facts.iter().enumerate() {
            s.apply(v as u32 + 2, since, f, regions)
                .map_err(|e| anyhow::anyhow!("{}", e.message))?;
        }
        if rng.chance(0.15) {
            s.behoeften = vec![*rng.pick(&Behoefte::ALL)];
        }
        if rng.chance(0.03) {
            s.voorstel = Some(OpenVoorstel {
                versie: 9,
                sinds: today,
                locatie: elsewhere.clone(),
                aanbieder: AgbCode::parse("98000101").context("agb")?,
                product: product.clone(),
                geldig_tot: today.add_days(7),
                akkoord: None,
            });
        }
        out.push(s);
    }
    Ok(out)
}

/// Both rankings put the clients the place can serve in the same order (the peer knows no
/// needs): a benchmark of two different answers would compare nothing.
fn same_order(
    states: &[ClientState],
    profile: &RegionProfile,
    product: &ProductCode,
    place: &LocationId,
    today: Date,
) -> Result<()> {
    let ours = matching::rank(states, profile, product, Some(place), today);
    let theirs = legacy::candidates(states, profile, product, Some(place), today);
    let suitable: std::collections::HashSet<ClientId> = ours
        .iter()
        .filter(|k| k.geschikt())
        .map(|k| k.client)
        .collect();
    let a: Vec<(ClientId, u8, Date)> = ours
        .iter()
        .filter(|k| k.geschikt())
        .map(|k| (k.client, k.prioriteit, k.sinds))
        .collect();
    let b: Vec<(ClientId, u8, Date)> = theirs
        .iter()
        .filter(|c| suitable.contains(&c.client))
        .map(|c| (c.client, c.prioriteit, c.sinds))
        .collect();
    anyhow::ensure!(a == b, "Vangnet en de peer rangschikken verschillend");
    anyhow::ensure!(
        theirs
            .iter()
            .enumerate()
            .all(|(i, c)| c.rank == i + 1 && !c.reden.is_empty()),
        "de peer nummert niet 1..n"
    );
    Ok(())
}

/// Run the measurement: `requests` rankings per size and kind; the section goes to `out`.
pub fn run(out: &Path, requests: usize) -> Result<()> {
    let requests = requests.max(20);
    let regions = Regions::builtin();
    let mut profile = regions
        .get(&RegionId::parse("centraal-gelderland")?)
        .context("regio centraal-gelderland")?
        .clone();
    let place = LocationId::parse("liemers-duiven")?;
    profile
        .locations
        .iter_mut()
        .find(|l| l.id == place)
        .context("locatie liemers-duiven")?
        .niet_geschikt_voor = vec![Behoefte::Lvb, Behoefte::Somatiek];
    let product = ProductCode::parse("bw-beschermd-wonen")?;
    let today = Date::parse("2026-06-01")?;
    let mut rows = Vec::new();
    for n in [10_000usize, 25_000, 50_000] {
        let states = waiting_states(&regions, &profile, n, today)?;
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        let mut check = (0usize, 0usize);
        for i in 0..requests * 2 {
            let t = Instant::now();
            if i % 2 == 0 {
                let ranked = matching::rank(&states, &profile, &product, Some(&place), today);
                let shown: usize = ranked.iter().take(50).map(|k| k.reden().len()).sum();
                check.0 = ranked.len() + shown.min(1);
                std::hint::black_box(&ranked);
                ours.push(t.elapsed().as_secs_f64() * 1000.0);
            } else {
                let ranked = legacy::candidates(&states, &profile, &product, Some(&place), today);
                check.1 = ranked.len();
                std::hint::black_box(&ranked);
                theirs.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        anyhow::ensure!(check.1 == n, "de peer rangschikte {} van {n}", check.1);
        same_order(&states, &profile, &product, &place, today)?;
        anyhow::ensure!(
            check.0 == n + 1,
            "Vangnet rangschikte {} van {n}",
            check.0 - 1
        );
        ours.sort_by(f64::total_cmp);
        theirs.sort_by(f64::total_cmp);
        rows.push((n, ours, theirs));
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "### Matching: één vrije plaats rangschikken (issue 14)\n"
    );
    let _ = writeln!(
        s,
        "Written by `vangnet bench --matching [--requests N]` (release build). Do not edit by hand.\n"
    );
    let _ = writeln!(s, "- Date: {}", vangnet_store::time::now_rfc3339());
    let _ = writeln!(
        s,
        "- Machine: {} (shared and noisy: other builds ran at the same time); load average {}",
        crate::bench::machine(),
        crate::bench::load_average()
    );
    let _ = writeln!(
        s,
        "- What: {requests} rankings per row of one free *Beschermd wonen* place at Lokale \
         BW-locatie Duiven (that cannot serve lvb and somatiek in this run) among N synthetic \
         waiting clients of Centraal Gelderland (80/15/5 % regulier/urgent/crisis, 30 % with a \
         preference, 15 % with a need, 3 % with an open proposal elsewhere; fixed seed). \
         *Vangnet* is `matching::rank` plus the reason text of the first 50; the peer is the \
         ranking it replaced (`worklist::candidates` before issue 14: same order, no needs or \
         proposals, a reason formatted for every candidate), alternating in the same run."
    );
    let _ = writeln!(
        s,
        "- Goal: p99 < 20 ms for one place among ≥ 10,000 waiting candidates.\n"
    );
    let _ = writeln!(
        s,
        "| waiting | Vangnet p50 (ms) | Vangnet p99 (ms) | peer p50 (ms) | peer p99 (ms) | p50 / peer p50 |"
    );
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|");
    for (n, ours, theirs) in &rows {
        let _ = writeln!(
            s,
            "| {n} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            pct(ours, 50.0),
            pct(ours, 99.0),
            pct(theirs, 50.0),
            pct(theirs, 99.0),
            pct(ours, 50.0) / pct(theirs, 50.0)
        );
    }
    let existing = std::fs::read_to_string(out).unwrap_or_default();
    std::fs::write(
        out,
        crate::bench::replace_marked(&existing, "matching-bench", &s),
    )?;
    println!("{s}");
    println!("Resultaten geschreven naar {}", out.display());
    Ok(())
}
