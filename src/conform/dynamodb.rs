//! `dblab conform dynamodb`: the DynamoDB engine behind a JSON-lines protocol.
//!
//! Each input line is `{"target": "DynamoDB_20120810.PutItem", "request": "<json text>"}` (the
//! request may also be inline JSON); each output line is `{"status": 200, "response": "<json
//! text>"}`. One engine answers every line, with its tables ACTIVE at once, as the reference
//! suite observes them.

use crate::engines::dynamo::{error::DynamoError, Dynamo};
use serde_json::{json, Value};
use std::io::{BufRead, Write};

/// Answers every request line of `input` on `output`, in order, until the input ends.
pub fn run(input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    let mut engine = Dynamo::default();
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let (status, body) = answer(&mut engine, &line);
        writeln!(output, "{}", json!({"status": status, "response": body.to_string()}))?;
    }
    Ok(())
}

/// One request line's HTTP status and body; a line that is not JSON is the service's own
/// SerializationException.
fn answer(engine: &mut Dynamo, line: &str) -> (u16, Value) {
    let Ok(record) = serde_json::from_str::<Value>(line) else {
        return (400, DynamoError::serialization("").body());
    };
    let target = record["target"].as_str().unwrap_or("");
    let operation = target.strip_prefix("DynamoDB_20120810.").unwrap_or("");
    let request = record["request"]
        .as_str()
        .map(|text| serde_json::from_str(text).unwrap_or(Value::Null))
        .unwrap_or_else(|| record["request"].clone());
    match engine.call(0.0, operation, &request) {
        Ok(v) => (200, v),
        Err(e) => (e.status, e.body()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_line_gets_the_engines_answer_and_a_line_that_is_not_json_a_serialization_error() {
        let input = concat!(
            r#"{"target": "DynamoDB_20120810.CreateTable", "request": "{\"TableName\":\"tbl\",\"BillingMode\":\"PAY_PER_REQUEST\",\"AttributeDefinitions\":[{\"AttributeName\":\"k\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"k\",\"KeyType\":\"HASH\"}]}"}"#,
            "\n\n",
            r#"{"target": "DynamoDB_20120810.PutItem", "request": {"TableName": "tbl", "Item": {"k": {"S": "a"}}}}"#,
            "\n",
            "\nnot json\n"
        );
        let mut out = Vec::new();
        super::run(input.as_bytes(), &mut out).unwrap();
        let lines: Vec<serde_json::Value> =
            String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 3, "one answer per non-blank line");
        assert_eq!(lines[0]["status"], 200);
        assert!(lines[0]["response"].as_str().unwrap().contains(r#""TableStatus":"CREATING""#));
        assert_eq!(lines[1]["status"], 400, "the table is not ACTIVE yet");
        assert!(lines[1]["response"].as_str().unwrap().contains("ResourceNotFoundException"));
        assert_eq!(lines[2]["status"], 400);
        assert!(lines[2]["response"].as_str().unwrap().contains("SerializationException"));
    }
}
