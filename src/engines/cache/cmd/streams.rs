//! Streams: XADD and the range reads, trimming, XREAD, and consumer groups (XGROUP,
//! XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM), with XINFO to look inside.
//!
//! Argument parsing and the order of checks follow Redis 7.0's `t_stream.c`, because the order
//! decides which error a malformed command gets.
//!
//! In RESP3, XREAD and XREADGROUP answer a map of stream to entries ([`Reply::MapAsPairs`]) and
//! XINFO answers maps; the entries themselves stay arrays in both protocols.

use super::super::args::{self, int_arg, is, syntax};
use super::super::stream::{Group, Pending, Stream, StreamId};
use super::super::{Cache, Call, CmdResult, Reply};

const INVALID_ID: &str = "ERR Invalid stream ID specified as stream command argument";

fn invalid_id() -> Reply {
    Reply::err(INVALID_ID)
}

/// A strict ID (`ms-seq` or `ms`); `-`, `+` and `$` are not IDs here.
fn strict_id(arg: &[u8]) -> Result<StreamId, Reply> {
    StreamId::parse(arg, 0).ok_or_else(invalid_id)
}

/// An interval bound: `-`, `+`, `(id` exclusive, or an ID whose missing sequence is `missing_seq`.
fn interval_id(arg: &[u8], missing_seq: u64) -> Result<(StreamId, bool), Reply> {
    match arg {
        b"-" => Ok((StreamId::MIN, false)),
        b"+" => Ok((StreamId::MAX, false)),
        _ => match arg.strip_prefix(b"(") {
            Some(rest) => Ok((StreamId::parse(rest, missing_seq).ok_or_else(invalid_id)?, true)),
            None => Ok((StreamId::parse(arg, missing_seq).ok_or_else(invalid_id)?, false)),
        },
    }
}

fn entry_reply(id: StreamId, fields: &[Vec<u8>]) -> Reply {
    Reply::Array(vec![Reply::Bulk(id.to_bytes()), Reply::bulks(fields)])
}

fn id_reply(id: StreamId) -> Reply {
    Reply::Bulk(id.to_bytes())
}

fn nogroup(key: &[u8], group: &[u8]) -> Reply {
    Reply::Error(format!("NOGROUP No such key '{}' or consumer group '{}'", args::text(key), args::text(group)))
}

/// How XADD and XTRIM trim: `MAXLEN [=|~] n` or `MINID [=|~] id`, with `LIMIT`.
#[derive(Default)]
struct Trim {
    maxlen: Option<u64>,
    minid: Option<StreamId>,
    approx: bool,
    limit: u64,
}

/// Parses the XADD/XTRIM options from position 2; returns the trim and, for XADD, the position
/// of the ID argument and whether NOMKSTREAM was given.
fn parse_trim(c: &Call, xadd: bool) -> Result<(Trim, usize, bool), Reply> {
    let mut trim = Trim::default();
    let mut nomkstream = false;
    let mut limit_given = None;
    let mut i = 2;
    while i < c.argc() {
        let more = c.argc() - 1 - i;
        let opt = c.arg(i);
        if xadd && opt == b"*" {
            break;
        } else if (is(opt, "maxlen") || is(opt, "minid")) && more > 0 {
            if trim.maxlen.is_some() || trim.minid.is_some() {
                return Err(Reply::err(
                    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
                ));
            }
            trim.approx = false;
            let next = c.arg(i + 1);
            if more >= 2 && next == b"~" {
                trim.approx = true;
                i += 1;
            } else if more >= 2 && next == b"=" {
                i += 1;
            }
            if is(opt, "maxlen") {
                let n = int_arg(c.arg(i + 1))?;
                if n < 0 {
                    return Err(Reply::err("ERR The MAXLEN argument must be >= 0."));
                }
                trim.maxlen = Some(n as u64);
            } else {
                trim.minid = Some(strict_id(c.arg(i + 1))?);
            }
            i += 1;
        } else if is(opt, "limit") && more > 0 {
            let n = int_arg(c.arg(i + 1))?;
            if n < 0 {
                return Err(Reply::err("ERR The LIMIT argument must be >= 0."));
            }
            limit_given = Some(n as u64);
            i += 1;
        } else if xadd && is(opt, "nomkstream") {
            nomkstream = true;
        } else if xadd {
            break;
        } else {
            return Err(syntax());
        }
        i += 1;
    }
    let strategy = trim.maxlen.is_some() || trim.minid.is_some();
    if limit_given.is_some_and(|n| n > 0) && !strategy {
        return Err(Reply::err("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"));
    }
    if !xadd && !strategy {
        return Err(Reply::err("ERR syntax error, XTRIM must be called with a trimming strategy"));
    }
    match limit_given {
        Some(n) => {
            if !trim.approx {
                return Err(Reply::err("ERR syntax error, LIMIT cannot be used without the special ~ option"));
            }
            trim.limit = n;
        }
        None => trim.limit = if trim.approx { 10_000 } else { 0 },
    }
    Ok((trim, i, nomkstream))
}

/// Trims as Redis's `streamTrim`: whole listpack nodes go first (all that approximate `~`
/// trimming removes); exact trimming then deletes single entries from the oldest node.
fn apply_trim(stream: &mut Stream, trim: &Trim) -> u64 {
    let mut removed = 0u64;
    while let Some(node) = stream.nodes.first() {
        let live = node.live as u64;
        let master = node.master;
        let next_master = stream.nodes.get(1).map(|n| n.master);
        let len = stream.len() as u64;
        let in_node: Vec<StreamId> = match next_master {
            Some(next) => stream.entries.range(master..next).map(|(id, _)| *id).collect(),
            None => stream.entries.range(master..).map(|(id, _)| *id).collect(),
        };
        let whole = match (trim.maxlen, trim.minid) {
            (Some(max), _) => len - live >= max,
            (None, Some(min)) => in_node.last().is_none_or(|last| *last < min),
            _ => false,
        };
        if trim.limit > 0 && removed + live > trim.limit {
            break;
        }
        if whole {
            for id in &in_node {
                stream.entries.remove(id);
            }
            stream.nodes.remove(0);
            removed += live;
            continue;
        }
        if trim.approx {
            break;
        }
        for id in in_node {
            let done = match (trim.maxlen, trim.minid) {
                (Some(max), _) => stream.len() as u64 <= max,
                (None, Some(min)) => id >= min,
                _ => true,
            };
            if done {
                break;
            }
            stream.entries.remove(&id);
            stream.pack_remove(id);
            removed += 1;
        }
        break;
    }
    removed
}

pub fn xadd(s: &mut Cache, c: &Call) -> CmdResult {
    let (trim, id_at, nomkstream) = parse_trim(c, true)?;
    // The ID: `*`, `ms-*` (sequence chosen), `ms-seq` or `ms`.
    let id_arg = c.arg(id_at);
    let explicit: Option<(StreamId, bool)> = if id_arg == b"*" {
        None
    } else if let Some(ms) = id_arg.strip_suffix(b"-*") {
        Some((StreamId::parse(ms, 0).filter(|_| !ms.contains(&b'-')).ok_or_else(invalid_id)?, false))
    } else {
        Some((strict_id(id_arg)?, true))
    };
    let fields = c.args_from(id_at + 1);
    if fields.len() < 2 || !fields.len().is_multiple_of(2) {
        return Err(args::wrong_args("xadd"));
    }
    if explicit == Some((StreamId::MIN, true)) {
        return Err(Reply::err("ERR The ID specified in XADD must be greater than 0-0"));
    }
    if s.get_stream(c, c.arg(1))?.is_none() && nomkstream {
        return Ok(Reply::Nil);
    }
    let now = c.now.max(0) as u64;
    let stream = s.stream_or_new(c, c.arg(1))?;
    if stream.last_id == StreamId::MAX {
        return Err(Reply::err("ERR The stream has exhausted the last possible ID, unable to add more items"));
    }
    let last = stream.last_id;
    let too_small = || Reply::err("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    let id = match explicit {
        None => {
            if now > last.ms {
                StreamId::new(now, 0)
            } else {
                last.next().ok_or_else(too_small)?
            }
        }
        Some((id, true)) => id,
        Some((id, false)) => {
            if id.ms == last.ms {
                if last.seq == u64::MAX {
                    // Redis 7.0 reports the sequence overflow of `ms-*` with this text (its
                    // error code for it is the one for oversized entries).
                    return Err(Reply::err("ERR Elements are too large to be stored"));
                }
                StreamId::new(last.ms, last.seq + 1)
            } else {
                id
            }
        }
    };
    if id <= last {
        return Err(too_small());
    }
    stream.entries.insert(id, fields.to_vec());
    stream.pack_append(id, fields);
    stream.last_id = id;
    stream.entries_added += 1;
    if trim.maxlen.is_some() || trim.minid.is_some() {
        apply_trim(stream, &trim);
    }
    Ok(id_reply(id))
}

pub fn xtrim(s: &mut Cache, c: &Call) -> CmdResult {
    let (trim, _, _) = parse_trim(c, false)?;
    let Some(stream) = s.get_stream(c, c.arg(1))? else {
        return Ok(Reply::Integer(0));
    };
    Ok(Reply::Integer(apply_trim(stream, &trim) as i64))
}

fn range_generic(s: &mut Cache, c: &Call, reverse: bool) -> CmdResult {
    let (start_arg, end_arg) = if reverse { (c.arg(3), c.arg(2)) } else { (c.arg(2), c.arg(3)) };
    let (mut start, start_ex) = interval_id(start_arg, 0)?;
    if start_ex {
        start = start.next().ok_or_else(|| Reply::err("ERR invalid start ID for the interval"))?;
    }
    let (mut end, end_ex) = interval_id(end_arg, u64::MAX)?;
    if end_ex {
        end = end.prev().ok_or_else(|| Reply::err("ERR invalid end ID for the interval"))?;
    }
    let mut count: i64 = -1;
    let mut i = 4;
    while i < c.argc() {
        if is(c.arg(i), "count") && i + 1 < c.argc() {
            count = int_arg(c.arg(i + 1))?.max(0);
            i += 2;
        } else {
            return Err(syntax());
        }
    }
    let Some(stream) = s.get_stream(c, c.arg(1))? else {
        return Ok(Reply::Array(Vec::new()));
    };
    if count == 0 {
        return Ok(Reply::NilArray);
    }
    if start > end {
        return Ok(Reply::Array(Vec::new()));
    }
    let limit = if count < 0 { usize::MAX } else { count as usize };
    let range = stream.entries.range(start..=end);
    let items: Vec<Reply> = if reverse {
        range.rev().take(limit).map(|(id, f)| entry_reply(*id, f)).collect()
    } else {
        range.take(limit).map(|(id, f)| entry_reply(*id, f)).collect()
    };
    Ok(Reply::Array(items))
}

pub fn xrange(s: &mut Cache, c: &Call) -> CmdResult {
    range_generic(s, c, false)
}
pub fn xrevrange(s: &mut Cache, c: &Call) -> CmdResult {
    range_generic(s, c, true)
}

pub fn xlen(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::Integer(s.get_stream(c, c.arg(1))?.map(|st| st.len()).unwrap_or(0) as i64))
}

pub fn xdel(s: &mut Cache, c: &Call) -> CmdResult {
    let ids = c.args_from(2).iter().map(|a| strict_id(a)).collect::<Result<Vec<_>, _>>()?;
    let Some(stream) = s.get_stream(c, c.arg(1))? else {
        return Ok(Reply::Integer(0));
    };
    let mut deleted = 0;
    for id in ids {
        if stream.entries.remove(&id).is_some() {
            stream.pack_remove(id);
            deleted += 1;
            if id > stream.max_deleted_id {
                stream.max_deleted_id = id;
            }
        }
    }
    Ok(Reply::Integer(deleted))
}

/// Parsed XREAD / XREADGROUP arguments.
struct ReadArgs {
    count: usize,
    block: Option<i64>,
    group: Option<(Vec<u8>, Vec<u8>)>,
    noack: bool,
    keys: Vec<Vec<u8>>,
    ids: Vec<Vec<u8>>,
}

fn parse_read(c: &Call, group_cmd: bool) -> Result<ReadArgs, Reply> {
    let mut a = ReadArgs { count: 0, block: None, group: None, noack: false, keys: Vec::new(), ids: Vec::new() };
    let mut streams_at = None;
    let mut i = 1;
    while i < c.argc() {
        let more = c.argc() - i - 1;
        let opt = c.arg(i);
        if is(opt, "block") && more > 0 {
            let ms = int_arg(c.arg(i + 1)).map_err(|_| Reply::err("ERR timeout is not an integer or out of range"))?;
            if ms < 0 {
                return Err(Reply::err("ERR timeout is negative"));
            }
            a.block = Some(ms);
            i += 1;
        } else if is(opt, "count") && more > 0 {
            a.count = int_arg(c.arg(i + 1))?.max(0) as usize;
            i += 1;
        } else if is(opt, "streams") && more > 0 {
            let n = c.argc() - i - 1;
            if !n.is_multiple_of(2) {
                let (name, symbol) = if group_cmd { ("xreadgroup", '>') } else { ("xread", '$') };
                return Err(Reply::Error(format!(
                    "ERR Unbalanced '{name}' list of streams: for each stream key an ID or '{symbol}' must be specified."
                )));
            }
            streams_at = Some(i + 1);
            break;
        } else if is(opt, "group") && more >= 2 {
            if !group_cmd {
                return Err(Reply::err(
                    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            a.group = Some((c.arg(i + 1).to_vec(), c.arg(i + 2).to_vec()));
            i += 2;
        } else if is(opt, "noack") {
            if !group_cmd {
                return Err(Reply::err(
                    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            a.noack = true;
        } else {
            return Err(syntax());
        }
        i += 1;
    }
    let Some(at) = streams_at else {
        return Err(syntax());
    };
    if group_cmd && a.group.is_none() {
        return Err(Reply::err("ERR Missing GROUP option for XREADGROUP"));
    }
    let n = (c.argc() - at) / 2;
    a.keys = c.argv[at..at + n].to_vec();
    a.ids = c.argv[at + n..].to_vec();
    Ok(a)
}

/// The position a read starts after: a concrete ID, or `>` (new entries for the group).
#[derive(Clone, Copy)]
enum ReadFrom {
    After(StreamId),
    New,
}

pub fn xread(s: &mut Cache, c: &Call) -> CmdResult {
    let a = parse_read(c, false)?;
    let mut froms = Vec::new();
    for (key, id) in a.keys.iter().zip(&a.ids) {
        let stream = s.get_stream(c, key)?;
        froms.push(match id.as_slice() {
            b"$" => stream.map(|st| st.last_id).unwrap_or(StreamId::MIN),
            b">" => return Err(Reply::err(
                "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
            )),
            _ => strict_id(id)?,
        });
    }
    let mut out = Vec::new();
    for (key, from) in a.keys.iter().zip(froms) {
        let Some(stream) = s.get_stream(c, key)? else { continue };
        let Some(start) = from.next() else { continue };
        let limit = if a.count == 0 { usize::MAX } else { a.count };
        let entries: Vec<Reply> =
            stream.entries.range(start..).take(limit).map(|(id, f)| entry_reply(*id, f)).collect();
        if !entries.is_empty() {
            out.push((Reply::bulk(key), Reply::Array(entries)));
        }
    }
    // A map of stream to entries in RESP3; [stream, entries] pairs in RESP2.
    if !out.is_empty() {
        return Ok(Reply::MapAsPairs(out));
    }
    match a.block {
        Some(ms) => s.block(c, ms),
        None => Ok(Reply::NilArray),
    }
}

/// Delivers new entries (after the group's last ID) to a consumer, recording them as pending.
fn deliver_new(
    stream: &mut Stream,
    group_name: &[u8],
    consumer: &[u8],
    count: usize,
    noack: bool,
    now: i64,
) -> Vec<Reply> {
    let Some(group) = stream.groups.get(group_name) else { return Vec::new() };
    let Some(start) = group.last_id.next() else { return Vec::new() };
    let limit = if count == 0 { usize::MAX } else { count };
    let picked: Vec<(StreamId, Vec<Vec<u8>>)> =
        stream.entries.range(start..).take(limit).map(|(id, f)| (*id, f.clone())).collect();
    let mut out = Vec::new();
    for (id, fields) in picked {
        // Advance the group's read counter as Redis does (exact when no deletions lie ahead).
        let tombstones = stream.range_has_tombstones(id);
        let estimate = estimate_distance(stream, id);
        let Some(group) = stream.groups.get_mut(group_name) else { break };
        if id > group.last_id {
            group.entries_read = match group.entries_read {
                Some(n) if !tombstones => Some(n + 1),
                _ if stream.entries_added > 0 => estimate,
                other => other,
            };
            group.last_id = id;
        }
        if !noack {
            if let Some(old) = group.pel.get(&id) {
                let old_owner = old.consumer.clone();
                if let Some(prev) = group.consumers.get_mut(&old_owner) {
                    prev.pel.remove(&id);
                }
            }
            group.pel.insert(id, Pending { consumer: consumer.to_vec(), delivery_time: now, delivery_count: 1 });
            if let Some(cons) = group.consumers.get_mut(consumer) {
                cons.pel.insert(id);
            }
        }
        out.push(entry_reply(id, &fields));
    }
    out
}

/// Redis's `streamEstimateDistanceFromFirstEverEntry`: how many entries precede and include
/// `id` in the stream's history, when that can be known.
fn estimate_distance(stream: &Stream, id: StreamId) -> Option<u64> {
    if stream.entries_added == 0 {
        return Some(0);
    }
    if stream.is_empty() && id <= stream.last_id {
        return Some(stream.entries_added);
    }
    if id == stream.last_id {
        return Some(stream.entries_added);
    }
    if id > stream.last_id {
        return None;
    }
    let first = stream.first_id().unwrap_or(StreamId::MIN);
    if stream.max_deleted_id == StreamId::MIN || stream.max_deleted_id < first {
        if id < first {
            return Some(stream.entries_added.saturating_sub(stream.len() as u64));
        } else if id == first {
            return Some(stream.entries_added.saturating_sub(stream.len() as u64) + 1);
        }
    }
    None
}

/// The consumer's own pending entries after `after`: re-delivered, counted again.
fn deliver_history(
    stream: &mut Stream,
    group_name: &[u8],
    consumer: &[u8],
    after: StreamId,
    count: usize,
    now: i64,
) -> Vec<Reply> {
    let Some(start) = after.next() else { return Vec::new() };
    let limit = if count == 0 { usize::MAX } else { count };
    let ids: Vec<StreamId> = match stream.groups.get(group_name).and_then(|g| g.consumers.get(consumer)) {
        Some(cons) => cons.pel.range(start..).take(limit).copied().collect(),
        None => return Vec::new(),
    };
    let mut out = Vec::new();
    for id in ids {
        match stream.entries.get(&id) {
            Some(fields) => out.push(entry_reply(id, fields)),
            // A pending entry deleted since: its ID and a null array, as Redis 7.0 sends it.
            None => out.push(Reply::Array(vec![id_reply(id), Reply::NilArray])),
        }
        if let Some(p) = stream.groups.get_mut(group_name).and_then(|g| g.pel.get_mut(&id)) {
            p.delivery_time = now;
            p.delivery_count += 1;
        }
    }
    out
}

pub fn xreadgroup(s: &mut Cache, c: &Call) -> CmdResult {
    let a = parse_read(c, true)?;
    let Some((group, consumer)) = a.group.clone() else {
        return Err(Reply::err("ERR Missing GROUP option for XREADGROUP"));
    };
    let mut froms = Vec::new();
    for (key, id) in a.keys.iter().zip(&a.ids) {
        let exists = match s.get_stream(c, key)? {
            Some(st) => st.groups.contains_key(&group),
            None => false,
        };
        if !exists {
            return Err(Reply::Error(format!(
                "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
                args::text(key),
                args::text(&group)
            )));
        }
        froms.push(match id.as_slice() {
            b"$" => return Err(Reply::err("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.")),
            b">" => ReadFrom::New,
            _ => ReadFrom::After(strict_id(id)?),
        });
    }
    let mut out = Vec::new();
    for (key, from) in a.keys.iter().zip(froms) {
        let Some(stream) = s.get_stream(c, key)? else { continue };
        if let Some(g) = stream.groups.get_mut(&group) {
            g.touch_consumer(&consumer, c.now);
        }
        match from {
            ReadFrom::After(after) => {
                let entries = deliver_history(stream, &group, &consumer, after, a.count, c.now);
                out.push((Reply::bulk(key), Reply::Array(entries)));
            }
            ReadFrom::New => {
                let entries = deliver_new(stream, &group, &consumer, a.count, a.noack, c.now);
                if !entries.is_empty() {
                    out.push((Reply::bulk(key), Reply::Array(entries)));
                }
            }
        }
    }
    if !out.is_empty() {
        return Ok(Reply::MapAsPairs(out));
    }
    match a.block {
        Some(ms) => s.block(c, ms),
        None => Ok(Reply::NilArray),
    }
}

const XGROUP_HELP: &[&str] = &[
    "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
    "HELP",
    "    Print this help.",
];

pub fn xgroup(s: &mut Cache, c: &Call) -> CmdResult {
    let sub = args::text(c.arg(1)).to_ascii_lowercase();
    let arity_ok = |arity: i64| {
        let n = c.argc() as i64;
        if arity >= 0 {
            n == arity
        } else {
            n >= -arity
        }
    };
    let arity = match sub.as_str() {
        "help" => 2,
        "create" | "setid" => -5,
        "destroy" => 4,
        "createconsumer" | "delconsumer" => 5,
        _ => {
            return Err(Reply::Error(format!("ERR unknown subcommand '{}'. Try XGROUP HELP.", args::text(c.arg(1)))));
        }
    };
    if !arity_ok(arity) {
        return Err(args::wrong_args(&format!("xgroup|{sub}")));
    }
    if sub == "help" {
        return Ok(Reply::statuses(XGROUP_HELP));
    }
    let (key, group) = (c.arg(2), c.arg(3));
    // Options of CREATE and SETID.
    let mut mkstream = false;
    let mut entries_read: Option<u64> = None;
    if sub == "create" || sub == "setid" {
        let mut i = 5;
        while i < c.argc() {
            if sub == "create" && is(c.arg(i), "mkstream") {
                mkstream = true;
                i += 1;
            } else if is(c.arg(i), "entriesread") && i + 1 < c.argc() {
                let n = int_arg(c.arg(i + 1))?;
                if n < 0 && n != -1 {
                    return Err(Reply::err("ERR value for ENTRIESREAD must be positive or -1"));
                }
                entries_read = (n >= 0).then_some(n as u64);
                i += 2;
            } else {
                return Err(syntax());
            }
        }
    }
    let exists = s.get_stream(c, key)?.is_some();
    if !exists {
        if sub == "create" && mkstream {
            s.stream_or_new(c, key)?;
        } else {
            return Err(Reply::err("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."));
        }
    }
    let Some(stream) = s.get_stream(c, key)? else {
        return Err(Reply::err(args::NO_SUCH_KEY));
    };
    let no_group = || {
        Reply::Error(format!(
            "NOGROUP No such consumer group '{}' for key name '{}'",
            args::text(group),
            args::text(key)
        ))
    };
    // CREATE and SETID parse the ID loosely: `-` and `+` are accepted, `$` is the last ID.
    let resolve = |stream: &Stream, arg: &[u8]| -> Result<StreamId, Reply> {
        match arg {
            b"$" => Ok(stream.last_id),
            b"-" => Ok(StreamId::MIN),
            b"+" => Ok(StreamId::MAX),
            _ => strict_id(arg),
        }
    };
    match sub.as_str() {
        "create" => {
            let id = resolve(stream, c.arg(4))?;
            if stream.groups.contains_key(group) {
                return Err(Reply::err("BUSYGROUP Consumer Group name already exists"));
            }
            stream.groups.insert(group.to_vec(), Group::new(id, entries_read));
            Ok(Reply::ok())
        }
        "setid" => {
            let id = resolve(stream, c.arg(4))?;
            let g = stream.groups.get_mut(group).ok_or_else(no_group)?;
            g.last_id = id;
            g.entries_read = entries_read;
            Ok(Reply::ok())
        }
        "destroy" => Ok(Reply::Integer(stream.groups.remove(group).is_some() as i64)),
        "createconsumer" => {
            let g = stream.groups.get_mut(group).ok_or_else(no_group)?;
            Ok(Reply::Integer(g.touch_consumer(c.arg(4), c.now) as i64))
        }
        _ => {
            let g = stream.groups.get_mut(group).ok_or_else(no_group)?;
            match g.consumers.remove(c.arg(4)) {
                Some(cons) => {
                    for id in &cons.pel {
                        g.pel.remove(id);
                    }
                    Ok(Reply::Integer(cons.pel.len() as i64))
                }
                None => Ok(Reply::Integer(0)),
            }
        }
    }
}

pub fn xack(s: &mut Cache, c: &Call) -> CmdResult {
    let ids = c.args_from(3).iter().map(|a| strict_id(a)).collect::<Result<Vec<_>, _>>()?;
    let Some(stream) = s.get_stream(c, c.arg(1))? else {
        return Ok(Reply::Integer(0));
    };
    let Some(group) = stream.groups.get_mut(c.arg(2)) else {
        return Ok(Reply::Integer(0));
    };
    let mut acked = 0;
    for id in ids {
        if let Some(p) = group.pel.remove(&id) {
            if let Some(cons) = group.consumers.get_mut(&p.consumer) {
                cons.pel.remove(&id);
            }
            acked += 1;
        }
    }
    Ok(Reply::Integer(acked))
}

pub fn xpending(s: &mut Cache, c: &Call) -> CmdResult {
    let argc = c.argc();
    if argc != 3 && !(6..=9).contains(&argc) {
        return Err(syntax());
    }
    let mut extended = None;
    if argc >= 6 {
        let mut at = 3;
        let mut min_idle = 0;
        if is(c.arg(3), "idle") {
            min_idle = int_arg(c.arg(4))?;
            if argc < 8 {
                return Err(syntax());
            }
            at += 2;
        }
        let count = int_arg(c.arg(at + 2))?.max(0) as usize;
        let (mut start, start_ex) = interval_id(c.arg(at), 0)?;
        if start_ex {
            start = start.next().ok_or_else(|| Reply::err("ERR invalid start ID for the interval"))?;
        }
        let (mut end, end_ex) = interval_id(c.arg(at + 1), u64::MAX)?;
        if end_ex {
            end = end.prev().ok_or_else(|| Reply::err("ERR invalid end ID for the interval"))?;
        }
        let consumer = (at + 3 < argc).then(|| c.arg(at + 3).to_vec());
        extended = Some((min_idle, start, end, count, consumer));
    }
    let (key, group_name) = (c.arg(1), c.arg(2));
    let group = match s.get_stream(c, key)? {
        Some(st) => st.groups.get(group_name),
        None => None,
    };
    let Some(group) = group else {
        return Err(nogroup(key, group_name));
    };
    match extended {
        None => {
            if group.pel.is_empty() {
                return Ok(Reply::Array(vec![Reply::Integer(0), Reply::Nil, Reply::Nil, Reply::NilArray]));
            }
            let first = group.pel.keys().next().copied().unwrap_or_default();
            let last = group.pel.keys().next_back().copied().unwrap_or_default();
            let per_consumer = group
                .consumers
                .iter()
                .filter(|(_, cons)| !cons.pel.is_empty())
                .map(|(name, cons)| Reply::Array(vec![Reply::bulk(name), Reply::bulk(cons.pel.len().to_string())]))
                .collect();
            Ok(Reply::Array(vec![
                Reply::Integer(group.pel.len() as i64),
                id_reply(first),
                id_reply(last),
                Reply::Array(per_consumer),
            ]))
        }
        Some((min_idle, start, end, count, consumer)) => {
            if start > end {
                return Ok(Reply::Array(Vec::new()));
            }
            let mut out = Vec::new();
            let ids: Box<dyn Iterator<Item = &StreamId>> = match &consumer {
                Some(name) => match group.consumers.get(name) {
                    Some(cons) => Box::new(cons.pel.range(start..=end)),
                    None => return Ok(Reply::Array(Vec::new())),
                },
                None => Box::new(group.pel.range(start..=end).map(|(id, _)| id)),
            };
            for id in ids {
                if out.len() >= count {
                    break;
                }
                let Some(p) = group.pel.get(id) else { continue };
                let idle = (c.now - p.delivery_time).max(0);
                if min_idle > 0 && idle < min_idle {
                    continue;
                }
                out.push(Reply::Array(vec![
                    id_reply(*id),
                    Reply::bulk(&p.consumer),
                    Reply::Integer(idle),
                    Reply::Integer(p.delivery_count as i64),
                ]));
            }
            Ok(Reply::Array(out))
        }
    }
}

/// Moves a pending entry to `consumer` (creating the consumer if needed).
fn reassign(group: &mut Group, id: StreamId, consumer: &[u8], now: i64) {
    group.touch_consumer(consumer, now);
    if let Some(p) = group.pel.get_mut(&id) {
        if p.consumer != consumer {
            let old = std::mem::replace(&mut p.consumer, consumer.to_vec());
            if let Some(prev) = group.consumers.get_mut(&old) {
                prev.pel.remove(&id);
            }
        }
    }
    if let Some(cons) = group.consumers.get_mut(consumer) {
        cons.pel.insert(id);
    }
}

/// Drops a pending entry whose stream entry was deleted.
fn forget_pending(group: &mut Group, id: StreamId) {
    if let Some(p) = group.pel.remove(&id) {
        if let Some(cons) = group.consumers.get_mut(&p.consumer) {
            cons.pel.remove(&id);
        }
    }
}

pub fn xclaim(s: &mut Cache, c: &Call) -> CmdResult {
    let (key, group_name, consumer) = (c.arg(1), c.arg(2), c.arg(3));
    let has_group = match s.get_stream(c, key)? {
        Some(st) => st.groups.contains_key(group_name),
        None => false,
    };
    if !has_group {
        return Err(nogroup(key, group_name));
    }
    let min_idle =
        args::parse_i64(c.arg(4)).ok_or_else(|| Reply::err("ERR Invalid min-idle-time argument for XCLAIM"))?.max(0);
    let mut ids = Vec::new();
    let mut j = 5;
    while j < c.argc() {
        match StreamId::parse(c.arg(j), 0) {
            Some(id) => ids.push(id),
            None => break,
        }
        j += 1;
    }
    let now = c.now;
    let (mut force, mut justid, mut retry, mut delivery, mut last_id) = (false, false, None, None, StreamId::MIN);
    while j < c.argc() {
        let more = j + 1 < c.argc();
        let opt = c.arg(j);
        let num = |what: &str| {
            args::parse_i64(c.arg(j + 1))
                .ok_or_else(|| Reply::Error(format!("ERR Invalid {what} option argument for XCLAIM")))
        };
        if is(opt, "force") {
            force = true;
        } else if is(opt, "justid") {
            justid = true;
        } else if is(opt, "idle") && more {
            delivery = Some(now.saturating_sub(num("IDLE")?));
            j += 1;
        } else if is(opt, "time") && more {
            delivery = Some(num("TIME")?);
            j += 1;
        } else if is(opt, "retrycount") && more {
            retry = Some(num("RETRYCOUNT")?);
            j += 1;
        } else if is(opt, "lastid") && more {
            last_id = strict_id(c.arg(j + 1))?;
            j += 1;
        } else {
            return Err(Reply::Error(format!("ERR Unrecognized XCLAIM option '{}'", args::text(opt))));
        }
        j += 1;
    }
    let delivery = match delivery {
        Some(t) if t < 0 || t > now => now,
        Some(t) => t,
        None => now,
    };
    let Some(stream) = s.get_stream(c, key)? else {
        return Err(nogroup(key, group_name));
    };
    let entries = stream.entries.clone();
    let Some(group) = stream.groups.get_mut(group_name) else {
        return Err(nogroup(key, group_name));
    };
    if last_id > group.last_id {
        group.last_id = last_id;
    }
    let mut out = Vec::new();
    for id in ids {
        if !entries.contains_key(&id) {
            forget_pending(group, id);
            continue;
        }
        let mut fresh = false;
        if force && !group.pel.contains_key(&id) {
            group.pel.insert(id, Pending { consumer: Vec::new(), delivery_time: now, delivery_count: 1 });
            fresh = true;
        }
        let Some(p) = group.pel.get(&id) else { continue };
        if !fresh && min_idle > 0 && now.saturating_sub(p.delivery_time) < min_idle {
            continue;
        }
        reassign(group, id, consumer, now);
        if let Some(p) = group.pel.get_mut(&id) {
            p.delivery_time = delivery;
            match retry {
                Some(n) if n >= 0 => p.delivery_count = n as u64,
                _ if !justid => p.delivery_count += 1,
                _ => {}
            }
        }
        if justid {
            out.push(id_reply(id));
        } else {
            out.push(match entries.get(&id) {
                Some(f) => entry_reply(id, f),
                None => Reply::Nil,
            });
        }
    }
    Ok(Reply::Array(out))
}

pub fn xautoclaim(s: &mut Cache, c: &Call) -> CmdResult {
    let (key, group_name, consumer) = (c.arg(1), c.arg(2), c.arg(3));
    let min_idle = args::parse_i64(c.arg(4))
        .ok_or_else(|| Reply::err("ERR Invalid min-idle-time argument for XAUTOCLAIM"))?
        .max(0);
    let (mut start, start_ex) = interval_id(c.arg(5), 0)?;
    if start_ex {
        start = start.next().ok_or_else(|| Reply::err("ERR invalid start ID for the interval"))?;
    }
    let (mut count, mut justid) = (100usize, false);
    let mut j = 6;
    while j < c.argc() {
        if is(c.arg(j), "count") && j + 1 < c.argc() {
            count = match args::parse_i64(c.arg(j + 1)) {
                Some(n) if (1..=i64::MAX / 16).contains(&n) => n as usize,
                _ => return Err(Reply::err("ERR COUNT must be > 0")),
            };
            j += 2;
        } else if is(c.arg(j), "justid") {
            justid = true;
            j += 1;
        } else {
            return Err(syntax());
        }
    }
    let now = c.now;
    let stream = match s.get_stream(c, key)? {
        Some(st) if st.groups.contains_key(group_name) => st,
        _ => return Err(nogroup(key, group_name)),
    };
    let entries = &stream.entries;
    let Some(group) = stream.groups.get_mut(group_name) else {
        return Err(nogroup(key, group_name));
    };
    let candidates: Vec<StreamId> = group.pel.range(start..).map(|(id, _)| *id).collect();
    let mut attempts = count.saturating_mul(10);
    let mut claimed = Vec::new();
    let mut deleted = Vec::new();
    let mut next_cursor = StreamId::MIN;
    let mut idx = 0;
    while attempts > 0 && count > 0 && idx < candidates.len() {
        attempts -= 1;
        let id = candidates[idx];
        idx += 1;
        if !entries.contains_key(&id) {
            forget_pending(group, id);
            deleted.push(id_reply(id));
            count -= 1;
            continue;
        }
        let Some(p) = group.pel.get(&id) else { continue };
        if min_idle > 0 && now.saturating_sub(p.delivery_time) < min_idle {
            continue;
        }
        reassign(group, id, consumer, now);
        if let Some(p) = group.pel.get_mut(&id) {
            p.delivery_time = now;
            if !justid {
                p.delivery_count += 1;
            }
        }
        claimed.push(if justid {
            id_reply(id)
        } else {
            match entries.get(&id) {
                Some(f) => entry_reply(id, f),
                None => Reply::Nil,
            }
        });
        count -= 1;
    }
    if let Some(id) = candidates.get(idx) {
        next_cursor = *id;
    }
    Ok(Reply::Array(vec![id_reply(next_cursor), Reply::Array(claimed), Reply::Array(deleted)]))
}

pub fn xsetid(s: &mut Cache, c: &Call) -> CmdResult {
    let id = strict_id(c.arg(2))?;
    let (mut entries_added, mut max_deleted) = (None, StreamId::MIN);
    let mut i = 3;
    while i < c.argc() {
        let more = i + 1 < c.argc();
        if is(c.arg(i), "entriesadded") && more {
            let n = int_arg(c.arg(i + 1))?;
            if n < 0 {
                return Err(Reply::err("ERR entries_added must be positive"));
            }
            entries_added = Some(n as u64);
        } else if is(c.arg(i), "maxdeletedid") && more {
            max_deleted = strict_id(c.arg(i + 1))?;
            if id < max_deleted {
                return Err(Reply::err(
                    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                ));
            }
        } else {
            return Err(syntax());
        }
        i += 2;
    }
    let Some(stream) = s.get_stream(c, c.arg(1))? else {
        return Err(Reply::err(args::NO_SUCH_KEY));
    };
    if id < stream.max_deleted_id {
        return Err(Reply::err("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id"));
    }
    if !stream.is_empty() {
        let top = stream.entries.keys().next_back().copied().unwrap_or_default();
        if id < top {
            return Err(Reply::err("ERR The ID specified in XSETID is smaller than the target stream top item"));
        }
        if entries_added.is_some_and(|n| (stream.len() as u64) > n) {
            return Err(Reply::err(
                "ERR The entries_added specified in XSETID is smaller than the target stream length",
            ));
        }
    }
    stream.last_id = id;
    if let Some(n) = entries_added {
        stream.entries_added = n;
    }
    if max_deleted != StreamId::MIN {
        stream.max_deleted_id = max_deleted;
    }
    Ok(Reply::ok())
}

/// XINFO GROUPS `lag`: entries added to the stream that the group has not read, when known.
fn lag(stream: &Stream, group: &Group) -> Reply {
    if stream.entries_added == 0 {
        return Reply::Integer(0);
    }
    if let Some(read) = group.entries_read {
        if !stream.range_has_tombstones(group.last_id) {
            return Reply::Integer(stream.entries_added as i64 - read as i64);
        }
    }
    match estimate_distance(stream, group.last_id) {
        Some(read) => Reply::Integer(stream.entries_added as i64 - read as i64),
        None => Reply::Nil,
    }
}

fn opt_int(n: Option<u64>) -> Reply {
    n.map(|v| Reply::Integer(v as i64)).unwrap_or(Reply::Nil)
}

const XINFO_HELP: &[&str] = &[
    "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
    "HELP",
    "    Print this help.",
];

pub fn xinfo(s: &mut Cache, c: &Call) -> CmdResult {
    let sub = args::text(c.arg(1)).to_ascii_lowercase();
    let ok = match sub.as_str() {
        "help" => c.argc() == 2,
        "stream" => c.argc() >= 3,
        "groups" => c.argc() == 3,
        "consumers" => c.argc() == 4,
        _ => return Err(Reply::Error(format!("ERR unknown subcommand '{}'. Try XINFO HELP.", args::text(c.arg(1))))),
    };
    if !ok {
        return Err(args::wrong_args(&format!("xinfo|{sub}")));
    }
    if sub == "help" {
        return Ok(Reply::statuses(XINFO_HELP));
    }
    let key = c.arg(2);
    let now = c.now;
    let Some(stream) = s.get_stream(c, key)? else {
        return Err(Reply::err(args::NO_SUCH_KEY));
    };
    let stream: &Stream = stream;
    match sub.as_str() {
        "groups" => Ok(Reply::Array(
            stream
                .groups
                .iter()
                .map(|(name, g)| {
                    Reply::map_from_flat(vec![
                        Reply::bulk("name"),
                        Reply::bulk(name),
                        Reply::bulk("consumers"),
                        Reply::Integer(g.consumers.len() as i64),
                        Reply::bulk("pending"),
                        Reply::Integer(g.pel.len() as i64),
                        Reply::bulk("last-delivered-id"),
                        id_reply(g.last_id),
                        Reply::bulk("entries-read"),
                        opt_int(g.entries_read),
                        Reply::bulk("lag"),
                        lag(stream, g),
                    ])
                })
                .collect(),
        )),
        "consumers" => {
            let group_name = c.arg(3);
            let Some(g) = stream.groups.get(group_name) else {
                return Err(Reply::Error(format!(
                    "NOGROUP No such consumer group '{}' for key name '{}'",
                    args::text(group_name),
                    args::text(key)
                )));
            };
            Ok(Reply::Array(
                g.consumers
                    .iter()
                    .map(|(name, cons)| {
                        Reply::map_from_flat(vec![
                            Reply::bulk("name"),
                            Reply::bulk(name),
                            Reply::bulk("pending"),
                            Reply::Integer(cons.pel.len() as i64),
                            Reply::bulk("idle"),
                            Reply::Integer((now - cons.seen_time).max(0)),
                        ])
                    })
                    .collect(),
            ))
        }
        _ => {
            let mut full = false;
            let mut count = 10usize;
            let mut i = 3;
            while i < c.argc() {
                if is(c.arg(i), "full") && !full {
                    full = true;
                    i += 1;
                } else if full && is(c.arg(i), "count") && i + 1 < c.argc() {
                    let n = int_arg(c.arg(i + 1))?;
                    count = if n <= 0 { usize::MAX } else { n as usize };
                    i += 2;
                } else {
                    return Err(syntax());
                }
            }
            let len = stream.len() as i64;
            let (rax_keys, rax_nodes) = stream.radix_tree_stats();
            let mut out = vec![
                Reply::bulk("length"),
                Reply::Integer(len),
                Reply::bulk("radix-tree-keys"),
                Reply::Integer(rax_keys as i64),
                Reply::bulk("radix-tree-nodes"),
                Reply::Integer(rax_nodes as i64),
                Reply::bulk("last-generated-id"),
                id_reply(stream.last_id),
                Reply::bulk("max-deleted-entry-id"),
                id_reply(stream.max_deleted_id),
                Reply::bulk("entries-added"),
                Reply::Integer(stream.entries_added as i64),
                Reply::bulk("recorded-first-entry-id"),
                id_reply(stream.first_id().unwrap_or(StreamId::MIN)),
            ];
            if !full {
                out.push(Reply::bulk("groups"));
                out.push(Reply::Integer(stream.groups.len() as i64));
                let first = stream.entries.iter().next().map(|(id, f)| entry_reply(*id, f));
                let last = stream.entries.iter().next_back().map(|(id, f)| entry_reply(*id, f));
                out.push(Reply::bulk("first-entry"));
                out.push(first.unwrap_or(Reply::Nil));
                out.push(Reply::bulk("last-entry"));
                out.push(last.unwrap_or(Reply::Nil));
                return Ok(Reply::map_from_flat(out));
            }
            out.push(Reply::bulk("entries"));
            out.push(Reply::Array(stream.entries.iter().take(count).map(|(id, f)| entry_reply(*id, f)).collect()));
            out.push(Reply::bulk("groups"));
            let groups = stream
                .groups
                .iter()
                .map(|(name, g)| {
                    let pending = g
                        .pel
                        .iter()
                        .take(count)
                        .map(|(id, p)| {
                            Reply::Array(vec![
                                id_reply(*id),
                                Reply::bulk(&p.consumer),
                                Reply::Integer(p.delivery_time),
                                Reply::Integer(p.delivery_count as i64),
                            ])
                        })
                        .collect();
                    let consumers = g
                        .consumers
                        .iter()
                        .map(|(cname, cons)| {
                            let own: Vec<Reply> = cons
                                .pel
                                .iter()
                                .take(count)
                                .filter_map(|id| g.pel.get(id).map(|p| (id, p)))
                                .map(|(id, p)| {
                                    Reply::Array(vec![
                                        id_reply(*id),
                                        Reply::Integer(p.delivery_time),
                                        Reply::Integer(p.delivery_count as i64),
                                    ])
                                })
                                .collect();
                            Reply::map_from_flat(vec![
                                Reply::bulk("name"),
                                Reply::bulk(cname),
                                Reply::bulk("seen-time"),
                                Reply::Integer(cons.seen_time),
                                Reply::bulk("pel-count"),
                                Reply::Integer(cons.pel.len() as i64),
                                Reply::bulk("pending"),
                                Reply::Array(own),
                            ])
                        })
                        .collect();
                    Reply::map_from_flat(vec![
                        Reply::bulk("name"),
                        Reply::bulk(name),
                        Reply::bulk("last-delivered-id"),
                        id_reply(g.last_id),
                        Reply::bulk("entries-read"),
                        opt_int(g.entries_read),
                        Reply::bulk("lag"),
                        lag(stream, g),
                        Reply::bulk("pel-count"),
                        Reply::Integer(g.pel.len() as i64),
                        Reply::bulk("pending"),
                        Reply::Array(pending),
                        Reply::bulk("consumers"),
                        Reply::Array(consumers),
                    ])
                })
                .collect();
            out.push(Reply::Array(groups));
            Ok(Reply::map_from_flat(out))
        }
    }
}
