//! The store's clock: recorded-at timestamps in RFC 3339 (UTC). Lives at the edge so the
//! domain stays clock-free.

use std::time::{SystemTime, UNIX_EPOCH};

use vangnet_domain::Date;

/// Now, as `JJJJ-MM-DDTuu:mm:ss.mmmZ`.
pub fn now_rfc3339() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs() as i64;
    let date = Date::from_days_since_epoch(secs.div_euclid(86_400) as i32);
    let s = secs.rem_euclid(86_400);
    format!(
        "{date}T{:02}:{:02}:{:02}.{:03}Z",
        s / 3600,
        (s / 60) % 60,
        s % 60,
        d.subsec_millis()
    )
}

/// Today's date (UTC).
pub fn today() -> Date {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64;
    Date::from_days_since_epoch(secs.div_euclid(86_400) as i32)
}
