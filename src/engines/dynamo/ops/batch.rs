//! BatchGetItem, BatchWriteItem, TransactWriteItems, TransactGetItems.

use super::items::{store, write_condition, MAX_ITEM_SIZE};
use super::*;
use crate::engines::dynamo::capacity;
use crate::engines::dynamo::collection;
use crate::engines::dynamo::value::{item_size, item_to_json};
use crate::engines::dynamo::Dynamo;
use serde_json::{json, Map};

/// A batch none of whose requests could be served: the error a single request would get
/// (the first table's wording, provisioned or on demand).
fn throughput_exceeded(db: &Dynamo, unprocessed: &Map<String, Value>) -> DynamoError {
    let table = unprocessed.keys().next().and_then(|n| db.tables.get(n));
    table.map(capacity::throttled).unwrap_or_else(|| DynamoError::service("ProvisionedThroughputExceededException", ""))
}

/// The units a transaction consumed, by table in the order the tables are first met.
#[derive(Default)]
struct PerTable(Vec<(String, f64)>);

impl PerTable {
    fn add(&mut self, table: &str, units: f64) {
        match self.0.iter_mut().find(|(t, _)| t == table) {
            Some((_, total)) => *total += units,
            None => self.0.push((table.to_string(), units)),
        }
    }

    /// Adds `ConsumedCapacity` (one entry per table) when the request asked for it.
    fn attach(&self, out: &mut Map<String, Value>, req: &Value) {
        let mode = str_of(req, "ReturnConsumedCapacity");
        let consumed: Vec<Value> = self.0.iter().filter_map(|(t, units)| capacity::consumed(t, *units, mode)).collect();
        if !consumed.is_empty() {
            out.insert("ConsumedCapacity".into(), Value::Array(consumed));
        }
    }
}

pub fn batch_get(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let Some(Value::Object(request_items)) = req.get("RequestItems") else { return Err(DynamoError::not_found()) };
    let mut parsed = Vec::new();
    let mut total = 0;
    for (name, spec) in request_items {
        let mut keys = Vec::new();
        for k in spec.get("Keys").and_then(Value::as_array).into_iter().flatten() {
            keys.push(values(Some(k))?);
        }
        total += keys.len();
        parsed.push((name.clone(), spec, keys));
    }
    if total > 100 {
        return Err(validation("Too many items requested for the BatchGetItem call"));
    }
    // Every table's expressions are checked before any table is looked up.
    let mut reads = Vec::new();
    for (name, spec, keys) in parsed {
        check_projection_members(spec)?;
        let uses = spec.get("ProjectionExpression").is_some();
        let ph = placeholders(spec, uses)?;
        let mut ctx = Context::new(ph.names.as_ref(), &ph.values);
        let projection = match parse_expr(spec, "ProjectionExpression", &mut ctx, expr::parse_projection)? {
            Some(p) => Some(p),
            None => attributes_to_get(spec)?,
        };
        if uses {
            ctx.check_unused().map_err(validation)?;
        }
        for (i, k) in keys.iter().enumerate() {
            if keys[..i].contains(k) {
                return Err(validation("Provided list of item keys contains duplicates"));
            }
        }
        reads.push((name, spec, keys, projection));
    }
    let meter = db.meter();
    let mut responses = Map::new();
    let mut consumed = Vec::new();
    let mut unprocessed = Map::new();
    let mut served = 0;
    for (name, spec, keys, projection) in reads {
        let table = usable(db, &name)?;
        check_projection_keys(table, None, &projection)?;
        let consistent = spec.get("ConsistentRead").and_then(Value::as_bool).unwrap_or(false);
        let mut found = Vec::new();
        let mut units = 0.0;
        let mut left = Vec::new();
        for key in &keys {
            check_key(table, &table.key, key)?;
            // A key whose partition is throttled is handed back, not read.
            let Ok(hash) = meter.admit(table, false, key) else {
                left.push(item_to_json(key));
                continue;
            };
            served += 1;
            let item = table.find(key);
            let cost = capacity::read_units(item.map(item_size).unwrap_or(0), consistent);
            capacity::note_key(table, cost, false, hash);
            units += cost;
            if let Some(item) = item {
                found.push(item_to_json(&projected(item, &projection)));
            }
        }
        responses.insert(name.clone(), Value::Array(found));
        if let Some(c) = capacity::consumed(&name, units, str_of(req, "ReturnConsumedCapacity")) {
            consumed.push(c);
        }
        if !left.is_empty() {
            let mut again = spec.clone();
            again["Keys"] = Value::Array(left);
            unprocessed.insert(name.clone(), again);
        }
    }
    if served == 0 && !unprocessed.is_empty() {
        return Err(throughput_exceeded(db, &unprocessed));
    }
    let mut out = Map::new();
    out.insert("Responses".into(), Value::Object(responses));
    out.insert("UnprocessedKeys".into(), Value::Object(unprocessed));
    if !consumed.is_empty() {
        out.insert("ConsumedCapacity".into(), Value::Array(consumed));
    }
    Ok(Value::Object(out))
}

enum Write {
    Put(Item),
    Delete(Item),
}

pub fn batch_write(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let due = db.index_due();
    let Some(Value::Object(request_items)) = req.get("RequestItems") else { return Err(DynamoError::not_found()) };
    let mut plan: Vec<(String, Vec<Write>)> = Vec::new();
    let mut total = 0;
    for (name, list) in request_items {
        let mut writes = Vec::new();
        for w in list.as_array().into_iter().flatten() {
            let (put, del) = (w.get("PutRequest"), w.get("DeleteRequest"));
            match (put, del) {
                (Some(p), None) => {
                    let item = values(p.get("Item"))?;
                    if item_size(&item) > MAX_ITEM_SIZE {
                        return Err(validation("Item size has exceeded the maximum allowed size"));
                    }
                    writes.push(Write::Put(item))
                }
                (None, Some(d)) => writes.push(Write::Delete(values(d.get("Key"))?)),
                _ => return Err(validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")),
            }
        }
        total += writes.len();
        plan.push((name.clone(), writes));
    }
    if total > 25 {
        return Err(validation("Too many items requested for the BatchWriteItem call"));
    }
    // Check everything before writing anything.
    for (name, writes) in &plan {
        let table = usable(db, name)?;
        let mut seen = Vec::new();
        for w in writes {
            let key = match w {
                Write::Put(item) => {
                    check_item_keys_as(table, item, true)?;
                    table.key.key_of(item)
                }
                Write::Delete(key) => {
                    check_key(table, &table.key, key)?;
                    key.clone()
                }
            };
            if seen.contains(&key) {
                return Err(validation("Provided list of item keys contains duplicates"));
            }
            seen.push(key);
        }
    }
    let meter = db.meter();
    let mut consumed = Vec::new();
    let mut collections = Map::new();
    let mut unprocessed = Map::new();
    let mut served = 0;
    for (name, writes) in plan {
        let Some(table) = db.tables.get_mut(&name) else { continue };
        let mut units = 0.0;
        let mut written = Vec::new();
        let mut left = Vec::new();
        for w in writes {
            // A write whose partition is throttled is handed back, not made.
            let key = match &w {
                Write::Put(item) => table.key.key_of(item),
                Write::Delete(key) => key.clone(),
            };
            let Ok(hash) = meter.admit(table, true, &key) else {
                left.push(match w {
                    Write::Put(item) => json!({"PutRequest": {"Item": item_to_json(&item)}}),
                    Write::Delete(key) => json!({"DeleteRequest": {"Key": item_to_json(&key)}}),
                });
                continue;
            };
            served += 1;
            let (key, cost) = match w {
                Write::Put(item) => {
                    let cost = capacity::write_units(item_size(&item));
                    let key = table.key.key_of(&item);
                    store(table, &key, Some(item), due);
                    (key, cost)
                }
                Write::Delete(key) => {
                    store(table, &key, None, due);
                    (key, 1.0)
                }
            };
            capacity::note_key(table, cost, true, hash);
            units += cost;
            written.push(key);
        }
        if let Some(c) = capacity::consumed(&name, units, str_of(req, "ReturnConsumedCapacity")) {
            consumed.push(c);
        }
        if collection::wanted(req) {
            let metrics: Vec<Value> = written.iter().filter_map(|k| collection::metrics(table, k)).collect();
            if !metrics.is_empty() {
                collections.insert(name.clone(), Value::Array(metrics));
            }
        }
        if !left.is_empty() {
            unprocessed.insert(name.clone(), Value::Array(left));
        }
    }
    if served == 0 && !unprocessed.is_empty() {
        return Err(throughput_exceeded(db, &unprocessed));
    }
    let mut out = Map::new();
    out.insert("UnprocessedItems".into(), Value::Object(unprocessed));
    if !collections.is_empty() {
        out.insert("ItemCollectionMetrics".into(), Value::Object(collections));
    }
    if !consumed.is_empty() {
        out.insert("ConsumedCapacity".into(), Value::Array(consumed));
    }
    Ok(Value::Object(out))
}

/// One action of a transaction, checked and ready to apply.
struct Action {
    table: String,
    key: Item,
    condition: Option<expr::Cond>,
    /// None: condition check only; Some(None): delete; Some(Some(item)): write this item.
    write: Option<Option<Item>>,
    update: Option<expr::Update>,
}

pub fn transact_write(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let due = db.index_due();
    let list = req.get("TransactItems").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut actions = Vec::new();
    for entry in &list {
        let (kind, spec) = ["ConditionCheck", "Put", "Delete", "Update"]
            .iter()
            .find_map(|k| entry.get(*k).map(|s| (*k, s)))
            .ok_or_else(|| validation("TransactItems can only contain one of Check, Put, Update or Delete"))?;
        let uses = spec.get("ConditionExpression").is_some() || spec.get("UpdateExpression").is_some();
        let ph = placeholders(spec, uses)?;
        let mut ctx = Context::new(ph.names.as_ref(), &ph.values);
        let update = parse_expr(spec, "UpdateExpression", &mut ctx, expr::parse_update)?;
        let condition = write_condition(spec, &mut ctx)?;
        if uses {
            ctx.check_unused().map_err(validation)?;
        }
        let name = str_of(spec, "TableName").unwrap_or("").to_string();
        let table = usable(db, &name)?;
        let (key, write) = match kind {
            "Put" => {
                let item = values(spec.get("Item"))?;
                check_item_keys(table, &item)?;
                (table.key.key_of(&item), Some(Some(item)))
            }
            "Delete" => {
                let key = values(spec.get("Key"))?;
                check_key(table, &table.key, &key)?;
                (key, Some(None))
            }
            _ => {
                let key = values(spec.get("Key"))?;
                check_key(table, &table.key, &key)?;
                (key, None)
            }
        };
        if actions.iter().any(|a: &Action| a.table == name && a.key == key) {
            return Err(validation("Transaction request cannot include multiple operations on one item"));
        }
        actions.push(Action { table: name, key, condition, write, update });
    }
    // All conditions (and, when capacity is metered, every item's partition) first; any
    // failure cancels the whole transaction.
    let meter = db.meter();
    let mut reasons = Vec::new();
    let mut failed = false;
    for a in &actions {
        let table = usable(db, &a.table)?;
        let current = table.find(&a.key).cloned().unwrap_or_default();
        if let Err(e) = meter.admit(table, true, &a.key) {
            failed = true;
            reasons.push(json!({"Code": "ThrottlingError", "Message": e.message}));
        } else if a.condition.as_ref().is_some_and(|c| !c.eval(&current)) {
            failed = true;
            reasons.push(json!({"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}));
        } else {
            reasons.push(json!({"Code": "None"}));
        }
    }
    if failed {
        let codes: Vec<&str> = reasons.iter().map(|r| r["Code"].as_str().unwrap_or("None")).collect();
        let mut e = DynamoError::service(
            "TransactionCanceledException",
            format!(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
                codes.join(", ")
            ),
        );
        e.extra = Some(Box::new(json!({"CancellationReasons": reasons})));
        return Err(e);
    }
    // Work out every new item before writing any, so that an update that cannot apply
    // cancels the whole transaction.
    let mut planned = Vec::new();
    for a in actions {
        let current = db.tables.get(&a.table).and_then(|t| t.find(&a.key)).cloned();
        let before = current.as_ref().map(item_size).unwrap_or(0);
        let after: Option<Option<Item>> = match (a.write, a.update) {
            (Some(write), _) => Some(write),
            (None, Some(u)) => Some(Some(u.apply(&current.unwrap_or_else(|| a.key.clone())).map_err(validation)?)),
            (None, None) => None,
        };
        planned.push((a.table, a.key, before, after));
    }
    // Every action is a transactional write: twice the units of the larger of the item before
    // and after (a condition check, of the item it checks).
    let mut per_table = PerTable::default();
    let mut collections = Map::new();
    for (name, key, before, after) in planned {
        let Some(table) = db.tables.get_mut(&name) else { continue };
        let written = after.is_some();
        let after_size = after.as_ref().and_then(|i| i.as_ref().map(item_size)).unwrap_or(0);
        if let Some(item) = after {
            store(table, &key, item, due);
        }
        let units = 2.0 * capacity::write_units(before.max(after_size));
        capacity::note_key(table, units, true, meter.partition_hash(table, &key));
        per_table.add(&name, units);
        if written && collection::wanted(req) {
            if let Some(m) = collection::metrics(table, &key) {
                if let Value::Array(list) = collections.entry(name.clone()).or_insert_with(|| json!([])) {
                    list.push(m);
                }
            }
        }
    }
    let mut out = Map::new();
    per_table.attach(&mut out, req);
    if !collections.is_empty() {
        out.insert("ItemCollectionMetrics".into(), Value::Object(collections));
    }
    Ok(Value::Object(out))
}

pub fn transact_get(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let list = req.get("TransactItems").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut responses = Vec::new();
    let mut per_table = PerTable::default();
    for entry in &list {
        let Some(spec) = entry.get("Get") else { continue };
        let key = values(spec.get("Key"))?;
        let name = str_of(spec, "TableName").unwrap_or("");
        let table = usable(db, name)?;
        check_key(table, &table.key, &key)?;
        let uses = spec.get("ProjectionExpression").is_some();
        let ph = placeholders(spec, uses)?;
        let mut ctx = Context::new(ph.names.as_ref(), &ph.values);
        let projection = parse_expr(spec, "ProjectionExpression", &mut ctx, expr::parse_projection)?;
        let found = table.find(&key);
        // A transactional read costs twice a strongly consistent one.
        let units = 2.0 * capacity::read_units(found.map(item_size).unwrap_or(0), true);
        capacity::note_key(table, units, false, db.meter().partition_hash(table, &key));
        per_table.add(name, units);
        match found {
            Some(item) => responses.push(json!({"Item": item_to_json(&projected(item, &projection))})),
            None => responses.push(json!({})),
        }
    }
    let mut out = Map::new();
    out.insert("Responses".into(), Value::Array(responses));
    per_table.attach(&mut out, req);
    Ok(Value::Object(out))
}
