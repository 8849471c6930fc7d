//! The console's model: what its forms send, what its lists show, with no web page in sight.
//!
//! The console is the third way into the lab, beside the terminal and Python. Everything it
//! does is an API request through the same operations as the `aws` CLI and the SDKs, as the
//! learner's console session, recorded in the activity trail with the source `console`:
//!
//! - A form ([`rds::CreateDatabase`], [`dynamodb::CreateTable`], [`elasticache::CreateCache`]
//!   ...) turns what was filled in into a [`Plan`]: the requests it will send, in order (an
//!   Aurora database is a cluster and then its writer instance, as the console makes it).
//! - Each request knows its CLI equivalent ([`Action::cli`]): the `aws` command that sends the
//!   very same request, which tests hold to by parsing it back with the lab's own CLI.
//! - [`perform`] sends a plan's requests until one fails, and the lab moves on as after any
//!   call (EC2 instances become hosts, waiting clients wake).
//! - The lists ([`rds::databases`], [`dynamodb::tables`] ...) read the lab through read-only
//!   operations that are not recorded ([`crate::cloud::Cloud::read`]): a page that keeps itself
//!   current as the clock moves is not the learner asking.
//!
//! The Leptos pages in `ui::console` only draw these and wire clicks to them.

pub mod dynamodb;
pub mod elasticache;
pub mod export;
pub mod iam;
pub mod rds;

use crate::cloud::api::{ApiError, ApiResult, Credentials};
use crate::shell::aws::equivalent;
use crate::shell::Lab;
use serde_json::Value;

/// The trail's source for what the console sends.
pub const SOURCE: &str = "console";

/// One API request the console sends.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// The cloud's name for the service (`rds`, `dynamodb`).
    pub service: &'static str,
    /// The API name (`CreateDBInstance`).
    pub operation: &'static str,
    pub request: Value,
}

impl Action {
    pub fn new(service: &'static str, operation: &'static str, request: Value) -> Action {
        Action { service, operation, request }
    }

    /// The `aws` command that sends this request.
    pub fn cli(&self) -> String {
        equivalent::command(self.service, self.operation, &self.request)
            .unwrap_or_else(|| format!("# {}:{} has no AWS CLI command in the lab", self.service, self.operation))
    }
}

/// What a form sends when submitted, or why it cannot be submitted yet (the console checks
/// some fields itself before sending anything, as the real one does).
pub type Plan = Result<Vec<Action>, String>;

/// The CLI equivalent of a whole plan: one command per line.
pub fn cli_script(plan: &[Action]) -> String {
    plan.iter().map(Action::cli).collect::<Vec<_>>().join("\n")
}

/// Sends a plan's requests in order, stopping at the first that fails; returns the last
/// answer (or that failure).
pub fn perform(lab: &mut Lab, plan: &[Action]) -> ApiResult {
    let mut last = Ok(Value::Null);
    for action in plan {
        last = lab.cloud.call(SOURCE, &Credentials::ConsoleSession, action.service, action.operation, &action.request);
        if last.is_err() {
            break;
        }
    }
    lab.settle(true);
    last
}

/// A read-only request for a page, not recorded in the trail.
pub fn read(lab: &mut Lab, service: &str, operation: &str, request: Value) -> ApiResult {
    lab.cloud.read(&Credentials::ConsoleSession, service, operation, &request)
}

/// An error as the console's red banner words it: the code, then the message.
pub fn banner(error: &ApiError) -> String {
    format!("{}: {}", error.code, error.message)
}

/// A string member of a JSON value, or "".
pub(crate) fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::cloud::time::Timestamp;
    use crate::shell::aws::equivalent;
    use crate::shell::Lab;

    pub fn lab() -> Lab {
        Lab::new(7, Timestamp(1_767_225_600_000))
    }

    /// Holds a plan to its CLI equivalent: each command, read back by the lab's CLI, is the
    /// very request the console sends.
    pub fn assert_cli_round_trips(plan: &[super::Action]) {
        for action in plan {
            let line = action.cli();
            let parsed = equivalent::tests::parse_back(&line);
            assert_eq!(parsed, action.request, "{line}");
        }
    }
}
