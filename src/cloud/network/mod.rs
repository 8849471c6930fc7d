//! The region's network: VPCs, subnets, internet gateways, route tables, security groups and EC2
//! instances, and the question every connection asks: can this host reach that address and port?
//!
//! The life of a connection (see [`reach`]):
//!
//! ```text
//!   laptop (203.0.113.10) ──internet──▶ public IP? ──▶ subnet routes 0.0.0.0/0 to an IGW?
//!                                                      ──▶ security group allows port from source?
//!                                                      ──▶ something listening? ──▶ connected
//!   EC2 in the VPC ──local route──▶ private IP ──▶ security group ──▶ listening? ──▶ connected
//! ```
//!
//! A security group that does not allow the traffic drops it silently, so clients time out; a
//! port nobody listens on is refused at once. That is what AWS does, and what learners must learn
//! to tell apart.
//!
//! The EC2 API ([`Network::call`]) answers with the shapes the AWS CLI prints (`{"Vpc": {...}}`,
//! `{"Reservations": [...]}`) and EC2's error codes (`InvalidVpcID.NotFound` ...).

pub mod cidr;
mod filters;
pub mod instances;
pub mod reach;
pub mod security;
pub mod vpc;

use super::api::{ApiError, ApiResult, Request};
use super::operation::{op_table, Table, Unknown, READ, WRITE};
use super::time::Timestamp;
use crate::engines::rng::Rng;
use cidr::{Cidr, Ip};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use instances::{Instance, InstanceState};
pub use security::SecurityGroup;
pub use vpc::{InternetGateway, RouteTable, Subnet, Vpc};

/// The region's availability zones.
pub const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
/// The zone ids AWS maps them to for this account.
pub const ZONE_IDS: [&str; 3] = ["use1-az4", "use1-az6", "use1-az1"];
/// The learner's laptop, somewhere on the internet (a documentation address).
pub const LAPTOP_IP: &str = "203.0.113.10";
/// CloudShell's public address (CloudShell runs outside your VPCs).
pub const CLOUDSHELL_IP: &str = "3.92.14.201";

const HEX: &[u8] = b"0123456789abcdef";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub gateways: Vec<InternetGateway>,
    pub route_tables: Vec<RouteTable>,
    pub security_groups: Vec<SecurityGroup>,
    pub instances: Vec<Instance>,
    /// Public addresses handed out so far (for the next one).
    pub public_ips_used: u32,
    /// Addresses held by other services' network interfaces (RDS instances, cache nodes):
    /// (subnet, address, owner).
    pub reserved_ips: Vec<(String, Ip, String)>,
    /// Availability zones in a (simulated) outage: nothing in them sends or answers packets.
    pub failed_zones: Vec<String>,
    /// Events an operation asked for, collected by the cloud after each call and put on its queue.
    pub pending_events: Vec<(Timestamp, NetworkEvent)>,
}

/// Something in the network that happens later on the clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NetworkEvent {
    InstanceState { id: String, state: InstanceState },
}

/// An AWS-style resource id: `vpc-` and 17 hex digits.
pub fn new_id(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}-{}", rng.string(HEX, 17))
}

/// Tags as EC2 returns them.
pub fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(tags.iter().map(|(k, v)| serde_json::json!({"Key": k, "Value": v})).collect())
}

/// Tags requested with `--tag-specifications ResourceType=vpc,Tags=[{Key=Name,Value=lab}]`.
pub fn requested_tags(req: &Request, resource_type: &str) -> Vec<(String, String)> {
    let Some(Value::Array(specs)) = req.value("TagSpecifications") else { return Vec::new() };
    specs
        .iter()
        .filter(|s| s.get("ResourceType").and_then(Value::as_str) == Some(resource_type))
        .flat_map(|s| s.get("Tags").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter_map(|t| {
            Some((
                t.get("Key")?.as_str()?.to_string(),
                t.get("Value").and_then(Value::as_str).unwrap_or("").to_string(),
            ))
        })
        .collect()
}

pub fn not_found(code: &str, message: String) -> ApiError {
    ApiError::client(code, message)
}

pub fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::client("InvalidParameterValue", message)
}

impl Network {
    /// Applies a scheduled event.
    pub fn apply(&mut self, event: NetworkEvent) {
        match event {
            NetworkEvent::InstanceState { id, state } => instances::apply(self, &id, state),
        }
    }

    /// The network of a new account: a default VPC with a public subnet in each zone.
    pub fn new(rng: &mut Rng, account: &str) -> Network {
        let mut net = Network::default();
        vpc::create_default_vpc(&mut net, rng, account);
        net
    }

    /// Runs one EC2 API operation: finds its row in [`OPERATIONS`] and runs it.
    pub fn call(
        &mut self,
        rng: &mut Rng,
        now: Timestamp,
        account: &str,
        operation: &str,
        request: &Value,
    ) -> ApiResult {
        let req = Request::new(request)?;
        if req.bool("DryRun")? == Some(true) {
            return Err(ApiError::new("DryRunOperation", 412, "Request would have succeeded, but DryRun flag is set."));
        }
        let row = OPERATIONS.find(operation)?;
        (row.handler)(Ec2Ctx { net: self, rng, now, account }, &req)
    }

    pub fn vpc(&self, id: &str) -> Option<&Vpc> {
        self.vpcs.iter().find(|v| v.id == id)
    }

    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.id == id)
    }

    pub fn security_group(&self, id: &str) -> Option<&SecurityGroup> {
        self.security_groups.iter().find(|g| g.id == id)
    }

    pub fn instance(&self, id: &str) -> Option<&Instance> {
        self.instances.iter().find(|i| i.id == id)
    }

    pub fn default_vpc(&self) -> Option<&Vpc> {
        self.vpcs.iter().find(|v| v.is_default)
    }

    /// The route table that governs a subnet: its explicit association, or its VPC's main table.
    pub fn route_table_for(&self, subnet: &Subnet) -> Option<&RouteTable> {
        self.route_tables
            .iter()
            .find(|t| t.subnet_associations.contains(&subnet.id))
            .or_else(|| self.route_tables.iter().find(|t| t.vpc_id == subnet.vpc_id && t.main))
    }

    /// Whether a subnet routes 0.0.0.0/0 to an attached internet gateway (a public subnet).
    pub fn is_public_subnet(&self, subnet: &Subnet) -> bool {
        self.route_table_for(subnet).is_some_and(|t| {
            t.routes.iter().any(|r| {
                r.destination.prefix == 0
                    && self
                        .gateways
                        .iter()
                        .any(|g| g.id == r.target && g.attached_to.as_deref() == Some(&subnet.vpc_id))
            })
        })
    }

    /// The next free private address of a subnet (AWS reserves the first four and the last).
    pub fn next_private_ip(&self, subnet: &Subnet) -> Option<Ip> {
        let taken: Vec<Ip> = self
            .instances
            .iter()
            .filter(|i| i.subnet_id == subnet.id)
            .map(|i| i.private_ip)
            .chain(self.reserved_ips.iter().filter(|(s, _, _)| *s == subnet.id).map(|(_, ip, _)| *ip))
            .collect();
        (4..subnet.cidr.size().saturating_sub(1) as u32).map(|n| subnet.cidr.nth(n)).find(|ip| !taken.contains(ip))
    }

    /// Gives another service's interface an address in a subnet.
    pub fn reserve_ip(&mut self, subnet_id: &str, owner: &str) -> Option<Ip> {
        let subnet = self.subnet(subnet_id)?.clone();
        let ip = self.next_private_ip(&subnet)?;
        self.reserved_ips.push((subnet_id.to_string(), ip, owner.to_string()));
        Some(ip)
    }

    /// Frees the addresses an owner held.
    pub fn release_ips(&mut self, owner: &str) {
        self.reserved_ips.retain(|(_, _, o)| o != owner);
    }

    /// A new public address from Amazon's pool (deterministic: 54.x.y.z in order).
    pub fn next_public_ip(&mut self) -> Ip {
        self.public_ips_used += 1;
        let n = self.public_ips_used;
        Ip(u32::from_be_bytes([54, 160 + (n / 65_536 % 64) as u8, (n / 256 % 256) as u8, (n % 256) as u8]))
    }
}

/// What every EC2 operation works with: the network, the region's random source, the clock and
/// the account.
pub struct Ec2Ctx<'a> {
    pub net: &'a mut Network,
    pub rng: &'a mut Rng,
    pub now: Timestamp,
    pub account: &'a str,
}

pub type Handler = fn(Ec2Ctx, &Request) -> ApiResult;

/// Every EC2 operation.
pub static OPERATIONS: Table<Handler> = Table {
    unknown: Unknown::NotValid,
    operations: op_table! {
        "DescribeAvailabilityZones", READ, "AvailabilityZone", vpc::describe_availability_zones;
        "CreateVpc", WRITE, "Vpc", vpc::create_vpc;
        "DescribeVpcs", READ, "Vpc", vpc::describe_vpcs;
        "DeleteVpc", WRITE, "Vpc", vpc::delete_vpc;
        "CreateSubnet", WRITE, "Subnet", vpc::create_subnet;
        "DescribeSubnets", READ, "Subnet", vpc::describe_subnets;
        "DeleteSubnet", WRITE, "Subnet", vpc::delete_subnet;
        "ModifySubnetAttribute", WRITE, "Subnet", vpc::modify_subnet_attribute;
        "CreateInternetGateway", WRITE, "InternetGateway", vpc::create_internet_gateway;
        "AttachInternetGateway", WRITE, "InternetGateway", vpc::attach_internet_gateway;
        "DetachInternetGateway", WRITE, "InternetGateway", vpc::detach_internet_gateway;
        "DescribeInternetGateways", READ, "InternetGateway", vpc::describe_internet_gateways;
        "DeleteInternetGateway", WRITE, "InternetGateway", vpc::delete_internet_gateway;
        "CreateRouteTable", WRITE, "RouteTable", vpc::create_route_table;
        "CreateRoute", WRITE, "RouteTable", vpc::create_route;
        "AssociateRouteTable", WRITE, "RouteTable", vpc::associate_route_table;
        "DescribeRouteTables", READ, "RouteTable", vpc::describe_route_tables;
        "DeleteRouteTable", WRITE, "RouteTable", vpc::delete_route_table;
        "CreateSecurityGroup", WRITE, "SecurityGroup", security::create_security_group;
        "DescribeSecurityGroups", READ, "SecurityGroup", security::describe_security_groups;
        "DeleteSecurityGroup", WRITE, "SecurityGroup", security::delete_security_group;
        "AuthorizeSecurityGroupIngress", WRITE, "SecurityGroup", security::authorize_security_group_ingress;
        "RevokeSecurityGroupIngress", WRITE, "SecurityGroup", security::revoke_security_group_ingress;
        "RunInstances", WRITE, "Instance", instances::run_instances;
        "DescribeInstances", READ, "Instance", instances::describe_instances;
        "TerminateInstances", WRITE, "Instance", instances::terminate_instances;
        "StopInstances", WRITE, "Instance", instances::stop_instances;
        "StartInstances", WRITE, "Instance", instances::start_instances;
        "DescribeImages", READ, "Image", instances::describe_images;
        "CreateTags", WRITE, "Tag", create_tags;
    },
};

/// `CreateTags`: adds or replaces tags on VPCs, subnets, security groups and instances.
fn create_tags(c: Ec2Ctx, req: &Request) -> ApiResult {
    let net = c.net;
    let ids = req.str_list("Resources")?;
    let tags: Vec<(String, String)> = req
        .value("Tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(|t| {
                    Some((
                        t.get("Key")?.as_str()?.to_string(),
                        t.get("Value").and_then(Value::as_str).unwrap_or("").to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    for id in &ids {
        let target: Option<&mut Vec<(String, String)>> = if let Some(v) = net.vpcs.iter_mut().find(|v| &v.id == id) {
            Some(&mut v.tags)
        } else if let Some(s) = net.subnets.iter_mut().find(|s| &s.id == id) {
            Some(&mut s.tags)
        } else if let Some(g) = net.security_groups.iter_mut().find(|g| &g.id == id) {
            Some(&mut g.tags)
        } else if let Some(i) = net.instances.iter_mut().find(|i| &i.id == id) {
            Some(&mut i.tags)
        } else {
            None
        };
        let Some(target) = target else {
            return Err(ApiError::client("InvalidID", format!("The ID '{id}' is not valid")));
        };
        for (k, v) in &tags {
            target.retain(|(key, _)| key != k);
            target.push((k.clone(), v.clone()));
        }
    }
    Ok(serde_json::json!({}))
}

/// Parses a CIDR as EC2 validates it.
pub fn parse_cidr(text: &str) -> Result<Cidr, ApiError> {
    Cidr::parse(text).ok_or_else(|| {
        invalid(format!("Value ({text}) for parameter cidrBlock is invalid. This is not a valid CIDR block."))
    })
}
