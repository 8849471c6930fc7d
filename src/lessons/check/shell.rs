//! Conditions on the lab's hosts: what was typed and shown in their terminals, their files,
//! their sessions, and the lab's clock.

use super::{test, Args, Entry, Test};
use crate::shell::session::Line;
use crate::shell::Lab;

pub const CONDITIONS: &[Entry] = &[
    Entry {
        name: "ran",
        usage: "HOST WORDS...",
        holds_when: "a session on HOST ran a line starting with WORDS",
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
        holds_when: "a terminal opened on HOST shows TEXT in its scrollback",
        parse: output,
    },
];

fn ran(args: &Args) -> Result<Test, String> {
    let (host, prefix) = (args.word(0)?, args.rest(1));
    test(move |lab| {
        let mut lines = lab.sessions.iter().filter(|s| s.host == host).flat_map(|s| &s.history);
        lines.any(|line| line.trim_start().starts_with(prefix.as_str()))
    })
}

fn clock_advanced(args: &Args) -> Result<Test, String> {
    let seconds: i64 = args.number(0)?;
    test(move |lab| lab.now().since(lab.started).millis() >= seconds * 1000)
}

fn file(args: &Args) -> Result<Test, String> {
    let (host, path) = (args.word(0)?, args.word(1)?);
    test(move |lab| file_text(lab, &host, &path).is_some())
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
    test(move |lab| {
        let opened_on_host =
            lab.sessions.iter().filter(|s| s.ssh_stack.first().map_or(&s.host, |back| &back.host) == &host);
        let mut shown = opened_on_host.flat_map(|s| &s.transcript);
        shown.any(|line| matches!(line, Line::Output(out) if out.contains(text.as_str())))
    })
}

/// The text of the file at `path` on `host` (`~` is the host's home).
fn file_text<'a>(lab: &'a Lab, host: &str, path: &str) -> Option<&'a str> {
    let h = lab.host(host)?;
    let full = match path.strip_prefix('~') {
        Some(rest) => format!("{}{rest}", h.home),
        None => path.to_string(),
    };
    h.fs.read(&full).ok()
}
