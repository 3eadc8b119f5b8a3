//! `vangnet audit` end to end on both engines (PostgreSQL when `VANGNET_TEST_DATABASE_URL`
//! is set): jobs are logged in the name of `--door` (else the user id), `audit verify` says OK with the count
//! and last hash, `anchor` and `retention` run, and after tampering `verify` names the row
//! and exits non-zero.

mod common;

use common::{text, vangnet_at as vangnet};

/// Run it, which must succeed; what it printed.
fn ok(url: &str, args: &[&str]) -> String {
    text(&common::succeeds(url, args))
}

/// The story on the database at `url`; `raw` runs SQL around Vangnet, `drop_guards` drops
/// the update trigger, `people` lists (user, action) of the log.
fn story(
    url: &str,
    raw: &dyn Fn(&str),
    people: &dyn Fn() -> Vec<(String, String)>,
    drop_guards: &str,
    dir: &std::path::Path,
) {
    let door = ["--door", "Test Beheerder"];
    // Without --door, $USER and $LOGNAME the job names the user id.
    ok(url, &["rebuild", "--monitor"]);
    let log = people();
    assert!(
        log.iter()
            .any(|(u, a)| u.starts_with("uid ") && a == "monitor_herbouwen"),
        "{log:?}"
    );
    ok(url, &[&door[..], &["rebuild"]].concat());
    let out = dir.join("export.jsonl");
    ok(
        url,
        &[&door[..], &["export", &out.display().to_string()]].concat(),
    );
    let log = people();
    assert!(
        log.contains(&("Test Beheerder".into(), "herbouwen".into())),
        "{log:?}"
    );
    assert!(
        log.contains(&("Test Beheerder".into(), "export".into())),
        "{log:?}"
    );

    let t = ok(url, &[&door[..], &["audit", "verify"]].concat());
    assert!(
        t.contains("OK: 3 rijen gecontroleerd (rij 1 t/m 3), laatste hash "),
        "{t}"
    );
    let t = ok(url, &[&door[..], &["audit", "anchor"]].concat());
    assert!(t.contains("Anker op rij 4: hash "), "{t}");
    let t = ok(url, &[&door[..], &["audit", "retention"]].concat());
    for s in [
        "Bewaartermijnen",
        "Stcrt. 2019, 38007",
        "(aanname)",
        "Geen rijen over hun bewaartermijn",
        "vangnet clienten bewaartermijn --uitvoeren --door NAAM",
    ] {
        assert!(t.contains(s), "{s}: {t}");
    }
    let t = ok(url, &[&door[..], &["audit", "verify"]].concat());
    assert!(t.contains("OK: ") && t.contains("1 ankers kloppen"), "{t}");

    // An attacker with database access changes row 2.
    raw(drop_guards);
    raw("UPDATE access_log SET actor_user = 'iemand anders' WHERE id = 2");
    let o = vangnet(url, &[&door[..], &["audit", "verify"]].concat());
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("GEBROKEN bij rij 2: rij 2: de inhoud past niet bij de hash"),
        "{}",
        text(&o)
    );
}

#[test]
fn audit_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("vangnet-audit-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("audit.sqlite");
    let url = db.display().to_string();
    ok(&url, &["migrate"]);
    let raw = |sql: &str| {
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute_batch(sql)
            .unwrap()
    };
    let people = || {
        let c = rusqlite::Connection::open(&db).unwrap();
        let mut st = c
            .prepare("SELECT actor_user, action FROM access_log ORDER BY id")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    };
    story(
        &url,
        &raw,
        &people,
        "DROP TRIGGER access_log_no_update",
        &dir,
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn audit_on_postgresql() {
    let Some(base) = vangnet_store_postgres::testing::test_database_url() else {
        return;
    };
    let schema = format!("t_audit_cli_{}", std::process::id());
    let url = vangnet_store_postgres::testing::reset_schema(&base, &schema).unwrap();
    let dir = std::env::temp_dir().join(format!("vangnet-audit-cli-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    ok(&url, &["migrate"]);
    let raw = |sql: &str| {
        postgres::Client::connect(&url, postgres::NoTls)
            .unwrap()
            .batch_execute(sql)
            .unwrap()
    };
    let people = || {
        postgres::Client::connect(&url, postgres::NoTls)
            .unwrap()
            .query("SELECT actor_user, action FROM access_log ORDER BY id", &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    story(
        &url,
        &raw,
        &people,
        "DROP TRIGGER access_log_guard ON access_log",
        &dir,
    );
    let _ = vangnet_store_postgres::testing::drop_schema(&base, &schema);
    let _ = std::fs::remove_dir_all(&dir);
}
