//! Automated backups and point-in-time restore.
//!
//! With a retention period of 1 to 35 days, RDS keeps a daily snapshot taken in the backup
//! window and the transaction logs in between. Here the logs are the primary's commit log, so a
//! restore to any second T is the newest automated snapshot taken at or before T, replayed with
//! every record committed up to T:
//!
//! ```text
//!   automated snapshots   S1 (day 1, 03:17)          S2 (day 2, 03:17)
//!   commit log            ──1──2──3──4──5──6──7──8──9──10──11──▶ now
//!                                                       ▲ T
//!   restore to T  =  S2 + records 8, 9 (committed after S2, at or before T)
//! ```
//!
//! The restorable window runs from the oldest automated snapshot to `LatestRestorableTime`,
//! which trails now by up to five minutes (logs are shipped every five minutes). A restore
//! makes a new, single-AZ instance in the default security group; the source is untouched.

use super::data::DbData;
use super::instance::{instance_reply, invalid, launch, not_found, Launch};
use super::snapshot::{DbSnapshot, SnapshotKind, SnapshotStatus};
use super::RdsCtx;
use super::{Rds, Step};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::network::Network;
use crate::cloud::time::Timestamp;
use serde_json::{json, Value};

/// The daily backup window opens at 03:17 UTC (what describe-db-instances shows as
/// `PreferredBackupWindow`).
const WINDOW_START_MS: i64 = (3 * 3600 + 17 * 60) * 1000;
const DAY_MS: i64 = 86_400_000;
/// Transaction logs reach backup storage every five minutes.
const LOG_SHIP_MS: i64 = 300_000;

/// The identifier RDS gives an automated snapshot: `rds:<instance>-YYYY-MM-DD-HH-MM`.
pub fn automated_id(instance: &str, at: Timestamp) -> String {
    let c = at.civil();
    format!("rds:{instance}-{:04}-{:02}-{:02}-{:02}-{:02}", c.year, c.month, c.day, c.hour, c.minute)
}

/// The next opening of the backup window strictly after `now`.
pub fn next_window(now: Timestamp) -> Timestamp {
    let day = now.0.div_euclid(DAY_MS) * DAY_MS;
    let today = day + WINDOW_START_MS;
    Timestamp(if today > now.0 { today } else { today + DAY_MS })
}

/// Takes an automated snapshot of the instance now and drops the ones that fell out of the
/// retention period (the newest always stays).
pub fn take_automated(rds: &mut Rds, net: &Network, now: Timestamp, id: &str) {
    let Some(instance) = rds.instance(id) else { return };
    let retention = instance.backup_retention;
    let snapshot_id = automated_id(id, now);
    if rds.snapshots.iter().any(|s| s.id == snapshot_id) {
        return;
    }
    if let Some(mut s) = DbSnapshot::take(rds, net, instance, &snapshot_id, SnapshotKind::Automated, now) {
        s.status = SnapshotStatus::Available;
        rds.snapshots.push(s);
    }
    let oldest_kept = now.0 - retention * DAY_MS;
    rds.snapshots.retain(|s| s.kind != SnapshotKind::Automated || s.instance_id != id || s.created.0 >= oldest_kept);
}

/// The daily backup falls due: take it and book the next one. Several bookings for the same
/// window (backups switched off and on again) collapse into one.
pub fn daily(rds: &mut Rds, net: &Network, now: Timestamp, id: &str) {
    let Some(instance) = rds.instance(id) else { return };
    if instance.backup_retention == 0 {
        return;
    }
    let recent = rds.snapshots.iter().any(|s| {
        s.kind == SnapshotKind::Automated && s.instance_id == id && now.0 - s.created.0 < 3_600_000 && s.created <= now
    });
    if recent {
        return;
    }
    take_automated(rds, net, now, id);
    rds.log.record(now, id, "db-instance", "Finished DB Instance backup", "backup");
    let next = next_window(now);
    rds.pending_events.push((next, super::RdsTimer { instance: id.to_string(), step: Step::DailyBackup }));
}

/// Backups were switched off: the automated snapshots go with them.
pub fn drop_automated(rds: &mut Rds, id: &str) {
    rds.snapshots.retain(|s| !(s.kind == SnapshotKind::Automated && s.instance_id == id));
}

/// The instance's restorable window, `(earliest, latest)`, if it has backups.
pub fn window(rds: &Rds, id: &str, now: Timestamp) -> Option<(Timestamp, Timestamp)> {
    let earliest = rds
        .snapshots
        .iter()
        .filter(|s| s.kind == SnapshotKind::Automated && s.instance_id == id)
        .map(|s| s.created)
        .min()?;
    let shipped = Timestamp(now.0 - now.0.rem_euclid(LOG_SHIP_MS));
    Some((earliest, shipped.max(earliest)))
}

fn aws_time(t: Timestamp) -> String {
    t.to_aws_string()
}

/// `DescribeDBInstanceAutomatedBackups`.
pub fn describe_db_instance_automated_backups(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, now, account, .. } = c;
    let filter = req.str("DBInstanceIdentifier")?.map(str::to_ascii_lowercase);
    let backups: Vec<Value> = rds
        .instances
        .iter()
        .filter(|i| filter.as_ref().is_none_or(|f| &i.id == f))
        .filter_map(|i| {
            let (earliest, latest) = window(rds, &i.id, now)?;
            Some(json!({
                "DBInstanceArn": i.arn(account),
                "DbiResourceId": i.resource_id,
                "Region": "us-east-1",
                "DBInstanceIdentifier": i.id,
                "RestoreWindow": {"EarliestTime": aws_time(earliest), "LatestTime": aws_time(latest)},
                "AllocatedStorage": i.storage_gib,
                "Status": "active",
                "Port": i.port,
                "AvailabilityZone": i.zone,
                "InstanceCreateTime": aws_time(i.created),
                "MasterUsername": i.master_username,
                "Engine": i.engine,
                "EngineVersion": i.engine_version,
                "LicenseModel": i.engine.names().license,
                "StorageType": i.storage_type,
                "Encrypted": false,
                "IAMDatabaseAuthenticationEnabled": false,
                "BackupRetentionPeriod": i.backup_retention,
                "DBInstanceAutomatedBackupsArn": format!("arn:aws:rds:us-east-1:{account}:auto-backup:ab-{}", i.resource_id.trim_start_matches("db-").to_ascii_lowercase()),
                "BackupTarget": "region",
                "StorageThroughput": 0,
                "DedicatedLogVolume": false,
            }))
        })
        .collect();
    Ok(json!({ "DBInstanceAutomatedBackups": backups }))
}

/// `RestoreDBInstanceToPointInTime`.
pub fn restore_db_instance_to_point_in_time(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    let source_id = req.required_str("SourceDBInstanceIdentifier")?.to_ascii_lowercase();
    let target = super::instance::check_identifier(req.required_str("TargetDBInstanceIdentifier")?)?;
    let source = rds.instance(&source_id).ok_or_else(|| not_found(&source_id))?;
    if source.backup_retention == 0 {
        return Err(ApiError::client(
            "PointInTimeRestoreNotEnabled",
            "SourceDBInstanceIdentifier refers to a DB instance with BackupRetentionPeriod equal to 0.",
        ));
    }
    let latest_wanted = req.bool("UseLatestRestorableTime")?.unwrap_or(false);
    let restore_time = req.str("RestoreTime")?;
    let (earliest, latest) = window(rds, &source_id, now).ok_or_else(|| {
        ApiError::client(
            "InvalidDBInstanceState",
            format!("DB instance {source_id} has no automated backup yet; wait for its first backup to finish."),
        )
    })?;
    let at = match (restore_time, latest_wanted) {
        (Some(_), true) => {
            return Err(ApiError::client(
                "InvalidParameterCombination",
                "Cannot specify both RestoreTime and UseLatestRestorableTime.",
            ))
        }
        (None, false) => {
            return Err(ApiError::client(
                "InvalidParameterCombination",
                "Either RestoreTime or UseLatestRestorableTime must be specified.",
            ))
        }
        (None, true) => latest,
        (Some(text), false) => Timestamp::parse(text)
            .ok_or_else(|| invalid(format!("The parameter RestoreTime is not a valid timestamp: {text}")))?,
    };
    if at < earliest || at > latest {
        return Err(ApiError::client(
            "InvalidRestoreFault",
            format!(
                "The restore time {} is outside the restorable window of DB instance {source_id}: {} to {}.",
                aws_time(at),
                aws_time(earliest),
                aws_time(latest)
            ),
        ));
    }
    // The newest automated snapshot at or before the restore time, then the log up to it.
    let base = rds
        .snapshots
        .iter()
        .filter(|s| s.kind == SnapshotKind::Automated && s.instance_id == source_id && s.created <= at)
        .max_by_key(|s| s.created)
        .ok_or_else(|| not_found(&source_id))?;
    let log = &rds.data.get(&source_id).ok_or_else(|| not_found(&source_id))?.primary.log;
    // Everything committed at or before the restore time, in the engine's microseconds.
    let until = at.0.saturating_mul(1000);
    let (catalog, _) = crate::engines::sql::log::restore(&base.data, log, until);
    let data = DbData::restored(source.engine.as_str(), catalog, base.users.clone(), now.0.saturating_mul(1000));
    let spec = Launch {
        id: target.clone(),
        engine: source.engine,
        engine_version: source.engine_version.clone(),
        class: req.str("DBInstanceClass")?.unwrap_or(&source.class).to_string(),
        storage_gib: source.storage_gib,
        storage_type: source.storage_type.clone(),
        master_username: source.master_username.clone(),
        master_password: base
            .users
            .get(&source.master_username)
            .map(|u| u.password.clone())
            .unwrap_or_else(|| source.master_password.clone()),
        db_name: source.db_name.clone(),
        port: req.int("Port")?.map(|p| p as u16).unwrap_or(source.port),
        backup_retention: 1,
        replica_source: None,
        subnet_group: None,
        security_groups: Vec::new(),
        cluster: None,
    };
    if !super::instance::CLASSES.iter().any(|c| c.0 == spec.class) {
        return Err(invalid(format!("Invalid DB Instance class: {}", spec.class)));
    }
    let message = format!("Restored from DB instance {source_id} to {}", aws_time(at));
    launch(rds, net, rng, now, req, spec, Some(data), &message)?;
    instance_reply(rds, net, account, now, &target)
}
