//! Replays SQLite's sqllogictest scripts (select1-5 and evidence/) against the SQL engine.
//!
//! A small runner for the format, in the spirit of the `sqllogictest` crate but without its
//! async machinery: `statement ok|error`, `query <types> [nosort|rowsort|valuesort] [label]`
//! with expected values one per line (or `N values hashing to <md5>` above the hash threshold,
//! 8 as SQLite runs them), `skipif`/`onlyif <engine>` (this engine answers to "postgresql", as
//! it runs in its PostgreSQL flavour here), `hash-threshold`, `halt`.
//!
//! Values are printed as SQLite's reference runner prints them: `I` columns as integers, `R`
//! with three decimals, `T` as text with `(empty)` for the empty string, and NULL as `NULL`.
//! The test prints pass rates per file and fails below `tests/conformance/thresholds.json`.

use dblab::engines::sql::{Flavour, Outcome, Server, Value};
use md5::{Digest, Md5};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ENGINE: &str = "postgresql";

#[derive(Default, Debug, Clone, Copy)]
struct Score {
    statements: usize,
    statements_ok: usize,
    queries: usize,
    queries_ok: usize,
    skipped: usize,
}

impl Score {
    fn percent(&self) -> f64 {
        let total = self.statements + self.queries;
        if total == 0 {
            return 100.0;
        }
        100.0 * (self.statements_ok + self.queries_ok) as f64 / total as f64
    }
    fn query_percent(&self) -> f64 {
        if self.queries == 0 {
            return 100.0;
        }
        100.0 * self.queries_ok as f64 / self.queries as f64
    }
}

fn format_value(v: &Value, ty: char) -> String {
    if v.is_null() {
        return "NULL".into();
    }
    match ty {
        'I' => match v {
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => (*b as i64).to_string(),
            Value::Text(s) => s.trim().parse::<i64>().unwrap_or(0).to_string(),
            other => match other.as_f64() {
                Some(f) => (f.trunc() as i64).to_string(),
                None => "0".into(),
            },
        },
        'R' => match v.as_f64() {
            Some(f) => format!("{f:.3}"),
            None => "0.000".into(),
        },
        _ => {
            let s = match v {
                Value::Bool(b) => (if *b { "1" } else { "0" }).to_string(),
                other => dblab::engines::sql::eval::text_of(other, Flavour::Postgres),
            };
            if s.is_empty() {
                "(empty)".into()
            } else {
                s.chars().map(|c| if (' '..='~').contains(&c) { c } else { '@' }).collect()
            }
        }
    }
}

fn md5_hex(text: &str) -> String {
    let digest = Md5::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

struct Failure {
    line: usize,
    sql: String,
    detail: String,
}

fn run_file(path: &Path, failures: &mut Vec<Failure>) -> Score {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    run_script(&text, failures)
}

fn run_script(text: &str, failures: &mut Vec<Failure>) -> Score {
    let mut server = Server::new(Flavour::Postgres, "", 0);
    server.limits.step_budget = 50_000_000;
    let session = server.connect("postgres", "", Some("postgres")).expect("admin connects");
    let mut score = Score::default();
    let mut hash_threshold = 8usize;
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        // One record: condition lines, a header, body lines up to a blank line.
        let start = i;
        let mut skip = false;
        let mut header = "";
        while i < lines.len() {
            let l = lines[i].trim_end();
            i += 1;
            if l.is_empty() || l.starts_with('#') {
                if header.is_empty() {
                    continue;
                }
                break;
            }
            if let Some(engine) = l.strip_prefix("skipif ") {
                if engine.trim() == ENGINE {
                    skip = true;
                }
                continue;
            }
            if let Some(engine) = l.strip_prefix("onlyif ") {
                if engine.trim() != ENGINE {
                    skip = true;
                }
                continue;
            }
            header = l;
            break;
        }
        if header.is_empty() {
            continue;
        }
        let header_line = i;
        let mut body = Vec::new();
        while i < lines.len() && !lines[i].trim().is_empty() {
            body.push(lines[i]);
            i += 1;
        }
        let _ = start;
        let words: Vec<&str> = header.split_whitespace().collect();
        match words.first().copied() {
            Some("hash-threshold") => {
                hash_threshold = words.get(1).and_then(|w| w.parse().ok()).unwrap_or(8);
            }
            Some("halt") if !skip => break,
            Some("statement") => {
                if skip {
                    score.skipped += 1;
                    continue;
                }
                let sql = body.join("\n");
                let expect_ok = words.get(1) == Some(&"ok");
                score.statements += 1;
                let r = server.execute(session, &sql, 0);
                if r.is_ok() == expect_ok {
                    score.statements_ok += 1;
                } else {
                    failures.push(Failure {
                        line: header_line,
                        sql,
                        detail: match r {
                            Ok(_) => "expected an error".into(),
                            Err(e) => e.render(Flavour::Postgres),
                        },
                    });
                }
            }
            Some("query") => {
                if skip {
                    score.skipped += 1;
                    continue;
                }
                let types: Vec<char> = words.get(1).map(|t| t.chars().collect()).unwrap_or_default();
                let sort = words.get(2).copied().unwrap_or("nosort");
                let sep = body.iter().position(|l| l.trim() == "----");
                let (sql_lines, expected) = match sep {
                    Some(p) => (&body[..p], body[p + 1..].to_vec()),
                    None => (&body[..], Vec::new()),
                };
                let sql = sql_lines.join("\n");
                score.queries += 1;
                let got = match server.execute(session, &sql, 0) {
                    Ok(Outcome::Rows { rows, .. }) => {
                        let mut rows: Vec<Vec<String>> = rows
                            .iter()
                            .map(|r| {
                                r.iter()
                                    .enumerate()
                                    .map(|(k, v)| format_value(v, types.get(k).copied().unwrap_or('T')))
                                    .collect()
                            })
                            .collect();
                        let width = rows.first().map(|r| r.len()).unwrap_or(types.len());
                        if width != types.len() {
                            Err(format!("{} columns, expected {}", width, types.len()))
                        } else {
                            let mut values: Vec<String> = match sort {
                                "rowsort" => {
                                    rows.sort();
                                    rows.into_iter().flatten().collect()
                                }
                                "valuesort" => {
                                    let mut v: Vec<String> = rows.into_iter().flatten().collect();
                                    v.sort();
                                    v
                                }
                                _ => rows.into_iter().flatten().collect(),
                            };
                            if values.len() > hash_threshold && hash_threshold > 0 {
                                let mut joined = String::new();
                                for v in &values {
                                    joined.push_str(v);
                                    joined.push('\n');
                                }
                                values = vec![format!("{} values hashing to {}", values.len(), md5_hex(&joined))];
                            }
                            Ok(values)
                        }
                    }
                    Ok(other) => Err(format!("not a result set: {other:?}")),
                    Err(e) => Err(e.render(Flavour::Postgres)),
                };
                let expected: Vec<String> = expected.iter().map(|l| l.trim().to_string()).collect();
                match got {
                    Ok(values) if values == expected => score.queries_ok += 1,
                    Ok(values) => failures.push(Failure {
                        line: header_line,
                        sql,
                        detail: format!(
                            "expected {:?}, got {:?}",
                            expected.iter().take(6).collect::<Vec<_>>(),
                            values.iter().take(6).collect::<Vec<_>>()
                        ),
                    }),
                    Err(e) => failures.push(Failure { line: header_line, sql, detail: e }),
                }
            }
            _ => {}
        }
    }
    score
}

fn corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/sql/sqllogictest");
    assert!(
        dir.join("select1.test").exists(),
        "the sqllogictest corpus is missing at {} (shared/conformance must sit beside the checkout)",
        dir.display()
    );
    dir
}

fn thresholds() -> BTreeMap<String, f64> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/thresholds.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("thresholds.json is JSON");
    json.get("sql")
        .and_then(|s| s.as_object())
        .map(|o| o.iter().filter_map(|(k, v)| Some((k.clone(), v.as_f64()?))).collect())
        .unwrap_or_default()
}

fn files() -> Vec<(String, PathBuf)> {
    let dir = corpus();
    let mut out: Vec<(String, PathBuf)> =
        (1..=5).map(|n| (format!("select{n}"), dir.join(format!("select{n}.test")))).collect();
    let mut evidence: Vec<PathBuf> = std::fs::read_dir(dir.join("evidence"))
        .expect("evidence/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "test"))
        .collect();
    evidence.sort();
    for p in evidence {
        let name = format!("evidence/{}", p.file_stem().and_then(|s| s.to_str()).unwrap_or(""));
        out.push((name, p));
    }
    out
}

#[test]
fn sqllogictest_pass_rates_meet_thresholds() {
    let limits = thresholds();
    let only = std::env::var("SLT_ONLY").ok();
    let verbose = std::env::var("SLT_VERBOSE").is_ok();
    let mut below = Vec::new();
    println!("{:<36} {:>9} {:>9} {:>8} {:>8}", "file", "queries", "stmts", "skipped", "pass%");
    for (name, path) in files() {
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        let mut failures = Vec::new();
        let s = run_file(&path, &mut failures);
        println!(
            "{:<36} {:>4}/{:<4} {:>4}/{:<4} {:>8} {:>7.2}%  (queries {:.2}%)",
            name,
            s.queries_ok,
            s.queries,
            s.statements_ok,
            s.statements,
            s.skipped,
            s.percent(),
            s.query_percent()
        );
        for f in failures.iter().take(if verbose { 40 } else { 3 }) {
            println!("    line {}: {}\n      {}", f.line, f.sql.replace('\n', " "), f.detail);
        }
        if let Some(min) = limits.get(&name) {
            if s.percent() < *min {
                below.push(format!("{name}: {:.2}% < {min}%", s.percent()));
            }
        }
    }
    assert!(below.is_empty(), "below the thresholds: {below:?}");
}

/// The runner itself must be able to fail: a wrong expected value, a wrong hash, a statement
/// that should have failed, and a skipped record are each counted as such.
#[test]
fn the_runner_notices_wrong_results() {
    let script = "statement ok\nCREATE TABLE t(a INTEGER, b TEXT)\n\nstatement ok\nINSERT INTO t VALUES(1,'x'),(2,''),(3,NULL)\n\n\
query IT rowsort\nSELECT a, b FROM t\n----\n1\nx\n2\n(empty)\n3\nNULL\n\n\
query I nosort\nSELECT a FROM t ORDER BY a\n----\n1\n2\n4\n\n\
query I nosort\nSELECT a FROM t ORDER BY a\n----\n3 values hashing to 00000000000000000000000000000000\n\n\
statement error\nSELECT nothing FROM t\n\nstatement error\nSELECT a FROM t\n\n\
skipif postgresql\nquery I nosort\nSELECT 1\n----\n2\n\n\
hash-threshold 2\n\nquery I nosort\nSELECT a FROM t ORDER BY a\n----\n3 values hashing to 6b6e7a1b8a4ab1cd1cb9e6b2c4f2c7e3\n";
    let mut failures = Vec::new();
    let s = run_script(script, &mut failures);
    assert_eq!((s.statements, s.statements_ok), (4, 3), "statements");
    assert_eq!(s.skipped, 1);
    assert_eq!(s.queries, 4);
    assert_eq!(
        s.queries_ok,
        1,
        "only the first query is right: {:?}",
        failures.iter().map(|f| &f.detail).collect::<Vec<_>>()
    );
    // And the real hash of "1\n2\n3\n" is recognised.
    assert_eq!(md5_hex("1\n2\n3\n"), "c0710d6b4f15dfa88f600b0e6b624077");
}
