//! Conditions on the AWS account: IAM access keys, what the CLI on a host resolves, the API
//! calls the activity trail recorded, and the VPCs and subnets of the network.

use super::{host_matches, test, Args, Entry, Test};
use crate::cloud::api::Credentials;
use crate::shell::aws::config;
use crate::shell::Lab;

pub const CONDITIONS: &[Entry] = &[
    Entry {
        name: "access_keys",
        usage: "USER N",
        holds_when: "the IAM user has at least N access keys",
        parse: access_keys,
    },
    Entry {
        name: "aws_credentials_valid",
        usage: "HOST",
        holds_when: "the CLI on HOST finds a key that IAM accepts",
        parse: aws_credentials_valid,
    },
    Entry {
        name: "aws_region",
        usage: "HOST REGION",
        holds_when: "the CLI on HOST resolves that region",
        parse: aws_region,
    },
    Entry {
        name: "api_call",
        usage: "HOST SERVICE:Operation ok|failed [CODE] [with PARAMETER...]",
        holds_when: "HOST (`any`: any host, any way in) made such a call, with that outcome (failed with error CODE), giving those request parameters",
        parse: api_call,
    },
    Entry {
        name: "vpc",
        usage: "[CIDR]",
        holds_when: "a VPC other than the default exists (with that range)",
        parse: vpc,
    },
    Entry {
        name: "subnets",
        usage: "public|private|any N",
        holds_when: "such subnets of non-default VPCs span N+ zones",
        parse: subnets,
    },
];

fn access_keys(args: &Args) -> Result<Test, String> {
    let (user, at_least): (String, usize) = (args.word(0)?, args.number(1)?);
    test(move |lab| lab.cloud.iam.user(&user).is_some_and(|u| u.access_keys.len() >= at_least))
}

fn aws_credentials_valid(args: &Args) -> Result<Test, String> {
    let host = args.word(0)?;
    test(move |lab| match resolved(lab, &host).and_then(|r| r.credentials()) {
        Some(creds @ Credentials::AccessKey { .. }) => lab.cloud.authenticate(&creds).is_ok(),
        _ => false,
    })
}

fn aws_region(args: &Args) -> Result<Test, String> {
    let (host, region) = (args.word(0)?, args.word(1)?);
    test(move |lab| resolved(lab, &host).and_then(|r| r.region).is_some_and(|r| r.value == region))
}

/// What the CLI on `host` would resolve in a new shell (or in the host's first open session).
fn resolved(lab: &Lab, host: &str) -> Option<config::Resolved> {
    let h = lab.host_named(host)?;
    let env = lab.sessions.iter().find(|s| s.host == h.name).map(|s| s.env.clone()).unwrap_or_else(|| h.env.clone());
    config::resolve_on(h, &env, None, None, None).ok()
}

fn api_call(args: &Args) -> Result<Test, String> {
    let (host, call) = (args.word(0)?, args.word(1)?);
    let (service, operation) = call.split_once(':').ok_or_else(|| args.wrong("names no SERVICE:Operation"))?;
    let (service, operation) = (service.to_string(), operation.to_string());
    let ok = match args.word(2)?.as_str() {
        "ok" => true,
        "failed" => false,
        _ => return Err(args.wrong("has an outcome other than ok or failed")),
    };
    // For a failed call: the error code it must have failed with; then the parameters the
    // request must have given (`with FilterExpression`), for a step about one of them.
    let mut rest = 3;
    let code = args.optional(rest).filter(|w| w != "with");
    if code.is_some() {
        rest += 1;
    }
    if ok && code.is_some() {
        return Err(args.wrong("gives an error code for a call that succeeded"));
    }
    let parameters: Vec<String> = match args.optional(rest).as_deref() {
        None => Vec::new(),
        Some("with") => args.rest(rest + 1).split_whitespace().map(String::from).collect(),
        Some(_) => return Err(args.wrong("has words after the outcome other than a CODE and `with PARAMETER...`")),
    };
    if args.optional(rest).is_some() && parameters.is_empty() {
        return Err(args.wrong("names no parameter after `with`"));
    }
    test(move |lab| {
        lab.cloud.trail.calls.iter().any(|c| {
            host_matches(lab, &host, &c.source)
                && c.service == service
                && c.operation == operation
                && c.error.is_none() == ok
                && code.as_ref().is_none_or(|want| c.error.as_ref() == Some(want))
                && parameters.iter().all(|p| c.parameters.contains(p))
        })
    })
}

fn vpc(args: &Args) -> Result<Test, String> {
    let cidr = args.optional(0);
    test(move |lab| {
        let mut vpcs = lab.cloud.network.vpcs.iter();
        vpcs.any(|v| !v.is_default && cidr.as_ref().is_none_or(|c| &v.cidr.to_string() == c))
    })
}

/// Subnets of VPCs other than the default, of a kind, spanning that many availability zones.
fn subnets(args: &Args) -> Result<Test, String> {
    let (kind, zones): (String, usize) = (args.word(0)?, args.number(1)?);
    if !["public", "private", "any"].contains(&kind.as_str()) {
        return Err(args.wrong("names a kind other than public, private or any"));
    }
    test(move |lab| {
        let net = &lab.cloud.network;
        let mut covered: Vec<&str> = net
            .subnets
            .iter()
            .filter(|s| net.vpc(&s.vpc_id).is_some_and(|v| !v.is_default))
            .filter(|s| match kind.as_str() {
                "public" => net.is_public_subnet(s),
                "private" => !net.is_public_subnet(s),
                _ => true,
            })
            .map(|s| s.zone.as_str())
            .collect();
        covered.sort();
        covered.dedup();
        covered.len() >= zones
    })
}
