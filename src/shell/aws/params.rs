//! From CLI flags to an API request: `--user-name bob` → `{"UserName": "bob"}`.
//!
//! Each flag is matched to a parameter of the operation; its value is read as JSON (when it
//! starts with `{` or `[`), as shorthand (`Key=Value,...`), or as a scalar, after `file://`
//! arguments are replaced by the file's text. The request is then checked against the shapes
//! the way botocore checks it, so mistakes get botocore's "Parameter validation failed" texts.

use super::shorthand::{self, Short};
use super::spec::{cli_name, Operation, Param, Shape};
use serde_json::{Map, Number, Value};

/// Why the flags could not become a request.
#[derive(Debug, PartialEq)]
pub enum ParamError {
    /// An argparse-level error, printed after the usage text as `aws: error: ...`.
    Usage(String),
    /// A value that could not be read, printed as is.
    Value(String),
}

/// Reads `file://` paths for the caller (the host's file system).
pub type FileReader<'a> = &'a dyn Fn(&str) -> Result<String, String>;

pub fn build_request(op: &Operation, args: &[String], read_file: FileReader) -> Result<Value, ParamError> {
    let mut request = Map::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let Some(flag) = arg.strip_prefix("--") else {
            unknown.push(arg.clone());
            i += 1;
            continue;
        };
        if let Some(param) = op.params.iter().find(|p| cli_name(p.name) == flag) {
            if let Shape::Boolean = param.shape {
                request.insert(param.name.to_string(), Value::Bool(true));
                i += 1;
                continue;
            }
            let values: Vec<&String> = if let Shape::List(_) = param.shape {
                args[i + 1..].iter().take_while(|a| !a.starts_with("--")).collect()
            } else {
                args.get(i + 1).filter(|a| !a.starts_with("--")).into_iter().collect()
            };
            if values.is_empty() {
                let expected = if let Shape::List(_) = param.shape {
                    "expected at least one argument"
                } else {
                    "expected one argument"
                };
                return Err(ParamError::Usage(format!("argument --{flag}: {expected}")));
            }
            i += 1 + values.len();
            let mut texts = Vec::new();
            for v in values {
                texts.push(load(flag, v, read_file)?);
            }
            let value = convert_cli(flag, &param.shape, &texts)?;
            request.insert(param.name.to_string(), value);
            continue;
        }
        if let Some(negated) = flag.strip_prefix("no-") {
            if let Some(param) =
                op.params.iter().find(|p| cli_name(p.name) == negated && matches!(p.shape, Shape::Boolean))
            {
                request.insert(param.name.to_string(), Value::Bool(false));
                i += 1;
                continue;
            }
        }
        unknown.push(arg.clone());
        i += 1;
    }
    if !unknown.is_empty() {
        return Err(ParamError::Usage(format!("Unknown options: {}", unknown.join(", "))));
    }
    let missing: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required && !request.contains_key(p.name))
        .map(|p| format!("--{}", cli_name(p.name)))
        .collect();
    if !missing.is_empty() {
        return Err(ParamError::Usage(format!("the following arguments are required: {}", missing.join(", "))));
    }
    let request = Value::Object(request);
    let mut problems = Vec::new();
    validate_members(&request, op.params, "", &mut problems);
    if !problems.is_empty() {
        return Err(ParamError::Value(format!("Parameter validation failed:\n{}", problems.join("\n"))));
    }
    Ok(request)
}

/// Replaces a `file://` or `fileb://` argument by the file's contents.
fn load(flag: &str, value: &str, read_file: FileReader) -> Result<String, ParamError> {
    let path = value.strip_prefix("file://").or_else(|| value.strip_prefix("fileb://"));
    match path {
        None => Ok(value.to_string()),
        Some(path) => read_file(path).map_err(|reason| {
            ParamError::Value(format!("Error parsing parameter '--{flag}': Unable to load paramfile {value}: {reason}"))
        }),
    }
}

fn looks_like_json(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

fn parse_json(flag: &str, text: &str) -> Result<Value, ParamError> {
    serde_json::from_str(text).map_err(|e| {
        ParamError::Value(format!("Error parsing parameter '--{flag}': Invalid JSON: {e}\nJSON received: {text}"))
    })
}

/// Converts the text(s) given to one flag into a value of the parameter's shape.
fn convert_cli(flag: &str, shape: &Shape, texts: &[String]) -> Result<Value, ParamError> {
    match shape {
        Shape::List(inner) => {
            if texts.len() == 1 && texts[0].trim_start().starts_with('[') {
                return parse_json(flag, &texts[0]);
            }
            let mut items = Vec::new();
            for text in texts {
                if is_scalar(inner) {
                    // A list of scalars may also be given as one comma-separated value.
                    for part in split_commas(text) {
                        items.push(convert_scalar(flag, inner, &part)?);
                    }
                } else {
                    items.push(convert_cli(flag, inner, std::slice::from_ref(text))?);
                }
            }
            Ok(Value::Array(items))
        }
        Shape::Structure(_) | Shape::Map(_) => {
            let text = &texts[0];
            if looks_like_json(text) {
                return parse_json(flag, text);
            }
            let pairs = shorthand::parse(text)
                .map_err(|e| ParamError::Value(format!("Error parsing parameter '--{flag}': {e}")))?;
            short_to_json(flag, shape, &Short::Map(pairs))
        }
        _ => convert_scalar(flag, shape, &texts[0]),
    }
}

fn is_scalar(shape: &Shape) -> bool {
    !matches!(shape, Shape::List(_) | Shape::Map(_) | Shape::Structure(_))
}

fn split_commas(text: &str) -> Vec<String> {
    text.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn convert_scalar(flag: &str, shape: &Shape, text: &str) -> Result<Value, ParamError> {
    match shape {
        Shape::Integer | Shape::Long => text.trim().parse::<i64>().map(Value::from).map_err(|_| {
            ParamError::Value(format!(
                "Error parsing parameter '--{flag}': invalid literal for int() with base 10: '{text}'"
            ))
        }),
        Shape::Double => {
            text.trim().parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number).ok_or_else(|| {
                ParamError::Value(format!(
                    "Error parsing parameter '--{flag}': could not convert string to float: '{text}'"
                ))
            })
        }
        Shape::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(ParamError::Value(format!(
                "Error parsing parameter '--{flag}': Invalid value for boolean: '{text}'"
            ))),
        },
        Shape::List(_) | Shape::Map(_) | Shape::Structure(_) => convert_cli(flag, shape, &[text.to_string()]),
        _ => Ok(Value::String(text.to_string())),
    }
}

/// Shorthand values are strings, lists and maps; the shape says what they really are.
fn short_to_json(flag: &str, shape: &Shape, value: &Short) -> Result<Value, ParamError> {
    match (shape, value) {
        (Shape::Structure(members), Short::Map(pairs)) => {
            let mut out = Map::new();
            for (key, v) in pairs {
                let value = match members.iter().find(|m| m.name == key) {
                    Some(member) => short_to_json(flag, &member.shape, v)?,
                    // Unknown members are reported by validation, with botocore's words.
                    None => short_to_json(flag, &Shape::String, v)?,
                };
                out.insert(key.clone(), value);
            }
            Ok(Value::Object(out))
        }
        (Shape::Map(inner), Short::Map(pairs)) => {
            let mut out = Map::new();
            for (key, v) in pairs {
                out.insert(key.clone(), short_to_json(flag, inner, v)?);
            }
            Ok(Value::Object(out))
        }
        (Shape::List(inner), Short::List(items)) => {
            Ok(Value::Array(items.iter().map(|i| short_to_json(flag, inner, i)).collect::<Result<_, _>>()?))
        }
        (Shape::List(inner), single) => Ok(Value::Array(vec![short_to_json(flag, inner, single)?])),
        (_, Short::Str(text)) => convert_scalar(flag, shape, text),
        (_, Short::List(items)) => {
            Ok(Value::Array(items.iter().map(|i| short_to_json(flag, &Shape::String, i)).collect::<Result<_, _>>()?))
        }
        (_, Short::Map(pairs)) => {
            let mut out = Map::new();
            for (key, v) in pairs {
                out.insert(key.clone(), short_to_json(flag, &Shape::String, v)?);
            }
            Ok(Value::Object(out))
        }
    }
}

/// Checks a structure's members the way botocore's parameter validation does.
fn validate_members(value: &Value, members: &[Param], path: &str, problems: &mut Vec<String>) {
    let Value::Object(map) = value else { return };
    for member in members {
        if member.required && !map.contains_key(member.name) {
            let at = if path.is_empty() { "input".to_string() } else { path.to_string() };
            problems.push(format!("Missing required parameter in {at}: \"{}\"", member.name));
        }
    }
    for (key, v) in map {
        match members.iter().find(|m| m.name == key) {
            Some(member) => validate(v, &member.shape, &join(path, key), problems),
            None => {
                let at = if path.is_empty() { "input".to_string() } else { path.to_string() };
                let names: Vec<&str> = members.iter().map(|m| m.name).collect();
                problems.push(format!("Unknown parameter in {at}: \"{key}\", must be one of: {}", names.join(", ")));
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn validate(value: &Value, shape: &Shape, path: &str, problems: &mut Vec<String>) {
    let type_error = |valid: &str| {
        format!(
            "Invalid type for parameter {path}, value: {}, type: {}, valid types: {valid}",
            py_repr(value),
            py_type(value)
        )
    };
    match shape {
        Shape::String | Shape::Timestamp | Shape::Blob => {
            if !value.is_string() {
                problems.push(type_error("<class 'str'>"));
            }
        }
        Shape::Integer | Shape::Long => {
            if !(value.is_i64() || value.is_u64()) {
                problems.push(type_error("<class 'int'>"));
            }
        }
        Shape::Double => {
            if !value.is_number() {
                problems.push(type_error("<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>"));
            }
        }
        Shape::Boolean => {
            if !value.is_boolean() {
                problems.push(type_error("<class 'bool'>"));
            }
        }
        Shape::List(inner) => match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    validate(item, inner, &format!("{path}[{i}]"), problems);
                }
            }
            _ => problems.push(type_error("<class 'list'>, <class 'tuple'>")),
        },
        Shape::Map(inner) => match value {
            Value::Object(map) => {
                for (k, v) in map {
                    validate(v, inner, &format!("{path}.{k}"), problems);
                }
            }
            _ => problems.push(type_error("<class 'dict'>")),
        },
        Shape::Structure(members) => match value {
            Value::Object(_) => validate_members(value, members, path, problems),
            _ => problems.push(type_error("<class 'dict'>")),
        },
    }
}

/// How Python would print a JSON value (botocore's messages quote values this way).
fn py_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn py_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::aws::spec::{opt, req};
    use serde_json::json;

    static KEY: Shape = Shape::Structure(&[req("AttributeName", Shape::String), req("KeyType", Shape::String)]);
    static OP: Operation = Operation {
        cli: "demo",
        api: "Demo",
        summary: "",
        params: &[
            req("TableName", Shape::String),
            opt("KeySchema", Shape::List(&KEY)),
            opt("Limit", Shape::Integer),
            opt("ConsistentRead", Shape::Boolean),
            opt("AttributesToGet", Shape::List(&Shape::String)),
            opt("Tags", Shape::Map(&Shape::String)),
        ],
    };

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(String::from).collect()
    }

    fn no_files(path: &str) -> Result<String, String> {
        Err(format!("[Errno 2] No such file or directory: '{path}'"))
    }

    #[test]
    fn flags_become_a_typed_request() {
        let r = build_request(
            &OP,
            &args("--table-name t --key-schema AttributeName=id,KeyType=HASH AttributeName=ts,KeyType=RANGE --limit 5 --no-consistent-read --attributes-to-get a,b c --tags k=v"),
            &no_files,
        )
        .unwrap();
        assert_eq!(
            r,
            json!({"TableName": "t", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "ts", "KeyType": "RANGE"}],
                   "Limit": 5, "ConsistentRead": false, "AttributesToGet": ["a", "b", "c"], "Tags": {"k": "v"}})
        );
    }

    #[test]
    fn json_and_files() {
        let reader = |p: &str| {
            if p == "k.json" {
                Ok("[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]".to_string())
            } else {
                no_files(p)
            }
        };
        let r = build_request(&OP, &args("--table-name t --key-schema file://k.json"), &reader).unwrap();
        assert_eq!(r["KeySchema"][0]["KeyType"], "HASH");
        let e = build_request(&OP, &args("--table-name t --key-schema file://nope.json"), &reader).unwrap_err();
        assert_eq!(e, ParamError::Value("Error parsing parameter '--key-schema': Unable to load paramfile file://nope.json: [Errno 2] No such file or directory: 'nope.json'".into()));
    }

    #[test]
    fn errors_read_like_the_cli() {
        assert_eq!(
            build_request(&OP, &[], &no_files).unwrap_err(),
            ParamError::Usage("the following arguments are required: --table-name".into())
        );
        assert_eq!(
            build_request(&OP, &args("--table-name t --bogus 1"), &no_files).unwrap_err(),
            ParamError::Usage("Unknown options: --bogus, 1".into())
        );
        assert_eq!(
            build_request(&OP, &args("--table-name"), &no_files).unwrap_err(),
            ParamError::Usage("argument --table-name: expected one argument".into())
        );
        assert!(
            matches!(build_request(&OP, &args("--table-name t --limit x"), &no_files), Err(ParamError::Value(m)) if m.contains("invalid literal for int()"))
        );
        let e = build_request(&OP, &args("--table-name t --key-schema AttributeName=id"), &no_files).unwrap_err();
        assert_eq!(
            e,
            ParamError::Value(
                "Parameter validation failed:\nMissing required parameter in KeySchema[0]: \"KeyType\"".into()
            )
        );
        let e = build_request(
            &OP,
            &[
                "--table-name".into(),
                "t".into(),
                "--key-schema".into(),
                "[{\"AttributeName\": 1, \"KeyType\": \"HASH\", \"X\": 2}]".into(),
            ],
            &no_files,
        )
        .unwrap_err();
        let ParamError::Value(m) = e else { panic!() };
        assert!(m.contains("Invalid type for parameter KeySchema[0].AttributeName, value: 1, type: <class 'int'>, valid types: <class 'str'>"), "{m}");
        assert!(m.contains("Unknown parameter in KeySchema[0]: \"X\", must be one of: AttributeName, KeyType"), "{m}");
    }
}
