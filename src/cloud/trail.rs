//! The account's API activity, like CloudTrail's event history: who called what, from where,
//! and whether it worked. Lesson checks read it ("the laptop called GetCallerIdentity
//! successfully"), and the inspector lists it.

use super::time::Timestamp;
use serde::{Deserialize, Serialize};

/// How many calls are kept; older ones are dropped first.
pub const TRAIL_CAPACITY: usize = 500;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiCall {
    pub at: Timestamp,
    /// The host the request came from (`laptop`, `cloudshell`, an EC2 instance).
    pub source: String,
    pub service: String,
    pub operation: String,
    /// The caller's ARN when the request was authenticated.
    pub caller: Option<String>,
    /// The error code when the call failed.
    pub error: Option<String>,
    /// The request's top-level parameters that were given (`TableName`, `FilterExpression`),
    /// as CloudTrail lists a call's request parameters; their values are not kept.
    pub parameters: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    pub calls: Vec<ApiCall>,
}

impl Trail {
    pub fn record(&mut self, call: ApiCall) {
        if self.calls.len() >= TRAIL_CAPACITY {
            self.calls.remove(0);
        }
        self.calls.push(call);
    }
}
