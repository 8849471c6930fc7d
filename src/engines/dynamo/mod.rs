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
        Dynamo { account: account.into(), region: region.into(), tables: BTreeMap::new(), next_id: 1 }
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
        shape::check_constraints(fields, &req)?;
        // Tables finish creating, updating and deleting between requests (the suite's
        // reference ran with no delays); the cloud layer adds real durations on top.
        self.settle();
        self.sweep_ttl(now);
        for t in self.tables.values_mut() {
            t.refresh_stats(now, false);
        }
        match operation {
            "CreateTable" => ops::tables::create(self, now, &req),
            "DescribeTable" => ops::tables::describe(self, &req),
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

    /// Completes pending state changes: CREATING and UPDATING become ACTIVE, DELETING goes.
    pub fn settle(&mut self) {
        self.tables.retain(|_, t| t.status != "DELETING");
        for t in self.tables.values_mut() {
            t.status = "ACTIVE".into();
            t.indexes.retain(|i| i.status != "DELETING");
            for i in &mut t.indexes {
                i.status = "ACTIVE".into();
            }
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

/// How long after expiry the background sweep removes an item. The real service takes up to
/// a few days; the lab uses ten minutes so a learner can watch it happen.
pub const TTL_GRACE_SECONDS: f64 = 600.0;
