//! A DynamoDB-compatible store: the real API as JSON in and out.
//!
//! The life of a request, e.g. `PutItem {"TableName": "Music", "Item": {...}}`:
//!
//! 1. [`Dynamo::call`] finds the operation's row ([`operations`]: its handler, the capacity it
//!    takes, what is checked first) and its request shape ([`requests`]), and checks it
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
pub mod collection;
pub mod error;
pub mod expr;
pub mod fast;
pub mod legacy;
pub mod md5;
pub mod number;
pub mod operations;
pub mod ops;
pub mod partition;
pub mod requests;
pub mod reserved;
pub mod shape;
pub mod store;
pub mod table;
pub mod typed;
pub mod value;

use error::{DynamoError, Result};
use operations::{Capacity, Precheck};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use table::Table;

/// The account and region tables live in (ARNs name them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "Saved")]
pub struct Dynamo {
    pub account: String,
    pub region: String,
    pub tables: BTreeMap<String, Table>,
    /// Counter for table ids (deterministic, no randomness needed).
    pub next_id: u64,
    /// How pending state changes (CREATING, UPDATING, DELETING) complete; see [`Settle`].
    pub settle: Settle,
    /// The time of the request being answered (seconds since the epoch).
    pub now: f64,
    /// How long a write takes to reach global secondary indexes (0: at once).
    pub gsi_lag_seconds: f64,
    /// Whether provisioned tables throttle requests beyond their capacity.
    pub throttling: bool,
}

/// A `Dynamo` as saved: the same members; loading re-derives the items' store keys, which
/// JSON cannot hold as map keys.
#[derive(Deserialize)]
struct Saved {
    account: String,
    region: String,
    tables: BTreeMap<String, Table>,
    next_id: u64,
    settle: Settle,
    now: f64,
    gsi_lag_seconds: f64,
    throttling: bool,
}

impl From<Saved> for Dynamo {
    fn from(s: Saved) -> Dynamo {
        let mut d = Dynamo {
            account: s.account,
            region: s.region,
            tables: s.tables,
            next_id: s.next_id,
            settle: s.settle,
            now: s.now,
            gsi_lag_seconds: s.gsi_lag_seconds,
            throttling: s.throttling,
        };
        d.after_load();
        d
    }
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
            now: 0.0,
            gsi_lag_seconds: 0.0,
            throttling: false,
        }
    }

    /// In [`Settle::AfterDescribe`] mode: completes the pending changes of every table the
    /// request is not about (the world has moved on for them).
    fn settle_others(&mut self, named: &[String]) {
        if self.tables.values().all(|t| t.status == "ACTIVE" && t.indexes.iter().all(|i| i.status == "ACTIVE")) {
            return;
        }
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

    /// What happens on the lab clock before any request is served: expired items are swept,
    /// reported counts refreshed when due, writes that reached the indexes leave the backlog.
    fn before_request(&mut self, now: f64) {
        self.now = now;
        self.sweep_ttl(now);
        for t in self.tables.values_mut() {
            t.refresh_stats(now, false);
            t.index_backlog.retain(|b| b.due > now);
        }
    }

    /// The clock and whether capacity is metered, for the operations ([`capacity::Meter`]).
    pub fn meter(&self) -> capacity::Meter {
        capacity::Meter { now: self.now, on: self.throttling }
    }

    /// Charges each table what the request consumed.
    fn after_request(&mut self, now: f64) {
        let metered = self.throttling;
        for t in self.tables.values_mut() {
            capacity::settle_usage(t, now, metered);
        }
    }

    /// Runs one API operation. `now` is the lab clock in seconds since the epoch.
    pub fn call(&mut self, now: f64, operation: &str, request: &Value) -> Result<Value> {
        if operation == "GetItem" {
            if let Some(answer) = self.get_item_fast(now, request) {
                return answer;
            }
        }
        let Some(row) = operations::find(operation) else {
            return Err(DynamoError::unknown_operation());
        };
        let Some(fields) = requests::request_shape(row.name) else {
            return Err(DynamoError::unknown_operation());
        };
        let req = shape::typecheck_request(fields, request)?;
        match row.precheck {
            Precheck::TableName => check_table_name(&req)?,
            Precheck::ResourceArn => ops::misc::check_arn(operation, &req)?,
            Precheck::None => {}
        }
        if self.settle == Settle::AfterDescribe {
            self.settle_others(&named_tables(&req));
        }
        shape::check_constraints(fields, &req)?;
        if self.throttling && row.capacity != Capacity::None {
            for name in named_tables(&req) {
                if let Some(t) = self.tables.get_mut(&name) {
                    capacity::admit(t, now, row.capacity == Capacity::Write)?;
                }
            }
        }
        self.before_request(now);
        let result = (row.handler)(self, &req);
        self.after_request(now);
        result
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
                    i.backfilling = false;
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

    /// When a write made now reaches the global secondary indexes (`None`: at once).
    pub fn index_due(&self) -> Option<f64> {
        (self.gsi_lag_seconds > 0.0).then_some(self.now + self.gsi_lag_seconds)
    }

    pub fn table_arn(&self, name: &str) -> String {
        format!("arn:aws:dynamodb:{}:{}:table/{}", self.region, self.account, name)
    }

    /// Restores what serialisation leaves out (items' store keys).
    fn after_load(&mut self) {
        for t in self.tables.values_mut() {
            t.rekey();
        }
    }
}

/// The short checks of `TableName` some operations make before any other.
fn check_table_name(req: &Value) -> Result<()> {
    match req.get("TableName") {
        None | Some(Value::Null) => {
            Err(DynamoError::validation("The parameter 'TableName' is required but was not present in the request"))
        }
        Some(Value::String(s)) if s.chars().count() < 3 || s.chars().count() > 255 => {
            Err(DynamoError::validation("TableName must be at least 3 characters long and at most 255 characters long"))
        }
        _ => Ok(()),
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

// The browser app keeps the lab in shared storage, which needs it `Send + Sync`.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<Dynamo>();
};

/// How long after expiry the background sweep removes an item. The real service takes up to
/// a few days; the lab uses ten minutes so a learner can watch it happen.
pub const TTL_GRACE_SECONDS: f64 = 600.0;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn music() -> Dynamo {
        let mut db = Dynamo::default();
        db.call(
            0.0,
            "CreateTable",
            &json!({"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"},
                                         {"AttributeName": "Song", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"},
                              {"AttributeName": "Song", "KeyType": "RANGE"}]}),
        )
        .unwrap();
        db.complete_all();
        for (artist, song, year) in [("Acme", "Zebra", "1999"), ("Acme", "Apple", "2001"), ("Bolt", "Hi", "2010")] {
            db.call(
                1.0,
                "PutItem",
                &json!({"TableName": "Music", "Item": {"Artist": {"S": artist}, "Song": {"S": song},
                    "Year": {"N": year}}}),
            )
            .unwrap();
        }
        db
    }

    #[test]
    fn query_returns_a_partition_in_sort_key_order() {
        let mut db = music();
        let r = db
            .call(
                2.0,
                "Query",
                &json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a",
                    "ExpressionAttributeValues": {":a": {"S": "Acme"}}}),
            )
            .unwrap();
        assert_eq!(r["Count"], json!(2));
        assert_eq!(r["Items"][0]["Song"], json!({"S": "Apple"}));
        assert_eq!(r["Items"][1]["Song"], json!({"S": "Zebra"}));
    }

    #[test]
    fn conditions_and_updates() {
        let mut db = music();
        let key = json!({"Artist": {"S": "Bolt"}, "Song": {"S": "Hi"}});
        let e = db
            .call(
                3.0,
                "PutItem",
                &json!({"TableName": "Music", "Item": key, "ConditionExpression": "attribute_not_exists(Artist)"}),
            )
            .unwrap_err();
        assert_eq!(e.code(), "ConditionalCheckFailedException");
        let r = db
            .call(
                3.0,
                "UpdateItem",
                &json!({"TableName": "Music", "Key": key, "UpdateExpression": "SET Plays = if_not_exists(Plays, :z) + :one",
                    "ExpressionAttributeValues": {":z": {"N": "0"}, ":one": {"N": "1"}}, "ReturnValues": "UPDATED_NEW"}),
            )
            .unwrap();
        assert_eq!(r["Attributes"], json!({"Plays": {"N": "1"}}));
    }

    #[test]
    fn pages_resume_where_they_stopped() {
        let mut db = music();
        let mut seen = 0;
        let mut start = Value::Null;
        for _ in 0..10 {
            let mut req = json!({"TableName": "Music", "Limit": 1});
            if !start.is_null() {
                req["ExclusiveStartKey"] = start.clone();
            }
            let r = db.call(4.0, "Scan", &req).unwrap();
            seen += r["Count"].as_u64().unwrap();
            match r.get("LastEvaluatedKey") {
                Some(k) => start = k.clone(),
                None => break,
            }
        }
        assert_eq!(seen, 3);
    }

    #[test]
    fn a_saved_lab_loads_with_its_items() {
        let db = music();
        let text = serde_json::to_string(&db).unwrap();
        let mut back: Dynamo = serde_json::from_str(&text).unwrap();
        assert_eq!(back, db);
        let r = back
            .call(
                5.0,
                "GetItem",
                &json!({"TableName": "Music", "Key": {"Artist": {"S": "Acme"}, "Song": {"S": "Apple"}}}),
            )
            .unwrap();
        assert_eq!(r["Item"]["Year"], json!({"N": "2001"}));
    }

    #[test]
    fn ttl_sweep_removes_expired_items_later() {
        let mut db = music();
        db.call(
            0.0,
            "UpdateTimeToLive",
            &json!({"TableName": "Music",
            "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "Year"}}),
        )
        .unwrap();
        // Year 2001 as epoch seconds is long past at t = 10_000; the sweep runs on the next call.
        let r = db.call(10_000.0, "Scan", &json!({"TableName": "Music"})).unwrap();
        assert_eq!(r["Count"], json!(0));
    }

    #[test]
    fn a_global_index_sees_writes_after_its_lag() {
        let mut db = Dynamo { gsi_lag_seconds: 1.0, ..Dynamo::default() };
        db.call(
            0.0,
            "CreateTable",
            &json!({"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"},
                                     {"AttributeName": "Genre", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}],
            "GlobalSecondaryIndexes": [{"IndexName": "ByGenre", "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [{"AttributeName": "Genre", "KeyType": "HASH"}]}]}),
        )
        .unwrap();
        db.complete_all();
        db.call(
            10.0,
            "PutItem",
            &json!({"TableName": "Music", "Item": {"Artist": {"S": "Acme"}, "Genre": {"S": "Soul"}}}),
        )
        .unwrap();
        let by_genre = json!({"TableName": "Music", "IndexName": "ByGenre", "KeyConditionExpression": "Genre = :g",
            "ExpressionAttributeValues": {":g": {"S": "Soul"}}});
        assert_eq!(db.call(10.2, "Query", &by_genre).unwrap()["Count"], json!(0));
        let consistent = {
            let mut r = by_genre.clone();
            r["ConsistentRead"] = json!(true);
            r
        };
        let e = db.call(10.3, "Query", &consistent).unwrap_err();
        assert_eq!(e.message, "Consistent reads are not supported on global secondary indexes");
        assert_eq!(db.call(11.5, "Query", &by_genre).unwrap()["Count"], json!(1));
    }

    #[test]
    fn provisioned_tables_burst_then_throttle() {
        let mut db = Dynamo { throttling: true, ..Dynamo::default() };
        db.call(
            0.0,
            "CreateTable",
            &json!({"TableName": "Tbl",
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}]}),
        )
        .unwrap();
        db.complete_all();
        // Idle for a while: up to 300 s of capacity is kept as burst.
        let mut accepted = 0;
        let mut throttled = 0;
        for i in 0..400 {
            let put = json!({"TableName": "Tbl", "Item": {"k": {"S": format!("k{i}")}}});
            match db.call(400.0, "PutItem", &put) {
                Ok(_) => accepted += 1,
                Err(e) => {
                    assert_eq!(e.code(), "ProvisionedThroughputExceededException");
                    throttled += 1;
                }
            }
        }
        assert_eq!(accepted, 300);
        assert_eq!(throttled, 100);
        // One second later, one more write fits.
        assert!(db.call(401.0, "PutItem", &json!({"TableName": "Tbl", "Item": {"k": {"S": "x"}}})).is_ok());
        let second = db.tables["Tbl"].buckets.per_second[&400];
        assert_eq!((second[1], second[3]), (300.0, 100.0));
    }

    fn metered_table(billing: Value) -> Dynamo {
        let mut db = Dynamo { throttling: true, ..Dynamo::default() };
        let mut create = json!({"TableName": "Tbl",
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}]});
        for (k, v) in billing.as_object().unwrap() {
            create[k] = v.clone();
        }
        db.call(0.0, "CreateTable", &create).unwrap();
        db.complete_all();
        db
    }

    /// A key whose partition (of `count`) differs from `other`'s.
    fn key_elsewhere(other: &str, count: usize) -> String {
        let part = |k: &str| capacity::partition_of(partition::hash(&table::KeyPart::S(k.into())), count);
        (0..).map(|i| format!("cold{i}")).find(|k| part(k) != part(other)).unwrap()
    }

    fn put(db: &mut Dynamo, now: f64, key: &str) -> std::result::Result<(), String> {
        let put = json!({"TableName": "Tbl", "Item": {"k": {"S": key}}});
        db.call(now, "PutItem", &put).map(|_| ()).map_err(|e| e.code().to_string())
    }

    #[test]
    fn a_hot_key_is_held_to_its_partitions_limit() {
        // 6,000 RCU and 2,000 WCU provisioned: four partitions (6000/3000 + 2000/1000), each
        // with a quarter of the capacity and plenty of burst. One key still gets at most 1,000
        // writes a second; a key on another partition is unaffected.
        let mut db =
            metered_table(json!({"ProvisionedThroughput": {"ReadCapacityUnits": 6000, "WriteCapacityUnits": 2000}}));
        let accepted = (0..1200).filter(|_| put(&mut db, 600.0, "hot").is_ok()).count();
        assert_eq!(accepted, 1000);
        assert_eq!(db.tables["Tbl"].buckets.partitions.len(), 4);
        assert_eq!(put(&mut db, 600.5, "hot"), Err("ProvisionedThroughputExceededException".into()));
        assert_eq!(put(&mut db, 600.5, &key_elsewhere("hot", 4)), Ok(()));
        assert_eq!(put(&mut db, 601.0, "hot"), Ok(()), "the next second serves it again");
        assert_eq!(db.tables["Tbl"].buckets.per_second[&600][3], 201.0, "throttled writes are counted");
        // Reads of the hot key are held to 3,000 units a second the same way.
        let get = json!({"TableName": "Tbl", "Key": {"k": {"S": "hot"}}, "ConsistentRead": true});
        let served = (0..3100).filter(|_| db.call(700.0, "GetItem", &get).is_ok()).count();
        assert_eq!(served, 3000);
    }

    #[test]
    fn batches_hand_back_what_a_throttled_partition_cannot_serve() {
        let mut db = metered_table(json!({"BillingMode": "PAY_PER_REQUEST"}));
        let cold = key_elsewhere("hot", 4);
        // Fill the hot key's partition for this second: 1,000 writes, 3,000 consistent reads.
        assert_eq!((0..1000).filter(|_| put(&mut db, 500.0, "hot").is_ok()).count(), 1000);
        let get = json!({"TableName": "Tbl", "Key": {"k": {"S": "hot"}}, "ConsistentRead": true});
        assert_eq!((0..3000).filter(|_| db.call(500.0, "GetItem", &get).is_ok()).count(), 3000);
        let write = |keys: &[&str]| {
            let puts: Vec<Value> = keys.iter().map(|k| json!({"PutRequest": {"Item": {"k": {"S": k}}}})).collect();
            json!({"RequestItems": {"Tbl": puts}})
        };
        let out = db.call(500.5, "BatchWriteItem", &write(&["hot", &cold])).unwrap();
        assert_eq!(out["UnprocessedItems"], json!({"Tbl": [{"PutRequest": {"Item": {"k": {"S": "hot"}}}}]}));
        let e = db.call(500.5, "BatchWriteItem", &write(&["hot"])).unwrap_err();
        assert_eq!(e.code(), "ProvisionedThroughputExceededException", "nothing could be written");
        let read = json!({"RequestItems": {"Tbl": {"ConsistentRead": true,
            "Keys": [{"k": {"S": "hot"}}, {"k": {"S": cold}}]}}});
        let out = db.call(500.5, "BatchGetItem", &read).unwrap();
        assert_eq!(out["Responses"]["Tbl"], json!([{"k": {"S": cold}}]));
        assert_eq!(out["UnprocessedKeys"], json!({"Tbl": {"ConsistentRead": true, "Keys": [{"k": {"S": "hot"}}]}}));
        // The next second, the partition serves again.
        let out = db.call(501.0, "BatchWriteItem", &write(&["hot"])).unwrap();
        assert_eq!(out["UnprocessedItems"], json!({}));
    }

    #[test]
    fn batches_and_transactions_count_against_the_partition_they_hit() {
        // One partition key, many sort keys: every write lands on the same partition.
        let mut db = Dynamo { throttling: true, ..Dynamo::default() };
        db.call(
            0.0,
            "CreateTable",
            &json!({"TableName": "Log", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"},
                                         {"AttributeName": "n", "AttributeType": "N"}],
                "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"},
                              {"AttributeName": "n", "KeyType": "RANGE"}]}),
        )
        .unwrap();
        db.complete_all();
        let batch = |from: usize| {
            let puts: Vec<Value> = (from..from + 25)
                .map(|n| json!({"PutRequest": {"Item": {"k": {"S": "hot"}, "n": {"N": n.to_string()}}}}))
                .collect();
            json!({"RequestItems": {"Log": puts}})
        };
        let mut written = 0;
        for b in 0..60 {
            if let Ok(out) = db.call(300.0, "BatchWriteItem", &batch(b * 25)) {
                let left = out["UnprocessedItems"]["Log"].as_array().map_or(0, Vec::len);
                written += 25 - left;
            }
        }
        assert_eq!(written, 1000, "the partition's 1,000 writes a second, batches or not");
        let transact = json!({"TransactItems": [
            {"Put": {"TableName": "Log", "Item": {"k": {"S": "hot"}, "n": {"N": "99999"}}}}]});
        let e = db.call(300.5, "TransactWriteItems", &transact).unwrap_err();
        assert_eq!(e.code(), "TransactionCanceledException");
        assert!(e.message.contains("[ThrottlingError]"), "{}", e.message);
        assert!(db.call(301.0, "TransactWriteItems", &transact).is_ok(), "the next second it goes through");
    }

    #[test]
    fn on_demand_serves_its_initial_rate_then_twice_its_peak() {
        let mut db = metered_table(json!({"BillingMode": "PAY_PER_REQUEST"}));
        // A new table: 4,000 writes a second over four partitions of 1,000.
        let first = (0..6000).filter(|i| put(&mut db, 100.0, &format!("a{i}")).is_ok()).count();
        assert!((3700..=4000).contains(&first), "{first} writes in the first second");
        assert_eq!(db.tables["Tbl"].buckets.partitions.len(), 4);
        // The next second it absorbs up to twice that peak, over more partitions.
        let second = (0..12000).filter(|i| put(&mut db, 101.0, &format!("b{i}")).is_ok()).count();
        assert!(second as f64 > 1.5 * first as f64 && second <= 2 * first, "{second} after a peak of {first}");
        assert!(db.tables["Tbl"].buckets.partitions.len() >= 8);
        // The throttling message is the on-demand one.
        let e = db.call(101.0, "PutItem", &json!({"TableName": "Tbl", "Item": {"k": {"S": "b0"}}})).unwrap_err();
        assert!(
            e.message.starts_with("Throughput exceeds the current capacity of your table or index."),
            "{}",
            e.message
        );
    }

    #[test]
    fn writes_report_their_item_collection_on_tables_with_local_indexes() {
        let mut db = Dynamo::default();
        db.call(
            0.0,
            "CreateTable",
            &json!({"TableName": "Songs", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"},
                                         {"AttributeName": "Song", "AttributeType": "S"},
                                         {"AttributeName": "Year", "AttributeType": "N"}],
                "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"},
                              {"AttributeName": "Song", "KeyType": "RANGE"}],
                "LocalSecondaryIndexes": [{"IndexName": "ByYear",
                    "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"},
                                  {"AttributeName": "Year", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "ALL"}}]}),
        )
        .unwrap();
        db.complete_all();
        let put = json!({"TableName": "Songs", "ReturnItemCollectionMetrics": "SIZE",
            "Item": {"Artist": {"S": "Acme"}, "Song": {"S": "Zebra"}, "Year": {"N": "1999"}}});
        let expected = json!({"ItemCollectionKey": {"Artist": {"S": "Acme"}}, "SizeEstimateRangeGB": [0.0, 1.0]});
        assert_eq!(db.call(1.0, "PutItem", &put).unwrap()["ItemCollectionMetrics"], expected);
        let update = json!({"TableName": "Songs", "ReturnItemCollectionMetrics": "SIZE",
            "Key": {"Artist": {"S": "Acme"}, "Song": {"S": "Zebra"}}, "UpdateExpression": "SET Plays = :p",
            "ExpressionAttributeValues": {":p": {"N": "1"}}});
        assert_eq!(db.call(1.0, "UpdateItem", &update).unwrap()["ItemCollectionMetrics"], expected);
        let batch = json!({"ReturnItemCollectionMetrics": "SIZE", "RequestItems": {"Songs": [
            {"PutRequest": {"Item": {"Artist": {"S": "Bolt"}, "Song": {"S": "Hi"}}}}]}});
        assert_eq!(
            db.call(1.0, "BatchWriteItem", &batch).unwrap()["ItemCollectionMetrics"],
            json!({"Songs": [{"ItemCollectionKey": {"Artist": {"S": "Bolt"}}, "SizeEstimateRangeGB": [0.0, 1.0]}]})
        );
        // Not asked for, or a table without local indexes: nothing.
        let mut plain = put.clone();
        plain.as_object_mut().unwrap().remove("ReturnItemCollectionMetrics");
        assert!(db.call(1.0, "PutItem", &plain).unwrap().get("ItemCollectionMetrics").is_none());
        let mut music = music();
        let put = json!({"TableName": "Music", "ReturnItemCollectionMetrics": "SIZE",
            "Item": {"Artist": {"S": "Acme"}, "Song": {"S": "New"}}});
        assert!(music.call(2.0, "PutItem", &put).unwrap().get("ItemCollectionMetrics").is_none());
    }

    #[test]
    fn transactions_cost_twice_and_apply_all_or_nothing() {
        let mut db = music();
        let write = json!({"ReturnConsumedCapacity": "TOTAL", "TransactItems": [
            {"Put": {"TableName": "Music", "Item": {"Artist": {"S": "Cato"}, "Song": {"S": "One"}}}},
            {"Update": {"TableName": "Music", "Key": {"Artist": {"S": "Acme"}, "Song": {"S": "Apple"}},
                "UpdateExpression": "SET Plays = :p", "ExpressionAttributeValues": {":p": {"N": "1"}}}},
            {"ConditionCheck": {"TableName": "Music", "Key": {"Artist": {"S": "Bolt"}, "Song": {"S": "Hi"}},
                "ConditionExpression": "attribute_exists(Artist)"}}]});
        let out = db.call(3.0, "TransactWriteItems", &write).unwrap();
        assert_eq!(out["ConsumedCapacity"], json!([{"CapacityUnits": 6, "TableName": "Music"}]));
        let get = json!({"ReturnConsumedCapacity": "TOTAL", "TransactItems": [
            {"Get": {"TableName": "Music", "Key": {"Artist": {"S": "Cato"}, "Song": {"S": "One"}}}},
            {"Get": {"TableName": "Music", "Key": {"Artist": {"S": "Acme"}, "Song": {"S": "Apple"}}}}]});
        let out = db.call(3.0, "TransactGetItems", &get).unwrap();
        assert_eq!(out["ConsumedCapacity"], json!([{"CapacityUnits": 4, "TableName": "Music"}]));
        assert_eq!(out["Responses"][1]["Item"]["Plays"], json!({"N": "1"}));
        // An update that cannot apply (ADD to a string) cancels the put before it as well.
        let bad = json!({"TransactItems": [
            {"Put": {"TableName": "Music", "Item": {"Artist": {"S": "Dune"}, "Song": {"S": "Two"}}}},
            {"Update": {"TableName": "Music", "Key": {"Artist": {"S": "Acme"}, "Song": {"S": "Apple"}},
                "UpdateExpression": "ADD Artist2 :n SET Song2 = Song + :n", "ExpressionAttributeValues": {":n": {"N": "1"}}}}]});
        assert!(db.call(4.0, "TransactWriteItems", &bad).is_err());
        let dune = json!({"TableName": "Music", "Key": {"Artist": {"S": "Dune"}, "Song": {"S": "Two"}}});
        assert!(db.call(4.0, "GetItem", &dune).unwrap().get("Item").is_none(), "nothing was written");
    }

    #[test]
    fn random_requests_never_panic() {
        let mut db = music();
        let mut rng = crate::engines::rng::Rng::new(3);
        let pieces = [
            json!(null),
            json!(1),
            json!("x"),
            json!([]),
            json!({}),
            json!({"S": "a"}),
            json!({"N": "1e5"}),
            json!({"Artist": {"S": "Acme"}}),
            json!("Music"),
            json!("a = :a"),
            json!({":a": {"S": "Acme"}}),
        ];
        let members = [
            "TableName",
            "Key",
            "Item",
            "KeyConditionExpression",
            "FilterExpression",
            "ExpressionAttributeValues",
            "Limit",
            "ExclusiveStartKey",
            "UpdateExpression",
            "RequestItems",
        ];
        for _ in 0..3000 {
            let mut req = serde_json::Map::new();
            for _ in 0..rng.range(0, 4) {
                let m = members[rng.range(0, members.len() as u64 - 1) as usize];
                let v = pieces[rng.range(0, pieces.len() as u64 - 1) as usize].clone();
                req.insert(m.into(), v);
            }
            let op = OPERATIONS[rng.range(0, OPERATIONS.len() as u64 - 1) as usize];
            let _ = db.call(6.0, op, &Value::Object(req));
        }
    }
}
