//! `pip` on a lab host: what is installed is the pinned set of `requirements.txt`, and the
//! lab has no route to the package index, so `pip install` fails as pip fails offline.

use crate::shell::command::{Command, Ctx};

const REQUIREMENTS: &str = include_str!("requirements.txt");

/// Where the packages are, as `pip show` reports it.
pub const SITE_PACKAGES: &str = "/usr/local/lib/python3.14/site-packages";

/// One pinned package and what `pip show` says of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    pub name: &'static str,
    pub version: &'static str,
    pub sha256: &'static str,
    pub summary: &'static str,
    pub home_page: &'static str,
    pub author: &'static str,
    pub license: &'static str,
    pub requires: Vec<&'static str>,
}

/// The pinned packages, in the file's order (alphabetical).
pub fn packages() -> Vec<Package> {
    REQUIREMENTS.lines().filter_map(parse).collect()
}

fn parse(line: &'static str) -> Option<Package> {
    if line.starts_with('#') || line.trim().is_empty() {
        return None;
    }
    let (pin, about) = line.split_once("  # ")?;
    let mut words = pin.split_whitespace();
    let (name, version) = words.next()?.split_once("==")?;
    let sha256 = words.find_map(|w| w.strip_prefix("--hash=sha256:"))?;
    let fields: Vec<&str> = about.split('|').map(str::trim).collect();
    let field = |i: usize| fields.get(i).copied().unwrap_or("");
    let requires = field(4).split(',').map(str::trim).filter(|r| !r.is_empty()).collect();
    Some(Package {
        name,
        version,
        sha256,
        summary: field(0),
        home_page: field(1),
        author: field(2),
        license: field(3),
        requires,
    })
}

fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace('_', "-")
}

pub struct Pip;

impl Command for Pip {
    fn name(&self) -> &'static str {
        "pip"
    }
    fn summary(&self) -> &'static str {
        "Python's package installer: list and show what is installed"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        run(ctx, args)
    }
}

pub struct Pip3;

impl Command for Pip3 {
    fn name(&self) -> &'static str {
        "pip3"
    }
    fn summary(&self) -> &'static str {
        "the same as pip"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        run(ctx, args)
    }
}

/// `pip ARGS` (also `python3 -m pip ARGS`).
pub fn run(ctx: &mut Ctx, args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("list") | Some("freeze") => {
            let all = packages();
            if args[0] == "freeze" {
                for p in &all {
                    ctx.outln(&format!("{}=={}", p.name, p.version));
                }
                return 0;
            }
            let width = all.iter().map(|p| p.name.len()).max().unwrap_or(0).max("Package".len());
            let vwidth = all.iter().map(|p| p.version.len()).max().unwrap_or(0).max("Version".len());
            ctx.outln(&format!("{:width$} {}", "Package", "Version"));
            ctx.outln(&format!("{} {}", "-".repeat(width), "-".repeat(vwidth)));
            for p in &all {
                ctx.outln(&format!("{:width$} {}", p.name, p.version));
            }
            0
        }
        Some("show") => show(ctx, &args[1..]),
        Some("install") => install(ctx, &args[1..]),
        Some("--version") | Some("-V") => {
            ctx.outln(&format!("pip 25.3 from {SITE_PACKAGES}/pip (python 3.14)"));
            0
        }
        Some(other) if !other.starts_with('-') => {
            ctx.errln(&format!("ERROR: unknown command \"{other}\""));
            1
        }
        _ => {
            ctx.outln("\nUsage:   \n  pip <command> [options]\n\nCommands:\n  install                     Install packages.\n  list                        List installed packages.\n  show                        Show information about installed packages.\n  freeze                      Output installed packages in requirements format.");
            0
        }
    }
}

fn show(ctx: &mut Ctx, names: &[String]) -> i32 {
    if names.is_empty() {
        ctx.errln("ERROR: Please provide a package name or names.");
        return 1;
    }
    let all = packages();
    let mut first = true;
    let mut missing = Vec::new();
    for name in names {
        let Some(p) = all.iter().find(|p| normalise(p.name) == normalise(name)) else {
            missing.push(name.clone());
            continue;
        };
        if !first {
            ctx.outln("---");
        }
        first = false;
        let required_by: Vec<&str> = all.iter().filter(|q| q.requires.contains(&p.name)).map(|q| q.name).collect();
        ctx.outln(&format!("Name: {}", p.name));
        ctx.outln(&format!("Version: {}", p.version));
        ctx.outln(&format!("Summary: {}", p.summary));
        ctx.outln(&format!("Home-page: {}", p.home_page));
        ctx.outln(&format!("Author: {}", p.author));
        ctx.outln(&format!("License: {}", p.license));
        ctx.outln(&format!("Location: {SITE_PACKAGES}"));
        ctx.outln(&format!("Requires: {}", p.requires.join(", ")));
        ctx.outln(&format!("Required-by: {}", required_by.join(", ")));
    }
    if !missing.is_empty() {
        ctx.errln(&format!("WARNING: Package(s) not found: {}", missing.join(", ")));
        return 1;
    }
    0
}

fn install(ctx: &mut Ctx, args: &[String]) -> i32 {
    let wanted: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if wanted.is_empty() {
        ctx.errln("ERROR: You must give at least one requirement to install (see \"pip help install\")");
        return 1;
    }
    let all = packages();
    let mut status = 0;
    for requirement in wanted {
        let name = requirement.split(['=', '<', '>', '!', '~', '[']).next().unwrap_or(requirement);
        if let Some(p) = all.iter().find(|p| normalise(p.name) == normalise(name)) {
            ctx.outln(&format!("Requirement already satisfied: {} in {SITE_PACKAGES} ({})", p.name, p.version));
            continue;
        }
        for left in (0..5).rev() {
            ctx.errln(&format!(
                "WARNING: Retrying (Retry(total={left}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f3c2a1b4d90>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/{}/",
                normalise(name)
            ));
        }
        ctx.errln(&format!(
            "ERROR: Could not find a version that satisfies the requirement {requirement} (from versions: none)"
        ));
        ctx.errln(&format!("ERROR: No matching distribution found for {requirement}"));
        status = 1;
    }
    if status != 0 {
        let names: Vec<String> = all.iter().map(|p| format!("{} {}", p.name, p.version)).collect();
        ctx.errln(&format!("(DB Lab: the lab has no route to the package index. Installed: {}.)", names.join(", ")));
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pin_parses_with_its_hash() {
        let all = packages();
        let pins = REQUIREMENTS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count();
        assert_eq!(all.len(), pins);
        for p in &all {
            assert_eq!(p.sha256.len(), 64, "{}", p.name);
            assert!(p.sha256.bytes().all(|b| b.is_ascii_hexdigit()), "{}", p.name);
        }
        let boto3 = all.iter().find(|p| p.name == "boto3").unwrap();
        assert_eq!(boto3.requires, vec!["botocore", "jmespath", "s3transfer"]);
        // Every requirement is itself pinned: the set is closed.
        for p in &all {
            for r in &p.requires {
                assert!(all.iter().any(|q| q.name == *r), "{} requires unpinned {r}", p.name);
            }
        }
    }
}
