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
//! The lab clock follows the recording server's clock as far as the recording shows it (see
//! `RecordedClock`), so times inside replies (XPENDING idle, XINFO delivery and seen times) are
//! compared like everything else.

use dblab::engines::cache::reply::format_g;
use dblab::engines::cache::{Cache, ClientId, Reply};
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

/// The milliseconds of the latest wall-clock stream ID in a recorded reply.
fn wall_clock_ms(reply: &Json) -> Option<i64> {
    match reply {
        Json::Object(o) => {
            let b = o.get("b")?.as_str()?;
            if is_wall_clock_id(b.as_bytes()) {
                b.get(..13)?.parse().ok()
            } else {
                None
            }
        }
        Json::Array(items) => items.iter().filter_map(wall_clock_ms).max(),
        _ => None,
    }
}

/// The recording server's clock, reconstructed from what the recording shows of it.
///
/// The only readings of it are wall-clock stream IDs in replies: an ID that `XADD key *` made
/// (alone or inside EXEC) carries the server's milliseconds when it ran; IDs read back later are
/// older, so every ID is a lower bound on the clock. The commands ran back to back without
/// pauses, so time passed about evenly per command: from each reading the clock runs on at the
/// file's mean pace (milliseconds per command between its first and last readings), never past
/// the millisecond the next reading shows. A file without readings keeps the clock still. Idle
/// times in XPENDING / XINFO and the delivery and seen times of XINFO STREAM FULL then come out
/// as small as the recording's, because the lab clock moves as little as the real one did.
struct RecordedClock {
    /// (command index, milliseconds), in file order, never decreasing.
    readings: Vec<(usize, f64)>,
    /// Milliseconds per command.
    pace: f64,
}

impl RecordedClock {
    fn new(records: &[Json]) -> RecordedClock {
        let mut readings: Vec<(usize, f64)> = Vec::new();
        for (i, record) in records.iter().enumerate() {
            if let Some(ms) = wall_clock_ms(&record["reply"]) {
                let last = readings.last().map_or(f64::MIN, |r| r.1);
                readings.push((i, (ms as f64).max(last)));
            }
        }
        let pace = match (readings.first(), readings.last()) {
            (Some(a), Some(b)) if b.0 > a.0 => (b.1 - a.1) / (b.0 - a.0) as f64,
            _ => 0.0,
        };
        RecordedClock { readings, pace }
    }

    /// The clock in milliseconds when the command at `index` ran.
    fn at(&self, index: usize) -> i64 {
        let Some(first) = self.readings.first() else { return NOW };
        let after = self.readings.partition_point(|r| r.0 <= index);
        let ms = if after == 0 {
            first.1
        } else {
            let last = self.readings[after - 1];
            let ran = last.1 + self.pace * (index - last.0) as f64;
            match self.readings.get(after) {
                // The next reading bounds it: that command ran within its millisecond.
                Some(next) => ran.min(next.1),
                None => ran,
            }
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
