//! VPC in the console: Your VPCs, Subnets, Route tables, and *Create VPC*, either the VPC
//! alone or "VPC and more": the VPC with its subnets across zones, an internet gateway and
//! the route tables that make the public subnets public, named as the console names them.

use super::{list, placeholder, text, Action, Plan};
use crate::cloud::network::cidr::{Cidr, Ip};
use crate::cloud::network::ZONES;
use crate::shell::Lab;
use serde_json::{json, Value};

/// *Create VPC*.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateVpc {
    /// "VPC and more" (true) or "VPC only".
    pub and_more: bool,
    /// The Name tag (VPC only), or the prefix of every name ("Auto-generate": `project`).
    pub name: String,
    pub cidr: String,
    /// Availability Zones (VPC and more): 1 to 3.
    pub zones: i64,
    /// Public and private subnets (VPC and more): 0, or one per zone, or two per zone.
    pub public_subnets: i64,
    pub private_subnets: i64,
}

impl Default for CreateVpc {
    fn default() -> CreateVpc {
        CreateVpc {
            and_more: true,
            name: "project".to_string(),
            cidr: "10.0.0.0/16".to_string(),
            zones: 2,
            public_subnets: 2,
            private_subnets: 2,
        }
    }
}

/// The resources "VPC and more" will make, as its preview lists them.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    pub vpc: String,
    /// (name, zone, CIDR).
    pub subnets: Vec<(String, String, String)>,
    pub route_tables: Vec<String>,
    pub internet_gateway: Option<String>,
}

impl CreateVpc {
    fn vpc_cidr(&self) -> Result<Cidr, String> {
        let cidr = Cidr::parse(self.cidr.trim())
            .ok_or_else(|| format!("{} is not a valid IPv4 CIDR block (such as 10.0.0.0/16).", self.cidr.trim()))?;
        if !(16..=28).contains(&cidr.prefix) {
            return Err("The CIDR block must be between /16 and /28.".to_string());
        }
        Ok(cidr)
    }

    fn name_of(&self, what: &str) -> String {
        if self.name.is_empty() {
            what.to_string()
        } else {
            format!("{}-{what}", self.name)
        }
    }

    /// Each subnet "VPC and more" makes: (public?, number within its kind, zone, CIDR). As
    /// the console does, the VPC's block is cut into sixteen (a /16 into /20s): public subnets
    /// take the first, private ones start half way.
    fn subnets(&self) -> Result<Vec<(bool, usize, &'static str, Cidr)>, String> {
        let vpc = self.vpc_cidr()?;
        if vpc.prefix > 24 {
            return Err("With VPC and more, the CIDR block must be /24 or larger: each subnet is a sixteenth of it."
                .to_string());
        }
        if !(1..=3).contains(&self.zones) {
            return Err("Choose 1, 2 or 3 Availability Zones.".to_string());
        }
        let zones = self.zones as usize;
        for count in [self.public_subnets, self.private_subnets] {
            if count != 0 && count != self.zones && count != 2 * self.zones {
                return Err(format!("The number of subnets must be 0, {zones} or {} (per zone).", 2 * zones));
            }
        }
        // (A /24 at most, so sixteen blocks of a sixteenth are inside it, from its first address.)
        let prefix = vpc.prefix + 4;
        let size = 1u32 << (32 - prefix);
        let first = vpc.base.0 & vpc.mask();
        let block = |n: usize| Cidr { base: Ip(first + n as u32 * size), prefix };
        let mut out = Vec::new();
        for i in 0..self.public_subnets as usize {
            out.push((true, i + 1, ZONES[i % zones], block(i)));
        }
        for i in 0..self.private_subnets as usize {
            out.push((false, i + 1, ZONES[i % zones], block(8 + i)));
        }
        Ok(out)
    }

    /// What "VPC and more" will make, named.
    pub fn preview(&self) -> Result<Preview, String> {
        let subnets = self.subnets()?;
        let named = |public: bool, n: usize, zone: &str| {
            self.name_of(&format!("subnet-{}{n}-{zone}", if public { "public" } else { "private" }))
        };
        let has_public = subnets.iter().any(|s| s.0);
        let mut route_tables = Vec::new();
        if has_public {
            route_tables.push(self.name_of("rtb-public"));
        }
        for (_, n, zone, _) in subnets.iter().filter(|s| !s.0) {
            route_tables.push(self.name_of(&format!("rtb-private{n}-{zone}")));
        }
        Ok(Preview {
            vpc: self.name_of("vpc"),
            subnets: subnets.iter().map(|(p, n, z, c)| (named(*p, *n, z), z.to_string(), c.to_string())).collect(),
            route_tables,
            internet_gateway: has_public.then(|| self.name_of("igw")),
        })
    }

    /// The requests: `CreateVpc`; with "VPC and more", then each subnet, the internet
    /// gateway attached, the public route table with its default route and associations, and
    /// a private route table per private subnet.
    pub fn plan(&self) -> Plan {
        let cidr = self.vpc_cidr()?;
        let vpc_name = if self.and_more { self.name_of("vpc") } else { self.name.clone() };
        let create = named(json!({"CidrBlock": cidr.to_string()}), "vpc", &vpc_name);
        let mut plan = vec![Action::new("ec2", "CreateVpc", create).keeping("VPC_ID", "Vpc.VpcId")];
        if !self.and_more {
            return Ok(plan);
        }
        let preview = self.preview()?;
        let vpc = placeholder("VPC_ID");
        let mut public_vars = Vec::new();
        let mut private_vars = Vec::new();
        for ((public, n, zone, block), (name, _, _)) in self.subnets()?.into_iter().zip(&preview.subnets) {
            let var = format!("{}_SUBNET_{n}", if public { "PUBLIC" } else { "PRIVATE" });
            let request = json!({"VpcId": vpc, "CidrBlock": block.to_string(), "AvailabilityZone": zone,
                "TagSpecifications": tag_spec("subnet", name)});
            plan.push(Action::new("ec2", "CreateSubnet", request).keeping(var.clone(), "Subnet.SubnetId"));
            if public {
                public_vars.push(var)
            } else {
                private_vars.push((var, n, zone))
            }
        }
        if let Some(igw) = &preview.internet_gateway {
            plan.push(
                Action::new(
                    "ec2",
                    "CreateInternetGateway",
                    json!({"TagSpecifications": tag_spec("internet-gateway", igw)}),
                )
                .keeping("IGW_ID", "InternetGateway.InternetGatewayId"),
            );
            plan.push(Action::new(
                "ec2",
                "AttachInternetGateway",
                json!({"InternetGatewayId": placeholder("IGW_ID"), "VpcId": vpc}),
            ));
            plan.push(
                Action::new(
                    "ec2",
                    "CreateRouteTable",
                    json!({"VpcId": vpc, "TagSpecifications": tag_spec("route-table", &self.name_of("rtb-public"))}),
                )
                .keeping("PUBLIC_RTB", "RouteTable.RouteTableId"),
            );
            plan.push(Action::new(
                "ec2",
                "CreateRoute",
                json!({"RouteTableId": placeholder("PUBLIC_RTB"), "DestinationCidrBlock": "0.0.0.0/0",
                       "GatewayId": placeholder("IGW_ID")}),
            ));
            for var in &public_vars {
                plan.push(associate("PUBLIC_RTB", var));
            }
        }
        for (var, n, zone) in private_vars {
            let table = format!("PRIVATE_RTB_{n}");
            let name = self.name_of(&format!("rtb-private{n}-{zone}"));
            plan.push(
                Action::new(
                    "ec2",
                    "CreateRouteTable",
                    json!({"VpcId": vpc, "TagSpecifications": tag_spec("route-table", &name)}),
                )
                .keeping(table.clone(), "RouteTable.RouteTableId"),
            );
            plan.push(associate(&table, &var));
        }
        Ok(plan)
    }
}

fn associate(table_var: &str, subnet_var: &str) -> Action {
    Action::new(
        "ec2",
        "AssociateRouteTable",
        json!({"RouteTableId": placeholder(table_var), "SubnetId": placeholder(subnet_var)}),
    )
}

/// A `TagSpecifications` that names what is made.
pub fn tag_spec(resource_type: &str, name: &str) -> Value {
    json!([{"ResourceType": resource_type, "Tags": [{"Key": "Name", "Value": name}]}])
}

/// `request` with its `TagSpecifications` naming what it makes, unless `name` is empty.
pub fn named(mut request: Value, resource_type: &str, name: &str) -> Value {
    if !name.is_empty() {
        request["TagSpecifications"] = tag_spec(resource_type, name);
    }
    request
}

/// A resource's Name tag, or "-" as the console shows a missing one.
pub fn name_tag(resource: &Value) -> String {
    resource
        .get("Tags")
        .and_then(Value::as_array)
        .and_then(|tags| tags.iter().find(|t| text(t, "Key") == "Name"))
        .map_or_else(|| "-".to_string(), |t| text(t, "Value").to_string())
}

/// A row of Your VPCs.
#[derive(Clone, Debug, PartialEq)]
pub struct VpcRow {
    pub name: String,
    pub id: String,
    pub state: String,
    pub cidr: String,
    pub default: bool,
}

pub fn vpcs(lab: &mut Lab) -> Vec<VpcRow> {
    list(lab, "ec2", "DescribeVpcs", "Vpcs")
        .iter()
        .map(|v| VpcRow {
            name: name_tag(v),
            id: text(v, "VpcId").to_string(),
            state: super::rds::status_label(text(v, "State")),
            cidr: text(v, "CidrBlock").to_string(),
            default: v.get("IsDefault").and_then(Value::as_bool).unwrap_or(false),
        })
        .collect()
}

/// A row of Subnets.
#[derive(Clone, Debug, PartialEq)]
pub struct SubnetRow {
    pub name: String,
    pub id: String,
    pub vpc: String,
    pub cidr: String,
    pub zone: String,
    pub available_ips: u64,
    /// Its route table sends 0.0.0.0/0 to an internet gateway.
    pub public: bool,
}

pub fn subnets(lab: &mut Lab) -> Vec<SubnetRow> {
    let tables = list(lab, "ec2", "DescribeRouteTables", "RouteTables");
    list(lab, "ec2", "DescribeSubnets", "Subnets")
        .iter()
        .map(|s| {
            let id = text(s, "SubnetId");
            let vpc = text(s, "VpcId");
            SubnetRow {
                name: name_tag(s),
                id: id.to_string(),
                vpc: vpc.to_string(),
                cidr: text(s, "CidrBlock").to_string(),
                zone: text(s, "AvailabilityZone").to_string(),
                available_ips: s.get("AvailableIpAddressCount").and_then(Value::as_u64).unwrap_or(0),
                public: table_of(&tables, vpc, id).is_some_and(routes_to_internet),
            }
        })
        .collect()
}

/// The route table a subnet uses: the one associated with it, or its VPC's main table.
fn table_of<'a>(tables: &'a [Value], vpc: &str, subnet: &str) -> Option<&'a Value> {
    let associations = |t: &'a Value| t.get("Associations").and_then(Value::as_array).into_iter().flatten();
    tables.iter().find(|t| associations(t).any(|a| text(a, "SubnetId") == subnet)).or_else(|| {
        tables
            .iter()
            .find(|t| text(t, "VpcId") == vpc && associations(t).any(|a| a.get("Main") == Some(&Value::Bool(true))))
    })
}

fn routes_to_internet(table: &Value) -> bool {
    table
        .get("Routes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|r| text(r, "DestinationCidrBlock") == "0.0.0.0/0" && text(r, "GatewayId").starts_with("igw-"))
}

/// A row of Route tables.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteTableRow {
    pub name: String,
    pub id: String,
    pub vpc: String,
    pub main: bool,
    pub subnets: Vec<String>,
    /// (destination, target).
    pub routes: Vec<(String, String)>,
}

pub fn route_tables(lab: &mut Lab) -> Vec<RouteTableRow> {
    list(lab, "ec2", "DescribeRouteTables", "RouteTables")
        .iter()
        .map(|t| {
            let associations = t.get("Associations").and_then(Value::as_array).cloned().unwrap_or_default();
            RouteTableRow {
                name: name_tag(t),
                id: text(t, "RouteTableId").to_string(),
                vpc: text(t, "VpcId").to_string(),
                main: associations.iter().any(|a| a.get("Main") == Some(&Value::Bool(true))),
                subnets: associations
                    .iter()
                    .map(|a| text(a, "SubnetId").to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                routes: t
                    .get("Routes")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|r| (text(r, "DestinationCidrBlock").to_string(), text(r, "GatewayId").to_string()))
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::perform;
    use crate::console::test_support::{assert_cli_round_trips, lab};

    #[test]
    fn vpc_and_more_makes_public_and_private_subnets_across_zones_named_as_the_console_names_them() {
        let form = CreateVpc::default();
        let preview = form.preview().unwrap();
        assert_eq!(preview.vpc, "project-vpc");
        assert_eq!(
            preview.subnets,
            vec![
                ("project-subnet-public1-us-east-1a".into(), "us-east-1a".into(), "10.0.0.0/20".into()),
                ("project-subnet-public2-us-east-1b".into(), "us-east-1b".into(), "10.0.16.0/20".into()),
                ("project-subnet-private1-us-east-1a".into(), "us-east-1a".into(), "10.0.128.0/20".into()),
                ("project-subnet-private2-us-east-1b".into(), "us-east-1b".into(), "10.0.144.0/20".into()),
            ]
        );
        assert_eq!(
            preview.route_tables,
            vec!["project-rtb-public", "project-rtb-private1-us-east-1a", "project-rtb-private2-us-east-1b"]
        );
        let plan = form.plan().unwrap();
        assert_cli_round_trips(&plan);

        let mut lab = lab();
        perform(&mut lab, &plan).unwrap();
        let vpc = vpcs(&mut lab).into_iter().find(|v| v.name == "project-vpc").unwrap();
        assert_eq!((vpc.cidr.as_str(), vpc.default), ("10.0.0.0/16", false));
        let subnets: Vec<SubnetRow> = subnets(&mut lab).into_iter().filter(|s| s.vpc == vpc.id).collect();
        assert_eq!(subnets.len(), 4);
        for s in &subnets {
            assert_eq!(s.public, s.name.contains("public"), "{s:?}");
        }
        let tables: Vec<RouteTableRow> = route_tables(&mut lab).into_iter().filter(|t| t.vpc == vpc.id).collect();
        // The main table, the public one and one per private subnet.
        assert_eq!(tables.len(), 4);
        let public = tables.iter().find(|t| t.name == "project-rtb-public").unwrap();
        assert_eq!(public.subnets.len(), 2);
        assert!(public.routes.iter().any(|(d, t)| d == "0.0.0.0/0" && t.starts_with("igw-")));
    }

    #[test]
    fn the_form_says_what_is_wrong_before_sending_anything() {
        let bad = |change: fn(&mut CreateVpc)| {
            let mut form = CreateVpc::default();
            change(&mut form);
            form.plan().unwrap_err()
        };
        assert!(bad(|f| f.cidr = "10.0.0.0/33".into()).contains("not a valid IPv4 CIDR block"));
        assert!(bad(|f| f.cidr = "10.0.0.0/8".into()).contains("between /16 and /28"));
        assert!(bad(|f| f.zones = 4).contains("1, 2 or 3"));
        assert!(bad(|f| f.public_subnets = 3).contains("must be 0, 2 or 4"));
        assert!(bad(|f| f.cidr = "10.0.0.0/26".into()).contains("/24 or larger"));
        // A /24 is cut into /28s, all inside it.
        let small = CreateVpc { cidr: "10.9.0.0/24".into(), ..CreateVpc::default() };
        let cidrs: Vec<String> = small.preview().unwrap().subnets.into_iter().map(|s| s.2).collect();
        assert_eq!(cidrs, ["10.9.0.0/28", "10.9.0.16/28", "10.9.0.128/28", "10.9.0.144/28"]);
    }

    #[test]
    fn vpc_only_is_one_request_and_without_public_subnets_there_is_no_gateway() {
        let form =
            CreateVpc { and_more: false, name: "plain".into(), cidr: "10.1.0.0/16".into(), ..CreateVpc::default() };
        let plan = form.plan().unwrap();
        assert_eq!(plan.len(), 1);
        assert_cli_round_trips(&plan);
        let mut lab = lab();
        perform(&mut lab, &plan).unwrap();
        assert!(vpcs(&mut lab).iter().any(|v| v.name == "plain" && v.cidr == "10.1.0.0/16"));
        // One without subnets: none public, no gateway, only its VPC.
        let bare = CreateVpc { public_subnets: 0, private_subnets: 2, ..CreateVpc::default() };
        let preview = bare.preview().unwrap();
        assert_eq!(preview.internet_gateway, None);
        assert_eq!(preview.route_tables.len(), 2);
    }
}
