//! RDS events: what `aws rds describe-events` lists ("DB instance created", "Multi-AZ instance
//! failover started" ...), one log for the account, newest last. ElastiCache keeps its events
//! in a log of the same shape.
//!
//! An event's message is AWS's wording, for people; its [`EventKind`] is for code. A lesson
//! check or a view asks the log by kind ([`EventLog::completed_failovers`]), so rewording a
//! message never breaks them.

use crate::cloud::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// How many events the log keeps.
const CAPACITY: usize = 2000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RdsEvent {
    pub at: Timestamp,
    pub source: String,
    /// `db-instance`, `db-cluster`, `db-snapshot`, `db-subnet-group`.
    pub source_type: String,
    pub message: String,
    pub categories: Vec<String>,
    pub kind: EventKind,
}

/// What an event says happened, for the code that asks about it. Only the events something
/// asks about have a kind of their own; add one when a check or a view needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// A failover finished: a Multi-AZ standby, an Aurora reader or a cache replica took over.
    FailoverCompleted,
    /// Any other event: only its message tells what it is.
    Other,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventLog {
    pub events: Vec<RdsEvent>,
}

impl EventLog {
    pub fn record(&mut self, at: Timestamp, source: &str, source_type: &str, message: &str, category: &str) {
        self.record_kind(at, source, source_type, EventKind::Other, message, category);
    }

    /// Records an event of a kind that code asks about.
    pub fn record_kind(
        &mut self,
        at: Timestamp,
        source: &str,
        source_type: &str,
        kind: EventKind,
        message: &str,
        category: &str,
    ) {
        if self.events.len() >= CAPACITY {
            self.events.remove(0);
        }
        self.events.push(RdsEvent {
            at,
            source: source.to_string(),
            source_type: source_type.to_string(),
            message: message.to_string(),
            categories: vec![category.to_string()],
            kind,
        });
    }

    pub fn to_json(e: &RdsEvent, account: &str) -> Value {
        let kind = match e.source_type.as_str() {
            "db-snapshot" => "snapshot",
            "db-subnet-group" => "subgrp",
            "db-cluster" => "cluster",
            _ => "db",
        };
        json!({
            "SourceIdentifier": e.source,
            "SourceType": e.source_type,
            "Message": e.message,
            "EventCategories": e.categories,
            "Date": e.at.to_aws_string(),
            "SourceArn": format!("arn:aws:rds:us-east-1:{account}:{kind}:{}", e.source),
        })
    }

    /// How many failovers the source (of that type: `db-instance`, `db-cluster`,
    /// `replication-group`) completed, as far back as the log goes.
    pub fn completed_failovers(&self, source_type: &str, source: &str) -> usize {
        let completed = |e: &&RdsEvent| e.kind == EventKind::FailoverCompleted;
        self.events.iter().filter(|e| e.source_type == source_type && e.source == source).filter(completed).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failovers_are_counted_by_kind_and_source_not_by_wording() {
        let mut log = EventLog::default();
        let completed = EventKind::FailoverCompleted;
        log.record(Timestamp(0), "db", "db-instance", "Multi-AZ instance failover started.", "failover");
        assert_eq!(log.completed_failovers("db-instance", "db"), 0, "started is not completed");
        log.record_kind(Timestamp(1), "db", "db-instance", completed, "Any wording at all", "failover");
        log.record_kind(Timestamp(2), "db", "db-cluster", completed, "Completed failover", "failover");
        log.record_kind(Timestamp(3), "other", "db-instance", completed, "Completed failover", "failover");
        assert_eq!(log.completed_failovers("db-instance", "db"), 1);
        assert_eq!(log.completed_failovers("db-cluster", "db"), 1);
        assert_eq!(EventLog::to_json(&log.events[1], "1")["Message"], "Any wording at all");
    }
}
