//! A DynamoDB-compatible store: the real API as JSON in and out.
//!
//! The life of a request, e.g. `PutItem {"TableName": "Music", "Item": {...}}`:
//!
//! 1. [`Dynamo::call`] finds the operation's request shape ([`requests`]) and checks it
//!    ([`shape`]): wrong JSON types are a `SerializationException`, broken constraints a
//!    `ValidationException` listing up to ten of them, in DynamoDB's words.
//! 2. The operation ([`ops`]) reads its members, parses attribute values ([`value`], with
//!    exact decimal [`number`]s) and expressions ([`expr`], or the [`legacy`] parameters),
//!    and makes the checks that need the table (key schema, types of key attributes).
//! 3. It reads or writes the table's items ([`table`]), evaluates conditions, and answers in the
//!    real response shape, with consumed capacity ([`capacity`]) when asked.
//!
//! Time is an input: `now` (seconds since the epoch, fractional) stamps creation and update
//! times and drives the TTL sweep ([`Dynamo::sweep_ttl`]). Nothing here reads a clock.

pub mod base64;
pub mod capacity;
pub mod error;
pub mod expr;
pub mod legacy;
pub mod number;
pub mod ops;
pub mod requests;
pub mod shape;
pub mod table;
pub mod value;

use error::{DynamoError, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use table::Table;

/// The account and region tables live in (ARNs name them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dynamo {
    pub account: String,
    pub region: String,
    pub tables: BTreeMap<String, Table>,
    /// Counter for table ids (deterministic, no randomness needed).
    pub next_id: u64,
    /// How pending state changes (CREATING, UPDATING, DELETING) complete; see [`Settle`].
    #[serde(default)]
    pub settle: Settle,
}

/// When a table's pending change completes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Settle {
    /// As soon as the world moves on: right after a DescribeTable has shown the pending
    /// status, or when a request about anything else arrives. This is what the reference
    /// suite, recorded with zero delays, observes: a table is still CREATING for the requests
    /// that follow its creation at once, and one describe later it is ACTIVE.
    #[default]
    AfterDescribe,
    /// Only when the caller says so ([`Dynamo::complete`]); the cloud layer schedules it on
    /// the lab clock with realistic durations.
    Manual,
}

impl Default for Dynamo {
    fn default() -> Self {
        Dynamo::new("000000000000", "us-east-1")
    }
}

/// The operations this engine answers.
pub const OPERATIONS: &[&str] = &[
    "CreateTable",
    "DescribeTable",
    "ListTables",
    "UpdateTable",
    "DeleteTable",
    "PutItem",
    "GetItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactWriteItems",
    "TransactGetItems",
    "UpdateTimeToLive",
    "DescribeTimeToLive",
    "TagResource",
    "UntagResource",
    "ListTagsOfResource",
];

impl Dynamo {
    pub fn new(account: &str, region: &str) -> Dynamo {
        Dynamo {
            account: account.into(),
            region: region.into(),
            tables: BTreeMap::new(),
            next_id: 1,
            settle: Settle::AfterDescribe,
        }
    }

    /// Runs one API operation. `now` is the lab clock in seconds since the epoch.
    pub fn call(&mut self, now: f64, operation: &str, request: &Value) -> Result<Value> {
        let Some(fields) = requests::request_shape(operation) else {
            return Err(DynamoError::unknown_operation());
        };
        let req = shape::typecheck_request(fields, request)?;
        if requests::checks_table_name_first(operation) {
            match req.get("TableName") {
                None | Some(Value::Null) => {
                    return Err(DynamoError::validation(
                        "The parameter 'TableName' is required but was not present in the request",
                    ))
                }
                Some(Value::String(s)) if s.chars().count() < 3 || s.chars().count() > 255 => {
                    return Err(DynamoError::validation(
                        "TableName must be at least 3 characters long and at most 255 characters long",
                    ))
                }
                _ => {}
            }
        }
        if matches!(operation, "TagResource" | "UntagResource" | "ListTagsOfResource") {
            ops::misc::check_arn(operation, &req)?;
        }
        if self.settle == Settle::AfterDescribe {
            let named = named_tables(&req);
            let pending: Vec<String> = self
                .tables
                .iter()
                .filter(|(n, t)| {
                    !named.contains(n) && (t.status != "ACTIVE" || t.indexes.iter().any(|i| i.status != "ACTIVE"))
                })
                .map(|(n, _)| n.clone())
                .collect();
            for n in pending {
                self.complete(&n);
            }
        }
        shape::check_constraints(fields, &req)?;
        self.sweep_ttl(now);
        for t in self.tables.values_mut() {
            t.refresh_stats(now, false);
        }
        match operation {
            "CreateTable" => ops::tables::create(self, now, &req),
            "DescribeTable" => {
                let described = ops::tables::describe(self, &req);
                if self.settle == Settle::AfterDescribe {
                    if let Some(name) = req.get("TableName").and_then(Value::as_str) {
                        self.complete(name);
                    }
                }
                described
            }
            "ListTables" => ops::tables::list(self, &req),
            "UpdateTable" => ops::tables::update(self, now, &req),
            "DeleteTable" => ops::tables::delete(self, &req),
            "PutItem" => ops::items::put(self, &req),
            "GetItem" => ops::items::get(self, &req),
            "UpdateItem" => ops::items::update(self, &req),
            "DeleteItem" => ops::items::delete(self, &req),
            "Query" => ops::query::query(self, &req),
            "Scan" => ops::query::scan(self, &req),
            "BatchGetItem" => ops::batch::batch_get(self, &req),
            "BatchWriteItem" => ops::batch::batch_write(self, &req),
            "TransactWriteItems" => ops::batch::transact_write(self, &req),
            "TransactGetItems" => ops::batch::transact_get(self, &req),
            "UpdateTimeToLive" => ops::misc::update_ttl(self, &req),
            "DescribeTimeToLive" => ops::misc::describe_ttl(self, &req),
            "TagResource" => ops::misc::tag(self, &req),
            "UntagResource" => ops::misc::untag(self, &req),
            "ListTagsOfResource" => ops::misc::list_tags(self, &req),
            _ => Err(DynamoError::unknown_operation()),
        }
    }

    /// Completes a table's pending change: CREATING and UPDATING become ACTIVE (with the new
    /// throughput and indexes in place), DELETING removes the table. Returns whether anything
    /// changed.
    pub fn complete(&mut self, name: &str) -> bool {
        let Some(t) = self.tables.get_mut(name) else { return false };
        match t.status.as_str() {
            "DELETING" => {
                self.tables.remove(name);
                true
            }
            "ACTIVE" if t.indexes.iter().all(|i| i.status == "ACTIVE") => false,
            _ => {
                t.status = "ACTIVE".into();
                if let Some((r, w)) = t.pending_throughput.take() {
                    t.throughput.read = r;
                    t.throughput.write = w;
                }
                t.indexes.retain(|i| i.status != "DELETING");
                for i in &mut t.indexes {
                    i.status = "ACTIVE".into();
                }
                true
            }
        }
    }

    /// Completes every pending change at once.
    pub fn complete_all(&mut self) {
        let names: Vec<String> = self.tables.keys().cloned().collect();
        for n in names {
            self.complete(&n);
        }
    }

    /// Deletes items whose TTL attribute (a number of epoch seconds) lies in the past.
    /// DynamoDB does this in the background, days late; callers decide when to run it.
    pub fn sweep_ttl(&mut self, now: f64) -> usize {
        let mut removed = 0;
        for t in self.tables.values_mut() {
            let Some(attr) = t.ttl_attribute.clone() else { continue };
            let expired: Vec<table::StoreKey> = t
                .items
                .iter()
                .filter(|(_, item)| matches!(item.get(&attr), Some(value::AttrValue::N(n)) if n.to_f64() < now - TTL_GRACE_SECONDS))
                .map(|(k, _)| k.clone())
                .collect();
            for k in expired {
                if let Some(item) = t.items.remove(&k) {
                    t.size_bytes = t.size_bytes.saturating_sub(value::item_size(&item));
                    removed += 1;
                }
            }
        }
        removed
    }

    pub fn table_arn(&self, name: &str) -> String {
        format!("arn:aws:dynamodb:{}:{}:table/{}", self.region, self.account, name)
    }

    /// Restores what serialisation leaves out (items' store keys).
    pub fn after_load(&mut self) {
        for t in self.tables.values_mut() {
            t.rekey();
        }
    }
}

/// The tables a request is about.
fn named_tables(req: &Value) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(n) = req.get("TableName").and_then(Value::as_str) {
        names.push(n.to_string());
    }
    if let Some(Value::Object(items)) = req.get("RequestItems") {
        names.extend(items.keys().cloned());
    }
    if let Some(arn) = req.get("ResourceArn").and_then(Value::as_str) {
        if let Some((_, n)) = arn.split_once(":table/") {
            names.push(n.to_string());
        }
    }
    for t in req.get("TransactItems").and_then(Value::as_array).into_iter().flatten() {
        if let Some(obj) = t.as_object() {
            for action in obj.values() {
                if let Some(n) = action.get("TableName").and_then(Value::as_str) {
                    names.push(n.to_string());
                }
            }
        }
    }
    names
}

/// How long after expiry the background sweep removes an item. The real service takes up to
/// a few days; the lab uses ten minutes so a learner can watch it happen.
pub const TTL_GRACE_SECONDS: f64 = 600.0;
