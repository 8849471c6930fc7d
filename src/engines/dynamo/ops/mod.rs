//! The operations, one file per family, and the helpers they share: reading keys against a
//! table's schema, reading expression placeholders, shaping `ReturnValues`.

pub mod batch;
pub mod items;
pub mod misc;
pub mod query;
pub mod tables;

use super::error::{DynamoError, Result};
use super::expr::{self, Context, Path};
use super::table::{KeySchema, Table};
use super::value::{item_from_json, AttrValue, Item};
use serde_json::Value;
use std::collections::BTreeMap;

pub fn str_of<'a>(req: &'a Value, name: &str) -> Option<&'a str> {
    req.get(name).and_then(Value::as_str)
}

pub fn validation(msg: impl Into<String>) -> DynamoError {
    DynamoError::validation(msg)
}

/// Reads an item or key's values (DynamoDB's value rules apply).
pub fn values(v: Option<&Value>) -> Result<Item> {
    match v {
        Some(v) => item_from_json(v).map_err(validation),
        None => Ok(Item::new()),
    }
}

/// Checks a key against the table's key schema; the message is DynamoDB's.
pub fn check_key(table: &Table, schema: &KeySchema, key: &Item) -> Result<()> {
    let mismatch = || validation("The provided key element does not match the schema");
    if key.len() != 1 + usize::from(schema.range.is_some()) {
        return Err(mismatch());
    }
    for (i, n) in std::iter::once(schema.hash.as_str()).chain(schema.range.as_deref()).enumerate() {
        let v = key.get(n).ok_or_else(mismatch)?;
        if Some(v.type_name()) != table.attribute_type(n) {
            return Err(mismatch());
        }
        let (len, kind) = match v {
            AttrValue::S(s) => (s.len(), "string"),
            AttrValue::B(b) => (b.len(), "binary"),
            _ => continue,
        };
        if len == 0 {
            return Err(validation(format!("One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {n}")));
        }
        if i == 0 && len > 2048 {
            return Err(validation(
                "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
            ));
        }
        if i == 1 && len > 1024 {
            return Err(validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"));
        }
    }
    Ok(())
}

/// Checks an item to be written has the key attributes, of the declared types.
pub fn check_item_keys(table: &Table, item: &Item) -> Result<()> {
    check_item_keys_as(table, item, false)
}

/// As [`check_item_keys`]; batch writes word a bad table key as a schema mismatch.
pub fn check_item_keys_as(table: &Table, item: &Item, batch: bool) -> Result<()> {
    if batch {
        for n in table.key.names() {
            if item.get(n).map(AttrValue::type_name) != table.attribute_type(n) {
                return Err(validation("The provided key element does not match the schema"));
            }
        }
    }
    let mut names: Vec<&str> = table.key.names();
    for index in &table.indexes {
        names.extend(index.key.names());
    }
    for (i, n) in names.iter().enumerate() {
        let is_table_key = i < table.key.names().len();
        let expected = table.attribute_type(n).unwrap_or("S");
        match item.get(*n) {
            None if is_table_key => {
                return Err(validation(format!("One or more parameter values were invalid: Missing the key {n} in the item")))
            }
            None => {}
            Some(v) if v.type_name() != expected => {
                if is_table_key {
                    return Err(validation(format!(
                        "One or more parameter values were invalid: Type mismatch for key {n} expected: {expected} actual: {}",
                        v.type_name()
                    )));
                }
                let index = table
                    .indexes
                    .iter()
                    .filter(|ix| ix.global)
                    .chain(table.indexes.iter().filter(|ix| !ix.global))
                    .find(|ix| ix.key.names().contains(n))
                    .map(|ix| ix.name.as_str());
                return Err(validation(format!(
                    "One or more parameter values were invalid: Type mismatch for Index Key {n} Expected: {expected} Actual: {} IndexName: {}",
                    v.type_name(),
                    index.unwrap_or("")
                )));
            }
            Some(AttrValue::S(s)) if s.is_empty() => {
                return Err(validation(format!(
                    "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: {n}"
                )))
            }
            Some(AttrValue::B(b)) if b.is_empty() => {
                return Err(validation(format!(
                    "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: {n}"
                )))
            }
            _ => {}
        }
    }
    if let Some(AttrValue::S(s)) = item.get(&table.key.hash) {
        if s.len() > 2048 {
            return Err(validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"));
        }
    }
    if let Some(r) = &table.key.range {
        if let Some(AttrValue::S(s)) = item.get(r) {
            if s.len() > 1024 {
                return Err(validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"));
            }
        }
    }
    Ok(())
}

/// The placeholders of a request, checked as DynamoDB checks them.
pub struct Placeholders {
    pub names: Option<serde_json::Map<String, Value>>,
    pub values: BTreeMap<String, AttrValue>,
}

/// The first check of a request that may use expressions: expression and legacy parameters
/// exclude each other, and placeholders need an expression to be used in. `expressions` and
/// `legacy` list the operation's members in the order DynamoDB names them.
pub fn expression_params(req: &Value, expressions: &[&str], legacy: &[&str]) -> Result<()> {
    let given: Vec<&str> = expressions.iter().copied().filter(|m| req.get(*m).is_some()).collect();
    if !given.is_empty() {
        // KeyConditions may go with the other expressions as long as KeyConditionExpression is absent.
        let keep_key_conditions = req.get("KeyConditionExpression").is_some();
        let old: Vec<&str> = legacy
            .iter()
            .copied()
            .filter(|m| req.get(*m).is_some() && (*m != "KeyConditions" || keep_key_conditions))
            .collect();
        if !old.is_empty() {
            return Err(validation(format!(
                "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{}}} Expression parameters: {{{}}}",
                old.join(", "),
                given.join(", ")
            )));
        }
    }
    if req.get("ExpressionAttributeNames").is_some() && given.is_empty() {
        return Err(validation("ExpressionAttributeNames can only be specified when using expressions"));
    }
    let value_exprs: Vec<&str> = expressions.iter().copied().filter(|m| *m != "ProjectionExpression").collect();
    if !value_exprs.is_empty()
        && req.get("ExpressionAttributeValues").is_some()
        && value_exprs.iter().all(|m| req.get(*m).is_none())
    {
        return Err(validation(format!(
            "ExpressionAttributeValues can only be specified when using expressions: {} {} null",
            value_exprs.join(" and "),
            if value_exprs.len() > 1 { "are" } else { "is" }
        )));
    }
    Ok(())
}

pub fn placeholders(req: &Value, uses_expressions: bool) -> Result<Placeholders> {
    let names = req.get("ExpressionAttributeNames").and_then(Value::as_object).cloned();
    let raw_values = req.get("ExpressionAttributeValues").and_then(Value::as_object);
    if names.is_some() && !uses_expressions {
        return Err(validation("ExpressionAttributeNames can only be specified when using expressions"));
    }
    if raw_values.is_some() && !uses_expressions {
        return Err(validation("ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"));
    }
    let key_ok = |k: &str, sigil: char| {
        k.strip_prefix(sigil)
            .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    };
    if names.as_ref().is_some_and(|n| n.is_empty()) {
        return Err(validation("ExpressionAttributeNames must not be empty"));
    }
    if let Some(n) = &names {
        for k in n.keys() {
            if !key_ok(k, '#') {
                return Err(validation(format!(
                    "ExpressionAttributeNames contains invalid key: Syntax error; key: \"{k}\""
                )));
            }
        }
    }
    if raw_values.is_some_and(|v| v.is_empty()) {
        return Err(validation("ExpressionAttributeValues must not be empty"));
    }
    if let Some(v) = raw_values {
        for k in v.keys() {
            if !key_ok(k, ':') {
                return Err(validation(format!(
                    "ExpressionAttributeValues contains invalid key: Syntax error; key: \"{k}\""
                )));
            }
        }
    }
    let mut values = BTreeMap::new();
    if let Some(v) = raw_values {
        for (k, raw) in v {
            let parsed = AttrValue::from_json(raw).map_err(|m| {
                validation(format!("ExpressionAttributeValues contains invalid value: {m} for key {k}"))
            })?;
            values.insert(k.clone(), parsed);
        }
    }
    Ok(Placeholders { names, values })
}

/// Parses an expression member of `req` (e.g. `ConditionExpression`) with `f`.
pub fn parse_expr<T>(
    req: &Value,
    member: &str,
    ctx: &mut Context,
    f: impl Fn(&str, &mut Context) -> std::result::Result<T, String>,
) -> Result<Option<T>> {
    match str_of(req, member) {
        None => Ok(None),
        Some(text) => f(text, ctx).map(Some).map_err(|m| validation(format!("Invalid {member}: {m}"))),
    }
}

/// Applies `ProjectionExpression` or `AttributesToGet` to an item.
pub fn projected(item: &Item, projection: &Option<Vec<Path>>) -> Item {
    match projection {
        Some(paths) => expr::project(item, paths),
        None => item.clone(),
    }
}

pub fn attributes_to_get(req: &Value) -> Result<Option<Vec<Path>>> {
    let Some(names) = req.get("AttributesToGet").and_then(Value::as_array) else { return Ok(None) };
    let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            return Err(validation(format!(
                "One or more parameter values were invalid: Duplicate value in attribute name: {n}"
            )));
        }
    }
    Ok(Some(names.into_iter().map(|n| vec![expr::Step::Name(n.to_string())]).collect()))
}

/// `ProjectionExpression` and `AttributesToGet` exclude each other.
pub fn check_projection_members(req: &Value) -> Result<()> {
    if req.get("AttributesToGet").is_some() && req.get("ProjectionExpression").is_some() {
        return Err(validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"));
    }
    Ok(())
}

/// Key attributes are scalars: a projection may not look inside them.
pub fn check_projection_keys(
    table: &Table,
    index: Option<&super::table::Index>,
    paths: &Option<Vec<Path>>,
) -> Result<()> {
    for p in paths.iter().flatten() {
        let (Some(expr::Step::Name(top)), true) = (p.first(), p.len() > 1) else { continue };
        if table.key.names().contains(&top.as_str()) {
            return Err(validation(format!("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: {top}")));
        }
        if table
            .indexes
            .iter()
            .filter(|i| index.is_none_or(|x| x.name == i.name))
            .any(|i| i.key.names().contains(&top.as_str()))
        {
            return Err(validation(format!("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: {top}")));
        }
    }
    Ok(())
}

/// The table an item operation names; a table still being created (or being deleted) is
/// not found, as on DynamoDB.
pub fn table<'a>(db: &'a super::Dynamo, req: &Value) -> Result<&'a Table> {
    usable(db, str_of(req, "TableName").unwrap_or(""))
}

pub fn usable<'a>(db: &'a super::Dynamo, name: &str) -> Result<&'a Table> {
    db.tables.get(name).filter(|t| t.status != "CREATING" && t.status != "DELETING").ok_or_else(DynamoError::not_found)
}
