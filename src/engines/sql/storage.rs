//! Storage: databases of in-memory tables, each with its rows and its indexes.
//!
//! ```text
//!   Catalog ── databases ──▶ Database ── tables ──▶ Arc<Table>
//!                                                   ├─ rows:    row id ─▶ [values]   (BTreeMap)
//!                                                   └─ indexes: [key values] ─▶ {row ids}
//! ```
//!
//! (`index` describes the indexes' entries.)
//!
//! Rows live in a B-tree keyed by a row id that never changes, so an index entry can point at a
//! row. The primary key is simply the first unique index. Tables sit behind `Arc`s: a transaction
//! copies the catalog cheaply (the `Arc`s, not the rows) and a table is copied only when the
//! transaction first writes to it (`Arc::make_mut`): copy-on-write isolation.
//!
//! Every write goes through [`Table::insert_row`], [`Table::delete_row`] or [`Table::update_row`],
//! which keep the indexes in step and report a [`Change`]: the unit of undo (a failed statement
//! undoes its changes) and of the commit log (replicas apply the same changes).

use super::ast::{Expr, Query};
pub use super::index::{Index, Key, RowId, RowIds};
use super::types::{DataType, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

pub type Row = Vec<Value>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub data_type: DataType,
    pub not_null: bool,
    pub default: Option<Expr>,
    pub auto_increment: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForeignKeyDef {
    pub name: String,
    pub columns: Vec<usize>,
    pub table: String,
    pub referred: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: BTreeMap<RowId, Row>,
    pub next_row_id: RowId,
    pub indexes: Vec<Index>,
    pub checks: Vec<(String, Expr)>,
    pub foreign_keys: Vec<ForeignKeyDef>,
    pub auto_increment: i64,
    /// Whether text keys fold case (MySQL's default collation).
    pub fold_case: bool,
    /// An estimate of the bytes the rows take, for the memory quota.
    pub bytes: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub name: String,
    pub columns: Vec<String>,
    pub query: Query,
    pub sql: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Database {
    pub tables: BTreeMap<String, Arc<Table>>,
    pub views: BTreeMap<String, View>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Catalog {
    pub databases: BTreeMap<String, Database>,
    /// Names this catalog's schema (its databases, tables, columns, indexes, views): a new
    /// number after every schema change, so a cached plan knows whether it still fits.
    #[serde(skip, default = "fresh_schema_id")]
    schema: u64,
}

impl Default for Catalog {
    fn default() -> Catalog {
        Catalog { databases: BTreeMap::new(), schema: fresh_schema_id() }
    }
}

/// Two catalogs are equal when they hold the same things; the schema number is bookkeeping.
impl PartialEq for Catalog {
    fn eq(&self, other: &Catalog) -> bool {
        self.databases == other.databases
    }
}

/// Schema numbers are unique across all catalogs of the process, so two catalogs that share a
/// number (a transaction's copy, a snapshot) have the same schema.
fn fresh_schema_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One row-level change, as the undo list and the commit log record it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Change {
    Insert {
        database: String,
        table: String,
        id: RowId,
        row: Row,
    },
    Delete {
        database: String,
        table: String,
        id: RowId,
        row: Row,
    },
    Update {
        database: String,
        table: String,
        id: RowId,
        old: Row,
        new: Row,
    },
    /// A schema change: the table as it now is (rows included), or `None` when dropped.
    Table {
        database: String,
        table: String,
        before: Option<Arc<Table>>,
        after: Option<Arc<Table>>,
    },
    /// A view created (`Some`) or dropped.
    View {
        database: String,
        view: String,
        before: Option<Box<View>>,
        after: Option<Box<View>>,
    },
    Database {
        name: String,
        exists: bool,
    },
}

/// What a write refused: which unique index, and the key it met again.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyConflict {
    pub index: usize,
    pub existing: RowId,
}

impl Table {
    pub fn new(name: &str, columns: Vec<Column>, fold_case: bool) -> Table {
        Table {
            name: name.to_string(),
            columns,
            rows: BTreeMap::new(),
            next_row_id: 1,
            indexes: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            auto_increment: 1,
            fold_case,
            bytes: 0,
        }
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn primary_key(&self) -> Option<&Index> {
        self.indexes.iter().find(|i| i.primary)
    }

    /// The index key of a row: the indexed values, text folded when the collation says so.
    pub fn key_of(&self, index: &Index, row: &Row) -> Key {
        let value = |c: usize| fold(row.get(c).cloned().unwrap_or(Value::Null), self.fold_case);
        match index.columns.as_slice() {
            [c] => Key::One(value(*c)),
            columns => Key::Many(columns.iter().map(|&c| value(c)).collect()),
        }
    }

    /// The row's key in every index, in the order of `indexes`.
    fn keys_of(&self, row: &Row) -> Vec<Key> {
        self.indexes.iter().map(|index| self.key_of(index, row)).collect()
    }

    /// A unique index already holding this row's key (NULLs never collide, as in both servers).
    pub fn conflict(&self, row: &Row, ignore: Option<RowId>) -> Option<KeyConflict> {
        self.conflict_of_keys(&self.keys_of(row), ignore)
    }

    /// [`Table::conflict`] for keys already worked out (`keys[i]` is the key in index `i`).
    fn conflict_of_keys(&self, keys: &[Key], ignore: Option<RowId>) -> Option<KeyConflict> {
        for (i, (index, key)) in self.indexes.iter().zip(keys).enumerate() {
            if !index.unique || key.has_null() {
                continue;
            }
            if let Some(existing) = index.get(key.as_slice()).find(|&id| Some(id) != ignore) {
                return Some(KeyConflict { index: i, existing });
            }
        }
        None
    }

    fn index_add(&mut self, id: RowId, keys: Vec<Key>) {
        for (index, key) in self.indexes.iter_mut().zip(keys) {
            index.add(key, id);
        }
    }

    fn index_remove(&mut self, id: RowId, row: &Row) {
        for i in 0..self.indexes.len() {
            let key = self.key_of(&self.indexes[i], row);
            self.indexes[i].remove(key.as_slice(), id);
        }
    }

    fn row_bytes(row: &Row) -> usize {
        32 + row.iter().map(Value::size).sum::<usize>()
    }

    /// Adds a row under a fresh id (or `id` when replaying), after checking unique keys.
    pub fn insert_row(&mut self, row: Row, id: Option<RowId>) -> Result<RowId, KeyConflict> {
        // The keys are worked out once: checked against the unique indexes, then added.
        let keys = self.keys_of(&row);
        if let Some(c) = self.conflict_of_keys(&keys, None) {
            return Err(c);
        }
        let id = id.unwrap_or(self.next_row_id);
        self.next_row_id = self.next_row_id.max(id + 1);
        self.index_add(id, keys);
        self.bytes += Table::row_bytes(&row);
        self.rows.insert(id, row);
        Ok(id)
    }

    pub fn delete_row(&mut self, id: RowId) -> Option<Row> {
        let row = self.rows.remove(&id)?;
        self.index_remove(id, &row);
        self.bytes = self.bytes.saturating_sub(Table::row_bytes(&row));
        Some(row)
    }

    /// Replaces a row's values, checking unique keys against the other rows.
    pub fn update_row(&mut self, id: RowId, new: Row) -> Result<Row, KeyConflict> {
        let keys = self.keys_of(&new);
        if let Some(c) = self.conflict_of_keys(&keys, Some(id)) {
            return Err(c);
        }
        let Some(old) = self.rows.get(&id).cloned() else { return Ok(new) };
        self.index_remove(id, &old);
        self.index_add(id, keys);
        self.bytes = self.bytes.saturating_sub(Table::row_bytes(&old)) + Table::row_bytes(&new);
        self.rows.insert(id, new);
        Ok(old)
    }

    /// Adds an index over the existing rows; fails (with the clashing key) if a unique one cannot hold.
    pub fn add_index(
        &mut self,
        name: &str,
        columns: Vec<usize>,
        unique: bool,
        primary: bool,
    ) -> Result<(), Vec<Value>> {
        let mut index = Index { name: name.to_string(), columns, unique, primary, entries: BTreeMap::new() };
        for (id, row) in &self.rows {
            let key = self.key_of(&index, row);
            if unique && !key.has_null() && index.entries.contains_key(key.as_slice()) {
                return Err(key.as_slice().to_vec());
            }
            index.add(key, *id);
        }
        if primary {
            self.indexes.insert(0, index);
        } else {
            self.indexes.push(index);
        }
        Ok(())
    }

    /// Copies every row into fresh memory, one after the other in row-id order. Rows written one
    /// by one end up scattered among the index entries and log records made with them; a scan
    /// then waits on memory for each row. Packed together, they stream through the cache.
    /// (Index entries need no packing: their keys sit inside the B-tree's own nodes.)
    pub fn pack_rows(&mut self) {
        let packed: BTreeMap<RowId, Row> = self.rows.iter().map(|(id, r)| (*id, r.clone())).collect();
        self.rows = packed;
    }

    /// Rebuilds every index, after the columns changed shape.
    pub fn rebuild_indexes(&mut self) {
        let rows: Vec<(RowId, Row)> = self.rows.iter().map(|(k, v)| (*k, v.clone())).collect();
        for index in &mut self.indexes {
            index.entries.clear();
        }
        for (id, row) in rows {
            let keys = self.keys_of(&row);
            self.index_add(id, keys);
        }
    }
}

/// Folds text for comparison under a case-insensitive collation.
pub fn fold(v: Value, fold_case: bool) -> Value {
    match v {
        Value::Text(s) if fold_case => Value::Text(s.to_lowercase()),
        v => v,
    }
}

impl Catalog {
    /// Applies a change made elsewhere (a replica applying the log, a transaction's commit).
    /// Returns false when the change does not fit this catalog (its row collides).
    pub fn apply(&mut self, change: &Change) -> bool {
        self.note_schema_change(change);
        match change {
            Change::Insert { database, table, id, row } => match self.table_mut(database, table) {
                Some(t) => t.insert_row(row.clone(), Some(*id)).is_ok(),
                None => false,
            },
            Change::Delete { database, table, id, .. } => match self.table_mut(database, table) {
                Some(t) => t.delete_row(*id).is_some(),
                None => false,
            },
            Change::Update { database, table, id, new, .. } => match self.table_mut(database, table) {
                Some(t) => t.update_row(*id, new.clone()).is_ok(),
                None => false,
            },
            Change::Table { database, table, after, .. } => {
                let Some(db) = self.databases.get_mut(database) else { return false };
                match after {
                    Some(t) => {
                        db.tables.insert(table.clone(), t.clone());
                    }
                    None => {
                        db.tables.remove(table);
                    }
                }
                true
            }
            Change::View { database, view, after, .. } => {
                let Some(db) = self.databases.get_mut(database) else { return false };
                match after {
                    Some(v) => {
                        db.views.insert(view.clone(), (**v).clone());
                    }
                    None => {
                        db.views.remove(view);
                    }
                }
                true
            }
            Change::Database { name, exists } => {
                if *exists {
                    self.databases.entry(name.clone()).or_default();
                } else {
                    self.databases.remove(name);
                }
                true
            }
        }
    }

    /// Undoes a change (a statement that failed half way, a rollback to a savepoint).
    pub fn undo(&mut self, change: &Change) {
        self.note_schema_change(change);
        match change {
            Change::Insert { database, table, id, .. } => {
                if let Some(t) = self.table_mut(database, table) {
                    t.delete_row(*id);
                }
            }
            Change::Delete { database, table, id, row } => {
                if let Some(t) = self.table_mut(database, table) {
                    let _ = t.insert_row(row.clone(), Some(*id));
                }
            }
            Change::Update { database, table, id, old, .. } => {
                if let Some(t) = self.table_mut(database, table) {
                    let _ = t.update_row(*id, old.clone());
                }
            }
            Change::Table { database, table, before, .. } => {
                if let Some(db) = self.databases.get_mut(database) {
                    match before {
                        Some(t) => {
                            db.tables.insert(table.clone(), t.clone());
                        }
                        None => {
                            db.tables.remove(table);
                        }
                    }
                }
            }
            Change::View { database, view, before, .. } => {
                if let Some(db) = self.databases.get_mut(database) {
                    match before {
                        Some(v) => {
                            db.views.insert(view.clone(), (**v).clone());
                        }
                        None => {
                            db.views.remove(view);
                        }
                    }
                }
            }
            Change::Database { name, exists } => {
                if *exists {
                    self.databases.remove(name);
                } else {
                    self.databases.entry(name.clone()).or_default();
                }
            }
        }
    }

    /// The number naming the current schema (see [`Catalog`]).
    pub fn schema_id(&self) -> u64 {
        self.schema
    }

    fn note_schema_change(&mut self, change: &Change) {
        if !matches!(change, Change::Insert { .. } | Change::Delete { .. } | Change::Update { .. }) {
            self.schema = fresh_schema_id();
        }
    }

    pub fn table(&self, database: &str, table: &str) -> Option<&Arc<Table>> {
        self.databases.get(database)?.tables.get(table)
    }

    /// The table for writing: copied first if a snapshot or another transaction shares it.
    pub fn table_mut(&mut self, database: &str, table: &str) -> Option<&mut Table> {
        Some(Arc::make_mut(self.databases.get_mut(database)?.tables.get_mut(table)?))
    }

    /// Bytes used by all rows, for the memory quota.
    pub fn bytes(&self) -> usize {
        self.databases.values().flat_map(|d| d.tables.values()).map(|t| t.bytes).sum()
    }
}
