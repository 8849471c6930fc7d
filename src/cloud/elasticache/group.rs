//! Replication groups: one shard (cluster mode disabled) or several (cluster mode enabled),
//! each a primary and up to five replicas, with the endpoints clients use.
//!
//! Node names follow ElastiCache: `shop-001`, `shop-002` ... in cluster mode disabled;
//! `shop-0001-001` (shard 0001, first node) in cluster mode enabled, where the 16384 hash slots
//! are split evenly over the shards.

use super::node::{self, new_server, place, CacheNode};
use super::status::CacheStatus;
use super::subnet_group::{self, CacheSubnetGroup};
use super::CacheCtx;
use super::{bad_combination, invalid, ElastiCache, Step, REDIS_PORT};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::network::Network;
use crate::cloud::time::{Duration, Timestamp};
use crate::engines::cache::cluster::{ClusterNode, Shard};
use crate::engines::rng::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The most replicas a shard may have.
const MAX_REPLICAS: i64 = 5;
/// The most shards the lab lets a group have (ElastiCache allows up to 500).
const MAX_SHARDS: i64 = 10;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicationGroup {
    pub id: String,
    pub description: String,
    pub status: CacheStatus,
    pub node_type: String,
    pub cluster_mode: bool,
    pub shards: usize,
    /// Each shard's slot ranges (cluster mode), in shard order.
    pub slots: Vec<(u16, u16)>,
    pub automatic_failover: bool,
    pub multi_az: bool,
    pub port: u16,
    pub subnet_group: String,
    pub security_groups: Vec<String>,
    pub created: Timestamp,
    pub snapshot_retention: i64,
    pub transit_encryption: bool,
    pub at_rest_encryption: bool,
}

impl ReplicationGroup {
    pub fn primary_endpoint(&self, suffix: &str) -> String {
        format!("{}.{suffix}.ng.0001.use1.cache.amazonaws.com", self.id)
    }

    pub fn reader_endpoint(&self, suffix: &str) -> String {
        format!("{}-ro.{suffix}.ng.0001.use1.cache.amazonaws.com", self.id)
    }

    pub fn configuration_endpoint(&self, suffix: &str) -> String {
        format!("clustercfg.{}.{suffix}.use1.cache.amazonaws.com", self.id)
    }

    fn to_json(&self, ec: &ElastiCache, account: &str) -> Value {
        let mut members: Vec<&CacheNode> =
            ec.nodes.iter().filter(|n| n.group.as_deref() == Some(self.id.as_str())).collect();
        members.sort_by_key(|n| n.id.clone());
        let enabled = |b: bool| if b { "enabled" } else { "disabled" };
        let mut v = json!({
            "ReplicationGroupId": self.id,
            "Description": self.description,
            "GlobalReplicationGroupInfo": {},
            "Status": self.status,
            "PendingModifiedValues": {},
            "MemberClusters": members.iter().map(|n| n.id.clone()).collect::<Vec<_>>(),
        });
        if self.status != CacheStatus::Creating {
            v["NodeGroups"] = json!((0..self.shards).map(|s| self.node_group_json(ec, s)).collect::<Vec<_>>());
            if self.cluster_mode {
                v["ConfigurationEndpoint"] =
                    json!({"Address": self.configuration_endpoint(&ec.suffix), "Port": self.port});
            }
        }
        let rest = json!({
            "AutomaticFailover": enabled(self.automatic_failover),
            "MultiAZ": enabled(self.multi_az),
            "SnapshotRetentionLimit": self.snapshot_retention,
            "SnapshotWindow": "06:30-07:30",
            "ClusterEnabled": self.cluster_mode,
            "CacheNodeType": self.node_type,
            "AuthTokenEnabled": false,
            "TransitEncryptionEnabled": self.transit_encryption,
            "AtRestEncryptionEnabled": self.at_rest_encryption,
            "MemberClustersOutpostArns": [],
            "ARN": format!("arn:aws:elasticache:us-east-1:{account}:replicationgroup:{}", self.id),
            "LogDeliveryConfigurations": [],
            "ReplicationGroupCreateTime": self.created.to_aws_string(),
            "DataTiering": "disabled",
            "AutoMinorVersionUpgrade": true,
            "NetworkType": "ipv4",
            "IpDiscovery": "ipv4",
            "ClusterMode": enabled(self.cluster_mode),
        });
        if let (Some(map), Some(extra)) = (v.as_object_mut(), rest.as_object()) {
            map.extend(extra.clone());
        }
        v
    }

    fn node_group_json(&self, ec: &ElastiCache, shard: usize) -> Value {
        let nodes = ec.shard_nodes(&self.id, shard);
        let status = if nodes.iter().all(|n| n.listening()) { "available" } else { "modifying" };
        let suffix = &ec.suffix;
        let members: Vec<Value> = nodes
            .iter()
            .map(|n| {
                if self.cluster_mode {
                    json!({"CacheClusterId": n.id, "CacheNodeId": "0001", "PreferredAvailabilityZone": n.zone})
                } else {
                    json!({"CacheClusterId": n.id, "CacheNodeId": "0001",
                           "ReadEndpoint": {"Address": n.endpoint(suffix), "Port": n.port},
                           "PreferredAvailabilityZone": n.zone,
                           "CurrentRole": if n.primary { "primary" } else { "replica" }})
                }
            })
            .collect();
        let id = format!("{:04}", shard + 1);
        if self.cluster_mode {
            let (a, b) = self.slots.get(shard).copied().unwrap_or((0, 16383));
            json!({"NodeGroupId": id, "Status": status, "Slots": format!("{a}-{b}"), "NodeGroupMembers": members})
        } else {
            json!({"NodeGroupId": id, "Status": status,
                   "PrimaryEndpoint": {"Address": self.primary_endpoint(suffix), "Port": self.port},
                   "ReaderEndpoint": {"Address": self.reader_endpoint(suffix), "Port": self.port},
                   "NodeGroupMembers": members})
        }
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::client("ReplicationGroupNotFoundFault", format!("ReplicationGroup {id} not found."))
}

/// The security groups a new node gets: the ones asked for (in the subnet group's VPC), else
/// the VPC's default group.
pub fn security_groups(net: &Network, subnet_group: &CacheSubnetGroup, req: &Request) -> Result<Vec<String>, ApiError> {
    let mut groups = req.str_list("SecurityGroupIds")?;
    for g in &groups {
        match net.security_group(g) {
            None => return Err(invalid(format!("Some security group Id not recognized by EC2: {g}"))),
            Some(sg) if sg.vpc_id != subnet_group.vpc_id => {
                return Err(invalid(format!(
                    "The security group {g} is in {}, but the cache subnet group {} is in {}.",
                    sg.vpc_id, subnet_group.name, subnet_group.vpc_id
                )))
            }
            _ => {}
        }
    }
    if groups.is_empty() {
        if let Some(default) =
            net.security_groups.iter().find(|g| g.vpc_id == subnet_group.vpc_id && g.name == "default")
        {
            groups.push(default.id.clone());
        }
    }
    Ok(groups)
}

/// `create-replication-group`.
pub fn create_replication_group(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, net, rng, now, account } = c;
    let id = req.required_str("ReplicationGroupId")?.to_ascii_lowercase();
    node::check_id(&id, "ReplicationGroupId", 40)?;
    let description = req.required_str("ReplicationGroupDescription")?;
    if ec.group(&id).is_some() {
        return Err(ApiError::client("ReplicationGroupAlreadyExists", "Replication group already exists"));
    }
    let engine = req.str("Engine")?.unwrap_or("redis");
    if engine != "redis" {
        return Err(invalid(format!("Invalid engine: {engine}. Replication groups in the lab run Redis OSS.")));
    }
    let node_type = req.str("CacheNodeType")?.unwrap_or("cache.t3.micro");
    node::max_memory(node_type)?;
    let parameter_group = req.str("CacheParameterGroupName")?.unwrap_or("");
    let shards = req.int("NumNodeGroups")?;
    let cluster_mode = parameter_group.ends_with(".cluster.on")
        || req.str("ClusterMode")? == Some("enabled")
        || shards.is_some_and(|n| n > 1);
    let automatic_failover = req.bool("AutomaticFailoverEnabled")?.unwrap_or(cluster_mode);
    let multi_az = req.bool("MultiAZEnabled")?.unwrap_or(false);
    if cluster_mode && !automatic_failover {
        return Err(bad_combination(
            "Redis with cluster mode enabled cannot be created with auto failover turned off.",
        ));
    }
    if multi_az && !automatic_failover {
        return Err(bad_combination("Multi-AZ can only be enabled when automatic failover is enabled."));
    }
    let shards = if cluster_mode { shards.unwrap_or(1) } else { 1 };
    if !(1..=MAX_SHARDS).contains(&shards) {
        return Err(invalid(format!("NumNodeGroups must be between 1 and {MAX_SHARDS} in the lab.")));
    }
    // Nodes per shard: --replicas-per-node-group + 1, or --num-cache-clusters (cluster mode off).
    let nodes_per_shard = match (req.int("ReplicasPerNodeGroup")?, req.int("NumCacheClusters")?) {
        (Some(_), Some(_)) => {
            return Err(bad_combination("Use either NumCacheClusters or ReplicasPerNodeGroup, not both."));
        }
        (Some(r), None) if (0..=MAX_REPLICAS).contains(&r) => r + 1,
        (Some(_), None) => return Err(invalid("ReplicasPerNodeGroup must be between 0 and 5.")),
        (None, Some(n)) if cluster_mode => {
            return Err(bad_combination(format!(
                "NumCacheClusters ({n}) is for cluster mode disabled; use ReplicasPerNodeGroup."
            )))
        }
        (None, Some(n)) if (1..=MAX_REPLICAS + 1).contains(&n) => n,
        (None, Some(_)) => return Err(invalid("NumCacheClusters must be between 1 and 6.")),
        (None, None) => 1,
    };
    if automatic_failover && nodes_per_shard < 2 {
        return Err(invalid("Number of cache clusters must be at least 2 when automatic failover is enabled."));
    }
    let subnet_group = subnet_group::find(ec, net, req.str("CacheSubnetGroupName")?.unwrap_or("default"))?;
    let zones = subnet_group.zones(net);
    if zones.is_empty() {
        return Err(invalid(format!("The cache subnet group {} has no subnets.", subnet_group.name)));
    }
    let preferred = req.str_list("PreferredCacheClusterAZs")?;
    for z in &preferred {
        if !zones.contains(z) {
            return Err(invalid(format!("Invalid preferred availability zone: {z}")));
        }
    }
    let security_groups = security_groups(net, &subnet_group, req)?;
    let port = req.int("Port")?.map(|p| p as u16).unwrap_or(REDIS_PORT);

    // Place every node first so that a failure leaves nothing behind.
    let first_zone = rng.range(0, zones.len() as u64 - 1) as usize;
    let mut nodes = Vec::new();
    for shard in 0..shards as usize {
        for k in 0..nodes_per_shard as usize {
            let node_id =
                if cluster_mode { format!("{id}-{:04}-{:03}", shard + 1, k + 1) } else { format!("{id}-{:03}", k + 1) };
            let zone = match preferred.get(k) {
                Some(z) if !cluster_mode => z.clone(),
                _ => zones[(first_zone + shard + k) % zones.len()].clone(),
            };
            let placement = match place(net, &subnet_group, &zone, &node_id) {
                Ok(p) => p,
                Err(e) => {
                    for n in &nodes {
                        let n: &CacheNode = n;
                        net.release_ips(&n.id);
                    }
                    return Err(e);
                }
            };
            nodes.push(CacheNode {
                id: node_id,
                group: Some(id.clone()),
                shard,
                primary: k == 0,
                status: CacheStatus::Creating,
                node_type: node_type.to_string(),
                zone,
                subnet_id: placement.subnet_id,
                private_ip: placement.private_ip,
                port,
                security_groups: security_groups.clone(),
                subnet_group: subnet_group.name.clone(),
                created: now,
                generation: 0,
            });
        }
    }
    let slots = ClusterNode::even_ranges(shards as usize);
    for n in &nodes {
        ec.servers.insert(n.id.clone(), new_server(rng.next_u64(), node_type, now));
    }
    ec.nodes.extend(nodes);
    ec.groups.push(ReplicationGroup {
        id: id.clone(),
        description: description.to_string(),
        status: CacheStatus::Creating,
        node_type: node_type.to_string(),
        cluster_mode,
        shards: shards as usize,
        slots,
        automatic_failover,
        multi_az,
        port,
        subnet_group: subnet_group.name.clone(),
        security_groups,
        created: now,
        snapshot_retention: req.int("SnapshotRetentionLimit")?.unwrap_or(0),
        transit_encryption: req.bool("TransitEncryptionEnabled")?.unwrap_or(false),
        at_rest_encryption: req.bool("AtRestEncryptionEnabled")?.unwrap_or(false),
    });
    wire(ec, &id);
    // A small cache takes some minutes; each more shard adds a little.
    let secs = rng.range(360, 540) + 30 * (shards as u64 - 1);
    ec.schedule(now.plus(Duration::from_secs(secs as i64)), &id, Step::GroupCreated);
    let out = ec.group(&id).map(|g| g.to_json(ec, account)).unwrap_or_default();
    Ok(json!({ "ReplicationGroup": out }))
}

/// Sets each node's server to its role: a primary keeps a backlog for its replicas, a replica
/// follows its shard's primary, and in cluster mode every node knows the slot map.
pub fn wire(ec: &mut ElastiCache, group: &str) {
    let Some(g) = ec.group(group).cloned() else { return };
    let shards: Vec<Shard> = (0..g.shards)
        .map(|s| {
            let primary = ec.primary_of(group, s);
            Shard {
                ranges: vec![g.slots.get(s).copied().unwrap_or((0, 16383))],
                host: primary.map(|p| p.private_ip.to_string()).unwrap_or_default(),
                port: g.port,
                node_id: primary.map(|p| node_id(&p.id)).unwrap_or_default(),
            }
        })
        .collect();
    let members: Vec<(String, usize, bool)> = ec
        .nodes
        .iter()
        .filter(|n| n.group.as_deref() == Some(group))
        .map(|n| (n.id.clone(), n.shard, n.primary))
        .collect();
    for (id, shard, primary) in members {
        let address = shards.get(shard).map(|s| format!("{}:{}", s.host, s.port)).unwrap_or_default();
        let Some(server) = ec.servers.get_mut(&id) else { continue };
        if primary {
            server.promote();
        } else {
            server.make_replica(&address);
        }
        server.cluster = g.cluster_mode.then(|| ClusterNode { me: shard, shards: shards.clone() });
    }
}

/// A Redis node ID (40 hex digits), derived from the node's name so a lab replays the same.
pub fn node_id(name: &str) -> String {
    let mut x = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    (0..5)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("{:08x}", x as u32)
        })
        .collect()
}

/// The group and its nodes finished creating.
pub fn created(ec: &mut ElastiCache, now: Timestamp, id: &str) {
    let Some(g) = ec.groups.iter_mut().find(|g| g.id == id && g.status == CacheStatus::Creating) else { return };
    g.status = CacheStatus::Available;
    let mut created = Vec::new();
    for n in ec.nodes.iter_mut().filter(|n| n.group.as_deref() == Some(id) && n.status == CacheStatus::Creating) {
        n.status = CacheStatus::Available;
        created.push(n.id.clone());
    }
    for node in created {
        ec.record(now, &node, "cache-cluster", "Cache cluster created");
    }
    ec.record(now, id, "replication-group", &format!("Replication group {id} created"));
}

/// `DescribeReplicationGroups`.
pub fn describe_replication_groups(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, account, .. } = c;
    let groups: Vec<&ReplicationGroup> = match req.str("ReplicationGroupId")? {
        Some(id) => vec![ec.group(id).ok_or_else(|| not_found(id))?],
        None => ec.groups.iter().collect(),
    };
    Ok(json!({ "ReplicationGroups": groups.iter().map(|g| g.to_json(ec, account)).collect::<Vec<_>>() }))
}

/// `modify-replication-group`: description, automatic failover, Multi-AZ and security groups
/// change at once; a new node type takes the group through `modifying` for some minutes.
pub fn modify_replication_group(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, net, rng, now, account } = c;
    let id = req.required_str("ReplicationGroupId")?.to_ascii_lowercase();
    let g = ec.group(&id).ok_or_else(|| not_found(&id))?.clone();
    if g.status != CacheStatus::Available {
        return Err(ApiError::client(
            "InvalidReplicationGroupState",
            format!("Replication group {id} is not in available state."),
        ));
    }
    let automatic_failover = req.bool("AutomaticFailoverEnabled")?.unwrap_or(g.automatic_failover);
    let multi_az = req.bool("MultiAZEnabled")?.unwrap_or(g.multi_az && automatic_failover);
    if g.cluster_mode && !automatic_failover {
        return Err(bad_combination("Automatic failover cannot be disabled for Redis with cluster mode enabled."));
    }
    if multi_az && !automatic_failover {
        return Err(bad_combination("Multi-AZ can only be enabled when automatic failover is enabled."));
    }
    let smallest_shard = (0..g.shards).map(|s| ec.shard_nodes(&id, s).len()).min().unwrap_or(0);
    if automatic_failover && smallest_shard < 2 {
        return Err(invalid("Number of cache clusters must be at least 2 when automatic failover is enabled."));
    }
    let node_type = req.str("CacheNodeType")?.map(str::to_string);
    if let Some(t) = &node_type {
        node::max_memory(t)?;
    }
    let groups = if req.value("SecurityGroupIds").is_some() {
        let subnet_group = subnet_group::find(ec, net, &g.subnet_group)?;
        Some(security_groups(net, &subnet_group, req)?)
    } else {
        None
    };
    let resizing = node_type.as_ref().is_some_and(|t| *t != g.node_type);
    if let Some(group) = ec.groups.iter_mut().find(|x| x.id == id) {
        group.automatic_failover = automatic_failover;
        group.multi_az = multi_az;
        if let Some(d) = req.str("ReplicationGroupDescription")? {
            group.description = d.to_string();
        }
        if let Some(r) = req.int("SnapshotRetentionLimit")? {
            group.snapshot_retention = r;
        }
        if let Some(sgs) = &groups {
            group.security_groups = sgs.clone();
        }
        if resizing {
            group.status = CacheStatus::Modifying;
            group.node_type = node_type.clone().unwrap_or_default();
        }
    }
    for n in ec.nodes.iter_mut().filter(|n| n.group.as_deref() == Some(id.as_str())) {
        if let Some(sgs) = &groups {
            n.security_groups = sgs.clone();
        }
        if let (true, Some(t)) = (resizing, &node_type) {
            n.node_type = t.clone();
            n.status = CacheStatus::Modifying;
        }
    }
    if let (true, Some(t)) = (resizing, &node_type) {
        // Online scaling: the data is copied to nodes of the new type.
        for (node, server) in ec.servers.iter_mut() {
            if ec.nodes.iter().any(|n| n.id == *node && n.group.as_deref() == Some(id.as_str())) {
                server.config.maxmemory = node::max_memory(t).unwrap_or(server.config.maxmemory);
            }
        }
        ec.schedule(now.plus(Duration::from_secs(rng.range(600, 900) as i64)), &id, Step::GroupModified);
    }
    let out = ec.group(&id).map(|g| g.to_json(ec, account)).unwrap_or_default();
    Ok(json!({ "ReplicationGroup": out }))
}

/// `DeleteReplicationGroup`.
pub fn delete_replication_group(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, rng, now, account, .. } = c;
    let id = req.required_str("ReplicationGroupId")?.to_ascii_lowercase();
    let g = ec.group(&id).ok_or_else(|| not_found(&id))?;
    if g.status != CacheStatus::Available {
        return Err(ApiError::client(
            "InvalidReplicationGroupState",
            format!("Replication group {id} is not in available state."),
        ));
    }
    if req.bool("RetainPrimaryCluster")? == Some(true) {
        return Err(invalid("RetainPrimaryCluster is not supported in the lab; delete the whole group."));
    }
    if let Some(g) = ec.groups.iter_mut().find(|g| g.id == id) {
        g.status = CacheStatus::Deleting;
    }
    for n in ec.nodes.iter_mut().filter(|n| n.group.as_deref() == Some(id.as_str())) {
        n.status = CacheStatus::Deleting;
        n.generation += 1;
    }
    ec.schedule(now.plus(Duration::from_secs(rng.range(180, 360) as i64)), &id, Step::GroupDeleted);
    let out = ec.group(&id).map(|g| g.to_json(ec, account)).unwrap_or_default();
    Ok(json!({ "ReplicationGroup": out }))
}

/// `test-failover --node-group-id 0001`: the shard's primary goes away and a replica takes over.
pub fn test_failover(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, net, rng, now, account } = c;
    let id = req.required_str("ReplicationGroupId")?.to_ascii_lowercase();
    let node_group = req.required_str("NodeGroupId")?;
    let g = ec.group(&id).ok_or_else(|| not_found(&id))?.clone();
    let shard = node_group
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=g.shards).contains(n))
        .ok_or_else(|| ApiError::client("NodeGroupNotFoundFault", format!("NodeGroup {node_group} not found.")))?
        - 1;
    if g.status != CacheStatus::Available {
        return Err(ApiError::client(
            "InvalidReplicationGroupState",
            format!("Replication group {id} is not in available state."),
        ));
    }
    if !g.automatic_failover {
        return Err(ApiError::client(
            "InvalidReplicationGroupState",
            format!("Replication group {id} must have automatic failover enabled to test failover."),
        ));
    }
    if super::replication::candidate(ec, net, &id, shard).is_none() {
        return Err(ApiError::client(
            "TestFailoverNotAvailableFault",
            format!(
                "Test failover is not available for node group {node_group}: it has no available replica to promote."
            ),
        ));
    }
    ec.record(now, &id, "replication-group", &format!("Test Failover API called for node group {node_group}"));
    super::replication::fail_over(ec, net, rng, now, &id, shard)
        .map_err(|e| ApiError::client("TestFailoverNotAvailableFault", e))?;
    let out = ec.group(&id).map(|g| g.to_json(ec, account)).unwrap_or_default();
    Ok(json!({ "ReplicationGroup": out }))
}

/// `create-cache-cluster --replication-group-id G`: one more replica in a cluster-mode-disabled
/// group; it copies the primary's data once it is up.
#[allow(clippy::too_many_arguments)]
pub fn add_replica(
    ec: &mut ElastiCache,
    net: &mut Network,
    rng: &mut Rng,
    now: Timestamp,
    account: &str,
    group_id: &str,
    node_id: &str,
    req: &Request,
) -> ApiResult {
    let g = ec.group(group_id).ok_or_else(|| not_found(group_id))?.clone();
    if g.cluster_mode {
        return Err(invalid(
            "Use modify-replication-group-shard-configuration to add nodes to a cluster-mode-enabled group.",
        ));
    }
    if g.status != CacheStatus::Available {
        return Err(ApiError::client(
            "InvalidReplicationGroupState",
            format!("Replication group {group_id} is not in available state."),
        ));
    }
    if ec.shard_nodes(group_id, 0).len() as i64 > MAX_REPLICAS {
        return Err(ApiError::client(
            "NodeQuotaForClusterExceeded",
            "A replication group may have at most 5 replicas.",
        ));
    }
    let subnet_group = subnet_group::find(ec, net, &g.subnet_group)?;
    let zones = subnet_group.zones(net);
    let zone = match req.str("PreferredAvailabilityZone")? {
        Some(z) if zones.iter().any(|x| x == z) => z.to_string(),
        Some(z) => return Err(invalid(format!("Invalid preferred availability zone: {z}"))),
        None => zones.get(rng.range(0, zones.len().saturating_sub(1) as u64) as usize).cloned().unwrap_or_default(),
    };
    let placement = place(net, &subnet_group, &zone, node_id)?;
    ec.nodes.push(CacheNode {
        id: node_id.to_string(),
        group: Some(group_id.to_string()),
        shard: 0,
        primary: false,
        status: CacheStatus::Creating,
        node_type: g.node_type.clone(),
        zone,
        subnet_id: placement.subnet_id,
        private_ip: placement.private_ip,
        port: g.port,
        security_groups: g.security_groups.clone(),
        subnet_group: g.subnet_group.clone(),
        created: now,
        generation: 0,
    });
    ec.servers.insert(node_id.to_string(), new_server(rng.next_u64(), &g.node_type, now));
    // It syncs from the primary when it comes up (a recovery is exactly that).
    ec.schedule(now.plus(Duration::from_secs(rng.range(300, 480) as i64)), node_id, Step::NodeRecovered);
    let out = ec.node(node_id).map(|n| n.to_json(ec, account, false)).unwrap_or_default();
    Ok(json!({ "CacheCluster": out }))
}
