//! A TCP connection from a program to a Redis server in the lab, byte for byte.
//!
//! The program (redis-py) writes RESP: `*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`. The connection
//! frames what arrives into commands ([`take_command`]), runs each on the server as one
//! client of it, and queues the encoded replies for the program to read, with any messages
//! published to the client's channels. A blocking command (`BLPOP`, `XREADGROUP ... BLOCK`)
//! that finds nothing waits in [`Connection::blocked`] until a write elsewhere lets it answer
//! or its deadline passes. The server may go away under the connection (a reboot, a failover):
//! the next read finds it closed, as a client's socket does.

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

/// A command's words, and how many bytes of the buffer it took.
pub type Framed = (Vec<Vec<u8>>, usize);

/// One command framed from the start of `buffer`, and how many bytes it took; `Ok(None)` when
/// more bytes are needed. Both RESP arrays of bulk strings and inline commands are read, as
/// Redis reads them; `Err` is Redis's protocol error (the server then closes the connection).
pub fn take_command(buffer: &[u8]) -> Result<Option<Framed>, String> {
    let Some(&first) = buffer.first() else { return Ok(None) };
    if first != b'*' {
        // An inline command: words up to the end of the line (`PING\r\n`, as telnet sends).
        let Some(newline) = buffer.iter().position(|&b| b == b'\n') else {
            return if buffer.len() > 64 * 1024 {
                Err("Protocol error: too big inline request".into())
            } else {
                Ok(None)
            };
        };
        let line = &buffer[..newline];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let argv = line.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty()).map(<[u8]>::to_vec).collect();
        return Ok(Some((argv, newline + 1)));
    }
    let Some(end) = find_crlf(buffer, 1) else { return Ok(None) };
    let count = number(&buffer[1..end]).ok_or("Protocol error: invalid multibulk length")?;
    if count > 1024 * 1024 {
        return Err("Protocol error: invalid multibulk length".into());
    }
    let mut at = end + 2;
    let mut argv = Vec::with_capacity(count.max(0) as usize);
    for _ in 0..count.max(0) {
        match buffer.get(at) {
            None => return Ok(None),
            Some(b'$') => {}
            Some(&other) => return Err(format!("Protocol error: expected '$', got '{}'", other as char)),
        }
        let Some(end) = find_crlf(buffer, at + 1) else { return Ok(None) };
        let len = number(&buffer[at + 1..end]).ok_or("Protocol error: invalid bulk length")?;
        if !(0..=512 * 1024 * 1024).contains(&len) {
            return Err("Protocol error: invalid bulk length".into());
        }
        let start = end + 2;
        let stop = start + len as usize;
        if buffer.len() < stop + 2 {
            return Ok(None);
        }
        argv.push(buffer[start..stop].to_vec());
        at = stop + 2;
    }
    Ok(Some((argv, at)))
}

/// A reply in the protocol the client speaks.
fn encode(_cache: &Cache, _client: ClientId, reply: &crate::engines::cache::reply::Reply) -> Vec<u8> {
    reply.to_resp()
}

fn find_crlf(buffer: &[u8], from: usize) -> Option<usize> {
    buffer.get(from..)?.windows(2).position(|w| w == b"\r\n").map(|i| i + from)
}

fn number(digits: &[u8]) -> Option<i64> {
    std::str::from_utf8(digits).ok()?.parse().ok()
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
            match take_command(&self.inbound) {
                Ok(Some((argv, used))) => {
                    self.inbound.drain(..used);
                    if argv.is_empty() {
                        continue;
                    }
                    if self.blocked.is_some() {
                        self.queued.push_back(argv);
                    } else {
                        self.run(cache, argv, now);
                    }
                }
                Ok(None) => break,
                Err(message) => {
                    self.reply(&format!("-ERR {message}\r\n").into_bytes());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_framed_whole_or_not_at_all() {
        let wire = b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
        assert_eq!(take_command(wire).unwrap(), Some((vec![b"GET".to_vec(), b"k".to_vec()], wire.len())));
        for cut in 0..wire.len() {
            assert_eq!(take_command(&wire[..cut]).unwrap(), None, "cut at {cut}");
        }
        assert_eq!(take_command(b"PING\r\n").unwrap(), Some((vec![b"PING".to_vec()], 6)));
        assert!(take_command(b"*x\r\n").is_err());
        assert!(take_command(b"*1\r\n+OK\r\n").is_err());
    }

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
