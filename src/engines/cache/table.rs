//! The command table: every command's name, arity, flags, where its keys are, and handler.
//!
//! Arity follows Redis's convention: `3` means exactly three words including the name, `-3`
//! means at least three. Flags say how the server treats the command around its handler
//! (writes notify WATCH and are refused by replicas; `DENYOOM` commands trigger eviction).

use super::cmd::{hashes, keys, lists, pubsub, server, sets, streams, strings, transactions, zsets};
use super::maps::FxMap;
use super::{Cache, Call, CmdResult};
use std::sync::OnceLock;

pub type Handler = fn(&mut Cache, &Call) -> CmdResult;

pub const WRITE: u32 = 1;
pub const DENYOOM: u32 = 2;
/// Allowed while the connection is subscribed (RESP2).
pub const PUBSUB_OK: u32 = 4;
/// Runs immediately even inside MULTI (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET).
pub const TX_CONTROL: u32 = 8;

const W: u32 = WRITE | DENYOOM;
const WD: u32 = WRITE; // writes that only delete
const R: u32 = 0;

/// Where a command's key arguments are.
#[derive(Clone, Copy, Debug)]
pub enum Keys {
    None,
    /// Keys at `first`, then every `step`, up to `last` (negative counts from the end).
    Range(i32, i32, i32),
    /// A count at `at` followed by that many keys; `dest` means argument 1 is a key too.
    NumKeys {
        at: usize,
        dest: bool,
    },
    /// XREAD and XREADGROUP: after the word `STREAMS`, the first half of what follows.
    Streams,
}

pub struct Spec {
    pub name: &'static str,
    pub arity: i32,
    pub flags: u32,
    pub keys: Keys,
    pub handler: Handler,
}

impl Spec {
    /// The name as arity errors quote it: `xgroup|help` for container commands.
    pub fn full_name(&self, _argv: &[Vec<u8>]) -> String {
        self.name.to_string()
    }
}

const fn k1() -> Keys {
    Keys::Range(1, 1, 1)
}
const fn kall() -> Keys {
    Keys::Range(1, -1, 1)
}

macro_rules! commands {
    ($( $name:literal, $arity:expr, $flags:expr, $keys:expr, $handler:expr; )*) => {
        &[ $( Spec { name: $name, arity: $arity, flags: $flags, keys: $keys, handler: $handler }, )* ]
    };
}

pub static COMMANDS: &[Spec] = commands! {
    // strings
    "get", 2, R, k1(), strings::get;
    "set", -3, W, k1(), strings::set;
    "setnx", 3, W, k1(), strings::setnx;
    "setex", 4, W, k1(), strings::setex;
    "psetex", 4, W, k1(), strings::psetex;
    "getset", 3, W, k1(), strings::getset;
    "getdel", 2, WD, k1(), strings::getdel;
    "getex", -2, WD, k1(), strings::getex;
    "mget", -2, R, kall(), strings::mget;
    "mset", -3, W, Keys::Range(1, -1, 2), strings::mset;
    "msetnx", -3, W, Keys::Range(1, -1, 2), strings::msetnx;
    "incr", 2, W, k1(), strings::incr;
    "decr", 2, W, k1(), strings::decr;
    "incrby", 3, W, k1(), strings::incrby;
    "decrby", 3, W, k1(), strings::decrby;
    "incrbyfloat", 3, W, k1(), strings::incrbyfloat;
    "append", 3, W, k1(), strings::append;
    "strlen", 2, R, k1(), strings::strlen;
    "setrange", 4, W, k1(), strings::setrange;
    "getrange", 4, R, k1(), strings::getrange;
    "substr", 4, R, k1(), strings::getrange;
    "lcs", -3, R, Keys::Range(1, 2, 1), strings::lcs;
    "setbit", 4, W, k1(), strings::setbit;
    "getbit", 3, R, k1(), strings::getbit;
    "bitcount", -2, R, k1(), strings::bitcount;
    // keys
    "del", -2, WD, kall(), keys::del;
    "unlink", -2, WD, kall(), keys::del;
    "exists", -2, R, kall(), keys::exists;
    "type", 2, R, k1(), keys::type_;
    "rename", 3, WD, Keys::Range(1, 2, 1), keys::rename;
    "renamenx", 3, WD, Keys::Range(1, 2, 1), keys::renamenx;
    "copy", -3, W, Keys::Range(1, 2, 1), keys::copy;
    "keys", 2, R, Keys::None, keys::keys;
    "scan", -2, R, Keys::None, keys::scan;
    "randomkey", 1, R, Keys::None, keys::randomkey;
    "dbsize", 1, R, Keys::None, keys::dbsize;
    "flushdb", -1, WD, Keys::None, keys::flushdb;
    "flushall", -1, WD, Keys::None, keys::flushall;
    "select", 2, R, Keys::None, keys::select;
    "swapdb", 3, WD, Keys::None, keys::swapdb;
    "move", 3, WD, k1(), keys::move_;
    "touch", -2, R, kall(), keys::touch;
    "expire", -3, WD, k1(), keys::expire;
    "pexpire", -3, WD, k1(), keys::pexpire;
    "expireat", -3, WD, k1(), keys::expireat;
    "pexpireat", -3, WD, k1(), keys::pexpireat;
    "ttl", 2, R, k1(), keys::ttl;
    "pttl", 2, R, k1(), keys::pttl;
    "expiretime", 2, R, k1(), keys::expiretime;
    "pexpiretime", 2, R, k1(), keys::pexpiretime;
    "persist", 2, WD, k1(), keys::persist;
    "object", -2, R, Keys::None, keys::object;
    "dump", 2, R, k1(), keys::dump;
    "restore", -4, W, k1(), keys::restore;
    "sort", -2, W, k1(), keys::sort;
    "sort_ro", -2, R, k1(), keys::sort;
    // hashes
    "hset", -4, W, k1(), hashes::hset;
    "hmset", -4, W, k1(), hashes::hmset;
    "hsetnx", 4, W, k1(), hashes::hsetnx;
    "hget", 3, R, k1(), hashes::hget;
    "hmget", -3, R, k1(), hashes::hmget;
    "hdel", -3, WD, k1(), hashes::hdel;
    "hlen", 2, R, k1(), hashes::hlen;
    "hstrlen", 3, R, k1(), hashes::hstrlen;
    "hexists", 3, R, k1(), hashes::hexists;
    "hkeys", 2, R, k1(), hashes::hkeys;
    "hvals", 2, R, k1(), hashes::hvals;
    "hgetall", 2, R, k1(), hashes::hgetall;
    "hincrby", 4, W, k1(), hashes::hincrby;
    "hincrbyfloat", 4, W, k1(), hashes::hincrbyfloat;
    "hrandfield", -2, R, k1(), hashes::hrandfield;
    "hscan", -3, R, k1(), hashes::hscan;
    // lists
    "lpush", -3, W, k1(), lists::lpush;
    "rpush", -3, W, k1(), lists::rpush;
    "lpushx", -3, W, k1(), lists::lpushx;
    "rpushx", -3, W, k1(), lists::rpushx;
    "lpop", -2, WD, k1(), lists::lpop;
    "rpop", -2, WD, k1(), lists::rpop;
    "llen", 2, R, k1(), lists::llen;
    "lindex", 3, R, k1(), lists::lindex;
    "lset", 4, W, k1(), lists::lset;
    "lrange", 4, R, k1(), lists::lrange;
    "ltrim", 4, WD, k1(), lists::ltrim;
    "linsert", 5, W, k1(), lists::linsert;
    "lrem", 4, WD, k1(), lists::lrem;
    "lpos", -3, R, k1(), lists::lpos;
    "lmove", 5, W, Keys::Range(1, 2, 1), lists::lmove;
    "rpoplpush", 3, W, Keys::Range(1, 2, 1), lists::rpoplpush;
    "lmpop", -4, WD, Keys::NumKeys { at: 1, dest: false }, lists::lmpop;
    "blpop", -3, WD, Keys::Range(1, -2, 1), lists::blpop;
    "brpop", -3, WD, Keys::Range(1, -2, 1), lists::brpop;
    "blmove", 6, W, Keys::Range(1, 2, 1), lists::blmove;
    "brpoplpush", 4, W, Keys::Range(1, 2, 1), lists::brpoplpush;
    "blmpop", -5, WD, Keys::NumKeys { at: 2, dest: false }, lists::blmpop;
    // sets
    "sadd", -3, W, k1(), sets::sadd;
    "srem", -3, WD, k1(), sets::srem;
    "smembers", 2, R, k1(), sets::smembers;
    "sismember", 3, R, k1(), sets::sismember;
    "smismember", -3, R, k1(), sets::smismember;
    "scard", 2, R, k1(), sets::scard;
    "spop", -2, WD, k1(), sets::spop;
    "srandmember", -2, R, k1(), sets::srandmember;
    "smove", 4, W, Keys::Range(1, 2, 1), sets::smove;
    "sinter", -2, R, kall(), sets::sinter;
    "sintercard", -3, R, Keys::NumKeys { at: 1, dest: false }, sets::sintercard;
    "sinterstore", -3, W, kall(), sets::sinterstore;
    "sunion", -2, R, kall(), sets::sunion;
    "sunionstore", -3, W, kall(), sets::sunionstore;
    "sdiff", -2, R, kall(), sets::sdiff;
    "sdiffstore", -3, W, kall(), sets::sdiffstore;
    "sscan", -3, R, k1(), sets::sscan;
    // sorted sets
    "zadd", -4, W, k1(), zsets::zadd;
    "zincrby", 4, W, k1(), zsets::zincrby;
    "zrem", -3, WD, k1(), zsets::zrem;
    "zcard", 2, R, k1(), zsets::zcard;
    "zscore", 3, R, k1(), zsets::zscore;
    "zmscore", -3, R, k1(), zsets::zmscore;
    "zrank", 3, R, k1(), zsets::zrank;
    "zrevrank", 3, R, k1(), zsets::zrevrank;
    "zcount", 4, R, k1(), zsets::zcount;
    "zlexcount", 4, R, k1(), zsets::zlexcount;
    "zrange", -4, R, k1(), zsets::zrange;
    "zrangestore", -5, W, Keys::Range(1, 2, 1), zsets::zrangestore;
    "zrevrange", -4, R, k1(), zsets::zrevrange;
    "zrangebyscore", -4, R, k1(), zsets::zrangebyscore;
    "zrevrangebyscore", -4, R, k1(), zsets::zrevrangebyscore;
    "zrangebylex", -4, R, k1(), zsets::zrangebylex;
    "zrevrangebylex", -4, R, k1(), zsets::zrevrangebylex;
    "zremrangebyrank", 4, WD, k1(), zsets::zremrangebyrank;
    "zremrangebyscore", 4, WD, k1(), zsets::zremrangebyscore;
    "zremrangebylex", 4, WD, k1(), zsets::zremrangebylex;
    "zpopmin", -2, WD, k1(), zsets::zpopmin;
    "zpopmax", -2, WD, k1(), zsets::zpopmax;
    "bzpopmin", -3, WD, Keys::Range(1, -2, 1), zsets::bzpopmin;
    "bzpopmax", -3, WD, Keys::Range(1, -2, 1), zsets::bzpopmax;
    "zmpop", -4, WD, Keys::NumKeys { at: 1, dest: false }, zsets::zmpop;
    "bzmpop", -5, WD, Keys::NumKeys { at: 2, dest: false }, zsets::bzmpop;
    "zunion", -3, R, Keys::NumKeys { at: 1, dest: false }, zsets::zunion;
    "zinter", -3, R, Keys::NumKeys { at: 1, dest: false }, zsets::zinter;
    "zdiff", -3, R, Keys::NumKeys { at: 1, dest: false }, zsets::zdiff;
    "zunionstore", -4, W, Keys::NumKeys { at: 2, dest: true }, zsets::zunionstore;
    "zinterstore", -4, W, Keys::NumKeys { at: 2, dest: true }, zsets::zinterstore;
    "zdiffstore", -4, W, Keys::NumKeys { at: 2, dest: true }, zsets::zdiffstore;
    "zintercard", -3, R, Keys::NumKeys { at: 1, dest: false }, zsets::zintercard;
    "zrandmember", -2, R, k1(), zsets::zrandmember;
    "zscan", -3, R, k1(), zsets::zscan;
    // streams
    "xadd", -5, W, k1(), streams::xadd;
    "xrange", -4, R, k1(), streams::xrange;
    "xrevrange", -4, R, k1(), streams::xrevrange;
    "xlen", 2, R, k1(), streams::xlen;
    "xdel", -3, WD, k1(), streams::xdel;
    "xtrim", -4, WD, k1(), streams::xtrim;
    "xread", -4, R, Keys::Streams, streams::xread;
    "xreadgroup", -7, W, Keys::Streams, streams::xreadgroup;
    "xgroup", -2, W, Keys::Range(2, 2, 1), streams::xgroup;
    "xack", -4, WD, k1(), streams::xack;
    "xpending", -3, R, k1(), streams::xpending;
    "xclaim", -6, W, k1(), streams::xclaim;
    "xautoclaim", -6, W, k1(), streams::xautoclaim;
    "xinfo", -2, R, Keys::None, streams::xinfo;
    "xsetid", -3, W, k1(), streams::xsetid;
    // pub/sub
    "subscribe", -2, PUBSUB_OK, Keys::None, pubsub::subscribe;
    "unsubscribe", -1, PUBSUB_OK, Keys::None, pubsub::unsubscribe;
    "psubscribe", -2, PUBSUB_OK, Keys::None, pubsub::psubscribe;
    "punsubscribe", -1, PUBSUB_OK, Keys::None, pubsub::punsubscribe;
    "publish", 3, R, Keys::None, pubsub::publish;
    "pubsub", -2, R, Keys::None, pubsub::pubsub;
    // transactions
    "multi", 1, TX_CONTROL, Keys::None, transactions::multi;
    "exec", 1, TX_CONTROL, Keys::None, transactions::exec;
    "discard", 1, TX_CONTROL, Keys::None, transactions::discard;
    "watch", -2, TX_CONTROL, kall(), transactions::watch;
    "unwatch", 1, R, Keys::None, transactions::unwatch;
    // server
    "ping", -1, PUBSUB_OK, Keys::None, server::ping;
    "echo", 2, R, Keys::None, server::echo;
    "hello", -1, PUBSUB_OK, Keys::None, server::hello;
    "quit", -1, PUBSUB_OK | TX_CONTROL, Keys::None, server::quit;
    "reset", 1, PUBSUB_OK | TX_CONTROL, Keys::None, server::reset;
    "info", -1, R, Keys::None, server::info;
    "config", -2, R, Keys::None, server::config;
    "time", 1, R, Keys::None, server::time;
    "lastsave", 1, R, Keys::None, server::lastsave;
    "client", -2, R, Keys::None, server::client;
    "command", -1, R, Keys::None, server::command;
    "role", 1, R, Keys::None, server::role;
    "asking", 1, R, Keys::None, server::ok;
    "readonly", 1, R, Keys::None, server::readonly;
    "readwrite", 1, R, Keys::None, server::readwrite;
    "save", 1, R, Keys::None, server::ok;
    "bgsave", -1, R, Keys::None, server::bgsave;
    "cluster", -2, R, Keys::None, server::cluster;
    "memory", -2, R, Keys::None, server::memory;
};

fn index() -> &'static FxMap<&'static [u8], usize> {
    static INDEX: OnceLock<FxMap<&'static [u8], usize>> = OnceLock::new();
    INDEX.get_or_init(|| COMMANDS.iter().enumerate().map(|(i, s)| (s.name.as_bytes(), i)).collect())
}

/// Finds a command by name, case-insensitively.
pub fn lookup(name: &[u8]) -> Option<&'static Spec> {
    let mut buf = [0u8; 24];
    let lower = buf.get_mut(..name.len())?;
    for (d, s) in lower.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    index().get(&*lower).and_then(|&i| COMMANDS.get(i))
}

pub fn arity_ok(spec: &Spec, argc: usize) -> bool {
    let argc = argc as i32;
    if spec.arity >= 0 {
        argc == spec.arity
    } else {
        argc >= -spec.arity
    }
}

/// What `COMMAND` says of a command's keys: the first, the last and the step (Redis's legacy
/// triple, `0 0 0` when there are none), and whether they move (`movablekeys`: a client must
/// ask `COMMAND GETKEYS` for them, as redis-py's cluster client does for `ZUNIONSTORE`).
pub fn key_positions(spec: &Spec) -> (i64, i64, i64, bool) {
    match spec.keys {
        Keys::None => (0, 0, 0, false),
        Keys::Range(first, last, step) => (first.into(), last.into(), step.into(), false),
        Keys::NumKeys { dest: true, .. } => (1, 1, 1, true),
        Keys::NumKeys { dest: false, .. } | Keys::Streams => (0, 0, 0, true),
    }
}

/// The key arguments of a command line, following its key specification.
pub fn keys_of<'a>(spec: &Spec, argv: &'a [Vec<u8>]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let n = argv.len() as i32;
    let positions: Vec<usize> = match spec.keys {
        Keys::None => Vec::new(),
        Keys::Range(first, last, step) => {
            let last = if last < 0 { n + last } else { last.min(n - 1) };
            let mut out = Vec::new();
            let mut i = first;
            while i <= last && step > 0 {
                out.push(i as usize);
                i += step;
            }
            out
        }
        Keys::NumKeys { at, dest } => {
            // The count is the client's: never more keys than there are words after it.
            let after = argv.len().saturating_sub(at + 1);
            let count =
                argv.get(at).and_then(|a| super::args::parse_i64(a)).unwrap_or(0).clamp(0, after as i64) as usize;
            let mut out: Vec<usize> = if dest { vec![1] } else { Vec::new() };
            out.extend(at + 1..at + 1 + count);
            out
        }
        // The word STREAMS after the command's fixed words (XREADGROUP GROUP g c: a group or a
        // consumer may be called "streams").
        Keys::Streams => {
            let fixed = if argv.first().is_some_and(|a| a.eq_ignore_ascii_case(b"xreadgroup")) { 4 } else { 1 };
            match argv.iter().skip(fixed).position(|a| a.eq_ignore_ascii_case(b"streams")) {
                Some(at) => {
                    let at = at + fixed;
                    (at + 1..at + 1 + (argv.len() - at - 1) / 2).collect()
                }
                None => Vec::new(),
            }
        }
    };
    positions.into_iter().filter_map(move |i| argv.get(i).map(|a| a.as_slice()))
}
