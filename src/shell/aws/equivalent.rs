//! From an API request back to the `aws` command that sends it: the console's "CLI equivalent".
//!
//! The inverse of [`super::params`]: `{"DBInstanceIdentifier": "shop-db", "MultiAZ": true}` on
//! `CreateDBInstance` → `aws rds create-db-instance --db-instance-identifier shop-db --multi-az`.
//! Flags come in the order of the operation's parameters in [`super::spec`], so the same request
//! always reads the same. Values are written the way the CLI's own documentation writes them:
//!
//! ```text
//!   a string or a number      --engine mysql, --allocated-storage 20   (quoted when the shell needs it)
//!   a boolean                 --multi-az, --no-publicly-accessible
//!   a list of strings         --subnet-ids subnet-1 subnet-2
//!   a flat structure          --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5
//!   a list of flat ones       --key-schema AttributeName=id,KeyType=HASH AttributeName=ts,KeyType=RANGE
//!   anything deeper           --item '{"id": {"S": "1"}}'                  (JSON, single-quoted)
//! ```
//!
//! A test holds every form of the console to this: the command, parsed by the lab's own CLI,
//! yields the very request the form sent.

use super::services::SERVICES;
use super::spec::{cli_name, Param, Shape};
use serde_json::Value;

/// The `aws` command line that sends `request` to `operation` (an API name such as
/// `CreateDBInstance`) of `service` (the cloud's name for it: `rds`, `dynamodb`), or `None`
/// when the CLI has no such operation.
pub fn command(service: &str, operation: &str, request: &Value) -> Option<String> {
    let service = SERVICES.iter().find(|s| s.api == service)?;
    let op = service.operations.iter().find(|o| o.api == operation)?;
    let mut line = format!("aws {} {}", service.cli, op.cli);
    let members = request.as_object();
    for param in op.params {
        let Some(value) = members.and_then(|m| m.get(param.name)).filter(|v| !v.is_null()) else {
            continue;
        };
        line.push(' ');
        line.push_str(&flag(param, value));
    }
    Some(line)
}

/// One parameter as its flag and value(s).
fn flag(param: &Param, value: &Value) -> String {
    let name = cli_name(param.name);
    match (&param.shape, value) {
        (Shape::Boolean, Value::Bool(true)) => format!("--{name}"),
        (Shape::Boolean, Value::Bool(false)) => format!("--no-{name}"),
        (Shape::List(inner), Value::Array(items)) if !items.is_empty() => {
            let words: Option<Vec<String>> = items.iter().map(|item| word(inner, item)).collect();
            match words {
                Some(words) => format!("--{name} {}", words.join(" ")),
                None => format!("--{name} {}", json_word(value)),
            }
        }
        (shape, value) => match word(shape, value) {
            Some(word) => format!("--{name} {word}"),
            None => format!("--{name} {}", json_word(value)),
        },
    }
}

/// A value as one shell word in the CLI's plain syntax (a scalar, or shorthand for a flat
/// structure), or `None` when only JSON can say it.
fn word(shape: &Shape, value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(shell_quote(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(members) if matches!(shape, Shape::Structure(_)) && !members.is_empty() => {
            let mut pairs = Vec::new();
            for (key, v) in members {
                let text = match v {
                    Value::String(s) if is_plain(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => return None,
                };
                pairs.push(format!("{key}={text}"));
            }
            Some(shell_quote(&pairs.join(",")))
        }
        _ => None,
    }
}

/// A string shorthand can carry without quotes or escapes.
fn is_plain(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:/@*".contains(c))
}

fn json_word(value: &Value) -> String {
    shell_quote(&serde_json::to_string(value).unwrap_or_default())
}

/// `s` as one word to a POSIX shell: unchanged when it holds nothing the shell treats
/// specially, otherwise in single quotes (a `'` inside written `'\''`).
pub fn shell_quote(s: &str) -> String {
    let safe = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::shell::aws::params::build_request;
    use crate::shell::expand::{fields, Environment};
    use serde_json::json;

    struct Vars(Vec<(String, String)>);
    impl Environment for Vars {
        fn var(&self, name: &str) -> Option<String> {
            self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
        }
        fn home(&self) -> String {
            "/home/learner".to_string()
        }
    }

    /// The command's words as a shell reads them, parsed by the CLI back into a request.
    pub(crate) fn parse_back(line: &str) -> Value {
        parse_back_with(line, Vec::new())
    }

    /// [`parse_back`] in a shell where `vars` are set.
    pub(crate) fn parse_back_with(line: &str, vars: Vec<(String, String)>) -> Value {
        let words = fields(line, &Vars(vars)).expect("the shell reads the line");
        assert_eq!(words[0], "aws");
        let service = SERVICES.iter().find(|s| s.cli == words[1]).expect("a service");
        let op = service.operation(&words[2]).expect("an operation");
        build_request(op, &words[3..], &|_| Err("no files".to_string())).expect("the CLI accepts it")
    }

    #[test]
    fn scalars_booleans_and_lists_read_as_the_cli_writes_them() {
        let request = json!({
            "DBInstanceIdentifier": "shop-db", "Engine": "mysql", "DBInstanceClass": "db.t3.micro",
            "AllocatedStorage": 20, "MasterUsername": "admin", "MasterUserPassword": "it's $ecret",
            "MultiAZ": true, "PubliclyAccessible": false, "VpcSecurityGroupIds": ["sg-1", "sg-2"],
        });
        let line = command("rds", "CreateDBInstance", &request).unwrap();
        assert_eq!(
            line,
            "aws rds create-db-instance --db-instance-identifier shop-db --db-instance-class db.t3.micro \
             --engine mysql --allocated-storage 20 --master-username admin \
             --master-user-password 'it'\\''s $ecret' --vpc-security-group-ids sg-1 sg-2 --multi-az \
             --no-publicly-accessible"
        );
        assert_eq!(parse_back(&line), request);
    }

    #[test]
    fn flat_structures_are_shorthand_and_deep_ones_json() {
        let request = json!({
            "TableName": "Music",
            "AttributeDefinitions": [
                {"AttributeName": "Artist", "AttributeType": "S"},
                {"AttributeName": "SongTitle", "AttributeType": "S"}
            ],
            "KeySchema": [
                {"AttributeName": "Artist", "KeyType": "HASH"},
                {"AttributeName": "SongTitle", "KeyType": "RANGE"}
            ],
            "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        });
        let line = command("dynamodb", "CreateTable", &request).unwrap();
        assert!(line.contains("--key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE"));
        assert!(line.contains("--provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5"));
        assert_eq!(parse_back(&line), request);

        let put = json!({"TableName": "Music", "Item": {"Artist": {"S": "No One You Know"}, "Year": {"N": "2020"}}});
        let line = command("dynamodb", "PutItem", &put).unwrap();
        assert!(line.contains(r#"--item '{"Artist":{"S":"No One You Know"},"Year":{"N":"2020"}}'"#), "{line}");
        assert_eq!(parse_back(&line), put);
    }

    #[test]
    fn unknown_operations_have_no_command() {
        assert_eq!(command("rds", "LaunchRocket", &json!({})), None);
        assert_eq!(command("s3", "ListBuckets", &json!({})), None);
    }
}
