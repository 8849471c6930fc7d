//! `aws <service> wait <condition>`: polls an operation until a condition holds, as the CLI's
//! waiters do, each poll `delay` seconds apart on the lab's clock.
//!
//! ```text
//!   aws rds wait db-instance-available --db-instance-identifier db1
//!     DescribeDBInstances ... creating   (+30 s) ... backing-up   (+30 s) ... available  ✓
//! ```

use serde_json::Value;

/// What a waiter checks on each response.
pub struct Waiter {
    /// The CLI name (`db-instance-available`).
    pub cli: &'static str,
    /// The name in error messages (`DBInstanceAvailable`).
    pub name: &'static str,
    pub service: &'static str,
    /// The operation polled, by CLI name (its parameters are the waiter's).
    pub operation: &'static str,
    pub delay_secs: i64,
    pub max_attempts: u32,
    /// A JMESPath expression whose values all equal `success` when done (an empty `success`:
    /// no response means done, only `success_on_error` does).
    pub path: &'static str,
    pub success: &'static str,
    /// Values that mean it will never succeed.
    pub failure: &'static [&'static str],
    /// An error code that counts as success (for `...-deleted` waiters).
    pub success_on_error: Option<&'static str>,
    /// An error code that means "not yet": poll again (a table not created yet).
    pub retry_on_error: Option<&'static str>,
}

pub static WAITERS: &[Waiter] = &[
    Waiter {
        cli: "db-instance-available",
        name: "DBInstanceAvailable",
        service: "rds",
        operation: "describe-db-instances",
        delay_secs: 30,
        max_attempts: 60,
        path: "DBInstances[].DBInstanceStatus",
        success: "available",
        failure: &["deleted", "deleting", "failed", "incompatible-restore", "incompatible-parameters"],
        success_on_error: None,
        retry_on_error: None,
    },
    Waiter {
        cli: "db-instance-deleted",
        name: "DBInstanceDeleted",
        service: "rds",
        operation: "describe-db-instances",
        delay_secs: 30,
        max_attempts: 60,
        path: "DBInstances[].DBInstanceStatus",
        success: "deleted",
        failure: &["creating", "modifying", "rebooting", "resetting-master-credentials"],
        success_on_error: Some("DBInstanceNotFound"),
        retry_on_error: None,
    },
    Waiter {
        cli: "db-cluster-available",
        name: "DBClusterAvailable",
        service: "rds",
        operation: "describe-db-clusters",
        delay_secs: 30,
        max_attempts: 60,
        path: "DBClusters[].Status",
        success: "available",
        failure: &["deleted", "deleting", "failed", "incompatible-restore", "incompatible-parameters"],
        success_on_error: None,
        retry_on_error: None,
    },
    Waiter {
        cli: "db-snapshot-available",
        name: "DBSnapshotAvailable",
        service: "rds",
        operation: "describe-db-snapshots",
        delay_secs: 30,
        max_attempts: 60,
        path: "DBSnapshots[].Status",
        success: "available",
        failure: &["deleted", "deleting", "failed", "incompatible-restore", "incompatible-parameters"],
        success_on_error: None,
        retry_on_error: None,
    },
    Waiter {
        cli: "db-snapshot-deleted",
        name: "DBSnapshotDeleted",
        service: "rds",
        operation: "describe-db-snapshots",
        delay_secs: 30,
        max_attempts: 60,
        path: "DBSnapshots[].Status",
        success: "deleted",
        failure: &["creating", "modifying", "rebooting", "resetting-master-credentials"],
        success_on_error: Some("DBSnapshotNotFound"),
        retry_on_error: None,
    },
    Waiter {
        cli: "instance-running",
        name: "InstanceRunning",
        service: "ec2",
        operation: "describe-instances",
        delay_secs: 15,
        max_attempts: 40,
        path: "Reservations[].Instances[].State.Name",
        success: "running",
        failure: &["shutting-down", "terminated", "stopping"],
        success_on_error: None,
        retry_on_error: None,
    },
    Waiter {
        cli: "instance-terminated",
        name: "InstanceTerminated",
        service: "ec2",
        operation: "describe-instances",
        delay_secs: 15,
        max_attempts: 40,
        path: "Reservations[].Instances[].State.Name",
        success: "terminated",
        failure: &["pending", "stopping"],
        success_on_error: None,
        retry_on_error: None,
    },
    // The CLI's ElastiCache waiters poll every 15 s, 40 times.
    Waiter {
        cli: "replication-group-available",
        name: "ReplicationGroupAvailable",
        service: "elasticache",
        operation: "describe-replication-groups",
        delay_secs: 15,
        max_attempts: 40,
        path: "ReplicationGroups[].Status",
        success: "available",
        failure: &[],
        success_on_error: None,
        retry_on_error: None,
    },
    Waiter {
        cli: "replication-group-deleted",
        name: "ReplicationGroupDeleted",
        service: "elasticache",
        operation: "describe-replication-groups",
        delay_secs: 15,
        max_attempts: 40,
        path: "ReplicationGroups[].Status",
        success: "deleted",
        failure: &["available"],
        success_on_error: Some("ReplicationGroupNotFoundFault"),
        retry_on_error: None,
    },
    Waiter {
        cli: "cache-cluster-available",
        name: "CacheClusterAvailable",
        service: "elasticache",
        operation: "describe-cache-clusters",
        delay_secs: 15,
        max_attempts: 40,
        path: "CacheClusters[].CacheClusterStatus",
        success: "available",
        failure: &["deleted", "deleting", "incompatible-network", "restore-failed"],
        success_on_error: None,
        retry_on_error: None,
    },
    Waiter {
        cli: "cache-cluster-deleted",
        name: "CacheClusterDeleted",
        service: "elasticache",
        operation: "describe-cache-clusters",
        delay_secs: 15,
        max_attempts: 40,
        path: "CacheClusters[].CacheClusterStatus",
        success: "deleted",
        failure: &["creating", "incompatible-network", "modifying", "restore-failed", "snapshotting"],
        success_on_error: Some("CacheClusterNotFound"),
        retry_on_error: None,
    },
    // The CLI's DynamoDB waiters poll DescribeTable every 20 s, 25 times.
    Waiter {
        cli: "table-exists",
        name: "TableExists",
        service: "dynamodb",
        operation: "describe-table",
        delay_secs: 20,
        max_attempts: 25,
        path: "Table.TableStatus",
        success: "ACTIVE",
        failure: &[],
        success_on_error: None,
        retry_on_error: Some("ResourceNotFoundException"),
    },
    Waiter {
        cli: "table-not-exists",
        name: "TableNotExists",
        service: "dynamodb",
        operation: "describe-table",
        delay_secs: 20,
        max_attempts: 25,
        path: "Table.TableStatus",
        success: "",
        failure: &[],
        success_on_error: Some("ResourceNotFoundException"),
        retry_on_error: None,
    },
];

pub fn find(service: &str, cli: &str) -> Option<&'static Waiter> {
    WAITERS.iter().find(|w| w.service == service && w.cli == cli)
}

pub fn names(service: &str) -> Vec<String> {
    WAITERS.iter().filter(|w| w.service == service).map(|w| w.cli.to_string()).collect()
}

/// The verdict on one response.
pub enum Poll {
    Done,
    Failed(String),
    Again,
}

pub fn judge(waiter: &Waiter, response: &Value) -> Poll {
    let values: Vec<String> = match jmespath::compile(waiter.path).ok().and_then(|e| e.search(response.clone()).ok()) {
        Some(result) => match serde_json::to_value(&*result) {
            Ok(Value::Array(items)) => items.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect(),
            Ok(Value::String(s)) => vec![s],
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    if let Some(bad) = values.iter().find(|v| waiter.failure.contains(&v.as_str())) {
        return Poll::Failed(format!(
            "Waiter {} failed: Waiter encountered a terminal failure state: For expression \"{}\" we matched expected path: \"{bad}\" at least once",
            waiter.name, waiter.path
        ));
    }
    if !waiter.success.is_empty() && !values.is_empty() && values.iter().all(|v| v == waiter.success) {
        return Poll::Done;
    }
    Poll::Again
}
