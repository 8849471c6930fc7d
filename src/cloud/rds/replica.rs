//! Read replicas: `create-db-instance-read-replica`, `promote-read-replica`, and the
//! asynchronous replication stream that feeds them as the clock runs.
//!
//! A replica starts as a copy of its source and then applies the source's commit log, record by
//! record, on one applier thread (as MySQL's replica SQL thread and PostgreSQL's startup
//! process do). A record reaches the replica [`SHIP_MS`] after its commit and takes
//! [`APPLY_MS_PER_CHANGE`] per changed row to apply; records queue behind each other:
//!
//! ```text
//!   source commits   r1 (1 row)   r2 (5,000 rows)       r3 (1 row)
//!                    │            │                     │
//!   replica applies  ├─r1─┤       ├──────── r2 ────────┤├─r3─┤
//!                    ◀ship▶                  ReplicaLag grows while r2 applies, then falls
//! ```
//!
//! So a read on the replica right after a write on the source is stale, and converges a moment
//! later; a bulk load makes the lag grow. `ReplicaLag` is the age of the oldest committed
//! record the replica has not applied yet. A replica refuses writes; promotion stops the stream
//! for good and makes it a standalone, writable instance.

use super::data::DbData;
use super::instance::{instance_reply, invalid, launch, not_found, schedule, Launch};
use super::status::DbStatus;
use super::RdsCtx;
use super::{Rds, Step};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::network::Network;
use crate::cloud::time::Timestamp;

/// From a commit on the source to the record reaching the replica.
pub const SHIP_MS: i64 = 500;
/// From a commit on an Aurora writer to the readers' caches seeing it (Aurora replicas
/// typically lag 10 to 20 ms).
pub const AURORA_LAG_MS: i64 = 15;
/// Applying one changed row on the replica.
pub const APPLY_MS_PER_CHANGE: i64 = 1;
/// Read replicas per source (MySQL and PostgreSQL).
pub const MAX_REPLICAS: usize = 15;

/// Moves every replica's stream forward to `now`: each record that has arrived and whose turn
/// on the applier has come and gone is applied. A stream that is cut (a partition, either end's
/// zone down) applies nothing, and starts again from the moment it is whole.
pub fn replicate(rds: &mut Rds, net: &Network, now: Timestamp) {
    let replicas: Vec<String> =
        rds.data.iter().filter(|(_, d)| d.replication.is_some()).map(|(id, _)| id.clone()).collect();
    for id in replicas {
        let Some(rep) = rds.data.get(&id).and_then(|d| d.replication.clone()) else { continue };
        let zone_down = |instance: &str| rds.instance(instance).is_some_and(|i| net.zone_failed(&i.subnet_id));
        if rep.partitioned || zone_down(&id) || zone_down(&rep.source) {
            if let Some(r) = rds.data.get_mut(&id).and_then(|d| d.replication.as_mut()) {
                r.busy_until = r.busy_until.max(now.0);
            }
            continue;
        }
        let Some(source) = rds.data.get(&rep.source) else { continue };
        let pending = source.primary.log.since(rep.applied_lsn);
        if pending.is_empty() {
            continue;
        }
        let (mut applied, mut busy_until) = (Vec::new(), rep.busy_until);
        let (ship, per_change) = if rep.shared_volume { (AURORA_LAG_MS, 0) } else { (SHIP_MS, APPLY_MS_PER_CHANGE) };
        for record in pending {
            let arrives = record.time.div_euclid(1000) + ship;
            let done = arrives.max(busy_until) + per_change * record.changes.len() as i64;
            if done > now.0 {
                break;
            }
            busy_until = done;
            applied.push(record.clone());
        }
        if applied.is_empty() {
            continue;
        }
        if let Some(replica) = rds.data.get_mut(&id) {
            replica.primary.apply_log(&applied);
            if let Some(r) = &mut replica.replication {
                r.applied_lsn = applied.last().map_or(r.applied_lsn, |r| r.lsn);
                r.busy_until = busy_until;
            }
        }
    }
}

/// `ReplicaLag` in seconds: how long ago the oldest record the replica still lacks was
/// committed (0 when caught up). `None` for an instance that is not a replica.
pub fn lag_seconds(rds: &Rds, id: &str, now: Timestamp) -> Option<i64> {
    let rep = rds.data.get(id)?.replication.as_ref()?;
    let source = rds.data.get(&rep.source)?;
    Some(
        source
            .primary
            .log
            .since(rep.applied_lsn)
            .first()
            .map_or(0, |r| (now.0 - r.time.div_euclid(1000)).max(0) / 1000),
    )
}

/// Stops replication: the replica keeps what it applied, plus what had already reached it,
/// and becomes writable.
pub fn detach(rds: &mut Rds, id: &str, now: Timestamp) {
    // Everything that arrived is applied before the stream is cut (the relay log drains).
    if let Some(rep) = rds.data.get(id).and_then(|d| d.replication.clone()) {
        if let Some(source) = rds.data.get(&rep.source) {
            let arrived: Vec<_> = source
                .primary
                .log
                .since(rep.applied_lsn)
                .iter()
                .take_while(|r| r.time.div_euclid(1000) + SHIP_MS <= now.0)
                .cloned()
                .collect();
            if let Some(replica) = rds.data.get_mut(id) {
                replica.primary.apply_log(&arrived);
            }
        }
    }
    if let Some(d) = rds.data.get_mut(id) {
        d.replication = None;
        d.primary.read_only = false;
        if let Some(s) = &mut d.standby {
            s.read_only = false;
        }
    }
    if let Some(i) = rds.instances.iter_mut().find(|i| i.id == id) {
        i.replica_source = None;
    }
}

/// `CreateDBInstanceReadReplica`.
pub fn create_db_instance_read_replica(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    let id = super::instance::check_identifier(req.required_str("DBInstanceIdentifier")?)?;
    let source_id = req.required_str("SourceDBInstanceIdentifier")?.to_ascii_lowercase();
    let source = rds.instance(&source_id).ok_or_else(|| not_found(&source_id))?;
    if source.backup_retention == 0 {
        return Err(ApiError::client(
            "InvalidDBInstanceState",
            "Automated backups are not enabled for this database instance. To enable automated backups, use ModifyDBInstance to set the backup retention period to a non-zero value.",
        ));
    }
    if source.status != DbStatus::Available && source.status != DbStatus::BackingUp {
        return Err(ApiError::client(
            "InvalidDBInstanceState",
            format!("DB instance {source_id} is not in available state."),
        ));
    }
    if rds.instances.iter().filter(|i| i.replica_source.as_deref() == Some(&source_id)).count() >= MAX_REPLICAS {
        return Err(ApiError::client(
            "InvalidDBInstanceState",
            format!("DB instance {source_id} already has the maximum of {MAX_REPLICAS} read replicas."),
        ));
    }
    let class = req.str("DBInstanceClass")?.unwrap_or(&source.class).to_string();
    if !super::instance::CLASSES.iter().any(|c| c.0 == class) {
        return Err(invalid(format!("Invalid DB Instance class: {class}")));
    }
    let spec = Launch {
        id: id.clone(),
        engine: source.engine,
        engine_version: source.engine_version.clone(),
        class,
        storage_gib: source.storage_gib,
        storage_type: source.storage_type.clone(),
        master_username: source.master_username.clone(),
        master_password: source.master_password.clone(),
        db_name: source.db_name.clone(),
        port: req.int("Port")?.map(|p| p as u16).unwrap_or(source.port),
        backup_retention: 0,
        replica_source: Some(source_id.clone()),
        subnet_group: Some(source.subnet_group.clone()),
        security_groups: Vec::new(),
        cluster: None,
    };
    let data =
        rds.data.get(&source_id).map(|d| DbData::replica_of(&source_id, d)).ok_or_else(|| not_found(&source_id))?;
    launch(rds, net, rng, now, req, spec, Some(data), "DB instance created")?;
    rds.log.record(now, &source_id, "db-instance", &format!("Creating read replica {id}"), "read replica");
    instance_reply(rds, net, account, now, &id)
}

/// `PromoteReadReplica`.
pub fn promote_read_replica(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    let id = req.required_str("DBInstanceIdentifier")?.to_ascii_lowercase();
    let instance = rds.instance(&id).ok_or_else(|| not_found(&id))?;
    if instance.replica_source.is_none() {
        return Err(ApiError::client("InvalidDBInstanceState", "DB Instance is not a read replica."));
    }
    if instance.status != DbStatus::Available {
        return Err(ApiError::client("InvalidDBInstanceState", format!("DB instance {id} is not in available state.")));
    }
    let retention = req.int("BackupRetentionPeriod")?.unwrap_or(1);
    if !(0..=35).contains(&retention) {
        return Err(invalid(format!(
            "Invalid backup retention period: {retention}. Backup retention period must be between 0 and 35 days."
        )));
    }
    detach(rds, &id, now);
    if let Some(i) = rds.instances.iter_mut().find(|i| i.id == id) {
        i.status = DbStatus::Modifying;
        i.backup_retention = retention;
    }
    rds.log.record(now, &id, "db-instance", "Promoting Read Replica to a standalone DB instance", "read replica");
    schedule(rds, now, rng.range(60, 120), &id, Step::Promoted);
    instance_reply(rds, net, account, now, &id)
}
