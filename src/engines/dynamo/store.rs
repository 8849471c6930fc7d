//! A table's items: found by key in one step, walked in storage order.
//!
//! GetItem, PutItem and the other single-item operations need "the item with this key"; Scan
//! and Query need the items in the order storage keeps them (partition hash, partition key,
//! sort key). The store keeps both views:
//!
//! ```text
//!   slots:  [item, item, (free), item ...]         the items themselves
//!   by_key: fingerprint(pk, sk) → slot    GetItem / PutItem / DeleteItem: one hash probe
//!   order:  BTreeMap key → slot           Scan / Query: walk in key order
//! ```
//!
//! A lookup hashes the key's values where they are ([`KeyRef`]), without copying them, and
//! checks the slot's key, so fingerprints that collide are told apart.

use super::number::Number;
use super::table::{KeyPart, StoreKey};
use super::value::{AttrValue, Item};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// A small, fast hasher for keys (multiply-rotate over 8-byte words). Keys come from the
/// lab's own users, so the denial-of-service resistance of the standard hasher is not needed.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A key attribute's value, borrowed: what a lookup needs, without copying the key.
#[derive(Clone, Copy)]
pub enum KeyRef<'a> {
    S(&'a str),
    N(&'a Number),
    B(&'a [u8]),
}

impl<'a> KeyRef<'a> {
    pub fn from_value(v: &'a AttrValue) -> Option<KeyRef<'a>> {
        match v {
            AttrValue::S(s) => Some(KeyRef::S(s)),
            AttrValue::N(n) => Some(KeyRef::N(n)),
            AttrValue::B(b) => Some(KeyRef::B(b)),
            _ => None,
        }
    }

    pub fn from_part(p: &'a KeyPart) -> KeyRef<'a> {
        match p {
            KeyPart::S(s) => KeyRef::S(s),
            KeyPart::N(n) => KeyRef::N(n),
            KeyPart::B(b) => KeyRef::B(b),
        }
    }

    fn matches(self, p: &KeyPart) -> bool {
        match (self, p) {
            (KeyRef::S(a), KeyPart::S(b)) => a == b,
            (KeyRef::N(a), KeyPart::N(b)) => a == b,
            (KeyRef::B(a), KeyPart::B(b)) => a == b.as_slice(),
            _ => false,
        }
    }

    fn feed(self, h: &mut KeyHasher) {
        match self {
            KeyRef::S(s) => {
                h.write_u8(b'S');
                h.write(s.as_bytes());
            }
            KeyRef::N(n) => {
                h.write_u8(b'N');
                h.write_u8(u8::from(n.is_negative()));
                h.write_u64(n.point() as u64);
                h.write(n.digits().as_bytes());
            }
            KeyRef::B(b) => {
                h.write_u8(b'B');
                h.write(b);
            }
        }
        h.write_usize(0xff);
    }
}

/// The 64-bit fingerprint a key is filed under in the lookup map.
fn fingerprint(pk: KeyRef, sk: Option<KeyRef>) -> u64 {
    let mut h = KeyHasher::default();
    pk.feed(&mut h);
    if let Some(sk) = sk {
        sk.feed(&mut h);
    }
    h.finish()
}

/// Hashes an already mixed fingerprint: it passes through.
#[derive(Default, Clone, Copy)]
pub struct Passthrough(u64);

impl Hasher for Passthrough {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The slots filed under one fingerprint: almost always one.
#[derive(Clone, Debug)]
enum Slots {
    One(u32),
    Many(Vec<u32>),
}

#[derive(Clone, Debug, Default)]
pub struct Store {
    /// The items; a removed item leaves an empty slot, reused by the next insert.
    slots: Vec<Item>,
    /// The key of each slot (`None` when free).
    keys: Vec<Option<StoreKey>>,
    free: Vec<u32>,
    by_key: HashMap<u64, Slots, BuildHasherDefault<Passthrough>>,
    order: BTreeMap<StoreKey, u32>,
}

impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Store {
    pub fn new() -> Store {
        Store::default()
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The slot of the item with this key.
    fn slot(&self, pk: KeyRef, sk: Option<KeyRef>) -> Option<u32> {
        let is = |i: &u32| {
            self.keys[*i as usize].as_ref().is_some_and(|k| {
                pk.matches(&k.pk)
                    && match (sk, &k.sk) {
                        (Some(a), Some(b)) => a.matches(b),
                        (None, None) => true,
                        _ => false,
                    }
            })
        };
        match self.by_key.get(&fingerprint(pk, sk))? {
            Slots::One(i) => is(i).then_some(*i),
            Slots::Many(v) => v.iter().copied().find(is),
        }
    }

    /// The item whose key has these parts.
    pub fn lookup(&self, pk: KeyRef, sk: Option<KeyRef>) -> Option<&Item> {
        self.slot(pk, sk).map(|i| &self.slots[i as usize])
    }

    pub fn get(&self, key: &StoreKey) -> Option<&Item> {
        self.lookup(KeyRef::from_part(&key.pk), key.sk.as_ref().map(KeyRef::from_part))
    }

    pub fn contains_key(&self, key: &StoreKey) -> bool {
        self.get(key).is_some()
    }

    /// Stores an item under a full key (with its partition hash); returns the one it replaced.
    pub fn insert(&mut self, key: StoreKey, item: Item) -> Option<Item> {
        let (pk, sk) = (KeyRef::from_part(&key.pk), key.sk.as_ref().map(KeyRef::from_part));
        if let Some(i) = self.slot(pk, sk) {
            return Some(std::mem::replace(&mut self.slots[i as usize], item));
        }
        let print = fingerprint(pk, sk);
        let i = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = item;
                self.keys[i as usize] = Some(key.clone());
                i
            }
            None => {
                self.slots.push(item);
                self.keys.push(Some(key.clone()));
                (self.slots.len() - 1) as u32
            }
        };
        match self.by_key.get_mut(&print) {
            None => {
                self.by_key.insert(print, Slots::One(i));
            }
            Some(Slots::One(j)) => {
                let j = *j;
                self.by_key.insert(print, Slots::Many(vec![j, i]));
            }
            Some(Slots::Many(v)) => v.push(i),
        }
        self.order.insert(key, i);
        None
    }

    pub fn remove(&mut self, key: &StoreKey) -> Option<Item> {
        let (pk, sk) = (KeyRef::from_part(&key.pk), key.sk.as_ref().map(KeyRef::from_part));
        let i = self.slot(pk, sk)?;
        let print = fingerprint(pk, sk);
        match self.by_key.get_mut(&print) {
            Some(Slots::Many(v)) if v.len() > 1 => v.retain(|&j| j != i),
            _ => {
                self.by_key.remove(&print);
            }
        }
        if let Some(full) = self.keys[i as usize].take() {
            self.order.remove(&full);
        }
        self.free.push(i);
        Some(std::mem::take(&mut self.slots[i as usize]))
    }

    /// Items with their keys, in storage order.
    pub fn iter(&self) -> impl Iterator<Item = (&StoreKey, &Item)> {
        self.order.iter().map(|(k, &i)| (k, &self.slots[i as usize]))
    }

    /// Items in storage order.
    pub fn values(&self) -> impl Iterator<Item = &Item> {
        self.order.values().map(|&i| &self.slots[i as usize])
    }

    /// Items from `from` on, in storage order.
    pub fn range_from(&self, from: &StoreKey) -> impl Iterator<Item = (&StoreKey, &Item)> {
        self.order.range(from..).map(|(k, &i)| (k, &self.slots[i as usize]))
    }

    /// The items of one partition key value: they sit together in the store, so this seeks to
    /// them rather than scanning.
    pub fn partition(&self, pk: &KeyPart) -> impl Iterator<Item = &Item> {
        let from = StoreKey::new(pk.clone(), None);
        let (hash, pk) = (from.hash, from.pk.clone());
        self.range_from(&from).take_while(move |(k, _)| k.hash == hash && k.pk == pk).map(|(_, i)| i)
    }
}

impl FromIterator<(StoreKey, Item)> for Store {
    fn from_iter<I: IntoIterator<Item = (StoreKey, Item)>>(iter: I) -> Store {
        let mut s = Store::new();
        for (k, v) in iter {
            s.insert(k, v);
        }
        s
    }
}

impl IntoIterator for Store {
    type Item = (StoreKey, Item);
    type IntoIter = std::vec::IntoIter<(StoreKey, Item)>;

    fn into_iter(mut self) -> Self::IntoIter {
        let order = std::mem::take(&mut self.order);
        let mut slots = std::mem::take(&mut self.slots);
        order.into_iter().map(|(k, i)| (k, std::mem::take(&mut slots[i as usize]))).collect::<Vec<_>>().into_iter()
    }
}
