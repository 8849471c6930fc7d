//! The services the `aws` CLI can call. Each file describes one service's operations.

mod cloudwatch;
mod dynamodb;
mod ec2;
mod elasticache;
mod iam;
mod rds;
mod sts;

use super::spec::Service;

pub static SERVICES: &[&Service] = &[
    &cloudwatch::CLOUDWATCH,
    &dynamodb::DYNAMODB,
    &ec2::EC2,
    &elasticache::ELASTICACHE,
    &iam::IAM,
    &rds::RDS,
    &sts::STS,
];

pub fn find(cli: &str) -> Option<&'static Service> {
    SERVICES.iter().copied().find(|s| s.cli == cli)
}
