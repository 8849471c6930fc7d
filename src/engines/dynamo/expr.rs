//! The expression language: key conditions, filters, conditions, projections and updates.
//!
//! The life of an expression such as `#a.b[2] > :v AND begins_with(c, :p)`:
//!
//! 1. `lex` cuts it into tokens (names, `#placeholders`, `:values`, operators).
//! 2. The `Parser` builds a small tree ([`Cond`], [`Operand`], [`Update`]), replacing `#name`
//!    and `:value` placeholders from `ExpressionAttributeNames` / `ExpressionAttributeValues`
//!    and noting which ones were used (unused ones are an error, as in DynamoDB). Errors that
//!    DynamoDB reports only once the whole expression is read wait in the parser, ranked
//!    (`Rank`, `Refusal`), and the most important one is reported.
//! 3. The evaluator runs the tree against an item: [`Cond::eval`] for conditions and filters,
//!    [`Update::apply`] for updates, [`project`] for projections.

use super::number::Number;
use super::value::{AttrValue, Item};
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

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Name(String),
    NamePh(String),
    ValuePh(String),
    Num(usize),
    Sym(&'static str),
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

const MAX_TOKENS: usize = 4096;

/// Tokens and where each starts and ends in the text (in characters).
type Lexed = (Vec<Tok>, Vec<(usize, usize)>);

fn lex(text: &str) -> Result<Lexed, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    let mut tok_start = 0;
    while i < chars.len() {
        if toks.len() > spans.len() {
            spans.push((tok_start, i));
        }
        if toks.len() > MAX_TOKENS {
            return Err("Syntax error; expression too long".into());
        }
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        tok_start = i;
        let word = |start: usize| -> (String, usize) {
            let mut j = start;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            (chars[start..j].iter().collect(), j)
        };
        if c.is_ascii_alphabetic() || c == '_' {
            let (w, j) = word(i);
            toks.push(Tok::Name(w));
            i = j;
        } else if c == '#' || c == ':' {
            let (w, j) = word(i + 1);
            if w.is_empty() {
                return Err(format!("Syntax error; token: \"{c}\", near: \"{}\"", near(&chars, i)));
            }
            toks.push(if c == '#' { Tok::NamePh(format!("#{w}")) } else { Tok::ValuePh(format!(":{w}")) });
            i = j;
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let s: String = chars[i..j].iter().collect();
            toks.push(Tok::Num(s.parse().unwrap_or(usize::MAX)));
            i = j;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let sym = match two.as_str() {
                "<>" => Some("<>"),
                "<=" => Some("<="),
                ">=" => Some(">="),
                _ => None,
            };
            if let Some(s) = sym {
                toks.push(Tok::Sym(s));
                i += 2;
                continue;
            }
            let s = match c {
                '(' => "(",
                ')' => ")",
                '[' => "[",
                ']' => "]",
                '.' => ".",
                ',' => ",",
                '=' => "=",
                '<' => "<",
                '>' => ">",
                '+' => "+",
                '-' => "-",
                _ => return Err(format!("Syntax error; token: \"{c}\", near: \"{}\"", near(&chars, i))),
            };
            toks.push(Tok::Sym(s));
            i += 1;
        }
    }
    if toks.len() > spans.len() {
        spans.push((tok_start, i));
    }
    Ok((toks, spans))
}

fn near(chars: &[char], i: usize) -> String {
    chars[i.saturating_sub(3)..(i + 4).min(chars.len())].iter().collect()
}

struct Parser<'c, 'a> {
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
enum Rank {
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

/// Why a function or an operand was refused while resolving it. Some refusals can wait:
/// DynamoDB goes on parsing and reports the most important error of the whole expression
/// ([`RefusalKind::rank`]); the others stop the parse where they are found.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Refusal {
    kind: RefusalKind,
    message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RefusalKind {
    /// No function of that name (here).
    InvalidFunction,
    /// A function used where it cannot be (`size` as a condition).
    NotAllowed,
    /// The wrong number of operands.
    Arity,
    /// An operand of a type the function or operator does not take.
    OperandType,
    /// A value where the function wants a document path.
    DocumentPath,
    /// `attribute_type` with a type name that does not exist.
    TypeName,
    /// The first operand repeated among the others.
    Distinct,
}

impl RefusalKind {
    /// How the refusal ranks when it can wait for the rest of a condition to be parsed.
    fn rank(self) -> Option<Rank> {
        match self {
            RefusalKind::Arity => Some(Rank::Operand),
            RefusalKind::Distinct => Some(Rank::Distinct),
            RefusalKind::OperandType | RefusalKind::DocumentPath | RefusalKind::TypeName => Some(Rank::Function),
            RefusalKind::InvalidFunction | RefusalKind::NotAllowed => None,
        }
    }
}

impl Refusal {
    fn operand_type(message: String) -> Refusal {
        Refusal { kind: RefusalKind::OperandType, message }
    }
}

impl From<Refusal> for String {
    fn from(refusal: Refusal) -> String {
        refusal.message
    }
}

fn is_kw(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Name(n)) if n.eq_ignore_ascii_case(kw))
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
        if super::reserved::is_reserved(&raw) {
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

/// The operand types DynamoDB accepts for each function, checked when values are literal.
fn check_function_operands(function: &str, args: &[Operand]) -> Result<(), Refusal> {
    let wrong = |ty: &str| {
        Err(Refusal::operand_type(format!(
            "Incorrect operand type for operator or function; operator or function: {function}, operand type: {ty}"
        )))
    };
    match (function, args) {
        ("begins_with", [first, second]) => {
            for a in [first, second] {
                match a {
                    Operand::Value(v) if !matches!(v, AttrValue::S(_) | AttrValue::B(_)) => {
                        return wrong(v.type_name())
                    }
                    Operand::Size(_) => return wrong("N"),
                    _ => {}
                }
            }
            Ok(())
        }
        ("attribute_type", [_, second]) => match second {
            Operand::Value(AttrValue::S(t)) => {
                if ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"].contains(&t.as_str()) {
                    Ok(())
                } else {
                    Err(Refusal {
                        kind: RefusalKind::TypeName,
                        message: format!(
                            "Invalid attribute type name found in type function; function: attribute_type, type: {t}"
                        ),
                    })
                }
            }
            Operand::Value(v) => wrong(v.type_name()),
            Operand::Size(_) => wrong("N"),
            _ => wrong("{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"),
        },
        _ => Ok(()),
    }
}

/// The functions that are conditions, and how many operands each takes.
const CONDITION_FUNCTIONS: &[(&str, usize)] =
    &[("attribute_exists", 1), ("attribute_not_exists", 1), ("attribute_type", 2), ("begins_with", 2), ("contains", 2)];

fn arity_error(function: &str, n: usize) -> Refusal {
    Refusal {
        kind: RefusalKind::Arity,
        message: format!("Incorrect number of operands for operator or function; operator or function: {function}, number of operands: {n}"),
    }
}

fn not_allowed(function: &str) -> Refusal {
    Refusal {
        kind: RefusalKind::NotAllowed,
        message: format!("The function is not allowed to be used this way in an expression; function: {function}"),
    }
}

fn invalid_function(name: &str) -> Refusal {
    Refusal { kind: RefusalKind::InvalidFunction, message: format!("Invalid function name; function: {name}") }
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
fn path_text(p: &Path) -> String {
    let parts: Vec<String> = p
        .iter()
        .map(|s| match s {
            Step::Name(n) => n.clone(),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// The first operand of a comparison or function must differ from the others.
fn distinct(operator: &str, operands: &[&Operand]) -> Result<(), Refusal> {
    if let Some((Operand::Path(first), rest)) = operands.split_first().map(|(f, r)| (*f, r)) {
        if rest.iter().any(|o| matches!(o, Operand::Path(p) if p == first)) {
            return Err(Refusal {
                kind: RefusalKind::Distinct,
                message: format!(
                    "The first operand must be distinct from the remaining operands for this operator or function; operator: {operator}, first operand: {}",
                    path_text(first)
                ),
            });
        }
    }
    Ok(())
}

/// Turns a parsed call in operand position into a typed operand, with DynamoDB's checks.
fn resolve_operand(op: Operand, update: bool) -> Result<Operand, Refusal> {
    match op {
        Operand::Call(name, args) => {
            let lower = name.to_ascii_lowercase();
            if CONDITION_FUNCTIONS.iter().any(|(f, _)| *f == lower) {
                return Err(not_allowed(&lower));
            }
            let wanted = match lower.as_str() {
                "size" if !update => 1,
                "if_not_exists" | "list_append" if update => 2,
                _ => return Err(invalid_function(&name)),
            };
            if args.len() != wanted {
                return Err(arity_error(&lower, args.len()));
            }
            let mut args =
                args.into_iter().map(|a| resolve_operand(a, update)).collect::<Result<Vec<_>, _>>()?.into_iter();
            let (Some(a), b) = (args.next(), args.next()) else { return Err(arity_error(&lower, 0)) };
            let wrong = |ty: &str| {
                Refusal::operand_type(format!(
                    "Incorrect operand type for operator or function; operator or function: {lower}, operand type: {ty}"
                ))
            };
            match (lower.as_str(), a, b) {
                ("size", Operand::Path(p), _) => Ok(Operand::Size(p)),
                ("size", Operand::Value(v), _) => Err(wrong(v.type_name())),
                ("size", _, _) => Err(wrong("N")),
                ("if_not_exists", Operand::Path(p), Some(v)) => Ok(Operand::IfNotExists(p, Box::new(v))),
                ("if_not_exists", _, _) => Err(Refusal {
                    kind: RefusalKind::DocumentPath,
                    message: format!("Operator or function requires a document path; operator or function: {lower}"),
                }),
                ("list_append", a, Some(b)) => {
                    for o in [&a, &b] {
                        if let Operand::Value(v) = o {
                            if !matches!(v, AttrValue::L(_)) {
                                return Err(wrong(v.type_name()));
                            }
                        }
                    }
                    Ok(Operand::ListAppend(Box::new(a), Box::new(b)))
                }
                _ => Err(invalid_function(&name)),
            }
        }
        Operand::Plus(a, b) => {
            let (a, b) = (resolve_operand(*a, update)?, resolve_operand(*b, update)?);
            arithmetic_operands("+", &a, &b)?;
            Ok(Operand::Plus(Box::new(a), Box::new(b)))
        }
        Operand::Minus(a, b) => {
            let (a, b) = (resolve_operand(*a, update)?, resolve_operand(*b, update)?);
            arithmetic_operands("-", &a, &b)?;
            Ok(Operand::Minus(Box::new(a), Box::new(b)))
        }
        other => Ok(other),
    }
}

/// `+` and `-` take numbers: a literal value of another type is refused before any item is read.
fn arithmetic_operands(operator: &str, a: &Operand, b: &Operand) -> Result<(), Refusal> {
    for o in [a, b] {
        if let Operand::Value(v) = o {
            if !matches!(v, AttrValue::N(_)) {
                return Err(Refusal::operand_type(format!(
                    "Incorrect operand type for operator or function; operator or function: {operator}, operand type: {}",
                    v.type_name()
                )));
            }
        }
    }
    Ok(())
}

/// Turns a parsed call in condition position into a condition, with DynamoDB's checks.
fn resolve_predicate(name: &str, args: Vec<Operand>) -> Result<Cond, Refusal> {
    let lower = name.to_ascii_lowercase();
    if lower == "size" {
        return Err(not_allowed("size"));
    }
    let Some((_, wanted)) = CONDITION_FUNCTIONS.iter().find(|(f, _)| *f == lower) else {
        return Err(invalid_function(name));
    };
    if args.len() != *wanted {
        return Err(arity_error(&lower, args.len()));
    }
    let args = args.into_iter().map(|a| resolve_operand(a, false)).collect::<Result<Vec<_>, _>>()?;
    check_function_operands(&lower, &args)?;
    if args.len() == 2 {
        distinct(&lower, &[&args[0], &args[1]])?;
    }
    let mut it = args.into_iter();
    match (lower.as_str(), it.next(), it.next()) {
        ("attribute_exists", Some(Operand::Path(p)), _) => Ok(Cond::Exists(p)),
        ("attribute_not_exists", Some(Operand::Path(p)), _) => Ok(Cond::NotExists(p)),
        ("attribute_type", Some(Operand::Path(p)), Some(t)) => Ok(Cond::Type(p, t)),
        ("begins_with", Some(a), Some(b)) => Ok(Cond::BeginsWith(a, b)),
        ("contains", Some(a), Some(b)) => Ok(Cond::Contains(a, b)),
        (_, Some(Operand::Value(v)), _) => Err(Refusal::operand_type(format!(
            "Incorrect operand type for operator or function; operator or function: {lower}, operand type: {}",
            v.type_name()
        ))),
        _ => Err(Refusal::operand_type(format!(
            "Incorrect operand type for operator or function; operator or function: {lower}, operand type: N"
        ))),
    }
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

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Name(s) | Tok::NamePh(s) | Tok::ValuePh(s) => s.clone(),
        Tok::Num(n) => n.to_string(),
        Tok::Sym(s) => s.to_string(),
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

fn operand_value(item: &Item, op: &Operand) -> Option<AttrValue> {
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

#[cfg(test)]
mod tests {
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
