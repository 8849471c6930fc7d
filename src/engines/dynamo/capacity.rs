//! Capacity arithmetic (FACTS.md): what a request consumes, in read and write units.
//!
//! - Reads: one RCU per 4 KB (rounded up) strongly consistent; half that eventually
//!   consistent; twice that in a transaction. Query and Scan add up the items' sizes first,
//!   then round.
//! - Writes: one WCU per 1 KB (rounded up); twice that in a transaction. A write that also
//!   changes an index costs the same again in that index.
//!
//! And who may consume it, when the lab meters capacity (the simulated region does):
//!
//! - A table is split into partitions: enough for its provisioned capacity (3,000 RCU and
//!   1,000 WCU each), for its size (10 GB each), or, on demand, for twice its recent peak.
//! - Provisioned: each partition has a token bucket refilled with its share of the capacity,
//!   keeping up to 300 s of it as burst ([`Buckets`]).
//! - On demand: a table absorbs 12,000 reads or 4,000 writes a second at first, and twice its
//!   peak of the last 30 minutes after that.
//! - Either way a partition serves at most 3,000 RCU and 1,000 WCU a second, so one hot key
//!   is throttled while the rest of the table is not.
//!
//! A request is refused with `ProvisionedThroughputExceededException` before it runs
//! ([`admit`] for the table, [`admit_key`] for the partition of its key); what it consumed is
//! charged afterwards ([`settle_usage`]), so a bucket may go briefly into debt.

use super::error::{DynamoError, Result};
use super::table::Table;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;

/// How many seconds of unused capacity a provisioned table keeps as burst.
pub const BURST_SECONDS: f64 = 300.0;

/// How many seconds of per-second counters a table keeps for the charts.
pub const METRIC_SECONDS: i64 = 3600;

/// The most one partition serves in a second, whatever the table's mode or burst.
pub const PARTITION_READ_PER_SECOND: f64 = 3000.0;
pub const PARTITION_WRITE_PER_SECOND: f64 = 1000.0;
/// The most one partition holds before it splits.
pub const PARTITION_BYTES: u64 = 10 * 1024 * 1024 * 1024;

/// What a new on-demand table serves at once, per second.
pub const ON_DEMAND_INITIAL_READ: f64 = 12_000.0;
pub const ON_DEMAND_INITIAL_WRITE: f64 = 4_000.0;
/// How far back an on-demand table looks for the peak it may double at once.
pub const ON_DEMAND_PEAK_SECONDS: i64 = 1800;

const PROVISIONED_MESSAGE: &str = "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.";
const ON_DEMAND_MESSAGE: &str = "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html";

/// Units consumed by the request in progress, noted by operations that only hold `&Table`
/// and charged by [`settle_usage`] when the request ends: units spread over the whole table (a
/// Scan), units on the partition of one key (by its hash), and whether a partition refused the
/// request. Atomics and a lock keep the lab `Sync` (the browser app shares it); nothing is
/// concurrent here.
pub struct Usage {
    read: AtomicU64,
    write: AtomicU64,
    /// (partition key hash, read units, write units) of each keyed read or write.
    keyed: Mutex<Vec<(u64, f64, f64)>>,
    /// Bit 0: a read was throttled; bit 1: a write was.
    throttled: AtomicU64,
}

impl Default for Usage {
    fn default() -> Usage {
        Usage {
            read: AtomicU64::new(0),
            write: AtomicU64::new(0),
            keyed: Mutex::new(Vec::new()),
            throttled: AtomicU64::new(0),
        }
    }
}

impl Usage {
    fn keyed(&self) -> std::sync::MutexGuard<'_, Vec<(u64, f64, f64)>> {
        // Nothing panics while holding the lock, but a poisoned one still holds good data.
        self.keyed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// (spread read units, spread write units, keyed units, throttled bits), reset.
    fn take(&self) -> (f64, f64, Vec<(u64, f64, f64)>, u64) {
        (
            f64::from_bits(self.read.swap(0, Relaxed)),
            f64::from_bits(self.write.swap(0, Relaxed)),
            std::mem::take(&mut *self.keyed()),
            self.throttled.swap(0, Relaxed),
        )
    }

    fn add(&self, units: f64, write: bool) {
        let cell = if write { &self.write } else { &self.read };
        let before = f64::from_bits(cell.load(Relaxed));
        cell.store((before + units).to_bits(), Relaxed);
    }

    /// Units this request has already noted on partition `p` of `count`.
    fn pending_on(&self, p: usize, count: usize, write: bool) -> f64 {
        self.keyed()
            .iter()
            .filter(|(hash, ..)| partition_of(*hash, count) == p)
            .map(|&(_, r, w)| if write { w } else { r })
            .sum()
    }
}

impl Clone for Usage {
    fn clone(&self) -> Usage {
        Usage {
            read: AtomicU64::new(self.read.load(Relaxed)),
            write: AtomicU64::new(self.write.load(Relaxed)),
            keyed: Mutex::new(self.keyed().clone()),
            throttled: AtomicU64::new(self.throttled.load(Relaxed)),
        }
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

/// Records what an operation consumed on a table, spread over its partitions (a Scan);
/// [`settle_usage`] charges it afterwards.
pub fn note(table: &Table, units: f64, write: bool) {
    table.usage.add(units, write);
}

/// Records what an operation consumed on the partition holding one partition key (`hash`,
/// as [`Meter`] gives it), or spread over the table when capacity is not metered (`None`).
pub fn note_key(table: &Table, units: f64, write: bool, hash: Option<u64>) {
    let Some(hash) = hash else { return note(table, units, write) };
    let (r, w) = if write { (0.0, units) } else { (units, 0.0) };
    table.usage.keyed().push((hash, r, w));
}

/// What an operation needs to meter a request on one partition key: the lab's clock and
/// whether capacity is metered at all (the simulated region meters it; the conformance
/// engine does not). Unmetered, nothing is hashed or checked.
#[derive(Clone, Copy)]
pub struct Meter {
    pub now: f64,
    pub on: bool,
}

impl Meter {
    /// The partition key hash of a key or item, when metered (`None` when the key lacks its
    /// partition key: such a request is refused before it is charged).
    pub fn partition_hash(self, table: &Table, key: &super::value::Item) -> Option<u64> {
        let pk = key.get(&table.key.hash)?;
        self.on.then(|| super::table::KeyPart::from_value(pk).map(|p| super::partition::hash(&p))).flatten()
    }

    /// Admits a request on the partition of `key` ([`admit_key`]), returning the hash to
    /// note its units against.
    pub fn admit(self, table: &Table, write: bool, key: &super::value::Item) -> Result<Option<u64>> {
        let hash = self.partition_hash(table, key);
        self.admit_hash(table, write, hash)
    }

    /// [`Meter::admit`] for a partition key hash already known.
    pub fn admit_hash(self, table: &Table, write: bool, hash: Option<u64>) -> Result<Option<u64>> {
        if let Some(h) = hash {
            admit_key(table, self.now, write, h)?;
        }
        Ok(hash)
    }
}

/// The token buckets of a table, one per partition. A provisioned table's capacity is shared
/// evenly by its partitions; each accrues its share every second up to [`BURST_SECONDS`]
/// worth, and a request finding its partition's bucket empty is throttled. Whatever the mode,
/// a partition serves at most [`PARTITION_READ_PER_SECOND`] and [`PARTITION_WRITE_PER_SECOND`]
/// in one second: one hot key cannot use the whole table's capacity.
///
/// ```text
///   tokens ▲  burst cap = 300 s × provisioned ÷ partitions
///          │      ╱‾‾‾‾‾‾‾‾‾‾‾‾       idle: refills
///          │     ╱             ╲___  busy: drains, then requests are refused
///          └──────────────────────▶ time
/// ```
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Buckets {
    pub partitions: Vec<Partition>,
    pub at: f64,
    /// Per second (epoch second): consumed read, consumed write, throttled reads, throttled writes.
    pub per_second: BTreeMap<i64, [f64; 4]>,
}

/// One partition's bucket and what it served in the current second.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Partition {
    pub read_tokens: f64,
    pub write_tokens: f64,
    pub second: i64,
    pub read_used: f64,
    pub write_used: f64,
}

impl Partition {
    fn used(&self, now: f64, write: bool) -> f64 {
        match (self.second == now.floor() as i64, write) {
            (false, _) => 0.0,
            (true, true) => self.write_used,
            (true, false) => self.read_used,
        }
    }

    fn serve(&mut self, now: f64, read: f64, write: f64) {
        let second = now.floor() as i64;
        if self.second != second {
            (self.second, self.read_used, self.write_used) = (second, 0.0, 0.0);
        }
        self.read_used += read;
        self.write_used += write;
    }
}

impl Buckets {
    pub fn read_tokens(&self) -> f64 {
        self.partitions.iter().map(|p| p.read_tokens).sum()
    }

    pub fn write_tokens(&self) -> f64 {
        self.partitions.iter().map(|p| p.write_tokens).sum()
    }

    fn count(&mut self, now: f64, slot: usize, amount: f64) {
        let second = now.floor() as i64;
        self.per_second.entry(second).or_default()[slot] += amount;
        while self.per_second.len() as i64 > METRIC_SECONDS {
            let Some((&first, _)) = self.per_second.iter().next() else { break };
            self.per_second.remove(&first);
        }
    }

    /// The highest per-second consumption (reads or writes) in the window before `now`.
    fn peak(&self, now: f64, write: bool) -> f64 {
        let second = now.floor() as i64;
        self.per_second
            .range(second - ON_DEMAND_PEAK_SECONDS..second)
            .map(|(_, v)| if write { v[1] } else { v[0] })
            .fold(0.0, f64::max)
    }
}

/// How many partitions the table needs: enough for its provisioned capacity (or, on demand,
/// for twice its recent peak) and for its size. Partitions split but never merge.
fn partitions_needed(table: &Table, now: f64) -> usize {
    let by_size = (table.size_bytes as u64).div_ceil(PARTITION_BYTES) as usize;
    let by_rate = if table.pay_per_request {
        let read = ON_DEMAND_INITIAL_READ.max(2.0 * table.buckets.peak(now, false));
        let write = ON_DEMAND_INITIAL_WRITE.max(2.0 * table.buckets.peak(now, true));
        (read / PARTITION_READ_PER_SECOND).ceil().max((write / PARTITION_WRITE_PER_SECOND).ceil())
    } else {
        (table.throughput.read as f64 / PARTITION_READ_PER_SECOND
            + table.throughput.write as f64 / PARTITION_WRITE_PER_SECOND)
            .ceil()
    };
    by_size.max(by_rate as usize).max(table.buckets.partitions.len()).clamp(1, 4096)
}

/// Which of `count` partitions holds a partition key hash (24 bits, spread evenly).
pub fn partition_of(hash: u64, count: usize) -> usize {
    ((hash.min(0xff_ffff) * count as u64) >> 24) as usize
}

/// Splits partitions as needed and refills every bucket up to `now`.
fn refill(table: &mut Table, now: f64) {
    let needed = partitions_needed(table, now);
    let b = &mut table.buckets;
    if b.partitions.is_empty() {
        // A new table starts with a full burst.
        b.at = 0.0;
    }
    if needed > b.partitions.len() {
        // A split shares the tokens, and what this second has served, out evenly.
        let n = needed as f64;
        let second = now.floor() as i64;
        let (read_used, write_used) = b
            .partitions
            .iter()
            .filter(|p| p.second == second)
            .fold((0.0, 0.0), |(r, w), p| (r + p.read_used, w + p.write_used));
        let share = Partition {
            read_tokens: b.read_tokens() / n,
            write_tokens: b.write_tokens() / n,
            second,
            read_used: read_used / n,
            write_used: write_used / n,
        };
        b.partitions = vec![share; needed];
    }
    let elapsed = (now - b.at).max(0.0);
    b.at = now;
    if table.pay_per_request {
        // Nothing is provisioned, and nothing is owed: should the table go back to provisioned
        // capacity, its buckets start empty (no debt) and fill from then on.
        for p in &mut b.partitions {
            p.read_tokens = 0.0;
            p.write_tokens = 0.0;
        }
        return;
    }
    let n = b.partitions.len() as f64;
    let (read, write) = (table.throughput.read as f64 / n, table.throughput.write as f64 / n);
    for p in &mut b.partitions {
        p.read_tokens = (p.read_tokens + read * elapsed).min(read * BURST_SECONDS);
        p.write_tokens = (p.write_tokens + write * elapsed).min(write * BURST_SECONDS);
    }
}

/// The error of a request the table refuses for throughput, in the words of its mode.
pub fn throttled(table: &Table) -> DynamoError {
    let message = if table.pay_per_request { ON_DEMAND_MESSAGE } else { PROVISIONED_MESSAGE };
    DynamoError::service("ProvisionedThroughputExceededException", message)
}

/// Refuses a request before it runs when the table as a whole has nothing left: every
/// partition's bucket empty (provisioned), or this second already past what an on-demand
/// table absorbs (the initial capacity, or twice the peak of the last 30 minutes).
pub fn admit(table: &mut Table, now: f64, write: bool) -> Result<()> {
    refill(table, now);
    let exhausted = if table.pay_per_request {
        let (initial, slot) = if write { (ON_DEMAND_INITIAL_WRITE, 1) } else { (ON_DEMAND_INITIAL_READ, 0) };
        let limit = initial.max(2.0 * table.buckets.peak(now, write));
        let this_second = table.buckets.per_second.get(&(now.floor() as i64)).map_or(0.0, |v| v[slot]);
        this_second >= limit
    } else if write {
        table.buckets.write_tokens() <= 0.0
    } else {
        table.buckets.read_tokens() <= 0.0
    };
    if exhausted {
        table.buckets.count(now, if write { 3 } else { 2 }, 1.0);
        return Err(throttled(table));
    }
    Ok(())
}

/// Refuses a request on one partition key when its partition has nothing left: its bucket is
/// empty (provisioned) or it already served a partition's most this second. Called by the
/// operations once they know the key, before they change anything.
pub fn admit_key(table: &Table, now: f64, write: bool, hash: u64) -> Result<()> {
    let count = table.buckets.partitions.len();
    let index = partition_of(hash, count);
    let Some(p) = table.buckets.partitions.get(index) else { return Ok(()) };
    let most = if write { PARTITION_WRITE_PER_SECOND } else { PARTITION_READ_PER_SECOND };
    // What this request has already taken from the partition counts too (a batch, a transaction).
    let pending = table.usage.pending_on(index, count, write);
    let empty = !table.pay_per_request && {
        // The bucket as `refill` would leave it now (it last ran when the request began).
        let (tokens, rate) = if write {
            (p.write_tokens, table.throughput.write as f64 / count as f64)
        } else {
            (p.read_tokens, table.throughput.read as f64 / count as f64)
        };
        (tokens + rate * (now - table.buckets.at).max(0.0)).min(rate * BURST_SECONDS) - pending <= 0.0
    };
    if empty || p.used(now, write) + pending >= most {
        table.usage.throttled.fetch_or(if write { 2 } else { 1 }, Relaxed);
        return Err(throttled(table));
    }
    Ok(())
}

/// Charges what the operation noted: keyed units to their partitions, the rest evenly to all.
/// A bucket may go into debt, throttling what follows.
pub fn settle_usage(table: &mut Table, now: f64, metered: bool) {
    let (spread_r, spread_w, keyed, refused) = table.usage.take();
    if refused & 1 != 0 {
        table.buckets.count(now, 2, 1.0);
    }
    if refused & 2 != 0 {
        table.buckets.count(now, 3, 1.0);
    }
    let (keyed_r, keyed_w) = keyed.iter().fold((0.0, 0.0), |(r, w), &(_, kr, kw)| (r + kr, w + kw));
    let (r, w) = (spread_r + keyed_r, spread_w + keyed_w);
    if r == 0.0 && w == 0.0 {
        return;
    }
    table.buckets.count(now, 0, r);
    table.buckets.count(now, 1, w);
    if !metered {
        return;
    }
    refill(table, now);
    let provisioned = !table.pay_per_request;
    let partitions = &mut table.buckets.partitions;
    let n = partitions.len();
    let charge = |p: &mut Partition, r: f64, w: f64| {
        p.serve(now, r, w);
        if provisioned {
            p.read_tokens -= r;
            p.write_tokens -= w;
        }
    };
    if spread_r > 0.0 || spread_w > 0.0 {
        for p in partitions.iter_mut() {
            charge(p, spread_r / n as f64, spread_w / n as f64);
        }
    }
    for (hash, kr, kw) in keyed {
        if let Some(p) = partitions.get_mut(partition_of(hash, n)) {
            charge(p, kr, kw);
        }
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
