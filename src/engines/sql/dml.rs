//! INSERT, UPDATE and DELETE: computing the new rows, checking every constraint (NOT NULL,
//! CHECK, UNIQUE, FOREIGN KEY), and writing through the table so that each row change is
//! recorded for undo and for the commit log.

use super::ast::{Delete, Expr, Insert, OnConflict, SelectItem, Update};
use super::error::{Result, SqlError};
use super::eval::{cast, store, text_of, truth};
use super::plan::{BExpr, Binder, QueryPlan};
use super::run::Executor;
use super::server::{Context, Outcome};
use super::storage::{fold, Catalog, Change, Index, Row, Table};
use super::types::Value;

fn live<'a>(catalog: &'a Catalog, ctx: &Context, name: &str) -> Result<&'a Table> {
    catalog
        .table(ctx.database, name)
        .map(|t| t.as_ref())
        .ok_or_else(|| SqlError::NoSuchTable { database: ctx.database.to_string(), table: name.to_string() })
}

/// The table's definition without its rows. Holding a second `Arc` of the live table would make
/// every write copy the whole table (copy-on-write), so statements keep this instead.
fn table_of(catalog: &Catalog, ctx: &Context, name: &str) -> Result<Table> {
    let t = live(catalog, ctx, name)?;
    Ok(Table {
        name: t.name.clone(),
        columns: t.columns.clone(),
        rows: Default::default(),
        next_row_id: t.next_row_id,
        indexes: t
            .indexes
            .iter()
            .map(|i| Index {
                name: i.name.clone(),
                columns: i.columns.clone(),
                unique: i.unique,
                primary: i.primary,
                entries: Default::default(),
            })
            .collect(),
        checks: t.checks.clone(),
        foreign_keys: t.foreign_keys.clone(),
        auto_increment: t.auto_increment,
        fold_case: t.fold_case,
        bytes: 0,
    })
}

fn column_names(t: &Table) -> Vec<String> {
    t.columns.iter().map(|c| c.name.clone()).collect()
}

/// RETURNING items, bound over the table's row.
fn bind_returning(
    binder: &mut Binder,
    t: &Table,
    alias: &str,
    items: &[SelectItem],
) -> Result<(Vec<String>, Vec<BExpr>)> {
    let cols = column_names(t);
    let mut names = Vec::new();
    let mut exprs = Vec::new();
    for item in items {
        match item {
            SelectItem::Wildcard | SelectItem::QualifiedWildcard(_) => {
                for (i, c) in cols.iter().enumerate() {
                    names.push(c.clone());
                    exprs.push(BExpr::Col(i));
                }
            }
            SelectItem::Expr { expr, alias: a, text } => {
                names.push(a.clone().unwrap_or_else(|| match expr {
                    Expr::Column { name, .. } => name.clone(),
                    _ => text.clone(),
                }));
                exprs.push(binder.expr_over(alias, &cols, expr)?);
            }
        }
    }
    Ok((names, exprs))
}

/// The constraints a written row must satisfy, bound once per statement.
struct Checks {
    checks: Vec<(String, BExpr)>,
}

impl Checks {
    fn new(binder: &mut Binder, t: &Table) -> Result<Checks> {
        let cols = column_names(t);
        let mut checks = Vec::new();
        for (name, e) in &t.checks {
            checks.push((name.clone(), binder.expr_over(&t.name, &cols, e)?));
        }
        Ok(Checks { checks })
    }

    /// NOT NULL, CHECK and FOREIGN KEY (child side) for a row about to be written.
    fn verify(&self, catalog: &Catalog, ctx: &Context, t: &Table, row: &Row) -> Result<()> {
        for (c, v) in t.columns.iter().zip(row) {
            if c.not_null && v.is_null() {
                return Err(SqlError::NotNull { column: c.name.clone(), table: t.name.clone() });
            }
        }
        if !self.checks.is_empty() {
            let mut ex = Executor::new(catalog, ctx.env(), ctx.budget);
            for (name, e) in &self.checks {
                if truth(&ex.eval(e, row)?) == Some(false) {
                    return Err(SqlError::CheckViolated { constraint: name.clone(), table: t.name.clone() });
                }
            }
        }
        for fk in &t.foreign_keys {
            let values: Vec<Value> = fk.columns.iter().map(|&i| row.get(i).cloned().unwrap_or(Value::Null)).collect();
            if values.iter().any(|v| v.is_null()) {
                continue;
            }
            let parent = catalog.table(ctx.database, &fk.table);
            let found = parent.is_some_and(|p| {
                let idx: Vec<usize> = fk.referred.iter().filter_map(|n| p.column_index(n)).collect();
                p.rows.values().any(|r| {
                    idx.iter().zip(&values).all(|(&i, v)| {
                        r.get(i).is_some_and(|x| fold(x.clone(), p.fold_case) == fold(v.clone(), p.fold_case))
                    })
                })
            });
            if !found {
                let detail = format!(
                    "`{}`.`{}`, CONSTRAINT `{}` FOREIGN KEY (`{}`) REFERENCES `{}` (`{}`)",
                    ctx.database,
                    t.name,
                    fk.name,
                    fk.columns
                        .iter()
                        .filter_map(|&i| t.columns.get(i))
                        .map(|c| c.name.clone())
                        .collect::<Vec<_>>()
                        .join("`, `"),
                    fk.table,
                    fk.referred.join("`, `")
                );
                return Err(SqlError::ForeignKeyChild { table: t.name.clone(), constraint: fk.name.clone(), detail });
            }
        }
        Ok(())
    }
}

/// Refuses to remove or change a parent row that child rows still reference.
fn check_parent(catalog: &Catalog, ctx: &Context, t: &Table, old: &Row, new: Option<&Row>) -> Result<()> {
    let Some(db) = catalog.databases.get(ctx.database) else { return Ok(()) };
    for child in db.tables.values() {
        for fk in child.foreign_keys.iter().filter(|fk| fk.table == t.name) {
            let idx: Vec<usize> = fk.referred.iter().filter_map(|n| t.column_index(n)).collect();
            let key: Vec<Value> = idx.iter().map(|&i| old.get(i).cloned().unwrap_or(Value::Null)).collect();
            if let Some(new) = new {
                let new_key: Vec<Value> = idx.iter().map(|&i| new.get(i).cloned().unwrap_or(Value::Null)).collect();
                if new_key == key {
                    continue;
                }
            }
            let referenced = child
                .rows
                .values()
                .any(|r| fk.columns.iter().zip(&key).all(|(&i, v)| r.get(i).is_some_and(|x| !x.is_null() && x == v)));
            if referenced {
                return Err(SqlError::ForeignKeyParent {
                    table: t.name.clone(),
                    database: ctx.database.to_string(),
                    child: child.name.clone(),
                    constraint: fk.name.clone(),
                });
            }
        }
    }
    Ok(())
}

/// The duplicate-key error for a conflict on `index`.
fn duplicate(ctx: &Context, t: &Table, index: usize, row: &Row) -> SqlError {
    let Some(ix) = t.indexes.get(index) else {
        return SqlError::DuplicateKey {
            value: String::new(),
            key: String::new(),
            table: t.name.clone(),
            columns: String::new(),
        };
    };
    let values: Vec<String> =
        ix.columns.iter().map(|&i| row.get(i).map(|v| text_of(v, ctx.flavour)).unwrap_or_default()).collect();
    let columns: Vec<String> = ix.columns.iter().filter_map(|&i| t.columns.get(i)).map(|c| c.name.clone()).collect();
    SqlError::DuplicateKey {
        value: values.join(if ctx.flavour.is_mysql() { "-" } else { ", " }),
        key: ix.name.clone(),
        table: t.name.clone(),
        columns: columns.join(", "),
    }
}

/// What an INSERT works out before touching a row: the target columns, the plan of its rows,
/// the bound defaults, checks, RETURNING and upsert assignments. A prepared INSERT keeps it.
pub struct InsertPlan {
    t: Table,
    cols: Vec<String>,
    targets: Vec<usize>,
    source: QueryPlan,
    defaults: Vec<Option<BExpr>>,
    checks: Checks,
    ret_names: Vec<String>,
    ret_exprs: Vec<BExpr>,
    upsert: Vec<(usize, BExpr)>,
    /// AUTO_INCREMENT / SERIAL columns.
    auto: Vec<usize>,
}

pub fn plan_insert(catalog: &Catalog, ctx: &Context, ins: &Insert) -> Result<InsertPlan> {
    let t = table_of(catalog, ctx, &ins.table)?;
    let cols = column_names(&t);
    let targets: Vec<usize> = if ins.columns.is_empty() {
        (0..cols.len()).collect()
    } else {
        ins.columns
            .iter()
            .map(|c| {
                t.column_index(c).ok_or_else(|| SqlError::NoSuchColumn { column: c.clone(), clause: "field list" })
            })
            .collect::<Result<Vec<_>>>()?
    };
    let source = Binder::new(catalog, ctx.database, ctx.flavour).query(&ins.source)?;
    let mut binder = Binder::new(catalog, ctx.database, ctx.flavour);
    let defaults: Vec<Option<BExpr>> = t
        .columns
        .iter()
        .map(|c| c.default.as_ref().map(|d| binder.expr_over(&t.name, &[], d)).transpose())
        .collect::<Result<Vec<_>>>()?;
    let checks = Checks::new(&mut binder, &t)?;
    let (ret_names, ret_exprs) = bind_returning(&mut binder, &t, &t.name, &ins.returning)?;
    // ON DUPLICATE KEY UPDATE / ON CONFLICT DO UPDATE: bound over [existing row | excluded row].
    let upsert: Vec<(usize, BExpr)> = match &ins.on_conflict {
        OnConflict::Update(sets) => {
            let mut out = Vec::new();
            for (name, e) in sets {
                let i = t
                    .column_index(name)
                    .ok_or_else(|| SqlError::NoSuchColumn { column: name.clone(), clause: "field list" })?;
                let bound = bind_upsert(&mut binder, &t.name, &cols, e)?;
                out.push((i, bound));
            }
            out
        }
        _ => Vec::new(),
    };
    let auto = t.columns.iter().enumerate().filter(|(_, c)| c.auto_increment).map(|(i, _)| i).collect();
    Ok(InsertPlan { t, cols, targets, source, defaults, checks, ret_names, ret_exprs, upsert, auto })
}

pub fn insert(catalog: &mut Catalog, ctx: &Context, ins: &Insert, changes: &mut Vec<Change>) -> Result<Outcome> {
    let plan = plan_insert(catalog, ctx, ins)?;
    run_insert(catalog, ctx, ins, &plan, changes)
}

/// Runs a planned INSERT: computes its rows, then writes them one by one.
pub fn run_insert(
    catalog: &mut Catalog,
    ctx: &Context,
    ins: &Insert,
    plan: &InsertPlan,
    changes: &mut Vec<Change>,
) -> Result<Outcome> {
    let InsertPlan { t, cols, targets, source, defaults, checks, ret_names, ret_exprs, upsert, auto } = plan;
    let source = Executor::new(catalog, ctx.env(), ctx.budget).query(source)?;
    let mut affected = 0u64;
    let mut returned = Vec::new();
    for src in source {
        if src.len() != targets.len() {
            return Err(SqlError::ColumnCount);
        }
        let mut row = vec![Value::Null; cols.len()];
        let mut given = vec![false; cols.len()];
        for (&i, v) in targets.iter().zip(src) {
            row[i] = v;
            given[i] = true;
        }
        {
            let mut ex = Executor::new(catalog, ctx.env(), ctx.budget);
            for (i, c) in t.columns.iter().enumerate() {
                if !given[i] {
                    if let Some(d) = &defaults[i] {
                        row[i] = ex.eval(d, &[])?;
                    }
                }
                let v = std::mem::replace(&mut row[i], Value::Null);
                row[i] = store(v, &c.data_type, ctx.flavour)?;
            }
        }
        // AUTO_INCREMENT / SERIAL: a missing or NULL value takes the next number.
        if !auto.is_empty() {
            if let Some(tm) = catalog.table_mut(ctx.database, &ins.table) {
                for &i in auto {
                    match &row[i] {
                        Value::Null => {
                            row[i] = Value::Int(tm.auto_increment);
                            tm.auto_increment += 1;
                        }
                        Value::Int(v) if *v >= tm.auto_increment => tm.auto_increment = v + 1,
                        _ => {}
                    }
                }
            }
        }
        let current = t;
        checks.verify(catalog, ctx, current, &row)?;
        // A plain INSERT leaves the unique check to the write itself (one index look-up, not two).
        let conflict = match ins.on_conflict {
            OnConflict::Error => None,
            _ => live(catalog, ctx, &ins.table)?.conflict(&row, None),
        };
        match conflict {
            None => {
                // One copy of the row for the change record; the table takes the row itself.
                let logged = row.clone();
                let tm = catalog.table_mut(ctx.database, &ins.table).ok_or(SqlError::TooDeep)?;
                let id = tm.insert_row(row, None).map_err(|c| duplicate(ctx, current, c.index, &logged))?;
                if !ret_exprs.is_empty() {
                    returned.push(logged.clone());
                }
                changes.push(Change::Insert {
                    database: ctx.database.into(),
                    table: ins.table.clone(),
                    id,
                    row: logged,
                });
                affected += 1;
            }
            Some(conflict) => match &ins.on_conflict {
                OnConflict::Error => return Err(duplicate(ctx, current, conflict.index, &row)),
                OnConflict::Ignore => {}
                OnConflict::Replace => {
                    let tm = catalog.table_mut(ctx.database, &ins.table).ok_or(SqlError::TooDeep)?;
                    let mut removed = 0;
                    while let Some(c) = tm.conflict(&row, None) {
                        if let Some(old) = tm.delete_row(c.existing) {
                            changes.push(Change::Delete {
                                database: ctx.database.into(),
                                table: ins.table.clone(),
                                id: c.existing,
                                row: old,
                            });
                        }
                        removed += 1;
                        if removed > 64 {
                            break;
                        }
                    }
                    let id = tm.insert_row(row.clone(), None).map_err(|c| duplicate(ctx, current, c.index, &row))?;
                    changes.push(Change::Insert {
                        database: ctx.database.into(),
                        table: ins.table.clone(),
                        id,
                        row: row.clone(),
                    });
                    affected += 1 + removed;
                }
                OnConflict::Update(_) => {
                    let Some(old) = live(catalog, ctx, &ins.table)?.rows.get(&conflict.existing).cloned() else {
                        continue;
                    };
                    let mut wide = old.clone();
                    wide.extend(row.iter().cloned());
                    let mut new = old.clone();
                    {
                        let mut ex = Executor::new(catalog, ctx.env(), ctx.budget);
                        for (i, e) in upsert.iter() {
                            let v = ex.eval(e, &wide)?;
                            if let Some(c) = current.columns.get(*i) {
                                new[*i] = cast(&v, &c.data_type, ctx.flavour)?;
                            }
                        }
                    }
                    checks.verify(catalog, ctx, current, &new)?;
                    let tm = catalog.table_mut(ctx.database, &ins.table).ok_or(SqlError::TooDeep)?;
                    tm.update_row(conflict.existing, new.clone())
                        .map_err(|c| duplicate(ctx, current, c.index, &new))?;
                    if new != old || !ctx.flavour.is_mysql() {
                        affected += if ctx.flavour.is_mysql() { 2 } else { 1 };
                    }
                    changes.push(Change::Update {
                        database: ctx.database.into(),
                        table: ins.table.clone(),
                        id: conflict.existing,
                        old,
                        new: new.clone(),
                    });
                    if !ret_exprs.is_empty() {
                        returned.push(new);
                    }
                }
            },
        }
    }
    returning_outcome(catalog, ctx, "INSERT", affected, ret_names.clone(), ret_exprs, returned)
}

/// Binds an upsert assignment over [existing row | proposed row], where the proposed row is
/// called `excluded` (PostgreSQL) and reachable as `VALUES(col)` (MySQL).
fn bind_upsert(binder: &mut Binder, table: &str, cols: &[String], e: &Expr) -> Result<BExpr> {
    let e = rewrite_values(e);
    let mut wide: Vec<String> = cols.to_vec();
    wide.extend(cols.iter().map(|c| format!("excluded.{c}")));
    let e = qualify_excluded(&e);
    binder.expr_over(table, &wide, &e)
}

/// `VALUES(col)` → `excluded.col`.
fn rewrite_values(e: &Expr) -> Expr {
    match e {
        Expr::Function { name, args, .. } if name == "values" && args.len() == 1 => match &args[0] {
            Expr::Column { name, .. } => Expr::Column { table: Some("excluded".into()), name: name.clone() },
            other => other.clone(),
        },
        Expr::Binary { op, left, right } => {
            Expr::Binary { op: *op, left: Box::new(rewrite_values(left)), right: Box::new(rewrite_values(right)) }
        }
        Expr::Unary { op, expr } => Expr::Unary { op: *op, expr: Box::new(rewrite_values(expr)) },
        Expr::Function { name, args, distinct, star, over } => Expr::Function {
            name: name.clone(),
            args: args.iter().map(rewrite_values).collect(),
            distinct: *distinct,
            star: *star,
            over: over.clone(),
        },
        other => other.clone(),
    }
}

/// `excluded.col` names the second half of the wide row, whose columns are `excluded.col`.
fn qualify_excluded(e: &Expr) -> Expr {
    match e {
        Expr::Column { table: Some(t), name } if t == "excluded" => {
            Expr::Column { table: None, name: format!("excluded.{name}") }
        }
        Expr::Binary { op, left, right } => {
            Expr::Binary { op: *op, left: Box::new(qualify_excluded(left)), right: Box::new(qualify_excluded(right)) }
        }
        Expr::Unary { op, expr } => Expr::Unary { op: *op, expr: Box::new(qualify_excluded(expr)) },
        Expr::Function { name, args, distinct, star, over } => Expr::Function {
            name: name.clone(),
            args: args.iter().map(qualify_excluded).collect(),
            distinct: *distinct,
            star: *star,
            over: over.clone(),
        },
        other => other.clone(),
    }
}

fn returning_outcome(
    catalog: &Catalog,
    ctx: &Context,
    tag: &'static str,
    affected: u64,
    names: Vec<String>,
    exprs: &[BExpr],
    rows: Vec<Row>,
) -> Result<Outcome> {
    if exprs.is_empty() {
        return Ok(Outcome::Affected { tag, count: affected });
    }
    let mut ex = Executor::new(catalog, ctx.env(), ctx.budget);
    let mut out = Vec::new();
    for r in rows {
        out.push(exprs.iter().map(|e| ex.eval(e, &r)).collect::<Result<Row>>()?);
    }
    Ok(Outcome::Rows { columns: names, rows: out })
}

pub fn update(catalog: &mut Catalog, ctx: &Context, u: &Update, changes: &mut Vec<Change>) -> Result<Outcome> {
    let t = table_of(catalog, ctx, &u.table)?;
    let cols = column_names(&t);
    let alias = u.alias.clone().unwrap_or_else(|| u.table.clone());
    let mut binder = Binder::new(catalog, ctx.database, ctx.flavour);
    let rel = binder.table_scan(&u.table, &alias, &cols, u.filter.as_ref())?;
    let mut sets = Vec::new();
    for (name, e) in &u.set {
        let i = t
            .column_index(name)
            .ok_or_else(|| SqlError::NoSuchColumn { column: name.clone(), clause: "field list" })?;
        sets.push((i, binder.expr_over(&alias, &cols, e)?));
    }
    let checks = Checks::new(&mut binder, &t)?;
    let (ret_names, ret_exprs) = bind_returning(&mut binder, &t, &alias, &u.returning)?;
    drop(binder);
    let targets = {
        let mut ex = Executor::new(catalog, ctx.env(), ctx.budget);
        let found = ex.scan(&rel, cols.len())?;
        let mut out = Vec::new();
        for (id, old) in found {
            let mut new = old.clone();
            for (i, e) in &sets {
                let v = ex.eval(e, &old)?;
                if let Some(c) = t.columns.get(*i) {
                    new[*i] = cast(&v, &c.data_type, ctx.flavour)?;
                }
            }
            out.push((id, old, new));
        }
        out
    };
    let mut affected = 0;
    let mut returned = Vec::new();
    for (id, old, new) in targets {
        let current = &t;
        checks.verify(catalog, ctx, current, &new)?;
        check_parent(catalog, ctx, current, &old, Some(&new))?;
        if new != old || !ctx.flavour.is_mysql() {
            affected += 1;
        }
        let tm = catalog.table_mut(ctx.database, &u.table).ok_or(SqlError::TooDeep)?;
        tm.update_row(id, new.clone()).map_err(|c| duplicate(ctx, current, c.index, &new))?;
        changes.push(Change::Update {
            database: ctx.database.into(),
            table: u.table.clone(),
            id,
            old,
            new: new.clone(),
        });
        if !ret_exprs.is_empty() {
            returned.push(new);
        }
    }
    returning_outcome(catalog, ctx, "UPDATE", affected, ret_names, &ret_exprs, returned)
}

pub fn delete(catalog: &mut Catalog, ctx: &Context, d: &Delete, changes: &mut Vec<Change>) -> Result<Outcome> {
    let t = table_of(catalog, ctx, &d.table)?;
    let cols = column_names(&t);
    let alias = d.alias.clone().unwrap_or_else(|| d.table.clone());
    let mut binder = Binder::new(catalog, ctx.database, ctx.flavour);
    let rel = binder.table_scan(&d.table, &alias, &cols, d.filter.as_ref())?;
    let (ret_names, ret_exprs) = bind_returning(&mut binder, &t, &alias, &d.returning)?;
    drop(binder);
    let found = Executor::new(catalog, ctx.env(), ctx.budget).scan(&rel, cols.len())?;
    let mut affected = 0;
    let mut returned = Vec::new();
    for (id, old) in found {
        check_parent(catalog, ctx, &t, &old, None)?;
        let tm = catalog.table_mut(ctx.database, &d.table).ok_or(SqlError::TooDeep)?;
        if let Some(row) = tm.delete_row(id) {
            affected += 1;
            changes.push(Change::Delete {
                database: ctx.database.into(),
                table: d.table.clone(),
                id,
                row: row.clone(),
            });
            if !ret_exprs.is_empty() {
                returned.push(row);
            }
        }
    }
    returning_outcome(catalog, ctx, "DELETE", affected, ret_names, &ret_exprs, returned)
}
