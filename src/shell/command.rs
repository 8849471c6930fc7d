//! The one trait every command implements, and the context it runs in.
//!
//! A command gets its arguments (already split and expanded by [`super::expand`]) and a
//! [`Ctx`]: the cloud, the host it runs on, its session, its standard input, and buffers for
//! standard output and standard error. It returns an exit status, 0 for success, as a process does.

use super::foreground::Foreground;
use super::fs::FileSystem;
use super::host::Host;
use super::session::Session;
use crate::cloud::Cloud;

pub trait Command: Sync {
    /// The name typed to run it.
    fn name(&self) -> &'static str;
    /// One line for `help`.
    fn summary(&self) -> &'static str;
    /// Runs the command; returns its exit status.
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32;
}

pub struct Ctx<'a> {
    pub cloud: &'a mut Cloud,
    pub host: &'a mut Host,
    pub session: &'a mut Session,
    /// The command's standard input: a file (`< file`), a here-document or a here-string;
    /// `None` when it reads the terminal (which the lab's commands do not wait on).
    pub stdin: Option<String>,
    pub stdout: String,
    pub stderr: String,
    /// Set by `clear`: the terminal wipes its screen.
    pub clear: bool,
    /// Set by `exit`: the session ends after this line.
    pub exit: bool,
}

impl<'a> Ctx<'a> {
    pub fn out(&mut self, text: &str) {
        self.stdout.push_str(text);
    }

    pub fn outln(&mut self, text: &str) {
        self.stdout.push_str(text);
        self.stdout.push('\n');
    }

    pub fn errln(&mut self, text: &str) {
        self.stderr.push_str(text);
        self.stderr.push('\n');
    }

    /// A path made absolute against the working directory.
    pub fn path(&self, path: &str) -> String {
        FileSystem::resolve(&self.session.cwd, path)
    }

    /// A variable of the session's environment.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.session.env.get(name).map(String::as_str)
    }

    /// Hands the terminal to an interactive program until it finishes (a program also calls
    /// it with its new state after each line it answers).
    pub fn take_over(&mut self, program: Foreground) {
        self.session.foreground = program;
    }

    /// The program holding the terminal ends with exit status `status` (mysql's `\q` is 0):
    /// the terminal is the shell's again and `$?` is `status`. The rest of the line the
    /// program was started from then runs ([`super::interpreter::resume`]).
    pub fn give_back(&mut self, status: i32) {
        self.session.foreground = Foreground::Shell;
        self.session.last_status = status;
    }
}
