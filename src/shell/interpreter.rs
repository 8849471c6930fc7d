//! The shell's interpreter: what bash does with a line typed at its prompt.
//!
//! 1. [`super::parse`] splits the line into simple commands joined by `;`, `&&` and `||`,
//!    their words and redirections as typed. A syntax error runs nothing.
//! 2. If a command has a here-document (`<<EOF`), the line waits for its body: the next lines
//!    are read at bash's `> ` ([`super::heredoc`]) before any of it runs.
//! 3. Each command in turn runs unless its joiner skips it. Only now are its words expanded
//!    ([`super::expand`]): `$(...)` first (its inner line run one level deeper, at most
//!    [`MAX_SUBSTITUTION_DEPTH`]), then quotes, `$VARS` (`$?` included) and `~`. So
//!    `X=1; echo $X` and `false; echo $?` see what the commands before them did.
//! 4. Its standard input comes from `< file`, a here-document or a here-string; `NAME=value`
//!    sets a variable, anything else is looked up among [`super::commands`] and run.
//! 5. `>` and `>>` write the command's standard output to the host's file system; the rest
//!    goes to the terminal, standard error after standard output.
//! 6. The line stops early when the shell exited or `ssh` moved the session to another host.
//!    When a program took the terminal (`mysql`, `aws configure`), the commands after it wait
//!    in the session, as typed, and [`resume`] runs them when the program ends, with its exit
//!    status in `$?`: `mysql -h db -u admin -p && echo connected`.

use super::command::Ctx;
use super::expand::{self, Environment, Mode};
use super::foreground::Foreground;
use super::heredoc::{HereDocReading, Step};
use super::parse::{parse_line, Joiner, Redirect, SimpleCommand};
use super::session::{kept, Session};

/// A session's variables (`$?` is its last status) and its host's home, as expansion reads
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

/// How deep `$(...)` may nest.
const MAX_SUBSTITUTION_DEPTH: usize = 8;

/// Runs a line typed at the shell's prompt (remembered in the history), appending what it
/// printed to `text`. A line with a here-document waits for its body instead.
pub fn run_line(ctx: &mut Ctx, line: &str, text: &mut String) {
    if !line.trim().is_empty() {
        ctx.session.remember(&kept(line));
    }
    let commands = match parse_line(line) {
        Ok(c) => c,
        Err(message) => {
            text.push_str(&message);
            text.push('\n');
            ctx.session.last_status = 2;
            return;
        }
    };
    match HereDocReading::new(commands, ctx.session.lines_read) {
        Ok(reading) => ctx.take_over(Foreground::HereDoc(reading)),
        Err(commands) => run_at_prompt(ctx, commands, text),
    }
}

/// A line typed while a here-document's body is read: part of the body, or its delimiter
/// (the line runs once every body is complete).
pub fn read_here_doc(ctx: &mut Ctx, reading: HereDocReading, line: &str, text: &mut String) {
    let step = reading.read(line, text);
    go_on(ctx, step, text);
}

/// The input ended (Ctrl+D, the end of a script) while a here-document was read: its body
/// ends there, with bash's warning, and the line runs.
pub fn end_of_input(ctx: &mut Ctx, reading: HereDocReading, text: &mut String) {
    let step = reading.end_of_input(text);
    go_on(ctx, step, text);
}

fn go_on(ctx: &mut Ctx, step: Step, text: &mut String) {
    match step {
        Step::More(reading) => ctx.take_over(Foreground::HereDoc(reading)),
        Step::Complete(commands) => {
            ctx.take_over(Foreground::Shell);
            run_at_prompt(ctx, commands, text);
        }
        Step::Dropped => ctx.give_back(1),
    }
}

/// After the program holding the terminal gave it back: the rest of the line it was started
/// from runs now (its joiners see the program's status in `$?`).
pub fn resume(ctx: &mut Ctx, text: &mut String) {
    let rest = std::mem::take(&mut ctx.session.rest_of_line);
    if !rest.is_empty() {
        run_at_prompt(ctx, rest, text);
    }
}

fn run_at_prompt(ctx: &mut Ctx, commands: Vec<SimpleCommand>, text: &mut String) {
    let mut errors = String::new();
    run_commands(ctx, commands, 0, text, &mut errors);
    text.push_str(&errors);
}

/// Runs commands one after the other. Standard output goes to `out` (the terminal, or the
/// capture of a `$(...)`); standard error to `err` after it, or interleaved when `out` is the
/// terminal (`depth` 0).
fn run_commands(ctx: &mut Ctx, commands: Vec<SimpleCommand>, depth: usize, out: &mut String, err: &mut String) {
    let mut commands = commands.into_iter();
    while let Some(command) = commands.next() {
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
        let status = match expand_command(ctx, &command, depth, out, err) {
            Expanded::Ready(ready) => run_expanded(ctx, ready),
            Expanded::Refused => 1,
            Expanded::Failed => {
                // An expansion that cannot finish (nesting too deep) ends the line.
                ctx.session.last_status = 2;
                return;
            }
        };
        // Taken, not copied: a `$(...)` in the next command's words runs commands too, and
        // must not find this one's output left over.
        out.push_str(&std::mem::take(&mut ctx.stdout));
        let stderr = std::mem::take(&mut ctx.stderr);
        if depth == 0 {
            out.push_str(&stderr);
        } else {
            err.push_str(&stderr);
        }
        ctx.session.last_status = status;
        if ctx.session.foreground != Foreground::Shell || ctx.exit || ctx.session.host != ctx.host.name {
            // A program took over the terminal (it reads the next lines: the rest of the line
            // waits for it to end), the shell ended, or `ssh` moved the session to another
            // host. Inside a `$(...)` the rest is dropped: the program holds the terminal.
            if depth == 0 && ctx.session.foreground.is_program() && !ctx.exit {
                ctx.session.rest_of_line = commands.collect();
            }
            break;
        }
    }
}

/// A command with its words expanded and its standard input read, ready to run.
struct Ready {
    words: Vec<String>,
    stdin: Option<String>,
    /// `> file` or `>> file`: the target as typed (for errors), made absolute, and whether
    /// it appends.
    stdout_to: Option<(String, String, bool)>,
}

enum Expanded {
    Ready(Ready),
    /// A redirection failed (a missing `< file`): the command does not run, status 1.
    Refused,
    /// The expansion failed: the line stops, status 2.
    Failed,
}

/// Expands one command's words and redirections, reading its standard input.
fn expand_command(
    ctx: &mut Ctx,
    command: &SimpleCommand,
    depth: usize,
    out: &mut String,
    err: &mut String,
) -> Expanded {
    let mut words = Vec::new();
    for (i, raw) in command.words.iter().enumerate() {
        // `X=$(...)` is one word, however many words the output has.
        let mode = if i == 0 && is_assignment(raw) { Mode::Whole } else { Mode::Split };
        match expand_word(ctx, raw, mode, depth, out, err) {
            Some(fields) => words.extend(fields),
            None => return Expanded::Failed,
        }
    }
    let mut stdin = None;
    let mut stdout_to = None;
    for redirect in &command.redirects {
        match redirect {
            Redirect::Write { target, append } => {
                let path = match expand_target(ctx, target, depth, out, err) {
                    Ok(path) => path,
                    Err(why) => return why,
                };
                stdout_to = Some((path.clone(), ctx.path(&path), *append));
            }
            Redirect::Read(source) => {
                let file = match expand_target(ctx, source, depth, out, err) {
                    Ok(file) => file,
                    Err(why) => return why,
                };
                match ctx.host.fs.read(&ctx.path(&file)) {
                    Ok(text) => stdin = Some(text.to_string()),
                    Err(e) => {
                        ctx.errln(&format!("-bash: {file}: {}", e.message()));
                        return Expanded::Refused;
                    }
                }
            }
            Redirect::HereString(word) => {
                let Some(text) = expand_word(ctx, word, Mode::Whole, depth, out, err) else {
                    return Expanded::Failed;
                };
                stdin = Some(text.concat() + "\n");
            }
            Redirect::HereDoc(doc) if doc.expand => {
                let Some(text) = substitute(ctx, &doc.body, Mode::HereDoc, depth, out, err) else {
                    return Expanded::Failed;
                };
                stdin = Some(expand::body(&text, &SessionEnv(ctx.session, &ctx.host.home)));
            }
            Redirect::HereDoc(doc) => stdin = Some(doc.body.clone()),
        }
    }
    Expanded::Ready(Ready { words, stdin, stdout_to })
}

/// Runs an expanded command, then writes its standard output where `>` sends it.
fn run_expanded(ctx: &mut Ctx, ready: Ready) -> i32 {
    ctx.stdin = ready.stdin;
    let status = run_simple(ctx, &ready.words);
    ctx.stdin = None;
    if let Some((target, path, append)) = ready.stdout_to {
        let written = std::mem::take(&mut ctx.stdout);
        if let Err(e) = ctx.host.fs.write(&path, &written, append, ctx.cloud.now.0) {
            ctx.stderr.push_str(&format!("-bash: {target}: {}\n", e.message()));
        }
    }
    status
}

/// `NAME=...`: a word that assigns a variable when it is the whole command.
fn is_assignment(raw: &str) -> bool {
    raw.split_once('=').is_some_and(|(name, _)| super::builtins_is_name(name))
}

/// The words one word as typed expands to; `None` when the line must stop (the error is in
/// `err`).
fn expand_word(
    ctx: &mut Ctx,
    raw: &str,
    mode: Mode,
    depth: usize,
    out: &mut String,
    err: &mut String,
) -> Option<Vec<String>> {
    let text = substitute(ctx, raw, mode, depth, out, err)?;
    match expand::fields(&text, &SessionEnv(ctx.session, &ctx.host.home)) {
        Ok(fields) => Some(fields),
        Err(message) => {
            err.push_str(&message);
            err.push('\n');
            None
        }
    }
}

/// A redirection's file: one word, or bash's `ambiguous redirect` when it expands to several
/// or none (the command is refused).
fn expand_target(
    ctx: &mut Ctx,
    raw: &str,
    depth: usize,
    out: &mut String,
    err: &mut String,
) -> Result<String, Expanded> {
    let mut fields = expand_word(ctx, raw, Mode::Split, depth, out, err).ok_or(Expanded::Failed)?;
    match (fields.pop(), fields.is_empty()) {
        (Some(file), true) => Ok(file),
        _ => {
            ctx.errln(&format!("-bash: {raw}: ambiguous redirect"));
            Err(Expanded::Refused)
        }
    }
}

/// Replaces each `$(...)` in `text` by what its inner line prints, run one level deeper. What
/// the inner lines print on standard error shows before the command's own output.
fn substitute(
    ctx: &mut Ctx,
    text: &str,
    mode: Mode,
    depth: usize,
    out: &mut String,
    err: &mut String,
) -> Option<String> {
    let mut inner_errors = String::new();
    let substituted = expand::substitute(text, mode, &mut |inner: &str| {
        if depth >= MAX_SUBSTITUTION_DEPTH {
            return Err("-bash: command substitution nested too deeply".to_string());
        }
        let mut captured = String::new();
        run_substitution(ctx, inner, depth + 1, &mut captured, &mut inner_errors);
        Ok(captured)
    });
    if depth == 0 {
        out.push_str(&inner_errors);
    } else {
        err.push_str(&inner_errors);
    }
    match substituted {
        Ok(text) => Some(text),
        Err(message) => {
            err.push_str(&message);
            err.push('\n');
            None
        }
    }
}

/// The line inside a `$(...)`. It is on one line, so a here-document in it has no body: it
/// ends at once, with bash's warning.
fn run_substitution(ctx: &mut Ctx, inner: &str, depth: usize, out: &mut String, err: &mut String) {
    let commands = match parse_line(inner) {
        Ok(c) => c,
        Err(message) => {
            err.push_str(&message);
            err.push('\n');
            ctx.session.last_status = 2;
            return;
        }
    };
    let commands = match HereDocReading::new(commands, ctx.session.lines_read) {
        Err(commands) => commands,
        Ok(reading) => match reading.end_of_input(err) {
            Step::Complete(commands) => commands,
            Step::More(_) | Step::Dropped => return,
        },
    };
    run_commands(ctx, commands, depth, out, err);
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
