//! A client's bytes as command lines: what Redis 7.0 reads off a socket before it runs anything.
//!
//! A client sends each command either as a RESP array of bulk strings (what every client
//! library sends, redis-py included) or as one inline line of words (what someone typing into
//! `nc` or `telnet` sends):
//!
//! ```text
//!   *3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n      -> [SET, greeting, hello]
//!   SET greeting "hello world"\r\n                             -> [SET, greeting, hello world]
//! ```
//!
//! [`parse_request`] looks at the start of what the connection has received so far and says
//! whether a whole command is there (and how many bytes it took), whether more bytes are
//! needed, or whether the bytes break the protocol. Like `processMultibulkBuffer` and
//! `processInlineBuffer` in Redis's `networking.c`, it decides by the first byte (`*` starts
//! an array, anything else an inline line), and words its errors as Redis does. After a
//! protocol error Redis writes the error and closes the connection; a socket bridge should too.

use super::Reply;

/// The longest inline line, or array header line, Redis waits for (`PROTO_INLINE_MAX_SIZE`).
const INLINE_MAX: usize = 64 * 1024;
/// The longest bulk string a client may send (`proto-max-bulk-len`, 512 MB by default).
const MAX_BULK: i64 = 512 * 1024 * 1024;

/// What the start of a connection's input holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// A whole command: its words, and how many bytes of the input it took.
    Command { argv: Vec<Vec<u8>>, used: usize },
    /// Bytes that carry no command (an empty line, `*0`): drop `used` bytes and look again.
    Nothing { used: usize },
    /// Not a whole command yet: wait for more bytes.
    Incomplete,
    /// The bytes break the protocol: answer this error, then close the connection.
    Error(Reply),
}

fn protocol_error(what: &str) -> Request {
    Request::Error(Reply::Error(format!("ERR Protocol error: {what}")))
}

/// Reads the first command of `input` (see the module doc).
pub fn parse_request(input: &[u8]) -> Request {
    match input.first() {
        None => Request::Incomplete,
        Some(b'*') => parse_array(input),
        Some(_) => parse_inline(input),
    }
}

/// The line starting at `at` up to its `\r` (Redis looks for the `\r` and then takes the byte
/// after it as the `\n` without checking); `None` if the input does not hold all of it yet.
fn header_line(input: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let rest = input.get(at..)?;
    let cr = rest.iter().position(|&b| b == b'\r')?;
    if rest.len() < cr + 2 {
        return None;
    }
    Some((&rest[..cr], at + cr + 2))
}

/// Redis's `string2ll`: an optional minus and digits without a leading zero (`0` alone is
/// fine, `-0` is not), nothing else (no plus, no spaces).
fn integer(text: &[u8]) -> Option<i64> {
    if text == b"0" {
        return Some(0);
    }
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    if digits.first().is_none_or(|d| !(b'1'..=b'9').contains(d)) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// `*<count>\r\n` then `count` times `$<len>\r\n<bytes>\r\n`.
fn parse_array(input: &[u8]) -> Request {
    let Some((head, mut at)) = header_line(input, 0) else {
        return if input.len() > INLINE_MAX {
            protocol_error("too big mbulk count string")
        } else {
            Request::Incomplete
        };
    };
    let count = match integer(&head[1..]) {
        Some(n) if n <= i32::MAX as i64 => n,
        _ => return protocol_error("invalid multibulk length"),
    };
    if count <= 0 {
        return Request::Nothing { used: at };
    }
    let mut argv = Vec::with_capacity(count.min(1024) as usize);
    for _ in 0..count {
        let Some((head, data_at)) = header_line(input, at) else {
            let waiting = input.len() - at;
            return if waiting > INLINE_MAX {
                protocol_error("too big bulk count string")
            } else {
                Request::Incomplete
            };
        };
        if head.first() != Some(&b'$') {
            let got = head.first().map(|&b| b as char).unwrap_or('\r');
            return protocol_error(&format!("expected '$', got '{got}'"));
        }
        let len = match integer(&head[1..]) {
            Some(n) if (0..=MAX_BULK).contains(&n) => n as usize,
            _ => return protocol_error("invalid bulk length"),
        };
        let Some(word) = input.get(data_at..data_at + len) else { return Request::Incomplete };
        if input.len() < data_at + len + 2 {
            return Request::Incomplete;
        }
        argv.push(word.to_vec());
        at = data_at + len + 2;
    }
    Request::Command { argv, used: at }
}

/// One line up to `\n` (a `\r` before it is dropped), split into words by [`split_args`].
fn parse_inline(input: &[u8]) -> Request {
    let Some(newline) = input.iter().position(|&b| b == b'\n') else {
        return if input.len() > INLINE_MAX { protocol_error("too big inline request") } else { Request::Incomplete };
    };
    let line = &input[..newline];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let used = newline + 1;
    match split_args(line) {
        None => protocol_error("unbalanced quotes in request"),
        Some(argv) if argv.is_empty() => Request::Nothing { used },
        Some(argv) => Request::Command { argv, used },
    }
}

/// C's `isspace`.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Redis's `sdssplitargs`: words separated by spaces; `"..."` with C escapes (`\n`, `\r`, `\t`,
/// `\b`, `\a`, `\xHH`, and a backslash before any other byte meaning that byte) and `'...'`
/// with only `\'`. A closing quote must be followed by a space or the end of the line, and
/// every quote must close; otherwise `None`. The line ends at a NUL byte, as a C string does.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let line = &line[..line.iter().position(|&b| b == 0).unwrap_or(line.len())];
    let at = |i: usize| line.get(i).copied();
    let mut words = Vec::new();
    let mut p = 0;
    loop {
        while at(p).is_some_and(is_space) {
            p += 1;
        }
        if p >= line.len() {
            return Some(words);
        }
        let mut word = Vec::new();
        let (mut in_double, mut in_single) = (false, false);
        loop {
            let c = at(p);
            if in_double {
                match (c, at(p + 1)) {
                    (None, _) => return None,
                    (Some(b'\\'), Some(b'x'))
                        if at(p + 2).is_some_and(|h| h.is_ascii_hexdigit())
                            && at(p + 3).is_some_and(|h| h.is_ascii_hexdigit()) =>
                    {
                        let hex = std::str::from_utf8(&line[p + 2..p + 4]).ok()?;
                        word.push(u8::from_str_radix(hex, 16).ok()?);
                        p += 3;
                    }
                    (Some(b'\\'), Some(escaped)) => {
                        word.push(match escaped {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => 8,
                            b'a' => 7,
                            other => other,
                        });
                        p += 1;
                    }
                    (Some(b'"'), next) => {
                        if next.is_some_and(|n| !is_space(n)) {
                            return None;
                        }
                        p += 1;
                        break;
                    }
                    (Some(other), _) => word.push(other),
                }
            } else if in_single {
                match (c, at(p + 1)) {
                    (None, _) => return None,
                    (Some(b'\\'), Some(b'\'')) => {
                        word.push(b'\'');
                        p += 1;
                    }
                    (Some(b'\''), next) => {
                        if next.is_some_and(|n| !is_space(n)) {
                            return None;
                        }
                        p += 1;
                        break;
                    }
                    (Some(other), _) => word.push(other),
                }
            } else {
                match c {
                    None | Some(b' ' | b'\n' | b'\r' | b'\t') => break,
                    Some(b'"') => in_double = true,
                    Some(b'\'') => in_single = true,
                    Some(other) => word.push(other),
                }
            }
            p += 1;
        }
        words.push(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn an_array_of_bulks_is_a_command_and_says_how_much_it_took() {
        let two = b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n";
        assert_eq!(parse_request(two), Request::Command { argv: words(&["GET", "k"]), used: 20 });
        assert_eq!(parse_request(&two[20..]), Request::Command { argv: words(&["PING"]), used: 14 });
        let binary = b"*1\r\n$3\r\n\x00\r\n\r\n";
        assert_eq!(parse_request(binary), Request::Command { argv: vec![b"\x00\r\n".to_vec()], used: 13 });
    }

    #[test]
    fn a_command_cut_anywhere_waits_for_the_rest() {
        let whole = b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
        for cut in 0..whole.len() {
            assert_eq!(parse_request(&whole[..cut]), Request::Incomplete, "cut at {cut}");
        }
    }

    #[test]
    fn broken_arrays_get_redis_s_protocol_errors() {
        let error = |text: &str| Request::Error(Reply::Error(format!("ERR Protocol error: {text}")));
        assert_eq!(parse_request(b"*x\r\n"), error("invalid multibulk length"));
        assert_eq!(parse_request(b"*3000000000\r\n"), error("invalid multibulk length"));
        assert_eq!(parse_request(b"*1\r\n:1\r\n"), error("expected '$', got ':'"));
        assert_eq!(parse_request(b"*1\r\n$-1\r\n"), error("invalid bulk length"));
        assert_eq!(parse_request(b"*1\r\n$+1\r\n"), error("invalid bulk length"));
        assert_eq!(parse_request(b"*1\r\n$-0\r\n"), error("invalid bulk length"));
        assert_eq!(parse_request(b"*1\r\n$01\r\n"), error("invalid bulk length"));
        assert_eq!(parse_request(b"*1\r\n$0\r\n\r\n"), Request::Command { argv: vec![Vec::new()], used: 10 });
        assert_eq!(parse_request(b"*1\r\n$536870913\r\n"), error("invalid bulk length"));
        assert_eq!(parse_request(&[b'*'; INLINE_MAX + 1]), error("too big mbulk count string"));
        assert_eq!(parse_request(b"*0\r\nPING\r\n"), Request::Nothing { used: 4 });
        assert_eq!(parse_request(b"*-1\r\n"), Request::Nothing { used: 5 });
    }

    #[test]
    fn an_inline_line_splits_like_sdssplitargs() {
        let line = b"SET greeting \"hello \\x41\\n\" 'it\\'s'\r\nPING\r\n";
        let Request::Command { argv, used } = parse_request(line) else { panic!("a command") };
        assert_eq!(argv, vec![b"SET".to_vec(), b"greeting".to_vec(), b"hello A\n".to_vec(), b"it's".to_vec()]);
        assert_eq!(&line[used..], b"PING\r\n");
        assert_eq!(parse_request(b"PING\n"), Request::Command { argv: words(&["PING"]), used: 5 });
        assert_eq!(parse_request(b"\r\n"), Request::Nothing { used: 2 });
        assert_eq!(parse_request(b"PING"), Request::Incomplete);
        let unbalanced = Request::Error(Reply::err("ERR Protocol error: unbalanced quotes in request"));
        assert_eq!(parse_request(b"SET a \"b\r\n"), unbalanced);
        assert_eq!(parse_request(b"SET a \"b\"c\r\n"), unbalanced);
        assert_eq!(parse_request(b"SET a 'b\r\n"), unbalanced);
        assert_eq!(split_args(b"  a  b "), Some(words(&["a", "b"])));
        assert_eq!(split_args(b"a\x00b"), Some(words(&["a"])), "a C string ends at NUL");
    }

    #[test]
    fn no_input_panics() {
        let mut rng = crate::engines::rng::Rng::new(3);
        let alphabet = b"*$:\r\n-0123456789\"'\\x ab";
        for _ in 0..20_000 {
            let len = rng.range(0, 24) as usize;
            let input: Vec<u8> = (0..len).map(|_| alphabet[rng.range(0, alphabet.len() as u64 - 1) as usize]).collect();
            if let Request::Command { used, .. } | Request::Nothing { used } = parse_request(&input) {
                assert!(used > 0 && used <= input.len(), "{input:?}");
            }
        }
    }
}
