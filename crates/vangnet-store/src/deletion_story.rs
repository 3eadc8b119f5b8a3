//! The deletion story every engine runs ([`deletion_story`]): a client past its retention
//! period is deleted and gone from every reading path, the access log still verifies and
//! rebuilds give the same projections; refusals (wrong actor, not past retention) and an
//! interrupted deletion change nothing; the id, the sequence numbers and the idempotency
//! keys of the deleted client never come back. Panics on the first deviation.

use vangnet_domain::events::{Melder, Urgentie, Woonsituatie};
use vangnet_domain::person::synthetic_person;
use vangnet_domain::rng::Rng;
use vangnet_domain::{
    Actor, ClientEvent, ClientId, Date, GemeenteCode, Organisation, RecordedEvent, RegionId, Role,
};

use crate::conformance::auditor;
use crate::deletion::DELETION_ACTION;
use crate::import::{ImportMode, ImportRow};
use crate::{AccessGate, AccessLogFilter, AppendCommand, Store, StoreError};

fn d(s: &str) -> Date {
    Date::parse(s).expect("test date")
}

fn region() -> RegionId {
    RegionId::parse("centraal-gelderland").expect("id")
}

fn clerk() -> AccessGate {
    AccessGate::new(
        Actor {
            user: "t.jansen".into(),
            role: Role::Toegangsmedewerker,
            organisation: Organisation::Regio(region()),
        },
        "verwijderverhaal",
    )
}

/// The deletion job as the command line starts it, in the name of `b.smit`.
fn job() -> AccessGate {
    AccessGate::job(
        Actor {
            user: "b.smit".into(),
            role: Role::Systeem,
            organisation: Organisation::Vangnet,
        },
        "bewaartermijn_clienten",
    )
}

fn aanmelding() -> ClientEvent {
    ClientEvent::Aanmelding {
        regio: region(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: Some(GemeenteCode::parse("GM0226").expect("code")),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    }
}

fn afwijzing() -> ClientEvent {
    ClientEvent::Afwijzing {
        reden: "geen beschermd wonen nodig".into(),
        casusregie: "wijkteam".into(),
    }
}

fn new_client(client: u64, on: &str, key: Option<&str>) -> AppendCommand {
    AppendCommand {
        client: ClientId(client),
        expected_version: None,
        idempotency_key: key.map(str::to_owned),
        events: vec![(d(on), aanmelding())],
        person: Some(synthetic_person(
            &mut Rng::new(client),
            client as u32,
            d("1980-04-01"),
        )),
    }
}

fn then(client: u64, version: u32, on: &str, e: ClientEvent) -> AppendCommand {
    AppendCommand {
        client: ClientId(client),
        expected_version: Some(version),
        idempotency_key: None,
        events: vec![(d(on), e)],
        person: None,
    }
}

fn export(store: &dyn Store) -> Vec<RecordedEvent> {
    let mut out = Vec::new();
    store
        .export(&AccessGate::system("export"), &mut |e| {
            out.push(e);
            Ok(())
        })
        .expect("export");
    out
}

/// The access-log rows about `client` (newest first), read as the auditor.
fn rows_about(store: &dyn Store, client: u64) -> Vec<crate::AccessEntry> {
    store
        .access_log_filtered(
            &auditor(),
            &AccessLogFilter {
                client: Some(ClientId(client)),
                limit: 10_000,
                ..AccessLogFilter::default()
            },
        )
        .expect("auditor reads the log")
}

/// Everything that must not change when a deletion is refused or interrupted.
fn state_of(store: &dyn Store) -> (u64, u64, crate::ProjectionSnapshot, Vec<RecordedEvent>) {
    (
        store.event_count().expect("count"),
        store.high_water_mark().expect("hwm"),
        store.snapshot().expect("snapshot"),
        export(store),
    )
}

/// The story. `raw` runs SQL on the store's database around the store; `break_deletion`
/// is SQL that makes the last step of a deletion (recording it in `deleted_clients`) fail,
/// `repair` undoes it. Use a fresh store.
pub fn deletion_story(
    store: &dyn Store,
    raw: &dyn Fn(&str) -> Result<(), String>,
    break_deletion: &str,
    repair: &str,
) {
    let c = clerk();
    // 3: in care now; 4: refused in 2020 (closed, but within the period); 8 and 9: refused
    // in 2004/2005 (past the period). 9 is written last: it holds the highest id and the
    // highest sequence numbers, and its aanmelding carries an idempotency key.
    store
        .append(&c, new_client(3, "2024-01-10", None))
        .expect("3");
    for (v, e) in [
        (
            1,
            ClientEvent::Toewijzing {
                product: vangnet_domain::ProductCode::parse("bw-groepswonen").expect("code"),
                start: d("2024-02-01"),
                einde: d("2026-01-31"),
                leveringsvorm: vangnet_domain::events::Leveringsvorm::Zin,
                aanbieder: Some(vangnet_domain::AgbCode::parse("98000101").expect("agb")),
            },
        ),
        (
            2,
            ClientEvent::StartZorg {
                product: vangnet_domain::ProductCode::parse("bw-groepswonen").expect("code"),
                locatie: vangnet_domain::LocationId::parse("rijnbeschut-arnhem-centrum")
                    .expect("id"),
                overbezetting: None,
            },
        ),
    ] {
        store
            .append(&c, then(3, v, "2024-02-01", e))
            .expect("3 in care");
    }
    // Refused clients: 4 recently, 8 long ago.
    for (client, applied, refused) in [
        (4, "2020-03-01", "2020-03-20"),
        (8, "2004-05-01", "2004-06-01"),
    ] {
        store
            .append(&c, new_client(client, applied, None))
            .unwrap_or_else(|e| panic!("{client}: {e:?}"));
        store
            .append(&c, then(client, 1, refused, afwijzing()))
            .unwrap_or_else(|e| panic!("{client} refused: {e:?}"));
    }
    let key = "aanmelding-9-sleutel";
    let first = new_client(9, "2005-01-10", Some(key));
    let bsn9 = first.person.as_ref().expect("person").bsn;
    store.append(&c, first.clone()).expect("9");
    store
        .append(&c, then(9, 1, "2005-02-01", afwijzing()))
        .expect("9 refused");
    store.read_client(&c, ClientId(9)).expect("9 readable");
    let rows_9_before = rows_about(store, 9).len();
    assert!(rows_9_before >= 3, "the log has rows about client 9");
    let before = state_of(store);
    let hwm = before.1;

    // Refused: not a job started by a person — nothing changes, the refusal is logged.
    for gate in [c.clone(), AccessGate::system("verwijderen")] {
        match store.delete_client_data(&gate, ClientId(9), "opschonen") {
            Err(StoreError::Denied(_)) => {}
            other => panic!("{} may not delete: {other:?}", gate.actor().user),
        }
    }
    let refused = rows_about(store, 9)
        .into_iter()
        .filter(|e| e.action == DELETION_ACTION && !e.allowed)
        .count();
    assert_eq!(refused, 2, "both refusals are in the log");
    // Refused: not past retention (in care; closed too recently); unknown client.
    for (client, why) in [
        (3, "niet afgesloten"),
        (4, "laatste gebeurtenis 2020-03-20"),
    ] {
        match store.delete_client_data(&job(), ClientId(client), "opschonen") {
            Err(StoreError::Denied(m)) => assert!(m.contains(why), "{client}: {m}"),
            other => panic!("{client} is not past retention: {other:?}"),
        }
        assert!(
            rows_about(store, client)
                .iter()
                .any(|e| e.action == DELETION_ACTION && !e.allowed && e.user == "b.smit"),
            "the refusal for {client} is logged in the person's name"
        );
    }
    assert!(matches!(
        store.delete_client_data(&job(), ClientId(77), "opschonen"),
        Err(StoreError::NotFound(_))
    ));
    // An empty reason is refused.
    assert!(matches!(
        store.delete_client_data(&job(), ClientId(9), " "),
        Err(StoreError::Denied(_))
    ));
    assert!(
        state_of(store) == before,
        "a refused deletion changes nothing"
    );

    // Interrupted: the last step fails — everything stays, nothing is logged as done.
    raw(break_deletion).expect("break the deletion");
    let err = store
        .delete_client_data(&job(), ClientId(8), "opschonen")
        .expect_err("the deletion is interrupted");
    assert!(!matches!(err, StoreError::Denied(_)), "{err:?}");
    raw(repair).expect("repair");
    assert!(
        state_of(store) == before,
        "an interrupted deletion leaves everything"
    );
    assert!(
        store.read_client(&c, ClientId(8)).is_ok(),
        "8 still readable"
    );
    assert!(
        !rows_about(store, 8)
            .iter()
            .any(|e| e.action == DELETION_ACTION),
        "no deletion row for an interrupted deletion"
    );

    // The deletion.
    let report = store
        .delete_client_data(&job(), ClientId(9), "jaarlijkse opschoning")
        .expect("9 is past retention");
    assert_eq!(
        (
            report.client,
            report.events,
            report.commands,
            report.person,
            report.last_fact
        ),
        (ClientId(9), 2, 1, true, d("2005-02-01"))
    );
    assert!(
        report.archived_cells > 0,
        "an aanmelding and an afwijzing count in the monitor"
    );
    // Gone from every reading path.
    // (A person gets the one refusal for "not yours" and "does not exist"; the system NotFound.)
    assert!(matches!(
        store.read_client(&c, ClientId(9)),
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        store.read_client(&AccessGate::system("test"), ClientId(9)),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.find_by_bsn(&c, bsn9).expect("lookup"), None);
    assert!(
        store
            .waitlist(&c, &region(), 1000)
            .expect("waitlist")
            .iter()
            .all(|w| w.client != ClientId(9))
    );
    assert!(
        store
            .worklist(&c, &region(), d("2100-01-01"), 1000)
            .expect("worklist")
            .iter()
            .all(|w| w.client != ClientId(9))
    );
    let after = export(store);
    assert!(after.iter().all(|e| e.client != ClientId(9)));
    let others: Vec<_> = before
        .3
        .iter()
        .filter(|e| e.client != ClientId(9))
        .cloned()
        .collect();
    assert_eq!(after, others, "every other event is untouched");
    assert_eq!(store.event_count().expect("count"), before.0 - 2);
    let (_, due) = store
        .clients_past_retention(&job(), d("2011-01-01"), 100)
        .expect("listing");
    assert_eq!(
        due.iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![ClientId(8)]
    );
    // Projections: exactly the client's rows are gone; the monitor's counts stay.
    let snap = store.snapshot().expect("snapshot");
    let mut expected = before.2.clone();
    expected.clients.retain(|(id, _)| *id != 9);
    expected.waiting.retain(|w| w.client != 9);
    expected.deadlines.retain(|w| w.client != 9);
    assert!(snap == expected, "only client 9's projection rows go");
    assert!(!snap.monitor.is_empty());
    // A rebuild from the remaining events gives the same projections (the archive).
    store.rebuild(&|_| {}).expect("rebuild");
    assert!(
        store.snapshot().expect("snapshot") == expected,
        "rebuild after a deletion"
    );
    store.rebuild_monitor(&|_| {}).expect("rebuild monitor");
    assert!(
        store.snapshot().expect("snapshot") == expected,
        "monitor rebuild after a deletion"
    );
    crate::conformance::monitor_index_matches_table(store);

    // The log: the rows about 9 stay, one chained row records the deletion, it verifies.
    let rows = rows_about(store, 9);
    assert!(rows.len() > rows_9_before);
    let done: Vec<_> = rows
        .iter()
        .filter(|e| e.action == DELETION_ACTION && e.allowed)
        .collect();
    assert_eq!(done.len(), 1, "one row records the deletion");
    assert_eq!(done[0].user, "b.smit");
    assert!(
        done[0].reason.starts_with("jaarlijkse opschoning"),
        "{}",
        done[0].reason
    );
    let chain = store.verify_access_log(&auditor()).expect("verify");
    assert!(chain.ok(), "{chain}");

    // The high-water mark rose by the deletion's number; ids and numbers never come back.
    assert_eq!(report.seq, hwm + 1);
    assert_eq!(store.high_water_mark().expect("hwm"), hwm + 1);
    assert_eq!(store.next_client_id().expect("next id"), ClientId(10));
    // The same request again, with its idempotency key: no replay, nothing written.
    let n = store.event_count().expect("count");
    match store.append(&c, first) {
        Err(StoreError::Replay { .. }) | Ok(_) => panic!("a deleted client's key replays"),
        Err(e) => assert!(e.to_string().contains("verwijderd"), "{e}"),
    }
    // An import of an old export cannot bring it back either.
    let old: Vec<_> = before
        .3
        .iter()
        .filter(|e| e.client == ClientId(9))
        .collect();
    let mut rows = old.iter().map(|e| {
        Ok(ImportRow {
            client: e.client,
            version: None,
            effective: e.effective,
            actor: Some(e.actor.clone()),
            recorded_at: Some(e.recorded_at),
            event: e.event.clone(),
            seq: Some(e.seq),
            line: 0,
        })
    });
    let imported = store.import(
        &AccessGate::system("import"),
        &mut rows,
        ImportMode::AllOrNothing,
        &|_| {},
    );
    assert!(
        imported.as_ref().map_or(true, |r| r.imported == 0),
        "{imported:?}"
    );
    assert_eq!(store.event_count().expect("count"), n);
    // (A person gets the one refusal for "not yours" and "does not exist"; the system NotFound.)
    assert!(matches!(
        store.read_client(&c, ClientId(9)),
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        store.read_client(&AccessGate::system("test"), ClientId(9)),
        Err(StoreError::NotFound(_))
    ));
    // The next event gets a number above the deletion's.
    let r = store
        .append(&c, new_client(10, "2025-01-10", Some(key)))
        .expect("10");
    assert_eq!(r.first_seq, hwm + 2);
    assert_eq!(store.high_water_mark().expect("hwm"), hwm + 2);
    // Deleting again: not found.
    assert!(matches!(
        store.delete_client_data(&job(), ClientId(9), "nogmaals"),
        Err(StoreError::NotFound(_))
    ));
    assert!(store.verify_access_log(&auditor()).expect("verify").ok());
}
