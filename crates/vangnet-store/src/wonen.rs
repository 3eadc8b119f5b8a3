//! Issue 15 (feat/corporatie): the housing candidates a woningcorporatie sees, shared by the
//! engines. The engines keep the projection `woon_kandidaat` (migration 0018) — one row per
//! (gemeente, client) for every person who may become a housing candidate
//! ([`ClientState::woon_kandidaat_ooit`]) with a date from which they are one
//! ([`kandidaat_rows`]) — written wherever a client state is written, removed with the client.
//! A corporation's list selects and counts on those rows (its werkgebied's gemeenten, the
//! date, woningtype, route) and parses only the states on the page; each shown candidate is
//! one `lezen_wonen` read at the gate and becomes a [`WoonKandidaat`]: the minimum a
//! corporation may see, never a care field. [`story`] is the test every engine runs.

use vangnet_domain::access::Action;
use vangnet_domain::events::{Woningtype, WoonRoute, Woonbehoefte};
use vangnet_domain::state::{AanbodWeigering, WOON_KANDIDAAT_MAANDEN, WoonAanbod};
use vangnet_domain::{
    ClientId, ClientState, Date, GemeenteCode, Organisation, RegionId, Regions, Role,
};

use crate::gate::{AccessEntry, AccessGate, scope_of};
use crate::{StoreError, StoreResult};

/// The action of a refused request for a corporation's candidate list (who is not that
/// corporation).
pub const ACTION: &str = "woonkandidaten_lezen";

/// One row of the projection `woon_kandidaat` (migration 0018).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct KandidaatRow {
    /// `GMdddd`: a gemeente of preference (or, without a housing need, of origin; or the
    /// gemeente of the running offer).
    pub gemeente: String,
    /// Client id.
    pub client: u64,
    /// Region of the client.
    pub regio: String,
    /// ISO date from which the person is a candidate ([`ClientState::woon_kandidaat`]).
    pub vanaf: String,
    /// ISO date the person is (or is expected to be) ready to move: the list's order.
    pub klaar: String,
    /// The woningtype of the housing need (`None`: no need recorded).
    pub woningtype: Option<&'static str>,
    /// The route of the housing need (`None`: no need recorded).
    pub route: Option<&'static str>,
    /// The corporation whose offer is running (open, accepted or signed), if any.
    pub aanbod: Option<String>,
}

/// The date `s` is ready to move (uitstroomklaar since) or expected to be, and whether it is
/// only expected.
fn ready(s: &ClientState) -> Option<(Date, bool)> {
    if let Some(d) = s.uitstroomklaar {
        return Some((d, false));
    }
    if let Some(d) = s.woonbehoefte.as_ref().and_then(|w| w.verwacht_klaar) {
        return Some((d, true));
    }
    s.aanbod.as_ref().map(|a| (a.datum, false))
}

/// The date from which `s` is a housing candidate ([`ClientState::woon_kandidaat`] is true
/// from then on as long as the state does not change), `None` if never with this state.
fn candidate_from(s: &ClientState) -> Option<Date> {
    if !s.woon_kandidaat_ooit() {
        return None;
    }
    let mut from: Option<Date> = None;
    let mut take = |d: Date| from = Some(from.map_or(d, |f: Date| f.min(d)));
    if let Some(d) = s.uitstroomklaar {
        take(d);
    }
    if let Some(a) = &s.aanbod {
        take(a.datum);
    }
    if let Some(d) = s.woonbehoefte.as_ref().and_then(|w| w.verwacht_klaar) {
        take(d.add_months(-WOON_KANDIDAAT_MAANDEN));
    }
    from
}

/// The `woon_kandidaat` rows of `s`: one per gemeente whose corporations see the person —
/// the gemeenten of preference of the housing need (or, without one, the gemeente of
/// origin) and the gemeente of a running offer — for a person who is or will be a housing
/// candidate; none otherwise (housed, out of care, no date).
pub fn kandidaat_rows(s: &ClientState) -> Vec<KandidaatRow> {
    let Some(vanaf) = candidate_from(s) else {
        return Vec::new();
    };
    let klaar = ready(s).map_or(vanaf, |(d, _)| d);
    let mut gemeenten: Vec<GemeenteCode> = match &s.woonbehoefte {
        Some(w) => w.gemeenten.clone(),
        None => s.herkomst.into_iter().collect(),
    };
    gemeenten.extend(s.aanbod.as_ref().map(|a| a.gemeente));
    gemeenten.sort_unstable();
    gemeenten.dedup();
    let w = s.woonbehoefte.as_ref();
    gemeenten
        .into_iter()
        .map(|g| KandidaatRow {
            gemeente: g.to_string(),
            client: s.client.0,
            regio: s.regio.to_string(),
            vanaf: vanaf.to_string(),
            klaar: klaar.to_string(),
            woningtype: w.map(|w| w.woningtype.key()),
            route: w.map(|w| w.route.key()),
            aanbod: s.aanbod.as_ref().map(|a| a.corporatie.clone()),
        })
        .collect()
}

/// A corporation's werkgebied over the regions that list it: the regions and the gemeenten
/// (`GMdddd`, sorted), narrowed to one gemeente when asked (a gemeente outside it: empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Werkgebied {
    /// Regions whose profile lists the corporation.
    pub regios: Vec<String>,
    /// Its gemeenten.
    pub gemeenten: Vec<String>,
}

/// The werkgebied of corporation `id` (every region whose profile lists it), narrowed to
/// `gemeente` when given.
pub fn werkgebied(regions: &Regions, id: &str, gemeente: Option<GemeenteCode>) -> Werkgebied {
    let mut w = Werkgebied::default();
    for p in regions.all() {
        if let Some(c) = p.corporatie(id) {
            w.regios.push(p.id.to_string());
            w.gemeenten.extend(
                c.gemeenten
                    .iter()
                    .filter(|g| gemeente.is_none_or(|x| x == **g))
                    .map(ToString::to_string),
            );
        }
    }
    w.gemeenten.sort_unstable();
    w.gemeenten.dedup();
    w
}

/// Whether `s` is, on `today`, a housing candidate for corporation `id`: a candidate
/// ([`ClientState::woon_kandidaat`]) of a region listing `id` whose rows name a gemeente of
/// its werkgebied there.
pub fn in_werkgebied(regions: &Regions, id: &str, s: &ClientState, today: Date) -> bool {
    s.woon_kandidaat(today) && werkgebied_rows(regions, id, s)
}

/// Whether `s` has a `woon_kandidaat` row ([`kandidaat_rows`]) in a gemeente of corporation
/// `id`'s werkgebied in the client's region — without a date: who the corporation may write
/// for (the gate's `check_facts`).
pub fn werkgebied_rows(regions: &Regions, id: &str, s: &ClientState) -> bool {
    let Some(c) = regions.get(&s.regio).and_then(|p| p.corporatie(id)) else {
        return false;
    };
    kandidaat_rows(s)
        .iter()
        .any(|r| c.gemeenten.iter().any(|g| g.to_string() == r.gemeente))
}

/// The filter of a candidate list (all `None`: every candidate of the werkgebied).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only candidates for this gemeente (of the werkgebied).
    pub gemeente: Option<GemeenteCode>,
    /// Only this woningtype.
    pub woningtype: Option<Woningtype>,
    /// Only this route.
    pub route: Option<WoonRoute>,
}

/// The urgentie status a corporation sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrgentieStand {
    /// No application.
    Geen,
    /// Applied on this date, not decided.
    Aangevraagd(Date),
    /// Granted on this date.
    Toegekend(Date),
    /// Refused on this date.
    Afgewezen(Date),
}

/// A housing candidate as a corporation sees it — nothing else: no name, no BSN, no care
/// (diagnosis, ZRM, beoordeling, product, provider, location, history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WoonKandidaat {
    /// Client number (to act on; no name).
    pub client: ClientId,
    /// Region of the client (which profile's corporations and gemeenten apply).
    pub regio: RegionId,
    /// Stream version (the forms' expected version).
    pub versie: u32,
    /// Pseudonymous display: initials and birth year ("J.D. (1990)").
    pub weergave: String,
    /// The housing need, if recorded.
    pub woonbehoefte: Option<Woonbehoefte>,
    /// The urgentie status.
    pub urgentie: UrgentieStand,
    /// Ready to move since (or expected on, `verwacht`).
    pub klaar: Option<Date>,
    /// `klaar` is an expected date, not yet reached.
    pub verwacht: bool,
    /// Days waiting for a home since ready (0 while only expected).
    pub wachtdagen: i32,
    /// The running offer when it is this corporation's.
    pub aanbod: Option<WoonAanbod>,
    /// Another corporation's offer is running (no details).
    pub aanbod_elders: bool,
    /// The latest refusal of an offer of this corporation.
    pub weigering: Option<AanbodWeigering>,
}

/// The display of a person without name or BSN: initials and birth year.
pub fn weergave(voornaam: &str, achternaam: &str, geboren: &str) -> String {
    let initial = |s: &str| {
        s.split_whitespace()
            .last()
            .and_then(|w| w.chars().next())
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default()
    };
    let first = voornaam
        .chars()
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default();
    let year = geboren.get(..4).unwrap_or("????");
    format!("{first}.{}. ({year})", initial(achternaam))
}

/// The candidate view of `s` for corporation `id` on `today`; `person`: (voornaam,
/// achternaam, geboortedatum) from the person record.
pub fn view(
    s: &ClientState,
    person: Option<&(String, String, String)>,
    id: &str,
    today: Date,
) -> WoonKandidaat {
    let (klaar, verwacht) = match ready(s) {
        Some((d, v)) => (Some(d), v && d > today),
        None => (None, false),
    };
    let urgentie = match &s.woonurgentie {
        None => UrgentieStand::Geen,
        Some(u) => match u.besluit {
            None => UrgentieStand::Aangevraagd(u.aangevraagd),
            Some((d, true)) => UrgentieStand::Toegekend(d),
            Some((d, false)) => UrgentieStand::Afgewezen(d),
        },
    };
    WoonKandidaat {
        client: s.client,
        regio: s.regio.clone(),
        versie: s.version,
        weergave: person.map_or_else(
            || format!("cliënt {}", s.client),
            |(v, a, g)| weergave(v, a, g),
        ),
        woonbehoefte: s.woonbehoefte.clone(),
        urgentie,
        klaar,
        verwacht,
        wachtdagen: klaar.map_or(0, |d| d.days_until(today).max(0)),
        aanbod: s.aanbod.clone().filter(|a| a.corporatie == id),
        aanbod_elders: s.aanbod.as_ref().is_some_and(|a| a.corporatie != id),
        weigering: s.aanbod_geweigerd.clone().filter(|w| w.corporatie == id),
    }
}

/// Whether the gate's actor may ask for corporation `id`'s candidates: that corporation
/// itself (a woningcorporatie of that organisation) or the system. Otherwise the refused
/// row ([`ACTION`]) and the error.
pub fn may_ask(gate: &AccessGate, id: &str) -> Result<(), Box<(AccessEntry, StoreError)>> {
    let actor = gate.actor();
    let own = matches!(
        (&actor.role, &actor.organisation),
        (Role::Woningcorporatie, Organisation::Corporatie(c)) if c == id
    );
    if own || actor.role == Role::Systeem {
        return Ok(());
    }
    let reason = format!("alleen woningcorporatie {id} zelf ziet de eigen uitstroomkandidaten");
    Err(Box::new((
        gate.note_refused(ACTION, reason.clone()),
        StoreError::Denied(reason),
    )))
}

/// A page of a corporation's candidates.
#[derive(Debug, Clone, Default)]
pub struct Kandidaten {
    /// The candidates on the page, longest ready first.
    pub shown: Vec<WoonKandidaat>,
    /// How many candidates the list has (the filter applied).
    pub total: usize,
    /// The candidates holding this corporation's running offer, whatever the page and
    /// filter (its offers list), by client number.
    pub aanbiedingen: Vec<WoonKandidaat>,
}

impl Kandidaten {
    /// From the decided candidates `all` (the page's and the offers', each once): the page
    /// in the order of `page`, the offers in the order of `offers`; `total` the count.
    pub fn split(all: Vec<WoonKandidaat>, page: &[i64], offers: &[i64], total: i64) -> Kandidaten {
        let pick = |ids: &[i64]| -> Vec<WoonKandidaat> {
            ids.iter()
                .filter_map(|i| all.iter().find(|k| k.client.0 as i64 == *i).cloned())
                .collect()
        };
        Kandidaten {
            shown: pick(page),
            total: usize::try_from(total).unwrap_or(0),
            aanbiedingen: pick(offers),
        }
    }
}

/// A state read by an engine for a candidate list: the state and (voornaam, achternaam,
/// geboortedatum).
pub type Read = (ClientState, Option<(String, String, String)>);

/// Decide the candidates `rows` (the page the engine selected, in list order) for
/// corporation `id`: each is one `lezen_wonen` decision at the gate (logged); a refused or
/// no-longer-fitting one is left out.
pub fn shown(
    gate: &AccessGate,
    regions: &Regions,
    id: &str,
    rows: Vec<Read>,
    today: Date,
) -> (Vec<AccessEntry>, Vec<WoonKandidaat>) {
    let mut log = Vec::new();
    let mut out = Vec::new();
    for (s, person) in rows {
        if !in_werkgebied(regions, id, &s, today) {
            continue;
        }
        let (entry, verdict) = gate.check(s.client, Action::ReadHousing, &scope_of(&s));
        log.push(entry);
        if verdict.is_ok() {
            out.push(view(&s, person.as_ref(), id, today));
        }
    }
    (log, out)
}

/// Decide one client for corporation `id`: `read` is its stored state (`None`: no such
/// client). Allowed only for a candidate in the werkgebied on `today`; every answer is one
/// `lezen_wonen` row; a missing client is refused like one outside the werkgebied.
pub fn one(
    gate: &AccessGate,
    regions: &Regions,
    id: &str,
    client: ClientId,
    read: Option<Read>,
    today: Date,
) -> (Vec<AccessEntry>, StoreResult<WoonKandidaat>) {
    let mut log = Vec::new();
    if let Err(refused) = may_ask(gate, id) {
        let (entry, e) = *refused;
        return (vec![entry], Err(e));
    }
    let Some((s, person)) = read else {
        let e = gate.refuse_missing(
            client,
            Action::ReadHousing,
            &mut log,
            StoreError::NotFound(client),
        );
        return (log, Err(e));
    };
    if gate.actor().role != Role::Systeem && !in_werkgebied(regions, id, &s, today) {
        let reason = format!(
            "cliënt {client} is geen uitstroomkandidaat in het werkgebied van corporatie {id}"
        );
        let (mut entry, _) = gate.check(client, Action::ReadHousing, &scope_of(&s));
        entry.allowed = false;
        entry.reason = reason.clone();
        log.push(entry);
        return (log, Err(StoreError::Denied(reason)));
    }
    let (entry, verdict) = gate.check(client, Action::ReadHousing, &scope_of(&s));
    log.push(entry);
    (log, verdict.map(|()| view(&s, person.as_ref(), id, today)))
}

/// The story every engine runs for [`crate::Store::woon_kandidaten`] on a written-out
/// history in centraal-gelderland (corporations `woonbrug`: GM0202, GM0274, GM0275, GM0277;
/// `liemers-wonen`: GM0221, …), listed on 01-12-2025:
/// - A: uitstroomklaar 01-05-2025, needs a studio in GM0202 (regulier) → woonbrug;
/// - B: needs an appartement in GM0221 (Housing First), expected ready 15-01-2026 (within
///   three months) → liemers-wonen only;
/// - C: uitstroomklaar 01-03-2025, no housing need, from GM0274 → woonbrug;
/// - D: needs a home in GM0275, expected ready 01-06-2026 (more than three months) → nobody;
/// - E: needs GM0202, offered, accepted, tenancy, moved → drops out;
/// - F: needs GM0277, care ended → drops out;
/// - G: in care, not ready, no need → nobody.
///
/// So woonbrug sees exactly C, A (longest ready first), liemers-wonen exactly B; each shown
/// candidate one `lezen_wonen` row; another corporation's client and an unknown number are
/// refused and logged; another corporation's list is refused and logged; the rows are a
/// projection (rebuild gives the same).
pub fn story(store: &dyn crate::Store) {
    use vangnet_domain::events::Bestemming;
    use vangnet_domain::{Actor, ClientEvent};

    use crate::AppendCommand;

    let d = |s: &str| Date::parse(s).unwrap();
    let g = |s: &str| GemeenteCode::parse(s).unwrap();
    let (cg, loc, product) = story_location(store);
    let system = AccessGate::system("wonen-story");
    let need = |gemeente: &str, woningtype, route, verwacht: Option<&str>| {
        ClientEvent::Woonbehoefte(Woonbehoefte {
            woningtype,
            prikkelarm: false,
            gemeenten: vec![g(gemeente)],
            ambulante_begeleiding: true,
            route,
            verwacht_klaar: verwacht.map(d),
        })
    };
    let mut next = 950_001u64;
    let mut client = |herkomst: &str, housing: Vec<(&str, ClientEvent)>| {
        let id = ClientId(next);
        next += 1;
        in_care_client(
            store,
            &system,
            (&cg, &loc, &product),
            (id, next, d("1991-04-02")),
            g(herkomst),
            housing.into_iter().map(|(on, e)| (d(on), e)).collect(),
        );
        id
    };
    let a = client(
        "GM0202",
        vec![
            ("2025-05-01", ClientEvent::Uitstroomklaar),
            (
                "2025-05-02",
                need("GM0202", Woningtype::Studio, WoonRoute::Regulier, None),
            ),
        ],
    );
    let b = client(
        "GM0202",
        vec![(
            "2025-06-01",
            need(
                "GM0221",
                Woningtype::Appartement,
                WoonRoute::HousingFirst,
                Some("2026-01-15"),
            ),
        )],
    );
    let c = client("GM0274", vec![("2025-03-01", ClientEvent::Uitstroomklaar)]);
    let dd = client(
        "GM0275",
        vec![(
            "2025-06-01",
            need(
                "GM0275",
                Woningtype::Kamer,
                WoonRoute::KamersMetAandacht,
                Some("2026-06-01"),
            ),
        )],
    );
    let e = client(
        "GM0202",
        vec![
            ("2025-04-01", ClientEvent::Uitstroomklaar),
            (
                "2025-04-01",
                need("GM0202", Woningtype::Studio, WoonRoute::Regulier, None),
            ),
            (
                "2025-07-01",
                ClientEvent::Woningaanbod {
                    corporatie: "woonbrug".into(),
                    gemeente: g("GM0202"),
                    woningtype: Woningtype::Studio,
                    route: WoonRoute::Regulier,
                    reageren_voor: d("2025-07-15"),
                },
            ),
            (
                "2025-07-05",
                ClientEvent::AanbodAntwoord {
                    aanbod: 6,
                    akkoord: true,
                    reden: String::new(),
                },
            ),
            (
                "2025-07-20",
                ClientEvent::Huurovereenkomst {
                    aanbod: 6,
                    ingangsdatum: d("2025-08-01"),
                },
            ),
            ("2025-08-01", ClientEvent::Verhuizing { aanbod: 6 }),
        ],
    );
    let f = client(
        "GM0277",
        vec![
            ("2025-04-01", ClientEvent::Uitstroomklaar),
            (
                "2025-04-02",
                need("GM0277", Woningtype::Studio, WoonRoute::Regulier, None),
            ),
            (
                "2025-09-01",
                ClientEvent::EindeZorg {
                    bestemming: Bestemming::EigenWoningSociaal,
                    woning: None,
                },
            ),
        ],
    );
    let g_ = client("GM0202", Vec::new());
    let today = d("2025-12-01");
    let corp = |id: &str| Actor {
        user: format!("corporatie-{id}"),
        role: Role::Woningcorporatie,
        organisation: Organisation::Corporatie(id.into()),
    };
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
    let woonbrug = AccessGate::new(corp("woonbrug"), "corporatie: uitstroomkandidaten");
    let list = |gate: &AccessGate, id: &str, filter: Filter| {
        store
            .woon_kandidaten(gate, id, &filter, 0..50, today)
            .unwrap()
    };
    let all = list(&woonbrug, "woonbrug", Filter::default());
    let ids: Vec<ClientId> = all.shown.iter().map(|k| k.client).collect();
    assert_eq!(
        ids,
        vec![c, a],
        "woonbrug: C (ready 01-03) then A (ready 01-05)"
    );
    assert_eq!(all.total, 2);
    let ka = &all.shown[1];
    assert_eq!(ka.weergave, "W.K. (1991)");
    assert_eq!(ka.klaar, Some(d("2025-05-01")));
    assert!(!ka.verwacht);
    assert_eq!(ka.wachtdagen, 214);
    assert_eq!(ka.urgentie, UrgentieStand::Geen);
    assert_eq!(
        ka.woonbehoefte.as_ref().map(|w| w.woningtype),
        Some(Woningtype::Studio)
    );
    assert!(all.shown[0].woonbehoefte.is_none());
    let reads = rows_of("corporatie-woonbrug");
    assert_eq!(
        reads
            .iter()
            .map(|r| (r.action.as_str(), r.allowed, r.client))
            .collect::<Vec<_>>(),
        vec![
            ("lezen_wonen", true, Some(c)),
            ("lezen_wonen", true, Some(a))
        ]
    );
    // Filters.
    let studio = list(
        &woonbrug,
        "woonbrug",
        Filter {
            woningtype: Some(Woningtype::Studio),
            ..Filter::default()
        },
    );
    assert_eq!(
        studio.shown.iter().map(|k| k.client).collect::<Vec<_>>(),
        vec![a]
    );
    assert_eq!(studio.total, 1);
    let hf = list(
        &woonbrug,
        "woonbrug",
        Filter {
            route: Some(WoonRoute::HousingFirst),
            ..Filter::default()
        },
    );
    assert_eq!((hf.shown.len(), hf.total), (0, 0));
    let in_0274 = list(
        &woonbrug,
        "woonbrug",
        Filter {
            gemeente: Some(g("GM0274")),
            ..Filter::default()
        },
    );
    assert_eq!(
        in_0274.shown.iter().map(|k| k.client).collect::<Vec<_>>(),
        vec![c]
    );
    // A gemeente outside the werkgebied: nothing.
    let outside = list(
        &woonbrug,
        "woonbrug",
        Filter {
            gemeente: Some(g("GM0221")),
            ..Filter::default()
        },
    );
    assert_eq!((outside.shown.len(), outside.total), (0, 0));
    // A page of one: the first returned and logged, the total counted.
    let before = rows_of("corporatie-woonbrug").len();
    let page = store
        .woon_kandidaten(&woonbrug, "woonbrug", &Filter::default(), 1..2, today)
        .unwrap();
    assert_eq!(
        page.shown.iter().map(|k| k.client).collect::<Vec<_>>(),
        vec![a]
    );
    assert_eq!(page.total, 2);
    assert_eq!(rows_of("corporatie-woonbrug").len(), before + 1);

    // liemers-wonen: only B, expected ready.
    let liemers = AccessGate::new(corp("liemers-wonen"), "corporatie: uitstroomkandidaten");
    let lb = list(&liemers, "liemers-wonen", Filter::default());
    assert_eq!(
        lb.shown.iter().map(|k| k.client).collect::<Vec<_>>(),
        vec![b]
    );
    assert!(lb.shown[0].verwacht);
    assert_eq!(lb.shown[0].wachtdagen, 0);
    assert_eq!(lb.shown[0].klaar, Some(d("2026-01-15")));
    // D is not yet a candidate (more than three months ahead); on 01-03-2026 it is.
    let later = store
        .woon_kandidaten(
            &woonbrug,
            "woonbrug",
            &Filter::default(),
            0..50,
            d("2026-03-01"),
        )
        .unwrap();
    assert!(
        later.shown.iter().any(|k| k.client == dd),
        "D from 01-03-2026"
    );
    assert!(
        !later
            .shown
            .iter()
            .any(|k| [b, e, f, g_].contains(&k.client))
    );

    // One candidate: own yes; another corporation's, housed, out of care, unknown: refused.
    assert_eq!(
        store
            .woon_kandidaat(&woonbrug, "woonbrug", a, today)
            .unwrap()
            .client,
        a
    );
    let before = rows_of("corporatie-woonbrug").len();
    for other in [b, e, f, g_, ClientId(959_999)] {
        let r = store.woon_kandidaat(&woonbrug, "woonbrug", other, today);
        assert!(matches!(r, Err(StoreError::Denied(_))), "{other}: {r:?}");
    }
    let rows = rows_of("corporatie-woonbrug");
    assert_eq!(rows.len(), before + 5);
    assert!(
        rows[before..]
            .iter()
            .all(|r| !r.allowed && r.action == "lezen_wonen"),
        "refusals logged"
    );
    // Another corporation's list: refused, one row.
    let r = store.woon_kandidaten(&liemers, "woonbrug", &Filter::default(), 0..50, today);
    assert!(matches!(r, Err(StoreError::Denied(_))), "{r:?}");
    let last = rows_of("corporatie-liemers-wonen").pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.allowed, last.client),
        (ACTION, false, None)
    );

    // Writing for another corporation's candidate (same region, an offer in its own
    // werkgebied): refused at the gate, logged, nothing written.
    let version_b = store.read_client(&system, b).unwrap().state.version;
    let r = store.append(
        &woonbrug,
        AppendCommand {
            client: b,
            expected_version: Some(version_b),
            idempotency_key: None,
            events: vec![(
                d("2025-11-20"),
                ClientEvent::Woningaanbod {
                    corporatie: "woonbrug".into(),
                    gemeente: g("GM0202"),
                    woningtype: Woningtype::Studio,
                    route: WoonRoute::Regulier,
                    reageren_voor: d("2025-12-10"),
                },
            )],
            person: None,
        },
    );
    assert!(matches!(r, Err(StoreError::Denied(_))), "{r:?}");
    assert_eq!(
        store.read_client(&system, b).unwrap().state.version,
        version_b
    );
    let last = rows_of("corporatie-woonbrug").pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.allowed, last.client),
        ("feit_vastleggen", false, Some(b))
    );

    // The rows are a projection: exactly these, and a rebuild gives the same.
    let snap = store.snapshot().unwrap();
    let mine: Vec<&String> = snap
        .kandidaten
        .iter()
        .filter(|r| {
            let id: u64 = r.split('|').nth(1).unwrap().parse().unwrap();
            (950_000..960_000).contains(&id)
        })
        .collect();
    assert_eq!(
        mine,
        vec![
            &format!(
                "GM0202|{}|centraal-gelderland|2025-05-01|2025-05-01|studio|regulier|",
                a.0
            ),
            &format!(
                "GM0221|{}|centraal-gelderland|2025-10-15|2026-01-15|appartement|housing_first|",
                b.0
            ),
            &format!(
                "GM0274|{}|centraal-gelderland|2025-03-01|2025-03-01|||",
                c.0
            ),
            &format!(
                "GM0275|{}|centraal-gelderland|2026-03-01|2026-06-01|kamer|kamers_met_aandacht|",
                dd.0
            ),
        ]
    );
    store.rebuild(&|_| {}).unwrap();
    assert_eq!(store.snapshot().unwrap().kandidaten, snap.kandidaten);

    // An offer of woonbrug to A: in its offers list whatever the page, not in liemers-wonen's.
    store
        .append(
            &system,
            AppendCommand {
                client: a,
                expected_version: Some(5),
                idempotency_key: None,
                events: vec![(
                    d("2025-11-20"),
                    ClientEvent::Woningaanbod {
                        corporatie: "woonbrug".into(),
                        gemeente: g("GM0202"),
                        woningtype: Woningtype::Studio,
                        route: WoonRoute::Regulier,
                        reageren_voor: d("2025-12-10"),
                    },
                )],
                person: None,
            },
        )
        .expect("offer");
    let first = store
        .woon_kandidaten(&woonbrug, "woonbrug", &Filter::default(), 0..1, today)
        .unwrap();
    assert_eq!(
        first.shown.iter().map(|k| k.client).collect::<Vec<_>>(),
        vec![c]
    );
    assert_eq!(
        first
            .aanbiedingen
            .iter()
            .map(|k| (k.client, k.aanbod.as_ref().map(|x| x.versie)))
            .collect::<Vec<_>>(),
        vec![(a, Some(6))]
    );
    assert!(
        list(&liemers, "liemers-wonen", Filter::default())
            .aanbiedingen
            .is_empty()
    );
}

/// Issue 15 (closing note): migration 0021 fills `woon_kandidaat` again from every stored
/// state when the database is opened, so a database upgraded by migration 0018 — which made
/// only the rows of an uitstroomklaar fact without a housing need or offer — is consistent
/// without a rebuild. Every engine runs this on a fresh store: a written-out history in
/// centraal-gelderland (clients 970 001–970 004), its rows, then the old state simulated by
/// `raw` (the table emptied, 0018's own fill `old_fill` run again, 0021 unmarked); opened
/// again by `reopen`, the rows are back — exactly the append path's, and a rebuild's —;
/// the migration is then marked done (a row deleted afterwards stays deleted on the next
/// open, until a rebuild).
///
/// - X 970 001: from Renkum, uitstroomklaar 01-03-2025, no housing need — 0018 made it;
/// - Y 970 002: needs an appartement in Duiven (Housing First), expected ready 15-01-2026;
/// - Z 970 003: uitstroomklaar 01-05-2025, needs a studio in Rheden, offered one in Arnhem
///   by woonbrug on 01-06-2026 (running);
/// - W 970 004: in care, not ready — no row.
pub fn upgrade_story(
    store: &dyn crate::Store,
    raw: &dyn Fn(&str) -> Result<(), String>,
    old_fill: &str,
    reopen: &dyn Fn() -> Box<dyn crate::Store>,
) {
    use vangnet_domain::ClientEvent;

    let d = |s: &str| Date::parse(s).unwrap();
    let g = |s: &str| GemeenteCode::parse(s).unwrap();
    let (cg, loc, product) = story_location(store);
    let system = AccessGate::system("wonen-upgrade-story");
    let client = |id: u64, herkomst: &str, housing: Vec<(&str, ClientEvent)>| {
        in_care_client(
            store,
            &system,
            (&cg, &loc, &product),
            (ClientId(id), id, d("1990-07-02")),
            g(herkomst),
            housing.into_iter().map(|(on, e)| (d(on), e)).collect(),
        );
    };
    let need = |gemeente: &str, woningtype, route, verwacht: Option<&str>| {
        ClientEvent::Woonbehoefte(Woonbehoefte {
            woningtype,
            prikkelarm: false,
            gemeenten: vec![g(gemeente)],
            ambulante_begeleiding: true,
            route,
            verwacht_klaar: verwacht.map(d),
        })
    };
    client(
        970_001,
        "GM0274",
        vec![("2025-03-01", ClientEvent::Uitstroomklaar)],
    );
    client(
        970_002,
        "GM0202",
        vec![(
            "2025-06-01",
            need(
                "GM0226",
                Woningtype::Appartement,
                WoonRoute::HousingFirst,
                Some("2026-01-15"),
            ),
        )],
    );
    client(
        970_003,
        "GM0202",
        vec![
            ("2025-05-01", ClientEvent::Uitstroomklaar),
            (
                "2025-05-02",
                need("GM0275", Woningtype::Studio, WoonRoute::Regulier, None),
            ),
            (
                "2026-06-01",
                ClientEvent::Woningaanbod {
                    corporatie: "woonbrug".into(),
                    gemeente: g("GM0202"),
                    woningtype: Woningtype::Studio,
                    route: WoonRoute::Regulier,
                    reageren_voor: d("2026-06-15"),
                },
            ),
        ],
    );
    client(970_004, "GM0202", Vec::new());

    let rows = |s: &dyn crate::Store| -> Vec<String> {
        s.snapshot()
            .unwrap()
            .kandidaten
            .into_iter()
            .filter(|r| {
                r.split('|')
                    .nth(1)
                    .is_some_and(|id| id.starts_with("97000"))
            })
            .collect()
    };
    let all = vec![
        "GM0202|970003|centraal-gelderland|2025-05-01|2025-05-01|studio|regulier|woonbrug",
        "GM0226|970002|centraal-gelderland|2025-10-15|2026-01-15|appartement|housing_first|",
        "GM0274|970001|centraal-gelderland|2025-03-01|2025-03-01|||",
        "GM0275|970003|centraal-gelderland|2025-05-01|2025-05-01|studio|regulier|woonbrug",
    ];
    assert_eq!(rows(store), all, "the append path's rows");

    // The database as migration 0018 left it: only X.
    let old_fill = old_fill.trim().trim_end_matches(';');
    raw(&format!(
        "DELETE FROM woon_kandidaat; {old_fill}; DELETE FROM schema_migrations WHERE version = 21"
    ))
    .expect("simulate the old migration");
    assert_eq!(
        rows(store),
        vec!["GM0274|970001|centraal-gelderland|2025-03-01|2025-03-01|||"],
        "what 0018 made"
    );

    // Opened again: 0021 fills the rest from the stored states — the same rows as the
    // append path and as a rebuild.
    let opened = reopen();
    assert_eq!(rows(opened.as_ref()), all, "filled when opened");
    opened.rebuild(&|_| {}).unwrap();
    assert_eq!(rows(opened.as_ref()), all, "a rebuild gives the same");

    // Once: 0021 is marked done, so opening does not fill again.
    raw("DELETE FROM woon_kandidaat WHERE client_id = 970002").expect("delete a row");
    let again = reopen();
    assert_eq!(rows(again.as_ref()).len(), 3, "0021 ran once");
    again.rebuild(&|_| {}).unwrap();
    assert_eq!(rows(again.as_ref()), all);
}

/// Test support of [`story`] and [`upgrade_story`]: Centraal Gelderland and its first
/// location with a product of more than 8 places.
fn story_location(
    store: &dyn crate::Store,
) -> (
    RegionId,
    vangnet_domain::region::Location,
    vangnet_domain::ProductCode,
) {
    let cg = RegionId::parse("centraal-gelderland").unwrap();
    let profile = store
        .regions()
        .get(&cg)
        .expect("centraal-gelderland")
        .clone();
    let (loc, product) = profile
        .locations
        .iter()
        .find_map(|l| {
            l.places
                .iter()
                .find(|(_, n)| **n > 8)
                .map(|(p, _)| (l.clone(), p.clone()))
        })
        .expect("a location with places");
    (cg, loc, product)
}

/// Test support of [`story`] and [`upgrade_story`]: client `id` of region `cg` from
/// `herkomst` — registered 06-01-2025, allocated `product` at `loc`'s provider from
/// 01-02-2025 and in care there that day — then the dated `housing` facts; a synthetic
/// person (generated from `seed`, born `born`) named "Wonen Kandidaat".
fn in_care_client(
    store: &dyn crate::Store,
    system: &AccessGate,
    (cg, loc, product): (
        &RegionId,
        &vangnet_domain::region::Location,
        &vangnet_domain::ProductCode,
    ),
    (id, seed, born): (ClientId, u64, Date),
    herkomst: GemeenteCode,
    housing: Vec<(Date, vangnet_domain::ClientEvent)>,
) {
    use vangnet_domain::ClientEvent;
    use vangnet_domain::events::{Leveringsvorm, Melder, Urgentie, Woonsituatie};
    use vangnet_domain::person::{Person, synthetic_person};
    use vangnet_domain::rng::Rng;

    let d = |s: &str| Date::parse(s).unwrap();
    let n = u32::try_from(seed).expect("small");
    let p = synthetic_person(&mut Rng::new(seed), n, born);
    let person = Person::new(p.bsn, "Wonen", "Kandidaat", born, true).expect("person");
    let mut events = vec![
        (
            d("2025-01-06"),
            ClientEvent::Aanmelding {
                regio: cg.clone(),
                melder: Melder::Zelf,
                herkomst_gemeente: Some(herkomst),
                woonsituatie: Woonsituatie::Dakloos,
                urgentie: Urgentie::Regulier,
                voordeur: None,
            },
        ),
        (
            d("2025-01-20"),
            ClientEvent::Toewijzing {
                product: product.clone(),
                start: d("2025-02-01"),
                einde: d("2027-01-31"),
                leveringsvorm: Leveringsvorm::Zin,
                aanbieder: Some(loc.provider),
            },
        ),
        (
            d("2025-02-01"),
            ClientEvent::StartZorg {
                product: product.clone(),
                locatie: loc.id.clone(),
                overbezetting: None,
            },
        ),
    ];
    events.extend(housing);
    store
        .append(
            system,
            crate::AppendCommand {
                client: id,
                expected_version: None,
                idempotency_key: None,
                events,
                person: Some(person),
            },
        )
        .expect("story client");
}
