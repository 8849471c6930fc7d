//! Cache nodes: what the ElastiCache API calls a "cache cluster" of one node. Each is a Redis
//! server with an address in a subnet, a role in its shard, a status on the clock, and a
//! generation that moves on each restart (connections opened before it are dropped).

use super::status::CacheStatus;
use super::CacheCtx;
use super::{ElastiCache, Step, ENGINE_VERSION, REDIS_PORT};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::network::cidr::Ip;
use crate::cloud::network::Network;
use crate::cloud::time::{Duration, Timestamp};
use crate::engines::cache::Cache;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Node types the lab offers, with the `maxmemory` ElastiCache gives each (bytes).
pub const NODE_TYPES: &[(&str, u64)] = &[
    ("cache.t3.micro", 536_870_912),
    ("cache.t3.small", 1_471_026_299),
    ("cache.t3.medium", 3_317_862_236),
    ("cache.t4g.micro", 536_870_912),
    ("cache.t4g.small", 1_471_026_299),
    ("cache.t4g.medium", 3_317_862_236),
    ("cache.m6g.large", 6_850_475_950),
    ("cache.r6g.large", 14_033_908_654),
    ("cache.m7g.large", 6_850_475_950),
    ("cache.r7g.large", 14_033_908_654),
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CacheNode {
    /// The cache cluster id: `shop-001`, or `shop-0002-001` in cluster mode.
    pub id: String,
    /// The replication group it belongs to (none for a lone create-cache-cluster node).
    pub group: Option<String>,
    /// Its shard (node group), 0-based.
    pub shard: usize,
    pub primary: bool,
    pub status: CacheStatus,
    pub node_type: String,
    pub zone: String,
    pub subnet_id: String,
    pub private_ip: Ip,
    pub port: u16,
    pub security_groups: Vec<String>,
    pub subnet_group: String,
    pub created: Timestamp,
    /// Restarts so far: a connection opened at another generation was dropped.
    pub generation: u64,
}

impl CacheNode {
    /// Its own DNS name.
    pub fn endpoint(&self, suffix: &str) -> String {
        match &self.group {
            Some(group) => format!("{}.{group}.{suffix}.use1.cache.amazonaws.com", self.id),
            None => format!("{}.{suffix}.0001.use1.cache.amazonaws.com", self.id),
        }
    }

    /// Whether Redis answers on its port.
    pub fn listening(&self) -> bool {
        matches!(self.status, CacheStatus::Available | CacheStatus::Modifying | CacheStatus::Snapshotting)
    }

    pub fn to_json(&self, ec: &ElastiCache, account: &str, show_nodes: bool) -> Value {
        let group = self.group.as_deref().and_then(|g| ec.group(g));
        let cluster_mode = group.is_some_and(|g| g.cluster_mode);
        let mut v = json!({
            "CacheClusterId": self.id,
            "ClientDownloadLandingPage": "https://console.aws.amazon.com/elasticache/home#client-download:",
            "CacheNodeType": self.node_type,
            "Engine": "redis",
            "EngineVersion": ENGINE_VERSION,
            "CacheClusterStatus": self.status,
            "NumCacheNodes": 1,
            "PreferredAvailabilityZone": self.zone,
            "CacheClusterCreateTime": self.created.to_aws_string(),
            "PreferredMaintenanceWindow": "sat:08:00-sat:09:00",
            "PendingModifiedValues": {},
            "CacheSecurityGroups": [],
            "CacheParameterGroup": {
                "CacheParameterGroupName": if cluster_mode { "default.redis7.cluster.on" } else { "default.redis7" },
                "ParameterApplyStatus": "in-sync",
                "CacheNodeIdsToReboot": [],
            },
            "CacheSubnetGroupName": self.subnet_group,
            "AutoMinorVersionUpgrade": true,
            "SecurityGroups": self.security_groups.iter().map(|g| json!({"SecurityGroupId": g, "Status": "active"})).collect::<Vec<_>>(),
            "SnapshotRetentionLimit": 0,
            "SnapshotWindow": "06:30-07:30",
            "AuthTokenEnabled": false,
            "TransitEncryptionEnabled": false,
            "AtRestEncryptionEnabled": false,
            "ARN": format!("arn:aws:elasticache:us-east-1:{account}:cluster:{}", self.id),
            "ReplicationGroupLogDeliveryEnabled": false,
            "LogDeliveryConfigurations": [],
            "NetworkType": "ipv4",
            "IpDiscovery": "ipv4",
        });
        if let Some(group) = &self.group {
            v["ReplicationGroupId"] = json!(group);
        }
        if show_nodes && self.status != CacheStatus::Creating {
            v["CacheNodes"] = json!([{
                "CacheNodeId": "0001",
                "CacheNodeStatus": self.status,
                "CacheNodeCreateTime": self.created.to_aws_string(),
                "Endpoint": {"Address": self.endpoint(&ec.suffix), "Port": self.port},
                "ParameterGroupStatus": "in-sync",
                "CustomerAvailabilityZone": self.zone,
            }]);
        }
        v
    }
}

/// The maxmemory of a node type, or the error ElastiCache gives for an unknown one.
pub fn max_memory(node_type: &str) -> Result<u64, ApiError> {
    NODE_TYPES
        .iter()
        .find(|(t, _)| *t == node_type)
        .map(|(_, bytes)| *bytes)
        .ok_or_else(|| super::invalid(format!("Invalid CacheNodeType: {node_type}")))
}

/// A cache cluster id ElastiCache accepts: 1-50 letters, digits and hyphens, starting with a
/// letter, no two hyphens in a row, no hyphen at the end.
pub fn check_id(id: &str, what: &str, max: usize) -> Result<(), ApiError> {
    let ok = !id.is_empty()
        && id.len() <= max
        && id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !id.contains("--")
        && !id.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(super::invalid(format!(
            "The parameter {what} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens."
        )))
    }
}

/// Where a new node goes: its subnet in `zone` and an address there.
pub struct Placement {
    pub subnet_id: String,
    pub private_ip: Ip,
}

pub fn place(
    net: &mut Network,
    group: &super::subnet_group::CacheSubnetGroup,
    zone: &str,
    owner: &str,
) -> Result<Placement, ApiError> {
    let subnet_id = group
        .subnet_ids
        .iter()
        .find(|id| net.subnet(id).is_some_and(|s| s.zone == zone))
        .cloned()
        .ok_or_else(|| super::invalid(format!("The cache subnet group {} has no subnet in {zone}.", group.name)))?;
    let private_ip = net.reserve_ip(&subnet_id, owner).ok_or_else(|| {
        ApiError::client("InsufficientCacheClusterCapacity", format!("There are no free addresses in {subnet_id}."))
    })?;
    Ok(Placement { subnet_id, private_ip })
}

/// A new Redis server for a node of `node_type`: ElastiCache's maxmemory for the type and its
/// default eviction policy, volatile-lru.
pub fn new_server(seed: u64, node_type: &str, now: Timestamp) -> Cache {
    let mut server = Cache::new(seed, now.0);
    server.config.maxmemory = max_memory(node_type).unwrap_or(536_870_912);
    server.config.maxmemory_policy = crate::engines::cache::memory::Policy::VolatileLru;
    server
}

/// `create-cache-cluster`: a lone Redis node, or (with `--replication-group-id`) one more
/// replica for a cluster-mode-disabled replication group.
pub fn create_cache_cluster(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, net, rng, now, account } = c;
    let id = req.required_str("CacheClusterId")?.to_ascii_lowercase();
    check_id(&id, "CacheClusterId", 50)?;
    if ec.node(&id).is_some() {
        return Err(ApiError::client("CacheClusterAlreadyExists", "Cache cluster already exists"));
    }
    if let Some(group_id) = req.str("ReplicationGroupId")? {
        return super::group::add_replica(ec, net, rng, now, account, group_id, &id, req);
    }
    let engine = req.str("Engine")?.unwrap_or("redis");
    if engine != "redis" {
        return Err(super::invalid(format!("Invalid engine: {engine}. The lab runs Redis OSS nodes only.")));
    }
    let node_type = req
        .str("CacheNodeType")?
        .ok_or_else(|| super::invalid("The parameter CacheNodeType must be provided and must not be blank."))?;
    max_memory(node_type)?;
    if req.int("NumCacheNodes")?.unwrap_or(1) != 1 {
        return Err(super::invalid("Cluster with redis engine must have exactly one cache node."));
    }
    let subnet_group = super::subnet_group::find(ec, net, req.str("CacheSubnetGroupName")?.unwrap_or("default"))?;
    let zones = subnet_group.zones(net);
    let zone = match req.str("PreferredAvailabilityZone")? {
        Some(z) if zones.iter().any(|x| x == z) => z.to_string(),
        Some(z) => return Err(super::invalid(format!("Invalid preferred availability zone: {z}"))),
        None => zones.get(rng.range(0, zones.len().saturating_sub(1) as u64) as usize).cloned().unwrap_or_default(),
    };
    let security_groups = super::group::security_groups(net, &subnet_group, req)?;
    let placement = place(net, &subnet_group, &zone, &id)?;
    let node = CacheNode {
        id: id.clone(),
        group: None,
        shard: 0,
        primary: true,
        status: CacheStatus::Creating,
        node_type: node_type.to_string(),
        zone,
        subnet_id: placement.subnet_id,
        private_ip: placement.private_ip,
        port: req.int("Port")?.map(|p| p as u16).unwrap_or(REDIS_PORT),
        security_groups,
        subnet_group: subnet_group.name.clone(),
        created: now,
        generation: 0,
    };
    ec.servers.insert(id.clone(), new_server(rng.next_u64(), node_type, now));
    ec.nodes.push(node);
    ec.schedule(now.plus(Duration::from_secs(rng.range(300, 480) as i64)), &id, Step::NodeCreated);
    let out = ec.node(&id).map(|n| n.to_json(ec, account, false)).unwrap_or_default();
    Ok(json!({ "CacheCluster": out }))
}

/// A lone node finished creating.
pub fn created(ec: &mut ElastiCache, now: Timestamp, id: &str) {
    if let Some(n) = ec.nodes.iter_mut().find(|n| n.id == id && n.status == CacheStatus::Creating) {
        n.status = CacheStatus::Available;
        ec.record(now, id, "cache-cluster", "Cache cluster created");
    }
}

/// `DescribeCacheClusters`.
pub fn describe_cache_clusters(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, account, .. } = c;
    let show = req.bool("ShowCacheNodeInfo")?.unwrap_or(false);
    let nodes: Vec<&CacheNode> = match req.str("CacheClusterId")? {
        Some(id) => {
            let n = ec.node(id).ok_or_else(|| not_found(id))?;
            vec![n]
        }
        None => ec.nodes.iter().collect(),
    };
    Ok(json!({ "CacheClusters": nodes.iter().map(|n| n.to_json(ec, account, show)).collect::<Vec<_>>() }))
}

pub fn not_found(id: &str) -> ApiError {
    ApiError::client("CacheClusterNotFound", format!("CacheCluster not found: {id}"))
}

/// `delete-cache-cluster`: a lone node, or a replica of a group (never a group's primary).
pub fn delete_cache_cluster(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, rng, now, account, .. } = c;
    let id = req.required_str("CacheClusterId")?.to_ascii_lowercase();
    let node = ec.node(&id).ok_or_else(|| not_found(&id))?;
    if node.status == CacheStatus::Deleting || node.status == CacheStatus::Creating {
        return Err(ApiError::client(
            "InvalidCacheClusterState",
            format!("Cache cluster {id} is not in a valid state to be deleted."),
        ));
    }
    if let Some(group) = &node.group {
        if node.primary {
            return Err(ApiError::client(
                "InvalidCacheClusterState",
                format!("Cannot delete the primary cluster {id} of replication group {group}; delete the replication group or fail over first."),
            ));
        }
    }
    if let Some(n) = ec.nodes.iter_mut().find(|n| n.id == id) {
        n.status = CacheStatus::Deleting;
        n.generation += 1;
    }
    ec.schedule(now.plus(Duration::from_secs(rng.range(120, 240) as i64)), &id, Step::NodeDeleted);
    let out = ec.node(&id).map(|n| n.to_json(ec, account, false)).unwrap_or_default();
    Ok(json!({ "CacheCluster": out }))
}

/// A node is gone: its data, its address.
pub fn remove(ec: &mut ElastiCache, net: &mut Network, id: &str) {
    ec.nodes.retain(|n| n.id != id);
    ec.servers.remove(id);
    net.release_ips(id);
}
