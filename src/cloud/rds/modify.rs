//! `modify-db-instance`: the changes a request asks for, which of them apply at once and which
//! wait for the maintenance window ([`PendingModifications`], shown as `PendingModifiedValues`),
//! and what applying each one does to the instance and its network.

use super::instance::{find_group, instance_reply, invalid, not_found, place, schedule, DbInstance, CLASSES};
use super::snapshot::SnapshotKind;
use super::status::DbStatus;
use super::subnet_group::other_zone;
use super::{Rds, RdsCtx, RdsTimer, Step};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::network::Network;
use crate::cloud::time::{Duration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// `ModifyDBInstance`.
pub fn modify_db_instance(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    let id = req.required_str("DBInstanceIdentifier")?.to_ascii_lowercase();
    let immediately = req.bool("ApplyImmediately")?.unwrap_or(false);
    let instance = rds.instance(&id).ok_or_else(|| not_found(&id))?.clone();
    if instance.status != DbStatus::Available {
        return Err(ApiError::client("InvalidDBInstanceState", "Database instance is not in available state."));
    }
    let changes = requested_changes(req, &instance)?;
    if changes.is_empty() {
        return Err(ApiError::client("InvalidParameterCombination", "No modifications were requested"));
    }
    // Some changes always apply at once: security groups, deletion protection, the password.
    let (now_changes, later): (Vec<_>, Vec<_>) =
        changes.into_iter().partition(|change| immediately || change.applies_at_once());
    let mut needs_time = false;
    for change in now_changes {
        needs_time |= apply_change(rds, net, now, &id, change);
    }
    if let Some(i) = rds.instances.iter_mut().find(|i| i.id == id) {
        for change in later {
            i.pending.hold(change);
        }
        if needs_time {
            i.status = DbStatus::Modifying;
        }
    }
    if needs_time {
        rds.log.record(
            now,
            &id,
            "db-instance",
            "Applying modification to database instance class",
            "configuration change",
        );
        // On a Multi-AZ instance a class change ends with a failover to the modified standby.
        let class_changed = rds.instance(&id).is_some_and(|i| i.class != instance.class);
        let step = if class_changed && instance.multi_az { Step::ModifiedWithFailover } else { Step::Modified };
        schedule(rds, now, rng.range(120, 300), &id, step);
    }
    instance_reply(rds, net, account, now, &id)
}

/// One change a `modify-db-instance` asks for.
#[derive(Clone, Debug, PartialEq)]
enum Change {
    Class(String),
    Storage(i64),
    BackupRetention(i64),
    MultiAz(bool),
    MasterUserPassword(String),
    PubliclyAccessible(bool),
    DeletionProtection(bool),
    SecurityGroups(Vec<String>),
}

impl Change {
    /// Whether RDS applies it at once even without `--apply-immediately`.
    fn applies_at_once(&self) -> bool {
        matches!(
            self,
            Change::SecurityGroups(_)
                | Change::DeletionProtection(_)
                | Change::MasterUserPassword(_)
                | Change::PubliclyAccessible(_)
        )
    }
}

/// The changes a modify request asks for, checked, in the order RDS checks them.
fn requested_changes(req: &Request, instance: &DbInstance) -> Result<Vec<Change>, ApiError> {
    let mut changes = Vec::new();
    if let Some(class) = req.str("DBInstanceClass")? {
        if !CLASSES.iter().any(|c| c.0 == class) {
            return Err(invalid(format!("Invalid DB Instance class: {class}")));
        }
        changes.push(Change::Class(class.to_string()));
    }
    if let Some(storage) = req.int("AllocatedStorage")? {
        if storage < instance.storage_gib {
            return Err(invalid("Invalid storage size for engine name: the allocated storage cannot be reduced."));
        }
        changes.push(Change::Storage(storage));
    }
    if let Some(retention) = req.int("BackupRetentionPeriod")? {
        if !(0..=35).contains(&retention) {
            return Err(invalid(format!(
                "Invalid backup retention period: {retention}. Backup retention period must be between 0 and 35 days."
            )));
        }
        changes.push(Change::BackupRetention(retention));
    }
    if let Some(multi_az) = req.bool("MultiAZ")? {
        changes.push(Change::MultiAz(multi_az));
    }
    if let Some(p) = req.str("MasterUserPassword")? {
        if p.len() < 8 {
            return Err(invalid(
                "The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.",
            ));
        }
        changes.push(Change::MasterUserPassword(p.to_string()));
    }
    if let Some(public) = req.bool("PubliclyAccessible")? {
        changes.push(Change::PubliclyAccessible(public));
    }
    if let Some(dp) = req.bool("DeletionProtection")? {
        changes.push(Change::DeletionProtection(dp));
    }
    let groups = req.str_list("VpcSecurityGroupIds")?;
    if !groups.is_empty() {
        changes.push(Change::SecurityGroups(groups));
    }
    Ok(changes)
}

/// Changes waiting for the maintenance window, as `PendingModifiedValues` shows them. Only
/// what RDS defers can wait: the others always apply at once.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PendingModifications {
    pub class: Option<String>,
    pub storage_gib: Option<i64>,
    pub backup_retention: Option<i64>,
    pub multi_az: Option<bool>,
}

impl PendingModifications {
    pub fn is_empty(&self) -> bool {
        *self == PendingModifications::default()
    }

    /// Holds a change for the window (a later request for the same setting replaces it).
    fn hold(&mut self, change: Change) {
        match change {
            Change::Class(class) => self.class = Some(class),
            Change::Storage(gib) => self.storage_gib = Some(gib),
            Change::BackupRetention(days) => self.backup_retention = Some(days),
            Change::MultiAz(on) => self.multi_az = Some(on),
            // The password never waits (and is never shown); the rest apply at once.
            _ => {}
        }
    }

    pub fn to_json(&self) -> Value {
        let mut out = serde_json::Map::new();
        if let Some(class) = &self.class {
            out.insert("DBInstanceClass".into(), json!(class));
        }
        if let Some(gib) = self.storage_gib {
            out.insert("AllocatedStorage".into(), json!(gib));
        }
        if let Some(days) = self.backup_retention {
            out.insert("BackupRetentionPeriod".into(), json!(days));
        }
        if let Some(on) = self.multi_az {
            out.insert("MultiAZ".into(), json!(on));
        }
        Value::Object(out)
    }
}

/// Applies one modification; true when it takes the instance through `modifying`.
fn apply_change(rds: &mut Rds, net: &mut Network, now: Timestamp, id: &str, change: Change) -> bool {
    let group = rds.instance(id).and_then(|i| find_group(rds, net, &i.subnet_group));
    let Some(i) = rds.instances.iter_mut().find(|i| i.id == id) else { return false };
    match change {
        Change::Class(class) => {
            i.class = class;
            true
        }
        Change::Storage(gib) => {
            i.storage_gib = gib;
            true
        }
        Change::BackupRetention(days) => {
            let was = i.backup_retention;
            i.backup_retention = days;
            if was == 0 && i.backup_retention > 0 {
                // Backups switched on: the first one starts now.
                i.status = DbStatus::BackingUp;
                rds.pending_events.push((
                    now.plus(Duration::from_secs(90)),
                    RdsTimer { instance: id.to_string(), step: Step::BackedUp },
                ));
            } else if was > 0 && i.backup_retention == 0 {
                rds.snapshots.retain(|s| !(s.kind == SnapshotKind::Automated && s.instance_id == id));
            }
            false
        }
        Change::MultiAz(on) => {
            if on && i.standby.is_none() {
                if let Some(group) = group {
                    let zones = group.zones(net);
                    let standby_zone = other_zone(&zones, &i.zone).unwrap_or_default();
                    i.standby = place(net, &group, &standby_zone, &format!("{}-standby", i.id)).map(|mut s| {
                        if i.publicly_accessible
                            && net.subnet(&s.subnet_id).is_some_and(|sub| net.is_public_subnet(sub))
                        {
                            s.public_ip = Some(net.next_public_ip());
                        }
                        s
                    });
                }
            } else if !on && i.standby.take().is_some() {
                net.release_ips(&format!("{}-standby", i.id));
            }
            i.multi_az = on;
            if let Some(data) = rds.data.get_mut(id) {
                data.set_multi_az(on);
            }
            true
        }
        Change::MasterUserPassword(password) => {
            i.master_password = password;
            if let Some(data) = rds.data.get_mut(id) {
                if let Some(user) = data.primary.users.get_mut(&i.master_username) {
                    user.password = i.master_password.clone();
                }
            }
            false
        }
        Change::PubliclyAccessible(on) => {
            i.publicly_accessible = on;
            let public_subnet = net.subnet(&i.subnet_id).is_some_and(|s| net.is_public_subnet(s));
            i.public_ip = if on && public_subnet { i.public_ip.or_else(|| Some(net.next_public_ip())) } else { None };
            false
        }
        Change::DeletionProtection(on) => {
            i.deletion_protection = on;
            false
        }
        Change::SecurityGroups(groups) => {
            i.security_groups = groups;
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cloud::api::Credentials;
    use crate::cloud::time::Timestamp;
    use crate::cloud::Cloud;
    use serde_json::{json, Value};

    fn rds(cloud: &mut Cloud, operation: &str, request: Value) -> Value {
        cloud.call("laptop", &Credentials::ConsoleSession, "rds", operation, &request).expect("the call succeeds")
    }

    #[test]
    fn deferred_changes_wait_as_pending_modifications_and_the_latest_request_wins() {
        let mut cloud = Cloud::new(3, Timestamp(0));
        rds(
            &mut cloud,
            "CreateDBInstance",
            json!({"DBInstanceIdentifier": "db", "DBInstanceClass": "db.t3.micro",
            "Engine": "mysql", "AllocatedStorage": 20, "MasterUsername": "admin", "MasterUserPassword": "Lab-pass-123"}),
        );
        cloud.advance_to(Timestamp(3_600_000));
        let first = rds(
            &mut cloud,
            "ModifyDBInstance",
            json!({"DBInstanceIdentifier": "db",
            "AllocatedStorage": 30, "DBInstanceClass": "db.t3.small", "DeletionProtection": true}),
        );
        let pending = &first["DBInstance"]["PendingModifiedValues"];
        assert_eq!(pending, &json!({"DBInstanceClass": "db.t3.small", "AllocatedStorage": 30}));
        assert_eq!(first["DBInstance"]["DeletionProtection"], json!(true), "deletion protection applies at once");
        let second = rds(&mut cloud, "ModifyDBInstance", json!({"DBInstanceIdentifier": "db", "AllocatedStorage": 40}));
        let pending = &second["DBInstance"]["PendingModifiedValues"];
        assert_eq!(pending, &json!({"DBInstanceClass": "db.t3.small", "AllocatedStorage": 40}));
        assert_eq!(second["DBInstance"]["AllocatedStorage"], json!(20), "nothing changed yet");
    }
}
