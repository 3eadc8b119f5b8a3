//! The worklist page and the named waiting list, shared by the engines (issue 12): the
//! engines read the region's deadline rows with the client state and the person's name;
//! [`page`] decides every client at the access gate, lets the domain filter, count, sort
//! and page ([`vangnet_domain::worklist::WorklistFilter::select`]), and logs a read only
//! for the clients on the page (the counts are aggregates and carry no client data).

use std::collections::HashMap;

use vangnet_domain::access::Action;
use vangnet_domain::worklist::{DeadlineRow, Task, WorklistFilter, WorklistPage, filter_keys};
use vangnet_domain::{ClientId, ClientState, Date, RegionId};

use crate::gate::{AccessEntry, AccessGate};
use crate::{StoreError, StoreResult};

/// One deadline row as an engine reads it: the `deadlines` columns, the client's state and
/// the person's name (`None` when the store holds no person for the client).
#[derive(Debug)]
pub struct StoredDeadline {
    /// Client.
    pub client: ClientId,
    /// Task key.
    pub task: String,
    /// Due date, `JJJJ-MM-DD`.
    pub due: String,
    /// What it is about.
    pub detail: String,
    /// Given and family name.
    pub name: Option<(String, String)>,
}

/// A person's display name: given name and family name.
pub fn display_name(voornaam: &str, achternaam: &str) -> String {
    format!("{voornaam} {achternaam}")
}

/// Decide, filter and page the region's deadline rows. `state_of` gives each row's client
/// state (engines read it in the same query). Returns the access-log rows to write — a
/// refusal of the region, or one read per client on the page — and the page.
pub fn page(
    gate: &AccessGate,
    region: &RegionId,
    rows: Vec<(StoredDeadline, std::rc::Rc<ClientState>)>,
    filter: &WorklistFilter,
    today: Date,
) -> (Vec<AccessEntry>, StoreResult<WorklistPage>) {
    if let Some((entry, err)) = gate.check_region_team(region) {
        return (vec![entry], Err(err));
    }
    let mut decided: HashMap<ClientId, Option<AccessEntry>> = HashMap::new();
    let mut kept = Vec::with_capacity(rows.len());
    for (row, state) in rows {
        let allowed = decided
            .entry(row.client)
            .or_insert_with(|| {
                let (entry, verdict) = gate.check(row.client, Action::Read, &gate.scope(&state));
                verdict.is_ok().then_some(entry)
            })
            .is_some();
        if !allowed {
            continue; // refused clients are left out, and not shown, so not accessed
        }
        let Some(task) = Task::from_key(&row.task) else {
            return (
                Vec::new(),
                Err(StoreError::Backend(format!(
                    "deadlines van {}: onbekende taak {}",
                    row.client, row.task
                ))),
            );
        };
        let due = match Date::parse(&row.due) {
            Ok(d) => d,
            Err(e) => return (Vec::new(), Err(StoreError::Backend(e.to_string()))),
        };
        let (gemeente, product) = filter_keys(&state);
        kept.push(DeadlineRow {
            client: row.client,
            task,
            due,
            detail: row.detail,
            gemeente,
            product,
            name: row.name.map(|(v, a)| display_name(&v, &a)),
        });
    }
    let page = filter.select(kept, today);
    let mut log = Vec::new();
    for item in &page.items {
        if let Some(entry) = decided.get_mut(&item.client).and_then(Option::take) {
            log.push(entry);
        }
    }
    (log, Ok(page))
}

/// Client states, each with its person's name (`None` when the store holds no person).
pub type NamedStates = Vec<(ClientState, Option<String>)>;

/// The action of a refused request for a gemeente's residents' cases (an actor who may not
/// read that gemeente's residents), logged before anything is counted.
pub const RESIDENTS_ACTION: &str = "inwoners_lezen";

/// SQLite: how many open front-door cases the residents of a gemeente have in a region
/// (binds region, gemeente; index `client_state_region_phase`).
pub const RESIDENTS_COUNT_SQLITE: &str = "SELECT COUNT(*) FROM client_state WHERE region = ?1 AND herkomst = ?2 AND phase IN ('aangemeld', 'toegewezen', 'wachtend')";
/// SQLite: one page of them with state and name (binds region, gemeente, limit, offset).
pub const RESIDENTS_PAGE_SQLITE: &str = "SELECT s.client_id, s.state, p.voornaam, p.achternaam FROM client_state s LEFT JOIN persons p ON p.client_id = s.client_id WHERE s.region = ?1 AND s.herkomst = ?2 AND s.phase IN ('aangemeld', 'toegewezen', 'wachtend') ORDER BY s.client_id LIMIT ?3 OFFSET ?4";
/// PostgreSQL: [`RESIDENTS_COUNT_SQLITE`].
pub const RESIDENTS_COUNT_POSTGRES: &str = "SELECT COUNT(*) FROM client_state WHERE region = $1 AND herkomst = $2 AND phase IN ('aangemeld', 'toegewezen', 'wachtend')";
/// PostgreSQL: [`RESIDENTS_PAGE_SQLITE`].
pub const RESIDENTS_PAGE_POSTGRES: &str = "SELECT s.client_id, s.state, p.voornaam, p.achternaam FROM client_state s LEFT JOIN persons p ON p.client_id = s.client_id WHERE s.region = $1 AND s.herkomst = $2 AND s.phase IN ('aangemeld', 'toegewezen', 'wachtend') ORDER BY s.client_id LIMIT $3 OFFSET $4";

/// One page of a gemeente's residents' open cases ([`crate::Store::resident_cases`]).
#[derive(Debug, Clone, Default)]
pub struct ResidentCases {
    /// The clients on the page, in list order (client number), with their names.
    pub shown: NamedStates,
    /// How many open cases the list has (a count, shown or not).
    pub total: usize,
}

/// (limit, offset) of positions `page` for the page queries.
pub fn limit_offset(page: &std::ops::Range<usize>) -> (i64, i64) {
    let cap = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    (cap(page.end.saturating_sub(page.start)), cap(page.start))
}

/// May the actor of `gate` read the residents of `gemeente` in `region` at all (the policy
/// for a client of that region and gemeente: its wijkteam, the region's team, the system)?
/// Refused: the refusal's log row and `Denied` — asked before the list is counted, so a
/// wijkteam of another gemeente learns not even how many there are.
pub fn may_read_residents(
    gate: &AccessGate,
    region: &RegionId,
    gemeente: vangnet_domain::GemeenteCode,
) -> Result<(), Box<(AccessEntry, StoreError)>> {
    let scope = vangnet_domain::access::ClientScope {
        regio: region.clone(),
        herkomst: Some(gemeente),
        aanbieders: Vec::new(),
        uitstroom_kandidaat: false,
    };
    let d = vangnet_domain::access::decide(gate.actor(), Action::Read, &scope);
    if d.allowed() {
        Ok(())
    } else {
        let reason = d.reason().to_owned();
        Err(Box::new((
            gate.note_refused(RESIDENTS_ACTION, reason.clone()),
            StoreError::Denied(reason),
        )))
    }
}

/// The residents' open cases of one gemeente on one page (feat/toegang, issue 14,
/// `Store::resident_cases`): every client shown is decided for reading with its own scope
/// and logged; if any is refused the whole read is refused, with every refusal in the log
/// and nothing returned. `total` is the list's count.
pub fn residents(
    gate: &AccessGate,
    total: usize,
    rows: Vec<(ClientState, Option<(String, String)>)>,
) -> (Vec<AccessEntry>, StoreResult<ResidentCases>) {
    let mut entries = Vec::with_capacity(rows.len());
    let mut out = Vec::with_capacity(rows.len());
    let mut refused: Option<StoreError> = None;
    for (s, name) in rows {
        let (entry, verdict) = gate.check(s.client, Action::Read, &gate.scope(&s));
        entries.push(entry);
        match verdict {
            Ok(()) => out.push((s, name.map(|(v, a)| display_name(&v, &a)))),
            Err(e) => {
                refused.get_or_insert(e);
            }
        }
    }
    match refused {
        Some(e) => {
            entries.retain(|e| !e.allowed);
            (entries, Err(e))
        }
        None => (entries, Ok(ResidentCases { shown: out, total })),
    }
}

/// The named waiting list: decide `states` as [`AccessGate::check_listed`] does (one read
/// per listed client) and pair every permitted state with its person's name.
pub fn named(
    gate: &AccessGate,
    region: &RegionId,
    rows: Vec<(ClientState, Option<(String, String)>)>,
) -> (Vec<AccessEntry>, StoreResult<NamedStates>) {
    let mut names: HashMap<ClientId, String> = HashMap::new();
    let mut states = Vec::with_capacity(rows.len());
    for (s, name) in rows {
        if let Some((v, a)) = name {
            names.insert(s.client, display_name(&v, &a));
        }
        states.push(s);
    }
    let (entries, verdict) = gate.check_listed(region, states);
    let verdict = verdict.map(|states| {
        states
            .into_iter()
            .map(|s| {
                let name = names.remove(&s.client);
                (s, name)
            })
            .collect()
    });
    (entries, verdict)
}
