//! `cache`: a Redis-compatible engine that answers like Redis 7.0.15.
//!
//! This is what the simulated ElastiCache nodes run, and what `redis-cli` on `laptop` talks to.
//! It is a pure library: time comes in as `now` (lab milliseconds), randomness from the seeded
//! [`Rng`], and a reply goes out as a typed [`Reply`].
//!
//! # The life of a command
//!
//! Take `SET greeting hello EX 60` typed by connection 3:
//!
//! 1. The caller (the shell's redis-cli, the conformance replay, `dblab conform redis`) holds
//!    a [`ClientId`] from [`Cache::connect`] and calls [`Cache::execute`] with the argv and `now`.
//! 2. [`table`] looks the name up (case-insensitively) and checks the arity: a wrong count is
//!    `ERR wrong number of arguments for 'set' command` before anything else happens.
//! 3. The connection's state gets its say: a subscribed RESP2 connection may only (un)subscribe
//!    and ping; inside MULTI the command is queued and answered `QUEUED` (see `cmd/transactions.rs`).
//! 4. With `maxmemory` set, a command that may grow memory first evicts keys under the
//!    `maxmemory-policy`, or fails with `OOM` under `noeviction` ([`memory`]).
//! 5. The command's handler runs: one file per command family under [`cmd`] (strings, hashes,
//!    lists, sets, sorted sets, streams, keys, server, pub/sub, transactions), each handler
//!    parsing its own options with [`args`] and working on the [`keyspace::Db`] of the
//!    connection's selected database. Lookups expire due keys lazily.
//! 6. A write tells WATCHers their keys changed, and wakes nothing by itself: a blocking command
//!    (BLPOP with no data) comes back as [`Outcome::Blocked`], and the caller runs it again when
//!    another connection writes, or gives up at its deadline on the lab clock.
//! 7. The reply comes back typed (a map, a set, a double ...) and is lowered to RESP2's types
//!    unless the connection said `HELLO 3` ([`resp`]); `reply.to_resp(cache.protocol(id))` is
//!    its bytes on a socket.
//! 8. Messages published to channels are queued per connection; the caller collects them with
//!    [`Cache::take_pushes`] and shows them in the subscriber's terminal (or writes them on
//!    the socket: push frames in RESP3).
//!
//! # Where things are
//!
//! | file            | what it holds                                                        |
//! |-----------------|----------------------------------------------------------------------|
//! | `reply.rs`      | the typed reply (RESP3's types), `%.17g` floats, recordings' JSON    |
//! | `resp.rs`       | RESP2 and RESP3 bytes for a connection's protocol, lowering to RESP2 |
//! | `request.rs`    | a client's bytes as commands (RESP arrays, inline), errors           |
//! | `args.rs`       | Redis's number parsing and its error texts                           |
//! | `table.rs`      | every command: arity, flags, key positions, handler                  |
//! | `keyspace.rs`   | one database: values, deadlines, lazy and active expiry              |
//! | `zset.rs`       | the sorted set (hash + ordered set), score and lex ranges            |
//! | `stream.rs`     | stream entries, consumer groups, and Redis's node layout for XINFO   |
//! | `cmd/*.rs`      | the handlers, one file per command family                            |
//! | `memory.rs`     | memory estimate, maxmemory and the eviction policies                 |
//! | `rdb/`          | DUMP / RESTORE payloads: RDB encoding, listpack, LZF, CRC-64         |
//! | `cluster.rs`    | CRC16 slots, hash tags, CROSSSLOT and MOVED                          |
//! | `replication.rs`| the write backlog, replicas applying it, promotion                   |
//! | `glob.rs`       | KEYS / SCAN MATCH / PSUBSCRIBE patterns                              |
//! | `maps.rs`       | deterministic hash maps and how they are saved as JSON               |

pub mod args;
pub mod cluster;
pub mod cmd;
pub mod glob;
pub mod keyspace;
pub mod maps;
pub mod memory;
pub mod rdb;
pub mod replication;
pub mod reply;
pub mod request;
pub mod resp;
pub mod stream;
pub mod table;
pub mod zset;

use crate::engines::rng::Rng;
use keyspace::Db;
pub use reply::{Protocol, Reply};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Number of databases, as in Redis's default configuration.
pub const DATABASES: usize = 16;

/// Identifies one connection (Redis's `CLIENT ID`).
pub type ClientId = u64;

/// What a handler returns: `Err` carries an error reply so handlers can use `?`.
pub type CmdResult = Result<Reply, Reply>;

/// One connection's state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Client {
    /// The selected database (SELECT).
    pub db: usize,
    /// Commands queued since MULTI; `None` outside a transaction.
    pub multi: Option<Vec<Vec<Vec<u8>>>>,
    /// A command queued inside MULTI was rejected: EXEC will answer EXECABORT.
    pub multi_failed: bool,
    /// Keys this connection WATCHes: (database, key).
    pub watched: Vec<(usize, Vec<u8>)>,
    /// One of the watched keys was modified: EXEC will answer a null array.
    pub watch_dirty: bool,
    /// Subscribed channels and patterns.
    pub channels: BTreeSet<Vec<u8>>,
    pub patterns: BTreeSet<Vec<u8>>,
    /// Messages delivered to this connection and not yet shown.
    pub pushes: Vec<Reply>,
    /// CLIENT SETNAME.
    pub name: Vec<u8>,
    /// READONLY: on a cluster replica, this connection may read its shard's keys.
    pub readonly: bool,
    /// The RESP this connection reads: RESP2 until `HELLO 3`. Replies and pushes are lowered
    /// to RESP2 for a RESP2 connection (see `resp.rs`), and only a RESP2 connection is
    /// limited to (un)subscribing while it has subscriptions.
    #[serde(default)]
    pub protocol: Protocol,
}

impl Client {
    pub fn subscriptions(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }
}

/// The server settings CONFIG GET/SET reach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Bytes; 0 means no limit.
    pub maxmemory: u64,
    pub maxmemory_policy: memory::Policy,
    /// Keys sampled per eviction (maxmemory-samples).
    pub maxmemory_samples: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config { maxmemory: 0, maxmemory_policy: memory::Policy::NoEviction, maxmemory_samples: 5 }
    }
}

/// Counters INFO stats reports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub evicted_keys: u64,
    pub expired_keys: u64,
    pub total_commands: u64,
    pub total_connections: u64,
    pub pubsub_messages: u64,
    /// Messages received by subscribers, per channel (not in INFO: lessons check that a
    /// published message reached someone).
    pub delivered: BTreeMap<Vec<u8>, u64>,
}

/// What `execute` produced.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Reply(Reply),
    /// A blocking command found nothing to return: run it again after another connection's
    /// write, or answer [`Cache::timeout_reply`] once `deadline` (lab ms; `None` = forever) passes.
    Blocked {
        deadline: Option<i64>,
    },
}

/// The whole server: 16 databases, the connections, settings and counters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    pub dbs: Vec<Db>,
    pub clients: BTreeMap<ClientId, Client>,
    next_client: ClientId,
    pub config: Config,
    pub stats: Stats,
    rng: Rng,
    /// Channel -> subscribed connections (and pattern -> connections).
    pub channels: BTreeMap<Vec<u8>, BTreeSet<ClientId>>,
    pub patterns: BTreeMap<Vec<u8>, BTreeSet<ClientId>>,
    /// When the server started (INFO uptime).
    pub started_at: i64,
    /// Cluster mode state, when this server is one node of a cluster.
    pub cluster: Option<cluster::ClusterNode>,
    /// Set by a blocking handler that found nothing: the deadline it waits for.
    #[serde(skip)]
    block_request: Option<Option<i64>>,
    /// How many WATCHes exist across connections (a write checks watchers only when > 0).
    watch_count: usize,
    /// Replication: this server is a replica (read-only) when set.
    pub replica_of: Option<String>,
    /// Replication offset: bytes of write commands this server has run.
    pub repl_offset: u64,
    /// A primary's recent writes, for replicas to catch up from (see [`replication`]).
    pub backlog: std::collections::VecDeque<replication::ReplEntry>,
    /// Whether writes are kept in the backlog (a replica is attached).
    keep_backlog: bool,
    /// On a replica: the primary's offset applied so far.
    applied_offset: u64,
    /// On a replica: the connection the replication stream is applied through.
    repl_client: Option<ClientId>,
    /// On a primary: the replicas attached, as INFO replication lists them (kept up to date
    /// by whoever carries the stream, the cloud layer).
    pub replicas: Vec<replication::AttachedReplica>,
}

/// One command being executed: who sent it, in which database, when.
pub struct Call<'a> {
    pub argv: &'a [Vec<u8>],
    pub client: ClientId,
    pub db: usize,
    pub now: i64,
    /// False inside EXEC: blocking commands then answer as if they timed out.
    pub may_block: bool,
}

impl<'a> Call<'a> {
    /// Argument `i` (0 is the command name); empty if missing (arity checks ran before).
    pub fn arg(&self, i: usize) -> &'a [u8] {
        self.argv.get(i).map(|v| v.as_slice()).unwrap_or(&[])
    }
    pub fn args_from(&self, i: usize) -> &'a [Vec<u8>] {
        self.argv.get(i..).unwrap_or(&[])
    }
    pub fn argc(&self) -> usize {
        self.argv.len()
    }
    /// The command name in lower case, as error messages quote it.
    pub fn name(&self) -> String {
        String::from_utf8_lossy(self.arg(0)).to_ascii_lowercase()
    }
}

impl Cache {
    pub fn new(seed: u64, now: i64) -> Cache {
        Cache {
            dbs: (0..DATABASES).map(|_| Db::default()).collect(),
            clients: BTreeMap::new(),
            next_client: 1,
            config: Config::default(),
            stats: Stats::default(),
            rng: Rng::new(seed),
            channels: BTreeMap::new(),
            patterns: BTreeMap::new(),
            started_at: now,
            cluster: None,
            block_request: None,
            watch_count: 0,
            replica_of: None,
            repl_offset: 0,
            backlog: Default::default(),
            keep_backlog: false,
            applied_offset: 0,
            repl_client: None,
            replicas: Vec::new(),
        }
    }

    /// Opens a connection (database 0).
    pub fn connect(&mut self) -> ClientId {
        let id = self.next_client;
        self.next_client += 1;
        self.clients.insert(id, Client::default());
        self.stats.total_connections += 1;
        id
    }

    /// Closes a connection: its subscriptions and watches go with it.
    pub fn disconnect(&mut self, client: ClientId) {
        if let Some(state) = self.clients.remove(&client) {
            for ch in state.channels {
                cmd::pubsub::forget(&mut self.channels, &ch, client);
            }
            for p in state.patterns {
                cmd::pubsub::forget(&mut self.patterns, &p, client);
            }
            self.watch_count -= state.watched.len();
        }
    }

    /// The RESP the connection speaks (RESP2 for a connection that does not exist). Encode its
    /// replies and pushes with `reply.to_resp(cache.protocol(client))`.
    pub fn protocol(&self, client: ClientId) -> Protocol {
        self.clients.get(&client).map(|c| c.protocol).unwrap_or_default()
    }

    /// Messages published to this connection's channels since the last call, already in the
    /// connection's protocol (RESP3 push frames, or RESP2 arrays).
    pub fn take_pushes(&mut self, client: ClientId) -> Vec<Reply> {
        self.clients.get_mut(&client).map(|c| std::mem::take(&mut c.pushes)).unwrap_or_default()
    }

    /// Reads a key's value without side effects (no expiry, no statistics): for inspectors and
    /// lesson checks.
    pub fn peek(&self, db: usize, key: &[u8], now: i64) -> Option<&keyspace::Value> {
        self.dbs.get(db)?.peek(key, now).map(|e| &e.value)
    }

    /// Whether `key` of database `db` ran out of time ([`keyspace::Db::expired`]).
    pub fn expired(&self, db: usize, key: &[u8], now: i64) -> bool {
        self.dbs.get(db).is_some_and(|d| d.expired(key, now))
    }

    pub fn client(&self, client: ClientId) -> Option<&Client> {
        self.clients.get(&client)
    }

    pub(crate) fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// Runs one command and returns its reply; a blocking command that would wait answers as
    /// if its timeout had passed (what a caller that cannot wait wants, e.g. the conformance
    /// replay).
    pub fn call(&mut self, client: ClientId, argv: &[Vec<u8>], now: i64) -> Reply {
        match self.execute(client, argv, now) {
            Outcome::Reply(r) => r,
            Outcome::Blocked { .. } => Self::timeout_reply(argv),
        }
    }

    /// What a blocking command answers when its timeout passes: a null array (BLPOP, BZPOPMIN,
    /// BLMPOP, XREAD...) or a null bulk (BLMOVE, BRPOPLPUSH).
    pub fn timeout_reply(argv: &[Vec<u8>]) -> Reply {
        let name = argv.first().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        match name.as_slice() {
            b"blmove" | b"brpoplpush" => Reply::Nil,
            _ => Reply::NilArray,
        }
    }

    /// Runs one command for `client` at lab time `now`. The reply is in the connection's
    /// protocol as it stands after the command (HELLO 3 already answers in RESP3): typed for
    /// RESP3, lowered to RESP2's types otherwise ([`Reply::for_protocol`]).
    pub fn execute(&mut self, client: ClientId, argv: &[Vec<u8>], now: i64) -> Outcome {
        if let std::collections::btree_map::Entry::Vacant(slot) = self.clients.entry(client) {
            slot.insert(Client::default());
            self.next_client = self.next_client.max(client + 1);
        }
        self.block_request = None;
        let reply = self.dispatch(client, argv, now, true).for_protocol(self.protocol(client));
        match self.block_request.take() {
            Some(deadline) if !reply.is_error() => Outcome::Blocked { deadline },
            _ => Outcome::Reply(reply),
        }
    }

    fn dispatch(&mut self, client: ClientId, argv: &[Vec<u8>], now: i64, may_block: bool) -> Reply {
        let Some(name) = argv.first() else {
            return Reply::err("ERR unknown command '', with args beginning with: ");
        };
        let Some(spec) = table::lookup(name) else {
            let mut msg = format!("ERR unknown command '{}', with args beginning with: ", args::text(name));
            for a in argv.iter().skip(1) {
                msg.push_str(&format!("'{}' ", args::text(a)));
            }
            self.flag_multi_error(client);
            return Reply::Error(msg);
        };
        if !table::arity_ok(spec, argv.len()) {
            self.flag_multi_error(client);
            return args::wrong_args(&spec.full_name(argv));
        }
        let state = self.clients.get(&client);
        let in_multi = state.is_some_and(|c| c.multi.is_some());
        // RESP2 cannot tell a reply from a message, so a subscribed RESP2 connection may only
        // manage its subscriptions; RESP3 pushes messages out of band and allows everything.
        let subscribed = state.is_some_and(|c| c.subscriptions() > 0 && c.protocol == Protocol::Resp2);
        if subscribed && spec.flags & table::PUBSUB_OK == 0 {
            return Reply::Error(format!(
                "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
                spec.full_name(argv)
            ));
        }
        if in_multi && spec.flags & table::TX_CONTROL == 0 {
            if let Some(c) = self.clients.get_mut(&client) {
                if let Some(queue) = c.multi.as_mut() {
                    queue.push(argv.to_vec());
                }
            }
            return Reply::Status("QUEUED".into());
        }
        let db = self.clients.get(&client).map(|c| c.db).unwrap_or(0);
        let call = Call { argv, client, db, now, may_block };
        self.run(spec, &call)
    }

    /// Runs a looked-up, arity-checked command (also used by EXEC for queued commands).
    pub(crate) fn run(&mut self, spec: &table::Spec, call: &Call) -> Reply {
        self.stats.total_commands += 1;
        // In a cluster a replica redirects to its primary; outside one it refuses writes.
        if let Some(err) = self.check_cluster(spec, call) {
            return err;
        }
        if spec.flags & table::WRITE != 0 && self.replica_of.is_some() {
            return Reply::err("READONLY You can't write against a read only replica.");
        }
        if spec.flags & table::DENYOOM != 0 && self.config.maxmemory > 0 {
            if let Err(e) = memory::make_room(self, call.now) {
                return e;
            }
        }
        let reply = match (spec.handler)(self, call) {
            Ok(r) | Err(r) => r,
        };
        if spec.flags & table::WRITE != 0 && !reply.is_error() {
            if self.watch_count > 0 {
                for key in table::keys_of(spec, call.argv) {
                    self.touch_watched(call.db, key);
                }
            }
            self.record_write(call.db, call.argv, call.now);
        }
        reply
    }

    fn flag_multi_error(&mut self, client: ClientId) {
        if let Some(c) = self.clients.get_mut(&client) {
            if c.multi.is_some() {
                c.multi_failed = true;
            }
        }
    }

    /// Marks every connection WATCHing `key` in `db` as dirty.
    pub(crate) fn touch_watched(&mut self, db: usize, key: &[u8]) {
        if self.watch_count == 0 {
            return;
        }
        for c in self.clients.values_mut() {
            if c.watched.iter().any(|(d, k)| *d == db && k == key) {
                c.watch_dirty = true;
            }
        }
    }

    /// Marks every connection WATCHing anything in `db` (or any db) as dirty (FLUSHDB, SWAPDB).
    pub(crate) fn touch_all_watched(&mut self, db: Option<usize>) {
        for c in self.clients.values_mut() {
            if c.watched.iter().any(|(d, _)| db.is_none_or(|x| x == *d)) {
                c.watch_dirty = true;
            }
        }
    }

    pub(crate) fn add_watch_count(&mut self, n: isize) {
        self.watch_count = (self.watch_count as isize + n).max(0) as usize;
    }

    /// A blocking handler found nothing: ask the caller to wait (or answer its timeout now
    /// when waiting is impossible, inside EXEC).
    pub(crate) fn block(&mut self, call: &Call, timeout_ms: i64) -> CmdResult {
        if call.may_block {
            let deadline = if timeout_ms == 0 { None } else { Some(call.now.saturating_add(timeout_ms)) };
            self.block_request = Some(deadline);
        }
        Ok(Self::timeout_reply(call.argv))
    }

    /// The active expiry cycle: removes expired keys in every database (at most `budget`).
    pub fn sweep_expired(&mut self, now: i64, budget: usize) -> usize {
        let mut removed = 0;
        for db in &mut self.dbs {
            if removed >= budget {
                break;
            }
            removed += db.sweep_expired(now, budget - removed);
        }
        self.stats.expired_keys += removed as u64;
        removed
    }

    /// Approximate memory in use, in bytes (INFO used_memory, maxmemory).
    pub fn used_memory(&self) -> u64 {
        memory::BASELINE + self.dbs.iter().map(|db| db.approx_bytes() as u64).sum::<u64>()
    }

    /// Cluster routing: CROSSSLOT, MOVED to the shard that owns the slot, and on a replica
    /// MOVED to its own primary unless the connection said READONLY and only reads.
    fn check_cluster(&mut self, spec: &table::Spec, call: &Call) -> Option<Reply> {
        let node = self.cluster.as_ref()?;
        let keys: Vec<&[u8]> = table::keys_of(spec, call.argv).collect();
        if let Some(err) = node.route(&keys) {
            return Some(err);
        }
        let first = keys.first()?;
        let readonly = self.clients.get(&call.client).is_some_and(|c| c.readonly);
        if self.replica_of.is_some() && (spec.flags & table::WRITE != 0 || !readonly) {
            let primary = node.shards.get(node.me)?;
            let slot = cluster::key_slot(first);
            return Some(Reply::Error(format!("MOVED {slot} {}:{}", primary.host, primary.port)));
        }
        None
    }
}

#[cfg(test)]
mod tests;
