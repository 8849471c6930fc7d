//! Queries: WITH, set operations, SELECT and its items, FROM with its joins and derived
//! tables, ORDER BY, LIMIT and OFFSET. Each level of nesting counts against the depth bound.

use super::super::ast::*;
use super::super::error::{unsupported, Result, SqlError};
use super::{Translator, MAX_DEPTH};
use sqlparser::ast as sp;

impl Translator {
    pub(super) fn query(&self, q: &sp::Query) -> Result<Query> {
        let mut ctes = Vec::new();
        let mut recursive = false;
        if let Some(with) = &q.with {
            recursive = with.recursive;
            for cte in &with.cte_tables {
                ctes.push(Cte {
                    name: self.ident(&cte.alias.name),
                    columns: cte.alias.columns.iter().map(|c| self.ident(&c.name)).collect(),
                    query: self.query(&cte.query)?,
                });
            }
        }
        let order_by = match &q.order_by {
            Some(ob) => match &ob.kind {
                sp::OrderByKind::Expressions(list) => self.order_items(list)?,
                sp::OrderByKind::All(_) => return unsupported("ORDER BY ALL"),
            },
            None => Vec::new(),
        };
        let (limit, offset) = match &q.limit_clause {
            Some(sp::LimitClause::LimitOffset { limit, offset, limit_by }) => {
                if !limit_by.is_empty() {
                    return unsupported("LIMIT BY");
                }
                (
                    limit.as_ref().map(|e| self.expr(e)).transpose()?,
                    offset.as_ref().map(|o| self.expr(&o.value)).transpose()?,
                )
            }
            Some(sp::LimitClause::OffsetCommaLimit { offset, limit }) => {
                (Some(self.expr(limit)?), Some(self.expr(offset)?))
            }
            None => (None, None),
        };
        if q.fetch.is_some() {
            return unsupported("FETCH");
        }
        Ok(Query { ctes, recursive, body: self.set_expr(&q.body)?, order_by, limit, offset })
    }

    pub(super) fn order_items(&self, list: &[sp::OrderByExpr]) -> Result<Vec<OrderItem>> {
        list.iter()
            .map(|o| {
                Ok(OrderItem {
                    expr: self.expr(&o.expr)?,
                    desc: matches!(o.options.sort, Some(sp::OrderBySort::Desc)),
                    nulls_first: o.options.nulls_first,
                })
            })
            .collect()
    }

    /// Runs `f` one level deeper, or refuses past [`MAX_DEPTH`].
    pub(super) fn deeper<T>(&self, levels: usize, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let depth = self.depth.get() + levels;
        if depth > MAX_DEPTH {
            return Err(SqlError::TooDeep);
        }
        self.depth.set(depth);
        let result = f();
        self.depth.set(depth - levels);
        result
    }

    pub(super) fn set_expr(&self, body: &sp::SetExpr) -> Result<SetExpr> {
        self.deeper(1, || self.set_expr_here(body))
    }

    pub(super) fn set_expr_here(&self, body: &sp::SetExpr) -> Result<SetExpr> {
        Ok(match body {
            sp::SetExpr::Select(s) => SetExpr::Select(Box::new(self.select(s)?)),
            sp::SetExpr::Query(q) => SetExpr::Query(Box::new(self.query(q)?)),
            sp::SetExpr::Values(v) => SetExpr::Values(
                v.rows
                    .iter()
                    .map(|r| r.content.iter().map(|e| self.expr(e)).collect::<Result<Vec<_>>>())
                    .collect::<Result<Vec<_>>>()?,
            ),
            sp::SetExpr::SetOperation { left, op, set_quantifier, right } => SetExpr::SetOp {
                op: match op {
                    sp::SetOperator::Union => SetOp::Union,
                    sp::SetOperator::Intersect => SetOp::Intersect,
                    sp::SetOperator::Except | sp::SetOperator::Minus => SetOp::Except,
                },
                all: matches!(set_quantifier, sp::SetQuantifier::All),
                left: Box::new(self.set_expr(left)?),
                right: Box::new(self.set_expr(right)?),
            },
            _ => return unsupported("this kind of query body"),
        })
    }

    pub(super) fn select(&self, s: &sp::Select) -> Result<Select> {
        let distinct = match &s.distinct {
            None | Some(sp::Distinct::All) => false,
            Some(sp::Distinct::Distinct) => true,
            Some(sp::Distinct::On(_)) => return unsupported("DISTINCT ON"),
        };
        if s.top.is_some() {
            return unsupported("TOP");
        }
        if s.into.is_some() {
            return unsupported("SELECT INTO");
        }
        if !s.named_window.is_empty() {
            return unsupported("WINDOW");
        }
        let items = s.projection.iter().map(|i| self.select_item(i)).collect::<Result<Vec<_>>>()?;
        let from = s.from.iter().map(|t| self.table_with_joins(t)).collect::<Result<Vec<_>>>()?;
        let group_by = match &s.group_by {
            sp::GroupByExpr::Expressions(list, mods) => {
                if !mods.is_empty() {
                    return unsupported("GROUP BY modifiers");
                }
                list.iter().map(|e| self.expr(e)).collect::<Result<Vec<_>>>()?
            }
            sp::GroupByExpr::All(_) => return unsupported("GROUP BY ALL"),
        };
        Ok(Select {
            distinct,
            items,
            from,
            filter: s.selection.as_ref().map(|e| self.expr(e)).transpose()?,
            group_by,
            having: s.having.as_ref().map(|e| self.expr(e)).transpose()?,
        })
    }

    pub(super) fn select_item(&self, item: &sp::SelectItem) -> Result<SelectItem> {
        Ok(match item {
            sp::SelectItem::UnnamedExpr(e) => {
                SelectItem::Expr { expr: self.expr(e)?, alias: None, text: self.source_text(e) }
            }
            sp::SelectItem::ExprWithAlias { expr, alias } => {
                SelectItem::Expr { expr: self.expr(expr)?, alias: Some(self.ident(alias)), text: alias.value.clone() }
            }
            sp::SelectItem::Wildcard(_) => SelectItem::Wildcard,
            sp::SelectItem::QualifiedWildcard(sp::SelectItemQualifiedWildcardKind::ObjectName(n), _) => {
                SelectItem::QualifiedWildcard(self.object_name(n)?)
            }
            _ => return unsupported("this select item"),
        })
    }

    pub(super) fn table_with_joins(&self, t: &sp::TableWithJoins) -> Result<FromItem> {
        // Each join nests the ones before it one level deeper.
        self.deeper(1 + t.joins.len(), || self.joins_here(t))
    }

    pub(super) fn joins_here(&self, t: &sp::TableWithJoins) -> Result<FromItem> {
        let mut item = self.table_factor(&t.relation)?;
        for j in &t.joins {
            let right = self.table_factor(&j.relation)?;
            use sp::JoinOperator as J;
            let (kind, constraint) = match &j.join_operator {
                J::Join(c) | J::Inner(c) | J::StraightJoin(c) => (JoinKind::Inner, Some(c)),
                J::Left(c) | J::LeftOuter(c) => (JoinKind::Left, Some(c)),
                J::Right(c) | J::RightOuter(c) => (JoinKind::Right, Some(c)),
                J::FullOuter(c) => (JoinKind::Full, Some(c)),
                J::CrossJoin(_) => (JoinKind::Cross, None),
                _ => return unsupported("this kind of join"),
            };
            let on = match constraint {
                None | Some(sp::JoinConstraint::None) => JoinOn::None,
                Some(sp::JoinConstraint::On(e)) => JoinOn::On(self.expr(e)?),
                Some(sp::JoinConstraint::Using(cols)) => {
                    JoinOn::Using(cols.iter().map(|c| self.object_name(c)).collect::<Result<Vec<_>>>()?)
                }
                Some(sp::JoinConstraint::Natural) => JoinOn::Natural,
                Some(_) => return unsupported("this join constraint"),
            };
            item = FromItem::Join { left: Box::new(item), right: Box::new(right), kind, on };
        }
        Ok(item)
    }

    pub(super) fn table_factor(&self, t: &sp::TableFactor) -> Result<FromItem> {
        Ok(match t {
            sp::TableFactor::Table { name, alias, args: None, .. } => FromItem::Table {
                name: {
                    let last = self.object_name(name)?;
                    let schema = match name.0.as_slice() {
                        [sp::ObjectNamePart::Identifier(s), _] => s.value.to_lowercase(),
                        _ => String::new(),
                    };
                    if schema == "information_schema" {
                        format!("information_schema.{last}")
                    } else {
                        last
                    }
                },
                alias: alias.as_ref().map(|a| self.ident(&a.name)),
            },
            sp::TableFactor::Derived { subquery, alias, lateral: false, .. } => {
                let (alias, columns) = match alias {
                    Some(a) => (self.ident(&a.name), a.columns.iter().map(|c| self.ident(&c.name)).collect()),
                    None => ("subquery".to_string(), Vec::new()),
                };
                FromItem::Derived { query: Box::new(self.query(subquery)?), alias, columns }
            }
            sp::TableFactor::NestedJoin { table_with_joins, alias: None } => self.table_with_joins(table_with_joins)?,
            _ => return unsupported("this kind of FROM item"),
        })
    }
}
