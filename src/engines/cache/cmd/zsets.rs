//! Sorted sets: members ordered by score; ranges by rank, score and lexicographic order;
//! set algebra with weights; and the pops, blocking ones included.

use super::super::args::{self, float_arg, int_arg, is, parse_f64, parse_i64, syntax, timeout_arg, wrongtype};
use super::super::glob;
use super::super::keyspace::Value;
use super::super::reply::format_double;
use super::super::zset::{from_set, LexRange, ScoreRange, ZSet};
use super::super::{Cache, Call, CmdResult, Reply};
use super::index_range;
use super::keys::{scan_opts, scan_page};

const NAN_ERR: &str = "ERR resulting score is not a number (NaN)";

/// The reply of a range: members, or with WITHSCORES (member, score) pairs, which RESP3 nests
/// (`[[ada, 1.5], [bob, 3]]`) and RESP2 interleaves (`[ada, 1.5, bob, 3]`).
fn emit(items: Vec<(Vec<u8>, f64)>, with_scores: bool) -> Reply {
    if with_scores {
        Reply::Pairs(items.into_iter().map(|(m, score)| (Reply::Bulk(m), Reply::double(score))).collect())
    } else {
        Reply::Array(items.into_iter().map(|(m, _)| Reply::Bulk(m)).collect())
    }
}

pub fn zadd(s: &mut Cache, c: &Call) -> CmdResult {
    let (mut nx, mut xx, mut gt, mut lt, mut ch, mut incr) = (false, false, false, false, false, false);
    let mut at = 2;
    while at < c.argc() {
        let opt = c.arg(at);
        if is(opt, "nx") {
            nx = true;
        } else if is(opt, "xx") {
            xx = true;
        } else if is(opt, "ch") {
            ch = true;
        } else if is(opt, "incr") {
            incr = true;
        } else if is(opt, "gt") {
            gt = true;
        } else if is(opt, "lt") {
            lt = true;
        } else {
            break;
        }
        at += 1;
    }
    let rest = c.args_from(at);
    if rest.is_empty() || !rest.len().is_multiple_of(2) {
        return Err(syntax());
    }
    if nx && xx {
        return Err(Reply::err("ERR XX and NX options at the same time are not compatible"));
    }
    if (nx && (gt || lt)) || (gt && lt) {
        return Err(Reply::err("ERR GT, LT, and/or NX options at the same time are not compatible"));
    }
    if incr && rest.len() > 2 {
        return Err(Reply::err("ERR INCR option supports a single increment-element pair"));
    }
    let mut pairs = Vec::with_capacity(rest.len() / 2);
    for pair in rest.chunks(2) {
        pairs.push((float_arg(&pair[0])?, pair[1].as_slice()));
    }
    let exists = s.get_zset(c, c.arg(1))?.is_some();
    if !exists && xx {
        return Ok(if incr { Reply::Nil } else { Reply::Integer(0) });
    }
    let z = s.zset_or_new(c, c.arg(1))?;
    let (mut added, mut updated, mut processed) = (0, 0, 0);
    let mut last_score = 0.0;
    for (score, member) in pairs {
        match z.score(member) {
            Some(current) => {
                if nx {
                    continue;
                }
                let mut score = score;
                if incr {
                    score += current;
                    if score.is_nan() {
                        s.drop_if_empty(c, c.arg(1));
                        return Err(Reply::err(NAN_ERR));
                    }
                }
                if (lt && score >= current) || (gt && score <= current) {
                    continue;
                }
                last_score = score;
                processed += 1;
                if score != current {
                    z.insert(member, score);
                    updated += 1;
                }
            }
            None if !xx => {
                z.insert(member, score);
                last_score = score;
                added += 1;
                processed += 1;
            }
            None => {}
        }
    }
    s.drop_if_empty(c, c.arg(1));
    if incr {
        return Ok(if processed > 0 { Reply::double(last_score) } else { Reply::Nil });
    }
    Ok(Reply::Integer(if ch { added + updated } else { added }))
}

pub fn zincrby(s: &mut Cache, c: &Call) -> CmdResult {
    let by = float_arg(c.arg(2))?;
    let z = s.zset_or_new(c, c.arg(1))?;
    let score = z.score(c.arg(3)).unwrap_or(0.0) + by;
    if score.is_nan() {
        s.drop_if_empty(c, c.arg(1));
        return Err(Reply::err(NAN_ERR));
    }
    z.insert(c.arg(3), score);
    Ok(Reply::double(score))
}

pub fn zrem(s: &mut Cache, c: &Call) -> CmdResult {
    let Some(z) = s.get_zset(c, c.arg(1))? else {
        return Ok(Reply::Integer(0));
    };
    let n = c.args_from(2).iter().filter(|m| z.remove(m)).count();
    s.drop_if_empty(c, c.arg(1));
    Ok(Reply::Integer(n as i64))
}

pub fn zcard(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::Integer(s.get_zset(c, c.arg(1))?.map(|z| z.len()).unwrap_or(0) as i64))
}

pub fn zscore(s: &mut Cache, c: &Call) -> CmdResult {
    let z = s.get_zset(c, c.arg(1))?;
    Ok(match z.and_then(|z| z.score(c.arg(2))) {
        Some(score) => Reply::double(score),
        None => Reply::Nil,
    })
}

pub fn zmscore(s: &mut Cache, c: &Call) -> CmdResult {
    let z = s.get_zset(c, c.arg(1))?.map(|z| &*z);
    Ok(Reply::Array(
        c.args_from(2)
            .iter()
            .map(|m| match z.and_then(|z| z.score(m)) {
                Some(score) => Reply::double(score),
                None => Reply::Nil,
            })
            .collect(),
    ))
}

fn rank_generic(s: &mut Cache, c: &Call, reverse: bool) -> CmdResult {
    let Some(z) = s.get_zset(c, c.arg(1))? else {
        return Ok(Reply::Nil);
    };
    let len = z.len();
    Ok(match z.rank(c.arg(2)) {
        Some(r) => Reply::Integer(if reverse { len - 1 - r } else { r } as i64),
        None => Reply::Nil,
    })
}

pub fn zrank(s: &mut Cache, c: &Call) -> CmdResult {
    rank_generic(s, c, false)
}
pub fn zrevrank(s: &mut Cache, c: &Call) -> CmdResult {
    rank_generic(s, c, true)
}

fn score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, Reply> {
    ScoreRange::parse(min, max).ok_or_else(|| Reply::err("ERR min or max is not a float"))
}

fn lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, Reply> {
    LexRange::parse(min, max).ok_or_else(|| Reply::err("ERR min or max not valid string range item"))
}

pub fn zcount(s: &mut Cache, c: &Call) -> CmdResult {
    let range = score_range(c.arg(2), c.arg(3))?;
    let z = s.get_zset(c, c.arg(1))?;
    Ok(Reply::Integer(z.map(|z| z.range_by_score(&range).count()).unwrap_or(0) as i64))
}

pub fn zlexcount(s: &mut Cache, c: &Call) -> CmdResult {
    let range = lex_range(c.arg(2), c.arg(3))?;
    let z = s.get_zset(c, c.arg(1))?;
    Ok(Reply::Integer(z.map(|z| z.range_by_lex(&range).count()).unwrap_or(0) as i64))
}

#[derive(Clone, Copy, PartialEq)]
enum RangeKind {
    Auto,
    Rank,
    Score,
    Lex,
}

/// The shared engine of ZRANGE, ZREVRANGE, Z[REV]RANGEBY{SCORE,LEX} and ZRANGESTORE, as
/// Redis 7.0's `zrangeGenericCommand`: `src_at` is the position of the source key; `kind`
/// and `reverse` are fixed by the legacy commands and chosen by options for ZRANGE.
fn zrange_generic(
    s: &mut Cache,
    c: &Call,
    src_at: usize,
    store: bool,
    kind: RangeKind,
    reverse: Option<bool>,
) -> CmdResult {
    let (mut kind, mut reverse) = (kind, reverse);
    let (mut with_scores, mut limit): (bool, Option<(i64, i64)>) = (false, None);
    let mut i = src_at + 3;
    while i < c.argc() {
        let opt = c.arg(i);
        let left = c.argc() - i - 1;
        if !store && is(opt, "withscores") {
            with_scores = true;
        } else if is(opt, "limit") && left >= 2 {
            limit = Some((int_arg(c.arg(i + 1))?, int_arg(c.arg(i + 2))?));
            i += 2;
        } else if reverse.is_none() && is(opt, "rev") {
            reverse = Some(true);
        } else if kind == RangeKind::Auto && is(opt, "bylex") {
            kind = RangeKind::Lex;
        } else if kind == RangeKind::Auto && is(opt, "byscore") {
            kind = RangeKind::Score;
        } else {
            return Err(syntax());
        }
        i += 1;
    }
    let reverse = reverse.unwrap_or(false);
    if kind == RangeKind::Auto {
        kind = RangeKind::Rank;
    }
    if limit.is_some() && kind == RangeKind::Rank {
        return Err(Reply::err(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        ));
    }
    if with_scores && kind == RangeKind::Lex {
        return Err(Reply::err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
    }
    let (mut min_at, mut max_at) = (src_at + 1, src_at + 2);
    if reverse && kind != RangeKind::Rank {
        std::mem::swap(&mut min_at, &mut max_at);
    }
    enum Parsed {
        Rank(i64, i64),
        Score(ScoreRange),
        Lex(LexRange),
    }
    let parsed = match kind {
        RangeKind::Score => Parsed::Score(score_range(c.arg(min_at), c.arg(max_at))?),
        RangeKind::Lex => Parsed::Lex(lex_range(c.arg(min_at), c.arg(max_at))?),
        _ => Parsed::Rank(int_arg(c.arg(min_at))?, int_arg(c.arg(max_at))?),
    };
    let items: Vec<(Vec<u8>, f64)> = match s.get_zset(c, c.arg(src_at))? {
        None => Vec::new(),
        Some(z) => {
            let (offset, count) = limit.unwrap_or((0, -1));
            let paged = |it: &mut dyn Iterator<Item = (&[u8], f64)>| -> Vec<(Vec<u8>, f64)> {
                if offset < 0 {
                    return Vec::new();
                }
                let take = if count < 0 { usize::MAX } else { count as usize };
                it.skip(offset as usize).take(take).map(|(m, s)| (m.to_vec(), s)).collect()
            };
            match &parsed {
                Parsed::Rank(start, stop) => match index_range(*start, *stop, z.len()) {
                    None => Vec::new(),
                    Some((a, b)) => {
                        let n = b - a + 1;
                        if reverse {
                            z.iter().rev().skip(a).take(n).map(|(m, s)| (m.to_vec(), s)).collect()
                        } else {
                            z.iter().skip(a).take(n).map(|(m, s)| (m.to_vec(), s)).collect()
                        }
                    }
                },
                Parsed::Score(range) => {
                    if reverse {
                        paged(&mut z.range_by_score(range).rev())
                    } else {
                        paged(&mut z.range_by_score(range))
                    }
                }
                Parsed::Lex(range) => {
                    if reverse {
                        paged(&mut z.range_by_lex(range).rev())
                    } else {
                        paged(&mut z.range_by_lex(range))
                    }
                }
            }
        }
    };
    if store {
        let n = items.len();
        store_zset(s, c, c.arg(1), items);
        return Ok(Reply::Integer(n as i64));
    }
    Ok(emit(items, with_scores))
}

/// Replaces `dest` with a sorted set of `items` (deleting it when there are none).
fn store_zset(s: &mut Cache, c: &Call, dest: &[u8], items: Vec<(Vec<u8>, f64)>) {
    let db = s.db(c);
    db.remove(dest);
    if !items.is_empty() {
        let mut z = ZSet::new();
        for (m, score) in items {
            z.insert(&m, score);
        }
        db.set(dest, Value::ZSet(z), c.now);
    }
}

pub fn zrange(s: &mut Cache, c: &Call) -> CmdResult {
    zrange_generic(s, c, 1, false, RangeKind::Auto, None)
}
pub fn zrangestore(s: &mut Cache, c: &Call) -> CmdResult {
    zrange_generic(s, c, 2, true, RangeKind::Auto, None)
}
pub fn zrevrange(s: &mut Cache, c: &Call) -> CmdResult {
    zrange_generic(s, c, 1, false, RangeKind::Rank, Some(true))
}
pub fn zrangebyscore(s: &mut Cache, c: &Call) -> CmdResult {
    zrange_generic(s, c, 1, false, RangeKind::Score, Some(false))
}
pub fn zrevrangebyscore(s: &mut Cache, c: &Call) -> CmdResult {
    zrange_generic(s, c, 1, false, RangeKind::Score, Some(true))
}
pub fn zrangebylex(s: &mut Cache, c: &Call) -> CmdResult {
    zrange_generic(s, c, 1, false, RangeKind::Lex, Some(false))
}
pub fn zrevrangebylex(s: &mut Cache, c: &Call) -> CmdResult {
    zrange_generic(s, c, 1, false, RangeKind::Lex, Some(true))
}

/// Removes the members `select` picks from the sorted set; replies with how many.
fn remove_where(s: &mut Cache, c: &Call, select: impl Fn(&ZSet) -> Vec<Vec<u8>>) -> CmdResult {
    let Some(z) = s.get_zset(c, c.arg(1))? else {
        return Ok(Reply::Integer(0));
    };
    let victims = select(z);
    for m in &victims {
        z.remove(m);
    }
    s.drop_if_empty(c, c.arg(1));
    Ok(Reply::Integer(victims.len() as i64))
}

pub fn zremrangebyrank(s: &mut Cache, c: &Call) -> CmdResult {
    let start = int_arg(c.arg(2))?;
    let stop = int_arg(c.arg(3))?;
    remove_where(s, c, |z| match index_range(start, stop, z.len()) {
        Some((a, b)) => z.iter().skip(a).take(b - a + 1).map(|(m, _)| m.to_vec()).collect(),
        None => Vec::new(),
    })
}

pub fn zremrangebyscore(s: &mut Cache, c: &Call) -> CmdResult {
    let range = score_range(c.arg(2), c.arg(3))?;
    remove_where(s, c, |z| z.range_by_score(&range).map(|(m, _)| m.to_vec()).collect())
}

pub fn zremrangebylex(s: &mut Cache, c: &Call) -> CmdResult {
    let range = lex_range(c.arg(2), c.arg(3))?;
    remove_where(s, c, |z| z.range_by_lex(&range).map(|(m, _)| m.to_vec()).collect())
}

/// Pops up to `count` members from the low (`max` false) or high end.
fn pop_members(z: &mut ZSet, max: bool, count: usize) -> Vec<(Vec<u8>, f64)> {
    let picked: Vec<(Vec<u8>, f64)> = if max {
        z.iter().rev().take(count).map(|(m, s)| (m.to_vec(), s)).collect()
    } else {
        z.iter().take(count).map(|(m, s)| (m.to_vec(), s)).collect()
    };
    for (m, _) in &picked {
        z.remove(m);
    }
    picked
}

fn zpop(s: &mut Cache, c: &Call, max: bool) -> CmdResult {
    if c.argc() > 3 {
        return Err(syntax());
    }
    let count = if c.argc() == 3 { super::positive_count(c.arg(2))? } else { 1 };
    let Some(z) = s.get_zset(c, c.arg(1))? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let picked = pop_members(z, max, count);
    s.drop_if_empty(c, c.arg(1));
    // With a count the pairs nest in RESP3; without one it is one flat [member, score].
    if c.argc() == 3 {
        return Ok(emit(picked, true));
    }
    Ok(Reply::Array(picked.into_iter().flat_map(|(m, score)| [Reply::Bulk(m), Reply::double(score)]).collect()))
}

pub fn zpopmin(s: &mut Cache, c: &Call) -> CmdResult {
    zpop(s, c, false)
}
pub fn zpopmax(s: &mut Cache, c: &Call) -> CmdResult {
    zpop(s, c, true)
}

fn bzpop(s: &mut Cache, c: &Call, max: bool) -> CmdResult {
    let timeout = timeout_arg(c.arg(c.argc() - 1))?;
    for key in &c.argv[1..c.argc() - 1] {
        if let Some(z) = s.get_zset(c, key)? {
            if let Some((m, score)) = pop_members(z, max, 1).into_iter().next() {
                s.drop_if_empty(c, key);
                return Ok(Reply::Array(vec![Reply::bulk(key), Reply::Bulk(m), Reply::double(score)]));
            }
        }
    }
    s.block(c, timeout)
}

pub fn bzpopmin(s: &mut Cache, c: &Call) -> CmdResult {
    bzpop(s, c, false)
}
pub fn bzpopmax(s: &mut Cache, c: &Call) -> CmdResult {
    bzpop(s, c, true)
}

/// ZMPOP/BZMPOP arguments from `at`: `numkeys key... MIN|MAX [COUNT n]`.
fn mpop_args<'a>(c: &'a Call, at: usize) -> Result<(&'a [Vec<u8>], bool, usize), Reply> {
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
    let max = if is(c.arg(where_at), "max") {
        true
    } else if is(c.arg(where_at), "min") {
        false
    } else {
        return Err(syntax());
    };
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
    Ok((&c.argv[at + 1..where_at], max, count.unwrap_or(1)))
}

fn mpop(s: &mut Cache, c: &Call, keys: &[Vec<u8>], max: bool, count: usize) -> Result<Option<Reply>, Reply> {
    for key in keys {
        if let Some(z) = s.get_zset(c, key)? {
            if z.is_empty() {
                continue;
            }
            let picked = pop_members(z, max, count);
            s.drop_if_empty(c, key);
            s.touch_watched(c.db, key);
            let pairs =
                picked.into_iter().map(|(m, sc)| Reply::Array(vec![Reply::Bulk(m), Reply::double(sc)])).collect();
            return Ok(Some(Reply::Array(vec![Reply::bulk(key), Reply::Array(pairs)])));
        }
    }
    Ok(None)
}

pub fn zmpop(s: &mut Cache, c: &Call) -> CmdResult {
    let (keys, max, count) = mpop_args(c, 1)?;
    Ok(mpop(s, c, keys, max, count)?.unwrap_or(Reply::NilArray))
}

pub fn bzmpop(s: &mut Cache, c: &Call) -> CmdResult {
    let timeout = timeout_arg(c.arg(1))?;
    let (keys, max, count) = mpop_args(c, 2)?;
    match mpop(s, c, keys, max, count)? {
        Some(r) => Ok(r),
        None => s.block(c, timeout),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

fn aggregate(op: Aggregate, acc: f64, value: f64) -> f64 {
    match op {
        Aggregate::Sum => {
            let sum = acc + value;
            if sum.is_nan() {
                0.0
            } else {
                sum
            }
        }
        Aggregate::Min => acc.min(value),
        Aggregate::Max => acc.max(value),
    }
}

/// ZUNION/ZINTER/ZDIFF, their STORE forms and ZINTERCARD (Redis's
/// `zunionInterDiffGenericCommand`). Plain sets count as sorted sets with scores of 1.
fn set_op(s: &mut Cache, c: &Call, op: SetOp, store: bool, card_only: bool) -> CmdResult {
    let numkeys_at = if store { 2 } else { 1 };
    let numkeys = int_arg(c.arg(numkeys_at))?;
    if numkeys < 1 {
        return Err(Reply::Error(format!("ERR at least 1 input key is needed for '{}' command", c.name())));
    }
    if numkeys as usize > c.argc() - numkeys_at - 1 {
        return Err(syntax());
    }
    let numkeys = numkeys as usize;
    let keys = &c.argv[numkeys_at + 1..numkeys_at + 1 + numkeys];
    let mut inputs: Vec<Option<ZSet>> = Vec::with_capacity(numkeys);
    for key in keys {
        inputs.push(match s.lookup(c, key) {
            None => None,
            Some(Value::ZSet(z)) => Some(z.clone()),
            Some(Value::Set(m)) => Some(from_set(m)),
            Some(_) => return Err(wrongtype()),
        });
    }
    let mut weights = vec![1.0; numkeys];
    let mut agg = Aggregate::Sum;
    let (mut with_scores, mut limit) = (false, 0usize);
    let mut j = numkeys_at + 1 + numkeys;
    while j < c.argc() {
        let remaining = c.argc() - j;
        let opt = c.arg(j);
        if op != SetOp::Diff && !card_only && remaining > numkeys && is(opt, "weights") {
            for (k, w) in weights.iter_mut().enumerate() {
                *w = parse_f64(c.arg(j + 1 + k)).ok_or_else(|| Reply::err("ERR weight value is not a float"))?;
            }
            j += 1 + numkeys;
        } else if op != SetOp::Diff && !card_only && remaining >= 2 && is(opt, "aggregate") {
            let a = c.arg(j + 1);
            agg = if is(a, "sum") {
                Aggregate::Sum
            } else if is(a, "min") {
                Aggregate::Min
            } else if is(a, "max") {
                Aggregate::Max
            } else {
                return Err(syntax());
            };
            j += 2;
        } else if !store && !card_only && is(opt, "withscores") {
            with_scores = true;
            j += 1;
        } else if card_only && remaining >= 2 && is(opt, "limit") {
            limit = match parse_i64(c.arg(j + 1)) {
                Some(n) if n >= 0 => n as usize,
                _ => return Err(Reply::err("ERR LIMIT can't be negative")),
            };
            j += 2;
        } else {
            return Err(syntax());
        }
    }
    let weighted = |score: f64, w: f64| {
        let v = score * w;
        if v.is_nan() {
            0.0
        } else {
            v
        }
    };
    let mut result = ZSet::new();
    match op {
        SetOp::Union => {
            for (input, &w) in inputs.iter().zip(&weights) {
                let Some(z) = input else { continue };
                for (m, score) in z.iter() {
                    let v = weighted(score, w);
                    let next = match result.score(m) {
                        Some(acc) => aggregate(agg, acc, v),
                        None => v,
                    };
                    result.insert(m, next);
                }
            }
        }
        SetOp::Inter => {
            if inputs.iter().all(|i| i.is_some()) {
                let sets: Vec<&ZSet> = inputs.iter().flatten().collect();
                if let Some(first) = sets.first() {
                    'members: for (m, score) in first.iter() {
                        let mut acc = weighted(score, weights[0]);
                        for (k, other) in sets.iter().enumerate().skip(1) {
                            match other.score(m) {
                                Some(sc) => acc = aggregate(agg, acc, weighted(sc, weights[k])),
                                None => continue 'members,
                            }
                        }
                        result.insert(m, acc);
                        if card_only && limit > 0 && result.len() >= limit {
                            break;
                        }
                    }
                }
            }
        }
        SetOp::Diff => {
            if let Some(Some(first)) = inputs.first() {
                for (m, score) in first.iter() {
                    if !inputs.iter().skip(1).flatten().any(|z| z.contains(m)) {
                        result.insert(m, score);
                    }
                }
            }
        }
    }
    if card_only {
        return Ok(Reply::Integer(result.len() as i64));
    }
    let items: Vec<(Vec<u8>, f64)> = result.iter().map(|(m, s)| (m.to_vec(), s)).collect();
    if store {
        let n = items.len();
        store_zset(s, c, c.arg(1), items);
        return Ok(Reply::Integer(n as i64));
    }
    Ok(emit(items, with_scores))
}

pub fn zunion(s: &mut Cache, c: &Call) -> CmdResult {
    set_op(s, c, SetOp::Union, false, false)
}
pub fn zinter(s: &mut Cache, c: &Call) -> CmdResult {
    set_op(s, c, SetOp::Inter, false, false)
}
pub fn zdiff(s: &mut Cache, c: &Call) -> CmdResult {
    set_op(s, c, SetOp::Diff, false, false)
}
pub fn zunionstore(s: &mut Cache, c: &Call) -> CmdResult {
    set_op(s, c, SetOp::Union, true, false)
}
pub fn zinterstore(s: &mut Cache, c: &Call) -> CmdResult {
    set_op(s, c, SetOp::Inter, true, false)
}
pub fn zdiffstore(s: &mut Cache, c: &Call) -> CmdResult {
    set_op(s, c, SetOp::Diff, true, false)
}
pub fn zintercard(s: &mut Cache, c: &Call) -> CmdResult {
    set_op(s, c, SetOp::Inter, false, true)
}

pub fn zrandmember(s: &mut Cache, c: &Call) -> CmdResult {
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
    let with_scores = match c.argc() {
        2 | 3 => false,
        4 if is(c.arg(3), "withscores") => true,
        _ => return Err(syntax()),
    };
    if with_scores && count.is_some_and(|n| !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&n)) {
        return Err(Reply::err("ERR value is out of range"));
    }
    let members: Vec<(Vec<u8>, f64)> = match s.get_zset(c, c.arg(1))? {
        Some(z) => z.iter().map(|(m, s)| (m.to_vec(), s)).collect(),
        None => Vec::new(),
    };
    let picked = super::sets::random_pick(s, &members, count);
    match count {
        None => Ok(Reply::from_opt(picked.first().map(|(m, _)| m.as_slice()))),
        Some(_) => Ok(emit(picked, with_scores)),
    }
}

pub fn zscan(s: &mut Cache, c: &Call) -> CmdResult {
    let opts = scan_opts(c, 2, false)?;
    let Some(z) = s.get_zset(c, c.arg(1))? else {
        return Ok(Reply::Array(vec![Reply::bulk("0"), Reply::Array(Vec::new())]));
    };
    let (next, page) = scan_page(z.iter(), opts.cursor, opts.count);
    let mut out = Vec::new();
    for (m, score) in page {
        if opts.pattern.as_ref().is_none_or(|p| glob::matches(p, m)) {
            // SCAN sends every item as a bulk string, the score as its `%.17g` text, in
            // RESP3 too (Redis 7.0's scanGenericCommand formats it with d2string).
            out.push(Reply::bulk(m));
            out.push(Reply::Bulk(format_double(score).into_bytes()));
        }
    }
    let _ = args::NOT_FLOAT;
    Ok(Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(out)]))
}
