//! DB snapshots: `create-db-snapshot`, `describe-db-snapshots`, `delete-db-snapshot` and
//! `restore-db-instance-from-db-snapshot`, plus the automated snapshots backups take.
//!
//! A snapshot is the instance's committed catalog as of one LSN of its commit log, with the
//! users that could log in then:
//!
//! ```text
//!   instance log   1 2 3 4 5 6 7 8 ...
//!                        ▲
//!   snapshot "before-migration" = catalog after LSN 4  ──restore──▶ new instance
//! ```
//!
//! Manual snapshots live until deleted; automated ones (`rds:<id>-YYYY-MM-DD-HH-MM`) belong to
//! the instance's backups (see `backup.rs`) and go with it. A restore always makes a NEW
//! instance, with a new endpoint; the source is untouched.

use super::data::DbData;
use super::engine::Engine;
use super::instance::{instance_reply, invalid, launch, not_found, schedule, DbInstance, Launch};
use super::status::DbStatus;
use super::RdsCtx;
use super::{Rds, Step};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::names::api_names;
use crate::cloud::network::Network;
use crate::cloud::time::Timestamp;
use crate::engines::rng::Rng;
use crate::engines::sql::log::Snapshot;
use crate::engines::sql::server::User;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// How many manual snapshots an account may keep in a region (the real default quota).
pub const MANUAL_SNAPSHOT_QUOTA: usize = 100;

api_names! {
    /// Who takes a snapshot: the learner, or RDS's daily backup.
    pub enum SnapshotKind {
        Manual = "manual",
        Automated = "automated",
    }
}

api_names! {
    /// A snapshot is `creating` until its copy is done.
    pub enum SnapshotStatus {
        Creating = "creating",
        Available = "available",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbSnapshot {
    pub id: String,
    pub instance_id: String,
    pub kind: SnapshotKind,
    pub status: SnapshotStatus,
    pub created: Timestamp,
    pub instance_created: Timestamp,
    pub engine: Engine,
    pub engine_version: String,
    pub class: String,
    pub storage_gib: i64,
    pub storage_type: String,
    pub port: u16,
    pub zone: String,
    pub vpc_id: String,
    pub master_username: String,
    pub master_password: String,
    pub db_name: Option<String>,
    pub resource_id: String,
    /// The data: the catalog as of an LSN.
    pub data: Snapshot,
    pub users: BTreeMap<String, User>,
}

impl DbSnapshot {
    /// Takes a snapshot of an instance's primary as it is at `now`.
    pub fn take(
        rds: &Rds,
        net: &Network,
        instance: &DbInstance,
        id: &str,
        kind: SnapshotKind,
        now: Timestamp,
    ) -> Option<Self> {
        let server = &rds.data.get(&instance.id)?.primary;
        Some(DbSnapshot {
            id: id.to_string(),
            instance_id: instance.id.clone(),
            kind,
            status: SnapshotStatus::Creating,
            created: now,
            instance_created: instance.created,
            engine: instance.engine,
            engine_version: instance.engine_version.clone(),
            class: instance.class.clone(),
            storage_gib: instance.storage_gib,
            storage_type: instance.storage_type.clone(),
            port: instance.port,
            zone: instance.zone.clone(),
            vpc_id: net.subnet(&instance.subnet_id).map(|s| s.vpc_id.clone()).unwrap_or_default(),
            master_username: instance.master_username.clone(),
            master_password: instance.master_password.clone(),
            db_name: instance.db_name.clone(),
            resource_id: instance.resource_id.clone(),
            data: server.snapshot(now.0.saturating_mul(1000)),
            users: server.users.clone(),
        })
    }

    pub fn arn(&self, account: &str) -> String {
        format!("arn:aws:rds:us-east-1:{account}:snapshot:{}", self.id)
    }

    pub fn to_json(&self, account: &str) -> Value {
        json!({
            "DBSnapshotIdentifier": self.id,
            "DBInstanceIdentifier": self.instance_id,
            "SnapshotCreateTime": self.created.to_aws_string(),
            "Engine": self.engine,
            "AllocatedStorage": self.storage_gib,
            "Status": self.status,
            "Port": self.port,
            "AvailabilityZone": self.zone,
            "VpcId": self.vpc_id,
            "InstanceCreateTime": self.instance_created.to_aws_string(),
            "MasterUsername": self.master_username,
            "EngineVersion": self.engine_version,
            "LicenseModel": self.engine.names().license,
            "SnapshotType": self.kind,
            "OptionGroupName": self.engine.names().option_group,
            "PercentProgress": if self.status == SnapshotStatus::Available { 100 } else { 0 },
            "StorageType": self.storage_type,
            "Encrypted": false,
            "DBSnapshotArn": self.arn(account),
            "IAMDatabaseAuthenticationEnabled": false,
            "ProcessorFeatures": [],
            "DbiResourceId": self.resource_id,
            "TagList": [],
            "OriginalSnapshotCreateTime": self.created.to_aws_string(),
            "SnapshotTarget": "region",
            "StorageThroughput": 0,
            "DedicatedLogVolume": false,
            "MultiTenant": false,
        })
    }
}

fn snapshot_not_found(id: &str) -> ApiError {
    ApiError::new("DBSnapshotNotFound", 404, format!("DBSnapshot {id} not found."))
}

/// Snapshot identifiers follow the instance identifier rules.
fn check_snapshot_identifier(id: &str) -> Result<String, ApiError> {
    super::instance::check_identifier(id).map_err(|_| {
        invalid("The parameter DBSnapshotIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.")
    })
}

/// Starts a manual snapshot of an instance (also the final snapshot of `delete-db-instance`).
/// The data is as of `now`; the snapshot becomes `available` a little later.
pub fn start_manual(
    rds: &mut Rds,
    net: &Network,
    rng: &mut Rng,
    now: Timestamp,
    instance_id: &str,
    snapshot_id: &str,
) -> Result<(), ApiError> {
    let snapshot_id = check_snapshot_identifier(snapshot_id)?;
    if rds.snapshots.iter().any(|s| s.id == snapshot_id) {
        return Err(ApiError::client(
            "DBSnapshotAlreadyExists",
            format!("Cannot create the snapshot because a snapshot with the identifier {snapshot_id} already exists."),
        ));
    }
    if rds.snapshots.iter().filter(|s| s.kind == SnapshotKind::Manual).count() >= MANUAL_SNAPSHOT_QUOTA {
        return Err(ApiError::client("SnapshotQuotaExceeded", "Cannot create more than 100 manual snapshots"));
    }
    let instance = rds.instance(instance_id).ok_or_else(|| not_found(instance_id))?;
    let snapshot = DbSnapshot::take(rds, net, instance, &snapshot_id, SnapshotKind::Manual, now)
        .ok_or_else(|| not_found(instance_id))?;
    rds.snapshots.push(snapshot);
    rds.log.record(now, &snapshot_id, "db-snapshot", "Creating manual snapshot", "creation");
    let secs = rng.range(60, 180);
    schedule(rds, now, secs, instance_id, Step::SnapshotTaken { snapshot: snapshot_id });
    Ok(())
}

/// `CreateDBSnapshot`.
pub fn create_db_snapshot(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    let snapshot_id = req.required_str("DBSnapshotIdentifier")?.to_ascii_lowercase();
    let instance_id = req.required_str("DBInstanceIdentifier")?.to_ascii_lowercase();
    let instance = rds.instance(&instance_id).ok_or_else(|| not_found(&instance_id))?;
    if rds.snapshots.iter().any(|s| s.id == snapshot_id) {
        return Err(ApiError::client(
            "DBSnapshotAlreadyExists",
            format!("Cannot create the snapshot because a snapshot with the identifier {snapshot_id} already exists."),
        ));
    }
    if instance.status != DbStatus::Available {
        return Err(ApiError::client(
            "InvalidDBInstanceState",
            format!("Cannot create a snapshot because the database instance {instance_id} is not currently in the available state."),
        ));
    }
    start_manual(rds, net, rng, now, &instance_id, &snapshot_id)?;
    // A single-AZ instance shows `backing-up` while the snapshot is taken.
    if let Some(i) = rds.instances.iter_mut().find(|i| i.id == instance_id && !i.multi_az) {
        i.status = DbStatus::BackingUp;
    }
    let s = rds.snapshots.iter().find(|s| s.id == snapshot_id).ok_or_else(|| snapshot_not_found(&snapshot_id))?;
    Ok(json!({ "DBSnapshot": s.to_json(account) }))
}

/// `DescribeDBSnapshots`.
pub fn describe_db_snapshots(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, account, .. } = c;
    let snapshot_id = req.str("DBSnapshotIdentifier")?.map(str::to_ascii_lowercase);
    let instance_id = req.str("DBInstanceIdentifier")?.map(str::to_ascii_lowercase);
    let kind = req.str("SnapshotType")?;
    if let Some(id) = &snapshot_id {
        if !rds.snapshots.iter().any(|s| &s.id == id) {
            return Err(snapshot_not_found(id));
        }
    }
    if let Some(id) = &instance_id {
        if rds.instance(id).is_none() && !rds.snapshots.iter().any(|s| &s.instance_id == id) {
            return Err(not_found(id));
        }
    }
    let found: Vec<Value> = rds
        .snapshots
        .iter()
        .filter(|s| snapshot_id.as_ref().is_none_or(|id| &s.id == id))
        .filter(|s| instance_id.as_ref().is_none_or(|id| &s.instance_id == id))
        .filter(|s| kind.is_none_or(|k| s.kind == k))
        .map(|s| s.to_json(account))
        .collect();
    Ok(json!({ "DBSnapshots": found }))
}

/// `DeleteDBSnapshot`.
pub fn delete_db_snapshot(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, now, account, .. } = c;
    let id = req.required_str("DBSnapshotIdentifier")?.to_ascii_lowercase();
    let s = rds.snapshots.iter().find(|s| s.id == id).ok_or_else(|| snapshot_not_found(&id))?;
    if s.kind == SnapshotKind::Automated {
        return Err(ApiError::client("InvalidDBSnapshotState", "Only manual snapshots may be deleted."));
    }
    if s.status != SnapshotStatus::Available {
        return Err(ApiError::client(
            "InvalidDBSnapshotState",
            format!("Cannot delete the snapshot because it is not in the available state. Current state: {}", s.status),
        ));
    }
    let mut out = s.to_json(account);
    out["Status"] = json!("deleted");
    rds.snapshots.retain(|s| s.id != id);
    rds.log.record(now, &id, "db-snapshot", "Deleted manual snapshot", "deletion");
    Ok(json!({ "DBSnapshot": out }))
}

/// `RestoreDBInstanceFromDBSnapshot`.
pub fn restore_db_instance_from_db_snapshot(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    let target = super::instance::check_identifier(req.required_str("DBInstanceIdentifier")?)?;
    let snapshot_id = req.required_str("DBSnapshotIdentifier")?.to_ascii_lowercase();
    let snapshot =
        rds.snapshots.iter().find(|s| s.id == snapshot_id).ok_or_else(|| snapshot_not_found(&snapshot_id))?;
    if snapshot.status != SnapshotStatus::Available {
        return Err(ApiError::client(
            "InvalidDBSnapshotState",
            format!("Snapshot {snapshot_id} is not in available state."),
        ));
    }
    let data = DbData::restored(
        snapshot.engine.as_str(),
        snapshot.data.catalog.clone(),
        snapshot.users.clone(),
        now.0.saturating_mul(1000),
    );
    let spec = restore_spec(req, &target, snapshot)?;
    let message = format!("Restored from snapshot {snapshot_id}");
    launch(rds, net, rng, now, req, spec, Some(data), &message)?;
    instance_reply(rds, net, account, now, &target)
}

/// What a restored instance is: the snapshot's engine, storage and master user, with the
/// class and port the request may change. Backups start at the default, one day.
pub fn restore_spec(req: &Request, target: &str, s: &DbSnapshot) -> Result<Launch, ApiError> {
    let class = req.str("DBInstanceClass")?.unwrap_or(&s.class).to_string();
    if !super::instance::CLASSES.iter().any(|c| c.0 == class) {
        return Err(invalid(format!("Invalid DB Instance class: {class}")));
    }
    Ok(Launch {
        id: target.to_string(),
        engine: s.engine,
        engine_version: s.engine_version.clone(),
        class,
        storage_gib: s.storage_gib,
        storage_type: s.storage_type.clone(),
        master_username: s.master_username.clone(),
        master_password: s.master_password.clone(),
        db_name: s.db_name.clone(),
        port: req.int("Port")?.map(|p| p as u16).unwrap_or(s.port),
        backup_retention: 1,
        replica_source: None,
        subnet_group: None,
        security_groups: Vec::new(),
        cluster: None,
    })
}
