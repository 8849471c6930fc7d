//! `dblab conform sql`: the relational engine behind a JSON-lines protocol.
//!
//! One session on a fresh server of the chosen flavour; each input line `{"sql": "..."}` gets
//! one output line: `{"columns": [...], "rows": [[...]]}` (values as the client shows them,
//! NULL as null), `{"affected": N}`, or `{"error": "..."}` in the server's own words.

use crate::engines::sql::{display_value, Flavour, Outcome, Server};
use serde_json::{json, Value};
use std::io::{BufRead, Write};

/// Answers every statement line of `input` on `output`. Each statement runs a virtual second
/// after the one before, so timestamps in results move as they would.
pub fn run(flavour: Flavour, input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    let mut server = Server::new(flavour, "", 0);
    let session = server
        .connect(flavour.admin_user(), "", Some(flavour.default_database()))
        .map_err(|_| std::io::Error::other("cannot connect to the fresh server"))?;
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let sql = serde_json::from_str::<Value>(&line).ok().and_then(|v| v.get("sql")?.as_str().map(String::from));
        let reply = match sql {
            None => json!({ "error": format!("line {}: expected {{\"sql\": \"...\"}}", n + 1) }),
            Some(sql) => match server.execute(session, &sql, (n as i64 + 1) * 1_000_000) {
                Ok(outcome) => outcome_json(outcome, flavour),
                Err(e) => json!({ "error": e.render(flavour) }),
            },
        };
        writeln!(output, "{reply}")?;
    }
    Ok(())
}

fn outcome_json(outcome: Outcome, flavour: Flavour) -> Value {
    match outcome {
        Outcome::Rows { columns, rows } => {
            let shown = |v| display_value(v, flavour).map_or(Value::Null, Value::String);
            let rows: Vec<Vec<Value>> = rows.iter().map(|r| r.iter().map(shown).collect()).collect();
            json!({ "columns": columns, "rows": rows })
        }
        Outcome::Affected { count, .. } => json!({ "affected": count }),
        Outcome::Done { .. } => json!({ "affected": 0 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_answer_rows_counts_and_errors_in_each_flavour() {
        let input = "{\"sql\": \"CREATE TABLE t (a INT)\"}\n{\"sql\": \"INSERT INTO t VALUES (1), (NULL)\"}\n\
                     {\"sql\": \"SELECT a FROM t ORDER BY a\"}\n{\"nope\": 1}\n{\"sql\": \"SELECT * FROM missing\"}\n";
        let mut out = Vec::new();
        run(Flavour::MySql, input.as_bytes(), &mut out).unwrap();
        let lines: Vec<Value> =
            String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines[1], json!({"affected": 2}));
        assert_eq!(lines[2], json!({"columns": ["a"], "rows": [[null], ["1"]]}));
        assert_eq!(lines[3], json!({"error": "line 4: expected {\"sql\": \"...\"}"}));
        assert!(lines[4]["error"].as_str().unwrap().starts_with("ERROR 1146 (42S02)"), "{}", lines[4]);
        let mut out = Vec::new();
        run(Flavour::Postgres, "{\"sql\": \"SELECT * FROM missing\"}\n".as_bytes(), &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("relation \\\"missing\\\" does not exist"));
    }
}
