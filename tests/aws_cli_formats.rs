//! The `text` and `table` output formats against the real AWS CLI's formatter.
//!
//! `tests/fixtures/aws_cli_formats.jsonl` holds responses and what the AWS CLI printed for them
//! (`--output table` at 80 columns and `--output text`), recorded from the CLI itself.

use dblab::shell::aws::output::{render, Format};
use serde_json::Value;

#[test]
fn table_and_text_match_the_aws_cli() {
    let fixtures = include_str!("fixtures/aws_cli_formats.jsonl");
    let mut checked = 0;
    for line in fixtures.lines() {
        let case: Value = serde_json::from_str(line).expect("valid fixture");
        let title = case["title"].as_str().expect("title");
        let input = &case["input"];
        assert_eq!(render(Format::Table, title, input), case["table"].as_str().expect("table"), "table for {title}");
        assert_eq!(render(Format::Text, title, input), case["text"].as_str().expect("text"), "text for {title}");
        checked += 1;
    }
    assert_eq!(checked, 10);
}
