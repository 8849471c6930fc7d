//! One error type for the whole engine, worded at the edge the way each real server words it.
//!
//! The engine raises a [`SqlError`] that says *what* went wrong (a missing table, a duplicate
//! key, a blown step budget); [`SqlError::render`] says it in the flavour's words, with MySQL's
//! error number and SQLSTATE, or PostgreSQL's `ERROR:  ` prefix (two spaces, as psql prints it).
//!
//! Each text is written once, here: an error only one server raises (MySQL's `Failed to open
//! the referenced table`, PostgreSQL's `current transaction is aborted`) is worded in that
//! server's arm, and the other arm borrows it, as the engine raises it only for that flavour.

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
    /// A parent row still referenced: `table` is the parent, `child` the referencing table
    /// in `database` (MySQL names it with its database, PostgreSQL alone).
    ForeignKeyParent {
        table: String,
        database: String,
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
    /// A write on a read-only server (a read replica); names the statement.
    ReadOnly(String),
    /// The rows of a VALUES list differ in length.
    ValuesLength,
    /// The sides of a UNION / INTERSECT / EXCEPT (named in capitals) differ in width.
    SetOpColumns(String),
    /// `SELECT *` without FROM.
    NoTablesUsed,
    /// A window function outside the SELECT list or ORDER BY; names the function.
    WindowNotAllowed(String),
    /// An aggregate call in WHERE or inside another aggregate.
    AggregateNotAllowed,
    /// Arithmetic on values that are not numbers.
    NoSuchOperator,
    /// A text longer than its column's `VARCHAR(n)` / `CHAR(n)`.
    ValueTooLong(u32),
    /// `SQRT` of a negative number (PostgreSQL refuses; MySQL gives NULL).
    NegativeSqrt,
    /// A unit EXTRACT does not know.
    UnknownUnit(String),
    /// A negative LIMIT or OFFSET (`what` names which), with the value as text.
    NegativeCount {
        what: &'static str,
        value: String,
    },
    /// A recursive CTE that was still producing rows after 1001 iterations.
    RecursionLimit,
    /// More than one statement given to be prepared.
    MultipleCommands,
    /// A session that is not (or no longer) connected.
    ServerGone,
    /// A statement in a PostgreSQL transaction that already failed.
    TransactionAborted,
    /// SAVEPOINT outside a transaction.
    NoTransactionBlock,
    /// CREATE USER by a user who may not.
    CreateUserDenied,
    /// COMMIT of a transaction that lost a race with another session's write.
    SerializationFailure,
    /// SHOW of a setting PostgreSQL does not have.
    UnknownParameter(String),
    /// CREATE TABLE with no column.
    NoColumns,
    /// A column name twice: in CREATE TABLE (`table` is `None`) or added by ALTER TABLE.
    DuplicateColumn {
        column: String,
        table: Option<String>,
    },
    /// A foreign key naming a table that does not exist.
    NoReferencedTable {
        database: String,
        table: String,
    },
    /// CREATE TABLE ... AS SELECT producing a key twice.
    DuplicateEntry,
    /// DROP TABLE of a table that does not exist.
    UnknownTable {
        database: String,
        table: String,
    },
    /// DROP TABLE of a table another table's foreign key references.
    TableReferenced(String),
    /// ALTER TABLE ... DROP COLUMN of a column the table does not have.
    NoColumnToDrop {
        column: String,
        table: String,
    },
    /// ALTER TABLE ... DROP COLUMN of the table's only column.
    DropLastColumn,
    /// DROP DATABASE of a database that does not exist.
    DropNoSuchDatabase(String),
    /// DROP DATABASE of the database the session is connected to (PostgreSQL).
    DropOpenDatabase,
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
            NoSuchIndex { index: name, .. } | NoColumnToDrop { column: name, .. } => {
                (1091, "42000", format!("Can't DROP '{name}'; check that column/key exists"))
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
            ForeignKeyParent { database, child, constraint, .. } => (
                1451,
                "23000",
                format!("Cannot delete or update a parent row: a foreign key constraint fails (`{database}`.`{child}`, CONSTRAINT `{constraint}`)"),
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
            ReadOnly(_) => (
                1290,
                "HY000",
                "The MySQL server is running with the --read-only option so it cannot execute this statement".into(),
            ),
            ValuesLength => (1136, "21S01", "Column count doesn't match value count at row 2".into()),
            SetOpColumns(_) => (1222, "21000", "The used SELECT statements have a different number of columns".into()),
            NoTablesUsed => (1096, "HY000", "No tables used".into()),
            WindowNotAllowed(name) => {
                (3593, "HY000", format!("You cannot use the window function '{name}' in this context.'"))
            }
            AggregateNotAllowed => (1111, "HY000", "Invalid use of group function".into()),
            NoSuchOperator => (1690, "22003", self.postgres().0),
            ValueTooLong(_) => (1406, "22001", "Data too long for column at row 1".into()),
            NegativeSqrt => (0, "2201F", self.postgres().0),
            UnknownUnit(_) => (1525, "HY000", self.postgres().0),
            NegativeCount { .. } => (1210, "HY000", self.postgres().0),
            RecursionLimit => (
                3636,
                "HY000",
                "Recursive query aborted after 1001 iterations. Try increasing @@cte_max_recursion_depth to a larger value."
                    .into(),
            ),
            MultipleCommands => (1064, "42601", self.postgres().0),
            ServerGone => (2006, "HY000", "MySQL server has gone away".into()),
            TransactionAborted => (0, "25P02", self.postgres().0),
            NoTransactionBlock => (0, "25P01", self.postgres().0),
            CreateUserDenied => (
                1227,
                "42000",
                "Access denied; you need (at least one of) the CREATE USER privilege(s) for this operation".into(),
            ),
            SerializationFailure => {
                (1213, "40001", "Deadlock found when trying to get lock; try restarting transaction".into())
            }
            UnknownParameter(_) => (0, "42704", self.postgres().0),
            NoColumns => (1113, "42000", "A table must have at least 1 visible column.".into()),
            DuplicateColumn { column, table } => {
                (1060, if table.is_some() { "42701" } else { "42S21" }, format!("Duplicate column name '{column}'"))
            }
            NoReferencedTable { table, .. } => {
                (1824, "HY000", format!("Failed to open the referenced table '{table}'"))
            }
            DuplicateEntry => (1062, "23000", "Duplicate entry".into()),
            UnknownTable { database, table } => (1051, "42S02", format!("Unknown table '{database}.{table}'")),
            TableReferenced(t) => {
                (3730, "HY000", format!("Cannot drop table '{t}' referenced by a foreign key constraint"))
            }
            DropLastColumn => {
                (1090, "42000", "You can't delete all columns with ALTER TABLE; use DROP TABLE instead".into())
            }
            DropNoSuchDatabase(d) => (1008, "HY000", format!("Can't drop database '{d}'; database doesn't exist")),
            DropOpenDatabase => (0, "55006", self.postgres().0),
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
            NoSuchTable { table, .. } | NoReferencedTable { table, .. } => {
                plain(format!("relation \"{table}\" does not exist"))
            }
            NoSuchColumn { column, .. } => plain(format!("column \"{column}\" does not exist")),
            AmbiguousColumn { column, .. } => plain(format!("column reference \"{column}\" is ambiguous")),
            TableExists(t) => plain(format!("relation \"{t}\" already exists")),
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
            ForeignKeyParent { table, child, constraint, .. } => plain(format!(
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
            ReadOnly(command) => plain(format!("cannot execute {command} in a read-only transaction")),
            ValuesLength => plain("VALUES lists must all be the same length".into()),
            SetOpColumns(op) => plain(format!("each {op} query must have the same number of columns")),
            NoTablesUsed => plain("SELECT * with no tables specified is not valid".into()),
            WindowNotAllowed(_) => plain("window functions are not allowed in WHERE".into()),
            AggregateNotAllowed => plain("aggregate functions are not allowed in WHERE".into()),
            NoSuchOperator => plain("operator does not exist for these types".into()),
            ValueTooLong(n) => plain(format!("value too long for type character varying({n})")),
            NegativeSqrt => plain("cannot take square root of a negative number".into()),
            UnknownUnit(unit) => plain(format!("unit \"{unit}\" not recognized")),
            NegativeCount { what, value } => plain(format!("{what} must not be negative: {value}")),
            RecursionLimit => plain(self.mysql().2),
            MultipleCommands => plain("cannot insert multiple commands into a prepared statement".into()),
            ServerGone => plain(self.mysql().2),
            TransactionAborted => {
                plain("current transaction is aborted, commands ignored until end of transaction block".into())
            }
            NoTransactionBlock => plain("SAVEPOINT can only be used in transaction blocks".into()),
            CreateUserDenied => plain("permission denied to create role".into()),
            SerializationFailure => plain("could not serialize access due to concurrent update".into()),
            UnknownParameter(name) => plain(format!("unrecognized configuration parameter \"{name}\"")),
            NoColumns | DuplicateEntry | DropLastColumn => plain(self.mysql().2),
            DuplicateColumn { column, table: None } => plain(format!("column \"{column}\" specified more than once")),
            DuplicateColumn { column, table: Some(table) } => {
                plain(format!("column \"{column}\" of relation \"{table}\" already exists"))
            }
            UnknownTable { table, .. } => plain(format!("table \"{table}\" does not exist")),
            TableReferenced(t) => plain(format!("cannot drop table {t} because other objects depend on it")),
            NoColumnToDrop { column, table } => {
                plain(format!("column \"{column}\" of relation \"{table}\" does not exist"))
            }
            NoSuchDatabase(d) | DropNoSuchDatabase(d) => plain(format!("database \"{d}\" does not exist")),
            DropOpenDatabase => plain("cannot drop the currently open database".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The errors each raised by one statement kind, as the clients print them.
    #[test]
    fn named_errors_keep_each_servers_words() {
        let cases = [
            (
                SqlError::DuplicateColumn { column: "a".into(), table: None },
                "ERROR 1060 (42S21): Duplicate column name 'a'",
                "ERROR:  column \"a\" specified more than once",
            ),
            (
                SqlError::DuplicateColumn { column: "a".into(), table: Some("t".into()) },
                "ERROR 1060 (42701): Duplicate column name 'a'",
                "ERROR:  column \"a\" of relation \"t\" already exists",
            ),
            (
                SqlError::UnknownTable { database: "shop".into(), table: "t".into() },
                "ERROR 1051 (42S02): Unknown table 'shop.t'",
                "ERROR:  table \"t\" does not exist",
            ),
            (
                SqlError::NoColumnToDrop { column: "a".into(), table: "t".into() },
                "ERROR 1091 (42000): Can't DROP 'a'; check that column/key exists",
                "ERROR:  column \"a\" of relation \"t\" does not exist",
            ),
            (
                SqlError::NoReferencedTable { database: "shop".into(), table: "p".into() },
                "ERROR 1824 (HY000): Failed to open the referenced table 'p'",
                "ERROR:  relation \"p\" does not exist",
            ),
            (
                SqlError::DropNoSuchDatabase("d".into()),
                "ERROR 1008 (HY000): Can't drop database 'd'; database doesn't exist",
                "ERROR:  database \"d\" does not exist",
            ),
            (
                SqlError::SetOpColumns("UNION".into()),
                "ERROR 1222 (21000): The used SELECT statements have a different number of columns",
                "ERROR:  each UNION query must have the same number of columns",
            ),
            (
                SqlError::WindowNotAllowed("rank".into()),
                "ERROR 3593 (HY000): You cannot use the window function 'rank' in this context.'",
                "ERROR:  window functions are not allowed in WHERE",
            ),
            (
                SqlError::ReadOnly("INSERT".into()),
                "ERROR 1290 (HY000): The MySQL server is running with the --read-only option so it cannot execute this statement",
                "ERROR:  cannot execute INSERT in a read-only transaction",
            ),
            (
                SqlError::NegativeCount { what: "LIMIT", value: "-1".into() },
                "ERROR 1210 (HY000): LIMIT must not be negative: -1",
                "ERROR:  LIMIT must not be negative: -1",
            ),
            (
                SqlError::TransactionAborted,
                "ERROR 0 (25P02): current transaction is aborted, commands ignored until end of transaction block",
                "ERROR:  current transaction is aborted, commands ignored until end of transaction block",
            ),
            (SqlError::ServerGone, "ERROR 2006 (HY000): MySQL server has gone away", "ERROR:  MySQL server has gone away"),
        ];
        for (error, mysql, postgres) in cases {
            assert_eq!(error.render(Flavour::MySql), mysql, "{error:?}");
            assert_eq!(error.render(Flavour::Postgres), postgres, "{error:?}");
        }
    }
}
