//! `aws`: the AWS Command Line Interface, as version 2 behaves.
//!
//! The life of an `aws` command:
//!
//! 1. Global options (`--region`, `--output`, `--query`, `--profile` ...) are taken out wherever
//!    they appear, as the real CLI's argument parser does.
//! 2. The first two words name the service and the operation ([`services`], [`spec`]);
//!    `configure` and `help` are handled apart ([`configure`]).
//! 3. The remaining flags become the operation's JSON request ([`params`], [`shorthand`]).
//! 4. Credentials and region are resolved from flags, environment and `~/.aws/*` ([`config`]).
//! 5. The request goes to the simulated cloud, tried again when throttled ([`retry`]); its
//!    answer, or its error, is printed in the chosen [`output`] format after `--query`
//!    (JMESPath) has been applied.
//!
//! Exit statuses follow the CLI: 252 for usage errors, 253 for missing credentials or
//! configuration, 254 for service errors, 255 for everything else.

pub mod config;
pub mod configure;
pub mod equivalent;
pub mod output;
pub mod paginate;
pub mod params;
pub mod retry;
pub mod services;
pub mod shorthand;
pub mod spec;
pub mod wait;

use crate::cloud::KNOWN_REGIONS;
use crate::shell::command::{Command, Ctx};
use output::Format;
use serde_json::Value;

pub struct Aws;

/// Global options that take a value.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "--region",
    "--output",
    "--query",
    "--profile",
    "--endpoint-url",
    "--color",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--ca-bundle",
    "--cli-binary-format",
];
/// Global options that are flags.
const GLOBAL_FLAGS: &[&str] = &[
    "--debug",
    "--no-paginate",
    "--no-cli-pager",
    "--no-verify-ssl",
    "--no-sign-request",
    "--cli-auto-prompt",
    "--no-cli-auto-prompt",
];

pub const VERSION: &str = "aws-cli/2.22.35 Python/3.12.6 Linux/6.1.0 exe/x86_64.debian.12";

const EXIT_USAGE: i32 = 252;
const EXIT_CONFIG: i32 = 253;
const EXIT_SERVICE: i32 = 254;
const EXIT_OTHER: i32 = 255;

pub fn usage_text() -> String {
    "\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n".to_string()
}

fn usage_error(ctx: &mut Ctx, message: &str) -> i32 {
    ctx.errln(&usage_text());
    ctx.errln(&format!("aws: error: {message}"));
    EXIT_USAGE
}

/// Lays choices out in two columns, as the CLI's "Invalid choice" message does.
fn choices(names: &[String]) -> String {
    let mut out = String::new();
    for pair in names.chunks(2) {
        match pair {
            [a, b] => out.push_str(&format!("{a:<40} | {b}\n")),
            [a] => out.push_str(&format!("{a}\n")),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// Service names for completion and usage errors.
pub fn service_names() -> Vec<String> {
    let mut names: Vec<String> = services::SERVICES.iter().map(|s| s.cli.to_string()).collect();
    names.push("configure".into());
    names.push("help".into());
    names.sort();
    names
}

pub fn operation_names(service: &str) -> Vec<String> {
    if service == "configure" {
        return ["list", "get", "set", "list-profiles"].iter().map(|s| s.to_string()).collect();
    }
    let mut names: Vec<String> =
        services::find(service).map(|s| s.operations.iter().map(|o| o.cli.to_string()).collect()).unwrap_or_default();
    names.push("help".into());
    if !wait::names(service).is_empty() {
        names.push("wait".into());
    }
    names.sort();
    names
}

/// The global options of one invocation.
#[derive(Default, Clone)]
struct Globals {
    region: Option<String>,
    output: Option<String>,
    query: Option<String>,
    profile: Option<String>,
    /// `--no-paginate`: one request, its answer as it is.
    no_paginate: bool,
}

impl Command for Aws {
    fn name(&self) -> &'static str {
        "aws"
    }
    fn summary(&self) -> &'static str {
        "the AWS CLI (try: aws help, aws sts get-caller-identity)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        if args.len() == 1 && args[0] == "--version" {
            ctx.outln(VERSION);
            return 0;
        }
        let mut globals = Globals::default();
        let mut rest: Vec<String> = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let arg = args[i].as_str();
            if GLOBAL_WITH_VALUE.contains(&arg) {
                let Some(value) = args.get(i + 1) else {
                    return usage_error(ctx, &format!("argument {arg}: expected one argument"));
                };
                match arg {
                    "--region" => globals.region = Some(value.clone()),
                    "--output" => globals.output = Some(value.clone()),
                    "--query" => globals.query = Some(value.clone()),
                    "--profile" => globals.profile = Some(value.clone()),
                    _ => {}
                }
                i += 2;
            } else if GLOBAL_FLAGS.contains(&arg) {
                globals.no_paginate |= arg == "--no-paginate";
                i += 1;
            } else {
                rest.push(args[i].clone());
                i += 1;
            }
        }

        let Some(service_name) = rest.first().cloned() else {
            return usage_error(ctx, "the following arguments are required: command");
        };
        match service_name.as_str() {
            "help" => return help_top(ctx),
            "configure" => return configure::run(ctx, &rest[1..], globals.profile.as_deref()),
            _ => {}
        }
        let Some(service) = services::find(&service_name) else {
            return usage_error(
                ctx,
                &format!(
                    "argument command: Invalid choice, valid choices are:\n\n{}\n\nInvalid choice: '{service_name}'",
                    choices(&service_names())
                ),
            );
        };
        let Some(op_name) = rest.get(1).cloned() else {
            return usage_error(ctx, "the following arguments are required: operation");
        };
        if op_name == "help" {
            return help_service(ctx, service);
        }
        if op_name == "wait" {
            return run_waiter(ctx, service, &rest[2..], &globals);
        }
        let Some(operation) = service.operation(&op_name) else {
            return usage_error(
                ctx,
                &format!(
                    "argument operation: Invalid choice, valid choices are:\n\n{}\n\nInvalid choice: '{op_name}'",
                    choices(&operation_names(service.cli))
                ),
            );
        };
        if rest.get(2).map(String::as_str) == Some("help") {
            return help_operation(ctx, service, operation);
        }

        // Output format and query are checked before anything is sent.
        let output_choice = globals.output.clone();
        if let Some(name) = &output_choice {
            if Format::parse(name).is_none() {
                return usage_error(
                    ctx,
                    &format!(
                        "argument --output: Invalid choice, valid choices are:\n\n{}",
                        choices(&output::CHOICES.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                    ),
                );
            }
        }
        let query = match &globals.query {
            None => None,
            Some(q) => match jmespath::compile(q) {
                Ok(expr) => Some(expr),
                Err(e) => {
                    ctx.errln(&format!("Bad value for --query {q}: {e}"));
                    return EXIT_USAGE;
                }
            },
        };

        let fs_cwd = ctx.session.cwd.clone();
        let read_file = |path: &str| {
            let full = crate::shell::fs::FileSystem::resolve(&fs_cwd, path);
            ctx.host.fs.read(&full).map(str::to_string).map_err(|e| match e {
                crate::shell::fs::FsError::IsADirectory => format!("[Errno 21] Is a directory: '{path}'"),
                _ => format!("[Errno 2] No such file or directory: '{path}'"),
            })
        };
        // The CLI's paging options of a paginated operation are not the operation's parameters.
        let paginator = paginate::find(service.cli, operation.api);
        let (paging, op_args) = match paginator {
            Some(_) => match paginate::take_options(&rest[2..]) {
                Ok(split) => split,
                Err(message) => return usage_error(ctx, &message),
            },
            None => (paginate::Options::default(), rest[2..].to_vec()),
        };
        let request = match params::build_request(operation, &op_args, &read_file) {
            Ok(r) => r,
            Err(params::ParamError::Usage(message)) => return usage_error(ctx, &message),
            Err(params::ParamError::Value(message)) => {
                ctx.errln("");
                ctx.errln(&message);
                return EXIT_USAGE;
            }
        };
        // Paging by hand (`--limit`, `--exclusive-start-key`) turns the CLI's paging off.
        let paginator = paginator.filter(|p| {
            !globals.no_paginate && request.get(p.input_token).is_none() && request.get(p.limit_key).is_none()
        });
        let used: Vec<&str> = [
            ("--starting-token", paging.starting_token.is_some()),
            ("--page-size", paging.page_size.is_some()),
            ("--max-items", paging.max_items.is_some()),
        ]
        .iter()
        .filter(|(_, given)| *given)
        .map(|(name, _)| *name)
        .collect();
        if paginator.is_none() && !used.is_empty() {
            ctx.errln("");
            ctx.errln(&format!(
                "Error during pagination: Cannot specify --no-paginate along with pagination arguments: {}",
                used.join(", ")
            ));
            return EXIT_OTHER;
        }

        let (credentials, format) = match prepare(ctx, service, &globals) {
            Ok(p) => p,
            Err(status) => return status,
        };

        let source = ctx.host.name.clone();
        let mut retries = 0;
        let answer = match paginator {
            Some(p) => paginate::run(p, request, &paging, |req| {
                retry::call(ctx.cloud, &source, &credentials, service.api, operation.api, req, &mut retries)
            }),
            None => retry::call(ctx.cloud, &source, &credentials, service.api, operation.api, &request, &mut retries),
        };
        match answer {
            Ok(response) => {
                let shown = match &query {
                    None => response,
                    Some(expr) => match expr.search(response) {
                        Ok(result) => serde_json::to_value(&*result).unwrap_or(Value::Null),
                        Err(e) => {
                            ctx.errln(&format!("{e}"));
                            return EXIT_OTHER;
                        }
                    },
                };
                if query.is_none() && shown == Value::Object(Default::default()) {
                    return 0;
                }
                let text = output::render(format, operation.api, &shown);
                ctx.out(&text);
                0
            }
            Err(e) if e.code == "BadStartingToken" => {
                ctx.errln("");
                ctx.errln(&e.message);
                EXIT_OTHER
            }
            Err(e) => {
                ctx.errln("");
                ctx.errln(&format!(
                    "An error occurred ({}) when calling the {} operation{}: {}",
                    e.code,
                    operation.api,
                    retry::exhausted_note(&e.code, retries),
                    e.message
                ));
                EXIT_SERVICE
            }
        }
    }
}

/// Resolves credentials, region and output format for a call, printing the CLI's error when one
/// is missing; returns the exit status then.
fn prepare(
    ctx: &mut Ctx,
    service: &spec::Service,
    globals: &Globals,
) -> Result<(crate::cloud::api::Credentials, Format), i32> {
    let resolved =
        match config::resolve(ctx, globals.profile.as_deref(), globals.region.as_deref(), globals.output.as_deref()) {
            Ok(r) => r,
            Err(message) => {
                ctx.errln("");
                ctx.errln(&message);
                return Err(EXIT_CONFIG);
            }
        };
    let format = match resolved.output.as_deref().map(Format::parse) {
        None => Format::Json,
        Some(Some(f)) => f,
        Some(None) => {
            let bad = resolved.output.clone().unwrap_or_default();
            ctx.errln("");
            ctx.errln(&format!("Unknown output type: {bad}"));
            return Err(EXIT_OTHER);
        }
    };
    let Some(credentials) = resolved.credentials() else {
        ctx.errln("Unable to locate credentials. You can configure credentials by running \"aws configure\".");
        return Err(EXIT_CONFIG);
    };
    let region = resolved.region.as_ref().map(|r| r.value.clone());
    match &region {
        None if !service.global => {
            ctx.errln("You must specify a region. You can also configure your region by running \"aws configure\".");
            return Err(EXIT_CONFIG);
        }
        Some(r) if !KNOWN_REGIONS.contains(&r.as_str()) => {
            let host = if service.global && service.cli == "iam" {
                "iam.amazonaws.com".to_string()
            } else {
                format!("{}.{r}.amazonaws.com", service.cli)
            };
            ctx.errln("");
            ctx.errln(&format!("Could not connect to the endpoint URL: \"https://{host}/\""));
            return Err(EXIT_OTHER);
        }
        _ => {}
    }
    Ok((credentials, format))
}

/// `aws <service> wait <condition> ...`: polls until the condition holds, on the lab's clock.
fn run_waiter(ctx: &mut Ctx, service: &spec::Service, args: &[String], globals: &Globals) -> i32 {
    let Some(name) = args.first() else {
        return usage_error(ctx, "the following arguments are required: subcommand");
    };
    let Some(waiter) = wait::find(service.cli, name) else {
        return usage_error(
            ctx,
            &format!(
                "argument subcommand: Invalid choice, valid choices are:\n\n{}\n\nInvalid choice: '{name}'",
                choices(&wait::names(service.cli))
            ),
        );
    };
    let Some(operation) = service.operation(waiter.operation) else { return EXIT_OTHER };
    let fs_cwd = ctx.session.cwd.clone();
    let read_file = |path: &str| {
        let full = crate::shell::fs::FileSystem::resolve(&fs_cwd, path);
        ctx.host
            .fs
            .read(&full)
            .map(str::to_string)
            .map_err(|_| format!("[Errno 2] No such file or directory: '{path}'"))
    };
    let request = match params::build_request(operation, &args[1..], &read_file) {
        Ok(r) => r,
        Err(params::ParamError::Usage(message)) => return usage_error(ctx, &message),
        Err(params::ParamError::Value(message)) => {
            ctx.errln("");
            ctx.errln(&message);
            return EXIT_USAGE;
        }
    };
    let (credentials, _) = match prepare(ctx, service, globals) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let source = ctx.host.name.clone();
    for attempt in 1..=waiter.max_attempts {
        match ctx.cloud.call(&source, &credentials, service.api, operation.api, &request) {
            Ok(response) => match wait::judge(waiter, &response) {
                wait::Poll::Done => return 0,
                wait::Poll::Failed(message) => {
                    ctx.errln("");
                    ctx.errln(&message);
                    return EXIT_OTHER;
                }
                wait::Poll::Again => {}
            },
            Err(e) if Some(e.code.as_str()) == waiter.success_on_error => return 0,
            Err(e) if Some(e.code.as_str()) == waiter.retry_on_error => {}
            Err(e) => {
                ctx.errln("");
                ctx.errln(&format!("Waiter {} failed: An error occurred ({}): {}", waiter.name, e.code, e.message));
                return EXIT_OTHER;
            }
        }
        if attempt < waiter.max_attempts {
            let next = ctx.cloud.now.plus(crate::cloud::time::Duration::from_secs(waiter.delay_secs));
            ctx.cloud.advance_to(next);
        }
    }
    ctx.errln("");
    ctx.errln(&format!("Waiter {} failed: Max attempts exceeded", waiter.name));
    EXIT_OTHER
}

fn help_top(ctx: &mut Ctx) -> i32 {
    ctx.outln("AWS()");
    ctx.outln("");
    ctx.outln("NAME");
    ctx.outln("       aws - the AWS Command Line Interface, in DB Lab");
    ctx.outln("");
    ctx.outln("SYNOPSIS");
    ctx.outln("          aws [options] <command> <subcommand> [parameters]");
    ctx.outln("");
    ctx.outln("OPTIONS");
    ctx.outln("       --region (string)   the region to send the request to");
    ctx.outln("       --output (string)   json | text | table");
    ctx.outln("       --query (string)    a JMESPath query to filter the response");
    ctx.outln("       --profile (string)  a named profile from ~/.aws/credentials and ~/.aws/config");
    ctx.outln("");
    ctx.outln("AVAILABLE SERVICES");
    ctx.outln("       o configure        set up credentials, region and output format");
    for service in services::SERVICES {
        ctx.outln(&format!("       o {:<16} {}", service.cli, service.summary));
    }
    0
}

fn help_service(ctx: &mut Ctx, service: &spec::Service) -> i32 {
    ctx.outln(&format!("{}()", service.cli.to_uppercase()));
    ctx.outln("");
    ctx.outln("DESCRIPTION");
    ctx.outln(&format!("       {}", service.summary));
    ctx.outln("");
    ctx.outln("AVAILABLE COMMANDS");
    for op in service.operations {
        ctx.outln(&format!("       o {:<24} {}", op.cli, op.summary));
    }
    0
}

fn help_operation(ctx: &mut Ctx, service: &spec::Service, op: &spec::Operation) -> i32 {
    ctx.outln(&format!("{}()", op.cli.to_uppercase()));
    ctx.outln("");
    ctx.outln("DESCRIPTION");
    ctx.outln(&format!("       {}", op.summary));
    ctx.outln("");
    ctx.outln("SYNOPSIS");
    ctx.outln(&format!("            {}", op.cli));
    for p in op.params {
        let flag = spec::cli_name(p.name);
        let shown = match p.shape {
            spec::Shape::Boolean => format!("--{flag} | --no-{flag}"),
            _ => format!("--{flag} <value>"),
        };
        if p.required {
            ctx.outln(&format!("          {shown}"));
        } else {
            ctx.outln(&format!("          [{shown}]"));
        }
    }
    ctx.outln("");
    ctx.outln(&format!("       See also: aws {} help", service.cli));
    0
}
