//! The keyspace: one database of keys, their values and their deadlines.
//!
//! A server has 16 of these (`SELECT 0..15`). Each key holds an [`Entry`]: the value, an
//! optional deadline (lab milliseconds) and the bookkeeping eviction needs (last access time,
//! an access counter).
//!
//! Expiry works as in Redis, in two ways:
//! - lazily: every lookup first checks the key's deadline and deletes it if it has passed, so an
//!   expired key is never seen;
//! - actively: [`Db::sweep_expired`] walks keys with a deadline and deletes the expired ones, so
//!   memory is reclaimed even for keys nobody reads (the server runs it as time advances).

use super::maps::{pairs, FxMap, FxSet};
use super::stream::Stream;
use super::zset::ZSet;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// A value of one of the six data types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Str(Vec<u8>),
    List(VecDeque<Vec<u8>>),
    Hash(#[serde(with = "pairs")] FxMap<Vec<u8>, Vec<u8>>),
    Set(#[serde(with = "super::maps::set")] FxSet<Vec<u8>>),
    ZSet(ZSet),
    Stream(Box<Stream>),
}

impl Value {
    /// The name TYPE answers.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }

    /// Approximate bytes of memory the value occupies (for INFO and maxmemory).
    pub fn approx_bytes(&self) -> usize {
        match self {
            Value::Str(s) => s.len() + 16,
            Value::List(l) => l.iter().map(|e| e.len() + 16).sum::<usize>() + 32,
            Value::Hash(h) => h.iter().map(|(k, v)| k.len() + v.len() + 32).sum::<usize>() + 32,
            Value::Set(s) => s.iter().map(|m| m.len() + 24).sum::<usize>() + 32,
            Value::ZSet(z) => z.approx_bytes() + 32,
            Value::Stream(s) => s.approx_bytes() + 64,
        }
    }

    /// Whether a container value has become empty (Redis deletes empty containers).
    pub fn is_empty_container(&self) -> bool {
        match self {
            Value::Str(_) | Value::Stream(_) => false,
            Value::List(l) => l.is_empty(),
            Value::Hash(h) => h.is_empty(),
            Value::Set(s) => s.is_empty(),
            Value::ZSet(z) => z.is_empty(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub value: Value,
    /// Deadline in lab milliseconds; `None` means the key never expires.
    pub expires_at: Option<i64>,
    /// Last time the key was read or written (LRU eviction, OBJECT IDLETIME).
    pub last_access: i64,
    /// A small access counter (LFU eviction).
    pub hits: u32,
}

/// How many expired keys a database remembers by name ([`Db::expired`]).
const REMEMBERED_EXPIRIES: usize = 16;

/// One numbered database.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Db {
    #[serde(with = "pairs")]
    entries: FxMap<Vec<u8>, Entry>,
    /// How many keys have a deadline (INFO keyspace `expires=`; lets sweeps skip quickly).
    volatile: usize,
    /// The keys deleted most recently because their time ran out, oldest first. Redis keeps
    /// no such list (it only publishes `expired` keyspace events); the lab keeps one so that a
    /// lesson can tell a key that expired from one deleted or never set.
    recently_expired: VecDeque<Vec<u8>>,
}

impl Db {
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn volatile_count(&self) -> usize {
        self.volatile
    }

    /// Deletes `key` if its deadline has passed. Returns true when it did.
    fn expire_if_due(&mut self, key: &[u8], now: i64) -> bool {
        let due = matches!(self.entries.get(key), Some(Entry { expires_at: Some(t), .. }) if *t <= now);
        if due {
            self.remove(key);
            self.remember_expired(key);
        }
        due
    }

    fn remember_expired(&mut self, key: &[u8]) {
        if self.recently_expired.len() >= REMEMBERED_EXPIRIES {
            self.recently_expired.pop_front();
        }
        self.forget_expired(key);
        self.recently_expired.push_back(key.to_vec());
    }

    /// A key written again is no longer one that expired.
    fn forget_expired(&mut self, key: &[u8]) {
        if !self.recently_expired.is_empty() {
            self.recently_expired.retain(|k| k != key);
        }
    }

    /// Whether `key` ran out of time: it expired (lazily or by a sweep) and was not written
    /// again since, or it is still stored with a deadline that has passed.
    pub fn expired(&self, key: &[u8], now: i64) -> bool {
        match self.entries.get(key) {
            Some(e) => e.expires_at.is_some_and(|t| t <= now),
            None => self.recently_expired.iter().any(|k| k == key),
        }
    }

    /// The live entry under `key` without touching anything (for inspectors and lesson checks,
    /// which must not change what they look at).
    pub fn peek(&self, key: &[u8], now: i64) -> Option<&Entry> {
        self.entries.get(key).filter(|e| e.expires_at.is_none_or(|t| t > now))
    }

    /// The live entry under `key`, if any (lazily expiring it first).
    pub fn get(&mut self, key: &[u8], now: i64) -> Option<&Entry> {
        self.expire_if_due(key, now);
        self.entries.get(key)
    }

    pub fn get_mut(&mut self, key: &[u8], now: i64) -> Option<&mut Entry> {
        self.expire_if_due(key, now);
        self.entries.get_mut(key)
    }

    /// The live value under `key`, marking the access (for LRU/LFU).
    pub fn value(&mut self, key: &[u8], now: i64) -> Option<&mut Value> {
        let entry = self.get_mut(key, now)?;
        entry.last_access = now;
        entry.hits = entry.hits.saturating_add(1);
        Some(&mut entry.value)
    }

    pub fn contains(&mut self, key: &[u8], now: i64) -> bool {
        self.get(key, now).is_some()
    }

    /// Stores a value, keeping no deadline (as SET without KEEPTTL does).
    pub fn set(&mut self, key: &[u8], value: Value, now: i64) {
        let entry = Entry { value, expires_at: None, last_access: now, hits: 1 };
        self.forget_expired(key);
        if let Some(old) = self.entries.insert(key.to_vec(), entry) {
            if old.expires_at.is_some() {
                self.volatile -= 1;
            }
        }
    }

    /// Replaces the value but keeps the key's deadline (SETRANGE, APPEND, KEEPTTL...).
    pub fn set_keep_ttl(&mut self, key: &[u8], value: Value, now: i64) {
        match self.entries.get_mut(key) {
            Some(entry) => {
                entry.value = value;
                entry.last_access = now;
            }
            None => self.set(key, value, now),
        }
    }

    /// Inserts a whole entry (RENAME, MOVE, COPY), replacing any old one.
    pub fn insert_entry(&mut self, key: &[u8], entry: Entry) {
        let volatile = entry.expires_at.is_some();
        self.forget_expired(key);
        if let Some(old) = self.entries.insert(key.to_vec(), entry) {
            if old.expires_at.is_some() {
                self.volatile -= 1;
            }
        }
        if volatile {
            self.volatile += 1;
        }
    }

    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let old = self.entries.remove(key)?;
        if old.expires_at.is_some() {
            self.volatile -= 1;
        }
        Some(old)
    }

    /// Sets or clears the deadline of an existing key. Returns false if the key is missing.
    pub fn set_expiry(&mut self, key: &[u8], at: Option<i64>) -> bool {
        match self.entries.get_mut(key) {
            Some(entry) => {
                match (entry.expires_at.is_some(), at.is_some()) {
                    (false, true) => self.volatile += 1,
                    (true, false) => self.volatile -= 1,
                    _ => {}
                }
                entry.expires_at = at;
                true
            }
            None => false,
        }
    }

    /// Deletes the key if a container became empty after a command removed elements.
    pub fn remove_if_empty(&mut self, key: &[u8]) -> bool {
        let empty = matches!(self.entries.get(key), Some(e) if e.value.is_empty_container());
        if empty {
            self.remove(key);
        }
        empty
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.volatile = 0;
    }

    /// All keys, expired ones included (callers that care filter with `now`).
    pub fn keys(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.entries.keys()
    }

    pub fn entries(&self) -> impl Iterator<Item = (&Vec<u8>, &Entry)> {
        self.entries.iter()
    }

    /// Live keys in a stable order (the map's iteration order, deterministic with our hasher).
    pub fn live_keys(&self, now: i64) -> Vec<Vec<u8>> {
        self.entries
            .iter()
            .filter(|(_, e)| !matches!(e.expires_at, Some(t) if t <= now))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// The active half of expiry: deletes up to `budget` expired keys; returns how many.
    pub fn sweep_expired(&mut self, now: i64, budget: usize) -> usize {
        if self.volatile == 0 {
            return 0;
        }
        let due: Vec<Vec<u8>> = self
            .entries
            .iter()
            .filter(|(_, e)| matches!(e.expires_at, Some(t) if t <= now))
            .map(|(k, _)| k.clone())
            .take(budget)
            .collect();
        for key in &due {
            self.remove(key);
            self.remember_expired(key);
        }
        due.len()
    }

    pub fn approx_bytes(&self) -> usize {
        self.entries.iter().map(|(k, e)| k.len() + 64 + e.value.approx_bytes()).sum()
    }
}
