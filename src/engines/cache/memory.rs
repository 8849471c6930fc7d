//! Memory accounting and eviction under `maxmemory`.
//!
//! Memory is estimated, not measured: each key costs its bytes plus a fixed overhead (see
//! `Value::approx_bytes`), on top of a baseline for the empty server. That is enough for a
//! lesson to watch `used_memory` grow, set `maxmemory`, and see keys evicted.
//!
//! Before a command that may grow memory runs, [`make_room`] evicts keys until the estimate is
//! under the limit, the way Redis's `performEvictions` does: sample `maxmemory-samples` keys
//! from the pool the policy allows (all keys, or only keys with a TTL), pick the best victim
//! (least recently used, least frequently used, nearest deadline, or any), delete it, repeat.
//! Under `noeviction`, or with nothing evictable, the command fails with Redis's OOM error.

use super::args::OOM;
use super::{Cache, Reply};
use serde::{Deserialize, Serialize};

/// What an empty server reports as used memory (Redis 7.0 starts near 860 KB).
pub const BASELINE: u64 = 870_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Policy {
    NoEviction,
    AllKeysLru,
    AllKeysLfu,
    AllKeysRandom,
    VolatileLru,
    VolatileLfu,
    VolatileRandom,
    VolatileTtl,
}

impl Policy {
    pub const ALL: [Policy; 8] = [
        Policy::NoEviction,
        Policy::AllKeysLru,
        Policy::AllKeysLfu,
        Policy::AllKeysRandom,
        Policy::VolatileLru,
        Policy::VolatileLfu,
        Policy::VolatileRandom,
        Policy::VolatileTtl,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Policy::NoEviction => "noeviction",
            Policy::AllKeysLru => "allkeys-lru",
            Policy::AllKeysLfu => "allkeys-lfu",
            Policy::AllKeysRandom => "allkeys-random",
            Policy::VolatileLru => "volatile-lru",
            Policy::VolatileLfu => "volatile-lfu",
            Policy::VolatileRandom => "volatile-random",
            Policy::VolatileTtl => "volatile-ttl",
        }
    }

    pub fn parse(name: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(name))
    }

    /// Whether the policy counts access frequency (LFU) rather than recency: OBJECT FREQ
    /// answers only then, OBJECT IDLETIME only otherwise.
    pub fn is_lfu(self) -> bool {
        matches!(self, Policy::AllKeysLfu | Policy::VolatileLfu)
    }

    fn volatile_only(self) -> bool {
        matches!(self, Policy::VolatileLru | Policy::VolatileLfu | Policy::VolatileRandom | Policy::VolatileTtl)
    }
}

/// Parses a memory size as CONFIG SET takes it: `100mb`, `1gb`, `512k`, `1048576`.
pub fn parse_size(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    let units: [(&str, u64); 8] = [
        ("kb", 1024),
        ("mb", 1024 * 1024),
        ("gb", 1024 * 1024 * 1024),
        ("k", 1000),
        ("m", 1_000_000),
        ("g", 1_000_000_000),
        ("b", 1),
        ("", 1),
    ];
    for (suffix, factor) in units {
        if let Some(num) = lower.strip_suffix(suffix) {
            if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
                return num.parse::<u64>().ok()?.checked_mul(factor);
            }
        }
    }
    None
}

/// Evicts keys until used memory is under `maxmemory`, or answers the OOM error.
pub fn make_room(s: &mut Cache, now: i64) -> Result<(), Reply> {
    let limit = s.config.maxmemory;
    if limit == 0 {
        return Ok(());
    }
    let mut used = s.used_memory();
    if used <= limit {
        return Ok(());
    }
    let policy = s.config.maxmemory_policy;
    if policy == Policy::NoEviction {
        return Err(Reply::err(OOM));
    }
    // Bounded: at most this many evictions for one command.
    for _ in 0..100_000 {
        if used <= limit {
            return Ok(());
        }
        let Some((db, key)) = pick_victim(s, policy, now) else {
            return Err(Reply::err(OOM));
        };
        if let Some(entry) = s.dbs[db].remove(&key) {
            used = used.saturating_sub((key.len() + 64 + entry.value.approx_bytes()) as u64);
            s.stats.evicted_keys += 1;
            s.touch_watched(db, &key);
        }
    }
    Ok(())
}

/// Samples candidate keys and returns the best victim for the policy.
fn pick_victim(s: &mut Cache, policy: Policy, now: i64) -> Option<(usize, Vec<u8>)> {
    let mut pool: Vec<(usize, Vec<u8>, i64, u32, i64)> = Vec::new();
    for (i, db) in s.dbs.iter().enumerate() {
        for (k, e) in db.entries() {
            if policy.volatile_only() && e.expires_at.is_none() {
                continue;
            }
            pool.push((i, k.clone(), e.last_access, e.hits, e.expires_at.unwrap_or(i64::MAX)));
        }
    }
    if pool.is_empty() {
        return None;
    }
    let samples = s.config.maxmemory_samples.max(1) as usize;
    let mut sampled = Vec::with_capacity(samples);
    for _ in 0..samples.min(pool.len()) {
        let i = s.rng().range(0, pool.len() as u64 - 1) as usize;
        sampled.push(pool.swap_remove(i));
    }
    let _ = now;
    let best = match policy {
        Policy::AllKeysLru | Policy::VolatileLru => sampled.into_iter().min_by_key(|c| c.2),
        Policy::AllKeysLfu | Policy::VolatileLfu => sampled.into_iter().min_by_key(|c| (c.3, c.2)),
        Policy::VolatileTtl => sampled.into_iter().min_by_key(|c| c.4),
        _ => sampled.into_iter().next(),
    }?;
    Some((best.0, best.1))
}
