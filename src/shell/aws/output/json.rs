//! `--output json`: four-space indentation, non-ASCII kept as is, a final newline.

use serde::Serialize;
use serde_json::ser::{PrettyFormatter, Serializer};
use serde_json::Value;

pub fn render(value: &Value) -> String {
    let mut buf = Vec::new();
    let mut ser = Serializer::with_formatter(&mut buf, PrettyFormatter::with_indent(b"    "));
    if value.serialize(&mut ser).is_err() {
        return "null\n".to_string();
    }
    let mut out = String::from_utf8(buf).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn indents_like_the_cli() {
        let v = json!({"User": {"UserName": "bob", "Tags": [], "N": 1}});
        assert_eq!(
            super::render(&v),
            "{\n    \"User\": {\n        \"UserName\": \"bob\",\n        \"Tags\": [],\n        \"N\": 1\n    }\n}\n"
        );
    }
}
