//! The fast path of the JSON API for the most common request: a plain GetItem.
//!
//! [`super::Dynamo::call`] checks a request in passes (JSON types, constraints, expressions,
//! the key against the schema), building a normalised copy and an [`super::value::Item`]
//! on the way. A GetItem that names a table and a key of strings or numbers, and nothing
//! else, can fail none of those passes once a few facts are checked, so it is answered
//! straight from the JSON it came in:
//!
//! ```text
//!   {"TableName": "Music", "Key": {"Artist": {"S": "Acme"}, "Song": {"S": "Zebra"}}}
//!     └─ table usable? key names and types match the schema? sizes within limits?
//!          yes → look up by the borrowed key values, answer            (this file)
//!          no  → the general path, which words every error as DynamoDB does
//! ```
//!
//! Anything else (projections, ReturnConsumedCapacity, binary keys, throttled tables, ...)
//! takes the general path, so answers and errors are the same either way.

use super::capacity;
use super::error::Result;
use super::number::Number;
use super::shape::is_valid_name;
use super::store::KeyRef;
use super::value::{item_size, item_to_json};
use super::{Dynamo, Settle};
use serde_json::{Map, Value};

/// A key value as read from the request: strings borrowed, numbers parsed.
enum Wire<'a> {
    S(&'a str),
    N(Number),
}

impl Wire<'_> {
    fn key_ref(&self) -> KeyRef<'_> {
        match self {
            Wire::S(s) => KeyRef::S(s),
            Wire::N(n) => KeyRef::N(n),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Wire::S(_) => "S",
            Wire::N(_) => "N",
        }
    }
}

/// Reads `{"S": "..."}` or `{"N": "..."}` when that is all the value is.
fn wire(v: &Value) -> Option<Wire<'_>> {
    let m = v.as_object()?;
    if m.len() != 1 {
        return None;
    }
    let (ty, text) = m.iter().next()?;
    let text = text.as_str()?;
    match ty.as_str() {
        "S" if !text.is_empty() => Some(Wire::S(text)),
        "N" => Number::parse(text).ok().map(Wire::N),
        _ => None,
    }
}

impl Dynamo {
    /// Answers a plain GetItem, or `None` when the request needs the general path.
    pub(super) fn get_item_fast(&mut self, now: f64, req: &Value) -> Option<Result<Value>> {
        if self.throttling {
            return None;
        }
        let members = req.as_object()?;
        let mut consistent = false;
        for (k, v) in members {
            match k.as_str() {
                "TableName" | "Key" => {}
                "ConsistentRead" => consistent = v.as_bool()?,
                _ => return None,
            }
        }
        let name = members.get("TableName")?.as_str()?;
        if !(3..=255).contains(&name.chars().count()) || !is_valid_name(name) {
            return None;
        }
        let key = members.get("Key")?.as_object()?;
        {
            let t = self.tables.get(name).filter(|t| t.status != "CREATING" && t.status != "DELETING")?;
            if key.len() != 1 + usize::from(t.key.range.is_some()) {
                return None;
            }
        }
        if self.settle == Settle::AfterDescribe {
            self.settle_others(&[name.to_string()]);
        }
        self.before_request(now);
        let t = self.tables.get(name).filter(|t| t.status != "CREATING" && t.status != "DELETING")?;
        let pk = wire(key.get(&t.key.hash)?)?;
        let sk = match &t.key.range {
            Some(r) => Some(wire(key.get(r)?)?),
            None => None,
        };
        // The checks the general path would make, all passed: types match the schema and
        // string keys are within DynamoDB's size limits.
        if Some(pk.type_name()) != t.attribute_type(&t.key.hash)
            || matches!(pk, Wire::S(s) if s.len() > 2048)
            || sk.as_ref().is_some_and(|w| {
                Some(w.type_name()) != t.key.range.as_deref().and_then(|r| t.attribute_type(r))
                    || matches!(w, Wire::S(s) if s.len() > 1024)
            })
        {
            return None;
        }
        let found = t.items.lookup(pk.key_ref(), sk.as_ref().map(Wire::key_ref));
        capacity::note(t, capacity::read_units(found.map(item_size).unwrap_or(0), consistent), false);
        let mut out = Map::new();
        if let Some(item) = found {
            out.insert("Item".into(), item_to_json(item));
        }
        self.after_request(now);
        Some(Ok(Value::Object(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The fast path and the general path give the same answers.
    #[test]
    fn plain_gets_answer_as_the_general_path_does() {
        let mut db = Dynamo::default();
        db.call(
            0.0,
            "CreateTable",
            &json!({"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"},
                                         {"AttributeName": "Year", "AttributeType": "N"}],
                "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"},
                              {"AttributeName": "Year", "KeyType": "RANGE"}]}),
        )
        .unwrap();
        db.complete_all();
        db.call(
            1.0,
            "PutItem",
            &json!({"TableName": "Music", "Item": {"Artist": {"S": "Acme"}, "Year": {"N": "1999"}, "T": {"S": "x"}}}),
        )
        .unwrap();
        let plain = json!({"TableName": "Music", "Key": {"Artist": {"S": "Acme"}, "Year": {"N": "1999.0"}}});
        let fast = db.get_item_fast(2.0, &plain).unwrap().unwrap();
        let mut general = plain.clone();
        general["ReturnConsumedCapacity"] = json!("NONE");
        assert_eq!(fast, db.call(2.0, "GetItem", &general).unwrap());
        assert_eq!(fast["Item"]["T"], json!({"S": "x"}));
        // Not plain: a wrong type, a missing sort key, an empty string go the general way.
        for odd in [
            json!({"TableName": "Music", "Key": {"Artist": {"N": "1"}, "Year": {"N": "1"}}}),
            json!({"TableName": "Music", "Key": {"Artist": {"S": "Acme"}}}),
            json!({"TableName": "Music", "Key": {"Artist": {"S": ""}, "Year": {"N": "1"}}}),
        ] {
            assert!(db.get_item_fast(3.0, &odd).is_none());
            assert_eq!(db.call(3.0, "GetItem", &odd).unwrap_err().code(), "ValidationException");
        }
    }
}
