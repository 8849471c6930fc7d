//! The network clients: `ssh`, `nc` and `dig`, and how a host turns a name into an address.
//!
//! Names resolve the way DNS does for the host asking: public names
//! (`ec2-54-160-0-1.compute-1.amazonaws.com`) everywhere, internal names
//! (`ip-10-0-1-5.ec2.internal`) only from inside the VPC, through the VPC's resolver.
//! Every connection then asks the cloud's network whether the packets get through
//! ([`crate::cloud::network::reach`]).

pub mod dig;
pub mod nc;
pub mod ssh;

use super::command::Ctx;
use super::host::HostKind;
use crate::cloud::network::cidr::Ip;

/// A DNS answer: the chain of records from the name asked to an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// (name, CNAME target) links, in order.
    pub cnames: Vec<(String, String)>,
    pub address: Ip,
}

/// Resolves a host name or address literal as seen from the host `ctx` runs on.
pub fn resolve(ctx: &Ctx, name: &str) -> Option<Answer> {
    resolve_from(ctx.cloud, ctx.host, name)
}

/// [`resolve`] for a host and the cloud it lives in.
pub fn resolve_from(cloud: &crate::cloud::Cloud, host: &super::host::Host, name: &str) -> Option<Answer> {
    if let Some(ip) = Ip::parse(name) {
        return Some(Answer { cnames: Vec::new(), address: ip });
    }
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let inside_vpc = host.kind == HostKind::Ec2;
    if let Some((db, cname)) = cloud.rds.by_endpoint(&name) {
        // RDS endpoints resolve to the primary's address: the public one from outside the VPC
        // when the instance is publicly accessible, the private one otherwise (RDS publishes
        // private addresses in public DNS too). An Aurora cluster or reader endpoint is a
        // CNAME for the instance endpoint it currently leads to.
        let address = match (inside_vpc, db.public_ip) {
            (false, Some(public)) => public,
            _ => db.private_ip,
        };
        return Some(Answer { cnames: cname.map(|target| (name.clone(), target)).into_iter().collect(), address });
    }
    if let Some((node, cname)) = cloud.elasticache.by_endpoint(&name) {
        // ElastiCache publishes its nodes' private addresses (there are no public ones): the
        // name resolves anywhere, the address is reachable only inside the VPC.
        let cnames = cname.map(|target| (name.clone(), target)).into_iter().collect();
        return Some(Answer { cnames, address: node.private_ip });
    }
    for i in cloud.network.instances.iter().filter(|i| i.state.is_up()) {
        if i.public_dns().as_deref() == Some(name.as_str()) {
            return i.public_ip.map(|address| Answer { cnames: Vec::new(), address });
        }
        if inside_vpc && (i.private_dns() == name || i.private_dns().split('.').next() == Some(name.as_str())) {
            return Some(Answer { cnames: Vec::new(), address: i.private_ip });
        }
        if i.id == name {
            // Not DNS, but what a learner types: an instance id means its reachable address.
            let address = if inside_vpc { Some(i.private_ip) } else { i.public_ip.or(Some(i.private_ip)) };
            return address.map(|address| Answer { cnames: Vec::new(), address });
        }
    }
    None
}

/// The well-known service name of a port, as `/etc/services` names it.
pub fn service_name(port: u16) -> &'static str {
    match port {
        22 => "ssh",
        80 => "http",
        443 => "https",
        3306 => "mysql",
        5432 => "postgresql",
        6379 => "redis",
        _ => "*",
    }
}
