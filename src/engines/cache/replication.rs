//! Replication: a primary's stream of writes, and a replica that applies it later.
//!
//! ```text
//!   primary:  SET a 1  ->  backlog [ (offset 31, db 0, SET a 1) ]
//!                                 \   (the cloud layer carries entries after a lag)
//!   replica:                       `-> apply -> a = 1, offset 31
//! ```
//!
//! Every write that succeeds on a primary is appended to its backlog with the replication
//! offset it reached. The cloud layer ships the entries a replica has not seen
//! ([`Cache::replication_since`]) after the replica's lag, and the replica applies them
//! ([`Cache::apply_replicated`]) — so reads on a replica are stale until then, as on
//! ElastiCache. A replica refuses writes from clients (`READONLY`); [`Cache::promote`] turns it
//! into a primary for a failover. Writes the primary acknowledged but had not shipped are lost
//! then, which is the point a lesson on asynchronous replication makes.
//!
//! Commands are replicated as typed (Redis replicates the effects of random commands such as
//! SPOP instead; here a replica's SPOP may pick other members).

use super::{Cache, Reply};
use serde::{Deserialize, Serialize};

/// The most entries a primary keeps for replicas that fall behind (Redis's repl-backlog).
pub const BACKLOG_ENTRIES: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplEntry {
    /// The primary's replication offset after this write.
    pub offset: u64,
    pub db: usize,
    pub argv: Vec<Vec<u8>>,
    /// Lab time of the write (lets the cloud layer apply it after a lag).
    pub at: i64,
}

/// A replica attached to a primary, as `INFO replication` shows it (`slave0:ip=...`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachedReplica {
    pub address: String,
    pub port: u16,
    /// The primary's offset the replica has applied.
    pub offset: u64,
}

impl Cache {
    /// Records a successful write in the backlog (called by `Cache::run`).
    pub(crate) fn record_write(&mut self, db: usize, argv: &[Vec<u8>], now: i64) {
        self.repl_offset += argv.iter().map(|a| a.len() as u64 + 8).sum::<u64>();
        if self.replica_of.is_some() || !self.keep_backlog {
            return;
        }
        if self.backlog.len() >= BACKLOG_ENTRIES {
            self.backlog.pop_front();
        }
        self.backlog.push_back(ReplEntry { offset: self.repl_offset, db, argv: argv.to_vec(), at: now });
    }

    /// Starts keeping the backlog (when the first replica attaches; a lone server keeps none).
    pub fn keep_backlog(&mut self) {
        self.keep_backlog = true;
    }

    /// The writes after `offset` still in the backlog (all of them for offset 0).
    pub fn replication_since(&self, offset: u64) -> Vec<ReplEntry> {
        self.backlog.iter().filter(|e| e.offset > offset).cloned().collect()
    }

    /// Makes this server a replica of `primary` (`host:port`): client writes are refused.
    pub fn make_replica(&mut self, primary: &str) {
        self.replica_of = Some(primary.to_string());
    }

    /// Applies writes shipped from the primary, in order; skips ones already applied.
    pub fn apply_replicated(&mut self, entries: &[ReplEntry], now: i64) {
        let link = ClientIdForReplication::get(self);
        for entry in entries {
            if entry.offset <= self.applied_offset {
                continue;
            }
            let Some(spec) = entry.argv.first().and_then(|n| super::table::lookup(n)) else { continue };
            let call = super::Call {
                argv: &entry.argv,
                client: link,
                db: entry.db.min(super::DATABASES - 1),
                now,
                may_block: false,
            };
            let primary = self.replica_of.take();
            let _: Reply = self.run(spec, &call);
            self.replica_of = primary;
            self.applied_offset = entry.offset;
        }
    }

    /// The primary's offset this replica has applied up to (INFO `slave_repl_offset`).
    pub fn applied_offset(&self) -> u64 {
        self.applied_offset
    }

    /// Failover: this replica becomes a primary and accepts writes (and keeps a backlog for
    /// the replicas that will follow it).
    pub fn promote(&mut self) {
        self.replica_of = None;
        self.keep_backlog = true;
        self.backlog.clear();
    }

    /// Full resynchronisation, as a replica does when it (re)attaches to a primary whose
    /// backlog cannot bring it up to date: its data becomes a copy of the primary's, and it
    /// follows the primary's stream from the primary's current offset.
    pub fn full_sync_from(&mut self, primary: &Cache, primary_address: &str) {
        self.dbs = primary.dbs.clone();
        self.repl_offset = primary.repl_offset;
        self.applied_offset = primary.repl_offset;
        self.keep_backlog = false;
        self.backlog.clear();
        self.replica_of = Some(primary_address.to_string());
    }
}

/// The connection a replica applies the stream through (created on first use).
struct ClientIdForReplication;

impl ClientIdForReplication {
    fn get(cache: &mut Cache) -> super::ClientId {
        match cache.repl_client {
            Some(id) => id,
            None => {
                let id = cache.connect();
                cache.repl_client = Some(id);
                id
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<Vec<u8>> {
        line.split_whitespace().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn replica_lags_then_catches_up_and_can_be_promoted() {
        let mut primary = Cache::new(1, 0);
        primary.keep_backlog();
        let mut replica = Cache::new(2, 0);
        replica.make_replica("10.0.0.1:6379");
        let p = primary.connect();
        let r = replica.connect();
        primary.call(p, &argv("SET stock 10"), 0);
        primary.call(p, &argv("DECR stock"), 1);
        // Not shipped yet: the replica serves a stale read.
        assert_eq!(replica.call(r, &argv("GET stock"), 2), Reply::Nil);
        assert_eq!(
            replica.call(r, &argv("SET stock 0"), 2),
            Reply::err("READONLY You can't write against a read only replica.")
        );
        let entries = primary.replication_since(replica.applied_offset());
        assert_eq!(entries.len(), 2);
        replica.apply_replicated(&entries, 3);
        replica.apply_replicated(&entries, 3); // idempotent
        assert_eq!(replica.call(r, &argv("GET stock"), 4), Reply::bulk("9"));
        replica.promote();
        assert_eq!(replica.call(r, &argv("SET stock 0"), 5), Reply::ok());
    }

    #[test]
    fn a_cluster_replica_redirects_unless_readonly_and_resyncs_in_full() {
        use crate::engines::cache::cluster::{ClusterNode, Shard};
        let shards =
            vec![Shard { ranges: vec![(0, 16383)], host: "10.0.0.5".into(), port: 6379, node_id: "a".repeat(40) }];
        let mut replica = Cache::new(2, 0);
        replica.cluster = Some(ClusterNode { me: 0, shards });
        replica.make_replica("10.0.0.5:6379");
        let r = replica.connect();
        let moved = Reply::Error("MOVED 12182 10.0.0.5:6379".into());
        assert_eq!(replica.call(r, &argv("GET foo"), 0), moved);
        assert_eq!(replica.call(r, &argv("READONLY"), 0), Reply::ok());
        assert_eq!(replica.call(r, &argv("GET foo"), 0), Reply::Nil);
        assert_eq!(replica.call(r, &argv("SET foo 1"), 0), moved);
        assert_eq!(replica.call(r, &argv("READWRITE"), 0), Reply::ok());
        assert_eq!(replica.call(r, &argv("GET foo"), 0), moved);

        let mut plain = Cache::new(3, 0);
        let c = plain.connect();
        assert_eq!(plain.call(c, &argv("READONLY"), 0), Reply::err("ERR This instance has cluster support disabled"));
        plain.call(c, &argv("SET stock 3"), 0);
        let mut fresh = Cache::new(4, 0);
        fresh.full_sync_from(&plain, "10.0.0.9:6379");
        let f = fresh.connect();
        assert_eq!(fresh.call(f, &argv("GET stock"), 1), Reply::bulk("3"));
        assert_eq!(
            fresh.call(f, &argv("DEL stock"), 1),
            Reply::err("READONLY You can't write against a read only replica.")
        );
        plain.keep_backlog();
        plain.call(c, &argv("INCR stock"), 2);
        let entries = plain.replication_since(fresh.applied_offset());
        assert_eq!(entries.len(), 1);
        fresh.apply_replicated(&entries, 3);
        assert_eq!(fresh.call(f, &argv("GET stock"), 4), Reply::bulk("4"));
    }
}
