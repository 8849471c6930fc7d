//! GROUP BY and the aggregate functions (`COUNT`, `SUM`, `AVG`, `MIN`, `MAX`, `GROUP_CONCAT` /
//! `STRING_AGG`, `BOOL_AND`, `BOOL_OR`, each optionally `DISTINCT`).
//!
//! Rows stream into `Groups`: each row's key (the GROUP BY values, case-folded where the
//! flavour compares so) finds its group, made on first sight with that row as representative,
//! and the row is fed to the group's accumulators (`Acc`). At the end each group becomes one
//! row: its representative, then the aggregates' results in the aggregate slots the planner laid
//! out. With no GROUP BY all rows form one group, which exists even over no rows
//! (`SELECT COUNT(*) FROM empty` is 0). Window functions reuse `Acc` for their frames.

use super::ast::BinOp;
use super::error::Result;
use super::eval::{arith, bool_value, compare, text_of, truth};
use super::flavour::Flavour;
use super::hash_join::IntHash;
use super::plan::{AggCall, AggFunc, GroupPlan};
use super::run::Executor;
use super::storage::{fold, Row};
use super::types::{Decimal, Value};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

impl Executor<'_> {
    pub(super) fn group(&mut self, rows: Vec<Row>, g: &GroupPlan, width: usize) -> Result<Vec<Row>> {
        let mut groups = Groups::new(g);
        for r in &rows {
            self.group_add(&mut groups, g, r)?;
        }
        self.group_finish(groups, g, width)
    }

    /// Adds one row to its group (made on first sight, with this row as its representative).
    pub(super) fn group_add(&mut self, gr: &mut Groups, g: &GroupPlan, r: &Row) -> Result<()> {
        let fl = self.flavour();
        self.tick(1)?;
        if g.keys.is_empty() {
            // One group for all rows (`SELECT COUNT(*) FROM ...`): no key to look up.
            if gr.groups.is_empty() {
                gr.groups.push((r.clone(), g.aggs.iter().map(Acc::new).collect()));
            }
            return self.accumulate(gr, g, 0, r);
        }
        let mut key =
            g.keys.iter().map(|k| self.eval(k, r).map(|v| fold(v, fl.is_mysql()))).collect::<Result<Vec<_>>>()?;
        let int_key = match (key.as_slice(), &gr.ints) {
            ([Value::Int(i)], Some(_)) => Some(*i),
            (_, Some(m)) => {
                gr.index.extend(m.iter().map(|(i, &gi)| (vec![Value::Int(*i)], gi)));
                gr.ints = None;
                None
            }
            _ => None,
        };
        let groups = &mut gr.groups;
        let gi = match (int_key, gr.ints.as_mut()) {
            (Some(i), Some(m)) => match m.get(&i) {
                Some(&gi) => gi,
                None => {
                    m.insert(i, groups.len());
                    groups.push((r.clone(), g.aggs.iter().map(Acc::new).collect()));
                    groups.len() - 1
                }
            },
            _ => match gr.index.get(&key) {
                Some(&i) => i,
                None => {
                    gr.index.insert(std::mem::take(&mut key), groups.len());
                    groups.push((r.clone(), g.aggs.iter().map(Acc::new).collect()));
                    groups.len() - 1
                }
            },
        };
        self.accumulate(gr, g, gi, r)
    }

    /// Feeds a row to its group's aggregates.
    fn accumulate(&mut self, gr: &mut Groups, g: &GroupPlan, gi: usize, r: &Row) -> Result<()> {
        let fl = self.flavour();
        for (ai, call) in g.aggs.iter().enumerate() {
            let v = match &call.arg {
                Some(a) => Some(self.eval(a, r)?),
                None => None,
            };
            if let Some((_, accs)) = gr.groups.get_mut(gi) {
                if let Some(acc) = accs.get_mut(ai) {
                    acc.add(call, v, fl)?;
                }
            }
        }
        Ok(())
    }

    /// One row per group: its representative, then the aggregates' results.
    pub(super) fn group_finish(&mut self, gr: Groups, g: &GroupPlan, width: usize) -> Result<Vec<Row>> {
        let fl = self.flavour();
        let mut groups = gr.groups;
        if groups.is_empty() && g.keys.is_empty() {
            groups.push((vec![Value::Null; width], g.aggs.iter().map(Acc::new).collect()));
        }
        let mut out = Vec::with_capacity(groups.len());
        for (mut rep, accs) in groups {
            rep.truncate(width);
            rep.resize(width, Value::Null);
            for (acc, call) in accs.into_iter().zip(&g.aggs) {
                rep.push(acc.finish(call, fl)?);
            }
            out.push(rep);
        }
        Ok(out)
    }
}

/// Groups being built: in order of first appearance, found by key.
pub(super) struct Groups {
    index: BTreeMap<Vec<Value>, usize>,
    /// One integer key (GROUP BY an id or a code): a hash map, until a key of another kind
    /// shows up; then every group moves to the ordered index, where 1 and 1.0 meet.
    ints: Option<HashMap<i64, usize, IntHash>>,
    groups: Vec<(Row, Vec<Acc>)>,
}

impl Groups {
    pub(super) fn new(g: &GroupPlan) -> Groups {
        Groups { index: BTreeMap::new(), ints: (g.keys.len() == 1).then(HashMap::default), groups: Vec::new() }
    }
}

/// An aggregate's running state.
pub(super) enum Acc {
    Count(i64),
    Sum(Option<Value>),
    Avg(Option<Value>, i64),
    MinMax(Option<Value>),
    Concat(Vec<String>),
    Bool(Option<bool>),
    Distinct(BTreeSet<Value>, Box<Acc>),
}

impl Acc {
    pub(super) fn new(call: &AggCall) -> Acc {
        let base = match call.func {
            AggFunc::Count | AggFunc::CountStar => Acc::Count(0),
            AggFunc::Sum => Acc::Sum(None),
            AggFunc::Avg => Acc::Avg(None, 0),
            AggFunc::Min | AggFunc::Max => Acc::MinMax(None),
            AggFunc::GroupConcat => Acc::Concat(Vec::new()),
            AggFunc::BoolAnd | AggFunc::BoolOr => Acc::Bool(None),
        };
        if call.distinct {
            Acc::Distinct(BTreeSet::new(), Box::new(base))
        } else {
            base
        }
    }

    pub(super) fn add(&mut self, call: &AggCall, v: Option<Value>, fl: Flavour) -> Result<()> {
        if call.func == AggFunc::CountStar {
            if let Acc::Count(n) = self {
                *n += 1;
            }
            return Ok(());
        }
        let Some(v) = v else { return Ok(()) };
        if v.is_null() {
            return Ok(());
        }
        match self {
            Acc::Distinct(seen, inner) => {
                if seen.insert(fold(v.clone(), fl.is_mysql())) {
                    inner.add(call, Some(v), fl)?;
                }
            }
            Acc::Count(n) => *n += 1,
            Acc::Sum(s) => {
                *s = Some(match s.take() {
                    None => v,
                    Some(prev) => match arith(BinOp::Add, &prev, &v, fl) {
                        Ok(x) => x,
                        Err(_) => arith(BinOp::Add, &to_dec(&prev), &to_dec(&v), fl)?,
                    },
                })
            }
            Acc::Avg(s, n) => {
                *n += 1;
                *s = Some(match s.take() {
                    None => to_dec(&v),
                    Some(prev) => arith(BinOp::Add, &prev, &to_dec(&v), fl)?,
                })
            }
            Acc::MinMax(m) => {
                let better = match m {
                    None => true,
                    Some(cur) => {
                        let o = compare(&v, cur, fl);
                        (call.func == AggFunc::Min && o == Ordering::Less)
                            || (call.func == AggFunc::Max && o == Ordering::Greater)
                    }
                };
                if better {
                    *m = Some(v);
                }
            }
            Acc::Concat(parts) => parts.push(text_of(&v, fl)),
            Acc::Bool(b) => {
                let t = truth(&v).unwrap_or(false);
                *b = Some(match (*b, call.func) {
                    (None, _) => t,
                    (Some(p), AggFunc::BoolAnd) => p && t,
                    (Some(p), _) => p || t,
                });
            }
        }
        Ok(())
    }

    pub(super) fn finish(self, call: &AggCall, fl: Flavour) -> Result<Value> {
        Ok(match self {
            Acc::Distinct(_, inner) => inner.finish(call, fl)?,
            Acc::Count(n) => Value::Int(n),
            Acc::Sum(s) => match (s, fl) {
                (Some(Value::Int(i)), Flavour::MySql) => Value::Dec(Decimal::from_i64(i)),
                (s, _) => s.unwrap_or(Value::Null),
            },
            Acc::Avg(s, n) => match s {
                None => Value::Null,
                Some(Value::Float(f)) => Value::Float(f / n as f64),
                Some(v) => {
                    let scale = match &v {
                        Value::Dec(d) => d.scale,
                        _ => 0,
                    };
                    let extra = if fl.is_mysql() { 4 } else { 16u8.saturating_sub(scale).max(4) };
                    match (&v, Decimal::from_i64(n)) {
                        (Value::Dec(d), count) => match d.checked_div(count, extra) {
                            Some(q) => Value::Dec(q),
                            None => Value::Float(d.to_f64() / n as f64),
                        },
                        _ => Value::Null,
                    }
                }
            },
            Acc::MinMax(m) => m.unwrap_or(Value::Null),
            Acc::Concat(parts) => {
                if parts.is_empty() {
                    Value::Null
                } else {
                    Value::Text(parts.join(&call.separator))
                }
            }
            Acc::Bool(b) => match b {
                Some(b) => bool_value(b, fl),
                None => Value::Null,
            },
        })
    }
}

fn to_dec(v: &Value) -> Value {
    match v {
        Value::Int(i) => Value::Dec(Decimal::from_i64(*i)),
        Value::Text(s) => match Decimal::parse(s) {
            Some(d) => Value::Dec(d),
            None => Value::Float(super::types::parse_number_prefix(s)),
        },
        Value::Bool(b) => Value::Dec(Decimal::from_i64(*b as i64)),
        v => v.clone(),
    }
}
