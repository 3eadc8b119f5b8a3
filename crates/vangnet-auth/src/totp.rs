//! The second factor: TOTP (RFC 6238) with HMAC-SHA1, 6 digits and 30-second steps — what
//! every authenticator app does by default. [`verify`] accepts the step before, the current
//! and the next one (clock drift) and never a step at or before the last one used, so an
//! observed code cannot be replayed; the store keeps that last step
//! (compare-and-set, `AccountStore::use_totp_step`).

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use crate::secret::{base32, ct_eq, from_base32};

/// Seconds per step.
pub const STEP_SECS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;

/// A TOTP secret: 20 random bytes (the HMAC-SHA1 block of RFC 4226's recommendation).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub [u8; 20]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// base32 without padding (32 characters), as apps and the database take it.
    pub fn to_base32(&self) -> String {
        base32(&self.0)
    }

    /// Parse base32 (case and spaces ignored); `None` unless it is exactly 20 bytes.
    pub fn from_base32(text: &str) -> Option<Secret> {
        from_base32(text)?.try_into().ok().map(Secret)
    }
}

/// The HOTP value (RFC 4226) of `secret` at counter `step`, `digits` long.
fn hotp(secret: &[u8], step: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let bin =
        u32::from_be_bytes([h[offset], h[offset + 1], h[offset + 2], h[offset + 3]]) & 0x7fff_ffff;
    bin % 10u32.pow(digits)
}

/// The 6-digit code of `secret` for time step `step` (= unix seconds / 30).
pub fn code(secret: &Secret, step: u64) -> u32 {
    hotp(&secret.0, step, DIGITS)
}

/// The time step of `unix_secs` (`None` before 1970).
pub fn step_of(unix_secs: i64) -> Option<u64> {
    u64::try_from(unix_secs.div_euclid(STEP_SECS)).ok()
}

/// Check `code` (6 digits; spaces ignored) at `unix_secs`: the steps one before, at and one
/// after now are tried, except any step at or before `last_step`. Returns the step that
/// matched — the caller stores it as the new last step — or `None`.
pub fn verify(secret: &Secret, code: &str, unix_secs: i64, last_step: Option<u64>) -> Option<u64> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != DIGITS as usize || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix_secs)?;
    let mut found = None;
    for step in [now.checked_sub(1), Some(now), now.checked_add(1)]
        .into_iter()
        .flatten()
    {
        if last_step.is_some_and(|last| step <= last) {
            continue;
        }
        let expected = format!("{:06}", self::code(secret, step));
        // Every candidate is compared (no early exit on the first match).
        if ct_eq(expected.as_bytes(), digits.as_bytes()) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// Percent-encoding of everything but RFC 3986's unreserved characters.
fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `otpauth://` URI an authenticator app scans (as a QR code) or takes as text:
/// `otpauth://totp/Issuer:account?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30`.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &Secret) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        percent(issuer),
        percent(account),
        secret.to_base32(),
        percent(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 seed: ASCII "12345678901234567890".
    fn rfc_secret() -> Secret {
        Secret(*b"12345678901234567890")
    }

    /// RFC 6238 appendix B, the SHA-1 rows (8 digits), and their 6-digit forms.
    #[test]
    fn rfc6238_appendix_b() {
        let rows: [(i64, u32); 6] = [
            (59, 94_287_082),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ];
        let s = rfc_secret();
        for (t, expected) in rows {
            let step = step_of(t).unwrap();
            assert_eq!(hotp(&s.0, step, 8), expected, "T = {t}");
            assert_eq!(code(&s, step), expected % 1_000_000, "T = {t}");
            let six = format!("{:06}", expected % 1_000_000);
            assert_eq!(verify(&s, &six, t, None), Some(step), "T = {t}");
        }
    }

    /// RFC 4226 appendix D: HOTP values for counters 0…9.
    #[test]
    fn rfc4226_appendix_d() {
        let expected = [
            755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871,
            520_489,
        ];
        for (counter, e) in expected.into_iter().enumerate() {
            assert_eq!(code(&rfc_secret(), counter as u64), e);
        }
    }

    #[test]
    fn window_and_replay() {
        let s = rfc_secret();
        let t = 1_111_111_111; // step 37037037
        let now = step_of(t).unwrap();
        let c = |step| format!("{:06}", code(&s, step));
        assert_eq!(verify(&s, &c(now), t, None), Some(now));
        assert_eq!(verify(&s, &c(now - 1), t, None), Some(now - 1));
        assert_eq!(verify(&s, &c(now + 1), t, None), Some(now + 1));
        assert_eq!(verify(&s, &c(now - 2), t, None), None);
        assert_eq!(verify(&s, &c(now + 2), t, None), None);
        // Never the same step twice, nor an older one.
        assert_eq!(verify(&s, &c(now), t, Some(now)), None);
        assert_eq!(verify(&s, &c(now - 1), t, Some(now - 1)), None);
        assert_eq!(verify(&s, &c(now + 1), t, Some(now)), Some(now + 1));
        // Format: spaces allowed, nothing else.
        let spaced = format!("{} {}", &c(now)[..3], &c(now)[3..]);
        assert_eq!(verify(&s, &spaced, t, None), Some(now));
        for bad in ["", "12345", "1234567", "12345a", "-12345"] {
            assert_eq!(verify(&s, bad, t, None), None, "{bad}");
        }
        assert_eq!(verify(&s, &c(0), -1, None), None);
    }

    #[test]
    fn secrets_round_trip_through_base32() {
        let s = rfc_secret();
        let text = s.to_base32();
        assert_eq!(text, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(Secret::from_base32(&text), Some(s.clone()));
        assert_eq!(Secret::from_base32(&text.to_lowercase()), Some(s));
        assert_eq!(Secret::from_base32("GEZDGNBV"), None);
        assert_eq!(format!("{:?}", rfc_secret()), "Secret(…)");
    }

    #[test]
    fn otpauth_uri_is_encoded() {
        let uri = otpauth_uri("Vangnet Drechtsteden", "jan.de-vries", &rfc_secret());
        assert_eq!(
            uri,
            "otpauth://totp/Vangnet%20Drechtsteden:jan.de-vries?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Vangnet%20Drechtsteden&algorithm=SHA1&digits=6&period=30"
        );
    }
}
