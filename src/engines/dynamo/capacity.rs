//! Capacity arithmetic (FACTS.md): what a request consumes, in read and write units.
//!
//! - Reads: one RCU per 4 KB (rounded up) strongly consistent; half that eventually
//!   consistent; twice that in a transaction. Query and Scan add up the items' sizes first,
//!   then round.
//! - Writes: one WCU per 1 KB (rounded up); twice that in a transaction. A write that also
//!   changes an index costs the same again in that index.

use serde_json::{json, Map, Value};

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
