//! DynamoDB in the console: Tables, *Create table*, and *Explore items*.

use super::{read, text, Action, Plan};
use crate::shell::Lab;
use serde_json::{json, Map, Value};

/// A key attribute's type, as *Create table* offers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    String,
    Number,
    Binary,
}

impl KeyType {
    pub const ALL: [KeyType; 3] = [KeyType::String, KeyType::Number, KeyType::Binary];

    pub fn label(self) -> &'static str {
        match self {
            KeyType::String => "String",
            KeyType::Number => "Number",
            KeyType::Binary => "Binary",
        }
    }

    /// The API's attribute type.
    pub fn code(self) -> &'static str {
        match self {
            KeyType::String => "S",
            KeyType::Number => "N",
            KeyType::Binary => "B",
        }
    }
}

/// A key: an attribute name and its type. An empty name means no key (an optional sort key).
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub kind: KeyType,
}

impl Key {
    pub fn new(name: &str, kind: KeyType) -> Key {
        Key { name: name.to_string(), kind }
    }
}

/// A global secondary index of the form.
#[derive(Clone, Debug, PartialEq)]
pub struct Index {
    pub name: String,
    pub partition_key: Key,
    pub sort_key: Key,
}

/// *Create table*.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateTable {
    pub name: String,
    pub partition_key: Key,
    /// Empty name: no sort key.
    pub sort_key: Key,
    /// "Customize settings" picked rather than "Default settings" (on-demand, no indexes).
    pub customize: bool,
    pub on_demand: bool,
    pub read_capacity: i64,
    pub write_capacity: i64,
    pub indexes: Vec<Index>,
}

impl Default for CreateTable {
    fn default() -> CreateTable {
        CreateTable {
            name: String::new(),
            partition_key: Key::new("", KeyType::String),
            sort_key: Key::new("", KeyType::String),
            customize: false,
            on_demand: true,
            read_capacity: 5,
            write_capacity: 5,
            indexes: Vec::new(),
        }
    }
}

impl CreateTable {
    /// The `CreateTable` request: attribute definitions for every key attribute (table and
    /// indexes, each once), the key schema, the capacity mode and the indexes.
    pub fn plan(&self) -> Plan {
        if self.name.is_empty() {
            return Err("Enter a table name.".to_string());
        }
        if self.partition_key.name.is_empty() {
            return Err("Enter a partition key.".to_string());
        }
        let indexes = if self.customize { self.indexes.as_slice() } else { &[] };
        // Every key attribute of the table and its indexes, each defined once.
        let mut definitions: Vec<&Key> = Vec::new();
        let keys = [&self.partition_key, &self.sort_key]
            .into_iter()
            .chain(indexes.iter().flat_map(|i| [&i.partition_key, &i.sort_key]));
        for key in keys.filter(|k| !k.name.is_empty()) {
            match definitions.iter().find(|k| k.name == key.name) {
                Some(k) if k.kind != key.kind => {
                    return Err(format!(
                        "The attribute {} is used with two types ({} and {}).",
                        key.name,
                        k.kind.label(),
                        key.kind.label()
                    ))
                }
                Some(_) => {}
                None => definitions.push(key),
            }
        }
        let on_demand = !self.customize || self.on_demand;
        let mut request = Map::new();
        request.insert(
            "AttributeDefinitions".into(),
            json!(definitions
                .iter()
                .map(|k| json!({"AttributeName": k.name, "AttributeType": k.kind.code()}))
                .collect::<Vec<_>>()),
        );
        request.insert("TableName".into(), json!(self.name));
        request.insert("KeySchema".into(), key_schema(&self.partition_key, &self.sort_key));
        if !indexes.is_empty() {
            let gsis: Vec<Value> = indexes
                .iter()
                .map(|index| {
                    let mut gsi = json!({
                        "IndexName": index.name,
                        "KeySchema": key_schema(&index.partition_key, &index.sort_key),
                        "Projection": {"ProjectionType": "ALL"},
                    });
                    if !on_demand {
                        gsi["ProvisionedThroughput"] = throughput(self.read_capacity, self.write_capacity);
                    }
                    gsi
                })
                .collect();
            request.insert("GlobalSecondaryIndexes".into(), json!(gsis));
        }
        if on_demand {
            request.insert("BillingMode".into(), json!("PAY_PER_REQUEST"));
        } else {
            request.insert("BillingMode".into(), json!("PROVISIONED"));
            request.insert("ProvisionedThroughput".into(), throughput(self.read_capacity, self.write_capacity));
        }
        Ok(vec![Action::new("dynamodb", "CreateTable", Value::Object(request))])
    }
}

fn key_schema(partition: &Key, sort: &Key) -> Value {
    let mut keys = vec![json!({"AttributeName": partition.name, "KeyType": "HASH"})];
    if !sort.name.is_empty() {
        keys.push(json!({"AttributeName": sort.name, "KeyType": "RANGE"}));
    }
    json!(keys)
}

fn throughput(read: i64, write: i64) -> Value {
    json!({"ReadCapacityUnits": read, "WriteCapacityUnits": write})
}

/// A row of the Tables list.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    pub name: String,
    pub status: String,
    pub partition_key: String,
    pub sort_key: String,
    pub indexes: usize,
    /// "On-demand" or "Provisioned (5)" style, as the list's read/write capacity columns.
    pub read_capacity: String,
    pub write_capacity: String,
    pub items: i64,
}

/// The Tables list.
pub fn tables(lab: &mut Lab) -> Vec<TableRow> {
    let names = read(lab, "dynamodb", "ListTables", json!({}))
        .ok()
        .and_then(|v| v.get("TableNames").and_then(Value::as_array).cloned())
        .unwrap_or_default();
    names.iter().filter_map(Value::as_str).filter_map(|name| describe(lab, name)).map(|t| table_row(&t)).collect()
}

/// `DescribeTable`'s `Table`.
pub fn describe(lab: &mut Lab, name: &str) -> Option<Value> {
    read(lab, "dynamodb", "DescribeTable", json!({"TableName": name})).ok()?.get("Table").cloned()
}

fn table_row(table: &Value) -> TableRow {
    let key = |kind: &str| {
        table
            .get("KeySchema")
            .and_then(Value::as_array)
            .and_then(|keys| keys.iter().find(|k| text(k, "KeyType") == kind))
            .map(|k| text(k, "AttributeName").to_string())
            .unwrap_or_default()
    };
    let on_demand = table.pointer("/BillingModeSummary/BillingMode").and_then(Value::as_str) == Some("PAY_PER_REQUEST");
    let capacity = |member: &str| {
        if on_demand {
            "On-demand".to_string()
        } else {
            let units = table.pointer(&format!("/ProvisionedThroughput/{member}")).and_then(Value::as_i64).unwrap_or(0);
            format!("Provisioned ({units})")
        }
    };
    TableRow {
        name: text(table, "TableName").to_string(),
        status: super::rds::status_label(&text(table, "TableStatus").to_ascii_lowercase()),
        partition_key: key("HASH"),
        sort_key: key("RANGE"),
        indexes: table.get("GlobalSecondaryIndexes").and_then(Value::as_array).map_or(0, Vec::len),
        read_capacity: capacity("ReadCapacityUnits"),
        write_capacity: capacity("WriteCapacityUnits"),
        items: table.get("ItemCount").and_then(Value::as_i64).unwrap_or(0),
    }
}

/// *Explore items*: a scan, or a query on the partition key (and a sort key condition), of
/// the table or one of its indexes, a page at a time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explore {
    pub table: String,
    /// "" for the table itself.
    pub index: String,
    pub query: bool,
    pub partition_value: String,
    /// `=`, `<`, `<=`, `>`, `>=`, `begins_with`, `between`; "" for no sort key condition.
    pub sort_operator: String,
    pub sort_value: String,
    pub sort_value_to: String,
    /// Where the next page starts (the last page's `LastEvaluatedKey`).
    pub start_key: Option<Value>,
}

/// What a page of *Explore items* returned.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemsPage {
    pub items: Vec<Value>,
    pub next: Option<Value>,
    pub scanned: i64,
}

/// The number of items a page of *Explore items* shows.
pub const PAGE_SIZE: i64 = 50;

impl Explore {
    /// The `Scan` or `Query` request, given the key names and types of the table or index.
    pub fn action(&self, partition: &Key, sort: &Key) -> Plan {
        let mut request = Map::new();
        request.insert("TableName".into(), json!(self.table));
        if !self.index.is_empty() {
            request.insert("IndexName".into(), json!(self.index));
        }
        request.insert("Limit".into(), json!(PAGE_SIZE));
        if let Some(start) = &self.start_key {
            request.insert("ExclusiveStartKey".into(), start.clone());
        }
        if !self.query {
            return Ok(vec![Action::new("dynamodb", "Scan", Value::Object(request))]);
        }
        if self.partition_value.is_empty() {
            return Err(format!("Enter a value for the partition key {}.", partition.name));
        }
        let mut condition = "#pk = :pk".to_string();
        let mut names = json!({"#pk": partition.name});
        let mut values = json!({":pk": {partition.kind.code(): self.partition_value}});
        if !self.sort_operator.is_empty() && !sort.name.is_empty() {
            names["#sk"] = json!(sort.name);
            values[":sk"] = json!({sort.kind.code(): self.sort_value});
            let clause = match self.sort_operator.as_str() {
                "begins_with" => "begins_with(#sk, :sk)".to_string(),
                "between" => {
                    values[":sk2"] = json!({sort.kind.code(): self.sort_value_to});
                    "#sk BETWEEN :sk AND :sk2".to_string()
                }
                op @ ("=" | "<" | "<=" | ">" | ">=") => format!("#sk {op} :sk"),
                other => return Err(format!("Unknown sort key condition {other}.")),
            };
            condition = format!("{condition} AND {clause}");
        }
        request.insert("KeyConditionExpression".into(), json!(condition));
        request.insert("ExpressionAttributeNames".into(), names);
        request.insert("ExpressionAttributeValues".into(), values);
        Ok(vec![Action::new("dynamodb", "Query", Value::Object(request))])
    }
}

/// Runs a page of *Explore items* (a read the learner asked for, so recorded in the trail).
pub fn run_page(lab: &mut Lab, action: &Action) -> Result<ItemsPage, String> {
    let answer = super::perform(lab, std::slice::from_ref(action)).map_err(|e| super::banner(&e))?;
    Ok(ItemsPage {
        items: answer.get("Items").and_then(Value::as_array).cloned().unwrap_or_default(),
        next: answer.get("LastEvaluatedKey").cloned(),
        scanned: answer.get("ScannedCount").and_then(Value::as_i64).unwrap_or(0),
    })
}

/// *Create item* / *Edit item* in DynamoDB JSON: the text is the item, `{"id": {"S": "1"}}`.
pub fn put_item(table: &str, item_json: &str) -> Plan {
    let item: Value = serde_json::from_str(item_json).map_err(|e| format!("The item is not valid JSON: {e}"))?;
    if !item.is_object() {
        return Err("The item must be a JSON object of attributes.".to_string());
    }
    Ok(vec![Action::new("dynamodb", "PutItem", json!({"TableName": table, "Item": item}))])
}

/// Actions → Delete items: one `DeleteItem` per selected item, by its key.
pub fn delete_items(table: &str, key_names: &[&str], items: &[Value]) -> Vec<Action> {
    items
        .iter()
        .map(|item| {
            let key: Map<String, Value> =
                key_names.iter().filter_map(|k| item.get(*k).map(|v| (k.to_string(), v.clone()))).collect();
            Action::new("dynamodb", "DeleteItem", json!({"TableName": table, "Key": key}))
        })
        .collect()
}

/// The table's key (or an index's), as [`Key`]s, from its description.
pub fn keys_of(table: &Value, index: &str) -> (Key, Key) {
    let schema = if index.is_empty() {
        table.get("KeySchema").cloned()
    } else {
        table
            .get("GlobalSecondaryIndexes")
            .and_then(Value::as_array)
            .and_then(|all| all.iter().find(|i| text(i, "IndexName") == index))
            .and_then(|i| i.get("KeySchema").cloned())
    }
    .unwrap_or_default();
    let kind_of = |name: &str| {
        let code = table
            .get("AttributeDefinitions")
            .and_then(Value::as_array)
            .and_then(|defs| defs.iter().find(|d| text(d, "AttributeName") == name))
            .map(|d| text(d, "AttributeType"))
            .unwrap_or("S");
        KeyType::ALL.into_iter().find(|k| k.code() == code).unwrap_or(KeyType::String)
    };
    let key = |kind: &str| {
        schema
            .as_array()
            .and_then(|keys| keys.iter().find(|k| text(k, "KeyType") == kind))
            .map(|k| Key::new(text(k, "AttributeName"), kind_of(text(k, "AttributeName"))))
            .unwrap_or_else(|| Key::new("", KeyType::String))
    };
    (key("HASH"), key("RANGE"))
}

/// A string member of a description, owned (for a page to keep).
pub fn text_of(value: &Value, key: &str) -> String {
    text(value, key).to_string()
}

/// An attribute value as a cell of the results grid shows it: `{"S": "x"}` → `x`,
/// `{"N": "3"}` → `3`, anything else as compact JSON.
pub fn cell(value: &Value) -> String {
    match value.as_object().and_then(|m| m.iter().next()) {
        Some((kind, Value::String(s))) if kind == "S" || kind == "N" => s.clone(),
        Some((kind, Value::Bool(b))) if kind == "BOOL" => b.to_string(),
        Some((kind, _)) if kind == "NULL" => "null".to_string(),
        _ => serde_json::to_string(value).unwrap_or_default(),
    }
}

/// Additional settings → Read/write capacity → Edit: on-demand, or provisioned units.
pub fn update_capacity(table: &str, on_demand: bool, read_units: i64, write_units: i64) -> Plan {
    if on_demand {
        return Ok(vec![Action::new(
            "dynamodb",
            "UpdateTable",
            json!({"TableName": table, "BillingMode": "PAY_PER_REQUEST"}),
        )]);
    }
    if read_units < 1 || write_units < 1 {
        return Err("Provisioned capacity is at least 1 read and 1 write capacity unit.".to_string());
    }
    Ok(vec![Action::new(
        "dynamodb",
        "UpdateTable",
        json!({"TableName": table, "BillingMode": "PROVISIONED",
               "ProvisionedThroughput": {"ReadCapacityUnits": read_units, "WriteCapacityUnits": write_units}}),
    )])
}

/// Additional settings → Time to Live (TTL) → Turn on (with the attribute that holds each
/// item's expiry, in epoch seconds) or Turn off.
pub fn update_ttl(table: &str, attribute: &str, enabled: bool) -> Plan {
    if attribute.trim().is_empty() {
        return Err("Enter the TTL attribute name.".to_string());
    }
    Ok(vec![Action::new(
        "dynamodb",
        "UpdateTimeToLive",
        json!({"TableName": table, "TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute.trim()}}),
    )])
}

/// A table's TTL: its status (`ENABLED`, `DISABLED` ...) and attribute.
pub fn ttl(lab: &mut Lab, table: &str) -> (String, String) {
    let described = read(lab, "dynamodb", "DescribeTimeToLive", json!({"TableName": table})).unwrap_or_default();
    let d = described.get("TimeToLiveDescription").cloned().unwrap_or_default();
    (text(&d, "TimeToLiveStatus").to_string(), text(&d, "AttributeName").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::perform;
    use crate::console::test_support::{assert_cli_round_trips, lab};

    fn music() -> CreateTable {
        CreateTable {
            name: "Music".to_string(),
            partition_key: Key::new("Artist", KeyType::String),
            sort_key: Key::new("SongTitle", KeyType::String),
            ..CreateTable::default()
        }
    }

    #[test]
    fn capacity_and_ttl_are_changed_in_additional_settings() {
        let mut lab = lab();
        perform(&mut lab, &music().plan().unwrap()).unwrap();
        let provisioned = update_capacity("Music", false, 5, 10).unwrap();
        assert_cli_round_trips(&provisioned);
        perform(&mut lab, &provisioned).unwrap();
        // The table is UPDATING a while, then ACTIVE with its new capacity.
        lab.advance(crate::cloud::time::Duration(60_000));
        let table = describe(&mut lab, "Music").unwrap();
        assert_eq!(table.pointer("/ProvisionedThroughput/WriteCapacityUnits"), Some(&json!(10)));
        assert!(update_capacity("Music", false, 0, 1).unwrap_err().contains("at least 1"));

        assert_eq!(ttl(&mut lab, "Music").0, "DISABLED");
        let on = update_ttl("Music", "expires_at", true).unwrap();
        assert_cli_round_trips(&on);
        perform(&mut lab, &on).unwrap();
        assert_eq!(ttl(&mut lab, "Music"), ("ENABLED".to_string(), "expires_at".to_string()));
        assert!(update_ttl("Music", " ", true).is_err());
    }

    #[test]
    fn default_settings_are_on_demand_without_indexes() {
        let plan = music().plan().unwrap();
        assert_eq!(plan[0].request["BillingMode"], "PAY_PER_REQUEST");
        assert_cli_round_trips(&plan);
        assert_eq!(
            plan[0].cli(),
            "aws dynamodb create-table --attribute-definitions AttributeName=Artist,AttributeType=S \
             AttributeName=SongTitle,AttributeType=S --table-name Music --key-schema \
             AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE --billing-mode PAY_PER_REQUEST"
        );
    }

    #[test]
    fn custom_settings_carry_capacity_and_indexes_with_each_attribute_defined_once() {
        let mut form = music();
        form.customize = true;
        form.on_demand = false;
        form.read_capacity = 10;
        form.indexes.push(Index {
            name: "AlbumIndex".to_string(),
            partition_key: Key::new("AlbumTitle", KeyType::String),
            sort_key: Key::new("SongTitle", KeyType::String),
        });
        let plan = form.plan().unwrap();
        let request = &plan[0].request;
        assert_eq!(request["AttributeDefinitions"].as_array().unwrap().len(), 3);
        assert_eq!(request["ProvisionedThroughput"], json!({"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}));
        assert_eq!(request["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["ReadCapacityUnits"], 10);
        assert_cli_round_trips(&plan);

        let mut lab = lab();
        perform(&mut lab, &plan).expect("the table is created");
        let rows = tables(&mut lab);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].partition_key.as_str(), rows[0].sort_key.as_str(), rows[0].indexes),
            ("Artist", "SongTitle", 1)
        );
        assert_eq!(rows[0].read_capacity, "Provisioned (10)");
    }

    #[test]
    fn a_key_attribute_with_two_types_is_refused_before_sending() {
        let mut form = music();
        form.customize = true;
        form.indexes.push(Index {
            name: "ByTitle".to_string(),
            partition_key: Key::new("SongTitle", KeyType::Number),
            sort_key: Key::new("", KeyType::String),
        });
        assert!(form.plan().unwrap_err().contains("two types"));
    }

    #[test]
    fn items_are_created_explored_by_query_and_deleted() {
        let mut lab = lab();
        perform(&mut lab, &music().plan().unwrap()).unwrap();
        // A table takes writes once it is ACTIVE.
        lab.advance(crate::cloud::time::Duration(60_000));
        for (artist, song) in [("Acme Band", "Happy Day"), ("Acme Band", "Sad Night"), ("No One", "Call Me")] {
            let item = format!(
                r#"{{"Artist": {{"S": "{artist}"}}, "SongTitle": {{"S": "{song}"}}, "Year": {{"N": "2020"}}}}"#
            );
            let plan = put_item("Music", &item).unwrap();
            assert_cli_round_trips(&plan);
            perform(&mut lab, &plan).expect("the item is written");
        }
        let table = describe(&mut lab, "Music").unwrap();
        let (pk, sk) = keys_of(&table, "");
        let explore = Explore {
            table: "Music".to_string(),
            query: true,
            partition_value: "Acme Band".to_string(),
            sort_operator: "begins_with".to_string(),
            sort_value: "Ha".to_string(),
            ..Explore::default()
        };
        let plan = explore.action(&pk, &sk).unwrap();
        assert_cli_round_trips(&plan);
        let page = run_page(&mut lab, &plan[0]).unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(cell(&page.items[0]["SongTitle"]), "Happy Day");

        let scan = Explore { table: "Music".to_string(), ..Explore::default() }.action(&pk, &sk).unwrap();
        let all = run_page(&mut lab, &scan[0]).unwrap();
        assert_eq!(all.items.len(), 3);
        let deletes = delete_items("Music", &["Artist", "SongTitle"], &all.items[..2]);
        assert_cli_round_trips(&deletes);
        perform(&mut lab, &deletes).unwrap();
        assert_eq!(run_page(&mut lab, &scan[0]).unwrap().items.len(), 1);
    }

    #[test]
    fn an_item_that_is_not_json_is_refused_in_words() {
        assert!(put_item("Music", "{\"Artist\": ").unwrap_err().starts_with("The item is not valid JSON"));
        assert!(put_item("Music", "[1]").unwrap_err().contains("JSON object"));
    }
}
