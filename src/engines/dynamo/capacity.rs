//! Capacity arithmetic (FACTS.md): what a request consumes, in read and write units.
//!
//! - Reads: one RCU per 4 KB (rounded up) strongly consistent; half that eventually
//!   consistent; twice that in a transaction. Query and Scan add up the items' sizes first,
//!   then round.
//! - Writes: one WCU per 1 KB (rounded up); twice that in a transaction. A write that also
//!   changes an index costs the same again in that index.

use super::error::{DynamoError, Result};
use super::table::Table;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// How many seconds of unused capacity a provisioned table keeps as burst.
pub const BURST_SECONDS: f64 = 300.0;

/// How many seconds of per-second counters a table keeps for the charts.
pub const METRIC_SECONDS: i64 = 3600;

/// Units consumed by the request in progress, noted by operations that only hold `&Table`
/// and charged by [`settle_usage`] when the request ends. Atomics keep the lab `Sync` (the
/// browser app shares it); nothing is concurrent here.
#[derive(Default)]
pub struct Usage {
    read: AtomicU64,
    write: AtomicU64,
}

impl Usage {
    fn take(&self) -> (f64, f64) {
        (f64::from_bits(self.read.swap(0, Relaxed)), f64::from_bits(self.write.swap(0, Relaxed)))
    }

    fn add(&self, units: f64, write: bool) {
        let cell = if write { &self.write } else { &self.read };
        let before = f64::from_bits(cell.load(Relaxed));
        cell.store((before + units).to_bits(), Relaxed);
    }
}

impl Clone for Usage {
    fn clone(&self) -> Usage {
        Usage { read: AtomicU64::new(self.read.load(Relaxed)), write: AtomicU64::new(self.write.load(Relaxed)) }
    }
}

/// Usage is transient (always zero between requests), so it never makes two tables differ.
impl PartialEq for Usage {
    fn eq(&self, _: &Usage) -> bool {
        true
    }
}

impl std::fmt::Debug for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Usage")
    }
}

/// Records what an operation consumed on a table; [`settle_usage`] charges it afterwards.
pub fn note(table: &Table, units: f64, write: bool) {
    table.usage.add(units, write);
}

/// The token buckets of a provisioned table: capacity accrues every second up to
/// [`BURST_SECONDS`] worth; a request finding its bucket empty is throttled.
///
/// ```text
///   tokens ▲  burst cap = 300 s × provisioned
///          │      ╱‾‾‾‾‾‾‾‾‾‾‾‾       idle: refills
///          │     ╱             ╲___  busy: drains, then requests are refused
///          └──────────────────────▶ time
/// ```
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Buckets {
    pub read_tokens: f64,
    pub write_tokens: f64,
    pub at: f64,
    /// Per second (epoch second): consumed read, consumed write, throttled reads, throttled writes.
    pub per_second: BTreeMap<i64, [f64; 4]>,
}

impl Buckets {
    fn refill(&mut self, now: f64, read: f64, write: f64) {
        let elapsed = (now - self.at).max(0.0);
        self.read_tokens = (self.read_tokens + read * elapsed).min(read * BURST_SECONDS);
        self.write_tokens = (self.write_tokens + write * elapsed).min(write * BURST_SECONDS);
        self.at = now;
    }

    fn count(&mut self, now: f64, slot: usize, amount: f64) {
        let second = now.floor() as i64;
        self.per_second.entry(second).or_default()[slot] += amount;
        while self.per_second.len() as i64 > METRIC_SECONDS {
            let Some((&first, _)) = self.per_second.iter().next() else { break };
            self.per_second.remove(&first);
        }
    }
}

/// Refuses a request when a provisioned table's bucket for it is empty.
pub fn admit(table: &mut Table, now: f64, write: bool) -> Result<()> {
    if table.pay_per_request {
        return Ok(());
    }
    let (r, w) = (table.throughput.read as f64, table.throughput.write as f64);
    table.buckets.refill(now, r, w);
    let empty = if write { table.buckets.write_tokens <= 0.0 } else { table.buckets.read_tokens <= 0.0 };
    if empty {
        table.buckets.count(now, if write { 3 } else { 2 }, 1.0);
        return Err(DynamoError::service(
            "ProvisionedThroughputExceededException",
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
        ));
    }
    Ok(())
}

/// Charges what the operation noted; a bucket may go into debt, throttling what follows.
pub fn settle_usage(table: &mut Table, now: f64, metered: bool) {
    let (r, w) = table.usage.take();
    if r == 0.0 && w == 0.0 {
        return;
    }
    table.buckets.count(now, 0, r);
    table.buckets.count(now, 1, w);
    if metered && !table.pay_per_request {
        let (pr, pw) = (table.throughput.read as f64, table.throughput.write as f64);
        table.buckets.refill(now, pr, pw);
        table.buckets.read_tokens -= r;
        table.buckets.write_tokens -= w;
    }
}

pub fn read_units(bytes: usize, consistent: bool) -> f64 {
    let units = bytes.div_ceil(4096).max(1) as f64;
    if consistent {
        units
    } else {
        units / 2.0
    }
}

pub fn write_units(bytes: usize) -> f64 {
    bytes.div_ceil(1024).max(1) as f64
}

/// The `ConsumedCapacity` member for `ReturnConsumedCapacity` = TOTAL or INDEXES.
/// Units as JSON: whole numbers print without a fraction, as DynamoDB prints them.
pub fn units_json(units: f64) -> Value {
    if units.fract() == 0.0 && units.abs() < 1e15 {
        json!(units as i64)
    } else {
        json!(units)
    }
}

pub fn consumed(table: &str, units: f64, mode: Option<&str>) -> Option<Value> {
    let units = units_json(units);
    match mode {
        Some("TOTAL") => Some(json!({"CapacityUnits": units, "TableName": table})),
        Some("INDEXES") => Some(json!({"CapacityUnits": units, "TableName": table, "Table": {"CapacityUnits": units}})),
        _ => None,
    }
}

/// `ConsumedCapacity` of a read through an index: with INDEXES, the units are shown against
/// the index (under `GlobalSecondaryIndexes` or `LocalSecondaryIndexes`) and the table itself
/// shows none.
pub fn attach_index(
    response: &mut Map<String, Value>,
    table: &str,
    index: &super::table::Index,
    units: f64,
    mode: Option<&str>,
) {
    let Some(mut c) = consumed(table, units, mode) else { return };
    if mode == Some("INDEXES") {
        c["Table"] = json!({"CapacityUnits": 0});
        let group = if index.global { "GlobalSecondaryIndexes" } else { "LocalSecondaryIndexes" };
        c[group] = json!({ index.name.clone(): {"CapacityUnits": units_json(units)} });
    }
    response.insert("ConsumedCapacity".into(), c);
}

/// Adds `ConsumedCapacity` to a response when it was asked for.
pub fn attach(response: &mut Map<String, Value>, table: &str, units: f64, mode: Option<&str>) {
    if let Some(c) = consumed(table, units, mode) {
        response.insert("ConsumedCapacity".into(), c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_up_per_unit_size() {
        assert_eq!(read_units(1, true), 1.0);
        assert_eq!(read_units(4096, true), 1.0);
        assert_eq!(read_units(4097, true), 2.0);
        assert_eq!(read_units(4097, false), 1.0);
        assert_eq!(write_units(1024), 1.0);
        assert_eq!(write_units(1025), 2.0);
        assert_eq!(write_units(0), 1.0);
    }
}
