//! A provider's clients (issue 14, feat/portaal), shared by the engines: the engines read the
//! rows of `client_provider` (migration 0014, maintained from
//! [`crate::projection::provider_rows`] wherever a client state is written) with the state
//! and the person's name; [`listed`] decides who may ask (the provider itself, or the
//! system), narrows to one location when asked, and decides every client at the gate — one
//! read row per listed client, refused clients left out (as [`crate::worklist::named`]).
//! [`story`] is the test every engine runs.

use vangnet_domain::access::Action;
use vangnet_domain::{AgbCode, ClientState, LocationId, Organisation, Role};

use crate::gate::{AccessEntry, AccessGate};
use crate::worklist::{NamedStates, display_name};
use crate::{StoreError, StoreResult};

/// The action of a refused request for a provider's client list (who is not that provider).
pub const ACTION: &str = "aanbieder_lezen";

/// Whether `s` is at `locatie`: in care there, proposed for a place there, or on a temporary
/// stay there.
pub fn at_location(s: &ClientState, locatie: &LocationId) -> bool {
    s.zorg.as_ref().is_some_and(|z| z.locatie == *locatie)
        || s.voorstel.as_ref().is_some_and(|v| v.locatie == *locatie)
        || s.tijdelijk.as_ref().is_some_and(|t| t.locatie == *locatie)
}

/// Decide a provider's client list: `rows` are the states the engine read for `agb`
/// (with the person's name). Only the provider `agb` itself (a zorgaanbieder of that
/// organisation) or the system may ask: anyone else gets one refused row (action
/// [`ACTION`]). With `locatie`, only the clients at that location ([`at_location`]) are
/// decided. Every client is decided by the policy; only those `shown` selects — its page of
/// the list, or needing the provider's attention — are returned, each with its own read row
/// (the others are counted, an aggregate, and neither returned nor logged).
pub fn listed(
    gate: &AccessGate,
    agb: AgbCode,
    locatie: Option<&LocationId>,
    shown: &Shown<'_>,
    rows: Vec<(ClientState, Option<(String, String)>)>,
) -> (Vec<AccessEntry>, StoreResult<ProviderClients>) {
    let actor = gate.actor();
    let own = matches!(
        (&actor.role, &actor.organisation),
        (Role::Zorgaanbieder, Organisation::Aanbieder(a)) if *a == agb
    );
    if !(own || actor.role == Role::Systeem) {
        let reason = format!("alleen aanbieder {agb} zelf ziet de eigen cliënten");
        return (
            vec![gate.note_refused(ACTION, reason.clone())],
            Err(StoreError::Denied(reason)),
        );
    }
    let mut log = Vec::new();
    let mut out = Vec::new();
    let mut index = 0;
    for (s, name) in rows {
        if locatie.is_some_and(|l| !at_location(&s, l)) {
            continue;
        }
        if shown.page.contains(&index) || (shown.attention)(&s) {
            let (entry, verdict) = gate.check(s.client, Action::Read, &gate.scope(&s));
            if verdict.is_ok() {
                log.push(entry);
                out.push((index, s, name.map(|(v, a)| display_name(&v, &a))));
                index += 1;
            }
        } else if vangnet_domain::access::decide(actor, Action::Read, &gate.scope(&s)).allowed() {
            index += 1;
        }
    }
    (
        log,
        Ok(ProviderClients {
            shown: out,
            total: index,
        }),
    )
}

/// Which of a provider's clients a page shows — and so reads and logs (issue 14: the portal
/// at national scale; a provider with thousands of clients sees 50 a page): the positions
/// `page` in the list of the clients the gate allows (client-number order), and every client
/// `attention` picks (an open proposal, a request, a task — what the portal lists apart).
pub struct Shown<'a> {
    /// Positions of the list on the page.
    pub page: std::ops::Range<usize>,
    /// Clients shown whatever their position.
    pub attention: &'a dyn Fn(&ClientState) -> bool,
}

impl Shown<'static> {
    /// Every client (the whole list read and logged).
    pub fn all() -> Shown<'static> {
        Shown {
            page: 0..usize::MAX,
            attention: &|_| false,
        }
    }
}

/// The clients a page shows, each with its position in the list (`None` in `shown` never
/// happens), and the number of clients in the list.
#[derive(Debug, Clone, Default)]
pub struct ProviderClients {
    /// (position, state, name) of the clients shown, in list order.
    pub shown: Vec<(usize, ClientState, Option<String>)>,
    /// How many clients the list has (allowed by the gate), shown or not.
    pub total: usize,
}

impl ProviderClients {
    /// The shown clients with their names.
    pub fn into_named(self) -> NamedStates {
        self.shown.into_iter().map(|(_, s, n)| (s, n)).collect()
    }
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
        .provider_clients_at(
            &gate_a,
            first.1,
            None,
            &Shown {
                page: 0..1,
                attention: &|_| false,
            },
        )
        .unwrap();
    assert_eq!(page.total, ids.len());
    assert_eq!(page.shown.len(), 1);
    assert_eq!(page.shown[0].1.client, ids[0]);
    assert_eq!(rows_of(&user_a).len(), ids.len() + at_ids.len() + 1);
    // What needs attention is shown whatever its position.
    let last = *ids.last().unwrap();
    let page = store
        .provider_clients_at(
            &gate_a,
            first.1,
            None,
            &Shown {
                page: 0..0,
                attention: &|s: &ClientState| s.client == last,
            },
        )
        .unwrap();
    assert_eq!(
        page.shown
            .iter()
            .map(|(i, s, _)| (*i, s.client))
            .collect::<Vec<_>>(),
        vec![(ids.len() - 1, last)]
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
            .any(|(a, c)| *a == first.1.to_string() && *c == a_care.0)
    );
    store.rebuild(&|_| {}).unwrap();
    assert_eq!(store.snapshot().unwrap().providers, snap.providers);
}
