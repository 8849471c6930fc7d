//! DynamoDB in the simulated region: the engine behind the API, on the lab clock.
//!
//! The engine ([`crate::engines::dynamo`]) answers requests at once. What takes time on AWS
//! is added here: a new table stays CREATING for some seconds, an update keeps it UPDATING,
//! a deleted table lingers as DELETING. Each change is an event on the cloud's queue that
//! completes it when it falls due.

use super::api::ApiError;
use super::events::EventQueue;
use super::operation::OperationInfo;
use super::time::{Duration, Timestamp};
use super::CloudEvent;
use crate::engines::dynamo::operations as dynamo_operations;
use crate::engines::dynamo::{Dynamo, Settle};
use crate::engines::rng::Rng;
use serde_json::Value;

/// DynamoDB's operations, from the engine's own table ([`crate::engines::dynamo::operations`]).
pub fn operations() -> impl Iterator<Item = OperationInfo> {
    dynamo_operations::OPERATIONS.iter().map(|o| OperationInfo {
        name: o.name,
        mutates: o.mutates,
        resource: o.resource,
    })
}

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

/// Adding a global index to a table with items backfills it: on AWS this takes minutes even
/// for a small table, and longer the more items there are. The lab scales it down.
fn backfill_seconds(rng: &mut Rng, dynamo: &Dynamo, request: &Value) -> Option<i64> {
    let creates = request
        .get("GlobalSecondaryIndexUpdates")
        .and_then(Value::as_array)
        .is_some_and(|updates| updates.iter().any(|u| u.get("Create").is_some()));
    let table = dynamo.tables.get(request.get("TableName").and_then(Value::as_str)?)?;
    (creates && !table.items.is_empty()).then(|| rng.range(30, 60) as i64 + (table.items.len() / 100) as i64)
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
    let after = match operation {
        "UpdateTable" => backfill_seconds(rng, dynamo, request).or_else(|| settle_after(rng, operation)),
        _ => settle_after(rng, operation),
    };
    if let (Some(after), Some(table)) = (after, request.get("TableName").and_then(Value::as_str)) {
        events.schedule(
            now.plus(Duration::from_secs(after)),
            CloudEvent::DynamoTableSettled { table: table.to_string() },
        );
    }
    Ok(result)
}
