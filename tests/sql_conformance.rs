//! Replays SQLite's sqllogictest scripts (select1-5 and evidence/) against the SQL engine,
//! through the `sqllogictest` crate: its parser reads the scripts, its runner runs each record
//! (conditions `skipif`/`onlyif` against the label this engine answers to, sort modes,
//! `hash-threshold`, the md5 of long results) on a [`sqllogictest::DB`] over one engine session.
//!
//! Hooks make the crate compare as SQLite's reference runner does:
//! - values are compared one per line (the scripts' layout), by a custom validator; the crate's
//!   default joins each row's values with spaces;
//! - condition lines lose a trailing `# comment`, which SQLite's runner ignores and the crate's
//!   parser refuses;
//! - a record's conditions are the lines right before it (the crate's parser also hands a
//!   skipped `halt`'s conditions to the next record);
//! - values are printed by the *declared* column type (`I` as an integer, `R` with three
//!   decimals, `T` as text with `(empty)` for the empty string, NULL as `NULL`), so the test
//!   hands each query's declared types to the connection before the runner runs it.
//!
//! The test prints pass rates per file and fails below `tests/conformance/thresholds.json`.

use dblab::engines::sql::{Flavour, Outcome, Server, SessionId, Value};
use sqllogictest::{Condition, DBOutput, DefaultColumnType, QueryExpect, Record, RecordOutput, Runner};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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

struct Failure {
    line: u32,
    sql: String,
    detail: String,
}

/// An engine error, as the runner reports it.
#[derive(Debug)]
struct EngineError(String);

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EngineError {}

/// One session on a PostgreSQL-flavoured server, as the crate's database under test.
struct EngineDb {
    server: Server,
    session: SessionId,
    /// The declared column types of the query about to run (set by the test before each one).
    declared: Arc<Mutex<Vec<char>>>,
}

impl EngineDb {
    fn new(declared: Arc<Mutex<Vec<char>>>) -> EngineDb {
        let mut server = Server::new(Flavour::Postgres, "", 0);
        server.limits.step_budget = 50_000_000;
        let session = server.connect("postgres", "", Some("postgres")).expect("admin connects");
        EngineDb { server, session, declared }
    }
}

impl sqllogictest::DB for EngineDb {
    type Error = EngineError;
    type ColumnType = DefaultColumnType;

    fn run(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, EngineError> {
        match self.server.execute(self.session, sql, 0) {
            Ok(Outcome::Rows { rows, columns }) => {
                let declared = self.declared.lock().map(|d| d.clone()).unwrap_or_default();
                let width = rows.first().map(|r| r.len()).unwrap_or(columns.len());
                let types: Vec<char> = (0..width).map(|k| declared.get(k).copied().unwrap_or('T')).collect();
                let rows =
                    rows.iter().map(|r| r.iter().zip(&types).map(|(v, t)| format_value(v, *t)).collect()).collect();
                let types = types
                    .iter()
                    .filter_map(|c| <DefaultColumnType as sqllogictest::ColumnType>::from_char(*c))
                    .collect();
                Ok(DBOutput::Rows { types, rows })
            }
            Ok(Outcome::Affected { count, .. }) => Ok(DBOutput::StatementComplete(count)),
            Ok(Outcome::Done { .. }) => Ok(DBOutput::StatementComplete(0)),
            Err(e) => Err(EngineError(e.render(Flavour::Postgres))),
        }
    }

    fn engine_name(&self) -> &str {
        ENGINE
    }
}

/// Compares values one per line, as the scripts list them (hashed results are one line too).
fn values_one_per_line(_: sqllogictest::Normalizer, actual: &[Vec<String>], expected: &[String]) -> bool {
    let actual = actual.iter().flatten().map(|v| v.trim());
    let expected = expected.iter().map(|v| v.trim());
    actual.eq(expected)
}

/// The column count must match the declared one (the types themselves are the declared ones).
#[allow(clippy::ptr_arg)] // the crate's hook takes `&Vec`
fn same_width(actual: &Vec<DefaultColumnType>, expected: &Vec<DefaultColumnType>) -> bool {
    actual.len() == expected.len()
}

/// SQLite's scripts sometimes end a condition line with a comment (`onlyif sqlite # empty RHS`),
/// which SQLite's runner ignores and the crate's parser refuses: the comment is dropped.
fn strip_condition_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let condition = line.starts_with("skipif ") || line.starts_with("onlyif ");
        match line.find(" #") {
            Some(at) if condition => out.push_str(line[..at].trim_end()),
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn run_file(path: &Path, failures: &mut Vec<Failure>) -> Score {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    run_script(&text, failures)
}

fn run_script(text: &str, failures: &mut Vec<Failure>) -> Score {
    let text = strip_condition_comments(text);
    let records = sqllogictest::parse::<DefaultColumnType>(&text).unwrap_or_else(|e| panic!("unparsable script: {e}"));
    let declared = Arc::new(Mutex::new(Vec::new()));
    let shared = declared.clone();
    let mut runner = Runner::new(move || {
        let d = shared.clone();
        async move { Ok::<_, EngineError>(EngineDb::new(d)) }
    });
    runner.add_label(ENGINE);
    runner.with_hash_threshold(8);
    runner.with_validator(values_one_per_line);
    runner.with_column_validator(same_width);
    let mut score = Score::default();
    // The conditions just read: a `halt` under `onlyif mssql` does not apply to this engine.
    let mut pending: Vec<Condition> = Vec::new();
    for mut record in records {
        if let Record::Condition(c) = &record {
            pending.push(c.clone());
            continue;
        }
        let conditions = std::mem::take(&mut pending);
        // A record's conditions are the lines just before it; the crate's parser also carries
        // those of a preceding `halt` over to the next record, which SQLite's runner does not.
        if let Record::Statement { conditions: c, .. } | Record::Query { conditions: c, .. } = &mut record {
            *c = conditions.clone();
        }
        let (is_query, line, sql) = match &record {
            Record::Halt { .. } => {
                let applies = conditions.iter().all(|c| match c {
                    Condition::OnlyIf { label } => label == ENGINE,
                    Condition::SkipIf { label } => label != ENGINE,
                });
                if applies {
                    break;
                }
                continue;
            }
            Record::Statement { loc, sql, .. } => (false, loc.line(), sql.clone()),
            Record::Query { loc, sql, expected, .. } => {
                let types = match expected {
                    QueryExpect::Results { types, .. } => types.iter().map(sqllogictest::ColumnType::to_char).collect(),
                    QueryExpect::Error(_) => Vec::new(),
                };
                if let Ok(mut d) = declared.lock() {
                    *d = types;
                }
                (true, loc.line(), sql.clone())
            }
            _ => {
                let _ = runner.run(record);
                continue;
            }
        };
        match runner.run(record) {
            Ok(RecordOutput::Nothing) => score.skipped += 1,
            Ok(_) => {
                if is_query {
                    score.queries += 1;
                    score.queries_ok += 1;
                } else {
                    score.statements += 1;
                    score.statements_ok += 1;
                }
            }
            Err(e) => {
                if is_query {
                    score.queries += 1;
                } else {
                    score.statements += 1;
                }
                let detail = e.to_string().lines().take(12).collect::<Vec<_>>().join("\n      ");
                failures.push(Failure { line, sql, detail });
            }
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
/// that should have failed, and a skipped record are each counted as such; a right hash passes.
#[test]
fn the_runner_notices_wrong_results() {
    let script = "statement ok\nCREATE TABLE t(a INTEGER, b TEXT)\n\nstatement ok\nINSERT INTO t VALUES(1,'x'),(2,''),(3,NULL)\n\n\
query IT rowsort\nSELECT a, b FROM t\n----\n1\nx\n2\n(empty)\n3\nNULL\n\n\
query I nosort\nSELECT a FROM t ORDER BY a\n----\n1\n2\n4\n\n\
query I nosort\nSELECT a FROM t ORDER BY a\n----\n3 values hashing to 00000000000000000000000000000000\n\n\
statement error\nSELECT nothing FROM t\n\nstatement error\nSELECT a FROM t\n\n\
skipif postgresql\nquery I nosort\nSELECT 1\n----\n2\n\n\
hash-threshold 2\n\nquery I nosort\nSELECT a FROM t ORDER BY a\n----\n3 values hashing to c0710d6b4f15dfa88f600b0e6b624077\n";
    let mut failures = Vec::new();
    let s = run_script(script, &mut failures);
    assert_eq!((s.statements, s.statements_ok), (4, 3), "statements");
    assert_eq!(s.skipped, 1);
    assert_eq!(s.queries, 4);
    assert_eq!(
        s.queries_ok,
        2,
        "the first and the last query are right: {:?}",
        failures.iter().map(|f| &f.detail).collect::<Vec<_>>()
    );
}
