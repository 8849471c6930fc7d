//! The typed API: single-item reads and writes for Rust callers, without JSON.
//!
//! [`Dynamo::call`] takes the wire format (what the CLI, the conformance suite and `dblab
//! conform` speak): it type-checks the JSON, validates every member and builds a JSON answer.
//! A caller that already holds attribute values skips all that:
//!
//! ```text
//!   JSON:   {"TableName": "Music", "Key": {"Artist": {"S": "Acme"}}} → shape checks → Item → store
//!   typed:  db.get_item("Music", &key)                                            → store
//! ```
//!
//! The store-level rules still apply (the table must be usable, the key must match its
//! schema, items must carry their key attributes), with the same messages, and capacity is
//! counted as for the JSON API.

use super::capacity;
use super::error::Result;
use super::ops;
use super::value::{item_size, Item};
use super::Dynamo;

impl Dynamo {
    /// GetItem (eventually consistent): the item with this key, if any.
    pub fn get_item(&self, table: &str, key: &Item) -> Result<Option<&Item>> {
        let t = ops::usable(self, table)?;
        ops::check_key(t, &t.key, key)?;
        let found = t.find(key);
        capacity::note(t, capacity::read_units(found.map(item_size).unwrap_or(0), false), false);
        Ok(found)
    }

    /// PutItem without a condition: stores the item, returning the one it replaced.
    pub fn put_item(&mut self, now: f64, table: &str, item: Item) -> Result<Option<Item>> {
        self.now = now;
        let due = self.index_due();
        let t = ops::usable(self, table)?;
        ops::check_item_keys(t, &item)?;
        if item_size(&item) > ops::items::MAX_ITEM_SIZE {
            return Err(ops::validation("Item size has exceeded the maximum allowed size"));
        }
        let key = t.key.key_of(&item);
        let Some(t) = self.tables.get_mut(table) else { return Err(super::error::DynamoError::not_found()) };
        let size = item_size(&item);
        let old = ops::items::store(t, &key, Some(item), due);
        let units = capacity::write_units(size.max(old.as_ref().map(item_size).unwrap_or(0)));
        capacity::note(t, units, true);
        capacity::settle_usage(t, now, self.throttling);
        Ok(old)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::dynamo::value::AttrValue;
    use serde_json::json;

    #[test]
    fn typed_reads_and_writes_agree_with_the_json_api() {
        let mut db = Dynamo::default();
        db.call(
            0.0,
            "CreateTable",
            &json!({"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}]}),
        )
        .unwrap();
        db.complete_all();
        let item: Item = [("Artist".to_string(), AttrValue::S("Acme".into())), ("Year".into(), AttrValue::Bool(true))]
            .into_iter()
            .collect();
        assert_eq!(db.put_item(1.0, "Music", item.clone()).unwrap(), None);
        let key: Item = [("Artist".to_string(), AttrValue::S("Acme".into()))].into_iter().collect();
        assert_eq!(db.get_item("Music", &key).unwrap(), Some(&item));
        let r = db.call(2.0, "GetItem", &json!({"TableName": "Music", "Key": {"Artist": {"S": "Acme"}}})).unwrap();
        assert_eq!(r["Item"]["Year"], json!({"BOOL": true}));
        let wrong: Item = [("Year".to_string(), AttrValue::S("x".into()))].into_iter().collect();
        assert_eq!(
            db.get_item("Music", &wrong).unwrap_err().message,
            "The provided key element does not match the schema"
        );
        assert_eq!(db.get_item("Nope", &key).unwrap_err().code(), "ResourceNotFoundException");
    }
}
