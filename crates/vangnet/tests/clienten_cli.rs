//! `vangnet clienten bewaartermijn` end to end on both engines (PostgreSQL when
//! `VANGNET_TEST_DATABASE_URL` is set): it needs a person (`--door`), a dry run lists and
//! deletes nothing, `--uitvoeren` deletes the clients past their period one by one and
//! reports each, refuses (and reports) one still within its period, and the access log
//! still verifies.

mod common;

use common::{text, vangnet_at as vangnet};

use vangnet_domain::events::{Melder, Urgentie, Woonsituatie};
use vangnet_domain::{ClientEvent, ClientId, GemeenteCode, RegionId};
use vangnet_store::conformance::{clerk, write_new};
use vangnet_store::{AccessGate, Store, StoreError};

fn refused(on: &'static str, then: &'static str) -> Vec<(&'static str, ClientEvent)> {
    vec![
        (
            on,
            ClientEvent::Aanmelding {
                regio: RegionId::parse("centraal-gelderland").unwrap(),
                melder: Melder::Wijkteam,
                herkomst_gemeente: Some(GemeenteCode::parse("GM0226").unwrap()),
                woonsituatie: Woonsituatie::Thuis,
                urgentie: Urgentie::Regulier,
                voordeur: None,
            },
        ),
        (
            then,
            ClientEvent::Afwijzing {
                reden: "geen beschermd wonen nodig".into(),
                casusregie: "wijkteam".into(),
            },
        ),
    ]
}

/// Clients 1 and 3 were refused long ago (past the period), 2 in 2020 (within it).
fn seed(store: &dyn Store) {
    write_new(store, 1, refused("2004-05-01", "2004-06-01"));
    write_new(store, 2, refused("2020-03-01", "2020-03-20"));
    write_new(store, 3, refused("2003-01-10", "2003-02-01"));
}

fn story(url: &str, open: &dyn Fn() -> Box<dyn Store>) {
    seed(&*open());
    let args = ["clienten", "bewaartermijn"];
    // No person, no deletion.
    let o = vangnet(url, &args);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("--door NAAM is verplicht"),
        "{}",
        text(&o)
    );

    let door = ["--door", "B. Smit"];
    let o = vangnet(url, &[&door[..], &args].concat());
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    for s in [
        "laatste gebeurtenis vóór",
        ": 2 cliënten.",
        "P00000003  afgewezen     laatste gebeurtenis 2003-02-01",
        "P00000001  afgewezen     laatste gebeurtenis 2004-06-01",
        "Proefdraai: er is niets verwijderd",
    ] {
        assert!(t.contains(s), "{s}: {t}");
    }
    assert!(open().read_client(&clerk(), ClientId(1)).is_ok());

    // --voor beyond the period: 2 is listed, and refused by the store.
    let o = vangnet(
        url,
        &[
            &door[..],
            &args,
            &[
                "--voor",
                "2021-01-01",
                "--uitvoeren",
                "--reden",
                "jaarlijkse opschoning",
            ],
        ]
        .concat(),
    );
    let t = text(&o);
    assert!(!o.status.success(), "a refusal makes the run fail: {t}");
    for s in [
        ": 3 cliënten.",
        "Let op: 2021-01-01 ligt na de grens",
        "P00000003  afgewezen     laatste gebeurtenis 2003-02-01: verwijderd (2 gebeurtenissen",
        "P00000001  afgewezen     laatste gebeurtenis 2004-06-01: verwijderd (2 gebeurtenissen",
        "P00000002  afgewezen     laatste gebeurtenis 2020-03-20: NIET verwijderd: geen toegang: cliënt P00000002 is niet over de bewaartermijn",
        "2 cliënten verwijderd, 1 niet.",
    ] {
        assert!(t.contains(s), "{s}: {t}");
    }
    let store = open();
    for c in [1, 3] {
        // A person gets the one refusal for "not yours" and "does not exist"; the system NotFound.
        assert!(matches!(
            store.read_client(&clerk(), ClientId(c)),
            Err(StoreError::Denied(_))
        ));
        assert!(matches!(
            store.read_client(&AccessGate::system("test"), ClientId(c)),
            Err(StoreError::NotFound(_))
        ));
    }
    assert!(store.read_client(&clerk(), ClientId(2)).is_ok());
    assert_eq!(store.next_client_id().unwrap(), ClientId(4));
    drop(store);
    let o = vangnet(url, &[&door[..], &["audit", "verify"]].concat());
    assert!(
        o.status.success() && text(&o).contains("OK: "),
        "{}",
        text(&o)
    );
    // Nothing left past the period.
    let t = text(&vangnet(url, &[&door[..], &args].concat()));
    assert!(t.contains(": 0 cliënten."), "{t}");
}

#[test]
fn clienten_bewaartermijn_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let url = db.display().to_string();
    let open = || -> Box<dyn Store> {
        Box::new(
            vangnet_store_sqlite::SqliteStore::open(&db, vangnet_domain::Regions::builtin())
                .unwrap(),
        )
    };
    story(&url, &open);
}

#[test]
fn clienten_bewaartermijn_on_postgresql() {
    let Some(base) = vangnet_store_postgres::testing::test_database_url() else {
        return;
    };
    let schema = format!("t_clienten_cli_{}", std::process::id());
    let url = vangnet_store_postgres::testing::reset_schema(&base, &schema).unwrap();
    let open = || -> Box<dyn Store> {
        Box::new(
            vangnet_store_postgres::PostgresStore::connect(
                &url,
                vangnet_domain::Regions::builtin(),
            )
            .unwrap(),
        )
    };
    story(&url, &open);
    let _ = vangnet_store_postgres::testing::drop_schema(&base, &schema);
}
