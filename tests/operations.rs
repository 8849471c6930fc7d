//! The `aws` CLI's service specs (`src/shell/aws/services/*`) and the cloud's tables of
//! operations (`cloud::operation`) name the same operations: every CLI operation has a handler,
//! and every handler a CLI operation. A row forgotten on either side fails here, instead of
//! answering `InvalidAction` at the prompt.

use dblab::cloud::operation::{operations, SERVICES};
use dblab::shell::aws::services::SERVICES as CLI_SERVICES;
use std::collections::BTreeSet;

/// Operations the cloud answers that the CLI does not offer, each with the reason.
const NOT_IN_THE_CLI: &[(&str, &str, &str)] = &[];

#[test]
fn every_cli_operation_has_a_handler_and_every_handler_a_cli_operation() {
    let mut problems = Vec::new();
    for service in CLI_SERVICES {
        let Some(rows) = operations(service.api) else {
            problems.push(format!("the CLI's service {} ({}) has no table in the cloud", service.cli, service.api));
            continue;
        };
        let handled: BTreeSet<&str> = rows.iter().map(|r| r.name).collect();
        let offered: BTreeSet<&str> = service.operations.iter().map(|o| o.api).collect();
        for op in &offered {
            if !handled.contains(op) {
                problems.push(format!(
                    "aws {} offers {op}, which no row of the {} table handles",
                    service.cli, service.api
                ));
            }
        }
        for op in &handled {
            let excused = NOT_IN_THE_CLI.iter().any(|(s, o, _)| *s == service.api && o == op);
            if !offered.contains(op) && !excused {
                problems
                    .push(format!("{}:{op} has a handler but no CLI operation in aws {}", service.api, service.cli));
            }
        }
    }
    for service in SERVICES {
        if !CLI_SERVICES.iter().any(|s| s.api == *service) {
            problems.push(format!("the cloud's service {service} has no CLI spec"));
        }
    }
    assert!(problems.is_empty(), "the CLI and the cloud disagree:\n{}", problems.join("\n"));
}

#[test]
fn the_listed_exceptions_are_real_handlers() {
    for (service, op, why) in NOT_IN_THE_CLI {
        let rows = operations(service).expect("a known service");
        assert!(rows.iter().any(|r| r.name == *op), "{service}:{op} is excused ({why}) but has no handler");
    }
}

#[test]
fn an_operation_the_table_lacks_is_refused_by_the_cloud() {
    use dblab::cloud::api::Credentials;
    use dblab::cloud::time::Timestamp;
    use dblab::cloud::Cloud;
    let mut cloud = Cloud::new(7, Timestamp(0));
    for service in SERVICES {
        let err = cloud
            .call("laptop", &Credentials::ConsoleSession, service, "FlyToTheMoon", &serde_json::json!({}))
            .expect_err("no such operation");
        let expected = if *service == "dynamodb" { "UnknownOperationException" } else { "InvalidAction" };
        assert_eq!(err.code, expected, "{service}");
    }
}
