//! The database clients: `mysql` and `psql`, talking to a SQL server of the engines layer.
//!
//! For now the server is a local one on the host itself (as if MySQL or PostgreSQL were
//! installed on the laptop); later issues add `-h <endpoint>` for RDS. The life of a line in a
//! client session:
//!
//! 1. `mysql` / `psql` parse their flags, connect (checking user and password), and either run
//!    `-e` / `-c` at once or take over the terminal with a [`SqlClient`] as the foreground;
//! 2. each line typed is added to the client's buffer; [`input::split`] cuts off complete
//!    statements (ended by `;`, or mysql's `\G`), minding quotes, and says how the prompt
//!    should continue (`    -> `, `shop-> `, `'> `);
//! 3. client commands (`exit`, `\q`, psql's `\l \dt \d \c \x`, mysql's `use`) are handled by
//!    the client; statements go to the server;
//! 4. the outcome is printed the way each client prints it ([`format`]).

pub mod format;
pub mod input;
pub mod mysql;
pub mod psql;

use crate::engines::sql::{Flavour, Server, SessionId};
use crate::shell::command::Ctx;
use crate::shell::host::Host;
use serde::{Deserialize, Serialize};

/// An interactive client holding the terminal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SqlClient {
    pub flavour: Flavour,
    /// The session on the local server.
    pub session: SessionId,
    pub user: String,
    /// Text typed so far of a statement not yet ended.
    pub buffer: String,
    /// psql's `\x`: expanded display.
    pub expanded: bool,
}

impl SqlClient {
    /// The prompt for the next line: a fresh statement or a continuation.
    pub fn prompt(&self, host: Option<&Host>) -> String {
        let open = input::open_quote(&self.buffer);
        match self.flavour {
            Flavour::MySql => match (open, self.buffer.trim().is_empty()) {
                (Some(q), _) => format!("    {q}> "),
                (None, true) => "mysql> ".into(),
                (None, false) => "    -> ".into(),
            },
            Flavour::Postgres => {
                let db = host
                    .and_then(|h| local_server_ref(h, Flavour::Postgres))
                    .and_then(|s| s.session(self.session))
                    .and_then(|s| s.database.clone())
                    .unwrap_or_default();
                let mark = match (open, self.buffer.trim().is_empty()) {
                    (Some(q), _) => q.to_string(),
                    (None, true) => "=".into(),
                    (None, false) => "-".into(),
                };
                // A superuser's prompt ends in `#` instead of `>`.
                let end = if self.user == Flavour::Postgres.admin_user() { '#' } else { '>' };
                format!("{db}{mark}{end} ")
            }
        }
    }
}

/// The key of a flavour's local server in the host.
fn key(flavour: Flavour) -> &'static str {
    match flavour {
        Flavour::MySql => "mysql",
        Flavour::Postgres => "postgres",
    }
}

fn local_server_ref(host: &Host, flavour: Flavour) -> Option<&Server> {
    host.sql_servers.get(key(flavour))
}

/// The host's local server of this flavour, installed on first use: the admin user, a user
/// named after the host's login (no password, may create databases), and a `shop` database.
pub fn local_server<'a>(ctx: &'a mut Ctx, flavour: Flavour) -> &'a mut Server {
    let now = ctx.cloud.now.0.saturating_mul(1000);
    let login = ctx.host.user.clone();
    ctx.host.sql_servers.entry(key(flavour).to_string()).or_insert_with(|| {
        let mut server = Server::new(flavour, "", now);
        if let Ok(admin) = server.connect(flavour.admin_user(), "", None) {
            let create_user = match flavour {
                Flavour::MySql => format!("CREATE USER '{login}'@'localhost'"),
                Flavour::Postgres => format!("CREATE USER {login}"),
            };
            let _ = server.execute(admin, &create_user, now);
            let _ = server.execute(admin, "CREATE DATABASE shop", now);
            if let Some(u) = server.users.get_mut(&login) {
                u.admin = true;
            }
            server.disconnect(admin);
        }
        server
    })
}

/// Virtual now in microseconds, as the engine takes it.
pub fn now_micros(ctx: &Ctx) -> i64 {
    ctx.cloud.now.0.saturating_mul(1000)
}

#[cfg(test)]
mod tests;
