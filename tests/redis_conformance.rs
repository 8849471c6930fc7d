//! Replays the recordings of Redis 7.0.15 (../shared/conformance/redis/*.jsonl.gz) against the
//! cache engine and compares every reply, as conformance/README.md specifies:
//!
//! - each file on a fresh engine; each `client` its own connection, which starts with SELECT 9;
//! - errors agree when their first word matches (the full text is the stricter score);
//! - a bulk that is a float compares as the float printed with `%.15g`;
//! - SMEMBERS, SINTER, SUNION, SDIFF, KEYS, HKEYS, HVALS compare as sorted lists, HGETALL as
//!   sorted pairs;
//! - wall-clock stream IDs (13 digits, a dash, a sequence) are renamed in order of first
//!   appearance within each test, separately on each side;
//! - random or time-dependent replies (SRANDMEMBER, SPOP, SCAN, TTL, ...) are not compared.
//!
//! It prints per file: commands compared, agreeing, agreeing with the full error text, and tests
//! fully agreeing; and fails when a file falls below its minimum in
//! tests/conformance/thresholds.json (key "redis"). `DBLAB_CONFORMANCE_VERBOSE=N` prints the
//! first N disagreements of each file with argv, expected, got and where they first differ
//! (`DBLAB_CONFORMANCE_WIDTH` cuts long replies, `DBLAB_CONFORMANCE_ONLY=stream` replays one file).
//!
//! The recordings carry no timestamps, but replies show the recording server's clock (IDs made
//! by `XADD ... *`, IDs read back, XINFO delivery and seen times). The lab clock follows the
//! clock reconstructed from them (see `RecordedClock`), so times inside replies (XPENDING idle,
//! XINFO delivery and seen times) are compared like everything else; what is left between the
//! two sides is jitter within a millisecond that the recording does not pin down.

use dblab::engines::cache::reply::format_g;
use dblab::engines::cache::{Cache, ClientId, Protocol, Reply};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// The lab clock when a replay starts, and all along a file that shows no reading of the real
/// one: about when the recordings were made (their wall-clock stream IDs say so, and the expire
/// tests' absolute deadlines were already past then), with 13 digits so XADD's IDs look like
/// the recorded ones.
const NOW: i64 = 1_795_701_400_000;

fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/redis");
    assert!(
        dir.is_dir(),
        "the Redis conformance recordings are missing: expected them at {} (shared/ beside the checkout)",
        dir.display()
    );
    dir
}

fn decode_hex(text: &str) -> Vec<u8> {
    (0..text.len() / 2).filter_map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_argv(argv: &Json) -> Vec<Vec<u8>> {
    argv.as_array()
        .map(|items| {
            items
                .iter()
                .map(|a| match a {
                    Json::String(s) => s.as_bytes().to_vec(),
                    Json::Object(o) => decode_hex(o.get("hex").and_then(|h| h.as_str()).unwrap_or("")),
                    other => other.to_string().into_bytes(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A reply in a comparable form, from either side.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Norm {
    Status(String),
    Error(String),
    Int(i64),
    Bulk(Vec<u8>),
    /// A long bulk known only by its digest and length.
    Hashed(String, u64),
    Nil,
    Array(Vec<Norm>),
}

fn from_json(j: &Json) -> Norm {
    match j {
        Json::Null => Norm::Nil,
        Json::Array(items) => Norm::Array(items.iter().map(from_json).collect()),
        Json::Object(o) => {
            if let Some(s) = o.get("s").and_then(|v| v.as_str()) {
                Norm::Status(s.to_string())
            } else if let Some(e) = o.get("e").and_then(|v| v.as_str()) {
                Norm::Error(e.to_string())
            } else if let Some(i) = o.get("i").and_then(|v| v.as_i64()) {
                Norm::Int(i)
            } else if let Some(b) = o.get("b").and_then(|v| v.as_str()) {
                Norm::Bulk(b.as_bytes().to_vec())
            } else if let Some(b) = o.get("bx").and_then(|v| v.as_str()) {
                Norm::Bulk(decode_hex(b))
            } else if let Some(h) = o.get("bh").and_then(|v| v.as_str()) {
                Norm::Hashed(h.to_string(), o.get("n").and_then(|v| v.as_u64()).unwrap_or(0))
            } else {
                Norm::Status(format!("unreadable {j}"))
            }
        }
        other => Norm::Status(format!("unreadable {other}")),
    }
}

fn from_reply(r: &Reply) -> Norm {
    match r {
        Reply::Status(s) => Norm::Status(s.clone()),
        Reply::Error(e) => Norm::Error(e.clone()),
        Reply::Integer(i) => Norm::Int(*i),
        Reply::Bulk(b) if b.len() > 512 => Norm::Hashed(hex(&Sha256::digest(b)), b.len() as u64),
        Reply::Bulk(b) => Norm::Bulk(b.clone()),
        Reply::Nil | Reply::NilArray => Norm::Nil,
        Reply::Array(items) | Reply::Many(items) => Norm::Array(items.iter().map(from_reply).collect()),
        // The recordings are RESP2 and so are the replay's connections: the engine lowered
        // every RESP3 type already. Should one appear, compare what RESP2 would carry.
        typed => from_reply(&typed.clone().for_protocol(Protocol::Resp2)),
    }
}

fn is_wall_clock_id(b: &[u8]) -> bool {
    b.len() > 14 && b[..13].iter().all(u8::is_ascii_digit) && b[13] == b'-' && b[14..].iter().all(u8::is_ascii_digit)
}

/// Normalises floats and wall-clock stream IDs (renamed through `ids`).
fn normalise(n: Norm, ids: &mut HashMap<Vec<u8>, usize>) -> Norm {
    match n {
        Norm::Bulk(b) => {
            if is_wall_clock_id(&b) {
                let next = ids.len();
                let k = *ids.entry(b).or_insert(next);
                return Norm::Bulk(format!("<id {k}>").into_bytes());
            }
            if let Some(f) = std::str::from_utf8(&b).ok().and_then(|t| t.parse::<f64>().ok()) {
                if !f.is_nan() && !b.iter().any(|c| c.is_ascii_alphabetic() && !b"einfEINF".contains(c)) {
                    return Norm::Bulk(format_g(f, 15).into_bytes());
                }
            }
            Norm::Bulk(b)
        }
        Norm::Array(items) => Norm::Array(items.into_iter().map(|i| normalise(i, ids)).collect()),
        other => other,
    }
}

fn sort_reply(name: &str, n: Norm) -> Norm {
    match (name, n) {
        ("smembers" | "sinter" | "sunion" | "sdiff" | "keys" | "hkeys" | "hvals", Norm::Array(mut items)) => {
            items.sort();
            Norm::Array(items)
        }
        ("hgetall", Norm::Array(items)) => {
            let mut pairs: Vec<Norm> = items.chunks(2).map(|p| Norm::Array(p.to_vec())).collect();
            pairs.sort();
            Norm::Array(pairs)
        }
        (_, n) => n,
    }
}

const NOT_COMPARED: &[&str] = &[
    "srandmember",
    "spop",
    "hrandfield",
    "zrandmember",
    "randomkey",
    "scan",
    "sscan",
    "hscan",
    "zscan",
    "time",
    "ttl",
    "pttl",
    "expiretime",
    "pexpiretime",
    "lastsave",
    "dbsize",
];

#[derive(Default, Debug)]
struct Score {
    compared: u64,
    agree: u64,
    agree_full: u64,
    tests: u64,
    tests_agree: u64,
}

fn first_word(e: &str) -> &str {
    e.split(' ').next().unwrap_or("")
}

/// Compares after normalisation; returns (agree by first error word, agree fully).
fn compare(expected: &Norm, got: &Norm) -> (bool, bool) {
    match (expected, got) {
        (Norm::Error(a), Norm::Error(b)) => (first_word(a) == first_word(b), a == b),
        (Norm::Array(a), Norm::Array(b)) if a.len() == b.len() => {
            let mut all = (true, true);
            for (x, y) in a.iter().zip(b) {
                let (p, f) = compare(x, y);
                all = (all.0 && p, all.1 && f);
            }
            all
        }
        _ => {
            let same = expected == got;
            (same, same)
        }
    }
}

fn show(n: &Norm) -> String {
    match n {
        Norm::Status(s) => format!("+{s}"),
        Norm::Error(e) => format!("-{e}"),
        Norm::Int(i) => format!(":{i}"),
        Norm::Bulk(b) => format!("{:?}", String::from_utf8_lossy(b)),
        Norm::Hashed(h, n) => format!("<sha256 {}.. len {n}>", &h[..8.min(h.len())]),
        Norm::Nil => "(nil)".into(),
        Norm::Array(items) => format!("[{}]", items.iter().map(show).collect::<Vec<_>>().join(", ")),
    }
}

/// Where two replies first differ, as a path of array indexes with both sides there: long
/// replies (XINFO STREAM FULL) differ deep inside, past any sensible print width.
fn first_difference(expected: &Norm, got: &Norm, path: &mut Vec<usize>) -> Option<String> {
    match (expected, got) {
        (Norm::Array(a), Norm::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).enumerate().find_map(|(i, (x, y))| {
                path.push(i);
                let found = first_difference(x, y, path);
                path.pop();
                found
            })
        }
        _ if compare(expected, got).0 => None,
        _ => Some(format!("at {path:?}: expected {} got {}", show(expected), show(got))),
    }
}

/// Milliseconds per command on the recording server when a file shows too little of its clock
/// to measure: the recordings that do show it ran at 0.087 (stream: 2,997 ms over 34,622
/// commands) and 0.060 (stream-cgroups) ms per command.
const DEFAULT_PACE_MS: f64 = 0.08;

/// Clock readings are accepted from this window only: from `NOW` (about when the recordings
/// were made) to a day later. Stream IDs passed as arguments from the original test-suite run,
/// or restored from an old dump, fall outside it and say nothing about the recording clock.
const WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

fn in_window(ms: i64) -> bool {
    (NOW..NOW + WINDOW_MS).contains(&ms)
}

/// The milliseconds of a wall-clock stream ID (a bulk like `1795701486302-0`), if it is one.
fn id_ms(item: &Json) -> Option<i64> {
    let b = item.get("b")?.as_str()?;
    if is_wall_clock_id(b.as_bytes()) {
        b.get(..13)?.parse().ok().filter(|ms| in_window(*ms))
    } else {
        None
    }
}

/// The latest clock value a recorded reply shows: the milliseconds of any wall-clock stream ID
/// in it and, when `times` is set (XINFO replies), its integers that are clock values (the
/// delivery and seen times of XINFO STREAM FULL).
fn latest_time(reply: &Json, times: bool) -> Option<i64> {
    match reply {
        Json::Array(items) => items.iter().filter_map(|i| latest_time(i, times)).max(),
        Json::Object(o) => {
            let int = o.get("i").and_then(|i| i.as_i64()).filter(|ms| times && in_window(*ms));
            int.or_else(|| id_ms(reply))
        }
        _ => None,
    }
}

/// What one recorded command shows of the recording server's clock.
enum Reading {
    /// `XADD key ... *` made this ID from the clock while it ran (alone or inside EXEC): the
    /// clock was within this millisecond.
    Exact(i64),
    /// The reply shows a time taken earlier (an ID read back, a delivery time): the clock had
    /// reached it by then, and may be later.
    AtLeast(i64),
}

/// Whether a recorded argv is `XADD key ... *`: its reply is an ID made from the clock.
fn is_xadd_auto_id(argv: &[Json]) -> bool {
    argv.first().and_then(|n| n.as_str()).is_some_and(|n| n.eq_ignore_ascii_case("xadd"))
        && argv.iter().any(|a| a.as_str() == Some("*"))
}

/// What each recorded command shows of the clock. An `XADD ... *` queued in MULTI counts as an
/// exact reading at its EXEC, so each client's queue is followed.
fn readings(records: &[Json]) -> Vec<Option<Reading>> {
    // Per client in MULTI: for each command queued so far, whether it is `XADD ... *`.
    let mut queues: HashMap<u64, Vec<bool>> = HashMap::new();
    let mut out = Vec::with_capacity(records.len());
    for record in records {
        let client = record.get("client").and_then(|c| c.as_u64()).unwrap_or(1);
        let argv: &[Json] = record["argv"].as_array().map_or(&[], |a| a.as_slice());
        let name = argv.first().and_then(|n| n.as_str()).unwrap_or("").to_ascii_lowercase();
        let reply = &record["reply"];
        let mut exact = None;
        let queue = queues.get_mut(&client);
        let is_queued = reply.get("s").and_then(|s| s.as_str()) == Some("QUEUED");
        match name.as_str() {
            _ if is_queued => {
                if let Some(queue) = queue {
                    queue.push(is_xadd_auto_id(argv));
                }
            }
            "multi" => {
                queues.insert(client, Vec::new());
            }
            "discard" => {
                queues.remove(&client);
            }
            "exec" => {
                let queued = queues.remove(&client).unwrap_or_default();
                if let Some(items) = reply.as_array() {
                    exact = queued.iter().zip(items).filter(|(auto, _)| **auto).filter_map(|(_, i)| id_ms(i)).max();
                }
            }
            "xadd" if is_xadd_auto_id(argv) => exact = id_ms(reply),
            _ => {}
        }
        out.push(match exact {
            Some(ms) => Some(Reading::Exact(ms)),
            None => latest_time(reply, name == "xinfo").map(Reading::AtLeast),
        });
    }
    out
}

/// The recording server's clock, reconstructed from what the recording shows of it.
///
/// The recordings carry no timestamps: the commands ran back to back, and the only readings of
/// the clock are times inside replies (see `Reading`). A reading of millisecond `T` says the
/// clock was somewhere in `[T, T + 1)`; lacking anything better, we take the middle, `T + 0.5`.
/// The model is a line through "anchors" (command index, milliseconds):
///
/// - every exact reading is an anchor;
/// - a lower bound becomes an anchor only where it is later than the line drawn without it
///   (then the clock must have moved faster there than the anchors around it suggest);
/// - between anchors the clock moves evenly per command; after the last one it runs on at the
///   file's mean pace (between its first and last exact readings); before the first it stands.
///
/// A file with fewer than two exact readings cannot show its pace: its clock starts at `NOW`
/// and runs at `DEFAULT_PACE_MS` per command (it did run: a key given a 100 ms TTL early in
/// `list` is gone thousands of commands later). Idle times in XPENDING / XINFO and
/// the delivery and seen times of XINFO STREAM FULL then come out as the lab engine computes
/// them from this clock, so they are compared like every other reply, and they agree as far
/// as the recording pins the real clock down (it cannot pin down sub-millisecond jitter).
struct RecordedClock {
    /// (command index, milliseconds), strictly increasing indexes, never decreasing times.
    anchors: Vec<(usize, f64)>,
    /// Milliseconds per command, after the last anchor (or from the start, without anchors).
    pace: f64,
}

/// The line through `left` and `right` at command `index` (between them); past `right` (or
/// with no `right`) the line from `left` at `pace`.
fn line(left: (usize, f64), right: Option<(usize, f64)>, pace: f64, index: usize) -> f64 {
    match right {
        Some(r) if r.0 > left.0 => left.1 + (r.1 - left.1) * (index - left.0) as f64 / (r.0 - left.0) as f64,
        _ => left.1 + pace * index.saturating_sub(left.0) as f64,
    }
}

impl RecordedClock {
    fn new(records: &[Json]) -> RecordedClock {
        let readings = readings(records);
        // Exact readings, kept in order and never going back.
        let mut exact: Vec<(usize, f64)> = Vec::new();
        for (i, r) in readings.iter().enumerate() {
            if let Some(Reading::Exact(ms)) = r {
                let ms = *ms as f64 + 0.5;
                if exact.last().is_none_or(|last| ms >= last.1) {
                    exact.push((i, ms));
                }
            }
        }
        let pace = match (exact.first(), exact.last()) {
            (Some(a), Some(b)) if b.0 > a.0 => (b.1 - a.1) / (b.0 - a.0) as f64,
            _ => DEFAULT_PACE_MS,
        };
        // Walk the file once, adding the lower bounds that lie above the line so far.
        let mut anchors: Vec<(usize, f64)> = Vec::new();
        let mut next_exact = 0;
        for (i, r) in readings.iter().enumerate() {
            let right = exact.get(next_exact).copied();
            if right.is_some_and(|r| r.0 == i) {
                // An exact reading: skip any anchor that would make the line go back.
                if let Some(r) = right.filter(|r| anchors.last().is_none_or(|a| r.1 >= a.1)) {
                    anchors.push(r);
                }
                next_exact += 1;
                continue;
            }
            let Some(Reading::AtLeast(ms)) = r else { continue };
            let estimate = *ms as f64 + 0.5;
            let binds = match anchors.last() {
                Some(&left) => estimate > line(left, right, pace, i),
                None => true,
            };
            if binds {
                // Never past the next exact reading: the clock cannot go back.
                anchors.push((i, right.map_or(estimate, |r| estimate.min(r.1))));
            }
        }
        RecordedClock { anchors, pace }
    }

    /// The clock in milliseconds when the command at `index` ran.
    fn at(&self, index: usize) -> i64 {
        let Some(&first) = self.anchors.first() else {
            return NOW + (self.pace * index as f64).floor() as i64;
        };
        let after = self.anchors.partition_point(|a| a.0 <= index);
        let ms = match after {
            0 => first.1,
            _ => line(self.anchors[after - 1], self.anchors.get(after).copied(), self.pace, index),
        };
        (ms.floor() as i64).max(NOW)
    }
}

fn replay(path: &Path, verbose: usize) -> Score {
    let file = std::fs::File::open(path).expect("open recording");
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let records: Vec<Json> =
        reader.lines().map_while(Result::ok).filter_map(|line| serde_json::from_str(&line).ok()).collect();
    let clock = RecordedClock::new(&records);
    let mut cache = Cache::new(1, NOW);
    let mut clients: HashMap<u64, ClientId> = HashMap::new();
    let mut score = Score::default();
    let mut current_test = String::new();
    let mut test_ok = true;
    let mut test_seen = false;
    let (mut ids_expected, mut ids_got) = (HashMap::new(), HashMap::new());
    let mut shown = 0;
    let slow_report = std::env::var("DBLAB_CONFORMANCE_SLOW").is_ok();
    for (index, record) in records.iter().enumerate() {
        let test = record.get("test").and_then(|t| t.as_str()).unwrap_or("").to_string();
        if test != current_test {
            if test_seen {
                score.tests += 1;
                score.tests_agree += test_ok as u64;
            }
            current_test = test;
            test_ok = true;
            test_seen = false;
            ids_expected.clear();
            ids_got.clear();
        }
        let argv = decode_argv(&record["argv"]);
        let client_no = record.get("client").and_then(|c| c.as_u64()).unwrap_or(1);
        let now = clock.at(index);
        let client = *clients.entry(client_no).or_insert_with(|| {
            let id = cache.connect();
            cache.call(id, &[b"select".to_vec(), b"9".to_vec()], now);
            id
        });
        let started = std::time::Instant::now();
        let got = cache.call(client, &argv, now);
        if slow_report && started.elapsed().as_millis() > 20 {
            let args: Vec<String> =
                argv.iter().take(6).map(|a| String::from_utf8_lossy(a).chars().take(30).collect()).collect();
            eprintln!("  slow: {} ms {:?}", started.elapsed().as_millis(), args);
        }
        let name = argv.first().map(|n| String::from_utf8_lossy(n).to_ascii_lowercase()).unwrap_or_default();
        if NOT_COMPARED.contains(&name.as_str()) {
            continue;
        }
        test_seen = true;
        let expected = sort_reply(&name, normalise(from_json(&record["reply"]), &mut ids_expected));
        let got_n = sort_reply(&name, normalise(from_reply(&got), &mut ids_got));
        let (agree, full) = compare(&expected, &got_n);
        score.compared += 1;
        score.agree += agree as u64;
        score.agree_full += full as u64;
        if !agree {
            test_ok = false;
            if shown < verbose {
                shown += 1;
                let args: Vec<String> =
                    argv.iter().map(|a| String::from_utf8_lossy(a).chars().take(60).collect()).collect();
                let width: usize =
                    std::env::var("DBLAB_CONFORMANCE_WIDTH").ok().and_then(|v| v.parse().ok()).unwrap_or(400);
                let cut = |s: String| s.chars().take(width).collect::<String>();
                eprintln!(
                    "  [{}] {:?}\n    expected {}\n    got      {}\n    first difference {}",
                    current_test,
                    args,
                    cut(show(&expected)),
                    cut(show(&got_n)),
                    cut(first_difference(&expected, &got_n, &mut Vec::new()).unwrap_or_default())
                );
            }
        }
    }
    if test_seen {
        score.tests += 1;
        score.tests_agree += test_ok as u64;
    }
    score
}

#[test]
fn redis_conformance() {
    let dir = corpus_dir();
    let verbose: usize = std::env::var("DBLAB_CONFORMANCE_VERBOSE").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let only = std::env::var("DBLAB_CONFORMANCE_ONLY").ok();
    let thresholds_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/thresholds.json");
    let thresholds: Json =
        serde_json::from_str(&std::fs::read_to_string(&thresholds_path).expect("read thresholds.json"))
            .expect("thresholds.json is JSON");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("list recordings")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no recordings found in {}", dir.display());
    let mut failures = Vec::new();
    let mut table = BTreeMap::new();
    for path in &files {
        let name = path.file_name().map(|n| n.to_string_lossy().replace(".jsonl.gz", "")).unwrap_or_default();
        if only.as_ref().is_some_and(|o| o != &name) {
            continue;
        }
        let s = replay(path, verbose);
        let rate = if s.compared == 0 { 1.0 } else { s.agree as f64 / s.compared as f64 };
        println!(
            "{name:15} compared {:7}  agree {:7} ({:6.2}%)  full error text {:7} ({:6.2}%)  tests {:4}/{:4}",
            s.compared,
            s.agree,
            rate * 100.0,
            s.agree_full,
            s.agree_full as f64 * 100.0 / s.compared.max(1) as f64,
            s.tests_agree,
            s.tests
        );
        let min = thresholds["redis"][&name].as_f64().unwrap_or(1.0);
        if rate < min {
            failures.push(format!("{name}: {:.4} < {min}", rate));
        }
        table.insert(name, s);
    }
    assert!(failures.is_empty(), "below thresholds: {failures:?}");
}

/// The replay clock's rules, on small made-up recordings.
#[test]
fn recorded_clock_reconstruction() {
    let rec = |client: u64, argv: Json, reply: Json| serde_json::json!({"test": "t", "client": client, "argv": argv, "reply": reply});
    let id = |ms: i64, seq: u64| serde_json::json!({"b": format!("{ms}-{seq}")});
    let t = NOW + 86_000;

    // No readings: the clock starts at NOW and runs at the default pace.
    let unread = RecordedClock::new(&[rec(1, serde_json::json!(["get", "a"]), Json::Null)]);
    assert_eq!(unread.at(0), NOW);
    assert_eq!(unread.at(10_000), NOW + (DEFAULT_PACE_MS * 10_000.0) as i64);

    // Exact readings 10 commands apart, 1 ms apart: the clock crosses the millisecond halfway.
    // An ID read back in between (at 3, from the first XADD) does not hold the clock back.
    let mut records = vec![rec(1, serde_json::json!(["xadd", "s", "*", "f", "v"]), id(t, 0))];
    for i in 1..10 {
        let reply = if i == 3 { serde_json::json!([[id(t, 0), ["f", "v"]]]) } else { Json::Null };
        records.push(rec(1, serde_json::json!(["xrange", "s", "-", "+"]), reply));
    }
    records.push(rec(1, serde_json::json!(["xadd", "s", "*", "f", "v"]), id(t + 1, 0)));
    let clock = RecordedClock::new(&records);
    let at: Vec<i64> = (0..=10).map(|i| clock.at(i) - t).collect();
    assert_eq!(at, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);

    // Past the last exact reading, a delivery time in an XINFO reply 2 ms later binds: the clock
    // reaches it by then, moving evenly from the last reading. Integers outside the window (an
    // old restored stream's times) are not readings.
    let mut records = vec![rec(1, serde_json::json!(["xadd", "s", "*", "f", "v"]), id(t, 0))];
    records.push(rec(1, serde_json::json!(["xreadgroup", "group", "g", "c", "streams", "s", ">"]), Json::Null));
    records.push(rec(
        1,
        serde_json::json!(["xinfo", "stream", "s", "full"]),
        serde_json::json!([{"i": t + 2}, {"i": 1624630359870_i64}]),
    ));
    records.push(rec(
        1,
        serde_json::json!(["xinfo", "stream", "s", "full"]),
        serde_json::json!([{"i": NOW + WINDOW_MS + 5}]),
    ));
    let clock = RecordedClock::new(&records);
    assert_eq!((0..4).map(|i| clock.at(i) - t).collect::<Vec<_>>(), [0, 1, 2, 2]);

    // An XADD * queued in MULTI is an exact reading at its EXEC (the other client's queue and the
    // read-back ID beside it do not change that).
    let records = vec![
        rec(1, serde_json::json!(["xadd", "s", "*", "f", "v"]), id(t, 0)),
        rec(1, serde_json::json!(["multi"]), serde_json::json!({"s": "OK"})),
        rec(2, serde_json::json!(["multi"]), serde_json::json!({"s": "OK"})),
        rec(1, serde_json::json!(["xrange", "s", "-", "+"]), serde_json::json!({"s": "QUEUED"})),
        rec(1, serde_json::json!(["xadd", "s", "*", "f", "v"]), serde_json::json!({"s": "QUEUED"})),
        rec(1, serde_json::json!(["exec"]), serde_json::json!([[[id(t, 0), ["f", "v"]]], id(t + 4, 0)])),
    ];
    let clock = RecordedClock::new(&records);
    assert_eq!(clock.at(5) - t, 4);
    assert_eq!(clock.at(0) - t, 0);
}
