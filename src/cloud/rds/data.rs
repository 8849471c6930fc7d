//! What an RDS instance stores: a relational engine server, and for Multi-AZ a standby copy fed
//! by the primary's commit log.
//!
//! ```text
//!   primary ── commit log ──▶ standby        (synchronous: a commit is acknowledged only when
//!      LSN 41 42 43              41 42 43     the standby has it, so a failover loses nothing)
//! ```
//!
//! A read replica is fed the same log asynchronously ([`Replication`], driven by
//! `replica.rs`), and a restore starts from a snapshot's catalog ([`DbData::restored`]).
//!
//! This is the only file of the cloud layer that creates servers, ships log records and swaps
//! roles. It never looks inside a table.

use crate::engines::sql::server::User;
use crate::engines::sql::storage::Catalog;
use crate::engines::sql::{Flavour, Server};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbData {
    pub primary: Server,
    pub standby: Option<Server>,
    /// Bumped whenever the primary restarts (reboot, failover): client connections opened
    /// before it are gone.
    pub generation: u64,
    /// Set while this instance is a read replica: where its changes come from.
    pub replication: Option<Replication>,
}

/// A read replica's position in its source's commit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replication {
    /// The source instance's identifier.
    pub source: String,
    /// The last source record applied here.
    pub applied_lsn: u64,
    /// When the replica's single applier thread finishes the record it is on (virtual ms):
    /// records queue behind each other, so a burst of writes makes the lag grow.
    pub busy_until: i64,
    /// Cut off from the source by a (simulated) network partition.
    pub partitioned: bool,
    /// An Aurora reader: it shares the cluster volume, so changes reach it in milliseconds and
    /// cost it nothing to apply, however heavy the writes.
    pub shared_volume: bool,
}

fn flavour_of(engine: &str) -> Flavour {
    if engine == "postgres" {
        Flavour::Postgres
    } else {
        Flavour::MySql
    }
}

impl DbData {
    /// A new server with the master user (all privileges) and the initial database.
    pub fn new(
        engine: &str,
        master: &str,
        password: &str,
        db_name: Option<&str>,
        multi_az: bool,
        now_micros: i64,
    ) -> DbData {
        let flavour = flavour_of(engine);
        let mut primary = Server::new(flavour, "", now_micros);
        // RDS keeps the engine's own superuser for itself (`rdsadmin`); the master user is the
        // learner's administrator.
        primary.users.remove(flavour.admin_user());
        primary
            .users
            .insert(master.to_string(), User { password: password.to_string(), admin: true, grants: BTreeSet::new() });
        if let Some(db) = db_name {
            if let Ok(session) = primary.connect(master, password, None) {
                let _ = primary.execute(session, &format!("CREATE DATABASE {}", flavour.quote(db)), now_micros);
                primary.disconnect(session);
            }
        }
        let standby = multi_az.then(|| primary.clone());
        DbData { primary, standby, generation: 0, replication: None }
    }

    /// A new instance holding a snapshot's catalog and users (a restore). Its own commit log
    /// starts here.
    pub fn restored(engine: &str, catalog: Catalog, users: BTreeMap<String, User>, now_micros: i64) -> DbData {
        let mut primary = Server::new(flavour_of(engine), "", now_micros);
        primary.users = users;
        primary.load(catalog);
        DbData { primary, standby: None, generation: 0, replication: None }
    }

    /// A read replica of `source`: a copy of its primary as of now, read-only, replicating
    /// from the copy's position onwards.
    pub fn replica_of(source_id: &str, source: &DbData) -> DbData {
        let mut primary = source.primary.clone();
        primary.sessions.clear();
        primary.read_only = true;
        let applied_lsn = primary.log.latest_lsn();
        DbData {
            primary,
            standby: None,
            generation: 0,
            replication: Some(Replication {
                source: source_id.to_string(),
                applied_lsn,
                busy_until: 0,
                partitioned: false,
                shared_volume: false,
            }),
        }
    }

    /// Ships every record the standby lacks (synchronous replication: it is always current when
    /// anyone could observe it).
    pub fn sync_standby(&mut self) {
        if let Some(standby) = &mut self.standby {
            let from = standby.log.latest_lsn();
            let records = self.primary.log.since(from).to_vec();
            standby.apply_log(&records);
            standby.users = self.primary.users.clone();
        }
    }

    /// A Multi-AZ failover: the standby, fully caught up, becomes the primary; the old primary
    /// becomes the new standby. Open connections are dropped.
    pub fn fail_over(&mut self) {
        self.sync_standby();
        if let Some(standby) = self.standby.take() {
            let mut old = std::mem::replace(&mut self.primary, standby);
            old.sessions.clear();
            self.primary.sessions.clear();
            self.standby = Some(old);
        }
        self.generation += 1;
    }

    /// A restart: connections are dropped, uncommitted work with them.
    pub fn restart(&mut self) {
        self.primary.sessions.clear();
        self.generation += 1;
    }

    /// Turns Multi-AZ on (a standby copied from the primary) or off.
    pub fn set_multi_az(&mut self, on: bool) {
        if on && self.standby.is_none() {
            let mut copy = self.primary.clone();
            copy.sessions.clear();
            self.standby = Some(copy);
        } else if !on {
            self.standby = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::rng::Rng;

    /// Property: whatever was committed before a failover is on the new primary after it.
    #[test]
    fn nothing_committed_is_lost_on_failover() {
        let mut rng = Rng::new(11);
        for round in 0..20 {
            let mut db = DbData::new("mysql", "admin", "Secret-123", Some("shop"), true, 0);
            let s = db.primary.connect("admin", "Secret-123", Some("shop")).unwrap();
            db.primary.execute(s, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", 1).unwrap();
            let mut committed = 0;
            for i in 0..rng.range(1, 40) {
                if rng.range(0, 3) == 0 {
                    // A transaction left open at the failover: it must vanish.
                    db.primary.execute(s, "BEGIN", 2).unwrap();
                    db.primary.execute(s, &format!("INSERT INTO t VALUES ({}, 0)", 10_000 + i), 2).unwrap();
                    break;
                }
                db.primary.execute(s, &format!("INSERT INTO t VALUES ({i}, {round})"), 2).unwrap();
                committed += 1;
            }
            db.fail_over();
            assert_eq!(db.generation, 1);
            let s2 = db.primary.connect("admin", "Secret-123", Some("shop")).unwrap();
            let rows = match db.primary.execute(s2, "SELECT COUNT(*) FROM t", 3).unwrap() {
                crate::engines::sql::Outcome::Rows { rows, .. } => rows,
                other => panic!("{other:?}"),
            };
            assert_eq!(
                crate::engines::sql::display_value(&rows[0][0], Flavour::MySql).as_deref(),
                Some(committed.to_string().as_str())
            );
            // Failing back keeps it too.
            db.fail_over();
            let s3 = db.primary.connect("admin", "Secret-123", Some("shop")).unwrap();
            let again = match db.primary.execute(s3, "SELECT COUNT(*) FROM t", 4).unwrap() {
                crate::engines::sql::Outcome::Rows { rows, .. } => rows,
                other => panic!("{other:?}"),
            };
            assert_eq!(again, rows);
        }
    }

    #[test]
    fn a_replica_refuses_writes_in_each_flavours_words() {
        for (engine, flavour, expected) in [
            ("mysql", Flavour::MySql, "ERROR 1290 (HY000): The MySQL server is running with the --read-only option so it cannot execute this statement"),
            ("postgres", Flavour::Postgres, "ERROR:  cannot execute INSERT in a read-only transaction"),
        ] {
            let mut source = DbData::new(engine, "admin", "Secret-123", Some("shop"), false, 0);
            let s = source.primary.connect("admin", "Secret-123", Some("shop")).unwrap();
            source.primary.execute(s, "CREATE TABLE t (id INT PRIMARY KEY)", 1).unwrap();
            let mut replica = DbData::replica_of("src", &source);
            let r = replica.primary.connect("admin", "Secret-123", Some("shop")).unwrap();
            let err = replica.primary.execute(r, "INSERT INTO t VALUES (1)", 2).unwrap_err();
            assert_eq!(err.render(flavour), expected);
            assert!(replica.primary.execute(r, "SELECT * FROM t", 2).is_ok());
        }
    }
}
