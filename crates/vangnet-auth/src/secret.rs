//! Secrets as strings: session ids and API tokens (32 random bytes as base64url without
//! padding, 43 characters — safe in a cookie, a header and a URL), the hash the database
//! stores instead of them ([`token_hash`], SHA-256 hex: a copy of the database gives no
//! live session or token), generated one-time passwords, base32 (RFC 4648, for TOTP
//! secrets) and a constant-time comparison. The encodings are a few lines each, by hand.

use sha2::{Digest, Sha256};

/// Whether `a` and `b` are equal, in time that depends only on their lengths (not on where
/// they first differ).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // black_box keeps the optimiser from turning the fold into an early exit.
    std::hint::black_box(diff) == 0
}

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url (RFC 4648 §5) without padding.
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(B64URL[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

/// The session id or API token for 32 random bytes: base64url without padding.
pub fn token_string(bytes: &[u8; 32]) -> String {
    base64url(bytes)
}

/// What the database stores for a session id or API token: SHA-256 of the token's text,
/// lowercase hex (64 characters).
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// The alphabet of generated passwords: no 0/O, 1/l/I, so it can be read aloud or copied
/// from paper; 32 characters, so every byte maps without bias (256 = 8 × 32).
const PASSWORD_ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// A one-time password from 20 random bytes: four groups of five characters of a
/// 32-letter alphabet, `xxxxx-xxxxx-xxxxx-xxxxx` (100 bits). Satisfies
/// [`crate::password::check_new`] for every user id with overwhelming probability (only
/// twenty equal characters, chance 2⁻⁹⁵, would not).
pub fn generated_password(bytes: &[u8; 20]) -> String {
    let mut out = String::with_capacity(23);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        out.push(char::from(PASSWORD_ALPHABET[usize::from(b % 32)]));
    }
    out
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// base32 (RFC 4648 §6), upper case, without padding.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in bytes {
        acc = (acc << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(B32[(acc >> bits) as usize & 31]));
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(B32[(acc << (5 - bits)) as usize & 31]));
    }
    out
}

/// Decode base32 (RFC 4648 §6): upper or lower case, spaces and trailing `=` ignored.
/// `None` for any other character or leftover bits that are not zero.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes().filter(|c| *c != b' ') {
        let v = match c.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    (acc == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 §10 test vectors (base32 without padding; base64url equals base64 here).
    #[test]
    fn rfc4648_vectors() {
        let cases = [
            ("", "", ""),
            ("f", "MY", "Zg"),
            ("fo", "MZXQ", "Zm8"),
            ("foo", "MZXW6", "Zm9v"),
            ("foob", "MZXW6YQ", "Zm9vYg"),
            ("fooba", "MZXW6YTB", "Zm9vYmE"),
            ("foobar", "MZXW6YTBOI", "Zm9vYmFy"),
        ];
        for (plain, b32, b64) in cases {
            assert_eq!(base32(plain.as_bytes()), b32, "{plain}");
            assert_eq!(base64url(plain.as_bytes()), b64, "{plain}");
            assert_eq!(from_base32(b32).unwrap(), plain.as_bytes(), "{plain}");
            assert_eq!(
                from_base32(&format!("{}======", b32.to_lowercase())).unwrap(),
                plain.as_bytes()
            );
        }
        assert_eq!(base64url(&[0xfb, 0xff, 0xbf]), "-_-_");
        assert_eq!(from_base32("MZXW6YQ1"), None);
        assert_eq!(from_base32("MZ!"), None);
        // Leftover bits must be zero ("MZ" is "f"; "M3" is not a canonical encoding).
        assert_eq!(from_base32("M3"), None);
    }

    #[test]
    fn tokens_and_their_hashes() {
        let t = token_string(&[0xff; 32]);
        assert_eq!(t.len(), 43);
        assert!(
            t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(token_string(&[1; 32]), token_string(&[2; 32]));
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn constant_time_compare() {
        assert!(ct_eq(b"", b""));
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        assert!(!ct_eq(b"xbc", b"abc"));
    }

    #[test]
    fn generated_passwords_are_readable_and_pass_the_rules() {
        let p = generated_password(&[
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 255,
        ]);
        assert_eq!(p, "abcde-fghij-kmnpq-rstu9");
        assert!(crate::password::check_new(&p, "beheer").is_ok());
        assert_ne!(generated_password(&[7; 20]), generated_password(&[8; 20]));
    }
}
