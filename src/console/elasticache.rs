//! ElastiCache in the console: Redis OSS caches, *Create Redis OSS cache*, failover, delete.

use super::{read, text, Action, Plan};
use crate::shell::Lab;
use serde_json::{json, Map, Value};

/// The node types the form offers.
pub const NODE_TYPES: &[&str] =
    &["cache.t3.micro", "cache.t3.small", "cache.t4g.micro", "cache.m6g.large", "cache.r6g.large"];

/// *Create Redis OSS cache* (a design-your-own cache, as the console's "Design your own cache").
#[derive(Clone, Debug, PartialEq)]
pub struct CreateCache {
    pub name: String,
    pub description: String,
    pub cluster_mode: bool,
    pub node_type: String,
    /// Shards (cluster mode on; one otherwise).
    pub shards: i64,
    pub replicas_per_shard: i64,
    pub multi_az: bool,
    pub automatic_failover: bool,
    /// "" for the default subnet group.
    pub subnet_group: String,
    pub security_groups: Vec<String>,
    /// Days of automatic backups (0: off).
    pub backup_retention: i64,
}

impl Default for CreateCache {
    fn default() -> CreateCache {
        CreateCache {
            name: String::new(),
            description: String::new(),
            cluster_mode: false,
            node_type: "cache.t3.micro".to_string(),
            shards: 1,
            replicas_per_shard: 1,
            multi_az: true,
            automatic_failover: true,
            subnet_group: String::new(),
            security_groups: Vec::new(),
            backup_retention: 1,
        }
    }
}

impl CreateCache {
    /// The `CreateReplicationGroup` request. Cluster mode on sends shards and replicas per
    /// shard; off sends the number of nodes (the primary and its replicas).
    pub fn plan(&self) -> Plan {
        if self.name.is_empty() {
            return Err("Enter a name.".to_string());
        }
        let mut request = Map::new();
        request.insert("ReplicationGroupId".into(), json!(self.name));
        let description = if self.description.is_empty() { " " } else { self.description.as_str() };
        request.insert("ReplicationGroupDescription".into(), json!(description));
        request.insert("Engine".into(), json!("redis"));
        request.insert("CacheNodeType".into(), json!(self.node_type));
        if self.cluster_mode {
            request.insert("NumNodeGroups".into(), json!(self.shards));
            request.insert("ReplicasPerNodeGroup".into(), json!(self.replicas_per_shard));
        } else {
            request.insert("NumCacheClusters".into(), json!(self.replicas_per_shard + 1));
        }
        request.insert("AutomaticFailoverEnabled".into(), json!(self.automatic_failover));
        request.insert("MultiAZEnabled".into(), json!(self.multi_az));
        request.insert("ClusterMode".into(), json!(if self.cluster_mode { "enabled" } else { "disabled" }));
        if !self.subnet_group.is_empty() {
            request.insert("CacheSubnetGroupName".into(), json!(self.subnet_group));
        }
        if !self.security_groups.is_empty() {
            request.insert("SecurityGroupIds".into(), json!(self.security_groups));
        }
        request.insert("SnapshotRetentionLimit".into(), json!(self.backup_retention));
        Ok(vec![Action::new("elasticache", "CreateReplicationGroup", Value::Object(request))])
    }
}

/// A row of the Redis OSS caches list.
#[derive(Clone, Debug, PartialEq)]
pub struct CacheRow {
    pub name: String,
    pub status: String,
    pub cluster_mode: bool,
    pub shards: usize,
    pub nodes: usize,
    pub node_type: String,
}

/// The Redis OSS caches list.
pub fn caches(lab: &mut Lab) -> Vec<CacheRow> {
    groups(lab)
        .iter()
        .map(|g| CacheRow {
            name: text(g, "ReplicationGroupId").to_string(),
            status: super::rds::status_label(text(g, "Status")),
            cluster_mode: g.get("ClusterEnabled").and_then(Value::as_bool).unwrap_or(false),
            shards: g.get("NodeGroups").and_then(Value::as_array).map_or(0, Vec::len),
            nodes: g.get("MemberClusters").and_then(Value::as_array).map_or(0, Vec::len),
            node_type: text(g, "CacheNodeType").to_string(),
        })
        .collect()
}

fn groups(lab: &mut Lab) -> Vec<Value> {
    read(lab, "elasticache", "DescribeReplicationGroups", json!({}))
        .ok()
        .and_then(|v| v.get("ReplicationGroups").and_then(Value::as_array).cloned())
        .unwrap_or_default()
}

/// One cache's description, as the API gives it.
pub fn describe(lab: &mut Lab, name: &str) -> Option<Value> {
    groups(lab).into_iter().find(|g| text(g, "ReplicationGroupId") == name)
}

/// A node of a cache's Nodes tab.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeRow {
    pub id: String,
    pub shard: String,
    /// "Primary" or "Replica" ("" with cluster mode on, where the API does not say).
    pub role: String,
    pub zone: String,
    pub endpoint: String,
}

/// The cache's nodes, shard by shard.
pub fn nodes(group: &Value) -> Vec<NodeRow> {
    let mut rows = Vec::new();
    for shard in group.get("NodeGroups").and_then(Value::as_array).into_iter().flatten() {
        for member in shard.get("NodeGroupMembers").and_then(Value::as_array).into_iter().flatten() {
            rows.push(NodeRow {
                id: text(member, "CacheClusterId").to_string(),
                shard: text(shard, "NodeGroupId").to_string(),
                role: super::rds::status_label(text(member, "CurrentRole")),
                zone: text(member, "PreferredAvailabilityZone").to_string(),
                endpoint: member.pointer("/ReadEndpoint/Address").and_then(Value::as_str).unwrap_or("").to_string(),
            });
        }
    }
    rows
}

/// The cache's endpoints: (label, address:port).
pub fn endpoints(group: &Value) -> Vec<(&'static str, String)> {
    let address = |v: Option<&Value>| {
        v.map(|e| format!("{}:{}", text(e, "Address"), e.get("Port").and_then(Value::as_i64).unwrap_or(6379)))
    };
    let mut rows = Vec::new();
    if let Some(config) = address(group.get("ConfigurationEndpoint")) {
        rows.push(("Configuration endpoint", config));
    }
    if let Some(shard) = group.pointer("/NodeGroups/0") {
        if let Some(primary) = address(shard.get("PrimaryEndpoint")) {
            rows.push(("Primary endpoint", primary));
        }
        if let Some(reader) = address(shard.get("ReaderEndpoint")) {
            rows.push(("Reader endpoint", reader));
        }
    }
    rows
}

/// Actions → Failover primary: the shard's primary hands over to a replica.
pub fn failover(group: &str, shard: &str) -> Action {
    Action::new("elasticache", "TestFailover", json!({"ReplicationGroupId": group, "NodeGroupId": shard}))
}

/// Actions → Delete, with a final backup or without.
pub fn delete(group: &str, final_snapshot: Option<&str>) -> Action {
    let mut request = json!({"ReplicationGroupId": group});
    if let Some(name) = final_snapshot {
        request["FinalSnapshotIdentifier"] = json!(name);
    }
    Action::new("elasticache", "DeleteReplicationGroup", request)
}

/// *Modify* a cache: what the form changes; only what differs is sent.
#[derive(Clone, Debug, PartialEq)]
pub struct ModifyCache {
    pub name: String,
    pub description: String,
    pub node_type: String,
    pub automatic_failover: bool,
    pub multi_az: bool,
    pub backup_retention: i64,
    /// "Apply immediately" (true) or in the next maintenance window.
    pub apply_immediately: bool,
    /// The settings when the page opened (see [`super::changed_settings`]).
    pub was: Value,
}

impl ModifyCache {
    pub fn from_description(group: &Value) -> ModifyCache {
        let mut form = ModifyCache {
            name: text(group, "ReplicationGroupId").to_string(),
            description: text(group, "Description").to_string(),
            node_type: text(group, "CacheNodeType").to_string(),
            automatic_failover: text(group, "AutomaticFailover") == "enabled",
            multi_az: text(group, "MultiAZ") == "enabled",
            backup_retention: group.get("SnapshotRetentionLimit").and_then(Value::as_i64).unwrap_or(0),
            apply_immediately: false,
            was: Value::Null,
        };
        form.was = form.settings();
        form
    }

    /// The form's settings as `ModifyReplicationGroup` names them.
    fn settings(&self) -> Value {
        json!({"ReplicationGroupDescription": self.description, "AutomaticFailoverEnabled": self.automatic_failover,
               "MultiAZEnabled": self.multi_az, "CacheNodeType": self.node_type,
               "SnapshotRetentionLimit": self.backup_retention})
    }

    /// `ModifyReplicationGroup` with what changed.
    pub fn plan(&self) -> Plan {
        let id = ("ReplicationGroupId", self.name.as_str());
        let mut request = super::changed_settings(id, self.settings(), &self.was, "cache")?;
        request["ApplyImmediately"] = json!(self.apply_immediately);
        Ok(vec![Action::new("elasticache", "ModifyReplicationGroup", request)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::Duration;
    use crate::console::perform;
    use crate::console::test_support::{assert_cli_round_trips, lab};

    #[test]
    fn modify_sends_only_what_changed_and_the_cache_follows() {
        let mut lab = lab();
        let form = CreateCache { name: "sessions".into(), ..CreateCache::default() };
        perform(&mut lab, &form.plan().unwrap()).unwrap();
        lab.advance(Duration(20 * 60_000));
        let mut modify = ModifyCache::from_description(&describe(&mut lab, "sessions").unwrap());
        assert!(modify.plan().unwrap_err().contains("haven't changed anything"));
        modify.backup_retention = 5;
        modify.apply_immediately = true;
        let plan = modify.plan().unwrap();
        assert_eq!(
            plan[0].request,
            json!({"ReplicationGroupId": "sessions", "SnapshotRetentionLimit": 5, "ApplyImmediately": true})
        );
        assert_cli_round_trips(&plan);
        perform(&mut lab, &plan).unwrap();
        lab.advance(Duration(5 * 60_000));
        assert_eq!(describe(&mut lab, "sessions").unwrap()["SnapshotRetentionLimit"], 5);
    }

    #[test]
    fn a_cache_with_a_replica_is_created_from_the_form() {
        let form = CreateCache { name: "sessions".to_string(), ..CreateCache::default() };
        let plan = form.plan().unwrap();
        assert_cli_round_trips(&plan);
        assert!(plan[0].cli().contains("--num-cache-clusters 2 --automatic-failover-enabled --multi-az-enabled"));
        let mut lab = lab();
        perform(&mut lab, &plan).expect("the cache is created");
        assert_eq!(caches(&mut lab)[0].status, "Creating");
        lab.advance(Duration(20 * 60_000));
        let group = describe(&mut lab, "sessions").unwrap();
        let roles: Vec<String> = nodes(&group).into_iter().map(|n| n.role).collect();
        assert_eq!(roles, ["Primary", "Replica"]);
        let labels: Vec<&str> = endpoints(&group).into_iter().map(|e| e.0).collect();
        assert_eq!(labels, ["Primary endpoint", "Reader endpoint"]);

        let failover = failover("sessions", "0001");
        assert_cli_round_trips(std::slice::from_ref(&failover));
        perform(&mut lab, &[failover]).expect("the failover starts");
    }

    #[test]
    fn cluster_mode_sends_shards_and_replicas_per_shard() {
        let form = CreateCache { name: "carts".to_string(), cluster_mode: true, shards: 3, ..CreateCache::default() };
        let plan = form.plan().unwrap();
        assert_eq!(plan[0].request["NumNodeGroups"], 3);
        assert_cli_round_trips(&plan);
        let mut lab = lab();
        perform(&mut lab, &plan).unwrap();
        lab.advance(Duration(20 * 60_000));
        let row = &caches(&mut lab)[0];
        assert_eq!((row.shards, row.nodes, row.cluster_mode), (3, 6, true));
        let group = describe(&mut lab, "carts").unwrap();
        assert_eq!(endpoints(&group)[0].0, "Configuration endpoint");
        assert_cli_round_trips(&[delete("carts", Some("carts-final")), delete("carts", None)]);
    }

    #[test]
    fn the_services_own_checks_answer_what_the_form_lets_through() {
        let form = CreateCache {
            name: "bad".to_string(),
            cluster_mode: true,
            automatic_failover: false,
            multi_az: false,
            ..CreateCache::default()
        };
        let mut lab = lab();
        let error = perform(&mut lab, &form.plan().unwrap()).unwrap_err();
        assert_eq!(error.code, "InvalidParameterCombination");
    }
}
