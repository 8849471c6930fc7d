//! `dig NAME` and `dig +short NAME`: what DNS answers, as BIND's dig prints it. After an RDS
//! failover this is where the learner sees the endpoint's record point somewhere new.

use super::resolve;
use crate::shell::command::{Command, Ctx};
use crate::shell::host::HostKind;

pub struct Dig;

/// The TTL AWS gives the records the lab serves: EC2's public names keep 60 seconds, RDS and
/// Aurora endpoints 5, so that clients follow a failover quickly.
const TTL: u32 = 60;
const RDS_TTL: u32 = 5;

fn ttl(name: &str) -> u32 {
    if name.trim_end_matches('.').ends_with(".rds.amazonaws.com") {
        RDS_TTL
    } else {
        TTL
    }
}

impl Command for Dig {
    fn name(&self) -> &'static str {
        "dig"
    }
    fn summary(&self) -> &'static str {
        "look up a DNS name: dig NAME, dig +short NAME"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let short = args.iter().any(|a| a == "+short");
        let names: Vec<&String> =
            args.iter().filter(|a| !a.starts_with('+') && !a.starts_with('-') && !a.starts_with('@')).collect();
        let Some(name) =
            names.iter().find(|n| !matches!(n.as_str(), "A" | "CNAME" | "ANY" | "IN")).map(|n| n.to_string())
        else {
            if !short {
                // `dig` alone asks for the root servers; keep it simple and say what to do.
                ctx.outln(";; usage: dig NAME   (or dig +short NAME)");
            }
            return 0;
        };
        let answer = resolve(ctx, &name).filter(|_| crate::cloud::network::cidr::Ip::parse(&name).is_none());
        let fqdn = format!("{}.", name.trim_end_matches('.'));
        if short {
            if let Some(a) = &answer {
                for (_, target) in &a.cnames {
                    ctx.outln(&format!("{target}."));
                }
                ctx.outln(&a.address.to_string());
            }
            return 0;
        }
        let server = if ctx.host.kind == HostKind::Ec2 {
            let vpc_base = ctx
                .cloud
                .network
                .instance(&ctx.host.name)
                .and_then(|i| ctx.cloud.network.vpc(&i.vpc_id))
                .map(|v| v.cidr.nth(2).to_string())
                .unwrap_or_else(|| "169.254.169.253".into());
            vpc_base
        } else {
            "192.168.1.1".to_string()
        };
        let id =
            name.bytes().fold(ctx.cloud.now.unix_seconds() as u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
                % 65_536;
        let (status, answers) = match &answer {
            None => ("NXDOMAIN", Vec::new()),
            Some(a) => {
                let mut lines = Vec::new();
                let mut current = fqdn.clone();
                for (from, to) in &a.cnames {
                    lines.push(format!("{from}.\t{}\tIN\tCNAME\t{to}.", ttl(from)));
                    current = format!("{to}.");
                }
                lines.push(format!("{current}\t{}\tIN\tA\t{}", ttl(&current), a.address));
                ("NOERROR", lines)
            }
        };
        ctx.outln("");
        ctx.outln(&format!("; <<>> DiG 9.18.28-1~deb12u2-Debian <<>> {name}"));
        ctx.outln(";; global options: +cmd");
        ctx.outln(";; Got answer:");
        ctx.outln(&format!(";; ->>HEADER<<- opcode: QUERY, status: {status}, id: {id}"));
        ctx.outln(&format!(
            ";; flags: qr rd ra; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: 1",
            answers.len(),
            if answers.is_empty() { 1 } else { 0 }
        ));
        ctx.outln("");
        ctx.outln(";; OPT PSEUDOSECTION:");
        ctx.outln("; EDNS: version: 0, flags:; udp: 1232");
        ctx.outln(";; QUESTION SECTION:");
        ctx.outln(&format!(";{fqdn}\t\t\tIN\tA"));
        ctx.outln("");
        if answers.is_empty() {
            ctx.outln(";; AUTHORITY SECTION:");
            ctx.outln(
                ".\t\t\t900\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2026112600 1800 900 604800 86400",
            );
        } else {
            ctx.outln(";; ANSWER SECTION:");
            for line in answers {
                ctx.outln(&line);
            }
        }
        ctx.outln("");
        ctx.outln(";; Query time: 4 msec");
        ctx.outln(&format!(";; SERVER: {server}#53({server}) (UDP)"));
        ctx.outln(&format!(";; WHEN: {}", ctx.cloud.now.to_date_string()));
        ctx.outln(";; MSG SIZE  rcvd: 98");
        ctx.outln("");
        0
    }
}
