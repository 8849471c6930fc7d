//! Prepared statements: parse once, plan once, run many times with new parameter values.
//!
//! ```text
//!  Server::prepare("SELECT name FROM t WHERE id = $1")   parse + translate, once
//!        │
//!        ▼
//!  Prepared { statement, plan: None }
//!        │ Server::execute_prepared(.., &[Value::Int(7)])
//!        ▼
//!  plan made on the first run and kept ── reused while the catalog's schema number and the
//!        │                                 session's database are the ones it was made for
//!        ▼
//!  executor reads $1 from the parameter values
//! ```
//!
//! This is what a real server does for `PREPARE` / the extended query protocol (PostgreSQL) and
//! `COM_STMT_PREPARE` (MySQL): the parse and plan costs are paid once, not per execution. A plan
//! stays valid as long as the schema does: any CREATE / ALTER / DROP gives the catalog a new
//! schema number ([`Catalog::schema_id`]), and the next run plans again.
//!
//! Parameters are written `$1`, `$2`, ... in PostgreSQL and `?` in MySQL (numbered left to right).

use super::ast::Statement;
use super::dml::InsertPlan;
use super::plan::QueryPlan;
use super::storage::Catalog;

/// A statement parsed once, with the plan of its last run.
pub struct Prepared {
    pub(super) statement: Statement,
    pub(super) plan: Option<CachedPlan>,
}

/// A plan and what it was made for.
pub struct CachedPlan {
    schema: u64,
    database: String,
    pub(super) plan: PlanKind,
}

pub enum PlanKind {
    Query(QueryPlan),
    Insert(Box<InsertPlan>),
}

impl Prepared {
    pub(super) fn new(statement: Statement) -> Prepared {
        Prepared { statement, plan: None }
    }
}

impl CachedPlan {
    pub(super) fn new(catalog: &Catalog, database: &str, plan: PlanKind) -> CachedPlan {
        CachedPlan { schema: catalog.schema_id(), database: database.to_string(), plan }
    }

    /// Whether the plan still fits: same schema, same current database.
    pub(super) fn fits(&self, catalog: &Catalog, database: &str) -> bool {
        self.schema == catalog.schema_id() && self.database == database
    }
}
