//! The account's API activity, like CloudTrail's event history: who called what, from where,
//! and whether it worked. Lesson checks read it ("the laptop called GetCallerIdentity
//! successfully"), and the inspector lists it.

use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How many calls are kept; older ones are dropped first. (Enough for a benchmark's or a load
/// test's thousands to be looked through in the console's Event history, page by page.)
pub const TRAIL_CAPACITY: usize = 2_000;

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
    /// Oldest first. (A save holds them as a list; a queue drops the oldest in constant time.)
    pub calls: VecDeque<ApiCall>,
}

impl Trail {
    pub fn record(&mut self, call: ApiCall) {
        if self.calls.len() >= TRAIL_CAPACITY {
            self.calls.pop_front();
        }
        self.calls.push_back(call);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_calls_go_first_when_the_trail_is_full() {
        let mut trail = Trail::default();
        for i in 0..TRAIL_CAPACITY + 3 {
            trail.record(ApiCall {
                at: Timestamp(i as i64),
                source: "laptop".into(),
                service: "dynamodb".into(),
                operation: "PutItem".into(),
                caller: None,
                error: None,
                parameters: Vec::new(),
            });
        }
        assert_eq!(trail.calls.len(), TRAIL_CAPACITY);
        assert_eq!(trail.calls.front().map(|c| c.at), Some(Timestamp(3)));
        assert_eq!(trail.calls.back().map(|c| c.at), Some(Timestamp(TRAIL_CAPACITY as i64 + 2)));
    }
}
