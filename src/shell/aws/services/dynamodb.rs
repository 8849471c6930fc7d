//! `aws dynamodb`: the operations of the DynamoDB service model the lab answers.
//!
//! Item and key parameters take attribute values as JSON (`--item '{"Artist": {"S": "Acme"}}'`
//! or `--item file://item.json`) or in the CLI's shorthand (`--key Artist={S=Acme}`).

use crate::shell::aws::spec::Shape::{Blob, Boolean, Integer, List, Long, Map, String as Str, Structure};
use crate::shell::aws::spec::{opt, req, Operation, Param, Shape};

/// An attribute value: one member naming its type. `M` and `L` nest values.
static AV: Shape = Structure(&[
    opt("S", Str),
    opt("N", Str),
    opt("B", Blob),
    opt("SS", List(&Str)),
    opt("NS", List(&Str)),
    opt("BS", List(&Blob)),
    opt("M", Map(&AV)),
    opt("L", List(&AV)),
    opt("NULL", Boolean),
    opt("BOOL", Boolean),
]);
static ITEM: Shape = Map(&AV);
static NAMES: Shape = Map(&Str);
static STRINGS: Shape = List(&Str);

static KEY_SCHEMA_ELEMENT: Shape = Structure(&[req("AttributeName", Str), req("KeyType", Str)]);
static ATTRIBUTE_DEFINITION: Shape = Structure(&[req("AttributeName", Str), req("AttributeType", Str)]);
static THROUGHPUT: Shape = Structure(&[req("ReadCapacityUnits", Long), req("WriteCapacityUnits", Long)]);
static PROJECTION: Shape = Structure(&[opt("ProjectionType", Str), opt("NonKeyAttributes", List(&Str))]);
static GSI: Shape = Structure(&[
    req("IndexName", Str),
    req("KeySchema", List(&KEY_SCHEMA_ELEMENT)),
    req("Projection", shape_ref(&PROJECTION)),
    opt("ProvisionedThroughput", Structure(&[req("ReadCapacityUnits", Long), req("WriteCapacityUnits", Long)])),
]);
static LSI: Shape = Structure(&[
    req("IndexName", Str),
    req("KeySchema", List(&KEY_SCHEMA_ELEMENT)),
    req("Projection", shape_ref(&PROJECTION)),
]);
static GSI_UPDATE: Shape = Structure(&[
    opt(
        "Update",
        Structure(&[
            req("IndexName", Str),
            req("ProvisionedThroughput", Structure(&[req("ReadCapacityUnits", Long), req("WriteCapacityUnits", Long)])),
        ]),
    ),
    opt(
        "Create",
        Structure(&[
            req("IndexName", Str),
            req("KeySchema", List(&KEY_SCHEMA_ELEMENT)),
            req("Projection", shape_ref(&PROJECTION)),
            opt("ProvisionedThroughput", Structure(&[req("ReadCapacityUnits", Long), req("WriteCapacityUnits", Long)])),
        ]),
    ),
    opt("Delete", Structure(&[req("IndexName", Str)])),
]);
static TAG: Shape = Structure(&[req("Key", Str), req("Value", Str)]);
static CONDITION: Shape = Structure(&[opt("AttributeValueList", List(&AV)), req("ComparisonOperator", Str)]);
static EXPECTED: Shape = Structure(&[
    opt("Value", shape_ref(&AV)),
    opt("Exists", Boolean),
    opt("ComparisonOperator", Str),
    opt("AttributeValueList", List(&AV)),
]);
static VALUE_UPDATE: Shape = Structure(&[opt("Value", shape_ref(&AV)), opt("Action", Str)]);
static KEYS_AND_ATTRIBUTES: Shape = Structure(&[
    req("Keys", List(&ITEM)),
    opt("AttributesToGet", List(&Str)),
    opt("ConsistentRead", Boolean),
    opt("ProjectionExpression", Str),
    opt("ExpressionAttributeNames", Map(&Str)),
]);
static WRITE_REQUEST: Shape = Structure(&[
    opt("PutRequest", Structure(&[req("Item", Map(&AV))])),
    opt("DeleteRequest", Structure(&[req("Key", Map(&AV))])),
]);
static TRANSACT_WRITE: Shape = Structure(&[
    opt(
        "ConditionCheck",
        Structure(&[
            req("Key", Map(&AV)),
            req("TableName", Str),
            req("ConditionExpression", Str),
            opt("ExpressionAttributeNames", Map(&Str)),
            opt("ExpressionAttributeValues", Map(&AV)),
            opt("ReturnValuesOnConditionCheckFailure", Str),
        ]),
    ),
    opt(
        "Put",
        Structure(&[
            req("Item", Map(&AV)),
            req("TableName", Str),
            opt("ConditionExpression", Str),
            opt("ExpressionAttributeNames", Map(&Str)),
            opt("ExpressionAttributeValues", Map(&AV)),
            opt("ReturnValuesOnConditionCheckFailure", Str),
        ]),
    ),
    opt(
        "Delete",
        Structure(&[
            req("Key", Map(&AV)),
            req("TableName", Str),
            opt("ConditionExpression", Str),
            opt("ExpressionAttributeNames", Map(&Str)),
            opt("ExpressionAttributeValues", Map(&AV)),
            opt("ReturnValuesOnConditionCheckFailure", Str),
        ]),
    ),
    opt(
        "Update",
        Structure(&[
            req("Key", Map(&AV)),
            req("UpdateExpression", Str),
            req("TableName", Str),
            opt("ConditionExpression", Str),
            opt("ExpressionAttributeNames", Map(&Str)),
            opt("ExpressionAttributeValues", Map(&AV)),
            opt("ReturnValuesOnConditionCheckFailure", Str),
        ]),
    ),
]);
static TRANSACT_GET: Shape = Structure(&[req(
    "Get",
    Structure(&[
        req("Key", Map(&AV)),
        req("TableName", Str),
        opt("ProjectionExpression", Str),
        opt("ExpressionAttributeNames", Map(&Str)),
    ]),
)]);

const fn shape_ref(s: &'static Shape) -> Shape {
    // Shapes are plain data; parameters take them by value, so nested statics are re-wrapped.
    match s {
        Map(inner) => Map(inner),
        List(inner) => List(inner),
        Structure(members) => Structure(members),
        _ => Str,
    }
}

const fn names() -> Param {
    opt("ExpressionAttributeNames", shape_ref(&NAMES))
}

const fn values() -> Param {
    opt("ExpressionAttributeValues", shape_ref(&ITEM))
}

pub static DYNAMODB: crate::shell::aws::spec::Service = crate::shell::aws::spec::Service {
    cli: "dynamodb",
    api: "dynamodb",
    global: false,
    summary: "DynamoDB: tables, items, queries, indexes",
    operations: &[
        Operation {
            cli: "create-table",
            api: "CreateTable",
            summary: "Creates a table with a partition key and an optional sort key.",
            params: &[
                req("AttributeDefinitions", List(&ATTRIBUTE_DEFINITION)),
                req("TableName", Str),
                req("KeySchema", List(&KEY_SCHEMA_ELEMENT)),
                opt("LocalSecondaryIndexes", List(&LSI)),
                opt("GlobalSecondaryIndexes", List(&GSI)),
                opt("BillingMode", Str),
                opt("ProvisionedThroughput", shape_ref(&THROUGHPUT)),
                opt("Tags", List(&TAG)),
            ],
        },
        Operation {
            cli: "describe-table",
            api: "DescribeTable",
            summary: "Shows a table's keys, indexes, status and size.",
            params: &[req("TableName", Str)],
        },
        Operation {
            cli: "list-tables",
            api: "ListTables",
            summary: "Lists the tables of the account in this region.",
            params: &[opt("ExclusiveStartTableName", Str), opt("Limit", Integer)],
        },
        Operation {
            cli: "update-table",
            api: "UpdateTable",
            summary: "Changes billing mode or throughput, or creates and deletes global secondary indexes.",
            params: &[
                opt("AttributeDefinitions", List(&ATTRIBUTE_DEFINITION)),
                req("TableName", Str),
                opt("BillingMode", Str),
                opt("ProvisionedThroughput", shape_ref(&THROUGHPUT)),
                opt("GlobalSecondaryIndexUpdates", List(&GSI_UPDATE)),
            ],
        },
        Operation {
            cli: "delete-table",
            api: "DeleteTable",
            summary: "Deletes a table and all of its items.",
            params: &[req("TableName", Str)],
        },
        Operation {
            cli: "put-item",
            api: "PutItem",
            summary: "Creates an item, or replaces an item with the same key.",
            params: &[
                req("TableName", Str),
                req("Item", shape_ref(&ITEM)),
                opt("Expected", Map(&EXPECTED)),
                opt("ReturnValues", Str),
                opt("ReturnConsumedCapacity", Str),
                opt("ReturnItemCollectionMetrics", Str),
                opt("ConditionalOperator", Str),
                opt("ConditionExpression", Str),
                names(),
                values(),
            ],
        },
        Operation {
            cli: "get-item",
            api: "GetItem",
            summary: "Reads one item by its key.",
            params: &[
                req("TableName", Str),
                req("Key", shape_ref(&ITEM)),
                opt("AttributesToGet", shape_ref(&STRINGS)),
                opt("ConsistentRead", Boolean),
                opt("ReturnConsumedCapacity", Str),
                opt("ProjectionExpression", Str),
                names(),
            ],
        },
        Operation {
            cli: "update-item",
            api: "UpdateItem",
            summary: "Changes attributes of an item (creating it if needed).",
            params: &[
                req("TableName", Str),
                req("Key", shape_ref(&ITEM)),
                opt("AttributeUpdates", Map(&VALUE_UPDATE)),
                opt("Expected", Map(&EXPECTED)),
                opt("ConditionalOperator", Str),
                opt("ReturnValues", Str),
                opt("ReturnConsumedCapacity", Str),
                opt("ReturnItemCollectionMetrics", Str),
                opt("UpdateExpression", Str),
                opt("ConditionExpression", Str),
                names(),
                values(),
            ],
        },
        Operation {
            cli: "delete-item",
            api: "DeleteItem",
            summary: "Deletes one item by its key.",
            params: &[
                req("TableName", Str),
                req("Key", shape_ref(&ITEM)),
                opt("Expected", Map(&EXPECTED)),
                opt("ConditionalOperator", Str),
                opt("ReturnValues", Str),
                opt("ReturnConsumedCapacity", Str),
                opt("ReturnItemCollectionMetrics", Str),
                opt("ConditionExpression", Str),
                names(),
                values(),
            ],
        },
        Operation {
            cli: "query",
            api: "Query",
            summary: "Reads the items of one partition key, in sort key order.",
            params: &[
                req("TableName", Str),
                opt("IndexName", Str),
                opt("Select", Str),
                opt("AttributesToGet", shape_ref(&STRINGS)),
                opt("Limit", Integer),
                opt("ConsistentRead", Boolean),
                opt("KeyConditions", Map(&CONDITION)),
                opt("QueryFilter", Map(&CONDITION)),
                opt("ConditionalOperator", Str),
                opt("ScanIndexForward", Boolean),
                opt("ExclusiveStartKey", shape_ref(&ITEM)),
                opt("ReturnConsumedCapacity", Str),
                opt("ProjectionExpression", Str),
                opt("FilterExpression", Str),
                opt("KeyConditionExpression", Str),
                names(),
                values(),
            ],
        },
        Operation {
            cli: "scan",
            api: "Scan",
            summary: "Reads every item of a table or index, a page at a time.",
            params: &[
                req("TableName", Str),
                opt("IndexName", Str),
                opt("AttributesToGet", shape_ref(&STRINGS)),
                opt("Limit", Integer),
                opt("Select", Str),
                opt("ScanFilter", Map(&CONDITION)),
                opt("ConditionalOperator", Str),
                opt("ExclusiveStartKey", shape_ref(&ITEM)),
                opt("ReturnConsumedCapacity", Str),
                opt("TotalSegments", Integer),
                opt("Segment", Integer),
                opt("ProjectionExpression", Str),
                opt("FilterExpression", Str),
                names(),
                values(),
                opt("ConsistentRead", Boolean),
            ],
        },
        Operation {
            cli: "batch-get-item",
            api: "BatchGetItem",
            summary: "Reads up to 100 items from one or more tables.",
            params: &[req("RequestItems", Map(&KEYS_AND_ATTRIBUTES)), opt("ReturnConsumedCapacity", Str)],
        },
        Operation {
            cli: "batch-write-item",
            api: "BatchWriteItem",
            summary: "Puts or deletes up to 25 items in one or more tables.",
            params: &[
                req("RequestItems", Map(&List(&WRITE_REQUEST))),
                opt("ReturnConsumedCapacity", Str),
                opt("ReturnItemCollectionMetrics", Str),
            ],
        },
        Operation {
            cli: "transact-write-items",
            api: "TransactWriteItems",
            summary: "Writes up to 100 items all-or-nothing.",
            params: &[
                req("TransactItems", List(&TRANSACT_WRITE)),
                opt("ReturnConsumedCapacity", Str),
                opt("ReturnItemCollectionMetrics", Str),
                opt("ClientRequestToken", Str),
            ],
        },
        Operation {
            cli: "transact-get-items",
            api: "TransactGetItems",
            summary: "Reads up to 100 items as one consistent snapshot.",
            params: &[req("TransactItems", List(&TRANSACT_GET)), opt("ReturnConsumedCapacity", Str)],
        },
        Operation {
            cli: "update-time-to-live",
            api: "UpdateTimeToLive",
            summary: "Turns expiry of items by a timestamp attribute on or off.",
            params: &[
                req("TableName", Str),
                req("TimeToLiveSpecification", Structure(&[req("Enabled", Boolean), req("AttributeName", Str)])),
            ],
        },
        Operation {
            cli: "describe-time-to-live",
            api: "DescribeTimeToLive",
            summary: "Shows whether TTL is on, and on which attribute.",
            params: &[req("TableName", Str)],
        },
        Operation {
            cli: "tag-resource",
            api: "TagResource",
            summary: "Adds tags to a table.",
            params: &[req("ResourceArn", Str), req("Tags", List(&TAG))],
        },
        Operation {
            cli: "untag-resource",
            api: "UntagResource",
            summary: "Removes tags from a table.",
            params: &[req("ResourceArn", Str), req("TagKeys", shape_ref(&STRINGS))],
        },
        Operation {
            cli: "list-tags-of-resource",
            api: "ListTagsOfResource",
            summary: "Lists a table's tags.",
            params: &[req("ResourceArn", Str), opt("NextToken", Str)],
        },
    ],
};
