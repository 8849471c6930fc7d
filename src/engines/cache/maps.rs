//! The hash maps the engine keeps its data in, and how they are saved.
//!
//! Two needs shape this file. The engine must be deterministic (a seed and the commands typed
//! reproduce a lab, SCAN walks keys in the same order on every run), so the maps use a fixed
//! hash function rather than std's randomly keyed SipHash. And the whole lab is saved as JSON,
//! where map keys must be strings while ours are byte strings, so the maps are saved as lists
//! of pairs (`[[key, value], ...]`).
//!
//! The hash is FxHash (the one rustc uses): a multiply and a rotate per 8 bytes. It is fast and
//! not collision-resistant, which is fine for a learning lab that holds no adversary's data.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// FxHash, 64-bit on every target (so native and wasm iterate maps in the same order).
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
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
    fn finish(&self) -> u64 {
        // A final avalanche (MurmurHash3's fmix64): the multiply above only carries low bits
        // upwards, and hashbrown picks buckets with the low bits, so without this keys that
        // differ only in their last bytes ("m:1", "m:2", ...) would all collide.
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }
}

pub type Fx = BuildHasherDefault<FxHasher>;
pub type FxMap<K, V> = HashMap<K, V, Fx>;
pub type FxSet<K> = HashSet<K, Fx>;

/// Saves any map as a list of pairs: `#[serde(with = "maps::pairs")]`.
pub mod pairs {
    use super::*;

    pub fn serialize<'a, M, K, V, S>(map: &'a M, serializer: S) -> Result<S::Ok, S::Error>
    where
        &'a M: IntoIterator<Item = (&'a K, &'a V)>,
        K: Serialize + 'a,
        V: Serialize + 'a,
        S: Serializer,
    {
        serializer.collect_seq(map)
    }

    pub fn deserialize<'de, M, K, V, D>(deserializer: D) -> Result<M, D::Error>
    where
        M: FromIterator<(K, V)>,
        K: DeserializeOwned,
        V: DeserializeOwned,
        D: Deserializer<'de>,
    {
        let list: Vec<(K, V)> = Vec::deserialize(deserializer)?;
        Ok(list.into_iter().collect())
    }
}

/// A hash set saved as a list (sets already serialise as sequences; this keeps the element
/// type generic over our hasher).
pub mod set {
    use super::*;

    pub fn serialize<K: Serialize, S: Serializer>(set: &FxSet<K>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(set)
    }

    pub fn deserialize<'de, K, D>(deserializer: D) -> Result<FxSet<K>, D::Error>
    where
        K: DeserializeOwned + Eq + Hash,
        D: Deserializer<'de>,
    {
        let list: Vec<K> = Vec::deserialize(deserializer)?;
        Ok(list.into_iter().collect())
    }
}
