//! The evaluator: conditions and filters against an item ([`Cond::eval`]), projections
//! ([`project`]) and updates ([`Update::apply`]), with DynamoDB's ordering of values.

use super::super::number::Number;
use super::super::value::{AttrValue, Item};
use super::*;
use std::collections::BTreeMap;

/// Finds the value at `path` in `item`.
pub fn resolve<'i>(item: &'i Item, path: &Path) -> Option<&'i AttrValue> {
    let mut steps = path.iter();
    let mut current = match steps.next()? {
        Step::Name(n) => item.get(n)?,
        Step::Index(_) => return None,
    };
    for step in steps {
        current = match (step, current) {
            (Step::Name(n), AttrValue::M(m)) => m.get(n)?,
            (Step::Index(i), AttrValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

pub(super) fn operand_value(item: &Item, op: &Operand) -> Option<AttrValue> {
    match op {
        Operand::Path(p) => resolve(item, p).cloned(),
        Operand::Value(v) => Some(v.clone()),
        Operand::Size(p) => {
            let n = match resolve(item, p)? {
                AttrValue::S(s) => s.len(),
                AttrValue::B(b) => b.len(),
                AttrValue::SS(v) => v.len(),
                AttrValue::NS(v) => v.len(),
                AttrValue::BS(v) => v.len(),
                AttrValue::L(v) => v.len(),
                AttrValue::M(v) => v.len(),
                _ => return None,
            };
            Some(AttrValue::N(Number::from_i64(n as i64)))
        }
        _ => None,
    }
}

/// Compares two values of the same scalar type.
pub fn compare(a: &AttrValue, b: &AttrValue) -> Option<std::cmp::Ordering> {
    a.key_cmp(b)
}

impl Cond {
    pub fn eval(&self, item: &Item) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Cond::And(a, b) => a.eval(item) && b.eval(item),
            Cond::Or(a, b) => a.eval(item) || b.eval(item),
            Cond::Not(a) => !a.eval(item),
            Cond::Exists(p) => resolve(item, p).is_some(),
            Cond::NotExists(p) => resolve(item, p).is_none(),
            Cond::Type(p, t) => match (resolve(item, p), operand_value(item, t)) {
                (Some(v), Some(AttrValue::S(t))) => v.type_name() == t,
                _ => false,
            },
            Cond::BeginsWith(a, b) => match (operand_value(item, a), operand_value(item, b)) {
                (Some(AttrValue::S(x)), Some(AttrValue::S(y))) => x.starts_with(&y),
                (Some(AttrValue::B(x)), Some(AttrValue::B(y))) => x.starts_with(&y),
                _ => false,
            },
            Cond::Contains(a, b) => match (operand_value(item, a), operand_value(item, b)) {
                (Some(AttrValue::S(x)), Some(AttrValue::S(y))) => x.contains(&y),
                (Some(AttrValue::B(x)), Some(AttrValue::B(y))) => x.windows(y.len().max(1)).any(|w| w == y.as_slice()),
                (Some(AttrValue::SS(x)), Some(AttrValue::S(y))) => x.contains(&y),
                (Some(AttrValue::NS(x)), Some(AttrValue::N(y))) => x.contains(&y),
                (Some(AttrValue::BS(x)), Some(AttrValue::B(y))) => x.contains(&y),
                (Some(AttrValue::L(x)), Some(y)) => x.iter().any(|e| e.same(&y)),
                _ => false,
            },
            Cond::Between(v, lo, hi) => {
                match (operand_value(item, v), operand_value(item, lo), operand_value(item, hi)) {
                    (Some(v), Some(lo), Some(hi)) => {
                        matches!(compare(&v, &lo), Some(Greater | Equal))
                            && matches!(compare(&v, &hi), Some(Less | Equal))
                    }
                    _ => false,
                }
            }
            Cond::In(v, list) => match operand_value(item, v) {
                Some(v) => list.iter().any(|o| operand_value(item, o).is_some_and(|x| x.same(&v))),
                None => false,
            },
            Cond::Compare(op, a, b) => {
                let (Some(a), Some(b)) = (operand_value(item, a), operand_value(item, b)) else {
                    return *op == Comparator::Ne
                        && (operand_value(item, a).is_some() || operand_value(item, b).is_some());
                };
                op.holds(&a, &b)
            }
        }
    }
}

/// Keeps only the attributes at `paths`; nested paths keep their enclosing maps and lists,
/// and list elements keep their order (`f[2], f[0]` gives `[f[0], f[2]]`).
pub fn project(item: &Item, paths: &[Path]) -> Item {
    /// The projection under construction: lists are kept by index until the end.
    enum Node {
        Leaf(AttrValue),
        Map(BTreeMap<String, Node>),
        List(BTreeMap<usize, Node>),
    }
    fn finish(n: Node) -> AttrValue {
        match n {
            Node::Leaf(v) => v,
            Node::Map(m) => AttrValue::M(m.into_iter().map(|(k, v)| (k, finish(v))).collect()),
            Node::List(l) => AttrValue::L(l.into_values().map(finish).collect()),
        }
    }
    fn insert(node: &mut Node, rest: &[Step], value: &AttrValue) {
        let Some((step, tail)) = rest.split_first() else { return };
        let child = match (step, &mut *node) {
            (Step::Name(n), Node::Map(m)) => m.entry(n.clone()).or_insert_with(|| placeholder(tail)),
            (Step::Index(i), Node::List(l)) => l.entry(*i).or_insert_with(|| placeholder(tail)),
            _ => return,
        };
        if tail.is_empty() {
            *child = Node::Leaf(value.clone());
        } else {
            insert(child, tail, value);
        }
    }
    fn placeholder(tail: &[Step]) -> Node {
        match tail.first() {
            Some(Step::Index(_)) => Node::List(BTreeMap::new()),
            _ => Node::Map(BTreeMap::new()),
        }
    }
    let mut root = Node::Map(BTreeMap::new());
    for path in paths {
        if let Some(v) = resolve(item, path) {
            insert(&mut root, path, v);
        }
    }
    match finish(root) {
        AttrValue::M(m) => m,
        _ => Item::new(),
    }
}

fn eval_update_operand(item: &Item, op: &Operand) -> Result<AttrValue, String> {
    match op {
        Operand::IfNotExists(p, alt) => match resolve(item, p) {
            Some(v) => Ok(v.clone()),
            None => eval_update_operand(item, alt),
        },
        Operand::ListAppend(a, b) => match (eval_update_operand(item, a)?, eval_update_operand(item, b)?) {
            (AttrValue::L(mut x), AttrValue::L(y)) => {
                x.extend(y);
                Ok(AttrValue::L(x))
            }
            _ => Err("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: M".into()),
        },
        Operand::Plus(a, b) | Operand::Minus(a, b) => {
            match (eval_update_operand(item, a)?, eval_update_operand(item, b)?) {
                (AttrValue::N(x), AttrValue::N(y)) => {
                    let r = if matches!(op, Operand::Plus(..)) { x.add(&y) } else { x.sub(&y) };
                    r.map(AttrValue::N).map_err(|e| e.message())
                }
                _ => Err("An operand in the update expression has an incorrect data type".into()),
            }
        }
        other => operand_value(item, other).ok_or_else(|| {
            "The provided expression refers to an attribute that does not exist in the item".to_string()
        }),
    }
}

/// Writes `value` at `path`, creating nothing but the last step (as DynamoDB does).
fn set_path(item: &mut Item, path: &Path, value: AttrValue) -> Result<(), String> {
    let invalid = || "The document path provided in the update expression is invalid for update".to_string();
    let Some(Step::Name(top)) = path.first() else { return Err(invalid()) };
    if path.len() == 1 {
        item.insert(top.clone(), value);
        return Ok(());
    }
    let mut current = item.get_mut(top).ok_or_else(invalid)?;
    for (i, step) in path.iter().enumerate().skip(1) {
        let last = i == path.len() - 1;
        current = match (step, current) {
            (Step::Name(n), AttrValue::M(m)) => {
                if last {
                    m.insert(n.clone(), value);
                    return Ok(());
                }
                m.get_mut(n).ok_or_else(invalid)?
            }
            (Step::Index(idx), AttrValue::L(l)) => {
                if last {
                    if *idx < l.len() {
                        l[*idx] = value;
                    } else {
                        l.push(value);
                    }
                    return Ok(());
                }
                l.get_mut(*idx).ok_or_else(invalid)?
            }
            _ => return Err(invalid()),
        };
    }
    Err(invalid())
}

fn remove_path(item: &mut Item, path: &Path) -> Result<(), String> {
    let invalid = || "The document path provided in the update expression is invalid for update".to_string();
    let Some(Step::Name(top)) = path.first() else { return Ok(()) };
    if path.len() == 1 {
        item.remove(top);
        return Ok(());
    }
    let Some(mut current) = item.get_mut(top) else { return Err(invalid()) };
    for (i, step) in path.iter().enumerate().skip(1) {
        let last = i == path.len() - 1;
        current = match (step, current) {
            (Step::Name(n), AttrValue::M(m)) => {
                if last {
                    m.remove(n);
                    return Ok(());
                }
                m.get_mut(n).ok_or_else(invalid)?
            }
            (Step::Index(idx), AttrValue::L(l)) => {
                if last {
                    if *idx < l.len() {
                        l.remove(*idx);
                    }
                    return Ok(());
                }
                l.get_mut(*idx).ok_or_else(invalid)?
            }
            _ => return Err(invalid()),
        };
    }
    Ok(())
}

impl Update {
    /// Applies the update to a copy of `item`.
    pub fn apply(&self, item: &Item) -> Result<Item, String> {
        let mut out = item.clone();
        for (path, op) in &self.set {
            let v = eval_update_operand(item, op)?;
            set_path(&mut out, path, v)?;
        }
        for path in &self.remove {
            remove_path(&mut out, path)?;
        }
        for (path, op) in &self.add {
            let v = eval_update_operand(item, op)?;
            let merged = match (resolve(&out, path), v) {
                (None, v @ (AttrValue::N(_) | AttrValue::SS(_) | AttrValue::NS(_) | AttrValue::BS(_))) => v,
                (Some(AttrValue::N(x)), AttrValue::N(y)) => AttrValue::N(x.add(&y).map_err(|e| e.message())?),
                (Some(AttrValue::SS(x)), AttrValue::SS(y)) => AttrValue::SS(union(x, &y)),
                (Some(AttrValue::NS(x)), AttrValue::NS(y)) => AttrValue::NS(union(x, &y)),
                (Some(AttrValue::BS(x)), AttrValue::BS(y)) => AttrValue::BS(union(x, &y)),
                (None, v @ AttrValue::L(_)) if self.legacy => v,
                (Some(AttrValue::L(x)), AttrValue::L(y)) if self.legacy => {
                    AttrValue::L(x.iter().cloned().chain(y).collect())
                }
                _ => return Err("An operand in the update expression has an incorrect data type".into()),
            };
            set_path(&mut out, path, merged)?;
        }
        for (path, op) in &self.delete {
            let v = eval_update_operand(item, op)?;
            let left = match (resolve(&out, path), v) {
                (None, _) => continue,
                (Some(AttrValue::SS(x)), AttrValue::SS(y)) => {
                    let r: Vec<_> = x.iter().filter(|e| !y.contains(e)).cloned().collect();
                    (!r.is_empty()).then_some(AttrValue::SS(r))
                }
                (Some(AttrValue::NS(x)), AttrValue::NS(y)) => {
                    let r: Vec<_> = x.iter().filter(|e| !y.contains(e)).cloned().collect();
                    (!r.is_empty()).then_some(AttrValue::NS(r))
                }
                (Some(AttrValue::BS(x)), AttrValue::BS(y)) => {
                    let r: Vec<_> = x.iter().filter(|e| !y.contains(e)).cloned().collect();
                    (!r.is_empty()).then_some(AttrValue::BS(r))
                }
                _ => return Err("An operand in the update expression has an incorrect data type".into()),
            };
            match left {
                Some(v) => set_path(&mut out, path, v)?,
                None => remove_path(&mut out, path)?,
            }
        }
        Ok(out)
    }

    /// Top-level attribute names this update writes (to refuse updates of key attributes).
    pub fn touched(&self) -> Vec<&Path> {
        self.set
            .iter()
            .map(|(p, _)| p)
            .chain(self.remove.iter())
            .chain(self.add.iter().map(|(p, _)| p))
            .chain(self.delete.iter().map(|(p, _)| p))
            .collect()
    }
}

fn union<T: Clone + PartialEq>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = a.to_vec();
    for x in b {
        if !out.contains(x) {
            out.push(x.clone());
        }
    }
    out
}
