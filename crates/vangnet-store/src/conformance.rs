//! The conformance story: one sequence of commands and bad inputs that every engine must
//! handle identically. Engines call [`run_all`] from their tests (SQLite always,
//! PostgreSQL when `VANGNET_TEST_DATABASE_URL` is set). Panics on the first deviation.

use vangnet_domain::events::{
    Advies, Bestemming, Leveringsvorm, Melder, Urgentie, Woonsituatie, ZRM_DOMAINS,
};
use vangnet_domain::person::{Person, synthetic_person};
use vangnet_domain::rng::Rng;
use vangnet_domain::{
    Actor, AgbCode, ClientEvent, ClientId, Date, GemeenteCode, LocationId, Organisation,
    ProductCode, RegionId, Role,
};

use crate::import::{ImportMode, ImportRow, RowError};
use crate::{AccessGate, AppendCommand, Store, StoreError};

fn d(s: &str) -> Date {
    Date::parse(s).expect("test date")
}
fn region() -> RegionId {
    RegionId::parse("centraal-gelderland").expect("id")
}
fn product(s: &str) -> ProductCode {
    ProductCode::parse(s).expect("code")
}

/// A toegangsmedewerker of Centraal Gelderland.
pub fn clerk() -> AccessGate {
    AccessGate::new(
        Actor {
            user: "t.jansen".into(),
            role: Role::Toegangsmedewerker,
            organisation: Organisation::Regio(region()),
        },
        "conformance",
    )
}

/// The auditor (privacy officer), checking the access log.
pub fn auditor() -> AccessGate {
    AccessGate::new(
        Actor {
            user: "a.koster".into(),
            role: Role::Auditor,
            organisation: Organisation::Vangnet,
        },
        "controle toegangslog",
    )
}

/// Opens client `client`'s stream with `events` (effective `yyyy-mm-dd`) as [`clerk`], with
/// a synthetic person born 1990-04-01 (test worlds of the web and CLI tests). Panics when the
/// store refuses.
pub fn write_new(store: &dyn Store, client: u64, events: Vec<(&str, ClientEvent)>) {
    store
        .append(
            &clerk(),
            AppendCommand {
                client: ClientId(client),
                expected_version: None,
                idempotency_key: None,
                events: events.into_iter().map(|(s, e)| (d(s), e)).collect(),
                person: Some(synthetic_person(
                    &mut Rng::new(client),
                    client as u32,
                    d("1990-04-01"),
                )),
            },
        )
        .expect("store accepts the test history");
}

fn person(n: u32) -> Person {
    synthetic_person(&mut Rng::new(u64::from(n)), n, d("1990-04-01"))
}

fn aanmelding(herkomst: &str) -> ClientEvent {
    ClientEvent::Aanmelding {
        regio: region(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: Some(GemeenteCode::parse(herkomst).expect("code")),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    }
}

fn beoordeling() -> ClientEvent {
    let mut zrm = [Some(3u8); ZRM_DOMAINS];
    zrm[5] = Some(1);
    zrm[3] = Some(2);
    ClientEvent::Beoordeling {
        criteria: vec![],
        zrm,
        doelgroep: None,
        advies: Advies::Toewijzen,
        behoeften: Vec::new(),
    }
}

fn toewijzing(start: &str, einde: &str) -> ClientEvent {
    ClientEvent::Toewijzing {
        product: product("bw-groepswonen"),
        start: d(start),
        einde: d(einde),
        leveringsvorm: Leveringsvorm::Zin,
        aanbieder: Some(AgbCode::parse("98000101").expect("agb")),
    }
}

fn start_zorg() -> ClientEvent {
    ClientEvent::StartZorg {
        product: product("bw-groepswonen"),
        locatie: LocationId::parse("rijnbeschut-arnhem-centrum").expect("id"),
        overbezetting: None,
    }
}

fn cmd(client: u64, expected: Option<u32>, events: Vec<(&str, ClientEvent)>) -> AppendCommand {
    AppendCommand {
        client: ClientId(client),
        expected_version: expected,
        idempotency_key: None,
        events: events.into_iter().map(|(s, e)| (d(s), e)).collect(),
        person: if expected.is_none() {
            Some(person(client as u32))
        } else {
            None
        },
    }
}

/// Assert that `f` fails with an error whose text names `field`, and that the store did not change.
fn rejects(
    store: &dyn Store,
    what: &str,
    field: &str,
    f: impl FnOnce() -> Result<crate::Receipt, StoreError>,
) {
    let before = (
        store.event_count().expect("count"),
        store.snapshot().expect("snapshot"),
    );
    match f() {
        Ok(r) => panic!("{what}: expected an error naming '{field}', got {r:?}"),
        Err(e) => {
            let text = e.to_string();
            assert!(
                text.contains(field),
                "{what}: error should name '{field}': {text}"
            );
        }
    }
    let after = (
        store.event_count().expect("count"),
        store.snapshot().expect("snapshot"),
    );
    assert!(
        before == after,
        "{what}: the store changed although the command was refused"
    );
}

/// Run the whole story.
pub fn run_all(store: &dyn Store) {
    monitor_index_matches_table(store);
    happy_path_with_access_log(store);
    bad_input_changes_nothing(store);
    concurrency_and_idempotency(store);
    corrections_refold(store);
    import_is_all_or_nothing(store);
    front_door_reads(store);
    rights_per_fact(store);
    replays_pass_the_gate(store);
    limits_at_the_edge(store);
    network_facts(store);
    rule_refusals_are_logged(store);
    housing_path_story(store);
    monitor_index_matches_table(store);
    rebuild_reproduces(store);
    monitor_index_matches_table(store);
}

/// Issue 15: the outflow to housing of client 150, appended as the team and the corporation
/// would, one fact at a time: woonbehoefte, uitstroomklaar, urgentie applied for and
/// granted, an offer refused, a second offer accepted, the tenancy, the move, einde zorg
/// with the destination home. Bad input on the way changes nothing (an offer outside the
/// corporation's werkgebied, a tenancy before the offer, an offer once housed, a destination
/// gemeente that does not exist); the worklist shows the refusal until the next offer; the
/// state is the same after a rebuild.
fn housing_path_story(store: &dyn Store) {
    use vangnet_domain::events::{Bestemming, Woningtype, WoonRoute, Woonbehoefte, Woonbestemming};
    let g = clerk();
    let gm = |s: &str| GemeenteCode::parse(s).expect("gemeente");
    write_new(
        store,
        150,
        vec![
            ("2025-01-02", aanmelding("GM0202")),
            ("2025-01-05", beoordeling()),
            ("2025-01-10", toewijzing("2025-01-10", "2026-12-31")),
            ("2025-01-15", start_zorg()),
        ],
    );
    let offer = |gemeente: &str, voor: &str| ClientEvent::Woningaanbod {
        corporatie: "woonbrug".into(),
        gemeente: gm(gemeente),
        woningtype: Woningtype::Studio,
        route: WoonRoute::Regulier,
        reageren_voor: d(voor),
    };
    let answer = |aanbod: u32, akkoord: bool| ClientEvent::AanbodAntwoord {
        aanbod,
        akkoord,
        reden: if akkoord {
            ""
        } else {
            "te ver van het netwerk"
        }
        .into(),
    };
    let mut version = 4;
    let mut add = |on: &str, e: ClientEvent| {
        store
            .append(&g, cmd(150, Some(version), vec![(on, e)]))
            .expect("housing fact accepted");
        version += 1;
        version
    };
    add(
        "2025-06-01",
        ClientEvent::Woonbehoefte(Woonbehoefte {
            woningtype: Woningtype::Studio,
            prikkelarm: true,
            gemeenten: vec![gm("GM0202"), gm("GM0275")],
            ambulante_begeleiding: true,
            route: WoonRoute::Regulier,
            verwacht_klaar: None,
        }),
    );
    add("2025-06-01", ClientEvent::Uitstroomklaar);
    let aanvraag = add(
        "2025-06-02",
        ClientEvent::UrgentieAanvraag {
            gemeente: gm("GM0202"),
        },
    );
    add(
        "2025-06-20",
        ClientEvent::UrgentieBesluit {
            aanvraag,
            toegekend: true,
            toelichting: String::new(),
        },
    );
    rejects(store, "offer outside the werkgebied", "gemeente", || {
        store.append(
            &g,
            cmd(
                150,
                Some(8),
                vec![("2025-07-01", offer("GM0226", "2025-07-15"))],
            ),
        )
    });
    let first = add("2025-07-01", offer("GM0202", "2025-07-15"));
    add("2025-07-03", answer(first, false));
    let today = d("2025-07-05");
    let tasks = |store: &dyn Store| -> Vec<(String, String)> {
        store
            .worklist(&g, &region(), today.add_days(56), 10_000)
            .expect("worklist")
            .into_iter()
            .filter(|i| i.client == ClientId(150))
            .map(|i| (i.task.key().to_owned(), i.due.to_string()))
            .collect()
    };
    assert!(
        tasks(store).contains(&("aanbod_geweigerd".to_owned(), "2025-07-17".to_owned())),
        "{:?}",
        tasks(store)
    );
    let second = add("2025-07-10", offer("GM0275", "2025-07-24"));
    let now = tasks(store);
    assert!(
        now.contains(&("reactietermijn".to_owned(), "2025-07-24".to_owned()))
            && !now.iter().any(|t| t.0 == "aanbod_geweigerd"),
        "{now:?}"
    );
    add("2025-07-12", answer(second, true));
    rejects(
        store,
        "tenancy starting before the offer",
        "ingangsdatum",
        || {
            store.append(
                &g,
                cmd(
                    150,
                    Some(12),
                    vec![(
                        "2025-07-15",
                        ClientEvent::Huurovereenkomst {
                            aanbod: second,
                            ingangsdatum: d("2025-07-01"),
                        },
                    )],
                ),
            )
        },
    );
    add(
        "2025-07-15",
        ClientEvent::Huurovereenkomst {
            aanbod: second,
            ingangsdatum: d("2025-08-01"),
        },
    );
    add("2025-08-01", ClientEvent::Verhuizing { aanbod: second });
    rejects(store, "an offer once housed", "type", || {
        store.append(
            &g,
            cmd(
                150,
                Some(14),
                vec![("2025-08-05", offer("GM0202", "2025-08-20"))],
            ),
        )
    });
    let einde = |gemeente: &str| ClientEvent::EindeZorg {
        bestemming: Bestemming::EigenWoningSociaal,
        woning: Some(Woonbestemming {
            gemeente: gm(gemeente),
            woningtype: Woningtype::Studio,
        }),
    };
    rejects(
        store,
        "a destination gemeente that does not exist",
        "woning.gemeente",
        || {
            store.append(
                &g,
                cmd(150, Some(14), vec![("2025-08-31", einde("GM9999"))]),
            )
        },
    );
    add("2025-08-31", einde("GM0275"));
    let check = |store: &dyn Store| {
        let s = store.read_client(&g, ClientId(150)).expect("read").state;
        assert_eq!(s.version, 15);
        assert_eq!(s.gehuisvest, Some(d("2025-08-01")));
        assert_eq!(
            s.woonurgentie.as_ref().map(|u| (u.versie, u.besluit)),
            Some((7, Some((d("2025-06-20"), true))))
        );
        let a = s.aanbod.as_ref().expect("the accepted offer");
        assert_eq!(
            (a.versie, a.gemeente, a.geaccepteerd, a.huur, a.verhuisd),
            (
                11,
                gm("GM0275"),
                Some(d("2025-07-12")),
                Some((d("2025-07-15"), d("2025-08-01"))),
                Some(d("2025-08-01"))
            )
        );
        assert_eq!(
            s.aanbod_geweigerd
                .as_ref()
                .map(|w| (w.datum, w.corporatie.as_str())),
            Some((d("2025-07-03"), "woonbrug"))
        );
        let u = s.uitstroom.as_ref().expect("einde zorg");
        assert_eq!(
            (u.datum, u.bestemming, u.woning.map(|w| w.gemeente)),
            (
                d("2025-08-31"),
                Bestemming::EigenWoningSociaal,
                Some(gm("GM0275"))
            )
        );
        s
    };
    let before = check(store);
    store.rebuild(&|_| {}).expect("rebuild");
    assert_eq!(check(store), before, "the same state after a rebuild");
}

/// New client ids follow the highest stored one; region-wide reads are for the region's
/// own access team only, and leave one access-log row.
fn front_door_reads(store: &dyn Store) {
    use vangnet_domain::state::Phase;
    let next = store.next_client_id().expect("next id");
    let snap = store.snapshot().expect("snapshot");
    let highest = snap.clients.iter().map(|(c, _)| *c).max().unwrap_or(0);
    assert!(next.0 > highest, "next id {next} after {highest}");
    assert_eq!(
        store.next_client_id().expect("next id"),
        next,
        "asking twice allocates nothing"
    );
    let all = [
        Phase::Aangemeld,
        Phase::Afgewezen,
        Phase::Toegewezen,
        Phase::Wachtend,
        Phase::InZorg,
        Phase::Uitgestroomd,
    ];
    let states = store
        .region_states(&clerk(), &region(), &all)
        .expect("own team reads the region");
    let in_region = snap
        .clients
        .iter()
        .filter(|(_, j)| j.contains("\"regio\":\"centraal-gelderland\""))
        .count();
    assert_eq!(states.len(), in_region);
    let waiting = store
        .region_states(&clerk(), &region(), &[Phase::Wachtend])
        .expect("waiting");
    assert!(waiting.iter().all(|s| s.phase() == Phase::Wachtend));
    assert_eq!(
        waiting.len(),
        snap.waiting
            .iter()
            .filter(|w| w.region == "centraal-gelderland")
            .count()
    );
    let other = AccessGate::new(
        Actor {
            user: "b.mo".into(),
            role: Role::Beleidsmedewerker,
            organisation: Organisation::Gemeente(GemeenteCode::parse("GM0202").expect("code")),
        },
        "conformance",
    );
    assert!(matches!(
        store.region_states(&other, &region(), &all),
        Err(StoreError::Denied(_))
    ));
    // The worklist reads the deadlines projection: every deadline of the region, in order.
    let far = vangnet_domain::Date::parse("2100-01-01").expect("date");
    let items = store
        .worklist(&clerk(), &region(), far, usize::MAX)
        .expect("own team reads the worklist");
    assert_eq!(
        items.len(),
        snap.deadlines
            .iter()
            .filter(|d| d.region == "centraal-gelderland")
            .count()
    );
    assert!(
        items
            .windows(2)
            .all(|w| (w[0].due, w[0].client) <= (w[1].due, w[1].client))
    );
    assert!(matches!(
        store.worklist(&other, &region(), far, 10),
        Err(StoreError::Denied(_))
    ));
    // Placement candidates: the waiting clients of one product, one log row per client.
    if let Some(first) = waiting.first() {
        let product = first.wacht.as_ref().expect("waiting").product.clone();
        let before = store.event_count().expect("count");
        let cands = store
            .waiting_for(&clerk(), &region(), &product)
            .expect("own team reads candidates");
        assert_eq!(
            cands.len(),
            waiting
                .iter()
                .filter(|s| s.wacht.as_ref().is_some_and(|w| w.product == product))
                .count()
        );
        assert_eq!(
            store.event_count().expect("count"),
            before,
            "a read writes no events"
        );
        let log = store
            .access_log(&AccessGate::system("conformance"), cands.len() + 5)
            .expect("log");
        for c in &cands {
            assert!(
                log.iter().any(|e| e.client == Some(c.client) && e.allowed),
                "candidate {} has its own access-log row",
                c.client
            );
        }
        assert!(matches!(
            store.waiting_for(&other, &region(), &product),
            Err(StoreError::Denied(_))
        ));
    }
    let log = store
        .access_log(&AccessGate::system("conformance"), 5)
        .expect("log");
    assert!(
        log.iter()
            .any(|e| e.action == "regio_lezen" && !e.allowed && e.user == "b.mo"),
        "the refusal is logged"
    );
}

fn happy_path_with_access_log(store: &dyn Store) {
    let g = clerk();
    let r = store
        .append(&g, cmd(1, None, vec![("2024-01-10", aanmelding("GM0226"))]))
        .expect("aanmelding");
    assert_eq!(r.version, 1);
    let r = store
        .append(
            &g,
            cmd(
                1,
                Some(1),
                vec![
                    ("2024-01-20", beoordeling()),
                    ("2024-02-01", toewijzing("2024-02-01", "2026-01-31")),
                    (
                        "2024-02-01",
                        ClientEvent::WachtlijstIn {
                            product: product("bw-groepswonen"),
                            prioriteit: 0,
                        },
                    ),
                ],
            ),
        )
        .expect("beoordeling + toewijzing + wachtlijst");
    assert_eq!(r.version, 4);
    let wl = store.waitlist(&g, &region(), 100).expect("waitlist");
    assert_eq!(wl.len(), 1);
    assert_eq!(wl[0].client, ClientId(1));
    store
        .append(&g, cmd(1, Some(4), vec![("2024-03-01", start_zorg())]))
        .expect("start zorg");
    let ov = store
        .overview(&region(), d("2024-03-02"))
        .expect("overview");
    assert_eq!(
        ov.in_care,
        vec![("GM0226".to_owned(), "bw-groepswonen".to_owned(), 1)]
    );
    assert!(ov.waiting.is_empty());
    assert_eq!(
        ov.occupancy,
        vec![(
            "rijnbeschut-arnhem-centrum".to_owned(),
            "bw-groepswonen".to_owned(),
            1
        )]
    );

    let rec = store.read_client(&g, ClientId(1)).expect("read");
    assert_eq!(rec.events.len(), 5);
    assert_eq!(rec.person.expect("person").bsn, person(1).bsn);

    // Other region's clerk, other provider, policy officer: refused, and the refusal is logged.
    let other = AccessGate::new(
        Actor {
            user: "x".into(),
            role: Role::Toegangsmedewerker,
            organisation: Organisation::Regio(RegionId::parse("drechtsteden").expect("id")),
        },
        "nieuwsgierig",
    );
    assert!(matches!(
        store.read_client(&other, ClientId(1)),
        Err(StoreError::Denied(_))
    ));
    let provider = |agb: &str| {
        AccessGate::new(
            Actor {
                user: "p".into(),
                role: Role::Zorgaanbieder,
                organisation: Organisation::Aanbieder(AgbCode::parse(agb).expect("agb")),
            },
            "zorg",
        )
    };
    assert!(
        store
            .read_client(&provider("98000101"), ClientId(1))
            .is_ok()
    );
    assert!(matches!(
        store.read_client(&provider("98000102"), ClientId(1)),
        Err(StoreError::Denied(_))
    ));
    let policy = AccessGate::new(
        Actor {
            user: "b".into(),
            role: Role::Beleidsmedewerker,
            organisation: Organisation::Gemeente(GemeenteCode::parse("GM0226").expect("gm")),
        },
        "monitor",
    );
    assert!(matches!(
        store.read_client(&policy, ClientId(1)),
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        store.access_log(&policy, 10),
        Err(StoreError::Denied(_))
    ));

    let auditor = AccessGate::new(
        Actor {
            user: "a".into(),
            role: Role::Auditor,
            organisation: Organisation::Vangnet,
        },
        "controle",
    );
    let log = store.access_log(&auditor, 1000).expect("auditor reads log");
    let about_1: Vec<_> = log
        .iter()
        .filter(|e| e.client == Some(ClientId(1)))
        .collect();
    assert!(
        about_1
            .iter()
            .any(|e| e.allowed && e.user == "t.jansen" && e.action == "lezen"),
        "clerk's read logged"
    );
    assert!(
        about_1.iter().any(|e| !e.allowed && e.user == "x"),
        "refused read logged"
    );
    assert!(
        about_1.iter().any(|e| !e.allowed && e.user == "b"),
        "policy officer's refusal logged"
    );
    assert!(
        about_1.iter().any(|e| e.allowed && e.action == "aanmaken"),
        "creation logged"
    );
    assert!(
        log.iter()
            .any(|e| !e.allowed && e.action == "toegangslog_lezen"),
        "refused log read logged"
    );

    // Filters: each one gives exactly the matching part of the full log, newest first.
    let full = store
        .access_log(&auditor, 10_000)
        .expect("auditor reads log");
    let filtered = |f: crate::AccessLogFilter| {
        store
            .access_log_filtered(&auditor, &f)
            .expect("auditor filters log")
    };
    let refused = filtered(crate::AccessLogFilter {
        only_refused: true,
        limit: 10_000,
        ..Default::default()
    });
    assert!(!refused.is_empty() && refused.iter().all(|e| !e.allowed));
    // The filtered read is itself logged (allowed), so it is not among its own results;
    // every refusal of the full read is there.
    assert_eq!(
        refused.len(),
        full.iter().filter(|e| !e.allowed).count(),
        "every refusal, and only refusals"
    );
    let of_client_1 = filtered(crate::AccessLogFilter {
        client: Some(ClientId(1)),
        limit: 10_000,
        ..Default::default()
    });
    assert_eq!(
        of_client_1,
        full.iter()
            .filter(|e| e.client == Some(ClientId(1)))
            .cloned()
            .collect::<Vec<_>>()
    );
    let refused_b = filtered(crate::AccessLogFilter {
        user: Some("b".into()),
        only_refused: true,
        limit: 10_000,
        ..Default::default()
    });
    assert!(!refused_b.is_empty());
    assert!(refused_b.iter().all(|e| e.user == "b" && !e.allowed));
    let newest_two = filtered(crate::AccessLogFilter {
        client: Some(ClientId(1)),
        limit: 2,
        ..Default::default()
    });
    assert_eq!(newest_two[..], of_client_1[..2], "newest first, limited");
}

fn bad_input_changes_nothing(store: &dyn Store) {
    let g = clerk();
    rejects(store, "unknown gemeente", "herkomst_gemeente", || {
        store.append(&g, cmd(2, None, vec![("2024-01-10", aanmelding("GM9999"))]))
    });
    rejects(store, "retired gemeente", "herkomst_gemeente", || {
        store.append(&g, cmd(2, None, vec![("2024-01-10", aanmelding("GM0236"))]))
    });
    rejects(store, "not synthetic", "bsn", || {
        let c = cmd(2, None, vec![("2024-01-10", aanmelding("GM0202"))]);
        store.append(
            &g,
            AppendCommand {
                person: c.person.clone().map(|p| Person {
                    synthetic: false,
                    ..p
                }),
                ..c
            },
        )
    });
    rejects(store, "no person for new client", "person", || {
        store.append(
            &g,
            AppendCommand {
                person: None,
                ..cmd(2, None, vec![("2024-01-10", aanmelding("GM0202"))])
            },
        )
    });
    store
        .append(&g, cmd(2, None, vec![("2024-01-10", aanmelding("GM0202"))]))
        .expect("aanmelding 2");
    rejects(store, "product before its validity", "product", || {
        store.append(
            &g,
            cmd(
                2,
                Some(1),
                vec![("2024-01-15", toewijzing("2018-01-10", "2019-01-01"))],
            ),
        )
    });
    rejects(store, "end before start", "einde", || {
        store.append(
            &g,
            cmd(
                2,
                Some(1),
                vec![("2024-02-01", toewijzing("2024-02-01", "2024-01-01"))],
            ),
        )
    });
    rejects(store, "groepswonen beyond 2 years", "einde", || {
        store.append(
            &g,
            cmd(
                2,
                Some(1),
                vec![("2024-02-01", toewijzing("2024-02-01", "2027-01-01"))],
            ),
        )
    });
    rejects(store, "care without allocation", "product", || {
        store.append(&g, cmd(2, Some(1), vec![("2024-02-01", start_zorg())]))
    });
    // A stream must start with an aanmelding (the system is told so); anyone else asking
    // for a client that does not exist is refused as for another's client (issue 11).
    let first_fact = || AppendCommand {
        person: Some(person(3)),
        ..cmd(3, None, vec![("2024-02-01", beoordeling())])
    };
    rejects(store, "event before any aanmelding", "aanmelding", || {
        store.append(&AccessGate::system("test"), first_fact())
    });
    rejects(
        store,
        "event for a client that does not exist",
        "geen toegang",
        || store.append(&g, first_fact()),
    );
    assert!(matches!(
        store.append(&g, first_fact()),
        Err(StoreError::Denied(_))
    ));
    // A batch with one bad event writes none of it.
    rejects(store, "half-bad batch", "einde", || {
        store.append(
            &g,
            cmd(
                2,
                Some(1),
                vec![
                    ("2024-01-20", beoordeling()),
                    ("2024-02-01", toewijzing("2024-02-01", "2024-01-01")),
                ],
            ),
        )
    });
    store
        .append(
            &g,
            cmd(
                2,
                Some(1),
                vec![
                    ("2024-02-01", toewijzing("2024-02-01", "2025-12-31")),
                    ("2024-02-05", start_zorg()),
                ],
            ),
        )
        .expect("care for 2");
    rejects(store, "end of care before start", "effective_date", || {
        store.append(
            &g,
            cmd(
                2,
                Some(3),
                vec![(
                    "2024-02-01",
                    ClientEvent::EindeZorg {
                        bestemming: Bestemming::EigenWoningSociaal,
                        woning: None,
                    },
                )],
            ),
        )
    });
    rejects(store, "duplicate BSN", "bsn", || {
        store.append(
            &g,
            AppendCommand {
                person: Some(person(2)),
                ..cmd(4, None, vec![("2024-01-10", aanmelding("GM0202"))])
            },
        )
    });
}

fn concurrency_and_idempotency(store: &dyn Store) {
    let g = clerk();
    store
        .append(
            &g,
            cmd(10, None, vec![("2024-05-01", aanmelding("GM0202"))]),
        )
        .expect("new");
    // Two clerks both loaded version 1; the first wins, the second gets a conflict.
    store
        .append(&g, cmd(10, Some(1), vec![("2024-05-02", beoordeling())]))
        .expect("first clerk");
    rejects(store, "stale version", "expected_version", || {
        store.append(&g, cmd(10, Some(1), vec![("2024-05-03", beoordeling())]))
    });
    let with_key = |key: &str, e: ClientEvent| AppendCommand {
        idempotency_key: Some(key.into()),
        ..cmd(10, Some(2), vec![("2024-05-10", e)])
    };
    let first = store
        .append(
            &g,
            with_key("form-123", toewijzing("2024-05-10", "2025-05-09")),
        )
        .expect("first submit");
    // The same form submitted twice: recognised, nothing written, original receipt returned.
    let before = store.event_count().expect("count");
    match store.append(
        &g,
        with_key("form-123", toewijzing("2024-05-10", "2025-05-09")),
    ) {
        Err(StoreError::Replay { receipt, .. }) => assert_eq!(receipt, first),
        other => panic!("replay expected, got {other:?}"),
    }
    assert_eq!(store.event_count().expect("count"), before);
    rejects(
        store,
        "key reused for another request",
        "idempotency_key",
        || {
            store.append(
                &g,
                with_key("form-123", toewijzing("2024-05-10", "2025-05-01")),
            )
        },
    );
}

fn gate_of(user: &str, role: Role, organisation: Organisation) -> AccessGate {
    AccessGate::new(
        Actor {
            user: user.into(),
            role,
            organisation,
        },
        "conformance rechten",
    )
}

/// The provider 98000101, which runs `rijnbeschut-arnhem-centrum`.
fn provider_gate() -> AccessGate {
    gate_of(
        "z.aanbieder",
        Role::Zorgaanbieder,
        Organisation::Aanbieder(AgbCode::parse("98000101").expect("agb")),
    )
}

fn wijkteam_gate(gemeente: &str) -> AccessGate {
    gate_of(
        "w.wijk",
        Role::Wijkteam,
        Organisation::Gemeente(GemeenteCode::parse(gemeente).expect("code")),
    )
}

/// Refused access-log rows of `user` about `client` for recording a fact.
fn refused_fact_rows(store: &dyn Store, client: u64, user: &str) -> usize {
    store
        .access_log_filtered(
            &AccessGate::system("conformance"),
            &crate::AccessLogFilter {
                client: Some(ClientId(client)),
                user: Some(user.into()),
                only_refused: true,
                limit: 1000,
                ..Default::default()
            },
        )
        .expect("log")
        .iter()
        .filter(|e| e.action == "feit_vastleggen")
        .count()
}

/// Issue 11, finding 3: rights per fact, in the store's gate. A provider neither extends
/// its allocation (to 2031) nor files a bezwaar, but ends its own care; a wijkteam
/// registers in its own region only and neither assesses nor decides; a priority outside
/// 0–2 is a rule error. Every refusal is logged and changes nothing.
fn rights_per_fact(store: &dyn Store) {
    let g = clerk();
    store
        .append(
            &g,
            cmd(
                40,
                None,
                vec![
                    ("2024-06-01", aanmelding("GM0202")),
                    ("2024-06-05", beoordeling()),
                    ("2024-06-10", toewijzing("2024-06-10", "2026-01-31")),
                    ("2024-06-12", start_zorg()),
                ],
            ),
        )
        .expect("client 40 in care at 98000101");
    let provider = provider_gate();
    let refused = |gate: &AccessGate, what: &str, e: ClientEvent, on: &str, client: u64| {
        let version = if client == 40 { 4 } else { 1 };
        rejects(store, what, "niet vastleggen", || {
            store.append(gate, cmd(client, Some(version), vec![(on, e)]))
        });
    };
    refused(
        &provider,
        "aanbieder verlengt de eigen toewijzing",
        ClientEvent::Wijziging(vangnet_domain::events::Wijziging::Verlenging {
            nieuw_einde: d("2031-01-01"),
        }),
        "2024-07-01",
        40,
    );
    refused(
        &provider,
        "aanbieder dient bezwaar in",
        ClientEvent::Bezwaar {
            reden: "langer".into(),
        },
        "2024-07-01",
        40,
    );
    assert_eq!(refused_fact_rows(store, 40, "z.aanbieder"), 2);
    // A wijkteam registers in its own region (Arnhem is in Centraal Gelderland) …
    let arnhem = wijkteam_gate("GM0202");
    store
        .append(
            &arnhem,
            cmd(41, None, vec![("2024-06-01", aanmelding("GM0202"))]),
        )
        .expect("wijkteam registers an inwoner in its own region");
    // … but does not decide: Centraal Gelderland's model in 2024 is gezamenlijk (the local
    // team registers and assesses, the region decides; issue 14) …
    refused(
        &arnhem,
        "wijkteam wijst toe",
        toewijzing("2024-06-10", "2025-06-09"),
        "2024-06-10",
        41,
    );
    assert_eq!(refused_fact_rows(store, 41, "w.wijk"), 1);
    // … nor touch another gemeente's resident (refused at the client, logged) …
    let before = store.event_count().expect("count");
    assert!(matches!(
        store.append(
            &wijkteam_gate("GM0274"),
            cmd(41, Some(1), vec![("2024-06-02", beoordeling())])
        ),
        Err(StoreError::Denied(_))
    ));
    assert_eq!(store.event_count().expect("count"), before);
    // … while it assesses its own resident (the local door's step under gezamenlijk).
    store
        .append(
            &arnhem,
            cmd(41, Some(1), vec![("2024-06-02", beoordeling())]),
        )
        .expect("the own gemeente's wijkteam assesses under gezamenlijk");
    // A wijkteam of Dordrecht (Drechtsteden) does not register in Centraal Gelderland, not
    // even for its own inwoner.
    rejects(
        store,
        "wijkteam meldt aan in een andere regio",
        "niet vastleggen",
        || {
            store.append(
                &wijkteam_gate("GM0505"),
                cmd(42, None, vec![("2024-06-01", aanmelding("GM0505"))]),
            )
        },
    );
    // wachtlijst_in with priority 9: a rule error with its code, for everyone.
    store
        .append(
            &g,
            cmd(
                41,
                Some(2),
                vec![
                    ("2024-06-05", beoordeling()),
                    ("2024-06-10", toewijzing("2024-06-10", "2025-06-09")),
                ],
            ),
        )
        .expect("team assesses and decides");
    let before = store.event_count().expect("count");
    match store.append(
        &g,
        cmd(
            41,
            Some(4),
            vec![(
                "2024-06-11",
                ClientEvent::WachtlijstIn {
                    product: product("bw-groepswonen"),
                    prioriteit: 9,
                },
            )],
        ),
    ) {
        Err(StoreError::Rule { error, .. }) => assert_eq!(error.code, "wachtlijst.prioriteit"),
        other => panic!("priority 9: rule error expected, got {other:?}"),
    }
    assert_eq!(store.event_count().expect("count"), before);
    // The provider ends its own care.
    store
        .append(
            &provider,
            cmd(
                40,
                Some(4),
                vec![(
                    "2024-08-01",
                    ClientEvent::EindeZorg {
                        bestemming: Bestemming::HousingFirst,
                        woning: None,
                    },
                )],
            ),
        )
        .expect("the provider ends its own care");
}

/// Issue 14, the network's facts on both engines: a provider's request answered "in
/// onderzoek" and then granted with its toewijzing in one append (a grant without it is a
/// rule error); a proposal accepted by the proposed location's provider, who then starts the
/// care (and who alone may read the client while the proposal is open); a temporary stay
/// beside the care, too long refused by its rule; another provider refused at every step,
/// each refusal logged and nothing written.
fn network_facts(store: &dyn Store) {
    use vangnet_domain::events::VerzoekUitkomst;
    let g = clerk();
    let agb = |s: &str| AgbCode::parse(s).expect("agb");
    let loc = |s: &str| LocationId::parse(s).expect("id");
    let bw = product("bw-beschermd-wonen");
    let toewijzing = |start: &str, einde: &str, a: Option<&str>| ClientEvent::Toewijzing {
        product: bw.clone(),
        start: d(start),
        einde: d(einde),
        leveringsvorm: Leveringsvorm::Zin,
        aanbieder: a.map(agb),
    };
    let own = provider_gate(); // 98000101, runs rijnbeschut-arnhem-centrum
    let other = gate_of(
        "v.veluwezoom",
        Role::Zorgaanbieder,
        Organisation::Aanbieder(agb("98000102")),
    );
    let refused_rows = |client: u64, user: &str| {
        store
            .access_log_filtered(
                &AccessGate::system("conformance"),
                &crate::AccessLogFilter {
                    client: Some(ClientId(client)),
                    user: Some(user.into()),
                    only_refused: true,
                    limit: 1000,
                    ..Default::default()
                },
            )
            .expect("log")
            .len()
    };
    let denied = |what: &str, gate: &AccessGate, c: AppendCommand| {
        let before = (
            store.event_count().expect("count"),
            store.snapshot().expect("snapshot"),
        );
        match store.append(gate, c) {
            Err(StoreError::Denied(_)) => {}
            other => panic!("{what}: refused expected, got {other:?}"),
        }
        let after = (
            store.event_count().expect("count"),
            store.snapshot().expect("snapshot"),
        );
        assert!(before == after, "{what}: the store changed");
    };
    let rule = |what: &str, gate: &AccessGate, c: AppendCommand, code: &str| {
        let before = store.event_count().expect("count");
        match store.append(gate, c) {
            Err(StoreError::Rule { error, .. }) => assert_eq!(error.code, code, "{what}"),
            other => panic!("{what}: rule {code} expected, got {other:?}"),
        }
        assert_eq!(store.event_count().expect("count"), before, "{what}");
    };

    // 1. A request for a follow-up toewijzing (WMO315), in onderzoek, then granted.
    store
        .append(
            &g,
            cmd(
                140,
                None,
                vec![
                    ("2024-06-01", aanmelding("GM0202")),
                    ("2024-06-05", beoordeling()),
                    (
                        "2024-06-10",
                        toewijzing("2024-06-10", "2025-06-09", Some("98000101")),
                    ),
                    (
                        "2024-06-12",
                        ClientEvent::StartZorg {
                            product: bw.clone(),
                            locatie: loc("rijnbeschut-arnhem-centrum"),
                            overbezetting: None,
                        },
                    ),
                ],
            ),
        )
        .expect("client 140 in care at 98000101");
    let vot = |a: &str| ClientEvent::VerzoekToewijzing {
        aanbieder: agb(a),
        product: bw.clone(),
        start: d("2025-06-10"),
        einde: Some(d("2026-06-09")),
        reden: "Herstel vraagt een volgende periode.".into(),
    };
    denied(
        "een andere aanbieder vraagt een toewijzing aan",
        &other,
        cmd(140, Some(4), vec![("2025-04-01", vot("98000102"))]),
    );
    assert_eq!(refused_rows(140, "v.veluwezoom"), 1);
    rejects(
        store,
        "aanbieder vraagt aan op naam van een ander",
        "niet vastleggen",
        || {
            store.append(
                &own,
                cmd(140, Some(4), vec![("2025-04-01", vot("98000102"))]),
            )
        },
    );
    store
        .append(
            &own,
            cmd(140, Some(4), vec![("2025-04-01", vot("98000101"))]),
        )
        .expect("the provider asks for its own client");
    let antwoord = |u, t: &str| ClientEvent::VerzoekAntwoord {
        verzoek: 5,
        uitkomst: u,
        toelichting: t.into(),
    };
    rejects(
        store,
        "aanbieder beantwoordt het eigen verzoek",
        "niet vastleggen",
        || {
            store.append(
                &own,
                cmd(
                    140,
                    Some(5),
                    vec![("2025-04-02", antwoord(VerzoekUitkomst::InOnderzoek, ""))],
                ),
            )
        },
    );
    store
        .append(
            &g,
            cmd(
                140,
                Some(5),
                vec![(
                    "2025-04-03",
                    antwoord(VerzoekUitkomst::InOnderzoek, "evaluatie"),
                )],
            ),
        )
        .expect("in onderzoek");
    let s = store.read_client(&g, ClientId(140)).expect("read").state;
    assert_eq!(s.verzoeken.len(), 1);
    assert_eq!(s.verzoeken[0].in_onderzoek, Some(d("2025-04-03")));
    rule(
        "toegekend zonder toewijzing",
        &g,
        cmd(
            140,
            Some(6),
            vec![("2025-04-10", antwoord(VerzoekUitkomst::Toegekend, ""))],
        ),
        "verzoek.toewijzing_ontbreekt",
    );
    store
        .append(
            &g,
            cmd(
                140,
                Some(6),
                vec![
                    (
                        "2025-04-10",
                        toewijzing("2025-06-10", "2026-06-09", Some("98000101")),
                    ),
                    ("2025-04-10", antwoord(VerzoekUitkomst::Toegekend, "")),
                ],
            ),
        )
        .expect("granted with its toewijzing in one append");
    let s = store.read_client(&g, ClientId(140)).expect("read").state;
    assert!(s.verzoeken.is_empty());
    assert_eq!(s.toewijzing().map(|t| t.2), Some(d("2026-06-09")));

    // 2. A proposal for a waiting client at 98000102's location, accepted, then started.
    store
        .append(
            &g,
            cmd(
                141,
                None,
                vec![
                    ("2024-06-01", aanmelding("GM0275")),
                    ("2024-06-05", beoordeling()),
                    ("2024-06-10", toewijzing("2024-06-10", "2025-06-09", None)),
                    (
                        "2024-06-10",
                        ClientEvent::WachtlijstIn {
                            product: bw.clone(),
                            prioriteit: 0,
                        },
                    ),
                    (
                        "2024-07-01",
                        ClientEvent::Voorstel {
                            locatie: loc("veluwezoom-rheden"),
                            product: bw.clone(),
                            geldig_tot: d("2024-07-15"),
                        },
                    ),
                ],
            ),
        )
        .expect("client 141 proposed for veluwezoom-rheden");
    // Decided on a day before the proposal's geldig_tot (15 July 2024); after it, the
    // unanswered proposal no longer opens the record (`rule_refusals_are_logged`).
    let other_then = other.clone().on(Some(d("2024-07-03")));
    store
        .read_client(&other_then, ClientId(141))
        .expect("the proposed location's provider reads the client");
    assert!(
        matches!(
            store.read_client(&own, ClientId(141)),
            Err(StoreError::Denied(_))
        ),
        "another provider does not read a proposed client"
    );
    let akkoord = ClientEvent::VoorstelAntwoord {
        voorstel: 5,
        akkoord: true,
        reden: String::new(),
    };
    denied(
        "een andere aanbieder beantwoordt het voorstel",
        &own,
        cmd(141, Some(5), vec![("2024-07-03", akkoord.clone())]),
    );
    assert_eq!(
        refused_rows(141, "z.aanbieder"),
        2,
        "the read and the answer, logged"
    );
    store
        .append(
            &other_then,
            cmd(141, Some(5), vec![("2024-07-03", akkoord)]),
        )
        .expect("the provider accepts");
    store
        .append(
            &other,
            cmd(
                141,
                Some(6),
                vec![(
                    "2024-07-10",
                    ClientEvent::StartZorg {
                        product: bw.clone(),
                        locatie: loc("veluwezoom-rheden"),
                        overbezetting: None,
                    },
                )],
            ),
        )
        .expect("the provider starts the care");
    let s = store.read_client(&g, ClientId(141)).expect("read").state;
    assert!(s.voorstel.is_none());
    assert_eq!(s.zorg.as_ref().map(|z| z.aanbieder), Some(agb("98000102")));

    // 3. A temporary stay beside the care (logeeropvang at 98000101's location).
    let logeer = |n| ClientEvent::TijdelijkVerblijf {
        product: product("bw-logeeropvang"),
        locatie: loc("rijnbeschut-arnhem-centrum"),
        nachten: n,
    };
    rule(
        "logeren langer dan het product toelaat",
        &g,
        cmd(141, Some(7), vec![("2024-08-01", logeer(20))]),
        "tijdelijk.te_lang",
    );
    denied(
        "de aanbieder van de logeerlocatie zonder band met de cliënt",
        &own,
        cmd(141, Some(7), vec![("2024-08-01", logeer(5))]),
    );
    store
        .append(&g, cmd(141, Some(7), vec![("2024-08-01", logeer(5))]))
        .expect("a temporary stay beside the care");
    let s = store.read_client(&g, ClientId(141)).expect("read").state;
    assert_eq!(s.tijdelijk.as_ref().map(|t| t.tot), Some(d("2024-08-05")));
    assert!(s.zorg.is_some(), "the care goes on");
    store
        .read_client(&own, ClientId(141))
        .expect("the temporary stay's provider reads the client during the care");
}

/// Issue 14, bad input: an append refused by a client-fact rule writes no event and exactly
/// one access-log row — action `weigering`, refused, the actor, the client, and the rule's
/// code and field in the reason — and the log's chain stays intact. An unanswered proposal
/// opens the record to its provider up to and including its `geldig_tot`, not after.
fn rule_refusals_are_logged(store: &dyn Store) {
    let sys = AccessGate::system("conformance");
    let own = provider_gate(); // z.aanbieder, 98000101
    let g = clerk();
    // Every row of `user` about `client`, newest first.
    let rows_of = |user: &str, client: u64| {
        store
            .access_log_filtered(
                &sys,
                &crate::AccessLogFilter {
                    client: Some(ClientId(client)),
                    user: Some(user.into()),
                    limit: 100_000,
                    ..Default::default()
                },
            )
            .expect("log")
    };
    let refused = |what: &str, gate: &AccessGate, c: AppendCommand, code: &str, field: &str| {
        let client = c.client;
        let user = gate.logged_actor().user.clone();
        let before = (
            store.event_count().expect("count"),
            rows_of(&user, client.0),
        );
        match store.append(gate, c) {
            Err(StoreError::Rule { error, .. }) => {
                assert_eq!((error.code, error.field), (code, field), "{what}")
            }
            other => panic!("{what}: rule {code} expected, got {other:?}"),
        }
        assert_eq!(
            store.event_count().expect("count"),
            before.0,
            "{what}: written"
        );
        let after = rows_of(&user, client.0);
        assert_eq!(after.len(), before.1.len() + 1, "{what}: exactly one row");
        let row = &after[0];
        assert_eq!(
            (row.action.as_str(), row.allowed, row.client),
            (crate::gate::WEIGERING, false, Some(client)),
            "{what}"
        );
        assert!(
            row.reason
                .starts_with(&format!("regel {code} (veld {field}, feit 1): ")),
            "{what}: {}",
            row.reason
        );
        assert_eq!(row.role, gate.logged_actor().role.key(), "{what}");
    };
    store
        .append(
            &g,
            cmd(
                160,
                None,
                vec![
                    ("2024-06-01", aanmelding("GM0202")),
                    ("2024-06-05", beoordeling()),
                    ("2024-06-10", toewijzing("2024-06-10", "2025-06-09")),
                ],
            ),
        )
        .expect("client 160 allocated bw-groepswonen at 98000101");
    // Start at the provider's own location that does not offer the product.
    let start_at = |l: &str| ClientEvent::StartZorg {
        product: product("bw-groepswonen"),
        locatie: LocationId::parse(l).expect("id"),
        overbezetting: None,
    };
    refused(
        "start op een locatie zonder het product",
        &own,
        cmd(
            160,
            Some(3),
            vec![("2024-06-12", start_at("rijnbeschut-renkum"))],
        ),
        "locatie.biedt_product_niet",
        "locatie",
    );
    store
        .append(
            &own,
            cmd(
                160,
                Some(3),
                vec![("2024-06-12", start_at("rijnbeschut-arnhem-centrum"))],
            ),
        )
        .expect("start at a location that offers it");
    // A temporary stay longer than the product allows (logeeropvang).
    let logeer = ClientEvent::TijdelijkVerblijf {
        product: product("bw-logeeropvang"),
        locatie: LocationId::parse("rijnbeschut-arnhem-centrum").expect("id"),
        nachten: 20,
    };
    refused(
        "logeren langer dan het product toelaat",
        &own,
        cmd(160, Some(4), vec![("2024-08-01", logeer)]),
        "tijdelijk.te_lang",
        "nachten",
    );
    // The access team's rule refusal too (a second start for a client in care).
    refused(
        "start voor een cliënt die al in zorg is",
        &g,
        cmd(160, Some(4), vec![("2024-08-01", start_zorg())]),
        "start_zorg.al_in_zorg",
        "type",
    );
    assert_eq!(
        store
            .read_client(&sys, ClientId(160))
            .expect("read")
            .state
            .version,
        4
    );
    let report = store.verify_access_log(&sys).expect("verify");
    assert!(
        report.problem.is_none(),
        "chain intact: {:?}",
        report.problem
    );

    // An unanswered proposal at 98000102's location, geldig t/m 15 July 2024.
    let other = gate_of(
        "v.veluwezoom",
        Role::Zorgaanbieder,
        Organisation::Aanbieder(AgbCode::parse("98000102").expect("agb")),
    );
    let bw = product("bw-beschermd-wonen");
    store
        .append(
            &g,
            cmd(
                161,
                None,
                vec![
                    ("2024-06-01", aanmelding("GM0275")),
                    ("2024-06-05", beoordeling()),
                    (
                        "2024-06-10",
                        ClientEvent::Toewijzing {
                            product: bw.clone(),
                            start: d("2024-06-10"),
                            einde: d("2025-06-09"),
                            leveringsvorm: Leveringsvorm::Zin,
                            aanbieder: None,
                        },
                    ),
                    (
                        "2024-06-10",
                        ClientEvent::WachtlijstIn {
                            product: bw.clone(),
                            prioriteit: 0,
                        },
                    ),
                    (
                        "2024-07-01",
                        ClientEvent::Voorstel {
                            locatie: LocationId::parse("veluwezoom-rheden").expect("id"),
                            product: bw.clone(),
                            geldig_tot: d("2024-07-15"),
                        },
                    ),
                ],
            ),
        )
        .expect("client 161 proposed at veluwezoom-rheden");
    let on = |day: &str| other.clone().on(Some(d(day)));
    store
        .read_client(&on("2024-07-15"), ClientId(161))
        .expect("the proposed provider reads on the last valid day");
    let refused_before = rows_of("v.veluwezoom", 161)
        .iter()
        .filter(|e| !e.allowed)
        .count();
    for gate in [on("2024-07-16"), other.clone()] {
        assert!(
            matches!(
                store.read_client(&gate, ClientId(161)),
                Err(StoreError::Denied(_))
            ),
            "expired: the proposed provider no longer reads"
        );
    }
    let rows = rows_of("v.veluwezoom", 161);
    assert_eq!(
        rows.iter().filter(|e| !e.allowed).count(),
        refused_before + 2
    );
    assert_eq!(rows[0].action, "lezen");
    assert!(
        matches!(
            store.append(
                &on("2024-07-16"),
                cmd(
                    161,
                    Some(5),
                    vec![(
                        "2024-07-16",
                        ClientEvent::VoorstelAntwoord {
                            voorstel: 5,
                            akkoord: true,
                            reden: String::new(),
                        },
                    )],
                ),
            ),
            Err(StoreError::Denied(_))
        ),
        "an expired proposal is not answered by its provider"
    );
}

/// Issue 11, finding 5: an idempotent replay passes the gate. The same user gets the
/// original receipt and the replay is logged; another user gets exactly the refusal they
/// get without the key, and learns nothing about it.
fn replays_pass_the_gate(store: &dyn Store) {
    let g = clerk();
    let keyed = |key: Option<&str>| AppendCommand {
        idempotency_key: key.map(str::to_owned),
        ..cmd(
            40,
            Some(5),
            vec![(
                "2024-08-02",
                ClientEvent::Voorkeur {
                    gemeenten: vec![GemeenteCode::parse("GM0202").expect("code")],
                    toelichting: "dicht bij familie".into(),
                },
            )],
        )
    };
    let first = store.append(&g, keyed(Some("rechten-1"))).expect("first");
    let rows = |user: &str| {
        store
            .access_log_filtered(
                &AccessGate::system("conformance"),
                &crate::AccessLogFilter {
                    client: Some(ClientId(40)),
                    user: Some(user.into()),
                    only_refused: false,
                    limit: 1000,
                    ..Default::default()
                },
            )
            .expect("log")
            .len()
    };
    let before = rows("t.jansen");
    match store.append(&g, keyed(Some("rechten-1"))) {
        Err(StoreError::Replay { receipt, .. }) => assert_eq!(receipt, first),
        other => panic!("replay expected, got {other:?}"),
    }
    assert_eq!(
        rows("t.jansen"),
        before + 1,
        "a replay writes an access-log row"
    );
    // Another region's team, and a wijkteam that may not record the fact: the same answer
    // with the key as without it.
    let others = [
        gate_of(
            "b.mo",
            Role::Toegangsmedewerker,
            Organisation::Regio(RegionId::parse("drechtsteden").expect("id")),
        ),
        wijkteam_gate("GM0202"),
    ];
    for other in &others {
        let user = other.actor().user.clone();
        let logged = rows(&user);
        let with_key = store.append(other, keyed(Some("rechten-1")));
        let without = store.append(other, keyed(None));
        assert!(
            matches!(with_key, Err(StoreError::Denied(_))),
            "{user}: {with_key:?}"
        );
        assert_eq!(
            with_key.map_err(|e| e.to_string()),
            without.map_err(|e| e.to_string()),
            "{user}: a key changes nothing about the refusal"
        );
        assert_eq!(rows(&user), logged + 2, "{user}: both refusals are logged");
    }
}

/// Issue 11, findings 2 and 9: an aanmelding and an overnachting dated 9999-12-31 are
/// refused with a rule code and the store keeps working; an import with such rows reports
/// them with `SkipBad`; a 1.9 MB name, NUL and U+202E in a name are refused.
fn limits_at_the_edge(store: &dyn Store) {
    let g = clerk();
    let code_of = |r: Result<crate::Receipt, StoreError>| match r {
        Err(StoreError::Rule { error, .. }) => error.code,
        other => panic!("rule error expected, got {other:?}"),
    };
    let before = store.event_count().expect("count");
    assert_eq!(
        code_of(store.append(
            &g,
            cmd(50, None, vec![("9999-12-31", aanmelding("GM0202"))])
        )),
        "datum.buiten_bereik"
    );
    store
        .append(
            &g,
            cmd(50, None, vec![("2024-09-01", aanmelding("GM0202"))]),
        )
        .expect("aanmelding");
    let night = ClientEvent::MoOvernachting {
        product: product("mo-nachtopvang"),
        locatie: LocationId::parse("opvang-arnhem-nacht").expect("id"),
        nachten: 1,
    };
    assert_eq!(
        code_of(store.append(&g, cmd(50, Some(1), vec![("9999-12-31", night.clone())]))),
        "datum.buiten_bereik"
    );
    let tomorrow = crate::time::today().add_days(1).to_string();
    assert_eq!(
        code_of(store.append(
            &g,
            cmd(50, Some(1), vec![(tomorrow.as_str(), night.clone())])
        )),
        "mo_overnachting.toekomst"
    );
    // The store still answers: the same night in the past is recorded, the record reads.
    store
        .append(&g, cmd(50, Some(1), vec![("2024-09-02", night)]))
        .expect("a night in the past");
    store
        .read_client(&g, ClientId(50))
        .expect("the record reads");
    assert_eq!(store.event_count().expect("count"), before + 2);
    // Names: 1.9 MB, NUL, a bidi override.
    for (n, naam) in [
        (51, "a".repeat(1_900_000)),
        (52, "An\u{0}na".to_owned()),
        (53, "Anna\u{202E}nosnaJ".to_owned()),
    ] {
        let mut c = cmd(n, None, vec![("2024-09-01", aanmelding("GM0202"))]);
        if let Some(p) = c.person.as_mut() {
            p.voornaam = naam;
        }
        rejects(store, "naam buiten de grenzen", "voornaam", || {
            store.append(&g, c)
        });
    }
    // Import: the same rows are reported, the good ones land (SkipBad).
    let row = |client: u64, eff: &str, e: ClientEvent| -> Result<ImportRow, RowError> {
        Ok(ImportRow {
            client: ClientId(client),
            version: None,
            effective: d(eff),
            actor: None,
            recorded_at: None,
            event: e,
            seq: None,
            line: 0,
        })
    };
    let rows = vec![
        row(54, "9999-12-31", aanmelding("GM0202")),
        row(55, "2024-09-01", aanmelding("GM0202")),
        row(55, "2024-09-02", toewijzing("2024-09-02", "9999-12-31")),
    ];
    let before = store.event_count().expect("count");
    let rep = store
        .import(
            &AccessGate::system("import"),
            &mut rows.into_iter(),
            ImportMode::SkipBad,
            &|_| {},
        )
        .expect("import runs");
    assert!(rep.committed);
    assert_eq!(rep.imported, 1);
    assert_eq!(
        rep.rejected.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![1, 3],
        "{:?}",
        rep.rejected
    );
    assert!(
        rep.rejected[0]
            .message
            .contains("buiten het toegestane bereik")
    );
    assert!(rep.rejected[1].message.starts_with("einde:"));
    assert_eq!(store.event_count().expect("count"), before + 1);
}

fn corrections_refold(store: &dyn Store) {
    let g = clerk();
    store
        .append(
            &g,
            cmd(
                20,
                None,
                vec![
                    ("2024-01-10", aanmelding("GM0202")),
                    ("2024-02-01", toewijzing("2024-02-01", "2025-12-31")),
                    ("2024-03-01", start_zorg()),
                ],
            ),
        )
        .expect("history");
    // The provider corrects the start date: care actually began on 2024-02-15.
    let corr = ClientEvent::Correctie {
        corrigeert: 3,
        vervanging: Box::new(start_zorg()),
        reden: "startdatum gecorrigeerd door aanbieder".into(),
    };
    store
        .append(&g, cmd(20, Some(3), vec![("2024-02-15", corr)]))
        .expect("correction");
    let rec = store.read_client(&g, ClientId(20)).expect("read");
    assert_eq!(
        rec.state.zorg.as_ref().map(|z| z.sinds),
        Some(d("2024-02-15"))
    );
    assert_eq!(rec.state.version, 4);
    // A back-dated fact (arrives late) is folded in effective order.
    store
        .append(&g, cmd(20, Some(4), vec![("2024-01-20", beoordeling())]))
        .expect("late assessment");
    assert_eq!(
        store
            .read_client(&g, ClientId(20))
            .expect("read")
            .state
            .beoordeeld,
        Some(d("2024-01-20"))
    );
    // A correction that would move the start before the allocation is refused.
    let bad = ClientEvent::Correctie {
        corrigeert: 3,
        vervanging: Box::new(start_zorg()),
        reden: "x".into(),
    };
    rejects(
        store,
        "correction breaking a rule",
        "geen toewijzing",
        || store.append(&g, cmd(20, Some(5), vec![("2024-01-15", bad)])),
    );
    // Voiding the start of care: the client is allocated but not in care any more.
    let void = ClientEvent::Intrekking {
        trekt_in: 3,
        reden: "plaatsing ging niet door".into(),
    };
    store
        .append(&g, cmd(20, Some(5), vec![("2024-03-05", void)]))
        .expect("void");
    let st = store.read_client(&g, ClientId(20)).expect("read").state;
    assert!(st.zorg.is_none());
    rejects(store, "void the aanmelding", "trekt_in", || {
        store.append(
            &g,
            cmd(
                20,
                Some(6),
                vec![(
                    "2024-03-05",
                    ClientEvent::Intrekking {
                        trekt_in: 1,
                        reden: "x".into(),
                    },
                )],
            ),
        )
    });
}

fn import_is_all_or_nothing(store: &dyn Store) {
    let sys = AccessGate::system("import");
    let row = |client: u64, eff: &str, e: ClientEvent| -> Result<ImportRow, RowError> {
        Ok(ImportRow {
            client: ClientId(client),
            version: None,
            effective: d(eff),
            actor: None,
            recorded_at: None,
            event: e,
            seq: None,
            line: 0,
        })
    };
    let rows = || {
        vec![
            row(100, "2024-01-01", aanmelding("GM0202")),
            row(100, "2024-01-05", toewijzing("2024-01-05", "2025-01-01")),
            row(101, "2024-01-01", aanmelding("GM9999")),
            Err(RowError {
                line: 4,
                message: "onleesbare regel (afgekapt?)".into(),
            }),
            row(102, "2024-01-01", aanmelding("GM0226")),
            row(102, "2024-01-02", start_zorg()),
        ]
    };
    let before = (
        store.event_count().expect("count"),
        store.snapshot().expect("snap"),
    );
    let rep = store
        .import(
            &sys,
            &mut rows().into_iter(),
            ImportMode::AllOrNothing,
            &|_| {},
        )
        .expect("import runs");
    assert!(!rep.committed);
    assert_eq!(rep.imported, 0);
    assert_eq!(
        rep.rejected.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![3, 4, 6],
        "{:?}",
        rep.rejected
    );
    assert!(rep.rejected[0].message.contains("herkomst_gemeente"));
    assert!(
        before
            == (
                store.event_count().expect("count"),
                store.snapshot().expect("snap")
            ),
        "rejected import changed the store"
    );
    // Only the system may import.
    assert!(matches!(
        store.import(
            &clerk(),
            &mut rows().into_iter(),
            ImportMode::SkipBad,
            &|_| {}
        ),
        Err(StoreError::Denied(_))
    ));
    let rep = store
        .import(&sys, &mut rows().into_iter(), ImportMode::SkipBad, &|_| {})
        .expect("import runs");
    assert!(rep.committed);
    assert_eq!(rep.imported, 3);
    assert_eq!(rep.rejected.len(), 3);
    assert_eq!(store.event_count().expect("count"), before.0 + 3);
}

/// What [`Store::monitor`] serves (the in-memory index) equals the `monitor` table.
pub fn monitor_index_matches_table(store: &dyn Store) {
    let table = store.snapshot().expect("snapshot").monitor;
    let mut served = Vec::new();
    for p in store.regions().all() {
        served.extend(
            store
                .monitor(&p.id, &vangnet_domain::monitor::Measure::ALL, u32::MAX)
                .expect("monitor"),
        );
    }
    served.sort();
    assert_eq!(
        served.len(),
        table.len(),
        "index and table: number of cells"
    );
    assert_eq!(
        served, table,
        "the in-memory monitor index differs from the table"
    );
}

fn rebuilt_monitor(store: &dyn Store) -> Vec<crate::MonitorRow> {
    store.snapshot().expect("snapshot").monitor
}

fn rebuild_reproduces(store: &dyn Store) {
    let incremental = store.snapshot().expect("snapshot");
    store.rebuild(&|_| {}).expect("rebuild");
    assert_eq!(store.snapshot().expect("snapshot"), incremental);
    monitor_index_matches_table(store);
    store.rebuild_monitor(&|_| {}).expect("rebuild monitor");
    assert_eq!(store.snapshot().expect("snapshot"), incremental);
}

/// Append a random history (`clients` clients, with back-dated facts, corrections and
/// voids) through the normal append path, then rebuild and compare every projection row.
pub fn rebuild_matches_incremental(store: &dyn Store, clients: u32) {
    let g = AccessGate::system("rebuild-test");
    let regions = store.regions().clone();
    // Load the in-memory monitor index first, so that the appends below update it in place.
    monitor_index_matches_table(store);
    let mut rng = Rng::new(20_261_123);
    let mut appended = 0;
    for c in 0..clients {
        let client = ClientId(1_000_000 + u64::from(c));
        let stream = crate::random::random_stream(&mut rng, &regions, client);
        let mut version = 0u32;
        // Append in a few commands of random size, as clerks and providers would.
        let mut i = 0;
        while i < stream.len() {
            let n = 1 + rng.below(3) as usize;
            let chunk: Vec<_> = stream[i..(i + n).min(stream.len())].to_vec();
            let cmd = AppendCommand {
                client,
                expected_version: if version == 0 { None } else { Some(version) },
                idempotency_key: None,
                person: if version == 0 {
                    Some(synthetic_person(&mut rng, 1_000_000 + c, d("1985-01-01")))
                } else {
                    None
                },
                events: chunk,
            };
            let r = store
                .append(&g, cmd)
                .unwrap_or_else(|e| panic!("random history for {client} refused: {e}"));
            appended += stream[i..(i + n).min(stream.len())].len();
            version = r.version;
            i += n;
        }
    }
    assert!(appended > clients as usize * 4);
    monitor_index_matches_table(store);
    // Every append wrote a chained access-log row; anchors fell every 1,000 rows.
    let chain = store
        .verify_access_log(&auditor())
        .expect("auditor verifies");
    assert!(chain.ok(), "{chain}");
    assert!(chain.rows >= u64::from(clients), "{chain}");
    assert_eq!(
        chain.anchors_checked,
        chain.last / crate::audit::ANCHOR_EVERY,
        "{chain}"
    );
    let incremental = store.snapshot().expect("snapshot");
    let report = store.rebuild(&|_| {}).expect("rebuild");
    assert!(report.events as usize >= appended);
    monitor_index_matches_table(store);
    assert_eq!(
        rebuilt_monitor(store),
        incremental.monitor,
        "monitor differs after rebuild"
    );
    store.rebuild_monitor(&|_| {}).expect("rebuild monitor");
    assert_eq!(
        rebuilt_monitor(store),
        incremental.monitor,
        "monitor differs after its own rebuild"
    );
    monitor_index_matches_table(store);
    let rebuilt = store.snapshot().expect("snapshot");
    assert_eq!(rebuilt.clients.len(), incremental.clients.len());
    for (a, b) in rebuilt.clients.iter().zip(&incremental.clients) {
        assert_eq!(a, b, "client state differs after rebuild");
    }
    assert_eq!(rebuilt.occupancy, incremental.occupancy);
    assert_eq!(rebuilt.waiting, incremental.waiting);
    assert!(
        !rebuilt.occupancy.is_empty() && !rebuilt.waiting.is_empty(),
        "history should leave people in care and waiting"
    );
}

/// A system job started at the command line by `naam`.
fn operator_job(naam: &str, job: &str) -> AccessGate {
    AccessGate::job(
        Actor {
            user: naam.into(),
            role: Role::Systeem,
            organisation: Organisation::Vangnet,
        },
        job,
    )
}

/// The access log's hash chain, as an attacker with database access would try it. `raw`
/// runs SQL on the store's database around the store (an error is the database's refusal);
/// `drop_guards` is the SQL that drops the log's UPDATE/DELETE triggers. Checks: the chain
/// verifies; the triggers refuse updates and deletions; retention deletes only up to an
/// anchor and the rest still verifies; with the triggers dropped, a changed row, a deleted
/// row and an inserted row are each found and named, and so is a cut-off start. Use a fresh
/// store: it leaves the triggers dropped.
pub fn access_chain(
    store: &dyn Store,
    raw: &dyn Fn(&str) -> Result<(), String>,
    drop_guards: &str,
) {
    let verify = || {
        store
            .verify_access_log(&auditor())
            .expect("auditor verifies")
    };
    assert!(verify().ok());
    write_new(store, 1, vec![("2024-01-10", aanmelding("GM0226"))]);
    for _ in 0..4 {
        store.read_client(&clerk(), ClientId(1)).expect("read");
    }
    // A job names the person who started it.
    store
        .log_job(&operator_job("j.devries", "herbouwen"), "herbouwen")
        .expect("job row");
    let log = store.access_log(&auditor(), 100).expect("log");
    assert!(log.iter().any(|e| e.user == "j.devries"
        && e.action == "herbouwen"
        && e.purpose == "herbouwen"
        && e.reason.contains("gestart door j.devries")));
    assert!(matches!(
        store.verify_access_log(&clerk()),
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        store.log_job(&clerk(), "export"),
        Err(StoreError::Denied(_))
    ));
    let r = verify();
    assert!(r.ok(), "{r}");
    assert_eq!(r.first, 1);
    let n = r.last;
    assert_eq!(r.rows, n);
    assert!(n >= 8, "{r}");

    // The database refuses changes and deletions (no permit, no anchor).
    for sql in [
        "UPDATE access_log SET purpose = 'x' WHERE id = 3",
        "DELETE FROM access_log WHERE id = 3",
        "DELETE FROM access_log",
    ] {
        let e = raw(sql).expect_err(sql);
        assert!(e.contains("toegangslog"), "{sql}: {e}");
    }
    // Retention without an anchor deletes nothing.
    let job = operator_job("j.devries", "toegangslog_opschonen");
    let far = "9999-01-01T00:00:00.000Z";
    let plan = store
        .access_log_retention(&job, far, true)
        .expect("retention");
    assert_eq!((plan.anchor, plan.deleted, plan.deletable), (None, 0, 0));
    assert!(matches!(
        store.access_log_retention(&clerk(), far, false),
        Err(StoreError::Denied(_))
    ));

    // Anchor, more rows, then retention up to the anchor.
    let anchor = store
        .anchor_access_log(&operator_job("j.devries", "toegangslog_anker"))
        .expect("anchor")
        .expect("log not empty");
    let h = anchor.seq;
    assert!(h >= n, "anchor at the head");
    let e = raw(&format!("DELETE FROM access_anchor WHERE seq = {h}")).expect_err("anchor");
    assert!(e.contains("toegangslog"), "{e}");
    for _ in 0..3 {
        store.read_client(&clerk(), ClientId(1)).expect("read");
    }
    let dry = store
        .access_log_retention(&job, far, false)
        .expect("dry run");
    assert_eq!((dry.anchor, dry.deletable, dry.deleted), (Some(h), h, 0));
    assert!(verify().ok());
    // Rows not yet past their period stay.
    let none = store
        .access_log_retention(&job, "2000-01-01T00:00:00.000Z", true)
        .expect("nothing due");
    assert_eq!((none.anchor, none.deleted, none.due_until), (None, 0, None));
    let done = store
        .access_log_retention(&job, far, true)
        .expect("retention");
    assert_eq!((done.anchor, done.deleted), (Some(h), h));
    let r = verify();
    assert!(r.ok(), "after retention: {r}");
    assert_eq!(r.first, h + 1);
    assert!(
        r.to_string()
            .contains("volgens de bewaartermijn verwijderd"),
        "{r}"
    );
    // The permit covered only that run.
    let e = raw(&format!("DELETE FROM access_log WHERE id = {}", h + 1)).expect_err("delete");
    assert!(e.contains("toegangslog"), "{e}");

    // An attacker drops the triggers.
    raw(drop_guards).expect("drop triggers");
    // 1. Changing a row.
    let k = h + 2;
    raw(&format!(
        "UPDATE access_log SET purpose = purpose || 'x' WHERE id = {k}"
    ))
    .expect("tamper");
    let r = verify();
    assert_eq!(
        r.problem,
        Some(crate::ChainProblem::HashMismatch { seq: k }),
        "{r}"
    );
    assert!(
        r.to_string().contains(&format!("GEBROKEN bij rij {k}")),
        "{r}"
    );
    raw(&format!(
        "UPDATE access_log SET purpose = substr(purpose, 1, length(purpose) - 1) WHERE id = {k}"
    ))
    .expect("restore");
    assert!(verify().ok());
    // 2. Deleting a row.
    raw(&format!(
        "CREATE TABLE saved_row AS SELECT * FROM access_log WHERE id = {k}"
    ))
    .expect("save");
    raw(&format!("DELETE FROM access_log WHERE id = {k}")).expect("delete");
    let r = verify();
    assert_eq!(
        r.problem,
        Some(crate::ChainProblem::Missing {
            expected: k,
            found: k + 1
        }),
        "{r}"
    );
    assert!(r.to_string().contains(&format!("rij {k} ontbreekt")), "{r}");
    raw("INSERT INTO access_log SELECT * FROM saved_row").expect("restore");
    raw("DROP TABLE saved_row").expect("drop");
    assert!(verify().ok());
    // 3. Cutting off the start without a retention run.
    raw(&format!(
        "CREATE TABLE saved_row AS SELECT * FROM access_log WHERE id = {}",
        h + 1
    ))
    .expect("save");
    raw(&format!("DELETE FROM access_log WHERE id = {}", h + 1)).expect("cut");
    let r = verify();
    assert_eq!(
        r.problem,
        Some(crate::ChainProblem::StartMissing { first: h + 2 }),
        "{r}"
    );
    raw("INSERT INTO access_log SELECT * FROM saved_row").expect("restore");
    raw("DROP TABLE saved_row").expect("drop");
    let r = verify();
    assert!(r.ok(), "{r}");
    // 4. Inserting a row: after the row this verification logged, linked to its hash but
    //    with a made-up hash of its own (a forger who does not know the encoding).
    let top = r.last + 1;
    raw(&format!(
        "INSERT INTO access_log (id, at, actor_user, actor_role, actor_org, client_id, action, purpose, allowed, reason, prev_hash, hash) \
         SELECT id + 1, at, 'indringer', actor_role, actor_org, client_id, action, purpose, allowed, reason, hash, hash FROM access_log WHERE id = {top}"
    ))
    .expect("insert");
    let r = verify();
    assert_eq!(
        r.problem,
        Some(crate::ChainProblem::HashMismatch { seq: top + 1 }),
        "{r}"
    );
    assert!(
        r.to_string()
            .contains(&format!("GEBROKEN bij rij {}", top + 1)),
        "{r}"
    );
}

/// A client's own access overview: the region's access team reads every row about the
/// client (oldest first, reading logged); others are refused (and logged).
pub fn client_access_overview(store: &dyn Store) {
    write_new(store, 7, vec![("2024-01-10", aanmelding("GM0226"))]);
    store.read_client(&clerk(), ClientId(7)).expect("read");
    let other = AccessGate::new(
        Actor {
            user: "x".into(),
            role: Role::Toegangsmedewerker,
            organisation: Organisation::Regio(RegionId::parse("drechtsteden").expect("id")),
        },
        "nieuwsgierig",
    );
    assert!(store.read_client(&other, ClientId(7)).is_err());
    let rows = store
        .client_access_log(&clerk(), ClientId(7))
        .expect("inzage");
    let actions: Vec<(&str, bool)> = rows
        .iter()
        .map(|e| (e.action.as_str(), e.allowed))
        .collect();
    assert_eq!(
        actions,
        [("aanmaken", true), ("lezen", true), ("lezen", false)],
        "{rows:?}"
    );
    assert!(rows.iter().all(|e| e.client == Some(ClientId(7))));
    // The reading is logged: the next overview shows it.
    let again = store
        .client_access_log(&clerk(), ClientId(7))
        .expect("inzage");
    assert_eq!(again.len(), 4);
    assert_eq!(again[3].action, "inzage_toegangslog");
    assert!(matches!(
        store.client_access_log(&other, ClientId(7)),
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        store.client_access_log(&auditor(), ClientId(7)),
        Err(StoreError::Denied(_))
    ));
    // A client that does not exist: refused like another's client, and logged (issue 11:
    // no probing of client numbers); the system is told it does not exist.
    assert!(matches!(
        store.client_access_log(&clerk(), ClientId(999_999)),
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        store.read_client(&clerk(), ClientId(999_999)),
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        store.read_client(&AccessGate::system("test"), ClientId(999_999)),
        Err(StoreError::NotFound(_))
    ));
    let probes = store
        .access_log_filtered(
            &AccessGate::system("test"),
            &crate::AccessLogFilter {
                client: Some(ClientId(999_999)),
                ..crate::AccessLogFilter::newest(10)
            },
        )
        .expect("log");
    assert_eq!(
        probes
            .iter()
            .map(|e| (e.action.as_str(), e.allowed))
            .collect::<Vec<_>>(),
        [("lezen", false), ("inzage_toegangslog", false)],
        "both probes are logged, newest first"
    );
    let last = store
        .client_access_log(&clerk(), ClientId(7))
        .expect("inzage");
    assert!(
        last.iter()
            .any(|e| !e.allowed && e.action == "inzage_toegangslog" && e.user == "x")
    );
}

/// Two stores on one database (as two processes would be) append and read at once from
/// several threads: every access-log row is chained once, without gaps or forks.
pub fn concurrent_chain(a: &dyn Store, b: &dyn Store) {
    write_new(a, 1, vec![("2024-01-10", aanmelding("GM0226"))]);
    std::thread::scope(|s| {
        for (t, store) in [a, b, a, b].into_iter().enumerate() {
            s.spawn(move || {
                for i in 0..15u64 {
                    if t < 2 {
                        write_new(
                            store,
                            100 + t as u64 * 100 + i,
                            vec![("2024-01-10", aanmelding("GM0226"))],
                        );
                    } else {
                        store.read_client(&clerk(), ClientId(1)).expect("read");
                    }
                }
            });
        }
    });
    let r = a.verify_access_log(&auditor()).expect("verify");
    assert!(r.ok(), "{r}");
    assert_eq!(r.rows, 1 + 4 * 15, "{r}");
}

// ---- feat/werklijst (issue 12): the worklist page and the named waiting list ----

/// On an empty store: the worklist page filters, counts over every page, sorts both ways,
/// pages by 50, names the clients, logs only the clients on the page, and is refused to
/// anyone but the region's team; the named waiting list names its clients.
pub fn worklist_page_story(store: &dyn Store) {
    use vangnet_domain::worklist::{PAGE_SIZE, RawWorklistFilter, Task, Volgorde, WorklistFilter};
    let today = d("2026-06-01");
    let on = |days: i32| today.add_days(days).to_string();
    let dates: Vec<String> = (0..60).map(|k| on(-k)).collect();
    // Clients 1..=60 applied 0..59 days ago (decision due 56 days later), from Arnhem
    // (GM0202) or Duiven (GM0226); client 61 is in groepswonen (house-seeker due in 30
    // days); client 62 waits for beschermd wonen.
    for (k, day) in dates.iter().enumerate() {
        let herkomst = if k % 4 == 0 { "GM0226" } else { "GM0202" };
        write_new(
            store,
            k as u64 + 1,
            vec![(day.as_str(), aanmelding(herkomst))],
        );
    }
    let d10 = on(-10);
    write_new(
        store,
        61,
        vec![
            (d10.as_str(), aanmelding("GM0202")),
            (d10.as_str(), beoordeling()),
            (d10.as_str(), toewijzing(&d10, &on(600))),
            (d10.as_str(), start_zorg()),
        ],
    );
    let bw = product("bw-beschermd-wonen");
    write_new(
        store,
        62,
        vec![
            (d10.as_str(), aanmelding("GM0226")),
            (d10.as_str(), beoordeling()),
            (
                d10.as_str(),
                ClientEvent::Toewijzing {
                    product: bw.clone(),
                    start: d(&d10),
                    einde: d(&on(700)),
                    leveringsvorm: Leveringsvorm::Zin,
                    aanbieder: None,
                },
            ),
            (
                d10.as_str(),
                ClientEvent::WachtlijstIn {
                    product: bw.clone(),
                    prioriteit: 1,
                },
            ),
        ],
    );
    let profile = store.regions().get(&region()).expect("profile").clone();
    let parse = |pairs: &[(&str, &str)]| {
        let mut raw = RawWorklistFilter::default();
        for (k, v) in pairs {
            let v = Some((*v).to_owned());
            match *k {
                "gemeente" => raw.gemeente = v,
                "volgorde" => raw.volgorde = v,
                "pagina" => raw.pagina = v,
                "taak" => raw.taak = v,
                "termijn" => raw.termijn = v,
                _ => unreachable!(),
            }
        }
        WorklistFilter::parse(&raw, &profile).expect("filter")
    };
    let team = AccessGate::new(clerk().actor().clone(), "werklijst: conformance");
    let first = store
        .worklist_page(&team, &region(), &parse(&[]), today)
        .expect("own team reads its worklist");
    // 60 decisions (the one applied 59 days ago is 3 days late) + the house-seeker of 61 +
    // the wait beyond the norm of 62 (due in 46 days).
    let per = |p: &vangnet_domain::worklist::WorklistPage, t: Task| {
        p.per_task.iter().find(|(x, _)| *x == t).map_or(0, |x| x.1)
    };
    assert_eq!(per(&first, Task::Beslistermijn), 60);
    assert_eq!(per(&first, Task::Woningzoekend), 1);
    assert_eq!(per(&first, Task::WachttijdNorm), 1);
    assert_eq!(first.total, 62, "counted over every page");
    assert_eq!(first.overdue, 3);
    assert_eq!(
        (first.page, first.pages, first.items.len()),
        (1, 2, PAGE_SIZE)
    );
    assert!(
        first.items.windows(2).all(|w| w[0].due <= w[1].due),
        "oldest first"
    );
    assert_eq!(first.items[0].client, ClientId(60));
    // Names, through the gate.
    for item in &first.items {
        let p = person(item.client.0 as u32);
        assert_eq!(
            item.name.as_deref(),
            Some(format!("{} {}", p.voornaam, p.achternaam).as_str()),
            "{}",
            item.client
        );
    }
    // Only the clients on the page are in the log, with the purpose.
    let log = store
        .access_log(&AccessGate::system("conformance"), 200)
        .expect("log");
    let logged: std::collections::HashSet<ClientId> = log
        .iter()
        .filter(|e| e.purpose == "werklijst: conformance" && e.allowed)
        .filter_map(|e| e.client)
        .collect();
    let shown: std::collections::HashSet<ClientId> = first.items.iter().map(|i| i.client).collect();
    assert_eq!(
        logged, shown,
        "one read per client on the page, none for the others"
    );
    // The newest deadline first: today's application, due at the horizon.
    let newest = store
        .worklist_page(&team, &region(), &parse(&[("volgorde", "nieuwste")]), today)
        .expect("newest");
    assert_eq!(newest.items[0].due, today.add_days(56));
    assert_eq!(newest.items[0].client, ClientId(1));
    assert_eq!(
        parse(&[("volgorde", "nieuwste")]).volgorde,
        Volgorde::NieuwsteEerst
    );
    // Page 2 holds the rest.
    let second = store
        .worklist_page(&team, &region(), &parse(&[("pagina", "2")]), today)
        .expect("page 2");
    assert_eq!(second.items.len(), 62 - PAGE_SIZE);
    // Filters: gemeente by name, task, overdue.
    let duiven = store
        .worklist_page(&team, &region(), &parse(&[("gemeente", "Duiven")]), today)
        .expect("Duiven");
    assert_eq!(duiven.total, 16, "clients 1, 5, …, 57 and 62");
    assert!(
        duiven
            .items
            .iter()
            .all(|i| i.gemeente == Some(GemeenteCode::parse("GM0226").expect("code")))
    );
    let late = store
        .worklist_page(
            &team,
            &region(),
            &parse(&[("termijn", "verlopen"), ("taak", "beslistermijn")]),
            today,
        )
        .expect("late");
    assert_eq!(
        late.items.iter().map(|i| i.client.0).collect::<Vec<_>>(),
        vec![60, 59, 58]
    );
    // Only the region's own team.
    let other = AccessGate::new(
        Actor {
            user: "b.mo".into(),
            role: Role::Beleidsmedewerker,
            organisation: Organisation::Gemeente(GemeenteCode::parse("GM0202").expect("code")),
        },
        "conformance",
    );
    assert!(matches!(
        store.worklist_page(&other, &region(), &parse(&[]), today),
        Err(StoreError::Denied(_))
    ));
    // The named waiting list.
    let named = store
        .waiting_for_named(&team, &region(), &bw)
        .expect("own team reads the waiting list");
    let p62 = person(62);
    assert_eq!(named.len(), 1);
    assert_eq!(named[0].0.client, ClientId(62));
    assert_eq!(
        named[0].1.as_deref(),
        Some(format!("{} {}", p62.voornaam, p62.achternaam).as_str())
    );
    assert!(matches!(
        store.waiting_for_named(&other, &region(), &bw),
        Err(StoreError::Denied(_))
    ));
}

/// Issue 12, capacity and dates, on a fresh store (it moves the store's "today" forward with
/// [`Store::refresh_planned`], so it runs apart from [`run_all`]): a clerk's placement on a
/// full location is refused (`plaatsing.vol`, counted on the start date) and nothing is
/// written; an overbezetting with a reason is accepted where the region allows it and shows
/// in the overview; a planned einde zorg keeps the bed occupied today and frees it on its
/// date; a planned start is counted from its date; a rebuild projects planned facts as the
/// appends did; a beoordeling dated tomorrow is refused.
pub fn capacity_and_planned(store: &dyn Store) {
    let today = crate::time::today();
    let regions = store.regions().clone();
    let profile = regions.get(&region()).expect("profile");
    // The smallest location for a BW product valid today.
    let (loc, code, places) = profile
        .locations
        .iter()
        .flat_map(|l| l.places.iter().map(move |(p, n)| (l, p, *n)))
        .filter(|(_, p, n)| {
            *n > 0
                && profile.product(p).is_some_and(|x| {
                    x.domain == vangnet_domain::region::Domain::Bw
                        && x.valid_on(today.add_days(-30))
                        && x.valid_on(today.add_days(60))
                })
        })
        .min_by_key(|(l, p, n)| (*n, l.id.to_string(), p.to_string()))
        .map(|(l, p, n)| (l.id.clone(), p.clone(), n))
        .expect("a BW location");
    let product = profile.product(&code).expect("product");
    let day = |n: i32| today.add_days(n);
    let allocated = |client: u64| {
        let events = vec![
            (day(-30), aanmelding("GM0202")),
            (
                day(-20),
                ClientEvent::Toewijzing {
                    product: code.clone(),
                    start: day(-10),
                    einde: product.default_end(day(-10)).max(day(90)).min(
                        product
                            .max_end(day(-10))
                            .unwrap_or(vangnet_domain::Date::from_ymd(9999, 12, 31).expect("d")),
                    ),
                    leveringsvorm: Leveringsvorm::Zin,
                    aanbieder: None,
                },
            ),
        ];
        store
            .append(
                &clerk(),
                AppendCommand {
                    client: ClientId(client),
                    expected_version: None,
                    idempotency_key: None,
                    events,
                    person: Some(person(client as u32)),
                },
            )
            .expect("allocated");
    };
    let place = |client: u64, on: Date, reason: Option<&str>| {
        store.append(
            &clerk(),
            AppendCommand {
                client: ClientId(client),
                expected_version: Some(2),
                idempotency_key: None,
                events: vec![(
                    on,
                    ClientEvent::StartZorg {
                        product: code.clone(),
                        locatie: loc.clone(),
                        overbezetting: reason.map(str::to_owned),
                    },
                )],
                person: None,
            },
        )
    };
    let occupied = || {
        store
            .overview(&region(), today)
            .expect("overview")
            .occupancy
            .iter()
            .find(|(l, p, _)| l == loc.as_str() && p == code.as_str())
            .map_or(0, |o| o.2)
    };
    let code_of = |r: Result<crate::Receipt, StoreError>| match r {
        Err(StoreError::Rule { error, .. }) => (error.code, error.message),
        other => panic!("expected a rule error, got {other:?}"),
    };
    // Fill the location.
    let base = 7_000_000u64;
    for i in 0..u64::from(places) {
        allocated(base + i);
        place(base + i, day(-5), None).expect("room");
    }
    assert_eq!(occupied(), u64::from(places));
    // Full: refused with the Dutch message, nothing written.
    let x = base + 1_000;
    allocated(x);
    let before = (
        store.event_count().expect("n"),
        store.snapshot().expect("s"),
    );
    let (code_full, message) = code_of(place(x, today, None));
    assert_eq!(code_full, "plaatsing.vol");
    let (y, m, dd) = today.ymd();
    assert!(
        message.contains(&format!(
            "{places} van {places} plaatsen bezet op {dd:02}-{m:02}-{y:04}"
        )),
        "{message}"
    );
    assert!(
        before
            == (
                store.event_count().expect("n"),
                store.snapshot().expect("s")
            )
    );
    // An empty reason is not a reason.
    assert_eq!(
        code_of(place(x, today, Some(" "))).0,
        "plaatsing.overbezetting_zonder_reden"
    );
    // Overbezetting with a reason (Centraal Gelderland allows it): accepted, shown.
    place(
        x,
        today,
        Some("crisisplaatsing, afgestemd met de aanbieder"),
    )
    .expect("overbezetting");
    assert_eq!(occupied(), u64::from(places) + 1);
    let ov = store.overview(&region(), today).expect("overview");
    assert!(ov.overbezettingen.iter().any(|(l, p, r)| l == loc.as_str()
        && p == code.as_str()
        && r == "crisisplaatsing, afgestemd met de aanbieder"));
    // Planned ends: the bed stays occupied today.
    let a = base;
    let einde = |client: u64, on: Date| {
        store.append(
            &clerk(),
            AppendCommand {
                client: ClientId(client),
                expected_version: Some(3),
                idempotency_key: None,
                events: vec![(
                    on,
                    ClientEvent::EindeZorg {
                        bestemming: Bestemming::HousingFirst,
                        woning: None,
                    },
                )],
                person: None,
            },
        )
    };
    einde(a, day(30)).expect("planned end");
    einde(x, day(20)).expect("planned end");
    assert_eq!(
        occupied(),
        u64::from(places) + 1,
        "planned ends free nothing today"
    );
    let rec = store.read_client(&clerk(), ClientId(a)).expect("read");
    assert_eq!(rec.state.phase(), vangnet_domain::state::Phase::InZorg);
    assert_eq!(rec.state.volgende_gepland, Some(day(30)));
    // A planned start is counted on its date: full on day 10, room on day 30.
    let z = base + 1_001;
    allocated(z);
    assert_eq!(code_of(place(z, day(10), None)).0, "plaatsing.vol");
    place(z, day(30), None).expect("room on day 30");
    assert_eq!(
        occupied(),
        u64::from(places) + 1,
        "a planned start takes nothing today"
    );
    let rec = store.read_client(&clerk(), ClientId(z)).expect("read");
    assert!(rec.state.zorg.is_none());
    assert_eq!(rec.state.volgende_gepland, Some(day(30)));
    // Facts that cannot be planned.
    let (c, _) = code_of(store.append(
        &clerk(),
        AppendCommand {
            client: ClientId(z),
            expected_version: Some(3),
            idempotency_key: None,
            events: vec![(day(1), beoordeling())],
            person: None,
        },
    ));
    assert_eq!(c, "feit.toekomst");
    // A rebuild projects planned facts as the appends did.
    let incremental = store.snapshot().expect("snapshot");
    store.rebuild(&|_| {}).expect("rebuild");
    assert!(
        incremental == store.snapshot().expect("snapshot"),
        "rebuild differs"
    );
    // The days pass: nothing is due before day 20; on day 20 X leaves; on day 30 A leaves
    // and Z starts.
    assert_eq!(store.refresh_planned(day(19)).expect("refresh"), 0);
    assert_eq!(store.refresh_planned(day(20)).expect("refresh"), 1);
    assert_eq!(occupied(), u64::from(places));
    assert_eq!(store.refresh_planned(day(30)).expect("refresh"), 2);
    assert_eq!(occupied(), u64::from(places));
    let rec = store.read_client(&clerk(), ClientId(a)).expect("read");
    assert!(rec.state.zorg.is_none() && rec.state.volgende_gepland.is_none());
    let rec = store.read_client(&clerk(), ClientId(z)).expect("read");
    assert_eq!(rec.state.zorg.as_ref().map(|z| z.sinds), Some(day(30)));
    assert!(
        store
            .overview(&region(), today)
            .expect("ov")
            .overbezettingen
            .is_empty()
    );
    assert_eq!(store.refresh_planned(day(30)).expect("refresh"), 0);
    // Plausibility of personal data: a birth date after today is refused for every append
    // (form and API alike), nothing written.
    let opened = today.to_string();
    let mut c = cmd(
        base + 2_000,
        None,
        vec![(opened.as_str(), aanmelding("GM0202"))],
    );
    if let Some(p) = c.person.as_mut() {
        p.geboortedatum = day(1);
    }
    rejects(
        store,
        "geboortedatum in de toekomst",
        "geboortedatum",
        || store.append(&clerk(), c),
    );
}
