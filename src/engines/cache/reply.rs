//! The typed reply: what a Redis 7.0 server sends back, with the types RESP3 can tell apart.
//!
//! Every command ends in one [`Reply`]. The shell formats it the way `redis-cli` prints it
//! (`(integer) 1`, `(nil)`, `1) "a"`), the conformance tools print it as JSON, and a socket
//! writes it as RESP bytes for the connection's protocol ([`Reply::to_resp`], in `resp.rs`).
//!
//! A handler answers in RESP3's vocabulary, as Redis 7.0's `addReplyMapLen`, `addReplySetLen`
//! and `addReplyDouble` do: HGETALL is a [`Reply::Map`], SMEMBERS a [`Reply::Set`], ZSCORE a
//! [`Reply::Double`]. A connection still on RESP2 (every connection until it says `HELLO 3`)
//! receives the same reply lowered to RESP2's five types ([`Reply::for_protocol`]):
//!
//! ```text
//!   RESP3 (HELLO 3)                         RESP2 (the default)
//!   %2 name Ada lang rust      Map     ->   *4 name Ada lang rust
//!   ~3 1 2 3                   Set     ->   *3 1 2 3
//!   ,1.5                       Double  ->   $3 1.5
//!   *2 *2 ada ,1.5 *2 bob ,3   Pairs   ->   *4 ada 1.5 bob 3
//!   %1 s [entries]          MapAsPairs ->   *1 *2 s [entries]     (XREAD)
//!   >3 message news hi         Push    ->   *3 message news hi
//!   =15 txt:# Keyspace..       Verbatim->   $11 # Keyspace..
//!   _                          Nil     ->   $-1     (a missing string)
//!   _                          NilArray->   *-1     (a missing array: BLPOP timing out)
//! ```
//!
//! RESP2 has two different "nothing" values, and Redis uses both: a missing string is the null
//! bulk (`$-1`, [`Reply::Nil`]) and a missing array is the null array (`*-1`,
//! [`Reply::NilArray`], what BLPOP answers on a timeout). RESP3 has one null (`_`) for both;
//! `redis-cli` prints all of them as `(nil)`.

use serde::{Deserialize, Serialize};

/// Which RESP a connection speaks: RESP2 until `HELLO 3`, and back with `HELLO 2`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Protocol {
    #[default]
    Resp2,
    Resp3,
}

impl Protocol {
    /// The number HELLO takes and answers as `proto` (2 or 3).
    pub fn version(self) -> i64 {
        match self {
            Protocol::Resp2 => 2,
            Protocol::Resp3 => 3,
        }
    }
}

/// One reply, in RESP3's types (see the module doc for what RESP2 makes of each).
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
    /// A missing string: RESP2's null bulk (`$-1`), RESP3's null (`_`).
    Nil,
    /// A missing array: RESP2's null array (`*-1`), RESP3's null (`_`).
    NilArray,
    /// An array (`*2 ...`), possibly nested.
    Array(Vec<Reply>),
    /// Several top-level replies to one command: `SUBSCRIBE a b` answers one confirmation per
    /// channel, each its own value on the wire. Never nested inside an array.
    Many(Vec<Reply>),
    /// A map (`%2`): HGETALL, CONFIG GET, XINFO, XREAD, HELLO. RESP2 sends the keys and values
    /// as one flat array.
    Map(Vec<(Reply, Reply)>),
    /// A set (`~3`): SMEMBERS, SINTER, SUNION, SDIFF, SPOP with a count. RESP2: an array.
    Set(Vec<Reply>),
    /// A double (`,1.5`): scores (ZSCORE, ZINCRBY, WITHSCORES). Redis 7.0 writes it with
    /// `%.17g` in both protocols; RESP2 sends that text as a bulk string.
    #[serde(with = "double_text")]
    Double(f64),
    /// Pairs that RESP3 nests and RESP2 flattens: `ZRANGE .. WITHSCORES` is `[[ada, 1.5],
    /// [bob, 3]]` in RESP3 and `[ada, 1.5, bob, 3]` in RESP2 (also ZPOPMIN with a count,
    /// HRANDFIELD WITHVALUES, ZRANDMEMBER WITHSCORES, ZUNION WITHSCORES ...).
    Pairs(Vec<(Reply, Reply)>),
    /// A map in RESP3 that RESP2 sends as an array of `[key, value]` arrays: XREAD and
    /// XREADGROUP (`%1 s [entries]` in RESP3, `*1 *2 s [entries]` in RESP2).
    MapAsPairs(Vec<(Reply, Reply)>),
    /// Out-of-band data (`>3`): pub/sub messages and (un)subscribe confirmations. RESP2 sends
    /// the same items as an array.
    Push(Vec<Reply>),
    /// A verbatim string (`=len\r\ntxt:...`), text meant for eyes: INFO, CLIENT LIST/INFO,
    /// CLUSTER NODES/INFO, MEMORY DOCTOR (always of format `txt` in Redis 7.0). RESP2: a bulk.
    Verbatim(Vec<u8>),
}

/// A double saved as the text Redis writes (JSON has no infinity), read back the same way.
mod double_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_double(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        let text = String::deserialize(d)?;
        super::super::args::parse_f64(text.as_bytes())
            .ok_or_else(|| serde::de::Error::custom(format!("not a double: {text}")))
    }
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
    /// A score, as Redis 7.0's `addReplyDouble` sends it: a RESP3 double, or in RESP2 a
    /// bulk holding its `%.17g` text.
    pub fn double(value: f64) -> Reply {
        Reply::Double(value)
    }
    /// A map from keys and values listed in turn (`[k1, v1, k2, v2]`), the order Redis's
    /// code writes them in (`addReplyBulkCString(c,"length"); addReplyLongLong(c,len)`).
    /// An odd last item is dropped.
    pub fn map_from_flat(items: Vec<Reply>) -> Reply {
        let mut pairs = Vec::with_capacity(items.len() / 2);
        let mut items = items.into_iter();
        while let (Some(k), Some(v)) = (items.next(), items.next()) {
            pairs.push((k, v));
        }
        Reply::Map(pairs)
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
    ///
    /// The recordings are RESP2, where none of RESP3's types occur; a RESP3 connection's
    /// replies extend the shape: `{"map": [[k, v], ...]}`, `{"set": [...]}`, `{"d": "1.5"}`
    /// (the `%.17g` text), `{"push": [...]}`, `{"txt": ..}` verbatim, and pairs as the
    /// array of two-element arrays RESP3 sends.
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
            Reply::Map(pairs) | Reply::MapAsPairs(pairs) => {
                json!({ "map": pairs.iter().map(|(k, v)| json!([k.to_json(), v.to_json()])).collect::<Vec<_>>() })
            }
            Reply::Pairs(pairs) => Value::Array(pairs.iter().map(|(k, v)| json!([k.to_json(), v.to_json()])).collect()),
            Reply::Set(items) => json!({ "set": items.iter().map(Reply::to_json).collect::<Vec<_>>() }),
            Reply::Push(items) => json!({ "push": items.iter().map(Reply::to_json).collect::<Vec<_>>() }),
            Reply::Double(value) => json!({ "d": format_double(*value) }),
            Reply::Verbatim(text) => json!({ "txt": String::from_utf8_lossy(text) }),
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
        assert_eq!(r.to_resp(Protocol::Resp2), b"*3\r\n$1\r\na\r\n:1\r\n$-1\r\n");
    }

    #[test]
    fn a_double_survives_a_save_as_json_even_when_infinite() {
        for value in [1.5, f64::INFINITY, f64::NEG_INFINITY, 0.1] {
            let text = serde_json::to_string(&Reply::Double(value)).unwrap();
            assert_eq!(serde_json::from_str::<Reply>(&text).unwrap(), Reply::Double(value), "{text}");
        }
    }
}
