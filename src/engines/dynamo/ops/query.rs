//! Query and Scan: reading many items, a page at a time.
//!
//! A page stops at `Limit` items evaluated or at 1 MB read, whichever comes first; its
//! `LastEvaluatedKey` is where the next page starts (`ExclusiveStartKey`). Filters run after
//! the read, so filtered-out items still count as scanned and still cost capacity.

use super::*;
use crate::engines::dynamo::capacity;
use crate::engines::dynamo::expr::{Comparator, Cond, Operand, Step};
use crate::engines::dynamo::legacy;
use crate::engines::dynamo::table::{Index, KeyPart};
use crate::engines::dynamo::value::{item_size, item_to_json, stored_size};
use crate::engines::dynamo::Dynamo;
use serde_json::{json, Map};
use std::cmp::Ordering;

/// The most bytes one page reads.
pub const PAGE_BYTES: usize = 1024 * 1024;

/// The key condition of a query, taken apart.
struct KeyCondition {
    hash: AttrValue,
    range: Option<Cond>,
}

fn top_name(op: &Operand) -> Option<&str> {
    match op {
        Operand::Path(p) if p.len() == 1 => match &p[0] {
            Step::Name(n) => Some(n),
            _ => None,
        },
        _ => None,
    }
}

/// The top-level attribute names a condition reads.
fn cond_names(c: &Cond, out: &mut Vec<String>) {
    let mut op = |o: &Operand| {
        if let Operand::Path(p) | Operand::Size(p) = o {
            if let Some(Step::Name(n)) = p.first() {
                out.push(n.clone());
            }
        }
    };
    match c {
        Cond::Compare(_, a, b) | Cond::BeginsWith(a, b) | Cond::Contains(a, b) => {
            op(a);
            op(b)
        }
        Cond::Between(a, b, d) => {
            op(a);
            op(b);
            op(d)
        }
        Cond::In(a, list) => {
            op(a);
            list.iter().for_each(op)
        }
        Cond::Exists(p) | Cond::NotExists(p) | Cond::Type(p, _) => op(&Operand::Path(p.clone())),
        Cond::And(a, b) | Cond::Or(a, b) => {
            cond_names(a, out);
            cond_names(b, out)
        }
        Cond::Not(a) => cond_names(a, out),
    }
}

/// The shape a `KeyConditionExpression` must have, checked before the table is looked at:
/// only `=`, `<`, `<=`, `>`, `>=`, BETWEEN and begins_with, joined by AND, each on one
/// top-level attribute compared with values, at most one condition per attribute.
fn check_key_condition_shape(c: &Cond, seen: &mut Vec<String>) -> Result<()> {
    let invalid = |what: &str| Err(validation(format!("Invalid operator used in KeyConditionExpression: {what}")));
    let args: Vec<&Operand> = match c {
        Cond::Or(..) => return invalid("OR"),
        Cond::Not(..) => return invalid("NOT"),
        Cond::In(..) => return invalid("IN"),
        Cond::Compare(Comparator::Ne, ..) => return invalid("<>"),
        Cond::Exists(..) => return invalid("attribute_exists"),
        Cond::NotExists(..) => return invalid("attribute_not_exists"),
        Cond::Type(..) => return invalid("attribute_type"),
        Cond::Contains(..) => return invalid("contains"),
        Cond::And(a, b) => {
            check_key_condition_shape(a, seen)?;
            return check_key_condition_shape(b, seen);
        }
        Cond::Between(a, lo, hi) => {
            if !matches!(a, Operand::Path(_)) {
                return Err(validation("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand"));
            }
            vec![a, lo, hi]
        }
        Cond::BeginsWith(a, b) => {
            if !matches!(a, Operand::Path(_)) {
                return Err(validation("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand"));
            }
            vec![a, b]
        }
        Cond::Compare(_, a, b) => vec![a, b],
    };
    let mut name: Option<&str> = None;
    for arg in args {
        match arg {
            Operand::Path(p) => {
                if name.is_some() {
                    return Err(validation(
                        "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
                    ));
                }
                if p.len() > 1 {
                    return Err(validation("KeyConditionExpressions cannot have conditions on nested attributes"));
                }
                name = match p.first() {
                    Some(Step::Name(n)) => Some(n),
                    _ => None,
                };
            }
            Operand::Value(_) => {}
            _ => return Err(validation("KeyConditionExpressions cannot contain nested operations")),
        }
    }
    let Some(name) = name else {
        return Err(validation("Invalid condition in KeyConditionExpression: No key attribute specified"));
    };
    if seen.iter().any(|n| n == name) {
        return Err(validation("KeyConditionExpressions must only contain one condition per key"));
    }
    seen.push(name.to_string());
    Ok(())
}

fn condition_count(c: &Cond) -> usize {
    match c {
        Cond::And(a, b) => condition_count(a) + condition_count(b),
        _ => 1,
    }
}

fn key_condition(cond: &Cond, schema: &KeySchema) -> Result<KeyCondition> {
    let mut parts = Vec::new();
    fn flatten<'a>(c: &'a Cond, out: &mut Vec<&'a Cond>) {
        match c {
            Cond::And(a, b) => {
                flatten(a, out);
                flatten(b, out);
            }
            other => out.push(other),
        }
    }
    flatten(cond, &mut parts);
    let unsupported = || validation("Query key condition not supported");
    if parts.len() > 2 {
        return Err(validation("Conditions can be of length 1 or 2 only"));
    }
    let mut hash = None;
    let mut range = None;
    for p in parts {
        let name = match p {
            Cond::Compare(_, a, _) | Cond::Between(a, _, _) | Cond::BeginsWith(a, _) => top_name(a),
            _ => return Err(unsupported()),
        };
        let name = name.ok_or_else(unsupported)?;
        if name == schema.hash {
            match p {
                Cond::Compare(Comparator::Eq, _, Operand::Value(v)) => hash = Some(v.clone()),
                _ => return Err(unsupported()),
            }
        } else if Some(name) == schema.range.as_deref() {
            if let Cond::Compare(Comparator::Ne, _, _) = p {
                return Err(unsupported());
            }
            range = Some(p.clone());
        } else {
            return Err(unsupported());
        }
    }
    let hash = hash.ok_or_else(|| validation(format!("Query condition missed key schema element: {}", schema.hash)))?;
    Ok(KeyCondition { hash, range })
}

/// The items a read walks, in order, with the index they are read through. A global index
/// shows, for keys with writes still in its backlog, the version it had before them.
fn source<'t>(table: &'t Table, index: Option<&Index>) -> Vec<&'t Item> {
    match index {
        None => table.items.values().collect(),
        Some(ix) => {
            let mut behind: std::collections::BTreeMap<crate::engines::dynamo::table::StoreKey, Option<&Item>> =
                Default::default();
            if ix.global {
                for b in &table.index_backlog {
                    if let Some(k) = table.key.store_key(&b.key) {
                        behind.entry(k).or_insert(b.old.as_ref());
                    }
                }
            }
            let current = table.items.iter().filter(|(k, _)| !behind.contains_key(k)).map(|(_, i)| i);
            let stale = behind.values().filter_map(|old| *old);
            // Index order: the index key, then the hash of the table key.
            let mut items: Vec<(&Item, (crate::engines::dynamo::table::StoreKey, u64))> = current
                .chain(stale)
                .filter_map(|i| ix.key.store_key(i).map(|k| (i, (k, table.key.key_hash(i)))))
                .collect();
            items.sort_by(|a, b| a.1.cmp(&b.1));
            items.into_iter().map(|(i, _)| i).collect()
        }
    }
}

fn position_key(table: &Table, index: Option<&Index>, item: &Item) -> Item {
    let mut key = table.key.key_of(item);
    if let Some(ix) = index {
        key.extend(ix.key.key_of(item));
    }
    key
}

struct Read<'a> {
    req: &'a Value,
    index: Option<&'a Index>,
    /// The hash of the partition key a metered table Query reads (its capacity comes from
    /// that partition); `None` for a Scan, a read of an index, or when nothing is metered.
    partition: Option<u64>,
    filter: Option<Cond>,
    projection: Option<Vec<expr::Path>>,
}

fn page(table: &Table, read: &Read, candidates: Vec<&Item>, start: Option<&Item>, forward: bool) -> Result<Value> {
    let req = read.req;
    let mut candidates = candidates;
    if !forward {
        candidates.reverse();
    }
    let mut skip_to = 0;
    if let Some(start) = start {
        let pos = candidates.iter().position(|i| position_key(table, read.index, i) == *start);
        skip_to = match pos {
            Some(p) => p + 1,
            None => {
                // Resume after where the start key would sit.
                let schema = read.index.map(|i| &i.key).unwrap_or(&table.key);
                let sk = schema.store_key(start);
                candidates
                    .iter()
                    .position(|i| {
                        let k = schema.store_key(i);
                        match (&k, &sk) {
                            (Some(a), Some(b)) => {
                                if forward {
                                    a > b
                                } else {
                                    a < b
                                }
                            }
                            _ => false,
                        }
                    })
                    .unwrap_or(candidates.len())
            }
        };
    }
    let limit = req.get("Limit").and_then(Value::as_i64).map(|l| l.max(1) as usize);
    let consistent = req.get("ConsistentRead").and_then(Value::as_bool).unwrap_or(false);
    let count_only = str_of(req, "Select") == Some("COUNT");
    let mut items = Vec::new();
    let mut scanned = 0;
    let mut bytes = 0;
    let mut page_bytes = 0;
    let mut last: Option<&Item> = None;
    let mut more = false;
    for (n, item) in candidates.iter().enumerate().skip(skip_to) {
        if limit.is_some_and(|l| scanned >= l) || page_bytes >= PAGE_BYTES {
            more = true;
            break;
        }
        scanned += 1;
        bytes += item_size(item);
        page_bytes += stored_size(item, table.key.range.as_deref());
        last = Some(item);
        let visible = match read.index {
            Some(ix) => table.project_for_index(ix, item),
            None => (*item).clone(),
        };
        if read.filter.as_ref().is_none_or(|f| f.eval(&visible)) {
            items.push(projected(&visible, &read.projection));
        }
        if n + 1 == candidates.len() {
            more = false;
        }
    }
    if !more && limit.is_some_and(|l| scanned >= l) && last.is_some() {
        // DynamoDB returns a LastEvaluatedKey whenever Limit stopped the page, even at the end.
        more = scanned + skip_to < candidates.len() || limit == Some(scanned);
    }
    let mut out = Map::new();
    out.insert("Count".into(), json!(items.len()));
    if !count_only {
        out.insert("Items".into(), Value::Array(items.iter().map(item_to_json).collect()));
    }
    out.insert("ScannedCount".into(), json!(scanned));
    if more {
        if let Some(l) = last {
            out.insert("LastEvaluatedKey".into(), item_to_json(&position_key(table, read.index, l)));
        }
    }
    let units = capacity::read_units(bytes, consistent);
    capacity::note_key(table, units, false, read.partition);
    match read.index {
        Some(ix) => capacity::attach_index(&mut out, &table.name, ix, units, str_of(req, "ReturnConsumedCapacity")),
        None => capacity::attach(&mut out, &table.name, units, str_of(req, "ReturnConsumedCapacity")),
    }
    Ok(Value::Object(out))
}

fn start_key(req: &Value) -> Result<Option<Item>> {
    match req.get("ExclusiveStartKey") {
        None => Ok(None),
        Some(v) => item_from_json(v).map(Some).map_err(|m| {
            // Number errors are reported as they are; the others name the starting key.
            if m.starts_with("Number ")
                || m.starts_with("The parameter cannot")
                || m.starts_with("Attempting to store")
                || m.contains("number set")
                || m.contains("contains duplicates")
            {
                validation(m)
            } else {
                validation(format!("The provided starting key is invalid: {m}"))
            }
        }),
    }
}

/// The key attributes an `ExclusiveStartKey` must carry, the read's own partition key first.
fn start_key_names<'t>(table: &'t Table, index: Option<&'t Index>) -> Vec<&'t str> {
    let mut names: Vec<&str> = Vec::new();
    let mut add = |n: &'t str| {
        if !names.contains(&n) {
            names.push(n);
        }
    };
    if let Some(ix) = index {
        add(&ix.key.hash);
    }
    for n in table.key.names() {
        add(n);
    }
    if let Some(r) = index.and_then(|ix| ix.key.range.as_deref()) {
        add(r);
    }
    names
}

const START_INVALID: &str = "The provided starting key is invalid";
const SCHEMA: &str = "The provided key element does not match the schema";

/// First checks of `ExclusiveStartKey`: the number of attributes, then the read's partition
/// key. The rest waits until the key condition has been checked ([`check_start_key_rest`]).
fn check_start_key_first(table: &Table, index: Option<&Index>, start: &Item, query: bool) -> Result<()> {
    let names = start_key_names(table, index);
    if index.is_none() && !query {
        // A Scan of the table itself words every problem the same way.
        let fits = start.len() == names.len()
            && names.iter().all(|n| start.get(*n).map(AttrValue::type_name) == table.attribute_type(n));
        return if fits { Ok(()) } else { Err(validation(format!("{START_INVALID}: {SCHEMA}"))) };
    }
    if start.len() != names.len() {
        return Err(validation(START_INVALID));
    }
    let first = names[0];
    match start.get(first) {
        None => Err(validation(START_INVALID)),
        Some(v) if Some(v.type_name()) != table.attribute_type(first) => Err(validation(SCHEMA)),
        _ => Ok(()),
    }
}

fn check_start_key_rest(table: &Table, index: Option<&Index>, start: &Item, query: bool) -> Result<()> {
    let names = start_key_names(table, index);
    // The index's own sort key is checked first, and named plainly.
    if let Some(r) = index.and_then(|ix| ix.key.range.as_deref()) {
        match start.get(r) {
            None => return Err(validation(START_INVALID)),
            Some(v) if Some(v.type_name()) != table.attribute_type(r) => return Err(validation(SCHEMA)),
            _ => {}
        }
    }
    let prefixed = index.is_some();
    let _ = query;
    for n in names.iter().skip(1) {
        match start.get(*n) {
            None if prefixed => return Err(validation(format!("{START_INVALID}: {SCHEMA}"))),
            None => return Err(validation(START_INVALID)),
            Some(v) if Some(v.type_name()) != table.attribute_type(n) => {
                return Err(validation(if prefixed { format!("{START_INVALID}: {SCHEMA}") } else { SCHEMA.into() }))
            }
            _ => {}
        }
    }
    Ok(())
}

fn index_of<'t>(table: &'t Table, req: &Value) -> Result<Option<&'t Index>> {
    match str_of(req, "IndexName") {
        None => Ok(None),
        Some(name) => match table.index(name) {
            None => Err(validation(format!("The table does not have the specified index: {name}"))),
            // Until its backfill is done, a new global index has only part of the items.
            Some(ix) if ix.backfilling && ix.status == "CREATING" => {
                Err(validation(format!("Cannot read from backfilling global secondary index: {name}")))
            }
            Some(ix) => Ok(Some(ix)),
        },
    }
}

pub fn query(db: &mut Dynamo, req: &Value) -> Result<Value> {
    let meter = db.meter();
    expression_params(
        req,
        &["ProjectionExpression", "FilterExpression", "KeyConditionExpression"],
        &["AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"],
    )?;
    // The checks run in the order DynamoDB makes them: QueryFilter, ExclusiveStartKey and
    // KeyConditions as they come in the request, then the expressions, then the table.
    let legacy_filter =
        legacy::filter(req.get("QueryFilter"), str_of(req, "ConditionalOperator")).map_err(validation)?;
    let start = start_key(req)?;
    if let Some(Value::Object(kc)) = req.get("KeyConditions") {
        if kc.is_empty() || kc.len() > 2 {
            return Err(validation("Conditions can be of length 1 or 2 only"));
        }
    }
    let legacy_key = legacy::filter(req.get("KeyConditions"), None).map_err(validation)?;
    let uses =
        ["KeyConditionExpression", "FilterExpression", "ProjectionExpression"].iter().any(|m| req.get(*m).is_some());
    let ph = placeholders(req, uses)?;
    let mut ctx = Context::new(ph.names.as_ref(), &ph.values);
    let key_cond = match parse_expr(req, "KeyConditionExpression", &mut ctx, expr::parse_condition)? {
        Some(c) => {
            check_key_condition_shape(&c, &mut Vec::new())?;
            Some(c)
        }
        None => legacy_key,
    };
    if let Some(c) = &key_cond {
        if condition_count(c) > 2 {
            return Err(validation("Conditions can be of length 1 or 2 only"));
        }
    }
    let filter = match parse_expr(req, "FilterExpression", &mut ctx, expr::parse_condition)? {
        Some(f) => Some(f),
        None => legacy_filter,
    };
    let projection = match parse_expr(req, "ProjectionExpression", &mut ctx, expr::parse_projection)? {
        Some(p) => Some(p),
        None => attributes_to_get(req)?,
    };
    if uses {
        ctx.check_unused().map_err(validation)?;
    }
    let table = table(db, req)?;
    let index = index_of(table, req)?;
    if index.is_some_and(|i| i.global) && req.get("ConsistentRead").and_then(Value::as_bool) == Some(true) {
        return Err(validation("Consistent reads are not supported on global secondary indexes"));
    }
    check_projection_keys(table, index, &projection)?;
    if let Some(start) = &start {
        check_start_key_first(table, index, start, true)?;
    }
    let schema = index.map(|i| &i.key).unwrap_or(&table.key);
    let key_cond = key_cond.ok_or_else(|| {
        validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
    })?;
    let mut named = Vec::new();
    cond_names(&key_cond, &mut named);
    if !named.contains(&schema.hash) {
        return Err(validation(format!("Query condition missed key schema element: {}", schema.hash)));
    }
    if let Some(Value::Object(kc)) = req.get("KeyConditions") {
        for c in kc.values() {
            let op = str_of(c, "ComparisonOperator").unwrap_or("");
            if !["EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN"].contains(&op) {
                return Err(validation("Attempted conditional constraint is not an indexable operation"));
            }
        }
    }
    if let Some(f) = &filter {
        let mut in_filter = Vec::new();
        cond_names(f, &mut in_filter);
        for k in schema.names() {
            if in_filter.iter().any(|n| n == k) {
                return Err(validation(format!(
                    "Filter Expression can only contain non-primary key attributes: Primary key attribute: {k}"
                )));
            }
        }
        let mut paths = Vec::new();
        f.paths(&mut paths);
        check_projection_keys(table, index, &Some(paths))?;
    }
    let kc = key_condition(&key_cond, schema)?;
    let hash = KeyPart::from_value(&kc.hash).ok_or_else(|| {
        validation("One or more parameter values were invalid: Condition parameter type does not match schema type")
    })?;
    if Some(kc.hash.type_name()) != table.attribute_type(&schema.hash) {
        return Err(validation(
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        ));
    }
    if let Some(start) = &start {
        check_start_key_rest(table, index, start, true)?;
        if kc.range.as_ref().is_some_and(|r| !r.eval(start)) {
            return Err(validation("The provided starting key does not match the range key predicate"));
        }
        if start.get(&schema.hash).is_some_and(|h| !h.same(&kc.hash)) {
            return Err(validation(
                "The provided starting key is outside query boundaries based on provided conditions",
            ));
        }
    }
    let in_partition: Vec<&Item> = match index {
        // The table's own items of one partition key sit together in the store: seek to them.
        None => table.items.partition(&hash).collect(),
        Some(_) => source(table, index)
            .into_iter()
            .filter(|i| i.get(&schema.hash).and_then(KeyPart::from_value).as_ref() == Some(&hash))
            .collect(),
    };
    let candidates: Vec<&Item> =
        in_partition.into_iter().filter(|i| kc.range.as_ref().is_none_or(|r| r.eval(i))).collect();
    let forward = req.get("ScanIndexForward").and_then(Value::as_bool).unwrap_or(true);
    // A table Query reads one partition; an index has partitions of its own.
    let partition = (meter.on && index.is_none()).then(|| crate::engines::dynamo::partition::hash(&hash));
    let partition = meter.admit_hash(table, false, partition)?;
    let read = Read { req, index, filter, projection, partition };
    let mut candidates = candidates;
    if let Some(r) = &schema.range {
        candidates.sort_by(|a, b| match (a.get(r), b.get(r)) {
            (Some(x), Some(y)) => x.key_cmp(y).unwrap_or(Ordering::Equal),
            _ => Ordering::Equal,
        });
    }
    page(table, &read, candidates, start.as_ref(), forward)
}

pub fn scan(db: &mut Dynamo, req: &Value) -> Result<Value> {
    expression_params(
        req,
        &["ProjectionExpression", "FilterExpression"],
        &["AttributesToGet", "ScanFilter", "ConditionalOperator"],
    )?;
    let legacy_filter =
        legacy::filter(req.get("ScanFilter"), str_of(req, "ConditionalOperator")).map_err(validation)?;
    let start = start_key(req)?;
    let segment = req.get("Segment").and_then(Value::as_i64);
    let total = req.get("TotalSegments").and_then(Value::as_i64);
    match (segment, total) {
        (Some(_), None) => return Err(validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")),
        (None, Some(_)) => return Err(validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")),
        (Some(s), Some(t)) if s >= t => return Err(validation(format!("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {t}"))),
        _ => {}
    }
    let uses = ["FilterExpression", "ProjectionExpression"].iter().any(|m| req.get(*m).is_some());
    let ph = placeholders(req, uses)?;
    let mut ctx = Context::new(ph.names.as_ref(), &ph.values);
    let filter = match parse_expr(req, "FilterExpression", &mut ctx, expr::parse_condition)? {
        Some(f) => Some(f),
        None => legacy_filter,
    };
    let projection = match parse_expr(req, "ProjectionExpression", &mut ctx, expr::parse_projection)? {
        Some(p) => Some(p),
        None => attributes_to_get(req)?,
    };
    if uses {
        ctx.check_unused().map_err(validation)?;
    }
    let table = table(db, req)?;
    let index = index_of(table, req)?;
    if index.is_some_and(|i| i.global) && req.get("ConsistentRead").and_then(Value::as_bool) == Some(true) {
        return Err(validation("Consistent reads are not supported on global secondary indexes"));
    }
    check_projection_keys(table, index, &projection)?;
    if let Some(start) = &start {
        check_start_key_first(table, index, start, false)?;
        check_start_key_rest(table, index, start, false)?;
        if let (Some(s), Some(t)) = (segment, total) {
            let schema = index.map(|i| &i.key).unwrap_or(&table.key);
            let hash = schema.store_key(start).map(|k| k.hash).unwrap_or(0);
            if !crate::engines::dynamo::partition::in_segment(hash, s as u64, t as u64) {
                return Err(validation(format!("{START_INVALID}: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: {t} Segment: {s}")));
            }
        }
    }
    if let Some(f) = &filter {
        let mut paths = Vec::new();
        f.paths(&mut paths);
        check_projection_keys(table, index, &Some(paths))?;
    }
    let mut candidates = source(table, index);
    if let (Some(s), Some(t)) = (segment, total) {
        // A segment is a slice of the hash space, as in DynamoDB's parallel scan.
        let schema = index.map(|i| &i.key).unwrap_or(&table.key);
        candidates.retain(|i| {
            schema
                .store_key(i)
                .is_some_and(|k| crate::engines::dynamo::partition::in_segment(k.hash, s as u64, t as u64))
        });
    }
    let read = Read { req, index, filter, projection, partition: None };
    page(table, &read, candidates, start.as_ref(), true)
}
