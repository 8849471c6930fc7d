//! EC2 in the console: Instances with *Launch instances* and their state actions, and Security
//! groups with *Create security group* and the inbound rules editor.

use super::vpc::{name_tag, named};
use super::{list, placeholder, text, Action, Plan};
use crate::cloud::network::instances::INSTANCE_TYPES;
use crate::shell::Lab;
use serde_json::{json, Value};

/// The instance types the form offers, as the lab knows them.
pub fn instance_types() -> Vec<&'static str> {
    INSTANCE_TYPES.iter().map(|t| t.0).collect()
}

/// The machine images the form offers: (id, description).
pub fn images(lab: &mut Lab) -> Vec<(String, String)> {
    list(lab, "ec2", "DescribeImages", "Images")
        .iter()
        .map(|i| (text(i, "ImageId").to_string(), text(i, "Description").to_string()))
        .collect()
}

/// *Launch instances*.
#[derive(Clone, Debug, PartialEq)]
pub struct LaunchInstance {
    pub name: String,
    pub image_id: String,
    pub instance_type: String,
    /// "" for "Proceed without a key pair".
    pub key_name: String,
    /// "" for the default VPC's subnet in the default zone.
    pub subnet_id: String,
    pub public_ip: bool,
    pub security_groups: Vec<String>,
}

impl Default for LaunchInstance {
    fn default() -> LaunchInstance {
        LaunchInstance {
            name: String::new(),
            image_id: crate::cloud::network::instances::IMAGES[0].0.to_string(),
            instance_type: "t3.micro".to_string(),
            key_name: String::new(),
            subnet_id: String::new(),
            public_ip: true,
            security_groups: Vec::new(),
        }
    }
}

impl LaunchInstance {
    /// The `RunInstances` request.
    pub fn plan(&self) -> Plan {
        if self.image_id.is_empty() {
            return Err("Choose an Amazon Machine Image (AMI).".to_string());
        }
        let mut request = json!({"ImageId": self.image_id, "InstanceType": self.instance_type});
        if !self.key_name.is_empty() {
            request["KeyName"] = json!(self.key_name);
        }
        if !self.subnet_id.is_empty() {
            request["SubnetId"] = json!(self.subnet_id);
        }
        if !self.security_groups.is_empty() {
            request["SecurityGroupIds"] = json!(self.security_groups);
        }
        request["AssociatePublicIpAddress"] = json!(self.public_ip);
        Ok(vec![Action::new("ec2", "RunInstances", named(request, "instance", self.name.trim()))])
    }
}

/// Stop, start or terminate (`StopInstances`, `StartInstances`, `TerminateInstances`).
pub fn instance_state(operation: &'static str, id: &str) -> Action {
    Action::new("ec2", operation, json!({"InstanceIds": [id]}))
}

/// A row of Instances.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceRow {
    pub name: String,
    pub id: String,
    pub state: String,
    pub instance_type: String,
    pub zone: String,
    pub public_ip: String,
    pub private_ip: String,
    pub security_groups: Vec<String>,
    pub subnet: String,
}

pub fn instances(lab: &mut Lab) -> Vec<InstanceRow> {
    let reservations = list(lab, "ec2", "DescribeInstances", "Reservations");
    reservations
        .iter()
        .flat_map(|r| r.get("Instances").and_then(Value::as_array).cloned().unwrap_or_default())
        .map(|i| InstanceRow {
            name: name_tag(&i),
            id: text(&i, "InstanceId").to_string(),
            state: super::rds::status_label(i.pointer("/State/Name").and_then(Value::as_str).unwrap_or("")),
            instance_type: text(&i, "InstanceType").to_string(),
            zone: i.pointer("/Placement/AvailabilityZone").and_then(Value::as_str).unwrap_or("").to_string(),
            public_ip: i.get("PublicIpAddress").and_then(Value::as_str).unwrap_or("-").to_string(),
            private_ip: text(&i, "PrivateIpAddress").to_string(),
            security_groups: i
                .get("SecurityGroups")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|g| text(g, "GroupName").to_string())
                .collect(),
            subnet: text(&i, "SubnetId").to_string(),
        })
        .collect()
}

/// An inbound rule, as the editor edits it.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// One of [`RULE_TYPES`]' names.
    pub kind: String,
    /// The port (or range, `8000-8080`) of a custom rule; the type's own port otherwise.
    pub port: String,
    /// A CIDR block (`0.0.0.0/0`, `203.0.113.7/32`) or a security group id.
    pub source: String,
}

/// The rule types the editor offers: (name, protocol, port).
pub const RULE_TYPES: &[(&str, &str, &str)] = &[
    ("SSH", "tcp", "22"),
    ("HTTP", "tcp", "80"),
    ("HTTPS", "tcp", "443"),
    ("MYSQL/Aurora", "tcp", "3306"),
    ("PostgreSQL", "tcp", "5432"),
    ("Custom TCP", "tcp", ""),
    ("Custom UDP", "udp", ""),
    ("All ICMP - IPv4", "icmp", "-1"),
    ("All traffic", "-1", ""),
];

/// How the rules tables name a protocol.
pub fn protocol_label(kind: &str) -> &'static str {
    match RULE_TYPES.iter().find(|t| t.0 == kind).map_or("tcp", |t| t.1) {
        "udp" => "UDP",
        "icmp" => "ICMP",
        "-1" => "All",
        _ => "TCP",
    }
}

impl Rule {
    pub fn new(kind: &str) -> Rule {
        Rule { kind: kind.to_string(), port: String::new(), source: "0.0.0.0/0".to_string() }
    }

    /// `AuthorizeSecurityGroupIngress` (or its revoke) for this rule of `group` (an id or a
    /// placeholder).
    fn request(&self, group: &str) -> Result<Value, String> {
        let (_, protocol, port) = RULE_TYPES
            .iter()
            .find(|t| t.0 == self.kind)
            .ok_or_else(|| format!("{} is not a rule type the console offers.", self.kind))?;
        let port = if port.is_empty() { self.port.trim() } else { port };
        let mut request = json!({"GroupId": group, "Protocol": protocol});
        if *protocol != "-1" {
            if port.is_empty() {
                return Err(format!("Enter a port range for the {} rule.", self.kind));
            }
            request["Port"] = json!(port);
        }
        let source = self.source.trim();
        if source.starts_with("sg-") {
            request["SourceGroup"] = json!(source);
        } else if source.is_empty() {
            return Err("Enter a source: a CIDR block or a security group.".to_string());
        } else {
            request["Cidr"] = json!(source);
        }
        Ok(request)
    }

    /// The rule a described `IpPermissions` entry is, as the editor lists it.
    fn from_permission(p: &Value) -> Vec<Rule> {
        let protocol = text(p, "IpProtocol");
        let from = p.get("FromPort").and_then(Value::as_i64);
        let to = p.get("ToPort").and_then(Value::as_i64);
        let port = match (from, to) {
            (Some(f), Some(t)) if f == t => f.to_string(),
            (Some(f), Some(t)) => format!("{f}-{t}"),
            _ => String::new(),
        };
        let kind = RULE_TYPES
            .iter()
            .find(|(_, proto, known)| *proto == protocol && (!known.is_empty() && *known == port || protocol == "-1"))
            .map_or(if protocol == "udp" { "Custom UDP" } else { "Custom TCP" }, |t| t.0);
        let sources = p
            .get("IpRanges")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|r| text(r, "CidrIp").to_string())
            .chain(
                p.get("UserIdGroupPairs")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|g| text(g, "GroupId").to_string()),
            );
        sources.map(|source| Rule { kind: kind.to_string(), port: port.clone(), source }).collect()
    }
}

/// Adds an inbound rule to a group (*Edit inbound rules*, *Add rule*, *Save rules*).
pub fn authorize(group: &str, rule: &Rule) -> Plan {
    Ok(vec![Action::new("ec2", "AuthorizeSecurityGroupIngress", rule.request(group)?)])
}

/// Deletes an inbound rule.
pub fn revoke(group: &str, rule: &Rule) -> Plan {
    Ok(vec![Action::new("ec2", "RevokeSecurityGroupIngress", rule.request(group)?)])
}

/// *Create security group*: its name, description, VPC and inbound rules.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateSecurityGroup {
    pub name: String,
    pub description: String,
    /// "" for the default VPC.
    pub vpc_id: String,
    pub inbound: Vec<Rule>,
}

impl CreateSecurityGroup {
    /// `CreateSecurityGroup`, then one `AuthorizeSecurityGroupIngress` per inbound rule.
    pub fn plan(&self) -> Plan {
        if self.name.trim().is_empty() {
            return Err("Enter a security group name.".to_string());
        }
        if self.description.trim().is_empty() {
            return Err("Enter a description.".to_string());
        }
        let mut request = json!({"GroupName": self.name.trim(), "Description": self.description.trim()});
        if !self.vpc_id.is_empty() {
            request["VpcId"] = json!(self.vpc_id);
        }
        let mut plan = vec![Action::new("ec2", "CreateSecurityGroup", request).keeping("SG_ID", "GroupId")];
        for rule in &self.inbound {
            plan.push(Action::new("ec2", "AuthorizeSecurityGroupIngress", rule.request(&placeholder("SG_ID"))?));
        }
        Ok(plan)
    }
}

/// A row of Security groups.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub name: String,
    pub id: String,
    pub vpc: String,
    pub description: String,
    pub inbound: Vec<Rule>,
    pub outbound: Vec<Rule>,
}

pub fn security_groups(lab: &mut Lab) -> Vec<GroupRow> {
    list(lab, "ec2", "DescribeSecurityGroups", "SecurityGroups")
        .iter()
        .map(|g| GroupRow {
            name: text(g, "GroupName").to_string(),
            id: text(g, "GroupId").to_string(),
            vpc: text(g, "VpcId").to_string(),
            description: text(g, "Description").to_string(),
            inbound: rules(g, "IpPermissions"),
            outbound: rules(g, "IpPermissionsEgress"),
        })
        .collect()
}

/// The inbound rules of some groups, each with its group's name: what a database's or a
/// cache's Connectivity tab lists under "Security group rules".
pub fn inbound_rules_of(lab: &mut Lab, group_ids: &[String]) -> Vec<(String, Rule)> {
    security_groups(lab)
        .into_iter()
        .filter(|g| group_ids.contains(&g.id))
        .flat_map(|g| {
            let name = g.name;
            g.inbound.into_iter().map(move |r| (name.clone(), r))
        })
        .collect()
}

fn rules(group: &Value, member: &str) -> Vec<Rule> {
    group.get(member).and_then(Value::as_array).into_iter().flatten().flat_map(Rule::from_permission).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::perform;
    use crate::console::test_support::{assert_cli_round_trips, lab};
    use crate::console::vpc::{subnets, CreateVpc};

    #[test]
    fn a_group_with_its_rules_then_an_instance_in_a_public_subnet_of_a_new_vpc() {
        let mut lab = lab();
        perform(&mut lab, &CreateVpc::default().plan().unwrap()).unwrap();
        let subnet = subnets(&mut lab).into_iter().find(|s| s.name == "project-subnet-public1-us-east-1a").unwrap();

        let mut group = CreateSecurityGroup {
            name: "app".into(),
            description: "web app".into(),
            vpc_id: subnet.vpc.clone(),
            inbound: vec![Rule::new("SSH"), Rule::new("HTTP")],
        };
        group.inbound[0].source = "203.0.113.7/32".into();
        let plan = group.plan().unwrap();
        assert_cli_round_trips(&plan);
        perform(&mut lab, &plan).unwrap();
        let app = security_groups(&mut lab).into_iter().find(|g| g.name == "app").unwrap();
        assert_eq!(app.vpc, subnet.vpc);
        assert_eq!(
            app.inbound,
            vec![
                Rule { kind: "SSH".into(), port: "22".into(), source: "203.0.113.7/32".into() },
                Rule { kind: "HTTP".into(), port: "80".into(), source: "0.0.0.0/0".into() },
            ]
        );

        let listed = inbound_rules_of(&mut lab, std::slice::from_ref(&app.id));
        assert_eq!(
            listed.iter().map(|(g, r)| (g.as_str(), r.kind.as_str())).collect::<Vec<_>>(),
            [("app", "SSH"), ("app", "HTTP")]
        );

        // A database group that lets in only the app's group, then that rule removed again.
        let db = CreateSecurityGroup {
            name: "db".into(),
            description: "db".into(),
            vpc_id: subnet.vpc.clone(),
            inbound: vec![Rule { kind: "MYSQL/Aurora".into(), port: String::new(), source: app.id.clone() }],
        };
        perform(&mut lab, &db.plan().unwrap()).unwrap();
        let db = security_groups(&mut lab).into_iter().find(|g| g.name == "db").unwrap();
        assert_eq!(db.inbound[0], Rule { kind: "MYSQL/Aurora".into(), port: "3306".into(), source: app.id.clone() });
        let revoke_plan = revoke(&db.id, &db.inbound[0]).unwrap();
        assert_cli_round_trips(&revoke_plan);
        perform(&mut lab, &revoke_plan).unwrap();
        let db = security_groups(&mut lab).into_iter().find(|g| g.name == "db").unwrap();
        assert!(db.inbound.is_empty());
        assert_eq!(
            db.outbound,
            vec![Rule { kind: "All traffic".into(), port: String::new(), source: "0.0.0.0/0".into() }]
        );

        let launch = LaunchInstance {
            name: "web".into(),
            subnet_id: subnet.id.clone(),
            security_groups: vec![app.id.clone()],
            ..LaunchInstance::default()
        };
        let plan = launch.plan().unwrap();
        assert_cli_round_trips(&plan);
        perform(&mut lab, &plan).unwrap();
        let web = instances(&mut lab).into_iter().find(|i| i.name == "web").unwrap();
        assert_eq!((web.subnet.as_str(), web.zone.as_str()), (subnet.id.as_str(), "us-east-1a"));
        assert_eq!(web.security_groups, vec!["app"]);
        assert!(web.private_ip.starts_with("10.0."), "{web:?}");
        assert_ne!(web.public_ip, "-");
        // A terminal that ssh'd to it is labelled by its Name tag.
        assert_eq!((lab.host_label(&web.id).as_str(), lab.host_label("laptop").as_str()), ("web", "laptop"));

        let stop = instance_state("StopInstances", &web.id);
        assert_cli_round_trips(std::slice::from_ref(&stop));
        perform(&mut lab, &[stop]).unwrap();
        let state = instances(&mut lab).into_iter().find(|i| i.id == web.id).unwrap().state;
        assert!(state == "Stopping" || state == "Stopped", "{state}");
    }

    #[test]
    fn rules_and_groups_say_what_is_missing() {
        assert!(CreateSecurityGroup::default().plan().unwrap_err().contains("name"));
        let custom = CreateSecurityGroup {
            name: "x".into(),
            description: "x".into(),
            inbound: vec![Rule::new("Custom TCP")],
            ..CreateSecurityGroup::default()
        };
        assert!(custom.plan().unwrap_err().contains("port range"));
        let mut rule = Rule::new("SSH");
        rule.source = String::new();
        assert!(authorize("sg-1", &rule).unwrap_err().contains("source"));
        // The lab's EC2 checks the rest, in its words.
        let mut lab = lab();
        let mut bad = Rule::new("SSH");
        bad.source = "10.0.0.0/40".into();
        let default = security_groups(&mut lab).into_iter().find(|g| g.name == "default").unwrap();
        let error = perform(&mut lab, &authorize(&default.id, &bad).unwrap()).unwrap_err();
        assert!(error.message.contains("malformed"), "{error:?}");

        // UDP and ICMP rules are listed as what they are, and deleted as what they are.
        let mut dns = Rule::new("Custom UDP");
        dns.port = "53".into();
        for rule in [dns, Rule::new("All ICMP - IPv4")] {
            let plan = authorize(&default.id, &rule).unwrap();
            assert_cli_round_trips(&plan);
            perform(&mut lab, &plan).unwrap();
            let listed = security_groups(&mut lab).into_iter().find(|g| g.id == default.id).unwrap();
            let found =
                listed.inbound.iter().find(|r| r.kind == rule.kind).unwrap_or_else(|| panic!("{listed:?}")).clone();
            perform(&mut lab, &revoke(&default.id, &found).unwrap()).unwrap();
            let listed = security_groups(&mut lab).into_iter().find(|g| g.id == default.id).unwrap();
            assert!(listed.inbound.iter().all(|r| r.kind != rule.kind), "{listed:?}");
        }
    }
}
