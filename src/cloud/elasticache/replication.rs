//! Replication, failover and recovery of cache nodes.
//!
//! ```text
//!   primary ── write ──▶ backlog ──(REPLICATION_LAG later)──▶ replica applies it
//!
//!   failover:  primary lost ─▶ the replica that applied most is promoted (30-60 s):
//!              the primary endpoint's CNAME moves to it, the other replicas resync from it;
//!              writes the old primary never shipped are lost
//!   recovery:  the old primary's node comes back (a few minutes) as a replica of the new one
//! ```
//!
//! Without a replica to promote (or with automatic failover off) a failed primary is replaced
//! by an empty node: a cache without replicas loses its data with its node, as on AWS.

use super::node::new_server;
use super::status::CacheStatus;
use super::{ElastiCache, Step};
use crate::cloud::network::Network;
use crate::cloud::time::{Duration, Timestamp};
use crate::engines::cache::replication::AttachedReplica;
use crate::engines::rng::Rng;

/// How far behind its primary a healthy replica runs (ElastiCache's is typically well under a
/// second).
pub const REPLICATION_LAG_MS: i64 = 100;

/// Ships each replica the writes its primary made at least [`REPLICATION_LAG_MS`] ago. A node
/// in a failed zone neither sends nor receives.
pub fn replicate(ec: &mut ElastiCache, net: &Network, now: Timestamp) {
    let links: Vec<(String, String)> = ec
        .nodes
        .iter()
        .filter(|n| !n.primary && n.listening() && !net.zone_failed(&n.subnet_id))
        .filter_map(|n| {
            let group = n.group.as_deref()?;
            let primary = ec.primary_of(group, n.shard)?;
            (primary.listening() && !net.zone_failed(&primary.subnet_id)).then(|| (n.id.clone(), primary.id.clone()))
        })
        .collect();
    for (replica, primary) in &links {
        let Some(applied) = ec.servers.get(replica).map(|s| s.applied_offset()) else { continue };
        let Some(source) = ec.servers.get(primary) else { continue };
        let due: Vec<_> =
            source.replication_since(applied).into_iter().filter(|e| e.at <= now.0 - REPLICATION_LAG_MS).collect();
        if due.is_empty() {
            continue;
        }
        if let Some(server) = ec.servers.get_mut(replica) {
            server.apply_replicated(&due, now.0);
        }
    }
    // What each primary's INFO lists: its replicas that are up.
    let mut attached: std::collections::BTreeMap<String, Vec<AttachedReplica>> = Default::default();
    for (replica, primary) in &links {
        if let (Some(node), Some(server)) = (ec.node(replica), ec.servers.get(replica)) {
            attached.entry(primary.clone()).or_default().push(AttachedReplica {
                address: node.private_ip.to_string(),
                port: node.port,
                offset: server.applied_offset(),
            });
        }
    }
    let primaries: Vec<String> = ec.nodes.iter().filter(|n| n.primary).map(|n| n.id.clone()).collect();
    for id in primaries {
        if let Some(server) = ec.servers.get_mut(&id) {
            server.replicas = attached.remove(&id).unwrap_or_default();
        }
    }
}

/// How far a replica is behind its primary, in seconds (`None` for a primary): the age of the
/// oldest write it has not applied yet.
pub fn lag_seconds(ec: &ElastiCache, id: &str, now: Timestamp) -> Option<f64> {
    let node = ec.node(id).filter(|n| !n.primary)?;
    let primary = ec.primary_of(node.group.as_deref()?, node.shard)?;
    let applied = ec.servers.get(id)?.applied_offset();
    let oldest = ec.servers.get(&primary.id)?.backlog.iter().find(|e| e.offset > applied).map(|e| e.at);
    Some(oldest.map_or(0.0, |at| (now.0 - at).max(0) as f64 / 1000.0))
}

/// The primary of `shard` is lost: promote the best replica in 30-60 s, or recover the node
/// itself when there is none. Returns what happens, in a line.
pub fn fail_over(
    ec: &mut ElastiCache,
    net: &Network,
    rng: &mut Rng,
    now: Timestamp,
    group: &str,
    shard: usize,
) -> Result<String, String> {
    let g = ec.group(group).ok_or_else(|| format!("ReplicationGroup {group} not found."))?.clone();
    let old = ec.primary_of(group, shard).ok_or_else(|| format!("{group} has no primary in shard {}", shard + 1))?;
    if !old.listening() {
        return Err(format!("the primary {} of {group} is {}, not available", old.id, old.status));
    }
    let old = old.id.clone();
    let candidate = candidate(ec, net, group, shard);
    stop(ec, &old);
    match candidate {
        Some(new) if g.automatic_failover => {
            if let Some(x) = ec.groups.iter_mut().find(|x| x.id == group) {
                x.status = CacheStatus::Modifying;
            }
            ec.schedule(
                now.plus(Duration::from_secs(rng.range(30, 60) as i64)),
                &new,
                Step::Promote { old: old.clone() },
            );
            Ok(format!("{group}: primary {old} lost, promoting replica {new}"))
        }
        _ => {
            // Nothing to fail over to: the node is replaced, empty.
            if let Some(server) = ec.servers.get_mut(&old) {
                let node_type = ec.nodes.iter().find(|n| n.id == old).map(|n| n.node_type.clone()).unwrap_or_default();
                *server = new_server(rng.next_u64(), &node_type, now);
            }
            ec.record(now, &old, "cache-cluster", "Recovering cache nodes 0001");
            ec.schedule(now.plus(Duration::from_secs(rng.range(240, 420) as i64)), &old, Step::NodeRecovered);
            Ok(format!("{group}: primary {old} lost and no replica to promote; the node is replaced, empty"))
        }
    }
}

/// The replica a failover would promote: the one that has applied the most of the stream, in
/// a zone that is up.
pub fn candidate(ec: &ElastiCache, net: &Network, group: &str, shard: usize) -> Option<String> {
    ec.shard_nodes(group, shard)
        .into_iter()
        .filter(|n| !n.primary && n.listening() && !net.zone_failed(&n.subnet_id))
        .max_by_key(|n| (ec.servers.get(&n.id).map(|s| s.applied_offset()), std::cmp::Reverse(n.id.clone())))
        .map(|n| n.id.clone())
}

/// A node stops answering: its connections drop.
fn stop(ec: &mut ElastiCache, id: &str) {
    if let Some(n) = ec.nodes.iter_mut().find(|n| n.id == id) {
        n.status = CacheStatus::RebootingClusterNodes;
        n.generation += 1;
    }
}

/// The promotion completes: `new` is its shard's primary, the shard's other replicas follow it,
/// the old primary's node is being recovered.
pub fn promote(ec: &mut ElastiCache, rng: &mut Rng, now: Timestamp, new: &str, old: &str) {
    let Some(node) = ec.node(new).cloned() else { return };
    let Some(group) = node.group.clone() else { return };
    for n in ec.nodes.iter_mut().filter(|n| n.group.as_deref() == Some(group.as_str()) && n.shard == node.shard) {
        n.primary = n.id == new;
    }
    super::group::wire(ec, &group);
    resync_replicas(ec, &group, node.shard);
    if let Some(g) = ec.groups.iter_mut().find(|g| g.id == group) {
        g.status = CacheStatus::Available;
    }
    let message = format!("Failover from master node {old} to replica node {new} completed");
    ec.record_kind(now, &group, "replication-group", crate::cloud::rds::log::EventKind::FailoverCompleted, &message);
    ec.record(now, old, "cache-cluster", "Recovering cache nodes 0001");
    ec.schedule(now.plus(Duration::from_secs(rng.range(120, 240) as i64)), old, Step::NodeRecovered);
}

/// Every listening replica of a shard copies its primary's data afresh.
fn resync_replicas(ec: &mut ElastiCache, group: &str, shard: usize) {
    let Some(primary) = ec.primary_of(group, shard).cloned() else { return };
    let Some(source) = ec.servers.get(&primary.id).cloned() else { return };
    let address = format!("{}:{}", primary.private_ip, primary.port);
    let replicas: Vec<String> = ec
        .shard_nodes(group, shard)
        .into_iter()
        .filter(|n| !n.primary && n.status != CacheStatus::Creating)
        .map(|n| n.id.clone())
        .collect();
    for id in replicas {
        if let Some(server) = ec.servers.get_mut(&id) {
            server.full_sync_from(&source, &address);
        }
    }
}

/// A node is back: a replica of its shard's primary (after a full sync), or the shard's primary
/// again when no one took over. In a zone that is still down it waits for the zone.
pub fn recovered(ec: &mut ElastiCache, net: &mut Network, _rng: &mut Rng, now: Timestamp, id: &str) {
    let Some(node) = ec.node(id).cloned() else { return };
    if net.zone_failed(&node.subnet_id) {
        ec.schedule(now.plus(Duration::from_secs(60)), id, Step::NodeRecovered);
        return;
    }
    let first_start = node.status == CacheStatus::Creating;
    if let Some(n) = ec.nodes.iter_mut().find(|n| n.id == id) {
        n.status = CacheStatus::Available;
        n.generation += 1;
    }
    if let Some(group) = &node.group {
        super::group::wire(ec, group);
        if !node.primary {
            if let Some(primary) = ec.primary_of(group, node.shard).cloned() {
                if let Some(source) = ec.servers.get(&primary.id).cloned() {
                    let address = format!("{}:{}", primary.private_ip, primary.port);
                    if let Some(server) = ec.servers.get_mut(id) {
                        server.full_sync_from(&source, &address);
                    }
                }
            }
        }
    }
    if first_start {
        ec.record(now, id, "cache-cluster", "Cache cluster created");
    } else {
        ec.record(now, id, "cache-cluster", "Finished recovery for cache nodes 0001");
    }
}

/// An availability zone went down: each primary there fails over to a replica elsewhere (when
/// its group has automatic failover); a node without one waits for the zone.
pub fn zone_down(ec: &mut ElastiCache, net: &Network, rng: &mut Rng, now: Timestamp, zone: &str) -> Vec<String> {
    let hit: Vec<(String, usize, String)> = ec
        .nodes
        .iter()
        .filter(|n| n.primary && n.zone == zone && n.listening())
        .filter_map(|n| Some((n.group.clone()?, n.shard, n.id.clone())))
        .collect();
    let mut report = Vec::new();
    for (group, shard, id) in hit {
        let has_replica =
            ec.shard_nodes(&group, shard).iter().any(|n| !n.primary && n.listening() && !net.zone_failed(&n.subnet_id));
        let automatic = ec.group(&group).is_some_and(|g| g.automatic_failover);
        if has_replica && automatic {
            if let Ok(line) = fail_over(ec, net, rng, now, &group, shard) {
                report.push(line);
            }
        } else {
            report.push(format!("{group}: primary {id} unreachable until {zone} recovers (no automatic failover)"));
        }
    }
    report
}

/// The host under a cache node died (`fault kill-primary`): a primary fails over (or is
/// replaced empty); a replica is replaced and resyncs.
pub fn host_down(
    ec: &mut ElastiCache,
    net: &Network,
    rng: &mut Rng,
    now: Timestamp,
    id: &str,
) -> Result<String, String> {
    // A replication group's name stands for its first shard's primary.
    let id = match ec.group(id) {
        Some(g) => ec.primary_of(&g.id, 0).map(|n| n.id.clone()).unwrap_or_default(),
        None => id.to_string(),
    };
    let node = ec.node(&id).cloned().ok_or_else(|| format!("CacheCluster not found: {id}"))?;
    if !node.listening() {
        return Err(format!("cache node {id} is {}; there is no running node to fail.", node.status));
    }
    match (&node.group, node.primary) {
        (Some(group), true) => fail_over(ec, net, rng, now, group, node.shard),
        (_, false) => {
            stop(ec, &id);
            ec.record(now, &id, "cache-cluster", "Recovering cache nodes 0001");
            ec.schedule(now.plus(Duration::from_secs(rng.range(240, 420) as i64)), &id, Step::NodeRecovered);
            Ok(format!("replica {id} lost; it is replaced and resyncs from its primary"))
        }
        (None, true) => {
            stop(ec, &id);
            if let Some(server) = ec.servers.get_mut(&id) {
                *server = new_server(rng.next_u64(), &node.node_type, now);
            }
            ec.record(now, &id, "cache-cluster", "Recovering cache nodes 0001");
            ec.schedule(now.plus(Duration::from_secs(rng.range(240, 420) as i64)), &id, Step::NodeRecovered);
            Ok(format!("{id}: node lost; it is replaced, empty (a lone node has no replica)"))
        }
    }
}
