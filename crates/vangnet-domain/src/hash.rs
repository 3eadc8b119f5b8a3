//! Hash maps for in-memory work, by where their keys come from (see ARCHITECTURE.md):
//!
//! - [`FastHashMap`]: our own keys (monitor cells, packed integers) — `rustc-hash` 2 (FxHash,
//!   the scheme our hand-written hasher copied): the fastest we measured for the monitor tally
//!   (foldhash, already in the build, was about 45 % slower on monitor cells), and the same
//!   iteration order in every run (no result depends on it, but a run is repeatable).
//! - [`KeyedHashMap`]: keys that come from outside (ids read from import files) — the
//!   standard library's SipHash-1-3 with random keys per map, so nobody can choose ids that
//!   collide.

use std::collections::HashMap;

/// The hasher of [`FastHashMap`]: FxHash (`rustc-hash` 2), unseeded. Not resistant to chosen
/// keys — never for keys from outside.
pub type FastState = rustc_hash::FxBuildHasher;

/// A `HashMap` for our own keys (see the module documentation).
pub type FastHashMap<K, V> = HashMap<K, V, FastState>;

/// A `HashMap` for keys from outside: std's `RandomState` (keyed SipHash-1-3).
pub type KeyedHashMap<K, V> = HashMap<K, V, std::hash::RandomState>;

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn spreads_small_packed_keys_over_buckets() {
        // Keys that differ only in low or middle bits must land in different buckets (the
        // bucket is chosen by the low bits of the hash).
        for shift in [0, 20] {
            let mut low = std::collections::HashSet::new();
            for i in 0..1024u64 {
                low.insert(FastState::default().hash_one(i << shift) & 0x3ff);
            }
            assert!(low.len() > 600, "shift {shift}: {}", low.len());
        }
        let mut m: FastHashMap<(u32, u16), i64> = FastHashMap::default();
        for i in 0..1000u32 {
            *m.entry((i / 10, (i % 10) as u16)).or_default() += 1;
        }
        assert_eq!(m.len(), 1000);
    }

    #[test]
    fn the_fast_hash_is_fixed_and_the_keyed_one_is_not() {
        let key = (202_401u32, 7u16);
        assert_eq!(
            FastState::default().hash_one(key),
            FastState::default().hash_one(key)
        );
        let (a, b) = (
            KeyedHashMap::<u64, ()>::default(),
            KeyedHashMap::<u64, ()>::default(),
        );
        assert_ne!(
            a.hasher().hash_one(key),
            b.hasher().hash_one(key),
            "every keyed map has its own key"
        );
    }
}
