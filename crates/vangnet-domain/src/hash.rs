//! A small, fast hasher for the in-memory tallies of our own keys (monitor cells, packed
//! integers): the FxHash scheme of rustc (`rustc-hash` 2: multiply by an odd constant per
//! word, rotate at the end so that the well-mixed high bits select the bucket), written out
//! here instead of adding a dependency. Not resistant to chosen keys — never use it for
//! keys that come from outside.

use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// The hasher (see the module documentation).
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = self.hash.wrapping_add(word).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(b));
        }
        self.add(bytes.len() as u64);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn write_isize(&mut self, i: isize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

/// `HashMap<K, V, FxBuild>` uses [`FxHasher`].
pub type FxBuild = BuildHasherDefault<FxHasher>;

/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_small_packed_keys_over_buckets() {
        // Keys that differ only in low or middle bits must land in different buckets (the
        // bucket is chosen by the low bits of the hash).
        for shift in [0, 20] {
            let mut low = std::collections::HashSet::new();
            for i in 0..1024u64 {
                let mut h = FxHasher::default();
                h.write_u64(i << shift);
                low.insert(h.finish() & 0x3ff);
            }
            assert!(low.len() > 600, "shift {shift}: {}", low.len());
        }
        let mut m: FxHashMap<(u32, u16), i64> = FxHashMap::default();
        for i in 0..1000u32 {
            *m.entry((i / 10, (i % 10) as u16)).or_default() += 1;
        }
        assert_eq!(m.len(), 1000);
    }
}
