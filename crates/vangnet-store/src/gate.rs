//! The access gate: every read or write of client data passes through [`AccessGate::check`],
//! which asks the domain's access policy and returns the access-log entry that the engine
//! must write in the same transaction (NEN 7513: who, which client, what, when, why).
//! Refusals are logged too. The engines chain every row to the one before it
//! ([`crate::audit`]).
//!
//! A row names the user, role, organisation, session and network address of the request.
//! The web layer supplies both ([`AccessGate::with_context`]): the session's short id (the
//! first 12 hex digits of the token's hash, never the token) and the peer address (or, behind
//! a trusted proxy, the last hop of `X-Forwarded-For`); they are `None` for the CLI and jobs. A **system job** ([`AccessGate::job`]: import, export, rebuild, the forecast)
//! is authorised as the system but logged in the name of the person who started it.

use serde::Serialize;
use vangnet_domain::access::{Action, ClientScope, FactContext, decide, fact_key, may_record};
use vangnet_domain::state::ClientState;
use vangnet_domain::{Actor, AgbCode, ClientEvent, ClientId, RecordedEvent, Regions, Role};

use crate::time::now_rfc3339;
use crate::{AppendCommand, StoreError, StoreResult};

/// One access-log row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessEntry {
    /// When (RFC 3339).
    pub at: String,
    /// User.
    pub user: String,
    /// Role key.
    pub role: String,
    /// Organisation (`regio:…`, `gemeente:…`, …).
    pub organisation: String,
    /// Short session id of the request (`None` outside a web session).
    pub session: Option<String>,
    /// Network address of the client of the request (`None` when not known; a forwarded
    /// header only from a proxy the server was told to trust).
    pub address: Option<String>,
    /// Client concerned (`None` for log reads and bulk work).
    pub client: Option<ClientId>,
    /// Action key.
    pub action: String,
    /// Stated purpose (why).
    pub purpose: String,
    /// Whether access was granted.
    pub allowed: bool,
    /// The policy's reason.
    pub reason: String,
}

/// Which access-log entries an auditor asks for (newest first). Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessLogFilter {
    /// Only entries about this client.
    pub client: Option<ClientId>,
    /// Only entries of this user (exact user name).
    pub user: Option<String>,
    /// Only refused attempts.
    pub only_refused: bool,
    /// Only entries at or after this instant (RFC 3339 UTC as stored, `…T…Z` with
    /// milliseconds; compared as text, which orders such instants correctly).
    pub from: Option<String>,
    /// Only entries before this instant (exclusive; same form as `from`).
    pub until: Option<String>,
    /// Only entries of this organisation (exact, as logged: `regio:…`, `gemeente:…`).
    pub organisation: Option<String>,
    /// Only entries of this role (exact key, as logged: `auditor`, `toegangsmedewerker`).
    pub role: Option<String>,
    /// Only entries whose stated purpose contains this text (case-insensitive for ASCII).
    pub purpose: Option<String>,
    /// At most this many entries.
    pub limit: usize,
}

impl AccessLogFilter {
    /// The newest `limit` entries, unfiltered.
    pub fn newest(limit: usize) -> AccessLogFilter {
        AccessLogFilter {
            limit,
            ..AccessLogFilter::default()
        }
    }
}

/// An actor with a stated purpose, asking for access to client data.
#[derive(Debug, Clone)]
pub struct AccessGate {
    actor: Actor,
    purpose: String,
    session: Option<String>,
    address: Option<String>,
    /// For a system job: the person who started it (named in the log instead of the system).
    started_by: Option<Actor>,
    /// feat/zoeken: a new application at the front door for the person with this BSN (the
    /// web layer checked it): [`AccessGate::check_append`]'s exception applies only to that
    /// person's stream ([`AccessGate::for_intake`]).
    intake_bsn: Option<vangnet_domain::Bsn>,
    /// The day access is decided on (issue 14: an unanswered proposal opens the record to
    /// its provider until its `geldig_tot`); `None`: the store's clock ([`crate::time::today`]).
    today: Option<vangnet_domain::Date>,
}

impl AccessGate {
    /// A gate for `actor` acting for `purpose` (e.g. "beoordeling aanmelding").
    pub fn new(actor: Actor, purpose: impl Into<String>) -> AccessGate {
        AccessGate {
            actor,
            purpose: purpose.into(),
            session: None,
            address: None,
            started_by: None,
            intake_bsn: None,
            today: None,
        }
    }

    /// The system actor doing `what` (demo generation, tests, benchmarks). Work a person
    /// starts is a [`AccessGate::job`].
    pub fn system(what: &str) -> AccessGate {
        AccessGate::new(Actor::system(what), what)
    }

    /// A system job `job` (import, export, rebuild, prognose) started by `person`: decided
    /// as the system actor `systeem:{job}` (bulk work), logged in `person`'s name with
    /// purpose `job`. Whoever builds it must have checked that `person` may start the job.
    pub fn job(person: Actor, job: &str) -> AccessGate {
        AccessGate {
            started_by: Some(person),
            ..AccessGate::system(job)
        }
    }

    /// The same gate for a request in session `session`.
    pub fn with_session(mut self, session: Option<String>) -> AccessGate {
        self.session = session;
        self
    }

    /// The same gate for a request from network address `address`.
    pub fn with_address(mut self, address: Option<String>) -> AccessGate {
        self.address = address;
        self
    }

    /// The same gate for a request in session `session` (the session's short id, never the
    /// token) from network address `address` — what the web layer knows of every request.
    pub fn with_context(self, session: Option<String>, address: Option<String>) -> AccessGate {
        self.with_session(session).with_address(address)
    }

    /// feat/zoeken: the same gate for registering a new application for the person with
    /// `bsn` (see [`AccessGate::check_append`]).
    pub fn for_intake(mut self, bsn: vangnet_domain::Bsn) -> AccessGate {
        self.intake_bsn = Some(bsn);
        self
    }

    /// The same gate deciding on `today` (`None`: the store's clock). The web passes its own
    /// clock's day when that is fixed (tests, reproducible demos), so that the gate and the
    /// pages agree on which proposals are still open.
    pub fn on(mut self, today: Option<vangnet_domain::Date>) -> AccessGate {
        self.today = today;
        self
    }

    /// The day this gate decides on: the one given ([`Self::on`]) or the store's today.
    pub fn today(&self) -> vangnet_domain::Date {
        self.today.unwrap_or_else(crate::time::today)
    }

    /// The scope of `state` on this gate's day ([`scope_at`]).
    pub fn scope(&self, state: &ClientState) -> ClientScope {
        scope_at(state, self.today())
    }

    /// The BSN of the person a new application is registered for, if this gate is for one.
    pub fn intake_bsn(&self) -> Option<vangnet_domain::Bsn> {
        self.intake_bsn
    }

    /// The actor whose rights decide (the system for a job).
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The actor named in the log: the person who started a job, otherwise [`Self::actor`].
    pub fn logged_actor(&self) -> &Actor {
        self.started_by.as_ref().unwrap_or(&self.actor)
    }

    /// A log row for `action` outside a client (e.g. verifying the log), allowed.
    pub fn note(&self, action: &str, reason: String) -> AccessEntry {
        self.entry(None, action, true, reason)
    }

    /// A refused log row for `action` outside a client (e.g. a search by a role that may not
    /// search).
    pub fn note_refused(&self, action: &str, reason: String) -> AccessEntry {
        self.entry(None, action, false, reason)
    }

    /// Issue 14: the access-log row of an append refused by a rule (the client-fact rules of
    /// `vangnet_domain::state`, the places check, the limits, the person record): action
    /// [`WEIGERING`], the client, and in the reason the rule's code, its field and its Dutch
    /// message. `None` for errors that are no rule refusal (conflict, replay, database).
    pub fn rule_refusal(&self, client: ClientId, err: &StoreError) -> Option<AccessEntry> {
        let reason = match err {
            StoreError::Rule { index, error } => format!(
                "regel {} (veld {}, feit {}): {}",
                error.code,
                error.field,
                index + 1,
                error.message
            ),
            StoreError::Person(m) => format!("regel persoon ({}): {m}", field_of(m)),
            StoreError::Invalid(m) => format!("regel ongeldig ({}): {m}", field_of(m)),
            _ => return None,
        };
        Some(self.entry(Some(client), WEIGERING, false, reason))
    }

    /// A rule refusal of an append: the append's permission row (the last of `log`, pushed
    /// by the client-level check) is replaced by the refusal's row ([`Self::rule_refusal`]),
    /// so the request leaves exactly one row; `err` is returned as it is. Errors that are no
    /// rule refusal leave `log` alone. The engines write the log after the rollback
    /// ([`log_after_failure`]).
    pub fn refuse_rule(
        &self,
        client: ClientId,
        log: &mut Vec<AccessEntry>,
        err: StoreError,
    ) -> StoreError {
        if let Some(entry) = self.rule_refusal(client, &err) {
            if log
                .last()
                .is_some_and(|e| e.allowed && e.client == Some(client))
            {
                log.pop();
            }
            log.push(entry);
        }
        err
    }

    fn entry(
        &self,
        client: Option<ClientId>,
        action: &str,
        allowed: bool,
        reason: String,
    ) -> AccessEntry {
        let who = self.logged_actor();
        AccessEntry {
            at: now_rfc3339(),
            user: who.user.clone(),
            role: who.role.key().to_owned(),
            organisation: who.organisation.to_string(),
            session: self.session.clone(),
            address: self.address.clone(),
            client,
            action: action.to_owned(),
            purpose: self.purpose.clone(),
            allowed,
            reason,
        }
    }

    /// Decide on `action` for `client` with `scope`. Always returns the entry to log; the
    /// verdict is `Err(Denied)` when refused.
    pub fn check(
        &self,
        client: ClientId,
        action: Action,
        scope: &ClientScope,
    ) -> (AccessEntry, Result<(), StoreError>) {
        let d = decide(&self.actor, action, scope);
        let allowed = d.allowed();
        let entry = self.entry(Some(client), action.key(), allowed, d.reason().to_owned());
        let verdict = if allowed {
            Ok(())
        } else {
            Err(StoreError::Denied(d.reason().to_owned()))
        };
        (entry, verdict)
    }

    /// A client that does not exist, asked for with `action`: for everyone but the system
    /// a refusal, pushed onto `log`, answered exactly as for a client that is not theirs —
    /// "does not exist" and "not yours" are one answer (issue 11: no probing of client
    /// numbers), and a probe is in the access log. The system gets `otherwise`.
    pub fn refuse_missing(
        &self,
        client: ClientId,
        action: Action,
        log: &mut Vec<AccessEntry>,
        otherwise: StoreError,
    ) -> StoreError {
        self.refuse_missing_as(client, action.key(), log, otherwise)
    }

    /// [`Self::refuse_missing`] with an action key of its own (`inzage_toegangslog`).
    pub fn refuse_missing_as(
        &self,
        client: ClientId,
        action: &str,
        log: &mut Vec<AccessEntry>,
        otherwise: StoreError,
    ) -> StoreError {
        if self.actor.role == Role::Systeem {
            return otherwise;
        }
        let reason = format!("er is geen cliënt {client}");
        log.push(self.entry(Some(client), action, false, reason.clone()));
        StoreError::Denied(reason)
    }

    /// Bulk work on many clients (import, export, demo): only the system actor.
    pub fn check_bulk(&self, what: &str) -> (AccessEntry, Result<(), StoreError>) {
        let allowed = self.actor.role == Role::Systeem;
        let reason = if let (true, Some(p)) = (allowed, &self.started_by) {
            format!("systeemtaak {}, gestart door {}", self.purpose, p.user)
        } else if allowed {
            "systeemtaak".to_owned()
        } else {
            "bulkbewerkingen zijn alleen voor het systeem".to_owned()
        };
        let entry = self.entry(None, what, allowed, reason.clone());
        (
            entry,
            if allowed {
                Ok(())
            } else {
                Err(StoreError::Denied(reason))
            },
        )
    }

    /// Reading the access log: auditors (and the system) only.
    pub fn check_audit(&self) -> (AccessEntry, Result<(), StoreError>) {
        let allowed = vangnet_domain::access::may_read_access_log(self.actor.role);
        let reason = if allowed {
            "auditor leest toegangslog".to_owned()
        } else {
            "alleen de auditor/privacy officer leest het toegangslog".to_owned()
        };
        let entry = self.entry(None, "toegangslog_lezen", allowed, reason.clone());
        (
            entry,
            if allowed {
                Ok(())
            } else {
                Err(StoreError::Denied(reason))
            },
        )
    }
}

impl AccessGate {
    /// The client's own access overview (AVG inzage: who saw or changed the record): only
    /// the access team of the client's region (and the system) may read it.
    pub fn check_inzage(
        &self,
        client: ClientId,
        scope: &ClientScope,
    ) -> (AccessEntry, Result<(), StoreError>) {
        let own_team = matches!(
            (&self.actor.role, &self.actor.organisation),
            (Role::Toegangsmedewerker, vangnet_domain::Organisation::Regio(r)) if *r == scope.regio
        );
        let allowed = own_team || self.actor.role == Role::Systeem;
        let reason = if allowed {
            format!("toegangsteam van regio {} stelt inzage op", scope.regio)
        } else {
            format!(
                "alleen het toegangsteam van regio {} stelt de inzage in het toegangslog op",
                scope.regio
            )
        };
        let entry = self.entry(Some(client), "inzage_toegangslog", allowed, reason.clone());
        (
            entry,
            if allowed {
                Ok(())
            } else {
                Err(StoreError::Denied(reason))
            },
        )
    }

    /// May this actor read the region at client level (its own access team, or the system)?
    /// `None` if so; otherwise the refusal's access-log row and error.
    pub fn check_region_team(
        &self,
        region: &vangnet_domain::RegionId,
    ) -> Option<(AccessEntry, StoreError)> {
        let own_team = matches!(
            (&self.actor.role, &self.actor.organisation),
            (Role::Toegangsmedewerker, vangnet_domain::Organisation::Regio(r)) if r == region
        );
        if own_team || self.actor.role == Role::Systeem {
            return None;
        }
        let reason =
            format!("alleen het toegangsteam van regio {region} leest de regio op cliëntniveau");
        let entry = self.entry(None, "regio_lezen", false, reason.clone());
        Some((entry, StoreError::Denied(reason)))
    }

    /// Region-wide reading of client states (worklist, placement): only the region's own
    /// access team and the system. `states` are the states read; each is decided by the
    /// policy and refused ones are dropped. Returns the one access-log row for the read
    /// (client `None`, action `regio_lezen`, the number of clients in the reason) and the
    /// verdict with the permitted states.
    pub fn check_region(
        &self,
        region: &vangnet_domain::RegionId,
        states: Vec<ClientState>,
    ) -> (AccessEntry, Result<Vec<ClientState>, StoreError>) {
        let own_team = matches!(
            (&self.actor.role, &self.actor.organisation),
            (Role::Toegangsmedewerker, vangnet_domain::Organisation::Regio(r)) if r == region
        );
        if !(own_team || self.actor.role == Role::Systeem) {
            let reason = format!(
                "alleen het toegangsteam van regio {region} leest de regio op cliëntniveau"
            );
            let entry = self.entry(None, "regio_lezen", false, reason.clone());
            return (entry, Err(StoreError::Denied(reason)));
        }
        let permitted: Vec<ClientState> = states
            .into_iter()
            .filter(|s| decide(&self.actor, Action::Read, &self.scope(s)).allowed())
            .collect();
        let reason = format!(
            "toegangsteam van regio {region}: {} cliënten gelezen",
            permitted.len()
        );
        (self.entry(None, "regio_lezen", true, reason), Ok(permitted))
    }
}

impl AccessGate {
    /// Decide a list read of `states` for the region's own team (placement candidates):
    /// a refused team gets one region-level refusal entry; otherwise every permitted client
    /// gets its own read entry and refused clients are left out.
    pub fn check_listed(
        &self,
        region: &vangnet_domain::RegionId,
        states: Vec<ClientState>,
    ) -> (Vec<AccessEntry>, Result<Vec<ClientState>, StoreError>) {
        if let Some((entry, err)) = self.check_region_team(region) {
            return (vec![entry], Err(err));
        }
        let mut entries = Vec::new();
        let mut permitted = Vec::new();
        for s in states {
            let (entry, verdict) = self.check(s.client, Action::Read, &self.scope(&s));
            if verdict.is_ok() {
                entries.push(entry);
                permitted.push(s);
            }
        }
        (entries, Ok(permitted))
    }
}

impl AccessGate {
    /// Rights per fact ([`vangnet_domain::access::FACT_RIGHTS`]): may this actor record
    /// every fact of `cmd`? Asked by the engines after the client-level [`Self::check`] and
    /// before planning, for every append (web, API) — imports run as a system job. `current`
    /// is the stored state; `load_stream` is called only when a correctie or intrekking
    /// names a stored fact. `Ok(None)`: allowed; `Ok(Some(..))`: the refusal's access-log
    /// row (action `feit_vastleggen`) and error.
    pub fn check_facts(
        &self,
        cmd: &AppendCommand,
        current: Option<&ClientState>,
        load_stream: &mut dyn FnMut() -> StoreResult<Vec<RecordedEvent>>,
        regions: &Regions,
    ) -> StoreResult<Option<(AccessEntry, StoreError)>> {
        if self.actor.role == Role::Systeem {
            return Ok(None);
        }
        // Issue 15 (feat/corporatie): a corporation records facts only for a candidate of
        // its own werkgebied — the ones its candidate list shows (`wonen::werkgebied_rows`);
        // another corporation's candidate is refused like any fact it may not record.
        if let (Role::Woningcorporatie, vangnet_domain::Organisation::Corporatie(id), Some(s)) =
            (self.actor.role, &self.actor.organisation, current)
            && !crate::wonen::werkgebied_rows(regions, id, s)
        {
            let reason = format!(
                "cliënt {} is geen uitstroomkandidaat in het werkgebied van corporatie {id}",
                cmd.client
            );
            let entry = self.entry(Some(cmd.client), "feit_vastleggen", false, reason.clone());
            return Ok(Some((entry, StoreError::Denied(reason))));
        }
        let regio = match (current, scope_of_new(cmd)) {
            (Some(s), _) => s.regio.clone(),
            (None, Some(scope)) => scope.regio,
            // No stored client and no aanmelding first: the engines refuse that as a rule.
            (None, None) => return Ok(None),
        };
        let stored_version = current.map_or(0, |s| s.version);
        let mut toewijzing_aanbieder = current.and_then(|s| s.toewijzing()).and_then(|t| t.4);
        let zorg_aanbieder = current.and_then(|s| s.zorg.as_ref()).map(|z| z.aanbieder);
        let mut stream: Option<Vec<RecordedEvent>> = None;
        for (index, (effective, event)) in cmd.events.iter().enumerate() {
            let target = match event {
                ClientEvent::Correctie { corrigeert, .. } => Some(*corrigeert),
                ClientEvent::Intrekking { trekt_in, .. } => Some(*trekt_in),
                _ => None,
            };
            let original: Option<ClientEvent> = match target {
                Some(v) if v >= 1 && v <= stored_version => {
                    if stream.is_none() {
                        stream = Some(load_stream()?);
                    }
                    stream
                        .as_ref()
                        .and_then(|s| s.iter().find(|r| r.version == v))
                        .map(|r| r.event.clone())
                }
                Some(v) if v > stored_version => cmd
                    .events
                    .get((v - stored_version - 1) as usize)
                    .filter(|_| ((v - stored_version - 1) as usize) < index)
                    .map(|(_, e)| e.clone()),
                _ => None,
            };
            // An aanmelding is decided for the region it is made in (feat/zoeken: a new
            // application for a person whose closed case is under another region).
            let regio_here = match event {
                ClientEvent::Aanmelding { regio: r, .. } => r,
                _ => &regio,
            };
            let ctx = FactContext {
                regio: regio_here,
                toewijzing_aanbieder,
                zorg_aanbieder,
                original: original.as_ref(),
                effective: *effective,
                regions,
                client: current,
            };
            let d = may_record(&self.actor, event, &ctx);
            if !d.allowed() {
                let reason = format!("feit {} ({}): {}", index + 1, fact_key(event), d.reason());
                let entry = self.entry(Some(cmd.client), "feit_vastleggen", false, reason.clone());
                return Ok(Some((entry, StoreError::Denied(reason))));
            }
            if let ClientEvent::Toewijzing { aanbieder, .. } = event {
                toewijzing_aanbieder = *aanbieder;
            }
        }
        Ok(None)
    }
}

impl AccessGate {
    /// Would this actor be allowed to open a new client with `cmd` (the client-level
    /// [`Self::check`] for `Create` and [`Self::check_facts`])? Pure and not logged: the web
    /// layer asks it *before* looking a BSN up, so that someone who may not register here
    /// gets the store's own (logged) refusal whether or not the BSN is known (issue 11,
    /// finding 4: no BSN probing).
    pub fn would_allow_new(&self, cmd: &AppendCommand, regions: &Regions) -> bool {
        let Some(scope) = scope_of_new(cmd) else {
            return false;
        };
        decide(&self.actor, Action::Create, &scope).allowed()
            && matches!(
                self.check_facts(cmd, None, &mut || Ok(Vec::new()), regions),
                Ok(None)
            )
    }
}

/// The action key of a rule refusal's access-log row (issue 14): an append the client-fact
/// rules refused, nothing written ([`AccessGate::rule_refusal`]).
pub const WEIGERING: &str = "weigering";

/// The field a `veld: bericht` message names (as [`StoreError::Person`] and
/// [`StoreError::Invalid`] write them), or `-`.
fn field_of(m: &str) -> &str {
    m.split_once(": ")
        .map(|(f, _)| f)
        .filter(|f| !f.is_empty() && !f.contains(' '))
        .unwrap_or("-")
}

/// Whether the access-log rows of a failed transaction are written after its rollback (in a
/// transaction of their own): for a refusal by the gate, a replay, and a rule refusal
/// ([`AccessGate::refuse_rule`] left a [`WEIGERING`] row last).
pub fn log_after_failure(err: &StoreError, log: &[AccessEntry]) -> bool {
    !log.is_empty()
        && (matches!(err, StoreError::Denied(_) | StoreError::Replay { .. })
            || log
                .last()
                .is_some_and(|e| e.action == WEIGERING && !e.allowed))
}

/// The facts about a client that decide who may see them, on the store's today
/// ([`scope_at`] with [`crate::time::today`]); code that holds a gate asks
/// [`AccessGate::scope`], which decides on the gate's day.
pub fn scope_of(state: &ClientState) -> ClientScope {
    scope_at(state, crate::time::today())
}

/// The facts about a client that decide who may see them on `today`. The providers that may
/// read (and write what their rights per fact allow): the allocation's and the running
/// care's, and (issue 14) the provider of an open proposal (recorded and not answered with a
/// refusal, cleared by start zorg or the client leaving the list; an unanswered proposal only
/// up to and including its `geldig_tot` — after that its provider no longer reads the
/// client, an accepted one until start zorg), of the temporary stay beside the running care
/// (while that care runs), and of an open request.
pub fn scope_at(state: &ClientState, today: vangnet_domain::Date) -> ClientScope {
    let mut aanbieders = Vec::new();
    let mut add = |a: AgbCode| {
        if !aanbieders.contains(&a) {
            aanbieders.push(a);
        }
    };
    if let Some((_, _, _, _, Some(a))) = state.toewijzing() {
        add(a);
    }
    if let Some(z) = &state.zorg {
        add(z.aanbieder);
        if let Some(t) = &state.tijdelijk {
            add(t.aanbieder);
        }
    }
    if let Some(v) = &state.voorstel
        && (v.akkoord.is_some() || today <= v.geldig_tot)
    {
        add(v.aanbieder);
    }
    for v in &state.verzoeken {
        add(v.aanbieder);
    }
    ClientScope {
        regio: state.regio.clone(),
        herkomst: state.herkomst,
        aanbieders,
        uitstroom_kandidaat: state.woon_kandidaat_ooit(),
    }
}

/// The scope of a client that does not exist yet, taken from the command's first fact: the
/// aanmelding names the region and the gemeente of origin. `None` when the command does
/// not start with an aanmelding (the engines refuse that as a rule error on `type`).
pub fn scope_of_new(cmd: &AppendCommand) -> Option<ClientScope> {
    match cmd.events.first() {
        Some((
            _,
            vangnet_domain::ClientEvent::Aanmelding {
                regio,
                herkomst_gemeente,
                ..
            },
        )) => Some(ClientScope {
            regio: regio.clone(),
            herkomst: *herkomst_gemeente,
            aanbieders: vec![],
            uitstroom_kandidaat: false,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::access::{Action, decide};
    use vangnet_domain::events::{Leveringsvorm, Melder, Organisation, Urgentie, Woonsituatie};
    use vangnet_domain::{Date, GemeenteCode, ProductCode, RegionId};

    /// Issue 14: the provider of an open proposal, of the temporary stay beside care and of
    /// an open request reads the client; another provider still does not.
    #[test]
    fn a_proposal_lets_its_provider_read_and_no_other() {
        let regions = Regions::builtin();
        let regio = RegionId::parse("centraal-gelderland").unwrap();
        let p = regions.get(&regio).unwrap();
        let product = ProductCode::parse("bw-beschermd-wonen").unwrap();
        let mut locs = p
            .locations
            .iter()
            .filter(|l| l.places.contains_key(&product));
        let l1 = locs.next().unwrap();
        let l2 = locs.find(|l| l.provider != l1.provider).unwrap();
        let third = p
            .providers
            .iter()
            .map(|x| x.agb)
            .find(|a| *a != l1.provider && *a != l2.provider)
            .unwrap();
        let d = |s: &str| Date::parse(s).unwrap();
        let mut st = ClientState::open(
            ClientId(1),
            1,
            d("2024-01-02"),
            &ClientEvent::Aanmelding {
                regio: regio.clone(),
                melder: Melder::Zelf,
                herkomst_gemeente: Some(GemeenteCode::parse("GM0202").unwrap()),
                woonsituatie: Woonsituatie::Thuis,
                urgentie: Urgentie::Regulier,
                voordeur: None,
            },
            &regions,
        )
        .unwrap();
        let facts = [
            (
                "2024-01-10",
                ClientEvent::Toewijzing {
                    product: product.clone(),
                    start: d("2024-02-01"),
                    einde: d("2025-01-31"),
                    leveringsvorm: Leveringsvorm::Zin,
                    aanbieder: None,
                },
            ),
            (
                "2024-01-11",
                ClientEvent::WachtlijstIn {
                    product: product.clone(),
                    prioriteit: 0,
                },
            ),
            (
                "2024-01-20",
                ClientEvent::Voorstel {
                    locatie: l2.id.clone(),
                    product: product.clone(),
                    geldig_tot: d("2024-02-03"),
                },
            ),
        ];
        for (i, (on, e)) in facts.iter().enumerate() {
            st.apply(i as u32 + 2, d(on), e, &regions).unwrap();
        }
        let reads_on = |st: &ClientState, agb, on: &str| {
            let a = Actor {
                user: "t".into(),
                role: Role::Zorgaanbieder,
                organisation: Organisation::Aanbieder(agb),
            };
            decide(&a, Action::Read, &scope_at(st, d(on))).allowed()
        };
        let reads = |st: &ClientState, agb| reads_on(st, agb, "2024-01-21");
        assert!(
            reads(&st, l2.provider),
            "the proposed location's provider reads"
        );
        assert!(!reads(&st, l1.provider), "another provider does not");
        assert!(!reads(&st, third));
        // Unanswered: up to and including geldig_tot (3 Feb), not after.
        assert!(reads_on(&st, l2.provider, "2024-02-03"));
        assert!(!reads_on(&st, l2.provider, "2024-02-04"), "expired");
        assert!(reads_on(&st, l1.provider, "2024-02-04") == reads(&st, l1.provider));
        // Refused: the proposal no longer opens the record.
        st.apply(
            5,
            d("2024-01-22"),
            &ClientEvent::VoorstelAntwoord {
                voorstel: 4,
                akkoord: false,
                reden: "vol".into(),
            },
            &regions,
        )
        .unwrap();
        assert!(!reads(&st, l2.provider));
    }
}
