//! DynamoDB in the simulated region: the engine behind the API, on the lab clock.
//!
//! The engine ([`crate::engines::dynamo`]) answers requests at once. What takes time on AWS
//! is added here: a new table stays CREATING for some seconds, an update keeps it UPDATING,
//! a deleted table lingers as DELETING. Each change is an event on the cloud's queue that
//! completes it when it falls due.

use super::api::ApiError;
use super::events::EventQueue;
use super::time::{Duration, Timestamp};
use super::CloudEvent;
use crate::engines::dynamo::{Dynamo, Settle};
use crate::engines::rng::Rng;
use serde_json::Value;

/// How long a write takes to reach global secondary indexes in the lab.
pub const GSI_LAG_SECONDS: f64 = 1.0;

/// A fresh DynamoDB for an account: pending changes complete on the lab clock.
pub fn new_service(account: &str, region: &str) -> Dynamo {
    let mut d = Dynamo::new(account, region);
    d.settle = Settle::Manual;
    // Global secondary indexes are updated asynchronously, usually within a second.
    d.gsi_lag_seconds = GSI_LAG_SECONDS;
    // Provisioned tables throttle beyond their capacity, after spending their burst.
    d.throttling = true;
    d
}

/// Seconds a change takes, drawn from the ranges the real service shows for small tables.
fn settle_after(rng: &mut Rng, operation: &str) -> Option<i64> {
    match operation {
        "CreateTable" => Some(rng.range(5, 12) as i64),
        "UpdateTable" => Some(rng.range(3, 8) as i64),
        "DeleteTable" => Some(rng.range(2, 6) as i64),
        _ => None,
    }
}

/// Runs one DynamoDB operation and schedules the completion of what it started.
pub fn call(
    dynamo: &mut Dynamo,
    events: &mut EventQueue<CloudEvent>,
    rng: &mut Rng,
    now: Timestamp,
    operation: &str,
    request: &Value,
) -> Result<Value, ApiError> {
    let seconds = now.0 as f64 / 1000.0;
    let result = dynamo.call(seconds, operation, request).map_err(|e| ApiError {
        code: e.code().to_string(),
        message: e.message.clone(),
        status: e.status,
    })?;
    if let (Some(after), Some(table)) = (settle_after(rng, operation), request.get("TableName").and_then(Value::as_str))
    {
        events.schedule(
            now.plus(Duration::from_secs(after)),
            CloudEvent::DynamoTableSettled { table: table.to_string() },
        );
    }
    Ok(result)
}
