//! The store's clock — the edge where the wall clock is read, so the domain stays clock-free.
//! Recorded-at instants are stored as RFC 3339 in UTC with milliseconds; "today" is the civil
//! date in Europe/Amsterdam (`vangnet_domain::clock`).

use vangnet_domain::Date;
use vangnet_domain::clock::{self, Timestamp};

/// Now, to the millisecond (the precision `recorded_at` is stored with).
pub fn now() -> Timestamp {
    clock::to_millis(Timestamp::now())
}

/// Now, as `JJJJ-MM-DDTuu:mm:ss.mmmZ` (UTC).
pub fn now_rfc3339() -> String {
    clock::rfc3339(now())
}

/// Today's date in the Netherlands (Europe/Amsterdam), not in UTC: between 00:00 and 01:00
/// (winter) or 02:00 (summer) Dutch time the UTC date is still yesterday.
pub fn today() -> Date {
    clock::today_in_amsterdam(Timestamp::now())
}
