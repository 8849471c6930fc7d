//! A table: its key schema, indexes, settings, and its items in key order.
//!
//! Items are kept in one ordered map. The order is the one DynamoDB's storage gives them:
//! partitions are ranges of a hash of the partition key, and within a partition key, items are
//! sorted by the sort key.
//!
//! ```text
//!   StoreKey = (hash(pk), pk, sk)
//!   |--- partition 0 ---|--- partition 1 ---|      Scan walks the map in this order;
//!   (03,"b",1) (03,"b",7) (9a,"a",2) ...           Query seeks to (hash(pk), pk) and walks its sk range.
//! ```

use super::number::Number;
use super::value::{AttrValue, Item};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A key attribute's value: the only types keys may have.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum KeyPart {
    B(Vec<u8>),
    N(Number),
    S(String),
}

impl KeyPart {
    pub fn from_value(v: &AttrValue) -> Option<KeyPart> {
        match v {
            AttrValue::S(s) => Some(KeyPart::S(s.clone())),
            AttrValue::N(n) => Some(KeyPart::N(n.clone())),
            AttrValue::B(b) => Some(KeyPart::B(b.clone())),
            _ => None,
        }
    }
}

/// Where an item sits in storage: ordered by partition hash, partition key, sort key.
///
/// Two keys are equal when their partition and sort keys are: the hash follows from the
/// partition key.
#[derive(Clone, Debug)]
pub struct StoreKey {
    pub hash: u64,
    pub pk: KeyPart,
    pub sk: Option<KeyPart>,
}

impl PartialEq for StoreKey {
    fn eq(&self, other: &StoreKey) -> bool {
        self.pk == other.pk && self.sk == other.sk
    }
}

impl Eq for StoreKey {}

impl std::hash::Hash for StoreKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.pk.hash(state);
        self.sk.hash(state);
    }
}

impl Ord for StoreKey {
    fn cmp(&self, other: &StoreKey) -> std::cmp::Ordering {
        (self.hash, &self.pk, &self.sk).cmp(&(other.hash, &other.pk, &other.sk))
    }
}

impl PartialOrd for StoreKey {
    fn partial_cmp(&self, other: &StoreKey) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl StoreKey {
    pub fn new(pk: KeyPart, sk: Option<KeyPart>) -> StoreKey {
        StoreKey { hash: super::partition::hash(&pk), pk, sk }
    }
}

/// A key schema: a partition (HASH) key and an optional sort (RANGE) key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySchema {
    pub hash: String,
    pub range: Option<String>,
}

impl KeySchema {
    pub fn names(&self) -> Vec<&str> {
        let mut v = vec![self.hash.as_str()];
        if let Some(r) = &self.range {
            v.push(r.as_str());
        }
        v
    }

    pub fn to_json(&self) -> serde_json::Value {
        let mut v = vec![serde_json::json!({"AttributeName": self.hash, "KeyType": "HASH"})];
        if let Some(r) = &self.range {
            v.push(serde_json::json!({"AttributeName": r, "KeyType": "RANGE"}));
        }
        serde_json::Value::Array(v)
    }

    /// The store key of an item (or key) under this schema, if it has the key attributes.
    pub fn store_key(&self, item: &Item) -> Option<StoreKey> {
        let pk = KeyPart::from_value(item.get(&self.hash)?)?;
        let sk = match &self.range {
            Some(r) => Some(KeyPart::from_value(item.get(r)?)?),
            None => None,
        };
        Some(StoreKey::new(pk, sk))
    }

    /// The hash of an item's whole key under this schema (see [`super::partition::key_hash`]).
    pub fn key_hash(&self, item: &Item) -> u64 {
        match self.store_key(item) {
            Some(k) => super::partition::key_hash(&k.pk, k.sk.as_ref()),
            None => 0,
        }
    }

    /// The key attributes of an item.
    pub fn key_of(&self, item: &Item) -> Item {
        self.names().into_iter().filter_map(|n| item.get(n).map(|v| (n.to_string(), v.clone()))).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Projection {
    /// ALL, KEYS_ONLY or INCLUDE.
    pub kind: String,
    pub non_key: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Throughput {
    pub read: i64,
    pub write: i64,
    pub last_increase: Option<f64>,
    pub last_decrease: Option<f64>,
    pub decreases_today: i64,
}

impl Throughput {
    pub fn new(read: i64, write: i64) -> Throughput {
        Throughput { read, write, last_increase: None, last_decrease: None, decreases_today: 0 }
    }

    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        if let Some(t) = self.last_increase {
            m.insert("LastIncreaseDateTime".into(), serde_json::json!(t));
        }
        if let Some(t) = self.last_decrease {
            m.insert("LastDecreaseDateTime".into(), serde_json::json!(t));
        }
        m.insert("NumberOfDecreasesToday".into(), serde_json::json!(self.decreases_today));
        m.insert("ReadCapacityUnits".into(), serde_json::json!(self.read));
        m.insert("WriteCapacityUnits".into(), serde_json::json!(self.write));
        serde_json::Value::Object(m)
    }
}

/// A secondary index (local or global).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub key: KeySchema,
    pub projection: Projection,
    pub global: bool,
    /// Only global indexes have their own throughput (in provisioned mode).
    pub throughput: Option<Throughput>,
    /// CREATING, ACTIVE, DELETING.
    pub status: String,
    /// A global index added to a table that already holds items is filled from them while
    /// CREATING ("backfilling"); it cannot be read until that is done.
    pub backfilling: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub id: String,
    pub arn: String,
    pub created: f64,
    /// CREATING, ACTIVE, UPDATING, DELETING.
    pub status: String,
    /// (name, type) in the order given.
    pub attribute_definitions: Vec<(String, String)>,
    pub key: KeySchema,
    pub pay_per_request: bool,
    pub pay_per_request_since: Option<f64>,
    pub throughput: Throughput,
    /// Throughput an UpdateTable asked for, in force once the update completes.
    pub pending_throughput: Option<(i64, i64)>,
    pub indexes: Vec<Index>,
    /// Writes global secondary indexes have not seen yet (they propagate asynchronously).
    pub index_backlog: Vec<Backlog>,
    pub ttl_attribute: Option<String>,
    pub tags: Vec<(String, String)>,
    #[serde(serialize_with = "items_out", deserialize_with = "items_in")]
    pub items: super::store::Store,
    /// Sum of the items' sizes, kept up to date on every write.
    pub size_bytes: usize,
    /// Token buckets and per-second counters ([`super::capacity`]).
    pub buckets: super::capacity::Buckets,
    /// Units the current request consumed, until [`super::capacity::settle_usage`] charges them.
    #[serde(skip)]
    pub usage: super::capacity::Usage,
    /// What DescribeTable reports: DynamoDB refreshes ItemCount and sizes about every six
    /// hours, so they lag behind the writes.
    pub reported: Stats,
}

/// A write on its way to the global secondary indexes: until `due`, they still show `old`
/// for this key (or nothing, if the item is new).
///
/// ```text
///   t=10.0 PutItem A(v2)  ──► table: A(v2)     GSI: A(v1)   backlog: [A, due 11.0, old v1]
///   t=11.0                    table: A(v2)     GSI: A(v2)   backlog: []
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backlog {
    pub due: f64,
    /// The item's key attributes.
    pub key: Item,
    /// The version the indexes still show.
    pub old: Option<Item>,
}

/// Item counts and sizes as last refreshed, for the table and each index.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Stats {
    pub at: f64,
    pub items: usize,
    pub bytes: usize,
    pub indexes: BTreeMap<String, (usize, usize)>,
}

/// How often DynamoDB refreshes the counts DescribeTable shows.
pub const STATS_REFRESH_SECONDS: f64 = 6.0 * 3600.0;

fn items_out<S: Serializer>(items: &super::store::Store, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.values())
}

fn items_in<'de, D: Deserializer<'de>>(d: D) -> Result<super::store::Store, D::Error> {
    // The key is recomputed from each item; the table's schema is not at hand here, so items
    // are first keyed by position and re-keyed by `Table::rekey` after loading.
    let list: Vec<Item> = Vec::deserialize(d)?;
    Ok(list
        .into_iter()
        .enumerate()
        .map(|(i, item)| (StoreKey::new(KeyPart::N(Number::from_i64(i as i64)), None), item))
        .collect())
}

impl Table {
    /// Re-derives the store keys after deserialising (see `items_in`).
    pub fn rekey(&mut self) {
        let items = std::mem::take(&mut self.items);
        for (_, item) in items {
            if let Some(k) = self.key.store_key(&item) {
                self.items.insert(k, item);
            }
        }
    }

    /// Refreshes the reported counts when they are due (or when `force`).
    pub fn refresh_stats(&mut self, now: f64, force: bool) {
        if !force && now - self.reported.at < STATS_REFRESH_SECONDS {
            return;
        }
        let mut indexes = BTreeMap::new();
        for index in &self.indexes {
            let (count, size) = self
                .items
                .values()
                .filter(|item| index.key.store_key(item).is_some())
                .fold((0usize, 0usize), |(c, s), item| (c + 1, s + super::value::item_size(item)));
            indexes.insert(index.name.clone(), (count, size));
        }
        self.reported = Stats { at: now, items: self.items.len(), bytes: self.size_bytes, indexes };
    }

    /// The item with the key attributes of `key` (an item or a key), found without copying them.
    pub fn find(&self, key: &Item) -> Option<&Item> {
        use super::store::KeyRef;
        let pk = KeyRef::from_value(key.get(&self.key.hash)?)?;
        let sk = match &self.key.range {
            Some(r) => Some(KeyRef::from_value(key.get(r)?)?),
            None => None,
        };
        self.items.lookup(pk, sk)
    }

    pub fn attribute_type(&self, name: &str) -> Option<&str> {
        self.attribute_definitions.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str())
    }

    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.name == name)
    }

    pub fn describe(&self) -> serde_json::Value {
        use serde_json::{json, Map, Value};
        let mut m = Map::new();
        m.insert(
            "AttributeDefinitions".into(),
            Value::Array(
                self.attribute_definitions
                    .iter()
                    .map(|(n, t)| json!({"AttributeName": n, "AttributeType": t}))
                    .collect(),
            ),
        );
        m.insert("TableName".into(), json!(self.name));
        m.insert("KeySchema".into(), self.key.to_json());
        m.insert("TableArn".into(), json!(self.arn));
        m.insert("TableId".into(), json!(self.id));
        m.insert("CreationDateTime".into(), json!(self.created));
        m.insert("ItemCount".into(), json!(self.reported.items));
        m.insert("TableSizeBytes".into(), json!(self.reported.bytes));
        m.insert("TableStatus".into(), json!(self.status));
        if self.pay_per_request {
            m.insert(
                "ProvisionedThroughput".into(),
                json!({"ReadCapacityUnits": 0, "WriteCapacityUnits": 0, "NumberOfDecreasesToday": 0}),
            );
            let mut summary = json!({"BillingMode": "PAY_PER_REQUEST"});
            if let Some(t) = self.pay_per_request_since {
                summary["LastUpdateToPayPerRequestDateTime"] = json!(t);
            }
            m.insert("BillingModeSummary".into(), summary);
            m.insert("TableThroughputModeSummary".into(), json!({"TableThroughputMode": "PAY_PER_REQUEST"}));
        } else {
            m.insert("ProvisionedThroughput".into(), self.throughput.to_json());
        }
        for global in [false, true] {
            let list: Vec<Value> = self
                .indexes
                .iter()
                .filter(|i| i.global == global && i.status != "DELETED")
                .map(|i| self.describe_index(i))
                .collect();
            if !list.is_empty() {
                let key = if global { "GlobalSecondaryIndexes" } else { "LocalSecondaryIndexes" };
                m.insert(key.into(), Value::Array(list));
            }
        }
        Value::Object(m)
    }

    fn describe_index(&self, index: &Index) -> serde_json::Value {
        use serde_json::json;
        let mut projection = json!({"ProjectionType": index.projection.kind});
        if !index.projection.non_key.is_empty() {
            projection["NonKeyAttributes"] = json!(index.projection.non_key);
        }
        let (count, size) = self.reported.indexes.get(&index.name).copied().unwrap_or((0, 0));
        let mut d = json!({
            "IndexName": index.name,
            "KeySchema": index.key.to_json(),
            "Projection": projection,
            "IndexArn": format!("{}/index/{}", self.arn, index.name),
            "IndexSizeBytes": size,
            "ItemCount": count,
        });
        if index.global {
            d["IndexStatus"] = json!(index.status);
            if index.backfilling && index.status == "CREATING" {
                d["Backfilling"] = json!(true);
            }
            match (&index.throughput, self.pay_per_request) {
                (Some(t), false) => d["ProvisionedThroughput"] = t.to_json(),
                _ => {
                    d["ProvisionedThroughput"] =
                        json!({"ReadCapacityUnits": 0, "WriteCapacityUnits": 0, "NumberOfDecreasesToday": 0})
                }
            }
        }
        d
    }

    /// The attributes an index stores for an item.
    pub fn project_for_index(&self, index: &Index, item: &Item) -> Item {
        match index.projection.kind.as_str() {
            "ALL" => item.clone(),
            kind => {
                let mut keep: Vec<&str> = self.key.names();
                keep.extend(index.key.names());
                if kind == "INCLUDE" {
                    keep.extend(index.projection.non_key.iter().map(String::as_str));
                }
                item.iter().filter(|(k, _)| keep.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
            }
        }
    }
}
