//! Every DynamoDB operation, defined once: its API name, what it does to the account, the
//! checks [`Dynamo::call`] makes before it, and its handler in [`super::ops`].
//!
//! The request shape each operation is checked against is in [`super::requests`], keyed by the
//! same name (a test holds the two to each other).

use super::error::Result;
use super::{ops, Dynamo, Settle};
use serde_json::Value;

/// An operation's handler: the service and the checked request in, the response out. The lab
/// clock is the service's `now`, set before every request.
pub type Handler = fn(&mut Dynamo, &Value) -> Result<Value>;

/// What an operation takes from a table's provisioned throughput.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capacity {
    /// Control-plane operations take none.
    None,
    Read,
    Write,
}

/// The checks made on the request before its constraints, with DynamoDB's own wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precheck {
    None,
    /// `TableName` is checked first, with the short messages.
    TableName,
    /// `ResourceArn` is checked first.
    ResourceArn,
}

pub struct Operation {
    pub name: &'static str,
    /// Whether it changes the account's state.
    pub mutates: bool,
    /// The kind of resource it acts on.
    pub resource: &'static str,
    pub capacity: Capacity,
    pub precheck: Precheck,
    pub handler: Handler,
}

const R: bool = false;
const W: bool = true;

macro_rules! operations {
    ($( $name:literal, $mutates:expr, $resource:literal, $capacity:ident, $precheck:ident, $handler:expr; )*) => {
        &[ $( Operation {
            name: $name, mutates: $mutates, resource: $resource,
            capacity: Capacity::$capacity, precheck: Precheck::$precheck, handler: $handler,
        }, )* ]
    };
}

pub static OPERATIONS: &[Operation] = operations! {
    "CreateTable", W, "Table", None, None, create_table;
    "DescribeTable", R, "Table", None, TableName, describe_table;
    "ListTables", R, "Table", None, None, list_tables;
    "UpdateTable", W, "Table", None, TableName, update_table;
    "DeleteTable", W, "Table", None, TableName, ops::tables::delete;
    "PutItem", W, "Item", Write, None, ops::items::put;
    "GetItem", R, "Item", Read, None, ops::items::get;
    "UpdateItem", W, "Item", Write, None, ops::items::update;
    "DeleteItem", W, "Item", Write, None, ops::items::delete;
    "Query", R, "Item", Read, None, ops::query::query;
    "Scan", R, "Item", Read, None, ops::query::scan;
    "BatchGetItem", R, "Item", Read, None, ops::batch::batch_get;
    "BatchWriteItem", W, "Item", Write, None, ops::batch::batch_write;
    "TransactWriteItems", W, "Item", Write, None, ops::batch::transact_write;
    "TransactGetItems", R, "Item", Read, None, ops::batch::transact_get;
    "UpdateTimeToLive", W, "TimeToLive", None, TableName, ops::misc::update_ttl;
    "DescribeTimeToLive", R, "TimeToLive", None, TableName, ops::misc::describe_ttl;
    "TagResource", W, "Tag", None, ResourceArn, ops::misc::tag;
    "UntagResource", W, "Tag", None, ResourceArn, ops::misc::untag;
    "ListTagsOfResource", R, "Tag", None, ResourceArn, ops::misc::list_tags;
};

/// The row of an operation, if DynamoDB has it.
pub fn find(operation: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.name == operation)
}

fn create_table(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let now = db.now;
    ops::tables::create(db, now, req)
}

fn update_table(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let now = db.now;
    ops::tables::update(db, now, req)
}

fn list_tables(db: &mut Dynamo, req: &Value) -> Result<Value> {
    ops::tables::list(db, req)
}

/// `DescribeTable`; a store that settles on describe completes the table's pending change
/// once it has been described in its pending state.
fn describe_table(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let described = ops::tables::describe(db, req);
    if db.settle == Settle::AfterDescribe {
        if let Some(name) = req.get("TableName").and_then(Value::as_str) {
            db.complete(name);
        }
    }
    described
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_request_shape() {
        for op in OPERATIONS {
            assert!(super::super::requests::request_shape(op.name).is_some(), "{} has no request shape", op.name);
        }
    }
}
