//! A fast hasher for the interpreter's and the simulator's maps: ids (pointers, thread and
//! task numbers), names (globals, builtins, attributes) and Python dict keys.
//!
//! The standard `HashMap` hashes with SipHash, which resists keys chosen by an attacker and
//! costs tens of nanoseconds a key. These keys come from the program's own run, which the
//! reader runs on their own machine, and some maps are looked up at every step: a global name
//! at every `LOAD_GLOBAL`, a dict key at every `d[k]`, a task's lane at every task step, each
//! value a fork copies (a fork of a program holding 2,000 processes copies 2,000 handles,
//! 2,000 times). So a multiply by a large odd constant per word, as rustc's own FxHasher
//! does, is enough and several times cheaper. Nothing may depend on a map's order: the
//! standard maps' order is random from run to run, so nothing did.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` hashed with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Mixes each word in with a multiply by 2^64 / φ.
#[derive(Clone, Copy, Debug, Default)]
pub struct FastHasher(u64);

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // The product's best-mixed bits are its high ones; `hashbrown` takes the bucket from
        // the low bits and a tag from the top 7, so the rotation puts mixed bits in both.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes(w.try_into().expect("8 bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash>(v: T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(v)
    }

    #[test]
    fn aligned_pointers_spread_over_buckets_and_tags() {
        // Pointers 16 bytes apart differ only in a few low bits; in their hashes, both the
        // low bits (the bucket) and the top 7 (the tag) differ.
        let pointers = (0..64usize).map(|i| 0x5555_0000 + 16 * i);
        let buckets: BTreeSet<u64> = pointers.clone().map(|p| hash(p) & 63).collect();
        let tags: BTreeSet<u64> = pointers.map(|p| hash(p) >> 57).collect();
        assert!(buckets.len() >= 32, "{buckets:?}");
        assert!(tags.len() >= 24, "{tags:?}");
    }

    #[test]
    fn names_that_differ_anywhere_hash_apart() {
        let names = [
            "a",
            "b",
            "ab",
            "ba",
            "counter",
            "countes",
            "a_long_name_1",
            "a_long_name_2",
        ];
        let hashes: BTreeSet<u64> = names.iter().map(hash).collect();
        assert_eq!(hashes.len(), names.len());
        let mut map: FastMap<&str, u32> = FastMap::default();
        map.insert("counter", 1);
        assert_eq!(map.get("counter"), Some(&1));
    }
}
