//! Schema statements: databases, tables, indexes, views. Each one builds the new table (or view)
//! aside and installs it as one [`Change::Table`], so undo and replication treat a schema change
//! like any other change.
//!
//! [`run`] dispatches each statement kind to one method of `Schema` (`create_table`,
//! `drop_table`, `create_index`, `drop_index`, `alter_table`, `create_view`, `drop_view`,
//! `create_database`, `drop_database`); ALTER TABLE's ADD and DROP COLUMN are `add_column`
//! and `drop_column`.

use super::ast::{AlterOp, ColumnDef, CreateTable, Query, Statement};
use super::error::{unsupported, Result, SqlError};
use super::server::{run_query, Context, Outcome};
use super::storage::{Catalog, Change, Column, ForeignKeyDef, Table, View};
use super::types::DataType;
use std::sync::Arc;

fn done(tag: &str) -> Result<Outcome> {
    Ok(Outcome::Done { tag: tag.into(), warning: None })
}

fn set_table(catalog: &mut Catalog, ctx: &Context, name: &str, after: Option<Table>, changes: &mut Vec<Change>) {
    let change = Change::Table {
        database: ctx.database.into(),
        table: name.into(),
        before: catalog.table(ctx.database, name).cloned(),
        after: after.map(Arc::new),
    };
    catalog.apply(&change);
    changes.push(change);
}

fn exists(catalog: &Catalog, ctx: &Context, name: &str) -> bool {
    catalog.databases.get(ctx.database).is_some_and(|d| d.tables.contains_key(name) || d.views.contains_key(name))
}

fn index_name(ctx: &Context, table: &str, cols: &[String], kind: &str, taken: &[String]) -> String {
    let base = if ctx.flavour.is_mysql() {
        cols.first().cloned().unwrap_or_default()
    } else {
        format!("{table}_{}_{kind}", cols.join("_"))
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

fn column_of(c: &ColumnDef) -> Column {
    Column {
        name: c.name.clone(),
        data_type: c.data_type.clone(),
        not_null: c.not_null,
        default: c.default.clone(),
        auto_increment: c.auto_increment,
    }
}

/// ALTER TABLE ... ADD COLUMN: existing rows get the column's default (a NOT NULL column
/// without one is refused in PostgreSQL when the table has rows).
fn add_column(nt: &mut Table, c: ColumnDef, table: &str, ctx: &Context) -> Result<()> {
    if nt.column_index(&c.name).is_some() {
        return Err(SqlError::DuplicateColumn { column: c.name.clone(), table: Some(table.to_string()) });
    }
    let col = column_of(&c);
    let fill = match &c.default {
        Some(super::ast::Expr::Literal(v)) => super::eval::cast(v, &c.data_type, ctx.flavour)?,
        _ => super::types::Value::Null,
    };
    if col.not_null && fill.is_null() && !nt.rows.is_empty() && !ctx.flavour.is_mysql() {
        return Err(SqlError::NotNull { column: c.name.clone(), table: table.to_string() });
    }
    nt.columns.push(col);
    let ids: Vec<u64> = nt.rows.keys().copied().collect();
    for id in ids {
        if let Some(r) = nt.rows.get_mut(&id) {
            r.push(fill.clone());
        }
    }
    Ok(())
}

/// ALTER TABLE ... DROP COLUMN: the column leaves every row, and the indexes and foreign keys
/// over it go with it.
fn drop_column(nt: &mut Table, name: String, table: &str) -> Result<()> {
    let Some(i) = nt.column_index(&name) else {
        return Err(SqlError::NoColumnToDrop { column: name, table: table.to_string() });
    };
    if nt.columns.len() == 1 {
        return Err(SqlError::DropLastColumn);
    }
    nt.columns.remove(i);
    for r in nt.rows.values_mut() {
        if i < r.len() {
            r.remove(i);
        }
    }
    nt.indexes.retain(|ix| !ix.columns.contains(&i));
    for ix in nt.indexes.iter_mut() {
        for c in ix.columns.iter_mut() {
            if *c > i {
                *c -= 1;
            }
        }
    }
    nt.foreign_keys.retain(|f| !f.columns.contains(&i));
    for f in nt.foreign_keys.iter_mut() {
        for c in f.columns.iter_mut() {
            if *c > i {
                *c -= 1;
            }
        }
    }
    nt.rebuild_indexes();
    Ok(())
}

/// Runs one schema statement, recording its changes in `changes`.
pub fn run(catalog: &mut Catalog, ctx: &Context, st: Statement, changes: &mut Vec<Change>) -> Result<Outcome> {
    let schema = Schema { catalog, ctx, changes };
    match st {
        Statement::CreateTable(ct) => schema.create_table(ct),
        Statement::DropTable { names, if_exists } => schema.drop_table(names, if_exists),
        Statement::CreateIndex { name, table, columns, unique, if_not_exists } => {
            schema.create_index(name, table, columns, unique, if_not_exists)
        }
        Statement::DropIndex { name, table, if_exists } => schema.drop_index(name, table, if_exists),
        Statement::AlterTable { table, op } => schema.alter_table(table, op),
        Statement::CreateView { name, columns, query, or_replace, sql } => {
            schema.create_view(name, columns, query, or_replace, sql)
        }
        Statement::DropView { names, if_exists } => schema.drop_view(names, if_exists),
        Statement::CreateDatabase { name, if_not_exists } => schema.create_database(name, if_not_exists),
        Statement::DropDatabase { name, if_exists } => schema.drop_database(name, if_exists),
        other => unsupported(format!("{other:?}").split([' ', '(', '{']).next().unwrap_or("statement").to_string()),
    }
}

/// What every schema statement works on: the catalog, the session, and the changes it records.
struct Schema<'c> {
    catalog: &'c mut Catalog,
    ctx: &'c Context<'c>,
    changes: &'c mut Vec<Change>,
}

impl Schema<'_> {
    /// CREATE TABLE, and CREATE TABLE ... AS SELECT (its columns typed from the first row).
    fn create_table(self, ct: CreateTable) -> Result<Outcome> {
        let Schema { catalog, ctx, changes } = self;
        if exists(catalog, ctx, &ct.name) {
            if ct.if_not_exists {
                return Ok(Outcome::Done {
                    tag: "CREATE TABLE".into(),
                    warning: (!ctx.flavour.is_mysql())
                        .then(|| format!("NOTICE:  relation \"{}\" already exists, skipping", ct.name)),
                });
            }
            return Err(SqlError::TableExists(ct.name));
        }
        let mut columns: Vec<Column> = ct.columns.iter().map(column_of).collect();
        let mut as_rows = Vec::new();
        if let Some(q) = &ct.as_query {
            let (names, rows) = run_query(catalog, ctx, q)?;
            if columns.is_empty() {
                columns = names
                    .iter()
                    .map(|n| Column {
                        name: n.clone(),
                        data_type: DataType::Text,
                        not_null: false,
                        default: None,
                        auto_increment: false,
                    })
                    .collect();
                // Give the columns the kind of the first row's values.
                if let Some(first) = rows.first() {
                    for (c, v) in columns.iter_mut().zip(first) {
                        c.data_type = match v {
                            super::types::Value::Int(_) => DataType::BigInt,
                            super::types::Value::Dec(_) => DataType::Decimal(38, 10),
                            super::types::Value::Float(_) => DataType::Double,
                            super::types::Value::Bool(_) => DataType::Boolean,
                            super::types::Value::Date(_) => DataType::Date,
                            super::types::Value::Timestamp(_) => DataType::Timestamp,
                            _ => DataType::Text,
                        };
                    }
                }
            }
            as_rows = rows;
        }
        if columns.is_empty() {
            return Err(SqlError::NoColumns);
        }
        for (i, c) in columns.iter().enumerate() {
            if columns[..i].iter().any(|d| d.name == c.name) {
                return Err(SqlError::DuplicateColumn { column: c.name.clone(), table: None });
            }
        }
        let mut t = Table::new(&ct.name, columns, ctx.flavour.is_mysql());
        let lookup = |t: &Table, cols: &[String]| -> Result<Vec<usize>> {
            cols.iter()
                .map(|c| {
                    t.column_index(c).ok_or_else(|| SqlError::NoSuchColumn { column: c.clone(), clause: "key column" })
                })
                .collect()
        };
        if !ct.primary_key.is_empty() {
            let idx = lookup(&t, &ct.primary_key)?;
            let name = if ctx.flavour.is_mysql() { "PRIMARY".to_string() } else { format!("{}_pkey", ct.name) };
            for &i in &idx {
                if let Some(c) = t.columns.get_mut(i) {
                    c.not_null = true;
                }
            }
            let _ = t.add_index(&name, idx, true, true);
        }
        for u in &ct.uniques {
            let idx = lookup(&t, u)?;
            let taken: Vec<String> = t.indexes.iter().map(|i| i.name.clone()).collect();
            let name = index_name(ctx, &ct.name, u, "key", &taken);
            let _ = t.add_index(&name, idx, true, false);
        }
        let mut n_check = 0;
        for c in &ct.columns {
            if let Some(e) = &c.check {
                n_check += 1;
                let name = if ctx.flavour.is_mysql() {
                    format!("{}_chk_{n_check}", ct.name)
                } else {
                    format!("{}_{}_check", ct.name, c.name)
                };
                t.checks.push((name, e.clone()));
            }
        }
        for e in &ct.checks {
            n_check += 1;
            let name = if ctx.flavour.is_mysql() {
                format!("{}_chk_{n_check}", ct.name)
            } else {
                format!("{}_check", ct.name)
            };
            t.checks.push((name, e.clone()));
        }
        for (n, fk) in ct.foreign_keys.iter().enumerate() {
            let Some(parent) = catalog
                .table(ctx.database, &fk.table)
                .cloned()
                .or_else(|| (fk.table == ct.name).then(|| Arc::new(t.clone())))
            else {
                return Err(SqlError::NoReferencedTable { database: ctx.database.into(), table: fk.table.clone() });
            };
            let referred = if fk.referred.is_empty() {
                parent
                    .primary_key()
                    .map(|pk| {
                        pk.columns.iter().filter_map(|&i| parent.columns.get(i)).map(|c| c.name.clone()).collect()
                    })
                    .unwrap_or_default()
            } else {
                fk.referred.clone()
            };
            for r in &referred {
                if parent.column_index(r).is_none() {
                    return Err(SqlError::NoSuchColumn { column: r.clone(), clause: "foreign key" });
                }
            }
            let name = if ctx.flavour.is_mysql() {
                format!("{}_ibfk_{}", ct.name, n + 1)
            } else {
                format!("{}_{}_fkey", ct.name, fk.columns.join("_"))
            };
            t.foreign_keys.push(ForeignKeyDef {
                name,
                columns: lookup(&t, &fk.columns)?,
                table: fk.table.clone(),
                referred,
            });
        }
        for r in as_rows {
            let mut row = r;
            row.resize(t.columns.len(), super::types::Value::Null);
            t.insert_row(row, None).map_err(|_| SqlError::DuplicateEntry)?;
        }
        set_table(catalog, ctx, &ct.name, Some(t), changes);
        done(if ct.as_query.is_some() { "SELECT" } else { "CREATE TABLE" })
    }

    /// DROP TABLE: refused while another table's foreign key references one of them.
    fn drop_table(self, names: Vec<String>, if_exists: bool) -> Result<Outcome> {
        let Schema { catalog, ctx, changes } = self;
        for name in &names {
            if catalog.table(ctx.database, name).is_none() {
                if if_exists {
                    continue;
                }
                return Err(SqlError::UnknownTable { database: ctx.database.into(), table: name.clone() });
            }
            // A table other tables reference cannot go first.
            let referenced = catalog.databases.get(ctx.database).is_some_and(|d| {
                d.tables.values().any(|t| {
                    t.name != *name && !names.contains(&t.name) && t.foreign_keys.iter().any(|f| &f.table == name)
                })
            });
            if referenced {
                return Err(SqlError::TableReferenced(name.clone()));
            }
            set_table(catalog, ctx, name, None, changes);
        }
        done("DROP TABLE")
    }

    /// CREATE [UNIQUE] INDEX: built over the existing rows (a duplicate refuses a unique one).
    fn create_index(
        self,
        name: String,
        table: String,
        columns: Vec<String>,
        unique: bool,
        if_not_exists: bool,
    ) -> Result<Outcome> {
        let Schema { catalog, ctx, changes } = self;
        let Some(t) = catalog.table(ctx.database, &table).cloned() else {
            return Err(SqlError::NoSuchTable { database: ctx.database.into(), table });
        };
        let in_use = if ctx.flavour.is_mysql() {
            t.indexes.iter().any(|i| i.name == name)
        } else {
            catalog
                .databases
                .get(ctx.database)
                .is_some_and(|d| d.tables.values().any(|t| t.indexes.iter().any(|i| i.name == name)))
        };
        if in_use {
            return if if_not_exists { done("CREATE INDEX") } else { Err(SqlError::IndexExists(name)) };
        }
        let idx = columns
            .iter()
            .map(|c| {
                t.column_index(c).ok_or_else(|| SqlError::NoSuchColumn { column: c.clone(), clause: "key column" })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut nt = (*t).clone();
        if let Err(key) = nt.add_index(&name, idx, unique, false) {
            let value: Vec<String> = key.iter().map(|v| super::eval::text_of(v, ctx.flavour)).collect();
            return Err(SqlError::DuplicateKey {
                value: value.join("-"),
                key: name,
                table: table.clone(),
                columns: columns.join(", "),
            });
        }
        set_table(catalog, ctx, &table, Some(nt), changes);
        done("CREATE INDEX")
    }

    /// DROP INDEX, found by name (MySQL names its table, PostgreSQL searches the database).
    fn drop_index(self, name: String, table: Option<String>, if_exists: bool) -> Result<Outcome> {
        let Schema { catalog, ctx, changes } = self;
        let owner = catalog.databases.get(ctx.database).and_then(|d| {
            d.tables
                .values()
                .find(|t| table.as_ref().is_none_or(|n| &t.name == n) && t.indexes.iter().any(|i| i.name == name))
                .cloned()
        });
        let Some(t) = owner else {
            if if_exists {
                return done("DROP INDEX");
            }
            return Err(SqlError::NoSuchIndex { index: name, table: table.unwrap_or_default() });
        };
        let mut nt = (*t).clone();
        nt.indexes.retain(|i| i.name != name);
        let tname = nt.name.clone();
        set_table(catalog, ctx, &tname, Some(nt), changes);
        done("DROP INDEX")
    }

    /// ALTER TABLE: the new table is built aside, then installed as one change.
    fn alter_table(self, table: String, op: AlterOp) -> Result<Outcome> {
        let Schema { catalog, ctx, changes } = self;
        let Some(t) = catalog.table(ctx.database, &table).cloned() else {
            return Err(SqlError::NoSuchTable { database: ctx.database.into(), table });
        };
        let mut nt = (*t).clone();
        match op {
            AlterOp::AddColumn(c) => add_column(&mut nt, *c, &table, ctx)?,
            AlterOp::DropColumn(name) => drop_column(&mut nt, name, &table)?,
            AlterOp::RenameColumn { from, to } => {
                let Some(i) = nt.column_index(&from) else {
                    return Err(SqlError::NoSuchColumn { column: from, clause: "field list" });
                };
                if let Some(c) = nt.columns.get_mut(i) {
                    c.name = to;
                }
            }
            AlterOp::RenameTable(to) => {
                if exists(catalog, ctx, &to) {
                    return Err(SqlError::TableExists(to));
                }
                nt.name = to.clone();
                set_table(catalog, ctx, &table, None, changes);
                set_table(catalog, ctx, &to, Some(nt), changes);
                return done("ALTER TABLE");
            }
        }
        set_table(catalog, ctx, &table, Some(nt), changes);
        done("ALTER TABLE")
    }

    /// CREATE [OR REPLACE] VIEW: bound once now, so that a view that cannot run is refused.
    fn create_view(
        self,
        name: String,
        columns: Vec<String>,
        query: Query,
        or_replace: bool,
        sql: String,
    ) -> Result<Outcome> {
        let Schema { catalog, ctx, changes } = self;
        let view_exists = catalog.databases.get(ctx.database).is_some_and(|d| d.views.contains_key(&name));
        if catalog.table(ctx.database, &name).is_some() || (view_exists && !or_replace) {
            return Err(SqlError::TableExists(name));
        }
        // Check that it binds now.
        run_query(
            catalog,
            ctx,
            &super::ast::Query { limit: Some(super::ast::Expr::Literal(super::types::Value::Int(0))), ..query.clone() },
        )?;
        let change = Change::View {
            database: ctx.database.into(),
            view: name.clone(),
            before: catalog.databases.get(ctx.database).and_then(|d| d.views.get(&name)).cloned().map(Box::new),
            after: Some(Box::new(View { name, columns, query, sql })),
        };
        catalog.apply(&change);
        changes.push(change);
        done("CREATE VIEW")
    }

    /// DROP VIEW.
    fn drop_view(self, names: Vec<String>, if_exists: bool) -> Result<Outcome> {
        let Schema { catalog, ctx, changes } = self;
        for name in names {
            let before = catalog.databases.get(ctx.database).and_then(|d| d.views.get(&name)).cloned().map(Box::new);
            if before.is_none() {
                if if_exists {
                    continue;
                }
                return Err(SqlError::NoSuchTable { database: ctx.database.into(), table: name });
            }
            let change = Change::View { database: ctx.database.into(), view: name, before, after: None };
            catalog.apply(&change);
            changes.push(change);
        }
        done("DROP VIEW")
    }

    /// CREATE DATABASE (an administrator's statement).
    fn create_database(self, name: String, if_not_exists: bool) -> Result<Outcome> {
        let Schema { catalog, ctx, changes } = self;
        if catalog.databases.contains_key(&name) {
            return if if_not_exists { done("CREATE DATABASE") } else { Err(SqlError::DatabaseExists(name)) };
        }
        if !ctx.admin {
            return Err(SqlError::DatabaseAccessDenied { user: ctx.user.into(), database: name });
        }
        let change = Change::Database { name, exists: true };
        catalog.apply(&change);
        changes.push(change);
        done("CREATE DATABASE")
    }

    /// DROP DATABASE, recording each table's removal so that undo and replicas restore them.
    fn drop_database(self, name: String, if_exists: bool) -> Result<Outcome> {
        let Schema { catalog, ctx, changes } = self;
        if !catalog.databases.contains_key(&name) {
            return if if_exists { done("DROP DATABASE") } else { Err(SqlError::DropNoSuchDatabase(name)) };
        }
        if !ctx.flavour.is_mysql() && name == ctx.database {
            return Err(SqlError::DropOpenDatabase);
        }
        // Record the tables' removal too, so undo and replicas restore them.
        let tables: Vec<String> =
            catalog.databases.get(&name).map(|d| d.tables.keys().cloned().collect()).unwrap_or_default();
        for t in tables {
            let change = Change::Table {
                database: name.clone(),
                table: t.clone(),
                before: catalog.table(&name, &t).cloned(),
                after: None,
            };
            catalog.apply(&change);
            changes.push(change);
        }
        let change = Change::Database { name, exists: false };
        catalog.apply(&change);
        changes.push(change);
        done("DROP DATABASE")
    }
}
