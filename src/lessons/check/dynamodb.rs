//! Conditions on DynamoDB: tables and their key schemas, items, global secondary indexes and
//! billing modes.
//!
//! An item is named by attribute values, `Artist=Acme;SongTitle=Sunrise` (usually its key),
//! optionally followed by `has ATTRIBUTE`; strings compare as they are, numbers by value. A
//! name with dots is a document path into maps (`info.rating=7.5`), as in an expression.

use super::{test, Args, Entry, Test};
use crate::engines::dynamo::number::Number;
use crate::engines::dynamo::table::Table;
use crate::engines::dynamo::value::{AttrValue, Item};
use crate::shell::Lab;

pub const CONDITIONS: &[Entry] = &[
    Entry {
        name: "dynamodb_table",
        usage: "TABLE HASH [RANGE]",
        holds_when: "the table exists with that key schema",
        parse: table,
    },
    Entry { name: "dynamodb_items", usage: "TABLE N", holds_when: "the table holds at least N items", parse: items },
    Entry {
        name: "dynamodb_item",
        usage: "TABLE A=V[;B=W] [has ATTR]",
        holds_when: "an item with those values exists (and has ATTR); `A` may be a path into maps, `info.rating`",
        parse: item,
    },
    Entry {
        name: "dynamodb_item_absent",
        usage: "TABLE A=V[;B=W]",
        holds_when: "the table exists and no item with those values is in it",
        parse: item_absent,
    },
    Entry {
        name: "dynamodb_index",
        usage: "TABLE INDEX [STATUS]",
        holds_when: "the table has that global index (in that status)",
        parse: index,
    },
    Entry {
        name: "dynamodb_billing",
        usage: "TABLE PROVISIONED|PAY_PER_REQUEST",
        holds_when: "the table bills in that mode",
        parse: billing,
    },
];

fn table(args: &Args) -> Result<Test, String> {
    let (name, hash, range) = (args.word(0)?, args.word(1)?, args.optional(2));
    test(move |lab| dynamo_table(lab, &name).is_some_and(|t| t.key.hash == hash && t.key.range == range))
}

fn items(args: &Args) -> Result<Test, String> {
    let (name, at_least): (String, usize) = (args.word(0)?, args.number(1)?);
    test(move |lab| dynamo_table(lab, &name).is_some_and(|t| t.items.len() >= at_least))
}

fn item(args: &Args) -> Result<Test, String> {
    let name = args.word(0)?;
    let (values, has) = item_spec(args, &args.rest(1))?;
    test(move |lab| {
        let wanted = |item: &Item| item_matches(item, &values) && has.as_ref().is_none_or(|h| item.contains_key(h));
        dynamo_table(lab, &name).is_some_and(|t| t.items.values().any(wanted))
    })
}

fn item_absent(args: &Args) -> Result<Test, String> {
    let name = args.word(0)?;
    let (values, _) = item_spec(args, &args.rest(1))?;
    test(move |lab| dynamo_table(lab, &name).is_some_and(|t| !t.items.values().any(|i| item_matches(i, &values))))
}

fn index(args: &Args) -> Result<Test, String> {
    let (name, index, status) = (args.word(0)?, args.word(1)?, args.optional(2));
    test(move |lab| {
        let mut indexes = dynamo_table(lab, &name).into_iter().flat_map(|t| &t.indexes);
        indexes.any(|i| i.global && i.name == index && status.as_ref().is_none_or(|s| &i.status == s))
    })
}

fn billing(args: &Args) -> Result<Test, String> {
    let name = args.word(0)?;
    let on_demand = match args.word(1)?.as_str() {
        "PAY_PER_REQUEST" => true,
        "PROVISIONED" => false,
        _ => return Err(args.wrong("names a mode other than PROVISIONED or PAY_PER_REQUEST")),
    };
    test(move |lab| dynamo_table(lab, &name).is_some_and(|t| t.pay_per_request == on_demand))
}

fn dynamo_table<'a>(lab: &'a Lab, name: &str) -> Option<&'a Table> {
    lab.cloud.dynamodb.tables.get(name)
}

/// An item named by attribute values, and an attribute it must have.
type ItemSpec = (Vec<(String, String)>, Option<String>);

/// `Artist=Acme;SongTitle=Sunrise has Rating` → the pairs and the attribute.
fn item_spec(args: &Args, text: &str) -> Result<ItemSpec, String> {
    let (pairs, has) = match text.split_once(" has ") {
        Some((p, h)) => (p, Some(h.trim().to_string())),
        None => (text, None),
    };
    let mut values = Vec::new();
    for part in pairs.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| args.wrong(&format!("has `{part}`, not ATTRIBUTE=VALUE")))?;
        values.push((k.trim().to_string(), v.trim().to_string()));
    }
    if values.is_empty() {
        return Err(args.wrong("names no ATTRIBUTE=VALUE pairs"));
    }
    Ok((values, has))
}

/// Whether the item's attributes have these values (strings as they are, numbers by value).
fn item_matches(item: &Item, values: &[(String, String)]) -> bool {
    values.iter().all(|(k, v)| match attribute(item, k) {
        Some(AttrValue::S(s)) => s == v,
        Some(AttrValue::N(n)) => Number::parse(v).is_ok_and(|w| &w == n),
        _ => false,
    })
}

/// The attribute called `name`, or, for a name with dots that no top-level attribute has, the
/// one at that document path through maps (`info.rating`).
fn attribute<'a>(item: &'a Item, name: &str) -> Option<&'a AttrValue> {
    if let Some(value) = item.get(name) {
        return Some(value);
    }
    let mut parts = name.split('.');
    let mut value = item.get(parts.next()?)?;
    for part in parts {
        match value {
            AttrValue::M(map) => value = map.get(part)?,
            _ => return None,
        }
    }
    Some(value)
}
