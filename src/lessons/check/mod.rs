//! Step checks: conditions on the lab's state, one per line, all of which must hold.
//!
//! A step's ```` ```check ```` block is parsed into a [`Check`]: one [`Condition`] per line. The
//! first word of a line names the condition; the rest are its arguments:
//!
//! ```text
//! rds_instance shop-db available        <- the RDS instance shop-db exists and is available
//! not rds_reachable laptop shop-db      <- `not` turns any condition around
//! ```
//!
//! Every condition is registered once, in the file of its domain, as a [`Entry`] row: its name,
//! its usage, a line saying when it holds, and its parser. The parser reads the arguments
//! ([`Args`]) and returns the test itself, a closure over them that looks at the lab, so a
//! condition's parsing and its checking sit together in one short function:
//!
//! | file           | conditions about                                                  |
//! |----------------|-------------------------------------------------------------------|
//! | [`shell`]      | the hosts: lines typed, terminal output, files, sessions, the clock |
//! | [`aws`]        | the account: IAM keys, the CLI's configuration, API calls, VPCs   |
//! | [`dynamodb`]   | DynamoDB tables, items and indexes                                |
//! | [`rds`]        | RDS instances, Aurora clusters, snapshots; the hosts' SQL servers |
//! | [`cache`]      | ElastiCache replication groups: nodes, shards, data, failovers    |
//! | [`redis`]      | the hosts' Redis: keys, hashes, channels, streams                 |
//!
//! The reference lesson authors read, `docs/checks.md`, is generated from the registry by
//! [`reference`] (a test keeps the checked-in file equal to it), so it lists every condition.
//!
//! Checks look at state, not at keystrokes, so any correct way of getting there passes. A HOST
//! may be an EC2 instance's Name tag (`app`) as well as `laptop` or `cloudshell`; conditions on
//! what was done rather than on where (`ran`, `output`, `api_call`) also take [`ANY_HOST`].

pub mod aws;
pub mod cache;
pub mod dynamodb;
pub mod rds;
pub mod redis;
pub mod shell;

use crate::cloud::network::reach::Outcome;
use crate::shell::Lab;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// A parsed condition's test: does it hold in this lab?
pub type Test = Arc<dyn Fn(&Lab) -> bool + Send + Sync>;

/// One registered condition: what the reference shows, and how to read a line of it.
pub struct Entry {
    /// The first word of the line: `rds_instance`.
    pub name: &'static str,
    /// The arguments, as the reference shows them: `ID [STATUS]`.
    pub usage: &'static str,
    /// When the condition holds, in one line: "the RDS instance exists (in that status)".
    pub holds_when: &'static str,
    /// Reads the arguments and returns the test.
    pub parse: fn(&Args) -> Result<Test, String>,
}

/// Wraps a closure as a [`Test`]: what every parser returns.
pub fn test(holds: impl Fn(&Lab) -> bool + Send + Sync + 'static) -> Result<Test, String> {
    Ok(Arc::new(holds))
}

/// What a HOST argument says to accept a host of any name: `api_call any rds:DescribeDBInstances
/// ok` is met by a call from the laptop, CloudShell or an EC2 instance alike.
pub const ANY_HOST: &str = "any";

/// Whether a HOST argument accepts the host called `name`.
pub fn host_matches(wanted: &str, name: &str) -> bool {
    wanted == ANY_HOST || wanted == name
}

/// Whether `host` can open a TCP connection to `name` on `port`, at the address the host's own
/// DNS gives for the name (an RDS endpoint is public outside the VPC, private inside it).
pub fn connects(lab: &Lab, host: &str, name: &str, port: u16) -> bool {
    let Some(h) = lab.host_named(host) else { return false };
    let Some(answer) = crate::shell::net::resolve_from(&lab.cloud, h, name) else { return false };
    lab.cloud.reach(&h.source(), answer.address, port).outcome == Outcome::Connected
}

/// `not CONDITION`: lives here because it reads any other condition.
const NOT: &[Entry] = &[Entry {
    name: "not",
    usage: "CONDITION",
    holds_when: "the condition does not hold",
    parse: |args| {
        let inner = Condition::parse(&args.text(0)?)?;
        test(move |lab| !inner.holds(lab))
    },
}];

/// Every condition, domain by domain, in the order the reference lists them.
pub fn registry() -> impl Iterator<Item = &'static Entry> {
    [
        shell::CONDITIONS,
        aws::CONDITIONS,
        dynamodb::CONDITIONS,
        rds::CONDITIONS,
        cache::CONDITIONS,
        redis::CONDITIONS,
        NOT,
    ]
    .into_iter()
    .flatten()
}

/// The registered condition called `name`.
pub fn entry(name: &str) -> Option<&'static Entry> {
    registry().find(|e| e.name == name)
}

/// The arguments of one check line, with the errors a lesson author sees when one is missing.
pub struct Args<'a> {
    line: &'a str,
    usage: &'static str,
    name: &'a str,
    /// The words after the condition's name.
    words: Vec<&'a str>,
}

impl Args<'_> {
    /// Argument `i` (0 is the first after the name).
    pub fn word(&self, i: usize) -> Result<String, String> {
        self.optional(i).ok_or_else(|| self.wrong("lacks an argument"))
    }

    /// Argument `i`, if the line has it.
    pub fn optional(&self, i: usize) -> Option<String> {
        self.words.get(i).map(|w| w.to_string())
    }

    /// Argument `i` read as a number.
    pub fn number<T: FromStr>(&self, i: usize) -> Result<T, String> {
        self.word(i)?.parse().map_err(|_| self.wrong(&format!("argument {} must be a number", i + 1)))
    }

    /// Argument `i` read as a number, or `default` when the line stops before it.
    pub fn number_or<T: FromStr>(&self, i: usize, default: T) -> Result<T, String> {
        if i < self.words.len() {
            self.number(i)
        } else {
            Ok(default)
        }
    }

    /// The words from argument `i` on, joined by spaces (empty if there are none).
    pub fn rest(&self, i: usize) -> String {
        self.words.get(i..).map(|w| w.join(" ")).unwrap_or_default()
    }

    /// Like [`Args::rest`], but there must be some text.
    pub fn text(&self, i: usize) -> Result<String, String> {
        Some(self.rest(i)).filter(|t| !t.is_empty()).ok_or_else(|| self.wrong("lacks an argument"))
    }

    /// An error about this line, reminding how the condition is written.
    pub fn wrong(&self, why: &str) -> String {
        format!("`{}` {why}: write `{} {}`", self.line, self.name, self.usage)
    }
}

/// One line of a check: its text (which is also how it compares and prints) and its test.
#[derive(Clone)]
pub struct Condition {
    line: String,
    test: Test,
}

impl Condition {
    pub fn parse(line: &str) -> Result<Condition, String> {
        let mut words = line.split_whitespace();
        let name = words.next().ok_or("an empty condition")?;
        let entry = entry(name).ok_or_else(|| format!("unknown check `{name}`"))?;
        let args = Args { line, usage: entry.usage, name, words: words.collect() };
        Ok(Condition { line: line.trim().to_string(), test: (entry.parse)(&args)? })
    }

    pub fn holds(&self, lab: &Lab) -> bool {
        (self.test)(lab)
    }

    /// The names of the conditions this line uses: `not rds_reachable ...` uses two.
    pub fn names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        for word in self.line.split_whitespace() {
            names.push(word);
            if word != NOT[0].name {
                break;
            }
        }
        names
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.line)
    }
}

impl PartialEq for Condition {
    fn eq(&self, other: &Condition) -> bool {
        self.line == other.line
    }
}

impl Eq for Condition {}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub conditions: Vec<Condition>,
}

impl Check {
    pub fn parse(text: &str) -> Result<Check, String> {
        let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let conditions: Vec<Condition> = lines.map(Condition::parse).collect::<Result<_, _>>()?;
        if conditions.is_empty() {
            return Err("a check needs at least one condition".into());
        }
        Ok(Check { conditions })
    }

    pub fn passes(&self, lab: &Lab) -> bool {
        self.conditions.iter().all(|c| c.holds(lab))
    }
}

/// The reference of every condition, as `docs/checks.md` holds it: an introduction, then one
/// table row per registered condition.
pub fn reference() -> String {
    let mut out = String::from(REFERENCE_INTRO);
    out.push_str("| condition | holds when |\n|---|---|\n");
    for e in registry() {
        out.push_str(&reference_row(e));
    }
    out.push_str(REFERENCE_NOTES);
    out
}

/// One condition's row of the reference table (a `|` in the usage is escaped for markdown).
pub fn reference_row(e: &Entry) -> String {
    format!("| `{} {}` | {} |\n", e.name, e.usage.replace('|', "\\|"), e.holds_when)
}

const REFERENCE_INTRO: &str = "\
# Lesson checks

<!-- Generated from the registry in src/lessons/check/: edit the rows there, then run
     `UPDATE_GOLDENFILES=1 cargo test --test lessons` to rewrite this file. -->

A step's ```` ```check ```` block holds conditions on the lab's state, one per line, all of
which must hold for the step to turn green.

";

const REFERENCE_NOTES: &str = "
A HOST is `laptop`, `cloudshell` or an EC2 instance's Name tag (`app`). `ran`, `output` and
`api_call` also take `any`, for steps where what was done matters and not where.

Check the state, not the keystrokes, so any correct way passes: a lesson names a host or a
command only where that is what the step teaches.
";

#[cfg(test)]
mod tests;
