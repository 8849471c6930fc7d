//! The shell: hosts, sessions, the command line, and the clients a learner types.
//!
//! The life of a line (see [`lab::Lab::exec`]):
//!
//! 1. The line is shown in the session's transcript after its prompt.
//! 2. If a program holds the terminal (the prompts of `aws configure`, `mysql>`), the line is
//!    its answer ([`foreground`]). When the program ends, the rest of the line it was started
//!    from runs.
//! 3. Otherwise the [`interpreter`] runs it: [`parse`] splits it into commands, words as
//!    typed; a here-document's body is read from the next lines first ([`heredoc`]).
//! 4. Each command's words are expanded just before it runs ([`expand`]: `$(...)`, quotes,
//!    `$VARS`, `~`); it is looked up by name among [`commands`] and run with a
//!    [`command::Ctx`]: the cloud, its host, its session, its standard input, and buffers for
//!    what it prints.
//! 5. Output redirected with `>` lands in the host's [`fs`]; the rest goes to the terminal.
//!
//! Every command is one type behind the [`command::Command`] trait: the [`builtins`]
//! (`date`, `sleep`, `ls` ...) and the clients (`aws` now; `mysql`, `psql`, `redis-cli`, `dig`,
//! `nc` and `ssh` as the services arrive).
//!
//! A whole lab is saved and restored through [`save`] (the browser's autosave and export files).

pub mod aws;
pub mod builtins;
pub mod command;
pub mod editor;
pub mod endpoints;
pub mod expand;
pub mod foreground;
pub mod fs;
pub mod heredoc;
pub mod host;
pub mod interpreter;
pub mod lab;
pub mod line_editor;
pub mod net;
pub mod parse;
pub mod python;
pub mod redis_cli;
pub mod samples;
pub mod save;
pub mod session;
pub mod sql;

pub use lab::{Lab, Output};

use command::Command;

/// Every command the shell knows, builtins first, then the clients.
pub fn commands() -> impl Iterator<Item = &'static dyn Command> {
    static CLIENTS: &[&dyn Command] = &[
        &aws::Aws,
        &net::ssh::Ssh,
        &net::nc::Nc,
        &net::dig::Dig,
        &sql::mysql::Mysql,
        &sql::psql::Psql,
        &redis_cli::RedisCli,
        &python::command::Python3,
        &python::command::Python,
        &python::pip::Pip,
        &python::pip::Pip3,
        &editor::Nano,
        &editor::Vi,
        &editor::Vim,
        &editor::Edit,
    ];
    builtins::BUILTINS.iter().copied().chain(CLIENTS.iter().copied())
}

pub(crate) fn builtins_is_name(name: &str) -> bool {
    builtins::is_name(name)
}
