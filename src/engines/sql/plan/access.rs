//! Access paths: how each table's rows are read.
//!
//! `Binder::choose_access` looks at the conditions placed on one table relation and picks an
//! index: equality on all of an index's columns first (`IndexEq`), else a range on an index's
//! first column (`IndexRange`: `<`, `<=`, `>`, `>=`, BETWEEN), else the full scan. A constant is
//! used as a key only when [`key_fits`] says the index's order is SQL's order for it. EXPLAIN
//! shows the choice. `used_columns` finds which positions of the FROM row a SELECT reads, so
//! that scans copy only those values out of the table.

use super::super::ast::BinOp;
use super::super::types::{DataType, Value};
use super::*;
use std::rc::Rc;

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

/// The positions of the FROM row that a SELECT reads, or `None` when it cannot tell (a subquery
/// may read the row as its outer row).
pub(super) fn used_columns(plan: &SelectPlan) -> Option<Rc<[bool]>> {
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

impl Binder<'_> {
    pub(super) fn choose_access(&self, rel: &mut Rel) {
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
}
