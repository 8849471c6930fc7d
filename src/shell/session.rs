//! A session: one shell on one host, as one terminal tab shows it.
//!
//! A session remembers its working directory, its variables, its history and its transcript
//! (what the terminal shows, kept in the lab so that a reload restores it). When a program
//! takes over the terminal (the prompts of `aws configure`, later a `mysql>` prompt), the
//! session's [`Foreground`] says which, and the next line goes to it instead of the shell.

use super::aws::configure::Dialog;
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Line {
    /// A line the learner typed, after the prompt it was typed at.
    Input { prompt: String, text: String },
    /// What a command printed (may span several lines).
    Output(String),
}

/// Who reads the next line typed in a session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Foreground {
    Shell,
    AwsConfigure(Dialog),
    /// A `mysql>` or `psql` prompt.
    Sql(super::sql::SqlClient),
    /// `Enter password: `: the next line is a password, not shown.
    Password(super::sql::PasswordPrompt),
    /// An interactive `redis-cli` with its connection.
    RedisCli(super::redis_cli::CliState),
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
    #[serde(default)]
    pub ssh_stack: Vec<SshReturn>,
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

fn line_size(line: &Line) -> usize {
    match line {
        Line::Input { prompt, text } => prompt.len() + text.len(),
        Line::Output(text) => text.len(),
    }
}
