//! Item collections: on a table with local secondary indexes, all the items that share a
//! partition key value (in the table and in its local indexes) form one item collection,
//! limited to 10 GB. A write asked for `ReturnItemCollectionMetrics: SIZE` reports the
//! collection it touched:
//!
//! ```text
//!   "ItemCollectionMetrics": {
//!       "ItemCollectionKey": {"Artist": {"S": "Acme"}},
//!       "SizeEstimateRangeGB": [0.0, 1.0]        (the whole GB below and above the size)
//!   }
//! ```
//!
//! A table without local indexes has no item collections, so nothing is reported for it.

use super::table::{KeyPart, Table};
use super::value::{item_size, item_to_json, Item};
use serde_json::{json, Value};

const GB: f64 = (1u64 << 30) as f64;

/// Whether the request asked for item collection metrics.
pub fn wanted(req: &Value) -> bool {
    req.get("ReturnItemCollectionMetrics").and_then(Value::as_str) == Some("SIZE")
}

/// The metrics of the item collection holding `key` (a key or a whole item), after the write;
/// `None` when the table has no local secondary index.
pub fn metrics(table: &Table, key: &Item) -> Option<Value> {
    let locals = table.indexes.iter().filter(|i| !i.global).count();
    if locals == 0 {
        return None;
    }
    let pk = key.get(&table.key.hash)?;
    // The table's items with this partition key, each also counted once per local index that
    // holds it (an estimate: the index copy is counted at the item's full size).
    let bytes: usize = table
        .items
        .partition(&KeyPart::from_value(pk)?)
        .map(|item| {
            let copies = 1 + table
                .indexes
                .iter()
                .filter(|i| !i.global && i.key.range.as_ref().is_some_and(|r| item.contains_key(r)))
                .count();
            item_size(item) * copies
        })
        .sum();
    let lower = (bytes as f64 / GB).floor();
    let mut collection_key = Item::new();
    collection_key.insert(table.key.hash.clone(), pk.clone());
    Some(json!({
        "ItemCollectionKey": item_to_json(&collection_key),
        "SizeEstimateRangeGB": [lower, lower + 1.0],
    }))
}
