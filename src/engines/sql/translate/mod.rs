//! The edge: SQL text in, the engine's own [`ast`](super::ast) out.
//!
//! This is the only module that knows sqlparser. It parses with the flavour's dialect and walks
//! sqlparser's large AST, keeping what the engine implements and turning everything else into
//! [`SqlError::Unsupported`] naming the clause. Identifiers are folded here, once: PostgreSQL folds
//! unquoted names to lower case and keeps quoted ones exact; MySQL compares names without regard
//! to case, so all its names are folded.
//!
//! A few administrative statements (SHOW, DESCRIBE, USE, CREATE USER, GRANT) are read by a small
//! recogniser of our own before sqlparser sees them: their shapes are simple and differ a lot
//! between the flavours.
//!
//! The walk is one [`Translator`] (the flavour, the depth so far), its methods by concern:
//! `statement` (DDL, INSERT, UPDATE, DELETE), `query` (SELECT, FROM, joins, set operations)
//! and `expr` (expressions and function calls).

mod expr;
mod query;
mod statement;

use super::ast::*;
use super::error::{unsupported, Result, SqlError};
use super::flavour::Flavour;
use sqlparser::ast as sp;
use sqlparser::ast::Spanned;
use sqlparser::dialect::{MySqlDialect, PostgreSqlDialect};
use sqlparser::parser::Parser;

/// The deepest bracket nesting accepted before parsing (the parser itself stops at 50 levels).
pub const MAX_NESTING: usize = 40;

/// The deepest the translated statement may nest: expressions within expressions, queries,
/// set operations and joins, counted together. A long chain (`a + b + c ...`, `x OR y OR ...`,
/// many joins) nests one level per term though it has no brackets. The bound keeps evaluation
/// well within the stack, and what the engine stores (views, defaults, checks) within what a
/// saved lab may hold when it is read back ([`crate::engines::nesting::MAX_SAVED_DEPTH`]).
pub const MAX_DEPTH: usize = 128;
const _: () = assert!(MAX_DEPTH < crate::engines::nesting::MAX_SAVED_DEPTH as usize);

/// Parses one or more `;`-separated statements.
pub fn parse(flavour: Flavour, sql: &str) -> Result<Vec<Statement>> {
    let mut depth = 0usize;
    for c in sql.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(SqlError::TooDeep);
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if let Some(st) = recognise_admin(flavour, sql)? {
        return Ok(vec![st]);
    }
    let parsed = match flavour {
        Flavour::MySql => Parser::parse_sql(&MySqlDialect {}, sql),
        Flavour::Postgres => Parser::parse_sql(&PostgreSqlDialect {}, sql),
    };
    let statements = parsed.map_err(|e| syntax_error(sql, &e.to_string()))?;
    let t = Translator {
        flavour,
        sql: sql.to_string(),
        next_param: std::cell::Cell::new(0),
        database: std::cell::RefCell::new(None),
        depth: std::cell::Cell::new(0),
    };
    statements
        .iter()
        .map(|s| {
            t.database.replace(None);
            let st = t.statement(s)?;
            Ok(match t.database.take() {
                Some(db) => Statement::InDatabase(db, Box::new(st)),
                None => st,
            })
        })
        .collect()
}

/// Builds the syntax error from sqlparser's "... at Line: 1, Column: 8" position.
fn syntax_error(sql: &str, message: &str) -> SqlError {
    if message.contains("recursion limit") {
        return SqlError::TooDeep;
    }
    let position = message.rfind("Line: ").and_then(|i| {
        let rest = &message[i + 6..];
        let mut parts = rest.split(", Column: ");
        let line: usize = parts.next()?.trim().parse().ok()?;
        let col: usize = parts.next()?.trim().trim_end_matches(|c: char| !c.is_ascii_digit()).parse().ok()?;
        Some((line, col))
    });
    let near = match position {
        Some((line, col)) => {
            let text = sql.lines().nth(line.saturating_sub(1)).unwrap_or("");
            let start: String = text.chars().skip(col.saturating_sub(1)).collect();
            let following: Vec<&str> = sql.lines().skip(line).collect();
            let mut near = start;
            if !following.is_empty() {
                near.push('\n');
                near.push_str(&following.join("\n"));
            }
            near.trim_end_matches([';', ' ', '\n']).to_string()
        }
        None => String::new(),
    };
    SqlError::Syntax { near }
}

fn words(sql: &str) -> Vec<String> {
    sql.trim().trim_end_matches(';').split_whitespace().map(|w| w.to_string()).collect()
}

fn unquote(s: &str) -> String {
    let s = s.trim_end_matches(';');
    let s = s.split('@').next().unwrap_or(s);
    s.trim_matches(|c| c == '\'' || c == '"' || c == '`').to_string()
}

/// SHOW, DESCRIBE, USE and user management, read word by word.
fn recognise_admin(flavour: Flavour, sql: &str) -> Result<Option<Statement>> {
    let first = sql.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
    if !matches!(first.as_str(), "SHOW" | "DESCRIBE" | "DESC" | "USE" | "CREATE" | "DROP" | "GRANT" | "REVOKE" | "SET")
    {
        return Ok(None);
    }
    let w = words(sql);
    let up: Vec<String> = w.iter().map(|s| s.to_ascii_uppercase()).collect();
    let up: Vec<&str> = up.iter().map(|s| s.as_str()).collect();
    let name = |i: usize| -> Result<String> {
        match w.get(i) {
            Some(n) => Ok(fold_plain(flavour, &unquote(n))),
            None => Err(SqlError::Syntax { near: String::new() }),
        }
    };
    let st = match up.as_slice() {
        ["SHOW", "DATABASES"] | ["SHOW", "SCHEMAS"] => Statement::ShowDatabases,
        ["SHOW", "TABLES"] | ["SHOW", "FULL", "TABLES"] => Statement::ShowTables,
        ["SHOW", "COLUMNS", "FROM" | "IN", ..] | ["SHOW", "FIELDS", "FROM" | "IN", ..] => {
            Statement::ShowColumns(name(3)?)
        }
        ["SHOW", "FULL", "COLUMNS", "FROM" | "IN", ..] => Statement::ShowColumns(name(4)?),
        ["SHOW", "CREATE", "TABLE", ..] => Statement::ShowCreateTable(name(3)?),
        ["SHOW", "INDEX" | "INDEXES" | "KEYS", "FROM" | "IN", ..] => Statement::ShowIndex(name(3)?),
        ["DESCRIBE" | "DESC", _] => Statement::ShowColumns(name(1)?),
        ["USE", _] => Statement::Use(name(1)?),
        ["CREATE", "USER", rest @ ..] => {
            let (if_not_exists, at) = if rest.starts_with(&["IF", "NOT", "EXISTS"]) { (true, 5) } else { (false, 2) };
            let user = name(at)?;
            let password = sql_password(sql).unwrap_or_default();
            Statement::CreateUser { name: user, password, if_not_exists }
        }
        ["DROP", "USER", "IF", "EXISTS", _] => Statement::DropUser { name: name(4)?, if_exists: true },
        ["DROP", "USER", _] => Statement::DropUser { name: name(2)?, if_exists: false },
        ["GRANT", ..] | ["REVOKE", ..] => {
            let on = up.iter().position(|x| *x == "ON").ok_or(SqlError::Syntax { near: sql.to_string() })?;
            let to =
                up.iter().position(|x| *x == "TO" || *x == "FROM").ok_or(SqlError::Syntax { near: sql.to_string() })?;
            let mut target = w.get(on + 1).cloned().unwrap_or_default();
            if target.eq_ignore_ascii_case("DATABASE") || target.eq_ignore_ascii_case("TABLE") {
                target = w.get(on + 2).cloned().unwrap_or_default();
            }
            let database = fold_plain(flavour, &unquote(target.split('.').next().unwrap_or("")));
            let user = name(to + 1)?;
            if up[0] == "GRANT" {
                Statement::Grant { database, user }
            } else {
                Statement::Revoke { database, user }
            }
        }
        ["SET", ..] => Statement::Noop,
        _ => return Ok(None),
    };
    Ok(Some(st))
}

/// The password of `IDENTIFIED BY 'pw'` or `WITH PASSWORD 'pw'`.
fn sql_password(sql: &str) -> Option<String> {
    let upper = sql.to_ascii_uppercase();
    let at = upper.find("IDENTIFIED BY").map(|i| i + 13).or_else(|| upper.find("PASSWORD").map(|i| i + 8))?;
    let rest = sql.get(at..)?.trim_start();
    let quote = rest.chars().next()?;
    let body = rest.get(1..)?;
    let end = body.find(quote)?;
    Some(body[..end].to_string())
}

fn fold_plain(flavour: Flavour, name: &str) -> String {
    match flavour {
        Flavour::MySql => name.to_lowercase(),
        Flavour::Postgres => name.to_lowercase(),
    }
}

struct Translator {
    flavour: Flavour,
    /// The text parsed, for naming unaliased columns as MySQL does: by the text as typed.
    sql: String,
    /// MySQL's `?` placeholders are numbered in the order they appear.
    next_param: std::cell::Cell<usize>,
    /// The database a MySQL statement names (`shop` in `shop.orders`), the first one met.
    database: std::cell::RefCell<Option<String>>,
    /// How deep the translation is now ([`MAX_DEPTH`]).
    depth: std::cell::Cell<usize>,
}

impl Translator {
    /// The source text of an expression (from its span), or sqlparser's rendering of it.
    pub(super) fn source_text(&self, e: &sp::Expr) -> String {
        let span = e.span();
        let (start, end) = (span.start, span.end);
        if start.line == 0 || end.line == 0 {
            return e.to_string();
        }
        let offset = |line: u64, column: u64| -> Option<usize> {
            let mut at = 0usize;
            for (n, l) in self.sql.split_inclusive('\n').enumerate() {
                if n as u64 + 1 == line {
                    let chars: usize = l.chars().take(column.saturating_sub(1) as usize).map(char::len_utf8).sum();
                    return Some(at + chars);
                }
                at += l.len();
            }
            None
        };
        match (offset(start.line, start.column), offset(end.line, end.column)) {
            (Some(mut a), Some(mut b)) if a < b => {
                // Spans stop at the last child, so the brackets around them are added back.
                let bytes = self.sql.as_bytes();
                let balance = |a: usize, b: usize| {
                    let t = &bytes[a..b];
                    t.iter().filter(|&&c| c == b'(').count() as i64 - t.iter().filter(|&&c| c == b')').count() as i64
                };
                while b < bytes.len() && balance(a, b) > 0 && bytes[b] == b')' {
                    b += 1;
                }
                // `version()` and `COUNT(*)`: the span ends at the name; take the argument list.
                if matches!(e, sp::Expr::Function(_)) && !self.sql[a..b].ends_with(')') {
                    let mut k = b;
                    while k < bytes.len() && bytes[k] == b' ' {
                        k += 1;
                    }
                    if k < bytes.len() && bytes[k] == b'(' {
                        if let Some(close) = self.sql[k..].find(')') {
                            b = k + close + 1;
                        }
                    }
                }
                while a > 0 && balance(a, b) < 0 && bytes[a - 1] == b'(' {
                    a -= 1;
                }
                self.sql.get(a..b).map(|t| t.to_string()).unwrap_or_else(|| e.to_string())
            }
            _ => e.to_string(),
        }
    }

    pub(super) fn ident(&self, id: &sp::Ident) -> String {
        match (self.flavour, id.quote_style) {
            (Flavour::Postgres, Some(_)) => id.value.clone(),
            _ => id.value.to_lowercase(),
        }
    }

    /// The last part of a possibly qualified name (`shop.orders` → `orders`; PostgreSQL's
    /// schemas are not separate namespaces here, `public.t` is `t`; a MySQL database named this
    /// way is remembered, and the statement runs in it).
    pub(super) fn object_name(&self, name: &sp::ObjectName) -> Result<String> {
        // MySQL's databases are its schemas: `shop.orders` is table `orders` of database `shop`.
        if let (Flavour::MySql, [sp::ObjectNamePart::Identifier(db), _]) = (self.flavour, name.0.as_slice()) {
            let db = self.ident(db);
            if db != "information_schema" && self.database.borrow().is_none() {
                self.database.replace(Some(db));
            }
        }
        match name.0.last() {
            Some(sp::ObjectNamePart::Identifier(id)) => Ok(self.ident(id)),
            _ => unsupported("this kind of object name"),
        }
    }
}
