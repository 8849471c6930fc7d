//! The shell's interpreter: what bash does with a line typed at its prompt.
//!
//! 1. `$(...)` is replaced by the output of the line inside it, run first (nested at most
//!    [`MAX_SUBSTITUTION_DEPTH`] deep).
//! 2. [`super::parse`] splits the result into simple commands joined by `;`, `&&` and `||`,
//!    expanding quotes, `$VARS` (`$?` included) and `~`.
//! 3. Each command runs unless its joiner skips it: `NAME=value` sets a variable, anything else
//!    is looked up among [`super::commands`] and run with the line's [`Ctx`].
//! 4. A redirection (`>`, `>>`) writes the command's standard output to the host's file system;
//!    the rest goes to the terminal, standard error after standard output.
//! 5. The line stops early when a program took the terminal (its prompts read the next lines),
//!    the shell exited, or `ssh` moved the session to another host.

use super::command::Ctx;
use super::foreground::Foreground;
use super::parse::{parse_line, Environment, Joiner, Redirect};
use super::session::{kept, Session};

/// A session's variables (`$?` is its last status) and its host's home, as the parser expands
/// them.
struct SessionEnv<'a>(&'a Session, &'a str);

impl Environment for SessionEnv<'_> {
    fn var(&self, name: &str) -> Option<String> {
        if name == "?" {
            return Some(self.0.last_status.to_string());
        }
        self.0.env.get(name).cloned()
    }
    fn home(&self) -> String {
        self.1.to_string()
    }
}

/// Runs a line typed at the shell's prompt (remembered in the history), appending what it
/// printed to `text`.
pub fn run_line(ctx: &mut Ctx, line: &str, text: &mut String) {
    if !line.trim().is_empty() {
        ctx.session.remember(&kept(line));
    }
    let mut errors = String::new();
    run_commands(ctx, line, 0, text, &mut errors);
    text.push_str(&errors);
}

/// How deep `$(...)` may nest.
const MAX_SUBSTITUTION_DEPTH: usize = 8;

/// Runs the commands of a line. Standard output goes to `out` (the terminal, or the capture of a
/// `$(...)`); standard error to `err` after it, or interleaved when `out` is the terminal.
fn run_commands(ctx: &mut Ctx, line: &str, depth: usize, out: &mut String, err: &mut String) {
    // `$(...)` first: each inner line runs, and its output takes its place.
    let mut inner_errors = String::new();
    let expanded = super::parse::substitute(line, &mut |inner: &str| {
        if depth >= MAX_SUBSTITUTION_DEPTH {
            return Err("-bash: command substitution nested too deeply".to_string());
        }
        let mut captured = String::new();
        run_commands(ctx, inner, depth + 1, &mut captured, &mut inner_errors);
        Ok(captured)
    });
    if depth == 0 {
        out.push_str(&inner_errors);
    } else {
        err.push_str(&inner_errors);
    }
    let line = match expanded {
        Ok(l) => l,
        Err(message) => {
            err.push_str(&message);
            err.push('\n');
            ctx.session.last_status = 2;
            return;
        }
    };
    let parsed = parse_line(&line, &SessionEnv(ctx.session, &ctx.host.home));
    let commands = match parsed {
        Ok(c) => c,
        Err(message) => {
            err.push_str(&message);
            err.push('\n');
            ctx.session.last_status = 2;
            return;
        }
    };
    for command in commands {
        let skip = match command.joiner {
            Joiner::Always => false,
            Joiner::IfOk => ctx.session.last_status != 0,
            Joiner::IfFailed => ctx.session.last_status == 0,
        };
        if skip {
            continue;
        }
        ctx.stdout.clear();
        ctx.stderr.clear();
        let status = run_simple(ctx, &command.words);
        if let Some(redirect) = &command.redirect {
            let (target, append) = match redirect {
                Redirect::Truncate(t) => (t, false),
                Redirect::Append(t) => (t, true),
            };
            let path = ctx.path(target);
            let written = std::mem::take(&mut ctx.stdout);
            if let Err(e) = ctx.host.fs.write(&path, &written, append, ctx.cloud.now.0) {
                ctx.stderr.push_str(&format!("-bash: {target}: {}\n", e.message()));
            }
        }
        out.push_str(&ctx.stdout);
        if depth == 0 {
            out.push_str(&ctx.stderr);
        } else {
            err.push_str(&ctx.stderr);
        }
        ctx.session.last_status = status;
        if ctx.session.foreground != Foreground::Shell || ctx.exit || ctx.session.host != ctx.host.name {
            // A program took over the terminal (it reads the next lines), the shell ended, or
            // `ssh` moved the session to another host.
            break;
        }
    }
}

/// Runs one command: a variable assignment, or a command by name.
fn run_simple(ctx: &mut Ctx, words: &[String]) -> i32 {
    let Some(name) = words.first() else { return 0 };
    if let Some((var, value)) = name.split_once('=') {
        if super::builtins_is_name(var) && words.len() == 1 {
            ctx.session.env.insert(var.to_string(), value.to_string());
            return 0;
        }
    }
    match super::commands().find(|c| c.name() == name) {
        Some(command) => command.run(ctx, &words[1..]),
        None => {
            ctx.errln(&format!("{name}: command not found"));
            127
        }
    }
}
