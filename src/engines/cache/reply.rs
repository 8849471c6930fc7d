//! The typed reply: what a Redis 7.0 server sends back, as RESP2 values.
//!
//! Every command ends in one [`Reply`]. The shell formats it the way `redis-cli` prints it
//! (`(integer) 1`, `(nil)`, `1) "a"`), the conformance tools print it as JSON, and a future
//! network layer could write it as RESP2 bytes (`+OK\r\n`, `:1\r\n`, `$1\r\na\r\n`, `*-1\r\n`).
//!
//! RESP2 has two different "nothing" values, and Redis uses both: a missing string is the null
//! bulk (`$-1`, [`Reply::Nil`]) and a missing array is the null array (`*-1`,
//! [`Reply::NilArray`], what BLPOP answers on a timeout). `redis-cli` prints both as `(nil)`.

use serde::{Deserialize, Serialize};

/// One RESP2 value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// A simple string (`+OK`).
    Status(String),
    /// An error (`-ERR ...`); the text starts with its code word (`ERR`, `WRONGTYPE`, ...).
    Error(String),
    /// An integer (`:1`).
    Integer(i64),
    /// A bulk string (`$3\r\nabc`), binary safe.
    Bulk(Vec<u8>),
    /// The null bulk string (`$-1`).
    Nil,
    /// The null array (`*-1`).
    NilArray,
    /// An array (`*2 ...`), possibly nested.
    Array(Vec<Reply>),
    /// Several top-level replies to one command: `SUBSCRIBE a b` answers one confirmation per
    /// channel, each its own RESP2 value on the wire. Never nested inside an array.
    Many(Vec<Reply>),
}

impl Reply {
    pub fn ok() -> Reply {
        Reply::Status("OK".to_string())
    }
    pub fn err(text: impl Into<String>) -> Reply {
        Reply::Error(text.into())
    }
    pub fn bulk(bytes: impl AsRef<[u8]>) -> Reply {
        Reply::Bulk(bytes.as_ref().to_vec())
    }
    pub fn from_opt(value: Option<&[u8]>) -> Reply {
        match value {
            Some(v) => Reply::Bulk(v.to_vec()),
            None => Reply::Nil,
        }
    }
    /// A bulk holding a float written as Redis 7.0 writes scores (`%.17g`).
    pub fn double(value: f64) -> Reply {
        Reply::Bulk(format_double(value).into_bytes())
    }
    pub fn bulks<I, B>(items: I) -> Reply
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        Reply::Array(items.into_iter().map(|b| Reply::Bulk(b.as_ref().to_vec())).collect())
    }
    /// A HELP reply as Redis sends it: an array of status lines, not bulk strings (so
    /// redis-cli prints them without quotes).
    pub fn statuses(lines: &[&str]) -> Reply {
        Reply::Array(lines.iter().map(|l| Reply::Status(l.to_string())).collect())
    }
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// The reply in the conformance recordings' JSON shape: `{"s":..}` status, `{"e":..}`
    /// error, `{"i":N}` integer, `{"b":..}` bulk (`{"bx":"hex"}` when not UTF-8), `null` for
    /// both nils, a JSON array for arrays. `Many` becomes an array of its replies.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{json, Value};
        match self {
            Reply::Status(s) => json!({ "s": s }),
            Reply::Error(e) => json!({ "e": e }),
            Reply::Integer(i) => json!({ "i": i }),
            Reply::Bulk(b) => match std::str::from_utf8(b) {
                Ok(text) => json!({ "b": text }),
                Err(_) => json!({ "bx": b.iter().map(|x| format!("{x:02x}")).collect::<String>() }),
            },
            Reply::Nil | Reply::NilArray => Value::Null,
            Reply::Array(items) | Reply::Many(items) => Value::Array(items.iter().map(Reply::to_json).collect()),
        }
    }

    /// The reply as RESP2 bytes, as a server would write it on the socket.
    pub fn to_resp(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_resp(&mut out);
        out
    }

    fn write_resp(&self, out: &mut Vec<u8>) {
        match self {
            Reply::Status(s) => out.extend_from_slice(format!("+{s}\r\n").as_bytes()),
            Reply::Error(s) => out.extend_from_slice(format!("-{s}\r\n").as_bytes()),
            Reply::Integer(i) => out.extend_from_slice(format!(":{i}\r\n").as_bytes()),
            Reply::Bulk(b) => {
                out.extend_from_slice(format!("${}\r\n", b.len()).as_bytes());
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
            Reply::NilArray => out.extend_from_slice(b"*-1\r\n"),
            Reply::Array(items) => {
                out.extend_from_slice(format!("*{}\r\n", items.len()).as_bytes());
                for item in items {
                    item.write_resp(out);
                }
            }
            Reply::Many(items) => {
                for item in items {
                    item.write_resp(out);
                }
            }
        }
    }
}

/// A float the way Redis 7.0 replies with one (`addReplyDouble`: `%.17g`, and `inf`/`-inf`).
pub fn format_double(value: f64) -> String {
    format_g(value, 17)
}

/// C's `%.<precision>g`: the shortest of fixed and exponent notation for `precision`
/// significant digits, trailing zeros removed. Infinity is `inf`, as glibc prints it.
pub fn format_g(value: f64, precision: usize) -> String {
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf".to_string() } else { "-inf".to_string() };
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0".to_string() } else { "0".to_string() };
    }
    let precision = precision.max(1);
    // Round to `precision` significant digits first: the exponent after rounding decides.
    let sci = format!("{:.*e}", precision - 1, value);
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    if exp < -4 || exp >= precision as i32 {
        let mantissa = strip_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (precision as i32 - 1 - exp).max(0) as usize;
        strip_zeros(&format!("{:.*}", decimals, value)).to_string()
    }
}

fn strip_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// A float as INCRBYFLOAT and HINCRBYFLOAT store it: plain decimal notation, no exponent,
/// no trailing zeros (Redis prints a long double with `%.17Lf` and trims; the shortest
/// round-trip form of the same f64 reads the same for every value a learner types).
pub fn format_human_float(value: f64) -> String {
    if value.is_infinite() {
        return if value > 0.0 { "inf".to_string() } else { "-inf".to_string() };
    }
    if value == 0.0 {
        return "0".to_string();
    }
    format!("{value}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_g_matches_c() {
        assert_eq!(format_g(1.5, 17), "1.5");
        assert_eq!(format_g(1.1, 17), "1.1000000000000001");
        assert_eq!(format_g(3e10, 15), "30000000000");
        assert_eq!(format_g(1e20, 17), "1e+20");
        assert_eq!(format_g(0.0001, 17), "0.0001");
        assert_eq!(format_g(0.00001, 17), "1.0000000000000001e-05");
        assert_eq!(format_g(-2.0, 17), "-2");
        assert_eq!(format_g(f64::INFINITY, 17), "inf");
        assert_eq!(format_g(123456789012345680.0, 17), "1.2345678901234568e+17");
    }

    #[test]
    fn resp_bytes() {
        let r = Reply::Array(vec![Reply::bulk("a"), Reply::Integer(1), Reply::Nil]);
        assert_eq!(r.to_resp(), b"*3\r\n$1\r\na\r\n:1\r\n$-1\r\n");
    }
}
