//! The parser: tokens to a condition, a projection or an update, with placeholders filled in
//! from the request and DynamoDB's errors in DynamoDB's order of importance ([`Rank`]).

use super::super::reserved;
use super::super::value::AttrValue;
use super::eval::*;
use super::lex::*;
use super::resolve::*;
use super::*;
use serde_json::Value;
use std::collections::BTreeSet;

pub(super) struct Parser<'c, 'a> {
    toks: Vec<Tok>,
    /// For each token, where the previous one ended and where this one ends.
    spans: Vec<(usize, usize)>,
    /// The expression's characters, for the "but X found" of syntax errors.
    chars: Vec<char>,
    pos: usize,
    ctx: &'c mut Context<'a>,
    depth: usize,
    /// Errors found while parsing that do not stop it: DynamoDB parses the whole expression
    /// and then reports the most important one (see [`Rank`]).
    soft: Vec<(Rank, String)>,
}

/// The kinds of errors found in a well-formed expression, most important first: this is the
/// order in which DynamoDB reports them when an expression has several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Rank {
    Reserved,
    Section,
    AttrName,
    AttrValue,
    PathOverlap,
    PathConflict,
    Operand,
    Distinct,
    Function,
}

impl<'c, 'a> Parser<'c, 'a> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Sym(x)) if *x == s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_sym(&mut self, s: &str) -> Result<(), String> {
        if self.eat_sym(s) {
            Ok(())
        } else {
            Err(self.syntax_error())
        }
    }

    /// A syntax error worded as DynamoDB's parser words it: what it expected (sorted), and
    /// what it found. A name or number that runs into the error could have gone on, so the
    /// characters of names join the expected set then.
    fn expected(&self, items: &[&str]) -> String {
        let mut set: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        let at = self.spans.get(self.pos).map(|s| s.0).unwrap_or(self.chars.len());
        let adjacent = self.pos > 0
            && matches!(self.toks.get(self.pos - 1), Some(Tok::Name(_) | Tok::NamePh(_) | Tok::Num(_)))
            && self.spans.get(self.pos - 1).is_some_and(|s| s.1 == at);
        let mut end_of_input = false;
        set.retain(|s| {
            if s == "end of input" {
                end_of_input = true;
                false
            } else {
                true
            }
        });
        if adjacent {
            for extra in ["\"_\"", "[0-9]", "[a-zA-Z]"] {
                if !set.iter().any(|s| s == extra) {
                    set.push(extra.to_string());
                }
            }
        }
        set.sort();
        if end_of_input {
            set.push("end of input".into());
        }
        let list = match set.len() {
            0 => String::new(),
            1 => set[0].clone(),
            2 => format!("{} or {}", set[0], set[1]),
            n => format!("{}, or {}", set[..n - 1].join(", "), set[n - 1]),
        };
        let found = match self.chars.get(at) {
            Some(c) => format!("\"{c}\""),
            None => "end of input".into(),
        };
        format!("Syntax error; Expected {list} but {found} found.")
    }

    fn syntax_error(&self) -> String {
        match self.peek() {
            None => "Syntax error; token: \"<EOF>\", near: \"\"".into(),
            Some(t) => format!("Syntax error; token: \"{}\", near: \"\"", tok_text(t)),
        }
    }

    /// Notes an error of `rank` (the first of each rank counts) and parsing goes on.
    fn defer(&mut self, rank: Rank, message: String) {
        if !self.soft.iter().any(|(r, _)| *r == rank) {
            self.soft.push((rank, message));
        }
    }

    /// The most important error noted while parsing, if any.
    fn deferred(&self) -> Result<(), String> {
        match self.soft.iter().min_by_key(|(r, _)| *r) {
            Some((_, m)) => Err(m.clone()),
            None => Ok(()),
        }
    }

    fn name(&mut self, raw: String) -> Result<String, String> {
        if reserved::is_reserved(&raw) {
            self.defer(Rank::Reserved, format!("Attribute name is a reserved keyword; reserved keyword: {raw}"));
        }
        Ok(raw)
    }

    fn placeholder_name(&mut self, ph: String) -> Result<String, String> {
        match self.ctx.names.and_then(|n| n.get(&ph)).and_then(Value::as_str) {
            Some(real) => {
                self.ctx.used_names.insert(ph);
                Ok(real.to_string())
            }
            None => {
                self.defer(
                    Rank::AttrName,
                    format!(
                        "An expression attribute name used in the document path is not defined; attribute name: {ph}"
                    ),
                );
                Ok(ph)
            }
        }
    }

    fn value(&mut self, ph: String) -> Result<AttrValue, String> {
        match self.ctx.values.get(&ph) {
            Some(v) => {
                let v = v.clone();
                self.ctx.used_values.insert(ph);
                Ok(v)
            }
            None => {
                self.defer(
                    Rank::AttrValue,
                    format!("An expression attribute value used in expression is not defined; attribute value: {ph}"),
                );
                Ok(AttrValue::Null)
            }
        }
    }

    fn path(&mut self) -> Result<Path, String> {
        let mut path = Vec::new();
        let first = match self.next() {
            Some(Tok::Name(n)) => self.name(n)?,
            Some(Tok::NamePh(p)) => self.placeholder_name(p)?,
            _ => {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.expected(&["\"#\"", "\"_\"", "[a-zA-Z]"]));
            }
        };
        path.push(Step::Name(first));
        loop {
            if self.eat_sym(".") {
                let n = match self.next() {
                    Some(Tok::Name(n)) => self.name(n)?,
                    Some(Tok::NamePh(p)) => self.placeholder_name(p)?,
                    _ => return Err(self.syntax_error()),
                };
                path.push(Step::Name(n));
            } else if self.eat_sym("[") {
                match self.next() {
                    Some(Tok::Num(n)) => path.push(Step::Index(n)),
                    _ => return Err(self.syntax_error()),
                }
                self.expect_sym("]")?;
            } else {
                return Ok(path);
            }
        }
    }

    fn function_args(&mut self, update: bool) -> Result<Vec<Operand>, String> {
        self.expect_sym("(")?;
        let mut args = Vec::new();
        if !self.eat_sym(")") {
            loop {
                args.push(self.operand(update)?);
                if self.eat_sym(")") {
                    break;
                }
                self.expect_sym(",")?;
            }
        }
        Ok(args)
    }

    /// An operand; `update` allows the arithmetic and functions of SET.
    fn operand(&mut self, update: bool) -> Result<Operand, String> {
        self.depth += 1;
        if self.depth > 64 {
            return Err("Syntax error; expression nested too deeply".into());
        }
        let mut left = self.operand_atom(update)?;
        if update {
            loop {
                if self.eat_sym("+") {
                    left = Operand::Plus(Box::new(left), Box::new(self.operand_atom(update)?));
                } else if self.eat_sym("-") {
                    left = Operand::Minus(Box::new(left), Box::new(self.operand_atom(update)?));
                } else {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(left)
    }

    fn operand_atom(&mut self, update: bool) -> Result<Operand, String> {
        match self.peek().cloned() {
            Some(Tok::ValuePh(p)) => {
                self.pos += 1;
                Ok(Operand::Value(self.value(p)?))
            }
            Some(Tok::Name(n)) if matches!(self.toks.get(self.pos + 1), Some(Tok::Sym("("))) => {
                self.pos += 1;
                let args = self.function_args(update)?;
                Ok(Operand::Call(n, args))
            }
            Some(Tok::Sym("(")) if update => {
                self.pos += 1;
                let inner = self.operand(update)?;
                self.expect_sym(")")?;
                Ok(inner)
            }
            Some(Tok::Name(_) | Tok::NamePh(_)) => Ok(Operand::Path(self.path()?)),
            _ => Err(self.expected(&["\"#\"", "\"(\"", "\":\"", "\"_\"", "[a-zA-Z]"])),
        }
    }

    fn condition(&mut self) -> Result<Cond, String> {
        let mut left = self.conjunction()?;
        while is_kw(self.peek(), "OR") {
            self.pos += 1;
            left = Cond::Or(Box::new(left), Box::new(self.conjunction()?));
        }
        Ok(left)
    }

    fn conjunction(&mut self) -> Result<Cond, String> {
        let mut left = self.negation()?;
        while is_kw(self.peek(), "AND") {
            self.pos += 1;
            left = Cond::And(Box::new(left), Box::new(self.negation()?));
        }
        Ok(left)
    }

    fn negation(&mut self) -> Result<Cond, String> {
        self.depth += 1;
        if self.depth > 64 {
            return Err("Syntax error; expression nested too deeply".into());
        }
        let result = if is_kw(self.peek(), "NOT") {
            self.pos += 1;
            Ok(Cond::Not(Box::new(self.negation()?)))
        } else {
            self.predicate()
        };
        self.depth -= 1;
        result
    }

    fn predicate(&mut self) -> Result<Cond, String> {
        if matches!(self.peek(), Some(Tok::Sym("("))) {
            // A parenthesised condition, or a parenthesised operand: `(size(b)) = :b`.
            let (pos, depth, soft) = (self.pos, self.depth, self.soft.len());
            self.pos += 1;
            let attempt = self.condition().and_then(|c| self.expect_sym(")").map(|_| c));
            if let Ok(c) = attempt {
                return Ok(c);
            }
            self.pos = pos + 1;
            self.depth = depth;
            self.soft.truncate(soft);
            let inner = self.operand(false);
            let closed = inner.and_then(|o| self.expect_sym(")").map(|_| o));
            match closed {
                Ok(operand) if self.at_comparison() => return self.comparison(operand),
                _ => {
                    self.pos = pos;
                    self.depth = depth;
                    self.soft.truncate(soft);
                    self.pos += 1;
                    let c = self.condition()?;
                    self.expect_sym(")")?;
                    return Ok(c);
                }
            }
        }
        let left = self.operand(false)?;
        if let Operand::Call(name, args) = &left {
            if !self.at_comparison() {
                return match resolve_predicate(name, args.clone()) {
                    Ok(c) => Ok(c),
                    Err(refusal) => match refusal.kind.rank() {
                        // A condition that reads nothing stands in while the rest is parsed.
                        Some(rank) => {
                            self.defer(rank, refusal.message);
                            Ok(Cond::Exists(Vec::new()))
                        }
                        None => Err(refusal.message),
                    },
                };
            }
        }
        self.comparison(left)
    }

    fn at_comparison(&self) -> bool {
        is_kw(self.peek(), "BETWEEN")
            || is_kw(self.peek(), "IN")
            || matches!(self.peek(), Some(Tok::Sym(s)) if Comparator::from_symbol(s).is_some())
    }

    fn comparison(&mut self, left: Operand) -> Result<Cond, String> {
        let left = resolve_operand(left, false)?;
        if is_kw(self.peek(), "BETWEEN") {
            self.pos += 1;
            let low = resolve_operand(self.operand(false)?, false)?;
            if !is_kw(self.peek(), "AND") {
                return Err(self.syntax_error());
            }
            self.pos += 1;
            let high = resolve_operand(self.operand(false)?, false)?;
            if let (Operand::Value(lo), Operand::Value(hi)) = (&low, &high) {
                let shown = |v: &AttrValue| {
                    let text = match v.to_json().as_object().and_then(|m| m.values().next().cloned()) {
                        Some(Value::String(s)) => s,
                        Some(other) => other.to_string(),
                        None => String::new(),
                    };
                    format!("AttributeValue: {{{}:{text}}}", v.type_name())
                };
                if lo.type_name() != hi.type_name() {
                    self.defer(Rank::Function, format!("The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: {}, upper bound operand: {}", shown(lo), shown(hi)));
                } else if compare(lo, hi) == Some(std::cmp::Ordering::Greater) {
                    self.defer(Rank::Function, format!("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: {}, upper bound operand: {}", shown(lo), shown(hi)));
                }
            }
            return Ok(Cond::Between(left, low, high));
        }
        if is_kw(self.peek(), "IN") {
            self.pos += 1;
            self.expect_sym("(")?;
            let mut list = vec![resolve_operand(self.operand(false)?, false)?];
            while self.eat_sym(",") {
                list.push(resolve_operand(self.operand(false)?, false)?);
            }
            self.expect_sym(")")?;
            return Ok(Cond::In(left, list));
        }
        let op = match self.next().and_then(|t| if let Tok::Sym(s) = t { Comparator::from_symbol(s) } else { None }) {
            Some(op) => op,
            None => {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.expected(&[
                    "\"(\"",
                    "\".\"",
                    "\"<\"",
                    "\"<=\"",
                    "\"<>\"",
                    "\"=\"",
                    "\">\"",
                    "\">=\"",
                    "\"BETWEEN\"",
                    "\"IN\"",
                    "\"[\"",
                ]));
            }
        };
        let right = resolve_operand(self.operand(false)?, false)?;
        if let Err(refusal) = distinct(op.symbol(), &[&left, &right]) {
            self.defer(Rank::Distinct, refusal.message);
        }
        Ok(Cond::Compare(op, left, right))
    }

    fn finish(&self) -> Result<(), String> {
        if self.pos < self.toks.len() {
            return Err(self.syntax_error());
        }
        Ok(())
    }
}

/// Checks a document path against the paths before it in a projection or update: one may not
/// be a prefix of another (they overlap), nor use a name where the other uses an index (they
/// conflict). Returns whether an overlap was found (checking stops there, as DynamoDB's does).
fn check_overlaps(p: &mut Parser, before: &[Path], path: &Path) -> bool {
    for earlier in before {
        let mut diverged = false;
        for (a, b) in earlier.iter().zip(path.iter()) {
            let same_kind = matches!((a, b), (Step::Name(_), Step::Name(_)) | (Step::Index(_), Step::Index(_)));
            if !same_kind {
                // The latest conflict is the one reported.
                p.soft.retain(|(r, _)| *r != Rank::PathConflict);
                p.defer(
                    Rank::PathConflict,
                    format!(
                        "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {}, path two: {}",
                        path_text(earlier),
                        path_text(path)
                    ),
                );
                diverged = true;
                break;
            }
            if a != b {
                diverged = true;
                break;
            }
        }
        if !diverged {
            p.defer(
                Rank::PathOverlap,
                format!(
                    "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {}, path two: {}",
                    path_text(earlier),
                    path_text(path)
                ),
            );
            return true;
        }
    }
    false
}

/// `a.b[1].c` as DynamoDB prints it in messages: `[a, b, [1], c]`.
pub(super) fn path_text(p: &Path) -> String {
    let parts: Vec<String> = p
        .iter()
        .map(|s| match s {
            Step::Name(n) => n.clone(),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// How update messages name a value's type (`STRING`, `NUMBER_SET`, ...).
fn long_type(v: &AttrValue) -> &'static str {
    match v {
        AttrValue::S(_) => "STRING",
        AttrValue::N(_) => "NUMBER",
        AttrValue::B(_) => "BINARY",
        AttrValue::Bool(_) => "BOOLEAN",
        AttrValue::Null => "NULL",
        AttrValue::SS(_) => "STRING_SET",
        AttrValue::NS(_) => "NUMBER_SET",
        AttrValue::BS(_) => "BINARY_SET",
        AttrValue::L(_) => "LIST",
        AttrValue::M(_) => "MAP",
    }
}

fn parser<'c, 'a>(text: &str, ctx: &'c mut Context<'a>) -> Result<Parser<'c, 'a>, String> {
    if text.trim().is_empty() {
        return Err("The expression can not be empty;".into());
    }
    let (toks, spans) = lex(text)?;
    Ok(Parser { toks, spans, chars: text.chars().collect(), pos: 0, ctx, depth: 0, soft: Vec::new() })
}

pub fn parse_condition(text: &str, ctx: &mut Context) -> Result<Cond, String> {
    let mut p = parser(text, ctx)?;
    let c = p.condition()?;
    p.finish()?;
    p.deferred()?;
    Ok(c)
}

pub fn parse_projection(text: &str, ctx: &mut Context) -> Result<Vec<Path>, String> {
    let mut p = parser(text, ctx)?;
    let mut paths = vec![p.path()?];
    while p.eat_sym(",") {
        paths.push(p.path()?);
    }
    if p.pos < p.toks.len() {
        return Err(p.expected(&["\",\"", "\".\"", "\"[\"", "end of input"]));
    }
    for (i, path) in paths.iter().enumerate() {
        if check_overlaps(&mut p, &paths[..i], path) {
            break;
        }
    }
    p.deferred()?;
    Ok(paths)
}

pub fn parse_update(text: &str, ctx: &mut Context) -> Result<Update, String> {
    let mut p = parser(text, ctx)?;
    let mut update = Update::default();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let sections = ["\"ADD\"", "\"DELETE\"", "\"REMOVE\"", "\"SET\""];
    if !matches!(p.peek(), Some(Tok::Name(k)) if ["SET", "REMOVE", "ADD", "DELETE"].contains(&k.to_ascii_uppercase().as_str()))
    {
        return Err(p.expected(&sections));
    }
    while let Some(Tok::Name(kw)) = p.peek().cloned() {
        let kw = kw.to_ascii_uppercase();
        if !["SET", "REMOVE", "ADD", "DELETE"].contains(&kw.as_str()) {
            return Err(p.syntax_error());
        }
        if !seen.insert(kw.clone()) {
            p.defer(Rank::Section, format!("The \"{kw}\" section can only be used once in an update expression;"));
        }
        p.pos += 1;
        loop {
            let path = p.path()?;
            match kw.as_str() {
                "SET" => {
                    if !p.eat_sym("=") {
                        return Err(p.expected(&["\".\"", "\"=\"", "\"[\""]));
                    }
                    let v = p.operand(true)?;
                    update.set.push((path, v));
                }
                "REMOVE" => update.remove.push(path),
                _ => {
                    if !matches!(p.peek(), Some(Tok::ValuePh(_))) {
                        return Err(p.expected(&["\".\"", "\":\"", "\"[\""]));
                    }
                    let v = p.operand_atom(false)?;
                    if kw == "ADD" {
                        update.add.push((path, v));
                    } else {
                        update.delete.push((path, v));
                    }
                }
            }
            if !p.eat_sym(",") {
                break;
            }
        }
    }
    p.finish()?;
    if seen.is_empty() {
        return Err(p.syntax_error());
    }
    // Paths in the order written, each checked against those before it.
    let mut written: Vec<Path> = Vec::new();
    for path in update
        .set
        .iter()
        .map(|(p, _)| p)
        .chain(update.remove.iter())
        .chain(update.add.iter().map(|(p, _)| p))
        .chain(update.delete.iter().map(|(p, _)| p))
    {
        written.push(path.clone());
    }
    for (i, path) in written.iter().enumerate() {
        if check_overlaps(&mut p, &written[..i], path) {
            break;
        }
    }
    for (section, list) in [("ADD", &update.add), ("DELETE", &update.delete)] {
        for (_, v) in list {
            if let Operand::Value(v) = v {
                let ok = match section {
                    "ADD" => matches!(v, AttrValue::N(_) | AttrValue::SS(_) | AttrValue::NS(_) | AttrValue::BS(_)),
                    _ => matches!(v, AttrValue::SS(_) | AttrValue::NS(_) | AttrValue::BS(_)),
                };
                if !ok {
                    p.defer(
                        Rank::Operand,
                        format!(
                            "Incorrect operand type for operator or function; operator: {section}, operand type: {}",
                            long_type(v)
                        ),
                    );
                }
            }
        }
    }
    let set = std::mem::take(&mut update.set);
    let mut resolved = Vec::with_capacity(set.len());
    for (path, v) in set {
        match resolve_operand(v, true) {
            Ok(v) => resolved.push((path, v)),
            Err(refusal) if refusal.kind == RefusalKind::InvalidFunction => return Err(refusal.message),
            Err(refusal) => {
                p.defer(Rank::Function, refusal.message);
                resolved.push((path, Operand::Value(AttrValue::Null)));
            }
        }
    }
    update.set = resolved;
    p.deferred()?;
    Ok(update)
}

// ---------------------------------------------------------------------------------------------
// Evaluation
