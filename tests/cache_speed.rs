//! Speed of the cache engine through its command interface (argv in, typed reply out), next to
//! a reference measured in the same run: a plain `HashMap` (and `VecDeque`/`BTreeSet` for the
//! list and sorted-set cases) doing the same data work without any Redis semantics.
//!
//! Run by hand, optimised:
//! `cargo test --release --test cache_speed -- --ignored --nocapture`

use dblab::engines::cache::{Cache, Reply};
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::hint::black_box;
use std::time::Instant;

const KEYS: usize = 10_000;
const OPS: usize = 1_000_000;

fn argv(words: &[&[u8]]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.to_vec()).collect()
}

fn rate(ops: usize, started: Instant) -> f64 {
    ops as f64 / started.elapsed().as_secs_f64()
}

fn report(name: &str, engine: f64, reference: f64) {
    println!(
        "{name:12} engine {:>12.0} ops/s   reference {:>12.0} ops/s   ratio {:.2}",
        engine,
        reference,
        engine / reference
    );
}

#[test]
#[ignore]
fn cache_speed() {
    let keys: Vec<Vec<u8>> = (0..KEYS).map(|i| format!("key:{i}").into_bytes()).collect();
    let now = 1_795_700_000_000;
    let mut cache = Cache::new(1, now);
    let c = cache.connect();

    // SET
    let cmds: Vec<Vec<Vec<u8>>> = keys.iter().map(|k| argv(&[b"SET", k, b"some value"])).collect();
    let t = Instant::now();
    for i in 0..OPS {
        black_box(cache.call(c, &cmds[i % KEYS], now));
    }
    let engine = rate(OPS, t);
    let mut map: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    let t = Instant::now();
    for i in 0..OPS {
        let cmd = &cmds[i % KEYS];
        black_box(map.insert(cmd[1].clone(), cmd[2].clone()));
    }
    report("SET", engine, rate(OPS, t));

    // GET
    let cmds: Vec<Vec<Vec<u8>>> = keys.iter().map(|k| argv(&[b"GET", k])).collect();
    let t = Instant::now();
    for i in 0..OPS {
        black_box(cache.call(c, &cmds[i % KEYS], now));
    }
    let engine = rate(OPS, t);
    let t = Instant::now();
    for i in 0..OPS {
        black_box(map.get(&cmds[i % KEYS][1]).cloned());
    }
    report("GET", engine, rate(OPS, t));

    // INCR
    let cmds: Vec<Vec<Vec<u8>>> = keys.iter().map(|k| argv(&[b"INCR", &[b"n:", k.as_slice()].concat()])).collect();
    let t = Instant::now();
    for i in 0..OPS {
        black_box(cache.call(c, &cmds[i % KEYS], now));
    }
    let engine = rate(OPS, t);
    let mut counters: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    let t = Instant::now();
    for i in 0..OPS {
        let slot = counters.entry(cmds[i % KEYS][1].clone()).or_insert_with(|| b"0".to_vec());
        let n: i64 = std::str::from_utf8(slot).ok().and_then(|s| s.parse().ok()).unwrap_or(0) + 1;
        *slot = n.to_string().into_bytes();
        black_box(n);
    }
    report("INCR", engine, rate(OPS, t));

    // HSET
    let cmds: Vec<Vec<Vec<u8>>> = keys.iter().map(|k| argv(&[b"HSET", b"user:1", k, b"value"])).collect();
    let t = Instant::now();
    for i in 0..OPS {
        black_box(cache.call(c, &cmds[i % KEYS], now));
    }
    let engine = rate(OPS, t);
    let mut hash: HashMap<Vec<u8>, HashMap<Vec<u8>, Vec<u8>>> = HashMap::new();
    let t = Instant::now();
    for i in 0..OPS {
        let cmd = &cmds[i % KEYS];
        black_box(hash.entry(cmd[1].clone()).or_default().insert(cmd[2].clone(), cmd[3].clone()));
    }
    report("HSET", engine, rate(OPS, t));

    // LPUSH then LPOP
    let push = argv(&[b"LPUSH", b"queue", b"job payload"]);
    let pop = argv(&[b"LPOP", b"queue"]);
    let t = Instant::now();
    for _ in 0..OPS / 2 {
        black_box(cache.call(c, &push, now));
        black_box(cache.call(c, &pop, now));
    }
    let engine = rate(OPS, t);
    let mut lists: HashMap<Vec<u8>, VecDeque<Vec<u8>>> = HashMap::new();
    let t = Instant::now();
    for _ in 0..OPS / 2 {
        lists.entry(push[1].clone()).or_default().push_front(push[2].clone());
        black_box(lists.get_mut(&pop[1]).and_then(|l| l.pop_front()));
    }
    report("LPUSH/LPOP", engine, rate(OPS, t));

    // ZADD
    let cmds: Vec<Vec<Vec<u8>>> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| argv(&[b"ZADD", b"board", format!("{}", (i * 7919) % 100_000).as_bytes(), k]))
        .collect();
    let t = Instant::now();
    for i in 0..OPS {
        black_box(cache.call(c, &cmds[i % KEYS], now));
    }
    let engine = rate(OPS, t);
    let mut scores: HashMap<Vec<u8>, u64> = HashMap::new();
    let mut order: BTreeSet<(u64, Vec<u8>)> = BTreeSet::new();
    let t = Instant::now();
    for i in 0..OPS {
        let cmd = &cmds[i % KEYS];
        let score: u64 = std::str::from_utf8(&cmd[2]).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
        if let Some(old) = scores.insert(cmd[3].clone(), score) {
            order.remove(&(old, cmd[3].clone()));
        }
        black_box(order.insert((score, cmd[3].clone())));
    }
    report("ZADD", engine, rate(OPS, t));

    // ZRANGE board 0 9 (the top of a 10,000-member board)
    let cmd = argv(&[b"ZRANGE", b"board", b"0", b"9"]);
    let n = OPS / 10;
    let t = Instant::now();
    for _ in 0..n {
        black_box(cache.call(c, &cmd, now));
    }
    let engine = rate(n, t);
    let t = Instant::now();
    for _ in 0..n {
        black_box(order.iter().take(10).map(|(_, m)| m.clone()).collect::<Vec<_>>());
    }
    report("ZRANGE 0 9", engine, rate(n, t));

    // XADD
    let cmd = argv(&[b"XADD", b"events", b"*", b"sensor", b"t1", b"value", b"21.5"]);
    let n = OPS / 2;
    let t = Instant::now();
    for i in 0..n {
        black_box(cache.call(c, &cmd, now + (i as i64 / 100)));
    }
    let engine = rate(n, t);
    let mut log: Vec<(u64, Vec<Vec<u8>>)> = Vec::new();
    let t = Instant::now();
    for i in 0..n {
        log.push((i as u64, cmd[3..].to_vec()));
    }
    black_box(&log);
    report("XADD", engine, rate(n, t));

    assert_eq!(cache.call(c, &argv(&[b"GET", b"key:1"]), now), Reply::bulk("some value"));
}
