//! `dblab conform redis`: JSON lines in, one reply per line out, each client its own
//! connection already in database 9.

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn answers_each_line_in_the_recordings_format() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dblab"))
        .args(["conform", "redis"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run dblab");
    let input = r#"{"client": 1, "argv": ["SET", "a", "1"]}
{"client": 2, "argv": ["GET", "a"]}
{"client": 2, "argv": ["SELECT", "0"]}
{"client": 2, "argv": ["GET", "a"]}
{"client": 1, "argv": ["SET", {"hex": "ff"}, {"hex": "fe00"}]}
{"client": 1, "argv": ["GET", {"hex": "ff"}]}
{"client": 1, "argv": ["LPOP", "nothing", "2"]}
{"client": 1, "argv": ["INCR", "a"]}
{"client": 1, "argv": ["LPUSH", "a", "x"]}
{"client": 3, "argv": ["SUBSCRIBE", "c1", "c2"]}
"#;
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("output");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let expected = r#"{"s":"OK"}
{"b":"1"}
{"s":"OK"}
null
{"s":"OK"}
{"bx":"fe00"}
null
{"i":2}
{"e":"WRONGTYPE Operation against a key holding the wrong kind of value"}
[{"b":"subscribe"},{"b":"c1"},{"i":1}]
[{"b":"subscribe"},{"b":"c2"},{"i":2}]
"#;
    assert_eq!(text, expected);
}
