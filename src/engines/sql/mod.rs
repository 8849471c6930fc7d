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
//! Modules, bottom up, and where to look for a clause or a function:
//!
//! ```text
//!   types, flavour     values, an exact decimal, dates; the two servers' differences
//!   error              every error, worded per server (each text defined once)
//!   ast, translate/    the engine's AST; translate (the only user of sqlparser): statement
//!                      (DDL, INSERT, UPDATE, DELETE), query (SELECT, FROM, joins), expr
//!   index, storage     B-tree indexes; tables, rows and the changes they record
//!   eval, func         expressions over a row (operators, LIKE, CAST); built-in functions
//!   plan/              bind (names, SELECT lists, GROUP BY, ORDER BY), join (FROM, JOIN ... ON,
//!                      join order), access (index choice)
//!   run, hash_join     the executor: CTEs, scans, joins, DISTINCT, ORDER BY, LIMIT, UNION
//!   aggregate, window  GROUP BY and aggregate functions; window functions (OVER)
//!   dml, ddl           INSERT, UPDATE, DELETE; CREATE, ALTER, DROP (one function per statement)
//!   show               SHOW, DESCRIBE, EXPLAIN, information_schema
//!   log, prepared      the commit log; statements parsed and planned once
//!   server             sessions, users, transactions, savepoints
//! ```

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
