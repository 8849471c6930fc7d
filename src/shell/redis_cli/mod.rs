//! `redis-cli`: the Redis command-line client, talking to the lab's Redis servers.
//!
//! On `laptop` it reaches a local Redis (as if `redis-server` were installed there), kept in
//! the host so it is saved with the lab. Two ways to use it, as the real client:
//!
//! - one-shot: `redis-cli SET greeting hello` prints `OK` and returns to the shell;
//! - interactive: `redis-cli` takes the terminal with the prompt `127.0.0.1:6379>` (with
//!   `[n]` after a SELECT, `(TX)` inside MULTI) until `quit` or `exit`.
//!
//! With `-c` (cluster mode) a `-MOVED` or `-ASK` answer is followed as the real client follows
//! it: the tab reconnects to the node named, says `-> Redirected to slot [12182] located at
//! 127.0.0.1:7002`, runs the command again there (after `ASKING` for `-ASK`), and its prompt
//! names the new node. Addresses are looked up in [`nodes`].
//!
//! From an EC2 instance, `redis-cli -h <endpoint>` reaches an ElastiCache node through the
//! network ([`nodes::open`]). When the node restarts or fails over the connection drops: the
//! next command prints `Error: Server closed the connection` and the prompt reads
//! `not connected>`; the command after that connects again, resolving the name afresh — so a
//! primary endpoint now leads to the promoted replica.
//!
//! Each terminal tab running redis-cli is its own connection. `SUBSCRIBE` turns the tab into a
//! reader: messages published from another tab are appended to its transcript by `Lab::exec`
//! ([`deliver`]). A blocking command (BLPOP with nothing to pop) keeps the tab waiting; after
//! every line typed anywhere the lab retries it, and gives up at its deadline on the lab clock.

pub mod format;
pub mod nodes;

use super::command::{Command, Ctx};
use super::foreground::Foreground;
use super::host::Host;
use super::session::{Line, Session};
use crate::cloud::Cloud;
use crate::engines::cache::{Cache, ClientId, Outcome, Reply};
use format::format_reply;
use nodes::Remote;
use serde::{Deserialize, Serialize};

pub struct RedisCli;

/// The state of an interactive redis-cli in one tab.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CliState {
    pub client: ClientId,
    pub host: String,
    pub port: u16,
    /// A blocking command waiting for data: its argv, when it started, and its deadline.
    pub waiting: Option<Waiting>,
    /// Started with `-c`: follows cluster redirections.
    pub cluster: bool,
    /// The ElastiCache node connected to (`None`: a server on the laptop itself).
    pub remote: Option<Remote>,
    /// The connection is down: the prompt reads `not connected>` and the next command
    /// connects again.
    pub disconnected: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub argv: Vec<Vec<u8>>,
    pub since: i64,
    pub deadline: Option<i64>,
}

impl CliState {
    /// `127.0.0.1:6379>`, `127.0.0.1:6379[2]>`, `127.0.0.1:6379(TX)>`; nothing while waiting
    /// or subscribed (redis-cli shows no prompt then).
    pub fn prompt(&self, server: Option<&Cache>) -> String {
        if self.waiting.is_some() {
            return String::new();
        }
        if self.disconnected {
            return "not connected> ".into();
        }
        let client = server.and_then(|s| s.client(self.client));
        if client.is_some_and(|c| c.subscriptions() > 0) {
            return String::new();
        }
        let db = client.map(|c| c.db).unwrap_or(0);
        let db = if db == 0 { String::new() } else { format!("[{db}]") };
        let tx = if client.is_some_and(|c| c.multi.is_some()) { "(TX)" } else { "" };
        format!("{}:{}{db}{tx}> ", self.host, self.port)
    }
}

/// How many redirections one command may follow before redis-cli gives up on it.
const MAX_REDIRECTS: usize = 16;

/// The slot and the node a `MOVED <slot> <host>:<port>` or `ASK ...` error names, and whether
/// it is an ASK.
fn redirection(error: &str) -> Option<(u16, String, u16, bool)> {
    let mut words = error.split(' ');
    let ask = match words.next()? {
        "MOVED" => false,
        "ASK" => true,
        _ => return None,
    };
    let slot = words.next()?.parse().ok()?;
    let (addr, port) = words.next()?.rsplit_once(':')?;
    Some((slot, addr.to_string(), port.parse().ok()?, ask))
}

/// Runs `argv` on the node `state` is connected to. With `-c`, a redirection moves the
/// connection to the node named and runs the command there (telling so in `out` when
/// `interactive`, as redis-cli does only at its prompt). `None` when a node cannot be reached
/// (the reason is in `out`).
fn execute(
    host: &mut Host,
    cloud: &mut Cloud,
    state: &mut CliState,
    argv: &[Vec<u8>],
    now: i64,
    interactive: bool,
    out: &mut String,
) -> Option<Outcome> {
    let mut asking = false;
    for _ in 0..MAX_REDIRECTS {
        if state.disconnected {
            reconnect(host, cloud, state, now).map_err(|e| out.push_str(&format!("{e}\n"))).ok()?;
        }
        let Some(server) = nodes::server(host, cloud, &state.host, state.port, state.remote.as_ref(), now) else {
            if state.remote.is_some() {
                out.push_str("Error: Server closed the connection\n");
                state.disconnected = true;
            } else {
                out.push_str(&format!(
                    "Could not connect to Redis at {}:{}: Connection refused\n",
                    state.host, state.port
                ));
            }
            return None;
        };
        if asking {
            server.call(state.client, &[b"ASKING".to_vec()], now);
        }
        let outcome = server.execute(state.client, argv, now);
        let target = match &outcome {
            Outcome::Reply(Reply::Error(e)) if state.cluster => redirection(e),
            _ => None,
        };
        let Some((slot, addr, port, ask)) = target else { return Some(outcome) };
        if interactive {
            out.push_str(&format!("-> Redirected to slot [{slot}] located at {addr}:{port}\n"));
        }
        if let Some(old) = nodes::server(host, cloud, &state.host, state.port, state.remote.as_ref(), now) {
            old.disconnect(state.client);
        }
        state.host = addr;
        state.port = port;
        if let Err(e) = reconnect(host, cloud, state, now) {
            out.push_str(&format!("{e}\n"));
            return None;
        }
        asking = ask;
    }
    Some(Outcome::Reply(Reply::err("ERR too many cluster redirections")))
}

/// Connects the tab to `state.host:state.port` afresh (resolving the name again).
fn reconnect(host: &mut Host, cloud: &mut Cloud, state: &mut CliState, now: i64) -> Result<(), String> {
    let remote = nodes::open(host, cloud, &state.host, state.port)?;
    let server = nodes::server(host, cloud, &state.host, state.port, remote.as_ref(), now)
        .ok_or_else(|| format!("Could not connect to Redis at {}:{}: Connection refused", state.host, state.port))?;
    state.client = server.connect();
    state.remote = remote;
    state.disconnected = false;
    Ok(())
}

/// Splits a redis-cli line into arguments: spaces separate, "double" and 'single' quotes group,
/// and inside double quotes `\n`, `\"`, `\xHH` escapes work (redis-cli's `sdssplitargs`).
pub fn split_args(line: &str) -> Result<Vec<Vec<u8>>, String> {
    let mut args = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let mut current = Vec::new();
        let (mut in_double, mut in_single) = (false, false);
        loop {
            let Some(&c) = bytes.get(i) else {
                if in_double || in_single {
                    return Err("Invalid argument(s)".into());
                }
                break;
            };
            if in_double {
                if c == b'\\' && i + 3 < bytes.len() && bytes[i + 1] == b'x' {
                    let hex =
                        std::str::from_utf8(&bytes[i + 2..i + 4]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                    if let Some(v) = hex {
                        current.push(v);
                        i += 4;
                        continue;
                    }
                }
                if c == b'\\' && i + 1 < bytes.len() {
                    current.push(match bytes[i + 1] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        other => other,
                    });
                    i += 2;
                    continue;
                }
                if c == b'"' {
                    if bytes.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace()) {
                        return Err("Invalid argument(s)".into());
                    }
                    i += 1;
                    break;
                }
                current.push(c);
            } else if in_single {
                if c == b'\\' && bytes.get(i + 1) == Some(&b'\'') {
                    current.push(b'\'');
                    i += 2;
                    continue;
                }
                if c == b'\'' {
                    if bytes.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace()) {
                        return Err("Invalid argument(s)".into());
                    }
                    i += 1;
                    break;
                }
                current.push(c);
            } else {
                match c {
                    b' ' | b'\t' | b'\n' | b'\r' => break,
                    b'"' => in_double = true,
                    b'\'' => in_single = true,
                    _ => current.push(c),
                }
            }
            i += 1;
        }
        args.push(current);
    }
    Ok(args)
}

/// Where redis-cli connects: `-h`/`-p`, `-n` the database, `-c` cluster mode.
struct Target {
    host: String,
    port: u16,
    db: Option<String>,
    cluster: bool,
    rest: Vec<String>,
}

fn parse_options(args: &[String]) -> Result<Target, String> {
    let mut t =
        Target { host: "127.0.0.1".into(), port: nodes::DEFAULT_PORT, db: None, cluster: false, rest: Vec::new() };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = args.get(i + 1);
        match (a, value) {
            ("-h", Some(v)) => t.host = v.clone(),
            ("-p", Some(v)) => t.port = v.parse().map_err(|_| format!("Invalid port: {v}"))?,
            ("-n", Some(v)) => t.db = Some(v.clone()),
            ("-c", _) => {
                t.cluster = true;
                i += 1;
                continue;
            }
            ("--no-raw", _) => {
                i += 1;
                continue;
            }
            _ if a.starts_with('-') && t.rest.is_empty() && a.len() > 1 => {
                return Err(format!("Unrecognized option or bad number of args for: '{a}'"));
            }
            _ => {
                t.rest = args[i..].to_vec();
                break;
            }
        }
        i += 2;
    }
    Ok(t)
}

impl Command for RedisCli {
    fn name(&self) -> &'static str {
        "redis-cli"
    }
    fn summary(&self) -> &'static str {
        "the Redis command-line client (redis-cli [-h host] [-p port] [-n db] [-c] [command ...])"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let target = match parse_options(args) {
            Ok(t) => t,
            Err(e) => {
                ctx.errln(&e);
                return 1;
            }
        };
        let addr = target.host.clone();
        let mut state = CliState {
            client: 0,
            host: addr,
            port: target.port,
            waiting: None,
            cluster: target.cluster,
            remote: None,
            disconnected: true,
        };
        let now = ctx.cloud.now.0;
        if let Err(e) = reconnect(ctx.host, ctx.cloud, &mut state, now) {
            if target.rest.is_empty() {
                // Interactive: redis-cli still starts, not connected, and retries on each command.
                ctx.outln(&e);
                ctx.take_over(Foreground::RedisCli(state));
                return 0;
            }
            ctx.errln(&e);
            return 1;
        }
        let now = ctx.cloud.now.0;
        let Some(server) = nodes::server(ctx.host, ctx.cloud, &state.host, state.port, state.remote.as_ref(), now)
        else {
            return 1;
        };
        let client = state.client;
        let mut early = String::new();
        if let Some(db) = &target.db {
            let reply = server.call(client, &[b"SELECT".to_vec(), db.as_bytes().to_vec()], now);
            if reply.is_error() {
                early = format_reply(&reply);
            }
        }
        if target.rest.is_empty() {
            ctx.out(&early);
            ctx.take_over(Foreground::RedisCli(state));
            return 0;
        }
        // One-shot: run the command (following redirections silently with -c), print the
        // reply, disconnect.
        let argv: Vec<Vec<u8>> = target.rest.iter().map(|a| a.as_bytes().to_vec()).collect();
        let mut notes = String::new();
        let outcome = execute(ctx.host, ctx.cloud, &mut state, &argv, now, false, &mut notes);
        if let Some(server) = nodes::server(ctx.host, ctx.cloud, &state.host, state.port, state.remote.as_ref(), now) {
            server.disconnect(state.client);
        }
        ctx.out(&early);
        match outcome {
            Some(Outcome::Reply(reply)) => {
                ctx.out(&if format::prints_raw(&argv) { format::format_raw(&reply) } else { format_reply(&reply) });
                0
            }
            Some(Outcome::Blocked { .. }) => {
                ctx.out(&format_reply(&Cache::timeout_reply(&argv)));
                0
            }
            None => {
                ctx.errln(notes.trim_end());
                1
            }
        }
    }
}

/// A line typed at the interactive redis-cli prompt.
pub fn answer(ctx: &mut Ctx, mut state: CliState, line: &str) {
    let now = ctx.cloud.now.0;
    if state.waiting.is_some() {
        // The terminal is busy with a blocking command; typed lines are lost, as in redis-cli.
        return;
    }
    let subscribed = nodes::server_ref(ctx.host, ctx.cloud, &state.host, state.port, state.remote.as_ref())
        .and_then(|s| s.client(state.client))
        .is_some_and(|c| c.subscriptions() > 0);
    if subscribed && !state.disconnected {
        return;
    }
    let argv = match split_args(line) {
        Ok(a) => a,
        Err(e) => {
            ctx.outln(&e);
            return;
        }
    };
    let Some(first) = argv.first() else { return };
    let name = String::from_utf8_lossy(first).to_ascii_lowercase();
    if name == "quit" || name == "exit" {
        hang_up(ctx.host, ctx.cloud, &state);
        ctx.give_back(0);
        return;
    }
    if name == "clear" {
        ctx.clear = true;
        return;
    }
    let before = state.clone();
    let mut notes = String::new();
    let outcome = execute(ctx.host, ctx.cloud, &mut state, &argv, now, true, &mut notes);
    ctx.out(&notes);
    match outcome {
        Some(Outcome::Reply(reply)) => {
            let subscribing = matches!(name.as_str(), "subscribe" | "psubscribe") && !reply.is_error();
            if subscribing {
                ctx.out("Reading messages... (press Ctrl-C to quit)\n");
            }
            ctx.out(&if format::prints_raw(&argv) { format::format_raw(&reply) } else { format_reply(&reply) });
        }
        Some(Outcome::Blocked { deadline }) => {
            state.waiting = Some(Waiting { argv, since: now, deadline });
        }
        None => {}
    }
    if state != before {
        ctx.take_over(Foreground::RedisCli(state));
    }
}

/// After any line anywhere: hands each redis-cli tab on `host` the messages published to it,
/// and retries (or times out) its blocking command. Returns nothing; output goes to the tabs'
/// transcripts.
pub fn deliver(host: &mut Host, cloud: &mut Cloud, sessions: &mut [Session], now: i64) {
    let name = host.name.clone();
    for session in sessions.iter_mut().filter(|s| s.host == name) {
        let Foreground::RedisCli(state) = &session.foreground else { continue };
        let mut state = state.clone();
        let Some(server) = nodes::server_existing(host, cloud, &state.host, state.port, state.remote.as_ref()) else {
            continue;
        };
        let mut text = String::new();
        if let Some(waiting) = state.waiting.clone() {
            match server.execute(state.client, &waiting.argv, now) {
                Outcome::Reply(reply) => {
                    text.push_str(&format_reply(&reply));
                    state.waiting = None;
                }
                Outcome::Blocked { .. } if waiting.deadline.is_some_and(|d| d <= now) => {
                    text.push_str(&format_reply(&Cache::timeout_reply(&waiting.argv)));
                    state.waiting = None;
                }
                Outcome::Blocked { .. } => {}
            }
            if state.waiting.is_none() {
                let elapsed = now - waiting.since;
                if elapsed >= 500 {
                    text.push_str(&format!("({}.{:02}s)\n", elapsed / 1000, (elapsed % 1000) / 10));
                }
            }
        }
        for push in server.take_pushes(state.client) {
            text.push_str(&format_reply(&push));
        }
        if !text.is_empty() {
            session.show(Line::Output(text));
        }
        session.foreground = Foreground::RedisCli(state);
    }
}

/// Ctrl+C in a redis-cli tab: the connection closes with the program.
pub fn hang_up(host: &mut Host, cloud: &mut Cloud, state: &CliState) {
    if let Some(server) = nodes::server_existing(host, cloud, &state.host, state.port, state.remote.as_ref()) {
        server.disconnect(state.client);
    }
}

#[cfg(test)]
mod tests {
    use crate::cloud::time::{Duration, Timestamp};
    use crate::shell::Lab;

    fn lab() -> Lab {
        Lab::new(1, Timestamp::from_civil(2026, 11, 26, 9, 0, 0))
    }

    #[test]
    fn one_shot_commands() {
        let mut lab = lab();
        assert_eq!(lab.exec(1, "redis-cli SET a 1").text, "OK\n");
        assert_eq!(lab.exec(1, "redis-cli INCR a").text, "(integer) 2\n");
        assert_eq!(lab.exec(1, "redis-cli GET nothing").text, "(nil)\n");
        assert_eq!(lab.exec(1, "redis-cli -n 2 GET a").text, "(nil)\n");
        assert_eq!(lab.exec(1, "redis-cli RPUSH l x y").text, "(integer) 2\n");
        assert_eq!(lab.exec(1, "redis-cli LRANGE l 0 -1").text, "1) \"x\"\n2) \"y\"\n");
        assert_eq!(lab.exec(1, "redis-cli LRANGE none 0 -1").text, "(empty array)\n");
        assert_eq!(
            lab.exec(1, "redis-cli FOO").text,
            "(error) ERR unknown command 'FOO', with args beginning with: \n"
        );
    }

    #[test]
    fn interactive_prompt_multi_and_quit() {
        let mut lab = lab();
        lab.exec(1, "redis-cli");
        assert_eq!(lab.prompt(1), "127.0.0.1:6379> ");
        assert_eq!(lab.exec(1, "SET greeting \"hello world\"").text, "OK\n");
        assert_eq!(lab.exec(1, "GET greeting").text, "\"hello world\"\n");
        assert_eq!(lab.exec(1, "MULTI").text, "OK\n");
        assert_eq!(lab.prompt(1), "127.0.0.1:6379(TX)> ");
        assert_eq!(lab.exec(1, "INCR n").text, "QUEUED\n");
        assert_eq!(lab.exec(1, "EXEC").text, "1) (integer) 1\n");
        lab.exec(1, "SELECT 3");
        assert_eq!(lab.prompt(1), "127.0.0.1:6379[3]> ");
        lab.exec(1, "quit");
        assert_eq!(lab.prompt(1), "laptop:~$ ");
    }

    #[test]
    fn subscriber_tab_receives_messages() {
        let mut lab = lab();
        let reader = lab.open_session("laptop").unwrap();
        lab.exec(reader, "redis-cli");
        let shown = lab.exec(reader, "SUBSCRIBE news").text;
        assert_eq!(
            shown,
            "Reading messages... (press Ctrl-C to quit)\n1) \"subscribe\"\n2) \"news\"\n3) (integer) 1\n"
        );
        assert_eq!(lab.prompt(reader), "");
        assert_eq!(lab.exec(1, "redis-cli PUBLISH news hello").text, "(integer) 1\n");
        let transcript = format!("{:?}", lab.session(reader).unwrap().transcript);
        assert!(transcript.contains("1) \\\"message\\\"\\n2) \\\"news\\\"\\n3) \\\"hello\\\"\\n"), "{transcript}");
        lab.interrupt(reader, "");
        assert_eq!(lab.exec(1, "redis-cli PUBLISH news again").text, "(integer) 0\n");
    }

    #[test]
    fn blocked_tab_wakes_on_push_or_times_out() {
        let mut lab = lab();
        let waiter = lab.open_session("laptop").unwrap();
        lab.exec(waiter, "redis-cli");
        assert_eq!(lab.exec(waiter, "BLPOP jobs 0").text, "");
        lab.exec(1, "redis-cli RPUSH jobs j1");
        let transcript = format!("{:?}", lab.session(waiter).unwrap().transcript);
        assert!(transcript.contains("1) \\\"jobs\\\"\\n2) \\\"j1\\\""), "{transcript}");
        lab.exec(waiter, "BLPOP jobs 2");
        lab.advance(Duration::from_secs(3));
        lab.exec(1, "true");
        let transcript = format!("{:?}", lab.session(waiter).unwrap().transcript);
        assert!(transcript.contains("(nil)\\n(3.00s)"), "{transcript}");
        assert_eq!(lab.prompt(waiter), "127.0.0.1:6379> ");
    }

    #[test]
    fn redirections_are_read_as_redis_words_them() {
        assert_eq!(super::redirection("MOVED 3999 127.0.0.1:6381"), Some((3999, "127.0.0.1".into(), 6381, false)));
        assert_eq!(super::redirection("ASK 3999 10.0.0.7:6379"), Some((3999, "10.0.0.7".into(), 6379, true)));
        assert_eq!(super::redirection("ERR MOVED 1 a:1"), None);
        assert_eq!(super::redirection("MOVED x 127.0.0.1:1"), None);
    }

    /// A transcript of `redis-cli -c` against three local cluster nodes, as the real client
    /// prints it: each prompt, the line typed, and what came back.
    #[test]
    fn cluster_mode_follows_redirections() {
        let mut lab = lab();
        let now = lab.now().0;
        let laptop = lab.hosts.iter_mut().find(|h| h.name == "laptop").unwrap();
        super::nodes::start_local_cluster(laptop, 7000, 3, now);
        let mut transcript = String::new();
        let mut typed = |lab: &mut Lab, line: &str| {
            transcript.push_str(&lab.prompt(1));
            transcript.push_str(line);
            transcript.push('\n');
            transcript.push_str(&lab.exec(1, line).text);
        };
        typed(&mut lab, "redis-cli -p 7000 SET foo bar");
        typed(&mut lab, "redis-cli -c -p 7000 SET foo bar");
        typed(&mut lab, "redis-cli -c -p 7000");
        typed(&mut lab, "GET foo");
        typed(&mut lab, "SET somekey 1");
        typed(&mut lab, "GET somekey");
        typed(&mut lab, "CLUSTER KEYSLOT somekey");
        typed(&mut lab, "MSET a 1 b 2");
        typed(&mut lab, "MSET {user1}:a 1 {user1}:b 2");
        typed(&mut lab, "quit");
        assert_eq!(
            transcript,
            "laptop:~$ redis-cli -p 7000 SET foo bar
(error) MOVED 12182 127.0.0.1:7002
laptop:~$ redis-cli -c -p 7000 SET foo bar
OK
laptop:~$ redis-cli -c -p 7000
127.0.0.1:7000> GET foo
-> Redirected to slot [12182] located at 127.0.0.1:7002
\"bar\"
127.0.0.1:7002> SET somekey 1
OK
127.0.0.1:7002> GET somekey
\"1\"
127.0.0.1:7002> CLUSTER KEYSLOT somekey
(integer) 11058
127.0.0.1:7002> MSET a 1 b 2
(error) CROSSSLOT Keys in request don't hash to the same slot
127.0.0.1:7002> MSET {user1}:a 1 {user1}:b 2
-> Redirected to slot [8106] located at 127.0.0.1:7001
OK
127.0.0.1:7001> quit
"
        );
    }
}
