//! Every AWS operation of the lab, defined once: each service keeps one static table of its
//! operations ([`Table`]), in the manner of the cache engine's command table.
//!
//! A row ([`Operation`]) holds the API name, whether the operation changes state, the kind of
//! resource it acts on, and its handler. The service's own entry point (`Rds::call`,
//! `Network::call` ...) does what it does before any operation (reading the request, EC2's
//! `DryRun`), finds the row with [`Table::find`] and runs the handler with the service's context
//! value. A name that has no row is answered with the service's `InvalidAction`, worded as that
//! service words it.
//!
//! [`operations`] lists any service's rows without their handlers, for whatever reaches the
//! API by name: the `aws` CLI's specs (a test holds the two to each other), a console, an SDK
//! bridge.

use super::api::{ApiError, ApiResult, Request};
use super::network::Network;
use super::time::Timestamp;
use crate::engines::rng::Rng;
use serde_json::Value;

/// A row's `mutates`: the operation only reads.
pub const READ: bool = false;
/// A row's `mutates`: the operation changes the account's state.
pub const WRITE: bool = true;

/// One operation of a service: its API name, what it does, and the function that does it.
pub struct Operation<H: 'static> {
    /// The API name, as requests and the activity trail spell it (`DescribeDBInstances`).
    pub name: &'static str,
    /// Whether it changes state (a console greys such buttons out for a read-only user; an SDK
    /// bridge may retry only what does not).
    pub mutates: bool,
    /// The kind of resource it acts on, in the API's own words (`DBInstance`, `Vpc`, `Table`).
    pub resource: &'static str,
    pub handler: H,
}

/// A row without its handler: what the CLI, a console and an SDK bridge read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationInfo {
    pub name: &'static str,
    pub mutates: bool,
    pub resource: &'static str,
}

/// What an operation of a service whose resources live in the network works with (RDS,
/// ElastiCache): the service, the network, the region's random source, the clock and the
/// account. Handlers take it by value and name the service as they like:
/// `let RdsCtx { service: rds, net, .. } = c;`.
pub struct ServiceCtx<'a, S> {
    pub service: &'a mut S,
    pub net: &'a mut Network,
    pub rng: &'a mut Rng,
    pub now: Timestamp,
    pub account: &'a str,
}

impl<'a, S> ServiceCtx<'a, S> {
    /// Runs the operation `name` of `table` on this context: reads the request, finds the
    /// row (or the service's `InvalidAction`) and hands both to its handler.
    pub fn run(
        self,
        table: &Table<fn(ServiceCtx<S>, &Request) -> ApiResult>,
        name: &str,
        request: &Value,
    ) -> ApiResult {
        let req = Request::new(request)?;
        let row = table.find(name)?;
        (row.handler)(self, &req)
    }
}

/// How a service words the refusal of an operation it does not have.
#[derive(Clone, Copy, Debug)]
pub enum Unknown {
    /// `Could not find operation X` (the Query-protocol services: IAM, STS, RDS, CloudWatch).
    CouldNotFind,
    /// `The action X is not valid for this web service.` (EC2, ElastiCache).
    NotValid,
}

impl Unknown {
    pub fn error(self, operation: &str) -> ApiError {
        let message = match self {
            Unknown::CouldNotFind => format!("Could not find operation {operation}"),
            Unknown::NotValid => format!("The action {operation} is not valid for this web service."),
        };
        ApiError::client("InvalidAction", message)
    }
}

/// A service's operations.
pub struct Table<H: 'static> {
    pub unknown: Unknown,
    pub operations: &'static [Operation<H>],
}

impl<H> Table<H> {
    /// The row of an operation, or the service's `InvalidAction` refusal.
    pub fn find(&self, operation: &str) -> Result<&Operation<H>, ApiError> {
        self.operations.iter().find(|o| o.name == operation).ok_or_else(|| self.unknown.error(operation))
    }

    pub fn infos(&self) -> impl Iterator<Item = OperationInfo> + '_ {
        self.operations.iter().map(|o| OperationInfo { name: o.name, mutates: o.mutates, resource: o.resource })
    }
}

/// The table rows: `"Name", READ | WRITE, "Resource", handler;` one line an operation.
macro_rules! op_table {
    ($( $name:literal, $mutates:expr, $resource:literal, $handler:expr; )*) => {
        &[ $( $crate::cloud::operation::Operation {
            name: $name, mutates: $mutates, resource: $resource, handler: $handler,
        }, )* ]
    };
}
pub(crate) use op_table;

/// The services [`crate::cloud::Cloud::call`] answers, by their API names.
pub const SERVICES: &[&str] = &["sts", "iam", "ec2", "rds", "elasticache", "cloudwatch", "dynamodb"];

/// A service's operations without their handlers, in table order; `None` for a service the
/// lab does not have.
pub fn operations(service: &str) -> Option<Vec<OperationInfo>> {
    let rows = match service {
        "sts" => super::sts::OPERATIONS.infos().collect(),
        "iam" => super::iam::OPERATIONS.infos().collect(),
        "ec2" => super::network::OPERATIONS.infos().collect(),
        "rds" => super::rds::OPERATIONS.infos().collect(),
        "elasticache" => super::elasticache::OPERATIONS.infos().collect(),
        "cloudwatch" => super::metrics::OPERATIONS.infos().collect(),
        "dynamodb" => super::dynamodb::operations().collect(),
        _ => return None,
    };
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_lists_its_operations_once() {
        for service in SERVICES {
            let rows = operations(service).expect("a known service");
            assert!(!rows.is_empty(), "{service} has no operations");
            for (i, row) in rows.iter().enumerate() {
                assert!(!rows[..i].iter().any(|r| r.name == row.name), "{service}:{} listed twice", row.name);
                assert!(!row.resource.is_empty(), "{service}:{} names no resource", row.name);
            }
        }
        assert!(operations("s3").is_none());
    }

    #[test]
    fn an_unknown_operation_is_refused_as_each_service_words_it() {
        let rds = crate::cloud::rds::OPERATIONS.find("DescribeDBCrystals").err().expect("no such row");
        assert_eq!(
            (rds.code.as_str(), rds.message.as_str()),
            ("InvalidAction", "Could not find operation DescribeDBCrystals")
        );
        let ec2 = crate::cloud::network::OPERATIONS.find("LaunchRocket").err().expect("no such row");
        assert_eq!(ec2.message, "The action LaunchRocket is not valid for this web service.");
    }
}
