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
//!
//! Where each step lives: this file holds the plan tree (what EXPLAIN prints and the executor
//! runs); [`bind`] the [`Binder`] itself, names, SELECT lists, aggregate and window slots (1 and
//! 4); [`join`] the FROM clause, join conditions and join order (2); [`access`] index choice and
//! the columns a scan copies (3). `information_schema` is built in `show`, beside SHOW.

pub mod access;
pub mod bind;
pub mod join;

pub use access::key_fits;
pub use bind::Binder;

use super::ast::{BinOp, JoinKind, SetOp, UnOp};
use super::func::Func;
use super::types::{DataType, Value};
use std::rc::Rc;

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

impl BExpr {
    /// Visits every `Col` position (not those inside subqueries).
    pub(super) fn cols(&self, out: &mut Vec<usize>) {
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

    pub(super) fn has_subquery(&self) -> bool {
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
    pub(super) fn place_slots(&mut self, agg_base: usize, win_base: usize) {
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
    pub(super) fn is_constant(&self) -> bool {
        let mut c = Vec::new();
        self.cols(&mut c);
        c.is_empty() && !self.has_subquery()
    }
}
