//! Lists: sequences of strings pushed and popped at both ends, and the blocking pops.
//!
//! A blocking pop (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) first tries the plain pop; when
//! every list is empty it asks the caller to wait ([`Cache::block`]). The caller runs the same
//! command again after another connection writes, so the wake-up path is the normal path.

use super::super::args::{self, int_arg, is, parse_i64, syntax, timeout_arg};
use super::super::{Cache, Call, CmdResult, Reply};
use super::index_range;
use std::collections::VecDeque;

#[derive(Clone, Copy, PartialEq)]
enum End {
    Left,
    Right,
}

fn end_arg(arg: &[u8]) -> Result<End, Reply> {
    if is(arg, "left") {
        Ok(End::Left)
    } else if is(arg, "right") {
        Ok(End::Right)
    } else {
        Err(syntax())
    }
}

fn push(list: &mut VecDeque<Vec<u8>>, end: End, item: Vec<u8>) {
    match end {
        End::Left => list.push_front(item),
        End::Right => list.push_back(item),
    }
}

fn pop(list: &mut VecDeque<Vec<u8>>, end: End) -> Option<Vec<u8>> {
    match end {
        End::Left => list.pop_front(),
        End::Right => list.pop_back(),
    }
}

fn push_generic(s: &mut Cache, c: &Call, end: End, only_existing: bool) -> CmdResult {
    if only_existing && s.get_list(c, c.arg(1))?.is_none() {
        return Ok(Reply::Integer(0));
    }
    let list = s.list_or_new(c, c.arg(1))?;
    for item in c.args_from(2) {
        push(list, end, item.clone());
    }
    Ok(Reply::Integer(list.len() as i64))
}

pub fn lpush(s: &mut Cache, c: &Call) -> CmdResult {
    push_generic(s, c, End::Left, false)
}
pub fn rpush(s: &mut Cache, c: &Call) -> CmdResult {
    push_generic(s, c, End::Right, false)
}
pub fn lpushx(s: &mut Cache, c: &Call) -> CmdResult {
    push_generic(s, c, End::Left, true)
}
pub fn rpushx(s: &mut Cache, c: &Call) -> CmdResult {
    push_generic(s, c, End::Right, true)
}

fn pop_generic(s: &mut Cache, c: &Call, end: End) -> CmdResult {
    if c.argc() > 3 {
        return Err(args::wrong_args(&c.name()));
    }
    let count = if c.argc() == 3 { Some(super::positive_count(c.arg(2))?) } else { None };
    let Some(list) = s.get_list(c, c.arg(1))? else {
        return Ok(if count.is_some() { Reply::NilArray } else { Reply::Nil });
    };
    let reply = match count {
        None => Reply::from_opt(pop(list, end).as_deref()),
        Some(n) => {
            let mut out = Vec::new();
            while out.len() < n {
                match pop(list, end) {
                    Some(v) => out.push(Reply::Bulk(v)),
                    None => break,
                }
            }
            Reply::Array(out)
        }
    };
    s.drop_if_empty(c, c.arg(1));
    Ok(reply)
}

pub fn lpop(s: &mut Cache, c: &Call) -> CmdResult {
    pop_generic(s, c, End::Left)
}
pub fn rpop(s: &mut Cache, c: &Call) -> CmdResult {
    pop_generic(s, c, End::Right)
}

pub fn llen(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::Integer(s.get_list(c, c.arg(1))?.map(|l| l.len()).unwrap_or(0) as i64))
}

/// Resolves a possibly negative index into a position inside a list of `len`.
fn position(index: i64, len: usize) -> Option<usize> {
    let i = if index < 0 { len as i64 + index } else { index };
    (0..len as i64).contains(&i).then_some(i as usize)
}

pub fn lindex(s: &mut Cache, c: &Call) -> CmdResult {
    let index = int_arg(c.arg(2))?;
    let list = s.get_list(c, c.arg(1))?;
    Ok(Reply::from_opt(list.and_then(|l| position(index, l.len()).and_then(|i| l.get(i))).map(|v| v.as_slice())))
}

pub fn lset(s: &mut Cache, c: &Call) -> CmdResult {
    let index = int_arg(c.arg(2))?;
    let Some(list) = s.get_list(c, c.arg(1))? else {
        return Err(Reply::err(args::NO_SUCH_KEY));
    };
    match position(index, list.len()).and_then(|i| list.get_mut(i)) {
        Some(slot) => {
            *slot = c.arg(3).to_vec();
            Ok(Reply::ok())
        }
        None => Err(Reply::err("ERR index out of range")),
    }
}

pub fn lrange(s: &mut Cache, c: &Call) -> CmdResult {
    let start = int_arg(c.arg(2))?;
    let stop = int_arg(c.arg(3))?;
    let Some(list) = s.get_list(c, c.arg(1))? else {
        return Ok(Reply::Array(Vec::new()));
    };
    Ok(match index_range(start, stop, list.len()) {
        Some((a, b)) => Reply::Array(list.range(a..=b).map(Reply::bulk).collect()),
        None => Reply::Array(Vec::new()),
    })
}

pub fn ltrim(s: &mut Cache, c: &Call) -> CmdResult {
    let start = int_arg(c.arg(2))?;
    let stop = int_arg(c.arg(3))?;
    let Some(list) = s.get_list(c, c.arg(1))? else {
        return Ok(Reply::ok());
    };
    match index_range(start, stop, list.len()) {
        Some((a, b)) => {
            list.truncate(b + 1);
            list.drain(..a);
        }
        None => list.clear(),
    }
    s.drop_if_empty(c, c.arg(1));
    Ok(Reply::ok())
}

pub fn linsert(s: &mut Cache, c: &Call) -> CmdResult {
    let after = if is(c.arg(2), "after") {
        true
    } else if is(c.arg(2), "before") {
        false
    } else {
        return Err(syntax());
    };
    let Some(list) = s.get_list(c, c.arg(1))? else {
        return Ok(Reply::Integer(0));
    };
    match list.iter().position(|v| v.as_slice() == c.arg(3)) {
        Some(i) => {
            list.insert(if after { i + 1 } else { i }, c.arg(4).to_vec());
            Ok(Reply::Integer(list.len() as i64))
        }
        None => Ok(Reply::Integer(-1)),
    }
}

pub fn lrem(s: &mut Cache, c: &Call) -> CmdResult {
    let count = int_arg(c.arg(2))?;
    let Some(list) = s.get_list(c, c.arg(1))? else {
        return Ok(Reply::Integer(0));
    };
    let target = c.arg(3);
    let limit = if count == 0 { usize::MAX } else { count.unsigned_abs() as usize };
    let mut removed = 0;
    if count >= 0 {
        let mut i = 0;
        while i < list.len() && removed < limit {
            if list[i] == target {
                list.remove(i);
                removed += 1;
            } else {
                i += 1;
            }
        }
    } else {
        let mut i = list.len();
        while i > 0 && removed < limit {
            i -= 1;
            if list[i] == target {
                list.remove(i);
                removed += 1;
            }
        }
    }
    s.drop_if_empty(c, c.arg(1));
    Ok(Reply::Integer(removed as i64))
}

pub fn lpos(s: &mut Cache, c: &Call) -> CmdResult {
    let (mut rank, mut count, mut maxlen) = (1i64, None, 0usize);
    let mut i = 3;
    while i < c.argc() {
        let opt = c.arg(i);
        if i + 1 >= c.argc() {
            return Err(syntax());
        }
        let value = c.arg(i + 1);
        if is(opt, "rank") {
            rank = int_arg(value)?;
            if rank == 0 {
                return Err(Reply::err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"));
            }
            if rank == i64::MIN {
                return Err(Reply::err(
                    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                ));
            }
        } else if is(opt, "count") {
            let n = int_arg(value)?;
            if n < 0 {
                return Err(Reply::err("ERR COUNT can't be negative"));
            }
            count = Some(n as usize);
        } else if is(opt, "maxlen") {
            let n = int_arg(value)?;
            if n < 0 {
                return Err(Reply::err("ERR MAXLEN can't be negative"));
            }
            maxlen = n as usize;
        } else {
            return Err(syntax());
        }
        i += 2;
    }
    let Some(list) = s.get_list(c, c.arg(1))? else {
        return Ok(if count.is_some() { Reply::Array(Vec::new()) } else { Reply::Nil });
    };
    let target = c.arg(2);
    let want = match count {
        Some(0) => usize::MAX,
        Some(n) => n,
        None => 1,
    };
    let mut skip = rank.unsigned_abs() as usize - 1;
    let mut found = Vec::new();
    let len = list.len();
    let scan = if maxlen == 0 { len } else { maxlen.min(len) };
    for step in 0..scan {
        let idx = if rank > 0 { step } else { len - 1 - step };
        if list[idx] == target {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            found.push(idx as i64);
            if found.len() >= want {
                break;
            }
        }
    }
    Ok(match count {
        Some(_) => Reply::Array(found.into_iter().map(Reply::Integer).collect()),
        None => found.first().map(|&i| Reply::Integer(i)).unwrap_or(Reply::Nil),
    })
}

/// Pops from `src` at `from`, pushes on `dst` at `to`; `Ok(None)` when `src` is empty.
fn move_one(s: &mut Cache, c: &Call, src: &[u8], dst: &[u8], from: End, to: End) -> Result<Option<Vec<u8>>, Reply> {
    if s.get_list(c, src)?.is_none() {
        return Ok(None);
    }
    s.get_list(c, dst)?;
    let Some(item) = s.get_list(c, src)?.and_then(|l| pop(l, from)) else {
        return Ok(None);
    };
    s.drop_if_empty(c, src);
    let target = s.list_or_new(c, dst)?;
    push(target, to, item.clone());
    s.touch_watched(c.db, src);
    Ok(Some(item))
}

pub fn lmove(s: &mut Cache, c: &Call) -> CmdResult {
    let from = end_arg(c.arg(3))?;
    let to = end_arg(c.arg(4))?;
    Ok(Reply::from_opt(move_one(s, c, c.arg(1), c.arg(2), from, to)?.as_deref()))
}

pub fn rpoplpush(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::from_opt(move_one(s, c, c.arg(1), c.arg(2), End::Right, End::Left)?.as_deref()))
}

pub fn blmove(s: &mut Cache, c: &Call) -> CmdResult {
    let from = end_arg(c.arg(3))?;
    let to = end_arg(c.arg(4))?;
    let timeout = timeout_arg(c.arg(5))?;
    match move_one(s, c, c.arg(1), c.arg(2), from, to)? {
        Some(v) => Ok(Reply::Bulk(v)),
        None => s.block(c, timeout),
    }
}

pub fn brpoplpush(s: &mut Cache, c: &Call) -> CmdResult {
    let timeout = timeout_arg(c.arg(3))?;
    match move_one(s, c, c.arg(1), c.arg(2), End::Right, End::Left)? {
        Some(v) => Ok(Reply::Bulk(v)),
        None => s.block(c, timeout),
    }
}

/// BLPOP/BRPOP: the first non-empty list among the keys gives one element: `[key, element]`.
fn bpop(s: &mut Cache, c: &Call, end: End) -> CmdResult {
    let timeout = timeout_arg(c.arg(c.argc() - 1))?;
    let keys = &c.argv[1..c.argc() - 1];
    for key in keys {
        if let Some(list) = s.get_list(c, key)? {
            if let Some(v) = pop(list, end) {
                s.drop_if_empty(c, key);
                return Ok(Reply::Array(vec![Reply::bulk(key), Reply::Bulk(v)]));
            }
        }
    }
    s.block(c, timeout)
}

pub fn blpop(s: &mut Cache, c: &Call) -> CmdResult {
    bpop(s, c, End::Left)
}
pub fn brpop(s: &mut Cache, c: &Call) -> CmdResult {
    bpop(s, c, End::Right)
}

/// LMPOP/BLMPOP arguments: `numkeys key... LEFT|RIGHT [COUNT n]`, starting at `at`.
fn mpop_args<'a>(c: &'a Call, at: usize) -> Result<(&'a [Vec<u8>], End, usize), Reply> {
    let numkeys = match parse_i64(c.arg(at)) {
        Some(n) if n > 0 => n as usize,
        _ => return Err(Reply::err("ERR numkeys should be greater than 0")),
    };
    // numkeys comes from the user: compare before adding, so a huge count cannot overflow.
    if numkeys >= c.argc() {
        return Err(syntax());
    }
    let where_at = at + numkeys + 1;
    if where_at >= c.argc() {
        return Err(syntax());
    }
    let end = end_arg(c.arg(where_at))?;
    let mut count = None;
    let mut i = where_at + 1;
    while i < c.argc() {
        if count.is_none() && is(c.arg(i), "count") && i + 1 < c.argc() {
            count = Some(match parse_i64(c.arg(i + 1)) {
                Some(n) if n > 0 => n as usize,
                _ => return Err(Reply::err("ERR count should be greater than 0")),
            });
            i += 2;
        } else {
            return Err(syntax());
        }
    }
    Ok((&c.argv[at + 1..where_at], end, count.unwrap_or(1)))
}

fn mpop(s: &mut Cache, c: &Call, keys: &[Vec<u8>], end: End, count: usize) -> Result<Option<Reply>, Reply> {
    for key in keys {
        if let Some(list) = s.get_list(c, key)? {
            if list.is_empty() {
                continue;
            }
            let mut out = Vec::new();
            while out.len() < count {
                match pop(list, end) {
                    Some(v) => out.push(Reply::Bulk(v)),
                    None => break,
                }
            }
            s.drop_if_empty(c, key);
            s.touch_watched(c.db, key);
            return Ok(Some(Reply::Array(vec![Reply::bulk(key), Reply::Array(out)])));
        }
    }
    Ok(None)
}

pub fn lmpop(s: &mut Cache, c: &Call) -> CmdResult {
    let (keys, end, count) = mpop_args(c, 1)?;
    Ok(mpop(s, c, keys, end, count)?.unwrap_or(Reply::NilArray))
}

pub fn blmpop(s: &mut Cache, c: &Call) -> CmdResult {
    let timeout = timeout_arg(c.arg(1))?;
    let (keys, end, count) = mpop_args(c, 2)?;
    match mpop(s, c, keys, end, count)? {
        Some(r) => Ok(r),
        None => s.block(c, timeout),
    }
}
