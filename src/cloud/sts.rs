//! STS: `GetCallerIdentity`, the "who am I" of AWS.

use super::api::{ApiResult, Caller};
use super::iam::unknown_operation;
use serde_json::json;

pub fn call(caller: &Caller, operation: &str) -> ApiResult {
    match operation {
        "GetCallerIdentity" => Ok(json!({
            "UserId": caller.user_id,
            "Account": caller.account,
            "Arn": caller.arn,
        })),
        _ => Err(unknown_operation(operation)),
    }
}
