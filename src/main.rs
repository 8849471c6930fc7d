//! The `dblab` binary: in the browser it mounts the app; natively it runs the lab's shell on
//! stdin/stdout (`dblab shell`), replays scripts of `host$ command` lines (`dblab replay`), and
//! puts each engine behind a line protocol for the conformance suites (`dblab conform`).

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
    use dblab::conform;
    use dblab::engines::sql::Flavour;
    use dblab::shell::foreground::Foreground;
    use dblab::shell::python::native::LazyPython;
    use dblab::shell::python::Runtime;
    use dblab::shell::Lab;
    use std::io::{BufRead, IsTerminal, Write};

    const USAGE: &str = "\
usage: dblab shell [--host HOST] [--seed N] [--start YYYY-MM-DDTHH:MM:SSZ]
       dblab replay [--seed N] [--start YYYY-MM-DDTHH:MM:SSZ] FILE
       dblab conform dynamodb
       dblab conform redis
       dblab conform sql [--flavour mysql|postgres]

  shell            run the lab's shell on stdin/stdout (the prompt shows only on a terminal),
                   on the laptop or on HOST (cloudshell)
  replay FILE      run the `host$ command` lines of FILE (- for stdin) as golden files and
                   lessons write them, and print the transcript
  conform dynamodb answer DynamoDB requests, one JSON line in, one JSON line out
  conform redis    read {\"client\": N, \"argv\": [...]} lines, print one reply per line (JSON)
  conform sql      read JSON lines {\"sql\": \"...\"} and answer each as the SQL engine does
";

    pub fn main() -> i32 {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        let (stdin, stdout) = (std::io::stdin(), std::io::stdout());
        let done = |r: std::io::Result<()>| match r {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("dblab: {e}");
                1
            }
        };
        match words.as_slice() {
            ["shell", rest @ ..] => shell(rest),
            ["replay", rest @ ..] => replay(rest),
            ["conform", "dynamodb"] => done(conform::dynamodb::run(stdin.lock(), stdout.lock())),
            ["conform", "redis"] => done(conform::redis::run(stdin.lock(), stdout.lock(), wall_clock)),
            ["conform", "sql", rest @ ..] => match sql_flavour(rest) {
                Some(flavour) => done(conform::sql::run(flavour, stdin.lock(), stdout.lock())),
                None => usage_error("conform sql takes --flavour mysql or --flavour postgres"),
            },
            ["-h" | "--help" | "help"] => {
                print!("{USAGE}");
                0
            }
            _ => {
                eprint!("{USAGE}");
                2
            }
        }
    }

    fn usage_error(message: &str) -> i32 {
        eprintln!("dblab: {message}\n{USAGE}");
        2
    }

    /// The machine's clock in milliseconds, which `conform redis` gives the engine as a real
    /// server reads its own.
    fn wall_clock() -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
    }

    fn sql_flavour(args: &[&str]) -> Option<Flavour> {
        match args {
            [] => Some(Flavour::MySql),
            ["--flavour" | "--flavor", "mysql"] => Some(Flavour::MySql),
            ["--flavour" | "--flavor", "postgres" | "postgresql"] => Some(Flavour::Postgres),
            _ => None,
        }
    }

    /// The options `shell` and `replay` share, and what is left of the arguments.
    struct LabOptions<'a> {
        seed: u64,
        start: Timestamp,
        host: Option<&'a str>,
        rest: Vec<&'a str>,
    }

    fn lab_options<'a>(args: &[&'a str], allow_host: bool) -> Result<LabOptions<'a>, String> {
        let mut options =
            LabOptions { seed: 1, start: Timestamp::from_civil(2026, 11, 26, 9, 0, 0), host: None, rest: Vec::new() };
        let mut words = args.iter().copied();
        while let Some(word) = words.next() {
            match word {
                "--seed" => {
                    options.seed = words.next().and_then(|v| v.parse().ok()).ok_or("--seed takes a number")?;
                }
                "--start" => {
                    options.start =
                        words.next().and_then(parse_start).ok_or("--start takes a time like 2026-11-26T09:00:00Z")?;
                }
                "--host" if allow_host => options.host = Some(words.next().ok_or("--host takes a host name")?),
                flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
                other => options.rest.push(other),
            }
        }
        Ok(options)
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

    /// `dblab shell`: one terminal on the laptop (or `--host`), lines from stdin.
    fn shell(args: &[&str]) -> i32 {
        let options = match lab_options(args, true) {
            Ok(o) if o.rest.is_empty() => o,
            Ok(o) => return usage_error(&format!("unexpected argument {}", o.rest[0])),
            Err(message) => return usage_error(&message),
        };
        let mut lab = Lab::new(options.seed, options.start);
        let session = match options.host {
            None => lab.session_tab("laptop", 1),
            Some(host) => lab.session_tab(host, 1),
        };
        let session = match session {
            Ok(s) => s,
            Err(message) => {
                eprintln!("dblab: {message}");
                return 2;
            }
        };
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
        let mut python = LazyPython::new();
        show_prompt(&lab, &mut out);
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if python.wants_line(session) {
                python.type_line(&mut lab, session, Some(&line));
            } else {
                let output = lab.exec(session, &line);
                if output.clear && interactive {
                    let _ = write!(out, "\x1b[2J\x1b[H");
                }
                let _ = write!(out, "{}", output.text);
                if output.closed {
                    return 0;
                }
            }
            let _ = write!(out, "{}", python.settle(&mut lab));
            // An editor the line opened (`nano f`, or `python3 a.py && vi f` once Python ended).
            if lab.editing(session).is_some() {
                let _ = write!(out, "{}", edit_natively(&mut lab, session, interactive));
            }
            if lab.python_program(session).is_none() {
                show_prompt(&lab, &mut out);
            }
        }
        if python.wants_line(session) {
            // End of input is Ctrl+D for the program too.
            python.type_line(&mut lab, session, None);
            let _ = write!(out, "{}", python.settle(&mut lab));
        }
        python.stop_all(&mut lab);
        lab.session(session).map_or(0, |s| s.last_status)
    }

    /// `nano FILE` (or `vi`, `edit`) in the native shell: on a terminal, the machine's own
    /// editor (`$VISUAL`, `$EDITOR`, else the one named; a value with arguments such as
    /// `code --wait` is split on spaces) on a copy of the lab's file, saved back when it exits;
    /// from a script, which has no screen to edit on, an error that points to a here-document.
    /// Returns what the rest of the line printed.
    fn edit_natively(lab: &mut Lab, session: dblab::shell::session::SessionId, interactive: bool) -> String {
        let Some(editing) = lab.editing(session).cloned() else { return String::new() };
        let program = &editing.program;
        if !interactive {
            return lab.editor_unavailable(session);
        }
        let text = lab.editor_file(session).unwrap_or_default();
        let name = editing.path.rsplit('/').next().unwrap_or("file");
        // A directory of our own (create_dir fails on anything already there, a symlink
        // included), so the copy's name is the file's and the editor shows it.
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("dblab-edit-{}-{stamp}", std::process::id()));
        let copy = dir.join(name);
        let edited = std::fs::create_dir(&dir)
            .and_then(|()| std::fs::write(&copy, &text))
            .map_err(|e| e.to_string())
            .and_then(|()| {
                let editor = std::env::var("VISUAL")
                    .or_else(|_| std::env::var("EDITOR"))
                    .unwrap_or_else(|_| program.replace("edit", "nano"));
                let mut words = editor.split_whitespace();
                let command = words.next().unwrap_or("nano");
                let status = std::process::Command::new(command)
                    .args(words)
                    .arg(&copy)
                    .status()
                    .map_err(|e| format!("{editor}: {e}"))?;
                if !status.success() {
                    return Err(format!("{editor} exited with {status}"));
                }
                std::fs::read_to_string(&copy).map_err(|e| e.to_string())
            });
        let _ = std::fs::remove_dir_all(&dir);
        let status = match edited.map_err(|e| format!("{program}: {e}")).and_then(|t| lab.editor_save(session, &t)) {
            Ok(()) => 0,
            Err(message) => {
                eprintln!("{message}");
                1
            }
        };
        lab.program_exited(session, status).text
    }

    /// `dblab replay FILE`: the transcript of a script of `host$ command` lines.
    fn replay(args: &[&str]) -> i32 {
        let options = match lab_options(args, false) {
            Ok(o) if o.rest.len() == 1 => o,
            Ok(_) => return usage_error("replay takes one FILE (- for stdin)"),
            Err(message) => return usage_error(&message),
        };
        let script = match options.rest[0] {
            "-" => std::io::read_to_string(std::io::stdin()),
            path => std::fs::read_to_string(path),
        };
        let script = match script {
            Ok(s) => s,
            Err(e) => {
                eprintln!("dblab: {}: {e}", options.rest[0]);
                return 1;
            }
        };
        let mut lab = Lab::new(options.seed, options.start);
        let mut python = LazyPython::new();
        print!("{}", dblab::lessons::script::run_with(&mut lab, &script, Some(&mut python), |_, _| {}));
        0
    }
}
