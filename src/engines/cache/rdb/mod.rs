//! DUMP and RESTORE payloads in Redis's own serialisation: one value in RDB format.
//!
//! ```text
//!   <type byte> <value in RDB encoding> <RDB version u16 LE = 10> <CRC-64 Jones u64 LE>
//! ```
//!
//! The CRC covers everything before it. RESTORE refuses a payload whose version is newer than
//! 10 (Redis 7.0) or whose CRC does not match ("DUMP payload version or checksum are wrong"),
//! and one it cannot read ("Bad data format").
//!
//! Lengths are 1, 2, 5 or 9 bytes (`00xxxxxx`, `01xxxxxx xxxxxxxx`, `0x80` + u32 BE,
//! `0x81` + u64 BE). A string is a length and its bytes, except that a short canonical integer
//! is stored as one (`0xC0`/`0xC1`/`0xC2` + 1/2/4 bytes LE), and a string longer than 20 bytes
//! that LZF shrinks by at least 4 bytes is stored compressed (`0xC3`, compressed length,
//! original length, data).
//!
//! How each type is written (as Redis 7.0 does with its default limits):
//!
//! | type byte | value                                                                  |
//! |-----------|------------------------------------------------------------------------|
//! | 0         | string                                                                 |
//! | 18        | list: quicklist nodes, each a listpack of up to 8 KB                   |
//! | 16 / 4    | hash: one listpack of field, value... (<= 128 fields of <= 64 bytes), else pairs |
//! | 11 / 2    | set: an intset (<= 512 integers), else members                        |
//! | 17 / 5    | sorted set: listpack of member, score... in order (<= 128, <= 64 bytes), else member + binary double, highest first |
//! | 19        | stream: listpack nodes keyed by master ID, then metadata, groups, PELs, consumers |
//!
//! Older type bytes (ziplists of Redis <= 6.2, streams without the 7.0 metadata) are read too.

pub mod crc64;
pub mod listpack;
pub mod lzf;
pub mod ziplist;

use super::args::parse_i64;
use super::keyspace::Value;
use super::maps::{FxMap, FxSet};
use super::reply::format_g;
use super::stream::{Consumer, Group, PackNode, Pending, Stream, StreamId};
use super::zset::ZSet;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The RDB version DUMP writes and the newest RESTORE accepts (Redis 7.0).
pub const RDB_VERSION: u16 = 10;

const TYPE_STRING: u8 = 0;
const TYPE_LIST: u8 = 1;
const TYPE_SET: u8 = 2;
const TYPE_HASH: u8 = 4;
const TYPE_ZSET_2: u8 = 5;
const TYPE_LIST_ZIPLIST: u8 = 10;
const TYPE_SET_INTSET: u8 = 11;
const TYPE_ZSET_ZIPLIST: u8 = 12;
const TYPE_HASH_ZIPLIST: u8 = 13;
const TYPE_LIST_QUICKLIST: u8 = 14;
const TYPE_STREAM_LISTPACKS: u8 = 15;
const TYPE_HASH_LISTPACK: u8 = 16;
const TYPE_ZSET_LISTPACK: u8 = 17;
const TYPE_LIST_QUICKLIST_2: u8 = 18;
const TYPE_STREAM_LISTPACKS_2: u8 = 19;

/// Redis 7.0's default encoding limits (hash-max-listpack-*, zset-max-listpack-*,
/// set-max-intset-entries, list-max-listpack-size -2 = 8 KB nodes).
const SMALL_ENTRIES: usize = 128;
const SMALL_VALUE: usize = 64;
const INTSET_ENTRIES: usize = 512;
const LIST_NODE_BYTES: usize = 8192;

/// Stream listpack entry flags.
const FLAG_DELETED: i64 = 1;
const FLAG_SAMEFIELDS: i64 = 2;

/// Why a payload was refused.
#[derive(Debug, PartialEq)]
pub enum RestoreError {
    VersionOrChecksum,
    BadFormat,
}

// ---------------------------------------------------------------- writing

fn save_len(out: &mut Vec<u8>, len: u64) {
    if len < 1 << 6 {
        out.push(len as u8);
    } else if len < 1 << 14 {
        out.push(0x40 | (len >> 8) as u8);
        out.push(len as u8);
    } else if len <= u32::MAX as u64 {
        out.push(0x80);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&len.to_be_bytes());
    }
}

fn save_string(out: &mut Vec<u8>, s: &[u8]) {
    if s.len() <= 11 {
        if let Some(v) = parse_i64(s) {
            if let Ok(b) = i8::try_from(v) {
                out.extend([0xC0, b as u8]);
                return;
            } else if let Ok(h) = i16::try_from(v) {
                out.push(0xC1);
                out.extend_from_slice(&h.to_le_bytes());
                return;
            } else if let Ok(w) = i32::try_from(v) {
                out.push(0xC2);
                out.extend_from_slice(&w.to_le_bytes());
                return;
            }
        }
    }
    if s.len() > 20 {
        if let Some(packed) = lzf::compress(s, s.len() - 4) {
            out.push(0xC3);
            save_len(out, packed.len() as u64);
            save_len(out, s.len() as u64);
            out.extend_from_slice(&packed);
            return;
        }
    }
    save_len(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// A score as Redis 7.0's `d2string` writes it into a listpack.
fn score_text(score: f64) -> Vec<u8> {
    if score.is_infinite() {
        return if score > 0.0 { b"inf".to_vec() } else { b"-inf".to_vec() };
    }
    if score == 0.0 {
        return if score.is_sign_negative() { b"-0".to_vec() } else { b"0".to_vec() };
    }
    if score > -4_503_599_627_370_495.0 && score < 4_503_599_627_370_496.0 && score == (score as i64) as f64 {
        return (score as i64).to_string().into_bytes();
    }
    format_g(score, 17).into_bytes()
}

fn raw_id(out: &mut Vec<u8>, id: StreamId) {
    out.extend_from_slice(&id.ms.to_be_bytes());
    out.extend_from_slice(&id.seq.to_be_bytes());
}

/// Quicklist nodes as pushing the elements at the tail one by one would fill them.
fn list_nodes(list: &VecDeque<Vec<u8>>) -> Vec<Vec<&[u8]>> {
    let mut nodes: Vec<Vec<&[u8]>> = Vec::new();
    let mut node_bytes = 0usize;
    for item in list {
        let sz = item.len();
        let overhead = if sz < 254 { 1 } else { 5 }
            + if sz < 64 {
                1
            } else if sz < 16384 {
                2
            } else {
                5
            };
        match nodes.last_mut() {
            Some(node) if node_bytes + sz + overhead <= LIST_NODE_BYTES => {
                node.push(item);
                node_bytes += listpack::element_size(item);
            }
            _ => {
                nodes.push(vec![item]);
                node_bytes = 7 + listpack::element_size(item);
            }
        }
    }
    nodes
}

/// The listpack of one stream node: master entry, then each entry relative to it.
fn stream_node(master: StreamId, master_fields: &[Vec<u8>], entries: &[(&StreamId, &Vec<Vec<u8>>)]) -> Vec<u8> {
    let mut items: Vec<Vec<u8>> =
        vec![entries.len().to_string().into_bytes(), b"0".to_vec(), master_fields.len().to_string().into_bytes()];
    items.extend(master_fields.iter().cloned());
    items.push(b"0".to_vec());
    for (id, fields) in entries {
        let same =
            fields.len() / 2 == master_fields.len() && fields.iter().step_by(2).zip(master_fields).all(|(a, b)| a == b);
        let n = fields.len() / 2;
        items.push(if same { FLAG_SAMEFIELDS } else { 0 }.to_string().into_bytes());
        items.push((id.ms.wrapping_sub(master.ms) as i64).to_string().into_bytes());
        items.push((id.seq.wrapping_sub(master.seq) as i64).to_string().into_bytes());
        if same {
            items.extend(fields.iter().skip(1).step_by(2).cloned());
            items.push((n + 3).to_string().into_bytes());
        } else {
            items.push(n.to_string().into_bytes());
            items.extend(fields.iter().cloned());
            items.push((n * 2 + 4).to_string().into_bytes());
        }
    }
    listpack::encode(items.iter().map(|i| i.as_slice()))
}

fn save_stream(out: &mut Vec<u8>, s: &Stream) {
    // Nodes as the stream keeps them; entries before the first node (never expected) or a
    // stream without node bookkeeping get one node per 100 entries.
    let mut nodes: Vec<(StreamId, Vec<Vec<u8>>)> =
        s.nodes.iter().map(|n| (n.master, n.master_fields.clone())).collect();
    if nodes.is_empty() || s.first_id().is_some_and(|f| f < nodes[0].0) {
        nodes = s
            .entries
            .iter()
            .step_by(100)
            .map(|(id, fields)| (*id, fields.iter().step_by(2).cloned().collect()))
            .collect();
    }
    let mut blobs: Vec<(StreamId, Vec<u8>)> = Vec::new();
    for (i, (master, fields)) in nodes.iter().enumerate() {
        let end = nodes.get(i + 1).map(|n| n.0);
        let entries: Vec<(&StreamId, &Vec<Vec<u8>>)> =
            s.entries.range(*master..).take_while(|(id, _)| end.is_none_or(|e| **id < e)).collect();
        if !entries.is_empty() {
            blobs.push((*master, stream_node(*master, fields, &entries)));
        }
    }
    save_len(out, blobs.len() as u64);
    for (master, blob) in &blobs {
        let mut key = Vec::with_capacity(16);
        raw_id(&mut key, *master);
        save_string(out, &key);
        save_string(out, blob);
    }
    save_len(out, s.len() as u64);
    save_len(out, s.last_id.ms);
    save_len(out, s.last_id.seq);
    let first = s.first_id().unwrap_or(StreamId::MIN);
    save_len(out, first.ms);
    save_len(out, first.seq);
    save_len(out, s.max_deleted_id.ms);
    save_len(out, s.max_deleted_id.seq);
    save_len(out, s.entries_added);
    save_len(out, s.groups.len() as u64);
    for (name, g) in &s.groups {
        save_string(out, name);
        save_len(out, g.last_id.ms);
        save_len(out, g.last_id.seq);
        // An unknown count is Redis's -1, written as an unsigned length.
        save_len(out, g.entries_read.unwrap_or(u64::MAX));
        save_len(out, g.pel.len() as u64);
        for (id, p) in &g.pel {
            raw_id(out, *id);
            out.extend_from_slice(&p.delivery_time.to_le_bytes());
            save_len(out, p.delivery_count);
        }
        save_len(out, g.consumers.len() as u64);
        for (cname, c) in &g.consumers {
            save_string(out, cname);
            out.extend_from_slice(&c.seen_time.to_le_bytes());
            save_len(out, c.pel.len() as u64);
            for id in &c.pel {
                raw_id(out, *id);
            }
        }
    }
}

/// DUMP's payload for a value.
pub fn dump(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    match value {
        Value::Str(s) => {
            out.push(TYPE_STRING);
            save_string(&mut out, s);
        }
        Value::List(list) => {
            out.push(TYPE_LIST_QUICKLIST_2);
            let nodes = list_nodes(list);
            save_len(&mut out, nodes.len() as u64);
            for node in nodes {
                save_len(&mut out, 2); // a packed node (a listpack), not a plain one
                save_string(&mut out, &listpack::encode(node));
            }
        }
        Value::Hash(h) => {
            if h.len() <= SMALL_ENTRIES && h.iter().all(|(k, v)| k.len() <= SMALL_VALUE && v.len() <= SMALL_VALUE) {
                out.push(TYPE_HASH_LISTPACK);
                let lp = listpack::encode(h.iter().flat_map(|(k, v)| [k.as_slice(), v.as_slice()]));
                save_string(&mut out, &lp);
            } else {
                out.push(TYPE_HASH);
                save_len(&mut out, h.len() as u64);
                for (k, v) in h {
                    save_string(&mut out, k);
                    save_string(&mut out, v);
                }
            }
        }
        Value::Set(set) => {
            let ints: Option<Vec<i64>> = set.iter().map(|m| parse_i64(m)).collect();
            match ints {
                Some(mut ints) if ints.len() <= INTSET_ENTRIES => {
                    out.push(TYPE_SET_INTSET);
                    save_string(&mut out, &listpack::encode_intset(&mut ints));
                }
                _ => {
                    out.push(TYPE_SET);
                    save_len(&mut out, set.len() as u64);
                    for m in set {
                        save_string(&mut out, m);
                    }
                }
            }
        }
        Value::ZSet(z) => {
            if z.len() <= SMALL_ENTRIES && z.members().all(|m| m.len() <= SMALL_VALUE) {
                out.push(TYPE_ZSET_LISTPACK);
                let items: Vec<Vec<u8>> = z.iter().flat_map(|(m, s)| [m.to_vec(), score_text(s)]).collect();
                save_string(&mut out, &listpack::encode(items.iter().map(|i| i.as_slice())));
            } else {
                out.push(TYPE_ZSET_2);
                save_len(&mut out, z.len() as u64);
                for (m, s) in z.iter().rev() {
                    save_string(&mut out, m);
                    out.extend_from_slice(&s.to_le_bytes());
                }
            }
        }
        Value::Stream(s) => {
            out.push(TYPE_STREAM_LISTPACKS_2);
            save_stream(&mut out, s);
        }
    }
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64::crc64(0, &out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

// ---------------------------------------------------------------- reading

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let bytes = self.data.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(bytes)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    /// A length, or the special string encoding it announces (`Err(kind)`).
    fn len_or_encoding(&mut self) -> Option<Result<u64, u8>> {
        let b = self.byte()?;
        Some(match b >> 6 {
            0 => Ok((b & 0x3F) as u64),
            1 => Ok((((b & 0x3F) as u64) << 8) | self.byte()? as u64),
            2 => match b {
                0x80 => Ok(u32::from_be_bytes(self.take(4)?.try_into().ok()?) as u64),
                0x81 => Ok(u64::from_be_bytes(self.take(8)?.try_into().ok()?)),
                _ => return None,
            },
            _ => Err(b & 0x3F),
        })
    }

    fn len(&mut self) -> Option<u64> {
        self.len_or_encoding()?.ok()
    }

    /// A length used to size something in memory: refuses absurd ones before allocating.
    fn count(&mut self) -> Option<usize> {
        let n = self.len()?;
        (n <= (self.data.len() - self.at) as u64 * 16 + 16).then_some(n as usize)
    }

    fn string(&mut self) -> Option<Vec<u8>> {
        match self.len_or_encoding()? {
            Ok(n) => Some(self.take(usize::try_from(n).ok()?)?.to_vec()),
            Err(0) => Some((self.byte()? as i8).to_string().into_bytes()),
            Err(1) => Some(i16::from_le_bytes(self.take(2)?.try_into().ok()?).to_string().into_bytes()),
            Err(2) => Some(i32::from_le_bytes(self.take(4)?.try_into().ok()?).to_string().into_bytes()),
            Err(3) => {
                let clen = usize::try_from(self.len()?).ok()?;
                let len = usize::try_from(self.len()?).ok()?;
                // Three LZF bytes expand to at most 264: refuse lengths a stream cannot reach
                // before allocating for them.
                if len > clen.saturating_mul(88).saturating_add(64) {
                    return None;
                }
                lzf::decompress(self.take(clen)?, len)
            }
            Err(_) => None,
        }
    }

    fn double(&mut self) -> Option<f64> {
        Some(f64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn millis(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn raw_id(&mut self) -> Option<StreamId> {
        let b = self.take(16)?;
        Some(StreamId::new(u64::from_be_bytes(b[..8].try_into().ok()?), u64::from_be_bytes(b[8..].try_into().ok()?)))
    }
}

fn parse_score(text: &[u8]) -> Option<f64> {
    let f: f64 = std::str::from_utf8(text).ok()?.parse().ok()?;
    (!f.is_nan()).then_some(f)
}

fn hash_from_pairs(items: Vec<Vec<u8>>) -> Option<Value> {
    if !items.len().is_multiple_of(2) || items.is_empty() {
        return None;
    }
    let mut h: FxMap<Vec<u8>, Vec<u8>> = FxMap::default();
    let mut it = items.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        if h.insert(k, v).is_some() {
            return None; // a duplicate field: Redis refuses the payload
        }
    }
    Some(Value::Hash(h))
}

fn zset_from_pairs(items: Vec<Vec<u8>>) -> Option<Value> {
    if !items.len().is_multiple_of(2) || items.is_empty() {
        return None;
    }
    let mut z = ZSet::new();
    for pair in items.chunks(2) {
        if !z.insert(&pair[0], parse_score(&pair[1])?) {
            return None;
        }
    }
    Some(Value::ZSet(z))
}

fn non_empty_list(list: VecDeque<Vec<u8>>) -> Option<Value> {
    (!list.is_empty()).then_some(Value::List(list))
}

/// Reads a stream's listpack node: its entries (deleted ones skipped) and its bookkeeping.
fn read_stream_node(master: StreamId, lp: &[u8], entries: &mut BTreeMap<StreamId, Vec<Vec<u8>>>) -> Option<PackNode> {
    let items = listpack::decode(lp)?;
    let total = items.len();
    let mut it = items.into_iter();
    let int = |it: &mut std::vec::IntoIter<Vec<u8>>| parse_i64(&it.next()?);
    let count = int(&mut it)?;
    let deleted = int(&mut it)?;
    let nfields = usize::try_from(int(&mut it)?).ok().filter(|n| *n <= total)?;
    let master_fields: Vec<Vec<u8>> = (0..nfields).map(|_| it.next()).collect::<Option<_>>()?;
    if int(&mut it)? != 0 {
        return None; // the master entry's terminator
    }
    let mut live = 0u32;
    while let Some(flags) = it.next() {
        let flags = parse_i64(&flags)?;
        let ms = master.ms.wrapping_add(int(&mut it)? as u64);
        let seq = master.seq.wrapping_add(int(&mut it)? as u64);
        let fields: Vec<Vec<u8>> = if flags & FLAG_SAMEFIELDS != 0 {
            let mut f = Vec::with_capacity(nfields * 2);
            for name in &master_fields {
                f.push(name.clone());
                f.push(it.next()?);
            }
            f
        } else {
            let n = usize::try_from(int(&mut it)?).ok().filter(|n| *n <= total)?;
            (0..n * 2).map(|_| it.next()).collect::<Option<_>>()?
        };
        int(&mut it)?; // lp-count, for walking backwards
        if flags & FLAG_DELETED == 0 {
            entries.insert(StreamId::new(ms, seq), fields);
            live += 1;
        }
    }
    if live as i64 != count {
        return None;
    }
    Some(PackNode {
        master,
        appended: count.saturating_add(deleted) as u32,
        live,
        bytes: lp.len() as u32,
        master_fields,
    })
}

/// Redis's `streamEstimateDistanceFromFirstEverEntry`: how many entries a group at `id` has
/// read, when that can be known (groups loaded from payloads older than 7.0 carry no count).
fn estimate_entries_read(s: &Stream, id: StreamId) -> Option<u64> {
    if s.entries_added == 0 {
        return Some(0);
    }
    if s.is_empty() && id <= s.last_id {
        return Some(s.entries_added);
    }
    if id == s.last_id {
        return Some(s.entries_added);
    } else if id > s.last_id {
        return None;
    }
    let first = s.first_id().unwrap_or(StreamId::MIN);
    if s.max_deleted_id == StreamId::MIN || s.max_deleted_id < first {
        if id < first {
            return Some(s.entries_added - s.len() as u64);
        } else if id == first {
            return Some(s.entries_added - s.len() as u64 + 1);
        }
    }
    None
}

fn read_stream(r: &mut Reader, with_metadata: bool) -> Option<Value> {
    let mut s = Stream::default();
    let node_count = r.count()?;
    for _ in 0..node_count {
        let key = r.string()?;
        if key.len() != 16 {
            return None;
        }
        let master =
            StreamId::new(u64::from_be_bytes(key[..8].try_into().ok()?), u64::from_be_bytes(key[8..].try_into().ok()?));
        let lp = r.string()?;
        let node = read_stream_node(master, &lp, &mut s.entries)?;
        s.nodes.push(node);
    }
    let length = r.len()?;
    s.last_id = StreamId::new(r.len()?, r.len()?);
    if with_metadata {
        let _first = StreamId::new(r.len()?, r.len()?);
        s.max_deleted_id = StreamId::new(r.len()?, r.len()?);
        s.entries_added = r.len()?;
    } else {
        s.entries_added = length;
    }
    if length != s.len() as u64 {
        return None;
    }
    let group_count = r.count()?;
    for _ in 0..group_count {
        let name = r.string()?;
        let last_id = StreamId::new(r.len()?, r.len()?);
        let entries_read =
            if with_metadata { Some(r.len()?).filter(|n| *n != u64::MAX) } else { estimate_entries_read(&s, last_id) };
        let mut group = Group::new(last_id, entries_read);
        let pel_count = r.count()?;
        for _ in 0..pel_count {
            let id = r.raw_id()?;
            let delivery_time = r.millis()?;
            let delivery_count = r.len()?;
            group.pel.insert(id, Pending { consumer: Vec::new(), delivery_time, delivery_count });
        }
        let consumer_count = r.count()?;
        for _ in 0..consumer_count {
            let cname = r.string()?;
            let seen_time = r.millis()?;
            let mut pel = BTreeSet::new();
            let n = r.count()?;
            for _ in 0..n {
                let id = r.raw_id()?;
                // Every consumer's entry must be in the group's PEL, owned by no one else yet.
                let p = group.pel.get_mut(&id).filter(|p| p.consumer.is_empty())?;
                p.consumer = cname.clone();
                pel.insert(id);
            }
            group.consumers.insert(cname, Consumer { seen_time, pel });
        }
        if group.pel.values().any(|p| p.consumer.is_empty()) {
            return None;
        }
        s.groups.insert(name, group);
    }
    Some(Value::Stream(Box::new(s)))
}

fn read_value(r: &mut Reader, kind: u8) -> Option<Value> {
    match kind {
        TYPE_STRING => Some(Value::Str(r.string()?)),
        TYPE_LIST => {
            let n = r.count()?;
            non_empty_list((0..n).map(|_| r.string()).collect::<Option<_>>()?)
        }
        TYPE_SET => {
            let n = r.count()?;
            let mut set: FxSet<Vec<u8>> = FxSet::default();
            for _ in 0..n {
                if !set.insert(r.string()?) {
                    return None;
                }
            }
            (!set.is_empty()).then_some(Value::Set(set))
        }
        TYPE_HASH => {
            let n = r.count()?;
            hash_from_pairs((0..n * 2).map(|_| r.string()).collect::<Option<_>>()?)
        }
        TYPE_ZSET_2 => {
            let n = r.count()?;
            let mut z = ZSet::new();
            for _ in 0..n {
                let m = r.string()?;
                let score = r.double()?;
                if score.is_nan() || !z.insert(&m, score) {
                    return None;
                }
            }
            (!z.is_empty()).then_some(Value::ZSet(z))
        }
        TYPE_SET_INTSET => {
            let values = listpack::decode_intset(&r.string()?)?;
            let set: FxSet<Vec<u8>> = values.iter().map(|v| v.to_string().into_bytes()).collect();
            (!set.is_empty() && set.len() == values.len()).then_some(Value::Set(set))
        }
        TYPE_LIST_ZIPLIST => non_empty_list(ziplist::decode(&r.string()?)?.into()),
        TYPE_ZSET_ZIPLIST => zset_from_pairs(ziplist::decode(&r.string()?)?),
        TYPE_HASH_ZIPLIST => hash_from_pairs(ziplist::decode(&r.string()?)?),
        TYPE_HASH_LISTPACK => hash_from_pairs(listpack::decode(&r.string()?)?),
        TYPE_ZSET_LISTPACK => zset_from_pairs(listpack::decode(&r.string()?)?),
        TYPE_LIST_QUICKLIST | TYPE_LIST_QUICKLIST_2 => {
            let nodes = r.count()?;
            let mut list = VecDeque::new();
            for _ in 0..nodes {
                let container = if kind == TYPE_LIST_QUICKLIST_2 { r.len()? } else { 2 };
                let blob = r.string()?;
                match (kind, container) {
                    (TYPE_LIST_QUICKLIST_2, 1) => list.push_back(blob), // a plain node: one element
                    (TYPE_LIST_QUICKLIST_2, 2) => list.extend(listpack::decode(&blob)?),
                    (TYPE_LIST_QUICKLIST, _) => list.extend(ziplist::decode(&blob)?),
                    _ => return None,
                }
            }
            non_empty_list(list)
        }
        TYPE_STREAM_LISTPACKS => read_stream(r, false),
        TYPE_STREAM_LISTPACKS_2 => read_stream(r, true),
        _ => None,
    }
}

/// Checks a payload's version and checksum, then reads the value it holds.
pub fn restore(payload: &[u8]) -> Result<Value, RestoreError> {
    if payload.len() < 10 {
        return Err(RestoreError::VersionOrChecksum);
    }
    let body = payload.len() - 10;
    let version = u16::from_le_bytes([payload[body], payload[body + 1]]);
    if version > RDB_VERSION {
        return Err(RestoreError::VersionOrChecksum);
    }
    let crc = u64::from_le_bytes(payload[body + 2..].try_into().map_err(|_| RestoreError::VersionOrChecksum)?);
    if crc64::crc64(0, &payload[..body + 2]) != crc {
        return Err(RestoreError::VersionOrChecksum);
    }
    let mut r = Reader { data: &payload[..body], at: 0 };
    let kind = r.byte().ok_or(RestoreError::BadFormat)?;
    let value = read_value(&mut r, kind).ok_or(RestoreError::BadFormat)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len() / 2).map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn a_string_dumps_as_redis_does() {
        assert_eq!(dump(&Value::Str(b"bar".to_vec())), hex("00036261720a00e6be4960ee66fd17"));
    }

    #[test]
    fn every_type_round_trips() {
        let mut h: FxMap<Vec<u8>, Vec<u8>> = FxMap::default();
        h.insert(b"f".to_vec(), b"v".to_vec());
        h.insert(b"n".to_vec(), b"12".to_vec());
        let mut big = h.clone();
        big.insert(b"long".to_vec(), vec![b'z'; 100]);
        let ints: FxSet<Vec<u8>> = ["1", "-7", "300000"].iter().map(|s| s.as_bytes().to_vec()).collect();
        let words: FxSet<Vec<u8>> = ["a", "b"].iter().map(|s| s.as_bytes().to_vec()).collect();
        let mut z = ZSet::new();
        z.insert(b"one", 1.0);
        z.insert(b"half", 0.5);
        z.insert(b"inf", f64::INFINITY);
        let list: VecDeque<Vec<u8>> = (0..3000).map(|i| format!("element number {i}").into_bytes()).collect();
        for value in [
            Value::Str(b"hello".to_vec()),
            Value::Str(b"-123".to_vec()),
            Value::Str(vec![b'a'; 300]),
            Value::List(list),
            Value::Hash(h),
            Value::Hash(big),
            Value::Set(ints),
            Value::Set(words),
            Value::ZSet(z),
        ] {
            let payload = dump(&value);
            assert_eq!(restore(&payload), Ok(value));
        }
    }

    #[test]
    fn damaged_payloads_are_refused() {
        let mut payload = dump(&Value::Str(b"bar".to_vec()));
        assert_eq!(restore(&payload[..5]), Err(RestoreError::VersionOrChecksum));
        payload[2] ^= 1;
        assert_eq!(restore(&payload), Err(RestoreError::VersionOrChecksum));
        // A well-checksummed payload of an unknown type.
        let mut odd = vec![200u8, 0];
        odd.extend_from_slice(&RDB_VERSION.to_le_bytes());
        let crc = crc64::crc64(0, &odd);
        odd.extend_from_slice(&crc.to_le_bytes());
        assert_eq!(restore(&odd), Err(RestoreError::BadFormat));
    }

    #[test]
    fn a_legacy_stream_with_groups_loads() {
        let payload = hex("0f011000000000000000010000000000000000c3404a405716570000002300020104010101846461746105000103010020010381610204200a0001400a0062600a0002400a0063600a4022018164200a4039200a0065600a0005400a0066200a00ff02060002026731050004000000000000000100000000000000003ef783437a01000001000000000000000200000000000000003ef783437a01000001000000000000000400000000000000003ef783437a01000001000000000000000500000000000000003ef783437a0100000101036331313ef783437a01000004000000000000000100000000000000000000000000000002000000000000000000000000000000040000000000000000000000000000000500000000000000000267320000000009003d52ef6867521dfa");
        let Ok(Value::Stream(s)) = restore(&payload) else { panic!("not a stream") };
        assert_eq!(s.len(), 2);
        assert_eq!(s.last_id, StreamId::new(6, 0));
        assert_eq!(s.groups[&b"g1".to_vec()].pel.len(), 4);
        assert_eq!(s.groups[&b"g1".to_vec()].entries_read, Some(1));
        assert_eq!(s.groups[&b"g2".to_vec()].entries_read, Some(0));
        // And it dumps in the 7.0 format and loads back the same.
        let again = dump(&Value::Stream(s.clone()));
        let Ok(Value::Stream(back)) = restore(&again) else { panic!("not a stream") };
        assert_eq!(back.entries, s.entries);
        assert_eq!(back.groups, s.groups);
    }

    #[test]
    fn damaged_payloads_never_panic() {
        // Every payload type, with bytes flipped, cut short and re-checksummed so the reader
        // (not the checksum) meets the damage.
        let mut z = ZSet::new();
        z.insert(b"m", 1.5);
        let legacy = hex("0f011000000000000000010000000000000000c3404a405716570000002300020104010101846461746105000103010020010381610204200a0001400a0062600a0002400a0063600a4022018164200a4039200a0065600a0005400a0066200a00ff02060002026731050004000000000000000100000000000000003ef783437a01000001000000000000000200000000000000003ef783437a01000001000000000000000400000000000000003ef783437a01000001000000000000000500000000000000003ef783437a0100000101036331313ef783437a01000004000000000000000100000000000000000000000000000002000000000000000000000000000000040000000000000000000000000000000500000000000000000267320000000009003d52ef6867521dfa");
        let samples = vec![
            dump(&Value::Str(vec![b'q'; 200])),
            dump(&Value::List((0..50).map(|i| i.to_string().into_bytes()).collect())),
            dump(&Value::ZSet(z)),
            legacy,
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for sample in samples {
            let body = sample.len() - 10;
            for _ in 0..3000 {
                let mut data = sample[..body].to_vec();
                for _ in 0..1 + next() % 4 {
                    let at = (next() % data.len() as u64) as usize;
                    data[at] = next() as u8;
                }
                if next() % 4 == 0 {
                    data.truncate((next() % data.len() as u64) as usize);
                }
                data.extend_from_slice(&RDB_VERSION.to_le_bytes());
                let crc = crc64::crc64(0, &data);
                data.extend_from_slice(&crc.to_le_bytes());
                let _ = restore(&data);
            }
        }
    }
}
