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
    /// How Redis would have packed the entries into listpack nodes (for XINFO's radix-tree
    /// figures): one per node, oldest first.
    pub nodes: Vec<PackNode>,
}

/// One listpack node of Redis's stream representation: it is keyed in the radix tree by its
/// master ID (the first entry added to it) and holds up to 100 entries or about 4 KB.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PackNode {
    pub master: StreamId,
    /// Entries ever appended to this node (deleted ones still count, as in Redis).
    pub appended: u32,
    /// Entries still alive; the node disappears when this reaches 0.
    pub live: u32,
    /// Approximate size of the listpack in bytes.
    pub bytes: u32,
    /// The master entry's field names (entries with the same fields are stored compactly).
    pub master_fields: Vec<Vec<u8>>,
}

/// Size of one listpack element holding `data` (Redis encodes integer-looking strings as ints).
fn lp_element_size(data: &[u8]) -> u32 {
    let len = data.len() as u32;
    if let Some(v) = super::args::parse_i64(data) {
        let body = match v {
            0..=127 => 1,
            -4096..=4095 => 2,
            -32768..=32767 => 3,
            -8388608..=8388607 => 4,
            -2147483648..=2147483647 => 5,
            _ => 9,
        };
        return body + 1;
    }
    let body = if len <= 63 {
        1 + len
    } else if len <= 4095 {
        2 + len
    } else {
        5 + len
    };
    body + if body <= 127 {
        1
    } else if body < 16383 {
        2
    } else {
        3
    }
}

fn lp_int_size(v: i64) -> u32 {
    lp_element_size(v.to_string().as_bytes())
}

impl Stream {
    /// Records an appended entry in the node bookkeeping, as `streamAppendItem` packs it.
    pub fn pack_append(&mut self, id: StreamId, fields: &[Vec<u8>]) {
        let raw: u32 = fields.iter().map(|f| f.len() as u32).sum();
        let start_new = match self.nodes.last() {
            None => true,
            Some(n) => n.bytes + raw >= 4096 || n.appended >= 100,
        };
        if start_new {
            let names: Vec<Vec<u8>> = fields.iter().step_by(2).cloned().collect();
            let mut bytes = 7 + lp_int_size(0) * 2 + lp_int_size(names.len() as i64) + 2;
            bytes += names.iter().map(|n| lp_element_size(n)).sum::<u32>();
            self.nodes.push(PackNode { master: id, appended: 0, live: 0, bytes, master_fields: names });
        }
        if let Some(node) = self.nodes.last_mut() {
            let same = fields.len() / 2 == node.master_fields.len()
                && fields.iter().step_by(2).zip(&node.master_fields).all(|(a, b)| a == b);
            let ms_diff = id.ms.wrapping_sub(node.master.ms) as i64;
            let seq_diff = id.seq.wrapping_sub(node.master.seq) as i64;
            let mut bytes = 2 + lp_int_size(ms_diff) + lp_int_size(seq_diff) + 2;
            if same {
                bytes += fields.iter().skip(1).step_by(2).map(|v| lp_element_size(v)).sum::<u32>();
            } else {
                bytes += lp_int_size((fields.len() / 2) as i64);
                bytes += fields.iter().map(|v| lp_element_size(v)).sum::<u32>();
            }
            node.bytes += bytes;
            node.appended += 1;
            node.live += 1;
        }
    }

    /// Records that the entry `id` was removed (XDEL, trimming).
    pub fn pack_remove(&mut self, id: StreamId) {
        let Some(i) = self.nodes.iter().rposition(|n| n.master <= id) else { return };
        if let Some(node) = self.nodes.get_mut(i) {
            node.live = node.live.saturating_sub(1);
            if node.live == 0 {
                self.nodes.remove(i);
            }
        }
    }

    /// XINFO's `radix-tree-keys` and `radix-tree-nodes`: the nodes' master IDs as 16-byte
    /// big-endian keys in a radix tree laid out as Redis's `rax` lays it out.
    pub fn radix_tree_stats(&self) -> (usize, usize) {
        let keys: Vec<[u8; 16]> = self
            .nodes
            .iter()
            .map(|n| {
                let mut k = [0u8; 16];
                k[..8].copy_from_slice(&n.master.ms.to_be_bytes());
                k[8..].copy_from_slice(&n.master.seq.to_be_bytes());
                k
            })
            .collect();
        let refs: Vec<&[u8]> = keys.iter().map(|k| k.as_slice()).collect();
        (keys.len(), rax_nodes(&refs))
    }
}

/// Nodes of a rax holding `keys` (sorted, distinct, all ending at this point's depth or deeper).
/// A rax node either holds a compressed run of bytes (one child) or the first byte of each of
/// several children; an edge of more than one byte below a branching node takes an extra node.
fn rax_nodes(keys: &[&[u8]]) -> usize {
    let non_empty: Vec<&[u8]> = keys.iter().copied().filter(|k| !k.is_empty()).collect();
    if non_empty.is_empty() {
        return 1;
    }
    // Longest common prefix of the remaining suffixes.
    let first = non_empty[0];
    let mut common = first.len();
    for k in &non_empty[1..] {
        common = common.min(first.iter().zip(k.iter()).take_while(|(a, b)| a == b).count());
    }
    let ends_here = non_empty.len() < keys.len();
    if common > 0 && !ends_here {
        // A compressed node holding the shared run, then whatever follows it.
        let rest: Vec<&[u8]> = non_empty.iter().map(|k| &k[common..]).collect();
        return 1 + rax_nodes(&rest);
    }
    // A branching node: one child per distinct next byte.
    let mut total = 1;
    let mut i = 0;
    while i < non_empty.len() {
        let byte = non_empty[i][0];
        let mut j = i;
        while j < non_empty.len() && non_empty[j][0] == byte {
            j += 1;
        }
        let group: Vec<&[u8]> = non_empty[i..j].iter().map(|k| &k[1..]).collect();
        total += rax_nodes(&group);
        i = j;
    }
    total
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
