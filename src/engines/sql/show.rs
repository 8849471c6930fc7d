//! SHOW, DESCRIBE, EXPLAIN and `information_schema`: the catalog and the plans, as result sets
//! shaped like each server's (MySQL's `Field | Type | Null | Key | Default | Extra`,
//! PostgreSQL's `QUERY PLAN`). [`information_schema`] builds the `tables` and `columns` views
//! that the binder reads as derived tables.

use super::ast::Statement;
use super::error::{unsupported, Result, SqlError};
use super::flavour::Flavour;
use super::plan::{Access, Binder, FromPlan, QueryPlan, RelSource, SetPlan};
use super::server::{Context, Outcome};
use super::storage::{Catalog, Table};
use super::types::Value;

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn rows(columns: &[&str], rows: Vec<Vec<Value>>) -> Result<Outcome> {
    Ok(Outcome::Rows { columns: columns.iter().map(|c| c.to_string()).collect(), rows })
}

fn table<'a>(catalog: &'a Catalog, ctx: &Context, name: &str) -> Result<&'a Table> {
    catalog
        .table(ctx.database, name)
        .map(|t| t.as_ref())
        .ok_or_else(|| SqlError::NoSuchTable { database: ctx.database.into(), table: name.into() })
}

pub fn show(catalog: &Catalog, ctx: &Context, st: &Statement) -> Result<Outcome> {
    if ctx.flavour == Flavour::Postgres {
        let what = match st {
            Statement::ShowDatabases => "databases",
            Statement::ShowTables => "tables",
            _ => "columns",
        };
        return Err(SqlError::UnknownParameter(what.to_string()));
    }
    match st {
        Statement::ShowDatabases => {
            let mut names: Vec<String> = vec!["information_schema".into(), "performance_schema".into(), "sys".into()];
            names.extend(catalog.databases.keys().cloned());
            names.sort();
            rows(&["Database"], names.iter().map(|n| vec![text(n)]).collect())
        }
        Statement::ShowTables => {
            let db = catalog.databases.get(ctx.database);
            let mut names: Vec<String> =
                db.map(|d| d.tables.keys().chain(d.views.keys()).cloned().collect()).unwrap_or_default();
            names.sort();
            let col = format!("Tables_in_{}", ctx.database);
            rows(&[col.as_str()], names.iter().map(|n| vec![text(n)]).collect())
        }
        Statement::ShowColumns(name) => {
            let t = table(catalog, ctx, name)?;
            let out = t
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let key = t
                        .indexes
                        .iter()
                        .find(|ix| ix.columns.first() == Some(&i))
                        .map(|ix| {
                            if ix.primary {
                                "PRI"
                            } else if ix.unique {
                                "UNI"
                            } else {
                                "MUL"
                            }
                        })
                        .unwrap_or("");
                    let default = match &c.default {
                        Some(super::ast::Expr::Literal(v)) => {
                            super::server::display_value(v, ctx.flavour).map(Value::Text).unwrap_or(Value::Null)
                        }
                        Some(_) => text("expression"),
                        None => Value::Null,
                    };
                    vec![
                        text(&c.name),
                        text(&c.data_type.display(true)),
                        text(if c.not_null { "NO" } else { "YES" }),
                        text(key),
                        default,
                        text(if c.auto_increment { "auto_increment" } else { "" }),
                    ]
                })
                .collect();
            rows(&["Field", "Type", "Null", "Key", "Default", "Extra"], out)
        }
        Statement::ShowCreateTable(name) => {
            let t = table(catalog, ctx, name)?;
            rows(&["Table", "Create Table"], vec![vec![text(&t.name), text(&create_table_sql(t))]])
        }
        Statement::ShowIndex(name) => {
            let t = table(catalog, ctx, name)?;
            let mut out = Vec::new();
            for ix in &t.indexes {
                for (seq, &c) in ix.columns.iter().enumerate() {
                    out.push(vec![
                        text(&t.name),
                        Value::Int(if ix.unique { 0 } else { 1 }),
                        text(&ix.name),
                        Value::Int(seq as i64 + 1),
                        text(t.columns.get(c).map(|c| c.name.as_str()).unwrap_or("")),
                        text("BTREE"),
                    ]);
                }
            }
            rows(&["Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name", "Index_type"], out)
        }
        _ => unsupported("SHOW"),
    }
}

/// MySQL's `SHOW CREATE TABLE` text.
pub fn create_table_sql(t: &Table) -> String {
    let mut lines: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            let mut s = format!("  `{}` {}", c.name, c.data_type.display(true));
            if c.not_null {
                s.push_str(" NOT NULL");
            }
            if c.auto_increment {
                s.push_str(" AUTO_INCREMENT");
            }
            if let Some(super::ast::Expr::Literal(v)) = &c.default {
                if let Some(d) = super::server::display_value(v, Flavour::MySql) {
                    s.push_str(&format!(" DEFAULT '{d}'"));
                }
            }
            s
        })
        .collect();
    let names = |cols: &[usize]| {
        cols.iter().filter_map(|&i| t.columns.get(i)).map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(",")
    };
    for ix in &t.indexes {
        if ix.primary {
            lines.push(format!("  PRIMARY KEY ({})", names(&ix.columns)));
        } else if ix.unique {
            lines.push(format!("  UNIQUE KEY `{}` ({})", ix.name, names(&ix.columns)));
        } else {
            lines.push(format!("  KEY `{}` ({})", ix.name, names(&ix.columns)));
        }
    }
    for fk in &t.foreign_keys {
        lines.push(format!(
            "  CONSTRAINT `{}` FOREIGN KEY ({}) REFERENCES `{}` ({})",
            fk.name,
            names(&fk.columns),
            fk.table,
            fk.referred.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(",")
        ));
    }
    format!(
        "CREATE TABLE `{}` (\n{}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci",
        t.name,
        lines.join(",\n")
    )
}

/// EXPLAIN: the chosen access path of each table, in the flavour's shape.
pub fn explain(catalog: &Catalog, ctx: &Context, st: &Statement) -> Result<Outcome> {
    let Statement::Query(q) = st else { return unsupported("EXPLAIN of this statement") };
    let mut binder = Binder::new(catalog, ctx.database, ctx.flavour);
    let plan = binder.query(q)?;
    if ctx.flavour.is_mysql() {
        let mut out = Vec::new();
        mysql_rows(catalog, &plan, &mut out);
        rows(
            &[
                "id",
                "select_type",
                "table",
                "partitions",
                "type",
                "possible_keys",
                "key",
                "key_len",
                "ref",
                "rows",
                "filtered",
                "Extra",
            ],
            out,
        )
    } else {
        let mut lines = Vec::new();
        pg_lines(catalog, &plan, 0, &mut lines);
        rows(&["QUERY PLAN"], lines.into_iter().map(|l| vec![Value::Text(l)]).collect())
    }
}

fn from_of(plan: &QueryPlan) -> Vec<&FromPlan> {
    fn walk<'a>(s: &'a SetPlan, out: &mut Vec<&'a FromPlan>) {
        match s {
            SetPlan::Select(sel) => out.push(&sel.from),
            SetPlan::SetOp { left, right, .. } => {
                walk(left, out);
                walk(right, out)
            }
            SetPlan::Query(q) => walk(&q.body, out),
            SetPlan::Values(_) => {}
        }
    }
    let mut out = Vec::new();
    walk(&plan.body, &mut out);
    out
}

fn mysql_rows(catalog: &Catalog, plan: &QueryPlan, out: &mut Vec<Vec<Value>>) {
    let null = Value::Null;
    for from in from_of(plan) {
        for step in &from.steps {
            let Some(rel) = from.rels.get(step.rel) else { continue };
            let (kind, key, count) = match &rel.source {
                RelSource::Table { database, table, access } => {
                    let n = catalog.table(database, table).map(|t| t.rows.len()).unwrap_or(0) as i64;
                    match access {
                        Access::FullScan if step.hash.is_some() => ("ALL", None, n),
                        Access::FullScan => ("ALL", None, n),
                        Access::IndexEq { name, .. } => {
                            let unique = catalog
                                .table(database, table)
                                .and_then(|t| t.indexes.iter().find(|i| &i.name == name))
                                .is_some_and(|i| i.unique);
                            (if unique { "const" } else { "ref" }, Some(name.clone()), 1)
                        }
                        Access::IndexRange { name, .. } => ("range", Some(name.clone()), (n / 3).max(1)),
                    }
                }
                RelSource::Dual => continue,
                _ => ("ALL", None, 0),
            };
            let extra = match (&step.hash, rel.filters.is_empty()) {
                (Some(_), _) => "Using where; Using join buffer (hash join)",
                (None, false) => "Using where",
                _ => "",
            };
            out.push(vec![
                Value::Int(1),
                text("SIMPLE"),
                text(&rel.name),
                null.clone(),
                text(kind),
                key.clone().map(|k| text(&k)).unwrap_or(Value::Null),
                key.map(|k| text(&k)).unwrap_or(Value::Null),
                null.clone(),
                null.clone(),
                Value::Int(count),
                text("100.00"),
                if extra.is_empty() { null.clone() } else { text(extra) },
            ]);
        }
    }
}

fn pg_lines(catalog: &Catalog, plan: &QueryPlan, depth: usize, out: &mut Vec<String>) {
    let pad = |d: usize| if d == 0 { String::new() } else { format!("{}->  ", "  ".repeat(d * 3 - 2)) };
    for from in from_of(plan) {
        let scans: Vec<String> = from
            .steps
            .iter()
            .filter_map(|step| from.rels.get(step.rel))
            .filter_map(|rel| match &rel.source {
                RelSource::Table { table, access, .. } => Some(match access {
                    Access::FullScan => format!("Seq Scan on {table}"),
                    Access::IndexEq { name, .. } | Access::IndexRange { name, .. } => {
                        format!("Index Scan using {name} on {table}")
                    }
                }),
                RelSource::Derived(_) => Some(format!("Subquery Scan on {}", rel.name)),
                RelSource::Cte(_) => Some(format!("CTE Scan on {}", rel.name)),
                RelSource::OuterJoin { .. } => Some("Nested Loop Left Join".to_string()),
                RelSource::Dual => None,
            })
            .collect();
        if scans.is_empty() {
            out.push(format!("{}Result", pad(depth)));
            continue;
        }
        let _ = catalog;
        let joins = scans.len().saturating_sub(1);
        for j in 0..joins {
            let hashed = from.steps.get(scans.len() - 1 - j).is_some_and(|s| s.hash.is_some());
            out.push(format!("{}{}", pad(depth + j), if hashed { "Hash Join" } else { "Nested Loop" }));
        }
        for (i, s) in scans.iter().enumerate() {
            out.push(format!("{}{}", pad(depth + joins.min(i + 1).max(if joins > 0 { 1 } else { 0 })), s));
        }
    }
}

/// `information_schema.tables` and `.columns`, built from the catalog when named (the binder
/// reads them as derived tables).
pub fn information_schema(catalog: &Catalog, flavour: Flavour, name: &str) -> Option<(Vec<String>, Vec<Vec<Value>>)> {
    match name {
        "information_schema.tables" => {
            let cols = ["table_catalog", "table_schema", "table_name", "table_type"];
            let mut rows = Vec::new();
            for (dbname, db) in &catalog.databases {
                for t in db.tables.keys() {
                    rows.push(vec![text("def"), text(dbname), text(t), text("BASE TABLE")]);
                }
                for v in db.views.keys() {
                    rows.push(vec![text("def"), text(dbname), text(v), text("VIEW")]);
                }
            }
            Some((cols.iter().map(|c| c.to_string()).collect(), rows))
        }
        "information_schema.columns" => {
            let cols = [
                "table_schema",
                "table_name",
                "column_name",
                "ordinal_position",
                "data_type",
                "is_nullable",
                "column_default",
            ];
            let mut rows = Vec::new();
            for (dbname, db) in &catalog.databases {
                for (tname, t) in &db.tables {
                    for (i, c) in t.columns.iter().enumerate() {
                        let dt = c.data_type.display(flavour.is_mysql());
                        let base = dt.split('(').next().unwrap_or("").to_string();
                        rows.push(vec![
                            text(dbname),
                            text(tname),
                            text(&c.name),
                            Value::Int(i as i64 + 1),
                            text(&base),
                            text(if c.not_null { "NO" } else { "YES" }),
                            Value::Null,
                        ]);
                    }
                }
            }
            Some((cols.iter().map(|c| c.to_string()).collect(), rows))
        }
        _ => None,
    }
}
