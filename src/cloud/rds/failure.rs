//! What RDS does when something breaks: an availability zone goes down, the host under a
//! primary dies, a read replica is cut off from its source.
//!
//! ```text
//!   AZ us-east-1a down ─┬─ Multi-AZ instance, primary in 1a ──▶ failing-over (60-120 s) ──▶
//!                       │      primary = old standby in 1b, endpoint's DNS flips, nothing lost
//!                       ├─ single-AZ instance in 1a ──▶ unreachable until the zone is back
//!                       └─ replica in 1a, or whose source is in 1a ──▶ stream stops, lag grows
//!   host failure ───────┬─ Multi-AZ ──▶ failover as above
//!                       └─ single-AZ ──▶ recovery on a new host (2-5 min), open work lost
//! ```
//!
//! The failures themselves are injected by the cloud's fault functions (`cloud::faults`), the
//! way a learner's fault buttons and the `fault` command do.

use super::instance::schedule;
use super::status::DbStatus;
use super::{Rds, Step};
use crate::cloud::network::Network;
use crate::cloud::time::Timestamp;
use crate::engines::rng::Rng;

/// Starts a Multi-AZ failover: connections drop, the standby takes over when it completes.
fn start_failover(rds: &mut Rds, rng: &mut Rng, now: Timestamp, id: &str, reason: &str) {
    if let Some(i) = rds.instances.iter_mut().find(|i| i.id == id) {
        i.status = DbStatus::FailingOver;
    }
    if let Some(data) = rds.data.get_mut(id) {
        data.restart();
    }
    rds.log.record(now, id, "db-instance", &format!("Multi-AZ instance failover started. {reason}"), "failover");
    schedule(rds, now, rng.range(60, 120), id, Step::FailedOver);
}

/// Whether the instance is in a state a failure can hit (not being created or deleted).
fn running(status: DbStatus) -> bool {
    !matches!(status, DbStatus::Creating | DbStatus::Deleting | DbStatus::FailingOver)
}

/// An availability zone went down. Returns what happened, one line per instance hit.
pub fn zone_down(rds: &mut Rds, net: &Network, rng: &mut Rng, now: Timestamp, zone: &str) -> Vec<String> {
    let mut report = Vec::new();
    // An Aurora writer in the zone: a reader elsewhere takes over. The volume keeps its four
    // copies in the other two zones, so it keeps writing.
    let writers: Vec<(String, String)> = rds
        .clusters
        .iter()
        .filter_map(|c| super::cluster::writer(rds, &c.id).map(|w| (c.id.clone(), w)))
        .filter(|(_, w)| rds.instance(w).is_some_and(|i| i.zone == zone && running(i.status)))
        .collect();
    for (cluster, _) in &writers {
        if let Ok(line) = super::cluster::fail_over(rds, net, rng, now, cluster, None) {
            report.push(line);
        }
    }
    let hit: Vec<(String, bool, Option<String>, DbStatus)> = rds
        .instances
        .iter()
        .filter(|i| running(i.status) && i.cluster.is_none())
        .map(|i| (i.id.clone(), i.zone == zone, i.standby.as_ref().map(|s| s.zone.clone()), i.status))
        .collect();
    for (id, primary_hit, standby_zone, _) in hit {
        let standby_healthy = standby_zone.as_ref().is_some_and(|z| !net.failed_zones.contains(z));
        if primary_hit && standby_healthy {
            start_failover(rds, rng, now, &id, &format!("The primary's Availability Zone {zone} is unavailable."));
            report.push(format!(
                "{id}: primary lost, failing over to its standby in {}",
                standby_zone.unwrap_or_default()
            ));
        } else if primary_hit {
            if let Some(data) = rds.data.get_mut(&id) {
                data.restart();
            }
            rds.log.record(
                now,
                &id,
                "db-instance",
                &format!("The DB instance is unreachable: its Availability Zone {zone} is unavailable."),
                "availability",
            );
            report.push(format!("{id}: unreachable until {zone} recovers (single-AZ)"));
        } else if standby_zone.as_deref() == Some(zone) {
            report.push(format!("{id}: standby lost; the primary carries on without one"));
        }
    }
    report
}

/// The zone is back: single-AZ instances in it restart.
pub fn zone_up(rds: &mut Rds, now: Timestamp, zone: &str) -> Vec<String> {
    let ids: Vec<String> =
        rds.instances.iter().filter(|i| i.zone == zone && running(i.status)).map(|i| i.id.clone()).collect();
    for id in &ids {
        if let Some(data) = rds.data.get_mut(id) {
            data.restart();
        }
        rds.log.record(now, id, "db-instance", "DB instance restarted", "availability");
    }
    ids.into_iter().map(|id| format!("{id}: back in {zone}")).collect()
}

/// The host under an instance's primary died.
pub fn host_down(rds: &mut Rds, net: &Network, rng: &mut Rng, now: Timestamp, id: &str) -> Result<String, String> {
    let i = rds.instance(id).ok_or_else(|| format!("DBInstance {id} not found."))?;
    if !running(i.status) || i.status == DbStatus::Rebooting {
        return Err(format!("DB instance {id} is {}; there is no running primary to fail.", i.status));
    }
    if let Some(cluster) = i.cluster.clone() {
        if super::cluster::writer(rds, &cluster).as_deref() == Some(id) {
            return super::cluster::fail_over(rds, net, rng, now, &cluster, None);
        }
        return Err(format!("{id} is a reader of {cluster}; kill the writer to see a failover."));
    }
    if i.multi_az && i.standby.is_some() {
        let zone = i.standby.as_ref().map(|s| s.zone.clone()).unwrap_or_default();
        start_failover(rds, rng, now, id, "The primary host has failed.");
        return Ok(format!("{id}: primary host failed, failing over to its standby in {zone}"));
    }
    if let Some(i) = rds.instances.iter_mut().find(|i| i.id == id) {
        i.status = DbStatus::Rebooting;
    }
    if let Some(data) = rds.data.get_mut(id) {
        data.restart();
    }
    rds.log.record(
        now,
        id,
        "db-instance",
        "Recovery of the DB instance has started. Recovery time will vary with the amount of data to be recovered.",
        "recovery",
    );
    schedule(rds, now, rng.range(120, 300), id, Step::Recovered);
    Ok(format!("{id}: primary host failed; single-AZ, so RDS recovers it on a new host (a few minutes)"))
}

/// Cuts a read replica off from its source (or heals the cut): its stream stops and the lag
/// grows until the cut heals, then the backlog drains.
pub fn set_partitioned(rds: &mut Rds, id: &str, cut: bool) -> Result<String, String> {
    let data = rds.data.get_mut(id).ok_or_else(|| format!("DBInstance {id} not found."))?;
    let rep = data.replication.as_mut().ok_or_else(|| format!("{id} is not a read replica."))?;
    rep.partitioned = cut;
    Ok(if cut {
        format!("{id}: cut off from its source {}; replication stops", rep.source)
    } else {
        format!("{id}: reconnected to {}; the backlog drains", rep.source)
    })
}
