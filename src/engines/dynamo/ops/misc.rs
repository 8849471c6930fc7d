//! Time to live and tags.

use super::*;
use crate::engines::dynamo::Dynamo;
use serde_json::json;

pub fn update_ttl(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let name = str_of(req, "TableName").unwrap_or("");
    let table = db.tables.get_mut(name).ok_or_else(|| DynamoError::table_not_found(name))?;
    let spec = req.get("TimeToLiveSpecification").cloned().unwrap_or(Value::Null);
    let enabled = spec.get("Enabled").and_then(Value::as_bool).unwrap_or(false);
    let attr = str_of(&spec, "AttributeName").unwrap_or("").to_string();
    match (&table.ttl_attribute, enabled) {
        (Some(_), true) => return Err(validation("TimeToLive is already enabled")),
        (None, false) => return Err(validation("TimeToLive is already disabled")),
        _ => {}
    }
    table.ttl_attribute = enabled.then(|| attr.clone());
    Ok(json!({"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attr}}))
}

pub fn describe_ttl(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let name = str_of(req, "TableName").unwrap_or("");
    let table = db.tables.get(name).ok_or_else(|| DynamoError::table_not_found(name))?;
    Ok(match &table.ttl_attribute {
        Some(a) => json!({"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": a}}),
        None => json!({"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}),
    })
}

fn denied(op: &str, arn: &str) -> DynamoError {
    let resource = if arn.is_empty() { "*" } else { arn };
    let mut e = DynamoError::serialization(format!(
        "User: arn:aws:iam::000000000000:dynalite is not authorized to perform: dynamodb:{op} on resource: {resource}"
    ));
    e.type_name = "com.amazon.coral.service#AccessDeniedException".into();
    e
}

/// The checks on `ResourceArn` made before anything else in the request.
pub fn check_arn(op: &str, req: &Value) -> Result<()> {
    let Some(arn) = str_of(req, "ResourceArn") else { return Err(validation("Invalid TableArn")) };
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() < 6 || !parts[5].contains('/') {
        return Err(denied(op, arn));
    }
    Ok(())
}

/// Finds the table an ARN names, with DynamoDB's errors for malformed ARNs.
fn by_arn<'a>(db: &'a mut Dynamo, op: &str, req: &Value) -> Result<&'a mut Table> {
    check_arn(op, req)?;
    let arn = str_of(req, "ResourceArn").unwrap_or("");
    let parts: Vec<&str> = arn.split(':').collect();
    let name = parts[5].split_once('/').map(|(_, n)| n).unwrap_or("");
    if parts[0] != "arn" || name.len() < 3 {
        return Err(validation(format!("Invalid TableArn: Invalid ResourceArn provided as input {arn}")));
    }
    let found = db.tables.values_mut().find(|t| t.arn == arn);
    found.ok_or_else(|| {
        DynamoError::service(
            "ResourceNotFoundException",
            format!("Requested resource not found: ResourcArn: {arn} not found"),
        )
    })
}

pub fn tag(db: &mut Dynamo, req: &Value) -> Result<Value> {
    if req.get("Tags").and_then(Value::as_array).is_some_and(|t| t.is_empty()) {
        return Err(validation("Atleast one Tag needs to be provided as Input."));
    }
    let table = by_arn(db, "TagResource", req)?;
    for t in req.get("Tags").and_then(Value::as_array).into_iter().flatten() {
        let k = str_of(t, "Key").unwrap_or("").to_string();
        let v = str_of(t, "Value").unwrap_or("").to_string();
        table.tags.retain(|(x, _)| *x != k);
        table.tags.push((k, v));
    }
    Ok(json!({}))
}

pub fn untag(db: &mut Dynamo, req: &Value) -> Result<Value> {
    if req.get("TagKeys").and_then(Value::as_array).is_some_and(|t| t.is_empty()) {
        return Err(validation("Atleast one Tag Key needs to be provided as Input."));
    }
    let table = by_arn(db, "UntagResource", req)?;
    let keys: Vec<&str> =
        req.get("TagKeys").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    table.tags.retain(|(k, _)| !keys.contains(&k.as_str()));
    Ok(json!({}))
}

pub fn list_tags(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let table = by_arn(db, "ListTagsOfResource", req)?;
    let tags: Vec<Value> = table.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    Ok(json!({ "Tags": tags }))
}
