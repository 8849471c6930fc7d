//! Where the AWS CLI finds credentials, region and output format, in the real CLI's order.
//!
//! ```text
//!   credentials: --profile's files  >  AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
//!                > ~/.aws/credentials [profile] > ~/.aws/config [profile]
//!                > the console session (CloudShell only)
//!   region:      --region > AWS_REGION > AWS_DEFAULT_REGION > ~/.aws/config region
//!   output:      --output > AWS_DEFAULT_OUTPUT > ~/.aws/config output > json
//! ```
//!
//! The files are plain INI files in the host's file system, written by `aws configure` and
//! readable with `cat ~/.aws/credentials`, as on a real machine.

use crate::cloud::api::Credentials;
use crate::shell::command::Ctx;
use crate::shell::host::{Host, HostKind};
use std::collections::BTreeMap;

/// An INI file: sections of `key = value` lines, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ini {
    pub sections: Vec<(String, Vec<(String, String)>)>,
}

impl Ini {
    pub fn parse(text: &str) -> Ini {
        let mut ini = Ini::default();
        for raw in text.lines() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                ini.sections.push((name.trim().to_string(), Vec::new()));
            } else if let Some((k, v)) = line.split_once('=') {
                if let Some((_, entries)) = ini.sections.last_mut() {
                    entries.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
        }
        ini
    }

    pub fn get(&self, section: &str, key: &str) -> Option<&str> {
        self.sections
            .iter()
            .filter(|(name, _)| name == section)
            .flat_map(|(_, entries)| entries.iter())
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_section(&self, section: &str) -> bool {
        self.sections.iter().any(|(name, _)| name == section)
    }

    pub fn set(&mut self, section: &str, key: &str, value: &str) {
        let index = match self.sections.iter().position(|(name, _)| name == section) {
            Some(i) => i,
            None => {
                self.sections.push((section.to_string(), Vec::new()));
                self.sections.len() - 1
            }
        };
        let entries = &mut self.sections[index].1;
        match entries.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value.to_string(),
            None => entries.push((key.to_string(), value.to_string())),
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for (name, entries) in &self.sections {
            out.push_str(&format!("[{name}]\n"));
            for (k, v) in entries {
                out.push_str(&format!("{k} = {v}\n"));
            }
        }
        out
    }
}

pub fn credentials_path(ctx: &Ctx) -> String {
    format!("{}/.aws/credentials", ctx.host.home)
}

pub fn config_path(ctx: &Ctx) -> String {
    format!("{}/.aws/config", ctx.host.home)
}

pub fn read_ini(ctx: &Ctx, path: &str) -> Ini {
    ctx.host.fs.read(path).map(Ini::parse).unwrap_or_default()
}

fn read_host_ini(host: &Host, path: &str) -> Ini {
    host.fs.read(path).map(Ini::parse).unwrap_or_default()
}

/// The section name of a profile in the config file (`default`, or `profile NAME`).
pub fn config_section(profile: &str) -> String {
    if profile == "default" {
        "default".to_string()
    } else {
        format!("profile {profile}")
    }
}

/// A resolved setting and where it came from (for `aws configure list`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub value: String,
    /// `env`, `shared-credentials-file`, `config-file`, `container-role`, `manual`.
    pub kind: String,
    pub location: String,
}

/// Everything the CLI resolved for one invocation.
#[derive(Clone, Debug, Default)]
pub struct Resolved {
    pub profile: String,
    /// The profile was named explicitly (`--profile` or `AWS_PROFILE`).
    pub profile_explicit: Option<Setting>,
    pub access_key: Option<Setting>,
    pub secret_key: Option<Setting>,
    /// Temporary keys' token (`aws_session_token`, `AWS_SESSION_TOKEN`), from where the keys are.
    pub session_token: Option<String>,
    pub region: Option<Setting>,
    pub output: Option<String>,
    /// CloudShell signs with the console session when nothing else is configured.
    pub console_session: bool,
}

impl Resolved {
    pub fn credentials(&self) -> Option<Credentials> {
        match (&self.access_key, &self.secret_key) {
            (Some(k), Some(s)) => Some(Credentials::AccessKey {
                access_key_id: k.value.clone(),
                secret_access_key: s.value.clone(),
                session_token: self.session_token.clone(),
            }),
            _ if self.console_session => Some(Credentials::ConsoleSession),
            _ => None,
        }
    }
}

fn setting(value: &str, kind: &str, location: &str) -> Setting {
    Setting { value: value.to_string(), kind: kind.to_string(), location: location.to_string() }
}

/// Resolves the profile, credentials, region and output for a command.
/// Fails with the CLI's message when a named profile does not exist.
pub fn resolve(
    ctx: &Ctx,
    profile_flag: Option<&str>,
    region_flag: Option<&str>,
    output_flag: Option<&str>,
) -> Result<Resolved, String> {
    resolve_on(ctx.host, &ctx.session.env, profile_flag, region_flag, output_flag)
}

/// [`resolve`] for a host and an environment, without a running command (lesson checks use it).
pub fn resolve_on(
    host: &Host,
    vars: &BTreeMap<String, String>,
    profile_flag: Option<&str>,
    region_flag: Option<&str>,
    output_flag: Option<&str>,
) -> Result<Resolved, String> {
    let env = |name: &str| vars.get(name).filter(|v| !v.is_empty()).cloned();
    let credentials_file = read_host_ini(host, &format!("{}/.aws/credentials", host.home));
    let config_file = read_host_ini(host, &format!("{}/.aws/config", host.home));

    let (profile, profile_explicit) = match (profile_flag, env("AWS_PROFILE")) {
        (Some(p), _) => (p.to_string(), Some(setting(p, "manual", "--profile"))),
        (None, Some(p)) => (p.clone(), Some(setting(&p, "env", "AWS_PROFILE"))),
        (None, None) => ("default".to_string(), None),
    };
    let section = config_section(&profile);
    if profile != "default" && !credentials_file.has_section(&profile) && !config_file.has_section(&section) {
        return Err(format!("The config profile ({profile}) could not be found"));
    }

    let mut r = Resolved { profile: profile.clone(), profile_explicit, ..Resolved::default() };
    let env_keys = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"));
    if let (Some(k), Some(s), None) = (&env_keys.0, &env_keys.1, profile_flag) {
        r.access_key = Some(setting(k, "env", ""));
        r.secret_key = Some(setting(s, "env", ""));
        r.session_token = env("AWS_SESSION_TOKEN").map(|t| t.to_string());
    } else if let (Some(k), Some(s)) =
        (credentials_file.get(&profile, "aws_access_key_id"), credentials_file.get(&profile, "aws_secret_access_key"))
    {
        r.access_key = Some(setting(k, "shared-credentials-file", ""));
        r.secret_key = Some(setting(s, "shared-credentials-file", ""));
        r.session_token = credentials_file.get(&profile, "aws_session_token").map(|t| t.to_string());
    } else if let (Some(k), Some(s)) =
        (config_file.get(&section, "aws_access_key_id"), config_file.get(&section, "aws_secret_access_key"))
    {
        r.access_key = Some(setting(k, "config-file", "~/.aws/config"));
        r.secret_key = Some(setting(s, "config-file", "~/.aws/config"));
        r.session_token = config_file.get(&section, "aws_session_token").map(|t| t.to_string());
    } else if host.kind == HostKind::CloudShell {
        r.console_session = true;
    }

    r.region = match (region_flag, env("AWS_REGION"), env("AWS_DEFAULT_REGION"), config_file.get(&section, "region")) {
        (Some(v), ..) => Some(setting(v, "manual", "--region")),
        (None, Some(v), ..) => Some(setting(&v, "env", "AWS_REGION")),
        (None, None, Some(v), _) => Some(setting(&v, "env", "AWS_DEFAULT_REGION")),
        (None, None, None, Some(v)) => Some(setting(v, "config-file", "~/.aws/config")),
        _ => None,
    };
    r.output = output_flag
        .map(str::to_string)
        .or_else(|| env("AWS_DEFAULT_OUTPUT"))
        .or_else(|| config_file.get(&section, "output").map(str::to_string));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::Ini;

    #[test]
    fn ini_round_trip_and_update() {
        let mut ini = Ini::parse("# comment\n[default]\nregion = us-east-1\n\n[profile dev]\noutput=table\n");
        assert_eq!(ini.get("default", "region"), Some("us-east-1"));
        assert_eq!(ini.get("profile dev", "output"), Some("table"));
        ini.set("default", "region", "eu-west-1");
        ini.set("default", "output", "json");
        ini.set("profile new", "region", "us-west-2");
        assert_eq!(
            ini.render(),
            "[default]\nregion = eu-west-1\noutput = json\n[profile dev]\noutput = table\n[profile new]\nregion = us-west-2\n"
        );
    }
}
