//! `--output text`: tab-separated values, one line per object, the way the AWS CLI lays them out.
//!
//! - A dict prints its scalar values on one line, sorted by key, prefixed by the name of the list
//!   or key it sits under, in capitals (`ACCESSKEYMETADATA  AKIA...  2026-...  Active  bob`);
//!   its nested values follow, each under its own key.
//! - A list of dicts prints one line per dict, all with the same columns (every scalar key seen
//!   in any element, sorted).
//! - A list of scalars prints on one tab-separated line (or one line per item under a name).

use super::{is_scalar, py_str};
use serde_json::Value;

pub fn render(value: &Value) -> String {
    let mut out = String::new();
    format_value(value, None, None, &mut out);
    out
}

fn format_value(value: &Value, identifier: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    match value {
        Value::Object(_) => format_dict(value, identifier, scalar_keys, out),
        Value::Array(items) => format_list(items, identifier, out),
        scalar => {
            out.push_str(&py_str(scalar));
            out.push('\n');
        }
    }
}

fn format_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let keys = all_scalar_keys(items);
        for item in items {
            format_value(item, identifier, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, others): (Vec<&Value>, Vec<&Value>) = items.iter().partition(|v| is_scalar(v));
        if !scalars.is_empty() {
            format_scalar_list(&scalars, identifier, out);
        }
        for other in others {
            format_value(other, identifier, None, out);
        }
    } else {
        let all: Vec<&Value> = items.iter().collect();
        format_scalar_list(&all, identifier, out);
    }
}

fn format_scalar_list(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(id) => {
            for item in items {
                out.push_str(&format!("{}\t{}\n", id.to_uppercase(), py_str(item)));
            }
        }
        None => {
            let cells: Vec<String> = items.iter().map(|v| py_str(v)).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
}

fn format_dict(value: &Value, identifier: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    let Value::Object(map) = value else { return };
    let mut scalars: Vec<String> = Vec::new();
    let mut nested: Vec<(&str, &Value)> = Vec::new();
    match scalar_keys {
        None => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                let v = &map[key];
                if is_scalar(v) {
                    scalars.push(py_str(v));
                } else {
                    nested.push((key, v));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                scalars.push(map.get(key).map(py_str).unwrap_or_default());
            }
            let mut rest: Vec<&String> = map.keys().filter(|k| !keys.contains(k)).collect();
            rest.sort();
            for key in rest {
                nested.push((key, &map[key]));
            }
        }
    }
    if !scalars.is_empty() {
        if let Some(id) = identifier {
            scalars.insert(0, id.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, v) in nested {
        format_value(v, Some(key), None, out);
    }
}

fn all_scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|m| m.iter().filter(|(_, v)| is_scalar(v)).map(|(k, _)| k.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::render;
    use serde_json::json;

    #[test]
    fn dicts_and_lists() {
        let who = json!({"UserId": "AIDA1", "Account": "123", "Arn": "arn:x"});
        assert_eq!(render(&who), "123\tarn:x\tAIDA1\n");
        let keys = json!({"AccessKeyMetadata": [
            {"UserName": "bob", "AccessKeyId": "AKIA1", "Status": "Active", "CreateDate": "2026"},
            {"UserName": "bob", "AccessKeyId": "AKIA2", "Status": "Inactive", "CreateDate": "2027"}
        ]});
        assert_eq!(
            render(&keys),
            "ACCESSKEYMETADATA\tAKIA1\t2026\tActive\tbob\nACCESSKEYMETADATA\tAKIA2\t2027\tInactive\tbob\n"
        );
        assert_eq!(render(&json!({"TableNames": ["a", "b"]})), "TABLENAMES\ta\nTABLENAMES\tb\n");
        assert_eq!(render(&json!(["a", "b", 3, true, null])), "a\tb\t3\tTrue\tNone\n");
        assert_eq!(render(&json!([])), "");
    }
}
