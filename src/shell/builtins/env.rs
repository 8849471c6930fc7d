use crate::shell::command::{Command, Ctx};

/// `env`: the session's environment variables.
pub struct Env;

impl Command for Env {
    fn name(&self) -> &'static str {
        "env"
    }
    fn summary(&self) -> &'static str {
        "print the environment variables"
    }
    fn run(&self, ctx: &mut Ctx, _args: &[String]) -> i32 {
        let lines: Vec<String> = ctx.session.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        for line in lines {
            ctx.outln(&line);
        }
        0
    }
}

/// `export NAME=value`: sets a variable (the AWS CLI reads `AWS_*` variables).
pub struct Export;

impl Command for Export {
    fn name(&self) -> &'static str {
        "export"
    }
    fn summary(&self) -> &'static str {
        "set an environment variable: export NAME=value"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let mut status = 0;
        for arg in args {
            let (name, value) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (arg.as_str(), None),
            };
            if !is_name(name) {
                ctx.errln(&format!("-bash: export: `{arg}': not a valid identifier"));
                status = 1;
                continue;
            }
            if let Some(value) = value {
                ctx.session.env.insert(name.to_string(), value.to_string());
            }
        }
        status
    }
}

/// `unset NAME`: removes a variable.
pub struct Unset;

impl Command for Unset {
    fn name(&self) -> &'static str {
        "unset"
    }
    fn summary(&self) -> &'static str {
        "remove an environment variable"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        for arg in args {
            ctx.session.env.remove(arg);
        }
        0
    }
}

/// A valid shell variable name: a letter or `_`, then letters, digits and `_`.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
