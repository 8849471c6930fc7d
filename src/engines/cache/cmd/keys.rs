//! Key commands: existence, type, renaming and copying, expiry, iteration, databases.
//!
//! Expiry deadlines are absolute lab milliseconds. `EXPIRE k 10` at 12:00:00.000 stores
//! 12:00:10.000; `TTL` rounds the remaining time to the nearest second, as Redis does.

use super::super::args::{self, int_arg, is, parse_i64, syntax, NO_SUCH_KEY};
use super::super::glob;
use super::super::keyspace::{Entry, Value};
use super::super::rdb;
use super::super::{Cache, Call, CmdResult, Reply, DATABASES};

pub fn del(s: &mut Cache, c: &Call) -> CmdResult {
    let mut n = 0;
    for key in c.args_from(1) {
        let db = s.db(c);
        if db.contains(key, c.now) {
            db.remove(key);
            n += 1;
        }
    }
    Ok(Reply::Integer(n))
}

pub fn exists(s: &mut Cache, c: &Call) -> CmdResult {
    let mut n = 0;
    for key in c.args_from(1) {
        if s.db(c).contains(key, c.now) {
            n += 1;
        }
    }
    Ok(Reply::Integer(n))
}

pub fn touch(s: &mut Cache, c: &Call) -> CmdResult {
    let mut n = 0;
    for key in c.args_from(1) {
        if s.db(c).value(key, c.now).is_some() {
            n += 1;
        }
    }
    Ok(Reply::Integer(n))
}

pub fn type_(s: &mut Cache, c: &Call) -> CmdResult {
    let name = s.db(c).get(c.arg(1), c.now).map(|e| e.value.type_name()).unwrap_or("none");
    Ok(Reply::Status(name.to_string()))
}

fn rename_generic(s: &mut Cache, c: &Call, nx: bool) -> CmdResult {
    let (from, to) = (c.arg(1), c.arg(2));
    let db = s.db(c);
    if !db.contains(from, c.now) {
        return Err(Reply::err(NO_SUCH_KEY));
    }
    if from == to {
        return Ok(if nx { Reply::Integer(0) } else { Reply::ok() });
    }
    if nx && db.contains(to, c.now) {
        return Ok(Reply::Integer(0));
    }
    if let Some(entry) = db.remove(from) {
        db.insert_entry(to, entry);
    }
    s.touch_watched(c.db, from);
    Ok(if nx { Reply::Integer(1) } else { Reply::ok() })
}

pub fn rename(s: &mut Cache, c: &Call) -> CmdResult {
    rename_generic(s, c, false)
}

pub fn renamenx(s: &mut Cache, c: &Call) -> CmdResult {
    rename_generic(s, c, true)
}

fn db_index(arg: &[u8]) -> Result<usize, Reply> {
    let n = int_arg(arg)?;
    if n < 0 || n >= DATABASES as i64 {
        return Err(Reply::err("ERR DB index is out of range"));
    }
    Ok(n as usize)
}

pub fn copy(s: &mut Cache, c: &Call) -> CmdResult {
    let (from, to) = (c.arg(1), c.arg(2));
    let mut target = c.db;
    let mut replace = false;
    let mut i = 3;
    while i < c.argc() {
        if is(c.arg(i), "replace") {
            replace = true;
        } else if is(c.arg(i), "db") && i + 1 < c.argc() {
            target = db_index(c.arg(i + 1))?;
            i += 1;
        } else {
            return Err(syntax());
        }
        i += 1;
    }
    if from == to && target == c.db {
        return Err(Reply::err("ERR source and destination objects are the same"));
    }
    let Some(entry) = s.db(c).get(from, c.now).cloned() else {
        return Ok(Reply::Integer(0));
    };
    let dest = &mut s.dbs[target];
    if dest.contains(to, c.now) {
        if !replace {
            return Ok(Reply::Integer(0));
        }
        dest.remove(to);
    }
    dest.insert_entry(to, entry);
    s.touch_watched(target, to);
    Ok(Reply::Integer(1))
}

pub fn move_(s: &mut Cache, c: &Call) -> CmdResult {
    let key = c.arg(1);
    let target = int_arg(c.arg(2))?;
    if target < 0 || target >= DATABASES as i64 {
        return Err(Reply::err("ERR DB index is out of range"));
    }
    let target = target as usize;
    if target == c.db {
        return Err(Reply::err("ERR source and destination objects are the same"));
    }
    if !s.db(c).contains(key, c.now) || s.dbs[target].contains(key, c.now) {
        return Ok(Reply::Integer(0));
    }
    if let Some(entry) = s.db(c).remove(key) {
        s.dbs[target].insert_entry(key, entry);
    }
    s.touch_watched(target, key);
    Ok(Reply::Integer(1))
}

pub fn keys(s: &mut Cache, c: &Call) -> CmdResult {
    let pattern = c.arg(1);
    let mut out: Vec<Vec<u8>> = s.db(c).live_keys(c.now).into_iter().filter(|k| glob::matches(pattern, k)).collect();
    out.sort();
    Ok(Reply::bulks(out))
}

/// One page of a SCAN-family iteration: the cursor is a position in the collection's
/// iteration order (deterministic with our hasher); returns the next cursor (0 when done) and
/// the page.
///
/// Redis's cursor (a reverse-binary walk over hash buckets) also guarantees that an element
/// present during the whole iteration is returned even if the table is resized meanwhile. This
/// simpler cursor keeps that guarantee only while the collection is not modified between
/// calls, which is how SCAN is used in the lessons; it is O(cursor + count) per call.
pub(crate) fn scan_page<'a, T>(
    items: impl Iterator<Item = (&'a [u8], T)>,
    cursor: u64,
    count: usize,
) -> (u64, Vec<(&'a [u8], T)>) {
    let count = count.max(1);
    let mut iter = items.skip(cursor as usize);
    let page: Vec<(&'a [u8], T)> = iter.by_ref().take(count).collect();
    let next = if page.len() == count && iter.next().is_some() { cursor + count as u64 } else { 0 };
    (next, page)
}

/// Options shared by SCAN, SSCAN, HSCAN, ZSCAN: `MATCH pattern`, `COUNT n`, and for SCAN `TYPE t`.
pub(crate) struct ScanOpts {
    pub cursor: u64,
    pub pattern: Option<Vec<u8>>,
    pub count: usize,
    pub type_name: Option<String>,
}

pub(crate) fn scan_opts(c: &Call, cursor_at: usize, allow_type: bool) -> Result<ScanOpts, Reply> {
    let cursor = std::str::from_utf8(c.arg(cursor_at))
        .ok()
        .and_then(|t| t.parse::<u64>().ok())
        .ok_or_else(|| Reply::err("ERR invalid cursor"))?;
    let mut opts = ScanOpts { cursor, pattern: None, count: 10, type_name: None };
    let mut i = cursor_at + 1;
    while i < c.argc() {
        let has_next = i + 1 < c.argc();
        if is(c.arg(i), "count") && has_next {
            let n = int_arg(c.arg(i + 1))?;
            if n < 1 {
                return Err(syntax());
            }
            opts.count = n.min(1_000_000) as usize;
        } else if is(c.arg(i), "match") && has_next {
            opts.pattern = Some(c.arg(i + 1).to_vec());
        } else if allow_type && is(c.arg(i), "type") && has_next {
            opts.type_name = Some(args::text(c.arg(i + 1)).to_ascii_lowercase());
        } else {
            return Err(syntax());
        }
        i += 2;
    }
    Ok(opts)
}

pub fn scan(s: &mut Cache, c: &Call) -> CmdResult {
    let opts = scan_opts(c, 1, true)?;
    let keys = s.db(c).live_keys(c.now);
    let (next, page) = scan_page(keys.iter().map(|k| (k.as_slice(), ())), opts.cursor, opts.count);
    let mut out = Vec::new();
    for (k, _) in page {
        if opts.pattern.as_ref().is_some_and(|p| !glob::matches(p, k)) {
            continue;
        }
        if let Some(t) = &opts.type_name {
            let name = s.dbs[c.db].get(k, c.now).map(|e| e.value.type_name());
            if name != Some(t.as_str()) {
                continue;
            }
        }
        out.push(Reply::bulk(k));
    }
    Ok(Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(out)]))
}

pub fn randomkey(s: &mut Cache, c: &Call) -> CmdResult {
    let keys = s.db(c).live_keys(c.now);
    if keys.is_empty() {
        return Ok(Reply::Nil);
    }
    let i = s.rng().range(0, keys.len() as u64 - 1) as usize;
    Ok(Reply::from_opt(keys.get(i).map(|k| k.as_slice())))
}

pub fn dbsize(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::Integer(s.db(c).live_keys(c.now).len() as i64))
}

fn flush_mode(c: &Call) -> Result<(), Reply> {
    match c.argc() {
        1 => Ok(()),
        2 if is(c.arg(1), "async") || is(c.arg(1), "sync") => Ok(()),
        _ => Err(syntax()),
    }
}

pub fn flushdb(s: &mut Cache, c: &Call) -> CmdResult {
    flush_mode(c)?;
    s.db(c).clear();
    s.touch_all_watched(Some(c.db));
    Ok(Reply::ok())
}

pub fn flushall(s: &mut Cache, c: &Call) -> CmdResult {
    flush_mode(c)?;
    for db in &mut s.dbs {
        db.clear();
    }
    s.touch_all_watched(None);
    Ok(Reply::ok())
}

pub fn select(s: &mut Cache, c: &Call) -> CmdResult {
    let n = db_index(c.arg(1))?;
    if s.cluster.is_some() && n != 0 {
        return Err(Reply::err("ERR SELECT is not allowed in cluster mode"));
    }
    if let Some(client) = s.clients.get_mut(&c.client) {
        client.db = n;
    }
    Ok(Reply::ok())
}

pub fn swapdb(s: &mut Cache, c: &Call) -> CmdResult {
    let a = parse_i64(c.arg(1)).ok_or_else(|| Reply::err("ERR invalid first DB index"))?;
    let b = parse_i64(c.arg(2)).ok_or_else(|| Reply::err("ERR invalid second DB index"))?;
    if !(0..DATABASES as i64).contains(&a) || !(0..DATABASES as i64).contains(&b) {
        return Err(Reply::err("ERR DB index is out of range"));
    }
    s.dbs.swap(a as usize, b as usize);
    s.touch_all_watched(Some(a as usize));
    s.touch_all_watched(Some(b as usize));
    Ok(Reply::ok())
}

/// EXPIRE and its three siblings: `unit_ms` is 1000 for seconds, `relative` adds `now`.
fn expire_generic(s: &mut Cache, c: &Call, unit_ms: i64, relative: bool) -> CmdResult {
    let (mut nx, mut xx, mut gt, mut lt) = (false, false, false, false);
    for opt in c.args_from(3) {
        if is(opt, "nx") {
            nx = true;
        } else if is(opt, "xx") {
            xx = true;
        } else if is(opt, "gt") {
            gt = true;
        } else if is(opt, "lt") {
            lt = true;
        } else {
            return Err(Reply::Error(format!("ERR Unsupported option {}", args::text(opt))));
        }
    }
    if nx && (xx || gt || lt) {
        return Err(Reply::err("ERR NX and XX, GT or LT options at the same time are not compatible"));
    }
    if gt && lt {
        return Err(Reply::err("ERR GT and LT options at the same time are not compatible"));
    }
    let when = int_arg(c.arg(2))?;
    let invalid = || Reply::Error(format!("ERR invalid expire time in '{}' command", c.name()));
    let mut when = when.checked_mul(unit_ms).ok_or_else(invalid)?;
    if relative {
        when = when.checked_add(c.now).ok_or_else(invalid)?;
    }
    let key = c.arg(1);
    let db = s.db(c);
    let Some(entry) = db.get(key, c.now) else {
        return Ok(Reply::Integer(0));
    };
    let current = entry.expires_at;
    if (nx && current.is_some()) || (xx && current.is_none()) {
        return Ok(Reply::Integer(0));
    }
    if gt && current.is_none_or(|cur| when <= cur) {
        return Ok(Reply::Integer(0));
    }
    if lt && current.is_some_and(|cur| when >= cur) {
        return Ok(Reply::Integer(0));
    }
    if when <= c.now {
        db.remove(key);
    } else {
        db.set_expiry(key, Some(when));
    }
    Ok(Reply::Integer(1))
}

pub fn expire(s: &mut Cache, c: &Call) -> CmdResult {
    expire_generic(s, c, 1000, true)
}
pub fn pexpire(s: &mut Cache, c: &Call) -> CmdResult {
    expire_generic(s, c, 1, true)
}
pub fn expireat(s: &mut Cache, c: &Call) -> CmdResult {
    expire_generic(s, c, 1000, false)
}
pub fn pexpireat(s: &mut Cache, c: &Call) -> CmdResult {
    expire_generic(s, c, 1, false)
}

/// -2 for a missing key, -1 for a key without deadline, else `f(deadline)`.
fn ttl_generic(s: &mut Cache, c: &Call, f: impl Fn(i64) -> i64) -> CmdResult {
    Ok(Reply::Integer(match s.db(c).get(c.arg(1), c.now) {
        None => -2,
        Some(Entry { expires_at: None, .. }) => -1,
        Some(Entry { expires_at: Some(at), .. }) => f(*at),
    }))
}

pub fn ttl(s: &mut Cache, c: &Call) -> CmdResult {
    let now = c.now;
    ttl_generic(s, c, |at| (at.saturating_sub(now).max(0).saturating_add(500)) / 1000)
}
pub fn pttl(s: &mut Cache, c: &Call) -> CmdResult {
    let now = c.now;
    ttl_generic(s, c, |at| at.saturating_sub(now).max(0))
}
pub fn expiretime(s: &mut Cache, c: &Call) -> CmdResult {
    ttl_generic(s, c, |at| at / 1000)
}
pub fn pexpiretime(s: &mut Cache, c: &Call) -> CmdResult {
    ttl_generic(s, c, |at| at)
}

pub fn persist(s: &mut Cache, c: &Call) -> CmdResult {
    let db = s.db(c);
    match db.get(c.arg(1), c.now) {
        Some(Entry { expires_at: Some(_), .. }) => {
            db.set_expiry(c.arg(1), None);
            Ok(Reply::Integer(1))
        }
        _ => Ok(Reply::Integer(0)),
    }
}

/// The encoding Redis 7.0 would pick for a value with default thresholds.
pub fn encoding(value: &Value) -> &'static str {
    let small = |items: &mut dyn Iterator<Item = usize>, max: usize| {
        let mut n = 0;
        for len in items {
            n += 1;
            if len > 64 || n > max {
                return false;
            }
        }
        true
    };
    match value {
        Value::Str(v) if v.len() <= 20 && parse_i64(v).is_some() => "int",
        Value::Str(v) if v.len() <= 44 => "embstr",
        Value::Str(_) => "raw",
        // Redis 7.0 keeps every list in a quicklist (a small-list listpack came in 7.2).
        Value::List(_) => "quicklist",
        Value::Hash(h) if small(&mut h.iter().map(|(k, v)| k.len().max(v.len())), 128) => "listpack",
        Value::Hash(_) => "hashtable",
        Value::Set(m) if m.len() <= 512 && m.iter().all(|e| parse_i64(e).is_some()) => "intset",
        Value::Set(_) => "hashtable",
        Value::ZSet(z) if small(&mut z.iter().map(|(m, _)| m.len()), 128) => "listpack",
        Value::ZSet(_) => "skiplist",
        Value::Stream(_) => "stream",
    }
}

pub fn object(s: &mut Cache, c: &Call) -> CmdResult {
    let sub = args::text(c.arg(1)).to_ascii_lowercase();
    if sub == "help" {
        return Ok(Reply::statuses(&[
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
            "HELP",
            "    Print this help.",
        ]));
    }
    if !matches!(sub.as_str(), "encoding" | "freq" | "idletime" | "refcount") {
        return Err(Reply::Error(format!("ERR unknown subcommand '{}'. Try OBJECT HELP.", args::text(c.arg(1)))));
    }
    if c.argc() != 3 {
        return Err(args::wrong_args(&format!("object|{sub}")));
    }
    // Redis tracks either recency (LRU, for IDLETIME) or frequency (LFU, for FREQ) in one
    // field, chosen by maxmemory-policy, and refuses the question it cannot answer. A missing
    // key is nil before that.
    let lfu = s.config.maxmemory_policy.is_lfu();
    let Some(entry) = s.db(c).get(c.arg(2), c.now) else {
        return Ok(Reply::Nil);
    };
    Ok(match sub.as_str() {
        "encoding" => Reply::bulk(encoding(&entry.value)),
        "freq" if !lfu => return Err(Reply::err(
            "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
        )),
        "freq" => Reply::Integer(entry.hits.min(255) as i64),
        "idletime" if lfu => return Err(Reply::err(
            "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
        )),
        "idletime" => Reply::Integer((c.now - entry.last_access).max(0) / 1000),
        _ => Reply::Integer(1),
    })
}

/// DUMP: the value in Redis's RDB serialisation (see `rdb`), which RESTORE reads back here or
/// on a real Redis 7.0.
pub fn dump(s: &mut Cache, c: &Call) -> CmdResult {
    let Some(entry) = s.db(c).get(c.arg(1), c.now) else {
        return Ok(Reply::Nil);
    };
    Ok(Reply::Bulk(rdb::dump(&entry.value)))
}

/// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ n], checked in Redis's order:
/// options, an existing key (BUSYKEY), the TTL, the payload's version and checksum, its data.
pub fn restore(s: &mut Cache, c: &Call) -> CmdResult {
    let key = c.arg(1);
    let (mut replace, mut absttl) = (false, false);
    let (mut idle, mut freq): (Option<i64>, Option<i64>) = (None, None);
    let mut i = 4;
    while i < c.argc() {
        let more = i + 1 < c.argc();
        if is(c.arg(i), "replace") {
            replace = true;
        } else if is(c.arg(i), "absttl") {
            absttl = true;
        } else if is(c.arg(i), "idletime") && more && freq.is_none() {
            let v = int_arg(c.arg(i + 1))?;
            if v < 0 {
                return Err(Reply::err("ERR Invalid IDLETIME value, must be >= 0"));
            }
            idle = Some(v);
            i += 1;
        } else if is(c.arg(i), "freq") && more && idle.is_none() {
            let v = int_arg(c.arg(i + 1))?;
            if !(0..=255).contains(&v) {
                return Err(Reply::err("ERR Invalid FREQ value, must be >= 0 and <= 255"));
            }
            freq = Some(v);
            i += 1;
        } else {
            return Err(syntax());
        }
        i += 1;
    }
    if !replace && s.db(c).contains(key, c.now) {
        return Err(Reply::err("BUSYKEY Target key name already exists."));
    }
    let ttl = int_arg(c.arg(2))?;
    if ttl < 0 {
        return Err(Reply::err("ERR Invalid TTL value, must be >= 0"));
    }
    let value = match rdb::restore(c.arg(3)) {
        Ok(v) => v,
        Err(rdb::RestoreError::VersionOrChecksum) => {
            return Err(Reply::err("ERR DUMP payload version or checksum are wrong"))
        }
        Err(rdb::RestoreError::BadFormat) => return Err(Reply::err("ERR Bad data format")),
    };
    let db = s.db(c);
    if replace {
        db.remove(key);
    }
    let at = match ttl {
        0 => None,
        _ if absttl => Some(ttl),
        _ => Some(c.now.saturating_add(ttl)),
    };
    if at.is_some_and(|t| t <= c.now) {
        return Ok(Reply::ok());
    }
    db.set(key, value, c.now);
    db.set_expiry(key, at);
    if let Some(entry) = db.get_mut(key, c.now) {
        if let Some(seconds) = idle {
            entry.last_access = c.now.saturating_sub(seconds.saturating_mul(1000));
        }
        if let Some(f) = freq {
            entry.hits = f as u32;
        }
    }
    Ok(Reply::ok())
}

/// SORT for lists, sets and sorted sets: numeric or ALPHA, ASC/DESC, LIMIT, STORE
/// (BY and GET patterns other than `nosort` are not supported).
pub fn sort(s: &mut Cache, c: &Call) -> CmdResult {
    let (mut desc, mut alpha, mut limit, mut store, mut nosort) = (false, false, None, None, false);
    let mut i = 2;
    while i < c.argc() {
        let opt = c.arg(i);
        if is(opt, "asc") {
            desc = false;
        } else if is(opt, "desc") {
            desc = true;
        } else if is(opt, "alpha") {
            alpha = true;
        } else if is(opt, "limit") && i + 2 < c.argc() {
            limit = Some((int_arg(c.arg(i + 1))?, int_arg(c.arg(i + 2))?));
            i += 2;
        } else if is(opt, "store") && i + 1 < c.argc() && c.name() == "sort" {
            store = Some(c.arg(i + 1).to_vec());
            i += 1;
        } else if is(opt, "by") && i + 1 < c.argc() {
            if !c.arg(i + 1).contains(&b'*') {
                nosort = true;
            } else {
                return Err(Reply::err("ERR BY patterns are not supported by this lab"));
            }
            i += 1;
        } else {
            return Err(syntax());
        }
        i += 1;
    }
    let mut items: Vec<Vec<u8>> = match s.lookup(c, c.arg(1)) {
        None => Vec::new(),
        Some(Value::List(l)) => l.iter().cloned().collect(),
        Some(Value::Set(m)) => m.iter().cloned().collect(),
        Some(Value::ZSet(z)) => z.iter().map(|(m, _)| m.to_vec()).collect(),
        Some(_) => return Err(args::wrongtype()),
    };
    if !nosort {
        if alpha {
            items.sort();
        } else {
            let mut keyed = Vec::with_capacity(items.len());
            for item in items {
                let n = args::parse_f64(&item)
                    .ok_or_else(|| Reply::err("ERR One or more scores can't be converted into double"))?;
                keyed.push((n, item));
            }
            keyed
                .sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.1.cmp(&b.1)));
            items = keyed.into_iter().map(|(_, v)| v).collect();
        }
        if desc {
            items.reverse();
        }
    }
    if let Some((offset, count)) = limit {
        let start = offset.max(0) as usize;
        let count = if count < 0 { items.len() } else { count as usize };
        items = items.into_iter().skip(start).take(count).collect();
    }
    if let Some(dest) = store {
        let n = items.len();
        let db = s.db(c);
        db.remove(&dest);
        if n > 0 {
            db.set(&dest, Value::List(items.into_iter().collect()), c.now);
        }
        return Ok(Reply::Integer(n as i64));
    }
    Ok(Reply::bulks(items))
}
