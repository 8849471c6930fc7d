//! The reference of the conditions for lesson authors, rendered from the registry: the text of
//! `docs/checks.md`, which a test keeps equal to it.

use super::{registry, Entry};

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
`api_call` also take `any`, for steps where what was done matters and not where. The `redis_`
conditions also take `cache:ID` for the data of ElastiCache replication group ID (a key on the
primary that owns it, a channel on any of its nodes), for steps whose programs talk to it.

Check the state, not the keystrokes, so any correct way passes: a lesson names a host or a
command only where that is what the step teaches.
";
