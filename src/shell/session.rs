//! A session: one shell on one host, as one terminal tab shows it.
//!
//! A session remembers its working directory, its variables, its history and its transcript
//! (what the terminal shows, kept in the lab so that a reload restores it). When a program
//! takes over the terminal (the prompts of `aws configure`, later a `mysql>` prompt), the
//! session's [`Foreground`] says which, and the next line goes to it instead of the shell.
//! `ssh` moves a session to another host and back ([`Session::return_from_ssh`]).

use super::foreground::Foreground;
use super::parse::SimpleCommand;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type SessionId = u32;

/// The most lines of history a session keeps (bash's default HISTSIZE is 500; we keep more).
pub const MAX_HISTORY: usize = 1000;
/// The most transcript entries a session keeps; older ones scroll away.
pub const MAX_TRANSCRIPT: usize = 2000;
/// The most bytes of transcript a session keeps.
pub const MAX_TRANSCRIPT_BYTES: usize = 512 * 1024;

/// One entry of what the terminal shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Line {
    /// A line the learner typed, after the prompt it was typed at.
    Input { prompt: String, text: String },
    /// What a command printed (may span several lines).
    Output(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: SessionId,
    pub host: String,
    pub cwd: String,
    pub env: BTreeMap<String, String>,
    pub history: Vec<String>,
    pub transcript: Vec<Line>,
    pub foreground: Foreground,
    /// The exit status of the last command (`$?`).
    pub last_status: i32,
    /// Where `ssh` came from: the host, directory and variables to return to on `exit`.
    pub ssh_stack: Vec<SshReturn>,
    /// How many lines the shell has read (at its prompt and in here-documents, not lines
    /// answered by a program): bash's line number, which its warnings name.
    pub lines_read: u32,
    /// The commands after the one that handed the terminal to a program, as typed: they run
    /// when the program ends (`mysql ... && echo connected`), see
    /// [`super::interpreter::resume`].
    pub rest_of_line: Vec<SimpleCommand>,
}

/// What a session goes back to when an `ssh` connection ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SshReturn {
    pub host: String,
    pub cwd: String,
    pub env: BTreeMap<String, String>,
    /// The address that was connected to (for `Connection to ... closed.`).
    pub address: String,
}

impl Session {
    pub fn new(id: SessionId, host: &str, home: &str, env: BTreeMap<String, String>) -> Session {
        Session {
            id,
            host: host.to_string(),
            cwd: home.to_string(),
            env,
            history: Vec::new(),
            transcript: Vec::new(),
            foreground: Foreground::Shell,
            last_status: 0,
            ssh_stack: Vec::new(),
            lines_read: 0,
            rest_of_line: Vec::new(),
        }
    }

    /// Amazon Linux's prompt: `[ec2-user@ip-10-0-1-5 ~]$ `, with the directory's last part.
    pub fn amazon_linux_prompt(&self, user: &str, hostname: &str, home: &str) -> String {
        let short_host = hostname.split('.').next().unwrap_or(hostname);
        let dir = if self.cwd == home { "~" } else { self.cwd.rsplit('/').find(|p| !p.is_empty()).unwrap_or("/") };
        format!("[{user}@{short_host} {dir}]$ ")
    }

    /// The shell prompt: `laptop:~$ `, with the working directory shortened against home.
    pub fn shell_prompt(&self, home: &str) -> String {
        let dir = if self.cwd == home {
            "~".to_string()
        } else if let Some(rest) = self.cwd.strip_prefix(&format!("{home}/")) {
            format!("~/{rest}")
        } else {
            self.cwd.clone()
        };
        format!("{}:{}$ ", self.host, dir)
    }

    /// The host the terminal was opened on, wherever `ssh` took it since: the tab it is.
    pub fn opened_on(&self) -> &str {
        self.ssh_stack.first().map_or(&self.host, |from| &from.host)
    }

    /// Ends the innermost `ssh` connection: the session is back on the host, in the directory
    /// and with the variables it left. Returns the address that was connected to (for
    /// `Connection to ... closed.`), or `None` when the session is not in an ssh connection.
    pub fn return_from_ssh(&mut self) -> Option<String> {
        let back = self.ssh_stack.pop()?;
        self.host = back.host;
        self.cwd = back.cwd;
        self.env = back.env;
        Some(back.address)
    }

    pub fn remember(&mut self, line: &str) {
        if self.history.len() >= MAX_HISTORY {
            self.history.remove(0);
        }
        self.history.push(line.to_string());
    }

    pub fn show(&mut self, line: Line) {
        self.transcript.push(line);
        let mut bytes: usize = self.transcript.iter().map(line_size).sum();
        while self.transcript.len() > MAX_TRANSCRIPT || (bytes > MAX_TRANSCRIPT_BYTES && self.transcript.len() > 1) {
            bytes -= line_size(&self.transcript[0]);
            self.transcript.remove(0);
        }
    }
}

/// What the transcript and history keep of a line: all of it, unless it is absurdly long.
pub fn kept(line: &str) -> String {
    const KEEP: usize = 4096;
    if line.len() <= KEEP {
        return line.to_string();
    }
    let mut end = KEEP;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &line[..end], line.len())
}

fn line_size(line: &Line) -> usize {
    match line {
        Line::Input { prompt, text } => prompt.len() + text.len(),
        Line::Output(text) => text.len(),
    }
}
