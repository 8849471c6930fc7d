//! Golden scripts: one behaviour per file under `tests/sql_golden/`, run on both flavours.
//!
//! A script's lines starting with `> ` are statements; everything else is what the two servers
//! answered, written by this test. Each statement runs on a MySQL and a PostgreSQL server (one
//! session each, in order), and the answers follow it, marked `mysql:` and `postgres:` (one
//! `both:` when they agree). Rows print as `a | b`, NULL as `NULL`.
//!
//! Each file is its own test, named after it in `golden_scripts!`, so that a failure names
//! its file; a file in the folder that the list forgets fails `every_script_in_the_folder_is_listed`.
//!
//! `UPDATE_GOLDENFILES=1 cargo test --test sql_golden` re-records the files; review the diff.

use dblab::engines::sql::{display_value, Flavour, Outcome, Server};
use std::path::Path;

fn answer(server: &mut Server, session: u32, sql: &str) -> Vec<String> {
    let f = server.flavour;
    match server.execute(session, sql, 0) {
        Ok(Outcome::Rows { columns, rows }) => {
            let mut out = vec![columns.join(" | ")];
            for r in rows {
                out.push(
                    r.iter()
                        .map(|v| display_value(v, f).unwrap_or_else(|| "NULL".into()))
                        .collect::<Vec<_>>()
                        .join(" | "),
                );
            }
            out
        }
        Ok(Outcome::Affected { tag, count }) => vec![format!("{tag} {count}")],
        Ok(Outcome::Done { tag, warning }) => warning.into_iter().chain(std::iter::once(tag)).collect(),
        Err(e) => e.render(f).lines().map(String::from).collect(),
    }
}

fn run_script(text: &str) -> String {
    let mut servers: Vec<(Server, u32)> = [Flavour::MySql, Flavour::Postgres]
        .into_iter()
        .map(|f| {
            let mut s = Server::new(f, "", 0);
            let id = s.connect(f.admin_user(), "", Some(f.default_database())).expect("admin connects");
            (s, id)
        })
        .collect();
    let mut out = String::new();
    for line in text.lines() {
        let Some(sql) = line.strip_prefix("> ") else {
            if line.starts_with('#') || (line.is_empty() && !out.ends_with("\n\n") && !out.is_empty()) {
                out.push_str(line);
                out.push('\n');
            }
            continue;
        };
        out.push_str(line);
        out.push('\n');
        let answers: Vec<Vec<String>> = servers.iter_mut().map(|(s, id)| answer(s, *id, sql)).collect();
        if answers[0] == answers[1] {
            for l in &answers[0] {
                out.push_str(&format!("both: {l}\n"));
            }
        } else {
            for (name, a) in ["mysql", "postgres"].iter().zip(&answers) {
                for l in a {
                    out.push_str(&format!("{name}: {l}\n"));
                }
            }
        }
    }
    out
}

/// Replays one script and compares (or, with `UPDATE_GOLDENFILES`, re-records) it.
fn check(name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql_golden").join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let got = run_script(&text);
    if got != text && std::env::var("UPDATE_GOLDENFILES").is_ok() {
        std::fs::write(&path, &got).expect("writable");
        return;
    }
    assert!(got == text, "{} differs (UPDATE_GOLDENFILES=1 to re-record):\n{got}", path.display());
}

/// One test per script, named after its file, so that a failure names the file.
macro_rules! golden_scripts {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*
        const LISTED: &[&str] = &[$(stringify!($name)),*];
    };
}

golden_scripts!(
    constraints,
    error_wording,
    errors,
    explain,
    flavour_differences,
    joins_and_ordering,
    operators,
    queries,
    schema,
    subqueries_ctes_windows,
    transactions,
    upserts,
);

#[test]
fn every_script_in_the_folder_is_listed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql_golden");
    let files: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/sql_golden exists")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert!(!files.is_empty(), "no golden scripts in {}", dir.display());
    let unlisted: Vec<&String> =
        files.iter().filter(|n| !n.strip_suffix(".txt").is_some_and(|stem| LISTED.contains(&stem))).collect();
    assert!(unlisted.is_empty(), "add these to golden_scripts! in tests/sql_golden.rs: {unlisted:?}");
}
