//! The legacy parameters (`Expected`, `KeyConditions`, `QueryFilter`, `ScanFilter`,
//! `AttributeUpdates`, `ConditionalOperator`), translated into the expression trees of
//! [`super::expr`] so one evaluator serves both.

use super::expr::{Comparator, Cond, Operand, Path, Step};
use super::value::AttrValue;
use serde_json::Value;

fn path(name: &str) -> Path {
    vec![Step::Name(name.to_string())]
}

fn args_needed(op: &str) -> Option<usize> {
    Some(match op {
        "EQ" | "NE" | "LE" | "LT" | "GE" | "GT" | "CONTAINS" | "NOT_CONTAINS" | "BEGINS_WITH" => 1,
        "NULL" | "NOT_NULL" => 0,
        "BETWEEN" => 2,
        "IN" => usize::MAX,
        _ => return None,
    })
}

/// One legacy condition on attribute `name`.
pub fn condition(name: &str, op: &str, args: Vec<AttrValue>) -> Result<Cond, String> {
    let needed = args_needed(op).ok_or_else(|| format!("Unsupported operator: {op}"))?;
    let ok = if needed == usize::MAX { !args.is_empty() } else { args.len() == needed };
    if !ok {
        return Err(format!(
            "One or more parameter values were invalid: Invalid number of argument(s) for the {op} ComparisonOperator"
        ));
    }
    let a = || Operand::Path(path(name));
    let v = |i: usize| Operand::Value(args[i].clone());
    let allowed: &[&str] = match op {
        "LT" | "LE" | "GT" | "GE" | "BETWEEN" | "IN" => &["S", "N", "B"],
        "BEGINS_WITH" => &["S", "B"],
        "CONTAINS" | "NOT_CONTAINS" => &["S", "N", "B", "BOOL", "NULL"],
        _ => &["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"],
    };
    if let Some(bad) = args.iter().find(|x| !allowed.contains(&x.type_name())) {
        return Err(format!(
            "One or more parameter values were invalid: ComparisonOperator {op} is not valid for {} AttributeValue type",
            bad.type_name()
        ));
    }
    if (op == "IN" || op == "BETWEEN") && args.iter().any(|x| x.type_name() != args[0].type_name()) {
        return Err(
            "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type"
                .into(),
        );
    }
    if op == "BETWEEN" && args[0].key_cmp(&args[1]) == Some(std::cmp::Ordering::Greater) {
        return Err(
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound".into()
        );
    }
    Ok(match op {
        "EQ" => Cond::Compare(Comparator::Eq, a(), v(0)),
        "NE" => Cond::Compare(Comparator::Ne, a(), v(0)),
        "LT" => Cond::Compare(Comparator::Lt, a(), v(0)),
        "LE" => Cond::Compare(Comparator::Le, a(), v(0)),
        "GT" => Cond::Compare(Comparator::Gt, a(), v(0)),
        "GE" => Cond::Compare(Comparator::Ge, a(), v(0)),
        "NULL" => Cond::NotExists(path(name)),
        "NOT_NULL" => Cond::Exists(path(name)),
        "CONTAINS" => Cond::Contains(a(), v(0)),
        "NOT_CONTAINS" => {
            Cond::And(Box::new(Cond::Exists(path(name))), Box::new(Cond::Not(Box::new(Cond::Contains(a(), v(0))))))
        }
        "BEGINS_WITH" => Cond::BeginsWith(a(), v(0)),
        "BETWEEN" => Cond::Between(a(), v(0), v(1)),
        _ => Cond::In(a(), args.iter().map(|x| Operand::Value(x.clone())).collect()),
    })
}

fn values_of(list: Option<&Value>) -> Result<Vec<AttrValue>, String> {
    let mut out = Vec::new();
    if let Some(Value::Array(items)) = list {
        for v in items {
            out.push(AttrValue::from_json(v)?);
        }
    }
    Ok(out)
}

/// Joins conditions with `ConditionalOperator` (AND by default).
fn join(conds: Vec<Cond>, operator: Option<&str>) -> Option<Cond> {
    conds.into_iter().reduce(|a, b| {
        if operator == Some("OR") {
            Cond::Or(Box::new(a), Box::new(b))
        } else {
            Cond::And(Box::new(a), Box::new(b))
        }
    })
}

/// `KeyConditions`, `QueryFilter`, `ScanFilter`: a map of `{ComparisonOperator, AttributeValueList}`.
pub fn filter(map: Option<&Value>, operator: Option<&str>) -> Result<Option<Cond>, String> {
    let Some(Value::Object(members)) = map else { return Ok(None) };
    let mut conds = Vec::new();
    for (name, c) in members {
        let op = c.get("ComparisonOperator").and_then(Value::as_str).unwrap_or("");
        conds.push(condition(name, op, values_of(c.get("AttributeValueList"))?)?);
    }
    Ok(join(conds, operator))
}

/// `Expected`: per attribute either `Exists`/`Value` or a comparison.
pub fn expected(map: Option<&Value>, operator: Option<&str>) -> Result<Option<Cond>, String> {
    let Some(Value::Object(members)) = map else { return Ok(None) };
    let mut conds = Vec::new();
    for (name, e) in members {
        let value = match e.get("Value") {
            Some(v) => Some(AttrValue::from_json(v)?),
            None => None,
        };
        let exists = e.get("Exists").and_then(Value::as_bool);
        let list = e.get("AttributeValueList");
        if let Some(op) = e.get("ComparisonOperator").and_then(Value::as_str) {
            if value.is_some() && list.is_some() {
                return Err(format!("One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: {name}"));
            }
            if exists == Some(true) || (exists == Some(false) && op != "NULL") {
                return Err(format!("One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: {name}"));
            }
            let args = match &value {
                Some(v) => vec![v.clone()],
                None => values_of(list)?,
            };
            if value.is_none() && list.is_none() && !matches!(op, "NULL" | "NOT_NULL") {
                return Err(format!("One or more parameter values were invalid: Value or AttributeValueList must be used with ComparisonOperator: {op} for Attribute: {name}"));
            }
            conds.push(condition(name, op, args)?);
            continue;
        }
        if list.is_some() {
            return Err(format!("One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: {name}"));
        }
        if exists.is_none() && value.is_none() {
            return Err(format!("One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: {name}"));
        }
        match (exists, value) {
            (Some(false), Some(_)) => {
                return Err(format!("One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: {name}"))
            }
            (Some(false), None) => conds.push(Cond::NotExists(path(name))),
            (_, Some(v)) => conds.push(Cond::Compare(Comparator::Eq, Operand::Path(path(name)), Operand::Value(v))),
            (_, None) => {
                return Err(format!("One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: {name}"))
            }
        }
    }
    Ok(join(conds, operator))
}
