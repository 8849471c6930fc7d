//! `dblab conform redis`: the cache engine behind a line protocol, for comparing it with a real
//! Redis.
//!
//! Each input line is `{"client": N, "argv": [...]}` (argv items strings or `{"hex": "..."}`);
//! each output line is one reply in the recordings' JSON format. Every client number is its
//! own connection, already in database 9. A command answering several replies (`SUBSCRIBE a
//! b`) prints one line per reply; messages pushed to a subscribed client print just before the
//! replies to that client's next command, as a real client reads them off its socket first.
//! A client that sends `HELLO 3` then reads RESP3's types, in the JSON shape
//! `Reply::to_json` gives them (`{"map": ...}`, `{"set": ...}`, `{"d": "1.5"}`, `{"push": ...}`).

use crate::engines::cache::{Cache, Reply};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, Write};

/// Answers every command line of `input` on `output`. `clock` gives the time in milliseconds
/// for each command: the machine's wall clock for `dblab conform redis`, as a real server reads
/// it (XADD * makes 13-digit IDs like the recordings', and idle times grow only as much as real
/// time passes). The engine itself stays pure: the time is an argument of every call.
pub fn run(input: impl BufRead, mut output: impl Write, clock: impl Fn() -> i64) -> std::io::Result<()> {
    let mut cache = Cache::new(1, clock());
    let mut clients = HashMap::new();
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let request: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                writeln!(output, "{}", json!({ "e": format!("ERR bad request line: {e}") }))?;
                continue;
            }
        };
        let client_no = request.get("client").and_then(Value::as_u64).unwrap_or(1);
        let argv = argv(&request);
        let client = *clients.entry(client_no).or_insert_with(|| {
            let id = cache.connect();
            cache.call(id, &[b"select".to_vec(), b"9".to_vec()], clock());
            id
        });
        for push in cache.take_pushes(client) {
            writeln!(output, "{}", push.to_json())?;
        }
        let replies = match cache.call(client, &argv, clock()) {
            Reply::Many(items) => items,
            one => vec![one],
        };
        for r in &replies {
            writeln!(output, "{}", r.to_json())?;
        }
        output.flush()?;
    }
    Ok(())
}

/// The command's words: strings as their UTF-8 bytes, `{"hex": "..."}` as the bytes it spells.
fn argv(request: &Value) -> Vec<Vec<u8>> {
    let Some(items) = request.get("argv").and_then(Value::as_array) else { return Vec::new() };
    items
        .iter()
        .map(|a| match a {
            Value::String(s) => s.as_bytes().to_vec(),
            Value::Object(o) => {
                let hex = o.get("hex").and_then(Value::as_str).unwrap_or("");
                (0..hex.len() / 2).filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()).collect()
            }
            other => other.to_string().into_bytes(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_client_is_a_connection_and_pushes_come_before_its_next_reply() {
        let input = concat!(
            r#"{"client": 1, "argv": ["SUBSCRIBE", "news"]}"#,
            "\n",
            r#"{"client": 2, "argv": ["SET", "k", {"hex": "6869"}]}"#,
            "\n",
            r#"{"client": 2, "argv": ["PUBLISH", "news", "hello"]}"#,
            "\n",
            r#"{"client": 1, "argv": ["PING"]}"#,
            "\nnot json\n"
        );
        let mut out = Vec::new();
        super::run(input.as_bytes(), &mut out, || 1_700_000_000_000).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6, "{text}");
        assert!(lines[3].contains("message") && lines[3].contains("hello"), "the push first: {text}");
        assert!(lines[4].contains("pong"), "{text}");
        assert!(lines[5].contains("ERR bad request line"), "{text}");
    }

    #[test]
    fn a_client_that_says_hello_3_reads_resp3_s_types() {
        let input = concat!(
            r#"{"client": 1, "argv": ["HSET", "h", "f", "v"]}"#,
            "\n",
            r#"{"client": 1, "argv": ["HGETALL", "h"]}"#,
            "\n",
            r#"{"client": 1, "argv": ["HELLO", "3"]}"#,
            "\n",
            r#"{"client": 1, "argv": ["HGETALL", "h"]}"#,
            "\n",
            r#"{"client": 1, "argv": ["ZADD", "z", "1.5", "m"]}"#,
            "\n",
            r#"{"client": 1, "argv": ["ZSCORE", "z", "m"]}"#,
            "\n",
        );
        let mut out = Vec::new();
        super::run(input.as_bytes(), &mut out, || 1_700_000_000_000).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], r#"[{"b":"f"},{"b":"v"}]"#, "RESP2 first: {text}");
        assert!(lines[2].starts_with(r#"{"map":"#), "HELLO 3 answers a map: {text}");
        assert_eq!(lines[3], r#"{"map":[[{"b":"f"},{"b":"v"}]]}"#, "{text}");
        assert_eq!(lines[5], r#"{"d":"1.5"}"#, "{text}");
    }
}
