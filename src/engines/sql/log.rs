//! The commit log: every committed transaction, in order, as the row changes it made.
//!
//! ```text
//!   LSN  time                 changes
//!   1    2026-11-26 10:00:00  +database shop
//!   2    2026-11-26 10:00:05  +table shop.orders
//!   3    2026-11-26 10:01:12  insert orders#1, insert orders#2
//!   4    2026-11-26 10:02:40  update orders#1
//! ```
//!
//! It is what replication and recovery are built on (DESIGN.md): a replica applies the records
//! it has not seen yet ([`CommitLog::since`] then [`apply`]); a snapshot is the catalog as of one
//! LSN; a point-in-time restore takes the newest snapshot not after the target time and replays
//! the records up to that time ([`restore`]). A rolled-back transaction never reaches the log.

use super::storage::{Catalog, Change};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogRecord {
    pub lsn: u64,
    /// Virtual time of the commit, microseconds since the epoch.
    pub time: i64,
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommitLog {
    pub records: Vec<LogRecord>,
}

/// The catalog as it was after the record `lsn` (0: before any record).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub lsn: u64,
    pub time: i64,
    pub catalog: Catalog,
}

impl CommitLog {
    pub fn latest_lsn(&self) -> u64 {
        self.records.last().map(|r| r.lsn).unwrap_or(0)
    }

    /// Appends a committed transaction; returns its LSN.
    pub fn append(&mut self, time: i64, changes: Vec<Change>) -> u64 {
        let lsn = self.latest_lsn() + 1;
        self.records.push(LogRecord { lsn, time, changes });
        lsn
    }

    /// The records after `lsn`, oldest first.
    pub fn since(&self, lsn: u64) -> &[LogRecord] {
        let start = self.records.partition_point(|r| r.lsn <= lsn);
        &self.records[start..]
    }
}

/// Applies one record to a catalog (a replica, a restore in progress). Returns false if some
/// change did not fit, which means the catalog was not at the record's predecessor.
pub fn apply(catalog: &mut Catalog, record: &LogRecord) -> bool {
    record.changes.iter().all(|c| catalog.apply(c))
}

/// Point-in-time restore: `snapshot` plus every record committed after it, up to `until`.
pub fn restore(snapshot: &Snapshot, log: &CommitLog, until: i64) -> (Catalog, u64) {
    let mut catalog = snapshot.catalog.clone();
    let mut lsn = snapshot.lsn;
    for r in log.since(snapshot.lsn) {
        if r.time > until {
            break;
        }
        apply(&mut catalog, r);
        lsn = r.lsn;
    }
    (catalog, lsn)
}
