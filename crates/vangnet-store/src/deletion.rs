//! Deleting a client's data past its retention period ([`crate::Store::delete_client_data`]):
//! the engine-independent part — who may, whether this client may go, what the one chained
//! access-log row says, and the client's share of the monitor. The engines only move rows
//! (`deletion.rs` in each engine crate).
//!
//! # What a deletion does, in one transaction
//!
//! 1. The gate: only a system job started by a person ([`crate::AccessGate::job`]); anyone
//!    else is refused, and the refusal is logged (action [`DELETION_ACTION`]).
//! 2. The re-check, on the stored state and stream inside the transaction: the case is closed
//!    (refused or out of care) and its last fact lies before the client record's cutoff
//!    ([`vangnet_domain::retention::past_retention`] with the store's today). A client not
//!    past retention is refused (logged, nothing deleted).
//! 3. Removed: the client's events, idempotency receipts (`commands`: its keys no longer
//!    replay), person record, `client_state`, deadlines, waiting-list row, and its place in
//!    the occupancy counter.
//! 4. Kept: the access log's rows about the client (they have their own retention) — one
//!    chained row is added (action [`DELETION_ACTION`], the client id, the person's reason and
//!    what went), so the chain still verifies. The monitor's counts are kept as they are
//!    (anonymous), and the client's share of them — its fold's contributions — is added to
//!    the protected `monitor_archive`, which `rebuild` and `rebuild_monitor` add back to what
//!    they recompute from the remaining events: a rebuild gives the same figures.
//! 5. Recorded in `deleted_clients`: the id is never given out again (`next_client_id` stays
//!    above it; an append under it is refused, and so is an import that holds it — an
//!    old export cannot bring the client back; PostgreSQL also refuses it with
//!    statement-level triggers on `events` and `persons`, SQLite with a trigger on
//!    `persons` and the import's check), and the deletion takes the next number of the log's
//!    sequence (`seq`), so the high-water mark rises (caches keyed on it see the change)
//!    and no event number is ever used twice.

use vangnet_domain::monitor::Tally;
use vangnet_domain::retention::{client_record, past_retention};
use vangnet_domain::state::ClientState;
use vangnet_domain::{ClientId, Date, RecordedEvent, Regions, Role};

use crate::gate::AccessEntry;
use crate::plan::fold_recorded_tally;
use crate::projection::{MonitorRow, OccupancyKey, monitor_rows, occupancy_key};
use crate::{AccessGate, StoreError, StoreResult};

/// The access-log action of a deletion (and of a refused one).
pub const DELETION_ACTION: &str = "verwijderen";

/// The longest reason a person may give (characters).
pub const MAX_REASON: usize = 500;

/// What one deletion removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionReport {
    /// The client.
    pub client: ClientId,
    /// Its latest fact (effective date).
    pub last_fact: Date,
    /// Events removed.
    pub events: u64,
    /// Idempotency receipts removed.
    pub commands: u64,
    /// Whether a person record was removed.
    pub person: bool,
    /// Deadlines removed.
    pub deadlines: u64,
    /// Waiting-list rows removed (0 or 1).
    pub waitlist: u64,
    /// Monitor cells the client's share was added to in the archive.
    pub archived_cells: u64,
    /// The number in the log's sequence this deletion took (the new high-water mark).
    pub seq: u64,
}

impl std::fmt::Display for DeletionReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} gebeurtenissen, {} idempotentiebewijzen, {}, {} termijnen, {} wachtlijstrijen; monitoraandeel in {} cellen gearchiveerd",
            self.events,
            self.commands,
            if self.person {
                "persoonsgegevens"
            } else {
                "geen persoonsgegevens"
            },
            self.deadlines,
            self.waitlist,
            self.archived_cells
        )
    }
}

/// The person who started the job behind `gate`, if it is one ([`AccessGate::job`]): the
/// logged actor differs from the deciding one exactly then.
fn started_by(gate: &AccessGate) -> Option<&vangnet_domain::Actor> {
    let logged = gate.logged_actor();
    (!std::ptr::eq(logged, gate.actor())).then_some(logged)
}

/// The gate of a deletion of `client` for `reason`: a system job started by a person, with a
/// reason (1–[`MAX_REASON`] characters, no control characters). Returns the refusal's
/// access-log row and error, or `None` when it may go on.
pub fn authorise(
    gate: &AccessGate,
    client: ClientId,
    reason: &str,
) -> Option<(AccessEntry, StoreError)> {
    let why = if gate.actor().role != Role::Systeem {
        Some("verwijderen na de bewaartermijn is een systeemtaak, gestart door een persoon")
    } else if started_by(gate).is_none() {
        Some("verwijderen na de bewaartermijn moet op naam van de persoon die het start (--door)")
    } else if reason.trim().is_empty() {
        Some("verwijderen: een reden is verplicht")
    } else if reason.chars().count() > MAX_REASON || reason.chars().any(char::is_control) {
        Some("verwijderen: de reden is te lang (ten hoogste 500 tekens) of bevat stuurtekens")
    } else {
        None
    };
    why.map(|w| {
        (
            refusal(gate, client, w.to_owned()),
            StoreError::Denied(w.to_owned()),
        )
    })
}

/// A refused deletion's access-log row.
pub fn refusal(gate: &AccessGate, client: ClientId, why: String) -> AccessEntry {
    let mut e = gate.note(DELETION_ACTION, why);
    e.client = Some(client);
    e.allowed = false;
    e
}

/// What both engines check inside their transaction before deleting: the gate
/// ([`authorise`]), then the client's state and stream, as `load` reads them, against
/// today's retention ([`plan`]). A refusal is pushed on `log` and returned as the error.
pub fn authorised_plan(
    gate: &AccessGate,
    client: ClientId,
    reason: &str,
    regions: &Regions,
    log: &mut Vec<AccessEntry>,
    load: impl FnOnce() -> StoreResult<(Option<ClientState>, Vec<RecordedEvent>)>,
) -> StoreResult<Plan> {
    if let Some((entry, err)) = authorise(gate, client, reason) {
        log.push(entry);
        return Err(err);
    }
    let (state, stream) = load()?;
    match plan(client, state, &stream, crate::time::today(), regions)? {
        Ok(p) => Ok(p),
        Err(why) => {
            log.push(refusal(gate, client, why.clone()));
            Err(StoreError::Denied(why))
        }
    }
}

/// The access-log row of a done deletion: the client, the person's reason and what went.
pub fn done(gate: &AccessGate, reason: &str, report: &DeletionReport) -> AccessEntry {
    let who = started_by(gate).map_or("het systeem", |a| a.user.as_str());
    let mut e = gate.note(
        DELETION_ACTION,
        format!(
            "{} — bewaartermijn verstreken (laatste gebeurtenis {}; {} na afwijzing of uitstroom, {}); verwijderd door {who}: {report}; het toegangslog over deze cliënt blijft",
            reason.trim(),
            report.last_fact,
            client_record().period.label(),
            if client_record().assumption {
                "aanname"
            } else {
                "vastgesteld"
            }
        ),
    );
    e.client = Some(report.client);
    e
}

/// What the engine needs to delete one client, computed from its stored state and stream.
#[derive(Debug)]
pub struct Plan {
    /// Latest effective date in the stream.
    pub last_fact: Date,
    /// The occupancy counter the client counts towards (to decrement), if in care.
    pub occupancy: Option<OccupancyKey>,
    /// The client's share of the monitor (its fold's contributions), for the archive.
    pub monitor: Vec<MonitorRow>,
}

/// Decide whether `client` (stored `state`, `stream`) may be deleted on `today`, and plan
/// it. `Ok(Err(why))`: not past retention (the engine logs the refusal and deletes
/// nothing); `Err`: not found or unreadable.
pub fn plan(
    client: ClientId,
    state: Option<ClientState>,
    stream: &[RecordedEvent],
    today: Date,
    regions: &Regions,
) -> StoreResult<Result<Plan, String>> {
    let Some(state) = state else {
        return Err(StoreError::NotFound(client));
    };
    let Some(last_fact) = stream.iter().map(|e| e.effective).max() else {
        return Err(StoreError::Backend(format!(
            "cliënt {client} heeft een stand maar geen gebeurtenissen"
        )));
    };
    if let Err(why) = past_retention(client, state.phase(), last_fact, today) {
        return Ok(Err(why));
    }
    let mut tally = Tally::new();
    fold_recorded_tally(client, stream, regions, &mut tally)?;
    Ok(Ok(Plan {
        last_fact,
        occupancy: occupancy_key(&state),
        monitor: monitor_rows(&tally, regions),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::{Actor, Organisation};

    fn person() -> Actor {
        Actor {
            user: "b.smit".into(),
            role: Role::Systeem,
            organisation: Organisation::Vangnet,
        }
    }

    #[test]
    fn only_a_job_started_by_a_person_may_delete() {
        let c = ClientId(7);
        assert!(authorise(&AccessGate::job(person(), "verwijderen"), c, "termijn").is_none());
        let (row, err) = authorise(&AccessGate::system("verwijderen"), c, "termijn").unwrap();
        assert!(!row.allowed && row.client == Some(c) && row.action == DELETION_ACTION);
        assert!(matches!(err, StoreError::Denied(_)));
        let clerk = AccessGate::new(
            Actor {
                user: "t.jansen".into(),
                role: Role::Toegangsmedewerker,
                organisation: Organisation::Vangnet,
            },
            "x",
        );
        let (row, _) = authorise(&clerk, c, "termijn").unwrap();
        assert_eq!(row.user, "t.jansen");
        let job = AccessGate::job(person(), "verwijderen");
        assert!(authorise(&job, c, "  ").is_some());
        assert!(authorise(&job, c, "a\u{0}b").is_some());
        assert!(authorise(&job, c, &"x".repeat(MAX_REASON + 1)).is_some());
        assert!(authorise(&job, c, &"x".repeat(MAX_REASON)).is_none());
    }

    #[test]
    fn the_row_names_the_person_and_the_reason() {
        let job = AccessGate::job(person(), "bewaartermijn_clienten");
        let r = DeletionReport {
            client: ClientId(9),
            last_fact: Date::parse("2005-02-01").unwrap(),
            events: 2,
            commands: 1,
            person: true,
            deadlines: 0,
            waitlist: 0,
            archived_cells: 5,
            seq: 12,
        };
        let e = done(&job, "jaarlijkse opschoning", &r);
        assert!(e.allowed && e.client == Some(ClientId(9)) && e.user == "b.smit");
        assert!(e.reason.starts_with("jaarlijkse opschoning — bewaartermijn verstreken (laatste gebeurtenis 2005-02-01; 15 jaar"), "{}", e.reason);
        assert!(e.reason.contains("2 gebeurtenissen"), "{}", e.reason);
    }
}
