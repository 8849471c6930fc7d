//! Throughput of the DynamoDB engine, natively: `cargo run --release --example dynamo_bench`.
//!
//! Prints operations per second for GetItem, PutItem, Query (100 items) and Scan (a table of
//! 100k items, page by page), through the JSON API (`Dynamo::call`, what the CLI and the
//! conformance suite use) and through the typed store underneath (`Table::items`).

use dblab::engines::dynamo::table::{KeyPart, StoreKey};
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

    let start = Instant::now();
    let n = 200_000u64;
    for i in 0..n {
        let key = json!({"TableName": "Bench", "Key": {"pk": {"S": format!("p{}", i % 1000)}, "sk": {"N": (i % 100).to_string()}}});
        db.call(2.0, "GetItem", &key).expect("get");
    }
    rate("GetItem (JSON API)", n, start.elapsed().as_secs_f64());

    let table = &db.tables["Bench"];
    let keys: Vec<StoreKey> = (0..1000u64)
        .map(|i| {
            let sk = dblab::engines::dynamo::number::Number::from_i64((i % 100) as i64);
            StoreKey::new(KeyPart::S(format!("p{}", i % 1000)), Some(KeyPart::N(sk)))
        })
        .collect();
    let start = Instant::now();
    let n = 5_000_000u64;
    let mut found = 0;
    for i in 0..n {
        if table.items.contains_key(&keys[(i % 1000) as usize]) {
            found += 1;
        }
    }
    assert_eq!(found, n);
    rate("GetItem (typed store lookup)", n, start.elapsed().as_secs_f64());

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
