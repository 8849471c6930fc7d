//! Cluster mode: 16384 hash slots, hash tags, and the redirections a cluster node answers.
//!
//! A key's slot is `CRC16(key) mod 16384` (CRC-16/XMODEM), hashing only the part between the
//! first `{` and the next `}` when that part is not empty — so `{user:1}:name` and
//! `{user:1}:email` land in the same slot and may be used together in MSET or a transaction.
//!
//! A node owns some slot ranges. A command whose keys hash to different slots fails with
//! `CROSSSLOT`; one whose slot another node owns is answered `MOVED <slot> <host>:<port>`, which
//! `redis-cli -c` follows.

use super::Reply;
use serde::{Deserialize, Serialize};

pub const SLOTS: u16 = 16384;

/// CRC-16/XMODEM (polynomial 0x1021, initial value 0), as Redis Cluster uses.
pub fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in bytes {
        crc ^= (b as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

/// The part of a key that is hashed: the hash tag if there is a non-empty one.
pub fn hash_tag(key: &[u8]) -> &[u8] {
    if let Some(open) = key.iter().position(|&b| b == b'{') {
        if let Some(len) = key[open + 1..].iter().position(|&b| b == b'}') {
            if len > 0 {
                return &key[open + 1..open + 1 + len];
            }
        }
    }
    key
}

pub fn key_slot(key: &[u8]) -> u16 {
    crc16(hash_tag(key)) % SLOTS
}

/// One shard as the cluster sees it: its slot ranges and where its primary listens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    pub ranges: Vec<(u16, u16)>,
    pub host: String,
    pub port: u16,
    pub node_id: String,
}

impl Shard {
    pub fn owns(&self, slot: u16) -> bool {
        self.ranges.iter().any(|&(a, b)| (a..=b).contains(&slot))
    }
}

/// The cluster state a node holds: which shard it is, and the map of all shards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterNode {
    /// Index of this node's shard in `shards`.
    pub me: usize,
    pub shards: Vec<Shard>,
}

impl ClusterNode {
    /// Checks that `keys` share a slot this node owns: `None` to go ahead, or the error.
    pub fn route(&self, keys: &[&[u8]]) -> Option<Reply> {
        let first = keys.first()?;
        let slot = key_slot(first);
        if keys.iter().any(|k| key_slot(k) != slot) {
            return Some(Reply::err("CROSSSLOT Keys in request don't hash to the same slot"));
        }
        let mine = self.shards.get(self.me)?;
        if mine.owns(slot) {
            return None;
        }
        match self.shards.iter().find(|s| s.owns(slot)) {
            Some(owner) => Some(Reply::Error(format!("MOVED {slot} {}:{}", owner.host, owner.port))),
            None => Some(Reply::err("CLUSTERDOWN Hash slot not served")),
        }
    }

    /// Splits 16384 slots evenly over `n` shards, as ElastiCache does for a new cluster.
    pub fn even_ranges(n: usize) -> Vec<(u16, u16)> {
        let n = n.max(1) as u32;
        (0..n).map(|i| ((i * SLOTS as u32 / n) as u16, (((i + 1) * SLOTS as u32 / n) - 1) as u16)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_match_redis() {
        // Values from the Redis Cluster specification and `CLUSTER KEYSLOT`.
        assert_eq!(crc16(b"123456789"), 0x31C3);
        assert_eq!(key_slot(b"foo"), 12182);
        assert_eq!(key_slot(b"somekey"), 11058);
        assert_eq!(key_slot(b"{user1000}.following"), key_slot(b"{user1000}.followers"));
        assert_eq!(key_slot(b"foo{}{bar}"), key_slot(b"foo{}{bar}"));
        assert_eq!(hash_tag(b"foo{}{bar}"), b"foo{}{bar}");
        assert_eq!(hash_tag(b"foo{{bar}}zap"), b"{bar");
    }

    #[test]
    fn even_ranges_cover_all_slots() {
        let r = ClusterNode::even_ranges(3);
        assert_eq!(r, vec![(0, 5460), (5461, 10921), (10922, 16383)]);
    }
}
