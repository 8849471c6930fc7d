//! The expression language: key conditions, filters, conditions, projections and updates.
//!
//! The life of an expression such as `#a.b[2] > :v AND begins_with(c, :p)`:
//!
//! 1. [`lex`] cuts it into tokens (names, `#placeholders`, `:values`, operators).
//! 2. The parser ([`parse`]) builds a small tree ([`Cond`], [`Operand`], [`Update`]), replacing
//!    `#name` and `:value` placeholders from `ExpressionAttributeNames` /
//!    `ExpressionAttributeValues` and noting which ones were used (unused ones are an error, as
//!    in DynamoDB). Function calls are checked and typed by [`resolve`]; errors that DynamoDB
//!    reports only once the whole expression is read wait in the parser, ranked, and the most
//!    important one is reported.
//! 3. The evaluator ([`eval`]) runs the tree against an item: [`Cond::eval`] for conditions and
//!    filters, [`Update::apply`] for updates, [`project`] for projections.
//!
//! This file holds the tree's types and the paths an expression reads or writes.

mod eval;
mod lex;
mod parse;
mod resolve;

pub use eval::{compare, project, resolve};
pub use parse::{parse_condition, parse_projection, parse_update};

use super::value::AttrValue;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One step of a document path: `a`, `.b`, `[2]`.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Name(String),
    Index(usize),
}

pub type Path = Vec<Step>;

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Path(Path),
    Value(AttrValue),
    Size(Path),
    IfNotExists(Path, Box<Operand>),
    ListAppend(Box<Operand>, Box<Operand>),
    Plus(Box<Operand>, Box<Operand>),
    Minus(Box<Operand>, Box<Operand>),
    /// A function call as parsed, before [`resolve_operand`] checks and types it.
    Call(String, Vec<Operand>),
}

/// The comparison operators of a condition expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparator {
    /// Every operator with its symbol in expressions.
    const ALL: [(&'static str, Comparator); 6] = [
        ("=", Comparator::Eq),
        ("<>", Comparator::Ne),
        ("<", Comparator::Lt),
        ("<=", Comparator::Le),
        (">", Comparator::Gt),
        (">=", Comparator::Ge),
    ];

    /// The operator a symbol token spells, if it is one.
    pub fn from_symbol(symbol: &str) -> Option<Comparator> {
        Self::ALL.iter().find(|(s, _)| *s == symbol).map(|(_, c)| *c)
    }

    /// How expressions and error messages spell it.
    pub fn symbol(self) -> &'static str {
        Self::ALL.iter().find(|(_, c)| *c == self).map_or("=", |(s, _)| s)
    }

    /// Whether `a OP b` holds. Values of different types never order, so only `<>` holds
    /// between them.
    fn holds(self, a: &AttrValue, b: &AttrValue) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Comparator::Eq => a.same(b),
            Comparator::Ne => !a.same(b),
            Comparator::Lt => compare(a, b) == Some(Less),
            Comparator::Le => matches!(compare(a, b), Some(Less | Equal)),
            Comparator::Gt => compare(a, b) == Some(Greater),
            Comparator::Ge => matches!(compare(a, b), Some(Greater | Equal)),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Compare(Comparator, Operand, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
    Exists(Path),
    NotExists(Path),
    Type(Path, Operand),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Update {
    /// The legacy `AttributeUpdates` also ADD to lists (appending); expressions do not.
    pub legacy: bool,
    pub set: Vec<(Path, Operand)>,
    pub remove: Vec<Path>,
    pub add: Vec<(Path, Operand)>,
    pub delete: Vec<(Path, Operand)>,
}

/// Placeholders and what was used of them.
pub struct Context<'a> {
    pub names: Option<&'a serde_json::Map<String, Value>>,
    pub values: &'a BTreeMap<String, AttrValue>,
    pub used_names: BTreeSet<String>,
    pub used_values: BTreeSet<String>,
}

impl<'a> Context<'a> {
    pub fn new(names: Option<&'a serde_json::Map<String, Value>>, values: &'a BTreeMap<String, AttrValue>) -> Self {
        Context { names, values, used_names: BTreeSet::new(), used_values: BTreeSet::new() }
    }

    /// The "unused" checks DynamoDB makes once every expression of a request is parsed.
    pub fn check_unused(&self) -> Result<(), String> {
        if let Some(names) = self.names {
            let unused: Vec<&String> = names.keys().filter(|k| !self.used_names.contains(*k)).collect();
            if !unused.is_empty() {
                let list: Vec<&str> = unused.iter().map(|s| s.as_str()).collect();
                return Err(format!(
                    "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                    list.join(", ")
                ));
            }
        }
        let unused: Vec<&String> = self.values.keys().filter(|k| !self.used_values.contains(*k)).collect();
        if !unused.is_empty() {
            let list: Vec<&str> = unused.iter().map(|s| s.as_str()).collect();
            return Err(format!(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                list.join(", ")
            ));
        }
        Ok(())
    }
}

/// Every document path an operand reads.
fn operand_paths(o: &Operand, out: &mut Vec<Path>) {
    match o {
        Operand::Path(p) | Operand::Size(p) => out.push(p.clone()),
        Operand::IfNotExists(p, v) => {
            out.push(p.clone());
            operand_paths(v, out)
        }
        Operand::ListAppend(a, b) | Operand::Plus(a, b) | Operand::Minus(a, b) => {
            operand_paths(a, out);
            operand_paths(b, out)
        }
        Operand::Call(_, args) => args.iter().for_each(|a| operand_paths(a, out)),
        Operand::Value(_) => {}
    }
}

impl Cond {
    /// Every document path the condition reads.
    pub fn paths(&self, out: &mut Vec<Path>) {
        match self {
            Cond::Compare(_, a, b) | Cond::BeginsWith(a, b) | Cond::Contains(a, b) => {
                operand_paths(a, out);
                operand_paths(b, out)
            }
            Cond::Between(a, b, c) => [a, b, c].iter().for_each(|o| operand_paths(o, out)),
            Cond::In(a, list) => {
                operand_paths(a, out);
                list.iter().for_each(|o| operand_paths(o, out))
            }
            Cond::Exists(p) | Cond::NotExists(p) => out.push(p.clone()),
            Cond::Type(p, t) => {
                out.push(p.clone());
                operand_paths(t, out)
            }
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.paths(out);
                b.paths(out)
            }
            Cond::Not(a) => a.paths(out),
        }
    }
}

impl Update {
    /// Every document path the update writes or reads, in the order written.
    pub fn paths(&self) -> Vec<Path> {
        let mut out = Vec::new();
        for (p, v) in self.set.iter().chain(&self.add).chain(&self.delete) {
            out.push(p.clone());
            operand_paths(v, &mut out);
        }
        out.extend(self.remove.iter().cloned());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::number::Number;
    use super::super::value::Item;
    use super::*;
    use serde_json::json;

    fn item(v: Value) -> Item {
        super::super::value::item_from_json(&v).unwrap()
    }

    #[test]
    fn conditions_evaluate_against_items() {
        let values = item(json!({":v": {"N": "5"}, ":p": {"S": "ab"}}));
        let names = json!({"#a": "a"});
        let mut ctx = Context::new(names.as_object(), &values);
        let c = parse_condition("#a.b[1] > :v AND begins_with(c, :p) AND size(c) BETWEEN :v AND :v", &mut ctx).unwrap();
        ctx.check_unused().unwrap();
        let it = item(json!({"a": {"M": {"b": {"L": [{"N": "1"}, {"N": "7"}]}}}, "c": {"S": "abcde"}}));
        assert!(c.eval(&it));
        let it2 = item(json!({"a": {"M": {"b": {"L": [{"N": "1"}, {"N": "2"}]}}}, "c": {"S": "abcde"}}));
        assert!(!c.eval(&it2));
    }

    #[test]
    fn updates_set_remove_add_delete() {
        let values = item(json!({":one": {"N": "1"}, ":l": {"L": [{"S": "x"}]}, ":s": {"SS": ["a"]}}));
        let mut ctx = Context::new(None, &values);
        let u = parse_update(
            "SET n = if_not_exists(n, :one) + :one, l = list_append(l, :l) REMOVE gone ADD s :s DELETE t :s",
            &mut ctx,
        )
        .unwrap();
        let it = item(json!({"l": {"L": []}, "gone": {"S": "x"}, "t": {"SS": ["a", "b"]}}));
        let out = u.apply(&it).unwrap();
        assert_eq!(out["n"], AttrValue::N(Number::from_i64(2)));
        assert_eq!(out["l"], AttrValue::L(vec![AttrValue::S("x".into())]));
        assert!(!out.contains_key("gone"));
        assert_eq!(out["s"], AttrValue::SS(vec!["a".into()]));
        assert_eq!(out["t"], AttrValue::SS(vec!["b".into()]));
    }

    #[test]
    fn garbage_never_panics() {
        let values = Item::new();
        let mut rng = crate::engines::rng::Rng::new(11);
        let alphabet = b"ab#:.[]()<>=,+- 0123ANDORNOTSET";
        for _ in 0..2000 {
            let len = rng.range(0, 30) as usize;
            let text = rng.string(alphabet, len);
            let mut ctx = Context::new(None, &values);
            let _ = parse_condition(&text, &mut ctx);
            let _ = parse_update(&text, &mut ctx);
            let _ = parse_projection(&text, &mut ctx);
        }
    }
}
