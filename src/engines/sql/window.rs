//! Window functions: `ROW_NUMBER`, `RANK`, `DENSE_RANK`, `LAG`, `LEAD` and aggregates `OVER
//! (PARTITION BY ... ORDER BY ...)`.
//!
//! They run after grouping, over the SELECT's rows. For each call the rows are sorted by
//! partition key, then by the window's ORDER BY (ties keep their input order); each partition is
//! walked once, ranks counting peers (rows equal under the ORDER BY), and an aggregate reading
//! its frame: the whole partition without ORDER BY, else up to this row's last peer. Each call's
//! value is appended to its row, in the window slots the planner laid out.

use super::aggregate::Acc;
use super::error::Result;
use super::eval::compare;
use super::plan::{AggCall, WinFunc, WindowCall};
use super::run::Executor;
use super::storage::{fold, Row};
use super::types::Value;
use std::cmp::Ordering;

impl Executor<'_> {
    /// Appends each window call's value to every row.
    pub(super) fn windows(&mut self, rows: &mut [Row], calls: &[WindowCall]) -> Result<()> {
        let fl = self.flavour();
        let mut results: Vec<Vec<Value>> = Vec::new();
        for call in calls {
            let mut keyed = Vec::with_capacity(rows.len());
            for (i, r) in rows.iter().enumerate() {
                self.tick(1)?;
                let p = call
                    .partition
                    .iter()
                    .map(|e| self.eval(e, r).map(|v| fold(v, fl.is_mysql())))
                    .collect::<Result<Vec<_>>>()?;
                let o = call.order.iter().map(|(e, _, _)| self.eval(e, r)).collect::<Result<Vec<_>>>()?;
                let args = call.args.iter().map(|e| self.eval(e, r)).collect::<Result<Vec<_>>>()?;
                keyed.push((p, o, args, i));
            }
            let cmp_order = |a: &Vec<Value>, b: &Vec<Value>| {
                for (k, (_, desc, nulls_first)) in call.order.iter().enumerate() {
                    let (x, y) = (&a[k], &b[k]);
                    let ord = match (x.is_null(), y.is_null()) {
                        (true, true) => Ordering::Equal,
                        (true, false) => {
                            if *nulls_first {
                                Ordering::Less
                            } else {
                                Ordering::Greater
                            }
                        }
                        (false, true) => {
                            if *nulls_first {
                                Ordering::Greater
                            } else {
                                Ordering::Less
                            }
                        }
                        _ => {
                            let o = compare(x, y, fl);
                            if *desc {
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
            };
            keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| cmp_order(&a.1, &b.1)).then(a.3.cmp(&b.3)));
            let mut values = vec![Value::Null; rows.len()];
            let mut start = 0;
            while start < keyed.len() {
                let mut end = start;
                while end < keyed.len() && keyed[end].0 == keyed[start].0 {
                    end += 1;
                }
                let part = &keyed[start..end];
                let mut rank = 0i64;
                let mut dense = 0i64;
                let mut peer_start = 0;
                for (pos, item) in part.iter().enumerate() {
                    let new_peer = pos == 0 || cmp_order(&part[pos - 1].1, &item.1) != Ordering::Equal;
                    if new_peer {
                        rank = pos as i64 + 1;
                        dense += 1;
                        peer_start = pos;
                    }
                    let _ = peer_start;
                    let v = match call.func {
                        WinFunc::RowNumber => Value::Int(pos as i64 + 1),
                        WinFunc::Rank => Value::Int(rank),
                        WinFunc::DenseRank => Value::Int(dense),
                        WinFunc::Lag | WinFunc::Lead => {
                            let n = match item.2.get(1) {
                                Some(Value::Int(n)) => *n,
                                _ => 1,
                            };
                            let target = if call.func == WinFunc::Lag {
                                (pos as i64).saturating_sub(n)
                            } else {
                                (pos as i64).saturating_add(n)
                            };
                            match usize::try_from(target).ok().and_then(|t| part.get(t)) {
                                Some(other) => other.2.first().cloned().unwrap_or(Value::Null),
                                None => item.2.get(2).cloned().unwrap_or(Value::Null),
                            }
                        }
                        WinFunc::Agg(func) => {
                            // The frame: the whole partition without ORDER BY, else up to the
                            // last peer of this row.
                            let frame_end = if call.order.is_empty() {
                                part.len()
                            } else {
                                let mut e = pos + 1;
                                while e < part.len() && cmp_order(&part[e].1, &item.1) == Ordering::Equal {
                                    e += 1;
                                }
                                e
                            };
                            let agg = AggCall { func, arg: None, distinct: false, separator: ",".into() };
                            let mut acc = Acc::new(&agg);
                            for other in &part[..frame_end] {
                                self.tick(1)?;
                                acc.add(&agg, other.2.first().cloned(), fl)?;
                            }
                            acc.finish(&agg, fl)?
                        }
                    };
                    if let Some(slot) = values.get_mut(item.3) {
                        *slot = v;
                    }
                }
                start = end;
            }
            results.push(values);
        }
        for (i, r) in rows.iter_mut().enumerate() {
            for res in &results {
                r.push(res.get(i).cloned().unwrap_or(Value::Null));
            }
        }
        Ok(())
    }
}
