//! Who reads the next line typed in a session: the shell, or an interactive program that took
//! the terminal (the prompts of `aws configure`, a `mysql>` or `psql` prompt, a password
//! prompt, an interactive `redis-cli`).
//!
//! Each program answers two questions here, in one place: what prompt it shows ([`prompt`])
//! and what it does with a line ([`answer`]). A program gives the terminal back with its exit
//! status ([`Ctx::give_back`]): `$?` is that status and the rest of the line it was started
//! from runs then. The shell's own lines are the interpreter's ([`super::interpreter`]), and so
//! are the lines of a here-document it is reading ([`Foreground::HereDoc`], bash's `> `).
//!
//! [`prompt`]: Foreground::prompt
//! [`answer`]: Foreground::answer
//! [`Ctx::give_back`]: super::command::Ctx::give_back

use super::command::Ctx;
use super::host::{Host, HostKind};
use super::session::Session;
use crate::cloud::Cloud;
use crate::engines::sql::Flavour;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Foreground {
    Shell,
    AwsConfigure(super::aws::configure::Dialog),
    /// A `mysql>` or `psql` prompt.
    Sql(super::sql::SqlClient),
    /// `Enter password: `: the next line is a password, not shown.
    Password(super::sql::PasswordPrompt),
    /// An interactive `redis-cli` with its connection.
    RedisCli(super::redis_cli::CliState),
    /// A Python program: its runtime reads the lines typed (see [`super::python`]).
    Python(super::python::PythonProgram),
    /// The shell reading a here-document's body at bash's `> ` ([`super::heredoc`]).
    HereDoc(super::heredoc::HereDocReading),
    /// A file open in the workspace's editor ([`super::editor`]).
    Editor(super::editor::Editing),
}

impl Foreground {
    /// The prompt the session shows: the shell's (Amazon Linux's on an EC2 host), or the
    /// program's. `host` is the session's host, if it still exists.
    pub fn prompt(&self, session: &Session, host: Option<&Host>, cloud: &Cloud) -> String {
        match self {
            Foreground::Shell => match host {
                Some(h) if h.kind == HostKind::Ec2 => session.amazon_linux_prompt(&h.user, &h.hostname, &h.home),
                Some(h) => session.shell_prompt(&h.home),
                None => session.shell_prompt("/"),
            },
            Foreground::AwsConfigure(dialog) => dialog.prompt(),
            Foreground::Sql(client) => client.prompt(host),
            Foreground::Password(p) => p.prompt.clone(),
            Foreground::Python(program) => program.prompt.clone(),
            Foreground::HereDoc(_) => "> ".to_string(),
            Foreground::Editor(_) => String::new(),
            Foreground::RedisCli(cli) => {
                cli.prompt(host.and_then(|h| {
                    super::redis_cli::nodes::server_ref(h, cloud, &cli.host, cli.port, cli.remote.as_ref())
                }))
            }
        }
    }

    /// Hands a line to the program holding the terminal; what it prints goes to `ctx`.
    /// (The shell's lines, here-documents' too, are not a program's: the interpreter reads
    /// those.)
    pub fn answer(self, ctx: &mut Ctx, line: &str) {
        match self {
            Foreground::Shell | Foreground::HereDoc(_) => {}
            Foreground::AwsConfigure(dialog) => super::aws::configure::answer(ctx, dialog, line),
            Foreground::Sql(client) => match client.flavour {
                Flavour::MySql => super::sql::mysql::answer(ctx, client, line),
                Flavour::Postgres => super::sql::psql::answer(ctx, client, line),
            },
            Foreground::RedisCli(cli) => super::redis_cli::answer(ctx, cli, line),
            Foreground::Password(prompt) => super::sql::answer_password(ctx, prompt, line),
            // The program's runtime takes its lines ([`super::Lab::python_typed`]); a line that
            // reaches the shell instead has no program to read it.
            Foreground::Python(_) => {}
            // The editor takes its keys in the workspace, not lines.
            Foreground::Editor(_) => {}
        }
    }

    /// Whether the line typed is secret: a password is read without echo, so the transcript
    /// shows the prompt alone.
    pub fn hides_input(&self) -> bool {
        matches!(self, Foreground::Password(_))
    }

    /// Whether a program holds the terminal (not the shell, at its prompt or reading a
    /// here-document): its end runs the rest of the line it was started from.
    pub fn is_program(&self) -> bool {
        !matches!(self, Foreground::Shell | Foreground::HereDoc(_))
    }
}
