//! The `dblab` binary: in the browser it mounts the app; natively it runs the lab's shell on
//! stdin/stdout (`dblab shell`) for scripting and tests.

#[cfg(target_arch = "wasm32")]
fn main() {
    dblab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(native::main());
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use dblab::cloud::time::Timestamp;
    use dblab::shell::session::Foreground;
    use dblab::shell::Lab;
    use std::io::{BufRead, IsTerminal, Write};

    const USAGE: &str = "usage: dblab shell [--seed N] [--start YYYY-MM-DDTHH:MM:SSZ]\n       dblab conform dynamodb\n       dblab conform redis\n       dblab conform sql [--flavour mysql|postgres]\n\n  shell            run the lab's shell on stdin/stdout (the prompt shows only on a terminal)\n  conform dynamodb answer DynamoDB requests, one JSON line in, one JSON line out\n  conform redis    read {\"client\": N, \"argv\": [...]} lines, print one reply per line (JSON)\n  conform sql      read JSON lines {\"sql\": \"...\"} and answer each as the SQL engine does\n";

    pub fn main() -> i32 {
        let args: Vec<String> = std::env::args().skip(1).collect();
        match args.first().map(String::as_str) {
            Some("shell") => shell(&args[1..]),
            Some("conform") if args.get(1).map(String::as_str) == Some("dynamodb") => conform_dynamodb(),
            Some("conform") if args.get(1).map(String::as_str) == Some("sql") => conform_sql(&args[2..]),
            Some("conform") if args.get(1).map(String::as_str) == Some("redis") => conform_redis(),
            Some("-h" | "--help" | "help") => {
                print!("{USAGE}");
                0
            }
            _ => {
                eprint!("{USAGE}");
                2
            }
        }
    }

    /// `dblab conform dynamodb`: reads `{"target": "DynamoDB_20120810.PutItem", "request":
    /// "<json text>"}` lines and prints `{"status": 200, "response": "<json text>"}` for each,
    /// on one engine whose tables become ACTIVE as the reference suite observes.
    fn conform_dynamodb() -> i32 {
        use dblab::engines::dynamo::{error::DynamoError, Dynamo};
        use serde_json::{json, Value};
        let mut engine = Dynamo::default();
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if line.trim().is_empty() {
                continue;
            }
            let (status, body) = match serde_json::from_str::<Value>(&line) {
                Err(_) => (400, DynamoError::serialization("").body()),
                Ok(record) => {
                    let target = record["target"].as_str().unwrap_or("");
                    let operation = target.strip_prefix("DynamoDB_20120810.").unwrap_or("");
                    let request = record["request"]
                        .as_str()
                        .map(|t| serde_json::from_str(t).unwrap_or(Value::Null))
                        .unwrap_or_else(|| record["request"].clone());
                    match engine.call(0.0, operation, &request) {
                        Ok(v) => (200, v),
                        Err(e) => (e.status, e.body()),
                    }
                }
            };
            let _ = writeln!(out, "{}", json!({"status": status, "response": body.to_string()}));
        }
        0
    }

    fn parse_start(text: &str) -> Option<Timestamp> {
        let t = text.strip_suffix('Z').unwrap_or(text);
        let (date, time) = t.split_once('T')?;
        let d: Vec<i64> = date.split('-').map(|p| p.parse().ok()).collect::<Option<_>>()?;
        let h: Vec<u32> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
        if d.len() != 3 || h.len() != 3 {
            return None;
        }
        Some(Timestamp::from_civil(d[0], d[1] as u32, d[2] as u32, h[0], h[1], h[2]))
    }

    fn shell(args: &[String]) -> i32 {
        let mut seed = 1;
        let mut start = Timestamp::from_civil(2026, 11, 26, 9, 0, 0);
        let mut i = 0;
        while i < args.len() {
            match (args[i].as_str(), args.get(i + 1)) {
                ("--seed", Some(v)) => match v.parse() {
                    Ok(n) => seed = n,
                    Err(_) => {
                        eprintln!("dblab: --seed takes a number");
                        return 2;
                    }
                },
                ("--start", Some(v)) => match parse_start(v) {
                    Some(t) => start = t,
                    None => {
                        eprintln!("dblab: --start takes a time like 2026-11-26T09:00:00Z");
                        return 2;
                    }
                },
                (other, _) => {
                    eprintln!("dblab: unknown option {other}\n{USAGE}");
                    return 2;
                }
            }
            i += 2;
        }
        let mut lab = Lab::new(seed, start);
        let session = 1;
        let interactive = std::io::stdin().is_terminal();
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let show_prompt = |lab: &Lab, out: &mut dyn Write| {
            // The shell's prompt only on a terminal; a program's prompts (aws configure) always,
            // as the real programs print them.
            let in_program = lab.session(session).is_some_and(|s| s.foreground != Foreground::Shell);
            if interactive || in_program {
                let _ = write!(out, "{}", lab.prompt(session));
                let _ = out.flush();
            }
        };
        show_prompt(&lab, &mut out);
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            let output = lab.exec(session, &line);
            if output.clear && interactive {
                let _ = write!(out, "\x1b[2J\x1b[H");
            }
            let _ = write!(out, "{}", output.text);
            if output.closed {
                return 0;
            }
            show_prompt(&lab, &mut out);
        }
        lab.session(session).map_or(0, |s| s.last_status)
    }

    /// `dblab conform sql`: one session on a fresh server; each input line `{"sql": "..."}` gets
    /// one output line: `{"columns": [...], "rows": [[...]]}` (values as the client shows them,
    /// NULL as null), `{"affected": N}`, or `{"error": "..."}`.
    fn conform_sql(args: &[String]) -> i32 {
        use dblab::engines::sql::{display_value, Flavour, Outcome, Server};
        let flavour = match args {
            [] => Flavour::MySql,
            [flag, f] if flag == "--flavour" || flag == "--flavor" => match f.as_str() {
                "mysql" => Flavour::MySql,
                "postgres" | "postgresql" => Flavour::Postgres,
                _ => {
                    eprintln!("dblab: --flavour takes mysql or postgres");
                    return 2;
                }
            },
            _ => {
                eprint!("{USAGE}");
                return 2;
            }
        };
        let mut server = Server::new(flavour, "", 0);
        let Ok(session) = server.connect(flavour.admin_user(), "", Some(flavour.default_database())) else {
            eprintln!("dblab: cannot connect to the fresh server");
            return 1;
        };
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for (n, line) in std::io::stdin().lock().lines().enumerate() {
            let Ok(line) = line else { break };
            if line.trim().is_empty() {
                continue;
            }
            let sql = serde_json::from_str::<serde_json::Value>(&line)
                .ok()
                .and_then(|v| v.get("sql").and_then(|s| s.as_str()).map(String::from));
            let reply = match sql {
                None => serde_json::json!({ "error": format!("line {}: expected {{\"sql\": \"...\"}}", n + 1) }),
                Some(sql) => match server.execute(session, &sql, (n as i64 + 1) * 1_000_000) {
                    Ok(Outcome::Rows { columns, rows }) => {
                        let rows: Vec<Vec<serde_json::Value>> = rows
                            .iter()
                            .map(|r| {
                                r.iter()
                                    .map(|v| {
                                        display_value(v, flavour)
                                            .map_or(serde_json::Value::Null, serde_json::Value::String)
                                    })
                                    .collect()
                            })
                            .collect();
                        serde_json::json!({ "columns": columns, "rows": rows })
                    }
                    Ok(Outcome::Affected { count, .. }) => serde_json::json!({ "affected": count }),
                    Ok(Outcome::Done { .. }) => serde_json::json!({ "affected": 0 }),
                    Err(e) => serde_json::json!({ "error": e.render(flavour) }),
                },
            };
            let _ = writeln!(out, "{reply}");
        }
        0
    }

    /// `dblab conform redis`: the cache engine behind a line protocol, for comparing it with a
    /// real Redis. Each input line is `{"client": N, "argv": [...]}` (argv items strings or
    /// `{"hex": "..."}`); each output line is the reply in the recordings' JSON format. Every
    /// client number is its own connection, already in database 9. A command answering several
    /// replies (SUBSCRIBE a b) prints one line per reply; messages pushed to a subscribed
    /// client print just before the replies to that client's next command.
    fn conform_redis() -> i32 {
        use dblab::engines::cache::{Cache, Reply};
        use serde_json::Value;
        use std::collections::HashMap;
        // The machine's wall clock, as a real server reads it for every command: XADD * makes
        // 13-digit IDs like the recordings', and idle and delivery times in XPENDING / XINFO
        // grow only as much as real time passes between the lines fed in. (The engine itself
        // stays pure: the time is an argument of every call.)
        let wall_clock = || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0)
        };
        let mut cache = Cache::new(1, wall_clock());
        let mut clients = HashMap::new();
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if line.trim().is_empty() {
                continue;
            }
            let request: Value = match serde_json::from_str(&line) {
                Ok(v) => v,
                Err(e) => {
                    let _ = writeln!(out, "{}", serde_json::json!({ "e": format!("ERR bad request line: {e}") }));
                    continue;
                }
            };
            let client_no = request.get("client").and_then(Value::as_u64).unwrap_or(1);
            let argv: Vec<Vec<u8>> = request
                .get("argv")
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .map(|a| match a {
                            Value::String(s) => s.as_bytes().to_vec(),
                            Value::Object(o) => {
                                let hex = o.get("hex").and_then(Value::as_str).unwrap_or("");
                                (0..hex.len() / 2)
                                    .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
                                    .collect()
                            }
                            other => other.to_string().into_bytes(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let client = *clients.entry(client_no).or_insert_with(|| {
                let id = cache.connect();
                cache.call(id, &[b"select".to_vec(), b"9".to_vec()], wall_clock());
                id
            });
            // Messages published to this client since its last command come first: a real
            // client reads them off the socket before the reply to what it sends next.
            for push in cache.take_pushes(client) {
                let _ = writeln!(out, "{}", push.to_json());
            }
            let replies = match cache.call(client, &argv, wall_clock()) {
                Reply::Many(items) => items,
                one => vec![one],
            };
            for r in &replies {
                let _ = writeln!(out, "{}", r.to_json());
            }
            let _ = out.flush();
        }
        0
    }
}
