//! Password hashes: argon2id with the OWASP parameters (m = 19 MiB, t = 2, p = 1, 32-byte
//! output, 16-byte salt) as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), the
//! same format as the reference implementation (`argon2` command line tool), so a hash made
//! elsewhere verifies here and the other way round (both tested with known answers).
//!
//! [`verify`] accepts only argon2id version 0x13 with parameters up to [`MAX_M_COST`],
//! [`MAX_T_COST`] and [`MAX_P_COST`] (a planted hash with enormous parameters cannot make a
//! login take minutes or gigabytes), recomputes the hash with the stored parameters and
//! compares in constant time ([`crate::secret::ct_eq`]).

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, Version};

use crate::secret::ct_eq;

/// Memory cost in KiB (OWASP: 19 MiB).
pub const M_COST: u32 = 19_456;
/// Iterations (OWASP: 2).
pub const T_COST: u32 = 2;
/// Parallelism (OWASP: 1).
pub const P_COST: u32 = 1;
/// Output length in bytes.
pub const OUTPUT_LEN: usize = 32;
/// The largest memory cost [`verify`] accepts (256 MiB), for hashes made with stronger
/// parameters later.
pub const MAX_M_COST: u32 = 262_144;
/// The largest number of iterations [`verify`] accepts.
pub const MAX_T_COST: u32 = 16;
/// The largest parallelism [`verify`] accepts.
pub const MAX_P_COST: u32 = 8;
/// The shortest password [`check_new`] accepts.
pub const MIN_LEN: usize = 12;
/// The longest password [`check_new`] accepts (and the longest [`verify`] tries to hash).
pub const MAX_LEN: usize = 128;

fn hasher(m: u32, t: u32, p: u32) -> Option<Argon2<'static>> {
    let params = Params::new(m, t, p, Some(OUTPUT_LEN)).ok()?;
    Some(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The argon2id PHC string of `password` with `salt` (fresh random bytes for every hash)
/// and the OWASP parameters.
pub fn hash(password: &str, salt: &[u8; 16]) -> String {
    let argon = hasher(M_COST, T_COST, P_COST).expect("the OWASP parameters are valid");
    // Cannot fail: the salt has a valid length (16 bytes) and the parameters are valid.
    argon
        .hash_password_with_salt(password.as_bytes(), salt)
        .expect("argon2id with a 16-byte salt and valid parameters")
        .to_string()
}

/// Whether `password` matches the PHC string `phc`. False for a malformed string, another
/// algorithm or version, parameters beyond the accepted maximum, or a password longer than
/// four times [`MAX_LEN`] bytes. The comparison of the hashes is constant-time.
pub fn verify(password: &str, phc: &str) -> bool {
    if password.len() > 4 * MAX_LEN {
        return false;
    }
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    if parsed.algorithm.as_str() != "argon2id" || parsed.version != Some(0x13) {
        return false;
    }
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    if params.m_cost() > MAX_M_COST
        || params.t_cost() > MAX_T_COST
        || params.p_cost() > MAX_P_COST
        || !params.keyid().is_empty()
        || !params.data().is_empty()
    {
        return false;
    }
    let expected = expected.as_bytes();
    // The stored hash decides the output length (Params::new refuses an invalid one).
    let Ok(params) = Params::new(
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        Some(expected.len()),
    ) else {
        return false;
    };
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = vec![0u8; expected.len()];
    if argon
        .hash_password_into(password.as_bytes(), salt, &mut out)
        .is_err()
    {
        return false;
    }
    ct_eq(&out, expected)
}

/// Whether `password` may be chosen as a new password by `user_id`: at least [`MIN_LEN`]
/// and at most [`MAX_LEN`] characters, not the user id, not one character repeated. The
/// error is the Dutch message for the form.
pub fn check_new(password: &str, user_id: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err("het wachtwoord moet minstens 12 tekens lang zijn");
    }
    if n > MAX_LEN {
        return Err("het wachtwoord mag hoogstens 128 tekens lang zijn");
    }
    if password.trim().to_lowercase() == user_id.trim().to_lowercase() {
        return Err("het wachtwoord mag niet gelijk zijn aan de gebruikersnaam");
    }
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err("het wachtwoord mag niet uit één herhaald teken bestaan");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Computed outside Rust with the reference implementation (Debian's `argon2` tool):
    /// `echo -n "correct horse battery" | argon2 "vangnet-salt-16b" -id -t 2 -k 19456 -p 1 -l 32 -e`.
    const REFERENCE: &str = "$argon2id$v=19$m=19456,t=2,p=1$dmFuZ25ldC1zYWx0LTE2Yg$UlENyj8EwhFXv1EAtSLtb+oFROSz3UuNONld2fqPyn4";

    #[test]
    fn hash_equals_the_reference_implementation() {
        assert_eq!(
            hash("correct horse battery", b"vangnet-salt-16b"),
            REFERENCE
        );
        assert!(verify("correct horse battery", REFERENCE));
        assert!(!verify("correct horse batterY", REFERENCE));
        assert!(!verify("", REFERENCE));
    }

    /// The reference implementation's own test vector (phc-winner-argon2 `src/test.c`,
    /// password "password", salt "somesalt", m = 64 MiB): other parameters than ours verify.
    #[test]
    fn verifies_a_known_phc_string_with_other_parameters() {
        let known = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assert!(verify("password", known));
        assert!(!verify("sassword", known));
    }

    #[test]
    fn malformed_or_foreign_hashes_never_verify() {
        for bad in [
            "",
            "password",
            "$argon2id$",
            "$argon2id$v=19$m=19456,t=2,p=1$dmFuZ25ldC1zYWx0LTE2Yg",
            // argon2i / argon2d of "password": valid, but not our algorithm.
            "$argon2i$v=19$m=65536,t=1,p=1$c29tZXNhbHQAAAAAAAAAAA$+r0d29hqEB0yasKr55ZgICsQGSkl0v0kgwhd+U3wyRo",
            "$argon2d$v=19$m=65536,t=2,p=1$YzI5dFpYTmhiSFFBQUFBQUFBQUFBQQ$Jxy74cswY2mq9y+u+iJcJy8EqOp4t/C7DWDzGwGB3IM",
            // Too much memory.
            "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            // Old version.
            "$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$2b$12$abcdefghijklmnopqrstuv",
        ] {
            assert!(!verify("password", bad), "{bad}");
        }
        let long = "x".repeat(4 * MAX_LEN + 1);
        assert!(!verify(&long, REFERENCE));
    }

    #[test]
    fn salts_make_different_hashes() {
        let a = hash("een lang wachtwoord", &[1; 16]);
        let b = hash("een lang wachtwoord", &[2; 16]);
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("een lang wachtwoord", &a) && verify("een lang wachtwoord", &b));
    }

    #[test]
    fn new_password_rules() {
        assert!(check_new("twaalf tekens", "jan").is_ok());
        assert_eq!(
            check_new("elf tekens.", "jan"),
            Err("het wachtwoord moet minstens 12 tekens lang zijn")
        );
        // Characters, not bytes: twelve é's are 24 bytes but one repeated character.
        assert_eq!(
            check_new(&"é".repeat(12), "jan"),
            Err("het wachtwoord mag niet uit één herhaald teken bestaan")
        );
        assert!(check_new(&"é".repeat(11), "jan").is_err());
        assert!(check_new(&"ab".repeat(64), "jan").is_ok());
        assert_eq!(
            check_new(&format!("{}c", "ab".repeat(64)), "jan"),
            Err("het wachtwoord mag hoogstens 128 tekens lang zijn")
        );
        assert_eq!(
            check_new("Medewerker.Lang", "medewerker.lang"),
            Err("het wachtwoord mag niet gelijk zijn aan de gebruikersnaam")
        );
    }
}
