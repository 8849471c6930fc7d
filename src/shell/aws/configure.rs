//! `aws configure` and its subcommands: the four prompts, `list`, `get`, `set`,
//! `list-profiles`.
//!
//! ```text
//!   AWS Access Key ID [None]: AKIA...
//!   AWS Secret Access Key [None]: ...
//!   Default region name [None]: us-east-1
//!   Default output format [None]: json
//! ```
//!
//! The prompts are a [`Dialog`] that holds the terminal: each line typed answers one prompt.
//! An empty answer keeps the current value. The answers land in `~/.aws/credentials` and
//! `~/.aws/config` on the host.

use super::config::{self, config_path, config_section, credentials_path, read_ini, Resolved};
use crate::shell::command::Ctx;
use crate::shell::foreground::Foreground;
use serde::{Deserialize, Serialize};

/// The four settings `aws configure` asks for, in order: (file key, prompt, masked).
const STEPS: [(&str, &str, bool); 4] = [
    ("aws_access_key_id", "AWS Access Key ID", true),
    ("aws_secret_access_key", "AWS Secret Access Key", true),
    ("region", "Default region name", false),
    ("output", "Default output format", false),
];

/// The state of an `aws configure` dialog in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialog {
    pub profile: String,
    /// Which prompt is showing (0..4).
    pub step: usize,
    /// The value each setting had when the dialog started, shown in brackets.
    pub current: [Option<String>; 4],
    /// The answers so far (None: keep the current value).
    pub answers: Vec<Option<String>>,
}

impl Dialog {
    pub fn prompt(&self) -> String {
        let (_, label, masked) = STEPS[self.step.min(3)];
        let shown = match &self.current[self.step.min(3)] {
            None => "None".to_string(),
            Some(v) if masked => mask(v),
            Some(v) => v.clone(),
        };
        format!("{label} [{shown}]: ")
    }
}

/// The CLI shows secrets as 16 stars and their last four characters.
pub fn mask(value: &str) -> String {
    let tail: String = value.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("{}{tail}", "*".repeat(16))
}

/// `aws configure ...`: `args` are what follows `configure`.
pub fn run(ctx: &mut Ctx, args: &[String], profile_flag: Option<&str>) -> i32 {
    let profile = profile_flag
        .map(str::to_string)
        .or_else(|| ctx.var("AWS_PROFILE").map(str::to_string))
        .unwrap_or_else(|| "default".into());
    match args.first().map(String::as_str) {
        None => start(ctx, profile),
        Some("list") => list(ctx, profile_flag),
        Some("list-profiles") => {
            let mut names: Vec<String> = Vec::new();
            for (section, _) in read_ini(ctx, &credentials_path(ctx)).sections {
                names.push(section);
            }
            for (section, _) in read_ini(ctx, &config_path(ctx)).sections {
                names.push(section.strip_prefix("profile ").unwrap_or(&section).trim().to_string());
            }
            names.sort();
            names.dedup();
            for name in names {
                ctx.outln(&name);
            }
            0
        }
        Some("get") => match args.get(1) {
            Some(name) => get(ctx, &profile, name),
            None => usage_error(ctx, "the following arguments are required: varname"),
        },
        Some("set") => match (args.get(1), args.get(2)) {
            (Some(name), Some(value)) => set(ctx, &profile, name, value),
            _ => usage_error(ctx, "the following arguments are required: varname, value"),
        },
        Some(other) => usage_error(
            ctx,
            &format!("argument subcommand: Invalid choice, valid choices are:\n\nlist                                     | get\nset                                      | add-model\nimport                                   | list-profiles\nexport-credentials                       | sso\n\nInvalid choice: '{other}'"),
        ),
    }
}

fn usage_error(ctx: &mut Ctx, message: &str) -> i32 {
    ctx.errln(&super::usage_text());
    ctx.errln(&format!("aws: error: {message}"));
    252
}

fn start(ctx: &mut Ctx, profile: String) -> i32 {
    let creds = read_ini(ctx, &credentials_path(ctx));
    let conf = read_ini(ctx, &config_path(ctx));
    let section = config_section(&profile);
    let current = [
        creds.get(&profile, "aws_access_key_id").map(str::to_string),
        creds.get(&profile, "aws_secret_access_key").map(str::to_string),
        conf.get(&section, "region").map(str::to_string),
        conf.get(&section, "output").map(str::to_string),
    ];
    ctx.take_over(Foreground::AwsConfigure(Dialog { profile, step: 0, current, answers: Vec::new() }));
    0
}

/// One answer typed at a prompt of the dialog.
pub fn answer(ctx: &mut Ctx, mut dialog: Dialog, line: &str) {
    let value = line.trim();
    dialog.answers.push(if value.is_empty() { None } else { Some(value.to_string()) });
    dialog.step += 1;
    if dialog.step < STEPS.len() {
        ctx.take_over(Foreground::AwsConfigure(dialog));
        return;
    }
    ctx.give_back(0);
    let now = ctx.cloud.now.0;
    let aws_dir = format!("{}/.aws", ctx.host.home);
    let _ = ctx.host.fs.mkdir(&aws_dir, true);
    let mut creds = read_ini(ctx, &credentials_path(ctx));
    let mut conf = read_ini(ctx, &config_path(ctx));
    let section = config_section(&dialog.profile);
    let mut creds_changed = false;
    let mut conf_changed = false;
    for (i, answer) in dialog.answers.iter().enumerate() {
        let Some(value) = answer else { continue };
        let key = STEPS[i].0;
        if i < 2 {
            creds.set(&dialog.profile, key, value);
            creds_changed = true;
        } else {
            conf.set(&section, key, value);
            conf_changed = true;
        }
    }
    let mut failed = false;
    if creds_changed {
        failed |= ctx.host.fs.write(&credentials_path(ctx), &creds.render(), false, now).is_err();
    }
    if conf_changed {
        failed |= ctx.host.fs.write(&config_path(ctx), &conf.render(), false, now).is_err();
    }
    if failed {
        ctx.errln("[Errno 28] No space left on device");
    }
}

fn file_for(name: &str) -> Option<bool> {
    // Some(true): the credentials file; Some(false): the config file.
    match name {
        "aws_access_key_id" | "aws_secret_access_key" | "aws_session_token" => Some(true),
        "region" | "output" | "cli_pager" | "retry_mode" | "max_attempts" => Some(false),
        _ => None,
    }
}

fn get(ctx: &mut Ctx, profile: &str, name: &str) -> i32 {
    let value = match file_for(name) {
        Some(true) => read_ini(ctx, &credentials_path(ctx)).get(profile, name).map(str::to_string),
        _ => read_ini(ctx, &config_path(ctx)).get(&config_section(profile), name).map(str::to_string),
    };
    match value {
        Some(v) => {
            ctx.outln(&v);
            0
        }
        None => 1,
    }
}

fn set(ctx: &mut Ctx, profile: &str, name: &str, value: &str) -> i32 {
    let now = ctx.cloud.now.0;
    let _ = ctx.host.fs.mkdir(&format!("{}/.aws", ctx.host.home), true);
    let result = if file_for(name) == Some(true) {
        let mut ini = read_ini(ctx, &credentials_path(ctx));
        ini.set(profile, name, value);
        ctx.host.fs.write(&credentials_path(ctx), &ini.render(), false, now)
    } else {
        let mut ini = read_ini(ctx, &config_path(ctx));
        ini.set(&config_section(profile), name, value);
        ctx.host.fs.write(&config_path(ctx), &ini.render(), false, now)
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            ctx.errln(&format!("[Errno 28] {}", e.message()));
            1
        }
    }
}

/// `aws configure list`: where each setting comes from.
fn list(ctx: &mut Ctx, profile_flag: Option<&str>) -> i32 {
    let resolved: Resolved = match config::resolve(ctx, profile_flag, None, None) {
        Ok(r) => r,
        Err(message) => {
            ctx.errln("");
            ctx.errln(&message);
            return 255;
        }
    };
    let row = |name: &str, value: &str, kind: &str, location: &str| {
        format!("{name:>10} {value:>24} {kind:>16}    {location}")
    };
    let mut lines = vec![row("Name", "Value", "Type", "Location"), row("----", "-----", "----", "--------")];
    match &resolved.profile_explicit {
        Some(p) => lines.push(row("profile", &p.value, &p.kind, &p.location)),
        None => lines.push(row("profile", "<not set>", "None", "None")),
    }
    for (name, setting) in [("access_key", &resolved.access_key), ("secret_key", &resolved.secret_key)] {
        match setting {
            Some(s) => lines.push(row(name, &mask(&s.value), &s.kind, &s.location)),
            None if resolved.console_session => lines.push(row(name, "****************", "container-role", "")),
            None => lines.push(row(name, "<not set>", "None", "None")),
        }
    }
    match &resolved.region {
        Some(s) => lines.push(row("region", &s.value, &s.kind, &s.location)),
        None => lines.push(row("region", "<not set>", "None", "None")),
    }
    for line in lines {
        ctx.outln(&line);
    }
    0
}
