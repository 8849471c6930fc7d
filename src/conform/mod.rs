//! The conformance adapters: line protocols that put one engine behind stdin and stdout, so
//! that the recordings of the real systems (`../shared/conformance`) can be replayed against
//! it by an outside harness, exactly as they were recorded against the real server.
//!
//! - [`dynamodb`]: one DynamoDB JSON request per line, the engine's response per line;
//! - [`sql`]: one `{"sql": ...}` statement per line on a fresh MySQL or PostgreSQL server;
//! - [`redis`]: one `{"client": N, "argv": [...]}` command per line, Redis's replies as JSON.
//!
//! `dblab conform <engine>` runs them (see `main.rs`). Each adapter reads any [`BufRead`] and
//! writes any [`Write`], so the tests drive them with strings. They sit beside the layers, not
//! in them: they use only the engines, and are compiled natively only.
//!
//! [`BufRead`]: std::io::BufRead
//! [`Write`]: std::io::Write

pub mod dynamodb;
pub mod redis;
pub mod sql;
