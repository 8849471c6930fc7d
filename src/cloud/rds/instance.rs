//! DB instances: `create-db-instance`, `describe-db-instances`, `reboot-db-instance` (with
//! `--force-failover`), `delete-db-instance`, and the steps of their lifecycle on the clock
//! (`modify-db-instance` is in [`super::modify`]).

use super::engine::Engine;
use super::snapshot::SnapshotStatus;
use super::status::DbStatus;
use super::subnet_group::{default_group, other_zone, DbSubnetGroup};
use super::RdsCtx;
use super::{Rds, RdsTimer, Step};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::network::cidr::Ip;
use crate::cloud::network::Network;
use crate::cloud::time::{Duration, Timestamp};
use crate::engines::rng::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// DB instance classes the lab offers: (class, vCPUs, memory GiB).
pub const CLASSES: &[(&str, u32, u32)] = &[
    ("db.t3.micro", 2, 1),
    ("db.t3.small", 2, 2),
    ("db.t3.medium", 2, 4),
    ("db.t4g.micro", 2, 1),
    ("db.t4g.small", 2, 2),
    ("db.m5.large", 2, 8),
    ("db.m6g.large", 2, 8),
    ("db.r5.large", 2, 16),
    ("db.r6g.large", 2, 16),
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbInstance {
    pub id: String,
    pub engine: Engine,
    pub engine_version: String,
    pub class: String,
    pub storage_gib: i64,
    pub storage_type: String,
    pub master_username: String,
    /// Kept to check client logins (`mysql -h ... -p`).
    pub master_password: String,
    pub db_name: Option<String>,
    pub port: u16,
    pub subnet_group: String,
    pub security_groups: Vec<String>,
    pub zone: String,
    pub subnet_id: String,
    pub private_ip: Ip,
    pub public_ip: Option<Ip>,
    pub multi_az: bool,
    /// The standby's place (Multi-AZ only).
    pub standby: Option<Placement>,
    pub publicly_accessible: bool,
    pub backup_retention: i64,
    pub status: DbStatus,
    pub created: Timestamp,
    pub resource_id: String,
    pub deletion_protection: bool,
    /// Changes waiting for the maintenance window (modify without --apply-immediately).
    pub pending: super::modify::PendingModifications,
    pub tags: Vec<(String, String)>,
    /// The source instance, while this one is its read replica.
    pub replica_source: Option<String>,
    /// The Aurora DB cluster this instance belongs to.
    pub cluster: Option<String>,
    /// Aurora's failover order: the reader with the lowest tier is promoted first.
    pub promotion_tier: i64,
}

/// Where one copy of an instance runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    pub zone: String,
    pub subnet_id: String,
    pub private_ip: Ip,
    /// The copy's public address, for a publicly accessible instance in a public subnet: after
    /// a failover the endpoint resolves to it from outside the VPC.
    pub public_ip: Option<Ip>,
}

impl DbInstance {
    pub fn endpoint(&self, suffix: &str) -> String {
        format!("{}.{suffix}.us-east-1.rds.amazonaws.com", self.id)
    }

    /// Whether the database accepts connections now.
    pub fn listening(&self) -> bool {
        matches!(
            self.status,
            DbStatus::Available
                | DbStatus::BackingUp
                | DbStatus::Modifying
                | DbStatus::StorageOptimization
                | DbStatus::ResettingMasterCredentials
        )
    }

    pub fn arn(&self, account: &str) -> String {
        format!("arn:aws:rds:us-east-1:{account}:db:{}", self.id)
    }

    pub fn to_json(&self, rds: &Rds, net: &Network, account: &str, now: Timestamp) -> Value {
        let group = find_group(rds, net, &self.subnet_group);
        let names = self.engine.names();
        let mut v = json!({
            "DBInstanceIdentifier": self.id,
            "DBInstanceClass": self.class,
            "Engine": self.engine,
            "DBInstanceStatus": self.status,
            "MasterUsername": self.master_username,
            "AllocatedStorage": self.storage_gib,
            "PreferredBackupWindow": "03:17-03:47",
            // An Aurora instance shows its cluster's retention: backups belong to the cluster volume.
            "BackupRetentionPeriod": self.cluster.as_deref().and_then(|c| rds.cluster(c)).map_or(self.backup_retention, |c| c.backup_retention),
            "DBSecurityGroups": [],
            "VpcSecurityGroups": self.security_groups.iter().map(|g| json!({"VpcSecurityGroupId": g, "Status": "active"})).collect::<Vec<_>>(),
            "DBParameterGroups": [{"DBParameterGroupName": format!("default.{}", names.parameter_family), "ParameterApplyStatus": "in-sync"}],
            "AvailabilityZone": self.zone,
            "DBSubnetGroup": group.map(|g| g.to_json(net, account)).unwrap_or(Value::Null),
            "PreferredMaintenanceWindow": "sun:05:46-sun:06:16",
            "PendingModifiedValues": self.pending.to_json(),
            "MultiAZ": self.multi_az,
            "EngineVersion": self.engine_version,
            "AutoMinorVersionUpgrade": true,
            "ReadReplicaDBInstanceIdentifiers": rds.instances.iter().filter(|r| r.replica_source.as_deref() == Some(&self.id)).map(|r| r.id.clone()).collect::<Vec<_>>(),
            "LicenseModel": names.license,
            "OptionGroupMemberships": [{"OptionGroupName": names.option_group, "Status": "in-sync"}],
            "PubliclyAccessible": self.publicly_accessible,
            "StorageType": self.storage_type,
            "DbInstancePort": 0,
            "StorageEncrypted": false,
            "DbiResourceId": self.resource_id,
            "CACertificateIdentifier": "rds-ca-rsa2048-g1",
            "CopyTagsToSnapshot": false,
            "MonitoringInterval": 0,
            "DBInstanceArn": self.arn(account),
            "IAMDatabaseAuthenticationEnabled": false,
            "PerformanceInsightsEnabled": false,
            "DeletionProtection": self.deletion_protection,
            "TagList": self.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
            "CustomerOwnedIpEnabled": false,
            "BackupTarget": "region",
            "NetworkType": "IPV4",
            "StorageThroughput": 0,
            "DedicatedLogVolume": false,
        });
        if self.status != DbStatus::Creating {
            v["Endpoint"] = json!({"Address": self.endpoint(&rds.endpoint_suffix), "Port": self.port, "HostedZoneId": "Z2R2ITUGPM61AM"});
            v["InstanceCreateTime"] = json!(self.created.to_aws_string());
            if let Some((_, latest)) = super::backup::window(rds, &self.id, now) {
                v["LatestRestorableTime"] = json!(latest.to_aws_string());
            }
        }
        if let Some(name) = &self.db_name {
            v["DBName"] = json!(name);
        }
        if let Some(standby) = &self.standby {
            v["SecondaryAvailabilityZone"] = json!(standby.zone);
        }
        if let Some(cluster) = &self.cluster {
            v["DBClusterIdentifier"] = json!(cluster);
            v["PromotionTier"] = json!(self.promotion_tier);
            v["AllocatedStorage"] = json!(1);
            v["StorageType"] = json!("aurora");
        }
        if let Some(source) = &self.replica_source {
            v["ReadReplicaSourceDBInstanceIdentifier"] = json!(source);
            if self.status != DbStatus::Creating {
                v["StatusInfos"] = json!([{"StatusType": "read replication", "Normal": true, "Status": "replicating"}]);
            }
        }
        v
    }
}

pub(super) fn find_group(rds: &Rds, net: &Network, name: &str) -> Option<DbSubnetGroup> {
    if name == "default" {
        default_group(net)
    } else {
        rds.subnet_groups.iter().find(|g| g.name == name).cloned()
    }
}

/// The answer of an operation on one DB instance: `{"DBInstance": ...}` as it stands now.
pub(super) fn instance_reply(rds: &Rds, net: &Network, account: &str, now: Timestamp, id: &str) -> ApiResult {
    let instance = rds.instance(id).ok_or_else(|| not_found(id))?;
    Ok(json!({ "DBInstance": instance.to_json(rds, net, account, now) }))
}

pub(super) fn not_found(id: &str) -> ApiError {
    ApiError::new("DBInstanceNotFound", 404, format!("DBInstance {id} not found."))
}

pub(super) fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::client("InvalidParameterValue", message)
}

/// RDS identifiers: 1-63 letters, digits and hyphens, starting with a letter, no double or
/// trailing hyphen; stored in lower case.
pub(super) fn check_identifier(id: &str) -> Result<String, ApiError> {
    let lower = id.to_ascii_lowercase();
    let ok = !lower.is_empty()
        && lower.len() <= 63
        && lower.starts_with(|c: char| c.is_ascii_alphabetic())
        && lower.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !lower.contains("--")
        && !lower.ends_with('-');
    if ok {
        Ok(lower)
    } else {
        Err(invalid("The parameter DBInstanceIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens."))
    }
}

/// Places one copy of an instance in a zone of its subnet group.
pub(super) fn place(net: &mut Network, group: &DbSubnetGroup, zone: &str, owner: &str) -> Option<Placement> {
    let subnet_id = group.subnet_ids.iter().find(|id| net.subnet(id).is_some_and(|s| s.zone == zone))?.clone();
    let private_ip = net.reserve_ip(&subnet_id, owner)?;
    Some(Placement { zone: zone.to_string(), subnet_id, private_ip, public_ip: None })
}

pub(super) fn schedule(rds: &mut Rds, now: Timestamp, secs: u64, instance: &str, step: Step) {
    rds.pending_events
        .push((now.plus(Duration::from_secs(secs as i64)), RdsTimer { instance: instance.to_string(), step }));
}

/// `DescribeDBInstances`.
pub fn describe_db_instances(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, now, account, .. } = c;
    let found: Vec<&DbInstance> = match req.str("DBInstanceIdentifier")? {
        Some(id) => vec![rds.instance(&id.to_ascii_lowercase()).ok_or_else(|| not_found(id))?],
        None => rds.instances.iter().collect(),
    };
    let out: Vec<Value> = found.into_iter().map(|i| i.to_json(rds, net, account, now)).collect();
    Ok(json!({ "DBInstances": out }))
}

/// `RebootDBInstance`.
pub fn reboot_db_instance(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    let id = req.required_str("DBInstanceIdentifier")?.to_ascii_lowercase();
    let failover = req.bool("ForceFailover")?.unwrap_or(false);
    let instance = rds.instances.iter_mut().find(|i| i.id == id).ok_or_else(|| not_found(&id))?;
    if instance.status != DbStatus::Available {
        return Err(ApiError::client("InvalidDBInstanceState", format!("DB instance {id} is not in available state.")));
    }
    if failover && !instance.multi_az {
        return Err(ApiError::client(
            "InvalidParameterCombination",
            "Cannot do a reboot with failover on a DB instance that is not Multi-AZ.",
        ));
    }
    instance.status = DbStatus::Rebooting;
    if let Some(data) = rds.data.get_mut(&id) {
        data.restart();
    }
    if failover {
        rds.log.record(now, &id, "db-instance", "Multi-AZ instance failover started.", "failover");
        schedule(rds, now, rng.range(60, 120), &id, Step::FailedOver);
    } else {
        rds.log.record(now, &id, "db-instance", "DB instance shutdown", "availability");
        schedule(rds, now, rng.range(20, 45), &id, Step::Rebooted);
    }
    instance_reply(rds, net, account, now, &id)
}

/// `DeleteDBInstance`.
pub fn delete_db_instance(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    let id = req.required_str("DBInstanceIdentifier")?.to_ascii_lowercase();
    let skip = req.bool("SkipFinalSnapshot")?.unwrap_or(false);
    let final_snapshot = req.str("FinalDBSnapshotIdentifier")?;
    let instance = rds.instance(&id).ok_or_else(|| not_found(&id))?;
    if instance.deletion_protection {
        return Err(invalid(format!("The DB instance {id} has deletion protection enabled, which prevents you from deleting it. To delete this DB instance, first use modify-db-instance to disable deletion protection.")));
    }
    if !skip && final_snapshot.is_none() {
        return Err(ApiError::client(
            "InvalidParameterCombination",
            "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
        ));
    }
    if skip && final_snapshot.is_some() {
        return Err(ApiError::client(
            "InvalidParameterCombination",
            "Cannot specify both SkipFinalSnapshot and FinalDBSnapshotIdentifier.",
        ));
    }
    if instance.status == DbStatus::Deleting {
        return Err(ApiError::client("InvalidDBInstanceState", format!("Instance {id} is already being deleted.")));
    }
    if let Some(snapshot_id) = final_snapshot {
        super::snapshot::start_manual(rds, net, rng, now, &id, snapshot_id)?;
    }
    if let Some(i) = rds.instances.iter_mut().find(|i| i.id == id) {
        i.status = DbStatus::Deleting;
    }
    rds.log.record(now, &id, "db-instance", "DB instance deletion started", "deletion");
    schedule(rds, now, rng.range(60, 180), &id, Step::Deleted);
    instance_reply(rds, net, account, now, &id)
}

/// `CreateDBInstance`.
pub fn create_db_instance(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    if let Some(cluster) = req.str("DBClusterIdentifier")? {
        let id = super::cluster::create_instance(rds, net, rng, now, req, cluster)?;
        return instance_reply(rds, net, account, now, &id);
    }
    let id = check_identifier(req.required_str("DBInstanceIdentifier")?)?;
    let class = req.required_str("DBInstanceClass")?;
    let engine = req.required_str("Engine")?.to_ascii_lowercase();
    let (kind, engine_version, default_port) = match engine.as_str() {
        "mysql" => (Engine::Mysql, "8.0.39", 3306u16),
        "postgres" => (Engine::Postgres, "16.4", 5432u16),
        "aurora-mysql" | "aurora-postgresql" => {
            return Err(ApiError::client(
                "InvalidParameterCombination",
                format!("An {engine} DB instance belongs to a DB cluster: create the cluster with create-db-cluster, then add instances with --db-cluster-identifier."),
            ))
        }
        "mariadb" | "oracle-ee" | "sqlserver-ex" | "db2-se" => {
            return Err(invalid(format!(
                "The lab runs MySQL and PostgreSQL instances; engine {engine} is not available here."
            )))
        }
        other => return Err(invalid(format!("Invalid DB engine: {other}"))),
    };
    if !CLASSES.iter().any(|c| c.0 == class) {
        return Err(invalid(format!("Invalid DB Instance class: {class}")));
    }
    if rds.instance(&id).is_some() {
        return Err(ApiError::client("DBInstanceAlreadyExists", "DB instance already exists"));
    }
    let storage = req
        .int("AllocatedStorage")?
        .ok_or_else(|| invalid("The parameter AllocatedStorage must be provided and must not be null."))?;
    if !(20..=65536).contains(&storage) {
        return Err(invalid(
            "Invalid storage size for engine name ".to_string()
                + &engine
                + " and storage type gp2: "
                + &storage.to_string(),
        ));
    }
    let master = req
        .str("MasterUsername")?
        .ok_or_else(|| invalid("The parameter MasterUsername must be provided and must not be blank."))?;
    let valid_user = master.len() <= 16
        && master.starts_with(|c: char| c.is_ascii_alphabetic())
        && master.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid_user {
        return Err(invalid("The parameter MasterUsername is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and underscores."));
    }
    if engine == "postgres" && matches!(master.to_ascii_lowercase().as_str(), "postgres" | "rdsadmin") {
        return Err(invalid(format!(
            "MasterUsername {master} cannot be used as it is a reserved word used by the engine"
        )));
    }
    let password = req
        .str("MasterUserPassword")?
        .ok_or_else(|| invalid("The parameter MasterUserPassword must be provided and must not be blank."))?;
    if password.len() < 8 {
        return Err(invalid(
            "The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.",
        ));
    }
    if password.chars().any(|c| matches!(c, '/' | '"' | '@' | ' ')) {
        return Err(invalid("The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used."));
    }
    let retention = req.int("BackupRetentionPeriod")?.unwrap_or(1);
    if !(0..=35).contains(&retention) {
        return Err(invalid(format!(
            "Invalid backup retention period: {retention}. Backup retention period must be between 0 and 35 days."
        )));
    }
    let spec = Launch {
        id: id.clone(),
        engine: kind,
        engine_version: req.str("EngineVersion")?.unwrap_or(engine_version).to_string(),
        class: class.to_string(),
        storage_gib: storage,
        storage_type: req.str("StorageType")?.unwrap_or("gp2").to_string(),
        master_username: master.to_string(),
        master_password: password.to_string(),
        db_name: req.str("DBName")?.map(str::to_string),
        port: req.int("Port")?.map(|p| p as u16).unwrap_or(default_port),
        backup_retention: retention,
        replica_source: None,
        subnet_group: None,
        security_groups: Vec::new(),
        cluster: None,
    };
    let data = super::data::DbData::new(
        spec.engine.as_str(),
        &spec.master_username,
        &spec.master_password,
        spec.db_name.as_deref(),
        req.bool("MultiAZ")?.unwrap_or(false),
        now.0.saturating_mul(1000),
    );
    launch(rds, net, rng, now, req, spec, Some(data), "DB instance created")?;
    instance_reply(rds, net, account, now, &id)
}

/// What a new instance is, however it comes about (created, restored, a read replica).
pub struct Launch {
    pub id: String,
    pub engine: Engine,
    pub engine_version: String,
    pub class: String,
    pub storage_gib: i64,
    pub storage_type: String,
    pub master_username: String,
    pub master_password: String,
    pub db_name: Option<String>,
    pub port: u16,
    pub backup_retention: i64,
    pub replica_source: Option<String>,
    /// The subnet group when the request names none (a replica uses its source's).
    pub subnet_group: Option<String>,
    /// Security groups that override the request's (an Aurora instance takes its cluster's).
    pub security_groups: Vec<String>,
    /// The Aurora cluster the instance belongs to.
    pub cluster: Option<String>,
}

/// Places a new instance in the network and starts its creation on the clock. Where it goes
/// comes from the request's common members (`DBSubnetGroupName`, `AvailabilityZone`,
/// `MultiAZ`, `VpcSecurityGroupIds`, `PubliclyAccessible`, `DeletionProtection`); what it
/// stores is `data`. `message` is the first event RDS records for it.
#[allow(clippy::too_many_arguments)]
pub fn launch(
    rds: &mut Rds,
    net: &mut Network,
    rng: &mut Rng,
    now: Timestamp,
    req: &Request,
    spec: Launch,
    data: Option<super::data::DbData>,
    message: &str,
) -> Result<(), ApiError> {
    let id = spec.id.clone();
    if rds.instance(&id).is_some() {
        return Err(ApiError::client("DBInstanceAlreadyExists", "DB instance already exists"));
    }
    let group_name = match req.str("DBSubnetGroupName")? {
        Some(name) => name.to_ascii_lowercase(),
        None => spec.subnet_group.clone().unwrap_or_else(|| "default".into()),
    };
    let group = find_group(rds, net, &group_name).ok_or_else(|| {
        ApiError::new("DBSubnetGroupNotFoundFault", 404, format!("DBSubnetGroup '{group_name}' not found."))
    })?;
    let zones = group.zones(net);
    let multi_az = req.bool("MultiAZ")?.unwrap_or(false);
    let zone = match req.str("AvailabilityZone")? {
        Some(_) if multi_az => {
            return Err(ApiError::client(
                "InvalidParameterCombination",
                "Requesting a specific availability zone is not valid for Multi-AZ instances.",
            ));
        }
        Some(z) if zones.iter().any(|x| x == z) => z.to_string(),
        Some(z) => return Err(invalid(format!("DB subnet group '{group_name}' does not cover availability zone {z}"))),
        None => zones.get(rng.range(0, zones.len().saturating_sub(1) as u64) as usize).cloned().unwrap_or_default(),
    };
    let mut groups = if spec.security_groups.is_empty() {
        req.str_list("VpcSecurityGroupIds")?
    } else {
        spec.security_groups.clone()
    };
    for g in &groups {
        match net.security_group(g) {
            None => return Err(invalid(format!("Invalid security group , groupId= {g}, groupName=."))),
            Some(sg) if sg.vpc_id != group.vpc_id => {
                return Err(invalid(format!("The DB instance and EC2 security group are in different VPCs. The DB instance is in {} and the EC2 security group is in {}", group.vpc_id, sg.vpc_id)))
            }
            _ => {}
        }
    }
    if groups.is_empty() {
        if let Some(default) = net.security_groups.iter().find(|g| g.vpc_id == group.vpc_id && g.name == "default") {
            groups.push(default.id.clone());
        }
    }
    let publicly_accessible = req.bool("PubliclyAccessible")?.unwrap_or(false);
    let primary = place(net, &group, &zone, &id).ok_or_else(|| {
        ApiError::client(
            "InsufficientDBInstanceCapacity",
            format!("There are not enough free addresses in the DB subnet group '{group_name}'."),
        )
    })?;
    let standby = if multi_az {
        let standby_zone = other_zone(&zones, &zone).unwrap_or_default();
        place(net, &group, &standby_zone, &format!("{id}-standby"))
    } else {
        None
    };
    let public_ip = (publicly_accessible && net.subnet(&primary.subnet_id).is_some_and(|s| net.is_public_subnet(s)))
        .then(|| net.next_public_ip());
    let standby = standby.map(|mut s| {
        if publicly_accessible && net.subnet(&s.subnet_id).is_some_and(|sub| net.is_public_subnet(sub)) {
            s.public_ip = Some(net.next_public_ip());
        }
        s
    });
    let instance = DbInstance {
        id: id.clone(),
        engine: spec.engine,
        engine_version: spec.engine_version,
        class: spec.class,
        storage_gib: spec.storage_gib,
        storage_type: spec.storage_type,
        master_username: spec.master_username,
        master_password: spec.master_password,
        db_name: spec.db_name,
        port: spec.port,
        subnet_group: group_name,
        security_groups: groups,
        zone: primary.zone.clone(),
        subnet_id: primary.subnet_id.clone(),
        private_ip: primary.private_ip,
        public_ip,
        multi_az,
        standby,
        publicly_accessible,
        backup_retention: spec.backup_retention,
        status: DbStatus::Creating,
        created: now,
        resource_id: format!("db-{}", rng.string(crate::engines::rng::UPPER_ALNUM, 26)),
        deletion_protection: req.bool("DeletionProtection")?.unwrap_or(false),
        pending: super::modify::PendingModifications::default(),
        tags: Vec::new(),
        replica_source: spec.replica_source,
        cluster: spec.cluster,
        promotion_tier: req.int("PromotionTier")?.unwrap_or(1),
    };
    // An Aurora writer has no data of its own: it works on the cluster volume.
    if let Some(mut data) = data {
        data.set_multi_az(multi_az);
        rds.data.insert(id.clone(), data);
    }
    rds.instances.push(instance);
    rds.log.record(now, &id, "db-instance", message, "creation");
    schedule(rds, now, rng.range(300, 480), &id, Step::Created);
    Ok(())
}

/// A Multi-AZ failover's effect on placement: the standby's place becomes the primary's (the
/// endpoint's DNS follows `private_ip`), the old primary's place becomes the standby.
fn swap_roles(i: &mut DbInstance) {
    if let Some(standby) = i.standby.take() {
        let old = Placement {
            zone: i.zone.clone(),
            subnet_id: i.subnet_id.clone(),
            private_ip: i.private_ip,
            public_ip: i.public_ip,
        };
        i.zone = standby.zone;
        i.subnet_id = standby.subnet_id;
        i.private_ip = standby.private_ip;
        i.public_ip = standby.public_ip.or(i.public_ip);
        i.standby = Some(old);
    }
}

/// A Multi-AZ failover's end: the standby is the primary (its data takes over), the instance is
/// available again, and the event that lessons count is recorded.
fn complete_failover(
    i: &mut DbInstance,
    data: &mut std::collections::BTreeMap<String, super::data::DbData>,
    log: &mut super::log::EventLog,
    now: Timestamp,
) {
    swap_roles(i);
    i.status = DbStatus::Available;
    if let Some(data) = data.get_mut(&i.id) {
        data.fail_over();
    }
    let completed = super::log::EventKind::FailoverCompleted;
    log.record_kind(now, &i.id, "db-instance", completed, "Multi-AZ instance failover completed.", "failover");
}

/// A lifecycle step falls due.
pub fn advance(rds: &mut Rds, net: &mut Network, rng: &mut Rng, now: Timestamp, timer: RdsTimer) {
    let id = timer.instance;
    let Some(i) = rds.instances.iter_mut().find(|i| i.id == id) else { return };
    match timer.step {
        Step::Created => {
            if i.replica_source.is_some() {
                rds.log.record(now, &id, "db-instance", "Replication for the Read Replica resumed", "read replica");
            }
            if i.backup_retention > 0 {
                i.status = DbStatus::BackingUp;
                rds.log.record(now, &id, "db-instance", "Backing up DB instance", "backup");
                schedule(rds, now, rng.range(60, 120), &id, Step::BackedUp);
            } else {
                i.status = DbStatus::Available;
            }
        }
        Step::BackedUp => {
            i.status = DbStatus::Available;
            if i.backup_retention > 0 {
                super::backup::take_automated(rds, net, now, &id);
                rds.log.record(now, &id, "db-instance", "Finished DB Instance backup", "backup");
                let next = super::backup::next_window(now);
                rds.pending_events.push((next, RdsTimer { instance: id.clone(), step: Step::DailyBackup }));
            }
        }
        Step::DailyBackup => super::backup::daily(rds, net, now, &id),
        Step::SnapshotTaken { snapshot } => {
            if i.status == DbStatus::BackingUp {
                i.status = DbStatus::Available;
            }
            if let Some(s) = rds.snapshots.iter_mut().find(|s| s.id == snapshot) {
                s.status = SnapshotStatus::Available;
                rds.log.record(now, &snapshot, "db-snapshot", "Manual snapshot created", "creation");
            }
        }
        Step::Promoted => {
            if i.backup_retention > 0 {
                i.status = DbStatus::BackingUp;
                rds.log.record(
                    now,
                    &id,
                    "db-instance",
                    "Promoted Read Replica to a standalone DB instance",
                    "read replica",
                );
                schedule(rds, now, rng.range(60, 120), &id, Step::BackedUp);
            } else {
                i.status = DbStatus::Available;
                rds.log.record(
                    now,
                    &id,
                    "db-instance",
                    "Promoted Read Replica to a standalone DB instance",
                    "read replica",
                );
            }
        }
        // Cluster steps are the cluster's (`Rds::apply` takes them).
        Step::ClusterCreated | Step::ClusterFailover { .. } => {}
        Step::Recovered => {
            i.status = DbStatus::Available;
            rds.log.record(now, &id, "db-instance", "Recovery of the DB instance is complete.", "recovery");
        }
        Step::Rebooted => {
            i.status = DbStatus::Available;
            rds.log.record(now, &id, "db-instance", "DB instance restarted", "availability");
        }
        Step::FailedOver => {
            complete_failover(i, &mut rds.data, &mut rds.log, now);
            rds.log.record(now, &id, "db-instance", "DB instance restarted", "availability");
        }
        Step::ModifiedWithFailover => {
            // The standby got the new class first; a failover then puts it in charge, and the
            // old primary is modified as the new standby.
            rds.log.record(now, &id, "db-instance", "Multi-AZ instance failover started.", "failover");
            complete_failover(i, &mut rds.data, &mut rds.log, now);
            rds.log.record(
                now,
                &id,
                "db-instance",
                "Finished applying modification to DB instance class",
                "configuration change",
            );
        }
        Step::Modified => {
            i.status = DbStatus::Available;
            rds.log.record(
                now,
                &id,
                "db-instance",
                "Finished applying modification to DB instance class",
                "configuration change",
            );
        }
        Step::Deleted => {
            // An Aurora writer going away hands the volume to the best reader at once.
            if let Some(cluster) = i.cluster.clone() {
                if super::cluster::writer(rds, &cluster).as_deref() == Some(id.as_str()) {
                    let next = rds
                        .instances
                        .iter()
                        .filter(|r| {
                            r.cluster.as_deref() == Some(&cluster) && r.id != id && rds.data.contains_key(&r.id)
                        })
                        .min_by_key(|r| (r.promotion_tier, r.id.clone()))
                        .map(|r| r.id.clone());
                    if let Some(next) = next {
                        super::cluster::complete_failover(rds, now, &next, &id);
                    }
                }
            }
            // Replicas of a deleted source carry on as standalone instances.
            let orphans: Vec<String> = rds
                .instances
                .iter()
                .filter(|r| r.replica_source.as_deref() == Some(id.as_str()))
                .map(|r| r.id.clone())
                .collect();
            for replica in orphans {
                super::replica::detach(rds, &replica, now);
            }
            super::backup::drop_automated(rds, &id);
            rds.instances.retain(|i| i.id != id);
            rds.data.remove(&id);
            net.release_ips(&id);
            net.release_ips(&format!("{id}-standby"));
            rds.log.record(now, &id, "db-instance", "DB instance deleted", "deletion");
        }
    }
}
