//! The accounts story every engine runs (`cargo test -p vangnet-store-sqlite accounts`,
//! and on PostgreSQL with `VANGNET_TEST_DATABASE_URL`): accounts created, refused and
//! changed, sessions ended by changes and expired by time, the lock-out, the TOTP step's
//! compare-and-set, API tokens, and management's rows in the access log, whose chain still
//! verifies. Panics on the first difference.

use vangnet_domain::clock::Timestamp;
use vangnet_domain::{Actor, AgbCode, Organisation, RegionId, Role};

use super::*;
use crate::conformance::auditor;
use crate::{AccessGate, Store};

const MIN: i64 = 60_000;

/// A beheerder of Vangnet.
pub fn beheerder() -> AccessGate {
    AccessGate::new(
        Actor {
            user: "b.beheer".into(),
            role: Role::Beheerder,
            organisation: Organisation::Vangnet,
        },
        "accountbeheer",
    )
}

fn clerk_actor(user: &str) -> Actor {
    Actor {
        user: user.into(),
        role: Role::Toegangsmedewerker,
        organisation: Organisation::Regio(RegionId::parse("drechtsteden").expect("id")),
    }
}

/// A PHC string in the stored form; the store never verifies it (that is the web's job
/// with `vangnet_auth::password::verify`), so no 19 MiB hash is computed per test.
fn phc(tag: &str) -> String {
    format!("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ${tag}")
}

fn at(ms: i64) -> Timestamp {
    from_millis(ms).expect("instant")
}

fn new_account(id: &str) -> NewAccount {
    NewAccount {
        id: id.into(),
        naam: format!("Medewerker {id}"),
        actor: clerk_actor("wordt-vervangen"),
        password_hash: phc("eerste"),
        must_change_password: true,
    }
}

fn session(user: &str, stage: SessionStage, created: i64, seen: i64) -> Session {
    Session {
        user: user.into(),
        stage,
        csrf: format!("csrf-{created}"),
        demo: false,
        created_at: at(created),
        last_seen: at(seen),
        address: Some("127.0.0.1".into()),
    }
}

/// Every part of the story, in order, on a fresh store.
pub fn run_all(store: &dyn Store) {
    accounts_created_and_refused(store);
    changes_end_sessions(store);
    lock_out(store);
    totp_steps(store);
    session_expiry(store);
    api_tokens(store);
    management_is_logged_and_the_chain_verifies(store);
}

/// Create, duplicate, unknown, bad input, and management refused for non-beheerders.
pub fn accounts_created_and_refused(store: &dyn Store) {
    let a = store.accounts();
    let before = crate::time::now();
    a.create_user(&beheerder(), new_account("jan"))
        .expect("create");
    let jan = a.user("jan").expect("read").expect("exists");
    assert_eq!(jan.id, "jan");
    assert_eq!(jan.actor, clerk_actor("jan"), "actor.user is the id");
    assert_eq!(jan.naam, "Medewerker jan");
    assert_eq!(jan.password_hash.as_deref(), Some(phc("eerste").as_str()));
    assert!(jan.must_change_password && !jan.disabled);
    assert_eq!((jan.totp_secret.clone(), jan.totp_last_step), (None, None));
    assert_eq!((jan.failed_logins, jan.locked_until), (0, None));
    assert!(jan.created_at >= before && jan.created_at <= crate::time::now());
    assert!(
        !format!("{jan:?}").contains("eerste"),
        "Debug hides the hash"
    );

    assert!(matches!(
        a.create_user(&beheerder(), new_account("jan")),
        Err(StoreError::AccountConflict(_))
    ));
    assert_eq!(a.user("piet").expect("read"), None);
    assert!(matches!(
        a.update_user(&beheerder(), "piet", AccountChange::Disabled(true)),
        Err(StoreError::AccountNotFound(_))
    ));
    for bad in [
        NewAccount {
            id: "Jan Hoofdletter".into(),
            ..new_account("x")
        },
        NewAccount {
            actor: Actor::system("x"),
            ..new_account("sys")
        },
        NewAccount {
            actor: Actor {
                organisation: Organisation::Vangnet,
                ..clerk_actor("x")
            },
            ..new_account("mismatch")
        },
        NewAccount {
            password_hash: "plain text".into(),
            ..new_account("plain")
        },
    ] {
        let id = bad.id.clone();
        assert!(
            matches!(
                a.create_user(&beheerder(), bad),
                Err(StoreError::Invalid(_))
            ),
            "{id}"
        );
    }
    // Only the beheerder and the system manage; a job gate in a beheerder's name is the system.
    let clerk = AccessGate::new(clerk_actor("t.clerk"), "poging");
    assert!(matches!(
        a.create_user(&clerk, new_account("stiekem")),
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        a.update_user(&clerk, "jan", AccountChange::Disabled(true)),
        Err(StoreError::Denied(_))
    ));
    assert_eq!(a.user("stiekem").expect("read"), None);
    assert!(!a.user("jan").expect("read").expect("jan").disabled);
    let job = AccessGate::job(beheerder().actor().clone(), "beheer");
    a.create_user(&job, new_account("kees"))
        .expect("job creates");
    a.create_user(&AccessGate::system("test"), new_account("anna"))
        .expect("system creates");
    let ids: Vec<String> = a.users().expect("list").into_iter().map(|u| u.id).collect();
    assert_eq!(ids, ["anna", "jan", "kees"]);
}

/// A change of password, second factor, disabled or role ends the user's sessions; a new
/// name or an unlock does not; other users' sessions stay.
pub fn changes_end_sessions(store: &dyn Store) {
    let a = store.accounts();
    let now = crate::time::now().as_millisecond();
    let open = |tag: &str, user: &str| {
        let h = vangnet_auth::secret::token_hash(tag);
        a.create_session(&h, &session(user, SessionStage::Complete, now, now))
            .expect("session");
        h
    };
    let other = open("kees-1", "kees");
    let changes = [
        (AccountChange::Naam("Jan de Vries".into()), false),
        (AccountChange::Unlock, false),
        (
            AccountChange::Password {
                hash: phc("tweede"),
                must_change: false,
            },
            true,
        ),
        (
            AccountChange::Totp(Some("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into())),
            true,
        ),
        (AccountChange::Totp(None), true),
        (AccountChange::Disabled(true), true),
        (AccountChange::Disabled(false), true),
        (
            AccountChange::Actor(Actor {
                role: Role::Auditor,
                organisation: Organisation::Vangnet,
                user: "jan".into(),
            }),
            true,
        ),
    ];
    for (i, (change, ends)) in changes.into_iter().enumerate() {
        let h1 = open(&format!("jan-{i}-a"), "jan");
        let h2 = open(&format!("jan-{i}-b"), "jan");
        assert_eq!(change.ends_sessions(), ends);
        let label = format!("{change:?}");
        a.update_user(&beheerder(), "jan", change).expect("update");
        for h in [&h1, &h2] {
            assert_eq!(a.session(h).expect("read").is_none(), ends, "{label}");
        }
        assert!(a.session(&other).expect("read").is_some(), "{label}");
        a.end_sessions_of("jan").expect("end");
    }
    let jan = a.user("jan").expect("read").expect("jan");
    assert_eq!(jan.naam, "Jan de Vries");
    assert_eq!(jan.password_hash.as_deref(), Some(phc("tweede").as_str()));
    assert!(!jan.must_change_password && !jan.disabled && jan.totp_secret.is_none());
    assert_eq!(jan.actor.role, Role::Auditor);
    // A bad change is refused before anything is written.
    assert!(matches!(
        a.update_user(
            &beheerder(),
            "jan",
            AccountChange::Totp(Some("geen base32!".into()))
        ),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        a.update_user(
            &beheerder(),
            "jan",
            AccountChange::Actor(Actor::system("x"))
        ),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(a.end_sessions_of("kees").expect("end"), 1);
    assert_eq!(a.end_sessions_of("kees").expect("end"), 0);
}

/// LOCK_AFTER failures lock for LOCK_FOR; a failure while locked is not counted; after the
/// lock the next LOCK_AFTER failures lock twice as long; success and unlock reset.
pub fn lock_out(store: &dyn Store) {
    let a = store.accounts();
    let t0 = 1_800_000_000_000;
    for remaining in (1..policy::LOCK_AFTER).rev() {
        assert_eq!(
            a.login_failed("anna", at(t0)).expect("failed"),
            LoginAttempt::Failed { remaining }
        );
    }
    let until = at(t0 + 15 * MIN);
    assert_eq!(
        a.login_failed("anna", at(t0)).expect("failed"),
        LoginAttempt::Locked { until }
    );
    let anna = a.user("anna").expect("read").expect("anna");
    assert_eq!((anna.failed_logins, anna.locked_until), (5, Some(until)));
    assert!(anna.locked_at(at(t0 + 14 * MIN)) && !anna.locked_at(until));
    // While locked: not counted, the lock not extended.
    assert_eq!(
        a.login_failed("anna", at(t0 + MIN)).expect("failed"),
        LoginAttempt::Locked { until }
    );
    assert_eq!(
        a.user("anna").expect("read").expect("anna").failed_logins,
        5
    );
    // After the lock: five more, then twice as long.
    let t1 = t0 + 16 * MIN;
    for _ in 1..policy::LOCK_AFTER {
        assert!(matches!(
            a.login_failed("anna", at(t1)).expect("failed"),
            LoginAttempt::Failed { .. }
        ));
    }
    assert_eq!(
        a.login_failed("anna", at(t1)).expect("failed"),
        LoginAttempt::Locked {
            until: at(t1 + 30 * MIN)
        }
    );
    a.update_user(&beheerder(), "anna", AccountChange::Unlock)
        .expect("unlock");
    let anna = a.user("anna").expect("read").expect("anna");
    assert_eq!((anna.failed_logins, anna.locked_until), (0, None));
    a.login_failed("anna", at(t1)).expect("failed");
    a.login_succeeded("anna").expect("success");
    assert_eq!(
        a.user("anna").expect("read").expect("anna").failed_logins,
        0
    );
    assert!(matches!(
        a.login_failed("niemand", at(t1)),
        Err(StoreError::AccountNotFound(_))
    ));
    assert!(matches!(
        a.login_succeeded("niemand"),
        Err(StoreError::AccountNotFound(_))
    ));
}

/// The last TOTP step is a compare-and-set: the same or an older step is refused (a
/// replayed code); enrolling again starts over.
pub fn totp_steps(store: &dyn Store) {
    let a = store.accounts();
    a.update_user(
        &beheerder(),
        "kees",
        AccountChange::Totp(Some("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into())),
    )
    .expect("enrol");
    assert!(a.use_totp_step("kees", 60_000_000).expect("cas"));
    assert!(!a.use_totp_step("kees", 60_000_000).expect("cas"), "replay");
    assert!(!a.use_totp_step("kees", 59_999_999).expect("cas"), "older");
    assert!(a.use_totp_step("kees", 60_000_001).expect("cas"));
    assert_eq!(
        a.user("kees").expect("read").expect("kees").totp_last_step,
        Some(60_000_001)
    );
    a.update_user(
        &beheerder(),
        "kees",
        AccountChange::Totp(Some("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJR".replace('R', "Q"))),
    )
    .expect("enrol again");
    assert_eq!(
        a.user("kees").expect("read").expect("kees").totp_last_step,
        None
    );
    assert!(a.use_totp_step("kees", 5).expect("cas"));
    assert!(!a.use_totp_step("niemand", 5).expect("cas"));
}

/// Expired sessions (idle, absolute, partial) are not returned by `session` and are
/// deleted by `purge_sessions`; live ones stay; `touch_session` never moves back.
pub fn session_expiry(store: &dyn Store) {
    let a = store.accounts();
    let now = crate::time::now().as_millisecond();
    let h = |tag: &str| vangnet_auth::secret::token_hash(tag);
    let cases = [
        ("fresh", SessionStage::Complete, now, now, true),
        (
            "idle",
            SessionStage::Complete,
            now - 31 * MIN,
            now - 31 * MIN,
            false,
        ),
        (
            "absolute",
            SessionStage::Complete,
            now - 13 * 60 * MIN,
            now - MIN,
            false,
        ),
        (
            "partial-old",
            SessionStage::Password,
            now - 6 * MIN,
            now - 6 * MIN,
            false,
        ),
        (
            "partial-new",
            SessionStage::Password,
            now - MIN,
            now - MIN,
            true,
        ),
    ];
    for (tag, stage, created, seen, _) in cases {
        a.create_session(&h(tag), &session("jan", stage, created, seen))
            .expect("create");
    }
    for (tag, stage, created, seen, live) in cases {
        let got = a.session(&h(tag)).expect("read");
        assert_eq!(got.is_some(), live, "{tag}");
        if live {
            assert_eq!(got, Some(session("jan", stage, created, seen)), "{tag}");
        }
    }
    assert_eq!(a.session(&h("nooit")).expect("read"), None);
    a.touch_session(&h("fresh"), at(now + MIN)).expect("touch");
    a.touch_session(&h("fresh"), at(now - 10 * MIN))
        .expect("touch");
    let fresh = a.session(&h("fresh")).expect("read").expect("live");
    assert_eq!(fresh.last_seen, at(now + MIN));
    assert_eq!(a.purge_sessions(at(now)).expect("purge"), 3);
    assert_eq!(a.purge_sessions(at(now)).expect("purge"), 0);
    // Five minutes on, the partial one has expired; the complete one was touched.
    assert_eq!(a.purge_sessions(at(now + 5 * MIN)).expect("purge"), 1);
    assert!(a.session(&h("fresh")).expect("read").is_some());
    a.end_session(&h("fresh")).expect("end");
    assert_eq!(a.session(&h("fresh")).expect("read"), None);
    assert_eq!(a.purge_sessions(at(now + 13 * 60 * MIN)).expect("purge"), 0);
}

fn provider_token(naam: &str, created: i64, expires: i64, facts: &[&str]) -> ApiToken {
    ApiToken {
        id: "genegeerd".into(),
        naam: naam.into(),
        actor: Actor {
            user: "genegeerd".into(),
            role: Role::Zorgaanbieder,
            organisation: Organisation::Aanbieder(AgbCode::parse("98000401").expect("agb")),
        },
        facts: facts.iter().map(|f| (*f).to_owned()).collect(),
        created_by: "b.beheer".into(),
        created_at: at(created),
        expires_at: at(expires),
        revoked_at: None,
    }
}

/// Tokens: created by id with the hash unique, found by hash while valid, listed always,
/// revoked (the first time kept), expired ones not found.
pub fn api_tokens(store: &dyn Store) {
    let a = store.accounts();
    let now = crate::time::now().as_millisecond();
    let h1 = vangnet_auth::secret::token_hash("token-een");
    let h2 = vangnet_auth::secret::token_hash("token-twee");
    let t1 = provider_token(
        "koppeling aanbieder",
        now,
        now + 30 * 24 * 60 * MIN,
        &["start_zorg", "mo_overnachting"],
    );
    a.create_token(&beheerder(), "aanbieder-1", &h1, &t1)
        .expect("create");
    let found = a.token_by_hash(&h1).expect("read").expect("valid");
    assert_eq!(found.id, "aanbieder-1");
    assert_eq!(found.actor.user, "token:aanbieder-1");
    assert_eq!(found.facts, ["start_zorg", "mo_overnachting"]);
    assert_eq!(
        (found.created_at, found.expires_at),
        (t1.created_at, t1.expires_at)
    );
    assert_eq!(found.revoked_at, None);
    assert!(matches!(
        a.create_token(&beheerder(), "aanbieder-1", &h2, &t1),
        Err(StoreError::AccountConflict(_))
    ));
    assert!(matches!(
        a.create_token(&beheerder(), "aanbieder-2", &h1, &t1),
        Err(StoreError::AccountConflict(_))
    ));
    assert!(matches!(
        a.create_token(
            &beheerder(),
            "aanbieder-2",
            &h2,
            &provider_token("x", now, now + MIN, &["toverspreuk"])
        ),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        a.create_token(&beheerder(), "aanbieder-2", "geen-hash", &t1),
        Err(StoreError::Invalid(_))
    ));
    let clerk = AccessGate::new(clerk_actor("t.clerk"), "poging");
    assert!(matches!(
        a.create_token(&clerk, "aanbieder-2", &h2, &t1),
        Err(StoreError::Denied(_))
    ));
    // Expired: listed, never found.
    let old = provider_token("verlopen", now - 10 * 24 * 60 * MIN, now - MIN, &[]);
    a.create_token(&beheerder(), "oud", &h2, &old)
        .expect("create");
    assert_eq!(a.token_by_hash(&h2).expect("read"), None);
    let ids: Vec<String> = a
        .tokens()
        .expect("list")
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, ["aanbieder-1", "oud"]);
    // Revoked: not found; revoking again keeps the first time.
    assert!(matches!(
        a.revoke_token(&clerk, "aanbieder-1", at(now)),
        Err(StoreError::Denied(_))
    ));
    assert!(a.token_by_hash(&h1).expect("read").is_some());
    a.revoke_token(&beheerder(), "aanbieder-1", at(now))
        .expect("revoke");
    a.revoke_token(&beheerder(), "aanbieder-1", at(now + MIN))
        .expect("revoke again");
    assert_eq!(a.token_by_hash(&h1).expect("read"), None);
    let listed = a.tokens().expect("list");
    assert_eq!(listed[0].revoked_at, Some(at(now)));
    assert!(matches!(
        a.revoke_token(&beheerder(), "niemand", at(now)),
        Err(StoreError::AccountNotFound(_))
    ));
}

/// Management wrote chained rows (refusals too), naming what changed and never a hash or
/// secret; the chain verifies.
pub fn management_is_logged_and_the_chain_verifies(store: &dyn Store) {
    let rows = store.access_log(&auditor(), 10_000).expect("log");
    let manage: Vec<_> = rows
        .iter()
        .filter(|r| r.action == ACTION_USER || r.action == ACTION_TOKEN)
        .collect();
    assert!(manage.iter().all(|r| r.client.is_none()));
    let refused = manage.iter().filter(|r| !r.allowed).count();
    assert_eq!(
        refused, 4,
        "every refusal is logged (two accounts, two tokens)"
    );
    let created = manage
        .iter()
        .find(|r| r.purpose.contains("gebruiker jan aangemaakt"))
        .expect("creation logged");
    assert_eq!(created.user, "b.beheer");
    assert!(created.allowed);
    // A job is logged in the name of who started it.
    assert!(
        manage
            .iter()
            .any(|r| r.purpose.contains("gebruiker kees aangemaakt") && r.user == "b.beheer")
    );
    assert!(
        manage
            .iter()
            .any(|r| r.action == ACTION_TOKEN && r.purpose.contains("aanbieder-1 ingetrokken"))
    );
    for r in &manage {
        for secret in [
            "$argon2id",
            "GEZDGNBV",
            &vangnet_auth::secret::token_hash("token-een"),
        ] {
            assert!(!r.purpose.contains(secret), "{}", r.purpose);
            assert!(!r.reason.contains(secret), "{}", r.reason);
        }
    }
    let report = store.verify_access_log(&auditor()).expect("verify");
    assert_eq!(report.problem, None);
    assert!(report.rows as usize >= manage.len());
}
