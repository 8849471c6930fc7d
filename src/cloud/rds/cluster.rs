//! Aurora DB clusters: `create-db-cluster`, `describe-db-clusters`, `delete-db-cluster`,
//! `failover-db-cluster`, and the instances that join a cluster (`create-db-instance
//! --db-cluster-identifier`).
//!
//! ```text
//!              cluster endpoint ──▶ writer ─┐
//!   reader endpoint ──▶ reader 1, reader 2  │ all on one cluster volume:
//!                                           ▼ 6 copies, 2 in each of 3 AZs
//!                     ┌──────── cluster volume (the data, keyed by the cluster id) ────────┐
//! ```
//!
//! The data lives once, on the cluster volume ([`volume_key`] in `rds.data`); the writer works on it
//! directly, so a failover loses nothing by construction. A reader is modelled as a read-only
//! view fed from the volume's commit log with Aurora's 10-20 ms lag ([`replica`] with
//! `shared_volume`). A failover (asked for, or after the writer's host or zone fails) promotes
//! the reader with the lowest promotion tier in about 30 seconds; the cluster endpoint follows
//! it, and the old writer comes back as a reader.

use super::data::DbData;
use super::engine::Engine;
use super::instance::{invalid, launch, schedule, Launch};
use super::status::DbStatus;
use super::RdsCtx;
use super::{Rds, Step};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::network::{Network, ZONES};
use crate::cloud::time::Timestamp;
use crate::engines::rng::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Instance classes Aurora offers in the lab (Aurora has no micro or small classes).
pub const AURORA_CLASSES: &[&str] = &["db.t3.medium", "db.t4g.medium", "db.r5.large", "db.r6g.large"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbCluster {
    pub id: String,
    /// `aurora-mysql` or `aurora-postgresql`.
    pub engine: Engine,
    pub engine_version: String,
    pub master_username: String,
    pub master_password: String,
    pub database_name: Option<String>,
    pub port: u16,
    pub subnet_group: String,
    pub security_groups: Vec<String>,
    pub status: DbStatus,
    pub created: Timestamp,
    pub resource_id: String,
    pub backup_retention: i64,
    pub deletion_protection: bool,
}

impl DbCluster {
    pub fn endpoint(&self, suffix: &str) -> String {
        format!("{}.cluster-{suffix}.us-east-1.rds.amazonaws.com", self.id)
    }

    pub fn reader_endpoint(&self, suffix: &str) -> String {
        format!("{}.cluster-ro-{suffix}.us-east-1.rds.amazonaws.com", self.id)
    }

    fn to_json(&self, rds: &Rds, account: &str, now: Timestamp) -> Value {
        let members: Vec<Value> = rds
            .instances
            .iter()
            .filter(|i| i.cluster.as_deref() == Some(&self.id))
            .map(|i| {
                json!({
                    "DBInstanceIdentifier": i.id,
                    "IsClusterWriter": writer(rds, &self.id).is_some_and(|w| w == i.id),
                    "DBClusterParameterGroupStatus": "in-sync",
                    "PromotionTier": i.promotion_tier,
                })
            })
            .collect();
        let family = self.engine.names().parameter_family;
        let restorable = Timestamp(now.0 - now.0.rem_euclid(300_000));
        json!({
            "AllocatedStorage": 1,
            "AvailabilityZones": ZONES,
            "BackupRetentionPeriod": self.backup_retention,
            "DatabaseName": self.database_name,
            "DBClusterIdentifier": self.id,
            "DBClusterParameterGroup": format!("default.{family}"),
            "DBSubnetGroup": self.subnet_group,
            "Status": self.status,
            "EarliestRestorableTime": self.created.to_aws_string(),
            "Endpoint": self.endpoint(&rds.endpoint_suffix),
            "ReaderEndpoint": self.reader_endpoint(&rds.endpoint_suffix),
            "MultiAZ": members.len() > 1,
            "Engine": self.engine,
            "EngineVersion": self.engine_version,
            "LatestRestorableTime": restorable.max(self.created).to_aws_string(),
            "Port": self.port,
            "MasterUsername": self.master_username,
            "PreferredBackupWindow": "03:17-03:47",
            "PreferredMaintenanceWindow": "sun:05:46-sun:06:16",
            "ReadReplicaIdentifiers": [],
            "DBClusterMembers": members,
            "VpcSecurityGroups": self.security_groups.iter().map(|g| json!({"VpcSecurityGroupId": g, "Status": "active"})).collect::<Vec<_>>(),
            "HostedZoneId": "Z2R2ITUGPM61AM",
            "StorageEncrypted": false,
            "DbClusterResourceId": self.resource_id,
            "DBClusterArn": format!("arn:aws:rds:us-east-1:{account}:cluster:{}", self.id),
            "AssociatedRoles": [],
            "IAMDatabaseAuthenticationEnabled": false,
            "ClusterCreateTime": self.created.to_aws_string(),
            "EngineMode": "provisioned",
            "DeletionProtection": self.deletion_protection,
            "HttpEndpointEnabled": false,
            "CopyTagsToSnapshot": false,
            "CrossAccountClone": false,
            "DomainMemberships": [],
            "TagList": [],
            "AutoMinorVersionUpgrade": true,
            "NetworkType": "IPV4",
            "StorageType": "aurora",
        })
    }
}

/// Where a cluster's volume lives in `Rds::data` (apart from the instances' own entries, as a
/// cluster and an instance may share a name).
pub fn volume_key(cluster: &str) -> String {
    format!("cluster:{cluster}")
}

/// The cluster's writer instance, if it has one.
pub fn writer(rds: &Rds, cluster: &str) -> Option<String> {
    rds.instances
        .iter()
        .find(|i| i.cluster.as_deref() == Some(cluster) && !rds.data.contains_key(&i.id))
        .map(|i| i.id.clone())
}

/// The readers that could take over, best first: lowest promotion tier, then identifier.
fn candidates(rds: &Rds, net: &Network, cluster: &str) -> Vec<String> {
    let mut readers: Vec<(i64, String)> = rds
        .instances
        .iter()
        .filter(|i| i.cluster.as_deref() == Some(cluster) && rds.data.contains_key(&i.id))
        .filter(|i| i.status == DbStatus::Available && !net.zone_failed(&i.subnet_id))
        .map(|i| (i.promotion_tier, i.id.clone()))
        .collect();
    readers.sort();
    readers.into_iter().map(|(_, id)| id).collect()
}

fn cluster_not_found(id: &str) -> ApiError {
    ApiError::new("DBClusterNotFoundFault", 404, format!("DBCluster {id} not found."))
}

/// `DescribeDBClusters`.
pub fn describe_db_clusters(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, now, account, .. } = c;
    let found: Vec<&DbCluster> = match req.str("DBClusterIdentifier")? {
        Some(id) => {
            vec![rds.cluster(&id.to_ascii_lowercase()).ok_or_else(|| cluster_not_found(id))?]
        }
        None => rds.clusters.iter().collect(),
    };
    Ok(json!({ "DBClusters": found.iter().map(|c| c.to_json(rds, account, now)).collect::<Vec<_>>() }))
}

/// `DeleteDBCluster`.
pub fn delete_db_cluster(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, now, account, .. } = c;
    let id = req.required_str("DBClusterIdentifier")?.to_ascii_lowercase();
    let cluster = rds.cluster(&id).ok_or_else(|| cluster_not_found(&id))?;
    if rds.instances.iter().any(|i| i.cluster.as_deref() == Some(&id)) {
        return Err(ApiError::client(
            "InvalidDBClusterStateFault",
            "Cluster cannot be deleted, it still contains DB instances in non-deleting state.",
        ));
    }
    let skip = req.bool("SkipFinalSnapshot")?.unwrap_or(false);
    if !skip && req.str("FinalDBSnapshotIdentifier")?.is_none() {
        return Err(ApiError::client(
            "InvalidParameterCombination",
            "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
        ));
    }
    let mut out = cluster.to_json(rds, account, now);
    out["Status"] = json!("deleting");
    rds.clusters.retain(|c| c.id != id);
    rds.data.remove(&volume_key(&id));
    rds.log.record(now, &id, "db-cluster", "DB cluster deleted", "deletion");
    Ok(json!({ "DBCluster": out }))
}

/// `FailoverDBCluster`.
pub fn failover_db_cluster(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    let id = req.required_str("DBClusterIdentifier")?.to_ascii_lowercase();
    let cluster = rds.cluster(&id).ok_or_else(|| cluster_not_found(&id))?;
    if cluster.status != DbStatus::Available {
        return Err(ApiError::client(
            "InvalidDBClusterStateFault",
            format!("DB cluster {id} is not in available state."),
        ));
    }
    let target = match req.str("TargetDBInstanceIdentifier")? {
        Some(t) => {
            let t = t.to_ascii_lowercase();
            if !candidates(rds, net, &id).contains(&t) {
                return Err(invalid(format!("Target DB instance {t} is not an available reader of DB cluster {id}.")));
            }
            Some(t)
        }
        None => None,
    };
    fail_over(rds, net, rng, now, &id, target).map_err(|e| ApiError::client("InvalidDBClusterStateFault", e))?;
    let cluster = rds.cluster(&id).ok_or_else(|| cluster_not_found(&id))?;
    Ok(json!({ "DBCluster": cluster.to_json(rds, account, now) }))
}

/// `CreateDBCluster`.
pub fn create_db_cluster(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, rng, now, account } = c;
    let id = super::instance::check_identifier(req.required_str("DBClusterIdentifier")?)
        .map_err(|_| invalid("The parameter DBClusterIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens."))?;
    let engine = req.required_str("Engine")?.to_ascii_lowercase();
    let (kind, version, port) = match engine.as_str() {
        "aurora-mysql" => (Engine::AuroraMysql, "8.0.mysql_aurora.3.05.2", 3306u16),
        "aurora-postgresql" => (Engine::AuroraPostgresql, "16.4", 5432u16),
        other => return Err(invalid(format!("Invalid DB engine: {other}"))),
    };
    if rds.cluster(&id).is_some() {
        return Err(ApiError::client("DBClusterAlreadyExistsFault", "DB Cluster already exists"));
    }
    let master = req
        .str("MasterUsername")?
        .ok_or_else(|| invalid("The parameter MasterUsername must be provided and must not be blank."))?;
    let password = req
        .str("MasterUserPassword")?
        .ok_or_else(|| invalid("The parameter MasterUserPassword must be provided and must not be blank."))?;
    if password.len() < 8 {
        return Err(invalid(
            "The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.",
        ));
    }
    let group_name = req.str("DBSubnetGroupName")?.unwrap_or("default").to_ascii_lowercase();
    let group = if group_name == "default" {
        super::subnet_group::default_group(net)
    } else {
        rds.subnet_groups.iter().find(|g| g.name == group_name).cloned()
    }
    .ok_or_else(|| {
        ApiError::new("DBSubnetGroupNotFoundFault", 404, format!("DBSubnetGroup '{group_name}' not found."))
    })?;
    let mut groups = req.str_list("VpcSecurityGroupIds")?;
    if groups.is_empty() {
        if let Some(default) = net.security_groups.iter().find(|g| g.vpc_id == group.vpc_id && g.name == "default") {
            groups.push(default.id.clone());
        }
    }
    let retention = req.int("BackupRetentionPeriod")?.unwrap_or(1);
    if !(1..=35).contains(&retention) {
        return Err(invalid(format!(
            "Invalid backup retention period: {retention}. Backup retention period must be between 1 and 35 days."
        )));
    }
    let database_name = req.str("DatabaseName")?.map(str::to_string);
    let flavour_engine = if kind == Engine::AuroraMysql { "mysql" } else { "postgres" };
    let volume =
        DbData::new(flavour_engine, master, password, database_name.as_deref(), false, now.0.saturating_mul(1000));
    rds.data.insert(volume_key(&id), volume);
    rds.clusters.push(DbCluster {
        id: id.clone(),
        engine: kind,
        engine_version: req.str("EngineVersion")?.unwrap_or(version).to_string(),
        master_username: master.to_string(),
        master_password: password.to_string(),
        database_name,
        port: req.int("Port")?.map(|p| p as u16).unwrap_or(port),
        subnet_group: group_name,
        security_groups: groups,
        status: DbStatus::Creating,
        created: now,
        resource_id: format!("cluster-{}", rng.string(crate::engines::rng::UPPER_ALNUM, 26)),
        backup_retention: retention,
        deletion_protection: req.bool("DeletionProtection")?.unwrap_or(false),
    });
    rds.log.record(now, &id, "db-cluster", "DB cluster created", "creation");
    schedule(rds, now, rng.range(60, 120), &id, Step::ClusterCreated);
    let cluster = rds.cluster(&id).ok_or_else(|| cluster_not_found(&id))?;
    Ok(json!({ "DBCluster": cluster.to_json(rds, account, now) }))
}

/// `create-db-instance --db-cluster-identifier`: the first instance becomes the writer, the
/// others readers.
pub fn create_instance(
    rds: &mut Rds,
    net: &mut Network,
    rng: &mut Rng,
    now: Timestamp,
    req: &Request,
    cluster_id: &str,
) -> Result<String, ApiError> {
    let id = super::instance::check_identifier(req.required_str("DBInstanceIdentifier")?)?;
    let cluster_id = cluster_id.to_ascii_lowercase();
    let cluster = rds.cluster(&cluster_id).ok_or_else(|| cluster_not_found(&cluster_id))?.clone();
    let engine = req.required_str("Engine")?.to_ascii_lowercase();
    if engine != cluster.engine.as_str() {
        return Err(ApiError::client(
            "InvalidParameterCombination",
            format!("The engine name requested for your DB instance ({engine}) doesn't match the engine name of your DB cluster ({}).", cluster.engine),
        ));
    }
    let class = req.required_str("DBInstanceClass")?;
    if !AURORA_CLASSES.contains(&class) {
        return Err(invalid(format!(
            "RDS does not support creating a DB instance with the following combination: DBInstanceClass={class}, Engine={engine}, EngineVersion={}, LicenseModel={}. For supported combinations of instance class and database engine version, see the documentation.",
            cluster.engine_version,
            cluster.engine.names().license
        )));
    }
    if req.str("MasterUsername")?.is_some() || req.str("MasterUserPassword")?.is_some() {
        return Err(ApiError::client(
            "InvalidParameterCombination",
            "The requested DB Instance will be a member of a DB Cluster. Set master user name and password for the DB Cluster.",
        ));
    }
    let spec = Launch {
        id: id.clone(),
        engine: cluster.engine,
        engine_version: cluster.engine_version.clone(),
        class: class.to_string(),
        storage_gib: 1,
        storage_type: "aurora".into(),
        master_username: cluster.master_username.clone(),
        master_password: cluster.master_password.clone(),
        db_name: cluster.database_name.clone(),
        port: cluster.port,
        backup_retention: 0,
        replica_source: None,
        subnet_group: Some(cluster.subnet_group.clone()),
        security_groups: cluster.security_groups.clone(),
        cluster: Some(cluster_id.clone()),
    };
    // The first instance writes on the volume; later ones read it.
    let data = match writer(rds, &cluster_id) {
        None => None,
        Some(_) => rds.data.get(&volume_key(&cluster_id)).map(|volume| {
            let mut reader = DbData::replica_of(&volume_key(&cluster_id), volume);
            if let Some(r) = &mut reader.replication {
                r.shared_volume = true;
            }
            reader
        }),
    };
    if rds.instance(&id).is_some() {
        return Err(ApiError::client("DBInstanceAlreadyExists", "DB instance already exists"));
    }
    launch(rds, net, rng, now, req, spec, data, "DB instance created")?;
    Ok(id)
}

/// Promotes a reader (the target, or the best candidate) to writer in about 30 seconds. With no
/// reader to promote, Aurora recreates the writer in place, which takes minutes.
pub fn fail_over(
    rds: &mut Rds,
    net: &Network,
    rng: &mut Rng,
    now: Timestamp,
    cluster: &str,
    target: Option<String>,
) -> Result<String, String> {
    let old = writer(rds, cluster).ok_or_else(|| format!("DB cluster {cluster} has no writer instance."))?;
    let Some(new) = target.or_else(|| candidates(rds, net, cluster).into_iter().next()) else {
        if let Some(i) = rds.instances.iter_mut().find(|i| i.id == old) {
            i.status = DbStatus::Rebooting;
        }
        if let Some(volume) = rds.data.get_mut(&volume_key(cluster)) {
            volume.restart();
        }
        rds.log.record(
            now,
            cluster,
            "db-cluster",
            &format!("Recovering the writer DB instance {old}: the cluster has no reader to fail over to."),
            "failover",
        );
        schedule(rds, now, rng.range(300, 600), &old, Step::Recovered);
        return Ok(format!("{cluster}: no reader to promote; Aurora recreates the writer {old} (several minutes)"));
    };
    if let Some(c) = rds.clusters.iter_mut().find(|c| c.id == cluster) {
        c.status = DbStatus::FailingOver;
    }
    if let Some(i) = rds.instances.iter_mut().find(|i| i.id == old) {
        i.status = DbStatus::Rebooting;
    }
    if let Some(volume) = rds.data.get_mut(&volume_key(cluster)) {
        volume.restart();
    }
    rds.log.record(now, cluster, "db-cluster", &format!("Started cross AZ failover to DB instance: {new}"), "failover");
    schedule(rds, now, rng.range(20, 40), &new, Step::ClusterFailover { old: old.clone() });
    Ok(format!("{cluster}: failing over from {old} to {new}"))
}

/// The failover completes: `new` writes on the volume, `old` comes back as a reader.
pub fn complete_failover(rds: &mut Rds, now: Timestamp, new: &str, old: &str) {
    let Some(cluster) = rds.instance(new).and_then(|i| i.cluster.clone()) else { return };
    rds.data.remove(new);
    if let Some(volume) = rds.data.get(&volume_key(&cluster)) {
        let mut reader = DbData::replica_of(&volume_key(&cluster), volume);
        if let Some(r) = &mut reader.replication {
            r.shared_volume = true;
        }
        if rds.instance(old).is_some() {
            rds.data.insert(old.to_string(), reader);
        }
    }
    for i in rds.instances.iter_mut().filter(|i| i.id == new || i.id == old) {
        i.status = DbStatus::Available;
    }
    if let Some(c) = rds.clusters.iter_mut().find(|c| c.id == cluster) {
        c.status = DbStatus::Available;
    }
    let message = format!("Completed failover to DB instance: {new}");
    rds.log.record_kind(now, &cluster, "db-cluster", super::log::EventKind::FailoverCompleted, &message, "failover");
}
