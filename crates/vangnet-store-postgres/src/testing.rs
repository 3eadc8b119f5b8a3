//! Throw-away schemas for tests and benchmarks: every test gets its own PostgreSQL schema in
//! one shared database (so tests run in parallel), selected through the connection's
//! `search_path`. Start a server with `scripts/pg-test-server.sh`.

use postgres::{Client, NoTls};
use vangnet_store::{StoreError, StoreResult};

use crate::db;

/// The environment variable naming the test database (`postgres://…`).
pub const TEST_DATABASE_URL_VAR: &str = "VANGNET_TEST_DATABASE_URL";

/// Set (to anything but empty or `0`) by `scripts/test.sh`: a missing test database is then
/// a failure, not a skip. `CI` (set by CI systems) has the same effect.
pub const REQUIRE_POSTGRES_VAR: &str = "VANGNET_REQUIRE_POSTGRES";

/// The test database URL, or `None` (after printing why the caller skips) when
/// [`TEST_DATABASE_URL_VAR`] is unset or empty.
///
/// # Panics
/// When the URL is missing while [`REQUIRE_POSTGRES_VAR`] or `CI` is set: the PostgreSQL
/// tests must not pass silently where they are meant to run.
pub fn test_database_url() -> Option<String> {
    let url = std::env::var(TEST_DATABASE_URL_VAR).ok();
    let required =
        |var: &str| std::env::var(var).is_ok_and(|v| !v.trim().is_empty() && v.trim() != "0");
    url_or_skip(url, required(REQUIRE_POSTGRES_VAR) || required("CI"))
}

/// [`test_database_url`] without the environment: `url` as read, `required` whether a
/// missing URL is an error.
fn url_or_skip(url: Option<String>, required: bool) -> Option<String> {
    match url {
        Some(u) if !u.trim().is_empty() => Some(u),
        _ if required => panic!(
            "{TEST_DATABASE_URL_VAR} is niet gezet, maar de PostgreSQL-tests moeten hier draaien \
             ({REQUIRE_POSTGRES_VAR} of CI is gezet): start een server met scripts/pg-test-server.sh"
        ),
        _ => {
            println!("skipped: {TEST_DATABASE_URL_VAR} not set");
            None
        }
    }
}

#[cfg(test)]
mod url_tests {
    use super::url_or_skip;

    #[test]
    fn a_missing_url_skips_only_when_postgres_is_not_required() {
        assert_eq!(url_or_skip(None, false), None);
        assert_eq!(url_or_skip(Some("  ".into()), false), None);
        assert_eq!(
            url_or_skip(Some("postgres://x".into()), true).as_deref(),
            Some("postgres://x")
        );
        assert!(std::panic::catch_unwind(|| url_or_skip(None, true)).is_err());
        assert!(std::panic::catch_unwind(|| url_or_skip(Some(String::new()), true)).is_err());
    }
}

fn check_name(schema: &str) -> StoreResult<()> {
    let mut chars = schema.chars();
    let ok = schema.len() <= 63
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "schema: '{schema}' is geen geldige schemanaam (a-z, 0-9, _; hoogstens 63 tekens)"
        )))
    }
}

/// `url` with the connection option that makes `schema` the only schema on the search path.
/// Works for URLs (`postgres://…`) and for key/value connection strings (`host=… user=…`).
pub fn url_with_schema(url: &str, schema: &str) -> StoreResult<String> {
    check_name(schema)?;
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let sep = if url.contains('?') { '&' } else { '?' };
        Ok(format!("{url}{sep}options=-c%20search_path%3D{schema}"))
    } else {
        Ok(format!("{url} options='-c search_path={schema}'"))
    }
}

/// Drop `schema` (with everything in it) if it exists and create it empty; returns the URL
/// to connect to it (see [`url_with_schema`]).
pub fn reset_schema(url: &str, schema: &str) -> StoreResult<String> {
    check_name(schema)?;
    let mut c = Client::connect(url, NoTls).map_err(db)?;
    c.batch_execute(&format!(
        "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE; CREATE SCHEMA \"{schema}\";"
    ))
    .map_err(db)?;
    url_with_schema(url, schema)
}

/// The server's value of each setting in `names` (`SHOW name`), for benchmark reports
/// (e.g. `fsync`, `synchronous_commit`).
pub fn server_settings(url: &str, names: &[&str]) -> StoreResult<Vec<(String, String)>> {
    let mut c = Client::connect(url, NoTls).map_err(db)?;
    names
        .iter()
        .map(|n| {
            if !n.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_') {
                return Err(StoreError::Invalid(format!("instelling '{n}' is ongeldig")));
            }
            let v: String = c.query_one(&format!("SHOW {n}"), &[]).map_err(db)?.get(0);
            Ok(((*n).to_owned(), v))
        })
        .collect()
}

/// Drop `schema` with everything in it (if it exists).
pub fn drop_schema(url: &str, schema: &str) -> StoreResult<()> {
    check_name(schema)?;
    let mut c = Client::connect(url, NoTls).map_err(db)?;
    c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;"))
        .map_err(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_urls() {
        assert_eq!(
            url_with_schema("postgres://u@h:1/db", "t_x").unwrap(),
            "postgres://u@h:1/db?options=-c%20search_path%3Dt_x"
        );
        assert_eq!(
            url_with_schema("postgres://u@h/db?sslmode=disable", "a").unwrap(),
            "postgres://u@h/db?sslmode=disable&options=-c%20search_path%3Da"
        );
        assert_eq!(
            url_with_schema("host=h user=u", "a").unwrap(),
            "host=h user=u options='-c search_path=a'"
        );
        assert!(url_with_schema("postgres://h/db", "a; DROP").is_err());
        assert!(url_with_schema("postgres://h/db", "Caps").is_err());
        let cfg: postgres::Config = url_with_schema("postgres://u@h:1/db", "t_x")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(cfg.get_options(), Some("-c search_path=t_x"));
        let cfg: postgres::Config = url_with_schema("host=h user=u", "t_x")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(cfg.get_options(), Some("-c search_path=t_x"));
    }
}
