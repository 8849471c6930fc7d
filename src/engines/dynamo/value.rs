//! Attribute values: the ten types an item's attributes can hold, in and out of JSON.
//!
//! On the wire a value is a one-member object naming its type: `{"S": "hello"}`,
//! `{"N": "42"}`, `{"L": [{"BOOL": true}]}`. By the time a request reaches this module its JSON
//! types have been checked ([`super::shape`]); what is left are DynamoDB's own rules, checked by
//! [`AttrValue::from_json`] with the service's messages: exactly one type, valid numbers,
//! non-empty sets without duplicates, `NULL` only `true`.

use super::base64;
use super::number::Number;
use crate::engines::nesting::bounded_deserialize;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// An item: attribute names to values.
pub type Item = BTreeMap<String, AttrValue>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub enum AttrValue {
    S(String),
    N(Number),
    B(Vec<u8>),
    Bool(bool),
    Null,
    SS(Vec<String>),
    NS(Vec<Number>),
    BS(Vec<Vec<u8>>),
    L(Vec<AttrValue>),
    M(BTreeMap<String, AttrValue>),
}
bounded_deserialize!(AttrValue);

/// Nesting deeper than this is refused, so recursion stays bounded.
pub const MAX_DEPTH: usize = 32;

const EMPTY: &str = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
const MANY: &str =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";

impl AttrValue {
    /// The type's name on the wire (`S`, `N`, `BOOL`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            AttrValue::S(_) => "S",
            AttrValue::N(_) => "N",
            AttrValue::B(_) => "B",
            AttrValue::Bool(_) => "BOOL",
            AttrValue::Null => "NULL",
            AttrValue::SS(_) => "SS",
            AttrValue::NS(_) => "NS",
            AttrValue::BS(_) => "BS",
            AttrValue::L(_) => "L",
            AttrValue::M(_) => "M",
        }
    }

    /// Reads a type-checked value, applying DynamoDB's rules. The error is the message.
    pub fn from_json(value: &Value) -> Result<AttrValue, String> {
        AttrValue::from_json_at(value, 0)
    }

    fn from_json_at(value: &Value, depth: usize) -> Result<AttrValue, String> {
        if depth > MAX_DEPTH {
            return Err("Nesting Levels have exceeded supported limits".into());
        }
        let Value::Object(members) = value else { return Err(EMPTY.into()) };
        let mut found: Option<AttrValue> = None;
        let mut count = 0;
        for (ty, inner) in members {
            let parsed = match (ty.as_str(), inner) {
                (_, Value::Null) => continue,
                ("S", Value::String(s)) => AttrValue::S(s.clone()),
                ("N", Value::String(s)) => AttrValue::N(parse_number(s)?),
                ("B", Value::String(s)) => AttrValue::B(base64::decode(s)?),
                ("BOOL", Value::Bool(b)) => AttrValue::Bool(*b),
                ("NULL", Value::Bool(b)) => {
                    if !b {
                        return Err(
                            "One or more parameter values were invalid: Null attribute value types must have the value of true"
                                .into(),
                        );
                    }
                    AttrValue::Null
                }
                ("SS", Value::Array(list)) => {
                    if list.is_empty() {
                        return Err("One or more parameter values were invalid: An string set  may not be empty".into());
                    }
                    let items: Vec<String> = list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
                    if has_duplicates(&items) {
                        return Err(format!(
                            "One or more parameter values were invalid: Input collection [{}] contains duplicates.",
                            items.join(", ")
                        ));
                    }
                    AttrValue::SS(items)
                }
                ("NS", Value::Array(list)) => {
                    if list.is_empty() {
                        return Err("One or more parameter values were invalid: An number set  may not be empty".into());
                    }
                    let mut items = Vec::new();
                    for v in list {
                        items.push(parse_number(v.as_str().unwrap_or(""))?);
                    }
                    if has_duplicates(&items) {
                        return Err("Input collection contains duplicates".into());
                    }
                    AttrValue::NS(items)
                }
                ("BS", Value::Array(list)) => {
                    if list.is_empty() {
                        return Err("One or more parameter values were invalid: Binary sets should not be empty".into());
                    }
                    let mut items = Vec::new();
                    for v in list {
                        items.push(base64::decode(v.as_str().unwrap_or(""))?);
                    }
                    if has_duplicates(&items) {
                        let shown: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
                        return Err(format!(
                            "One or more parameter values were invalid: Input collection [{}]of type BS contains duplicates.",
                            shown.join(", ")
                        ));
                    }
                    AttrValue::BS(items)
                }
                ("L", Value::Array(list)) => {
                    let mut items = Vec::with_capacity(list.len());
                    for v in list {
                        items.push(AttrValue::from_json_at(v, depth + 1)?);
                    }
                    AttrValue::L(items)
                }
                ("M", Value::Object(map)) => {
                    let mut items = BTreeMap::new();
                    for (k, v) in map {
                        items.insert(k.clone(), AttrValue::from_json_at(v, depth + 1)?);
                    }
                    AttrValue::M(items)
                }
                _ => continue,
            };
            count += 1;
            found = Some(parsed);
        }
        match (count, found) {
            (1, Some(v)) => Ok(v),
            (0, _) => Err(EMPTY.into()),
            _ => Err(MANY.into()),
        }
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        let inner = match self {
            AttrValue::S(s) => Value::String(s.clone()),
            AttrValue::N(n) => Value::String(n.to_text()),
            AttrValue::B(b) => Value::String(base64::encode(b)),
            AttrValue::Bool(b) => Value::Bool(*b),
            AttrValue::Null => Value::Bool(true),
            AttrValue::SS(v) => Value::Array(v.iter().map(|s| Value::String(s.clone())).collect()),
            AttrValue::NS(v) => Value::Array(v.iter().map(|n| Value::String(n.to_text())).collect()),
            AttrValue::BS(v) => Value::Array(v.iter().map(|b| Value::String(base64::encode(b))).collect()),
            AttrValue::L(v) => Value::Array(v.iter().map(AttrValue::to_json).collect()),
            AttrValue::M(v) => item_to_json(v),
        };
        m.insert(self.type_name().to_string(), inner);
        Value::Object(m)
    }

    /// The bytes DynamoDB counts for this value (names of map members included).
    pub fn size(&self) -> usize {
        match self {
            AttrValue::S(s) => s.len(),
            AttrValue::N(n) => number_size(n),
            AttrValue::B(b) => b.len(),
            AttrValue::Bool(_) | AttrValue::Null => 1,
            AttrValue::SS(v) => v.iter().map(String::len).sum(),
            AttrValue::NS(v) => v.iter().map(number_size).sum(),
            AttrValue::BS(v) => v.iter().map(Vec::len).sum(),
            AttrValue::L(v) => 3 + v.iter().map(|x| x.size() + 1).sum::<usize>(),
            AttrValue::M(m) => 3 + m.iter().map(|(k, x)| k.len() + x.size() + 1).sum::<usize>(),
        }
    }

    /// Order of key values of one type (S by UTF-8 bytes, N numerically, B by bytes).
    pub fn key_cmp(&self, other: &AttrValue) -> Option<Ordering> {
        match (self, other) {
            (AttrValue::S(a), AttrValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
            (AttrValue::N(a), AttrValue::N(b)) => Some(a.cmp(b)),
            (AttrValue::B(a), AttrValue::B(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// Equality as conditions see it: sets compare as sets, numbers by value.
    pub fn same(&self, other: &AttrValue) -> bool {
        match (self, other) {
            (AttrValue::SS(a), AttrValue::SS(b)) => a.len() == b.len() && a.iter().all(|x| b.contains(x)),
            (AttrValue::NS(a), AttrValue::NS(b)) => a.len() == b.len() && a.iter().all(|x| b.contains(x)),
            (AttrValue::BS(a), AttrValue::BS(b)) => a.len() == b.len() && a.iter().all(|x| b.contains(x)),
            (AttrValue::L(a), AttrValue::L(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y)),
            (AttrValue::M(a), AttrValue::M(b)) => {
                a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| x.same(y)))
            }
            _ => self == other,
        }
    }
}

fn parse_number(text: &str) -> Result<Number, String> {
    Number::parse(text).map_err(|e| e.message())
}

fn has_duplicates<T: PartialEq>(items: &[T]) -> bool {
    items.iter().enumerate().any(|(i, x)| items[..i].contains(x))
}

/// DynamoDB stores numbers as base-100 digits: about one byte per two digits, plus one.
/// A number's size: a byte for the exponent, one per two significant digits, one more when
/// the digits fill their last byte exactly on an even exponent, one for the sign of negatives.
fn number_size(n: &Number) -> usize {
    if n.is_zero() {
        return 1;
    }
    let d = n.digit_count();
    let filled = d.is_multiple_of(2) && (n.point() - 1) % 2 == 0;
    1 + d.div_ceil(2) + usize::from(filled) + usize::from(n.is_negative())
}

pub fn item_to_json(item: &BTreeMap<String, AttrValue>) -> Value {
    Value::Object(item.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
}

/// The size of an item: each attribute's name plus its value.
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + v.size()).sum()
}

/// What an item occupies in storage, which is what the 1 MB page of a Query or Scan counts
/// (not the item size that capacity is charged by): each attribute takes a byte for its name
/// and its value with a length prefix; the sort key is kept once per 3 KB block with the
/// block's 18 bytes of overhead.
pub fn stored_size(item: &Item, sort_key: Option<&str>) -> usize {
    let mut sort_size = 0;
    let mut size = 0;
    for (k, v) in item {
        if Some(k.as_str()) == sort_key {
            sort_size = v.size();
        } else {
            size += v.stored_size() + 1;
        }
    }
    2 + size + (1 + (1 + size) / 3072) * (18 + sort_size)
}

impl AttrValue {
    /// A value as storage keeps it: with its length prefix, nested values likewise.
    fn stored_size(&self) -> usize {
        match self {
            AttrValue::S(s) => {
                let n: usize = s.chars().map(char::len_utf16).sum();
                n + if n < 128 {
                    1
                } else if n < 16384 {
                    2
                } else {
                    3
                }
            }
            AttrValue::B(b) => b.len() + 1,
            AttrValue::N(n) => number_size(n) + 1,
            AttrValue::SS(v) => v.iter().map(String::len).sum::<usize>() + v.len() + 1,
            AttrValue::NS(v) => v.iter().map(number_size).sum::<usize>() + v.len() + 1,
            AttrValue::BS(v) => v.iter().map(Vec::len).sum::<usize>() + v.len() + 1,
            AttrValue::Null => 0,
            AttrValue::Bool(_) => 1,
            AttrValue::L(v) => 3 + v.iter().map(|x| 1 + x.stored_size()).sum::<usize>(),
            AttrValue::M(m) => 3 + m.len() + m.values().map(|x| x.stored_size() + 1).sum::<usize>(),
        }
    }
}

/// Reads a map of attribute values (an item or a key); the error is the message.
pub fn item_from_json(value: &Value) -> Result<Item, String> {
    let mut item = Item::new();
    if let Value::Object(members) = value {
        for (k, v) in members {
            item.insert(k.clone(), AttrValue::from_json(v)?);
        }
    }
    Ok(item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_and_writes_every_type() {
        let wire = json!({"M": {"s": {"S": "x"}, "n": {"N": "1.50"}, "b": {"B": "Yg=="}, "t": {"BOOL": true},
            "z": {"NULL": true}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["Yg=="]},
            "l": {"L": [{"N": "-0"}]}}});
        let v = AttrValue::from_json(&wire).unwrap();
        let back = v.to_json();
        assert_eq!(back["M"]["n"], json!({"N": "1.5"}));
        assert_eq!(back["M"]["l"], json!({"L": [{"N": "0"}]}));
        assert_eq!(AttrValue::from_json(&back).unwrap(), v);
    }

    #[test]
    fn refuses_with_the_service_messages() {
        let err = |v: Value| AttrValue::from_json(&v).unwrap_err();
        assert_eq!(err(json!({})), EMPTY);
        assert_eq!(err(json!({"S": "a", "N": "1"})), MANY);
        assert_eq!(err(json!({"S": "a", "N": "b"})), "The parameter cannot be converted to a numeric value: b");
        assert_eq!(
            err(json!({"SS": ["a", "a"]})),
            "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
        );
        assert_eq!(err(json!({"NS": ["1", "1.0"]})), "Input collection contains duplicates");
    }
}
