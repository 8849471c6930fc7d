//! The engine's own small AST: what `translate` produces from sqlparser's and everything after
//! it works on. It names only what the engine implements, so the planner and executor never meet
//! syntax they cannot handle. Identifiers arrive already folded to the flavour's case rules.

use super::types::{DataType, Value};
use crate::engines::nesting::bounded_deserialize;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub enum Statement {
    /// A statement naming its tables as `database.table` (MySQL): it runs in that database,
    /// whatever the session's current one (or when there is none).
    InDatabase(String, Box<Statement>),
    Query(Query),
    Insert(Insert),
    Update(Update),
    Delete(Delete),
    CreateTable(CreateTable),
    DropTable {
        names: Vec<String>,
        if_exists: bool,
    },
    CreateIndex {
        name: String,
        table: String,
        columns: Vec<String>,
        unique: bool,
        if_not_exists: bool,
    },
    DropIndex {
        name: String,
        table: Option<String>,
        if_exists: bool,
    },
    AlterTable {
        table: String,
        op: AlterOp,
    },
    CreateView {
        name: String,
        columns: Vec<String>,
        query: Query,
        or_replace: bool,
        sql: String,
    },
    DropView {
        names: Vec<String>,
        if_exists: bool,
    },
    CreateDatabase {
        name: String,
        if_not_exists: bool,
    },
    DropDatabase {
        name: String,
        if_exists: bool,
    },
    Use(String),
    Begin,
    Commit,
    Rollback {
        savepoint: Option<String>,
    },
    Savepoint(String),
    Release(String),
    Explain(Box<Statement>),
    ShowDatabases,
    ShowTables,
    ShowColumns(String),
    ShowCreateTable(String),
    ShowIndex(String),
    CreateUser {
        name: String,
        password: String,
        if_not_exists: bool,
    },
    DropUser {
        name: String,
        if_exists: bool,
    },
    Grant {
        database: String,
        user: String,
    },
    Revoke {
        database: String,
        user: String,
    },
    /// `SET x = y` and other session settings that change nothing here.
    Noop,
}
bounded_deserialize!(Statement);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AlterOp {
    AddColumn(Box<ColumnDef>),
    DropColumn(String),
    RenameColumn { from: String, to: String },
    RenameTable(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateTable {
    pub name: String,
    pub if_not_exists: bool,
    pub columns: Vec<ColumnDef>,
    pub primary_key: Vec<String>,
    pub uniques: Vec<Vec<String>>,
    pub checks: Vec<Expr>,
    pub foreign_keys: Vec<ForeignKey>,
    pub as_query: Option<Query>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnDef {
    pub name: String,
    pub data_type: DataType,
    pub not_null: bool,
    pub default: Option<Expr>,
    pub auto_increment: bool,
    pub primary_key: bool,
    pub unique: bool,
    pub check: Option<Expr>,
    pub references: Option<ForeignKey>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub referred: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Insert {
    pub table: String,
    pub columns: Vec<String>,
    pub source: Query,
    pub on_conflict: OnConflict,
    pub returning: Vec<SelectItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum OnConflict {
    Error,
    /// `INSERT IGNORE` / `ON CONFLICT DO NOTHING`.
    Ignore,
    /// `ON DUPLICATE KEY UPDATE` / `ON CONFLICT ... DO UPDATE SET`.
    Update(Vec<(String, Expr)>),
    /// `REPLACE INTO`.
    Replace,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Update {
    pub table: String,
    pub alias: Option<String>,
    pub set: Vec<(String, Expr)>,
    pub filter: Option<Expr>,
    pub returning: Vec<SelectItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Delete {
    pub table: String,
    pub alias: Option<String>,
    pub filter: Option<Expr>,
    pub returning: Vec<SelectItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub ctes: Vec<Cte>,
    pub recursive: bool,
    pub body: SetExpr,
    pub order_by: Vec<OrderItem>,
    pub limit: Option<Expr>,
    pub offset: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cte {
    pub name: String,
    pub columns: Vec<String>,
    pub query: Query,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub enum SetExpr {
    Select(Box<Select>),
    Values(Vec<Vec<Expr>>),
    SetOp { op: SetOp, all: bool, left: Box<SetExpr>, right: Box<SetExpr> },
    Query(Box<Query>),
}
bounded_deserialize!(SetExpr);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SetOp {
    Union,
    Intersect,
    Except,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Select {
    pub distinct: bool,
    pub items: Vec<SelectItem>,
    pub from: Vec<FromItem>,
    pub filter: Option<Expr>,
    pub group_by: Vec<Expr>,
    pub having: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SelectItem {
    Wildcard,
    QualifiedWildcard(String),
    /// `text` is how the expression was written, the column's name when it has no alias in MySQL.
    Expr {
        expr: Expr,
        alias: Option<String>,
        text: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub enum FromItem {
    Table { name: String, alias: Option<String> },
    Derived { query: Box<Query>, alias: String, columns: Vec<String> },
    Join { left: Box<FromItem>, right: Box<FromItem>, kind: JoinKind, on: JoinOn },
}
bounded_deserialize!(FromItem);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinKind {
    Inner,
    Left,
    Right,
    Full,
    Cross,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum JoinOn {
    None,
    On(Expr),
    Using(Vec<String>),
    Natural,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderItem {
    pub expr: Expr,
    pub desc: bool,
    pub nulls_first: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// MySQL's `DIV`: integer division.
    IntDiv,
    Mod,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
    Concat,
    /// `<=>` and `IS NOT DISTINCT FROM`.
    NullSafeEq,
    IsDistinct,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnOp {
    Neg,
    Not,
    Plus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowSpec {
    pub partition_by: Vec<Expr>,
    pub order_by: Vec<OrderItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub enum Expr {
    Literal(Value),
    /// A prepared statement's parameter (`$1` in PostgreSQL, the n-th `?` in MySQL), 0-based.
    Param(usize),
    Column {
        table: Option<String>,
        name: String,
    },
    Unary {
        op: UnOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    /// `IS [NOT] TRUE / FALSE`.
    IsBool {
        expr: Box<Expr>,
        value: bool,
        negated: bool,
    },
    InList {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    InSubquery {
        expr: Box<Expr>,
        query: Box<Query>,
        negated: bool,
    },
    Exists {
        query: Box<Query>,
        negated: bool,
    },
    Subquery(Box<Query>),
    Between {
        expr: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
    },
    Like {
        expr: Box<Expr>,
        pattern: Box<Expr>,
        negated: bool,
        case_insensitive: bool,
        escape: Option<char>,
    },
    Case {
        operand: Option<Box<Expr>>,
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
    Cast {
        expr: Box<Expr>,
        to: DataType,
    },
    Function {
        name: String,
        args: Vec<Expr>,
        distinct: bool,
        star: bool,
        over: Option<WindowSpec>,
    },
}
bounded_deserialize!(Expr);

impl Statement {
    /// What a read-only server refuses, named as PostgreSQL names the command in its error
    /// ("cannot execute INSERT in a read-only transaction"); `None` for statements that change
    /// nothing stored (queries, SHOW, transaction control, session settings).
    pub fn write_command(&self) -> Option<&'static str> {
        Some(match self {
            Statement::Insert(_) => "INSERT",
            Statement::Update(_) => "UPDATE",
            Statement::Delete(_) => "DELETE",
            Statement::CreateTable(_) => "CREATE TABLE",
            Statement::DropTable { .. } => "DROP TABLE",
            Statement::CreateIndex { .. } => "CREATE INDEX",
            Statement::DropIndex { .. } => "DROP INDEX",
            Statement::AlterTable { .. } => "ALTER TABLE",
            Statement::CreateView { .. } => "CREATE VIEW",
            Statement::DropView { .. } => "DROP VIEW",
            Statement::CreateDatabase { .. } => "CREATE DATABASE",
            Statement::DropDatabase { .. } => "DROP DATABASE",
            Statement::CreateUser { .. } => "CREATE ROLE",
            Statement::DropUser { .. } => "DROP ROLE",
            Statement::Grant { .. } => "GRANT",
            Statement::Revoke { .. } => "REVOKE",
            Statement::Explain(inner) => return inner.write_command(),
            _ => return None,
        })
    }
}
