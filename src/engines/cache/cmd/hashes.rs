//! Hashes: a key holding a map of fields to values (`HSET user:1 name Ada`).
//!
//! Like Redis, an empty hash does not exist: `HDEL` of the last field deletes the key.

use super::super::args::{self, int_arg, parse_f64, parse_i64, wrong_args};
use super::super::glob;
use super::super::reply::format_human_float;
use super::super::{Cache, Call, CmdResult, Reply};
use super::keys::{scan_opts, scan_page};

fn set_pairs(s: &mut Cache, c: &Call) -> Result<i64, Reply> {
    if !c.argc().is_multiple_of(2) {
        return Err(wrong_args(&c.name()));
    }
    let hash = s.hash_or_new(c, c.arg(1))?;
    let mut added = 0;
    for pair in c.args_from(2).chunks(2) {
        if let [f, v] = pair {
            if hash.insert(f.clone(), v.clone()).is_none() {
                added += 1;
            }
        }
    }
    Ok(added)
}

pub fn hset(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::Integer(set_pairs(s, c)?))
}

pub fn hmset(s: &mut Cache, c: &Call) -> CmdResult {
    set_pairs(s, c)?;
    Ok(Reply::ok())
}

pub fn hsetnx(s: &mut Cache, c: &Call) -> CmdResult {
    let hash = s.hash_or_new(c, c.arg(1))?;
    if hash.contains_key(c.arg(2)) {
        return Ok(Reply::Integer(0));
    }
    hash.insert(c.arg(2).to_vec(), c.arg(3).to_vec());
    Ok(Reply::Integer(1))
}

pub fn hget(s: &mut Cache, c: &Call) -> CmdResult {
    let hash = s.get_hash(c, c.arg(1))?;
    Ok(Reply::from_opt(hash.and_then(|h| h.get(c.arg(2))).map(|v| v.as_slice())))
}

pub fn hmget(s: &mut Cache, c: &Call) -> CmdResult {
    let hash = s.get_hash(c, c.arg(1))?;
    let fields = c.args_from(2);
    Ok(Reply::Array(match hash {
        Some(h) => fields.iter().map(|f| Reply::from_opt(h.get(f).map(|v| v.as_slice()))).collect(),
        None => fields.iter().map(|_| Reply::Nil).collect(),
    }))
}

pub fn hdel(s: &mut Cache, c: &Call) -> CmdResult {
    let Some(hash) = s.get_hash(c, c.arg(1))? else {
        return Ok(Reply::Integer(0));
    };
    let removed = c.args_from(2).iter().filter(|f| hash.remove(f.as_slice()).is_some()).count();
    s.drop_if_empty(c, c.arg(1));
    Ok(Reply::Integer(removed as i64))
}

pub fn hlen(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::Integer(s.get_hash(c, c.arg(1))?.map(|h| h.len()).unwrap_or(0) as i64))
}

pub fn hstrlen(s: &mut Cache, c: &Call) -> CmdResult {
    let hash = s.get_hash(c, c.arg(1))?;
    Ok(Reply::Integer(hash.and_then(|h| h.get(c.arg(2))).map(|v| v.len()).unwrap_or(0) as i64))
}

pub fn hexists(s: &mut Cache, c: &Call) -> CmdResult {
    let hash = s.get_hash(c, c.arg(1))?;
    Ok(Reply::Integer(hash.is_some_and(|h| h.contains_key(c.arg(2))) as i64))
}

pub fn hkeys(s: &mut Cache, c: &Call) -> CmdResult {
    let hash = s.get_hash(c, c.arg(1))?;
    Ok(Reply::Array(hash.map(|h| h.keys().map(Reply::bulk).collect()).unwrap_or_default()))
}

pub fn hvals(s: &mut Cache, c: &Call) -> CmdResult {
    let hash = s.get_hash(c, c.arg(1))?;
    Ok(Reply::Array(hash.map(|h| h.values().map(Reply::bulk).collect()).unwrap_or_default()))
}

/// HGETALL: a map of field to value (RESP2 sends it flat: field, value, field, value).
pub fn hgetall(s: &mut Cache, c: &Call) -> CmdResult {
    let hash = s.get_hash(c, c.arg(1))?;
    let pairs = hash.map(|h| h.iter().map(|(f, v)| (Reply::bulk(f), Reply::bulk(v))).collect()).unwrap_or_default();
    Ok(Reply::Map(pairs))
}

pub fn hincrby(s: &mut Cache, c: &Call) -> CmdResult {
    let by = int_arg(c.arg(3))?;
    let hash = s.hash_or_new(c, c.arg(1))?;
    let current = match hash.get(c.arg(2)) {
        Some(v) => parse_i64(v).ok_or_else(|| Reply::err("ERR hash value is not an integer"))?,
        None => 0,
    };
    let next = current.checked_add(by).ok_or_else(|| Reply::err("ERR increment or decrement would overflow"))?;
    hash.insert(c.arg(2).to_vec(), next.to_string().into_bytes());
    Ok(Reply::Integer(next))
}

pub fn hincrbyfloat(s: &mut Cache, c: &Call) -> CmdResult {
    let by = args::float_arg(c.arg(3)).map_err(|e| {
        // strtold accepts "inf": Redis then refuses it with its own words.
        let lower = c.arg(3).to_ascii_lowercase();
        if lower.ends_with(b"inf") || lower.ends_with(b"infinity") {
            Reply::err("ERR value is NaN or Infinity")
        } else {
            e
        }
    })?;
    if !by.is_finite() {
        return Err(Reply::err("ERR value is NaN or Infinity"));
    }
    let hash = s.hash_or_new(c, c.arg(1))?;
    let current = match hash.get(c.arg(2)) {
        Some(v) => parse_f64(v).ok_or_else(|| Reply::err("ERR hash value is not a float"))?,
        None => 0.0,
    };
    let next = current + by;
    if !next.is_finite() {
        return Err(Reply::err("ERR increment would produce NaN or Infinity"));
    }
    let text = format_human_float(next).into_bytes();
    hash.insert(c.arg(2).to_vec(), text.clone());
    Ok(Reply::Bulk(text))
}

pub fn hrandfield(s: &mut Cache, c: &Call) -> CmdResult {
    let count = if c.argc() >= 3 {
        let n = int_arg(c.arg(2))?;
        if n == i64::MIN {
            return Err(Reply::err(
                "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
            ));
        }
        Some(n)
    } else {
        None
    };
    let with_values = match c.argc() {
        2 | 3 => false,
        4 if args::is(c.arg(3), "withvalues") => true,
        _ => return Err(args::syntax()),
    };
    if with_values && count.is_some_and(|n| !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&n)) {
        return Err(Reply::err("ERR value is out of range"));
    }
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = match s.get_hash(c, c.arg(1))? {
        Some(h) => h.iter().map(|(f, v)| (f.clone(), v.clone())).collect(),
        None => Vec::new(),
    };
    let picked = super::sets::random_pick(s, &pairs, count);
    match count {
        None => Ok(Reply::from_opt(picked.first().map(|(f, _)| f.as_slice()))),
        // WITHVALUES: [field, value] pairs in RESP3, one flat array in RESP2.
        Some(_) if with_values => {
            Ok(Reply::Pairs(picked.into_iter().map(|(f, v)| (Reply::Bulk(f), Reply::Bulk(v))).collect()))
        }
        Some(_) => Ok(Reply::Array(picked.into_iter().map(|(f, _)| Reply::Bulk(f)).collect())),
    }
}

pub fn hscan(s: &mut Cache, c: &Call) -> CmdResult {
    let opts = scan_opts(c, 2, false)?;
    let Some(hash) = s.get_hash(c, c.arg(1))? else {
        return Ok(Reply::Array(vec![Reply::bulk("0"), Reply::Array(Vec::new())]));
    };
    let (next, page) = scan_page(hash.iter().map(|(f, v)| (f.as_slice(), v.as_slice())), opts.cursor, opts.count);
    let mut out = Vec::new();
    for (f, v) in page {
        if opts.pattern.as_ref().is_none_or(|p| glob::matches(p, f)) {
            out.push(Reply::bulk(f));
            out.push(Reply::bulk(v));
        }
    }
    Ok(Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(out)]))
}
