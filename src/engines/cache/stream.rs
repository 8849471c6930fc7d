//! The stream: an append-only log of entries with IDs, plus consumer groups.
//!
//! ```text
//!   entries:  1700000000000-0 {sensor: a, t: 20}
//!             1700000000000-1 {sensor: b, t: 21}     <- last_id
//!   group "g": last_id = 1700000000000-0 (delivered up to here)
//!              PEL: 1700000000000-0 -> consumer "alice", delivered 1 time
//! ```
//!
//! An ID is `<milliseconds>-<sequence>`; `XADD *` takes the lab clock's milliseconds and
//! bumps the sequence within one millisecond. A consumer group remembers the last ID it
//! delivered and a pending entries list (PEL): entries delivered but not yet `XACK`ed, each
//! with its owner and a delivery count, which XPENDING/XCLAIM/XAUTOCLAIM inspect and move.

use super::maps::pairs;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId { ms: u64::MAX, seq: u64::MAX };

    pub fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The next ID after this one, if any.
    pub fn next(self) -> Option<StreamId> {
        if self.seq < u64::MAX {
            Some(StreamId::new(self.ms, self.seq + 1))
        } else if self.ms < u64::MAX {
            Some(StreamId::new(self.ms + 1, 0))
        } else {
            None
        }
    }

    /// The ID just before this one, if any.
    pub fn prev(self) -> Option<StreamId> {
        if self.seq > 0 {
            Some(StreamId::new(self.ms, self.seq - 1))
        } else if self.ms > 0 {
            Some(StreamId::new(self.ms - 1, u64::MAX))
        } else {
            None
        }
    }

    /// Parses `ms-seq` or `ms` (the sequence then being `missing_seq`). Strict digits only.
    pub fn parse(arg: &[u8], missing_seq: u64) -> Option<StreamId> {
        let text = std::str::from_utf8(arg).ok()?;
        match text.split_once('-') {
            Some((ms, seq)) => Some(StreamId::new(parse_u64(ms)?, parse_u64(seq)?)),
            None => Some(StreamId::new(parse_u64(text)?, missing_seq)),
        }
    }

    pub fn to_bytes(self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

fn parse_u64(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// One pending delivery in a group's PEL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub consumer: Vec<u8>,
    /// Lab time (ms) of the last delivery: XPENDING's idle time is `now - delivery_time`.
    pub delivery_time: i64,
    pub delivery_count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Consumer {
    /// Lab time (ms) the consumer last did anything (XINFO CONSUMERS `idle`).
    pub seen_time: i64,
    pub pel: BTreeSet<StreamId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub last_id: StreamId,
    /// How many entries the group has read, when known (XINFO GROUPS `entries-read`, lag).
    pub entries_read: Option<u64>,
    #[serde(with = "pairs")]
    pub pel: BTreeMap<StreamId, Pending>,
    #[serde(with = "pairs")]
    pub consumers: BTreeMap<Vec<u8>, Consumer>,
}

impl Group {
    pub fn new(last_id: StreamId, entries_read: Option<u64>) -> Group {
        Group { last_id, entries_read, pel: BTreeMap::new(), consumers: BTreeMap::new() }
    }

    /// Finds or creates a consumer; returns whether it was created.
    pub fn touch_consumer(&mut self, name: &[u8], now: i64) -> bool {
        match self.consumers.get_mut(name) {
            Some(c) => {
                c.seen_time = now;
                false
            }
            None => {
                self.consumers.insert(name.to_vec(), Consumer { seen_time: now, pel: BTreeSet::new() });
                true
            }
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stream {
    /// Entry ID -> flattened field/value list.
    #[serde(with = "pairs")]
    pub entries: BTreeMap<StreamId, Vec<Vec<u8>>>,
    pub last_id: StreamId,
    pub max_deleted_id: StreamId,
    /// Entries ever added (XINFO `entries-added`), deleted ones included.
    pub entries_added: u64,
    #[serde(with = "pairs")]
    pub groups: BTreeMap<Vec<u8>, Group>,
}

impl Stream {
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn first_id(&self) -> Option<StreamId> {
        self.entries.keys().next().copied()
    }

    /// Redis's `streamEstimateDistanceFromFirstEverEntry`-style check used for consumer lag:
    /// whether `id` is inside the range of entries that may have been deleted.
    pub fn range_has_tombstones(&self, from: StreamId) -> bool {
        if self.is_empty() || self.max_deleted_id == StreamId::MIN {
            return false;
        }
        let first = self.first_id().unwrap_or(StreamId::MIN);
        from <= self.max_deleted_id && self.max_deleted_id >= first
    }

    /// The number of entries a group at `last_id` has read, when it can be known (7.0 rules).
    pub fn entries_read_for(&self, group: &Group) -> Option<u64> {
        if let Some(n) = group.entries_read {
            if !self.range_has_tombstones(group.last_id) {
                return Some(n);
            }
        }
        if self.entries_added == 0 {
            return Some(0);
        }
        if self.is_empty() && group.last_id < self.last_id {
            return Some(self.entries_added);
        }
        if group.last_id == self.last_id {
            return Some(self.entries_added);
        }
        if !self.range_has_tombstones(group.last_id) {
            if let Some(first) = self.first_id() {
                if group.last_id < first {
                    return Some(self.entries_added.saturating_sub(self.len() as u64));
                }
            }
        }
        None
    }

    pub fn approx_bytes(&self) -> usize {
        self.entries.values().map(|fields| 32 + fields.iter().map(|f| f.len() + 8).sum::<usize>()).sum::<usize>()
    }
}
