//! A provider's clients (issue 14, feat/portaal), shared by the engines. The engines keep
//! the rows of `client_provider` (migrations 0014 and 0016, maintained from
//! [`crate::projection::provider_rows`] wherever a client state is written, in the same
//! transaction, and by `rebuild`): one row per (provider, client) with the columns a page
//! needs — whether the policy lets the provider read the client, the client's locations,
//! what asks for the provider's attention. A page is then counted and selected on those
//! indexed columns ([`LIST_SQLITE`], [`LIST_POSTGRES`]: one scan of the provider's rows in
//! key order, the choice in [`pick`]) and only the clients it shows are read, parsed and
//! decided at the gate — one read row each ([`decide_shown`]); who may ask
//! at all (the provider itself, or the system) is [`may_list`]. [`story`] and
//! [`counts_agree`] are the tests every engine runs.

use vangnet_domain::access::Action;
use vangnet_domain::worklist::Task;
use vangnet_domain::{AgbCode, ClientState, Date, LocationId, Organisation, Regions, Role};

use crate::StoreError;
use crate::gate::{AccessEntry, AccessGate, scope_of};
use crate::worklist::{NamedStates, display_name};

/// The action of a refused request for a provider's client list (who is not that provider).
pub const ACTION: &str = "aanbieder_lezen";

/// How far ahead a provider's task asks for attention on the portal: 8 weeks.
pub const ATTENTION_DAYS: i32 = 56;

/// Worklist tasks that are the provider's business (the access team's own terms — the
/// decision term, the waiting norm, the advice question — are not).
pub fn provider_task(t: Task) -> bool {
    match t {
        Task::EindeToewijzing
        | Task::MaximumDuur
        | Task::Woningzoekend
        | Task::Verzoek
        | Task::Voorstel
        | Task::MoTraject
        | Task::Reactietermijn => true,
        Task::Beslistermijn
        | Task::WachttijdNorm
        | Task::Advies
        | Task::AanbodGeweigerd
        | Task::UrgentieOpen => false,
    }
}

/// Whether `s` needs provider `agb`'s attention on `today`, so the portal lists it apart
/// whatever its page: a proposal for its place it has not answered (term not passed), its
/// open request, or one of its tasks ([`provider_task`]) due within [`ATTENTION_DAYS`].
/// The projection's columns ([`crate::projection::ProviderRow`]) answer the same question
/// in the engines; [`counts_agree`] checks that they do.
pub fn needs_attention(s: &ClientState, agb: AgbCode, today: Date, regions: &Regions) -> bool {
    s.voorstel
        .as_ref()
        .is_some_and(|v| v.aanbieder == agb && v.akkoord.is_none() && v.geldig_tot >= today)
        || s.verzoeken.iter().any(|v| v.aanbieder == agb)
        || earliest_task(s, regions).is_some_and(|due| due <= today.add_days(ATTENTION_DAYS))
}

/// The due date of the client's first provider task ([`provider_task`]), whatever provider
/// looks: the projection's `taak_tot`, and the order of the portal's task list (earliest
/// first, then client number).
pub fn earliest_task(s: &ClientState, regions: &Regions) -> Option<Date> {
    regions.get(&s.regio).and_then(|p| {
        vangnet_domain::worklist::deadlines_of(s, p)
            .into_iter()
            .filter(|(task, _, _)| provider_task(*task))
            .map(|(_, due, _)| due)
            .min()
    })
}

/// Whether `s` is at `locatie`: in care there, proposed for a place there, or on a temporary
/// stay there.
pub fn at_location(s: &ClientState, locatie: &LocationId) -> bool {
    s.zorg.as_ref().is_some_and(|z| z.locatie == *locatie)
        || s.voorstel.as_ref().is_some_and(|v| v.locatie == *locatie)
        || s.tijdelijk.as_ref().is_some_and(|t| t.locatie == *locatie)
}

/// Who may list provider `agb`'s clients: the provider itself (a zorgaanbieder of that
/// organisation) — `Ok(false)`: only the rows the policy lets it read — or the system —
/// `Ok(true)`: every row. Anyone else: one refused log row (action [`ACTION`]) and `Denied`.
pub fn may_list(gate: &AccessGate, agb: AgbCode) -> Result<bool, Box<(AccessEntry, StoreError)>> {
    let actor = gate.actor();
    let own = matches!(
        (&actor.role, &actor.organisation),
        (Role::Zorgaanbieder, Organisation::Aanbieder(a)) if *a == agb
    );
    if own {
        Ok(false)
    } else if actor.role == Role::Systeem {
        Ok(true)
    } else {
        let reason = format!("alleen aanbieder {agb} zelf ziet de eigen cliënten");
        Err(Box::new((
            gate.note_refused(ACTION, reason.clone()),
            StoreError::Denied(reason),
        )))
    }
}

/// SQLite: the provider's list (those the policy lets it read — unless `?2`, the system —,
/// at location `?3` when given: [`at_location`]) in client-number order — the primary key's
/// order, no sort — with the columns [`pick`] chooses the shown clients by.
pub const LIST_SQLITE: &str = "SELECT client_id, verzoek, voorstel_tot, taak_tot FROM client_provider WHERE agb = ?1 AND (leest = 1 OR ?2 = 1) AND (?3 IS NULL OR zorg_locatie = ?3 OR voorstel_locatie = ?3 OR tijdelijk_locatie = ?3) ORDER BY client_id";

/// PostgreSQL: [`LIST_SQLITE`].
pub const LIST_POSTGRES: &str = "SELECT client_id, verzoek, voorstel_tot, taak_tot FROM client_provider WHERE agb = $1 AND (leest OR $2::boolean) AND ($3::text IS NULL OR zorg_locatie = $3 OR voorstel_locatie = $3 OR tijdelijk_locatie = $3) ORDER BY client_id";

/// One row of [`LIST_SQLITE`] / [`LIST_POSTGRES`]: the columns of `client_provider` that
/// say whether a client needs attention (ISO dates compare as text).
#[derive(Debug, Clone)]
pub struct ListRow {
    /// The client number.
    pub client: i64,
    /// An open request of the provider.
    pub verzoek: bool,
    /// An unanswered proposal to the provider, valid until (ISO).
    pub voorstel_tot: Option<String>,
    /// The earliest due date of a provider task (ISO): [`earliest_task`].
    pub taak_tot: Option<String>,
}

/// What [`pick`] chose from a provider's list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picked {
    /// How many clients the list has.
    pub total: usize,
    /// How many of them have a task due within [`ATTENTION_DAYS`] (0 without attention).
    pub task_total: usize,
    /// (client, position in the list, position in the task list when in `Shown::tasks`),
    /// in client order.
    pub rows: Vec<(i64, usize, Option<usize>)>,
}

/// Choose from `list` (a provider's [`ListRow`]s in client-number order, as the engines
/// read them) the clients a page shows ([`Shown`]): positions `page`; with
/// `attention: Some(today)` every open request and proposal valid on `today` and the
/// positions `tasks` of the clients with a task due within [`ATTENTION_DAYS`], earliest
/// first, then client number — [`needs_attention`] on the projection's columns. Pure: the
/// one place both engines pick by, so their pages agree ([`counts_agree`]).
pub fn pick(list: &[ListRow], shown: &Shown) -> Picked {
    let (today, horizon) = match shown.attention {
        Some(d) => (
            Some(d.to_string()),
            Some(d.add_days(ATTENTION_DAYS).to_string()),
        ),
        None => (None, None),
    };
    // The task list: (due, position) of the clients with a task due by the horizon.
    let mut tasks: Vec<(&str, usize)> = match &horizon {
        Some(h) => list
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                r.taak_tot
                    .as_deref()
                    .filter(|due| *due <= h.as_str())
                    .map(|due| (due, i))
            })
            .collect(),
        None => Vec::new(),
    };
    // Positions follow client number, so (due, position) is (due, client) order.
    tasks.sort_unstable();
    let mut task_pos: Vec<Option<usize>> = vec![None; list.len()];
    for (t, (_, i)) in tasks
        .iter()
        .enumerate()
        .skip(shown.tasks.start)
        .take(shown.tasks.len())
    {
        task_pos[*i] = Some(t);
    }
    let open = |r: &ListRow| {
        today
            .as_deref()
            .is_some_and(|d| r.verzoek || r.voorstel_tot.as_deref().is_some_and(|v| v >= d))
    };
    let rows = list
        .iter()
        .enumerate()
        .filter(|(i, r)| shown.page.contains(i) || task_pos[*i].is_some() || open(r))
        .map(|(i, r)| (r.client, i, task_pos[i]))
        .collect();
    Picked {
        total: list.len(),
        task_total: tasks.len(),
        rows,
    }
}

/// A client the engine read for a page: (position in the list, position in the task list
/// when the page shows its tasks, state, (voornaam, achternaam)).
pub type ShownRow = (usize, Option<usize>, ClientState, Option<(String, String)>);

/// Decide the clients a page shows — `rows`: [`ShownRow`]s as the engine read them for the
/// selected clients, `total` the list's count and `task_total` how many of it have a task
/// due by the horizon, both from the projection. Each is decided at the gate and logged
/// (one read row; a refusal — the projection disagreeing with the policy — is logged and
/// the client left out).
pub fn decide_shown(
    gate: &AccessGate,
    (total, task_total): (usize, usize),
    rows: Vec<ShownRow>,
) -> (Vec<AccessEntry>, ProviderClients) {
    let mut log = Vec::with_capacity(rows.len());
    let mut shown = Vec::with_capacity(rows.len());
    let mut tasks = Vec::new();
    for (pos, task_pos, s, name) in rows {
        let (entry, verdict) = gate.check(s.client, Action::Read, &gate.scope(&s));
        log.push(entry);
        if verdict.is_ok() {
            if let Some(t) = task_pos {
                tasks.push((t, s.client));
            }
            shown.push((pos, s, name.map(|(v, a)| display_name(&v, &a))));
        }
    }
    tasks.sort_unstable();
    (
        log,
        ProviderClients {
            shown,
            total,
            tasks,
            task_total,
        },
    )
}

/// Which of a provider's clients a page shows — and so reads and logs (issue 14: the portal
/// at national scale; a provider with thousands of clients sees 50 a page): the positions
/// `page` in the list of the clients the policy lets it read (client-number order), and —
/// with `attention: Some(today)` — the clients that need its attention that day
/// ([`needs_attention`]: what the portal lists apart): every open proposal and request, and
/// the positions `tasks` of the clients with a task due within [`ATTENTION_DAYS`] (earliest
/// first: [`earliest_task`]).
#[derive(Debug, Clone)]
pub struct Shown {
    /// Positions of the list on the page.
    pub page: std::ops::Range<usize>,
    /// Show the clients that need attention on this day, whatever their position.
    pub attention: Option<Date>,
    /// With `attention`: the positions of the task list shown.
    pub tasks: std::ops::Range<usize>,
}

impl Shown {
    /// Every client (the whole list read and logged).
    pub fn all() -> Shown {
        Shown {
            page: 0..usize::MAX,
            attention: None,
            tasks: 0..0,
        }
    }

    /// Positions `page` of the list, nothing apart.
    pub fn page(page: std::ops::Range<usize>) -> Shown {
        Shown {
            page,
            attention: None,
            tasks: 0..0,
        }
    }
}

/// The clients a page shows, each with its position in the list, and the number of clients
/// in the list.
#[derive(Debug, Clone, Default)]
pub struct ProviderClients {
    /// (position, state, name) of the clients shown, in list order.
    pub shown: Vec<(usize, ClientState, Option<String>)>,
    /// How many clients the list has (those the policy lets the provider read), shown or
    /// not — a count from the projection.
    pub total: usize,
    /// The shown clients in the task window ([`Shown::tasks`]): (task position, client),
    /// earliest task first.
    pub tasks: Vec<(usize, vangnet_domain::ClientId)>,
    /// How many clients of the list have a task due within [`ATTENTION_DAYS`] (0 without
    /// `attention`).
    pub task_total: usize,
}

impl ProviderClients {
    /// The shown clients with their names.
    pub fn into_named(self) -> NamedStates {
        self.shown.into_iter().map(|(_, s, n)| (s, n)).collect()
    }
}

/// Conformance (issue 14): for every provider of the region profiles, with and without each
/// of its locations, on each day of `days`, the list the engine counts and selects on the
/// projection's columns equals the list decided from the stored states themselves — the
/// same total, and the clients that need attention with the same positions. Every client of
/// the store is parsed here (from [`crate::Store::snapshot`]) and decided by the policy for
/// the provider; the engine's answer comes from [`crate::Store::provider_clients_at`] (page
/// `0..0`: only what needs attention). Returns how many lists were compared and how many
/// clients in them (so a caller can assert the check saw something).
pub fn counts_agree(store: &dyn crate::Store, days: &[Date]) -> (usize, usize) {
    use vangnet_domain::access::decide;
    use vangnet_domain::{Actor, ClientId};

    let regions = store.regions().clone();
    let snap = store.snapshot().expect("snapshot");
    let states: Vec<ClientState> = snap
        .clients
        .iter()
        .map(|(_, json)| serde_json::from_str(json).expect("stored state"))
        .collect();
    let mut providers: Vec<(AgbCode, Vec<LocationId>)> = Vec::new();
    for p in regions.all() {
        for l in &p.locations {
            match providers.iter_mut().find(|(a, _)| *a == l.provider) {
                Some((_, ls)) => ls.push(l.id.clone()),
                None => providers.push((l.provider, vec![l.id.clone()])),
            }
        }
    }
    let (mut lists, mut clients) = (0, 0);
    for (agb, locations) in &providers {
        let actor = Actor {
            user: format!("aanbieder-{agb}"),
            role: Role::Zorgaanbieder,
            organisation: Organisation::Aanbieder(*agb),
        };
        let gate = AccessGate::new(actor.clone(), "conformance: aanbiederslijst");
        let mine: Vec<&ClientState> = states
            .iter()
            .filter(|s| {
                crate::projection::provider_rows(s, &regions)
                    .iter()
                    .any(|r| r.agb == agb.to_string())
                    && decide(&actor, Action::Read, &scope_of(s)).allowed()
            })
            .collect();
        for locatie in std::iter::once(None).chain(locations.iter().map(Some)) {
            let list: Vec<&ClientState> = mine
                .iter()
                .copied()
                .filter(|s| locatie.is_none_or(|l| at_location(s, l)))
                .collect();
            for day in days {
                let horizon = day.add_days(ATTENTION_DAYS);
                // The task list: a task due by the horizon, earliest first, then client.
                let mut task_list: Vec<(Date, ClientId)> = list
                    .iter()
                    .filter_map(|s| {
                        earliest_task(s, &regions)
                            .filter(|due| *due <= horizon)
                            .map(|due| (due, s.client))
                    })
                    .collect();
                task_list.sort_unstable();
                // Every task position, then a window of two (positions 1 and 2).
                for window in [0..usize::MAX, 1..3] {
                    let in_window: Vec<ClientId> = task_list
                        .iter()
                        .skip(window.start)
                        .take(window.len())
                        .map(|(_, c)| *c)
                        .collect();
                    let expected: Vec<(usize, ClientId)> = list
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| {
                            in_window.contains(&s.client)
                                || s.verzoeken.iter().any(|v| v.aanbieder == *agb)
                                || s.voorstel.as_ref().is_some_and(|v| {
                                    v.aanbieder == *agb
                                        && v.akkoord.is_none()
                                        && v.geldig_tot >= *day
                                })
                        })
                        .map(|(i, s)| (i, s.client))
                        .collect();
                    if window.start == 0 {
                        // The whole task list: what needs attention, no more, no less.
                        let attention: Vec<(usize, ClientId)> = list
                            .iter()
                            .enumerate()
                            .filter(|(_, s)| needs_attention(s, *agb, *day, &regions))
                            .map(|(i, s)| (i, s.client))
                            .collect();
                        assert_eq!(attention, expected, "needs_attention of {agb} on {day}");
                    }
                    let got = store
                        .provider_clients_at(
                            &gate,
                            *agb,
                            locatie,
                            &Shown {
                                page: 0..0,
                                attention: Some(*day),
                                tasks: window.clone(),
                            },
                        )
                        .expect("own list");
                    assert_eq!(
                        (got.total, got.task_total),
                        (list.len(), task_list.len()),
                        "totals of {agb} at {locatie:?} on {day}"
                    );
                    let tasks: Vec<(usize, ClientId)> =
                        (window.start..).zip(in_window.iter().copied()).collect();
                    assert_eq!(got.tasks, tasks, "tasks of {agb} at {locatie:?} on {day}");
                    let got: Vec<(usize, ClientId)> =
                        got.shown.iter().map(|(i, s, _)| (*i, s.client)).collect();
                    assert_eq!(got, expected, "attention of {agb} at {locatie:?} on {day}");
                    lists += 1;
                    clients += list.len();
                }
            }
        }
    }
    (lists, clients)
}

/// The story every engine runs for [`crate::Store::provider_clients`]: a provider sees the
/// clients allocated to it or in care with it — each listed read logged —, nobody else's;
/// another provider's list is refused and logged; a location narrows the list; the rows
/// follow the client (end of care removes it) and a rebuild gives the same rows.
pub fn story(store: &dyn crate::Store) {
    use vangnet_domain::events::{Bestemming, Leveringsvorm, Melder, Urgentie, Woonsituatie};
    use vangnet_domain::person::{Person, synthetic_person};
    use vangnet_domain::rng::Rng;
    use vangnet_domain::{Actor, ClientEvent, ClientId, Date};

    use crate::AppendCommand;

    let regions = store.regions();
    let profile = regions.all().first().expect("a region").clone();
    let d = |s: &str| Date::parse(s).unwrap();
    // Two providers with a location offering the same product.
    let mut pairs: Vec<(LocationId, AgbCode, vangnet_domain::ProductCode)> = Vec::new();
    for l in &profile.locations {
        for (product, places) in &l.places {
            if *places > 2 && !pairs.iter().any(|(_, p, _)| *p == l.provider) {
                pairs.push((l.id.clone(), l.provider, product.clone()));
            }
        }
    }
    let first = pairs[0].clone();
    let second = pairs
        .iter()
        .find(|(_, a, _)| *a != first.1)
        .cloned()
        .expect("two providers");
    let system = AccessGate::system("aanbieder-story");
    let mut next = 900_001u64;
    let mut place = |loc: &(LocationId, AgbCode, vangnet_domain::ProductCode), in_care: bool| {
        let client = ClientId(next);
        next += 1;
        let n = u32::try_from(next).expect("small");
        let born = d("1990-01-01");
        let p = synthetic_person(&mut Rng::new(u64::from(n)), n, born);
        let person = Person::new(p.bsn, "Test", "Aanbieder", born, true).expect("person");
        let mut events = vec![
            (
                d("2025-01-06"),
                ClientEvent::Aanmelding {
                    regio: profile.id.clone(),
                    melder: Melder::Zelf,
                    herkomst_gemeente: Some(profile.centrumgemeente),
                    woonsituatie: Woonsituatie::Dakloos,
                    urgentie: Urgentie::Regulier,
                    voordeur: None,
                },
            ),
            (
                d("2025-01-20"),
                ClientEvent::Toewijzing {
                    product: loc.2.clone(),
                    start: d("2025-02-01"),
                    einde: d("2026-01-31"),
                    leveringsvorm: Leveringsvorm::Zin,
                    aanbieder: Some(loc.1),
                },
            ),
        ];
        if in_care {
            events.push((
                d("2025-02-01"),
                ClientEvent::StartZorg {
                    product: loc.2.clone(),
                    locatie: loc.0.clone(),
                    overbezetting: None,
                },
            ));
        }
        store
            .append(
                &system,
                AppendCommand {
                    client,
                    expected_version: None,
                    idempotency_key: None,
                    events,
                    person: Some(person),
                },
            )
            .expect("story client");
        client
    };
    let a_care = place(&first, true);
    let a_alloc = place(&first, false);
    let b_care = place(&second, true);

    let provider = |agb: AgbCode| Actor {
        user: format!("aanbieder-{agb}"),
        role: Role::Zorgaanbieder,
        organisation: Organisation::Aanbieder(agb),
    };
    // The access-log rows of one user, oldest first.
    let rows_of = |user: &str| {
        let mut rows = store
            .access_log_filtered(
                &system,
                &crate::AccessLogFilter {
                    user: Some(user.to_owned()),
                    ..crate::AccessLogFilter::newest(100_000)
                },
            )
            .unwrap();
        rows.reverse();
        rows
    };
    let user_a = format!("aanbieder-{}", first.1);
    let gate_a = AccessGate::new(provider(first.1), "aanbieder: eigen cliënten");
    let list = store.provider_clients(&gate_a, first.1).unwrap();
    let ids: Vec<ClientId> = list.iter().map(|(s, _)| s.client).collect();
    assert!(ids.contains(&a_care) && ids.contains(&a_alloc), "{ids:?}");
    assert!(!ids.contains(&b_care), "another provider's client listed");
    assert!(
        list.iter()
            .all(|(_, n)| n.as_deref() == Some("Test Aanbieder")),
        "names"
    );
    let reads = rows_of(&user_a);
    assert_eq!(reads.len(), ids.len(), "one read row per listed client");
    assert!(reads.iter().all(|e| e.allowed && e.action == "lezen"));
    let logged: Vec<Option<ClientId>> = reads.iter().map(|e| e.client).collect();
    assert_eq!(logged, ids.iter().copied().map(Some).collect::<Vec<_>>());

    // Narrowed to the location: only the client in care there, only it logged.
    let at = store
        .provider_clients_at(&gate_a, first.1, Some(&first.0), &Shown::all())
        .unwrap()
        .into_named();
    let at_ids: Vec<ClientId> = at.iter().map(|(s, _)| s.client).collect();
    assert!(
        at_ids.contains(&a_care) && !at_ids.contains(&a_alloc),
        "{at_ids:?}"
    );
    assert_eq!(rows_of(&user_a).len(), ids.len() + at_ids.len());

    // A page of one: the first client returned and logged, the other only counted.
    let page = store
        .provider_clients_at(&gate_a, first.1, None, &Shown::page(0..1))
        .unwrap();
    assert_eq!(page.total, ids.len());
    assert_eq!(page.shown.len(), 1);
    assert_eq!(page.shown[0].1.client, ids[0]);
    assert_eq!(rows_of(&user_a).len(), ids.len() + at_ids.len() + 1);
    // What needs attention is shown whatever its position (page 0..0: none by position):
    // nothing on a day long before every term; on the last day of the allocation, its end
    // (a provider task, `EindeToewijzing`) for the client in care — not for the client
    // only allocated (no care started, no waiting: no task).
    let on = |day: &str| {
        store
            .provider_clients_at(
                &gate_a,
                first.1,
                None,
                &Shown {
                    page: 0..0,
                    attention: Some(d(day)),
                    tasks: 0..usize::MAX,
                },
            )
            .unwrap()
    };
    let early = on("2020-01-01");
    assert_eq!((early.total, early.shown.len()), (ids.len(), 0));
    assert_eq!(rows_of(&user_a).len(), ids.len() + at_ids.len() + 1);
    let page = on("2026-01-31");
    assert_eq!(ids, vec![a_care, a_alloc]);
    assert_eq!(
        page.shown
            .iter()
            .map(|(i, s, _)| (*i, s.client))
            .collect::<Vec<_>>(),
        vec![(0, a_care)]
    );
    assert_eq!(
        (page.task_total, page.tasks.clone()),
        (1, vec![(0, a_care)])
    );
    assert_eq!(rows_of(&user_a).len(), ids.len() + at_ids.len() + 2);
    let seen = ids.len() + at_ids.len() + 2;

    // Another provider's list: refused, logged.
    let refused = store.provider_clients(&gate_a, second.1);
    assert!(matches!(refused, Err(StoreError::Denied(_))), "{refused:?}");
    let rows = rows_of(&user_a);
    assert_eq!(rows.len(), seen + 1);
    let last = rows.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.allowed, last.client),
        (ACTION, false, None)
    );

    // End of care and allocation lapsing: the client leaves the provider's list.
    store
        .append(
            &system,
            AppendCommand {
                client: b_care,
                expected_version: Some(3),
                idempotency_key: None,
                events: vec![(
                    d("2025-06-01"),
                    ClientEvent::EindeZorg {
                        bestemming: Bestemming::EigenWoningSociaal,
                        woning: None,
                    },
                )],
                person: None,
            },
        )
        .expect("einde zorg");
    // Still allocated to B (the toewijzing runs on), so still listed, no longer in care.
    let gate_b = AccessGate::new(provider(second.1), "aanbieder: eigen cliënten");
    let after = store.provider_clients(&gate_b, second.1).unwrap();
    let b = after
        .iter()
        .find(|(s, _)| s.client == b_care)
        .expect("allocated");
    assert!(b.0.zorg.is_none());
    assert!(
        store
            .provider_clients_at(&gate_b, second.1, Some(&second.0), &Shown::all())
            .unwrap()
            .shown
            .is_empty(),
        "no longer at the location"
    );

    // The rows are a projection: a rebuild gives the same.
    let snap = store.snapshot().unwrap();
    assert!(
        snap.providers
            .iter()
            .any(|r| r.agb == first.1.to_string() && r.client == a_care.0 && r.leest)
    );
    store.rebuild(&|_| {}).unwrap();
    assert_eq!(store.snapshot().unwrap().providers, snap.providers);

    // The projection's counts equal those decided from the states, on a few days.
    let (lists, listed) = counts_agree(store, &[d("2020-01-01"), d("2025-12-01"), d("2026-01-31")]);
    assert!(lists > 0 && listed >= 3, "{lists} lists, {listed} clients");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(client: i64, verzoek: bool, voorstel: Option<&str>, taak: Option<&str>) -> ListRow {
        ListRow {
            client,
            verzoek,
            voorstel_tot: voorstel.map(str::to_owned),
            taak_tot: taak.map(str::to_owned),
        }
    }

    /// A hand count: on 1 June 2026 (horizon 27 July) clients 3, 5 and 6 have a task in
    /// time (due 20 July, 1 June, 20 July: order 5, 3, 6), client 4 too late (1 August);
    /// client 2 has a request, client 7 a proposal valid until 31 May (lapsed).
    #[test]
    fn pick_takes_the_page_the_open_work_and_the_task_window() {
        let list = vec![
            row(1, false, None, None),
            row(2, true, None, None),
            row(3, false, None, Some("2026-07-20")),
            row(4, false, None, Some("2026-08-01")),
            row(5, false, None, Some("2026-06-01")),
            row(6, false, None, Some("2026-07-20")),
            row(7, false, Some("2026-05-31"), None),
        ];
        let day = Date::parse("2026-06-01").unwrap();
        let shown = |page: std::ops::Range<usize>, tasks: std::ops::Range<usize>| Shown {
            page,
            attention: Some(day),
            tasks,
        };
        // Page 0..1, task positions 1..3 (clients 3 and 6), the request of 2.
        assert_eq!(
            pick(&list, &shown(0..1, 1..3)),
            Picked {
                total: 7,
                task_total: 3,
                rows: vec![(1, 0, None), (2, 1, None), (3, 2, Some(1)), (6, 5, Some(2))],
            }
        );
        // No page, the first task (client 5); the proposal counts while valid.
        let day31 = Date::parse("2026-05-31").unwrap();
        let p = pick(
            &list,
            &Shown {
                page: 0..0,
                attention: Some(day31),
                tasks: 0..1,
            },
        );
        assert_eq!(p.rows, vec![(2, 1, None), (5, 4, Some(0)), (7, 6, None)]);
        // Without attention: the page only, no tasks counted.
        assert_eq!(
            pick(&list, &Shown::page(5..9)),
            Picked {
                total: 7,
                task_total: 0,
                rows: vec![(6, 5, None), (7, 6, None)],
            }
        );
    }
}
