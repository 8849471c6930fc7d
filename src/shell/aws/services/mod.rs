//! The services the `aws` CLI can call. Each file describes one service's operations.

mod dynamodb;
mod iam;
mod sts;

use super::spec::Service;

pub static SERVICES: &[&Service] = &[&dynamodb::DYNAMODB, &iam::IAM, &sts::STS];

pub fn find(cli: &str) -> Option<&'static Service> {
    SERVICES.iter().copied().find(|s| s.cli == cli)
}
