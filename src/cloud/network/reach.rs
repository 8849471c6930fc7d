//! Can this source open a TCP connection to that address and port, and if not, why not?
//!
//! The answer follows the packet: is the address anyone's; is it reachable from where the
//! source stands (the internet reaches only public addresses in public subnets; inside a VPC
//! private addresses are reachable); does the target's security group let the port in from this
//! source; is anything listening? Each hop adds a line to the explanation the UI shows.

use super::cidr::{Cidr, Ip};
use super::{InstanceState, Network};

/// Where a connection starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A machine on the internet (the laptop, CloudShell) with its public address.
    Internet(Ip),
    /// An EC2 instance.
    Instance(String),
}

/// Something that can accept connections: an instance, later a database or a cache node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub subnet_id: String,
    pub private_ip: Ip,
    pub public_ip: Option<Ip>,
    pub security_groups: Vec<String>,
    /// Ports something listens on.
    pub ports: Vec<u16>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Connected,
    /// Nothing listens: the host answers with a reset at once.
    Refused,
    /// The packets are dropped (no route, or a security group): the client waits, then gives up.
    TimedOut,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// The path, hop by hop, in words.
    pub why: Vec<String>,
}

fn verdict(outcome: Outcome, why: Vec<String>) -> Verdict {
    Verdict { outcome, why }
}

/// RFC 1918 private ranges: never routed on the internet.
pub fn is_private(ip: Ip) -> bool {
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].iter().filter_map(|c| Cidr::parse(c)).any(|c| c.contains(ip))
}

impl Network {
    /// The running instances as connection targets (sshd listens on 22).
    pub fn instance_targets(&self) -> Vec<Target> {
        self.instances
            .iter()
            .filter(|i| i.state == InstanceState::Running)
            .map(|i| Target {
                name: i.name_tag().map(|n| format!("{} ({n})", i.id)).unwrap_or_else(|| i.id.clone()),
                subnet_id: i.subnet_id.clone(),
                private_ip: i.private_ip,
                public_ip: i.public_ip,
                security_groups: i.security_groups.clone(),
                ports: vec![22],
            })
            .collect()
    }

    /// Whether `source` can connect to `ip:port`, given everything that listens (`targets`).
    /// Whether the subnet lies in an availability zone that is down.
    pub fn zone_failed(&self, subnet_id: &str) -> bool {
        self.subnet(subnet_id).is_some_and(|s| self.failed_zones.contains(&s.zone))
    }

    pub fn connect(&self, source: &Source, targets: &[Target], ip: Ip, port: u16) -> Verdict {
        let mut why = Vec::new();
        // Where the packets come from: an address, the groups of the source, its VPC.
        let (source_ip, source_groups, source_vpc, source_public_ip) = match source {
            Source::Internet(ip) => (*ip, Vec::new(), None, Some(*ip)),
            Source::Instance(id) => match self.instance(id) {
                Some(i) if self.zone_failed(&i.subnet_id) => {
                    return verdict(
                        Outcome::TimedOut,
                        vec![format!("the source instance {id} is in an availability zone that is down")],
                    )
                }
                Some(i) if i.state == InstanceState::Running => {
                    let subnet = self.subnet(&i.subnet_id);
                    let egress = subnet.is_some_and(|s| self.is_public_subnet(s)) && i.public_ip.is_some();
                    (
                        i.private_ip,
                        i.security_groups.clone(),
                        Some(i.vpc_id.clone()),
                        if egress { i.public_ip } else { None },
                    )
                }
                _ => return verdict(Outcome::TimedOut, vec![format!("the source instance {id} is not running")]),
            },
        };
        let by_private = targets.iter().find(|t| t.private_ip == ip);
        let by_public = targets.iter().find(|t| t.public_ip == Some(ip));

        let (target, via_public) = match (by_private, by_public) {
            (Some(t), _) => (t, false),
            (None, Some(t)) => (t, true),
            (None, None) => {
                why.push(format!("no running host has the address {ip}; the packets go unanswered"));
                return verdict(Outcome::TimedOut, why);
            }
        };
        let Some(subnet) = self.subnet(&target.subnet_id) else {
            return verdict(Outcome::TimedOut, vec![format!("{} has no network", target.name)]);
        };
        if self.failed_zones.contains(&subnet.zone) {
            why.push(format!(
                "{} is in {}, an availability zone that is down: nothing there answers",
                target.name, subnet.zone
            ));
            return verdict(Outcome::TimedOut, why);
        }

        if via_public {
            // Over the internet: the source needs a way out, the target a way in.
            let Some(from) = source_public_ip else {
                why.push("the source sits in a subnet without a route to an internet gateway (or has no public address), so it cannot reach the internet".into());
                return verdict(Outcome::TimedOut, why);
            };
            if !self.is_public_subnet(subnet) {
                why.push(format!(
                    "{} is in {}, whose route table has no route 0.0.0.0/0 to an internet gateway: it is a private subnet",
                    target.name, subnet.id
                ));
                return verdict(Outcome::TimedOut, why);
            }
            why.push(format!("{ip} is the public address of {}, in public subnet {}", target.name, subnet.id));
            return self.through_groups(target, from, &[], port, why);
        }

        // A private address: reachable only from inside the same VPC.
        match &source_vpc {
            Some(vpc) if *vpc == subnet.vpc_id => {
                why.push(format!(
                    "{ip} is the private address of {}, in the same VPC ({vpc}): the local route carries it",
                    target.name
                ));
                self.through_groups(target, source_ip, &source_groups, port, why)
            }
            Some(vpc) => {
                why.push(format!(
                    "{ip} is a private address in {}, another VPC than the source's ({vpc}); there is no peering",
                    subnet.vpc_id
                ));
                verdict(Outcome::TimedOut, why)
            }
            None => {
                why.push(format!(
                    "{ip} is a private address of {} (in {}); private addresses are not reachable from the internet",
                    target.name, subnet.vpc_id
                ));
                verdict(Outcome::TimedOut, why)
            }
        }
    }

    fn through_groups(
        &self,
        target: &Target,
        from: Ip,
        from_groups: &[String],
        port: u16,
        mut why: Vec<String>,
    ) -> Verdict {
        let allowing = target.security_groups.iter().filter_map(|id| self.security_group(id)).find_map(|g| {
            g.ingress.iter().find(|r| r.allows(port, from, from_groups)).map(|r| (g.id.clone(), r.describe()))
        });
        match allowing {
            None => {
                let names: Vec<String> = target
                    .security_groups
                    .iter()
                    .map(|id| match self.security_group(id) {
                        Some(g) => format!("{} ({})", g.id, g.name),
                        None => id.clone(),
                    })
                    .collect();
                why.push(format!(
                    "no rule in the security groups of {} [{}] allows TCP port {port} from {from}: the packets are dropped",
                    target.name,
                    names.join(", ")
                ));
                verdict(Outcome::TimedOut, why)
            }
            Some((group, rule)) => {
                why.push(format!("security group {group} allows {rule}"));
                if target.ports.contains(&port) {
                    why.push(format!("{} listens on port {port}", target.name));
                    verdict(Outcome::Connected, why)
                } else {
                    why.push(format!("nothing on {} listens on port {port}: the connection is refused", target.name));
                    verdict(Outcome::Refused, why)
                }
            }
        }
    }
}
