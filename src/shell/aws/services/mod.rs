//! The services the `aws` CLI can call. Each file describes one service's operations.

mod iam;
mod sts;

use super::spec::Service;

pub static SERVICES: &[&Service] = &[&iam::IAM, &sts::STS];

pub fn find(cli: &str) -> Option<&'static Service> {
    SERVICES.iter().copied().find(|s| s.cli == cli)
}
