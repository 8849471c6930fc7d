//! Where redis-cli's addresses lead: the one place a `host:port` becomes a Redis server.
//!
//! Today every server lives on the laptop: the local Redis on port 6379 (started on first use,
//! like an installed `redis-server`), and any further local nodes on other ports — a small
//! Redis Cluster run on one machine, each node owning some of the 16384 slots, as
//! [`start_local_cluster`] sets up (ports 7000, 7001, ... as in Redis's own cluster tutorial).
//! An address on another machine answers "Connection refused".
//!
//! ElastiCache endpoints plug in here when the cloud layer serves them: [`server`] and
//! [`server_ref`] are the only lookups redis-cli makes (connecting, following `-MOVED` and
//! `-ASK` with `-c`, delivering pub/sub messages, drawing the prompt), so a cluster's nodes
//! become reachable by teaching these two functions their addresses.

use super::super::host::Host;
use crate::engines::cache::cluster::{ClusterNode, Shard};
use crate::engines::cache::Cache;

/// The port of the laptop's default Redis.
pub const DEFAULT_PORT: u16 = 6379;

fn is_local(addr: &str) -> bool {
    matches!(addr, "127.0.0.1" | "localhost")
}

/// The server listening at `addr:port` as seen from `host`, if any (the default local one is
/// started on first use).
pub fn server<'a>(host: &'a mut Host, addr: &str, port: u16, now: i64) -> Option<&'a mut Cache> {
    if host.name != "laptop" || !is_local(addr) {
        return None;
    }
    if port == DEFAULT_PORT {
        return Some(host.redis.get_or_insert_with(|| Box::new(Cache::new(DEFAULT_PORT as u64, now))));
    }
    host.redis_nodes.get_mut(&port).map(|b| b.as_mut())
}

/// The same lookup without starting anything (for the prompt and inspectors).
pub fn server_ref<'a>(host: &'a Host, addr: &str, port: u16) -> Option<&'a Cache> {
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

/// The server at `addr:port` if it is running, without starting the default one.
pub fn server_existing<'a>(host: &'a mut Host, addr: &str, port: u16) -> Option<&'a mut Cache> {
    if host.name != "laptop" || !is_local(addr) {
        return None;
    }
    if port == DEFAULT_PORT {
        return host.redis.as_deref_mut();
    }
    host.redis_nodes.get_mut(&port).map(|b| b.as_mut())
}
