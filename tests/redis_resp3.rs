//! The cache engine speaks RESP3 byte for byte as Redis 7.0.15 does.
//!
//! `tests/fixtures/resp3/session.txt` is a recording of a real Redis 7.0.15 answering a
//! session over raw sockets (`record.py` beside it made it, and says how to re-record): HELLO
//! and its errors, redis-py's handshake, maps, sets, doubles, nulls, score pairs, streams,
//! XINFO, CONFIG GET, INFO, MULTI/EXEC, pub/sub pushes, and the same connection back on
//! RESP2. This test replays each command on the engine, writes the reply with
//! `Reply::to_resp` for the connection's protocol, and compares the bytes.
//!
//! A second test shakes hands as redis-py 8.1 does by default (HELLO 3, CLIENT
//! MAINT_NOTIFICATIONS, two CLIENT SETINFO, as its `Connection.on_connect` sends them) and reads
//! every reply with a copy of its RESP3 parser's dispatch, checking what redis-py checks.
//!
//! Only what must differ between two servers is masked, on both sides: the connection `id`
//! in HELLO's reply and a consumer's `idle` milliseconds in XINFO CONSUMERS. A set (`~`) is
//! compared as a set: RESP3 gives its members no order, and the engine keeps set members in
//! its own hash order, not Redis's (the conformance suite compares SMEMBERS sorted too).

use dblab::engines::cache::{Cache, ClientId, Reply};
use std::collections::BTreeMap;
use std::path::Path;

/// The lab clock during the replay (any value: the recording uses explicit stream IDs).
const NOW: i64 = 1_795_701_400_000;

/// One command of the recording and what every connection received after it.
struct Step {
    line: usize,
    conn: u64,
    argv: Vec<Vec<u8>>,
    /// Connection number -> the frames it received, concatenated.
    received: BTreeMap<u64, Vec<u8>>,
}

fn unescape(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            match bytes[i + 1] {
                b'r' => out.push(b'\r'),
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'\\' => out.push(b'\\'),
                b'x' => {
                    let hex = text.get(i + 2..i + 4).unwrap_or("00");
                    out.push(u8::from_str_radix(hex, 16).expect("a \\xNN escape"));
                    i += 2;
                }
                other => panic!("unknown escape \\{}", other as char),
            }
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn escape(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

fn load() -> Vec<Step> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/resp3/session.txt");
    let text = std::fs::read_to_string(&path).expect("the RESP3 recording");
    let mut steps: Vec<Step> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (conn, rest) = line.split_at(line.find(['>', '<']).expect("N> or N< at the start of a line"));
        let conn: u64 = conn.parse().expect("a connection number");
        let (kind, body) = (&rest[..1], rest[1..].strip_prefix(' ').unwrap_or(&rest[1..]));
        if kind == ">" {
            let words: Vec<String> = serde_json::from_str(body).expect("a JSON array of words");
            let argv = words.into_iter().map(String::into_bytes).collect();
            steps.push(Step { line: n + 1, conn, argv, received: BTreeMap::new() });
        } else {
            let step = steps.last_mut().expect("a frame after a command");
            step.received.entry(conn).or_default().extend(unescape(body));
        }
    }
    steps
}

/// Replaces the digits after `field`'s name in a map (`$2\r\nid\r\n:17\r\n`) with `?`.
fn mask_number(bytes: &[u8], field: &str) -> Vec<u8> {
    let key = format!("${}\r\n{}\r\n:", field.len(), field);
    let key = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(key) {
            out.extend_from_slice(key);
            out.push(b'?');
            i += key.len();
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn masked(bytes: &[u8]) -> Vec<u8> {
    let bytes = mask_number(&mask_number(bytes, "id"), "idle");
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while pos < bytes.len() {
        match sets_sorted(&bytes, pos) {
            Some((frame, end)) => {
                out.extend(frame);
                pos = end;
            }
            None => {
                out.extend_from_slice(&bytes[pos..]);
                break;
            }
        }
    }
    out
}

/// The RESP frame at `pos` with the members of every set in it sorted, and where it ends;
/// `None` if the bytes there are not a whole frame.
fn sets_sorted(bytes: &[u8], pos: usize) -> Option<(Vec<u8>, usize)> {
    let line_end = pos + bytes.get(pos..)?.windows(2).position(|w| w == b"\r\n")?;
    let head = std::str::from_utf8(&bytes[pos + 1..line_end]).ok()?;
    let after = line_end + 2;
    let kind = bytes[pos];
    match kind {
        b'$' | b'=' | b'!' => {
            let n: i64 = head.parse().ok()?;
            let end = if n < 0 { after } else { after + n as usize + 2 };
            Some((bytes.get(pos..end)?.to_vec(), end))
        }
        b'*' | b'~' | b'>' | b'%' | b'|' => {
            let n: i64 = head.parse().ok()?;
            let count = if matches!(kind, b'%' | b'|') { n.max(0) * 2 } else { n.max(0) };
            let mut items = Vec::new();
            let mut end = after;
            for _ in 0..count {
                let (item, next) = sets_sorted(bytes, end)?;
                items.push(item);
                end = next;
            }
            if kind == b'~' {
                items.sort();
            }
            let mut frame = bytes[pos..after].to_vec();
            frame.extend(items.concat());
            Some((frame, end))
        }
        _ => Some((bytes[pos..after].to_vec(), after)),
    }
}

#[test]
fn the_engine_answers_the_recorded_session_byte_for_byte() {
    let steps = load();
    assert!(steps.len() > 100, "the recording looks cut short: {} commands", steps.len());
    let mut cache = Cache::new(7, NOW);
    let mut conns: BTreeMap<u64, ClientId> = BTreeMap::new();
    let mut failures = Vec::new();
    for step in &steps {
        let id = *conns.entry(step.conn).or_insert_with(|| cache.connect());
        let reply = cache.call(id, &step.argv, NOW);
        let mut got: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
        for (&conn, &other) in &conns {
            // A connection's socket carries the messages queued during the command (a
            // PUBLISH to itself) before the command's own reply.
            let mut bytes = Vec::new();
            for push in cache.take_pushes(other) {
                push.write_resp(cache.protocol(other), &mut bytes);
            }
            if other == id {
                reply.write_resp(cache.protocol(id), &mut bytes);
            }
            if !bytes.is_empty() {
                got.insert(conn, bytes);
            }
        }
        let connections: std::collections::BTreeSet<u64> = got.keys().chain(step.received.keys()).copied().collect();
        for conn in connections {
            let want = masked(step.received.get(&conn).map(Vec::as_slice).unwrap_or_default());
            let have = masked(got.get(&conn).map(Vec::as_slice).unwrap_or_default());
            if want != have {
                let words: Vec<String> = step.argv.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
                failures.push(format!(
                    "line {}: {}> {:?}\n  connection {conn} expected {}\n  connection {conn} got      {}",
                    step.line,
                    step.conn,
                    words,
                    escape(&want),
                    escape(&have)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} commands differ:\n{}", failures.len(), steps.len(), failures.join("\n"));
}

#[test]
fn masking_hides_only_the_numbers_it_names() {
    let hello = b"%1\r\n$2\r\nid\r\n:42\r\n";
    assert_eq!(masked(hello), b"%1\r\n$2\r\nid\r\n:?\r\n".to_vec());
    let other = b"%1\r\n$3\r\nlen\r\n:42\r\n";
    assert_eq!(masked(other), other.to_vec());
    assert_eq!(masked(b"~2\r\n$1\r\nb\r\n$1\r\na\r\n"), b"~2\r\n$1\r\na\r\n$1\r\nb\r\n".to_vec());
    let array = b"*2\r\n$1\r\nb\r\n$1\r\na\r\n";
    assert_eq!(masked(array), array.to_vec(), "an array keeps its order");
    assert_eq!(unescape(&escape(b"a\\b\r\n\x01")), b"a\\b\r\n\x01".to_vec());
    assert_eq!(Reply::Nil.to_resp(dblab::engines::cache::Protocol::Resp3), b"_\r\n".to_vec());
}

/// A value as redis-py 8.1's RESP3 parser (`redis/_parsers/resp3.py`) reads one frame: it
/// dispatches on the first byte exactly like this, and refuses any other byte with
/// `InvalidResponse("Protocol Error")`.
#[derive(Debug, PartialEq)]
enum Py {
    /// `-` and `!`: returned as a `ResponseError` (a `ConnectionError` when the code says so).
    Error(String),
    /// `+`: a str/bytes.
    Simple(Vec<u8>),
    /// `$` and `=` (the verbatim's `txt:` cut off): bytes.
    Bytes(Vec<u8>),
    /// `_`: None.
    None,
    /// `:` and `(`: int.
    Int(i64),
    /// `,`: float.
    Float(f64),
    /// `*` and `~` (sets come back as lists): list.
    List(Vec<Py>),
    /// `%`: dict.
    Dict(Vec<(Py, Py)>),
    /// `>`: handed to the push handler (pub/sub messages go to the PubSub object).
    Push(Vec<Py>),
}

/// `n` frames one after the other, and what follows them.
fn read_items(n: i64, mut rest: &[u8]) -> Result<(Vec<Py>, &[u8]), String> {
    let mut out = Vec::new();
    for _ in 0..n {
        let (item, next) = read_py(rest)?;
        out.push(item);
        rest = next;
    }
    Ok((out, rest))
}

fn read_py(bytes: &[u8]) -> Result<(Py, &[u8]), String> {
    let end = bytes.windows(2).position(|w| w == b"\r\n").ok_or("no CRLF")?;
    let (kind, head, rest) = (bytes[0], &bytes[1..end], &bytes[end + 2..]);
    let text = String::from_utf8_lossy(head).into_owned();
    let number = |t: &str| t.parse::<i64>().map_err(|e| format!("{t:?}: {e}"));
    Ok(match kind {
        b'-' => (Py::Error(text), rest),
        b'+' => (Py::Simple(head.to_vec()), rest),
        b'_' => (Py::None, rest),
        b':' | b'(' => (Py::Int(number(&text)?), rest),
        b',' => (Py::Float(text.parse().map_err(|e| format!("{text:?}: {e}"))?), rest),
        b'$' | b'=' => {
            let n = number(&text)? as usize;
            let data = rest.get(..n).ok_or("short bulk")?;
            let data = if kind == b'=' { data.get(4..).ok_or("short verbatim")?.to_vec() } else { data.to_vec() };
            (Py::Bytes(data), rest.get(n + 2..).ok_or("bulk without CRLF")?)
        }
        b'*' | b'~' => {
            let (list, rest) = read_items(number(&text)?, rest)?;
            (Py::List(list), rest)
        }
        b'>' => {
            let (list, rest) = read_items(number(&text)?, rest)?;
            (Py::Push(list), rest)
        }
        b'%' => {
            let (flat, rest) = read_items(number(&text)? * 2, rest)?;
            let mut flat = flat.into_iter();
            let mut dict = Vec::new();
            while let (Some(k), Some(v)) = (flat.next(), flat.next()) {
                dict.push((k, v));
            }
            (Py::Dict(dict), rest)
        }
        other => return Err(format!("Protocol Error: {:?}", other as char)),
    })
}

/// Sends one command as redis-py would and reads the bytes the engine writes back as
/// redis-py's parser does: one frame, nothing left over.
fn exchange(cache: &mut Cache, id: ClientId, words: &[&str]) -> Py {
    let argv: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
    let bytes = cache.call(id, &argv, NOW).to_resp(cache.protocol(id));
    let (value, rest) = read_py(&bytes).unwrap_or_else(|e| panic!("{words:?}: {e} in {}", escape(&bytes)));
    assert!(rest.is_empty(), "{words:?} left {} unread", escape(rest));
    value
}

fn py(text: &str) -> Py {
    Py::Bytes(text.as_bytes().to_vec())
}

#[test]
fn redis_py_8_1_connects_with_its_default_handshake() {
    let mut cache = Cache::new(7, NOW);
    let id = cache.connect();
    // Connection.on_connect: HELLO 3, then `handshake_metadata.get(b"proto") != 3` is a
    // ConnectionError("Invalid RESP version"), so the reply must be a dict holding proto 3.
    let Py::Dict(meta) = exchange(&mut cache, id, &["HELLO", "3"]) else { panic!("HELLO 3 must be a dict") };
    assert!(meta.contains(&(py("proto"), Py::Int(3))), "{meta:?}");
    assert!(meta.contains(&(py("version"), py("7.0.15"))), "{meta:?}");
    // Maintenance notifications (enabled="auto"): a ResponseError is logged and ignored; any
    // other failure would abort the connection.
    let maint =
        exchange(&mut cache, id, &["CLIENT", "MAINT_NOTIFICATIONS", "ON", "moving-endpoint-type", "internal-ip"]);
    assert_eq!(maint, Py::Error("ERR unknown subcommand 'MAINT_NOTIFICATIONS'. Try CLIENT HELP.".into()));
    // CLIENT SETINFO twice, each `except ResponseError: pass`.
    for (field, value) in [("LIB-NAME", "redis-py"), ("LIB-VER", "8.1.0")] {
        let reply = exchange(&mut cache, id, &["CLIENT", "SETINFO", field, value]);
        assert_eq!(reply, Py::Error("ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.".into()));
    }
    // Then the learner's commands.
    assert_eq!(exchange(&mut cache, id, &["SET", "greeting", "hello"]), Py::Simple(b"OK".to_vec()));
    assert_eq!(exchange(&mut cache, id, &["GET", "greeting"]), py("hello"));
    assert_eq!(exchange(&mut cache, id, &["GET", "missing"]), Py::None);
    exchange(&mut cache, id, &["HSET", "user:1", "name", "Ada"]);
    assert_eq!(exchange(&mut cache, id, &["HGETALL", "user:1"]), Py::Dict(vec![(py("name"), py("Ada"))]));
    exchange(&mut cache, id, &["ZADD", "board", "1.5", "ada"]);
    assert_eq!(exchange(&mut cache, id, &["ZSCORE", "board", "ada"]), Py::Float(1.5));
    // redis-py parses INFO's text itself: it must arrive as bytes (a verbatim string).
    let info = exchange(&mut cache, id, &["INFO", "keyspace"]);
    assert!(matches!(&info, Py::Bytes(b) if b.starts_with(b"# Keyspace")), "{info:?}");
    // PubSub: the confirmation and the message are pushes.
    let sub = cache.connect();
    exchange(&mut cache, sub, &["HELLO", "3"]);
    let confirm = exchange(&mut cache, sub, &["SUBSCRIBE", "news"]);
    assert_eq!(confirm, Py::Push(vec![py("subscribe"), py("news"), Py::Int(1)]));
    assert_eq!(exchange(&mut cache, id, &["PUBLISH", "news", "hi"]), Py::Int(1));
    let pushes: Vec<u8> = cache.take_pushes(sub).iter().flat_map(|p| p.to_resp(cache.protocol(sub))).collect();
    let (message, rest) = read_py(&pushes).expect("a push frame");
    assert!(rest.is_empty(), "one message, one frame");
    assert_eq!(message, Py::Push(vec![py("message"), py("news"), py("hi")]));
}
