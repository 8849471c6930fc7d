//! `nc -zv HOST PORT`: is the port reachable? Worded as netcat words it: OpenBSD netcat on the
//! laptop and CloudShell, Nmap's ncat on Amazon Linux. A dropped connection costs its timeout on
//! the lab's clock (`-w SECONDS`, else the kernel's two minutes), as it does in real life.

use super::{resolve, service_name};
use crate::cloud::network::reach::Outcome;
use crate::cloud::time::Duration;
use crate::shell::command::{Command, Ctx};
use crate::shell::host::HostKind;

pub struct Nc;

/// Linux gives up on an unanswered TCP connect after about two minutes.
const KERNEL_CONNECT_TIMEOUT: i64 = 127;

impl Command for Nc {
    fn name(&self) -> &'static str {
        "nc"
    }
    fn summary(&self) -> &'static str {
        "check that a port is reachable: nc -zv HOST PORT"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let mut wait: Option<i64> = None;
        let mut operands = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            if a == "-w" {
                // Capped at a day: a typo must not throw the lab's clock into the far future.
                match args.get(i + 1).and_then(|v| v.parse::<i64>().ok()).filter(|v| (1..=86_400).contains(v)) {
                    Some(v) => wait = Some(v),
                    None => {
                        ctx.errln("nc: timeout invalid");
                        return 1;
                    }
                }
                i += 2;
                continue;
            }
            if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
                if let Some(bad) = flags.chars().find(|c| !"zvnN46".contains(*c)) {
                    ctx.errln(&format!("nc: invalid option -- '{bad}'"));
                    ctx.errln("usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]");
                    return 1;
                }
            } else {
                operands.push(a.to_string());
            }
            i += 1;
        }
        let ncat = ctx.host.kind == HostKind::Ec2;
        let (Some(host), Some(port)) = (operands.first(), operands.get(1)) else {
            if ncat {
                ctx.errln("Ncat: You must specify a host to connect to. QUITTING.");
            } else {
                ctx.errln("usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]");
                ctx.errln("\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]");
                ctx.errln("\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]");
                ctx.errln("\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]");
                ctx.errln("\t  [destination] [port]");
            }
            return 1;
        };
        let Ok(port) = port.parse::<u16>() else {
            ctx.errln(&format!("nc: port number invalid: {port}"));
            return 1;
        };
        let Some(answer) = resolve(ctx, host) else {
            if ncat {
                ctx.errln(&format!(
                    "Ncat: Could not resolve hostname \"{host}\": Name or service not known. QUITTING."
                ));
            } else {
                ctx.errln(&format!("nc: getaddrinfo for host \"{host}\" port {port}: Name or service not known"));
            }
            return 1;
        };
        let ip = answer.address;
        if ncat {
            ctx.errln("Ncat: Version 7.93 ( https://nmap.org/ncat )");
        }
        let verdict = ctx.cloud.reach(&ctx.host.source(), ip, port);
        match verdict.outcome {
            Outcome::Connected => {
                if ncat {
                    ctx.errln(&format!("Ncat: Connected to {ip}:{port}."));
                    ctx.errln("Ncat: 0 bytes sent, 0 bytes received in 0.01 seconds.");
                } else {
                    ctx.errln(&format!(
                        "Connection to {host} ({ip}) {port} port [tcp/{}] succeeded!",
                        service_name(port)
                    ));
                }
                0
            }
            Outcome::Refused => {
                if ncat {
                    ctx.errln("Ncat: Connection refused.");
                } else {
                    ctx.errln(&format!("nc: connect to {host} ({ip}) port {port} (tcp) failed: Connection refused"));
                }
                1
            }
            Outcome::TimedOut => {
                let waited = wait.unwrap_or(if ncat { 10 } else { KERNEL_CONNECT_TIMEOUT });
                let until = ctx.cloud.now.plus(Duration::from_secs(waited));
                ctx.cloud.advance_to(until);
                if ncat {
                    ctx.errln("Ncat: TIMEOUT.");
                } else {
                    ctx.errln(&format!(
                        "nc: connect to {host} ({ip}) port {port} (tcp) timed out: Operation now in progress"
                    ));
                }
                1
            }
        }
    }
}
