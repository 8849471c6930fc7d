//! Faults a learner injects (the workspace's fault buttons, the shell's `fault` command) to
//! see how the region copes: an availability zone going down and coming back, the host under a
//! database's or cache's primary dying, a read replica cut off from its source.
//!
//! Each fault changes the network or the service and lets the services react as they would on
//! AWS (a Multi-AZ failover, a recovery on a new host); nothing is scripted per lesson. Each
//! returns a short report of what it hit, or why it could not be injected.

use super::Cloud;

impl Cloud {
    /// Takes an availability zone down: nothing in it answers, and what ran there reacts.
    pub fn fail_zone(&mut self, zone: &str) -> Result<Vec<String>, String> {
        if !super::network::ZONES.contains(&zone) {
            return Err(format!(
                "unknown availability zone {zone} (the lab's region has {})",
                super::network::ZONES.join(", ")
            ));
        }
        if self.network.failed_zones.iter().any(|z| z == zone) {
            return Err(format!("{zone} is already down"));
        }
        self.network.failed_zones.push(zone.to_string());
        let mut report = super::rds::failure::zone_down(&mut self.rds, &self.network, &mut self.rng, self.now, zone);
        report.extend(super::elasticache::replication::zone_down(
            &mut self.elasticache,
            &self.network,
            &mut self.rng,
            self.now,
            zone,
        ));
        self.schedule_pending();
        Ok(report)
    }

    /// Brings a failed availability zone back.
    pub fn recover_zone(&mut self, zone: &str) -> Result<Vec<String>, String> {
        if !self.network.failed_zones.iter().any(|z| z == zone) {
            return Err(format!("{zone} is not down"));
        }
        self.network.failed_zones.retain(|z| z != zone);
        let report = super::rds::failure::zone_up(&mut self.rds, self.now, zone);
        self.schedule_pending();
        Ok(report)
    }

    /// Kills the host under a DB instance's primary, or under a cache node (a replication
    /// group's name meaning its first shard's primary).
    pub fn kill_primary(&mut self, id: &str) -> Result<String, String> {
        let cache = self.elasticache.node(id).is_some() || self.elasticache.group(id).is_some();
        let report = if cache {
            super::elasticache::replication::host_down(
                &mut self.elasticache,
                &self.network,
                &mut self.rng,
                self.now,
                id,
            )?
        } else {
            super::rds::failure::host_down(&mut self.rds, &self.network, &mut self.rng, self.now, id)?
        };
        self.schedule_pending();
        Ok(report)
    }

    /// Cuts a read replica off from its source (`cut`), or reconnects it.
    pub fn partition_replica(&mut self, id: &str, cut: bool) -> Result<String, String> {
        super::rds::failure::set_partitioned(&mut self.rds, id, cut)
    }
}
