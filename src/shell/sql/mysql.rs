//! `mysql`: the MySQL command-line client.
//!
//! `mysql [-u user] [-p[password]] [-h host] [-e "statements"] [database]`: connects to the
//! local MySQL server or an RDS endpoint (`-p` alone asks `Enter password: ` first); with `-e` runs the statements and prints bordered tables without the
//! footers, otherwise greets, and takes the terminal with a `mysql> ` prompt until `exit`.

use super::format::{mysql_rows_footer, mysql_table, mysql_vertical};
use super::input::split;
use super::{
    connection_alive, now_micros, reach_remote, server, PasswordPrompt, PendingLogin, RemoteError, SqlClient, Target,
};
use crate::engines::sql::{Flavour, Outcome, SqlError};
use crate::shell::command::{Command, Ctx};
use crate::shell::foreground::Foreground;
use serde::{Deserialize, Serialize};

pub struct Mysql;

const BANNER: &str = "Welcome to the MySQL monitor.  Commands end with ; or \\g.
Your MySQL connection id is {id}
Server version: 8.0.39 MySQL Community Server - GPL

Copyright (c) 2000, 2024, Oracle and/or its affiliates.

Oracle is a registered trademark of Oracle Corporation and/or its
affiliates. Other names may be trademarks of their respective
owners.

Type 'help;' or '\\h' for help. Type '\\c' to clear the current input statement.
";

/// The command line, parsed; kept while the client asks for the password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Args {
    user: String,
    password: String,
    /// `-p` without a value: ask for the password before connecting.
    ask_password: bool,
    /// The password was on the command line (`-pSECRET`): the client warns about it.
    password_on_command_line: bool,
    host: Option<String>,
    execute: Option<String>,
    database: Option<String>,
}

fn parse_args(args: &[String], login: &str) -> Result<Args, String> {
    let mut a = Args {
        user: login.to_string(),
        password: String::new(),
        ask_password: false,
        password_on_command_line: false,
        host: None,
        execute: None,
        database: None,
    };
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let next = |i: &mut usize| -> Result<String, String> {
            *i += 1;
            args.get(*i).cloned().ok_or_else(|| format!("mysql: option '{arg}' requires an argument"))
        };
        match arg.as_str() {
            "-u" | "--user" => a.user = next(&mut i)?,
            "-h" | "--host" => a.host = Some(next(&mut i)?),
            "-e" | "--execute" => a.execute = Some(next(&mut i)?),
            "-D" | "--database" => a.database = Some(next(&mut i)?),
            "-P" | "--port" => {
                next(&mut i)?;
            }
            "-p" | "--password" => a.ask_password = true,
            _ if arg.starts_with("--user=") => a.user = arg["--user=".len()..].to_string(),
            _ if arg.starts_with("--password=") => {
                a.password = arg["--password=".len()..].to_string();
                a.password_on_command_line = true;
            }
            _ if arg.starts_with("--host=") => a.host = Some(arg["--host=".len()..].to_string()),
            _ if arg.starts_with("--execute=") => a.execute = Some(arg["--execute=".len()..].to_string()),
            _ if arg.starts_with("--database=") => a.database = Some(arg["--database=".len()..].to_string()),
            _ if arg.starts_with("-u") => a.user = arg[2..].to_string(),
            _ if arg.starts_with("-p") => {
                a.password = arg[2..].to_string();
                a.password_on_command_line = true;
            }
            _ if arg.starts_with("-h") => a.host = Some(arg[2..].to_string()),
            _ if arg.starts_with("-e") => a.execute = Some(arg[2..].to_string()),
            _ if arg.starts_with('-') => return Err(format!("mysql: [ERROR] unknown option '{arg}'.")),
            _ => a.database = Some(arg.clone()),
        }
        i += 1;
    }
    Ok(a)
}

impl Command for Mysql {
    fn name(&self) -> &'static str {
        "mysql"
    }
    fn summary(&self) -> &'static str {
        "the MySQL client (-u user, -p, -e \"SQL\", database)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let login = ctx.host.user.clone();
        let a = match parse_args(args, &login) {
            Ok(a) => a,
            Err(e) => {
                ctx.errln(&e);
                return 1;
            }
        };
        if a.password_on_command_line {
            ctx.errln("mysql: [Warning] Using a password on the command line interface can be insecure.");
        }
        if a.ask_password {
            // mysql asks before it connects: an unreachable server shows only after the answer.
            let prompt = PasswordPrompt { prompt: "Enter password: ".into(), login: PendingLogin::Mysql(a) };
            ctx.take_over(Foreground::Password(prompt));
            return 0;
        }
        log_in(ctx, a)
    }
}

/// The password typed at `Enter password: `; the connection is made only now.
pub fn answer_password(ctx: &mut Ctx, mut a: Args, password: &str) -> i32 {
    a.password = password.to_string();
    log_in(ctx, a)
}

/// Connects with the parsed command line, then runs `-e` or takes the terminal.
fn log_in(ctx: &mut Ctx, a: Args) -> i32 {
    let mut client_address = "localhost".to_string();
    let target = match a.host.as_deref() {
        None | Some("localhost") | Some("127.0.0.1") => Target::Local,
        Some(h) => match reach_remote(ctx, h, 3306, Flavour::MySql) {
            Ok(r) => {
                client_address = r.client;
                Target::Rds { instance: r.instance, generation: r.generation }
            }
            Err(RemoteError::UnknownHost) => {
                ctx.errln(&format!("ERROR 2005 (HY000): Unknown MySQL server host '{h}' (-2)"));
                return 1;
            }
            Err(RemoteError::TimedOut { .. }) => {
                ctx.errln(&format!("ERROR 2003 (HY000): Can't connect to MySQL server on '{h}:3306' (110)"));
                return 1;
            }
            Err(RemoteError::Refused { .. }) => {
                ctx.errln(&format!("ERROR 2003 (HY000): Can't connect to MySQL server on '{h}:3306' (111)"));
                return 1;
            }
            Err(RemoteError::WrongServer { .. }) => {
                ctx.errln("ERROR 2013 (HY000): Lost connection to MySQL server at 'reading initial communication packet', system error: 0");
                return 1;
            }
        },
    };
    let server_ref = server(ctx, &target, Flavour::MySql);
    let session = match server_ref.connect_from(&a.user, &a.password, a.database.as_deref(), &client_address) {
        Ok(s) => s,
        Err(e) => {
            ctx.errln(&e.render(Flavour::MySql));
            return 1;
        }
    };
    let mut client = SqlClient::new(target.clone(), Flavour::MySql, session, &a.user);
    if let Some(sql) = a.execute {
        let (pieces, rest) = split(&format!("{sql};"));
        let _ = rest;
        let mut status = 0;
        for p in pieces {
            if !run_piece(ctx, &mut client, &p.sql, p.vertical, true) {
                status = 1;
                break;
            }
        }
        server(ctx, &target, Flavour::MySql).disconnect(session);
        return status;
    }
    ctx.out(&BANNER.replace("{id}", &(session + 7).to_string()));
    ctx.out("\n");
    ctx.take_over(Foreground::Sql(client));
    0
}

/// One line typed at the `mysql>` prompt.
pub fn answer(ctx: &mut Ctx, mut client: SqlClient, line: &str) {
    if !connection_alive(ctx, &client) {
        // The server restarted or failed over: the connection is gone. (The real client then
        // tries to reconnect; here the learner runs `mysql -h ...` again.)
        ctx.outln("ERROR 2013 (HY000): Lost connection to MySQL server during query");
        ctx.outln("No connection. Trying to reconnect...");
        ctx.outln("ERROR 2006 (HY000): MySQL server has gone away");
        ctx.give_back(1);
        return;
    }
    let trimmed = line.trim().trim_end_matches(';').trim();
    if client.buffer.trim().is_empty() {
        let lower = trimmed.to_lowercase();
        if lower == "exit" || lower == "quit" || lower == "\\q" {
            ctx.outln("Bye");
            server(ctx, &client.target, Flavour::MySql).disconnect(client.session);
            ctx.give_back(0);
            return;
        }
        if lower.starts_with("use ") && !line.contains(';') {
            run_piece(ctx, &mut client, trimmed, false, false);
            ctx.take_over(Foreground::Sql(client));
            return;
        }
    }
    if line.trim() == "\\c" || line.trim_end().ends_with("\\c") {
        client.buffer.clear();
        ctx.take_over(Foreground::Sql(client));
        return;
    }
    if !client.buffer.is_empty() {
        client.buffer.push('\n');
    }
    client.buffer.push_str(line);
    let (pieces, rest) = split(&client.buffer);
    client.buffer = rest;
    for p in pieces {
        run_piece(ctx, &mut client, &p.sql, p.vertical, false);
    }
    ctx.take_over(Foreground::Sql(client));
}

/// Runs one statement and prints its outcome. Returns false on error.
fn run_piece(ctx: &mut Ctx, client: &mut SqlClient, sql: &str, vertical: bool, batch: bool) -> bool {
    let now = now_micros(ctx);
    let result = server(ctx, &client.target, Flavour::MySql).execute(client.session, sql, now);
    match result {
        Ok(outcome) => {
            print_outcome(ctx, outcome, vertical, batch);
            true
        }
        Err(e) => {
            print_error(ctx, &e, batch);
            false
        }
    }
}

fn print_error(ctx: &mut Ctx, e: &SqlError, batch: bool) {
    let text = e.render(Flavour::MySql);
    if batch {
        // The batch client says where: `ERROR 1146 (42S02) at line 1: ...`.
        ctx.errln(&text.replacen("): ", ") at line 1: ", 1));
    } else {
        ctx.outln(&text);
    }
}

fn print_outcome(ctx: &mut Ctx, outcome: Outcome, vertical: bool, batch: bool) {
    match outcome {
        Outcome::Rows { columns, rows } => {
            if batch {
                if !rows.is_empty() {
                    ctx.out(&if vertical { mysql_vertical(&columns, &rows) } else { mysql_table(&columns, &rows) });
                }
                return;
            }
            if !rows.is_empty() {
                ctx.out(&if vertical { mysql_vertical(&columns, &rows) } else { mysql_table(&columns, &rows) });
            }
            ctx.out(&mysql_rows_footer(rows.len()));
            ctx.out("\n");
        }
        Outcome::Affected { tag, count } => {
            if batch {
                return;
            }
            let rows = if count == 1 { "row" } else { "rows" };
            ctx.outln(&format!("Query OK, {count} {rows} affected (0.00 sec)"));
            match tag {
                "INSERT" if count > 1 => ctx.outln(&format!("Records: {count}  Duplicates: 0  Warnings: 0")),
                "UPDATE" => ctx.outln(&format!("Rows matched: {count}  Changed: {count}  Warnings: 0")),
                _ => {}
            }
            ctx.out("\n");
        }
        Outcome::Done { tag, .. } => {
            if batch {
                return;
            }
            match tag.as_str() {
                "USE" => ctx.outln("Database changed"),
                "CREATE DATABASE" | "DROP DATABASE" => {
                    ctx.outln("Query OK, 1 row affected (0.00 sec)");
                    ctx.out("\n");
                }
                _ => {
                    ctx.outln("Query OK, 0 rows affected (0.00 sec)");
                    ctx.out("\n");
                }
            }
        }
    }
}
