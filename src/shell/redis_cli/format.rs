//! How `redis-cli` prints replies on a terminal (its `cliFormatReplyTTY`).
//!
//! ```text
//! 127.0.0.1:6379> LRANGE l 0 -1        127.0.0.1:6379> XRANGE s - +
//! 1) "a"                               1) 1) "1-0"
//! 2) "b"                                  2) 1) "f"
//!                                            2) "v"
//! ```
//! Each array element gets `N) ` (the number right-aligned to the widest index); nested arrays
//! continue on the same line and indent their later elements under their first.

use crate::engines::cache::reply::format_double;
use crate::engines::cache::Reply;

/// A bulk string quoted as redis-cli shows it (`sdscatrepr`): `"a\nb"`, `"\xff"`.
pub fn quote(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            7 => out.push_str("\\a"),
            8 => out.push_str("\\b"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// Whether redis-cli prints this command's reply raw rather than quoted: the commands whose
/// answer is a report meant for eyes (INFO, CLIENT LIST, CLUSTER NODES ...), as its
/// `cliSendCommand` special-cases them.
pub fn prints_raw(argv: &[Vec<u8>]) -> bool {
    let word = |i: usize| argv.get(i).map(|a| String::from_utf8_lossy(a).to_ascii_lowercase()).unwrap_or_default();
    matches!(
        (word(0).as_str(), word(1).as_str()),
        ("info" | "lolwut", _)
            | ("client", "list" | "info")
            | ("cluster", "nodes" | "info")
            | ("memory", "doctor" | "malloc-stats")
            | ("latency", "doctor" | "graph")
    )
}

/// A reply printed raw: a bulk string as its text (CRLF line ends shown as lines).
pub fn format_raw(reply: &Reply) -> String {
    match reply {
        Reply::Bulk(bytes) | Reply::Verbatim(bytes) => {
            let mut text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text
        }
        other => format_reply(other),
    }
}

/// The text redis-cli prints for a reply, ending with a newline.
pub fn format_reply(reply: &Reply) -> String {
    format_with_prefix(reply, "")
}

/// The lab's redis-cli speaks RESP2, so it only meets RESP2's types (the engine lowers the
/// others for it); RESP3's types are printed as redis-cli 7.0 prints them after `HELLO 3`
/// (`1# "name" => "Ada"` for a map, `1~ "a"` for a set, `(double) 1.5`).
fn format_with_prefix(reply: &Reply, prefix: &str) -> String {
    match reply {
        Reply::Status(s) => format!("{s}\n"),
        Reply::Error(e) => format!("(error) {e}\n"),
        Reply::Integer(i) => format!("(integer) {i}\n"),
        Reply::Bulk(b) => format!("{}\n", quote(b)),
        Reply::Verbatim(text) => format!("{}\n", String::from_utf8_lossy(text)),
        Reply::Double(value) => format!("(double) {}\n", format_double(*value)),
        Reply::Nil | Reply::NilArray => "(nil)\n".to_string(),
        Reply::Many(items) => items.iter().map(format_reply).collect(),
        Reply::Array(items) if items.is_empty() => "(empty array)\n".to_string(),
        Reply::Push(items) if items.is_empty() => "(empty push)\n".to_string(),
        Reply::Set(items) if items.is_empty() => "(empty set)\n".to_string(),
        Reply::Array(items) | Reply::Push(items) => numbered(items.iter(), ')', prefix),
        Reply::Set(items) => numbered(items.iter(), '~', prefix),
        Reply::Pairs(pairs) if pairs.is_empty() => "(empty array)\n".to_string(),
        Reply::Pairs(pairs) => {
            let arrays: Vec<Reply> = pairs.iter().map(|(k, v)| Reply::Array(vec![k.clone(), v.clone()])).collect();
            numbered(arrays.iter(), ')', prefix)
        }
        Reply::Map(pairs) | Reply::MapAsPairs(pairs) if pairs.is_empty() => "(empty hash)\n".to_string(),
        Reply::Map(pairs) | Reply::MapAsPairs(pairs) => {
            let width = pairs.len().to_string().len();
            let nested = format!("{prefix}{}", " ".repeat(width + 2));
            let mut out = String::new();
            for (i, (key, value)) in pairs.iter().enumerate() {
                let lead = if i == 0 { "" } else { prefix };
                out.push_str(&format!("{lead}{:>width$}# ", i + 1));
                out.push_str(format_with_prefix(key, &nested).trim_end_matches('\n'));
                out.push_str(" => ");
                // A value of several lines starts on its own line, aligned under the key.
                if multiline(value) {
                    out.push('\n');
                    out.push_str(&nested);
                }
                out.push_str(&format_with_prefix(value, &nested));
            }
            out
        }
    }
}

/// Elements numbered `N) ` (or `N~ ` for a set), the number right-aligned to the widest index;
/// nested aggregates continue on the same line and indent their later elements.
fn numbered<'a>(items: impl ExactSizeIterator<Item = &'a Reply>, mark: char, prefix: &str) -> String {
    let width = items.len().to_string().len();
    let nested = format!("{prefix}{}", " ".repeat(width + 2));
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        let lead = if i == 0 { "" } else { prefix };
        out.push_str(&format!("{lead}{:>width$}{mark} ", i + 1));
        out.push_str(&format_with_prefix(item, &nested));
    }
    out
}

/// redis-cli's `cliIsMultilineValueTTY`: whether a map value takes more than one line.
fn multiline(reply: &Reply) -> bool {
    match reply {
        Reply::Array(items) | Reply::Set(items) | Reply::Push(items) => {
            items.len() > 1 || items.first().is_some_and(multiline)
        }
        Reply::Pairs(pairs) => !pairs.is_empty(),
        Reply::Map(pairs) | Reply::MapAsPairs(pairs) => {
            pairs.len() > 1 || pairs.first().is_some_and(|(_, v)| multiline(v))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_redis_cli() {
        assert_eq!(format_reply(&Reply::Integer(1)), "(integer) 1\n");
        assert_eq!(format_reply(&Reply::Nil), "(nil)\n");
        assert_eq!(format_reply(&Reply::err("ERR x")), "(error) ERR x\n");
        assert_eq!(format_reply(&Reply::Array(vec![])), "(empty array)\n");
        assert_eq!(format_reply(&Reply::bulk("a\"b\n")), "\"a\\\"b\\n\"\n");
        let nested = Reply::Array(vec![Reply::Array(vec![
            Reply::bulk("1-0"),
            Reply::Array(vec![Reply::bulk("f"), Reply::bulk("v")]),
        ])]);
        assert_eq!(format_reply(&nested), "1) 1) \"1-0\"\n   2) 1) \"f\"\n      2) \"v\"\n");
        let map = Reply::Map(vec![
            (Reply::bulk("name"), Reply::bulk("Ada")),
            (Reply::bulk("tags"), Reply::Set(vec![Reply::bulk("a"), Reply::bulk("b")])),
            (Reply::bulk("score"), Reply::Double(1.5)),
        ]);
        assert_eq!(
            format_reply(&map),
            "1# \"name\" => \"Ada\"\n2# \"tags\" => \n   1~ \"a\"\n   2~ \"b\"\n3# \"score\" => (double) 1.5\n"
        );
        let ten: Vec<Reply> = (0..10).map(Reply::Integer).collect();
        let text = format_reply(&Reply::Array(ten));
        assert!(text.starts_with(" 1) (integer) 0\n"));
        assert!(text.ends_with("10) (integer) 9\n"));
    }
}
