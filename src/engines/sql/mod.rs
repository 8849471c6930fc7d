//! The relational engine behind the simulated RDS and Aurora: MySQL- and PostgreSQL-flavoured SQL.
//!
//! # The life of a statement
//!
//! ```text
//!  "SELECT name FROM orders WHERE id = 7"
//!        │ translate   (sqlparser with the flavour's dialect → our own small AST)
//!        ▼
//!  ast::Statement::Query
//!        │ plan        (names → column positions, join order, index choice, aggregate slots)
//!        ▼
//!  plan::QueryPlan     (EXPLAIN prints this)
//!        │ run         (scans, hash joins, grouping, windows, sorting; a step budget)
//!        ▼
//!  rows ─▶ server::Outcome ─▶ the client (mysql / psql) formats them
//! ```
//!
//! Writes (`dml`, `ddl`) go through `storage`, whose every row change is a [`storage::Change`]:
//! undone if the statement fails, kept in the session's transaction until COMMIT, then appended
//! to the [`log::CommitLog`] that replicas and point-in-time restore replay.
//!
//! Modules, bottom up: `types` (values, an exact decimal, dates), `flavour`, `error` (worded per
//! server), `ast`, `translate` (the only user of sqlparser), `index`, `storage`, `eval` (expressions and
//! functions), `plan`, `hash_join`, `run`, `dml`, `ddl`, `show`, `log`, `prepared` (statements parsed and planned once),
//! `server` (sessions and transactions).

pub mod aggregate;
pub mod ast;
pub mod ddl;
pub mod dml;
pub mod error;
pub mod eval;
pub mod flavour;
pub mod func;
pub mod hash_join;
pub mod index;
pub mod log;
pub mod plan;
pub mod prepared;
pub mod run;
pub mod server;
pub mod show;
pub mod storage;
pub mod translate;
pub mod types;
pub mod window;

pub use error::SqlError;
pub use flavour::Flavour;
pub use prepared::Prepared;
pub use server::{display_value, Outcome, Server, SessionId};
pub use types::Value;

#[cfg(test)]
mod tests;
