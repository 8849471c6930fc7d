//! The shape every simulated AWS API shares: a JSON request in, a JSON response or an error out.
//!
//! The services in this layer speak the real request and response shapes (member names such as
//! `UserName`, errors such as `NoSuchEntity`). The `aws` CLI in the shell layer maps its flags onto
//! these requests; tests and the JavaScript surface send the same JSON directly.

use serde_json::{Map, Value};

/// An error as an AWS service returns it: a code, a message and the HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The error code, e.g. `NoSuchEntity` or `ValidationError`.
    pub code: String,
    pub message: String,
    /// The HTTP status the service answers with (400 for client errors, 404, 409 ...).
    pub status: u16,
}

impl ApiError {
    pub fn new(code: &str, status: u16, message: impl Into<String>) -> ApiError {
        ApiError { code: code.to_string(), message: message.into(), status }
    }

    /// A client error (HTTP 400), the most common kind.
    pub fn client(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(code, 400, message)
    }
}

pub type ApiResult = Result<Value, ApiError>;

/// Who is calling: the identity behind the credentials that signed the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub account: String,
    pub user_name: String,
    pub user_id: String,
    pub arn: String,
}

/// How a request is signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// An access key pair, as the CLI on a host sends it; temporary keys (ASIA...) come with
    /// their session token.
    AccessKey { access_key_id: String, secret_access_key: String, session_token: Option<String> },
    /// The console user's own session (the browser console and CloudShell run as it).
    ConsoleSession,
}

/// Reads request members. Requests come from the CLI (which checked the types) or from tests.
pub struct Request<'a> {
    members: &'a Map<String, Value>,
}

impl<'a> Request<'a> {
    pub fn new(value: &'a Value) -> Result<Request<'a>, ApiError> {
        match value {
            Value::Object(members) => Ok(Request { members }),
            _ => Err(ApiError::client("SerializationException", "Start of structure or map found where not expected.")),
        }
    }

    /// An optional string member.
    pub fn str(&self, name: &str) -> Result<Option<&'a str>, ApiError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(ApiError::client(
                "SerializationException",
                format!("Unexpected value type in payload for member {name}"),
            )),
        }
    }

    /// A member as raw JSON.
    pub fn value(&self, name: &str) -> Option<&'a Value> {
        self.members.get(name).filter(|v| !v.is_null())
    }

    /// An optional list of strings.
    pub fn str_list(&self, name: &str) -> Result<Vec<String>, ApiError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                items.iter().map(|v| v.as_str().map(str::to_string).ok_or_else(|| type_error(name))).collect()
            }
            Some(_) => Err(type_error(name)),
        }
    }

    /// An optional integer member.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| type_error(name)),
        }
    }

    /// An optional boolean member.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(type_error(name)),
        }
    }

    /// A required string member.
    pub fn required_str(&self, name: &str) -> Result<&'a str, ApiError> {
        self.str(name)?.ok_or_else(|| {
            ApiError::client(
                "ValidationError",
                format!(
                    "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
                    lower_first(name)
                ),
            )
        })
    }
}

fn type_error(name: &str) -> ApiError {
    ApiError::client("SerializationException", format!("Unexpected value type in payload for member {name}"))
}

/// `UserName` → `userName`, the way AWS validation messages name members.
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
