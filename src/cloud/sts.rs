//! STS: `GetCallerIdentity`, the "who am I" of AWS.

use super::api::{ApiResult, Caller};
use super::operation::{op_table, Table, Unknown, READ};
use serde_json::json;

/// STS operations answer from the caller alone.
pub type Handler = fn(&Caller) -> ApiResult;

/// Every STS operation.
pub static OPERATIONS: Table<Handler> = Table {
    unknown: Unknown::CouldNotFind,
    operations: op_table! {
        "GetCallerIdentity", READ, "CallerIdentity", get_caller_identity;
    },
};

pub fn call(caller: &Caller, operation: &str) -> ApiResult {
    (OPERATIONS.find(operation)?.handler)(caller)
}

/// `GetCallerIdentity`: the account, user id and ARN behind the credentials.
fn get_caller_identity(caller: &Caller) -> ApiResult {
    Ok(json!({
        "UserId": caller.user_id,
        "Account": caller.account,
        "Arn": caller.arn,
    }))
}
