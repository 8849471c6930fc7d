//! The shell's own commands: the small set of coreutils and bash builtins a learner needs
//! around the clients. Each behaves and words its errors as the real one does.

mod clear;
mod date;
mod echo;
pub(crate) mod env;
mod fault;
mod files;
mod help;
mod history;
mod identity;
mod sleep;
mod status;

use super::command::Command;

pub static BUILTINS: &[&dyn Command] = &[
    &help::Help,
    &history::History,
    &clear::Clear,
    &echo::Echo,
    &date::Date,
    &sleep::Sleep,
    &fault::Fault,
    &identity::Whoami,
    &identity::Hostname,
    &files::Ls,
    &files::Cat,
    &files::Pwd,
    &files::Cd,
    &files::Mkdir,
    &files::Rm,
    &files::Touch,
    &env::Env,
    &env::Export,
    &env::Unset,
    &status::Status("true"),
    &status::Status("false"),
    &identity::Exit("exit"),
    &identity::Exit("logout"),
];

pub use env::is_name;
