//! A fast hasher for maps keyed by ids: pointers, thread and task numbers.
//!
//! The standard `HashMap` hashes with SipHash, which resists keys chosen by an attacker and
//! costs tens of nanoseconds a key. Ids here come from the program's own run, not from an
//! attacker, and some maps are looked up for every task step or every value a fork copies
//! (a fork of a program holding 2,000 processes copies 2,000 handles, 2,000 times), so a
//! multiply by a large odd constant (as rustc's FxHasher does) is enough and several times
//! cheaper.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` keyed by ids, hashed with [`IdHasher`].
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Hashes integer keys by multiplying them by 2^64 / φ.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        // The product's best-mixed bits are its high ones; `hashbrown` takes the bucket from
        // the low bits and a tag from the top 7, so the rotation puts mixed bits in both.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_pointers_spread_over_buckets_and_tags() {
        let hash = |n: u64| {
            let mut h = IdHasher::default();
            h.write_usize(n as usize);
            h.finish()
        };
        // Pointers 16 bytes apart differ only in a few low bits; in their hashes, both the
        // low bits (the bucket) and the top 7 (the tag) differ.
        let pointers = (0..64).map(|i| 0x5555_0000 + 16 * i);
        let buckets: std::collections::BTreeSet<u64> =
            pointers.clone().map(|p| hash(p) & 63).collect();
        let tags: std::collections::BTreeSet<u64> = pointers.map(|p| hash(p) >> 57).collect();
        assert!(buckets.len() >= 32, "{buckets:?}");
        assert!(tags.len() >= 24, "{tags:?}");
        let mut map: IdMap<usize, u32> = IdMap::default();
        map.insert(7, 1);
        assert_eq!(map.get(&7), Some(&1));
    }
}
