//! The database clients: `mysql` and `psql`, talking to a SQL server of the engines layer.
//!
//! For now the server is a local one on the host itself (as if MySQL or PostgreSQL were
//! installed on the laptop); later issues add `-h <endpoint>` for RDS. The life of a line in a
//! client session:
//!
//! 1. `mysql` / `psql` parse their flags, ask for the password when they need one (a
//!    [`PasswordPrompt`] holds the terminal, without echo), connect (checking user and
//!    password), and either run `-e` / `-c` at once or take over the terminal with a
//!    [`SqlClient`] as the foreground;
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
use crate::shell::foreground::Foreground;
use crate::shell::host::Host;
use serde::{Deserialize, Serialize};

/// Which server a client talks to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// The host's own local server.
    #[default]
    Local,
    /// An RDS instance, reached through the network; `generation` is the instance's restart
    /// count when the connection opened (a restart or failover drops the connection).
    Rds { instance: String, generation: u64 },
}

/// An interactive client holding the terminal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SqlClient {
    pub target: Target,
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
    /// A client just logged in, with nothing typed yet.
    pub fn new(target: Target, flavour: Flavour, session: SessionId, user: &str) -> SqlClient {
        SqlClient { target, flavour, session, user: user.to_string(), buffer: String::new(), expanded: false }
    }

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

/// A client asking for the password before it logs in. The next line typed is the password;
/// the terminal does not echo it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasswordPrompt {
    /// `Enter password: ` (mysql, before it connects) or `Password for user admin: ` (psql,
    /// once the server has asked for one).
    pub prompt: String,
    pub login: PendingLogin,
}

/// What the client will do with the password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PendingLogin {
    Mysql(mysql::Args),
    Psql { args: psql::Args, target: Target },
}

/// The line typed at a password prompt: the client logs in with it and takes the terminal,
/// or ends there (a wrong password, `-e`) with its status.
pub fn answer_password(ctx: &mut Ctx, prompt: PasswordPrompt, line: &str) {
    ctx.take_over(Foreground::Shell);
    let status = match prompt.login {
        PendingLogin::Mysql(args) => mysql::answer_password(ctx, args, line),
        PendingLogin::Psql { args, target } => psql::answer_password(ctx, args, target, line),
    };
    if ctx.session.foreground == Foreground::Shell {
        ctx.give_back(status);
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

/// The server a client talks to: its RDS instance's primary, or the host's local server.
pub fn server<'a>(ctx: &'a mut Ctx, target: &Target, flavour: Flavour) -> &'a mut Server {
    if let Target::Rds { instance, .. } = target {
        // An Aurora writer serves its cluster's volume.
        let key = ctx.cloud.rds.data_key(instance);
        if ctx.cloud.rds.data.contains_key(&key) {
            let now = now_micros(ctx);
            // The entry exists (checked above); `or_insert_with` only satisfies the borrow checker.
            let engine = if flavour == Flavour::Postgres { "postgres" } else { "mysql" };
            return &mut ctx
                .cloud
                .rds
                .data
                .entry(key)
                .or_insert_with(|| crate::cloud::rds::data::DbData::new(engine, "rdsadmin", "", None, false, now))
                .primary;
        }
    }
    local_server(ctx, flavour)
}

/// Whether the client's connection is still up (an RDS restart or failover drops it).
pub fn connection_alive(ctx: &Ctx, client: &SqlClient) -> bool {
    target_alive(ctx, &client.target)
}

/// Whether the server a target names is still the one reached, and up.
pub fn target_alive(ctx: &Ctx, target: &Target) -> bool {
    match target {
        Target::Local => true,
        Target::Rds { instance, generation } => {
            ctx.cloud.rds.data_of(instance).is_some_and(|d| d.generation == *generation)
                && ctx.cloud.rds.instance(instance).is_some_and(|i| i.listening())
        }
    }
}

/// Why a connection to a remote server could not be made.
pub enum RemoteError {
    UnknownHost,
    /// Nothing answered: the packets were dropped (a security group, a private address).
    TimedOut {
        address: String,
    },
    Refused {
        address: String,
    },
    /// Something answered that is not this client's kind of server.
    WrongServer {
        address: String,
    },
}

/// A connection opened to an RDS instance: which one, its restart count, the address the name
/// resolved to, and the address the server sees the client connect from (as MySQL names it in
/// `'user'@'address'`).
pub struct Reached {
    pub instance: String,
    pub generation: u64,
    pub address: String,
    pub client: String,
}

/// Opens the network path to `host:port` from this host: resolves the name, asks the network,
/// and finds the RDS instance listening there. A dropped connection costs the kernel's connect
/// timeout on the lab's clock.
pub fn reach_remote(ctx: &mut Ctx, host: &str, port: u16, flavour: Flavour) -> Result<Reached, RemoteError> {
    use crate::cloud::network::reach::Outcome;
    let answer = crate::shell::net::resolve(ctx, host).ok_or(RemoteError::UnknownHost)?;
    let ip = answer.address;
    let address = ip.to_string();
    let verdict = ctx.cloud.reach(&ctx.host.source(), ip, port);
    match verdict.outcome {
        Outcome::TimedOut => {
            let until = ctx.cloud.now.plus(crate::cloud::time::Duration::from_secs(127));
            ctx.cloud.advance_to(until);
            Err(RemoteError::TimedOut { address })
        }
        Outcome::Refused => Err(RemoteError::Refused { address }),
        Outcome::Connected => {
            let db = ctx.cloud.rds.instances.iter().find(|i| i.private_ip == ip || i.public_ip == Some(ip));
            match db {
                Some(db)
                    if matches!(db.engine.as_str(), "postgres" | "aurora-postgresql")
                        == (flavour == Flavour::Postgres) =>
                {
                    let generation = ctx.cloud.rds.data_of(&db.id).map_or(0, |d| d.generation);
                    // The server sees an EC2 instance by its private address inside the VPC (the
                    // database reached at its private address), else by its public one; a
                    // machine on the internet by its own address.
                    let client = match ctx.host.source() {
                        crate::cloud::network::reach::Source::Internet(a) => a.to_string(),
                        crate::cloud::network::reach::Source::Instance(id) => match ctx.cloud.network.instance(&id) {
                            Some(i) if db.private_ip == ip => i.private_ip.to_string(),
                            Some(i) => i.public_ip.unwrap_or(i.private_ip).to_string(),
                            None => "localhost".to_string(),
                        },
                    };
                    Ok(Reached { instance: db.id.clone(), generation, address, client })
                }
                _ => Err(RemoteError::WrongServer { address }),
            }
        }
    }
}

/// Virtual now in microseconds, as the engine takes it.
pub fn now_micros(ctx: &Ctx) -> i64 {
    ctx.cloud.now.0.saturating_mul(1000)
}

#[cfg(test)]
mod tests;
