//! Amazon ElastiCache for Redis OSS: cache subnet groups, replication groups and their nodes,
//! on the lab's clock.
//!
//! ```text
//!   replication group "shop" (cluster mode disabled: one shard)        cluster mode enabled:
//!     shard 0001:  shop-001 (primary, us-east-1a)  ──async──▶  shop-002 (replica, 1b)
//!     primary endpoint  shop.<sfx>.ng.0001.use1.cache.amazonaws.com  ─CNAME─▶ shop-001's
//!     reader endpoint   shop-ro.<sfx>.ng.0001.use1.cache.amazonaws.com ─CNAME─▶ a replica's
//!                                                                      shard 0001 slots 0-8191
//!                                                                      shard 0002 slots 8192-16383
//!                                                                      clustercfg.<id>... endpoint
//! ```
//!
//! Every node is a Redis server from the cache engine ([`crate::engines::cache::Cache`]) with a
//! private address in a subnet of its cache subnet group, reached only from inside the VPC
//! through its security groups (ElastiCache has no public endpoints). Replicas apply their
//! primary's write stream a little later ([`replication`]); a failover promotes the replica
//! that has applied the most and moves the primary endpoint's DNS record to it, and writes the
//! old primary had not shipped are gone, as on AWS.
//!
//! The files: [`group`] the replication groups and their API, [`node`] the nodes (the API's
//! "cache clusters"), [`subnet_group`] where nodes may live, [`replication`] the streams,
//! failover and recovery, [`lookup`] the questions others ask (which node owns a key).

pub mod group;
pub mod lookup;
pub mod node;
pub mod replication;
pub mod status;
pub mod subnet_group;

use super::api::{ApiError, ApiResult, Request};
use super::network::reach::Target;
use super::network::Network;
use super::operation::{op_table, ServiceCtx, Table, Unknown, READ, WRITE};
use super::rds::log::{EventKind, EventLog};
use super::time::Timestamp;
use crate::engines::cache::Cache;
use crate::engines::rng::Rng;
use group::ReplicationGroup;
use node::CacheNode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use status::CacheStatus;
use std::collections::BTreeMap;
use subnet_group::CacheSubnetGroup;

/// The port Redis listens on.
pub const REDIS_PORT: u16 = 6379;

/// The engine version ElastiCache reports for the Redis 7.0 the cache engine answers as.
pub const ENGINE_VERSION: &str = "7.0.7";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ElastiCache {
    pub subnet_groups: Vec<CacheSubnetGroup>,
    pub groups: Vec<ReplicationGroup>,
    pub nodes: Vec<CacheNode>,
    /// What each node stores, by node (cache cluster) id.
    pub servers: BTreeMap<String, Cache>,
    pub log: EventLog,
    /// The account's part of every endpoint name (`<id>.<suffix>.ng.0001.use1...`).
    pub suffix: String,
    /// Events an operation asked for; the cloud moves them onto its queue after each call.
    #[serde(skip)]
    pub pending_events: Vec<(Timestamp, CacheTimer)>,
}

/// A step that falls due later, for a node or a replication group (`target`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CacheTimer {
    pub target: String,
    pub step: Step,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// A replication group and its nodes finished creating.
    GroupCreated,
    /// A node created on its own (create-cache-cluster) finished.
    NodeCreated,
    /// A failover's promotion: the target replica becomes its shard's primary.
    Promote {
        old: String,
    },
    /// A failed node is back (as a replica of its shard's primary, or as a fresh primary).
    NodeRecovered,
    /// A modification finished.
    GroupModified,
    /// Deletion finished.
    GroupDeleted,
    NodeDeleted,
}

impl ElastiCache {
    /// A new account's ElastiCache. The endpoint suffix is derived from the RDS one so that
    /// adding this service drew nothing from the lab's random stream.
    pub fn new(rds_suffix: &str) -> ElastiCache {
        let suffix: String = rds_suffix.chars().rev().take(6).collect();
        ElastiCache { suffix, ..ElastiCache::default() }
    }

    pub fn group(&self, id: &str) -> Option<&ReplicationGroup> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn node(&self, id: &str) -> Option<&CacheNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The nodes of a replication group's shard (0-based), primary first.
    pub fn shard_nodes(&self, group: &str, shard: usize) -> Vec<&CacheNode> {
        let mut nodes: Vec<&CacheNode> =
            self.nodes.iter().filter(|n| n.group.as_deref() == Some(group) && n.shard == shard).collect();
        nodes.sort_by_key(|n| (!n.primary, n.id.clone()));
        nodes
    }

    /// The primary of a shard, if it has one.
    pub fn primary_of(&self, group: &str, shard: usize) -> Option<&CacheNode> {
        self.shard_nodes(group, shard).into_iter().find(|n| n.primary)
    }

    /// Runs one ElastiCache API operation: finds its row in [`OPERATIONS`] and runs it.
    pub fn call(
        &mut self,
        net: &mut Network,
        rng: &mut Rng,
        now: Timestamp,
        account: &str,
        operation: &str,
        request: &Value,
    ) -> ApiResult {
        CacheCtx { service: self, net, rng, now, account }.run(&OPERATIONS, operation, request)
    }

    /// Records an event (`source_type` is `replication-group` or `cache-cluster`).
    pub(crate) fn record(&mut self, now: Timestamp, source: &str, source_type: &str, message: &str) {
        self.log.record(now, source, source_type, message, "notification");
    }

    /// Records an event of a kind that code asks about ([`super::rds::log::EventKind`]).
    pub(crate) fn record_kind(
        &mut self,
        now: Timestamp,
        source: &str,
        source_type: &str,
        kind: EventKind,
        message: &str,
    ) {
        self.log.record_kind(now, source, source_type, kind, message, "notification");
    }

    pub(crate) fn schedule(&mut self, at: Timestamp, target: &str, step: Step) {
        self.pending_events.push((at, CacheTimer { target: target.to_string(), step }));
    }

    /// The nodes as connection targets: each listens on its port while it is up.
    pub fn targets(&self) -> Vec<Target> {
        self.nodes
            .iter()
            .map(|n| Target {
                name: n.id.clone(),
                subnet_id: n.subnet_id.clone(),
                private_ip: n.private_ip,
                public_ip: None,
                security_groups: n.security_groups.clone(),
                ports: if n.listening() { vec![n.port] } else { Vec::new() },
            })
            .collect()
    }

    /// What a DNS name of this service leads to: the node whose address it gives, and the node
    /// endpoint it is a CNAME for (primary and reader endpoints are CNAMEs).
    pub fn by_endpoint(&self, name: &str) -> Option<(&CacheNode, Option<String>)> {
        let suffix = &self.suffix;
        if let Some(n) = self.nodes.iter().find(|n| n.status != CacheStatus::Creating && n.endpoint(suffix) == name) {
            return Some((n, None));
        }
        for g in self.groups.iter().filter(|g| g.status != CacheStatus::Creating) {
            let node = if !g.cluster_mode && g.primary_endpoint(suffix) == name {
                self.primary_of(&g.id, 0)
            } else if !g.cluster_mode && g.reader_endpoint(suffix) == name {
                let nodes = self.shard_nodes(&g.id, 0);
                nodes.iter().find(|n| !n.primary && n.listening()).or(nodes.first()).copied()
            } else if g.cluster_mode && g.configuration_endpoint(suffix) == name {
                // The configuration endpoint answers with the nodes' addresses; a client
                // asks any of them for the slot map.
                return self.primary_of(&g.id, 0).map(|n| (n, None));
            } else {
                continue;
            };
            return node.map(|n| (n, Some(n.endpoint(suffix))));
        }
        None
    }

    /// The node listening at a private address, if any.
    pub fn node_at(&self, ip: super::network::cidr::Ip) -> Option<&CacheNode> {
        self.nodes.iter().find(|n| n.private_ip == ip)
    }

    /// A lifecycle step falling due.
    pub fn apply(&mut self, net: &mut Network, rng: &mut Rng, now: Timestamp, timer: CacheTimer) {
        match timer.step {
            Step::GroupCreated => group::created(self, now, &timer.target),
            Step::NodeCreated => node::created(self, now, &timer.target),
            Step::Promote { old } => replication::promote(self, rng, now, &timer.target, &old),
            Step::NodeRecovered => replication::recovered(self, net, rng, now, &timer.target),
            Step::GroupModified => {
                if let Some(g) = self.groups.iter_mut().find(|g| g.id == timer.target) {
                    g.status = CacheStatus::Available;
                }
                for n in self.nodes.iter_mut().filter(|n| n.group.as_deref() == Some(timer.target.as_str())) {
                    if n.status == CacheStatus::Modifying {
                        n.status = CacheStatus::Available;
                    }
                }
            }
            Step::GroupDeleted => {
                let doomed: Vec<String> = self
                    .nodes
                    .iter()
                    .filter(|n| n.group.as_deref() == Some(timer.target.as_str()))
                    .map(|n| n.id.clone())
                    .collect();
                for id in doomed {
                    node::remove(self, net, &id);
                }
                self.groups.retain(|g| g.id != timer.target);
            }
            Step::NodeDeleted => node::remove(self, net, &timer.target),
        }
    }

    /// Moves every replica's stream up to `now` (see [`replication`]).
    pub fn replicate(&mut self, net: &Network, now: Timestamp) {
        replication::replicate(self, net, now);
    }
}

/// What every ElastiCache operation works with: the service and the network its nodes live in.
pub type CacheCtx<'a> = ServiceCtx<'a, ElastiCache>;

pub type Handler = fn(CacheCtx, &Request) -> ApiResult;

/// Every ElastiCache operation.
pub static OPERATIONS: Table<Handler> = Table {
    unknown: Unknown::NotValid,
    operations: op_table! {
        "CreateCacheSubnetGroup", WRITE, "CacheSubnetGroup", subnet_group::create_cache_subnet_group;
        "DescribeCacheSubnetGroups", READ, "CacheSubnetGroup", subnet_group::describe_cache_subnet_groups;
        "DeleteCacheSubnetGroup", WRITE, "CacheSubnetGroup", subnet_group::delete_cache_subnet_group;
        "CreateReplicationGroup", WRITE, "ReplicationGroup", group::create_replication_group;
        "DescribeReplicationGroups", READ, "ReplicationGroup", group::describe_replication_groups;
        "ModifyReplicationGroup", WRITE, "ReplicationGroup", group::modify_replication_group;
        "DeleteReplicationGroup", WRITE, "ReplicationGroup", group::delete_replication_group;
        "TestFailover", WRITE, "ReplicationGroup", group::test_failover;
        "CreateCacheCluster", WRITE, "CacheCluster", node::create_cache_cluster;
        "DescribeCacheClusters", READ, "CacheCluster", node::describe_cache_clusters;
        "DeleteCacheCluster", WRITE, "CacheCluster", node::delete_cache_cluster;
        "DescribeEvents", READ, "Event", describe_events;
    },
};

/// `describe-events`: the last hour by default (`--duration` minutes, up to 14 days).
fn describe_events(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, now, .. } = c;
    let minutes = req.int("Duration")?.unwrap_or(60).clamp(0, 20160);
    let since = now.0 - minutes * 60_000;
    let source = req.str("SourceIdentifier")?;
    let kind = req.str("SourceType")?;
    let events: Vec<Value> = ec
        .log
        .events
        .iter()
        .filter(|e| e.at.0 >= since)
        .filter(|e| source.is_none_or(|s| s == e.source))
        .filter(|e| kind.is_none_or(|k| k == e.source_type))
        .map(|e| {
            json!({"SourceIdentifier": e.source, "SourceType": e.source_type, "Message": e.message,
                   "Date": e.at.to_aws_string()})
        })
        .collect();
    Ok(json!({ "Events": events }))
}

/// `InvalidParameterValue`, as ElastiCache words a bad value.
pub fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::client("InvalidParameterValue", message)
}

/// `InvalidParameterCombination`.
pub fn bad_combination(message: impl Into<String>) -> ApiError {
    ApiError::client("InvalidParameterCombination", message)
}
