//! VPCs, subnets, internet gateways and route tables.
//!
//! A VPC is an address range (`10.0.0.0/16`). Subnets cut it into pieces, one availability zone
//! each. A subnet is *public* when its route table sends `0.0.0.0/0` to an internet gateway
//! attached to the VPC; otherwise it is private, reachable only from inside the VPC.

use super::cidr::Cidr;
use super::filters;
use super::{
    invalid, new_id, not_found, parse_cidr, requested_tags, tags_json, Ec2Ctx, InstanceState, Network, ZONES, ZONE_IDS,
};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::engines::rng::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub cidr: Cidr,
    pub is_default: bool,
    pub tags: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub cidr: Cidr,
    pub zone: String,
    pub default_for_az: bool,
    /// Instances launched here get a public address.
    pub map_public_ip: bool,
    pub tags: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InternetGateway {
    pub id: String,
    pub attached_to: Option<String>,
    pub tags: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub destination: Cidr,
    /// `local`, or an internet gateway id.
    pub target: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    /// The main route table governs subnets without an explicit association.
    pub main: bool,
    pub routes: Vec<Route>,
    pub subnet_associations: Vec<String>,
    pub tags: Vec<(String, String)>,
}

/// The default VPC every account starts with: 172.31.0.0/16, a public /20 in each zone,
/// an internet gateway, and a default security group.
pub fn create_default_vpc(net: &mut Network, rng: &mut Rng, account: &str) {
    let cidr = Cidr::parse("172.31.0.0/16").expect("a valid literal");
    let vpc_id = new_id(rng, "vpc");
    net.vpcs.push(Vpc { id: vpc_id.clone(), cidr, is_default: true, tags: Vec::new() });
    for (i, zone) in ZONES.iter().enumerate() {
        let cidr = Cidr::parse(&format!("172.31.{}.0/20", i * 16)).expect("a valid literal");
        net.subnets.push(Subnet {
            id: new_id(rng, "subnet"),
            vpc_id: vpc_id.clone(),
            cidr,
            zone: zone.to_string(),
            default_for_az: true,
            map_public_ip: true,
            tags: Vec::new(),
        });
    }
    let igw = new_id(rng, "igw");
    net.gateways.push(InternetGateway { id: igw.clone(), attached_to: Some(vpc_id.clone()), tags: Vec::new() });
    let mut table = main_table(rng, &vpc_id, cidr);
    table.routes.push(Route { destination: Cidr::parse("0.0.0.0/0").expect("a valid literal"), target: igw });
    net.route_tables.push(table);
    super::security::add_default_group(net, rng, &vpc_id, account);
}

fn main_table(rng: &mut Rng, vpc_id: &str, cidr: Cidr) -> RouteTable {
    RouteTable {
        id: new_id(rng, "rtb"),
        vpc_id: vpc_id.to_string(),
        main: true,
        routes: vec![Route { destination: cidr, target: "local".into() }],
        subnet_associations: Vec::new(),
        tags: Vec::new(),
    }
}

/// `DescribeAvailabilityZones`: the region's three zones, all available.
pub fn describe_availability_zones(_: Ec2Ctx, _: &Request) -> ApiResult {
    let zones: Vec<Value> = ZONES
        .iter()
        .zip(ZONE_IDS)
        .map(|(name, id)| {
            json!({"State": "available", "OptInStatus": "opt-in-not-required", "Messages": [], "RegionName": "us-east-1",
                   "ZoneName": name, "ZoneId": id, "GroupName": "us-east-1", "NetworkBorderGroup": "us-east-1", "ZoneType": "availability-zone"})
        })
        .collect();
    Ok(json!({ "AvailabilityZones": zones }))
}

fn vpc_json(v: &Vpc, account: &str, state: &str) -> Value {
    json!({
        "CidrBlock": v.cidr.to_string(),
        "DhcpOptionsId": "dopt-0a6c1a2b3c4d5e6f7",
        "State": state,
        "VpcId": v.id,
        "OwnerId": account,
        "InstanceTenancy": "default",
        "CidrBlockAssociationSet": [{
            "AssociationId": format!("vpc-cidr-assoc-{}", v.id.get(4..).unwrap_or_default()),
            "CidrBlock": v.cidr.to_string(),
            "CidrBlockState": {"State": "associated"}
        }],
        "IsDefault": v.is_default,
        "Tags": tags_json(&v.tags),
    })
}

pub fn subnet_json(net: &Network, s: &Subnet, account: &str) -> Value {
    let used =
        net.instances.iter().filter(|i| i.subnet_id == s.id && i.state != InstanceState::Terminated).count() as u64;
    let zone_index = ZONES.iter().position(|z| *z == s.zone).unwrap_or(0);
    json!({
        "AvailabilityZone": s.zone,
        "AvailabilityZoneId": ZONE_IDS[zone_index],
        "AvailableIpAddressCount": s.cidr.size().saturating_sub(5 + used),
        "CidrBlock": s.cidr.to_string(),
        "DefaultForAz": s.default_for_az,
        "MapPublicIpOnLaunch": s.map_public_ip,
        "State": "available",
        "SubnetId": s.id,
        "VpcId": s.vpc_id,
        "OwnerId": account,
        "AssignIpv6AddressOnCreation": false,
        "Ipv6CidrBlockAssociationSet": [],
        "Tags": tags_json(&s.tags),
        "SubnetArn": format!("arn:aws:ec2:us-east-1:{account}:subnet/{}", s.id),
    })
}

fn igw_json(g: &InternetGateway, account: &str) -> Value {
    let attachments: Vec<Value> = g.attached_to.iter().map(|v| json!({"State": "available", "VpcId": v})).collect();
    json!({"Attachments": attachments, "InternetGatewayId": g.id, "OwnerId": account, "Tags": tags_json(&g.tags)})
}

fn route_table_json(t: &RouteTable, account: &str) -> Value {
    let mut associations: Vec<Value> = Vec::new();
    if t.main {
        associations.push(json!({"Main": true, "RouteTableAssociationId": format!("rtbassoc-{}", t.id.get(4..).unwrap_or_default()), "RouteTableId": t.id, "AssociationState": {"State": "associated"}}));
    }
    for s in &t.subnet_associations {
        associations.push(json!({"Main": false, "RouteTableAssociationId": format!("rtbassoc-{}", s.get(7..).unwrap_or_default()), "RouteTableId": t.id, "SubnetId": s, "AssociationState": {"State": "associated"}}));
    }
    let routes: Vec<Value> = t
        .routes
        .iter()
        .map(|r| {
            let origin = if r.target == "local" { "CreateRouteTable" } else { "CreateRoute" };
            json!({"DestinationCidrBlock": r.destination.to_string(), "GatewayId": r.target, "Origin": origin, "State": "active"})
        })
        .collect();
    json!({"Associations": associations, "PropagatingVgws": [], "RouteTableId": t.id, "Routes": routes, "Tags": tags_json(&t.tags), "VpcId": t.vpc_id, "OwnerId": account})
}

fn by_ids<'a, T>(
    items: &'a [T],
    ids: &[String],
    id_of: impl Fn(&T) -> &str,
    code: &str,
    noun: &str,
) -> Result<Vec<&'a T>, ApiError> {
    if ids.is_empty() {
        return Ok(items.iter().collect());
    }
    let mut out = Vec::new();
    for id in ids {
        match items.iter().find(|i| id_of(i) == id) {
            Some(item) => out.push(item),
            None => return Err(not_found(code, format!("The {noun} ID '{id}' does not exist"))),
        }
    }
    Ok(out)
}

/// `CreateVpc`.
pub fn create_vpc(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, rng, account, .. } = c;
    let cidr = parse_cidr(req.required_str("CidrBlock")?)?;
    if !(16..=28).contains(&cidr.prefix) {
        return Err(ApiError::client("InvalidVpc.Range", format!("The CIDR '{cidr}' is invalid.")));
    }
    let vpc = Vpc { id: new_id(rng, "vpc"), cidr, is_default: false, tags: requested_tags(req, "vpc") };
    net.route_tables.push(main_table(rng, &vpc.id, cidr));
    super::security::add_default_group(net, rng, &vpc.id, account);
    let out = json!({ "Vpc": vpc_json(&vpc, account, "pending") });
    net.vpcs.push(vpc);
    Ok(out)
}

/// `DescribeVpcs`.
pub fn describe_vpcs(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, account, .. } = c;
    let filters = filters::read(req)?;
    filters::check_names(&filters, &["vpc-id", "cidr", "cidr-block", "is-default", "state"])?;
    let found = by_ids(&net.vpcs, &req.str_list("VpcIds")?, |v| &v.id, "InvalidVpcID.NotFound", "vpc")?;
    let vpcs: Vec<Value> = found
        .into_iter()
        .filter(|v| {
            filters.iter().all(|f| {
                let have = match f.name.as_str() {
                    "vpc-id" => vec![v.id.clone()],
                    "cidr" | "cidr-block" => vec![v.cidr.to_string()],
                    "is-default" => vec![v.is_default.to_string()],
                    "state" => vec!["available".into()],
                    _ => filters::tag_values(&v.tags, f),
                };
                filters::matches(f, &have)
            })
        })
        .map(|v| vpc_json(v, account, "available"))
        .collect();
    Ok(json!({ "Vpcs": vpcs }))
}

/// `DeleteVpc`.
pub fn delete_vpc(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, .. } = c;
    let id = req.required_str("VpcId")?;
    if net.vpc(id).is_none() {
        return Err(not_found("InvalidVpcID.NotFound", format!("The vpc ID '{id}' does not exist")));
    }
    let busy = net.subnets.iter().any(|s| s.vpc_id == id)
        || net.gateways.iter().any(|g| g.attached_to.as_deref() == Some(id))
        || net.security_groups.iter().any(|g| g.vpc_id == id && g.name != "default")
        || net.route_tables.iter().any(|t| t.vpc_id == id && !t.main);
    if busy {
        return Err(ApiError::client(
            "DependencyViolation",
            format!("The vpc '{id}' has dependencies and cannot be deleted."),
        ));
    }
    net.vpcs.retain(|v| v.id != id);
    net.route_tables.retain(|t| t.vpc_id != id);
    net.security_groups.retain(|g| g.vpc_id != id);
    Ok(json!({}))
}

/// `CreateSubnet`.
pub fn create_subnet(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, rng, account, .. } = c;
    let vpc_id = req.required_str("VpcId")?;
    let vpc = net
        .vpc(vpc_id)
        .ok_or_else(|| not_found("InvalidVpcID.NotFound", format!("The vpc ID '{vpc_id}' does not exist")))?
        .clone();
    let text = req.required_str("CidrBlock")?;
    let cidr = parse_cidr(text)?;
    if !vpc.cidr.covers(cidr) || !(16..=28).contains(&cidr.prefix) {
        return Err(ApiError::client("InvalidSubnet.Range", format!("The CIDR '{text}' is invalid.")));
    }
    if net.subnets.iter().any(|s| s.vpc_id == vpc_id && s.cidr.overlaps(cidr)) {
        return Err(ApiError::client(
            "InvalidSubnet.Conflict",
            format!("The CIDR '{text}' conflicts with another subnet"),
        ));
    }
    let zone = match req.str("AvailabilityZone")? {
        Some(z) if ZONES.contains(&z) => z.to_string(),
        Some(z) => {
            return Err(invalid(format!(
                "Value ({z}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: {}.",
                ZONES.join(", ")
            )))
        }
        None => ZONES[rng.range(0, 2) as usize].to_string(),
    };
    let subnet = Subnet {
        id: new_id(rng, "subnet"),
        vpc_id: vpc_id.to_string(),
        cidr,
        zone,
        default_for_az: false,
        map_public_ip: false,
        tags: requested_tags(req, "subnet"),
    };
    let out = json!({ "Subnet": subnet_json(net, &subnet, account) });
    net.subnets.push(subnet);
    Ok(out)
}

/// `DescribeSubnets`.
pub fn describe_subnets(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, account, .. } = c;
    let filters = filters::read(req)?;
    filters::check_names(
        &filters,
        &[
            "vpc-id",
            "subnet-id",
            "availability-zone",
            "cidr-block",
            "default-for-az",
            "map-public-ip-on-launch",
            "state",
        ],
    )?;
    let found = by_ids(&net.subnets, &req.str_list("SubnetIds")?, |s| &s.id, "InvalidSubnetID.NotFound", "subnet")?;
    let subnets: Vec<Value> = found
        .into_iter()
        .filter(|s| {
            filters.iter().all(|f| {
                let have = match f.name.as_str() {
                    "vpc-id" => vec![s.vpc_id.clone()],
                    "subnet-id" => vec![s.id.clone()],
                    "availability-zone" => vec![s.zone.clone()],
                    "cidr-block" => vec![s.cidr.to_string()],
                    "default-for-az" => vec![s.default_for_az.to_string()],
                    "map-public-ip-on-launch" => vec![s.map_public_ip.to_string()],
                    "state" => vec!["available".into()],
                    _ => filters::tag_values(&s.tags, f),
                };
                filters::matches(f, &have)
            })
        })
        .map(|s| subnet_json(net, s, account))
        .collect();
    Ok(json!({ "Subnets": subnets }))
}

/// `DeleteSubnet`.
pub fn delete_subnet(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, .. } = c;
    let id = req.required_str("SubnetId")?;
    if net.subnet(id).is_none() {
        return Err(not_found("InvalidSubnetID.NotFound", format!("The subnet ID '{id}' does not exist")));
    }
    if net.instances.iter().any(|i| i.subnet_id == id && i.state != InstanceState::Terminated) {
        return Err(ApiError::client(
            "DependencyViolation",
            format!("The subnet '{id}' has dependencies and cannot be deleted."),
        ));
    }
    net.subnets.retain(|s| s.id != id);
    for t in &mut net.route_tables {
        t.subnet_associations.retain(|s| s != id);
    }
    Ok(json!({}))
}

/// `ModifySubnetAttribute`.
pub fn modify_subnet_attribute(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, .. } = c;
    let id = req.required_str("SubnetId")?;
    let value =
        req.value("MapPublicIpOnLaunch").and_then(|v| v.get("Value").and_then(Value::as_bool).or_else(|| v.as_bool()));
    let subnet = net
        .subnets
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or_else(|| not_found("InvalidSubnetID.NotFound", format!("The subnet ID '{id}' does not exist")))?;
    if let Some(v) = value {
        subnet.map_public_ip = v;
    }
    Ok(json!({}))
}

/// `CreateInternetGateway`.
pub fn create_internet_gateway(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, rng, account, .. } = c;
    let g =
        InternetGateway { id: new_id(rng, "igw"), attached_to: None, tags: requested_tags(req, "internet-gateway") };
    let out = json!({ "InternetGateway": igw_json(&g, account) });
    net.gateways.push(g);
    Ok(out)
}

/// `AttachInternetGateway`.
pub fn attach_internet_gateway(c: Ec2Ctx, req: &Request) -> ApiResult {
    let (g, vpc_id, other_attached) = gateway_and_vpc(c.net, req)?;
    if let Some(v) = &g.attached_to {
        return Err(ApiError::client(
            "Resource.AlreadyAssociated",
            format!("resource {} is already attached to network {v}", g.id),
        ));
    }
    if other_attached {
        return Err(invalid(format!("Network {vpc_id} already has an internet gateway attached")));
    }
    g.attached_to = Some(vpc_id);
    Ok(json!({}))
}

/// `DetachInternetGateway`.
pub fn detach_internet_gateway(c: Ec2Ctx, req: &Request) -> ApiResult {
    let (g, vpc_id, _) = gateway_and_vpc(c.net, req)?;
    if g.attached_to.as_deref() != Some(vpc_id.as_str()) {
        return Err(ApiError::client(
            "Gateway.NotAttached",
            format!("resource {} is not attached to network {vpc_id}", g.id),
        ));
    }
    g.attached_to = None;
    Ok(json!({}))
}

/// The gateway and the VPC an attach or detach names (the VPC checked first, as EC2 does), and
/// whether another gateway is attached to that VPC already.
fn gateway_and_vpc<'n>(
    net: &'n mut Network,
    req: &Request,
) -> Result<(&'n mut InternetGateway, String, bool), ApiError> {
    let igw = req.required_str("InternetGatewayId")?;
    let vpc_id = req.required_str("VpcId")?;
    if net.vpc(vpc_id).is_none() {
        return Err(not_found("InvalidVpcID.NotFound", format!("The vpc ID '{vpc_id}' does not exist")));
    }
    let other_attached = net.gateways.iter().any(|g| g.attached_to.as_deref() == Some(vpc_id) && g.id != igw);
    let g = net.gateways.iter_mut().find(|g| g.id == igw).ok_or_else(|| {
        not_found("InvalidInternetGatewayID.NotFound", format!("The internetGateway ID '{igw}' does not exist"))
    })?;
    Ok((g, vpc_id.to_string(), other_attached))
}

/// `DescribeInternetGateways`.
pub fn describe_internet_gateways(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, account, .. } = c;
    let found = by_ids(
        &net.gateways,
        &req.str_list("InternetGatewayIds")?,
        |g| &g.id,
        "InvalidInternetGatewayID.NotFound",
        "internetGateway",
    )?;
    Ok(json!({ "InternetGateways": found.into_iter().map(|g| igw_json(g, account)).collect::<Vec<_>>() }))
}

/// `DeleteInternetGateway`.
pub fn delete_internet_gateway(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, .. } = c;
    let id = req.required_str("InternetGatewayId")?;
    match net.gateways.iter().find(|g| g.id == id) {
        None => {
            Err(not_found("InvalidInternetGatewayID.NotFound", format!("The internetGateway ID '{id}' does not exist")))
        }
        Some(g) if g.attached_to.is_some() => Err(ApiError::client(
            "DependencyViolation",
            format!("The internetGateway '{id}' has dependencies and cannot be deleted."),
        )),
        Some(_) => {
            net.gateways.retain(|g| g.id != id);
            Ok(json!({}))
        }
    }
}

/// `CreateRouteTable`.
pub fn create_route_table(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, rng, account, .. } = c;
    let vpc_id = req.required_str("VpcId")?;
    let vpc = net
        .vpc(vpc_id)
        .ok_or_else(|| not_found("InvalidVpcID.NotFound", format!("The vpc ID '{vpc_id}' does not exist")))?;
    let mut table = main_table(rng, vpc_id, vpc.cidr);
    table.main = false;
    table.tags = requested_tags(req, "route-table");
    let out = json!({ "RouteTable": route_table_json(&table, account) });
    net.route_tables.push(table);
    Ok(out)
}

/// `CreateRoute`.
pub fn create_route(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, .. } = c;
    let id = req.required_str("RouteTableId")?;
    let dest = parse_cidr(req.required_str("DestinationCidrBlock")?)?;
    let gateway = req.str("GatewayId")?.ok_or_else(|| {
        ApiError::client("MissingParameter", "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId, egressOnlyInternetGatewayId, transitGatewayId, localGatewayId, carrierGatewayId, coreNetworkArn or instanceId")
    })?;
    let known_gateway = net.gateways.iter().any(|g| g.id == gateway);
    let table =
        net.route_tables.iter_mut().find(|t| t.id == id).ok_or_else(|| {
            not_found("InvalidRouteTableID.NotFound", format!("The routeTable ID '{id}' does not exist"))
        })?;
    if !known_gateway {
        return Err(not_found("InvalidGatewayID.NotFound", format!("The gateway ID '{gateway}' does not exist")));
    }
    if table.routes.iter().any(|r| r.destination == dest) {
        return Err(ApiError::client("RouteAlreadyExists", format!("The route identified by {dest} already exists.")));
    }
    table.routes.push(Route { destination: dest, target: gateway.to_string() });
    Ok(json!({ "Return": true }))
}

/// `AssociateRouteTable`.
pub fn associate_route_table(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, .. } = c;
    let id = req.required_str("RouteTableId")?;
    let subnet_id = req.required_str("SubnetId")?.to_string();
    let subnet_vpc = net
        .subnet(&subnet_id)
        .map(|s| s.vpc_id.clone())
        .ok_or_else(|| not_found("InvalidSubnetID.NotFound", format!("The subnet ID '{subnet_id}' does not exist")))?;
    let table_vpc =
        net.route_tables.iter().find(|t| t.id == id).map(|t| t.vpc_id.clone()).ok_or_else(|| {
            not_found("InvalidRouteTableID.NotFound", format!("The routeTable ID '{id}' does not exist"))
        })?;
    if table_vpc != subnet_vpc {
        return Err(invalid(format!("Route table {id} and subnet {subnet_id} belong to different networks")));
    }
    for t in &mut net.route_tables {
        t.subnet_associations.retain(|s| *s != subnet_id);
    }
    if let Some(t) = net.route_tables.iter_mut().find(|t| t.id == id) {
        t.subnet_associations.push(subnet_id.clone());
    }
    Ok(
        json!({ "AssociationId": format!("rtbassoc-{}", subnet_id.get(7..).unwrap_or_default()), "AssociationState": {"State": "associated"} }),
    )
}

/// `DescribeRouteTables`.
pub fn describe_route_tables(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, account, .. } = c;
    let filters = filters::read(req)?;
    filters::check_names(&filters, &["vpc-id", "route-table-id", "association.subnet-id", "association.main"])?;
    let found = by_ids(
        &net.route_tables,
        &req.str_list("RouteTableIds")?,
        |t| &t.id,
        "InvalidRouteTableID.NotFound",
        "routeTable",
    )?;
    let tables: Vec<Value> = found
        .into_iter()
        .filter(|t| {
            filters.iter().all(|f| {
                let have = match f.name.as_str() {
                    "vpc-id" => vec![t.vpc_id.clone()],
                    "route-table-id" => vec![t.id.clone()],
                    "association.subnet-id" => t.subnet_associations.clone(),
                    "association.main" => vec![t.main.to_string()],
                    _ => filters::tag_values(&t.tags, f),
                };
                filters::matches(f, &have)
            })
        })
        .map(|t| route_table_json(t, account))
        .collect();
    Ok(json!({ "RouteTables": tables }))
}

/// `DeleteRouteTable`.
pub fn delete_route_table(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, .. } = c;
    let id = req.required_str("RouteTableId")?;
    match net.route_tables.iter().find(|t| t.id == id) {
        None => Err(not_found("InvalidRouteTableID.NotFound", format!("The routeTable ID '{id}' does not exist"))),
        Some(t) if t.main || !t.subnet_associations.is_empty() => Err(ApiError::client(
            "DependencyViolation",
            format!("The routeTable '{id}' has dependencies and cannot be deleted."),
        )),
        Some(_) => {
            net.route_tables.retain(|t| t.id != id);
            Ok(json!({}))
        }
    }
}
