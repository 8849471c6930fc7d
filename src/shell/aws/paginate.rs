//! Pagination as the CLI does it: a paginated operation (`scan`, `query`, `list-tables`) is
//! called page after page and the pages are merged into one answer, unless `--no-paginate` or
//! the operation's own paging parameters (`--limit`, `--exclusive-start-key`) are given.
//!
//! ```text
//!   aws dynamodb scan --table-name T --max-items 3
//!     Scan → Items [a b] LastEvaluatedKey k1      keep a b
//!     Scan(ExclusiveStartKey k1) → [c d] k2       keep c, stop: 3 items
//!     → {"Items": [a b c], "Count": 4, ..., "NextToken": base64 {"ExclusiveStartKey": k1,
//!                                                                "boto_truncate_amount": 1}}
//! ```
//!
//! `--starting-token` resumes from such a token: the page it names is fetched again and the
//! items already shown are dropped. `--page-size` sets the operation's limit per request.
//! The merged answer sums counts, concatenates lists, keeps the other members of the first
//! page (`ConsumedCapacity`, `null` when absent), as the CLI's own merging does; counts are
//! those of whole pages even where `--max-items` cut a page short.

use crate::engines::dynamo::base64;
use serde_json::{Map, Value};

pub struct Paginator {
    pub service: &'static str,
    /// The operation, by API name.
    pub operation: &'static str,
    pub input_token: &'static str,
    pub output_token: &'static str,
    pub limit_key: &'static str,
    /// The members merged across pages; the first is the list `--max-items` counts.
    pub result_keys: &'static [&'static str],
    /// Members taken from the first page as they are.
    pub non_aggregate: &'static [&'static str],
}

pub static PAGINATORS: &[Paginator] = &[
    Paginator {
        service: "dynamodb",
        operation: "Scan",
        input_token: "ExclusiveStartKey",
        output_token: "LastEvaluatedKey",
        limit_key: "Limit",
        result_keys: &["Items", "Count", "ScannedCount"],
        non_aggregate: &["ConsumedCapacity"],
    },
    Paginator {
        service: "dynamodb",
        operation: "Query",
        input_token: "ExclusiveStartKey",
        output_token: "LastEvaluatedKey",
        limit_key: "Limit",
        result_keys: &["Items", "Count", "ScannedCount"],
        non_aggregate: &["ConsumedCapacity"],
    },
    Paginator {
        service: "dynamodb",
        operation: "ListTables",
        input_token: "ExclusiveStartTableName",
        output_token: "LastEvaluatedTableName",
        limit_key: "Limit",
        result_keys: &["TableNames"],
        non_aggregate: &[],
    },
];

pub fn find(service: &str, operation: &str) -> Option<&'static Paginator> {
    PAGINATORS.iter().find(|p| p.service == service && p.operation == operation)
}

/// The CLI's own paging options, taken out of an operation's arguments.
#[derive(Default, Debug)]
pub struct Options {
    pub max_items: Option<usize>,
    pub starting_token: Option<String>,
    pub page_size: Option<i64>,
}

/// Splits `--max-items`, `--starting-token` and `--page-size` from the other arguments.
pub fn take_options(args: &[String]) -> Result<(Options, Vec<String>), String> {
    let mut options = Options::default();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let name = args[i].as_str();
        if matches!(name, "--max-items" | "--starting-token" | "--page-size") {
            let value = args.get(i + 1).ok_or_else(|| format!("argument {name}: expected one argument"))?;
            let number = || value.parse::<i64>().map_err(|_| format!("argument {name}: invalid int value: '{value}'"));
            match name {
                "--max-items" => options.max_items = Some(number()?.max(0) as usize),
                "--page-size" => options.page_size = Some(number()?),
                _ => options.starting_token = Some(value.clone()),
            }
            i += 2;
        } else {
            rest.push(args[i].clone());
            i += 1;
        }
    }
    Ok((options, rest))
}

/// A resume token: base64 of the JSON of the input token (and how many items of its page were
/// already shown), as the CLI writes it.
pub fn encode_token(p: &Paginator, start: &Value, shown_of_page: Option<usize>) -> String {
    let mut text = format!("{{\"{}\": {}", p.input_token, python_json(start));
    if let Some(n) = shown_of_page {
        text.push_str(&format!(", \"boto_truncate_amount\": {n}"));
    }
    text.push('}');
    base64::encode(text.as_bytes())
}

/// JSON as Python's `json.dumps` writes it: `", "` and `": "` between members.
fn python_json(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> =
                m.iter().map(|(k, x)| format!("{}: {}", Value::String(k.clone()), python_json(x))).collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(python_json).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

/// Reads a `--starting-token`: where to start, and how many items of that page to skip.
pub fn decode_token(p: &Paginator, token: &str) -> Result<(Value, usize), String> {
    let bad = || format!("Bad starting token: {token}");
    let bytes = base64::decode(token).map_err(|_| bad())?;
    let parsed: Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    let start = parsed.get(p.input_token).cloned().ok_or_else(bad)?;
    let skip = parsed.get("boto_truncate_amount").and_then(Value::as_u64).unwrap_or(0) as usize;
    Ok((start, skip))
}

/// Merges pages as they come. `call` makes one request.
pub fn run(
    p: &Paginator,
    mut request: Value,
    options: &Options,
    mut call: impl FnMut(&Value) -> Result<Value, crate::cloud::api::ApiError>,
) -> Result<Value, crate::cloud::api::ApiError> {
    let primary = p.result_keys[0];
    if let Some(size) = options.page_size {
        request[p.limit_key] = Value::from(size);
    }
    // The token that produced the page in hand (`null` for the first page).
    let mut current = Value::Null;
    let mut skip = 0;
    if let Some(token) = &options.starting_token {
        let (start, n) = decode_token(p, token).map_err(|message| crate::cloud::api::ApiError {
            code: "BadStartingToken".into(),
            message,
            status: 400,
        })?;
        if !start.is_null() {
            request[p.input_token] = start.clone();
        }
        current = start;
        skip = n;
    }
    let mut merged = Map::new();
    let mut first_page: Option<Map<String, Value>> = None;
    let mut total = 0usize;
    let mut resume: Option<String> = None;
    let mut pages = 0;
    loop {
        pages += 1;
        let mut page = call(&request)?;
        if pages == 1 && options.starting_token.is_some() {
            // The items of this page shown before are dropped; its counts were shown then too.
            if let Some(Value::Array(items)) = page.get_mut(primary) {
                items.drain(..skip.min(items.len()));
            }
            for key in &p.result_keys[1..] {
                if let Some(v) = page.get_mut(*key) {
                    *v = match v {
                        Value::Number(_) => Value::from(0),
                        Value::Array(_) => Value::Array(Vec::new()),
                        _ => Value::Null,
                    };
                }
            }
        } else if pages > 1 {
            skip = 0;
        }
        if first_page.is_none() {
            first_page = Some(
                p.non_aggregate.iter().map(|k| (k.to_string(), page.get(*k).cloned().unwrap_or(Value::Null))).collect(),
            );
        }
        let in_page = page.get(primary).and_then(Value::as_array).map(Vec::len).unwrap_or(0);
        let over = options.max_items.map(|m| (total + in_page).saturating_sub(m)).unwrap_or(0);
        if over > 0 {
            let keep = in_page - over;
            if let Some(Value::Array(items)) = page.get_mut(primary) {
                items.truncate(keep);
            }
            resume = Some(encode_token(p, &current, Some(keep + skip)));
        }
        for key in p.result_keys {
            let Some(v) = page.get(*key) else { continue };
            match (merged.get_mut(*key), v) {
                (None, _) => {
                    merged.insert(key.to_string(), v.clone());
                }
                (Some(Value::Array(all)), Value::Array(more)) => all.extend(more.iter().cloned()),
                (Some(Value::Number(a)), Value::Number(b)) => {
                    let sum = a.as_i64().unwrap_or(0) + b.as_i64().unwrap_or(0);
                    *a = sum.into();
                }
                _ => {}
            }
        }
        if over > 0 {
            break;
        }
        total += in_page;
        let next = page.get(p.output_token).cloned().unwrap_or(Value::Null);
        if next.is_null() {
            break;
        }
        if options.max_items == Some(total) {
            resume = Some(encode_token(p, &next, None));
            break;
        }
        request[p.input_token] = next.clone();
        current = next;
    }
    for (k, v) in first_page.unwrap_or_default() {
        merged.insert(k, v);
    }
    if let Some(token) = resume {
        merged.insert("NextToken".into(), Value::String(token));
    }
    Ok(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_are_base64_of_the_clis_json() {
        let p = find("dynamodb", "Scan").unwrap();
        let t = encode_token(p, &json!({"k": {"S": "a"}}), Some(2));
        assert_eq!(
            String::from_utf8(base64::decode(&t).unwrap()).unwrap(),
            r#"{"ExclusiveStartKey": {"k": {"S": "a"}}, "boto_truncate_amount": 2}"#
        );
        assert_eq!(decode_token(p, &t).unwrap(), (json!({"k": {"S": "a"}}), 2));
        assert!(decode_token(p, "not a token").is_err());
    }

    /// Pages of two items, five items in all: every cut resumes where it stopped.
    #[test]
    fn max_items_and_starting_token_walk_every_item_once() {
        let p = find("dynamodb", "Scan").unwrap();
        let all: Vec<i64> = (0..5).collect();
        let call = |req: &Value| -> Result<Value, crate::cloud::api::ApiError> {
            let from = req.get("ExclusiveStartKey").and_then(|k| k["n"].as_i64()).map(|n| n + 1).unwrap_or(0);
            let items: Vec<Value> = all.iter().filter(|&&n| n >= from).take(2).map(|n| json!({"n": n})).collect();
            let mut page = json!({"Items": items.clone(), "Count": items.len(), "ScannedCount": items.len()});
            if let Some(last) = items.last().filter(|l| l["n"].as_i64() != Some(4)) {
                page["LastEvaluatedKey"] = last.clone();
            }
            Ok(page)
        };
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..10 {
            let options = Options { max_items: Some(3), starting_token: token.clone(), page_size: None };
            let out = run(p, json!({"TableName": "T"}), &options, call).unwrap();
            seen.extend(out["Items"].as_array().unwrap().iter().map(|i| i["n"].as_i64().unwrap()));
            match out.get("NextToken").and_then(Value::as_str) {
                Some(t) => token = Some(t.to_string()),
                None => break,
            }
        }
        assert_eq!(seen, all);
        let whole = run(p, json!({"TableName": "T"}), &Options::default(), call).unwrap();
        assert_eq!(whole["Count"], json!(5));
        assert_eq!(whole["ConsumedCapacity"], Value::Null);
        assert!(whole.get("NextToken").is_none());
    }
}
