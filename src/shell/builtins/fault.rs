//! `fault`: the lab's own fault injector, the shell side of the workspace's fault buttons. It is
//! not an AWS tool (on AWS you would use the Fault Injection Service or a game day); it exists
//! so a learner, and a lesson, can see what a failure does.
//!
//! ```text
//!   fault az-down us-east-1a        an availability zone stops answering
//!   fault az-up us-east-1a          and comes back
//!   fault kill-primary shop-db      the host under a DB instance's primary dies
//!   fault partition shop-replica    a read replica loses its source
//!   fault heal shop-replica         and gets it back
//!   fault list                      what is broken now
//! ```

use crate::shell::command::{Command, Ctx};

pub struct Fault;

const USAGE: &str =
    "usage: fault az-down ZONE | az-up ZONE | kill-primary DB-INSTANCE | partition REPLICA | heal REPLICA | list";

impl Command for Fault {
    fn name(&self) -> &'static str {
        "fault"
    }
    fn summary(&self) -> &'static str {
        "lab only: fail an availability zone, kill a primary, cut off a replica"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        let result: Result<Vec<String>, String> = match words.as_slice() {
            ["az-down", zone] => ctx.cloud.fail_zone(zone),
            ["az-up", zone] => ctx.cloud.recover_zone(zone),
            ["kill-primary", id] => ctx.cloud.kill_primary(id).map(|r| vec![r]),
            ["partition", id] => ctx.cloud.partition_replica(id, true).map(|r| vec![r]),
            ["heal", id] => ctx.cloud.partition_replica(id, false).map(|r| vec![r]),
            ["list"] => Ok(list(ctx)),
            _ => {
                ctx.errln(USAGE);
                return 2;
            }
        };
        match result {
            Ok(lines) => {
                if lines.is_empty() && words[0] != "list" {
                    ctx.outln("fault: injected; nothing running was affected");
                }
                for line in lines {
                    ctx.outln(&line);
                }
                0
            }
            Err(e) => {
                ctx.errln(&format!("fault: {e}"));
                1
            }
        }
    }
}

fn list(ctx: &Ctx) -> Vec<String> {
    let mut lines: Vec<String> = ctx.cloud.network.failed_zones.iter().map(|z| format!("az-down {z}")).collect();
    for (id, data) in &ctx.cloud.rds.data {
        if data.replication.as_ref().is_some_and(|r| r.partitioned) {
            lines.push(format!("partition {id}"));
        }
    }
    if lines.is_empty() {
        lines.push("no faults".into());
    }
    lines
}
