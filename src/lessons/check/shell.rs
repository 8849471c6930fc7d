//! Conditions on the lab's hosts: what was typed and shown in their terminals, their files,
//! their sessions, and the lab's clock; and what other domains ask of a host (whether it
//! connects to an endpoint, whether a terminal showed some text).

use super::{host_matches, test, Args, Entry, Test};
use crate::cloud::network::reach::Outcome;
use crate::shell::fs::Node;
use crate::shell::session::{Line, Session};
use crate::shell::Lab;

pub const CONDITIONS: &[Entry] = &[
    Entry {
        name: "ran",
        usage: "HOST WORDS...",
        holds_when: "a session on HOST ran a command starting with WORDS (a whole line, or a part after `;`, `&&`, `|` or in `$(...)`)",
        parse: ran,
    },
    Entry {
        name: "clock_advanced",
        usage: "SECONDS",
        holds_when: "the lab's clock moved at least that far",
        parse: clock_advanced,
    },
    Entry { name: "file", usage: "HOST PATH", holds_when: "the file exists on HOST (`~` is the home)", parse: file },
    Entry { name: "session_on", usage: "HOST", holds_when: "a terminal is open on HOST", parse: session_on },
    Entry {
        name: "output",
        usage: "HOST TEXT...",
        holds_when: "a terminal opened on HOST (wherever `ssh` took it since) shows TEXT in its scrollback",
        parse: output,
    },
    Entry {
        name: "output_row",
        usage: "HOST CELL...",
        holds_when: "a terminal opened on HOST shows a result row (mysql's or psql's table) with those cells side by side, in that order",
        parse: output_row,
    },
];

fn ran(args: &Args) -> Result<Test, String> {
    let (host, prefix) = (args.word(0)?, args.rest(1));
    test(move |lab| {
        let mut lines = lab.sessions.iter().filter(|s| host_matches(lab, &host, &s.host)).flat_map(|s| &s.history);
        lines.any(|line| commands(line).any(|command| command.starts_with(prefix.as_str())))
    })
}

/// The commands a typed line runs, roughly: the line, and every part of it after `;`, `&&`,
/// `||`, `|`, a backquote or `$(` (`echo "I am $(whoami)"` runs `whoami` too). Quotes are not
/// taken into account: a check on what ran errs on the side of the learner.
fn commands(line: &str) -> impl Iterator<Item = &str> {
    line.split([';', '&', '|', '`']).flat_map(|part| part.split("$(")).map(str::trim_start)
}

fn clock_advanced(args: &Args) -> Result<Test, String> {
    let seconds: i64 = args.number(0)?;
    test(move |lab| lab.now().since(lab.started).millis() >= seconds * 1000)
}

fn file(args: &Args) -> Result<Test, String> {
    let (host, path) = (args.word(0)?, args.word(1)?);
    test(move |lab| is_file(lab, &host, &path))
}

fn session_on(args: &Args) -> Result<Test, String> {
    let host = args.word(0)?;
    test(move |lab| {
        let name = lab.host_named(&host).map_or(host.as_str(), |h| h.name.as_str());
        lab.sessions.iter().any(|s| s.host == name)
    })
}

/// A terminal opened on HOST (wherever `ssh` took it since) has shown TEXT.
fn output(args: &Args) -> Result<Test, String> {
    let (host, text) = (args.word(0)?, args.text(1)?);
    test(move |lab| shown(lab, &host, &text))
}

fn output_row(args: &Args) -> Result<Test, String> {
    let host = args.word(0)?;
    let cells: Vec<String> = args.text(1)?.split_whitespace().map(String::from).collect();
    if cells.is_empty() {
        return Err(args.wrong("names no cell"));
    }
    test(move |lab| shown_row(lab, &host, &cells))
}

/// Whether a terminal opened on `host` has shown a table row (`| a | b |` or ` a | b`) in which
/// `cells` stand next to each other, in order.
fn shown_row(lab: &Lab, host: &str, cells: &[String]) -> bool {
    let opened_on_host = lab.sessions.iter().filter(|s| host_matches(lab, host, opened_on(s)));
    let mut outputs = opened_on_host.flat_map(|s| &s.transcript).filter_map(|line| match line {
        Line::Output(out) => Some(out),
        Line::Input { .. } => None,
    });
    outputs.any(|out| {
        out.lines().filter(|l| l.contains('|')).any(|row| {
            let row: Vec<&str> = row.split('|').map(str::trim).collect();
            row.windows(cells.len()).any(|w| w.iter().zip(cells).all(|(a, b)| a == b))
        })
    })
}

/// Whether a terminal opened on `host` (or on any, for [`super::ANY_HOST`]) has shown `text`.
pub fn shown(lab: &Lab, host: &str, text: &str) -> bool {
    let opened_on_host = lab.sessions.iter().filter(|s| host_matches(lab, host, opened_on(s)));
    let mut lines = opened_on_host.flat_map(|s| &s.transcript);
    lines.any(|line| matches!(line, Line::Output(out) if out.contains(text)))
}

/// Whether `host` can open a TCP connection to `name` on `port`, at the address the host's own
/// DNS gives for the name (an RDS endpoint is public outside the VPC, private inside it).
pub fn connects(lab: &Lab, host: &str, name: &str, port: u16) -> bool {
    let Some(h) = lab.host_named(host) else { return false };
    let Some(answer) = crate::shell::net::resolve_from(&lab.cloud, h, name) else { return false };
    lab.cloud.reach(&h.source(), answer.address, port).outcome == Outcome::Connected
}

/// The host a terminal was opened on, before any `ssh`.
fn opened_on(session: &Session) -> &str {
    session.ssh_stack.first().map_or(&session.host, |back| &back.host)
}

/// Whether `path` on `host` is a file (`~` is the host's home). It asks the file system for the
/// node, not the text: a sample such as the movie catalogue is not made just to see it is there.
fn is_file(lab: &Lab, host: &str, path: &str) -> bool {
    let Some(h) = lab.host_named(host) else { return false };
    let full = match path.strip_prefix('~') {
        Some(rest) => format!("{}{rest}", h.home),
        None => path.to_string(),
    };
    h.fs.node(&full).is_some_and(Node::is_file)
}
