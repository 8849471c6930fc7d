//! The three output formats of the AWS CLI: `json` (the default), `text` and `table`.
//!
//! Each formatter reproduces the real CLI's layout, so that what a learner sees here is what
//! they will see on their own machine.

mod json;
mod table;
mod text;

use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
    Table,
}

pub const CHOICES: &[&str] = &["json", "text", "table"];

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "json" => Some(Format::Json),
            "text" => Some(Format::Text),
            "table" => Some(Format::Table),
            _ => None,
        }
    }
}

/// Formats a response (or the result of `--query`). `title` is the operation's API name,
/// which the table format prints on top.
pub fn render(format: Format, title: &str, value: &Value) -> String {
    match format {
        Format::Json => json::render(value),
        Format::Text => text::render(value),
        Format::Table => table::render(title, value),
    }
}

/// How Python's `str()` shows a scalar, which the text and table formats use.
pub(crate) fn py_str(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

pub(crate) fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}
