//! The one error type of the engine: what DynamoDB answers when a request fails.
//!
//! DynamoDB names its errors by a qualified `__type`: `com.amazon.coral.service#...` for
//! protocol-level errors (a field of the wrong JSON type is a `SerializationException`),
//! `com.amazon.coral.validate#ValidationException` for invalid input, and
//! `com.amazonaws.dynamodb.v20120810#...` for what the service itself refuses (no such table, a
//! failed condition). The body spells the message `Message` for coral-service errors and
//! `message` for the rest, as the real service does.

use serde_json::{json, Value};

const CORAL: &str = "com.amazon.coral.service#";
const VALIDATE: &str = "com.amazon.coral.validate#";
const DYNAMODB: &str = "com.amazonaws.dynamodb.v20120810#";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DynamoError {
    /// The fully qualified type, e.g. `com.amazon.coral.validate#ValidationException`.
    pub type_name: String,
    pub message: String,
    /// The HTTP status (400 for every error the suite exercises).
    pub status: u16,
    /// Extra members of the body (e.g. `CancellationReasons` of a cancelled transaction).
    pub extra: Option<Box<Value>>,
}

pub type Result<T> = std::result::Result<T, DynamoError>;

impl DynamoError {
    fn new(prefix: &str, name: &str, message: impl Into<String>) -> DynamoError {
        DynamoError { type_name: format!("{prefix}{name}"), message: message.into(), status: 400, extra: None }
    }

    /// A field of the wrong JSON type.
    pub fn serialization(message: impl Into<String>) -> DynamoError {
        DynamoError::new(CORAL, "SerializationException", message)
    }

    /// Invalid input, in DynamoDB's words.
    pub fn validation(message: impl Into<String>) -> DynamoError {
        DynamoError::new(VALIDATE, "ValidationException", message)
    }

    /// An error the DynamoDB service itself raises (`ResourceNotFoundException`, ...).
    pub fn service(name: &str, message: impl Into<String>) -> DynamoError {
        DynamoError::new(DYNAMODB, name, message)
    }

    pub fn unknown_operation() -> DynamoError {
        DynamoError::new(CORAL, "UnknownOperationException", "")
    }

    pub fn not_found() -> DynamoError {
        DynamoError::service("ResourceNotFoundException", "Requested resource not found")
    }

    pub fn table_not_found(name: &str) -> DynamoError {
        DynamoError::service(
            "ResourceNotFoundException",
            format!("Requested resource not found: Table: {name} not found"),
        )
    }

    pub fn conditional_check_failed() -> DynamoError {
        DynamoError::service("ConditionalCheckFailedException", "The conditional request failed")
    }

    /// The short name (`ValidationException`), as SDKs and the CLI show it.
    pub fn code(&self) -> &str {
        self.type_name.rsplit('#').next().unwrap_or(&self.type_name)
    }

    /// The response body, as the service sends it.
    pub fn body(&self) -> Value {
        let mut body = if self.type_name.starts_with(CORAL) {
            if self.message.is_empty() {
                json!({"__type": self.type_name})
            } else {
                json!({"__type": self.type_name, "Message": self.message})
            }
        } else {
            json!({"__type": self.type_name, "message": self.message})
        };
        if let (Some(Value::Object(extra)), Value::Object(map)) = (self.extra.as_deref(), &mut body) {
            for (k, v) in extra {
                map.insert(k.clone(), v.clone());
            }
        }
        body
    }
}

impl std::fmt::Display for DynamoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code(), self.message)
    }
}
