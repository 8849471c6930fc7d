//! A database server: its catalog, users, sessions, transactions and commit log.
//!
//! The life of a statement ([`Server::execute`]):
//!
//! 1. `translate` parses the text with the flavour's dialect into the engine's AST;
//! 2. transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT) is handled here;
//! 3. everything else runs against the session's *working catalog*: its transaction's private
//!    copy if one is open, else the committed catalog itself (autocommit);
//! 4. queries are planned (`plan`) and executed (`run`); writes go through `dml`/`ddl`, which
//!    return the row changes they made;
//! 5. if the statement fails, its changes are undone, so a statement is all or nothing; if it
//!    succeeds outside a transaction, its changes are committed at once as one log record.
//!
//! Isolation is copy-on-write: BEGIN copies the catalog (cheaply: tables are shared `Arc`s until
//! written), so other sessions never see uncommitted rows; COMMIT installs the copy, or, if
//! someone else committed meanwhile, replays the transaction's changes on top of theirs.

use super::ast::Statement;
use super::ddl;
use super::dml;
use super::error::{Result, SqlError};
use super::eval::EvalEnv;
use super::flavour::Flavour;
use super::log::{CommitLog, Snapshot};
use super::plan::Binder;
use super::prepared::{CachedPlan, PlanKind, Prepared};
use super::run::Executor;
use super::show;
use super::storage::{Catalog, Change, Row};
use super::translate;
use super::types::Value;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub type SessionId = u32;

/// The bounds on work that keep a bad query from freezing the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Rows touched per statement before it is stopped as a timeout.
    pub step_budget: u64,
    /// Bytes of row data a server may hold.
    pub memory_quota: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { step_budget: 20_000_000, memory_quota: 64 * 1024 * 1024 }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub password: String,
    pub admin: bool,
    /// Databases the user was granted (all privileges, database level).
    pub grants: BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    pub catalog: Catalog,
    pub base_version: u64,
    pub changes: Vec<Change>,
    pub savepoints: Vec<(String, usize)>,
    /// PostgreSQL: after an error, everything until ROLLBACK is refused.
    pub failed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub user: String,
    pub database: Option<String>,
    pub transaction: Option<Transaction>,
}

/// What a statement returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Rows {
        columns: Vec<String>,
        rows: Vec<Row>,
    },
    /// Rows written: the statement's tag (`INSERT`, `UPDATE`, ...) and the count.
    Affected {
        tag: &'static str,
        count: u64,
    },
    /// A statement that returns nothing (`CREATE TABLE`, `BEGIN`), with its PostgreSQL tag.
    Done {
        tag: String,
        warning: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Server {
    pub flavour: Flavour,
    pub catalog: Catalog,
    pub users: BTreeMap<String, User>,
    pub sessions: BTreeMap<SessionId, Session>,
    next_session: SessionId,
    pub log: CommitLog,
    /// Bumped by every commit; a transaction remembers the version it started from.
    version: u64,
    pub limits: Limits,
    /// A read replica's server: every write is refused (MySQL's `read_only`, PostgreSQL's
    /// hot standby), while the replication stream still applies the source's changes.
    pub read_only: bool,
}

impl Server {
    /// A fresh server with its admin user and default database (`postgres` / `mysql`).
    pub fn new(flavour: Flavour, admin_password: &str, now: i64) -> Server {
        let mut users = BTreeMap::new();
        users.insert(
            flavour.admin_user().to_string(),
            User { password: admin_password.to_string(), admin: true, grants: BTreeSet::new() },
        );
        let mut server = Server {
            flavour,
            catalog: Catalog::default(),
            users,
            sessions: BTreeMap::new(),
            next_session: 1,
            log: CommitLog::default(),
            version: 0,
            limits: Limits::default(),
            read_only: false,
        };
        let create = Change::Database { name: flavour.default_database().into(), exists: true };
        server.catalog.apply(&create);
        server.commit_changes(vec![create], now);
        server
    }

    /// Opens a session after checking the password and the database.
    pub fn connect(&mut self, user: &str, password: &str, database: Option<&str>) -> Result<SessionId> {
        self.connect_from(user, password, database, "localhost")
    }

    /// Opens a session for a client connecting from `host` (its address, or `localhost`),
    /// which a refusal names as MySQL does: `'user'@'host'`.
    pub fn connect_from(
        &mut self,
        user: &str,
        password: &str,
        database: Option<&str>,
        host: &str,
    ) -> Result<SessionId> {
        let denied = || SqlError::AccessDenied { user: user.into(), host: host.into(), password: !password.is_empty() };
        let Some(u) = self.users.get(user) else {
            return Err(denied());
        };
        if u.password != password {
            return Err(denied());
        }
        if let Some(db) = database {
            self.check_database(user, db)?;
        }
        let id = self.next_session;
        self.next_session += 1;
        self.sessions
            .insert(id, Session { user: user.into(), database: database.map(String::from), transaction: None });
        Ok(id)
    }

    fn check_database(&self, user: &str, db: &str) -> Result<()> {
        if !self.catalog.databases.contains_key(db) {
            return Err(SqlError::NoSuchDatabase(db.into()));
        }
        let allowed = self.users.get(user).is_some_and(|u| u.admin || u.grants.contains(db))
            || (!self.flavour.is_mysql() && db == self.flavour.default_database());
        if !allowed {
            return Err(SqlError::DatabaseAccessDenied { user: user.into(), database: db.into() });
        }
        Ok(())
    }

    /// Closes a session; an open transaction is rolled back.
    pub fn disconnect(&mut self, id: SessionId) {
        self.sessions.remove(&id);
    }

    pub fn session(&self, id: SessionId) -> Option<&Session> {
        self.sessions.get(&id)
    }

    /// The committed catalog as of now, with its LSN.
    pub fn snapshot(&self, now: i64) -> Snapshot {
        Snapshot { lsn: self.log.latest_lsn(), time: now, catalog: self.catalog.clone() }
    }

    /// Makes this server a copy of a snapshot (a restored instance, a new replica).
    pub fn load(&mut self, catalog: Catalog) {
        self.catalog = catalog;
        self.version += 1;
    }

    fn commit_changes(&mut self, changes: Vec<Change>, now: i64) {
        if changes.is_empty() {
            return;
        }
        self.version += 1;
        self.log.append(now, changes);
    }

    /// Runs every statement of `sql`, stopping at the first error.
    pub fn execute_all(&mut self, id: SessionId, sql: &str, now: i64) -> Vec<Result<Outcome>> {
        let statements = match translate::parse(self.flavour, sql) {
            Ok(s) => s,
            Err(e) => {
                self.fail_transaction(id);
                return vec![Err(e)];
            }
        };
        let mut out = Vec::new();
        for st in statements {
            let r = self.statement(id, &st, &[], None, now);
            let failed = r.is_err();
            if failed {
                self.fail_transaction(id);
            }
            out.push(r);
            if failed {
                break;
            }
        }
        out
    }

    /// Runs one statement (or the last of several) and returns its outcome.
    pub fn execute(&mut self, id: SessionId, sql: &str, now: i64) -> Result<Outcome> {
        let mut all = self.execute_all(id, sql, now);
        all.pop().unwrap_or(Ok(Outcome::Done { tag: String::new(), warning: None }))
    }

    /// Parses one statement for running many times ([`Server::execute_prepared`]).
    pub fn prepare(&self, sql: &str) -> Result<Prepared> {
        let mut statements = translate::parse(self.flavour, sql)?;
        match statements.len() {
            1 => Ok(Prepared::new(statements.remove(0))),
            0 => Err(SqlError::Syntax { near: String::new() }),
            _ => Err(SqlError::MultipleCommands),
        }
    }

    /// Runs a prepared statement with its parameters' values (`$1` / the first `?` first).
    pub fn execute_prepared(
        &mut self,
        id: SessionId,
        prepared: &mut Prepared,
        params: &[Value],
        now: i64,
    ) -> Result<Outcome> {
        let r = self.statement(id, &prepared.statement, params, Some(&mut prepared.plan), now);
        if r.is_err() {
            self.fail_transaction(id);
        }
        r
    }

    fn fail_transaction(&mut self, id: SessionId) {
        if self.flavour.is_mysql() {
            return;
        }
        if let Some(t) = self.sessions.get_mut(&id).and_then(|s| s.transaction.as_mut()) {
            t.failed = true;
        }
    }

    fn statement(
        &mut self,
        id: SessionId,
        st: &Statement,
        params: &[Value],
        cache: Option<&mut Option<CachedPlan>>,
        now: i64,
    ) -> Result<Outcome> {
        let Some(full) = self.sessions.get(&id) else {
            return Err(SqlError::ServerGone);
        };
        if let Some(command) = st.write_command().filter(|_| self.read_only) {
            return Err(SqlError::ReadOnly(command.to_string()));
        }
        // Who and where, without copying the open transaction (its change list can be long).
        let session = Session { user: full.user.clone(), database: full.database.clone(), transaction: None };
        let has_txn = full.transaction.is_some();
        let in_failed_txn = full.transaction.as_ref().is_some_and(|t| t.failed);
        if in_failed_txn && !matches!(st, Statement::Rollback { .. } | Statement::Commit) {
            return Err(SqlError::TransactionAborted);
        }
        let done = |tag: &str| Ok(Outcome::Done { tag: tag.into(), warning: None });
        match st {
            Statement::Begin => {
                let mut warning = None;
                if has_txn {
                    if self.flavour.is_mysql() {
                        self.commit(id, now)?;
                    } else {
                        warning = Some("WARNING:  there is already a transaction in progress".to_string());
                        return Ok(Outcome::Done { tag: "BEGIN".into(), warning });
                    }
                }
                let txn = Transaction {
                    catalog: self.catalog.clone(),
                    base_version: self.version,
                    changes: Vec::new(),
                    savepoints: Vec::new(),
                    failed: false,
                };
                if let Some(s) = self.sessions.get_mut(&id) {
                    s.transaction = Some(txn);
                }
                Ok(Outcome::Done { tag: "BEGIN".into(), warning })
            }
            Statement::Commit => {
                if !has_txn {
                    let warning =
                        (!self.flavour.is_mysql()).then(|| "WARNING:  there is no transaction in progress".to_string());
                    return Ok(Outcome::Done { tag: "COMMIT".into(), warning });
                }
                if in_failed_txn {
                    if let Some(s) = self.sessions.get_mut(&id) {
                        s.transaction = None;
                    }
                    return done("ROLLBACK");
                }
                self.commit(id, now)?;
                done("COMMIT")
            }
            Statement::Rollback { savepoint: None } => {
                let had = has_txn;
                if let Some(s) = self.sessions.get_mut(&id) {
                    s.transaction = None;
                }
                let warning = (!had && !self.flavour.is_mysql())
                    .then(|| "WARNING:  there is no transaction in progress".to_string());
                Ok(Outcome::Done { tag: "ROLLBACK".into(), warning })
            }
            Statement::Rollback { savepoint: Some(name) } => {
                let Some(txn) = self.sessions.get_mut(&id).and_then(|s| s.transaction.as_mut()) else {
                    return Err(SqlError::NoSuchSavepoint(name.clone()));
                };
                let Some(pos) = txn.savepoints.iter().rposition(|(n, _)| n == name) else {
                    return Err(SqlError::NoSuchSavepoint(name.clone()));
                };
                let mark = txn.savepoints[pos].1;
                txn.savepoints.truncate(pos + 1);
                while txn.changes.len() > mark {
                    if let Some(c) = txn.changes.pop() {
                        txn.catalog.undo(&c);
                    }
                }
                txn.failed = false;
                done("ROLLBACK")
            }
            Statement::Savepoint(name) => {
                let Some(txn) = self.sessions.get_mut(&id).and_then(|s| s.transaction.as_mut()) else {
                    if self.flavour.is_mysql() {
                        return done("SAVEPOINT");
                    }
                    return Err(SqlError::NoTransactionBlock);
                };
                let mark = txn.changes.len();
                txn.savepoints.push((name.clone(), mark));
                done("SAVEPOINT")
            }
            Statement::Release(name) => {
                if let Some(txn) = self.sessions.get_mut(&id).and_then(|s| s.transaction.as_mut()) {
                    match txn.savepoints.iter().rposition(|(n, _)| n == name) {
                        Some(pos) => txn.savepoints.truncate(pos),
                        None => return Err(SqlError::NoSuchSavepoint(name.clone())),
                    }
                }
                done("RELEASE")
            }
            Statement::Use(db) => {
                self.check_database(&session.user, db)?;
                if let Some(s) = self.sessions.get_mut(&id) {
                    s.database = Some(db.clone());
                }
                done("USE")
            }
            Statement::CreateUser { .. }
            | Statement::DropUser { .. }
            | Statement::Grant { .. }
            | Statement::Revoke { .. } => self.users_statement(&session.user, st.clone()),
            Statement::Noop => done("SET"),
            Statement::InDatabase(db, inner) => {
                if !self.catalog.databases.contains_key(db) {
                    // MySQL names the missing table when reading or writing one, the database
                    // when creating in it.
                    let table = match &**inner {
                        Statement::Insert(i) => Some(i.table.clone()),
                        Statement::Update(u) => Some(u.table.clone()),
                        Statement::Delete(d) => Some(d.table.clone()),
                        _ => None,
                    };
                    return Err(match table {
                        Some(table) => SqlError::NoSuchTable { database: db.clone(), table },
                        None => SqlError::NoSuchDatabase(db.clone()),
                    });
                }
                let there = Session { database: Some(db.clone()), ..session };
                self.data_statement(id, &there, inner, params, cache, now)
            }
            other => self.data_statement(id, &session, other, params, cache, now),
        }
    }

    fn users_statement(&mut self, who: &str, st: Statement) -> Result<Outcome> {
        let admin = self.users.get(who).is_some_and(|u| u.admin);
        if !admin {
            return Err(SqlError::CreateUserDenied);
        }
        let done = |tag: &str| Ok(Outcome::Done { tag: tag.into(), warning: None });
        match st {
            Statement::CreateUser { name, password, if_not_exists } => {
                if self.users.contains_key(&name) {
                    return if if_not_exists { done("CREATE ROLE") } else { Err(SqlError::UserExists(name)) };
                }
                self.users.insert(name, User { password, admin: false, grants: BTreeSet::new() });
                done("CREATE ROLE")
            }
            Statement::DropUser { name, if_exists } => {
                if self.users.remove(&name).is_none() && !if_exists {
                    return Err(SqlError::NoSuchUser(name));
                }
                done("DROP ROLE")
            }
            Statement::Grant { database, user } => {
                if !self.catalog.databases.contains_key(&database) && database != "*" {
                    return Err(SqlError::NoSuchDatabase(database));
                }
                let Some(u) = self.users.get_mut(&user) else { return Err(SqlError::NoSuchUser(user)) };
                u.grants.insert(database);
                done("GRANT")
            }
            Statement::Revoke { database, user } => {
                let Some(u) = self.users.get_mut(&user) else { return Err(SqlError::NoSuchUser(user)) };
                u.grants.remove(&database);
                done("REVOKE")
            }
            _ => done(""),
        }
    }

    /// Statements that read or write data, run against the working catalog.
    fn data_statement(
        &mut self,
        id: SessionId,
        session: &Session,
        st: &Statement,
        params: &[Value],
        cache: Option<&mut Option<CachedPlan>>,
        now: i64,
    ) -> Result<Outcome> {
        let needs_db = !matches!(
            st,
            Statement::CreateDatabase { .. }
                | Statement::DropDatabase { .. }
                | Statement::ShowDatabases
                | Statement::Query(_)
        );
        let db: &str = match &session.database {
            Some(d) => d,
            None if needs_db => return Err(SqlError::NoDatabaseSelected),
            None => "",
        };
        if !db.is_empty() {
            self.check_database(&session.user, db)?;
        }
        let flavour = self.flavour;
        let limits = self.limits.clone();
        let users_admin = self.users.get(&session.user).is_some_and(|u| u.admin);
        let mut txn = self.sessions.get_mut(&id).and_then(|s| s.transaction.take());
        let result = {
            let catalog = match txn.as_mut() {
                Some(t) => &mut t.catalog,
                None => &mut self.catalog,
            };
            let ctx = Context {
                flavour,
                database: db,
                user: &session.user,
                now,
                budget: limits.step_budget,
                admin: users_admin,
                params,
            };
            let mut changes = Vec::new();
            let r = run_statement(catalog, &ctx, st, cache, &mut changes);
            let r = match r {
                Ok(o) if !changes.is_empty() && catalog.bytes() > limits.memory_quota => {
                    let table = changes
                        .iter()
                        .find_map(|c| match c {
                            Change::Insert { table, .. } | Change::Update { table, .. } => Some(table.clone()),
                            _ => None,
                        })
                        .unwrap_or_default();
                    let _ = o;
                    Err(SqlError::TableFull(table))
                }
                other => other,
            };
            match r {
                Ok(o) => Ok((o, changes)),
                Err(e) => {
                    for c in changes.iter().rev() {
                        catalog.undo(c);
                    }
                    Err(e)
                }
            }
        };
        let outcome = match result {
            Ok((o, changes)) => {
                match txn.as_mut() {
                    Some(t) => t.changes.extend(changes),
                    None => self.commit_changes(changes, now),
                }
                Ok(o)
            }
            Err(e) => Err(e),
        };
        if let Some(s) = self.sessions.get_mut(&id) {
            s.transaction = txn;
        }
        outcome
    }

    /// Installs a session's transaction: its copy if nothing else was committed meanwhile, else
    /// its changes replayed on the current catalog (new rows get fresh ids if theirs were taken).
    fn commit(&mut self, id: SessionId, now: i64) -> Result<()> {
        let Some(txn) = self.sessions.get_mut(&id).and_then(|s| s.transaction.take()) else { return Ok(()) };
        if txn.base_version == self.version {
            let mut catalog = txn.catalog;
            pack_bulk_inserts(&mut catalog, &txn.changes);
            self.catalog = catalog;
            self.commit_changes(txn.changes, now);
            return Ok(());
        }
        let mut applied: Vec<Change> = Vec::new();
        let mut remap: BTreeMap<(String, String, u64), u64> = BTreeMap::new();
        for change in txn.changes {
            let change = match change {
                Change::Insert { database, table, id, row } => {
                    let taken = self.catalog.table(&database, &table).is_some_and(|t| t.rows.contains_key(&id));
                    let new_id = if taken {
                        let fresh = self.catalog.table(&database, &table).map(|t| t.next_row_id).unwrap_or(id);
                        remap.insert((database.clone(), table.clone(), id), fresh);
                        fresh
                    } else {
                        id
                    };
                    Change::Insert { database, table, id: new_id, row }
                }
                Change::Update { database, table, id, old, new } => {
                    let id = remap.get(&(database.clone(), table.clone(), id)).copied().unwrap_or(id);
                    Change::Update { database, table, id, old, new }
                }
                Change::Delete { database, table, id, row } => {
                    let id = remap.get(&(database.clone(), table.clone(), id)).copied().unwrap_or(id);
                    Change::Delete { database, table, id, row }
                }
                other => other,
            };
            if !self.catalog.apply(&change) {
                for c in applied.iter().rev() {
                    self.catalog.undo(c);
                }
                return Err(SqlError::SerializationFailure);
            }
            applied.push(change);
        }
        self.commit_changes(applied, now);
        Ok(())
    }

    /// Applies records from a primary's log (this server is its replica).
    pub fn apply_log(&mut self, records: &[super::log::LogRecord]) -> bool {
        let mut ok = true;
        for r in records {
            ok &= super::log::apply(&mut self.catalog, r);
            self.log.records.push(r.clone());
            self.version += 1;
        }
        ok
    }
}

/// After a transaction that inserted many rows into a table (a bulk load), packs that table's
/// rows in memory (see [`Table::pack_rows`](super::storage::Table::pack_rows)).
fn pack_bulk_inserts(catalog: &mut Catalog, changes: &[Change]) {
    const BULK: usize = 1000;
    let mut inserted: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for c in changes {
        if let Change::Insert { database, table, .. } = c {
            *inserted.entry((database, table)).or_default() += 1;
        }
    }
    for ((database, table), n) in inserted {
        if n >= BULK {
            if let Some(t) = catalog.table_mut(database, table) {
                if n * 4 >= t.rows.len() {
                    t.pack_rows();
                }
            }
        }
    }
}

/// What a statement needs to know about where it runs.
pub struct Context<'a> {
    pub flavour: Flavour,
    pub database: &'a str,
    pub user: &'a str,
    pub now: i64,
    pub budget: u64,
    pub admin: bool,
    /// A prepared statement's parameter values (empty for plain text).
    pub params: &'a [Value],
}

impl Context<'_> {
    pub fn env(&self) -> EvalEnv<'_> {
        EvalEnv { flavour: self.flavour, now: self.now, database: self.database, user: self.user, params: self.params }
    }
}

/// Runs a query and returns its columns and rows.
pub fn run_query(catalog: &Catalog, ctx: &Context, q: &super::ast::Query) -> Result<(Vec<String>, Vec<Row>)> {
    let mut binder = Binder::new(catalog, ctx.database, ctx.flavour);
    let plan = binder.query(q)?;
    let mut exec = Executor::new(catalog, ctx.env(), ctx.budget);
    let rows = exec.query(&plan)?;
    Ok((plan.columns, rows))
}

fn run_statement(
    catalog: &mut Catalog,
    ctx: &Context,
    st: &Statement,
    cache: Option<&mut Option<CachedPlan>>,
    changes: &mut Vec<Change>,
) -> Result<Outcome> {
    match st {
        Statement::Query(q) => {
            let Some(slot) = cache else {
                let (columns, rows) = run_query(catalog, ctx, q)?;
                return Ok(Outcome::Rows { columns, rows });
            };
            // A prepared query: plan it unless the plan of an earlier run still fits.
            if !slot.as_ref().is_some_and(|c| c.fits(catalog, ctx.database) && matches!(c.plan, PlanKind::Query(_))) {
                let plan = Binder::new(catalog, ctx.database, ctx.flavour).query(q)?;
                *slot = Some(CachedPlan::new(catalog, ctx.database, PlanKind::Query(plan)));
            }
            let Some(CachedPlan { plan: PlanKind::Query(plan), .. }) = slot.as_ref() else {
                return Err(SqlError::TooDeep);
            };
            let rows = Executor::new(catalog, ctx.env(), ctx.budget).query(plan)?;
            Ok(Outcome::Rows { columns: plan.columns.clone(), rows })
        }
        Statement::Insert(ins) => {
            let Some(slot) = cache else { return dml::insert(catalog, ctx, ins, changes) };
            if !slot.as_ref().is_some_and(|c| c.fits(catalog, ctx.database) && matches!(c.plan, PlanKind::Insert(_))) {
                let plan = dml::plan_insert(catalog, ctx, ins)?;
                *slot = Some(CachedPlan::new(catalog, ctx.database, PlanKind::Insert(Box::new(plan))));
            }
            let Some(CachedPlan { plan: PlanKind::Insert(plan), .. }) = slot.as_ref() else {
                return Err(SqlError::TooDeep);
            };
            dml::run_insert(catalog, ctx, ins, plan, changes)
        }
        Statement::Update(u) => dml::update(catalog, ctx, u, changes),
        Statement::Delete(d) => dml::delete(catalog, ctx, d, changes),
        Statement::Explain(inner) => show::explain(catalog, ctx, inner),
        Statement::ShowDatabases
        | Statement::ShowTables
        | Statement::ShowColumns(_)
        | Statement::ShowCreateTable(_)
        | Statement::ShowIndex(_) => show::show(catalog, ctx, st),
        other => ddl::run(catalog, ctx, other.clone(), changes),
    }
}

/// A value's text as the flavour's client prints it (`None` for NULL).
pub fn display_value(v: &Value, flavour: Flavour) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(match (flavour, b) {
            (Flavour::Postgres, true) => "t".into(),
            (Flavour::Postgres, false) => "f".into(),
            (Flavour::MySql, b) => (*b as i64).to_string(),
        }),
        other => Some(super::eval::text_of(other, flavour)),
    }
}
