//! Amazon RDS: DB subnet groups and DB instances, their lifecycle on the clock, their endpoints,
//! Multi-AZ standbys and failover, and the account's RDS event log.
//!
//! The life of a DB instance:
//!
//! ```text
//!   create-db-instance ──▶ creating (5-8 min) ──▶ backing-up (1-2 min, when backups are on)
//!        ──▶ available ──▶ rebooting / modifying / failing over ... ──▶ deleting ──▶ gone
//! ```
//!
//! Each step is an event on the clock ([`RdsTimer`]). An instance lives in a subnet of its DB
//! subnet group, holds a private address there (and a public one when publicly accessible in a
//! public subnet), and is reached through its endpoint, a DNS name that always points at the
//! current primary: after a Multi-AZ failover the same name resolves to the old standby's
//! address. What the instance stores is the relational engine's business, not this module's.
//!
//! Around the instances: manual and automated snapshots ([`snapshot`]), automated backups and
//! point-in-time restore from the commit log ([`backup`]), and read replicas fed by an
//! asynchronous stream that moves with the clock ([`replica`]).

pub mod backup;
pub mod cluster;
pub mod data;
pub mod engine;
pub mod failure;
pub mod instance;
pub mod log;
pub mod modify;
pub mod replica;
pub mod snapshot;
pub mod status;
pub mod subnet_group;

use super::api::{ApiResult, Request};
use super::network::Network;
use super::operation::{op_table, ServiceCtx, Table, Unknown, READ, WRITE};
use super::time::Timestamp;
use crate::engines::rng::Rng;
use instance::DbInstance;
use log::EventLog;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use status::DbStatus;
use subnet_group::DbSubnetGroup;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rds {
    pub subnet_groups: Vec<DbSubnetGroup>,
    pub instances: Vec<DbInstance>,
    pub log: EventLog,
    /// What each instance stores, by instance id.
    pub data: std::collections::BTreeMap<String, data::DbData>,
    /// Manual and automated DB snapshots.
    pub snapshots: Vec<snapshot::DbSnapshot>,
    /// Aurora DB clusters (their volumes are in `data`, under `cluster::volume_key`).
    pub clusters: Vec<cluster::DbCluster>,
    /// The account's endpoint suffix: `<id>.<suffix>.us-east-1.rds.amazonaws.com`.
    pub endpoint_suffix: String,
    /// Events an operation asked for; the cloud moves them onto its queue after each call.
    #[serde(skip)]
    pub pending_events: Vec<(Timestamp, RdsTimer)>,
}

/// What every RDS operation works with: the service and the network its instances live in.
pub type RdsCtx<'a> = ServiceCtx<'a, Rds>;

pub type Handler = fn(RdsCtx, &Request) -> ApiResult;

/// Every RDS operation.
pub static OPERATIONS: Table<Handler> = Table {
    unknown: Unknown::CouldNotFind,
    operations: op_table! {
        "CreateDBSubnetGroup", WRITE, "DBSubnetGroup", subnet_group::create_db_subnet_group;
        "DescribeDBSubnetGroups", READ, "DBSubnetGroup", subnet_group::describe_db_subnet_groups;
        "DeleteDBSubnetGroup", WRITE, "DBSubnetGroup", subnet_group::delete_db_subnet_group;
        "DescribeEvents", READ, "Event", describe_events;
        "CreateDBInstance", WRITE, "DBInstance", instance::create_db_instance;
        "DescribeDBInstances", READ, "DBInstance", instance::describe_db_instances;
        "ModifyDBInstance", WRITE, "DBInstance", modify::modify_db_instance;
        "RebootDBInstance", WRITE, "DBInstance", instance::reboot_db_instance;
        "DeleteDBInstance", WRITE, "DBInstance", instance::delete_db_instance;
        "CreateDBSnapshot", WRITE, "DBSnapshot", snapshot::create_db_snapshot;
        "DescribeDBSnapshots", READ, "DBSnapshot", snapshot::describe_db_snapshots;
        "DeleteDBSnapshot", WRITE, "DBSnapshot", snapshot::delete_db_snapshot;
        "RestoreDBInstanceFromDBSnapshot", WRITE, "DBInstance", snapshot::restore_db_instance_from_db_snapshot;
        "RestoreDBInstanceToPointInTime", WRITE, "DBInstance", backup::restore_db_instance_to_point_in_time;
        "DescribeDBInstanceAutomatedBackups", READ, "DBInstanceAutomatedBackup", backup::describe_db_instance_automated_backups;
        "CreateDBCluster", WRITE, "DBCluster", cluster::create_db_cluster;
        "DescribeDBClusters", READ, "DBCluster", cluster::describe_db_clusters;
        "DeleteDBCluster", WRITE, "DBCluster", cluster::delete_db_cluster;
        "FailoverDBCluster", WRITE, "DBCluster", cluster::failover_db_cluster;
        "CreateDBInstanceReadReplica", WRITE, "DBInstance", replica::create_db_instance_read_replica;
        "PromoteReadReplica", WRITE, "DBInstance", replica::promote_read_replica;
    },
};

/// `DescribeEvents`: the account's RDS events of the last `Duration` minutes (an hour by
/// default), optionally of one source or one kind of source.
fn describe_events(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, now, account, .. } = c;
    let source = req.str("SourceIdentifier")?;
    let source_type = req.str("SourceType")?;
    let minutes = req.int("Duration")?.unwrap_or(60);
    let since = Timestamp(now.0 - minutes.saturating_mul(60_000));
    let events: Vec<Value> = rds
        .log
        .events
        .iter()
        .filter(|e| e.at >= since)
        .filter(|e| source.is_none_or(|s| e.source == s))
        .filter(|e| source_type.is_none_or(|t| e.source_type == t))
        .map(|e| EventLog::to_json(e, account))
        .collect();
    Ok(serde_json::json!({ "Events": events }))
}

/// A step of an instance's lifecycle that falls due later.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RdsTimer {
    pub instance: String,
    pub step: Step,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Creation finished: back up first if backups are on, else available.
    Created,
    /// The first backup finished.
    BackedUp,
    /// A reboot finished.
    Rebooted,
    /// A Multi-AZ failover finished: the standby is the primary now.
    FailedOver,
    /// A modification finished.
    Modified,
    /// A class change on a Multi-AZ instance finished, with its failover to the standby.
    ModifiedWithFailover,
    /// Deletion finished: the instance is gone.
    Deleted,
    /// A manual snapshot finished.
    SnapshotTaken { snapshot: String },
    /// The daily backup window opened.
    DailyBackup,
    /// A read replica's promotion finished.
    Promoted,
    /// A single-AZ instance came back on a new host after a host failure.
    Recovered,
    /// An Aurora cluster finished creating (the timer's `instance` is the cluster).
    ClusterCreated,
    /// An Aurora failover completed: the timer's instance is the new writer.
    ClusterFailover { old: String },
}

impl Rds {
    pub fn new(rng: &mut Rng) -> Rds {
        Rds { endpoint_suffix: rng.string(b"abcdefghijklmnopqrstuvwxyz0123456789", 12), ..Rds::default() }
    }

    pub fn instance(&self, id: &str) -> Option<&DbInstance> {
        self.instances.iter().find(|i| i.id == id)
    }

    pub fn cluster(&self, id: &str) -> Option<&cluster::DbCluster> {
        self.clusters.iter().find(|c| c.id == id)
    }

    /// Where an instance's data lives: its own, or for an Aurora writer the cluster volume.
    pub fn data_key(&self, instance: &str) -> String {
        match self.instance(instance).and_then(|i| i.cluster.clone()) {
            Some(cluster) if !self.data.contains_key(instance) => cluster::volume_key(&cluster),
            _ => instance.to_string(),
        }
    }

    /// The data an instance serves.
    pub fn data_of(&self, instance: &str) -> Option<&data::DbData> {
        self.data.get(&self.data_key(instance))
    }

    /// Runs one RDS API operation: finds its row in [`OPERATIONS`] and runs it.
    pub fn call(
        &mut self,
        net: &mut Network,
        rng: &mut Rng,
        now: Timestamp,
        account: &str,
        operation: &str,
        request: &Value,
    ) -> ApiResult {
        RdsCtx { service: self, net, rng, now, account }.run(&OPERATIONS, operation, request)
    }

    /// The instances as connection targets: the primary's address, listening on the DB port
    /// while the database is up. (A standby accepts no connections; an instance in a zone that
    /// is down is dropped by the network itself.)
    pub fn targets(&self) -> Vec<super::network::reach::Target> {
        self.instances
            .iter()
            .map(|i| super::network::reach::Target {
                name: format!("DB instance {}", i.id),
                subnet_id: i.subnet_id.clone(),
                private_ip: i.private_ip,
                public_ip: i.public_ip,
                security_groups: i.security_groups.clone(),
                ports: if i.listening() { vec![i.port] } else { Vec::new() },
            })
            .collect()
    }

    /// The instance an endpoint name leads to, and the instance endpoint it is a CNAME for
    /// when it is an Aurora cluster's (writer) or reader endpoint.
    pub fn by_endpoint(&self, name: &str) -> Option<(&DbInstance, Option<String>)> {
        if let Some(i) =
            self.instances.iter().find(|i| i.status != DbStatus::Creating && i.endpoint(&self.endpoint_suffix) == name)
        {
            return Some((i, None));
        }
        let suffix = &self.endpoint_suffix;
        for c in &self.clusters {
            let members = || {
                self.instances.iter().filter(|i| i.cluster.as_deref() == Some(&c.id) && i.status != DbStatus::Creating)
            };
            let writer = cluster::writer(self, &c.id);
            let target = if c.endpoint(suffix) == name {
                members().find(|i| Some(&i.id) == writer.as_ref())
            } else if c.reader_endpoint(suffix) == name {
                members()
                    .find(|i| Some(&i.id) != writer.as_ref())
                    .or_else(|| members().find(|i| Some(&i.id) == writer.as_ref()))
            } else {
                continue;
            };
            return target.map(|i| (i, Some(i.endpoint(suffix))));
        }
        None
    }

    /// Moves the read replicas' streams to `now`.
    pub fn replicate(&mut self, net: &Network, now: Timestamp) {
        replica::replicate(self, net, now);
    }

    /// A lifecycle step falling due.
    pub fn apply(&mut self, net: &mut Network, rng: &mut Rng, now: Timestamp, timer: RdsTimer) {
        match &timer.step {
            Step::ClusterCreated => {
                if let Some(c) = self.clusters.iter_mut().find(|c| c.id == timer.instance) {
                    c.status = DbStatus::Available;
                }
            }
            Step::ClusterFailover { old } => {
                let old = old.clone();
                cluster::complete_failover(self, now, &timer.instance, &old);
            }
            _ => instance::advance(self, net, rng, now, timer),
        }
    }
}
