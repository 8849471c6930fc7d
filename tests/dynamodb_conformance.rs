//! Replays dynalite's recorded exchanges (`../shared/conformance/dynamodb/dynalite-suite.jsonl.gz`)
//! against one fresh engine and compares as `conformance/README.md` says: status and `__type`
//! first, then the whole body after normalising generated values, ignoring the order of Scan
//! items and of JSON keys. Agreement is reported per kind; the test fails below the thresholds
//! in `tests/conformance/thresholds.json`. `DBLAB_CONFORMANCE_VERBOSE=1` (or a number) prints
//! the first disagreements
//! (`DBLAB_CONFORMANCE_WIDTH` sets how much of each body is shown; above 700 the canonical forms too).

use dblab::engines::dynamo::Dynamo;
use flate2::read::GzDecoder;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// Members whose values the service generates (ids, times): compared as present, not by value.
const GENERATED: &[&str] = &[
    "TableId",
    "CreationDateTime",
    "LastIncreaseDateTime",
    "LastDecreaseDateTime",
    "LatestStreamArn",
    "LatestStreamLabel",
    "LastUpdateToPayPerRequestDateTime",
];

fn normalise(v: &mut Value, scan: bool) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if GENERATED.contains(&k.as_str()) {
                    *x = Value::String("<generated>".into());
                } else if k == "TableArn" || k == "IndexArn" {
                    if let Some(s) = x.as_str() {
                        let parts: Vec<&str> = s.splitn(6, ':').collect();
                        if parts.len() == 6 {
                            *x = Value::String(format!(
                                "{}:{}:{}:{}:<account>:{}",
                                parts[0], parts[1], parts[2], parts[3], parts[5]
                            ));
                        }
                    }
                } else {
                    normalise(x, scan);
                }
            }
            if scan {
                if let Some(Value::Array(items)) = m.get_mut("Items") {
                    items.sort_by_key(|i| i.to_string());
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| normalise(x, scan)),
        _ => {}
    }
}

/// serde_json with `preserve_order` compares objects in order; compare canonical forms instead.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), canonical(&m[k]))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

#[derive(Default)]
struct Tally {
    compared: usize,
    same_type: usize,
    same_body: usize,
}

impl Tally {
    fn rate(&self, body: bool) -> f64 {
        if self.compared == 0 {
            return 1.0;
        }
        (if body { self.same_body } else { self.same_type }) as f64 / self.compared as f64
    }
}

#[test]
fn dynalite_suite_agrees_with_the_engine() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance");
    let file = root.join("dynamodb/dynalite-suite.jsonl.gz");
    let reader = std::fs::File::open(&file).unwrap_or_else(|e| {
        panic!("conformance data missing at {}: {e} (clone `shared/` beside the project)", file.display())
    });
    let verbose: usize = match std::env::var("DBLAB_CONFORMANCE_VERBOSE") {
        Ok(v) => v.parse().unwrap_or(if v.is_empty() { 0 } else { 40 }),
        Err(_) => 0,
    };
    let thresholds: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/thresholds.json"))
            .expect("tests/conformance/thresholds.json"),
    )
    .expect("thresholds are JSON");

    let mut engine = Dynamo::default();
    let now = 1_795_698_536.0;
    let (mut ok, mut validation, mut serialization) = (Tally::default(), Tally::default(), Tally::default());
    let mut skipped = 0;
    let mut shown = 0;
    for line in BufReader::new(GzDecoder::new(reader)).lines() {
        let line = line.expect("readable recording");
        let record: Value = serde_json::from_str(&line).expect("a JSON line");
        let Some(target) = record["target"].as_str() else {
            skipped += 1;
            continue;
        };
        let expected: Value = match serde_json::from_str(record["response"].as_str().unwrap_or("")) {
            Ok(v) => v,
            Err(_) => {
                skipped += 1;
                continue;
            }
        };
        let expected_type = expected.get("__type").and_then(Value::as_str).unwrap_or("").to_string();
        if ["MissingAuthenticationToken", "InvalidSignature", "IncompleteSignature", "UnknownOperation"]
            .iter()
            .any(|h| expected_type.contains(h))
            || !target.starts_with("DynamoDB_20120810.")
        {
            skipped += 1;
            continue;
        }
        let operation = &target["DynamoDB_20120810.".len()..];
        let request: Value = serde_json::from_str(record["request"].as_str().unwrap_or("")).unwrap_or(Value::Null);
        let (status, mut body) = match engine.call(now, operation, &request) {
            Ok(v) => (200, v),
            Err(e) => (e.status, e.body()),
        };
        // dynalite answers TagResource/UntagResource with the JSON text `""`; DynamoDB sends an
        // empty body, which the engine gives as `{}`. Both mean "no members".
        let mut expected = if expected == Value::String(String::new()) { serde_json::json!({}) } else { expected };
        let scan = operation == "Scan";
        normalise(&mut expected, scan);
        normalise(&mut body, scan);
        let tally = if expected_type.ends_with("ValidationException") {
            &mut validation
        } else if expected_type.ends_with("SerializationException") {
            &mut serialization
        } else {
            &mut ok
        };
        tally.compared += 1;
        let got_type = body.get("__type").and_then(Value::as_str).unwrap_or("");
        let type_agrees = status == record["status"].as_u64().unwrap_or(0) as u16 && got_type == expected_type;
        let body_agrees = type_agrees && canonical(&body) == canonical(&expected);
        tally.same_type += usize::from(type_agrees);
        tally.same_body += usize::from(body_agrees);
        if !body_agrees && shown < verbose {
            shown += 1;
            let width = std::env::var("DBLAB_CONFORMANCE_WIDTH").ok().and_then(|v| v.parse().ok()).unwrap_or(700);
            let cut = |s: String| s.chars().take(width).collect::<String>();
            eprintln!("--- {operation} {}", cut(request.to_string()));
            eprintln!("  want {} {}", record["status"], cut(expected.to_string()));
            eprintln!("  got  {status} {}", cut(body.to_string()));
            if width > 700 {
                eprintln!("  canon want {}", canonical(&expected));
                eprintln!("  canon got  {}", canonical(&body));
            }
        }
    }
    let report = |name: &str, t: &Tally| {
        println!(
            "{name:<28} {:>5} compared   type {:>6.2}%   body {:>6.2}%",
            t.compared,
            100.0 * t.rate(false),
            100.0 * t.rate(true)
        );
    };
    println!("dynalite suite: {skipped} exchanges left out (no target, header-dependent)");
    report("successes + service errors", &ok);
    report("ValidationException", &validation);
    report("SerializationException", &serialization);

    let want = |k: &str| thresholds["dynamodb"][k].as_f64().unwrap_or(1.0);
    assert!(ok.rate(true) >= want("success_and_service_errors"), "successes/service errors below threshold");
    assert!(validation.rate(true) >= want("validation"), "validation errors below threshold");
    assert!(serialization.rate(false) >= want("serialization"), "serialization errors below threshold");
}
