//! The CLI's retries, as AWS CLI v2 makes them in its default "standard" mode: a request
//! refused for throttling (or a transient server error) is sent again, up to 3 attempts in
//! all, after a random delay whose ceiling doubles each time (up to 1 s, then up to 2 s). The delays
//! pass on the lab's clock, so a throttled table may have refilled by the next attempt; when
//! the last attempt is refused too, the CLI says so:
//!
//! ```text
//!   An error occurred (ProvisionedThroughputExceededException) when calling the PutItem
//!   operation (reached max retries: 2): The level of configured provisioned throughput ...
//! ```

use crate::cloud::api::{ApiResult, Credentials};
use crate::cloud::time::Duration;
use crate::cloud::Cloud;
use serde_json::Value;

/// Attempts in all, the first one included.
pub const MAX_ATTEMPTS: u32 = 3;

/// The longest wait between attempts.
const MAX_BACKOFF_MS: u64 = 20_000;

/// Error codes the CLI retries: throttling, and errors a later attempt may not meet.
pub fn is_retryable(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "RequestThrottledException"
            | "TooManyRequestsException"
            | "ProvisionedThroughputExceededException"
            | "TransactionInProgressException"
            | "RequestLimitExceeded"
            | "BandwidthLimitExceeded"
            | "LimitExceededException"
            | "RequestThrottled"
            | "SlowDown"
            | "PriorRequestNotComplete"
            | "EC2ThrottledException"
            | "RequestTimeout"
            | "RequestTimeoutException"
            | "InternalError"
            | "InternalServerError"
            | "ServiceUnavailable"
    )
}

/// One API call with the CLI's retries. `retries` is set to how many retries were made.
pub fn call(
    cloud: &mut Cloud,
    source: &str,
    credentials: &Credentials,
    service: &str,
    operation: &str,
    request: &Value,
    retries: &mut u32,
) -> ApiResult {
    *retries = 0;
    loop {
        let answer = cloud.call(source, credentials, service, operation, request);
        match &answer {
            Err(e) if is_retryable(&e.code) && *retries + 1 < MAX_ATTEMPTS => {
                *retries += 1;
                // A random share of 2^(retries - 1) seconds, in milliseconds.
                let ceiling = (1000u64 << (*retries - 1)).min(MAX_BACKOFF_MS);
                let wait = cloud.rng.range(0, ceiling) as i64;
                let until = cloud.now.plus(Duration(wait));
                cloud.advance_to(until);
            }
            _ => return answer,
        }
    }
}

/// What the CLI adds to a refused request's message once its retries are used up.
pub fn exhausted_note(code: &str, retries: u32) -> String {
    if retries > 0 && is_retryable(code) {
        format!(" (reached max retries: {retries})")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use crate::cloud::time::{Duration, Timestamp};
    use crate::shell::Lab;

    #[test]
    fn throttled_requests_are_retried_on_the_clock_then_reported() {
        let mut lab = Lab::new(1, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        let s = lab.session_on("cloudshell").unwrap();
        let out = lab.exec(
            s,
            "aws dynamodb create-table --table-name Slow --attribute-definitions AttributeName=k,AttributeType=S \
             --key-schema AttributeName=k,KeyType=HASH --provisioned-throughput ReadCapacityUnits=1,WriteCapacityUnits=1",
        );
        assert!(out.text.contains("CREATING"), "{}", out.text);
        lab.advance(Duration::from_secs(30));
        // Items of 10 KB cost 10 write units each: the 30 or so units saved up go in three
        // writes, and then the table is 10 units in debt, more than three attempts can wait out.
        let blob = "x".repeat(10_000);
        let put = |i: usize| {
            format!(
                r#"aws dynamodb put-item --table-name Slow --item '{{"k": {{"S": "k{i}"}}, "b": {{"S": "{blob}"}}}}'"#
            )
        };
        let before = lab.cloud.now;
        let refused = (0..10).map(|i| lab.exec(s, &put(i)).text).find(|t| !t.is_empty()).expect("a write is refused");
        assert_eq!(
            refused.trim(),
            "An error occurred (ProvisionedThroughputExceededException) when calling the PutItem operation \
             (reached max retries: 2): The level of configured provisioned throughput for the table was exceeded. \
             Consider increasing your provisioning level with the UpdateTable API."
        );
        assert!(lab.cloud.now > before, "the retries waited on the lab's clock");
        // Once the table has caught up, writes go through again.
        lab.advance(Duration::from_secs(60));
        assert_eq!(lab.exec(s, &put(99)).text, "");
    }
}
