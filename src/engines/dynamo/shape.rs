//! Request shapes: the JSON types each member must have, and the constraints on its value.
//!
//! DynamoDB checks a request in two passes before it looks at any table:
//!
//! 1. **Types** ([`typecheck`]). Each member is read as its declared type; a JSON value of the
//!    wrong kind fails the whole request at once with a `SerializationException` whose message
//!    comes from the Java deserialiser (`NUMBER_VALUE cannot be converted to String`,
//!    `Unexpected field type`, ...). Unknown members are dropped; structures come out with their
//!    members in declared order, which is the order later messages show them in.
//! 2. **Constraints** ([`constraints`]). Not-null, enum sets, name patterns, lengths and ranges
//!    are checked member by member, in declared order, and up to ten failures are reported
//!    together: `2 validation errors detected: Value null at 'key' failed to satisfy
//!    constraint: Member must not be null; ...`.
//!
//! The declarations of every operation live in [`super::requests`].

use super::base64;
use super::error::{DynamoError, Result};
use serde_json::{Map, Value};

/// The type of a member.
#[derive(Debug)]
pub enum Ty {
    Str,
    Bool,
    Integer,
    Long,
    Blob,
    /// A list; scalars in its place are "Unexpected field type".
    List(Box<Node>),
    /// A list whose members are maps (the `Keys` of `BatchGetItem`).
    MapList(Box<Node>),
    /// A map from strings to values; the text names the Java value type for error messages.
    Map(Box<Node>, &'static str),
    /// A structure, named by its Java class.
    Struct(&'static str, Vec<Field>),
    /// An `AttributeValue`.
    Attr,
}

/// A constraint on a member's value, checked in the order declared.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    NotNull,
    Enum(&'static [&'static str]),
    /// The pattern of table and index names, `[a-zA-Z0-9_.-]+`.
    NamePattern,
    LenMin(usize),
    LenMax(usize),
    ValMin(i64),
    ValMax(i64),
    /// Every key of the map is a valid table name.
    TableNameKeys,
    /// Every value of the map is a list of this many members.
    ValueLen(usize, usize),
}

#[derive(Debug)]
pub struct Node {
    pub ty: Ty,
    pub rules: Vec<Rule>,
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub node: Node,
}

pub fn node(ty: Ty, rules: &[Rule]) -> Node {
    Node { ty, rules: rules.to_vec() }
}

pub fn field(name: &'static str, ty: Ty, rules: &[Rule]) -> Field {
    Field { name, node: node(ty, rules) }
}

const NAME_CHARS: fn(char) -> bool = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-';

pub fn is_valid_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(NAME_CHARS)
}

fn ser(message: &str) -> DynamoError {
    DynamoError::serialization(message)
}

fn number_kind(n: &serde_json::Number) -> &'static str {
    if n.is_f64() {
        "DECIMAL_VALUE"
    } else {
        "NUMBER_VALUE"
    }
}

fn unexpected_struct_start() -> DynamoError {
    ser("Start of structure or map found where not expected")
}

/// Where a value sits: the Java deserialiser words its errors differently for each.
#[derive(Clone, Copy, PartialEq)]
pub enum Place {
    /// A member of a structure (or of the request itself).
    Field,
    /// A member of a list or a value of a map.
    Element,
}

const PARAMETERIZED: &str = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";

/// Pass 1: reads `value` as `ty`, returning it normalised, or the SerializationException.
pub fn typecheck(ty: &Ty, value: &Value, depth: usize) -> Result<Value> {
    typecheck_at(ty, value, depth, Place::Field)
}

fn typecheck_at(ty: &Ty, value: &Value, depth: usize, place: Place) -> Result<Value> {
    if depth > 64 {
        return Err(ser("Nesting too deep"));
    }
    let scalar = matches!(value, Value::Bool(_) | Value::Number(_) | Value::String(_));
    // A generic collection inside a collection: Java cannot deserialise a scalar into it.
    if place == Place::Element && scalar && matches!(ty, Ty::List(_) | Ty::MapList(_) | Ty::Map(..)) {
        return Err(ser(PARAMETERIZED));
    }
    match ty {
        Ty::Str => match value {
            Value::String(_) => Ok(value.clone()),
            Value::Bool(b) => {
                Err(ser(&format!("{}_VALUE cannot be converted to String", if *b { "TRUE" } else { "FALSE" })))
            }
            Value::Number(n) => Err(ser(&format!("{} cannot be converted to String", number_kind(n)))),
            Value::Array(_) => Err(ser("Unrecognized collection type class java.lang.String")),
            Value::Object(_) => Err(unexpected_struct_start()),
            Value::Null => Ok(Value::Null),
        },
        Ty::Bool => match value {
            Value::Bool(_) => Ok(value.clone()),
            // Jackson reads a word as a boolean (anything but `true` is false); digits fail.
            Value::String(s) if s.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) => {
                Ok(Value::Bool(s.eq_ignore_ascii_case("true")))
            }
            Value::String(s) if s == "1" || s == "0" => Ok(Value::Bool(s == "1")),
            Value::String(_) => Err(ser("Unexpected token received from parser")),
            Value::Number(n) => Err(ser(&format!("{} cannot be converted to Boolean", number_kind(n)))),
            Value::Array(_) => Err(ser("Unrecognized collection type class java.lang.Boolean")),
            Value::Object(_) => Err(unexpected_struct_start()),
            Value::Null => Ok(Value::Null),
        },
        Ty::Integer | Ty::Long => {
            let java = if matches!(ty, Ty::Integer) { "Integer" } else { "Long" };
            match value {
                Value::Number(n) => {
                    let v = n.as_i64().unwrap_or_else(|| n.as_f64().map(|f| f.floor() as i64).unwrap_or(i64::MAX));
                    Ok(Value::from(v))
                }
                Value::Bool(b) => {
                    Err(ser(&format!("{}_VALUE cannot be converted to {java}", if *b { "TRUE" } else { "FALSE" })))
                }
                Value::String(_) => Err(ser(&format!("STRING_VALUE cannot be converted to {java}"))),
                Value::Array(_) => Err(ser(&format!("Unrecognized collection type class java.lang.{java}"))),
                Value::Object(_) => Err(unexpected_struct_start()),
                Value::Null => Ok(Value::Null),
            }
        }
        Ty::Blob => match value {
            Value::String(s) => base64::decode(s).map(|_| value.clone()).map_err(|m| ser(&m)),
            Value::Bool(_) | Value::Number(_) => Err(ser("only base-64-encoded strings are convertible to bytes")),
            Value::Array(_) => Err(ser("Unrecognized collection type class java.nio.ByteBuffer")),
            Value::Object(_) => Err(unexpected_struct_start()),
            Value::Null => Ok(Value::Null),
        },
        Ty::List(member) | Ty::MapList(member) => match value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(typecheck_at(&member.ty, item, depth + 1, Place::Element)?);
                }
                Ok(Value::Array(out))
            }
            Value::Object(_) => Err(unexpected_struct_start()),
            Value::Null => Ok(Value::Null),
            _ => Err(ser("Unexpected field type")),
        },
        Ty::Map(member, java) => match value {
            Value::Object(items) => {
                let mut out = Map::new();
                for (k, v) in items {
                    let checked = typecheck_at(&member.ty, v, depth + 1, Place::Element)?;
                    if !checked.is_null() {
                        out.insert(k.clone(), checked);
                    }
                }
                Ok(Value::Object(out))
            }
            Value::Array(_) => {
                Err(ser(&format!("Unrecognized collection type java.util.Map<java.lang.String, {java}>")))
            }
            Value::Null => Ok(Value::Null),
            _ => Err(ser("Unexpected field type")),
        },
        Ty::Struct(class, fields) => match value {
            Value::Object(members) => {
                let mut out = Map::new();
                for f in fields {
                    if let Some(v) = members.get(f.name) {
                        let checked = typecheck(&f.node.ty, v, depth + 1)?;
                        if !checked.is_null() {
                            out.insert(f.name.to_string(), checked);
                        }
                    }
                }
                Ok(Value::Object(out))
            }
            Value::Array(_) => {
                Err(ser(&format!("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.{class}")))
            }
            Value::Null => Ok(Value::Null),
            _ => Err(ser("Unexpected value type in payload")),
        },
        Ty::Attr => match value {
            Value::Object(members) => {
                let mut out = Map::new();
                for name in ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"] {
                    let Some(v) = members.get(name) else { continue };
                    let checked = match name {
                        "S" | "N" => typecheck(&Ty::Str, v, depth + 1)?,
                        "B" => typecheck(&Ty::Blob, v, depth + 1)?,
                        "BOOL" | "NULL" => typecheck(&Ty::Bool, v, depth + 1)?,
                        "SS" | "NS" => typecheck(&Ty::List(Box::new(node(Ty::Str, &[]))), v, depth + 1)?,
                        "BS" => typecheck(&Ty::List(Box::new(node(Ty::Blob, &[]))), v, depth + 1)?,
                        "L" => typecheck(&Ty::List(Box::new(node(Ty::Attr, &[]))), v, depth + 1)?,
                        _ => typecheck(&attr_map(), v, depth + 1)?,
                    };
                    if !checked.is_null() {
                        out.insert(name.to_string(), checked);
                    }
                }
                Ok(Value::Object(out))
            }
            Value::Array(_) => {
                Err(ser("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"))
            }
            Value::Null => Ok(Value::Null),
            _ if place == Place::Field => Err(ser("Unexpected field type")),
            _ => Err(ser("Unexpected value type in payload")),
        },
    }
}

/// A map of attribute values (an item, a key).
pub fn attr_map() -> Ty {
    Ty::Map(Box::new(node(Ty::Attr, &[])), "com.amazonaws.dynamodb.v20120810.AttributeValue")
}

/// How a value is shown inside a validation message.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(shown).collect();
            format!("[{}]", parts.join(", "))
        }
        other => other.to_string(),
    }
}

fn length(value: &Value) -> usize {
    match value {
        Value::String(s) => s.chars().count(),
        Value::Array(a) => a.len(),
        Value::Object(o) => o.len(),
        _ => 0,
    }
}

const MAX_ERRORS: usize = 10;

/// Pass 2: collects constraint failures of `value` (already type-checked) at `path`.
pub fn constraints(node: &Node, value: Option<&Value>, path: &str, errors: &mut Vec<String>) {
    let value = value.filter(|v| !v.is_null());
    for rule in &node.rules {
        if errors.len() >= MAX_ERRORS {
            return;
        }
        let Some(v) = value else {
            if let Rule::NotNull = rule {
                errors.push(format!("Value null at '{path}' failed to satisfy constraint: Member must not be null"));
            }
            continue;
        };
        let fail = |what: String| format!("Value '{}' at '{path}' failed to satisfy constraint: {what}", shown(v));
        match *rule {
            Rule::NotNull => {}
            Rule::Enum(set) => {
                if !v.as_str().is_some_and(|s| set.contains(&s)) {
                    errors.push(fail(format!("Member must satisfy enum value set: [{}]", set.join(", "))));
                }
            }
            Rule::NamePattern => {
                if !v.as_str().is_some_and(is_valid_name) {
                    errors.push(fail("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+".into()));
                }
            }
            Rule::LenMin(n) => {
                if length(v) < n {
                    errors.push(fail(format!("Member must have length greater than or equal to {n}")));
                }
            }
            Rule::LenMax(n) => {
                if length(v) > n {
                    errors.push(fail(format!("Member must have length less than or equal to {n}")));
                }
            }
            Rule::ValMin(n) => {
                if v.as_i64().is_some_and(|x| x < n) {
                    errors.push(fail(format!("Member must have value greater than or equal to {n}")));
                }
            }
            Rule::ValMax(n) => {
                if v.as_i64().is_some_and(|x| x > n) {
                    errors.push(fail(format!("Member must have value less than or equal to {n}")));
                }
            }
            Rule::TableNameKeys => {
                let bad = v.as_object().is_some_and(|m| {
                    m.keys().any(|k| !is_valid_name(k) || k.chars().count() < 3 || k.chars().count() > 255)
                });
                if bad {
                    errors.push(fail("Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]".into()));
                }
            }
            Rule::ValueLen(min, max) => {
                let bad = v.as_object().is_some_and(|m| m.values().any(|x| length(x) < min || length(x) > max));
                if bad {
                    errors.push(fail(format!(
                        "Map value must satisfy constraint: [Member must have length less than or equal to {max}, Member must have length greater than or equal to {min}]"
                    )));
                }
            }
        }
    }
    let Some(v) = value else { return };
    match &node.ty {
        Ty::Struct(_, fields) => {
            for f in fields {
                if errors.len() >= MAX_ERRORS {
                    return;
                }
                if !has_rules(&f.node) {
                    continue;
                }
                let child = format!("{path}.{}", lower_first(f.name));
                constraints(&f.node, v.get(f.name), &child, errors);
            }
        }
        Ty::List(member) | Ty::MapList(member) if has_rules(member) => {
            if let Value::Array(items) = v {
                for (i, item) in items.iter().enumerate() {
                    constraints(member, Some(item), &format!("{path}.{}.member", i + 1), errors);
                }
            }
        }
        Ty::Map(member, _) if has_rules(member) => {
            if let Value::Object(items) = v {
                for (k, item) in items {
                    constraints(member, Some(item), &format!("{path}.{k}.member"), errors);
                }
            }
        }
        _ => {}
    }
}

/// Whether a member, or anything inside it, has constraints to check.
fn has_rules(node: &Node) -> bool {
    !node.rules.is_empty()
        || match &node.ty {
            Ty::Struct(_, fields) => fields.iter().any(|f| has_rules(&f.node)),
            Ty::List(m) | Ty::MapList(m) | Ty::Map(m, _) => has_rules(m),
            _ => false,
        }
}

pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Pass 1 over a whole request; returns it normalised.
pub fn typecheck_request(fields: &[Field], request: &Value) -> Result<Value> {
    let Value::Object(members) = request else {
        return Err(ser("Start of structure or map found where not expected"));
    };
    let mut normalised = Map::new();
    for f in fields {
        if let Some(v) = members.get(f.name) {
            let checked = typecheck(&f.node.ty, v, 0)?;
            if !checked.is_null() {
                normalised.insert(f.name.to_string(), checked);
            }
        }
    }
    Ok(Value::Object(normalised))
}

/// Pass 2 over a whole (normalised) request.
pub fn check_constraints(fields: &[Field], normalised: &Value) -> Result<()> {
    let mut errors = Vec::new();
    for f in fields {
        if errors.len() >= MAX_ERRORS {
            break;
        }
        if !has_rules(&f.node) {
            // Nothing to check, and no path to spell out.
            continue;
        }
        constraints(&f.node, normalised.get(f.name), &lower_first(f.name), &mut errors);
    }
    if !errors.is_empty() {
        let n = errors.len();
        return Err(DynamoError::validation(format!(
            "{n} validation error{} detected: {}",
            if n > 1 { "s" } else { "" },
            errors.join("; ")
        )));
    }
    Ok(())
}
