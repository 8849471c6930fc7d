//! The request shape of every operation: members in the order DynamoDB checks them, with
//! their types and constraints (see [`super::shape`]). The order matters: it is the order in
//! which a list of validation errors names the members.

use super::shape::{attr_map, field, node, Field, Rule::*, Ty};
use std::collections::HashMap;
use std::sync::OnceLock;

const RCC: &[&str] = &["INDEXES", "TOTAL", "NONE"];
const RICM: &[&str] = &["SIZE", "NONE"];
const RV: &[&str] = &["ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"];
const SELECT: &[&str] = &["SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"];
const COMPARISON: &[&str] = &[
    "IN",
    "NULL",
    "BETWEEN",
    "LT",
    "NOT_CONTAINS",
    "EQ",
    "GT",
    "NOT_NULL",
    "NE",
    "LE",
    "BEGINS_WITH",
    "GE",
    "CONTAINS",
];
const CONDITIONAL: &[&str] = &["OR", "AND"];
const DDB: &str = "com.amazonaws.dynamodb.v20120810.";

fn table_name() -> Field {
    field("TableName", Ty::Str, &[NotNull, NamePattern, LenMin(3), LenMax(255)])
}
fn index_name(name: &'static str, not_null: bool) -> Field {
    if not_null {
        field(name, Ty::Str, &[NotNull, NamePattern, LenMin(3), LenMax(255)])
    } else {
        field(name, Ty::Str, &[NamePattern, LenMin(3), LenMax(255)])
    }
}
fn rcc() -> Field {
    field("ReturnConsumedCapacity", Ty::Str, &[Enum(RCC)])
}
fn ricm() -> Field {
    field("ReturnItemCollectionMetrics", Ty::Str, &[Enum(RICM)])
}
fn return_values() -> Field {
    field("ReturnValues", Ty::Str, &[Enum(RV)])
}
fn strings() -> Ty {
    Ty::List(Box::new(node(Ty::Str, &[])))
}
fn attributes_to_get() -> Field {
    field("AttributesToGet", strings(), &[LenMin(1)])
}
fn attr_list() -> Ty {
    Ty::List(Box::new(node(Ty::Attr, &[])))
}
fn names() -> Field {
    field("ExpressionAttributeNames", Ty::Map(Box::new(node(Ty::Str, &[])), "java.lang.String"), &[])
}
fn values() -> Field {
    field("ExpressionAttributeValues", attr_map(), &[])
}
fn conditional_operator() -> Field {
    field("ConditionalOperator", Ty::Str, &[Enum(CONDITIONAL)])
}
fn expected() -> Field {
    let ty = Ty::Struct(
        "ExpectedAttributeValue",
        vec![
            field("Value", Ty::Attr, &[]),
            field("Exists", Ty::Bool, &[]),
            field("ComparisonOperator", Ty::Str, &[Enum(COMPARISON)]),
            field("AttributeValueList", attr_list(), &[]),
        ],
    );
    field("Expected", Ty::Map(Box::new(node(ty, &[])), "com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue"), &[])
}
fn conditions(name: &'static str) -> Field {
    let ty = Ty::Struct(
        "Condition",
        vec![
            field("AttributeValueList", attr_list(), &[]),
            field("ComparisonOperator", Ty::Str, &[NotNull, Enum(COMPARISON)]),
        ],
    );
    field(name, Ty::Map(Box::new(node(ty, &[])), "com.amazonaws.dynamodb.v20120810.Condition"), &[])
}
fn throughput(name: &'static str, not_null: bool) -> Field {
    let ty = Ty::Struct(
        "ProvisionedThroughput",
        vec![
            field("WriteCapacityUnits", Ty::Long, &[NotNull, ValMin(1)]),
            field("ReadCapacityUnits", Ty::Long, &[NotNull, ValMin(1)]),
        ],
    );
    field(name, ty, if not_null { &[NotNull] } else { &[] })
}
fn key_schema(enum_key_type: bool) -> Field {
    let key_type: &[_] = if enum_key_type { &[NotNull, Enum(&["HASH", "RANGE"])] } else { &[NotNull] };
    let member = Ty::Struct(
        "KeySchemaElement",
        vec![field("AttributeName", Ty::Str, &[NotNull]), field("KeyType", Ty::Str, key_type)],
    );
    field("KeySchema", Ty::List(Box::new(node(member, &[]))), &[NotNull, LenMin(1), LenMax(2)])
}
fn projection() -> Field {
    let ty = Ty::Struct(
        "Projection",
        vec![
            field("ProjectionType", Ty::Str, &[Enum(&["ALL", "INCLUDE", "KEYS_ONLY"])]),
            field("NonKeyAttributes", strings(), &[LenMin(1)]),
        ],
    );
    field("Projection", ty, &[NotNull])
}
fn attribute_definitions(not_null: bool) -> Field {
    let member = Ty::Struct(
        "AttributeDefinition",
        vec![
            field("AttributeName", Ty::Str, &[NotNull]),
            field("AttributeType", Ty::Str, &[NotNull, Enum(&["B", "N", "S"])]),
        ],
    );
    field("AttributeDefinitions", Ty::List(Box::new(node(member, &[]))), if not_null { &[NotNull] } else { &[] })
}
fn stream_specification() -> Field {
    let ty = Ty::Struct(
        "StreamSpecification",
        vec![
            field("StreamEnabled", Ty::Bool, &[]),
            field("StreamViewType", Ty::Str, &[Enum(&["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"])]),
        ],
    );
    field("StreamSpecification", ty, &[])
}
fn billing_mode() -> Field {
    field("BillingMode", Ty::Str, &[Enum(&["PROVISIONED", "PAY_PER_REQUEST"])])
}
fn tags() -> Field {
    let member = Ty::Struct(
        "Tag",
        vec![
            field("Key", Ty::Str, &[NotNull, LenMin(1), LenMax(128)]),
            field("Value", Ty::Str, &[NotNull, LenMax(256)]),
        ],
    );
    field("Tags", Ty::List(Box::new(node(member, &[]))), &[])
}
fn structure(class: &'static str, fields: Vec<Field>) -> Ty {
    Ty::Struct(class, fields)
}

fn create_table() -> Vec<Field> {
    let lsi = structure("LocalSecondaryIndex", vec![key_schema(false), projection(), index_name("IndexName", true)]);
    let gsi = structure(
        "GlobalSecondaryIndex",
        vec![
            key_schema(false),
            projection(),
            index_name("IndexName", true),
            throughput("ProvisionedThroughput", false),
        ],
    );
    vec![
        attribute_definitions(true),
        table_name(),
        billing_mode(),
        throughput("ProvisionedThroughput", false),
        key_schema(true),
        field("LocalSecondaryIndexes", Ty::List(Box::new(node(lsi, &[]))), &[]),
        field("GlobalSecondaryIndexes", Ty::List(Box::new(node(gsi, &[]))), &[]),
        stream_specification(),
        tags(),
    ]
}

fn update_table() -> Vec<Field> {
    let update = structure(
        "UpdateGlobalSecondaryIndexAction",
        vec![index_name("IndexName", true), throughput("ProvisionedThroughput", true)],
    );
    let create = structure(
        "CreateGlobalSecondaryIndexAction",
        vec![
            index_name("IndexName", true),
            key_schema(false),
            projection(),
            throughput("ProvisionedThroughput", false),
        ],
    );
    let delete = structure("DeleteGlobalSecondaryIndexAction", vec![index_name("IndexName", true)]);
    let member = structure(
        "GlobalSecondaryIndexUpdate",
        vec![field("Update", update, &[]), field("Create", create, &[]), field("Delete", delete, &[])],
    );
    vec![
        table_name(),
        attribute_definitions(false),
        billing_mode(),
        throughput("ProvisionedThroughput", false),
        field("GlobalSecondaryIndexUpdates", Ty::List(Box::new(node(member, &[]))), &[]),
        stream_specification(),
    ]
}

fn keys_and_attributes() -> Ty {
    structure(
        "KeysAndAttributes",
        vec![
            field("Keys", Ty::MapList(Box::new(node(attr_map(), &[]))), &[NotNull, LenMin(1), LenMax(100)]),
            attributes_to_get(),
            field("ConsistentRead", Ty::Bool, &[]),
            field("ProjectionExpression", Ty::Str, &[]),
            names(),
        ],
    )
}

fn batch_get_item() -> Vec<Field> {
    vec![
        rcc(),
        field(
            "RequestItems",
            Ty::Map(Box::new(node(keys_and_attributes(), &[])), "com.amazonaws.dynamodb.v20120810.KeysAndAttributes"),
            &[NotNull, LenMin(1), TableNameKeys],
        ),
    ]
}

fn batch_write_item() -> Vec<Field> {
    let write = structure(
        "WriteRequest",
        vec![
            field("DeleteRequest", structure("DeleteRequest", vec![field("Key", attr_map(), &[NotNull])]), &[]),
            field("PutRequest", structure("PutRequest", vec![field("Item", attr_map(), &[NotNull])]), &[]),
        ],
    );
    vec![
        rcc(),
        ricm(),
        field(
            "RequestItems",
            Ty::Map(
                Box::new(node(Ty::List(Box::new(node(write, &[]))), &[])),
                "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>",
            ),
            &[NotNull, LenMin(1), TableNameKeys, ValueLen(1, 25)],
        ),
    ]
}

fn transact_write_items() -> Vec<Field> {
    let common = |extra: Vec<Field>| {
        let mut v = vec![table_name(), field("ConditionExpression", Ty::Str, &[]), names(), values()];
        v.extend(extra);
        v.push(field("ReturnValuesOnConditionCheckFailure", Ty::Str, &[Enum(&["ALL_OLD", "NONE"])]));
        v
    };
    let member = structure(
        "TransactWriteItem",
        vec![
            field(
                "ConditionCheck",
                structure("ConditionCheck", common(vec![field("Key", attr_map(), &[NotNull])])),
                &[],
            ),
            field("Put", structure("Put", common(vec![field("Item", attr_map(), &[NotNull])])), &[]),
            field("Delete", structure("Delete", common(vec![field("Key", attr_map(), &[NotNull])])), &[]),
            field(
                "Update",
                structure(
                    "Update",
                    common(vec![field("Key", attr_map(), &[NotNull]), field("UpdateExpression", Ty::Str, &[NotNull])]),
                ),
                &[],
            ),
        ],
    );
    vec![
        field("TransactItems", Ty::List(Box::new(node(member, &[]))), &[NotNull, LenMin(1), LenMax(100)]),
        rcc(),
        ricm(),
        field("ClientRequestToken", Ty::Str, &[LenMin(1), LenMax(36)]),
    ]
}

fn transact_get_items() -> Vec<Field> {
    let get = structure(
        "Get",
        vec![field("Key", attr_map(), &[NotNull]), table_name(), field("ProjectionExpression", Ty::Str, &[]), names()],
    );
    let member = structure("TransactGetItem", vec![field("Get", get, &[NotNull])]);
    vec![field("TransactItems", Ty::List(Box::new(node(member, &[]))), &[NotNull, LenMin(1), LenMax(100)]), rcc()]
}

fn operations() -> HashMap<&'static str, Vec<Field>> {
    let mut ops: HashMap<&'static str, Vec<Field>> = HashMap::new();
    ops.insert("CreateTable", create_table());
    ops.insert("UpdateTable", update_table());
    for op in ["DescribeTable", "DeleteTable", "DescribeTimeToLive"] {
        ops.insert(op, vec![table_name()]);
    }
    ops.insert(
        "ListTables",
        vec![
            field("Limit", Ty::Integer, &[ValMin(1), ValMax(100)]),
            field("ExclusiveStartTableName", Ty::Str, &[NamePattern, LenMin(3), LenMax(255)]),
        ],
    );
    ops.insert(
        "GetItem",
        vec![
            rcc(),
            attributes_to_get(),
            table_name(),
            field("Key", attr_map(), &[NotNull]),
            field("ConsistentRead", Ty::Bool, &[]),
            field("ProjectionExpression", Ty::Str, &[]),
            names(),
        ],
    );
    ops.insert(
        "PutItem",
        vec![
            rcc(),
            table_name(),
            field("Item", attr_map(), &[NotNull]),
            return_values(),
            ricm(),
            expected(),
            conditional_operator(),
            field("ConditionExpression", Ty::Str, &[]),
            names(),
            values(),
        ],
    );
    ops.insert(
        "DeleteItem",
        vec![
            rcc(),
            table_name(),
            return_values(),
            ricm(),
            field("Key", attr_map(), &[NotNull]),
            expected(),
            conditional_operator(),
            field("ConditionExpression", Ty::Str, &[]),
            names(),
            values(),
        ],
    );
    let update = structure(
        "AttributeValueUpdate",
        vec![field("Action", Ty::Str, &[Enum(&["ADD", "PUT", "DELETE"])]), field("Value", Ty::Attr, &[])],
    );
    ops.insert(
        "UpdateItem",
        vec![
            rcc(),
            table_name(),
            ricm(),
            return_values(),
            field("Key", attr_map(), &[NotNull]),
            field(
                "AttributeUpdates",
                Ty::Map(Box::new(node(update, &[])), "com.amazonaws.dynamodb.v20120810.AttributeValueUpdate"),
                &[],
            ),
            expected(),
            conditional_operator(),
            field("ConditionExpression", Ty::Str, &[]),
            field("UpdateExpression", Ty::Str, &[]),
            names(),
            values(),
        ],
    );
    ops.insert(
        "Query",
        vec![
            field("Select", Ty::Str, &[Enum(SELECT)]),
            index_name("IndexName", false),
            rcc(),
            conditions("QueryFilter"),
            table_name(),
            conditional_operator(),
            attributes_to_get(),
            field("Limit", Ty::Integer, &[ValMin(1)]),
            conditions("KeyConditions"),
            field("ExclusiveStartKey", attr_map(), &[]),
            field("ScanIndexForward", Ty::Bool, &[]),
            field("ConsistentRead", Ty::Bool, &[]),
            field("KeyConditionExpression", Ty::Str, &[]),
            field("FilterExpression", Ty::Str, &[]),
            field("ProjectionExpression", Ty::Str, &[]),
            names(),
            values(),
        ],
    );
    ops.insert(
        "Scan",
        vec![
            field("Select", Ty::Str, &[Enum(SELECT)]),
            index_name("IndexName", false),
            field("TotalSegments", Ty::Integer, &[ValMin(1), ValMax(1_000_000)]),
            rcc(),
            table_name(),
            conditional_operator(),
            conditions("ScanFilter"),
            field("Segment", Ty::Integer, &[ValMin(0), ValMax(999_999)]),
            field("Limit", Ty::Integer, &[ValMin(1)]),
            attributes_to_get(),
            field("ExclusiveStartKey", attr_map(), &[]),
            field("ConsistentRead", Ty::Bool, &[]),
            field("FilterExpression", Ty::Str, &[]),
            field("ProjectionExpression", Ty::Str, &[]),
            names(),
            values(),
        ],
    );
    ops.insert("BatchGetItem", batch_get_item());
    ops.insert("BatchWriteItem", batch_write_item());
    ops.insert("TransactWriteItems", transact_write_items());
    ops.insert("TransactGetItems", transact_get_items());
    let arn = || field("ResourceArn", Ty::Str, &[]);
    ops.insert("ListTagsOfResource", vec![arn(), field("NextToken", Ty::Str, &[])]);
    let mut tag = vec![arn(), tags()];
    if let Some(t) = tag.get_mut(1) {
        t.node.rules = vec![NotNull];
    }
    ops.insert("TagResource", tag);
    ops.insert("UntagResource", vec![arn(), field("TagKeys", strings(), &[NotNull])]);
    let spec = structure(
        "TimeToLiveSpecification",
        vec![
            field("Enabled", Ty::Bool, &[NotNull]),
            field("AttributeName", Ty::Str, &[NotNull, LenMin(1), LenMax(255)]),
        ],
    );
    ops.insert("UpdateTimeToLive", vec![table_name(), field("TimeToLiveSpecification", spec, &[NotNull])]);
    let _ = DDB;
    ops
}

/// The shape of `operation`'s request, if DynamoDB has such an operation.
pub fn request_shape(operation: &str) -> Option<&'static [Field]> {
    static OPS: OnceLock<HashMap<&'static str, Vec<Field>>> = OnceLock::new();
    OPS.get_or_init(operations).get(operation).map(Vec::as_slice)
}
