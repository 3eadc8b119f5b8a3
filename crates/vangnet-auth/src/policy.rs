//! The login policy: session timeouts and the lock-out after failed logins (BIO).
//!
//! **Lock-out**: after [`LOCK_AFTER`] failed logins in a row the account is locked for
//! [`LOCK_FOR`]; when the lock has passed, [`LOCK_AFTER`] more failures lock it again for
//! twice as long, and so on, at most [`LOCK_MAX`] (24 h) — so an attacker gets five guesses
//! per lock and the locks grow: 15 min, 30 min, 1 h, 2 h, … 24 h. A successful login resets
//! the counter. A failure while the account is locked is not counted (the lock is not
//! extended by someone who only knows the user name; the password is not even checked).

use std::time::Duration;

/// A complete session ends after this long without a request.
pub const SESSION_IDLE: Duration = Duration::from_secs(30 * 60);
/// A complete session ends this long after the login, however active.
pub const SESSION_ABSOLUTE: Duration = Duration::from_secs(12 * 60 * 60);
/// A partial session (password passed, second factor pending) ends this long after the
/// password was given.
pub const PARTIAL_SESSION: Duration = Duration::from_secs(5 * 60);
/// Failed logins in a row that lock an account.
pub const LOCK_AFTER: u32 = 5;
/// How long the first lock lasts; each further lock lasts twice as long as the one before.
pub const LOCK_FOR: Duration = Duration::from_secs(15 * 60);
/// The longest lock.
pub const LOCK_MAX: Duration = Duration::from_secs(24 * 60 * 60);

/// What a failed login leads to, given the number of failures in a row *including* this
/// one: `Some(how long)` when it locks the account (every [`LOCK_AFTER`]th failure),
/// `None` otherwise.
pub fn lock_after_failure(failures: u32) -> Option<Duration> {
    if failures == 0 || !failures.is_multiple_of(LOCK_AFTER) {
        return None;
    }
    let doublings = (failures / LOCK_AFTER - 1).min(16);
    Some((LOCK_FOR * (1u32 << doublings)).min(LOCK_MAX))
}

/// How many failed logins are left before the next lock, after `failures` in a row.
pub fn remaining_attempts(failures: u32) -> u32 {
    LOCK_AFTER - failures % LOCK_AFTER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_double_up_to_a_day() {
        let min = |m: u64| Some(Duration::from_secs(m * 60));
        assert_eq!(lock_after_failure(0), None);
        for f in 1..5 {
            assert_eq!(lock_after_failure(f), None, "{f}");
        }
        assert_eq!(lock_after_failure(5), min(15));
        assert_eq!(lock_after_failure(6), None);
        assert_eq!(lock_after_failure(10), min(30));
        assert_eq!(lock_after_failure(15), min(60));
        assert_eq!(lock_after_failure(35), min(15 * 64));
        assert_eq!(lock_after_failure(40), Some(LOCK_MAX));
        assert_eq!(lock_after_failure(u32::MAX), Some(LOCK_MAX));
        assert_eq!(remaining_attempts(0), 5);
        assert_eq!(remaining_attempts(4), 1);
        assert_eq!(remaining_attempts(5), 5);
    }

    #[test]
    fn timeouts_are_the_agreed_ones() {
        assert_eq!(SESSION_IDLE.as_secs(), 1800);
        assert_eq!(SESSION_ABSOLUTE.as_secs(), 12 * 3600);
        assert_eq!(PARTIAL_SESSION.as_secs(), 300);
        assert_eq!(LOCK_FOR.as_secs(), 900);
    }
}
