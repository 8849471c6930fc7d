//! `psql`: the PostgreSQL interactive terminal.
//!
//! `psql [-U user] [-h host] [-W | -w] [-d database] [-c "statement"] [database [user]]`:
//! connects to the local PostgreSQL server or an RDS endpoint (asking for the password the
//! server wants, unless `PGPASSWORD` gives it; the local database defaults to the user's name,
//! as in psql), then runs `-c` or takes the terminal with a `shop=> ` prompt. Meta-commands:
//! `\l` `\dt` `\d name` `\c database` `\x` `\q`.

use super::format::{psql_expanded, psql_table};
use super::input::split;
use super::{
    connection_alive, now_micros, reach_remote, server, target_alive, PasswordPrompt, PendingLogin, Reached,
    RemoteError, SqlClient, Target,
};
use crate::engines::sql::{Flavour, Outcome, Value};
use crate::shell::command::{Command, Ctx};
use crate::shell::foreground::Foreground;
use serde::{Deserialize, Serialize};

pub struct Psql;

/// The command line, parsed; kept while psql asks for the password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Args {
    user: String,
    host: Option<String>,
    command: Option<String>,
    database: Option<String>,
    /// `-W`: always ask for the password; `-w`: never ask.
    password: Ask,
    /// The address the host name resolved to, once reached (psql names it in errors).
    address: String,
}

/// When psql asks for a password.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Ask {
    /// When the server wants one and `PGPASSWORD` does not give it.
    WhenNeeded,
    Always,
    Never,
}

fn parse_args(args: &[String], login: &str) -> Result<Args, String> {
    let mut a = Args {
        user: login.to_string(),
        host: None,
        command: None,
        database: None,
        password: Ask::WhenNeeded,
        address: String::new(),
    };
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let mut next = || -> Result<String, String> {
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| format!("psql: error: option requires an argument -- '{}'", arg.trim_start_matches('-')))
        };
        match arg.as_str() {
            "-U" | "--username" => a.user = next()?,
            "-h" | "--host" => a.host = Some(next()?),
            "-c" | "--command" => a.command = Some(next()?),
            "-d" | "--dbname" => a.database = Some(next()?),
            "-p" | "--port" => {
                next()?;
            }
            "-W" | "--password" => a.password = Ask::Always,
            "-w" | "--no-password" => a.password = Ask::Never,
            _ if arg.starts_with("--username=") => a.user = arg["--username=".len()..].to_string(),
            _ if arg.starts_with("--dbname=") => a.database = Some(arg["--dbname=".len()..].to_string()),
            _ if arg.starts_with("-U") => a.user = arg[2..].to_string(),
            _ if arg.starts_with("-d") => a.database = Some(arg[2..].to_string()),
            _ if arg.starts_with('-') => {
                return Err(format!(
                    "psql: error: unrecognized option '{arg}'\npsql: hint: Try \"psql --help\" for more information."
                ))
            }
            _ => positional.push(arg.clone()),
        }
        i += 1;
    }
    let mut positional = positional.into_iter();
    if a.database.is_none() {
        a.database = positional.next();
    }
    if let Some(u) = positional.next() {
        a.user = u;
    }
    Ok(a)
}

const SOCKET: &str = "connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed";

impl Command for Psql {
    fn name(&self) -> &'static str {
        "psql"
    }
    fn summary(&self) -> &'static str {
        "the PostgreSQL client (-U user, -c \"SQL\", database)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let login = ctx.host.user.clone();
        let mut a = match parse_args(args, &login) {
            Ok(a) => a,
            Err(e) => {
                ctx.errln(&e);
                return 1;
            }
        };
        let target = match a.host.as_deref() {
            None | Some("localhost") | Some("127.0.0.1") => Target::Local,
            Some(h) => {
                let unreachable = |address: &str, why: &str| {
                    format!("psql: error: connection to server at \"{h}\" ({address}), port 5432 failed: {why}")
                };
                match reach_remote(ctx, h, 5432, Flavour::Postgres) {
                    Ok(Reached { instance, generation, address, .. }) => {
                        a.address = address;
                        Target::Rds { instance, generation }
                    }
                    Err(RemoteError::UnknownHost) => {
                        ctx.errln(&format!(
                            "psql: error: could not translate host name \"{h}\" to address: Name or service not known"
                        ));
                        return 2;
                    }
                    Err(RemoteError::TimedOut { address }) => {
                        ctx.errln(&unreachable(&address, "Connection timed out"));
                        ctx.errln("\tIs the server running on that host and accepting TCP/IP connections?");
                        return 2;
                    }
                    Err(RemoteError::Refused { address }) => {
                        ctx.errln(&unreachable(&address, "Connection refused"));
                        ctx.errln("\tIs the server running on that host and accepting TCP/IP connections?");
                        return 2;
                    }
                    Err(RemoteError::WrongServer { address }) => {
                        ctx.errln(&unreachable(&address, "received invalid response to SSL negotiation: J"));
                        return 2;
                    }
                }
            }
        };
        // psql reaches the server first; only when the server asks for a password (RDS does,
        // the laptop's local server trusts its users) and PGPASSWORD does not give one, or with
        // `-W`, does it ask.
        let remote = target != Target::Local;
        let from_env = ctx.var("PGPASSWORD").map(str::to_string);
        let ask = match a.password {
            Ask::Always => true,
            Ask::Never => false,
            Ask::WhenNeeded => remote && from_env.is_none(),
        };
        if ask {
            let prompt = format!("Password for user {}: ", a.user);
            ctx.take_over(Foreground::Password(PasswordPrompt {
                prompt,
                login: PendingLogin::Psql { args: a, target },
            }));
            return 0;
        }
        log_in(ctx, a, target, from_env.unwrap_or_default())
    }
}

/// The password typed at `Password for user admin: `.
pub fn answer_password(ctx: &mut Ctx, a: Args, target: Target, password: &str) -> i32 {
    if !target_alive(ctx, &target) {
        // The instance went away (deleted, rebooting, failing over) while psql was asking.
        ctx.errln(&format!(
            "psql: error: connection to server at \"{}\" ({}), port 5432 failed: server closed the connection unexpectedly",
            a.host.as_deref().unwrap_or_default(),
            a.address
        ));
        return 2;
    }
    log_in(ctx, a, target, password.to_string())
}

/// Connects (the local server trusts its users and ignores the password), then runs `-c` or
/// takes the terminal.
fn log_in(ctx: &mut Ctx, a: Args, target: Target, password: String) -> i32 {
    let remote = target != Target::Local;
    let failed = |why: &str| {
        format!(
            "psql: error: connection to server at \"{}\" ({}), port 5432 failed: {why}",
            a.host.as_deref().unwrap_or_default(),
            a.address
        )
    };
    if remote && password.is_empty() {
        ctx.errln(&failed("fe_sendauth: no password supplied"));
        return 2;
    }
    let password = if remote { password } else { String::new() };
    let database = a.database.clone().unwrap_or_else(|| if remote { "postgres".to_string() } else { a.user.clone() });
    let server_ref = server(ctx, &target, Flavour::Postgres);
    let session = match server_ref.connect(&a.user, &password, Some(&database)) {
        Ok(s) => s,
        Err(crate::engines::sql::SqlError::AccessDenied { .. }) if remote => {
            ctx.errln(&failed(&format!("FATAL:  password authentication failed for user \"{}\"", a.user)));
            return 2;
        }
        Err(e) => {
            let msg = e.render(Flavour::Postgres).replacen("ERROR:  ", "", 1);
            let msg = match e {
                crate::engines::sql::SqlError::AccessDenied { .. } => format!("role \"{}\" does not exist", a.user),
                _ => msg,
            };
            ctx.errln(&format!("psql: error: {SOCKET}: FATAL:  {msg}"));
            return 2;
        }
    };
    let mut client = SqlClient::new(target.clone(), Flavour::Postgres, session, &a.user);
    if let Some(sql) = a.command {
        let ok = if sql.trim_start().starts_with('\\') {
            meta(ctx, &mut client, sql.trim())
        } else {
            run_statements(ctx, &mut client, &format!("{sql};"))
        };
        server(ctx, &client.target, Flavour::Postgres).disconnect(session);
        return if ok { 0 } else { 1 };
    }
    ctx.outln("psql (16.4)");
    ctx.outln("Type \"help\" for help.");
    ctx.out("\n");
    ctx.take_over(Foreground::Sql(client));
    0
}

/// One line typed at the `shop=> ` prompt.
pub fn answer(ctx: &mut Ctx, mut client: SqlClient, line: &str) {
    if !connection_alive(ctx, &client) {
        ctx.outln("server closed the connection unexpectedly");
        ctx.outln("\tThis probably means the server terminated abnormally");
        ctx.outln("\tbefore or while processing the request.");
        ctx.outln("The connection to the server was lost. Attempting reset: Failed.");
        ctx.give_back(2);
        return;
    }
    let trimmed = line.trim();
    if client.buffer.trim().is_empty() {
        if trimmed == "\\q" || trimmed == "exit" || trimmed == "quit" {
            server(ctx, &client.target, Flavour::Postgres).disconnect(client.session);
            ctx.give_back(0);
            return;
        }
        if trimmed.starts_with('\\') {
            meta(ctx, &mut client, trimmed);
            if ctx.session.foreground != Foreground::Shell || !trimmed.starts_with("\\q") {
                ctx.take_over(Foreground::Sql(client));
            }
            return;
        }
        if trimmed == "help" {
            ctx.outln("You are using psql, the command-line interface to PostgreSQL.");
            ctx.outln("Type:  \\copyright for distribution terms");
            ctx.outln("       \\h for help with SQL commands");
            ctx.outln("       \\? for help with psql commands");
            ctx.outln("       \\g or terminate with semicolon to execute query");
            ctx.outln("       \\q to quit");
            ctx.take_over(Foreground::Sql(client));
            return;
        }
    }
    if !client.buffer.is_empty() {
        client.buffer.push('\n');
    }
    client.buffer.push_str(line);
    let (pieces, rest) = split(&client.buffer);
    client.buffer = rest;
    for p in pieces {
        run_one(ctx, &mut client, &p.sql);
    }
    ctx.take_over(Foreground::Sql(client));
}

fn run_statements(ctx: &mut Ctx, client: &mut SqlClient, text: &str) -> bool {
    let (pieces, _) = split(text);
    for p in pieces {
        if !run_one(ctx, client, &p.sql) {
            return false;
        }
    }
    true
}

fn run_one(ctx: &mut Ctx, client: &mut SqlClient, sql: &str) -> bool {
    let now = now_micros(ctx);
    match server(ctx, &client.target, Flavour::Postgres).execute(client.session, sql, now) {
        Ok(outcome) => {
            print_outcome(ctx, client, outcome);
            true
        }
        Err(e) => {
            ctx.outln(&e.render(Flavour::Postgres));
            false
        }
    }
}

fn print_outcome(ctx: &mut Ctx, client: &SqlClient, outcome: Outcome) {
    match outcome {
        Outcome::Rows { columns, rows } => {
            ctx.out(&if client.expanded { psql_expanded(&columns, &rows) } else { psql_table(&columns, &rows) })
        }
        Outcome::Affected { tag, count } => match tag {
            "INSERT" => ctx.outln(&format!("INSERT 0 {count}")),
            t => ctx.outln(&format!("{t} {count}")),
        },
        Outcome::Done { tag, warning } => {
            if let Some(w) = warning {
                ctx.outln(&w);
            }
            if tag == "SELECT" {
                ctx.outln("SELECT");
            } else if !tag.is_empty() {
                ctx.outln(&tag);
            }
        }
    }
}

fn title(ctx: &mut Ctx, title: &str, columns: &[&str], rows: Vec<Vec<Value>>) {
    let cols: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    let table = psql_table(&cols, &rows);
    let width = table.lines().nth(1).map(|l| l.chars().count()).unwrap_or(title.len());
    let pad = width.saturating_sub(title.chars().count()) / 2;
    ctx.outln(&format!("{}{}", " ".repeat(pad), title));
    ctx.out(&table);
}

/// psql's backslash commands.
fn meta(ctx: &mut Ctx, client: &mut SqlClient, line: &str) -> bool {
    let mut words = line.split_whitespace();
    let command = words.next().unwrap_or("");
    let arg = words.next().map(|a| a.trim_matches('"').to_lowercase());
    match command {
        "\\q" => true,
        "\\x" => {
            client.expanded = !client.expanded;
            ctx.outln(&format!("Expanded display is {}.", if client.expanded { "on" } else { "off" }));
            true
        }
        "\\l" | "\\list" => {
            let server = server(ctx, &client.target, Flavour::Postgres);
            let rows: Vec<Vec<Value>> = server
                .catalog
                .databases
                .keys()
                .map(|d| vec![Value::Text(d.clone()), Value::Text("postgres".into()), Value::Text("UTF8".into())])
                .collect();
            title(ctx, "List of databases", &["Name", "Owner", "Encoding"], rows);
            true
        }
        "\\dt" => {
            let db = server(ctx, &client.target, Flavour::Postgres)
                .session(client.session)
                .and_then(|s| s.database.clone())
                .unwrap_or_default();
            let rows: Vec<Vec<Value>> = server(ctx, &client.target, Flavour::Postgres)
                .catalog
                .databases
                .get(&db)
                .map(|d| {
                    d.tables
                        .keys()
                        .map(|t| {
                            vec![
                                Value::Text("public".into()),
                                Value::Text(t.clone()),
                                Value::Text("table".into()),
                                Value::Text(client.user.clone()),
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default();
            if rows.is_empty() {
                ctx.outln("Did not find any relations.");
            } else {
                title(ctx, "List of relations", &["Schema", "Name", "Type", "Owner"], rows);
            }
            true
        }
        "\\d" => {
            let Some(name) = arg else {
                return meta(ctx, client, "\\dt");
            };
            let db = server(ctx, &client.target, Flavour::Postgres)
                .session(client.session)
                .and_then(|s| s.database.clone())
                .unwrap_or_default();
            let table = server(ctx, &client.target, Flavour::Postgres).catalog.table(&db, &name).cloned();
            let Some(t) = table else {
                ctx.outln(&format!("Did not find any relation named \"{name}\"."));
                return false;
            };
            let rows: Vec<Vec<Value>> = t
                .columns
                .iter()
                .map(|c| {
                    let default = if c.auto_increment {
                        format!("nextval('{}_{}_seq'::regclass)", t.name, c.name)
                    } else {
                        match &c.default {
                            Some(crate::engines::sql::ast::Expr::Literal(v)) => {
                                crate::engines::sql::display_value(v, Flavour::Postgres)
                                    .unwrap_or_else(|| "NULL".into())
                            }
                            Some(_) => "expression".into(),
                            None => String::new(),
                        }
                    };
                    vec![
                        Value::Text(c.name.clone()),
                        Value::Text(c.data_type.display(false)),
                        Value::Text(String::new()),
                        Value::Text(if c.not_null { "not null".into() } else { String::new() }),
                        Value::Text(default),
                    ]
                })
                .collect();
            title(
                ctx,
                &format!("Table \"public.{}\"", t.name),
                &["Column", "Type", "Collation", "Nullable", "Default"],
                rows,
            );
            let mut out = ctx
                .stdout
                .trim_end_matches('\n')
                .lines()
                .filter(|l| !l.starts_with('('))
                .collect::<Vec<_>>()
                .join("\n");
            out.push('\n');
            ctx.stdout = out;
            if !t.indexes.is_empty() {
                ctx.outln("Indexes:");
                for ix in &t.indexes {
                    let cols: Vec<String> =
                        ix.columns.iter().filter_map(|&i| t.columns.get(i)).map(|c| c.name.clone()).collect();
                    let kind = if ix.primary {
                        "PRIMARY KEY, "
                    } else if ix.unique {
                        "UNIQUE CONSTRAINT, "
                    } else {
                        ""
                    };
                    ctx.outln(&format!("    \"{}\" {}btree ({})", ix.name, kind, cols.join(", ")));
                }
            }
            ctx.out("\n");
            true
        }
        "\\c" | "\\connect" => {
            let Some(db) = arg else {
                let db = server(ctx, &client.target, Flavour::Postgres)
                    .session(client.session)
                    .and_then(|s| s.database.clone())
                    .unwrap_or_default();
                ctx.outln(&format!("You are now connected to database \"{db}\" as user \"{}\".", client.user));
                return true;
            };
            let user = client.user.clone();
            let server = server(ctx, &client.target, Flavour::Postgres);
            match server.connect(&user, "", Some(&db)) {
                Ok(new) => {
                    server.disconnect(client.session);
                    client.session = new;
                    ctx.outln(&format!("You are now connected to database \"{db}\" as user \"{user}\"."));
                    true
                }
                Err(e) => {
                    let msg = e.render(Flavour::Postgres).replacen("ERROR:  ", "", 1);
                    ctx.outln(&format!("{SOCKET}: FATAL:  {msg}"));
                    ctx.outln("Previous connection kept");
                    false
                }
            }
        }
        "\\?" => {
            ctx.outln("General\n  \\q                     quit psql\n\nInformational\n  \\d NAME                describe table\n  \\dt                    list tables\n  \\l                     list databases\n\nConnection\n  \\c DBNAME              connect to new database\n\nFormatting\n  \\x                     toggle expanded output");
            true
        }
        other => {
            ctx.outln(&format!("invalid command {other}"));
            ctx.outln("Try \\? for help.");
            false
        }
    }
}
