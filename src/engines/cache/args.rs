//! Reading arguments the way Redis reads them, and the error texts it answers with.
//!
//! Redis is strict about numbers: `string2ll` accepts `-12` but not `+12`, ` 12`, `012` or
//! `12 `; `strtod` accepts `1.5`, `1e3`, `inf`, but a float that is NaN is rejected. The helpers
//! here reproduce those rules, so that `INCR` on `"012"` fails exactly as on a real server.

use super::reply::Reply;

pub const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
pub const NOT_INTEGER: &str = "ERR value is not an integer or out of range";
pub const NOT_FLOAT: &str = "ERR value is not a valid float";
pub const SYNTAX: &str = "ERR syntax error";
pub const NO_SUCH_KEY: &str = "ERR no such key";
pub const OUT_OF_RANGE_POSITIVE: &str = "ERR value is out of range, must be positive";
pub const OOM: &str = "OOM command not allowed when used memory > 'maxmemory'.";

pub fn wrongtype() -> Reply {
    Reply::err(WRONGTYPE)
}
pub fn syntax() -> Reply {
    Reply::err(SYNTAX)
}
pub fn not_integer() -> Reply {
    Reply::err(NOT_INTEGER)
}
pub fn wrong_args(name: &str) -> Reply {
    Reply::Error(format!("ERR wrong number of arguments for '{name}' command"))
}

/// Parses a signed 64-bit integer with Redis's `string2ll` rules.
pub fn parse_i64(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() > 20 {
        return None;
    }
    if bytes == b"0" {
        return Some(0);
    }
    let (negative, digits) = match bytes[0] {
        b'-' => (true, &bytes[1..]),
        _ => (false, bytes),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut value: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add((b - b'0') as u64)?;
    }
    if negative {
        if value > (i64::MAX as u64) + 1 {
            return None;
        }
        Some((value as i64).wrapping_neg())
    } else {
        i64::try_from(value).ok()
    }
}

/// Parses an argument as an integer or returns the standard error reply.
pub fn int_arg(bytes: &[u8]) -> Result<i64, Reply> {
    parse_i64(bytes).ok_or_else(not_integer)
}

/// Parses a float with `strtod`'s rules as Redis applies them: no leading space, nothing
/// after the number, and never NaN.
pub fn parse_f64(bytes: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(bytes).ok()?;
    if text.is_empty() || text.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let value = match lower.as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => f64::INFINITY,
        "-inf" | "-infinity" => f64::NEG_INFINITY,
        _ => {
            // Rust accepts "nan", "infinity" spelled other ways and "1_0"? no; but it also
            // accepts a few forms strtod does not (none that matter) — reject NaN explicitly.
            if lower.contains("nan") || lower.contains("inf") {
                return None;
            }
            text.parse::<f64>().ok()?
        }
    };
    if value.is_nan() {
        None
    } else {
        Some(value)
    }
}

pub fn float_arg(bytes: &[u8]) -> Result<f64, Reply> {
    parse_f64(bytes).ok_or_else(|| Reply::err(NOT_FLOAT))
}

/// True when `arg` is the keyword `word` (case-insensitive, as Redis compares options).
pub fn is(arg: &[u8], word: &str) -> bool {
    arg.eq_ignore_ascii_case(word.as_bytes())
}

/// The argument as text for error messages (lossy for binary input, as Redis prints bytes).
pub fn text(arg: &[u8]) -> String {
    String::from_utf8_lossy(arg).into_owned()
}

/// A timeout argument of the blocking commands, in seconds (may be fractional), as
/// milliseconds. Errors as Redis words them.
pub fn timeout_arg(bytes: &[u8]) -> Result<i64, Reply> {
    let secs = parse_f64(bytes).ok_or_else(|| Reply::err("ERR timeout is not a float or out of range"))?;
    if secs < 0.0 {
        return Err(Reply::err("ERR timeout is negative"));
    }
    if !secs.is_finite() || secs * 1000.0 > i64::MAX as f64 / 2.0 {
        return Err(Reply::err("ERR timeout is out of range"));
    }
    Ok((secs * 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_string2ll() {
        assert_eq!(parse_i64(b"12"), Some(12));
        assert_eq!(parse_i64(b"-12"), Some(-12));
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775808"), None);
        for bad in [&b"+1"[..], b" 1", b"1 ", b"01", b"-0", b"", b"-", b"1.0"] {
            assert_eq!(parse_i64(bad), None, "{:?}", bad);
        }
    }

    #[test]
    fn floats_follow_strtod() {
        assert_eq!(parse_f64(b"1.5"), Some(1.5));
        assert_eq!(parse_f64(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64(b"1e3"), Some(1000.0));
        assert_eq!(parse_f64(b"nan"), None);
        assert_eq!(parse_f64(b" 1"), None);
        assert_eq!(parse_f64(b"abc"), None);
    }
}
