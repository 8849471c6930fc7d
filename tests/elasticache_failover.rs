//! Property test for ElastiCache on the lab's clock, driven through the API: whatever fails
//! (test-failover, a primary's host, an availability zone), a replication group with automatic
//! failover loses only writes its primary made within the replication lag before it was lost,
//! and once things are quiet every node of the shard holds the same data.

use dblab::cloud::api::Credentials;
use dblab::cloud::elasticache::replication::REPLICATION_LAG_MS;
use dblab::cloud::time::{Duration, Timestamp};
use dblab::cloud::Cloud;
use dblab::engines::cache::Reply;
use dblab::engines::rng::Rng;
use serde_json::{json, Value};

fn call(cloud: &mut Cloud, operation: &str, request: Value) -> Result<Value, String> {
    cloud
        .call("test", &Credentials::ConsoleSession, "elasticache", operation, &request)
        .map_err(|e| format!("{operation}: {} {}", e.code, e.message))
}

fn group_status(cloud: &mut Cloud) -> String {
    let d = call(cloud, "DescribeReplicationGroups", json!({"ReplicationGroupId": "g"})).unwrap();
    d["ReplicationGroups"][0]["Status"].as_str().unwrap_or_default().to_string()
}

/// Runs one command on a node's server.
fn run(cloud: &mut Cloud, node: &str, argv: &[&str]) -> Reply {
    let now = cloud.now.0;
    let server = cloud.elasticache.servers.get_mut(node).expect("node's server");
    let client = server.connect();
    let argv: Vec<Vec<u8>> = argv.iter().map(|a| a.as_bytes().to_vec()).collect();
    let reply = server.call(client, &argv, now);
    server.disconnect(client);
    reply
}

/// The current primary, if it is up and reachable.
fn reachable_primary(cloud: &Cloud) -> Option<String> {
    let p = cloud.elasticache.primary_of("g", 0)?;
    (p.listening() && !cloud.network.zone_failed(&p.subnet_id)).then(|| p.id.clone())
}

/// Whether a replica could be promoted now.
fn replica_ready(cloud: &Cloud) -> bool {
    dblab::cloud::elasticache::replication::candidate(&cloud.elasticache, &cloud.network, "g", 0).is_some()
}

fn keys(cloud: &mut Cloud, node: &str) -> Vec<String> {
    match run(cloud, node, &["KEYS", "*"]) {
        Reply::Array(items) => {
            let mut keys: Vec<String> = items
                .iter()
                .filter_map(|r| match r {
                    Reply::Bulk(b) => Some(String::from_utf8_lossy(b).into_owned()),
                    _ => None,
                })
                .collect();
            keys.sort();
            keys
        }
        other => panic!("KEYS: {other:?}"),
    }
}

#[test]
fn a_failover_loses_only_unshipped_writes_and_the_shard_converges() {
    let mut total_failovers = 0;
    for seed in 0..6u64 {
        let mut cloud = Cloud::new(seed, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        let mut rng = Rng::new(900 + seed);
        call(
            &mut cloud,
            "CreateReplicationGroup",
            json!({"ReplicationGroupId": "g", "ReplicationGroupDescription": "test", "CacheNodeType": "cache.t3.micro",
                   "NumCacheClusters": 3, "AutomaticFailoverEnabled": true, "MultiAZEnabled": true}),
        )
        .unwrap();
        for _ in 0..100 {
            if group_status(&mut cloud) == "available" {
                break;
            }
            let next = cloud.now.plus(Duration::from_secs(30));
            cloud.advance_to(next);
        }
        assert_eq!(group_status(&mut cloud), "available");
        // (key, when written); and when each primary loss happened.
        let mut written: Vec<(String, i64)> = Vec::new();
        let mut losses: Vec<i64> = Vec::new();
        for step in 0..200u64 {
            if let Some(primary) = reachable_primary(&cloud) {
                let key = format!("k{step}");
                assert_eq!(run(&mut cloud, &primary, &["SET", &key, "v"]), Reply::ok());
                written.push((key, cloud.now.0));
            }
            let available = group_status(&mut cloud) == "available";
            match rng.range(0, 40) {
                0 if available
                    && call(&mut cloud, "TestFailover", json!({"ReplicationGroupId": "g", "NodeGroupId": "0001"}))
                        .is_ok() =>
                {
                    losses.push(cloud.now.0);
                }
                // (A primary lost with no replica to promote loses everything: not this test's
                // property.)
                1 if available
                    && replica_ready(&cloud)
                    && reachable_primary(&cloud).is_some()
                    && cloud.kill_primary("g").is_ok() =>
                {
                    losses.push(cloud.now.0);
                }
                2 if cloud.network.failed_zones.is_empty() && available && replica_ready(&cloud) => {
                    let zone = dblab::cloud::network::ZONES[rng.range(0, 2) as usize];
                    let primary_zone = cloud.elasticache.primary_of("g", 0).map(|p| p.zone.clone());
                    cloud.fail_zone(zone).unwrap();
                    if primary_zone.as_deref() == Some(zone) {
                        losses.push(cloud.now.0);
                    }
                }
                3 | 4 => {
                    if let Some(zone) = cloud.network.failed_zones.first().cloned() {
                        cloud.recover_zone(&zone).unwrap();
                    }
                }
                _ => {}
            }
            let next = cloud.now.plus(Duration(rng.range(0, 20_000) as i64));
            cloud.advance_to(next);
        }
        for zone in cloud.network.failed_zones.clone() {
            cloud.recover_zone(&zone).unwrap();
        }
        let quiet = cloud.now.plus(Duration::from_secs(900));
        cloud.advance_to(quiet);
        total_failovers += losses.len();

        let primary = reachable_primary(&cloud).expect("a primary after recovery");
        let on_primary = keys(&mut cloud, &primary);
        for (key, at) in &written {
            let may_be_lost = losses.iter().any(|l| *l >= *at && *l - *at <= REPLICATION_LAG_MS);
            assert!(
                may_be_lost || on_primary.contains(key),
                "seed {seed}: {key} written at {at} was lost though shipped before any failover"
            );
        }
        let replicas: Vec<String> =
            cloud.elasticache.shard_nodes("g", 0).iter().filter(|n| !n.primary).map(|n| n.id.clone()).collect();
        assert_eq!(replicas.len(), 2);
        for replica in replicas {
            assert_eq!(keys(&mut cloud, &replica), on_primary, "seed {seed}: replica {replica} did not converge");
        }
    }
    assert!(total_failovers >= 6, "too few failovers to prove anything: {total_failovers}");
}
