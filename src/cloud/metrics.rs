//! Metrics over virtual time, as CloudWatch keeps them: one sample per resource and metric at
//! every virtual minute, the last [`KEEP`] minutes of each series.
//!
//! ```text
//!   AWS/RDS       DBInstanceIdentifier=shop-replica  ReplicaLag   09:01 0  09:02 0  09:03 7 ...
//!   AWS/DynamoDB  TableName=Music                    ConsumedWriteCapacityUnits ...
//! ```
//!
//! [`Cloud::advance_to`](super::Cloud::advance_to) samples at each minute boundary it crosses;
//! the workspace's charts and `aws cloudwatch get-metric-statistics` read the series. What is
//! measured comes from the services' own state (sessions, the commit log, replication, capacity
//! counters), so a chart shows what the lab did, not a made-up curve.

use super::api::{ApiError, ApiResult, Request};
use super::operation::{op_table, Table, Unknown, READ};
use super::time::Timestamp;
use super::Cloud;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, VecDeque};

/// Minutes of history each series keeps (three hours).
pub const KEEP: usize = 180;
pub const MINUTE_MS: i64 = 60_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub unit: String,
    /// (minute, value), oldest first.
    pub points: VecDeque<(Timestamp, f64)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// By [`key`]: namespace, dimension value and metric name.
    pub series: BTreeMap<String, Series>,
    /// Each cache node's running counters (hits, misses, evictions) at the last sample, to
    /// turn them into per-minute counts.
    pub cache_counters: BTreeMap<String, [u64; 3]>,
}

/// The key of one series: `AWS/RDS|shop|ReplicaLag`.
pub fn key(namespace: &str, resource: &str, metric: &str) -> String {
    format!("{namespace}|{resource}|{metric}")
}

impl Metrics {
    fn record(&mut self, namespace: &str, resource: &str, metric: &str, unit: &str, at: Timestamp, value: f64) {
        let series = self.series.entry(key(namespace, resource, metric)).or_default();
        series.unit = unit.to_string();
        series.points.push_back((at, value));
        while series.points.len() > KEEP {
            series.points.pop_front();
        }
    }

    /// One series' points, oldest first.
    pub fn points(&self, namespace: &str, resource: &str, metric: &str) -> Vec<(Timestamp, f64)> {
        self.series
            .get(&key(namespace, resource, metric))
            .map(|s| s.points.iter().copied().collect())
            .unwrap_or_default()
    }
}

/// Takes every metric's sample for the minute ending at `at`.
pub fn sample(cloud: &mut Cloud, at: Timestamp) {
    let mut samples: Vec<(&str, String, &str, &str, f64)> = Vec::new();
    let since_micros = (at.0 - MINUTE_MS).saturating_mul(1000);
    for instance in &cloud.rds.instances {
        let Some(data) = cloud.rds.data_of(&instance.id) else { continue };
        let server = &data.primary;
        let connections = server.sessions.len() as f64;
        // Row changes committed during the minute, as writes per second.
        let changes: usize = server
            .log
            .records
            .iter()
            .rev()
            .take_while(|r| r.time > since_micros)
            .filter(|r| r.time <= at.0.saturating_mul(1000))
            .map(|r| r.changes.len())
            .sum();
        let write_iops = changes as f64 / 60.0;
        let vcpus = super::rds::instance::CLASSES.iter().find(|c| c.0 == instance.class).map_or(2, |c| c.1) as f64;
        // An estimate: an idle engine's background work plus a cost per write and per connection.
        let cpu = (3.0 + write_iops * 0.4 / vcpus + connections * 0.5).min(100.0);
        let id = instance.id.clone();
        samples.push(("AWS/RDS", id.clone(), "DatabaseConnections", "Count", connections));
        samples.push(("AWS/RDS", id.clone(), "WriteIOPS", "Count/Second", write_iops));
        samples.push(("AWS/RDS", id.clone(), "CPUUtilization", "Percent", cpu));
        if let Some(lag) = super::rds::replica::lag_seconds(&cloud.rds, &id, at) {
            samples.push(("AWS/RDS", id, "ReplicaLag", "Seconds", lag as f64));
        }
    }
    let (from, to) = ((at.0 - MINUTE_MS).div_euclid(1000), at.0.div_euclid(1000));
    for (name, table) in &cloud.dynamodb.tables {
        let mut sums = [0.0f64; 4];
        for (_, counters) in table.buckets.per_second.range(from..to) {
            for (sum, c) in sums.iter_mut().zip(counters) {
                *sum += c;
            }
        }
        samples.push(("AWS/DynamoDB", name.clone(), "ConsumedReadCapacityUnits", "Count", sums[0]));
        samples.push(("AWS/DynamoDB", name.clone(), "ConsumedWriteCapacityUnits", "Count", sums[1]));
        samples.push(("AWS/DynamoDB", name.clone(), "ThrottledRequests", "Count", sums[2] + sums[3]));
    }
    for node in &cloud.elasticache.nodes {
        let Some(server) = cloud.elasticache.servers.get(&node.id) else { continue };
        if !node.listening() {
            continue;
        }
        let now_counters = [server.stats.keyspace_hits, server.stats.keyspace_misses, server.stats.evicted_keys];
        let before = cloud.metrics.cache_counters.insert(node.id.clone(), now_counters).unwrap_or(now_counters);
        // A counter that went down was reset (a node replaced): count from zero.
        let delta = |i: usize| now_counters[i].checked_sub(before[i]).unwrap_or(now_counters[i]) as f64;
        let id = node.id.clone();
        samples.push(("AWS/ElastiCache", id.clone(), "CacheHits", "Count", delta(0)));
        samples.push(("AWS/ElastiCache", id.clone(), "CacheMisses", "Count", delta(1)));
        samples.push(("AWS/ElastiCache", id.clone(), "Evictions", "Count", delta(2)));
        samples.push(("AWS/ElastiCache", id.clone(), "CurrConnections", "Count", server.clients.len() as f64));
        let items: usize = server.dbs.iter().map(|db| db.len()).sum();
        samples.push(("AWS/ElastiCache", id.clone(), "CurrItems", "Count", items as f64));
        let memory = 100.0 * server.used_memory() as f64 / server.config.maxmemory.max(1) as f64;
        samples.push(("AWS/ElastiCache", id.clone(), "DatabaseMemoryUsagePercentage", "Percent", memory));
        if let Some(lag) = super::elasticache::replication::lag_seconds(&cloud.elasticache, &id, at) {
            samples.push(("AWS/ElastiCache", id, "ReplicationLag", "Seconds", lag));
        }
    }
    for (namespace, resource, metric, unit, value) in samples {
        cloud.metrics.record(namespace, &resource, metric, unit, at, value);
    }
}

/// CloudWatch operations read the metrics the cloud has sampled.
pub type Handler = fn(&Cloud, &Request) -> ApiResult;

/// Every CloudWatch operation.
pub static OPERATIONS: Table<Handler> = Table {
    unknown: Unknown::CouldNotFind,
    operations: op_table! {
        "GetMetricStatistics", READ, "Metric", get_metric_statistics;
    },
};

/// Runs one CloudWatch operation: finds its row in [`OPERATIONS`] and runs it.
pub fn call(cloud: &Cloud, operation: &str, request: &Value) -> ApiResult {
    let req = Request::new(request)?;
    (OPERATIONS.find(operation)?.handler)(cloud, &req)
}

/// `GetMetricStatistics`: the samples of one series between two times, in periods.
fn get_metric_statistics(cloud: &Cloud, req: &Request) -> ApiResult {
    let namespace = req.required_str("Namespace")?;
    let metric = req.required_str("MetricName")?;
    let resource = req
        .value("Dimensions")
        .and_then(Value::as_array)
        .and_then(|d| d.first())
        .and_then(|d| d.get("Value"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let parse = |name: &str| -> Result<Timestamp, ApiError> {
        let text = req.required_str(name)?;
        Timestamp::parse(text).ok_or_else(|| {
            ApiError::client("InvalidParameterValue", format!("The parameter {name} must be a valid timestamp."))
        })
    };
    let (start, end) = (parse("StartTime")?, parse("EndTime")?);
    let period = req.int("Period")?.unwrap_or(60);
    if period < 60 || period % 60 != 0 {
        return Err(ApiError::client(
            "InvalidParameterValue",
            "The parameter Period must be a multiple of 60 for the lab's one-minute metrics.",
        ));
    }
    let statistics = req.str_list("Statistics")?;
    const KNOWN: [&str; 5] = ["Maximum", "SampleCount", "Sum", "Minimum", "Average"];
    if let Some(bad) = statistics.iter().find(|s| !KNOWN.contains(&s.as_str())) {
        return Err(ApiError::client(
            "InvalidParameterValue",
            format!("The parameter Statistics.member.1 must be a value in the set [ Maximum, SampleCount, Sum, Minimum, Average ]. Received: {bad}"),
        ));
    }
    if statistics.is_empty() {
        return Err(ApiError::client(
            "MissingParameter",
            "The parameter Statistics or ExtendedStatistics is required.",
        ));
    }
    let series = cloud.metrics.series.get(&key(namespace, resource, metric));
    let unit = series.map(|s| s.unit.clone()).unwrap_or_else(|| "None".into());
    // Group the samples by period, each period starting at start + k * period.
    let mut buckets: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for (t, v) in series.map(|s| s.points.iter().copied().collect::<Vec<_>>()).unwrap_or_default() {
        // A sample stamped at a minute's end describes the minute before it.
        let minute_start = t.0 - MINUTE_MS;
        if minute_start >= start.0 && minute_start < end.0 {
            let k = (minute_start - start.0) / (period * 1000);
            buckets.entry(k).or_default().push(v);
        }
    }
    let datapoints: Vec<Value> = buckets
        .into_iter()
        .map(|(k, values)| {
            let mut point = serde_json::Map::new();
            point.insert("Timestamp".into(), json!(Timestamp(start.0 + k * period * 1000).to_aws_string()));
            for stat in &statistics {
                let n = values.len() as f64;
                let value = match stat.as_str() {
                    "Average" => values.iter().sum::<f64>() / n,
                    "Sum" => values.iter().sum(),
                    "Minimum" => values.iter().copied().fold(f64::INFINITY, f64::min),
                    "Maximum" => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    "SampleCount" => n,
                    _ => continue,
                };
                point.insert(stat.clone(), json!(value));
            }
            point.insert("Unit".into(), json!(unit));
            Value::Object(point)
        })
        .collect();
    Ok(json!({ "Label": metric, "Datapoints": datapoints }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::api::Credentials;
    use crate::cloud::time::Duration;

    #[test]
    fn samples_follow_what_the_database_did_each_minute() {
        let mut cloud = Cloud::new(5, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        let create = json!({"DBInstanceIdentifier": "db", "DBInstanceClass": "db.t3.micro", "Engine": "mysql",
            "AllocatedStorage": 20, "MasterUsername": "admin", "MasterUserPassword": "Lab-pass-123", "DBName": "shop"});
        cloud.call("t", &Credentials::ConsoleSession, "rds", "CreateDBInstance", &create).unwrap();
        cloud.advance_to(Timestamp::from_civil(2026, 11, 26, 9, 20, 30));
        let now = cloud.now.0 * 1000;
        let server = &mut cloud.rds.data.get_mut("db").unwrap().primary;
        let s = server.connect("admin", "Lab-pass-123", Some("shop")).unwrap();
        server.execute(s, "CREATE TABLE t (id INT PRIMARY KEY)", now).unwrap();
        let values: Vec<String> = (0..120).map(|i| format!("({i})")).collect();
        server.execute(s, &format!("INSERT INTO t VALUES {}", values.join(",")), now).unwrap();
        cloud.advance_to(Timestamp::from_civil(2026, 11, 26, 9, 22, 0));
        let iops = cloud.metrics.points("AWS/RDS", "db", "WriteIOPS");
        let at = |h, m| Timestamp::from_civil(2026, 11, 26, h, m, 0);
        // The minute 09:20-09:21 saw the table and 120 rows; the next one nothing.
        assert!(iops.contains(&(at(9, 21), 121.0 / 60.0)), "{iops:?}");
        assert!(iops.contains(&(at(9, 22), 0.0)), "{iops:?}");
        let connections = cloud.metrics.points("AWS/RDS", "db", "DatabaseConnections");
        assert_eq!(connections.last(), Some(&(at(9, 22), 1.0)));
        // A year's jump keeps the last KEEP minutes, ending at the new now.
        cloud.advance_to(cloud.now.plus(Duration::from_secs(365 * 86_400)));
        let cpu = cloud.metrics.points("AWS/RDS", "db", "CPUUtilization");
        assert_eq!(cpu.len(), KEEP);
        assert_eq!(cpu.last().map(|p| p.0), Some(cloud.now));
        assert!(cpu.windows(2).all(|w| w[1].0 .0 - w[0].0 .0 == MINUTE_MS));
    }
}
