//! Random bytes from the operating system (`getrandom`): session ids, API tokens, password
//! salts, TOTP secrets and one-time passwords. The edge where randomness enters, so
//! `vangnet-auth` stays pure (it takes the bytes as arguments).

/// `N` random bytes from the operating system's generator. Panics only when the operating
/// system has no usable random source, where no secret may be made at all.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).expect("the operating system's random source is unavailable");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_bytes_differ() {
        let a = super::random_bytes::<32>();
        let b = super::random_bytes::<32>();
        assert_ne!(a, b);
        assert_ne!(a, [0; 32]);
    }
}
