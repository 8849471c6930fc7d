//! The planner: binds names to positions and decides how each query will run.
//!
//! Input is the engine's AST; output is a tree of plans whose expressions ([`BExpr`]) refer to
//! columns by position. Along the way the planner:
//!
//! 1. resolves every column name against the scope of its query (and the scopes of the queries
//!    around it, for correlated subqueries), reporting unknown or ambiguous names;
//! 2. flattens the FROM list and the inner joins into *relations* plus a list of *conjuncts*
//!    (the WHERE and ON conditions split at AND), and picks a join order greedily: start from the
//!    relation with the most selective filter, then always join a relation connected to what is
//!    already joined by an equality (a hash join), so that `FROM a, b, c WHERE a.x = b.y ...`
//!    never builds the full cross product;
//! 3. pushes single-table conditions down to the scan, and uses an index when a condition is
//!    `column = constant` or a range on the index's first column (EXPLAIN shows the choice);
//! 4. moves aggregate calls and window functions out of the expressions into slots computed by
//!    the executor, so that `SUM(x) + 1` reads a slot and adds one.
//!
//! ```text
//!   rows of a SELECT, left to right:
//!   [ rel 0 columns | rel 1 columns | ... ]  [ aggregate slots ]  [ window slots ]
//! ```

use super::ast::*;
use super::error::{unsupported, Result, SqlError};
use super::eval::Func;
use super::flavour::Flavour;
use super::storage::{Catalog, Table};
use super::types::{DataType, Value};
use std::rc::Rc;
use std::sync::Arc;

/// The deepest nesting of subqueries accepted.
pub const MAX_QUERY_DEPTH: usize = 32;

#[derive(Clone, Debug)]
pub enum BExpr {
    Lit(Value),
    /// A prepared statement's parameter, read from the executor's environment.
    Param(usize),
    Col(usize),
    /// A column of an enclosing query's row: (how many levels out, position).
    Outer(usize, usize),
    Unary(UnOp, Box<BExpr>),
    Binary(BinOp, Box<BExpr>, Box<BExpr>),
    IsNull(Box<BExpr>, bool),
    IsBool(Box<BExpr>, bool, bool),
    InList(Box<BExpr>, Vec<BExpr>, bool),
    InSub(Box<BExpr>, Box<SubPlan>, bool),
    Exists(Box<SubPlan>, bool),
    Scalar(Box<SubPlan>),
    Between(Box<BExpr>, Box<BExpr>, Box<BExpr>, bool),
    Like {
        expr: Box<BExpr>,
        pattern: Box<BExpr>,
        negated: bool,
        ci: bool,
        escape: Option<char>,
    },
    Case(Option<Box<BExpr>>, Vec<(BExpr, BExpr)>, Option<Box<BExpr>>),
    Cast(Box<BExpr>, DataType),
    Func(Func, Vec<BExpr>),
    /// Placeholders rewritten to `Col` once the slots are counted.
    Agg(usize),
    Win(usize),
}

/// A subquery inside an expression. Uncorrelated ones run once per statement (cached by `id`).
/// A bound SELECT: its plan, output names, and sort keys as output positions.
type BoundSelect = (SelectPlan, Vec<String>, Vec<(usize, bool, bool)>);

#[derive(Clone, Debug)]
pub struct SubPlan {
    pub id: usize,
    pub correlated: bool,
    pub plan: QueryPlan,
}

#[derive(Clone, Debug)]
pub struct QueryPlan {
    pub ctes: Vec<CtePlan>,
    pub body: SetPlan,
    /// Sort keys: output column positions (hidden ones included), descending?, nulls first?
    pub order: Vec<(usize, bool, bool)>,
    pub limit: Option<BExpr>,
    pub offset: Option<BExpr>,
    pub columns: Vec<String>,
    /// Trailing output columns added only for sorting, dropped at the end.
    pub hidden: usize,
}

#[derive(Clone, Debug)]
pub struct CtePlan {
    pub slot: usize,
    pub name: String,
    pub anchor: QueryPlan,
    /// The recursive half of `anchor UNION [ALL] recursive`, reading the slot.
    pub recursive: Option<(QueryPlan, bool)>,
}

#[derive(Clone, Debug)]
pub enum SetPlan {
    Select(Box<SelectPlan>),
    Values(Vec<Vec<BExpr>>),
    SetOp { op: SetOp, all: bool, left: Box<SetPlan>, right: Box<SetPlan> },
    Query(Box<QueryPlan>),
}

#[derive(Clone, Debug)]
pub struct SelectPlan {
    pub from: FromPlan,
    pub filter: Option<BExpr>,
    pub group: Option<GroupPlan>,
    pub having: Option<BExpr>,
    pub windows: Vec<WindowCall>,
    pub items: Vec<BExpr>,
    pub distinct: bool,
    /// How many of `items` are visible (the rest are hidden sort keys).
    pub visible: usize,
    /// Which positions of the wide FROM row anything reads (`None`: all of them). Scans copy
    /// only these values out of the table; the others stay NULL.
    pub used: Option<Rc<[bool]>>,
}

#[derive(Clone, Debug)]
pub struct GroupPlan {
    pub keys: Vec<BExpr>,
    pub aggs: Vec<AggCall>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggFunc {
    Count,
    CountStar,
    Sum,
    Avg,
    Min,
    Max,
    GroupConcat,
    BoolAnd,
    BoolOr,
}

#[derive(Clone, Debug)]
pub struct AggCall {
    pub func: AggFunc,
    pub arg: Option<BExpr>,
    pub distinct: bool,
    pub separator: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WinFunc {
    RowNumber,
    Rank,
    DenseRank,
    Agg(AggFunc),
    Lag,
    Lead,
}

#[derive(Clone, Debug)]
pub struct WindowCall {
    pub func: WinFunc,
    pub args: Vec<BExpr>,
    pub partition: Vec<BExpr>,
    pub order: Vec<(BExpr, bool, bool)>,
}

/// The FROM clause: relations side by side in one wide row, joined in `steps` order.
#[derive(Clone, Debug, Default)]
pub struct FromPlan {
    pub width: usize,
    pub rels: Vec<Rel>,
    pub steps: Vec<JoinStep>,
    /// Conjuncts that need every relation (or contain subqueries): checked last.
    pub late: Vec<BExpr>,
}

#[derive(Clone, Debug)]
pub struct Rel {
    pub name: String,
    pub offset: usize,
    pub width: usize,
    pub source: RelSource,
    /// Conditions on this relation alone, checked while scanning it.
    pub filters: Vec<BExpr>,
}

#[derive(Clone, Debug)]
pub enum RelSource {
    Table {
        database: String,
        table: String,
        access: Access,
    },
    Derived(Box<QueryPlan>),
    Cte(usize),
    OuterJoin {
        kind: JoinKind,
        left: Box<FromPlan>,
        right: Box<FromPlan>,
        on: Option<BExpr>,
    },
    /// `SELECT` without FROM: one empty row.
    Dual,
}

#[derive(Clone, Debug)]
pub enum Access {
    FullScan,
    /// Equality on the index's leading columns.
    IndexEq {
        index: usize,
        name: String,
        key: Vec<BExpr>,
    },
    /// A range on the index's first column.
    IndexRange {
        index: usize,
        name: String,
        low: Option<(BExpr, bool)>,
        high: Option<(BExpr, bool)>,
    },
}

#[derive(Clone, Debug)]
pub struct JoinStep {
    pub rel: usize,
    /// For a hash join: (expression over the new relation, expression over the rows so far).
    pub hash: Option<(BExpr, BExpr)>,
    pub filters: Vec<BExpr>,
}

#[derive(Clone, Debug)]
struct ScopeCol {
    table: String,
    name: String,
}

#[derive(Clone, Debug, Default)]
struct Scope {
    cols: Vec<ScopeCol>,
}

#[derive(Clone, Debug)]
struct CteDef {
    name: String,
    columns: Vec<String>,
    slot: usize,
}

/// Where aggregate calls and window functions go while binding one SELECT's output expressions.
#[derive(Default)]
struct Collect {
    active: bool,
    aggs: Vec<AggCall>,
    wins: Vec<WindowCall>,
}

pub struct Binder<'a> {
    pub catalog: &'a Catalog,
    pub database: String,
    pub flavour: Flavour,
    scopes: Vec<Scope>,
    ctes: Vec<CteDef>,
    next_id: usize,
    /// The outermost scope level referenced while binding the current subquery.
    min_level: usize,
    collect: Vec<Collect>,
    view_depth: usize,
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

/// Splits a condition at its ANDs.
fn conjuncts(e: Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::Binary { op: BinOp::And, left, right } => {
            conjuncts(*left, out);
            conjuncts(*right, out);
        }
        e => out.push(e),
    }
}

impl BExpr {
    /// Visits every `Col` position (not those inside subqueries).
    fn cols(&self, out: &mut Vec<usize>) {
        match self {
            BExpr::Col(i) => out.push(*i),
            BExpr::Lit(_)
            | BExpr::Param(_)
            | BExpr::Outer(..)
            | BExpr::Agg(_)
            | BExpr::Win(_)
            | BExpr::Exists(..)
            | BExpr::Scalar(_) => {}
            BExpr::Unary(_, a)
            | BExpr::IsNull(a, _)
            | BExpr::IsBool(a, _, _)
            | BExpr::Cast(a, _)
            | BExpr::InSub(a, _, _) => a.cols(out),
            BExpr::Binary(_, a, b) => {
                a.cols(out);
                b.cols(out)
            }
            BExpr::InList(a, l, _) => {
                a.cols(out);
                l.iter().for_each(|x| x.cols(out))
            }
            BExpr::Between(a, b, c, _) => {
                a.cols(out);
                b.cols(out);
                c.cols(out)
            }
            BExpr::Like { expr, pattern, .. } => {
                expr.cols(out);
                pattern.cols(out)
            }
            BExpr::Case(o, w, e) => {
                if let Some(o) = o {
                    o.cols(out)
                }
                for (a, b) in w {
                    a.cols(out);
                    b.cols(out)
                }
                if let Some(e) = e {
                    e.cols(out)
                }
            }
            BExpr::Func(_, a) => a.iter().for_each(|x| x.cols(out)),
        }
    }

    fn has_subquery(&self) -> bool {
        match self {
            BExpr::InSub(..) | BExpr::Exists(..) | BExpr::Scalar(_) => true,
            BExpr::Lit(_) | BExpr::Param(_) | BExpr::Col(_) | BExpr::Outer(..) | BExpr::Agg(_) | BExpr::Win(_) => false,
            BExpr::Unary(_, a) | BExpr::IsNull(a, _) | BExpr::IsBool(a, _, _) | BExpr::Cast(a, _) => a.has_subquery(),
            BExpr::Binary(_, a, b) => a.has_subquery() || b.has_subquery(),
            BExpr::InList(a, l, _) => a.has_subquery() || l.iter().any(|x| x.has_subquery()),
            BExpr::Between(a, b, c, _) => a.has_subquery() || b.has_subquery() || c.has_subquery(),
            BExpr::Like { expr, pattern, .. } => expr.has_subquery() || pattern.has_subquery(),
            BExpr::Case(o, w, e) => {
                o.as_ref().is_some_and(|o| o.has_subquery())
                    || w.iter().any(|(a, b)| a.has_subquery() || b.has_subquery())
                    || e.as_ref().is_some_and(|e| e.has_subquery())
            }
            BExpr::Func(_, a) => a.iter().any(|x| x.has_subquery()),
        }
    }

    /// Replaces aggregate and window placeholders by the slot columns.
    fn place_slots(&mut self, agg_base: usize, win_base: usize) {
        let recurse = |e: &mut BExpr| e.place_slots(agg_base, win_base);
        match self {
            BExpr::Agg(i) => *self = BExpr::Col(agg_base + *i),
            BExpr::Win(i) => *self = BExpr::Col(win_base + *i),
            BExpr::Lit(_)
            | BExpr::Param(_)
            | BExpr::Col(_)
            | BExpr::Outer(..)
            | BExpr::Exists(..)
            | BExpr::Scalar(_) => {}
            BExpr::Unary(_, a)
            | BExpr::IsNull(a, _)
            | BExpr::IsBool(a, _, _)
            | BExpr::Cast(a, _)
            | BExpr::InSub(a, _, _) => recurse(a),
            BExpr::Binary(_, a, b) => {
                recurse(a);
                recurse(b)
            }
            BExpr::InList(a, l, _) => {
                recurse(a);
                l.iter_mut().for_each(recurse)
            }
            BExpr::Between(a, b, c, _) => {
                recurse(a);
                recurse(b);
                recurse(c)
            }
            BExpr::Like { expr, pattern, .. } => {
                recurse(expr);
                recurse(pattern)
            }
            BExpr::Case(o, w, e) => {
                if let Some(o) = o {
                    recurse(o)
                }
                for (a, b) in w.iter_mut() {
                    recurse(a);
                    recurse(b)
                }
                if let Some(e) = e {
                    recurse(e)
                }
            }
            BExpr::Func(_, a) => a.iter_mut().for_each(recurse),
        }
    }

    /// True when the expression reads nothing from the current row (a constant for one scan).
    fn is_constant(&self) -> bool {
        let mut c = Vec::new();
        self.cols(&mut c);
        c.is_empty() && !self.has_subquery()
    }
}

/// The positions of the FROM row that a SELECT reads, or `None` when it cannot tell (a subquery
/// may read the row as its outer row).
fn used_columns(plan: &SelectPlan) -> Option<Rc<[bool]>> {
    fn from_exprs<'p>(f: &'p FromPlan, out: &mut Vec<&'p BExpr>) {
        for r in &f.rels {
            out.extend(&r.filters);
            if let RelSource::OuterJoin { left, right, on, .. } = &r.source {
                from_exprs(left, out);
                from_exprs(right, out);
                out.extend(on);
            }
        }
        for st in &f.steps {
            if let Some((a, b)) = &st.hash {
                out.push(a);
                out.push(b);
            }
            out.extend(&st.filters);
        }
        out.extend(&f.late);
    }
    let mut exprs: Vec<&BExpr> = Vec::new();
    from_exprs(&plan.from, &mut exprs);
    exprs.extend(&plan.filter);
    exprs.extend(&plan.having);
    if let Some(g) = &plan.group {
        exprs.extend(&g.keys);
        exprs.extend(g.aggs.iter().filter_map(|a| a.arg.as_ref()));
    }
    for w in &plan.windows {
        exprs.extend(&w.args);
        exprs.extend(&w.partition);
        exprs.extend(w.order.iter().map(|o| &o.0));
    }
    exprs.extend(&plan.items);
    let mut used = vec![false; plan.from.width];
    let mut cols = Vec::new();
    for e in exprs {
        if e.has_subquery() {
            return None;
        }
        cols.clear();
        e.cols(&mut cols);
        for &c in &cols {
            if let Some(u) = used.get_mut(c) {
                *u = true;
            }
        }
    }
    Some(used.into())
}

/// Whether a constant can be looked up in an index over a column of type `dt`: only when the
/// index's order (the values' total order) is SQL's order for the comparison.
pub fn key_fits(dt: &DataType, v: &Value, fold_case: bool) -> bool {
    match v {
        Value::Int(_) | Value::Dec(_) | Value::Float(_) => {
            dt.is_integer() || matches!(dt, DataType::Decimal(..) | DataType::Real | DataType::Double)
        }
        Value::Text(_) => !fold_case && matches!(dt, DataType::Text | DataType::Varchar(_) | DataType::Char(_)),
        _ => false,
    }
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
    fn select(&mut self, s: &Select, order_by: &[OrderItem]) -> Result<BoundSelect> {
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

    fn table_def(&self, name: &str) -> Option<Arc<Table>> {
        self.catalog.table(&self.database, name).cloned()
    }

    /// Adds one FROM item's relations to the flat list (inner joins flatten; outer joins nest).
    fn add_from_item(
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
            FromItem::Join { left, right, kind, on } => {
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
                    source: RelSource::OuterJoin {
                        kind: *kind,
                        left: Box::new(left_plan),
                        right: Box::new(right_plan),
                        on,
                    },
                    filters: vec![],
                });
                Ok(())
            }
            FromItem::Table { name, alias } => {
                let visible = alias.clone().unwrap_or_else(|| name.clone());
                let offset = scope.cols.len();
                if let Some(cte) = self.ctes.iter().rev().find(|c| &c.name == name).cloned() {
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
                            table: name.clone(),
                            access: Access::FullScan,
                        },
                        filters: vec![],
                    });
                    return Ok(());
                }
                if let Some(view) = self.catalog.databases.get(&self.database).and_then(|d| d.views.get(name)).cloned()
                {
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
                if let Some((cols, rows)) = self.information_schema(name) {
                    let visible = alias.clone().unwrap_or_else(|| name.rsplit('.').next().unwrap_or(name).to_string());
                    for c in &cols {
                        scope.cols.push(ScopeCol { table: visible.clone(), name: c.clone() });
                    }
                    let plan = QueryPlan {
                        ctes: vec![],
                        body: SetPlan::Values(
                            rows.into_iter().map(|r| r.into_iter().map(BExpr::Lit).collect()).collect(),
                        ),
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
                Err(SqlError::NoSuchTable { database: self.database.clone(), table: name.clone() })
            }
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

    /// `information_schema.tables` and `.columns`, built from the catalog when named.
    fn information_schema(&self, name: &str) -> Option<(Vec<String>, Vec<Vec<Value>>)> {
        let text = |s: &str| Value::Text(s.to_string());
        match name {
            "information_schema.tables" => {
                let cols = ["table_catalog", "table_schema", "table_name", "table_type"];
                let mut rows = Vec::new();
                for (dbname, db) in &self.catalog.databases {
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
                for (dbname, db) in &self.catalog.databases {
                    for (tname, t) in &db.tables {
                        for (i, c) in t.columns.iter().enumerate() {
                            let dt = c.data_type.display(self.flavour.is_mysql());
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

    /// A derived table: bound without access to the enclosing FROM (no LATERAL).
    fn subquery_plan(&mut self, q: &Query) -> Result<QueryPlan> {
        let saved = std::mem::take(&mut self.scopes);
        let saved_collect = std::mem::take(&mut self.collect);
        let r = self.query(q);
        self.scopes = saved;
        self.collect = saved_collect;
        r
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
    fn plan_joins(&mut self, mut rels: Vec<Rel>, conds: Vec<BExpr>, _width: usize) -> Result<FromPlan> {
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

    fn choose_access(&self, rel: &mut Rel) {
        let RelSource::Table { database, table, access } = &mut rel.source else { return };
        let Some(t) = self.catalog.table(database, table) else { return };
        let col_of = |e: &BExpr| match e {
            BExpr::Col(i) if *i >= rel.offset && *i < rel.offset + rel.width => Some(*i - rel.offset),
            _ => None,
        };
        // A constant whose kind matches the column's, so index order equals SQL order.
        // A parameter's kind is known only when the statement runs: the executor checks it then
        // and scans the whole table when it does not fit.
        let fits = |col: usize, e: &BExpr| -> bool {
            let Some(dt) = t.columns.get(col).map(|c| &c.data_type) else { return false };
            match e {
                BExpr::Lit(v) => key_fits(dt, v, t.fold_case),
                BExpr::Param(_) => true,
                _ => false,
            }
        };
        // Equalities first.
        for (ii, index) in t.indexes.iter().enumerate() {
            let mut key = Vec::new();
            for &col in &index.columns {
                let found = rel.filters.iter().find_map(|f| match f {
                    BExpr::Binary(BinOp::Eq, a, b) => {
                        if col_of(a) == Some(col) && b.is_constant() && fits(col, b) {
                            Some((**b).clone())
                        } else if col_of(b) == Some(col) && a.is_constant() && fits(col, a) {
                            Some((**a).clone())
                        } else {
                            None
                        }
                    }
                    _ => None,
                });
                match found {
                    Some(k) => key.push(k),
                    None => break,
                }
            }
            if key.len() == index.columns.len() {
                *access = Access::IndexEq { index: ii, name: index.name.clone(), key };
                return;
            }
        }
        for (ii, index) in t.indexes.iter().enumerate() {
            let Some(&col) = index.columns.first() else { continue };
            let mut low = None;
            let mut high = None;
            for f in &rel.filters {
                let (op, c, k) = match f {
                    BExpr::Binary(op, a, b) if col_of(a) == Some(col) && b.is_constant() && fits(col, b) => {
                        (*op, col, (**b).clone())
                    }
                    BExpr::Binary(op, a, b) if col_of(b) == Some(col) && a.is_constant() && fits(col, a) => {
                        let flipped = match op {
                            BinOp::Lt => BinOp::Gt,
                            BinOp::LtEq => BinOp::GtEq,
                            BinOp::Gt => BinOp::Lt,
                            BinOp::GtEq => BinOp::LtEq,
                            o => *o,
                        };
                        (flipped, col, (**a).clone())
                    }
                    BExpr::Between(a, lo, hi, false)
                        if col_of(a) == Some(col)
                            && lo.is_constant()
                            && hi.is_constant()
                            && fits(col, lo)
                            && fits(col, hi) =>
                    {
                        low = Some(((**lo).clone(), true));
                        high = Some(((**hi).clone(), true));
                        continue;
                    }
                    _ => continue,
                };
                let _ = c;
                match op {
                    BinOp::Gt => low = Some((k, false)),
                    BinOp::GtEq => low = Some((k, true)),
                    BinOp::Lt => high = Some((k, false)),
                    BinOp::LtEq => high = Some((k, true)),
                    _ => {}
                }
            }
            if low.is_some() || high.is_some() {
                *access = Access::IndexRange { index: ii, name: index.name.clone(), low, high };
                return;
            }
        }
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

    fn function(
        &mut self,
        name: &str,
        args: &[Expr],
        distinct: bool,
        star: bool,
        over: &Option<WindowSpec>,
    ) -> Result<BExpr> {
        if let Some(spec) = over {
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
            return Ok(BExpr::Win(c.wins.len() - 1));
        }
        if let Some(agg) = is_aggregate(name) {
            if !(matches!(agg, AggFunc::Min | AggFunc::Max) && args.len() > 1) {
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
                return Ok(BExpr::Agg(c.aggs.len() - 1));
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
}
