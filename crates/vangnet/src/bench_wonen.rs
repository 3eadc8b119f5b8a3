//! `vangnet bench --wonen` (issue 15, "Candidates and quota pages at national scale p99 <
//! 50 ms"): server time of the woningcorporatie's pages and the region's woningafspraken on the
//! national database of `bench --plaatsen` (`vangnet demo --scale 10 --locaties-x 35`; opened
//! with the same location split, see [`crate::bench_plaatsen::split_regions`]) — written to
//! BENCHMARKS.md (section `wonen-bench`).
//!
//! Timed in-process through the router like `bench --plaatsen` ([`crate::bench::time_requests`],
//! [`crate::bench::percentiles`], 5 warm-up requests not counted):
//! - `/corporatie` as the demo corporation user (`woningcorporatie`,
//!   `woningcorporatie-{regio}`) whose corporation has the most candidates; the same with the
//!   gemeente of its werkgebied that has the most candidates; page 2; and
//!   `/corporatie/kandidaten/{id}` of its first (longest ready) candidate;
//! - `/regio/{id}/woningafspraken` of the first region as its beleidsmedewerker (published
//!   figures) and its access team (exact), and the CSV;
//! - the named peer, in the same run: `/regio/{id}/plaatsen` as the access team of the region
//!   of each measured page (issue 14's page, measured the same way), and the ratio of every
//!   page's p99 to that peer's p99.
//!
//! Every `/corporatie` request reads and logs its 50 shown candidates at the gate, so the run
//! adds access-log rows to the database it measures: use a copy.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use vangnet_domain::{Organisation, RegionId, Role};
use vangnet_store::Store;
use vangnet_store::wonen::Filter;

use crate::bench::{machine, percentiles, replace_marked, time_requests};

/// Options of the run (from `vangnet bench`).
pub(crate) struct Opts<'a> {
    /// The national database (a copy of `bench --plaatsen`'s).
    pub db: &'a Path,
    /// Report file.
    pub out: &'a Path,
    /// Requests per page.
    pub requests: usize,
    /// Sub-locations per location the database was built with.
    pub split: u32,
}

/// One timed page.
struct Timed {
    what: String,
    uri: String,
    p50: f64,
    p99: f64,
    /// The region whose `/regio/{id}/plaatsen` is this page's peer.
    peer: RegionId,
}

/// `p99 / peer_p99` as "1,23×" (Dutch decimal comma), "—" without a peer time.
pub(crate) fn ratio(p99: f64, peer_p99: Option<f64>) -> String {
    match peer_p99 {
        Some(peer) if peer > 0.0 => format!("{:.2}×", p99 / peer).replace('.', ","),
        _ => "—".to_owned(),
    }
}

/// `vangnet bench --wonen`.
pub(crate) fn run(o: &Opts<'_>) -> Result<()> {
    if !o.db.exists() {
        bail!(
            "{} bestaat niet: maak hem met `vangnet bench --plaatsen` (of `vangnet demo --scale 10 \
             --locaties-x {} --no-serve --db …`) en meet op een kopie",
            o.db.display(),
            o.split
        );
    }
    let regions = crate::bench_plaatsen::split_regions(o.split)?;
    let t = std::time::Instant::now();
    let store = Arc::new(vangnet_store_sqlite::SqliteStore::open(
        o.db,
        regions.clone(),
    )?);
    eprintln!("database geopend in {:.0} s", t.elapsed().as_secs_f64());
    let clients = store.next_client_id()?.0 - 1;
    let events = store.event_count()?;
    let state = vangnet_web::AppState::new(store.clone() as Arc<dyn Store>).with_demo_login(true);
    let today = state.today();
    let sys = vangnet_store::AccessGate::system("bench --wonen");
    let count = |corp: &str, filter: &Filter| -> Result<usize> {
        Ok(store
            .woon_kandidaten(&sys, corp, filter, 0..0, today)?
            .total)
    };
    // The demo corporation user whose corporation has the most candidates.
    let mut best: Option<(String, String, RegionId, usize)> = None;
    for u in state.users() {
        let (Role::Woningcorporatie, Organisation::Corporatie(c)) =
            (&u.actor.role, &u.actor.organisation)
        else {
            continue;
        };
        let n = count(c, &Filter::default())?;
        let regio = regions
            .all()
            .iter()
            .find(|p| p.corporatie(c).is_some())
            .map(|p| p.id.clone())
            .context("corporatie zonder regio")?;
        eprintln!("{}: {c} ({regio}) {n} kandidaten", u.id);
        if best.as_ref().is_none_or(|b| n > b.3) {
            best = Some((u.id.clone(), c.clone(), regio, n));
        }
    }
    let (corp_user, corp, corp_regio, candidates) =
        best.context("geen woningcorporatie-gebruiker")?;
    if candidates == 0 {
        bail!("de corporatie met de meeste kandidaten ({corp}) heeft er geen");
    }
    // The gemeente of its werkgebied with the most candidates.
    let profile = regions.get(&corp_regio).context("regio")?;
    let mut gemeente = None;
    for g in &profile.corporatie(&corp).context("corporatie")?.gemeenten {
        let n = count(
            &corp,
            &Filter {
                gemeente: Some(*g),
                ..Filter::default()
            },
        )?;
        if gemeente.is_none_or(|(_, m)| n > m) {
            gemeente = Some((*g, n));
        }
    }
    let (gemeente, in_gemeente) = gemeente.context("werkgebied zonder gemeenten")?;
    let first = store
        .woon_kandidaten(&sys, &corp, &Filter::default(), 0..1, today)?
        .shown
        .first()
        .map(|k| k.client)
        .context("geen kandidaat")?;
    let pages = candidates.div_ceil(50);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let app = vangnet_web::router(state.clone());
    let mut rows: Vec<Timed> = Vec::new();
    // Returns the row's index.
    let mut time = |uri: String, user: &str, what: String, peer: &RegionId| -> Result<usize> {
        let cookie = state.demo_session(user);
        let mut ms = time_requests(&rt, &app, &uri, &cookie, o.requests + 5)?;
        ms.drain(..5);
        let (p50, p99) = percentiles(&mut ms);
        println!("{what:<70} p50 {p50:>8.2} ms  p99 {p99:>8.2} ms");
        rows.push(Timed {
            what,
            uri,
            p50,
            p99,
            peer: peer.clone(),
        });
        Ok(rows.len() - 1)
    };
    let naam = &profile.corporatie(&corp).context("corporatie")?.naam;
    time(
        "/corporatie".into(),
        &corp_user,
        format!(
            "kandidaten van {naam} als {corp_user} ({candidates} kandidaten, pagina 1 van {pages})"
        ),
        &corp_regio,
    )?;
    time(
        format!("/corporatie?gemeente={gemeente}"),
        &corp_user,
        format!(
            "kandidaten, filter gemeente {} ({in_gemeente} kandidaten)",
            vangnet_domain::woonplaats::naam(gemeente)
        ),
        &corp_regio,
    )?;
    time(
        "/corporatie?pagina=2".into(),
        &corp_user,
        format!("kandidaten, pagina 2 van {pages}"),
        &corp_regio,
    )?;
    time(
        format!("/corporatie/kandidaten/{first}"),
        &corp_user,
        "één kandidaat (de langst wachtende)".into(),
        &corp_regio,
    )?;
    let region = regions.all().first().context("geen regio's")?;
    let rid = &region.id;
    time(
        format!("/regio/{rid}/woningafspraken"),
        "beleidsmedewerker",
        format!(
            "woningafspraken {} als beleidsmedewerker (gepubliceerde cijfers)",
            region.name
        ),
        rid,
    )?;
    time(
        format!("/regio/{rid}/woningafspraken"),
        &format!("toegang-{rid}"),
        format!("woningafspraken {} als toegangsteam", region.name),
        rid,
    )?;
    time(
        format!("/regio/{rid}/woningafspraken.csv"),
        &format!("toegang-{rid}"),
        format!("woningafspraken {} als CSV", region.name),
        rid,
    )?;
    // The peer: issue 14's places page of each region measured above, the same way.
    let mut peers: Vec<RegionId> = vec![corp_regio.clone()];
    if !peers.contains(rid) {
        peers.push(rid.clone());
    }
    let mut peer_rows = Vec::new();
    for p in &peers {
        let name = &regions.get(p).context("regio")?.name;
        peer_rows.push(time(
            format!("/regio/{p}/plaatsen"),
            &format!("toegang-{p}"),
            format!("referentie: plaatsen {name} als toegangsteam (issue 14)"),
            p,
        )?);
    }
    let peer_p99 = |r: &RegionId| {
        peer_rows
            .iter()
            .map(|i| &rows[*i])
            .find(|t| &t.peer == r)
            .map(|t| t.p99)
    };

    let mut out = String::new();
    writeln!(
        out,
        "## Kandidaten en woningafspraken op landelijke schaal (server-tijd, issue 15)\n"
    )?;
    writeln!(
        out,
        "`vangnet bench --wonen`: een kopie van de landelijke SQLite-database van `bench --plaatsen` \
         (`vangnet demo --scale 10 --locaties-x {}`: {clients} cliënten, {events} gebeurtenissen; \
         met de woondemo: woonbehoefte, uitstroomklaar, aanbod, urgentie; de kandidaten zijn de rijen \
         van `woon_kandidaat`, bij het openen gevuld uit elke opgeslagen staat, migratie 0021). Corporatie met \
         de meeste kandidaten: **{naam}** (`{corp_user}`, {candidates} kandidaten in de lijst, \
         {in_gemeente} in {}). Elke pagina {} keer via de router in het proces (5 opwarmverzoeken \
         niet meegeteld); tijd van verzoek tot volledige body. Elk verzoek van `/corporatie` leest en \
         logt de 50 getoonde kandidaten bij de poort. Referentie (genoemde peer, zelfde run): \
         `/regio/{{id}}/plaatsen` van dezelfde regio als toegangsteam; de laatste kolom is p99 / p99 \
         van die referentie. Machine: {}. Belasting (load average): {}. Gemeten op {today}.\n",
        o.split,
        vangnet_domain::woonplaats::naam(gemeente),
        o.requests,
        machine(),
        crate::bench::load_average(),
    )?;
    writeln!(
        out,
        "| Pagina | p50 (ms) | p99 (ms) | Doel p99 | p99 / referentie |"
    )?;
    writeln!(out, "|---|---:|---:|---|---:|")?;
    for (i, t) in rows.iter().enumerate() {
        let r = if peer_rows.contains(&i) {
            "1,00× (referentie)".to_owned()
        } else {
            ratio(t.p99, peer_p99(&t.peer))
        };
        writeln!(
            out,
            "| {} (`{}`) | {:.2} | {:.2} | < 50 ms | {r} |",
            t.what, t.uri, t.p50, t.p99
        )?;
    }
    writeln!(out)?;
    let existing = std::fs::read_to_string(o.out).unwrap_or_default();
    std::fs::write(o.out, replace_marked(&existing, "wonen-bench", &out))?;
    println!("Resultaten geschreven naar {}", o.out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ratio column: two decimals with a comma, "—" without a peer.
    #[test]
    fn ratio_of_p99_to_the_peer() {
        assert_eq!(ratio(30.0, Some(12.0)), "2,50×");
        assert_eq!(ratio(5.0, Some(20.0)), "0,25×");
        assert_eq!(ratio(5.0, None), "—");
        assert_eq!(ratio(5.0, Some(0.0)), "—");
    }
}
