//! Cache subnet groups: the subnets of one VPC a cache's nodes may be placed in. The `default`
//! group (every subnet of the default VPC) always exists.

use super::CacheCtx;
use super::ElastiCache;
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::network::Network;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CacheSubnetGroup {
    pub name: String,
    pub description: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
}

impl CacheSubnetGroup {
    pub fn to_json(&self, net: &Network, account: &str) -> Value {
        let subnets: Vec<Value> = self
            .subnet_ids
            .iter()
            .filter_map(|id| net.subnet(id))
            .map(|s| {
                json!({"SubnetIdentifier": s.id, "SubnetAvailabilityZone": {"Name": s.zone},
                       "SupportedNetworkTypes": ["ipv4"]})
            })
            .collect();
        json!({
            "CacheSubnetGroupName": self.name,
            "CacheSubnetGroupDescription": self.description,
            "VpcId": self.vpc_id,
            "Subnets": subnets,
            "ARN": format!("arn:aws:elasticache:us-east-1:{account}:subnetgroup:{}", self.name),
            "SupportedNetworkTypes": ["ipv4"],
        })
    }

    /// The zones the group's subnets cover, in order.
    pub fn zones(&self, net: &Network) -> Vec<String> {
        let mut zones: Vec<String> =
            self.subnet_ids.iter().filter_map(|id| net.subnet(id)).map(|s| s.zone.clone()).collect();
        zones.sort();
        zones.dedup();
        zones
    }
}

/// The `default` group: every subnet of the default VPC.
pub fn default_group(net: &Network) -> Option<CacheSubnetGroup> {
    let vpc = net.default_vpc()?;
    Some(CacheSubnetGroup {
        name: "default".into(),
        description: "Default CacheSubnetGroup".into(),
        vpc_id: vpc.id.clone(),
        subnet_ids: net.subnets.iter().filter(|s| s.vpc_id == vpc.id).map(|s| s.id.clone()).collect(),
    })
}

/// The group called `name` (the default one included).
pub fn find(ec: &ElastiCache, net: &Network, name: &str) -> Result<CacheSubnetGroup, ApiError> {
    let name = name.to_ascii_lowercase();
    let found =
        if name == "default" { default_group(net) } else { ec.subnet_groups.iter().find(|g| g.name == name).cloned() };
    found.ok_or_else(|| {
        ApiError::client("CacheSubnetGroupNotFoundFault", format!("Cache subnet group '{name}' not found."))
    })
}

/// `CreateCacheSubnetGroup`.
pub fn create_cache_subnet_group(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, net, account, .. } = c;
    let name = req.required_str("CacheSubnetGroupName")?.to_ascii_lowercase();
    let description = req.required_str("CacheSubnetGroupDescription")?;
    let ids = req.str_list("SubnetIds")?;
    if name == "default"
        || name.is_empty()
        || name.len() > 255
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(super::invalid(format!("Invalid cache subnet group name: {name}")));
    }
    if ec.subnet_groups.iter().any(|g| g.name == name) {
        return Err(ApiError::client(
            "CacheSubnetGroupAlreadyExists",
            format!("Cache subnet group {name} already exists."),
        ));
    }
    if ids.is_empty() {
        return Err(super::invalid("The request must contain the parameter SubnetIds."));
    }
    let mut vpc: Option<String> = None;
    for id in &ids {
        let Some(subnet) = net.subnet(id) else {
            return Err(ApiError::client("InvalidSubnet", format!("The subnet ID {id} does not exist")));
        };
        match &vpc {
            None => vpc = Some(subnet.vpc_id.clone()),
            Some(v) if *v != subnet.vpc_id => {
                return Err(super::invalid("Subnets must all be in the same VPC."));
            }
            _ => {}
        }
    }
    let group = CacheSubnetGroup {
        name,
        description: description.to_string(),
        vpc_id: vpc.unwrap_or_default(),
        subnet_ids: ids,
    };
    let out = json!({ "CacheSubnetGroup": group.to_json(net, account) });
    ec.subnet_groups.push(group);
    Ok(out)
}

/// `DescribeCacheSubnetGroups`.
pub fn describe_cache_subnet_groups(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, net, account, .. } = c;
    let groups: Vec<CacheSubnetGroup> = match req.str("CacheSubnetGroupName")? {
        Some(name) => vec![find(ec, net, name)?],
        None => default_group(net).into_iter().chain(ec.subnet_groups.iter().cloned()).collect(),
    };
    Ok(json!({ "CacheSubnetGroups": groups.iter().map(|g| g.to_json(net, account)).collect::<Vec<_>>() }))
}

/// `DeleteCacheSubnetGroup`.
pub fn delete_cache_subnet_group(c: CacheCtx, req: &Request) -> ApiResult {
    let CacheCtx { service: ec, .. } = c;
    let name = req.required_str("CacheSubnetGroupName")?.to_ascii_lowercase();
    if !ec.subnet_groups.iter().any(|g| g.name == name) {
        return Err(ApiError::client(
            "CacheSubnetGroupNotFoundFault",
            format!("Cache subnet group '{name}' not found."),
        ));
    }
    if ec.nodes.iter().any(|n| n.subnet_group == name) {
        return Err(ApiError::client(
            "CacheSubnetGroupInUse",
            format!("Cache subnet group {name} is currently in use."),
        ));
    }
    ec.subnet_groups.retain(|g| g.name != name);
    Ok(json!({}))
}
