//! The story of finding people and correcting the person record (issue 12), run by every
//! engine's tests ([`search_story`]): each search key, only clients the actor may read,
//! every search in the access log (also without a result, never the BSN), the limit, a role
//! that may not search, and a correction of name and birth date through the gate; and
//! ([`cross_region_story`]) a new application for a person known under another region.

use vangnet_domain::events::{Melder, Urgentie, Woonsituatie};
use vangnet_domain::person::{Person, synthetic_person};
use vangnet_domain::rng::Rng;
use vangnet_domain::{
    Actor, AgbCode, ClientEvent, ClientId, Date, GemeenteCode, Organisation, RegionId, Role,
};

use crate::search::{PERSON_CORRECTION_ACTION, SEARCH_ACTION};
use crate::{
    AccessEntry, AccessGate, AccessLogFilter, AppendCommand, PersonCorrection, SearchKey, Store,
    StoreError,
};

fn d(s: &str) -> Date {
    Date::parse(s).expect("test date")
}

fn gate(user: &str, role: Role, organisation: Organisation) -> AccessGate {
    AccessGate::new(
        Actor {
            user: user.into(),
            role,
            organisation,
        },
        "cliënt zoeken",
    )
}

fn region(id: &str) -> RegionId {
    RegionId::parse(id).expect("region")
}

fn gm(code: &str) -> GemeenteCode {
    GemeenteCode::parse(code).expect("gemeente")
}

fn clerk(r: &str) -> AccessGate {
    let user = if r == "centraal-gelderland" {
        "zoek.team"
    } else {
        "zoek.elders"
    };
    gate(
        user,
        Role::Toegangsmedewerker,
        Organisation::Regio(region(r)),
    )
}

/// The person `n` with the given names and birth date (a synthetic BSN of its own).
fn person(n: u32, voornaam: &str, achternaam: &str, born: &str) -> Person {
    let p = synthetic_person(&mut Rng::new(u64::from(n)), n, d(born));
    Person::new(p.bsn, voornaam, achternaam, d(born), true).expect("person")
}

fn register(store: &dyn Store, client: u64, r: &str, herkomst: &str, p: Person) {
    store
        .append(
            &AccessGate::system("zoekverhaal"),
            AppendCommand {
                client: ClientId(client),
                expected_version: None,
                idempotency_key: None,
                events: vec![(
                    d("2024-03-01"),
                    ClientEvent::Aanmelding {
                        regio: region(r),
                        melder: Melder::Wijkteam,
                        herkomst_gemeente: Some(gm(herkomst)),
                        woonsituatie: Woonsituatie::Thuis,
                        urgentie: Urgentie::Regulier,
                        voordeur: None,
                    },
                )],
                person: Some(p),
            },
        )
        .expect("registered");
}

/// The access-log rows of `user`, oldest first.
fn rows_of(store: &dyn Store, user: &str) -> Vec<AccessEntry> {
    let mut rows = store
        .access_log_filtered(
            &AccessGate::system("zoekverhaal"),
            &AccessLogFilter {
                user: Some(user.into()),
                limit: 10_000,
                ..AccessLogFilter::default()
            },
        )
        .expect("log");
    rows.reverse();
    rows
}

/// Run the story on an empty store.
pub fn search_story(store: &dyn Store) {
    let zoe = person(501, "Zoë", "de Vries-Çelik", "1990-04-01");
    register(store, 1, "centraal-gelderland", "GM0226", zoe.clone());
    register(
        store,
        2,
        "centraal-gelderland",
        "GM0202",
        person(502, "Jan", "de Vries", "1990-04-01"),
    );
    register(
        store,
        3,
        "nijmegen-rivierenland",
        "GM0268",
        person(503, "Zoe", "de Vries", "1990-04-01"),
    );
    for n in 0..3u32 {
        register(
            store,
            10 + u64::from(n),
            "centraal-gelderland",
            "GM0202",
            person(510 + n, "Piet", "Bakker", "1975-12-31"),
        );
    }
    let team = clerk("centraal-gelderland");
    let search = |g: &AccessGate, key: SearchKey| store.search_clients(g, &key, 50);

    // By BSN: exactly the one client; one search row and one read row.
    let before = rows_of(store, "zoek.team").len();
    let r = search(&team, SearchKey::Bsn(zoe.bsn)).expect("bsn");
    assert_eq!(r.hits.len(), 1);
    let hit = &r.hits[0];
    assert_eq!(
        (hit.client, hit.voornaam.as_str(), hit.geboortedatum),
        (ClientId(1), "Zoë", d("1990-04-01"))
    );
    assert_eq!(hit.regio, region("centraal-gelderland"));
    assert!(!r.more);
    let rows = rows_of(store, "zoek.team")[before..].to_vec();
    let kinds: Vec<(&str, Option<ClientId>, bool)> = rows
        .iter()
        .map(|e| (e.action.as_str(), e.client, e.allowed))
        .collect();
    assert_eq!(
        kinds,
        [
            (SEARCH_ACTION, None, true),
            ("lezen", Some(ClientId(1)), true)
        ]
    );
    assert!(rows[0].reason.contains("op BSN"), "{}", rows[0].reason);

    // By name and birth date: case, accents and hyphens ignored; the date exact.
    for name in ["zoe de vries celik", "ZOË", "Vries-Celik", "de vries çelik"] {
        let r = search(
            &team,
            SearchKey::NameBirth {
                name: name.into(),
                born: d("1990-04-01"),
            },
        )
        .expect("name");
        let ids: Vec<ClientId> = r.hits.iter().map(|h| h.client).collect();
        assert!(ids.contains(&ClientId(1)), "{name}: {ids:?}");
        // Client 3 (also a Zoe de Vries, same date) is in another region: never listed.
        assert!(!ids.contains(&ClientId(3)), "{name}: {ids:?}");
    }
    let r = search(
        &team,
        SearchKey::NameBirth {
            name: "de vries".into(),
            born: d("1990-04-01"),
        },
    )
    .expect("name");
    assert_eq!(
        r.hits.iter().map(|h| h.client).collect::<Vec<_>>(),
        [ClientId(1), ClientId(2)]
    );
    let r = search(
        &team,
        SearchKey::NameBirth {
            name: "zoe".into(),
            born: d("1990-04-02"),
        },
    )
    .expect("name");
    assert!(r.hits.is_empty());

    // By client number; another region's client is not found — and the search is logged.
    assert_eq!(
        search(&team, SearchKey::Client(ClientId(2)))
            .expect("nr")
            .hits[0]
            .client,
        ClientId(2)
    );
    let before = rows_of(store, "zoek.team").len();
    let r = search(&team, SearchKey::Client(ClientId(3))).expect("nr");
    assert!(r.hits.is_empty());
    let r2 = search(&team, SearchKey::Client(ClientId(99))).expect("nr");
    assert!(r2.hits.is_empty());
    let rows = rows_of(store, "zoek.team")[before..].to_vec();
    assert_eq!(rows.len(), 2, "one row per search without a result");
    assert!(
        rows.iter()
            .all(|e| e.action == SEARCH_ACTION && e.allowed && e.client.is_none())
    );
    assert!(rows[0].reason.contains("0 gevonden"), "{}", rows[0].reason);

    // The other region's team finds its own client by BSN, not ours.
    let other = clerk("nijmegen-rivierenland");
    assert!(
        search(&other, SearchKey::Bsn(zoe.bsn))
            .expect("bsn")
            .hits
            .is_empty()
    );

    // A wijkteam finds its own residents only.
    let duiven = gate(
        "zoek.wijk",
        Role::Wijkteam,
        Organisation::Gemeente(gm("GM0226")),
    );
    let arnhem = gate(
        "zoek.wijk2",
        Role::Wijkteam,
        Organisation::Gemeente(gm("GM0202")),
    );
    assert_eq!(
        search(&duiven, SearchKey::Bsn(zoe.bsn))
            .expect("w")
            .hits
            .len(),
        1
    );
    assert!(
        search(&arnhem, SearchKey::Bsn(zoe.bsn))
            .expect("w")
            .hits
            .is_empty()
    );
    // A provider finds nobody not allocated to it.
    let provider = gate(
        "zoek.aanbieder",
        Role::Zorgaanbieder,
        Organisation::Aanbieder(AgbCode::parse("98000101").expect("agb")),
    );
    assert!(
        search(&provider, SearchKey::Bsn(zoe.bsn))
            .expect("p")
            .hits
            .is_empty()
    );

    // The limit: three Piet Bakkers, two shown, and "more".
    let r = store
        .search_clients(
            &team,
            &SearchKey::NameBirth {
                name: "piet bakker".into(),
                born: d("1975-12-31"),
            },
            2,
        )
        .expect("limit");
    assert_eq!(r.hits.len(), 2);
    assert!(r.more);

    // A role that may not search: refused, and the refusal is logged.
    let auditor = gate("zoek.auditor", Role::Auditor, Organisation::Vangnet);
    assert!(matches!(
        search(&auditor, SearchKey::Bsn(zoe.bsn)),
        Err(StoreError::Denied(_))
    ));
    let rows = rows_of(store, "zoek.auditor");
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].allowed && rows[0].action == SEARCH_ACTION);

    // Never the BSN in clear in the log.
    let digits = zoe.bsn.digits();
    let all = store
        .access_log_filtered(
            &AccessGate::system("zoekverhaal"),
            &AccessLogFilter::newest(10_000),
        )
        .expect("log");
    assert!(
        all.iter()
            .all(|e| !e.purpose.contains(&digits) && !e.reason.contains(&digits))
    );

    // Correcting the person record: name and birth date, with a reason, logged.
    let fix = PersonCorrection {
        voornaam: "Zoë".into(),
        achternaam: "de Vries".into(),
        geboortedatum: d("1990-04-11"),
        reden: "typefout bij aanmelding".into(),
    };
    let no_reason = PersonCorrection {
        reden: " ".into(),
        ..fix.clone()
    };
    assert!(
        store
            .correct_person(&team, ClientId(1), &no_reason)
            .is_err()
    );
    assert!(matches!(
        store.correct_person(&provider, ClientId(1), &fix),
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        store.correct_person(&other, ClientId(1), &fix),
        Err(StoreError::Denied(_))
    ));
    let p = store.correct_person(&team, ClientId(1), &fix).expect("fix");
    assert_eq!((p.bsn, p.geboortedatum), (zoe.bsn, d("1990-04-11")));
    let rec = store.read_client(&team, ClientId(1)).expect("read");
    let stored = rec.person.expect("person");
    assert_eq!(
        (stored.achternaam.as_str(), stored.geboortedatum),
        ("de Vries", d("1990-04-11"))
    );
    let r = search(
        &team,
        SearchKey::NameBirth {
            name: "zoe de vries".into(),
            born: d("1990-04-11"),
        },
    )
    .expect("name");
    assert_eq!(r.hits.len(), 1);
    let rows = rows_of(store, "zoek.team");
    let fixed: Vec<&AccessEntry> = rows
        .iter()
        .filter(|e| e.action == PERSON_CORRECTION_ACTION)
        .collect();
    assert_eq!(
        fixed.len(),
        1,
        "the refused one without a reason is not a row"
    );
    assert!(fixed[0].allowed && fixed[0].reason.contains("typefout bij aanmelding"));
    assert_eq!(fixed[0].client, Some(ClientId(1)));
    let refused = rows_of(store, "zoek.aanbieder")
        .into_iter()
        .filter(|e| e.action == PERSON_CORRECTION_ACTION && !e.allowed)
        .count();
    assert_eq!(refused, 1);
    let refused = rows_of(store, "zoek.elders")
        .into_iter()
        .filter(|e| e.action == PERSON_CORRECTION_ACTION && !e.allowed)
        .count();
    assert_eq!(refused, 1);
}

/// A person with a closed case in one region is registered anew in another (the same
/// stream, through the gate's one exception); an open case elsewhere is refused with the
/// region to contact; who may not register learns nothing. Run on an empty store.
pub fn cross_region_story(store: &dyn Store) {
    use vangnet_domain::events::{Advies, ZRM_DOMAINS};
    let closed = person(601, "Sem", "Jansen", "1985-06-15");
    let open = person(602, "Noor", "Smit", "1987-01-20");
    register(store, 1, "centraal-gelderland", "GM0202", closed.clone());
    register(store, 2, "centraal-gelderland", "GM0202", open.clone());
    let cg = clerk("centraal-gelderland");
    let zrm = [Some(3u8); ZRM_DOMAINS];
    store
        .append(
            &cg,
            AppendCommand {
                client: ClientId(1),
                expected_version: Some(1),
                idempotency_key: None,
                events: vec![
                    (
                        d("2024-03-05"),
                        ClientEvent::Beoordeling {
                            criteria: vec![],
                            zrm,
                            doelgroep: None,
                            advies: Advies::Afwijzen,
                            behoeften: Vec::new(),
                        },
                    ),
                    (
                        d("2024-03-10"),
                        ClientEvent::Afwijzing {
                            reden: "geen BW nodig".into(),
                            casusregie: "wijkteam".into(),
                        },
                    ),
                ],
                person: None,
            },
        )
        .expect("refused case");
    let nr = clerk("nijmegen-rivierenland");
    let aanmelding = |regio: &str, herkomst: &str| ClientEvent::Aanmelding {
        regio: region(regio),
        melder: Melder::Zelf,
        herkomst_gemeente: Some(gm(herkomst)),
        woonsituatie: Woonsituatie::Dakloos,
        urgentie: Urgentie::Urgent,
        voordeur: None,
    };
    let probe = |client: u64, version: Option<u32>| AppendCommand {
        client: ClientId(client),
        expected_version: version,
        idempotency_key: None,
        events: vec![(
            d("2025-02-01"),
            aanmelding("nijmegen-rivierenland", "GM0268"),
        )],
        person: None,
    };
    // Before: the other region may not read the record.
    assert!(matches!(
        store.find_by_bsn(&nr, closed.bsn),
        Err(StoreError::Denied(_))
    ));
    // The lookup names the region of a closed case.
    let found = store
        .find_elsewhere(&nr, closed.bsn, &probe(0, None))
        .expect("lookup")
        .expect("known");
    assert_eq!(found.client, ClientId(1));
    assert_eq!(found.regio, region("centraal-gelderland"));
    assert!(found.regio_naam.contains("Centraal Gelderland"));
    assert!(found.lopend.is_none());
    // An open case elsewhere: refused, with the region to contact, and nothing written.
    let o = store
        .find_elsewhere(&nr, open.bsn, &probe(0, None))
        .expect("lookup")
        .expect("known");
    let rule = o.lopend.expect("open");
    assert_eq!(rule.code, "aanmelding.open_casus_andere_regio");
    assert!(rule.message.contains("neem contact op met de toegang van"));
    assert!(rule.message.contains("Centraal Gelderland"));
    let before = store.event_count().expect("count");
    assert!(matches!(
        store.append(&nr, probe(2, Some(1))),
        Err(StoreError::Denied(_))
    ));
    assert_eq!(store.event_count().expect("count"), before);
    // Who may not register learns nothing (refused, logged).
    let auditor = gate("zoek.auditor2", Role::Auditor, Organisation::Vangnet);
    assert!(matches!(
        store.find_elsewhere(&auditor, closed.bsn, &probe(0, None)),
        Err(StoreError::Denied(_))
    ));
    assert_eq!(rows_of(store, "zoek.auditor2").len(), 1);
    // Only an aanmelding passes the exception; not other facts, not a second fact with it.
    let mut two = probe(1, Some(found.version));
    two.events
        .push((d("2025-02-02"), ClientEvent::Bezwaar { reden: "x".into() }));
    assert!(matches!(
        store.append(&nr.clone().for_intake(closed.bsn), two),
        Err(StoreError::Denied(_))
    ));
    // A team registering for another region's new application is refused.
    let mut elsewhere = probe(1, Some(found.version));
    elsewhere.events[0].1 = aanmelding("drechtsteden", "GM0505");
    assert!(matches!(
        store.append(&nr.clone().for_intake(closed.bsn), elsewhere),
        Err(StoreError::Denied(_))
    ));
    // The new application goes into the person's stream; the record is now the new
    // region's.
    // Without the person's BSN on the gate (a client number alone, as on the API's event
    // route) the stream stays closed to the other region; with another person's BSN too.
    assert!(matches!(
        store.append(&nr, probe(1, Some(found.version))),
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        store.append(
            &nr.clone().for_intake(open.bsn),
            probe(1, Some(found.version))
        ),
        Err(StoreError::Denied(_))
    ));
    let intake = nr.clone().for_intake(closed.bsn);
    let receipt = store
        .append(&intake, probe(1, Some(found.version)))
        .expect("new application in the other region");
    assert_eq!(receipt.version, found.version + 1);
    let rec = store.read_client(&nr, ClientId(1)).expect("now readable");
    assert_eq!(rec.state.regio, region("nijmegen-rivierenland"));
    assert_eq!(rec.person.expect("same person").bsn, closed.bsn);
    assert!(matches!(
        store.read_client(&cg, ClientId(1)),
        Err(StoreError::Denied(_))
    ));
    // Logged: the lookups and the write.
    let rows = rows_of(store, "zoek.elders");
    assert!(
        rows.iter()
            .filter(|e| e.action == crate::elsewhere::ELSEWHERE_ACTION)
            .count()
            >= 2
    );
    assert!(rows.iter().any(|e| e.action == "schrijven"
        && e.allowed
        && e.client == Some(ClientId(1))
        && e.reason.contains("afgesloten")));
    // Rebuild equals incremental with the region change in the stream.
    let snap = store.snapshot().expect("snapshot");
    store.rebuild(&|_| {}).expect("rebuild");
    assert!(
        snap == store.snapshot().expect("snapshot"),
        "rebuild == incremental"
    );
}
