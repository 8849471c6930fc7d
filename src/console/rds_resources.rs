//! RDS in the console, beyond the Databases list: Subnet groups (*Create DB subnet group*),
//! Snapshots (restore one, delete one), Automated backups (their restore windows), and a
//! database's *Modify*.

use super::{list, text, Action, Plan};
use crate::shell::Lab;
use serde_json::{json, Value};

/// *Create DB subnet group*: a name, a description, a VPC and subnets of it in at least two
/// zones (RDS checks that, in its words).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateSubnetGroup {
    pub name: String,
    pub description: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
}

impl CreateSubnetGroup {
    pub fn plan(&self) -> Plan {
        if self.name.trim().is_empty() {
            return Err("Enter a name.".to_string());
        }
        if self.description.trim().is_empty() {
            return Err("Enter a description.".to_string());
        }
        if self.subnet_ids.is_empty() {
            return Err("Choose the subnets of the group.".to_string());
        }
        Ok(vec![Action::new(
            "rds",
            "CreateDBSubnetGroup",
            json!({"DBSubnetGroupName": self.name.trim(), "DBSubnetGroupDescription": self.description.trim(),
                   "SubnetIds": self.subnet_ids}),
        )])
    }
}

/// A row of Subnet groups.
#[derive(Clone, Debug, PartialEq)]
pub struct SubnetGroupRow {
    pub name: String,
    pub description: String,
    pub vpc: String,
    /// (subnet, zone).
    pub subnets: Vec<(String, String)>,
}

pub fn subnet_groups(lab: &mut Lab) -> Vec<SubnetGroupRow> {
    list(lab, "rds", "DescribeDBSubnetGroups", "DBSubnetGroups")
        .iter()
        .map(|g| SubnetGroupRow {
            name: text(g, "DBSubnetGroupName").to_string(),
            description: text(g, "DBSubnetGroupDescription").to_string(),
            vpc: text(g, "VpcId").to_string(),
            subnets: g
                .get("Subnets")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|s| {
                    let zone = s.pointer("/SubnetAvailabilityZone/Name").and_then(Value::as_str).unwrap_or("");
                    (text(s, "SubnetIdentifier").to_string(), zone.to_string())
                })
                .collect(),
        })
        .collect()
}

/// A row of Snapshots.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotRow {
    pub id: String,
    pub database: String,
    pub created: String,
    pub status: String,
    /// "manual" or "automated".
    pub kind: String,
    pub engine: String,
    pub storage_gib: i64,
}

pub fn snapshots(lab: &mut Lab) -> Vec<SnapshotRow> {
    list(lab, "rds", "DescribeDBSnapshots", "DBSnapshots")
        .iter()
        .map(|s| SnapshotRow {
            id: text(s, "DBSnapshotIdentifier").to_string(),
            database: text(s, "DBInstanceIdentifier").to_string(),
            created: text(s, "SnapshotCreateTime").to_string(),
            status: super::rds::status_label(text(s, "Status")),
            kind: text(s, "SnapshotType").to_string(),
            engine: super::rds::engine_label(text(s, "Engine")),
            storage_gib: s.get("AllocatedStorage").and_then(Value::as_i64).unwrap_or(0),
        })
        .collect()
}

/// Snapshots → Actions → Restore snapshot: a new database from it.
pub fn restore_snapshot(snapshot: &str, database: &str) -> Action {
    Action::new(
        "rds",
        "RestoreDBInstanceFromDBSnapshot",
        json!({"DBInstanceIdentifier": database, "DBSnapshotIdentifier": snapshot}),
    )
}

/// Snapshots → Actions → Delete snapshot.
pub fn delete_snapshot(snapshot: &str) -> Action {
    Action::new("rds", "DeleteDBSnapshot", json!({"DBSnapshotIdentifier": snapshot}))
}

/// A row of Automated backups: a database and the window it can be restored to.
#[derive(Clone, Debug, PartialEq)]
pub struct BackupRow {
    pub database: String,
    pub status: String,
    pub engine: String,
    pub retention_days: i64,
    pub earliest: String,
    pub latest: String,
}

pub fn automated_backups(lab: &mut Lab) -> Vec<BackupRow> {
    list(lab, "rds", "DescribeDBInstanceAutomatedBackups", "DBInstanceAutomatedBackups")
        .iter()
        .map(|b| BackupRow {
            database: text(b, "DBInstanceIdentifier").to_string(),
            status: super::rds::status_label(text(b, "Status")),
            engine: super::rds::engine_label(text(b, "Engine")),
            retention_days: b.get("BackupRetentionPeriod").and_then(Value::as_i64).unwrap_or(0),
            earliest: b.pointer("/RestoreWindow/EarliestTime").and_then(Value::as_str).unwrap_or("").to_string(),
            latest: b.pointer("/RestoreWindow/LatestTime").and_then(Value::as_str).unwrap_or("").to_string(),
        })
        .collect()
}

/// *Modify DB instance*: what the form changes, and when.
#[derive(Clone, Debug, PartialEq)]
pub struct ModifyDatabase {
    pub identifier: String,
    pub instance_class: String,
    pub allocated_storage: i64,
    pub multi_az: bool,
    pub backup_retention: i64,
    pub deletion_protection: bool,
    /// "Apply immediately" (true) or "Apply during the next scheduled maintenance window".
    pub apply_immediately: bool,
    /// The settings when the page opened: only what differs is sent (see
    /// [`super::changed_settings`]).
    pub was: Value,
}

impl ModifyDatabase {
    /// The form filled in from a database's description.
    pub fn from_description(d: &Value) -> ModifyDatabase {
        let mut form = ModifyDatabase {
            identifier: text(d, "DBInstanceIdentifier").to_string(),
            instance_class: text(d, "DBInstanceClass").to_string(),
            allocated_storage: d.get("AllocatedStorage").and_then(Value::as_i64).unwrap_or(20),
            multi_az: d.get("MultiAZ").and_then(Value::as_bool).unwrap_or(false),
            backup_retention: d.get("BackupRetentionPeriod").and_then(Value::as_i64).unwrap_or(0),
            deletion_protection: d.get("DeletionProtection").and_then(Value::as_bool).unwrap_or(false),
            apply_immediately: false,
            was: Value::Null,
        };
        form.was = form.settings();
        form
    }

    /// The form's settings as `ModifyDBInstance` names them.
    fn settings(&self) -> Value {
        json!({"DBInstanceClass": self.instance_class, "AllocatedStorage": self.allocated_storage,
               "BackupRetentionPeriod": self.backup_retention, "MultiAZ": self.multi_az,
               "DeletionProtection": self.deletion_protection})
    }

    /// `ModifyDBInstance` with what changed; nothing changed is said, not sent.
    pub fn plan(&self) -> Plan {
        let id = ("DBInstanceIdentifier", self.identifier.as_str());
        let mut request = super::changed_settings(id, self.settings(), &self.was, "database")?;
        request["ApplyImmediately"] = json!(self.apply_immediately);
        Ok(vec![Action::new("rds", "ModifyDBInstance", request)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::perform;
    use crate::console::rds::{describe_instance, take_snapshot, CreateDatabase, EngineChoice, Template};
    use crate::console::test_support::{assert_cli_round_trips, lab};
    use crate::console::vpc::{subnets, CreateVpc};

    #[test]
    fn a_multi_az_database_in_a_private_subnet_group_then_modified_snapshotted_and_restored() {
        let mut lab = lab();
        perform(&mut lab, &CreateVpc::default().plan().unwrap()).unwrap();
        let private: Vec<_> = subnets(&mut lab).into_iter().filter(|s| s.name.contains("private")).collect();
        let group = CreateSubnetGroup {
            name: "shop-private".into(),
            description: "the shop's private subnets".into(),
            vpc_id: private[0].vpc.clone(),
            subnet_ids: private.iter().map(|s| s.id.clone()).collect(),
        };
        let plan = group.plan().unwrap();
        assert_cli_round_trips(&plan);
        perform(&mut lab, &plan).unwrap();
        let listed = subnet_groups(&mut lab).into_iter().find(|g| g.name == "shop-private").unwrap();
        assert_eq!(listed.vpc, private[0].vpc);
        let zones: Vec<&str> = listed.subnets.iter().map(|(_, z)| z.as_str()).collect();
        assert_eq!(zones, ["us-east-1a", "us-east-1b"]);

        let mut db = CreateDatabase::new(EngineChoice::Mysql, Template::Production);
        db.identifier = "shop-db".into();
        db.master_password = "s3cret-pass".into();
        db.confirm_password = db.master_password.clone();
        db.subnet_group = "shop-private".into();
        perform(&mut lab, &db.plan().unwrap()).unwrap();
        let described = describe_instance(&mut lab, "shop-db").unwrap();
        assert_eq!(described.pointer("/DBSubnetGroup/VpcId").and_then(Value::as_str), Some(private[0].vpc.as_str()));
        assert_eq!(described["MultiAZ"], true);

        // Modify: only what changed goes, applied now.
        let mut modify = ModifyDatabase::from_description(&described);
        assert!(modify.plan().unwrap_err().contains("haven't changed anything"));
        modify.backup_retention = 14;
        modify.apply_immediately = true;
        let plan = modify.plan().unwrap();
        assert_eq!(
            plan[0].request,
            json!({"DBInstanceIdentifier": "shop-db", "BackupRetentionPeriod": 14, "ApplyImmediately": true})
        );
        assert_cli_round_trips(&plan);
        lab.advance(crate::cloud::time::Duration(30 * 60_000));
        perform(&mut lab, &plan).unwrap();
        assert_eq!(describe_instance(&mut lab, "shop-db").unwrap()["BackupRetentionPeriod"], 14);

        // A snapshot, listed, restored to a new database, then deleted.
        perform(&mut lab, &[take_snapshot("shop-db", "shop-db-before")]).unwrap();
        lab.advance(crate::cloud::time::Duration(30 * 60_000));
        let snapshot = snapshots(&mut lab).into_iter().find(|s| s.id == "shop-db-before").unwrap();
        assert_eq!((snapshot.database.as_str(), snapshot.kind.as_str()), ("shop-db", "manual"));
        let restore = restore_snapshot("shop-db-before", "shop-db-copy");
        assert_cli_round_trips(std::slice::from_ref(&restore));
        perform(&mut lab, &[restore]).unwrap();
        assert!(describe_instance(&mut lab, "shop-db-copy").is_some());
        perform(&mut lab, &[delete_snapshot("shop-db-before")]).unwrap();
        assert!(snapshots(&mut lab).iter().all(|s| s.id != "shop-db-before"));

        // The database's automated backups, with a window that ends about now.
        let backup = automated_backups(&mut lab).into_iter().find(|b| b.database == "shop-db").unwrap();
        assert_eq!(backup.retention_days, 14);
        assert!(!backup.earliest.is_empty() && backup.earliest <= backup.latest, "{backup:?}");
    }

    #[test]
    fn a_subnet_group_in_one_zone_is_refused_as_rds_refuses_it() {
        let mut lab = lab();
        perform(
            &mut lab,
            &CreateVpc { zones: 1, public_subnets: 0, private_subnets: 1, ..CreateVpc::default() }.plan().unwrap(),
        )
        .unwrap();
        let only = subnets(&mut lab).into_iter().find(|s| s.name.contains("private1")).unwrap();
        let group = CreateSubnetGroup {
            name: "one-zone".into(),
            description: "x".into(),
            vpc_id: only.vpc.clone(),
            subnet_ids: vec![only.id],
        };
        let error = perform(&mut lab, &group.plan().unwrap()).unwrap_err();
        assert_eq!(error.code, "DBSubnetGroupDoesNotCoverEnoughAZs", "{error:?}");
        assert!(CreateSubnetGroup::default().plan().is_err());
    }
}
