//! Lessons: guided steps whose checks look at the lab's state.
//!
//! The life of a lesson:
//!
//! 1. A lesson is a markdown file in `lessons/` with front matter ([`parse`]); the build embeds
//!    every file ([`catalog`]), so adding a lesson is adding a file.
//! 2. Each step has prose, commands to try, a [`check::Check`], hints and a solution. Command
//!    lines name their terminal: `laptop$ date` runs in the laptop's first tab, `laptop[2]$
//!    redis-cli` in its second ([`lesson::HostLine`]), for steps that need two terminals at once.
//! 3. The UI evaluates every step's check whenever the lab changes: a check asks about the
//!    state (a file exists, an access key exists, the laptop's CLI is configured with a valid key),
//!    never about the exact command typed, so any correct way turns the step green.
//! 4. [`progress::Progress`] remembers which steps were completed, across reloads.
//! 5. A test replays every lesson's solutions on a fresh lab ([`replay`]) and asserts that every
//!    check passes, so no lesson can silently break.
//! 6. Outside lessons, a [`script`] of the same `host$ command` lines runs in a lab as written:
//!    the golden transcripts and `dblab replay FILE`.

pub mod catalog;
pub mod check;
pub mod lesson;
pub mod markdown;
pub mod parse;
pub mod progress;
pub mod replay;
pub mod script;

pub use lesson::{Lesson, Step};
