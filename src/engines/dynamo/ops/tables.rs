//! CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable.

use super::{str_of, validation};
use crate::engines::dynamo::error::{DynamoError, Result};
use crate::engines::dynamo::table::{Index, KeySchema, Projection, Table, Throughput};
use crate::engines::dynamo::Dynamo;
use serde_json::{json, Value};

const INVALID: &str = "One or more parameter values were invalid: ";

fn key_names(schema: &Value) -> Vec<(String, String)> {
    schema
        .as_array()
        .map(|a| {
            a.iter()
                .map(|k| {
                    (
                        str_of(k, "AttributeName").unwrap_or("").to_string(),
                        str_of(k, "KeyType").unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The checks DynamoDB makes on a key schema (the table's or an index's).
fn check_schema(keys: &[(String, String)], defined: &[String]) -> std::result::Result<KeySchema, String> {
    let names: Vec<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
    if names.iter().any(|n| !defined.iter().any(|d| d == n)) {
        return Err(format!(
            "{INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
            names.join(", "),
            defined.join(", ")
        ));
    }
    if names.len() == 2 && names[0] == names[1] {
        return Err("Both the Hash Key and the Range Key element in the KeySchema have the same name".into());
    }
    if keys.first().map(|k| k.1.as_str()) != Some("HASH") {
        return Err("Invalid KeySchema: The first KeySchemaElement is not a HASH key type".into());
    }
    if keys.get(1).is_some_and(|k| k.1 != "RANGE") {
        return Err("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type".into());
    }
    Ok(KeySchema { hash: names[0].to_string(), range: names.get(1).map(|s| s.to_string()) })
}

fn projection(v: Option<&Value>) -> std::result::Result<Projection, String> {
    let kind = v.and_then(|p| str_of(p, "ProjectionType"));
    let non_key: Vec<String> = v
        .and_then(|p| p.get("NonKeyAttributes"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    let Some(kind) = kind else { return Err(format!("{INVALID}Unknown ProjectionType: null")) };
    if !non_key.is_empty() && kind != "INCLUDE" {
        return Err(format!("{INVALID}ProjectionType is {kind}, but NonKeyAttributes is specified"));
    }
    Ok(Projection { kind: kind.to_string(), non_key })
}

fn throughput_of(v: Option<&Value>) -> Option<(i64, i64)> {
    let v = v?;
    Some((v.get("ReadCapacityUnits")?.as_i64()?, v.get("WriteCapacityUnits")?.as_i64()?))
}

fn check_bounds(read: i64, write: i64) -> Result<()> {
    if read > 1_000_000_000_000 {
        return Err(validation(format!("Given value {read} for ReadCapacityUnits is out of bounds")));
    }
    if write > 1_000_000_000_000 {
        return Err(validation(format!("Given value {write} for WriteCapacityUnits is out of bounds")));
    }
    Ok(())
}

pub fn create(db: &mut Dynamo, now: f64, req: &Value) -> Result<Value> {
    let pay = str_of(req, "BillingMode") == Some("PAY_PER_REQUEST");
    let throughput = throughput_of(req.get("ProvisionedThroughput"));
    if pay && throughput.is_some() {
        return Err(validation(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        ));
    }
    if !pay && throughput.is_none() {
        return Err(validation(format!("{INVALID}Missing required parameter in input: \"ProvisionedThroughput\"")));
    }
    if let Some((r, w)) = throughput {
        check_bounds(r, w)?;
    }
    let defs: Vec<(String, String)> = req
        .get("AttributeDefinitions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        str_of(d, "AttributeName").unwrap_or("").to_string(),
                        str_of(d, "AttributeType").unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let defined: Vec<String> = defs.iter().map(|(n, _)| n.clone()).collect();
    let keys = key_names(req.get("KeySchema").unwrap_or(&Value::Null));
    if keys.len() == 2
        && (keys.iter().any(|(n, _)| !defined.contains(n)) || (keys[0].0 == keys[1].0 && defined.len() == 1))
    {
        return Err(validation("Invalid KeySchema: Some index key attribute have no definition"));
    }
    let key = check_schema(&keys, &defined).map_err(validation)?;
    let lsis = req.get("LocalSecondaryIndexes").and_then(Value::as_array);
    let gsis = req.get("GlobalSecondaryIndexes").and_then(Value::as_array);
    if lsis.is_none() && gsis.is_none() && keys.len() != defs.len() {
        return Err(validation(format!(
            "{INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"
        )));
    }
    let mut indexes: Vec<Index> = Vec::new();
    if let Some(list) = lsis {
        if list.is_empty() {
            return Err(validation(format!("{INVALID}List of LocalSecondaryIndexes is empty")));
        }
        if key.range.is_none() {
            return Err(validation(format!(
                "{INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"
            )));
        }
        for ix in list {
            let name = str_of(ix, "IndexName").unwrap_or("").to_string();
            let ikeys = key_names(ix.get("KeySchema").unwrap_or(&Value::Null));
            let schema = check_schema(&ikeys, &defined).map_err(validation)?;
            if schema.range.is_none() {
                return Err(validation(format!(
                    "{INVALID}Index KeySchema does not have a range key for index: {name}"
                )));
            }
            if schema.hash != key.hash {
                return Err(validation(format!(
                    "{INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: {name}. index hash key: {}, table hash key: {}",
                    schema.hash, key.hash
                )));
            }
            let proj = projection(ix.get("Projection")).map_err(validation)?;
            if indexes.iter().any(|i| i.name == name) {
                return Err(validation(format!("{INVALID}Duplicate index name: {name}")));
            }
            indexes.push(Index {
                name,
                key: schema,
                projection: proj,
                global: false,
                throughput: None,
                status: "ACTIVE".into(),
                backfilling: false,
            });
        }
        if list.len() > 5 {
            return Err(validation(format!("{INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5")));
        }
    }
    if let Some(list) = gsis {
        if list.is_empty() {
            return Err(validation(format!("{INVALID}List of GlobalSecondaryIndexes is empty")));
        }
        for ix in list {
            let name = str_of(ix, "IndexName").unwrap_or("").to_string();
            let ikeys = key_names(ix.get("KeySchema").unwrap_or(&Value::Null));
            let schema = check_schema(&ikeys, &defined).map_err(validation)?;
            let proj = projection(ix.get("Projection")).map_err(validation)?;
            if indexes.iter().any(|i| i.name == name) {
                return Err(validation(format!("{INVALID}Duplicate index name: {name}")));
            }
            let tp = throughput_of(ix.get("ProvisionedThroughput"));
            if pay && tp.is_some() {
                return Err(validation(format!("{INVALID}ProvisionedThroughput should not be specified for index: {name} when BillingMode is PAY_PER_REQUEST")));
            }
            if !pay && tp.is_none() {
                return Err(validation(format!("{INVALID}ProvisionedThroughput must be specified for index: {name}")));
            }
            if let Some((r, w)) = tp {
                check_bounds(r, w)?;
            }
            indexes.push(Index {
                name,
                key: schema,
                projection: proj,
                global: true,
                throughput: tp.map(|(r, w)| Throughput::new(r, w)),
                status: "CREATING".into(),
                backfilling: false,
            });
        }
        if list.len() > 20 {
            return Err(validation(format!("{INVALID}GlobalSecondaryIndex count exceeds the per-table limit of 20")));
        }
    }
    // Every defined attribute must be used by some key.
    let mut used: Vec<&str> = key.names();
    for i in &indexes {
        used.extend(i.key.names());
    }
    if defs.iter().any(|(n, _)| !used.contains(&n.as_str())) {
        return Err(validation(format!(
            "{INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"
        )));
    }
    let name = str_of(req, "TableName").unwrap_or("").to_string();
    if db.tables.contains_key(&name) {
        return Err(DynamoError::service("ResourceInUseException", format!("Table already exists: {name}")));
    }
    let id = db.next_id;
    db.next_id += 1;
    let (r, w) = throughput.unwrap_or((0, 0));
    let mut table = Table {
        arn: db.table_arn(&name),
        name: name.clone(),
        id: format!("{:08x}-0000-4000-8000-{:012x}", id, id),
        created: now,
        status: "CREATING".into(),
        attribute_definitions: defs,
        key,
        pay_per_request: pay,
        pay_per_request_since: pay.then_some(now),
        throughput: Throughput::new(r, w),
        pending_throughput: None,
        indexes,
        index_backlog: Vec::new(),
        ttl_attribute: None,
        tags: req
            .get("Tags")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|t| (str_of(t, "Key").unwrap_or("").into(), str_of(t, "Value").unwrap_or("").into()))
                    .collect()
            })
            .unwrap_or_default(),
        items: crate::engines::dynamo::store::Store::new(),
        size_bytes: 0,
        reported: Default::default(),
        // One second of capacity to start with; the burst builds up while the table idles.
        buckets: crate::engines::dynamo::capacity::Buckets {
            partitions: vec![crate::engines::dynamo::capacity::Partition {
                read_tokens: r as f64,
                write_tokens: w as f64,
                ..Default::default()
            }],
            at: now,
            ..Default::default()
        },
        usage: Default::default(),
    };
    table.reported.at = now;
    let description = table.describe();
    db.tables.insert(name, table);
    Ok(json!({ "TableDescription": description }))
}

fn named<'a>(db: &'a Dynamo, req: &Value) -> Result<&'a Table> {
    let name = str_of(req, "TableName").unwrap_or("");
    db.tables.get(name).ok_or_else(|| DynamoError::table_not_found(name))
}

pub fn describe(db: &Dynamo, req: &Value) -> Result<Value> {
    Ok(json!({ "Table": named(db, req)?.describe() }))
}

pub fn list(db: &Dynamo, req: &Value) -> Result<Value> {
    let limit = req.get("Limit").and_then(Value::as_i64).unwrap_or(100).max(1) as usize;
    let start = str_of(req, "ExclusiveStartTableName");
    let names: Vec<&String> = db.tables.keys().filter(|n| start.is_none_or(|s| n.as_str() > s)).collect();
    let page: Vec<&String> = names.iter().take(limit).copied().collect();
    let mut out = serde_json::Map::new();
    if names.len() > limit {
        if let Some(last) = page.last() {
            out.insert("LastEvaluatedTableName".into(), json!(last));
        }
    }
    out.insert("TableNames".into(), json!(page));
    Ok(Value::Object(out))
}

pub fn delete(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let name = str_of(req, "TableName").unwrap_or("").to_string();
    let table = db.tables.get_mut(&name).ok_or_else(|| DynamoError::table_not_found(&name))?;
    if table.status == "CREATING" {
        return Err(DynamoError::service(
            "ResourceInUseException",
            format!("Attempt to change a resource which is still in use: Table is being created: {name}"),
        ));
    }
    table.status = "DELETING".into();
    let mut description = table.describe();
    if let Some(m) = description.as_object_mut() {
        m.remove("GlobalSecondaryIndexes");
    }
    Ok(json!({ "TableDescription": description }))
}

pub fn update(db: &mut Dynamo, now: f64, req: &Value) -> Result<Value> {
    let name = str_of(req, "TableName").unwrap_or("").to_string();
    let throughput = throughput_of(req.get("ProvisionedThroughput"));
    let gsi_updates = req.get("GlobalSecondaryIndexUpdates").and_then(Value::as_array);
    let billing = str_of(req, "BillingMode");
    if throughput.is_none() && gsi_updates.is_none() && billing.is_none() && req.get("StreamSpecification").is_none() {
        return Err(validation(
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
        ));
    }
    if let Some((r, w)) = throughput {
        check_bounds(r, w)?;
    }
    if let Some(list) = gsi_updates {
        let changes = list.iter().filter(|u| u.get("Create").is_some() || u.get("Delete").is_some()).count();
        if changes > 1 {
            return Err(DynamoError::service(
                "LimitExceededException",
                "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
            ));
        }
    }
    let table = db.tables.get_mut(&name).ok_or_else(|| DynamoError::table_not_found(&name))?;
    if throughput.is_some() && table.pay_per_request && billing != Some("PROVISIONED") {
        return Err(validation(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        ));
    }
    if billing == Some("PROVISIONED") && table.pay_per_request && throughput.is_none() {
        return Err(validation(
            "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
        ));
    }
    if let Some((r, w)) = throughput {
        if !table.pay_per_request && r == table.throughput.read && w == table.throughput.write {
            return Err(validation(format!(
                "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: {r}. Requested ReadCapacityUnits: {r}. Current WriteCapacityUnits provisioned for the table: {w}. Requested WriteCapacityUnits: {w}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."
            )));
        }
    }
    // DynamoDB answers with the description as it was, marked UPDATING; the change lands after.
    let mut before = table.clone();
    before.status = "UPDATING".into();
    if let Some((r, w)) = throughput {
        if r > table.throughput.read || w > table.throughput.write {
            table.throughput.last_increase = Some(now);
            before.throughput.last_increase = Some(now);
        }
        if r < table.throughput.read || w < table.throughput.write {
            table.throughput.last_decrease = Some(now);
            before.throughput.last_decrease = Some(now);
            table.throughput.decreases_today += 1;
        }
        table.pending_throughput = Some((r, w));
    }
    match billing {
        Some("PAY_PER_REQUEST") => {
            table.pay_per_request = true;
            table.pay_per_request_since = Some(now);
        }
        Some("PROVISIONED") => table.pay_per_request = false,
        _ => {}
    }
    if let Some(defs) = req.get("AttributeDefinitions").and_then(Value::as_array) {
        for d in defs {
            let n = str_of(d, "AttributeName").unwrap_or("").to_string();
            let t = str_of(d, "AttributeType").unwrap_or("").to_string();
            if !table.attribute_definitions.iter().any(|(x, _)| *x == n) {
                table.attribute_definitions.push((n, t));
            }
        }
    }
    for u in gsi_updates.into_iter().flatten() {
        if let Some(c) = u.get("Create") {
            let defined: Vec<String> = table.attribute_definitions.iter().map(|(n, _)| n.clone()).collect();
            let schema =
                check_schema(&key_names(c.get("KeySchema").unwrap_or(&Value::Null)), &defined).map_err(validation)?;
            let name = str_of(c, "IndexName").unwrap_or("").to_string();
            if table.index(&name).is_some() {
                return Err(validation(format!("{INVALID}Duplicate index name: {name}")));
            }
            table.indexes.push(Index {
                name,
                key: schema,
                projection: projection(c.get("Projection")).map_err(validation)?,
                global: true,
                throughput: throughput_of(c.get("ProvisionedThroughput")).map(|(r, w)| Throughput::new(r, w)),
                status: "CREATING".into(),
                backfilling: !table.items.is_empty(),
            });
        }
        if let Some(d) = u.get("Delete") {
            let name = str_of(d, "IndexName").unwrap_or("");
            match table.indexes.iter_mut().find(|i| i.name == name && i.global) {
                Some(i) => i.status = "DELETING".into(),
                None => {
                    return Err(DynamoError::service(
                        "ResourceNotFoundException",
                        format!("Requested resource not found: Index: {name} not found"),
                    ))
                }
            }
        }
        if let Some(up) = u.get("Update") {
            let name = str_of(up, "IndexName").unwrap_or("");
            let tp = throughput_of(up.get("ProvisionedThroughput"));
            match table.indexes.iter_mut().find(|i| i.name == name && i.global) {
                Some(i) => {
                    if let Some((r, w)) = tp {
                        i.throughput = Some(Throughput::new(r, w));
                    }
                }
                None => {
                    return Err(DynamoError::service(
                        "ResourceNotFoundException",
                        format!("Requested resource not found: Index: {name} not found"),
                    ))
                }
            }
        }
    }
    table.status = "UPDATING".into();
    Ok(json!({ "TableDescription": before.describe() }))
}
