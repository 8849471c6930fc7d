//! Sets: unordered collections of distinct members, and their algebra (SINTER, SUNION, SDIFF).
//!
//! What Redis 7.0 answers as a set (`~` in RESP3) is a [`Reply::Set`]: SMEMBERS, SINTER,
//! SUNION, SDIFF and SPOP with a count. SRANDMEMBER with a count may repeat members (a negative
//! count), so it stays an array in both protocols.

use super::super::args::{int_arg, parse_i64, wrongtype, OUT_OF_RANGE_POSITIVE};
use super::super::glob;
use super::super::keyspace::Value;
use super::super::maps::FxSet;
use super::super::{Cache, Call, CmdResult, Reply};
use super::keys::{scan_opts, scan_page};

pub fn sadd(s: &mut Cache, c: &Call) -> CmdResult {
    let set = s.set_or_new(c, c.arg(1))?;
    let added = c.args_from(2).iter().filter(|m| set.insert(m.to_vec())).count();
    Ok(Reply::Integer(added as i64))
}

pub fn srem(s: &mut Cache, c: &Call) -> CmdResult {
    let Some(set) = s.get_set(c, c.arg(1))? else {
        return Ok(Reply::Integer(0));
    };
    let removed = c.args_from(2).iter().filter(|m| set.remove(m.as_slice())).count();
    s.drop_if_empty(c, c.arg(1));
    Ok(Reply::Integer(removed as i64))
}

pub fn smembers(s: &mut Cache, c: &Call) -> CmdResult {
    let set = s.get_set(c, c.arg(1))?;
    Ok(Reply::Set(set.map(|m| m.iter().map(Reply::bulk).collect()).unwrap_or_default()))
}

pub fn sismember(s: &mut Cache, c: &Call) -> CmdResult {
    let set = s.get_set(c, c.arg(1))?;
    Ok(Reply::Integer(set.is_some_and(|m| m.contains(c.arg(2))) as i64))
}

pub fn smismember(s: &mut Cache, c: &Call) -> CmdResult {
    let set = s.get_set(c, c.arg(1))?;
    let set = set.map(|m| &*m);
    Ok(Reply::Array(c.args_from(2).iter().map(|m| Reply::Integer(set.is_some_and(|s| s.contains(m)) as i64)).collect()))
}

pub fn scard(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::Integer(s.get_set(c, c.arg(1))?.map(|m| m.len()).unwrap_or(0) as i64))
}

/// Picks random items as SRANDMEMBER/HRANDFIELD/ZRANDMEMBER do: no count = one item; a positive
/// count = that many distinct items (at most all); a negative count = that many, repeats allowed.
pub(crate) fn random_pick<T: Clone>(s: &mut Cache, items: &[T], count: Option<i64>) -> Vec<T> {
    if items.is_empty() {
        return Vec::new();
    }
    let last = items.len() as u64 - 1;
    match count {
        None => {
            let i = s.rng().range(0, last) as usize;
            items.get(i).cloned().into_iter().collect()
        }
        Some(n) if n >= 0 => {
            let n = (n as usize).min(items.len());
            // A partial Fisher-Yates shuffle over the indexes.
            let mut idx: Vec<usize> = (0..items.len()).collect();
            for i in 0..n {
                let j = s.rng().range(i as u64, last) as usize;
                idx.swap(i, j);
            }
            idx[..n].iter().filter_map(|&i| items.get(i).cloned()).collect()
        }
        Some(n) => {
            let n = n.unsigned_abs().min(1_000_000) as usize;
            (0..n).filter_map(|_| items.get(s.rng().range(0, last) as usize).cloned()).collect()
        }
    }
}

pub fn spop(s: &mut Cache, c: &Call) -> CmdResult {
    let count = match c.argc() {
        2 => None,
        3 => match parse_i64(c.arg(2)) {
            Some(n) if n >= 0 => Some(n),
            _ => return Err(Reply::err(OUT_OF_RANGE_POSITIVE)),
        },
        _ => return Err(super::super::args::syntax()),
    };
    let members: Vec<Vec<u8>> = match s.get_set(c, c.arg(1))? {
        Some(m) => m.iter().cloned().collect(),
        None => return Ok(if count.is_some() { Reply::Set(Vec::new()) } else { Reply::Nil }),
    };
    let picked = random_pick(s, &members, Some(count.unwrap_or(1)));
    if let Ok(Some(set)) = s.get_set(c, c.arg(1)) {
        for m in &picked {
            set.remove(m);
        }
    }
    s.drop_if_empty(c, c.arg(1));
    Ok(match count {
        None => Reply::from_opt(picked.first().map(|m| m.as_slice())),
        Some(_) => Reply::Set(picked.into_iter().map(Reply::Bulk).collect()),
    })
}

pub fn srandmember(s: &mut Cache, c: &Call) -> CmdResult {
    let count = match c.argc() {
        2 => None,
        3 => {
            let n = int_arg(c.arg(2))?;
            if n == i64::MIN {
                return Err(Reply::err(
                    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                ));
            }
            Some(n)
        }
        _ => return Err(super::super::args::syntax()),
    };
    let members: Vec<Vec<u8>> = match s.get_set(c, c.arg(1))? {
        Some(m) => m.iter().cloned().collect(),
        None => return Ok(if count.is_some() { Reply::Array(Vec::new()) } else { Reply::Nil }),
    };
    let picked = random_pick(s, &members, count);
    Ok(match count {
        None => Reply::from_opt(picked.first().map(|m| m.as_slice())),
        Some(_) => Reply::bulks(picked),
    })
}

pub fn smove(s: &mut Cache, c: &Call) -> CmdResult {
    let (src, dst, member) = (c.arg(1), c.arg(2), c.arg(3));
    let has = match s.get_set(c, src)? {
        Some(m) => m.contains(member),
        None => {
            s.get_set(c, dst)?;
            return Ok(Reply::Integer(0));
        }
    };
    s.get_set(c, dst)?;
    if src == dst {
        return Ok(Reply::Integer(has as i64));
    }
    if !has {
        return Ok(Reply::Integer(0));
    }
    if let Some(m) = s.get_set(c, src)? {
        m.remove(member);
    }
    s.drop_if_empty(c, src);
    s.set_or_new(c, dst)?.insert(member.to_vec());
    Ok(Reply::Integer(1))
}

/// Reads the sets under `keys` (missing ones as `None`), WRONGTYPE if any is not a set.
fn load_sets(s: &mut Cache, c: &Call, keys: &[Vec<u8>]) -> Result<Vec<Option<FxSet<Vec<u8>>>>, Reply> {
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        out.push(s.get_set(c, key)?.map(|m| m.clone()));
    }
    Ok(out)
}

enum Op {
    Inter,
    Union,
    Diff,
}

fn combine(sets: Vec<Option<FxSet<Vec<u8>>>>, op: Op, limit: usize) -> FxSet<Vec<u8>> {
    let mut iter = sets.into_iter();
    let first = iter.next().flatten().unwrap_or_default();
    match op {
        Op::Union => iter.flatten().fold(first, |mut acc, s| {
            acc.extend(s);
            acc
        }),
        Op::Diff => iter.flatten().fold(first, |mut acc, s| {
            acc.retain(|m| !s.contains(m));
            acc
        }),
        Op::Inter => {
            let rest: Vec<Option<FxSet<Vec<u8>>>> = iter.collect();
            if rest.iter().any(|s| s.is_none()) {
                return FxSet::default();
            }
            let rest: Vec<FxSet<Vec<u8>>> = rest.into_iter().flatten().collect();
            let mut out = FxSet::default();
            for m in first {
                if rest.iter().all(|s| s.contains(&m)) {
                    out.insert(m);
                    if limit > 0 && out.len() >= limit {
                        break;
                    }
                }
            }
            out
        }
    }
}

fn algebra(s: &mut Cache, c: &Call, op: Op, store: bool) -> CmdResult {
    let (dest, keys) = if store { (Some(c.arg(1)), c.args_from(2)) } else { (None, c.args_from(1)) };
    let sets = load_sets(s, c, keys)?;
    let result = combine(sets, op, 0);
    match dest {
        None => Ok(Reply::Set(result.iter().map(Reply::bulk).collect())),
        Some(dest) => {
            let n = result.len();
            let db = s.db(c);
            db.remove(dest);
            if n > 0 {
                db.set(dest, Value::Set(result), c.now);
            }
            Ok(Reply::Integer(n as i64))
        }
    }
}

pub fn sinter(s: &mut Cache, c: &Call) -> CmdResult {
    algebra(s, c, Op::Inter, false)
}
pub fn sinterstore(s: &mut Cache, c: &Call) -> CmdResult {
    algebra(s, c, Op::Inter, true)
}
pub fn sunion(s: &mut Cache, c: &Call) -> CmdResult {
    algebra(s, c, Op::Union, false)
}
pub fn sunionstore(s: &mut Cache, c: &Call) -> CmdResult {
    algebra(s, c, Op::Union, true)
}
pub fn sdiff(s: &mut Cache, c: &Call) -> CmdResult {
    algebra(s, c, Op::Diff, false)
}
pub fn sdiffstore(s: &mut Cache, c: &Call) -> CmdResult {
    algebra(s, c, Op::Diff, true)
}

pub fn sintercard(s: &mut Cache, c: &Call) -> CmdResult {
    let numkeys = match parse_i64(c.arg(1)) {
        Some(n) if n > 0 => n as usize,
        _ => return Err(Reply::err("ERR numkeys should be greater than 0")),
    };
    if numkeys > c.argc() - 2 {
        return Err(Reply::err("ERR Number of keys can't be greater than number of args"));
    }
    let mut limit = 0usize;
    let mut i = 2 + numkeys;
    while i < c.argc() {
        if super::super::args::is(c.arg(i), "limit") && i + 1 < c.argc() {
            limit = match parse_i64(c.arg(i + 1)) {
                Some(n) if n >= 0 => n as usize,
                _ => return Err(Reply::err("ERR LIMIT can't be negative")),
            };
            i += 2;
        } else {
            return Err(super::super::args::syntax());
        }
    }
    let sets = load_sets(s, c, &c.argv[2..2 + numkeys])?;
    Ok(Reply::Integer(combine(sets, Op::Inter, limit).len() as i64))
}

pub fn sscan(s: &mut Cache, c: &Call) -> CmdResult {
    let opts = scan_opts(c, 2, false)?;
    let Some(set) = s.get_set(c, c.arg(1))? else {
        return Ok(Reply::Array(vec![Reply::bulk("0"), Reply::Array(Vec::new())]));
    };
    let (next, page) = scan_page(set.iter().map(|m| (m.as_slice(), ())), opts.cursor, opts.count);
    let out = page
        .into_iter()
        .filter(|(m, _)| opts.pattern.as_ref().is_none_or(|p| glob::matches(p, m)))
        .map(|(m, _)| Reply::bulk(m))
        .collect();
    let _ = wrongtype;
    Ok(Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(out)]))
}
