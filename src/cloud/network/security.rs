//! Security groups: stateful firewalls on instances and databases.
//!
//! A group allows inbound traffic by protocol and port range, from a CIDR range or from members of
//! another group (`--source-group sg-web`: "anything in the web tier"). Anything not allowed is
//! dropped without an answer, which is why a blocked client times out instead of being refused.
//! Outbound traffic is allowed by default.

use super::cidr::{Cidr, Ip};
use super::filters;
use super::{invalid, new_id, not_found, requested_tags, tags_json, Ec2Ctx, InstanceState, Network};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::engines::rng::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub vpc_id: String,
    pub ingress: Vec<Rule>,
    pub tags: Vec<(String, String)>,
}

/// One inbound rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    /// `tcp`, `udp`, `icmp` or `-1` (all).
    pub protocol: String,
    pub from_port: i64,
    pub to_port: i64,
    pub source: Source,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    Cidr(Cidr),
    Group(String),
}

impl Rule {
    /// Whether this rule lets TCP traffic to `port` in from a source address or from a member of
    /// one of `source_groups`.
    pub fn allows(&self, port: u16, source_ip: Ip, source_groups: &[String]) -> bool {
        let port_ok = self.protocol == "-1"
            || (self.protocol == "tcp" && (self.from_port..=self.to_port).contains(&(port as i64)));
        port_ok
            && match &self.source {
                Source::Cidr(c) => c.contains(source_ip),
                Source::Group(g) => source_groups.contains(g),
            }
    }

    /// How the rule reads in a sentence (for explanations and duplicate errors).
    pub fn describe(&self) -> String {
        let ports = if self.protocol == "-1" {
            "all traffic".to_string()
        } else if self.from_port == self.to_port {
            format!("{} port {}", self.protocol.to_uppercase(), self.from_port)
        } else {
            format!("{} ports {}-{}", self.protocol.to_uppercase(), self.from_port, self.to_port)
        };
        match &self.source {
            Source::Cidr(c) => format!("{ports} from {c}"),
            Source::Group(g) => format!("{ports} from members of {g}"),
        }
    }
}

pub fn add_default_group(net: &mut Network, rng: &mut Rng, vpc_id: &str, _account: &str) {
    let id = new_id(rng, "sg");
    let rule = Rule {
        id: new_id(rng, "sgr"),
        protocol: "-1".into(),
        from_port: -1,
        to_port: -1,
        source: Source::Group(id.clone()),
    };
    net.security_groups.push(SecurityGroup {
        id,
        name: "default".into(),
        description: "default VPC security group".into(),
        vpc_id: vpc_id.to_string(),
        ingress: vec![rule],
        tags: Vec::new(),
    });
}

fn permissions_json(rules: &[Rule], account: &str) -> Value {
    let perms: Vec<Value> = rules
        .iter()
        .map(|r| {
            let (ranges, pairs): (Vec<Value>, Vec<Value>) = match &r.source {
                Source::Cidr(c) => (vec![json!({"CidrIp": c.to_string()})], vec![]),
                Source::Group(g) => (vec![], vec![json!({"GroupId": g, "UserId": account})]),
            };
            let mut p = json!({"IpProtocol": r.protocol, "IpRanges": ranges, "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": pairs});
            if r.protocol != "-1" {
                p["FromPort"] = json!(r.from_port);
                p["ToPort"] = json!(r.to_port);
            }
            p
        })
        .collect();
    Value::Array(perms)
}

fn group_json(g: &SecurityGroup, account: &str) -> Value {
    json!({
        "Description": g.description,
        "GroupName": g.name,
        "IpPermissions": permissions_json(&g.ingress, account),
        "OwnerId": account,
        "GroupId": g.id,
        "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}],
        "Tags": tags_json(&g.tags),
        "VpcId": g.vpc_id,
    })
}

/// Reads the rules of an authorize/revoke request: the CLI's `--protocol --port --cidr
/// --source-group` shortcut, or `--ip-permissions`.
fn requested_rules(net: &Network, rng: &mut Rng, req: &Request) -> Result<Vec<Rule>, ApiError> {
    let mut rules = Vec::new();
    if let Some(protocol) = req.str("IpProtocol")?.or(req.str("Protocol")?) {
        let protocol = normalise_protocol(protocol)?;
        let (from, to) = match req.str("Port")? {
            _ if protocol == "-1" => (-1, -1),
            // `--protocol icmp --port -1`: every ICMP type and code.
            Some("-1") if protocol == "icmp" => (-1, -1),
            Some(port) => parse_port_range(port)?,
            None => match (req.int("FromPort")?, req.int("ToPort")?) {
                (Some(f), Some(t)) => (f, t),
                _ => {
                    return Err(invalid(
                        "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.",
                    ))
                }
            },
        };
        let source = match (
            req.str("CidrIp")?.or(req.str("Cidr")?),
            req.str("SourceGroup")?.or(req.str("SourceSecurityGroupName")?),
        ) {
            (Some(c), _) => {
                Source::Cidr(Cidr::parse(c).ok_or_else(|| invalid(format!("CIDR block {c} is malformed")))?)
            }
            (None, Some(g)) => Source::Group(resolve_group(net, g)?),
            (None, None) => {
                return Err(ApiError::client(
                    "MissingParameter",
                    "Either a CIDR or a source security group is required.",
                ))
            }
        };
        rules.push(Rule { id: new_id(rng, "sgr"), protocol, from_port: from, to_port: to, source });
    }
    if let Some(Value::Array(perms)) = req.value("IpPermissions") {
        for p in perms {
            let protocol = normalise_protocol(p.get("IpProtocol").and_then(Value::as_str).unwrap_or("tcp"))?;
            let from = p.get("FromPort").and_then(Value::as_i64).unwrap_or(-1);
            let to = p.get("ToPort").and_then(Value::as_i64).unwrap_or(from);
            for r in p.get("IpRanges").and_then(Value::as_array).into_iter().flatten() {
                let c = r.get("CidrIp").and_then(Value::as_str).unwrap_or("");
                let cidr = Cidr::parse(c).ok_or_else(|| invalid(format!("CIDR block {c} is malformed")))?;
                rules.push(Rule {
                    id: new_id(rng, "sgr"),
                    protocol: protocol.clone(),
                    from_port: from,
                    to_port: to,
                    source: Source::Cidr(cidr),
                });
            }
            for pair in p.get("UserIdGroupPairs").and_then(Value::as_array).into_iter().flatten() {
                let g = pair.get("GroupId").and_then(Value::as_str).unwrap_or("");
                let group = resolve_group(net, g)?;
                rules.push(Rule {
                    id: new_id(rng, "sgr"),
                    protocol: protocol.clone(),
                    from_port: from,
                    to_port: to,
                    source: Source::Group(group),
                });
            }
        }
    }
    if rules.is_empty() {
        return Err(ApiError::client(
            "MissingParameter",
            "No permissions were specified: use --protocol, --port and --cidr or --source-group, or --ip-permissions.",
        ));
    }
    Ok(rules)
}

fn normalise_protocol(p: &str) -> Result<String, ApiError> {
    match p.to_ascii_lowercase().as_str() {
        "tcp" | "6" => Ok("tcp".into()),
        "udp" | "17" => Ok("udp".into()),
        "icmp" | "1" => Ok("icmp".into()),
        "-1" | "all" => Ok("-1".into()),
        other => Err(invalid(format!("Invalid value '{other}' for IP protocol. Unknown protocol."))),
    }
}

fn parse_port_range(text: &str) -> Result<(i64, i64), ApiError> {
    let bad = || {
        invalid(format!("Invalid value '{text}' for portRange. Must be a number or a range such as 22 or 1024-65535."))
    };
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let (a, b): (i64, i64) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if !(0..=65535).contains(&a) || !(0..=65535).contains(&b) || a > b {
        return Err(bad());
    }
    Ok((a, b))
}

fn resolve_group(net: &Network, id_or_name: &str) -> Result<String, ApiError> {
    net.security_groups
        .iter()
        .find(|g| g.id == id_or_name || g.name == id_or_name)
        .map(|g| g.id.clone())
        .ok_or_else(|| not_found("InvalidGroup.NotFound", format!("The security group '{id_or_name}' does not exist")))
}

fn group_index(net: &Network, req: &Request) -> Result<usize, ApiError> {
    let wanted = match (req.str("GroupId")?, req.str("GroupName")?) {
        (Some(id), _) => id,
        (None, Some(name)) => name,
        (None, None) => {
            return Err(ApiError::client("MissingParameter", "The request must contain the parameter groupId"))
        }
    };
    net.security_groups
        .iter()
        .position(|g| g.id == wanted || (g.name == wanted && req.str("GroupId").ok().flatten().is_none()))
        .ok_or_else(|| not_found("InvalidGroup.NotFound", format!("The security group '{wanted}' does not exist")))
}

/// `CreateSecurityGroup`.
pub fn create_security_group(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, rng, account, .. } = c;
    let name = req.required_str("GroupName")?;
    let description = req.required_str("Description")?;
    let vpc_id = match req.str("VpcId")? {
        Some(v) => v.to_string(),
        None => net
            .default_vpc()
            .map(|v| v.id.clone())
            .ok_or_else(|| ApiError::client("VPCIdNotSpecified", "No default VPC for this user"))?,
    };
    if net.vpc(&vpc_id).is_none() {
        return Err(not_found("InvalidVpcID.NotFound", format!("The vpc ID '{vpc_id}' does not exist")));
    }
    if name.starts_with("sg-") {
        return Err(invalid("Group names may not be in the format sg-*."));
    }
    if net.security_groups.iter().any(|g| g.vpc_id == vpc_id && g.name == name) {
        return Err(ApiError::client(
            "InvalidGroup.Duplicate",
            format!("The security group '{name}' already exists for VPC '{vpc_id}'"),
        ));
    }
    let group = SecurityGroup {
        id: new_id(rng, "sg"),
        name: name.to_string(),
        description: description.to_string(),
        vpc_id,
        ingress: Vec::new(),
        tags: requested_tags(req, "security-group"),
    };
    let out = json!({ "GroupId": group.id, "SecurityGroupArn": format!("arn:aws:ec2:us-east-1:{account}:security-group/{}", group.id) });
    net.security_groups.push(group);
    Ok(out)
}

/// `DescribeSecurityGroups`.
pub fn describe_security_groups(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, account, .. } = c;
    let filters = filters::read(req)?;
    filters::check_names(&filters, &["vpc-id", "group-id", "group-name", "description"])?;
    let ids = req.str_list("GroupIds")?;
    let names = req.str_list("GroupNames")?;
    for id in &ids {
        if net.security_group(id).is_none() {
            return Err(not_found("InvalidGroup.NotFound", format!("The security group '{id}' does not exist")));
        }
    }
    let groups: Vec<Value> = net
        .security_groups
        .iter()
        .filter(|g| (ids.is_empty() || ids.contains(&g.id)) && (names.is_empty() || names.contains(&g.name)))
        .filter(|g| {
            filters.iter().all(|f| {
                let have = match f.name.as_str() {
                    "vpc-id" => vec![g.vpc_id.clone()],
                    "group-id" => vec![g.id.clone()],
                    "group-name" => vec![g.name.clone()],
                    "description" => vec![g.description.clone()],
                    _ => filters::tag_values(&g.tags, f),
                };
                filters::matches(f, &have)
            })
        })
        .map(|g| group_json(g, account))
        .collect();
    Ok(json!({ "SecurityGroups": groups }))
}

/// `DeleteSecurityGroup`.
pub fn delete_security_group(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, .. } = c;
    let index = group_index(net, req)?;
    let group = net.security_groups[index].clone();
    if group.name == "default" {
        return Err(ApiError::client(
            "CannotDelete",
            format!("the specified group: \"{}\" name: \"default\" cannot be deleted by a user", group.id),
        ));
    }
    let in_use =
        net.instances.iter().any(|i| i.state != InstanceState::Terminated && i.security_groups.contains(&group.id))
            || net
                .security_groups
                .iter()
                .any(|g| g.id != group.id && g.ingress.iter().any(|r| r.source == Source::Group(group.id.clone())));
    if in_use {
        return Err(ApiError::client("DependencyViolation", format!("resource {} has a dependent object", group.id)));
    }
    net.security_groups.remove(index);
    Ok(json!({}))
}

/// `AuthorizeSecurityGroupIngress`.
pub fn authorize_security_group_ingress(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, rng, account, .. } = c;
    let index = group_index(net, req)?;
    let rules = requested_rules(net, rng, req)?;
    let group = &mut net.security_groups[index];
    for rule in &rules {
        let duplicate = group.ingress.iter().any(|r| {
            r.protocol == rule.protocol
                && r.from_port == rule.from_port
                && r.to_port == rule.to_port
                && r.source == rule.source
        });
        if duplicate {
            let peer = match &rule.source {
                Source::Cidr(c) => c.to_string(),
                Source::Group(g) => g.clone(),
            };
            return Err(ApiError::client(
                "InvalidPermission.Duplicate",
                format!(
                    "the specified rule \"peer: {peer}, {}, from port: {}, to port: {}, ALLOW\" already exists",
                    rule.protocol.to_uppercase(),
                    rule.from_port,
                    rule.to_port
                ),
            ));
        }
    }
    let out: Vec<Value> = rules
        .iter()
        .map(|r| {
            let mut v = json!({"SecurityGroupRuleId": r.id, "GroupId": group.id, "GroupOwnerId": account, "IsEgress": false,
                               "IpProtocol": r.protocol, "FromPort": r.from_port, "ToPort": r.to_port});
            match &r.source {
                Source::Cidr(c) => v["CidrIpv4"] = json!(c.to_string()),
                Source::Group(g) => v["ReferencedGroupInfo"] = json!({"GroupId": g, "UserId": account}),
            }
            v
        })
        .collect();
    group.ingress.extend(rules);
    Ok(json!({ "Return": true, "SecurityGroupRules": out }))
}

/// `RevokeSecurityGroupIngress`.
pub fn revoke_security_group_ingress(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, rng, .. } = c;
    let index = group_index(net, req)?;
    let rules = requested_rules(net, rng, req)?;
    let group = &mut net.security_groups[index];
    let before = group.ingress.len();
    group.ingress.retain(|r| {
        !rules.iter().any(|x| {
            x.protocol == r.protocol && x.from_port == r.from_port && x.to_port == r.to_port && x.source == r.source
        })
    });
    if group.ingress.len() == before {
        return Err(ApiError::client(
            "InvalidPermission.NotFound",
            "The specified rule does not exist in this security group.",
        ));
    }
    Ok(json!({ "Return": true }))
}
