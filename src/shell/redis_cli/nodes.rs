//! Where redis-cli's addresses lead: the one place a `host:port` becomes a Redis server.
//!
//! Two kinds of servers:
//!
//! - on the laptop, local ones: the default Redis on port 6379 (started on first use, like an
//!   installed `redis-server`), and any further nodes on other ports — a small Redis Cluster
//!   run on one machine, as [`start_local_cluster`] sets up (ports 7000, 7001, ... as in
//!   Redis's own cluster tutorial);
//! - ElastiCache nodes, reached by name or address through the network ([`open`]): from an EC2
//!   instance in the VPC whose security groups let it in; from anywhere else the connection
//!   times out, as it does on AWS.
//!
//! A connection to an ElastiCache node remembers the node's generation: when the node restarts
//! or fails over, the connection is gone ([`server`] finds nothing) and redis-cli says so.

use super::super::host::Host;
use crate::cloud::Cloud;
use crate::engines::cache::cluster::{ClusterNode, Shard};
use crate::engines::cache::Cache;
use serde::{Deserialize, Serialize};

/// A connection to an ElastiCache node: which one, and its generation when connected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Remote {
    pub node: String,
    pub generation: u64,
}

/// The port of the laptop's default Redis.
pub const DEFAULT_PORT: u16 = 6379;

fn is_local(addr: &str) -> bool {
    matches!(addr, "127.0.0.1" | "localhost")
}

/// Opens the network path from `host` to `addr:port`: `Ok(None)` for a server on the laptop
/// itself, `Ok(Some(node))` for an ElastiCache node, or the error redis-cli prints. A
/// connection the network drops costs the kernel's connect timeout on the lab's clock.
pub fn open(host: &Host, cloud: &mut Cloud, addr: &str, port: u16) -> Result<Option<Remote>, String> {
    use crate::cloud::network::reach::Outcome;
    let fail = |why: &str| format!("Could not connect to Redis at {addr}:{port}: {why}");
    if is_local(addr) {
        let running = host.name == "laptop" && (port == DEFAULT_PORT || host.redis_nodes.contains_key(&port));
        return if running { Ok(None) } else { Err(fail("Connection refused")) };
    }
    let answer = crate::shell::net::resolve_from(cloud, host, addr).ok_or_else(|| fail("Name or service not known"))?;
    match cloud.reach(&host.source(), answer.address, port).outcome {
        Outcome::TimedOut => {
            let until = cloud.now.plus(crate::cloud::time::Duration::from_secs(127));
            cloud.advance_to(until);
            Err(fail("Connection timed out"))
        }
        Outcome::Refused => Err(fail("Connection refused")),
        Outcome::Connected => match cloud.elasticache.node_at(answer.address) {
            Some(n) if n.port == port => Ok(Some(Remote { node: n.id.clone(), generation: n.generation })),
            _ => Err(fail("Connection refused")),
        },
    }
}

/// The ElastiCache node a connection leads to, while the connection stands.
fn remote_server<'a>(cloud: &'a mut Cloud, remote: &Remote) -> Option<&'a mut Cache> {
    let node = cloud.elasticache.node(&remote.node)?;
    let up = node.listening() && node.generation == remote.generation && !cloud.network.zone_failed(&node.subnet_id);
    if !up {
        return None;
    }
    cloud.elasticache.servers.get_mut(&remote.node)
}

/// The server a connection leads to: an ElastiCache node (`remote`), else the local one at
/// `addr:port` (the default local one is started on first use).
pub fn server<'a>(
    host: &'a mut Host,
    cloud: &'a mut Cloud,
    addr: &str,
    port: u16,
    remote: Option<&Remote>,
    now: i64,
) -> Option<&'a mut Cache> {
    match remote {
        Some(r) => remote_server(cloud, r),
        None => local(host, addr, port, now),
    }
}

/// The local server at `addr:port`, if any (the default one is started on first use).
fn local<'a>(host: &'a mut Host, addr: &str, port: u16, now: i64) -> Option<&'a mut Cache> {
    if host.name != "laptop" || !is_local(addr) {
        return None;
    }
    if port == DEFAULT_PORT {
        return Some(host.redis.get_or_insert_with(|| Box::new(Cache::new(DEFAULT_PORT as u64, now))));
    }
    host.redis_nodes.get_mut(&port).map(|b| b.as_mut())
}

/// The same lookup without starting anything (for the prompt and inspectors).
pub fn server_ref<'a>(
    host: &'a Host,
    cloud: &'a Cloud,
    addr: &str,
    port: u16,
    remote: Option<&Remote>,
) -> Option<&'a Cache> {
    if let Some(r) = remote {
        let node = cloud.elasticache.node(&r.node)?;
        return (node.listening() && node.generation == r.generation)
            .then(|| cloud.elasticache.servers.get(&r.node))
            .flatten();
    }
    if host.name != "laptop" || !is_local(addr) {
        return None;
    }
    if port == DEFAULT_PORT {
        return host.redis.as_deref();
    }
    host.redis_nodes.get(&port).map(|b| b.as_ref())
}

/// A node ID as Redis prints them (40 hex digits), derived from the port so a lab replays the
/// same.
fn node_id(port: u16) -> String {
    let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ port as u64;
    (0..5)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("{:08x}", x as u32)
        })
        .collect()
}

/// Starts `shards` cluster nodes on the laptop at `first_port`, `first_port + 1`, ..., the
/// slots split evenly between them as `redis-cli --cluster create` splits them. Nodes already
/// running on those ports are replaced.
pub fn start_local_cluster(host: &mut Host, first_port: u16, shards: usize, now: i64) {
    let ranges = ClusterNode::even_ranges(shards);
    let all: Vec<Shard> = ranges
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let port = first_port + i as u16;
            Shard { ranges: vec![*r], host: "127.0.0.1".into(), port, node_id: node_id(port) }
        })
        .collect();
    for (i, shard) in all.iter().enumerate() {
        let mut node = Cache::new(shard.port as u64, now);
        node.cluster = Some(ClusterNode { me: i, shards: all.clone() });
        host.redis_nodes.insert(shard.port, Box::new(node));
    }
}

/// The server a connection leads to if it is running, without starting the default one.
pub fn server_existing<'a>(
    host: &'a mut Host,
    cloud: &'a mut Cloud,
    addr: &str,
    port: u16,
    remote: Option<&Remote>,
) -> Option<&'a mut Cache> {
    if let Some(r) = remote {
        return remote_server(cloud, r);
    }
    if host.name != "laptop" || !is_local(addr) {
        return None;
    }
    if port == DEFAULT_PORT {
        return host.redis.as_deref_mut();
    }
    host.redis_nodes.get_mut(&port).map(|b| b.as_mut())
}
