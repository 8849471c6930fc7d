//! The lab's answers to a Python program's requests.
//!
//! A runtime (the native process runner, the browser's worker) reads each request the
//! program's `_dblab` package sends and hands it to [`Bridge::answer`]:
//!
//! | `op`      | asks                                   | answer                                   |
//! |-----------|----------------------------------------|------------------------------------------|
//! | `aws`     | a signed AWS request                   | `result` or `error` (code, message, status) |
//! | `sleep`   | `seconds` on the lab's clock           | `{}` once the clock has moved            |
//! | `resolve` | a host name, from the program's host   | `address`, or `error`                    |
//! | `connect` | `host` (an address), `port`, `timeout`, `wall` (the program's clock) | `conn`, or `error`: timeout / refused |
//! | `send`    | bytes (`data`, one char per byte)      | `{}`, the replies ready (`data`), or `closed` |
//! | `recv`    | up to `size` bytes, within `timeout`   | `data`, `timeout`, or `closed`; or *wait* |
//! | `close`   | the connection                         | `{}`                                     |
//!
//! `recv` is the one request that may have to wait: nothing to read yet, and the program
//! willing to wait. The answer is then [`Answer::Wait`], and the runtime asks again after the
//! lab changes (another program or terminal wrote, the clock moved); [`Bridge::next_deadline`]
//! says when a wait runs out, so a runtime with nothing else to do can move the clock there.
//!
//! A connection leads to a Redis server (an ElastiCache node, or one on the host: [`Connection`]
//! runs its commands) or to an HTTP endpoint of the host itself (CloudShell's credentials,
//! [`endpoints`]: [`Exchange`] frames the request and holds the response).

use super::http::Exchange;
use super::socket::{Connection, Server};
use crate::cloud::network::reach::Outcome;
use crate::cloud::sigv4::HttpRequest;
use crate::cloud::time::Duration;
use crate::cloud::KNOWN_REGIONS;
use crate::engines::cache::Cache;
use crate::shell::endpoints::{self, Endpoint};
use crate::shell::host::Host;
use crate::shell::redis_cli::nodes;
use crate::shell::session::SessionId;
use crate::shell::Lab;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// How long Linux tries a TCP connection that gets no answer before giving up.
const KERNEL_CONNECT_TIMEOUT_SECS: f64 = 127.0;
/// The longest single sleep (as the shell's `sleep`).
const MAX_SLEEP_SECS: f64 = 366.0 * 86_400.0;

/// What the lab says to a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Now(Value),
    /// Nothing yet: ask again when the lab has changed.
    Wait,
}

/// The connections programs hold, by number. (Not part of the saved lab: a connection ends
/// with its program.)
#[derive(Debug, Default)]
pub struct Bridge {
    connections: BTreeMap<u64, Open>,
    next: u64,
}

#[derive(Debug)]
enum Link {
    Redis(Connection),
    Http {
        endpoint: Endpoint,
        exchange: Exchange,
        /// How far the program's clock is ahead of the lab's (ms), for the times it is told.
        clock_offset: i64,
    },
}

#[derive(Debug)]
struct Open {
    session: SessionId,
    link: Link,
    /// When a waiting `recv` gives up (lab ms), while one waits.
    read_deadline: Option<i64>,
}

impl Bridge {
    pub fn new() -> Bridge {
        Bridge::default()
    }

    /// Answers one request from the program running in `session`.
    pub fn answer(&mut self, lab: &mut Lab, session: SessionId, request: &Value) -> Answer {
        let Some(host) = lab.session(session).map(|s| s.host.clone()) else {
            return Answer::Now(json!({"error": "closed"}));
        };
        let now = |v: Value| Answer::Now(v);
        match request["op"].as_str().unwrap_or("") {
            "aws" => now(aws(lab, &host, request)),
            "sleep" => now(sleep(lab, request["seconds"].as_f64().unwrap_or(0.0))),
            "resolve" => now(resolve(lab, &host, request["host"].as_str().unwrap_or(""))),
            "connect" => now(self.connect(lab, session, &host, request)),
            "send" => now(self.send(lab, request)),
            "recv" => self.recv(lab, request),
            "close" => {
                self.close(lab, request["conn"].as_u64().unwrap_or(0));
                now(json!({}))
            }
            other => now(json!({"error": format!("unknown request {other:?}")})),
        }
    }

    /// The earliest lab time at which a waiting read or blocked command gives up.
    pub fn next_deadline(&self) -> Option<i64> {
        self.connections
            .values()
            .flat_map(|o| {
                let blocked = match &o.link {
                    Link::Redis(c) => c.blocked.as_ref().and_then(|b| b.deadline),
                    Link::Http { .. } => None,
                };
                [o.read_deadline, blocked]
            })
            .flatten()
            .min()
    }

    /// Closes every connection of a session's program (it ended).
    pub fn program_ended(&mut self, lab: &mut Lab, session: SessionId) {
        let theirs: Vec<u64> =
            self.connections.iter().filter(|(_, o)| o.session == session).map(|(id, _)| *id).collect();
        for id in theirs {
            self.close(lab, id);
        }
    }

    fn connect(&mut self, lab: &mut Lab, session: SessionId, host_name: &str, request: &Value) -> Value {
        let address = request["host"].as_str().unwrap_or("");
        let port = request["port"].as_u64().unwrap_or(0).min(u16::MAX as u64) as u16;
        let timeout = request["timeout"].as_f64();
        let Lab { cloud, hosts, .. } = lab;
        let Some(host) = hosts.iter_mut().find(|h| h.name == host_name) else { return json!({"error": "refused"}) };
        let loopback = matches!(address, "127.0.0.1" | "localhost" | "::1");
        if let Some(endpoint) = endpoints::on_loopback(host, port).filter(|_| loopback) {
            let wall = request["wall"].as_f64().filter(|w| w.is_finite()).map(|w| (w * 1000.0) as i64);
            // (A program's clock set a century off is taken as that far, no further.)
            const CENTURY_MS: i64 = 100 * 365 * 86_400_000;
            let clock_offset = wall.map_or(0, |w| w.saturating_sub(cloud.now.0)).clamp(-CENTURY_MS, CENTURY_MS);
            let link = Link::Http { endpoint, exchange: Exchange::default(), clock_offset };
            return self.open(session, link);
        }
        let server = if loopback {
            let running =
                host.name == "laptop" && (port == nodes::DEFAULT_PORT || host.redis_nodes.contains_key(&port));
            if !running {
                return json!({"error": "refused"});
            }
            Server::Local { host: host.name.clone(), port }
        } else {
            let Some(answer) = crate::shell::net::resolve_from(cloud, host, address) else {
                return json!({"error": "unresolved"});
            };
            match cloud.reach(&host.source(), answer.address, port).outcome {
                Outcome::TimedOut => {
                    let wait = timeout.unwrap_or(KERNEL_CONNECT_TIMEOUT_SECS).clamp(0.0, KERNEL_CONNECT_TIMEOUT_SECS);
                    let until = cloud.now.plus(Duration((wait * 1000.0) as i64));
                    cloud.advance_to(until);
                    return json!({"error": "timeout"});
                }
                Outcome::Refused => return json!({"error": "refused"}),
                Outcome::Connected => match cloud.elasticache.node_at(answer.address) {
                    Some(n) if n.port == port => {
                        Server::Node(nodes::Remote { node: n.id.clone(), generation: n.generation })
                    }
                    _ => return json!({"error": "refused"}),
                },
            }
        };
        let now_ms = cloud.now.0;
        let Some(client) = with_server(host, cloud, &server, now_ms, |cache| cache.connect()) else {
            return json!({"error": "refused"});
        };
        self.open(session, Link::Redis(Connection::new(server, client)))
    }

    fn open(&mut self, session: SessionId, link: Link) -> Value {
        self.next += 1;
        let id = self.next;
        self.connections.insert(id, Open { session, link, read_deadline: None });
        json!({"conn": id})
    }

    fn send(&mut self, lab: &mut Lab, request: &Value) -> Value {
        let Some(open) = self.connections.get_mut(&request["conn"].as_u64().unwrap_or(0)) else {
            return json!({"closed": true});
        };
        let bytes = latin1_bytes(request["data"].as_str().unwrap_or(""));
        let now = lab.cloud.now.0;
        let Some(host_name) = lab.session(open.session).map(|s| s.host.clone()) else { return json!({"closed": true}) };
        let Lab { cloud, hosts, .. } = &mut *lab;
        let Some(host) = hosts.iter_mut().find(|h| h.name == host_name) else { return json!({"closed": true}) };
        match &mut open.link {
            Link::Redis(connection) => {
                let sent = with_server(host, cloud, &connection.server.clone(), now, |cache| {
                    connection.receive(cache, &bytes, now)
                });
                if sent.is_none() {
                    connection.closed = true;
                }
                // Other terminals may be waiting on what this wrote (a subscriber, a blocked pop).
                lab.advance(Duration(0));
                if connection.closed && connection.outbound.is_empty() {
                    return json!({"closed": true});
                }
                // The replies are ready as soon as the commands ran: they come back with this
                // answer, so the program's next read needs no request (one round trip a
                // command, not two).
                let replies = connection.read(PIGGYBACK_BYTES, false);
                if !replies.is_empty() {
                    return json!({"data": latin1_text(&replies)});
                }
            }
            Link::Http { endpoint, exchange, clock_offset } => {
                if exchange.finished() {
                    return json!({"closed": true});
                }
                if let Some(request) = exchange.receive(&bytes) {
                    let response = endpoints::answer(cloud, *endpoint, &request, *clock_offset);
                    exchange.respond(&response);
                }
            }
        }
        json!({})
    }

    fn recv(&mut self, lab: &mut Lab, request: &Value) -> Answer {
        let id = request["conn"].as_u64().unwrap_or(0);
        let Some(open) = self.connections.get_mut(&id) else { return Answer::Now(json!({"closed": true})) };
        let size = request["size"].as_u64().unwrap_or(65536).clamp(1, 1 << 20) as usize;
        let peek = request["peek"].as_bool().unwrap_or(false);
        let now = lab.cloud.now.0;
        let Some(host_name) = lab.session(open.session).map(|s| s.host.clone()) else {
            return Answer::Now(json!({"closed": true}));
        };
        let Lab { cloud, hosts, .. } = &mut *lab;
        let (data, closed) = match &mut open.link {
            Link::Redis(connection) => {
                if let Some(host) = hosts.iter_mut().find(|h| h.name == host_name) {
                    let polled =
                        with_server(host, cloud, &connection.server.clone(), now, |cache| connection.poll(cache, now));
                    if polled.is_none() {
                        // The server is gone (rebooted, failed over, deleted): so is the connection.
                        connection.closed = true;
                    }
                }
                (connection.read(size, peek), connection.closed)
            }
            Link::Http { exchange, .. } => (exchange.read(size, peek), exchange.answered),
        };
        if !data.is_empty() {
            open.read_deadline = None;
            return Answer::Now(json!({"data": latin1_text(&data)}));
        }
        if closed {
            return Answer::Now(json!({"closed": true}));
        }
        match request["timeout"].as_f64() {
            Some(t) if t <= 0.0 => Answer::Now(json!({"timeout": true})),
            Some(t) => {
                let deadline = *open.read_deadline.get_or_insert(now.saturating_add((t * 1000.0) as i64));
                if now >= deadline {
                    open.read_deadline = None;
                    Answer::Now(json!({"timeout": true}))
                } else {
                    Answer::Wait
                }
            }
            None => Answer::Wait,
        }
    }

    fn close(&mut self, lab: &mut Lab, id: u64) {
        let Some(Open { session, link: Link::Redis(connection), .. }) = self.connections.remove(&id) else { return };
        let Some(host_name) = lab.session(session).map(|s| s.host.clone()) else { return };
        let now = lab.cloud.now.0;
        let Lab { cloud, hosts, .. } = lab;
        if let Some(host) = hosts.iter_mut().find(|h| h.name == host_name) {
            with_server(host, cloud, &connection.server, now, |cache| cache.disconnect(connection.client));
        }
    }
}

/// At most this many bytes of replies ride on the answer to a `send` (the rest wait for `recv`).
const PIGGYBACK_BYTES: usize = 256 * 1024;

/// Runs `f` on the server a connection leads to, while it stands.
fn with_server<R>(
    host: &mut Host,
    cloud: &mut crate::cloud::Cloud,
    server: &Server,
    now: i64,
    f: impl FnOnce(&mut Cache) -> R,
) -> Option<R> {
    let cache = match server {
        Server::Node(remote) => nodes::server(host, cloud, "", 0, Some(remote), now),
        Server::Local { port, .. } => nodes::server(host, cloud, "127.0.0.1", *port, None, now),
    }?;
    Some(f(cache))
}

/// The program's bytes travel as a string of one char per byte (U+0000..U+00FF).
fn latin1_bytes(text: &str) -> Vec<u8> {
    text.chars().map(|c| c as u32 as u8).collect()
}

fn latin1_text(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

fn aws(lab: &mut Lab, host: &str, request: &Value) -> Value {
    let service = request["service"].as_str().unwrap_or("");
    let operation = request["operation"].as_str().unwrap_or("");
    let http = &request["http"];
    let headers = http["headers"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect())
        .unwrap_or_default();
    let http = HttpRequest {
        method: http["method"].as_str().unwrap_or("POST").to_string(),
        url: http["url"].as_str().unwrap_or("").to_string(),
        headers,
        body: http["body"].as_str().unwrap_or("").to_string(),
    };
    if let Some(region) = request["region"].as_str() {
        if !KNOWN_REGIONS.contains(&region) {
            return json!({"unreachable": http.url});
        }
    }
    let params = match &request["params"] {
        Value::Null => {
            return json!({"error": {"code": "SerializationException", "message": "Start of structure or map found where not expected.", "status": 400}})
        }
        p => p.clone(),
    };
    let result = lab.cloud.call_signed(host, &http, service, operation, &params);
    lab.sync_hosts();
    lab.advance(Duration(0));
    match result {
        Ok(v) => json!({"result": v}),
        Err(e) => json!({"error": {"code": e.code, "message": e.message, "status": e.status}}),
    }
}

fn sleep(lab: &mut Lab, seconds: f64) -> Value {
    let seconds = if seconds.is_finite() { seconds.clamp(0.0, MAX_SLEEP_SECS) } else { 0.0 };
    lab.advance(Duration((seconds * 1000.0).round() as i64));
    json!({})
}

fn resolve(lab: &Lab, host: &str, name: &str) -> Value {
    if matches!(name, "localhost" | "127.0.0.1") {
        return json!({"address": "127.0.0.1"});
    }
    let Some(h) = lab.host(host) else { return json!({"error": "unresolved"}) };
    match crate::shell::net::resolve_from(&lab.cloud, h, name) {
        Some(answer) => json!({"address": answer.address.to_string()}),
        None => json!({"error": "unresolved"}),
    }
}
