//! Behaviour tests of the cache engine, driven through the command interface with a hand-moved
//! clock (no sleeping).

use super::*;

fn argv(line: &str) -> Vec<Vec<u8>> {
    line.split_whitespace().map(|w| w.as_bytes().to_vec()).collect()
}

struct Lab {
    cache: Cache,
    now: i64,
}

impl Lab {
    fn new() -> Lab {
        Lab { cache: Cache::new(7, 1_000_000), now: 1_000_000 }
    }
    fn run(&mut self, client: ClientId, line: &str) -> Reply {
        self.cache.call(client, &argv(line), self.now)
    }
}

fn bulk(s: &str) -> Reply {
    Reply::bulk(s)
}

#[test]
fn strings_and_counters() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    assert_eq!(lab.run(c, "SET a 1"), Reply::ok());
    assert_eq!(lab.run(c, "INCR a"), Reply::Integer(2));
    assert_eq!(lab.run(c, "INCRBYFLOAT a 0.5"), bulk("2.5"));
    assert_eq!(lab.run(c, "INCR a"), Reply::err(args::NOT_INTEGER));
    assert_eq!(lab.run(c, "GET missing"), Reply::Nil);
    assert_eq!(lab.run(c, "APPEND s hello"), Reply::Integer(5));
    assert_eq!(lab.run(c, "GETRANGE s 1 -2"), bulk("ell"));
    assert_eq!(lab.run(c, "SET s x NX"), Reply::Nil);
    assert_eq!(lab.run(c, "set"), Reply::err("ERR wrong number of arguments for 'set' command"));
    assert_eq!(lab.run(c, "LPUSH s x"), Reply::err(args::WRONGTYPE));
}

#[test]
fn expiry_is_lazy_and_active() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    lab.run(c, "SET k v EX 10");
    assert_eq!(lab.run(c, "TTL k"), Reply::Integer(10));
    lab.now += 9_400;
    assert_eq!(lab.run(c, "TTL k"), Reply::Integer(1));
    lab.now += 600;
    assert_eq!(lab.run(c, "GET k"), Reply::Nil);
    lab.run(c, "SET j v PX 5");
    lab.now += 10;
    assert_eq!(lab.cache.sweep_expired(lab.now, 100), 1);
    assert_eq!(lab.run(c, "DBSIZE"), Reply::Integer(0));
    assert_eq!(lab.run(c, "EXPIRE nokey 10"), Reply::Integer(0));
    lab.run(c, "SET p v");
    assert_eq!(lab.run(c, "EXPIRE p 10 GT"), Reply::Integer(0));
    assert_eq!(lab.run(c, "EXPIRE p 10 NX"), Reply::Integer(1));
    assert_eq!(lab.run(c, "PERSIST p"), Reply::Integer(1));
    assert_eq!(lab.run(c, "TTL p"), Reply::Integer(-1));
}

#[test]
fn transactions_and_watch() {
    let mut lab = Lab::new();
    let a = lab.cache.connect();
    let b = lab.cache.connect();
    assert_eq!(lab.run(a, "MULTI"), Reply::ok());
    assert_eq!(lab.run(a, "INCR n"), Reply::Status("QUEUED".into()));
    assert_eq!(lab.run(a, "INCR n"), Reply::Status("QUEUED".into()));
    assert_eq!(lab.run(a, "EXEC"), Reply::Array(vec![Reply::Integer(1), Reply::Integer(2)]));
    lab.run(a, "WATCH n");
    lab.run(a, "MULTI");
    lab.run(a, "INCR n");
    lab.run(b, "SET n 10");
    assert_eq!(lab.run(a, "EXEC"), Reply::NilArray);
    lab.run(a, "MULTI");
    lab.run(a, "NOSUCH");
    assert_eq!(lab.run(a, "EXEC"), Reply::err("EXECABORT Transaction discarded because of previous errors."));
}

#[test]
fn pubsub_delivers_to_subscribers() {
    let mut lab = Lab::new();
    let sub = lab.cache.connect();
    let publ = lab.cache.connect();
    assert_eq!(lab.run(sub, "SUBSCRIBE news"), Reply::Array(vec![bulk("subscribe"), bulk("news"), Reply::Integer(1)]));
    lab.run(sub, "PSUBSCRIBE n*");
    assert!(lab.run(sub, "GET x").is_error());
    assert_eq!(lab.run(publ, "PUBLISH news hi"), Reply::Integer(2));
    let pushes = lab.cache.take_pushes(sub);
    assert_eq!(pushes.len(), 2);
    assert_eq!(pushes[0], Reply::Array(vec![bulk("message"), bulk("news"), bulk("hi")]));
}

#[test]
fn blocking_pop_waits_then_wakes() {
    let mut lab = Lab::new();
    let a = lab.cache.connect();
    let b = lab.cache.connect();
    let cmd = argv("BLPOP q 5");
    assert_eq!(lab.cache.execute(a, &cmd, lab.now), Outcome::Blocked { deadline: Some(lab.now + 5000) });
    lab.run(b, "RPUSH q job");
    assert_eq!(lab.cache.execute(a, &cmd, lab.now), Outcome::Reply(Reply::Array(vec![bulk("q"), bulk("job")])));
}

#[test]
fn eviction_under_maxmemory() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    lab.run(c, "CONFIG SET maxmemory 880000");
    for i in 0..200 {
        lab.run(c, &format!("SET key:{i} {}", "x".repeat(100)));
    }
    // noeviction: writes fail once over the limit.
    assert_eq!(lab.run(c, "SET one more"), Reply::err(args::OOM));
    lab.run(c, "CONFIG SET maxmemory-policy allkeys-lru");
    assert_eq!(lab.run(c, "SET one more"), Reply::ok());
    assert!(lab.cache.stats.evicted_keys > 0);
    assert!(lab.cache.used_memory() <= 880_000 + 1000);
}

#[test]
fn streams_and_groups() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    assert_eq!(lab.run(c, "XADD s 1-1 a 1"), bulk("1-1"));
    assert_eq!(lab.run(c, "XADD s * b 2"), bulk("1000000-0"));
    assert_eq!(lab.run(c, "XGROUP CREATE s g 0"), Reply::ok());
    let read = lab.run(c, "XREADGROUP GROUP g alice COUNT 1 STREAMS s >");
    assert_eq!(
        read,
        Reply::Array(vec![Reply::Array(vec![
            bulk("s"),
            Reply::Array(vec![Reply::Array(vec![bulk("1-1"), Reply::bulks(["a", "1"])])])
        ])])
    );
    assert_eq!(lab.run(c, "XACK s g 1-1"), Reply::Integer(1));
    assert_eq!(lab.run(c, "XLEN s"), Reply::Integer(2));
}

#[test]
fn saved_and_restored_as_json() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    lab.run(c, "HSET h f v");
    lab.run(c, "ZADD z 1.5 a");
    lab.run(c, "ZADD z +inf b");
    lab.run(c, "XADD s * f v");
    let json = serde_json::to_string(&lab.cache).unwrap();
    let back: Cache = serde_json::from_str(&json).unwrap();
    assert_eq!(back, lab.cache);
}

#[test]
fn random_commands_never_panic() {
    for seed in [7, 42, 99, 2026] {
        random_session(seed);
    }
}

/// One seeded run of random command lines built from words that reach the parsers' corners
/// (huge numbers, special IDs, options in odd places).
fn random_session(seed: u64) {
    let mut rng = Rng::new(seed);
    let mut cache = Cache::new(1, 1_795_700_000_000);
    let c = cache.connect();
    let names: Vec<&str> = table::COMMANDS.iter().map(|s| s.name).collect();
    let words = [
        "k",
        "k2",
        "0",
        "-1",
        "1",
        "9223372036854775807",
        "-9223372036854775808",
        "4294967296",
        "+inf",
        "(1",
        "[a",
        "-",
        "+",
        "*",
        ">",
        "$",
        "COUNT",
        "LIMIT",
        "WITHSCORES",
        "5-5",
        "x",
        "3",
        "AUTH",
        "SETNAME",
    ];
    for _ in 0..60_000 {
        let name = names[rng.range(0, names.len() as u64 - 1) as usize];
        let mut line = vec![name.as_bytes().to_vec()];
        for _ in 0..rng.range(0, 9) {
            line.push(words[rng.range(0, words.len() as u64 - 1) as usize].as_bytes().to_vec());
        }
        // Every reply must also encode, in whichever protocol HELLO left the connection.
        let reply = cache.call(c, &line, 1_795_700_000_000);
        let _ = reply.to_resp(cache.protocol(c));
        // Leave MULTI and subscribed states now and then so the other commands keep running.
        if rng.range(0, 20) == 0 {
            let _ = cache.call(c, &[b"RESET".to_vec()], 1_795_700_000_000);
        }
    }
}

#[test]
fn dump_and_restore_check_in_redis_order() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    lab.run(c, "RPUSH l a b 3");
    let Reply::Bulk(payload) = lab.run(c, "DUMP l") else { panic!("DUMP gives a bulk") };
    let restore = |lab: &mut Lab, key: &str, ttl: &str, data: &[u8], opts: &[&str]| {
        let mut argv = vec![b"RESTORE".to_vec(), key.as_bytes().to_vec(), ttl.as_bytes().to_vec(), data.to_vec()];
        argv.extend(opts.iter().map(|o| o.as_bytes().to_vec()));
        lab.cache.call(c, &argv, lab.now)
    };
    // An unknown option is a syntax error even when the key exists; then BUSYKEY; then the TTL.
    assert_eq!(restore(&mut lab, "l", "0", &payload, &["bogus"]), Reply::err("ERR syntax error"));
    assert_eq!(restore(&mut lab, "l", "x", &payload, &[]), Reply::err("BUSYKEY Target key name already exists."));
    assert_eq!(restore(&mut lab, "m", "-1", &payload, &[]), Reply::err("ERR Invalid TTL value, must be >= 0"));
    let mut broken = payload.clone();
    broken[3] ^= 0xff;
    assert_eq!(restore(&mut lab, "m", "0", &broken, &[]), Reply::err("ERR DUMP payload version or checksum are wrong"));
    assert_eq!(
        restore(&mut lab, "m", "0", &payload, &["FREQ", "300"]),
        Reply::err("ERR Invalid FREQ value, must be >= 0 and <= 255")
    );
    assert_eq!(restore(&mut lab, "m", "5000", &payload, &["IDLETIME", "100"]), Reply::ok());
    assert_eq!(lab.run(c, "OBJECT IDLETIME m"), Reply::Integer(100));
    assert_eq!(lab.run(c, "PTTL m"), Reply::Integer(5000));
    assert_eq!(lab.run(c, "LRANGE m 0 -1"), Reply::Array(vec![bulk("a"), bulk("b"), bulk("3")]));
    assert_eq!(restore(&mut lab, "l", "0", &payload, &["REPLACE"]), Reply::ok());
    // An absolute deadline already past: OK, and the key is gone.
    assert_eq!(restore(&mut lab, "l", "1", &payload, &["REPLACE", "ABSTTL"]), Reply::ok());
    assert_eq!(lab.run(c, "EXISTS l"), Reply::Integer(0));
}

#[test]
fn object_answers_as_redis_7_0() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    lab.run(c, "RPUSH l a b");
    lab.run(c, "SET s hello");
    // Redis 7.0 keeps every list, even a tiny one, in a quicklist.
    assert_eq!(lab.run(c, "OBJECT ENCODING l"), bulk("quicklist"));
    // Under the default noeviction (not LFU) Redis tracks idle time, not frequency.
    lab.now += 3_000;
    assert_eq!(lab.run(c, "OBJECT IDLETIME s"), Reply::Integer(3));
    let not_lfu = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    assert_eq!(lab.run(c, "OBJECT FREQ s"), Reply::err(not_lfu));
    // A missing key is nil before the policy is looked at.
    assert_eq!(lab.run(c, "OBJECT FREQ missing"), Reply::Nil);
    // Under an LFU policy it is the other way round.
    assert_eq!(lab.run(c, "CONFIG SET maxmemory-policy allkeys-lfu"), Reply::ok());
    assert!(matches!(lab.run(c, "OBJECT FREQ s"), Reply::Integer(_)));
    let lfu = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    assert_eq!(lab.run(c, "OBJECT IDLETIME s"), Reply::err(lfu));
    assert_eq!(lab.run(c, "OBJECT IDLETIME missing"), Reply::Nil);
}

#[test]
fn help_replies_are_status_lines() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    for cmd in ["OBJECT HELP", "CONFIG HELP", "XINFO HELP", "XGROUP HELP", "PUBSUB HELP"] {
        let Reply::Array(lines) = lab.run(c, cmd) else { panic!("{cmd}: not an array") };
        let name = cmd.split(' ').next().unwrap_or("");
        assert_eq!(
            lines.first(),
            Some(&Reply::Status(format!("{name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")))
        );
        assert!(lines.iter().all(|l| matches!(l, Reply::Status(_))), "{cmd}: {lines:?}");
        assert_eq!(lines.last(), Some(&Reply::Status("    Print this help.".into())), "{cmd}");
    }
    let Reply::Array(lines) = lab.run(c, "OBJECT HELP") else { panic!("OBJECT HELP: not an array") };
    assert_eq!(lines.len(), 15);
}

#[test]
fn xadd_sequence_overflow_answers_as_redis_7_0() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    assert_eq!(lab.run(c, "XADD s 1-18446744073709551615 a b"), bulk("1-18446744073709551615"));
    assert_eq!(lab.run(c, "XADD s 1-* c d"), Reply::err("ERR Elements are too large to be stored"));
    // A smaller explicit time is still "equal or smaller"; a later one gets sequence 0.
    assert_eq!(
        lab.run(c, "XADD s 0-* c d"),
        Reply::err("ERR The ID specified in XADD is equal or smaller than the target stream top item")
    );
    assert_eq!(lab.run(c, "XADD s 2-* c d"), bulk("2-0"));
}

#[test]
fn hello_switches_the_protocol_and_the_replies_follow() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    lab.run(c, "HSET h f v");
    assert_eq!(lab.run(c, "HGETALL h"), Reply::Array(vec![bulk("f"), bulk("v")]), "RESP2 before HELLO");
    assert_eq!(lab.run(c, "HELLO 4"), Reply::err("NOPROTO unsupported protocol version"));
    assert_eq!(lab.cache.protocol(c), Protocol::Resp2, "a refused HELLO changes nothing");
    let Reply::Map(facts) = lab.run(c, "HELLO 3") else { panic!("HELLO 3 answers a map") };
    assert!(facts.contains(&(bulk("proto"), Reply::Integer(3))), "{facts:?}");
    assert!(facts.contains(&(bulk("id"), Reply::Integer(c as i64))), "{facts:?}");
    assert_eq!(lab.run(c, "HGETALL h"), Reply::Map(vec![(bulk("f"), bulk("v"))]));
    assert_eq!(
        lab.run(c, "CLIENT SETINFO LIB-NAME redis-py"),
        Reply::err("ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.")
    );
    let Reply::Verbatim(info) = lab.run(c, "CLIENT INFO") else { panic!("CLIENT INFO is verbatim text in RESP3") };
    assert!(String::from_utf8_lossy(&info).trim_end().ends_with("resp=3"), "{}", String::from_utf8_lossy(&info));
    // HELLO 2 answers in RESP2 already: the same facts as a flat array.
    let Reply::Array(flat) = lab.run(c, "HELLO 2") else { panic!("HELLO 2 answers an array") };
    assert_eq!(flat.len(), 14);
    assert_eq!(flat[5], Reply::Integer(2));
    lab.run(c, "HELLO 3");
    assert_eq!(lab.run(c, "RESET"), Reply::Status("RESET".into()));
    assert_eq!(lab.cache.protocol(c), Protocol::Resp2, "RESET goes back to RESP2, as in Redis");
}

#[test]
fn a_subscribed_resp3_connection_keeps_running_commands_and_gets_pushes() {
    let mut lab = Lab::new();
    let (sub3, sub2, publisher) = (lab.cache.connect(), lab.cache.connect(), lab.cache.connect());
    lab.run(sub3, "HELLO 3");
    lab.run(publisher, "SET k v");
    let confirm = Reply::Push(vec![bulk("subscribe"), bulk("news"), Reply::Integer(1)]);
    assert_eq!(lab.run(sub3, "SUBSCRIBE news"), confirm);
    assert_eq!(lab.run(sub2, "SUBSCRIBE news"), Reply::Array(vec![bulk("subscribe"), bulk("news"), Reply::Integer(1)]));
    assert_eq!(lab.run(sub3, "GET k"), bulk("v"));
    assert!(lab.run(sub2, "GET k").is_error(), "RESP2 still allows only (un)subscribing");
    assert_eq!(lab.run(sub3, "PING"), Reply::Status("PONG".into()));
    assert_eq!(lab.run(sub2, "PING"), Reply::Array(vec![bulk("pong"), bulk("")]));
    assert_eq!(lab.run(publisher, "PUBLISH news hi"), Reply::Integer(2));
    let message = vec![bulk("message"), bulk("news"), bulk("hi")];
    assert_eq!(lab.cache.take_pushes(sub3), vec![Reply::Push(message.clone())]);
    assert_eq!(lab.cache.take_pushes(sub2), vec![Reply::Array(message)]);
}

#[test]
fn command_describes_each_command_and_finds_the_keys_of_any() {
    let mut lab = Lab::new();
    let c = lab.cache.connect();
    let status = |s: &str| Reply::Status(s.into());
    // As Redis 7.0 (flags are a set in RESP3, an array in RESP2): name, arity, flags, first key, last key, step, ACL categories, tips, key
    // specifications, subcommands.
    let Reply::Array(info) = lab.run(c, "COMMAND INFO get nosuch") else { panic!("COMMAND INFO is an array") };
    let Reply::Array(get) = &info[0] else { panic!("GET's entry is an array") };
    assert_eq!(
        get[..6],
        [
            bulk("get"),
            Reply::Integer(2),
            Reply::Array(vec![status("readonly")]),
            Reply::Integer(1),
            Reply::Integer(1),
            Reply::Integer(1)
        ]
    );
    assert_eq!(get.len(), 10);
    assert_eq!(info[1], Reply::Nil);
    let Reply::Array(all) = lab.run(c, "COMMAND") else { panic!("COMMAND is an array") };
    assert_eq!(Reply::Integer(all.len() as i64), lab.run(c, "COMMAND COUNT"));
    // Keys that move are flagged, and GETKEYS finds them.
    let Reply::Array(zunion) = lab.run(c, "COMMAND INFO zunionstore") else { panic!() };
    assert!(
        matches!(&zunion[0], Reply::Array(e) if matches!(&e[2], Reply::Array(f) if f.contains(&status("movablekeys"))))
    );
    assert_eq!(
        lab.run(c, "COMMAND GETKEYS ZUNIONSTORE out 2 a b WEIGHTS 1 2"),
        Reply::Array(vec![bulk("out"), bulk("a"), bulk("b")])
    );
    assert_eq!(
        lab.run(c, "COMMAND GETKEYS XREADGROUP GROUP g c COUNT 1 STREAMS s1 s2 > >"),
        Reply::Array(vec![bulk("s1"), bulk("s2")])
    );
    assert_eq!(lab.run(c, "COMMAND GETKEYS XREADGROUP GROUP streams c STREAMS s >"), Reply::Array(vec![bulk("s")]));
    // A count from the client is never trusted past the words that follow it.
    assert_eq!(
        lab.run(c, "COMMAND GETKEYS ZUNIONSTORE out 9223372036854775807 a"),
        Reply::Array(vec![bulk("out"), bulk("a")])
    );
    assert_eq!(lab.run(c, "COMMAND GETKEYS PING"), Reply::err("ERR The command has no key arguments"));
    assert_eq!(lab.run(c, "COMMAND COUNT x"), Reply::err("ERR wrong number of arguments for 'command|count' command"));
    assert_eq!(lab.run(c, "COMMAND NOSUCH"), Reply::err("ERR unknown subcommand 'NOSUCH'. Try COMMAND HELP."));
    assert_eq!(lab.run(c, "COMMAND GETKEYS NOSUCH x"), Reply::err("ERR Invalid command specified"));
    assert_eq!(lab.run(c, "COMMAND GETKEYS GET"), Reply::err("ERR Invalid number of arguments specified for command"));
}
