//! An HTTP exchange over a program's connection to an endpoint in the lab.
//!
//! Not every server a program reaches speaks RESP: CloudShell's credentials endpoint
//! (`localhost:1338`, [`crate::shell::endpoints`]) speaks HTTP, and botocore talks to it through
//! urllib3 over an ordinary socket. The exchange gathers the bytes the program sends until a
//! whole request has arrived (its head, then as many body bytes as `Content-Length` says),
//! asks the endpoint for the response, and queues it for the program to read. Like a small
//! server it answers one request per connection and closes after it (`Connection: close`).

use std::collections::VecDeque;

/// The longest request head read (servers refuse longer ones with 431; the lab closes).
const MAX_HEAD: usize = 16 * 1024;
/// The longest request body read.
const MAX_BODY: usize = 1024 * 1024;

/// A request as it arrived.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path and query, as sent (`/latest/meta-data/...`).
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// A header's value, its name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A response to send back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Response {
    pub fn json(status: u16, body: String) -> Response {
        Response { status, content_type: "application/json", body }
    }

    /// The response as it travels: status line, headers, body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let reason = match self.status {
            200 => "OK",
            400 => "Bad Request",
            401 => "Unauthorized",
            404 => "Not Found",
            405 => "Method Not Allowed",
            _ => "Error",
        };
        format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
            self.status,
            self.content_type,
            self.body.len(),
            self.body
        )
        .into_bytes()
    }
}

/// What the bytes so far hold.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    Incomplete,
    Whole(Request),
    /// Not HTTP, or too long: the server closes the connection.
    Malformed,
}

/// Reads one request from the start of `bytes`.
pub fn parse(bytes: &[u8]) -> Parsed {
    let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
        return if bytes.len() > MAX_HEAD { Parsed::Malformed } else { Parsed::Incomplete };
    };
    if end > MAX_HEAD {
        return Parsed::Malformed;
    }
    let Ok(head) = std::str::from_utf8(&bytes[..end]) else { return Parsed::Malformed };
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version)) = (first.next(), first.next(), first.next()) else {
        return Parsed::Malformed;
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || !target.starts_with('/') {
        return Parsed::Malformed;
    }
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { return Parsed::Malformed };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut request = Request { method: method.to_string(), target: target.to_string(), headers, body: Vec::new() };
    let length = match request.header("Content-Length").map(|v| v.parse::<usize>()) {
        None => 0,
        Some(Ok(n)) if n <= MAX_BODY => n,
        Some(_) => return Parsed::Malformed,
    };
    let body = &bytes[end + 4..];
    if body.len() < length {
        return Parsed::Incomplete;
    }
    request.body = body[..length].to_vec();
    Parsed::Whole(request)
}

/// One connection's exchange: what arrived, and the response waiting to be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exchange {
    inbound: Vec<u8>,
    pub outbound: VecDeque<u8>,
    /// The response has been queued (or the request was refused): nothing more is read.
    pub answered: bool,
}

impl Exchange {
    /// Takes bytes the program sent; returns the request once it is whole (once only).
    pub fn receive(&mut self, bytes: &[u8]) -> Option<Request> {
        if self.answered {
            return None;
        }
        self.inbound.extend_from_slice(bytes);
        match parse(&self.inbound) {
            Parsed::Incomplete => None,
            Parsed::Whole(request) => {
                self.inbound.clear();
                Some(request)
            }
            Parsed::Malformed => {
                self.respond(&Response::json(400, String::new()));
                None
            }
        }
    }

    pub fn respond(&mut self, response: &Response) {
        self.outbound.extend(response.to_bytes());
        self.answered = true;
    }

    /// Up to `size` bytes of the response (removed unless `peek`).
    pub fn read(&mut self, size: usize, peek: bool) -> Vec<u8> {
        let n = size.min(self.outbound.len());
        if peek {
            return self.outbound.iter().take(n).copied().collect();
        }
        self.outbound.drain(..n).collect()
    }

    /// The server has closed: the response is out and all of it read.
    pub fn finished(&self) -> bool {
        self.answered && self.outbound.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_whole_once_its_body_has_arrived() {
        let mut exchange = Exchange::default();
        assert_eq!(exchange.receive(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"), None);
        assert_eq!(exchange.receive(b"\r\nab"), None);
        let request = exchange.receive(b"cd").expect("whole");
        assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/x"));
        assert_eq!(request.header("host"), Some("a"));
        assert_eq!(request.body, b"abcd");
    }

    #[test]
    fn what_is_not_http_is_refused_and_the_connection_ends() {
        let mut exchange = Exchange::default();
        assert_eq!(exchange.receive(b"*1\r\n$4\r\nPING\r\n\r\n"), None);
        assert!(exchange.answered);
        let reply = exchange.read(1 << 16, false);
        assert!(reply.starts_with(b"HTTP/1.1 400 Bad Request\r\n"), "{}", String::from_utf8_lossy(&reply));
        assert!(exchange.finished());
        assert_eq!(parse(&vec![b'a'; MAX_HEAD + 1]), Parsed::Malformed);
        assert_eq!(parse(b"GET / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n"), Parsed::Malformed);
    }
}
