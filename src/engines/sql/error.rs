//! One error type for the whole engine, worded at the edge the way each real server words it.
//!
//! The engine raises a [`SqlError`] that says *what* went wrong (a missing table, a duplicate
//! key, a blown step budget); [`SqlError::render`] says it in the flavour's words, with MySQL's
//! error number and SQLSTATE, or PostgreSQL's `ERROR:  ` prefix (two spaces, as psql prints it).

use super::flavour::Flavour;

pub type Result<T> = std::result::Result<T, SqlError>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SqlError {
    /// The text could not be parsed; `near` is the text from the failing token on.
    Syntax {
        near: String,
    },
    /// Parsed, but uses something this engine does not implement; names the clause.
    Unsupported(String),
    NoSuchTable {
        database: String,
        table: String,
    },
    NoSuchColumn {
        column: String,
        clause: &'static str,
    },
    AmbiguousColumn {
        column: String,
        clause: &'static str,
    },
    TableExists(String),
    NoSuchDatabase(String),
    DatabaseExists(String),
    NoDatabaseSelected,
    NoSuchIndex {
        index: String,
        table: String,
    },
    IndexExists(String),
    NoSuchFunction(String),
    DuplicateKey {
        value: String,
        key: String,
        table: String,
        columns: String,
    },
    NotNull {
        column: String,
        table: String,
    },
    CheckViolated {
        constraint: String,
        table: String,
    },
    ForeignKeyChild {
        table: String,
        constraint: String,
        detail: String,
    },
    ForeignKeyParent {
        table: String,
        child: String,
        constraint: String,
    },
    DivisionByZero,
    InvalidValue {
        type_name: String,
        value: String,
    },
    OutOfRange(String),
    SubqueryRows,
    SubqueryColumns,
    ColumnCount,
    NoSuchSavepoint(String),
    /// The statement used up its step budget.
    Timeout,
    /// The server's memory quota is full.
    TableFull(String),
    /// Expressions or subqueries nested too deeply.
    TooDeep,
    /// A prepared statement ran without a value for its n-th parameter (1-based).
    MissingParameter(usize),
    AccessDenied {
        user: String,
        /// The address the client connected from, as the server saw it (`localhost` locally).
        host: String,
        password: bool,
    },
    DatabaseAccessDenied {
        user: String,
        database: String,
    },
    UserExists(String),
    NoSuchUser(String),
    /// Anything else: MySQL code, SQLSTATE, message.
    Other {
        code: u16,
        state: &'static str,
        message: String,
    },
}

impl SqlError {
    /// A write on a read-only server (a read replica), in each flavour's words.
    pub fn read_only(flavour: Flavour, command: &str) -> SqlError {
        if flavour.is_mysql() {
            SqlError::Other {
                code: 1290,
                state: "HY000",
                message: "The MySQL server is running with the --read-only option so it cannot execute this statement"
                    .into(),
            }
        } else {
            SqlError::Other {
                code: 1290,
                state: "25006",
                message: format!("cannot execute {command} in a read-only transaction"),
            }
        }
    }
}

/// Shorthand for an "unsupported" error naming the clause.
pub fn unsupported<T>(clause: impl Into<String>) -> Result<T> {
    Err(SqlError::Unsupported(clause.into()))
}

impl SqlError {
    /// The error as the flavour's client prints it (one line, or two for PostgreSQL's DETAIL).
    pub fn render(&self, flavour: Flavour) -> String {
        match flavour {
            Flavour::MySql => {
                let (code, state, msg) = self.mysql();
                format!("ERROR {code} ({state}): {msg}")
            }
            Flavour::Postgres => {
                let (msg, detail) = self.postgres();
                match detail {
                    Some(d) => format!("ERROR:  {msg}\nDETAIL:  {d}"),
                    None => format!("ERROR:  {msg}"),
                }
            }
        }
    }

    fn mysql(&self) -> (u16, &'static str, String) {
        use SqlError::*;
        match self {
            Syntax { near } => (
                1064,
                "42000",
                format!(
                    "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '{near}' at line 1"
                ),
            ),
            Unsupported(what) => (1235, "42000", format!("This version of MySQL doesn't yet support '{what}'")),
            NoSuchTable { database, table } => (1146, "42S02", format!("Table '{database}.{table}' doesn't exist")),
            NoSuchColumn { column, clause } => (1054, "42S22", format!("Unknown column '{column}' in '{clause}'")),
            AmbiguousColumn { column, clause } => (1052, "23000", format!("Column '{column}' in {clause} is ambiguous")),
            TableExists(t) => (1050, "42S01", format!("Table '{t}' already exists")),
            NoSuchDatabase(d) => (1049, "42000", format!("Unknown database '{d}'")),
            DatabaseExists(d) => (1007, "HY000", format!("Can't create database '{d}'; database exists")),
            NoDatabaseSelected => (1046, "3D000", "No database selected".into()),
            NoSuchIndex { index, .. } => {
                (1091, "42000", format!("Can't DROP '{index}'; check that column/key exists"))
            }
            IndexExists(i) => (1061, "42000", format!("Duplicate key name '{i}'")),
            NoSuchFunction(f) => (1305, "42000", format!("FUNCTION {f} does not exist")),
            DuplicateKey { value, key, table, .. } => {
                (1062, "23000", format!("Duplicate entry '{value}' for key '{table}.{key}'"))
            }
            NotNull { column, .. } => (1048, "23000", format!("Column '{column}' cannot be null")),
            CheckViolated { constraint, .. } => (3819, "HY000", format!("Check constraint '{constraint}' is violated.")),
            ForeignKeyChild { detail, .. } => (
                1452,
                "23000",
                format!("Cannot add or update a child row: a foreign key constraint fails ({detail})"),
            ),
            ForeignKeyParent { child, constraint, .. } => (
                1451,
                "23000",
                format!("Cannot delete or update a parent row: a foreign key constraint fails (`{child}`, CONSTRAINT `{constraint}`)"),
            ),
            DivisionByZero => (1365, "22012", "Division by 0".into()),
            InvalidValue { type_name, value } => {
                (1366, "HY000", format!("Incorrect {type_name} value: '{value}' for column at row 1"))
            }
            OutOfRange(what) => (1264, "22003", format!("Out of range value for column '{what}' at row 1")),
            SubqueryRows => (1242, "21000", "Subquery returns more than 1 row".into()),
            SubqueryColumns => (1241, "21000", "Operand should contain 1 column(s)".into()),
            ColumnCount => (1136, "21S01", "Column count doesn't match value count at row 1".into()),
            NoSuchSavepoint(s) => (1305, "42000", format!("SAVEPOINT {s} does not exist")),
            Timeout => (
                3024,
                "HY000",
                "Query execution was interrupted, maximum statement execution time exceeded".into(),
            ),
            TableFull(t) => (1114, "HY000", format!("The table '{t}' is full")),
            TooDeep => (1436, "HY000", "Thread stack overrun: expression or subquery nesting is too deep".into()),
            MissingParameter(_) => (1210, "HY000", "Incorrect arguments to mysqld_stmt_execute".into()),
            AccessDenied { user, host, password } => (
                1045,
                "28000",
                format!("Access denied for user '{user}'@'{host}' (using password: {})", if *password { "YES" } else { "NO" }),
            ),
            DatabaseAccessDenied { user, database } => {
                (1044, "42000", format!("Access denied for user '{user}'@'%' to database '{database}'"))
            }
            UserExists(u) => (1396, "HY000", format!("Operation CREATE USER failed for '{u}'@'%'")),
            NoSuchUser(u) => (1396, "HY000", format!("Operation DROP USER failed for '{u}'@'%'")),
            Other { code, state, message } => (*code, state, message.clone()),
        }
    }

    fn postgres(&self) -> (String, Option<String>) {
        use SqlError::*;
        let plain = |s: String| (s, None);
        match self {
            Syntax { near } => {
                let token: String = near.split_whitespace().next().unwrap_or("").to_string();
                if token.is_empty() {
                    plain("syntax error at end of input".into())
                } else {
                    plain(format!("syntax error at or near \"{token}\""))
                }
            }
            Unsupported(what) => plain(format!("{what} is not supported")),
            NoSuchTable { table, .. } => plain(format!("relation \"{table}\" does not exist")),
            NoSuchColumn { column, .. } => plain(format!("column \"{column}\" does not exist")),
            AmbiguousColumn { column, .. } => plain(format!("column reference \"{column}\" is ambiguous")),
            TableExists(t) => plain(format!("relation \"{t}\" already exists")),
            NoSuchDatabase(d) => plain(format!("database \"{d}\" does not exist")),
            DatabaseExists(d) => plain(format!("database \"{d}\" already exists")),
            NoDatabaseSelected => plain("no database selected".into()),
            NoSuchIndex { index, .. } => plain(format!("index \"{index}\" does not exist")),
            IndexExists(i) => plain(format!("relation \"{i}\" already exists")),
            NoSuchFunction(f) => (
                format!("function {f} does not exist"),
                None,
            ),
            DuplicateKey { value, key, columns, .. } => (
                format!("duplicate key value violates unique constraint \"{key}\""),
                Some(format!("Key ({columns})=({value}) already exists.")),
            ),
            NotNull { column, table } => {
                plain(format!("null value in column \"{column}\" of relation \"{table}\" violates not-null constraint"))
            }
            CheckViolated { constraint, table } => {
                plain(format!("new row for relation \"{table}\" violates check constraint \"{constraint}\""))
            }
            ForeignKeyChild { table, constraint, .. } => {
                plain(format!("insert or update on table \"{table}\" violates foreign key constraint \"{constraint}\""))
            }
            ForeignKeyParent { table, child, constraint } => plain(format!(
                "update or delete on table \"{table}\" violates foreign key constraint \"{constraint}\" on table \"{child}\""
            )),
            DivisionByZero => plain("division by zero".into()),
            InvalidValue { type_name, value } => plain(format!("invalid input syntax for type {type_name}: \"{value}\"")),
            OutOfRange(what) => plain(format!("{what} out of range")),
            SubqueryRows => plain("more than one row returned by a subquery used as an expression".into()),
            SubqueryColumns => plain("subquery must return only one column".into()),
            ColumnCount => plain("INSERT has more expressions than target columns".into()),
            NoSuchSavepoint(s) => plain(format!("savepoint \"{s}\" does not exist")),
            Timeout => plain("canceling statement due to statement timeout".into()),
            TableFull(_) => plain("could not extend file: No space left on device".into()),
            TooDeep => plain("stack depth limit exceeded".into()),
            MissingParameter(n) => plain(format!("there is no parameter ${n}")),
            AccessDenied { user, .. } => plain(format!("password authentication failed for user \"{user}\"")),
            DatabaseAccessDenied { database, .. } => plain(format!("permission denied for database {database}")),
            UserExists(u) => plain(format!("role \"{u}\" already exists")),
            NoSuchUser(u) => plain(format!("role \"{u}\" does not exist")),
            Other { message, .. } => plain(message.clone()),
        }
    }
}
