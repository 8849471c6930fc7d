//! Property tests for RDS recovery on the lab's clock, driven through the RDS API:
//!
//! - a point-in-time restore to any second T of the restorable window holds exactly what the
//!   source held at T (across daily backups, rolled-back transactions and quiet periods);
//! - a read replica only ever shows a state its source went through, never goes back, and once
//!   the writes stop it converges to the source;
//! - nothing committed is lost whatever fails: a Multi-AZ instance's primary or zone, or an
//!   Aurora cluster's writer or zone, with readers that converge to the writer.

use dblab::cloud::api::Credentials;
use dblab::cloud::time::{Duration, Timestamp};
use dblab::cloud::Cloud;
use dblab::engines::rng::Rng;
use dblab::engines::sql::{display_value, Flavour, Outcome};
use serde_json::{json, Value};

const PASSWORD: &str = "Lab-pass-123";

fn call(cloud: &mut Cloud, operation: &str, request: Value) -> Value {
    cloud
        .call("test", &Credentials::ConsoleSession, "rds", operation, &request)
        .unwrap_or_else(|e| panic!("{operation}: {} {}", e.code, e.message))
}

fn status(cloud: &mut Cloud, id: &str) -> String {
    let d = call(cloud, "DescribeDBInstances", json!({"DBInstanceIdentifier": id}));
    d["DBInstances"][0]["DBInstanceStatus"].as_str().unwrap_or_default().to_string()
}

/// Lets the clock run until the instance is available.
fn wait_available(cloud: &mut Cloud, id: &str) {
    for _ in 0..200 {
        if status(cloud, id) == "available" {
            return;
        }
        let next = cloud.now.plus(Duration::from_secs(30));
        cloud.advance_to(next);
    }
    panic!("{id} never became available");
}

/// Runs SQL on an instance's current primary as the master user, at the lab's now. For an
/// Aurora instance that is the data it serves: the cluster volume for the writer, its own
/// copy for a reader.
fn sql(cloud: &mut Cloud, id: &str, text: &str) -> Result<Outcome, String> {
    let now = cloud.now.0 * 1000;
    let key = cloud.rds.data_key(id);
    let server = &mut cloud.rds.data.get_mut(&key).expect("instance data").primary;
    let session = server.connect("admin", PASSWORD, Some("shop")).map_err(|e| e.render(Flavour::MySql))?;
    let result = server.execute(session, text, now).map_err(|e| e.render(Flavour::MySql));
    server.disconnect(session);
    result
}

/// The table's content, as text.
fn dump(cloud: &mut Cloud, id: &str) -> Vec<Vec<Option<String>>> {
    match sql(cloud, id, "SELECT id, v FROM t ORDER BY id") {
        Ok(Outcome::Rows { rows, .. }) => {
            rows.iter().map(|r| r.iter().map(|v| display_value(v, Flavour::MySql)).collect()).collect()
        }
        other => panic!("dump: {other:?}"),
    }
}

fn create_source(cloud: &mut Cloud, id: &str) {
    call(
        cloud,
        "CreateDBInstance",
        json!({"DBInstanceIdentifier": id, "DBInstanceClass": "db.t3.micro", "Engine": "mysql",
               "AllocatedStorage": 20, "MasterUsername": "admin", "MasterUserPassword": PASSWORD,
               "DBName": "shop", "BackupRetentionPeriod": 7}),
    );
    wait_available(cloud, id);
    sql(cloud, id, "CREATE TABLE t (id INT PRIMARY KEY, v INT)").unwrap();
}

/// One random write: inserts, updates, deletes, or a transaction that is rolled back.
fn random_write(cloud: &mut Cloud, id: &str, rng: &mut Rng, step: u64) {
    let key = rng.range(0, 30);
    let text = match rng.range(0, 5) {
        0 | 1 => format!("INSERT INTO t VALUES ({key}, {step}) ON DUPLICATE KEY UPDATE v = v + 1"),
        2 => format!("UPDATE t SET v = v * 2 WHERE id >= {key}"),
        3 => format!("DELETE FROM t WHERE id = {key}"),
        _ => format!("BEGIN; INSERT INTO t VALUES ({}, 0); ROLLBACK", 1000 + step),
    };
    sql(cloud, id, &text).unwrap();
}

#[test]
fn a_point_in_time_restore_holds_exactly_the_state_at_that_second() {
    for seed in 0..6u64 {
        let mut cloud = Cloud::new(seed, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        let mut rng = Rng::new(100 + seed);
        create_source(&mut cloud, "src");
        // (time, content) after every write, in order.
        let mut history: Vec<(Timestamp, Vec<Vec<Option<String>>>)> = vec![(cloud.now, dump(&mut cloud, "src"))];
        for step in 0..80 {
            random_write(&mut cloud, "src", &mut rng, step);
            history.push((cloud.now, dump(&mut cloud, "src")));
            // Mostly seconds apart; once in a while a long quiet spell that crosses a backup window.
            let pause = if rng.range(0, 40) == 0 { rng.range(3_600, 30 * 3_600) } else { rng.range(0, 20) };
            let next = cloud.now.plus(Duration::from_secs(pause as i64));
            cloud.advance_to(next);
        }
        // Let the last writes' logs reach backup storage.
        let later = cloud.now.plus(Duration::from_secs(600));
        cloud.advance_to(later);
        let window = call(&mut cloud, "DescribeDBInstanceAutomatedBackups", json!({"DBInstanceIdentifier": "src"}));
        let earliest = Timestamp::parse(
            window["DBInstanceAutomatedBackups"][0]["RestoreWindow"]["EarliestTime"].as_str().unwrap(),
        )
        .unwrap();
        let latest =
            Timestamp::parse(window["DBInstanceAutomatedBackups"][0]["RestoreWindow"]["LatestTime"].as_str().unwrap())
                .unwrap();
        for n in 0..3 {
            // A whole second in the window, often exactly at a write.
            let pick = history[rng.range(0, history.len() as u64 - 1) as usize].0;
            let at = if n == 0 {
                pick
            } else {
                Timestamp(rng.range(earliest.0 as u64, latest.0 as u64) as i64 / 1000 * 1000)
            };
            let at = Timestamp(at.0.clamp(earliest.0.div_euclid(1000) * 1000 + 1000, latest.0));
            let expected = history.iter().rev().find(|(t, _)| *t <= at).map(|(_, d)| d.clone()).unwrap();
            let target = format!("restored-{n}");
            call(
                &mut cloud,
                "RestoreDBInstanceToPointInTime",
                json!({"SourceDBInstanceIdentifier": "src", "TargetDBInstanceIdentifier": target,
                       "RestoreTime": at.to_aws_string()}),
            );
            wait_available(&mut cloud, &target);
            assert_eq!(dump(&mut cloud, &target), expected, "seed {seed}, restore to {at}");
        }
    }
}

#[test]
fn a_read_replica_shows_only_past_states_of_its_source_and_converges() {
    for seed in 0..6u64 {
        let mut cloud = Cloud::new(seed, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        let mut rng = Rng::new(200 + seed);
        create_source(&mut cloud, "src");
        call(
            &mut cloud,
            "CreateDBInstanceReadReplica",
            json!({"DBInstanceIdentifier": "rep", "SourceDBInstanceIdentifier": "src"}),
        );
        wait_available(&mut cloud, "rep");
        let mut history = vec![dump(&mut cloud, "src")];
        let mut seen = 0usize;
        let mut stale_reads = 0;
        for step in 0..120 {
            random_write(&mut cloud, "src", &mut rng, step);
            if rng.range(0, 10) == 0 {
                // A burst: many rows at once makes the lag grow.
                sql(&mut cloud, "src", &format!("UPDATE t SET v = v + {step}")).unwrap();
            }
            let now_state = dump(&mut cloud, "src");
            if history.last() != Some(&now_state) {
                history.push(now_state);
            }
            let next = cloud.now.plus(Duration(rng.range(0, 1500) as i64));
            cloud.advance_to(next);
            let replica = dump(&mut cloud, "rep");
            let at = history
                .iter()
                .rposition(|h| *h == replica)
                .unwrap_or_else(|| panic!("seed {seed}: the replica shows a state the source never had: {replica:?}"));
            assert!(at >= seen || history[seen] == replica, "seed {seed}: the replica went back in time");
            seen = seen.max(at);
            stale_reads += usize::from(at + 1 < history.len());
            assert!(sql(&mut cloud, "rep", "DELETE FROM t").unwrap_err().contains("--read-only"));
        }
        assert!(stale_reads > 0, "seed {seed}: asynchronous replication never showed a stale read");
        let later = cloud.now.plus(Duration::from_secs(60));
        cloud.advance_to(later);
        assert_eq!(dump(&mut cloud, "rep"), dump(&mut cloud, "src"), "seed {seed}: the replica did not converge");
        let lag = dblab::cloud::rds::replica::lag_seconds(&cloud.rds, "rep", cloud.now);
        assert_eq!(lag, Some(0));
    }
}

#[test]
fn nothing_committed_is_lost_whatever_fails() {
    for seed in 0..6u64 {
        let mut cloud = Cloud::new(seed, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        let mut rng = Rng::new(300 + seed);
        call(
            &mut cloud,
            "CreateDBInstance",
            json!({"DBInstanceIdentifier": "src", "DBInstanceClass": "db.t3.micro", "Engine": "mysql",
                   "AllocatedStorage": 20, "MasterUsername": "admin", "MasterUserPassword": PASSWORD,
                   "DBName": "shop", "MultiAZ": true}),
        );
        wait_available(&mut cloud, "src");
        sql(&mut cloud, "src", "CREATE TABLE t (id INT PRIMARY KEY, v INT)").unwrap();
        let mut committed = Vec::new();
        let mut failovers = 0;
        for step in 0..150u64 {
            let up = status(&mut cloud, "src") == "available" && {
                let i = cloud.rds.instance("src").unwrap();
                !cloud.network.zone_failed(&i.subnet_id)
            };
            if up {
                sql(&mut cloud, "src", &format!("INSERT INTO t VALUES ({step}, {seed})")).unwrap();
                committed.push(vec![Some(step.to_string()), Some(seed.to_string())]);
            }
            match rng.range(0, 30) {
                0 if up => {
                    cloud.kill_primary("src").unwrap();
                    failovers += 1;
                }
                1 if cloud.network.failed_zones.is_empty() => {
                    let zone = dblab::cloud::network::ZONES[rng.range(0, 2) as usize];
                    cloud.fail_zone(zone).unwrap();
                }
                2 | 3 => {
                    if let Some(zone) = cloud.network.failed_zones.first().cloned() {
                        cloud.recover_zone(&zone).unwrap();
                    }
                }
                _ => {}
            }
            let next = cloud.now.plus(Duration::from_secs(rng.range(0, 90) as i64));
            cloud.advance_to(next);
        }
        for zone in cloud.network.failed_zones.clone() {
            cloud.recover_zone(&zone).unwrap();
        }
        wait_available(&mut cloud, "src");
        assert!(failovers > 0, "seed {seed}: no failover happened");
        assert_eq!(dump(&mut cloud, "src"), committed, "seed {seed}: committed rows were lost");
    }
}

fn cluster_status(cloud: &mut Cloud) -> String {
    let d = call(cloud, "DescribeDBClusters", json!({"DBClusterIdentifier": "aur"}));
    d["DBClusters"][0]["Status"].as_str().unwrap_or_default().to_string()
}

#[test]
fn an_aurora_cluster_loses_nothing_and_its_readers_converge() {
    for seed in 0..6u64 {
        let mut cloud = Cloud::new(seed, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        let mut rng = Rng::new(700 + seed);
        call(
            &mut cloud,
            "CreateDBCluster",
            json!({"DBClusterIdentifier": "aur", "Engine": "aurora-mysql", "MasterUsername": "admin",
                   "MasterUserPassword": PASSWORD, "DatabaseName": "shop"}),
        );
        let members = ["aur-1", "aur-2", "aur-3"];
        for (n, id) in members.iter().enumerate() {
            call(
                &mut cloud,
                "CreateDBInstance",
                json!({"DBInstanceIdentifier": id, "DBClusterIdentifier": "aur", "Engine": "aurora-mysql",
                       "DBInstanceClass": "db.r6g.large", "AvailabilityZone": dblab::cloud::network::ZONES[n]}),
            );
        }
        for id in members {
            wait_available(&mut cloud, id);
        }
        let writer = |cloud: &Cloud| dblab::cloud::rds::cluster::writer(&cloud.rds, "aur").expect("a writer");
        let first = writer(&cloud);
        sql(&mut cloud, &first, "CREATE TABLE t (id INT PRIMARY KEY, v INT)").unwrap();
        let mut committed = Vec::new();
        let mut failovers = 0;
        for step in 0..150u64 {
            let w = writer(&cloud);
            let up = cluster_status(&mut cloud) == "available" && status(&mut cloud, &w) == "available" && {
                let i = cloud.rds.instance(&w).unwrap();
                !cloud.network.zone_failed(&i.subnet_id)
            };
            if up {
                sql(&mut cloud, &w, &format!("INSERT INTO t VALUES ({step}, {seed})")).unwrap();
                committed.push(vec![Some(step.to_string()), Some(seed.to_string())]);
            }
            match rng.range(0, 30) {
                0 if up => {
                    cloud.kill_primary(&w).unwrap();
                    failovers += 1;
                }
                1 if up => {
                    call(&mut cloud, "FailoverDBCluster", json!({"DBClusterIdentifier": "aur"}));
                    failovers += 1;
                }
                2 if cloud.network.failed_zones.is_empty() => {
                    let zone = dblab::cloud::network::ZONES[rng.range(0, 2) as usize];
                    cloud.fail_zone(zone).unwrap();
                }
                3 | 4 => {
                    if let Some(zone) = cloud.network.failed_zones.first().cloned() {
                        cloud.recover_zone(&zone).unwrap();
                    }
                }
                _ => {}
            }
            let next = cloud.now.plus(Duration::from_secs(rng.range(0, 60) as i64));
            cloud.advance_to(next);
        }
        for zone in cloud.network.failed_zones.clone() {
            cloud.recover_zone(&zone).unwrap();
        }
        for id in members {
            wait_available(&mut cloud, id);
        }
        let next = cloud.now.plus(Duration::from_secs(5));
        cloud.advance_to(next);
        assert!(failovers > 0, "seed {seed}: no failover happened");
        let w = writer(&cloud);
        assert_eq!(dump(&mut cloud, &w), committed, "seed {seed}: committed rows were lost");
        for id in members.iter().filter(|id| **id != w) {
            assert_eq!(dump(&mut cloud, id), committed, "seed {seed}: reader {id} did not converge");
        }
    }
}
