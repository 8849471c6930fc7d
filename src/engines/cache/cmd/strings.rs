//! Strings: GET/SET and friends, counters, ranges, bits and LCS.
//!
//! A string value is a byte array. Counters are strings too: `INCR` parses the bytes as a
//! 64-bit integer, adds, and stores the decimal text back — so `SET n 10` then `INCR n` works,
//! and `INCR` on `"abc"` fails with `ERR value is not an integer or out of range`.

use super::super::args::{self, int_arg, is, parse_f64, parse_i64, syntax, wrongtype};
use super::super::keyspace::Value;
use super::super::reply::format_human_float;
use super::super::{Cache, Call, CmdResult, Reply};

/// Strings may not grow beyond 512 MB (proto-max-bulk-len).
const MAX_STRING: i64 = 512 * 1024 * 1024;

/// The lab's own quota for one string (a browser tab has far less memory than a server):
/// growing a string past it fails like a server out of memory.
const LAB_MAX_STRING: usize = 64 * 1024 * 1024;

fn within_lab_quota(new_len: usize) -> Result<(), Reply> {
    if new_len > LAB_MAX_STRING {
        return Err(Reply::err(args::OOM));
    }
    Ok(())
}

pub fn get(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(match s.get_str(c, c.arg(1))? {
        Some(v) => Reply::Bulk(v.clone()),
        None => Reply::Nil,
    })
}

/// An expiry option as SET and GETEX take it, resolved to an absolute deadline in ms.
enum Ttl {
    Keep,
    Persist,
    At(i64),
}

/// Turns `EX n`/`PX n`/`EXAT n`/`PXAT n` into a deadline, or the "invalid expire time" error.
fn deadline(c: &Call, unit: &[u8], value: &[u8], command: &str) -> Result<i64, Reply> {
    let n = int_arg(value)?;
    let invalid = || Reply::Error(format!("ERR invalid expire time in '{command}' command"));
    if n <= 0 {
        return Err(invalid());
    }
    let at = if is(unit, "ex") {
        n.checked_mul(1000).and_then(|ms| ms.checked_add(c.now))
    } else if is(unit, "px") {
        n.checked_add(c.now)
    } else if is(unit, "exat") {
        n.checked_mul(1000)
    } else {
        Some(n)
    };
    at.ok_or_else(invalid)
}

pub fn set(s: &mut Cache, c: &Call) -> CmdResult {
    let key = c.arg(1);
    let value = c.arg(2);
    let (mut nx, mut xx, mut get_old) = (false, false, false);
    let mut ttl: Option<Ttl> = None;
    let mut i = 3;
    while i < c.argc() {
        let opt = c.arg(i);
        let has_next = i + 1 < c.argc();
        if is(opt, "nx") && !xx {
            nx = true;
        } else if is(opt, "xx") && !nx {
            xx = true;
        } else if is(opt, "get") {
            get_old = true;
        } else if is(opt, "keepttl") && ttl.is_none() {
            ttl = Some(Ttl::Keep);
        } else if (is(opt, "ex") || is(opt, "px") || is(opt, "exat") || is(opt, "pxat")) && ttl.is_none() && has_next {
            ttl = Some(Ttl::At(deadline(c, opt, c.arg(i + 1), "set")?));
            i += 1;
        } else {
            return Err(syntax());
        }
        i += 1;
    }
    let old = if get_old {
        match s.get_str(c, key)? {
            Some(v) => Reply::Bulk(v.clone()),
            None => Reply::Nil,
        }
    } else {
        Reply::Nil
    };
    let exists = s.db(c).contains(key, c.now);
    if (nx && exists) || (xx && !exists) {
        return Ok(if get_old { old } else { Reply::Nil });
    }
    write_string(s, c, key, value.to_vec(), ttl);
    Ok(if get_old { old } else { Reply::ok() })
}

fn write_string(s: &mut Cache, c: &Call, key: &[u8], value: Vec<u8>, ttl: Option<Ttl>) {
    let db = s.db(c);
    match ttl {
        Some(Ttl::Keep) => db.set_keep_ttl(key, Value::Str(value), c.now),
        Some(Ttl::At(at)) => {
            db.set(key, Value::Str(value), c.now);
            db.set_expiry(key, Some(at));
        }
        Some(Ttl::Persist) | None => db.set(key, Value::Str(value), c.now),
    }
}

pub fn setnx(s: &mut Cache, c: &Call) -> CmdResult {
    if s.db(c).contains(c.arg(1), c.now) {
        return Ok(Reply::Integer(0));
    }
    write_string(s, c, c.arg(1), c.arg(2).to_vec(), None);
    Ok(Reply::Integer(1))
}

fn set_with_expiry(s: &mut Cache, c: &Call, unit: &str) -> CmdResult {
    let at = deadline(c, unit.as_bytes(), c.arg(2), &c.name())?;
    write_string(s, c, c.arg(1), c.arg(3).to_vec(), Some(Ttl::At(at)));
    Ok(Reply::ok())
}

pub fn setex(s: &mut Cache, c: &Call) -> CmdResult {
    set_with_expiry(s, c, "ex")
}

pub fn psetex(s: &mut Cache, c: &Call) -> CmdResult {
    set_with_expiry(s, c, "px")
}

pub fn getset(s: &mut Cache, c: &Call) -> CmdResult {
    let old = get(s, c)?;
    write_string(s, c, c.arg(1), c.arg(2).to_vec(), None);
    Ok(old)
}

pub fn getdel(s: &mut Cache, c: &Call) -> CmdResult {
    let old = get(s, c)?;
    if old != Reply::Nil {
        s.db(c).remove(c.arg(1));
    }
    Ok(old)
}

pub fn getex(s: &mut Cache, c: &Call) -> CmdResult {
    let mut ttl = None;
    let mut i = 2;
    while i < c.argc() {
        let opt = c.arg(i);
        if (is(opt, "ex") || is(opt, "px") || is(opt, "exat") || is(opt, "pxat")) && ttl.is_none() && i + 1 < c.argc() {
            ttl = Some(Ttl::At(deadline(c, opt, c.arg(i + 1), "getex")?));
            i += 2;
        } else if is(opt, "persist") && ttl.is_none() {
            ttl = Some(Ttl::Persist);
            i += 1;
        } else {
            return Err(syntax());
        }
    }
    let value = get(s, c)?;
    if value == Reply::Nil {
        return Ok(value);
    }
    let db = s.db(c);
    match ttl {
        Some(Ttl::At(at)) if at <= c.now => {
            db.remove(c.arg(1));
        }
        Some(Ttl::At(at)) => {
            db.set_expiry(c.arg(1), Some(at));
        }
        Some(Ttl::Persist) => {
            db.set_expiry(c.arg(1), None);
        }
        _ => {}
    }
    Ok(value)
}

pub fn mget(s: &mut Cache, c: &Call) -> CmdResult {
    let mut out = Vec::with_capacity(c.argc() - 1);
    for key in c.args_from(1) {
        out.push(match s.lookup(c, key) {
            Some(Value::Str(v)) => Reply::Bulk(v.clone()),
            _ => Reply::Nil,
        });
    }
    Ok(Reply::Array(out))
}

pub fn mset(s: &mut Cache, c: &Call) -> CmdResult {
    if c.argc().is_multiple_of(2) {
        return Err(args::wrong_args(&c.name()));
    }
    for pair in c.args_from(1).chunks(2) {
        if let [k, v] = pair {
            write_string(s, c, k, v.clone(), None);
        }
    }
    Ok(Reply::ok())
}

pub fn msetnx(s: &mut Cache, c: &Call) -> CmdResult {
    if c.argc().is_multiple_of(2) {
        return Err(args::wrong_args(&c.name()));
    }
    for pair in c.args_from(1).chunks(2) {
        if s.db(c).contains(&pair[0], c.now) {
            return Ok(Reply::Integer(0));
        }
    }
    mset(s, c)?;
    Ok(Reply::Integer(1))
}

/// Adds `by` to the integer stored at the key (created as 0).
fn incr_by(s: &mut Cache, c: &Call, by: i64) -> CmdResult {
    let key = c.arg(1);
    let current = match s.get_str(c, key)? {
        Some(v) => parse_i64(v).ok_or_else(args::not_integer)?,
        None => 0,
    };
    let next = current.checked_add(by).ok_or_else(|| Reply::err("ERR increment or decrement would overflow"))?;
    s.db(c).set_keep_ttl(key, Value::Str(next.to_string().into_bytes()), c.now);
    Ok(Reply::Integer(next))
}

pub fn incr(s: &mut Cache, c: &Call) -> CmdResult {
    incr_by(s, c, 1)
}

pub fn decr(s: &mut Cache, c: &Call) -> CmdResult {
    incr_by(s, c, -1)
}

pub fn incrby(s: &mut Cache, c: &Call) -> CmdResult {
    let by = int_arg(c.arg(2))?;
    incr_by(s, c, by)
}

pub fn decrby(s: &mut Cache, c: &Call) -> CmdResult {
    let by = int_arg(c.arg(2))?;
    if by == i64::MIN {
        return Err(Reply::err("ERR decrement would overflow"));
    }
    incr_by(s, c, -by)
}

pub fn incrbyfloat(s: &mut Cache, c: &Call) -> CmdResult {
    let key = c.arg(1);
    let not_float = || Reply::err(args::NOT_FLOAT);
    let current = match s.get_str(c, key)? {
        Some(v) => parse_f64(v).ok_or_else(not_float)?,
        None => 0.0,
    };
    let by = parse_f64(c.arg(2)).ok_or_else(not_float)?;
    let next = current + by;
    if !next.is_finite() {
        return Err(Reply::err("ERR increment would produce NaN or Infinity"));
    }
    let text = format_human_float(next).into_bytes();
    s.db(c).set_keep_ttl(key, Value::Str(text.clone()), c.now);
    Ok(Reply::Bulk(text))
}

pub fn append(s: &mut Cache, c: &Call) -> CmdResult {
    let value = s.str_or_new(c, c.arg(1))?;
    if value.len() + c.arg(2).len() > MAX_STRING as usize {
        return Err(Reply::err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
    }
    within_lab_quota(value.len() + c.arg(2).len())?;
    value.extend_from_slice(c.arg(2));
    Ok(Reply::Integer(value.len() as i64))
}

pub fn strlen(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::Integer(s.get_str(c, c.arg(1))?.map(|v| v.len()).unwrap_or(0) as i64))
}

pub fn setrange(s: &mut Cache, c: &Call) -> CmdResult {
    let offset = int_arg(c.arg(2))?;
    let patch = c.arg(3);
    if offset < 0 {
        return Err(Reply::err("ERR offset is out of range"));
    }
    let exists = s.get_str(c, c.arg(1))?.map(|v| v.len());
    if patch.is_empty() {
        return Ok(Reply::Integer(exists.unwrap_or(0) as i64));
    }
    if offset.saturating_add(patch.len() as i64) > MAX_STRING {
        return Err(Reply::err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
    }
    let end = offset as usize + patch.len();
    within_lab_quota(end)?;
    let value = s.str_or_new(c, c.arg(1))?;
    if value.len() < end {
        value.resize(end, 0);
    }
    value[offset as usize..end].copy_from_slice(patch);
    Ok(Reply::Integer(value.len() as i64))
}

pub fn getrange(s: &mut Cache, c: &Call) -> CmdResult {
    let start = int_arg(c.arg(2))?;
    let end = int_arg(c.arg(3))?;
    let Some(value) = s.get_str(c, c.arg(1))? else {
        return Ok(Reply::Bulk(Vec::new()));
    };
    let len = value.len() as i64;
    if start < 0 && end < 0 && start > end {
        return Ok(Reply::Bulk(Vec::new()));
    }
    let mut start = if start < 0 { len + start } else { start };
    let mut end = if end < 0 { len + end } else { end };
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return Ok(Reply::Bulk(Vec::new()));
    }
    Ok(Reply::Bulk(value[start as usize..=end as usize].to_vec()))
}

fn bit_offset(arg: &[u8]) -> Result<usize, Reply> {
    match parse_i64(arg) {
        Some(n) if (0..MAX_STRING * 8).contains(&n) => Ok(n as usize),
        _ => Err(Reply::err("ERR bit offset is not an integer or out of range")),
    }
}

pub fn setbit(s: &mut Cache, c: &Call) -> CmdResult {
    let offset = bit_offset(c.arg(2))?;
    let on = match c.arg(3) {
        b"1" => true,
        b"0" => false,
        _ => return Err(Reply::err("ERR bit is not an integer or out of range")),
    };
    let byte = offset / 8;
    within_lab_quota(byte + 1)?;
    let value = s.str_or_new(c, c.arg(1))?;
    if value.len() <= byte {
        value.resize(byte + 1, 0);
    }
    let mask = 1u8 << (7 - (offset % 8));
    let old = value[byte] & mask != 0;
    if on {
        value[byte] |= mask;
    } else {
        value[byte] &= !mask;
    }
    Ok(Reply::Integer(old as i64))
}

pub fn getbit(s: &mut Cache, c: &Call) -> CmdResult {
    let offset = bit_offset(c.arg(2))?;
    let bit = match s.get_str(c, c.arg(1))? {
        Some(v) => v.get(offset / 8).map(|b| b & (1u8 << (7 - (offset % 8))) != 0).unwrap_or(false),
        None => false,
    };
    Ok(Reply::Integer(bit as i64))
}

pub fn bitcount(s: &mut Cache, c: &Call) -> CmdResult {
    let range = match c.argc() {
        2 => None,
        4 | 5 => {
            let start = int_arg(c.arg(2))?;
            let end = int_arg(c.arg(3))?;
            let bits = if c.argc() == 5 {
                if is(c.arg(4), "bit") {
                    true
                } else if is(c.arg(4), "byte") {
                    false
                } else {
                    return Err(syntax());
                }
            } else {
                false
            };
            Some((start, end, bits))
        }
        _ => return Err(syntax()),
    };
    let Some(value) = s.get_str(c, c.arg(1))? else {
        return Ok(Reply::Integer(0));
    };
    let count = match range {
        None => value.iter().map(|b| b.count_ones() as i64).sum(),
        Some((start, end, bits)) => {
            let total = if bits { value.len() * 8 } else { value.len() };
            match super::index_range(start, end, total) {
                None => 0,
                Some((a, b)) if bits => (a..=b)
                    .filter(|&i| value.get(i / 8).is_some_and(|byte| byte & (1u8 << (7 - i % 8)) != 0))
                    .count() as i64,
                Some((a, b)) => value[a..=b].iter().map(|b| b.count_ones() as i64).sum(),
            }
        }
    };
    Ok(Reply::Integer(count))
}

/// LCS: the longest common subsequence of two strings, by dynamic programming (as Redis does,
/// including the order in which IDX reports the matching ranges: from the end backwards).
pub fn lcs(s: &mut Cache, c: &Call) -> CmdResult {
    let (mut len_only, mut idx, mut with_len, mut min_len) = (false, false, false, 0i64);
    let mut i = 3;
    while i < c.argc() {
        let opt = c.arg(i);
        if is(opt, "idx") {
            idx = true;
        } else if is(opt, "len") {
            len_only = true;
        } else if is(opt, "withmatchlen") {
            with_len = true;
        } else if is(opt, "minmatchlen") && i + 1 < c.argc() {
            min_len = int_arg(c.arg(i + 1))?.max(0);
            i += 1;
        } else {
            return Err(syntax());
        }
        i += 1;
    }
    let mut fetch = |key: &[u8]| -> Result<Vec<u8>, Reply> {
        match s.lookup(c, key) {
            None => Ok(Vec::new()),
            Some(Value::Str(v)) => Ok(v.clone()),
            Some(_) => Err(Reply::err("ERR The specified keys must contain string values")),
        }
    };
    let a = fetch(c.arg(1))?;
    let b = fetch(c.arg(2))?;
    if len_only && idx {
        return Err(Reply::err("ERR If you want both the length and indexes, please just use IDX."));
    }
    let (alen, blen) = (a.len(), b.len());
    if (alen + 1).saturating_mul(blen + 1) > 16_000_000 {
        return Err(Reply::err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"));
    }
    let width = blen + 1;
    let mut dp = vec![0u32; (alen + 1) * width];
    for i in 1..=alen {
        for j in 1..=blen {
            dp[i * width + j] = if a[i - 1] == b[j - 1] {
                dp[(i - 1) * width + j - 1] + 1
            } else {
                dp[(i - 1) * width + j].max(dp[i * width + j - 1])
            };
        }
    }
    let total = dp[alen * width + blen] as usize;
    if len_only {
        return Ok(Reply::Integer(total as i64));
    }
    let mut result = vec![0u8; total];
    let mut matches = Vec::new();
    let (mut i, mut j, mut k) = (alen, blen, total);
    let (mut a_start, mut a_end, mut b_start, mut b_end) = (alen, 0usize, 0usize, 0usize);
    while i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            result[k - 1] = a[i - 1];
            if a_start == alen {
                a_start = i - 1;
                a_end = i - 1;
                b_start = j - 1;
                b_end = j - 1;
            } else if a_start == i && b_start == j {
                a_start -= 1;
                b_start -= 1;
            } else {
                emit = true;
            }
            if a_start == 0 || b_start == 0 {
                emit = true;
            }
            k -= 1;
            i -= 1;
            j -= 1;
        } else {
            if dp[(i - 1) * width + j] > dp[i * width + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            if a_start != alen {
                emit = true;
            }
        }
        if emit {
            let match_len = (a_end - a_start + 1) as i64;
            if min_len == 0 || match_len >= min_len {
                let mut m = vec![
                    Reply::Array(vec![Reply::Integer(a_start as i64), Reply::Integer(a_end as i64)]),
                    Reply::Array(vec![Reply::Integer(b_start as i64), Reply::Integer(b_end as i64)]),
                ];
                if with_len {
                    m.push(Reply::Integer(match_len));
                }
                matches.push(Reply::Array(m));
            }
            a_start = alen;
        }
    }
    // IDX answers a map: matches and len (RESP2: a flat array of the two pairs).
    if idx {
        return Ok(Reply::map_from_flat(vec![
            Reply::bulk("matches"),
            Reply::Array(matches),
            Reply::bulk("len"),
            Reply::Integer(total as i64),
        ]));
    }
    let _ = wrongtype;
    Ok(Reply::Bulk(result))
}
