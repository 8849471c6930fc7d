//! The command handlers, one file per family, each handler of one shape:
//! `fn(&mut Cache, &Call) -> CmdResult` — read the arguments from the call, work on the
//! connection's database, answer a [`Reply`](super::Reply) (`Err` being an error reply).
//!
//! This file holds what every family shares: finding a key's value with the right type (or
//! answering WRONGTYPE), creating it when a write needs it, and the keyspace hit/miss counts.

pub mod hashes;
pub mod keys;
pub mod lists;
pub mod pubsub;
pub mod server;
pub mod sets;
pub mod streams;
pub mod strings;
pub mod transactions;
pub mod zsets;

use super::args::wrongtype;
use super::keyspace::{Db, Value};
use super::maps::{FxMap, FxSet};
use super::stream::Stream;
use super::zset::ZSet;
use super::{Cache, Call, Reply};
use std::collections::VecDeque;

macro_rules! typed_access {
    ($get:ident, $create:ident, $variant:ident, $ty:ty, $new:expr) => {
        /// The value under `key` if it has this type; `Ok(None)` if missing, WRONGTYPE otherwise.
        pub(crate) fn $get(&mut self, c: &Call, key: &[u8]) -> Result<Option<&mut $ty>, Reply> {
            match self.lookup(c, key) {
                None => Ok(None),
                Some(Value::$variant(v)) => Ok(Some(v)),
                Some(_) => Err(wrongtype()),
            }
        }
        /// The value under `key`, created empty if missing; WRONGTYPE if of another type.
        pub(crate) fn $create(&mut self, c: &Call, key: &[u8]) -> Result<&mut $ty, Reply> {
            let db = &mut self.dbs[c.db];
            match db.get(key, c.now).map(|e| matches!(e.value, Value::$variant(_))) {
                Some(false) => return Err(wrongtype()),
                None => db.set(key, Value::$variant($new), c.now),
                Some(true) => {}
            }
            match db.value(key, c.now) {
                Some(Value::$variant(v)) => Ok(v),
                _ => Err(wrongtype()),
            }
        }
    };
}

impl Cache {
    /// The connection's selected database.
    pub(crate) fn db(&mut self, c: &Call) -> &mut Db {
        &mut self.dbs[c.db]
    }

    /// Looks a key up for a command, counting a keyspace hit or miss.
    pub(crate) fn lookup(&mut self, c: &Call, key: &[u8]) -> Option<&mut Value> {
        match self.dbs[c.db].value(key, c.now) {
            Some(v) => {
                self.stats.keyspace_hits += 1;
                Some(v)
            }
            None => {
                self.stats.keyspace_misses += 1;
                None
            }
        }
    }

    typed_access!(get_str, str_or_new, Str, Vec<u8>, Vec::new());
    typed_access!(get_list, list_or_new, List, VecDeque<Vec<u8>>, VecDeque::new());
    typed_access!(get_hash, hash_or_new, Hash, FxMap<Vec<u8>, Vec<u8>>, FxMap::default());
    typed_access!(get_set, set_or_new, Set, FxSet<Vec<u8>>, FxSet::default());
    typed_access!(get_zset, zset_or_new, ZSet, ZSet, ZSet::new());
    typed_access!(get_stream, stream_or_new, Stream, Box<Stream>, Box::default());

    /// Deletes `key` if a command left its container empty.
    pub(crate) fn drop_if_empty(&mut self, c: &Call, key: &[u8]) {
        self.dbs[c.db].remove_if_empty(key);
    }
}

/// Parses a `COUNT`-style positive count: `ERR value is out of range, must be positive`.
pub(crate) fn positive_count(arg: &[u8]) -> Result<usize, Reply> {
    match super::args::parse_i64(arg) {
        Some(n) if n >= 0 => Ok(n as usize),
        Some(_) => Err(Reply::err(super::args::OUT_OF_RANGE_POSITIVE)),
        None => Err(Reply::err(super::args::OUT_OF_RANGE_POSITIVE)),
    }
}

/// Resolves a `start stop` pair of list indexes (negative from the end) to a clamped
/// inclusive range, or `None` when it selects nothing.
pub(crate) fn index_range(start: i64, stop: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let mut start = if start < 0 { len + start } else { start };
    let mut stop = if stop < 0 { len + stop } else { stop };
    if start < 0 {
        start = 0;
    }
    if start > stop || start >= len {
        return None;
    }
    if stop >= len {
        stop = len - 1;
    }
    Some((start as usize, stop as usize))
}
