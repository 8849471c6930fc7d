//! RDS events: what `aws rds describe-events` lists ("DB instance created", "Multi-AZ instance
//! failover started" ...), one log for the account, newest last.

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
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventLog {
    pub events: Vec<RdsEvent>,
}

impl EventLog {
    pub fn record(&mut self, at: Timestamp, source: &str, source_type: &str, message: &str, category: &str) {
        if self.events.len() >= CAPACITY {
            self.events.remove(0);
        }
        self.events.push(RdsEvent {
            at,
            source: source.to_string(),
            source_type: source_type.to_string(),
            message: message.to_string(),
            categories: vec![category.to_string()],
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
}
