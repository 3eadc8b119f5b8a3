//! `vangnet user …` and `vangnet token …` end to end, by running the binary, on SQLite and
//! (with `VANGNET_TEST_DATABASE_URL`) PostgreSQL: the first beheerder from the command line,
//! a one-time password printed once that verifies against the stored hash, lists that never
//! show a hash, secret or token, reset / disable / enable, a token printed once and stored
//! only as its hash, revoke, refusals with a Dutch message and a non-zero exit, and the
//! access log naming the beheerder — its chain still verifies.

use std::sync::Arc;

mod common;

use common::{text, vangnet_on as vangnet};
use vangnet_domain::{Regions, Role};
use vangnet_store::accounts::AccountChange;
use vangnet_store::conformance::auditor;
use vangnet_store::{AccessGate, Store};

/// Run it, which must succeed; its standard output.
fn ok(url: &str, args: &[&str]) -> String {
    common::stdout(&common::succeeds(url, args))
}

fn fails(url: &str, args: &[&str], stdin: Option<&str>, message: &str) {
    let o = vangnet(url, args, stdin);
    assert!(!o.status.success(), "{args:?} should fail: {}", text(&o));
    assert!(text(&o).contains(message), "{args:?}: {}", text(&o));
}

/// The one-time password in the output (`… : xxxxx-xxxxx-xxxxx-xxxxx`).
fn printed_password(out: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.contains("wachtwoord") && l.contains("niet opnieuw getoond"))
        .unwrap_or_else(|| panic!("no password in {out}"));
    let pw = line
        .rsplit(": ")
        .next()
        .expect("password")
        .trim()
        .to_owned();
    assert_eq!(pw.len(), 23, "{pw}");
    pw
}

/// The story on the database at `url`, with `store` open on it and `dump` returning every
/// stored value of the users and api_tokens tables as text.
fn story(url: &str, store: &dyn Store, dump: &dyn Fn() -> String) {
    let accounts = store.accounts();
    assert!(ok(url, &["user", "list"]).contains("Nog geen gebruikers"));

    // The first beheerder, from the command line (the system, in the name of --door).
    let out = ok(
        url,
        &[
            "--door",
            "Eerste Beheerder",
            "user",
            "add",
            "beheer",
            "--rol",
            "beheerder",
            "--organisatie",
            "vangnet",
        ],
    );
    let first = printed_password(&out);
    let beheer = accounts.user("beheer").unwrap().expect("beheer exists");
    assert_eq!(beheer.actor.role, Role::Beheerder);
    assert!(beheer.must_change_password);
    let hash = beheer.password_hash.clone().expect("hash");
    assert!(vangnet_auth::password::verify(&first, &hash));
    assert!(!vangnet_auth::password::verify(
        "iets anders dan dat",
        &hash
    ));

    // The beheerder adds a clerk: logged in the beheerder's name and role.
    let door = ["--door", "beheer"];
    let out = ok(
        url,
        &[
            &door[..],
            &[
                "user",
                "add",
                "jan",
                "--naam",
                "Jan Jansen",
                "--rol",
                "toegangsmedewerker",
                "--organisatie",
                "regio:drechtsteden",
            ],
        ]
        .concat(),
    );
    let jan_first = printed_password(&out);
    assert_ne!(jan_first, first);

    // A chosen password from standard input: checked, not one-time.
    let add_piet = [
        "user",
        "add",
        "piet",
        "--rol",
        "auditor",
        "--organisatie",
        "vangnet",
        "--wachtwoord-stdin",
    ];
    fails(url, &add_piet, Some("te kort\n"), "minstens 12 tekens");
    let o = vangnet(url, &add_piet, Some("een heel goed wachtwoord\n"));
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("een heel goed wachtwoord"));
    let piet = accounts.user("piet").unwrap().expect("piet");
    assert!(!piet.must_change_password);
    assert!(vangnet_auth::password::verify(
        "een heel goed wachtwoord",
        piet.password_hash.as_deref().unwrap()
    ));

    // The list: every account, no hash, no password.
    let list = ok(url, &["user", "list"]);
    for id in ["beheer", "jan", "piet", "Jan Jansen", "regio:drechtsteden"] {
        assert!(list.contains(id), "{list}");
    }
    for secret in ["$argon2id", &first, &jan_first, "een heel goed wachtwoord"] {
        assert!(!list.contains(secret), "{list}");
    }

    // Refusals: duplicate, unknown, the system role, a region that does not exist.
    fails(
        url,
        &[
            "user",
            "add",
            "jan",
            "--rol",
            "wijkteam",
            "--organisatie",
            "gemeente:GM0505",
        ],
        None,
        "bestaat al",
    );
    fails(url, &["user", "disable", "niemand"], None, "bestaat niet");
    fails(
        url,
        &[
            "user",
            "add",
            "sys",
            "--rol",
            "systeem",
            "--organisatie",
            "vangnet",
        ],
        None,
        "onbekende rol",
    );
    fails(
        url,
        &[
            "user",
            "add",
            "x1",
            "--rol",
            "toegangsmedewerker",
            "--organisatie",
            "regio:atlantis",
        ],
        None,
        "niet geladen",
    );
    fails(
        url,
        &[
            "user",
            "add",
            "x2",
            "--rol",
            "wijkteam",
            "--organisatie",
            "vangnet",
        ],
        None,
        "past niet bij organisatie",
    );

    // Reset: a new one-time password; the old one no longer verifies; with the flag the
    // second factor is gone too; the lock-out is lifted.
    accounts
        .update_user(
            &AccessGate::system("test"),
            "jan",
            AccountChange::Totp(Some("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into())),
        )
        .unwrap();
    for _ in 0..5 {
        accounts
            .login_failed("jan", vangnet_store::time::now())
            .unwrap();
    }
    assert!(
        accounts
            .user("jan")
            .unwrap()
            .unwrap()
            .locked_until
            .is_some()
    );
    let out = ok(url, &[&door[..], &["user", "reset", "jan"]].concat());
    let second = printed_password(&out);
    let jan = accounts.user("jan").unwrap().unwrap();
    let h = jan.password_hash.as_deref().unwrap();
    assert!(vangnet_auth::password::verify(&second, h));
    assert!(!vangnet_auth::password::verify(&jan_first, h));
    assert!(jan.must_change_password && jan.totp_secret.is_some());
    assert_eq!((jan.failed_logins, jan.locked_until), (0, None));
    let out = ok(
        url,
        &[&door[..], &["user", "reset", "jan", "--tweede-factor"]].concat(),
    );
    assert!(out.contains("tweede factor is gewist"), "{out}");
    assert!(accounts.user("jan").unwrap().unwrap().totp_secret.is_none());

    // Disable and enable.
    ok(url, &[&door[..], &["user", "disable", "jan"]].concat());
    assert!(accounts.user("jan").unwrap().unwrap().disabled);
    assert!(ok(url, &["user", "list"]).contains("geblokkeerd"));
    ok(url, &[&door[..], &["user", "enable", "jan"]].concat());
    assert!(!accounts.user("jan").unwrap().unwrap().disabled);

    // A token: printed once, stored as its hash, found by it; never listed; revoked.
    let out = ok(
        url,
        &[
            &door[..],
            &[
                "token",
                "add",
                "koppeling aanbieder",
                "--rol",
                "zorgaanbieder",
                "--organisatie",
                "aanbieder:98000401",
                "--feiten",
                "start_zorg,mo_overnachting",
                "--dagen",
                "30",
            ],
        ]
        .concat(),
    );
    let token = out.lines().last().expect("token line").trim().to_owned();
    assert_eq!(token.len(), 43, "{out}");
    let token_hash = vangnet_auth::secret::token_hash(&token);
    let found = accounts
        .token_by_hash(&token_hash)
        .unwrap()
        .expect("token valid");
    assert_eq!(found.facts, ["start_zorg", "mo_overnachting"]);
    assert_eq!(found.created_by, "beheer");
    let list = ok(url, &["token", "list"]);
    assert!(
        list.contains(&found.id) && list.contains("geldig"),
        "{list}"
    );
    assert!(
        !list.contains(&token) && !list.contains(&token_hash),
        "{list}"
    );
    // A token of no days, or for a fact kind that does not exist.
    for (feiten, dagen, message) in [
        ("start_zorg", "0", "--dagen"),
        ("toverspreuk", "3", "geen soort feit"),
    ] {
        fails(
            url,
            &[
                "token",
                "add",
                "x",
                "--rol",
                "zorgaanbieder",
                "--organisatie",
                "aanbieder:98000401",
                "--feiten",
                feiten,
                "--dagen",
                dagen,
            ],
            None,
            message,
        );
    }
    ok(url, &[&door[..], &["token", "revoke", &found.id]].concat());
    assert_eq!(accounts.token_by_hash(&token_hash).unwrap(), None);
    assert!(ok(url, &["token", "list"]).contains("ingetrokken"));
    fails(url, &["token", "revoke", "t-niemand"], None, "bestaat niet");

    // The database holds no password and no token in plain text.
    let stored = dump();
    assert!(stored.contains(&token_hash));
    for secret in [
        first.as_str(),
        &jan_first,
        &second,
        &token,
        "een heel goed wachtwoord",
    ] {
        assert!(!stored.contains(secret), "{secret} stored in plain text");
    }

    // The log names who managed: the first beheerder by --door as the system's job, the
    // rest by the beheerder account; the chain verifies.
    let log = store.access_log(&auditor(), 1_000).unwrap();
    let manage: Vec<_> = log
        .iter()
        .filter(|r| r.action.starts_with("beheer_"))
        .collect();
    assert!(
        manage
            .iter()
            .any(|r| r.user == "Eerste Beheerder"
                && r.purpose.contains("gebruiker beheer aangemaakt"))
    );
    assert!(manage.iter().any(|r| r.user == "beheer"
        && r.role == "beheerder"
        && r.purpose.contains("gebruiker jan aangemaakt")));
    assert!(
        manage
            .iter()
            .any(|r| r.action == "beheer_token" && r.purpose.contains("ingetrokken"))
    );
    assert!(ok(url, &["audit", "verify"]).contains("OK"));
}

#[test]
fn users_and_tokens_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("users.sqlite");
    let url = db.display().to_string();
    ok(&url, &["migrate"]);
    let store: Arc<dyn Store> =
        Arc::new(vangnet_store_sqlite::SqliteStore::open(&db, Regions::builtin()).unwrap());
    let dump = || {
        let c = rusqlite::Connection::open(&db).unwrap();
        let mut out = String::new();
        for sql in [
            "SELECT id || naam || role || organisation || COALESCE(password_hash, '') || COALESCE(totp_secret, '') FROM users",
            "SELECT id || token_hash || naam || facts || created_by FROM api_tokens",
        ] {
            let mut st = c.prepare(sql).unwrap();
            for row in st.query_map([], |r| r.get::<_, String>(0)).unwrap() {
                out.push_str(&row.unwrap());
                out.push('\n');
            }
        }
        out
    };
    story(&url, &*store, &dump);
}

#[test]
fn users_and_tokens_on_postgresql() {
    let Some(base) = vangnet_store_postgres::testing::test_database_url() else {
        return;
    };
    let schema = format!("t_users_cli_{}", std::process::id());
    let url = vangnet_store_postgres::testing::reset_schema(&base, &schema).unwrap();
    let store: Arc<dyn Store> =
        Arc::new(vangnet_store_postgres::PostgresStore::connect(&url, Regions::builtin()).unwrap());
    let dump = || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let mut out = String::new();
        for sql in [
            "SELECT id || naam || role || organisation || COALESCE(password_hash, '') || COALESCE(totp_secret, '') FROM users",
            "SELECT id || token_hash || naam || facts || created_by FROM api_tokens",
        ] {
            for row in c.query(sql, &[]).unwrap() {
                out.push_str(&row.get::<_, String>(0));
                out.push('\n');
            }
        }
        out
    };
    story(&url, &*store, &dump);
    drop(store);
    let _ = vangnet_store_postgres::testing::drop_schema(&base, &schema);
}
