//! Function calls and operands checked and typed as DynamoDB checks them: which functions
//! exist where, how many operands each takes and of which types. A refusal says what kind it
//! is ([`RefusalKind`]), so the parser can tell one that waits for the rest of the expression
//! from one that stops it.

use super::super::value::AttrValue;
use super::parse::{path_text, Rank};
use super::*;

/// Why a function or an operand was refused while resolving it. Some refusals can wait:
/// DynamoDB goes on parsing and reports the most important error of the whole expression
/// ([`RefusalKind::rank`]); the others stop the parse where they are found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Refusal {
    pub(super) kind: RefusalKind,
    pub(super) message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RefusalKind {
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
    pub(super) fn rank(self) -> Option<Rank> {
        match self {
            RefusalKind::Arity => Some(Rank::Operand),
            RefusalKind::Distinct => Some(Rank::Distinct),
            RefusalKind::OperandType | RefusalKind::DocumentPath | RefusalKind::TypeName => Some(Rank::Function),
            RefusalKind::InvalidFunction | RefusalKind::NotAllowed => None,
        }
    }
}

impl Refusal {
    pub(super) fn operand_type(message: String) -> Refusal {
        Refusal { kind: RefusalKind::OperandType, message }
    }
}

impl From<Refusal> for String {
    fn from(refusal: Refusal) -> String {
        refusal.message
    }
}

/// The operand types DynamoDB accepts for each function, checked when values are literal.
pub(super) fn check_function_operands(function: &str, args: &[Operand]) -> Result<(), Refusal> {
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
pub(super) const CONDITION_FUNCTIONS: &[(&str, usize)] =
    &[("attribute_exists", 1), ("attribute_not_exists", 1), ("attribute_type", 2), ("begins_with", 2), ("contains", 2)];

pub(super) fn arity_error(function: &str, n: usize) -> Refusal {
    Refusal {
        kind: RefusalKind::Arity,
        message: format!("Incorrect number of operands for operator or function; operator or function: {function}, number of operands: {n}"),
    }
}

pub(super) fn not_allowed(function: &str) -> Refusal {
    Refusal {
        kind: RefusalKind::NotAllowed,
        message: format!("The function is not allowed to be used this way in an expression; function: {function}"),
    }
}

pub(super) fn invalid_function(name: &str) -> Refusal {
    Refusal { kind: RefusalKind::InvalidFunction, message: format!("Invalid function name; function: {name}") }
}

/// The first operand of a comparison or function must differ from the others.
pub(super) fn distinct(operator: &str, operands: &[&Operand]) -> Result<(), Refusal> {
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
pub(super) fn resolve_operand(op: Operand, update: bool) -> Result<Operand, Refusal> {
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
pub(super) fn arithmetic_operands(operator: &str, a: &Operand, b: &Operand) -> Result<(), Refusal> {
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
pub(super) fn resolve_predicate(name: &str, args: Vec<Operand>) -> Result<Cond, Refusal> {
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
