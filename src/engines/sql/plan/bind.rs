//! The binder: names to positions, one query at a time.
//!
//! [`Binder::query`] binds a query's CTEs (a recursive one as anchor plus recursive half), then
//! its body: a SELECT goes through `Binder::select`, which hands the FROM clause to `join`
//! (relations, conditions, join order), then binds the output items with `*` expanded, GROUP BY
//! and HAVING (aliases and ordinals resolved), and ORDER BY (an output position, an alias or a
//! hidden extra item). Set operations and VALUES check their column counts here.
//!
//! Names resolve against a stack of scopes, the innermost first (`Binder::column`); a name
//! found further out becomes `Outer(levels, position)` and marks the subquery correlated.
//! Aggregate calls and window functions met in the output items go to the SELECT's `Collect`
//! and are replaced by slots (`Agg(i)`, `Win(i)`, then columns past the FROM row); met in WHERE
//! they are refused as each server refuses them.

use super::super::ast::*;
use super::super::error::{unsupported, Result, SqlError};
use super::super::flavour::Flavour;
use super::super::storage::Catalog;
use super::super::types::Value;
use super::access::used_columns;
use super::join::conjuncts;
use super::*;

/// A column a name can refer to: the table (or alias) it comes from and its name.
#[derive(Clone, Debug)]
pub(super) struct ScopeCol {
    pub(super) table: String,
    pub(super) name: String,
}

/// The columns of one query's FROM row, in row order.
#[derive(Clone, Debug, Default)]
pub(super) struct Scope {
    pub(super) cols: Vec<ScopeCol>,
}

/// A CTE in scope: its name, its column names and the slot its rows are kept in.
#[derive(Clone, Debug)]
pub(super) struct CteDef {
    pub(super) name: String,
    pub(super) columns: Vec<String>,
    pub(super) slot: usize,
}

/// Where aggregate calls and window functions go while binding one SELECT's output expressions.
#[derive(Default)]
pub(super) struct Collect {
    active: bool,
    aggs: Vec<AggCall>,
    wins: Vec<WindowCall>,
}

/// Binds queries against one catalog and current database, in one flavour's rules.
pub struct Binder<'a> {
    pub catalog: &'a Catalog,
    pub database: String,
    pub flavour: Flavour,
    pub(super) scopes: Vec<Scope>,
    pub(super) ctes: Vec<CteDef>,
    next_id: usize,
    /// The outermost scope level referenced while binding the current subquery.
    min_level: usize,
    pub(super) collect: Vec<Collect>,
    pub(super) view_depth: usize,
}

fn is_aggregate(name: &str) -> Option<AggFunc> {
    Some(match name {
        "count" => AggFunc::Count,
        "sum" | "total" => AggFunc::Sum,
        "avg" => AggFunc::Avg,
        "min" => AggFunc::Min,
        "max" => AggFunc::Max,
        "group_concat" | "string_agg" => AggFunc::GroupConcat,
        "bool_and" | "every" => AggFunc::BoolAnd,
        "bool_or" => AggFunc::BoolOr,
        _ => return None,
    })
}

/// A PostgreSQL-style output name for an expression without alias.
fn pg_name(e: &Expr) -> String {
    match e {
        Expr::Column { name, .. } => name.clone(),
        Expr::Function { name, .. } => name.clone(),
        Expr::Case { .. } => "case".into(),
        Expr::Cast { expr, .. } => pg_name(expr),
        Expr::Exists { .. } => "exists".into(),
        _ => "?column?".into(),
    }
}

impl<'a> Binder<'a> {
    pub fn new(catalog: &'a Catalog, database: &str, flavour: Flavour) -> Binder<'a> {
        Binder {
            catalog,
            database: database.to_string(),
            flavour,
            scopes: Vec::new(),
            ctes: Vec::new(),
            next_id: 0,
            min_level: usize::MAX,
            collect: Vec::new(),
            view_depth: 0,
        }
    }

    fn fresh_id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    /// Binds a query with no enclosing scope.
    pub fn query(&mut self, q: &Query) -> Result<QueryPlan> {
        if self.scopes.len() > MAX_QUERY_DEPTH {
            return Err(SqlError::TooDeep);
        }
        let cte_mark = self.ctes.len();
        let mut ctes = Vec::new();
        for cte in &q.ctes {
            let slot = self.fresh_id();
            let (anchor, recursive) = match (&cte.query.body, q.recursive) {
                (SetExpr::SetOp { op: SetOp::Union, all, left, right }, true) if cte.query.order_by.is_empty() => {
                    let anchor_q = Query {
                        ctes: cte.query.ctes.clone(),
                        recursive: false,
                        body: (**left).clone(),
                        order_by: vec![],
                        limit: None,
                        offset: None,
                    };
                    let anchor = self.query(&anchor_q)?;
                    let columns = if cte.columns.is_empty() { anchor.columns.clone() } else { cte.columns.clone() };
                    self.ctes.push(CteDef { name: cte.name.clone(), columns, slot });
                    let rec_q = Query {
                        ctes: vec![],
                        recursive: false,
                        body: (**right).clone(),
                        order_by: vec![],
                        limit: None,
                        offset: None,
                    };
                    let rec = self.query(&rec_q)?;
                    (anchor, Some((rec, *all)))
                }
                _ => {
                    let anchor = self.query(&cte.query)?;
                    let columns = if cte.columns.is_empty() { anchor.columns.clone() } else { cte.columns.clone() };
                    self.ctes.push(CteDef { name: cte.name.clone(), columns, slot });
                    (anchor, None)
                }
            };
            ctes.push(CtePlan { slot, name: cte.name.clone(), anchor, recursive });
        }
        let result = self.query_body(q, ctes);
        self.ctes.truncate(cte_mark);
        result
    }

    fn query_body(&mut self, q: &Query, ctes: Vec<CtePlan>) -> Result<QueryPlan> {
        let limit = q.limit.as_ref().map(|e| self.constant_expr(e)).transpose()?;
        let offset = q.offset.as_ref().map(|e| self.constant_expr(e)).transpose()?;
        if let SetExpr::Select(sel) = &q.body {
            let (plan, columns, order) = self.select(sel, &q.order_by)?;
            let hidden = plan.items.len() - plan.visible;
            return Ok(QueryPlan {
                ctes,
                body: SetPlan::Select(Box::new(plan)),
                order,
                limit,
                offset,
                columns,
                hidden,
            });
        }
        let (body, columns) = self.set_expr(&q.body)?;
        let mut order = Vec::new();
        for item in &q.order_by {
            let pos = match &item.expr {
                Expr::Literal(Value::Int(k)) if *k >= 1 && (*k as usize) <= columns.len() => *k as usize - 1,
                Expr::Column { name, .. } => match columns.iter().position(|c| c == name) {
                    Some(p) => p,
                    None => return Err(SqlError::NoSuchColumn { column: name.clone(), clause: "order clause" }),
                },
                Expr::Literal(Value::Int(k)) => {
                    return Err(SqlError::NoSuchColumn { column: k.to_string(), clause: "order clause" })
                }
                _ => return unsupported("ORDER BY an expression over a set operation"),
            };
            order.push((pos, item.desc, self.nulls_first(item)));
        }
        Ok(QueryPlan { ctes, body, order, limit, offset, columns, hidden: 0 })
    }

    fn nulls_first(&self, item: &OrderItem) -> bool {
        // MySQL sorts NULL as the smallest value; PostgreSQL as the largest.
        item.nulls_first.unwrap_or(if self.flavour.is_mysql() { !item.desc } else { item.desc })
    }

    fn constant_expr(&mut self, e: &Expr) -> Result<BExpr> {
        self.scopes.push(Scope::default());
        let r = self.expr(e);
        self.scopes.pop();
        r
    }

    fn set_expr(&mut self, s: &SetExpr) -> Result<(SetPlan, Vec<String>)> {
        Ok(match s {
            SetExpr::Select(sel) => {
                let (plan, columns, _) = self.select(sel, &[])?;
                (SetPlan::Select(Box::new(plan)), columns)
            }
            SetExpr::Query(q) => {
                let plan = self.query(q)?;
                let columns = plan.columns.clone();
                (SetPlan::Query(Box::new(plan)), columns)
            }
            SetExpr::Values(rows) => {
                self.scopes.push(Scope::default());
                let bound: Result<Vec<Vec<BExpr>>> =
                    rows.iter().map(|r| r.iter().map(|e| self.expr(e)).collect()).collect();
                self.scopes.pop();
                let bound = bound?;
                let width = bound.first().map(|r| r.len()).unwrap_or(0);
                if bound.iter().any(|r| r.len() != width) {
                    return Err(SqlError::ValuesLength);
                }
                let columns = (1..=width)
                    .map(|i| if self.flavour.is_mysql() { format!("column_{}", i - 1) } else { format!("column{i}") })
                    .collect();
                (SetPlan::Values(bound), columns)
            }
            SetExpr::SetOp { op, all, left, right } => {
                let (l, lc) = self.set_expr(left)?;
                let (r, rc) = self.set_expr(right)?;
                if lc.len() != rc.len() {
                    return Err(SqlError::SetOpColumns(format!("{op:?}").to_uppercase()));
                }
                (SetPlan::SetOp { op: *op, all: *all, left: Box::new(l), right: Box::new(r) }, lc)
            }
        })
    }

    /// Binds one SELECT with the ORDER BY of its query. Returns the plan, the output names, and
    /// the sort keys as output positions.
    pub(super) fn select(&mut self, s: &Select, order_by: &[OrderItem]) -> Result<BoundSelect> {
        // 1. FROM: relations and the conditions of inner joins.
        let mut scope = Scope::default();
        let mut rels = Vec::new();
        let mut conds = Vec::new();
        for item in &s.from {
            self.add_from_item(item, &mut scope, &mut rels, &mut conds)?;
        }
        if rels.is_empty() {
            rels.push(Rel { name: String::new(), offset: 0, width: 0, source: RelSource::Dual, filters: vec![] });
        }
        if let Some(w) = &s.filter {
            conjuncts(w.clone(), &mut conds);
        }
        let width = scope.cols.len();
        self.scopes.push(scope);
        let result = self.select_in_scope(s, order_by, rels, conds, width);
        self.scopes.pop();
        result
    }

    fn select_in_scope(
        &mut self,
        s: &Select,
        order_by: &[OrderItem],
        rels: Vec<Rel>,
        conds: Vec<Expr>,
        width: usize,
    ) -> Result<BoundSelect> {
        // 2. WHERE, split and placed on the join steps.
        let mut bound_conds = Vec::new();
        self.collect.push(Collect::default());
        for c in &conds {
            bound_conds.push(self.expr(c)?);
        }
        let from = self.plan_joins(rels, bound_conds, width)?;

        // 3. The output items (wildcards expanded), collecting aggregates and windows.
        let mut items: Vec<(Expr, String)> = Vec::new();
        let scope_cols = self.scopes.last().map(|s| s.cols.clone()).unwrap_or_default();
        for item in &s.items {
            match item {
                SelectItem::Wildcard => {
                    if scope_cols.is_empty() {
                        return Err(SqlError::NoTablesUsed);
                    }
                    for c in &scope_cols {
                        items.push((
                            Expr::Column { table: Some(c.table.clone()), name: c.name.clone() },
                            c.name.clone(),
                        ));
                    }
                }
                SelectItem::QualifiedWildcard(t) => {
                    let mut any = false;
                    for c in scope_cols.iter().filter(|c| &c.table == t) {
                        any = true;
                        items.push((
                            Expr::Column { table: Some(c.table.clone()), name: c.name.clone() },
                            c.name.clone(),
                        ));
                    }
                    if !any {
                        return Err(SqlError::NoSuchTable { database: self.database.clone(), table: t.clone() });
                    }
                }
                SelectItem::Expr { expr, alias, text } => {
                    let name = match alias {
                        Some(a) => a.clone(),
                        None if self.flavour.is_mysql() => match expr {
                            Expr::Column { name, .. } => name.clone(),
                            Expr::Literal(Value::Text(s)) => s.clone(),
                            _ => text.clone(),
                        },
                        None => pg_name(expr),
                    };
                    items.push((expr.clone(), name));
                }
            }
        }
        let group_exprs: Vec<Expr> =
            s.group_by.iter().map(|g| self.resolve_alias(g, &items, true)).collect::<Result<Vec<_>>>()?;
        let mut group_keys = Vec::new();
        for g in &group_exprs {
            group_keys.push(self.expr(g)?);
        }
        if let Some(c) = self.collect.last_mut() {
            c.active = true;
        }
        let mut bound_items = Vec::new();
        for (e, _) in &items {
            bound_items.push(self.expr(e)?);
        }
        let having = match &s.having {
            Some(h) => {
                let h = self.resolve_alias(h, &items, false)?;
                Some(self.expr(&h)?)
            }
            None => None,
        };
        // 4. ORDER BY: an output position, an alias, or a hidden extra item.
        let visible = bound_items.len();
        let mut order = Vec::new();
        for o in order_by {
            let pos = match &o.expr {
                Expr::Literal(Value::Int(k)) => {
                    if *k < 1 || *k as usize > visible {
                        return Err(SqlError::NoSuchColumn { column: k.to_string(), clause: "order clause" });
                    }
                    *k as usize - 1
                }
                Expr::Column { table: None, name } if items.iter().any(|(_, n)| n == name) && !self.in_scope(name) => {
                    items.iter().position(|(_, n)| n == name).unwrap_or(0)
                }
                e => {
                    bound_items.push(self.expr(e)?);
                    bound_items.len() - 1
                }
            };
            order.push((pos, o.desc, self.nulls_first(o)));
        }
        let collect = self.collect.pop().unwrap_or_default();
        let aggregated = !s.group_by.is_empty() || !collect.aggs.is_empty();
        let agg_base = width;
        let win_base = width + collect.aggs.len();
        let mut windows = collect.wins;
        for w in &mut windows {
            w.args.iter_mut().for_each(|a| a.place_slots(agg_base, win_base));
            w.partition.iter_mut().for_each(|a| a.place_slots(agg_base, win_base));
            w.order.iter_mut().for_each(|a| a.0.place_slots(agg_base, win_base));
        }
        for e in bound_items.iter_mut() {
            e.place_slots(agg_base, win_base);
        }
        let having = having.map(|mut h| {
            h.place_slots(agg_base, win_base);
            h
        });
        let plan = SelectPlan {
            from,
            filter: None,
            group: if aggregated { Some(GroupPlan { keys: group_keys, aggs: collect.aggs }) } else { None },
            having,
            windows,
            items: bound_items,
            distinct: s.distinct,
            visible,
            used: None,
        };
        let plan = SelectPlan { used: used_columns(&plan), ..plan };
        Ok((plan, items.into_iter().map(|(_, n)| n).collect(), order))
    }

    /// Binds an expression over one table's row (defaults, CHECKs, UPDATE ... SET).
    pub fn expr_over(&mut self, table: &str, columns: &[String], e: &Expr) -> Result<BExpr> {
        let scope =
            Scope { cols: columns.iter().map(|c| ScopeCol { table: table.to_string(), name: c.clone() }).collect() };
        self.scopes.push(scope);
        self.collect.push(Collect::default());
        let r = self.expr(e);
        self.collect.pop();
        self.scopes.pop();
        r
    }

    /// The scan an UPDATE or DELETE makes: one table relation with the WHERE pushed down
    /// (and an index chosen when the WHERE allows).
    pub fn table_scan(&mut self, table: &str, alias: &str, columns: &[String], filter: Option<&Expr>) -> Result<Rel> {
        let scope =
            Scope { cols: columns.iter().map(|c| ScopeCol { table: alias.to_string(), name: c.clone() }).collect() };
        self.scopes.push(scope);
        self.collect.push(Collect::default());
        let mut conds = Vec::new();
        if let Some(f) = filter {
            conjuncts(f.clone(), &mut conds);
        }
        let bound: Result<Vec<BExpr>> = conds.iter().map(|c| self.expr(c)).collect();
        self.collect.pop();
        self.scopes.pop();
        let mut rel = Rel {
            name: alias.to_string(),
            offset: 0,
            width: columns.len(),
            source: RelSource::Table {
                database: self.database.clone(),
                table: table.to_string(),
                access: Access::FullScan,
            },
            filters: bound?,
        };
        self.choose_access(&mut rel);
        Ok(rel)
    }

    fn in_scope(&self, name: &str) -> bool {
        self.scopes.last().is_some_and(|s| s.cols.iter().any(|c| c.name == name))
    }

    /// GROUP BY 2, GROUP BY alias, HAVING alias: the output item they name.
    fn resolve_alias(&self, e: &Expr, items: &[(Expr, String)], ordinals: bool) -> Result<Expr> {
        match e {
            Expr::Literal(Value::Int(k)) if ordinals => match items.get((*k as usize).wrapping_sub(1)) {
                Some((expr, _)) => Ok(expr.clone()),
                None => Err(SqlError::NoSuchColumn { column: k.to_string(), clause: "group statement" }),
            },
            Expr::Column { table: None, name } if !self.in_scope(name) => match items.iter().find(|(_, n)| n == name) {
                Some((expr, _)) => Ok(expr.clone()),
                None => Ok(e.clone()),
            },
            _ => Ok(e.clone()),
        }
    }

    /// A derived table: bound without access to the enclosing FROM (no LATERAL).
    pub(super) fn subquery_plan(&mut self, q: &Query) -> Result<QueryPlan> {
        let saved = std::mem::take(&mut self.scopes);
        let saved_collect = std::mem::take(&mut self.collect);
        let r = self.query(q);
        self.scopes = saved;
        self.collect = saved_collect;
        r
    }

    /// Resolves a column name: this query's scope first, then enclosing queries.
    fn column(&mut self, table: &Option<String>, name: &str) -> Result<BExpr> {
        let levels = self.scopes.len();
        for level in (0..levels).rev() {
            let scope = &self.scopes[level];
            let matches: Vec<usize> = scope
                .cols
                .iter()
                .enumerate()
                .filter(|(_, c)| c.name == name && table.as_ref().is_none_or(|t| &c.table == t))
                .map(|(i, _)| i)
                .collect();
            match matches.as_slice() {
                [] => continue,
                [i] => {
                    self.min_level = self.min_level.min(level);
                    return Ok(if level == levels - 1 { BExpr::Col(*i) } else { BExpr::Outer(levels - 1 - level, *i) });
                }
                _ => {
                    return Err(SqlError::AmbiguousColumn { column: name.to_string(), clause: "field list" });
                }
            }
        }
        let column = match table {
            Some(t) => format!("{t}.{name}"),
            None => name.to_string(),
        };
        Err(SqlError::NoSuchColumn { column, clause: "field list" })
    }

    fn sub(&mut self, q: &Query) -> Result<SubPlan> {
        let saved = self.min_level;
        self.min_level = usize::MAX;
        let level = self.scopes.len();
        self.collect.push(Collect::default());
        let plan = self.query(q);
        self.collect.pop();
        let inner_min = self.min_level;
        self.min_level = saved.min(inner_min);
        let plan = plan?;
        Ok(SubPlan { id: self.fresh_id(), correlated: inner_min < level, plan })
    }

    fn boxed(&mut self, e: &Expr) -> Result<Box<BExpr>> {
        Ok(Box::new(self.expr(e)?))
    }

    pub fn expr(&mut self, e: &Expr) -> Result<BExpr> {
        Ok(match e {
            Expr::Literal(v) => BExpr::Lit(v.clone()),
            Expr::Param(i) => BExpr::Param(*i),
            Expr::Column { table, name } => self.column(table, name)?,
            Expr::Unary { op, expr } => BExpr::Unary(*op, self.boxed(expr)?),
            Expr::Binary { op, left, right } => BExpr::Binary(*op, self.boxed(left)?, self.boxed(right)?),
            Expr::IsNull { expr, negated } => BExpr::IsNull(self.boxed(expr)?, *negated),
            Expr::IsBool { expr, value, negated } => BExpr::IsBool(self.boxed(expr)?, *value, *negated),
            Expr::InList { expr, list, negated } => {
                BExpr::InList(self.boxed(expr)?, list.iter().map(|x| self.expr(x)).collect::<Result<_>>()?, *negated)
            }
            Expr::InSubquery { expr, query, negated } => {
                let e = self.boxed(expr)?;
                let s = self.sub(query)?;
                if s.plan.columns.len() != 1 {
                    return Err(SqlError::SubqueryColumns);
                }
                BExpr::InSub(e, Box::new(s), *negated)
            }
            Expr::Exists { query, negated } => BExpr::Exists(Box::new(self.sub(query)?), *negated),
            Expr::Subquery(q) => {
                let s = self.sub(q)?;
                if s.plan.columns.len() != 1 {
                    return Err(SqlError::SubqueryColumns);
                }
                BExpr::Scalar(Box::new(s))
            }
            Expr::Between { expr, low, high, negated } => {
                BExpr::Between(self.boxed(expr)?, self.boxed(low)?, self.boxed(high)?, *negated)
            }
            Expr::Like { expr, pattern, negated, case_insensitive, escape } => BExpr::Like {
                expr: self.boxed(expr)?,
                pattern: self.boxed(pattern)?,
                negated: *negated,
                ci: *case_insensitive || self.flavour.is_mysql(),
                escape: escape.or(Some('\\')),
            },
            Expr::Case { operand, whens, otherwise } => BExpr::Case(
                operand.as_ref().map(|o| self.boxed(o)).transpose()?,
                whens.iter().map(|(a, b)| Ok((self.expr(a)?, self.expr(b)?))).collect::<Result<_>>()?,
                otherwise.as_ref().map(|o| self.boxed(o)).transpose()?,
            ),
            Expr::Cast { expr, to } => BExpr::Cast(self.boxed(expr)?, to.clone()),
            Expr::Function { name, args, distinct, star, over } => self.function(name, args, *distinct, *star, over)?,
        })
    }

    /// A function call: a window function when it has OVER, an aggregate (a one-argument MIN or
    /// MAX is one; with more arguments they are LEAST and GREATEST), else a scalar function.
    fn function(
        &mut self,
        name: &str,
        args: &[Expr],
        distinct: bool,
        star: bool,
        over: &Option<WindowSpec>,
    ) -> Result<BExpr> {
        if let Some(spec) = over {
            return self.window_call(name, args, star, spec);
        }
        if let Some(agg) = is_aggregate(name) {
            if !(matches!(agg, AggFunc::Min | AggFunc::Max) && args.len() > 1) {
                return self.aggregate_call(agg, args, distinct, star);
            }
        }
        let func = match name {
            "min" => Some(Func::Least),
            "max" => Some(Func::Greatest),
            _ => Func::by_name(name),
        };
        let Some(func) = func else {
            return Err(SqlError::NoSuchFunction(if self.flavour.is_mysql() {
                format!("{}.{}", self.database, name)
            } else {
                format!("{name}()")
            }));
        };
        let args = args.iter().map(|a| self.expr(a)).collect::<Result<Vec<_>>>()?;
        Ok(BExpr::Func(func, args))
    }

    /// `f(...) OVER (...)`: the call goes to the SELECT's window slots; refused outside the
    /// SELECT list and ORDER BY.
    fn window_call(&mut self, name: &str, args: &[Expr], star: bool, spec: &WindowSpec) -> Result<BExpr> {
        let func = match name {
            "row_number" => WinFunc::RowNumber,
            "rank" => WinFunc::Rank,
            "dense_rank" => WinFunc::DenseRank,
            "lag" => WinFunc::Lag,
            "lead" => WinFunc::Lead,
            n => match is_aggregate(n) {
                Some(AggFunc::Count) if star => WinFunc::Agg(AggFunc::CountStar),
                Some(a) => WinFunc::Agg(a),
                None => return Err(SqlError::NoSuchFunction(name.to_string())),
            },
        };
        if !self.collect.last().is_some_and(|c| c.active) {
            return Err(SqlError::WindowNotAllowed(name.to_string()));
        }
        let args = args.iter().map(|a| self.expr(a)).collect::<Result<Vec<_>>>()?;
        let partition = spec.partition_by.iter().map(|a| self.expr(a)).collect::<Result<Vec<_>>>()?;
        let mut order = Vec::new();
        for o in &spec.order_by {
            order.push((self.expr(&o.expr)?, o.desc, self.nulls_first(o)));
        }
        let c = self.collect.last_mut().ok_or(SqlError::TooDeep)?;
        c.wins.push(WindowCall { func, args, partition, order });
        Ok(BExpr::Win(c.wins.len() - 1))
    }

    /// An aggregate call: it goes to the SELECT's aggregate slots; refused in WHERE and inside
    /// another aggregate.
    fn aggregate_call(&mut self, agg: AggFunc, args: &[Expr], distinct: bool, star: bool) -> Result<BExpr> {
        let active = self.collect.last().is_some_and(|c| c.active);
        if !active {
            return Err(SqlError::AggregateNotAllowed);
        }
        // The argument is evaluated per input row: no nested aggregates.
        if let Some(c) = self.collect.last_mut() {
            c.active = false;
        }
        let arg = match args.first() {
            Some(a) if !star => Some(self.expr(a)),
            _ => None,
        };
        let separator = match args.get(1) {
            Some(Expr::Literal(Value::Text(s))) => s.clone(),
            _ => ",".to_string(),
        };
        if let Some(c) = self.collect.last_mut() {
            c.active = true;
        }
        let arg = arg.transpose()?;
        let func = if star || (agg == AggFunc::Count && arg.is_none()) { AggFunc::CountStar } else { agg };
        let c = self.collect.last_mut().ok_or(SqlError::TooDeep)?;
        c.aggs.push(AggCall { func, arg, distinct, separator });
        Ok(BExpr::Agg(c.aggs.len() - 1))
    }
}
