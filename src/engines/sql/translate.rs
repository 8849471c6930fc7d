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

use super::ast::*;
use super::error::{unsupported, Result, SqlError};
use super::flavour::Flavour;
use super::types::{DataType, Decimal, Value};
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
    fn source_text(&self, e: &sp::Expr) -> String {
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

    fn ident(&self, id: &sp::Ident) -> String {
        match (self.flavour, id.quote_style) {
            (Flavour::Postgres, Some(_)) => id.value.clone(),
            _ => id.value.to_lowercase(),
        }
    }

    /// The last part of a possibly qualified name (`shop.orders` → `orders`; PostgreSQL's
    /// schemas are not separate namespaces here, `public.t` is `t`; a MySQL database named this
    /// way is remembered, and the statement runs in it).
    fn object_name(&self, name: &sp::ObjectName) -> Result<String> {
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

    fn statement(&self, st: &sp::Statement) -> Result<Statement> {
        use sp::Statement as S;
        Ok(match st {
            S::Query(q) => Statement::Query(self.query(q)?),
            S::Insert(ins) => self.insert(ins)?,
            S::Update(u) => self.update(u)?,
            S::Delete(d) => self.delete(d)?,
            S::CreateTable(ct) => self.create_table(ct)?,
            S::CreateIndex(ci) => {
                let table = self.object_name(&ci.table_name)?;
                let columns = ci
                    .columns
                    .iter()
                    .map(|c| match &c.column.expr {
                        sp::Expr::Identifier(id) => Ok(self.ident(id)),
                        _ => unsupported("index on an expression"),
                    })
                    .collect::<Result<Vec<_>>>()?;
                let name = match &ci.name {
                    Some(n) => self.object_name(n)?,
                    None => format!("{}_{}_idx", table, columns.join("_")),
                };
                Statement::CreateIndex { name, table, columns, unique: ci.unique, if_not_exists: ci.if_not_exists }
            }
            S::Drop { object_type, if_exists, names, table, .. } => {
                let names = names.iter().map(|n| self.object_name(n)).collect::<Result<Vec<_>>>()?;
                match object_type {
                    sp::ObjectType::Table => Statement::DropTable { names, if_exists: *if_exists },
                    sp::ObjectType::View => Statement::DropView { names, if_exists: *if_exists },
                    sp::ObjectType::Index => Statement::DropIndex {
                        name: names.into_iter().next().unwrap_or_default(),
                        table: table.as_ref().map(|t| self.object_name(t)).transpose()?,
                        if_exists: *if_exists,
                    },
                    sp::ObjectType::Database | sp::ObjectType::Schema => Statement::DropDatabase {
                        name: names.into_iter().next().unwrap_or_default(),
                        if_exists: *if_exists,
                    },
                    other => return unsupported(format!("DROP {other}")),
                }
            }
            S::CreateView(v) => Statement::CreateView {
                name: self.object_name(&v.name)?,
                columns: v.columns.iter().map(|c| self.ident(&c.name)).collect(),
                query: self.query(&v.query)?,
                or_replace: v.or_replace,
                sql: v.query.to_string(),
            },
            S::CreateDatabase { db_name, if_not_exists, .. } => {
                Statement::CreateDatabase { name: self.object_name(db_name)?, if_not_exists: *if_not_exists }
            }
            S::CreateSchema { schema_name, if_not_exists, .. } => {
                let name = schema_name.to_string().trim_matches('"').to_lowercase();
                Statement::CreateDatabase { name, if_not_exists: *if_not_exists }
            }
            S::AlterTable(at) => self.alter_table(at)?,
            S::StartTransaction { .. } => Statement::Begin,
            S::Commit { .. } => Statement::Commit,
            S::Rollback { savepoint, .. } => {
                Statement::Rollback { savepoint: savepoint.as_ref().map(|s| self.ident(s)) }
            }
            S::Savepoint { name } => Statement::Savepoint(self.ident(name)),
            S::ReleaseSavepoint { name } => Statement::Release(self.ident(name)),
            S::Explain { statement, .. } => Statement::Explain(Box::new(self.statement(statement)?)),
            S::ExplainTable { table_name, .. } => Statement::ShowColumns(self.object_name(table_name)?),
            S::Set(_) => Statement::Noop,
            other => {
                let text = other.to_string();
                let head: Vec<&str> = text.split_whitespace().take(2).collect();
                return unsupported(head.join(" "));
            }
        })
    }

    fn alter_table(&self, at: &sp::AlterTable) -> Result<Statement> {
        let table = self.object_name(&at.name)?;
        let [op] = at.operations.as_slice() else { return unsupported("ALTER TABLE with several operations") };
        let op = match op {
            sp::AlterTableOperation::AddColumn { column_def, .. } => {
                AlterOp::AddColumn(Box::new(self.column_def(column_def)?))
            }
            sp::AlterTableOperation::DropColumn { column_names, .. } => match column_names.as_slice() {
                [one] => AlterOp::DropColumn(self.ident(one)),
                _ => return unsupported("ALTER TABLE DROP COLUMN with several columns"),
            },
            sp::AlterTableOperation::RenameColumn { old_column_name, new_column_name } => {
                AlterOp::RenameColumn { from: self.ident(old_column_name), to: self.ident(new_column_name) }
            }
            sp::AlterTableOperation::RenameTable { table_name } => {
                let text = table_name.to_string();
                let last = text.split_whitespace().last().unwrap_or("").trim_matches(|c| c == '`' || c == '"');
                AlterOp::RenameTable(last.to_lowercase())
            }
            other => {
                let text = other.to_string();
                return unsupported(format!("ALTER TABLE {}", text.split_whitespace().next().unwrap_or("")));
            }
        };
        Ok(Statement::AlterTable { table, op })
    }

    fn data_type(&self, dt: &sp::DataType) -> Result<(DataType, bool)> {
        let text = dt.to_string().to_uppercase();
        let (base, args) = match text.find('(') {
            Some(i) => (text[..i].trim().to_string(), text[i + 1..].trim_end_matches(')').to_string()),
            None => (text.trim().to_string(), String::new()),
        };
        let nums: Vec<u32> = args.split(',').filter_map(|a| a.trim().parse().ok()).collect();
        let first = nums.first().copied();
        let base = base.trim_end_matches(" UNSIGNED").trim_end_matches(" SIGNED").to_string();
        Ok(match base.as_str() {
            "SERIAL" => (DataType::Int, true),
            "BIGSERIAL" => (DataType::BigInt, true),
            "SMALLSERIAL" => (DataType::SmallInt, true),
            "INT" | "INTEGER" | "INT4" | "MEDIUMINT" => (DataType::Int, false),
            "BIGINT" | "INT8" => (DataType::BigInt, false),
            "SMALLINT" | "INT2" | "TINYINT" => (DataType::SmallInt, false),
            "DECIMAL" | "NUMERIC" | "DEC" => {
                let p = first.unwrap_or(if self.flavour.is_mysql() { 10 } else { 38 }).min(38) as u8;
                let s = nums.get(1).copied().unwrap_or(0).min(30) as u8;
                (DataType::Decimal(p, s), false)
            }
            "REAL" | "FLOAT4" => (DataType::Real, false),
            "FLOAT" => (if first.unwrap_or(0) > 24 { DataType::Double } else { DataType::Real }, false),
            "DOUBLE" | "DOUBLE PRECISION" | "FLOAT8" => (DataType::Double, false),
            "VARCHAR" | "CHARACTER VARYING" | "NVARCHAR" | "VARCHAR2" => (DataType::Varchar(first), false),
            "CHAR" | "CHARACTER" | "NCHAR" => (DataType::Char(first), false),
            "TEXT" | "MEDIUMTEXT" | "LONGTEXT" | "TINYTEXT" | "STRING" | "CLOB" => (DataType::Text, false),
            "BOOLEAN" | "BOOL" => (DataType::Boolean, false),
            "DATE" => (DataType::Date, false),
            "TIME" => (DataType::Time, false),
            "TIMESTAMP" | "TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE" | "TIMESTAMP WITHOUT TIME ZONE" => {
                (DataType::Timestamp, false)
            }
            "DATETIME" => (DataType::DateTime, false),
            "JSON" | "JSONB" => (DataType::Json, false),
            _ if base.starts_with("TIMESTAMP") => (DataType::Timestamp, false),
            _ if base.starts_with("TIME") => (DataType::Time, false),
            _ => return unsupported(format!("type {base}")),
        })
    }

    fn column_def(&self, c: &sp::ColumnDef) -> Result<ColumnDef> {
        let (data_type, serial) = self.data_type(&c.data_type)?;
        let name = self.ident(&c.name);
        let mut col = ColumnDef {
            name: name.clone(),
            data_type,
            not_null: serial,
            default: None,
            auto_increment: serial,
            primary_key: false,
            unique: false,
            check: None,
            references: None,
        };
        for opt in &c.options {
            match &opt.option {
                sp::ColumnOption::Null => col.not_null = false,
                sp::ColumnOption::NotNull => col.not_null = true,
                sp::ColumnOption::Default(e) => col.default = Some(self.expr(e)?),
                sp::ColumnOption::PrimaryKey(_) => {
                    col.primary_key = true;
                    col.not_null = true
                }
                sp::ColumnOption::Unique(_) => col.unique = true,
                sp::ColumnOption::Check(ch) => col.check = Some(self.expr(&ch.expr)?),
                sp::ColumnOption::ForeignKey(fk) => {
                    col.references = Some(ForeignKey {
                        columns: vec![name.clone()],
                        table: self.object_name(&fk.foreign_table)?,
                        referred: fk.referred_columns.iter().map(|i| self.ident(i)).collect(),
                    })
                }
                sp::ColumnOption::Generated { .. } | sp::ColumnOption::Identity(_) => {
                    col.auto_increment = true;
                    col.not_null = true;
                }
                sp::ColumnOption::DialectSpecific(tokens) => {
                    let text: String = tokens.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" ");
                    if text.to_uppercase().contains("AUTO_INCREMENT") {
                        col.auto_increment = true;
                        col.not_null = true;
                    }
                }
                sp::ColumnOption::CharacterSet(_) | sp::ColumnOption::Collation(_) | sp::ColumnOption::Comment(_) => {}
                sp::ColumnOption::OnUpdate(_) => {}
                other => return unsupported(format!("column option {other}")),
            }
        }
        Ok(col)
    }

    fn index_columns(&self, cols: &[sp::IndexColumn]) -> Result<Vec<String>> {
        cols.iter()
            .map(|c| match &c.column.expr {
                sp::Expr::Identifier(id) => Ok(self.ident(id)),
                _ => unsupported("key on an expression"),
            })
            .collect()
    }

    fn create_table(&self, ct: &sp::CreateTable) -> Result<Statement> {
        let name = self.object_name(&ct.name)?;
        let columns = ct.columns.iter().map(|c| self.column_def(c)).collect::<Result<Vec<_>>>()?;
        let mut out = CreateTable {
            name,
            if_not_exists: ct.if_not_exists,
            primary_key: columns.iter().filter(|c| c.primary_key).map(|c| c.name.clone()).collect(),
            uniques: columns.iter().filter(|c| c.unique).map(|c| vec![c.name.clone()]).collect(),
            checks: Vec::new(),
            foreign_keys: columns.iter().filter_map(|c| c.references.clone()).collect(),
            columns,
            as_query: ct.query.as_ref().map(|q| self.query(q)).transpose()?,
        };
        for c in &ct.constraints {
            match c {
                sp::TableConstraint::PrimaryKey(pk) => out.primary_key = self.index_columns(&pk.columns)?,
                sp::TableConstraint::Unique(u) => out.uniques.push(self.index_columns(&u.columns)?),
                sp::TableConstraint::Check(ch) => out.checks.push(self.expr(&ch.expr)?),
                sp::TableConstraint::ForeignKey(fk) => out.foreign_keys.push(ForeignKey {
                    columns: fk.columns.iter().map(|i| self.ident(i)).collect(),
                    table: self.object_name(&fk.foreign_table)?,
                    referred: fk.referred_columns.iter().map(|i| self.ident(i)).collect(),
                }),
                sp::TableConstraint::Index(_) => {}
                other => return unsupported(format!("table constraint {other}")),
            }
        }
        for pk in out.primary_key.clone() {
            if let Some(c) = out.columns.iter_mut().find(|c| c.name == pk) {
                c.not_null = true;
            }
        }
        Ok(Statement::CreateTable(out))
    }

    fn returning(&self, items: &Option<Vec<sp::SelectItem>>) -> Result<Vec<SelectItem>> {
        match items {
            Some(items) => items.iter().map(|i| self.select_item(i)).collect(),
            None => Ok(Vec::new()),
        }
    }

    fn assignments(&self, list: &[sp::Assignment]) -> Result<Vec<(String, Expr)>> {
        list.iter()
            .map(|a| match &a.target {
                sp::AssignmentTarget::ColumnName(n) => Ok((self.object_name(n)?, self.expr(&a.value)?)),
                sp::AssignmentTarget::Tuple(_) => unsupported("assignment to a tuple"),
            })
            .collect()
    }

    fn insert(&self, ins: &sp::Insert) -> Result<Statement> {
        let table = match &ins.table {
            sp::TableObject::TableName(n) => self.object_name(n)?,
            _ => return unsupported("INSERT INTO a table function"),
        };
        let source = match &ins.source {
            Some(q) => self.query(q)?,
            None => return unsupported("INSERT without VALUES or SELECT"),
        };
        let mut on_conflict = if ins.ignore {
            OnConflict::Ignore
        } else if ins.replace_into {
            OnConflict::Replace
        } else {
            OnConflict::Error
        };
        match &ins.on {
            Some(sp::OnInsert::DuplicateKeyUpdate(a)) => on_conflict = OnConflict::Update(self.assignments(a)?),
            Some(sp::OnInsert::OnConflict(oc)) => match &oc.action {
                sp::OnConflictAction::DoNothing => on_conflict = OnConflict::Ignore,
                sp::OnConflictAction::DoUpdate(du) => {
                    if du.selection.is_some() {
                        return unsupported("ON CONFLICT DO UPDATE ... WHERE");
                    }
                    on_conflict = OnConflict::Update(self.assignments(&du.assignments)?)
                }
            },
            Some(_) => return unsupported("this ON clause of INSERT"),
            None => {}
        }
        Ok(Statement::Insert(Insert {
            table,
            columns: ins.columns.iter().map(|c| self.object_name(c)).collect::<Result<Vec<_>>>()?,
            source,
            on_conflict,
            returning: self.returning(&ins.returning)?,
        }))
    }

    fn single_table(&self, t: &sp::TableWithJoins) -> Result<(String, Option<String>)> {
        if !t.joins.is_empty() {
            return unsupported("a join in UPDATE or DELETE");
        }
        match &t.relation {
            sp::TableFactor::Table { name, alias, .. } => {
                Ok((self.object_name(name)?, alias.as_ref().map(|a| self.ident(&a.name))))
            }
            _ => unsupported("UPDATE or DELETE of a derived table"),
        }
    }

    fn update(&self, u: &sp::Update) -> Result<Statement> {
        if u.from.is_some() {
            return unsupported("UPDATE ... FROM");
        }
        let (table, alias) = self.single_table(&u.table)?;
        Ok(Statement::Update(Update {
            table,
            alias,
            set: self.assignments(&u.assignments)?,
            filter: u.selection.as_ref().map(|e| self.expr(e)).transpose()?,
            returning: self.returning(&u.returning)?,
        }))
    }

    fn delete(&self, d: &sp::Delete) -> Result<Statement> {
        let tables = match &d.from {
            sp::FromTable::WithFromKeyword(t) | sp::FromTable::WithoutKeyword(t) => t,
        };
        let [t] = tables.as_slice() else { return unsupported("DELETE from several tables") };
        if d.using.is_some() {
            return unsupported("DELETE ... USING");
        }
        let (table, alias) = self.single_table(t)?;
        Ok(Statement::Delete(Delete {
            table,
            alias,
            filter: d.selection.as_ref().map(|e| self.expr(e)).transpose()?,
            returning: self.returning(&d.returning)?,
        }))
    }

    fn query(&self, q: &sp::Query) -> Result<Query> {
        let mut ctes = Vec::new();
        let mut recursive = false;
        if let Some(with) = &q.with {
            recursive = with.recursive;
            for cte in &with.cte_tables {
                ctes.push(Cte {
                    name: self.ident(&cte.alias.name),
                    columns: cte.alias.columns.iter().map(|c| self.ident(&c.name)).collect(),
                    query: self.query(&cte.query)?,
                });
            }
        }
        let order_by = match &q.order_by {
            Some(ob) => match &ob.kind {
                sp::OrderByKind::Expressions(list) => self.order_items(list)?,
                sp::OrderByKind::All(_) => return unsupported("ORDER BY ALL"),
            },
            None => Vec::new(),
        };
        let (limit, offset) = match &q.limit_clause {
            Some(sp::LimitClause::LimitOffset { limit, offset, limit_by }) => {
                if !limit_by.is_empty() {
                    return unsupported("LIMIT BY");
                }
                (
                    limit.as_ref().map(|e| self.expr(e)).transpose()?,
                    offset.as_ref().map(|o| self.expr(&o.value)).transpose()?,
                )
            }
            Some(sp::LimitClause::OffsetCommaLimit { offset, limit }) => {
                (Some(self.expr(limit)?), Some(self.expr(offset)?))
            }
            None => (None, None),
        };
        if q.fetch.is_some() {
            return unsupported("FETCH");
        }
        Ok(Query { ctes, recursive, body: self.set_expr(&q.body)?, order_by, limit, offset })
    }

    fn order_items(&self, list: &[sp::OrderByExpr]) -> Result<Vec<OrderItem>> {
        list.iter()
            .map(|o| {
                Ok(OrderItem {
                    expr: self.expr(&o.expr)?,
                    desc: matches!(o.options.sort, Some(sp::OrderBySort::Desc)),
                    nulls_first: o.options.nulls_first,
                })
            })
            .collect()
    }

    /// Runs `f` one level deeper, or refuses past [`MAX_DEPTH`].
    fn deeper<T>(&self, levels: usize, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let depth = self.depth.get() + levels;
        if depth > MAX_DEPTH {
            return Err(SqlError::TooDeep);
        }
        self.depth.set(depth);
        let result = f();
        self.depth.set(depth - levels);
        result
    }

    fn set_expr(&self, body: &sp::SetExpr) -> Result<SetExpr> {
        self.deeper(1, || self.set_expr_here(body))
    }

    fn set_expr_here(&self, body: &sp::SetExpr) -> Result<SetExpr> {
        Ok(match body {
            sp::SetExpr::Select(s) => SetExpr::Select(Box::new(self.select(s)?)),
            sp::SetExpr::Query(q) => SetExpr::Query(Box::new(self.query(q)?)),
            sp::SetExpr::Values(v) => SetExpr::Values(
                v.rows
                    .iter()
                    .map(|r| r.content.iter().map(|e| self.expr(e)).collect::<Result<Vec<_>>>())
                    .collect::<Result<Vec<_>>>()?,
            ),
            sp::SetExpr::SetOperation { left, op, set_quantifier, right } => SetExpr::SetOp {
                op: match op {
                    sp::SetOperator::Union => SetOp::Union,
                    sp::SetOperator::Intersect => SetOp::Intersect,
                    sp::SetOperator::Except | sp::SetOperator::Minus => SetOp::Except,
                },
                all: matches!(set_quantifier, sp::SetQuantifier::All),
                left: Box::new(self.set_expr(left)?),
                right: Box::new(self.set_expr(right)?),
            },
            _ => return unsupported("this kind of query body"),
        })
    }

    fn select(&self, s: &sp::Select) -> Result<Select> {
        let distinct = match &s.distinct {
            None | Some(sp::Distinct::All) => false,
            Some(sp::Distinct::Distinct) => true,
            Some(sp::Distinct::On(_)) => return unsupported("DISTINCT ON"),
        };
        if s.top.is_some() {
            return unsupported("TOP");
        }
        if s.into.is_some() {
            return unsupported("SELECT INTO");
        }
        if !s.named_window.is_empty() {
            return unsupported("WINDOW");
        }
        let items = s.projection.iter().map(|i| self.select_item(i)).collect::<Result<Vec<_>>>()?;
        let from = s.from.iter().map(|t| self.table_with_joins(t)).collect::<Result<Vec<_>>>()?;
        let group_by = match &s.group_by {
            sp::GroupByExpr::Expressions(list, mods) => {
                if !mods.is_empty() {
                    return unsupported("GROUP BY modifiers");
                }
                list.iter().map(|e| self.expr(e)).collect::<Result<Vec<_>>>()?
            }
            sp::GroupByExpr::All(_) => return unsupported("GROUP BY ALL"),
        };
        Ok(Select {
            distinct,
            items,
            from,
            filter: s.selection.as_ref().map(|e| self.expr(e)).transpose()?,
            group_by,
            having: s.having.as_ref().map(|e| self.expr(e)).transpose()?,
        })
    }

    fn select_item(&self, item: &sp::SelectItem) -> Result<SelectItem> {
        Ok(match item {
            sp::SelectItem::UnnamedExpr(e) => {
                SelectItem::Expr { expr: self.expr(e)?, alias: None, text: self.source_text(e) }
            }
            sp::SelectItem::ExprWithAlias { expr, alias } => {
                SelectItem::Expr { expr: self.expr(expr)?, alias: Some(self.ident(alias)), text: alias.value.clone() }
            }
            sp::SelectItem::Wildcard(_) => SelectItem::Wildcard,
            sp::SelectItem::QualifiedWildcard(sp::SelectItemQualifiedWildcardKind::ObjectName(n), _) => {
                SelectItem::QualifiedWildcard(self.object_name(n)?)
            }
            _ => return unsupported("this select item"),
        })
    }

    fn table_with_joins(&self, t: &sp::TableWithJoins) -> Result<FromItem> {
        // Each join nests the ones before it one level deeper.
        self.deeper(1 + t.joins.len(), || self.joins_here(t))
    }

    fn joins_here(&self, t: &sp::TableWithJoins) -> Result<FromItem> {
        let mut item = self.table_factor(&t.relation)?;
        for j in &t.joins {
            let right = self.table_factor(&j.relation)?;
            use sp::JoinOperator as J;
            let (kind, constraint) = match &j.join_operator {
                J::Join(c) | J::Inner(c) | J::StraightJoin(c) => (JoinKind::Inner, Some(c)),
                J::Left(c) | J::LeftOuter(c) => (JoinKind::Left, Some(c)),
                J::Right(c) | J::RightOuter(c) => (JoinKind::Right, Some(c)),
                J::FullOuter(c) => (JoinKind::Full, Some(c)),
                J::CrossJoin(_) => (JoinKind::Cross, None),
                _ => return unsupported("this kind of join"),
            };
            let on = match constraint {
                None | Some(sp::JoinConstraint::None) => JoinOn::None,
                Some(sp::JoinConstraint::On(e)) => JoinOn::On(self.expr(e)?),
                Some(sp::JoinConstraint::Using(cols)) => {
                    JoinOn::Using(cols.iter().map(|c| self.object_name(c)).collect::<Result<Vec<_>>>()?)
                }
                Some(sp::JoinConstraint::Natural) => JoinOn::Natural,
                Some(_) => return unsupported("this join constraint"),
            };
            item = FromItem::Join { left: Box::new(item), right: Box::new(right), kind, on };
        }
        Ok(item)
    }

    fn table_factor(&self, t: &sp::TableFactor) -> Result<FromItem> {
        Ok(match t {
            sp::TableFactor::Table { name, alias, args: None, .. } => FromItem::Table {
                name: {
                    let last = self.object_name(name)?;
                    let schema = match name.0.as_slice() {
                        [sp::ObjectNamePart::Identifier(s), _] => s.value.to_lowercase(),
                        _ => String::new(),
                    };
                    if schema == "information_schema" {
                        format!("information_schema.{last}")
                    } else {
                        last
                    }
                },
                alias: alias.as_ref().map(|a| self.ident(&a.name)),
            },
            sp::TableFactor::Derived { subquery, alias, lateral: false, .. } => {
                let (alias, columns) = match alias {
                    Some(a) => (self.ident(&a.name), a.columns.iter().map(|c| self.ident(&c.name)).collect()),
                    None => ("subquery".to_string(), Vec::new()),
                };
                FromItem::Derived { query: Box::new(self.query(subquery)?), alias, columns }
            }
            sp::TableFactor::NestedJoin { table_with_joins, alias: None } => self.table_with_joins(table_with_joins)?,
            _ => return unsupported("this kind of FROM item"),
        })
    }

    fn value(&self, v: &sp::Value) -> Result<Value> {
        Ok(match v {
            sp::Value::Number(n, _) => {
                if let Ok(i) = n.parse::<i64>() {
                    Value::Int(i)
                } else if n.contains(['e', 'E']) {
                    Value::Float(n.parse().map_err(|_| SqlError::Syntax { near: n.clone() })?)
                } else {
                    match Decimal::parse(n) {
                        Some(d) => Value::Dec(d),
                        None => Value::Float(n.parse().map_err(|_| SqlError::Syntax { near: n.clone() })?),
                    }
                }
            }
            sp::Value::SingleQuotedString(s)
            | sp::Value::EscapedStringLiteral(s)
            | sp::Value::NationalStringLiteral(s)
            | sp::Value::TripleSingleQuotedString(s) => Value::Text(s.clone()),
            sp::Value::DoubleQuotedString(s) => Value::Text(s.clone()),
            sp::Value::DollarQuotedString(d) => Value::Text(d.value.clone()),
            sp::Value::Boolean(b) => Value::Bool(*b),
            sp::Value::Null => Value::Null,
            _ => return unsupported(format!("literal {v}")),
        })
    }

    /// `$n` (PostgreSQL) or `?` (MySQL): a parameter supplied when a prepared statement runs.
    fn placeholder(&self, p: &str) -> Result<Expr> {
        if p == "?" {
            let n = self.next_param.get();
            self.next_param.set(n + 1);
            return Ok(Expr::Param(n));
        }
        match p.strip_prefix('$').and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n >= 1 => Ok(Expr::Param(n - 1)),
            _ => Err(SqlError::Syntax { near: p.to_string() }),
        }
    }

    fn boxed(&self, e: &sp::Expr) -> Result<Box<Expr>> {
        Ok(Box::new(self.expr(e)?))
    }

    fn expr(&self, e: &sp::Expr) -> Result<Expr> {
        self.deeper(1, || self.expr_here(e))
    }

    fn expr_here(&self, e: &sp::Expr) -> Result<Expr> {
        use sp::Expr as E;
        Ok(match e {
            E::Identifier(id) => {
                if id.quote_style == Some('"') && self.flavour.is_mysql() {
                    // MySQL reads "text" as a string literal, which sqlparser may hand us as a name.
                    Expr::Literal(Value::Text(id.value.clone()))
                } else {
                    Expr::Column { table: None, name: self.ident(id) }
                }
            }
            E::CompoundIdentifier(parts) => match parts.as_slice() {
                [t, c] => Expr::Column { table: Some(self.ident(t)), name: self.ident(c) },
                [_, t, c] => Expr::Column { table: Some(self.ident(t)), name: self.ident(c) },
                _ => return unsupported(format!("name {e}")),
            },
            E::Value(v) => match &v.value {
                sp::Value::Placeholder(p) => self.placeholder(p)?,
                other => Expr::Literal(self.value(other)?),
            },
            E::Nested(inner) => self.expr(inner)?,
            E::IsNull(x) => Expr::IsNull { expr: self.boxed(x)?, negated: false },
            E::IsNotNull(x) => Expr::IsNull { expr: self.boxed(x)?, negated: true },
            E::IsTrue(x) => Expr::IsBool { expr: self.boxed(x)?, value: true, negated: false },
            E::IsNotTrue(x) => Expr::IsBool { expr: self.boxed(x)?, value: true, negated: true },
            E::IsFalse(x) => Expr::IsBool { expr: self.boxed(x)?, value: false, negated: false },
            E::IsNotFalse(x) => Expr::IsBool { expr: self.boxed(x)?, value: false, negated: true },
            E::IsDistinctFrom(a, b) => {
                Expr::Binary { op: BinOp::IsDistinct, left: self.boxed(a)?, right: self.boxed(b)? }
            }
            E::IsNotDistinctFrom(a, b) => {
                Expr::Binary { op: BinOp::NullSafeEq, left: self.boxed(a)?, right: self.boxed(b)? }
            }
            E::In { expr, target, negated, .. } => match target {
                sp::InTarget::List(list) => Expr::InList {
                    expr: self.boxed(expr)?,
                    list: list.iter().map(|x| self.expr(x)).collect::<Result<Vec<_>>>()?,
                    negated: *negated,
                },
                sp::InTarget::Subquery(q) => {
                    Expr::InSubquery { expr: self.boxed(expr)?, query: Box::new(self.query(q)?), negated: *negated }
                }
                _ => return unsupported("IN UNNEST / IN table"),
            },
            E::Between { expr, negated, low, high } => Expr::Between {
                expr: self.boxed(expr)?,
                low: self.boxed(low)?,
                high: self.boxed(high)?,
                negated: *negated,
            },
            E::BinaryOp { left, op, right } => {
                use sp::BinaryOperator as B;
                let op = match op {
                    B::Plus => BinOp::Add,
                    B::Minus => BinOp::Sub,
                    B::Multiply => BinOp::Mul,
                    B::Divide => BinOp::Div,
                    B::Modulo => BinOp::Mod,
                    B::MyIntegerDivide | B::DuckIntegerDivide => BinOp::IntDiv,
                    B::StringConcat => {
                        if self.flavour.is_mysql() {
                            BinOp::Or
                        } else {
                            BinOp::Concat
                        }
                    }
                    B::Gt => BinOp::Gt,
                    B::Lt => BinOp::Lt,
                    B::GtEq => BinOp::GtEq,
                    B::LtEq => BinOp::LtEq,
                    B::Eq => BinOp::Eq,
                    B::NotEq => BinOp::NotEq,
                    B::And => BinOp::And,
                    B::Or => BinOp::Or,
                    B::Spaceship => BinOp::NullSafeEq,
                    other => return unsupported(format!("operator {other}")),
                };
                Expr::Binary { op, left: self.boxed(left)?, right: self.boxed(right)? }
            }
            E::UnaryOp { op, expr } => {
                let op = match op {
                    sp::UnaryOperator::Minus => UnOp::Neg,
                    sp::UnaryOperator::Plus => UnOp::Plus,
                    sp::UnaryOperator::Not | sp::UnaryOperator::BangNot => UnOp::Not,
                    other => return unsupported(format!("operator {other}")),
                };
                // Fold `-5` into a literal so that i64::MIN and index keys read naturally.
                if let (UnOp::Neg, E::Value(v)) = (op, expr.as_ref()) {
                    if let sp::Value::Number(n, _) = &v.value {
                        if let Ok(i) = format!("-{n}").parse::<i64>() {
                            return Ok(Expr::Literal(Value::Int(i)));
                        }
                    }
                }
                Expr::Unary { op, expr: self.boxed(expr)? }
            }
            E::Like { negated, expr, pattern, escape_char, any: false } => {
                self.like(expr, pattern, escape_char, *negated, false)?
            }
            E::ILike { negated, expr, pattern, escape_char, any: false } => {
                self.like(expr, pattern, escape_char, *negated, true)?
            }
            E::Case { operand, conditions, else_result, .. } => Expr::Case {
                operand: operand.as_ref().map(|o| self.boxed(o)).transpose()?,
                whens: conditions
                    .iter()
                    .map(|w| Ok((self.expr(&w.condition)?, self.expr(&w.result)?)))
                    .collect::<Result<Vec<_>>>()?,
                otherwise: else_result.as_ref().map(|o| self.boxed(o)).transpose()?,
            },
            E::Cast { expr, data_type, .. } => Expr::Cast { expr: self.boxed(expr)?, to: self.cast_type(data_type)? },
            E::Exists { subquery, negated } => {
                Expr::Exists { query: Box::new(self.query(subquery)?), negated: *negated }
            }
            E::Subquery(q) => Expr::Subquery(Box::new(self.query(q)?)),
            E::Function(f) => self.function(f)?,
            E::TypedString(ts) => Expr::Cast {
                expr: Box::new(Expr::Literal(self.value(&ts.value.value)?)),
                to: self.data_type(&ts.data_type)?.0,
            },
            E::Substring { expr, substring_from, substring_for, .. } => {
                let mut args = vec![self.expr(expr)?];
                args.push(match substring_from {
                    Some(f) => self.expr(f)?,
                    None => Expr::Literal(Value::Int(1)),
                });
                if let Some(n) = substring_for {
                    args.push(self.expr(n)?);
                }
                Expr::Function { name: "substring".into(), args, distinct: false, star: false, over: None }
            }
            E::Trim { expr, trim_where: None, trim_what: None, .. } => Expr::Function {
                name: "trim".into(),
                args: vec![self.expr(expr)?],
                distinct: false,
                star: false,
                over: None,
            },
            E::Ceil { expr, .. } => Expr::Function {
                name: "ceil".into(),
                args: vec![self.expr(expr)?],
                distinct: false,
                star: false,
                over: None,
            },
            E::Floor { expr, .. } => Expr::Function {
                name: "floor".into(),
                args: vec![self.expr(expr)?],
                distinct: false,
                star: false,
                over: None,
            },
            E::Position { expr, r#in } => Expr::Function {
                name: "position".into(),
                args: vec![self.expr(expr)?, self.expr(r#in)?],
                distinct: false,
                star: false,
                over: None,
            },
            E::Extract { field, expr, .. } => Expr::Function {
                name: "extract".into(),
                args: vec![Expr::Literal(Value::Text(field.to_string().to_lowercase())), self.expr(expr)?],
                distinct: false,
                star: false,
                over: None,
            },
            E::Tuple(_) => return unsupported("row values"),
            other => {
                let text = other.to_string();
                return unsupported(format!("expression {}", text.chars().take(40).collect::<String>()));
            }
        })
    }

    fn like(
        &self,
        expr: &sp::Expr,
        pattern: &sp::Expr,
        escape: &Option<Box<sp::Expr>>,
        negated: bool,
        ci: bool,
    ) -> Result<Expr> {
        let escape = match escape.as_deref() {
            Some(sp::Expr::Value(v)) => match &v.value {
                sp::Value::SingleQuotedString(s) => s.chars().next(),
                _ => None,
            },
            _ => None,
        };
        Ok(Expr::Like { expr: self.boxed(expr)?, pattern: self.boxed(pattern)?, negated, case_insensitive: ci, escape })
    }

    fn cast_type(&self, dt: &sp::DataType) -> Result<DataType> {
        let text = dt.to_string().to_uppercase();
        // MySQL's CAST(x AS SIGNED / UNSIGNED / CHAR).
        Ok(match text.as_str() {
            "SIGNED" | "UNSIGNED" | "SIGNED INTEGER" | "UNSIGNED INTEGER" => DataType::BigInt,
            _ => self.data_type(dt)?.0,
        })
    }

    fn function(&self, f: &sp::Function) -> Result<Expr> {
        let name = f.name.to_string().to_lowercase();
        let name = name.rsplit('.').next().unwrap_or(&name).trim_matches('"').to_string();
        if f.filter.is_some() {
            return unsupported("FILTER");
        }
        let mut distinct = false;
        let mut star = false;
        let mut args = Vec::new();
        match &f.args {
            sp::FunctionArguments::None => {}
            sp::FunctionArguments::Subquery(_) => return unsupported("a subquery as function arguments"),
            sp::FunctionArguments::List(list) => {
                distinct = matches!(list.duplicate_treatment, Some(sp::DuplicateTreatment::Distinct));
                if !list.clauses.is_empty() {
                    return unsupported(format!("clauses inside {name}()"));
                }
                for a in &list.args {
                    match a {
                        sp::FunctionArg::Unnamed(sp::FunctionArgExpr::Expr(e)) => args.push(self.expr(e)?),
                        sp::FunctionArg::Unnamed(sp::FunctionArgExpr::Wildcard) => star = true,
                        _ => return unsupported(format!("this argument of {name}()")),
                    }
                }
            }
        }
        let over = match &f.over {
            None => None,
            Some(sp::WindowType::WindowSpec(spec)) => {
                if spec.window_frame.is_some() {
                    return unsupported("window frames");
                }
                Some(WindowSpec {
                    partition_by: spec.partition_by.iter().map(|e| self.expr(e)).collect::<Result<Vec<_>>>()?,
                    order_by: self.order_items(&spec.order_by)?,
                })
            }
            Some(sp::WindowType::NamedWindow(_)) => return unsupported("named windows"),
        };
        Ok(Expr::Function { name, args, distinct, star, over })
    }
}
