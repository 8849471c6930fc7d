//! Throughput of the DynamoDB engine, natively: `cargo run --release --example dynamo_bench`.
//!
//! Prints operations per second for GetItem, PutItem, Query (100 items) and Scan (a table of
//! 100k items, page by page), through the JSON API (`Dynamo::call`, what the CLI and the
//! conformance suite use) and through the typed API (`Dynamo::get_item`, `Dynamo::put_item`: attribute values in,
//! no JSON).

use dblab::engines::dynamo::number::Number;
use dblab::engines::dynamo::value::{AttrValue, Item};
use dblab::engines::dynamo::Dynamo;
use serde_json::json;
use std::time::Instant;

fn rate(label: &str, n: u64, seconds: f64) {
    println!("{label:<44} {:>12.0} ops/s   ({n} in {seconds:.2} s)", n as f64 / seconds);
}

fn main() {
    let mut db = Dynamo::default();
    db.call(
        0.0,
        "CreateTable",
        &json!({"TableName": "Bench", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}),
    )
    .expect("table");
    // A second table for typed writes, so the reads below see 100k items.
    db.call(
        0.0,
        "CreateTable",
        &json!({"TableName": "Typed", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}),
    )
    .expect("table");
    db.complete_all();

    // PutItem through JSON: 1,000 partitions of 100 items = 100k items.
    let start = Instant::now();
    let mut n = 0;
    for p in 0..1000 {
        for s in 0..100 {
            let item = json!({"TableName": "Bench", "Item": {"pk": {"S": format!("p{p}")}, "sk": {"N": s.to_string()},
                "v": {"S": "some value"}}});
            db.call(1.0, "PutItem", &item).expect("put");
            n += 1;
        }
    }
    rate("PutItem (JSON API)", n, start.elapsed().as_secs_f64());

    // Requests built beforehand, as the typed keys below are: the API is what is timed.
    let gets: Vec<serde_json::Value> = (0..1000u64)
        .map(|i| json!({"TableName": "Bench", "Key": {"pk": {"S": format!("p{i}")}, "sk": {"N": (i * 7 % 100).to_string()}}}))
        .collect();
    let start = Instant::now();
    let n = 1_000_000u64;
    for i in 0..n {
        let r = db.call(2.0, "GetItem", &gets[(i % 1000) as usize]).expect("get");
        debug_assert!(r.get("Item").is_some());
    }
    rate("GetItem (JSON API)", n, start.elapsed().as_secs_f64());

    // The typed API: keys already held as attribute values, no JSON.
    let keys: Vec<Item> = (0..1000u64)
        .map(|i| {
            [
                ("pk".to_string(), AttrValue::S(format!("p{}", i % 1000))),
                ("sk".to_string(), AttrValue::N(Number::from_i64((i * 7 % 100) as i64))),
            ]
            .into_iter()
            .collect()
        })
        .collect();
    let start = Instant::now();
    let n = 5_000_000u64;
    let mut found = 0;
    for i in 0..n {
        if db.get_item("Bench", &keys[(i % 1000) as usize]).expect("typed get").is_some() {
            found += 1;
        }
    }
    assert_eq!(found, n);
    rate("GetItem (typed API)", n, start.elapsed().as_secs_f64());

    let start = Instant::now();
    let n = 1_000_000u64;
    for i in 0..n {
        let item: Item = [
            ("pk".to_string(), AttrValue::S(format!("t{}", i % 1000))),
            ("sk".to_string(), AttrValue::N(Number::from_i64((i / 1000) as i64))),
            ("v".to_string(), AttrValue::S("some value".into())),
        ]
        .into_iter()
        .collect();
        db.put_item(1.5, "Typed", item).expect("typed put");
    }
    rate("PutItem (typed API)", n, start.elapsed().as_secs_f64());

    let start = Instant::now();
    let n = 2_000u64;
    for i in 0..n {
        let q = json!({"TableName": "Bench", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": format!("p{}", i % 1000)}}});
        let r = db.call(3.0, "Query", &q).expect("query");
        assert_eq!(r["Count"], 100);
    }
    rate("Query, 100 items (JSON API)", n, start.elapsed().as_secs_f64());

    let start = Instant::now();
    let mut pages = 0;
    let mut items = 0;
    let mut req = json!({"TableName": "Bench"});
    loop {
        let r = db.call(4.0, "Scan", &req).expect("scan");
        pages += 1;
        items += r["Count"].as_u64().unwrap_or(0);
        match r.get("LastEvaluatedKey") {
            Some(k) => req["ExclusiveStartKey"] = k.clone(),
            None => break,
        }
    }
    let s = start.elapsed().as_secs_f64();
    println!(
        "{:<44} {:>12.0} items/s ({items} items, {pages} pages of at most 1 MB, {s:.2} s)",
        "Scan of 100k items (JSON API)",
        items as f64 / s
    );
}
