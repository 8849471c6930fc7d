//! PutItem, GetItem, UpdateItem, DeleteItem: one item at a time, with conditions.

use super::*;
use crate::engines::dynamo::capacity;
use crate::engines::dynamo::collection;
use crate::engines::dynamo::expr::{Cond, Update};
use crate::engines::dynamo::legacy;
use crate::engines::dynamo::value::{item_size, item_to_json};
use crate::engines::dynamo::Dynamo;
use serde_json::Map;

/// The largest item DynamoDB stores.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;

/// The condition of a write: `ConditionExpression`, or the legacy `Expected`.
pub fn write_condition(req: &Value, ctx: &mut Context) -> Result<Option<Cond>> {
    if req.get("ConditionExpression").is_some() && req.get("Expected").is_some() {
        return Err(validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"));
    }
    if let Some(c) = parse_expr(req, "ConditionExpression", ctx, expr::parse_condition)? {
        return Ok(Some(c));
    }
    legacy::expected(req.get("Expected"), str_of(req, "ConditionalOperator")).map_err(validation)
}

/// Stores (or removes) the item at `key`, keeping the table's size up to date. `due` is when
/// global secondary indexes will see the change (`None`: at once); until then they keep
/// showing the old version (see [`crate::engines::dynamo::table::Backlog`]).
pub fn store(table: &mut Table, key: &Item, new: Option<Item>, due: Option<f64>) -> Option<Item> {
    let k = table.key.store_key(key)?;
    if let Some(due) = due.filter(|_| table.indexes.iter().any(|i| i.global)) {
        let old = table.items.get(&k).cloned();
        table.index_backlog.push(crate::engines::dynamo::table::Backlog { due, key: key.clone(), old });
    }
    let old = match new {
        Some(item) => {
            table.size_bytes += item_size(&item);
            table.items.insert(k, item)
        }
        None => table.items.remove(&k),
    };
    if let Some(o) = &old {
        table.size_bytes = table.size_bytes.saturating_sub(item_size(o));
    }
    old
}

fn return_values(mode: Option<&str>, old: Option<&Item>, new: Option<&Item>, touched: &[String]) -> Option<Value> {
    let pick = |item: &Item, only: bool| -> Item {
        if only {
            item.iter().filter(|(k, _)| touched.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect()
        } else {
            item.clone()
        }
    };
    let item = match mode {
        Some("ALL_OLD") => old.map(|o| pick(o, false)),
        Some("ALL_NEW") => new.map(|n| pick(n, false)),
        Some("UPDATED_OLD") => old.map(|o| pick(o, true)),
        Some("UPDATED_NEW") => new.map(|n| pick(n, true)),
        _ => None,
    }?;
    (!item.is_empty()).then(|| item_to_json(&item))
}

/// Adds `ItemCollectionMetrics` when the request asked for it and the table has item
/// collections ([`collection`]).
fn attach_collection(out: &mut Map<String, Value>, table: &Table, key: &Item, req: &Value) {
    if collection::wanted(req) {
        if let Some(m) = collection::metrics(table, key) {
            out.insert("ItemCollectionMetrics".into(), m);
        }
    }
}

pub fn put(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let meter = db.meter();
    expression_params(req, &["ConditionExpression"], &["Expected"])?;
    let due = db.index_due();
    let item = values(req.get("Item"))?;
    let rv = str_of(req, "ReturnValues");
    if rv.is_some_and(|r| r != "NONE" && r != "ALL_OLD") {
        return Err(validation("ReturnValues can only be ALL_OLD or NONE"));
    }
    let uses = req.get("ConditionExpression").is_some();
    let ph = placeholders(req, uses)?;
    let mut ctx = Context::new(ph.names.as_ref(), &ph.values);
    let condition = write_condition(req, &mut ctx)?;
    if uses {
        ctx.check_unused().map_err(validation)?;
    }
    if item_size(&item) > MAX_ITEM_SIZE {
        return Err(validation("Item size has exceeded the maximum allowed size"));
    }
    let table = table(db, req)?;
    check_item_keys(table, &item)?;
    let name = table.name.clone();
    let key = table.key.key_of(&item);
    let table = db.tables.get_mut(&name).ok_or_else(DynamoError::not_found)?;
    let hash = meter.admit(table, true, &key)?;
    let old = table.find(&key).cloned();
    if let Some(c) = &condition {
        if !c.eval(old.as_ref().unwrap_or(&Item::new())) {
            return Err(DynamoError::conditional_check_failed());
        }
    }
    let units = capacity::write_units(item_size(&item).max(old.as_ref().map(item_size).unwrap_or(0)));
    store(table, &key, Some(item), due);
    capacity::note_key(table, units, true, hash);
    let mut out = Map::new();
    if let Some(v) = return_values(rv, old.as_ref(), None, &[]) {
        out.insert("Attributes".into(), v);
    }
    attach_collection(&mut out, table, &key, req);
    capacity::attach(&mut out, &name, units, str_of(req, "ReturnConsumedCapacity"));
    Ok(Value::Object(out))
}

pub fn get(db: &mut Dynamo, req: &Value) -> Result<Value> {
    expression_params(req, &["ProjectionExpression"], &["AttributesToGet"])?;
    let key = values(req.get("Key"))?;
    check_projection_members(req)?;
    let uses = req.get("ProjectionExpression").is_some();
    let ph = placeholders(req, uses)?;
    let mut ctx = Context::new(ph.names.as_ref(), &ph.values);
    let projection = match parse_expr(req, "ProjectionExpression", &mut ctx, expr::parse_projection)? {
        Some(p) => Some(p),
        None => attributes_to_get(req)?,
    };
    if uses {
        ctx.check_unused().map_err(validation)?;
    }
    let table = table(db, req)?;
    check_key(table, &table.key, &key)?;
    check_projection_keys(table, None, &projection)?;
    let consistent = req.get("ConsistentRead").and_then(Value::as_bool).unwrap_or(false);
    let hash = db.meter().admit(table, false, &key)?;
    let found = table.find(&key);
    let units = capacity::read_units(found.map(item_size).unwrap_or(0), consistent);
    capacity::note_key(table, units, false, hash);
    let mut out = Map::new();
    match (found, &projection) {
        (Some(item), None) => {
            out.insert("Item".into(), item_to_json(item));
        }
        (Some(item), Some(paths)) => {
            out.insert("Item".into(), item_to_json(&expr::project(item, paths)));
        }
        (None, _) => {}
    }
    capacity::attach(&mut out, &table.name, units, str_of(req, "ReturnConsumedCapacity"));
    Ok(Value::Object(out))
}

pub fn delete(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let meter = db.meter();
    expression_params(req, &["ConditionExpression"], &["Expected"])?;
    let due = db.index_due();
    let key = values(req.get("Key"))?;
    let rv = str_of(req, "ReturnValues");
    if rv.is_some_and(|r| r != "NONE" && r != "ALL_OLD") {
        return Err(validation("ReturnValues can only be ALL_OLD or NONE"));
    }
    let uses = req.get("ConditionExpression").is_some();
    let ph = placeholders(req, uses)?;
    let mut ctx = Context::new(ph.names.as_ref(), &ph.values);
    let condition = write_condition(req, &mut ctx)?;
    if uses {
        ctx.check_unused().map_err(validation)?;
    }
    let table = table(db, req)?;
    check_key(table, &table.key, &key)?;
    let name = table.name.clone();
    let table = db.tables.get_mut(&name).ok_or_else(DynamoError::not_found)?;
    let hash = meter.admit(table, true, &key)?;
    let old = table.find(&key).cloned();
    if let Some(c) = &condition {
        if !c.eval(old.as_ref().unwrap_or(&Item::new())) {
            return Err(DynamoError::conditional_check_failed());
        }
    }
    let units = capacity::write_units(old.as_ref().map(item_size).unwrap_or(0));
    store(table, &key, None, due);
    capacity::note_key(table, units, true, hash);
    let mut out = Map::new();
    if let Some(v) = return_values(rv, old.as_ref(), None, &[]) {
        out.insert("Attributes".into(), v);
    }
    attach_collection(&mut out, table, &key, req);
    capacity::attach(&mut out, &name, units, str_of(req, "ReturnConsumedCapacity"));
    Ok(Value::Object(out))
}

/// `AttributeUpdates` (legacy) as an [`Update`].
fn legacy_update(req: &Value) -> Result<Option<Update>> {
    let Some(Value::Object(updates)) = req.get("AttributeUpdates") else { return Ok(None) };
    let mut u = Update { legacy: true, ..Update::default() };
    for (name, spec) in updates {
        let path = vec![expr::Step::Name(name.clone())];
        let action = str_of(spec, "Action").unwrap_or("PUT");
        let value = match spec.get("Value") {
            Some(v) => Some(AttrValue::from_json(v).map_err(validation)?),
            None => None,
        };
        if let Some(v) = &value {
            let ty = v.type_name();
            if action == "ADD" && !matches!(ty, "N" | "SS" | "NS" | "BS" | "L") {
                return Err(validation(format!(
                    "One or more parameter values were invalid: ADD action is not supported for the type {ty}"
                )));
            }
            if action == "DELETE" && !matches!(ty, "SS" | "NS" | "BS") {
                return Err(validation(format!(
                    "One or more parameter values were invalid: DELETE action with value is not supported for the type {ty}"
                )));
            }
        }
        match (action, value) {
            ("PUT", Some(v)) => u.set.push((path, expr::Operand::Value(v))),
            ("PUT", None) => {
                return Err(validation(
                    "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified",
                ))
            }
            ("DELETE", None) => u.remove.push(path),
            ("DELETE", Some(v)) => u.delete.push((path, expr::Operand::Value(v))),
            (_, Some(v)) => u.add.push((path, expr::Operand::Value(v))),
            (_, None) => {
                return Err(validation(
                    "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified",
                ))
            }
        }
    }
    Ok(Some(u))
}

pub fn update(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let meter = db.meter();
    expression_params(req, &["UpdateExpression", "ConditionExpression"], &["AttributeUpdates", "Expected"])?;
    let due = db.index_due();
    let key = values(req.get("Key"))?;
    if req.get("UpdateExpression").is_some() && req.get("AttributeUpdates").is_some() {
        return Err(validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}"));
    }
    let uses = req.get("UpdateExpression").is_some() || req.get("ConditionExpression").is_some();
    let ph = placeholders(req, uses)?;
    let mut ctx = Context::new(ph.names.as_ref(), &ph.values);
    let parsed = parse_expr(req, "UpdateExpression", &mut ctx, expr::parse_update)?;
    let condition = write_condition(req, &mut ctx)?;
    if uses {
        ctx.check_unused().map_err(validation)?;
    }
    let update = match parsed {
        Some(u) => Some(u),
        None => legacy_update(req)?,
    };
    let table = table(db, req)?;
    check_key(table, &table.key, &key)?;
    if let Some(u) = &update {
        check_projection_keys(table, None, &Some(u.paths()))?;
    }
    if let Some(u) = &update {
        for path in u.touched() {
            if let Some(expr::Step::Name(top)) = path.first() {
                if table.key.names().contains(&top.as_str()) {
                    return Err(validation(format!(
                        "One or more parameter values were invalid: Cannot update attribute {top}. This attribute is part of the key"
                    )));
                }
            }
        }
    }
    let name = table.name.clone();
    let table = db.tables.get_mut(&name).ok_or_else(DynamoError::not_found)?;
    let hash = meter.admit(table, true, &key)?;
    let old = table.find(&key).cloned();
    if let Some(c) = &condition {
        if !c.eval(old.as_ref().unwrap_or(&Item::new())) {
            return Err(DynamoError::conditional_check_failed());
        }
    }
    let base = old.clone().unwrap_or_else(|| key.clone());
    let new = match &update {
        Some(u) => u.apply(&base).map_err(|m| {
            if u.legacy && m.starts_with("An operand in the update expression") {
                validation("Type mismatch for attribute to update")
            } else {
                validation(m)
            }
        })?,
        None => base,
    };
    if item_size(&new) > MAX_ITEM_SIZE {
        return Err(validation("Item size to update has exceeded the maximum allowed size"));
    }
    check_item_keys(table, &new)?;
    let touched: Vec<String> = update
        .as_ref()
        .map(|u| {
            u.touched()
                .into_iter()
                .filter_map(|p| match p.first() {
                    Some(expr::Step::Name(n)) => Some(n.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let units = capacity::write_units(item_size(&new).max(old.as_ref().map(item_size).unwrap_or(0)));
    store(table, &key, Some(new.clone()), due);
    capacity::note_key(table, units, true, hash);
    let mut out = Map::new();
    if let Some(v) = return_values(str_of(req, "ReturnValues"), old.as_ref(), Some(&new), &touched) {
        out.insert("Attributes".into(), v);
    }
    attach_collection(&mut out, table, &key, req);
    capacity::attach(&mut out, &name, units, str_of(req, "ReturnConsumedCapacity"));
    Ok(Value::Object(out))
}
