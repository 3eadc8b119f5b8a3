//! Planning an append: check the expected version, validate every fact against the
//! client's state (fast path) or the whole stream (refold for back-dated facts and
//! corrections), and compute the new state. Engines call this inside their transaction.

use vangnet_domain::limits;
use vangnet_domain::monitor::Tally;
use vangnet_domain::person::Person;
use vangnet_domain::state::{
    ClientState, StreamEntry, fold_stream, fold_stream_as_of, fold_stream_observed, is_in_order,
    refold_appended,
};
use vangnet_domain::{ClientEvent, ClientId, Date, RecordedEvent, Regions};

use crate::{AppendCommand, StoreError, StoreResult};

/// The outcome of planning: the events to write with their versions, and the new state.
#[derive(Debug)]
pub struct Plan {
    /// (version, effective date, fact) to insert, in order.
    pub events: Vec<(u32, Date, ClientEvent)>,
    /// The client's state after the append.
    pub state: ClientState,
    /// What the append changes in the monitor's counters.
    pub monitor: Tally,
}

/// Add `sign` × the monitor contributions of a whole stream (its fold in effective order)
/// to `tally`. A stream that does not fold contributes nothing (it was never accepted).
pub fn stream_tally(
    client: ClientId,
    entries: &[StreamEntry<'_>],
    regions: &Regions,
    sign: i64,
    tally: &mut Tally,
) {
    let _ = fold_stream_observed(client, entries, regions, &mut |b, d, e, a| {
        tally.observe(regions, b, d, e, a, sign)
    });
}

/// Fold one stored stream given as (version, effective, fact) and add its monitor
/// contributions to `tally` (the monitor-only rebuild, which never reads who recorded a
/// fact or when). `Ok(true)`: the stream folds to a state.
pub fn fold_facts_tally(
    client: ClientId,
    facts: &[(u32, vangnet_domain::Date, vangnet_domain::ClientEvent)],
    regions: &Regions,
    tally: &mut Tally,
) -> StoreResult<bool> {
    let entries: Vec<StreamEntry<'_>> = facts
        .iter()
        .map(|(version, effective, event)| StreamEntry {
            version: *version,
            effective: *effective,
            event,
        })
        .collect();
    fold_stream_observed(client, &entries, regions, &mut |b, d, e, a| {
        tally.observe(regions, b, d, e, a, 1)
    })
    .map(|s| s.is_some())
    .map_err(|e| StoreError::Backend(format!("stroom van {client} is niet te herleiden: {e}")))
}

/// Check optimistic concurrency: `actual` is 0 when the stream does not exist.
pub fn check_version(client: ClientId, expected: Option<u32>, actual: u32) -> StoreResult<()> {
    let ok = match expected {
        None => actual == 0,
        Some(v) => v == actual,
    };
    if ok {
        Ok(())
    } else {
        Err(StoreError::Conflict {
            client,
            expected,
            actual,
        })
    }
}

/// Plan an append. `current` is the stored state (if the stream exists); `load_stream`
/// fetches the stored stream in version order and is only called when a refold is needed.
pub fn plan_append(
    cmd: &AppendCommand,
    current: Option<ClientState>,
    load_stream: &mut dyn FnMut() -> StoreResult<Vec<RecordedEvent>>,
    regions: &Regions,
) -> StoreResult<Plan> {
    if cmd.events.is_empty() {
        return Err(StoreError::Invalid(
            "events: een opdracht bevat minstens één gebeurtenis".into(),
        ));
    }
    // Limits at the edge (issue 11): dates in range, no overnachting in the future, names
    // and free text within limits — for every append, whoever records it.
    let today = crate::time::today();
    if let Some(p) = &cmd.person {
        check_person(p)?;
        limits::check_person(p, today).map_err(|e| StoreError::Person(e.to_string()))?;
    }
    for (index, (effective, event)) in cmd.events.iter().enumerate() {
        limits::check_fact(*effective, event, today)
            .map_err(|error| StoreError::Rule { index, error })?;
    }
    match (&current, &cmd.person) {
        (None, None) => return Err(StoreError::Person(
            "person: een nieuwe cliënt heeft een persoonsrecord nodig (BSN, naam, geboortedatum)"
                .into(),
        )),
        (Some(_), Some(_)) => {
            return Err(StoreError::Person(
                "person: het persoonsrecord wordt alleen bij de eerste aanmelding vastgelegd"
                    .into(),
            ));
        }
        _ => {}
    }
    let mut events = Vec::with_capacity(cmd.events.len());
    let mut monitor = Tally::new();
    let mut stored_len = 0;
    let mut state = current;
    // The stored stream plus what this command adds, loaded only if a refold is needed.
    let mut stream: Option<Vec<(u32, Date, ClientEvent)>> = None;
    for (index, (effective, event)) in cmd.events.iter().enumerate() {
        let version = state.as_ref().map_or(0, |s| s.version) + 1;
        let rule = |error| StoreError::Rule { index, error };
        let next = match &state {
            None => {
                let s = ClientState::open(cmd.client, version, *effective, event, regions)
                    .map_err(rule)?;
                monitor.observe(regions, None, *effective, event, &s, 1);
                s
            }
            Some(s)
                if stream.is_none()
                    && *effective <= today
                    && s.volgende_gepland.is_none()
                    && is_in_order(s, *effective, event) =>
            {
                let mut s = s.clone();
                s.apply_observed(version, *effective, event, regions, &mut |b, d, e, a| {
                    monitor.observe(regions, b, d, e, a, 1)
                })
                .map_err(rule)?;
                s
            }
            Some(s) => {
                if stream.is_none() {
                    let mut stored: Vec<(u32, Date, ClientEvent)> = load_stream()?
                        .into_iter()
                        .map(|r| (r.version, r.effective, r.event))
                        .collect();
                    stored_len = stored.len();
                    stored.extend(events.iter().cloned());
                    stream = Some(stored);
                }
                let st = stream.as_mut().expect("loaded above");
                let entries: Vec<StreamEntry<'_>> = st
                    .iter()
                    .map(|(v, d, e)| StreamEntry {
                        version: *v,
                        effective: *d,
                        event: e,
                    })
                    .collect();
                let next = refold_appended(s, &entries, version, *effective, event, regions)
                    .map_err(rule)?;
                st.push((version, *effective, event.clone()));
                next
            }
        };
        events.push((version, *effective, event.clone()));
        state = Some(next);
    }
    if let Some(st) = &stream {
        // A refold happened: the monitor delta is the whole new stream minus the stored one.
        let entries: Vec<StreamEntry<'_>> = st
            .iter()
            .map(|(v, d, e)| StreamEntry {
                version: *v,
                effective: *d,
                event: e,
            })
            .collect();
        // The stored state is the state of today: planned facts (dated after today) are
        // validated above with the whole stream and take effect on their date.
        if let Some(full) = state.take() {
            state = Some(state_as_of(full, &entries, regions, today)?);
        }
        monitor = Tally::new();
        stream_tally(
            cmd.client,
            &entries[..stored_len],
            regions,
            -1,
            &mut monitor,
        );
        stream_tally(cmd.client, &entries, regions, 1, &mut monitor);
    }
    Ok(Plan {
        events,
        state: state.expect("at least one event"),
        monitor,
    })
}

/// Capacity (issue 12): every placement of an appended command (`start_zorg`, a move to
/// another location) must find a free place at its location on its start date, or carry an
/// overbezetting the region allows ([`vangnet_domain::frontdoor::check_place`]).
/// `occupied(key, on)` counts the clients on the occupancy counter `key` on `on`, read in
/// the append's transaction (so two clerks placing at once are serialised by the writer
/// lock and the second sees the first). The client's own place is not counted against it.
/// The rule is for people placing clients: what the system records (imports, the demo
/// history, test worlds, random histories) is history and is not checked. The places are the
/// capacity on the start date (issue 14): the profile's, changed by the region's capacity
/// periods (`capacity()` reads them, once, in the same transaction).
pub fn check_places(
    plan: &Plan,
    before: Option<&ClientState>,
    regions: &Regions,
    actor: &vangnet_domain::Actor,
    occupied: &mut dyn FnMut(&crate::projection::OccupancyKey, Date) -> StoreResult<u64>,
    capacity: &mut dyn FnMut() -> StoreResult<Vec<crate::plaatsen::StoredPeriode>>,
) -> StoreResult<()> {
    if actor.role == vangnet_domain::Role::Systeem {
        return Ok(());
    }
    let Some(profile) = regions.get(&plan.state.regio) else {
        return Ok(());
    };
    let own = before.and_then(crate::projection::occupancy_key);
    let here = before
        .and_then(|s| s.zorg.as_ref())
        .map(|z| z.locatie.clone());
    let mut cap: Option<vangnet_domain::plaatsen::Capaciteit> = None;
    for (index, (_, on, event)) in plan.events.iter().enumerate() {
        use vangnet_domain::events::Wijziging;
        // Op- or afschalen without a new location takes a place of the new product where
        // the client is.
        let (locatie, product, overbezetting) =
            match (vangnet_domain::frontdoor::placement_of(event), event, &here) {
                (Some(p), _, _) => p,
                (
                    None,
                    ClientEvent::Wijziging(
                        Wijziging::Opschalen {
                            product,
                            locatie: None,
                        }
                        | Wijziging::Afschalen {
                            product,
                            locatie: None,
                        },
                    ),
                    Some(l),
                ) => (l, product, None),
                _ => continue,
            };
        let key = (
            plan.state.regio.to_string(),
            locatie.to_string(),
            product.to_string(),
        );
        let mut n = occupied(&key, *on)?;
        if own.as_ref() == Some(&key) {
            n = n.saturating_sub(1);
        }
        // Issue 14: the capacity of the start date, from the profile and the periods (read
        // once per append, only when it places someone).
        if cap.is_none() {
            let periods = capacity()?;
            cap = Some(vangnet_domain::plaatsen::Capaciteit::new(
                profile,
                periods.iter().map(|s| &s.periode),
            ));
        }
        let places = cap
            .as_ref()
            .expect("built above")
            .places_on(locatie, product, *on);
        vangnet_domain::frontdoor::check_place_with(
            profile,
            locatie,
            product,
            *on,
            n,
            places,
            overbezetting,
        )
        .map_err(|error| StoreError::Rule { index, error })?;
    }
    Ok(())
}

/// Whether [`check_places`] reads anything for `plan` by `actor`: a person's append that places
/// someone (a start, a move, op-/afschalen). An engine that cannot lend its transaction to
/// two callbacks at once reads the capacity periods up front only then.
pub fn places_someone(plan: &Plan, actor: &vangnet_domain::Actor) -> bool {
    use vangnet_domain::events::Wijziging;
    actor.role != vangnet_domain::Role::Systeem
        && plan.events.iter().any(|(_, _, e)| {
            vangnet_domain::frontdoor::placement_of(e).is_some()
                || matches!(
                    e,
                    ClientEvent::Wijziging(
                        Wijziging::Opschalen { locatie: None, .. }
                            | Wijziging::Afschalen { locatie: None, .. }
                    )
                )
        })
}

/// Clients on the occupancy counter `key` on `on` (issue 12, counted on the start date):
/// `today_count` (the stored counter, the state of today) corrected by the clients with a
/// planned fact dated on or before `on` (`planned`: their state of today and their stream),
/// each re-folded as of `on` — a planned einde zorg frees its place from its date, a planned
/// start takes one from its date. For `on` up to today the stored counter is the count.
pub fn occupied_on(
    key: &crate::projection::OccupancyKey,
    on: Date,
    today_count: u64,
    planned: &[(ClientState, Vec<RecordedEvent>)],
    regions: &Regions,
) -> StoreResult<u64> {
    let mut n = i64::try_from(today_count).unwrap_or(i64::MAX);
    for (now, stream) in planned {
        let then = refold_as_of(now.client, stream, regions, on)?;
        let was = crate::projection::occupancy_key(now).as_ref() == Some(key);
        let will = then
            .as_ref()
            .and_then(crate::projection::occupancy_key)
            .as_ref()
            == Some(key);
        n += i64::from(will) - i64::from(was);
    }
    Ok(u64::try_from(n.max(0)).unwrap_or(0))
}

/// A stable fingerprint of a command's content (client + facts), so a replayed idempotency
/// key can be told apart from a key reused for something else. FNV-1a over canonical JSON.
pub fn fingerprint(cmd: &AppendCommand) -> String {
    let json = serde_json::to_string(&(cmd.client, &cmd.events)).expect("events serialize");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in json.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The state of today from `full`, the fold of the whole stream `entries` (issue 12): `full`
/// itself when no fact is dated after `today`, else the fold as of `today` with the planned
/// facts' first date in [`ClientState::volgende_gepland`].
pub fn state_as_of(
    full: ClientState,
    entries: &[StreamEntry<'_>],
    regions: &Regions,
    today: Date,
) -> StoreResult<ClientState> {
    if entries.iter().all(|e| e.effective <= today) {
        return Ok(full);
    }
    let client = full.client;
    Ok(fold_stream_as_of(client, entries, regions, today)
        .map_err(|e| StoreError::Backend(format!("stroom van {client} is niet te herleiden: {e}")))?
        .unwrap_or(full))
}

/// Fold a stored stream (rebuild path): the state of today.
pub fn fold_recorded(
    client: ClientId,
    stream: &[RecordedEvent],
    regions: &Regions,
) -> StoreResult<Option<ClientState>> {
    let entries: Vec<StreamEntry<'_>> = stream.iter().map(StreamEntry::from).collect();
    let full = fold_stream(client, &entries, regions).map_err(|e| {
        StoreError::Backend(format!("stroom van {client} is niet te herleiden: {e}"))
    })?;
    full.map(|s| state_as_of(s, &entries, regions, crate::time::today()))
        .transpose()
}

/// The state of `client` as of `today` from its stored stream (refreshing a client whose
/// planned facts came due; see [`ClientState::volgende_gepland`]).
pub fn refold_as_of(
    client: ClientId,
    stream: &[RecordedEvent],
    regions: &Regions,
    today: Date,
) -> StoreResult<Option<ClientState>> {
    let entries: Vec<StreamEntry<'_>> = stream.iter().map(StreamEntry::from).collect();
    fold_stream_as_of(client, &entries, regions, today)
        .map_err(|e| StoreError::Backend(format!("stroom van {client} is niet te herleiden: {e}")))
}

/// Fold a stored stream and add its monitor contributions to `tally` (rebuild path).
pub fn fold_recorded_tally(
    client: ClientId,
    stream: &[RecordedEvent],
    regions: &Regions,
    tally: &mut Tally,
) -> StoreResult<Option<ClientState>> {
    let entries: Vec<StreamEntry<'_>> = stream.iter().map(StreamEntry::from).collect();
    let full = fold_stream_observed(client, &entries, regions, &mut |b, d, e, a| {
        tally.observe(regions, b, d, e, a, 1)
    })
    .map_err(|e| StoreError::Backend(format!("stroom van {client} is niet te herleiden: {e}")))?;
    // The monitor counts every fact in its own month; the state is the state of today.
    full.map(|s| state_as_of(s, &entries, regions, crate::time::today()))
        .transpose()
}

/// Re-validate a person record at the store's edge: fields are public, so a record may
/// not have come through [`Person::new`]. Only synthetic people are ever stored.
pub fn check_person(p: &Person) -> StoreResult<()> {
    Person::new(
        p.bsn,
        &p.voornaam,
        &p.achternaam,
        p.geboortedatum,
        p.synthetic,
    )?;
    Ok(())
}
