//! The two flavours a server can have, and the small differences that follow from the choice:
//! which sqlparser dialect reads the SQL, how identifiers fold, what `version()` says, how
//! values are shown. Error wording per flavour lives in `error.rs`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flavour {
    /// MySQL 8.0: backtick quoting, case-insensitive default collation, `/` always exact or float,
    /// `||` is OR, booleans are 1 and 0.
    MySql,
    /// PostgreSQL 16: double-quote quoting, unquoted names fold to lower case, `int / int` truncates,
    /// `||` concatenates, booleans print as t and f.
    Postgres,
}

impl Flavour {
    pub fn is_mysql(self) -> bool {
        self == Flavour::MySql
    }

    /// What `SELECT version()` returns.
    pub fn version(self) -> &'static str {
        match self {
            Flavour::MySql => "8.0.39",
            Flavour::Postgres => "PostgreSQL 16.4 on x86_64-pc-linux-gnu, compiled by gcc (GCC) 12.4.0, 64-bit",
        }
    }

    /// The database a fresh server has for its users (`postgres` / none for MySQL, whose
    /// clients start without one unless asked).
    pub fn default_database(self) -> &'static str {
        match self {
            Flavour::MySql => "mysql",
            Flavour::Postgres => "postgres",
        }
    }

    /// The superuser a fresh server has.
    pub fn admin_user(self) -> &'static str {
        match self {
            Flavour::MySql => "root",
            Flavour::Postgres => "postgres",
        }
    }

    /// Quotes an identifier the flavour's way.
    pub fn quote(self, name: &str) -> String {
        match self {
            Flavour::MySql => format!("`{}`", name.replace('`', "``")),
            Flavour::Postgres => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }
}
