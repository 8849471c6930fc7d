//! The engines: pure, deterministic data engines with no I/O, no wall clock and no global state.
//!
//! This layer sits at the bottom of the crate and imports nothing above it. Each engine is a
//! library that a simulated server in the `cloud` layer runs:
//!
//! - `sql`: the relational engine behind RDS and Aurora (MySQL and PostgreSQL flavours),
//! - `dynamo`: the key-value and document store behind DynamoDB,
//! - `cache`: the Redis-compatible engine behind ElastiCache.
//!
//! They arrive with their own issues. What every engine shares lives here already: time is an
//! input (the caller passes `now`), randomness comes only from a seeded [`rng::Rng`], and
//! [`nesting`] bounds how deep a saved value may nest when it is read back.

pub mod cache;
pub mod dynamo;
pub mod nesting;
pub mod rng;
pub mod sql;
