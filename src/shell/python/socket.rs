//! A TCP connection from a program to a Redis server in the lab, byte for byte.
//!
//! The program (redis-py) writes RESP: `*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`. The connection
//! frames what arrives into commands as Redis reads them ([`parse_request`]), runs each on the
//! server as one client of it, and queues the replies, in the protocol the client chose with
//! `HELLO` (redis-py says `HELLO 3`), for the program to read, with any messages published to
//! the client's channels. A blocking command (`BLPOP`, `XREADGROUP ... BLOCK`)
//! that finds nothing waits in [`Connection::blocked`] until a write elsewhere lets it answer
//! or its deadline passes. The server may go away under the connection (a reboot, a failover):
//! the next read finds it closed, as a client's socket does.

use crate::engines::cache::reply::Reply;
use crate::engines::cache::request::{parse_request, Request};
use crate::engines::cache::{Cache, ClientId, Outcome};
use crate::shell::redis_cli::nodes::Remote;
use std::collections::VecDeque;

/// The most bytes a connection buffers in either direction before the server gives up on it
/// (Redis's own limit on a query buffer is 1 GB; the lab's is smaller).
pub const MAX_BUFFER: usize = 64 * 1024 * 1024;

/// Where a connection leads.
#[derive(Clone, Debug, PartialEq)]
pub enum Server {
    /// An ElastiCache node, through the lab's network.
    Node(Remote),
    /// A Redis server on the program's own host (the laptop's), by port.
    Local { host: String, port: u16 },
}

/// A blocking command that found nothing yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Blocked {
    pub argv: Vec<Vec<u8>>,
    /// Lab milliseconds; `None` waits for ever.
    pub deadline: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    pub server: Server,
    pub client: ClientId,
    /// Bytes received and not yet a whole command.
    pub inbound: Vec<u8>,
    /// Bytes of replies the program has not read yet.
    pub outbound: VecDeque<u8>,
    pub blocked: Option<Blocked>,
    /// Commands that arrived while a blocking one waited: they run after it answers.
    pub queued: VecDeque<Vec<Vec<u8>>>,
    /// The server closed the connection (a protocol error, `QUIT`, the node went away).
    pub closed: bool,
}

impl Connection {
    pub fn new(server: Server, client: ClientId) -> Connection {
        Connection {
            server,
            client,
            inbound: Vec::new(),
            outbound: VecDeque::new(),
            blocked: None,
            queued: VecDeque::new(),
            closed: false,
        }
    }

    /// Takes what the program sent and runs every whole command in it on `cache`.
    pub fn receive(&mut self, cache: &mut Cache, bytes: &[u8], now: i64) {
        if self.inbound.len() + bytes.len() > MAX_BUFFER {
            self.closed = true;
            return;
        }
        self.inbound.extend_from_slice(bytes);
        loop {
            match parse_request(&self.inbound) {
                Request::Command { argv, used } => {
                    self.inbound.drain(..used);
                    if self.blocked.is_some() {
                        self.queued.push_back(argv);
                    } else {
                        self.run(cache, argv, now);
                    }
                }
                Request::Nothing { used } => {
                    self.inbound.drain(..used);
                }
                Request::Incomplete => break,
                Request::Error(reply) => {
                    let bytes = encode(cache, self.client, &reply);
                    self.reply(&bytes);
                    self.closed = true;
                    break;
                }
            }
        }
    }

    fn run(&mut self, cache: &mut Cache, argv: Vec<Vec<u8>>, now: i64) {
        let quit = argv.first().is_some_and(|n| n.eq_ignore_ascii_case(b"quit"));
        match cache.execute(self.client, &argv, now) {
            Outcome::Reply(reply) => {
                let bytes = encode(cache, self.client, &reply);
                self.reply(&bytes);
            }
            Outcome::Blocked { deadline } => self.blocked = Some(Blocked { argv, deadline }),
        }
        if quit {
            self.closed = true;
        }
    }

    fn reply(&mut self, bytes: &[u8]) {
        self.outbound.extend(bytes);
    }

    /// Lets a waiting command try again (another client wrote, or the clock moved), then runs
    /// what queued behind it, and collects published messages. Returns whether there is now
    /// something to read.
    pub fn poll(&mut self, cache: &mut Cache, now: i64) -> bool {
        if let Some(waiting) = self.blocked.take() {
            match cache.execute(self.client, &waiting.argv, now) {
                Outcome::Reply(reply) => {
                    let bytes = encode(cache, self.client, &reply);
                    self.reply(&bytes);
                }
                Outcome::Blocked { .. } if waiting.deadline.is_some_and(|d| now >= d) => {
                    let bytes = encode(cache, self.client, &Cache::timeout_reply(&waiting.argv));
                    self.reply(&bytes);
                }
                Outcome::Blocked { .. } => self.blocked = Some(waiting),
            }
            while self.blocked.is_none() {
                let Some(argv) = self.queued.pop_front() else { break };
                self.run(cache, argv, now);
            }
        }
        for push in cache.take_pushes(self.client) {
            let bytes = encode(cache, self.client, &push);
            self.reply(&bytes);
        }
        !self.outbound.is_empty()
    }

    /// Up to `size` bytes of what the server sent (removed unless `peek`).
    pub fn read(&mut self, size: usize, peek: bool) -> Vec<u8> {
        let n = size.min(self.outbound.len());
        if peek {
            return self.outbound.iter().take(n).copied().collect();
        }
        self.outbound.drain(..n).collect()
    }
}

/// A reply in the protocol the client speaks.
fn encode(cache: &Cache, client: ClientId, reply: &Reply) -> Vec<u8> {
    reply.to_resp(cache.protocol(client))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_reads_replies_and_published_messages() {
        let mut cache = Cache::new(1, 0);
        let a = cache.connect();
        let b = cache.connect();
        let mut sub = Connection::new(Server::Local { host: "laptop".into(), port: 6379 }, a);
        let mut publisher = Connection::new(Server::Local { host: "laptop".into(), port: 6379 }, b);
        sub.receive(&mut cache, b"*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nnews\r\n", 0);
        assert!(sub.poll(&mut cache, 0));
        let confirm = sub.read(1024, false);
        assert!(confirm.starts_with(b"*3\r\n$9\r\nsubscribe\r\n"), "{}", String::from_utf8_lossy(&confirm));
        publisher.receive(&mut cache, b"PUBLISH news hello\r\n", 0);
        assert_eq!(publisher.read(100, false), b":1\r\n");
        assert!(sub.poll(&mut cache, 0));
        assert_eq!(sub.read(1024, false), b"*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n");
    }

    #[test]
    fn a_blocking_pop_waits_then_answers_or_times_out() {
        let mut cache = Cache::new(1, 0);
        let (a, b) = (cache.connect(), cache.connect());
        let mut waiter = Connection::new(Server::Local { host: "laptop".into(), port: 6379 }, a);
        let mut writer = Connection::new(Server::Local { host: "laptop".into(), port: 6379 }, b);
        waiter.receive(&mut cache, b"BLPOP jobs 5\r\nPING\r\n", 0);
        assert!(!waiter.poll(&mut cache, 1000));
        writer.receive(&mut cache, b"RPUSH jobs j1\r\n", 1000);
        assert!(waiter.poll(&mut cache, 1000));
        assert_eq!(waiter.read(1024, false), b"*2\r\n$4\r\njobs\r\n$2\r\nj1\r\n+PONG\r\n");
        waiter.receive(&mut cache, b"BLPOP jobs 5\r\n", 2000);
        assert!(!waiter.poll(&mut cache, 6000));
        assert!(waiter.poll(&mut cache, 7000));
        assert_eq!(waiter.read(1024, false), b"*-1\r\n");
    }
}
