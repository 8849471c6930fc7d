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
//! | [`redis`]      | the hosts' Redis: strings, hashes, channels, streams              |
//!
//! Adding a condition is adding a row and its function to the file of its domain:
//!
//! ```text
//! Entry { name: "rds_snapshot", usage: "ID [STATUS]",
//!         holds_when: "the DB snapshot exists (in that status)", parse: snapshot },
//!
//! fn snapshot(args: &Args) -> Result<Test, String> {
//!     let (id, status) = (args.word(0)?, args.optional(1));
//!     test(move |lab| lab.cloud.rds.snapshots.iter().any(|s| s.id == id && ...))
//! }
//! ```
//!
//! A condition asks the layer that owns the rule (the cloud's event log for failovers,
//! ElastiCache for the shard that owns a key, the host's DNS for where an endpoint leads)
//! rather than working the rule out again. The reference lesson authors read,
//! `docs/checks.md`, is generated from the registry ([`reference`]); a test keeps the
//! checked-in file equal to it, and another that every condition is used by some lesson.
//!
//! Checks look at state, not at keystrokes, so any correct way of getting there passes. A HOST
//! may be an EC2 instance's Name tag (`app`) as well as `laptop` or `cloudshell`; conditions on
//! what was done rather than on where (`ran`, `output`, `api_call`) also take [`ANY_HOST`].

pub mod aws;
pub mod cache;
pub mod dynamodb;
pub mod rds;
pub mod redis;
mod reference;
pub mod shell;

pub use reference::{reference, reference_row};

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

/// Whether a HOST argument accepts the host called `name`: `any`, the host's own name, or the
/// Name tag of the EC2 instance that host is.
pub fn host_matches(lab: &Lab, wanted: &str, name: &str) -> bool {
    wanted == ANY_HOST || wanted == name || lab.host_named(wanted).is_some_and(|h| h.name == name)
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

#[cfg(test)]
mod tests;
