//! The executor: runs query plans over the catalog and returns rows.
//!
//! The life of a SELECT here:
//!
//! 1. CTEs are materialised into slots (a recursive one by iterating until no new rows appear);
//! 2. the FROM plan produces wide rows: each join step scans one relation (through an index when
//!    the plan says so), then joins it by hashing on the equality the planner found, or by nested
//!    loops, checking the conditions placed on that step;
//! 3. rows are grouped and aggregated (`aggregate`), window functions are computed (`window`),
//!    then each output row is projected, made DISTINCT, sorted, and cut by OFFSET/LIMIT.
//!
//! Every row touched costs one step from the statement's budget; when it runs out the statement
//! fails with the flavour's statement-timeout error instead of freezing the page.

use super::aggregate::Groups;
use super::ast::{JoinKind, SetOp};
use super::error::{Result, SqlError};
use super::eval::{self, compare, truth, EvalEnv};
use super::flavour::Flavour;
use super::hash_join::HashProbe;
use super::plan::*;
use super::storage::{fold, Catalog, Key, Row};
use super::types::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::rc::Rc;

pub struct Executor<'a> {
    pub catalog: &'a Catalog,
    pub env: EvalEnv<'a>,
    pub steps: u64,
    pub budget: u64,
    cache: HashMap<usize, Rc<Vec<Row>>>,
    slots: HashMap<usize, Rc<Vec<Row>>>,
    outer: Vec<Row>,
    /// The running SELECT's `used` positions: what scans copy out of the tables.
    used: Option<Rc<[bool]>>,
}

impl<'a> Executor<'a> {
    pub fn new(catalog: &'a Catalog, env: EvalEnv<'a>, budget: u64) -> Executor<'a> {
        Executor {
            catalog,
            env,
            steps: 0,
            budget,
            cache: HashMap::new(),
            slots: HashMap::new(),
            outer: Vec::new(),
            used: None,
        }
    }

    pub(super) fn flavour(&self) -> Flavour {
        self.env.flavour
    }

    pub(super) fn tick(&mut self, n: u64) -> Result<()> {
        self.steps += n;
        if self.steps > self.budget {
            Err(SqlError::Timeout)
        } else {
            Ok(())
        }
    }

    /// Runs a query; the rows have the query's visible columns.
    pub fn query(&mut self, plan: &QueryPlan) -> Result<Vec<Row>> {
        for cte in &plan.ctes {
            self.materialise(cte)?;
        }
        let offset = match &plan.offset {
            Some(e) => self.count_arg(e, "OFFSET")?,
            None => 0,
        };
        let limit = match &plan.limit {
            Some(e) => Some(self.count_arg(e, "LIMIT")?),
            None => None,
        };
        // ORDER BY ... LIMIT k: only the first k rows need sorting (top-k selection), and a
        // plain SELECT can drop the others while it produces them.
        let keep = limit.map(|l| l.saturating_add(offset)).filter(|&k| k > 0 && !plan.order.is_empty());
        let mut rows = match (&plan.body, keep) {
            (SetPlan::Select(s), Some(k)) => self.select(s, true, Some((&plan.order, k)))?,
            (body, _) => self.set_plan(body, !plan.order.is_empty())?,
        };
        if !plan.order.is_empty() {
            let fl = self.flavour();
            self.tick(rows.len() as u64)?;
            let cmp = |a: &Row, b: &Row| row_order(a, b, &plan.order, fl);
            if let Some(k) = keep.filter(|&k| k < rows.len()) {
                rows.select_nth_unstable_by(k - 1, cmp);
                rows.truncate(k);
            }
            rows.sort_by(cmp);
        }
        let mut rows: Vec<Row> = rows.into_iter().skip(offset).take(limit.unwrap_or(usize::MAX)).collect();
        if plan.hidden > 0 {
            let keep = plan.columns.len();
            for r in rows.iter_mut() {
                r.truncate(keep);
            }
        }
        Ok(rows)
    }

    fn count_arg(&mut self, e: &BExpr, what: &'static str) -> Result<usize> {
        match self.eval(e, &[])? {
            Value::Int(i) if i >= 0 => Ok(i as usize),
            Value::Null => Ok(usize::MAX),
            v => Err(SqlError::NegativeCount { what, value: eval::text_of(&v, self.flavour()) }),
        }
    }

    fn materialise(&mut self, cte: &CtePlan) -> Result<()> {
        let anchor = self.query(&cte.anchor)?;
        let Some((rec, all)) = &cte.recursive else {
            self.slots.insert(cte.slot, Rc::new(anchor));
            return Ok(());
        };
        let fl = self.flavour();
        let mut seen: BTreeSet<Vec<Value>> = BTreeSet::new();
        let mut total = Vec::new();
        let mut work = Vec::new();
        for r in anchor {
            if *all || seen.insert(fold_row(&r, fl)) {
                total.push(r.clone());
                work.push(r);
            }
        }
        let mut rounds = 0;
        while !work.is_empty() {
            rounds += 1;
            if rounds > 10_000 {
                return Err(SqlError::RecursionLimit);
            }
            self.slots.insert(cte.slot, Rc::new(std::mem::take(&mut work)));
            self.cache.clear();
            let produced = self.query(rec)?;
            self.tick(produced.len() as u64 + 1)?;
            for r in produced {
                if *all || seen.insert(fold_row(&r, fl)) {
                    total.push(r.clone());
                    work.push(r);
                }
            }
        }
        self.slots.insert(cte.slot, Rc::new(total));
        Ok(())
    }

    fn set_plan(&mut self, plan: &SetPlan, keep_hidden: bool) -> Result<Vec<Row>> {
        match plan {
            SetPlan::Select(s) => self.select(s, keep_hidden, None),
            SetPlan::Query(q) => self.query(q),
            SetPlan::Values(rows) => {
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    self.tick(1)?;
                    out.push(r.iter().map(|e| self.eval(e, &[])).collect::<Result<Row>>()?);
                }
                Ok(out)
            }
            SetPlan::SetOp { op, all, left, right } => {
                let l = self.set_plan(left, false)?;
                let r = self.set_plan(right, false)?;
                self.tick((l.len() + r.len()) as u64)?;
                let fl = self.flavour();
                Ok(set_operation(*op, *all, l, r, fl))
            }
        }
    }

    /// Runs one SELECT. `top` is the query's ORDER BY and how many rows it keeps, when it has
    /// a LIMIT: rows that cannot be among those are dropped as they come.
    fn select(&mut self, s: &SelectPlan, keep_hidden: bool, top: Option<(&[SortKey], usize)>) -> Result<Vec<Row>> {
        let width = s.from.width;
        let saved = std::mem::replace(&mut self.used, s.used.clone());
        let streaming = s.windows.is_empty() && s.filter.is_none();
        let mut out = if !streaming {
            let rows = self.from(&s.from, width);
            self.used = saved;
            let mut rows = rows?;
            if let Some(f) = &s.filter {
                rows = self.filter(rows, f)?;
            }
            if let Some(g) = &s.group {
                rows = self.group(rows, g, width)?;
                if let Some(h) = &s.having {
                    rows = self.filter(rows, h)?;
                }
            }
            if !s.windows.is_empty() {
                self.windows(&mut rows, &s.windows)?;
            }
            self.project(rows, &s.items)?
        } else if let Some(g) = &s.group {
            // Rows stream from the scan into their groups; none is kept but a representative.
            let mut groups = Groups::new(g);
            let r = self.stream_from(&s.from, width, &mut |ex, row| ex.group_add(&mut groups, g, row));
            self.used = saved;
            r?;
            let mut rows = self.group_finish(groups, g, width)?;
            if let Some(h) = &s.having {
                rows = self.filter(rows, h)?;
            }
            self.project(rows, &s.items)?
        } else {
            // Rows stream from the scan and are projected at once.
            let fl = self.flavour();
            let top = top.filter(|_| !s.distinct);
            let mut out: Vec<Row> = Vec::new();
            // With a LIMIT: the k-th best row seen so far; a row that does not sort before it
            // cannot be among the first k and is not kept.
            let mut bound: Option<Row> = None;
            let mut buf: Row = Vec::with_capacity(s.items.len());
            let r = self.stream_from(&s.from, width, &mut |ex, row| {
                ex.tick(1)?;
                buf.clear();
                for e in &s.items {
                    buf.push(ex.eval(e, row)?);
                }
                if let (Some((order, _)), Some(b)) = (top, &bound) {
                    if row_order(&buf, b, order, fl) != Ordering::Less {
                        return Ok(());
                    }
                }
                out.push(std::mem::replace(&mut buf, Vec::with_capacity(s.items.len())));
                if let Some((order, k)) = top {
                    if out.len() >= 2 * k + 64 {
                        out.select_nth_unstable_by(k - 1, |a, b| row_order(a, b, order, fl));
                        out.truncate(k);
                        bound = out.get(k - 1).cloned();
                    }
                }
                Ok(())
            });
            self.used = saved;
            r?;
            out
        };
        if s.distinct {
            let fl = self.flavour();
            let mut seen = BTreeSet::new();
            out.retain(|r| seen.insert(fold_row(&r[..s.visible.min(r.len())], fl)));
        }
        if !keep_hidden {
            for r in out.iter_mut() {
                r.truncate(s.visible);
            }
        }
        Ok(out)
    }

    /// Each row becomes its projection in place: the values are computed into a buffer, then
    /// moved into the row's own allocation (no new vector per row).
    fn project(&mut self, mut rows: Vec<Row>, items: &[BExpr]) -> Result<Vec<Row>> {
        let mut buf: Vec<Value> = Vec::with_capacity(items.len());
        for r in rows.iter_mut() {
            self.tick(1)?;
            buf.clear();
            for e in items {
                buf.push(self.eval(e, r)?);
            }
            r.clear();
            r.append(&mut buf);
        }
        Ok(rows)
    }

    /// Streams a FROM plan's wide rows to `f` without keeping them: a single table, or a table
    /// hash-joined with one more relation; anything else is built first, then streamed.
    fn stream_from(
        &mut self,
        from: &FromPlan,
        width: usize,
        f: &mut dyn FnMut(&mut Self, &mut Row) -> Result<()>,
    ) -> Result<()> {
        let table_at = |i: usize| {
            from.steps
                .get(i)
                .and_then(|st| from.rels.get(st.rel))
                .filter(|r| matches!(r.source, RelSource::Table { .. }))
        };
        match (from.steps.as_slice(), table_at(0)) {
            ([only], Some(rel)) => self.scan_each(rel, width, &mut |ex, _, row| {
                if ex.passes(&only.filters, row)? && ex.passes(&from.late, row)? {
                    f(ex, row)?;
                }
                Ok(())
            }),
            ([first, second], Some(rel)) if second.hash.is_some() => {
                let Some((inner, outer)) = &second.hash else { return Ok(()) };
                let Some(rel2) = from.rels.get(second.rel) else { return Ok(()) };
                let fl = self.flavour();
                let used = self.used.clone();
                let is_used = |i: usize| used.as_ref().is_none_or(|u| u.get(i).copied().unwrap_or(true));
                let right_cols: Vec<usize> = (rel2.offset..rel2.offset + rel2.width).filter(|&i| is_used(i)).collect();
                // The build rows cut down to the positions the query reads, side by side in one
                // vector (`stride` values each): the matches a probe reads stay in the cache,
                // where whole rows, each in its own allocation, would not.
                let stride = right_cols.len();
                let (keys, packed) = self.build_side(rel2, width, inner, &right_cols)?;
                let mut probe = HashProbe::build(keys, fl);
                self.scan_each(rel, width, &mut |ex, _, l| {
                    if !ex.passes(&first.filters, l)? {
                        return Ok(());
                    }
                    ex.tick(1)?;
                    let k = ex.operand(outer, l)?.into_owned();
                    for idx in probe.find(&k, fl) {
                        ex.tick(1)?;
                        // The scanned row is already wide: the match's values (those the query
                        // reads) go into the new relation's positions, which the scan leaves alone.
                        let values = packed.get(idx * stride..(idx + 1) * stride).unwrap_or(&[]);
                        for (&i, v) in right_cols.iter().zip(values) {
                            if let Some(t) = l.get_mut(i) {
                                t.clone_from(v);
                            }
                        }
                        if ex.passes(&second.filters, l)? && ex.passes(&from.late, l)? {
                            f(ex, l)?;
                        }
                    }
                    Ok(())
                })
            }
            _ => {
                for mut r in self.from(from, width)? {
                    f(self, &mut r)?;
                }
                Ok(())
            }
        }
    }

    /// A hash join's build keys: `key` evaluated over each row.
    fn join_keys(&mut self, rows: &[Row], key: &BExpr) -> Result<Vec<Value>> {
        let mut keys = Vec::with_capacity(rows.len());
        for r in rows {
            keys.push(self.eval(key, r)?);
        }
        Ok(keys)
    }

    /// A hash join's build side: each row's join key (`key` evaluated over it) and the values
    /// at `cols`, packed one row after another. A table is read straight from its scan, one
    /// reused row; any other source is materialised first.
    fn build_side(&mut self, rel: &Rel, width: usize, key: &BExpr, cols: &[usize]) -> Result<(Vec<Value>, Vec<Value>)> {
        let mut keys = Vec::new();
        let mut packed = Vec::new();
        let mut take = |ex: &mut Self, row: &mut Row| -> Result<()> {
            keys.push(ex.eval(key, row)?);
            for &i in cols {
                packed.push(row.get_mut(i).map(|v| std::mem::replace(v, Value::Null)).unwrap_or(Value::Null));
            }
            Ok(())
        };
        if matches!(rel.source, RelSource::Table { .. }) {
            self.scan_each(rel, width, &mut |ex, _, row| take(ex, row))?;
        } else {
            for mut row in self.rel_rows(rel, width)? {
                take(self, &mut row)?;
            }
        }
        Ok((keys, packed))
    }

    fn filter(&mut self, rows: Vec<Row>, f: &BExpr) -> Result<Vec<Row>> {
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            self.tick(1)?;
            if truth(&self.eval(f, &r)?) == Some(true) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Runs a FROM plan: wide rows of `width` values.
    fn from(&mut self, from: &FromPlan, width: usize) -> Result<Vec<Row>> {
        let mut rows: Vec<Row> = Vec::new();
        for (i, step) in from.steps.iter().enumerate() {
            let Some(rel) = from.rels.get(step.rel) else { continue };
            let right = self.rel_rows(rel, width)?;
            if i == 0 {
                rows = right;
            } else if let Some((inner, outer)) = &step.hash {
                // Hash join: index the new relation by its key, probe with each row so far.
                let fl = self.flavour();
                let mut probe = HashProbe::build(self.join_keys(&right, inner)?, fl);
                let mut joined = Vec::new();
                for l in &rows {
                    self.tick(1)?;
                    let k = self.operand(outer, l)?;
                    for idx in probe.find(&k, fl) {
                        self.tick(1)?;
                        let mut m = l.clone();
                        merge(&mut m, &right[idx], rel.offset, rel.width);
                        joined.push(m);
                    }
                }
                rows = joined;
            } else {
                let mut joined = Vec::new();
                for l in &rows {
                    for r in &right {
                        self.tick(1)?;
                        let mut m = l.clone();
                        merge(&mut m, r, rel.offset, rel.width);
                        joined.push(m);
                    }
                }
                rows = joined;
            }
            for f in &step.filters {
                rows = self.filter(rows, f)?;
            }
        }
        for f in &from.late {
            rows = self.filter(rows, f)?;
        }
        Ok(rows)
    }

    /// The rows of one relation, placed in wide rows, its own filters applied.
    fn rel_rows(&mut self, rel: &Rel, width: usize) -> Result<Vec<Row>> {
        let place = |values: &[Value]| {
            let mut row = vec![Value::Null; width];
            for (i, v) in values.iter().enumerate() {
                if let Some(slot) = row.get_mut(rel.offset + i) {
                    *slot = v.clone();
                }
            }
            row
        };
        let rows: Vec<Row> = match &rel.source {
            RelSource::Dual => vec![vec![Value::Null; width]],
            RelSource::Table { .. } => {
                let mut out = Vec::new();
                self.scan_each(rel, width, &mut |_, _, row| {
                    out.push(row.clone());
                    Ok(())
                })?;
                return Ok(out);
            }
            RelSource::Derived(plan) => {
                let saved = std::mem::take(&mut self.outer);
                let r = self.query(plan);
                self.outer = saved;
                r?.iter().map(|r| place(r)).collect()
            }
            RelSource::Cte(slot) => {
                let rows = self.slots.get(slot).cloned().unwrap_or_default();
                self.tick(rows.len() as u64)?;
                rows.iter().map(|r| place(r)).collect()
            }
            RelSource::OuterJoin { kind, left, right, on } => {
                let l = self.from(left, width)?;
                let r = self.from(right, width)?;
                let right_start = right.rels.iter().map(|x| x.offset).min().unwrap_or(rel.offset + rel.width);
                let right_end = rel.offset + rel.width;
                let mut out = Vec::new();
                let mut right_matched = vec![false; r.len()];
                for lrow in &l {
                    let mut matched = false;
                    for (ri, rrow) in r.iter().enumerate() {
                        self.tick(1)?;
                        let mut m = lrow.clone();
                        merge(&mut m, rrow, right_start, right_end - right_start);
                        let ok = match on {
                            Some(c) => truth(&self.eval(c, &m)?) == Some(true),
                            None => true,
                        };
                        if ok {
                            matched = true;
                            right_matched[ri] = true;
                            out.push(m);
                        }
                    }
                    if !matched && matches!(kind, JoinKind::Left | JoinKind::Full) {
                        out.push(lrow.clone());
                    }
                }
                if matches!(kind, JoinKind::Right | JoinKind::Full) {
                    for (ri, rrow) in r.iter().enumerate() {
                        if !right_matched[ri] {
                            out.push(rrow.clone());
                        }
                    }
                }
                out
            }
        };
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            if self.passes(&rel.filters, &row)? {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// Scans a table relation (through its index when planned), with row ids: the rows that
    /// pass the relation's filters, placed in wide rows.
    pub fn scan(&mut self, rel: &Rel, width: usize) -> Result<Vec<(u64, Row)>> {
        let mut out = Vec::new();
        self.scan_each(rel, width, &mut |_, id, row| {
            out.push((id, row.clone()));
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams a table relation's rows that pass its filters to `f`, one at a time, in one
    /// reused wide row: only the positions the query reads are copied (see `SelectPlan::used`),
    /// and a row that `f` does not keep costs no allocation.
    pub fn scan_each(
        &mut self,
        rel: &Rel,
        width: usize,
        f: &mut dyn FnMut(&mut Self, u64, &mut Row) -> Result<()>,
    ) -> Result<()> {
        let RelSource::Table { database, table, access } = &rel.source else { return Ok(()) };
        let Some(t) = self.catalog.table(database, table) else {
            return Err(SqlError::NoSuchTable { database: database.clone(), table: table.clone() });
        };
        let t = t.clone();
        let used = self.used.clone();
        let mut row: Row = vec![Value::Null; width];
        // The table's columns the query reads, worked out once for the whole scan.
        let cols: Vec<usize> = (0..t.columns.len())
            .filter(|&i| used.as_ref().is_none_or(|u| u.get(rel.offset + i).copied().unwrap_or(true)))
            .collect();
        let place = |row: &mut Row, values: &[Value]| {
            for &i in &cols {
                if let (Some(slot), Some(v)) = (row.get_mut(rel.offset + i), values.get(i)) {
                    slot.clone_from(v);
                }
            }
        };
        // Index keys are evaluated first: a parameter whose kind does not fit the column's (a
        // text compared with a number) cannot use the index's order, so the table is scanned.
        let fits = |ix: usize, pos: usize, v: &Value| {
            t.indexes
                .get(ix)
                .and_then(|i| i.columns.get(pos))
                .and_then(|&c| t.columns.get(c))
                .is_some_and(|c| key_fits(&c.data_type, v, t.fold_case))
        };
        // One row found through an index: fetched by its id, placed, checked, handed on.
        let mut visit = |ex: &mut Self, id: u64, row: &mut Row| -> Result<()> {
            ex.tick(1)?;
            if let Some(r) = t.rows.get(&id) {
                place(row, r);
                if ex.passes(&rel.filters, row)? {
                    f(ex, id, row)?;
                }
            }
            Ok(())
        };
        let full = match access {
            Access::FullScan => true,
            Access::IndexEq { index, key, .. } => {
                let Some(ix) = t.indexes.get(*index) else { return Ok(()) };
                let key = match key.as_slice() {
                    [one] => Key::One(fold(self.eval(one, &[])?, t.fold_case)),
                    many => Key::Many(
                        many.iter().map(|k| self.eval(k, &[]).map(|v| fold(v, t.fold_case))).collect::<Result<_>>()?,
                    ),
                };
                if key.as_slice().iter().enumerate().all(|(pos, v)| v.is_null() || fits(*index, pos, v)) {
                    for id in ix.get(key.as_slice()) {
                        visit(self, id, &mut row)?;
                    }
                    false
                } else {
                    true
                }
            }
            Access::IndexRange { index, low, high, .. } => {
                let low = match low {
                    Some((e, inc)) => Some((self.eval(e, &[])?, *inc)),
                    None => None,
                };
                let high = match high {
                    Some((e, inc)) => Some((self.eval(e, &[])?, *inc)),
                    None => None,
                };
                let fit = |b: &Option<(Value, bool)>| b.as_ref().is_none_or(|(v, _)| v.is_null() || fits(*index, 0, v));
                if !fit(&low) || !fit(&high) {
                    true
                } else {
                    let Some(ix) = t.indexes.get(*index) else { return Ok(()) };
                    let start = match &low {
                        Some((v, _)) => Bound::Included(std::slice::from_ref(v)),
                        None => Bound::Unbounded,
                    };
                    for (key, found) in ix.entries.range::<[Value], _>((start, Bound::Unbounded)) {
                        self.tick(1)?;
                        let Some(first) = key.as_slice().first() else { continue };
                        if first.is_null() {
                            continue;
                        }
                        if let Some((lo, inc)) = &low {
                            let o = first.total_cmp(lo);
                            if o == Ordering::Less || (o == Ordering::Equal && !inc) {
                                continue;
                            }
                        }
                        if let Some((hi, inc)) = &high {
                            let o = first.total_cmp(hi);
                            if o == Ordering::Greater || (o == Ordering::Equal && !inc) {
                                break;
                            }
                        }
                        for id in found.iter() {
                            visit(self, id, &mut row)?;
                        }
                    }
                    false
                }
            }
        };
        if full {
            // The whole table, in row-id order, without looking each row up again.
            self.tick(2 * t.rows.len() as u64)?;
            for (&id, r) in t.rows.iter() {
                place(&mut row, r);
                if self.passes(&rel.filters, &row)? {
                    f(self, id, &mut row)?;
                }
            }
        }
        Ok(())
    }

    fn passes(&mut self, filters: &[BExpr], row: &Row) -> Result<bool> {
        for f in filters {
            if truth(&self.eval(f, row)?) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The `i`-th value of the row of the query `levels` out (a correlated subquery's outer row).
    pub(super) fn outer_value(&self, levels: usize, i: usize) -> Value {
        let n = self.outer.len();
        n.checked_sub(levels).and_then(|k| self.outer.get(k)).and_then(|r| r.get(i)).cloned().unwrap_or(Value::Null)
    }

    /// Runs a subquery of an expression with `row` as its outer row; an uncorrelated one runs
    /// once per statement and its rows are cached by id.
    pub(super) fn subquery(&mut self, sub: &SubPlan, row: &[Value]) -> Result<Rc<Vec<Row>>> {
        if !sub.correlated {
            if let Some(r) = self.cache.get(&sub.id) {
                return Ok(r.clone());
            }
        }
        self.outer.push(row.to_vec());
        let r = self.query(&sub.plan);
        self.outer.pop();
        let r = Rc::new(r?);
        if !sub.correlated {
            self.cache.insert(sub.id, r.clone());
        }
        Ok(r)
    }
}

/// An ORDER BY key: output position, descending?, NULLs first?
type SortKey = (usize, bool, bool);

/// The order of two output rows under ORDER BY keys (position, descending, NULLs first).
fn row_order(a: &Row, b: &Row, order: &[SortKey], fl: Flavour) -> Ordering {
    for &(pos, desc, nulls_first) in order {
        let (x, y) = (a.get(pos).unwrap_or(&Value::Null), b.get(pos).unwrap_or(&Value::Null));
        let ord = match (x.is_null(), y.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => {
                if nulls_first {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (false, true) => {
                if nulls_first {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (false, false) => {
                let o = compare(x, y, fl);
                if desc {
                    o.reverse()
                } else {
                    o
                }
            }
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

fn merge(target: &mut Row, source: &Row, offset: usize, width: usize) {
    for i in offset..offset + width {
        if let (Some(t), Some(s)) = (target.get_mut(i), source.get(i)) {
            *t = s.clone();
        }
    }
}

fn fold_row(r: &[Value], fl: Flavour) -> Vec<Value> {
    r.iter().map(|v| fold(v.clone(), fl.is_mysql())).collect()
}

fn set_operation(op: SetOp, all: bool, l: Vec<Row>, r: Vec<Row>, fl: Flavour) -> Vec<Row> {
    match (op, all) {
        (SetOp::Union, true) => l.into_iter().chain(r).collect(),
        (SetOp::Union, false) => {
            let mut seen = BTreeSet::new();
            l.into_iter().chain(r).filter(|row| seen.insert(fold_row(row, fl))).collect()
        }
        (SetOp::Intersect, _) | (SetOp::Except, _) => {
            let mut counts: BTreeMap<Vec<Value>, usize> = BTreeMap::new();
            for row in &r {
                *counts.entry(fold_row(row, fl)).or_default() += 1;
            }
            let mut seen = BTreeSet::new();
            let mut out = Vec::new();
            for row in l {
                let key = fold_row(&row, fl);
                let in_right = counts.get(&key).copied().unwrap_or(0) > 0;
                let keep = if op == SetOp::Intersect { in_right } else { !in_right };
                if all {
                    if op == SetOp::Intersect && in_right {
                        if let Some(c) = counts.get_mut(&key) {
                            *c -= 1;
                        }
                        out.push(row);
                    } else if op == SetOp::Except {
                        if in_right {
                            if let Some(c) = counts.get_mut(&key) {
                                *c -= 1;
                            }
                        } else {
                            out.push(row);
                        }
                    }
                } else if keep && seen.insert(key) {
                    out.push(row);
                }
            }
            out
        }
    }
}
