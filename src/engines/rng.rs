//! The one source of randomness in the lab: a small seeded generator.
//!
//! Everything that looks random (access key ids, endpoint suffixes, failover durations drawn
//! from a range) comes from here, so a seed plus the commands typed reproduce a lab exactly.
//! The algorithm is SplitMix64: tiny, fast, and good enough for simulation (not for secrets).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high` (returns `low` when the range is empty).
    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        let span = high - low + 1;
        low + self.next_u64() % span
    }

    /// A string of `len` characters drawn from `alphabet` (which must not be empty).
    pub fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        if alphabet.is_empty() {
            return String::new();
        }
        (0..len).map(|_| alphabet[(self.next_u64() % alphabet.len() as u64) as usize] as char).collect()
    }
}

pub const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
pub const BASE64ISH: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }

    #[test]
    fn range_stays_inside() {
        let mut r = Rng::new(3);
        for _ in 0..1000 {
            let v = r.range(60, 120);
            assert!((60..=120).contains(&v));
        }
        assert_eq!(r.range(5, 5), 5);
        assert_eq!(r.range(9, 2), 9);
    }
}
