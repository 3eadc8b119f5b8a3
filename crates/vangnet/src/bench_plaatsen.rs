//! `vangnet bench --plaatsen` (issue 14, "Measured"): server time of the places pages at
//! national scale — all four regions generated (`vangnet demo --scale 10`, about 320,000
//! clients) with **every location split into synthetic sub-locations** so the country has
//! more than 2,000 locations — written to BENCHMARKS.md (section `plaatsen-bench`).
//!
//! The split ([`split_regions`]) is a transformation of the built-in profiles used only by the
//! benchmark and the demo run that builds its database (the hidden `vangnet demo --locaties-x
//! N` flag): each `[[providers.locations]]` block of a profile's TOML becomes `N` blocks, ids
//! `<id>-d01 … -dNN`, names `… (deel k)`, each product's places divided over them (the first
//! `places % N` get one more; at least 1 each). A database built with it only opens with the
//! same split (its events name the sub-locations).
//!
//! Timed in-process through the router like `bench --pages` ([`crate::bench::time_requests`],
//! [`crate::bench::percentiles`]): `/regio/{id}/plaatsen` of every region as its access team
//! (exact figures) and the largest as the analist (published figures), the CSV, the store's
//! `place_overview` alone, and every provider-portal / free-places route of
//! [`vangnet_web::ROUTES`] once those branches land (`/aanbieder…`, `…vrije-plaatsen…`; until
//! then the report lists them as not yet built).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use vangnet_domain::region::{BUILTIN, RegionProfile};
use vangnet_domain::{Organisation, Regions, Role};
use vangnet_store::Store;

use crate::bench::{machine, percentiles, replace_marked, time_requests};

/// The built-in region profiles with every location split into `n` sub-locations (`n ≤ 1`:
/// unchanged).
pub(crate) fn split_regions(n: u32) -> Result<Regions> {
    let mut profiles = Vec::new();
    for (name, text) in BUILTIN {
        let text = if n > 1 {
            split_toml(text, n)
        } else {
            (*text).to_owned()
        };
        let p = RegionProfile::parse(&text).map_err(|e| {
            anyhow::anyhow!(
                "{name} met {n} deellocaties: {}",
                e.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?;
        profiles.push(p);
    }
    Ok(Regions::new(profiles))
}

/// The profile text with every `[[providers.locations]]` block repeated `n` times (see the
/// module documentation).
fn split_toml(text: &str, n: u32) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() * n as usize);
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "[[providers.locations]]" {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        }
        // The block: up to the next table header or blank line.
        let mut j = i + 1;
        while j < lines.len() && !lines[j].trim().is_empty() && !lines[j].trim().starts_with('[') {
            j += 1;
        }
        let block = &lines[i..j];
        for k in 0..n {
            for line in block {
                let t = line.trim_start();
                let indent = &line[..line.len() - t.len()];
                if let Some(v) = t.strip_prefix("id = \"") {
                    let id = v.trim_end_matches('"');
                    let _ = writeln!(out, "{indent}id = \"{id}-d{:02}\"", k + 1);
                } else if let Some(v) = t.strip_prefix("name = \"") {
                    let name = v.trim_end_matches('"');
                    let _ = writeln!(out, "{indent}name = \"{name} (deel {})\"", k + 1);
                } else if let Some(v) = t.strip_prefix("places = {") {
                    let inner = v.trim_end().trim_end_matches('}');
                    let parts: Vec<String> = inner
                        .split(',')
                        .filter_map(|kv| kv.split_once('='))
                        .map(|(key, val)| {
                            let total: u32 = val.trim().parse().unwrap_or(0);
                            let share = (total / n + u32::from(k < total % n)).max(1);
                            format!("{} = {share}", key.trim())
                        })
                        .collect();
                    let _ = writeln!(out, "{indent}places = {{ {} }}", parts.join(", "));
                } else {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        i = j;
    }
    out
}

/// Options of the run (from `vangnet bench`).
pub(crate) struct Opts<'a> {
    /// Work directory.
    pub dir: &'a Path,
    /// Report file.
    pub out: &'a Path,
    /// Requests per page.
    pub requests: usize,
    /// Demo scale.
    pub scale: f64,
    /// Sub-locations per location.
    pub split: u32,
}

/// `vangnet bench --plaatsen`.
pub(crate) fn run(o: &Opts<'_>) -> Result<()> {
    std::fs::create_dir_all(o.dir)?;
    let regions = split_regions(o.split)?;
    let locations: usize = regions.all().iter().map(|p| p.locations.len()).sum();
    let db = o.dir.join(format!(
        "national-plaatsen-x{}-s{}.sqlite",
        o.split, o.scale
    ));
    if !db.exists() {
        let t = Instant::now();
        let status = Command::new(std::env::current_exe()?)
            .args([
                "demo",
                "--scale",
                &o.scale.to_string(),
                "--no-serve",
                "--locaties-x",
                &o.split.to_string(),
                "--db",
                &db.display().to_string(),
            ])
            .status()
            .context("vangnet demo")?;
        if !status.success() {
            bail!("vangnet demo faalde");
        }
        eprintln!("demo-database in {:.0} s", t.elapsed().as_secs_f64());
    }
    let store = Arc::new(vangnet_store_sqlite::SqliteStore::open(
        &db,
        regions.clone(),
    )?);
    let clients = store.next_client_id()?.0 - 1;
    let events = store.event_count()?;
    let today = vangnet_store::time::today();
    let state = vangnet_web::AppState::new(store.clone() as Arc<dyn Store>).with_demo_login(true);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let app = vangnet_web::router(state.clone());
    // The largest region by clients in care.
    let mut largest: Option<(RegionProfile, u64)> = None;
    for p in regions.all() {
        let n: u64 = store
            .overview(&p.id, today)?
            .in_care
            .iter()
            .map(|x| x.2)
            .sum();
        if largest.as_ref().is_none_or(|(_, m)| n > *m) {
            largest = Some((p.clone(), n));
        }
    }
    let (big, in_care) = largest.context("geen regio's")?;
    let mut rows: Vec<(String, String, f64, f64)> = Vec::new();
    let mut time = |uri: String, user: &str, what: String| -> Result<()> {
        let cookie = state.demo_session(user);
        let mut ms = time_requests(&rt, &app, &uri, &cookie, o.requests + 5)?;
        ms.drain(..5);
        let (p50, p99) = percentiles(&mut ms);
        println!("{what:<60} p50 {p50:>8.2} ms  p99 {p99:>8.2} ms");
        rows.push((what, uri, p50, p99));
        Ok(())
    };
    for p in regions.all() {
        time(
            format!("/regio/{}/plaatsen", p.id),
            &format!("toegang-{}", p.id),
            format!(
                "plaatsen {} ({} locaties), toegangsteam",
                p.name,
                p.locations.len()
            ),
        )?;
    }
    let first = regions.all().first().context("geen regio's")?;
    time(
        format!("/regio/{}/plaatsen", first.id),
        "analist",
        format!("plaatsen {}, analist (gepubliceerde cijfers)", first.name),
    )?;
    time(
        format!("/regio/{}/plaatsen.csv", big.id),
        &format!("toegang-{}", big.id),
        format!("plaatsen {} als CSV", big.name),
    )?;
    // The provider portal and the free-places page (feat/portaal, feat/toegang): every such
    // GET route, once it exists. A location or client in the path is a real one of the
    // provider: its location with the most clients, and the first client in care there.
    let agb = big.providers.first().context("geen aanbieder")?.agb;
    let sys = vangnet_store::AccessGate::system("bench --plaatsen");
    let mut busiest: Option<(vangnet_domain::LocationId, usize)> = None;
    for l in big.locations.iter().filter(|l| l.provider == agb) {
        let n = store
            .provider_clients_at(
                &sys,
                agb,
                Some(&l.id),
                &vangnet_store::aanbieder::Shown::page(0..0),
            )?
            .total;
        if busiest.as_ref().is_none_or(|(_, m)| n > *m) {
            busiest = Some((l.id.clone(), n));
        }
    }
    let (locatie, at_location) = busiest.context("geen locatie van de aanbieder")?;
    let client = store
        .provider_clients_at(
            &sys,
            agb,
            Some(&locatie),
            &vangnet_store::aanbieder::Shown::page(0..1),
        )?
        .shown
        .first()
        .map(|(_, s, _)| s.client)
        .context("geen cliënt op de locatie")?;
    let mut pending = Vec::new();
    for spec in vangnet_web::ROUTES {
        let wanted = spec.path.starts_with("/aanbieder") || spec.path.contains("vrije-plaatsen");
        if !wanted || !spec.methods.contains(&"GET") {
            continue;
        }
        // Only a region may be filled in; a path naming a location or a client is listed.
        let uri = if spec.path.starts_with("/regio/{id}") {
            spec.path.replacen("{id}", big.id.as_str(), 1)
        } else if spec.path.starts_with("/aanbieder/locaties/") {
            spec.path.replace("{locatie}", locatie.as_str())
        } else if spec.path.starts_with("/aanbieder/clienten/") {
            spec.path.replace("{id}", &client.to_string())
        } else {
            spec.path.replace("{regio}", big.id.as_str())
        };
        if uri.contains('{') {
            pending.push(spec.path);
            continue;
        }
        let user = if spec.path.starts_with("/aanbieder") {
            // The demo's provider user of the region (the first region's is `zorgaanbieder`).
            state
                .users()
                .iter()
                .find(|u| {
                    u.actor.role == Role::Zorgaanbieder
                        && u.actor.organisation == Organisation::Aanbieder(agb)
                })
                .map(|u| u.id.clone())
                .context("geen zorgaanbieder-gebruiker")?
        } else {
            format!("toegang-{}", big.id)
        };
        let what = if spec.path.contains("{locatie}") {
            format!(
                "{} als {user} ({at_location} cliënten op de locatie)",
                spec.path
            )
        } else {
            format!("{} als {user}", spec.path)
        };
        time(uri, &user, what)?;
    }
    // The store call alone.
    let mut ms = Vec::new();
    for _ in 0..o.requests.max(20) {
        let t = Instant::now();
        std::hint::black_box(store.place_overview(&big.id, today)?);
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let store_only = percentiles(&mut ms);

    let mut out = String::new();
    writeln!(
        out,
        "## Plaatsen op landelijke schaal (server-tijd, issue 14)\n"
    )?;
    writeln!(
        out,
        "`vangnet bench --plaatsen`: SQLite-database van `vangnet demo --scale {} --locaties-x {}` \
         ({clients} cliënten, {events} gebeurtenissen, **{locations} locaties**: elke locatie van de profielen \
         gesplitst in {} synthetische deellocaties, plaatsen verdeeld — alleen voor deze meting). \
         Grootste regio **{}** ({in_care} in zorg). Elke pagina {} keer via de router in het proces \
         (5 opwarmverzoeken niet meegeteld); tijd van verzoek tot volledige body. Machine: {}. \
         Belasting (load average): {}. Gemeten op {today}.\n",
        o.scale,
        o.split,
        o.split,
        big.name,
        o.requests,
        machine(),
        crate::bench::load_average(),
    )?;
    writeln!(out, "| Pagina | p50 (ms) | p99 (ms) | Doel p99 |")?;
    writeln!(out, "|---|---:|---:|---|")?;
    for (what, uri, p50, p99) in &rows {
        writeln!(out, "| {what} (`{uri}`) | {p50:.2} | {p99:.2} | < 50 ms |")?;
    }
    writeln!(
        out,
        "| alleen `Store::place_overview` ({}) | {:.2} | {:.2} | — |",
        big.name, store_only.0, store_only.1
    )?;
    if !rows
        .iter()
        .any(|(_, uri, _, _)| uri.starts_with("/aanbieder"))
    {
        writeln!(
            out,
            "| aanbiedersportaal (`/aanbieder…`, feat/portaal) | — | — | nog niet gebouwd in deze tak: wordt gemeten zodra de route in `ROUTES` staat |"
        )?;
    }
    if !rows
        .iter()
        .any(|(_, uri, _, _)| uri.contains("vrije-plaatsen"))
    {
        writeln!(
            out,
            "| vrije plaatsen (`…vrije-plaatsen…`, feat/toegang) | — | — | nog niet gebouwd in deze tak: wordt gemeten zodra de route in `ROUTES` staat |"
        )?;
    }
    for p in pending {
        writeln!(
            out,
            "| `{p}` | — | — | niet gemeten: pad met een locatie of cliënt (voor de hoofdontwikkelaar) |"
        )?;
    }
    writeln!(out)?;
    let existing = std::fs::read_to_string(o.out).unwrap_or_default();
    std::fs::write(o.out, replace_marked(&existing, "plaatsen-bench", &out))?;
    println!("Resultaten geschreven naar {}", o.out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in region splits into a valid profile with `n` times the locations, the
    /// ids unique, and every product's places kept (at least 1 per sub-location).
    #[test]
    fn split_profiles_parse_with_n_times_the_locations() {
        let plain = split_regions(1).unwrap();
        let split = split_regions(35).unwrap();
        let total: usize = split.all().iter().map(|p| p.locations.len()).sum();
        assert!(total >= 2_000, "{total} locations");
        for (a, b) in plain.all().iter().zip(split.all()) {
            assert_eq!(b.locations.len(), a.locations.len() * 35);
            for l in &a.locations {
                for (product, n) in &l.places {
                    let sum: u32 = (1..=35)
                        .map(|k| {
                            let id =
                                vangnet_domain::LocationId::parse(&format!("{}-d{k:02}", l.id))
                                    .unwrap();
                            b.location(&id).unwrap().places[product]
                        })
                        .sum();
                    assert_eq!(sum, (*n).max(35), "{} {product}", l.id);
                }
            }
        }
    }
}
