//! An index: a B-tree from key values to the ids of the rows that hold them.
//!
//! ```text
//!   CREATE INDEX t_grp ON t (grp)           entries (kept in key order)
//!                                           ┌───────────┬─────────────────────┐
//!     row 1: grp = 7                        │ key       │ row ids             │
//!     row 2: grp = 3          ──────▶       ├───────────┼─────────────────────┤
//!     row 3: grp = 7                        │ One(3)    │ One(2)              │
//!                                           │ One(7)    │ Many({1, 3})        │
//!                                           └───────────┴─────────────────────┘
//! ```
//!
//! Two shapes keep the common cases cheap. A [`Key`] over one column (most indexes) holds its
//! value inline, inside the B-tree node: comparing keys on the way down the tree reads the node
//! itself, not a separate allocation per key. A key that only one row holds (every key of a
//! unique index, most keys of any index on ids) keeps that row id inline too ([`RowIds::One`]),
//! not in a set of its own.

use super::types::Value;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

pub type RowId = u64;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub columns: Vec<usize>,
    pub unique: bool,
    pub primary: bool,
    /// Key values (text folded to lower case under MySQL's collation) to the rows holding them.
    #[serde(with = "pairs")]
    pub entries: BTreeMap<Key, RowIds>,
}

/// The indexed values of one row. It orders (and is looked up) as the slice of its values, so
/// a map of keys can be searched with a `&[Value]` without building a key.
#[derive(Clone, Debug)]
pub enum Key {
    One(Value),
    Many(Vec<Value>),
}

impl Key {
    pub fn new(mut values: Vec<Value>) -> Key {
        match values.len() {
            1 => Key::One(values.pop().unwrap_or(Value::Null)),
            _ => Key::Many(values),
        }
    }

    pub fn as_slice(&self) -> &[Value] {
        match self {
            Key::One(v) => std::slice::from_ref(v),
            Key::Many(vs) => vs,
        }
    }

    /// Whether a value of the key is NULL (such keys never collide in a unique index).
    pub fn has_null(&self) -> bool {
        self.as_slice().iter().any(Value::is_null)
    }
}

impl Borrow<[Value]> for Key {
    fn borrow(&self) -> &[Value] {
        self.as_slice()
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Key) -> Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

/// Saved as the list of its values, whatever its shape.
impl Serialize for Key {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}
impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        Ok(Key::new(Vec::deserialize(d)?))
    }
}

/// The rows holding one key: usually one, kept inline; a set when there are more.
#[derive(Clone, Debug, PartialEq)]
pub enum RowIds {
    One(RowId),
    Many(BTreeSet<RowId>),
}

impl RowIds {
    pub fn insert(&mut self, id: RowId) {
        match self {
            RowIds::One(first) if *first == id => {}
            RowIds::One(first) => *self = RowIds::Many(BTreeSet::from([*first, id])),
            RowIds::Many(ids) => {
                ids.insert(id);
            }
        }
    }

    /// Removes a row; returns true when no row is left (the entry should go).
    pub fn remove(&mut self, id: RowId) -> bool {
        match self {
            RowIds::One(only) => *only == id,
            RowIds::Many(ids) => {
                ids.remove(&id);
                if let (1, Some(&last)) = (ids.len(), ids.first()) {
                    *self = RowIds::One(last);
                }
                ids_empty(self)
            }
        }
    }

    /// The ids in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = RowId> + '_ {
        let (one, many) = match self {
            RowIds::One(id) => (Some(*id), None),
            RowIds::Many(ids) => (None, Some(ids.iter().copied())),
        };
        one.into_iter().chain(many.into_iter().flatten())
    }
}

fn ids_empty(ids: &RowIds) -> bool {
    matches!(ids, RowIds::Many(set) if set.is_empty())
}

/// Saved as the list of ids, whatever its shape. (Each shape's own iterator knows its length,
/// which a compact saved format needs up front; the chained [`RowIds::iter`] does not.)
impl Serialize for RowIds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RowIds::One(id) => s.collect_seq(std::iter::once(id)),
            RowIds::Many(ids) => s.collect_seq(ids),
        }
    }
}
impl<'de> Deserialize<'de> for RowIds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RowIds, D::Error> {
        let ids: BTreeSet<RowId> = BTreeSet::deserialize(d)?;
        Ok(match (ids.len(), ids.first()) {
            (1, Some(&id)) => RowIds::One(id),
            _ => RowIds::Many(ids),
        })
    }
}

impl Index {
    /// Adds a row under its key.
    pub fn add(&mut self, key: Key, id: RowId) {
        match self.entries.entry(key) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(RowIds::One(id));
            }
            std::collections::btree_map::Entry::Occupied(mut o) => o.get_mut().insert(id),
        }
    }

    /// Removes a row from under its key.
    pub fn remove(&mut self, key: &[Value], id: RowId) {
        if let Some(ids) = self.entries.get_mut(key) {
            if ids.remove(id) {
                self.entries.remove(key);
            }
        }
    }

    /// The rows holding exactly this key.
    pub fn get(&self, key: &[Value]) -> impl Iterator<Item = RowId> + '_ {
        self.entries.get(key).into_iter().flat_map(RowIds::iter)
    }
}

/// Serialises a map with non-string keys as a list of pairs (JSON objects need string keys).
pub(super) mod pairs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer, K: Serialize, V: Serialize>(map: &BTreeMap<K, V>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, D: Deserializer<'de>, K: Deserialize<'de> + Ord, V: Deserialize<'de>>(
        d: D,
    ) -> Result<BTreeMap<K, V>, D::Error> {
        let pairs: Vec<(K, V)> = Vec::deserialize(d)?;
        Ok(pairs.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_ids_grow_and_shrink() {
        let mut ids = RowIds::One(5);
        ids.insert(3);
        assert_eq!(ids.iter().collect::<Vec<_>>(), vec![3, 5]);
        assert!(!ids.remove(5));
        assert_eq!(ids, RowIds::One(3));
        assert!(ids.remove(3));
    }

    #[test]
    fn keys_order_as_their_values_and_save_as_lists() {
        let mut index =
            Index { name: "i".into(), columns: vec![0], unique: false, primary: false, entries: BTreeMap::new() };
        index.add(Key::new(vec![Value::Int(7)]), 1);
        index.add(Key::new(vec![Value::Int(3)]), 2);
        index.add(Key::new(vec![Value::Int(7)]), 3);
        assert_eq!(index.get(&[Value::Int(7)]).collect::<Vec<_>>(), vec![1, 3]);
        let json = serde_json::to_string(&index.entries.iter().collect::<Vec<_>>()).unwrap_or_default();
        assert_eq!(json, r#"[[[{"Int":3}],[2]],[[{"Int":7}],[1,3]]]"#);
        let back: Index = serde_json::from_str(&serde_json::to_string(&index).unwrap_or_default()).unwrap();
        assert_eq!(back, index);
    }
}
