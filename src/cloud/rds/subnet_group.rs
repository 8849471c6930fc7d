//! DB subnet groups: the subnets (in at least two availability zones) an RDS instance may live in.

use super::RdsCtx;
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::network::{Network, ZONES};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbSubnetGroup {
    pub name: String,
    pub description: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
}

impl DbSubnetGroup {
    pub fn to_json(&self, net: &Network, account: &str) -> Value {
        let subnets: Vec<Value> = self
            .subnet_ids
            .iter()
            .filter_map(|id| net.subnet(id))
            .map(|s| {
                json!({"SubnetIdentifier": s.id, "SubnetAvailabilityZone": {"Name": s.zone}, "SubnetOutpost": {}, "SubnetStatus": "Active"})
            })
            .collect();
        json!({
            "DBSubnetGroupName": self.name,
            "DBSubnetGroupDescription": self.description,
            "VpcId": self.vpc_id,
            "SubnetGroupStatus": "Complete",
            "Subnets": subnets,
            "DBSubnetGroupArn": format!("arn:aws:rds:us-east-1:{account}:subgrp:{}", self.name),
            "SupportedNetworkTypes": ["IPV4"],
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
pub fn default_group(net: &Network) -> Option<DbSubnetGroup> {
    let vpc = net.default_vpc()?;
    Some(DbSubnetGroup {
        name: "default".into(),
        description: "default".into(),
        vpc_id: vpc.id.clone(),
        subnet_ids: net.subnets.iter().filter(|s| s.vpc_id == vpc.id).map(|s| s.id.clone()).collect(),
    })
}

fn check_name(name: &str) -> Result<(), ApiError> {
    let ok = !name.is_empty()
        && name.len() <= 255
        && name.chars().all(|c| c.is_ascii_alphanumeric() || " ._-".contains(c))
        && name != "default";
    if ok {
        Ok(())
    } else {
        Err(ApiError::client("InvalidParameterValue", format!("Invalid DB subnet group name: {name}")))
    }
}

/// `CreateDBSubnetGroup`.
pub fn create_db_subnet_group(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, account, .. } = c;
    let name = req.required_str("DBSubnetGroupName")?.to_ascii_lowercase();
    check_name(&name)?;
    let description = req.required_str("DBSubnetGroupDescription")?;
    let ids = req.str_list("SubnetIds")?;
    if rds.subnet_groups.iter().any(|g| g.name == name) {
        return Err(ApiError::client(
            "DBSubnetGroupAlreadyExists",
            format!("The DB subnet group '{name}' already exists."),
        ));
    }
    let mut vpc: Option<String> = None;
    for id in &ids {
        let Some(subnet) = net.subnet(id) else {
            return Err(ApiError::client(
                "InvalidSubnet",
                format!("Some input subnets in :[{}] are invalid.", ids.join(", ")),
            ));
        };
        match &vpc {
            None => vpc = Some(subnet.vpc_id.clone()),
            Some(v) if *v != subnet.vpc_id => {
                return Err(ApiError::client(
                    "InvalidParameterValue",
                    "Subnets in the DB subnet group should be in the same VPC.",
                ))
            }
            _ => {}
        }
    }
    let group =
        DbSubnetGroup { name, description: description.to_string(), vpc_id: vpc.unwrap_or_default(), subnet_ids: ids };
    let zones = group.zones(net);
    if zones.len() < 2 {
        return Err(ApiError::client(
            "DBSubnetGroupDoesNotCoverEnoughAZs",
            format!(
                "The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: {}. Add subnets to cover at least 2 AZs.",
                if zones.is_empty() { "none".to_string() } else { zones.join(", ") }
            ),
        ));
    }
    let out = json!({ "DBSubnetGroup": group.to_json(net, account) });
    rds.subnet_groups.push(group);
    Ok(out)
}

/// `DescribeDBSubnetGroups`.
pub fn describe_db_subnet_groups(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, net, account, .. } = c;
    let mut groups: Vec<DbSubnetGroup> = default_group(net).into_iter().collect();
    groups.extend(rds.subnet_groups.iter().cloned());
    if let Some(name) = req.str("DBSubnetGroupName")? {
        groups.retain(|g| g.name == name.to_ascii_lowercase());
        if groups.is_empty() {
            return Err(ApiError::new("DBSubnetGroupNotFoundFault", 404, format!("DBSubnetGroup '{name}' not found.")));
        }
    }
    Ok(json!({ "DBSubnetGroups": groups.iter().map(|g| g.to_json(net, account)).collect::<Vec<_>>() }))
}

/// `DeleteDBSubnetGroup`.
pub fn delete_db_subnet_group(c: RdsCtx, req: &Request) -> ApiResult {
    let RdsCtx { service: rds, .. } = c;
    let name = req.required_str("DBSubnetGroupName")?.to_ascii_lowercase();
    if !rds.subnet_groups.iter().any(|g| g.name == name) {
        return Err(ApiError::new("DBSubnetGroupNotFoundFault", 404, format!("DBSubnetGroup '{name}' not found.")));
    }
    if rds.instances.iter().any(|i| i.subnet_group == name) {
        return Err(ApiError::client(
            "InvalidDBSubnetGroupStateFault",
            format!(
                "Cannot delete the subnet group '{name}' because at least one database instance: {} is still using it.",
                rds.instances.iter().find(|i| i.subnet_group == name).map(|i| i.id.as_str()).unwrap_or("")
            ),
        ));
    }
    rds.subnet_groups.retain(|g| g.name != name);
    Ok(json!({}))
}

/// A zone not in the list, for the standby (the first other zone the group covers).
pub fn other_zone(zones: &[String], primary: &str) -> Option<String> {
    zones
        .iter()
        .find(|z| *z != primary)
        .cloned()
        .or_else(|| ZONES.iter().find(|z| **z != primary).map(|z| z.to_string()))
}
