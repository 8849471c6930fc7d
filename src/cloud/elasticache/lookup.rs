//! Questions the rest of the lab asks about ElastiCache's state, answered by the rules the
//! service itself follows, so that nobody works them out again: which endpoint a client of a
//! group connects to, and which primary owns a key.
//!
//! In cluster mode the 16384 hash slots are split between the shards
//! ([`super::group::ReplicationGroup::slots`]); a key belongs to the shard whose range holds
//! its slot ([`crate::engines::cache::cluster::key_slot`], which honours `{hash tags}`). With
//! cluster mode disabled there is one shard, and it owns every key.

use super::node::CacheNode;
use super::ElastiCache;
use crate::engines::cache::cluster::key_slot;

impl ElastiCache {
    /// The endpoint an application of the group connects to: the configuration endpoint in
    /// cluster mode, the primary endpoint otherwise.
    pub fn client_endpoint(&self, group: &str) -> Option<String> {
        let g = self.group(group)?;
        Some(if g.cluster_mode { g.configuration_endpoint(&self.suffix) } else { g.primary_endpoint(&self.suffix) })
    }

    /// The shard (0-based) that owns `key`.
    pub fn shard_of_key(&self, group: &str, key: &[u8]) -> Option<usize> {
        let g = self.group(group)?;
        if !g.cluster_mode {
            return Some(0);
        }
        let slot = key_slot(key);
        g.slots.iter().position(|&(first, last)| (first..=last).contains(&slot))
    }

    /// The primary that serves `key`: the primary of the shard that owns it.
    pub fn primary_for_key(&self, group: &str, key: &[u8]) -> Option<&CacheNode> {
        self.primary_of(group, self.shard_of_key(group, key)?)
    }
}
