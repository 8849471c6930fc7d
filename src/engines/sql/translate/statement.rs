//! Statements: CREATE TABLE and its columns and types, ALTER TABLE, INSERT (with ON DUPLICATE
//! KEY UPDATE / ON CONFLICT and RETURNING), UPDATE, DELETE, and the dispatch over every
//! statement kind sqlparser reads.

use super::super::ast::*;
use super::super::error::{unsupported, Result, SqlError};
use super::super::flavour::Flavour;
use super::super::types::DataType;
use super::Translator;
use sqlparser::ast as sp;

impl Translator {
    pub(super) fn statement(&self, st: &sp::Statement) -> Result<Statement> {
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

    pub(super) fn alter_table(&self, at: &sp::AlterTable) -> Result<Statement> {
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

    pub(super) fn data_type(&self, dt: &sp::DataType) -> Result<(DataType, bool)> {
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

    pub(super) fn column_def(&self, c: &sp::ColumnDef) -> Result<ColumnDef> {
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

    pub(super) fn index_columns(&self, cols: &[sp::IndexColumn]) -> Result<Vec<String>> {
        cols.iter()
            .map(|c| match &c.column.expr {
                sp::Expr::Identifier(id) => Ok(self.ident(id)),
                _ => unsupported("key on an expression"),
            })
            .collect()
    }

    pub(super) fn create_table(&self, ct: &sp::CreateTable) -> Result<Statement> {
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

    /// `RETURNING`: PostgreSQL's; MySQL 8.0 has none and stops at the word.
    pub(super) fn returning(&self, items: &Option<Vec<sp::SelectItem>>) -> Result<Vec<SelectItem>> {
        match items {
            Some(_) if self.flavour == Flavour::MySql => Err(self.not_this_dialect("RETURNING")),
            Some(items) => items.iter().map(|i| self.select_item(i)).collect(),
            None => Ok(Vec::new()),
        }
    }

    /// The syntax error a server gives for a clause of the other dialect (the parser reads
    /// both): it stops at the clause's first word, `phrase`, and quotes the text from there.
    fn not_this_dialect(&self, phrase: &str) -> SqlError {
        let upper = self.sql.to_ascii_uppercase();
        let near = upper.rfind(phrase).map(|at| self.sql[at..].trim_end_matches([';', ' ', '\n']).to_string());
        SqlError::Syntax { near: near.unwrap_or_default() }
    }

    pub(super) fn assignments(&self, list: &[sp::Assignment]) -> Result<Vec<(String, Expr)>> {
        list.iter()
            .map(|a| match &a.target {
                sp::AssignmentTarget::ColumnName(n) => Ok((self.object_name(n)?, self.expr(&a.value)?)),
                sp::AssignmentTarget::Tuple(_) => unsupported("assignment to a tuple"),
            })
            .collect()
    }

    pub(super) fn insert(&self, ins: &sp::Insert) -> Result<Statement> {
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
            // Each server knows only its own upsert: MySQL's ON DUPLICATE KEY UPDATE,
            // PostgreSQL's ON CONFLICT.
            Some(sp::OnInsert::DuplicateKeyUpdate(_)) if self.flavour == Flavour::Postgres => {
                return Err(self.not_this_dialect("ON DUPLICATE"))
            }
            Some(sp::OnInsert::OnConflict(_)) if self.flavour == Flavour::MySql => {
                return Err(self.not_this_dialect("ON CONFLICT"))
            }
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

    pub(super) fn single_table(&self, t: &sp::TableWithJoins) -> Result<(String, Option<String>)> {
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

    pub(super) fn update(&self, u: &sp::Update) -> Result<Statement> {
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

    pub(super) fn delete(&self, d: &sp::Delete) -> Result<Statement> {
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
}
