//! The table a hash join builds over the new relation's rows, found by their join key.
//!
//! ```text
//!   build side (u):   row 0: id 7   row 1: id 3   row 2: id 7
//!
//!   heads: 7 ─▶ 0      next: [2, NONE, NONE]     (row 0's next with key 7 is row 2)
//!          3 ─▶ 1
//!
//!   probe with 7: row 0, then next[0] = row 2, then next[2] = NONE: done
//! ```
//!
//! Integer keys (the common case: ids) go in a hash map from the key to the first row holding
//! it, and the other rows with the same key are chained through one `next` array: one small
//! entry per key, no list per key. Any other key kind uses the values' total order (a
//! B-tree), under which equal numbers of any kind meet, as SQL's `=` wants.

use super::flavour::Flavour;
use super::storage::fold;
use super::types::Value;
use std::collections::{BTreeMap, HashMap};

/// The end of a chain.
const NONE: usize = usize::MAX;

pub struct HashProbe {
    /// Every key is an integer (or NULL): `heads` and `next` hold them.
    ints: bool,
    heads: HashMap<i64, usize, IntHash>,
    next: Vec<usize>,
    /// Other keys, and integer keys once probed with a non-integer.
    table: BTreeMap<Value, Vec<usize>>,
}

impl HashProbe {
    /// The table over the build rows' keys (`keys[i]` is row `i`'s key; NULL never matches).
    pub fn build(keys: Vec<Value>, fl: Flavour) -> HashProbe {
        let ints = keys.iter().all(|k| matches!(k, Value::Int(_) | Value::Null));
        let mut probe = HashProbe { ints, heads: HashMap::default(), next: Vec::new(), table: BTreeMap::new() };
        if ints {
            // Built from the last row back, so that each chain lists its rows in order.
            probe.next = vec![NONE; keys.len()];
            probe.heads.reserve(keys.len());
            for (idx, k) in keys.iter().enumerate().rev() {
                if let Value::Int(i) = k {
                    if let Some(head) = probe.heads.insert(*i, idx) {
                        probe.next[idx] = head;
                    }
                }
            }
            return probe;
        }
        for (idx, k) in keys.into_iter().enumerate() {
            if !k.is_null() {
                probe.table.entry(fold(k, fl.is_mysql())).or_default().push(idx);
            }
        }
        probe
    }

    /// The build rows whose key equals `k`, in order (none for NULL).
    pub fn find(&mut self, k: &Value, fl: Flavour) -> Found<'_> {
        if self.ints && !matches!(k, Value::Int(_) | Value::Null) && self.table.is_empty() {
            // A non-integer probe (1.0, 1.5) against integer keys: from now on compare by the
            // total order too, as the general path does.
            let mut table = BTreeMap::new();
            for (&i, &head) in &self.heads {
                table.insert(Value::Int(i), Found::Chain { next: &self.next, at: head }.collect());
            }
            self.table = table;
        }
        match k {
            Value::Null => Found::List([].iter()),
            Value::Int(i) if self.ints => {
                Found::Chain { next: &self.next, at: self.heads.get(i).copied().unwrap_or(NONE) }
            }
            k => match self.table.get(&fold(k.clone(), fl.is_mysql())) {
                Some(rows) => Found::List(rows.iter()),
                None => Found::List([].iter()),
            },
        }
    }
}

/// The build rows matching one probe.
pub enum Found<'p> {
    Chain { next: &'p [usize], at: usize },
    List(std::slice::Iter<'p, usize>),
}

impl Iterator for Found<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        match self {
            Found::Chain { next, at } => {
                let row = *at;
                if row == NONE {
                    return None;
                }
                *at = next.get(row).copied().unwrap_or(NONE);
                Some(row)
            }
            Found::List(rows) => rows.next().copied(),
        }
    }
}

/// A cheap hash for integer keys (a multiply and a shift), in place of the default SipHash,
/// whose protection against chosen keys a lab's own tables do not need.
#[derive(Clone, Copy, Default)]
pub struct IntHash;

impl std::hash::BuildHasher for IntHash {
    type Hasher = IntHasher;
    fn build_hasher(&self) -> IntHasher {
        IntHasher(0)
    }
}

#[derive(Clone, Copy, Default)]
pub struct IntHasher(u64);

impl std::hash::Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_i64(&mut self, i: i64) {
        self.0 = (i as u64 ^ self.0).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(26);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_come_back_in_row_order() {
        let keys = vec![Value::Int(7), Value::Int(3), Value::Null, Value::Int(7)];
        let mut p = HashProbe::build(keys, Flavour::Postgres);
        assert_eq!(p.find(&Value::Int(7), Flavour::Postgres).collect::<Vec<_>>(), vec![0, 3]);
        assert_eq!(p.find(&Value::Null, Flavour::Postgres).count(), 0);
        assert_eq!(p.find(&Value::Float(3.0), Flavour::Postgres).collect::<Vec<_>>(), vec![1]);
        assert_eq!(p.find(&Value::Int(7), Flavour::Postgres).collect::<Vec<_>>(), vec![0, 3]);
    }

    #[test]
    fn text_keys_fold_case_in_mysql() {
        let keys = vec![Value::Text("Ann".into()), Value::Text("bob".into())];
        let mut p = HashProbe::build(keys, Flavour::MySql);
        assert_eq!(p.find(&Value::Text("ann".into()), Flavour::MySql).collect::<Vec<_>>(), vec![0]);
    }
}
