//! RESP on the wire: a [`Reply`] written as the bytes a Redis 7.0 server sends to a connection
//! speaking RESP2 or RESP3.
//!
//! A handler's reply is typed the RESP3 way (a map, a set, a double ...). Each connection
//! says which protocol it reads (`HELLO 2` / `HELLO 3`, see `cmd/server.rs`), and the server
//! writes for that protocol, as Redis's `addReply*` functions look at `c->resp`:
//!
//! ```text
//!   HGETALL user:1      RESP3: %2\r\n$4\r\nname\r\n$3\r\nAda\r\n$4\r\nlang\r\n$4\r\nrust\r\n
//!                       RESP2: *4\r\n$4\r\nname\r\n$3\r\nAda\r\n$4\r\nlang\r\n$4\r\nrust\r\n
//!   ZSCORE board ada    RESP3: ,1.5\r\n
//!                       RESP2: $3\r\n1.5\r\n
//!   GET missing         RESP3: _\r\n
//!                       RESP2: $-1\r\n
//! ```
//!
//! Two ways to RESP2, which always agree:
//! - [`Reply::for_protocol`] turns the typed reply into the RESP2-only tree (what
//!   `Cache::execute` hands to a RESP2 connection, so the shell's redis-cli, the conformance
//!   replay and the lessons see exactly the five RESP2 types);
//! - [`Reply::to_resp`] writes bytes for a protocol, lowering on the way.

use super::reply::{format_double, Protocol, Reply};

impl Reply {
    /// The reply as `protocol` carries it: unchanged for RESP3; for RESP2 every RESP3-only
    /// type becomes what Redis 7.0 sends a RESP2 client instead (maps and pairs flatten,
    /// sets and pushes become arrays, doubles and verbatim text become bulk strings).
    pub fn for_protocol(self, protocol: Protocol) -> Reply {
        match protocol {
            Protocol::Resp3 => self,
            Protocol::Resp2 => self.lowered(),
        }
    }

    fn lowered(self) -> Reply {
        match self {
            Reply::Status(_) | Reply::Error(_) | Reply::Integer(_) | Reply::Bulk(_) | Reply::Nil | Reply::NilArray => {
                self
            }
            Reply::Array(items) => Reply::Array(items.into_iter().map(Reply::lowered).collect()),
            Reply::Many(items) => Reply::Many(items.into_iter().map(Reply::lowered).collect()),
            Reply::Set(items) | Reply::Push(items) => Reply::Array(items.into_iter().map(Reply::lowered).collect()),
            Reply::Map(pairs) | Reply::Pairs(pairs) => {
                Reply::Array(pairs.into_iter().flat_map(|(k, v)| [k.lowered(), v.lowered()]).collect())
            }
            Reply::MapAsPairs(pairs) => {
                Reply::Array(pairs.into_iter().map(|(k, v)| Reply::Array(vec![k.lowered(), v.lowered()])).collect())
            }
            Reply::Double(value) => Reply::Bulk(format_double(value).into_bytes()),
            Reply::Verbatim(text) => Reply::Bulk(text),
        }
    }

    /// The reply as the bytes a server writes on the socket of a connection speaking
    /// `protocol`. For RESP2 this is byte for byte what `self.for_protocol(Resp2)` encodes.
    pub fn to_resp(&self, protocol: Protocol) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_resp(protocol, &mut out);
        out
    }

    /// Appends the reply's bytes for `protocol` to `out`.
    pub fn write_resp(&self, protocol: Protocol, out: &mut Vec<u8>) {
        let resp3 = protocol == Protocol::Resp3;
        match self {
            Reply::Status(s) => line(out, b'+', s),
            Reply::Error(s) => line(out, b'-', s),
            Reply::Integer(i) => line(out, b':', &i.to_string()),
            Reply::Bulk(b) => bulk(out, b),
            Reply::Nil if resp3 => out.extend_from_slice(b"_\r\n"),
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
            Reply::NilArray if resp3 => out.extend_from_slice(b"_\r\n"),
            Reply::NilArray => out.extend_from_slice(b"*-1\r\n"),
            Reply::Array(items) => aggregate(out, b'*', items, protocol),
            Reply::Many(items) => {
                for item in items {
                    item.write_resp(protocol, out);
                }
            }
            Reply::Set(items) => aggregate(out, if resp3 { b'~' } else { b'*' }, items, protocol),
            Reply::Push(items) => aggregate(out, if resp3 { b'>' } else { b'*' }, items, protocol),
            Reply::MapAsPairs(pairs) if !resp3 => {
                line(out, b'*', &pairs.len().to_string());
                for (k, v) in pairs {
                    out.extend_from_slice(b"*2\r\n");
                    k.write_resp(protocol, out);
                    v.write_resp(protocol, out);
                }
            }
            Reply::Map(pairs) | Reply::MapAsPairs(pairs) => {
                if resp3 {
                    line(out, b'%', &pairs.len().to_string());
                } else {
                    line(out, b'*', &(pairs.len() * 2).to_string());
                }
                for (k, v) in pairs {
                    k.write_resp(protocol, out);
                    v.write_resp(protocol, out);
                }
            }
            Reply::Pairs(pairs) => {
                line(out, b'*', &(if resp3 { pairs.len() } else { pairs.len() * 2 }).to_string());
                for (k, v) in pairs {
                    if resp3 {
                        out.extend_from_slice(b"*2\r\n");
                    }
                    k.write_resp(protocol, out);
                    v.write_resp(protocol, out);
                }
            }
            // Redis 7.0 formats with `%.17g` in both protocols (and spells out `inf`/`-inf`).
            Reply::Double(value) if resp3 => line(out, b',', &format_double(*value)),
            Reply::Double(value) => bulk(out, format_double(*value).as_bytes()),
            Reply::Verbatim(text) if resp3 => {
                line(out, b'=', &(text.len() + 4).to_string());
                out.extend_from_slice(b"txt:");
                out.extend_from_slice(text);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Verbatim(text) => bulk(out, text),
        }
    }
}

/// A one-line frame: its type byte, the text, CRLF.
fn line(out: &mut Vec<u8>, kind: u8, text: &str) {
    out.push(kind);
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// A length-prefixed bulk string.
fn bulk(out: &mut Vec<u8>, bytes: &[u8]) {
    line(out, b'$', &bytes.len().to_string());
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
}

/// An aggregate of `items.len()` elements under type byte `kind`.
fn aggregate(out: &mut Vec<u8>, kind: u8, items: &[Reply], protocol: Protocol) {
    line(out, kind, &items.len().to_string());
    for item in items {
        item.write_resp(protocol, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_type() -> Reply {
        Reply::Array(vec![
            Reply::Map(vec![(Reply::bulk("name"), Reply::bulk("Ada"))]),
            Reply::Set(vec![Reply::bulk("1"), Reply::bulk("2")]),
            Reply::Double(1.5),
            Reply::Double(f64::NEG_INFINITY),
            Reply::Pairs(vec![(Reply::bulk("ada"), Reply::Double(0.1))]),
            Reply::Push(vec![Reply::bulk("message")]),
            Reply::MapAsPairs(vec![(Reply::bulk("s"), Reply::Array(vec![]))]),
            Reply::Verbatim(b"a:1\r\n".to_vec()),
            Reply::Nil,
            Reply::NilArray,
        ])
    }

    #[test]
    fn resp2_bytes_are_the_lowered_reply_s_bytes() {
        let typed = every_type();
        let lowered = typed.clone().for_protocol(Protocol::Resp2);
        assert_eq!(typed.to_resp(Protocol::Resp2), lowered.to_resp(Protocol::Resp2));
        assert_eq!(
            lowered.to_resp(Protocol::Resp2),
            b"*10\r\n*2\r\n$4\r\nname\r\n$3\r\nAda\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n$3\r\n1.5\r\n$4\r\n-inf\r\n\
*2\r\n$3\r\nada\r\n$19\r\n0.10000000000000001\r\n*1\r\n$7\r\nmessage\r\n*1\r\n*2\r\n$1\r\ns\r\n*0\r\n\
$5\r\na:1\r\n\r\n$-1\r\n*-1\r\n"
                .to_vec()
        );
    }

    #[test]
    fn resp3_bytes() {
        assert_eq!(
            every_type().to_resp(Protocol::Resp3),
            b"*10\r\n%1\r\n$4\r\nname\r\n$3\r\nAda\r\n~2\r\n$1\r\n1\r\n$1\r\n2\r\n,1.5\r\n,-inf\r\n\
*1\r\n*2\r\n$3\r\nada\r\n,0.10000000000000001\r\n>1\r\n$7\r\nmessage\r\n%1\r\n$1\r\ns\r\n*0\r\n\
=9\r\ntxt:a:1\r\n\r\n_\r\n_\r\n"
                .to_vec()
        );
    }

    #[test]
    fn resp3_leaves_the_typed_reply_alone() {
        assert_eq!(every_type().for_protocol(Protocol::Resp3), every_type());
    }

    #[test]
    fn several_replies_are_several_frames() {
        let two = Reply::Many(vec![Reply::Push(vec![Reply::Integer(1)]), Reply::Push(vec![Reply::Integer(2)])]);
        assert_eq!(two.to_resp(Protocol::Resp3), b">1\r\n:1\r\n>1\r\n:2\r\n".to_vec());
        assert_eq!(two.to_resp(Protocol::Resp2), b"*1\r\n:1\r\n*1\r\n:2\r\n".to_vec());
    }
}
