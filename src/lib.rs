//! DB Lab: a browser learning sandbox for cloud databases.
//!
//! The crate is built in layers; each depends only on those below it:
//!
//! ```text
//!   ui        Leptos components (wasm32 only)
//!   lessons   the lesson model, checks against the lab, progress
//!   console   the console's forms, lists and CLI equivalents, as API requests (its pages are ui's)
//!   shell     hosts, sessions, the command line and its clients (aws, ...); the `Lab` value
//!   cloud     the simulated AWS account and region on a virtual clock
//!   engines   pure data engines (relational, DynamoDB-style, Redis-style)
//! ```
//!
//! A tour: a learner types a line in the terminal. The UI hands it to [`shell::Lab::exec`],
//! which parses it, finds the command and runs it. `aws sts get-caller-identity` becomes a
//! JSON request to [`cloud::Cloud::call`]; the response comes back to the CLI, which prints it as
//! the real AWS CLI would. `sleep 90` calls [`shell::Lab::advance`], which moves the virtual
//! clock and runs the events that fall due. Lessons look at the resulting lab and turn their
//! steps green.

pub mod cloud;
#[cfg(not(target_arch = "wasm32"))]
pub mod conform;
pub mod console;
pub mod engines;
pub mod lessons;
pub mod shell;

#[cfg(target_arch = "wasm32")]
pub mod ui;
