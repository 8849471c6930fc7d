//! The lesson model.

use super::check::Check;

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// Stable id from the curriculum (`lab-basics`); names the file and progress entries.
    pub id: String,
    pub title: String,
    /// The curriculum module, e.g. `0 · The lab`.
    pub module: String,
    pub minutes: u32,
    pub summary: String,
    /// Markdown shown before the first step.
    pub intro: String,
    pub steps: Vec<Step>,
    /// Markdown shown after the last step: what was learned, what to try next.
    pub outro: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    /// Markdown: the why and the what.
    pub prose: String,
    /// Commands to try, each on a host.
    pub try_lines: Vec<HostLine>,
    pub check: Check,
    pub hints: Vec<String>,
    /// What "show me" types: lines on hosts, answers to prompts included.
    pub solution: Vec<HostLine>,
}

/// A line typed on a host (`laptop$ date`), in one of its terminal tabs: the first by default,
/// another with its number (`laptop[2]$ redis-cli` types in the host's second tab, which the
/// terminal labels "laptop (2)").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostLine {
    pub host: String,
    /// Which of the host's tabs, counting from 1.
    pub tab: usize,
    pub text: String,
}

impl HostLine {
    /// How the line names its terminal: `laptop`, or `laptop[2]` for another tab.
    pub fn terminal(&self) -> String {
        if self.tab <= 1 {
            self.host.clone()
        } else {
            format!("{}[{}]", self.host, self.tab)
        }
    }
}
