//! The FROM clause: relations, join conditions and the join order.
//!
//! `Binder::add_from_item` flattens the FROM list and its inner joins into *relations* side
//! by side in one wide row (a table, a CTE, a view or derived table, an `information_schema`
//! table), adding each relation's columns to the scope and each ON / USING / NATURAL condition to
//! a list of conditions split at AND (`conjuncts`). An outer join cannot be reordered: it
//! becomes one relation holding the plans of its two sides.
//!
//! `Binder::plan_joins` then places each condition where it can first be checked (a scan's
//! filter, a join step, or last) and picks the order greedily: first a relation read through an
//! index equality, then always one linked by an equality to those already joined (the hash
//! join's key, `Binder::equi_sides`), so that `FROM a, b, c WHERE a.x = b.y ...` never builds
//! the full cross product.

use super::super::ast::*;
use super::super::error::{Result, SqlError};
use super::super::show::information_schema;
use super::super::storage::Table;
use super::bind::{Scope, ScopeCol};
use super::*;
use std::sync::Arc;

/// Splits a condition at its ANDs.
pub(super) fn conjuncts(e: Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::Binary { op: BinOp::And, left, right } => {
            conjuncts(*left, out);
            conjuncts(*right, out);
        }
        e => out.push(e),
    }
}

impl Binder<'_> {
    fn table_def(&self, name: &str) -> Option<Arc<Table>> {
        self.catalog.table(&self.database, name).cloned()
    }

    /// Adds one FROM item's relations to the flat list (inner joins flatten; outer joins nest).
    pub(super) fn add_from_item(
        &mut self,
        item: &FromItem,
        scope: &mut Scope,
        rels: &mut Vec<Rel>,
        conds: &mut Vec<Expr>,
    ) -> Result<()> {
        match item {
            FromItem::Join { left, right, kind: JoinKind::Inner | JoinKind::Cross, on } => {
                let left_start = scope.cols.len();
                self.add_from_item(left, scope, rels, conds)?;
                let right_start = scope.cols.len();
                self.add_from_item(right, scope, rels, conds)?;
                self.join_condition(on, scope, left_start, right_start, conds)?;
                Ok(())
            }
            FromItem::Join { left, right, kind, on } => self.add_outer_join(left, right, *kind, on, scope, rels),
            FromItem::Table { name, alias } => self.add_named_table(name, alias, scope, rels),
            FromItem::Derived { query, alias, columns } => {
                let plan = self.subquery_plan(query)?;
                let offset = scope.cols.len();
                let cols = if columns.is_empty() { plan.columns.clone() } else { columns.clone() };
                for c in &cols {
                    scope.cols.push(ScopeCol { table: alias.clone(), name: c.clone() });
                }
                rels.push(Rel {
                    name: alias.clone(),
                    offset,
                    width: cols.len(),
                    source: RelSource::Derived(Box::new(plan)),
                    filters: vec![],
                });
                Ok(())
            }
        }
    }

    /// An outer join: its sides planned on their own, kept as one relation (never reordered).
    fn add_outer_join(
        &mut self,
        left: &FromItem,
        right: &FromItem,
        kind: JoinKind,
        on: &JoinOn,
        scope: &mut Scope,
        rels: &mut Vec<Rel>,
    ) -> Result<()> {
        let offset = scope.cols.len();
        let mut left_rels = Vec::new();
        let mut left_conds = Vec::new();
        self.add_from_item(left, scope, &mut left_rels, &mut left_conds)?;
        let right_start = scope.cols.len();
        let mut right_rels = Vec::new();
        let mut right_conds = Vec::new();
        self.add_from_item(right, scope, &mut right_rels, &mut right_conds)?;
        let mut on_conds = Vec::new();
        self.join_condition(on, scope, offset, right_start, &mut on_conds)?;
        let width = scope.cols.len();
        // Bind the sides' own conditions and the ON condition against the wide row.
        let mut temp = scope.clone();
        // Columns of later relations are not visible yet; an empty tail is harmless.
        temp.cols.truncate(width);
        self.scopes.push(temp);
        let bound = (|| -> Result<_> {
            let lc = left_conds.iter().map(|c| self.expr(c)).collect::<Result<Vec<_>>>()?;
            let rc = right_conds.iter().map(|c| self.expr(c)).collect::<Result<Vec<_>>>()?;
            let oc = on_conds.iter().map(|c| self.expr(c)).collect::<Result<Vec<_>>>()?;
            Ok((lc, rc, oc))
        })();
        self.scopes.pop();
        let (lc, rc, oc) = bound?;
        let left_plan = self.plan_joins(left_rels, lc, 0)?;
        let right_plan = self.plan_joins(right_rels, rc, 0)?;
        let on = oc.into_iter().reduce(|a, b| BExpr::Binary(BinOp::And, Box::new(a), Box::new(b)));
        rels.push(Rel {
            name: String::new(),
            offset,
            width: width - offset,
            source: RelSource::OuterJoin { kind, left: Box::new(left_plan), right: Box::new(right_plan), on },
            filters: vec![],
        });
        Ok(())
    }

    /// A name in FROM: a CTE, a table, a view or an `information_schema` table, in that order.
    fn add_named_table(
        &mut self,
        name: &str,
        alias: &Option<String>,
        scope: &mut Scope,
        rels: &mut Vec<Rel>,
    ) -> Result<()> {
        let visible = alias.clone().unwrap_or_else(|| name.to_string());
        let offset = scope.cols.len();
        if let Some(cte) = self.ctes.iter().rev().find(|c| c.name == name).cloned() {
            for c in &cte.columns {
                scope.cols.push(ScopeCol { table: visible.clone(), name: c.clone() });
            }
            rels.push(Rel {
                name: visible,
                offset,
                width: cte.columns.len(),
                source: RelSource::Cte(cte.slot),
                filters: vec![],
            });
            return Ok(());
        }
        if let Some(t) = self.table_def(name) {
            for c in &t.columns {
                scope.cols.push(ScopeCol { table: visible.clone(), name: c.name.clone() });
            }
            rels.push(Rel {
                name: visible,
                offset,
                width: t.columns.len(),
                source: RelSource::Table {
                    database: self.database.clone(),
                    table: name.to_string(),
                    access: Access::FullScan,
                },
                filters: vec![],
            });
            return Ok(());
        }
        if let Some(view) = self.catalog.databases.get(&self.database).and_then(|d| d.views.get(name)).cloned() {
            if self.view_depth > 8 {
                return Err(SqlError::TooDeep);
            }
            self.view_depth += 1;
            let plan = self.subquery_plan(&view.query);
            self.view_depth -= 1;
            let plan = plan?;
            let cols = if view.columns.is_empty() { plan.columns.clone() } else { view.columns.clone() };
            for c in &cols {
                scope.cols.push(ScopeCol { table: visible.clone(), name: c.clone() });
            }
            rels.push(Rel {
                name: visible,
                offset,
                width: cols.len(),
                source: RelSource::Derived(Box::new(plan)),
                filters: vec![],
            });
            return Ok(());
        }
        if let Some((cols, rows)) = information_schema(self.catalog, self.flavour, name) {
            let visible = alias.clone().unwrap_or_else(|| name.rsplit('.').next().unwrap_or(name).to_string());
            for c in &cols {
                scope.cols.push(ScopeCol { table: visible.clone(), name: c.clone() });
            }
            let plan = QueryPlan {
                ctes: vec![],
                body: SetPlan::Values(rows.into_iter().map(|r| r.into_iter().map(BExpr::Lit).collect()).collect()),
                order: vec![],
                limit: None,
                offset: None,
                columns: cols.clone(),
                hidden: 0,
            };
            rels.push(Rel {
                name: visible,
                offset,
                width: cols.len(),
                source: RelSource::Derived(Box::new(plan)),
                filters: vec![],
            });
            return Ok(());
        }
        if self.database.is_empty() {
            return Err(SqlError::NoDatabaseSelected);
        }
        Err(SqlError::NoSuchTable { database: self.database.clone(), table: name.to_string() })
    }

    fn join_condition(
        &mut self,
        on: &JoinOn,
        scope: &Scope,
        left_start: usize,
        right_start: usize,
        conds: &mut Vec<Expr>,
    ) -> Result<()> {
        let names: Vec<String> = match on {
            JoinOn::None => return Ok(()),
            JoinOn::On(e) => {
                conjuncts(e.clone(), conds);
                return Ok(());
            }
            JoinOn::Using(cols) => cols.clone(),
            JoinOn::Natural => {
                let left: Vec<&ScopeCol> = scope.cols[left_start..right_start].iter().collect();
                scope.cols[right_start..]
                    .iter()
                    .filter(|c| left.iter().any(|l| l.name == c.name))
                    .map(|c| c.name.clone())
                    .collect()
            }
        };
        for n in names {
            let l = scope.cols[left_start..right_start].iter().find(|c| c.name == n);
            let r = scope.cols[right_start..].iter().find(|c| c.name == n);
            match (l, r) {
                (Some(l), Some(r)) => conds.push(Expr::Binary {
                    op: BinOp::Eq,
                    left: Box::new(Expr::Column { table: Some(l.table.clone()), name: n.clone() }),
                    right: Box::new(Expr::Column { table: Some(r.table.clone()), name: n.clone() }),
                }),
                _ => return Err(SqlError::NoSuchColumn { column: n, clause: "from clause" }),
            }
        }
        Ok(())
    }

    /// Orders the relations and places each condition at the first step where it can be checked.
    pub(super) fn plan_joins(&mut self, mut rels: Vec<Rel>, conds: Vec<BExpr>, _width: usize) -> Result<FromPlan> {
        let width = rels.iter().map(|r| r.offset + r.width).max().unwrap_or(0);
        let rel_of = |col: usize, rels: &[Rel]| rels.iter().position(|r| col >= r.offset && col < r.offset + r.width);
        struct Cond {
            expr: BExpr,
            rels: Vec<usize>,
            late: bool,
        }
        let mut pending: Vec<Cond> = Vec::new();
        let mut late = Vec::new();
        for c in conds {
            let mut cols = Vec::new();
            c.cols(&mut cols);
            let mut rs: Vec<usize> = cols.iter().filter_map(|&col| rel_of(col, &rels)).collect();
            rs.sort();
            rs.dedup();
            if c.has_subquery() {
                late.push(c);
            } else if rs.len() == 1 {
                rels[rs[0]].filters.push(c);
            } else {
                pending.push(Cond { expr: c, rels: rs, late: false });
            }
        }
        // Choose index access for each table from its own filters.
        for rel in rels.iter_mut() {
            self.choose_access(rel);
        }
        // Greedy order: first the relation with an index equality (or the first one), then
        // relations linked by an equality to those joined, else the next in FROM order.
        let n = rels.len();
        let mut joined: Vec<usize> = Vec::new();
        let first = rels
            .iter()
            .position(|r| matches!(r.source, RelSource::Table { access: Access::IndexEq { .. }, .. }))
            .unwrap_or(0);
        let mut steps = Vec::new();
        if n > 0 {
            joined.push(first);
            steps.push(JoinStep { rel: first, hash: None, filters: vec![] });
        }
        while joined.len() < n {
            let linked = pending.iter().find_map(|c| {
                if c.rels.len() != 2 {
                    return None;
                }
                let (a, b) = (c.rels[0], c.rels[1]);
                match (joined.contains(&a), joined.contains(&b)) {
                    (true, false) => Some(b),
                    (false, true) => Some(a),
                    _ => None,
                }
            });
            let next = linked.unwrap_or_else(|| (0..n).find(|i| !joined.contains(i)).unwrap_or(0));
            joined.push(next);
            // An equality between the new relation and those joined becomes the hash key.
            let mut hash = None;
            if let Some(pos) = pending.iter().position(|c| {
                c.rels.contains(&next)
                    && c.rels.iter().all(|r| joined.contains(r))
                    && self.equi_sides(&c.expr, &rels[next]).is_some()
            }) {
                let c = pending.remove(pos);
                hash = self.equi_sides(&c.expr, &rels[next]);
            }
            steps.push(JoinStep { rel: next, hash, filters: vec![] });
            // Conditions now fully covered go on this step.
            let mut keep = Vec::new();
            for c in pending.drain(..) {
                if c.rels.iter().all(|r| joined.contains(r)) {
                    if let Some(s) = steps.last_mut() {
                        s.filters.push(c.expr);
                    }
                } else {
                    keep.push(c);
                }
            }
            pending = keep;
        }
        for c in pending {
            if c.late || c.rels.iter().all(|r| joined.contains(r)) {
                match steps.first_mut() {
                    Some(s) if c.rels.is_empty() => s.filters.push(c.expr),
                    _ => late.push(c.expr),
                }
            } else {
                late.push(c.expr);
            }
        }
        Ok(FromPlan { width, rels, steps, late })
    }

    /// `new.col = expr(other relations)`: the two sides of a hash join, new relation first.
    fn equi_sides(&self, e: &BExpr, rel: &Rel) -> Option<(BExpr, BExpr)> {
        let BExpr::Binary(BinOp::Eq, a, b) = e else { return None };
        let inside = |x: &BExpr| {
            let mut c = Vec::new();
            x.cols(&mut c);
            !c.is_empty() && c.iter().all(|&i| i >= rel.offset && i < rel.offset + rel.width)
        };
        let outside = |x: &BExpr| {
            let mut c = Vec::new();
            x.cols(&mut c);
            !c.is_empty() && c.iter().all(|&i| i < rel.offset || i >= rel.offset + rel.width)
        };
        // Only plain columns hash safely: their values compare by the total order.
        let plain = |x: &BExpr| matches!(x, BExpr::Col(_));
        if inside(a) && outside(b) && plain(a) && plain(b) {
            Some(((**a).clone(), (**b).clone()))
        } else if inside(b) && outside(a) && plain(a) && plain(b) {
            Some(((**b).clone(), (**a).clone()))
        } else {
            None
        }
    }
}
