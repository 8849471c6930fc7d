//! Server commands: PING, ECHO, INFO, CONFIG, TIME, CLIENT, ROLE, CLUSTER, MEMORY.

use super::super::args::{self, is, wrong_args};
use super::super::cluster::{key_slot, SLOTS};
use super::super::memory::{self, Policy};
use super::super::{Cache, Call, CmdResult, Protocol, Reply, DATABASES};

pub fn ping(s: &mut Cache, c: &Call) -> CmdResult {
    if c.argc() > 2 {
        return Err(wrong_args("ping"));
    }
    // A subscribed RESP2 connection reads replies and messages from one stream, so PING
    // answers in a message's shape there; RESP3 keeps messages apart and PING is plain.
    let subscribed =
        s.clients.get(&c.client).is_some_and(|cl| cl.subscriptions() > 0 && cl.protocol == Protocol::Resp2);
    if subscribed {
        return Ok(Reply::Array(vec![Reply::bulk("pong"), Reply::bulk(c.arg(1))]));
    }
    Ok(if c.argc() == 2 { Reply::bulk(c.arg(1)) } else { Reply::Status("PONG".into()) })
}

pub fn echo(_: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::bulk(c.arg(1)))
}

/// HELLO `[protover [AUTH username password] [SETNAME clientname]]`: picks the connection's
/// protocol and describes the server, as Redis 7.0's `helloCommand` does. The steps, in its
/// order (which decides which error a bad line gets):
///
/// 1. `protover` must be an integer (else `ERR Protocol version is not an integer or out of
///    range`) and 2 or 3 (else `NOPROTO unsupported protocol version`).
/// 2. The options, left to right: `AUTH` needs two words after it and `SETNAME` one, or the
///    option is a syntax error. `AUTH` checks the credentials at once; `SETNAME` sets the
///    name at once (so a later bad option leaves it set, as in Redis).
/// 3. Only then does the protocol switch, so the reply (a map of server facts) is already in
///    the new protocol: a flat array of 14 for `HELLO 2`, a map of 7 for `HELLO 3`. Without
///    `protover` the protocol stays.
pub fn hello(s: &mut Cache, c: &Call) -> CmdResult {
    let mut protocol = None;
    if c.argc() >= 2 {
        protocol = match args::parse_i64(c.arg(1)) {
            Some(2) => Some(Protocol::Resp2),
            Some(3) => Some(Protocol::Resp3),
            Some(_) => return Err(Reply::err("NOPROTO unsupported protocol version")),
            None => return Err(Reply::err("ERR Protocol version is not an integer or out of range")),
        };
    }
    let mut at = 2;
    while at < c.argc() {
        let more = c.argc() - 1 - at;
        if is(c.arg(at), "auth") && more >= 2 {
            authenticate(c.arg(at + 1), c.arg(at + 2))?;
            at += 3;
        } else if is(c.arg(at), "setname") && more >= 1 {
            set_client_name(s, c, c.arg(at + 1))?;
            at += 2;
        } else {
            return Err(Reply::Error(format!("ERR Syntax error in HELLO option '{}'", args::text(c.arg(at)))));
        }
    }
    let Some(client) = s.clients.get_mut(&c.client) else {
        return Err(Reply::err("ERR no such client"));
    };
    if let Some(p) = protocol {
        client.protocol = p;
    }
    let proto = client.protocol.version();
    let role = if s.replica_of.is_some() { "replica" } else { "master" };
    let mode = if s.cluster.is_some() { "cluster" } else { "standalone" };
    Ok(Reply::map_from_flat(vec![
        Reply::bulk("server"),
        Reply::bulk("redis"),
        Reply::bulk("version"),
        Reply::bulk(REDIS_VERSION),
        Reply::bulk("proto"),
        Reply::Integer(proto),
        Reply::bulk("id"),
        Reply::Integer(c.client as i64),
        Reply::bulk("mode"),
        Reply::bulk(mode),
        Reply::bulk("role"),
        Reply::bulk(role),
        Reply::bulk("modules"),
        Reply::Array(Vec::new()),
    ]))
}

/// The version this engine answers as (HELLO, INFO), the one FACTS.md gives ElastiCache nodes.
pub const REDIS_VERSION: &str = "7.0.15";

/// HELLO's AUTH against the only user the lab's nodes have: `default`, with no password (an
/// ElastiCache node without an AUTH token). Like Redis's `nopass` user, it accepts any
/// password; any other user name does not exist.
fn authenticate(user: &[u8], _password: &[u8]) -> Result<(), Reply> {
    if user == b"default" {
        Ok(())
    } else {
        Err(Reply::err("WRONGPASS invalid username-password pair or user is disabled."))
    }
}

/// CLIENT SETNAME and HELLO SETNAME: printable characters without spaces (an empty name
/// clears it).
fn set_client_name(s: &mut Cache, c: &Call, name: &[u8]) -> Result<(), Reply> {
    if name.iter().any(|&b| b <= b' ' || b > b'~') {
        return Err(Reply::err("ERR Client names cannot contain spaces, newlines or special characters."));
    }
    if let Some(cl) = s.clients.get_mut(&c.client) {
        cl.name = name.to_vec();
    }
    Ok(())
}

pub fn ok(_: &mut Cache, _: &Call) -> CmdResult {
    Ok(Reply::ok())
}

/// READONLY / READWRITE: whether a cluster replica serves this connection's reads.
fn set_readonly(s: &mut Cache, c: &Call, readonly: bool) -> CmdResult {
    if s.cluster.is_none() {
        return Err(Reply::err("ERR This instance has cluster support disabled"));
    }
    if let Some(client) = s.clients.get_mut(&c.client) {
        client.readonly = readonly;
    }
    Ok(Reply::ok())
}

pub fn readonly(s: &mut Cache, c: &Call) -> CmdResult {
    set_readonly(s, c, true)
}

pub fn readwrite(s: &mut Cache, c: &Call) -> CmdResult {
    set_readonly(s, c, false)
}

pub fn quit(_: &mut Cache, _: &Call) -> CmdResult {
    Ok(Reply::ok())
}

pub fn bgsave(_: &mut Cache, _: &Call) -> CmdResult {
    Ok(Reply::Status("Background saving started".into()))
}

pub fn reset(s: &mut Cache, c: &Call) -> CmdResult {
    let id = c.client;
    s.disconnect(id);
    s.clients.insert(id, Default::default());
    Ok(Reply::Status("RESET".into()))
}

pub fn time(_: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::Array(vec![Reply::bulk((c.now / 1000).to_string()), Reply::bulk(((c.now % 1000) * 1000).to_string())]))
}

pub fn lastsave(s: &mut Cache, _: &Call) -> CmdResult {
    Ok(Reply::Integer(s.started_at / 1000))
}

fn human_bytes(n: u64) -> String {
    let n = n as f64;
    if n < 1024.0 {
        format!("{}B", n)
    } else if n < 1024.0 * 1024.0 {
        format!("{:.2}K", n / 1024.0)
    } else if n < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2}M", n / (1024.0 * 1024.0))
    } else {
        format!("{:.2}G", n / (1024.0 * 1024.0 * 1024.0))
    }
}

/// The INFO text: `# Section` headers, `field:value` lines, CRLF line ends, as Redis prints.
pub fn info_text(s: &Cache, now: i64, sections: &[String]) -> String {
    let all = sections.is_empty() || sections.iter().any(|x| x == "all" || x == "everything" || x == "default");
    let want = |name: &str| all || sections.iter().any(|x| x == name);
    let mut parts: Vec<String> = Vec::new();
    let uptime = ((now - s.started_at).max(0)) / 1000;
    if want("server") {
        parts.push(format!(
            "# Server\r\nredis_version:{REDIS_VERSION}\r\nredis_git_sha1:00000000\r\nredis_mode:{}\r\nos:DB Lab (simulated)\r\narch_bits:64\r\nprocess_id:1\r\ntcp_port:6379\r\nuptime_in_seconds:{}\r\nuptime_in_days:{}\r\nhz:10\r\nexecutable:/usr/local/bin/redis-server\r\n",
            if s.cluster.is_some() { "cluster" } else { "standalone" },
            uptime,
            uptime / 86400
        ));
    }
    if want("clients") {
        let blocked = 0;
        let pubsub = s.clients.values().filter(|c| c.subscriptions() > 0).count();
        parts.push(format!(
            "# Clients\r\nconnected_clients:{}\r\nblocked_clients:{blocked}\r\npubsub_clients:{pubsub}\r\nmaxclients:10000\r\n",
            s.clients.len()
        ));
    }
    if want("memory") {
        let used = s.used_memory();
        parts.push(format!(
            "# Memory\r\nused_memory:{used}\r\nused_memory_human:{}\r\nmaxmemory:{}\r\nmaxmemory_human:{}\r\nmaxmemory_policy:{}\r\n",
            human_bytes(used),
            s.config.maxmemory,
            human_bytes(s.config.maxmemory),
            s.config.maxmemory_policy.name()
        ));
    }
    if want("stats") {
        let st = &s.stats;
        parts.push(format!(
            "# Stats\r\ntotal_connections_received:{}\r\ntotal_commands_processed:{}\r\nexpired_keys:{}\r\nevicted_keys:{}\r\nkeyspace_hits:{}\r\nkeyspace_misses:{}\r\npubsub_channels:{}\r\npubsub_patterns:{}\r\n",
            st.total_connections,
            st.total_commands,
            st.expired_keys,
            st.evicted_keys,
            st.keyspace_hits,
            st.keyspace_misses,
            s.channels.len(),
            s.patterns.len()
        ));
    }
    if want("replication") {
        let text = match &s.replica_of {
            Some(primary) => {
                let (host, port) = primary.split_once(':').unwrap_or((primary.as_str(), "6379"));
                format!(
                    "# Replication\r\nrole:slave\r\nmaster_host:{host}\r\nmaster_port:{port}\r\nmaster_link_status:up\r\nslave_repl_offset:{}\r\nconnected_slaves:0\r\n",
                    s.applied_offset()
                )
            }
            None => {
                let mut text = format!("# Replication\r\nrole:master\r\nconnected_slaves:{}\r\n", s.replicas.len());
                for (i, r) in s.replicas.iter().enumerate() {
                    text.push_str(&format!(
                        "slave{i}:ip={},port={},state=online,offset={},lag=0\r\n",
                        r.address, r.port, r.offset
                    ));
                }
                text.push_str(&format!("master_repl_offset:{}\r\n", s.repl_offset));
                text
            }
        };
        parts.push(text);
    }
    if want("keyspace") {
        let mut text = "# Keyspace\r\n".to_string();
        for (i, db) in s.dbs.iter().enumerate() {
            let keys = db.entries().filter(|(_, e)| e.expires_at.is_none_or(|t| t > now)).count();
            if keys > 0 {
                text.push_str(&format!("db{i}:keys={keys},expires={},avg_ttl=0\r\n", db.volatile_count()));
            }
        }
        parts.push(text);
    }
    parts.join("\r\n")
}

/// INFO: a report for eyes, so a verbatim string in RESP3 (`=len\r\ntxt:...`), a bulk in RESP2.
pub fn info(s: &mut Cache, c: &Call) -> CmdResult {
    let sections: Vec<String> = c.args_from(1).iter().map(|a| args::text(a).to_ascii_lowercase()).collect();
    Ok(Reply::Verbatim(info_text(s, c.now, &sections).into_bytes()))
}

/// The parameters CONFIG GET knows, with their current values.
fn config_params(s: &Cache) -> Vec<(&'static str, String)> {
    vec![
        ("maxmemory", s.config.maxmemory.to_string()),
        ("maxmemory-policy", s.config.maxmemory_policy.name().to_string()),
        ("maxmemory-samples", s.config.maxmemory_samples.to_string()),
        ("databases", DATABASES.to_string()),
        ("port", "6379".to_string()),
        ("appendonly", "no".to_string()),
        ("save", String::new()),
        ("timeout", "0".to_string()),
        ("cluster-enabled", if s.cluster.is_some() { "yes" } else { "no" }.to_string()),
        ("notify-keyspace-events", String::new()),
        ("stream-node-max-entries", "100".to_string()),
        ("hash-max-listpack-entries", "128".to_string()),
        ("list-max-listpack-size", "-2".to_string()),
        ("set-max-intset-entries", "512".to_string()),
        ("zset-max-listpack-entries", "128".to_string()),
    ]
}

pub fn config(s: &mut Cache, c: &Call) -> CmdResult {
    let sub = args::text(c.arg(1)).to_ascii_lowercase();
    match sub.as_str() {
        "get" => {
            if c.argc() < 3 {
                return Err(wrong_args("config|get"));
            }
            // A map of parameter to value (RESP2: one flat array).
            let mut out = Vec::new();
            for (name, value) in config_params(s) {
                if c.args_from(2).iter().any(|p| super::super::glob::matches(&p.to_ascii_lowercase(), name.as_bytes()))
                {
                    out.push((Reply::bulk(name), Reply::bulk(value)));
                }
            }
            Ok(Reply::Map(out))
        }
        "set" => {
            if c.argc() < 4 || !c.argc().is_multiple_of(2) {
                return Err(wrong_args("config|set"));
            }
            for pair in c.args_from(2).chunks(2) {
                let name = args::text(&pair[0]).to_ascii_lowercase();
                let value = args::text(&pair[1]);
                let bad = |reason: &str| {
                    Reply::Error(format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}"))
                };
                match name.as_str() {
                    "maxmemory" => {
                        s.config.maxmemory = memory::parse_size(&value).ok_or_else(|| bad("argument must be a memory value"))?
                    }
                    "maxmemory-policy" => {
                        s.config.maxmemory_policy = Policy::parse(&value).ok_or_else(|| bad("argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"))?
                    }
                    "maxmemory-samples" => {
                        s.config.maxmemory_samples = value
                            .parse::<u64>()
                            .ok()
                            .filter(|n| (1..=64).contains(n))
                            .ok_or_else(|| bad("argument must be between 1 and 64 inclusive"))?
                    }
                    _ => return Err(Reply::Error(format!("ERR Unknown option or number of arguments for CONFIG SET - '{name}'"))),
                }
            }
            // Lowering maxmemory evicts at once, as Redis does.
            let _ = memory::make_room(s, c.now);
            Ok(Reply::ok())
        }
        "resetstat" if c.argc() == 2 => {
            s.stats = Default::default();
            Ok(Reply::ok())
        }
        "rewrite" if c.argc() == 2 => Ok(Reply::ok()),
        "help" if c.argc() == 2 => Ok(Reply::statuses(&[
            "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
            "HELP",
            "    Print this help.",
        ])),
        "resetstat" | "rewrite" | "help" => Err(wrong_args(&format!("config|{sub}"))),
        _ => Err(Reply::Error(format!("ERR unknown subcommand '{}'. Try CONFIG HELP.", args::text(c.arg(1))))),
    }
}

pub fn client(s: &mut Cache, c: &Call) -> CmdResult {
    let sub = args::text(c.arg(1)).to_ascii_lowercase();
    match sub.as_str() {
        "id" => Ok(Reply::Integer(c.client as i64)),
        "setname" if c.argc() == 3 => {
            set_client_name(s, c, c.arg(2))?;
            Ok(Reply::ok())
        }
        "getname" => {
            let name = s.clients.get(&c.client).map(|cl| cl.name.clone()).unwrap_or_default();
            Ok(if name.is_empty() { Reply::Nil } else { Reply::Bulk(name) })
        }
        "list" | "info" => {
            let mut text = String::new();
            for (id, cl) in &s.clients {
                if sub == "info" && *id != c.client {
                    continue;
                }
                text.push_str(&format!(
                    "id={id} addr=127.0.0.1:{} laddr=127.0.0.1:6379 fd={} name={} db={} sub={} psub={} multi={} cmd=client|{sub} user=default redir=-1 resp={}\n",
                    50000 + id,
                    7 + id,
                    String::from_utf8_lossy(&cl.name),
                    cl.db,
                    cl.channels.len(),
                    cl.patterns.len(),
                    cl.multi.as_ref().map(|q| q.len() as i64).unwrap_or(-1),
                    cl.protocol.version()
                ));
            }
            Ok(Reply::Verbatim(text.into_bytes()))
        }
        // CLIENT SETINFO (LIB-NAME / LIB-VER) arrived in Redis 7.2; the lab's nodes are 7.0.15,
        // which answer `ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.` (the catch-all
        // below), as recorded in tests/fixtures/resp3/session.txt. redis-py 8 sends both
        // after HELLO and ignores an error reply to them (`except ResponseError: pass`), so
        // the faithful answer costs nothing. The same goes for CLIENT MAINT_NOTIFICATIONS
        // (Redis 8), whose error redis-py only logs under its default `enabled="auto"`.
        "no-evict" | "no-touch" | "reply" => Ok(Reply::ok()),
        _ => Err(Reply::Error(format!("ERR unknown subcommand '{}'. Try CLIENT HELP.", args::text(c.arg(1))))),
    }
}

/// `COMMAND` and its subcommands: what each command is (its arity, flags and where its keys
/// are), as Redis 7.0 describes itself. A cluster client reads it to route each command to
/// the shard that owns its keys (redis-py's `RedisCluster` runs `COMMAND` when it starts and
/// `COMMAND GETKEYS` for a command whose keys move).
pub fn command(_: &mut Cache, c: &Call) -> CmdResult {
    use super::super::table::{self, COMMANDS};
    if c.argc() == 1 {
        return Ok(Reply::Array(COMMANDS.iter().map(command_info).collect()));
    }
    match args::text(c.arg(1)).to_ascii_lowercase().as_str() {
        "count" if c.argc() == 2 => Ok(Reply::Integer(COMMANDS.len() as i64)),
        // redis-cli asks `COMMAND DOCS` at start-up; an empty answer is fine (a map of
        // command name to its docs, so `%0` in RESP3).
        "docs" => Ok(Reply::Map(Vec::new())),
        // With no names, every command, as Redis 7.0 answers.
        "info" if c.argc() == 2 => Ok(Reply::Array(COMMANDS.iter().map(command_info).collect())),
        "info" => {
            Ok(Reply::Array((2..c.argc()).map(|i| table::lookup(c.arg(i)).map_or(Reply::Nil, command_info)).collect()))
        }
        "list" if c.argc() == 2 => Ok(Reply::Array(COMMANDS.iter().map(|s| Reply::bulk(s.name)).collect())),
        "getkeys" if c.argc() >= 3 => {
            let argv: Vec<Vec<u8>> = (2..c.argc()).map(|i| c.arg(i).to_vec()).collect();
            let Some(spec) = table::lookup(&argv[0]) else {
                return Err(Reply::err("ERR Invalid command specified"));
            };
            if matches!(spec.keys, table::Keys::None) {
                return Err(Reply::err("ERR The command has no key arguments"));
            }
            if !table::arity_ok(spec, argv.len()) {
                return Err(Reply::err("ERR Invalid number of arguments specified for command"));
            }
            let keys: Vec<Reply> = table::keys_of(spec, &argv).map(Reply::bulk).collect();
            if keys.is_empty() {
                return Err(Reply::err("ERR Invalid arguments specified for command"));
            }
            Ok(Reply::Array(keys))
        }
        sub @ ("count" | "list" | "getkeys") => Err(wrong_args(&format!("command|{sub}"))),
        _ => Err(Reply::Error(format!("ERR unknown subcommand '{}'. Try COMMAND HELP.", args::text(c.arg(1))))),
    }
}

/// One command as `COMMAND INFO` gives it: name, arity, flags, first key, last key, step,
/// ACL categories, tips, key specifications and subcommands (the last three empty here).
fn command_info(spec: &super::super::table::Spec) -> Reply {
    use super::super::table::{key_positions, DENYOOM, WRITE};
    let (first, last, step, movable) = key_positions(spec);
    // `readonly` is for commands that read keys; one that touches none (PING, MULTI) has neither.
    let mut flags = Vec::new();
    if spec.flags & WRITE != 0 {
        flags.push("write");
    } else if !matches!(spec.keys, super::super::table::Keys::None) {
        flags.push("readonly");
    }
    if spec.flags & DENYOOM != 0 {
        flags.push("denyoom");
    }
    if matches!(spec.name, "subscribe" | "unsubscribe" | "psubscribe" | "punsubscribe" | "publish" | "pubsub") {
        flags.push("pubsub");
    }
    if movable {
        flags.push("movablekeys");
    }
    let category = if spec.flags & WRITE != 0 { "@write" } else { "@read" };
    Reply::Array(vec![
        Reply::bulk(spec.name),
        Reply::Integer(spec.arity.into()),
        Reply::Set(flags.into_iter().map(|f| Reply::Status(f.into())).collect()),
        Reply::Integer(first),
        Reply::Integer(last),
        Reply::Integer(step),
        Reply::Set(vec![Reply::Status(category.into())]),
        Reply::Array(Vec::new()),
        Reply::Array(Vec::new()),
        Reply::Array(Vec::new()),
    ])
}

pub fn role(s: &mut Cache, _: &Call) -> CmdResult {
    Ok(match &s.replica_of {
        Some(primary) => {
            let (host, port) = primary.split_once(':').unwrap_or((primary.as_str(), "6379"));
            Reply::Array(vec![
                Reply::bulk("slave"),
                Reply::bulk(host),
                Reply::Integer(port.parse().unwrap_or(6379)),
                Reply::bulk("connected"),
                Reply::Integer(s.repl_offset as i64),
            ])
        }
        None => {
            Reply::Array(vec![Reply::bulk("master"), Reply::Integer(s.repl_offset as i64), Reply::Array(Vec::new())])
        }
    })
}

pub fn memory(s: &mut Cache, c: &Call) -> CmdResult {
    let sub = args::text(c.arg(1)).to_ascii_lowercase();
    match sub.as_str() {
        "usage" if c.argc() >= 3 => Ok(match s.db(c).get(c.arg(2), c.now) {
            Some(e) => Reply::Integer((c.arg(2).len() + 64 + e.value.approx_bytes()) as i64),
            None => Reply::Nil,
        }),
        "usage" => Err(wrong_args("memory|usage")),
        "doctor" => Ok(Reply::Verbatim(
            b"Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base."
                .to_vec(),
        )),
        _ => Err(Reply::Error(format!("ERR unknown subcommand '{}'. Try MEMORY HELP.", args::text(c.arg(1))))),
    }
}

pub fn cluster(s: &mut Cache, c: &Call) -> CmdResult {
    let sub = args::text(c.arg(1)).to_ascii_lowercase();
    let Some(node) = s.cluster.clone() else {
        return Err(Reply::err("ERR This instance has cluster support disabled"));
    };
    match sub.as_str() {
        "keyslot" if c.argc() == 3 => Ok(Reply::Integer(key_slot(c.arg(2)) as i64)),
        "countkeysinslot" if c.argc() == 3 => {
            let slot = args::parse_i64(c.arg(2))
                .filter(|n| (0..SLOTS as i64).contains(n))
                .ok_or_else(|| Reply::err("ERR Invalid slot"))?;
            let n = s.dbs[0].live_keys(c.now).iter().filter(|k| key_slot(k) as i64 == slot).count();
            Ok(Reply::Integer(n as i64))
        }
        "getkeysinslot" if c.argc() == 4 => {
            let slot = args::parse_i64(c.arg(2))
                .filter(|n| (0..SLOTS as i64).contains(n))
                .ok_or_else(|| Reply::err("ERR Invalid slot"))?;
            let count = args::parse_i64(c.arg(3))
                .filter(|n| *n >= 0)
                .ok_or_else(|| Reply::err("ERR Invalid number of keys"))?;
            let mut keys: Vec<Vec<u8>> =
                s.dbs[0].live_keys(c.now).into_iter().filter(|k| key_slot(k) as i64 == slot).collect();
            keys.sort();
            keys.truncate(count as usize);
            Ok(Reply::bulks(keys))
        }
        "slots" => Ok(Reply::Array(
            node.shards
                .iter()
                .flat_map(|sh| {
                    sh.ranges.iter().map(move |&(a, b)| {
                        Reply::Array(vec![
                            Reply::Integer(a as i64),
                            Reply::Integer(b as i64),
                            Reply::Array(vec![
                                Reply::bulk(&sh.host),
                                Reply::Integer(sh.port as i64),
                                Reply::bulk(&sh.node_id),
                            ]),
                        ])
                    })
                })
                .collect(),
        )),
        "shards" => Ok(Reply::Array(
            node.shards
                .iter()
                .map(|sh| {
                    let slots = sh
                        .ranges
                        .iter()
                        .flat_map(|&(a, b)| [Reply::Integer(a as i64), Reply::Integer(b as i64)])
                        .collect();
                    Reply::map_from_flat(vec![
                        Reply::bulk("slots"),
                        Reply::Array(slots),
                        Reply::bulk("nodes"),
                        Reply::Array(vec![Reply::map_from_flat(vec![
                            Reply::bulk("id"),
                            Reply::bulk(&sh.node_id),
                            Reply::bulk("port"),
                            Reply::Integer(sh.port as i64),
                            Reply::bulk("ip"),
                            Reply::bulk(&sh.host),
                            Reply::bulk("endpoint"),
                            Reply::bulk(&sh.host),
                            Reply::bulk("role"),
                            Reply::bulk("master"),
                            Reply::bulk("replication-offset"),
                            Reply::Integer(0),
                            Reply::bulk("health"),
                            Reply::bulk("online"),
                        ])]),
                    ])
                })
                .collect(),
        )),
        "nodes" => {
            let mut text = String::new();
            for (i, sh) in node.shards.iter().enumerate() {
                let flags = if i == node.me { "myself,master" } else { "master" };
                let ranges: Vec<String> =
                    sh.ranges.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
                text.push_str(&format!(
                    "{} {}:{}@1{} {} - 0 0 {} connected {}\n",
                    sh.node_id,
                    sh.host,
                    sh.port,
                    sh.port,
                    flags,
                    i + 1,
                    ranges.join(" ")
                ));
            }
            Ok(Reply::Verbatim(text.into_bytes()))
        }
        "info" => {
            let n = node.shards.len();
            Ok(Reply::Verbatim(
                format!(
                    "cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:{n}\r\ncluster_size:{n}\r\ncluster_current_epoch:{n}\r\ncluster_my_epoch:{}\r\n",
                    node.me + 1
                )
                .into_bytes(),
            ))
        }
        "myid" => Ok(Reply::bulk(node.shards.get(node.me).map(|s| s.node_id.clone()).unwrap_or_default())),
        _ => Err(Reply::Error(format!(
            "ERR unknown subcommand or wrong number of arguments for '{}'. Try CLUSTER HELP.",
            args::text(c.arg(1))
        ))),
    }
}
